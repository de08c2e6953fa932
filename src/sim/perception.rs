//! What a shopper can see: shelves within a view cone and distance, with
//! line of sight over fixtures by their height (a tall fixture's shelves
//! only from in front of their face), weighted by shelf level, facings and
//! placement. Built once per layout.

use crate::geom::Point;
use crate::scenario::{FixtureKind, Scenario, ShelfLevel};
use crate::store::{CellId, Store};

/// How far a shopper notices products, metres.
pub const VIEW_RADIUS_M: f64 = 3.0;
/// Half-angle of the view cone around the walking direction.
pub const VIEW_HALF_ANGLE_DEG: f64 = 60.0;
// `Sight::visible` rejects what is behind before measuring angles.
const _: () = assert!(VIEW_HALF_ANGLE_DEG < 90.0);
/// Fixtures at least this tall hide what is behind them (eye height is
/// about 1.5–1.6 m); a promo table or a freezer chest does not.
pub const SIGHT_BLOCKING_HEIGHT_M: f64 = 1.4;
/// Products within this distance can be taken without a detour.
pub const REACH_M: f64 = 1.3;
/// Chance of noticing a product in plain view at eye level with ample
/// facings on an ordinary shelf; the weights below scale it.
pub const BASE_NOTICE: f64 = 0.35;

/// Attention by shelf level. Eye level draws the most attention and the
/// floor the least: Drèze, Hoch & Purk (1994, J. Retailing 70(4)) moved
/// products between levels and found sales at eye level well above those
/// at the lowest shelf; Chandon et al. (2009, J. Marketing 73(6)) found in
/// eye-tracking that top and middle shelves gain attention over the bottom.
pub fn level_weight(level: ShelfLevel) -> f64 {
    match level {
        ShelfLevel::Floor => 0.35,
        ShelfLevel::Knee => 0.55,
        ShelfLevel::Waist => 0.8,
        ShelfLevel::Eye => 1.0,
        ShelfLevel::Top => 0.7,
    }
}

/// Attention by number of facings, rising with diminishing returns
/// (Chandon et al. 2009: facings were the strongest in-store driver of
/// noticing).
pub fn facing_weight(facings: u16) -> f64 {
    0.5 + 0.5 * (1.0 - (-(facings as f64) / 2.0).exp())
}

/// Extra attention (noticing) and persuasion (buying) of special placements:
/// endcaps and displays sell several times the same product's home shelf
/// (Drèze et al. 1994; the industry's endcap studies).
pub fn placement_weights(kind: FixtureKind) -> (f64, f64) {
    match kind {
        FixtureKind::Endcap => (1.6, 1.3),
        FixtureKind::Display => (1.8, 1.5),
        FixtureKind::PromoTable => (1.5, 1.3),
        _ => (1.0, 1.0),
    }
}

/// How easily a product is found by someone standing at its shelf looking
/// for it: its shelf level's attention times its facings' (placement
/// weights draw the eye from afar and do not matter up close).
pub fn findability(level: ShelfLevel, facings: u16) -> f64 {
    level_weight(level) * facing_weight(facings)
}

/// One product on one shelf, as seen from the floor.
#[derive(Debug, Clone, Copy)]
pub struct Shelf {
    pub product: u32,
    pub floor: u8,
    pub spot: Point,
    /// The fixture it is on (its own fixture does not hide it from in
    /// front of the face it is on).
    pub fixture: usize,
    /// The outward normal of its face when its fixture is tall enough to
    /// hide what is behind: then it is seen only from in front of that
    /// face (a gondola's far side is not seen through the gondola). A low
    /// fixture's shelves are seen over it from anywhere.
    pub front: Option<(f64, f64)>,
    pub notice: f64,
    pub persuasion: f64,
}

impl Shelf {
    /// Whether `pos` is where the shelf can face: anywhere for a low
    /// fixture, strictly in front of the face's plane for a tall one.
    pub fn faces(&self, pos: Point) -> bool {
        self.front.is_none_or(|(nx, ny)| (pos.x - self.spot.x) * nx + (pos.y - self.spot.y) * ny > 0.0)
    }
}

