//! Whether a dataset's report page is the one its logs make. A page is the
//! same whatever the cores, so it is made again aside, with the design it
//! names (its primary metric; level and seeds from the saved comparison),
//! and compared byte for byte with its figures: a page edited by hand, or
//! left from before runs were added, is found.

use std::path::{Path, PathBuf};

use super::{ReportError, build_with, design_for, replay_dataset, write_page};
use crate::events::dataset::REPORT;

/// The page's `<meta>` naming the primary metric it compares on.
pub(super) const PRIMARY_META: &str = "aisle-primary";
/// The page's meta naming the primary the dataset's comparisons declared
/// first (the page's own may be one chosen late).
pub(super) const DECLARED_META: &str = "aisle-declared-primary";
/// How the page's footer names the build that made it.
pub(super) const MADE_BY: &str = "Made by aisle ";

/// A dataset's report page against the page this build makes of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PageCheck {
    /// The dataset has no report page.
    Absent,
    /// The page and every figure it shows are what this build makes.
    Same,
    /// Made by another aisle build (named), whose pages may differ: not checked.
    OtherBuild(String),
    /// `file` is not what this build makes; `detail` says where it differs.
    Differs { file: PathBuf, detail: String },
}

/// Where the report page of the dataset in `dir` is.
pub fn page_path(dir: &Path) -> PathBuf {
    dir.join(REPORT).join("index.html")
}

/// Removes the report page of the dataset in `dir` with its figures
/// (figures left without their page read as a report cut off: `aisle
/// verify`), nothing else of `report/`; whether there was a page. Fails
/// with the path it could not remove.
pub fn remove_page(dir: &Path) -> Result<bool, (PathBuf, std::io::Error)> {
    let gone = |path: PathBuf, removed: std::io::Result<()>| match removed {
        Ok(()) => Ok(true),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(false),
        Err(source) => Err((path, source)),
    };
    let figures = dir.join(REPORT).join("figures");
    gone(figures.clone(), std::fs::remove_dir_all(&figures))?;
    let page = page_path(dir);
    gone(page.clone(), std::fs::remove_file(&page))
}

/// The text between `start` and the next `end` after it in `page`.
fn between<'a>(page: &'a str, start: &str, end: &str) -> Option<&'a str> {
    let from = page.find(start)? + start.len();
    page[from..].find(end).map(|len| &page[from..from + len])
}

/// The build the page's footer (its last lines) names.
fn made_by(page: &str) -> Option<&str> {
    let from = page.rfind(MADE_BY)? + MADE_BY.len();
    page[from..].split_whitespace().next()
}

fn unescape(s: &str) -> String {
    s.replace("&quot;", "\"").replace("&gt;", ">").replace("&lt;", "<").replace("&amp;", "&")
}

/// The primary metric the page compares on, as it names it.
fn primary_of(page: &str) -> Option<String> {
    between(page, &format!("<meta name=\"{PRIMARY_META}\" content=\""), "\"").map(unescape)
}

/// The primary metric the report page of the dataset in `dir` compared
/// the layouts on, if it has a comparison: the one declared first, where
/// the page names it (a primary chosen late on a page is no declaration).
pub(super) fn compared_primary(dir: &Path) -> Option<String> {
    let page = std::fs::read_to_string(page_path(dir)).ok()?;
    let declared = between(&page, &format!("<meta name=\"{DECLARED_META}\" content=\""), "\"").map(unescape);
    page.contains("<h2>Comparison with").then(|| declared.or_else(|| primary_of(&page))).flatten()
}

/// Checks the report page of the dataset in `dir` (whose runs verify).
pub fn check_page(dir: &Path) -> Result<PageCheck, ReportError> {
    let path = page_path(dir);
    let Ok(found) = std::fs::read(&path) else { return Ok(PageCheck::Absent) };
    let text = String::from_utf8_lossy(&found);
    // (A page that names no build was edited: it is checked.)
    if let Some(other) = made_by(&text).filter(|&build| build != crate::VERSION) {
        return Ok(PageCheck::OtherBuild(other.to_owned()));
    }
    let design = design_for(dir, primary_of(&text).as_deref());
    let variants = replay_dataset(dir, |_, _| {})?;
    let scratch = tempfile::Builder::new()
        .prefix("aisle-report-check-")
        .tempdir()
        .map_err(|source| ReportError::Io { path: std::env::temp_dir(), source })?;
    let made = match write_page(dir, &variants, &design, scratch.path()) {
        Ok(made) => made,
        // A primary the dataset does not have: no page of this build names it.
        Err(ReportError::UnknownMetric { metric, .. }) => {
            return Ok(PageCheck::Differs {
                file: path,
                detail: format!("it compares on `{metric}`, not a metric here"),
            });
        }
        Err(e) => return Err(e),
    };
    let made_page = std::fs::read(&made).map_err(|source| ReportError::Io { path: made.clone(), source })?;
    if made_page != found {
        return Ok(PageCheck::Differs { file: path, detail: first_difference(&made_page, &found) });
    }
    // Every figure the page shows, byte for byte (a figure no page shows is not read).
    let figures = scratch.path().join("figures");
    let mut names: Vec<PathBuf> = std::fs::read_dir(&figures)
        .map_err(|source| ReportError::Io { path: figures.clone(), source })?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .collect();
    names.sort();
    for made in names {
        let name = made.file_name().expect("a file in the directory");
        let kept = dir.join(REPORT).join("figures").join(name);
        let same = std::fs::read(&kept).ok() == std::fs::read(&made).ok();
        if !same {
            let detail = if kept.exists() { "not the figure its logs draw" } else { "missing" };
            return Ok(PageCheck::Differs { file: kept, detail: detail.to_owned() });
        }
    }
    Ok(PageCheck::Same)
}

/// Where `found` first differs from `made`, in words: the line, and the
/// text round the first character that differs.
fn first_difference(made: &[u8], found: &[u8]) -> String {
    let (made, found) = (String::from_utf8_lossy(made), String::from_utf8_lossy(found));
    let mut lines = made.lines().zip(found.lines()).enumerate();
    let Some((i, (a, b))) = lines.find(|(_, (a, b))| a != b) else {
        return format!("{} lines where the page its logs make has {}", found.lines().count(), made.lines().count());
    };
    let at = a.chars().zip(b.chars()).take_while(|(x, y)| x == y).count();
    let shown: String = b.chars().skip(at.saturating_sub(30)).take(70).collect();
    format!("line {} reads `…{shown}…`", i + 1)
}

/// Makes the report page of the dataset in `dir` again, on the primary
/// metric its page names (the saved comparison's, without a page).
pub fn remake(dir: &Path) -> Result<PathBuf, ReportError> {
    let page = std::fs::read_to_string(page_path(dir)).unwrap_or_default();
    build_with(dir, &design_for(dir, primary_of(&page).as_deref()), |_, _| {})
}
