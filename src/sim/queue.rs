//! The state of each checkout lane: its line, its terminals (a staffed
//! lane's till is its one terminal, a self-service bank lists several fed
//! by one line) and those on their way to it. What a newcomer sees of it
//! (the work ahead, the shoppers per terminal) is read here; the
//! `checkout` module moves shoppers through it.

use std::collections::VecDeque;

use bevy_ecs::prelude::*;

use super::crowd::MIN_GAP_M;
use crate::geom::Point;
use crate::scenario::Lane;

/// The last in a line moves to an open lane with at least this many fewer
/// shoppers per terminal (counting those on their way), as people do when
/// the next line empties.
const JOCKEY_GAP: f64 = 2.0;

#[derive(Default)]
pub(super) struct Lanes(pub(super) Vec<LaneState>);

/// A party waiting in a line: its leader (who pays), the items it brings
/// and the places in line it takes (the leader's and one per companion).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Waiting {
    pub(super) shopper: Entity,
    pub(super) items: u32,
    pub(super) places: usize,
    /// The leader reneges at the first tick past this (its wait's start
    /// plus its patience), known here so that the line need not fetch
    /// every leader every tick to ask.
    pub(super) patience_until_ms: u64,
    /// The place in line the leader stands settled at (0: none): while its
    /// place stays the same it has no step to take.
    pub(super) settled_at: usize,
}

#[derive(Default)]
pub(super) struct LaneState {
    /// Waiting parties, front first.
    pub(super) queue: VecDeque<Waiting>,
    /// Who is at each terminal (a staffed lane's till is its one terminal).
    pub(super) terminals: Vec<Terminal>,
    /// Shoppers walking to this lane, their expected seconds of work and
    /// the places in line their parties will take: others see them coming
    /// and count them.
    pub(super) heading: u32,
    pub(super) heading_s: f64,
    pub(super) heading_places: usize,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Terminal {
    Free,
    /// Called from the front of the line and walking over, with the
    /// expected seconds of work.
    Called {
        shopper: Entity,
        work_s: f64,
    },
    Serving {
        shopper: Entity,
        until_ms: u64,
        work_s: f64,
    },
    /// Served, and stepping away: nobody is called here until it stands a
    /// body's width off the spot (`clear_terminals`). Calling the next at
    /// once, those who had paid but could not get out yet stood on the
    /// spot with the next served, twenty deep in a rush.
    Clearing {
        shopper: Entity,
    },
}

impl LaneState {
    pub(super) fn new(terminals: usize) -> LaneState {
        LaneState { terminals: vec![Terminal::Free; terminals], ..LaneState::default() }
    }

    /// Expected seconds of work at the terminals.
    pub(super) fn serving_s(&self) -> f64 {
        self.terminals
            .iter()
            .map(|t| match *t {
                Terminal::Free | Terminal::Clearing { .. } => 0.0,
                Terminal::Called { work_s, .. } | Terminal::Serving { work_s, .. } => work_s,
            })
            .sum()
    }

    /// Shoppers a newcomer sees per terminal: at the terminals, queued and
    /// on their way. (One stepping off a terminal it was served at is done:
    /// counting it made the lane look a shopper longer to the jockeying rule.)
    pub(super) fn load(&self) -> f64 {
        let busy =
            self.terminals.iter().filter(|t| matches!(t, Terminal::Called { .. } | Terminal::Serving { .. })).count();
        (self.queue.len() + busy + self.heading as usize) as f64 / self.terminals.len() as f64
    }

    /// Expected seconds before a newcomer at the end of the line is
    /// served: the work ahead, shared by the terminals.
    pub(super) fn work_ahead_s(&self, lane: &Lane) -> f64 {
        let queued: f64 = self.queue.iter().map(|w| lane.service.mean_s(w.items)).sum();
        (queued + self.serving_s()) / self.terminals.len() as f64
    }

    /// Expected seconds before one `walk_s` seconds away is served here:
    /// the walk, the work ahead and that of those on their way, all shared
    /// by the terminals.
    pub(super) fn expected_wait_s(&self, lane: &Lane, walk_s: f64) -> f64 {
        // Those on their way will be ahead too.
        let coming_s = self.heading_s / self.terminals.len() as f64;
        self.work_ahead_s(lane) + coming_s + walk_s
    }

