//! Data-driven: every `tests/bad_scenarios/NAME.toml` must make
//! `aisle validate` exit with code 2 and print exactly `NAME.err`.

use std::path::Path;
use std::process::Command;

#[test]
fn every_bad_scenario_gives_its_exact_error() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = root.join("tests/bad_scenarios");
    let mut cases: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    cases.sort();
    assert!(cases.len() >= 12, "the catalogue must hold at least 12 bad files, found {}", cases.len());
    let mut failures = Vec::new();
    for case in &cases {
        let rel = case.strip_prefix(root).unwrap();
        let expected = std::fs::read_to_string(case.with_extension("err"))
            .unwrap_or_else(|_| panic!("{} has no .err file with its expected message", rel.display()));
        let out =
            Command::new(env!("CARGO_BIN_EXE_aisle")).current_dir(root).arg("validate").arg(rel).output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        if out.status.code() != Some(2) || stderr != expected || !out.stdout.is_empty() {
            failures.push(format!(
                "{}: exit {:?}\n--- expected\n{expected}--- got\n{stderr}",
                rel.display(),
                out.status.code()
            ));
        }
        assert!(!stderr.contains("panicked"), "{} made aisle panic", rel.display());
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn shipped_scenarios_validate() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for name in ["tiny", "grocery", "convenience", "department", "pharmacy"] {
        let rel = format!("scenarios/{name}.toml");
        let out =
            Command::new(env!("CARGO_BIN_EXE_aisle")).current_dir(root).args(["validate", &rel]).output().unwrap();
        assert_eq!(out.status.code(), Some(0), "{rel}: {}", String::from_utf8_lossy(&out.stderr));
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(stdout.starts_with(&format!("{rel}: ok")));
        // Warnings close with their count.
        let warnings = stdout.lines().filter(|l| l.starts_with(&format!("{rel}: warning: "))).count();
        let close = format!("{rel}: valid, with {} above\n", aisle::scenario::counted(warnings, "warning", "warnings"));
        assert_eq!(stdout.ends_with(&close), warnings > 0, "{stdout}");
    }
}

#[test]
fn a_missing_file_is_bad_input_not_a_crash() {
    let out = Command::new(env!("CARGO_BIN_EXE_aisle")).args(["validate", "no/such/file.toml"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.starts_with("error: no/such/file.toml: cannot read the scenario file"), "{stderr}");
}

#[test]
fn an_unknown_variant_names_the_known_ones() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = Command::new(env!("CARGO_BIN_EXE_aisle"))
        .current_dir(root)
        .args(["run", "scenarios/tiny.toml", "--variant", "nope", "--out"])
        .arg(std::env::temp_dir().join("aisle-unknown-variant"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "error: scenarios/tiny.toml: no variant `nope`; this scenario has: baseline, cola-on-promo, same-as-baseline\n"
    );
}

/// A misspelt `--metric` is answered with the nearest name and every
/// metric the scenario has (a short list of key metrics left out
/// `traffic` and the zone metrics), before anything runs.
#[test]
fn an_unknown_metric_names_the_nearest_and_every_one() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out_dir = std::env::temp_dir().join("aisle-unknown-metric");
    let out = Command::new(env!("CARGO_BIN_EXE_aisle"))
        .current_dir(root)
        .args(["compare", "scenarios/tiny.toml", "--metric", "revenue_per_vistor", "--out"])
        .arg(&out_dir)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.starts_with(
            "error: --metric `revenue_per_vistor` is not a metric; did you mean `revenue_per_visitor`? the metrics \
             are traffic, parties, "
        ),
        "{stderr}"
    );
    assert!(stderr.contains(", queue_wait_p90,") && stderr.ends_with(", capture_rate/aisles\n"), "{stderr}");
    assert!(!out_dir.join("manifest.json").exists(), "nothing ran");
}

/// Shipped scenario `name` with `appended` (variants, say) after its text, validated with every variant.
fn validated_with(name: &str, appended: &str) -> aisle::Validated {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("scenarios/{name}.toml"));
    let source = std::fs::read_to_string(&path).unwrap() + appended;
    aisle::scenario::ScenarioFile::parse(&path, source).unwrap().validate_all().unwrap()
}

