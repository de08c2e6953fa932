//! The report is built from a dataset alone and works offline.

mod common;

use aisle::events::dataset::{Dataset, OnScenarioChange};
use aisle::report::{ReportError, build};
use aisle::run::run_into;
use aisle::scenario::ScenarioFile;

#[test]
fn a_report_is_built_from_the_dataset_and_needs_nothing_online() {
    let dir = tempfile::tempdir().unwrap();
    let file = ScenarioFile::read(&common::scenario_path("tiny")).unwrap();
    let mut ds = Dataset::open_for(dir.path(), &file, OnScenarioChange::Refuse).unwrap();
    for (variant, seed) in [("baseline", 1), ("baseline", 2), ("cola-on-promo", 1)] {
        run_into(&mut ds, &aisle::prepare(&file, variant).unwrap(), seed, |_| {}).unwrap();
    }
    let index = build(dir.path(), |_, _| {}).unwrap();
    let html = std::fs::read_to_string(&index).unwrap();
    assert!(!html.contains("<script"), "the report must not need scripts");
    assert!(!html.contains("http://") && !html.contains("https://"), "the report must not fetch anything");
    for variant in ["baseline", "cola-on-promo"] {
        assert!(html.contains(&format!("Variant <code>{variant}</code>")));
    }
    assert!(html.contains("2 simulated day(s), seeds 1, 2"));
    let figures: Vec<&str> = html.split("src=\"").skip(1).map(|s| &s[..s.find('"').unwrap()]).collect();
    // Per variant: plan, heatmap and flow for the one floor, then six charts;
    // the comparison: the forest plot of changes first, both heatmaps side
    // by side, one difference heatmap, the checkout-wait distributions and
    // those of the wait in line before service.
    assert_eq!(figures.len(), 2 * 9 + 1 + 2 + 1 + 1 + 1, "expected every figure");
    let comparison = html.find("Comparison with <code>baseline</code>").expect("a comparison section");
    let forest = html.find("compare-forest.png").expect("a forest plot");
    let table = html[comparison..].find("<table").expect("a comparison table") + comparison;
    assert!(comparison < forest && forest < table, "the comparison leads with the decision, the table after");
    // The products whose picks moved most: on the one day both share, the
    // promo moved no product's picks (cola is as easy to find either way).
    let movers = html.find("Products whose picks moved most").expect("a table of products that moved");
    let promo = html[movers..].find("<h4><code>cola-on-promo</code></h4>").expect("a table for the promo") + movers;
    let rows = &html[promo..promo + html[promo..].find("</table>").unwrap()];
    assert!(rows.contains("no product's picks changed on any day"), "{rows}");
    for f in figures {
        let png = std::fs::read(index.parent().unwrap().join(f)).unwrap();
        assert!(png.starts_with(b"\x89PNG") && png.len() > 2000, "{f} is not a drawn PNG");
        let svg = std::fs::read_to_string(index.parent().unwrap().join(f.replace(".png", ".svg"))).unwrap();
        assert!(svg.contains("<svg"), "{f} has no SVG twin");
    }
}

#[test]
fn a_directory_without_a_manifest_is_not_a_dataset() {
    let dir = tempfile::tempdir().unwrap();
    assert!(matches!(build(dir.path(), |_, _| {}), Err(ReportError::NotADataset { .. })));
}

#[test]
fn a_two_floor_comparison_draws_every_floor() {
    let dir = tempfile::tempdir().unwrap();
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/two_floors.toml");
    let file = ScenarioFile::read(&path).unwrap();
    let mut ds = Dataset::open_for(dir.path(), &file, OnScenarioChange::Refuse).unwrap();
    let variants = file.variant_ids();
    for variant in &variants[..2] {
        run_into(&mut ds, &aisle::prepare(&file, variant).unwrap(), 1, |_| {}).unwrap();
    }
    let html = std::fs::read_to_string(build(dir.path(), |_, _| {}).unwrap()).unwrap();
    for floor in 0..2 {
        let difference = format!("compare-{}-heat-difference-{floor}.png", variants[1]);
        assert!(html.contains(&difference), "no {difference}");
        assert!(html.contains(&format!("baseline-heatmap-{floor}.png")));
    }
}

