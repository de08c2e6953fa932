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

impl fmt::Display for Narrow {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The default is the accessible route's width; another is the scenario's own.
        let minimum = if self.min_m == DEFAULT_MIN_WALKWAY_M {
            "the default store.min_walkway_m: an accessible route, ADA 2010 §403.5.1"
        } else {
            "the scenario's store.min_walkway_m"
        };
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
pub fn narrow_walkways(s: &Scenario) -> Vec<Narrow> {
    let min_m = s.store.min_walkway_m;
    gaps_narrower_than(s, min_m.max(BODY_WIDTH_M))
        .into_iter()
        .filter(|n| n.closed() || (!n.recess && n.width_m < min_m - ROUNDING_M))
        .collect()
}

/// Every gap of `s` with floor in it that is too narrow for a body,
/// recesses too: the store closes their floor.
pub fn body_slots(s: &Scenario) -> Vec<Narrow> {
    gaps_narrower_than(s, BODY_WIDTH_M)
}

/// Every gap of `s` wider than a grid cell and narrower than `min_m`
/// (between two things on a floor, or one and the store's edge) that
/// other things do not fill or cross, each pair once.
fn gaps_narrower_than(s: &Scenario, min_m: f64) -> Vec<Narrow> {
    let bounds = s.store.bounds();
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
                let Some(width) = clear_width(ra, rb, s.store.cell).filter(|w| *w < min_m - ROUNDING_M) else {
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
                if width > s.store.cell - ROUNDING_M
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
mod tests {
    use super::*;
    use crate::geom::Point;

    fn rect(x0: f64, y0: f64, x1: f64, y1: f64) -> Rect {
        Rect::from_corners(Point::new(x0, y0), Point::new(x1, y1))
    }

    #[test]
    fn walls_off_the_axes_are_named_with_the_box_they_block() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/tiny.toml");
        let mut text = std::fs::read_to_string(&path).expect("tiny scenario");
        for (from, to) in [("[0.5, 7.0]", "[2.5, 7.0]"), ("[10.0, 6.0]", "[11.5, 7.0]"), ("[11.0, 1.0]", "[11.0, 2.0]")]
        {
            text.push_str(&format!("\n[[store.walls]]\nfloor = \"ground\"\nfrom = {from}\nto = {to}\n"));
        }
        let file = crate::scenario::ScenarioFile::parse(&path, text).expect("parses");
        assert_eq!(
            diagonal_walls(&file.raw),
            ["floor `ground`: wall 2 from (10, 6) to (11.5, 7) runs neither along x nor along y: it blocks the whole \
              1.5 × 1 m box between its ends; draw it as walls along x and y"]
        );
    }

    #[test]
    fn a_wall_without_length_is_named() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/tiny.toml");
        let mut text = std::fs::read_to_string(&path).expect("tiny scenario");
        for (from, to) in [("[0.5, 7.0]", "[2.5, 7.0]"), ("[11.0, 1.0]", "[11.0, 1.0]")] {
            text.push_str(&format!("\n[[store.walls]]\nfloor = \"ground\"\nfrom = {from}\nto = {to}\n"));
        }
        let file = crate::scenario::ScenarioFile::parse(&path, text).expect("parses");
        assert_eq!(
            walls_without_length(&file.raw),
            ["floor `ground`: wall 2 from (11, 1) to (11, 1) has no length: it blocks only a square of its \
              thickness; give its ends apart, or remove it"]
        );
    }

    /// The tiny store's door is at (11.0, 0.3), by its front edge. Moved to
    /// the middle of the floor it is named; by a wall, it is not.
    #[test]
    fn an_entrance_in_the_middle_of_the_floor_is_named() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/tiny.toml");
        let text = std::fs::read_to_string(&path).expect("tiny scenario");
        // (where the door is, walls added, warned)
        let cases = [
            ("[11.0, 0.3]", "", false),
            ("[8.0, 3.0]", "", true),
            ("[8.0, 3.0]", "\n[[store.walls]]\nfloor = \"ground\"\nfrom = [7.0, 3.5]\nto = [9.0, 3.5]\n", false),
        ];
        for (at, walls, warned) in cases {
            let text = text.replacen("at = [11.0, 0.3]", &format!("at = {at}"), 1) + walls;
            let file = crate::scenario::ScenarioFile::parse(&path, text).expect("parses");
            let found = entrances_off_the_outline(&file.build(crate::scenario::BASELINE).expect("valid"));
            assert_eq!(found.len(), usize::from(warned), "door at {at}: {found:?}");
        }
    }

