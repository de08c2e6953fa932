//! Raw scenario → validated model. Collects every problem rather than
//! stopping at the first, and names the offending ids.

use std::collections::{HashMap, HashSet};

use super::error::{Problem, problem_line};
use super::model::*;
use super::raw::*;
use crate::geom::{Point, Rect};

mod catalogue;
mod desk;
mod ids;
mod population;

pub(super) use catalogue::prices_off_the_cent;
pub(super) use population::{STOPS_ARE, profile_mismatch};

/// Checks `raw` and builds the model; `source` is the file text, used only
/// to point problems at lines.
pub fn validate(
    raw: &RawScenario,
    source: &str,
    variant: Option<&str>,
    source_sha256: &str,
) -> Result<Scenario, Vec<Problem>> {
    let mut v = Validator { source, variant, problems: Vec::new() };
    let scenario = v.scenario(raw, source_sha256);
    if v.problems.is_empty() { Ok(scenario) } else { Err(v.problems) }
}

struct Validator<'a> {
    source: &'a str,
    variant: Option<&'a str>,
    problems: Vec<Problem>,
}

/// The farthest a coordinate may lie from the origin, metres.
const MAX_COORDINATE_M: f64 = 10_000.0;

/// The range a number of the scenario file must lie in.
#[derive(Debug, Clone, Copy)]
enum Bounds {
    /// `lo ≤ x ≤ hi`.
    Closed(f64, f64, &'static str),
    /// `0 < x ≤ hi`.
    Positive(f64, &'static str),
}

impl Bounds {
    fn holds(self, x: f64) -> bool {
        match self {
            Bounds::Closed(lo, hi, _) => (lo..=hi).contains(&x),
            Bounds::Positive(hi, _) => x > 0.0 && x <= hi,
        }
    }
}

impl std::fmt::Display for Bounds {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Bounds::Closed(lo, hi, unit) => write!(f, "between {lo} and {hi}{unit}"),
            Bounds::Positive(hi, unit) => write!(f, "more than 0 and at most {hi}{unit}"),
        }
    }
}

const SHELVED: [FixtureKind; 5] =
    [FixtureKind::Gondola, FixtureKind::WallShelf, FixtureKind::Endcap, FixtureKind::Freezer, FixtureKind::Display];

