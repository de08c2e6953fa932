//! The Parquet log: byte-identical for the same inputs, read back exactly,
//! self-describing, written atomically.

mod common;

use aisle::events::dataset::{Dataset, OnScenarioChange};
use aisle::events::parquet::{read_log, read_meta};
use aisle::metrics::Layout;
use aisle::run::{run_into, write_log};
use common::{prepare, simulate};

#[test]
fn same_scenario_variant_and_seed_give_byte_identical_files() {
    for (name, variant) in [("tiny", "baseline"), ("tiny", "cola-on-promo"), ("grocery", "baseline")] {
        let p = prepare(name, variant);
        let dir = tempfile::tempdir().unwrap();
        let (a, b) = (dir.path().join("a.parquet"), dir.path().join("b.parquet"));
        let layout = Layout::new(&p);
        write_log(&a, &p, &layout, 11, &mut |_| {}).unwrap();
        write_log(&b, &p, &layout, 11, &mut |_| {}).unwrap();
        let (a, b) = (std::fs::read(&a).unwrap(), std::fs::read(&b).unwrap());
        assert!(a.len() > 1000, "{name}: log suspiciously small");
        assert!(a == b, "{name}/{variant}: two runs with seed 11 differ");
    }
}

#[test]
fn different_seeds_give_different_days() {
    let p = prepare("tiny", "baseline");
    assert_ne!(simulate(&p, 1), simulate(&p, 2));
}

#[test]
fn replayed_log_equals_the_live_stream() {
    let p = prepare("tiny", "baseline");
    let live = simulate(&p, 5);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("log.parquet");
    let (_, _, written) = write_log(&path, &p, &Layout::new(&p), 5, &mut |_| {}).unwrap();
    let (meta, replayed) = read_log(&path).unwrap();
    assert_eq!(written.rows as usize, live.len());
    assert_eq!(replayed, live);
    assert_eq!(meta.variant, "baseline");
    assert_eq!(meta.seed, 5);
    assert_eq!(meta.tick_ms, 100);
    assert_eq!(meta.products.len(), p.scenario.products.len());
    assert_eq!(meta.lanes, vec!["L1".to_string()]);
    assert_eq!(meta.scenario_sha256, p.scenario.source_sha256);
}

#[test]
fn a_run_lands_in_the_hive_layout_with_a_manifest_and_no_temporary_files() {
    let p = prepare("tiny", "cola-on-promo");
    let dir = tempfile::tempdir().unwrap();
    let file = aisle::scenario::ScenarioFile::read(&common::scenario_path("tiny")).unwrap();
    let mut ds = Dataset::open_for(dir.path(), &file, OnScenarioChange::Refuse).unwrap();
    let outcome = run_into(&mut ds, &p, 3, |_| {}).unwrap();
    let log = dir.path().join("events/variant=cola-on-promo/seed=3/part-0.parquet");
    assert_eq!(std::fs::read_to_string(dir.path().join("scenario.toml")).unwrap(), file.source);
    assert!(dir.path().join("metrics/metrics.parquet").exists());
    assert_eq!(outcome.log.path, log);
    assert_eq!(read_meta(&log).unwrap().variant, "cola-on-promo");
    let manifest = Dataset::read_manifest(dir.path()).unwrap().unwrap();
    assert_eq!(manifest.runs.len(), 1);
    assert_eq!(manifest.runs[0].rows, outcome.log.rows);
    assert_eq!(manifest.runs[0].sha256, aisle::events::fs::file_sha256(&log).unwrap());
    let leftovers: Vec<_> =
        walk(dir.path()).into_iter().filter(|p| p.file_name().unwrap().to_string_lossy().contains(".tmp")).collect();
    assert!(leftovers.is_empty(), "temporary files left: {leftovers:?}");
    // A dataset of another version of the scenario is refused, not mixed.
    let mut edited = file.clone();
    edited.sha256 = "0000".into();
    let refused = Dataset::open_for(dir.path(), &edited, OnScenarioChange::Refuse);
    assert!(refused.is_err());
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}

#[test]
fn an_unfinished_log_leaves_nothing_that_looks_complete() {
    let p = prepare("tiny", "baseline");
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("events/variant=baseline/seed=1/part-0.parquet");
    let mut writer = aisle::events::parquet::LogWriter::create(&path, &aisle::run::log_meta(&p, 1)).unwrap();
    writer.send(&simulate(&p, 1)).unwrap();
    drop(writer); // as if the run were interrupted before `finish`
    assert!(!path.exists(), "a log that was never finished must not appear");
    let stray: Vec<_> =
        walk(dir.path()).into_iter().filter(|f| f.extension().is_some_and(|x| x == "parquet")).collect();
    assert!(stray.is_empty(), "{stray:?}");
}
