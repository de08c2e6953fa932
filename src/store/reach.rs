//! Who can get where: every target reached from every entrance, every
//! connector's landing leading to an exit and a checkout lane (by lifts
//! alone for step-free shoppers where a lift lands), a checkout lane and
//! an exit for step-free shoppers from every entrance (refused otherwise), and the
//! warnings of connectors nobody can use and floors step-free shoppers
//! cannot reach.

use std::collections::VecDeque;

use super::{CellId, GeometryProblem, Store, Ways};
use crate::scenario::{Lane, Scenario, clock_time, first_hour_without};

impl Store {
    pub(super) fn check_reachability(&self, s: &Scenario, problems: &mut Vec<GeometryProblem>) {
        for (e, &start) in s.entrances.iter().zip(&self.entrances) {
            let reached = self.reachable_from(start);
            let area_m2 = reached.iter().filter(|r| **r).count() as f64 * self.cell * self.cell;
            // Boxed in: one problem naming what encloses the door, not one
            // per product, lane and exit beyond it.
            if !self.exits.iter().any(|&x| reached[x as usize]) {
                problems.push(GeometryProblem {
                    anchor: Some(("entrances.id", e.id.clone())),
                    message: format!(
                        "entrance `{}` is boxed in: from it shoppers reach {area_m2:.1} m² of floor and no exit ({} \
                         outside it); {} enclose it: move one to open a way, or move an exit into it",
                        e.id,
                        exits_outside(s),
                        self.enclosing(s, &reached)
                    ),
                });
                continue;
            }
            // Shut off from the shop (a gap in a wall narrower than a cell
            // and a body): one problem naming what encloses the door, not
            // one per product and lane.
            let is_reached = |c: CellId| reached[c as usize];
            let shop_reached =
                self.stands.iter().flatten().any(|st| is_reached(st.cell)) || self.lanes.iter().any(|&c| is_reached(c));
            if !s.products.is_empty() && !shop_reached {
                problems.push(GeometryProblem {
                    anchor: Some(("entrances.id", e.id.clone())),
                    message: format!(
                        "entrance `{}` is shut off from the shop: from it shoppers reach {area_m2:.1} m² of floor, no \
                         product and no desk; {} enclose it: {}",
                        e.id,
                        self.enclosing(s, &reached),
                        way_wide_enough(self.cell)
                    ),
                });
                continue;
            }
            for (products, floor) in self.shut_off_products(s, &reached) {
                let first = &s.products[products[0]].id;
                // The floor shut off may run up stairs (a landing walled in
                // with the floor above): each floor is named.
                let mut floors: Vec<u8> =
                    (0..floor.len()).filter(|&c| floor[c]).map(|c| self.centre(c as CellId).0).collect();
                floors.sort_unstable();
                floors.dedup();
                let on_floors: Vec<&str> = floors.iter().map(|&f| s.store.floors[f as usize].id.as_str()).collect();
                problems.push(GeometryProblem {
                    anchor: Some(("products.id", first.clone())),
                    message: shut_off_message(
                        s,
                        &products,
                        &e.id,
                        (&floor, &on_floors),
                        self.enclosing(s, &floor),
                        self.way_to_floor(s, &floor, self.centre(start).0),
                        self.cell,
                    ),
                });
            }
            // Said with what shuts it off, as products are: the floor it
            // stands on, and what encloses that or the connector missing.
            let mut missing = |cell: CellId, anchor: (&'static str, &str), what: String| {
                if !reached[cell as usize] {
                    let floor = self.shut_off_from(cell, &reached);
                    let area_m2 = floor.iter().filter(|f| **f).count() as f64 * self.cell * self.cell;
                    let why = match self.way_to_floor(s, &floor, self.centre(start).0) {
                        Some(FloorWay { floor, fix }) => format!(
                            "the {area_m2:.1} m² of floor there, on floor `{floor}`, is reached by no open connector; \
                             {fix}"
                        ),
                        None => format!(
                            "the {area_m2:.1} m² of floor there is enclosed by {}; {}",
                            self.enclosing(s, &floor),
                            way_wide_enough(self.cell)
                        ),
                    };
                    problems.push(GeometryProblem {
                        anchor: Some((anchor.0, anchor.1.to_owned())),
                        message: format!("{what} is unreachable from entrance `{}`: {why}", e.id),
                    });
                }
            };
            // A seat or cubicle whose face looks into floor nobody reaches
            // (behind a wall) is never used: refused as a shelf is.
            for (i, f) in s.fixtures.iter().enumerate() {
                let places: Vec<CellId> =
                    self.stops.iter().filter(|p| p.fixture as usize == i).map(|p| p.stand.cell).collect();
                if let Some(&cell) = places.first().filter(|_| places.iter().all(|&c| !reached[c as usize])) {
                    missing(cell, ("fixtures.id", &f.id), format!("every place at fixture `{}` ({})", f.id, f.kind));
                }
            }
            for (lane, &cell) in s.desks().zip(&self.lanes) {
                missing(cell, (lane.role.section(), &lane.id), format!("{} `{}`", lane.role.noun(), lane.id));
            }
            for (x, &cell) in s.exits.iter().zip(&self.exits) {
                missing(cell, ("exits.id", &x.id), format!("exit `{}`", x.id));
            }
        }
    }

