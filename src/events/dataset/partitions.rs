//! Where a dataset keeps its runs: the `variant=…/seed=…` partitions
//! under `events/` and `runs/`, and what they hold.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use super::super::fs::short_sha256;
use super::{Dataset, DatasetError, Manifest, OLD_RECORD, RUNS, read_record, record_path};

/// Whether `dir` keeps run records inside `events/` (an older aisle's layout).
pub fn has_old_layout(dir: &Path) -> bool {
    partitions(&dir.join("events")).iter().any(|p| p.join(OLD_RECORD).exists())
}

/// The `variant=…/seed=…` directories under `root`, sorted.
pub fn partitions(root: &Path) -> Vec<PathBuf> {
    let list = |d: &Path| -> Vec<PathBuf> {
        let mut v: Vec<PathBuf> =
            std::fs::read_dir(d).into_iter().flatten().flatten().map(|e| e.path()).filter(|p| p.is_dir()).collect();
        v.sort();
        v
    };
    list(root).iter().flat_map(|v| list(v)).collect()
}

/// The (variant, seed) a `variant=…/seed=…` directory names, written as
/// aisle writes it: `seed=01` or `seed=+1` is no run's (read as seed 1, a
/// copy of a run there was listed twice, and Parquet readers read its
/// log beside the run's own).
pub fn partition_key(partition: &Path) -> Option<(String, u64)> {
    let written = partition.file_name()?.to_str()?.strip_prefix("seed=")?;
    let seed: u64 = written.parse().ok().filter(|seed: &u64| seed.to_string() == written)?;
    let variant = partition.parent()?.file_name()?.to_str()?.strip_prefix("variant=")?;
    Some((variant.to_owned(), seed))
}

/// The run records under `dir/runs`, counted without reading them.
pub fn records_on_disk(dir: &Path) -> usize {
    record_partitions(dir).len()
}

/// The `variant=…/seed=…` directories under `dir/runs`, named as aisle
/// names them (`partition_key`), that hold a run record, sorted (not read).
pub fn record_partitions(dir: &Path) -> Vec<PathBuf> {
    partitions(&dir.join(RUNS))
        .into_iter()
        .filter(|p| partition_key(p).is_some() && p.join("run.json").exists())
        .collect()
}

/// What a dataset whose manifest lists no runs says of the `unlisted` run
/// records on disk (`records_on_disk`, counted when the error is made): a
/// sweep stopped before it wrote the manifest leaves them unlisted.
pub fn unlisted_records_hint(unlisted: usize) -> String {
    match unlisted {
        0 => String::new(),
        n => format!(
            "; {n} run record(s) in runs/ are not listed yet (a sweep stopped before it wrote the manifest): run the \
             same `aisle compare` again to finish it, or `aisle verify --repair` to list them"
        ),
    }
}

impl Dataset {
    /// Whether `manifest` lists every run record on disk in `dir`. One a
    /// sweep stopped before it listed its last runs, or edited, would
    /// count some of the study's days and not others, without a word. (A
    /// manifest of no runs is said so by its readers, with the records
    /// waiting.)
    pub fn check_listed(dir: &Path, manifest: &Manifest) -> Result<(), DatasetError> {
        if manifest.runs.is_empty() {
            return Ok(());
        }
        let listed: HashSet<(&str, u64)> = manifest.runs.iter().map(|r| (r.variant.as_str(), r.seed)).collect();
        let on_disk: Vec<(String, u64)> = record_partitions(dir).iter().filter_map(|p| partition_key(p)).collect();
        let unlisted = || on_disk.iter().filter(|(v, seed)| !listed.contains(&(v.as_str(), *seed)));
        // One of another version of the scenario is no run a sweep left
        // unlisted: finishing the sweep would not list it.
        for (variant, seed) in unlisted() {
            let path = dir.join(record_path(variant, *seed));
            if let Ok(run) = read_record(&path, variant, *seed)
                && !run.scenario_sha256.is_empty()
                && run.scenario_sha256 != manifest.scenario_sha256
            {
                return Err(DatasetError::UnlistedOtherVersion {
                    dir: dir.to_owned(),
                    run: format!("variant={variant}/seed={seed}"),
                    theirs: short_sha256(&run.scenario_sha256).into(),
                    ours: short_sha256(&manifest.scenario_sha256).into(),
                });
            }
        }
        match unlisted().next() {
            None => Ok(()),
            Some((variant, seed)) => Err(DatasetError::Unlisted {
                dir: dir.to_owned(),
                listed: manifest.runs.len(),
                on_disk: on_disk.len(),
                first: format!("variant {} seed {seed} is not listed", crate::scenario::shown_id(variant)),
            }),
        }
    }
}