/// A pharmacy's page charted its till alone, though its dispensary's line
/// was its queue: the figures kept per floor, service counter and stop are
/// tabled as the run's summary prints them, and a part the store lacks
/// gets no table.
#[test]
fn a_report_tables_the_counters_floors_and_stops_a_store_has() {
    let dir = tempfile::tempdir().unwrap();
    let scenario = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/pharmacy.toml");
    let file = ScenarioFile::read(&scenario).unwrap();
    let mut ds = Dataset::open_for(dir.path(), &file, OnScenarioChange::Refuse).unwrap();
    let run = run_into(&mut ds, &aisle::prepare(&file, "baseline").unwrap(), 1, |_| {}).unwrap();
    drop(ds);
    let html = std::fs::read_to_string(build(dir.path(), |_, _| {}).unwrap()).unwrap();
    let figure = |name: &str| run.scalars.iter().find(|m| m.name == name).unwrap().value;
    let row = format!(
        "<tr><td><code>dispensary</code></td><td>{:.1}</td><td>{:.0} s</td><td>{:.0} s</td>",
        figure("counter_served/dispensary"),
        figure("counter_wait/dispensary"),
        figure("counter_service/dispensary")
    );
    assert!(html.contains("<h3>Service counters</h3>") && html.contains(&row), "no row {row}");
    assert!(!html.contains("<h3>Floors</h3>") && !html.contains("<h3>Stops at seating"), "one floor, no seats");
    // What a counter hands over is viewed on no shelf: the funnel says so.
    assert!(html.contains("parties who picked there need not have viewed a product"));
    let two = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/two_floors.toml");
    let (dir, file) = (tempfile::tempdir().unwrap(), ScenarioFile::read(&two).unwrap());
    let mut ds = Dataset::open_for(dir.path(), &file, OnScenarioChange::Refuse).unwrap();
    run_into(&mut ds, &aisle::prepare(&file, "baseline").unwrap(), 1, |_| {}).unwrap();
    drop(ds);
    let html = std::fs::read_to_string(build(dir.path(), |_, _| {}).unwrap()).unwrap();
    let floors = &file.build("baseline").unwrap().store.floors;
    for f in floors {
        assert!(html.contains(&format!("<tr><td><code>{}</code></td><td>", f.id)), "no row of floor {}", f.id);
    }
}

fn aisle(args: &[&str]) -> String {
    aisle_saying(args).0
}

/// What a successful command printed, and what it warned of.
fn aisle_saying(args: &[&str]) -> (String, String) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_aisle")).args(args).output().unwrap();
    assert!(out.status.success(), "aisle {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    (String::from_utf8(out.stdout).unwrap(), String::from_utf8(out.stderr).unwrap())
}

/// Where some who joined a line were never served (a six-minute day with
/// no drain: those still in line at closing are made to leave), the mean
/// service is over fewer shoppers than the whole wait's and the line's,
/// and the summary says whose (117 s read as 105 s + 24 s unexplained).
#[test]
fn the_run_summary_says_whom_the_service_is_over_when_the_waits_do_not_add_up() {
    let tmp = tempfile::tempdir().unwrap();
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut popup = std::fs::read_to_string(root.join("scenarios/tiny.toml")).unwrap();
    for (from, to) in [
        ("daily_visitors = 40", "daily_visitors = 60"),
        ("hours = [17.0, 19.0]", "hours = [18.0, 18.1]"),
        ("hourly_profile = [1.0, 1.5]", "hourly_profile = [1.0]"),
        ("drain_h = 1.0", "drain_h = 0.0"),
    ] {
        assert!(popup.contains(from), "tiny.toml no longer holds `{from}`");
        popup = popup.replacen(from, to, 1);
    }
    let file = tmp.path().join("popup.toml");
    std::fs::write(&file, popup).unwrap();
    let out = tmp.path().join("popup");
    let summary = aisle(&["run", file.to_str().unwrap(), "--seed", "1", "--no-report", "--out", out.to_str().unwrap()]);
    assert!(
        summary.contains(
            "117 s mean from joining a line to leaving it (105 s waiting, 24 s served by the 13 of 28 who joined \
             and were served)"
        ),
        "{summary}"
    );
    // A day whose waits add up says nothing more.
    let out = tmp.path().join("tiny");
    let tiny = root.join("scenarios/tiny.toml");
    let summary = aisle(&["run", tiny.to_str().unwrap(), "--seed", "1", "--no-report", "--out", out.to_str().unwrap()]);
    assert!(summary.contains("31 s mean from joining a line to leaving it (3 s waiting, 28 s served), "), "{summary}");
}

