//! No gridlock on layouts nobody hand-tuned: a seeded generator writes small
//! random stores as scenario files (gondola rows with aisles 0.9–3 m wide,
//! endcaps, a promo table, 1–6 staffed lanes with or without a
//! self-service bank, queues north or east, a second floor joined by stairs,
//! a lift or escalators, traffic ×1 to ×4, parties, a service counter with
//! one or two servers against the back wall, a bench shoppers sit at,
//! lanes after the first and the counter closing early in some), and
//! a short day in each
//! must leave no shopper frozen outside a line longer than `FREEZE_LIMIT_S`,
//! everyone walking out before the day's hard end (every enter has an
//! exit), nobody joining a desk after its hours, and no zone flapping.

mod common;

use std::fmt::Write;

use aisle::events::{Action, SimEvent};
use aisle::metrics::{DayProjection, Layout, Projection};
use aisle::scenario::ScenarioFile;
use aisle::sim::Simulation;
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// Layouts generated (invalid ones are skipped and counted).
const LAYOUTS: u64 = 1000;
/// The longest a shopper may stand still outside a line: the invariant's.
const FREEZE_LIMIT_S: f64 = aisle::metrics::facts::FREEZE_LIMIT_S;
/// Shortest gap between two zone entries of one shopper.
const ZONE_ENTRY_GAP_MS: u64 = 1_000;

/// A length drawn from `range`, on a 0.1 m grid so that fixtures written
/// with two decimals meet exactly.
fn metres(rng: &mut ChaCha8Rng, range: std::ops::Range<f64>) -> f64 {
    (rng.random_range(range) * 10.0).round() / 10.0
}

/// Writes a row of gondolas (each with an optional endcap) at `y` on
/// `floor` across a store `width` wide, with aisles 0.9–3 m between them,
/// and returns the shelves it made.
fn gondola_row(
    t: &mut String,
    rng: &mut ChaCha8Rng,
    floor: &str,
    row: usize,
    y: f64,
    width: f64,
) -> Vec<(String, &'static str)> {
    let mut shelves = Vec::new();
    let mut x = metres(rng, 0.9..3.0);
    let mut g = 0;
    loop {
        let len = metres(rng, 2.0..4.0);
        let endcap = rng.random_bool(0.4);
        let end = x + len + if endcap { 0.6 } else { 0.0 };
        if end > width - 0.9 {
            break;
        }
        let id = format!("G{floor}{row}{g}");
        writeln!(t, "[[fixtures]]\nid = \"{id}\"\nkind = \"gondola\"\nfloor = \"{floor}\"\nat = [{:.2}, {y}]\nsize = [{len:.2}, 1.0]\nheight = 1.8\nlevels = [\"eye\"]\nfaces = [\"front\", \"back\"]\n", x + len / 2.0).unwrap();
        shelves.push((id.clone(), "front"));
        shelves.push((id, "back"));
        if endcap {
            let id = format!("E{floor}{row}{g}");
            writeln!(t, "[[fixtures]]\nid = \"{id}\"\nkind = \"endcap\"\nfloor = \"{floor}\"\nat = [{:.2}, {y}]\nsize = [0.6, 1.0]\nheight = 1.6\nlevels = [\"eye\"]\nfaces = [\"front\"]\n", x + len + 0.3).unwrap();
            shelves.push((id, "front"));
        }
        x = end + metres(rng, 0.9..3.0);
        g += 1;
    }
    shelves
}

