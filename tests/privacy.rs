//! Differential privacy: budget enforcement, what a release may contain,
//! an empirical audit of the privacy loss on neighbouring datasets, and the
//! local export's noise.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use aisle::events::parquet::read_log;
use aisle::metrics::{Layout, Projection};
use aisle::privacy::contrib::{Bounds, Visit, VisitProjection};
use aisle::privacy::query::{Answers, Mechanism, Query, answer, calibrate};
use common::{prepare, scenario_path, simulate};
use rand::SeedableRng;
use rand_chacha::ChaCha20Rng;

fn aisle(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_aisle")).args(args).output().unwrap()
}

/// A small dataset: tiny, every variant, three seeds.
fn dataset() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("tiny");
    let scenario = scenario_path("tiny");
    let out = aisle(&[
        "compare",
        scenario.to_str().unwrap(),
        "--replications",
        "3",
        "--jobs",
        "1",
        "--no-report",
        "--out",
        dir.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    (tmp, dir)
}

fn files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() { out.extend(files(&path)) } else { out.push(path) }
    }
    out.sort();
    out
}

#[test]
fn publishing_past_the_budget_fails_and_changes_nothing() {
    let (_tmp, dir) = dataset();
    let d = dir.to_str().unwrap();
    let first = aisle(&["publish", d, "--epsilon", "1.5", "--budget", "2", "--seed", "1", "--name", "first"]);
    assert!(first.status.success(), "{}", String::from_utf8_lossy(&first.stderr));
    let ledger = dir.join("privacy/ledger.json");
    let before = std::fs::read(&ledger).unwrap();
    let listing = files(&dir);
    let second = aisle(&["publish", d, "--epsilon", "0.75", "--seed", "2", "--name", "second"]);
    assert_eq!(second.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&second.stderr);
    assert!(stderr.contains("only 0.5000 of the dataset's budget ε = 2"), "{stderr}");
    assert_eq!(std::fs::read(&ledger).unwrap(), before, "the ledger is untouched");
    assert_eq!(files(&dir), listing, "no file appears or disappears");
    // What is left can still be spent, exactly.
    let third = aisle(&["publish", d, "--epsilon", "0.5", "--seed", "3", "--name", "third"]);
    assert!(third.status.success(), "{}", String::from_utf8_lossy(&third.stderr));
    // The budget is fixed by the first release.
    let fourth = aisle(&["publish", d, "--epsilon", "0.1", "--budget", "9", "--name", "fourth"]);
    assert_eq!(fourth.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&fourth.stderr).contains("fixed at ε = 2"));
}

#[test]
fn a_release_holds_no_ids_positions_or_logs_and_is_reproducible_with_a_seed() {
    let (_tmp, dir) = dataset();
    let d = dir.to_str().unwrap();
    for name in ["a", "b"] {
        let out = aisle(&["publish", d, "--epsilon", "1", "--seed", "7", "--name", name]);
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    }
    let release = dir.join("releases/a");
    let raw_x: std::collections::BTreeSet<String> = {
        let log = files(&dir.join("events")).into_iter().next().unwrap();
        read_log(&log).unwrap().1.iter().map(|e| format!("{}", e.x)).filter(|x| x.contains('.')).collect()
    };
    for path in files(&release) {
        let bytes = std::fs::read(&path).unwrap();
        assert!(!bytes.starts_with(b"PAR1"), "{}: a Parquet file in a release", path.display());
        let ext = path.extension().unwrap().to_str().unwrap();
        if !matches!(ext, "json" | "csv" | "html") {
            assert!(matches!(ext, "png" | "svg"), "{}: unexpected file", path.display());
            continue;
        }
        let text = String::from_utf8(bytes).unwrap();
        // No field or column that could carry a shopper's identity, time or place.
        for word in ["\"shopper\"", "shopper,", ",shopper", "\"seq\"", "t_ms", "pseudonym", "part-0.parquet", ",x,y"] {
            assert!(!text.contains(word), "{}: mentions {word}", path.display());
        }
        if ext == "csv" && path.ends_with("heatmap.csv") {
            // Block corners sit on the 1 m grid: no shopper's position can hide in them.
            for line in text.lines().skip(1) {
                for corner in line.split(',').skip(2).take(4) {
                    assert!(!raw_x.contains(corner), "{corner} is a raw position");
                    let v: f64 = corner.parse().unwrap();
                    assert_eq!(v, v.round(), "{line}");
                }
            }
        }
    }
    let csv = |name: &str, file: &str| std::fs::read(dir.join("releases").join(name).join(file)).unwrap();
    for file in ["metrics.csv", "comparison.csv", "heatmap.csv"] {
        assert_eq!(csv("a", file), csv("b", file), "{file}: same seed, same noise");
    }
}

