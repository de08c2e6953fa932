//! Walking. Every body on the floor is filed per 1 m block (`sim::crowd`);
//! walkers move `speed × Weidmann(density) × tick` metres along their flow
//! field, cell centre to neighbouring cell centre, never within two body
//! radii of another body: they pass, are made way for, step aside or wait
//! (`advance`, `blocked`, `sidestep`). Riders of connectors step off when
//! the ride is over. A walker that arrives hands over to its goal's
//! mechanism: a shelf to `shelf::reach_shelf`, a lane to
//! `checkout::reach_lane`; at an exit it leaves the store here.

use bevy_ecs::prelude::*;

use super::checkout::reach_lane;
use super::outbox::Outbox;
use super::party::GATHERED_M;
use super::ride::{board, boarding_from_beside, step_off};
use super::shelf::reach_shelf;
use super::shopper::{Activity, Company, Route, Shopper, update_zone};
use super::stop::reach_stop;
use super::{RunState, TickState, crowd, squeeze};
use crate::events::Action;
use crate::geom::Point;
use crate::nav::{Step, UNREACHABLE};
use crate::store::{CellId, Store};

/// A blocked shopper this close to the shelf, the end of the line or the
/// door has arrived: it takes the product, joins the line (and closes up
/// along it) or leaves from where it stands.
const NEAR_GOAL_M: f64 = 1.0;
/// A blocked shopper steps aside to a cell up to this much farther from its
/// goal (flow-field units: two cells)...
const SIDESTEP_SLACK: u32 = 20;
/// ...and after this long blocked, anywhere free, even back, to undo a standoff.
pub(super) const STANDOFF_MS: u64 = 2_000;
/// People meeting in a passage each keep to one side (here the right): a
/// step to the right counts as this much nearer the goal (flow-field units).
const KEEP_RIGHT: f64 = 10.0;
/// Two shoppers blocking each other face to face edge past each other
/// (swap places) after this long, as in the exchange rule of bidirectional
/// pedestrian cellular automata (Blue & Adler 2001, Transportation
/// Research B 35(3)); without it, counterflow in a narrow passage locks.
const SQUEEZE_PAST_MS: u64 = 500;
/// Cell-to-cell steps a walker takes at most in one tick.
const MAX_STEPS_PER_TICK: usize = 16;

/// What `walk` keeps between ticks to save allocating: the order to move
/// shoppers in, each shopper's entity by index, a walker's neighbourhood.
#[derive(Default)]
pub(super) struct Scratch {
    order: Vec<Entity>,
    entity_of: Vec<Entity>,
    near: Vec<crowd::Body>,
}

/// Result of moving a shopper for one tick.
enum Moved {
    Walking,
    Arrived,
    Ride(usize),
    /// Passing this shopper (by index; see `advance`): the two trade places.
    Swap(u32),
    /// This shopper (by index), standing by, stepped aside to `at` (in `cell`) for it.
    MadeWay {
        other: u32,
        cell: CellId,
        at: Point,
    },
}

