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

/// `repeats` store-days (seeds 1..=repeats), each written and read back in `tmp`.
pub struct Measured {
    pub days: Vec<DayFigures>,
    pub logs: Vec<LogFigures>,
}

/// Measures `repeats` store-days, calling `each` after every one.
pub fn measure(
    p: &Prepared,
    repeats: usize,
    tmp: &std::path::Path,
    mut each: impl FnMut(),
) -> Result<Measured, crate::events::parquet::LogError> {
    let mut m = Measured { days: Vec::new(), logs: Vec::new() };
    for i in 0..repeats {
        let (events, day) = store_day(p, 1 + i as u64);
        m.logs.push(log_round_trip(p, &events, tmp)?);
        m.days.push(day);
        each();
    }
    Ok(m)
}

impl Measured {
    /// Medians against the design's targets, for the terminal.
    pub fn summary(&self, p: &Prepared, peak_rss_kib: Option<u64>) -> String {
        let (days, logs, repeats) = (&self.days, &self.logs, self.days.len());
        let med = |f: &dyn Fn(usize) -> f64| median((0..repeats).map(f).collect());
        let sim_s = med(&|i| days[i].sim_s);
        let write_s = med(&|i| logs[i].write_s);
        let events = med(&|i| days[i].events as f64);
        let steps_per_s = med(&|i| days[i].shopper_steps as f64 / days[i].sim_s);
        let rate = |f: &dyn Fn(&LogFigures) -> f64| med(&|i| logs[i].events as f64 / f(&logs[i]));
        let bytes_per_event = med(&|i| logs[i].bytes as f64 / logs[i].events.max(1) as f64);
        let d = &days[0];
        let mut lines = vec![
            format!(
                "{} / {}: medians over {repeats} store-days (seeds 1..={repeats}), one core",
                p.scenario.name, p.scenario.variant
            ),
            format!("  store-day, simulation         {sim_s:8.2} s          target ≤ 10 s with the log"),
            format!("  store-day, simulation + log   {:8.2} s", sim_s + write_s),
            format!("  visitors / events             {:8} / {:.0}", d.visitors, events),
            format!(
                "  shopper-steps per second      {:8.2} M        target ≥ 10 M (peak {} in store)",
                steps_per_s / 1e6,
                d.peak_in_store
            ),
            format!("  parquet write                 {:8.2} M events/s  target ≥ 5 M", rate(&|l| l.write_s) / 1e6),
            format!("  parquet bytes per event       {bytes_per_event:8.2}          target ≤ 12"),
            format!("  parquet read                  {:8.2} M events/s", rate(&|l| l.read_s) / 1e6),
            format!("  replay into all metrics       {:8.2} M events/s  target ≥ 10 M", rate(&|l| l.replay_s) / 1e6),
            format!("    of which the metrics fold   {:8.2} M events/s (events in memory)", rate(&|l| l.fold_s) / 1e6),
            format!(
                "  flow fields                   {:8} fields, {:.1} MiB  target ≤ 64 MiB",
                d.flow_fields,
                d.flow_field_bytes as f64 / 1048576.0
            ),
        ];
        if let Some(kib) = peak_rss_kib {
            lines
                .push(format!("  peak memory (process)         {:8.1} MiB      target ≤ 512 MiB", kib as f64 / 1024.0));
        }
        lines.join("\n")
    }
}

/// Peak resident memory of this process (Linux), KiB.
pub fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}
