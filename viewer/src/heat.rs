//! The figures up to the clock, folded on a worker thread by the report's
//! own projection (`DayProjection`): forward as time plays, afresh when it
//! goes back, exactly as `aisle::playback::Cursor` does. The worker reads
//! the playback under its lock, so a live run can keep extending it. Heat
//! and walking directions over a sliding window are the fold up to the
//! clock less a second fold up to the window's start.

use std::sync::mpsc::{Receiver, Sender, channel};
use std::sync::{Arc, Mutex, RwLock};

use aisle::metrics::directions::{BlockDirection, DirectionProjection};
use aisle::metrics::{DayMetrics, DayProjection, Layout, Projection};
use aisle::playback::Playback;
use aisle::report::figures::heat_density;
use aisle::style::scale_top;

/// The day's figures up to `t_ms`.
pub struct Folded {
    pub t_ms: u64,
    /// Events folded (those at or before `t_ms` when it was asked).
    pub events: usize,
    pub metrics: DayMetrics,
    /// Person-seconds per m² in each heat block, per floor, in block order
    /// (`Layout::block_rect`), and the colour scale's top (the 98th
    /// percentile over all floors, as the report draws it).
    pub density: Vec<Vec<f64>>,
    pub top: f64,
    /// The window heat and directions cover (`None`: the day so far).
    pub window_ms: Option<u64>,
    /// Per floor, per heat block: the mean walking direction (length 0 to
    /// 1: how much the moves agree) where enough moves were made.
    pub directions: Vec<Vec<Option<(f64, f64)>>>,
}

/// Moves a block needs before its walking direction is drawn.
pub const MIN_MOVES: u32 = 5;

/// What the worker is asked: the instant, and the window before it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Ask {
    t_ms: u64,
    window_ms: Option<u64>,
}

pub struct FoldWorker {
    ask: Sender<Ask>,
    latest: Arc<Mutex<Option<Arc<Folded>>>>,
    asked: Option<Ask>,
}

impl FoldWorker {
    pub fn start(layout: Arc<Layout>, playback: Arc<RwLock<Playback>>) -> FoldWorker {
        let (ask, asks) = channel::<Ask>();
        let latest = Arc::new(Mutex::new(None));
        let out = latest.clone();
        std::thread::Builder::new()
            .name("aisle-fold".into())
            .spawn(move || fold_loop(&layout, &playback, asks, &out))
            .expect("spawn the fold thread");
        FoldWorker { ask, latest, asked: None }
    }

    /// Asks for the figures at `t_ms` (heat and directions over the
    /// `window_ms` before it, or the whole day so far) unless the last
    /// question is still unanswered or was the same (with the same events).
    pub fn request(&mut self, t_ms: u64, window_ms: Option<u64>, events_known: usize) {
        let answered = self.latest().map(|f| (Ask { t_ms: f.t_ms, window_ms: f.window_ms }, f.events));
        let pending = self.asked.is_some() && answered.map(|a| a.0) != self.asked;
        if pending {
            return;
        }
        let ask = Ask { t_ms, window_ms };
        if answered == Some((ask, events_known)) && self.asked == Some(ask) {
            return;
        }
        self.asked = Some(ask);
        let _ = self.ask.send(ask);
    }

    pub fn latest(&self) -> Option<Arc<Folded>> {
        self.latest.lock().expect("fold lock").clone()
    }
}

/// A fold of the day's heat and walking directions up to an instant,
/// moved forward as time plays and restarted when it goes back.
struct Upto<'a> {
    day: DayProjection<'a>,
    directions: DirectionProjection<'a>,
    folded: usize,
}

impl<'a> Upto<'a> {
    fn new(layout: &'a Layout) -> Self {
        Upto { day: DayProjection::new(layout), directions: DirectionProjection::new(layout), folded: 0 }
    }

    fn fold_to(&mut self, layout: &'a Layout, events: &[aisle::events::SimEvent], t_ms: u64) {
        let upto = events.partition_point(|e| e.t_ms <= t_ms);
        if upto < self.folded {
            *self = Upto::new(layout);
        }
        self.day.observe_all(&events[self.folded..upto]);
        self.directions.observe_all(&events[self.folded..upto]);
        self.folded = upto;
    }
}

fn fold_loop(layout: &Layout, playback: &RwLock<Playback>, asks: Receiver<Ask>, out: &Mutex<Option<Arc<Folded>>>) {
    let (mut now, mut behind) = (Upto::new(layout), Upto::new(layout));
    while let Ok(mut ask) = asks.recv() {
        // Only the latest question matters.
        while let Ok(later) = asks.try_recv() {
            ask = later;
        }
        let start = ask.window_ms.map(|w| ask.t_ms.saturating_sub(w));
        {
            let p = playback.read().expect("playback lock");
            now.fold_to(layout, p.events(), ask.t_ms);
            if let Some(start) = start {
                behind.fold_to(layout, p.events(), start);
            }
        }
        let metrics = now.day.clone().finish();
        let mut block_s = metrics.heat_block_s(layout);
        let mut moves: Vec<BlockDirection> = now.directions.blocks().to_vec();
        if start.is_some() {
            let before = behind.day.clone().finish().heat_block_s(layout);
            block_s.iter_mut().zip(before).for_each(|(s, b)| *s = (*s - b).max(0.0));
            moves.iter_mut().zip(behind.directions.blocks()).for_each(|(m, b)| *m = m.since(b));
        }
        let density: Vec<Vec<f64>> = (0..layout.floors as u8)
            .map(|f| heat_density(layout, f, &block_s, 1).into_iter().map(|(_, d)| d).collect())
            .collect();
        let (bx, by) = layout.blocks_per_floor();
        let directions = moves
            .chunks(bx * by)
            .map(|floor| floor.iter().map(|m| m.mean().filter(|_| m.moves >= MIN_MOVES)).collect())
            .collect();
        let top = scale_top(density.iter().flatten().copied());
        let folded =
            Folded { t_ms: ask.t_ms, events: now.folded, metrics, density, top, window_ms: ask.window_ms, directions };
        *out.lock().expect("fold lock") = Some(Arc::new(folded));
    }
}
