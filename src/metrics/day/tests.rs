use super::*;
use crate::scenario::ScenarioFile;

mod cut_short;
mod floors;

fn tiny() -> crate::Prepared {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/tiny.toml");
    crate::prepare(&ScenarioFile::read(&path).unwrap(), "baseline").unwrap()
}

/// An event at `t_s` seconds of `shopper` at (x, y) on the ground floor.
fn ev(t_s: f64, shopper: u32, (x, y): (f32, f32), action: Action) -> SimEvent {
    SimEvent { seq: 0, t_ms: (t_s * 1000.0) as u64, shopper, x, y, floor: 0, zone: None, action }
}

/// `move` samples of `shopper` once a second from `from_s` to `to_s` (inclusive) at `at`.
fn standing(shopper: u32, at: (f32, f32), from_s: u32, to_s: u32) -> Vec<SimEvent> {
    (from_s..=to_s).map(|t| ev(t as f64, shopper, at, Action::Move)).collect()
}

const HERE: (f32, f32) = (1.0, 6.0);
const THERE: (f32, f32) = (5.0, 6.0);
const NEARBY: (f32, f32) = (1.3, 6.0);
const NUDGED: (f32, f32) = (1.0, 7.5);
const JOIN: Action = Action::QueueJoin { lane: 0 };
const PAY: Action = Action::Checkout { lane: 0, qty: 1, amount_cents: 100 };
const PICK: Action = Action::Pick { product: 0, qty: 1, amount_cents: 100, planned: true };

/// When tiny's day ends, hard: those still in are made to leave.
fn tiny_end_s() -> f64 {
    Layout::new(&tiny()).end_ms as f64 / 1000.0
}

fn alone(t_s: f64, at: (f32, f32)) -> SimEvent {
    ev(t_s, 0, at, Action::Enter { party: 0 })
}

