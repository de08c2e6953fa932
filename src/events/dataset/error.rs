//! What can go wrong opening, reading or writing a dataset, and with one
//! of its runs.

use std::path::PathBuf;

use super::MANIFEST;

#[derive(Debug, thiserror::Error)]
pub enum DatasetError {
    #[error("{}: {source}", path.display())]
    Io { path: PathBuf, source: std::io::Error },
    #[error("{}: is a file, not a dataset directory; give a directory (`run` and `compare` make a new one)", dir.display())]
    NotADirectory { dir: PathBuf },
    #[error(
        "{}: is a file where a dataset keeps a folder of that name; move the file out of the dataset and run \
         the command again",
        path.display()
    )]
    FileForFolder { path: PathBuf },
    #[error("{}: no such directory; give the directory `aisle run` or `aisle compare` wrote the dataset to (their --out)", dir.display())]
    NoSuchDirectory { dir: PathBuf },
    #[error("{}: a dataset cannot be written here ({source}); choose another directory (--out)", dir.display())]
    Unwritable { dir: PathBuf, source: std::io::Error },
    #[error("{}: not a readable aisle manifest: {message}", path.display())]
    BadManifest { path: PathBuf, message: String },
    #[error(
        "{}: `{field}` is {found}, but the scenario copy makes it {made}: the manifest was edited; \
         `aisle verify --repair {}` rebuilds it",
        dir.join(super::MANIFEST).display(),
        dir.display()
    )]
    ManifestHeader { dir: PathBuf, field: &'static str, found: String, made: String },
    #[error(
        "{} holds runs of another version of scenario `{scenario}` (file hash {old}…, now {new}…); \
         write to another directory with --out, or pass --replace to discard the old runs",
        dir.display()
    )]
    ScenarioChanged { dir: PathBuf, scenario: String, old: String, new: String },
    #[error(
        "{} holds runs of scenario `{found}`, not `{wanted}`; write to another directory with --out \
         (or pass --replace to discard them)",
        dir.display()
    )]
    OtherScenario { dir: PathBuf, found: String, wanted: String },
    #[error("{damage}; `aisle verify --repair {}` {}", dir.display(), damage.mended())]
    Damaged { dir: PathBuf, damage: Damage },
    #[error(
        "{}: the scenario copy does not match the manifest's scenario_sha256 (it was changed after the runs were made); \
         restore it, or make the dataset again with --replace",
        path.display()
    )]
    ScenarioCopyChanged { path: PathBuf },
    #[error(
        "{}: missing: the copy of the scenario the runs were made from; restore it from a backup, or make the \
         dataset again with --replace",
        path.display()
    )]
    ScenarioCopyMissing { path: PathBuf },
    #[error(
        "{} keeps run records inside events/ (the layout of an older aisle, which Parquet readers cannot read as one dataset); \
         pass --replace to discard its runs, or write to another directory with --out",
        dir.display()
    )]
    OldLayout { dir: PathBuf },
    #[error(
        "{}: other aisle commands are writing runs of the old version of scenario `{scenario}`; \
         wait for them to finish before --replace discards those runs",
        dir.display()
    )]
    Busy { dir: PathBuf, scenario: String },
    #[error(
        "{}: is not an aisle dataset (no {MANIFEST}), and a dataset written there would overwrite its {}: \
         choose a new or empty directory with --out",
        dir.display(),
        found.join(", ")
    )]
    NotADataset { dir: PathBuf, found: Vec<String> },
    #[error(
        "{}: is inside the aisle dataset {}, and the two datasets' files would mix; choose a directory outside it with --out",
        dir.display(),
        dataset.display()
    )]
    InsideDataset { dir: PathBuf, dataset: PathBuf },
    #[error(
        "{}: lists {listed} run(s), but runs/ holds {on_disk} run record(s) ({first}): a sweep stopped before it \
         listed its last runs, or the manifest was edited, and what it lists is not the study; run the same `aisle \
         compare` again to finish the sweep, or `aisle verify --repair {}` to list every run",
        dir.join(MANIFEST).display(),
        dir.display()
    )]
    Unlisted { dir: PathBuf, listed: usize, on_disk: usize, first: String },
    #[error(
        "{}/runs/{run}/run.json: a run the manifest does not list, made from another version of the scenario (file \
         hash {theirs}…, the dataset's {ours}…): it is no part of this study, and no sweep of it lists it; remove \
         {0}/runs/{run} and {0}/events/{run}, or `aisle verify --repair {0}` simulates it again from this version",
        dir.display()
    )]
    UnlistedOtherVersion { dir: PathBuf, run: String, theirs: String, ours: String },
}

