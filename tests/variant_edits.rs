//! Variant edits beyond the layout: staffing, service, opening hours,
//! traffic and segment mix, lanes and connectors added or removed. Each is
//! applied to the model as written, and a bad one names the edit.

mod common;

use aisle::scenario::{BASELINE, ScenarioFile};

/// The tiny store with one more variant whose edits are `edits` (TOML).
fn tiny_with(edits: &str) -> ScenarioFile {
    let path = common::scenario_path("tiny");
    let source = std::fs::read_to_string(&path).unwrap()
        + &format!("\n[[variants]]\nid = \"edited\"\ndescription = \"test\"\nedits = [\n{edits}\n]\n");
    ScenarioFile::parse(&path, source).unwrap()
}

#[test]
fn each_edit_changes_what_it_names() {
    let base = aisle::prepare(&tiny_with(""), BASELINE).unwrap().scenario;
    // (edits, check on the edited model against the base)
    type Check = fn(&aisle::scenario::Scenario, &aisle::scenario::Scenario) -> bool;
    let cases: [(&str, Check); 9] = [
        // A second till staffed from 17:30 to 18:30.
        (
            r#"{ op = "add_lane", lane = { id = "L2", kind = "staffed", at = [6.8, 1.2], queue = "north", queue_places = 4, service = { base_s = 20.0, per_item_s = 3.0 } } }, { op = "set_lane_hours", lane = "L2", hours = [17.5, 18.5] }"#,
            |s, _| s.lanes.iter().any(|l| l.id == "L2" && l.hours_ms == (17_500 * 3_600, 18_500 * 3_600)),
        ),
        (r#"{ op = "set_service", lane = "L1", per_item_s = 1.5 }"#, |s, b| {
            s.lanes[0].service.per_item_s == 1.5 && s.lanes[0].service.base_s == b.lanes[0].service.base_s
        }),
        (r#"{ op = "set_service", lane = "L1", distribution = "exponential" }"#, |s, _| {
            s.lanes[0].service.distribution == aisle::scenario::ServiceDistribution::Exponential
        }),
        (
            r#"{ op = "add_lane", lane = { id = "L2", kind = "staffed", at = [6.8, 1.2], queue = "north", queue_places = 4, service = { base_s = 20.0, per_item_s = 3.0 } } }"#,
            |s, b| s.lanes.len() == b.lanes.len() + 1 && s.lanes.iter().any(|l| l.id == "L2"),
        ),
        (r#"{ op = "set_hours", hours = [16.0, 19.0], hourly_profile = [0.5, 1.0, 1.5] }"#, |s, _| {
            // The profile is normalised to sum 1.
            let p = &s.population.hourly_profile;
            s.population.open_ms == 16 * 3_600_000 && p.len() == 3 && (p[2] / p[0] - 3.0).abs() < 1e-12
        }),
        (r#"{ op = "set_visitors", daily_visitors = 55.0 }"#, |s, _| s.population.daily_visitors == 55.0),
        (r#"{ op = "scale_visitors", factor = 1.4 }"#, |s, b| {
            (s.population.daily_visitors - 1.4 * b.population.daily_visitors).abs() < 1e-9
        }),
        (r#"{ op = "set_shares", shares = { quick = 0.3, browser = 0.7 } }"#, |s, _| {
            s.population.segments.iter().map(|g| g.share).collect::<Vec<_>>() == vec![0.3, 0.7]
        }),
        (
            r#"{ op = "close_lane", lane = "L1" }, { op = "add_lane", lane = { id = "S1", kind = "self_service", at = [6.8, 1.2], queue = "north", queue_places = 4, service = { base_s = 30.0, per_item_s = 4.0 } } }"#,
            |s, _| s.lanes.iter().any(|l| l.id == "S1" && l.open) && s.lanes.iter().any(|l| l.id == "L1" && !l.open),
        ),
    ];
    for (edits, check) in cases {
        let file = tiny_with(edits);
        let edited = aisle::prepare(&file, "edited").unwrap_or_else(|e| panic!("{edits}: {e}")).scenario;
        assert!(check(&edited, &base), "{edits}");
    }
}

#[test]
fn a_bad_edit_names_its_place_and_what_is_wrong() {
    // (edits, the message)
    let cases = [
        (r#"{ op = "set_service", lane = "L9", cv = 0.5 }"#, "edit 1 (set_service): no checkout lane `L9`"),
        (
            r#"{ op = "remove_connector", connector = "escalator" }"#,
            "edit 1 (remove_connector): no connector `escalator`",
        ),
        (
            r#"{ op = "scale_visitors", factor = -2.0 }"#,
            "edit 1 (scale_visitors): factor must be a positive number, got -2",
        ),
        (r#"{ op = "set_shares", shares = { hurried = 1.0 } }"#, "edit 1 (set_shares): no segment `hurried`"),
        (
            r#"{ op = "add_lane", lane = { id = "L1", kind = "staffed", at = [6.8, 1.2], queue = "north", queue_places = 4, service = { base_s = 20.0, per_item_s = 3.0 } } }"#,
            "edit 1 (add_lane): checkout lane `L1` already exists",
        ),
    ];
    for (edits, message) in cases {
        let err = aisle::prepare(&tiny_with(edits), "edited").err().unwrap_or_else(|| panic!("{edits} was accepted"));
        assert!(err.to_string().contains(message), "{edits}:\n{err}\nwanted: {message}");
    }
    // Shares that no longer add up are refused by validation, naming the variant.
    let err = aisle::prepare(&tiny_with(r#"{ op = "set_shares", shares = { quick = 0.9 } }"#), "edited").err().unwrap();
    assert!(err.to_string().contains("edited"), "{err}");
}

#[test]
fn removing_the_only_lane_is_refused() {
    let err = aisle::prepare(&tiny_with(r#"{ op = "remove_lane", lane = "L1" }"#), "edited").err().unwrap();
    assert!(err.to_string().to_lowercase().contains("lane"), "{err}");
}

#[test]
fn an_obstacle_holds_no_products_and_nobody_walks_through_it() {
    // A pillar in the front aisle, added by a variant.
    let file = tiny_with(
        r#"{ op = "add_fixture", fixture = { id = "PILLAR", kind = "obstacle", at = [7.0, 3.0], size = [0.6, 0.6], height = 3.0 } }"#,
    );
    let p = aisle::prepare(&file, "edited").unwrap_or_else(|e| panic!("{e}"));
    let events = common::simulate(&p, 1);
    let inside = |x: f32, y: f32| (6.7..=7.3).contains(&x) && (2.7..=3.3).contains(&y);
    assert!(!events.iter().any(|e| inside(e.x, e.y)), "someone stood inside the pillar");
    let enters = events.iter().filter(|e| matches!(e.action, aisle::events::Action::Enter { .. })).count();
    let exits = events.iter().filter(|e| matches!(e.action, aisle::events::Action::Exit)).count();
    assert!(enters > 10 && enters == exits, "{enters} entered, {exits} left");
}
