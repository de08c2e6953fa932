//! Differential privacy: budget enforcement and accounting across variants,
//! what a release may contain (no ids, no logs, no seed), an empirical audit
//! of the privacy loss on neighbouring datasets built through the logs, and
//! the local export's noise against the raw positions.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use aisle::events::SimEvent;
use aisle::events::dataset::Dataset;
use aisle::events::parquet::read_log;
use aisle::metrics::{Layout, Projection};
use aisle::privacy::contrib::{Bounds, Visit, VisitProjection, top_k};
use aisle::privacy::local::PositionNoise;
use aisle::privacy::query::{self, Answers, Mechanism, QUERIES, Query, calibrate};
use aisle::privacy::release::{answer_events, sharing};
use aisle::privacy::sample::Ratio;
use common::scenario_path;
use rand::SeedableRng;
use rand_chacha::ChaCha20Rng;
use statrs::distribution::{ContinuousCDF, Gamma};

fn aisle(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_aisle")).args(args).output().unwrap()
}

fn ok(out: Output) -> String {
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

/// A tiny dataset holding the given (variant, seed) runs.
fn dataset(runs: &[(&str, u64)]) -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("tiny");
    let scenario = scenario_path("tiny");
    for (variant, seed) in runs {
        let seed = seed.to_string();
        ok(aisle(&[
            "run",
            scenario.to_str().unwrap(),
            "--variant",
            variant,
            "--seed",
            &seed,
            "--no-report",
            "--out",
            dir.to_str().unwrap(),
        ]));
    }
    (tmp, dir)
}

/// Every variant of tiny, two seeds.
const ALL_VARIANTS: [(&str, u64); 6] = [
    ("baseline", 1),
    ("cola-on-promo", 1),
    ("same-as-baseline", 1),
    ("baseline", 2),
    ("cola-on-promo", 2),
    ("same-as-baseline", 2),
];

/// Tiny's width and depth, metres.
fn tiny_store() -> (f64, f64) {
    let s = aisle::scenario::ScenarioFile::read(&scenario_path("tiny")).unwrap().build("baseline").unwrap();
    (s.store.width, s.store.depth)
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

fn json(path: &Path) -> serde_json::Value {
    serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap()
}

#[test]
fn publishing_past_the_budget_fails_and_changes_nothing() {
    let (_tmp, dir) = dataset(&ALL_VARIANTS[..1]);
    let d = dir.to_str().unwrap();
    ok(aisle(&["publish", d, "--epsilon", "1.5", "--budget", "2", "--name", "first"]));
    let ledger = dir.join("privacy/ledger.json");
    let before = std::fs::read(&ledger).unwrap();
    let listing = files(&dir);
    let second = aisle(&["publish", d, "--epsilon", "0.75", "--name", "second"]);
    assert_eq!(second.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&second.stderr);
    assert!(stderr.contains("only 0.5000 of the dataset's budget ε = 2"), "{stderr}");
    assert_eq!(std::fs::read(&ledger).unwrap(), before, "the ledger is untouched");
    assert_eq!(files(&dir), listing, "no file appears or disappears");
    // What is left can still be spent, exactly.
    ok(aisle(&["publish", d, "--epsilon", "0.5", "--name", "third"]));
    // The budget is fixed by the first release.
    let fourth = aisle(&["publish", d, "--epsilon", "0.1", "--budget", "9", "--name", "fourth"]);
    assert_eq!(fourth.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&fourth.stderr).contains("fixed at ε = 2"));
    // A local export is charged too: nothing is left for it.
    let local = aisle(&["publish", d, "--local", "--epsilon", "0.01", "--name", "trace"]);
    assert_eq!(local.status.code(), Some(2), "{}", String::from_utf8_lossy(&local.stdout));
}

/// An ε too small to draw noise for (its Laplace draws overflowed 64-bit
/// integers at 1e-15; its zCDP equivalent rounded to 0 at 1e-300 and the
/// Gaussian calibration divided by it) or not finite is refused with its
/// reason, exit 2, and nothing written: no ledger, so no budget is fixed.
#[test]
fn an_epsilon_too_small_to_draw_is_refused_and_writes_nothing() {
    let (_tmp, dir) = dataset(&ALL_VARIANTS[..1]);
    let d = dir.to_str().unwrap();
    let listing = files(&dir);
    let too_small = "is too small: the noise it calls for cannot be drawn as 64-bit integers (a scale over 10^15 \
                     grid units) or would drown every figure; take a larger ε (`aisle publish --evaluate` shows what \
                     each costs)";
    for (mechanism, epsilon, said) in [
        ("laplace", "1e-15", format!("error: epsilon = 1e-15: {too_small}")),
        ("gaussian", "1e-15", format!("error: epsilon = 1e-15: {too_small}")),
        ("gaussian", "1e-300", format!("error: epsilon = 1e-300: {too_small}")),
        ("laplace", "9e-7", format!("error: epsilon = 9e-7: {too_small}")),
        ("laplace", "inf", "error: epsilon = inf: must be a positive, finite number".to_owned()),
    ] {
        let out = aisle(&["publish", d, "--epsilon", epsilon, "--mechanism", mechanism, "--name", "small"]);
        assert_eq!(out.status.code(), Some(2), "{mechanism} at ε = {epsilon}");
        assert_eq!(String::from_utf8_lossy(&out.stderr).trim_end(), said, "{mechanism} at ε = {epsilon}");
        let written: Vec<PathBuf> = files(&dir).into_iter().filter(|f| !f.ends_with("ledger.lock")).collect();
        assert_eq!(written, listing, "{mechanism} at ε = {epsilon}: nothing written");
    }
    ok(aisle(&["publish", d, "--epsilon", "2e-6", "--mechanism", "gaussian", "--name", "smallest"]));
}

/// A negative number was taken for a flag: `--epsilon -1` got "unexpected
/// argument '-1'" and a tip to write `-- -1`, and `--indifference -1` was
/// accepted. Each is refused with its reason, exit 2, and nothing written.
#[test]
fn bad_parameters_are_refused_with_their_reason() {
    let (_tmp, dir) = dataset(&ALL_VARIANTS[..1]);
    let d = dir.to_str().unwrap();
    let listing = files(&dir);
    let positive = "must be a positive, finite number";
    for (args, said) in [
        (vec!["--epsilon", "-1"], format!("error: epsilon = -1: {positive}")),
        (vec!["--epsilon", "1", "--delta", "-0.5"], format!("error: delta = -0.5: {positive}")),
        (vec!["--epsilon", "1", "--budget", "-3"], format!("error: budget = -3: {positive}")),
        (
            vec!["--evaluate", "--indifference", "-0.5"],
            "error: indifference = -0.5: must be a share of the best figure, from 0 up to (not including) 1".to_owned(),
        ),
        (
            vec!["--epsilon", "1", "--delta", "0.02"],
            "error: delta = 0.02: is more than 0.01, too large to protect anyone".to_owned(),
        ),
        // Said "ε above 20" whatever the limit: a budget's is 100.
        (
            vec!["--epsilon", "1", "--budget", "150"],
            "error: budget = 150: is more than 100, too large to protect anyone".to_owned(),
        ),
        // Laplace releases spend no δ, but the budget's δ is this one too.
        (
            vec!["--epsilon", "1", "--delta", "0"],
            "error: delta = 0: must be positive: δ is also the budget's, which composing many releases spends even when \
             each spends none (pure ε, as with Laplace noise); take 1e-100 for as near to none as can be computed with"
                .to_owned(),
        ),
        // A subnormal δ divided a noise parameter by zero (it panicked).
        (
            vec!["--epsilon", "0.1", "--mechanism", "gaussian", "--delta", "1e-320"],
            "error: delta = 1e-320: is below 1e-100: a smaller δ buys no protection worth its cost and cannot be \
             computed with; take 1e-100 or more"
                .to_owned(),
        ),
        // A basket clamp under half a cent rounded to none: no noise at all (it panicked).
        (
            vec!["--epsilon", "1", "--clamp", "basket=0.004"],
            "error: invalid value 'basket=0.004' for '--clamp <NAME=VALUE>': basket = 0.004: must be at least 0.01 \
             (baskets are summed in whole cents)\n\nFor more information, try '--help'."
                .to_owned(),
        ),
    ] {
        let out = aisle(&[&["publish", d][..], &args].concat());
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert_eq!(String::from_utf8_lossy(&out.stderr).trim_end(), said, "{args:?}");
        assert_eq!(files(&dir), listing, "{args:?}: nothing written");
    }
}

/// `--delta` with Laplace noise was taken in silence and did nothing past a
/// dataset's first release. It is warned of wherever nothing uses it.
#[test]
fn a_delta_nothing_uses_is_warned_of() {
    let (_tmp, dir) = dataset(&ALL_VARIANTS[..1]);
    let d = dir.to_str().unwrap();
    let unused = "warning: --delta 1e-7 is not used: Laplace noise (pure ε) spends no δ, and the dataset's budget δ \
                  is set only by its first release with --budget; leave --delta out";
    // (arguments past the common ones, warned of), in order: the first sets the budget.
    let cases: [(&[&str], bool); 4] = [
        (&["--budget", "4", "--delta", "1e-7"], false),
        (&["--delta", "1e-7"], true),
        (&["--mechanism", "gaussian", "--delta", "1e-7"], false),
        (&[], false),
    ];
    for (k, (args, warned)) in cases.into_iter().enumerate() {
        let name = format!("r{k}");
        let common = ["publish", d, "--epsilon", "0.2", "--seed", "1", "--name", &name];
        let out = aisle(&[&common[..], args].concat());
        assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(stderr.lines().any(|l| l == unused), warned, "{args:?}: {stderr}");
    }
    assert_eq!(
        json(&dir.join("privacy/ledger.json"))["budget"]["delta"],
        1e-7,
        "the first release's δ is the budget's"
    );
}