#[test]
fn freezes_are_folded_from_hand_made_days() {
    // (what, events, longest freeze s, stuck shopper-s, mean path m)
    let cases: Vec<(&str, Vec<SimEvent>, f64, f64, f64)> = vec![
        (
            "stands 90 s, then walks off",
            {
                let mut d = vec![alone(0.0, HERE)];
                d.extend(standing(0, HERE, 1, 90));
                d.extend([ev(91.0, 0, THERE, Action::Move), ev(92.0, 0, THERE, Action::Exit)]);
                d
            },
            90.0,
            90.0,
            4.0,
        ),
        (
            "stands 50 s: a freeze, but not stuck",
            {
                let mut d = vec![alone(0.0, HERE)];
                d.extend(standing(0, HERE, 1, 50));
                d.extend([ev(51.0, 0, THERE, Action::Move), ev(52.0, 0, THERE, Action::Exit)]);
                d
            },
            50.0,
            0.0,
            4.0,
        ),
        (
            "waits 200 s in a checkout line",
            {
                let mut d = vec![alone(0.0, HERE), ev(1.0, 0, HERE, JOIN)];
                d.extend(standing(0, HERE, 1, 200));
                d.extend([
                    ev(200.0, 0, HERE, PAY),
                    ev(201.0, 0, THERE, Action::Move),
                    ev(202.0, 0, THERE, Action::Exit),
                ]);
                d
            },
            1.0,
            0.0,
            4.0,
        ),
        (
            "dwells 50 s at a shelf and picks (tiny's longest shelf visit is 59 s, 64 s with the approach)",
            {
                let mut d = vec![alone(0.0, HERE)];
                d.extend(standing(0, HERE, 1, 49));
                d.extend([ev(50.0, 0, HERE, PICK), ev(51.0, 0, THERE, Action::Move), ev(52.0, 0, THERE, Action::Exit)]);
                d
            },
            1.0,
            0.0,
            4.0,
        ),
        (
            "looks at a shelf on arriving, dwells 55 s, walks off without buying: a shelf visit",
            {
                let mut d = vec![alone(0.0, HERE), ev(1.0, 0, HERE, Action::View { product: 0 })];
                d.extend(standing(0, HERE, 2, 56));
                d.extend([ev(57.0, 0, THERE, Action::Move), ev(58.0, 0, THERE, Action::Exit)]);
                d
            },
            1.0,
            0.0,
            4.0,
        ),
        (
            "stands 200 s by a shelf, then picks: a freeze that ended at a shelf",
            {
                let mut d = vec![alone(0.0, HERE)];
                d.extend(standing(0, HERE, 1, 199));
                d.extend([
                    ev(200.0, 0, HERE, PICK),
                    ev(201.0, 0, THERE, Action::Move),
                    ev(202.0, 0, THERE, Action::Exit),
                ]);
                d
            },
            200.0,
            200.0,
            4.0,
        ),
        (
            "stands 70 s before joining a line",
            {
                let mut d = vec![alone(0.0, HERE)];
                d.extend(standing(0, HERE, 1, 69));
                d.extend([ev(70.0, 0, HERE, JOIN), ev(71.0, 0, HERE, PAY), ev(72.0, 0, HERE, Action::Exit)]);
                d
            },
            70.0,
            70.0,
            0.0,
        ),
        (
            "stands 3 s at a lift, rides 600 s (unlogged) and joins a line where it steps off: no freeze",
            {
                let mut d = vec![alone(0.0, HERE)];
                d.extend(standing(0, HERE, 1, 3));
                d.extend([ev(603.0, 0, THERE, JOIN), ev(604.0, 0, THERE, PAY), ev(605.0, 0, THERE, Action::Exit)]);
                d
            },
            3.0,
            0.0,
            4.0,
        ),
        (
            "boards a lift an hour long 100 s before the hard end and is made to leave there: no freeze",
            {
                let end_s = tiny_end_s();
                let mut d = vec![alone(end_s - 110.0, HERE)];
                d.extend(standing(0, HERE, end_s as u32 - 109, end_s as u32 - 100));
                d.push(ev(end_s, 0, HERE, Action::Exit));
                d
            },
            10.0,
            0.0,
            0.0,
        ),
        (
            "frozen until made to leave",
            {
                let mut d = vec![alone(0.0, HERE)];
                d.extend(standing(0, HERE, 1, 300));
                d.push(ev(300.0, 0, HERE, Action::Exit));
                d
            },
            300.0,
            300.0,
            0.0,
        ),
        (
            "shuffles on a zone boundary for 80 s: stuck, and walks nothing",
            {
                let mut d = vec![alone(0.0, HERE)];
                for t in 1..=80 {
                    d.push(ev(t as f64 - 0.5, 0, NEARBY, Action::ZoneEnter));
                    d.push(ev(t as f64, 0, HERE, Action::Move));
                }
                d.push(ev(80.0, 0, HERE, Action::Exit));
                d
            },
            80.0,
            80.0,
            0.0,
        ),
        (
            "a companion stands 150 s in line with its leader, then both leave",
            {
                let mut d =
                    vec![alone(0.0, HERE), ev(0.0, 1, NEARBY, Action::Enter { party: 0 }), ev(1.0, 0, HERE, JOIN)];
                for t in 1..=150 {
                    d.push(ev(t as f64, 0, HERE, Action::Move));
                    d.push(ev(t as f64, 1, NEARBY, Action::Move));
                }
                d.push(ev(150.0, 0, HERE, PAY));
                d.extend([ev(151.0, 0, THERE, Action::Exit), ev(151.0, 1, THERE, Action::Exit)]);
                d
            },
            1.0,
            0.0,
            (4.0 + 3.7) / 2.0,
        ),
        (
            "a companion stands 100 s by its leader picking at a shelf",
            {
                let mut d = vec![alone(0.0, HERE), ev(0.0, 1, NEARBY, Action::Enter { party: 0 })];
                for t in 1..=100 {
                    d.push(ev(t as f64, 0, HERE, Action::Move));
                    d.push(ev(t as f64, 1, NEARBY, Action::Move));
                    if t % 30 == 0 {
                        d.push(ev(t as f64, 0, HERE, PICK));
                    }
                }
                d.extend([ev(101.0, 0, THERE, Action::Exit), ev(101.0, 1, THERE, Action::Exit)]);
                d
            },
            0.0,
            0.0,
            (4.0 + 3.7) / 2.0,
        ),
        (
            "a companion stands 57 s by its leader dwelling 55 s at a shelf, which logs only its pick",
            {
                let mut d = vec![alone(0.0, HERE), ev(0.0, 1, NEARBY, Action::Enter { party: 0 })];
                for t in 1..=56 {
                    d.push(ev(t as f64, 0, HERE, if t == 55 { PICK } else { Action::Move }));
                    d.push(ev(t as f64, 1, NEARBY, Action::Move));
                }
                d.extend([ev(57.0, 0, THERE, Action::Exit), ev(57.0, 1, THERE, Action::Exit)]);
                d
            },
            0.0,
            0.0,
            (4.0 + 3.7) / 2.0,
        ),
        (
            "reaches a shelf, is nudged 1.5 m aside by passers, picks at 55 s: a shelf visit",
            {
                let mut d = vec![alone(0.0, HERE), ev(1.0, 0, HERE, Action::AtShelf { product: 0 })];
                d.extend(standing(0, HERE, 2, 30));
                d.extend(standing(0, NUDGED, 31, 54));
                d.extend([
                    ev(55.0, 0, NUDGED, PICK),
                    ev(56.0, 0, THERE, Action::Move),
                    ev(57.0, 0, THERE, Action::Exit),
                ]);
                d
            },
            1.0,
            0.0,
            1.5 + 4.272_002,
        ),
        (
            "reaches a shelf, is nudged aside, stands there until 200 s: longer than any shelf visit",
            {
                let mut d = vec![alone(0.0, HERE), ev(1.0, 0, HERE, Action::AtShelf { product: 0 })];
                d.extend(standing(0, HERE, 2, 30));
                d.extend(standing(0, NUDGED, 31, 199));
                d.extend([
                    ev(200.0, 0, NUDGED, PICK),
                    ev(201.0, 0, THERE, Action::Move),
                    ev(202.0, 0, THERE, Action::Exit),
                ]);
                d
            },
            169.0,
            169.0,
            1.5 + 4.272_002,
        ),
        (
            "a companion stands by its leader browsing a shelf while passers nudge the leader along it: a shelf visit",
            {
                let mut d = vec![alone(0.0, HERE), ev(0.0, 1, NEARBY, Action::Enter { party: 0 })];
                d.push(ev(1.0, 0, HERE, Action::AtShelf { product: 0 }));
                // Both are nudged: the companion at 21 s, the leader at 31 s.
                for t in 2..=54 {
                    d.push(ev(t as f64, 0, if t <= 30 { HERE } else { NUDGED }, Action::Move));
                    d.push(ev(t as f64, 1, if t <= 20 { NEARBY } else { (1.3, 7.2) }, Action::Move));
                }
                d.extend([
                    ev(55.0, 0, NUDGED, Action::Move),
                    ev(56.0, 0, THERE, Action::Move),
                    ev(56.0, 1, THERE, Action::Move),
                ]);
                d.extend([ev(57.0, 0, THERE, Action::Exit), ev(57.0, 1, THERE, Action::Exit)]);
                d
            },
            1.0,
            0.0,
            (1.5 + 4.272_002 + 1.2 + 3.889_730) / 2.0,
        ),
        (
            "a companion begins standing 3.5 m off its leader at a shelf and stands 54 s 2.7 m off it: a shelf visit",
            {
                let mut d = vec![alone(0.0, HERE), ev(0.0, 1, (4.5, 6.0), Action::Enter { party: 0 })];
                d.push(ev(1.0, 0, HERE, Action::AtShelf { product: 0 }));
                d.push(ev(1.0, 1, (4.5, 6.0), Action::Move));
                for t in 2..=54 {
                    d.push(ev(t as f64, 0, HERE, Action::Move));
                    d.push(ev(t as f64, 1, (3.7, 6.0), Action::Move));
                }
                d.extend([ev(55.0, 0, HERE, PICK), ev(56.0, 0, THERE, Action::Move), ev(56.0, 1, THERE, Action::Move)]);
                d.extend([ev(57.0, 0, THERE, Action::Exit), ev(57.0, 1, THERE, Action::Exit)]);
                d
            },
            1.0,
            0.0,
            (4.0 + 0.8 + 1.3) / 2.0,
        ),
        (
            "the last of a party comes away 12 s after its leader walked off a shelf visit: frozen 11 s (to its last sample there)",
            {
                let mut d = vec![alone(0.0, HERE), ev(0.0, 1, NEARBY, Action::Enter { party: 0 })];
                d.push(ev(1.0, 0, HERE, Action::AtShelf { product: 0 }));
                for t in 1..=67 {
                    // The leader browses 54 s, buys nothing and walks to and fro.
                    let to_and_fro = if t % 2 == 0 { THERE } else { (5.0, 7.5) };
                    d.push(ev(t as f64, 0, if t <= 55 { HERE } else { to_and_fro }, Action::Move));
                    d.push(ev(t as f64, 1, if t <= 66 { NEARBY } else { THERE }, Action::Move));
                }
                d.extend([ev(68.0, 0, (5.0, 7.5), Action::Exit), ev(68.0, 1, THERE, Action::Exit)]);
                d
            },
            11.0,
            0.0,
            (4.0 + 11.0 * 1.5 + 3.7) / 2.0,
        ),
        (
            "a companion stands 100 s by its frozen leader: both are stuck",
            {
                let mut d = vec![alone(0.0, HERE), ev(0.0, 1, NEARBY, Action::Enter { party: 0 })];
                for t in 1..=100 {
                    d.push(ev(t as f64, 0, HERE, Action::Move));
                    d.push(ev(t as f64, 1, NEARBY, Action::Move));
                }
                d.extend([ev(101.0, 1, THERE, Action::Move), ev(101.0, 0, THERE, Action::Move)]);
                d.extend([ev(102.0, 0, THERE, Action::Exit), ev(102.0, 1, THERE, Action::Exit)]);
                d
            },
            100.0,
            200.0,
            (4.0 + 3.7) / 2.0,
        ),
    ];
    let p = tiny();
    let layout = Layout::new(&p);
    for (what, events, longest, stuck, path) in cases {
        let mut day = DayProjection::new(&layout);
        day.observe_all(&events);
        let m = day.finish();
        assert!((m.longest_freeze_s - longest).abs() < 1e-9, "{what}: longest freeze {}", m.longest_freeze_s);
        let located = m.longest_freeze.map_or(0.0, |f| f.seconds());
        assert!((located - longest).abs() < 1e-9, "{what}: the located longest freeze lasted {located} s");
        assert!((m.stuck_s - stuck).abs() < 1e-9, "{what}: stuck {}", m.stuck_s);
        let mean_path = m.path_m_sum / m.time_in_store_s.len() as f64;
        assert!((mean_path - path).abs() < 1e-4, "{what}: path {mean_path}");
    }
}

