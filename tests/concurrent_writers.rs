//! Writers at the same time into one dataset: two versions of a scenario
//! never mix (one is refused, whichever comes second), while shards of one
//! version merge.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn fresh(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("aisle-concurrent-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn compare(scenario: &Path, out: &Path, extra: &[&str]) -> Child {
    Command::new(env!("CARGO_BIN_EXE_aisle"))
        .current_dir(root())
        .arg("compare")
        .arg(scenario)
        .args(["--replications", "2", "--jobs", "1", "--no-report", "--out"])
        .arg(out)
        .args(extra)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

/// The scenario hash every log in `dir` names, one per log.
fn log_versions(dir: &Path) -> Vec<String> {
    aisle::events::dataset::partitions(&dir.join("events"))
        .iter()
        .map(|p| aisle::events::parquet::read_meta(&p.join("part-0.parquet")).unwrap().scenario_sha256)
        .collect()
}

fn verify(dir: &Path) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_aisle")).arg("verify").arg(dir).output().unwrap()
}

#[test]
fn two_versions_at_once_never_mix() {
    let tmp = fresh("versions");
    let tiny = std::fs::read_to_string(root().join("scenarios/tiny.toml")).unwrap();
    let (a, b) = (tmp.join("a.toml"), tmp.join("b.toml"));
    std::fs::write(&a, &tiny).unwrap();
    std::fs::write(&b, tiny.replace("price = 1.49", "price = 1.59")).unwrap();
    let out = tmp.join("dataset");
    // Several rounds: which one starts first varies.
    for round in 0..3 {
        let _ = std::fs::remove_dir_all(&out);
        let (first, second) = if round % 2 == 0 { (&a, &b) } else { (&b, &a) };
        let children = [compare(first, &out, &[]), compare(second, &out, &[])];
        let results: Vec<_> = children.into_iter().map(|c| c.wait_with_output().unwrap()).collect();
        let codes: Vec<Option<i32>> = results.iter().map(|r| r.status.code()).collect();
        let mut sorted = codes.clone();
        sorted.sort();
        assert_eq!(
            sorted,
            [Some(0), Some(2)],
            "round {round}: one writer succeeds and the other is refused: {codes:?}"
        );
        let refused = results.iter().find(|r| r.status.code() == Some(2)).unwrap();
        let stderr = String::from_utf8_lossy(&refused.stderr);
        assert!(stderr.contains("holds runs of another version of scenario `tiny`"), "round {round}: {stderr}");
        let manifest = aisle::events::dataset::Dataset::read_manifest(&out).unwrap().unwrap();
        let versions = log_versions(&out);
        assert_eq!(versions.len(), 6, "round {round}: 3 variants × 2 seeds");
        assert!(
            versions.iter().all(|v| *v == manifest.scenario_sha256),
            "round {round}: logs of two versions in one dataset"
        );
        let check = verify(&out);
        assert_eq!(check.status.code(), Some(0), "{}", String::from_utf8_lossy(&check.stdout));
    }
    std::fs::remove_dir_all(tmp).unwrap();
}

#[test]
fn shards_of_one_version_merge() {
    let tmp = fresh("shards");
    let out = tmp.join("dataset");
    let scenario = root().join("scenarios/tiny.toml");
    let children = [compare(&scenario, &out, &["--shard", "1/2"]), compare(&scenario, &out, &["--shard", "2/2"])];
    for child in children {
        let r = child.wait_with_output().unwrap();
        assert_eq!(r.status.code(), Some(0), "{}", String::from_utf8_lossy(&r.stderr));
    }
    let manifest = aisle::events::dataset::Dataset::read_manifest(&out).unwrap().unwrap();
    assert_eq!(log_versions(&out).len(), 6);
    // The last writer to finish rebuilt the manifest from every record.
    assert_eq!(manifest.runs.len(), 6, "both shards' runs are in the manifest");
    let check = verify(&out);
    assert_eq!(check.status.code(), Some(0), "{}", String::from_utf8_lossy(&check.stdout));
    std::fs::remove_dir_all(tmp).unwrap();
}

