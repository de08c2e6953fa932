//! The command line's arguments (clap): commands, their flags and help.

use std::path::PathBuf;

use aisle::events::dataset::{OnScenarioChange, default_dir};
use aisle::privacy::NoiseSource;
use aisle::privacy::contrib::{Bound, Bounds, parse_clamp};
use aisle::privacy::query::Mechanism;
use aisle::privacy::request::{PublishMode, PublishRequest};
use aisle::scenario::{BASELINE, ScenarioFile};
use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(
    name = "aisle",
    version,
    about = "Event-sourced retail behaviour simulator: shoppers in 3D store layouts, every action logged to Parquet",
    after_help = "Examples:\n  aisle validate scenarios/grocery.toml\n  aisle run scenarios/grocery.toml --variant candy-at-checkout --seed 3\n\nExit codes: 0 success, 1 failure, 2 bad input, 130 a sweep stopped by Ctrl-C."
)]
pub(super) struct Cli {
    #[command(subcommand)]
    pub(super) command: Command,
}

#[derive(Subcommand)]
pub(super) enum Command {
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
        #[arg(long, default_value_t = 1, allow_negative_numbers = true, value_parser = run_seed)]
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
        #[arg(long, default_value_t = 10, allow_negative_numbers = true, value_parser = whole::<1, MOST_REPLICATIONS>)]
        replications: u64,
        /// Runs at once, and threads replaying logs for the report [default: the number of cores].
        #[arg(long, allow_negative_numbers = true, value_parser = clap::builder::RangedU64ValueParser::<usize>::new().range(1..=4096))]
        jobs: Option<usize>,
        /// Add replications until the paired CI half-width of --metric is below
        /// this (planned looks, Bonferroni-corrected: the stop keeps 95% coverage).
        /// Needs --metric named: the half-width is in its units.
        #[arg(long, requires = "metric", allow_negative_numbers = true, value_parser = positive_finite)]
        target_halfwidth: Option<f64>,
        /// The primary metric, whose verdict leads and is corrected across
        /// variants only [default: the one a comparison of the dataset declared,
        /// else revenue_per_visitor]; also the metric of --target-halfwidth.
        #[arg(long)]
        metric: Option<String>,
        /// Most replications sequential mode may reach.
        #[arg(long, default_value_t = 100, allow_negative_numbers = true, value_parser = whole::<1, MOST_REPLICATIONS>, requires = "target_halfwidth")]
        max_replications: u64,
        /// Run only the k-th of N shares of the (variant, seed) grid, e.g. 2/8.
        /// Not with --target-halfwidth: a shard holds no pairs to look at, so
        /// its looks would run to the cap and hold the dataset to their level.
        #[arg(long, conflicts_with = "target_halfwidth")]
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
        /// The comparison's primary metric, corrected across variants only [default: that of the saved
        /// comparison (compare/comparison.json), whose level and seeds the page keeps too where comparing the
        /// runs by them gives it back; else revenue_per_visitor].
        #[arg(long)]
        metric: Option<String>,
    },
    /// Publish differentially private figures of a dataset (one shopper-visit is the unit of privacy).
    #[command(
        after_help = "Examples:\n  aisle publish output/grocery --epsilon 1 --name weekly\n  aisle publish output/grocery --epsilon 0.5 --mechanism gaussian --delta 1e-7\n  aisle publish output/grocery --evaluate                  # privacy–utility curves, no release; reads the exact data\n  aisle publish output/grocery --local --epsilon 0.05 --points 2 --budget 20 --name trace\n\n--epsilon is the release's whole cost: the same shoppers walk every variant of a seed, so each run is calibrated at ε over the number of variants. The first release fixes the dataset's total budget (--budget, default ε = 4, δ = 1e-6); a release that would exceed it is refused (exit 2) and nothing is written. --seed makes reproducible noise for simulation studies: such a release is marked not private and spends nothing."
    )]
    Publish(PublishArgs),
    /// Measure every performance figure of the design against its target: store-days of 2,500 (the
    /// grocery), 5,000 and (--full) 20,000 visitors, replay, the Parquet log, peak memory, the main job.
    #[command(
        after_help = "Examples:\n  aisle bench                        # about two minutes on one core\n  aisle bench --repeats 5 --full     # adds the 20,000-visitor day, the peak memory of `aisle run` and `aisle compare`\n\nEach figure is the median over the repetitions with its min–max, its target and whether it meets it; the targets are the grocery's."
    )]
    Bench {
        #[arg(default_value = "scenarios/grocery.toml")]
        file: PathBuf,
        #[arg(long, default_value = BASELINE)]
        variant: String,
        /// Repetitions (seeds 1..=N) of each store-day; medians with min–max are reported.
        #[arg(long, default_value_t = 3)]
        repeats: usize,
        /// Also measure the slow figures (several minutes): 20,000 visitors' shopper-steps per second,
        /// the peak memory of `aisle run` of 20,000 visitors, and `aisle compare FILE` on every core.
        #[arg(long)]
        full: bool,
    },
    /// The crowd benchmark shared with pedestrian simulators: agents placed at once on a lattice in an
    /// open 60 × 60 m hall walk to one door; prints agent-steps per second (`benches/crowd_vs_jupedsim.py`
    /// runs JuPedSim on the same hall).
    #[command(
        after_help = "Examples:\n  aisle bench-hall                         # 500 and 5,000 agents, 60 s at 0.1 s steps\n  aisle bench-hall --agents 1000 --seconds 30 --dt 0.05"
    )]
    BenchHall {
        /// Crowd sizes, comma-separated (1 to 5,000: the lattice must fit the hall).
        #[arg(long, value_delimiter = ',', default_value = "500,5000", value_parser = clap::value_parser!(u32).range(1..=5000))]
        agents: Vec<u32>,
        /// Simulated seconds per crowd (more than 0, at most 3,600).
        #[arg(long, default_value_t = 60.0, value_parser = seconds_within::<0, 3600>)]
        seconds: f64,
        /// Time step, seconds (0.01 to 1, whole milliseconds).
        #[arg(long, default_value_t = 0.1, value_parser = time_step)]
        dt: f64,
    },
}

