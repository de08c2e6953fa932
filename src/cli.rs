use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use aisle::events::dataset::{Dataset, DatasetError, OnScenarioChange};
use aisle::privacy::query::Mechanism;
use aisle::privacy::{NoiseSource, PrivacyError};
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
        /// Check the day against stylised facts of shopping (exit 1 if one fails).
        #[arg(long)]
        validate_behaviour: bool,
        #[command(flatten)]
        dataset: DatasetArgs,
    },
    /// Compare every variant with the baseline over R seeds (the main job).
    #[command(
        after_help = "Examples:\n  aisle compare scenarios/grocery.toml\n  aisle compare scenarios/grocery.toml --replications 20 --jobs 8\n  aisle compare scenarios/grocery.toml --target-halfwidth 0.05 --metric revenue_per_visitor\n  aisle compare scenarios/grocery.toml --shard 3/8 --out /shared/grocery   # one of 8 machines\n  aisle report /shared/grocery                                             # once all shards are done"
    )]
    Compare {
        file: PathBuf,
        /// Seeds per variant (seeds 1..=R, the same for every variant); only
        /// these are analysed, whatever else the dataset holds.
        #[arg(long, default_value_t = 10, value_parser = clap::value_parser!(u64).range(1..))]
        replications: u64,
        /// Runs at once [default: the number of cores].
        #[arg(long)]
        jobs: Option<usize>,
        /// Add replications until the paired CI half-width of --metric is below
        /// this (planned looks, Bonferroni-corrected: the stop keeps 95% coverage).
        #[arg(long, requires = "metric")]
        target_halfwidth: Option<f64>,
        /// The primary metric, whose verdict leads and is corrected across
        /// variants only (default revenue_per_visitor); also the metric of
        /// --target-halfwidth.
        #[arg(long)]
        metric: Option<String>,
        /// Most replications sequential mode may reach.
        #[arg(long, default_value_t = 100)]
        max_replications: u64,
        /// Run only the k-th of N shares of the (variant, seed) grid, e.g. 2/8.
        #[arg(long)]
        shard: Option<aisle::sweep::Shard>,
        #[command(flatten)]
        dataset: DatasetArgs,
    },
    /// Check a dataset: every log against its record, the manifest, the metrics table, releases and ledger.
    #[command(
        after_help = "Examples:\n  aisle verify output/grocery\n  aisle verify output/grocery --repair   # simulate damaged runs again\n\nExit codes: 0 the dataset is whole, 1 something is damaged (listed on stdout), 2 not a dataset."
    )]
    Verify {
        /// Dataset directory (holds manifest.json).
        dir: PathBuf,
        /// Simulate again the runs whose log or record is damaged (from the dataset's scenario copy),
        /// rebuild the manifest and the metrics table, remove leftover temporary files.
        #[arg(long)]
        repair: bool,
    },
    /// Build DIR/report/index.html from a dataset's event logs.
    #[command(after_help = "Example:\n  aisle report output/grocery")]
    Report {
        /// Dataset directory (holds manifest.json).
        dir: PathBuf,
        /// The comparison's primary metric, corrected across variants only.
        #[arg(long, default_value = aisle::compare::KEY_METRICS[0])]
        metric: String,
    },
    /// Publish differentially private figures of a dataset (one shopper-visit is the unit of privacy).
    #[command(
        after_help = "Examples:\n  aisle publish output/grocery --epsilon 1 --name weekly\n  aisle publish output/grocery --epsilon 0.5 --mechanism gaussian --delta 1e-7\n  aisle publish output/grocery --evaluate                  # privacy–utility curves, no release; reads the exact data\n  aisle publish output/grocery --local --epsilon 0.05 --points 2 --budget 20 --name trace\n\n--epsilon is the release's whole cost: the same shoppers walk every variant of a seed, so each run is calibrated at ε over the number of variants. The first release fixes the dataset's total budget (--budget, default ε = 4, δ = 1e-6); a release that would exceed it is refused (exit 2) and nothing is written. --seed makes reproducible noise for simulation studies: such a release is marked not private and spends nothing."
    )]
    Publish {
        /// Dataset directory (holds manifest.json).
        dir: PathBuf,
        /// ε this release spends in all (with --local: ε per metre for each exported point).
        #[arg(long, required_unless_present = "evaluate")]
        epsilon: Option<f64>,
        /// δ of a Gaussian release's (ε, δ) target, charged as given; the first release fixes the budget's δ.
        #[arg(long, default_value_t = 1e-6)]
        delta: f64,
        /// Name of the release directory under DIR/releases [default: release-N].
        #[arg(long)]
        name: Option<String>,
        #[arg(long, value_enum, default_value_t = MechanismArg::Laplace)]
        mechanism: MechanismArg,
        /// The dataset's total ε, fixed by its first release [default: 4].
        #[arg(long)]
        budget: Option<f64>,
        /// Seeded noise, reproducible: NOT PRIVATE, for simulation studies only; never written [default: the OS's entropy].
        #[arg(long)]
        seed: Option<u64>,
        /// Export a geo-indistinguishable position trace of one variant instead of aggregates.
        #[arg(long, conflicts_with = "evaluate")]
        local: bool,
        /// --local: the variant exported (one per release).
        #[arg(long, default_value = BASELINE)]
        variant: String,
        /// --local: points exported per shopper (drawn with replacement from their path).
        #[arg(long, default_value_t = 2)]
        points: u32,
        /// --local: lattice spacing of reported positions, metres.
        #[arg(long, default_value_t = 0.25)]
        lattice: f64,
        /// --local: time grain of reported timestamps, seconds.
        #[arg(long, default_value_t = 300)]
        grain: u64,
        /// Sweep ε and draw privacy–utility curves against the exact figures (publishes nothing).
        #[arg(long)]
        evaluate: bool,
        /// --evaluate: noise draws per ε.
        #[arg(long, default_value_t = 200)]
        trials: usize,
        /// --evaluate: the figure whose winner must stay the same.
        #[arg(long, default_value = "revenue_per_visitor")]
        metric: String,
        /// --evaluate: variants within this relative gap of the best count as winners too.
        #[arg(long, default_value_t = 0.005)]
        indifference: f64,
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

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum MechanismArg {
    /// Discrete Laplace: pure ε-DP.
    Laplace,
    /// Discrete Gaussian: zCDP, reported as (ε, δ).
    Gaussian,
}

/// Where a command writes its dataset, shared by `run` and `compare`.
#[derive(clap::Args)]
struct DatasetArgs {
    /// Dataset directory [default: output/<scenario name>].
    #[arg(long)]
    out: Option<PathBuf>,
    /// Discard runs of an older version of the scenario already in the dataset.
    #[arg(long)]
    replace: bool,
    /// Skip (re)building the dataset's HTML report.
    #[arg(long)]
    no_report: bool,
}

impl DatasetArgs {
    fn on_change(&self) -> OnScenarioChange {
        if self.replace { OnScenarioChange::Replace } else { OnScenarioChange::Refuse }
    }

    fn report(&self) -> ReportAfterRun {
        if self.no_report { ReportAfterRun::Skip } else { ReportAfterRun::Build }
    }
}

/// Bad input (exit 2) or a failure (exit 1).
enum Failure {
    BadInput(String),
    Failed(String),
}

/// Every scenario error, an unreadable file included, is the user's input.
impl From<ScenarioError> for Failure {
    fn from(e: ScenarioError) -> Self {
        Failure::BadInput(e.to_string())
    }
}

impl From<DatasetError> for Failure {
    fn from(e: DatasetError) -> Self {
        match e {
            DatasetError::ScenarioChanged { .. }
            | DatasetError::OtherScenario { .. }
            | DatasetError::BadManifest { .. }
            | DatasetError::OldLayout { .. }
            | DatasetError::Busy { .. } => Failure::BadInput(e.to_string()),
            DatasetError::Io { .. } | DatasetError::Damaged { .. } | DatasetError::ScenarioCopyChanged { .. } => {
                Failure::Failed(e.to_string())
            }
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
        Command::Run { file, variant, seed, validate_behaviour, dataset } => {
            let check = if validate_behaviour { BehaviourCheck::Facts } else { BehaviourCheck::Skip };
            run(file, &variant, seed, check, &dataset)
        }
        Command::Report { dir, metric } => report(&dir, &metric),
        Command::Verify { dir, repair } => verify(&dir, if repair { Repair::Simulate } else { Repair::None }),
        Command::Publish {
            dir,
            epsilon,
            delta,
            name,
            mechanism,
            budget,
            seed,
            local,
            variant,
            points,
            lattice,
            grain,
            evaluate,
            trials,
            metric,
            indifference,
        } => {
            let mechanism = match mechanism {
                MechanismArg::Laplace => Mechanism::DiscreteLaplace,
                MechanismArg::Gaussian => Mechanism::DiscreteGaussian,
            };
            let noise = seed.map_or(NoiseSource::OsEntropy, NoiseSource::Seeded);
            let mode = match (evaluate, local) {
                (true, _) => {
                    PublishMode::Evaluate { trials: trials.max(10), metric, indifference, seed: seed.unwrap_or(1) }
                }
                (false, true) => PublishMode::Local { lattice, grain: grain.max(1), variant, points, budget },
                (false, false) => PublishMode::Central { budget },
            };
            publish(&dir, PublishRequest { epsilon, delta, name, mechanism, noise, mode })
        }
        Command::Compare { file, replications, jobs, target_halfwidth, metric, max_replications, shard, dataset } => {
            let primary = metric.unwrap_or_else(|| aisle::compare::KEY_METRICS[0].to_owned());
            let sequential = target_halfwidth.map(|target| aisle::compare::Sequential {
                target,
                metric: primary.clone(),
                start: replications,
                cap: max_replications,
            });
            let plan = ComparePlan {
                primary,
                replications,
                jobs: jobs.unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get())),
                sequential,
                shard,
                on_change: dataset.on_change(),
                report: dataset.report(),
            };
            compare(file, dataset.out, plan)
        }
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

/// Whether `aisle run` checks the day against stylised facts.
#[derive(Clone, Copy, PartialEq, Eq)]
enum BehaviourCheck {
    Facts,
    Skip,
}

fn run(path: PathBuf, variant: &str, seed: u64, check: BehaviourCheck, args: &DatasetArgs) -> Result<(), Failure> {
    let started = Instant::now();
    let file = ScenarioFile::read(&path)?;
    let prepared = aisle::prepare(&file, variant)?;
    let s = &prepared.scenario;
    let dir = args.out.clone().unwrap_or_else(|| PathBuf::from("output").join(&s.name));
    let mut dataset = Dataset::open_for(&dir, &file, args.on_change())?;
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
    // Runs whose record or log fails its checks are left out of the manifest: say which.
    for damage in &dataset.damaged {
        eprintln!(
            "warning: {damage}; left out of the manifest (`aisle verify --repair {}` simulates it again)",
            dir.display()
        );
    }
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
        "  not found     {:.1}% of planned searches ({:.2} lost sales)",
        figure("not_found_rate") * 100.0,
        figure("lost_sales")
    );
    println!(
        "  stuck         {:.0} shopper-s frozen > {:.0} s outside lines, longest freeze {:.0} s, {:.0} forced out at the end",
        figure("stuck_shopper_s"),
        aisle::metrics::day::STUCK_AFTER_S,
        figure("longest_freeze_s"),
        figure("forced_exits")
    );
    println!(
        "  events        {} → {} ({:.1} MiB, {:.1} bytes/event)",
        outcome.log.rows,
        outcome.log.path.display(),
        outcome.log.bytes as f64 / 1048576.0,
        outcome.log.bytes as f64 / outcome.log.rows.max(1) as f64
    );
    if args.report() == ReportAfterRun::Build {
        let index = build_report(&dir, KEY_METRICS_PRIMARY)?;
        println!("  report        {}", index.display());
    }
    println!("  wall time     {:.2} s", started.elapsed().as_secs_f64());
    if check == BehaviourCheck::Facts {
        let (_, events) =
            aisle::events::parquet::read_log(&outcome.log.path).map_err(|e| Failure::Failed(e.to_string()))?;
        let facts = aisle::metrics::facts::stylised_facts(&prepared, &events);
        println!("\nstylised facts (replayed from the log):");
        for f in &facts {
            println!("  {} {:<50} {:.3}  target {}", if f.holds { "ok  " } else { "FAIL" }, f.name, f.value, f.target);
            println!("       source: {}", f.source);
        }
        let failed: Vec<&str> = facts.iter().filter(|f| !f.holds).map(|f| f.name).collect();
        if !failed.is_empty() {
            return Err(Failure::Failed(format!("behaviour does not match: {}", failed.join(", "))));
        }
    }
    Ok(())
}

/// Whether `aisle verify` mends what it can.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Repair {
    None,
    Simulate,
}

