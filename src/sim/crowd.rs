//! Crowding: walking speed falls as the floor around a shopper fills, and
//! shoppers keep out of each other's way.
//!
//! Weidmann's fundamental diagram for pedestrians (Weidmann 1993,
//! "Transporttechnik der Fussgänger", ETH Zürich, Schriftenreihe IVT 90):
//! v(ρ) = v_free · (1 − exp(−γ (1/ρ − 1/ρ_max))) with γ = 1.913 m⁻² and a
//! jam density ρ_max = 5.4 m⁻². Density is counted over the 1 m blocks
//! around a shopper (3 × 3 blocks), per m² of floor bare of fixtures in them, of
//! the bodies on the walkway.
//!
//! Bodies are discs of `BODY_RADIUS_M`. A shopper may not step to within
//! two radii of another on the walkway. Those in a line (a checkout's or a
//! counter's), seated or in a fitting room stand off it: they stand close
//! on purpose, neither block nor are blocked, and are not crowding the way
//! (counted, a long line slowed everyone walking past it to a shuffle,
//! though they walk through it).

use crate::geom::Point;
use crate::store::{Blocks, CellId, Store};

const GAMMA: f64 = 1.913;
const JAM_DENSITY: f64 = 5.4;
/// People in a jam still shuffle forward; without it a jam never clears.
const SHUFFLE: f64 = 0.05;

/// A shopper's body as a disc: 0.2 m, the radius pedestrian models commonly
/// give an adult (about the half-width of the shoulders). Two bodies' centres
/// stay at least 0.4 m apart, which allows 6.2 people per m² in hexagonal
/// packing, just above Weidmann's jam density.
pub const BODY_RADIUS_M: f64 = crate::store::BODY_RADIUS_M;
pub(super) const MIN_GAP_M: f64 = 2.0 * BODY_RADIUS_M;
// A desk's terminals are validated this far apart.
const _: () = assert!(crate::scenario::MIN_TERMINAL_GAP_M == MIN_GAP_M);

/// The most stride a shopper banks by standing or walking slower than its
/// pace, with ticks of `tick_s` seconds: the farthest a trade of places
/// moves it (two bodies' width and the fastest walker's step: a walker
/// trades with one in the way of its step), and no more, so no logged move
/// outruns walking by more than that.
pub fn stride_bank_m(tick_s: f64) -> f64 {
    MIN_GAP_M + super::TOP_SPEED_MPS * tick_s
}

/// Bodies among `near` (see `Crowding::gather_near`) that keep `shopper`
/// from stepping from `from` to `at`, as `Crowding::blockers` finds them.
pub fn blockers_among(near: &[Body], shopper: u32, from: Point, at: Point) -> impl Iterator<Item = Body> + '_ {
    near.iter().filter(move |b| b.blocks_step(shopper, from, at)).copied()
}

/// Share of free walking speed at `density` shoppers per m² (never below
/// a shuffle).
pub fn weidmann_factor(density: f64) -> f64 {
    if density <= 0.0 {
        return 1.0;
    }
    if density >= JAM_DENSITY {
        return SHUFFLE;
    }
    (1.0 - (-GAMMA * (1.0 / density - 1.0 / JAM_DENSITY)).exp()).max(SHUFFLE)
}

/// `people` per m² of `area` (none on no floor).
fn density(people: u32, area_m2: f64) -> f64 {
    if area_m2 > 0.0 { people as f64 / area_m2 } else { 0.0 }
}

/// Whether a body keeps others out of its space.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Solidity {
    /// Walking or standing in the aisles.
    Solid,
    /// In a line (a checkout's or a counter's), or seated or in a fitting
    /// room at a stop: off the walkway, not filed.
    OffWalkway,
}

