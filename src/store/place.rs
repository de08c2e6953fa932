//! Where each thing a shopper walks to stands on the grid: entrances and
//! exits, each desk's service point, line and terminals, the connectors'
//! ends, every product placement's stand and every seat or fitting-room
//! place, each resolved to a walkable cell or reported as a problem.

use super::{
    CellId, ConnectorLink, GeometryProblem, MAX_STAND_SEARCH_M, REFERENCE_SPEED_MS, STOP_PLACE_M, Stand, StopPlace,
    Store,
};
use crate::geom::{Point, Rect};
use crate::scenario::walkway::BODY_WIDTH_M;
use crate::scenario::{
    ConnectorKind, DeskRole, FixtureKind, Lane, MIN_TERMINAL_GAP_M, Scenario, model::QUEUE_SPACING_M,
    model::STAND_OFF_M,
};

impl Store {
    /// Resolves the entrances, then the exits, to walkable cells.
    pub(super) fn place_portals(&mut self, s: &Scenario, problems: &mut Vec<GeometryProblem>) {
        self.entrances = s
            .entrances
            .iter()
            .map(|e| {
                let what = format!("entrance `{}`", e.id);
                self.walkable_cell_or_report(s, e.floor, e.at, ("entrances.id", &e.id), what, problems)
            })
            .collect();
        self.exits = s
            .exits
            .iter()
            .map(|e| {
                let what = format!("exit `{}`", e.id);
                self.walkable_cell_or_report(s, e.floor, e.at, ("exits.id", &e.id), what, problems)
            })
            .collect();
    }

    /// Resolves each desk's service point (checkouts, then counters), checking its queue line and any terminals it feeds.
    pub(super) fn place_lanes(
        &mut self,
        s: &Scenario,
        problems: &mut Vec<GeometryProblem>,
        terminal_problems: &mut Vec<GeometryProblem>,
    ) {
        for (i, lane) in s.desks().enumerate() {
            let cell = self.service_cell(s, lane, problems);
            // The front of a self-service line walks straight to a free terminal.
            if lane.terminals != [lane.service_point] {
                self.check_terminals(s, lane, problems, terminal_problems);
            }
            // Every desk and connector in the way, at once (the first alone
            // left a second landing in the same line to the next try).
            problems.extend(s.desks().take(i).filter_map(|other| crowded_desks(other, lane)));
            problems.extend(s.store.connectors.iter().filter(|c| c.open).filter_map(|c| landing_in_line(c, lane)));
            self.lanes.push(cell);
        }
    }

    /// The cell of a lane's service point; 0 when it or its queue line is off walkable floor (reported).
    fn service_cell(&self, s: &Scenario, lane: &Lane, problems: &mut Vec<GeometryProblem>) -> CellId {
        let anchor = (lane.role.section(), lane.id.as_str());
        let what = format!("{} `{}` service point", lane.role.noun(), lane.id);
        if self.cell_at(lane.floor, lane.service_point).is_none_or(|c| !self.is_walkable(c)) {
            // Its line starts there: one problem, not two.
            self.walkable_cell_or_report(s, lane.floor, lane.service_point, anchor, what, problems);
            return 0;
        }
        // The whole queue line must be walkable: queued shoppers walk along it.
        let tail = lane.place(lane.queue_places as usize - 1);
        let Some(p) = self.first_blocked(lane.floor, lane.service_point, tail) else {
            return self.walkable_cell_or_report(s, lane.floor, lane.service_point, anchor, what, problems);
        };
        // (A place exactly on the blocked point is that place: 1.2 m / 0.6 m
        // is 2.0000000000000004 in floating point, not above 2.)
        let place = (lane.service_point.distance(p) / QUEUE_SPACING_M - 1e-9).ceil() as usize;
        // The place itself, and where the line to it leaves the floor when
        // that is short of it (the two read as one place at two points).
        let at = lane.place(place);
        let why = self.why_not_walkable(s, lane.floor, p);
        let why = match at.distance(p) > 1e-6 {
            true => format!("the line to it leaves the floor at ({:.2}, {:.2}), where {why}", p.x, p.y),
            false => why,
        };
        problems.push(GeometryProblem {
            anchor: Some((anchor.0, anchor.1.to_owned())),
            message: format!(
                "{} `{}` queue place {place} at ({:.2}, {:.2}) is not on walkable floor: {why}; shorten the line \
                 (`queue_places = {place}` fits) or turn it (`queue`)",
                lane.role.noun(),
                lane.id,
                at.x,
                at.y,
            ),
        });
        0
    }

