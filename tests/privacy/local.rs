//! The local export: its noise against the raw positions, its charge,
//! its pseudonyms and the members of a party it exports.

use super::*;

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
    // Rows in pseudonym order, each shopper's in time order: the order
    // they were made in (run by run, by arrival) told the days apart.
    assert!(rows.windows(2).all(|w| (&w[0].0, w[0].1) <= (&w[1].0, w[1].1)), "rows ordered by pseudonym, then time");
    // The pseudonym key never comes from the seed: two exports with the same
    // seed draw the same noise but share no pseudonym.
    export("s1", &["--seed", "5"]);
    export("s2", &["--seed", "5"]);
    let (a, b) = (trace("s1"), trace("s2"));
    // (Rows in pseudonym order, so the same points in another order.)
    let points = |rows: &[(String, u64, f32, f32)]| {
        let mut p: Vec<(u64, u32, u32)> = rows.iter().map(|r| (r.1, r.2.to_bits(), r.3.to_bits())).collect();
        p.sort_unstable();
        p
    };
    assert_eq!(points(&a), points(&b));
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

/// A local export of a variant the dataset has no runs of pointed to
/// `aisle report` for the variants, which lists none: the refusal names
/// those with runs itself, and writes nothing.
#[test]
fn a_local_export_of_a_variant_without_runs_names_those_with_runs() {
    let (_tmp, dir) = dataset(&ALL_VARIANTS[..2]);
    let d = dir.to_str().unwrap();
    let refused = aisle(&["publish", d, "--local", "--epsilon", "1", "--variant", "same-as-baseline"]);
    assert_eq!(refused.status.code(), Some(2));
    let said = format!(
        "error: {d}: no runs of variant `same-as-baseline`; choose one with --variant: the dataset has runs of \
         `baseline`, `cola-on-promo`"
    );
    assert_eq!(String::from_utf8_lossy(&refused.stderr).trim(), said);
    assert!(!dir.join("releases").exists());
}
