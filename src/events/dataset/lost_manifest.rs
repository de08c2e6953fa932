//! A dataset whose manifest is gone (deleted, or removed as unreadable by
//! `verify --repair`) still says which scenario version its runs are of:
//! its scenario copy and its run records name it. Without this, a changed
//! scenario found no manifest to refuse it and wrote over the old runs.

use std::path::Path;

use sha2::{Digest, Sha256};

use super::{SCENARIO_COPY, read_records};
use crate::scenario::hex;

/// The (scenario name, SHA-256) of the version the dataset at `dir` holds,
/// where its scenario copy or a run record is of another version than
/// `sha256`; `None` where all it holds is of that version (or nothing).
pub(super) fn other_version_on_disk(dir: &Path, sha256: &str) -> Option<(String, String)> {
    let copy = std::fs::read(dir.join(SCENARIO_COPY)).ok();
    let copy_sha = copy.as_deref().map(|bytes| hex(&Sha256::digest(bytes)));
    let record_sha = || {
        let records = read_records(dir).ok()?;
        records.into_iter().flatten().map(|r| r.scenario_sha256).find(|s| s != sha256)
    };
    let old = copy_sha.filter(|s| s != sha256).or_else(record_sha)?;
    // The name as the copy gives it; a copy that no longer reads leaves
    // only the version to tell.
    let name = copy
        .and_then(|bytes| String::from_utf8(bytes).ok())
        .and_then(|text| text.parse::<toml::Table>().ok())
        .and_then(|t| t.get("scenario")?.get("name")?.as_str().map(str::to_owned))
        .unwrap_or_default();
    Some((name, old))
}