pub struct Sight {
    pub shelves: Vec<Shelf>,
    /// For each cell, `near[near_start[c]..near_start[c + 1]]`: the shelves
    /// within the view radius of its centre, with what the first tests
    /// read (looking is a walk along one array).
    near: Vec<Near>,
    near_start: Vec<u32>,
    /// For each cell: the tallest fixture over it and its index.
    blocker: Vec<(f32, u32)>,
}

impl Sight {
    pub fn new(s: &Scenario, store: &Store) -> Sight {
        let mut shelves = Vec::new();
        for (pi, p) in s.products.iter().enumerate() {
            for pl in &p.placements {
                let f = &s.fixtures[pl.fixture];
                let (notice_w, persuasion) = placement_weights(f.kind);
                let hides = f.height >= SIGHT_BLOCKING_HEIGHT_M;
                shelves.push(Shelf {
                    product: pi as u32,
                    floor: f.floor,
                    spot: pl.spot,
                    fixture: pl.fixture,
                    front: hides.then(|| f.face_normal(pl.face)),
                    notice: (BASE_NOTICE * level_weight(pl.level) * facing_weight(pl.facings) * notice_w).min(0.95),
                    persuasion,
                });
            }
        }
        let cells = store.cell_count();
        let mut near_lists = vec![Vec::new(); cells];
        let r = (VIEW_RADIUS_M / store.cell).ceil() as isize;
        for (i, sh) in shelves.iter().enumerate() {
            let (cx, cy) = ((sh.spot.x / store.cell) as isize, (sh.spot.y / store.cell) as isize);
            for iy in (cy - r).max(0)..=(cy + r).min(store.ny as isize - 1) {
                for ix in (cx - r).max(0)..=(cx + r).min(store.nx as isize - 1) {
                    let c = store.id(sh.floor, ix as usize, iy as usize);
                    if store.is_walkable(c)
                        && store.centre(c).1.distance(sh.spot) <= VIEW_RADIUS_M + store.cell
                        && !wholly_behind(store, c, sh)
                    {
                        near_lists[c as usize].push(i as u32);
                    }
                }
            }
        }
        assert!(shelves.len() < IN_PLAIN_SIGHT as usize, "shelf indices leave the flag bit free");
        let blocker = tallest_fixtures(s, store);
        let (mut near, mut near_start) = (Vec::new(), Vec::with_capacity(cells + 1));
        for (c, list) in near_lists.iter().enumerate() {
            near_start.push(near.len() as u32);
            for &i in list {
                let sh = &shelves[i as usize];
                let flag = if in_plain_sight(store, &blocker, c as CellId, sh) { IN_PLAIN_SIGHT } else { 0 };
                near.push(Near { spot: sh.spot, product: sh.product, shelf: i | flag });
            }
        }
        near_start.push(near.len() as u32);
        Sight { shelves, near, near_start, blocker }
    }

    /// Shelves near `cell` of products `wanted` lets through that are in
    /// the cone ahead and in line of sight (products are asked first: it is
    /// the cheapest test).
    pub fn visible(
        &self,
        store: &Store,
        cell: CellId,
        pos: Point,
        heading: (f64, f64),
        wanted: impl Fn(u32) -> bool,
        mut f: impl FnMut(&Shelf),
    ) {
        let cos_half = VIEW_HALF_ANGLE_DEG.to_radians().cos();
        // Cheap exact rejections before the square root: surely beyond the
        // radius (a margin above rounding), or surely behind (the cone is
        // narrower than a half-plane).
        let beyond_sq = VIEW_RADIUS_M * VIEW_RADIUS_M * (1.0 + 1e-9);
        // The shopper stands in its cell (checked, so the table cannot be
        // misread): shelves in plain sight from the cell need no test.
        let floor = store.floor_of(cell);
        let in_cell = store.cell_at(floor, pos) == Some(cell);
        let cell = cell as usize;
        for near in &self.near[self.near_start[cell] as usize..self.near_start[cell + 1] as usize] {
            if !wanted(near.product) {
                continue;
            }
            let (dx, dy) = (near.spot.x - pos.x, near.spot.y - pos.y);
            let (d_sq, ahead) = (dx * dx + dy * dy, dx * heading.0 + dy * heading.1);
            if d_sq > beyond_sq || (ahead < 0.0 && d_sq > 1e-10) {
                continue;
            }
            let d = d_sq.sqrt();
            if d > VIEW_RADIUS_M {
                continue;
            }
            if d > 1e-6 && ahead / d < cos_half {
                continue;
            }
            let sh = &self.shelves[(near.shelf & !IN_PLAIN_SIGHT) as usize];
            if !sh.faces(pos) {
                continue;
            }
            let clear = in_cell && near.shelf & IN_PLAIN_SIGHT != 0;
            if clear || self.line_of_sight(store, floor, pos, d, sh) {
                f(sh);
            }
        }
    }

