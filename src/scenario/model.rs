//! The validated scenario: typed, consistent, with ids resolved to indices.
//! Everything downstream (store, sim, events) reads only these types.

use crate::geom::{Point, Rect};
pub use crate::scenario::raw::{
    Circulation, ConnectorKind, Face, FixtureKind, LaneKind, ServiceDistribution, ShelfLevel, StoreKind,
};

/// Width of one product facing on a shelf, metres.
pub const FACING_WIDTH_M: f64 = 0.25;
/// How far in front of a shelf face a shopper stands to pick, metres.
pub const STAND_OFF_M: f64 = 0.45;
/// The walking speeds a shopper is drawn within, m/s (its segment's
/// `speed_mean` and `speed_sd` drawn, then held to these).
pub const WALKING_MPS: (f64, f64) = (0.4, 2.0);
/// Spacing of queue places behind a checkout, metres.
pub const QUEUE_SPACING_M: f64 = 0.6;
/// How far apart the terminals (or servers) of one desk must stand: two
/// shoppers' bodies (`sim::crowd`'s radius of 0.2 m each), served at once.
pub const MIN_TERMINAL_GAP_M: f64 = 0.4;
/// The name of the unedited layout.
pub const BASELINE: &str = "baseline";

#[derive(Debug, Clone, PartialEq)]
pub struct Scenario {
    pub name: String,
    pub description: String,
    /// SHA-256 of the scenario file's bytes, hex.
    pub source_sha256: String,
    /// `baseline` or the id of the variant applied.
    pub variant: String,
    pub store: StoreSpec,
    pub fixtures: Vec<Fixture>,
    pub zones: Vec<Zone>,
    pub entrances: Vec<Portal>,
    pub exits: Vec<Portal>,
    pub lanes: Vec<Lane>,
    pub counters: Vec<Counter>,
    pub categories: Vec<Category>,
    pub products: Vec<Product>,
    pub population: Population,
    pub behaviour: Behaviour,
    pub run: RunSettings,
}

impl Scenario {
    /// Closing, ms from opening: the doors let nobody in from then on.
    pub fn doors_close_ms(&self) -> u64 {
        self.population.close_ms - self.population.open_ms
    }

    /// The day's hard end, ms from opening: closing plus `run.drain_h`,
    /// when whoever is still inside is made to leave.
    pub fn hard_end_ms(&self) -> u64 {
        self.population.close_ms - self.population.open_ms + self.run.drain_ms
    }

    /// Every desk with a line: the checkout lanes, then the counters'.
    /// A desk's index in this order is how the simulation knows it.
    pub fn desks(&self) -> impl Iterator<Item = &Lane> {
        self.lanes.iter().chain(self.counters.iter().map(|c| &c.desk))
    }

    /// A trace coarser than the default second, in words: what is measured
    /// from the position samples changes with it, not what shoppers do.
    /// Paths are straight lines between samples (at 60 s a path read 40%
    /// shorter), heat and density are counted at the samples, and spells
    /// of standing still are found between them: samples further apart
    /// than the spells the "stuck" figure counts distort it (an hour's
    /// trace printed "longest freeze 0 s").
    pub fn coarse_trace(&self) -> Option<String> {
        let (every_s, stuck_s) = (self.run.trace_interval_ms as f64 / 1000.0, crate::metrics::freeze::STUCK_AFTER_S);
        let freezes = if every_s > stuck_s {
            format!(
                ", and cannot tell a shopper stuck for {stuck_s:.0} s from one walking, so the freeze figures are wrong"
            )
        } else {
            String::new()
        };
        (every_s > super::raw::DEFAULT_TRACE_S).then(|| {
            format!(
                "run.trace_interval_s = {every_s}: positions are logged every {every_s} s, so paths are measured as \
                 straight lines between them (shorter than walked), heat and density are counted that seldom{freezes}; \
                 what shoppers do is the same, but these figures compare only with runs at the same interval (the \
                 default is {} s)",
                super::raw::DEFAULT_TRACE_S
            )
        })
    }