    /// G1 spans x 2..6, y 4.5..5.5 in the tiny store. A wall through it
    /// is named; one its back is set against (into it by half the wall's
    /// thickness), or one ending at its side, is not.
    #[test]
    fn a_wall_through_a_fixture_is_named_and_one_along_its_side_is_not() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/tiny.toml");
        // (wall from, to, through G1)
        let cases = [
            ("[4.0, 6.5]", "[4.0, 3.0]", true),
            ("[3.0, 5.0]", "[3.0, 5.2]", true),
            ("[0.5, 5.6]", "[6.5, 5.6]", false),
            ("[6.0, 6.5]", "[6.0, 3.0]", false),
            ("[0.5, 3.5]", "[2.0, 3.5]", false),
        ];
        for (from, to, through) in cases {
            let mut text = std::fs::read_to_string(&path).expect("tiny scenario");
            text.push_str(&format!("\n[[store.walls]]\nfloor = \"ground\"\nfrom = {from}\nto = {to}\n"));
            let file = crate::scenario::ScenarioFile::parse(&path, text).expect("parses");
            let scenario = file.build(crate::scenario::BASELINE).expect("valid");
            let found = walls_through_fixtures(&file.raw, &scenario);
            assert_eq!(found.len(), usize::from(through), "{from} → {to}: {found:?}");
            if through {
                assert!(
                    found[0].starts_with("floor `ground`: wall 1 from ")
                        && found[0].contains("runs through fixture `G1`")
                );
            }
        }
    }

    #[test]
    fn clear_widths_between_rectangles() {
        let a = rect(0.0, 0.0, 1.0, 1.0);
        // (what, other rectangle, clear width)
        let cases = [
            ("side by side, 0.45 m apart", rect(1.45, 0.0, 2.0, 1.0), Some(0.45)),
            ("one above the other, 0.6 m apart", rect(0.5, 1.6, 2.0, 3.0), Some(0.6)),
            ("corner to corner, 0.3 by 0.4 m", rect(1.3, 1.4, 2.0, 2.0), Some(0.5)),
            ("side by side, 0.3 m apart", rect(1.3, 0.0, 2.0, 1.0), Some(0.3)),
            ("back to back", rect(1.0, 0.0, 2.0, 1.0), None),
            ("a 0.1 m slot", rect(1.1, 0.0, 2.0, 1.0), None),
            ("a slot of one cell", rect(1.25, 0.0, 2.0, 1.0), Some(0.25)),
            ("overlapping", rect(0.5, 0.5, 2.0, 2.0), None),
        ];
        for (what, b, expected) in cases {
            let got = clear_width(&a, &b, 0.25);
            let same = match (got, expected) {
                (Some(g), Some(e)) => (g - e).abs() < 1e-9,
                (None, None) => true,
                _ => false,
            };
            assert!(same, "{what}: got {got:?}, expected {expected:?}");
            assert_eq!(got.is_some(), clear_width(&b, &a, 0.25).is_some(), "{what}: symmetric");
        }
        // On a finer grid a 0.2 m slot holds floor, and is a walkway.
        assert_eq!(clear_width(&a, &rect(1.2, 0.0, 2.0, 1.0), 0.1).map(|w| (w * 100.0).round()), Some(20.0));
    }

    /// A gondola butting onto a shelf run along the north wall left a
    /// "walkway 0.60 m wide" to the edge that the shelf fills: a gap other
    /// things fill is no walkway; one they fill in part still is.
    #[test]
    fn a_gap_other_fixtures_fill_is_no_walkway() {
        let gondola = rect(5.6, 1.8, 6.6, 5.4);
        let edge_gap = rect(5.6, 5.4, 6.6, 6.0);
        let shelf_run = rect(5.0, 5.4, 39.0, 6.0);
        let short_run = rect(6.0, 5.4, 39.0, 6.0);
        // (what, the things besides the two, filled)
        let cases: [(&str, Vec<Rect>, bool); 4] = [
            ("a shelf run along the wall", vec![shelf_run], true),
            ("a run that stops halfway", vec![short_run], false),
            ("two runs meeting over it", vec![rect(5.0, 5.4, 6.1, 6.0), short_run], true),
            ("nothing", vec![], false),
        ];
        for (what, others, expected) in cases {
            assert_eq!(filled(&edge_gap, others.iter()), expected, "{what}");
        }
        let beside = rect(7.4, 2.0, 8.4, 5.0);
        assert_eq!(gap_between(&gondola, &beside), rect(6.6, 2.0, 7.4, 5.0), "the floor between two side by side");
        assert_eq!(gap_between(&beside, &gondola), rect(6.6, 2.0, 7.4, 5.0), "either way round");
    }

    /// Wall shelves standing end to end along a store's edge leave a
    /// recess between each two: no walkway. The same gap out on the floor,
    /// or a dead-end aisle longer than a recess, still is one.
    #[test]
    fn a_recess_closed_at_one_end_is_no_walkway() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/tiny.toml");
        let text = std::fs::read_to_string(&path).unwrap();
        let shelf = |id: &str, x: f64, y: f64, size: [f64; 2]| {
            format!(
                "\n[[fixtures]]\nid = \"{id}\"\nkind = \"obstacle\"\nat = [{x}, {y}]\nsize = [{}, {}]\nheight = 1.8\n",
                size[0], size[1]
            )
        };
        // (what, the two fixtures, warned of)
        let cases = [
            ("end to end along the back edge", [(2.0, 7.7, [2.0, 0.6]), (4.5, 7.7, [2.0, 0.6])], false),
            ("end to end out on the floor", [(7.5, 3.5, [2.0, 0.6]), (10.0, 3.5, [2.0, 0.6])], true),
            ("side by side, an aisle to the back edge", [(0.6, 6.5, [0.6, 3.0]), (1.6, 6.5, [0.6, 3.0])], true),
            ("side by side, a recess at the back edge", [(0.6, 7.7, [0.6, 0.6]), (1.6, 7.7, [0.6, 0.6])], false),
        ];
        for (what, [(x1, y1, s1), (x2, y2, s2)], warned) in cases {
            let text = text.clone() + &shelf("W1", x1, y1, s1) + &shelf("W2", x2, y2, s2);
            let file = crate::scenario::ScenarioFile::parse(&path, text).unwrap();
            let found = narrow_walkways(&file.build(crate::scenario::BASELINE).expect(what));
            let between = found.iter().any(|n| n.between == ("fixture `W1`".into(), "fixture `W2`".into()));
            assert_eq!(between, warned, "{what}: {found:?}");
        }
    }

    /// Tiny with its gondola `G1` 0.25 m in front of a wall shelf `WS`.
    fn gondola_by_wall_shelf() -> crate::scenario::ScenarioFile {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/tiny.toml");
        let shelf =
            "\n[[fixtures]]\nid = \"WS\"\nkind = \"obstacle\"\nat = [4.0, 7.75]\nsize = [6.0, 0.5]\nheight = 2.0\n";
        let text = std::fs::read_to_string(&path).unwrap().replacen("at = [4.0, 5.0]", "at = [4.0, 6.75]", 1) + shelf;
        crate::scenario::ScenarioFile::parse(&path, text).unwrap()
    }

    /// A gondola 0.25 m in front of a wall shelf on a 0.25 m grid: the
    /// slot between them holds a row of floor, and was warned of only as a
    /// walkway of 0.75 m from the gondola to the wall behind the shelf.
    #[test]
    fn a_slot_of_one_cell_is_warned_of_and_no_gap_is_measured_through_a_fixture() {
        let file = gondola_by_wall_shelf();
        let found: Vec<String> = narrow_walkways(&file.build(crate::scenario::BASELINE).unwrap())
            .iter()
            .filter(|n| n.between.0 == "fixture `G1`")
            .map(|n| format!("{} {:.2}", n.between.1, n.width_m))
            .collect();
        assert_eq!(found, ["fixture `WS` 0.25"]);
    }

    /// The same slot, 0.25 m: too narrow for a body. It is named as such,
    /// and the store closes its floor (shoppers walked it as an aisle).
    #[test]
    fn a_gap_narrower_than_a_body_is_named_and_its_floor_closed() {
        let file = gondola_by_wall_shelf();
        let scenario = file.build(crate::scenario::BASELINE).unwrap();
        let slots: Vec<String> = body_slots(&scenario).iter().map(ToString::to_string).collect();
        assert_eq!(
            slots,
            ["floor `ground`: fixture `G1` and fixture `WS` leave a gap 0.25 m wide, too narrow for a body (0.40 m): \
              nobody walks or stands in it (its floor is closed), and a shelf facing into it is picked from its \
              ends, where there is floor within reach; close it, or move them at least 0.40 m apart if shoppers \
              should pass"]
        );
        let store = crate::store::Store::build(&scenario).expect("the shelf's front stays reachable");
        let in_slot = store.cell_at(0, Point::new(4.0, 7.375)).expect("on the grid");
        assert!(!store.is_walkable(in_slot), "the slot's floor is closed");
        let in_aisle = store.cell_at(0, Point::new(4.0, 6.0)).expect("on the grid");
        assert!(store.is_walkable(in_aisle), "the aisle before the gondola stays open");
    }

    /// Two obstacles whose corners are level in x, 0.3 m apart in y: the
    /// gap between them has no area, a pinch along a line. Its cells on
    /// either side close (a gap of no area closed none, while it was
    /// named as closed).
    #[test]
    fn a_pinch_between_corners_level_with_each_other_is_closed() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/tiny.toml");
        let obstacle = |id: &str, (x, y): (f64, f64)| {
            format!(
                "\n[[fixtures]]\nid = \"{id}\"\nkind = \"obstacle\"\nat = [{x}, {y}]\nsize = [1.0, 1.0]\nheight = 1.0\n"
            )
        };
        let text = std::fs::read_to_string(&path).unwrap() + &obstacle("A", (1.0, 2.5)) + &obstacle("B", (2.0, 3.8));
        let file = crate::scenario::ScenarioFile::parse(&path, text).unwrap();
        let scenario = file.build(crate::scenario::BASELINE).unwrap();
        let slots = body_slots(&scenario);
        let pinch = slots.iter().find(|n| n.between == ("fixture `A`".into(), "fixture `B`".into()));
        assert!(pinch.is_some_and(|n| (n.width_m - 0.3).abs() < 1e-9 && n.gap.area() == 0.0), "{slots:?}");
        let store = crate::store::Store::build(&scenario).expect("builds");
        for (x, y) in [(1.45, 3.1), (1.55, 3.1)] {
            let cell = store.cell_at(0, Point::new(x, y)).expect("on the grid");
            assert!(!store.is_walkable(cell), "({x}, {y}) by the pinch stays open");
        }
    }

    #[test]
    fn a_shipped_store_reports_its_narrow_walkways_by_name() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/tiny.toml");
        let text = std::fs::read_to_string(&path).unwrap().replace("[store]\n", "[store]\nmin_walkway_m = 1.0\n");
        let file = crate::scenario::ScenarioFile::parse(&path, text).unwrap();
        let scenario = file.build(crate::scenario::BASELINE).unwrap();
        let found: Vec<String> = narrow_walkways(&scenario).iter().map(ToString::to_string).collect();
        assert_eq!(
            found,
            ["floor `ground`: fixture `C1` and the south edge leave a walkway 0.80 m wide, narrower than 1.00 m \
              (the scenario's store.min_walkway_m); move them apart or set store.min_walkway_m"]
        );
    }
}
