//! The backstop for a crowd packed past moving: a walker that has made no
//! headway for half a minute squeezes through whoever is in its way, as
//! people push through a crush rather than stand for ever (`walk` keeps
//! bodies apart otherwise). A walker's `Progress` is its own clock: being
//! passed or nudged back does not restart it, as it restarts the blocked
//! timer the standoff rules read.

use super::FIELD_UNITS_PER_CELL;
use super::crowd::Crowding;
use super::shopper::Shopper;
use crate::store::{CellId, Store};

/// A walker that has got no `HEADWAY_M` nearer its goal for this long,
/// whatever it tried (passing, stepping aside, waiting), squeezes through whoever is
/// in its way for `SQUEEZE_THROUGH_FOR_MS`: in a crowd packed past
/// moving, people push through rather than stand for ever. The rules
/// above resolve every standoff they know of within seconds; this is the
/// backstop for those they do not (a front of tills packed at three
/// times its visitors stood 50 minutes), well within the freeze
/// invariant's 120 s.
const SQUEEZE_THROUGH_AFTER_MS: u64 = 30_000;
/// How long a squeeze lasts: at a packed crowd's pace (Weidmann's law,
/// about a fifth of walking speed) a few metres.
const SQUEEZE_THROUGH_FOR_MS: u64 = 10_000;
/// Less than this nearer its goal (inching through a crowd, as the
/// freeze invariant's 1 m radius counts standing) is no headway.
const HEADWAY_M: f64 = 1.0;
/// How far a walker was from its goal (flow-field units) when it last
/// made `HEADWAY_M` of headway, and when that was, and until when it
/// squeezes through whoever is in its way, if it does.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Progress {
    goal: CellId,
    mark: u32,
    mark_ms: u64,
    /// When `walk` last looked: a walker not seen the tick before (it stood
    /// at a shelf or by its leader between) starts afresh.
    seen_ms: u64,
    squeezing_until_ms: Option<u64>,
}

impl Progress {
    pub(super) const NONE: Progress =
        Progress { goal: CellId::MAX, mark: u32::MAX, mark_ms: 0, seen_ms: 0, squeezing_until_ms: None };

    /// Whether one walking to `goal`, `here` flow-field units from it at
    /// `t_ms`, squeezes through this tick: for `SQUEEZE_THROUGH_FOR_MS`
    /// once it has walked `SQUEEZE_THROUGH_AFTER_MS` without `headway`
    /// units of it, and on while it stands on another (it ends no squeeze
    /// on another's spot).
    fn squeezes(&mut self, goal: CellId, here: u32, headway: u32, tick: Tick, on_another: impl Fn() -> bool) -> bool {
        let Tick { t_ms, tick_ms } = tick;
        // Walking on without a break, it goes on from where it was. To a new
        // goal, headway counts from here, but the time without any goes
        // on: a companion walking to its place in a slow line had a new
        // goal each time the line closed up, and stood 384 s in a crowd.
        let went_on = t_ms <= self.seen_ms + tick_ms;
        self.seen_ms = t_ms;
        if !went_on {
            *self = Progress { goal, mark: here, mark_ms: t_ms, seen_ms: t_ms, squeezing_until_ms: None };
        } else if self.goal != goal {
            (self.goal, self.mark) = (goal, here);
        } else if here.saturating_add(headway) <= self.mark {
            (self.mark, self.mark_ms) = (here, t_ms);
        }
        if let Some(until) = self.squeezing_until_ms {
            if t_ms < until || on_another() {
                return true;
            }
            // After a squeeze its headway is counted afresh.
            (self.squeezing_until_ms, self.mark, self.mark_ms) = (None, here, t_ms);
        }
        if t_ms >= self.mark_ms + SQUEEZE_THROUGH_AFTER_MS {
            self.squeezing_until_ms = Some(t_ms + SQUEEZE_THROUGH_FOR_MS);
            return true;
        }
        false
    }
}

/// The tick's time and length, ms.
#[derive(Debug, Clone, Copy)]
struct Tick {
    t_ms: u64,
    tick_ms: u64,
}

