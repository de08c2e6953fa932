//! How one in a line moves: along the line's places, or called from it to
//! a terminal. A line's members stand close on purpose, off the walkway, so
//! they step straight at their place (`line_step`), never into a fixture or
//! wall; where fixtures stand between one and its place and a straight step
//! makes no headway (a line that bends round a gondola, and one called from
//! far back in it), it walks round them by the flow field (`step_in_line`).

use super::Setting;
use super::shopper::{Route, Shopper};
use crate::geom::{Point, Rect};
use crate::nav::{FlowFieldCache, Step};
use crate::scenario::Scenario;
use crate::store::{CellId, Store};

/// How far from a target inside a fixture's footprint (a service point on
/// its counter) the walkable cell nearest it is looked for, metres.
const NEAREST_FLOOR_M: f64 = 2.0;

/// A step of at most `stride` metres of `s`, in a line or called from it,
/// towards `target`: straight (`line_step`) while that makes headway; else,
/// by the flow field to the walkable cell nearest `target`, held in the
/// shopper's route until the way straight to `target` is clear of
/// fixtures and the straight step has a body's room (stepping straight
/// again at the first clear sight would lead it back into the pocket it
/// left). `None`: it stays where it is.
pub(super) fn step_in_line(
    setting: &Setting,
    nav: &mut FlowFieldCache,
    s: &mut Shopper,
    target: Point,
    stride: f64,
) -> Option<(Point, CellId)> {
    let (store, footprints) = (&setting.store, &setting.tables.footprints);
    if s.route.is_some() {
        // Clear means a straight step too: where a wall's end leaves the
        // line between clear but no body's room beside it, one let go of
        // its route there stepped sideways back behind the wall, took the
        // route again, and did so all day before a free till.
        let straight = || {
            footprints.clear_between(store, s.floor, s.pos, target)
                && steps_straight(footprints, store, s.floor, s.pos, target, stride)
        };
        if !straight()
            && let Some(step) = detour_step(store, s, stride)
        {
            return Some(step);
        }
        s.route = None;
    }
    match line_step(footprints, store, s.floor, s.pos, target, stride) {
        Some((to, cell)) if to != s.pos || to == target => Some((to, cell)),
        _ => {
            // No headway: round what stands in the way.
            let goal = store.nearest_walkable(s.floor, target, NEAREST_FLOOR_M)?;
            s.route = Some(Route::new(nav.get(store, goal, s.ways), goal, target));
            let step = detour_step(store, s, stride);
            if step.is_none() {
                s.route = None;
            }
            step
        }
    }
}

/// A step along the route `s` holds: from a cell a fixture grazes, onto
/// the nearest open floor first (`Store::open_floor_near`).
fn detour_step(store: &Store, s: &mut Shopper, stride: f64) -> Option<(Point, CellId)> {
    let n = if store.is_walkable(s.cell) {
        let route = s.route.as_mut()?;
        let Step::Walk(n) = route.next_step(store, s.cell, s.ways) else { return None };
        n
    } else {
        store.open_floor_near(s.floor, s.pos)?
    };
    let to = s.pos.towards(store.centre(n).1, stride);
    Some((to, store.cell_at(s.floor, to)?))
}

/// A step of at most `stride` metres from `from` towards `target` in a
/// line that never enters a fixture or wall: straight, or (where that
/// would cut a fixture's corner, as for one who joined the line standing
/// off it) along x or y alone, whichever stays clear; `None` when neither
/// does. A line runs over walkable floor, but its members stand anywhere
/// on it: clear, a body keeps as far from fixtures, walls and the store's
/// edge as a walker at a cell's centre (`Footprints::clearance`), or as
/// the target does where that is nearer, and never comes nearer than it
/// stands (half a body on a gondola's face, a line bending round it slid
/// along the face).
pub(super) fn line_step(
    footprints: &Footprints,
    store: &Store,
    floor: u8,
    from: Point,
    target: Point,
    stride: f64,
) -> Option<(Point, CellId)> {
    let towards = |d: f64| d.clamp(-stride, stride);
    [
        from.towards(target, stride),
        Point::new(from.x + towards(target.x - from.x), from.y),
        Point::new(from.x, from.y + towards(target.y - from.y)),
    ]
    .into_iter()
    .find_map(|p| footprints.room_at(store, floor, from, target, p))
}

/// Whether `line_step` takes the straight step.
fn steps_straight(footprints: &Footprints, store: &Store, floor: u8, from: Point, target: Point, stride: f64) -> bool {
    footprints.room_at(store, floor, from, target, from.towards(target, stride)).is_some()
}