/// One random store as scenario TOML text: one floor, or (one in three)
/// two, joined by stairs and some of a lift and a pair of one-way
/// escalators.
fn random_store(seed: u64) -> String {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let width = rng.random_range(14.0..22.0f64);
    let depth = rng.random_range(10.0..14.0f64);
    let upstairs = rng.random_bool(1.0 / 3.0);
    let mut t = String::new();
    writeln!(t, "[scenario]\nname = \"random-{seed}\"\ndescription = \"generated\"\n").unwrap();
    // One store in five on a finer grid (a stream of its own, so the rest
    // of each layout stays as it was): bodies keep off shelves there as
    // on the default grid, and narrow gaps open.
    let mut grid = ChaCha8Rng::seed_from_u64(seed ^ 0x0006_71d5);
    let cell = if grid.random_bool(0.2) { [0.1, 0.125, 0.15, 0.2][grid.random_range(0..4)] } else { 0.25 };
    writeln!(t, "[store]\nfootprint = [{width:.2}, {depth:.2}]\ncell = {cell}\n\n[[store.floors]]\nid = \"ground\"\nelevation = 0.0\n").unwrap();
    if upstairs {
        writeln!(t, "[[store.floors]]\nid = \"upper\"\nelevation = 4.0\n").unwrap();
        // Stairs in the back left corner; a lift in the back right one;
        // escalators side by side in the middle of the back wall.
        let back = depth - 0.6;
        writeln!(t, "[[store.connectors]]\nid = \"stairs\"\nkind = \"stairs\"\nfrom = {{ floor = \"ground\", at = [0.6, {back:.2}] }}\nto = {{ floor = \"upper\", at = [0.6, {back:.2}] }}\ntraversal_s = 20.0\n").unwrap();
        if rng.random_bool(0.5) {
            writeln!(t, "[[store.connectors]]\nid = \"lift\"\nkind = \"lift\"\nfrom = {{ floor = \"ground\", at = [{:.2}, {back:.2}] }}\nto = {{ floor = \"upper\", at = [{:.2}, {back:.2}] }}\ntraversal_s = 30.0\n", width - 0.6, width - 0.6).unwrap();
        }
        if rng.random_bool(0.5) {
            let x = width / 2.0;
            writeln!(t, "[[store.connectors]]\nid = \"up\"\nkind = \"escalator\"\nfrom = {{ floor = \"ground\", at = [{:.2}, {back:.2}] }}\nto = {{ floor = \"upper\", at = [{:.2}, {back:.2}] }}\ntraversal_s = 12.0\none_way = true\n", x - 1.0, x - 1.0).unwrap();
            writeln!(t, "[[store.connectors]]\nid = \"down\"\nkind = \"escalator\"\nfrom = {{ floor = \"upper\", at = [{:.2}, {back:.2}] }}\nto = {{ floor = \"ground\", at = [{:.2}, {back:.2}] }}\ntraversal_s = 12.0\none_way = true\n", x + 1.0, x + 1.0).unwrap();
        }
    }
    // Gondola rows east-west across the back, each gondola followed by an
    // optional endcap and an aisle.
    let rows: &[f64] = if depth >= 12.0 { &[6.5, 9.2] } else { &[6.5] };
    let mut shelves = Vec::new();
    for (r, &y) in rows.iter().enumerate() {
        shelves.extend(gondola_row(&mut t, &mut rng, "ground", r, y, width));
        if upstairs {
            shelves.extend(gondola_row(&mut t, &mut rng, "upper", r, y - 2.5, width));
        }
    }
    if rng.random_bool(0.5) {
        let x = rng.random_range(2.0..width - 2.0);
        writeln!(t, "[[fixtures]]\nid = \"P1\"\nkind = \"promo_table\"\nat = [{x:.2}, {:.2}]\nsize = [1.2, 0.8]\nheight = 0.8\nlevels = [\"waist\"]\nfaces = [\"front\", \"back\"]\n", depth - 1.3 - if upstairs { 0.8 } else { 0.0 }).unwrap();
        shelves.push(("P1".into(), "front"));
    }
    // Lanes along the front, their queues running north (or, for the last
    // lane when there is room, east along the front); the door at the east end.
    let staffed = rng.random_range(1..=6usize);
    let self_service = rng.random_bool(0.5);
    let mut x = 1.5;
    let mut lanes = Vec::new();
    let count = staffed + self_service as usize;
    // Lanes after the first, and the counter, close early in some stores
    // (a stream of its own, as `extra` below).
    let mut hours = ChaCha8Rng::seed_from_u64(seed ^ 0x0c10_5ed0);
    let mut closing = || {
        if hours.random_bool(0.3) {
            format!("hours = [10.0, {:.2}]\n", hours.random_range(10.2..10.8))
        } else {
            String::new()
        }
    };
    for k in 0..count {
        let bank = k == staffed;
        if x + if bank { 3.0 } else { 1.0 } > width - 3.5 {
            break;
        }
        writeln!(t, "[[fixtures]]\nid = \"C{k}\"\nkind = \"checkout_counter\"\nat = [{x:.2}, 1.6]\nsize = [0.6, 1.6]\nheight = 0.9\n").unwrap();
        let places = rng.random_range(3..=6);
        let last = k + 1 == count || x + 2.5 + 1.0 > width - 3.5;
        let queue = if !bank && last && x + 0.6 + 0.6 * places as f64 + 1.0 < width - 3.5 && rng.random_bool(0.5) {
            "east"
        } else {
            "north"
        };
        lanes.push(format!("[[checkouts]]\nid = \"L{k}\"\nkind = \"{}\"\nat = [{:.2}, {}]\nqueue = \"{queue}\"\nqueue_places = {places}\n{}{}service = {{ base_s = 20.0, per_item_s = 3.0, cv = 0.3 }}\n",
            if bank { "self_service" } else { "staffed" },
            x + 0.6,
            if queue == "east" { 2.6 } else { 1.6 },
            if bank { format!("terminals = [[{:.2}, 0.8], [{:.2}, 0.8]]\n", x + 1.5, x + 2.5) } else { String::new() },
            if k > 0 { closing() } else { String::new() }));
        x += if bank { 4.0 } else { 2.5 };
    }
    writeln!(t, "[[zones]]\nid = \"front\"\nname = \"Front\"\nrect = [0.0, 0.0, {width:.2}, 5.0]\n\n[[zones]]\nid = \"aisles\"\nname = \"Aisles\"\nrect = [0.0, 5.0, {width:.2}, {depth:.2}]\n").unwrap();
    if upstairs {
        writeln!(t, "[[zones]]\nid = \"upstairs\"\nname = \"Upstairs\"\nfloor = \"upper\"\nrect = [0.0, 0.0, {width:.2}, {depth:.2}]\n").unwrap();
    }
    writeln!(
        t,
        "[[entrances]]\nid = \"in\"\nat = [{:.2}, 0.3]\n\n[[exits]]\nid = \"out\"\nat = [{:.2}, 0.3]\n",
        width - 0.8,
        width - 2.3
    )
    .unwrap();
    for lane in lanes {
        writeln!(t, "{lane}").unwrap();
    }
    writeln!(t, "[[categories]]\nid = \"all\"\nlist_weight = 1.0\n").unwrap();
    // Drawn from a stream of their own, so the rest of each layout stays
    // as it was before they were added.
    let mut extra = ChaCha8Rng::seed_from_u64(seed ^ 0x5eed_c0de);
    let counter = !upstairs && !t.contains("id = \"P1\"") && extra.random_bool(0.4);
    if counter {
        let x = width / 2.0;
        let servers = if extra.random_bool(0.5) {
            // East of the line's head: its line runs west along the desk.
            format!("servers = [[{:.2}, {:.2}], [{:.2}, {:.2}]]\n", x + 0.6, depth - 0.8, x + 1.2, depth - 0.8)
        } else {
            String::new()
        };
        writeln!(
            t,
            "[[fixtures]]\nid = \"DESK\"\nkind = \"obstacle\"\nat = [{x:.2}, {:.2}]\nsize = [2.0, 0.5]\nheight = 1.1\n",
            depth - 0.25
        )
        .unwrap();
        writeln!(t, "[[counters]]\nid = \"deli\"\nat = [{x:.2}, {:.2}]\nqueue = \"west\"\nqueue_places = 4\n{servers}{}service = {{ base_s = 40.0, per_item_s = 10.0, cv = 0.5 }}\nsells = [\"deli\"]\n", depth - 1.0, closing()).unwrap();
        writeln!(t, "[[categories]]\nid = \"deli\"\nlist_weight = 0.4\n").unwrap();
        for k in 0..2 {
            writeln!(
                t,
                "[[products]]\nid = \"deli{k}\"\ncategory = \"deli\"\nprice = 4.00\nmargin = 0.3\nappeal = 0.0\n"
            )
            .unwrap();
        }
    }
    let bench = extra.random_bool(0.4);
    if bench {
        // Against the west wall, facing east, between the lanes and the first row.
        writeln!(t, "[[fixtures]]\nid = \"BENCH\"\nkind = \"seating\"\nat = [0.3, 4.5]\nsize = [1.6, 0.5]\nheight = 0.45\nrotation = 1\ndwell_median_s = 120.0\n").unwrap();
    }
    // A short interior wall in the front half, anywhere: across a line's
    // way, beside a till, by the door. (A wall's end beside a line held one
    // joining it behind the wall all day: `wall_end_by_line`.) Layouts it
    // makes invalid are skipped.
    if extra.random_bool(0.3) {
        let length = extra.random_range(0.8..3.0);
        let (x0, y0) = (extra.random_range(1.0..width - 1.0), extra.random_range(2.2..5.5));
        let (x1, y1) = if extra.random_bool(0.5) { (x0, y0 + length) } else { ((x0 + length).min(width - 0.5), y0) };
        writeln!(
            t,
            "[[store.walls]]\nfloor = \"ground\"\nfrom = [{x0:.2}, {y0:.2}]\nto = [{x1:.2}, {y1:.2}]\nthickness = 0.1\n"
        )
        .unwrap();
    }
    for (i, (fixture, face)) in shelves.iter().enumerate() {
        writeln!(t, "[[products]]\nid = \"p{i}\"\ncategory = \"all\"\nprice = 1.50\nmargin = 0.3\nappeal = 0.2\n\n[[planogram]]\nproduct = \"p{i}\"\nfixture = \"{fixture}\"\nface = \"{face}\"\nlevel = \"{}\"\nfacings = 2\n", if fixture == "P1" { "waist" } else { "eye" }).unwrap();
    }
    let traffic = rng.random_range(1.0..4.0);
    let group_mean = if rng.random_bool(0.5) { rng.random_range(1.5..3.0) } else { 1.0 };
    writeln!(t, "[population]\ndaily_visitors = {:.0}\nhours = [10.0, 11.0]\nhourly_profile = [1.0]\n", 50.0 * traffic)
        .unwrap();
    let stops = if bench { "stops = { seating = 0.3 }\n" } else { "" };
    writeln!(t, "[[population.segments]]\nid = \"all\"\nshare = 1.0\nlist_mean = 3.0\nspeed_mean = 1.2\nspeed_sd = 0.15\nimpulse = 0.3\npatience_s = 600.0\nput_back = 0.05\ndwell_median_s = 4.0\ngroup_mean = {group_mean:.2}\n{stops}").unwrap();
    writeln!(t, "[run]\ntick_s = 0.1\ntrace_interval_s = 1.0\ndrain_h = 1.0").unwrap();
    t
}