    /// Checks that each terminal of a self-service bank is on walkable floor and straight ahead of the line's front.
    fn check_terminals(
        &self,
        s: &Scenario,
        lane: &Lane,
        problems: &mut Vec<GeometryProblem>,
        terminal_problems: &mut Vec<GeometryProblem>,
    ) {
        for (k, &t) in lane.terminals.iter().enumerate() {
            let place = match lane.role {
                DeskRole::Checkout => "terminal",
                DeskRole::Counter => "server",
            };
            let what = format!("{} `{}` {place} {}", lane.role.noun(), lane.id, k + 1);
            self.walkable_cell_or_report(s, lane.floor, t, (lane.role.section(), &lane.id), what.clone(), problems);
            // A line whose front is off the floor is reported as such
            // (`service_cell`), not again for every terminal.
            let front = lane.place(1);
            if self.cell_at(lane.floor, front).is_none_or(|c| !self.is_walkable(c)) {
                continue;
            }
            if let Some(p) = self.first_blocked(lane.floor, front, t) {
                terminal_problems.push(GeometryProblem {
                    anchor: Some((lane.role.section(), lane.id.clone())),
                    message: format!(
                        "{what} at ({}, {}) cannot be walked to in a straight line from the front of the line: ({:.2}, {:.2}) is not walkable; move the {place} or the line",
                        t.x, t.y, p.x, p.y
                    ),
                });
            }
        }
    }

    /// Resolves both ends of each open connector and links them as an edge
    /// of the navigation graph (a closed one is no edge: nobody uses it).
    pub(super) fn place_connectors(&mut self, s: &Scenario, problems: &mut Vec<GeometryProblem>) {
        let spec = &s.store;
        for c in spec.connectors.iter().filter(|c| c.open) {
            let from = self.walkable_cell_or_report(
                s,
                c.from.floor,
                c.from.at,
                ("store.connectors.id", &c.id),
                // Named by the file's own words: a down escalator's `from`
                // end is the upper one.
                format!("connector `{}` `from` end (floor `{}`)", c.id, spec.floors[c.from.floor as usize].id),
                problems,
            );
            let to = self.walkable_cell_or_report(
                s,
                c.to.floor,
                c.to.at,
                ("store.connectors.id", &c.id),
                format!("connector `{}` `to` end (floor `{}`)", c.id, spec.floors[c.to.floor as usize].id),
                problems,
            );
            self.connectors.push(ConnectorLink {
                from,
                to,
                cost: (c.traversal_s * REFERENCE_SPEED_MS / spec.cell * 10.0).round().max(1.0) as u32,
                traversal_ms: (c.traversal_s * 1000.0).round() as u64,
                one_way: c.one_way,
                step_free: c.kind == ConnectorKind::Lift,
            });
        }
    }

    /// Finds where a shopper stands for each placement of each product, reporting shelves with no floor near.
    pub(super) fn place_stands(&mut self, s: &Scenario, problems: &mut Vec<GeometryProblem>) {
        for p in &s.products {
            let mut cells = Vec::new();
            for pl in &p.placements {
                let face = FaceView::new(s, pl.fixture, pl.spot, (pl.stand.x - pl.spot.x, pl.stand.y - pl.spot.y));
                match self.nearest_walkable_where(face.floor, pl.stand, MAX_STAND_SEARCH_M, |c| face.reaches(c)) {
                    Some(cell) => cells.push(self.stand_in(s, face.floor, pl.stand, cell)),
                    None => {
                        let (why, fix) = self.why_no_floor(&face);
                        problems.push(GeometryProblem {
                            anchor: Some(("products.id", p.id.clone())),
                            message: format!(
                                "product `{}` on fixture `{}` ({} face) has no walkable floor in front of its shelf \
                                 within {MAX_STAND_SEARCH_M} m: {why}; {fix}, or put the product on a face shoppers \
                                 can reach",
                                p.id, s.fixtures[pl.fixture].id, pl.face,
                            ),
                        })
                    }
                }
            }
            self.stands.push(cells);
        }
    }

    /// Where one stands who stands at `at`, its cell `cell`: the point
    /// itself where it is in the cell and keeps a walker's room from every
    /// fixture, wall and edge, otherwise the cell's centre. (A stand 0.45 m out
    /// from a shelf fell on the face of a wall running into the shelf, on
    /// the edge of a walkable cell: shoppers stood with their centres on
    /// the wall.)
    fn stand_in(&self, s: &Scenario, floor: u8, at: Point, cell: CellId) -> Stand {
        let room = self.walker_room() * (1.0 - 1e-9);
        let clear = Store::keeps_room(s, floor, at, room);
        let point = if clear && self.cell_at(floor, at) == Some(cell) { at } else { self.centre(cell).1 };
        Stand { cell, point }
    }

