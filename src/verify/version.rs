//! Which scenario version a dataset's runs were made from, when its
//! manifest, scenario copy and run records disagree, and what is wrong
//! with the copy.

use std::path::Path;

use crate::events::dataset::{Damage, Manifest, RunRecord, SCENARIO_COPY};
use crate::events::fs::file_sha256;
use crate::events::fs::short_sha256;
use crate::scenario::ScenarioFile;

/// Which part of a dataset names another scenario version than the rest.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum OddOneOut {
    None,
    /// The manifest alone: the scenario copy and every run record agree.
    Manifest,
    /// The scenario copy, and the manifest with it: every run record
    /// names another version, the one the runs were made from.
    CopyAndManifest,
}

/// The scenario version the dataset's runs were made from: the
/// manifest's, or without one the scenario copy's; and which part names
/// another. Where the manifest alone names another (the copy and every
/// readable run record agree with each other), the copy's; where the copy
/// and the manifest agree but every readable record names another, the
/// records' (a copy replaced by another version and the manifest edited
/// to match was taken at its word: every run read as damaged, and
/// `--repair` simulated them all again from the other version).
pub(super) fn version_of(
    dir: &Path,
    manifest: Option<&Manifest>,
    records: &[Result<RunRecord, Damage>],
) -> (String, OddOneOut) {
    let copy = file_sha256(&dir.join(SCENARIO_COPY)).unwrap_or_default();
    let Some(m) = manifest else { return (copy, OddOneOut::None) };
    let records: Vec<&RunRecord> = records.iter().flatten().collect();
    let all_name = |sha: &str| !records.is_empty() && records.iter().all(|r| r.scenario_sha256 == sha);
    if m.scenario_sha256 == copy && !copy.is_empty() {
        return match records.first() {
            Some(r) if r.scenario_sha256 != copy && all_name(&r.scenario_sha256) => {
                (r.scenario_sha256.clone(), OddOneOut::CopyAndManifest)
            }
            _ => (copy, OddOneOut::None),
        };
    }
    match !copy.is_empty() && all_name(&copy) {
        true => (copy, OddOneOut::Manifest),
        false => (m.scenario_sha256.clone(), OddOneOut::None),
    }
}

/// What is wrong with the scenario copy, given the hash of the version
/// the runs were made from (`version_of`) and who names it.
pub(super) fn scenario_copy_problem(dir: &Path, sha256: &str, odd: OddOneOut) -> Option<String> {
    let path = dir.join(SCENARIO_COPY);
    let named_by = if odd == OddOneOut::CopyAndManifest { "every run record names" } else { "the manifest names" };
    match file_sha256(&path) {
        Err(e) => Some(format!("cannot read the scenario copy: {e}")),
        Ok(found) if !sha256.is_empty() && found != sha256 => Some(format!(
            "scenario copy was changed (sha256 {}…, {named_by} {}…)",
            short_sha256(&found),
            short_sha256(sha256)
        )),
        Ok(_) => ScenarioFile::read(&path).err().map(|e| format!("scenario copy does not read: {e}")),
    }
}
