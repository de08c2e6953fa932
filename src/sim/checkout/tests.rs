use std::path::Path;

use super::*;
use crate::scenario::ScenarioFile;
use crate::sim::arrivals::test_shopper;
use crate::sim::rng::Streams;

/// Three lanes along the front of an empty floor, a minute of work per
/// shopper: `near` (lane 0, x = 4), a self-service bank of two
/// terminals fed by one line (lane 1, x = 10) and `late` (lane 2,
/// x = 16), staffed only in the last hour. Each line's end is at y ≈ 3.
const LANES: &str = r#"
[scenario]
name = "lanes"
description = "Three lanes for choosing between."
[store]
footprint = [20.0, 12.0]
cell = 0.25
[[store.floors]]
id = "ground"
[[fixtures]]
id = "S1"
kind = "gondola"
at = [10.0, 10.5]
size = [4.0, 1.0]
height = 1.8
levels = ["eye"]
faces = ["front"]
[[entrances]]
id = "in"
at = [19.0, 0.3]
[[exits]]
id = "out"
at = [1.0, 0.3]
[[checkouts]]
id = "near"
kind = "staffed"
at = [4.0, 1.0]
queue = "north"
queue_places = 4
service = { base_s = 60.0, per_item_s = 0.0 }
[[checkouts]]
id = "bank"
kind = "self_service"
at = [10.0, 1.5]
queue = "north"
queue_places = 4
terminals = [[9.2, 1.0], [10.8, 1.0]]
service = { base_s = 60.0, per_item_s = 0.0 }
[[checkouts]]
id = "late"
kind = "staffed"
at = [16.0, 1.0]
queue = "north"
queue_places = 4
hours = [11.0, 12.0]
service = { base_s = 60.0, per_item_s = 0.0 }
[[categories]]
id = "goods"
list_weight = 1.0
[[products]]
id = "item"
category = "goods"
price = 2.5
margin = 0.3
appeal = 0.0
[[planogram]]
product = "item"
fixture = "S1"
face = "front"
level = "eye"
facings = 4
[population]
daily_visitors = 10
hours = [8.0, 12.0]
hourly_profile = [1.0, 1.0, 1.0, 1.0]
[[population.segments]]
id = "everyone"
share = 1.0
list_mean = 1.0
speed_mean = 1.0
speed_sd = 0.0
impulse = 0.0
patience_s = 150.0
put_back = 0.0
dwell_median_s = 2.0
[run]
tick_s = 0.1
trace_interval_s = 1.0
drain_h = 1.0
"#;

fn three_lanes() -> Setting {
    let file = ScenarioFile::parse(Path::new("lanes.toml"), LANES.to_owned()).expect("parses");
    let p = crate::prepare(&file, "baseline").unwrap_or_else(|e| panic!("{e}"));
    let tables = std::sync::Arc::new(crate::sim::Tables::new(&p.scenario, &p.store));
    Setting::new(p.scenario, p.store, Streams::new(1), tables)
}

/// Lanes with `queued` shoppers waiting in each line and `coming` on
/// their way to each, a minute of work apiece.
fn lanes(setting: &Setting, queued: [usize; 3], coming: [usize; 3]) -> Lanes {
    let mut world = World::new();
    let mut lanes = Lanes(setting.scenario.lanes.iter().map(|l| LaneState::new(l.terminals.len())).collect());
    for (state, (q, c)) in lanes.0.iter_mut().zip(queued.into_iter().zip(coming)) {
        (0..q).for_each(|_| state.join(world.spawn_empty().id(), 1, 1, u64::MAX));
        (0..c).for_each(|_| state.head_here(60.0, 1));
    }
    lanes
}

