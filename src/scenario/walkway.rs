//! Walkways too narrow to pass: the clear width between two fixtures, a
//! fixture and a wall, or a fixture and the edge of the store, when it is
//! wider than a grid cell (narrower slots hold no floor to walk on) and
//! less than the scenario's `store.min_walkway_m`. The default is the
//! minimum clear width of an accessible route in the 2010 ADA Standards
//! for Accessible Design, §403.5.1 (36 in, 915 mm), rounded to 0.9 m; a
//! shopper with a trolley or a wheelchair cannot pass a narrower one, and
//! two shoppers cannot pass each other in it. A gap narrower than a body
//! (`BODY_WIDTH_M`) holds no walkway at all: the store closes its floor
//! (`body_slots`), so nobody walks or stands in it.

use std::fmt;

use super::model::Scenario;
use crate::geom::{Point, Rect};

/// `store.min_walkway_m` when the scenario does not set it.
pub const DEFAULT_MIN_WALKWAY_M: f64 = 0.9;

/// Far below any width a layout means: what floating-point sums leave over.
const ROUNDING_M: f64 = 1e-9;

/// The narrowest gap a shopper passes through: a body's width, two radii
/// of the discs the crowd keeps apart.
pub const BODY_WIDTH_M: f64 = super::MIN_TERMINAL_GAP_M;

/// A walkway narrower than the minimum.
#[derive(Debug, Clone, PartialEq)]
pub struct Narrow {
    pub floor: String,
    /// What bounds it on either side (`fixture `G1``, `wall 2`, `the north edge`).
    pub between: (String, String),
    pub width_m: f64,
    pub min_m: f64,
    /// Its floor's index, and the floor between the two across their clear width.
    pub floor_index: u8,
    pub gap: Rect,
    /// Closed at one end and no deeper than `RECESS_M`: stepped into, not walked along.
    pub recess: bool,
}

impl Narrow {
    /// Too narrow for a body: the store closes its floor.
    pub fn closed(&self) -> bool {
        self.width_m < BODY_WIDTH_M - ROUNDING_M
    }

    /// The floor to close: the gap, or, where its two sides meet only at
    /// a line (corners level with each other, a pinch between them), a
    /// sliver across that line, so the cells on either side of the pinch
    /// close (a gap of no area closed none).
    pub fn floor_to_close(&self) -> Rect {
        const SLIVER_M: f64 = 1e-6;
        let (mut min, mut max) = (self.gap.min, self.gap.max);
        if max.x - min.x < SLIVER_M {
            (min.x, max.x) = (min.x - SLIVER_M, max.x + SLIVER_M);
        }
        if max.y - min.y < SLIVER_M {
            (min.y, max.y) = (min.y - SLIVER_M, max.y + SLIVER_M);
        }
        Rect { min, max }
    }
}

/// Where `min_m` comes from: the default is the accessible route's width;
/// another is the scenario's own.
fn minimum_said(min_m: f64) -> &'static str {
    if min_m == DEFAULT_MIN_WALKWAY_M {
        "the default store.min_walkway_m: an accessible route, ADA 2010 §403.5.1"
    } else {
        "the scenario's store.min_walkway_m"
    }
}

impl fmt::Display for Narrow {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let minimum = minimum_said(self.min_m);
        if self.closed() {
            return write!(
                f,
                "floor `{}`: {} and {} leave a gap {:.2} m wide, too narrow for a body ({BODY_WIDTH_M:.2} m): \
                 nobody walks or stands in it (its floor is closed), and a shelf facing into it is picked from \
                 its ends, where there is floor within reach; close it, or move them at least {BODY_WIDTH_M:.2} m \
                 apart if shoppers should pass",
                self.floor, self.between.0, self.between.1, self.width_m
            );
        }
        write!(
            f,
            "floor `{}`: {} and {} leave a walkway {:.2} m wide, narrower than {:.2} m ({minimum}); move them \
             apart or set store.min_walkway_m",
            self.floor, self.between.0, self.between.1, self.width_m, self.min_m
        )
    }
}