/// What a day in one random store showed.
struct Day {
    shoppers: u64,
    longest_freeze_s: f64,
    /// Who stood where in the longest freeze.
    longest_freeze: Option<aisle::metrics::freeze::Freeze>,
    /// Shoppers still inside at the day's hard end.
    forced_out: usize,
    /// Shoppers with two zone entries less than `ZONE_ENTRY_GAP_MS` apart.
    flapping: usize,
    /// Queue joins and payments logged on a floor other than the lane's.
    off_floor_payments: usize,
    /// Joins at a lane or counter after its hours.
    joined_closed: usize,
    /// Exits (before the hard end) logged farther than `AT_EXIT_M` from
    /// every exit of their floor.
    exits_away: usize,
    /// The longest spell a line stood before a free terminal.
    longest_stall_s: f64,
    /// Moves faster than walking (`common::leaps`), the first of them.
    leaps: usize,
    first_leap: Option<String>,
    /// Positions nearer a fixture or wall than a body keeps
    /// (`common::too_near_obstacles`), the first of them.
    too_near: usize,
    first_too_near: Option<String>,
    /// Spells (`stood_together`) in which shoppers of different parties
    /// stood on the very same spot (a line's place, a terminal), and the
    /// first of them.
    stacked: usize,
    first_stack: Option<String>,
    /// Spells in which shoppers of different parties stood within
    /// `ON_ONE_SPOT_M` of each other, not only on one spot, and the
    /// first of them: held in the generated stores, not in the packed
    /// ones, where walkers blocked while crossing a line stand among those
    /// in it.
    crowded: usize,
    first_crowded: Option<String>,
}