/// `aisle run` says how many of the abandoned never joined a line (a line
/// full after one place turns everyone away: "49.7% abandoned" were all
/// balks), and names the products that make up a fifth or more of the
/// searches that found nothing (with the dispensary closed, the two
/// products only it sells).
#[test]
fn the_run_summary_names_balks_and_the_products_not_found() {
    let tmp = tempfile::tempdir().unwrap();
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = tmp.path().join("boxed");
    let boxed = root.join("tests/data/boxed_line.toml");
    let (summary, warned) =
        aisle_saying(&["run", boxed.to_str().unwrap(), "--seed", "1", "--no-report", "--out", out.to_str().unwrap()]);
    assert!(
        summary.contains(
            "49.7% abandoned (562.00 lost); 97 of 97 never joined a line, balking at its length or finding no room for their party"
        ),
        "{summary}"
    );
    // The line hemmed in after one place is named beside the balks (a
    // party of two walks out of an empty line): validate's warning alone
    // is not seen at the run.
    assert!(
        warned.contains(
            "warning: 97 parties never joined a line, and checkout `L0`: its line has room for 1 waiting and cannot \
             bend on past (1.6, 2.5)"
        ),
        "{warned}"
    );
    let closed = tmp.path().join("closed.toml");
    let variant =
        "\n[[variants]]\nid = \"no-dispensary\"\nedits = [ { op = \"close_lane\", lane = \"dispensary\" } ]\n";
    std::fs::write(&closed, std::fs::read_to_string(root.join("scenarios/pharmacy.toml")).unwrap() + variant).unwrap();
    let out = tmp.path().join("closed");
    let args = ["run", closed.to_str().unwrap(), "--variant", "no-dispensary", "--seed", "1", "--no-report", "--out"];
    let summary = aisle(&[&args[..], &[out.to_str().unwrap()]].concat());
    assert!(
        summary.contains("(2128.50 lost sales; `prescription` 77% of those not found, `repeat-prescription` 23%)"),
        "{summary}"
    );
    // Nobody turned away at its till: no word of balking.
    assert!(summary.contains("0.0% abandoned (0.00 lost)\n"), "{summary}");
    // The counter's own line says what it could not sell: it read "— gave
    // up (0.00 unbought)" alone, as if nothing had been lost there.
    let counter = "counter       `dispensary`: 0 served, — waiting in line, — served, — gave up (0.00 unbought), 215 \
                   product(s) wanted while it was closed or out of reach (2128.50, among those not found)";
    assert!(summary.contains(counter), "{summary}");
}

/// `line_through_doorway` with a variant whose hour-long dwells block its
/// doorway (`hour-long-dwells`), written into `dir`.
fn blocked_doorway(dir: &std::path::Path) -> std::path::PathBuf {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let blocked = dir.join("blocked.toml");
    let variant = "\n[[variants]]\nid = \"hour-long-dwells\"\nedits = [ { op = \"set_segment\", segment = \"slow\", \
                   dwell_median_s = 3600.0 }, { op = \"set_visitors\", daily_visitors = 600.0 } ]\n";
    let text = std::fs::read_to_string(root.join("tests/data/line_through_doorway.toml")).unwrap() + variant;
    std::fs::write(&blocked, text).unwrap();
    blocked
}