    /// The products no stand of which is in `reached`, grouped by the
    /// floor in front of them (what can be walked from the first's stand and
    /// not from the entrance), with that floor: a wall shutting off part of
    /// the shop is one problem, not one per product behind it.
    fn shut_off_products(&self, s: &Scenario, reached: &[bool]) -> Vec<(Vec<usize>, Vec<bool>)> {
        let mut groups: Vec<(Vec<usize>, Vec<bool>)> = Vec::new();
        for (i, cells) in self.stands.iter().enumerate().take(s.products.len()) {
            let Some(cell) = cells.first().map(|c| c.cell).filter(|_| cells.iter().all(|c| !reached[c.cell as usize]))
            else {
                continue;
            };
            match groups.iter_mut().find(|(_, floor)| floor[cell as usize]) {
                Some((products, _)) => products.push(i),
                // Only the floor the entrance does not reach: a way out
                // (a one-way escalator down) leads on into the shop, which
                // is not what shuts these products off.
                None => groups.push((vec![i], self.shut_off_from(cell, reached))),
            }
        }
        groups
    }

    /// The floor walked from `cell` that `reached` (an entrance's floor)
    /// does not hold: what is shut off with it.
    fn shut_off_from(&self, cell: CellId, reached: &[bool]) -> Vec<bool> {
        let mut floor = self.reachable_from(cell);
        floor.iter_mut().zip(reached).for_each(|(f, &r)| *f &= !r);
        floor
    }

