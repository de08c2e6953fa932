//! Measurements behind `aisle bench` and `benches/`: every figure of the
//! design's performance table as a median with its min–max over
//! repetitions, next to its target and whether it meets it.

use std::time::Instant;

pub mod hall;

use crate::Prepared;
use crate::events::SimEvent;
use crate::events::parquet::{LogWriter, read_log_with};
use crate::metrics::{DayProjection, Layout, Projection};
use crate::run::log_meta;
use crate::sim::{CHUNK_CAPACITY, CHUNK_EVENTS, Simulation};

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
    // Handed on in chunks, as `aisle run` hands them to its log writer
    // (one growing vector would copy the day over and over).
    let mut chunks = Vec::new();
    let mut chunk = Vec::with_capacity(CHUNK_CAPACITY);
    let mut shopper_steps = 0u64;
    let mut peak = 0u32;
    while sim.step() {
        let in_store = sim.progress().in_store;
        shopper_steps += in_store as u64;
        peak = peak.max(in_store);
        sim.drain_events(&mut chunk);
        if chunk.len() >= CHUNK_EVENTS {
            chunks.push(std::mem::replace(&mut chunk, Vec::with_capacity(CHUNK_CAPACITY)));
        }
    }
    sim.drain_events(&mut chunk);
    let sim_s = start.elapsed().as_secs_f64();
    chunks.push(chunk);
    let events = chunks.concat();
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
        writer.send(chunk)?;
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

/// Visitors a day of the scaled store-days (the design's table).
pub const SCALED_VISITORS: [u32; 2] = [5_000, 20_000];

/// A figure's target: the design's table.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Target {
    AtMost(f64),
    AtLeast(f64),
}

impl Target {
    pub fn met_by(self, x: f64) -> bool {
        match self {
            Target::AtMost(t) => x <= t,
            Target::AtLeast(t) => x >= t,
        }
    }
}

/// One line of `aisle bench`: a figure measured `values.len()` times (none
/// when it was skipped, with `skipped` saying why), against its target.
#[derive(Debug, Clone, PartialEq)]
pub struct Figure {
    pub name: String,
    pub unit: &'static str,
    pub values: Vec<f64>,
    pub target: Option<Target>,
    pub skipped: Option<String>,
}

impl Figure {
    fn new(name: impl Into<String>, unit: &'static str, values: Vec<f64>, target: Option<Target>) -> Figure {
        Figure { name: name.into(), unit, values, target, skipped: None }
    }

    fn skipped(name: impl Into<String>, unit: &'static str, target: Target, why: &str) -> Figure {
        Figure { name: name.into(), unit, values: Vec::new(), target: Some(target), skipped: Some(why.to_owned()) }
    }

    pub fn median(&self) -> Option<f64> {
        (!self.values.is_empty()).then(|| median(self.values.clone()))
    }

    /// Whether the median meets the target (`None`: no target, or not measured).
    pub fn meets(&self) -> Option<bool> {
        Some(self.target?.met_by(self.median()?))
    }
}

/// What `aisle bench` measured.
#[derive(Debug, Clone, PartialEq)]
pub struct BenchReport {
    pub title: String,
    pub figures: Vec<Figure>,
}

/// A count with thousands separated: 20,000.
fn thousands(n: u32) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A number with about three significant digits.
fn num(x: f64) -> String {
    let a = x.abs();
    if !x.is_finite() {
        format!("{x}")
    } else if a >= 100.0 {
        format!("{x:.0}")
    } else if a >= 10.0 {
        format!("{x:.1}")
    } else {
        format!("{x:.2}")
    }
}

impl BenchReport {
    /// The table for the terminal: median [min–max], target, verdict.
    pub fn table(&self) -> String {
        let width = self.figures.iter().map(|f| f.name.chars().count()).max().unwrap_or(0);
        let mut lines = vec![self.title.clone()];
        for f in &self.figures {
            let pad = " ".repeat(width - f.name.chars().count());
            let target = match f.target {
                Some(Target::AtMost(t)) => format!("≤ {} {}", num(t), f.unit),
                Some(Target::AtLeast(t)) => format!("≥ {} {}", num(t), f.unit),
                None => String::new(),
            };
            let line = match (f.median(), &f.skipped) {
                (Some(m), _) => {
                    let (lo, hi) =
                        f.values.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), &x| (lo.min(x), hi.max(x)));
                    let spread = if f.values.len() > 1 {
                        format!("[{}–{}, n={}]", num(lo), num(hi), f.values.len())
                    } else {
                        "[one run]".to_owned()
                    };
                    let verdict = match f.meets() {
                        Some(true) => "  meets",
                        Some(false) => "  MISSES",
                        None => "",
                    };
                    let value = format!("{} {}", num(m), f.unit);
                    format!("  {}{pad}  {value:>16} {spread:<24} {target:<18}{verdict}", f.name)
                }
                (None, why) => format!(
                    "  {}{pad}  {:>16} {:<24} {target:<18}  {}",
                    f.name,
                    "—",
                    "",
                    why.as_deref().unwrap_or("not measured")
                ),
            };
            lines.push(line.trim_end().to_owned());
        }
        lines.join("\n")
    }
}

