//! The store as the simulation sees it: a walkable grid per floor, rasterised
//! from fixtures and walls, with zones per cell, connectors between floors,
//! and every place a shopper walks to resolved to a grid cell. Building it
//! checks the geometry a file alone cannot: walkable points, reachability,
//! and the memory the navigation data will need.

use crate::geom::{Divisor, Point, Rect};
use crate::scenario::{FixtureKind, Scenario};

mod floor;
mod place;
mod reach;

/// A cell of the navigation grid: `floor * cells_per_floor + iy * nx + ix`.
pub type CellId = u32;

/// Fewest flow fields the memory limit must hold for a run to make sense.
pub const MIN_CACHED_FIELDS: u64 = 16;
/// Greatest distance from a shelf's standing point to walkable floor, metres.
const MAX_STAND_SEARCH_M: f64 = 1.0;
/// The width of one place at seating or a fitting room (a seat with
/// elbow room, a cubicle door) along its face: wide enough that a shopper
/// walks up between two taken places (bodies keep 0.4 m apart).
const STOP_PLACE_M: f64 = 1.0;
/// Nominal walking speed used to express connector times as distances.
pub const REFERENCE_SPEED_MS: f64 = 1.2;

/// A geometric problem, anchored to the id that causes it.
#[derive(Debug, Clone, PartialEq)]
pub struct GeometryProblem {
    /// `(section.key, id)` as written in the file, e.g. `("fixtures.id", "A3")`.
    pub anchor: Option<(&'static str, String)>,
    pub message: String,
}

#[derive(Debug, Clone)]
pub struct Store {
    pub nx: usize,
    pub ny: usize,
    pub cell: f64,
    pub floors: usize,
    walkable: Vec<bool>,
    /// Per cell: whether its square is floor under no fixture, wall or
    /// closed slot, the strips walkers' centres keep off on a fine grid
    /// included (`floor::stand`): what crowd density is counted over.
    bare: Vec<bool>,
    /// Per cell: which of its eight steps (`STEPS`, bit k for step k) lead
    /// to walkable floor; tabled once the fixtures stand.
    steps: Vec<u8>,
    /// How far each of `STEPS` moves a cell id (`dx + dy × nx`): a step's
    /// neighbour is one addition away.
    step_offsets: [i64; 8],
    /// Per cell, the cost of each of its eight steps (`for_each_step`),
    /// tabled with the efforts: a flow field relaxes every step of every
    /// cell, hundreds of times a store-day.
    step_costs: Vec<[u16; 8]>,
    /// Effort of walking through each cell, tenths (10: plain floor). Floor
    /// off the perimeter costs more when shoppers are reluctant to enter
    /// aisles (`population.aisle_reluctance`).
    effort: Vec<u8>,
    /// Zone index per cell; `NO_ZONE` outside every zone.
    zone: Vec<u16>,
    pub connectors: Vec<ConnectorLink>,
    /// Where each product placement is taken from: `[product][placement]`.
    pub stands: Vec<Vec<Stand>>,
    pub entrances: Vec<CellId>,
    pub exits: Vec<CellId>,
    /// Every place to stop at seating or a fitting room.
    pub stops: Vec<StopPlace>,
    /// Cell of each desk's service point (`Scenario::desks`: the checkout
    /// lanes, then the counters).
    pub lanes: Vec<CellId>,
    /// Splitting a cell id: by cells per floor, then by `nx`.
    per_floor: Divisor,
    per_row: Divisor,
    /// Cells per metre where multiplying by it is exactly dividing by
    /// `cell` (a power of two, like the usual 0.25 m).
    cells_per_metre: Option<f64>,
}

pub const NO_ZONE: u16 = u16::MAX;

/// Whether `x` is a whole power of two (so multiplying by its inverse is exact).
fn is_power_of_two(x: f64) -> bool {
    x > 0.0 && x.is_normal() && x.to_bits() & ((1u64 << 52) - 1) == 0
}

/// The eight grid steps `(dx, dy, length)` in the order they are tried:
/// west, east, south, north, then the diagonals south-west, south-east,
/// north-west, north-east (10 a straight step, 14 a diagonal one).
const STEPS: [(i64, i64, u32); 8] =
    [(-1, 0, 10), (1, 0, 10), (0, -1, 10), (0, 1, 10), (-1, -1, 14), (1, -1, 14), (-1, 1, 14), (1, 1, 14)];

/// The perimeter ("racetrack"): floor within this distance of the store's
/// outline.
pub const PERIMETER_BAND_M: f64 = 3.0;

/// How far a walkable cell's centre keeps from every fixture and wall at
/// least: half the default cell. On a finer grid, a cell whose centre
/// comes nearer is blocked too, so a body overlaps a shelf no deeper there
/// than on the default grid (blocked only where something overlapped it,
/// a 0.1 m grid let walkers pass 0.05 m from a shelf, their bodies 0.15 m
/// into it).
pub const MIN_CENTRE_CLEARANCE_M: f64 = 0.125;

/// A body's radius, as the crowd keeps bodies apart.
pub const BODY_RADIUS_M: f64 = crate::scenario::walkway::BODY_WIDTH_M / 2.0;

/// The floor cut into squares of about 1 m (several grid cells a side):
/// heat, walking direction and crowding are read over these blocks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Blocks {
    side: usize,
    bx: usize,
    by: usize,
    nx: usize,
    ny: usize,
    floors: usize,
}

