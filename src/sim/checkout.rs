//! Checkout. A shopper done shopping picks the open lane with the least
//! expected time (`choose_lane`) and walks to the end of its line
//! (`head_for_lane`); on arrival (`reach_lane`, called by `walk`) it joins
//! the line (`queue_join`) or, when the work ahead exceeds its patience,
//! balks (`abandon`); a lane whose hours ended on the way sends it on to
//! one open then. Each tick `checkout` then, per lane, finishes service
//! (`checkout`), lets those out of patience renege (`abandon`), calls the
//! front of the line to the free terminal nearest it (free once its last
//! served has stepped off it), closes the line up
//! and serves called shoppers once at their terminal; last, the last in a
//! line may switch to a much shorter one (jockeying).

use bevy_ecs::prelude::*;
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, Exp, LogNormal};

use super::counter;
use super::crowd::Crowding;
use super::decide::head_for_exit;
use super::line::step_in_line;
use super::outbox::Outbox;
use super::queue::{LaneState, Lanes, Terminal, Waiting};
use super::shopper::{Activity, Route, Shopper, update_zone};
use super::{FIELD_UNITS_PER_CELL, RunState, Setting, TickState};
use super::{counter_clock, lane_clock};
use crate::events::Action;
use crate::geom::Point;
use crate::nav::{FlowFieldCache, UNREACHABLE};
use crate::scenario::{Lane, MIN_TERMINAL_GAP_M, QUEUE_SPACING_M, ServiceDistribution, ServiceModel};
use crate::store::{CellId, Store, Ways};

/// The open lane with the least expected time to be served for one at
/// `from` walking at `speed` by `ways`: the walk to the end of its line plus
/// the work queued at it or coming, shared by its terminals; a line too
/// short ever to hold the party (`places`) last (families left their baskets
/// at a two-place line while a till 7 m off stood idle; a line full for the
/// moment empties, and passing those over piled a rush at the others). With
/// no lane open at the lanes' clock that it can walk to, any lane not closed
/// for the day; the first of equals. A lane it cannot walk to (upstairs, for
/// one who takes lifts only) is never chosen while one it can is.
pub(super) fn choose_lane(
    setting: &Setting,
    nav: &mut FlowFieldCache,
    lanes: &Lanes,
    (from, places): (CellId, usize),
    speed: f64,
    ways: Ways,
    t_ms: u64,
) -> usize {
    let sc = &setting.scenario;
    let clock = lane_clock(sc, t_ms);
    let tiers: [&dyn Fn(&Lane) -> bool; 3] = [&|l| l.is_open_at(clock), &|l| l.open, &|_| true];
    for open in tiers {
        let mut best: Option<(bool, f64, usize)> = None; // (too short, wait, lane)
        for i in (0..sc.lanes.len()).filter(|&i| open(&sc.lanes[i])) {
            let d = nav.distance(&setting.store, setting.lane_tails[i], ways, from);
            if d == UNREACHABLE {
                continue;
            }
            let walk_m = d as f64 / FIELD_UNITS_PER_CELL * setting.store.cell;
            let wait = lanes.0[i].expected_wait_s(&sc.lanes[i], walk_m / speed);
            let short = places >= setting.tables.lines[i].len();
            if best.is_none_or(|(s, w, _)| (short, wait) < (s, w)) {
                best = Some((short, wait, i));
            }
        }
        if let Some((_, _, i)) = best {
            return i;
        }
    }
    // Past the store's checks someone always reaches a lane; the first, then.
    0
}

/// The items a shopper brings to `desk`: its basket at a checkout lane,
/// its order at a service counter.
fn items_at(setting: &Setting, desk: u16, s: &Shopper) -> u32 {
    (if setting.counter(desk).is_some() { s.order.len() } else { s.basket.len() }) as u32
}

/// Sends `s` to the tail of `lane`'s queue (a desk: a checkout lane or a
/// counter), counted as coming.
pub(super) fn head_for_lane(
    setting: &Setting,
    nav: &mut FlowFieldCache,
    lanes: &mut Lanes,
    s: &mut Shopper,
    lane: usize,
    joined_ms: Option<u64>,
) {
    let l = &setting.desks[lane];
    let state = &mut lanes.0[lane];
    // The end of the line as it will be when this shopper gets there: one
    // joins a queue at its end, not at the far end of the space for it.
    let place = setting.line_place(lane, state.end_of_line());
    let goal = setting.store.cell_at(l.floor, place).unwrap_or(setting.lane_tails[lane]);
    let work_s = l.service.mean_s(items_at(setting, lane as u16, s));
    state.head_here(work_s, s.places_in_line());
    s.route = Some(Route::new(nav.get(&setting.store, goal, s.ways), goal, place));
    s.activity = Activity::ToLane { lane: lane as u16, work_s, joined_ms };
}