/// Visitors the day planned who never came in are warned of, by `aisle
/// run` and on the report page: a shopper an hour at a shelf by the
/// doorway of `line_through_doorway` kept 458 of 603 out (each entrance
/// lets one in only when its doorway has room), and every figure counted
/// the 145 who came in without a word of the rest. The report page of its
/// freeze is the same however the dataset's path is typed.
#[test]
fn visitors_kept_out_by_a_blocked_doorway_are_warned_of() {
    let tmp = tempfile::tempdir().unwrap();
    let blocked = blocked_doorway(tmp.path());
    let p = aisle::prepare(&aisle::scenario::ScenarioFile::read(&blocked).unwrap(), "hour-long-dwells").unwrap();
    let planned = aisle::sim::planned_visitors(&p.scenario, 1) as usize;
    let out = tmp.path().join("blocked");
    let args = ["run", blocked.to_str().unwrap(), "--variant", "hour-long-dwells", "--seed", "1", "--out"];
    let run = std::process::Command::new(env!("CARGO_BIN_EXE_aisle"))
        .args([&args[..], &[out.to_str().unwrap()]].concat())
        .output()
        .unwrap();
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    let said = String::from_utf8_lossy(&run.stderr);
    let visitors = String::from_utf8_lossy(&run.stdout)
        .lines()
        .find_map(|l| l.trim().strip_prefix("visitors")?.trim().parse::<usize>().ok())
        .unwrap();
    assert!(visitors < planned / 2, "{visitors} of {planned} came in");
    let warning = format!(
        "warning: {} of the {planned} visitors planned ({:.1}%) never came in: they were still waiting to come in when \
         the doors shut at closing. An entrance lets one in only when its doorway is clear, and at most one every two \
         ticks (run.tick_s = 0.1 s: 18000 an hour). The figures count only the {visitors} who came in.",
        planned - visitors,
        100.0 * (planned - visitors) as f64 / planned as f64
    );
    assert!(said.contains(&warning), "{said}");
    // Who stood in the doorway is named, from the log: "see the freezes"
    // led nowhere when it shopped at a shelf by the door (no freeze).
    let (_, events) =
        aisle::events::parquet::read_log(&out.join("events/variant=hour-long-dwells/seed=1/part-0.parquet")).unwrap();
    let layout = aisle::metrics::Layout::new(&p);
    let mut fold = aisle::metrics::DayProjection::new(&layout);
    aisle::metrics::Projection::observe_all(&mut fold, &events);
    let stood = fold.finish().longest_in_doorway.expect("someone stood in the doorway");
    let door = p.scenario.entrances[0].at;
    assert!(((stood.x as f64 - door.x).hypot(stood.y as f64 - door.y)) <= 0.5, "{stood:?} is not in the doorway");
    let named = format!(
        "else find what stood in the doorway (shopper {} stood in one for {:.0} s, {}), or give the entrance room",
        stood.shopper,
        stood.seconds(),
        stood.place(&p.scenario)
    );
    assert!(stood.seconds() >= 60.0 && said.contains(&named), "{named}\n{said}");
    let page = std::fs::read_to_string(out.join("report/index.html")).unwrap();
    assert!(page.contains("<b>Visitors were kept out in <code>hour-long-dwells</code>.</b>"), "{page}");
    // The one who blocked it froze there. The page's viewer command names
    // the dataset's own folder, not the path `aisle run` was given: `aisle
    // verify` makes the page again from whatever path it is given, and
    // called the dataset damaged (exit 1) reached by another spelling.
    assert!(page.contains("watch it with `aisle-viewer . --variant hour-long-dwells --seed 1 --at "), "{page}");
    assert!(!page.contains(out.to_str().unwrap()), "{page}");
    let verify = std::process::Command::new(env!("CARGO_BIN_EXE_aisle"))
        .current_dir(tmp.path())
        .args(["verify", "blocked/"])
        .output()
        .unwrap();
    assert!(verify.status.success(), "{}", String::from_utf8_lossy(&verify.stdout));
    // The doors shut at closing: those still outside stay out (they came
    // in until the hard end, into a store already closed), but for the
    // rest of a party whose leader came in before.
    let log = out.join("events/variant=hour-long-dwells/seed=1/part-0.parquet");
    let (_, events) = aisle::events::parquet::read_log(&log).unwrap();
    let close_ms = p.scenario.doors_close_ms();
    let entered = |e: &aisle::events::SimEvent| match e.action {
        aisle::events::Action::Enter { party } => Some((e.shopper, party, e.t_ms)),
        _ => None,
    };
    let entries: Vec<_> = events.iter().filter_map(entered).collect();
    for &(shopper, party, t_ms) in entries.iter().filter(|&&(_, _, t_ms)| t_ms >= close_ms) {
        let leader_in = entries.iter().any(|&(s, _, t)| s == party && t < close_ms);
        assert!(
            party != shopper && leader_in,
            "shopper {shopper} of party {party} came in at {t_ms} ms, after closing"
        );
    }
    // A day everyone planned came in says nothing of it.
    let (tiny, tiny_scenario) = (tmp.path().join("tiny"), common::scenario_path("tiny"));
    let args = ["run", tiny_scenario.to_str().unwrap(), "--seed", "1", "--no-report", "--out"];
    let run = std::process::Command::new(env!("CARGO_BIN_EXE_aisle"))
        .args([&args[..], &[tiny.to_str().unwrap()]].concat())
        .output()
        .unwrap();
    assert!(!String::from_utf8_lossy(&run.stderr).contains("never came in"));
}