/// The day's longest freeze is kept with who stood where and when; over
/// several days, the longest of any.
#[test]
fn the_longest_freeze_is_located() {
    let p = tiny();
    let layout = Layout::new(&p);
    // One shopper stands `(first, second)` seconds at HERE and then NUDGED
    // (more than a metre apart), walking off between.
    let day = |first: u32, second: u32| {
        let mut d = vec![alone(0.0, HERE)];
        d.extend((1..=first).map(|t| ev(t as f64, 0, HERE, Action::Move)));
        let off = first + 1;
        d.extend((off..=off + second).map(|t| ev(t as f64, 0, NUDGED, Action::Move)));
        d.extend([
            ev((off + second + 1) as f64, 0, THERE, Action::Move),
            ev((off + second + 2) as f64, 0, THERE, Action::Exit),
        ]);
        let mut fold = DayProjection::new(&layout);
        fold.observe_all(&d);
        fold.finish()
    };
    let (a, b) = (day(30, 70), day(90, 20));
    let f = a.longest_freeze.expect("a freeze");
    assert_eq!((f.shopper, f.since_ms, f.end_ms, (f.x, f.y), f.floor), (0, 31_000, 101_000, NUDGED, 0));
    let f = b.longest_freeze.expect("a freeze");
    assert_eq!((f.since_ms, f.end_ms, (f.x, f.y)), (0, 90_000, HERE), "from the door");
    let mut merged = a.clone();
    merged.merge(&b);
    assert_eq!(merged.longest_freeze, b.longest_freeze, "the longer day's");
    let mut merged = b.clone();
    merged.merge(&a);
    assert_eq!(merged.longest_freeze, b.longest_freeze, "kept when the other's is shorter");
    assert!(!f.breaks_the_limit(), "89 s is within the limit");
    let long = day(130, 5).longest_freeze.expect("a freeze");
    assert!(long.breaks_the_limit());
    assert_eq!(
        long.warning(&p.scenario, 7, std::path::Path::new("output/tiny")),
        "shopper 0 stood frozen 130 s outside a line at (1.0, 6.0) from 17:00:00, more than the 120 s the freeze \
         invariant allows: the store may gridlock there; watch it with \
         `aisle-viewer output/tiny --variant baseline --seed 7 --at 17:00:00 --select 0`"
    );
}

