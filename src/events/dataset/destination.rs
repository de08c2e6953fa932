//! Where a writer opens a dataset: never over what a directory that is
//! no dataset holds at a dataset's paths, nor inside another dataset.

use std::path::{Path, PathBuf};

use super::partitions::{partition_key, partitions};
use super::{DatasetError, FOLDERS, FORMAT, MANIFEST, RUNS, SCENARIO_COPY};

/// A directory checked as a writer's destination.
pub(super) struct Destination<'a> {
    dir: &'a Path,
    source: &'a str,
    /// An aisle writer opened it before (both its lock files, the gate's
    /// and the writers': a `.lock` alone may be any program's): it is a
    /// dataset, though one killed before its manifest holds the scenario
    /// copy alone.
    opened_before: bool,
}

impl<'a> Destination<'a> {
    /// Refuses `dir` inside another dataset, or where a dataset of
    /// `source` would overwrite what it holds.
    pub(super) fn check(dir: &'a Path, source: &'a str) -> Result<Destination<'a>, DatasetError> {
        if let Some(dataset) = enclosing_dataset(dir) {
            return Err(DatasetError::InsideDataset { dir: dir.to_owned(), dataset });
        }
        let opened_before = dir.join(".lock").exists() && dir.join(".writers.lock").exists();
        let destination = Destination { dir, source, opened_before };
        destination.check_again()?;
        Ok(destination)
    }

    /// The overwrite check alone, as `check` made it.
    pub(super) fn check_again(&self) -> Result<(), DatasetError> {
        let found = if self.opened_before { Vec::new() } else { would_overwrite(self.dir, self.source) };
        if found.is_empty() { Ok(()) } else { Err(DatasetError::NotADataset { dir: self.dir.to_owned(), found }) }
    }
}

/// What a dataset written in `dir` would overwrite that is not a
/// dataset's: a `scenario.toml` other than `source` (the scenario copy
/// replaced a user's own), and the folders a dataset derives or fills
/// (`report/`, `events/`, …), where `dir` is no dataset yet (no manifest,
/// nor a run's `variant=…/seed=…` folder under `runs/` or `events/`,
/// whose manifest the next writer lists again). A user's own `events/`
/// or `runs/` is no dataset: `--replace` would have deleted it. Other
/// files are left alone beside the dataset.
fn would_overwrite(dir: &Path, source: &str) -> Vec<String> {
    let runs_in = |folder: &str| partitions(&dir.join(folder)).iter().any(|p| partition_key(p).is_some());
    if dir.join(MANIFEST).exists() || runs_in(RUNS) || runs_in("events") {
        return Vec::new();
    }
    let copy = dir.join(SCENARIO_COPY);
    let other_copy = copy.exists() && std::fs::read(&copy).ok().as_deref() != Some(source.as_bytes());
    let copy = other_copy.then(|| SCENARIO_COPY.to_owned());
    let derived = FOLDERS.into_iter().filter(|d| dir.join(d).exists());
    copy.into_iter().chain(derived.map(|d| format!("{d}/"))).collect()
}

/// The dataset `dir` would lie inside, if any: the nearest directory
/// above it with an aisle manifest, once `..` and symbolic links are
/// resolved (`d1/../sib` is beside `d1`; a link to `d1/runs` is inside it).
fn enclosing_dataset(dir: &Path) -> Option<PathBuf> {
    let resolved = resolved(dir)?;
    resolved.ancestors().skip(1).find(|above| is_aisle_manifest(&above.join(MANIFEST))).map(Path::to_path_buf)
}

/// `dir` as an absolute path with its links and `..` resolved: the part
/// that exists by the file system, the rest (not made yet) by its names.
fn resolved(dir: &Path) -> Option<PathBuf> {
    let absolute = std::path::absolute(dir).ok()?;
    let existing = absolute.ancestors().find(|a| a.exists())?;
    let mut path = existing.canonicalize().ok()?;
    for part in absolute.strip_prefix(existing).ok()?.components() {
        match part {
            std::path::Component::ParentDir => {
                path.pop();
            }
            std::path::Component::Normal(name) => path.push(name),
            _ => {}
        }
    }
    Some(path)
}

fn is_aisle_manifest(path: &Path) -> bool {
    let Ok(text) = std::fs::read_to_string(path) else { return false };
    serde_json::from_str::<serde_json::Value>(&text).is_ok_and(|v| v["format"] == FORMAT)
}
