//! Comparisons: calibrated under the null, sharper with common random
//! numbers, and the same whatever the parallelism or sharding.

mod common;

use aisle::compare::stats::Method;
use aisle::compare::{Day, Design, Look, Sequential, compare};
use aisle::events::dataset::{Dataset, MetricValue, OnScenarioChange};
use aisle::scenario::ScenarioFile;
use aisle::sweep::{Cell, Chosen, Shard, grid, run_sweep};

fn tiny() -> ScenarioFile {
    ScenarioFile::read(&common::scenario_path("tiny")).unwrap()
}

fn sweep(dir: &std::path::Path, cells: &[Cell], jobs: usize) -> Dataset {
    let file = tiny();
    let mut ds = Dataset::open_for(dir, &file, OnScenarioChange::Refuse).unwrap();
    run_sweep(&file, &mut ds, cells, jobs, Chosen::InAdvance, |_| {}).unwrap();
    ds
}

/// The same sealed records in the same order (by content hash: a figure
/// may be NaN, which equals nothing).
fn same_runs(a: &[aisle::events::dataset::RunRecord], b: &[aisle::events::dataset::RunRecord]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x.same_as(y))
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
    assert!(same_runs(&one.manifest.runs, &two.manifest.runs));
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
    assert!(same_runs(&both.manifest.runs, &one.manifest.runs));
    let c1 = compare(&one.manifest.runs, &variants);
    let c2 = compare(&both.manifest.runs, &variants);
    // By their JSON, where a figure undefined on some day (NaN) reads null.
    assert_eq!(serde_json::to_string(&c1).unwrap(), serde_json::to_string(&c2).unwrap());
    // Resuming: every run verifies, nothing is simulated again.
    let mut ds = Dataset::open_for(sharded.path(), &file, OnScenarioChange::Refuse).unwrap();
    let count = run_sweep(&file, &mut ds, &all, 2, Chosen::InAdvance, |_| {}).unwrap();
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
        let unpaired = d.unpaired.map(|(lo, hi)| (hi - lo) / 2.0).unwrap();
        let paired = d.half_width().unwrap();
        assert!(paired * 2.0 <= unpaired, "{metric}: paired ±{paired}, unpaired ±{unpaired}");
    }
    // Walking changes when cola moves, so time in store genuinely differs by day.
    let t = c.metric("time_in_store_mean").unwrap();
    let d = t.variants.iter().find(|v| v.variant == "cola-on-promo").unwrap().versus_baseline.as_ref().unwrap();
    assert!(d.hi > d.lo, "the time-in-store difference has spread");
    // An identical variant reproduces the baseline exactly: never significant.
    let same =
        c.metric("revenue_per_visitor").unwrap().variants.iter().find(|v| v.variant == "same-as-baseline").unwrap();
    let d = same.versus_baseline.as_ref().unwrap();
    assert_eq!((d.mean, d.p, d.significant, d.method), (0.0, Some(1.0), false, Method::Identical));
    assert_eq!((d.lo, d.hi), (None, None), "days that never differ give no interval");
}

#[test]
fn known_effects_are_found_on_the_grocery_with_the_default_replications() {
    let file = ScenarioFile::read(&common::scenario_path("grocery")).unwrap();
    let variants: Vec<String> = ["baseline", "milk-at-front", "close-two-lanes"].map(String::from).to_vec();
    let dir = tempfile::tempdir().unwrap();
    let mut ds = Dataset::open_for(dir.path(), &file, OnScenarioChange::Refuse).unwrap();
    run_sweep(&file, &mut ds, &grid(&variants, &seeds(10), None), 2, Chosen::InAdvance, |_| {}).unwrap();
    let c = compare(&ds.manifest.runs, &variants);
    let versus = |c: &aisle::compare::Comparison, metric: &str, variant: &str| {
        let m = c.metric(metric).unwrap();
        m.variants.iter().find(|v| v.variant == variant).unwrap().versus_baseline.clone().unwrap()
    };
    // Milk, the destination at the back, moved to the front: shoppers pass
    // fewer shelves and spend less per visit (the primary metric).
    let milk = versus(&c, "revenue_per_visitor", "milk-at-front");
    assert!(milk.significant && milk.hi.unwrap() < 0.0, "{}", milk.verdict);
    // Closing two of five lanes loses the baskets of those who give up.
    let fewer_lanes = versus(&c, "revenue_per_visitor", "close-two-lanes");
    assert!(fewer_lanes.significant && fewer_lanes.hi.unwrap() < 0.0, "{}", fewer_lanes.verdict);
    // A large effect on a secondary metric has its interval well clear of
    // zero, and declared the primary metric (corrected across the variants
    // only) it is significant. (Among the 150 secondary comparisons it may
    // not be: skewed daily differences call for the sign-flip test, whose
    // p-value at ten days is 2/1024 at best, above 0.05/150.)
    let lanes = versus(&c, "queue_wait_mean", "close-two-lanes");
    assert!(lanes.lo.unwrap() > 0.0, "{}", lanes.verdict);
    let waits =
        Design { primary: "queue_wait_mean".to_owned(), ..Design::default() }.compare(&ds.manifest.runs, &variants);
    let lanes = versus(&waits, "queue_wait_mean", "close-two-lanes");
    assert!(lanes.significant && lanes.lo.unwrap() > 0.0, "{}", lanes.verdict);
    let gave_up = versus(&c, "abandonment_rate", "close-two-lanes");
    assert!(gave_up.significant && gave_up.lo.unwrap() > 0.0, "{}", gave_up.verdict);
    // Nobody converts more than once.
    for v in &c.metric("conversion_rate").unwrap().variants {
        assert!(v.estimate.mean <= 1.0, "{}: conversion {}", v.variant, v.estimate.mean);
    }
}

