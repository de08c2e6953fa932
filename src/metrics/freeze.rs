//! Freezes: spells of a shopper standing still outside a checkout line,
//! told apart from shelf visits and from companions waiting for their
//! leader, folded into `DayMetrics` (`stuck_shopper_s`, the longest freeze).

use std::path::Path;

use super::day::DayMetrics;
use super::facts::FREEZE_LIMIT_S;
use crate::events::{Action, SimEvent};
use crate::scenario::Scenario;

/// A shopper standing still: everything it has logged since `since_ms`
/// lies within `FREEZE_RADIUS_M` of where it stood then.
#[derive(Debug, Clone, Copy)]
struct Still {
    x: f32,
    y: f32,
    floor: u8,
    since_ms: u64,
    /// The last time it was seen there.
    last_ms: u64,
    /// When the shelf visit it stands in began: it began by shopping
    /// (`at_shelf`, `view`), or the shopper was nudged aside during a
    /// visit. Such a spell is a dwell while the visit may last.
    shelf_from_ms: Option<u64>,
}

impl Still {
    /// Standing still from `e` on, during the shelf visit that began at
    /// `visit_ms` if one is going on.
    fn at(e: &SimEvent, visit_ms: Option<u64>) -> Still {
        let shelf_from_ms = if shops(&e.action) { Some(e.t_ms) } else { visit_ms };
        Still { x: e.x, y: e.y, floor: e.floor, since_ms: e.t_ms, last_ms: e.t_ms, shelf_from_ms }
    }

    fn holds(&self, e: &SimEvent) -> bool {
        let (dx, dy) = ((e.x - self.x) as f64, (e.y - self.y) as f64);
        self.floor == e.floor && dx * dx + dy * dy <= FREEZE_RADIUS_M * FREEZE_RADIUS_M
    }

    /// Whether a companion standing still here stood by a leader standing
    /// still at `leader` all along: the leader stood there first, or was
    /// already at the shelf visit it stands in (passers nudging a leader
    /// along a shelf start its spell afresh, not its visit).
    fn stands_by(&self, leader: &Still) -> bool {
        let (dx, dy) = ((leader.x - self.x) as f64, (leader.y - self.y) as f64);
        let since = leader.shelf_from_ms.map_or(leader.since_ms, |visit| visit.min(leader.since_ms));
        self.floor == leader.floor
            && dx * dx + dy * dy <= STANDING_BY_M * STANDING_BY_M
            && since <= self.since_ms + SHELF_APPROACH_MS
    }
}

/// A spell of standing still that has ended: `freeze` when it was one.
#[derive(Debug, Clone, Copy)]
struct Spell {
    still: Still,
    end_ms: u64,
    freeze: bool,
}

/// A shopper who logs nothing farther than this from where it stood has
/// not moved (a jittering body shuffles within it).
pub const FREEZE_RADIUS_M: f64 = 1.0;
/// A spell of standing still starts up to `FREEZE_RADIUS_M` before the
/// shelf and ends as far after it: a slow last metre in a crowd, and the
/// trace sample after leaving.
pub(super) const SHELF_APPROACH_MS: u64 = 5_000;
/// Standing still outside a line longer than this counts as stuck
/// (`stuck_shopper_s`): longer than any shelf visit of the shipped stores
/// leaves a shopper standing without picking anything.
pub const STUCK_AFTER_S: f64 = 60.0;
/// A companion whose spell began this close to where its leader's began
/// is standing by it, not stuck: the simulation's companions gather up to
/// 3 m from their leader, and a spell is placed where it began, up to
/// `FREEZE_RADIUS_M` from where the companion came to stand.
const STANDING_BY_M: f64 = 3.0 + FREEZE_RADIUS_M;

/// A shopper's spells as the day is folded: the one going on, and for a
/// leader its last ended spell (of more than a few seconds) and its
/// companions' spells that stood by its spell still going on: theirs are
/// judged by it.
#[derive(Debug, Clone, Default)]
pub(super) struct Standing {
    still: Option<Still>,
    last_spell: Option<Spell>,
    standing_by: Vec<Freeze>,
    /// When the shopper last reached a shelf (`at_shelf`), until it picks
    /// or gives up there.
    at_shelf_ms: Option<u64>,
}

impl Standing {
    /// Whether the shopper is at a shelf visit at `now_ms` (from `at_shelf`
    /// to its pick or giving up there, as long as a visit can last).
    pub(super) fn at_shelf_within(&self, now_ms: u64, shelf_visit_ms: u64) -> bool {
        self.at_shelf_ms.is_some_and(|since| now_ms <= since + shelf_visit_ms)
    }

