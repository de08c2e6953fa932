//! Layout comparisons: paired statistics per metric against the baseline,
//! over the run records of every variant × R seeds (the same seeds for every
//! variant: common random numbers). `crate::sweep` makes the runs.

mod console;
mod format;
pub mod sequential;
pub mod stats;
mod summary;
mod verdict;

use std::collections::BTreeMap;

use serde::Serialize;

use crate::events::dataset::{MetricValue, RunRecord};
use crate::scenario::BASELINE;
pub use console::redeclared_note;
pub use format::{Signed, format_change, format_p, four_places, signed_percent};
pub use sequential::{AddedAtLooks, Look, Looks, MIN_FIRST_LOOK, Sequential};
use stats::{Estimate, Method, Replications, holm};
pub use verdict::{Reading, verdict};

/// Metrics a comparison headlines, in order; the first is the primary one.
pub const KEY_METRICS: [&str; 13] = [
    "revenue_per_visitor",
    "conversion_rate",
    "basket_value",
    "unplanned_share",
    "time_in_store_mean",
    "time_in_store_p50",
    "path_length_mean",
    "queue_wait_mean",
    "line_wait_mean",
    "abandonment_rate",
    "not_found_rate",
    "lost_sales",
    "revenue",
];

pub use crate::metrics::catalogue::{Better, better};

/// Per-variant figures of one metric.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct VariantFigure {
    pub variant: String,
    pub estimate: EstimateOut,
    /// Against the baseline; `None` for the baseline itself.
    pub versus_baseline: Option<DifferenceOut>,
}

/// A mean with its interval, clipped to the metric's range (a rate stays
/// within 0 and 1, a count or a time above 0). No interval from fewer than
/// two days.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct EstimateOut {
    pub mean: f64,
    pub lo: Option<f64>,
    pub hi: Option<f64>,
    pub n: usize,
}

impl EstimateOut {
    fn of(xs: &[f64], range: (f64, f64), alpha: f64) -> EstimateOut {
        let xs: Vec<f64> = xs.iter().copied().filter(|x| x.is_finite()).collect();
        let n = xs.len();
        let mean = if n == 0 { f64::NAN } else { stats::mean(&xs) };
        // Fewer than two days, or days that never vary, give no interval:
        // a rare event that did not happen in ten days is not known to be
        // impossible.
        if n < 2 || stats::variance(&xs) == 0.0 {
            return EstimateOut { mean, lo: None, hi: None, n };
        }
        let e = stats::mean_ci_at(&xs, alpha);
        EstimateOut { mean, lo: Some(e.lo.max(range.0)), hi: Some(e.hi.min(range.1)), n }
    }

    pub fn half_width(&self) -> Option<f64> {
        Some((self.hi? - self.lo?) / 2.0)
    }
}

/// Which correction a p-value went through.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "family", rename_all = "snake_case")]
pub enum Family {
    /// The declared primary metric: Holm across the variants compared.
    Primary { comparisons: usize },
    /// Every other metric: Holm across every (variant, metric) pair.
    Secondary { comparisons: usize },
}

impl Family {
    /// The comparisons the correction runs across.
    pub fn comparisons(self) -> usize {
        match self {
            Family::Primary { comparisons } | Family::Secondary { comparisons } => comparisons,
        }
    }
}