/// A shopper's body on the floor.
#[derive(Debug, Clone, Copy)]
pub struct Body {
    pub shopper: u32,
    /// The shopper's party (its leader's index): party members make way
    /// for each other.
    pub party: u32,
    pub at: Point,
    /// The direction it wants to step in (unit vector; zero when standing).
    pub wish: (f64, f64),
    /// Where it walks to (its route's goal cell), when walking.
    pub goal: Option<CellId>,
    /// Standing about with nothing to do (a companion waiting for its
    /// leader): lets someone who waits for it by.
    pub gives_way: bool,
    /// Kept from its way for a while (a standoff): it trades places with
    /// another in the same plight, since neither can move otherwise.
    pub stalled: bool,
    /// How far a trade or a nudge may move it this tick: the stride it has
    /// banked (`Shopper::stride_credit_m`), less what it moved this tick.
    pub slack_m: f64,
}

impl Body {
    /// Whether this body walks to `goal` too: trading places with it gains
    /// the pair nothing, and among three or more such bodies, each trading
    /// with the one ahead, they rotate for ever.
    pub fn walks_to(&self, goal: CellId) -> bool {
        self.goal == Some(goal)
    }

    /// Whether a step of `shopper` from `from` to `at` brings it within two
    /// radii of this body, and nearer it.
    pub fn blocks_step(&self, shopper: u32, from: Point, at: Point) -> bool {
        let after = self.at.distance_squared(at);
        self.shopper != shopper && after < MIN_GAP_M * MIN_GAP_M && after < self.at.distance_squared(from)
    }

    /// Whether a step of another from `from` to `at` cuts into the space
    /// this body wants to step into (a body's radius along its wish): it
    /// comes within two radii of that spot, and nearer it.
    pub fn cut_in(&self, from: Point, at: Point) -> bool {
        let spot = self.at.offset(self.wish.0 * BODY_RADIUS_M, self.wish.1 * BODY_RADIUS_M);
        let after = spot.distance_squared(at);
        self.wish != (0.0, 0.0) && after < MIN_GAP_M * MIN_GAP_M && after < spot.distance_squared(from)
    }

    /// Whether this body wants to step towards `p`.
    pub fn heads_for(&self, p: Point) -> bool {
        let (dx, dy) = (p.x - self.at.x, p.y - self.at.y);
        let ahead = dx * self.wish.0 + dy * self.wish.1;
        if ahead <= 0.0 {
            return false;
        }
        let len = (dx * dx + dy * dy).sqrt();
        len > 1e-9 && ahead / len > 0.5
    }
}

/// The solid bodies on the floor (those on the walkway), filed by block of
/// about 1 m with their positions. The
/// geometry (which block a cell is in, the 3 × 3 blocks around each, their
/// floor area and corner) is static and tabled once.
pub struct Crowding {
    blocks: Blocks,
    /// A block's side, metres.
    block_m: f64,
    /// Per cell: its block.
    block_of: Vec<u32>,
    /// Per block: the blocks of the 3 × 3 square around it on its floor
    /// (row by row), `around_len` of them.
    around: Vec<[u32; 9]>,
    around_len: Vec<u8>,
    /// Per block: m² of bare floor (`Store::is_bare_floor`) in the 3 × 3 square around it.
    around_m2: Vec<f64>,
    /// Per block: its corner nearest the origin, metres (a block spans
    /// `block_m` from there along x and y).
    corner: Vec<Point>,
    solid: Vec<Vec<Body>>,
    /// Per shopper index: where its body is filed in its block's list, if
    /// it was filed since the last `clear` (the generation matches), so a
    /// body is found without searching its block.
    slot: Vec<(u32, u32)>,
    generation: u32,
    /// Blocks that may hold someone since the last `clear` (most of a
    /// store is empty most of the time: clearing only these is cheaper).
    touched: Vec<u32>,
    is_touched: Vec<bool>,
    /// Per block: the bodies in the 3 × 3 blocks around it when its speed
    /// factor was last worked out, and that factor (a block's floor area
    /// is fixed, so the count decides it; counts repeat tick after tick).
    factor_of: Vec<(u32, f64)>,
    /// Bodies filed or taken off since the crowd was made (a count that
    /// only grows), and the bodies around a block counted last by
    /// `speed_factor` with that count then: a walker's speed and then its
    /// neighbourhood ask for the same block with nothing moved between.
    filings: u64,
    last_around: (u32, u64, u32),
    /// Per block: the bodies off the walkway (in a line, seated, in a
    /// fitting room) as (party, where), filed with the solid ones and
    /// cleared with them: walkers pass them, but a companion does not stop
    /// on one (`party::keep_up`). Blocks that hold any are `aside_touched`.
    aside: Vec<Vec<(u32, Point)>>,
    aside_touched: Vec<u32>,
}

