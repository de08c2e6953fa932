//! The dataset on disk: hive-partitioned event logs plus `manifest.json`,
//! which is written last and atomically, so a killed run never leaves a
//! log that looks complete.
//!
//! ```text
//! <dir>/manifest.json
//! <dir>/scenario.toml                      (the scenario file, verbatim)
//! <dir>/metrics/metrics.parquet
//! <dir>/events/variant=<v>/seed=<s>/part-0.parquet
//! ```

use std::fs::File;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::metrics_table::{self, MetricRow};
use crate::scenario::ScenarioFile;

/// Where the per-run metric table lives inside a dataset.
pub const METRICS_TABLE: &str = "metrics/metrics.parquet";

pub const MANIFEST: &str = "manifest.json";
/// The scenario file the dataset was made from, copied in verbatim.
pub const SCENARIO_COPY: &str = "scenario.toml";
pub const FORMAT: &str = "aisle-dataset";

#[derive(Debug, thiserror::Error)]
pub enum DatasetError {
    #[error("{}: {source}", path.display())]
    Io { path: PathBuf, source: std::io::Error },
    #[error("{}: not a readable aisle manifest: {message}", path.display())]
    BadManifest { path: PathBuf, message: String },
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
}

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
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MetricValue {
    pub name: String,
    pub unit: String,
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

/// Relative path of a run's record, written beside its log once the log is
/// in place. Records, not the manifest, are the truth: shards running on
/// other machines each write only their own, and the manifest and the
/// metrics table are rebuilt from whatever records are present.
pub fn record_path(variant: &str, seed: u64) -> String {
    format!("events/variant={variant}/seed={seed}/run.json")
}

/// Whether to keep or discard runs of an older version of the scenario.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OnScenarioChange {
    Refuse,
    Replace,
}

pub struct Dataset {
    pub dir: PathBuf,
    pub manifest: Manifest,
}