#[test]
fn the_open_lane_with_the_least_expected_time_is_chosen() {
    let setting = three_lanes();
    let mut nav = FlowFieldCache::new(setting.scenario.run.memory_limit_bytes);
    // From (4, 8) at 1 m/s the ends of the lines are about 5 s (near),
    // 8 s (bank) and 14 s (late) away.
    let from = setting.store.cell_at(0, Point::new(4.0, 8.0)).unwrap();
    let hour = 3_600_000;
    // (hours since opening, queued per lane, on their way per lane, lane chosen, why)
    type Case = (u64, [usize; 3], [usize; 3], usize, &'static str);
    let cases: [Case; 8] = [
        (0, [0, 0, 0], [0, 0, 0], 0, "all empty: the nearest"),
        (0, [1, 0, 0], [0, 0, 0], 1, "a minute's wait outweighs three seconds' walk"),
        (0, [1, 1, 0], [0, 0, 0], 1, "two terminals halve the bank's minute"),
        (0, [0, 0, 0], [1, 0, 0], 1, "one on its way to the near lane counts"),
        (0, [1, 4, 0], [0, 0, 0], 0, "four for two terminals is two minutes"),
        (0, [2, 4, 0], [0, 0, 0], 0, "the empty late lane is closed"),
        (3, [2, 4, 0], [0, 0, 0], 2, "the late lane is open in the last hour"),
        (3, [0, 0, 1], [0, 0, 0], 0, "open, but a minute behind"),
    ];
    for (hours, queued, coming, expected, why) in cases {
        let lanes = lanes(&setting, queued, coming);
        let chosen = choose_lane(&setting, &mut nav, &lanes, (from, 1), 1.0, Ways::All, hours * hour + hour / 2);
        assert_eq!(chosen, expected, "{why}: queued {queued:?}, coming {coming:?}");
    }
}

/// Past its laid-out places a line goes on over walkable floor, a place
/// at a time in sight of the last, bending where blocked.
#[test]
fn a_line_goes_on_past_its_laid_out_places_over_walkable_floor_and_bends_where_blocked() {
    let dead_ends = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/dead_ends.toml");
    let mut layouts = crate::shipped_layouts();
    layouts.push(("dead ends", crate::prepare(&ScenarioFile::read(&dead_ends).unwrap(), "baseline").unwrap()));
    let (mut extended, mut bends) = (0, 0);
    for (name, p) in &layouts {
        let desks: Vec<&Lane> = p.scenario.desks().collect();
        for (desk, line) in desks.iter().zip(lines(&p.store, &desks)) {
            let laid = desk.queue_places as usize;
            assert!(line.len() <= MAX_LINE_PLACES && line.len() >= laid, "{name} {}", desk.id);
            for (k, &at) in line.iter().enumerate() {
                let what = format!("{name} {} place {k} at {at:?}", desk.id);
                if k < laid {
                    assert_eq!(at, desk.place(k), "{what}: the laid-out places come first");
                    continue;
                }
                assert!(body_fits(&p.store, desk.floor, at), "{what}: a body's room on walkable floor");
                let own = desk.terminals.iter().all(|t| t.distance(at) >= MIN_TERMINAL_GAP_M);
                assert!(own, "{what}: a body's room from its own terminals");
                assert!((at.distance(line[k - 1]) - QUEUE_SPACING_M).abs() < 1e-9, "{what}: a place from the last");
                assert!(p.store.first_blocked(desk.floor, line[k - 1], at).is_none(), "{what}: in sight of the last");
                let crowded = line[..k].iter().any(|q| q.distance(at) <= 0.9 * QUEUE_SPACING_M);
                assert!(!crowded, "{what}: on a place of its own");
                if k >= 2 {
                    let turn = (at.x - line[k - 1].x) * (line[k - 1].y - line[k - 2].y)
                        - (at.y - line[k - 1].y) * (line[k - 1].x - line[k - 2].x);
                    bends += (turn.abs() > 1e-9) as usize;
                }
            }
            extended += (line.len() > laid) as usize;
        }
    }
    assert!(extended >= 10 && bends >= 3, "{extended} lines go on past their places, {bends} bends");
}

#[test]
fn one_reaching_a_line_joins_it_walks_on_to_a_much_shorter_one_or_balks() {
    let setting = three_lanes();
    let mut nav = FlowFieldCache::new(setting.scenario.run.memory_limit_bytes);
    let mut world = World::new();
    #[derive(Debug, PartialEq)]
    enum Ends {
        Joins,
        Balks,
        WalksTo(u16),
    }
    // (queued per lane, switching from another line since, switched
    // lines before, what it does, events). Patience is 150 s: two
    // minutes ahead are borne, three are not. Lane 1, two terminals,
    // is a much shorter line with 2 fewer per terminal; `late` is
    // closed. One that switched lines once stays in the one it chose.
    type Case = ([usize; 3], Option<u64>, bool, Ends, &'static [&'static str]);
    let cases: [Case; 8] = [
        ([0, 0, 0], None, false, Ends::Joins, &["queue_join"]),
        ([2, 4, 0], None, false, Ends::Joins, &["queue_join"]),
        ([3, 6, 0], None, false, Ends::Balks, &["abandon"]),
        ([3, 6, 0], Some(5_000), false, Ends::Joins, &[]),
        ([2, 0, 0], None, false, Ends::WalksTo(1), &[]),
        ([3, 0, 0], None, false, Ends::WalksTo(1), &[]),
        ([2, 0, 0], None, true, Ends::Joins, &["queue_join"]),
        ([3, 0, 0], Some(5_000), true, Ends::Joins, &[]),
    ];
    for (queued, switching, switched, ends, events) in cases {
        let ahead = queued[0];
        let mut lanes = lanes(&setting, queued, [0, 0, 0]);
        let mut s = test_shopper(&setting, 7, Point::new(4.0, 3.5));
        s.switched_line = switched;
        s.basket.push((0, 250));
        head_for_lane(&setting, &mut nav, &mut lanes, &mut s, 0, switching);
        assert_eq!((lanes.0[0].heading, lanes.0[0].heading_s), (1, 60.0), "counted as coming");
        let entity = world.spawn_empty().id();
        let mut out = Outbox::default();
        reach_lane(&setting, &mut nav, &mut lanes, &mut out, 9_000, entity, &mut s);
        let case = format!("{queued:?} queued, switching {switching:?}, switched before: {switched}");
        assert_eq!((lanes.0[0].heading, lanes.0[0].heading_s), (0, 0.0), "{case}: no longer coming");
        let logged: Vec<&str> = out.tick.iter().map(|e| e.action.kind()).collect();
        assert_eq!(logged, events, "{case}");
        match ends {
            Ends::Joins => {
                let last = lanes.0[0].queue.back().map(|w| (w.shopper, w.items, w.places, w.patience_until_ms));
                let patience_until_ms = switching.unwrap_or(9_000) + s.patience_ms;
                assert_eq!(last, Some((entity, 1, 1, patience_until_ms)), "{case}: last in line");
                let since_ms = switching.unwrap_or(9_000);
                assert_eq!(s.activity, Activity::Queued { lane: 0, since_ms }, "{case}");
            }
            Ends::Balks => {
                assert_eq!(lanes.0[0].queue.len(), ahead, "{case}: the line is not joined");
                assert_eq!(out.tick[0].action, Action::Abandon { lane: 0, qty: 1, amount_cents: 250 }, "{case}");
                assert!(s.basket.is_empty() && s.activity == Activity::ToExit, "{case}: basket left, leaving");
            }
            Ends::WalksTo(lane) => {
                assert_eq!(lanes.0[0].queue.len(), ahead, "{case}: the line is not joined");
                assert!(matches!(s.activity, Activity::ToLane { lane: l, joined_ms: None, .. } if l == lane), "{case}");
                assert_eq!(lanes.0[lane as usize].heading, 1, "{case}: counted as coming there");
                assert_eq!(s.basket.len(), 1, "{case}: the basket kept");
                assert!(s.switched_line, "{case}: it stays in the line it moves to");
            }
        }
    }
}