    /// No fixture taller than eye level stands between `pos` and the shelf
    /// (the shelf's own fixture aside); `d` is the distance to it.
    fn line_of_sight(&self, store: &Store, floor: u8, pos: Point, d: f64, sh: &Shelf) -> bool {
        let steps = (d / (store.cell / 2.0)).ceil() as usize;
        for k in 1..steps {
            let t = k as f64 / steps as f64;
            let p = Point::new(pos.x + (sh.spot.x - pos.x) * t, pos.y + (sh.spot.y - pos.y) * t);
            let Some(c) = store.cell_at(floor, p) else { continue };
            let (h, fixture) = self.blocker[c as usize];
            if h as f64 >= SIGHT_BLOCKING_HEIGHT_M && fixture as usize != sh.fixture {
                return false;
            }
        }
        true
    }
}

/// Whether no point of `cell`'s square is in front of the shelf's face
/// (`Shelf::faces` fails everywhere in it, by a margin for rounding): the
/// cell's list leaves the shelf out.
fn wholly_behind(store: &Store, cell: CellId, sh: &Shelf) -> bool {
    let Some((nx, ny)) = sh.front else { return false };
    let centre = store.centre(cell).1;
    let half = store.cell / 2.0;
    let most_in_front = (centre.x - sh.spot.x) * nx + (centre.y - sh.spot.y) * ny + half * (nx.abs() + ny.abs());
    most_in_front < -1e-9
}

/// A shelf near a cell, as `Sight::visible` first looks at it.
#[derive(Debug, Clone, Copy)]
struct Near {
    spot: Point,
    product: u32,
    /// Its index in `Sight::shelves`, with `IN_PLAIN_SIGHT`.
    shelf: u32,
}

/// Bit set on `Near::shelf` when the shelf is in plain sight from
/// anywhere in the cell.
const IN_PLAIN_SIGHT: u32 = 1 << 31;

/// For each cell: the tallest fixture over it and its index.
fn tallest_fixtures(s: &Scenario, store: &Store) -> Vec<(f32, u32)> {
    let mut blocker = vec![(0.0f32, u32::MAX); store.cell_count()];
    for (fi, f) in s.fixtures.iter().enumerate() {
        let r = f.footprint();
        let (x0, x1) = ((r.min.x / store.cell) as usize, ((r.max.x / store.cell).ceil() as usize).min(store.nx));
        let (y0, y1) = ((r.min.y / store.cell) as usize, ((r.max.y / store.cell).ceil() as usize).min(store.ny));
        for iy in y0..y1 {
            for ix in x0..x1 {
                let c = store.id(f.floor, ix, iy) as usize;
                if f.height as f32 > blocker[c].0 {
                    blocker[c] = (f.height as f32, fi as u32);
                }
            }
        }
    }
    blocker
}