fn verify(dir: &Path, repair: Repair) -> Result<(), Failure> {
    use aisle::verify::{Severity, VerifyError};
    let failure = |e: VerifyError| match e {
        VerifyError::NotADataset { .. } | VerifyError::Scenario(_) => Failure::BadInput(e.to_string()),
        VerifyError::Dataset(d) => d.into(),
        other => Failure::Failed(other.to_string()),
    };
    let mut found = aisle::verify::verify(dir).map_err(failure)?;
    if repair == Repair::Simulate && !found.findings.is_empty() {
        for f in &found.findings {
            println!("found: {}", f.message);
        }
        let done = aisle::verify::repair(dir, &found, |variant, seed| {
            println!("repair: simulating {variant} / seed {seed} again");
        })
        .map_err(failure)?;
        println!(
            "repaired: {} run(s) simulated again, {} leftover temporary file(s) removed",
            done.runs.len(),
            done.leftovers
        );
        found = aisle::verify::verify(dir).map_err(failure)?;
    }
    for f in &found.findings {
        let tag = match f.severity {
            Severity::Damage => "damaged",
            Severity::Note => "note",
        };
        println!("{tag}: {}", f.message);
    }
    let damaged = found.damaged();
    if damaged > 0 {
        let hint = match repair {
            Repair::None => format!("; `aisle verify --repair {}` simulates damaged runs again", dir.display()),
            Repair::Simulate => String::new(),
        };
        return Err(Failure::Failed(format!(
            "{}: {damaged} problem(s) found, {} run(s) verified{hint}",
            dir.display(),
            found.runs_ok
        )));
    }
    println!("{}: ok — {} run(s) verified", dir.display(), found.runs_ok);
    Ok(())
}

