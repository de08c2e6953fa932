//! Comparisons: calibrated under the null, sharper with common random
//! numbers, and the same whatever the parallelism or sharding.

mod common;

use aisle::compare::stats::paired;
use aisle::compare::{Cell, Shard, compare, grid, run_sweep};
use aisle::events::dataset::{Dataset, OnScenarioChange};
use aisle::metrics::{DayProjection, Layout, Projection};
use aisle::scenario::ScenarioFile;
use rayon::prelude::*;

fn tiny() -> ScenarioFile {
    ScenarioFile::read(&common::scenario_path("tiny")).unwrap()
}

fn sweep(dir: &std::path::Path, cells: &[Cell], jobs: usize) -> Dataset {
    let file = tiny();
    let mut ds = Dataset::open_for(dir, &file, OnScenarioChange::Refuse).unwrap();
    run_sweep(&file, &mut ds, cells, jobs, |_| {}).unwrap();
    ds
}

fn seeds(n: u64) -> Vec<u64> {
    (1..=n).collect()
}

#[test]
fn results_are_byte_identical_whatever_the_number_of_jobs() {
    let variants = tiny().variant_ids();
    let cells = grid(&variants, &seeds(3), None);
    let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let (one, two) = (sweep(a.path(), &cells, 1), sweep(b.path(), &cells, 2));
    assert_eq!(one.manifest.runs, two.manifest.runs);
    let table = |d: &std::path::Path| std::fs::read(d.join("metrics/metrics.parquet")).unwrap();
    assert_eq!(table(a.path()), table(b.path()));
}

#[test]
fn two_shards_together_equal_one_sweep_and_a_rerun_reuses_everything() {
    let file = tiny();
    let variants = file.variant_ids();
    let all = grid(&variants, &seeds(3), None);
    let whole = tempfile::tempdir().unwrap();
    let one = sweep(whole.path(), &all, 2);
    let sharded = tempfile::tempdir().unwrap();
    let first = grid(&variants, &seeds(3), Some(Shard { k: 1, n: 2 }));
    let second = grid(&variants, &seeds(3), Some(Shard { k: 2, n: 2 }));
    assert_eq!(first.len() + second.len(), all.len());
    assert!(first.iter().all(|c| !second.contains(c)));
    sweep(sharded.path(), &first, 1);
    let both = sweep(sharded.path(), &second, 1);
    assert_eq!(both.manifest.runs, one.manifest.runs);
    let c1 = compare(&one.manifest.runs, &variants);
    let c2 = compare(&both.manifest.runs, &variants);
    assert_eq!(c1, c2);
    // Resuming: every run verifies, nothing is simulated again.
    let mut ds = Dataset::open_for(sharded.path(), &file, OnScenarioChange::Refuse).unwrap();
    let count = run_sweep(&file, &mut ds, &all, 2, |_| {}).unwrap();
    assert_eq!((count.simulated, count.reused), (0, all.len()));
}

#[test]
fn common_random_numbers_narrow_the_interval_at_least_twofold() {
    let variants = tiny().variant_ids();
    let dir = tempfile::tempdir().unwrap();
    let ds = sweep(dir.path(), &grid(&variants, &seeds(12), None), 2);
    let c = compare(&ds.manifest.runs, &variants);
    for metric in ["revenue_per_visitor", "time_in_store_mean"] {
        let m = c.metric(metric).unwrap();
        let v = m.variants.iter().find(|v| v.variant == "cola-on-promo").unwrap();
        let d = v.versus_baseline.as_ref().unwrap();
        let (paired, unpaired) = ((d.paired.hi - d.paired.lo) / 2.0, (d.unpaired.hi - d.unpaired.lo) / 2.0);
        assert!(paired * 2.0 <= unpaired, "{metric}: paired ±{paired}, unpaired ±{unpaired}");
    }
    // Walking changes when cola moves, so time in store genuinely differs by day.
    let t = c.metric("time_in_store_mean").unwrap();
    let d = t.variants.iter().find(|v| v.variant == "cola-on-promo").unwrap().versus_baseline.as_ref().unwrap();
    assert!(d.paired.hi > d.paired.lo, "the time-in-store difference has spread");
    // An identical variant reproduces the baseline exactly: never significant.
    let same =
        c.metric("revenue_per_visitor").unwrap().variants.iter().find(|v| v.variant == "same-as-baseline").unwrap();
    let d = same.versus_baseline.as_ref().unwrap();
    assert_eq!((d.paired.mean, d.p, d.significant), (0.0, 1.0, false));
}