/// What `aisle validate` says of `narrows`, a warning per passage: the
/// narrow walkways on one floor whose gaps meet are one passage, named by
/// everything that bounds it, at its narrowest (a corridor between two
/// walls, with its two mouths and four corners, was seven warnings). A gap
/// too narrow for a body is told alone: its floor is closed.
pub fn passage_warnings(narrows: &[Narrow]) -> Vec<String> {
    const TOUCHING_M: f64 = 1e-6;
    let meet = |a: &Rect, b: &Rect| {
        a.min.x <= b.max.x + TOUCHING_M
            && b.min.x <= a.max.x + TOUCHING_M
            && a.min.y <= b.max.y + TOUCHING_M
            && b.min.y <= a.max.y + TOUCHING_M
    };
    // Each narrow walkway's passage: the first of those its gap meets, through any chain of them.
    let mut passage: Vec<usize> = (0..narrows.len()).collect();
    let root = |passage: &[usize], mut i: usize| {
        while passage[i] != i {
            i = passage[i];
        }
        i
    };
    for (i, a) in narrows.iter().enumerate() {
        for (j, b) in narrows.iter().enumerate().take(i) {
            if !a.closed() && !b.closed() && a.floor_index == b.floor_index && meet(&a.gap, &b.gap) {
                let (ra, rb) = (root(&passage, i), root(&passage, j));
                passage[ra.max(rb)] = ra.min(rb);
            }
        }
    }
    let mut said = Vec::new();
    for first in (0..narrows.len()).filter(|&i| root(&passage, i) == i) {
        let members: Vec<&Narrow> =
            (0..narrows.len()).filter(|&i| root(&passage, i) == first).map(|i| &narrows[i]).collect();
        let [one] = members.as_slice() else {
            let mut names: Vec<&str> = Vec::new();
            for n in &members {
                for name in [n.between.0.as_str(), n.between.1.as_str()] {
                    if !names.contains(&name) {
                        names.push(name);
                    }
                }
            }
            // Fixtures as met, then walls by number, then the store's edges.
            names.sort_by_key(|name| match name.strip_prefix("wall ").and_then(|k| k.parse::<usize>().ok()) {
                Some(k) => (1, k),
                None => (if name.starts_with("fixture") { 0 } else { 2 }, 0),
            });
            let (last, rest) = names.split_last().expect("a passage has sides");
            let narrowest = members.iter().map(|n| n.width_m).fold(f64::INFINITY, f64::min);
            let min_m = members[0].min_m;
            said.push(format!(
                "floor `{}`: {} and {last} leave a passage {narrowest:.2} m wide at its narrowest, narrower than \
                 {min_m:.2} m ({}); move them apart or set store.min_walkway_m",
                members[0].floor,
                rest.join(", "),
                minimum_said(min_m)
            ));
            continue;
        };
        said.push(one.to_string());
    }
    said
}

/// The clear width between two rectangles side by side or corner to corner;
/// `None` when they overlap or touch (no wider than `touching`: a gap
/// narrower than a grid cell holds no walkable floor, a join or a slot,
/// not a walkway; a fixed 0.25 m let 0.2 m slots on a 0.1 m grid, where
/// shoppers stood, pass unwarned).
fn clear_width(a: &Rect, b: &Rect, touching: f64) -> Option<f64> {
    let dx = (b.min.x - a.max.x).max(a.min.x - b.max.x);
    let dy = (b.min.y - a.max.y).max(a.min.y - b.max.y);
    let width = match (dx > 0.0, dy > 0.0) {
        (true, true) => dx.hypot(dy),
        (true, false) => dx,
        (false, true) => dy,
        (false, false) => return None,
    };
    // A gap of one cell holds a row of floor where the grid lines up
    // with it: shoppers walked 2.6 m into a 0.25 m slot on a 0.25 m grid.
    (width > touching - ROUNDING_M).then_some(width)
}

/// Whether `r` stands across the whole length of `gap` (which runs along
/// y when `along_y`), inside its width: the walkways are then on either
/// side of `r`, each measured on its own (a gondola 0.25 m from a wall
/// shelf read as 0.75 m from the wall behind the shelf).
fn crosses(gap: &Rect, r: &Rect, along_y: bool) -> bool {
    let length = |p: Point| if along_y { p.y } else { p.x };
    let width = |p: Point| if along_y { p.x } else { p.y };
    let spans = length(r.min) <= length(gap.min) + ROUNDING_M && length(r.max) >= length(gap.max) - ROUNDING_M;
    let inside = width(r.max) > width(gap.min) + ROUNDING_M && width(r.min) < width(gap.max) - ROUNDING_M;
    spans && inside
}

