use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use aisle::events::dataset::{Dataset, DatasetError, OnScenarioChange};
use aisle::report::ReportError;
use aisle::run::{RunError, run_into};
use aisle::scenario::{BASELINE, ScenarioError, ScenarioFile};
use clap::{Parser, Subcommand};
use indicatif::{ProgressBar, ProgressStyle};

#[derive(Parser)]
#[command(
    name = "aisle",
    version,
    about = "Event-sourced retail behaviour simulator: shoppers in 3D store layouts, every action logged to Parquet",
    after_help = "Examples:\n  aisle validate scenarios/grocery.toml\n  aisle run scenarios/grocery.toml --variant candy-at-checkout --seed 3\n\nExit codes: 0 success, 1 failure, 2 bad input."
)]
struct Cli {
    /// More log output (-v info, -vv debug).
    #[arg(short, long, action = clap::ArgAction::Count, global = true)]
    verbose: u8,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Check scenario files (the base layout and every variant) and summarise them.
    #[command(after_help = "Example:\n  aisle validate scenarios/*.toml")]
    Validate {
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
    /// Simulate one day of one variant with one seed and write its event log.
    #[command(
        after_help = "Examples:\n  aisle run scenarios/grocery.toml\n  aisle run scenarios/grocery.toml --variant close-two-lanes --seed 7 --out /tmp/grocery"
    )]
    Run {
        file: PathBuf,
        /// Variant to simulate (`baseline` is the unedited layout).
        #[arg(long, default_value = BASELINE)]
        variant: String,
        /// Random seed; the same seed gives the same log, byte for byte.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Dataset directory [default: output/<scenario name>].
        #[arg(long)]
        out: Option<PathBuf>,
        /// Discard runs of an older version of the scenario already in the dataset.
        #[arg(long)]
        replace: bool,
        /// Skip rebuilding the dataset's HTML report after the run.
        #[arg(long)]
        no_report: bool,
    },
    /// Build DIR/report/index.html from a dataset's event logs.
    #[command(after_help = "Example:\n  aisle report output/grocery")]
    Report {
        /// Dataset directory (holds manifest.json).
        dir: PathBuf,
    },
    /// Measure the performance targets: a store-day, the Parquet writer and reader, flow-field memory.
    #[command(after_help = "Example:\n  aisle bench scenarios/grocery.toml --repeats 5")]
    Bench {
        #[arg(default_value = "scenarios/grocery.toml")]
        file: PathBuf,
        #[arg(long, default_value = BASELINE)]
        variant: String,
        /// Repeats; medians are reported.
        #[arg(long, default_value_t = 3)]
        repeats: usize,
    },
}

/// Bad input (exit 2) or a failure (exit 1).
enum Failure {
    BadInput(String),
    Failed(String),
}

impl From<ScenarioError> for Failure {
    fn from(e: ScenarioError) -> Self {
        match e {
            ScenarioError::Io { .. } => Failure::BadInput(e.to_string()),
            _ => Failure::BadInput(e.to_string()),
        }
    }
}

impl From<DatasetError> for Failure {
    fn from(e: DatasetError) -> Self {
        match e {
            DatasetError::ScenarioChanged { .. } | DatasetError::BadManifest { .. } => Failure::BadInput(e.to_string()),
            DatasetError::Io { .. } => Failure::Failed(e.to_string()),
        }
    }
}

impl From<RunError> for Failure {
    fn from(e: RunError) -> Self {
        match e {
            RunError::Dataset(d) => d.into(),
            other => Failure::Failed(other.to_string()),
        }
    }
}

pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let level = match cli.verbose {
        0 => "warn",
        1 => "info",
        _ => "debug",
    };
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| level.into()))
        .with_writer(std::io::stderr)
        .init();
    let result = match cli.command {
        Command::Bench { file, variant, repeats } => bench(&file, &variant, repeats.max(1)),
        Command::Validate { files } => validate(&files),
        Command::Run { file, variant, seed, out, replace, no_report } => {
            let report = if no_report { ReportAfterRun::Skip } else { ReportAfterRun::Build };
            run(file, &variant, seed, out, replace, report)
        }
        Command::Report { dir } => report(&dir),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure::BadInput(msg)) => {
            eprintln!("{}", prefix_lines(&msg));
            ExitCode::from(2)
        }
        Err(Failure::Failed(msg)) => {
            eprintln!("{}", prefix_lines(&msg));
            ExitCode::from(1)
        }
    }
}

fn prefix_lines(msg: &str) -> String {
    msg.lines().map(|l| format!("error: {l}")).collect::<Vec<_>>().join("\n")
}

