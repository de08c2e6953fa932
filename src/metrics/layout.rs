//! What a projection needs to know about the store, read once from the
//! prepared scenario: the grid, ids and names, floor areas, heat blocks,
//! which zones a cell passes by.

use super::freeze::SHELF_APPROACH_MS;
use crate::Prepared;
use crate::store::Blocks;

/// What a projection needs to know about the store: grid, ids, areas.
#[derive(Debug, Clone)]
pub struct Layout {
    pub nx: usize,
    pub ny: usize,
    pub cell: f64,
    /// `1 / cell`: a multiplication is cheaper than a division per event.
    pub(super) per_m: f64,
    pub floors: usize,
    /// Floor ids, bottom up.
    pub floor_ids: Vec<String>,
    pub width: f64,
    pub depth: f64,
    pub zones: Vec<String>,
    pub zone_names: Vec<String>,
    /// Walkable floor area of each zone, m².
    pub zone_area_m2: Vec<f64>,
    /// For each cell, a bit set (`zone_words` words) of the zones within
    /// `PASSING_DISTANCE_M` that the cell is not in.
    pub(super) near_zones: Vec<u64>,
    pub(super) zone_words: usize,
    pub products: Vec<String>,
    pub product_names: Vec<String>,
    /// Per product: whether a service counter sells it (hands it over).
    pub sold_at_counter: Vec<bool>,
    pub lanes: Vec<String>,
    /// The seating and fitting-room fixtures: index in the scenario and id.
    pub stop_fixtures: Vec<(u16, String)>,
    /// Service counter ids, and each one's server-seconds open a day.
    pub counters: Vec<String>,
    pub counter_capacity_s: Vec<f64>,
    /// When each counter's hours end (within the store's), ms from opening:
    /// service running past it is overtime.
    pub counter_close_ms: Vec<u64>,
    /// Terminals (a service counter's servers) per desk: the lanes, then
    /// the counters.
    pub desk_terminals: Vec<u16>,
    /// Hours since midnight at opening, and hours open.
    pub open_hour: f64,
    pub hours: usize,
    pub trace_ms: u64,
    /// The day's hard end (closing plus the drain), from opening: whoever
    /// leaves then was made to leave.
    pub end_ms: u64,
    /// The longest plausible visit to a shelf (`Segment::longest_shelf_visit_s`)
    /// with the last metre walked up to it and the first away from it:
    /// standing still longer before shopping there was a freeze.
    pub longest_shelf_visit_ms: u64,
    /// Where each entrance lets shoppers in: floor and point.
    pub(super) doors: Vec<(u8, f32, f32)>,
    /// Heat is read over blocks of about 1 m, the scale at which a
    /// merchandiser reads traffic.
    blocks: Blocks,
    /// Heat blocks with floor a shopper can stand on (the rest are fixtures).
    pub block_walkable: Vec<bool>,
    /// Every ride an open connector gives: from a floor (boarding at a
    /// point) to another, taking so many ms.
    rides: Vec<Ride>,
}

/// One way along an open connector.
#[derive(Debug, Clone, Copy)]
struct Ride {
    from: u8,
    to: u8,
    x: f64,
    y: f64,
    ms: u64,
}

/// Server-seconds a desk is open in a day: its servers times the hours
/// it is open within the store's.
fn counter_capacity_s(s: &crate::scenario::Scenario, desk: &crate::scenario::Lane) -> f64 {
    if !desk.open {
        return 0.0;
    }
    let (open, close) = (s.population.open_ms, s.population.close_ms);
    let from = desk.hours_ms.0.max(open);
    let to = desk.hours_ms.1.min(close);
    desk.terminals.len() as f64 * to.saturating_sub(from) as f64 / 1000.0
}

/// A shopper within this distance of a zone has passed by it (capture rate).
pub const PASSING_DISTANCE_M: f64 = 1.5;

