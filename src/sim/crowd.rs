//! Crowding: walking speed falls as the floor around a shopper fills.
//!
//! Weidmann's fundamental diagram for pedestrians (Weidmann 1993,
//! "Transporttechnik der Fussgänger", ETH Zürich, Schriftenreihe IVT 90):
//! v(ρ) = v_free · (1 − exp(−γ (1/ρ − 1/ρ_max))) with γ = 1.913 m⁻² and a
//! jam density ρ_max = 5.4 m⁻². Density is counted over the 1 m blocks
//! around a shopper (3 × 3 blocks), per m² of walkable floor in them.

use crate::store::{Blocks, CellId, Store};

const GAMMA: f64 = 1.913;
const JAM_DENSITY: f64 = 5.4;
/// People in a jam still shuffle forward; without it a jam never clears.
const SHUFFLE: f64 = 0.05;

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

/// Shoppers per block of about 1 m, recounted every tick.
pub struct Crowding {
    blocks: Blocks,
    counts: Vec<u32>,
    /// Walkable m² per block.
    area_m2: Vec<f64>,
}

impl Crowding {
    pub fn new(store: &Store) -> Crowding {
        let blocks = Blocks::new(store.nx, store.ny, store.floors, store.cell);
        let mut area_m2 = vec![0.0; blocks.count()];
        for cell in 0..store.cell_count() as CellId {
            if store.is_walkable(cell) {
                area_m2[blocks.of(cell as usize)] += store.cell * store.cell;
            }
        }
        Crowding { blocks, counts: vec![0; blocks.count()], area_m2 }
    }

    pub fn clear(&mut self) {
        self.counts.fill(0);
    }

    pub fn add(&mut self, cell: CellId) {
        self.counts[self.blocks.of(cell as usize)] += 1;
    }

    /// Shoppers per walkable m² over the 3 × 3 blocks around `cell`.
    pub fn density(&self, cell: CellId) -> f64 {
        let b = self.blocks.of(cell as usize);
        let (bx, by) = self.blocks.per_floor();
        let floor_start = b / (bx * by) * bx * by;
        let (x, y) = (((b - floor_start) % bx) as isize, ((b - floor_start) / bx) as isize);
        let (mut people, mut area) = (0u32, 0.0);
        for dy in -1..=1 {
            for dx in -1..=1 {
                let (nx, ny) = (x + dx, y + dy);
                if nx < 0 || ny < 0 || nx >= bx as isize || ny >= by as isize {
                    continue;
                }
                let n = floor_start + ny as usize * bx + nx as usize;
                people += self.counts[n];
                area += self.area_m2[n];
            }
        }
        if area > 0.0 { people as f64 / area } else { 0.0 }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weidmann_speeds_match_the_fundamental_diagram() {
        // Free flow when alone, about 0.79 of free speed at 1 person/m², 0.45 at 2, a shuffle at jam density.
        for (density, factor) in [(0.0, 1.0), (0.1, 1.0), (1.0, 0.790), (2.0, 0.452), (5.4, 0.05)] {
            assert!((weidmann_factor(density) - factor).abs() < 2e-3, "{density}: {}", weidmann_factor(density));
        }
    }
}
