//! The playback index a viewer reads: positions are the log's at its
//! events, the figures at the end of the day are the report's, a live
//! stream indexes exactly as its log read back, and scrubbing back and forth
//! equals folding afresh.

mod common;

use aisle::events::dataset::{Dataset, OnScenarioChange, events_path};
use aisle::events::{Action, SimEvent};
use aisle::metrics::{DayProjection, Layout, Projection};
use aisle::playback::{Activity, Cursor, Playback, ShopperAt};
use aisle::sim::Simulation;

const SEED: u64 = 3;

fn live_day() -> (aisle::Prepared, Vec<SimEvent>) {
    let p = common::prepare("tiny", "baseline");
    let events = common::simulate(&p, SEED);
    (p, events)
}

#[test]
fn positions_are_the_logs_at_every_event() {
    let (_, events) = live_day();
    let playback = Playback::new(events.clone());
    let mut checked = 0;
    for (i, e) in events.iter().enumerate() {
        // The last event of this shopper at this instant sets its position.
        let later_same_instant =
            events[i + 1..].iter().take_while(|x| x.t_ms == e.t_ms).any(|x| x.shopper == e.shopper);
        if later_same_instant || matches!(e.action, Action::Exit) {
            continue;
        }
        let at = playback
            .shopper_at(e.shopper, e.t_ms)
            .unwrap_or_else(|| panic!("shopper {} absent at {}", e.shopper, e.t_ms));
        assert_eq!((at.x, at.y, at.floor), (e.x, e.y, e.floor), "shopper {} at {} ms", e.shopper, e.t_ms);
        checked += 1;
    }
    assert!(checked > 1000, "only {checked} positions checked");
    // Nobody is in the store before its enter or at its exit.
    for e in &events {
        match e.action {
            Action::Enter { .. } if e.t_ms > 0 => assert!(playback.shopper_at(e.shopper, e.t_ms - 1).is_none()),
            Action::Exit => assert!(playback.shopper_at(e.shopper, e.t_ms).is_none()),
            _ => {}
        }
    }
    assert!(playback.shoppers_at(playback.end_ms()).is_empty(), "everyone has left at the end");
}

#[test]
fn lines_hold_those_who_joined_and_are_not_yet_served_in_joining_order() {
    let (p, events) = live_day();
    let playback = Playback::new(events.clone());
    let lanes = p.scenario.lanes.len();
    let mut longest = 0;
    for t in (0..playback.end_ms()).step_by(5_000) {
        let queues = playback.queues_at(t, lanes);
        let queuing = playback
            .shoppers_at(t)
            .iter()
            .filter(|s| s.party == s.shopper && matches!(s.activity, Activity::Queuing { .. }))
            .count();
        assert_eq!(queues.iter().map(Vec::len).sum::<usize>(), queuing);
        for (lane, line) in queues.iter().enumerate() {
            longest = longest.max(line.len());
            let joined: Vec<u64> = line
                .iter()
                .map(|s| {
                    let e = playback
                        .events_of(*s)
                        .find(|e| matches!(e.action, Action::QueueJoin { lane: l } if l as usize == lane))
                        .expect("a shopper in line joined it");
                    assert!(e.t_ms <= t);
                    assert!(
                        !playback.events_of(*s).any(|e| e.t_ms <= t
                            && matches!(
                                e.action,
                                Action::Serve { .. } | Action::Checkout { .. } | Action::Abandon { .. }
                            )),
                        "shopper {s} was served or gave up before {t} ms but is still in line"
                    );
                    e.t_ms
                })
                .collect();
            assert!(joined.windows(2).all(|w| w[0] <= w[1]), "line {lane} at {t} ms out of joining order");
        }
    }
    assert!(longest >= 2, "the tiny store's line never held two shoppers");
}

#[test]
fn shoppers_are_at_a_shelf_or_served_as_their_events_say() {
    let (p, events) = live_day();
    let playback = Playback::new(events.clone());
    let terminals: usize = p.scenario.lanes.iter().map(|l| l.terminals.len().max(1)).sum();
    let (mut at_shelf, mut served) = (0, 0);
    for (i, e) in events.iter().enumerate() {
        // Another event of this shopper at this instant that changes what it does.
        let changed_later = events[i + 1..].iter().take_while(|x| x.t_ms == e.t_ms).any(|x| {
            x.shopper == e.shopper
                && !matches!(x.action, Action::View { .. } | Action::Move | Action::ZoneEnter | Action::ZoneExit)
        });
        if changed_later {
            continue;
        }
        let at = playback.shopper_at(e.shopper, e.t_ms).map(|a| a.activity);
        match e.action {
            Action::AtShelf { product } => {
                assert_eq!(at, Some(Activity::AtShelf { product }), "shopper {} at {} ms", e.shopper, e.t_ms);
                at_shelf += 1;
            }
            Action::Serve { lane } => {
                assert_eq!(at, Some(Activity::Served { lane }), "shopper {} at {} ms", e.shopper, e.t_ms);
                served += 1;
            }
            Action::Pick { .. } | Action::NotFound { .. } => {
                assert_eq!(at, Some(Activity::Shopping), "shopper {} at {} ms", e.shopper, e.t_ms)
            }
            Action::Checkout { .. } => assert_eq!(at, Some(Activity::Leaving), "shopper {}", e.shopper),
            Action::Abandon { lane, .. } => {
                assert_eq!(at, Some(Activity::Abandoned { lane }), "shopper {}", e.shopper)
            }
            _ => {}
        }
    }
    assert!(at_shelf > 100 && served > 10, "{at_shelf} shelf visits and {served} services seen");
    // Never more served at once than there are tills and terminals.
    for t in (0..playback.end_ms()).step_by(5_000) {
        let now = playback
            .shoppers_at(t)
            .iter()
            .filter(|s| s.party == s.shopper && matches!(s.activity, Activity::Served { .. }))
            .count();
        assert!(now <= terminals, "{now} served at {t} ms by {terminals} tills and terminals");
    }
}