    /// A time step coarser than the default, in words: where walkers meet,
    /// one waits a whole tick for room ahead, so a crowd walks slower and
    /// stays longer (a day of the grocery at 1 s: median stay 7.8 min
    /// against 7.3 at 0.1 s; a crushed 6 × 5 m shop, 1.5 against 0.7).
    pub fn coarse_tick(&self) -> Option<String> {
        let tick_s = self.run.tick_ms as f64 / 1000.0;
        (tick_s > super::raw::DEFAULT_TICK_S).then(|| {
            format!(
                "run.tick_s = {tick_s}: shoppers step every {tick_s} s, and where they meet one waits a whole step for \
                 room ahead, so a crowd walks slower and stays longer than at the default {} s; the figures compare \
                 only with runs at the same tick",
                super::raw::DEFAULT_TICK_S
            )
        })
    }

    /// The most people an entrance lets in an hour: one every two ticks (a
    /// newcomer stands in the doorway its first tick, and the next is let
    /// in only once it has stepped on).
    pub fn admits_per_hour(&self) -> f64 {
        admits_per_hour_at(self.run.tick_ms)
    }

    /// Entrances the busiest hour's arrivals crowd at this tick, in words:
    /// more than half what an entrance can let in (`admits_per_hour`) due
    /// at each (doors are drawn evenly), so many would come in late or
    /// never (with `tick_s` 1, 60% of a rush never did).
    pub fn doors_short_for_the_tick(&self) -> Option<String> {
        let p = &self.population;
        let peak = p.hourly_profile.iter().cloned().fold(0.0, f64::max) * p.daily_visitors;
        let (doors, admits) = (self.entrances.len().max(1), self.admits_per_hour());
        let due = peak / doors as f64;
        (due > admits / 2.0).then(|| {
            // A shorter tick helps only where the shipped 0.1 s would let
            // them in; past that, only more entrances do.
            let fix = if self.run.tick_ms > 100 && due <= admits_per_hour_at(100) / 2.0 {
                format!("shorten run.tick_s (0.1 s lets {:.0} an hour in) or add entrances", admits_per_hour_at(100))
            } else {
                format!("add entrances: about {:.0} would let the busiest hour in at this tick", (peak / (admits / 2.0)).ceil())
            };
            format!(
                "run.tick_s = {} s: an entrance lets at most one in every two ticks ({admits:.0} an hour), and the \
                 busiest hour brings about {due:.0} an hour to each of the {doors} entrance(s): many would come in late \
                 or never; {fix}",
                self.run.tick_ms as f64 / 1000.0,
            )
        })
    }

    /// Fewer than one visitor expected a day, in words: most days would
    /// have nobody, every figure of theirs none, and a comparison nothing
    /// to compare (`1e-300` validated and ran silently).
    pub fn hardly_anyone(&self) -> Option<String> {
        let visitors = self.population.daily_visitors;
        (visitors < 1.0).then(|| {
            // Two figures: a scaled count reads 0.2, not 0.19999999999999998.
            let two_figures = format!("{visitors:.1e}").parse().unwrap_or(visitors);
            format!(
                "population.daily_visitors = {}: fewer than one visitor is expected a day, so most days have \
                 nobody and no figures; give the visitors of a whole day",
                crate::scenario::validate::shown(two_figures)
            )
        })
    }

    /// A footprint that is not a whole number of grid cells, in words: the
    /// grid stops at its last whole cell, and the strip past it is no floor
    /// (a door at x = 19.9 of a 20 m store on a 0.3 m grid was "outside the
    /// store's footprint").
    pub fn footprint_off_the_grid(&self) -> Option<String> {
        let s = &self.store;
        let covered = |len: f64| (len / s.cell + 1e-9).floor() * s.cell;
        let (w, d) = (covered(s.width), covered(s.depth));
        let short = |len: f64, covered: f64| len - covered > 1e-6;
        if !short(s.width, w) && !short(s.depth, d) {
            return None;
        }
        let divides = |c: f64| [s.width, s.depth].iter().all(|len| ((len / c).round() * c - len).abs() < 1e-6);
        let fits: Vec<String> = [0.5, 0.4, 0.25, 0.2, 0.125, 0.1, 0.05]
            .into_iter()
            .filter(|&c| divides(c))
            .map(|c| c.to_string())
            .collect();
        Some(format!(
            "store.footprint = [{}, {}] is not a whole number of {} m cells: the grid covers {w:.2} × {d:.2} m, and \
             the strip past it is no floor; {}",
            s.width,
            s.depth,
            s.cell,
            match fits.first() {
                Some(_) => format!("a `store.cell` of {} divides it", fits.join(" or ")),
                None => "make the footprint a whole number of cells".to_owned(),
            }
        ))
    }