    /// One more on its way here, bringing `work_s` seconds of work and a
    /// party that takes `places` places in line.
    pub(super) fn head_here(&mut self, work_s: f64, places: usize) {
        self.heading += 1;
        self.heading_s += work_s;
        self.heading_places += places;
    }

    /// One on its way here with `work_s` seconds of work and a party of
    /// `places` has arrived.
    pub(super) fn arrive_here(&mut self, work_s: f64, places: usize) {
        self.heading -= 1;
        self.heading_s = (self.heading_s - work_s).max(0.0);
        self.heading_places -= places;
    }

    /// The place in line where the next to come stands: after those
    /// waiting and those on their way, their companions counted (place 0
    /// is the terminal's).
    pub(super) fn end_of_line(&self) -> usize {
        1 + self.waiting_places() + self.heading_places
    }

    /// Whether a party taking `places` places finds room in a line of
    /// `line_len` places (place 0 is the terminal's) behind those waiting.
    pub(super) fn has_room(&self, places: usize, line_len: usize) -> bool {
        self.waiting_places() + places < line_len
    }

    /// Whether a party taking `places` places finds room at the end of the
    /// line, behind those on their way too: one switching lines goes only
    /// where it will stand. (Two switching at one tick into the last place
    /// of a hemmed-in line stood on it together.)
    pub(super) fn has_room_at_end_of_line(&self, places: usize, line_len: usize) -> bool {
        self.end_of_line() + places <= line_len
    }

    /// The places those waiting take, their companions counted.
    fn waiting_places(&self) -> usize {
        self.queue.iter().map(|w| w.places).sum()
    }

    /// `shopper`, with `items` in the basket and a party taking `places`
    /// places in line, joins the end of the line; its patience runs out
    /// after `patience_until_ms`.
    pub(super) fn join(&mut self, shopper: Entity, items: u32, places: usize, patience_until_ms: u64) {
        self.queue.push_back(Waiting { shopper, items, places, patience_until_ms, settled_at: 0 });
    }

    /// Takes out of the line, front to back, each party for which `leaves`
    /// (called once for each, in that order) says so.
    pub(super) fn leave_line_if(&mut self, mut leaves: impl FnMut(&Waiting) -> bool) {
        self.queue.retain(|w| !leaves(w));
    }

    /// Nobody waits or stands at a terminal: the desk has nothing to do.
    pub(super) fn is_idle(&self) -> bool {
        self.queue.is_empty() && self.terminals.iter().all(|t| *t == Terminal::Free)
    }

    /// The free terminal nearest `front` (the head of the line), of those
    /// standing at `at`; the first of equally near ones.
    pub(super) fn free_terminal_nearest(&self, front: Point, at: &[Point]) -> Option<usize> {
        (0..self.terminals.len())
            .filter(|&k| self.terminals[k] == Terminal::Free)
            .min_by(|&a, &b| front.distance(at[a]).total_cmp(&front.distance(at[b])))
    }

    /// Calls the head of the line to the free terminal nearest `front`
    /// while there are both; `called` tells each shopper so and returns the
    /// expected seconds of its work.
    pub(super) fn call_front(&mut self, front: Point, at: &[Point], mut called: impl FnMut(Entity) -> f64) {
        while let Some(free) = self.free_terminal_nearest(front, at)
            && let Some(Waiting { shopper, .. }) = self.queue.pop_front()
        {
            self.terminals[free] = Terminal::Called { shopper, work_s: called(shopper) };
        }
    }

    /// Ends, terminal by terminal, each service that is over at `t_ms`,
    /// handing its shopper to `done`; the terminal is clearing.
    pub(super) fn finish_due(&mut self, t_ms: u64, mut done: impl FnMut(Entity)) {
        for terminal in &mut self.terminals {
            if let Terminal::Serving { shopper, until_ms, .. } = *terminal
                && t_ms >= until_ms
            {
                *terminal = Terminal::Clearing { shopper };
                done(shopper);
            }
        }
    }

