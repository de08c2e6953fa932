//! SIGKILL and resume: `aisle compare` killed at ten points spread over an
//! uninterrupted sweep's duration, then run again, gives the same dataset
//! as the uninterrupted sweep (every log, record, the manifest and the
//! comparison byte for byte), which verifies with no leftover files.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

const KILL_POINTS: u32 = 10;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn compare(out: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_aisle"));
    c.current_dir(root())
        .args(["compare", "scenarios/tiny.toml", "--replications", "3", "--jobs", "2", "--no-report", "--out"])
        .arg(out)
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    c
}

/// Every file of the dataset but the lock files, by relative path, with its bytes.
fn files(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    fn walk(base: &Path, d: &Path, out: &mut Vec<(PathBuf, Vec<u8>)>) {
        for entry in std::fs::read_dir(d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(base, &path, out);
            } else if !path.file_name().unwrap().to_string_lossy().ends_with(".lock") {
                out.push((path.strip_prefix(base).unwrap().to_owned(), std::fs::read(&path).unwrap()));
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, dir, &mut out);
    out.sort();
    out
}

#[test]
fn a_killed_sweep_resumes_to_the_same_dataset() {
    let tmp = std::env::temp_dir().join(format!("aisle-kill-resume-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&tmp);
    let reference = tmp.join("reference");
    let started = Instant::now();
    let out = compare(&reference).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let whole = started.elapsed();
    let expected = files(&reference);
    let mut interrupted = 0;
    for k in 1..=KILL_POINTS {
        let dir = tmp.join(format!("killed-{k}"));
        let mut child = compare(&dir).spawn().unwrap();
        std::thread::sleep(whole * k / (KILL_POINTS + 1));
        if child.try_wait().unwrap().is_none() {
            interrupted += 1;
        }
        child.kill().unwrap_or(()); // SIGKILL; a child already done is fine
        child.wait().unwrap();
        let out = compare(&dir).output().unwrap();
        assert!(
            out.status.success(),
            "kill point {k}: the resumed sweep failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let got = files(&dir);
        let names = |v: &[(PathBuf, Vec<u8>)]| v.iter().map(|(p, _)| p.clone()).collect::<Vec<_>>();
        assert_eq!(names(&got), names(&expected), "kill point {k}: other files than the uninterrupted sweep's");
        for ((path, a), (_, b)) in got.iter().zip(&expected) {
            assert!(a == b, "kill point {k}: {} differs from the uninterrupted sweep's", path.display());
        }
        let check = Command::new(env!("CARGO_BIN_EXE_aisle")).arg("verify").arg(&dir).output().unwrap();
        let stdout = String::from_utf8_lossy(&check.stdout);
        assert_eq!(check.status.code(), Some(0), "kill point {k}: {stdout}");
        assert!(!stdout.contains("note:"), "kill point {k}: leftovers after resuming: {stdout}");
        std::fs::remove_dir_all(&dir).unwrap();
    }
    eprintln!(
        "{KILL_POINTS} kill points over a {:.2} s sweep, {interrupted} of them before it finished: each resumed to the same bytes",
        whole.as_secs_f64()
    );
    assert!(interrupted >= KILL_POINTS / 3, "only {interrupted} kills landed before the sweep finished");
    std::fs::remove_dir_all(tmp).unwrap();
}

/// Ctrl-C stopped a sweep without a word: it now says the runs recorded so
/// far stay and how to go on, and exits 130.
#[test]
fn an_interrupted_sweep_says_what_stays() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("d");
    let mut sweep = Command::new(env!("CARGO_BIN_EXE_aisle"));
    sweep
        .current_dir(root())
        .args(["compare", "scenarios/tiny.toml", "--replications", "1000", "--jobs", "2", "--no-report", "--out"])
        .arg(&dir)
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    let child = sweep.spawn().unwrap();
    // Once a run is recorded (the handler is set before any run starts):
    // a fixed wait after opening left none on a loaded machine.
    let records = || std::fs::read_dir(dir.join("runs/variant=baseline")).map_or(0, |d| d.count());
    let started = Instant::now();
    while records() == 0 && started.elapsed().as_secs() < 120 {
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    // The shell's own `kill`: no procps needed.
    let sent = Command::new("sh").args(["-c", &format!("kill -INT {}", child.id())]).status().unwrap();
    assert!(sent.success());
    let out = child.wait_with_output().unwrap();
    let said = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(130), "{said}");
    assert!(said.contains("interrupted: the runs recorded so far stay in"), "{said}");
    // Its records are there for the same command to list and go on from.
    assert!(records() > 0, "no run recorded before the interrupt");
}
