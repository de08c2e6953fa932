//! Stops at seating and fitting rooms: a segment's chance of a stop is
//! kept, a stop lasts the fixture's log-normal time, it is made at the
//! fixture, sitting there is no freeze, and everyone still leaves. A bad
//! stop names what is wrong.

mod common;

use std::collections::HashMap;

use aisle::events::{Action, SimEvent};
use aisle::metrics::{DayProjection, Layout, Projection};
use aisle::scenario::ScenarioFile;

/// A bench of two places (2 m) along the back of the tiny store, used
/// from its front.
const BENCH: &str = r#"
[[fixtures]]
id = "bench"
kind = "seating"
at = [6.5, 7.6]
size = [2.0, 0.5]
height = 0.45
dwell_median_s = 300.0
"#;

/// The same bench 10 m long: ten places, more than the tiny store's
/// shoppers ever fill.
fn long_bench() -> String {
    BENCH.replace("size = [2.0, 0.5]", "size = [10.0, 0.5]")
}

/// The tiny store with `fixtures` added and a variant `edited` made of `edits`.
fn tiny(fixtures: &str, edits: &str) -> Result<aisle::Prepared, String> {
    let path = common::scenario_path("tiny");
    let source = std::fs::read_to_string(&path).unwrap()
        + fixtures
        + &format!("\n[[variants]]\nid = \"edited\"\ndescription = \"test\"\nedits = [\n{edits}\n]\n");
    let file = ScenarioFile::parse(&path, source).map_err(|e| e.to_string())?;
    aisle::prepare(&file, "edited").map_err(|e| e.to_string())
}