/// Days of two layouts from per-seed figures: (metric, unit, baseline, variant).
fn synthetic(figures: &[(&str, &str, Vec<f64>, Vec<f64>)]) -> Vec<(String, u64, Vec<MetricValue>)> {
    let seeds = figures[0].2.len();
    let mut days = Vec::new();
    for seed in 0..seeds {
        for (variant, pick) in [("baseline", 0), ("variant", 1)] {
            let metrics = figures
                .iter()
                .map(|(name, unit, b, v)| MetricValue {
                    name: name.to_string(),
                    unit: unit.to_string(),
                    value: if pick == 0 { b[seed] } else { v[seed] },
                })
                .collect();
            days.push((variant.to_owned(), seed as u64 + 1, metrics));
        }
    }
    days
}

fn compare_synthetic(design: &Design, figures: &[(&str, &str, Vec<f64>, Vec<f64>)]) -> aisle::compare::Comparison {
    let days = synthetic(figures);
    let days: Vec<Day> = days.iter().map(|(v, s, m)| Day { variant: v, seed: *s, metrics: m, looks: None }).collect();
    design.compare_days(&days, &["baseline".to_owned(), "variant".to_owned()])
}

fn versus(c: &aisle::compare::Comparison, metric: &str) -> aisle::compare::DifferenceOut {
    c.metric(metric).unwrap().variants[1].versus_baseline.clone().unwrap()
}

#[test]
fn one_seed_gives_no_interval_and_no_verdict() {
    let c = compare_synthetic(&Design::default(), &[("revenue_per_visitor", "currency", vec![10.0], vec![10.4])]);
    let d = versus(&c, "revenue_per_visitor");
    assert_eq!((d.method, d.lo, d.hi, d.p, d.significant), (Method::TooFew, None, None, None, false));
    assert!(d.verdict.contains("no verdict from 1 day"), "{}", d.verdict);
    assert!(c.summary().contains("no interval or verdict can be given"), "{}", c.summary());
    let e = &c.metric("revenue_per_visitor").unwrap().variants[0].estimate;
    assert_eq!((e.lo, e.hi), (None, None));
}

#[test]
fn replications_limit_the_seeds_analysed() {
    let ten: Vec<f64> = (0..10).map(|i| 10.0 + i as f64 * 0.1).collect();
    let shifted: Vec<f64> = ten.iter().enumerate().map(|(i, x)| x + 0.2 + 0.01 * (i % 3) as f64).collect();
    let design = Design { replications: Some(5), ..Design::default() };
    let c = compare_synthetic(&design, &[("revenue_per_visitor", "currency", ten, shifted)]);
    assert_eq!(c.seeds, vec![1, 2, 3, 4, 5]);
    assert_eq!(versus(&c, "revenue_per_visitor").n, 5);
}

#[test]
fn a_baseline_at_zero_gives_an_absolute_change() {
    // Abandonment goes from none at all to about 2%: no relative change can
    // be stated against zero, and the change is printed in absolute terms.
    let zero = vec![0.0; 10];
    let some: Vec<f64> = (0..10).map(|i| 0.015 + 0.001 * i as f64).collect();
    let arrivals = vec![200.0; 10];
    let c = compare_synthetic(
        &Design::default(),
        &[
            ("revenue_per_visitor", "currency", vec![10.0; 10], vec![10.0; 10]),
            ("abandonment_rate", "ratio", zero, some),
            ("checkout_arrivals", "count", arrivals.clone(), arrivals),
        ],
    );
    let d = versus(&c, "abandonment_rate");
    assert_eq!(d.relative, None);
    assert!(d.significant && d.lo.unwrap() > 0.0, "{}", d.verdict);
    assert!(d.verdict.contains("(absolute)") && !d.verdict.contains('%'), "{}", d.verdict);
}

#[test]
fn a_rate_that_rarely_differs_keeps_an_honest_interval() {
    // One day in ten has one more search given up out of 50: the t interval
    // would be a point at zero on most such blocks; the count bounds are not.
    let base = vec![0.02; 10];
    let mut variant = base.clone();
    variant[4] += 1.0 / 50.0;
    let searches = vec![50.0; 10];
    let c = compare_synthetic(
        &Design::default(),
        &[
            ("revenue_per_visitor", "currency", vec![10.0; 10], vec![10.0; 10]),
            ("not_found_rate", "ratio", base, variant),
            ("planned_searches", "count", searches.clone(), searches),
        ],
    );
    let d = versus(&c, "not_found_rate");
    assert_eq!(d.method, Method::RareCounts);
    let (lo, hi) = (d.lo.unwrap(), d.hi.unwrap());
    assert!(lo < 0.0 && hi > 0.01, "[{lo}, {hi}]");
    assert!(!d.significant);
    // A rate stays within its range; its relative change above −100%.
    let r = d.relative.unwrap();
    assert!(r.lo >= -1.0, "{r:?}");
}

