//! The dataset's runs replayed from their logs into each variant's merged
//! days, for the page: every figure of it comes from here.

use std::path::Path;

use rayon::prelude::*;

use super::ReportError;
use crate::Prepared;
use crate::events::dataset::{Dataset, MetricValue, RunRecord, SCENARIO_COPY, records_on_disk};
use crate::events::parquet::{LogError, read_log_with};
use crate::metrics::{DayMetrics, DayProjection, Layout, Projection};
use crate::scenario::ScenarioFile;

/// One variant's days, replayed and merged.
pub struct VariantDays {
    pub prepared: Prepared,
    pub layout: Layout,
    pub seeds: Vec<u64>,
    pub metrics: DayMetrics,
    /// Each run's record with its figures as replayed from its log.
    pub runs: Vec<RunRecord>,
    /// Each run's picks per product, in the order of `seeds`.
    pub product_picks: Vec<Vec<u64>>,
    /// Said when the variant's edits change who comes (`ScenarioFile::visitor_notes`).
    pub visitor_note: Option<String>,
}

/// Replays every run listed in the dataset's manifest, by variant.
pub fn replay_dataset(dir: &Path, mut progress: impl FnMut(usize, usize)) -> Result<Vec<VariantDays>, ReportError> {
    // Every number comes from a log that matches its record.
    let manifest = Dataset::read_verified(dir)?
        .ok_or_else(|| ReportError::NotADataset { dir: dir.to_owned(), unlisted: records_on_disk(dir) })?;
    if manifest.runs.is_empty() {
        return Err(ReportError::Empty { dir: dir.to_owned(), unlisted: records_on_disk(dir) });
    }
    let file = ScenarioFile::read(&dir.join(SCENARIO_COPY))?;
    let mut notes = file.visitor_notes();
    let total = manifest.runs.len();
    let mut done = 0;
    let mut out = Vec::new();
    for variant in &manifest.variants {
        let runs: Vec<&RunRecord> = manifest.runs.iter().filter(|r| &r.variant == variant).collect();
        if runs.is_empty() {
            continue;
        }
        let prepared = crate::prepare(&file, variant)?;
        let mut days = replay_days(dir, prepared, &runs, &mut || {
            done += 1;
            progress(done, total);
        })?;
        days.visitor_note = notes.iter().position(|(v, _)| v == variant).map(|i| notes.swap_remove(i).1);
        out.push(days);
    }
    Ok(out)
}

/// Replays `runs`, all of `prepared`'s variant, merged; `done` is called
/// after each run.
fn replay_days(
    dir: &Path,
    prepared: Prepared,
    runs: &[&RunRecord],
    done: &mut dyn FnMut(),
) -> Result<VariantDays, ReportError> {
    let layout = Layout::new(&prepared);
    let mut merged: Option<DayMetrics> = None;
    let mut replayed = Vec::new();
    let mut product_picks = Vec::new();
    // Runs are replayed on every core a few at a time and merged in the
    // manifest's order, so the sums are the same whatever the cores, and
    // only a few days are held at once.
    let chunk = 4 * rayon::current_num_threads();
    for runs in runs.chunks(chunk) {
        let days: Vec<Result<DayMetrics, LogError>> = runs
            .par_iter()
            .map(|run| {
                let mut day = DayProjection::new(&layout);
                read_log_with(&dir.join(&run.path), |events| day.observe_all(events))?;
                Ok(day.finish())
            })
            .collect();
        for (run, day) in runs.iter().zip(days) {
            let day = day?;
            let metrics = day
                .scalars(&layout)
                .into_iter()
                .map(|m| MetricValue { name: m.name, unit: m.unit.to_owned(), value: m.value })
                .collect();
            replayed.push(RunRecord { metrics, ..(*run).clone() });
            product_picks.push(day.product_picks.clone());
            match &mut merged {
                Some(m) => m.merge(&day),
                None => merged = Some(day),
            }
            done();
        }
    }
    let seeds = runs.iter().map(|r| r.seed).collect();
    let metrics = merged.expect("at least one run");
    Ok(VariantDays { prepared, layout, seeds, metrics, runs: replayed, product_picks, visitor_note: None })
}

/// `variants` on the days `seeds` alone, each replayed again where it has
/// others: the comparison's figures (heat differences, waits, movers)
/// drew every day while its table paired only the compared ones.
pub(super) fn on_days(dir: &Path, variants: &[VariantDays], seeds: &[u64]) -> Result<Vec<VariantDays>, ReportError> {
    let mut out = Vec::new();
    for v in variants.iter().filter(|v| v.seeds.iter().any(|s| seeds.contains(s))) {
        let runs: Vec<&RunRecord> = v.runs.iter().filter(|r| seeds.contains(&r.seed)).collect();
        let mut days = replay_days(dir, v.prepared.clone(), &runs, &mut || {})?;
        days.visitor_note.clone_from(&v.visitor_note);
        out.push(days);
    }
    Ok(out)
}