/// `verify` beside a writer at work read its runs in flight (logs without
/// records yet) as damage, and `--repair` simulated them again beside it;
/// `publish` released (and charged) the days a sweep had finished so far;
/// `report` drew a page of the runs listed so far. All wait until the
/// writer is done, saying so.
#[test]
fn verify_publish_and_report_refuse_a_dataset_being_written() {
    let tmp = fresh("verify-busy");
    let out = tmp.join("dataset");
    let done = compare(&root().join("scenarios/tiny.toml"), &out, &[]).wait_with_output().unwrap();
    assert!(done.status.success(), "{}", String::from_utf8_lossy(&done.stderr));
    let aisle = |args: &[&str]| Command::new(env!("CARGO_BIN_EXE_aisle")).args(args).arg(&out).output().unwrap();
    // A writer's hold, as every writing command takes it.
    let writers = std::fs::OpenOptions::new().read(true).write(true).open(out.join(".writers.lock")).unwrap();
    writers.lock_shared().unwrap();
    let publish = ["publish", "--epsilon", "1", "--name", "r"];
    let local = ["publish", "--local", "--epsilon", "0.05", "--points", "2", "--budget", "20", "--name", "l"];
    for args in [&["verify"][..], &["verify", "--repair"], &publish, &local, &["report"]] {
        let said = aisle(args);
        assert_eq!(said.status.code(), Some(2), "{args:?}");
        let stderr = String::from_utf8_lossy(&said.stderr);
        assert!(stderr.contains("another aisle command is writing to this dataset now"), "{args:?}: {stderr}");
    }
    assert!(!out.join("privacy/ledger.json").exists(), "nothing was charged");
    // A sweep lists its runs only as it ends: `publish` beside a first one
    // said the dataset lists no runs and advised running the sweep again
    // or `verify --repair`, both of which would clash with it; a local
    // export or an evaluation beside one adding runs read those not listed
    // yet as damage, with the same advice.
    let manifest = std::fs::read_to_string(out.join("manifest.json")).unwrap();
    let listing = |kept: &str| {
        let mut m: serde_json::Value = serde_json::from_str(&manifest).unwrap();
        m["runs"].as_array_mut().unwrap().retain(|r| r["variant"] == kept);
        std::fs::write(out.join("manifest.json"), m.to_string()).unwrap();
    };
    let local_added = ["publish", "--local", "--epsilon", "0.05", "--variant", "cola-on-promo", "--name", "a"];
    let evaluate = ["publish", "--evaluate", "--trials", "10"];
    for (kept, args) in [("none", &publish[..]), ("none", &local), ("baseline", &local_added), ("baseline", &evaluate)]
    {
        listing(kept);
        let stderr = String::from_utf8_lossy(&aisle(args).stderr).into_owned();
        assert!(stderr.contains("another aisle command is writing to this dataset now"), "{args:?}: {stderr}");
    }
    std::fs::write(out.join("manifest.json"), &manifest).unwrap();
    writers.unlock().unwrap();
    assert!(aisle(&["verify"]).status.success());
    assert!(aisle(&publish).status.success());
    assert!(aisle(&["report"]).status.success());
    // A release being made holds the ledger: its half-written folder read
    // as an interrupted release's, damage (exit 1), until it landed.
    let ledger = aisle::privacy::ledger::lock(&out).unwrap();
    let said = aisle(&["verify"]);
    assert_eq!(said.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&said.stderr);
    assert!(stderr.contains("another aisle command is writing to this dataset now"), "{stderr}");
    // A second release waits for the first to land, and says so (it hung
    // without a word).
    let mut waiting = Command::new(env!("CARGO_BIN_EXE_aisle"))
        .args(["publish", "--epsilon", "0.5", "--seed", "1", "--name", "after"])
        .arg(&out)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stderr = std::io::BufReader::new(waiting.stderr.take().unwrap());
    let mut said = String::new();
    std::io::BufRead::read_line(&mut stderr, &mut said).unwrap();
    assert!(
        said.contains("another command holds the dataset's privacy ledger (a release being made); waiting for it"),
        "{said}"
    );
    drop(ledger);
    // (Read to its end: a closed pipe would stop it printing.)
    std::io::Read::read_to_string(&mut stderr, &mut said).unwrap();
    assert!(waiting.wait().unwrap().success(), "{said}");
    assert!(out.join("releases/after").is_dir());
    assert!(aisle(&["verify"]).status.success());
    let _ = std::fs::remove_dir_all(&tmp);
}