#[test]
fn sequential_looks_are_planned_and_corrected() {
    let seq = Sequential { target: 0.01, metric: "revenue_per_visitor".into(), start: 2, cap: 40 };
    // The first look waits for 10 replications whatever --replications says.
    assert_eq!(seq.looks(), vec![10, 15, 22, 33, 40]);
    assert!((seq.design("revenue_per_visitor").alpha - 0.01).abs() < 1e-12);
    // A metric that never differs has no interval and never counts as narrow.
    let design = seq.design("revenue_per_visitor");
    let c = compare_synthetic(&design, &[("revenue_per_visitor", "currency", vec![1.0; 10], vec![1.0; 10])]);
    assert_eq!(seq.decide(&c, 10), Look::Continue { widest: None, next: 15, holding: None });
    assert_eq!(seq.decide(&c, 40), Look::Capped { widest: None, holding: None });
    // A rate the same on every day gets its pooled counts' interval, which
    // narrows with every day: an A/A copy of a rare event held the looks
    // (a study of abandonment, none on any day in either, went on to 33
    // days on the copy's width alone).
    let rare = Sequential { metric: "not_found_rate".into(), ..seq.clone() };
    let c = compare_synthetic(
        &rare.design("not_found_rate"),
        &[
            ("not_found_rate", "ratio", vec![0.0; 10], vec![0.0; 10]),
            ("planned_searches", "count", vec![50.0; 10], vec![50.0; 10]),
        ],
    );
    assert_eq!(versus(&c, "not_found_rate").method, Method::RareCounts);
    let look = rare.decide(&c, 10);
    assert_eq!(look, Look::Continue { widest: None, next: 15, holding: None });
    let said = rare.describe(&look, 10);
    assert!(said.contains("undefined (no variant has differed from the baseline on any day) > 0.01"), "{said}");
    // A real layout whose rare events have not come yet differs elsewhere:
    // its pooled counts' interval still holds the study.
    let base: Vec<f64> = (0..10).map(|i| 10.0 + 0.1 * (i % 4) as f64).collect();
    let moved: Vec<f64> = base.iter().enumerate().map(|(i, b)| b + 0.2 + 0.001 * (i % 3) as f64).collect();
    let c = compare_synthetic(
        &rare.design("not_found_rate"),
        &[
            ("not_found_rate", "ratio", vec![0.0; 10], vec![0.0; 10]),
            ("planned_searches", "count", vec![50.0; 10], vec![50.0; 10]),
            ("revenue_per_visitor", "currency", base, moved),
        ],
    );
    let strict = Sequential { target: 1e-9, ..rare.clone() };
    let look = strict.decide(&c, 10);
    assert!(matches!(&look, Look::Continue { widest: Some(_), holding: Some(v), .. } if v == "variant"), "{look:?}");
    // An A/A copy, the same on every day, beside a variant whose interval
    // is narrow enough: the study stops (it went on to the cap, the copy's
    // "undefined" width the widest).
    let base: Vec<f64> = (0..10).map(|i| 10.0 + 0.1 * (i % 4) as f64).collect();
    let shifted: Vec<f64> = base.iter().enumerate().map(|(i, b)| b + 0.2 + 0.001 * (i % 3) as f64).collect();
    let value = |x: f64| vec![MetricValue { name: "revenue_per_visitor".into(), unit: "currency".into(), value: x }];
    let owned: Vec<(&str, u64, Vec<MetricValue>)> = (0..10)
        .flat_map(|i| {
            [("baseline", base[i]), ("copy", base[i]), ("shifted", shifted[i])]
                .map(|(v, x)| (v, i as u64 + 1, value(x)))
        })
        .collect();
    let days: Vec<Day> =
        owned.iter().map(|(v, seed, m)| Day { variant: v, seed: *seed, metrics: m, looks: None }).collect();
    let names = ["baseline", "copy", "shifted"].map(String::from);
    let c = design.compare_days(&days, &names);
    assert!(matches!(seq.decide(&c, 10), Look::Reached { widest } if widest < 0.01), "{:?}", seq.decide(&c, 10));
    // A look that goes on names the variant that holds it (it said only
    // "half-width inf" of a variant that differed on a few days).
    let strict = Sequential { target: 1e-9, ..seq.clone() };
    let look = strict.decide(&c, 10);
    assert!(matches!(&look, Look::Continue { holding: Some(v), .. } if v == "shifted"), "{look:?}");
    assert!(strict.describe(&look, 10).contains("(`shifted`) > 0.000000001"), "{}", strict.describe(&look, 10));
    let capped = Look::Capped { widest: None, holding: Some("sparse".into()) };
    assert!(seq.describe(&capped, 40).contains("is unbounded for `sparse` (too few of its days differ to bound it)"));
}

#[test]
fn an_interrupted_sweep_resumes_to_a_complete_manifest_and_metrics_table() {
    use aisle::events::dataset::{MANIFEST, METRICS_TABLE, write_record};
    use aisle::run::simulate_run;
    let file = tiny();
    let variants = file.variant_ids();
    let all = grid(&variants, &seeds(4), None);
    let whole = tempfile::tempdir().unwrap();
    let reference = sweep(whole.path(), &all, 2);
    assert_eq!(reference.manifest.runs.len(), all.len());

    // A sweep killed after five runs: their logs and records are in place,
    // the manifest and the metrics table still those of when it opened.
    let dir = tempfile::tempdir().unwrap();
    let opened = Dataset::open_for(dir.path(), &file, OnScenarioChange::Refuse).unwrap();
    let manifest_at_open = std::fs::read(dir.path().join(MANIFEST)).unwrap();
    for cell in &all[..5] {
        let p = aisle::prepare(&file, &cell.variant).unwrap();
        write_record(dir.path(), simulate_run(dir.path(), &p, cell.seed, |_| {}).unwrap().record).unwrap();
    }
    drop(opened);
    assert_eq!(std::fs::read(dir.path().join(MANIFEST)).unwrap(), manifest_at_open, "a run rewrote the manifest");
    let stale = aisle::verify::verify(dir.path()).unwrap();
    assert_eq!((stale.runs_ok, stale.damaged()), (5, 2), "{:?}", stale.findings);

    // Resumed: the five are reused, the rest simulated, and the manifest
    // and the metrics table list every run, as an uninterrupted sweep's do.
    let mut ds = Dataset::open_for(dir.path(), &file, OnScenarioChange::Refuse).unwrap();
    assert_eq!(ds.manifest.runs.len(), 5, "opening lists the records present");
    let count = run_sweep(&file, &mut ds, &all, 2, Chosen::InAdvance, |_| {}).unwrap();
    assert_eq!((count.simulated, count.reused), (all.len() - 5, 5));
    assert!(same_runs(&ds.manifest.runs, &reference.manifest.runs));
    for path in [MANIFEST, METRICS_TABLE] {
        let read = |d: &std::path::Path| std::fs::read(d.join(path)).unwrap();
        assert_eq!(read(dir.path()), read(whole.path()), "{path} differs from the uninterrupted sweep's");
    }
    drop(ds);
    let checked = aisle::verify::verify(dir.path()).unwrap();
    assert_eq!((checked.runs_ok, checked.damaged()), (all.len(), 0), "{:?}", checked.findings);
}