/// The floor between `a` and `b` across their clear width: along x and y,
/// the span between them where they are apart, else the span both cover.
fn gap_between(a: &Rect, b: &Rect) -> Rect {
    let span = |a0: f64, a1: f64, b0: f64, b1: f64| {
        if b0 > a1 {
            (a1, b0)
        } else if a0 > b1 {
            (b1, a0)
        } else {
            (a0.max(b0), a1.min(b1))
        }
    };
    let (x0, x1) = span(a.min.x, a.max.x, b.min.x, b.max.x);
    let (y0, y1) = span(a.min.y, a.max.y, b.min.y, b.max.y);
    Rect { min: Point::new(x0, y0), max: Point::new(x1, y1) }
}

/// Spacing of the points a gap is sampled at to see whether other things fill it.
const SAMPLE_M: f64 = 0.05;

/// Whether `others` fill all of `gap`: no walkway runs there (a shelf run
/// along a wall fills the slot between the wall and the gondolas that
/// butt onto the shelf).
fn filled<'a>(gap: &Rect, others: impl Iterator<Item = &'a Rect> + Clone) -> bool {
    let steps = |len: f64| ((len / SAMPLE_M).ceil() as usize).max(1);
    let (w, h) = (gap.max.x - gap.min.x, gap.max.y - gap.min.y);
    let (nx, ny) = (steps(w), steps(h));
    (0..nx).all(|i| {
        (0..ny).all(|j| {
            let p =
                Point::new(gap.min.x + w * (i as f64 + 0.5) / nx as f64, gap.min.y + h * (j as f64 + 0.5) / ny as f64);
            others.clone().any(|r| r.contains(p))
        })
    })
}

/// A wall of the file as warnings name it: its floor, its number (as
/// walkway warnings number them) and its two ends.
fn wall_named(k: usize, w: &crate::scenario::raw::RawWall) -> String {
    format!("floor `{}`: wall {} from ({}, {}) to ({}, {})", w.floor, k + 1, w.from[0], w.from[1], w.to[0], w.to[1])
}

/// Walls of the file drawn neither along x nor along y: a wall is the
/// rectangle round its two ends, so a diagonal one blocks that whole box
/// (documented, but easy to miss). Numbered as walkway warnings number them.
pub fn diagonal_walls(raw: &crate::scenario::raw::RawScenario) -> Vec<String> {
    raw.store
        .walls
        .iter()
        .enumerate()
        .filter(|(_, w)| w.from[0] != w.to[0] && w.from[1] != w.to[1])
        .map(|(k, w)| {
            let (dx, dy) = ((w.to[0] - w.from[0]).abs(), (w.to[1] - w.from[1]).abs());
            format!(
                "{} runs neither along x nor along y: it blocks the whole {dx} × {dy} m box between its ends; draw it \
                 as walls along x and y",
                wall_named(k, w)
            )
        })
        .collect()
}

/// Walls with no length (both ends at one point): such a wall blocks only
/// a square of its thickness, surely not what was drawn.
pub fn walls_without_length(raw: &crate::scenario::raw::RawScenario) -> Vec<String> {
    raw.store
        .walls
        .iter()
        .enumerate()
        .filter(|(_, w)| w.from == w.to)
        .map(|(k, w)| {
            format!(
                "{} has no length: it blocks only a square of its thickness; give its ends apart, or remove it",
                wall_named(k, w)
            )
        })
        .collect()
}

/// How far from the outline (the store's edge or a wall) an entrance may
/// stand before it is warned of: a door is in the outline.
const ENTRANCE_FROM_OUTLINE_M: f64 = 1.5;

