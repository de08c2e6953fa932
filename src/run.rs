//! One run of (scenario, variant, seed) into a dataset: the simulation feeds
//! the Parquet writer thread and the metrics projection; the run is
//! recorded only once its log is safely in place.

use std::path::Path;

use crate::Prepared;
use crate::events::dataset::{
    Damage, Dataset, DatasetError, MetricValue, RunRecord, RunStatus, events_path, record_path,
};
use crate::events::fs::file_sha256;
use crate::events::parquet::{LogError, LogMeta, LogWriter, SCHEMA_VERSION, WrittenLog};
use crate::metrics::facts::{Fact, Walks};
use crate::metrics::{DayMetrics, DayProjection, Layout, Metric, Projection};
use crate::sim::{SimProgress, Simulation};

#[derive(Debug, thiserror::Error)]
pub enum RunError {
    #[error(transparent)]
    Log(#[from] LogError),
    #[error(transparent)]
    Dataset(#[from] DatasetError),
    #[error("{}: {source}", path.display())]
    Io { path: std::path::PathBuf, source: std::io::Error },
}

#[derive(Debug, Clone)]
pub struct RunOutcome {
    pub metrics: DayMetrics,
    /// The stylised facts of the day, folded as it ran.
    pub facts: Vec<Fact>,
    /// The named figures of the day, as written to the metrics table.
    pub scalars: Vec<Metric>,
    pub log: WrittenLog,
    pub record: RunRecord,
}

impl RunOutcome {
    /// The day's headline figures, for the terminal.
    pub fn summary(&self, p: &Prepared, seed: u64) -> String {
        let m = &self.metrics;
        let figure = |name: &str| self.scalars.iter().find(|x| x.name == name).map_or(0.0, |x| x.value);
        // The whole wait, the wait in line and the service, means.
        let waits = [figure("queue_wait_mean"), figure("line_wait_mean"), figure("service_time_mean")];
        let log = &self.log;
        // A figure with nothing to divide by (no checkouts: no basket value) is NaN: shown as a dash.
        let shown = |v: f64, decimals: usize, unit: &str| {
            if v.is_finite() { format!("{v:.decimals$}{unit}") } else { "—".to_owned() }
        };
        let sold_at = p.scenario.counter_of_product();
        let counters = p.scenario.counters.iter().enumerate().map(|(i, c)| {
            let id = &c.desk.id;
            // Those in its line at the day's hard end did not give up, but
            // their orders went unbought all the same.
            let cut_off = match m.counters.get(i).map_or(0, |c| c.cut_off) {
                0 => String::new(),
                n => format!(", {n} cut off at the day's end"),
            };
            // What shoppers wanted from it while it was closed (or out of
            // their reach) never came to its line: lost sales, which its
            // own figures do not show (a counter closed from 18:00 read
            // "0.0% gave up (0.00 unbought)").
            let (wanted, cents) = (p.scenario.products.iter().enumerate())
                .filter(|&(k, _)| sold_at[k] == Some(i as u16))
                .map(|(k, x)| (m.product_not_found[k], m.product_not_found[k] as i64 * x.price_cents))
                .fold((0, 0), |(n, c), (k, x)| (n + k, c + x));
            let closed = match wanted {
                0 => String::new(),
                n => format!(
                    ", {n} product(s) wanted while it was closed or out of reach ({:.2}, among those not found)",
                    cents as f64 / 100.0
                ),
            };
            format!(
                "  counter       `{id}`: {:.0} served, {} waiting in line, {} served, {} gave up{cut_off} ({:.2} unbought){closed}, {} busy",
                figure(&format!("counter_served/{id}")),
                shown(figure(&format!("counter_wait/{id}")), 0, " s"),
                shown(figure(&format!("counter_service/{id}")), 0, " s"),
                shown(figure(&format!("counter_gave_up/{id}")) * 100.0, 1, "%"),
                figure(&format!("counter_lost/{id}")),
                shown(figure(&format!("counter_utilisation/{id}")) * 100.0, 0, "%")
            )
        });
        let stops =
            p.scenario.fixtures.iter().filter(|f| crate::scenario::FixtureKind::STOPS.contains(&f.kind)).map(|f| {
                let id = &f.id;
                // A stop under a minute reads in seconds, not as "0.0 min".
                let minutes = figure(&format!("stop_minutes/{id}"));
                let each = if minutes < 1.0 { shown(minutes * 60.0, 0, " s") } else { shown(minutes, 1, " min") };
                format!("  stops         `{id}` ({}): {:.0} stops, {each} each", f.kind, figure(&format!("stops/{id}")))
            });
        let lines = [
            format!("{} / {} / seed {seed}", p.scenario.name, p.scenario.variant),
            format!("  visitors      {}", m.visitors),
            format!(
                "  transactions  {} (conversion {})",
                m.transactions,
                shown(figure("conversion_rate") * 100.0, 1, "%")
            ),
            format!("  revenue       {}.{:02}", m.revenue_cents / 100, m.revenue_cents % 100),
            format!(
                "  per visitor   {} revenue, basket {} ({} items), {} min in store (median)",
                shown(figure("revenue_per_visitor"), 2, ""),
                shown(figure("basket_value"), 2, ""),
                shown(figure("basket_items"), 1, ""),
                shown(figure("time_in_store_p50") / 60.0, 1, "")
            ),
            format!(
                "  checkout      {} mean from joining a line to leaving it ({} waiting, {} served{}), {} abandoned ({:.2} lost){}",
                shown(waits[0], 0, " s"),
                shown(waits[1], 0, " s"),
                shown(waits[2], 0, " s"),
                served_of_joined(m, waits),
                shown(figure("abandonment_rate") * 100.0, 1, "%"),
                figure("lost_revenue"),
                balked(m)
            ),
        ];
        let rest = [
            format!(
                "  not found     {} of planned searches ({:.2} lost sales{})",
                {
                    // A rare miss still shows: 0.05%, not 0.0% beside its lost sales.
                    let pct = figure("not_found_rate") * 100.0;
                    shown(pct, if pct > 0.0 && pct < 0.1 { 2 } else { 1 }, "%")
                },
                figure("lost_sales"),
                most_not_found(p, m)
            ),
            format!(
                "  stuck         {:.0} shopper-s frozen > {:.0} s outside lines, longest freeze {:.0} s{}, {:.0} forced out at the end{}",
                figure("stuck_shopper_s"),
                crate::metrics::freeze::STUCK_AFTER_S,
                figure("longest_freeze_s"),
                // Who and where only for a freeze that shows as a second or more.
                m.longest_freeze.filter(|f| f.seconds() >= 0.5).map_or(String::new(), |f| format!(
                    " (shopper {} {})",
                    f.shopper,
                    f.place(&p.scenario)
                )),
                figure("forced_exits"),
                match m.carried_out_cents {
                    0 => String::new(),
                    cents => format!(" (with {:.2} unpaid)", cents as f64 / 100.0),
                }
            ),
            format!(
                "  lines         someone waited at most {:.0} s with a till or terminal free{}",
                figure("longest_stall_s"),
                m.longest_stall
                    .filter(|s| s.seconds() >= 0.5)
                    .map_or(String::new(), |s| format!(" ({})", s.place(&p.scenario)))
            ),
            format!(
                "  events        {} → {} ({:.1} MiB{})",
                log.rows,
                log.path.display(),
                log.bytes as f64 / 1048576.0,
                // An empty log is all header: no size per event to speak of.
                match log.rows {
                    0 => String::new(),
                    rows => format!(", {:.1} bytes/event", log.bytes as f64 / rows as f64),
                }
            ),
        ];
        lines.into_iter().chain(counters).chain(stops).chain(rest).collect::<Vec<_>>().join("\n")
    }

    /// Warnings of the day's broken invariants: a shopper frozen longer
    /// than the freeze invariant allows (`freeze::Freeze::warning`), a
    /// line standing before a free terminal (`stall::Stall::warning`),
    /// shoppers made to leave at the day's hard end
    /// (`DayMetrics::forced_out_warning`), visitors planned who never came
    /// in (`DayMetrics::kept_out_warning`);
    /// `dir`: the dataset.
    pub fn warnings(&self, p: &Prepared, seed: u64, dir: &Path) -> Vec<String> {
        let m = &self.metrics;
        let freeze = m.longest_freeze.filter(|f| f.breaks_the_limit()).map(|f| f.warning(&p.scenario, seed, dir));
        let stall = m.longest_stall.filter(|s| s.breaks_the_limit()).map(|s| s.warning(&p.scenario, seed, dir));
        let planned = crate::sim::planned_visitors(&p.scenario, seed);
        freeze
            .into_iter()
            .chain(stall)
            .chain(m.forced_out_warning(&p.scenario))
            .chain(m.kept_out_warning(planned, &p.scenario))
            .chain(short_lines_balked(p, m))
            .collect()
    }
}

/// On a day some parties never joined a checkout's line, those lines
/// hemmed in short (`sim::short_lines`, which `aisle validate` warns of): a party larger
/// than such a line's room walks out of an empty one, and the day's
/// figures alone read as a long line.
fn short_lines_balked(p: &Prepared, m: &DayMetrics) -> Vec<String> {
    if m.balks == 0 {
        return Vec::new();
    }
    // Balks are at checkouts (a counter's are orders given up).
    crate::sim::short_desk_lines(&p.scenario, &p.store)
        .into_iter()
        .filter(|(role, _)| *role == crate::scenario::DeskRole::Checkout)
        .map(|(_, line)| {
            format!(
                "{} never joined a line, and {line}",
                crate::scenario::counted(m.balks as usize, "party", "parties")
            )
        })
        .collect()
}

/// Searches that found nothing, at least, before `most_not_found` names
/// any product.
const MOST_NOT_FOUND_FROM: u64 = 10;

/// The products that make up a fifth or more of those not found, most
/// first ("; `lottery` 50% of those not found, `cigarettes` 46%"), from
/// `MOST_NOT_FOUND_FROM` searches on: the rate counts
/// shelves searched in vain and products out of reach (a desk closed
/// then) alike, and a few products standing out say which.
fn most_not_found(p: &Prepared, m: &DayMetrics) -> String {
    // (Over a handful of searches one product is always "all of them".)
    if m.not_found < MOST_NOT_FOUND_FROM {
        return String::new();
    }
    let mut by: Vec<(usize, u64)> =
        m.product_not_found.iter().copied().enumerate().filter(|&(_, n)| n > 0 && n * 5 >= m.not_found).collect();
    by.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let named: Vec<String> = by
        .iter()
        .enumerate()
        .map(|(k, &(product, n))| {
            let share = 100.0 * n as f64 / m.not_found as f64;
            let of_them = if k == 0 { " of those not found" } else { "" };
            format!("`{}` {share:.0}%{of_them}", p.scenario.products[product].id)
        })
        .collect();
    if named.is_empty() { String::new() } else { format!("; {}", named.join(", ")) }
}

/// Whom the mean service is over, where the means of the whole wait, the
/// wait in line and the service (`[total, waiting, served]`) do not add
/// up as shown (to a second): some who joined a line were never served (gave up, or
/// were made to leave at the day's hard end), so the service's mean is
/// over fewer shoppers.
fn served_of_joined(m: &DayMetrics, [total, waiting, served]: [f64; 3]) -> String {
    let joined = m.queue_wait_s.len() as u64;
    let shown = |x: f64| x.round();
    // (Each rounded on its own, sums that add up may differ by one.)
    if m.services >= joined || (shown(total) - shown(waiting) - shown(served)).abs() <= 1.0 {
        return String::new();
    }
    match m.services {
        0 => format!(", none of the {joined} who joined was"),
        served => format!(" by the {served} of {joined} who joined and were served"),
    }
}

/// What of a day's abandons were balks ("; 40 of 64 never joined a line:
/// balked at its length"): the rate counts both, and a reader of "53.2%
/// abandoned" took them all for shoppers who gave up waiting.
fn balked(m: &DayMetrics) -> String {
    if m.balks == 0 {
        return String::new();
    }
    format!(
        "; {} of {} never joined a line, balking at its length or finding no room for their party",
        m.balks, m.abandons
    )
}

/// The self-description written into every log.
pub fn log_meta(p: &Prepared, seed: u64) -> LogMeta {
    let s = &p.scenario;
    LogMeta {
        schema_version: SCHEMA_VERSION,
        aisle_version: crate::VERSION.into(),
        scenario: s.name.clone(),
        scenario_sha256: s.source_sha256.clone(),
        variant: s.variant.clone(),
        seed,
        tick_ms: s.run.tick_ms,
        zones: s.zones.iter().map(|z| z.id.clone()).collect(),
        products: s.products.iter().map(|x| x.id.clone()).collect(),
        lanes: s.lanes.iter().map(|l| l.id.clone()).collect(),
        counters: s.counters.iter().map(|c| c.desk.id.clone()).collect(),
        floors: s.store.floors.iter().map(|f| f.id.clone()).collect(),
    }
}

/// Simulates `p` with `seed` and records the run in the dataset.
pub fn run_into(
    dataset: &mut Dataset,
    p: &Prepared,
    seed: u64,
    progress: impl FnMut(SimProgress),
) -> Result<RunOutcome, RunError> {
    let outcome = simulate_run(&dataset.dir, p, seed, progress)?;
    dataset.record(outcome.record.clone())?;
    Ok(outcome)
}

/// Simulates `p` with `seed` into `events/variant=…/seed=…/part-0.parquet`
/// under `dir` and returns its record, without touching the manifest (so
/// runs can go on in parallel and be recorded one at a time).
pub fn simulate_run(
    dir: &Path,
    p: &Prepared,
    seed: u64,
    mut progress: impl FnMut(SimProgress),
) -> Result<RunOutcome, RunError> {
    let rel = events_path(&p.scenario.variant, seed);
    let path = dir.join(&rel);
    let layout = Layout::new(p);
    let (metrics, facts, log) = write_log(&path, p, &layout, seed, &mut progress)?;
    let sha256 = file_sha256(&log.path).map_err(|source| RunError::Io { path: log.path.clone(), source })?;
    let scalars = metrics.scalars(&layout);
    let record = RunRecord {
        variant: p.scenario.variant.clone(),
        seed,
        status: RunStatus::Complete,
        path: rel,
        rows: log.rows,
        bytes: log.bytes,
        sha256,
        visitors: metrics.visitors,
        transactions: metrics.transactions,
        revenue_cents: metrics.revenue_cents,
        aisle_version: crate::VERSION.into(),
        metrics: scalars
            .iter()
            .map(|m| MetricValue { name: m.name.clone(), unit: m.unit.to_owned(), value: m.value })
            .collect(),
        scenario_sha256: p.scenario.source_sha256.clone(),
        added_at_look: None,
        planned_looks: None,
        record_sha256: String::new(),
    }
    .sealed();
    Ok(RunOutcome { metrics, facts, scalars, log, record })
}

/// Simulates into a single Parquet file at `path` (atomically), folding the
/// live stream into the day's metrics and stylised facts on the way. The
/// folds run on a thread of their own, which hands each chunk on to the
/// writer thread: the simulation's thread only simulates.
pub fn write_log(
    path: &Path,
    p: &Prepared,
    layout: &Layout,
    seed: u64,
    progress: &mut dyn FnMut(SimProgress),
) -> Result<(DayMetrics, Vec<Fact>, WrittenLog), RunError> {
    /// Chunks in flight to the folds before the simulation waits.
    const CHUNKS_IN_FLIGHT: usize = 4;
    let mut writer = LogWriter::create(path, &log_meta(p, seed))?;
    let mut sim = Simulation::sharing(p, seed);
    let (to_folds, chunks) = std::sync::mpsc::sync_channel::<Vec<crate::events::SimEvent>>(CHUNKS_IN_FLIGHT);
    std::thread::scope(|scope| {
        let folds = std::thread::Builder::new()
            .name("aisle-fold".into())
            .spawn_scoped(scope, move || -> Result<_, RunError> {
                let mut metrics = DayProjection::new(layout);
                let mut walks = Walks::new(p);
                for chunk in chunks {
                    metrics.observe_all(&chunk);
                    walks.observe_all(&chunk);
                    writer.send(&chunk)?;
                }
                let metrics = metrics.finish();
                let facts = walks.facts(&metrics);
                Ok((metrics, facts, writer.finish()?))
            })
            .map_err(|source| RunError::Io { path: path.to_path_buf(), source })?;
        // A send fails only once the folds have stopped on an error, which joining reports.
        let mut sending = true;
        sim.run_to_end(
            |chunk| {
                sending = sending && to_folds.send(std::mem::take(chunk)).is_ok();
            },
            progress,
        );
        drop(to_folds);
        folds.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic))
    })
}