/// A difference the sign-flip test finds before the correction (every one
/// of ten days the same way: p = 2/1024) but that no ten days could carry
/// past a correction across 26 comparisons (it asks less than 0.05/26 of
/// the first) is said to be out of reach, not merely "not significant";
/// with 25 comparisons the same days pass, and nothing is added.
#[test]
fn a_difference_no_ten_days_can_carry_past_the_correction_is_said_to_be_out_of_reach() {
    let ten = |x: f64| vec![x; 10];
    // Skewed (one day far out), so the sign-flip test decides; all positive.
    let skewed: Vec<f64> = [1.0, 1.1, 0.9, 1.0, 1.2, 0.8, 1.0, 1.1, 0.9, 25.0].iter().map(|d| 10.0 + d).collect();
    let noise: Vec<f64> = [0.1, -0.2, 0.3, -0.1, 0.0, 0.2, -0.3, 0.1, -0.1, 0.2].iter().map(|d| 10.0 + d).collect();
    for (secondaries, out_of_reach) in [(26, true), (25, false)] {
        let mut figures = vec![("revenue_per_visitor".to_owned(), ten(10.0), noise.clone())];
        figures.push(("skewed".to_owned(), ten(10.0), skewed.clone()));
        figures.extend((1..secondaries).map(|k| (format!("filler_{k}"), ten(10.0), noise.clone())));
        let figures: Vec<(&str, &str, Vec<f64>, Vec<f64>)> =
            figures.iter().map(|(n, b, v)| (n.as_str(), "s", b.clone(), v.clone())).collect();
        let c = compare_synthetic(&Design::default(), &figures);
        let d = versus(&c, "skewed");
        assert_eq!((d.method, d.p), (Method::Resampled, Some(2.0 / 1024.0)), "{}", d.verdict);
        assert_eq!(d.significant, !out_of_reach, "{}", d.verdict);
        let said = "at 10 differing days that test gives no p below 0.0020, and the correction across 26 asks \
                    less than 0.00192 of the first to pass: more days may show it";
        assert_eq!(d.verdict.ends_with(said), out_of_reach, "{secondaries} secondary comparisons: {}", d.verdict);
        // The day far off the rest carries the interval of the mean across
        // zero: a verdict that passes says why the two differ.
        let (lo, hi) = d.relative.as_ref().map_or((d.lo.unwrap(), d.hi.unwrap()), |r| (r.lo, r.hi));
        assert!(lo < 0.0 && hi > 0.0, "[{lo}, {hi}]");
        let why = "the days agree on its direction (adjusted p";
        assert_eq!(d.verdict.contains(why), d.significant, "{}", d.verdict);
    }
    // Days the layouts agree on flip to nothing: six of ten differing give
    // no p below 2/64, which the caveat names (it named 2/1024, from all ten).
    let six: Vec<f64> = [1.0, 1.1, 0.0, 1.0, 0.0, 0.8, 0.0, 1.1, 0.0, 25.0].iter().map(|d| 10.0 + d).collect();
    let figures = [
        ("revenue_per_visitor", "s", ten(10.0), noise.clone()),
        ("skewed", "s", ten(10.0), six),
        ("filler", "s", ten(10.0), noise.clone()),
    ];
    let d = versus(&compare_synthetic(&Design::default(), &figures), "skewed");
    assert_eq!((d.differing, d.p), (6, Some(2.0 / 64.0)), "{}", d.verdict);
    let said = "at 6 differing days that test gives no p below 0.0312, and the correction across 2 asks less than \
                0.02500 of the first to pass: more days may show it";
    assert!(d.verdict.ends_with(said), "{}", d.verdict);
}

/// At five days the sign-flip test cannot reach p < 0.05 even alone (its
/// smallest p is 2/32): a layout that halves revenue on every one of five
/// days (the department store at four times its traffic), one day further
/// out than the rest, went to that test as "skewed" and read "no
/// significant change" (later "[unbounded, unbounded]"). Below six days
/// skew is not judged: such days get the paired t's interval, clear of
/// zero. No p below the exact test's, though (near-lattice A/A days read
/// "a real difference" by the t alone): the verdict says more days may
/// show it, and a plain mix of days is not significant and says nothing.
#[test]
fn five_days_that_all_differ_get_the_paired_t_interval_and_wait_for_days() {
    let five = |x: f64| vec![x; 5];
    let halved: Vec<f64> = [5.0, 5.5, 4.5, 5.2, 1.0].to_vec();
    let mixed: Vec<f64> = [9.0, 11.0, 9.5, 10.5, 10.2].to_vec();
    for (days, clear_of_zero) in [(halved, true), (mixed, false)] {
        let figures = vec![("revenue_per_visitor", "currency", five(10.0), days.clone())];
        let c = compare_synthetic(&Design::default(), &figures);
        let d = versus(&c, "revenue_per_visitor");
        assert_eq!(d.method, Method::FewDaysT, "{days:?}: {}", d.verdict);
        assert!(!d.significant, "{days:?}: {}", d.verdict);
        let (lo, hi) = (d.lo.unwrap(), d.hi.unwrap());
        assert!(lo.is_finite() && hi.is_finite(), "{days:?}: [{lo}, {hi}]");
        assert_eq!(hi < 0.0, clear_of_zero, "{days:?}: [{lo}, {hi}]");
        assert_eq!(c.summary().contains("more days may show it"), clear_of_zero, "{}", c.summary());
        // Nothing passes from fewer days than six: the power line asked five.
        let r = d.replications_for_1pct.unwrap();
        assert!(r.lo >= 6 && r.n >= 6, "{days:?}: {r:?}");
    }
}