#[test]
fn a_fenced_in_escalator_is_warned_of_and_blamed_on_its_variant() {
    // Barriers on all four sides of the up escalator's foot (19.0, 15.5).
    let fence = r#"
[[variants]]
id = "fenced"
description = "The up escalator's foot fenced in."
edits = [
  { op = "add_fixture", fixture = { id = "FW", kind = "obstacle", at = [18.2, 15.5], size = [0.2, 2.6], height = 1.0 } },
  { op = "add_fixture", fixture = { id = "FE", kind = "obstacle", at = [19.8, 15.5], size = [0.2, 2.6], height = 1.0 } },
  { op = "add_fixture", fixture = { id = "FS", kind = "obstacle", at = [19.0, 14.4], size = [1.4, 0.2], height = 1.0 } },
  { op = "add_fixture", fixture = { id = "FN", kind = "obstacle", at = [19.0, 16.6], size = [1.4, 0.2], height = 1.0 } },
]
"#;
    let validated = validated_with("department", fence);
    let about: Vec<&String> = validated.warnings.iter().filter(|w| w.contains("connector")).collect();
    assert_eq!(
        about,
        [&"variant `fenced`: connector `escalator-up` `from` end (floor `ground`) cannot be reached from any entrance: nobody can use it".to_owned()]
    );
}

#[test]
fn a_floor_step_free_shoppers_cannot_reach_is_warned_of_and_blamed_on_its_variant() {
    let variants = r#"
[[variants]]
id = "pushchairs"
description = "Errand shoppers take lifts only."
edits = [{ op = "set_segment", segment = "errand", step_free = true }]

[[variants]]
id = "lift-out-of-order"
description = "The same, with the lift closed."
edits = [
  { op = "set_segment", segment = "errand", step_free = true },
  { op = "close_connector", connector = "lift" },
]
"#;
    let validated = validated_with("department", variants);
    let about: Vec<&String> = validated.warnings.iter().filter(|w| w.contains("lifts only")).collect();
    assert_eq!(
        about,
        [
            "variant `lift-out-of-order`: segment(s) `errand` take lifts only, but no open lift reaches floor `upper` from an entrance: they cannot shop there"
        ],
        "only the variant without a lift is warned of"
    );
}

/// A zone that holds no walkable floor of its own (outside the store,
/// under a fixture, or wholly inside one listed before it) can never be
/// entered, and its figures would read 0 for ever: warned of, by name.
#[test]
fn a_zone_nobody_can_enter_is_warned_of() {
    let zones = r#"
[[zones]]
id = "shadowed"
name = "Inside the front zone"
rect = [1.0, 1.0, 3.0, 3.0]

[[zones]]
id = "outside"
name = "Beyond the back wall"
rect = [0.0, 9.0, 12.0, 12.0]
"#;
    // Listed after the tiny store's own zones, which cover its whole floor.
    let validated = validated_with("tiny", zones);
    let about: Vec<&String> = validated.warnings.iter().filter(|w| w.starts_with("zone")).collect();
    let warning = |id: &str| {
        format!(
            "zone `{id}` holds no walkable floor of its own (outside the store, under fixtures, empty, or wholly inside \
             zones listed before it): nobody can enter it, so its visit rate is always 0 and its dwell undefined (its \
             capture rate too, or 0 where shoppers pass it); check its `rect` or `polygon`"
        )
    };
    assert_eq!(about, [&warning("shadowed"), &warning("outside")]);
}

/// A zone whose floor no entrance reaches (a stockroom walled off) can
/// never be entered either: its capture rate would read 0% from shoppers
/// passing on the other side of the wall. Warned of, with its floor.
#[test]
fn a_walled_off_zone_is_warned_of() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/tiny.toml");
    let walled = r#"rect = [0.0, 4.0, 12.0, 6.5]

[[zones]]
id = "stockroom"
name = "Walled-off stockroom"
rect = [10.0, 6.5, 12.0, 8.0]

[[store.walls]]
floor = "ground"
from = [10.0, 6.5]
to = [12.0, 6.5]