/// Entrances far from the store's edge and from every wall on their floor:
/// shoppers appear there, in the middle of the floor.
pub fn entrances_off_the_outline(s: &Scenario) -> Vec<String> {
    let b = s.store.bounds();
    s.entrances
        .iter()
        .filter_map(|e| {
            let p = e.at;
            let to_edge = (p.x - b.min.x).min(b.max.x - p.x).min(p.y - b.min.y).min(b.max.y - p.y);
            let to_wall = s.store.walls.iter().filter(|w| w.floor == e.floor).map(|w| w.footprint.distance_to(p));
            let nearest = to_wall.fold(to_edge, f64::min);
            (nearest > ENTRANCE_FROM_OUTLINE_M).then(|| {
                format!(
                    "entrance `{}` at ({}, {}) is {nearest:.1} m from the store's edge and every wall: shoppers appear \
                     there, in the middle of the floor; put it in the outline",
                    e.id, p.x, p.y
                )
            })
        })
        .collect()
}

/// Walls of the file running through a fixture of `s` (not merely along
/// its side, as a shelf backed onto a wall is): a gondola straddling a
/// wall, half its shelves on each side, is valid but hardly meant.
/// Numbered as walkway warnings number them.
pub fn walls_through_fixtures(raw: &crate::scenario::raw::RawScenario, s: &Scenario) -> Vec<String> {
    let mut found = Vec::new();
    for (k, (wall, raw_wall)) in s.store.walls.iter().zip(&raw.store.walls).enumerate() {
        let line = Rect::from_corners(raw_wall.from.into(), raw_wall.to.into());
        for f in s.fixtures.iter().filter(|f| f.floor == wall.floor && runs_through(&line, &f.footprint())) {
            found.push(format!(
                "{} runs through fixture `{}`: move the fixture to one side of it, or end the wall at the fixture",
                wall_named(k, raw_wall),
                f.id
            ));
        }
    }
    found
}

/// Whether the centre `line` of a wall (a rectangle of no width) crosses
/// the inside of `fp`, not merely its edge.
fn runs_through(line: &Rect, fp: &Rect) -> bool {
    const EDGE_M: f64 = 0.01;
    let inner = fp.inflate(-EDGE_M);
    let x = line.max.x.min(inner.max.x) - line.min.x.max(inner.min.x);
    let y = line.max.y.min(inner.max.y) - line.min.y.max(inner.min.y);
    x >= 0.0 && y >= 0.0 && x + y > 0.0
}

/// Deepest a recess closed at its far end may be and still be no walkway:
/// a shopper steps into it, nobody walks along it (wall shelves standing
/// end to end with a hand's width between them leave such recesses all
/// along a store's edge).
const RECESS_M: f64 = 1.0;

/// Whether `gap`, which runs along y when `along_y` (else along x), is a
/// recess: no longer than `RECESS_M` and closed at one end by the store's
/// edge or by what stands there (`solid`, filling the end).
fn recess<'a>(gap: &Rect, along_y: bool, bounds: &Rect, solid: impl Iterator<Item = &'a Rect> + Clone) -> bool {
    let (lo, hi, out_lo, out_hi) = match along_y {
        true => (gap.min.y, gap.max.y, bounds.min.y, bounds.max.y),
        false => (gap.min.x, gap.max.x, bounds.min.x, bounds.max.x),
    };
    if hi - lo > RECESS_M + ROUNDING_M {
        return false;
    }
    // Just past each end, across the gap's whole width.
    let past = |from: f64, to: f64| match along_y {
        true => Rect { min: Point::new(gap.min.x, from), max: Point::new(gap.max.x, to) },
        false => Rect { min: Point::new(from, gap.min.y), max: Point::new(to, gap.max.y) },
    };
    let closed = |edge_reached: bool, end: Rect| edge_reached || filled(&end, solid.clone());
    closed(lo <= out_lo + ROUNDING_M, past(lo - SAMPLE_M, lo))
        || closed(hi >= out_hi - ROUNDING_M, past(hi, hi + SAMPLE_M))
}