/// Six days, one of them the same in both layouts: five differ, too few
/// for the sign-flip test, and the verdict counts those five (it had said
/// "no test passes from 6 days", with the floor of six, 0.0312, which
/// that test would pass).
#[test]
fn a_few_days_verdict_counts_the_days_that_differ() {
    let base = vec![10.0; 6];
    let fell = vec![5.0, 5.5, 4.5, 5.2, 1.0, 10.0];
    let c = compare_synthetic(&Design::default(), &[("revenue_per_visitor", "currency", base, fell)]);
    let d = versus(&c, "revenue_per_visitor");
    assert_eq!((d.method, d.n, d.differing), (Method::FewDaysT, 6, 5), "{}", d.verdict);
    assert!(
        c.summary().contains("no test passes from 5 differing days: the exact sign-flip test gives no p below 0.0625"),
        "{}",
        c.summary()
    );
    // A fall these days could never show as significant is led by its size,
    // not by "no significant change".
    assert!(c.summary().contains("moves revenue per visitor by -"), "{}", c.summary());
    assert!(c.summary().contains("), not significant from these days: no test passes"), "{}", c.summary());
    assert!(!c.summary().contains("no significant change in revenue"), "{}", c.summary());
}

/// Skewed days go to the sign-flip test, which cannot pass below six
/// days at 0.05: the power line recommended five days (the paired t's
/// count) though six had just been analysed without a verdict. Where the
/// days call for that test, the line asks no fewer than it can pass from.
#[test]
fn replications_for_skewed_days_are_no_fewer_than_the_sign_flip_test_needs() {
    let base: Vec<f64> = (0..8).map(|i| 10.0 + 0.3 * (i % 4) as f64).collect();
    let far_out: Vec<f64> = [-1.0, -1.001, -0.999, -1.0, -1.0005, -0.9995, -1.0, -1.08].to_vec();
    let variant: Vec<f64> = base.iter().zip(&far_out).map(|(b, d)| b + d).collect();
    let c = compare_synthetic(&Design::default(), &[("revenue_per_visitor", "currency", base, variant)]);
    let d = versus(&c, "revenue_per_visitor");
    assert_eq!(d.method, Method::Resampled, "{}", d.verdict);
    let r = d.replications_for_1pct.unwrap();
    assert!(r.lo >= 6 && r.n >= 6 && r.hi >= r.n, "{r:?}");
}

/// A record whose figure was edited and sealed again (its seal is a hash
/// anyone can compute) is not reused by the next sweep: its log replays to
/// other figures, so the run is simulated again and the dataset ends as an
/// untouched sweep's. Reused, its figure went into the comparison.
#[test]
fn a_sweep_does_not_reuse_a_record_whose_figures_are_not_its_logs() {
    use aisle::events::dataset::{RunRecord, record_path};
    let file = tiny();
    let all = grid(&file.variant_ids(), &seeds(2), None);
    let reference = tempfile::tempdir().unwrap();
    let reference = sweep(reference.path(), &all, 2);
    let dir = tempfile::tempdir().unwrap();
    sweep(dir.path(), &all, 2);
    let path = dir.path().join(record_path("baseline", 1));
    let mut edited: RunRecord = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    edited.metrics[0].value += 1.0;
    std::fs::write(&path, serde_json::to_string_pretty(&edited.sealed()).unwrap()).unwrap();
    let mut ds = Dataset::open_for(dir.path(), &file, OnScenarioChange::Refuse).unwrap();
    let count = run_sweep(&file, &mut ds, &all, 2, Chosen::InAdvance, |_| {}).unwrap();
    // Counted as simulated again: "1 runs simulated" had said nothing of why.
    assert_eq!((count.simulated, count.again, count.reused), (1, 1, all.len() - 1));
    assert!(same_runs(&ds.manifest.runs, &reference.manifest.runs), "the edited figure is gone");
}

/// A layout that drives a rate to nothing: the true difference is minus
/// the baseline's true rate. Its intervals were clipped to the metric's
/// range less the baseline's mean over the days, which lies above the
/// truth whenever those days ran low: the intervals missed it more than
/// half the time. Over 400 such comparisons of ten days (a baseline rate
/// of 2.5% on 40 a day), the intervals now hold it at about their level,
/// and a relative change never reads below −100%.
#[test]
fn a_layout_that_drives_a_rate_to_nothing_is_covered() {
    use rand::{RngExt, SeedableRng};
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(11);
    let (rate, per_day, trials) = (0.025, 40, 400);
    let mut covered = 0;
    for _ in 0..trials {
        let base: Vec<f64> =
            (0..10).map(|_| (0..per_day).filter(|_| rng.random_bool(rate)).count() as f64 / per_day as f64).collect();
        let c = compare_synthetic(
            &Design::default(),
            &[
                ("revenue_per_visitor", "currency", vec![10.0; 10], vec![10.0; 10]),
                ("abandonment_rate", "ratio", base, vec![0.0; 10]),
            ],
        );
        let d = versus(&c, "abandonment_rate");
        if d.lo.is_some_and(|lo| lo <= -rate) && d.hi.is_some_and(|hi| hi >= -rate) {
            covered += 1;
        }
        if let Some(r) = d.relative {
            // Unbounded where the days set no bound (five days with an
            // event, some tied: no test can pass from them).
            assert!(r.lo >= -1.0 - 1e-12 || r.lo == f64::NEG_INFINITY, "{r:?}: {}", d.verdict);
        }
    }
    let share = covered as f64 / trials as f64;
    assert!(share >= 0.90, "{covered} of {trials} intervals hold the true difference");
}