/// What `aisle publish` is asked.
#[derive(clap::Args)]
pub(super) struct PublishArgs {
    /// Dataset directory (holds manifest.json).
    pub(super) dir: PathBuf,
    /// ε this release spends in all (with --local: ε per metre for each exported point).
    #[arg(long, required_unless_present = "evaluate", conflicts_with = "evaluate", allow_negative_numbers = true)]
    pub(super) epsilon: Option<f64>,
    /// δ of a Gaussian release's (ε, δ) target: the ledger adds up its zCDP cost, read at the budget's δ (this δ when
    /// the first release sets --budget, else 1e-6) [default: 1e-6]. Unused, and warned of, otherwise.
    #[arg(long, allow_negative_numbers = true)]
    pub(super) delta: Option<f64>,
    /// Name of the release directory under DIR/releases [default: release-N].
    #[arg(long, conflicts_with = "evaluate")]
    pub(super) name: Option<String>,
    #[arg(long, value_enum, default_value_t = MechanismArg::Laplace, conflicts_with = "local")]
    pub(super) mechanism: MechanismArg,
    /// The dataset's total ε, fixed by its first release [default: 4].
    #[arg(long, allow_negative_numbers = true, conflicts_with = "evaluate")]
    pub(super) budget: Option<f64>,
    /// Seeded noise, reproducible: NOT PRIVATE, for simulation studies only; never written [default: the OS's entropy].
    #[arg(long, allow_negative_numbers = true, value_parser = seed)]
    pub(super) seed: Option<u64>,
    /// Export a geo-indistinguishable position trace of one variant instead of aggregates.
    #[arg(long, conflicts_with = "evaluate")]
    pub(super) local: bool,
    /// --local: the variant exported (one per release).
    #[arg(long, default_value = BASELINE, requires = "local")]
    pub(super) variant: String,
    /// --local: points exported per shopper, 1 to 1000 (drawn with replacement from their path).
    #[arg(long, default_value_t = 2, allow_negative_numbers = true, requires = "local")]
    pub(super) points: u32,
    /// --local: lattice spacing of reported positions, metres.
    #[arg(long, default_value_t = 0.25, allow_negative_numbers = true, requires = "local")]
    pub(super) lattice: f64,
    /// --local: time grain of reported timestamps, seconds.
    #[arg(long, default_value_t = 300, requires = "local", allow_negative_numbers = true, value_parser = clap::value_parser!(u64).range(1..=86_400))]
    pub(super) grain: u64,
    /// A bound on one shopper's contribution, NAME=VALUE, repeatable: basket (currency units, default 150), items
    /// (60), visit (seconds, 3600), wait (seconds, 900), zone and block (seconds in one zone, 600, or heat block,
    /// 120), zones and blocks (how many count, 4 and 12),
    /// party (members of a party that count: its leader and the first companions in, 4; the one bound a --local
    /// export takes). Set them from what is known without the data.
    #[arg(long, value_name = "NAME=VALUE", value_parser = parse_clamp)]
    pub(super) clamp: Vec<(Bound, f64)>,
    /// Sweep ε and draw privacy–utility curves against the exact figures (publishes nothing).
    #[arg(long)]
    pub(super) evaluate: bool,
    // The three below are refused without --evaluate in `request`, and
    // take their defaults there: clap's `requires` counts a flag's default
    // (false) as given, and let `--metric basket_value` without --evaluate
    // through, silently unused.
    /// --evaluate: noise draws per ε (at least 10) [default: 200]
    #[arg(long, allow_negative_numbers = true, value_parser = clap::value_parser!(u32).range(10..=1_000_000))]
    pub(super) trials: Option<u32>,
    /// --evaluate: the figure whose winner must stay the same [default: revenue_per_visitor]
    #[arg(long)]
    pub(super) metric: Option<String>,
    /// --evaluate: variants within this relative gap of the best count as winners too [default: 0.005]
    #[arg(long, allow_negative_numbers = true)]
    pub(super) indifference: Option<f64>,
}

