//! What a shopper can see: shelves within a view cone and distance, with
//! line of sight over fixtures by their height, weighted by shelf level,
//! facings and placement. Built once per layout.

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
    /// The fixture it is on (its own fixture does not hide it).
    pub fixture: usize,
    pub notice: f64,
    pub persuasion: f64,
}

pub struct Sight {
    pub shelves: Vec<Shelf>,
    /// For each cell: the shelves within the view radius of its centre.
    near: Vec<Vec<u32>>,
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
                shelves.push(Shelf {
                    product: pi as u32,
                    floor: f.floor,
                    spot: pl.spot,
                    fixture: pl.fixture,
                    notice: (BASE_NOTICE * level_weight(pl.level) * facing_weight(pl.facings) * notice_w).min(0.95),
                    persuasion,
                });
            }
        }
        let cells = store.cell_count();
        let mut near = vec![Vec::new(); cells];
        let r = (VIEW_RADIUS_M / store.cell).ceil() as isize;
        for (i, sh) in shelves.iter().enumerate() {
            let (cx, cy) = ((sh.spot.x / store.cell) as isize, (sh.spot.y / store.cell) as isize);
            for iy in (cy - r).max(0)..=(cy + r).min(store.ny as isize - 1) {
                for ix in (cx - r).max(0)..=(cx + r).min(store.nx as isize - 1) {
                    let c = store.id(sh.floor, ix as usize, iy as usize);
                    if store.is_walkable(c) && store.centre(c).1.distance(sh.spot) <= VIEW_RADIUS_M + store.cell {
                        near[c as usize].push(i as u32);
                    }
                }
            }
        }
        let mut blocker = vec![(0.0f32, u32::MAX); cells];
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
        Sight { shelves, near, blocker }
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
        for &i in &self.near[cell as usize] {
            let sh = &self.shelves[i as usize];
            if !wanted(sh.product) {
                continue;
            }
            let (dx, dy) = (sh.spot.x - pos.x, sh.spot.y - pos.y);
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
            if self.line_of_sight(store, store.floor_of(cell), pos, d, sh) {
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
