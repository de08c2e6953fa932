//! Parties: companions keep up with their leader, who holds the basket.
//! In a checkout line the k-th companion stands k places behind it (its
//! party took those places, `checkout::close_up`); by a
//! leader stopping at seating or a fitting room it stops too; near it, or
//! a little ahead on its way, a companion stands by; otherwise (and
//! always while the leader rides a connector) it walks after the leader,
//! the leader's way, aboard too. Round a leader standing still a
//! party gathers: a companion kept off by one of its party standing by
//! stands by too (`walk::blocked`), and stays while within `GATHERED_M`.

use super::crowd::{self, Crowding};
use super::decide::head_for_exit;
use super::line::line_step;
use super::outbox::Outbox;
use super::shopper::{Activity, Company, Route, Shopper, update_zone};
use super::stand_by::Claims;
use super::{RunState, Setting, TickState};
use crate::geom::Point;
use crate::nav::{FlowField, FlowFieldCache, local_field};
use crate::store::{CellId, Store};

/// A companion this close to its leader (straight line, same floor: too
/// close to be on the other side of a shelf) stands by.
const COMPANION_GAP_M: f64 = 0.9;
/// A companion standing by a leader who stands still stays standing by
/// this close to it: a party gathers round its leader, not in a file to
/// it (see `walk::blocked`).
pub(super) const GATHERED_M: f64 = 3.0;
/// A companion nearer the leader's goal than the leader, and this close,
/// waits for the leader to come.
const WAIT_AHEAD_M: f64 = 3.0;
/// How far short of the place at the end of a line its leader set out for,
/// taken since, a companion ahead of it waits, metres.
const SHORT_OF_LINE_M: f64 = 1.0;
/// A companion this close to the door its leader heads out by goes out.
const OUT_AHEAD_M: f64 = 3.0;
/// A companion this close to its place beside a leader in a checkout line
/// steps into the line.
const JOIN_LINE_M: f64 = 1.5;
/// A companion this close to its standing leader, in plain sight on its
/// floor, finds its way within a square of `NEARBY_WINDOW_M` around the
/// leader instead of the whole store.
const NEARBY_M: f64 = 3.0;
const NEARBY_WINDOW_M: f64 = 4.0;
/// A companion this close to a leader stopping at seating or a fitting
/// room stops with it (sits beside it, waits by the cubicle), off the
/// walkway.
const STOP_WITH_M: f64 = 2.0;

/// Companions keep up with their leaders. One whose leader stands in a
/// checkout line stands in it too, behind it; one next to its leader,
/// or a little ahead on the leader's way, stands by; any other walks
/// after the leader, the leader's way (its flow field, so it takes the
/// same stairs). One whose leader has left heads out too.
pub(super) fn follow(tick: &mut TickState, leaders: &mut Leaders) {
    let TickState { setting, shoppers, state } = tick;
    let state = &mut **state;
    let mut shoppers = shoppers.p0();
    leaders.see(shoppers.iter());
    for mut s in &mut shoppers {
        if !matches!((s.leader, s.activity, &s.riding), (Some(_), Activity::Companion(_), None)) {
            continue;
        }
        // A stand-by spot is held while the leader is being served.
        if let Some(spot) = s.stand_by
            && !leaders.of(&s).is_some_and(|l| matches!(l.activity, Activity::Served { .. }))
        {
            state.stand_by.release(spot);
            s.stand_by = None;
        }
        match leaders.of(&s) {
            Some(l) if !matches!(l.activity, Activity::Gone) => keep_up(setting, state, &mut s, l),
            _ => head_for_exit(setting, &mut state.nav, &mut s),
        }
    }
}

/// What its companions read of a leader in `follow`. Leaders are nobody's
/// companions, so what one reads stays as it was all through `follow`: it
/// is read once, before any companion moves (fetching each companion with
/// its leader from the world cost a twentieth of a store-day).
pub(super) struct Leader {
    activity: Activity,
    line_place: usize,
    floor: u8,
    pos: Point,
    cell: CellId,
    riding: bool,
    route: Option<Route>,
}

/// The leaders in the store with companions, by shopper index, as
/// `follow` reads them this tick.
#[derive(Default)]
pub(super) struct Leaders {
    seen: Vec<Option<Leader>>,
    listed: Vec<u32>,
}