/// The fixtures' and walls' rectangles over each cell that is not walkable,
/// tabled once: a line step landing in a cell a fixture grazes tests the
/// few rectangles there, not every one on the floor (linear in a store's
/// fixtures, for every queued shopper every tick).
pub(super) struct Footprints {
    rects: Vec<Rect>,
    /// The floor's extent: its edges are walls too.
    bounds: Rect,
    /// How far from them a body at a walkable cell's centre stays at least
    /// (`Store::walker_room`), metres.
    room: f64,
    /// Per cell, whether it and its eight neighbours are walkable floor
    /// inside the store: from any point in it, everything is a cell away.
    open: Vec<bool>,
    /// Per cell, `of[start[c]..start[c + 1]]`: indices into `rects`.
    start: Vec<u32>,
    of: Vec<u32>,
}

impl Footprints {
    pub(super) fn new(sc: &Scenario, store: &Store) -> Footprints {
        let rects: Vec<(u8, Rect)> = sc.obstacles().collect();
        // A cell a rectangle may hold a point of: those it overlaps and, for
        // rounding at the edges, one more all round.
        let span = |lo: f64, hi: f64, n: usize| {
            let index = |v: f64| (v / store.cell).floor() as isize;
            let first = (index(lo) - 1).max(0);
            let last = (index(hi) + 1).min(n as isize - 1);
            first as usize..(last + 1).max(first) as usize
        };
        let mut pairs: Vec<(CellId, u32)> = Vec::new();
        for (i, &(floor, r)) in rects.iter().enumerate() {
            for iy in span(r.min.y, r.max.y, store.ny) {
                for ix in span(r.min.x, r.max.x, store.nx) {
                    let c = store.id(floor, ix, iy);
                    if !store.is_walkable(c) {
                        pairs.push((c, i as u32));
                    }
                }
            }
        }
        pairs.sort_unstable();
        let mut start = Vec::with_capacity(store.cell_count() + 1);
        let mut k = 0;
        for c in 0..=store.cell_count() as CellId {
            while k < pairs.len() && pairs[k].0 < c {
                k += 1;
            }
            start.push(k as u32);
        }
        let of = pairs.into_iter().map(|(_, i)| i).collect();
        let bounds = sc.store.bounds();
        let open = (0..store.cell_count() as CellId)
            .map(|c| {
                let (floor, (ix, iy)) = (store.floor_of(c), store.column_row(c));
                let inside = ix >= 1
                    && iy >= 1
                    && (ix + 2) as f64 * store.cell <= bounds.max.x
                    && (iy + 2) as f64 * store.cell <= bounds.max.y;
                inside && (iy - 1..=iy + 1).all(|y| (ix - 1..=ix + 1).all(|x| store.is_walkable(store.id(floor, x, y))))
            })
            .collect();
        Footprints {
            rects: rects.into_iter().map(|(_, r)| r).collect(),
            bounds,
            room: store.walker_room(),
            open,
            start,
            of,
        }
    }

    /// `p`, in its cell, if one stepping from `from` towards `target` may
    /// stand there (`line_step`): not in a fixture or wall, and as far from
    /// them as a walker at a cell's centre, or as `from` or `target` is
    /// where that is nearer.
    fn room_at(&self, store: &Store, floor: u8, from: Point, target: Point, p: Point) -> Option<(Point, CellId)> {
        let c = store.cell_at(floor, p)?;
        if !store.is_walkable(c) && self.cover(c, p) {
            return None;
        }
        // The least room is needed only for a point with less than a
        // walker's (most stand farther from any fixture).
        let room = self.clearance(store, floor, p);
        let least = || self.clearance(store, floor, target).min(self.clearance(store, floor, from));
        (room >= self.room || room >= least()).then_some((p, c))
    }

    /// Whether a body may walk the segment `a`–`b` straight: no fixture or
    /// wall comes nearer it than a walker keeps, or than `a` or `b` stands
    /// where that is nearer (as `room_at` asks of one step). The
    /// rectangles tabled round each point sampled every half cell (as
    /// `Store::first_blocked` samples floor) are clipped against the whole
    /// segment. (Tested at the samples alone, a wall thinner than the
    /// sampling was stepped over; and a way clear past a wall's end by a
    /// hair was taken, its steps slid back along the wall: one called to a
    /// till behind a 0.1 m wall let go of its way round there and stood by
    /// the wall all day.)
    pub(super) fn clear_between(&self, store: &Store, floor: u8, a: Point, b: Point) -> bool {
        let margin = self.room.min(self.clearance(store, floor, a)).min(self.clearance(store, floor, b)) * (1.0 - 1e-9);
        a.samples_to(b, store.cell / 2.0).all(|p| {
            let Some(c) = store.cell_at(floor, p) else { return false };
            let (ix, iy) = store.column_row(c);
            let xs = ix.saturating_sub(1)..=(ix + 1).min(store.nx - 1);
            let ys = iy.saturating_sub(1)..=(iy + 1).min(store.ny - 1);
            let near = ys.flat_map(|y| xs.clone().map(move |x| (x, y))).map(|(x, y)| store.id(floor, x, y) as usize);
            let mut rects = near.flat_map(|n| &self.of[self.start[n] as usize..self.start[n + 1] as usize]);
            rects.all(|&i| self.rects[i as usize].inflate(margin).entered_at(a, b).is_none())
        })
    }

