//! Variant edits as written: one named change to the base layout each.

use serde::{Deserialize, Serialize};

use super::{Face, FixtureKind, RawCounter, RawFixture, RawLane, ServiceDistribution, ShelfLevel, default_facings};

/// One named change to the base layout; a variant is a list of these.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(tag = "op", rename_all = "snake_case", deny_unknown_fields)]
pub enum RawEdit {
    MoveFixture {
        fixture: String,
        to: [f64; 2],
    },
    RotateFixture {
        fixture: String,
        rotation: u8,
    },
    RemoveFixture {
        fixture: String,
    },
    AddFixture {
        fixture: RawFixture,
    },
    MoveProduct {
        product: String,
        fixture: String,
        face: Face,
        level: ShelfLevel,
        #[serde(default = "default_facings")]
        facings: u16,
    },
    /// Stocks a product in one more place, keeping its others.
    AddPlacement {
        product: String,
        fixture: String,
        face: Face,
        level: ShelfLevel,
        #[serde(default = "default_facings")]
        facings: u16,
    },
    SwapProducts {
        a: String,
        b: String,
    },
    /// Opens a checkout lane or a service counter (`lane` names either).
    OpenLane {
        lane: String,
    },
    /// Closes a checkout lane or a service counter.
    CloseLane {
        lane: String,
    },
    SetPrice {
        product: String,
        price: f64,
    },
    /// A lane's or counter's opening hours `[from, to]` (a till staffed 11–15).
    SetLaneHours {
        lane: String,
        hours: [f64; 2],
    },
    /// A lane's or counter's service-time model; fields left out keep their value.
    SetService {
        lane: String,
        #[serde(default)]
        base_s: Option<f64>,
        #[serde(default)]
        per_item_s: Option<f64>,
        #[serde(default)]
        cv: Option<f64>,
        #[serde(default)]
        distribution: Option<ServiceDistribution>,
    },
    AddLane {
        lane: RawLane,
    },
    RemoveLane {
        lane: String,
    },
    AddCounter {
        counter: RawCounter,
    },
    RemoveCounter {
        counter: String,
    },
    /// Moves a counter's service point, its servers and its line by the
    /// same offset, so that it stands at `to`.
    MoveCounter {
        counter: String,
        to: [f64; 2],
    },
    /// Takes a stair, escalator or lift out of use.
    RemoveConnector {
        connector: String,
    },
    /// Closes a connector (the same as removing it, but it can be opened again).
    CloseConnector {
        connector: String,
    },
    /// Opens a connector the base file has closed.
    OpenConnector {
        connector: String,
    },
    /// Changes how long a connector takes from one end to the other (a
    /// slower escalator, a busier lift).
    SetConnector {
        connector: String,
        traversal_s: f64,
    },
    /// The store's opening hours and the arrival profile over them.
    SetHours {
        hours: [f64; 2],
        hourly_profile: Vec<f64>,
    },
    /// Visitors per day (people).
    SetVisitors {
        daily_visitors: f64,
    },
    /// Visitors per day times `factor` ("Saturday: 40% more" is 1.4).
    ScaleVisitors {
        factor: f64,
    },
    /// Segment shares by id; segments not named keep theirs (the shares
    /// must still add up to 1).
    SetShares {
        shares: std::collections::BTreeMap<String, f64>,
    },
    /// A segment's traits; fields left out keep their value (`categories`,
    /// when given, replaces the segment's mission, `stops` its stops).
    SetSegment {
        segment: String,
        #[serde(default)]
        list_mean: Option<f64>,
        #[serde(default)]
        impulse: Option<f64>,
        #[serde(default)]
        browsing: Option<f64>,
        #[serde(default)]
        patience_s: Option<f64>,
        #[serde(default)]
        dwell_median_s: Option<f64>,
        #[serde(default)]
        group_mean: Option<f64>,
        #[serde(default)]
        categories: Option<std::collections::BTreeMap<String, f64>>,
        /// Replaces the segment's stops at seating and fitting rooms.
        #[serde(default)]
        stops: Option<std::collections::BTreeMap<FixtureKind, f64>>,
        #[serde(default)]
        step_free: Option<bool>,
    },
}