impl Day {
    fn problems(&self) -> Option<String> {
        let bad = self.longest_freeze_s > FREEZE_LIMIT_S
            || self.forced_out > 0
            || self.flapping > 0
            || self.off_floor_payments > 0
            || self.joined_closed > 0
            || self.exits_away > 0
            || self.longest_stall_s > aisle::metrics::stall::STALL_LIMIT_S
            || self.leaps > 0
            || self.too_near > 0
            || self.stacked > 0;
        bad.then(|| {
            format!(
                "longest freeze {:.0} s{}, {} forced out, {} flapping, {} paid off the lane's floor, {} joined a closed desk, {} left away from an exit, \
                 a line before a free terminal for {:.0} s, {} leaps{}, {} too near a fixture{}, {} stacked{}",
                self.longest_freeze_s,
                self.longest_freeze.map_or(String::new(), |f| format!(
                    " (shopper {} at ({:.1}, {:.1}) on floor {}, {}–{} s)",
                    f.shopper,
                    f.x,
                    f.y,
                    f.floor,
                    f.since_ms / 1000,
                    f.end_ms / 1000
                )),
                self.forced_out,
                self.flapping,
                self.off_floor_payments,
                self.joined_closed,
                self.exits_away,
                self.longest_stall_s,
                self.leaps,
                self.first_leap.as_ref().map_or(String::new(), |l| format!(" ({l})")),
                self.too_near,
                self.first_too_near.as_ref().map_or(String::new(), |l| format!(" ({l})")),
                self.stacked,
                self.first_stack.as_ref().map_or(String::new(), |l| format!(" ({l})"))
            )
        })
    }
}

/// An exit is logged where the shopper stood at the door.
const AT_EXIT_M: f64 = 1.5;

fn run_day(p: &aisle::Prepared, seed: u64) -> Day {
    let mut sim = Simulation::new(p.scenario.clone(), p.store.clone(), seed);
    let mut events: Vec<SimEvent> = Vec::new();
    sim.run_to_end(|chunk| events.append(chunk), |_| {});
    let layout = Layout::new(p);
    let mut day = DayProjection::new(&layout);
    day.observe_all(&events);
    let m = day.finish();
    let end_ms = p.scenario.population.close_ms - p.scenario.population.open_ms + p.scenario.run.drain_ms;
    let mut last_entry = std::collections::HashMap::new();
    let mut flapping = std::collections::HashSet::new();
    for e in events.iter().filter(|e| e.action == Action::ZoneEnter) {
        if let Some(before) = last_entry.insert(e.shopper, e.t_ms)
            && e.t_ms - before < ZONE_ENTRY_GAP_MS
        {
            flapping.insert(e.shopper);
        }
    }
    let exits = events.iter().filter(|e| e.action == Action::Exit).count() as u64;
    assert_eq!(exits, m.visitors, "every enter has an exit");
    let lanes = &p.scenario.lanes;
    let off_floor_payments = events
        .iter()
        .filter(|e| match e.action {
            Action::QueueJoin { lane } | Action::Checkout { lane, .. } => lanes[lane as usize].floor != e.floor,
            _ => false,
        })
        .count();
    let exits_away = events
        .iter()
        .filter(|e| e.action == Action::Exit && e.t_ms < end_ms)
        .filter(|e| {
            !p.scenario
                .exits
                .iter()
                .any(|x| x.floor == e.floor && (x.at.x - e.x as f64).hypot(x.at.y - e.y as f64) <= AT_EXIT_M)
        })
        .count();
    // Joins at a desk whose hours had ended: a counter's by the time of
    // day, a checkout lane's by the lanes' clock, which stops at closing
    // (the lanes open then serve the last shoppers).
    let population = &p.scenario.population;
    let time_of_day = |t_ms: u64| population.open_ms + t_ms;
    let lanes_clock = |t_ms: u64| time_of_day(t_ms).min(population.close_ms - 1);
    let joined_closed = events
        .iter()
        .filter(|e| match e.action {
            Action::QueueJoin { lane } => !lanes[lane as usize].is_open_at(lanes_clock(e.t_ms)),
            Action::CounterJoin { counter } => {
                !p.scenario.counters[counter as usize].desk.is_open_at(time_of_day(e.t_ms))
            }
            _ => false,
        })
        .count();
    let leaps = common::leaps(p, seed, &events);
    let too_near = common::too_near_obstacles(p, &events);
    let (stacked, first_stack) = stood_together(&events, SAME_SPOT_M);
    let (crowded, first_crowded) = stood_together(&events, ON_ONE_SPOT_M);
    Day {
        shoppers: m.visitors,
        longest_freeze_s: m.longest_freeze_s,
        longest_freeze: m.longest_freeze,
        forced_out: events.iter().filter(|e| e.action == Action::Exit && e.t_ms >= end_ms).count(),
        flapping: flapping.len(),
        off_floor_payments,
        joined_closed,
        exits_away,
        longest_stall_s: m.longest_stall_s,
        leaps: leaps.len(),
        first_leap: leaps.into_iter().next(),
        too_near: too_near.len(),
        first_too_near: too_near.into_iter().next(),
        stacked,
        first_stack,
        crowded,
        first_crowded,
    }
}

/// Seconds two shoppers of different parties may stand on one spot: one
/// walking through a line (whose members stand off the walkway) may be
/// logged on a place for a moment, and a companion waiting ahead of its
/// leader at the end of a line (the leader's goal) stood on the last in
/// line for 10 s at one of 24 days of the crowded stores. (A line full past
/// its last place, or the companions of a leader called to a terminal
/// left on the next in line's places, stood there for minutes.)
const STACKED_LIMIT_S: u64 = 20;

/// Two shoppers whose centres are nearer than this stand on one spot: one
/// body radius, half the room two bodies keep.
const ON_ONE_SPOT_M: f32 = aisle::sim::crowd::BODY_RADIUS_M as f32;
/// Two shoppers logged this close stand on the very same spot (positions
/// are logged to the millimetre).
const SAME_SPOT_M: f32 = 0.001;

/// When and where a pair stood within reach: (t_ms, x, y, floor).
type Shared = (u64, f32, f32, u8);