pub(super) fn walk(tick: &mut TickState, commands: &mut Commands, scratch: &mut Scratch) {
    let TickState { setting, shoppers, state } = tick;
    let RunState { clock, nav, lanes, census, crowd, out, .. } = &mut **state;
    let mut shoppers = shoppers.p1();
    let Scratch { order, entity_of, near } = scratch;
    let store = &setting.store;
    let dt = setting.scenario.run.tick_ms as f64 / 1000.0;
    let t = clock.t_ms;
    // File every body afresh (checkout moved the queues; some shoppers
    // joined or left one), noting who may move and in what order: a swap
    // needs two shoppers at once, so they are fetched by entity (the crowd
    // knows bodies by shopper index). Nobody starts walking during the
    // walk, so those standing now are left out of it.
    crowd.clear();
    order.clear();
    let bank_m = crowd::stride_bank_m(dt);
    for (entity, mut s) in shoppers.iter_mut() {
        // Nothing reads change ticks: filing every body need not stamp one.
        let s = s.bypass_change_detection();
        // The stride not walked since the last tick (walking, in a line,
        // by a trade) is banked.
        let moved = if s.pos == s.filed_at { 0.0 } else { s.pos.distance(s.filed_at) };
        s.stride_credit_m = (s.stride_credit_m + s.speed * dt - moved).clamp(0.0, bank_m);
        s.filed_at = s.pos;
        if (s.riding.is_some() || s.is_walking()) && s.entered_ms < t {
            order.push(entity);
        }
        let i = s.index as usize;
        if entity_of.len() <= i {
            entity_of.resize(i + 1, Entity::PLACEHOLDER);
        }
        entity_of[i] = entity;
        match s.solidity() {
            Some(crowd::Solidity::Solid) => crowd.add(s.cell, s.body(t)),
            Some(crowd::Solidity::OffWalkway) => crowd.add_aside(s.cell, s.party, s.pos),
            None => {}
        }
    }
    for &entity in order.iter() {
        let Ok((_, mut s)) = shoppers.get_mut(entity) else { continue };
        if !step_off(store, crowd, out, t, &mut s) || !s.is_walking() {
            continue;
        }
        let budget = s.speed * dt * crowd.speed_factor(s.cell);
        let moved = advance(store, crowd, near, &mut s, budget, (t, setting.scenario.run.tick_ms));
        update_zone(store, out, t, &mut s);
        match moved {
            Moved::Walking => {}
            Moved::MadeWay { other, cell, at } => {
                let Ok((_, mut b)) = shoppers.get_mut(entity_of[other as usize]) else { continue };
                (b.pos, b.cell) = (at, cell);
                update_zone(store, out, t, &mut b);
            }
            Moved::Swap(other) => {
                let [(_, mut a), (_, mut b)] =
                    shoppers.get_many_mut([entity, entity_of[other as usize]]).expect("two shoppers");
                swap_places(store, crowd, out, t, &mut a, &mut b);
            }
            Moved::Ride(i) => board(store, crowd, out, t, &mut s, i),
            Moved::Arrived => {
                s.route = None;
                (s.blocked_since_ms, s.blocked_at) = (None, UNREACHABLE);
                match s.activity {
                    Activity::ToShelf { .. } => reach_shelf(setting, out, t, &mut s),
                    Activity::ToStop { .. } => reach_stop(setting, out, t, &mut s),
                    Activity::ToLane { .. } => reach_lane(setting, nav, lanes, out, t, entity, &mut s),
                    Activity::ToExit => {
                        if s.zone.is_some() {
                            out.emit(t, &s, Action::ZoneExit);
                        }
                        out.emit(t, &s, Action::Exit);
                        crowd.remove(s.index, s.cell);
                        s.activity = Activity::Gone;
                        census.in_store -= 1;
                        commands.entity(entity).despawn();
                    }
                    _ => {}
                }
            }
        }
    }
}

/// One step towards `target`: to `to`.
struct Stride {
    target: Point,
    to: Point,
}