impl PublishArgs {
    pub(super) fn request(self) -> PublishRequest {
        let mechanism = match self.mechanism {
            MechanismArg::Laplace => Mechanism::DiscreteLaplace,
            MechanismArg::Gaussian => Mechanism::DiscreteGaussian,
        };
        let noise = self.seed.map_or(NoiseSource::OsEntropy, NoiseSource::Seeded);
        let given = [
            ("--trials", self.trials.is_some()),
            ("--metric", self.metric.is_some()),
            ("--indifference", self.indifference.is_some()),
        ];
        if let Some((flag, _)) = given.into_iter().find(|&(_, given)| given && !self.evaluate) {
            let message = format!(
                "{flag} applies to --evaluate only (the privacy–utility curves): a release does not use it; leave it out\n"
            );
            clap::Error::raw(clap::error::ErrorKind::MissingRequiredArgument, message).exit();
        }
        let trials = self.trials.unwrap_or(200) as usize;
        let metric = self.metric.unwrap_or_else(|| "revenue_per_visitor".to_owned());
        let indifference = self.indifference.unwrap_or(0.005);
        let mode = match (self.evaluate, self.local) {
            (true, _) => PublishMode::Evaluate { trials, metric, indifference, seed: self.seed.unwrap_or(1) },
            (false, true) => PublishMode::Local {
                lattice: self.lattice,
                grain: self.grain,
                variant: self.variant,
                points: self.points,
                budget: self.budget,
            },
            (false, false) => PublishMode::Central { budget: self.budget },
        };
        let twice = self.clamp.iter().enumerate().find(|(i, (b, _))| self.clamp[..*i].iter().any(|(a, _)| a == b));
        if let Some((_, (bound, _))) = twice {
            let message = format!("--clamp {} is given twice; give each bound once\n", bound.name());
            clap::Error::raw(clap::error::ErrorKind::ArgumentConflict, message).exit();
        }
        // A local export has no figures to clamp: only the party cap bounds it.
        let figure = self.clamp.iter().find(|(b, _)| *b != Bound::Party).filter(|_| self.local && !self.evaluate);
        if let Some((bound, _)) = figure {
            let message = format!(
                "--clamp {} does not apply to --local: an export's points have no figures to clamp; only --clamp \
                 party=M (the members of a party exported) does\n",
                bound.name()
            );
            clap::Error::raw(clap::error::ErrorKind::ArgumentConflict, message).exit();
        }
        let bounds = self.clamp.iter().fold(Bounds::default(), |b, &(bound, value)| b.with(bound, value));
        PublishRequest { epsilon: self.epsilon, delta: self.delta, name: self.name, mechanism, noise, mode, bounds }
    }
}

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(super) enum MechanismArg {
    /// Discrete Laplace: pure ε-DP.
    Laplace,
    /// Discrete Gaussian: zCDP, reported as (ε, δ).
    Gaussian,
}