    /// The counter each category is sold at, if any.
    /// Per product: the service counter that sells it (its category's).
    pub fn counter_of_product(&self) -> Vec<Option<u16>> {
        let by_category = self.counter_of_category();
        self.products.iter().map(|p| by_category[p.category]).collect()
    }

    pub fn counter_of_category(&self) -> Vec<Option<u16>> {
        let mut at = vec![None; self.categories.len()];
        for (i, c) in self.counters.iter().enumerate() {
            for &k in &c.sells {
                at[k] = Some(i as u16);
            }
        }
        at
    }

    /// What stands on the floor: every fixture's and wall's rectangle, with its floor.
    pub fn obstacles(&self) -> impl Iterator<Item = (u8, Rect)> + '_ {
        self.fixtures
            .iter()
            .map(|f| (f.floor, f.footprint()))
            .chain(self.store.walls.iter().map(|w| (w.floor, w.footprint)))
    }
}

/// A target for one stylised fact and where it comes from.
#[derive(Debug, Clone, PartialEq)]
pub struct Target<T> {
    pub value: T,
    pub source: &'static str,
}

/// The stylised facts a day of this store must reproduce (`None`: no
/// target, the figure is shown for information).
#[derive(Debug, Clone, PartialEq)]
pub struct Behaviour {
    pub conversion_min: Option<Target<f64>>,
    pub unplanned_share: Option<Target<[f64; 2]>>,
    pub perimeter_paths: Option<Target<bool>>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct StoreSpec {
    pub width: f64,
    pub depth: f64,
    pub cell: f64,
    pub floors: Vec<Floor>,
    pub connectors: Vec<Connector>,
    pub walls: Vec<Wall>,
    /// Walkways narrower than this are reported (`scenario::walkway`).
    pub min_walkway_m: f64,
}

impl StoreSpec {
    pub fn bounds(&self) -> Rect {
        Rect::from_corners(Point::new(0.0, 0.0), Point::new(self.width, self.depth))
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Floor {
    pub id: String,
    pub elevation: f64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Connector {
    pub id: String,
    pub kind: ConnectorKind,
    pub from: FloorPoint,
    pub to: FloorPoint,
    pub traversal_s: f64,
    pub one_way: bool,
    /// A closed connector is drawn (grey) but nobody uses it: the store
    /// links only open ones.
    pub open: bool,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FloorPoint {
    pub floor: u8,
    pub at: Point,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Wall {
    pub floor: u8,
    /// The wall as the rectangle it occupies.
    pub footprint: Rect,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Fixture {
    pub id: String,
    pub kind: FixtureKind,
    pub floor: u8,
    pub centre: Point,
    /// Width along the front face and depth, before rotation.
    pub size: [f64; 2],
    pub height: f64,
    pub rotation: u8,
    pub levels: Vec<ShelfLevel>,
    pub faces: Vec<Face>,
    /// Seating and fitting rooms: the median seconds a stop there lasts
    /// (0 for other kinds).
    pub stop_median_s: f64,
}

impl Fixture {
    /// The floor area the fixture occupies, after rotation.
    pub fn footprint(&self) -> Rect {
        let [w, d] = self.size;
        if self.rotation.is_multiple_of(2) {
            Rect::centred(self.centre, w, d)
        } else {
            Rect::centred(self.centre, d, w)
        }
    }

    /// Outward unit normal of a face, after rotation.
    pub fn face_normal(&self, face: Face) -> (f64, f64) {
        let unrotated = match face {
            Face::Front => (0.0, -1.0),
            Face::Back => (0.0, 1.0),
            Face::Left => (-1.0, 0.0),
            Face::Right => (1.0, 0.0),
        };
        crate::geom::rotate_quarter(unrotated.0, unrotated.1, self.rotation)
    }

    /// Length of a face, metres.
    pub fn face_length(&self, face: Face) -> f64 {
        match face {
            Face::Front | Face::Back => self.size[0],
            Face::Left | Face::Right => self.size[1],
        }
    }

    /// The point `along` metres from the left end of `face` (as seen by a
    /// shopper facing the shelf), on the face itself.
    pub fn point_on_face(&self, face: Face, along: f64) -> Point {
        let (nx, ny) = self.face_normal(face);
        let half_depth = match face {
            Face::Front | Face::Back => self.size[1] / 2.0,
            Face::Left | Face::Right => self.size[0] / 2.0,
        };
        // Tangent: the shopper's right hand while facing the shelf.
        let (tx, ty) = (-ny, nx);
        let half_len = self.face_length(face) / 2.0;
        let s = along - half_len;
        self.centre.offset(nx * half_depth + tx * s, ny * half_depth + ty * s)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Zone {
    pub id: String,
    pub name: String,
    pub floor: u8,
    pub shape: ZoneShape,
}

#[derive(Debug, Clone, PartialEq)]
pub enum ZoneShape {
    Rect(Rect),
    Polygon(Vec<Point>),
}

impl Zone {
    pub fn contains(&self, p: Point) -> bool {
        match &self.shape {
            ZoneShape::Rect(r) => r.contains(p),
            ZoneShape::Polygon(poly) => crate::geom::polygon_contains(poly, p),
        }
    }
}

/// An entrance or an exit.
#[derive(Debug, Clone, PartialEq)]
pub struct Portal {
    pub id: String,
    pub floor: u8,
    pub at: Point,
}

/// A desk with a line: a checkout lane, or a service counter's.
#[derive(Debug, Clone, PartialEq)]
pub struct Lane {
    pub id: String,
    pub role: DeskRole,
    pub kind: LaneKind,
    pub floor: u8,
    pub service_point: Point,
    /// Unit vector along which the queue grows.
    pub queue_dir: (f64, f64),
    pub queue_places: u16,
    /// Where shoppers stand to be served: the service point, or the
    /// terminals of a self-service bank fed by one line.
    pub terminals: Vec<Point>,
    pub service: ServiceModel,
    /// Open from..to, milliseconds since midnight.
    pub hours_ms: (u64, u64),
    pub open: bool,
}

/// What a desk with a line is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeskRole {
    /// Paying at the end of the visit.
    Checkout,
    /// Being served mid-visit (`Counter`).
    Counter,
}

impl DeskRole {
    /// The word the scenario file uses for one, for messages.
    pub fn noun(self) -> &'static str {
        match self {
            DeskRole::Checkout => "checkout",
            DeskRole::Counter => "counter",
        }
    }

    /// What the file calls where one of its shoppers stands while served
    /// (`terminals` of a self-service lane, `servers` of a counter).
    pub fn terminal(self) -> &'static str {
        match self {
            DeskRole::Checkout => "terminal",
            DeskRole::Counter => "server",
        }
    }

    /// The key its rows are found by in the file.
    pub fn section(self) -> &'static str {
        match self {
            DeskRole::Checkout => "checkouts.id",
            DeskRole::Counter => "counters.id",
        }
    }
}

/// A service counter: its desk and line, and the categories sold there
/// (their products are on no shelf).
#[derive(Debug, Clone, PartialEq)]
pub struct Counter {
    pub desk: Lane,
    pub sells: Vec<usize>,
}

impl Lane {
    /// Where someone of this desk stands by layout: its terminals and its
    /// laid-out line places past the head (place 0 is a terminal's, or
    /// the head before a bank of them). Another desk's, a line's or a
    /// connector's end keeps clear of these.
    pub fn spots(&self) -> impl Iterator<Item = Point> + Clone + '_ {
        self.terminals.iter().copied().chain((1..self.queue_places as usize).map(|k| self.place(k)))
    }

    /// Where the `k`-th queue place is (0 = being served at a single
    /// service point, the head of the line before a bank of terminals).
    pub fn place(&self, k: usize) -> Point {
        let k = k.min(self.queue_places as usize - 1) as f64 * QUEUE_SPACING_M;
        self.service_point.offset(self.queue_dir.0 * k, self.queue_dir.1 * k)
    }

    pub fn is_open_at(&self, clock_ms: u64) -> bool {
        self.open && clock_ms >= self.hours_ms.0 && clock_ms < self.hours_ms.1
    }
}

/// The first moment of the trading hours `[open_ms, close_ms)` at which
/// none of `lanes` is open, if there is one: a gap can only begin at
/// opening or where a lane's hours end.
pub fn first_hour_without(lanes: &[&Lane], open_ms: u64, close_ms: u64) -> Option<u64> {
    if open_ms >= close_ms {
        return None;
    }
    std::iter::once(open_ms)
        .chain(lanes.iter().map(|l| l.hours_ms.1).filter(|&t| t > open_ms && t < close_ms))
        .filter(|&t| !lanes.iter().any(|l| l.is_open_at(t)))
        .min()
}

/// The time steps a run may take, seconds (`run.tick_s`).
pub const TICK_S: std::ops::RangeInclusive<f64> = 0.01..=1.0;

/// Whether `s` seconds is a whole number of milliseconds: the clock counts
/// them, so a step between two would be rounded.
pub fn whole_milliseconds(s: f64) -> bool {
    ((s * 1000.0).round() - s * 1000.0).abs() < 1e-6
}

/// A clock time of day, `hh:mm`, with `:ss` when not on the minute.
pub fn clock_time(ms: u64) -> String {
    let (h, m, s) = (ms / 3_600_000, ms / 60_000 % 60, ms / 1000 % 60);
    if s == 0 { format!("{h:02}:{m:02}") } else { format!("{h:02}:{m:02}:{s:02}") }
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ServiceModel {
    pub base_s: f64,
    pub per_item_s: f64,
    pub cv: f64,
    pub distribution: ServiceDistribution,
}

impl ServiceModel {
    pub fn mean_s(&self, items: u32) -> f64 {
        self.base_s + self.per_item_s * items as f64
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Category {
    pub id: String,
    pub name: String,
    pub list_weight: f64,
    pub colour: [u8; 3],
}

#[derive(Debug, Clone, PartialEq)]
pub struct Product {
    pub id: String,
    pub name: String,
    pub category: usize,
    pub price_cents: i64,
    pub margin: f64,
    pub appeal: f64,
    pub popularity: f64,
    /// Where it is on the shelves; a product may sit in several places.
    pub placements: Vec<Placement>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Placement {
    pub fixture: usize,
    pub face: Face,
    pub level: ShelfLevel,
    pub facings: u16,
    /// Centre of its facings on the shelf face.
    pub spot: Point,
    /// Where a shopper stands to take it.
    pub stand: Point,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Population {
    pub daily_visitors: f64,
    /// Opening and closing time, milliseconds since midnight.
    pub open_ms: u64,
    pub close_ms: u64,
    /// Relative arrival intensity for each opening hour (normalised to sum 1).
    pub hourly_profile: Vec<f64>,
    pub segments: Vec<Segment>,
    pub circulation: Circulation,
    pub circulation_penalty_m: f64,
    pub aisle_reluctance: f64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Segment {
    pub id: String,
    pub share: f64,
    pub list_mean: f64,
    pub speed_mean: f64,
    pub speed_sd: f64,
    pub impulse: f64,
    pub patience_s: f64,
    pub browsing: f64,
    pub put_back: f64,
    pub dwell_median_s: f64,
    pub search_patience_s: f64,
    pub group_mean: f64,
    /// The segment's own weight per category (indexed as `categories`) for
    /// what it plans and browses; `None`: the categories' `list_weight`.
    pub category_weights: Option<Vec<f64>>,
    /// Lifts only between floors.
    pub step_free: bool,
    /// The chance of one stop at seating or a fitting room per visit, by
    /// kind (in `FixtureKind::STOPS` order; kinds not named are absent).
    pub stops: Vec<(FixtureKind, f64)>,
}

impl Scenario {
    /// The weight segment `g`'s lists give category `c`: its own, or the
    /// category's `list_weight`.
    pub fn list_weight(&self, g: &Segment, c: usize) -> f64 {
        g.category_weights.as_ref().map_or(self.categories[c].list_weight, |w| w[c])
    }
}

/// Spread of dwell times at a shelf (σ of the log-normal around a
/// segment's `dwell_median_s`).
pub const DWELL_SIGMA: f64 = 0.5;

impl Segment {
    /// The longest dwell at a shelf: four σ above the median (the
    /// log-normal would exceed it once in 30,000 visits; nobody stares at
    /// one shelf for ever).
    pub fn longest_dwell_s(&self) -> f64 {
        self.dwell_median_s * (4.0 * DWELL_SIGMA).exp()
    }

    /// The longest a shopper of this segment stands at a shelf: the longest
    /// dwell, or the search patience when that is longer.
    pub fn longest_shelf_visit_s(&self) -> f64 {
        self.search_patience_s.max(self.longest_dwell_s())
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct RunSettings {
    pub tick_ms: u64,
    pub trace_interval_ms: u64,
    /// Milliseconds after closing by which everyone has left.
    pub drain_ms: u64,
    pub memory_limit_bytes: u64,
}

/// What an entrance lets in an hour at ticks of `tick_ms`: one every two ticks.
fn admits_per_hour_at(tick_ms: u64) -> f64 {
    3_600_000.0 / (2.0 * tick_ms as f64)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An hour between position samples printed "longest freeze 0 s" over a
    /// log with no positions at all; any trace coarser than the default
    /// second measures paths, heat and density more coarsely.
    #[test]
    fn a_trace_too_coarse_for_the_freeze_figures_is_warned_of() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/tiny.toml");
        let text = std::fs::read_to_string(&path).expect("tiny scenario");
        for (every, warned) in [("1.0", false), ("2.0", true), ("3600.0", true)] {
            let text = text.replacen("trace_interval_s = 1.0", &format!("trace_interval_s = {every}"), 1);
            let file = crate::scenario::ScenarioFile::parse(&path, text).expect("parses");
            let found = file.build(crate::scenario::BASELINE).expect("valid").coarse_trace();
            assert_eq!(found.is_some(), warned, "every {every} s: {found:?}");
        }
    }

    fn gondola(rotation: u8) -> Fixture {
        Fixture {
            id: "G".into(),
            kind: FixtureKind::Gondola,
            floor: 0,
            centre: Point::new(5.0, 5.0),
            size: [4.0, 1.0],
            height: 1.8,
            rotation,
            levels: vec![ShelfLevel::Eye],
            faces: vec![Face::Front, Face::Back],
            stop_median_s: 0.0,
        }
    }

    #[test]
    fn quarter_turns_swap_the_footprint_and_turn_the_faces() {
        let cases = [
            (0, (4.0, 1.0), (0.0, -1.0)),
            (1, (1.0, 4.0), (1.0, 0.0)),
            (2, (4.0, 1.0), (0.0, 1.0)),
            (3, (1.0, 4.0), (-1.0, 0.0)),
        ];
        for (rotation, (w, d), front) in cases {
            let g = gondola(rotation);
            let fp = g.footprint();
            assert_eq!((fp.width(), fp.depth()), (w, d), "rotation {rotation}");
            let n = g.face_normal(Face::Front);
            assert!((n.0 - front.0).abs() < 1e-12 && (n.1 - front.1).abs() < 1e-12, "rotation {rotation}: {n:?}");
        }
    }

    #[test]
    fn points_on_a_face_lie_on_its_edge_from_end_to_end() {
        let g = gondola(0);
        // The front face is the bottom edge, walked with the fixture on the left: west to east.
        assert_eq!(g.point_on_face(Face::Front, 0.0), Point::new(3.0, 4.5));
        assert_eq!(g.point_on_face(Face::Front, 4.0), Point::new(7.0, 4.5));
        assert_eq!(g.point_on_face(Face::Back, 1.0), Point::new(6.0, 5.5));
        let turned = gondola(1);
        let p = turned.point_on_face(Face::Front, 2.0);
        assert_eq!(p, Point::new(5.5, 5.0));
    }
}