/// Spells in which two shoppers of different parties stand within
/// `within` metres of each other (positions as logged, a second apart)
/// for `STACKED_LIMIT_S` or more, with the first of them.
fn stood_together(events: &[SimEvent], within: f32) -> (usize, Option<String>) {
    use std::collections::{BTreeMap, HashMap};
    let party: HashMap<u32, u32> = events
        .iter()
        .filter_map(|e| match e.action {
            Action::Enter { party } => Some((e.shopper, party)),
            _ => None,
        })
        .collect();
    let mut at: BTreeMap<u64, Vec<&SimEvent>> = BTreeMap::new();
    for e in events.iter().filter(|e| e.action == Action::Move) {
        at.entry(e.t_ms).or_default().push(e);
    }
    // Per pair, the instants they stood within reach, and where.
    let mut shared: BTreeMap<(u32, u32), Vec<Shared>> = BTreeMap::new();
    for (&t, sample) in &mut at {
        sample.sort_by(|a, b| (a.floor, a.x).partial_cmp(&(b.floor, b.x)).unwrap());
        for (i, a) in sample.iter().enumerate() {
            let near = sample[i + 1..].iter().take_while(|b| b.floor == a.floor && b.x - a.x < within);
            for b in near.filter(|b| (a.x - b.x).hypot(a.y - b.y) < within) {
                if party[&a.shopper] != party[&b.shopper] {
                    let pair = (a.shopper.min(b.shopper), a.shopper.max(b.shopper));
                    shared.entry(pair).or_default().push((t, a.x, a.y, a.floor));
                }
            }
        }
    }
    let mut spells = Vec::new();
    for (&(a, b), times) in &shared {
        let mut run = 1;
        for w in times.windows(2) {
            run = if w[1].0 == w[0].0 + 1000 { run + 1 } else { 1 };
            if run == STACKED_LIMIT_S as usize + 1 {
                let (t, x, y, floor) = w[1];
                spells.push(format!(
                    "shoppers {a} and {b} of parties {} and {} within {within} m at ({x:.2}, {y:.2}) on floor {floor} for {STACKED_LIMIT_S} s to {} s",
                    party[&a],
                    party[&b],
                    t / 1000
                ));
            }
        }
    }
    (spells.len(), spells.into_iter().next())
}

/// The first product placement whose shopper stands behind its face, or
/// reaches it across a wall or another fixture, in words.
fn shelf_reached_through(p: &aisle::Prepared) -> Option<String> {
    let s = &p.scenario;
    s.products.iter().zip(&p.store.stands).find_map(|(product, stands)| {
        product.placements.iter().zip(stands).find_map(|(pl, stand)| {
            let f = &s.fixtures[pl.fixture];
            let (nx, ny) = f.face_normal(pl.face);
            let (from, to) = (pl.spot, stand.point);
            let behind = (to.x - from.x) * nx + (to.y - from.y) * ny <= 0.0;
            let across = s
                .obstacles()
                .enumerate()
                .filter(|&(i, (floor, _))| i != pl.fixture && floor == f.floor)
                .find(|(_, (_, r))| r.entered_at(from, to).is_some());
            (behind || across.is_some()).then(|| {
                format!("`{}` on `{}` is taken from ({:.2}, {:.2}), behind its face or across another obstacle ({across:?})", product.id, f.id, to.x, to.y)
            })
        })
    })
}

#[test]
fn random_layouts_have_no_gridlock() {
    let (mut layouts, mut invalid, mut shopper_days, mut two_floors) = (0u64, 0u64, 0u64, 0u64);
    let (mut with_counter, mut with_bench, mut with_wall, mut with_early_close) = (0u64, 0u64, 0u64, 0u64);
    let mut failures = Vec::new();
    let (mut longest, mut longest_stall) = (0.0f64, 0.0f64);
    for seed in 0..LAYOUTS {
        let text = random_store(seed);
        let file = ScenarioFile::parse(std::path::Path::new(&format!("random-{seed}.toml")), text).unwrap();
        let p = match aisle::prepare(&file, "baseline") {
            Ok(p) => p,
            Err(e) => {
                eprintln!("layout {seed}: invalid, {}", e.to_string().lines().next().unwrap_or_default());
                invalid += 1;
                continue;
            }
        };
        layouts += 1;
        two_floors += (p.scenario.store.floors.len() > 1) as u64;
        with_counter += !p.scenario.counters.is_empty() as u64;
        with_bench += p.scenario.fixtures.iter().any(|f| f.kind == aisle::scenario::FixtureKind::Seating) as u64;
        with_wall += !p.scenario.store.walls.is_empty() as u64;
        let close_ms = p.scenario.population.close_ms;
        with_early_close += p
            .scenario
            .lanes
            .iter()
            .map(|l| l.hours_ms.1)
            .chain(p.scenario.counters.iter().map(|c| c.desk.hours_ms.1))
            .any(|end| end < close_ms) as u64;
        if let Some(through) = shelf_reached_through(&p) {
            failures.push(format!("layout {seed}: {through}"));
        }
        let day = run_day(&p, seed);
        shopper_days += day.shoppers;
        longest = longest.max(day.longest_freeze_s);
        longest_stall = longest_stall.max(day.longest_stall_s);
        if let Some(problems) = day.problems() {
            failures.push(format!("layout {seed}: {problems}"));
        }
        if let Some(first) = &day.first_crowded {
            failures.push(format!("layout {seed}: {} spells of two parties on one spot ({first})", day.crowded));
        }
    }
    eprintln!(
        "{layouts} random layouts ({two_floors} on two floors, {with_counter} with a service counter, {with_bench} \
         with a bench, {with_wall} with a wall, {with_early_close} with a desk closing early; {invalid} invalid skipped), {shopper_days} shopper-days; {} with a \
         problem; longest freeze {longest:.0} s, longest wait before a free terminal {longest_stall:.0} s",
        failures.len()
    );
    assert!(layouts >= LAYOUTS / 2, "only {layouts} of {LAYOUTS} generated layouts were valid");
    assert!(
        with_counter >= 10 && with_bench >= 10 && with_wall >= 10 && with_early_close >= 10,
        "{with_counter} counters, {with_bench} benches, {with_wall} walls and {with_early_close} desks closing early tried"
    );
    assert!(failures.is_empty(), "gridlock: {failures:#?}");
}

