//! What `aisle publish` is asked, checked and carried out: the caps on ε,
//! δ and the budget, the release's name, the mode (a central release, a
//! local trace, or a privacy–utility evaluation), and the summary a
//! terminal prints afterwards.

use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};

use super::contrib::Bounds;
use super::ledger::{Budget, Cost, Ledger, NOT_PRIVATE};
use super::query::Mechanism;
use super::{NoiseSource, PrivacyError, TOO_SMALL, check_parameter, evaluate, local, release};
use crate::events::dataset::{Dataset, PRIVACY_EVALUATION, SCENARIO_COPY};
use crate::metrics::{Layout, catalogue};
use crate::scenario::ScenarioFile;

/// The largest ε a release may spend (with --local: per metre).
pub const MAX_EPSILON: f64 = 20.0;
/// The smallest ε a release may spend: far below it the noise cannot be
/// drawn (or ε's zCDP equivalent rounds to 0), and long before it nothing
/// a release says could be read.
pub const MIN_EPSILON: f64 = 1e-6;
/// δ at or above this protects no one.
pub const MAX_DELTA: f64 = 0.01;
/// The smallest δ: below it (a subnormal δ divided a noise parameter by
/// zero) δ only enters as ln(1/δ), which this already makes 230.
pub const MIN_DELTA: f64 = 1e-100;
/// The largest total budget a dataset may be given.
pub const MAX_BUDGET: f64 = 100.0;
/// The coarsest lattice of a local release, metres.
pub const MAX_LATTICE_M: f64 = 10.0;

/// What `aisle publish` does.
pub enum PublishMode {
    Central { budget: Option<f64> },
    Local { lattice: f64, grain: u64, variant: String, points: u32, budget: Option<f64> },
    Evaluate { trials: usize, metric: String, indifference: f64, seed: u64 },
}

pub struct PublishRequest {
    /// Required unless evaluating.
    pub epsilon: Option<f64>,
    /// δ as given [default: the default budget's]: a Gaussian release's,
    /// and the budget's when a first release sets `--budget`.
    pub delta: Option<f64>,
    /// The release directory's name [default: the first free `release-N`].
    pub name: Option<String>,
    pub mechanism: Mechanism,
    pub noise: NoiseSource,
    pub mode: PublishMode,
    /// The bounds on one shopper's contribution (central releases and evaluations).
    pub bounds: Bounds,
}

/// What `aisle publish` prints: the summary, and warnings for the curator
/// (they may read the exact data, so they are never part of a release).
pub struct PublishOutcome {
    pub summary: String,
    pub warnings: Vec<String>,
}