impl Blocks {
    /// Blocks over a grid of `nx` × `ny` cells of `cell` metres on each floor.
    pub fn new(nx: usize, ny: usize, floors: usize, cell: f64) -> Blocks {
        let side = (1.0 / cell).round().max(1.0) as usize;
        Blocks { side, bx: nx.div_ceil(side), by: ny.div_ceil(side), nx, ny, floors }
    }

    /// Grid cells per block side.
    pub fn side_cells(&self) -> usize {
        self.side
    }

    /// Blocks across and along one floor.
    pub fn per_floor(&self) -> (usize, usize) {
        (self.bx, self.by)
    }

    /// Blocks over all floors (floor-major).
    pub fn count(&self) -> usize {
        self.bx * self.by * self.floors
    }

    /// The block a grid cell belongs to.
    pub fn of(&self, cell: usize) -> usize {
        let per_floor = self.nx * self.ny;
        let (floor, local) = (cell / per_floor, cell % per_floor);
        floor * self.bx * self.by + (local / self.nx / self.side) * self.bx + (local % self.nx) / self.side
    }
}

/// Where a shopper stands to take a product from one of its places.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Stand {
    pub cell: CellId,
    pub point: Point,
}

/// Where a shopper stops at seating or a fitting room: in front of the
/// middle of one of the fixture's faces.
#[derive(Debug, Clone, Copy)]
pub struct StopPlace {
    /// The fixture's index in the scenario.
    pub fixture: u16,
    pub kind: FixtureKind,
    pub stand: Stand,
}

/// A connector as an edge of the navigation graph.
#[derive(Debug, Clone, Copy)]
pub struct ConnectorLink {
    pub from: CellId,
    pub to: CellId,
    /// Cost in grid units (a tenth of a cell side).
    pub cost: u32,
    pub traversal_ms: u64,
    pub one_way: bool,
    /// A lift: usable without steps.
    pub step_free: bool,
}

/// Which connectors between floors a shopper uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Ways {
    /// Stairs, escalators and lifts.
    #[default]
    All,
    /// Lifts only (a wheelchair, a pushchair).
    StepFree,
}

impl Ways {
    pub fn uses(self, link: &ConnectorLink) -> bool {
        self == Ways::All || link.step_free
    }
}

/// A memory limit in MiB to three decimals, and a limit too small for
/// that not shown as 0 (`1e-300` read "= 0").
fn shown_mib(bytes: u64) -> String {
    let mib = (bytes as f64 / 1048576.0 * 1000.0).round() / 1000.0;
    if mib == 0.0 { "under 0.001".to_owned() } else { mib.to_string() }
}