impl Leaders {
    /// Reads every leader among `shoppers` (last tick's forgotten).
    fn see<'a>(&mut self, shoppers: impl Iterator<Item = &'a Shopper>) {
        for i in self.listed.drain(..) {
            self.seen[i as usize] = None;
        }
        for l in shoppers.filter(|s| s.companions > 0) {
            let i = l.index as usize;
            if self.seen.len() <= i {
                self.seen.resize_with(i + 1, || None);
            }
            self.seen[i] = Some(Leader {
                activity: l.activity,
                line_place: l.line_place,
                floor: l.floor,
                pos: l.pos,
                cell: l.cell,
                riding: l.riding.is_some(),
                route: l.route.clone(),
            });
            self.listed.push(l.index);
        }
    }

    /// The leader of companion `s`, if it is still in the store.
    fn of(&self, s: &Shopper) -> Option<&Leader> {
        self.seen.get(s.party as usize)?.as_ref()
    }
}

/// A companion `s` keeps up with its leader `l`, who is in the store.
fn keep_up(setting: &Setting, state: &mut RunState, s: &mut Shopper, l: &Leader) {
    let RunState { clock, nav, out, crowd, stand_by, .. } = state;
    match stand_in_line(setting, stand_by, out, clock.t_ms, s, l) {
        InLine::Stands => return,
        InLine::Off => {}
        InLine::Apart { spot, cell } => {
            // Its place in line is walked to, not its leader at the head
            // of it: companions waiting round the leader at the front of a
            // line stand in the walkway past the tills.
            s.activity = Activity::Companion(Company::Following);
            if s.route.as_ref().is_none_or(|r| r.goal != cell) {
                let field = way_to(&setting.store, nav, s, cell, spot);
                s.route = Some(Route::new(field, cell, spot));
            }
            return;
        }
    }
    let apart = if l.floor == s.floor { s.pos.distance(l.pos) } else { f64::INFINITY };
    // It stops where it stands, off the walkway, but not in a line: there
    // those who joined it stood on it for the whole stop; nor on another
    // party's body waiting off the walkway (walking up to its leader on a
    // bench by a till, one stopped on a companion waiting by the till for
    // its own leader). (Else it steps to a free spot by its seated
    // leader, or goes up to it, and stops there.)
    let stopping = matches!(s.activity, Activity::Companion(Company::Stopping));
    if matches!(l.activity, Activity::AtStop { .. })
        && apart <= STOP_WITH_M
        && (stopping || !setting.in_a_line(s.floor, s.pos))
        && !crowd.aside_within(s.party, s.cell, s.pos, crowd::MIN_GAP_M)
    {
        s.route = None;
        s.activity = Activity::Companion(Company::Stopping);
        return;
    }
    // Standing in a line by its seated leader (or on another party's body
    // waiting off the walkway), it steps off to the nearest free spot by
    // the leader and stops there: walking up to a seat beside a line, it
    // was kept short of it on the line's places, and those who joined the
    // line stood on it.
    if matches!(l.activity, Activity::AtStop { .. })
        && apart <= STOP_WITH_M
        && let Some((cell, spot)) = off_the_lines_by(setting, crowd, s, l)
    {
        s.activity = Activity::Companion(Company::Joining);
        if s.route.as_ref().is_none_or(|r| r.goal != cell) {
            let field = way_to(&setting.store, nav, s, cell, spot);
            s.route = Some(Route::new(field, cell, spot));
        }
        return;
    }
    let Some(way) = l.route.as_ref() else {
        // A leader standing still is walked to (not along the
        // companion's old way: companions of one party on different
        // ways each found the other nearer its goal and swapped for
        // ever). Its cell is the way's goal, so nobody is nearer it
        // than the leader: the companion stands by when close, and
        // needs a way only when it walks. One gathered with its party
        // stays where it stands.
        let gathered = matches!(s.activity, Activity::Companion(Company::Beside)) && apart <= GATHERED_M;
        let close = apart <= COMPANION_GAP_M || gathered;
        s.activity = Activity::Companion(if close { Company::Beside } else { Company::Joining });
        s.route = match s.route.take() {
            Some(r) if r.goal == l.cell => Some(r),
            _ if close => None,
            _ => Some(Route::new(way_to(&setting.store, nav, s, l.cell, l.pos), l.cell, l.pos)),
        };
        return;
    };
    // Near the door its leader is heading out by, a companion goes out
    // ahead: waiting for it there, it stood on the exit, and where the way
    // out was narrow nobody else got out (a small shop's rush: 44% of its
    // visitors were still inside at the day's hard end).
    s.activity =
        if matches!(l.activity, Activity::ToExit) && l.floor == s.floor && s.pos.distance(way.point) <= OUT_AHEAD_M {
            Activity::ToExit
        } else {
            // Ahead of a leader heading for a line, it waits short of the place
            // its leader set out for at its end once another party has taken
            // it (off the walkway, in line): walking on, it stood on them.
            let short_of_line = matches!(l.activity, Activity::ToLane { .. })
                && s.pos.distance(way.point) <= SHORT_OF_LINE_M
                && crowd.aside_taken(s.party, way.goal, way.point);
            let waits_ahead =
                way.field[s.cell as usize] < way.field[l.cell as usize] && (apart <= WAIT_AHEAD_M || short_of_line);
            // A leader gone aboard a lift, an escalator or the stairs is
            // followed aboard, however close: standing by its landing would
            // part the party for a whole ride.
            let close = !l.riding && (apart <= COMPANION_GAP_M || waits_ahead);
            Activity::Companion(if close { Company::Beside } else { Company::Following })
        };
    // The same shared way is kept, not copied again, tick after tick.
    if !s.route.as_ref().is_some_and(|own| own.is(way)) {
        s.route = Some(way.clone());
    }
}