/// Privacy loss of `event` between neighbours, as a lower confidence bound:
/// ln(p₁/p₀) with p₁ pushed down and p₀ up by 4 standard errors.
fn loss_lower_bound(hits: [u64; 2], trials: u64) -> f64 {
    let p = |h: u64| h as f64 / trials as f64;
    let se = |h: u64| (p(h) * (1.0 - p(h)) / trials as f64).sqrt().max(1.0 / trials as f64);
    let (p1, p0) = (p(hits[1]) - 4.0 * se(hits[1]), p(hits[0]) + 4.0 * se(hits[0]));
    if p1 <= 0.0 { 0.0 } else { (p1 / p0).ln() }
}

/// The largest lower bound on the privacy loss, over threshold events
/// {statistic ≥ t} in both directions, of `stat` on noised answers.
fn audit(answers: [&Answers; 2], epsilon: f64, scale_factor: u64, trials: u64, stat: impl Fn(&Answers) -> i64) -> f64 {
    let b = Bounds::default();
    let mut cal = calibrate(Mechanism::DiscreteLaplace, epsilon, 1e-6, &b);
    // A deliberately broken mechanism divides every noise scale.
    for p in &mut cal.parameters {
        *p = p.div(&aisle::privacy::sample::Ratio::integer(scale_factor));
    }
    let mut rng = ChaCha20Rng::seed_from_u64(11);
    let draws: Vec<Vec<i64>> = answers
        .iter()
        .map(|a| {
            let mut xs: Vec<i64> = (0..trials).map(|_| stat(&cal.noise(a, &mut rng))).collect();
            xs.sort();
            xs
        })
        .collect();
    let (lo, hi) = (draws[0][0].min(draws[1][0]), draws[0][trials as usize - 1].max(draws[1][trials as usize - 1]));
    let step = ((hi - lo) / 60).max(1);
    let mut worst = 0.0f64;
    let mut t = lo;
    while t <= hi {
        let hits = |xs: &Vec<i64>| (xs.len() - xs.partition_point(|x| *x < t)) as u64;
        let (h0, h1) = (hits(&draws[0]), hits(&draws[1]));
        worst = worst.max(loss_lower_bound([h0, h1], trials)).max(loss_lower_bound([h1, h0], trials));
        t += step;
    }
    worst
}

/// A tiny day's visits with and without one more shopper, the worst the
/// bounds allow: long stays in more blocks and zones than are counted, a
/// basket over the clamp, a long wait.
fn neighbours() -> (Layout, Vec<Visit>, Vec<Visit>) {
    let p = prepare("tiny", "baseline");
    let layout = Layout::new(&p);
    let mut fold = VisitProjection::new(&layout);
    fold.observe_all(&simulate(&p, 4));
    let without = fold.finish();
    let extreme = Visit {
        leads: true,
        paid: true,
        revenue_cents: 1_000_000,
        items: 500,
        time_ms: 10_000_000,
        queued: true,
        wait_ms: 5_000_000,
        abandoned: false,
        zone_ms: (0..layout.zones.len() as u16).map(|z| (z, 3_600_000)).collect(),
        block_ms: (0..40).map(|b| (b, 1_000_000)).collect(),
    };
    let mut with = without.clone();
    with.push(extreme);
    (layout, with, without)
}

/// Only the queries the audit looks at, so each trial draws little noise.
fn only(answers: &Answers, keep: &[Query]) -> Answers {
    Answers(
        answers
            .0
            .iter()
            .enumerate()
            .map(|(q, cells)| if keep.iter().any(|k| *k as usize == q) { cells.clone() } else { Vec::new() })
            .collect(),
    )
}

