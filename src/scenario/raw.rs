//! The scenario file as written: serde types that mirror the TOML one to one.
//!
//! Nothing here is checked beyond syntax and types; `validate` turns a
//! `RawScenario` into the typed, consistent `Scenario` model. Variant edits
//! are applied to these raw types, so an edited layout is validated exactly
//! like a written one.

use serde::{Deserialize, Serialize};

pub use edit::RawEdit;

mod edit;
mod exact;

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawScenario {
    pub scenario: RawMeta,
    pub store: RawStore,
    #[serde(default)]
    pub fixtures: Vec<RawFixture>,
    #[serde(default)]
    pub zones: Vec<RawZone>,
    #[serde(default)]
    pub entrances: Vec<RawPoint>,
    #[serde(default)]
    pub exits: Vec<RawPoint>,
    #[serde(default)]
    pub checkouts: Vec<RawLane>,
    /// Service counters: a desk with its own line, visited mid-visit.
    #[serde(default)]
    pub counters: Vec<RawCounter>,
    #[serde(default)]
    pub categories: Vec<RawCategory>,
    #[serde(default)]
    pub products: Vec<RawProduct>,
    #[serde(default)]
    pub planogram: Vec<RawPlacement>,
    pub population: RawPopulation,
    #[serde(default)]
    pub behaviour: RawBehaviour,
    #[serde(default)]
    pub run: RawRun,
    #[serde(default)]
    pub variants: Vec<RawVariant>,
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawMeta {
    pub name: String,
    #[serde(default)]
    pub description: String,
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawStore {
    /// Width (x) and depth (y) of the store in metres.
    #[serde(deserialize_with = "exact::array")]
    pub footprint: [f64; 2],
    /// Side of a navigation grid cell in metres.
    #[serde(default = "default_cell")]
    pub cell: f64,
    pub floors: Vec<RawFloor>,
    #[serde(default)]
    pub connectors: Vec<RawConnector>,
    #[serde(default)]
    pub walls: Vec<RawWall>,
    /// Walkways narrower than this (metres) are reported as warnings.
    #[serde(default)]
    pub min_walkway_m: Option<f64>,
}

fn default_cell() -> f64 {
    0.25
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawFloor {
    pub id: String,
    #[serde(default)]
    pub elevation: f64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ConnectorKind {
    Stairs,
    Escalator,
    Lift,
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawConnector {
    pub id: String,
    pub kind: ConnectorKind,
    pub from: RawFloorPoint,
    pub to: RawFloorPoint,
    /// Seconds to get from one end to the other.
    pub traversal_s: f64,
    /// Escalators run one way; stairs and lifts both ways.
    #[serde(default)]
    pub one_way: bool,
    /// A closed connector (out of order, fenced off) is kept in the file
    /// but nobody uses it; a variant may open it (`open_connector`).
    #[serde(default = "default_true")]
    pub open: bool,
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawFloorPoint {
    pub floor: String,
    #[serde(deserialize_with = "exact::array")]
    pub at: [f64; 2],
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawWall {
    pub floor: String,
    #[serde(deserialize_with = "exact::array")]
    pub from: [f64; 2],
    #[serde(deserialize_with = "exact::array")]
    pub to: [f64; 2],
    #[serde(default = "default_wall_thickness")]
    pub thickness: f64,
}

fn default_wall_thickness() -> f64 {
    0.2
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FixtureKind {
    Gondola,
    WallShelf,
    Endcap,
    PromoTable,
    Freezer,
    Display,
    CheckoutCounter,
    /// Holds no products: a pillar, a café counter, a barrier. Blocks the
    /// floor, and the view when 1.4 m or taller.
    Obstacle,
    /// Seats (a bench, café tables): holds no products; a shopper whose
    /// segment `stops` here sits in front of one of its `faces` for a while.
    Seating,
    /// A fitting room: holds no products; a shopper whose segment `stops`
    /// here tries things on in front of one of its `faces` (its doors).
    FittingRoom,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ShelfLevel {
    Floor,
    Knee,
    Waist,
    Eye,
    Top,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Face {
    Front,
    Back,
    Left,
    Right,
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawFixture {
    pub id: String,
    pub kind: FixtureKind,
    #[serde(default)]
    pub floor: Option<String>,
    /// Centre of the footprint, metres.
    #[serde(deserialize_with = "exact::array")]
    pub at: [f64; 2],
    /// Width (along the front face) and depth, metres, before rotation.
    #[serde(deserialize_with = "exact::array")]
    pub size: [f64; 2],
    /// Height in metres; it decides what blocks a shopper's view.
    pub height: f64,
    /// Quarter turns counter-clockwise; the unrotated front faces −y.
    #[serde(default)]
    pub rotation: u8,
    /// Shelf levels present, bottom to top.
    #[serde(default)]
    pub levels: Vec<ShelfLevel>,
    /// Faces shoppers can take products from (seating and fitting rooms:
    /// the sides used).
    #[serde(default)]
    pub faces: Vec<Face>,
    /// Seating and fitting rooms: the median seconds a stop there lasts
    /// (default 300 for seating, 240 for a fitting room).
    #[serde(default)]
    pub dwell_median_s: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawZone {
    pub id: String,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub floor: Option<String>,
    /// `[x0, y0, x1, y1]`; give this or `polygon`.
    #[serde(default, deserialize_with = "exact::option")]
    pub rect: Option<[f64; 4]>,
    #[serde(default, deserialize_with = "exact::option_list")]
    pub polygon: Option<Vec<[f64; 2]>>,
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawPoint {
    pub id: String,
    #[serde(default)]
    pub floor: Option<String>,
    #[serde(deserialize_with = "exact::array")]
    pub at: [f64; 2],
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LaneKind {
    Staffed,
    SelfService,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    North,
    East,
    South,
    West,
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawLane {
    pub id: String,
    pub kind: LaneKind,
    #[serde(default)]
    pub floor: Option<String>,
    /// Where the shopper stands while being served (with `terminals`: the
    /// head of the one line that feeds them).
    #[serde(deserialize_with = "exact::array")]
    pub at: [f64; 2],
    /// Direction the queue grows from the service point.
    pub queue: Direction,
    /// Self-service only: where each terminal's user stands. One line
    /// feeds them all; its front goes to the first terminal free.
    #[serde(default, deserialize_with = "exact::option_list")]
    pub terminals: Option<Vec<[f64; 2]>>,
    /// Queue places laid out on the floor (0.6 m apart).
    #[serde(default = "default_queue_places")]
    pub queue_places: u16,
    pub service: RawService,
    /// Opening hours `[from, to]`, hours since midnight; default: store hours.
    #[serde(default, deserialize_with = "exact::option")]
    pub hours: Option<[f64; 2]>,
    #[serde(default = "default_true")]
    pub open: bool,
}

/// A service counter (a dispensary, a deli, a customer-service desk): a
/// shopper with a product of a category it `sells` on the list joins its
/// line mid-visit, is served (one service for all such products), takes
/// them and shops on; one who gives up leaves them unbought. The products
/// of the categories it sells are on no shelf.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawCounter {
    pub id: String,
    #[serde(default)]
    pub floor: Option<String>,
    /// Where the shopper stands while being served (with `servers`: the
    /// head of the one line that feeds them).
    #[serde(deserialize_with = "exact::array")]
    pub at: [f64; 2],
    /// Direction the queue grows from the service point.
    pub queue: Direction,
    /// Where each shopper stands while served when several staff serve
    /// one line; default: one server at `at`.
    #[serde(default, deserialize_with = "exact::option_list")]
    pub servers: Option<Vec<[f64; 2]>>,
    /// Queue places laid out on the floor (0.6 m apart).
    #[serde(default = "default_queue_places")]
    pub queue_places: u16,
    /// `per_item_s` counts the products served in one visit.
    pub service: RawService,
    /// Opening hours `[from, to]`, hours since midnight; default: store hours.
    #[serde(default, deserialize_with = "exact::option")]
    pub hours: Option<[f64; 2]>,
    #[serde(default = "default_true")]
    pub open: bool,
    /// The category ids sold here (each at one counter at most).
    pub sells: Vec<String>,
}

impl FixtureKind {
    /// Seating and fitting rooms: fixtures shoppers stop at without buying.
    pub const STOPS: [FixtureKind; 2] = [FixtureKind::Seating, FixtureKind::FittingRoom];

    /// The median seconds of a stop at a fixture of this kind unless the
    /// fixture says otherwise: a sit-down of five minutes, four to try on.
    pub fn default_stop_s(self) -> f64 {
        match self {
            FixtureKind::Seating => 300.0,
            _ => 240.0,
        }
    }
}

impl RawCounter {
    /// The counter as a lane with one line: staffed with one server, or
    /// like a self-service bank with several. Validated as one.
    pub fn as_lane(&self) -> RawLane {
        RawLane {
            id: self.id.clone(),
            kind: if self.servers.is_some() { LaneKind::SelfService } else { LaneKind::Staffed },
            floor: self.floor.clone(),
            at: self.at,
            queue: self.queue,
            terminals: self.servers.clone(),
            queue_places: self.queue_places,
            service: self.service.clone(),
            hours: self.hours,
            open: self.open,
        }
    }
}

fn default_queue_places() -> u16 {
    6
}

fn default_true() -> bool {
    true
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawService {
    /// Fixed seconds per transaction (greeting, payment).
    pub base_s: f64,
    /// Seconds per item scanned.
    pub per_item_s: f64,
    /// Coefficient of variation of the service time (log-normal).
    #[serde(default = "default_service_cv")]
    pub cv: f64,
    /// `lognormal` (with `cv`) or `exponential` (cv 1, memoryless: the
    /// textbook M/M/c queue).
    #[serde(default)]
    pub distribution: ServiceDistribution,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ServiceDistribution {
    #[default]
    Lognormal,
    Exponential,
}

fn default_service_cv() -> f64 {
    0.3
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawCategory {
    pub id: String,
    #[serde(default)]
    pub name: Option<String>,
    /// Relative weight of this category when a shopping list is drawn.
    pub list_weight: f64,
    /// Display colour, `#rrggbb`.
    #[serde(default)]
    pub colour: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawProduct {
    pub id: String,
    #[serde(default)]
    pub name: Option<String>,
    pub category: String,
    /// Shelf price in currency units (converted to integer cents).
    pub price: f64,
    /// Gross margin as a fraction of price.
    pub margin: f64,
    /// Chance in [0, 1] that a shopper who notices it buys it unplanned.
    pub appeal: f64,
    /// Relative weight within its category when lists are drawn.
    #[serde(default = "default_one")]
    pub popularity: f64,
}

fn default_one() -> f64 {
    1.0
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawPlacement {
    pub product: String,
    pub fixture: String,
    pub face: Face,
    pub level: ShelfLevel,
    #[serde(default = "default_facings")]
    pub facings: u16,
}

pub(super) fn default_facings() -> u16 {
    1
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawPopulation {
    pub daily_visitors: f64,
    /// Opening hours `[open, close]`, hours since midnight.
    #[serde(deserialize_with = "exact::array")]
    pub hours: [f64; 2],
    /// Relative arrival intensity for each opening hour.
    pub hourly_profile: Vec<f64>,
    pub segments: Vec<RawSegment>,
    /// The habitual direction of travel around the store.
    #[serde(default)]
    pub circulation: Circulation,
    /// Metres of walking a shopper would rather add than double back
    /// against `circulation` for the next item.
    #[serde(default = "default_circulation_penalty_m")]
    pub circulation_penalty_m: f64,
    /// How much more effort walking off the perimeter feels (0: none, 0.5:
    /// half as much again), so routes keep to the racetrack and dip into
    /// aisles briefly.
    #[serde(default)]
    pub aisle_reluctance: f64,
}

/// What a day's arrival plan is drawn from (`sim::arrivals`): how many
/// come, over how long a day (ms, as `validate` rounds the hours) and
/// when in it, of which segments, in parties of what size. When the day
/// starts is not among them: arrivals are drawn from opening.
type ArrivalInputs<'a> = (f64, u64, &'a [f64], Vec<(&'a str, f64, f64)>);

impl RawPopulation {
    /// What a day's arrival plan is drawn from: two populations with the
    /// same meet the same shoppers day for day.
    pub fn arrival_inputs(&self) -> ArrivalInputs<'_> {
        let segments = self.segments.iter().map(|g| (g.id.as_str(), g.share, g.group_mean)).collect();
        let [open_ms, close_ms] = self.hours.map(crate::scenario::validate::hours_to_ms);
        (self.daily_visitors, close_ms.saturating_sub(open_ms), &self.hourly_profile, segments)
    }
}

fn default_circulation_penalty_m() -> f64 {
    8.0
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Circulation {
    /// Nearest item next, whatever the direction.
    #[default]
    None,
    CounterClockwise,
    Clockwise,
}

impl Circulation {
    /// +1 counter-clockwise, −1 clockwise, 0 none (as seen on the plan, y up).
    pub fn sign(self) -> f64 {
        match self {
            Circulation::None => 0.0,
            Circulation::CounterClockwise => 1.0,
            Circulation::Clockwise => -1.0,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawSegment {
    pub id: String,
    pub share: f64,
    /// Planned items: 1 + Poisson(mean − 1); below 1, Poisson(mean), so a
    /// share e^−mean come with nothing planned (0: to look, buying only on
    /// impulse).
    pub list_mean: f64,
    /// Walking speed in m/s, normal, truncated to [0.4, 2.0].
    pub speed_mean: f64,
    #[serde(default = "default_speed_sd")]
    pub speed_sd: f64,
    /// Propensity in [0, 1] to buy on impulse.
    pub impulse: f64,
    /// Seconds the shopper will queue before giving up.
    pub patience_s: f64,
    /// Tendency in [0, 1] to wander and browse.
    #[serde(default)]
    pub browsing: f64,
    /// Chance in [0, 1] that a picked item is put back.
    #[serde(default)]
    pub put_back: f64,
    /// Median seconds spent at a shelf (log-normal dwell).
    #[serde(default = "default_dwell")]
    pub dwell_median_s: f64,
    /// Seconds a shopper looks for a planned product at its shelf before
    /// giving up (a lost sale).
    #[serde(default = "default_search_patience")]
    pub search_patience_s: f64,
    /// Mean group size (1 = alone).
    #[serde(default = "default_one")]
    pub group_mean: f64,
    /// The segment's mission: its own weight per category id for what it
    /// plans and browses, in place of the categories' `list_weight`
    /// (`{ prescriptions = 1 }`: prescription collectors). Categories not
    /// named weigh 0.
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub categories: std::collections::BTreeMap<String, f64>,
    /// Takes lifts only between floors, never stairs or escalators (a
    /// wheelchair, a pushchair).
    #[serde(default)]
    pub step_free: bool,
    /// The chance a shopper of the segment stops once at seating or a
    /// fitting room during a visit, by fixture kind (`seating`,
    /// `fitting_room`): it spends time there without buying.
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub stops: std::collections::BTreeMap<FixtureKind, f64>,
}

fn default_search_patience() -> f64 {
    20.0
}

fn default_speed_sd() -> f64 {
    0.2
}

fn default_dwell() -> f64 {
    6.0
}

/// The stylised facts `aisle run --validate-behaviour` holds the store to:
/// a kind's cited defaults, each replaceable.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawBehaviour {
    #[serde(default)]
    pub store_kind: StoreKind,
    /// Smallest share of shopping parties that pay.
    pub conversion_min: Option<f64>,
    /// Range of the share of purchases that were not on the list.
    #[serde(default, deserialize_with = "exact::option")]
    pub unplanned_share: Option<[f64; 2]>,
    /// Whether paths keep to the perimeter more than its share of floor.
    pub perimeter_paths: Option<bool>,
}

/// What kind of store a scenario is, for its behavioural targets.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum StoreKind {
    /// Supermarket facts from field studies (the default).
    #[default]
    Grocery,
    /// No defaults: only the targets the scenario states.
    Other,
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawRun {
    #[serde(default = "default_tick")]
    pub tick_s: f64,
    #[serde(default = "default_trace")]
    pub trace_interval_s: f64,
    /// Hours after closing for the last shoppers to finish and leave.
    #[serde(default = "default_drain")]
    pub drain_h: f64,
    /// Memory the navigation data may use, MiB.
    #[serde(default = "default_memory")]
    pub memory_limit_mib: f64,
}

impl Default for RawRun {
    fn default() -> Self {
        RawRun {
            tick_s: default_tick(),
            trace_interval_s: default_trace(),
            drain_h: default_drain(),
            memory_limit_mib: default_memory(),
        }
    }
}

/// `run.tick_s` when the file gives none, seconds.
pub const DEFAULT_TICK_S: f64 = 0.1;

fn default_tick() -> f64 {
    DEFAULT_TICK_S
}
/// `run.trace_interval_s` when the file gives none, seconds.
pub const DEFAULT_TRACE_S: f64 = 1.0;

fn default_trace() -> f64 {
    DEFAULT_TRACE_S
}
fn default_drain() -> f64 {
    1.0
}
fn default_memory() -> f64 {
    super::DEFAULT_MEMORY_LIMIT_MIB
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawVariant {
    pub id: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub edits: Vec<RawEdit>,
}

/// The name a value has in the file (`wall_shelf`, `eye`, `front`), for messages.
fn file_name<T: Serialize>(value: &T) -> String {
    serde_json::to_value(value).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default()
}

macro_rules! display_as_in_file {
    ($($t:ty),*) => {$(
        impl std::fmt::Display for $t {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&file_name(self))
            }
        }
    )*};
}

display_as_in_file!(ConnectorKind, FixtureKind, ShelfLevel, Face, LaneKind, Direction);