    /// Resolves the places in front of each used face of every seating
    /// and fitting room: one every `STOP_PLACE_M` along the face (at least
    /// one, in the middle), `STAND_OFF_M` out; each holds one shopper.
    pub(super) fn place_stops(&mut self, s: &Scenario, problems: &mut Vec<GeometryProblem>) {
        for (i, f) in s.fixtures.iter().enumerate().filter(|(_, f)| FixtureKind::STOPS.contains(&f.kind)) {
            for &face in &f.faces {
                let (nx, ny) = f.face_normal(face);
                let len = f.face_length(face);
                let places = ((len / STOP_PLACE_M).floor() as usize).max(1);
                let along = |k: usize| len * (k as f64 + 0.5) / places as f64;
                // Only floor in front of the face will do, as for a shelf: a
                // bench or cubicle door against a wall is not used from round
                // the corner.
                let cells: Vec<_> = (0..places)
                    .map(|k| {
                        let view = FaceView::new(s, i, f.point_on_face(face, along(k)), (nx, ny));
                        let at = view.spot.offset(nx * STAND_OFF_M, ny * STAND_OFF_M);
                        (at, self.nearest_walkable_where(f.floor, at, MAX_STAND_SEARCH_M, |c| view.reaches(c)))
                    })
                    .collect();
                if cells.iter().any(|(_, c)| c.is_some()) {
                    for (at, cell) in cells {
                        let Some(cell) = cell else { continue };
                        let stand = self.stand_in(s, f.floor, at, cell);
                        self.stops.push(StopPlace { fixture: i as u16, kind: f.kind, stand });
                    }
                } else {
                    let view = FaceView::new(s, i, f.point_on_face(face, len / 2.0), (nx, ny));
                    let (why, fix) = self.why_no_floor(&view);
                    problems.push(GeometryProblem {
                        anchor: Some(("fixtures.id", f.id.clone())),
                        message: format!(
                            "fixture `{}` ({}) has no walkable floor in front of its {face} face within \
                             {MAX_STAND_SEARCH_M} m: {why}; {fix}, or list another face",
                            f.id, f.kind,
                        ),
                    });
                }
            }
        }
    }

    /// Why no floor within reach of a face will do, and what to do about
    /// it: the face looks into something or out of the store (turn the
    /// fixture), or the grid's cells in front of it are all blocked.
    fn why_no_floor(&self, face: &FaceView) -> (String, &'static str) {
        const TURN: &str = "turn the fixture (`rotation`) or move it";
        let ahead = face.spot.offset(face.normal.0 * STAND_OFF_M, face.normal.1 * STAND_OFF_M);
        match face.looks_into() {
            Some((distance, what)) if distance < 0.005 => (format!("it faces {what}, which stands against it"), TURN),
            // Say why a gap is no floor: narrower than a body it is closed;
            // under two cells it may hold no whole cell clear of both (0.44
            // m refused where 0.40 m a few centimetres over passed).
            Some((distance, what)) if distance < self.cell => (
                format!(
                    "it faces {what}, {distance:.2} m away: a gap narrower than a {} m grid cell holds no floor",
                    self.cell
                ),
                TURN,
            ),
            Some((distance, what)) if distance < BODY_WIDTH_M => (
                format!(
                    "it faces {what}, {distance:.2} m away: a gap too narrow for a body ({BODY_WIDTH_M:.2} m), whose floor is closed"
                ),
                TURN,
            ),
            Some((distance, what)) if distance < 2.0 * self.cell => (
                format!(
                    "it faces {what}, {distance:.2} m away: a gap under two {} m grid cells may hold no whole cell clear \
                     of both, as here ({}); leave at least {:.2} m, or set a finer `store.cell`",
                    self.cell,
                    self.blocking_rule(),
                    2.0 * self.cell
                ),
                TURN,
            ),
            Some((distance, what)) => (format!("it faces {what}, {distance:.2} m away"), TURN),
            None if self.cell_at(face.floor, ahead).is_none() => ("it faces the store's edge".into(), TURN),
            None => (
                format!(
                    "the {} m grid cells in front of it are all blocked ({}; a finer `store.cell` keeps narrow \
                     gaps open)",
                    self.cell,
                    self.blocking_rule()
                ),
                "move the fixture",
            ),
        }
    }
}

