//! The figures up to the clock, folded on a worker thread by the report's
//! own projection (`DayProjection`): forward as time plays, afresh when it
//! goes back, exactly as `aisle::playback::Cursor` does. The worker reads
//! the playback under its lock, so a live run can keep extending it.

use std::sync::mpsc::{Receiver, Sender, channel};
use std::sync::{Arc, Mutex, RwLock};

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
}

pub struct FoldWorker {
    ask: Sender<u64>,
    latest: Arc<Mutex<Option<Arc<Folded>>>>,
    asked: Option<u64>,
}

impl FoldWorker {
    pub fn start(layout: Arc<Layout>, playback: Arc<RwLock<Playback>>) -> FoldWorker {
        let (ask, asks) = channel::<u64>();
        let latest = Arc::new(Mutex::new(None));
        let out = latest.clone();
        std::thread::Builder::new()
            .name("aisle-fold".into())
            .spawn(move || fold_loop(&layout, &playback, asks, &out))
            .expect("spawn the fold thread");
        FoldWorker { ask, latest, asked: None }
    }

    /// Asks for the figures at `t_ms` unless the last question is still
    /// unanswered or was the same instant (with the same events).
    pub fn request(&mut self, t_ms: u64, events_known: usize) {
        let answered = self.latest().map(|f| (f.t_ms, f.events));
        let pending = self.asked.is_some() && answered.map(|a| a.0) != self.asked;
        if pending {
            return;
        }
        if answered == Some((t_ms, events_known)) && self.asked == Some(t_ms) {
            return;
        }
        self.asked = Some(t_ms);
        let _ = self.ask.send(t_ms);
    }

    pub fn latest(&self) -> Option<Arc<Folded>> {
        self.latest.lock().expect("fold lock").clone()
    }
}

fn fold_loop(layout: &Layout, playback: &RwLock<Playback>, asks: Receiver<u64>, out: &Mutex<Option<Arc<Folded>>>) {
    let mut day = DayProjection::new(layout);
    let mut folded = 0usize;
    while let Ok(mut t_ms) = asks.recv() {
        // Only the latest question matters.
        while let Ok(later) = asks.try_recv() {
            t_ms = later;
        }
        {
            let p = playback.read().expect("playback lock");
            let events = p.events();
            let upto = events.partition_point(|e| e.t_ms <= t_ms);
            if upto < folded {
                day = DayProjection::new(layout);
                folded = 0;
            }
            day.observe_all(&events[folded..upto]);
            folded = upto;
        }
        let metrics = day.clone().finish();
        let block_s = metrics.heat_block_s(layout);
        let density: Vec<Vec<f64>> = (0..layout.floors as u8)
            .map(|f| heat_density(layout, f, &block_s, 1).into_iter().map(|(_, d)| d).collect())
            .collect();
        let top = scale_top(density.iter().flatten().copied());
        *out.lock().expect("fold lock") = Some(Arc::new(Folded { t_ms, events: folded, metrics, density, top }));
    }
}