impl std::fmt::Display for Family {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Family::Primary { comparisons } => write!(f, "primary, Holm across {comparisons} variant(s)"),
            Family::Secondary { comparisons } => write!(f, "secondary, Holm across {comparisons} comparisons"),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DifferenceOut {
    /// How the interval and p-value were obtained.
    pub method: Method,
    /// Days with a value in both layouts.
    pub n: usize,
    /// Of those, the days on which the layouts differ (what the sign-flip
    /// test counts).
    pub differing: usize,
    /// Mean of variant − baseline over those days (common random numbers).
    pub mean: f64,
    /// Interval of `mean`; `None` when the days cannot give one (fewer than
    /// two, or never different).
    pub lo: Option<f64>,
    pub hi: Option<f64>,
    /// The Welch interval treating the layouts' days as independent: what
    /// the pairing bought; `None` from fewer than two days or days without
    /// spread in either layout.
    pub unpaired: Option<(f64, f64)>,
    /// Change relative to the baseline mean, with an interval that counts
    /// the baseline's uncertainty; `None` unless the baseline is clearly
    /// away from zero.
    pub relative: Option<RelativeOut>,
    pub p: Option<f64>,
    /// `p` after the correction of its family.
    pub p_adjusted: Option<f64>,
    pub family: Family,
    pub significant: bool,
    /// Replications that would detect a 1% change with 80% power by the
    /// paired t test at the level the verdict uses (primary metric only);
    /// no fewer than the sign-flip test can pass from, as nothing passes
    /// from fewer days (pooled rare events aside).
    pub replications_for_1pct: Option<Replications>,
    pub verdict: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct RelativeOut {
    pub mean: f64,
    pub lo: f64,
    pub hi: f64,
}

impl DifferenceOut {
    pub fn half_width(&self) -> Option<f64> {
        Some((self.hi? - self.lo?) / 2.0)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MetricComparison {
    pub metric: String,
    pub unit: String,
    pub variants: Vec<VariantFigure>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Comparison {
    pub baseline: String,
    pub primary: String,
    /// The primary the dataset's first comparison declared (`primary`
    /// unless a later one chose another after seeing that one).
    pub declared_primary: String,
    /// Two-sided level of every interval and verdict (0.05, or less at a
    /// sequential look).
    pub alpha: f64,
    /// Seeds present for the baseline and every variant compared.
    pub seeds: Vec<u64>,
    /// Where a sequential study's looks added some of those seeds: `alpha`
    /// is no looser than that study's level.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub added_at_looks: Option<AddedAtLooks>,
    pub metrics: Vec<MetricComparison>,
}

/// Rates whose rare differences are pooled as event counts, with the
/// metric holding each day's denominator.
const EXPOSURES: [(&str, &str); 3] =
    [("conversion_rate", "parties"), ("abandonment_rate", "checkout_arrivals"), ("not_found_rate", "planned_searches")];

/// The range a metric's values live in, from its unit: every figure of the
/// catalogue is non-negative, and rates are at most 1.
fn range_of(unit: &str) -> (f64, f64) {
    if unit == "ratio" { (0.0, 1.0) } else { (0.0, f64::INFINITY) }
}

/// How a comparison is analysed.
#[derive(Debug, Clone, PartialEq)]
pub struct Design {
    /// The metric whose verdict leads (corrected across variants only).
    pub primary: String,
    /// Analyse seeds 1..=R only; `None`: every seed present for all variants.
    pub replications: Option<u64>,
    /// Two-sided level of each interval and test.
    pub alpha: f64,
}

impl Default for Design {
    fn default() -> Self {
        Design { primary: KEY_METRICS[0].to_owned(), replications: None, alpha: stats::ALPHA }
    }
}

impl Design {
    /// The design `c` was analysed with: its primary metric, its level, and
    /// its seeds (up to the last).
    pub fn of(c: &Comparison) -> Design {
        Design { primary: c.primary.clone(), replications: c.seeds.iter().max().copied(), alpha: c.alpha }
    }

    /// The design of a saved comparison (`compare/comparison.json`'s text),
    /// read from its primary metric, level and seeds alone; `None` when
    /// they are not there to read.
    pub fn of_saved(json: &serde_json::Value) -> Option<Design> {
        let seeds = json["seeds"].as_array()?.iter().map(|s| s.as_u64()).collect::<Option<Vec<u64>>>()?;
        Some(Design {
            primary: json["primary"].as_str()?.to_owned(),
            replications: seeds.iter().max().copied(),
            alpha: json["alpha"].as_f64()?,
        })
    }
}

/// Whether `saved` (a `compare/comparison.json`) is what comparing `runs`
/// of `variants` by its own design and declared primary gives: a pure
/// function of the runs' figures, so an edited level, seed list, primary
/// or verdict shows. `None` when its design cannot be read.
pub fn saved_comparison_holds(saved: &serde_json::Value, runs: &[RunRecord], variants: &[String]) -> Option<bool> {
    let design = Design::of_saved(saved)?;
    let declared = saved["declared_primary"].as_str().map(str::to_owned);
    let made = design.compare(runs, variants).declared_before(declared);
    Some(serde_json::to_value(made).expect("serialises") == *saved)
}

/// Compares every variant with the baseline on every metric with the
/// default design (revenue per visitor primary, 95%, every seed present).
pub fn compare(runs: &[RunRecord], variants: &[String]) -> Comparison {
    Design::default().compare(runs, variants)
}

/// One (metric, variant) comparison before the family corrections.
struct Pending {
    analysis: stats::Analysis,
    /// Of the paired days, those on which the layouts differ.
    differing: usize,
    relative: Option<Estimate>,
    unpaired: Option<(f64, f64)>,
    power: Option<Replications>,
}

/// One run's figures, as the comparison reads them.
#[derive(Debug, Clone, Copy)]
pub struct Day<'a> {
    pub variant: &'a str,
    pub seed: u64,
    pub metrics: &'a [MetricValue],
    /// Where a sequential study's look added the day: that study's looks;
    /// `None` for a day planned in advance.
    pub looks: Option<Looks>,
}

impl<'a> Day<'a> {
    /// A run's day, with the looks of the study that added it.
    pub fn of(r: &'a RunRecord) -> Day<'a> {
        let looks = r.added_at_look.map(|look| r.planned_looks.map_or(Looks::AtLeast(look), Looks::Planned));
        Day { variant: &r.variant, seed: r.seed, metrics: &r.metrics, looks }
    }
}

impl Design {
    /// Compares every variant with the baseline on every metric, pairing
    /// runs by seed; only seeds present for all variants count.
    pub fn compare(&self, runs: &[RunRecord], variants: &[String]) -> Comparison {
        let days: Vec<Day> = runs.iter().map(Day::of).collect();
        self.compare_days(&days, variants)
    }

    /// `compare` over days from anywhere (records, or days simulated in
    /// memory), at this design's level or, where a sequential study's
    /// looks added some of the days, at that study's if it is stricter.
    pub fn compare_days(&self, runs: &[Day], variants: &[String]) -> Comparison {
        let present: Vec<&String> = variants.iter().filter(|v| runs.iter().any(|r| r.variant == v.as_str())).collect();
        let days = Sampled::new(runs, &present, self.replications);
        let analysed = runs.iter().filter(|d| days.seeds.contains(&d.seed) && present.iter().any(|v| *v == d.variant));
        let added_at_looks = AddedAtLooks::among(analysed);
        let alpha = added_at_looks.map_or(self.alpha, |a| self.alpha.min(a.alpha()));
        Design { alpha, ..self.clone() }.compare_sampled(&days, &present, added_at_looks)
    }

    /// `compare_days` over the days sampled, at this design's level.
    fn compare_sampled(&self, days: &Sampled, present: &[&String], added_at_looks: Option<AddedAtLooks>) -> Comparison {
        // Without the baseline's days nothing is compared: a variant
        // standing in for it made a page read "Comparison with
        // cola-on-promo", its table calling that variant the baseline.
        // (`metric_names` finds none then.)
        let baseline = BASELINE.to_owned();
        let names = days.metric_names(&baseline);
        let others: Vec<&String> = present.iter().copied().filter(|v| **v != baseline).collect();
        let pending = self.pending(days, &names, &baseline, &others);
        // Corrections: the primary metric across variants, every other
        // metric across every (variant, metric) pair.
        let is_primary: Vec<bool> = names.iter().map(|(m, _)| *m == self.primary).collect();
        let adjusted = holm_by_family(&pending, &is_primary);
        let corrected =
            Corrected { days, baseline: &baseline, others: &others, adjusted: &adjusted, is_primary: &is_primary };
        let metrics = names
            .iter()
            .zip(pending)
            .enumerate()
            .map(|(i, (name, row))| self.metric_comparison(&corrected, i, name, row))
            .collect();
        let primary = self.primary.clone();
        Comparison {
            baseline,
            declared_primary: primary.clone(),
            primary,
            alpha: self.alpha,
            seeds: days.seeds.clone(),
            added_at_looks,
            metrics,
        }
    }

    /// Every (metric, variant) comparison with the baseline, by metric then
    /// variant, before the family corrections.
    fn pending(
        &self,
        days: &Sampled,
        names: &[(String, String)],
        baseline: &str,
        others: &[&String],
    ) -> Vec<Vec<Pending>> {
        // Holm's first step is the strictest level a primary verdict meets.
        let primary_alpha = self.alpha / others.len().max(1) as f64;
        names
            .iter()
            .map(|(metric, _)| {
                let base = days.sample(baseline, metric);
                let exposure = EXPOSURES.iter().find(|(m, _)| m == metric).map(|(_, e)| days.sample(baseline, e));
                others
                    .iter()
                    .map(|v| {
                        let variant = days.sample(v, metric);
                        self.pending_pair(&base, &variant, exposure.as_deref(), metric, primary_alpha)
                    })
                    .collect()
            })
            .collect()
    }

    /// One variant against the baseline on one metric, before the family
    /// corrections; the replications needed only for the primary metric.
    fn pending_pair(
        &self,
        base: &[f64],
        variant: &[f64],
        exposure: Option<&[f64]>,
        metric: &str,
        primary_alpha: f64,
    ) -> Pending {
        let analysis = stats::analyse(base, variant, exposure, self.alpha);
        let relative = stats::relative(base, variant, exposure, &analysis, self.alpha);
        let kept = stats::paired_days(base, variant);
        let (b, x): (Vec<f64>, Vec<f64>) = kept.iter().map(|&i| (base[i], variant[i])).unzip();
        // Days without spread in either layout (a rate 0 on every day)
        // give an interval of no width, which no reader should take for
        // certainty: none.
        let unpaired =
            (kept.len() >= 2).then(|| stats::welch(&b, &x, self.alpha)).filter(|w| w.hi > w.lo).map(|w| (w.lo, w.hi));
        // No day-by-day test passes from fewer days than the sign-flip test
        // can (the paired t's p is no smaller below them): the power line
        // asks at least as many, whatever the t says.
        let floor = match analysis.method {
            stats::Method::Resampled | stats::Method::PairedT | stats::Method::FewDaysT | stats::Method::SkewedT => {
                stats::sign_flip_days(primary_alpha)
            }
            _ => 0,
        };
        let power = (metric == self.primary)
            .then(|| stats::replications_for(0.01 * stats::mean(&b), analysis.sd, analysis.n, primary_alpha, 0.8))
            .flatten()
            .map(|r| r.at_least(floor));
        let differing = x.iter().zip(&b).filter(|(x, b)| x != b).count();
        Pending { analysis, differing, relative, unpaired, power }
    }

    /// One metric's figures: the baseline's estimate, then each other
    /// variant's estimate and difference from the baseline.
    fn metric_comparison(
        &self,
        c: &Corrected,
        i: usize,
        (metric, unit): &(String, String),
        row: Vec<Pending>,
    ) -> MetricComparison {
        let range = range_of(unit);
        let base = c.days.sample(c.baseline, metric);
        let mut figures = vec![VariantFigure {
            variant: c.baseline.to_owned(),
            estimate: EstimateOut::of(&base, range, self.alpha),
            versus_baseline: None,
        }];
        for (j, (v, p)) in c.others.iter().zip(row).enumerate() {
            let days = c.days.sample(v, metric);
            let d = self.difference(metric, p, c.correction(i, j));
            figures.push(VariantFigure {
                variant: v.to_string(),
                estimate: EstimateOut::of(&days, range, self.alpha),
                versus_baseline: Some(d),
            });
        }
        MetricComparison { metric: metric.clone(), unit: unit.clone(), variants: figures }
    }

    /// A variant's difference from the baseline on `metric`, with its
    /// corrected p-value, its family and the verdict.
    fn difference(&self, metric: &str, p: Pending, (p_adjusted, family): (Option<f64>, Family)) -> DifferenceOut {
        let a = p.analysis;
        // A relative change is not below −100% (no figure is negative); a
        // bound the days could not set stays unbounded (said in words), not
        // −100%. Nothing else is clipped: the bounds a difference keeps to
        // (the metric's range less the baseline's mean) are known only
        // through the days' own mean, and clipped to those an interval
        // missed the truth more than half the time where a layout drove a
        // rate to its bound.
        // Where the days cannot bound the difference, its ratio to the
        // baseline is no better bounded: one differing day in ten read
        // "-0.14% [-1.4%, +0.17%]" beside an unbounded difference.
        let unbounded = a.interval.is_some_and(|(lo, hi)| !(lo.is_finite() && hi.is_finite()));
        let relative = p.relative.filter(|_| !unbounded).map(|r| RelativeOut {
            mean: r.mean,
            lo: if r.lo.is_finite() { r.lo.max(-1.0) } else { r.lo },
            hi: r.hi,
        });
        let mut d = DifferenceOut {
            method: a.method,
            n: a.n,
            differing: p.differing,
            mean: a.mean,
            lo: a.interval.map(|x| x.0),
            hi: a.interval.map(|x| x.1),
            unpaired: p.unpaired,
            relative,
            p: a.p,
            p_adjusted,
            family,
            significant: p_adjusted.is_some_and(|q| q < self.alpha),
            replications_for_1pct: p.power,
            verdict: String::new(),
        };
        // Read as exploratory once a later primary is known (`Comparison::declared_before`).
        d.verdict = verdict(metric, &d, self.alpha, Reading::Confirmatory);
        d
    }
}

/// Each run's figures by (variant, seed), on the seeds a comparison analyses.
struct Sampled<'a> {
    by_cell: BTreeMap<(&'a str, u64), &'a [MetricValue]>,
    /// Seeds present for every variant compared, in order.
    seeds: Vec<u64>,
}

impl<'a> Sampled<'a> {
    /// The runs' figures, keeping the seeds present for every variant in
    /// `present` (and only seeds 1..=`replications`, if given).
    fn new(runs: &[Day<'a>], present: &[&String], replications: Option<u64>) -> Sampled<'a> {
        let by_cell: BTreeMap<(&str, u64), &[MetricValue]> =
            runs.iter().map(|r| ((r.variant, r.seed), r.metrics)).collect();
        let mut seeds: Vec<u64> = runs.iter().map(|r| r.seed).collect();
        seeds.sort_unstable();
        seeds.dedup();
        seeds.retain(|s| present.iter().all(|v| by_cell.contains_key(&(v.as_str(), *s))));
        if let Some(r) = replications {
            seeds.retain(|s| (1..=r).contains(s));
        }
        Sampled { by_cell, seeds }
    }

    /// Every metric's name and unit, as the baseline's first day lists them.
    fn metric_names(&self, baseline: &str) -> Vec<(String, String)> {
        let mut names: Vec<(String, String)> = Vec::new();
        if let Some(first) = self.seeds.first().and_then(|s| self.by_cell.get(&(baseline, *s))) {
            names = first.iter().map(|m| (m.name.clone(), m.unit.clone())).collect();
        }
        names
    }

    /// One variant's values of one metric, a day per seed (NaN where a day lacks it).
    fn sample(&self, variant: &str, metric: &str) -> Vec<f64> {
        self.seeds
            .iter()
            .map(|s| self.by_cell[&(variant, *s)].iter().find(|m| m.name == metric).map_or(f64::NAN, |m| m.value))
            .collect()
    }
}

/// Holm's correction within each family (the primary metric first, then
/// every other), by (metric, variant) position; comparisons without a
/// p-value are left out.
fn holm_by_family(pending: &[Vec<Pending>], is_primary: &[bool]) -> BTreeMap<(usize, usize), (f64, Family)> {
    let family_ps = |primary: bool| -> Vec<(usize, usize, f64)> {
        pending
            .iter()
            .enumerate()
            .filter(|(i, _)| is_primary[*i] == primary)
            .flat_map(|(i, row)| row.iter().enumerate().filter_map(move |(j, p)| Some((i, j, p.analysis.p?))))
            .collect()
    };
    let mut adjusted: BTreeMap<(usize, usize), (f64, Family)> = BTreeMap::new();
    for primary in [true, false] {
        let ps = family_ps(primary);
        let comparisons = ps.len();
        let family = if primary { Family::Primary { comparisons } } else { Family::Secondary { comparisons } };
        for ((i, j, _), a) in ps.iter().zip(holm(&ps.iter().map(|x| x.2).collect::<Vec<_>>())) {
            adjusted.insert((*i, *j), (a, family));
        }
    }
    adjusted
}

/// What each metric's figures are read from once every comparison is made
/// and corrected.
struct Corrected<'a> {
    days: &'a Sampled<'a>,
    baseline: &'a str,
    /// The variants compared with the baseline, in order.
    others: &'a [&'a String],
    /// Holm-adjusted p-value and family by (metric, variant) position.
    adjusted: &'a BTreeMap<(usize, usize), (f64, Family)>,
    is_primary: &'a [bool],
}

impl Corrected<'_> {
    /// The adjusted p-value and family of metric `i`'s comparison of variant `j`.
    fn correction(&self, i: usize, j: usize) -> (Option<f64>, Family) {
        match self.adjusted.get(&(i, j)) {
            Some((adj, family)) => (Some(*adj), *family),
            None if self.is_primary[i] => (None, Family::Primary { comparisons: self.others.len() }),
            None => (None, Family::Secondary { comparisons: 0 }),
        }
    }
}

impl Comparison {
    pub fn metric(&self, name: &str) -> Option<&MetricComparison> {
        self.metrics.iter().find(|m| m.metric == name)
    }

    /// The metrics this comparison leads with, in order: the primary, the
    /// other key metrics, then each service counter's wait, share of those
    /// who gave up there and what they left unbought (the figures a
    /// staffing question turns on).
    pub fn key_metrics(&self) -> Vec<&str> {
        let counters = self
            .metrics
            .iter()
            .map(|m| m.metric.as_str())
            .filter(|m| ["counter_wait/", "counter_gave_up/", "counter_lost/"].iter().any(|k| m.starts_with(k)));
        std::iter::once(self.primary.as_str())
            .chain(KEY_METRICS.iter().copied().filter(|m| *m != self.primary))
            .chain(counters)
            .collect()
    }

    /// The metrics a comparison's tables show: the key ones, then every
    /// other metric that passes its correction for some layout (the
    /// summary says the table marks them: six such were in no table).
    pub fn headline(&self) -> Vec<&str> {
        let mut names = self.key_metrics();
        let passing = self
            .metrics
            .iter()
            .filter(|m| m.variants.iter().any(|v| v.versus_baseline.as_ref().is_some_and(|d| d.significant)));
        for m in passing {
            if !names.contains(&m.metric.as_str()) {
                names.push(&m.metric);
            }
        }
        names
    }
}
