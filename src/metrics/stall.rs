//! Stalled desks: spells in which a checkout lane or service counter had
//! someone waiting in its line while one of its terminals stood free,
//! folded from the log into `DayMetrics` (`longest_stall_s`). The next in
//! line walks from the front to the free terminal in seconds; a spell of
//! minutes means someone called to it cannot reach it, or the last one
//! served there cannot step off it (nobody is called to a terminal until
//! then), and the line behind stands still without anyone in it counting as frozen.

use std::path::Path;

use super::day::DayMetrics;
use super::freeze::store_clock;
use crate::events::{Action, SimEvent};
use crate::scenario::Scenario;

/// A desk may stand free with someone waiting at most this long. One
/// moving to a shorter line (jockeying) waits in it from the moment it
/// moves, and the slowest shopper (0.4 m/s) walks 100 m to it in 250 s;
/// a line stuck behind one who cannot reach its terminal stands for hours.
pub const STALL_LIMIT_S: f64 = 300.0;

/// The longest spell of a day: desk `desk` (the lanes, then the service
/// counters, as `Scenario::desks` lists them) had someone waiting and a
/// terminal free from `since_ms` to `end_ms`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stall {
    pub desk: u16,
    pub since_ms: u64,
    pub end_ms: u64,
}

impl Stall {
    pub fn seconds(&self) -> f64 {
        self.end_ms.saturating_sub(self.since_ms) as f64 / 1000.0
    }

    /// Longer than a line may stand still before a free terminal.
    pub fn breaks_the_limit(&self) -> bool {
        self.seconds() > STALL_LIMIT_S
    }

    /// "lane `L1` from HH:MM:SS" (or "counter `deli`").
    pub fn place(&self, s: &Scenario) -> String {
        let desk = self.desk as usize;
        let what = match s.lanes.get(desk) {
            Some(lane) => format!("lane `{}`", lane.id),
            None => format!("counter `{}`", s.counters[desk - s.lanes.len()].desk.id),
        };
        format!("{what} from {}", store_clock(s, self.since_ms))
    }

    /// What to tell of a stall over the limit on day `seed` of the dataset
    /// in `dir`: which desk, and how to watch it in the viewer.
    pub fn warning(&self, s: &Scenario, seed: u64, dir: &Path) -> String {
        format!(
            "someone waited {:.0} s in the line of {} while a terminal stood free, more than the \
             {STALL_LIMIT_S:.0} s a walk to it can take: whoever was called cannot reach it, or the last \
             served cannot step off it, and the line \
             is stuck; watch it with `aisle-viewer {} --variant {} --seed {seed} --at {}`",
            self.seconds(),
            self.place(s),
            dir.display(),
            s.variant,
            store_clock(s, self.since_ms)
        )
    }
}

/// Who waits and who is served at each desk as the day is folded, and the
/// spell going on at each.
#[derive(Debug, Clone)]
pub struct Desks {
    /// Terminals (or servers) per desk.
    terminals: Vec<u16>,
    /// How many of the desks are checkout lanes (the counters follow).
    lanes: u16,
    waiting: Vec<u32>,
    served: Vec<u32>,
    since_ms: Vec<Option<u64>>,
    /// Per shopper in a line: its desk, and whether it is being served.
    at: Vec<Option<(u16, bool)>>,
    last_ms: u64,
}

impl Desks {
    /// `terminals`: per desk (`Layout::desk_terminals`), the first
    /// `lanes` of them checkout lanes.
    pub fn new(terminals: Vec<u16>, lanes: usize) -> Desks {
        let n = terminals.len();
        Desks {
            terminals,
            lanes: lanes as u16,
            waiting: vec![0; n],
            served: vec![0; n],
            since_ms: vec![None; n],
            at: Vec::new(),
            last_ms: 0,
        }
    }

    /// Folds `e`, closing a spell over its day's longest in `m`.
    pub fn observe(&mut self, m: &mut DayMetrics, e: &SimEvent) {
        self.last_ms = e.t_ms;
        let counter = |c: u16| self.lanes + c;
        let (desk, served) = match e.action {
            Action::QueueJoin { lane } => (Some(lane), false),
            Action::CounterJoin { counter: c } => (Some(counter(c)), false),
            Action::Serve { lane } => (Some(lane), true),
            Action::CounterServe { counter: c } => (Some(counter(c)), true),
            Action::Checkout { .. }
            | Action::Abandon { .. }
            | Action::CounterDone { .. }
            | Action::CounterLeave { .. }
            | Action::Exit => (None, false),
            _ => return,
        };
        let i = e.shopper as usize;
        if self.at.len() <= i {
            self.at.resize(i + 1, None);
        }
        // Out of the line it stood in (or moved from: jockeying)...
        if let Some((d, was_served)) = self.at[i].take() {
            let count = if was_served { &mut self.served } else { &mut self.waiting };
            count[d as usize] -= 1;
            self.judge(m, d, e.t_ms);
        }
        // ...and into the one it joined or is served at.
        if let Some(d) = desk.filter(|&d| (d as usize) < self.terminals.len()) {
            self.at[i] = Some((d, served));
            let count = if served { &mut self.served } else { &mut self.waiting };
            count[d as usize] += 1;
            self.judge(m, d, e.t_ms);
        }
    }