/// A shopper walking to a desk (`Activity::ToLane`) has reached the end of
/// its line. A desk closed by then takes nobody new: another checkout
/// lane open now is walked to, a counter's order given up. At a
/// checkout, a much shorter line in sight is walked to
/// instead (`shorter_line`). Balking: a line longer than its patience, or
/// with no room for its party, is not joined (a checkout's basket left,
/// `abandon`; a counter's order, `counter::give_up`; one switching lines
/// that finds it full gives up too). Else it joins (`queue_join`,
/// `counter_join`; one switching lines waits on, unlogged).
pub(super) fn reach_lane(
    setting: &Setting,
    nav: &mut FlowFieldCache,
    lanes: &mut Lanes,
    out: &mut Outbox,
    t_ms: u64,
    entity: Entity,
    s: &mut Shopper,
) {
    let Activity::ToLane { lane, work_s, joined_ms } = s.activity else {
        unreachable!("only one walking to a lane reaches it")
    };
    let (i, counter) = (lane as usize, setting.counter(lane));
    lanes.0[i].arrive_here(work_s, s.places_in_line());
    // A desk whose hours ended while one walked to it takes nobody new
    // (its staff serve out the line): at a checkout one goes on to the
    // lane open now with the least expected time, if there is one; a
    // counter's order is given up. (One switching lines logged its join
    // there before it closed, and joins.)
    let clock = match counter {
        Some(_) => counter_clock(&setting.scenario, t_ms),
        None => lane_clock(&setting.scenario, t_ms),
    };
    if joined_ms.is_none() && !setting.desks[i].is_open_at(clock) {
        if let Some(counter) = counter {
            counter::give_up(out, t_ms, s, counter);
            return;
        }
        let j = choose_lane(setting, nav, lanes, (s.cell, s.places_in_line()), s.speed, s.ways, t_ms);
        if j != i && setting.desks[j].is_open_at(clock) {
            head_for_lane(setting, nav, lanes, s, j, joined_ms);
            return;
        }
    }
    let since_ms = joined_ms.unwrap_or(t_ms);
    let ahead_s = lanes.0[i].work_ahead_s(&setting.desks[i]);
    // A line hemmed in (`short_lines` warns of one) is full: one more
    // would stand on another's place.
    let full = !lanes.0[i].has_room(s.places_in_line(), setting.tables.lines[i].len());
    // Last in line for the moment (`shorter_line` weighs the last), taken
    // out again if it goes on: a much shorter line is walked to, this one
    // never joined (joining and switching at one instant logged two joins).
    lanes.0[i].join(entity, items_at(setting, lane, s), s.places_in_line(), since_ms.saturating_add(s.patience_ms));
    if joined_ms.is_none()
        && counter.is_none()
        && let Some(j) = shorter_line(setting, nav, lanes, i, s, lane_clock(&setting.scenario, t_ms))
    {
        s.switched_line = true;
        lanes.0[i].queue.pop_back();
        head_for_lane(setting, nav, lanes, s, j, None);
        return;
    }
    // One switching lines that finds the line full after all gives up too:
    // it would stand on another's place.
    if (joined_ms.is_none() && ahead_s * 1000.0 > s.patience_ms as f64) || full {
        lanes.0[i].queue.pop_back();
        if let Some(counter) = counter {
            counter::give_up(out, t_ms, s, counter);
            return;
        }
        let (qty, amount_cents) = s.basket_total();
        out.emit(t_ms, s, Action::Abandon { lane, qty, amount_cents });
        s.basket.clear();
        s.gave_up_at = Some(lane);
        head_for_exit(setting, nav, s);
        return;
    }
    match (joined_ms, counter) {
        (Some(_), _) => {}
        (None, Some(counter)) => out.emit(t_ms, s, Action::CounterJoin { counter }),
        (None, None) => out.emit(t_ms, s, Action::QueueJoin { lane }),
    }
    s.activity = Activity::Queued { lane, since_ms };
}