fn validate(files: &[PathBuf]) -> Result<(), Failure> {
    let mut failed = Vec::new();
    for path in files {
        match validate_one(path) {
            Ok(line) => println!("{line}"),
            Err(e) => failed.push(e.to_string()),
        }
    }
    if failed.is_empty() { Ok(()) } else { Err(Failure::BadInput(failed.join("\n"))) }
}

fn validate_one(path: &PathBuf) -> Result<String, ScenarioError> {
    let file = ScenarioFile::read(path)?;
    // Variants inherit the base layout's problems: report those once.
    let base = aisle::prepare(&file, BASELINE)?;
    let mut problems = Vec::new();
    for variant in file.variant_ids().iter().skip(1) {
        match aisle::prepare(&file, variant) {
            Ok(_) => {}
            Err(ScenarioError::Invalid { problems: ps, .. }) => problems.extend(ps),
            Err(e) => return Err(e),
        }
    }
    if !problems.is_empty() {
        return Err(ScenarioError::Invalid { path: path.clone(), problems });
    }
    let p = base;
    let s = &p.scenario;
    Ok(format!(
        "{}: ok — `{}`: {} × {} m, {} floor(s), {} fixtures, {} zones, {} checkout lanes, {} products in {} categories, {} variant(s); grid {} × {} cells of {} m",
        path.display(),
        s.name,
        s.store.width,
        s.store.depth,
        s.store.floors.len(),
        s.fixtures.len(),
        s.zones.len(),
        s.lanes.len(),
        s.products.len(),
        s.categories.len(),
        file.variant_ids().len() - 1,
        p.store.nx,
        p.store.ny,
        p.store.cell
    ))
}

/// Whether `aisle run` rebuilds the dataset's report.
#[derive(Clone, Copy, PartialEq, Eq)]
enum ReportAfterRun {
    Build,
    Skip,
}

fn run(
    path: PathBuf,
    variant: &str,
    seed: u64,
    out: Option<PathBuf>,
    replace: bool,
    report_after: ReportAfterRun,
) -> Result<(), Failure> {
    let started = Instant::now();
    let file = ScenarioFile::read(&path)?;
    let prepared = aisle::prepare(&file, variant)?;
    let s = &prepared.scenario;
    let dir = out.unwrap_or_else(|| PathBuf::from("output").join(&s.name));
    let on_change = if replace { OnScenarioChange::Replace } else { OnScenarioChange::Refuse };
    let mut dataset = Dataset::open_for(&dir, &file, on_change)?;
    let bar = ProgressBar::new(0).with_style(
        ProgressStyle::with_template("{spinner} {prefix} [{bar:30}] {msg} ({elapsed} elapsed, ETA {eta})")
            .expect("valid template")
            .progress_chars("=> "),
    );
    bar.set_prefix(format!("{} / {} / seed {seed}", s.name, s.variant));
    let open_ms = s.population.open_ms;
    let outcome = run_into(&mut dataset, &prepared, seed, |p| {
        bar.set_length(p.end_ms);
        bar.set_position(p.t_ms.min(p.end_ms));
        let clock = (open_ms + p.t_ms) / 60_000;
        bar.set_message(format!("{:02}:{:02}, {} in store, {} arrived", clock / 60, clock % 60, p.in_store, p.arrived));
    })?;
    bar.finish_and_clear();
    let m = &outcome.metrics;
    let figure = |name: &str| outcome.scalars.iter().find(|x| x.name == name).map_or(0.0, |x| x.value);
    println!("{} / {} / seed {seed}", s.name, s.variant);
    println!("  visitors      {}", m.visitors);
    println!("  transactions  {} (conversion {:.1}%)", m.transactions, figure("conversion_rate") * 100.0);
    println!("  revenue       {}.{:02}", m.revenue_cents / 100, m.revenue_cents % 100);
    println!(
        "  per visitor   {:.2} revenue, basket {:.2} ({:.1} items), {:.1} min in store (median)",
        figure("revenue_per_visitor"),
        figure("basket_value"),
        figure("basket_items"),
        figure("time_in_store_p50") / 60.0
    );
    println!(
        "  checkout      {:.0} s mean wait, {:.1}% abandoned ({:.2} lost)",
        figure("queue_wait_mean"),
        figure("abandonment_rate") * 100.0,
        figure("lost_revenue")
    );
    println!(
        "  events        {} → {} ({:.1} MiB, {:.1} bytes/event)",
        outcome.log.rows,
        outcome.log.path.display(),
        outcome.log.bytes as f64 / 1048576.0,
        outcome.log.bytes as f64 / outcome.log.rows.max(1) as f64
    );
    if report_after == ReportAfterRun::Build {
        let index = build_report(&dir)?;
        println!("  report        {}", index.display());
    }
    println!("  wall time     {:.2} s", started.elapsed().as_secs_f64());
    Ok(())
}