/// Generated stores beyond the ones `random_layouts_have_no_gridlock`
/// runs, each of which once had a problem, run clear now:
/// - 2067: four tills in a row, two closing early, whose 100-place lines
///   wind over the whole front, so no point near the last till is clear
///   of every line's places. A companion whose leader was called there
///   had no spot to wait at, stood by its leader on the line's second
///   place, and the next party's companion stood on it for 20 s. It now
///   waits where the lines run deepest.
/// - 4230: a self-service till whose terminals stand behind a 0.1 m wall
///   beside its line. One called to a terminal walked round the wall's
///   end, let go of its way round once the straight way looked clear
///   (sampled every half cell, the way stepped over the wall; past its
///   end, it cleared it by a hair and the steps slid back along it), and
///   the till stood free for 6,844 s while it paced by the wall. It now
///   keeps its way round until the straight way has a body's room.
/// - 4992: a bench beside the only till. A companion walking up to its
///   leader on the bench stopped within 0.1 m of a companion waiting by
///   the till for its own leader, for 20 s. It now stops a body's room
///   from another party waiting off the walkway.
#[test]
fn generated_stores_that_once_locked_run_clear() {
    for layout in [2067, 4230, 4992] {
        let name = format!("random-{layout}.toml");
        let file = ScenarioFile::parse(std::path::Path::new(&name), random_store(layout)).unwrap();
        let p = aisle::prepare(&file, "baseline").unwrap();
        let day = run_day(&p, layout);
        assert_eq!(day.first_crowded, None, "layout {layout}: {} spells of two parties on one spot", day.crowded);
        assert_eq!(day.problems(), None, "layout {layout}");
    }
}

/// The shipped two-floor store on a sale day (four times the visitors), and
/// again with both escalators out of use: long lines, yet a physically
/// possible day (nobody made to leave at the hard end, nobody paying on
/// another floor than the lane's, everyone leaving by an exit, no zone
/// flapping) and nobody frozen past the limit.
#[test]
fn the_department_store_under_strain_has_physically_possible_days() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/department.toml");
    let file = ScenarioFile::read(&path).unwrap();
    for variant in ["traffic-x4", "traffic-x4-stairs-only"] {
        let p = aisle::prepare(&file, variant).unwrap();
        let day = run_day(&p, 1);
        eprintln!(
            "department {variant}, seed 1: {} shoppers, longest freeze {:.0} s, {} forced out, \
             {} paid off the lane's floor, {} left away from an exit",
            day.shoppers, day.longest_freeze_s, day.forced_out, day.off_floor_payments, day.exits_away
        );
        if let Some(problems) = day.problems() {
            panic!("department {variant}, seed 1: {problems}");
        }
    }
}

/// A party stays on its leader's floor, but for a ride: on a 0.05 m grid a
/// companion kept a few cells off the stairs' landing stood by them for a
/// minute (22 spells a day on another floor than its leader, up to 63 s)
/// while its leader shopped upstairs.
#[test]
fn parties_ride_together_on_a_fine_grid() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/fine_grid_two_floors.toml");
    let p = aisle::prepare(&ScenarioFile::read(&path).unwrap(), "baseline").unwrap();
    let ride_s = p.scenario.store.connectors.iter().map(|c| c.traversal_s).fold(0.0, f64::max);
    let mut sim = Simulation::new(p.scenario.clone(), p.store.clone(), 1);
    let mut events: Vec<SimEvent> = Vec::new();
    sim.run_to_end(|chunk| events.append(chunk), |_| {});
    let mut party = std::collections::HashMap::new();
    let mut floor = std::collections::HashMap::new();
    let mut apart_since: std::collections::HashMap<u32, u64> = std::collections::HashMap::new();
    let mut longest = (0u64, 0u32);
    for e in &events {
        if let Action::Enter { party: leader } = e.action {
            party.insert(e.shopper, leader);
        }
        floor.insert(e.shopper, e.floor);
        let leader = party[&e.shopper];
        if leader == e.shopper || e.action != Action::Move {
            continue;
        }
        if floor.get(&leader).is_some_and(|&f| f != e.floor) {
            let since = *apart_since.entry(e.shopper).or_insert(e.t_ms);
            longest = longest.max((e.t_ms - since, e.shopper));
        } else {
            apart_since.remove(&e.shopper);
        }
    }
    assert!(party.values().any(|&l| party.values().filter(|&&m| m == l).count() > 1), "no parties came");
    assert!(
        longest.0 as f64 / 1000.0 <= ride_s + 10.0,
        "shopper {} stood {} s on another floor than its leader (a ride takes {ride_s} s at most)",
        longest.1,
        longest.0 / 1000
    );
}