/// The report of `aisle compare --metric queue_wait_mean --replications 2`
/// on a dataset of three seeds compared as the comparison did, but `aisle
/// report` made it again on revenue per visitor over all three days (and a
/// sequential comparison's at 95% instead of its corrected level): the
/// page contradicted `compare/comparison.json`. A report compares with the
/// saved comparison's design, so both commands make the same page; a
/// comparison saved without a report removes the page of the one before.
#[test]
fn a_report_compares_as_the_saved_comparison_did() {
    let tmp = tempfile::tempdir().unwrap();
    let (scenario, dir) = (common::scenario_path("tiny"), tmp.path().join("d"));
    let (scenario, d) = (scenario.to_str().unwrap(), dir.to_str().unwrap());
    aisle(&["compare", scenario, "--replications", "3", "--no-report", "--out", d]);
    aisle(&["compare", scenario, "--replications", "2", "--metric", "queue_wait_mean", "--out", d]);
    let page = dir.join("report/index.html");
    let made_by_compare = std::fs::read_to_string(&page).unwrap();
    let saved: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("compare/comparison.json")).unwrap()).unwrap();
    assert_eq!((saved["primary"].as_str(), saved["seeds"].as_array().unwrap().len()), (Some("queue_wait_mean"), 2));
    assert!(made_by_compare.contains("The primary metric is queue wait mean"), "the page leads with another metric");
    aisle(&["report", d]);
    assert_eq!(std::fs::read_to_string(&page).unwrap(), made_by_compare, "aisle report made another page");
    std::fs::write(dir.join("report/notes.html"), "mine").unwrap();
    let said = aisle(&["compare", scenario, "--replications", "3", "--no-report", "--out", d]);
    assert!(!page.exists() && said.contains("the page of an earlier comparison was removed"), "{said}");
    // Its figures went with it (left behind, they read as a report cut
    // off), and nothing else of `report/`.
    assert!(!dir.join("report/figures").exists());
    assert_eq!(std::fs::read_to_string(dir.join("report/notes.html")).unwrap(), "mine");
    aisle(&["verify", d]);
    // The same comparison again (every run reused) leaves its page: a
    // compare killed before it made the page anew had left none.
    aisle(&["report", d]);
    let said = aisle(&["compare", scenario, "--replications", "3", "--no-report", "--out", d]);
    assert!(page.exists() && !said.contains("was removed"), "{said}");
    aisle(&["verify", d]);
}

/// A dataset of tiny compared over `replications` seeds, with no page.
fn compared_tiny(replications: &str) -> (tempfile::TempDir, std::path::PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("d");
    let scenario = common::scenario_path("tiny");
    aisle(&[
        "compare",
        scenario.to_str().unwrap(),
        "--replications",
        replications,
        "--no-report",
        "--out",
        dir.to_str().unwrap(),
    ]);
    (tmp, dir)
}

/// Rewrites the JSON file at `path` as `edit` leaves it (an edit by hand).
fn edit_json(path: &std::path::Path, edit: impl FnOnce(&mut serde_json::Value)) {
    let mut json: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    edit(&mut json);
    std::fs::write(path, serde_json::to_string_pretty(&json).unwrap()).unwrap();
}

/// `aisle report` followed whatever `compare/comparison.json` said: its
/// level edited to 0.6, the page read "a real difference" at 40%. A saved
/// comparison that is not what its own design gives on the runs is not
/// followed, and the terminal says so.
#[test]
fn a_report_does_not_follow_an_edited_comparison() {
    let (_tmp, dir) = compared_tiny("3");
    let d = dir.to_str().unwrap();
    edit_json(&dir.join("compare/comparison.json"), |saved| saved["alpha"] = serde_json::json!(0.6));
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_aisle")).args(["report", d]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let said = String::from_utf8_lossy(&out.stderr);
    let doubt = "comparison.json is not what comparing the runs by its own level, seeds and primary gives (edited, \
                 stale, made by another build, or the run records it compares were edited since: `aisle verify` \
                 tells which)";
    assert!(said.contains(doubt), "{said}");
    let page = std::fs::read_to_string(dir.join("report/index.html")).unwrap();
    assert!(page.contains("95% CI") && !page.contains("40.00% CI"), "the page follows the edited level");
}