/// Checks that `run`'s recorded figures are what its log (under `dir`)
/// replays to on `layout`; the first that is not, as damage. A record's
/// seal is a hash anyone can compute again, so a figure edited and sealed
/// anew passes `events::dataset::check_run`: only the log tells.
pub fn check_figures(dir: &Path, layout: &Layout, run: &RunRecord) -> Result<(), Damage> {
    let path = dir.join(&run.path);
    let mut day = DayProjection::new(layout);
    crate::events::parquet::read_log_with(&path, |events| day.observe_all(events))
        .map_err(|e| Damage::LogUnreadable { path: path.clone(), message: e.to_string() })?;
    let day = day.finish();
    // `made_by`: a record of another build, whose figures may be defined
    // otherwise (its counts are not).
    let edited = |metric: &str, recorded: f64, replayed: f64, made_by: Option<&str>| Damage::RecordFigures {
        path: dir.join(record_path(&run.variant, run.seed)),
        metric: metric.to_owned(),
        recorded,
        replayed,
        made_by: made_by.map(Into::into),
    };
    let other_build = (run.aisle_version != crate::VERSION).then_some(run.aisle_version.as_str());
    // The counts the manifest lists beside the figures.
    for (name, recorded, replayed) in [
        ("visitors", run.visitors as f64, day.visitors as f64),
        ("transactions", run.transactions as f64, day.transactions as f64),
        ("revenue_cents", run.revenue_cents as f64, day.revenue_cents as f64),
    ] {
        if recorded != replayed {
            return Err(edited(name, recorded, replayed, None));
        }
    }
    let replayed = day.scalars(layout);
    // A record of this build holds every figure its log replays to; one of
    // another build may lack those added since.
    if run.aisle_version == crate::VERSION
        && let Some(r) = replayed.iter().find(|r| !run.metrics.iter().any(|m| m.name == r.name))
    {
        return Err(Damage::RecordLacksFigure {
            path: dir.join(record_path(&run.variant, run.seed)),
            metric: r.name.clone(),
        });
    }
    // Replay equals live to the bit, so a figure either is its log's or was edited.
    let same = |a: f64, b: f64| a == b || (a.is_nan() && b.is_nan());
    for m in &run.metrics {
        let again = replayed.iter().find(|r| r.name == m.name);
        if !same(m.value, again.map_or(f64::NAN, |r| r.value)) {
            return Err(edited(&m.name, m.value, again.map_or(f64::NAN, |r| r.value), other_build));
        }
        if let Some(r) = again
            && r.unit != m.unit
        {
            return Err(Damage::RecordUnit {
                path: dir.join(record_path(&run.variant, run.seed)),
                metric: m.name.clone(),
                units: Box::new((m.unit.clone(), r.unit.to_owned())),
            });
        }
    }
    Ok(())
}