    /// The shopper's leader shops at a shelf (`e`): standing by it, the
    /// shopper waits for it, so its spell starts afresh and lasts as long
    /// as the leader's shelf visit may.
    pub(super) fn waits_by(&mut self, e: &SimEvent) {
        if let Some(still) = &mut self.still {
            let (dx, dy) = ((still.x - e.x) as f64, (still.y - e.y) as f64);
            if still.floor == e.floor && dx * dx + dy * dy <= STANDING_BY_M * STANDING_BY_M {
                still.since_ms = e.t_ms;
                still.shelf_from_ms = Some(e.t_ms);
            }
        }
    }
}

/// Whether the action is shopping at a shelf: standing there to do it is
/// a dwell, not a freeze.
pub(super) fn shops(action: &Action) -> bool {
    matches!(
        action,
        Action::AtShelf { .. }
            | Action::View { .. }
            | Action::Pick { .. }
            | Action::PutBack { .. }
            | Action::NotFound { .. }
    )
}

/// Follows shoppers' spells of standing still outside a checkout line.
/// A spell ends when the shopper logs a position more than
/// `FREEZE_RADIUS_M` from where it began, joins a line or leaves: then it
/// was a freeze, of the time from its start to the last position logged
/// in it. A spell that begins or ends in shopping at the shelf (`view`,
/// `pick`, `put_back`, `not_found`) is a shelf visit, not counted unless
/// it lasted longer than any shelf visit can (`shelf_visit_ms`); so is
/// one that begins during a shelf visit (from `at_shelf` to its `pick` or
/// `not_found`), when passers nudge the shopper aside. A companion's
/// spell standing by its leader standing still is judged with the
/// leader's while that lasts, and on its own after: waiting for a leader
/// at a shelf is no freeze, waiting by a frozen leader is.
pub(super) struct Spells<'a> {
    pub(super) shelf_visit_ms: u64,
    /// The day's hard end: those still in are made to leave.
    pub(super) day_end_ms: u64,
    /// Where each entrance lets shoppers in (`Layout::doors`).
    pub(super) doors: &'a [(u8, f32, f32)],
}

/// A body standing this close to where an entrance lets shoppers in keeps
/// the next one out: two body radii (0.4 m), and a little for the spell's
/// being placed where it began.
const DOORWAY_M: f64 = 0.5;
/// A spell in a doorway is kept from this long: as long as a freeze
/// counts as stuck.
const DOORWAY_SPELL_MS: u64 = (STUCK_AFTER_S * 1000.0) as u64;

impl Spells<'_> {
    #[inline]
    pub(super) fn track(
        &self,
        m: &mut DayMetrics,
        v: &mut Standing,
        leader: Option<&mut Standing>,
        e: &SimEvent,
        in_line: bool,
    ) {
        match e.action {
            Action::AtShelf { .. } => v.at_shelf_ms = Some(e.t_ms),
            Action::Pick { .. } | Action::NotFound { .. } => v.at_shelf_ms = None,
            _ => {}
        }
        let visit_ms = v.at_shelf_ms.filter(|&since| e.t_ms <= since + self.shelf_visit_ms);
        let ended = match e.action {
            // Ended where it stood, or where it was last seen standing
            // (one who rode a connector is not logged on the way; one made
            // to leave at the hard end while riding is logged leaving where
            // it boarded).
            Action::QueueJoin { .. } | Action::CounterJoin { .. } | Action::StopStart { .. } | Action::Exit => {
                let seen_there = e.action != Action::Exit || e.t_ms < self.day_end_ms;
                v.still.take().map(|s| (s, if s.holds(e) && seen_there { e.t_ms } else { s.last_ms }, false))
            }
            _ if in_line => {
                v.still = None;
                None
            }
            // Shopping where it stood, or a step away (a walker notices a
            // shelf as it passes); shopping first thing on another floor
            // it rode to, it stood no longer than it was seen below.
            _ if shops(&e.action) => v
                .still
                .replace(Still::at(e, visit_ms))
                .map(|s| (s, if s.floor == e.floor { e.t_ms } else { s.last_ms }, true)),
            _ => match &mut v.still {
                Some(still) if still.holds(e) => {
                    still.last_ms = e.t_ms;
                    None
                }
                still => still.replace(Still::at(e, visit_ms)).map(|s| (s, s.last_ms, false)),
            },
        };
        let Some((still, end_ms, shelf)) = ended else { return };
        let spell =
            Freeze { shopper: e.shopper, since_ms: still.since_ms, end_ms, x: still.x, y: still.y, floor: still.floor };
        // Any spell in a doorway, a shelf visit too, kept visitors out: one
        // of a minute or more is kept (walkers end a spell a second).
        let long = end_ms >= still.since_ms + DOORWAY_SPELL_MS;
        let in_doorway = || {
            self.doors.iter().any(|&(floor, x, y)| {
                let (dx, dy) = ((still.x - x) as f64, (still.y - y) as f64);
                floor == still.floor && dx * dx + dy * dy <= DOORWAY_M * DOORWAY_M
            })
        };
        if long && m.longest_in_doorway.is_none_or(|f| spell.seconds() > f.seconds()) && in_doorway() {
            m.longest_in_doorway = Some(spell);
        }
        let visit_from = still.shelf_from_ms.or(shelf.then_some(still.since_ms));
        let freeze = visit_from.is_none_or(|from| end_ms.saturating_sub(from) > self.shelf_visit_ms);
        let Some(l) = leader else {
            // A leader (or one alone): its verdict settles its companions'.
            // (Walking, it logs a spell a second: those stand by nobody.)
            if end_ms > still.since_ms + SHELF_APPROACH_MS {
                v.last_spell = Some(Spell { still, end_ms, freeze });
            }
            for by in std::mem::take(&mut v.standing_by) {
                if freeze {
                    count_freeze(m, by);
                }
            }
            if freeze {
                count_freeze(m, spell);
            }
            return;
        };
        if !freeze {
            return;
        }
        if l.still.is_some_and(|ls| still.stands_by(&ls)) {
            l.standing_by.push(spell);
            return;
        }
        match l.last_spell {
            // Judged by its leader's spell while that lasted, and on its own
            // after: the last of a big party unpacking from round its leader
            // at a shelf came away seconds after the leader did.
            Some(last) if still.stands_by(&last.still) => {
                if last.freeze {
                    count_freeze(m, spell);
                } else if end_ms > last.end_ms + SHELF_APPROACH_MS {
                    count_freeze(m, Freeze { since_ms: last.end_ms.max(spell.since_ms), ..spell });
                }
            }
            _ => count_freeze(m, spell),
        }
    }
}