/// Moves `s` up to `budget` metres along its route. Steps go from cell to
/// neighbouring cell centre (diagonals only past walkable corners), so a
/// shopper is always on walkable floor; a step that would bring it within
/// two body radii of another shopper is not taken (see `blocked`). `near`
/// is scratch for the bodies it could meet this tick.
fn advance(
    store: &Store,
    crowd: &mut crowd::Crowding,
    near: &mut Vec<crowd::Body>,
    s: &mut Shopper,
    mut budget: f64,
    (t_ms, tick_ms): (u64, u64),
) -> Moved {
    let solid = s.solidity() == Some(crowd::Solidity::Solid);
    // One squeezing through keeps others off as ever, but nobody keeps it off.
    let kept_off = solid && !squeeze::squeezes_through(store, crowd, s, t_ms, tick_ms);
    let Some(route) = s.route.as_mut() else {
        return Moved::Arrived;
    };
    if solid {
        // Nobody else moves while this shopper does.
        crowd.gather_near(s.index, s.cell, s.pos, budget, near);
    }
    for _ in 0..MAX_STEPS_PER_TICK {
        let (target, arriving) = if s.cell == route.goal {
            (route.point, true)
        } else {
            match route.next_step(store, s.cell, s.ways) {
                Step::Walk(n) => (store.centre(n).1, false),
                Step::Ride(i) => return Moved::Ride(i),
                Step::Arrived => (route.point, true),
                // One that stood in a line where a fixture grazes the
                // floor (`line::line_step`) steps onto open floor first:
                // no way leads from there (it was made to leave the store
                // on the spot, metres from the door).
                Step::Stuck if !store.is_walkable(s.cell) => match store.open_floor_near(s.floor, s.pos) {
                    Some(n) => (store.centre(n).1, false),
                    None => return Moved::Arrived,
                },
                Step::Stuck => return Moved::Arrived,
            }
        };
        let d = s.pos.distance(target);
        if d > 1e-9 {
            s.wish = ((target.x - s.pos.x) / d, (target.y - s.pos.y) / d);
        }
        let to = s.pos.towards_known(target, budget, d);
        let cell = store.cell_at(s.floor, to).expect("walkable target");
        if solid && crowd::blockers_among(near, s.index, s.pos, to).next().is_some() {
            if kept_off {
                return blocked(store, crowd, near, s, Stride { target, to }, budget, t_ms);
            }
            // Squeezing through, it stops short of its shelf, line or door
            // as one blocked there does: it walked onto one standing there.
            if near_goal_on(store, route, s.activity, s.floor, s.pos) {
                return Moved::Arrived;
            }
            // A companion near its standing leader has gathered with its
            // party: it pushes through nobody to reach it. (Two of a party
            // kept off their leader at a shelf squeezed through each other
            // and stood on one spot while it shopped.)
            if gathers(store, (s.activity, s.floor, s.pos), route)
                && room_to_stand_by(crowd, near, (s.party, s.cell, s.pos))
            {
                return stand_by_leader(s);
            }
        }
        if kept_off && s.blocked_since_ms.is_some() && cuts_in(store, near, route, s.floor, s.cell, s.pos, to) {
            crowd.set_wish(s.index, s.cell, s.wish);
            return Moved::Walking;
        }
        crowd.relocate(s.index, s.cell, cell, to);
        s.pos = to;
        s.cell = cell;
        if route.field[cell as usize] < s.blocked_at {
            s.blocked_since_ms = None;
            s.blocked_at = UNREACHABLE;
        }
        if d > budget {
            return Moved::Walking;
        }
        budget -= d;
        if arriving {
            return Moved::Arrived;
        }
        if budget <= 1e-9 {
            return Moved::Walking;
        }
    }
    Moved::Walking
}

/// Whether one in `activity` at `pos` on `floor`, on `route`, is a
/// companion walking up to its standing leader (the route's point) on its
/// floor and near enough to stand by it with its party
/// (`party::GATHERED_M`).
fn gathers(store: &Store, (activity, floor, pos): (Activity, u8, Point), route: &Route) -> bool {
    matches!(activity, Activity::Companion(Company::Joining))
        && store.centre(route.goal).0 == floor
        && pos.distance(route.point) <= GATHERED_M
}

/// Whether a companion may stand by where it is: on no body of another
/// party, on the walkway or off it (two companions of neighbouring tills
/// stood 8 cm apart while both leaders were served).
fn room_to_stand_by(crowd: &crowd::Crowding, near: &[crowd::Body], (party, cell, at): (u32, CellId, Point)) -> bool {
    !crowd.aside_taken(party, cell, at)
        && !near.iter().any(|b| b.party != party && b.at.distance(at) < crowd::MIN_GAP_M)
}

/// A companion kept off its standing leader, by its party or while
/// squeezing through, stands by where it is.
fn stand_by_leader(s: &mut Shopper) -> Moved {
    (s.activity, s.route) = (Activity::Companion(Company::Beside), None);
    (s.blocked_since_ms, s.blocked_at) = (None, UNREACHABLE);
    Moved::Walking
}