/// Two A/A days that each differ by exactly one item (counts are whole)
/// have no spread: the paired t called that certain (p = 0, an interval of
/// no width, "significant"). The exact sign-flip test decides instead, and
/// two days cannot show anything.
#[test]
fn days_that_differ_by_the_same_amount_are_not_certain() {
    for n in [2, 3, 5] {
        let c = compare_synthetic(
            &Design::default(),
            &[
                ("revenue_per_visitor", "currency", vec![10.0; n], vec![10.0; n]),
                ("basket_items", "items", vec![3.0; n], vec![4.0; n]),
            ],
        );
        let d = versus(&c, "basket_items");
        assert!(!d.significant, "{n} days: {d:?}");
        assert!(d.p.is_some_and(|p| p >= 2.0 / 2f64.powi(n as i32) - 1e-12), "{n} days: {d:?}");
        assert!(d.lo.is_none_or(|lo| lo < d.mean) && d.hi.is_none_or(|hi| hi > d.mean), "{n} days: {d:?}");
    }
}

#[test]
fn a_change_too_small_for_one_decimal_keeps_two_significant_digits() {
    let cases = [
        (0.0, "+0.0%"),
        (0.012, "+1.2%"),
        (-0.5, "-50.0%"),
        (0.0005, "+0.050%"),
        (0.000_6, "+0.060%"),
        (0.004, "+0.40%"),
        (0.0004, "+0.040%"),
        (0.000_001_23, "+0.00012%"),
        (-0.000_04, "-0.0040%"),
    ];
    for (x, shown) in cases {
        assert_eq!(aisle::compare::signed_percent(x), shown, "{x}");
    }
}

/// An edited `compare/comparison.json` (every verdict flipped to
/// significant) passed `aisle verify`. A comparison is a pure function of
/// the runs' figures at its primary metric, level and seeds: verify makes
/// it again and finds the edit.
#[test]
fn verify_finds_an_edited_comparison() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("tiny");
    let aisle = |args: &[&str]| std::process::Command::new(env!("CARGO_BIN_EXE_aisle")).args(args).output().unwrap();
    let scenario = common::scenario_path("tiny");
    let d = dir.to_str().unwrap();
    let compared = aisle(&["compare", scenario.to_str().unwrap(), "--replications", "3", "--out", d]);
    assert!(compared.status.success(), "{}", String::from_utf8_lossy(&compared.stderr));
    let verified = aisle(&["verify", d]);
    assert!(verified.status.success(), "{}", String::from_utf8_lossy(&verified.stdout));
    let path = dir.join("compare/comparison.json");
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains("\"significant\": false"));
    // Written out again with the same values (another number format): still the same comparison.
    let value: serde_json::Value = serde_json::from_str(&text).unwrap();
    std::fs::write(&path, serde_json::to_string(&value).unwrap()).unwrap();
    let rewritten = aisle(&["verify", d]);
    assert!(rewritten.status.success(), "{}", String::from_utf8_lossy(&rewritten.stdout));
    std::fs::write(&path, text.replace("\"significant\": false", "\"significant\": true")).unwrap();
    let edited = aisle(&["verify", d]);
    let stdout = String::from_utf8_lossy(&edited.stdout);
    assert_eq!(edited.status.code(), Some(1), "{stdout}");
    assert!(
        stdout.contains(
            "compare/comparison.json: is not this build's comparison of the runs that verify (on \
             revenue_per_visitor, seeds up to 3): edited, or stale (runs added since)"
        ),
        "{stdout}"
    );
}

/// Shards compared alone printed a comparison "across the 1 layout(s)"
/// without a word of the variant still to come, and a comparison asked
/// for six seeds rested on the three every variant had. Both are said.
#[test]
fn a_comparison_that_covers_less_than_asked_says_so() {
    use aisle::study::Study;
    let file = tiny();
    let variants = file.variant_ids();
    let mut cells = grid(&variants[..2], &seeds(2), None);
    cells.push(Cell { variant: variants[0].clone(), seed: 3 });
    let dir = tempfile::tempdir().unwrap();
    let ds = sweep(dir.path(), &cells, 2);
    let study =
        Study { primary: "revenue_per_visitor".into(), replications: 3, jobs: 1, sequential: None, shard: None };
    let c = study.design().compare(&ds.manifest.runs, &variants);
    assert_eq!(c.seeds, [1, 2]);
    let said = study.coverage_warnings(&ds.manifest.runs, &variants, &c);
    assert_eq!(
        said,
        [
            format!("no runs yet of {}: left out of the comparison", variants[2]),
            format!(
                "the comparison rests on the 2 seed(s) every variant has, not the 3 asked for: `{}` lacks seed(s) 3",
                variants[1]
            ),
        ]
    );
    let shard = Study { shard: Some(Shard { k: 1, n: 2 }), primary: study.primary.clone(), sequential: None, ..study };
    assert!(shard.coverage_warnings(&ds.manifest.runs, &variants, &c)[2].starts_with("shard 1/2 compares only"));
    let whole = sweep(dir.path(), &grid(&variants, &seeds(3), None), 2);
    let c = study.design().compare(&whole.manifest.runs, &variants);
    assert!(study.coverage_warnings(&whole.manifest.runs, &variants, &c).is_empty());
}

