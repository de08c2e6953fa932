//! A day cut short: shoppers still inside at its hard end, made to leave,
//! and visitors the day planned who never got in.

use super::{DayMetrics, DayProjection, Visit};

/// What holds a shopper in place: a checkout line (waiting or served), a
/// counter's line, a stop at seating or a fitting room, a shelf visit, a
/// ride on a connector.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Held {
    Line,
    Counter,
    Stop,
    Shelf,
    Ride,
}

/// Those made to leave at the hard end, by what they were at (walking or
/// standing elsewhere: `elsewhere`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ForcedFrom {
    pub line: u64,
    pub counter: u64,
    pub stop: u64,
    pub shelf: u64,
    pub ride: u64,
    pub elsewhere: u64,
}

impl ForcedFrom {
    pub(super) fn count(&mut self, held: Option<Held>) {
        *match held {
            Some(Held::Line) => &mut self.line,
            Some(Held::Counter) => &mut self.counter,
            Some(Held::Stop) => &mut self.stop,
            Some(Held::Shelf) => &mut self.shelf,
            Some(Held::Ride) => &mut self.ride,
            None => &mut self.elsewhere,
        } += 1;
    }

    pub(super) fn merge(&mut self, o: &ForcedFrom) {
        self.line += o.line;
        self.counter += o.counter;
        self.stop += o.stop;
        self.shelf += o.shelf;
        self.ride += o.ride;
        self.elsewhere += o.elsewhere;
    }

    /// Each group with what to look at for it, the largest first ("9 in a
    /// checkout line", …): one made to leave from a two-hour bench was
    /// sent to the checkout waits.
    fn said(&self) -> Vec<(u64, &'static str, &'static str)> {
        let mut groups = vec![
            (self.line, "in a checkout line", "a line that never clears: see the checkout waits"),
            (self.counter, "in a service counter's line", "a counter's line that never clears: see its waits"),
            (self.stop, "at seating or a fitting room", "stops that outlast the day: see the fixtures' dwell_median_s"),
            (self.shelf, "at a shelf", "shelf visits that outlast the day: see the segments' dwell_median_s"),
            (
                self.ride,
                "on a stair, escalator or lift",
                "a ride is under way whenever the day ends: nothing held them",
            ),
            (self.elsewhere, "walking or standing elsewhere", "shoppers who could not get out: see the freezes"),
        ];
        groups.retain(|g| g.0 > 0);
        groups.sort_by_key(|g| std::cmp::Reverse(g.0));
        groups
    }
}

impl DayMetrics {
    /// Said when shoppers were still inside at the day's hard end (closing
    /// plus `run.drain_h`) and made to leave: their visits were cut short,
    /// so every figure leaves out what they would have bought, paid and
    /// waited. `None` when everyone left on their own.
    pub fn forced_out_warning(&self, s: &crate::scenario::Scenario) -> Option<String> {
        if self.forced_exits == 0 {
            return None;
        }
        let share = 100.0 * self.forced_exits as f64 / self.visitors.max(1) as f64;
        let groups = self.forced_from.said();
        let at: Vec<String> = groups.iter().map(|(n, at, _)| format!("{n} {at}")).collect();
        // With no drain, anyone still shopping at closing is made to leave:
        // a line or a shelf visit then need not have outlasted anything.
        let look = match s.run.drain_ms {
            0 => "with no time after closing, anyone still shopping then is made to leave".to_owned(),
            _ => groups.iter().map(|g| g.2).collect::<Vec<_>>().join("; "),
        };
        Some(format!(
            "{} of {} visitors ({share:.1}%) were still in the store at the day's hard end, {} h after closing \
             (run.drain_h), and were made to leave ({}): the figures leave out what they would have bought, paid \
             and waited. Give run.drain_h more time, or find what kept them ({look})",
            self.forced_exits,
            self.visitors,
            s.run.drain_ms as f64 / 3.6e6,
            at.join(", "),
        ))
    }

