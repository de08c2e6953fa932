//! Colours and scales shared by every picture of a store: the report's
//! figures (plotters) and a viewer's scene use the same values, so a heat
//! map or a fixture looks alike wherever it is drawn. Renderer-neutral:
//! plain sRGB triples, converted at the drawing site.

use crate::scenario::FixtureKind;

/// An sRGB colour, 8 bits a channel.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rgb(pub u8, pub u8, pub u8);

impl Rgb {
    /// The channels as floats in 0..=1, for renderers that want them.
    pub fn unit(self) -> [f32; 3] {
        [self.0 as f32 / 255.0, self.1 as f32 / 255.0, self.2 as f32 / 255.0]
    }
}

/// Sequential heat scale over `t` in 0..=1: pale yellow → orange → dark red.
pub fn heat(t: f64) -> Rgb {
    const STOPS: [(f64, [u8; 3]); 5] = [
        (0.0, [255, 255, 204]),
        (0.25, [254, 217, 118]),
        (0.5, [253, 141, 60]),
        (0.75, [227, 26, 28]),
        (1.0, [128, 0, 38]),
    ];
    let t = t.clamp(0.0, 1.0);
    let k = STOPS.iter().position(|(s, _)| *s >= t).unwrap_or(STOPS.len() - 1).max(1);
    let ((s0, c0), (s1, c1)) = (STOPS[k - 1], STOPS[k]);
    let f = (t - s0) / (s1 - s0);
    let mix = |a: u8, b: u8| (a as f64 + (b as f64 - a as f64) * f).round() as u8;
    Rgb(mix(c0[0], c1[0]), mix(c0[1], c1[1]), mix(c0[2], c1[2]))
}

/// Diverging scale over `t` in −1..=1: blue (fewer) → white (0) → red (more).
pub fn diverging(t: f64) -> Rgb {
    let t = t.clamp(-1.0, 1.0);
    let (end, f) = if t < 0.0 { ([33.0, 102.0, 172.0], -t) } else { ([178.0, 24.0, 43.0], t) };
    let mix = |e: f64| (255.0 + (e - 255.0) * f).round() as u8;
    Rgb(mix(end[0]), mix(end[1]), mix(end[2]))
}

/// The top of a heat scale: the 98th percentile of the positive values, so
/// one queue spot does not wash out the aisles.
pub fn scale_top(values: impl Iterator<Item = f64>) -> f64 {
    let mut v: Vec<f64> = values.filter(|x| *x > 0.0).collect();
    v.sort_by(f64::total_cmp);
    v.get(((v.len() as f64) * 0.98) as usize).or(v.last()).copied().unwrap_or(1.0).max(1e-9)
}

/// A fixture's fill by kind.
pub fn fixture(kind: FixtureKind) -> Rgb {
    match kind {
        FixtureKind::Gondola => Rgb(120, 144, 176),
        FixtureKind::WallShelf => Rgb(96, 112, 140),
        FixtureKind::Endcap => Rgb(230, 159, 0),
        FixtureKind::PromoTable => Rgb(204, 121, 167),
        FixtureKind::Freezer => Rgb(86, 180, 233),
        FixtureKind::Display => Rgb(213, 94, 0),
        FixtureKind::CheckoutCounter => Rgb(0, 158, 115),
        FixtureKind::Obstacle => Rgb(160, 160, 160),
        FixtureKind::Seating => Rgb(166, 118, 29),
        FixtureKind::FittingRoom => Rgb(117, 112, 179),
    }
}

/// One colour per variant, baseline first (grey), then Okabe–Ito tones.
pub const VARIANTS: [Rgb; 6] =
    [Rgb(120, 120, 120), Rgb(0, 114, 178), Rgb(230, 159, 0), Rgb(0, 158, 115), Rgb(204, 121, 167), Rgb(213, 94, 0)];

/// The `i`-th variant's colour (the palette repeats past six).
pub fn variant(i: usize) -> Rgb {
    VARIANTS[i % VARIANTS.len()]
}

/// Marks on a floor plan.
/// Walls inside the footprint: darker than any fixture, drawn solid even under heat.
pub const WALL: Rgb = Rgb(70, 70, 78);
pub const ZONE_OUTLINE: Rgb = Rgb(90, 90, 90);
pub const ZONE_LABEL: Rgb = Rgb(60, 60, 60);
pub const TERMINAL: Rgb = Rgb(0, 120, 80);
/// A lane closed in this layout.
pub const CLOSED: Rgb = Rgb(150, 150, 150);
pub const CONNECTOR: Rgb = Rgb(110, 60, 160);
pub const ENTRANCE: Rgb = Rgb(0, 140, 0);
pub const EXIT: Rgb = Rgb(200, 0, 0);
/// Walking-direction arrows, made more opaque as the flow grows.
pub const FLOW: Rgb = Rgb(20, 60, 160);

/// A comparison's verdict: better, worse, changed where neither direction
/// is better, or no significant change.
pub const BETTER: Rgb = Rgb(27, 120, 55);
pub const WORSE: Rgb = Rgb(202, 0, 32);
pub const CHANGED: Rgb = Rgb(33, 102, 172);
pub const UNCHANGED: Rgb = Rgb(140, 140, 140);