    /// Frees each clearing terminal (standing at `at`) whose last served
    /// stands clear of it: two bodies' radii off, or gone (`stands_at`
    /// says where a shopper stands on the terminal's floor; `None`: it is
    /// not there).
    pub(super) fn clear_terminals(&mut self, at: &[Point], mut stands_at: impl FnMut(Entity) -> Option<Point>) {
        for (terminal, &spot) in self.terminals.iter_mut().zip(at) {
            if let Terminal::Clearing { shopper } = *terminal
                && stands_at(shopper).is_none_or(|p| p.distance(spot) >= MIN_GAP_M)
            {
                *terminal = Terminal::Free;
            }
        }
    }
}

impl Lanes {
    /// The lane the last in lane `i`'s line moves to, if any: the open one
    /// (by `open`) other than `i` with the fewest shoppers per terminal
    /// (the first of equals), when that is at least `JOCKEY_GAP` fewer and
    /// the walk there (`walk_s`, seconds; `None`: no way there) and the
    /// wait at its end come to less than the wait where it stands: nobody
    /// crosses a long front of tills for a line barely shorter. `desks`
    /// are the lanes these states are of.
    pub(super) fn jockey_to(
        &self,
        i: usize,
        desks: &[Lane],
        open: impl Fn(usize) -> bool,
        walk_s: impl FnOnce(usize) -> Option<f64>,
    ) -> Option<usize> {
        let last = self.0[i].queue.back()?;
        let j = (0..self.0.len())
            .filter(|&j| j != i && open(j))
            .min_by(|&a, &b| self.0[a].load().total_cmp(&self.0[b].load()))?;
        if self.0[i].load() < self.0[j].load() + JOCKEY_GAP {
            return None;
        }
        let here = &desks[i];
        let stay_s = self.0[i].work_ahead_s(here) - here.service.mean_s(last.items) / here.terminals.len() as f64;
        (self.0[j].expected_wait_s(&desks[j], walk_s(j)?) < stay_s).then_some(j)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::{DeskRole, LaneKind, ServiceDistribution, ServiceModel};

    /// A lane with `terminals` terminals along y = 1 and service of 30 s
    /// plus 2 s an item.
    fn lane(terminals: usize) -> Lane {
        let at: Vec<Point> = (0..terminals).map(|k| Point::new(4.0 + 2.0 * k as f64, 1.0)).collect();
        Lane {
            id: "L".into(),
            role: DeskRole::Checkout,
            kind: if terminals == 1 { LaneKind::Staffed } else { LaneKind::SelfService },
            floor: 0,
            service_point: Point::new(4.0, 1.5),
            queue_dir: (0.0, 1.0),
            queue_places: 10,
            terminals: at,
            service: ServiceModel {
                base_s: 30.0,
                per_item_s: 2.0,
                cv: 0.0,
                distribution: ServiceDistribution::Lognormal,
            },
            hours_ms: (0, 86_400_000),
            open: true,
        }
    }

    fn shoppers(n: usize) -> Vec<Entity> {
        let mut world = World::new();
        (0..n).map(|_| world.spawn_empty().id()).collect()
    }

    #[test]
    fn those_on_their_way_count_until_they_arrive() {
        let mut state = LaneState::new(1);
        state.head_here(40.0, 1);
        state.head_here(50.0, 3);
        assert_eq!((state.heading, state.heading_s), (2, 90.0));
        assert_eq!(state.load(), 2.0, "both on their way are seen coming");
        assert_eq!(state.expected_wait_s(&lane(1), 10.0), 100.0, "their work and the walk");
        assert_eq!(state.end_of_line(), 5, "after the places both parties will take");
        state.arrive_here(40.0, 1);
        assert_eq!((state.heading, state.heading_s, state.end_of_line()), (1, 50.0, 4));
        // Work is never negative, whatever rounding left behind.
        state.arrive_here(50.000001, 3);
        assert_eq!((state.heading, state.heading_s, state.end_of_line()), (0, 0.0, 1));
        assert_eq!(state.load(), 0.0);
    }

    #[test]
    fn the_work_ahead_is_queued_and_terminal_work_shared_by_the_terminals() {
        let e = shoppers(4);
        // (terminals, items of those queued, what the terminals hold, work ahead, shoppers per terminal)
        type Case<'a> = (usize, &'a [u32], &'a [Terminal], f64, f64);
        let cases: [Case; 5] = [
            (1, &[], &[Terminal::Free], 0.0, 0.0),
            (1, &[0, 5], &[Terminal::Free], 30.0 + 40.0, 2.0),
            (1, &[5], &[Terminal::Serving { shopper: e[0], until_ms: 9, work_s: 12.0 }], 40.0 + 12.0, 2.0),
            (2, &[10], &[Terminal::Called { shopper: e[0], work_s: 20.0 }, Terminal::Free], (50.0 + 20.0) / 2.0, 1.0),
            (
                2,
                &[0, 0],
                &[
                    Terminal::Serving { shopper: e[0], until_ms: 9, work_s: 8.0 },
                    Terminal::Called { shopper: e[1], work_s: 14.0 },
                ],
                (30.0 + 30.0 + 8.0 + 14.0) / 2.0,
                2.0,
            ),
        ];
        for (n, queued, terminals, ahead, load) in cases {
            let mut state = LaneState::new(n);
            state.terminals.copy_from_slice(terminals);
            for (k, &items) in queued.iter().enumerate() {
                state.join(e[k + 2], items, 1, u64::MAX);
            }
            assert_eq!(state.work_ahead_s(&lane(n)), ahead, "{n} terminals, queued {queued:?}, {terminals:?}");
            assert_eq!(state.load(), load, "{n} terminals, queued {queued:?}, {terminals:?}");
        }
    }

    #[test]
    fn the_head_of_the_line_is_called_to_the_nearest_free_terminal() {
        let e = shoppers(5);
        let l = lane(3);
        let mut state = LaneState::new(3);
        for &s in &e[..4] {
            state.join(s, 1, 1, u64::MAX);
        }
        state.terminals[0] = Terminal::Serving { shopper: e[4], until_ms: 100, work_s: 5.0 };
        // From the head of the line at x = 7 the terminals at x = 4, 6, 8
        // are 3, 1 and 1 m away: the first of the two nearest goes first.
        let front = Point::new(7.0, 1.0);
        assert_eq!(state.free_terminal_nearest(front, &l.terminals), Some(1));
        let mut calls = Vec::new();
        state.call_front(front, &l.terminals, |s| {
            calls.push(s);
            10.0 * calls.len() as f64
        });
        assert_eq!(calls, [e[0], e[1]], "the first two in line, in order");
        assert_eq!(state.terminals[1], Terminal::Called { shopper: e[0], work_s: 10.0 });
        assert_eq!(state.terminals[2], Terminal::Called { shopper: e[1], work_s: 20.0 });
        assert_eq!(state.queue.iter().map(|w| w.shopper).collect::<Vec<_>>(), [e[2], e[3]]);
        assert_eq!(state.free_terminal_nearest(front, &l.terminals), None);
        state.call_front(front, &l.terminals, |_| unreachable!("no terminal is free"));
        assert_eq!(state.serving_s(), 5.0 + 10.0 + 20.0);
    }

    #[test]
    fn service_finishes_at_its_time_and_frees_the_terminal_once_its_shopper_stands_clear() {
        let e = shoppers(3);
        let mut state = LaneState::new(3);
        state.terminals = vec![
            Terminal::Serving { shopper: e[0], until_ms: 1_000, work_s: 5.0 },
            Terminal::Called { shopper: e[1], work_s: 7.0 },
            Terminal::Serving { shopper: e[2], until_ms: 2_000, work_s: 9.0 },
        ];
        let mut done = Vec::new();
        state.finish_due(999, |s| done.push(s));
        assert!(done.is_empty(), "nobody is done before their time");
        state.finish_due(1_000, |s| done.push(s));
        assert_eq!(done, [e[0]]);
        assert_eq!(state.terminals[0], Terminal::Clearing { shopper: e[0] });
        assert_eq!(
            state.terminals[1],
            Terminal::Called { shopper: e[1], work_s: 7.0 },
            "a called one is not served yet"
        );
        state.finish_due(5_000, |s| done.push(s));
        assert_eq!(done, [e[0], e[2]]);
        assert_eq!(state.serving_s(), 7.0);
        assert_eq!(state.load(), 1.0 / 3.0, "those stepping off are done: only the called one is counted");
        // Terminals at (0, 0), (1, 0), (2, 0): the one served at the first
        // has stepped 0.39 m off, the one at the third has left.
        let at = [Point::new(0.0, 0.0), Point::new(1.0, 0.0), Point::new(2.0, 0.0)];
        let mut stands = |s: Entity| (s == e[0]).then_some(Point::new(0.0, 0.39));
        state.clear_terminals(&at, &mut stands);
        assert_eq!(state.terminals[0], Terminal::Clearing { shopper: e[0] }, "not clear yet");
        assert_eq!(state.terminals[2], Terminal::Free, "gone");
        assert_eq!(state.free_terminal_nearest(at[0], &at), Some(2));
        state.clear_terminals(&at, |_| Some(Point::new(0.3, 0.3)));
        assert_eq!(state.terminals[0], Terminal::Free, "0.42 m off");
        assert_eq!(state.terminals[1], Terminal::Called { shopper: e[1], work_s: 7.0 });
    }

    #[test]
    fn leaving_the_line_keeps_the_order_of_those_who_stay() {
        let e = shoppers(5);
        let mut state = LaneState::new(1);
        for (k, &s) in e.iter().enumerate() {
            state.join(s, k as u32, k + 1, u64::MAX);
        }
        let mut asked = Vec::new();
        state.leave_line_if(|w| {
            asked.push(w.shopper);
            w.shopper == e[1] || w.shopper == e[3]
        });
        assert_eq!(asked, e, "each asked once, front to back");
        let stayed: Vec<(Entity, u32, usize)> = state.queue.iter().map(|w| (w.shopper, w.items, w.places)).collect();
        assert_eq!(stayed, [(e[0], 0, 1), (e[2], 2, 3), (e[4], 4, 5)]);
        assert_eq!(state.end_of_line(), 1 + 1 + 3 + 5, "the line ends after the places of those who stayed");
    }

    #[test]
    fn the_last_in_line_moves_to_a_line_two_shorter_per_terminal_if_the_walk_is_worth_it() {
        // (shoppers queued per lane, terminals per lane, lanes open, the
        // walk to the other line in seconds, lane 0's last moves to). Each
        // brings one item: 32 s of work at a terminal.
        type Case = (&'static [usize], &'static [usize], &'static [bool], Option<f64>, Option<usize>);
        let cases: [Case; 11] = [
            (&[3, 1], &[1, 1], &[true, true], Some(5.0), Some(1)),
            (&[3, 2], &[1, 1], &[true, true], Some(5.0), None),
            (&[3, 1], &[1, 1], &[true, false], Some(5.0), None),
            (&[0, 0], &[1, 1], &[true, true], Some(5.0), None),
            (&[4, 2, 1], &[1, 1, 1], &[true, true, true], Some(5.0), Some(2)),
            (&[4, 2, 2], &[1, 1, 1], &[true, true, true], Some(5.0), Some(1)),
            // Four waiting for two terminals are two per terminal.
            (&[3, 4], &[1, 2], &[true, true], Some(5.0), None),
            // Staying: two ahead, 64 s; moving: one ahead and the walk.
            (&[3, 1], &[1, 1], &[true, true], Some(31.0), Some(1)),
            (&[3, 1], &[1, 1], &[true, true], Some(32.0), None),
            (&[3, 1], &[1, 1], &[true, true], Some(60.0), None),
            // No way there.
            (&[3, 1], &[1, 1], &[true, true], None, None),
        ];
        for (queued, terminals, open, walk_s, expected) in cases {
            let e = shoppers(queued.iter().sum());
            let mut e = e.into_iter();
            let desks: Vec<Lane> = terminals.iter().map(|&t| lane(t)).collect();
            let lanes = Lanes(
                queued
                    .iter()
                    .zip(terminals)
                    .map(|(&q, &t)| {
                        let mut state = LaneState::new(t);
                        (0..q).for_each(|_| state.join(e.next().unwrap(), 1, 1, u64::MAX));
                        state
                    })
                    .collect(),
            );
            assert_eq!(
                lanes.jockey_to(0, &desks, |j| open[j], |_| walk_s),
                expected,
                "queued {queued:?}, terminals {terminals:?}, walk {walk_s:?} s"
            );
        }
    }
}