/// A freeze: who stood still, from when to when, where.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Freeze {
    pub shopper: u32,
    pub since_ms: u64,
    pub end_ms: u64,
    pub x: f32,
    pub y: f32,
    pub floor: u8,
}

impl Freeze {
    pub fn seconds(&self) -> f64 {
        self.end_ms.saturating_sub(self.since_ms) as f64 / 1000.0
    }

    /// Longer than the freeze invariant allows (`--validate-behaviour`
    /// fails such a day).
    pub fn breaks_the_limit(&self) -> bool {
        self.seconds() > FREEZE_LIMIT_S
    }

    /// Where and from when it stood: "at (x, y) on `floor` from HH:MM:SS"
    /// (the floor named only in a store of several).
    pub fn place(&self, s: &Scenario) -> String {
        let floors = &s.store.floors;
        let floor = if floors.len() > 1 { format!(" on `{}`", floors[self.floor as usize].id) } else { String::new() };
        format!("at ({:.1}, {:.1}){floor} from {}", self.x, self.y, store_clock(s, self.since_ms))
    }

    /// What to tell of a freeze over the limit on day `seed` of the
    /// dataset in `dir`: where, and how to watch it in the viewer.
    pub fn warning(&self, s: &Scenario, seed: u64, dir: &Path) -> String {
        format!(
            "shopper {} stood frozen {:.0} s outside a line {}, more than the {FREEZE_LIMIT_S:.0} s the freeze \
             invariant allows: the store may gridlock there; watch it with \
             `aisle-viewer {} --variant {} --seed {seed} --at {} --select {}`",
            self.shopper,
            self.seconds(),
            self.place(s),
            dir.display(),
            s.variant,
            store_clock(s, self.since_ms),
            self.shopper
        )
    }
}

/// Counts `f` (the day's longest is kept with where it stood: the first
/// of equals).
fn count_freeze(m: &mut DayMetrics, f: Freeze) {
    let s = f.seconds();
    if s > m.longest_freeze_s || m.longest_freeze.is_none() {
        m.longest_freeze = Some(f);
    }
    m.longest_freeze_s = m.longest_freeze_s.max(s);
    if s > STUCK_AFTER_S {
        m.stuck_s += s;
        m.stuck_spells += 1;
    }
}

/// The store clock time `t_ms` after opening, HH:MM:SS (as the viewer's
/// `--at` takes it).
pub(super) fn store_clock(s: &Scenario, t_ms: u64) -> String {
    let t = (s.population.open_ms + t_ms) / 1000;
    format!("{:02}:{:02}:{:02}", t / 3600, t / 60 % 60, t % 60)
}
