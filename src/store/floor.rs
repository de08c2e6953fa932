//! The floor bodies stand on, cell by cell: the cells a fixture, wall or
//! closed slot blocks for walkers, and the floor left bare of them, over
//! which crowd density is counted.

use super::{CellId, Store};
use crate::geom::{Point, Rect};

impl Store {
    /// The cells of `floor` (as indices) whose square comes within `pad`
    /// of `rect`, or overlaps it where `pad` is 0.
    pub(super) fn squares_near(&self, floor: u8, rect: &Rect, pad: f64) -> Vec<usize> {
        let c = self.cell;
        let reach = rect.inflate(pad);
        let ix0 = ((reach.min.x / c).floor().max(0.0) as usize).min(self.nx);
        let ix1 = ((reach.max.x / c).ceil().max(0.0) as usize).min(self.nx);
        let iy0 = ((reach.min.y / c).floor().max(0.0) as usize).min(self.ny);
        let iy1 = ((reach.max.y / c).ceil().max(0.0) as usize).min(self.ny);
        let mut near = Vec::new();
        for iy in iy0..iy1 {
            for ix in ix0..ix1 {
                let square = Rect::from_corners(
                    Point::new(ix as f64 * c, iy as f64 * c),
                    Point::new((ix + 1) as f64 * c, (iy + 1) as f64 * c),
                );
                if reach.overlap_area(&square) > 0.0 {
                    near.push(self.id(floor, ix, iy) as usize);
                }
            }
        }
        near
    }

    /// Puts a fixture, wall or closed slot `rect` on `floor`: it blocks
    /// walkers' cells (`block`) and takes those it overlaps off the bare
    /// floor. (On a grid finer than the default, the cells within the
    /// walkers' room of it are blocked but stay bare: bodies stand over
    /// them. Counted as walkable floor alone, a single-file corridor's
    /// walkers were past the jam density and shuffled at a twentieth of
    /// their pace.)
    pub(super) fn stand(&mut self, floor: u8, rect: &Rect) {
        self.block(floor, rect);
        for id in self.squares_near(floor, rect, 0.0) {
            self.bare[id] = false;
        }
    }

    /// Whether `cell` is floor bare of fixtures, walls and closed slots
    /// (see `Store::bare`).
    pub fn is_bare_floor(&self, cell: CellId) -> bool {
        self.bare[cell as usize]
    }
}