impl PublishRequest {
    /// Carries out the request on the dataset at `dir`, reporting progress
    /// as (stage, done, total); returns the summary for the terminal.
    pub fn run(self, dir: &Path, progress: impl Fn(&str, usize, usize) + Sync) -> Result<PublishOutcome, PrivacyError> {
        // Before the ledger's lock and the logs: a bad name is known at once.
        if let Some(name) = &self.name {
            super::check_release_name(name)?;
        }
        let asked_delta = self.delta;
        let delta = asked_delta.unwrap_or(super::ledger::DEFAULT_BUDGET.delta);
        if delta == 0.0 {
            // Asked for with Laplace noise, whose releases spend no δ, as
            // with Gaussian.
            let why = "must be positive: δ is also the budget's, which composing many releases spends even when each \
                       spends none (pure ε, as with Laplace noise); take 1e-100 for as near to none as can be computed \
                       with";
            return Err(PrivacyError::BadParameter { what: "delta", value: 0.0, why });
        }
        let delta = check_parameter("delta", delta, MAX_DELTA)?;
        if delta < MIN_DELTA {
            let why = "is below 1e-100: a smaller δ buys no protection worth its cost and cannot be computed with; take \
                       1e-100 or more";
            return Err(PrivacyError::BadParameter { what: "delta", value: delta, why });
        }
        let budget_of = |b: Option<f64>| -> Result<Option<Budget>, PrivacyError> {
            b.map(|b| Ok(Budget { epsilon: check_parameter("budget", b, MAX_BUDGET)?, delta })).transpose()
        };
        let epsilon = || {
            let epsilon = check_parameter("epsilon", self.epsilon.expect("required unless evaluating"), MAX_EPSILON)?;
            if epsilon < MIN_EPSILON {
                return Err(PrivacyError::BadParameter { what: "epsilon", value: epsilon, why: TOO_SMALL });
            }
            Ok(epsilon)
        };
        // A file or a missing folder is named as such, not as a lock
        // that could not be made in it.
        crate::events::dataset::Dataset::existing_directory(dir)?;
        // Before anything reads the dataset: a sweep lists its runs only as
        // it ends, so what it has not listed yet read as the dataset's
        // damage, with advice to finish or repair the sweep that clashed
        // with it. (Checked again under the ledger's lock.)
        super::not_busy(dir)?;
        let (bounds, capped) = match self.mode {
            PublishMode::Local { .. } => (self.bounds, Vec::new()),
            _ => within_layout(dir, self.bounds)?,
        };
        let capped = if capped.is_empty() {
            String::new()
        } else {
            format!("  bounds lowered to what the layout allows: {}\n", capped.join(", "))
        };
        // The first release fixes the budget, whether it spends or not.
        let first = !dir.join(super::ledger::LEDGER_PATH).exists();
        let unused_delta = asked_delta.filter(|_| !self.uses_delta(first)).map(|d| {
            format!(
                "--delta {d:e} is not used: {} spends no δ, and the dataset's budget δ is set only by its first \
                 release with --budget; leave --delta out",
                match self.mode {
                    PublishMode::Local { .. } => "a local release",
                    _ => "Laplace noise (pure ε)",
                }
            )
        });
        let fixed = |ledger: &Ledger| if first { budget_fixed(ledger) } else { String::new() };
        match self.mode {
            PublishMode::Evaluate { trials, ref metric, indifference, seed } => {
                // A share of the best figure: none, or less than all of it.
                if !(0.0..1.0).contains(&indifference) {
                    let why = "must be a share of the best figure, from 0 up to (not including) 1";
                    return Err(PrivacyError::BadParameter { what: "indifference", value: indifference, why });
                }
                let plan = evaluate::EvaluatePlan {
                    epsilons: evaluate::EPSILONS.to_vec(),
                    trials,
                    heat_trials: (trials / 10).max(5),
                    mechanism: self.mechanism,
                    delta,
                    bounds,
                    seed,
                    metric: metric.clone(),
                    target: 0.95,
                    indifference,
                };
                let mut outcome = evaluate_to(dir, &plan, progress)?;
                outcome.summary = capped + &outcome.summary;
                outcome.warnings.extend(unused_delta);
                Ok(outcome)
            }
            PublishMode::Local { lattice, grain, ref variant, points, budget } => {
                let plan = local::LocalPlan {
                    name: self.name.clone(),
                    variant: variant.clone(),
                    epsilon_per_metre: epsilon()?,
                    lattice_m: check_parameter("lattice", lattice, MAX_LATTICE_M)?,
                    grain_s: grain,
                    points_per_shopper: points,
                    max_party: bounds.max_party,
                    budget: budget_of(budget)?,
                    noise: self.noise,
                };
                let (out, guarantee, left_out) = local::export(dir, &plan, |d, t| progress("noising positions", d, t))?;
                let mut text = format!("local release of variant {} → {}\n", plan.variant, out.display());
                text += &format!(
                    "  each point: ε = {} per metre plus {:.4} for snapping to the {lattice} m lattice; {points} point(s) per shopper; times to {grain} s; pseudonyms under a key that was not kept\n",
                    plan.epsilon_per_metre,
                    guarantee.snapping_epsilon + guarantee.rounding_epsilon
                );
                text += "  not protected: presence (one pseudonym per shopper), times to the grain, floors\n";
                let ledger = Ledger::open(dir, None)?;
                let summary =
                    text + &spend_summary(
                        self.noise,
                        &Cost::Pure { epsilon: guarantee.charged_epsilon },
                        plan.max_party,
                        &ledger,
                    ) + &fixed(&ledger);
                let warnings = guarantee.edge_note.into_iter().chain(left_out.warning()).chain(unused_delta).collect();
                Ok(PublishOutcome { summary, warnings })
            }
            PublishMode::Central { budget } => {
                let plan = release::PublishPlan {
                    name: self.name.clone(),
                    epsilon: epsilon()?,
                    delta,
                    mechanism: self.mechanism,
                    budget: budget_of(budget)?,
                    bounds,
                    noise: self.noise,
                };
                let done = release::publish(dir, &plan, |d, t| progress("replaying logs", d, t))?;
                let runs = done.sharing.runs_per_seed;
                let mut text =
                    format!("release → {}\n  {}\n", done.dir.join("index.html").display(), done.figures) + &capped;
                text += &format!(
                    "  {runs} run(s) per seed hold the same shoppers (one per variant): each run's queries get 1/{runs} of the release's budget\n"
                );
                let ledger = Ledger::open(dir, None)?;
                // ε as asked, as the release's privacy line says it (the
                // queries' charged shares may sum to a hair less); ρ as charged.
                let cost = match done.entry.cost {
                    Cost::Pure { .. } => Cost::Pure { epsilon: plan.epsilon },
                    charged => charged,
                };
                let summary =
                    text + &spend_summary(self.noise, &cost, plan.bounds.max_party, &ledger) + &fixed(&ledger);
                Ok(PublishOutcome { summary, warnings: done.warnings.into_iter().chain(unused_delta).collect() })
            }
        }
    }
}