impl Crowding {
    pub fn new(store: &Store) -> Crowding {
        let blocks = Blocks::new(store.nx, store.ny, store.floors, store.cell);
        assert!(blocks.side_cells() as f64 * store.cell >= MIN_GAP_M, "blocks must be wider than a body");
        let block_of: Vec<u32> = (0..store.cell_count()).map(|c| blocks.of(c) as u32).collect();
        let mut area_m2 = vec![0.0; blocks.count()];
        for cell in 0..store.cell_count() as CellId {
            if store.is_bare_floor(cell) {
                area_m2[block_of[cell as usize] as usize] += store.cell * store.cell;
            }
        }
        let (bx, by) = blocks.per_floor();
        let (mut around, mut around_len, mut around_m2) = (Vec::new(), Vec::new(), Vec::new());
        let block_m = blocks.side_cells() as f64 * store.cell;
        let mut corner = Vec::new();
        for b in 0..blocks.count() {
            let floor_start = b / (bx * by) * bx * by;
            let (x, y) = (((b - floor_start) % bx) as isize, ((b - floor_start) / bx) as isize);
            let (mut list, mut len, mut m2) = ([0u32; 9], 0usize, 0.0);
            for dy in -1..=1 {
                for dx in -1..=1 {
                    let (nx, ny) = (x + dx, y + dy);
                    if nx >= 0 && ny >= 0 && nx < bx as isize && ny < by as isize {
                        let n = floor_start + ny as usize * bx + nx as usize;
                        list[len] = n as u32;
                        len += 1;
                        m2 += area_m2[n];
                    }
                }
            }
            corner.push(Point::new(x as f64 * block_m, y as f64 * block_m));
            around.push(list);
            around_len.push(len as u8);
            around_m2.push(m2);
        }
        Crowding {
            blocks,
            block_m,
            corner,
            block_of,
            around,
            around_len,
            around_m2,
            solid: vec![Vec::new(); blocks.count()],
            slot: Vec::new(),
            generation: 0,
            touched: Vec::new(),
            is_touched: vec![false; blocks.count()],
            factor_of: vec![(u32::MAX, 1.0); blocks.count()],
            filings: 0,
            last_around: (u32::MAX, 0, 0),
            aside: vec![Vec::new(); blocks.count()],
            aside_touched: Vec::new(),
        }
    }

    fn block(&self, cell: CellId) -> usize {
        self.block_of[cell as usize] as usize
    }

    pub fn clear(&mut self) {
        for &b in &self.touched {
            self.solid[b as usize].clear();
            self.is_touched[b as usize] = false;
        }
        self.touched.clear();
        for &b in &self.aside_touched {
            self.aside[b as usize].clear();
        }
        self.aside_touched.clear();
        self.generation = self.generation.wrapping_add(1);
        self.filings += 1;
    }

    fn touch(&mut self, block: usize) {
        if !self.is_touched[block] {
            self.is_touched[block] = true;
            self.touched.push(block as u32);
        }
    }

    /// Appends `body` to `block`'s list, noting where.
    fn file(&mut self, block: usize, body: Body) {
        let shopper = body.shopper as usize;
        if self.slot.len() <= shopper {
            self.slot.resize(shopper + 1, (self.generation.wrapping_sub(1), 0));
        }
        self.slot[shopper] = (self.generation, self.solid[block].len() as u32);
        self.solid[block].push(body);
        self.filings += 1;
    }

