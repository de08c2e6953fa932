//! The dataset on disk: hive-partitioned event logs plus `manifest.json`,
//! which is written last and atomically, so a killed run never leaves a
//! log that looks complete.
//!
//! ```text
//! <dir>/manifest.json
//! <dir>/scenario.toml                      (the scenario file, verbatim)
//! <dir>/metrics/metrics.parquet
//! <dir>/events/variant=<v>/seed=<s>/part-0.parquet
//! <dir>/runs/variant=<v>/seed=<s>/run.json (the run's record)
//! <dir>/.lock, <dir>/.writers.lock         (advisory locks of writers)
//! ```
//!
//! `events/` holds nothing but Parquet files, so every Parquet reader takes
//! it as one dataset. A dataset holds one version of one scenario: every
//! log names the scenario file's hash it was made from, and writers of
//! another version are refused while the dataset holds runs.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

mod destination;
mod error;
mod lock;
mod lost_manifest;
mod nan_as_null;
mod partitions;

use super::fs::{file_sha256, short_sha256, write_atomic};
use super::metrics_table::{self, MetricRow};
use crate::scenario::ScenarioFile;
use destination::Destination;
pub use error::{Damage, DatasetError};
use lock::{Alone, remove_leftovers};
pub use lock::{Probe, WriterLock, leftovers, lock_held, writers_at_work};
pub use partitions::{has_old_layout, partition_key, partitions, records_on_disk, unlisted_records_hint};

/// Where the per-run metric table lives inside a dataset.
pub const METRICS_TABLE: &str = "metrics/metrics.parquet";

pub const MANIFEST: &str = "manifest.json";
/// The HTML report and its figures (`aisle report`).
pub const REPORT: &str = "report";
/// The last comparison's figures (`aisle compare`).
pub const COMPARISON: &str = "compare/comparison.json";
/// Published releases, one directory each (`aisle publish`).
pub const RELEASES: &str = "releases";
/// The folders made from the runs: a scenario's new version discards
/// them, and an interrupted writer's temporaries are looked for in them.
pub const DERIVED_FOLDERS: [&str; 5] = ["events", RUNS, "metrics", REPORT, "compare"];
/// Every folder a dataset keeps: its releases and privacy curves too.
pub const FOLDERS: [&str; 7] = ["events", RUNS, "metrics", REPORT, "compare", RELEASES, "privacy"];
/// Privacy–utility curves (`aisle publish --evaluate`); exact data, never published.
pub const PRIVACY_EVALUATION: &str = "privacy/evaluation";

/// Where a scenario's dataset goes when no directory is named.
pub fn default_dir(scenario: &str) -> PathBuf {
    PathBuf::from("output").join(scenario)
}
/// The scenario file the dataset was made from, copied in verbatim.
pub const SCENARIO_COPY: &str = "scenario.toml";
pub const FORMAT: &str = "aisle-dataset";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    pub format: String,
    pub schema_version: u32,
    pub aisle_version: String,
    pub scenario: String,
    pub scenario_sha256: String,
    /// Every variant of the scenario, baseline first.
    pub variants: Vec<String>,
    pub runs: Vec<RunRecord>,
}