[[store.walls]]
floor = "ground"
from = [10.0, 6.5]
to = [10.0, 8.0]
"#;
    let source = std::fs::read_to_string(&path).unwrap().replace("rect = [0.0, 4.0, 12.0, 8.0]\n", walled);
    let validated = aisle::scenario::ScenarioFile::parse(&path, source).unwrap().validate_all().unwrap();
    let about: Vec<&String> = validated.warnings.iter().filter(|w| w.starts_with("zone")).collect();
    assert_eq!(
        about,
        ["zone `stockroom`: none of its 2.2 m² of walkable floor can be reached from an entrance (walls, fixtures \
             or closed connectors shut it off): nobody can enter it, so its visit rate is always 0 and its dwell \
             undefined (its capture rate counts only passers-by on the other side); open a way in, or remove the \
             zone"]
    );
}

/// The warnings `aisle validate` gives tiny with each `(from, to)` edit
/// made to its text, those holding `about`.
fn tiny_warned(edits: &[(&str, &str)], about: &str) -> Vec<String> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/tiny.toml");
    let tiny = std::fs::read_to_string(&path).unwrap();
    let source = edits.iter().fold(tiny, |text, (from, to)| text.replace(from, to));
    let validated = aisle::scenario::ScenarioFile::parse(&path, source).unwrap().validate_all().unwrap();
    validated.warnings.into_iter().filter(|w| w.contains(about)).collect()
}

/// A step coarser than the default slows a crowd (a crushed shop's median
/// stay doubled at 1 s) with nothing said: `aisle validate` says so.
#[test]
fn a_coarse_tick_is_warned_of() {
    let warned = |tick: &str| tiny_warned(&[("tick_s = 0.1\n", &format!("tick_s = {tick}\n"))], "shoppers step every");
    assert_eq!(
        warned("0.5"),
        ["run.tick_s = 0.5: shoppers step every 0.5 s, and where they meet one waits a whole step for room ahead, so \
          a crowd walks slower and stays longer than at the default 0.1 s; the figures compare only with runs at the \
          same tick"]
    );
    assert!(warned("0.1").is_empty() && warned("0.05").is_empty());
}

/// An entrance lets one in every two ticks: at `tick_s = 1` a rush the
/// store admits at 0.1 s was 60% kept out, with a warning blaming the
/// doorway. `aisle validate` says so before anything runs, and not at the
/// shipped tick.
#[test]
fn doors_too_slow_for_the_tick_are_warned_of() {
    let warned = |tick: &str| {
        let rush = ("daily_visitors = 40\n", "daily_visitors = 5000\n");
        tiny_warned(&[rush, ("tick_s = 0.1\n", &format!("tick_s = {tick}\n"))], "every two ticks")
    };
    assert_eq!(
        warned("1.0"),
        ["run.tick_s = 1 s: an entrance lets at most one in every two ticks (1800 an hour), and the busiest hour \
             brings about 3000 an hour to each of the 1 entrance(s): many would come in late or never; shorten \
             run.tick_s (0.1 s lets 18000 an hour in) or add entrances"]
    );
    assert!(warned("0.1").is_empty());
    // Past what 0.1 s lets in, a shorter tick is no advice (1,000,000
    // visitors at 0.1 s were told to shorten it): more entrances are.
    let flood = ("daily_visitors = 40\n", "daily_visitors = 1000000\n");
    assert_eq!(
        tiny_warned(&[flood], "every two ticks"),
        ["run.tick_s = 0.1 s: an entrance lets at most one in every two ticks (18000 an hour), and the busiest hour \
             brings about 600000 an hour to each of the 1 entrance(s): many would come in late or never; add \
             entrances: about 67 would let the busiest hour in at this tick"]
    );
}

/// `daily_visitors = 1e-300` validated and ran silently: days of nobody,
/// with no figures to compare. It is shown to two figures.
#[test]
fn fewer_than_one_visitor_a_day_is_warned_of() {
    let warned = |visitors: &str| {
        let edit = ("daily_visitors = 40\n", &format!("daily_visitors = {visitors}\n")[..]);
        tiny_warned(&[edit], "fewer than one visitor")
    };
    assert_eq!(
        warned("0.5"),
        ["population.daily_visitors = 0.5: fewer than one visitor is expected a day, so most days have nobody and no \
          figures; give the visitors of a whole day"]
    );
    assert!(warned("1").is_empty());
    // A scaled count is shown to two figures.
    assert!(warned("0.19999999999999998")[0].starts_with("population.daily_visitors = 0.2: "));
    assert!(warned("1e-300")[0].starts_with("population.daily_visitors = 1e-300: "));
}

