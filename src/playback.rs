//! A day's events indexed by time, for viewers: where every shopper is and
//! what it is doing at any instant, who stands in each checkout line, the
//! events of one shopper, and the occupancy heat accumulated up to an
//! instant from the same projection the report folds. Built from a log read
//! back from Parquet or from a live run's event stream alike; no ECS, no
//! renderer.

use std::path::Path;

use crate::events::parquet::{LogError, LogMeta, read_log};
use crate::events::{Action, SimEvent};
use crate::metrics::{DayMetrics, DayProjection, Layout, Projection};

/// What a shopper is doing, as far as its events tell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Activity {
    /// In the store, walking about.
    Shopping,
    /// Standing at a shelf of `product` (from `at_shelf` to picking it,
    /// giving it up or walking off).
    AtShelf { product: u32 },
    /// In a checkout line (from joining it to being served or giving up).
    Queuing { lane: u16 },
    /// At a till or terminal of `lane`, being served (schema v4 logs; in
    /// older ones the service counts as queuing).
    Served { lane: u16 },
    /// Paid, on the way out.
    Leaving,
    /// Gave up at `lane`'s line (or balked at it), on the way out without
    /// paying.
    Abandoned { lane: u16 },
    /// In a service counter's line, mid-visit (schema v5).
    CounterLine { counter: u16 },
    /// Being served at a service counter (schema v5).
    CounterServed { counter: u16 },
    /// Stopping at seating or a fitting room, fixture `fixture` (schema v5).
    AtStop { fixture: u16 },
}

impl Activity {
    /// What a companion doing `self` (its own events' say) is shown doing,
    /// its leader doing `leader`: in line, served or leaving with the
    /// leader once the leader is (its own events never join the line).
    pub fn with_leader(self, leader: Option<Activity>) -> Activity {
        match (self, leader) {
            (
                Activity::Shopping,
                Some(
                    l @ (Activity::Queuing { .. }
                    | Activity::Served { .. }
                    | Activity::CounterLine { .. }
                    | Activity::CounterServed { .. }
                    | Activity::Leaving
                    | Activity::Abandoned { .. }),
                ),
            ) => l,
            (own, _) => own,
        }
    }
}

/// A shopper at a shelf who logs a position farther than this from where
/// it reached it has walked off (a product looked at and passed over logs
/// nothing).
const LEFT_SHELF_M: f32 = 1.0;

/// One shopper at one instant.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ShopperAt {
    pub shopper: u32,
    /// The party's leader (the shopper itself when alone or leading).
    pub party: u32,
    pub x: f32,
    pub y: f32,
    pub floor: u8,
    pub activity: Activity,
}

/// A position a shopper's events put it at, with what it was doing then.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Sample {
    t_ms: u64,
    x: f32,
    y: f32,
    floor: u8,
    activity: Activity,
}

/// One shopper's day: from its `enter` to its `exit`.
#[derive(Debug, Clone, PartialEq)]
struct Track {
    party: u32,
    enter_ms: u64,
    /// `None` while a live run has not seen it leave.
    exit_ms: Option<u64>,
    samples: Vec<Sample>,
    /// Indices of its events in `Playback::events`.
    events: Vec<u32>,
}

impl Track {
    /// Whether `e` puts a shopper at a shelf out of reach of where it
    /// reached it.
    fn walked_off_shelf(&self, e: &SimEvent) -> bool {
        // The first sample of the stay at the shelf: where it reached it.
        let reached = self.samples.iter().rev().take_while(|s| matches!(s.activity, Activity::AtShelf { .. })).last();
        reached.is_none_or(|r| {
            let (dx, dy) = (e.x - r.x, e.y - r.y);
            r.floor != e.floor || dx * dx + dy * dy > LEFT_SHELF_M * LEFT_SHELF_M
        })
    }
}

/// A day indexed by time.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Playback {
    events: Vec<SimEvent>,
    tracks: Vec<Option<Track>>,
}

impl Playback {
    /// Indexes a day's events (in `seq` order, as a run emits them).
    pub fn new(events: Vec<SimEvent>) -> Playback {
        let mut p = Playback::default();
        p.extend(events);
        p
    }