/// Whether walker `s` squeezes through whoever is in its way this tick
/// (`Progress::squeezes`), at `t_ms` of ticks `tick_ms` long.
pub(super) fn squeezes_through(store: &Store, crowd: &Crowding, s: &mut Shopper, t_ms: u64, tick_ms: u64) -> bool {
    let Some(route) = s.route.as_ref() else { return false };
    let (goal, here) = (route.goal, route.field[s.cell as usize]);
    // Flow-field units a metre of plain floor (more effort, fewer metres).
    let headway = (HEADWAY_M / store.cell * FIELD_UNITS_PER_CELL) as u32;
    let (index, cell, pos) = (s.index, s.cell, s.pos);
    s.progress.squeezes(goal, here, headway, Tick { t_ms, tick_ms }, || crowd.stands_on_another(index, cell, pos))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// (t_ms, flow-field units from the goal, standing on another,
    /// squeezes), one tick after another to one goal, headway 40 units.
    fn walk_through(ticks: &[(u64, u32, bool, bool)]) {
        let mut p = Progress::NONE;
        for &(t, here, on_another, squeezes) in ticks {
            assert_eq!(
                p.squeezes(7, here, 40, Tick { t_ms: t, tick_ms: 100 }, || on_another),
                squeezes,
                "at {t} ms, {here} from the goal"
            );
        }
    }

    #[test]
    fn a_walker_without_headway_for_half_a_minute_squeezes_through() {
        let half_minute = SQUEEZE_THROUGH_AFTER_MS;
        let until = half_minute + SQUEEZE_THROUGH_FOR_MS;
        // Standing: at 30 s it squeezes, for 10 s, then not; after 30 s more, again.
        let mut ticks: Vec<_> = (0..=half_minute + until).step_by(100).map(|t| (t, 500, false, false)).collect();
        for tick in ticks.iter_mut() {
            tick.3 = (half_minute..until).contains(&tick.0) || tick.0 >= until + half_minute;
        }
        walk_through(&ticks);
        // Inching (under the headway) is standing; a metre's headway restarts the clock.
        let inching: Vec<_> =
            (0..=half_minute).step_by(100).map(|t| (t, 500 - (t / 1000) as u32, false, t == half_minute)).collect();
        walk_through(&inching);
        let striding: Vec<_> =
            (0..=half_minute).step_by(100).map(|t| (t, 5000 - (t / 500) as u32 * 40, false, false)).collect();
        walk_through(&striding);
        // Pushed back does not restart it.
        let pushed: Vec<_> = (0..=half_minute)
            .step_by(100)
            .map(|t| (t, 500 + (t / 5000) as u32 * 10, false, t == half_minute))
            .collect();
        walk_through(&pushed);
        // A squeeze ends off another's spot.
        let mut on_top: Vec<_> = (0..=until + 1000)
            .step_by(100)
            .map(|t| (t, 500, t < until + 500, (half_minute..until + 500).contains(&t)))
            .collect();
        on_top.push((until + 1100, 500, false, false));
        walk_through(&on_top);
    }

    #[test]
    fn a_walker_that_stood_between_starts_afresh_and_one_turned_to_another_goal_does_not() {
        let mut p = Progress::NONE;
        let half_minute = SQUEEZE_THROUGH_AFTER_MS;
        let tick = |t_ms: u64| Tick { t_ms, tick_ms: 100 };
        for t in (0..half_minute).step_by(100) {
            assert!(!p.squeezes(7, 500, 40, tick(t), || false));
        }
        // A break of a second (at a shelf) restarts the clock.
        assert!(!p.squeezes(7, 500, 40, tick(half_minute + 1000), || false));
        for t in (half_minute + 1100..2 * half_minute + 1000).step_by(100) {
            assert!(!p.squeezes(7, 500, 40, tick(t), || false));
        }
        // Another goal (the next place in a line closing up) does not:
        // 30 s without headway, whatever the goal, and it squeezes.
        let turned = 2 * half_minute + 1000;
        assert!(p.squeezes(8, 900, 40, tick(turned), || false), "30 s on, across the new goal");
        // Headway towards the new goal counts from where it turned.
        let mut p = Progress::NONE;
        for t in (0..half_minute - 100).step_by(100) {
            assert!(!p.squeezes(7, 500, 40, tick(t), || false));
        }
        assert!(!p.squeezes(8, 900, 40, tick(half_minute - 100), || false));
        assert!(!p.squeezes(8, 860, 40, tick(half_minute), || false), "a metre nearer the new goal");
        // Ticks of a second are walking on, not breaks.
        let mut p = Progress::NONE;
        for t in (0..half_minute).step_by(1000) {
            assert!(!p.squeezes(7, 500, 40, Tick { t_ms: t, tick_ms: 1000 }, || false));
        }
        assert!(p.squeezes(7, 500, 40, Tick { t_ms: half_minute, tick_ms: 1000 }, || false), "ticks of a second");
    }
}