impl Layout {
    pub fn new(p: &Prepared) -> Layout {
        let (s, st) = (&p.scenario, &p.store);
        let per_floor = st.nx * st.ny;
        let cells = st.cell_count();
        let mut zone_area_m2 = vec![0.0; s.zones.len()];
        for c in 0..cells as u32 {
            if let Some(z) = st.zone(c).filter(|_| st.is_walkable(c)) {
                zone_area_m2[z as usize] += st.cell * st.cell;
            }
        }
        let r = (PASSING_DISTANCE_M / st.cell).round() as isize;
        let zone_words = s.zones.len().div_ceil(64).max(1);
        let mut near_zones = vec![0u64; cells * zone_words];
        for (c, near) in near_zones.chunks_mut(zone_words).enumerate() {
            let (floor, local) = (c / per_floor, c % per_floor);
            let (ix, iy) = ((local % st.nx) as isize, (local / st.nx) as isize);
            let own = st.zone(c as u32);
            for dy in -r..=r {
                for dx in -r..=r {
                    let (x, y) = (ix + dx, iy + dy);
                    if x < 0 || y < 0 || x >= st.nx as isize || y >= st.ny as isize || dx * dx + dy * dy > r * r {
                        continue;
                    }
                    let n = st.id(floor as u8, x as usize, y as usize);
                    if let Some(z) = st.zone(n)
                        && Some(z) != own
                    {
                        near[z as usize / 64] |= 1 << (z % 64);
                    }
                }
            }
        }
        let mut layout = Layout {
            nx: st.nx,
            ny: st.ny,
            cell: st.cell,
            per_m: 1.0 / st.cell,
            floors: st.floors,
            floor_ids: s.store.floors.iter().map(|f| f.id.clone()).collect(),
            width: s.store.width,
            depth: s.store.depth,
            zones: s.zones.iter().map(|z| z.id.clone()).collect(),
            zone_names: s.zones.iter().map(|z| z.name.clone()).collect(),
            zone_area_m2,
            near_zones,
            zone_words,
            products: s.products.iter().map(|x| x.id.clone()).collect(),
            product_names: s.products.iter().map(|x| x.name.clone()).collect(),
            sold_at_counter: s.counter_of_product().iter().map(Option::is_some).collect(),
            lanes: s.lanes.iter().map(|l| l.id.clone()).collect(),
            stop_fixtures: s
                .fixtures
                .iter()
                .enumerate()
                .filter(|(_, f)| crate::scenario::FixtureKind::STOPS.contains(&f.kind))
                .map(|(i, f)| (i as u16, f.id.clone()))
                .collect(),
            counters: s.counters.iter().map(|c| c.desk.id.clone()).collect(),
            counter_capacity_s: s.counters.iter().map(|c| counter_capacity_s(s, &c.desk)).collect(),
            counter_close_ms: s
                .counters
                .iter()
                .map(|c| c.desk.hours_ms.1.min(s.population.close_ms).saturating_sub(s.population.open_ms))
                .collect(),
            desk_terminals: s.desks().map(|d| d.terminals.len().max(1) as u16).collect(),
            open_hour: s.population.open_ms as f64 / 3.6e6,
            hours: s.population.hourly_profile.len(),
            trace_ms: s.run.trace_interval_ms,
            end_ms: s.hard_end_ms(),
            longest_shelf_visit_ms: s
                .population
                .segments
                .iter()
                .map(|g| (g.longest_shelf_visit_s() * 1000.0) as u64 + SHELF_APPROACH_MS)
                .max()
                .unwrap_or(0),
            doors: s.entrances.iter().map(|e| (e.floor, e.at.x as f32, e.at.y as f32)).collect(),
            blocks: Blocks::new(st.nx, st.ny, st.floors, st.cell),
            block_walkable: Vec::new(),
            rides: s
                .store
                .connectors
                .iter()
                .filter(|c| c.open)
                .flat_map(|c| {
                    let ms = (c.traversal_s * 1000.0).round() as u64;
                    let ride = |a: crate::scenario::FloorPoint, b: crate::scenario::FloorPoint| Ride {
                        from: a.floor,
                        to: b.floor,
                        x: a.at.x,
                        y: a.at.y,
                        ms,
                    };
                    std::iter::once(ride(c.from, c.to)).chain((!c.one_way).then(|| ride(c.to, c.from)))
                })
                .collect(),
        };
        layout.block_walkable = vec![false; layout.block_count()];
        for c in 0..cells {
            if st.is_walkable(c as u32) {
                let b = layout.block_of(c);
                layout.block_walkable[b] = true;
            }
        }
        layout
    }