fn report(dir: &Path, primary: &str) -> Result<(), Failure> {
    // Held while the report is written: a --replace cannot discard the runs under it.
    let _lock = aisle::events::dataset::WriterLock::existing(dir)?;
    let index = build_report(dir, primary)?;
    println!("{}", index.display());
    Ok(())
}

/// The primary metric when none is named.
const KEY_METRICS_PRIMARY: &str = aisle::compare::KEY_METRICS[0];

fn build_report(dir: &Path, primary: &str) -> Result<PathBuf, Failure> {
    let bar = ProgressBar::new(0).with_style(
        ProgressStyle::with_template("{spinner} replaying logs for the report [{bar:30}] {pos}/{len}")
            .expect("valid template"),
    );
    let design = aisle::compare::Design { primary: primary.to_owned(), ..Default::default() };
    let index = aisle::report::build_with(dir, &design, |done, total| {
        bar.set_length(total as u64);
        bar.set_position(done as u64);
    })
    .map_err(|e| match e {
        ReportError::NotADataset { .. }
        | ReportError::Empty { .. }
        | ReportError::Scenario(_)
        | ReportError::UnknownMetric { .. } => Failure::BadInput(e.to_string()),
        other => Failure::Failed(other.to_string()),
    })?;
    bar.finish_and_clear();
    Ok(index)
}