/// One made to leave at the hard end with goods in hand carries them out
/// unpaid, and so does one made to leave a line: it gave nothing up (no
/// abandonment, no lost sale; it would have paid).
#[test]
fn goods_carried_out_at_the_hard_end_are_counted() {
    let p = tiny();
    let layout = Layout::new(&p);
    let end_s = layout.end_ms as f64 / 1000.0;
    let pick = |t, cents| ev(t, 0, HERE, Action::Pick { product: 0, qty: 1, amount_cents: cents, planned: true });
    let put_back = ev(3.0, 0, HERE, Action::PutBack { product: 0, qty: 1, amount_cents: 100 });
    let abandon = Action::Abandon { lane: 0, qty: 1, amount_cents: 400 };
    let cases: [(&str, Vec<SimEvent>, i64, i64, u64); 5] = [
        ("shopping at the end", vec![pick(1.0, 500), put_back, ev(end_s, 0, HERE, Action::Exit)], 400, 0, 0),
        (
            "in line at the end",
            vec![
                pick(1.0, 500),
                put_back,
                ev(5.0, 0, HERE, JOIN),
                ev(end_s, 0, HERE, abandon),
                ev(end_s, 0, HERE, Action::Exit),
            ],
            400,
            0,
            0,
        ),
        (
            "gave up in line before the end",
            vec![
                pick(1.0, 500),
                put_back,
                ev(5.0, 0, HERE, JOIN),
                ev(end_s - 1.0, 0, HERE, abandon),
                ev(end_s, 0, HERE, Action::Exit),
            ],
            0,
            400,
            1,
        ),
        (
            "paid and left in time",
            vec![pick(1.0, 100), ev(5.0, 0, HERE, JOIN), ev(6.0, 0, HERE, PAY), ev(7.0, 0, HERE, Action::Exit)],
            0,
            0,
            0,
        ),
        (
            "paid, picked again, made to leave",
            vec![
                pick(1.0, 100),
                ev(5.0, 0, HERE, JOIN),
                ev(6.0, 0, HERE, PAY),
                pick(7.0, 250),
                ev(end_s, 0, HERE, Action::Exit),
            ],
            250,
            0,
            0,
        ),
    ];
    // (what, events, carried out, lost, abandons)
    for (what, events, carried, lost, abandons) in cases {
        let mut day = DayProjection::new(&layout);
        day.observe_all(&[vec![alone(0.0, HERE)], events].concat());
        let m = day.finish();
        assert_eq!((m.carried_out_cents, m.lost_cents, m.abandons), (carried, lost, abandons), "{what}");
    }
}