/// What to measure.
#[derive(Debug, Clone)]
pub struct BenchPlan {
    /// Repetitions (seeds 1..=repeats) of each store-day.
    pub repeats: usize,
    /// Also the slow figures: the 20,000-visitor day (shopper-steps, and the
    /// peak memory of `aisle run` in a child process) and `aisle compare`.
    pub full: bool,
    /// The `aisle` executable, for the figures measured in a child process.
    pub exe: std::path::PathBuf,
    /// Scratch directory: logs, scaled scenario file, child datasets.
    pub tmp: std::path::PathBuf,
}

/// The scenario's source with one variant per entry of `SCALED_VISITORS`
/// appended (`visitors-5000`, …): the base layout with its daily visitors
/// set (a variant edits the base layout, so the scaled days are the
/// baseline's whichever variant is measured).
pub fn scaled_source(source: &str) -> String {
    let mut text = source.to_owned();
    for v in SCALED_VISITORS {
        text.push_str(&format!(
            "\n[[variants]]\nid = \"visitors-{v}\"\ndescription = \"aisle bench: {v} visitors a day\"\nedits = [{{ op = \"set_visitors\", daily_visitors = {v}.0 }}]\n"
        ));
    }
    text
}

fn io_error(path: &std::path::Path, e: impl std::fmt::Display) -> crate::error::Error {
    crate::error::Error::Io { path: path.to_owned(), source: std::io::Error::other(e.to_string()) }
}

/// Runs the exe with `args` and returns its stdout and wall time; fails on a non-zero exit.
fn child(exe: &std::path::Path, args: &[&std::ffi::OsStr]) -> Result<(String, f64), crate::error::Error> {
    let start = Instant::now();
    let out = std::process::Command::new(exe).args(args).output().map_err(|e| io_error(exe, e))?;
    let wall = start.elapsed().as_secs_f64();
    if !out.status.success() {
        let err = String::from_utf8_lossy(&out.stderr);
        return Err(io_error(exe, format!("`{}` failed: {}", args_text(args), err.trim())));
    }
    Ok((String::from_utf8_lossy(&out.stdout).into_owned(), wall))
}

fn args_text(args: &[&std::ffi::OsStr]) -> String {
    args.iter().map(|a| a.to_string_lossy()).collect::<Vec<_>>().join(" ")
}

/// Why the slow figures were not measured.
const FULL_NOTE: &str = "not measured: pass --full (several minutes)";

/// Measures the design's performance figures for `file`'s `variant`
/// (meant for the grocery, whose figures the targets are), telling
/// `progress` what it is doing.
pub fn measure(
    file: &crate::scenario::ScenarioFile,
    variant: &str,
    plan: &BenchPlan,
    mut progress: impl FnMut(&str),
) -> Result<BenchReport, crate::error::Error> {
    let repeats = plan.repeats.max(1);
    let p = crate::prepare(file, variant)?;
    let scaled_path = plan.tmp.join("scaled.toml");
    let scaled_text = scaled_source(&file.source);
    std::fs::write(&scaled_path, &scaled_text).map_err(|e| io_error(&scaled_path, e))?;
    let scaled = crate::scenario::ScenarioFile::parse(&scaled_path, scaled_text)?;
    let seeds = 1..=repeats as u64;

    // The store-day: simulation, then its log written and read back.
    let (days, logs) = store_days(&p, seeds.clone(), plan, &mut progress)?;
    let name = &p.scenario.name;
    let mut figures = store_day_figures(name, &days, &logs);
    figures.push(scaled_day_figure(&scaled, name, seeds.clone(), plan, &mut progress)?);
    figures.push(scaled_steps_figure(&scaled, name, seeds.clone(), plan, &mut progress)?);
    figures.extend(log_figures(&p, &days, &logs));
    figures.extend(child_process_figures(file, &scaled_path, seeds, plan, &mut progress)?);
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let title = format!(
        "{} / {}: medians [min–max] over {repeats} repetition(s) (seeds 1..={repeats}), the simulation \
         on one core (replay: a second thread; the log writer: a second, and a third encoding its columns \
         side by side; `aisle compare`: all {cores} cores, once); targets are the grocery's",
        p.scenario.name, p.scenario.variant
    );
    Ok(BenchReport { title, figures })
}