/// Whether no point `Sight::line_of_sight` can sample between anywhere in
/// `cell` and the shelf lies in a cell of a fixture that hides it: every
/// such point is in the bounding box of the cell's square and the shelf's
/// spot (widened a little for rounding), and no cell in the box is under
/// a sight-blocking fixture other than the shelf's own. Conservative: a
/// shelf it does not clear is tested point by point.
fn in_plain_sight(store: &Store, blocker: &[(f32, u32)], cell: CellId, sh: &Shelf) -> bool {
    const MARGIN_M: f64 = 1e-6;
    let (floor, centre) = store.centre(cell);
    let half = store.cell / 2.0;
    let span = |a: f64, b: f64| (a.min(b - half) - MARGIN_M, a.max(b + half) + MARGIN_M);
    let (x0, x1) = span(sh.spot.x, centre.x);
    let (y0, y1) = span(sh.spot.y, centre.y);
    let index = |v: f64, n: usize| ((v.max(0.0) / store.cell) as usize).min(n - 1);
    for iy in index(y0, store.ny)..=index(y1, store.ny) {
        for ix in index(x0, store.nx)..=index(x1, store.nx) {
            let (h, fixture) = blocker[store.id(floor, ix, iy) as usize];
            if h as f64 >= SIGHT_BLOCKING_HEIGHT_M && fixture as usize != sh.fixture {
                return false;
            }
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::{RngExt, SeedableRng};

    /// A look sees only products not yet considered, so once what one look
    /// saw is considered a second look from the same spot sees nothing:
    /// what lets a shopper standing where it last looked skip the look
    /// (`impulse::look`). From random spots and headings on every shipped
    /// layout, most of which see something the first time.
    #[test]
    fn a_second_look_from_the_same_spot_sees_nothing_once_the_first_is_considered() {
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(11);
        for (name, p) in crate::shipped_layouts() {
            let (store, sight) = (&p.store, Sight::new(&p.scenario, &p.store));
            let walkable: Vec<CellId> = (0..store.cell_count() as CellId).filter(|&c| store.is_walkable(c)).collect();
            let mut saw_something = 0;
            for _ in 0..400 {
                let cell = walkable[rng.random_range(0..walkable.len())];
                let half = store.cell / 2.0 * (1.0 - 1e-9);
                let pos = store.centre(cell).1.offset(rng.random_range(-half..half), rng.random_range(-half..half));
                let angle: f64 = rng.random_range(0.0..std::f64::consts::TAU);
                let heading = (angle.cos(), angle.sin());
                let mut considered = std::collections::HashSet::new();
                let mut first = Vec::new();
                sight.visible(store, cell, pos, heading, |p| !considered.contains(&p), |sh| first.push(sh.product));
                saw_something += !first.is_empty() as usize;
                considered.extend(first);
                let mut second = Vec::new();
                sight.visible(store, cell, pos, heading, |p| !considered.contains(&p), |sh| second.push(sh.product));
                assert!(second.is_empty(), "{name}: cell {cell}: {second:?} seen again");
            }
            assert!(saw_something > 40, "{name}: only {saw_something} of 400 looks saw anything");
        }
    }

    /// `visible` finds what a plain search of every shelf finds: within the
    /// view radius, in the cone, facing the viewer and in line of sight (the
    /// cells' lists leave out only shelves no point of the cell can see).
    #[test]
    fn a_look_sees_what_a_search_of_every_shelf_sees() {
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(5);
        let cos_half = VIEW_HALF_ANGLE_DEG.to_radians().cos();
        for (name, p) in crate::shipped_layouts() {
            let (store, sight) = (&p.store, Sight::new(&p.scenario, &p.store));
            let walkable: Vec<CellId> = (0..store.cell_count() as CellId).filter(|&c| store.is_walkable(c)).collect();
            for _ in 0..300 {
                let cell = walkable[rng.random_range(0..walkable.len())];
                let (floor, centre) = store.centre(cell);
                let half = store.cell / 2.0 * (1.0 - 1e-9);
                let pos = centre.offset(rng.random_range(-half..half), rng.random_range(-half..half));
                let angle: f64 = rng.random_range(0.0..std::f64::consts::TAU);
                let heading = (angle.cos(), angle.sin());
                let mut seen = Vec::new();
                sight.visible(store, cell, pos, heading, |_| true, |sh| seen.push((sh.product, sh.spot.x, sh.spot.y)));
                let mut expected: Vec<_> = sight
                    .shelves
                    .iter()
                    .filter(|sh| {
                        let d = pos.distance(sh.spot);
                        let ahead = (sh.spot.x - pos.x) * heading.0 + (sh.spot.y - pos.y) * heading.1;
                        sh.floor == floor
                            && d <= VIEW_RADIUS_M
                            && (d <= 1e-6 || ahead / d >= cos_half)
                            && sh.faces(pos)
                            && sight.line_of_sight(store, floor, pos, d, sh)
                    })
                    .map(|sh| (sh.product, sh.spot.x, sh.spot.y))
                    .collect();
                seen.sort_by(|a, b| a.partial_cmp(b).unwrap());
                expected.sort_by(|a, b| a.partial_cmp(b).unwrap());
                assert_eq!(seen, expected, "{name}: from {pos:?} heading {heading:?}");
            }
        }
    }

    /// Standing at a tall gondola's shelf, facing it, a shopper sees that
    /// shelf and not the products on the gondola's far face, a metre or so
    /// away through it; over a low fixture it sees the far face.
    #[test]
    fn a_tall_fixtures_far_face_is_not_seen_through_it() {
        let (mut through_tall, mut over_low) = (0, 0);
        for (name, p) in crate::shipped_layouts() {
            let (store, sight) = (&p.store, Sight::new(&p.scenario, &p.store));
            for product in &p.scenario.products {
                for pl in &product.placements {
                    let fixture = &p.scenario.fixtures[pl.fixture];
                    let normal = fixture.face_normal(pl.face);
                    let Some(cell) = store.cell_at(fixture.floor, pl.stand).filter(|&c| store.is_walkable(c)) else {
                        continue;
                    };
                    let facing = (-normal.0, -normal.1);
                    let mut seen = Vec::new();
                    sight.visible(store, cell, pl.stand, facing, |_| true, |sh| seen.push(*sh));
                    let far_face = |sh: &Shelf| {
                        sh.fixture == pl.fixture
                            && fixture.face_normal(face_of(&p.scenario, sh)) == (-normal.0, -normal.1)
                    };
                    let far: Vec<_> = seen.iter().filter(|sh| far_face(sh)).collect();
                    assert!(seen.iter().any(|sh| sh.spot == pl.spot), "{name}: its own shelf unseen at {:?}", pl.stand);
                    if fixture.height >= SIGHT_BLOCKING_HEIGHT_M {
                        assert!(far.is_empty(), "{name}: seen through `{}` from {:?}", fixture.id, pl.stand);
                        through_tall += 1;
                    } else {
                        over_low += usize::from(!far.is_empty());
                    }
                }
            }
        }
        assert!(through_tall > 100, "only {through_tall} tall shelves tried");
        assert!(over_low > 0, "no low fixture's far face was seen over it");
    }

    /// The face of the placement a shelf stands for.
    fn face_of(s: &Scenario, sh: &Shelf) -> crate::scenario::Face {
        let placements = &s.products[sh.product as usize].placements;
        placements.iter().find(|pl| pl.fixture == sh.fixture && pl.spot == sh.spot).expect("its placement").face
    }

    /// Every shelf the table says is in plain sight from a cell passes the
    /// point-by-point test from anywhere in the cell (corners, edges and
    /// random points), on every shipped layout; and the table clears most
    /// of them, or it would save nothing.
    #[test]
    fn shelves_in_plain_sight_pass_the_line_of_sight_test_from_anywhere_in_the_cell() {
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(7);
        for (name, p) in crate::shipped_layouts() {
            let (store, sight) = (&p.store, Sight::new(&p.scenario, &p.store));
            let (mut cleared, mut entries) = (0usize, 0usize);
            for c in 0..store.cell_count() {
                let list = &sight.near[sight.near_start[c] as usize..sight.near_start[c + 1] as usize];
                let (floor, centre) = store.centre(c as CellId);
                let half = store.cell / 2.0 * (1.0 - 1e-9);
                let mut spots = vec![(-half, -half), (half, -half), (-half, half), (half, half), (0.0, 0.0)];
                spots.extend((0..3).map(|_| (rng.random_range(-half..half), rng.random_range(-half..half))));
                for near in list {
                    entries += 1;
                    if near.shelf & IN_PLAIN_SIGHT == 0 {
                        continue;
                    }
                    cleared += 1;
                    let sh = &sight.shelves[(near.shelf & !IN_PLAIN_SIGHT) as usize];
                    for &(dx, dy) in &spots {
                        let pos = centre.offset(dx, dy);
                        let d = pos.distance(sh.spot);
                        assert!(
                            sight.line_of_sight(store, floor, pos, d, sh),
                            "{name}: cell {c}, shelf at {:?}",
                            sh.spot
                        );
                    }
                }
            }
            assert!(cleared * 2 > entries, "{name}: only {cleared} of {entries} cleared");
        }
    }
}