impl Store {
    pub fn build(s: &Scenario) -> Result<Store, Vec<GeometryProblem>> {
        let mut store = Store::open_grid(s)?;
        store.rasterise(s);
        store.weigh_interior(s);
        let mut problems = Vec::new();
        // Terminals a line cannot walk straight to: reported after every other placement problem.
        let mut terminal_problems = Vec::new();
        store.place_portals(s, &mut problems);
        store.place_lanes(s, &mut problems, &mut terminal_problems);
        store.place_connectors(s, &mut problems);
        store.place_stands(s, &mut problems);
        store.place_stops(s, &mut problems);
        problems.append(&mut terminal_problems);
        if problems.is_empty() {
            store.check_reachability(s, &mut problems);
            store.check_landings(s, &mut problems);
            store.check_step_free(s, &mut problems);
        }
        if problems.is_empty() {
            return Ok(store);
        }
        // Each once: a product placed twice on one face against a wall is one problem.
        let mut seen = std::collections::HashSet::new();
        problems.retain(|p| seen.insert(p.message.clone()));
        Err(problems)
    }

    /// An all-walkable grid sized for the store, or the problem that it would not fit in the memory limit.
    fn open_grid(s: &Scenario) -> Result<Store, Vec<GeometryProblem>> {
        let spec = &s.store;
        let nx = (spec.width / spec.cell + 1e-9).floor() as usize;
        let ny = (spec.depth / spec.cell + 1e-9).floor() as usize;
        let floors = spec.floors.len();
        let cells = nx as u64 * ny as u64 * floors as u64;
        let field_bytes = cells * 4;
        let needed = field_bytes * MIN_CACHED_FIELDS + cells * 3;
        if nx == 0 || ny == 0 || needed > s.run.memory_limit_bytes || cells >= u32::MAX as u64 / 2 {
            return Err(vec![GeometryProblem {
                anchor: None,
                message: format!(
                    "run.memory_limit_mib = {}{} is less than the {:.1} MiB the store grid needs for \
                     {MIN_CACHED_FIELDS} flow fields: {nx} × {ny} cells × {} (store.footprint at store.cell = {} m); {}",
                    shown_mib(s.run.memory_limit_bytes),
                    if s.run.memory_limit_bytes == crate::scenario::DEFAULT_MEMORY_LIMIT_MIB as u64 * 1024 * 1024 {
                        " (the default)"
                    } else {
                        ""
                    },
                    needed as f64 / 1048576.0,
                    crate::scenario::counted(floors, "floor", "floors"),
                    spec.cell,
                    if needed as f64 / 1048576.0 <= crate::scenario::MAX_MEMORY_LIMIT_MIB {
                        "use a coarser store.cell or raise the limit"
                    } else {
                        "use a coarser store.cell (no memory limit allows this grid)"
                    }
                ),
            }]);
        }
        Ok(Store {
            nx,
            ny,
            cell: spec.cell,
            floors,
            walkable: vec![true; cells as usize],
            bare: vec![true; cells as usize],
            steps: Vec::new(),
            step_offsets: STEPS.map(|(dx, dy, _)| dx + dy * nx as i64),
            step_costs: Vec::new(),
            effort: vec![10; cells as usize],
            zone: vec![NO_ZONE; cells as usize],
            connectors: Vec::new(),
            stands: Vec::new(),
            entrances: Vec::new(),
            exits: Vec::new(),
            lanes: Vec::new(),
            stops: Vec::new(),
            per_floor: Divisor::new((nx * ny) as u32),
            per_row: Divisor::new(nx as u32),
            cells_per_metre: is_power_of_two(spec.cell).then(|| 1.0 / spec.cell),
        })
    }