/// Simulates the store-day once per seed, writing each day's log and reading it back.
fn store_days(
    p: &Prepared,
    seeds: std::ops::RangeInclusive<u64>,
    plan: &BenchPlan,
    progress: &mut impl FnMut(&str),
) -> Result<(Vec<DayFigures>, Vec<LogFigures>), crate::error::Error> {
    let (mut days, mut logs) = (Vec::new(), Vec::new());
    for seed in seeds {
        progress(&format!("{} store-day, seed {seed}", p.scenario.name));
        let (events, day) = store_day(p, seed);
        logs.push(log_round_trip(p, &events, &plan.tmp)?);
        days.push(day);
    }
    Ok((days, logs))
}

/// The store-day's figures: simulation + log, then the simulation alone and its shopper-steps.
fn store_day_figures(name: &str, days: &[DayFigures], logs: &[LogFigures]) -> Vec<Figure> {
    let visitors = median(days.iter().map(|d| d.visitors as f64).collect());
    vec![
        Figure::new(
            format!("{name} store-day ({} visitors), simulation + log", thousands(visitors.round() as u32)),
            "s",
            days.iter().zip(logs).map(|(d, l)| d.sim_s + l.write_s).collect(),
            Some(Target::AtMost(1.5)),
        ),
        Figure::new("  of which the simulation", "s", days.iter().map(|d| d.sim_s).collect(), None),
        Figure::new(
            "  shopper-steps",
            "M/s",
            days.iter().map(|d| d.shopper_steps as f64 / d.sim_s / 1e6).collect(),
            None,
        ),
    ]
}

/// The store-day scaled to the first of `SCALED_VISITORS`: simulation + log.
fn scaled_day_figure(
    scaled: &crate::scenario::ScenarioFile,
    name: &str,
    seeds: std::ops::RangeInclusive<u64>,
    plan: &BenchPlan,
    progress: &mut impl FnMut(&str),
) -> Result<Figure, crate::error::Error> {
    let five = crate::prepare(scaled, &format!("visitors-{}", SCALED_VISITORS[0]))?;
    let mut totals = Vec::new();
    for seed in seeds {
        progress(&format!("{} visitors, seed {seed}", SCALED_VISITORS[0]));
        let (events, day) = store_day(&five, seed);
        let log = log_round_trip(&five, &events, &plan.tmp)?;
        totals.push(day.sim_s + log.write_s);
    }
    Ok(Figure::new(
        format!("{name} scaled to {} visitors, simulation + log", thousands(SCALED_VISITORS[0])),
        "s",
        totals,
        Some(Target::AtMost(3.0)),
    ))
}

/// Shopper-steps per second of the store-day scaled to the last of `SCALED_VISITORS` (only with `--full`).
fn scaled_steps_figure(
    scaled: &crate::scenario::ScenarioFile,
    name: &str,
    seeds: std::ops::RangeInclusive<u64>,
    plan: &BenchPlan,
    progress: &mut impl FnMut(&str),
) -> Result<Figure, crate::error::Error> {
    let big = SCALED_VISITORS[1];
    if plan.full {
        let p20 = crate::prepare(scaled, &format!("visitors-{big}"))?;
        let mut rates = Vec::new();
        for seed in seeds {
            progress(&format!("{big} visitors, seed {seed}"));
            let (_, day) = store_day(&p20, seed);
            rates.push(day.shopper_steps as f64 / day.sim_s / 1e6);
        }
        Ok(Figure::new(
            format!("{name} scaled to {} visitors, shopper-steps", thousands(big)),
            "M/s",
            rates,
            Some(Target::AtLeast(10.0)),
        ))
    } else {
        Ok(Figure::skipped(
            format!("{name} scaled to {} visitors, shopper-steps", thousands(big)),
            "M/s",
            Target::AtLeast(10.0),
            FULL_NOTE,
        ))
    }
}