impl Dataset {
    /// Opens the dataset in `dir` for `scenario`, creating it if absent.
    /// Opens the dataset in `dir` for the scenario `file`, creating it if
    /// absent; the dataset keeps a copy of the scenario file it was made from.
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
        let manifest = match Self::read_manifest(dir)? {
            Some(old) if old.scenario_sha256 != sha256 => match on_change {
                OnScenarioChange::Refuse if old.scenario != scenario => {
                    return Err(DatasetError::OtherScenario {
                        dir: dir.to_owned(),
                        found: old.scenario,
                        wanted: scenario.to_owned(),
                    });
                }
                OnScenarioChange::Refuse => {
                    return Err(DatasetError::ScenarioChanged {
                        dir: dir.to_owned(),
                        scenario: old.scenario,
                        old: old.scenario_sha256[..12.min(old.scenario_sha256.len())].into(),
                        new: sha256[..12.min(sha256.len())].into(),
                    });
                }
                OnScenarioChange::Replace => {
                    for derived in ["events", "metrics", "report"] {
                        let path = dir.join(derived);
                        if path.exists() {
                            std::fs::remove_dir_all(&path).map_err(|source| DatasetError::Io { path, source })?;
                        }
                    }
                    fresh
                }
            },
            Some(old) => Manifest { runs: old.runs, ..fresh },
            None => fresh,
        };
        std::fs::create_dir_all(dir).map_err(|source| DatasetError::Io { path: dir.to_owned(), source })?;
        let copy = dir.join(SCENARIO_COPY);
        if std::fs::read(&copy).ok().as_deref() != Some(file.source.as_bytes()) {
            write_atomic(&copy, file.source.as_bytes()).map_err(|source| DatasetError::Io { path: copy, source })?;
        }
        Ok(Dataset { dir: dir.to_owned(), manifest })
    }

    /// Reads `dir/manifest.json`; `None` when there is none.
    pub fn read_manifest(dir: &Path) -> Result<Option<Manifest>, DatasetError> {
        let path = dir.join(MANIFEST);
        let text = match std::fs::read_to_string(&path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(source) => return Err(DatasetError::Io { path, source }),
        };
        let m: Manifest = serde_json::from_str(&text)
            .map_err(|e| DatasetError::BadManifest { path: path.clone(), message: e.to_string() })?;
        if m.format != FORMAT {
            return Err(DatasetError::BadManifest {
                path,
                message: format!("format is `{}`, expected `{FORMAT}`", m.format),
            });
        }
        Ok(Some(m))
    }

    /// Records a finished run: its record beside the log, then the manifest
    /// and the metrics table rebuilt from every record present.
    pub fn record(&mut self, run: RunRecord) -> Result<(), DatasetError> {
        let path = self.dir.join(record_path(&run.variant, run.seed));
        let json = serde_json::to_string_pretty(&run).expect("record serialises");
        write_atomic(&path, json.as_bytes()).map_err(|source| DatasetError::Io { path, source })?;
        self.refresh()
    }

    /// Rebuilds `manifest.json` and `metrics/metrics.parquet` from the run
    /// records on disk (including those written by other shards).
    pub fn refresh(&mut self) -> Result<(), DatasetError> {
        self.manifest.runs = self.read_records()?;
        let rows = self
            .manifest
            .runs
            .iter()
            .flat_map(|r| {
                r.metrics.iter().map(|m| MetricRow {
                    variant: r.variant.clone(),
                    seed: r.seed,
                    metric: m.name.clone(),
                    unit: m.unit.clone(),
                    value: m.value,
                })
            })
            .collect();
        let table = self.dir.join(METRICS_TABLE);
        metrics_table::write(&table, rows)
            .map_err(|e| DatasetError::Io { path: table, source: std::io::Error::other(e.to_string()) })?;
        let path = self.dir.join(MANIFEST);
        let json = serde_json::to_string_pretty(&self.manifest).expect("manifest serialises");
        write_atomic(&path, json.as_bytes()).map_err(|source| DatasetError::Io { path, source })
    }

    fn read_records(&self) -> Result<Vec<RunRecord>, DatasetError> {
        let mut runs = Vec::new();
        let events = self.dir.join("events");
        let io = |path: &Path| {
            let path = path.to_owned();
            move |source| DatasetError::Io { path, source }
        };
        let Ok(variants) = std::fs::read_dir(&events) else { return Ok(runs) };
        for v in variants {
            let v = v.map_err(io(&events))?.path();
            let Ok(seeds) = std::fs::read_dir(&v) else { continue };
            for seed in seeds {
                let record = seed.map_err(io(&v))?.path().join("run.json");
                let text = match std::fs::read_to_string(&record) {
                    Ok(t) => t,
                    Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
                    Err(source) => return Err(DatasetError::Io { path: record, source }),
                };
                let run: RunRecord = serde_json::from_str(&text)
                    .map_err(|e| DatasetError::BadManifest { path: record.clone(), message: e.to_string() })?;
                runs.push(run);
            }
        }
        runs.sort_by(|a, b| (&a.variant, a.seed).cmp(&(&b.variant, b.seed)));
        Ok(runs)
    }

    /// The run's record if its log is present and matches its checksum:
    /// such a run need not be simulated again.
    pub fn verified(&self, variant: &str, seed: u64) -> Option<RunRecord> {
        let text = std::fs::read_to_string(self.dir.join(record_path(variant, seed))).ok()?;
        let run: RunRecord = serde_json::from_str(&text).ok()?;
        let sha = file_sha256(&self.dir.join(&run.path)).ok()?;
        (sha == run.sha256 && run.aisle_version == crate::VERSION).then_some(run)
    }
}

/// Where a file is written before it is renamed to `path`.
pub fn atomic_temp_path(path: &Path) -> PathBuf {
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    // Unique per process and per call, so concurrent writers never share one.
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    path.with_file_name(format!(".{name}.tmp-{}-{n}", std::process::id()))
}

/// Syncs `file` (written at `tmp`) and renames it to `path`, then syncs the directory.
pub fn sync_and_rename(file: File, tmp: &Path, path: &Path) -> std::io::Result<()> {
    file.sync_all()?;
    drop(file);
    std::fs::rename(tmp, path)?;
    if let Some(dir) = path.parent() {
        // Make the rename itself durable.
        if let Ok(d) = File::open(dir) {
            let _ = d.sync_all();
        }
    }
    Ok(())
}

/// Writes `bytes` to `path` atomically (temporary file, fsync, rename).
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let tmp = atomic_temp_path(path);
    let mut file = File::create(&tmp)?;
    file.write_all(bytes)?;
    sync_and_rename(file, &tmp, path)
}

/// SHA-256 of a file's contents, hex.
pub fn file_sha256(path: &Path) -> std::io::Result<String> {
    let mut file = File::open(path)?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 1 << 16];
    loop {
        let n = file.read(&mut buf)?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
    }
    Ok(crate::scenario::hex(&hasher.finalize()))
}