/// An abandon with no `queue_join` before it is a balk: the shopper
/// turned away at the line's end. The rate counts both; the summary says
/// how many balked.
#[test]
fn an_abandon_without_joining_is_a_balk() {
    let layout = Layout::new(&tiny());
    let abandon = Action::Abandon { lane: 0, qty: 1, amount_cents: 100 };
    // (what, events after entering, abandons, balks)
    let cases: [(&str, Vec<SimEvent>, u64, u64); 3] = [
        ("balked", vec![ev(1.0, 0, HERE, PICK), ev(5.0, 0, HERE, abandon)], 1, 1),
        ("gave up in line", vec![ev(1.0, 0, HERE, PICK), ev(5.0, 0, HERE, JOIN), ev(9.0, 0, HERE, abandon)], 1, 0),
        ("paid", vec![ev(1.0, 0, HERE, PICK), ev(5.0, 0, HERE, JOIN), ev(9.0, 0, HERE, PAY)], 0, 0),
    ];
    for (what, events, abandons, balks) in cases {
        let mut day = DayProjection::new(&layout);
        day.observe_all(&[vec![alone(0.0, HERE)], events, vec![ev(10.0, 0, HERE, Action::Exit)]].concat());
        let m = day.finish();
        assert_eq!((m.abandons, m.balks), (abandons, balks), "{what}");
    }
}