    /// Starts or ends desk `d`'s spell at `t_ms`.
    fn judge(&mut self, m: &mut DayMetrics, d: u16, t_ms: u64) {
        let i = d as usize;
        let stalled = self.waiting[i] > 0 && self.served[i] < self.terminals[i] as u32;
        match (stalled, self.since_ms[i]) {
            (true, None) => self.since_ms[i] = Some(t_ms),
            (false, Some(since)) => {
                self.since_ms[i] = None;
                count_stall(m, Stall { desk: d, since_ms: since, end_ms: t_ms });
            }
            _ => {}
        }
    }

    /// Closes the spells still going on at the day's last event.
    pub fn finish(&mut self, m: &mut DayMetrics) {
        for d in 0..self.since_ms.len() {
            if let Some(since) = self.since_ms[d].take() {
                count_stall(m, Stall { desk: d as u16, since_ms: since, end_ms: self.last_ms });
            }
        }
    }
}

/// Keeps the day's longest stall (the first of equals).
fn count_stall(m: &mut DayMetrics, s: Stall) {
    if s.seconds() > m.longest_stall_s || m.longest_stall.is_none() {
        m.longest_stall = Some(s);
    }
    m.longest_stall_s = m.longest_stall_s.max(s.seconds());
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ev(t_s: u64, shopper: u32, action: Action) -> SimEvent {
        SimEvent { seq: 0, t_ms: t_s * 1000, shopper, x: 0.0, y: 0.0, floor: 0, zone: None, action }
    }

    /// The longest stall of a day of `events` at two lanes, one terminal
    /// at the first and two at the second.
    fn longest(events: &[SimEvent]) -> Option<Stall> {
        longest_at(vec![1, 2], events)
    }

    /// The longest stall of a day of `events` at desks with `terminals`
    /// (two lanes, then counters).
    fn longest_at(terminals: Vec<u16>, events: &[SimEvent]) -> Option<Stall> {
        let mut m = DayMetrics::default();
        let mut desks = Desks::new(terminals, 2);
        for e in events {
            desks.observe(&mut m, e);
        }
        desks.finish(&mut m);
        assert_eq!(m.longest_stall_s, m.longest_stall.map_or(0.0, |s| s.seconds()));
        m.longest_stall
    }

    #[test]
    fn a_line_before_a_free_terminal_is_a_stall_until_someone_is_served() {
        use Action::*;
        let pay = Checkout { lane: 0, qty: 1, amount_cents: 100 };
        // (what, events, the longest stall: desk, from, to in seconds)
        type Case = (&'static str, Vec<SimEvent>, Option<(u16, u64, u64)>);
        let cases: [Case; 5] = [
            (
                "the next walks up in 4 s",
                vec![
                    ev(0, 1, QueueJoin { lane: 0 }),
                    ev(2, 1, Serve { lane: 0 }),
                    ev(9, 2, QueueJoin { lane: 0 }),
                    ev(60, 1, pay),
                    ev(64, 2, Serve { lane: 0 }),
                ],
                Some((0, 60, 64)),
            ),
            (
                "called and never there: stalled to the day's last event",
                vec![ev(0, 1, QueueJoin { lane: 0 }), ev(10, 2, QueueJoin { lane: 0 }), ev(900, 1, Exit)],
                Some((0, 0, 900)),
            ),
            (
                "one who moved to another line leaves its first",
                vec![
                    ev(0, 1, QueueJoin { lane: 0 }),
                    ev(1, 1, Serve { lane: 0 }),
                    ev(5, 2, QueueJoin { lane: 0 }),
                    ev(6, 2, QueueJoin { lane: 1 }),
                    ev(50, 2, Serve { lane: 1 }),
                ],
                Some((1, 6, 50)),
            ),
            (
                "a second terminal free while the first serves",
                vec![
                    ev(0, 1, QueueJoin { lane: 1 }),
                    ev(1, 1, Serve { lane: 1 }),
                    ev(5, 2, QueueJoin { lane: 1 }),
                    ev(45, 2, Serve { lane: 1 }),
                    ev(46, 3, QueueJoin { lane: 1 }),
                    ev(60, 3, Abandon { lane: 1, qty: 1, amount_cents: 5 }),
                ],
                Some((1, 5, 45)),
            ),
            ("nobody waits", vec![ev(0, 1, Enter { party: 1 }), ev(5, 1, Exit)], None),
        ];
        for (what, events, expected) in cases {
            let got = longest(&events).map(|s| (s.desk, s.since_ms / 1000, s.end_ms / 1000));
            assert_eq!(got, expected, "{what}");
        }
    }

    #[test]
    fn a_counter_follows_the_lanes() {
        let events = [ev(0, 7, Action::CounterJoin { counter: 0 }), ev(400, 7, Action::CounterServe { counter: 0 })];
        let s = longest_at(vec![1, 1, 2], &events).expect("a stall");
        assert_eq!((s.desk, s.seconds()), (2, 400.0));
        assert!(s.breaks_the_limit());
    }
}