impl PublishRequest {
    /// Whether the request's δ counts: a Gaussian release calibrates to it,
    /// and a dataset's first release with `--budget` sets the budget's.
    fn uses_delta(&self, first: bool) -> bool {
        let sets_budget = match self.mode {
            PublishMode::Central { budget } | PublishMode::Local { budget, .. } => first && budget.is_some(),
            PublishMode::Evaluate { .. } => false,
        };
        let gaussian = self.mechanism == Mechanism::DiscreteGaussian && !matches!(self.mode, PublishMode::Local { .. });
        gaussian || sets_budget
    }
}

/// `bounds` capped by the dataset's layout (`Bounds::within`), the most
/// zones and heat blocks of any of its variants with runs (those a release
/// publishes: a variant never run may not even be valid), with what was
/// lowered.
fn within_layout(dir: &Path, bounds: Bounds) -> Result<(Bounds, Vec<String>), PrivacyError> {
    let manifest = Dataset::read_manifest(dir)?.ok_or_else(|| super::not_a_dataset(dir))?;
    let file = ScenarioFile::read(&dir.join(SCENARIO_COPY))?;
    let (mut zones, mut blocks) = (0, 0);
    for variant in manifest.variants_with_runs() {
        let layout = Layout::new(&crate::prepare(&file, variant)?);
        (zones, blocks) = (zones.max(layout.zones.len()), blocks.max(layout.block_count()));
    }
    Ok(bounds.within(zones, blocks))
}

/// Sweeps ε against the exact figures and writes the curves to `privacy/evaluation/`.
fn evaluate_to(
    dir: &Path,
    plan: &evaluate::EvaluatePlan,
    progress: impl Fn(&str, usize, usize) + Sync,
) -> Result<PublishOutcome, PrivacyError> {
    let g = release::gather(dir, &plan.bounds, |d, t| progress("replaying logs", d, t))?;
    // Those a release publishes and a layout can win on.
    let (rankable, unranked): (Vec<String>, Vec<String>) =
        evaluate::published_metrics(&g).into_iter().partition(|m| catalogue::better(m) != catalogue::Better::Neither);
    let metric = plan.metric.clone();
    if unranked.contains(&metric) {
        return Err(PrivacyError::NoWinner { metric });
    }
    if let Some(hint) = catalogue::unknown_metric(&metric, &rankable) {
        let recorded = g.variants.iter().flat_map(|v| &v.runs).any(|run| run.truth.contains_key(&metric));
        return Err(match recorded {
            true => PrivacyError::NotPublished { metric, published: rankable },
            false => PrivacyError::UnknownMetric { metric, hint },
        });
    }
    let (drawn, total) = (AtomicUsize::new(0), plan.epsilons.len());
    progress("noise draws per ε", 0, total);
    let e = evaluate::evaluate(&g, plan, || {
        progress("noise draws per ε", drawn.fetch_add(1, Ordering::Relaxed) + 1, total);
    });
    let out = dir.join(PRIVACY_EVALUATION);
    let title = format!(
        "{}: privacy–utility of {} releases ({} variants × {} days, {} draws per ε)",
        g.scenario,
        plan.mechanism,
        g.variants.len(),
        g.variants[0].runs.len(),
        plan.trials
    );
    e.save(&out, &title)?;
    let mut text = format!("{title}\n");
    let exact: Vec<String> = e
        .truth
        .iter()
        .map(|(v, x)| if x.is_nan() { format!("{v} undefined (nothing to divide by)") } else { format!("{v} {x:.4}") })
        .collect();
    text += &format!("exact {}: {}\n", e.metric, exact.join(", "));
    text += &format!(
        "true winners (within {:.1}% of the best): {}\n\n",
        plan.indifference * 100.0,
        e.true_winners.join(", ")
    );
    text += &e.table();
    text += &match e.recommended {
        None if e.truth.len() == 1 => {
            "\none layout: nothing to rank or compare; choose ε by the heatmap error above\n".to_owned()
        }
        None if e.true_winners.len() == e.truth.len() => format!(
            "\nno ε recommended: every layout is within {:.1}% of the best, so a release that names a winner names a \
             true one (\"same winner\" is then the share of draws whose noise leaves any figure to rank); choose ε by \
             that share, the interval coverage and heatmap error above\n",
            plan.indifference * 100.0
        ),
        Some(eps) if eps <= MAX_EPSILON => {
            format!("\nrecommended: ε = {eps}, the smallest tried that picks a true winner in ≥ 95% of draws\n")
        }
        // (The curves run past what a release may take, to show the trend.)
        Some(eps) => format!(
            "\nno ε a release may take keeps the winner right in 95% of draws: the smallest tried that does is ε = \
             {eps}, above the largest a release is allowed ({MAX_EPSILON}); the variants are too close to tell apart \
             privately\n"
        ),
        None => {
            "\nno ε tried keeps the winner right in 95% of draws: the variants are too close to tell apart privately\n"
                .to_owned()
        }
    };
    text += &format!("curves: {}\n", out.join("utility.png").display());
    text += &format!(
        "note: each ε is a release's whole cost ({} run(s) per seed share their shoppers). This evaluation {}.\n",
        g.sharing.runs_per_seed,
        evaluate::READS_EXACT_DATA
    );
    let mut warnings = g.clipping.warnings(&plan.bounds);
    warnings.extend(g.left_out.warning());
    Ok(PublishOutcome { summary: text, warnings })
}

