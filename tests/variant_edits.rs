//! Variant edits beyond the layout: staffing, service, opening hours,
//! traffic and segment mix, lanes and connectors added or removed. Each is
//! applied to the model as written, and a bad one names the edit.

mod common;

use aisle::scenario::{BASELINE, ScenarioFile};

/// The tiny store with one more variant whose edits are `edits` (TOML).
fn tiny_with(edits: &str) -> ScenarioFile {
    shipped_with("tiny", edits)
}

/// Shipped scenario `name` with one more variant, `edited`, whose edits
/// are `edits` (TOML).
fn shipped_with(name: &str, edits: &str) -> ScenarioFile {
    let path = common::scenario_path(name);
    let source = std::fs::read_to_string(&path).unwrap()
        + &format!("\n[[variants]]\nid = \"edited\"\ndescription = \"test\"\nedits = [\n{edits}\n]\n");
    ScenarioFile::parse(&path, source).unwrap()
}

/// A deli counter for the tiny store selling `sells`, with id `id`.
fn tiny_counter(id: &str, sells: &str) -> String {
    format!(
        r#"{{ op = "add_counter", counter = {{ id = "{id}", at = [6.5, 7.6], queue = "west", queue_places = 4, service = {{ base_s = 40.0, per_item_s = 10.0 }}, sells = [{sells}] }} }}"#
    )
}

#[test]
fn counter_edits_change_the_counter_they_name() {
    let base = aisle::prepare(&shipped_with("pharmacy", ""), BASELINE).unwrap().scenario;
    let desk = |s: &aisle::scenario::Scenario| s.counters[0].desk.clone();
    // (edits, check on the edited dispensary against the base's)
    type Check = fn(&aisle::scenario::Lane, &aisle::scenario::Lane) -> bool;
    let cases: [(&str, Check); 5] = [
        // Its servers and its line move with it.
        (r#"{ op = "move_counter", counter = "dispensary", to = [5.0, 2.4] }"#, |d, b| {
            d.service_point == aisle::geom::Point::new(5.0, 2.4)
                && d.terminals.iter().zip(&b.terminals).all(|(t, was)| t.distance(was.offset(-2.0, -6.2)) < 1e-9)
                && d.queue_dir == b.queue_dir
        }),
        // Lane edits name a counter as well as a lane.
        (r#"{ op = "close_lane", lane = "dispensary" }"#, |d, _| !d.open),
        (r#"{ op = "set_lane_hours", lane = "dispensary", hours = [12.0, 14.0] }"#, |d, _| {
            d.hours_ms == (12 * 3_600_000, 14 * 3_600_000)
        }),
        (r#"{ op = "set_service", lane = "dispensary", base_s = 90.0 }"#, |d, b| {
            d.service.base_s == 90.0 && d.service.per_item_s == b.service.per_item_s
        }),
        // Removed and added again with one server at its service point.
        (
            r#"{ op = "remove_counter", counter = "dispensary" }, { op = "add_counter", counter = { id = "dispensary", at = [7.0, 8.6], queue = "east", service = { base_s = 60.0, per_item_s = 30.0 }, sells = ["prescriptions"] } }"#,
            |d, b| d.terminals == [d.service_point] && d.service_point == b.service_point && b.terminals.len() == 2,
        ),
    ];
    for (edits, check) in cases {
        let edited =
            aisle::prepare(&shipped_with("pharmacy", edits), "edited").unwrap_or_else(|e| panic!("{edits}: {e}"));
        assert!(check(&desk(&edited.scenario), &desk(&base)), "{edits}");
    }
}