/// What `aisle publish` does.
enum PublishMode {
    Central { budget: Option<f64> },
    Local { lattice: f64, grain: u64, variant: String, points: u32, budget: Option<f64> },
    Evaluate { trials: usize, metric: String, indifference: f64, seed: u64 },
}

struct PublishRequest {
    epsilon: Option<f64>,
    delta: f64,
    name: Option<String>,
    mechanism: Mechanism,
    noise: NoiseSource,
    mode: PublishMode,
}

impl From<PrivacyError> for Failure {
    fn from(e: PrivacyError) -> Self {
        match e {
            PrivacyError::Io { .. } | PrivacyError::Entropy { .. } | PrivacyError::Log(_) | PrivacyError::Report(_) => {
                Failure::Failed(e.to_string())
            }
            PrivacyError::Ledger(aisle::privacy::LedgerError::Io { .. }) => Failure::Failed(e.to_string()),
            PrivacyError::Dataset(d) => d.into(),
            _ => Failure::BadInput(e.to_string()),
        }
    }
}

fn publish(dir: &Path, r: PublishRequest) -> Result<(), Failure> {
    use aisle::privacy::contrib::Bounds;
    use aisle::privacy::ledger::Budget;
    use aisle::privacy::{check_parameter, evaluate, local, release};
    let bar = ProgressBar::new(0).with_style(
        ProgressStyle::with_template("{spinner} {prefix} [{bar:30}] {pos}/{len} ({elapsed}, ETA {eta})")
            .expect("valid template")
            .progress_chars("=> "),
    );
    let progress = |done: usize, total: usize| {
        bar.set_length(total as u64);
        bar.set_position(done as u64);
    };
    let delta = check_parameter("delta", r.delta, 0.01)?;
    let budget_of = |b: Option<f64>| -> Result<Option<Budget>, Failure> {
        Ok(match b {
            Some(b) => Some(Budget { epsilon: check_parameter("budget", b, 100.0)?, delta }),
            None => None,
        })
    };
    let name = r.name.unwrap_or_else(|| {
        (1..)
            .map(|k| format!("release-{k}"))
            .find(|n| !dir.join(aisle::events::dataset::RELEASES).join(n).exists())
            .expect("a free name")
    });
    match r.mode {
        PublishMode::Evaluate { trials, metric, indifference, seed } => {
            let plan = evaluate::EvaluatePlan {
                epsilons: evaluate::EPSILONS.to_vec(),
                trials,
                heat_trials: (trials / 10).max(5),
                mechanism: r.mechanism,
                delta,
                bounds: Bounds::default(),
                seed,
                metric,
                target: 0.95,
                indifference,
            };
            bar.set_prefix("replaying logs");
            let g = release::gather(dir, &plan.bounds, progress)?;
            if !g.variants.iter().any(|v| v.runs.iter().any(|run| run.truth.contains_key(&plan.metric))) {
                return Err(Failure::BadInput(format!("--metric {}: no run records this metric", plan.metric)));
            }
            bar.set_prefix("noise draws per ε");
            bar.set_length(plan.epsilons.len() as u64);
            bar.set_position(0);
            let e = evaluate::evaluate(&g, &plan, || bar.inc(1));
            bar.finish_and_clear();
            let out = dir.join(aisle::events::dataset::PRIVACY_EVALUATION);
            let title = format!(
                "{}: privacy–utility of {} releases ({} variants × {} days, {} draws per ε)",
                g.scenario,
                r.mechanism,
                g.variants.len(),
                g.variants[0].runs.len(),
                trials
            );
            e.save(&out, &title).map_err(Failure::Failed)?;
            println!("{title}");
            println!(
                "exact {}: {}",
                e.metric,
                e.truth.iter().map(|(v, x)| format!("{v} {x:.4}")).collect::<Vec<_>>().join(", ")
            );
            println!("true winners (within {:.1}% of the best): {}\n", indifference * 100.0, e.true_winners.join(", "));
            print!("{}", e.table());
            match e.recommended {
                Some(eps) => {
                    println!("\nrecommended: ε = {eps}, the smallest tried that picks a true winner in ≥ 95% of draws")
                }
                None => println!(
                    "\nno ε tried keeps the winner right in 95% of draws: the variants are too close to tell apart privately"
                ),
            }
            println!("curves: {}", out.join("utility.png").display());
            println!(
                "note: each ε is a release's whole cost ({} run(s) per seed share their shoppers). This evaluation {}.",
                g.sharing.runs_per_seed,
                evaluate::READS_EXACT_DATA
            );
        }
        PublishMode::Local { lattice, grain, variant, points, budget } => {
            let epsilon = check_parameter("epsilon", r.epsilon.expect("clap requires it"), 20.0)?;
            let plan = local::LocalPlan {
                name,
                variant,
                epsilon_per_metre: epsilon,
                lattice_m: check_parameter("lattice", lattice, 10.0)?,
                grain_s: grain,
                points_per_shopper: points,
                budget: budget_of(budget)?,
                noise: r.noise,
            };
            bar.set_prefix("noising positions");
            let (out, guarantee) = local::export(dir, &plan, progress)?;
            bar.finish_and_clear();
            println!("local release of variant {} → {}", plan.variant, out.display());
            println!(
                "  each point: ε = {epsilon} per metre plus {:.4} for snapping to the {lattice} m lattice; {points} point(s) per shopper; times to {grain} s; pseudonyms under a key that was not kept",
                guarantee.snapping_epsilon + guarantee.rounding_epsilon
            );
            println!("  not protected: presence (one pseudonym per shopper), times to the grain, floors");
            print_spend(r.noise, guarantee.charged_epsilon, None, &done_ledger(dir)?);
        }
        PublishMode::Central { budget } => {
            let epsilon = check_parameter("epsilon", r.epsilon.expect("clap requires it"), 20.0)?;
            let plan = release::PublishPlan {
                name,
                epsilon,
                delta,
                mechanism: r.mechanism,
                budget: budget_of(budget)?,
                bounds: Bounds::default(),
                noise: r.noise,
            };
            bar.set_prefix("replaying logs");
            let done = release::publish(dir, &plan, progress)?;
            bar.finish_and_clear();
            println!("release → {}", done.dir.join("index.html").display());
            println!(
                "  {} run(s) per seed hold the same shoppers (one per variant): each run's queries get 1/{} of the release's budget",
                done.sharing.runs_per_seed, done.sharing.runs_per_seed
            );
            let release_delta = (r.mechanism == Mechanism::DiscreteGaussian).then_some(delta);
            print_spend(r.noise, epsilon, release_delta, &done_ledger(dir)?);
        }
    }
    Ok(())
}