/// Where a command writes its dataset, shared by `run` and `compare`.
#[derive(clap::Args)]
pub(super) struct DatasetArgs {
    /// Dataset directory [default: output/<scenario name>].
    #[arg(long)]
    pub(super) out: Option<PathBuf>,
    /// Discard runs of an older version of the scenario already in the dataset.
    #[arg(long)]
    pub(super) replace: bool,
    /// Skip (re)building the dataset's HTML report.
    #[arg(long)]
    pub(super) no_report: bool,
}

impl DatasetArgs {
    pub(super) fn on_change(&self) -> OnScenarioChange {
        if self.replace { OnScenarioChange::Replace } else { OnScenarioChange::Refuse }
    }

    pub(super) fn dir(&self, file: &ScenarioFile) -> PathBuf {
        self.out.clone().unwrap_or_else(|| default_dir(&file.raw.scenario.name))
    }
}

/// A number of seconds more than `LO` and at most `HI`.
/// The most seeds a comparison may ask for: a million store-days are
/// weeks of computing, and the grid of a billion filled the memory before
/// the first run (exit 134).
const MOST_REPLICATIONS: u64 = 1_000_000;

/// A number above zero and finite (a target half-width of 0, a negative
/// one or NaN ran to the cap; inf stopped at once on an unbounded interval).
/// A whole number from `LO` to `HI`.
fn whole<const LO: u64, const HI: u64>(text: &str) -> Result<u64, String> {
    match text.trim().parse::<u64>() {
        Ok(n) if (LO..=HI).contains(&n) => Ok(n),
        _ => Err(format!("must be a whole number from {LO} to {HI}, got {text}")),
    }
}

/// A seed: any whole number a run can be keyed by.
fn seed(text: &str) -> Result<u64, String> {
    text.trim().parse().map_err(|_| format!("a seed is a whole number from 0 to {}, got {text}", u64::MAX))
}

/// A run's seed names its log's `seed=…` folder, which Parquet readers
/// take as a signed 64-bit number: one past that turned every reader's
/// `seed` column into text (sorting 10 before 2).
fn run_seed(text: &str) -> Result<u64, String> {
    let most = i64::MAX as u64;
    let why = || {
        format!(
            "a run's seed is a whole number from 0 to {most} (Parquet readers take its seed= folder as a signed 64-bit number), got {text}"
        )
    };
    text.trim().parse().ok().filter(|&s| s <= most).ok_or_else(why)
}

fn positive_finite(text: &str) -> Result<f64, String> {
    match text.trim().parse::<f64>() {
        Ok(x) if x.is_finite() && x > 0.0 => Ok(x),
        _ => Err(format!("must be a positive, finite number, got {text}")),
    }
}

fn seconds_within<const LO: u32, const HI: u32>(text: &str) -> Result<f64, String> {
    let s: f64 = text.trim().parse().map_err(|_| format!("`{text}` is not a number of seconds"))?;
    if s > LO as f64 && s <= HI as f64 {
        Ok(s)
    } else {
        Err(format!("must be more than {LO} and at most {HI} seconds, got {text}"))
    }
}

/// A simulation time step: 0.01 to 1 second, in whole milliseconds.
fn time_step(text: &str) -> Result<f64, String> {
    let s: f64 = text.trim().parse().map_err(|_| format!("`{text}` is not a number of seconds"))?;
    if !aisle::scenario::TICK_S.contains(&s) {
        return Err(format!("must be between 0.01 and 1 second, got {text}"));
    }
    if !aisle::scenario::whole_milliseconds(s) {
        return Err(format!("must be a whole number of milliseconds, got {text}"));
    }
    Ok(s)
}
