//! Releases against the ledger: every release it lists on disk and the
//! other way round, half-landed ones, and releases of a replaced version.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use super::{Finding, LEDGER, Remedy, Verification};
use crate::events::dataset::{Manifest, RELEASES};
use crate::events::fs::short_sha256;

/// The ledger must read, and every release it lists must be on disk (and
/// the other way round). Its budget and entries are the privacy module's:
/// an edited spend or budget, or a broken chain, is damage here as it is a
/// refusal to `aisle publish`.
pub(super) fn check_releases(dir: &Path, v: &mut Verification) {
    let ledger = dir.join(LEDGER);
    let releases = dir.join(RELEASES);
    let on_disk: BTreeSet<String> = std::fs::read_dir(&releases)
        .into_iter()
        .flatten()
        .flatten()
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| !n.starts_with('.'))
        .collect();
    let text = match std::fs::read_to_string(&ledger) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            // A first release killed before its entry made the ledger
            // left figures nobody was charged for.
            check_half_landed(dir, v);
            if !on_disk.is_empty() {
                v.findings.push(Finding::by_hand(format!(
                    "{}: missing, but {} release(s) are in {}; restore it from a backup",
                    ledger.display(),
                    on_disk.len(),
                    releases.display()
                )));
            }
            return;
        }
        Err(e) => {
            v.findings
                .push(Finding::by_hand(format!("{}: not readable: {e}; restore it from a backup", ledger.display())));
            return;
        }
    };
    let names: Option<BTreeSet<String>> = serde_json::from_str::<serde_json::Value>(&text).ok().and_then(|j| {
        j.get("entries")?.as_array()?.iter().map(|e| Some(e.get("name")?.as_str()?.to_owned())).collect()
    });
    let Some(names) = names else {
        v.findings.push(Finding::by_hand(format!(
            "{}: not a readable ledger (JSON with named entries); restore it from a backup",
            ledger.display()
        )));
        return;
    };
    // (Not where the ledger does not read: a charged one would pass for uncharged.)
    let settling = check_half_landed(dir, v);
    for name in names.difference(&on_disk).filter(|n| !settling.contains(*n)) {
        v.findings.push(Finding::by_hand(format!(
            "{}: the ledger lists release `{name}`, which is not on disk; restore the release from a backup",
            releases.join(name).display()
        )));
    }
    for name in on_disk.difference(&names) {
        v.findings.push(Finding::by_hand(format!(
            "{}: release not in the ledger {}; restore the ledger from a backup",
            releases.join(name).display(),
            ledger.display()
        )));
    }
    if settling.is_empty()
        && names.is_subset(&on_disk)
        && on_disk.is_subset(&names)
        && let Err(e) = crate::privacy::ledger::Ledger::open(dir, None)
    {
        v.findings.push(Finding::by_hand(e));
    }
}

/// Releases a killed `publish` left half landed (`privacy::interrupted_releases`),
/// as damage `--repair` settles; returns the names of those charged, which
/// are on their way into place.
fn check_half_landed(dir: &Path, v: &mut Verification) -> BTreeSet<String> {
    let mut settling = BTreeSet::new();
    for found in crate::privacy::interrupted_releases(dir) {
        let message = match found {
            crate::privacy::Interrupted::Charged { partial, release, .. } => {
                settling.insert(release.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default());
                format!(
                    "{}: a release interrupted after its spend was recorded, not yet in place; `aisle verify \
                     --repair` or the next `aisle publish` puts it there",
                    partial.display()
                )
            }
            crate::privacy::Interrupted::Uncharged { partial } => format!(
                "{}: the noised figures of a release interrupted before its spend was recorded (never published, \
                 never charged); `aisle verify --repair` or the next `aisle publish` removes them",
                partial.display()
            ),
        };
        v.findings.push(Finding { repair: Some(Remedy::SettleReleases), ..Finding::damage(message) });
    }
    settling
}

/// A release made before `--replace` put another version of the scenario
/// in the dataset stays (it was published, and its cost stays in the
/// ledger), but it describes runs no longer here: said, not damage.
pub(super) fn note_releases_of_other_versions(dir: &Path, m: &Manifest, runs_sha256: &str, v: &mut Verification) {
    let Ok(entries) = std::fs::read_dir(dir.join(RELEASES)) else { return };
    let mut names: Vec<PathBuf> = entries.flatten().map(|e| e.path()).filter(|p| p.is_dir()).collect();
    names.sort();
    for release in names {
        let record = release.join(crate::privacy::seal::RELEASE_RECORD);
        let Some(stated) = std::fs::read_to_string(&record)
            .ok()
            .and_then(|text| serde_json::from_str::<serde_json::Value>(&text).ok())
        else {
            continue;
        };
        let Some(sha) = stated["scenario_sha256"].as_str().filter(|sha| *sha != runs_sha256) else { continue };
        // `--replace` may have put another scenario in, not another
        // version of this one (a convenience store's release was said to
        // be of an older `tiny`).
        let what = match stated["scenario"].as_str().filter(|name| *name != m.scenario) {
            Some(other) => format!("scenario `{other}`, not the dataset's `{}`", m.scenario),
            None => format!("another version of scenario `{}`", m.scenario),
        };
        v.findings.push(Finding::note(format!(
            "{}: made from {what} (sha256 {}…, the dataset's is {}…), whose runs were replaced since: it describes \
             those runs, not these",
            release.display(),
            short_sha256(sha),
            short_sha256(runs_sha256)
        )));
    }
}