/// The centre of the walkable cell nearest companion `s` that lies within
/// `STOP_WITH_M` of its seated leader `l` (short of it by a margin for
/// the steps) in plain sight of it, in no desk's line, with nobody on it
/// nor a body of another party off the walkway within a body's room, and
/// a body's room from where others stand to take a product or to stop,
/// if any. (Nearest alone, it could be behind a fixture, a walk
/// round it away.)
fn off_the_lines_by(setting: &Setting, crowd: &Crowding, s: &Shopper, l: &Leader) -> Option<(CellId, Point)> {
    let store = &setting.store;
    let reach = STOP_WITH_M - store.cell;
    let cells = (reach / store.cell).ceil() as isize;
    let mut free = Vec::new();
    for dy in -cells..=cells {
        for dx in -cells..=cells {
            let at = Point::new(l.pos.x + dx as f64 * store.cell, l.pos.y + dy as f64 * store.cell);
            let Some(cell) = store.cell_at(l.floor, at) else { continue };
            let centre = store.centre(cell).1;
            if store.is_walkable(cell)
                && centre.distance(l.pos) <= reach
                && store.first_blocked(l.floor, l.pos, centre).is_none()
                && !setting.in_a_line(l.floor, centre)
                && crowd.is_free_for(s.index, cell, centre)
                && !crowd.aside_within(s.party, cell, centre, crowd::MIN_GAP_M)
            {
                free.push((centre.distance(s.pos), cell, centre));
            }
        }
    }
    // Nearest first (ties by cell: the same choice on every run).
    free.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    let stood_at = |p: Point| {
        let mut stands = store.stands.iter().flatten().chain(store.stops.iter().map(|stop| &stop.stand));
        stands.any(|stand| store.floor_of(stand.cell) == l.floor && stand.point.distance(p) < crowd::MIN_GAP_M)
    };
    free.into_iter().find(|&(_, _, centre)| !stood_at(centre)).map(|(_, cell, centre)| (cell, centre))
}

/// The field a companion walks to `to` (in `cell`; its standing leader or
/// its place in line) by: one over the floor round it when it is near and
/// in plain sight on the companion's floor (a few metres of walking need
/// not cost a field over the whole store), else the whole.
fn way_to(store: &Store, nav: &mut FlowFieldCache, s: &Shopper, cell: CellId, to: Point) -> FlowField {
    let near = store.centre(cell).0 == s.floor && s.pos.distance(to) <= NEARBY_M;
    if near && store.first_blocked(s.floor, s.pos, to).is_none() {
        return local_field(store, cell, (NEARBY_WINDOW_M / store.cell).ceil() as usize);
    }
    nav.get(store, cell, s.ways)
}