/// A comparison says, on the terminal, which variant's days were cut
/// short: the kiosk whose hour-long dwells kept 43% of its visitors out
/// read "no significant change in revenue per visitor", and only the page
/// said why.
#[test]
fn a_comparison_names_the_variant_whose_visitors_were_kept_out() {
    let tmp = tempfile::tempdir().unwrap();
    let blocked = blocked_doorway(tmp.path());
    let out = tmp.path().join("d");
    let args = ["compare", blocked.to_str().unwrap(), "--replications", "2", "--no-report", "--out"];
    let run = std::process::Command::new(env!("CARGO_BIN_EXE_aisle"))
        .args([&args[..], &[out.to_str().unwrap()]].concat())
        .output()
        .unwrap();
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    let said = String::from_utf8_lossy(&run.stderr);
    let warnings: Vec<&str> = said.lines().filter(|l| l.contains("never came in")).collect();
    assert_eq!(warnings.len(), 1, "{said}");
    assert!(warnings[0].starts_with("warning: `hour-long-dwells`: over its 2 day(s), "), "{said}");
    assert!(warnings[0].contains("its figures count only those who came in, and stop at the hard end"), "{said}");
}

/// `aisle report --metric` (or a later `aisle compare --metric`) over
/// days already compared made another metric primary in silence: the
/// primary could be picked from what the first comparison showed. The
/// dataset keeps the primary declared first; a comparison or page with
/// another says its verdict is exploratory.
#[test]
fn a_primary_chosen_after_a_comparison_is_said_to_be_exploratory() {
    let tmp = tempfile::tempdir().unwrap();
    let (scenario, dir) = (common::scenario_path("tiny"), tmp.path().join("d"));
    let (scenario, d) = (scenario.to_str().unwrap(), dir.to_str().unwrap());
    let run = |args: &[&str]| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_aisle")).args(args).output().unwrap();
        assert!(out.status.success(), "aisle {args:?}: {}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8(out.stderr).unwrap()
    };
    let late = "the primary metric `conversion_rate` was chosen after a comparison of this dataset declared \
                `revenue_per_visitor`: a primary picked after seeing the data is not covered by its correction, so \
                read its verdict as exploratory";
    let said = run(&["compare", scenario, "--replications", "2", "--out", d]);
    assert!(!said.contains("was chosen after"), "{said}");
    let page = || std::fs::read_to_string(dir.join("report/index.html")).unwrap();
    assert!(!page().contains("Primary metric chosen late"));
    let said = run(&["compare", scenario, "--replications", "2", "--metric", "conversion_rate", "--out", d]);
    assert!(said.contains(late), "{said}");
    assert!(page().contains(late), "the page does not say so");
    // The forest plot too (it showed "(primary)" alone, coloured as settled).
    let forest = std::fs::read_to_string(dir.join("report/figures/compare-forest.svg")).unwrap();
    assert!(forest.contains("(primary, exploratory: chosen late)"), "the forest plot does not say so");
    let saved: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("compare/comparison.json")).unwrap()).unwrap();
    assert_eq!(saved["declared_primary"].as_str(), Some("revenue_per_visitor"));
    // Said first on stdout too, and on every verdict of the late primary
    // (it came last, on stderr alone, beside "a real difference").
    let stdout = aisle(&["compare", scenario, "--replications", "2", "--metric", "conversion_rate", "--out", d]);
    let warned = stdout.find(&format!("warning: {late}")).expect(&stdout);
    assert!(warned < stdout.find("Each layout was simulated").unwrap(), "the warning follows the results: {stdout}");
    let verdicts: Vec<&str> = saved["metrics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["metric"] == "conversion_rate")
        .flat_map(|m| m["variants"].as_array().unwrap())
        .filter_map(|v| v["versus_baseline"]["verdict"].as_str())
        .collect();
    let exploratory = |v: &&str| v.contains("significant") == v.contains(", exploratory: primary chosen late");
    assert!(verdicts.iter().all(exploratory) && verdicts.iter().any(|v| v.contains("exploratory")), "{verdicts:?}");
    aisle(&["verify", d]);
    assert!(run(&["report", d, "--metric", "conversion_rate"]).contains(late));
    // Back to the primary declared first: nothing to say.
    let said = run(&["report", d, "--metric", "revenue_per_visitor"]);
    assert!(!said.contains("was chosen after") && !page().contains("Primary metric chosen late"), "{said}");
    // The comparison deleted, its page still says which primary it read:
    // another chosen now is as late (it had been declared afresh).
    std::fs::remove_file(dir.join("compare/comparison.json")).unwrap();
    let said = run(&["compare", scenario, "--replications", "2", "--metric", "conversion_rate", "--out", d]);
    assert!(said.contains(late), "{said}");
    // A page whose primary was chosen late is no declaration: the
    // comparison deleted again, the one declared first still stands (it
    // was said to have declared `conversion_rate`).
    run(&["report", d, "--metric", "conversion_rate"]);
    std::fs::remove_file(dir.join("compare/comparison.json")).unwrap();
    let said = run(&["compare", scenario, "--replications", "2", "--metric", "basket_value", "--out", d]);
    assert!(said.contains("a comparison of this dataset declared `revenue_per_visitor`"), "{said}");
    // A plain compare keeps the primary declared first (it fell back to
    // revenue per visitor, and called that chosen late).
    let other = tmp.path().join("declared-conversion");
    let o = other.to_str().unwrap();
    run(&["compare", scenario, "--replications", "2", "--metric", "conversion_rate", "--no-report", "--out", o]);
    let said = run(&["compare", scenario, "--replications", "2", "--no-report", "--out", o]);
    assert!(!said.contains("was chosen after"), "{said}");
    let saved: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(other.join("compare/comparison.json")).unwrap()).unwrap();
    assert_eq!(
        (saved["primary"].as_str(), saved["declared_primary"].as_str()),
        (Some("conversion_rate"), Some("conversion_rate"))
    );
}

