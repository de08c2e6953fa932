//! Differential privacy: budget enforcement and accounting across variants
//! (`ledger`), what a release may contain, no ids, no logs, no seed
//! (`release`), an empirical audit of the privacy loss on neighbouring
//! datasets built through the logs (`audit`), the local export's noise
//! against the raw positions (`local`) and the privacy–utility evaluation
//! (`evaluate`). The datasets and commands they share are here.

#[path = "../common/mod.rs"]
mod common;

mod audit;
mod evaluate;
mod ledger;
mod local;
mod release;

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
