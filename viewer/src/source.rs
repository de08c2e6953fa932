//! Where a day comes from: a run in a dataset (verified against its record
//! before use), a bare log with its scenario file, or a scenario simulated
//! live. Each opened day is a `Side`; a split screen has two.

use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};
use std::time::Instant;

use aisle::events::dataset::{self, Dataset, Manifest, RunRecord};
use aisle::events::parquet::read_meta;
use aisle::metrics::Layout;
use aisle::playback::Playback;
use aisle::scenario::{BASELINE, ScenarioFile};
use aisle::{Prepared, prepare};
use anyhow::{Context, Result, anyhow, bail};

use crate::args::{Args, Input};
use crate::live::LiveRun;

/// One day on screen: its layout and its events indexed by time.
pub struct Side {
    pub variant: String,
    pub seed: u64,
    pub prepared: Prepared,
    pub layout: Arc<Layout>,
    pub playback: Arc<RwLock<Playback>>,
    /// The simulation feeding `playback`, in live mode.
    pub live: Option<LiveRun>,
    /// Seconds spent reading, checking and indexing the log (replay).
    pub load_s: f64,
}

impl Side {
    /// The latest instant the day can be shown at: the end of the log, or
    /// how far a live run has got.
    pub fn frontier_ms(&self) -> u64 {
        match &self.live {
            Some(live) => live.simulated_ms(),
            None => self.playback.read().expect("playback lock").end_ms(),
        }
    }

    fn replay(prepared: Prepared, path: &Path, seed: u64) -> Result<Side> {
        let started = Instant::now();
        let (meta, playback) =
            Playback::read(path).with_context(|| format!("{}: cannot read the log", path.display()))?;
        let layout = Arc::new(Layout::new(&prepared));
        Ok(Side {
            variant: meta.variant,
            seed,
            prepared,
            layout,
            playback: Arc::new(RwLock::new(playback)),
            live: None,
            load_s: started.elapsed().as_secs_f64(),
        })
    }

    fn live(prepared: Prepared, seed: u64) -> Side {
        let playback = Arc::new(RwLock::new(Playback::default()));
        let live = LiveRun::start(prepared.clone(), seed, playback.clone());
        Side {
            variant: prepared.scenario.variant.clone(),
            seed,
            layout: Arc::new(Layout::new(&prepared)),
            prepared,
            playback,
            live: Some(live),
            load_s: 0.0,
        }
    }
}

/// A dataset opened for browsing: its runs and its scenario copy.
pub struct DatasetSource {
    pub dir: PathBuf,
    pub manifest: Manifest,
    pub file: ScenarioFile,
}

impl DatasetSource {
    pub fn open(dir: &Path) -> Result<DatasetSource> {
        let manifest = Dataset::read_manifest(dir)?
            .ok_or_else(|| anyhow!("{}: no {} (not a dataset)", dir.display(), dataset::MANIFEST))?;
        if manifest.runs.is_empty() {
            bail!(
                "{}: the dataset holds no runs yet; add one with `aisle run SCENARIO --out {}`",
                dir.display(),
                dir.display()
            );
        }
        let copy = dir.join(dataset::SCENARIO_COPY);
        let file =
            ScenarioFile::read(&copy).with_context(|| format!("{}: the dataset's scenario copy", copy.display()))?;
        if file.sha256 != manifest.scenario_sha256 {
            bail!(
                "{}: the scenario copy does not match the manifest (run `aisle verify {}`)",
                copy.display(),
                dir.display()
            );
        }
        Ok(DatasetSource { dir: dir.to_owned(), manifest, file })
    }

    /// Variants with at least one run, in manifest order.
    pub fn variants(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for r in &self.manifest.runs {
            if !out.contains(&r.variant) {
                out.push(r.variant.clone());
            }
        }
        out
    }

    /// Seeds recorded for `variant`.
    pub fn seeds(&self, variant: &str) -> Vec<u64> {
        let mut s: Vec<u64> = self.manifest.runs.iter().filter(|r| r.variant == variant).map(|r| r.seed).collect();
        s.sort_unstable();
        s
    }

    fn record(&self, variant: &str, seed: u64) -> Result<&RunRecord> {
        self.manifest.runs.iter().find(|r| r.variant == variant && r.seed == seed).ok_or_else(|| {
            let seeds = self.seeds(variant);
            if seeds.is_empty() {
                anyhow!(
                    "{}: no run of variant `{variant}`; the dataset has {}",
                    self.dir.display(),
                    self.variants().join(", ")
                )
            } else {
                anyhow!(
                    "{}: variant `{variant}` has no run with seed {seed}; its seeds are {:?} (add one with `aisle run --variant {variant} --seed {seed}`)",
                    self.dir.display(),
                    seeds
                )
            }
        })
    }