#[test]
fn the_wait_in_line_and_the_service_are_told_apart() {
    let p = tiny();
    let layout = Layout::new(&p);
    let serve = Action::Serve { lane: 0 };
    let abandon = Action::Abandon { lane: 0, qty: 1, amount_cents: 100 };
    let party = |shopper| ev(0.0, shopper, HERE, Action::Enter { party: shopper });
    // Shopper 0 waits 60 s, is served 30 s and pays; shopper 1 gives up
    // after 40 s in line.
    let day = [
        party(0),
        party(1),
        ev(10.0, 0, HERE, JOIN),
        ev(10.0, 1, NEARBY, JOIN),
        ev(50.0, 1, NEARBY, abandon),
        ev(70.0, 0, HERE, serve),
        ev(100.0, 0, HERE, PAY),
        ev(101.0, 0, HERE, Action::Exit),
        ev(101.0, 1, NEARBY, Action::Exit),
    ];
    let figures = |events: &[SimEvent]| {
        let mut projection = DayProjection::new(&layout);
        projection.observe_all(events);
        let scalars = projection.finish().scalars(&layout);
        move |name: &str| scalars.iter().find(|m| m.name == name).unwrap().value
    };
    let f = figures(&day);
    assert_eq!((f("queue_wait_mean"), f("line_wait_mean"), f("service_time_mean")), (65.0, 50.0, 30.0));
    // A log from before `serve` cannot tell them apart.
    let old: Vec<SimEvent> = day.iter().copied().filter(|e| e.action != serve).collect();
    let f = figures(&old);
    assert_eq!(f("queue_wait_mean"), 65.0);
    assert!(f("line_wait_mean").is_nan() && f("line_wait_p90").is_nan() && f("service_time_mean").is_nan());
    // Shopper 2, served for 60 s, is made to leave at the hard end without
    // paying: its service counts once, in the mean over those served (the
    // service was summed over both and divided by the one payment: 90 s).
    let forced = [
        day.to_vec(),
        vec![party(2), ev(10.0, 2, NEARBY, JOIN), ev(20.0, 2, NEARBY, serve), ev(80.0, 2, NEARBY, abandon)],
    ]
    .concat();
    assert_eq!(figures(&forced)("service_time_mean"), 45.0);
}

/// Density is measured per zone: without zones it is undefined, not 0 (which
/// would rate the layout the least crowded in a comparison).
#[test]
fn a_store_without_zones_has_no_peak_density() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/tiny.toml");
    let zoned = std::fs::read_to_string(&path).unwrap();
    let zoneless: Vec<&str> = zoned.split("\n\n").filter(|block| !block.contains("[[zones]]")).collect();
    let zoneless = zoneless.join("\n\n");
    assert!(!zoneless.contains("[[zones]]"));
    let day = [alone(0.0, HERE), ev(1.0, 0, HERE, Action::Move), ev(2.0, 0, THERE, Action::Exit)];
    for (text, defined) in [(zoned, true), (zoneless, false)] {
        let p = crate::prepare(&ScenarioFile::parse(&path, text).unwrap(), "baseline").unwrap();
        let layout = Layout::new(&p);
        let mut projection = DayProjection::new(&layout);
        projection.observe_all(&day);
        let scalars = projection.finish().scalars(&layout);
        let density = scalars.iter().find(|m| m.name == "peak_density").unwrap().value;
        assert_eq!(density.is_finite(), defined, "zones: {defined}, peak density {density}");
    }
}

