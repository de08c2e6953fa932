//! Which way people walk, per heat block: a fold over the positions the
//! events log. Each move of a shopper between two logged positions on one
//! floor, at least `MIN_MOVE_M` long, adds its unit direction to the block
//! it started in. A block's sum over its count says how one-way the floor
//! there is (1: everyone the same way, 0: every way at once) and where to.

use super::{Layout, Projection};
use crate::events::{Action, SimEvent};

/// Moves shorter than this (shuffling in a line, turning at a shelf) say
/// nothing about a direction of travel.
pub const MIN_MOVE_M: f32 = 0.3;

/// The walking direction over one heat block.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct BlockDirection {
    /// Sum of the unit directions of the moves that started in the block.
    pub sum: (f64, f64),
    pub moves: u32,
}

impl BlockDirection {
    /// The mean direction (a vector of length 0 to 1: its length is how
    /// much the moves agree), or `None` without moves.
    pub fn mean(&self) -> Option<(f64, f64)> {
        (self.moves > 0).then(|| (self.sum.0 / self.moves as f64, self.sum.1 / self.moves as f64))
    }

    /// The moves in `self` and not in `earlier` (the same fold, at an
    /// earlier time): a window of time.
    pub fn since(&self, earlier: &BlockDirection) -> BlockDirection {
        BlockDirection {
            sum: (self.sum.0 - earlier.sum.0, self.sum.1 - earlier.sum.1),
            moves: self.moves - earlier.moves,
        }
    }
}

/// The fold: the last logged position of each shopper in the store.
#[derive(Clone)]
pub struct DirectionProjection<'a> {
    layout: &'a Layout,
    last: Vec<Option<(f32, f32, u8)>>,
    blocks: Vec<BlockDirection>,
}

impl<'a> DirectionProjection<'a> {
    pub fn new(layout: &'a Layout) -> Self {
        DirectionProjection { layout, last: Vec::new(), blocks: vec![BlockDirection::default(); layout.block_count()] }
    }

    /// Per heat block (`Layout::block_rect` order), the directions so far.
    pub fn blocks(&self) -> &[BlockDirection] {
        &self.blocks
    }
}

impl Projection for DirectionProjection<'_> {
    fn observe(&mut self, e: &SimEvent) {
        let i = e.shopper as usize;
        if self.last.len() <= i {
            self.last.resize(i + 1, None);
        }
        if let Some((x, y, floor)) = self.last[i]
            && floor == e.floor
        {
            let (dx, dy) = (e.x - x, e.y - y);
            let len = dx.hypot(dy);
            if len < MIN_MOVE_M {
                // Not far enough yet: the move is measured from here on.
                if e.action == Action::Exit {
                    self.last[i] = None;
                }
                return;
            }
            let block = self.layout.block_of(self.layout.cell_of(x, y, floor));
            let b = &mut self.blocks[block];
            b.sum.0 += (dx / len) as f64;
            b.sum.1 += (dy / len) as f64;
            b.moves += 1;
        }
        self.last[i] = (e.action != Action::Exit).then_some((e.x, e.y, e.floor));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::ScenarioFile;

    fn layout() -> Layout {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/tiny.toml");
        Layout::new(&crate::prepare(&ScenarioFile::read(&path).unwrap(), "baseline").unwrap())
    }

    fn at(t_ms: u64, shopper: u32, x: f32, y: f32, action: Action) -> SimEvent {
        SimEvent { seq: t_ms, t_ms, shopper, x, y, floor: 0, zone: None, action }
    }

    #[test]
    fn moves_add_their_direction_to_the_block_they_start_in() {
        let layout = layout();
        let mut fold = DirectionProjection::new(&layout);
        // Shopper 0 walks east along y = 0.5 in 0.5 m moves; shopper 1
        // walks west over the first metre of it, then shuffles 0.1 m.
        let mut events =
            vec![at(0, 0, 0.2, 0.5, Action::Enter { party: 0 }), at(0, 1, 1.2, 0.5, Action::Enter { party: 1 })];
        for k in 1..=6 {
            events.push(at(k * 1000, 0, 0.2 + 0.5 * k as f32, 0.5, Action::Move));
        }
        events.push(at(1000, 1, 0.7, 0.5, Action::Move));
        events.push(at(2000, 1, 0.6, 0.5, Action::Move));
        events.sort_by_key(|e| (e.t_ms, e.shopper));
        fold.observe_all(&events);
        let block = |x: f32| layout.block_of(layout.cell_of(x, 0.5, 0));
        let first = fold.blocks()[block(0.2)];
        let moves = fold.blocks().iter().map(|b| b.moves).sum::<u32>();
        assert_eq!(moves, 7, "six moves east, one west; the shuffle is too short");
        let total = fold.blocks().iter().fold((0.0, 0.0), |s, b| (s.0 + b.sum.0, s.1 + b.sum.1));
        assert!((total.0 - 5.0).abs() < 1e-9 && total.1.abs() < 1e-9, "{total:?}");
        let mean = first.mean().unwrap();
        assert!(mean.0 > 0.0 && mean.1.abs() < 1e-9, "{mean:?}");
        let before = fold.clone();
        fold.observe(&at(7000, 0, 3.7, 0.5, Action::Move));
        let window = fold.blocks()[block(3.2)].since(&before.blocks()[block(3.2)]);
        assert_eq!((window.moves, window.sum), (1, (1.0, 0.0)), "the last second alone");
    }
}