    /// Checks one run against its sealed record, then reads and indexes it.
    pub fn load(&self, variant: &str, seed: u64) -> Result<Side> {
        let record = self.record(variant, seed)?;
        let started = Instant::now();
        dataset::check_run(&self.dir, &self.manifest.scenario_sha256, record)
            .map_err(|d| anyhow!("{d}; run `aisle verify {}` for details", self.dir.display()))?;
        let prepared = prepare(&self.file, variant)?;
        let mut side = Side::replay(prepared, &self.dir.join(&record.path), seed)?;
        side.load_s = started.elapsed().as_secs_f64();
        Ok(side)
    }

    /// The default run to show: the requested variant (else baseline, else
    /// the first recorded) and seed (else its first).
    pub fn pick(&self, variant: Option<&str>, seed: Option<u64>) -> Result<(String, u64)> {
        let variants = self.variants();
        let variant = match variant {
            Some(v) => v.to_owned(),
            None if variants.iter().any(|v| v == BASELINE) => BASELINE.to_owned(),
            None => variants[0].clone(),
        };
        let seed = match seed {
            Some(s) => s,
            None => *self.seeds(&variant).first().ok_or_else(|| {
                anyhow!(
                    "{}: no run of variant `{variant}`; the dataset has {}",
                    self.dir.display(),
                    variants.join(", ")
                )
            })?,
        };
        Ok((variant, seed))
    }
}

/// What was opened: the days to show, and the dataset to pick others from.
pub struct Opened {
    pub sides: Vec<Side>,
    pub dataset: Option<DatasetSource>,
}

/// Opens what the command line names.
pub fn open(args: &Args) -> Result<Opened> {
    match Input::classify(&args.input)? {
        Input::Scenario(path) => {
            let file = ScenarioFile::read(&path)?;
            let seed = args.seed.unwrap_or(1);
            let mut sides = vec![Side::live(prepare_variant(&file, args.variant.as_deref())?, seed)];
            if let Some(other) = &args.compare {
                sides.push(Side::live(prepare_variant(&file, Some(other))?, seed));
            }
            Ok(Opened { sides, dataset: None })
        }
        Input::Dataset(dir) => open_dataset(&dir, args.variant.as_deref(), args.seed, args.compare.as_deref()),
        Input::Log(path) => {
            if let Some((root, variant, seed)) = in_dataset(&path) {
                if args.variant.as_deref().is_some_and(|v| v != variant) || args.seed.is_some_and(|s| s != seed) {
                    bail!(
                        "{}: this log is variant `{variant}`, seed {seed}; open the dataset {} to pick another run",
                        path.display(),
                        root.display()
                    );
                }
                return open_dataset(&root, Some(&variant), Some(seed), args.compare.as_deref());
            }
            let meta = read_meta(&path).with_context(|| format!("{}: not an aisle event log", path.display()))?;
            let Some(scenario) = &args.scenario else {
                bail!(
                    "{}: a log outside a dataset needs the scenario it was made from: pass --scenario FILE (scenario `{}`, sha256 {})",
                    path.display(),
                    meta.scenario,
                    meta.scenario_sha256
                );
            };
            let file = ScenarioFile::read(scenario)?;
            if file.sha256 != meta.scenario_sha256 {
                bail!(
                    "{}: this log was made from another version of the scenario (sha256 {}, the file's is {}); pass the file it was made from",
                    scenario.display(),
                    meta.scenario_sha256,
                    file.sha256
                );
            }
            if args.compare.is_some() {
                bail!("--compare needs a dataset or a scenario: a single log holds one variant");
            }
            let prepared = prepare(&file, &meta.variant)?;
            Ok(Opened { sides: vec![Side::replay(prepared, &path, meta.seed)?], dataset: None })
        }
    }
}

fn prepare_variant(file: &ScenarioFile, variant: Option<&str>) -> Result<Prepared> {
    let variant = variant.unwrap_or(BASELINE);
    let known = file.variant_ids();
    if variant != BASELINE && !known.iter().any(|v| v == variant) {
        bail!("{}: no variant `{variant}`; the file has {}", file.path.display(), known.join(", "));
    }
    Ok(prepare(file, variant)?)
}

fn open_dataset(dir: &Path, variant: Option<&str>, seed: Option<u64>, compare: Option<&str>) -> Result<Opened> {
    let source = DatasetSource::open(dir)?;
    let (variant, seed) = source.pick(variant, seed)?;
    let mut sides = vec![source.load(&variant, seed)?];
    if let Some(other) = compare {
        sides.push(source.load(other, seed)?);
    }
    Ok(Opened { sides, dataset: Some(source) })
}

/// `ROOT/events/variant=V/seed=S/part-0.parquet` inside a dataset.
fn in_dataset(path: &Path) -> Option<(PathBuf, String, u64)> {
    let path = path.canonicalize().ok()?;
    let seed_dir = path.parent()?;
    let variant_dir = seed_dir.parent()?;
    let events = variant_dir.parent()?;
    let root = events.parent()?;
    let (variant, seed) = dataset::partition_key(seed_dir)?;
    let named = |d: &Path, prefix: &str| d.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.starts_with(prefix));
    (named(variant_dir, "variant=") && events.file_name()? == "events" && root.join(dataset::MANIFEST).is_file())
        .then(|| (root.to_owned(), variant, seed))
}