impl Validator<'_> {
    fn problem(&mut self, anchor: Option<(&str, &str)>, message: String) {
        let line = problem_line(self.source, self.variant, anchor, &message);
        self.problems.push(Problem { variant: self.variant.map(str::to_owned), line, message });
    }

    fn check(&mut self, ok: bool, anchor: Option<(&str, &str)>, message: impl FnOnce() -> String) {
        if !ok {
            self.problem(anchor, message());
        }
    }

    /// Refuses a number outside `bounds` (NaN and infinities included):
    /// every number of a scenario has one, listed in `scenarios/tiny.toml`.
    fn within(&mut self, value: f64, bounds: Bounds, what: &str, anchor: Option<(&str, &str)>) {
        self.check(bounds.holds(value), anchor, || format!("{what} must be {bounds}, got {}", shown(value)));
    }

    /// Refuses `s` seconds of `field` between two whole milliseconds (the
    /// clock would round it without a word), naming the nearest two.
    fn whole_milliseconds(&mut self, field: &str, s: f64) -> bool {
        let whole = whole_milliseconds(s);
        self.check(whole, None, || {
            format!(
                "{field} must be a whole number of milliseconds, got {} s: try {} or {}",
                shown(s),
                (s * 1000.0).floor().max(1.0) / 1000.0,
                (s * 1000.0).ceil() / 1000.0
            )
        });
        whole
    }

    /// Refuses a point with a coordinate that is not a finite number of metres.
    fn finite_point(&mut self, p: &[f64], what: &str, anchor: Option<(&str, &str)>) -> bool {
        let ok = p.iter().all(|c| c.is_finite() && c.abs() <= MAX_COORDINATE_M);
        self.check(ok, anchor, || {
            let list = p.iter().map(ToString::to_string).collect::<Vec<_>>().join(", ");
            format!("{what} [{list}] must be coordinates in metres between -{MAX_COORDINATE_M} and {MAX_COORDINATE_M}")
        });
        ok
    }

    fn unit_interval(&mut self, value: f64, what: &str, anchor: (&str, &str)) {
        self.check((0.0..=1.0).contains(&value), Some(anchor), || {
            format!("{what} must be a probability in [0, 1], got {value}")
        });
    }

    fn floor_index(&mut self, floors: &[RawFloor], floor: Option<&str>, what: &str, id: &str) -> u8 {
        match floor {
            None => 0,
            Some(f) => match floors.iter().position(|x| x.id == f) {
                Some(i) => i as u8,
                None => {
                    self.problem(
                        Some((section_of(what), id)),
                        format!("{what} `{id}` is on floor `{f}`, which is not in `store.floors`"),
                    );
                    0
                }
            },
        }
    }

    fn scenario(&mut self, raw: &RawScenario, sha: &str) -> Scenario {
        let store = self.store(&raw.store);
        // A bad footprint is reported once, not again for everything outside it.
        let bounds = footprint_ok(raw.store.footprint).then(|| store.bounds());
        let mut population = self.population(&raw.population);
        let fixtures = self.fixtures(raw, bounds.as_ref());
        let zones = self.zones(raw);
        let entrances = self.portals(raw, &raw.entrances, "entrance", bounds.as_ref());
        let exits = self.portals(raw, &raw.exits, "exit", bounds.as_ref());
        let lanes = self.lanes(raw, &population);
        let categories = self.categories(&raw.categories);
        let counters = self.counters(raw, &population, &categories);
        let products = self.products(raw, &categories, &fixtures, &counters);
        self.missions(&raw.population, &categories, &mut population);
        self.stop_fixtures(&raw.population, &fixtures, &population);
        let run = self.run(&raw.run);
        let behaviour = self.behaviour(&raw.behaviour);
        Scenario {
            name: raw.scenario.name.clone(),
            description: raw.scenario.description.clone(),
            source_sha256: sha.to_owned(),
            variant: self.variant.unwrap_or(BASELINE).to_owned(),
            store,
            fixtures,
            zones,
            entrances,
            exits,
            lanes,
            counters,
            categories,
            products,
            population,
            behaviour,
            run,
        }
    }

    /// The store kind's cited targets, replaced by those the file states.
    fn behaviour(&mut self, b: &RawBehaviour) -> Behaviour {
        const STATED: &str = "stated in the scenario's [behaviour]";
        let grocery = b.store_kind == StoreKind::Grocery;
        if let Some(c) = b.conversion_min {
            self.within(c, Bounds::Closed(0.0, 1.0, ""), "behaviour.conversion_min", None);
        }
        if let Some([lo, hi]) = b.unplanned_share {
            self.check((0.0..=1.0).contains(&lo) && (lo..=1.0).contains(&hi), None, || {
                format!("behaviour.unplanned_share must be [low, high] with 0 ≤ low ≤ high ≤ 1, got [{lo}, {hi}]")
            });
        }
        fn target<T>(stated: Option<T>, default: T, source: &'static str, kind_has: bool) -> Option<Target<T>> {
            match stated {
                Some(value) => Some(Target { value, source: STATED }),
                None => kind_has.then_some(Target { value: default, source }),
            }
        }
        Behaviour {
            conversion_min: target(
                b.conversion_min,
                0.85,
                "grocery trips are need-driven and nearly all end at a till; the target is the one set for aisle's grocery",
                grocery,
            ),
            unplanned_share: target(
                b.unplanned_share,
                [0.30, 0.70],
                "Kollat & Willett (1967, J. Marketing Research 4(1)) found 50.5% of supermarket purchases unplanned; later in-store decision studies report shares in the same band",
                grocery,
            ),
            perimeter_paths: target(
                b.perimeter_paths,
                true,
                "Larson, Bradlow & Fader (2005, Int. J. Research in Marketing 22(4)): supermarket paths follow the outer 'racetrack' with short excursions into aisles",
                grocery,
            ),
        }
    }

    fn store(&mut self, s: &RawStore) -> StoreSpec {
        let [w, d] = s.footprint;
        self.check(footprint_ok(s.footprint), None, || {
            format!("store.footprint must be two lengths of more than 0 and at most {MAX_COORDINATE_M} metres, got [{}, {}]", shown(w), shown(d))
        });
        self.check((0.05..=2.0).contains(&s.cell), None, || {
            format!("store.cell must be between 0.05 and 2 metres, got {}", shown(s.cell))
        });
        let min_walkway_m = s.min_walkway_m.unwrap_or(super::walkway::DEFAULT_MIN_WALKWAY_M);
        self.within(min_walkway_m, Bounds::Closed(0.3, 3.0, " metres"), "store.min_walkway_m", None);
        self.check(!s.floors.is_empty(), None, || "store.floors is empty: add at least one `[[store.floors]]`".into());
        self.check(s.floors.len() <= 16, None, || {
            format!("store has {} floors; at most 16 are supported", s.floors.len())
        });
        self.unique("floor", s.floors.iter().map(|f| f.id.as_str()));
        for f in &s.floors {
            let what = format!("floor `{}` elevation", f.id);
            self.within(
                f.elevation,
                Bounds::Closed(-100.0, 1000.0, " metres"),
                &what,
                Some(("store.floors.id", &f.id)),
            );
        }
        let floors = s.floors.iter().map(|f| Floor { id: f.id.clone(), elevation: f.elevation }).collect();
        let mut connectors = Vec::new();
        for c in &s.connectors {
            let from = self.floor_index(&s.floors, Some(&c.from.floor), "connector", &c.id);
            let to = self.floor_index(&s.floors, Some(&c.to.floor), "connector", &c.id);
            let anchor = Some(("store.connectors.id", c.id.as_str()));
            self.within(
                c.traversal_s,
                Bounds::Positive(3600.0, " seconds"),
                &format!("connector `{}` traversal_s", c.id),
                anchor,
            );
            self.finite_point(&c.from.at, &format!("connector `{}` from.at", c.id), anchor);
            self.finite_point(&c.to.at, &format!("connector `{}` to.at", c.id), anchor);
            // By name: a mistyped floor is its own problem, not a connector to itself.
            self.check(c.from.floor != c.to.floor, Some(("store.connectors.id", &c.id)), || {
                format!("connector `{}` joins floor `{}` to itself", c.id, c.from.floor)
            });
            connectors.push(Connector {
                id: c.id.clone(),
                kind: c.kind,
                from: FloorPoint { floor: from, at: c.from.at.into() },
                to: FloorPoint { floor: to, at: c.to.at.into() },
                traversal_s: c.traversal_s,
                one_way: c.one_way,
                open: c.open,
            });
        }
        self.unique("connector", s.connectors.iter().map(|c| c.id.as_str()));
        let walls = s
            .walls
            .iter()
            .enumerate()
            .map(|(k, wall)| {
                let anchor = Some(("store.walls.floor", wall.floor.as_str()));
                // Walls have no id: one is known by its place in the list.
                let floor = s.floors.iter().position(|x| x.id == wall.floor).unwrap_or_else(|| {
                    self.problem(
                        anchor,
                        format!("wall {} is on floor `{}`, which is not in `store.floors`", k + 1, wall.floor),
                    );
                    0
                }) as u8;
                self.finite_point(&wall.from, "wall from", anchor);
                self.finite_point(&wall.to, "wall to", anchor);
                self.within(wall.thickness, Bounds::Positive(10.0, " metres"), "wall thickness", anchor);
                let (a, b) = (Point::from(wall.from), Point::from(wall.to));
                // Its line, not its thickness, must lie on the floor: a wall
                // along an edge is half outside. (One running 20 m past the
                // store was taken without a word.)
                let inside = |p: Point| (0.0..=w).contains(&p.x) && (0.0..=d).contains(&p.y);
                if footprint_ok(s.footprint) && !(inside(a) && inside(b)) {
                    self.problem(
                        anchor,
                        format!(
                            "wall {} runs from ({}, {}) to ({}, {}), past the {} × {} m store: end it within the \
                             footprint",
                            k + 1,
                            shown(a.x),
                            shown(a.y),
                            shown(b.x),
                            shown(b.y),
                            shown(w),
                            shown(d)
                        ),
                    );
                }
                Wall { floor, footprint: Rect::from_corners(a, b).inflate(wall.thickness / 2.0) }
            })
            .collect();
        StoreSpec { width: w, depth: d, cell: s.cell, floors, connectors, walls, min_walkway_m }
    }

    fn fixtures(&mut self, raw: &RawScenario, bounds: Option<&Rect>) -> Vec<Fixture> {
        self.unique("fixture", raw.fixtures.iter().map(|f| f.id.as_str()));
        let mut out: Vec<Fixture> = Vec::new();
        // Fixtures whose position and size are numbers: only these are checked for room.
        let mut placed: Vec<bool> = Vec::new();
        for f in &raw.fixtures {
            let anchor = Some(("fixtures.id", f.id.as_str()));
            let floor = self.floor_index(&raw.store.floors, f.floor.as_deref(), "fixture", &f.id);
            let at_ok = self.finite_point(&f.at, &format!("fixture `{}` at", f.id), anchor);
            let size = Bounds::Positive(100.0, " metres");
            let size_ok = size.holds(f.size[0]) && size.holds(f.size[1]);
            self.check(size_ok, anchor, || {
                format!(
                    "fixture `{}` size [{}, {}] must be two lengths of {size}",
                    f.id,
                    shown(f.size[0]),
                    shown(f.size[1])
                )
            });
            self.within(f.height, Bounds::Positive(20.0, " metres"), &format!("fixture `{}` height", f.id), anchor);
            self.check(f.rotation < 4, anchor, || {
                format!("fixture `{}` has rotation {}; use quarter turns 0, 1, 2 or 3", f.id, f.rotation)
            });
            let shelved = SHELVED.contains(&f.kind);
            self.check(!shelved || (!f.levels.is_empty() && !f.faces.is_empty()), anchor, || {
                format!(
                    "fixture `{}` is a shelved {} but lists no `levels` or no `faces`; a fixture that holds no products is kind = \"obstacle\"",
                    f.id, f.kind
                )
            });
            // A face or level listed twice read as a planogram row's fault
            // ("placed on the back face … which has faces front, front").
            let twice = |names: Vec<String>| {
                names.iter().enumerate().find(|(i, n)| names[..*i].contains(n)).map(|(_, n)| n.clone())
            };
            if let Some(face) = twice(f.faces.iter().map(|x| x.to_string()).collect()) {
                self.problem(anchor, format!("fixture `{}` lists face `{face}` twice; list each face once", f.id));
            }
            if let Some(level) = twice(f.levels.iter().map(|x| x.to_string()).collect()) {
                self.problem(anchor, format!("fixture `{}` lists level `{level}` twice; list each level once", f.id));
            }
            let stop = FixtureKind::STOPS.contains(&f.kind);
            self.check(!stop || f.levels.is_empty(), anchor, || {
                format!("fixture `{}` is {}: it holds no products; leave `levels` out", f.id, f.kind)
            });
            self.check(stop || f.dwell_median_s.is_none(), anchor, || {
                format!("fixture `{}` is a {}: `dwell_median_s` is for seating and fitting rooms", f.id, f.kind)
            });
            let stop_median_s = if stop { f.dwell_median_s.unwrap_or(f.kind.default_stop_s()) } else { 0.0 };
            if stop {
                let what = format!("fixture `{}` dwell_median_s", f.id);
                self.within(stop_median_s, Bounds::Positive(7200.0, " seconds"), &what, anchor);
            }
            let fixture = Fixture {
                id: f.id.clone(),
                kind: f.kind,
                floor,
                centre: f.at.into(),
                size: f.size,
                height: f.height,
                rotation: f.rotation % 4,
                levels: f.levels.clone(),
                // Seating and fitting rooms are used from the front unless told otherwise.
                faces: if stop && f.faces.is_empty() { vec![Face::Front] } else { f.faces.clone() },
                stop_median_s,
            };
            let fp = fixture.footprint();
            // Where a fixture of no valid rotation stands is not known: its
            // footprint at a guessed one read "outside the store" as well.
            let placeable = at_ok && size_ok && f.rotation < 4;
            placed.push(placeable);
            if !placeable {
                out.push(fixture);
                continue;
            }
            if let Some(bounds) = bounds {
                self.check(bounds.encloses(&fp), anchor, || {
                    format!(
                        "fixture `{}` spans x {:.2}..{:.2}, y {:.2}..{:.2}, outside the {} × {} m store",
                        f.id, fp.min.x, fp.max.x, fp.min.y, fp.max.y, bounds.max.x, bounds.max.y
                    )
                });
            }
            for (other, _) in out.iter().zip(&placed).filter(|(o, ok)| **ok && o.floor == floor) {
                let theirs = other.footprint();
                let area = theirs.overlap_area(&fp);
                if area > 1e-6 {
                    // A sliver read "0.00 m²": its sides say how far to move.
                    let w = fp.max.x.min(theirs.max.x) - fp.min.x.max(theirs.min.x);
                    let d = fp.max.y.min(theirs.max.y) - fp.min.y.max(theirs.min.y);
                    self.problem(
                        anchor,
                        format!(
                            "fixture `{}` overlaps fixture `{}` by {} m² ({} × {} m)",
                            other.id,
                            f.id,
                            to_two_figures(area),
                            to_two_figures(w),
                            to_two_figures(d)
                        ),
                    );
                }
            }
            out.push(fixture);
        }
        out
    }

    fn zones(&mut self, raw: &RawScenario) -> Vec<Zone> {
        self.unique("zone", raw.zones.iter().map(|z| z.id.as_str()));
        self.check(raw.zones.len() < u16::MAX as usize, None, || "too many zones (at most 65534)".into());
        let mut out = Vec::new();
        for z in &raw.zones {
            let floor = self.floor_index(&raw.store.floors, z.floor.as_deref(), "zone", &z.id);
            let anchor = Some(("zones.id", z.id.as_str()));
            if let Some(rect) = &z.rect {
                self.finite_point(rect, &format!("zone `{}` rect", z.id), anchor);
            }
            for corner in z.polygon.iter().flatten() {
                self.finite_point(corner, &format!("zone `{}` polygon corner", z.id), anchor);
            }
            let shape = match (&z.rect, &z.polygon) {
                (Some([x0, y0, x1, y1]), None) => {
                    ZoneShape::Rect(Rect::from_corners(Point::new(*x0, *y0), Point::new(*x1, *y1)))
                }
                (None, Some(poly)) if poly.len() >= 3 => {
                    let corners: Vec<Point> = poly.iter().map(|p| Point::from(*p)).collect();
                    // A bow tie was taken without a word, its floor in and out by the crossing rule.
                    if let Some((i, j)) = crate::geom::self_crossing(&corners) {
                        let edge = |k: usize| {
                            let (a, b) = (corners[k], corners[(k + 1) % corners.len()]);
                            format!("({}, {}) to ({}, {})", a.x, a.y, b.x, b.y)
                        };
                        self.problem(
                            anchor,
                            format!(
                                "zone `{}` polygon crosses itself: its edge from {} crosses its edge from {}; list \
                                 its corners in order round its outline",
                                z.id,
                                edge(i),
                                edge(j)
                            ),
                        );
                        continue;
                    }
                    ZoneShape::Polygon(corners)
                }
                (None, Some(poly)) => {
                    self.problem(
                        Some(("zones.id", &z.id)),
                        format!("zone `{}` polygon has {} corners; it needs at least 3", z.id, poly.len()),
                    );
                    continue;
                }
                _ => {
                    self.problem(
                        Some(("zones.id", &z.id)),
                        format!("zone `{}` must give exactly one of `rect` or `polygon`", z.id),
                    );
                    continue;
                }
            };
            out.push(Zone { id: z.id.clone(), name: z.name.clone().unwrap_or_else(|| z.id.clone()), floor, shape });
        }
        out
    }

    fn portals(&mut self, raw: &RawScenario, points: &[RawPoint], what: &str, bounds: Option<&Rect>) -> Vec<Portal> {
        self.check(!points.is_empty(), None, || format!("the store has no {what}: add a `[[{what}s]]` table"));
        self.unique(what, points.iter().map(|p| p.id.as_str()));
        points
            .iter()
            .map(|p| {
                let floor = self.floor_index(&raw.store.floors, p.floor.as_deref(), what, &p.id);
                let at_ok = self.finite_point(&p.at, &format!("{what} `{}` at", p.id), Some((section_of(what), &p.id)));
                let at = Point::from(p.at);
                let inside = !at_ok || bounds.is_none_or(|b| b.contains(at));
                self.check(inside, Some((section_of(what), &p.id)), || {
                    format!("{what} `{}` at ({}, {}) is outside the store", p.id, at.x, at.y)
                });
                Portal { id: p.id.clone(), floor, at: onto_the_grid(at, &raw.store.footprint) }
            })
            .collect()
    }

    fn lanes(&mut self, raw: &RawScenario, population: &Population) -> Vec<Lane> {
        let edited = self.variant.is_some();
        self.check(!raw.checkouts.is_empty(), None, || {
            if edited {
                "its edits leave the store no checkout lane: keep one (fewer `remove_lane` edits)".into()
            } else {
                "the store has no checkout lane: add a `[[checkouts]]` table".into()
            }
        });
        self.check(raw.checkouts.len() < u16::MAX as usize, None, || "too many checkout lanes".into());
        self.unique("checkout", raw.checkouts.iter().map(|c| c.id.as_str()));
        let lanes: Vec<Lane> =
            raw.checkouts.iter().map(|c| self.lane(raw, c, population, DeskRole::Checkout)).collect();
        // Someone must be able to pay at every moment the store is open
        // (a store without lanes is told so above, once).
        let all: Vec<&Lane> = lanes.iter().collect();
        if let Some(gap) = first_hour_without(&all, population.open_ms, population.close_ms).filter(|_| !all.is_empty())
        {
            let first = raw.checkouts.first().map(|c| ("checkouts.id", c.id.as_str()));
            self.problem(
                first,
                format!(
                    "no checkout lane is open at {}; open one then (a lane's `hours`) or {} (`population.hours`)",
                    clock_time(gap),
                    if gap == population.open_ms { "open the store later" } else { "close the store earlier" }
                ),
            );
        }
        lanes
    }

    /// The service counters: each a desk checked as a lane is, selling
    /// categories no other counter sells.
    fn counters(&mut self, raw: &RawScenario, population: &Population, categories: &[Category]) -> Vec<Counter> {
        self.unique("counter", raw.counters.iter().map(|c| c.id.as_str()));
        let mut sold_at: HashMap<&str, &str> = HashMap::new();
        let mut counters = Vec::new();
        for c in &raw.counters {
            let anchor = Some(("counters.id", c.id.as_str()));
            self.check(!raw.checkouts.iter().any(|l| l.id == c.id), anchor, || {
                format!(
                    "checkout lane and counter both have the id `{}`; lane edits name either, so give one another",
                    c.id
                )
            });
            self.check(!c.sells.is_empty(), anchor, || {
                format!("counter `{}` sells nothing: list category ids in `sells`", c.id)
            });
            let mut sells = Vec::new();
            for (listed, id) in c.sells.iter().enumerate() {
                match categories.iter().position(|category| &category.id == id) {
                    None => self.problem(anchor, format!("counter `{}` sells category `{id}`, which is not in `[[categories]]`", c.id)),
                    Some(k) => match sold_at.insert(id, &c.id) {
                        // Said once, at its second listing, however many follow.
                        Some(other) if *other == c.id => {
                            if c.sells[..listed].iter().filter(|s| *s == id).count() == 1 {
                                self.problem(
                                    anchor,
                                    format!("counter `{}` lists category `{id}` more than once in `sells`; list it once", c.id),
                                )
                            }
                        }
                        Some(other) => self.problem(
                            anchor,
                            format!("category `{id}` is sold at counters `{other}` and `{}`; a category is sold at one counter", c.id),
                        ),
                        None => sells.push(k),
                    },
                }
            }
            let desk = self.lane(raw, &c.as_lane(), population, DeskRole::Counter);
            counters.push(Counter { desk, sells });
        }
        counters
    }

    fn run(&mut self, r: &RawRun) -> RunSettings {
        let tick_in_range = TICK_S.contains(&r.tick_s);
        self.check(tick_in_range, None, || {
            format!("run.tick_s must be between 0.01 and 1 second, got {}", shown(r.tick_s))
        });
        let trace = Bounds::Positive(3600.0, " seconds");
        self.within(r.trace_interval_s, trace, "run.trace_interval_s", None);
        let tick_ok = tick_in_range && self.whole_milliseconds("run.tick_s", r.tick_s);
        let trace_ok =
            trace.holds(r.trace_interval_s) && self.whole_milliseconds("run.trace_interval_s", r.trace_interval_s);
        let tick_ms = (r.tick_s * 1000.0).round().max(1.0) as u64;
        let trace_ms = (r.trace_interval_s * 1000.0).round() as u64;
        let whole = trace_ms >= tick_ms && trace_ms.is_multiple_of(tick_ms);
        self.check(whole || !trace_ok || !tick_ok, None, || {
            format!(
                "run.trace_interval_s ({}) must be a whole multiple of run.tick_s ({})",
                r.trace_interval_s, r.tick_s
            )
        });
        self.check((0.0..=24.0).contains(&r.drain_h), None, || {
            format!("run.drain_h must be between 0 and 24 hours, got {}", shown(r.drain_h))
        });
        self.within(
            r.memory_limit_mib,
            Bounds::Positive(super::MAX_MEMORY_LIMIT_MIB, " MiB"),
            "run.memory_limit_mib",
            None,
        );
        RunSettings {
            tick_ms,
            trace_interval_ms: trace_ms.max(tick_ms),
            drain_ms: hours_to_ms(r.drain_h.max(0.0)),
            memory_limit_bytes: (r.memory_limit_mib.max(0.0) * 1024.0 * 1024.0) as u64,
        }
    }
}