/// A counter's utilisation is time at work over time staffed: a service
/// begun before its hours end and finished after (overtime) counts in
/// both, so the ratio never passes 1. It read 133% for a deli open a
/// quarter of an hour with a 20-minute service.
#[test]
fn a_counter_working_past_its_hours_is_busy_at_most_all_the_time() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/pharmacy.toml");
    let p = crate::prepare(&ScenarioFile::read(&path).unwrap(), "baseline").unwrap();
    let mut layout = Layout::new(&p);
    // One server-minute open, closing a minute after opening.
    (layout.counter_capacity_s[0], layout.counter_close_ms[0]) = (60.0, 60_000);
    // (served from s, done at s, utilisation)
    let cases = [
        (0.0, 30.0, 0.5),
        (40.0, 60.0, 20.0 / 60.0),
        (40.0, 240.0, 200.0 / (60.0 + 180.0)),
        (90.0, 150.0, 60.0 / 120.0),
    ];
    for (from_s, to_s, expected) in cases {
        let counter = 0;
        let day = [
            alone(0.0, HERE),
            ev(0.0, 0, HERE, Action::CounterJoin { counter }),
            ev(from_s, 0, HERE, Action::CounterServe { counter }),
            ev(to_s, 0, HERE, Action::CounterDone { counter, qty: 1, amount_cents: 100 }),
            ev(to_s + 1.0, 0, THERE, Action::Exit),
        ];
        let mut projection = DayProjection::new(&layout);
        projection.observe_all(&day);
        let scalars = projection.finish().scalars(&layout);
        let name = format!("counter_utilisation/{}", layout.counters[0]);
        let busy = scalars.iter().find(|m| m.name == name).unwrap().value;
        assert!((busy - expected).abs() < 1e-12, "served {from_s}–{to_s} s: {busy}, expected {expected}");
        assert!(busy <= 1.0);
    }
}

/// One made to leave a counter's line at the day's hard end did not give
/// up: with a 20-minute service and endless patience, a deli's day read
/// "86.2% gave up", every one of them at the hard end. Such a leave is cut
/// off (it still came to the counter); one before the end gave up.
#[test]
fn leaving_a_counter_at_the_hard_end_is_no_giving_up() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/pharmacy.toml");
    let p = crate::prepare(&ScenarioFile::read(&path).unwrap(), "baseline").unwrap();
    let layout = Layout::new(&p);
    let end_s = layout.end_ms as f64 / 1000.0;
    // (leaves at s, gave up, cut off, gave-up rate)
    for (leave_s, gave_up, cut_off, rate) in [(end_s - 1.0, 1, 0, 1.0), (end_s, 0, 1, 0.0)] {
        let counter = 0;
        let day = [
            alone(0.0, HERE),
            ev(1.0, 0, HERE, Action::CounterJoin { counter }),
            ev(leave_s, 0, HERE, Action::CounterLeave { counter, qty: 1, amount_cents: 500 }),
            ev(leave_s, 0, HERE, Action::Exit),
        ];
        let mut projection = DayProjection::new(&layout);
        projection.observe_all(&day);
        let m = projection.finish();
        let c = &m.counters[0];
        assert_eq!((c.gave_up, c.cut_off, c.lost_cents), (gave_up, cut_off, 500), "leaving at {leave_s} s");
        let name = format!("counter_gave_up/{}", layout.counters[0]);
        assert_eq!(m.scalars(&layout).iter().find(|x| x.name == name).unwrap().value, rate);
    }
}

/// The most shoppers in the store at once counts from `enter` and `exit`:
/// those who come and go between two trace instants, or ride a lift over
/// one, are in the store all the same.
#[test]
fn peak_occupancy_counts_everyone_between_trace_instants() {
    let cases: [(&str, Vec<SimEvent>, u64); 3] = [
        (
            "three overlap, none logged a position",
            vec![
                alone(1.0, HERE),
                ev(2.0, 1, HERE, Action::Enter { party: 1 }),
                ev(3.0, 2, HERE, Action::Enter { party: 2 }),
            ]
            .into_iter()
            .chain((0..3).map(|s| ev(4.0 + s as f64, s, THERE, Action::Exit)))
            .collect(),
            3,
        ),
        (
            "one after the other",
            vec![alone(1.0, HERE), ev(2.0, 0, THERE, Action::Exit), ev(3.0, 1, HERE, Action::Enter { party: 1 })]
                .into_iter()
                .chain([ev(4.0, 1, THERE, Action::Exit)])
                .collect(),
            1,
        ),
        (
            "two in, one logged at every trace instant",
            vec![alone(0.0, HERE), ev(0.5, 1, HERE, Action::Enter { party: 1 })]
                .into_iter()
                .chain(standing(0, HERE, 1, 5))
                .chain([ev(6.0, 0, THERE, Action::Exit), ev(7.0, 1, THERE, Action::Exit)])
                .collect(),
            2,
        ),
    ];
    let p = tiny();
    let layout = Layout::new(&p);
    for (what, events, peak) in cases {
        let mut day = DayProjection::new(&layout);
        day.observe_all(&events);
        assert_eq!(day.finish().peak_in_store, peak, "{what}");
    }
}
