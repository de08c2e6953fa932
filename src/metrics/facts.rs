//! Stylised facts of supermarket shopping that a credible day reproduces,
//! each computed from the event log and held against a target from field
//! studies (`aisle run --validate-behaviour`).

use crate::Prepared;
use crate::events::{Action, SimEvent};
use crate::metrics::stall::STALL_LIMIT_S;
use crate::metrics::{DayMetrics, Projection};
use crate::store::PERIMETER_BAND_M;

/// No shopper stands still outside a checkout line for longer than this:
/// gridlock is a bug, not behaviour.
pub const FREEZE_LIMIT_S: f64 = 120.0;
/// The name of the fact that holds the longest freeze against it.
pub const FREEZE_FACT: &str = "longest freeze outside a line (s)";
/// The name of the fact of the stall invariant (`metrics::stall`).
pub const STALL_FACT: &str = "longest wait with a till or terminal free (s)";

/// Shoppers who walk less than this are not counted for circulation: a
/// dash in and out has no direction worth the name.
const MIN_PATH_FOR_DIRECTION_M: f64 = 20.0;

#[derive(Debug, Clone, PartialEq)]
pub struct Fact {
    pub name: &'static str,
    pub value: f64,
    /// What the value must satisfy, in words; `None` when the store has no
    /// target for it (the figure is shown for information).
    pub target: Option<String>,
    pub holds: bool,
    pub source: &'static str,
}

impl Fact {
    /// A figure the store has no target for.
    fn shown(name: &'static str, value: f64) -> Fact {
        Fact {
            name,
            value,
            target: None,
            holds: true,
            source: "no target for this kind of store: state one in the scenario's [behaviour]",
        }
    }

    /// A figure the day gave nothing to measure by (NaN, held to nothing).
    fn unmeasured(name: &'static str, why: &'static str) -> Fact {
        Fact { name, value: f64::NAN, target: None, holds: true, source: why }
    }
}

fn in_band(p: &Prepared, x: f64, y: f64) -> bool {
    p.store.on_perimeter(crate::geom::Point::new(x, y))
}

/// The facts for one day's events (what a run folds as it goes, for a
/// day at hand).
pub fn stylised_facts(p: &Prepared, events: &[SimEvent]) -> Vec<Fact> {
    let layout = crate::metrics::Layout::new(p);
    let mut day = crate::metrics::DayProjection::new(&layout);
    let mut walks = Walks::new(p);
    day.observe_all(events);
    walks.observe_all(events);
    walks.facts(&day.finish())
}

/// The walking the facts need, folded event by event: path lengths (in
/// all and along the perimeter) and which way round each shopper went.
pub struct Walks<'a> {
    p: &'a Prepared,
    /// Per shopper in the store.
    walks: Vec<Option<Walk>>,
    path_m: f64,
    band_path_m: f64,
    /// Shoppers who walked far enough to have a direction, and of them
    /// those going the configured way.
    counted: u64,
    with_direction: u64,
    /// The store's centre, and whether the configured way round is counter-clockwise.
    centre: (f64, f64),
    ccw: bool,
}

/// One shopper's walk so far.
#[derive(Debug, Clone, Copy)]
struct Walk {
    /// Last position and floor.
    at: (f64, f64, u8),
    length_m: f64,
    /// Twice the signed area swept about the store's centre: positive counter-clockwise.
    area: f64,
}

impl<'a> Walks<'a> {
    pub fn new(p: &'a Prepared) -> Self {
        Walks {
            p,
            walks: Vec::new(),
            path_m: 0.0,
            band_path_m: 0.0,
            counted: 0,
            with_direction: 0,
            centre: (p.scenario.store.width / 2.0, p.scenario.store.depth / 2.0),
            ccw: p.scenario.population.circulation.sign() >= 0.0,
        }
    }
}

impl Projection for Walks<'_> {
    fn observe(&mut self, e: &SimEvent) {
        // Paths run through the position samples, so shuffling on the spot adds nothing.
        if !matches!(e.action, Action::Enter { .. } | Action::Move | Action::Exit) {
            return;
        }
        let p = self.p;
        let (cx, cy) = self.centre;
        let (x, y) = (e.x as f64, e.y as f64);
        let i = e.shopper as usize;
        if self.walks.len() <= i {
            self.walks.resize(i + 1, None);
        }
        let walk = self.walks[i].get_or_insert(Walk { at: (x, y, e.floor), length_m: 0.0, area: 0.0 });
        let (px, py, pf) = walk.at;
        if pf == e.floor {
            let d = (x - px).hypot(y - py);
            walk.length_m += d;
            self.path_m += d;
            if in_band(p, (x + px) / 2.0, (y + py) / 2.0) {
                self.band_path_m += d;
            }
            walk.area += (px - cx) * (y - py) - (py - cy) * (x - px);
        }
        walk.at = (x, y, e.floor);
        if let Action::Exit = e.action {
            let Walk { length_m, area, .. } = self.walks[i].take().expect("walk exists");
            if length_m >= MIN_PATH_FOR_DIRECTION_M {
                self.counted += 1;
                self.with_direction += ((area > 0.0) == self.ccw) as u64;
            }
        }
    }
}