    /// Blocks the cells under fixtures and walls and in gaps too narrow
    /// for a body, tables the open steps, and gives each cell its zone.
    fn rasterise(&mut self, s: &Scenario) {
        let cells = self.cell_count();
        for (floor, rect) in s.obstacles() {
            self.stand(floor, &rect);
        }
        // The store's edges keep walkers off as a wall does: on a fine
        // grid the cells along them were open, bodies half over the edge.
        // A door is the way through the edge: its own cell stays as open
        // as the fixtures and walls leave it.
        let doors: Vec<(usize, bool)> = (s.entrances.iter().chain(&s.exits))
            .filter_map(|d| self.cell_at(d.floor, d.at))
            .map(|c| (c as usize, self.walkable[c as usize]))
            .collect();
        for floor in 0..self.floors as u8 {
            for edge in outside_edges(&s.store.bounds()) {
                self.block(floor, &edge);
            }
        }
        for (cell, open) in doors {
            self.walkable[cell] = open;
        }
        // (A slot of floor cells between two shelves, a body's width too
        // narrow, was walked through as an aisle.)
        for slot in crate::scenario::walkway::body_slots(s) {
            self.stand(slot.floor_index, &slot.floor_to_close());
        }
        self.steps = (0..cells as CellId).map(|c| self.open_steps(c)).collect();
        for id in 0..cells as CellId {
            let (floor, centre) = self.centre(id);
            if let Some(z) = s.zones.iter().position(|z| z.floor == floor && z.contains(centre)) {
                self.zone[id as usize] = z as u16;
            }
        }
    }