    /// Reads and indexes a log written by a run.
    pub fn read(path: &Path) -> Result<(LogMeta, Playback), LogError> {
        let (meta, events) = read_log(path)?;
        Ok((meta, Playback::new(events)))
    }

    /// Appends events that follow those already indexed: a live run feeds
    /// its stream in chunks, and the index equals one built from its log.
    pub fn extend(&mut self, events: impl IntoIterator<Item = SimEvent>) {
        for e in events {
            let at = self.events.len() as u32;
            let s = e.shopper as usize;
            if self.tracks.len() <= s {
                self.tracks.resize(s + 1, None);
            }
            if let Action::Enter { party } = e.action {
                self.tracks[s] =
                    Some(Track { party, enter_ms: e.t_ms, exit_ms: None, samples: Vec::new(), events: Vec::new() });
            }
            if let Some(track) = self.tracks[s].as_mut() {
                let before = track.samples.last().map_or(Activity::Shopping, |x| x.activity);
                let activity = match e.action {
                    Action::AtShelf { product } => Activity::AtShelf { product },
                    Action::Pick { .. } | Action::NotFound { .. } => Activity::Shopping,
                    Action::QueueJoin { lane } => Activity::Queuing { lane },
                    Action::Serve { lane } => Activity::Served { lane },
                    Action::Checkout { .. } => Activity::Leaving,
                    Action::Abandon { lane, .. } => Activity::Abandoned { lane },
                    Action::CounterJoin { counter } => Activity::CounterLine { counter },
                    Action::CounterServe { counter } => Activity::CounterServed { counter },
                    Action::CounterDone { .. } | Action::CounterLeave { .. } => Activity::Shopping,
                    Action::StopStart { fixture } => Activity::AtStop { fixture },
                    Action::StopEnd { .. } => Activity::Shopping,
                    _ => match before {
                        Activity::AtShelf { .. } if track.walked_off_shelf(&e) => Activity::Shopping,
                        _ => before,
                    },
                };
                track.samples.push(Sample { t_ms: e.t_ms, x: e.x, y: e.y, floor: e.floor, activity });
                track.events.push(at);
                if matches!(e.action, Action::Exit) {
                    track.exit_ms = Some(e.t_ms);
                }
            }
            self.events.push(e);
        }
    }

    /// Every event, in `seq` order.
    pub fn events(&self) -> &[SimEvent] {
        &self.events
    }

    /// The time of the last event.
    pub fn end_ms(&self) -> u64 {
        self.events.last().map_or(0, |e| e.t_ms)
    }

    /// Shoppers that have entered.
    pub fn shopper_count(&self) -> usize {
        self.tracks.iter().flatten().count()
    }

    /// The events of one shopper, in order.
    pub fn events_of(&self, shopper: u32) -> impl Iterator<Item = &SimEvent> {
        self.tracks
            .get(shopper as usize)
            .and_then(Option::as_ref)
            .into_iter()
            .flat_map(|t| t.events.iter().map(|&i| &self.events[i as usize]))
    }

    /// Where `shopper` is at `t_ms`, or `None` outside its visit. Between
    /// two logged positions on one floor the shopper walked a straight line
    /// (positions are at most a trace interval apart); across floors it is
    /// shown where it last stood until it arrives (riding a connector). A
    /// companion shows its leader's state once the leader is in line, being
    /// served or leaving: it stands in line with it and leaves with it,
    /// though its own events never join the line.
    pub fn shopper_at(&self, shopper: u32, t_ms: u64) -> Option<ShopperAt> {
        let track = self.tracks.get(shopper as usize)?.as_ref()?;
        if t_ms < track.enter_ms || track.exit_ms.is_some_and(|exit| t_ms >= exit) {
            return None;
        }
        // The last sample at or before t.
        let i = track.samples.partition_point(|s| s.t_ms <= t_ms).checked_sub(1)?;
        let a = track.samples[i];
        let (x, y) = match track.samples.get(i + 1) {
            Some(b) if b.floor == a.floor && b.t_ms > a.t_ms => {
                let f = (t_ms - a.t_ms) as f32 / (b.t_ms - a.t_ms) as f32;
                (a.x + (b.x - a.x) * f, a.y + (b.y - a.y) * f)
            }
            _ => (a.x, a.y),
        };
        let leader = (track.party != shopper).then(|| self.own_activity(track.party, t_ms)).flatten();
        let activity = a.activity.with_leader(leader);
        Some(ShopperAt { shopper, party: track.party, x, y, floor: a.floor, activity })
    }