/// After a sweep killed before it wrote its manifest, `aisle report` said
/// "the dataset lists no runs" and `aisle publish` "not an aisle dataset",
/// beside dozens of sealed run records: both now say what is there and
/// how to list it.
#[test]
fn a_dataset_whose_manifest_lists_no_runs_says_what_records_wait() {
    let (_tmp, dir) = compared_tiny("2");
    let d = dir.to_str().unwrap();
    edit_json(&dir.join("manifest.json"), |manifest| manifest["runs"] = serde_json::json!([]));
    let hint = "6 run record(s) in runs/ are not listed yet (a sweep stopped before it wrote the manifest): run the \
                same `aisle compare` again to finish it, or `aisle verify --repair` to list them";
    for args in [vec!["report", d], vec!["publish", d, "--epsilon", "1"]] {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_aisle")).args(&args).output().unwrap();
        let said = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {said}");
        assert!(said.trim_end().ends_with(hint), "{args:?}: {said}");
    }
}

/// The summary says the same shoppers walk into every layout; a variant
/// that changes who comes is named after the table and on the page.
#[test]
fn a_variant_that_changes_who_comes_is_named_on_the_terminal_and_the_page() {
    let tmp = tempfile::tempdir().unwrap();
    let mut source = std::fs::read_to_string(common::scenario_path("tiny")).unwrap();
    source += "\n[[variants]]\nid = \"busier\"\nedits = [{ op = \"scale_visitors\", factor = 1.5 }]\n";
    let (scenario, dir) = (tmp.path().join("busier.toml"), tmp.path().join("d"));
    std::fs::write(&scenario, source).unwrap();
    let said = aisle(&["compare", scenario.to_str().unwrap(), "--replications", "2", "--out", dir.to_str().unwrap()]);
    let note = "`busier` changes who comes (scale_visitors): its days are not the baseline's shoppers day for day";
    assert!(said.contains(&format!("note: {note}")), "{said}");
    let page = std::fs::read_to_string(dir.join("report/index.html")).unwrap();
    assert!(page.contains(&format!("Note: {note}")), "the page does not say so");
    assert_eq!(page.matches("changes who comes").count(), 1, "only `busier` changes who comes");
}