/// One face of a fixture as a shopper meets it: a point on it and the way
/// it looks, with what else stands on its floor.
struct FaceView<'a> {
    s: &'a Scenario,
    fixture: usize,
    floor: u8,
    spot: Point,
    /// Unit vector out of the face.
    normal: (f64, f64),
}

impl<'a> FaceView<'a> {
    fn new(s: &'a Scenario, fixture: usize, spot: Point, outward: (f64, f64)) -> FaceView<'a> {
        let length = outward.0.hypot(outward.1);
        FaceView {
            s,
            fixture,
            floor: s.fixtures[fixture].floor,
            spot,
            normal: (outward.0 / length, outward.1 / length),
        }
    }

    /// Every wall and every other fixture on the face's floor, named as the
    /// file numbers or calls it.
    fn others(&self) -> impl Iterator<Item = (String, Rect)> + '_ {
        let fixtures = self.s.fixtures.iter().enumerate().filter(|&(i, f)| i != self.fixture && f.floor == self.floor);
        let walls = self.s.store.walls.iter().enumerate().filter(|(_, w)| w.floor == self.floor);
        fixtures
            .map(|(_, f)| (format!("fixture `{}`", f.id), f.footprint()))
            .chain(walls.map(|(k, w)| (format!("wall {}", k + 1), w.footprint)))
    }

    /// Whether a shopper at `at` can take from the face: `at` is in front
    /// of it, and no wall or other fixture stands between (a shelf is not
    /// reached round a corner, through a wall, or across another shelf).
    fn reaches(&self, at: Point) -> bool {
        let ahead = (at.x - self.spot.x) * self.normal.0 + (at.y - self.spot.y) * self.normal.1 > 0.0;
        ahead && self.others().all(|(_, r)| r.entered_at(self.spot, at).is_none())
    }

    /// The nearest wall or other fixture straight out of the face within
    /// reach, with its distance.
    fn looks_into(&self) -> Option<(f64, String)> {
        let reach = STAND_OFF_M + MAX_STAND_SEARCH_M;
        let end = self.spot.offset(self.normal.0 * reach, self.normal.1 * reach);
        self.others()
            .filter_map(|(name, r)| r.entered_at(self.spot, end).map(|t| (t * reach, name)))
            .min_by(|a, b| a.0.total_cmp(&b.0))
    }
}

/// A connector's end on a desk's terminal or laid-out line place: riders
/// would step off into the line, or stand in it waiting to board (a lift
/// landing on a checkout's third place validated in silence).
fn landing_in_line(c: &crate::scenario::Connector, lane: &Lane) -> Option<GeometryProblem> {
    let (end, at, place) = [("from", c.from), ("to", c.to)]
        .into_iter()
        .filter(|(_, e)| e.floor == lane.floor)
        .find_map(|(end, e)| lane.spots().find(|p| p.distance(e.at) < MIN_TERMINAL_GAP_M).map(|p| (end, e.at, p)))?;
    Some(GeometryProblem {
        anchor: Some(("store.connectors.id", c.id.clone())),
        message: format!(
            "connector `{}` `{end}` end at ({:.2}, {:.2}) is {:.2} m from {} `{}`'s place at ({:.2}, {:.2}): riders \
             would step off into its line; move one at least {MIN_TERMINAL_GAP_M} m away",
            c.id,
            at.x,
            at.y,
            at.distance(place),
            lane.role.noun(),
            lane.id,
            place.x,
            place.y
        ),
    })
}

/// Where two desks on one floor stand in each other: a terminal or
/// laid-out line place of `b` within two body radii of one of `a`'s (two
/// served or waiting at once would stand on one spot).
fn crowded_desks(a: &Lane, b: &Lane) -> Option<GeometryProblem> {
    if a.floor != b.floor {
        return None;
    }
    let (p, q) = b.spots().find_map(|q| a.spots().find(|p| p.distance(q) < MIN_TERMINAL_GAP_M).map(|p| (p, q)))?;
    Some(GeometryProblem {
        anchor: Some((b.role.section(), b.id.clone())),
        message: format!(
            "{} `{}` stands in {} `{}`: its place at ({:.2}, {:.2}) is {:.2} m from one at ({:.2}, {:.2}), and two \
             shoppers there at once would stand in each other; move it at least {MIN_TERMINAL_GAP_M} m away",
            b.role.noun(),
            b.id,
            a.role.noun(),
            a.id,
            q.x,
            q.y,
            p.distance(q),
            p.x,
            p.y
        ),
    })
}