#[test]
fn the_end_of_the_day_gives_the_reports_figures_and_scrubbing_equals_folding_afresh() {
    let (p, events) = live_day();
    let layout = Layout::new(&p);
    let playback = Playback::new(events.clone());
    let mut day = DayProjection::new(&layout);
    day.observe_all(&events);
    let report = day.finish();
    let end = playback.metrics_until(&layout, playback.end_ms());
    assert_eq!(end.heat_ms, report.heat_ms);
    assert_eq!(end.visitors, report.visitors);
    assert_eq!(end.revenue_cents, report.revenue_cents);
    let mut cursor = Cursor::new(&playback, &layout);
    let end_ms = playback.end_ms();
    let instants = [end_ms / 4, end_ms / 2, end_ms / 8, end_ms / 8, end_ms, 0, end_ms * 3 / 4, end_ms / 3];
    for t in instants {
        let scrubbed = cursor.seek(t);
        let fresh = playback.metrics_until(&layout, t);
        assert_eq!(scrubbed.heat_ms, fresh.heat_ms, "heat at {t} ms");
        assert_eq!((scrubbed.visitors, scrubbed.transactions), (fresh.visitors, fresh.transactions), "at {t} ms");
    }
    assert!(cursor.seek(end_ms / 2).heat_ms.iter().sum::<u64>() < report.heat_ms.iter().sum::<u64>());
}

#[test]
fn a_live_stream_indexes_exactly_as_its_log_read_back() {
    let p = common::prepare("tiny", "baseline");
    let mut live = Playback::default();
    let mut sim = Simulation::new(p.scenario.clone(), p.store.clone(), SEED);
    sim.run_to_end(|chunk| live.extend(chunk.drain(..)), |_| {});
    let dir = tempfile::tempdir().unwrap();
    let file = aisle::scenario::ScenarioFile::read(&common::scenario_path("tiny")).unwrap();
    let mut ds = Dataset::open_for(dir.path(), &file, OnScenarioChange::Refuse).unwrap();
    aisle::run::run_into(&mut ds, &p, SEED, |_| {}).unwrap();
    let (_, logged) = Playback::read(&dir.path().join(events_path("baseline", SEED))).unwrap();
    assert_eq!(live.shopper_count(), logged.shopper_count());
    assert!(live == logged, "the live index differs from the log's");
}

#[test]
fn companions_stand_in_line_and_leave_with_their_leader_and_who_gives_up_leaves_unpaid() {
    // The tiny store's shoppers in parties of about three.
    let path = common::scenario_path("tiny");
    let source = std::fs::read_to_string(&path).unwrap()
        + "\n[[variants]]\nid = \"families\"\ndescription = \"parties\"\nedits = [\n\
           { op = \"set_segment\", segment = \"quick\", group_mean = 3.0, patience_s = 5.0 },\n\
           { op = \"set_segment\", segment = \"browser\", group_mean = 3.0, patience_s = 5.0 },\n]\n";
    let file = aisle::scenario::ScenarioFile::parse(&path, source).unwrap();
    let p = aisle::prepare(&file, "families").unwrap();
    let events = common::simulate(&p, SEED);
    let playback = Playback::new(events.clone());
    // With five seconds of patience some give up: they leave unpaid.
    let abandons: Vec<_> = events.iter().filter(|e| matches!(e.action, Action::Abandon { .. })).collect();
    assert!(!abandons.is_empty(), "nobody gave up");
    for e in abandons {
        let Action::Abandon { lane, .. } = e.action else { unreachable!() };
        let at = playback.shopper_at(e.shopper, e.t_ms).map(|a| a.activity);
        assert_eq!(at, Some(Activity::Abandoned { lane }), "shopper {} at {} ms", e.shopper, e.t_ms);
    }
    let mut checked = 0;
    for t in (0..playback.end_ms()).step_by(2_000) {
        let now = playback.shoppers_at(t);
        for c in now.iter().filter(|s| s.party != s.shopper) {
            let Some(leader) = now.iter().find(|s| s.shopper == c.party) else { continue };
            if matches!(
                leader.activity,
                Activity::Queuing { .. } | Activity::Served { .. } | Activity::Leaving | Activity::Abandoned { .. }
            ) {
                assert_eq!(c.activity, leader.activity, "companion {} at {t} ms", c.shopper);
                checked += 1;
            }
        }
        // A line holds parties: its members are leaders.
        for line in playback.queues_at(t, p.scenario.lanes.len()) {
            assert!(line.iter().all(|s| now.iter().any(|x| x.shopper == *s && x.party == *s)));
        }
    }
    assert!(checked > 20, "only {checked} companions seen with a leader in line or leaving");
}