    /// Floor `region`, shut off on a floor other than `entrance_floor`,
    /// where a connector is the way there: which floor, and what to do
    /// (open the closed connectors that land in it, or add one where none
    /// does). A variant closing the only lift up was blamed on the
    /// fixtures round the floor upstairs. `None` where an open connector
    /// leads onto its floor (a way on foot is what is missing) or it is on
    /// the entrance's floor.
    fn way_to_floor(&self, s: &Scenario, region: &[bool], entrance_floor: u8) -> Option<FloorWay> {
        const LANDING_REACH_M: f64 = 1.0;
        let cells: Vec<(u8, crate::geom::Point)> =
            (0..region.len()).filter(|&c| region[c]).map(|c| self.centre(c as CellId)).collect();
        let floor = cells.first()?.0;
        if floor == entrance_floor {
            return None;
        }
        // A way onto the floor: either end of a two-way connector, the
        // `to` end of a one-way one.
        let ends_onto = |c: &'_ crate::scenario::Connector| {
            std::iter::once(c.to).chain((!c.one_way).then_some(c.from)).filter(|end| end.floor == floor)
        };
        // An open one anywhere on the floor: a way on foot is what is missing.
        if s.store.connectors.iter().any(|c| c.open && ends_onto(c).next().is_some()) {
            return None;
        }
        let lands_in =
            |end: crate::scenario::FloorPoint| cells.iter().any(|&(_, p)| p.distance(end.at) <= LANDING_REACH_M);
        let closed: Vec<String> =
            s.store.connectors.iter().filter(|c| ends_onto(c).any(lands_in)).map(|c| format!("`{}`", c.id)).collect();
        let fix = match closed.as_slice() {
            [] => "no connector lands there: add one (`store.connectors`)".to_owned(),
            [one] => format!(
                "only closed connector {one} lands there: open it (`open = true`, or `open_connector` in a variant)"
            ),
            several => format!(
                "only closed connectors {} land there: open one (`open = true`, or `open_connector` in a variant)",
                several.join(", ")
            ),
        };
        Some(FloorWay { floor: s.store.floors[floor as usize].id.clone(), fix })
    }

    /// What encloses the floor `reached`, named for a message: the
    /// fixtures and walls within a cell and a half of it that part it from
    /// floor beyond (those standing inside it are walked round), and the
    /// store's edges.
    fn enclosing(&self, s: &Scenario, reached: &[bool]) -> String {
        let near = 1.5 * self.cell;
        let centres = |inside: bool| -> Vec<(u8, crate::geom::Point)> {
            (0..reached.len())
                .filter(|&c| reached[c] == inside && (inside || self.is_walkable(c as CellId)))
                .map(|c| self.centre(c as CellId))
                .collect()
        };
        let (cells, beyond) = (centres(true), centres(false));
        let near_any = |cells: &[(u8, crate::geom::Point)], floor: u8, r: &crate::geom::Rect| {
            let around = r.inflate(near);
            cells.iter().any(|&(f, p)| f == floor && around.contains(p))
        };
        // What stands between the region and floor beyond it encloses it;
        // an island inside it (a pillar, a gondola walked round) does not,
        // and moving it would open no way. Where nothing parts it from
        // other floor (its floor ends at the store's edge), all it touches.
        let named = |touches: &dyn Fn(u8, &crate::geom::Rect) -> bool| -> Vec<String> {
            let fixtures =
                s.fixtures.iter().filter(|f| touches(f.floor, &f.footprint())).map(|f| format!("fixture `{}`", f.id));
            let walls = (s.store.walls.iter().enumerate())
                .filter(|(_, w)| touches(w.floor, &w.footprint))
                .map(|(k, _)| format!("wall {}", k + 1));
            fixtures.chain(walls).collect()
        };
        let mut names = named(&|floor, r| near_any(&cells, floor, r) && near_any(&beyond, floor, r));
        if names.is_empty() {
            names = named(&|floor, r| near_any(&cells, floor, r));
        }
        let b = s.store.bounds();
        if cells
            .iter()
            .any(|&(_, p)| p.x - b.min.x < near || b.max.x - p.x < near || p.y - b.min.y < near || b.max.y - p.y < near)
        {
            names.push("the store's edge".into());
        }
        if names.is_empty() { "the fixtures round it".into() } else { names.join(", ") }
    }

    /// Refuses a store where step-free shoppers (lifts only) entering by
    /// some door could reach no exit, or at some hour of trading no open
    /// checkout lane: they could never leave, or never pay.
    pub(super) fn check_step_free(&self, s: &Scenario, problems: &mut Vec<GeometryProblem>) {
        let Some(segment) = s.population.segments.iter().find(|g| g.step_free) else { return };
        let floor_names = |cells: &mut dyn Iterator<Item = CellId>| {
            let mut names: Vec<&str> = cells.map(|c| s.store.floors[self.floor_of(c) as usize].id.as_str()).collect();
            names.sort_unstable();
            names.dedup();
            names.iter().map(|f| format!("`{f}`")).collect::<Vec<_>>().join(", ")
        };
        for (e, &start) in s.entrances.iter().zip(&self.entrances) {
            let reached = self.reachable_by(start, Ways::StepFree);
            let unreachable = |what: String, on: String| GeometryProblem {
                anchor: Some(("population.segments.id", segment.id.clone())),
                message: format!(
                    "segment `{}` takes lifts only, but from entrance `{}` no open lift leads to {what} (on floor {on}); open a lift to it, add one it can reach, or set `step_free = false`",
                    segment.id, e.id
                ),
            };
            let (open, close) = (s.population.open_ms, s.population.close_ms);
            if let Some(gap) = first_hour_without(&self.lanes_reached(s, &reached), open, close) {
                let mut open_then =
                    s.lanes.iter().zip(&self.lanes).filter(|&(l, _)| l.is_open_at(gap)).map(|(_, &c)| c);
                problems.push(unreachable(
                    format!("a checkout lane open at {}", clock_time(gap)),
                    floor_names(&mut open_then),
                ));
            }
            if !self.exits.iter().any(|&x| reached[x as usize]) {
                problems.push(unreachable("an exit".into(), floor_names(&mut self.exits.iter().copied())));
            }
        }
    }

    /// Refuses a connector whose arriving end reaches no exit, or at some
    /// hour of trading no open checkout lane: whoever rode it (an up
    /// escalator with no way back down) could never leave, or never pay.
    /// Step-free shoppers are held to the same from where each lift lands,
    /// by lifts alone.
    pub(super) fn check_landings(&self, s: &Scenario, problems: &mut Vec<GeometryProblem>) {
        let floors = &s.store.floors;
        let step_free = s.population.segments.iter().find(|g| g.step_free);
        // Links are the open connectors, in order.
        for (c, link) in s.store.connectors.iter().filter(|c| c.open).zip(&self.connectors) {
            let on = &floors[c.to.floor as usize].id;
            let landing = self.reachable_from(link.to);
            if !self.exits.iter().any(|&x| landing[x as usize]) {
                problems.push(GeometryProblem {
                    anchor: Some(("store.connectors.id", c.id.clone())),
                    message: format!(
                        "connector `{}` `to` end (floor `{on}`) leads nowhere: no exit can be reached from it, so whoever rode it could never leave; add a way back or close it",
                        c.id
                    ),
                });
                continue;
            }
            if let Some(lane) = self.lane_missing(s, &landing) {
                problems.push(GeometryProblem {
                    anchor: Some(("store.connectors.id", c.id.clone())),
                    message: format!(
                        "connector `{}` `to` end (floor `{on}`) leads to no {lane}, so whoever rode it could never pay; add a way back or a lane it can reach, or close it",
                        c.id
                    ),
                });
                continue;
            }
            let Some(segment) = step_free.filter(|_| link.step_free) else { continue };
            let landing = self.reachable_by(link.to, Ways::StepFree);
            let exit = (!self.exits.iter().any(|&x| landing[x as usize])).then(|| "an exit".to_owned());
            if let Some(what) = exit.or_else(|| self.lane_missing(s, &landing).map(|l| format!("a {l}"))) {
                problems.push(GeometryProblem {
                    anchor: Some(("population.segments.id", segment.id.clone())),
                    message: format!(
                        "segment `{}` takes lifts only, but from where lift `{}` lands (floor `{on}`) no open lift leads to {what}; open a lift back, make `{}` two-way, or set `step_free = false`",
                        segment.id, c.id, c.id
                    ),
                });
            }
        }
    }

    /// The checkout lanes whose service point `reached` holds.
    fn lanes_reached<'s>(&self, s: &'s Scenario, reached: &[bool]) -> Vec<&'s Lane> {
        s.lanes.iter().zip(&self.lanes).filter(|&(_, &c)| reached[c as usize]).map(|(l, _)| l).collect()
    }

    /// What `reached` lacks of the checkout lanes, in words: "checkout
    /// lane" where it reaches none, "checkout lane open at hh:mm" where
    /// those it reaches leave an hour of trading without one.
    fn lane_missing(&self, s: &Scenario, reached: &[bool]) -> Option<String> {
        let lanes = self.lanes_reached(s, reached);
        if lanes.is_empty() {
            return Some("checkout lane".to_owned());
        }
        first_hour_without(&lanes, s.population.open_ms, s.population.close_ms)
            .map(|gap| format!("checkout lane open at {}", clock_time(gap)))
    }

    /// Zones no shopper can stand in, in words (valid, but surely not
    /// meant): a rect or polygon over no walkable floor, or wholly under
    /// zones listed before it (a cell is the first zone's that holds it),
    /// or whose floor no entrance reaches (walled off). Their figures would
    /// read 0 for ever.
    pub fn empty_zones(&self, s: &Scenario) -> Vec<String> {
        let from_doors = self.reached_from_entrances();
        // Per zone: walkable m² of its own, and how much of it is reached.
        let mut floor = vec![(0usize, 0usize); s.zones.len()];
        for (c, (&walkable, &reached)) in self.walkable.iter().zip(&from_doors).enumerate() {
            if let (true, Some(z)) = (walkable, self.zone(c as CellId)) {
                floor[z as usize].0 += 1;
                floor[z as usize].1 += usize::from(reached);
            }
        }
        s.zones
            .iter()
            .zip(floor)
            .filter_map(|(z, (cells, reached))| match (cells, reached) {
                (0, _) => Some(format!(
                    "zone `{}` holds no walkable floor of its own (outside the store, under fixtures, empty, or wholly \
                     inside zones listed before it): nobody can enter it, so its visit rate is always 0 and its dwell \
                     undefined (its capture rate too, or 0 where shoppers pass it); check its `rect` or `polygon`",
                    z.id
                )),
                (cells, 0) => Some(format!(
                    "zone `{}`: none of its {:.1} m² of walkable floor can be reached from an entrance (walls, \
                     fixtures or closed connectors shut it off): nobody can enter it, so its visit rate is always 0 \
                     and its dwell undefined (its capture rate counts only passers-by on the other side); open a way \
                     in, or remove the zone",
                    z.id,
                    cells as f64 * self.cell * self.cell
                )),
                _ => None,
            })
            .collect()
    }

    /// Cells reachable on foot or by any open connector from an entrance.
    fn reached_from_entrances(&self) -> Vec<bool> {
        self.entrances.iter().fold(vec![false; self.walkable.len()], |mut seen, &e| {
            for (k, r) in self.reachable_from(e).into_iter().enumerate() {
                seen[k] |= r;
            }
            seen
        })
    }

    /// Connectors nobody can use, in words (valid, but surely not meant):
    /// one whose boarding end no entrance reaches (fenced in, say). One
    /// line each, naming the end by the file's words.
    pub fn unusable_connectors(&self, s: &Scenario) -> Vec<String> {
        let from_doors = self.reached_from_entrances();
        let floors = &s.store.floors;
        let mut out = Vec::new();
        // Links are the open connectors, in order.
        for (c, link) in s.store.connectors.iter().filter(|c| c.open).zip(&self.connectors) {
            let end = |which: &str, floor: u8| {
                format!("connector `{}` `{which}` end (floor `{}`)", c.id, floors[floor as usize].id)
            };
            let boards = !link.one_way && from_doors[link.to as usize];
            if !from_doors[link.from as usize] && !boards {
                out.push(format!(
                    "{} cannot be reached from any entrance: nobody can use it",
                    end("from", c.from.floor)
                ));
            }
        }
        out
    }

    /// Floors that step-free segments cannot reach, in words (valid, but
    /// surely not meant): a floor no lift links to the entrances' floors.
    pub fn step_free_gaps(&self, s: &Scenario) -> Vec<String> {
        let step_free: Vec<&str> =
            s.population.segments.iter().filter(|g| g.step_free).map(|g| g.id.as_str()).collect();
        if step_free.is_empty() {
            return Vec::new();
        }
        let mut reached = vec![false; self.walkable.len()];
        for &e in &self.entrances {
            for (k, r) in self.reachable_by(e, Ways::StepFree).into_iter().enumerate() {
                reached[k] |= r;
            }
        }
        let per_floor = self.nx * self.ny;
        s.store
            .floors
            .iter()
            .enumerate()
            .filter(|&(f, _)| {
                let cells = f * per_floor..(f + 1) * per_floor;
                cells.clone().any(|c| self.walkable[c]) && !cells.into_iter().any(|c| reached[c])
            })
            .map(|(_, floor)| {
                format!(
                    "segment(s) {} take lifts only, but no open lift reaches floor `{}` from an entrance: they cannot shop there",
                    step_free.iter().map(|g| format!("`{g}`")).collect::<Vec<_>>().join(", "),
                    floor.id
                )
            })
            .collect()
    }

    /// Cells reachable on foot (and by connector) from `start`.
    pub fn reachable_from(&self, start: CellId) -> Vec<bool> {
        self.reachable_by(start, Ways::All)
    }

    /// Cells reachable on foot and by the connectors `ways` uses from `start`.
    fn reachable_by(&self, start: CellId, ways: Ways) -> Vec<bool> {
        let mut seen = vec![false; self.walkable.len()];
        let mut queue = VecDeque::from([start]);
        seen[start as usize] = true;
        while let Some(c) = queue.pop_front() {
            let mut visit = |n: CellId| {
                if !seen[n as usize] {
                    seen[n as usize] = true;
                    queue.push_back(n);
                }
            };
            self.for_each_step(c, |n, _| visit(n));
            for link in self.connectors.iter().filter(|l| ways.uses(l)) {
                if link.from == c {
                    visit(link.to);
                } else if link.to == c && !link.one_way {
                    visit(link.from);
                }
            }
        }
        seen
    }
}