/// Per desk: service finishes (`checkout`; at a counter `counter::served`),
/// those out of patience renege (`abandon`, the basket lost; at a counter
/// `counter::give_up`), the front of the line goes to the free terminal
/// nearest it, the line closes up and called shoppers are served once at
/// their terminal. Then jockeying between checkout lanes.
pub(super) fn checkout(tick: &mut TickState) {
    let TickState { setting, shoppers, state } = tick;
    let RunState { clock, nav, lanes, out, crowd, .. } = &mut **state;
    let mut shoppers = shoppers.p0();
    let t = clock.t_ms;
    for (li, lane) in setting.desks.iter().enumerate() {
        let id = li as u16;
        let counter = setting.counter(id);
        let state = &mut lanes.0[li];
        if state.is_idle() {
            continue;
        }
        state.clear_terminals(&lane.terminals, |e| {
            shoppers.get(e).ok().filter(|s| s.floor == lane.floor).map(|s| s.pos)
        });
        state.finish_due(t, |shopper| {
            let mut s = shoppers.get_mut(shopper).expect("served shopper exists");
            if let Some(counter) = counter {
                counter::served(out, t, &mut s, counter);
                return;
            }
            let (qty, amount_cents) = s.basket_total();
            out.emit(t, &s, Action::Checkout { lane: id, qty, amount_cents });
            head_for_exit(setting, nav, &mut s);
        });
        // Reneging: a waiting shopper out of patience leaves the basket.
        state.leave_line_if(|w| {
            if t <= w.patience_until_ms {
                return false;
            }
            let mut s = shoppers.get_mut(w.shopper).expect("queued shopper exists");
            if let Some(counter) = counter {
                counter::give_up(out, t, &mut s, counter);
            } else {
                let (qty, amount_cents) = s.basket_total();
                out.emit(t, &s, Action::Abandon { lane: id, qty, amount_cents });
                s.basket.clear();
                s.gave_up_at = Some(id);
                head_for_exit(setting, nav, &mut s);
            }
            true
        });
        state.call_front(setting.line_place(li, 1), &lane.terminals, |e| {
            let mut s = shoppers.get_mut(e).expect("queued shopper exists");
            s.activity = Activity::Served { lane: id, at_terminal: false };
            s.line_place = 0;
            lane.service.mean_s(items_at(setting, id, &s))
        });
        close_up(setting, nav, crowd, out, &mut shoppers, t, li, state);
    }
    jockey(setting, nav, lanes, out, &mut shoppers, t);
}

/// Queued shoppers close up along the queue line, each party leaving a
/// place for each of its companions behind its leader; called ones walk
/// to their terminal and are served once there (`serve`), for a time drawn
/// from the lane's service model. None steps onto its place in line while
/// someone of another party stands still on it (`Crowding::stands_on`): a
/// companion left on a line's first place had leaders placed on it in
/// turn. (A terminal is taken whoever stands on it: `StepTo`.)
#[allow(clippy::too_many_arguments)]
fn close_up(
    setting: &Setting,
    nav: &mut FlowFieldCache,
    crowd: &Crowding,
    out: &mut Outbox,
    shoppers: &mut Query<&mut Shopper>,
    t_ms: u64,
    d: usize,
    state: &mut LaneState,
) {
    let desk = &setting.desks[d];
    let dt = setting.scenario.run.tick_ms as f64 / 1000.0;
    let mut step = |s: &mut Shopper, out: &mut Outbox, target: Point, to: StepTo| {
        let Some((pos, cell)) = step_in_line(setting, nav, s, target, s.speed * dt) else {
            return;
        };
        // (Only its place itself is waited for: on the way there it passes
        // those in the walkway, as they pass it.)
        if to == StepTo::Place && pos == target && crowd.stands_on(s.party, cell, s.pos, pos) {
            return;
        }
        (s.pos, s.cell) = (pos, cell);
        update_zone(&setting.store, out, t_ms, s);
    };
    let mut place = 1;
    for w in &mut state.queue {
        if w.settled_at != place {
            let mut s = shoppers.get_mut(w.shopper).expect("queued shopper exists");
            s.line_place = place;
            let target = setting.line_place(d, place);
            step(&mut s, &mut *out, target, StepTo::Place);
            // Settled: at its place, no detour held, its zone up to date,
            // so a step would change nothing.
            if s.pos == target && s.route.is_none() && s.zone == setting.store.zone(s.cell) {
                w.settled_at = place;
            }
        }
        place += w.places;
    }
    for (terminal, &at) in state.terminals.iter_mut().zip(&desk.terminals) {
        let Terminal::Called { shopper, .. } = *terminal else { continue };
        let mut s = shoppers.get_mut(shopper).expect("called shopper exists");
        step(&mut s, &mut *out, at, StepTo::Terminal);
        if s.pos == at {
            let Activity::Served { lane, .. } = s.activity else { unreachable!("a called shopper is served") };
            // Everything in the basket is scanned, including what was grabbed in the queue.
            let work_s = desk.service.mean_s(items_at(setting, lane, &s));
            let secs = service_time(work_s, &desk.service, &mut s.checkout_rng);
            *terminal = Terminal::Serving { shopper, until_ms: t_ms + (secs * 1000.0) as u64, work_s };
            s.activity = Activity::Served { lane, at_terminal: true };
            match setting.counter(lane) {
                Some(counter) => out.emit(t_ms, &s, Action::CounterServe { counter }),
                None => out.emit(t_ms, &s, Action::Serve { lane }),
            }
        }
    }
}

