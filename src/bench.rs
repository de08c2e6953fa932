//! Measurements behind `aisle bench` and `benches/`: the design's
//! performance targets, each as a median over repeats.

use std::time::Instant;

use crate::Prepared;
use crate::events::SimEvent;
use crate::events::parquet::{LogWriter, read_log_with};
use crate::metrics::{DayProjection, Layout, Projection};
use crate::run::log_meta;
use crate::sim::Simulation;

/// What one store-day costs.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DayFigures {
    /// Simulation alone, events kept in memory.
    pub sim_s: f64,
    pub events: u64,
    pub visitors: u32,
    /// Shopper-ticks simulated (shoppers in store summed over ticks).
    pub shopper_steps: u64,
    pub peak_in_store: u32,
    pub flow_fields: u64,
    pub flow_field_bytes: u64,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LogFigures {
    pub write_s: f64,
    pub read_s: f64,
    /// Reading the log and folding it into the day's metrics.
    pub replay_s: f64,
    /// Folding events already in memory into the day's metrics.
    pub fold_s: f64,
    pub bytes: u64,
    pub events: u64,
}

/// Simulates one day, returning its events and figures.
pub fn store_day(p: &Prepared, seed: u64) -> (Vec<SimEvent>, DayFigures) {
    let start = Instant::now();
    let mut sim = Simulation::new(p.scenario.clone(), p.store.clone(), seed);
    let mut events = Vec::new();
    let mut shopper_steps = 0u64;
    let mut peak = 0u32;
    while sim.step() {
        let in_store = sim.progress().in_store;
        shopper_steps += in_store as u64;
        peak = peak.max(in_store);
        sim.drain_events(&mut events);
    }
    sim.drain_events(&mut events);
    let sim_s = start.elapsed().as_secs_f64();
    let (flow_fields, flow_field_bytes) = sim.nav_stats();
    let figures = DayFigures {
        sim_s,
        events: events.len() as u64,
        visitors: sim.progress().arrived,
        shopper_steps,
        peak_in_store: peak,
        flow_fields,
        flow_field_bytes,
    };
    (events, figures)
}

/// Writes `events` as a log in `dir` and reads it back, timing both.
pub fn log_round_trip(
    p: &Prepared,
    events: &[SimEvent],
    dir: &std::path::Path,
) -> Result<LogFigures, crate::events::parquet::LogError> {
    let path = dir.join("bench.parquet");
    let start = Instant::now();
    let mut writer = LogWriter::create(&path, &log_meta(p, 0))?;
    for chunk in events.chunks(8192) {
        writer.send(chunk.to_vec())?;
    }
    let written = writer.finish()?;
    let write_s = start.elapsed().as_secs_f64();
    let start = Instant::now();
    let mut read = 0u64;
    read_log_with(&path, |batch| read += batch.len() as u64)?;
    let read_s = start.elapsed().as_secs_f64();
    let layout = Layout::new(p);
    let start = Instant::now();
    let mut day = DayProjection::new(&layout);
    read_log_with(&path, |batch| day.observe_all(batch))?;
    std::hint::black_box(day.finish());
    let replay_s = start.elapsed().as_secs_f64();
    let start = Instant::now();
    let mut day = DayProjection::new(&layout);
    day.observe_all(events);
    std::hint::black_box(day.finish());
    let fold_s = start.elapsed().as_secs_f64();
    std::fs::remove_file(&path).ok();
    Ok(LogFigures { write_s, read_s, replay_s, fold_s, bytes: written.bytes, events: read })
}

/// Median of a non-empty sample.
pub fn median(mut xs: Vec<f64>) -> f64 {
    xs.sort_by(f64::total_cmp);
    let n = xs.len();
    if n % 2 == 1 { xs[n / 2] } else { (xs[n / 2 - 1] + xs[n / 2]) / 2.0 }
}
