//! A release's seal: its ledger entry holds the SHA-256 of every file of
//! the release and of its record (`release.json`, less the entry it
//! carries), checked whenever the ledger opens, so no figure, table, page
//! or label of a release can be edited, added or removed unnoticed.

use std::collections::BTreeMap;
use std::path::Path;

use sha2::{Digest, Sha256};

use super::ledger::{Cost, Entry, LedgerError};

/// The file of a release that carries its entry, and so is not among the
/// files the entry seals.
pub const RELEASE_RECORD: &str = "release.json";

/// SHA-256 of every file under a release directory but its record, by
/// path within it (`/`-separated).
pub fn release_files(dir: &Path) -> std::io::Result<BTreeMap<String, String>> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<String, String>) -> std::io::Result<()> {
        for item in std::fs::read_dir(dir)? {
            let path = item?.path();
            if path.is_dir() {
                walk(root, &path, out)?;
                continue;
            }
            let rel = path.strip_prefix(root).expect("under the root");
            let rel = rel.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/");
            if rel != RELEASE_RECORD {
                out.insert(rel, crate::events::fs::file_sha256(&path)?);
            }
        }
        Ok(())
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out)?;
    Ok(out)
}

/// The directories under a release (`/`-separated, within it), each with
/// whether it holds a file at any depth.
fn release_dirs(dir: &Path) -> std::io::Result<Vec<(String, bool)>> {
    fn walk(root: &Path, dir: &Path, out: &mut Vec<(String, bool)>) -> std::io::Result<bool> {
        let mut holds = false;
        for item in std::fs::read_dir(dir)? {
            let path = item?.path();
            if path.is_dir() {
                let rel = path.strip_prefix(root).expect("under the root");
                let rel = rel.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/");
                let at = out.len();
                out.push((rel, false));
                out[at].1 = walk(root, &path, out)?;
                holds |= out[at].1;
            } else {
                holds = true;
            }
        }
        Ok(holds)
    }
    let mut out = Vec::new();
    walk(dir, dir, &mut out)?;
    Ok(out)
}

/// The hash a release's entry seals of its record: of the record's JSON
/// less its `entry` member, written compactly with the members in one
/// order, so the same content hashes the same however it was laid out.
pub fn record_sha256(record: &serde_json::Value) -> String {
    let mut bare = record.clone();
    if let Some(members) = bare.as_object_mut() {
        members.remove("entry");
    }
    crate::scenario::hex(&Sha256::digest(serde_json::to_vec(&bare).expect("a JSON value serialises")))
}

/// A release's files are those its entry sealed, unchanged (no more, no
/// fewer, no empty directory among them), and its record carries that
/// entry and its cost and, where the entry seals it, is as it was written
/// (an entry that seals no files, or not its record, was stripped of its
/// seals: every entry is made with them).
pub(super) fn check_release_files(release: &Path, e: &Entry) -> Result<(), LedgerError> {
    let edited = |message: String| LedgerError::ReleaseEdited { path: release.to_owned(), message };
    if e.files.is_empty() || e.record_sha256.is_empty() {
        return Err(edited("its ledger entry seals none of its files: the entry was stripped of its seals".to_owned()));
    }
    let io = |source| LedgerError::Io { path: release.to_owned(), source };
    let found = release_files(release).map_err(io)?;
    for (file, sha) in &e.files {
        match found.get(file) {
            None => return Err(edited(format!("`{file}` is missing"))),
            Some(h) if h != sha => return Err(edited(format!("`{file}` was edited (its hash is not the one sealed)"))),
            Some(_) => {}
        }
    }
    if let Some(extra) = found.keys().find(|f| !e.files.contains_key(*f)) {
        return Err(edited(format!("`{extra}` is not one of its files")));
    }
    if let Some((empty, _)) = release_dirs(release).map_err(io)?.into_iter().find(|(_, holds)| !holds) {
        return Err(edited(format!("`{empty}/` is an empty directory, not one of its files")));
    }
    let record: Option<serde_json::Value> =
        std::fs::read(release.join(RELEASE_RECORD)).ok().and_then(|b| serde_json::from_slice(&b).ok());
    let Some(record) = record else { return Err(edited(format!("`{RELEASE_RECORD}` is missing or unreadable"))) };
    let carried: Option<Entry> = serde_json::from_value(record["entry"].clone()).ok();
    if carried.as_ref() != Some(e) {
        return Err(edited(format!("`{RELEASE_RECORD}` carries another entry than the ledger's")));
    }
    let stated = record["epsilon"].as_f64();
    let charged = match e.cost {
        Cost::Pure { epsilon } => Some(epsilon),
        Cost::Zcdp { epsilon, .. } => epsilon,
        Cost::Local { .. } => None,
    };
    if let (Some(stated), Some(charged)) = (stated, charged)
        && (stated - charged).abs() > 1e-9 * charged.abs().max(1.0)
    {
        return Err(edited(format!("`{RELEASE_RECORD}` states ε = {stated}, but the ledger charged {charged}")));
    }
    if record_sha256(&record) != e.record_sha256 {
        return Err(edited(format!(
            "`{RELEASE_RECORD}` was edited (its figures, comparison or privacy label are not those sealed)"
        )));
    }
    Ok(())
}