    /// What `shopper`'s own events say it is doing at `t_ms`.
    fn own_activity(&self, shopper: u32, t_ms: u64) -> Option<Activity> {
        let track = self.tracks.get(shopper as usize)?.as_ref()?;
        let i = track.samples.partition_point(|s| s.t_ms <= t_ms).checked_sub(1)?;
        Some(track.samples[i].activity)
    }

    /// Everyone in the store at `t_ms`, by shopper index.
    pub fn shoppers_at(&self, t_ms: u64) -> Vec<ShopperAt> {
        (0..self.tracks.len() as u32).filter_map(|s| self.shopper_at(s, t_ms)).collect()
    }

    /// Who stands in each lane's line at `t_ms`, in the order they joined
    /// it, a party by its leader; `lanes` is the number of lanes (lines of
    /// lanes nobody used are empty).
    pub fn queues_at(&self, t_ms: u64, lanes: usize) -> Vec<Vec<u32>> {
        let mut joined: Vec<Vec<(u64, u32)>> = vec![Vec::new(); lanes];
        for (s, track) in self.tracks.iter().enumerate() {
            let Some(track) = track.as_ref().filter(|t| t.party == s as u32) else { continue };
            let Some(at) = self.shopper_at(s as u32, t_ms) else { continue };
            let Activity::Queuing { lane } = at.activity else { continue };
            // Its last join: one that moved to a shorter line joined it then.
            let since = track
                .events
                .iter()
                .map(|&i| &self.events[i as usize])
                .take_while(|e| e.t_ms <= t_ms)
                .filter(|e| matches!(e.action, Action::QueueJoin { .. }))
                .last()
                .map_or(0, |e| e.t_ms);
            if let Some(line) = joined.get_mut(lane as usize) {
                line.push((since, s as u32));
            }
        }
        joined
            .into_iter()
            .map(|mut line| {
                line.sort_unstable();
                line.into_iter().map(|(_, s)| s).collect()
            })
            .collect()
    }

    /// The day's figures from its events up to and including `t_ms`,
    /// folded afresh by the report's projection (at the end of the day,
    /// exactly the report's).
    pub fn metrics_until(&self, layout: &Layout, t_ms: u64) -> DayMetrics {
        let upto = self.events.partition_point(|e| e.t_ms <= t_ms);
        let mut day = DayProjection::new(layout);
        day.observe_all(&self.events[..upto]);
        day.finish()
    }
}

/// The figures up to a moving instant, folded forward as time plays and
/// afresh only when it goes back: what a viewer's heat overlay reads each
/// frame. Always equal to `Playback::metrics_until` at the same instant.
pub struct Cursor<'a> {
    playback: &'a Playback,
    layout: &'a Layout,
    day: DayProjection<'a>,
    /// Events folded so far.
    folded: usize,
}

impl<'a> Cursor<'a> {
    pub fn new(playback: &'a Playback, layout: &'a Layout) -> Cursor<'a> {
        Cursor { playback, layout, day: DayProjection::new(layout), folded: 0 }
    }

    /// Moves to `t_ms` and returns the figures up to it.
    pub fn seek(&mut self, t_ms: u64) -> DayMetrics {
        let upto = self.playback.events.partition_point(|e| e.t_ms <= t_ms);
        if upto < self.folded {
            self.day = DayProjection::new(self.layout);
            self.folded = 0;
        }
        self.day.observe_all(&self.playback.events[self.folded..upto]);
        self.folded = upto;
        self.day.clone().finish()
    }
}