/// A number as a message shows it: huge and tiny ones in exponent form.
/// A door on the store's east or north edge (x = width, y = depth), moved
/// 1 mm in: the grid's cells hold their west and south edges, so one at
/// x = 0 stood in the edge's cells and one at x = width stood in none and
/// was refused as outside the footprint.
fn onto_the_grid(at: Point, [width, depth]: &[f64; 2]) -> Point {
    const IN_M: f64 = 0.001;
    let pull = |v: f64, edge: f64| if v == edge && edge > IN_M { edge - IN_M } else { v };
    Point::new(pull(at.x, *width), pull(at.y, *depth))
}

pub(crate) fn shown(x: f64) -> String {
    if x != 0.0 && x.is_finite() && !(1e-4..1e7).contains(&x.abs()) { format!("{x:e}") } else { x.to_string() }
}

/// A small positive size as a message shows it: two decimals, or as many
/// as two significant figures need (0.0040, not 0.00).
fn to_two_figures(x: f64) -> String {
    let decimals = if x >= 0.01 { 2 } else { (1.0 - x.log10().floor()) as usize };
    format!("{x:.decimals$}")
}

fn footprint_ok([w, d]: [f64; 2]) -> bool {
    w > 0.0 && d > 0.0 && w <= MAX_COORDINATE_M && d <= MAX_COORDINATE_M
}