/// Whether a step from `from` (in `cell`) to `to` along `route` cuts into
/// the way of one ahead on it (nearer their common goal). One blocked a
/// moment ago waits for that one instead: else, stepping aside and back
/// onto its way, it barred the one ahead tick after tick, and two of a
/// party held each other for a minute where their way narrowed. (Not to
/// one in a standoff: that one may be stuck for good.)
fn cuts_in(
    store: &Store,
    near: &[crowd::Body],
    route: &Route,
    floor: u8,
    cell: CellId,
    from: Point,
    to: Point,
) -> bool {
    let here = route.field[cell as usize];
    near.iter().any(|b| {
        b.walks_to(route.goal)
            && !b.stalled
            && b.cut_in(from, to)
            && store.cell_at(floor, b.at).is_some_and(|c| route.field[c as usize] < here)
    })
}

/// Someone is in the way of `step`. Near the shelf, the line or the door
/// the walker has arrived; a companion walking up to its standing leader,
/// kept off by its party, stands by with them. Else the walker passes one
/// in the way if it is nearer the goal and gains or loses nothing by it:
/// one coming this way, standing about or giving way; after a moment, or
/// at once within a party (but a companion never passes one of its party
/// standing by). Swapping keeps every distance that held. Both must be
/// willing: a swap that only the walker wants (two walking across each
/// other, each on its own way) is undone by the other at once, and the two
/// swap back and forth for ever. Else one standing by with nothing to do
/// steps out of the way; else the walker steps aside (`sidestep`).
fn blocked(
    store: &Store,
    crowd: &mut crowd::Crowding,
    near: &[crowd::Body],
    s: &mut Shopper,
    step: Stride,
    budget: f64,
    t_ms: u64,
) -> Moved {
    // Near the shelf, the line or the door the shopper has arrived (rather
    // than nudge its own party to and fro round it).
    if near_goal(store, s) {
        return Moved::Arrived;
    }
    if let Some((landing, i)) = boarding_from_beside(store, s) {
        crowd.relocate(s.index, s.cell, landing, s.pos);
        s.cell = landing;
        return Moved::Ride(i);
    }
    let route = s.route.as_ref().expect("walking shoppers have a route");
    // A companion walking up to its standing leader, kept off by its
    // leader or one of its party standing by, has joined them: it stands
    // by too. (Passing that one, who then stood farther off and walked
    // back, the two traded places every tick for ever, in the way of
    // everyone else.)
    let companion = s.leader.is_some();
    let kin_standing = |b: &crowd::Body| b.party == s.party && (b.gives_way || b.shopper == s.party);
    if gathers(store, (s.activity, s.floor, s.pos), route)
        && crowd::blockers_among(near, s.index, s.pos, step.to).any(|b| kin_standing(&b))
        && room_to_stand_by(crowd, near, (s.party, s.cell, s.pos))
    {
        return stand_by_leader(s);
    }
    crowd.set_wish(s.index, s.cell, s.wish);
    let waited = s.blocked_for(t_ms, SQUEEZE_PAST_MS);
    let (pos, party, here) = (s.pos, s.party, route.field[s.cell as usize]);
    // One of its party is passed at once only where the walker has not
    // been since it was blocked: a leader that traded places backwards
    // with one of its party to undo a standoff does not trade straight back.
    let kin_front = here.min(s.blocked_at);
    let passable = |b: &crowd::Body| {
        let there = store.cell_at(s.floor, b.at).map(|c| route.field[c as usize]);
        let in_front = there.is_some_and(|f| f < if b.party == party { kin_front } else { here });
        let willing = (b.heads_for(pos) && !b.walks_to(route.goal)) || b.gives_way || b.wish == (0.0, 0.0);
        // A companion does not pass one of its party standing by: that
        // one, then farther from their leader, would walk back past it.
        in_front && willing && (waited || b.party == party) && !(companion && kin_standing(b))
    };
    if let Some(b) = crowd::blockers_among(near, s.index, s.pos, step.to).find(passable) {
        return trade(crowd, s, &b, t_ms);
    }
    // One standing by with nothing to do steps out of the way (of a
    // companion, only if not of its party: the leader nudging it back,
    // the two pushed it to and fro for ever). Nudging, the walker is
    // blocked all the same: a standoff comes if it gains nothing by it.
    let aside = crowd::blockers_among(near, s.index, s.pos, step.to)
        .filter(|b| b.gives_way && !(companion && b.party == party))
        .find_map(|b| step_aside(store, crowd, s.floor, &b, step.to, budget).map(|(c, at)| (b, c, at)));
    if let Some((b, c, at)) = aside {
        s.blocked_since_ms.get_or_insert(t_ms);
        s.blocked_at = s.blocked_at.min(here);
        return make_way(store, crowd, s.floor, &b, c, at);
    }
    sidestep(store, crowd, near, s, step.target, budget, t_ms)
}

