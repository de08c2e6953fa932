//! A store of several floors: who went up, how long they stayed, who bought there.

use super::{HERE, ev};
use crate::events::{Action, SimEvent};
use crate::metrics::{DayProjection, Layout, Projection};
use crate::scenario::ScenarioFile;

#[test]
fn a_store_with_floors_reports_who_went_up_and_how_long_they_stayed() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/department.toml");
    let p = crate::prepare(&ScenarioFile::read(&path).unwrap(), "baseline").unwrap();
    let layout = Layout::new(&p);
    let on = |t_s: f64, shopper: u32, (floor, at): (u8, (f32, f32)), action: Action| SimEvent {
        floor,
        ..ev(t_s, shopper, at, action)
    };
    // The escalators' ends (14 s a ride, up at x = 19, down at x = 22).
    let (up_foot, up_top) = ((0, (19.0, 15.5)), (1, (19.0, 15.5)));
    let (down_top, down_foot) = ((1, (22.0, 15.5)), (0, (22.0, 15.5)));
    let downstairs = (0, HERE);
    // Shopper 0 spends 20 s upstairs and picks there, 22 s downstairs and
    // 28 s riding (on no floor: a second of each ride's gap between its
    // events was walked); shopper 1 stays downstairs 58 s and picks there.
    let pick = Action::Pick { product: 0, qty: 1, amount_cents: 100, planned: true };
    let day = [
        on(0.0, 0, downstairs, Action::Enter { party: 0 }),
        on(0.0, 1, downstairs, Action::Enter { party: 1 }),
        // Shopper 2, shopper 0's companion, turns back at the door.
        on(0.0, 2, downstairs, Action::Enter { party: 0 }),
        on(0.0, 2, downstairs, Action::Exit),
        on(5.0, 1, downstairs, pick),
        on(10.0, 0, up_foot, Action::Move),
        on(25.0, 0, up_top, Action::Move),
        on(35.0, 0, up_top, pick),
        on(44.0, 0, down_top, Action::Move),
        on(58.0, 1, downstairs, Action::Exit),
        on(59.0, 0, down_foot, Action::Move),
        on(70.0, 0, down_foot, Action::Exit),
    ];
    let mut projection = DayProjection::new(&layout);
    projection.observe_all(&day);
    let scalars = projection.finish().scalars(&layout);
    let figure = |name: String| scalars.iter().find(|m| m.name == name).unwrap_or_else(|| panic!("{name}")).value;
    let (ground, upper) = (&layout.floor_ids[0], &layout.floor_ids[1]);
    assert_eq!(figure(format!("floor_visit_rate/{ground}")), 1.0);
    assert_eq!(figure(format!("floor_visit_rate/{upper}")), 1.0 / 3.0);
    assert_eq!(figure(format!("floor_time_share/{upper}")), 0.2);
    assert_eq!(figure(format!("floor_time_share/{ground}")), 0.8);
    // Seconds on each floor per visitor of it: 22 + 58 downstairs for three, 20 upstairs for one.
    assert_eq!(figure(format!("floor_dwell/{ground}")), 80.0 / 3.0);
    assert_eq!(figure(format!("floor_dwell/{upper}")), 20.0);
    // Conversion of each floor's parties (a companion never picks): one
    // of two picked downstairs, the one upstairs did.
    assert_eq!(figure(format!("floor_conversion/{ground}")), 0.5);
    assert_eq!(figure(format!("floor_conversion/{upper}")), 1.0);
}

#[test]
fn a_long_ride_is_no_freeze_whatever_is_logged_first_on_arriving() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/department.toml");
    let p = crate::prepare(&ScenarioFile::read(&path).unwrap(), "baseline").unwrap();
    let layout = Layout::new(&p);
    let on = |t_s: f64, (floor, at): (u8, (f32, f32)), action: Action| SimEvent { floor, ..ev(t_s, 0, at, action) };
    let (foot, top) = ((0, (19.0, 15.5)), (1, (19.0, 15.5)));
    // A ride of 240 s (a slow lift, waiting for its car included), the
    // shopper logged nowhere on the way: what it does first on arriving
    // (noticing a shelf, reaching one, joining a line, walking) ends the
    // spell where it was last seen below, not 240 s later.
    for first in
        [Action::View { product: 0 }, Action::AtShelf { product: 0 }, Action::QueueJoin { lane: 0 }, Action::Move]
    {
        let day = [
            on(0.0, foot, Action::Enter { party: 0 }),
            on(1.0, foot, Action::Move),
            on(241.0, top, first),
            on(242.0, (1, (21.0, 15.5)), Action::Move),
            on(243.0, (1, (23.0, 15.5)), Action::Move),
            on(244.0, (1, (25.0, 15.5)), Action::Exit),
        ];
        let mut projection = DayProjection::new(&layout);
        projection.observe_all(&day);
        let m = projection.finish();
        assert!(m.longest_freeze_s < 5.0, "{first:?} first: longest freeze {} s", m.longest_freeze_s);
        assert_eq!(m.stuck_s, 0.0, "{first:?} first");
    }
}
