//! Calibration of the comparison on the tiny store squeezed into one busy
//! hour (`tests/data/calibration.toml`): over 200 disjoint blocks
//! of 10 seeds, the intervals the comparison prints cover the true paired
//! difference (the mean over all 2,000 seeds) at least 93% of the time for
//! a mean metric, a skewed metric and a rare-event metric with a real
//! effect; and over A/A comparisons (the baseline against itself on other
//! seeds) the plain-language summary reports a difference in at most 5%.

mod common;

use aisle::compare::stats::Method;
use aisle::compare::{Day, Design};
use aisle::events::dataset::MetricValue;
use aisle::metrics::{DayProjection, Layout, Projection};
use rayon::prelude::*;
use statrs::distribution::{Beta, ContinuousCDF};

const BLOCKS: usize = 200;
const PER_BLOCK: usize = 10;

/// Every metric of every seed 1..=BLOCKS·PER_BLOCK of one variant.
fn days(variant: &str) -> Vec<Vec<MetricValue>> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/calibration.toml");
    let file = aisle::scenario::ScenarioFile::read(&path).unwrap();
    let p = aisle::prepare(&file, variant).unwrap();
    let layout = Layout::new(&p);
    (1..=(BLOCKS * PER_BLOCK) as u64)
        .into_par_iter()
        .map(|seed| {
            let mut day = DayProjection::new(&layout);
            day.observe_all(&common::simulate(&p, seed));
            day.finish()
                .scalars(&layout)
                .into_iter()
                .map(|m| MetricValue { name: m.name, unit: m.unit.to_owned(), value: m.value })
                .collect()
        })
        .collect()
}

fn value(day: &[MetricValue], metric: &str) -> f64 {
    day.iter().find(|m| m.name == metric).map_or(f64::NAN, |m| m.value)
}

/// Clopper–Pearson 95% interval of a binomial proportion.
fn clopper_pearson(k: usize, n: usize) -> (f64, f64) {
    let (k, n) = (k as f64, n as f64);
    let lo = if k == 0.0 { 0.0 } else { Beta::new(k, n - k + 1.0).unwrap().inverse_cdf(0.025) };
    let hi = if k == n { 1.0 } else { Beta::new(k + 1.0, n - k).unwrap().inverse_cdf(0.975) };
    (lo, hi)
}

#[test]
fn intervals_cover_and_a_a_summaries_stay_quiet() {
    let base = days("baseline");
    let cola = days("cola-on-promo");
    let variants = vec!["baseline".to_owned(), "cola-on-promo".to_owned()];
    let design = Design::default();
    // (metric, the kind of difference it stands for)
    let cases = [
        ("revenue_per_visitor", "mean"),
        ("time_in_store_mean", "mean"),
        ("queue_wait_p90", "skewed"),
        ("not_found_rate", "rare"),
    ];
    let mut report = Vec::new();
    for (metric, kind) in cases {
        let pairs: Vec<f64> = base
            .iter()
            .zip(&cola)
            .map(|(b, c)| value(c, metric) - value(b, metric))
            .filter(|d| d.is_finite())
            .collect();
        let truth = pairs.iter().sum::<f64>() / pairs.len() as f64;
        let (mut covered, mut methods) = (0, std::collections::BTreeMap::<String, usize>::new());
        for block in 0..BLOCKS {
            let range = block * PER_BLOCK..(block + 1) * PER_BLOCK;
            let runs: Vec<Day> = range
                .clone()
                .flat_map(|i| {
                    [
                        Day { variant: "baseline", seed: i as u64, metrics: &base[i], looks: None },
                        Day { variant: "cola-on-promo", seed: i as u64, metrics: &cola[i], looks: None },
                    ]
                })
                .collect();
            let c = design.compare_days(&runs, &variants);
            let d = c.metric(metric).unwrap().variants[1].versus_baseline.clone().unwrap();
            *methods.entry(format!("{:?}", d.method)).or_default() += 1;
            if let (Some(lo), Some(hi)) = (d.lo, d.hi)
                && lo <= truth
                && truth <= hi
            {
                covered += 1;
            }
        }
        let coverage = covered as f64 / BLOCKS as f64;
        report.push(format!("{metric} ({kind}): truth {truth:+.5}, coverage {coverage:.3}, methods {methods:?}"));
        println!("{}", report.last().unwrap());
        assert!(coverage >= 0.93, "{}", report.join("\n"));
        assert!(truth != 0.0, "{metric}: the effect is real");
        if kind == "rare" {
            assert!(methods.contains_key(&format!("{:?}", Method::RareCounts)), "{}", report.join("\n"));
        }
    }
    // A/A: the baseline against two copies of itself on other seeds
    // (independent days), one comparison per block.
    let copies = ["baseline".to_owned(), "copy-a".to_owned(), "copy-b".to_owned()];
    let mut claims = 0;
    for block in 0..BLOCKS {
        let at = |b: usize, i: usize| ((b % BLOCKS) * PER_BLOCK) + i;
        let runs: Vec<Day> = (0..PER_BLOCK)
            .flat_map(|i| {
                [
                    Day { variant: "baseline", seed: i as u64, metrics: &base[at(block, i)], looks: None },
                    Day { variant: "copy-a", seed: i as u64, metrics: &base[at(block + 1, i)], looks: None },
                    Day { variant: "copy-b", seed: i as u64, metrics: &base[at(block + 2, i)], looks: None },
                ]
            })
            .collect();
        let c = design.compare_days(&runs, &copies);
        if c.summary().contains("a real difference") {
            claims += 1;
        }
    }
    let (lo, hi) = clopper_pearson(claims, BLOCKS);
    let rate = claims as f64 / BLOCKS as f64;
    report.push(format!(
        "A/A summaries claiming a difference: {claims} of {BLOCKS} ({rate:.3}, 95% CI {lo:.3} to {hi:.3})"
    ));
    println!("{}", report.join("\n"));
    assert!(rate <= 0.05, "{}", report.join("\n"));
}