impl Manifest {
    /// Its variants that have runs listed, in its order.
    pub fn variants_with_runs(&self) -> impl Iterator<Item = &String> {
        self.variants.iter().filter(|v| self.runs.iter().any(|r| &r.variant == *v))
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RunRecord {
    pub variant: String,
    pub seed: u64,
    pub status: RunStatus,
    /// Relative to the dataset directory.
    pub path: String,
    pub rows: u64,
    pub bytes: u64,
    pub sha256: String,
    pub visitors: u64,
    pub transactions: u64,
    pub revenue_cents: i64,
    /// The aisle that made the run: another version's run is simulated again.
    #[serde(default)]
    pub aisle_version: String,
    /// The run's named figures, as in `metrics/metrics.parquet`.
    #[serde(default)]
    pub metrics: Vec<MetricValue>,
    /// The scenario file's hash the run was made from (as in its log).
    #[serde(default)]
    pub scenario_sha256: String,
    /// The look of a sequential study (2, 3, …) the run was simulated for,
    /// asked for by the figures of the looks before; none when its seed was
    /// planned before any figure was seen. How many seeds a study went on
    /// to tells of its figures, so a private release leaves such runs out.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub added_at_look: Option<u32>,
    /// With `added_at_look`: the looks that study planned. Its guarantee
    /// holds at 0.05 ÷ these, so every comparison of the run's day is held
    /// to that level (`compare::Design::compare`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub planned_looks: Option<u32>,
    /// SHA-256 over the record's own content (this field empty), which
    /// includes its log's checksum: an edited figure is detected (one
    /// sealed again, only by `aisle verify`, which replays the log).
    #[serde(default)]
    pub record_sha256: String,
}

impl RunRecord {
    /// The run's figure `name`, if it has one.
    pub fn metric(&self, name: &str) -> Option<f64> {
        self.metrics.iter().find(|m| m.name == name).map(|m| m.value)
    }

    /// The hash `record_sha256` must hold.
    pub fn content_sha256(&self) -> String {
        let bare = RunRecord { record_sha256: String::new(), ..self.clone() };
        let json = serde_json::to_vec(&bare).expect("record serialises");
        crate::scenario::hex(&Sha256::digest(&json))
    }

    /// Whether `self` and `other` are the same sealed record (by content
    /// hash, as a figure may be NaN, which equals nothing).
    pub fn same_as(&self, other: &RunRecord) -> bool {
        self.record_sha256 == other.record_sha256
            && self.content_sha256() == self.record_sha256
            && other.content_sha256() == other.record_sha256
    }

    /// The record with its content hash filled in.
    pub fn sealed(self) -> RunRecord {
        RunRecord { record_sha256: self.content_sha256(), ..self }
    }

    /// The run simulated again keeps the sequential look's mark of its
    /// `earlier` record, if it has none of its own: a release leaves it
    /// out, and a comparison holds it to that study's level.
    pub fn keeping_look_of(self, earlier: Option<&RunRecord>) -> RunRecord {
        match earlier {
            Some(e) if self.added_at_look.is_none() => {
                RunRecord { added_at_look: e.added_at_look, planned_looks: e.planned_looks, ..self }
            }
            _ => self,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MetricValue {
    pub name: String,
    pub unit: String,
    /// NaN (a figure undefined that day) is `null` in JSON, which has no NaN.
    #[serde(with = "nan_as_null")]
    pub value: f64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RunStatus {
    Complete,
}

/// Relative path of a run's event log inside a dataset.
pub fn events_path(variant: &str, seed: u64) -> String {
    format!("events/variant={variant}/seed={seed}/part-0.parquet")
}

/// Relative path of a run's record, written once its log is in place.
/// Records, not the manifest, are the truth: shards running on other
/// machines each write only their own, and the manifest and the metrics
/// table are rebuilt from whatever verified records are present. They live
/// outside `events/`, so that directory holds only Parquet files.
pub fn record_path(variant: &str, seed: u64) -> String {
    format!("{RUNS}/variant={variant}/seed={seed}/run.json")
}

/// Where run records live inside a dataset.
pub const RUNS: &str = "runs";
/// Where an older aisle kept each run's record, inside `events/`.
const OLD_RECORD: &str = "run.json";

/// Whether to keep or discard runs of an older version of the scenario.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OnScenarioChange {
    Refuse,
    Replace,
}

pub struct Dataset {
    pub dir: PathBuf,
    pub manifest: Manifest,
    /// Records found damaged at the last refresh (left out of the manifest).
    pub damaged: Vec<Damage>,
    /// Content hashes of records already verified by this process.
    trusted: HashSet<String>,
    /// Runs of another scenario version `--replace` discarded on opening.
    pub discarded: usize,
    /// Runs the manifest listed on opening whose record and log were both
    /// gone (deleted by hand): the manifest rebuilt from the records lists
    /// them no more, so the opener says which.
    pub forgotten: Vec<RunRecord>,
    /// The runs a sequential study's look added, as the manifest listed
    /// them when the dataset was opened: one whose record and log were
    /// lost since is simulated again with its mark (`keeping_marks`).
    marked: Vec<RunRecord>,
    _lock: WriterLock,
}

impl Dataset {
    /// Opens the dataset in `dir` for the scenario `file`, creating it if
    /// absent; the dataset keeps a copy of the scenario file it was made
    /// from. Holds the dataset's writer lock until dropped.
    pub fn open_for(dir: &Path, file: &ScenarioFile, on_change: OnScenarioChange) -> Result<Dataset, DatasetError> {
        let (scenario, sha256) = (file.raw.scenario.name.as_str(), file.sha256.as_str());
        let variants = file.variant_ids();
        let fresh = Manifest {
            format: FORMAT.into(),
            schema_version: super::parquet::SCHEMA_VERSION,
            aisle_version: crate::VERSION.into(),
            scenario: scenario.into(),
            scenario_sha256: sha256.into(),
            variants,
            runs: Vec::new(),
        };
        if dir.exists() && !dir.is_dir() {
            return Err(DatasetError::NotADirectory { dir: dir.to_owned() });
        }
        // Before any lock file is left among a user's files.
        let destination = Destination::check(dir, &file.source)?;
        // A directory that cannot be made or written is the caller's to change.
        let unwritable = |source: std::io::Error| match source.kind() {
            std::io::ErrorKind::PermissionDenied
            | std::io::ErrorKind::ReadOnlyFilesystem
            | std::io::ErrorKind::NotADirectory
            | std::io::ErrorKind::NotFound => DatasetError::Unwritable { dir: dir.to_owned(), source },
            _ => DatasetError::Io { path: dir.to_owned(), source },
        };
        std::fs::create_dir_all(dir).map_err(unwritable)?;
        // Checking the version and claiming the manifest happen under the
        // gate, so two writers of different versions cannot both pass.
        let _gate = WriterLock::gate(dir).map_err(|e| match e {
            DatasetError::Io { source, .. } => unwritable(source),
            e => e,
        })?;
        // Again under the gate: a writer that came first, at once, has
        // made its manifest by now.
        destination.check_again()?;
        let old = Self::read_manifest(dir)?.or_else(|| {
            let (name, old_sha) = lost_manifest::other_version_on_disk(dir, sha256)?;
            let scenario = if name.is_empty() { scenario.to_owned() } else { name };
            Some(Manifest { scenario, scenario_sha256: old_sha, ..fresh.clone() })
        });
        let discard = match &old {
            Some(old) if old.scenario_sha256 != sha256 => match on_change {
                OnScenarioChange::Refuse if old.scenario != scenario => {
                    return Err(DatasetError::OtherScenario {
                        dir: dir.to_owned(),
                        found: old.scenario.clone(),
                        wanted: scenario.to_owned(),
                    });
                }
                OnScenarioChange::Refuse => {
                    return Err(DatasetError::ScenarioChanged {
                        dir: dir.to_owned(),
                        scenario: old.scenario.clone(),
                        old: short_sha256(&old.scenario_sha256).into(),
                        new: short_sha256(sha256).into(),
                    });
                }
                OnScenarioChange::Replace => true,
            },
            _ if has_old_layout(dir) => match on_change {
                OnScenarioChange::Refuse => return Err(DatasetError::OldLayout { dir: dir.to_owned() }),
                OnScenarioChange::Replace => true,
            },
            _ => false,
        };
        let mut discarded = 0;
        match WriterLock::alone(dir)? {
            Alone::Yes(_exclusive) => {
                // No other writer: every temporary file is a leftover.
                remove_leftovers(dir)?;
                if discard {
                    discarded = records_on_disk(dir);
                    for derived in DERIVED_FOLDERS {
                        let path = dir.join(derived);
                        if path.exists() {
                            std::fs::remove_dir_all(&path).map_err(|source| DatasetError::Io { path, source })?;
                        }
                    }
                }
            }
            Alone::No if discard => {
                let scenario = old.map(|m| m.scenario).unwrap_or_default();
                return Err(DatasetError::Busy { dir: dir.to_owned(), scenario });
            }
            Alone::No => {}
        }
        let lock = WriterLock::join(dir)?;
        let manifest = match old {
            Some(old) if !discard => Manifest { runs: old.runs, ..fresh },
            _ => fresh,
        };
        let marked = manifest.runs.iter().filter(|r| r.added_at_look.is_some()).cloned().collect();
        let forgotten = manifest
            .runs
            .iter()
            .filter(|r| {
                !dir.join(record_path(&r.variant, r.seed)).exists()
                    && !dir.join(events_path(&r.variant, r.seed)).exists()
            })
            .cloned()
            .collect();
        let copy = dir.join(SCENARIO_COPY);
        if std::fs::read(&copy).ok().as_deref() != Some(file.source.as_bytes()) {
            write_atomic(&copy, file.source.as_bytes()).map_err(|source| DatasetError::Io { path: copy, source })?;
        }
        let mut dataset = Dataset {
            dir: dir.to_owned(),
            manifest,
            damaged: Vec::new(),
            trusted: HashSet::new(),
            discarded,
            forgotten,
            marked,
            _lock: lock,
        };
        // The manifest names this version from now on: the claim.
        dataset.rebuild()?;
        Ok(dataset)
    }

    /// That `dir` is a directory that exists, as a dataset to read must be,
    /// and that none of its folders is a file: every command would fail
    /// there, some only after simulating, and `verify` would pass over a
    /// file in the place of `report/`.
    pub fn existing_directory(dir: &Path) -> Result<(), DatasetError> {
        if !dir.exists() {
            return Err(DatasetError::NoSuchDirectory { dir: dir.to_owned() });
        }
        if !dir.is_dir() {
            return Err(DatasetError::NotADirectory { dir: dir.to_owned() });
        }
        match FOLDERS.iter().map(|f| dir.join(f)).find(|p| p.exists() && !p.is_dir()) {
            Some(path) => Err(DatasetError::FileForFolder { path }),
            None => Ok(()),
        }
    }

    /// Reads `dir/manifest.json`; `None` when there is none.
    pub fn read_manifest(dir: &Path) -> Result<Option<Manifest>, DatasetError> {
        Dataset::existing_directory(dir)?;
        let path = dir.join(MANIFEST);
        let text = match std::fs::read_to_string(&path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(source) => return Err(DatasetError::Io { path, source }),
        };
        let m: Manifest = serde_json::from_str(&text).map_err(|e| DatasetError::BadManifest {
            path: path.clone(),
            message: format!("{e}; `aisle verify --repair {}` makes it again from the run records", dir.display()),
        })?;
        if m.format != FORMAT {
            return Err(DatasetError::BadManifest {
                path,
                message: format!("format is `{}`, expected `{FORMAT}`", m.format),
            });
        }
        Ok(Some(m))
    }

    /// Removes `dir/manifest.json` where it does not read as a manifest at
    /// all (not JSON, cut short, an invalid id): the run records are the
    /// truth, and `open_for` makes it again from them. One of another
    /// format stays.
    pub fn remove_unreadable_manifest(dir: &Path) -> Result<(), DatasetError> {
        let path = dir.join(MANIFEST);
        match std::fs::read_to_string(&path) {
            Ok(text) if serde_json::from_str::<Manifest>(&text).is_err() => {
                std::fs::remove_file(&path).map_err(|source| DatasetError::Io { path, source })
            }
            _ => Ok(()),
        }
    }

    /// Reads `dir/manifest.json` and checks, before any number is used, the
    /// scenario copy against it and every run it lists against its log
    /// (`check_run`); the first failure names its file. `None` when there
    /// is no manifest.
    pub fn read_verified(dir: &Path) -> Result<Option<Manifest>, DatasetError> {
        let Some(manifest) = Self::read_manifest(dir)? else { return Ok(None) };
        // Variant ids name the files a report writes: an edited manifest must not steer them.
        let ids = manifest.variants.iter().chain(manifest.runs.iter().map(|r| &r.variant));
        if let Some(bad) =
            ids.filter(|v| *v != crate::scenario::BASELINE).find(|v| crate::scenario::path_id_problem(v).is_some())
        {
            return Err(DatasetError::BadManifest {
                path: dir.join(MANIFEST),
                message: format!("variant id `{}` is not a valid id", crate::scenario::shown_id(bad)),
            });
        }
        if has_old_layout(dir) {
            return Err(DatasetError::OldLayout { dir: dir.to_owned() });
        }
        let copy = dir.join(SCENARIO_COPY);
        let sha = file_sha256(&copy).map_err(|source| match source.kind() {
            std::io::ErrorKind::NotFound => DatasetError::ScenarioCopyMissing { path: copy.clone() },
            _ => DatasetError::Io { path: copy.clone(), source },
        })?;
        if sha != manifest.scenario_sha256 {
            return Err(DatasetError::ScenarioCopyChanged { path: copy });
        }
        // (A copy that does not parse is said so by whoever builds from it.)
        if let Ok(file) = ScenarioFile::read(&copy)
            && let Some((field, found, made)) = Self::header_differences(&manifest, &file).into_iter().next()
        {
            return Err(DatasetError::ManifestHeader { dir: dir.to_owned(), field, found, made });
        }
        // Every log is read and hashed, on every core; the first damage in
        // the manifest's order is the one reported.
        let checks: Vec<Result<(), Damage>> = manifest
            .runs
            .par_iter()
            .map(|listed| {
                // The record on disk is the truth; the manifest only lists it.
                let path = dir.join(record_path(&listed.variant, listed.seed));
                let run = read_record(&path, &listed.variant, listed.seed)?;
                check_run(dir, &manifest.scenario_sha256, &run)?;
                if run.same_as(listed) { Ok(()) } else { Err(Damage::RecordDiffers { path }) }
            })
            .collect();
        for checked in checks {
            checked.map_err(|damage| DatasetError::Damaged { dir: dir.to_owned(), damage })?;
        }
        Ok(Some(manifest))
    }

    /// Where the manifest's header is not what the scenario copy `file`
    /// makes it, as (field, what it is, what the copy makes it): its
    /// scenario's name and every variant the copy defines. A variant left
    /// out of `variants` drops out of every report and release without a
    /// word.
    pub fn header_differences(manifest: &Manifest, file: &ScenarioFile) -> Vec<(&'static str, String, String)> {
        let mut found = Vec::new();
        if manifest.scenario != file.raw.scenario.name {
            found.push(("scenario", format!("`{}`", manifest.scenario), format!("`{}`", file.raw.scenario.name)));
        }
        let variants = file.variant_ids();
        if manifest.variants != variants {
            let listed = |ids: &[String]| format!("[{}]", ids.join(", "));
            found.push(("variants", listed(&manifest.variants), listed(&variants)));
        }
        found
    }

    /// The manifest, verified (`read_verified`), if it lists every run
    /// record on disk (`check_listed`): what a release counts.
    pub fn read_whole(dir: &Path) -> Result<Option<Manifest>, DatasetError> {
        let Some(manifest) = Self::read_verified(dir)? else { return Ok(None) };
        Self::check_listed(dir, &manifest)?;
        Ok(Some(manifest))
    }

    /// Records a finished run: its record, then the manifest and the
    /// metrics table rebuilt from every verified record present. A sweep
    /// uses `add` instead and refreshes once at its end.
    pub fn record(&mut self, run: RunRecord) -> Result<(), DatasetError> {
        self.add(run)?;
        self.refresh()
    }

    /// Records a finished run, its record only: the manifest and the
    /// metrics table are left as they are until the next `refresh` (at the
    /// end of a sweep, or when the next writer opens the dataset), so each
    /// run costs the same however many the dataset holds.
    pub fn add(&mut self, run: RunRecord) -> Result<(), DatasetError> {
        let run = write_record(&self.dir, self.keeping_marks(run))?;
        self.trust(&run);
        Ok(())
    }

    /// `run`, simulated again, with the sequential look's mark it had
    /// (`RunRecord::keeping_look_of`): its own as the manifest listed it,
    /// else that of any run of its seed a look added (a look adds a seed
    /// for every variant). Its record may be gone.
    pub fn keeping_marks(&self, run: RunRecord) -> RunRecord {
        let listed = || self.marked.iter().chain(&self.manifest.runs).filter(|r| r.seed == run.seed);
        let look = listed()
            .find(|r| r.variant == run.variant && r.added_at_look.is_some())
            .or_else(|| listed().find(|r| r.added_at_look.is_some()))
            .cloned();
        run.keeping_look_of(look.as_ref())
    }

    /// Notes that `run` (written by `write_record`) needs no check at the next refresh.
    pub fn trust(&mut self, run: &RunRecord) {
        self.trusted.insert(run.record_sha256.clone());
    }

    /// Rebuilds `manifest.json` and `metrics/metrics.parquet` from the run
    /// records on disk (including those written by other shards) whose
    /// logs verify; the others are left out and listed in `damaged`.
    pub fn refresh(&mut self) -> Result<(), DatasetError> {
        // One rebuild at a time: the last one sees every record written
        // before it, so a slower shard cannot put back a manifest that
        // lacks a faster one's runs.
        let _gate = WriterLock::gate(&self.dir)?;
        self.rebuild()
    }

    /// `refresh` with the gate already held.
    fn rebuild(&mut self) -> Result<(), DatasetError> {
        let mut runs = Vec::new();
        self.damaged.clear();
        for found in read_records(&self.dir)? {
            let checked = found.and_then(|run| {
                // A record checked or written by this process needs only its own hash checked again.
                let known = self.trusted.contains(&run.record_sha256) && run.content_sha256() == run.record_sha256;
                if !known {
                    check_run(&self.dir, &self.manifest.scenario_sha256, &run)?;
                    self.trusted.insert(run.record_sha256.clone());
                }
                Ok(run)
            });
            match checked {
                Ok(run) => runs.push(run),
                Err(damage) => self.damaged.push(damage),
            }
        }
        self.manifest.runs = runs;
        let rows = metric_rows(&self.manifest.runs);
        let table = self.dir.join(METRICS_TABLE);
        metrics_table::write(&table, rows)
            .map_err(|e| DatasetError::Io { path: table, source: std::io::Error::other(e.to_string()) })?;
        let path = self.dir.join(MANIFEST);
        let json = serde_json::to_string_pretty(&self.manifest).expect("manifest serialises");
        write_atomic(&path, json.as_bytes()).map_err(|source| DatasetError::Io { path, source })
    }

    /// The run's record if its log verifies and this very build made it
    /// from this version of the scenario: such a run need not be simulated
    /// again.
    pub fn verified(&mut self, variant: &str, seed: u64) -> Option<RunRecord> {
        let path = self.dir.join(record_path(variant, seed));
        let run = read_record(&path, variant, seed).ok()?;
        // A record this process has checked (when it opened the dataset) or
        // written is not checked again, provided its content still matches
        // its hash: a resumed sweep reads each log once, not twice.
        let known = self.trusted.contains(&run.record_sha256) && run.content_sha256() == run.record_sha256;
        if !known {
            check_run(&self.dir, &self.manifest.scenario_sha256, &run).ok()?;
            self.trusted.insert(run.record_sha256.clone());
        }
        (run.aisle_version == crate::VERSION).then_some(run)
    }
}

/// Writes a finished run's record (sealed) to `runs/variant=…/seed=…/run.json`
/// under `dir`, atomically, and returns it. Needs no `Dataset`, so a sweep's
/// threads write their records side by side; the manifest is rebuilt from
/// them later.
pub fn write_record(dir: &Path, run: RunRecord) -> Result<RunRecord, DatasetError> {
    let path = dir.join(record_path(&run.variant, run.seed));
    // A run simulated again (`aisle run`, a damaged record's sweep) stays
    // one a sequential look added: a release leaves it out.
    let earlier = std::fs::read_to_string(&path).ok().and_then(|text| serde_json::from_str::<RunRecord>(&text).ok());
    let run = run.keeping_look_of(earlier.as_ref()).sealed();
    let json = serde_json::to_string_pretty(&run).expect("record serialises");
    write_atomic(&path, json.as_bytes()).map_err(|source| DatasetError::Io { path, source })?;
    Ok(run)
}

/// The metrics table's rows: every figure of every run.
pub fn metric_rows(runs: &[RunRecord]) -> Vec<MetricRow> {
    runs.iter()
        .flat_map(|r| {
            r.metrics.iter().map(|m| MetricRow {
                variant: r.variant.clone(),
                seed: r.seed,
                metric: m.name.clone(),
                unit: m.unit.clone(),
                value: m.value,
            })
        })
        .collect()
}

/// Every run record under `dir/runs`, sorted; an unreadable or misplaced one as its damage.
pub fn read_records(dir: &Path) -> Result<Vec<Result<RunRecord, Damage>>, DatasetError> {
    let mut out = Vec::new();
    for partition in partitions(&dir.join(RUNS)) {
        let path = partition.join("run.json");
        if !path.exists() {
            continue;
        }
        let Some((variant, seed)) = partition_key(&partition) else { continue };
        out.push(read_record(&path, &variant, seed));
    }
    Ok(out)
}

/// Reads the record at `path`, which must be the run (variant, seed)'s.
pub fn read_record(path: &Path, variant: &str, seed: u64) -> Result<RunRecord, Damage> {
    let unreadable = |message: String| Damage::RecordUnreadable { path: path.to_owned(), message };
    let text = std::fs::read_to_string(path).map_err(|e| unreadable(e.to_string()))?;
    let run: RunRecord = serde_json::from_str(&text).map_err(|e| unreadable(e.to_string()))?;
    if run.variant != variant || run.seed != seed {
        return Err(Damage::RecordMisplaced { path: path.to_owned(), variant: run.variant, seed: run.seed });
    }
    Ok(run)
}

/// Checks a run against its log before any number of it is used: the
/// record's own hash, then the log's checksum, row count, and the variant,
/// seed, scenario version and build its metadata names.
pub fn check_run(dir: &Path, scenario_sha256: &str, run: &RunRecord) -> Result<(), Damage> {
    let record = dir.join(record_path(&run.variant, run.seed));
    if run.record_sha256.is_empty() {
        return Err(Damage::RecordUnsealed { path: record });
    }
    if run.record_sha256 != run.content_sha256() {
        return Err(Damage::RecordEdited { path: record });
    }
    let path = dir.join(events_path(&run.variant, run.seed));
    let found = match file_sha256(&path) {
        Ok(sha) => sha,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Err(Damage::LogMissing { path }),
        Err(e) => return Err(Damage::LogUnreadable { path, message: e.to_string() }),
    };
    if found != run.sha256 {
        let (expected, found) = (short_sha256(&run.sha256).into(), short_sha256(&found).into());
        return Err(Damage::LogChecksum { path, expected, found });
    }
    let size = std::fs::metadata(&path)
        .map_err(|e| Damage::LogUnreadable { path: path.clone(), message: e.to_string() })?
        .len();
    if size != run.bytes {
        return Err(Damage::LogSize { path, expected: run.bytes, found: size });
    }
    let (meta, rows) = super::parquet::read_footer(&path)
        .map_err(|e| Damage::LogUnreadable { path: path.clone(), message: e.to_string() })?;
    if rows != run.rows {
        return Err(Damage::LogRows { path, expected: run.rows, found: rows });
    }
    let fields: [(&'static str, String, String); 5] = [
        ("aisle.variant", run.variant.clone(), meta.variant),
        ("aisle.seed", run.seed.to_string(), meta.seed.to_string()),
        ("aisle.scenario_sha256", scenario_sha256.to_owned(), meta.scenario_sha256.clone()),
        ("aisle.scenario_sha256", run.scenario_sha256.clone(), meta.scenario_sha256),
        ("aisle.version", run.aisle_version.clone(), meta.aisle_version),
    ];
    for (key, expected, found) in fields {
        if expected != found {
            return Err(Damage::LogMeta { path, key, expected, found });
        }
    }
    Ok(())
}