#[test]
fn an_a_a_comparison_is_significant_at_about_the_nominal_rate() {
    // With common random numbers an identical variant gives identical days,
    // so the test's calibration is checked the classical way: the baseline
    // against itself on independent seeds, 120 comparisons of 10 pairs each
    // (the default replications; with fewer, the t test on heavy-tailed
    // daily figures is conservative).
    let p = common::prepare("tiny", "baseline");
    let layout = Layout::new(&p);
    let comparisons = 120;
    let per_arm = 10;
    let days: Vec<f64> = (0..(comparisons * per_arm * 2) as u64)
        .into_par_iter()
        .map(|seed| {
            let mut day = DayProjection::new(&layout);
            day.observe_all(&common::simulate(&p, 10_000 + seed));
            let m = day.finish();
            m.revenue_cents as f64 / m.visitors.max(1) as f64
        })
        .collect();
    let significant = days.chunks(per_arm * 2).filter(|c| paired(&c[..per_arm], &c[per_arm..]).p < 0.05).count();
    // A calibrated test is significant in Binomial(120, 0.05) of them; a
    // count in either 1% tail says it is not (this accepts 1 to 12).
    use statrs::distribution::{Binomial, DiscreteCDF};
    let nominal = Binomial::new(0.05, comparisons as u64).unwrap();
    let k = significant as u64;
    let (low, high) = (nominal.cdf(k), if k == 0 { 1.0 } else { 1.0 - nominal.cdf(k - 1) });
    assert!(
        low >= 0.01 && high >= 0.01,
        "{significant} of {comparisons} A/A comparisons significant (P(X ≤ k) = {low:.4}, P(X ≥ k) = {high:.4})"
    );
}

#[test]
fn known_effects_are_found_on_the_grocery_with_the_default_replications() {
    let file = ScenarioFile::read(&common::scenario_path("grocery")).unwrap();
    let variants: Vec<String> = ["baseline", "candy-at-checkout", "close-two-lanes"].map(String::from).to_vec();
    let dir = tempfile::tempdir().unwrap();
    let mut ds = Dataset::open_for(dir.path(), &file, OnScenarioChange::Refuse).unwrap();
    run_sweep(&file, &mut ds, &grid(&variants, &seeds(10), None), 2, |_| {}).unwrap();
    let c = compare(&ds.manifest.runs, &variants);
    let versus = |metric: &str, variant: &str| {
        let m = c.metric(metric).unwrap();
        m.variants.iter().find(|v| v.variant == variant).unwrap().versus_baseline.clone().unwrap()
    };
    // An impulse display of confectionery by the queues adds impulse purchases
    // (revenue barely moves: the sweets cost about 1 each).
    let candy = versus("unplanned_share", "candy-at-checkout");
    assert!(candy.significant && candy.paired.lo > 0.0, "{}", candy.verdict);
    // Closing two of five lanes makes shoppers wait longer.
    let lanes = versus("queue_wait_mean", "close-two-lanes");
    assert!(lanes.significant && lanes.paired.lo > 0.0, "{}", lanes.verdict);
    let gave_up = versus("abandonment_rate", "close-two-lanes");
    assert!(gave_up.significant && gave_up.paired.lo > 0.0, "{}", gave_up.verdict);
    // Nobody converts more than once.
    for v in &c.metric("conversion_rate").unwrap().variants {
        assert!(v.estimate.mean <= 1.0, "{}: conversion {}", v.variant, v.estimate.mean);
    }
}