/// `b`, standing by, steps aside to `at` (in `cell`) for the walker.
fn make_way(store: &Store, crowd: &mut crowd::Crowding, floor: u8, b: &crowd::Body, cell: CellId, at: Point) -> Moved {
    let from = store.cell_at(floor, b.at).expect("bodies stand on the floor");
    crowd.relocate(b.shopper, from, cell, at);
    Moved::MadeWay { other: b.shopper, cell, at }
}

/// Where `b`, standing in the way of a step to `step`, steps aside to: the
/// neighbouring spot up to `stride` away that takes it farthest from the
/// step, among those it may step to; `None` when it is hemmed in too.
fn step_aside(
    store: &Store,
    crowd: &crowd::Crowding,
    floor: u8,
    b: &crowd::Body,
    step: Point,
    stride: f64,
) -> Option<(CellId, Point)> {
    let cell = store.cell_at(floor, b.at)?;
    // No farther than the stride it has banked.
    let stride = stride.min(b.slack_m);
    let mut best: Option<(f64, CellId, Point)> = None;
    store.for_each_step(cell, |n, _| {
        let to = b.at.towards(store.centre(n).1, stride);
        let Some(c) = store.cell_at(floor, to) else { return };
        let away = to.distance(step);
        if away > b.at.distance(step) && best.is_none_or(|x| away > x.0) && crowd.may_step(b.shopper, c, b.at, to) {
            best = Some((away, c, to));
        }
    });
    best.map(|(_, c, at)| (c, at))
}

/// Whether a blocked walker is as good as at its shelf, line or door:
/// within `NEAR_GOAL_M` of it on its floor, in plain sight. (One joining a
/// line then walks along it, so nothing may stand between; a shopper
/// upstairs above a ground-floor line is not in it.) Not a seat or a
/// fitting room: its place is held for the shopper, who sits there, not a
/// metre away in the aisle or on a counter's service spot.
fn near_goal(store: &Store, s: &Shopper) -> bool {
    let route = s.route.as_ref().expect("walking shoppers have a route");
    near_goal_on(store, route, s.activity, s.floor, s.pos)
}

/// `near_goal` of one doing `activity` at `pos` on `floor` along `route`
/// (borrowed apart from the shopper, which moves along it).
fn near_goal_on(store: &Store, route: &Route, activity: Activity, floor: u8, pos: Point) -> bool {
    matches!(activity, Activity::ToShelf { .. } | Activity::ToLane { .. } | Activity::ToExit)
        && within_reach(store, floor, pos, route.goal, route.point)
}

/// Whether `pos` on `floor` is within `NEAR_GOAL_M` of `point` (in `goal`) on its floor, in plain sight.
pub(super) fn within_reach(store: &Store, floor: u8, pos: Point, goal: CellId, point: Point) -> bool {
    store.centre(goal).0 == floor
        && pos.distance(point) <= NEAR_GOAL_M
        && store.first_blocked(floor, pos, point).is_none()
}