/// Publishes at once without `--name`: each chose the first free
/// `release-N` before taking the ledger's lock, and all but one were told
/// "a release named `release-1` already exists; choose another --name".
/// The name is chosen under the lock now.
#[test]
fn publishes_at_once_without_a_name_each_get_one() {
    let (_tmp, dir) = dataset(&ALL_VARIANTS[..1]);
    let d = dir.to_str().unwrap();
    let started: Vec<std::process::Child> = (0..3)
        .map(|_| {
            Command::new(env!("CARGO_BIN_EXE_aisle"))
                .args(["publish", d, "--epsilon", "0.5"])
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    for child in started {
        ok(child.wait_with_output().unwrap());
    }
    let names: BTreeSet<String> = std::fs::read_dir(dir.join("releases"))
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    assert_eq!(names, ["release-1", "release-2", "release-3"].map(String::from).into());
}

/// A Gaussian release past the budget was told to publish with what was
/// left, and following that advice was refused again (its ρ converts to
/// more than its ε at the ledger's share of δ). The advice is the largest
/// --epsilon that fits, rounded down, and it is accepted.
#[test]
fn the_epsilon_a_refused_gaussian_release_is_advised_fits() {
    let (_tmp, dir) = dataset(&ALL_VARIANTS[..1]);
    let d = dir.to_str().unwrap();
    ok(aisle(&["publish", d, "--epsilon", "3.5", "--name", "first"]));
    let refused = aisle(&["publish", d, "--epsilon", "1", "--mechanism", "gaussian"]);
    let said = String::from_utf8_lossy(&refused.stderr);
    assert_eq!(refused.status.code(), Some(2), "{said}");
    let advised = said.trim_end().rsplit("Publish with --epsilon at most ").next().unwrap();
    assert!(advised.parse::<f64>().unwrap() < 0.5, "only 0.5 is left, and a Gaussian ε costs more: {said}");
    let out = ok(aisle(&["publish", d, "--epsilon", advised, "--mechanism", "gaussian", "--name", "advised"]));
    assert!(out.contains("of the budget ε = 4"), "{out}");
}

/// The ledger's total holds for private central releases; what else the
/// dataset published is said beside it, on the terminal and in every later
/// release.json: a release with reproducible noise (as good as exact) and
/// a local export (who came, when, on which floor). A local export past the
/// budget is told the --epsilon per metre that fits, and the budget spent
/// is not reset by a new dataset of the same seeds (the same shoppers).
#[test]
fn what_the_ledger_total_does_not_cover_is_said() {
    let (_tmp, dir) = dataset(&ALL_VARIANTS[..1]);
    let d = dir.to_str().unwrap();
    ok(aisle(&["publish", d, "--epsilon", "1", "--seed", "5", "--name", "seeded"]));
    let out = ok(aisle(&["publish", d, "--local", "--epsilon", "0.05", "--points", "2", "--name", "trace"]));
    assert!(out.contains("not covered by that total: 1 release(s) with reproducible noise"), "{out}");
    let out = ok(aisle(&["publish", d, "--epsilon", "1", "--name", "central"]));
    let notes = json(&dir.join("releases/central/release.json"))["ledger_total"]["not_covered"].clone();
    let notes: Vec<&str> = notes.as_array().unwrap().iter().map(|n| n.as_str().unwrap()).collect();
    assert_eq!(notes.len(), 2, "{notes:?}");
    assert!(notes[0].starts_with("1 release(s) with reproducible noise, not private"), "{notes:?}");
    assert!(notes[1].starts_with("1 local export(s), each showing who was in the store, when"), "{notes:?}");
    for note in notes {
        assert!(out.contains(&format!("not covered by that total: {note}")), "{out}");
    }
    let refused = aisle(&["publish", d, "--local", "--epsilon", "1", "--points", "2"]);
    let said = String::from_utf8_lossy(&refused.stderr);
    assert_eq!(refused.status.code(), Some(2), "{said}");
    // What is left (1.5224) over what one shopper's points move at 0.05 per metre (1.4776 for 0.05).
    let fits = 1.5224 * 0.05 / 1.4776;
    assert!(said.trim_end().ends_with(&format!("Publish with --epsilon at most {fits:.4} per metre")), "{said}");
    let (_tmp, dir) = dataset(&ALL_VARIANTS[..1]);
    let d = dir.to_str().unwrap();
    ok(aisle(&["publish", d, "--epsilon", "1", "--budget", "1"]));
    let spent = aisle(&["publish", d, "--epsilon", "0.5"]);
    let said = String::from_utf8_lossy(&spent.stderr);
    assert!(
        said.trim_end().ends_with(
            "Nothing is left. (A new dataset of this scenario on the same seeds holds the same shoppers: its releases \
             would spend their privacy again.)"
        ),
        "{said}"
    );
}

/// When every layout is within the indifference band of the best (here
/// the baseline and its unedited copy), any release ranks a true winner
/// first, so the ranking cannot choose ε: the evaluation recommended the
/// smallest ε tried (0.05) beside a heatmap error of 788,418%. It now
/// recommends none and says why.
#[test]
fn no_epsilon_is_recommended_when_every_layout_wins() {
    let (_tmp, dir) = dataset(&[("baseline", 1), ("same-as-baseline", 1), ("baseline", 2), ("same-as-baseline", 2)]);
    let out = ok(aisle(&["publish", dir.to_str().unwrap(), "--evaluate", "--trials", "10"]));
    assert!(
        out.contains(
            "no ε recommended: every layout is within 0.5% of the best, so a release that names a winner names a \
             true one (\"same winner\" is then the share of draws whose noise leaves any figure to rank); choose ε by \
             that share, the interval coverage and heatmap error above"
        ),
        "{out}"
    );
    assert!(!out.contains("recommended: ε ="), "{out}");
}

#[test]
fn a_duplicated_variant_is_charged_again() {
    // The A/A variant replays the baseline's shoppers: the same people twice.
    let (_a, once) = dataset(&[("baseline", 1), ("baseline", 2)]);
    let (_b, twice) = dataset(&[("baseline", 1), ("same-as-baseline", 1), ("baseline", 2), ("same-as-baseline", 2)]);
    assert_eq!(sharing(&once).unwrap().runs_per_seed, 1);
    assert_eq!(sharing(&twice).unwrap().runs_per_seed, 2);
    let mut scales = Vec::new();
    for dir in [&once, &twice] {
        ok(aisle(&["publish", dir.to_str().unwrap(), "--epsilon", "1", "--name", "r"]));
        let release = json(&dir.join("releases/r/release.json"));
        assert_eq!(release["epsilon"], 1.0);
        assert_eq!(release["private"], true);
        let ledger = json(&dir.join("privacy/ledger.json"));
        assert_eq!(ledger["entries"][0]["cost"]["epsilon"].as_f64().unwrap(), 1.0, "--epsilon is the whole cost");
        let noise: Vec<f64> = release["entry"]["queries"]
            .as_array()
            .unwrap()
            .iter()
            .map(|q| q["noise_parameter"].as_f64().unwrap())
            .collect();
        scales.push(noise);
    }
    // Each run of the doubled dataset gets half the budget: twice the noise scale.
    for (one, two) in scales[0].iter().zip(&scales[1]) {
        assert!((two / one - 2.0).abs() < 1e-9, "{one} → {two}");
    }
}

#[test]
fn a_release_holds_no_ids_positions_logs_or_seed() {
    let (_tmp, dir) = dataset(&ALL_VARIANTS);
    let d = dir.to_str().unwrap();
    // A distinctive seed, which must appear nowhere.
    let seed = "860117";
    for (name, extra) in [("study", &["--seed", seed][..]), ("private", &[][..])] {
        let mut args = vec!["publish", d, "--epsilon", "1", "--name", name];
        args.extend(extra);
        let stdout = ok(aisle(&args));
        assert!(!stdout.contains(seed), "{stdout}");
        let private = extra.is_empty();
        assert_eq!(!private, stdout.contains("NOT PRIVATE"), "{stdout}");
    }
    let local = ok(aisle(&["publish", d, "--local", "--epsilon", "0.1", "--seed", seed, "--name", "trace"]));
    assert!(local.contains("NOT PRIVATE") && !local.contains(seed), "{local}");
    let ledger = json(&dir.join("privacy/ledger.json"));
    let entries = ledger["entries"].as_array().unwrap();
    assert_eq!(entries.len(), 3);
    for e in entries {
        let private = e["name"] == "private";
        assert_eq!(e["noise"]["source"], if private { "os_entropy" } else { "reproducible" });
    }
    let raw_x: BTreeSet<String> = {
        let log = files(&dir.join("events")).into_iter().next().unwrap();
        read_log(&log).unwrap().1.iter().map(|e| format!("{}", e.x)).filter(|x| x.contains('.')).collect()
    };
    let ledger_text = std::fs::read_to_string(dir.join("privacy/ledger.json")).unwrap();
    assert!(!ledger_text.contains(seed), "the ledger holds the seed");
    for name in ["study", "private", "trace"] {
        let release = dir.join("releases").join(name);
        let marked = name != "private";
        for path in files(&release) {
            let bytes = std::fs::read(&path).unwrap();
            let text = String::from_utf8_lossy(&bytes);
            assert!(!text.contains(seed), "{}: holds the seed", path.display());
            let ext = path.extension().unwrap().to_str().unwrap().to_owned();
            if ext == "png" {
                continue;
            }
            // Every file of a seeded release says it is not private; in a
            // CSV file, as one field.
            assert_eq!(text.contains("NOT PRIVATE"), marked, "{}", path.display());
            let comment_fields = text.lines().filter(|l| l.starts_with('#')).map(|l| l.split(',').count()).max();
            assert!(ext != "csv" || comment_fields.is_none_or(|n| n == 1), "{}: {text}", path.display());
            if name == "trace" {
                continue;
            }
            assert!(!bytes.starts_with(b"PAR1"), "{}: a Parquet file in a release", path.display());
            assert!(matches!(ext.as_str(), "json" | "csv" | "html" | "svg"), "{}: unexpected file", path.display());
            // No field or column that could carry a shopper's identity, time or place.
            for word in
                ["\"shopper\"", "shopper,", ",shopper", "\"seq\"", "t_ms", "pseudonym", "part-0.parquet", ",x,y"]
            {
                assert!(!text.contains(word), "{}: mentions {word}", path.display());
            }
            if path.ends_with("heatmap.csv") {
                // Block corners sit on the 1 m grid: no shopper's position can hide in them.
                for line in text.lines().filter(|l| !l.starts_with('#')).skip(1) {
                    for corner in line.split(',').skip(2).take(4) {
                        assert!(!raw_x.contains(corner), "{corner} is a raw position");
                        let v: f64 = corner.parse().unwrap();
                        assert_eq!(v, v.round(), "{line}");
                    }
                }
            }
        }
    }
    // States the unit of privacy and the composition it used.
    let release = json(&dir.join("releases/private/release.json"));
    assert_eq!(release["runs_per_seed"], 3);
    let unit = release["unit_of_privacy"].as_str().unwrap();
    assert!(unit.contains("at most 4 members") && unit.contains("at 4·ε"), "{unit}");
    assert!(release["composition"].as_str().unwrap().contains("sequentially"));
}

/// The privacy loss of the event {statistic ≥ t} (or ≤ t) between two
/// datasets, as a lower confidence bound: ln(p₁/p₀) with p₁ at its lower
/// and p₀ at its upper Wilson bound, z standard errors each.
fn loss_lower_bound(hits: [u64; 2], trials: u64, z: f64) -> f64 {
    let wilson = |h: u64, sign: f64| {
        let (n, p) = (trials as f64, h as f64 / trials as f64);
        let centre = p + z * z / (2.0 * n);
        let spread = z * (p * (1.0 - p) / n + z * z / (4.0 * n * n)).sqrt();
        (centre + sign * spread) / (1.0 + z * z / n)
    };
    let (p1, p0) = (wilson(hits[1], -1.0), wilson(hits[0], 1.0));
    if p1 <= 0.0 { 0.0 } else { (p1 / p0).ln() }
}

/// One shopper's visit in every run of their seed (one run per variant),
/// with the run's events and layout.
struct Run {
    events: Vec<SimEvent>,
    layout: Layout,
}

fn visits_by_shopper(run: &Run) -> BTreeMap<u32, Visit> {
    let mut by_shopper: BTreeMap<u32, Vec<SimEvent>> = BTreeMap::new();
    for e in &run.events {
        by_shopper.entry(e.shopper).or_default().push(*e);
    }
    by_shopper
        .into_iter()
        .filter_map(|(s, events)| {
            let mut fold = VisitProjection::new(&run.layout);
            fold.observe_all(&events);
            fold.finish().pop().map(|v| (s, v))
        })
        .collect()
}

/// The smallest of the values a tight clamp is set to (the third-longest
/// block stay, the second-longest zone dwell, the wait): the larger, the
/// finer the grid rounding.
fn smallest_clamp(v: &Visit) -> u64 {
    let kth = |xs: Vec<(u64, u64)>, k: usize| xs.get(k - 1).map_or(0, |e| e.1);
    let blocks = kth(top_k(&v.block_ms, 3).into_iter().map(|(b, ms)| (b as u64, ms)).collect(), 3);
    let zones = kth(top_k(&v.zone_ms, 2).into_iter().map(|(z, ms)| (z as u64, ms)).collect(), 2);
    blocks.min(zones).min(if v.queued { v.wait_ms } else { u64::MAX })
}

/// Clamps that the shopper's visits reach in every run, so that removing
/// them changes every query by its full sensitivity: the audit is tight.
/// Times are clamped to whole grid steps (1024 ms).
fn tight_bounds(visits: &[&Visit]) -> Bounds {
    let min = |f: &dyn Fn(&Visit) -> u64| visits.iter().map(|v| f(v)).min().unwrap();
    let steps = |ms: u64| (ms / 1024 * 1024) as f64 / 1000.0;
    let (zones, blocks) = (2, 3);
    let kth = |map: fn(&Visit) -> Vec<u64>, k: usize| min(&|v| map(v).get(k - 1).copied().unwrap_or(0));
    Bounds {
        max_blocks: blocks,
        block_clamp_s: steps(kth(|v| top_k(&v.block_ms, 3).into_iter().map(|e| e.1).collect(), blocks)),
        max_zones: zones,
        zone_clamp_s: steps(kth(|v| top_k(&v.zone_ms, 2).into_iter().map(|e| e.1).collect(), zones)),
        basket_clamp: min(&|v| v.revenue_cents as u64) as f64 / 100.0,
        items_clamp: min(&|v| v.items),
        time_clamp_s: steps(min(&|v| v.time_ms)),
        wait_clamp_s: steps(min(&|v| v.wait_ms)),
        max_party: usize::MAX,
    }
}

/// The audit's findings for one query.
struct Audit {
    claimed: f64,
    honest: f64,
    halved: f64,
}

/// Runs the release's own noise (`Calibration::noise`, which `publish`
/// applies to every run) `trials` times on the cells that differ between
/// the neighbours, for the honest calibration and for one with the noise
/// scale halved, and returns the largest lower confidence bounds on the
/// privacy loss over threshold events of the likelihood-ratio statistic.
fn audit(query: Query, neighbours: [&[Answers]; 2], epsilon: f64, bounds: &Bounds, runs: u32, trials: u64) -> Audit {
    let q = query as usize;
    let cal = calibrate(
        Mechanism::DiscreteLaplace,
        epsilon,
        1e-6,
        bounds,
        aisle::privacy::query::Sharing { runs_per_seed: runs },
    );
    let claimed = epsilon * cal.records[q].share;
    // Only the cells the removed shopper changes carry information; the rest
    // are noised independently of them.
    let mut pairs = Vec::new();
    let restricted: Vec<[Answers; 2]> = neighbours[0]
        .iter()
        .zip(neighbours[1])
        .map(|(with, without)| {
            let cells: Vec<usize> = (0..with.0[q].len()).filter(|c| with.0[q][*c] != without.0[q][*c]).collect();
            pairs.extend(cells.iter().map(|c| (with.0[q][*c], without.0[q][*c])));
            let only = |a: &Answers| {
                Answers(
                    (0..QUERIES.len())
                        .map(|i| if i == q { cells.iter().map(|c| a.0[q][*c]).collect() } else { vec![] })
                        .collect(),
                )
            };
            [only(with), only(without)]
        })
        .collect();
    let scale = cal.parameters[q].to_f64();
    let exact_loss: f64 = pairs.iter().map(|(a, b)| (a - b).abs() as f64).sum::<f64>() / scale;
    assert!(
        exact_loss > 0.97 * claimed && exact_loss <= claimed * (1.0 + 1e-9),
        "{query:?}: the neighbours differ by {exact_loss:.3}, not the claimed {claimed:.3}: the audit would not be tight"
    );
    // Log-likelihood ratio of the dataset with the shopper over the one without.
    let llr = |noised: &[Answers]| -> f64 {
        let xs = noised.iter().flat_map(|a| a.0[q].iter());
        xs.zip(&pairs).map(|(x, (a, b))| ((x - b).abs() - (x - a).abs()) as f64).sum::<f64>() / scale
    };
    let measure = |cal: &aisle::privacy::query::Calibration, seed: u64| -> f64 {
        let mut rng = ChaCha20Rng::seed_from_u64(seed);
        let draws: Vec<Vec<f64>> = (0..2)
            .map(|side| {
                let mut xs: Vec<f64> = (0..trials)
                    .map(|_| {
                        let noised: Vec<Answers> = restricted.iter().map(|r| cal.noise(&r[side], &mut rng)).collect();
                        llr(&noised)
                    })
                    .collect();
                xs.sort_by(f64::total_cmp);
                xs
            })
            .collect();
        // Events {LLR ≥ t} and {LLR ≤ t} at 21 thresholds across [−ε, ε];
        // z = 4.5 keeps the chance of a false alarm over all events of all
        // queries below 1%.
        let mut worst = 0.0f64;
        for j in -10..=10 {
            let t = claimed * j as f64 / 10.0 - 1e-9;
            let above = |xs: &Vec<f64>| (xs.len() - xs.partition_point(|x| *x < t)) as u64;
            let below = |xs: &Vec<f64>| xs.partition_point(|x| *x <= t + 2e-9) as u64;
            let (a_with, a_without) = (above(&draws[0]), above(&draws[1]));
            let (b_with, b_without) = (below(&draws[0]), below(&draws[1]));
            worst = worst.max(loss_lower_bound([a_without, a_with], trials, 4.5)).max(loss_lower_bound(
                [b_with, b_without],
                trials,
                4.5,
            ));
        }
        worst
    };
    let honest = measure(&cal, 100 + q as u64);
    let mut broken = cal.clone();
    for p in &mut broken.parameters {
        *p = p.div(&Ratio::integer(2));
    }
    let halved = measure(&broken, 200 + q as u64);
    Audit { claimed, honest, halved }
}

#[test]
fn the_measured_privacy_loss_of_every_query_stays_within_epsilon_and_halved_noise_is_caught() {
    let (_tmp, dir) = dataset(&ALL_VARIANTS[..3]);
    let manifest = Dataset::read_manifest(&dir).unwrap().unwrap();
    let file = aisle::scenario::ScenarioFile::read(&scenario_path("tiny")).unwrap();
    let runs: Vec<Run> = manifest
        .runs
        .iter()
        .map(|r| Run {
            events: read_log(&dir.join(&r.path)).unwrap().1,
            layout: Layout::new(&aisle::prepare(&file, &r.variant).unwrap()),
        })
        .collect();
    let variants = sharing(&dir).unwrap().runs_per_seed;
    assert_eq!(variants as usize, runs.len(), "one run per variant, all of seed 1");
    let visits: Vec<BTreeMap<u32, Visit>> = runs.iter().map(visits_by_shopper).collect();
    // A real shopper, the same person in every variant, who leads, queues,
    // pays and walks through two zones and three blocks in every variant.
    // Nobody abandons a basket in tiny, so `abandons` (a count like
    // visitors, parties, transactions and queue joins: sensitivity 1, the
    // same calibration) cannot be audited on its logs.
    let shopper = visits[0]
        .keys()
        .copied()
        .filter(|s| {
            visits.iter().all(|m| {
                m.get(s).is_some_and(|v| v.leads && v.paid && v.queued && v.zone_ms.len() >= 2 && v.block_ms.len() >= 3)
            })
        })
        .max_by_key(|s| visits.iter().map(|m| smallest_clamp(&m[s])).min())
        .expect("a shopper who pays after a wait in every variant");
    let (epsilon, trials) = (16.0, 20_000);
    let bounds = tight_bounds(&visits.iter().map(|m| &m[&shopper]).collect::<Vec<_>>());
    // The neighbours, through the log: every run's events, and the same
    // events without the shopper's.
    let with: Vec<Answers> = runs.iter().map(|r| answer_events(&r.events, &r.layout, &bounds)).collect();
    let without: Vec<Answers> = runs
        .iter()
        .map(|r| {
            let kept: Vec<SimEvent> = r.events.iter().filter(|e| e.shopper != shopper).copied().collect();
            answer_events(&kept, &r.layout, &bounds)
        })
        .collect();
    let findings: Vec<(Query, Audit)> = QUERIES
        .into_iter()
        .filter(|q| *q != Query::Abandons)
        .map(|q| (q, audit(q, [&with, &without], epsilon, &bounds, variants, trials)))
        .collect();
    for (q, a) in &findings {
        eprintln!(
            "{q:?}: claimed ε {:.3}; measured ≥ {:.3}; with half the noise scale ≥ {:.3}",
            a.claimed, a.honest, a.halved
        );
    }
    for (q, a) in &findings {
        assert!(a.honest <= a.claimed, "{q:?}: measured loss ≥ {:.3} exceeds the claimed ε {:.3}", a.honest, a.claimed);
        assert!(
            a.halved > a.claimed,
            "{q:?}: the audit missed noise of half the scale ({:.3} ≤ {:.3})",
            a.halved,
            a.claimed
        );
    }
}

#[test]
fn local_positions_move_from_the_raw_ones_by_planar_laplace() {
    // Real positions from a tiny day, away from the walls so that keeping
    // reports on the floor does not cut the noise.
    let (_tmp, dir) = dataset(&ALL_VARIANTS[..1]);
    let manifest = Dataset::read_manifest(&dir).unwrap().unwrap();
    let events = read_log(&dir.join(&manifest.runs[0].path)).unwrap().1;
    let store = tiny_store();
    let eps = 4.0;
    // A fine lattice: the distance is then close to continuous planar Laplace,
    // Gamma(2, 1/ε); the snapping moves each point by at most d/√2.
    let lattice = 1.0 / 64.0;
    let noise = PositionNoise::new(eps, lattice, store).unwrap();
    // Two metres from every wall: P(distance > 2 m) = 9·e^−8 ≈ 0.3%.
    let margin = 2.0;
    let raw: Vec<(f64, f64)> = events
        .iter()
        .map(|e| (e.x as f64, e.y as f64))
        .filter(|(x, y)| *x > margin && *x < store.0 - margin && *y > margin && *y < store.1 - margin)
        .take(4000)
        .collect();
    assert!(raw.len() >= 1500, "{} positions", raw.len());
    let mut rng = ChaCha20Rng::seed_from_u64(9);
    let mut distances: Vec<f64> = raw
        .iter()
        .map(|&(x, y)| {
            let (rx, ry) = noise.report(&mut rng, (x, y));
            (rx - x).hypot(ry - y)
        })
        .collect();
    distances.sort_by(f64::total_cmp);
    let gamma = Gamma::new(2.0, eps).unwrap();
    let n = distances.len() as f64;
    // Kolmogorov–Smirnov, widened by the largest shift snapping can make.
    let slack = lattice / std::f64::consts::SQRT_2;
    let ks = distances
        .iter()
        .enumerate()
        .map(|(i, d)| {
            let (lo, hi) = (gamma.cdf((d - slack).max(0.0)), gamma.cdf(d + slack));
            ((i + 1) as f64 / n - lo).max(hi - i as f64 / n).max(0.0)
        })
        .fold(0.0, f64::max);
    // The 0.1% critical value of the KS statistic is 1.95/√n.
    let critical = 1.95 / n.sqrt();
    eprintln!(
        "local: {} points, KS {ks:.4} (critical {critical:.4}), mean distance {:.3} m (2/ε = {})",
        distances.len(),
        distances.iter().sum::<f64>() / n,
        2.0 / eps
    );
    assert!(ks < critical, "distances are not planar Laplace at ε = {eps}: KS {ks:.4} ≥ {critical:.4}");
    // The test has teeth: the same distances are far from planar Laplace at
    // half the ε (twice the noise) or at twice the ε.
    for wrong in [eps / 2.0, eps * 2.0] {
        let g = Gamma::new(2.0, wrong).unwrap();
        let ks = distances.iter().enumerate().map(|(i, d)| ((i + 1) as f64 / n - g.cdf(*d)).abs()).fold(0.0, f64::max);
        assert!(ks > 3.0 * critical, "ε {wrong} fits too: KS {ks:.4}");
    }
}

#[test]
fn a_local_export_is_charged_bounded_per_shopper_and_unlinkable() {
    let (_tmp, dir) = dataset(&ALL_VARIANTS);
    let d = dir.to_str().unwrap();
    let export = |name: &str, extra: &[&str]| {
        let mut args =
            vec!["publish", d, "--local", "--epsilon", "0.2", "--points", "3", "--budget", "10", "--name", name];
        args.extend(extra);
        ok(aisle(&args))
    };
    export("trace", &[]);
    let release = json(&dir.join("releases/trace/release.json"));
    // Charged as n·(ε·D + snapping + rounding), D the store's diagonal.
    let diagonal = tiny_store().0.hypot(tiny_store().1);
    let charged = 3.0 * (0.2 * diagonal + 0.2 * std::f64::consts::SQRT_2 * 0.25 + 0.2 * 0.25 / 65536.0);
    let guarantee = &release["guarantee"];
    assert!((guarantee["charged_epsilon"].as_f64().unwrap() - charged).abs() < 1e-9, "{guarantee}");
    let ledger = json(&dir.join("privacy/ledger.json"));
    assert!((ledger["entries"][0]["cost"]["epsilon"].as_f64().unwrap() - charged).abs() < 1e-9);
    // The dataset's total after it, as a central release's file gives it;
    // and a whole party protected at 4 times its ε, the default cap.
    let total = &release["ledger_total"];
    assert!((total["epsilon"].as_f64().unwrap() - charged).abs() < 1e-9, "{total}");
    assert_eq!(total["budget_epsilon"], 10.0);
    assert!(release["unit_of_privacy"].as_str().unwrap().contains("protected at 4·ε"));
    // No exact counts; what is not protected is said.
    let text = serde_json::to_string(&release).unwrap();
    for word in ["\"shoppers\"", "\"points\""] {
        assert!(!text.contains(word), "release.json has {word}");
    }
    assert!(release["not_protected"].as_array().unwrap().len() >= 3);
    assert!(release["per_point"].as_str().unwrap().contains("snapping"));
    // Exactly three points per shopper, one variant, times on the grain.
    let trace = |name: &str| -> Vec<(String, u64, f32, f32)> {
        use arrow_array::cast::AsArray;
        use arrow_array::types::{Float32Type, UInt64Type};
        let file = std::fs::File::open(dir.join("releases").join(name).join("trace.parquet")).unwrap();
        let reader =
            parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder::try_new(file).unwrap().build().unwrap();
        let mut rows = Vec::new();
        for batch in reader {
            let batch = batch.unwrap();
            assert_eq!(
                batch.schema().fields().iter().map(|f| f.name().as_str()).collect::<Vec<_>>(),
                ["pseudonym", "t_s", "x", "y", "floor"]
            );
            let (p, t) = (batch.column(0).as_string::<i32>(), batch.column(1).as_primitive::<UInt64Type>());
            let (x, y) = (batch.column(2).as_primitive::<Float32Type>(), batch.column(3).as_primitive::<Float32Type>());
            rows.extend((0..batch.num_rows()).map(|i| (p.value(i).to_owned(), t.value(i), x.value(i), y.value(i))));
        }
        rows
    };
    let rows = trace("trace");
    let mut per_pseudonym: BTreeMap<&str, usize> = BTreeMap::new();
    for r in &rows {
        *per_pseudonym.entry(&r.0).or_default() += 1;
    }
    assert!(per_pseudonym.len() > 20);
    assert!(per_pseudonym.values().all(|n| *n == 3), "three points for every shopper");
    assert!(rows.iter().all(|r| r.1 % 300 == 0), "times on the five-minute grain");
    // The pseudonym key never comes from the seed: two exports with the same
    // seed draw the same noise but share no pseudonym.
    export("s1", &["--seed", "5"]);
    export("s2", &["--seed", "5"]);
    let (a, b) = (trace("s1"), trace("s2"));
    assert_eq!(
        a.iter().map(|r| (r.1, r.2, r.3)).collect::<Vec<_>>(),
        b.iter().map(|r| (r.1, r.2, r.3)).collect::<Vec<_>>()
    );
    let names = |rows: &[(String, u64, f32, f32)]| rows.iter().map(|r| r.0.clone()).collect::<BTreeSet<_>>();
    assert!(names(&a).is_disjoint(&names(&b)), "pseudonyms repeat across exports");
    // Seeded exports are not private and spend nothing.
    let ledger = json(&dir.join("privacy/ledger.json"));
    assert_eq!(ledger["entries"].as_array().unwrap().len(), 3);
    let second = aisle(&["publish", d, "--local", "--epsilon", "0.2", "--points", "3", "--name", "again"]);
    assert_eq!(second.status.code(), Some(2), "a second private export of {charged:.2} does not fit in a budget of 10");
}

/// A local export leaves out a party's members past the cap, as a central
/// release does: the front tills' parties of about six, exported with the
/// default cap and with `--clamp party=1`, give one pseudonym to each
/// leader and each of its first three companions in, then to each leader
/// alone, and its release says so.
#[test]
fn a_local_export_leaves_out_a_partys_members_past_the_cap() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("tills");
    let (d, scenario) =
        (dir.to_str().unwrap(), Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/front_tills.toml"));
    ok(aisle(&["run", scenario.to_str().unwrap(), "--seed", "1", "--no-report", "--out", d]));
    let (_, events) = read_log(&dir.join("events/variant=baseline/seed=1/part-0.parquet")).unwrap();
    let behind: Vec<u32> = events
        .iter()
        .filter_map(|e| match e.action {
            aisle::events::Action::Enter { party } => Some(e.shopper - party),
            _ => None,
        })
        .collect();
    assert!(behind.iter().any(|&b| b >= 4), "a party past the cap came in");
    for (name, clamp, cap, rule) in [
        ("four", "party=4", 4, "at most 4 members, its leader and the first 3 companions to come in"),
        ("leaders", "party=1", 1, "one member, its leader"),
    ] {
        let args = ["publish", d, "--local", "--epsilon", "0.2", "--points", "1", "--seed", "5", "--budget", "10"];
        ok(aisle(&[&args[..], &["--name", name, "--clamp", clamp]].concat()));
        let release = dir.join("releases").join(name);
        let file = std::fs::File::open(release.join("trace.parquet")).unwrap();
        let reader =
            parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder::try_new(file).unwrap().build().unwrap();
        let mut pseudonyms = BTreeSet::new();
        for batch in reader {
            use arrow_array::cast::AsArray;
            let batch = batch.unwrap();
            let column = batch.column(0).as_string::<i32>();
            pseudonyms.extend((0..batch.num_rows()).map(|i| column.value(i).to_owned()));
        }
        assert_eq!(pseudonyms.len(), behind.iter().filter(|&&b| b < cap).count(), "{name}");
        let unit = json(&release.join("release.json"))["unit_of_privacy"].as_str().unwrap().to_owned();
        assert!(
            unit.contains(&format!("A party counts with {rule}; the rest are not in the release")),
            "{name}: {unit}"
        );
    }
}

#[test]
fn the_ledger_cannot_be_reset_edited_or_raced() {
    let (_tmp, dir) = dataset(&ALL_VARIANTS[..1]);
    let d = dir.to_str().unwrap();
    // Two releases at once that each fit the budget but not both: the lock
    // lets exactly one through.
    let spawn = |name: &str| {
        Command::new(env!("CARGO_BIN_EXE_aisle"))
            .args(["publish", d, "--epsilon", "1.5", "--budget", "2", "--name", name])
            .output()
    };
    let (a, b) = std::thread::scope(|s| {
        let a = s.spawn(|| spawn("a").unwrap());
        let b = s.spawn(|| spawn("b").unwrap());
        (a.join().unwrap(), b.join().unwrap())
    });
    let codes = [a.status.code(), b.status.code()];
    assert!(codes.contains(&Some(0)) && codes.contains(&Some(2)), "{codes:?}");
    let ledger_path = dir.join("privacy/ledger.json");
    let ledger = std::fs::read_to_string(&ledger_path).unwrap();
    // Raising the budget by hand breaks the chain.
    std::fs::write(&ledger_path, ledger.replace("\"epsilon\": 2.0", "\"epsilon\": 20.0")).unwrap();
    let out = aisle(&["publish", d, "--epsilon", "0.1", "--name", "c"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("does not chain from the budget"), "{:?}", out);
    // Stripping the hashes (and raising the budget) does not pass for a
    // ledger older than the chain.
    let mut stripped: serde_json::Value = serde_json::from_str(&ledger).unwrap();
    stripped["budget"]["epsilon"] = serde_json::json!(100.0);
    for e in stripped["entries"].as_array_mut().unwrap() {
        (e["sha256"], e["prev_sha256"]) = (serde_json::json!(""), serde_json::json!(""));
    }
    std::fs::write(&ledger_path, serde_json::to_string_pretty(&stripped).unwrap()).unwrap();
    let out = aisle(&["publish", d, "--epsilon", "10", "--name", "c"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("carries no hash"), "{:?}", out);
    // Deleting the ledger does not give the budget back: the release is still there.
    std::fs::remove_file(&ledger_path).unwrap();
    let out = aisle(&["publish", d, "--epsilon", "0.1", "--name", "c"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("has no entry in the ledger"), "{:?}", out);
    // Restored, it works again.
    std::fs::write(&ledger_path, &ledger).unwrap();
    ok(aisle(&["publish", d, "--epsilon", "0.5", "--name", "c"]));
}

/// A release is charged before it is put in place. Killed after its spend
/// was recorded, it waits complete in its hidden directory and the next
/// writer puts it in place; killed before, its noised figures were never
/// charged and the next writer removes them. `verify` says which.
#[test]
fn a_release_killed_while_landing_is_settled_by_the_next_writer() {
    let (_tmp, dir) = dataset(&ALL_VARIANTS[..1]);
    let d = dir.to_str().unwrap();
    let releases = dir.join("releases");
    let uncharged = |name: &str| {
        let partial = releases.join(format!(".{name}.partial"));
        std::fs::create_dir_all(&partial).unwrap();
        std::fs::write(partial.join("metrics.csv"), "variant,metric,value\nbaseline,visitors,39.01\n").unwrap();
    };
    // The dataset's first release killed before its entry made the ledger.
    uncharged("first");
    let out = aisle(&["verify", d]);
    let said = String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "{said}");
    assert!(said.contains(".first.partial: the noised figures of a release interrupted before"), "{said}");
    ok(aisle(&["verify", "--repair", d]));
    assert!(!releases.join(".first.partial").exists());
    ok(aisle(&["publish", d, "--epsilon", "0.5", "--name", "a"]));
    // As `publish` leaves them killed after and before recording the spend.
    std::fs::rename(releases.join("a"), releases.join(".a.partial")).unwrap();
    uncharged("b");
    let out = aisle(&["verify", d]);
    let said = String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "{said}");
    assert!(
        said.contains(".a.partial: a release interrupted after its spend was recorded, not yet in place"),
        "{said}"
    );
    assert!(
        said.contains(".b.partial: the noised figures of a release interrupted before its spend was recorded"),
        "{said}"
    );
    assert!(!said.contains("restore"), "nothing needs a backup: {said}");
    ok(aisle(&["verify", "--repair", d]));
    assert!(releases.join("a/release.json").is_file() && !releases.join(".a.partial").exists());
    assert!(!releases.join(".b.partial").exists());
    ok(aisle(&["verify", d]));
    // The next publish settles them too, and says so.
    uncharged("c");
    let out = aisle(&["publish", d, "--epsilon", "0.5", "--name", "d"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(said.contains(".c.partial: removed, the noised figures of a release interrupted"), "{said}");
    assert!(!releases.join(".c.partial").exists());
    let names: Vec<String> = json(&dir.join("privacy/ledger.json"))["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["name"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(names, ["a", "d"]);
    ok(aisle(&["verify", d]));
}

/// `--clamp zones=1000` on a store of two zones charged a sensitivity of
/// 1,000 zone visits per shopper, and the default of 4 doubled the zone
/// noise on it: a shopper counts in at most every zone there is, so the
/// bound is lowered to the layout's count (said, and recorded).
#[test]
fn a_bound_above_what_the_layout_holds_is_lowered_to_it() {
    let (_tmp, dir) = dataset(&ALL_VARIANTS[..1]);
    let d = dir.to_str().unwrap();
    let said = ok(aisle(&["publish", d, "--epsilon", "1", "--name", "r", "--clamp", "zones=1000"]));
    assert!(
        said.contains("bounds lowered to what the layout allows: zones 1000 → 2 (the store has 2 zone(s))"),
        "{said}"
    );
    let release = json(&dir.join("releases/r/release.json"));
    assert_eq!(release["bounds"]["max_zones"], 2);
    let queries = release["entry"]["queries"].as_array().unwrap();
    let zone_visitors = queries.iter().find(|q| q["query"] == "zone_visitors").unwrap();
    assert_eq!(zone_visitors["sensitivity_l1"].as_f64(), Some(2.0), "one visit to each of the two zones at most");
    let said = ok(aisle(&["publish", d, "--epsilon", "1", "--name", "s", "--clamp", "zones=1"]));
    assert!(!said.contains("bounds lowered"), "a bound within the layout stays: {said}");
}

/// A release's figures were clamped into range after the noise: a sum the
/// noise pushed below zero read 0 (a day's revenue, "0"), a count above
/// the one bounding it was pushed onto it (payments = parties = arrivals
/// at the tills, beside a blank conversion), a zone everyone passes read a
/// visit rate of exactly 1. Each reads as certain and is not. Then those
/// out of range were left blank, so the figures listed leaned high (only
/// the ones the noise did not push below zero): a figure out of range is
/// listed as it came out, marked `out_of_range`. Seeded releases, so the
/// counts below are fixed.
#[test]
fn no_released_figure_is_clamped_into_range_nor_dropped() {
    let (_tmp, dir) = dataset(&ALL_VARIANTS);
    let d = dir.to_str().unwrap();
    let (mut zeros, mut ones, mut figures, mut outside) = (0, 0, 0, 0);
    for seed in 1..=6 {
        let name = format!("s{seed}");
        ok(aisle(&["publish", d, "--epsilon", "1", "--seed", &seed.to_string(), "--name", &name]));
        let csv = std::fs::read_to_string(dir.join("releases").join(&name).join("metrics.csv")).unwrap();
        for line in csv.lines().filter(|l| !l.starts_with('#')).skip(1) {
            let [_, metric, unit, value, _, _, _, noisy] = line.split(',').collect::<Vec<_>>()[..] else {
                panic!("{line}")
            };
            let Ok(value) = value.parse::<f64>() else {
                assert_eq!(noisy, "undefined", "{line}");
                continue;
            };
            figures += 1;
            let most = if unit == "ratio" { 1.0 } else { f64::INFINITY };
            let out = !(0.0..=most).contains(&value);
            assert!(!out || noisy == "out_of_range", "{metric} = {value} is out of range, unmarked: {csv}");
            outside += usize::from(out);
            zeros += (value == 0.0) as usize;
            ones += (unit == "ratio" && value == 1.0) as usize;
        }
    }
    assert!(figures > 60 && outside > 5, "{figures} figures published, {outside} out of range");
    // Clamped, 25 figures of these releases read exactly 0.
    assert_eq!((zeros, ones), (0, 0), "figures at the edge of their range");
    // Nor heat: a cell the noise pushed below zero is listed so (read as 0,
    // summed cells came to many times the truth).
    let (mut cells, mut below) = (0, 0);
    for seed in 1..=6 {
        let csv = std::fs::read_to_string(dir.join("releases").join(format!("s{seed}")).join("heatmap.csv")).unwrap();
        for line in csv.lines().filter(|l| !l.starts_with('#')).skip(1) {
            let fields: Vec<&str> = line.split(',').collect();
            let value: f64 = fields[6].parse().unwrap();
            cells += 1;
            below += (value < 0.0) as usize;
            assert!(value >= 0.0 || fields[8] == "out_of_range", "{line}");
        }
    }
    assert!(below > cells / 10, "{below} of {cells} heat cells below zero");
}

/// A mean of what each shopper adds cannot exceed the clamp on it: a
/// release listed 71.69 items a basket under a clamp of 60 (the true mean
/// about 3.2) as plainly as any figure. Past its clamp, as past any range,
/// a figure is listed as it came out and marked `out_of_range`. With
/// clamps every basket reaches (one item, 0.50), the exact means sit on
/// the clamp, and the noise puts about half of them past it.
#[test]
fn a_released_mean_over_the_clamp_on_what_one_shopper_adds_is_marked() {
    use aisle::privacy::contrib::Bound;
    let (_tmp, dir) = dataset(&ALL_VARIANTS);
    let d = dir.to_str().unwrap();
    let b = Bounds::default().with(Bound::Items, 1.0).with(Bound::Basket, 0.5);
    let (mut bounded, mut over) = (0, 0);
    for seed in 1..=6 {
        let name = format!("m{seed}");
        let seed = seed.to_string();
        let mut args = vec!["publish", d, "--epsilon", "8", "--seed", &seed, "--name", &name];
        args.extend(["--clamp", "items=1", "--clamp", "basket=0.5"]);
        ok(aisle(&args));
        let csv = std::fs::read_to_string(dir.join("releases").join(&name).join("metrics.csv")).unwrap();
        for line in csv.lines().filter(|l| !l.starts_with('#')).skip(1) {
            let [_, metric, unit, value, _, _, _, noisy] = line.split(',').collect::<Vec<_>>()[..] else {
                panic!("{line}")
            };
            if !["basket_items", "basket_value", "revenue_per_visitor"].contains(&metric) {
                continue;
            }
            let most = query::most(metric, unit, &b);
            match value.parse::<f64>() {
                Ok(value) if value > most => {
                    assert_eq!(noisy, "out_of_range", "{metric} = {value} over its clamp's {most}: {csv}");
                    over += 1;
                }
                Ok(_) => bounded += 1,
                Err(_) => assert_eq!(noisy, "undefined", "{line}"),
            }
        }
    }
    assert!(bounded > 10 && over > 10, "{bounded} means published under their clamp, {over} over it");
}

/// `aisle run` builds the variant it runs; a scenario whose other variant
/// is broken made a dataset that verified but could not be published
/// ("variant 'wide': fixture … does not exist", pointing into the
/// dataset's own scenario copy): the release read every variant of the
/// file for its layout cap. It reads those with runs, as it publishes.
#[test]
fn a_variant_never_run_does_not_keep_its_dataset_from_a_release() {
    let tmp = tempfile::tempdir().unwrap();
    let scenario = tmp.path().join("tiny.toml");
    let source = std::fs::read_to_string(scenario_path("tiny")).unwrap();
    let broken = "\n[[variants]]\nid = \"broken\"\nedits = [{ op = \"remove_fixture\", fixture = \"NO-SUCH\" }]\n";
    std::fs::write(&scenario, source + broken).unwrap();
    assert!(!aisle(&["validate", scenario.to_str().unwrap()]).status.success(), "the variant is broken");
    let dir = tmp.path().join("d");
    let d = dir.to_str().unwrap();
    let run = aisle(&["run", scenario.to_str().unwrap(), "--seed", "1", "--no-report", "--out", d]);
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(run.status.success(), "{stderr}");
    // The run says the file is not valid as a whole.
    assert!(stderr.contains("warning: variant `broken` of this file is not valid ("), "{stderr}");
    assert!(stderr.contains("this run is of `baseline` alone"), "{stderr}");
    ok(aisle(&["publish", d, "--epsilon", "1", "--seed", "1"]));
    assert!(dir.join("releases/release-1/metrics.csv").exists());
}

/// A variant run on other seeds than the baseline (a shard's runs) was
/// left out of the release's comparison without a word.
#[test]
fn a_variant_sharing_too_few_seeds_with_the_baseline_is_said_to_be_uncompared() {
    let (_tmp, dir) = dataset(&[("baseline", 1), ("baseline", 2), ("cola-on-promo", 2), ("cola-on-promo", 3)]);
    let out = aisle(&["publish", dir.to_str().unwrap(), "--epsilon", "1", "--seed", "1"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(
        stderr.contains("variant `cola-on-promo` shares 1 seed(s) with `baseline`: the release lists its figures but compares it with nothing"),
        "{stderr}"
    );
    let csv = std::fs::read_to_string(dir.join("releases/release-1/comparison.csv")).unwrap();
    assert!(!csv.contains("cola-on-promo"), "{csv}");
}

/// Every mean `query::most` bounds is a figure of the catalogue written
/// over sums, in the unit its query's clamp is given in.
#[test]
fn the_bounded_means_are_figures_of_the_catalogue() {
    use aisle::metrics::catalogue::{self, Formula};
    for (name, q, per_unit) in query::MEANS {
        let def = catalogue::find(name).unwrap_or_else(|| panic!("{name} is no figure"));
        assert!(matches!(def.formula, Formula::Totals(_)), "{name} is not written over sums");
        let b = Bounds::default();
        let spec = q.spec(&b);
        let most = query::most(name, def.unit, &b);
        assert!(most >= spec.clamp / per_unit && most < (spec.clamp + spec.step) / per_unit, "{name}: {most}");
    }
}

/// A release clamps each basket (150 by default): on a store whose baskets
/// run to thousands it published revenue per visitor 118.73 against an
/// exact 115,117.53 and said nothing. The curator is warned of a bound that
/// cuts most of a total, on the terminal only; `--clamp` sets the bound,
/// and it is recorded in the release.
#[test]
fn a_clamp_that_cuts_most_baskets_is_warned_of_and_can_be_raised() {
    let (_tmp, dir) = dataset(&ALL_VARIANTS[..1]);
    let d = dir.to_str().unwrap();
    let tight = aisle(&["publish", d, "--epsilon", "0.1", "--seed", "1", "--clamp", "basket=0.5", "--name", "tight"]);
    let stderr = String::from_utf8_lossy(&tight.stderr);
    assert!(tight.status.success(), "{stderr}");
    assert!(
        stderr.contains("warning: revenue, revenue per visitor and basket value: the bounds (--clamp basket=0.5) keep"),
        "{stderr}"
    );
    assert!(stderr.contains("these lines read the exact data and are not published"), "{stderr}");
    let release = std::fs::read_to_string(dir.join("releases/tight/release.json")).unwrap();
    assert!(!release.contains("keep") && release.contains("\"basket_clamp\": 0.5"), "{release}");
    let wide = aisle(&["publish", d, "--epsilon", "0.1", "--seed", "1", "--clamp", "basket=100000", "--name", "wide"]);
    assert!(!String::from_utf8_lossy(&wide.stderr).contains("revenue, revenue per visitor"));
    for (clamp, said) in [
        (
            "basket=0",
            "basket = 0: must be a number more than 0 and at most 1000000 (a shopper's basket, currency units)",
        ),
        ("zones=2.5", "zones = 2.5: must be a whole number more than 0 and at most 1000"),
        ("bask=3", "no bound is called `bask`; use one of basket (a shopper's basket, currency units), items"),
        ("basket", "`basket` is not NAME=VALUE"),
        ("wait=soon", "wait: `soon` is not a number"),
        ("visit=1e300", "visit = 1e300: must be a number more than 0 and at most 86400"),
    ] {
        let out = aisle(&["publish", d, "--epsilon", "0.1", "--clamp", clamp]);
        assert_eq!(out.status.code(), Some(2), "{clamp}");
        assert!(
            String::from_utf8_lossy(&out.stderr).contains(said),
            "{clamp}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    // The last of two was kept silently.
    let twice = aisle(&["publish", d, "--epsilon", "0.1", "--clamp", "basket=5", "--clamp", "basket=3"]);
    assert_eq!(twice.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&twice.stderr).contains("--clamp basket is given twice; give each bound once"));
}

/// A release's comparison used to be a paired t over each day's noised
/// ratios: a figure the noise pushed to zero in both layouts on every day
/// gave `[0, 0]`, a certain "no change" (9–29 of 80 releases of tiny per
/// figure), the unedited copy of the baseline came out significant, and
/// the intervals covered the exact differences 70–87% of the time. Now
/// the difference is that of the ratios of noised sums the release lists,
/// and its interval is never narrower than the noise alone: over many
/// draws at every ε it covers the exact difference at least 95% of the
/// time, no interval has zero width, and the comparison agrees with the
/// figures table.
#[test]
fn release_intervals_cover_the_exact_differences_and_agree_with_the_figures() {
    use aisle::privacy::release::{COMPARED, Cells, comparison, exact_difference, figure, gather, noised, paired_runs};
    let runs: Vec<(&str, u64)> =
        (1..=4).flat_map(|seed| ["baseline", "cola-on-promo", "same-as-baseline"].map(|v| (v, seed))).collect();
    let (_tmp, dir) = dataset(&runs);
    let bounds = Bounds { basket_clamp: 20.0, ..Bounds::default() };
    let g = gather(&dir, &bounds, |_, _| {}).unwrap();
    let exact: Vec<Vec<Answers>> =
        g.variants.iter().map(|v| v.runs.iter().map(|r| r.exact.clone()).collect()).collect();
    let mut rng = ChaCha20Rng::seed_from_u64(11);
    let (mut covered, mut intervals, mut undefined) = (0usize, 0usize, 0usize);
    for epsilon in [2.0, 20.0, 200.0, 2000.0] {
        let cal = calibrate(Mechanism::DiscreteLaplace, epsilon, 1e-6, &bounds, g.sharing);
        for _ in 0..150 {
            let n = noised(&g, &cal, &bounds, &mut rng, Cells::WithoutHeat);
            for row in comparison(&g, &n.runs, &cal, &bounds) {
                let i = g.variants.iter().position(|v| v.variant == row.variant).unwrap();
                let (base, variant) = paired_runs(&g, &exact, i);
                let truth = exact_difference(&row.metric, &base, &variant).unwrap();
                let Some((lo, hi)) = row.lo.zip(row.hi) else {
                    undefined += 1;
                    continue;
                };
                assert!(hi > lo, "{epsilon}: {row:?} has no width");
                intervals += 1;
                covered += (lo <= truth && truth <= hi) as usize;
                // The difference is that of the figures the release lists.
                let of = |v: usize| {
                    let runs: Vec<&Answers> = n.runs[v].iter().collect();
                    figure(&row.metric, &runs, &cal, &bounds).unwrap().unwrap().value
                };
                let d = row.difference.unwrap();
                assert!((d - (of(i) - of(0))).abs() <= 1e-9 * d.abs().max(1.0), "{row:?}");
            }
        }
    }
    let coverage = covered as f64 / intervals as f64;
    assert!(intervals > 2000 && undefined > 0, "{intervals} intervals, {undefined} too noisy: every regime is tried");
    assert!(coverage >= 0.95, "coverage {coverage:.3} over {intervals} intervals");
    assert_eq!(COMPARED.len(), 7);
}

/// The exact figures an evaluation prints: (variant, value).
fn evaluated_exact(out: &str, metric: &str) -> Vec<(String, f64)> {
    out.lines()
        .find_map(|l| l.strip_prefix(&format!("exact {metric}: ")))
        .unwrap()
        .split(", ")
        .map(|kv| {
            let (k, v) = kv.rsplit_once(' ').unwrap();
            (k.to_owned(), v.parse().unwrap())
        })
        .collect()
}

/// `--evaluate --metric queue_wait_mean` named the layout with the longest
/// wait the winner: a wait, like an abandonment rate, is better lower.
/// A figure that is neither better higher nor lower has no winner.
#[test]
fn an_evaluation_ranks_by_the_direction_that_is_better() {
    let (_tmp, dir) = dataset(&ALL_VARIANTS);
    let d = dir.to_str().unwrap();
    let out = ok(aisle(&["publish", d, "--evaluate", "--trials", "10", "--metric", "queue_wait_mean"]));
    let exact = evaluated_exact(&out, "queue_wait_mean");
    let least = exact.iter().min_by(|a, b| a.1.total_cmp(&b.1)).unwrap();
    let winners = out.lines().find_map(|l| l.strip_prefix("true winners (within 0.5% of the best): ")).unwrap();
    assert!(winners.split(", ").any(|w| w == least.0), "{out}");
    let most = exact.iter().max_by(|a, b| a.1.total_cmp(&b.1)).unwrap();
    assert!(most.1 > least.1 * 1.005 && !winners.contains(&most.0), "{out}");
    // Its table reads the exact data, and says so on its first line (as its figure does).
    let table = std::fs::read_to_string(dir.join("privacy/evaluation/utility.csv")).unwrap();
    assert!(table.starts_with("# reads the exact data"), "{table}");
    let refused = aisle(&["publish", d, "--evaluate", "--trials", "10", "--metric", "time_in_store_mean"]);
    assert_eq!(refused.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&refused.stderr)
            .contains("--metric time_in_store_mean: neither more nor less of it is better, so no layout wins on it"),
        "{}",
        String::from_utf8_lossy(&refused.stderr)
    );
}

/// An evaluation judged its winners by the mean of the daily figures
/// while a release estimates a ratio of sums over the days (3.6279 against
/// 3.6238 on one store): its exact figure is now the release's, revenue per
/// visitor the days' revenue over their visitors.
#[test]
fn an_evaluation_judges_by_the_figure_a_release_estimates() {
    let (_tmp, dir) = dataset(&ALL_VARIANTS);
    let d = dir.to_str().unwrap();
    let out = ok(aisle(&["publish", d, "--evaluate", "--trials", "10", "--metric", "revenue_per_visitor"]));
    for (variant, value) in evaluated_exact(&out, "revenue_per_visitor") {
        let (mut revenue, mut visitors, mut days) = (0.0, 0.0, Vec::new());
        for entry in std::fs::read_dir(dir.join(format!("runs/variant={variant}"))).unwrap() {
            let record = json(&entry.unwrap().path().join("run.json"));
            let figure = |name: &str| {
                record["metrics"].as_array().unwrap().iter().find(|m| m["name"] == name).unwrap()["value"]
                    .as_f64()
                    .unwrap()
            };
            revenue += figure("revenue");
            visitors += figure("traffic");
            days.push(figure("revenue_per_visitor"));
        }
        let of_sums = revenue / visitors;
        assert!((value - of_sums).abs() < 1e-4, "{variant}: {value} against {of_sums}");
        let mean_of_days = days.iter().sum::<f64>() / days.len() as f64;
        assert!((mean_of_days - of_sums).abs() > 1e-4, "{variant}: the two definitions differ on these days");
    }
}

/// At ε = 0.05 per metre a point moves 40 m on average; in tiny (12 × 8 m)
/// 365 of 378 exported points were moved to the store's edge, 288 of them
/// into its four corners, and nothing said so. The export says when the
/// noise outruns the store, from ε and the layout alone.
#[test]
fn a_local_export_says_when_its_noise_is_wider_than_the_store() {
    let (_tmp, dir) = dataset(&ALL_VARIANTS[..1]);
    let d = dir.to_str().unwrap();
    let wide =
        aisle(&["publish", d, "--local", "--epsilon", "0.05", "--points", "1", "--budget", "100", "--name", "wide"]);
    let stderr = String::from_utf8_lossy(&wide.stderr);
    assert!(wide.status.success(), "{stderr}");
    let said = "warning: at ε = 0.05 per metre noise moves a point 40.0 m on average, more than half the store's \
                narrower side (12.0 × 8.0 m): most points land outside it and are moved to its edge";
    assert!(stderr.contains(said), "{stderr}");
    let release = json(&dir.join("releases/wide/release.json"));
    assert!(release["guarantee"]["edge_note"].as_str().unwrap().starts_with("at ε = 0.05 per metre"));
    let near = aisle(&["publish", d, "--local", "--epsilon", "2", "--points", "1", "--name", "near"]);
    assert!(near.status.success() && near.stderr.is_empty(), "{}", String::from_utf8_lossy(&near.stderr));
    assert!(json(&dir.join("releases/near/release.json"))["guarantee"]["edge_note"].is_null());
}

/// Any file of a release could be edited, added or deleted and `aisle
/// verify` said ok; then `release.json`'s own figures and privacy label
/// could (`"private": false`), and an empty directory could be added. The
/// ledger entry seals the hash of every file and of `release.json` less
/// the entry it carries (which must be the ledger's, stating its cost):
/// each edit is damage to verify and a refusal to the next release.
#[test]
fn an_edited_release_is_caught_by_verify_and_publish() {
    let (_tmp, dir) = dataset(&ALL_VARIANTS[..2]);
    let d = dir.to_str().unwrap();
    ok(aisle(&["publish", d, "--epsilon", "1", "--name", "r"]));
    ok(aisle(&["verify", d]));
    let release = dir.join("releases/r");
    let saved: Vec<(PathBuf, Vec<u8>)> =
        files(&release).into_iter().map(|f| (f.clone(), std::fs::read(f).unwrap())).collect();
    let edit = |file: &str, f: &dyn Fn(String) -> String| {
        let path = release.join(file);
        std::fs::write(&path, f(std::fs::read_to_string(&path).unwrap())).unwrap();
    };
    let sealed_record = "`release.json` was edited (its figures, comparison or privacy label are not those sealed)";
    let cases: [(&str, &dyn Fn()); 9] = [
        ("`metrics.csv` was edited", &|| edit("metrics.csv", &|s| s.replacen(',', ";", 3))),
        ("`index.html` was edited", &|| edit("index.html", &|s| s.replace("<h2>", "<h2>Great! "))),
        ("`comparison.csv` is missing", &|| std::fs::remove_file(release.join("comparison.csv")).unwrap()),
        ("`notes.txt` is not one of its files", &|| std::fs::write(release.join("notes.txt"), "x").unwrap()),
        ("`release.json` states ε = 0.1, but the ledger charged 1", &|| {
            edit("release.json", &|s| s.replacen("\"epsilon\": 1.0", "\"epsilon\": 0.1", 1))
        }),
        ("`release.json` carries another entry than the ledger's", &|| {
            edit("release.json", &|s| s.replacen("\"created_unix_s\": ", "\"created_unix_s\": 1", 1))
        }),
        (sealed_record, &|| edit("release.json", &|s| s.replacen("\"private\": true", "\"private\": false", 1))),
        (sealed_record, &|| edit("release.json", &|s| s.replacen("differentially private", "exact", 1))),
        ("`extra/` is an empty directory, not one of its files", &|| {
            std::fs::create_dir(release.join("extra")).unwrap()
        }),
    ];
    for (said, damage) in cases {
        damage();
        let verify = aisle(&["verify", d]);
        let stdout = String::from_utf8_lossy(&verify.stdout);
        assert_eq!(verify.status.code(), Some(1), "{said}: {stdout}");
        assert!(
            stdout.contains(said) && stdout.contains("the release was changed after it was published"),
            "{said}: {stdout}"
        );
        let next = aisle(&["publish", d, "--epsilon", "0.1", "--name", "next"]);
        assert_eq!(next.status.code(), Some(2), "{said}");
        assert!(String::from_utf8_lossy(&next.stderr).contains(said), "{said}");
        let _ = std::fs::remove_file(release.join("notes.txt"));
        let _ = std::fs::remove_dir(release.join("extra"));
        for (path, bytes) in &saved {
            std::fs::write(path, bytes).unwrap();
        }
        ok(aisle(&["verify", d]));
    }
    // The whole release deleted: one file deleted was refused, all of them let by.
    std::fs::remove_dir_all(&release).unwrap();
    let next = aisle(&["publish", d, "--epsilon", "0.1", "--name", "next"]);
    assert_eq!(next.status.code(), Some(2));
    let said = String::from_utf8_lossy(&next.stderr);
    assert!(said.contains("releases/r: the ledger lists this release, but it is not on disk"), "{said}");
}

/// A sequential study adds seeds as long as its exact figures ask for
/// more: how many it added tells of them, and a release stating its days
/// said so. A release covers the seeds planned before any figure was seen
/// (the curator is told which were left out; the release does not say).
#[test]
fn a_release_leaves_out_the_seeds_a_sequential_study_added() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("d");
    let (s, d) = (scenario_path("tiny"), dir.to_str().unwrap());
    // A target no ten days reach: the study looks again at 12.
    let compare = [
        "compare",
        s.to_str().unwrap(),
        "--target-halfwidth",
        "0.0001",
        "--max-replications",
        "12",
        "--metric",
        "revenue_per_visitor",
    ];
    ok(aisle(&[&compare[..], &["--no-report", "--out", d]].concat()));
    let manifest: serde_json::Value = json(&dir.join("manifest.json"));
    let looks: BTreeSet<(u64, Option<u64>)> = manifest["runs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["seed"].as_u64().unwrap(), r["added_at_look"].as_u64()))
        .collect();
    let expected: BTreeSet<(u64, Option<u64>)> = (1..=12).map(|seed| (seed, (seed > 10).then_some(2))).collect();
    assert_eq!(looks, expected);
    let out = aisle(&["publish", d, "--epsilon", "1", "--name", "r"]);
    let said = String::from_utf8_lossy(&out.stderr).into_owned() + &String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{said}");
    assert!(said.contains("seeds 11–12 left out: a sequential study's looks added seeds from 11 on"), "{said}");
    // Seeds planned later stand beyond those the study added: released,
    // the days they made (14 less the 2 added) would tell where it stopped.
    ok(aisle(&["compare", s.to_str().unwrap(), "--replications", "14", "--no-report", "--out", d]));
    let out = aisle(&["publish", d, "--epsilon", "1", "--name", "r2"]);
    let said = String::from_utf8_lossy(&out.stderr).into_owned() + &String::from_utf8_lossy(&out.stdout);
    assert!(said.contains("seeds 11–14 left out"), "{said}");
    for name in ["r", "r2"] {
        let release = json(&dir.join("releases").join(name).join("release.json"));
        for v in release["variants"].as_array().unwrap() {
            assert_eq!(v["runs"], 10, "{v}");
        }
        for file in files(&dir.join("releases").join(name)) {
            let text = std::fs::read_to_string(&file).unwrap_or_default();
            assert!(!text.contains("12 days") && !text.contains("left out"), "{}", file.display());
        }
    }
    // Simulated again by a repair or by `aisle run`, a run stays one a look added.
    std::fs::remove_file(dir.join("runs/variant=baseline/seed=12/run.json")).unwrap();
    ok(aisle(&["verify", d, "--repair"]));
    let record = json(&dir.join("runs/variant=baseline/seed=12/run.json"));
    assert_eq!(record["added_at_look"], 2);
    // With its log gone as well: the manifest still lists the run and its mark.
    for gone in ["runs/variant=baseline/seed=12", "events/variant=baseline/seed=12"] {
        std::fs::remove_dir_all(dir.join(gone)).unwrap();
    }
    ok(aisle(&["verify", d, "--repair"]));
    let record = json(&dir.join("runs/variant=baseline/seed=12/run.json"));
    assert_eq!(record["added_at_look"], 2);
    ok(aisle(&["run", s.to_str().unwrap(), "--seed", "11", "--no-report", "--out", d]));
    let record = json(&dir.join("runs/variant=baseline/seed=11/run.json"));
    assert_eq!(record["added_at_look"], 2);
    // A local export holds the same seeds as a central release.
    let out = aisle(&["publish", d, "--local", "--epsilon", "0.05", "--points", "1", "--name", "trace"]);
    let said = String::from_utf8_lossy(&out.stderr).into_owned() + &String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success() && said.contains("seeds 11–14 left out"), "{said}");
}

/// A release made before `--replace` put another version of the scenario
/// in the dataset stayed, and verify said nothing of it: it describes runs
/// no longer there. It stays (published, its cost in the ledger), noted.
#[test]
fn a_release_of_a_replaced_version_is_noted_by_verify() {
    let tmp = tempfile::tempdir().unwrap();
    let scenario = tmp.path().join("tiny.toml");
    let source = std::fs::read_to_string(scenario_path("tiny")).unwrap();
    std::fs::write(&scenario, &source).unwrap();
    let dir = tmp.path().join("d");
    let (s, d) = (scenario.to_str().unwrap(), dir.to_str().unwrap());
    ok(aisle(&["run", s, "--seed", "1", "--no-report", "--out", d]));
    ok(aisle(&["publish", d, "--epsilon", "1", "--seed", "1", "--name", "old"]));
    assert!(!ok(aisle(&["verify", d])).contains("note:"));
    std::fs::write(&scenario, source.replace("daily_visitors = 40", "daily_visitors = 41")).unwrap();
    let replaced = aisle(&["run", s, "--seed", "1", "--no-report", "--out", d, "--replace"]);
    let stderr = String::from_utf8_lossy(&replaced.stderr).into_owned();
    ok(replaced);
    assert!(stderr.contains("--replace: 1 run(s) of another version of the scenario discarded from"), "{stderr}");
    let said = ok(aisle(&["verify", d]));
    assert!(said.contains("releases/old: made from another version of scenario `tiny`"), "{said}");
    assert!(said.contains("it describes those runs, not these") && said.contains(": ok — 1 run(s) verified"), "{said}");
}

/// A release's figures table listed basket value 94.18 at ε = 3 on a
/// tiny store (the truth 3.67) as plainly as any other: a figure of few
/// shoppers at a small ε is mostly noise. Then only the compared figures
/// carried an interval, and only one reaching zero was greyed: a day's
/// revenue of 2228.32 (the truth 6725, the noise's SD about 2,700) and
/// "8.15 [1.42, 14.88]" read as plain numbers. Every figure carries its
/// noise's SD and a 95% interval in `metrics.csv`, `release.json` and the
/// page, which greys each the CSV marks `noisy`: its interval as wide as
/// itself, out of range, or undefined.
#[test]
fn released_figures_carry_their_noise_and_noise_dominated_ones_say_so() {
    let (_tmp, dir) = dataset(&[("baseline", 1), ("baseline", 2), ("baseline", 3)]);
    let d = dir.to_str().unwrap();
    let said = ok(aisle(&["publish", d, "--epsilon", "10", "--seed", "3", "--name", "r"]));
    let csv = std::fs::read_to_string(dir.join("releases/r/metrics.csv")).unwrap();
    let (mut intervals, mut noisy, mut clear) = (0, 0, 0);
    for line in csv.lines().filter(|l| !l.starts_with('#')).skip(1) {
        let [_, metric, unit, value, lo, hi, sd, mark] = line.split(',').collect::<Vec<_>>()[..] else {
            panic!("{line}")
        };
        noisy += usize::from(!mark.is_empty());
        let [Ok(value), Ok(lo), Ok(hi), Ok(sd)] = [value, lo, hi, sd].map(str::parse::<f64>) else {
            assert_eq!(mark, "undefined", "{line}");
            continue;
        };
        assert!(lo <= value && value <= hi && sd > 0.0, "{metric}: {value} outside [{lo}, {hi}], noise SD {sd}");
        intervals += 1;
        let out = value < 0.0 || (unit == "ratio" && value > 1.0);
        let expected = if out {
            "out_of_range"
        } else if hi - lo >= value.abs() {
            "wide_interval"
        } else {
            ""
        };
        // A mean over its clamp is out of range too (`query::most`).
        let over_clamp = mark == "out_of_range" && !out;
        assert!(mark == expected || over_clamp, "{line}: marked {mark:?}, the rule says {expected:?}");
        clear += usize::from(mark.is_empty());
    }
    assert!(intervals >= 12 && clear >= 1, "{intervals} figures with an interval, {clear} clear: {csv}");
    let page = std::fs::read_to_string(dir.join("releases/r/index.html")).unwrap();
    assert_eq!(page.matches("<span class=\"noisy\">").count(), noisy, "{csv}");
    assert!(page.contains("at least as wide as the figure itself"), "the page states the rule");
    let json = json(&dir.join("releases/r/release.json"));
    let listed = json["variants"][0]["metrics"].as_array().unwrap();
    assert_eq!(listed.iter().filter(|m| m["lo95"].is_number() && m["noise_sd"].is_number()).count(), intervals);
    assert_eq!(listed.iter().filter(|m| m["noisy"].is_string()).count(), noisy);
    assert!(said.contains(&format!("{clear} clear of the noise")), "publish says how many: {said}");
}