/// Where a companion stands with its leader's line (`stand_in_line`).
enum InLine {
    /// It stands in it.
    Stands,
    /// Its place in line, in `cell`, is too far to step into: it walks there.
    Apart { spot: Point, cell: CellId },
    /// Its leader is in no line on its floor, or has left it for a terminal.
    Off,
}

/// Where the `k`-th companion (its place in the party) of `l`, served at
/// a terminal of `lane`, waits: the stand-by spot it holds, else one it
/// takes now (`stand_by::Spots::free_for`); `None` while the leader is
/// not at a terminal, or where every spot near its terminal is held.
fn by_terminal(setting: &Setting, claims: &mut Claims, l: &Leader, lane: usize, s: &mut Shopper) -> Option<Point> {
    if s.stand_by.is_none() {
        let terminal = setting.desks[lane].terminals.iter().position(|&t| t == l.pos)?;
        let spot = setting.tables.stand_by.free_for(claims, lane, terminal, (s.index - s.party) as usize)?;
        claims.take(spot);
        s.stand_by = Some(spot);
    }
    s.stand_by
}

/// A companion whose leader is in a line (a checkout's or a counter's) on
/// its floor stands in it too, the k-th (companions are the indices after
/// their leader's) k places behind the leader's place (its party took
/// them), once it is within `JOIN_LINE_M` of its place. (Behind a leader
/// switching lines, k places behind it on its way.) One in line that
/// cannot step closer stays where it is, in line. Once the leader is
/// called to a terminal, its companions step out of the line to wait at a
/// stand-by spot by it (`by_terminal`: past or beside it, or another
/// free one near), walking round anything between.
fn stand_in_line(
    setting: &Setting,
    claims: &mut Claims,
    out: &mut Outbox,
    t_ms: u64,
    s: &mut Shopper,
    l: &Leader,
) -> InLine {
    let Some(lane) = l.activity.queueing_at() else { return InLine::Off };
    if l.floor != s.floor {
        return InLine::Off;
    }
    let store = &setting.store;
    let dt = setting.scenario.run.tick_ms as f64 / 1000.0;
    let behind = (s.index - s.party) as usize;
    let in_line = matches!(s.activity, Activity::Companion(Company::InLine));
    let spot = match l.activity {
        Activity::Queued { .. } => setting.line_place(lane as usize, l.line_place + behind),
        // Called to a terminal, the leader has left the line and its places
        // went to those behind (its companions stood on the next in line's):
        // they step out of it to wait by the leader.
        // (Until the leader stands at its terminal, in line where it stood.)
        Activity::Served { at_terminal: false, .. } if in_line => return InLine::Stands,
        Activity::Served { .. } => match by_terminal(setting, claims, l, lane as usize, s) {
            Some(spot) => spot,
            None => return InLine::Off,
        },
        // A leader switching lines walks to the other: they walk after it
        // (stepping straight at a point behind it, they slid over
        // fixtures' faces on the way).
        _ => return InLine::Off,
    };
    let walk_there = || {
        let walkable = store.cell_at(s.floor, spot).filter(|&c| store.is_walkable(c));
        walkable.map_or(InLine::Off, |cell| InLine::Apart { spot, cell })
    };
    if !in_line && s.pos.distance(spot) > JOIN_LINE_M {
        return walk_there();
    }
    // Out of the line to wait by the terminal, kept from it by a wall or a
    // fixture (a line bent through a doorway): it walks round. (Sliding
    // along the wall into a corner, two stood there all day.)
    let kept = |to: Option<(Point, CellId)>| to.is_none_or(|(to, _)| to == s.pos && to != spot);
    match line_step(&setting.tables.footprints, store, s.floor, s.pos, spot, s.speed * dt) {
        to if kept(to) && matches!(l.activity, Activity::Served { .. }) => return walk_there(),
        Some((to, cell)) => (s.pos, s.cell) = (to, cell),
        None if in_line => {}
        None => return InLine::Off,
    }
    s.route = None;
    s.activity = Activity::Companion(Company::InLine);
    update_zone(store, out, t_ms, s);
    InLine::Stands
}