/// Said after the dataset's first release: it fixed the budget.
fn budget_fixed(ledger: &Ledger) -> String {
    format!(
        "  the dataset's budget is now fixed at ε = {} (δ = {:e}); later releases cannot change it (--budget sets it on a first release only)\n",
        ledger.budget.epsilon, ledger.budget.delta
    )
}

/// What a release cost and what the dataset has spent, or that it was not private.
/// `max_party`: the members a party counts with (`Bounds::max_party`;
/// `usize::MAX` where nothing bounds them).
pub fn spend_summary(noise: NoiseSource, cost: &Cost, max_party: usize, ledger: &Ledger) -> String {
    let spent = ledger.spent();
    let b = ledger.budget;
    let mut text = String::new();
    if noise.record().is_private() {
        // As asked (1, 0.05), or to four places where worked out (a local
        // export's 1.4775762307146496).
        let four_places = |x: f64| if x.to_string().len() > 8 { format!("{x:.4}") } else { x.to_string() };
        let (epsilon, zcdp) = match *cost {
            Cost::Zcdp { rho, epsilon, delta } => (epsilon.unwrap_or(f64::NAN), Some((rho, delta.unwrap_or(f64::NAN)))),
            Cost::Pure { epsilon } | Cost::Local { epsilon, .. } => (epsilon, None),
        };
        let shown = four_places(epsilon);
        text += &match zcdp {
            Some((_, d)) => format!("  this release: (ε, δ) = ({shown}, {d:e})\n"),
            None => format!("  this release: ε = {shown}\n"),
        };
        // Said here too, not in release.json alone: a party of seven
        // counted whole is protected at 7ε, more than a whole default
        // budget at ε = 1.
        text += &if max_party == usize::MAX {
            let group = if zcdp.is_some() { "m²·ρ of zCDP" } else { "m·ε of pure ε" };
            format!("  per person: a party of m people shares one path and is protected as a group of m (at {group})\n")
        } else {
            let group = match zcdp {
                Some((rho, _)) => release::party_zcdp(max_party, rho),
                None => format!("ε = {} of pure ε", four_places(max_party as f64 * epsilon)),
            };
            let party_rule = super::contrib::party_rule(max_party);
            format!(
                "  per party: a party shares one path and counts with {party_rule} (the rest are not in it), \
                 so a whole party is protected at {group}\n"
            )
        };
        text += &format!(
            "  the dataset's private releases: ε = {:.4}, δ = {} by {} — of the budget ε = {} (δ = {:e}); {:.4} left\n",
            spent.epsilon,
            super::ledger::short_delta(spent.delta),
            spent.by.describe(),
            b.epsilon,
            b.delta,
            (b.epsilon - spent.epsilon).max(0.0)
        );
        for note in ledger.uncovered() {
            text += &format!("  not covered by that total: {note}\n");
        }
    } else {
        text += &format!(
            "  {NOT_PRIVATE}: this release spends nothing and protects no one; publish without --seed for a private release\n"
        );
    }
    text + &format!("  noise: {}\n", noise.describe())
}