/// Where one in a line steps to: its place in line, or its terminal once
/// called (which it takes whoever stands by: waiting for a companion
/// standing there, the till stood idle and the line behind grew until
/// the front of the store locked).
#[derive(Clone, Copy, PartialEq, Eq)]
enum StepTo {
    Place,
    Terminal,
}

/// Places in a line at most: past its laid-out places it bends along what
/// stops it, up to this many.
const MAX_LINE_PLACES: usize = 100;

/// A desk's line as laid out so far: its places, and the way it runs at
/// its end.
struct Line {
    places: Vec<Point>,
    dir: (f64, f64),
}

impl Line {
    /// Its laid-out places (`Lane::place`).
    fn laid_out(desk: &Lane) -> Line {
        Line { places: (0..desk.queue_places as usize).map(|k| desk.place(k)).collect(), dir: desk.queue_dir }
    }

    /// Adds the next place, for parties that do not fit: on in the line's
    /// direction over walkable floor with room for a body, turning right
    /// or left where that is blocked (a line snakes along what stops it)
    /// but never onto its own places or terminals, nor near `taken`.
    /// False when no place fits, or the line holds `MAX_LINE_PLACES`.
    fn grow(&mut self, store: &Store, desk: &Lane, taken: &[Point]) -> bool {
        if self.places.len() >= MAX_LINE_PLACES {
            return false;
        }
        let last = *self.places.last().expect("a line has a place");
        let clear_of = |p: Point, of: &[Point]| of.iter().all(|q| q.distance(p) > 0.9 * QUEUE_SPACING_M);
        let fits = |p: Point| {
            body_fits(store, desk.floor, p)
                && store.first_blocked(desk.floor, last, p).is_none()
                && clear_of(p, &self.places)
                && desk.terminals.iter().all(|t| t.distance(p) >= MIN_TERMINAL_GAP_M)
                && clear_of(p, taken)
        };
        let dir = self.dir;
        let turns = [dir, (dir.1, -dir.0), (-dir.1, dir.0)];
        let next = turns
            .into_iter()
            .map(|d| (d, last.offset(d.0 * QUEUE_SPACING_M, d.1 * QUEUE_SPACING_M)))
            .find(|&(_, p)| fits(p));
        let Some((d, p)) = next else { return false };
        self.dir = d;
        self.places.push(p);
        true
    }
}

/// Every desk's line, in the order of `desks`: its laid-out places, then
/// grown with the others a place at a time, round by round (`Line::grow`),
/// clear of the other desks' terminals and laid-out places on its floor and
/// of the places their lines hold so far (two bending at each other stood
/// shoppers still for minutes), the open desks' first (a closed one's
/// hemmed an open one's in). Grown one whole line after another, a far
/// desk's line listed first wound 60 m round the store onto the floor a
/// corner desk's line needed, and the file was refused or not by the order
/// its desks were listed in.
pub(super) fn lines(store: &Store, desks: &[&Lane]) -> Vec<Vec<Point>> {
    let mut lines: Vec<Line> = desks.iter().map(|d| Line::laid_out(d)).collect();
    let (open, closed): (Vec<usize>, Vec<usize>) = (0..desks.len()).partition(|&i| desks[i].open);
    for mut growing in [open, closed] {
        while !growing.is_empty() {
            let mut still = Vec::with_capacity(growing.len());
            for &i in &growing {
                let others = desks.iter().enumerate().filter(|&(j, d)| j != i && d.floor == desks[i].floor);
                let taken: Vec<Point> =
                    others.flat_map(|(j, d)| d.spots().chain(lines[j].places.iter().copied())).collect();
                if lines[i].grow(store, desks[i], &taken) {
                    still.push(i);
                }
            }
            growing = still;
        }
    }
    lines.into_iter().map(|l| l.places).collect()
}

