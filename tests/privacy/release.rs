//! What a central release holds and says: no ids or logs, bounded and
//! noised figures, their intervals, the days it covers.

use super::*;

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
    // The page says so too: it listed nothing compared and said nothing.
    let page = std::fs::read_to_string(dir.join("releases/release-1/index.html")).unwrap();
    assert!(
        page.contains("<b>Not compared:</b> variant `cola-on-promo` shares 1 seed(s) with `baseline`"),
        "the page does not say so"
    );
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

/// A discrete Gaussian release said a whole party was protected at
/// "16·ρ zCDP" without saying what ρ was (only `entry.cost.rho` held it),
/// where a Laplace release says "ε = 4". Both the terminal and the
/// release's privacy line now give m²·ρ and ρ as numbers, from the cost
/// the ledger charged.
#[test]
fn a_gaussian_release_states_its_party_cost_as_a_number() {
    let (_tmp, dir) = dataset(&ALL_VARIANTS);
    let d = dir.to_str().unwrap();
    let args = ["publish", d, "--mechanism", "gaussian", "--epsilon", "0.5", "--delta", "1e-7", "--name", "g"];
    let out = ok(aisle(&args));
    let release = json(&dir.join("releases/g/release.json"));
    let rho = release["entry"]["cost"]["rho"].as_f64().unwrap();
    // Four significant figures, as plainly as they go.
    let four = |x: f64| format!("{x:.3e}").parse::<f64>().unwrap().to_string();
    let party = format!("16·ρ = {} zCDP (ρ = {})", four(16.0 * rho), four(rho));
    assert!((0.003..0.004).contains(&rho), "{rho}");
    assert!(out.contains(&format!("so a whole party is protected at {party}\n")), "{party}\n{out}");
    assert!(release["privacy"].as_str().unwrap().ends_with(&format!("{party} per party (at most 4 of a party count)")));
}

/// A release name becomes a folder: one the disk cannot hold (300
/// characters) failed there, as a failure (exit 1); each bad name is the
/// caller's to change (exit 2), said before the logs are read, and nothing
/// is charged or written.
#[test]
fn a_bad_release_name_is_refused_before_anything_is_written() {
    let (_tmp, dir) = dataset(&[("baseline", 1)]);
    let d = dir.to_str().unwrap();
    let long = "a".repeat(65);
    let central: &[&str] = &["publish", d, "--epsilon", "1", "--seed", "1", "--name"];
    let local: &[&str] = &["publish", d, "--local", "--epsilon", "0.1", "--seed", "1", "--name"];
    for (args, name) in
        [central, local].iter().flat_map(|a| ["../out", ".hidden", "two words", long.as_str()].map(|n| (a, n)))
    {
        let out = aisle(&[&args[..], &[name]].concat());
        assert_eq!(out.status.code(), Some(2), "{name}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stderr.contains("use letters, digits, `-`, `_` and `.` only, not starting with `.`, at most 64 characters"),
            "{name}: {stderr}"
        );
        assert!(!dir.join("releases").exists(), "{name}: a release was written");
        assert!(!dir.join("privacy/ledger.json").exists(), "{name}: a release was charged");
    }
    ok(aisle(&["publish", d, "--epsilon", "1", "--seed", "1", "--name", &"a".repeat(64)]));
}

/// A release divided a variant's difference by a baseline figure the noise
/// had made: revenue per visitor noised to 2.25 (about 30 exact), its
/// interval reaching zero, gave "+300.8%". A relative change is listed
/// only where the baseline's own interval is clear of zero.
#[test]
fn a_relative_change_is_listed_only_against_a_baseline_clear_of_zero() {
    let (_tmp, dir) = dataset(&ALL_VARIANTS);
    let d = dir.to_str().unwrap();
    let (mut relative, mut withheld) = (0, 0);
    for seed in 1..=12 {
        let name = format!("r{seed}");
        ok(aisle(&["publish", d, "--epsilon", "20", "--seed", &seed.to_string(), "--name", &name]));
        let read = |file: &str| std::fs::read_to_string(dir.join("releases").join(&name).join(file)).unwrap();
        let rows = |text: &str| -> Vec<Vec<String>> {
            let lines = text.lines().filter(|l| !l.starts_with('#')).skip(1);
            lines.map(|l| l.split(',').map(str::to_owned).collect()).collect()
        };
        let figures = rows(&read("metrics.csv"));
        for row in rows(&read("comparison.csv")) {
            let [_, metric, difference, _, _, change, _] = &row[..] else { panic!("{row:?}") };
            let base = figures.iter().find(|f| f[0] == "baseline" && &f[1] == metric).expect("the baseline's figure");
            let clear = base[4].parse::<f64>().is_ok_and(|lo| lo > 0.0);
            match (change.is_empty(), difference.is_empty()) {
                (false, _) => {
                    assert!(clear, "{name}: {metric} changed {change} against a baseline of {base:?}");
                    relative += 1;
                }
                (true, false) => {
                    assert!(!clear, "{name}: {metric} against a baseline clear of zero, {base:?}, has no change");
                    withheld += 1;
                }
                (true, true) => {}
            }
        }
    }
    assert!(relative > 0 && withheld > 0, "{relative} relative changes listed, {withheld} withheld");
}

/// A release compares each variant over the seeds it shares with the
/// baseline, while the figures above it are of every day: a baseline of
/// 11 days beside 10 shared read a difference of the opposite sign to the
/// figures' own. The page says which days a comparison leaves out.
#[test]
fn a_comparison_over_fewer_days_than_the_figures_says_so() {
    let (_tmp, dir) =
        dataset(&[("baseline", 1), ("baseline", 2), ("baseline", 3), ("cola-on-promo", 1), ("cola-on-promo", 2)]);
    ok(aisle(&["publish", dir.to_str().unwrap(), "--epsilon", "1", "--seed", "1", "--name", "r"]));
    let page = std::fs::read_to_string(dir.join("releases/r/index.html")).unwrap();
    let said = "Not every day above is compared: <code>cola-on-promo</code> over 2 seed(s), of its 2 day(s) and the \
                baseline's 3; a difference here can differ from the figures' own.";
    assert!(page.contains(said), "{page}");
    let (_tmp, dir) = dataset(&ALL_VARIANTS);
    ok(aisle(&["publish", dir.to_str().unwrap(), "--epsilon", "1", "--seed", "1", "--name", "r"]));
    let page = std::fs::read_to_string(dir.join("releases/r/index.html")).unwrap();
    assert!(!page.contains("Not every day above is compared"), "every day is compared");
}