/// Both segments stop at seating with `chance`.
fn sitting(chance: f64) -> String {
    ["quick", "browser"]
        .map(|g| format!(r#"{{ op = "set_segment", segment = "{g}", stops = {{ seating = {chance} }} }}"#))
        .join(", ")
}

/// A stop as seen in a log: (start ms, end ms, where it sat: x, y).
type StopSeen = (u64, u64, f32, f32);

/// Per leader of a day: its stops as (start, end, where it sat), and
/// whether it led (came in as its own party's leader).
fn stops_by_shopper(events: &[SimEvent]) -> (HashMap<u32, Vec<StopSeen>>, u32) {
    let (mut open, mut stops, mut leaders) = (HashMap::new(), HashMap::<u32, Vec<_>>::new(), 0);
    for e in events {
        match e.action {
            Action::Enter { party } if party == e.shopper => leaders += 1,
            Action::StopStart { .. } => assert!(open.insert(e.shopper, (e.t_ms, e.x, e.y)).is_none(), "two at once"),
            Action::StopEnd { .. } => {
                let (t, x, y) = open.remove(&e.shopper).expect("a stop ends after it starts");
                stops.entry(e.shopper).or_default().push((t, e.t_ms, x, y));
            }
            Action::Exit => assert!(!open.contains_key(&e.shopper), "shopper {} left sitting", e.shopper),
            _ => {}
        }
    }
    (stops, leaders)
}

#[test]
fn a_stop_lasts_the_fixtures_time_at_the_fixture_and_is_no_freeze() {
    let p = tiny(&long_bench(), &sitting(1.0)).unwrap();
    let (mut minutes, mut stopped, mut leaders) = (Vec::new(), 0, 0);
    for seed in 1..=8 {
        let events = common::simulate(&p, seed);
        let (stops, led) = stops_by_shopper(&events);
        leaders += led;
        for (shopper, made) in &stops {
            assert_eq!(made.len(), 1, "shopper {shopper}: one stop of one kind");
            let (start, end, x, y) = made[0];
            // The bench's front is at y = 7.35, x 1.5..11.5: its users sit at their
            // places 0.45 m out from it, not a metre short of them in the aisle
            // where someone stood in the way.
            assert!((1.5..=11.5).contains(&x) && (y - 6.9).abs() <= 0.05, "shopper {shopper} stopped at ({x}, {y})");
            minutes.push((end - start) as f64 / 60_000.0);
        }
        stopped += stops.len() as u32;
        let count = |kind: &str| events.iter().filter(|e| e.action.kind() == kind).count();
        assert_eq!(count("enter"), count("exit"), "seed {seed}: everyone who came in left");
        let layout = Layout::new(&p);
        let mut day = DayProjection::new(&layout);
        events.iter().for_each(|e| day.observe(e));
        let m = day.finish();
        assert!(m.longest_freeze_s < 120.0, "seed {seed}: sitting is no freeze ({} s)", m.longest_freeze_s);
        assert_eq!(m.stop_places[0].stops, stops.len() as u64, "seed {seed}: the day counts each stop");
    }
    assert_eq!(stopped, leaders, "every leader stops once with chance 1");
    // The median of a log-normal stop of median 5 minutes: within 10% over some 300 stops.
    minutes.sort_by(f64::total_cmp);
    let median = minutes[minutes.len() / 2];
    assert!((median - 5.0).abs() < 0.5, "median stop {median:.2} min over {} stops", minutes.len());
}

#[test]
fn a_segments_chance_of_a_stop_is_kept() {
    let p = tiny(&long_bench(), &sitting(0.4)).unwrap();
    let (mut stopped, mut leaders) = (0u32, 0u32);
    for seed in 1..=10 {
        let (stops, led) = stops_by_shopper(&common::simulate(&p, seed));
        stopped += stops.len() as u32;
        leaders += led;
    }
    let share = stopped as f64 / leaders as f64;
    let se = (0.4 * 0.6 / leaders as f64).sqrt();
    assert!(
        (share - 0.4).abs() < 4.0 * se,
        "{stopped} of {leaders} leaders stopped ({share:.3}, want 0.4 ± {:.3})",
        4.0 * se
    );
}

#[test]
fn a_seat_holds_one_and_a_full_bench_is_given_up() {
    let p = tiny(BENCH, &sitting(1.0)).unwrap();
    let (mut stopped, mut leaders) = (0u32, 0u32);
    for seed in 1..=4 {
        let events = common::simulate(&p, seed);
        let (stops, led) = stops_by_shopper(&events);
        stopped += stops.len() as u32;
        leaders += led;
        // At no instant do more than the bench's two sit.
        let mut changes: Vec<(u64, i32)> =
            stops.values().flatten().flat_map(|&(start, end, _, _)| [(start, 1), (end, -1)]).collect();
        changes.sort();
        let most = changes
            .iter()
            .scan(0, |n, (_, d)| {
                *n += d;
                Some(*n)
            })
            .max()
            .unwrap_or(0);
        assert!(most <= 2, "seed {seed}: {most} sat on a bench of two");
        let count = |kind: &str| events.iter().filter(|e| e.action.kind() == kind).count();
        assert_eq!(count("enter"), count("exit"), "seed {seed}: those who found it full still left");
    }
    assert!(stopped < leaders, "some found the bench full: {stopped} of {leaders} sat");
}

#[test]
fn a_bad_stop_names_what_is_wrong() {
    let shelved_bench = BENCH.replace("height = 0.45", "height = 0.45\nlevels = [\"eye\"]");
    let cases = [
        (shelved_bench.as_str(), sitting(0.5), "fixture `bench` is seating: it holds no products; leave `levels` out"),
        (
            BENCH,
            r#"{ op = "set_segment", segment = "quick", stops = { gondola = 0.5 } }"#.to_owned(),
            "segment `quick` stops at `gondola`; a stop is at `seating` or a `fitting_room`",
        ),
        (
            "",
            sitting(0.5),
            "segment `quick` stops at seating (chance 0.5) but the store has no fixture of kind = \"seating\"",
        ),
        (BENCH, sitting(1.5), "segment `quick` stops.seating must be a probability in [0, 1], got 1.5"),
    ];
    for (fixtures, edits, message) in cases {
        let err = tiny(fixtures, &edits).err().unwrap_or_else(|| panic!("{edits} was accepted"));
        assert!(err.contains(message), "{edits}:\n{err}\nwanted: {message}");
    }
}

/// A stop still going at the day's hard end is ended there: the one made to
/// leave logs `stop_end` before `exit`, and the day counts the stop. Cut
/// short without it, a seat taken twice read "1 stops, 50.3 min each".
#[test]
fn a_stop_cut_short_by_the_hard_end_is_still_a_stop() {
    let bench = long_bench().replace("dwell_median_s = 300.0", "dwell_median_s = 7200.0");
    let p = tiny(&bench, &sitting(1.0)).unwrap();
    let events = common::simulate(&p, 1);
    // (`stops_by_shopper` also fails if anyone leaves still sitting.)
    let (stops, _) = stops_by_shopper(&events);
    let starts = events.iter().filter(|e| matches!(e.action, Action::StopStart { .. })).count();
    assert!(starts > 5, "{starts} stops");
    assert_eq!(stops.values().map(Vec::len).sum::<usize>(), starts, "every stop ends");
    let layout = Layout::new(&p);
    let cut = events.iter().filter(|e| matches!(e.action, Action::StopEnd { .. }) && e.t_ms >= layout.end_ms).count();
    assert!(cut > 0, "some stop runs to the hard end");
    let mut day = DayProjection::new(&layout);
    events.iter().for_each(|e| day.observe(e));
    assert_eq!(day.finish().stop_places[0].stops, starts as u64, "the day counts each stop");
}

/// A stop whose median outlasts the whole day (opening to the end of the
/// drain) is warned of: most who stop there are made to leave from it.
/// (A bench of two hours in a day of one and a half said nothing until
/// the run was over, 11 of 53 forced out.)
#[test]
fn a_stop_longer_than_the_day_is_warned_of() {
    let path = common::scenario_path("tiny");
    // A day of 1.5 h, within the longest median a stop may be given (2 h).
    let tiny = std::fs::read_to_string(&path)
        .unwrap()
        .replace("hours = [17.0, 19.0]\nhourly_profile = [1.0, 1.5]", "hours = [17.0, 18.0]\nhourly_profile = [1.0]")
        .replace("drain_h = 1.0", "drain_h = 0.5");
    let day_s = {
        let p = aisle::prepare(&ScenarioFile::parse(&path, tiny.clone()).unwrap(), "baseline").unwrap();
        p.scenario.hard_end_ms() / 1000
    };
    // (the bench's median, whether warned)
    for (median_s, warned) in [(day_s + 1, true), (day_s - 1, false)] {
        let bench = BENCH.replace("dwell_median_s = 300.0", &format!("dwell_median_s = {median_s}.0"));
        let file = ScenarioFile::parse(&path, tiny.clone() + &bench).unwrap();
        let warnings = file.validate_all().unwrap().warnings;
        let warning =
            format!("fixture `bench`: a stop there lasts {median_s} s at the median, longer than the whole day");
        assert_eq!(warnings.iter().any(|w| w.starts_with(&warning)), warned, "{median_s}: {warnings:?}");
    }
}

/// Those at a stop are off the walkway, so walkers pass through them: a
/// bench facing a walkway too narrow to pass a sitter (in the only 1 m
/// corridor of a shop) was walked through all day, unsaid. `aisle
/// validate` says so of a bench facing a gondola 0.7 m away, not of one
/// along the back wall with room before it.
#[test]
fn a_stop_in_a_walkway_too_narrow_to_pass_is_warned_of() {
    let path = common::scenario_path("tiny");
    let warned = |bench: &str| {
        let source = std::fs::read_to_string(&path).unwrap() + bench;
        let warnings = ScenarioFile::parse(&path, source).unwrap().validate_all().unwrap().warnings;
        warnings.into_iter().filter(|w| w.contains("pass through them")).collect::<Vec<_>>()
    };
    assert_eq!(
        warned(&BENCH.replace("at = [6.5, 7.6]", "at = [6.5, 6.45]")),
        ["fixture `bench` (seating): its places stand in a walkway 0.70 m wide between fixture `G1` and fixture \
          `bench`, narrower than 1.2 m: whoever stops there is off the walkway, and those walking by pass through \
          them; face it onto floor with room, or widen the walkway"]
    );
    assert!(warned(BENCH).is_empty());
}