    /// How long one last seen at `(floor, x, y)` at `since_ms` stood on
    /// that floor until its next event `e`: all the time between, unless
    /// `e` is on another floor, when the ride there (the connector from
    /// that floor to `e`'s boarded nearest where it was last seen) was on
    /// no floor. (A ride logs nothing on the way; counted on the floor
    /// left, a slow escalator read as shoppers staying longer downstairs,
    /// and heat piled up at its foot.)
    pub fn floor_ms(&self, (floor, x, y): (u8, f32, f32), since_ms: u64, e: &crate::events::SimEvent) -> u64 {
        let ms = e.t_ms - since_ms;
        if floor == e.floor {
            return ms;
        }
        let away = |r: &Ride| (r.x - x as f64).powi(2) + (r.y - y as f64).powi(2);
        let ride =
            self.rides.iter().filter(|r| r.from == floor && r.to == e.floor).min_by(|a, b| away(a).total_cmp(&away(b)));
        ms.saturating_sub(ride.map_or(0, |r| r.ms))
    }

    /// Where fixture `fixture` is among `stop_fixtures`, if it is one.
    pub fn stop_slot(&self, fixture: u16) -> Option<usize> {
        self.stop_fixtures.iter().position(|(f, _)| *f == fixture)
    }

    /// Heat blocks across and along one floor.
    pub fn blocks_per_floor(&self) -> (usize, usize) {
        self.blocks.per_floor()
    }

    /// Heat blocks over all floors (floor-major).
    pub fn block_count(&self) -> usize {
        self.blocks.count()
    }

    /// The heat block a grid cell belongs to.
    pub fn block_of(&self, cell: usize) -> usize {
        self.blocks.of(cell)
    }

    /// Floor and extent (clipped to the store) of a heat block.
    pub fn block_rect(&self, block: usize) -> (u8, crate::geom::Rect) {
        use crate::geom::{Point, Rect};
        let (bx, by) = self.blocks_per_floor();
        let side = self.blocks.side_cells() as f64 * self.cell;
        let (floor, local) = (block / (bx * by), block % (bx * by));
        let (x, y) = ((local % bx) as f64 * side, (local / bx) as f64 * side);
        let r =
            Rect::from_corners(Point::new(x, y), Point::new((x + side).min(self.width), (y + side).min(self.depth)));
        (floor as u8, r)
    }

    /// Whether `t_ms` is the day's hard end, when whoever is still inside
    /// is made to leave (`sim::Simulation::force_out`): an `abandon` then
    /// was no shopper's choice.
    pub fn is_hard_end(&self, t_ms: u64) -> bool {
        t_ms >= self.end_ms
    }

    /// Grid cell of a position, clamped to the grid.
    #[inline(always)]
    pub fn cell_of(&self, x: f32, y: f32, floor: u8) -> usize {
        // Through `i64`, one conversion instruction (`as usize` saturates
        // at both ends in a dozen): the same cell for any input, below the
        // grid, past it or not a number.
        let ix = ((x as f64 * self.per_m) as i64).max(0).min(self.nx as i64 - 1) as usize;
        let iy = ((y as f64 * self.per_m) as i64).max(0).min(self.ny as i64 - 1) as usize;
        (floor as usize).min(self.floors - 1) * self.nx * self.ny + iy * self.nx + ix
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_position_off_the_grid_is_filed_in_the_nearest_cell_on_it() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/tiny.toml");
        let p = crate::prepare(&crate::scenario::ScenarioFile::read(&path).unwrap(), "baseline").unwrap();
        let layout = Layout::new(&p);
        let (nx, ny) = (layout.nx, layout.ny);
        let last = |n: usize| n - 1;
        let cases = [
            ("the origin", (0.0, 0.0, 0), (0, 0, 0)),
            ("west and south of the store", (-3.0, -0.01, 0), (0, 0, 0)),
            ("past its east and north walls", (1e6, 1e9, 0), (last(nx), last(ny), 0)),
            ("not a number", (f32::NAN, f32::NAN, 0), (0, 0, 0)),
            ("infinitely far", (f32::INFINITY, f32::NEG_INFINITY, 0), (last(nx), 0, 0)),
            ("on a floor the store lacks", (0.0, 0.0, 9), (0, 0, last(layout.floors))),
        ];
        for (what, (x, y, floor), (ix, iy, f)) in cases {
            assert_eq!(layout.cell_of(x, y, floor), f * nx * ny + iy * nx + ix, "{what}");
        }
    }
}