#[test]
fn a_bad_counter_names_what_is_wrong() {
    // (scenario, edits, the message)
    let deli_drinks = tiny_counter("deli", r#""drinks""#);
    let deli_bread = tiny_counter("deli", r#""bread""#);
    let on_lane_id = tiny_counter("L1", r#""drinks""#);
    let second = r#"{ op = "add_counter", counter = { id = "second", at = [12.0, 8.0], queue = "south", service = { base_s = 60.0, per_item_s = 0.0 }, sells = ["prescriptions"] } }"#;
    let cases = [
        (
            "tiny",
            deli_drinks.as_str(),
            "product `water` is sold at counter `deli`, not from a shelf: remove its `[[planogram]]` rows",
        ),
        ("tiny", deli_bread.as_str(), "counter `deli` sells category `bread`, which is not in `[[categories]]`"),
        (
            "tiny",
            on_lane_id.as_str(),
            "checkout lane and counter both have the id `L1`; lane edits name either, so give one another",
        ),
        ("tiny", r#"{ op = "remove_counter", counter = "deli" }"#, "edit 1 (remove_counter): no counter `deli`"),
        ("tiny", r#"{ op = "close_lane", lane = "deli" }"#, "edit 1 (close_lane): no checkout lane or counter `deli`"),
        (
            "tiny",
            r#"{ op = "remove_counter", counter = "L1" }"#,
            "edit 1 (remove_counter): no counter `L1`: `L1` is a checkout lane (remove_lane)",
        ),
        (
            "tiny",
            r#"{ op = "move_counter", counter = "L1", to = [6.0, 4.0] }"#,
            "edit 1 (move_counter): no counter `L1`: `L1` is a checkout lane (a lane is moved by remove_lane, then \
             add_lane where it is to stand)",
        ),
        (
            "pharmacy",
            r#"{ op = "remove_lane", lane = "dispensary" }"#,
            "edit 1 (remove_lane): no checkout lane `dispensary`: `dispensary` is a service counter (remove_counter)",
        ),
        // What the edits made is blamed on them, at the edit: it read as
        // the base's segments to mend.
        (
            "tiny",
            r#"{ op = "set_shares", shares = { quick = 0.9 } }"#,
            "make the segments' `share` values add up to 1 (made by the variant's edit `set_shares`: change it to \
             avoid this)",
        ),
        (
            "pharmacy",
            second,
            "category `prescriptions` is sold at counters `dispensary` and `second`; a category is sold at one counter",
        ),
        (
            "pharmacy",
            r#"{ op = "remove_counter", counter = "dispensary" }"#,
            "product `prescription` has no place on any shelf: add it to `[[planogram]]`",
        ),
    ];
    for (name, edits, message) in cases {
        let err = aisle::prepare(&shipped_with(name, edits), "edited")
            .err()
            .unwrap_or_else(|| panic!("{name}: {edits} was accepted"));
        assert!(err.to_string().contains(message), "{name}: {edits}:\n{err}\nwanted: {message}");
    }
}

#[test]
fn each_edit_changes_what_it_names() {
    let base = aisle::prepare(&tiny_with(""), BASELINE).unwrap().scenario;
    // (edits, check on the edited model against the base)
    type Check = fn(&aisle::scenario::Scenario, &aisle::scenario::Scenario) -> bool;
    let cases: [(&str, Check); 11] = [
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
        (r#"{ op = "set_segment", segment = "browser", list_mean = 0.5, patience_s = 90.0 }"#, |s, b| {
            let (g, before) = (&s.population.segments[1], &b.population.segments[1]);
            g.list_mean == 0.5 && g.patience_s == 90.0 && g.impulse == before.impulse && g.category_weights.is_none()
        }),
        (r#"{ op = "set_segment", segment = "quick", categories = { drinks = 2.0 } }"#, |s, _| {
            // Categories are indexed as written: snacks, then drinks.
            s.population.segments[0].category_weights == Some(vec![0.0, 2.0])
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
        (
            r#"{ op = "set_service", lane = "L9", cv = 0.5 }"#,
            "edit 1 (set_service): no checkout lane or counter `L9`: did you mean `L1`? the checkout lanes and counters are `L1`",
        ),
        (
            r#"{ op = "remove_connector", connector = "escalator" }"#,
            "edit 1 (remove_connector): no connector `escalator`: there are no connectors",
        ),
        (
            r#"{ op = "scale_visitors", factor = -2.0 }"#,
            "edit 1 (scale_visitors): factor must be a positive number, got -2",
        ),
        (
            r#"{ op = "set_shares", shares = { hurried = 1.0 } }"#,
            "edit 1 (set_shares): no segment `hurried`: the segments are `quick`",
        ),
        (r#"{ op = "set_segment", segment = "hurried", impulse = 0.1 }"#, "edit 1 (set_segment): no segment `hurried`"),
        (
            r#"{ op = "set_segment", segment = "quick", categories = { sweets = 1.0 } }"#,
            "segment `quick` categories: `sweets` is not a category; the categories are `snacks`, `drinks`",
        ),
        (
            r#"{ op = "set_segment", segment = "quick", categories = { drinks = 0.0 } }"#,
            "segment `quick` gives every category weight 0 but plans or browses: give a category a positive weight",
        ),
        (
            r#"{ op = "set_segment", segment = "quick", list_mean = -1.0 }"#,
            "segment `quick` list_mean must be between 0 and 200, got -1",
        ),
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

/// Every planned pick of the day, as (product category, count).
fn planned_categories(p: &aisle::Prepared, seed: u64) -> std::collections::BTreeMap<usize, usize> {
    let mut out = std::collections::BTreeMap::new();
    for e in common::simulate(p, seed) {
        if let aisle::events::Action::Pick { product, planned: true, .. } = e.action {
            *out.entry(p.scenario.products[product as usize].category).or_default() += 1;
        }
    }
    out
}

#[test]
fn a_segments_mission_decides_what_it_plans() {
    // Both segments come for drinks only (category 1): nothing else is planned.
    let drinks = tiny_with(
        r#"{ op = "set_segment", segment = "quick", categories = { drinks = 1.0 } }, { op = "set_segment", segment = "browser", categories = { drinks = 1.0 } }"#,
    );
    let p = aisle::prepare(&drinks, "edited").unwrap();
    let planned = planned_categories(&p, 1);
    assert!(planned.keys().eq([&1]) && planned[&1] > 20, "planned picks by category: {planned:?}");
    // The base file plans from both categories.
    let base = aisle::prepare(&tiny_with(""), BASELINE).unwrap();
    assert_eq!(planned_categories(&base, 1).len(), 2);
}

#[test]
fn visitors_who_plan_nothing_buy_only_on_impulse_and_all_leave() {
    let lookers = tiny_with(
        r#"{ op = "set_segment", segment = "quick", list_mean = 0.0 }, { op = "set_segment", segment = "browser", list_mean = 0.0 }"#,
    );
    let p = aisle::prepare(&lookers, "edited").unwrap();
    let events = common::simulate(&p, 1);
    let count = |f: fn(&aisle::events::Action) -> bool| events.iter().filter(|e| f(&e.action)).count();
    use aisle::events::Action;
    assert_eq!(count(|a| matches!(a, Action::Pick { planned: true, .. })), 0);
    assert!(count(|a| matches!(a, Action::Pick { planned: false, .. })) > 0, "browsers bought nothing on impulse");
    let (enters, exits) = (count(|a| matches!(a, Action::Enter { .. })), count(|a| matches!(a, Action::Exit)));
    assert!(enters > 10 && enters == exits, "{enters} entered, {exits} left");
}

#[test]
fn a_list_mean_below_one_leaves_that_share_with_nothing_planned() {
    // Poisson(0.5): e^-0.5 = 61% of parties plan nothing. The quick segment
    // alone (no browsing), over many days of the tiny store.
    let file = tiny_with(
        r#"{ op = "set_shares", shares = { quick = 1.0, browser = 0.0 } }, { op = "set_segment", segment = "quick", list_mean = 0.5, impulse = 0.0 }, { op = "scale_visitors", factor = 10.0 }"#,
    );
    let p = aisle::prepare(&file, "edited").unwrap();
    let (mut parties, mut buying) = (0usize, 0usize);
    for seed in 1..=3 {
        let events = common::simulate(&p, seed);
        parties += events
            .iter()
            .filter(|e| matches!(e.action, aisle::events::Action::Enter { party } if party == e.shopper))
            .count();
        let mut payers: Vec<u32> = events
            .iter()
            .filter(|e| {
                matches!(e.action, aisle::events::Action::QueueJoin { .. } | aisle::events::Action::Abandon { .. })
            })
            .map(|e| e.shopper)
            .collect();
        payers.sort_unstable();
        payers.dedup();
        buying += payers.len();
    }
    // Parties with a list reach the checkout (nearly all find something).
    let nothing = 1.0 - buying as f64 / parties as f64;
    let se = (0.61 * 0.39 / parties as f64).sqrt();
    assert!(parties > 500, "{parties} parties");
    assert!((nothing - (-0.5f64).exp()).abs() < 4.0 * se + 0.02, "{nothing:.3} planned nothing, {parties} parties");
}

/// The department store (three connectors) with one more variant whose
/// edits are `edits`, after `rewrite` of its text.
fn department_with(rewrite: impl Fn(String) -> String, edits: &str) -> ScenarioFile {
    let path = common::scenario_path("department");
    let source = rewrite(std::fs::read_to_string(&path).unwrap())
        + &format!("\n[[variants]]\nid = \"edited\"\ndescription = \"test\"\nedits = [\n{edits}\n]\n");
    ScenarioFile::parse(&path, source).unwrap()
}

#[test]
fn connectors_close_open_and_change_speed_by_edit() {
    // The connectors in use: open in the model, and as many links in the store.
    let ids = |p: &aisle::Prepared| {
        let open: Vec<String> = p.scenario.store.connectors.iter().filter(|c| c.open).map(|c| c.id.clone()).collect();
        assert_eq!(p.store.connectors.len(), open.len(), "a link per open connector");
        open
    };
    let same = |text: String| text;
    // The stairs closed in the base file: present only where a variant opens them.
    let stairs_closed = |text: String| {
        text.replacen("id = \"stairs\"\nkind = \"stairs\"\n", "id = \"stairs\"\nkind = \"stairs\"\nopen = false\n", 1)
    };
    // (how the scenario is changed, the edit, the connectors still open)
    type Case<'a> = (&'a dyn Fn(String) -> String, &'a str, &'a [&'a str]);
    let cases: [Case; 3] = [
        (&same, r#"{ op = "close_connector", connector = "escalator-up" }"#, &["escalator-down", "stairs", "lift"]),
        (
            &stairs_closed,
            r#"{ op = "set_visitors", daily_visitors = 100.0 }"#,
            &["escalator-up", "escalator-down", "lift"],
        ),
        (
            &stairs_closed,
            r#"{ op = "open_connector", connector = "stairs" }"#,
            &["escalator-up", "escalator-down", "stairs", "lift"],
        ),
    ];
    for (rewrite, edits, want) in cases {
        let edited = aisle::prepare(&department_with(rewrite, edits), "edited").unwrap();
        assert_eq!(ids(&edited), *want, "{edits}");
        assert_eq!(edited.scenario.store.connectors.len(), 4, "a closed connector stays in the model (drawn grey)");
    }
    let slower = department_with(same, r#"{ op = "set_connector", connector = "escalator-up", traversal_s = 21.0 }"#);
    let (base, edited) = (aisle::prepare(&slower, BASELINE).unwrap(), aisle::prepare(&slower, "edited").unwrap());
    let up =
        |p: &aisle::Prepared| p.scenario.store.connectors.iter().find(|c| c.id == "escalator-up").unwrap().traversal_s;
    assert_eq!((up(&base), up(&edited)), (14.0, 21.0));
    let link = |p: &aisle::Prepared| p.store.connectors.iter().map(|l| l.traversal_ms).max().unwrap();
    assert!(link(&edited) >= 21_000, "the store's link is as slow as the edit says");
    // A bad speed gets the base file's message, and an unknown id its own.
    for (edits, message) in [
        (
            r#"{ op = "set_connector", connector = "escalator-up", traversal_s = -1.0 }"#,
            "connector `escalator-up` traversal_s must be",
        ),
        (r#"{ op = "open_connector", connector = "ramp" }"#, "edit 1 (open_connector): no connector `ramp`"),
    ] {
        let Err(err) = aisle::prepare(&department_with(same, edits), "edited") else { panic!("{edits} was accepted") };
        let err = err.to_string();
        assert!(err.contains(message), "{edits}: {err}");
    }
}

/// A comparison's summary says every layout met the same shoppers day for
/// day; a variant that changes who comes (four times the visitors) does
/// not, and is named with the edits that make it so.
#[test]
fn variants_that_change_who_comes_are_named() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/department.toml");
    let notes = aisle::scenario::ScenarioFile::read(&path).unwrap().visitor_notes();
    assert_eq!(notes.len(), 2, "{notes:?}");
    assert_eq!((notes[0].0.as_str(), notes[1].0.as_str()), ("traffic-x4", "traffic-x4-stairs-only"));
    assert!(notes[0].1.starts_with("`traffic-x4` changes who comes (scale_visitors): its days are not the baseline's"));
    assert!(notes[1].1.starts_with("`traffic-x4-stairs-only` changes who comes (scale_visitors)"), "{notes:?}");
}

/// An edit that sets who comes to what it was already leaves the days
/// paired (no note), as does moving the same day to other hours; one that
/// changes it is named.
#[test]
fn only_edits_that_change_the_arrival_plan_are_noted() {
    let path = common::scenario_path("tiny");
    let base = std::fs::read_to_string(&path).unwrap();
    for (edits, noted) in [
        (r#"{ op = "set_visitors", daily_visitors = 40 }"#, false),
        (r#"{ op = "scale_visitors", factor = 1.0 }"#, false),
        (r#"{ op = "set_hours", hours = [17.0, 19.0], hourly_profile = [1.0, 1.5] }"#, false),
        (r#"{ op = "set_hours", hours = [20.0, 22.0], hourly_profile = [1.0, 1.5] }"#, false),
        (r#"{ op = "set_shares", shares = { quick = 0.6, browser = 0.4 } }"#, false),
        (r#"{ op = "set_segment", segment = "quick", group_mean = 1.0 }"#, false),
        (r#"{ op = "set_segment", segment = "quick", patience_s = 60.0 }"#, false),
        (r#"{ op = "set_visitors", daily_visitors = 41 }"#, true),
        (r#"{ op = "scale_visitors", factor = 1.5 }"#, true),
        (r#"{ op = "set_hours", hours = [17.0, 19.0], hourly_profile = [1.5, 1.0] }"#, true),
        (r#"{ op = "set_hours", hours = [17.0, 20.0], hourly_profile = [1.0, 1.5, 1.5] }"#, true),
        (r#"{ op = "set_shares", shares = { quick = 0.5, browser = 0.5 } }"#, true),
        (r#"{ op = "set_segment", segment = "quick", group_mean = 2.0 }"#, true),
        (
            r#"{ op = "set_visitors", daily_visitors = 40 }, { op = "set_segment", segment = "quick", group_mean = 2.0 }"#,
            true,
        ),
    ] {
        let source =
            base.clone() + &format!("\n[[variants]]\nid = \"edited\"\ndescription = \"test\"\nedits = [{edits}]\n");
        let notes = ScenarioFile::parse(&path, source).unwrap().visitor_notes();
        let edited: Vec<&String> = notes.iter().map(|(v, _)| v).filter(|v| *v == "edited").collect();
        assert_eq!(!edited.is_empty(), noted, "{edits}: {notes:?}");
    }
}

/// A variant of a file whose base is itself invalid is not blamed for the
/// base's problems (`aisle run --variant` prepares it alone): shares off
/// in the base read "made by the variant's edit `set_price`", and an
/// entrance in a fixture was put at the variant's line.
#[test]
fn a_bad_base_is_not_blamed_on_a_variants_edits() {
    let path = common::scenario_path("tiny");
    let variant =
        "\n[[variants]]\nid = \"edited\"\nedits = [{ op = \"set_price\", product = \"cola\", price = 2.0 }]\n";
    let on_door =
        "\n[[fixtures]]\nid = \"X\"\nkind = \"obstacle\"\nat = [11.0, 0.5]\nsize = [1.0, 1.0]\nheight = 1.0\n";
    let tiny = std::fs::read_to_string(&path).unwrap();
    // (what, the base made invalid, what the base's problem says)
    let cases = [
        ("shares off", tiny.replacen("share = 0.6", "share = 0.9", 1), "segment shares sum to"),
        ("an obstacle on the entrance", tiny.clone() + on_door, "inside fixture `X`"),
    ];
    for (what, text, said) in cases {
        let file = ScenarioFile::parse(&path, text + variant).unwrap();
        let base = aisle::prepare(&file, aisle::scenario::BASELINE).err().expect(what).to_string();
        let err = aisle::prepare(&file, "edited").err().expect(what).to_string();
        assert!(err.contains(said) && !err.contains("made by the variant"), "{what}: {err}");
        assert_eq!(err, base, "{what}: told as the base's, at its line");
    }
}

/// A variant's problem is put at the edit after which it first appears,
/// and blamed on that edit alone: shares that do not add up read "made by
/// the variant's edits (set_price, set_shares)", at the variant's `id`;
/// an upper floor cut off blamed an unrelated lane added downstairs.
#[test]
fn a_variants_problem_is_blamed_on_the_edit_that_made_it() {
    let edits = r#"{ op = "set_price", product = "cola", price = 2.0 },
{ op = "set_shares", shares = { quick = 0.9, browser = 0.4 } },
{ op = "set_price", product = "water", price = 1.0 }"#;
    let file = shipped_with("tiny", edits);
    let err = file.build("edited").expect_err("shares of 1.3").to_string();
    let line =
        file.source.lines().collect::<Vec<_>>().iter().rposition(|l| l.contains("op = \"set_shares\"")).unwrap() + 1;
    assert!(err.contains(&format!(":{line}: variant `edited`: segment shares sum to 1.300")), "{err}");
    assert!(err.contains("(made by the variant's edit 2 (`set_shares`): change it to avoid this)"), "{err}");
    // Geometry too: every way to the upper floor removed after a price.
    let path = common::scenario_path("department");
    let product = ScenarioFile::read(&path).unwrap().raw.products[0].id.clone();
    let mut edits = format!(r#"{{ op = "set_price", product = "{product}", price = 2.0 }}"#);
    for id in ["escalator-up", "escalator-down", "stairs", "lift"] {
        edits += &format!(r#", {{ op = "remove_connector", connector = "{id}" }}"#);
    }
    let err =
        aisle::prepare(&shipped_with("department", &edits), "edited").err().expect("upstairs cut off").to_string();
    assert!(
        err.contains(
            "(made by the variant's edit 5 (`remove_connector`) with those before it: change them to avoid this)"
        ),
        "{err}"
    );
    assert!(!err.contains("set_price"), "{err}");
}

/// An edit that sets what is so already is warned of, by its place in
/// the variant: a variant meant to differ would compare as an A/A under
/// another name. Edits that change something are not.
#[test]
fn an_edit_that_changes_nothing_is_warned_of() {
    // (edits, the edits warned of)
    let cases: [(&str, &[&str]); 4] = [
        (r#"{ op = "scale_visitors", factor = 1.0 }"#, &["edit 1 (scale_visitors)"]),
        (r#"{ op = "set_price", product = "cola", price = 1.29 }"#, &["edit 1 (set_price)"]),
        (
            r#"{ op = "open_lane", lane = "L1" }, { op = "set_service", lane = "L1", base_s = 30.0 }"#,
            &["edit 1 (open_lane)"],
        ),
        (r#"{ op = "move_fixture", fixture = "P1", to = [9.0, 2.0] }"#, &[]),
    ];
    for (edits, warned) in cases {
        let warnings = shipped_with("tiny", edits).validate_all().unwrap().warnings;
        let idle: Vec<&String> = warnings.iter().filter(|w| w.contains("changes nothing")).collect();
        assert_eq!(idle.len(), warned.len(), "{edits}: {warnings:?}");
        for (w, edit) in idle.iter().zip(warned) {
            assert!(w.starts_with(&format!("variant `edited`: {edit} changes nothing")), "{edits}: {w}");
        }
    }
}

/// Edits that each change the file but leave the store as the baseline's
/// (whole cents, hours the lane had from the store, an exponential's `cv`,
/// edits undoing each other) are warned of as a variant that changes
/// nothing in effect: its days would be an A/A under another name.
#[test]
fn a_variant_that_changes_nothing_in_effect_is_warned_of() {
    // (edits, whether the variant is the baseline in effect)
    let cases = [
        (r#"{ op = "scale_visitors", factor = 2.0 }, { op = "scale_visitors", factor = 0.5 }"#, true),
        (r#"{ op = "set_price", product = "cola", price = 1.2901 }"#, true),
        (r#"{ op = "set_lane_hours", lane = "L1", hours = [17.0, 19.0] }"#, true),
        (
            r#"{ op = "set_service", lane = "L1", distribution = "exponential" }, { op = "set_service", lane = "L1", cv = 2.0 }"#,
            false,
        ),
        (r#"{ op = "close_lane", lane = "L1" }, { op = "open_lane", lane = "L1" }"#, true),
        (
            r#"{ op = "move_fixture", fixture = "P1", to = [9.0, 2.0] }, { op = "move_fixture", fixture = "P1", to = [9.0, 2.5] }"#,
            true,
        ),
        (
            r#"{ op = "move_fixture", fixture = "P1", to = [9.0, 2.0] }, { op = "move_fixture", fixture = "P1", to = [9.0, 2.25] }"#,
            false,
        ),
        (r#"{ op = "set_service", lane = "L1", base_s = 25.0 }"#, false),
    ];
    for (edits, as_base) in cases {
        let warnings = shipped_with("tiny", edits).validate_all().unwrap().warnings;
        let said = warnings.iter().any(|w| w.starts_with("variant `edited` changes nothing in effect"));
        assert_eq!(said, as_base, "{edits}: {warnings:?}");
    }
    // An exponential's spread is fixed: a cv set on one is no change.
    let exponential = r#"{ op = "set_service", lane = "L1", distribution = "exponential" }"#;
    let (base, edited) = (
        shipped_with("tiny", exponential),
        shipped_with("tiny", &format!("{exponential}, {{ op = \"set_service\", lane = \"L1\", cv = 2.0 }}")),
    );
    let model = |f: &ScenarioFile| f.build("edited").unwrap().lanes[0].service;
    assert_eq!(model(&base), model(&edited));
}

/// A price is kept in whole cents: one with more decimals is warned of
/// with what it sells at, in the base and in an edit.
#[test]
fn a_price_off_the_cent_is_warned_of() {
    let file = shipped_with("tiny", r#"{ op = "set_price", product = "cola", price = 0.004 }"#);
    let warnings = file.validate_all().unwrap().warnings;
    assert!(
        warnings.contains(
            &"variant `edited`: edit 1 (set_price) price 0.004 of `cola` is kept in whole cents, as 0.00; write the \
              price meant"
                .to_owned()
        ),
        "{warnings:?}"
    );
    let file = shipped_with("tiny", r#"{ op = "set_price", product = "cola", price = 0.5 }"#);
    assert!(!file.validate_all().unwrap().warnings.iter().any(|w| w.contains("whole cents")));
}

/// A product placed where it already stands (an `add_placement` to its
/// own shelf) is a second block of facings beside the first, warned of;
/// on another level it is a placement of its own, not warned of.
#[test]
fn a_product_placed_twice_on_one_shelf_is_warned_of() {
    // (edits, whether warned of)
    let cases = [
        (
            r#"{ op = "add_placement", product = "crisps", fixture = "G1", face = "front", level = "eye", facings = 2 }"#,
            true,
        ),
        (
            r#"{ op = "add_placement", product = "crisps", fixture = "G1", face = "front", level = "knee", facings = 2 }"#,
            false,
        ),
    ];
    for (edits, warned) in cases {
        let warnings = shipped_with("tiny", edits).validate_all().unwrap().warnings;
        let said = warnings.contains(
            &"variant `edited`: product `crisps` is placed twice on fixture `G1`, front face, eye level: two blocks of \
              facings side by side; give it one placement with their facings if one block is meant"
                .to_owned(),
        );
        assert_eq!(said, warned, "{edits}: {warnings:?}");
    }
}

/// An edit that changes the model but nothing shoppers meet is warned of
/// by validate: a segment nobody of which comes, step-free travel in a
/// store with no connector.
#[test]
fn an_edit_no_shopper_meets_is_warned_of() {
    // (edits, the warning's end, or none)
    let cases = [
        (
            r#"{ op = "set_shares", shares = { quick = 0.0, browser = 1.0 } }, { op = "set_segment", segment = "quick", impulse = 0.5 }"#,
            Some(
                "edit 2 (set_segment) changes nothing shoppers meet: segment `quick` has share 0 in this variant: nobody of it comes; give the segment a share, or remove the edit",
            ),
        ),
        (
            r#"{ op = "set_segment", segment = "quick", step_free = true }"#,
            Some(
                "edit 1 (set_segment) changes nothing shoppers meet: the store has no stairs, escalators or lifts, so `step_free` for `quick` changes no way taken; leave `step_free` out, or remove the edit",
            ),
        ),
        (r#"{ op = "set_segment", segment = "quick", impulse = 0.5 }"#, None),
    ];
    for (edits, said) in cases {
        let warnings = shipped_with("tiny", edits).validate_all().unwrap().warnings;
        let found: Vec<&String> = warnings.iter().filter(|w| w.contains("changes nothing shoppers meet")).collect();
        match said {
            Some(end) => assert_eq!(found, [&format!("variant `edited`: {end}")], "{edits}"),
            None => assert!(found.is_empty(), "{edits}: {found:?}"),
        }
    }
}

/// A run of one variant names the others that do not prepare, those
/// that fail on the store's geometry alone too (a fixture moved onto the
/// door was left out).
#[test]
fn a_run_names_every_other_variant_that_does_not_prepare() {
    let file = shipped_with("tiny", r#"{ op = "move_fixture", fixture = "P1", to = [11.0, 0.6] }"#);
    assert!(file.build("edited").is_ok(), "the model alone is valid");
    let invalid = aisle::invalid_variants(&file, BASELINE);
    assert_eq!(invalid.len(), 1, "{invalid:?}");
    assert_eq!(invalid[0].0, "edited");
    assert!(invalid[0].1.contains("entrance `door` at (11, 0.3) is not on walkable floor"), "{invalid:?}");
}

/// `aisle validate` says what each variant is: its edits by kind, counted
/// in file order, and its description.
#[test]
fn validate_lists_each_variant_with_its_edits() {
    let path = common::scenario_path("tiny");
    let edits = r#"{ op = "set_price", product = "cola", price = 2.0 }, { op = "move_fixture", fixture = "G1", to = [3.0, 3.0] }, { op = "set_price", product = "water", price = 1.0 }"#;
    let source = std::fs::read_to_string(&path).unwrap()
        + &format!(
            "\n[[variants]]\nid = \"edited\"\ndescription = \" Two prices and a gondola. \"\nedits = [{edits}]\n"
        )
        + "\n[[variants]]\nid = \"bare\"\n";
    let lines = ScenarioFile::parse(&path, source).unwrap().variant_lines();
    assert_eq!(
        lines,
        [
            "`cola-on-promo`: move_product — Cola moves to the promo table by the door.",
            "`same-as-baseline`: no edits — No edits: an A/A control.",
            "`edited`: set_price ×2, move_fixture — Two prices and a gondola.",
            "`bare`: no edits",
        ]
    );
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_aisle"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["validate", "scenarios/tiny.toml"])
        .output()
        .unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(stdout.contains("\nscenarios/tiny.toml: variant `cola-on-promo`: move_product — Cola moves"), "{stdout}");
}