/// A dataset compared over seeds 1-2 and then given baseline seed 50 by
/// `aisle run`: the same-as-baseline copy's difference heatmap showed red
/// and blue cells, and its funnel fewer people a day, for a copy that
/// differs in nothing (each layout averaged over its own days); a dataset
/// compared over 3 seeds of 10 showed the movers' picks of all 10 days.
/// The comparison's figures are now drawn from the days it pairs alone,
/// the same as before the day was added, and the page says which days.
#[test]
fn the_comparison_draws_only_the_days_it_pairs() {
    let (_tmp, dir) = compared_tiny("2");
    aisle(&["report", dir.to_str().unwrap()]);
    let figures = dir.join("report/figures");
    let compared = [
        "compare-same-as-baseline-heat-difference-0.svg",
        "compare-cola-on-promo-heat-difference-0.svg",
        "compare-queue-wait.svg",
        "compare-line-wait.svg",
    ];
    let read = |name: &str| std::fs::read(figures.join(name)).unwrap();
    let before: Vec<Vec<u8>> = compared.iter().map(|f| read(f)).collect();
    let page = std::fs::read_to_string(dir.join("report/index.html")).unwrap();
    assert!(!page.contains("Days compared"), "{page}");
    let scenario = common::scenario_path("tiny");
    aisle(&["run", scenario.to_str().unwrap(), "--seed", "50", "--out", dir.to_str().unwrap()]);
    let page = std::fs::read_to_string(dir.join("report/index.html")).unwrap();
    let note = "<b>Days compared:</b> the comparison below, its tables and its figures, covers the 2 day(s) it pairs \
                (seeds 1–2); the dataset holds others (`baseline` 3 day(s)), which only each layout's own section \
                further down draws.";
    assert!(page.contains(note), "{page}");
    for (name, before) in compared.iter().zip(before) {
        assert!(read(name) == before, "{name} changed with a day the comparison does not pair");
    }
}

/// Days of two variants and none of the baseline: the page read
/// "Comparison with cola-on-promo", its table calling that variant the
/// baseline, and a release compared the other with it. Neither compares
/// anything now, and both say why.
#[test]
fn without_the_baselines_days_no_variant_stands_in_for_it() {
    let tmp = tempfile::tempdir().unwrap();
    let (dir, scenario) = (tmp.path().join("d"), common::scenario_path("tiny"));
    let (d, s) = (dir.to_str().unwrap(), scenario.to_str().unwrap());
    for variant in ["cola-on-promo", "same-as-baseline"] {
        for seed in ["1", "2"] {
            aisle(&["run", s, "--variant", variant, "--seed", seed, "--out", d, "--no-report"]);
        }
    }
    let why = "the dataset holds no day of `baseline`, and every variant is compared with it";
    let report = std::process::Command::new(env!("CARGO_BIN_EXE_aisle")).args(["report", d]).output().unwrap();
    assert!(report.status.success());
    assert!(String::from_utf8_lossy(&report.stderr).contains(&format!("the page compares no layouts: {why}")));
    let page = std::fs::read_to_string(dir.join("report/index.html")).unwrap();
    assert!(page.contains(why) && !page.contains("Comparison with"), "{page}");
    let publish = std::process::Command::new(env!("CARGO_BIN_EXE_aisle"))
        .args(["publish", d, "--epsilon", "5", "--seed", "1", "--name", "r"])
        .output()
        .unwrap();
    assert!(publish.status.success(), "{}", String::from_utf8_lossy(&publish.stderr));
    assert!(String::from_utf8_lossy(&publish.stderr).contains("the dataset holds no day of `baseline`"));
    let release = std::fs::read_to_string(dir.join("releases/r/index.html")).unwrap();
    assert!(!release.contains("Comparison with"), "{release}");
    // A bound's cut is no noise: the page says figures it cuts lean low
    // (zone visit rates 0.19 for an exact 0.76 were shown plain).
    assert!(release.contains("so a figure a bound cuts leans low by an amount no interval here includes"));
}

/// A run added with `--no-report` to a dataset with a report page says the
/// page leaves it out (verify then found the page stale, unexplained), and
/// a run into a dataset with no page says nothing of one.
#[test]
fn a_run_without_the_report_says_the_page_leaves_it_out() {
    let tmp = tempfile::tempdir().unwrap();
    let tiny = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/tiny.toml");
    let (tiny, out) = (tiny.to_str().unwrap(), tmp.path().join("tiny"));
    let out = out.to_str().unwrap();
    let first = aisle(&["run", tiny, "--seed", "1", "--no-report", "--out", out]);
    assert!(!first.contains("  report "), "{first}");
    aisle(&["report", out]);
    let added = aisle(&["run", tiny, "--seed", "2", "--no-report", "--out", out]);
    let said =
        format!("  report        {out}/report/index.html leaves this run out; `aisle report {out}` makes it again");
    assert!(added.contains(&said), "{added}");
}
