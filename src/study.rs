//! A comparison study: sweep every variant × R seeds into a dataset, then
//! compare; with a target half-width, add replications in planned looks
//! until the primary metric's paired interval is narrow enough.

use std::path::{Path, PathBuf};

use crate::compare::{Comparison, Design, KEY_METRICS, Look, Sequential};
use crate::events::dataset::{COMPARISON, Dataset, DatasetError};
use crate::events::fs::write_atomic;
use crate::scenario::{BASELINE, ScenarioError, ScenarioFile};
use crate::sweep::{Chosen, Shard, SweepError, SweepEvent, grid, run_sweep};

#[derive(Debug, thiserror::Error)]
pub enum StudyError {
    #[error("--metric `{metric}` is not a metric; {hint}")]
    UnknownMetric { metric: String, hint: String },
    #[error(
        "--max-replications {cap} is below the first look of a sequential study ({first} replications): raise it, \
         or drop --target-halfwidth for a fixed study of --replications"
    )]
    CapBelowFirstLook { cap: u64, first: u64 },
    #[error(transparent)]
    Scenario(#[from] ScenarioError),
    #[error(transparent)]
    Dataset(#[from] DatasetError),
    #[error(transparent)]
    Sweep(#[from] SweepError),
    #[error("{}: {source}", path.display())]
    Io { path: PathBuf, source: std::io::Error },
}

/// What a study is asked to do.
#[derive(Debug, Clone)]
pub struct Study {
    /// The metric whose verdict leads, corrected across variants only.
    pub primary: String,
    /// Seeds 1..=R per variant (the first look's, when sequential).
    pub replications: u64,
    /// Runs at once.
    pub jobs: usize,
    pub sequential: Option<Sequential>,
    pub shard: Option<Shard>,
}

/// Progress of a study, for a front end to show (called from worker threads).
pub enum StudyEvent<'a> {
    /// A sweep of `runs` cells begins.
    SweepStarted {
        runs: usize,
    },
    Sweep(SweepEvent<'a>),
    SweepDone,
    /// A line for the terminal: what a sweep did, what a look decided.
    Note(String),
}

impl Study {
    /// A fixed study of `replications` seeds, or with `target_halfwidth` a
    /// sequential one starting there and stopping at `max_replications`.
    pub fn new(
        primary: Option<String>,
        replications: u64,
        target_halfwidth: Option<f64>,
        max_replications: u64,
    ) -> Study {
        let primary = primary.unwrap_or_else(|| KEY_METRICS[0].to_owned());
        let sequential = target_halfwidth.map(|target| Sequential {
            target,
            metric: primary.clone(),
            start: replications,
            cap: max_replications,
        });
        let jobs = std::thread::available_parallelism().map_or(1, |n| n.get());
        Study { primary, replications, jobs, sequential, shard: None }
    }

    /// Refuses bad input before anything is written: every variant must
    /// prepare, and the primary metric must be one a run reports.
    pub fn check(&self, file: &ScenarioFile) -> Result<(), StudyError> {
        // The first look cannot be put below its minimum; a cap under it ran
        // the first look's seeds and said it stopped "at the cap".
        if let Some(seq) = &self.sequential
            && seq.cap < seq.looks()[0]
        {
            return Err(StudyError::CapBelowFirstLook { cap: seq.cap, first: seq.looks()[0] });
        }
        // Every variant's problems at once, as `aisle validate` lists them:
        // one at a time, a file of several bad variants took as many tries.
        let base = file.validate_all()?.base;
        let layout = crate::metrics::Layout::new(&base);
        let names = crate::metrics::DayMetrics::metric_names(&layout);
        if let Some(hint) = crate::metrics::catalogue::unknown_metric(&self.primary, &names) {
            return Err(StudyError::UnknownMetric { metric: self.primary.clone(), hint });
        }
        Ok(())
    }

    /// The design every comparison of this study is analysed with.
    pub fn design(&self) -> Design {
        match &self.sequential {
            Some(seq) => seq.design(&self.primary),
            None => Design { primary: self.primary.clone(), ..Design::default() },
        }
    }

    /// Sweeps and compares, look after look when sequential.
    pub fn run(
        &self,
        file: &ScenarioFile,
        dataset: &mut Dataset,
        on_event: impl Fn(StudyEvent) + Sync,
    ) -> Result<Comparison, StudyError> {
        let design = self.design();
        let variants = file.variant_ids();
        let mut replications = self.sequential.as_ref().map_or(self.replications, |seq| seq.looks()[0]);
        let mut chosen = Chosen::InAdvance;
        loop {
            let seeds: Vec<u64> = (1..=replications).collect();
            let cells = grid(&variants, &seeds, self.shard);
            on_event(StudyEvent::SweepStarted { runs: cells.len() });
            let count = run_sweep(file, dataset, &cells, self.jobs, chosen, |e| on_event(StudyEvent::Sweep(e)))?;
            on_event(StudyEvent::SweepDone);
            let again = match count.again {
                0 => String::new(),
                n => format!(
                    " ({n} of them again: a record there did not verify against its log, or was made by another build; \
                     `aisle verify` says which before a compare)"
                ),
            };
            on_event(StudyEvent::Note(format!(
                "{} runs simulated{again}, {} reused from the dataset ({} seeds × {} variants{})",
                count.simulated,
                count.reused,
                seeds.len(),
                variants.len(),
                self.shard.map(|s| format!(", shard {}/{}", s.k, s.n)).unwrap_or_default()
            )));
            if let Some(ratio) = count.overhead(self.jobs) {
                on_event(StudyEvent::Note(format!(
                    "sweep {:.1} s on {} thread(s); the runs' own time {:.1} s in all ({:.1} ms a run): {ratio:.2}× with bookkeeping",
                    count.wall_time.as_secs_f64(),
                    self.jobs,
                    count.run_time.as_secs_f64(),
                    count.run_time.as_secs_f64() * 1e3 / count.simulated as f64,
                )));
            }
            let comparison = Design { replications: Some(replications), ..design.clone() }
                .compare(&dataset.manifest.runs, &variants);
            let Some(seq) = &self.sequential else { return Ok(comparison) };
            let look = seq.decide(&comparison, replications);
            on_event(StudyEvent::Note(seq.describe(&look, replications)));
            match look {
                Look::Continue { next, .. } => {
                    let look = match chosen {
                        Chosen::InAdvance => 2,
                        Chosen::AtLook { look, .. } => look + 1,
                    };
                    chosen = Chosen::AtLook { look, planned: seq.looks().len() as u32, after: replications };
                    replications = next;
                }
                Look::Reached { .. } | Look::Capped { .. } => return Ok(comparison),
            }
        }
    }

    /// Writes the comparison to the dataset's `compare/comparison.json`,
    /// first removing the report page and figures made before it (a page
    /// of another comparison, left beside this one by `--no-report` or a
    /// command killed while reporting, contradicted it); returns the path
    /// and whether a page was removed. The same comparison as the one
    /// saved (every run reused) leaves both as they are, and only aisle's
    /// own files of the report go: a command killed before its new page
    /// (`aisle compare | head`) had left none, and whatever else stood in
    /// `report/` went with it.
    pub fn save(dir: &Path, comparison: &Comparison) -> Result<(PathBuf, bool), StudyError> {
        let json = serde_json::to_string_pretty(comparison).expect("comparison serialises");
        let path = dir.join(COMPARISON);
        if std::fs::read(&path).ok().as_deref() == Some(json.as_bytes()) {
            return Ok((path, false));
        }
        let removed = crate::report::remove_page(dir).map_err(|(path, source)| StudyError::Io { path, source })?;
        write_atomic(&path, json.as_bytes()).map_err(|source| StudyError::Io { path: path.clone(), source })?;
        Ok((path, removed))
    }

    /// Warnings when `comparison` (this study's, of `variants` over the
    /// dataset's `runs`) covers less than was asked: a variant without a
    /// run is left out, and a seed of 1..=R some variant lacks is left out
    /// for all (shards still running, or run with fewer replications). A
    /// shard's own comparison is always partial, and says so.
    pub fn coverage_warnings(
        &self,
        runs: &[crate::events::dataset::RunRecord],
        variants: &[String],
        comparison: &Comparison,
    ) -> Vec<String> {
        let mut warnings = Vec::new();
        let ran = |v: &String, seed: u64| runs.iter().any(|r| &r.variant == v && r.seed == seed);
        let unrun: Vec<&str> =
            variants.iter().filter(|v| !runs.iter().any(|r| &r.variant == *v)).map(String::as_str).collect();
        if !unrun.is_empty() {
            warnings.push(format!("no runs yet of {}: left out of the comparison", unrun.join(", ")));
        }
        // A sequential study simulates every seed it looks at.
        let wanted = if self.sequential.is_some() { 0 } else { self.replications };
        let lacking: Vec<String> = variants
            .iter()
            .filter(|v| !unrun.contains(&v.as_str()))
            .filter_map(|v| {
                let seeds: Vec<String> = (1..=wanted).filter(|&s| !ran(v, s)).map(|s| s.to_string()).collect();
                (!seeds.is_empty()).then(|| format!("`{v}` lacks seed(s) {}", seeds.join(", ")))
            })
            .collect();
        if !lacking.is_empty() {
            warnings.push(format!(
                "the comparison rests on the {} seed(s) every variant has, not the {wanted} asked for: {}",
                comparison.seeds.len(),
                lacking.join("; ")
            ));
        }
        if let Some(shard) = self.shard
            && !warnings.is_empty()
        {
            warnings.push(format!(
                "shard {}/{} compares only the runs present so far; once every shard is done, `aisle compare` \
                 without --shard compares them all (simulating only what is missing)",
                shard.k, shard.n
            ));
        }
        warnings
    }
}

/// Warnings over each variant of `file` whose days in `runs` were cut
/// short: visitors planned who never came in (a doorway blocked, or
/// arrivals in the last moments before closing: the run says which),
/// shoppers made to leave at the day's hard end. A figure per visitor can
/// hide either: a kiosk with hour-long dwells read "no significant change
/// in revenue per visitor" while 43% of its visitors never came in, and
/// only the page said so.
pub fn cut_short_warnings(
    file: &ScenarioFile,
    runs: &[crate::events::dataset::RunRecord],
    seeds: &[u64],
) -> Vec<String> {
    let mut found = Vec::new();
    for variant in file.variant_ids() {
        let Ok(s) = file.build(&variant) else { continue };
        // Per day compared: (seed, planned, came in, made to leave).
        let days: Vec<(u64, u64, u64, u64)> = runs
            .iter()
            .filter(|r| r.variant == variant && seeds.contains(&r.seed))
            .map(|r| {
                let forced = r.metric("forced_exits").unwrap_or(0.0).round() as u64;
                (r.seed, crate::sim::planned_visitors(&s, r.seed), r.visitors, forced)
            })
            .collect();
        // The day cut shortest is the one to look at.
        let worst = days.iter().max_by_key(|&&(_, planned, came, forced)| planned.saturating_sub(came) + forced);
        let Some(&(worst_seed, ..)) = worst else { continue };
        let planned: u64 = days.iter().map(|d| d.1).sum();
        let came: u64 = days.iter().map(|d| d.2).sum();
        let forced: u64 = days.iter().map(|d| d.3).sum();
        let kept_out = planned.saturating_sub(came);
        let share = |part: u64, whole: u64| 100.0 * part as f64 / whole.max(1) as f64;
        let said: Vec<String> = [
            (kept_out > 0).then(|| {
                format!("{kept_out} of the {planned} visitors planned ({:.1}%) never came in", share(kept_out, planned))
            }),
            (forced > 0).then(|| {
                format!(
                    "{forced} of the {came} who came in ({:.1}%) were made to leave at the day's hard end",
                    share(forced, came)
                )
            }),
        ]
        .into_iter()
        .flatten()
        .collect();
        if said.is_empty() {
            continue;
        }
        found.push(format!(
            "`{variant}`: over its {} day(s), {}: its figures count only those who came in, and stop at the hard end \
             for those made to leave, so comparisons with it may mislead; `aisle run {} --variant {variant} --seed {}` says why",
            days.len(),
            said.join(", and "),
            file.path.display(),
            worst_seed
        ));
    }
    found
}

/// Warnings over each variant with edits whose days compared were the
/// baseline's exactly, every figure on every day: its edits change
/// nothing its shoppers meet (step-free shoppers in a store of one
/// floor, a segment of no share edited). The summary read "leaves revenue
/// per visitor the same on every day", as of a finding.
pub fn unchanged_variants(
    file: &ScenarioFile,
    runs: &[crate::events::dataset::RunRecord],
    seeds: &[u64],
) -> Vec<String> {
    let day = |variant: &str, seed: u64| runs.iter().find(|r| r.variant == variant && r.seed == seed);
    // Figures equal as the days read them (a NaN, nothing to divide by, equals a NaN).
    let same = |a: &crate::events::dataset::RunRecord, b: &crate::events::dataset::RunRecord| {
        a.metrics.len() == b.metrics.len()
            && a.metrics
                .iter()
                .zip(&b.metrics)
                .all(|(x, y)| x.name == y.name && (x.value == y.value || (x.value.is_nan() && y.value.is_nan())))
    };
    file.raw
        .variants
        .iter()
        .filter(|v| !v.edits.is_empty())
        .filter_map(|v| {
            let pairs: Vec<_> = seeds.iter().filter_map(|&s| day(BASELINE, s).zip(day(&v.id, s))).collect();
            (!pairs.is_empty() && pairs.iter().all(|(b, x)| same(b, x))).then(|| {
                let ops: Vec<&str> = crate::scenario::edit::kinds(&v.edits).into_iter().map(|(op, _)| op).collect();
                format!(
                    "`{}` gave the baseline's days exactly: every figure on each of its {} day(s) is the same, so its \
                     edits ({}) change nothing its shoppers meet; if a change was meant, check what they set",
                    v.id,
                    pairs.len(),
                    ops.join(", ")
                )
            })
        })
        .collect()
}

/// Warnings when any of `runs` broke an invariant: a shopper frozen longer
/// than `FREEZE_LIMIT_S`, or a line standing before a free terminal longer
/// than `STALL_LIMIT_S`. Each names the days, since their figures and
/// every comparison with them may be wrong, and how to see where.
pub fn invariant_warnings(file: &Path, runs: &[crate::events::dataset::RunRecord]) -> Vec<String> {
    use crate::metrics::facts::FREEZE_LIMIT_S;
    use crate::metrics::stall::STALL_LIMIT_S;
    let broken = |metric: &str, limit: f64, what: &str, consequence: &str| {
        let value = |r: &crate::events::dataset::RunRecord| r.metric(metric).unwrap_or(0.0);
        let days: Vec<_> = runs.iter().filter(|r| value(r) > limit).collect();
        let first = days.first()?;
        let listed: Vec<String> =
            days.iter().map(|r| format!("`{}` seed {}: {:.0} s", r.variant, r.seed, value(r))).collect();
        Some(format!(
            "{what} longer than the {limit:.0} s allowed on {} day(s) ({}): {consequence}, and those days' \
             figures, and comparisons with them, may be wrong; `aisle run {} --variant {} --seed {}` says \
             where, and the report shows it",
            days.len(),
            listed.join(", "),
            file.display(),
            first.variant,
            first.seed
        ))
    };
    let freeze = broken("longest_freeze_s", FREEZE_LIMIT_S, "shoppers froze", "the store may gridlock");
    let stall = broken(
        "longest_stall_s",
        STALL_LIMIT_S,
        "a line stood before a free terminal",
        "someone called to it could not reach it",
    );
    freeze.into_iter().chain(stall).collect()
}