    /// The walkable cell at `at` on `floor`; otherwise reports `what` as off
    /// walkable floor, saying what is there, and gives cell 0.
    fn walkable_cell_or_report(
        &self,
        s: &Scenario,
        floor: u8,
        at: Point,
        anchor: (&'static str, &str),
        what: String,
        problems: &mut Vec<GeometryProblem>,
    ) -> CellId {
        match self.cell_at(floor, at).filter(|c| self.is_walkable(*c)) {
            Some(c) => c,
            None => {
                problems.push(GeometryProblem {
                    anchor: Some((anchor.0, anchor.1.to_owned())),
                    message: format!(
                        "{what} at ({}, {}) is not on walkable floor: {}; move it onto open floor",
                        at.x,
                        at.y,
                        self.why_not_walkable(s, floor, at)
                    ),
                });
                0
            }
        }
    }

    /// What keeps `at` on `floor` off walkable floor, in the file's words
    /// (walls numbered as in the file, as walkway warnings name them).
    fn why_not_walkable(&self, s: &Scenario, floor: u8, at: Point) -> String {
        let Some(cell) = self.cell_at(floor, at) else {
            let footprint = s.store.bounds();
            let (gx, gy) = (self.nx as f64 * self.cell, self.ny as f64 * self.cell);
            // In the footprint, in a strip the grid falls short of (not on its far edge).
            let past = |p: f64, covered: f64, len: f64| p >= covered && covered < len - 1e-6;
            let in_strip = past(at.x, gx, s.store.width) || past(at.y, gy, s.store.depth);
            return match footprint.contains(at) && in_strip {
                true => format!(
                    "the grid of {} m cells covers {gx:.2} × {gy:.2} m of the {} × {} m footprint, and it is in the \
                     strip past it; a `store.cell` that divides the footprint covers it",
                    self.cell, s.store.width, s.store.depth
                ),
                false => "it is outside the store's footprint".into(),
            };
        };
        let walls = || s.store.walls.iter().enumerate().filter(|(_, w)| w.floor == floor);
        let fixtures = || s.fixtures.iter().filter(|f| f.floor == floor);
        if let Some(f) = fixtures().find(|f| f.footprint().contains(at)) {
            return format!("it is inside fixture `{}`", f.id);
        }
        if let Some((k, _)) = walls().find(|(_, w)| w.footprint.contains(at)) {
            return format!("it is inside wall {}", k + 1);
        }
        // Beside an obstacle, in a grid cell the obstacle covers in part.
        let centre = self.centre(cell).1;
        let half = self.cell / 2.0;
        let square = Rect::from_corners(centre.offset(-half, -half), centre.offset(half, half));
        let grazes = |r: &Rect| self.blocks(r, &square);
        let grazing = fixtures()
            .find(|f| grazes(&f.footprint()))
            .map(|f| format!("fixture `{}`", f.id))
            .or_else(|| walls().find(|(_, w)| grazes(&w.footprint)).map(|(k, _)| format!("wall {}", k + 1)));
        if let Some(what) = grazing {
            let how = if self.pad() > 0.0 { "covers in part or comes near" } else { "covers in part" };
            return format!("it is in a {} m grid cell that {what} {how} ({})", self.cell, self.blocking_rule());
        }
        if outside_edges(&s.store.bounds()).iter().any(|edge| self.blocks(edge, &square)) {
            return format!(
                "it is in a {} m grid cell that the store's edge comes near ({}, as a wall's)",
                self.cell,
                self.blocking_rule()
            );
        }
        // In a gap closed for being narrower than a body (it read "cut off from the floor").
        let slots = crate::scenario::walkway::body_slots(s);
        let nearest = slots
            .iter()
            .filter(|n| n.floor_index == floor && n.gap.inflate(self.cell).contains(at))
            .min_by(|a, b| a.gap.distance_to(at).total_cmp(&b.gap.distance_to(at)));
        match nearest {
            Some(n) => format!(
                "it is in the gap {:.2} m wide between {} and {}, too narrow for a body ({:.2} m), whose floor is closed",
                n.width_m,
                n.between.0,
                n.between.1,
                crate::scenario::walkway::BODY_WIDTH_M
            ),
            None => "it is cut off from the floor".into(),
        }
    }

    /// Makes floor off the perimeter dearer to walk, as `population.aisle_reluctance` says.
    fn weigh_interior(&mut self, s: &Scenario) {
        let interior = (10.0 * (1.0 + s.population.aisle_reluctance)).round().clamp(10.0, 255.0) as u8;
        for c in 0..self.cell_count() {
            let (_, centre) = self.centre(c as CellId);
            if !self.on_perimeter(centre) {
                self.effort[c] = interior;
            }
        }
        self.table_step_costs();
    }

    /// Tables each open step's cost: 10 straight, 14 diagonal, times the
    /// mean effort of the two cells (a step off the grid or onto blocked
    /// floor is never taken, and costs nothing here).
    fn table_step_costs(&mut self) {
        self.step_costs = (0..self.cell_count())
            .map(|c| {
                let here = self.effort[c] as u32;
                let mut costs = [0u16; 8];
                let mut open = self.steps[c];
                while open != 0 {
                    let k = open.trailing_zeros() as usize;
                    open &= open - 1;
                    let n = (c as i64 + self.step_offsets[k]) as usize;
                    costs[k] = (STEPS[k].2 * (here + self.effort[n] as u32) / 20) as u16;
                }
                costs
            })
            .collect();
    }

    fn block(&mut self, floor: u8, rect: &Rect) {
        for id in self.squares_near(floor, rect, self.pad()) {
            self.walkable[id] = false;
        }
    }

    /// Whether `at`, on `floor`, keeps `room` from every fixture, wall and
    /// edge of the store.
    pub(crate) fn keeps_room(s: &Scenario, floor: u8, at: Point, room: f64) -> bool {
        let bounds = s.store.bounds();
        let inside = Rect::from_corners(bounds.min.offset(room, room), bounds.max.offset(-room, -room));
        inside.contains(at) && s.obstacles().filter(|(f, _)| *f == floor).all(|(_, r)| r.distance_to(at) >= room)
    }

    /// Whether `obstacle` blocks the cell `square`: it overlaps it or, on a
    /// grid finer than the default, comes within `pad` of it.
    fn blocks(&self, obstacle: &Rect, square: &Rect) -> bool {
        obstacle.inflate(self.pad()).overlap_area(square) > 0.0
    }

    /// How far round a fixture or wall cells are blocked besides those it
    /// overlaps: what keeps their centres `MIN_CENTRE_CLEARANCE_M` from it
    /// (none on the default grid or a coarser one).
    fn pad(&self) -> f64 {
        (MIN_CENTRE_CLEARANCE_M - self.cell / 2.0).max(0.0)
    }

    /// How far a walker at a cell's centre keeps from every fixture and
    /// wall: half a cell, at least `MIN_CENTRE_CLEARANCE_M`, at most a
    /// body's radius. Those standing off the grid (in a line) keep as much.
    pub fn walker_room(&self) -> f64 {
        (self.cell / 2.0).clamp(MIN_CENTRE_CLEARANCE_M, BODY_RADIUS_M)
    }

    /// Why a cell is blocked beside what blocks it, in words.
    fn blocking_rule(&self) -> String {
        match self.pad() {
            0.0 => "a cell is blocked if anything overlaps it".into(),
            pad => format!("a cell is blocked if anything overlaps it or comes within {pad:.3} m of it"),
        }
    }

    /// Whether a point lies in the perimeter band.
    pub fn on_perimeter(&self, p: Point) -> bool {
        let (w, d) = (self.nx as f64 * self.cell, self.ny as f64 * self.cell);
        p.x.min(p.y).min(w - p.x).min(d - p.y) <= PERIMETER_BAND_M
    }

    /// Calls `f(predecessor, cost)` for each cell from which one step or
    /// one connector ride reaches `c`: grid steps are symmetric, and
    /// connectors are walked backwards (who could ride into `c`?). What a
    /// flow field towards a target relaxes.
    #[inline]
    pub fn for_each_predecessor(&self, c: CellId, ways: Ways, mut f: impl FnMut(CellId, u32)) {
        self.for_each_step(c, &mut f);
        for link in self.connectors.iter().filter(|l| ways.uses(l)) {
            if link.to == c {
                f(link.from, link.cost);
            } else if link.from == c && !link.one_way {
                f(link.to, link.cost);
            }
        }
    }

    /// Calls `f(neighbour, cost)` for each walkable cell one step away on the
    /// same floor; diagonal steps only where both side cells are walkable,
    /// so nobody cuts a fixture's corner. Costs: 10 straight, 14 diagonal,
    /// times the mean effort of the two cells (symmetric, so fields can be
    /// computed from the target outwards). Order: `STEPS`.
    #[inline]
    pub fn for_each_step(&self, c: CellId, mut f: impl FnMut(CellId, u32)) {
        let mut open = self.steps[c as usize];
        if open == 0 {
            return;
        }
        let costs = &self.step_costs[c as usize];
        while open != 0 {
            let k = open.trailing_zeros() as usize;
            open &= open - 1;
            f((c as i64 + self.step_offsets[k]) as CellId, costs[k] as u32);
        }
    }

    /// The steps open from `c` (bit k for `STEPS[k]`), from the walkable grid.
    fn open_steps(&self, c: CellId) -> u8 {
        let (floor, (ix, iy)) = (self.floor_of(c), self.column_row(c));
        let open = |dx: isize, dy: isize| -> bool {
            let (x, y) = (ix as isize + dx, iy as isize + dy);
            x >= 0
                && y >= 0
                && x < self.nx as isize
                && y < self.ny as isize
                && self.walkable[self.id(floor, x as usize, y as usize) as usize]
        };
        let mut mask = 0u8;
        for (k, &(dx, dy, _)) in STEPS.iter().enumerate() {
            let (dx, dy) = (dx as isize, dy as isize);
            let side_open = dx == 0 || dy == 0 || (open(dx, 0) && open(0, dy));
            if side_open && open(dx, dy) {
                mask |= 1 << k;
            }
        }
        mask
    }

    /// The dearest single grid step (`for_each_step`): a diagonal between
    /// two cells of the greatest effort.
    pub fn longest_step_cost(&self) -> u32 {
        let most = self.effort.iter().copied().max().unwrap_or(10) as u32;
        14 * (2 * most) / 20
    }

    pub fn cell_count(&self) -> usize {
        self.walkable.len()
    }

    pub fn id(&self, floor: u8, ix: usize, iy: usize) -> CellId {
        (floor as usize * self.nx * self.ny + iy * self.nx + ix) as CellId
    }

    /// The cell containing `p` on `floor`, if `p` is inside the grid.
    pub fn cell_at(&self, floor: u8, p: Point) -> Option<CellId> {
        if p.x < 0.0 || p.y < 0.0 || floor as usize >= self.floors {
            return None;
        }
        let (fx, fy) = match self.cells_per_metre {
            Some(k) => (p.x * k, p.y * k),
            None => (p.x / self.cell, p.y / self.cell),
        };
        // Compared as floats first (a NaN fails too), so the truncation
        // needs no saturating conversion to a 64-bit index.
        if !(fx < self.nx as f64 && fy < self.ny as f64) {
            return None;
        }
        Some(self.id(floor, fx as u32 as usize, fy as u32 as usize))
    }

    /// The first point not on walkable floor along the segment `from`–`to`
    /// (sampled every half cell), if there is one.
    pub fn first_blocked(&self, floor: u8, from: Point, to: Point) -> Option<Point> {
        from.samples_to(to, self.cell / 2.0).find(|&p| self.cell_at(floor, p).is_none_or(|c| !self.is_walkable(c)))
    }

    pub fn floor_of(&self, c: CellId) -> u8 {
        self.per_floor.quotient(c) as u8
    }

    /// A cell's column and row on its floor.
    pub fn column_row(&self, c: CellId) -> (usize, usize) {
        let local = self.per_floor.remainder(c);
        (self.per_row.remainder(local) as usize, self.per_row.quotient(local) as usize)
    }

    /// Floor and centre point of a cell.
    pub fn centre(&self, c: CellId) -> (u8, Point) {
        let (ix, iy) = self.column_row(c);
        (self.floor_of(c), Point::new((ix as f64 + 0.5) * self.cell, (iy as f64 + 0.5) * self.cell))
    }

    pub fn is_walkable(&self, c: CellId) -> bool {
        self.walkable[c as usize]
    }

    pub fn zone(&self, c: CellId) -> Option<u16> {
        let z = self.zone[c as usize];
        (z != NO_ZONE).then_some(z)
    }

    /// The walkable cell within two cells of `p`, nearest it: where one
    /// standing where a fixture grazes the floor (one in a line may) steps
    /// first, since no flow field leads from there.
    pub fn open_floor_near(&self, floor: u8, p: Point) -> Option<CellId> {
        self.nearest_walkable(floor, p, self.cell * 2.0)
    }

    /// The walkable cell nearest to `p` (by centre distance) within `radius`.
    pub fn nearest_walkable(&self, floor: u8, p: Point, radius: f64) -> Option<CellId> {
        self.nearest_walkable_where(floor, p, radius, |_| true)
    }

    /// The walkable cell nearest to `p` (by centre distance) within
    /// `radius` whose centre `keep` accepts (`p`'s own cell if it is
    /// walkable and `keep` accepts `p`).
    pub fn nearest_walkable_where(
        &self,
        floor: u8,
        p: Point,
        radius: f64,
        keep: impl Fn(Point) -> bool,
    ) -> Option<CellId> {
        if let Some(c) = self.cell_at(floor, p).filter(|c| self.is_walkable(*c) && keep(p)) {
            return Some(c);
        }
        let r = (radius / self.cell).ceil() as isize;
        let (cx, cy) = ((p.x / self.cell).floor() as isize, (p.y / self.cell).floor() as isize);
        let mut best: Option<(f64, CellId)> = None;
        for iy in (cy - r).max(0)..=(cy + r).min(self.ny as isize - 1) {
            for ix in (cx - r).max(0)..=(cx + r).min(self.nx as isize - 1) {
                let id = self.id(floor, ix as usize, iy as usize);
                let centre = self.centre(id).1;
                let d = centre.distance(p);
                if self.is_walkable(id) && d <= radius && best.is_none_or(|(bd, _)| d < bd) && keep(centre) {
                    best = Some((d, id));
                }
            }
        }
        best.map(|(_, id)| id)
    }
}

/// Strips a metre wide just outside the four edges of `bounds`: blocked as
/// walls are, they block nothing on the default grid, where no cell
/// overlaps them, and keep cell centres clear of the edge on finer ones.
pub fn outside_edges(bounds: &Rect) -> [Rect; 4] {
    let (min, max) = (bounds.min, bounds.max);
    let rect = |x0, y0, x1, y1| Rect::from_corners(Point::new(x0, y0), Point::new(x1, y1));
    [
        rect(min.x - 1.0, min.y - 1.0, min.x, max.y + 1.0),
        rect(max.x, min.y - 1.0, max.x + 1.0, max.y + 1.0),
        rect(min.x, min.y - 1.0, max.x, min.y),
        rect(min.x, max.y, max.x, max.y + 1.0),
    ]
}