/// Where the exits are, for one boxed in away from them: "exit `out` at
/// (11.5, 0.3) is", the floor named in a store of several, the first few.
fn exits_outside(s: &Scenario) -> String {
    const NAMED: usize = 3;
    let floors = s.store.floors.len();
    let named: Vec<String> = s
        .exits
        .iter()
        .take(NAMED)
        .map(|x| {
            let floor =
                if floors > 1 { format!(" on `{}`", s.store.floors[x.floor as usize].id) } else { String::new() };
            format!("exit `{}` at ({:.1}, {:.1}){floor}", x.id, x.at.x, x.at.y)
        })
        .collect();
    let more = match s.exits.len().saturating_sub(NAMED) {
        0 => String::new(),
        k => format!(" and {k} more"),
    };
    let verb = if s.exits.len() == 1 { "is" } else { "are" };
    format!("{}{more} {verb}", named.join(", "))
}

/// A floor shut off from an entrance on another, and the connector fix.
struct FloorWay {
    floor: String,
    fix: String,
}

/// The problem of `products` (indices) that entrance `entrance` cannot
/// reach: their names and fixtures (the first few), the floor in front of
/// them, what encloses it, and how wide a way must be.
fn shut_off_message(
    s: &Scenario,
    products: &[usize],
    entrance: &str,
    (floor, on_floors): (&[bool], &[&str]),
    enclosing: String,
    way_to_floor: Option<FloorWay>,
    cell: f64,
) -> String {
    const NAMED: usize = 5;
    let named: Vec<String> = products
        .iter()
        .take(NAMED)
        .map(|&i| {
            let p = &s.products[i];
            format!("`{}` (fixture `{}`)", p.id, s.fixtures[p.placements[0].fixture].id)
        })
        .collect();
    let more = match products.len().saturating_sub(NAMED) {
        0 => String::new(),
        k => format!(" and {k} more"),
    };
    let area_m2 = floor.iter().filter(|r| **r).count() as f64 * cell * cell;
    let (what, are, them) = if products.len() == 1 { ("product", "is", "it") } else { ("products", "are", "them") };
    let on = match (way_to_floor, on_floors) {
        // No open connector lands on the floor, so no way on foot leads
        // there from the entrance's floor: the fixtures round it are not
        // what shuts it off, and no gap opened among them would do.
        (Some(FloorWay { floor, fix }), _) => {
            return format!(
                "{what} {}{more} {are} unreachable from entrance `{entrance}`: the {area_m2:.1} m² of floor in front \
                 of {them}, on floor `{floor}`, is reached by no open connector; {fix}",
                named.join(", ")
            );
        }
        (None, [_, _, ..]) => {
            let named: Vec<String> = on_floors.iter().map(|f| format!("`{f}`")).collect();
            format!(", on floors {} (joined by a connector),", named.join(" and "))
        }
        (None, _) => String::new(),
    };
    format!(
        "{what} {}{more} {are} unreachable from entrance `{entrance}`: the {area_m2:.1} m² of floor in front of \
         {them}{on} is enclosed by {enclosing}; {}",
        named.join(", "),
        way_wide_enough(cell)
    )
}

/// How wide a way into shut-off floor must be opened, in words: two cells
/// of `cell` m (a gap narrower holds no walkable floor), and a body.
fn way_wide_enough(cell: f64) -> String {
    format!(
        "open a way at least {:.2} m wide (whole cells of {cell} m must fit in it, and a body)",
        (2.0 * cell).max(crate::scenario::walkway::BODY_WIDTH_M)
    )
}
