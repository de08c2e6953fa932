//! Sweeps: the (variant, seed) grid of a comparison, cut into shards for
//! several machines, run on a pool of threads (each run single-threaded)
//! into a dataset; runs already verified there are reused.

use std::collections::BTreeMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::Prepared;
use crate::events::dataset::{Dataset, RunRecord, write_record};
use crate::metrics::Layout;
use crate::run::{RunError, check_figures, simulate_run};
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
        if n == 0 {
            return Err(format!("shard {k}/{n}: N, the number of shards, must be at least 1"));
        }
        if k == 0 || k > n {
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

/// Why a sweep's seeds are simulated: planned before any figure was seen,
/// or for a sequential study's look (2, 3, …), asked for by the figures of
/// the looks before: the seeds past `after`, the replications of the look
/// before (`RunRecord::added_at_look`; one of the first look's seeds
/// simulated again at a later look was planned all the same), of a study
/// that planned `planned` looks (`RunRecord::planned_looks`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Chosen {
    InAdvance,
    AtLook { look: u32, planned: u32, after: u64 },
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
    /// Of those simulated, the runs that had a record which did not
    /// verify (damaged, edited, made by another build): simulated again.
    pub again: usize,
    /// Already in the dataset with a log that matches its checksum.
    pub reused: usize,
    /// The simulated runs' own time (simulation, log, checksum), summed
    /// over the threads: what the sweep would cost without bookkeeping.
    pub run_time: Duration,
    /// The whole sweep's wall-clock time.
    pub wall_time: Duration,
}

impl SweepCount {
    /// Wall time × threads ÷ the runs' own time: 1 when bookkeeping costs
    /// nothing (`None` when nothing was simulated).
    pub fn overhead(&self, jobs: usize) -> Option<f64> {
        (self.simulated > 0 && !self.run_time.is_zero())
            .then(|| self.wall_time.as_secs_f64() * jobs.max(1) as f64 / self.run_time.as_secs_f64())
    }
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

/// Runs the cells not already in the dataset on `jobs` threads, writing
/// each run's record as it finishes, then rebuilds the manifest and the
/// metrics table once: a run's bookkeeping costs the same however large the
/// sweep. An interrupted sweep leaves its records; the next writer to open
/// the dataset (a resumed sweep) lists them. The result does not depend on
/// `jobs`: each run is a pure function of its cell, and records are rebuilt
/// in sorted order.
pub fn run_sweep(
    file: &ScenarioFile,
    dataset: &mut Dataset,
    cells: &[Cell],
    jobs: usize,
    chosen: Chosen,
    on_event: impl Fn(SweepEvent) + Sync,
) -> Result<SweepCount, SweepError> {
    let started = Instant::now();
    let mut prepared: BTreeMap<&str, Prepared> = BTreeMap::new();
    for c in cells {
        if !prepared.contains_key(c.variant.as_str()) {
            prepared.insert(&c.variant, crate::prepare(file, &c.variant)?);
        }
    }
    let layouts: BTreeMap<&str, Layout> = prepared.iter().map(|(v, p)| (*v, Layout::new(p))).collect();
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(jobs.max(1))
        .build()
        .map_err(|e| SweepError::Threads { jobs, message: e.to_string() })?;
    let dir = dataset.dir.clone();
    let shared = Mutex::new(&mut *dataset);
    // Each cell: `None` reused, `Some((the run's own time, whether it had
    // a record))` simulated.
    let results: Vec<Result<Option<(Duration, bool)>, SweepError>> = pool.install(|| {
        cells
            .par_iter()
            .map(|cell| {
                let found = shared.lock().expect("dataset lock").verified(&cell.variant, cell.seed);
                // Reused only if its figures are its log's (replayed outside
                // the lock): a record edited and sealed again is simulated anew.
                if found.is_some_and(|run| check_figures(&dir, &layouts[cell.variant.as_str()], &run).is_ok()) {
                    on_event(SweepEvent::Finished { cell, reused: true });
                    return Ok(None);
                }
                let had_record = dir.join(crate::events::dataset::record_path(&cell.variant, cell.seed)).exists();
                on_event(SweepEvent::Started { cell });
                let p = &prepared[cell.variant.as_str()];
                let run_started = Instant::now();
                let outcome =
                    simulate_run(&dir, p, cell.seed, |progress| on_event(SweepEvent::Progress { cell, progress }))?;
                let run_time = run_started.elapsed();
                // The record alone, written outside the lock: the manifest
                // and the metrics table are rebuilt once, at the end.
                let record = match chosen {
                    Chosen::AtLook { look, planned, after } if cell.seed > after => {
                        RunRecord { added_at_look: Some(look), planned_looks: Some(planned), ..outcome.record }
                    }
                    // One a look added, simulated again, stays so.
                    _ => shared.lock().expect("dataset lock").keeping_marks(outcome.record),
                };
                let record = write_record(&dir, record).map_err(RunError::from)?;
                shared.lock().expect("dataset lock").trust(&record);
                on_event(SweepEvent::Finished { cell, reused: false });
                Ok(Some((run_time, had_record)))
            })
            .collect()
    });
    // The manifest and the metrics table, once, from every record present
    // (this sweep's, earlier ones', other shards'), even when a run failed,
    // so the runs that finished are listed.
    let refreshed = dataset.refresh().map_err(RunError::from);
    let mut count = SweepCount::default();
    for r in results {
        match r? {
            None => count.reused += 1,
            Some((t, again)) => {
                count.simulated += 1;
                count.again += usize::from(again);
                count.run_time += t;
            }
        }
    }
    refreshed?;
    count.wall_time = started.elapsed();
    Ok(count)
}

#[cfg(test)]
mod tests {
    use super::Shard;

    #[test]
    fn a_shard_is_read_or_refused_with_its_exact_message() {
        // (text, its k and N or the message)
        type Read = Result<(usize, usize), &'static str>;
        let cases: [(&str, Read); 6] = [
            ("2/8", Ok((2, 8))),
            (" 1 / 1 ", Ok((1, 1))),
            ("1/0", Err("shard 1/0: N, the number of shards, must be at least 1")),
            ("0/4", Err("shard 0/4: k must be between 1 and N")),
            ("5/4", Err("shard 5/4: k must be between 1 and N")),
            ("2-8", Err("`2-8` is not a shard: write k/N, e.g. 2/8")),
        ];
        for (text, expected) in cases {
            let read = text.parse::<Shard>().map(|s| (s.k, s.n));
            assert_eq!(read, expected.map_err(str::to_owned), "{text}");
        }
    }
}