/// Output piped into a reader that stops early (`aisle validate … | head`)
/// ends the command quietly with the shell's code for a closed pipe, not
/// a panic (exit 101 and a backtrace), once it has written what it writes
/// to files: `aisle compare … | head` left no report page, though its
/// page comes after the tables it prints.
#[test]
fn a_closed_stdout_ends_the_command_quietly_after_its_files() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out_dir = tempfile::tempdir().unwrap();
    let dataset = out_dir.path().to_str().unwrap();
    let cases: [(&[&str], Option<&str>); 2] = [
        (&["validate", "scenarios/tiny.toml"], None),
        (&["compare", "scenarios/tiny.toml", "--replications", "2", "--out", dataset], Some("report/index.html")),
    ];
    for (args, file) in cases {
        // The reader is gone before the command starts.
        let (reader, writer) = std::io::pipe().unwrap();
        drop(reader);
        let out =
            Command::new(env!("CARGO_BIN_EXE_aisle")).current_dir(root).args(args).stdout(writer).output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(141), "{args:?}: {stderr}");
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
        if let Some(file) = file {
            assert!(out_dir.path().join(file).is_file(), "{args:?} left no {file}");
        }
    }
}

/// A line whose first places run past a door is valid, but a line of a few
/// would stand in the doorway (a till 0.8 m from the only door had its
/// sixth place there): it is warned of, and a variant that makes one is
/// blamed for it. Lines bend on for up to 100 places and every one reaches
/// a door at last: only the first 20 are looked at. A terminal by a door
/// is said as such.
#[test]
fn a_line_running_past_a_door_is_warned_of() {
    let variant = r#"
[[variants]]
id = "till-by-the-door"
edits = [ { op = "add_lane", lane = { id = "L2", kind = "staffed", at = [8.0, 1.0], queue = "east", queue_places = 3, service = { base_s = 20.0, per_item_s = 3.0, cv = 0.3 } } } ]
"#;
    let validated = validated_with("tiny", variant);
    let about: Vec<&String> = validated.warnings.iter().filter(|w| w.contains("doorway")).collect();
    assert_eq!(
        about,
        [&"variant `till-by-the-door`: checkout `L2`: its line's place 4, at (10.4, 1.0), is 0.92 m from entrance \
           `door`: a line of 4 would stand in the doorway everyone else comes or goes by; turn it (`queue`) or move the \
           desk"
            .to_owned()]
    );
    // A till on the door: whoever is served stands in the doorway.
    let variant = r#"
[[variants]]
id = "till-on-the-door"
edits = [ { op = "add_lane", lane = { id = "L2", kind = "staffed", at = [10.8, 0.5], queue = "west", queue_places = 3, service = { base_s = 20.0, per_item_s = 3.0, cv = 0.3 } } } ]
"#;
    let validated = validated_with("tiny", variant);
    let about: Vec<&String> = validated.warnings.iter().filter(|w| w.contains("doorway")).collect();
    assert_eq!(
        about,
        [&"variant `till-on-the-door`: checkout `L2`: its terminal at (10.8, 0.5) is 0.28 m from entrance `door`: \
           whoever is served there stands in the doorway everyone else comes or goes by; move the desk"
            .to_owned()]
    );
}