impl Walks<'_> {
    /// The facts of the day: these walks with the day's figures `m`.
    pub fn facts(&self, m: &DayMetrics) -> Vec<Fact> {
        let (p, ccw) = (self.p, self.ccw);
        let (path_m, band_path_m) = (self.path_m, self.band_path_m);
        let (counted, with_direction) = (self.counted, self.with_direction);
        let st = &p.store;
        let (mut floor_m2, mut band_m2) = (0.0, 0.0);
        for c in 0..st.cell_count() as u32 {
            if st.is_walkable(c) {
                let (_, centre) = st.centre(c);
                floor_m2 += st.cell * st.cell;
                if in_band(p, centre.x, centre.y) {
                    band_m2 += st.cell * st.cell;
                }
            }
        }
        let ratio = |a: f64, b: f64| if b > 0.0 { a / b } else { 0.0 };
        let band_path = ratio(band_path_m, path_m);
        let band_area = ratio(band_m2, floor_m2);
        let direction = ratio(with_direction as f64, counted as f64);
        let direction_name = if ccw { "counter-clockwise" } else { "clockwise" };
        // The day's own figures, as the catalogue defines them (conversion per
        // party: a family pays once).
        let figure = |name: &str| m.figure(name).expect("in the catalogue");
        let (conversion, unplanned_share) = (figure("conversion_rate"), figure("unplanned_share"));
        let longest_freeze_s = m.longest_freeze_s;
        let b = &p.scenario.behaviour;
        let mut facts = vec![Fact {
            name: FREEZE_FACT,
            value: longest_freeze_s,
            target: Some(format!("≤ {FREEZE_LIMIT_S}")),
            holds: longest_freeze_s <= FREEZE_LIMIT_S,
            source: "aisle's invariant: a shopper stands still within 1 m (outside a checkout line, not shopping) only while waiting briefly for room; longer is gridlock",
        }];
        let longest_stall_s = m.longest_stall_s;
        facts.push(Fact {
            name: STALL_FACT,
            value: longest_stall_s,
            target: Some(format!("≤ {STALL_LIMIT_S}")),
            holds: longest_stall_s <= STALL_LIMIT_S,
            source: "aisle's invariant: the next in line walks to a free terminal in seconds, one moving to a shorter line in a few minutes at most; a line standing before one longer is stuck",
        });
        const CONVERSION: &str = "conversion rate (per party)";
        // An empty day has no share to hold to a target (it read NaN and failed).
        facts.push(match &b.conversion_min {
            _ if conversion.is_nan() => Fact::unmeasured(CONVERSION, "no party came this day: nothing to convert"),
            Some(t) => Fact {
                name: CONVERSION,
                value: conversion,
                target: Some(format!("≥ {}", t.value)),
                holds: conversion >= t.value,
                source: t.source,
            },
            None => Fact::shown(CONVERSION, conversion),
        });
        const UNPLANNED: &str = "unplanned share of purchases";
        facts.push(match &b.unplanned_share {
            _ if unplanned_share.is_nan() => {
                Fact::unmeasured(UNPLANNED, "nothing was bought this day: no share to tell")
            }
            Some(t) => Fact {
                name: UNPLANNED,
                value: unplanned_share,
                target: Some(format!("between {:.2} and {:.2}", t.value[0], t.value[1])),
                holds: (t.value[0]..=t.value[1]).contains(&unplanned_share),
                source: t.source,
            },
            None => Fact::shown(UNPLANNED, unplanned_share),
        });
        const PERIMETER: &str = "share of path on the perimeter";
        facts.push(match &b.perimeter_paths {
            // No floor off the band: no path can keep to it more than its share.
            Some(t) if t.value && band_area >= 1.0 => Fact::unmeasured(
                PERIMETER,
                "the band along the walls covers the whole floor: no floor off it to keep away from",
            ),
            // Held to a target or shown, a day nobody walked has no share ("0.000" read as measured).
            _ if path_m <= 0.0 => Fact::unmeasured(PERIMETER, "nobody walked this day"),
            Some(t) if t.value => Fact {
                name: PERIMETER,
                value: band_path,
                target: Some(format!("> the perimeter's share of floor, {band_area:.3} ({PERIMETER_BAND_M} m band)")),
                holds: band_path > band_area,
                source: t.source,
            },
            _ => Fact::shown(PERIMETER, band_path),
        });
        // Only a store with a habitual direction is held to it; otherwise the
        // anticlockwise share is shown for information.
        const NO_LONG_PATHS: &str = "nobody walked 20 m or more this day: no path long enough to tell a direction by";
        const _: () = assert!(MIN_PATH_FOR_DIRECTION_M == 20.0, "the message above says 20 m");
        if p.scenario.population.circulation.sign() == 0.0 {
            const SHARE: &str = "shoppers circulating counter-clockwise (no direction configured)";
            facts.push(if counted == 0 {
                Fact::unmeasured(SHARE, NO_LONG_PATHS)
            } else {
                Fact::shown(SHARE, direction)
            });
        } else if counted == 0 {
            facts.push(Fact::unmeasured("shoppers circulating in the configured direction", NO_LONG_PATHS));
        } else {
            facts.push(Fact {
                name: "shoppers circulating in the configured direction",
                value: direction,
                target: Some(format!("> 0.5 ({direction_name}, shoppers walking ≥ {MIN_PATH_FOR_DIRECTION_M} m)")),
                holds: direction > 0.5,
                source: "Larson, Bradlow & Fader (2005) observed most trips travelling counter-clockwise; the direction is a scenario setting",
            });
        }
        facts
    }
}

/// The facts as lines for the terminal: verdict, name, value, target, source.
pub fn describe(facts: &[Fact]) -> String {
    let mut out = String::new();
    for f in facts {
        let verdict = match (&f.target, f.holds) {
            (None, _) => "info",
            (Some(_), true) => "ok  ",
            (Some(_), false) => "FAIL",
        };
        let target = f.target.as_deref().map_or_else(|| "none".to_owned(), |t| format!("target {t}"));
        let value = if f.value.is_nan() { "—".to_owned() } else { format!("{:.3}", f.value) };
        out += &format!("  {verdict} {:<50} {value}  {target}\n", f.name);
        out += &format!("       source: {}\n", f.source);
    }
    out
}