/// A sequential study stopped after 33 seeds, "not significant at α =
/// 0.0100"; `aisle compare --replications 33` over the same days then said
/// "a real difference" at 0.05, saved alpha 0.05, and verify and the page
/// agreed. Days a look added keep the study's level whatever design
/// compares them: the same comparison again, said before the results, in
/// comparison.json and on the page; only the seeds planned in advance are
/// a fixed design at 0.05.
#[test]
fn days_a_sequential_look_added_keep_its_level_when_compared_again() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("tiny");
    let (scenario, d) = (common::scenario_path("tiny"), dir.to_str().unwrap());
    let aisle = |args: &[&str]| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_aisle")).args(args).output().unwrap();
        assert!(out.status.success(), "aisle {args:?}: {}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8(out.stdout).unwrap()
    };
    let compare = |more: &[&str]| {
        let args = ["compare", scenario.to_str().unwrap(), "--metric", "time_in_store_mean", "--jobs", "1", "--out", d];
        aisle(&[&args[..], more].concat())
    };
    let saved = || std::fs::read_to_string(dir.join("compare/comparison.json")).unwrap();
    // A target out of reach: looks at 10 and 15, seeds 11–15 added at the second.
    compare(&["--target-halfwidth", "1e-9", "--max-replications", "15", "--no-report"]);
    let sequential = saved();
    let json: serde_json::Value = serde_json::from_str(&sequential).unwrap();
    assert_eq!(json["alpha"].as_f64(), Some(0.025));
    assert_eq!(json["added_at_looks"], serde_json::json!({ "from_seed": 11, "looks": { "planned": 2 } }));

    let said = compare(&["--replications", "15"]);
    assert_eq!(saved(), sequential, "a fixed design over the same days compared them otherwise");
    let note = said.find("note: seeds 11 on were added by a sequential study's looks").expect(&said);
    assert!(note < said.find("Each layout was simulated").unwrap(), "the note follows the results: {said}");
    assert!(said.contains("α = 0.0250 (97.50% intervals), not 0.05"), "{said}");
    assert!(said.contains("significant at α = 0.0250 (primary") && !said.contains("95% CI"), "{said}");
    let page = std::fs::read_to_string(dir.join("report/index.html")).unwrap();
    assert!(page.contains("<b>Days added at sequential looks:</b> seeds 11 on"), "the page does not say so");
    aisle(&["verify", d]);

    // The first look's seeds alone were planned in advance: a fixed design.
    let said = compare(&["--replications", "10", "--no-report"]);
    let json: serde_json::Value = serde_json::from_str(&saved()).unwrap();
    assert_eq!((json["alpha"].as_f64(), json.get("added_at_looks")), (Some(0.05), None));
    assert!(!said.contains("added by a sequential study's looks"), "{said}");
    aisle(&["verify", d]);

    // Runs a look added, lost (records and logs) and simulated again, are
    // still its: every variant's seeds 12-15, and seed 11 of the baseline.
    for variant in ["baseline", "cola-on-promo", "same-as-baseline"] {
        for seed in 11..=15 {
            if seed == 11 && variant != "baseline" {
                continue;
            }
            for part in ["events", "runs"] {
                std::fs::remove_dir_all(dir.join(format!("{part}/variant={variant}/seed={seed}"))).unwrap();
            }
        }
    }
    compare(&["--replications", "15", "--no-report"]);
    assert_eq!(saved(), sequential, "the days simulated again lost the look's level");
    let manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("manifest.json")).unwrap()).unwrap();
    for run in manifest["runs"].as_array().unwrap() {
        let (seed, look) = (run["seed"].as_u64().unwrap(), run.get("added_at_look").and_then(|l| l.as_u64()));
        assert_eq!(look, (seed > 10).then_some(2), "{} seed {seed}", run["variant"]);
    }
    aisle(&["verify", d]);
}

/// A relative interval is clear of no change exactly when the difference's
/// own is, by the paired t (Fieller) and by resampling: a baseline surely
/// above zero cannot turn a difference's sign. Resampled days were shown
/// as a box of two intervals at half the level each, which crossed no
/// change beside a clear difference: a zone's visit rate over twelve days
/// read "+0.79% [-0.049%, +2.6%]" beside "+0.59 [+0.07, +1.70]". Over
/// generated days: normal, skewed and whole-numbered differences,
/// 3 to 30 days.
#[test]
fn a_relative_interval_is_clear_of_no_change_exactly_when_the_difference_is() {
    use aisle::compare::stats::{analyse, relative};
    use rand::{RngExt, SeedableRng};
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(7);
    let mut seen: std::collections::BTreeMap<(String, bool), usize> = Default::default();
    let zone = [0.55, 0.20, 0.75, 0.35, 0.60, 0.15, 0.80, 0.40, 0.25, 0.70, 0.30, 0.65];
    let zone_diff = [0.0, 0.1, 0.0, 0.028, 0.017, 0.0, 0.023, 0.022, 0.0, 0.0, 0.020, 0.023];
    let zone_variant = zone.iter().zip(zone_diff).map(|(b, d)| b + d).collect::<Vec<f64>>();
    // Each case with the ratio its days were drawn at (none for the zone's).
    let mut cases = vec![(zone.to_vec(), zone_variant, None)];
    for k in 0..1000 {
        let n = rng.random_range(3..=30);
        let shift = rng.random_range(-2.0..2.0);
        let base: Vec<f64> = (0..n).map(|_| 50.0 + 10.0 * rng.random_range(-1.0f64..1.0)).collect();
        let diff: Vec<f64> = (0..n)
            .map(|_| {
                let u: f64 = rng.random_range(-1.0..1.0);
                match k % 3 {
                    0 => shift + u,
                    // Skewed: a long tail to the right.
                    1 => shift + 6.0 * u.max(0.0).powi(4),
                    _ => (shift + 2.0 * u).round(),
                }
            })
            .collect();
        // Means: the baseline's 50; the difference's its shift, and a
        // skewed one's 6 · E[max(u, 0)⁴] = 0.6 more (whole numbers round).
        let truth = (k % 3 != 2).then(|| (shift + if k % 3 == 1 { 0.6 } else { 0.0 }) / 50.0);
        cases.push((base.clone(), base.iter().zip(&diff).map(|(b, d)| b + d).collect(), truth));
    }
    let mut covered: std::collections::BTreeMap<String, (usize, usize)> = Default::default();
    for (base, variant, truth) in &cases {
        let a = analyse(base, variant, None, 0.05);
        let (Some((lo, hi)), Some(r)) = (a.interval, relative(base, variant, None, &a, 0.05)) else { continue };
        if !(lo.is_finite() && hi.is_finite()) {
            continue;
        }
        let clear = lo > 0.0 || hi < 0.0;
        assert_eq!(
            r.lo > 0.0 || r.hi < 0.0,
            clear,
            "{:?}: difference [{lo}, {hi}], relative [{}, {}] ({base:?} → {variant:?})",
            a.method,
            r.lo,
            r.hi
        );
        *seen.entry((format!("{:?}", a.method), clear)).or_default() += 1;
        if let Some(truth) = truth {
            let c = covered.entry(format!("{:?}", a.method)).or_default();
            c.0 += (r.lo <= *truth && *truth <= r.hi) as usize;
            c.1 += 1;
        }
    }
    // And they cover the ratio the days were drawn at, about 95% of the time.
    for (method, (hits, of)) in &covered {
        assert!(*of < 30 || *hits as f64 >= 0.9 * *of as f64, "{method}: {hits} of {of} cover ({covered:?})");
    }
    // Not vacuous: each method, with intervals clear of no change and across it.
    assert!(covered.get("Resampled").is_some_and(|c| c.1 >= 30), "{covered:?}");
    for method in ["PairedT", "SkewedT", "Resampled"] {
        for clear in [true, false] {
            let count = seen.get(&(method.to_owned(), clear)).copied().unwrap_or(0);
            assert!(count >= 20, "{method}, clear {clear}: {count} cases ({seen:?})");
        }
    }
}

