//! The budget and its ledger: refusals that change nothing, parameters
//! and their reasons, what the total covers, and a ledger or release that
//! was raced, killed midway or edited.

use super::*;

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
        // With --seed nothing is charged, and 100,000 points a shopper filled memory.
        (
            vec!["--local", "--epsilon", "0.1", "--points", "100000", "--seed", "1"],
            "error: points = 100000: is more than 1000, too large to protect anyone".to_owned(),
        ),
        (
            vec!["--local", "--epsilon", "0.1", "--points", "0"],
            "error: points = 0: must be at least 1".to_owned(),
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

/// A δ of 0.01 over a day of a small store's shoppers was taken without a
/// word (only δ over 0.01 is refused): a δ above one over the people a
/// release protects is warned of, with their number.
#[test]
fn a_delta_past_one_over_the_shoppers_is_warned_of() {
    // Three days of tiny: about 120 shoppers, 1/n under 0.01.
    let (_tmp, dir) = dataset(&[("baseline", 1), ("baseline", 2), ("baseline", 3)]);
    let d = dir.to_str().unwrap();
    let traffic = |seed: u64| {
        let record = json(&dir.join(format!("runs/variant=baseline/seed={seed}/run.json")));
        let metrics = record["metrics"].as_array().unwrap().clone();
        metrics.iter().find(|m| m["name"] == "traffic").unwrap()["value"].as_f64().unwrap()
    };
    let visitors = traffic(1) + traffic(2) + traffic(3);
    assert!(visitors > 100.0, "{visitors}");
    for (delta, warned) in [("1e-2", true), ("1e-7", false)] {
        let common = ["publish", d, "--epsilon", "1", "--mechanism", "gaussian", "--seed", "1", "--name", delta];
        let out = aisle(&[&common[..], &["--delta", delta]].concat());
        assert!(out.status.success(), "{delta}: {}", String::from_utf8_lossy(&out.stderr));
        let stderr = String::from_utf8_lossy(&out.stderr);
        let said = format!("warning: δ = {delta} is more than 1 over the {visitors} shoppers this release protects");
        assert_eq!(stderr.contains(&said), warned, "{delta}: {stderr}");
    }
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
    assert!(stderr.contains("--replace: the privacy ledger and releases stay"), "{stderr}");
    let said = ok(aisle(&["verify", d]));
    assert!(said.contains("releases/old: made from another version of scenario `tiny`"), "{said}");
    assert!(said.contains("it describes those runs, not these") && said.contains(": ok — 1 run(s) verified"), "{said}");
    // Another store put in by --replace is named as such, not as an
    // older version of this one.
    let pharmacy = scenario_path("pharmacy");
    ok(aisle(&["run", pharmacy.to_str().unwrap(), "--seed", "1", "--no-report", "--out", d, "--replace"]));
    let said = ok(aisle(&["verify", d]));
    assert!(said.contains("releases/old: made from scenario `tiny`, not the dataset's `pharmacy`"), "{said}");
}