/// Small crowded stores written to find gridlock: dead-end aisles 0.8 m
/// wide with one door and one lane (two in a variant), 350 people in an
/// hour in parties of 3.5; and one lane whose two-place line runs into a
/// gondola's end, more shoppers than its till serves. A day at each of six
/// seeds is physically possible and freezes nobody past the limit. Parties
/// hemmed in at the end of an aisle froze for up to 217 s; a line stacked
/// on its last place, its companions crowding the aisle mouth, 659 s. And
/// a line hemmed in after one place: it is full, not stacked (up to 55
/// waited on one spot in such a line), and `aisle validate` says so. And a
/// line through a doorway: companions in line behind the wall, their
/// leader called, slid along the wall into a corner and stood there all
/// day (3,532 s); they walk round now. And two tills 0.7 m from the front
/// wall with the exit past them, parties of six: companions waiting for
/// their leader on the exit itself kept everyone else in (168 s at seed
/// 4); near the door their leader heads out by, they go out ahead.
#[test]
fn crowded_small_stores_have_no_gridlock() {
    let mut failures = Vec::new();
    let boxed = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/boxed_line.toml");
    let warnings = ScenarioFile::read(&boxed).unwrap().validate_all().unwrap().warnings;
    assert!(
        warnings
            .iter()
            .any(|w| w.starts_with("checkout `L0`: its line has room for 1 waiting and cannot bend on past")),
        "{warnings:?}"
    );
    let cases = [
        ("dead_ends", "baseline"),
        ("dead_ends", "two-lanes"),
        ("short_line", "baseline"),
        ("boxed_line", "baseline"),
        ("line_through_doorway", "parties-of-five"),
        ("front_tills", "baseline"),
        ("front_tills", "rush"),
    ];
    for (file, variant) in cases {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("tests/data/{file}.toml"));
        let p = aisle::prepare(&ScenarioFile::read(&path).unwrap(), variant).unwrap();
        for seed in 1..=6 {
            let day = run_day(&p, seed);
            eprintln!(
                "{file} {variant}, seed {seed}: {} shoppers, longest freeze {:.0} s",
                day.shoppers, day.longest_freeze_s
            );
            if let Some(problems) = day.problems() {
                failures.push(format!("{file} {variant}, seed {seed}: {problems}"));
            }
        }
    }
    assert!(failures.is_empty(), "gridlock: {failures:#?}");
}

/// A store packed past moving still empties: the two tills 0.7 m from the
/// front wall at three times their visitors. The front holds 3.6 people a
/// square metre and whoever leaves inches along the 0.7 m way out, so
/// freezes past the limit are the crowd's, not a lock's; but at seed 1
/// those who had paid stood in each other's way for good (a freeze of
/// 3,096 s, a line 972 s before a till whose last served could not step
/// off, 362 made to leave at the hard end) until a walker 30 s without a
/// metre's headway squeezed through (`squeeze::squeezes_through`). Two
/// parties on one spot are left out too: a companion standing by its
/// leader, who had just paid and could not get away, stood on the till's
/// spot while the next was served there (28 s at seed 1); at twice the
/// visitors (`crowded_small_stores_have_no_gridlock`) none may.
#[test]
fn a_store_packed_past_moving_still_empties() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/front_tills.toml");
    let p = aisle::prepare(&ScenarioFile::read(&path).unwrap(), "crush").unwrap();
    for seed in 1..=3 {
        let day = run_day(&p, seed);
        eprintln!(
            "front_tills crush, seed {seed}: {} shoppers, longest freeze {:.0} s, {} forced out, a line before a free terminal for {:.0} s",
            day.shoppers, day.longest_freeze_s, day.forced_out, day.longest_stall_s
        );
        let crowd_only = Day { longest_freeze_s: 0.0, longest_freeze: None, stacked: 0, first_stack: None, ..day };
        if let Some(problems) = crowd_only.problems() {
            panic!("front_tills crush, seed {seed}: {problems}");
        }
    }
}

/// One called to a terminal from far back in a line that bends round
/// fixtures walks round them: two generated stores whose line, past its
/// laid-out places, turns round gondolas or runs up beside the till's own
/// counter. Walking straight at the terminal, the one called stood against
/// the fixture between, and the till served nobody for hours (1–3 forced
/// out at the end of each day, 39–80% of baskets abandoned at seed 2).
/// And one joining from behind a wall whose end is beside the line walks
/// round it to its place: let go of its way round where the line between
/// was clear but left no body's room, it stepped back behind the wall, and
/// the line stood 10,584 s before a free till (`wall_end_by_line`, seed 3).
#[test]
fn one_called_from_a_bent_line_walks_round_what_stands_between() {
    for file in ["bent_line", "till_behind_line", "wall_end_by_line"] {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("tests/data/{file}.toml"));
        let p = aisle::prepare(&ScenarioFile::read(&path).unwrap(), "baseline").unwrap();
        for seed in 1..=3 {
            let day = run_day(&p, seed);
            eprintln!("{file}, seed {seed}: {} shoppers, longest freeze {:.0} s", day.shoppers, day.longest_freeze_s);
            if let Some(problems) = day.problems() {
                panic!("{file}, seed {seed}: {problems}");
            }
        }
    }
}

/// A trade of places is a stride, not a leap: each of the two must have
/// banked the stride to walk the distance between them. One leaving a till
/// along its line traded places with those in its way one after another,
/// one a tick (2.3 m in 0.7 s, `tests/data/through_own_line.toml` at seed
/// 1), and the department store at four times its traffic with the
/// escalators out of use had one move 1.3 m in 0.2 s (seed 1). Banking
/// only while standing still was not enough: a leader hemmed in by its
/// party shuffled 7 cm to and fro every tick, never still, and they waited
/// for the trade for ever (the grocery at seed 7: 309 s). One stepping off
/// the stairs banked its stride from where it had boarded upstairs, so two
/// trades on its way from the landing took it 1.50 m in 0.8 s (the
/// department store at four times its traffic, escalators out, seed 2).
#[test]
fn nobody_is_passed_along_faster_than_walking() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/through_own_line.toml");
    let narrow = aisle::prepare(&ScenarioFile::read(&path).unwrap(), "baseline").unwrap();
    let grocery = common::prepare("grocery", "baseline");
    let stairs = common::prepare("department", "traffic-x4-stairs-only");
    for (name, p, seed) in [
        ("through_own_line", &narrow, 1),
        ("through_own_line", &narrow, 2),
        ("through_own_line", &narrow, 3),
        ("grocery", &grocery, 7),
        ("department traffic-x4-stairs-only", &stairs, 2),
    ] {
        let day = run_day(p, seed);
        assert_eq!(day.leaps, 0, "{name}, seed {seed}: {:?}", day.first_leap);
        if let Some(problems) = day.problems() {
            panic!("{name}, seed {seed}: {problems}");
        }
    }
}

