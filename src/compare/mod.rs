//! Layout comparisons: every variant × R seeds (the same seeds for every
//! variant: common random numbers), run in parallel across cores, each run
//! single-threaded; then paired statistics per metric against the baseline.

pub mod stats;

use std::collections::BTreeMap;
use std::sync::Mutex;

use rayon::prelude::*;
use serde::Serialize;

use crate::Prepared;
use crate::events::dataset::{Dataset, MetricValue, RunRecord};
use crate::run::{RunError, simulate_run};
use crate::scenario::{BASELINE, ScenarioError, ScenarioFile};
use crate::sim::SimProgress;
use stats::{Difference, Estimate, holm, mean_ci, paired, replications_for};

/// Metrics a comparison headlines, in order; the first is the primary one.
pub const KEY_METRICS: [&str; 10] = [
    "revenue_per_visitor",
    "conversion_rate",
    "basket_value",
    "unplanned_share",
    "time_in_store_mean",
    "queue_wait_mean",
    "abandonment_rate",
    "not_found_rate",
    "lost_sales",
    "revenue",
];

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

/// Per-variant figures of one metric.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct VariantFigure {
    pub variant: String,
    pub estimate: EstimateOut,
    /// Against the baseline; `None` for the baseline itself.
    pub versus_baseline: Option<DifferenceOut>,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct EstimateOut {
    pub mean: f64,
    pub lo: f64,
    pub hi: f64,
    pub n: usize,
}