pub(crate) fn hours_to_ms(h: f64) -> u64 {
    (h * 3_600_000.0).round() as u64
}

fn parse_colour(s: &str) -> Option<[u8; 3]> {
    let hex = s.strip_prefix('#')?;
    if hex.len() != 6 {
        return None;
    }
    let v = u32::from_str_radix(hex, 16).ok()?;
    Some([(v >> 16) as u8, (v >> 8) as u8, v as u8])
}

/// A colour-blind-friendly default palette (Okabe–Ito, then Tableau tones).
fn palette(i: usize) -> [u8; 3] {
    const P: [[u8; 3]; 12] = [
        [230, 159, 0],
        [86, 180, 233],
        [0, 158, 115],
        [240, 228, 66],
        [0, 114, 178],
        [213, 94, 0],
        [204, 121, 167],
        [31, 119, 180],
        [255, 127, 14],
        [44, 160, 44],
        [214, 39, 40],
        [148, 103, 189],
    ];
    P[i % P.len()]
}

fn names<T: std::fmt::Display>(items: &[T]) -> String {
    items.iter().map(ToString::to_string).collect::<Vec<_>>().join(", ")
}

/// The anchor (`section.key`) under which ids of a kind are declared.
pub fn section_of(kind: &str) -> &'static str {
    match kind {
        "fixture" => "fixtures.id",
        "zone" => "zones.id",
        "entrance" => "entrances.id",
        "exit" => "exits.id",
        "checkout" => "checkouts.id",
        "counter" => "counters.id",
        "category" => "categories.id",
        "product" => "products.id",
        "segment" => "population.segments.id",
        "floor" => "store.floors.id",
        "connector" => "store.connectors.id",
        _ => "id",
    }
}