/// A checkout lane or a service counter whose hours miss the store's is
/// valid but surely not meant: it is warned of, and a variant that makes
/// one is blamed for it. A counter closed by `close_lane` is said too (its
/// products all go unsold); a closed checkout lane is what the edit is for.
#[test]
fn a_desk_never_open_while_the_store_is_is_warned_of() {
    let cases = [
        (
            "pharmacy",
            r#"
[[variants]]
id = "evening-dispensary"
edits = [ { op = "set_lane_hours", lane = "dispensary", hours = [19.0, 20.0] } ]
"#,
            Some(
                "variant `evening-dispensary`: counter `dispensary` is never open while the store is (its hours \
                 19:00-20:00, the store's 09:00-18:00): nobody is served there and every planned product it sells is \
                 a lost sale; check its `hours`",
            ),
        ),
        (
            "pharmacy",
            r#"
[[variants]]
id = "no-dispensary"
edits = [ { op = "close_lane", lane = "dispensary" } ]
"#,
            Some(
                "variant `no-dispensary`: counter `dispensary` is closed (`close_lane`): nobody is served there and \
                 every planned product it sells is a lost sale; if the lost sales are not what is meant, move the \
                 counter or change its hours instead",
            ),
        ),
        (
            "grocery",
            r#"
[[variants]]
id = "one-till-less"
edits = [ { op = "close_lane", lane = "L2" } ]
"#,
            None,
        ),
        (
            "grocery",
            r#"
[[variants]]
id = "night-till"
edits = [ { op = "set_lane_hours", lane = "L2", hours = [21.0, 23.0] } ]
"#,
            Some(
                "variant `night-till`: checkout `L2` is never open while the store is (its hours 21:00-23:00, the \
                 store's 08:00-21:00): nobody pays there; check its `hours`",
            ),
        ),
    ];
    for (store, variant, warning) in cases {
        let validated = validated_with(store, variant);
        let about: Vec<&str> = (validated.warnings.iter())
            .filter(|w| w.contains("never open") || w.contains("(`close_lane`)"))
            .map(String::as_str)
            .collect();
        assert_eq!(about, Vec::from_iter(warning), "{store}");
    }
}

/// A segment asked for habits the simulation cannot give it was taken in
/// silence: lists of 200 stopped at the 6 products a segment could plan,
/// and a mean speed of 2.5 m/s walked at 2.0.
#[test]
fn habits_a_segment_cannot_have_are_warned_of() {
    let cases = [
        (
            r#"
[[variants]]
id = "hoarders"
edits = [ { op = "set_segment", segment = "quick", list_mean = 200.0 } ]
"#,
            "segment `quick`: list_mean = 200, but only 8 distinct product(s) can be on its lists",
        ),
        (
            r#"
[[variants]]
id = "mission"
edits = [ { op = "set_segment", segment = "quick", list_mean = 5.0, categories = { drinks = 1.0 } } ]
"#,
            "segment `quick`: list_mean = 5, but only 4 distinct product(s) can be on its lists",
        ),
    ];
    for (variant, warning) in cases {
        let validated = validated_with("tiny", variant);
        let about: Vec<&String> = validated.warnings.iter().filter(|w| w.contains("list_mean")).collect();
        assert_eq!(about.len(), 1, "{variant}: {:?}", validated.warnings);
        assert!(about[0].contains(warning), "{variant}: {}", about[0]);
    }
    // Four drinks: lists of 2.5 on average fit.
    let fits = "\n[[variants]]\nid = \"thirsty\"\nedits = [ { op = \"set_segment\", segment = \"quick\", list_mean = 2.5, \
                categories = { drinks = 1.0 } } ]\n";
    assert!(!validated_with("tiny", fits).warnings.iter().any(|w| w.contains("list_mean")));
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/tiny.toml");
    let fast = std::fs::read_to_string(&path).unwrap().replacen("speed_mean = 1.3 ", "speed_mean = 2.4 ", 1);
    let file = aisle::scenario::ScenarioFile::parse(&path, fast).unwrap();
    let warned = file.validate_all().unwrap().warnings;
    assert!(
        warned.contains(
            &"segment `quick`: speed_mean = 2.4 m/s, but walking speeds are held to 0.4-2.0 m/s: its \
                          shoppers walk at 2.0 m/s at most; set speed_mean to 2.0 or less"
                .to_owned()
        ),
        "{warned:?}"
    );
}

