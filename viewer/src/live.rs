//! Live mode: the library's `Simulation` stepped on a worker thread, its
//! events fed in chunks into the same playback index a replay reads, so a
//! live day can be rewound like a logged one. The run keeps a little ahead
//! of the clock on screen rather than racing to the end of the day.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, RwLock};
use std::thread::JoinHandle;
use std::time::Duration;

use aisle::Prepared;
use aisle::playback::Playback;
use aisle::sim::Simulation;

/// How far (store time) the simulation may run ahead of the clock on screen.
pub const LEAD_MS: u64 = 10 * 60 * 1000;

pub struct LiveRun {
    /// Store time every event before which has been indexed.
    simulated_ms: Arc<AtomicU64>,
    /// The clock on screen, which the run keeps ahead of.
    watched_ms: Arc<AtomicU64>,
    finished: Arc<AtomicBool>,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl LiveRun {
    pub fn start(prepared: Prepared, seed: u64, playback: Arc<RwLock<Playback>>) -> LiveRun {
        let simulated_ms = Arc::new(AtomicU64::new(0));
        let watched_ms = Arc::new(AtomicU64::new(0));
        let finished = Arc::new(AtomicBool::new(false));
        let stop = Arc::new(AtomicBool::new(false));
        let (sim_at, watched, done, halt) = (simulated_ms.clone(), watched_ms.clone(), finished.clone(), stop.clone());
        let thread = std::thread::Builder::new()
            .name("aisle-live".into())
            .spawn(move || {
                let mut sim = Simulation::new(prepared.scenario.clone(), prepared.store.clone(), seed);
                let mut chunk = Vec::new();
                let flush = |chunk: &mut Vec<_>, t_ms: u64| {
                    playback.write().expect("playback lock").extend(chunk.drain(..));
                    sim_at.store(t_ms, Ordering::Release);
                };
                while !halt.load(Ordering::Relaxed) {
                    let t = sim.progress().t_ms;
                    if t > watched.load(Ordering::Relaxed) + LEAD_MS {
                        flush(&mut chunk, t);
                        std::thread::sleep(Duration::from_millis(20));
                        continue;
                    }
                    let more = sim.step();
                    sim.drain_events(&mut chunk);
                    // About one store-second per chunk keeps the index fresh
                    // without taking the lock every tick.
                    if !more || chunk.len() >= 4096 || sim.progress().t_ms % 1000 == 0 {
                        flush(&mut chunk, sim.progress().t_ms);
                    }
                    if !more {
                        done.store(true, Ordering::Release);
                        break;
                    }
                }
            })
            .expect("spawn the simulation thread");
        LiveRun { simulated_ms, watched_ms, finished, stop, thread: Some(thread) }
    }

    /// Store time up to which the day is indexed.
    pub fn simulated_ms(&self) -> u64 {
        self.simulated_ms.load(Ordering::Acquire)
    }

    pub fn finished(&self) -> bool {
        self.finished.load(Ordering::Acquire)
    }

    /// Tells the run where the clock on screen is.
    pub fn watch(&self, t_ms: u64) {
        self.watched_ms.store(t_ms, Ordering::Relaxed);
    }
}

impl Drop for LiveRun {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}