    /// Said when fewer came in than the day planned (`planned`: the people
    /// of the seed's arrival plan due while the doors let anyone in,
    /// `sim::planned_visitors`, over the days folded here): an entrance
    /// lets one in only when there is room in its doorway, and at most one
    /// every two ticks (`Scenario::admits_per_hour`), and those still
    /// waiting when the doors shut at closing never came in. Every figure
    /// counts only those who did. `None` when everyone planned came in.
    pub fn kept_out_warning(&self, planned: u64, s: &crate::scenario::Scenario) -> Option<String> {
        let kept_out = planned.checked_sub(self.visitors).filter(|&n| n > 0)?;
        let share = 100.0 * kept_out as f64 / planned as f64;
        // Who stood in a doorway longest, where that was long enough to
        // keep a crowd out: a shopper at a shelf by the door, pushed into
        // the doorway, is no freeze, and "see the freezes" led nowhere.
        let stood = match self.longest_in_doorway {
            Some(f) => format!(" (shopper {} stood in one for {:.0} s, {}),", f.shopper, f.seconds(), f.place(s)),
            // Nobody kept the doorway long: a party due in the last moments
            // waits its turn behind those coming in (no entrance too slow);
            // more than a minute's admissions were kept out by a doorway
            // seldom clear (a kiosk's one door both ways, never free for
            // an hour, read as a rush in the last seconds).
            None if kept_out as f64 <= s.admits_per_hour() * s.entrances.len() as f64 / 60.0 => {
                " (nobody stood in one for a minute or more: those due in the last seconds before closing may \
                 only have waited behind others coming in),"
                    .to_owned()
            }
            None => " (nobody stood in one for a minute or more: more were kept out than the entrances admit in a \
                     minute, so the doorway was seldom clear, others passing through it in or out),"
                .to_owned(),
        };
        Some(format!(
            "{kept_out} of the {planned} visitors planned ({share:.1}%) never came in: they were still waiting to \
             come in when the doors shut at closing. An entrance lets one in only when its doorway is clear, and at \
             most one every two ticks (run.tick_s = {} s: {:.0} an hour). The figures count only the {} who came \
             in. Where more than that are due at an entrance, shorten run.tick_s or add entrances; else find what \
             stood in the doorway{stood} or give the entrance room",
            s.run.tick_ms as f64 / 1000.0,
            s.admits_per_hour(),
            self.visitors
        ))
    }
}

impl Visit {
    /// What the shopper was at `now_ms`, if anything that holds one in
    /// place; a shelf visit no longer than one can last (`shelf_visit_ms`:
    /// a browse that does not tempt ends with no event); a ride where it
    /// was not seen since before `traced_ms`, the last position sample
    /// before now (everyone on a floor is sampled, a rider is not).
    pub(super) fn held_by(&self, now_ms: u64, shelf_visit_ms: u64, traced_ms: u64) -> Option<Held> {
        if self.queue_join_ms.is_some() {
            Some(Held::Line)
        } else if self.counter.joined_ms.is_some() {
            Some(Held::Counter)
        } else if self.stop_ms.is_some() {
            Some(Held::Stop)
        } else if self.standing.at_shelf_within(now_ms, shelf_visit_ms) {
            Some(Held::Shelf)
        } else if self.at.is_some_and(|at| at.t_ms < traced_ms) {
            Some(Held::Ride)
        } else {
            None
        }
    }
}

impl DayProjection<'_> {
    /// At the hard end, before its events: what each shopper still in is
    /// at, a companion what its leader is at where it is at nothing itself.
    #[cold]
    pub(super) fn note_what_holds_those_still_in(&mut self) {
        self.ended = true;
        let (now, shelf) = (self.layout.end_ms, self.layout.longest_shelf_visit_ms);
        // The last position sample before now: the hard end's own may come after these.
        let traced = now.saturating_sub(1) / self.layout.trace_ms * self.layout.trace_ms;
        let held: Vec<Option<Held>> = (self.visits.iter())
            .map(|v| {
                let v = v.as_ref()?;
                let leader = || self.visits.get(v.party as usize)?.as_ref()?.held_by(now, shelf, traced);
                v.held_by(now, shelf, traced).or_else(leader)
            })
            .collect();
        for (v, held) in self.visits.iter_mut().zip(held) {
            if let Some(v) = v {
                v.held_at_end = held;
            }
        }
    }
}