/// A segment's shelf visits of an hour (meant for a stop at seating) kept
/// most of a day's visitors out, by a door, in silence: warned of above
/// two minutes at the median.
#[test]
fn a_shelf_visit_of_minutes_is_warned_of() {
    for (median, warned) in [("3600.0", true), ("150.0", true), ("120.0", false), ("8.0", false)] {
        let variant = format!(
            "\n[[variants]]\nid = \"slow\"\nedits = [ {{ op = \"set_segment\", segment = \"quick\", dwell_median_s = \
             {median} }} ]\n"
        );
        let validated = validated_with("tiny", &variant);
        let about: Vec<&String> = validated.warnings.iter().filter(|w| w.contains("dwell_median_s")).collect();
        assert_eq!(about.len(), usize::from(warned), "{median}: {:?}", validated.warnings);
        if warned {
            let said = format!(
                "segment `quick`: dwell_median_s = {} s at every shelf its shoppers shop (shelf visits take seconds",
                median.trim_end_matches(".0")
            );
            assert!(about[0].contains(&said), "{}", about[0]);
        }
    }
}

/// A footprint that is not a whole number of cells lost its last strip
/// to the grid in silence.
#[test]
fn a_footprint_off_the_grid_is_warned_of() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/tiny.toml");
    // (cell, warned)
    for (cell, warned) in [("0.3", true), ("0.25", false), ("0.4", false)] {
        let text = std::fs::read_to_string(&path).unwrap().replacen("cell = 0.25 ", &format!("cell = {cell} "), 1);
        let file = aisle::scenario::ScenarioFile::parse(&path, text).unwrap();
        let warnings = file.validate_all().unwrap().warnings;
        let about: Vec<&String> = warnings.iter().filter(|w| w.contains("whole number of")).collect();
        assert_eq!(about.len(), usize::from(warned), "cell {cell}: {warnings:?}");
        // Every cell of the list that divides 12 × 8 m is offered (0.125 was left out).
        if warned {
            assert!(
                about[0].ends_with("a `store.cell` of 0.5 or 0.4 or 0.25 or 0.2 or 0.125 or 0.1 or 0.05 divides it"),
                "{}",
                about[0]
            );
        }
    }
}

/// A variant that put a book from 2.28 up to 5,000 took 5,000 a sale as
/// often as before (revenue per visitor 6.41 → 384.23) and nothing said
/// shoppers do not answer prices: `aisle validate` says so of each variant
/// that sets one.
#[test]
fn a_price_edit_is_told_that_demand_does_not_answer_it() {
    let variant = r#"
[[variants]]
id = "dear-cola"
description = "Cola at five times the price."
edits = [
  { op = "set_price", product = "cola", price = 5.0 },
  { op = "set_price", product = "cola", price = 7.5 },
]
"#;
    let validated = validated_with("tiny", variant);
    // Priced twice, named once.
    let about: Vec<&String> = validated.warnings.iter().filter(|w| w.contains("set_price")).collect();
    assert_eq!(
        about,
        [&"variant `dear-cola`: set_price changes what each sale of `cola` takes, not how often it sells: shoppers do \
           not answer prices (what they buy follows popularity and appeal), so a comparison measures revenue at \
           unchanged demand"
            .to_owned()]
    );
}

/// `aisle compare` refuses a file of several bad variants with every
/// variant's problems, as `aisle validate` lists them, and writes nothing:
/// it named the first alone, so each took another try.
#[test]
fn compare_names_every_bad_variant_as_validate_does() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("two-bad.toml");
    let variants = "\n[[variants]]\nid = \"more-quick\"\nedits = [{ op = \"set_shares\", shares = { quick = 0.9 } }]\n\
                    \n[[variants]]\nid = \"no-till\"\nedits = [{ op = \"remove_counter\", counter = \"L1\" }]\n";
    let text = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/tiny.toml")).unwrap();
    std::fs::write(&file, text + variants).unwrap();
    let run =
        |args: &[&str]| Command::new(env!("CARGO_BIN_EXE_aisle")).current_dir(tmp.path()).args(args).output().unwrap();
    let validate = run(&["validate", "two-bad.toml"]);
    let compare = run(&["compare", "two-bad.toml", "--replications", "2", "--out", "out"]);
    let stderr = |o: &std::process::Output| String::from_utf8_lossy(&o.stderr).into_owned();
    assert_eq!((validate.status.code(), compare.status.code()), (Some(2), Some(2)), "{}", stderr(&compare));
    assert_eq!(stderr(&compare), stderr(&validate));
    assert_eq!(stderr(&compare).lines().count(), 2, "{}", stderr(&compare));
    assert!(!tmp.path().join("out").exists(), "nothing is written");
}