/// One differing day in ten bounds no difference, and its ratio to the
/// baseline no better: "-0.14% [-1.4%, +0.17%]" stood beside an
/// unbounded difference.
#[test]
fn an_unbounded_difference_has_no_relative_interval() {
    let base: Vec<f64> = (0..10).map(|i| 30.0 + 0.5 * i as f64).collect();
    let mut variant = base.clone();
    variant[3] -= 0.0466;
    let c = compare_synthetic(&Design::default(), &[("basket_value", "currency", base, variant)]);
    let d = versus(&c, "basket_value");
    assert_eq!((d.lo, d.hi), (Some(f64::NEG_INFINITY), Some(f64::INFINITY)), "{d:?}");
    assert_eq!(d.relative, None, "{d:?}");
}

/// A secondary metric whose days agree on a direction while its interval
/// still crosses no change (rare events, all one way) was named beside the
/// primary's verdict as plainly as a settled change ("it also moves …
/// conversion rate -1.3%" beside [-4.1%, +0.40%]): it is said to be
/// unsettled in size.
#[test]
fn a_secondary_change_of_clear_direction_and_unsettled_size_is_said_so() {
    let base: Vec<f64> = (0..20).map(|i| 10.0 + 0.1 * (i % 4) as f64).collect();
    let shifted: Vec<f64> = base.iter().enumerate().map(|(i, b)| b + 0.5 + 0.01 * (i % 3) as f64).collect();
    let mut more = vec![0.0; 20];
    for day in more.iter_mut().step_by(2).take(8) {
        *day = 1.0 / 50.0;
    }
    let c = compare_synthetic(
        &Design::default(),
        &[
            ("revenue_per_visitor", "currency", base, shifted),
            ("not_found_rate", "ratio", vec![0.0; 20], more),
            ("planned_searches", "count", vec![50.0; 20], vec![50.0; 20]),
        ],
    );
    let d = versus(&c, "not_found_rate");
    assert_eq!(d.method, Method::RareCounts);
    assert!(d.significant && d.lo.unwrap() < 0.0, "{d:?}");
    let summary = c.summary();
    assert!(summary.contains("it also moves not found rate +0.0080 ratio (its size not settled)"), "{summary}");
}

/// A variant whose edits change nothing its shoppers meet (step-free
/// shoppers in a store of one floor) gave the baseline's days exactly, and
/// the summary read "leaves revenue per visitor the same on every day" as
/// of a finding: the comparison warns of it. An unedited copy is meant to
/// (an A/A control), and is not warned of.
#[test]
fn a_variant_that_gives_the_baselines_days_exactly_is_warned_of() {
    let tmp = tempfile::tempdir().unwrap();
    let source = std::fs::read_to_string(common::scenario_path("tiny")).unwrap()
        + "\n[[variants]]\nid = \"step-free\"\nedits = [{ op = \"set_segment\", segment = \"quick\", step_free = true }]\n";
    let (scenario, dir) = (tmp.path().join("t.toml"), tmp.path().join("d"));
    std::fs::write(&scenario, source).unwrap();
    let args = ["compare", scenario.to_str().unwrap(), "--replications", "2", "--no-report", "--out"];
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_aisle")).args(args).arg(&dir).output().unwrap();
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{said}");
    assert!(
        said.contains(
            "warning: `step-free` gave the baseline's days exactly: every figure on each of its 2 day(s) is the same, \
             so its edits (set_segment) change nothing its shoppers meet"
        ),
        "{said}"
    );
    assert!(!said.contains("`same-as-baseline` gave the baseline's days"), "{said}");
    assert!(!said.contains("`cola-on-promo` gave the baseline's days"), "{said}");
}