impl From<Estimate> for EstimateOut {
    fn from(e: Estimate) -> Self {
        EstimateOut { mean: e.mean, lo: e.lo, hi: e.hi, n: e.n }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DifferenceOut {
    pub paired: EstimateOut,
    pub unpaired: EstimateOut,
    pub relative: EstimateOut,
    pub p: f64,
    /// Holm-adjusted across the variants of this metric.
    pub p_holm: f64,
    pub significant: bool,
    /// Replications that would detect a 1% change with 80% power.
    pub replications_for_1pct: Option<u64>,
    pub verdict: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MetricComparison {
    pub metric: String,
    pub unit: String,
    pub variants: Vec<VariantFigure>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Comparison {
    pub baseline: String,
    /// Seeds present for the baseline and every variant compared.
    pub seeds: Vec<u64>,
    pub metrics: Vec<MetricComparison>,
}

/// Compares every variant with the baseline on every metric, pairing runs
/// by seed; only seeds present for all variants count.
pub fn compare(runs: &[RunRecord], variants: &[String]) -> Comparison {
    let by_cell: BTreeMap<(&str, u64), &[MetricValue]> =
        runs.iter().map(|r| ((r.variant.as_str(), r.seed), r.metrics.as_slice())).collect();
    let present: Vec<&String> = variants.iter().filter(|v| runs.iter().any(|r| &r.variant == *v)).collect();
    let mut seeds: Vec<u64> = runs.iter().map(|r| r.seed).collect();
    seeds.sort_unstable();
    seeds.dedup();
    seeds.retain(|s| present.iter().all(|v| by_cell.contains_key(&(v.as_str(), *s))));
    let baseline =
        present.iter().find(|v| v.as_str() == BASELINE).or(present.first()).map(|v| v.to_string()).unwrap_or_default();
    let mut names: Vec<(String, String)> = Vec::new();
    if let Some(first) = seeds.first().and_then(|s| by_cell.get(&(baseline.as_str(), *s))) {
        names = first.iter().map(|m| (m.name.clone(), m.unit.clone())).collect();
    }
    let sample = |variant: &str, metric: &str| -> Vec<f64> {
        seeds
            .iter()
            .map(|s| by_cell[&(variant, *s)].iter().find(|m| m.name == metric).map_or(f64::NAN, |m| m.value))
            .collect()
    };
    let metrics = names
        .into_iter()
        .map(|(metric, unit)| {
            let base = sample(&baseline, &metric);
            let others: Vec<&String> = present.iter().copied().filter(|v| **v != baseline).collect();
            let diffs: Vec<Difference> = others.iter().map(|v| paired(&base, &sample(v, &metric))).collect();
            let adjusted = holm(&diffs.iter().map(|d| d.p).collect::<Vec<_>>());
            let base_mean = stats::mean(&base);
            let mut figures = vec![VariantFigure {
                variant: baseline.clone(),
                estimate: mean_ci(&base).into(),
                versus_baseline: None,
            }];
            for ((v, d), p_holm) in others.iter().zip(&diffs).zip(adjusted) {
                let significant = p_holm < stats::ALPHA;
                figures.push(VariantFigure {
                    variant: v.to_string(),
                    estimate: mean_ci(&sample(v, &metric)).into(),
                    versus_baseline: Some(DifferenceOut {
                        paired: d.paired.into(),
                        unpaired: d.unpaired.into(),
                        relative: d.relative.into(),
                        p: d.p,
                        p_holm,
                        significant,
                        replications_for_1pct: replications_for(0.01 * base_mean, d.sd, 0.8),
                        verdict: verdict(&metric, d, significant),
                    }),
                });
            }
            MetricComparison { metric, unit, variants: figures }
        })
        .collect();
    Comparison { baseline, seeds, metrics }
}

/// "+3.1% revenue per visitor [1.2%, 5.0%], significant".
pub fn verdict(metric: &str, d: &Difference, significant: bool) -> String {
    let pct = |x: f64| format!("{:+.1}%", x * 100.0);
    format!(
        "{} {} [{}, {}], {}",
        pct(d.relative.mean),
        metric.replace('_', " "),
        pct(d.relative.lo),
        pct(d.relative.hi),
        if significant { "significant" } else { "not significant" }
    )
}

impl Comparison {
    pub fn metric(&self, name: &str) -> Option<&MetricComparison> {
        self.metrics.iter().find(|m| m.metric == name)
    }

    /// A paragraph a merchandiser can read: what changed, by how much, how sure.
    pub fn summary(&self) -> String {
        let Some(primary) = self.metric(KEY_METRICS[0]) else {
            return "No runs to compare yet.".into();
        };
        let n = self.seeds.len();
        let mut out = format!(
            "Each layout was simulated on the same {n} day(s) of shoppers (common random numbers), so differences come from the layout, not from who walked in. "
        );
        let variants: Vec<&VariantFigure> = primary.variants.iter().filter(|v| v.versus_baseline.is_some()).collect();
        if variants.is_empty() {
            out.push_str("Only the baseline was run; add variants to compare.");
            return out;
        }
        for v in variants {
            let d = v.versus_baseline.as_ref().expect("filtered");
            let sentence = if d.significant {
                format!(
                    "`{}` changes revenue per visitor by {:+.1}% (95% CI {:+.1}% to {:+.1}%), a real difference after correcting for {} comparison(s)",
                    v.variant,
                    d.relative.mean * 100.0,
                    d.relative.lo * 100.0,
                    d.relative.hi * 100.0,
                    primary.variants.len() - 1
                )
            } else {
                format!(
                    "`{}` shows no significant change in revenue per visitor ({:+.1}%, 95% CI {:+.1}% to {:+.1}%)",
                    v.variant,
                    d.relative.mean * 100.0,
                    d.relative.lo * 100.0,
                    d.relative.hi * 100.0
                )
            };
            out.push_str(&sentence);
            // Mention other key metrics that moved significantly.
            let moved: Vec<String> = KEY_METRICS[1..]
                .iter()
                .filter_map(|m| self.metric(m))
                .filter_map(|mc| {
                    let f = mc.variants.iter().find(|x| x.variant == v.variant)?;
                    let d = f.versus_baseline.as_ref()?;
                    d.significant.then(|| format!("{} {:+.1}%", mc.metric.replace('_', " "), d.relative.mean * 100.0))
                })
                .collect();
            if !moved.is_empty() {
                out.push_str(&format!("; it also moves {}", moved.join(", ")));
            }
            out.push_str(". ");
        }
        out.trim_end().to_owned()
    }
}