    /// How far `p` on `floor` is from the nearest fixture, wall or edge of
    /// the store, up to the room a walker keeps (`room`; farther reads as
    /// that). Only rectangles tabled on non-walkable cells within that
    /// distance can be nearer.
    pub(super) fn clearance(&self, store: &Store, floor: u8, p: Point) -> f64 {
        if store.cell_at(floor, p).is_some_and(|c| self.open[c as usize]) {
            return self.room;
        }
        let b = &self.bounds;
        let edge = (p.x - b.min.x).min(b.max.x - p.x).min(p.y - b.min.y).min(b.max.y - p.y);
        let mut nearest = edge.clamp(0.0, self.room);
        let index = |v: f64| (v / store.cell).floor().max(0.0) as usize;
        let (x0, x1) = (index(p.x - self.room), index(p.x + self.room).min(store.nx - 1));
        let (y0, y1) = (index(p.y - self.room), index(p.y + self.room).min(store.ny - 1));
        for iy in y0..=y1 {
            for ix in x0..=x1 {
                let c = store.id(floor, ix, iy) as usize;
                for &i in &self.of[self.start[c] as usize..self.start[c + 1] as usize] {
                    nearest = nearest.min(self.rects[i as usize].distance_to(p));
                }
            }
        }
        nearest
    }