/// Every walkway of `s` narrower than its `store.min_walkway_m` (recesses
/// are no walkways), and every gap closed for being narrower than a body
/// (recesses too, whatever the minimum), each pair once.
/// A gap narrower than a grid cell is told too where a face in use
/// looks into it (a 0.15 m gap between a gondola's stocked back and a
/// bench's seats on the default grid passed unsaid, though both were used
/// from its ends).
pub fn narrow_walkways(s: &Scenario) -> Vec<Narrow> {
    let min_m = s.store.min_walkway_m;
    gaps_narrower_than(s, min_m.max(BODY_WIDTH_M), Narrowest::Join)
        .into_iter()
        .filter(|n| n.width_m > s.store.cell - ROUNDING_M || faced_into(s, n))
        .filter(|n| n.closed() || (!n.recess && n.width_m < min_m - ROUNDING_M))
        .collect()
}

/// Every gap of `s` with floor in it that is too narrow for a body,
/// recesses too: the store closes their floor.
pub fn body_slots(s: &Scenario) -> Vec<Narrow> {
    gaps_narrower_than(s, BODY_WIDTH_M, Narrowest::Cell)
}

/// The narrowest gap counted: wider than a grid cell (narrower ones hold
/// no floor), or any gap wider than a join between two things set against
/// each other.
#[derive(Clone, Copy)]
enum Narrowest {
    Cell,
    Join,
}

/// As wide as two things set against each other may stand apart by a
/// slip of the pen: a join, no gap.
const JOIN_M: f64 = 0.01;

/// Whether a face in use (a stocked shelf face, a seat's or fitting
/// room's face) looks into `n`'s gap.
fn faced_into(s: &Scenario, n: &Narrow) -> bool {
    let stocked = s.products.iter().flat_map(|p| &p.placements).map(|pl| (pl.fixture, pl.face));
    let stops = s
        .fixtures
        .iter()
        .enumerate()
        .filter(|(_, f)| super::FixtureKind::STOPS.contains(&f.kind))
        .flat_map(|(i, f)| f.faces.iter().map(move |&face| (i, face)));
    stocked.chain(stops).any(|(i, face)| {
        let f = &s.fixtures[i];
        let (nx, ny) = f.face_normal(face);
        let length = f.face_length(face);
        let steps = ((length / SAMPLE_M).ceil() as usize).max(1);
        let out = n.width_m / 2.0;
        f.floor == n.floor_index
            && (0..steps).any(|k| {
                let on_face = f.point_on_face(face, length * (k as f64 + 0.5) / steps as f64);
                n.gap.contains(on_face.offset(nx * out, ny * out))
            })
    })
}

/// How wide a walkway must be for one to pass another who stands or sits
/// still in it: a shopper at a stop's place and one walking past, each a
/// body with room to spare.
pub const PASSING_M: f64 = 1.2;

/// Stops whose places stand in a walkway narrower than `PASSING_M` that
/// runs on at both ends, in words: a seated shopper is off the walkway
/// (`sim::crowd`), so whoever walks along it passes through them (a bench
/// in the only 1 m corridor between two halves of a shop was walked
/// through all day, unsaid). `places`: each stop place's fixture index and
/// where its shopper stands.
pub fn stops_in_passages(s: &Scenario, places: &[(u16, Point)]) -> Vec<String> {
    let passages: Vec<Narrow> =
        gaps_narrower_than(s, PASSING_M, Narrowest::Cell).into_iter().filter(|n| !n.recess && !n.closed()).collect();
    let mut found = Vec::new();
    for (i, f) in s.fixtures.iter().enumerate() {
        let standing_in =
            |n: &&Narrow| n.floor_index == f.floor && places.iter().any(|&(k, p)| k as usize == i && n.gap.contains(p));
        if let Some(n) = passages.iter().find(standing_in) {
            found.push(format!(
                "fixture `{}` ({}): its places stand in a walkway {:.2} m wide between {} and {}, narrower than \
                 {PASSING_M} m: whoever stops there is off the walkway, and those walking by pass through them; \
                 face it onto floor with room, or widen the walkway",
                f.id, f.kind, n.width_m, n.between.0, n.between.1
            ));
        }
    }
    found
}