#[test]
fn the_measured_privacy_loss_of_counts_and_heat_stays_within_the_claimed_epsilon() {
    let (layout, with, without) = neighbours();
    let b = Bounds::default();
    let (d1, d0) = (answer(&with, &layout, &b), answer(&without, &layout, &b));
    let epsilon = 2.0;
    let shares = calibrate(Mechanism::DiscreteLaplace, epsilon, 1e-6, &b).records;
    let share = |q: Query| shares[q as usize].share * epsilon;
    let trials = 100_000;
    // Visitors: the count itself.
    let count = [&only(&d0, &[Query::Visitors]), &only(&d1, &[Query::Visitors])];
    let visitors = |a: &Answers| a.0[Query::Visitors as usize][0];
    let honest = audit(count, epsilon, 1, trials, visitors);
    assert!(honest <= share(Query::Visitors), "visitors: measured {honest} > claimed {}", share(Query::Visitors));
    // The audit has teeth: a mechanism with a tenth of the noise is caught.
    let broken = audit(count, epsilon, 10, trials, visitors);
    eprintln!(
        "visitors: claimed ε {:.3}, measured ≥ {honest:.3}; a tenth of the noise: ≥ {broken:.3}",
        share(Query::Visitors)
    );
    assert!(broken > share(Query::Visitors), "the audit missed a broken mechanism: {broken}");
    // Heat: the sum over the removed shopper's blocks, the most telling statistic.
    let blocks: Vec<usize> = d1.0[Query::Heat as usize]
        .iter()
        .zip(&d0.0[Query::Heat as usize])
        .enumerate()
        .filter(|(_, (a, b))| a != b)
        .map(|(i, _)| i)
        .collect();
    assert!(!blocks.is_empty() && blocks.len() <= b.max_blocks);
    let heat = [&only(&d0, &[Query::Heat]), &only(&d1, &[Query::Heat])];
    let over_blocks = |a: &Answers| blocks.iter().map(|i| a.0[Query::Heat as usize][*i]).sum::<i64>();
    let honest = audit(heat, epsilon, 1, trials / 4, over_blocks);
    assert!(honest <= share(Query::Heat), "heat: measured {honest} > claimed {}", share(Query::Heat));
    let broken = audit(heat, epsilon, 10, trials / 4, over_blocks);
    eprintln!("heat: claimed ε {:.3}, measured ≥ {honest:.3}; a tenth of the noise: ≥ {broken:.3}", share(Query::Heat));
    assert!(broken > share(Query::Heat), "the audit missed a broken heat mechanism: {broken}");
}

#[test]
fn a_local_export_has_pseudonyms_coarse_times_and_noise_of_the_stated_size() {
    let (_tmp, dir) = dataset();
    let d = dir.to_str().unwrap();
    let out = aisle(&["publish", d, "--local", "--epsilon", "2", "--seed", "5", "--name", "trace"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let file = std::fs::File::open(dir.join("releases/trace/trace.parquet")).unwrap();
    let reader = parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder::try_new(file).unwrap().build().unwrap();
    use arrow_array::cast::AsArray;
    use arrow_array::types::{Float32Type, UInt64Type};
    let (mut rows, mut pseudonyms) = (0, std::collections::BTreeSet::new());
    let mut times = Vec::new();
    for batch in reader {
        let batch = batch.unwrap();
        assert_eq!(
            batch.schema().fields().iter().map(|f| f.name().as_str()).collect::<Vec<_>>(),
            ["pseudonym", "variant", "t_s", "kind", "x", "y", "floor"]
        );
        rows += batch.num_rows();
        let p = batch.column(0).as_string::<i32>();
        pseudonyms.extend((0..batch.num_rows()).map(|i| p.value(i).to_owned()));
        times.extend(batch.column(2).as_primitive::<UInt64Type>().values().iter().copied());
        let _ = batch.column(4).as_primitive::<Float32Type>();
    }
    assert!(rows > 100);
    assert!(pseudonyms.iter().all(|p| p.len() == 16 && p.parse::<u64>().is_err()), "hex pseudonyms, not indices");
    assert!(times.iter().all(|t| t % 60 == 0), "times on the minute grid");
    // The noise itself, sampled directly: planar Laplace has mean distance 2/ε.
    let eps = 2.0 * 0.25;
    let ratio = aisle::privacy::sample::Ratio::from_f64(eps).unwrap();
    let mut rng = ChaCha20Rng::seed_from_u64(3);
    let n = 40_000;
    let mean: f64 = (0..n)
        .map(|_| {
            let (x, y) = aisle::privacy::sample::planar_laplace_lattice(&mut rng, &ratio, 16);
            ((x * x + y * y) as f64).sqrt()
        })
        .sum::<f64>()
        / n as f64;
    assert!(
        (mean - 2.0 / eps).abs() < 0.05 * 2.0 / eps,
        "mean distance {mean} lattice steps, expected about {}",
        2.0 / eps
    );
}
