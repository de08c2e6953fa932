//! Colours, all drawn unlit (and without tonemapping) so that what is on
//! screen is exactly these sRGB values: the screenshot checks rely on it.

use aisle::scenario::model::FixtureKind;

pub type Rgb = [u8; 3];

pub const BACKGROUND: Rgb = [34, 38, 46];
pub const FLOOR: Rgb = [236, 234, 228];
pub const PERIMETER: Rgb = [70, 70, 76];
pub const ZONE_LINE: Rgb = [120, 120, 140];
pub const WALL: Rgb = [168, 168, 176];
pub const SHELF: Rgb = [72, 72, 82];
pub const ENTRANCE: Rgb = [46, 204, 64];
pub const EXIT: Rgb = [222, 58, 58];
pub const TERMINAL_OPEN: Rgb = [0, 158, 115];
pub const TERMINAL_CLOSED: Rgb = [128, 128, 128];
pub const QUEUE_OPEN: Rgb = [0, 110, 80];
pub const QUEUE_CLOSED: Rgb = [150, 150, 150];
pub const PATH: Rgb = [255, 140, 0];
pub const TRAIL: Rgb = [96, 112, 168];
/// The selected shopper's view cone and the products it noticed.
pub const NOTICED: Rgb = [255, 230, 0];
pub const SELECTED: Rgb = [255, 255, 255];

/// Shoppers, by what they are doing: colours used nowhere else in a scene.
pub const SHOPPING: Rgb = [0, 80, 255];
pub const AT_SHELF: Rgb = [0, 255, 0];
pub const QUEUING: Rgb = [255, 0, 255];
pub const SERVED: Rgb = [255, 0, 128];
pub const LEAVING: Rgb = [0, 255, 255];
pub const ABANDONED: Rgb = [150, 0, 255];

/// Walking-direction arrows.
pub const DIRECTION: Rgb = [20, 20, 24];

/// Shoppers by segment or party, in turn: distinct from one another and
/// from the colours of activities, fixtures and lanes.
pub const CATEGORIES: [Rgb; 8] = [
    [31, 119, 180],
    [255, 127, 14],
    [44, 160, 44],
    [148, 103, 189],
    [140, 86, 75],
    [227, 119, 194],
    [188, 189, 34],
    [23, 190, 207],
];

/// Fixtures by kind, as the report's floor plans draw them.
pub fn fixture(kind: FixtureKind) -> Rgb {
    let aisle::style::Rgb(r, g, b) = aisle::style::fixture(kind);
    [r, g, b]
}

pub fn connector(kind: aisle::scenario::model::ConnectorKind) -> Rgb {
    use aisle::scenario::model::ConnectorKind;
    match kind {
        ConnectorKind::Stairs => [150, 110, 70],
        ConnectorKind::Escalator => [100, 100, 124],
        ConnectorKind::Lift => [170, 170, 190],
    }
}

/// The report's sequential heat scale at `t` in 0..=1.
pub fn heat(t: f64) -> Rgb {
    let c = aisle::style::heat(t);
    [c.0, c.1, c.2]
}

/// The report's diverging scale at `t` in −1..=1 (blue fewer, red more).
pub fn diverging(t: f64) -> Rgb {
    let c = aisle::style::diverging(t);
    [c.0, c.1, c.2]
}