    /// Where `shopper`'s body is in `block`'s list, if it is filed there.
    fn find(&self, shopper: u32, block: usize) -> Option<usize> {
        let &(generation, i) = self.slot.get(shopper as usize)?;
        let filed = generation == self.generation && self.solid[block].get(i as usize)?.shopper == shopper;
        filed.then_some(i as usize)
    }

    /// Takes the `i`-th body off `block`'s list (the last takes its place).
    fn unfile(&mut self, block: usize, i: usize) -> Body {
        let body = self.solid[block].swap_remove(i);
        if let Some(moved) = self.solid[block].get(i) {
            self.slot[moved.shopper as usize].1 = i as u32;
        }
        self.slot[body.shopper as usize].0 = self.generation.wrapping_sub(1);
        self.filings += 1;
        body
    }

    /// Files a solid body.
    pub fn add(&mut self, cell: CellId, body: Body) {
        let block = self.block(cell);
        debug_assert!(self.find(body.shopper, block).is_none(), "shopper {} filed twice", body.shopper);
        self.touch(block);
        self.file(block, body);
    }

    /// Files a body of `party` off the walkway at `at` (in `cell`).
    pub fn add_aside(&mut self, cell: CellId, party: u32, at: Point) {
        let block = self.block(cell);
        if self.aside[block].is_empty() {
            self.aside_touched.push(block as u32);
        }
        self.aside[block].push((party, at));
    }

    /// Whether a body of another party than `party` stands off the walkway
    /// within a body's radius of `at` (in `cell`).
    pub fn aside_taken(&self, party: u32, cell: CellId, at: Point) -> bool {
        self.aside_within(party, cell, at, BODY_RADIUS_M)
    }

    /// Whether a body of another party than `party` stands off the walkway
    /// within `r` metres (at most a block's) of `at` (in `cell`).
    pub fn aside_within(&self, party: u32, cell: CellId, at: Point, r: f64) -> bool {
        let r_sq = r * r;
        self.around(cell)
            .iter()
            .flat_map(|&n| &self.aside[n as usize])
            .any(|&(p, q)| p != party && q.distance_squared(at) < r_sq)
    }

    /// Records which way a solid body wants to go.
    pub fn set_wish(&mut self, shopper: u32, cell: CellId, wish: (f64, f64)) {
        let block = self.block(cell);
        if let Some(i) = self.find(shopper, block) {
            self.solid[block][i].wish = wish;
        }
    }

    /// How far a trade may move `shopper`'s body (in `cell`) this tick
    /// (`Body::slack_m`; none when it is not on the walkway).
    pub fn slack(&self, shopper: u32, cell: CellId) -> f64 {
        let block = self.block(cell);
        self.find(shopper, block).map_or(0.0, |i| self.solid[block][i].slack_m)
    }

    /// Takes a solid body off the floor.
    pub fn remove(&mut self, shopper: u32, cell: CellId) {
        let block = self.block(cell);
        if let Some(i) = self.find(shopper, block) {
            self.unfile(block, i);
        }
    }

    /// Moves a solid body from `from` (its cell before) to `at` in `to`.
    pub fn relocate(&mut self, shopper: u32, from: CellId, to: CellId, at: Point) {
        let (a, b) = (self.block(from), self.block(to));
        let Some(i) = self.find(shopper, a) else { return };
        let spend = |body: &mut Body| {
            body.slack_m = (body.slack_m - body.at.distance(at)).max(0.0);
            body.at = at;
        };
        if a == b {
            spend(&mut self.solid[a][i]);
        } else {
            let mut body = self.unfile(a, i);
            spend(&mut body);
            self.touch(b);
            self.file(b, body);
        }
    }

    /// Blocks in the 3 × 3 square around `cell`'s block, on its floor.
    fn around(&self, cell: CellId) -> &[u32] {
        let b = self.block(cell);
        &self.around[b][..self.around_len[b] as usize]
    }