/// A party gathers round its leader standing at a shelf: a companion kept
/// off by one of its party standing by stands by too. Before, one standing
/// by and one coming traded places every tick (a companion passed one of
/// its party at once, and the one passed walked back), and a passer stood
/// behind them for minutes: the grocery's `wide-aisles` day at seed 1
/// (181 s) and the department store with every shopper step-free (176 s).
/// A leader hemmed in by its party trades places with one standing by
/// wherever it stands: a party of four round a leader whose way out of a
/// pocket by an endcap passed the one beside it, hemmed in by the other
/// two, held it 220 s while the trade had to gain ground too (the
/// grocery's `candy-at-checkout` day at seed 6).
#[test]
fn a_party_round_its_standing_leader_lets_others_by() {
    let scenarios = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    let grocery =
        |variant: &str| aisle::prepare(&ScenarioFile::read(&scenarios.join("grocery.toml")).unwrap(), variant).unwrap();
    let mut step_free =
        aisle::prepare(&ScenarioFile::read(&scenarios.join("department.toml")).unwrap(), "baseline").unwrap();
    let mut scenario = (*step_free.scenario).clone();
    for segment in &mut scenario.population.segments {
        segment.step_free = true;
    }
    step_free.scenario = std::sync::Arc::new(scenario);
    for (name, p, seed) in [
        ("grocery wide-aisles", grocery("wide-aisles"), 1),
        ("grocery candy-at-checkout", grocery("candy-at-checkout"), 6),
        ("department, everyone step-free", step_free, 1),
    ] {
        let day = run_day(&p, seed);
        eprintln!("{name}, seed {seed}: {} shoppers, longest freeze {:.0} s", day.shoppers, day.longest_freeze_s);
        if let Some(problems) = day.problems() {
            panic!("{name}, seed {seed}: {problems}");
        }
    }
}

/// The grocery's self-service bank: four terminals side by side fed by one
/// line that snakes over the front of the store, so the two in the middle
/// have no spot of their own where the companions of one served there may
/// wait. They take a free one of a terminal near by (`stand_by`). Standing
/// by their leader instead, they stood on the next terminal while others
/// were served there: at seed 1 one stood 81 s on the very spot of two
/// served there in turn.
#[test]
fn companions_at_a_bank_of_terminals_wait_clear_of_other_parties() {
    let p = common::prepare("grocery", "baseline");
    for seed in 1..=2 {
        let day = run_day(&p, seed);
        if let Some(problems) = day.problems() {
            panic!("grocery, seed {seed}: {problems}");
        }
    }
}

/// A line hemmed in is judged by what its terminals serve: 17 places
/// before three self-service terminals turned away 18% of their parties,
/// and were not warned of; before one terminal they are room enough.
#[test]
fn a_short_line_is_judged_per_terminal() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/self_service_corner.toml");
    let three = std::fs::read_to_string(&path).unwrap();
    let one = three.replace("terminals = [[9.7, 1.6], [8.6, 1.6], [9.75, 2.6]]", "terminals = [[9.7, 1.6]]");
    assert_ne!(one, three);
    let warned = |text: &str| {
        let tmp = tempfile::tempdir().unwrap();
        let file = tmp.path().join("corner.toml");
        std::fs::write(&file, text).unwrap();
        let warnings = ScenarioFile::read(&file).unwrap().validate_all().unwrap().warnings;
        warnings.iter().any(|w| w.starts_with("checkout `SS`: its line has room for 17 waiting"))
    };
    assert!(warned(&three));
    assert!(!warned(&one));
}

/// A party in a corridor one body wide walks in and out in file and
/// keeps together: no companion goes out more than `LEFT_BEHIND_S` after
/// its leader (ahead of it, near the door, one goes out first, as
/// `party::keep_up` has it) and nobody stands frozen past
/// `SINGLE_FILE_FREEZE_S`. While
/// crowd density was counted over the floor walkers' centres may cross
/// alone (0.3 of the 0.5 m walkway on a 0.1 m grid), three of a party
/// in file were past the jam density and shuffled at a twentieth of
/// their pace: freezes of 43–99 s at seeds 1–6, a companion out 148 s
/// after its leader.
#[test]
fn a_party_in_a_single_file_aisle_keeps_together() {
    const LEFT_BEHIND_S: f64 = 30.0;
    const SINGLE_FILE_FREEZE_S: f64 = 40.0;
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/single_file.toml");
    let p = aisle::prepare(&ScenarioFile::read(&path).unwrap(), "baseline").unwrap();
    let mut failures = Vec::new();
    let layout = Layout::new(&p);
    for seed in 1..=6 {
        let events = common::simulate(&p, seed);
        let mut day = DayProjection::new(&layout);
        day.observe_all(&events);
        let day = day.finish();
        if day.longest_freeze_s > SINGLE_FILE_FREEZE_S {
            failures
                .push(format!("seed {seed}: longest freeze {:.0} s ({:?})", day.longest_freeze_s, day.longest_freeze));
        }
        let party_of: std::collections::HashMap<u32, u32> = events
            .iter()
            .filter_map(|e| match e.action {
                Action::Enter { party } => Some((e.shopper, party)),
                _ => None,
            })
            .collect();
        let out: std::collections::HashMap<u32, u64> =
            events.iter().filter(|e| e.action == Action::Exit).map(|e| (e.shopper, e.t_ms)).collect();
        for (&shopper, &party) in party_of.iter().filter(|(s, p)| s != p) {
            let behind_s = out[&shopper].saturating_sub(out[&party]) as f64 / 1000.0;
            if behind_s > LEFT_BEHIND_S {
                failures.push(format!("seed {seed}: shopper {shopper} out {behind_s:.1} s after its leader {party}"));
            }
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}