/// Every gap of `s` wider than `narrowest` and narrower than `min_m`
/// (between two things on a floor, or one and the store's edge) that
/// other things do not fill or cross, each pair once.
fn gaps_narrower_than(s: &Scenario, min_m: f64, narrowest: Narrowest) -> Vec<Narrow> {
    let bounds = s.store.bounds();
    let narrowest = match narrowest {
        Narrowest::Cell => s.store.cell,
        Narrowest::Join => JOIN_M,
    };
    let mut found = Vec::new();
    for (floor_index, floor) in s.store.floors.iter().enumerate() {
        let on_floor = |f: u8| f as usize == floor_index;
        let mut things: Vec<(String, Rect)> = s
            .fixtures
            .iter()
            .filter(|x| on_floor(x.floor))
            .map(|x| (format!("fixture `{}`", x.id), x.footprint()))
            .collect();
        things.extend(
            s.store
                .walls
                .iter()
                .enumerate()
                .filter(|(_, w)| on_floor(w.floor))
                .map(|(k, w)| (format!("wall {}", k + 1), w.footprint)),
        );
        let mut narrow = |(a, b): (&str, &str), width: f64, gap: Rect, recess: bool| {
            // Widths come out of sums of coordinates: 0.9 may be 0.8999…, which is not narrower.
            if width < min_m - ROUNDING_M {
                let between = (a.to_owned(), b.to_owned());
                let floor_index = floor_index as u8;
                found.push(Narrow {
                    floor: floor.id.clone(),
                    between,
                    width_m: width,
                    min_m,
                    floor_index,
                    gap,
                    recess,
                });
            }
        };
        // What else stands on the floor, besides the things a gap lies
        // between: a gap they fill is no walkway.
        let others = |besides: [Option<usize>; 2]| {
            things.iter().enumerate().filter(move |(k, _)| !besides.contains(&Some(*k))).map(|(_, (_, r))| r)
        };
        let solid = || things.iter().map(|(_, r)| r);
        for (i, (a, ra)) in things.iter().enumerate() {
            for (j, (b, rb)) in things.iter().enumerate().skip(i + 1) {
                // The width first: nearly every pair stands wider apart,
                // and the rest costs a pass over everything else.
                let Some(width) = clear_width(ra, rb, narrowest).filter(|w| *w < min_m - ROUNDING_M) else {
                    continue;
                };
                let gap = gap_between(ra, rb);
                // Side by side in x, the gap runs along y (and the other way).
                let side_by_side_in = |along_y: bool| match along_y {
                    true => ra.max.y > rb.min.y && rb.max.y > ra.min.y,
                    false => ra.max.x > rb.min.x && rb.max.x > ra.min.x,
                };
                let crossed = [true, false].into_iter().any(|along_y| {
                    side_by_side_in(along_y) && others([Some(i), Some(j)]).any(|r| crosses(&gap, r, along_y))
                });
                if !crossed && !filled(&gap, others([Some(i), Some(j)])) {
                    let recessed = [true, false]
                        .into_iter()
                        .any(|along_y| side_by_side_in(along_y) && recess(&gap, along_y, &bounds, solid()));
                    narrow((a, b), width, gap, recessed);
                }
            }
            let point = Point::new;
            // (edge, width, gap from, to, whether the gap runs along y)
            let edges = [
                (
                    "the west edge",
                    ra.min.x - bounds.min.x,
                    point(bounds.min.x, ra.min.y),
                    point(ra.min.x, ra.max.y),
                    true,
                ),
                (
                    "the east edge",
                    bounds.max.x - ra.max.x,
                    point(ra.max.x, ra.min.y),
                    point(bounds.max.x, ra.max.y),
                    true,
                ),
                (
                    "the south edge",
                    ra.min.y - bounds.min.y,
                    point(ra.min.x, bounds.min.y),
                    point(ra.max.x, ra.min.y),
                    false,
                ),
                (
                    "the north edge",
                    bounds.max.y - ra.max.y,
                    point(ra.min.x, ra.max.y),
                    point(ra.max.x, bounds.max.y),
                    false,
                ),
            ];
            for (edge, width, from, to, along_y) in edges {
                let gap = Rect { min: from, max: to };
                if width > narrowest - ROUNDING_M
                    && width < min_m - ROUNDING_M
                    && !filled(&gap, others([Some(i), None]))
                    && !others([Some(i), None]).any(|r| crosses(&gap, r, along_y))
                {
                    narrow((a, edge), width, gap, recess(&gap, along_y, &bounds, solid()));
                }
            }
        }
    }
    found
}

#[cfg(test)]
mod tests;