    /// Bodies filed in the 3 × 3 blocks around `cell`'s block.
    fn people_around(&self, cell: CellId) -> u32 {
        let (block, filings, people) = self.last_around;
        if block == self.block_of[cell as usize] && filings == self.filings {
            return people;
        }
        self.around(cell).iter().map(|&n| self.solid[n as usize].len() as u32).sum()
    }

    /// Shoppers per walkable m² over the 3 × 3 blocks around `cell`.
    pub fn density(&self, cell: CellId) -> f64 {
        density(self.people_around(cell), self.around_m2[self.block(cell)])
    }

    /// Share of free walking speed at `cell` now: Weidmann's factor at the
    /// density around it.
    pub fn speed_factor(&mut self, cell: CellId) -> f64 {
        let (people, block) = (self.people_around(cell), self.block(cell));
        self.last_around = (block as u32, self.filings, people);
        if self.factor_of[block].0 != people {
            self.factor_of[block] = (people, weidmann_factor(density(people, self.around_m2[block])));
        }
        self.factor_of[block].1
    }

    /// Whether a body may appear at `at` (in `cell`): nobody solid within two radii.
    pub fn is_free(&self, cell: CellId, at: Point) -> bool {
        self.solid_near(cell).all(|b| b.at.distance_squared(at) >= MIN_GAP_M * MIN_GAP_M)
    }

    /// Whether `shopper` may stand at `at` (in `cell`): no other solid
    /// body within two radii.
    pub fn is_free_for(&self, shopper: u32, cell: CellId, at: Point) -> bool {
        self.solid_near(cell).all(|b| b.shopper == shopper || b.at.distance_squared(at) >= MIN_GAP_M * MIN_GAP_M)
    }

    /// Whether `shopper` may step from `from` to `at` (in `cell`): the step
    /// brings it within two radii of nobody solid, or at least no closer to
    /// anyone it already overlaps, so bodies that meet (leaving a queue)
    /// can part.
    pub fn may_step(&self, shopper: u32, cell: CellId, from: Point, at: Point) -> bool {
        self.blockers(shopper, cell, from, at).next().is_none()
    }