/// What is wrong with one run of a dataset: each names the file at fault.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum Damage {
    #[error("{}: not a readable run record: {message}", path.display())]
    RecordUnreadable { path: PathBuf, message: String },
    #[error("{}: run record was edited or damaged (its content no longer matches its record_sha256)", path.display())]
    RecordEdited { path: PathBuf },
    #[error("{}: run record has no record_sha256 (made by an older aisle), so it cannot be checked", path.display())]
    RecordUnsealed { path: PathBuf },
    #[error("{}: run record is for variant `{variant}`, seed {seed}, not the run its directory names", path.display())]
    RecordMisplaced { path: PathBuf, variant: String, seed: u64 },
    #[error(
        "{}: run record differs from the manifest's copy of it: one of the two was edited, or the manifest is \
         stale (`aisle verify` replays the log to tell which)",
        path.display()
    )]
    RecordDiffers { path: PathBuf },
    #[error("{}: event log is missing", path.display())]
    LogMissing { path: PathBuf },
    #[error("{}: event log is not readable: {message}", path.display())]
    LogUnreadable { path: PathBuf, message: String },
    #[error("{}: event log does not match its record's checksum (sha256 {found}…, recorded {expected}…)", path.display())]
    LogChecksum { path: PathBuf, expected: String, found: String },
    #[error("{}: event log holds {found} rows, its record says {expected}", path.display())]
    LogRows { path: PathBuf, expected: u64, found: u64 },
    #[error("{}: event log is {found} bytes, its record says {expected}", path.display())]
    LogSize { path: PathBuf, expected: u64, found: u64 },
    #[error("{}: event log metadata `{key}` is `{found}`, expected `{expected}`", path.display())]
    LogMeta { path: PathBuf, key: &'static str, expected: String, found: String },
    #[error("{}: event log has no run record", path.display())]
    LogUnrecorded { path: PathBuf },
    #[error(
        "{}: run record says {metric} = {recorded}, but its log replays to {replayed} ({})",
        path.display(),
        match made_by {
            None => "the record was edited and sealed again".to_owned(),
            Some(build) => format!(
                "the record was made by aisle {build}, whose {metric} may be defined otherwise, or was edited and \
                 sealed again; `aisle verify --repair` simulates the run again with this build"
            ),
        }
    )]
    RecordFigures { path: PathBuf, metric: String, recorded: f64, replayed: f64, made_by: Option<Box<str>> },
    #[error(
        "{}: run record lacks {metric}, which its log replays to and this build records (the record was edited and \
         sealed again)",
        path.display()
    )]
    RecordLacksFigure { path: PathBuf, metric: String },
    /// `units`: (recorded, replayed), boxed to keep every damage small.
    #[error(
        "{}: run record gives {metric} in `{}`, but it is in `{}` (the record was edited and sealed again)",
        path.display(), units.0, units.1
    )]
    RecordUnit { path: PathBuf, metric: String, units: Box<(String, String)> },
}

impl Damage {
    /// What `aisle verify --repair` does about it: a run damaged is
    /// simulated again; a record and the manifest's copy of it that differ
    /// are told apart by replaying the log, and whichever is wrong is made
    /// again.
    pub fn mended(&self) -> &'static str {
        match self {
            Damage::RecordDiffers { .. } => "mends whichever it is",
            _ => "simulates the run again",
        }
    }
}
