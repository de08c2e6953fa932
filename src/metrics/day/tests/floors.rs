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