/// Someone is in the way of the step towards `ahead`. After a standoff
/// (`STANDOFF_MS`) a leader trades places with one of its party standing
/// by in the way of any step. Otherwise the shopper steps towards the
/// neighbouring cell nearest its goal (keeping right) that it can step
/// towards, if one is at most `SIDESTEP_SLACK` farther (any, after a
/// standoff); else one standing by that alone keeps it from such a step
/// steps aside; else, after a standoff, it trades places with a neighbour
/// in the same plight, or waits. A step back is taken only when no step on
/// is free, and a step round that gains ground is held in its route until
/// it has left its cell (`Route::hold`).
fn sidestep(
    store: &Store,
    crowd: &mut crowd::Crowding,
    near: &[crowd::Body],
    s: &mut Shopper,
    ahead: Point,
    budget: f64,
    t_ms: u64,
) -> Moved {
    let route = s.route.as_ref().expect("walking shoppers have a route");
    s.blocked_since_ms.get_or_insert(t_ms);
    s.blocked_at = s.blocked_at.min(route.field[s.cell as usize]);
    let standoff = s.blocked_for(t_ms, STANDOFF_MS);
    let slack = if standoff { UNREACHABLE } else { SIDESTEP_SLACK };
    let from = route.field[s.cell as usize];
    let limit = from.saturating_add(slack);
    let forward = (ahead.x - s.pos.x, ahead.y - s.pos.y);
    let right = {
        let len = forward.0.hypot(forward.1).max(1e-9);
        (forward.1 / len, -forward.0 / len)
    };
    // `d`: the distance from the shopper to `at`.
    let score = |field: u32, at: Point, d: f64| {
        let (dx, dy) = (at.x - s.pos.x, at.y - s.pos.y);
        let rightward = (dx * right.0 + dy * right.1) / d.max(1e-9);
        field as f64 - KEEP_RIGHT * rightward
    };
    // Hemmed in on every side after a standoff, a shopper trades places
    // with one beside it who stands about or is stalled too (not on the
    // same way: that gains the pair nothing), so no ring of bodies locks.
    // One of a leader's own party standing by yields wherever it stands:
    // a party gathered round its leader in a pocket (a fixture ahead, its
    // companions hemming in the one beside the way out) held it for
    // minutes when the trade had to gain ground too.
    let kin = |b: &crowd::Body| s.leader.is_none() && b.party == s.party && b.gives_way;
    let yields = |b: &crowd::Body| {
        let there = store.cell_at(s.floor, b.at).map_or(UNREACHABLE, |c| route.field[c as usize]);
        let willing = b.gives_way || b.wish == (0.0, 0.0) || (b.stalled && !b.walks_to(route.goal));
        let near_enough = kin(b) || there <= route.field[s.cell as usize].saturating_add(SIDESTEP_SLACK);
        (willing && near_enough).then_some(there)
    };
    // The free step scored best: (score, field, cell, point, the
    // neighbour stepped towards).
    let mut best: Option<(f64, u32, CellId, Point, CellId)> = None;
    // After a standoff, trades: with one of its party standing by (first:
    // a party gathered round its leader shuffles to let it out, rather
    // than it stepping back and forth at their edge), or with another.
    let mut kin_trade: Option<(f64, crowd::Body)> = None;
    let mut trade_with = kin_trade;
    // A step kept only by one standing by (a companion) that can step out
    // of its way: it does. Companions crowding round their leader at a
    // shelf would otherwise hem it in for good when none of them stands
    // in its straight way.
    let mut nudge: Option<(f64, crowd::Body, CellId, Point)> = None;
    store.for_each_step(s.cell, |n, _| {
        let f = route.field[n as usize];
        if f == UNREACHABLE || f > limit {
            return;
        }
        let centre = store.centre(n).1;
        let d = s.pos.distance(centre);
        let here = score(f, centre, d);
        let to = s.pos.towards_known(centre, budget, d);
        if to == s.pos {
            return;
        }
        if standoff {
            for b in crowd::blockers_among(near, s.index, s.pos, to) {
                if let Some(there) = yields(&b) {
                    let swap = score(there, b.at, s.pos.distance(b.at));
                    let slot = if kin(&b) { &mut kin_trade } else { &mut trade_with };
                    if slot.is_none_or(|t| swap < t.0) {
                        *slot = Some((swap, b));
                    }
                }
            }
        }
        // A step back is the last resort, whichever way it keeps: chosen
        // over a free step on by keeping right, a walker swayed between
        // the two for good.
        let better = best.is_none_or(|b| (f > from, here) < (b.1 > from, b.0));
        if !better && !standoff {
            return;
        }
        let cell = store.cell_at(s.floor, to).expect("walkable neighbour");
        let mut blockers = crowd::blockers_among(near, s.index, s.pos, to);
        let Some(first) = blockers.next() else {
            if better {
                best = Some((here, f, cell, to, n));
            }
            return;
        };
        // (Only while no free step is found, or after a standoff: a free
        // step is taken first, unless it is a retreat.)
        if (best.is_none() || standoff)
            && first.gives_way
            && !(s.leader.is_some() && first.party == s.party)
            && blockers.next().is_none()
            && nudge.is_none_or(|x| here < x.0)
            && let Some((c, at)) = step_aside(store, crowd, s.floor, &first, to, budget)
        {
            nudge = Some((here, first, c, at));
        }
    });
    if let Some((_, other)) = kin_trade {
        return trade(crowd, s, &other, t_ms);
    }
    // After a standoff a free step back is the last resort: stepping back
    // and forth, a walker never trades places or has anyone make way.
    let retreat = best.is_some_and(|b| b.1 > from);
    if let Some((_, f, cell, to, n)) = best.filter(|_| !retreat || (nudge.is_none() && trade_with.is_none())) {
        // A step round that gains ground is held until the walker is in
        // that cell: else its field's step from the cell it has not left
        // yet led it back into the block next tick, and it swayed between
        // the two for good (a cell with two ways equally near the goal,
        // one blocked).
        if !retreat && f < from && cell != n {
            let route = s.route.as_mut().expect("walking shoppers have a route");
            route.hold(s.cell, n);
        }
        crowd.relocate(s.index, s.cell, cell, to);
        s.pos = to;
        s.cell = cell;
        return Moved::Walking;
    }
    if let Some((_, b, cell, at)) = nudge {
        return make_way(store, crowd, s.floor, &b, cell, at);
    }
    match trade_with {
        Some((_, other)) => trade(crowd, s, &other, t_ms),
        None => Moved::Walking,
    }
}