    /// Every solid body the step would bring within two radii (and nearer).
    pub fn blockers(&self, shopper: u32, cell: CellId, from: Point, at: Point) -> impl Iterator<Item = Body> + '_ {
        self.solid_near(cell).filter(move |b| b.blocks_step(shopper, from, at)).copied()
    }

    /// The solid bodies but `shopper`'s own that one at `from` (in `cell`)
    /// could come within two radii of by moving up to `reach` metres, into
    /// `near` (cleared first), in the order `blockers` meets them (by
    /// block, then as filed): a walker's neighbourhood for a tick,
    /// gathered once.
    pub fn gather_near(&self, shopper: u32, cell: CellId, from: Point, reach: f64, near: &mut Vec<Body>) {
        near.clear();
        let r = MIN_GAP_M + reach;
        let r_sq = r * r * (1.0 + 1e-9) + 1e-12;
        let keep = |b: &&Body| b.shopper != shopper && b.at.distance_squared(from) <= r_sq;
        let b = self.block(cell);
        let (bx, by) = self.blocks.per_floor();
        // The 3 × 3 blocks around hold everything within a block's side.
        let rings = if r * (1.0 + 1e-9) < self.block_m { 1 } else { (r / self.block_m).ceil() as isize + 1 };
        if rings == 1 {
            // Most walkers have the blocks round them to themselves.
            let own = u32::from(self.find(shopper, b).is_some());
            if self.people_around(cell) <= own {
                return;
            }
            // Blocks wholly out of reach are skipped (a body stands in the
            // block of its cell; the margin absorbs rounding at the edges).
            const MARGIN_M: f64 = 1e-3;
            let within = (r + MARGIN_M) * (r + MARGIN_M);
            for &n in self.around(cell) {
                let bodies = &self.solid[n as usize];
                if !bodies.is_empty() && self.distance_squared_to_block(n as usize, from) <= within {
                    near.extend(bodies.iter().filter(keep).copied());
                }
            }
            return;
        }
        let floor_start = b / (bx * by) * bx * by;
        let (x, y) = (((b - floor_start) % bx) as isize, ((b - floor_start) / bx) as isize);
        for ny in (y - rings).max(0)..=(y + rings).min(by as isize - 1) {
            for nx in (x - rings).max(0)..=(x + rings).min(bx as isize - 1) {
                let n = floor_start + ny as usize * bx + nx as usize;
                near.extend(self.solid[n].iter().filter(keep).copied());
            }
        }
    }

    /// The squared distance from `p` to block `b`'s square (0 inside it).
    fn distance_squared_to_block(&self, b: usize, p: Point) -> f64 {
        let c = self.corner[b];
        let dx = (c.x - p.x).max(p.x - (c.x + self.block_m)).max(0.0);
        let dy = (c.y - p.y).max(p.y - (c.y + self.block_m)).max(0.0);
        dx * dx + dy * dy
    }

    /// Whether a step of one of `party` from `from` to `at` (in `cell`)
    /// lands within a body's radius of a solid body of another party
    /// standing there (wanting no step), and nearer it: one stepping onto
    /// its place in line (off the walkway, where walkers do not keep it
    /// off) waits rather than stand on it. (One walking through is not
    /// waited for: it moves on. A body's radius, not two: a line's places
    /// are 0.6 m apart and its members stand close to those beside it;
    /// what is refused is standing on one spot.)
    pub fn stands_on(&self, party: u32, cell: CellId, from: Point, at: Point) -> bool {
        let r_sq = BODY_RADIUS_M * BODY_RADIUS_M;
        self.solid_near(cell).any(|b| {
            let after = b.at.distance_squared(at);
            b.party != party && b.wish == (0.0, 0.0) && after < r_sq && after < b.at.distance_squared(from)
        })
    }

    /// Whether `shopper`, at `at` (in `cell`), stands within a body's
    /// radius of another solid body: on its spot.
    pub fn stands_on_another(&self, shopper: u32, cell: CellId, at: Point) -> bool {
        let r_sq = BODY_RADIUS_M * BODY_RADIUS_M;
        self.solid_near(cell).any(|b| b.shopper != shopper && b.at.distance_squared(at) < r_sq)
    }

    fn solid_near(&self, cell: CellId) -> impl Iterator<Item = &Body> + '_ {
        self.around(cell).iter().flat_map(|&n| self.solid[n as usize].iter())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::ScenarioFile;

    /// A shopper alone, at `at`, wanting to step `wish`.
    fn lone(shopper: u32, at: Point, wish: (f64, f64)) -> Body {
        Body { shopper, party: shopper, at, wish, goal: None, gives_way: false, stalled: false, slack_m: 0.0 }
    }

    fn open_floor() -> (Store, Crowding) {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/tiny.toml");
        let p = crate::prepare(&ScenarioFile::read(&path).unwrap(), "baseline").unwrap();
        let crowding = Crowding::new(&p.store);
        (Store::clone(&p.store), crowding)
    }

    #[test]
    fn steps_keep_bodies_two_radii_apart() {
        let (store, mut crowd) = open_floor();
        let at = |x: f64, y: f64| (store.cell_at(0, Point::new(x, y)).unwrap(), Point::new(x, y));
        let (c, p) = at(2.0, 2.0);
        let body = |shopper: u32, at: Point| lone(shopper, at, (1.0, 0.0));
        crowd.add(c, body(1, p));
        // (from, to, allowed): approaching to under 0.4 m is refused;
        // parting from an overlap is not.
        for (from, to, allowed) in [
            ((1.0, 2.0), (1.5, 2.0), true),
            ((1.0, 2.0), (1.65, 2.0), false),
            ((1.7, 2.0), (1.75, 2.0), false),
            ((1.7, 2.0), (1.65, 2.0), true),
            ((2.0, 1.7), (2.1, 1.7), true),
        ] {
            let (from, (cell, to)) = (Point::new(from.0, from.1), at(to.0, to.1));
            assert_eq!(crowd.may_step(9, cell, from, to), allowed, "{from:?} → {to:?}");
        }
        assert!(crowd.may_step(1, c, p, p.offset(0.01, 0.0)), "a body does not block itself");
        assert!(!crowd.is_free(at(2.3, 2.0).0, Point::new(2.3, 2.0)));
        crowd.relocate(1, c, at(6.0, 2.0).0, Point::new(6.0, 2.0));
        assert!(crowd.is_free(c, p), "the body moved away");
        crowd.remove(1, at(6.0, 2.0).0);
        assert!(crowd.is_free(at(6.0, 2.0).0, Point::new(6.0, 2.0)));
    }

    #[test]
    fn a_gathered_neighbourhood_finds_the_blockers_the_crowd_finds_in_its_order() {
        use rand::{RngExt, SeedableRng};
        let (store, mut crowd) = open_floor();
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(7);
        let walkable = |p: Point| store.cell_at(0, p).filter(|&c| store.is_walkable(c));
        let mut placed = 0;
        while placed < 120 {
            let p = Point::new(rng.random_range(0.0..12.0), rng.random_range(0.0..8.0));
            let Some(c) = walkable(p) else { continue };
            let b = Body {
                shopper: placed,
                party: placed,
                at: p,
                wish: (1.0, 0.0),
                goal: None,
                gives_way: false,
                stalled: false,
                slack_m: 0.0,
            };
            crowd.add(c, b);
            placed += 1;
        }
        let (mut near, mut compared) = (Vec::new(), 0);
        // Reaches below and above a block's side (one ring of blocks, or more).
        for reach in [0.05, 0.2, 0.8, 1.7] {
            for _ in 0..400 {
                let from = Point::new(rng.random_range(0.0..12.0), rng.random_range(0.0..8.0));
                let Some(cell) = walkable(from) else { continue };
                let shopper = rng.random_range(0..120);
                crowd.gather_near(shopper, cell, from, reach, &mut near);
                assert!(near.iter().all(|b| b.shopper != shopper), "its own body is not gathered");
                let angle: f64 = rng.random_range(0.0..std::f64::consts::TAU);
                let at = from.offset(reach * angle.cos(), reach * angle.sin());
                let Some(to) = walkable(at) else { continue };
                let gathered: Vec<u32> = blockers_among(&near, shopper, from, at).map(|b| b.shopper).collect();
                let filed: Vec<u32> = crowd.blockers(shopper, to, from, at).map(|b| b.shopper).collect();
                assert_eq!(gathered, filed, "reach {reach} from {from:?} to {at:?}");
                compared += 1;
            }
        }
        assert!(compared > 800, "{compared} steps compared");
    }

    /// A walker alone in the blocks round it gathers nobody; with one
    /// more within reach, that one alone; its own body never.
    #[test]
    fn a_walker_alone_gathers_nobody() {
        let (store, mut crowd) = open_floor();
        let at = |x: f64, y: f64| (store.cell_at(0, Point::new(x, y)).unwrap(), Point::new(x, y));
        let (cell, from) = at(5.1, 4.1);
        crowd.add(cell, lone(1, from, (1.0, 0.0)));
        let mut near = vec![lone(9, from, (0.0, 0.0))];
        crowd.gather_near(1, cell, from, 0.1, &mut near);
        assert!(near.is_empty(), "{near:?}");
        let (other_cell, other) = at(5.5, 4.1);
        crowd.add(other_cell, lone(2, other, (0.0, 0.0)));
        crowd.gather_near(1, cell, from, 0.1, &mut near);
        assert_eq!(near.iter().map(|b| b.shopper).collect::<Vec<_>>(), [2]);
        crowd.gather_near(7, cell, from, 0.1, &mut near);
        assert_eq!(near.iter().map(|b| b.shopper).collect::<Vec<_>>(), [1, 2], "another's view: both");
    }

    /// One stepping onto its place in line waits for one of another party
    /// standing on it, not for one walking through, one of its own party,
    /// or one it already stands nearer to than the place.
    #[test]
    fn a_place_is_taken_by_another_party_standing_on_it() {
        let (store, mut crowd) = open_floor();
        let place = Point::new(5.1, 4.1);
        let cell = store.cell_at(0, place).unwrap();
        let behind = place.offset(0.0, 0.6);
        // (who stands where, wanting which way, of which party; where the
        // one stepping comes from; taken?)
        let cases = [
            ("another party standing on it", place.offset(0.1, 0.0), (0.0, 0.0), 9, behind, true),
            ("another party walking through", place.offset(0.1, 0.0), (1.0, 0.0), 9, behind, false),
            ("one of its own party", place.offset(0.1, 0.0), (0.0, 0.0), 1, behind, false),
            ("another a body's radius off", place.offset(0.25, 0.0), (0.0, 0.0), 9, behind, false),
            ("another it already overlaps more", place.offset(0.0, 0.15), (0.0, 0.0), 9, place.offset(0.0, 0.2), false),
        ];
        for (what, at, wish, party, from, taken) in cases {
            crowd.clear();
            let c = store.cell_at(0, at).unwrap();
            crowd.add(c, Body { party, ..lone(2, at, wish) });
            assert_eq!(crowd.stands_on(1, cell, from, place), taken, "{what}");
        }
    }

    #[test]
    fn density_counts_the_filed_bodies_per_square_metre_of_bare_floor_around() {
        let (store, mut crowd) = open_floor();
        let spot = Point::new(5.1, 4.1);
        let cell = store.cell_at(0, spot).unwrap();
        // The bare floor of the 3 × 3 blocks round the spot's block, counted cell by cell.
        let side = crowd.block_m;
        let (bx, by) = ((spot.x / side).floor(), (spot.y / side).floor());
        let m2: f64 = (0..store.cell_count() as CellId)
            .filter(|&c| store.is_bare_floor(c) && store.centre(c).0 == 0)
            .filter(|&c| {
                let p = store.centre(c).1;
                ((p.x / side).floor() - bx).abs() <= 1.0 && ((p.y / side).floor() - by).abs() <= 1.0
            })
            .count() as f64
            * store.cell
            * store.cell;
        assert!(m2 > 4.0, "open floor round the spot: {m2} m²");
        let body = |shopper: u32, at: Point| lone(shopper, at, (0.0, 0.0));
        assert_eq!(crowd.density(cell), 0.0);
        for k in 0..3 {
            let at = spot.offset(0.5 * k as f64 - 0.5, 0.0);
            crowd.add(store.cell_at(0, at).unwrap(), body(k, at));
        }
        assert!((crowd.density(cell) - 3.0 / m2).abs() < 1e-9, "{} against {}", crowd.density(cell), 3.0 / m2);
        let far = Point::new(spot.x + 4.0 * side, spot.y);
        let far_cell = store.cell_at(0, far).unwrap();
        crowd.relocate(2, store.cell_at(0, spot.offset(0.5, 0.0)).unwrap(), far_cell, far);
        assert!((crowd.density(cell) - 2.0 / m2).abs() < 1e-9, "one walked out of reach");
        crowd.remove(2, far_cell);
        crowd.clear();
        assert_eq!(crowd.density(cell), 0.0);
    }

    #[test]
    fn weidmann_speeds_match_the_fundamental_diagram() {
        // Free flow when alone, about 0.79 of free speed at 1 person/m², 0.45 at 2, a shuffle at jam density.
        for (density, factor) in [(0.0, 1.0), (0.1, 1.0), (1.0, 0.790), (2.0, 0.452), (5.4, 0.05)] {
            assert!((weidmann_factor(density) - factor).abs() < 2e-3, "{density}: {}", weidmann_factor(density));
        }
    }
}