/// The log's figures (replay, reading, fold, write, size) and the store-day's flow-field memory.
fn log_figures(p: &Prepared, days: &[DayFigures], logs: &[LogFigures]) -> [Figure; 6] {
    use Target::{AtLeast, AtMost};
    let rate =
        |f: &dyn Fn(&LogFigures) -> f64| -> Vec<f64> { logs.iter().map(|l| l.events as f64 / f(l) / 1e6).collect() };
    [
        Figure::new("replay into all metrics", "M events/s", rate(&|l| l.replay_s), Some(AtLeast(25.0))),
        Figure::new("  reading the log alone", "M events/s", rate(&|l| l.read_s), None),
        Figure::new("  the metrics fold alone", "M events/s", rate(&|l| l.fold_s), None),
        Figure::new("Parquet write", "M events/s", rate(&|l| l.write_s), Some(AtLeast(8.0))),
        Figure::new(
            "Parquet size",
            "B/event",
            logs.iter().map(|l| l.bytes as f64 / l.events.max(1) as f64).collect(),
            Some(AtMost(8.0)),
        ),
        Figure::new(
            "flow fields of a store-day",
            "MiB",
            days.iter().map(|d| d.flow_field_bytes as f64 / 1048576.0).collect(),
            Some(AtMost(p.scenario.run.memory_limit_bytes as f64 / 1048576.0)),
        ),
    ]
}

/// Peak memory of `aisle run` of the last of `SCALED_VISITORS`, then the wall time of `aisle compare`:
/// both measured in child processes, only with `--full`.
fn child_process_figures(
    file: &crate::scenario::ScenarioFile,
    scaled_path: &std::path::Path,
    seeds: std::ops::RangeInclusive<u64>,
    plan: &BenchPlan,
    progress: &mut impl FnMut(&str),
) -> Result<[Figure; 2], crate::error::Error> {
    use Target::AtMost;
    let big = SCALED_VISITORS[1];
    let memory_name = format!("peak memory of `aisle run`, {} visitors", thousands(big));
    let compare_name = format!("`aisle compare {}`", file.path.display());
    if plan.full {
        let mut peaks = Vec::new();
        for seed in seeds {
            progress(&format!("aisle run, {big} visitors, seed {seed}"));
            peaks.push(run_peak_memory_mib(scaled_path, seed, plan)?);
        }
        let memory = Figure::new(memory_name, "MiB", peaks, Some(AtMost(256.0)));
        // The main job as a user runs it: every variant × 10 seeds on every core, report included.
        progress(&format!("aisle compare {} (all cores)", file.path.display()));
        let out = plan.tmp.join("compare");
        let args: Vec<&std::ffi::OsStr> =
            vec!["compare".as_ref(), file.path.as_os_str(), "--out".as_ref(), out.as_os_str()];
        let (_, wall) = child(&plan.exe, &args)?;
        std::fs::remove_dir_all(&out).ok();
        Ok([memory, Figure::new(compare_name, "s", vec![wall], Some(AtMost(60.0)))])
    } else {
        Ok([
            Figure::skipped(memory_name, "MiB", AtMost(256.0), FULL_NOTE),
            Figure::skipped(compare_name, "s", AtMost(60.0), FULL_NOTE),
        ])
    }
}

/// Peak memory (MiB) that `aisle run` of the last of `SCALED_VISITORS` with `seed` reports, in a child process.
fn run_peak_memory_mib(scaled_path: &std::path::Path, seed: u64, plan: &BenchPlan) -> Result<f64, crate::error::Error> {
    let big = SCALED_VISITORS[1];
    let out = plan.tmp.join(format!("run-{seed}"));
    let seed_text = seed.to_string();
    let variant = format!("visitors-{big}");
    let args: Vec<&std::ffi::OsStr> = vec![
        "run".as_ref(),
        scaled_path.as_os_str(),
        "--variant".as_ref(),
        variant.as_ref(),
        "--seed".as_ref(),
        seed_text.as_ref(),
        "--no-report".as_ref(),
        "--out".as_ref(),
        out.as_os_str(),
    ];
    let (stdout, _) = child(&plan.exe, &args)?;
    let peak: f64 = stdout
        .lines()
        .find_map(|l| l.trim().strip_prefix("peak memory")?.trim().strip_suffix("MiB")?.trim().parse().ok())
        .ok_or_else(|| io_error(&plan.exe, "`aisle run` printed no peak memory (not Linux?)"))?;
    std::fs::remove_dir_all(&out).ok();
    Ok(peak)
}

/// Peak resident memory of this process (Linux), KiB.
pub fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}
