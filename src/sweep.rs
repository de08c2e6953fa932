//! Sweeps: the (variant, seed) grid of a comparison, cut into shards for
//! several machines, run on a pool of threads (each run single-threaded)
//! into a dataset; runs already verified there are reused.

use std::collections::BTreeMap;
use std::sync::Mutex;

use rayon::prelude::*;

use crate::Prepared;
use crate::events::dataset::Dataset;
use crate::run::{RunError, simulate_run};
use crate::scenario::{ScenarioError, ScenarioFile};
use crate::sim::SimProgress;

/// The k-th of N shares of the (variant, seed) grid, 1-based.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    pub k: usize,
    pub n: usize,
}

impl std::str::FromStr for Shard {
    type Err = String;
    fn from_str(s: &str) -> Result<Shard, String> {
        let (k, n) = s.split_once('/').ok_or_else(|| format!("`{s}` is not a shard: write k/N, e.g. 2/8"))?;
        let (k, n): (usize, usize) = (
            k.trim().parse().map_err(|_| format!("`{k}` is not a number"))?,
            n.trim().parse().map_err(|_| format!("`{n}` is not a number"))?,
        );
        if n == 0 || k == 0 || k > n {
            return Err(format!("shard {k}/{n}: k must be between 1 and N"));
        }
        Ok(Shard { k, n })
    }
}

/// One (variant, seed) run of a sweep.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Cell {
    pub variant: String,
    pub seed: u64,
}

/// The grid in a fixed order (seed-major, variants in file order), cut to a shard.
pub fn grid(variants: &[String], seeds: &[u64], shard: Option<Shard>) -> Vec<Cell> {
    let all = seeds.iter().flat_map(|&seed| variants.iter().map(move |v| Cell { variant: v.clone(), seed }));
    match shard {
        None => all.collect(),
        Some(Shard { k, n }) => all.enumerate().filter(|(i, _)| i % n == k - 1).map(|(_, c)| c).collect(),
    }
}

/// What happened to each cell of a sweep.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct SweepCount {
    pub simulated: usize,
    /// Already in the dataset with a log that matches its checksum.
    pub reused: usize,
}

/// Progress reports from a sweep (called from worker threads).
pub enum SweepEvent<'a> {
    Started { cell: &'a Cell },
    Progress { cell: &'a Cell, progress: SimProgress },
    Finished { cell: &'a Cell, reused: bool },
}

#[derive(Debug, thiserror::Error)]
pub enum SweepError {
    #[error(transparent)]
    Scenario(#[from] ScenarioError),
    #[error(transparent)]
    Run(#[from] RunError),
    #[error("cannot start {jobs} worker threads: {message}")]
    Threads { jobs: usize, message: String },
}

/// Runs the cells not already in the dataset on `jobs` threads, recording
/// each as it finishes. The result does not depend on `jobs`: each run is a
/// pure function of its cell, and records are rebuilt in sorted order.
pub fn run_sweep(
    file: &ScenarioFile,
    dataset: &mut Dataset,
    cells: &[Cell],
    jobs: usize,
    on_event: impl Fn(SweepEvent) + Sync,
) -> Result<SweepCount, SweepError> {
    let mut prepared: BTreeMap<&str, Prepared> = BTreeMap::new();
    for c in cells {
        if !prepared.contains_key(c.variant.as_str()) {
            prepared.insert(&c.variant, crate::prepare(file, &c.variant)?);
        }
    }
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(jobs.max(1))
        .build()
        .map_err(|e| SweepError::Threads { jobs, message: e.to_string() })?;
    let dir = dataset.dir.clone();
    let shared = Mutex::new(&mut *dataset);
    let results: Vec<Result<bool, SweepError>> = pool.install(|| {
        cells
            .par_iter()
            .map(|cell| {
                if shared.lock().expect("dataset lock").verified(&cell.variant, cell.seed).is_some() {
                    on_event(SweepEvent::Finished { cell, reused: true });
                    return Ok(true);
                }
                on_event(SweepEvent::Started { cell });
                let p = &prepared[cell.variant.as_str()];
                let outcome =
                    simulate_run(&dir, p, cell.seed, |progress| on_event(SweepEvent::Progress { cell, progress }))?;
                shared.lock().expect("dataset lock").record(outcome.record).map_err(RunError::from)?;
                on_event(SweepEvent::Finished { cell, reused: false });
                Ok(false)
            })
            .collect()
    });
    let mut count = SweepCount::default();
    for r in results {
        if r? {
            count.reused += 1;
        } else {
            count.simulated += 1;
        }
    }
    dataset.refresh().map_err(RunError::from)?;
    Ok(count)
}