/// Whether one standing at `p` keeps as far from walls and fixtures as a
/// walker at a cell's centre does (`Store::walker_room`):
/// the points that far round it, at the eight compass points, are on
/// walkable floor.
pub(super) fn body_fits(store: &Store, floor: u8, p: Point) -> bool {
    let r = store.walker_room();
    let d = r * std::f64::consts::FRAC_1_SQRT_2;
    [(0.0, 0.0), (r, 0.0), (-r, 0.0), (0.0, r), (0.0, -r), (d, d), (d, -d), (-d, d), (-d, -d)]
        .into_iter()
        .all(|(dx, dy)| store.cell_at(floor, p.offset(dx, dy)).is_some_and(|c| store.is_walkable(c)))
}

/// Jockeying: the last in a line moves to a much shorter one in sight
/// (`shorter_line`), as people do when the next line empties, logging
/// `queue_join` there (the log says which line it stands in); its wait goes
/// on. So separate lines serve nearly as well as one shared (Erlang C).
fn jockey(
    setting: &Setting,
    nav: &mut FlowFieldCache,
    lanes: &mut Lanes,
    out: &mut Outbox,
    shoppers: &mut Query<&mut Shopper>,
    t_ms: u64,
) {
    let clock_ms = lane_clock(&setting.scenario, t_ms);
    for i in 0..setting.scenario.lanes.len() {
        let Some(&Waiting { shopper: e, .. }) = lanes.0[i].queue.back() else { continue };
        let mut s = shoppers.get_mut(e).expect("queued shopper exists");
        let Activity::Queued { since_ms, .. } = s.activity else { unreachable!("queue holds queued shoppers") };
        // One who joined this instant chose its line already (`reach_lane`);
        // a terminal freed since is seen from the next tick.
        if since_ms == t_ms {
            continue;
        }
        let Some(j) = shorter_line(setting, nav, lanes, i, &s, clock_ms) else { continue };
        s.switched_line = true;
        lanes.0[i].queue.pop_back();
        out.emit(t_ms, &s, Action::QueueJoin { lane: j as u16 });
        head_for_lane(setting, nav, lanes, &mut s, j, Some(since_ms));
    }
}

/// The lane `s`, last in lane `i`'s line, would rather be in (`Lanes::jockey_to`) with room for its party,
/// on its floor only (another floor is a ride away); none once it has switched lines.
fn shorter_line(
    setting: &Setting,
    nav: &mut FlowFieldCache,
    lanes: &Lanes,
    i: usize,
    s: &Shopper,
    clock_ms: u64,
) -> Option<usize> {
    if s.switched_line {
        return None;
    }
    let checkouts = &setting.scenario.lanes;
    let open_here =
        |j: usize| checkouts.get(j).is_some_and(|l| l.is_open_at(clock_ms) && l.floor == checkouts[i].floor);
    let walk_s = |j: usize| {
        let d = nav.distance(&setting.store, setting.lane_tails[j], s.ways, s.cell);
        (d != UNREACHABLE).then(|| d as f64 / FIELD_UNITS_PER_CELL * setting.store.cell / s.speed)
    };
    let j = lanes.jockey_to(i, checkouts, open_here, walk_s)?;
    lanes.0[j].has_room_at_end_of_line(s.places_in_line(), setting.tables.lines[j].len()).then_some(j)
}

/// A service time with the given mean, drawn from the lane's distribution.
fn service_time(mean: f64, model: &ServiceModel, rng: &mut ChaCha8Rng) -> f64 {
    if mean <= 0.0 {
        return 0.0;
    }
    match model.distribution {
        ServiceDistribution::Exponential => Exp::new(1.0 / mean).expect("positive rate").sample(rng),
        ServiceDistribution::Lognormal if model.cv <= 0.0 => mean,
        ServiceDistribution::Lognormal => {
            let sigma2 = (1.0 + model.cv * model.cv).ln();
            LogNormal::new(mean.ln() - sigma2 / 2.0, sigma2.sqrt()).expect("finite parameters").sample(rng)
        }
    }
}

#[cfg(test)]
mod tests;