/// The walker passes `b` by trading places, once each of them has banked
/// the stride to walk the distance between them (`Body::slack_m`): a trade
/// is a stride, not a leap, and a walker passing a row of its party
/// standing by moves along it at its pace. Until then it waits, blocked.
fn trade(crowd: &crowd::Crowding, s: &mut Shopper, b: &crowd::Body, t_ms: u64) -> Moved {
    let d = s.pos.distance(b.at);
    if d <= b.slack_m && d <= crowd.slack(s.index, s.cell) {
        return Moved::Swap(b.shopper);
    }
    let here = s.route.as_ref().map_or(UNREACHABLE, |r| r.field[s.cell as usize]);
    s.blocked_since_ms.get_or_insert(t_ms);
    s.blocked_at = s.blocked_at.min(here);
    Moved::Walking
}

/// Two shoppers trade places (each has room where the other stood, since
/// their bodies just traded spots).
fn swap_places(
    store: &Store,
    crowd: &mut crowd::Crowding,
    out: &mut Outbox,
    t_ms: u64,
    a: &mut Shopper,
    b: &mut Shopper,
) {
    let (a_at, a_cell, b_at, b_cell) = (a.pos, a.cell, b.pos, b.cell);
    crowd.relocate(a.index, a_cell, b_cell, b_at);
    crowd.relocate(b.index, b_cell, a_cell, a_at);
    (a.pos, a.cell, b.pos, b.cell) = (b_at, b_cell, a_at, a_cell);
    // The walker keeps the nearest it came while blocked unless it is
    // nearer now (as a step would, `advance`).
    a.blocked_since_ms = None;
    if a.route.as_ref().is_none_or(|r| r.field[b_cell as usize] < a.blocked_at) {
        a.blocked_at = UNREACHABLE;
    }
    (b.blocked_since_ms, b.blocked_at) = (None, UNREACHABLE);
    update_zone(store, out, t_ms, a);
    update_zone(store, out, t_ms, b);
}