/// The dataset's ledger after a release, for the summary.
fn done_ledger(dir: &Path) -> Result<aisle::privacy::ledger::Ledger, Failure> {
    Ok(aisle::privacy::ledger::Ledger::open(dir, None).map_err(PrivacyError::from)?)
}

/// What a release cost and what the dataset has spent, or that it was not private.
fn print_spend(noise: NoiseSource, epsilon: f64, delta: Option<f64>, ledger: &aisle::privacy::ledger::Ledger) {
    let spent = ledger.spent();
    let b = ledger.budget;
    if noise.record().is_private() {
        match delta {
            Some(d) => println!("  this release: (ε, δ) = ({epsilon}, {d:e})"),
            None => println!("  this release: ε = {epsilon}"),
        }
        println!(
            "  the dataset's private releases: ε = {:.4}, δ = {} by {} — of the budget ε = {} (δ = {:e}); {:.4} left",
            spent.epsilon,
            if spent.delta == 0.0 { "0".to_owned() } else { format!("{:e}", spent.delta) },
            spent.by.describe(),
            b.epsilon,
            b.delta,
            (b.epsilon - spent.epsilon).max(0.0)
        );
    } else {
        println!(
            "  {}: this release spends nothing and protects no one; publish without --seed for a private release",
            aisle::privacy::ledger::NOT_PRIVATE
        );
    }
    println!("  noise: {}", noise.describe());
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

struct ComparePlan {
    primary: String,
    replications: u64,
    jobs: usize,
    sequential: Option<aisle::compare::Sequential>,
    shard: Option<aisle::sweep::Shard>,
    on_change: OnScenarioChange,
    report: ReportAfterRun,
}

fn compare(path: PathBuf, out: Option<PathBuf>, plan: ComparePlan) -> Result<(), Failure> {
    use aisle::compare::{Comparison, Design, KEY_METRICS, Look, format_p};
    use aisle::sweep::{SweepEvent, grid, run_sweep};
    use indicatif::MultiProgress;
    use std::collections::HashMap;
    use std::sync::Mutex;

    let started = Instant::now();
    let file = ScenarioFile::read(&path)?;
    // Validate every variant before any work starts.
    for v in file.variant_ids() {
        aisle::prepare(&file, &v)?;
    }
    let name = file.raw.scenario.name.clone();
    let dir = out.unwrap_or_else(|| PathBuf::from("output").join(&name));
    // Refuse a bad --metric before anything is written.
    if !dataset_metric_names(&file)?.contains(&plan.primary) {
        return Err(Failure::BadInput(format!(
            "--metric `{}` is not a metric; try revenue_per_visitor, conversion_rate, queue_wait_mean",
            plan.primary
        )));
    }
    let design = match &plan.sequential {
        Some(seq) => {
            println!("sequential: {}", seq.guarantee());
            seq.design(&plan.primary)
        }
        None => Design { primary: plan.primary.clone(), ..Design::default() },
    };
    let mut dataset = Dataset::open_for(&dir, &file, plan.on_change)?;
    let variants = file.variant_ids();
    let multi = MultiProgress::new();
    let style = |t: &str| ProgressStyle::with_template(t).expect("valid template").progress_chars("=> ");
    let mut replications = plan.sequential.as_ref().map_or(plan.replications, |seq| seq.looks()[0]);
    let comparison: Comparison = loop {
        let seeds: Vec<u64> = (1..=replications).collect();
        let cells = grid(&variants, &seeds, plan.shard);
        let overall = multi.add(
            ProgressBar::new(cells.len() as u64)
                .with_style(style("{prefix:>10} [{bar:40}] {pos}/{len} runs ({elapsed} elapsed, ETA {eta})")),
        );
        overall.set_prefix("sweep");
        let bars: Mutex<HashMap<(String, u64), ProgressBar>> = Mutex::new(HashMap::new());
        let count = run_sweep(&file, &mut dataset, &cells, plan.jobs, |event| match event {
            SweepEvent::Started { cell } => {
                let bar = multi
                    .insert_before(&overall, ProgressBar::new(1).with_style(style("{prefix:>30} [{bar:20}] {msg}")));
                bar.set_prefix(format!("{} / seed {}", cell.variant, cell.seed));
                bars.lock().expect("bars").insert((cell.variant.clone(), cell.seed), bar);
            }
            SweepEvent::Progress { cell, progress } => {
                if let Some(bar) = bars.lock().expect("bars").get(&(cell.variant.clone(), cell.seed)) {
                    bar.set_length(progress.end_ms);
                    bar.set_position(progress.t_ms.min(progress.end_ms));
                    bar.set_message(format!("{} in store", progress.in_store));
                }
            }
            SweepEvent::Finished { cell, .. } => {
                if let Some(bar) = bars.lock().expect("bars").remove(&(cell.variant.clone(), cell.seed)) {
                    bar.finish_and_clear();
                }
                overall.inc(1);
            }
        })
        .map_err(|e| match e {
            aisle::sweep::SweepError::Scenario(e) => Failure::from(e),
            aisle::sweep::SweepError::Run(e) => Failure::from(e),
            other => Failure::Failed(other.to_string()),
        })?;
        overall.finish_and_clear();
        println!(
            "{} runs simulated, {} reused from the dataset ({} seeds × {} variants{})",
            count.simulated,
            count.reused,
            seeds.len(),
            variants.len(),
            plan.shard.map(|s| format!(", shard {}/{}", s.k, s.n)).unwrap_or_default()
        );
        let comparison =
            Design { replications: Some(replications), ..design.clone() }.compare(&dataset.manifest.runs, &variants);
        let Some(seq) = &plan.sequential else { break comparison };
        let width = |w: Option<f64>| w.map_or("undefined (no interval)".to_owned(), |w| format!("{w:.4}"));
        match seq.decide(&comparison, replications) {
            Look::Reached { widest } => {
                println!(
                    "sequential: paired CI half-width of {} is {widest:.4} ≤ {} after {replications} replications: target reached",
                    seq.metric, seq.target
                );
                break comparison;
            }
            Look::Capped { widest } => {
                println!(
                    "sequential: paired CI half-width of {} is {} > {} at the cap of {} replications: target NOT reached",
                    seq.metric,
                    width(widest),
                    seq.target,
                    seq.cap
                );
                break comparison;
            }
            Look::Continue { widest, next } => {
                println!(
                    "sequential: half-width {} > {}; adding replications {}..={next}",
                    width(widest),
                    seq.target,
                    replications + 1
                );
                replications = next;
            }
        }
    };
    let json = serde_json::to_string_pretty(&comparison).expect("comparison serialises");
    let out_path = dir.join(aisle::events::dataset::COMPARISON);
    aisle::events::fs::write_atomic(&out_path, json.as_bytes())
        .map_err(|e| Failure::Failed(format!("{}: {e}", out_path.display())))?;
    println!();
    println!("{}", comparison.summary());
    println!();
    let keys = std::iter::once(comparison.primary.as_str())
        .chain(KEY_METRICS.iter().copied().filter(|m| *m != comparison.primary));
    for metric in keys {
        let Some(m) = comparison.metric(metric) else { continue };
        println!("{metric} ({})", m.unit);
        for v in &m.variants {
            let e = &v.estimate;
            let estimate = match (e.lo, e.hi) {
                (Some(lo), Some(hi)) => format!("{:>12.4} [{lo:.4}, {hi:.4}]", e.mean),
                _ => format!("{:>12.4} (no interval)", e.mean),
            };
            match &v.versus_baseline {
                None => println!("  {:<24} {estimate}", v.variant),
                Some(d) => println!(
                    "  {:<24} {estimate}  {}  (p {}, adjusted {}; CI half-width paired {} vs unpaired {})",
                    v.variant,
                    d.verdict,
                    d.p.map_or("—".into(), format_p),
                    d.p_adjusted.map_or("—".into(), format_p),
                    d.half_width().map_or("—".into(), |h| format!("{h:.4}")),
                    d.unpaired.map_or("—".into(), |(lo, hi)| format!("{:.4}", (hi - lo) / 2.0)),
                ),
            }
        }
    }
    if let Some(m) = comparison.metric(&comparison.primary) {
        let needs: Vec<String> = m
            .variants
            .iter()
            .filter_map(|v| {
                let r = v.versus_baseline.as_ref()?.replications_for_1pct?;
                Some(format!("{}: {} ({} to {})", v.variant, r.n, r.lo, r.hi))
            })
            .collect();
        if !needs.is_empty() {
            println!(
                "\nreplications to detect a 1% change in {} with 80% power (paired t at the level of its first Holm step; in brackets, from the ends of the spread's 95% interval): {}",
                comparison.primary.replace('_', " "),
                needs.join(", ")
            );
        }
    }
    if plan.report == ReportAfterRun::Build && plan.shard.is_none() {
        let index = build_report(&dir, &plan.primary)?;
        println!("report: {}", index.display());
    }
    println!("comparison: {} ({:.1} s)", out_path.display(), started.elapsed().as_secs_f64());
    Ok(())
}

/// Names of the metrics a run of this scenario reports.
fn dataset_metric_names(file: &ScenarioFile) -> Result<Vec<String>, Failure> {
    let p = aisle::prepare(file, BASELINE)?;
    let layout = aisle::metrics::Layout::new(&p);
    Ok(aisle::metrics::DayMetrics::metric_names(&layout))
}