#[test]
fn a_running_simulation_shows_its_shoppers_as_playback_shows_them_from_its_events() {
    // (scenario, shoppers compared at least, not just shopping at least,
    // at a service counter at least)
    let cases = [("tiny", 2_000, 300, 0), ("pharmacy", 10_000, 2_000, 1_000)];
    for (name, compared_min, busy_min, counter_min) in cases {
        let (compared, busy, at_counter) = live_against_replayed(name);
        assert!(
            compared > compared_min && busy > busy_min && at_counter >= counter_min,
            "{name}: {compared} shoppers compared, {busy} not just shopping, {at_counter} at a counter"
        );
    }
}

/// Runs a day of `name` step by step, comparing at every trace tick the
/// shoppers the simulation shows with those playback shows from the
/// events; returns how many were compared, how many were not just
/// shopping and how many were in a counter's line or served there.
fn live_against_replayed(name: &str) -> (usize, usize, usize) {
    let p = common::prepare(name, "baseline");
    let trace_ms = p.scenario.run.trace_interval_ms;
    let mut sim = Simulation::new(p.scenario.clone(), p.store.clone(), SEED);
    let (mut events, mut shown) = (Vec::new(), Vec::new());
    loop {
        // The tick about to run; a trace tick logs where everyone stands at its end.
        let t = sim.progress().t_ms;
        if !sim.step() {
            break;
        }
        sim.drain_events(&mut events);
        if t.is_multiple_of(trace_ms) && sim.progress().in_store > 0 {
            shown.push((t, sim.shoppers()));
        }
    }
    sim.drain_events(&mut events);
    let playback = Playback::new(events);
    let (mut compared, mut busy, mut at_counter) = (0, 0, 0);
    for (t, live) in &shown {
        let replayed = playback.shoppers_at(*t);
        assert_eq!(live.len(), replayed.len(), "{name}: at {t} ms");
        for (a, b) in live.iter().zip(&replayed) {
            // A product looked at and passed over logs nothing, so replay
            // shows the shopper at that shelf until it walks off; the
            // simulation knows it is done there.
            let passed_over = a.activity == Activity::Shopping && matches!(b.activity, Activity::AtShelf { .. });
            assert!(
                a == b || (passed_over && ShopperAt { activity: a.activity, ..*b } == *a),
                "{name}: at {t} ms: {a:?} {b:?}"
            );
        }
        compared += live.len();
        busy += live.iter().filter(|s| s.activity != Activity::Shopping).count();
        at_counter += live
            .iter()
            .filter(|s| matches!(s.activity, Activity::CounterLine { .. } | Activity::CounterServed { .. }))
            .count();
    }
    (compared, busy, at_counter)
}

#[test]
fn the_visitors_drawn_up_front_are_those_the_day_logs() {
    // Shopper indices of the plan and of the log agree (every shopper's
    // party is the one its `enter` logs), so the plan's segments are the
    // shoppers' segments.
    let p = common::prepare("grocery", "baseline");
    let visitors = aisle::sim::visitors(&p.scenario, SEED);
    let events = common::simulate(&p, SEED);
    let mut entered = 0;
    for e in &events {
        if let Action::Enter { party } = e.action {
            let v = visitors[e.shopper as usize];
            assert_eq!(v.party, party, "shopper {}", e.shopper);
            assert_eq!(v.segment, visitors[party as usize].segment, "a party shares its leader's segment");
            entered += 1;
        }
    }
    assert_eq!(visitors.len(), entered);
    let segments = &p.scenario.population.segments;
    let parties: Vec<_> = visitors.iter().enumerate().filter(|(i, v)| v.party as usize == *i).collect();
    for (k, seg) in segments.iter().enumerate() {
        let share = parties.iter().filter(|(_, v)| v.segment == k).count() as f64 / parties.len() as f64;
        let se = (seg.share * (1.0 - seg.share) / parties.len() as f64).sqrt();
        assert!((share - seg.share).abs() < 4.0 * se + 1e-9, "segment {k}: {share} of parties, share {}", seg.share);
    }
}