fn report(dir: &Path) -> Result<(), Failure> {
    let index = build_report(dir)?;
    println!("{}", index.display());
    Ok(())
}

fn build_report(dir: &Path) -> Result<PathBuf, Failure> {
    let bar = ProgressBar::new(0).with_style(
        ProgressStyle::with_template("{spinner} replaying logs for the report [{bar:30}] {pos}/{len}")
            .expect("valid template"),
    );
    let index = aisle::report::build(dir, |done, total| {
        bar.set_length(total as u64);
        bar.set_position(done as u64);
    })
    .map_err(|e| match e {
        ReportError::NotADataset { .. } | ReportError::Empty { .. } | ReportError::Scenario(_) => {
            Failure::BadInput(e.to_string())
        }
        other => Failure::Failed(other.to_string()),
    })?;
    bar.finish_and_clear();
    Ok(index)
}

fn bench(path: &PathBuf, variant: &str, repeats: usize) -> Result<(), Failure> {
    use aisle::bench::{log_round_trip, median, store_day};
    let file = ScenarioFile::read(path)?;
    let p = aisle::prepare(&file, variant)?;
    let tmp = std::env::temp_dir().join(format!("aisle-bench-{}", std::process::id()));
    std::fs::create_dir_all(&tmp).map_err(|e| Failure::Failed(format!("{}: {e}", tmp.display())))?;
    let mut days = Vec::new();
    let mut logs = Vec::new();
    let bar = ProgressBar::new(repeats as u64);
    for i in 0..repeats {
        let (events, day) = store_day(&p, 1 + i as u64);
        logs.push(log_round_trip(&p, &events, &tmp).map_err(|e| Failure::Failed(e.to_string()))?);
        days.push(day);
        bar.inc(1);
    }
    bar.finish_and_clear();
    std::fs::remove_dir_all(&tmp).ok();
    let med = |f: &dyn Fn(usize) -> f64| median((0..repeats).map(f).collect());
    let sim_s = med(&|i| days[i].sim_s);
    let write_s = med(&|i| logs[i].write_s);
    let events = med(&|i| days[i].events as f64);
    let steps_per_s = med(&|i| days[i].shopper_steps as f64 / days[i].sim_s);
    let write_rate = med(&|i| logs[i].events as f64 / logs[i].write_s);
    let read_rate = med(&|i| logs[i].events as f64 / logs[i].read_s);
    let replay_rate = med(&|i| logs[i].events as f64 / logs[i].replay_s);
    let fold_rate = med(&|i| logs[i].events as f64 / logs[i].fold_s);
    let bytes_per_event = med(&|i| logs[i].bytes as f64 / logs[i].events.max(1) as f64);
    let d = &days[0];
    println!(
        "{} / {}: medians over {repeats} store-days (seeds 1..={repeats}), one core",
        p.scenario.name, p.scenario.variant
    );
    println!("  store-day, simulation         {sim_s:8.2} s          target ≤ 10 s with the log");
    println!("  store-day, simulation + log   {:8.2} s", sim_s + write_s);
    println!("  visitors / events             {:8} / {:.0}", d.visitors, events);
    println!(
        "  shopper-steps per second      {:8.2} M        target ≥ 10 M (peak {} in store)",
        steps_per_s / 1e6,
        d.peak_in_store
    );
    println!("  parquet write                 {:8.2} M events/s  target ≥ 5 M", write_rate / 1e6);
    println!("  parquet bytes per event       {bytes_per_event:8.2}          target ≤ 12");
    println!("  parquet read                  {:8.2} M events/s", read_rate / 1e6);
    println!("  replay into all metrics       {:8.2} M events/s  target ≥ 10 M", replay_rate / 1e6);
    println!("    of which the metrics fold   {:8.2} M events/s (events in memory)", fold_rate / 1e6);
    println!(
        "  flow fields                   {:8} fields, {:.1} MiB  target ≤ 64 MiB",
        d.flow_fields,
        d.flow_field_bytes as f64 / 1048576.0
    );
    if let Some(kib) = peak_rss_kib() {
        println!("  peak memory (process)         {:8.1} MiB      target ≤ 512 MiB", kib as f64 / 1024.0);
    }
    Ok(())
}

/// Peak resident memory of this process (Linux), KiB.
fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}