    /// Whether a fixture or wall covers `p`, a point in `cell`.
    fn cover(&self, cell: CellId, p: Point) -> bool {
        let here = &self.of[self.start[cell as usize] as usize..self.start[cell as usize + 1] as usize];
        here.iter().any(|&i| self.rects[i as usize].contains(p))
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::scenario::ScenarioFile;

    /// The table of footprints by cell (and of open cells) answers as a
    /// scan of every fixture and wall on the floor does, what covers a
    /// point and how far it is from them, at random points and at every
    /// corner and edge midpoint of every rectangle (where a point rounds
    /// into the next cell), on every shipped layout.
    #[test]
    fn footprints_by_cell_cover_and_clear_what_a_scan_of_every_rectangle_does() {
        use rand::{RngExt, SeedableRng};
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(5);
        for (name, p) in crate::shipped_layouts() {
            let (sc, store) = (&p.scenario, &p.store);
            let footprints = Footprints::new(sc, store);
            let rects: Vec<(u8, Rect)> = sc.obstacles().collect();
            let scan = |floor: u8, p: Point| rects.iter().any(|&(f, r)| f == floor && r.contains(p));
            let mut points: Vec<(u8, Point)> = Vec::new();
            for &(floor, r) in &rects {
                let (mx, my) = ((r.min.x + r.max.x) / 2.0, (r.min.y + r.max.y) / 2.0);
                for x in [r.min.x, mx, r.max.x] {
                    for y in [r.min.y, my, r.max.y] {
                        points.push((floor, Point::new(x, y)));
                    }
                }
            }
            let (w, d) = (store.nx as f64 * store.cell, store.ny as f64 * store.cell);
            for _ in 0..20_000 {
                let floor = rng.random_range(0..store.floors) as u8;
                points.push((floor, Point::new(rng.random_range(0.0..w), rng.random_range(0.0..d))));
            }
            // Clearance as a scan of every rectangle and the store's edges
            // gives it, capped at a walker's room.
            let bounds = sc.store.bounds();
            let scan_clearance = |floor: u8, p: Point| {
                let edge = (p.x - bounds.min.x).min(bounds.max.x - p.x).min(p.y - bounds.min.y).min(bounds.max.y - p.y);
                rects
                    .iter()
                    .filter(|(f, _)| *f == floor)
                    .map(|(_, r)| r.distance_to(p))
                    .fold(edge.clamp(0.0, footprints.room), f64::min)
            };
            let mut covered = 0;
            for (floor, p) in points {
                let Some(c) = store.cell_at(floor, p) else { continue };
                let clearance = footprints.clearance(store, floor, p);
                assert_eq!(clearance, scan_clearance(floor, p), "{name}: clearance at floor {floor}, {p:?}");
                if store.is_walkable(c) {
                    continue;
                }
                assert_eq!(footprints.cover(c, p), scan(floor, p), "{name}: floor {floor}, {p:?}");
                covered += scan(floor, p) as usize;
            }
            assert!(covered > 100, "{name}: only {covered} points under a footprint");
        }
    }

    /// Whether a body may walk a segment straight, by the tabled
    /// rectangles round its sampled points, answers as clipping it against
    /// every fixture and wall on the floor (each widened by the room the
    /// segment's ends allow) does: on every shipped layout and the two
    /// test stores with walls, for random segments up to 4 m and for
    /// segments across each wall and fixture's edges, a 0.1 m wall among
    /// them.
    #[test]
    fn a_straight_way_is_clear_exactly_when_no_widened_rectangle_meets_it() {
        use rand::{RngExt, SeedableRng};
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(11);
        let mut layouts = crate::shipped_layouts();
        for file in ["wall_end_by_line", "line_through_doorway"] {
            let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("tests/data/{file}.toml"));
            layouts.push((file, crate::prepare(&ScenarioFile::read(&path).unwrap(), "baseline").unwrap()));
        }
        let (mut clear, mut blocked) = (0, 0);
        for (name, p) in &layouts {
            let (sc, store) = (&p.scenario, &p.store);
            let footprints = Footprints::new(sc, store);
            let rects: Vec<(u8, Rect)> = sc.obstacles().collect();
            let (w, d) = (store.nx as f64 * store.cell, store.ny as f64 * store.cell);
            let mut segments: Vec<(u8, Point, Point)> = Vec::new();
            for &(floor, r) in &rects {
                let centre = Point::new((r.min.x + r.max.x) / 2.0, (r.min.y + r.max.y) / 2.0);
                for _ in 0..4 {
                    let a = centre.offset(rng.random_range(-2.0..2.0), rng.random_range(-2.0..2.0));
                    let b = Point::new(2.0 * centre.x - a.x, 2.0 * centre.y - a.y);
                    segments.push((floor, a, b));
                }
            }
            for _ in 0..5_000 {
                let floor = rng.random_range(0..store.floors) as u8;
                let a = Point::new(rng.random_range(0.0..w), rng.random_range(0.0..d));
                segments.push((floor, a, a.offset(rng.random_range(-4.0..4.0), rng.random_range(-4.0..4.0))));
            }
            for (floor, a, b) in segments {
                let inside = |p: Point| p.x > 0.0 && p.y > 0.0 && p.x < w && p.y < d;
                if !inside(a) || !inside(b) {
                    continue;
                }
                let margin = footprints
                    .room
                    .min(footprints.clearance(store, floor, a))
                    .min(footprints.clearance(store, floor, b))
                    * (1.0 - 1e-9);
                let scan = rects
                    .iter()
                    .filter(|(f, _)| *f == floor)
                    .all(|(_, r)| r.inflate(margin).entered_at(a, b).is_none());
                let tabled = footprints.clear_between(store, floor, a, b);
                assert_eq!(tabled, scan, "{name}: floor {floor}, {a:?} to {b:?}");
                if scan { clear += 1 } else { blocked += 1 }
            }
        }
        assert!(clear > 1_000 && blocked > 1_000, "{clear} clear, {blocked} blocked");
    }

    #[test]
    fn one_joining_a_line_off_it_walks_round_the_counter_not_through_it() {
        // The department store's first till: counter C1 spans x 9.1..9.7,
        // y 0.8..2.4; lane L1 is served at (10.0, 1.6). A shopper that joined
        // the line standing at (9.39, 2.97) heads straight for the till,
        // over the counter's corner.
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/department.toml");
        let p = crate::prepare(&ScenarioFile::read(&path).unwrap(), "baseline").unwrap();
        let (mut at, till) = (Point::new(9.388, 2.967), Point::new(10.0, 1.6));
        let c1 = p.scenario.fixtures.iter().find(|f| f.id == "C1").unwrap().footprint();
        let footprints = Footprints::new(&p.scenario, &p.store);
        for _ in 0..100 {
            let Some((next, cell)) = line_step(&footprints, &p.store, 0, at, till, 0.12) else {
                panic!("stuck at {at:?}")
            };
            assert!(!c1.contains(next), "stepped into the counter at {next:?}");
            assert_eq!(p.store.cell_at(0, next), Some(cell));
            at = next;
        }
        assert_eq!(at, till, "it reaches the till");
    }
}
