//! The comparison a release publishes. Each compared figure is a ratio of
//! noised totals over a layout's days (the figure the release lists), and
//! a variant's difference from the baseline is the difference of the two
//! ratios over the seeds both have, so the two tables agree. Its interval
//! rests on the spread of the ratios' linearised per-day terms, which
//! holds the day-to-day variation and each day's noise, and is never
//! narrower than the noise alone makes it (known exactly from the
//! calibration): a difference of zero because both layouts' noised
//! figures came out at zero is not a certain "no change". A figure whose
//! noised denominator is not clearly above zero gets no estimate at all.

use serde::Serialize;

use super::Gathered;
use crate::compare::stats::t_quantile;
use crate::privacy::contrib::Bounds;
use crate::privacy::query::{Answers, Calibration, Query};
use crate::scenario::BASELINE;

/// A figure compared between layouts: `scale × num ÷ Σ den` over queries'
/// totals in their natural units (cents, ms, shoppers).
pub struct Compared {
    pub metric: &'static str,
    num: Query,
    den: &'static [Query],
    scale: f64,
    /// The largest value the figure can take (1 for a rate).
    most: f64,
}

/// The figures a release compares, written over its queries as the metric
/// catalogue writes them over sums (a test holds them equal).
pub const COMPARED: [Compared; 7] = [
    Compared { metric: "revenue_per_visitor", num: Query::Revenue, den: &[Query::Visitors], scale: 0.01, most: INF },
    Compared { metric: "conversion_rate", num: Query::Transactions, den: &[Query::Parties], scale: 1.0, most: 1.0 },
    Compared { metric: "basket_value", num: Query::Revenue, den: &[Query::Transactions], scale: 0.01, most: INF },
    Compared { metric: "basket_items", num: Query::Items, den: &[Query::Transactions], scale: 1.0, most: INF },
    Compared {
        metric: "time_in_store_mean",
        num: Query::TimeInStore,
        den: &[Query::Visitors],
        scale: 0.001,
        most: INF,
    },
    Compared { metric: "queue_wait_mean", num: Query::QueueWait, den: &[Query::QueueJoins], scale: 0.001, most: INF },
    Compared {
        metric: "abandonment_rate",
        num: Query::Abandons,
        den: &[Query::Transactions, Query::Abandons],
        scale: 1.0,
        most: 1.0,
    },
];

const INF: f64 = f64::INFINITY;

/// A noised denominator is clearly above zero this many noise standard
/// deviations up; nearer, the ratio could be anything.
const CLEAR_OF_ZERO_SD: f64 = 3.0;

/// A variant against the baseline, paired by seed. `None` where the noise
/// leaves the figure undefined (its denominator not clear of zero), or no
/// interval can be drawn (fewer than two days), or the baseline is zero.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ComparisonRow {
    pub variant: String,
    pub metric: String,
    pub difference: Option<f64>,
    pub lo: Option<f64>,
    pub hi: Option<f64>,
    pub relative: Option<f64>,
}

/// How a compared figure reads: only a `Clear` one is told as a change;
/// the page greys the others and `comparison.csv` names each.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reading {
    /// Its interval lies wholly on one side of zero.
    Clear,
    /// Its interval holds zero: the layouts may not differ at all.
    HoldsZero,
    /// A difference with no interval (the days drew none).
    NoInterval,
    /// No difference at all: the noise leaves the figure undefined.
    Undefined,
}

impl Reading {
    /// The word `comparison.csv` gives it.
    pub fn word(self) -> &'static str {
        match self {
            Reading::Clear => "",
            Reading::HoldsZero => "holds_zero",
            Reading::NoInterval => "no_interval",
            Reading::Undefined => "undefined",
        }
    }
}

impl ComparisonRow {
    pub fn reading(&self) -> Reading {
        match (self.difference, self.lo.zip(self.hi)) {
            (None, _) => Reading::Undefined,
            (Some(_), None) => Reading::NoInterval,
            (Some(_), Some((lo, hi))) if lo <= 0.0 && hi >= 0.0 => Reading::HoldsZero,
            (Some(_), Some(_)) => Reading::Clear,
        }
    }
}

/// A figure over some runs of one layout: each run's numerator and
/// denominator, and the noise variance of one run's of each.
struct Sums {
    x: Vec<f64>,
    y: Vec<f64>,
    noise: (f64, f64),
    /// The largest ratio the figure allows, in the sums' units.
    most: f64,
}

impl Sums {
    fn of(c: &Compared, runs: &[&Answers], noise: (f64, f64), b: &Bounds) -> Sums {
        let total = |a: &Answers, q: Query| a.0[q as usize][0] as f64 * q.spec(b).step;
        Sums {
            x: runs.iter().map(|a| total(a, c.num)).collect(),
            y: runs.iter().map(|a| c.den.iter().map(|&q| total(a, q)).sum()).collect(),
            noise,
            most: c.most / c.scale,
        }
    }

    /// Σx ÷ Σy, unless the denominator is within reach of the noise or
    /// the ratio outside what the figure can be (a negative revenue, a rate
    /// over 1: the noise swamped the numerator). Left as they are, never
    /// clamped, the figures and their differences agree.
    fn ratio(&self) -> Option<f64> {
        self.defined_ratio().filter(|r| (0.0..=self.most).contains(r))
    }

    /// Σx ÷ Σy wherever the denominator is clear of the noise, in range or
    /// not: the figures table lists it as it came out, marked when out of
    /// range (dropping those the noise pushed low would leave the rest
    /// leaning high).
    fn defined_ratio(&self) -> Option<f64> {
        let (sx, sy) = (self.x.iter().sum::<f64>(), self.y.iter().sum::<f64>());
        clear_of_zero(sy, self.y.len(), self.noise.1).then_some(sx / sy)
    }

    /// Each run's linearised term `(x − r·y) ÷ ȳ`: the ratio moves by their
    /// mean when the runs move.
    fn terms(&self, r: f64) -> Vec<f64> {
        let y_mean = self.y.iter().sum::<f64>() / self.y.len() as f64;
        self.x.iter().zip(&self.y).map(|(x, y)| (x - r * y) / y_mean).collect()
    }

    /// The ratio's variance from the noise alone.
    fn noise_variance(&self, r: f64) -> f64 {
        let sy: f64 = self.y.iter().sum();
        self.y.len() as f64 * (self.noise.0 + r * r * self.noise.1) / (sy * sy)
    }
}

/// The 95% half-width from per-day terms (at least the noise's own).
fn half_width(terms: &[f64], noise_variance: f64) -> Option<f64> {
    let n = terms.len();
    if n < 2 {
        return None;
    }
    let sampled = terms.iter().map(|z| z * z).sum::<f64>() / (n * (n - 1)) as f64;
    Some(t_quantile((n - 1) as f64) * sampled.max(noise_variance).sqrt())
}

/// Per-run noise variances of a compared figure's numerator and denominator.
fn noise_of(c: &Compared, cal: &Calibration, b: &Bounds) -> (f64, f64) {
    (cal.noise_variance(c.num, b), c.den.iter().map(|&q| cal.noise_variance(q, b)).sum())
}

/// A layout's compared figure over its runs, with its 95% interval (none
/// from a single day) and the standard deviation of its noise alone.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Estimate {
    pub value: f64,
    pub interval: Option<(f64, f64)>,
    pub noise_sd: f64,
}

/// A layout's compared figure over its noised runs: `None` for a figure
/// not compared, `Some(None)` where the noise leaves it undefined or out
/// of range.
pub fn figure(metric: &str, runs: &[&Answers], cal: &Calibration, b: &Bounds) -> Option<Option<Estimate>> {
    let (c, sums) = compared_sums(metric, runs, cal, b)?;
    Some(sums.ratio().map(|r| estimate(c, &sums, r)))
}

/// A compared figure as the figures table lists it: `figure`, but kept
/// where the noise put it out of range (the table marks it so).
pub fn listed_figure(metric: &str, runs: &[&Answers], cal: &Calibration, b: &Bounds) -> Option<Option<Estimate>> {
    let (c, sums) = compared_sums(metric, runs, cal, b)?;
    Some(sums.defined_ratio().map(|r| estimate(c, &sums, r)))
}

fn compared_sums(metric: &str, runs: &[&Answers], cal: &Calibration, b: &Bounds) -> Option<(&'static Compared, Sums)> {
    let c = COMPARED.iter().find(|c| c.metric == metric)?;
    Some((c, Sums::of(c, runs, noise_of(c, cal, b), b)))
}

/// The figure at ratio `r` of `sums`, with its interval and noise.
fn estimate(c: &Compared, sums: &Sums, r: f64) -> Estimate {
    let noise_variance = sums.noise_variance(r);
    let h = half_width(&sums.terms(r), noise_variance);
    Estimate {
        value: c.scale * r,
        interval: h.map(|h| (c.scale * (r - h), c.scale * (r + h))),
        noise_sd: c.scale * noise_variance.sqrt(),
    }
}

/// The noised total of `query`'s `cell` over `runs`, in its natural unit.
pub fn noised_total(runs: &[&Answers], query: Query, cell: usize, b: &Bounds) -> f64 {
    runs.iter().map(|a| a.0[query as usize][cell] as f64).sum::<f64>() * query.spec(b).step
}

/// Whether the noised total of `query`'s `cell` over `runs` is clearly
/// above zero: a figure divided by it is defined.
pub fn clear_of_noise(runs: &[&Answers], query: Query, cell: usize, cal: &Calibration, b: &Bounds) -> bool {
    clear_of_zero(noised_total(runs, query, cell, b), runs.len(), cal.noise_variance(query, b))
}

/// Whether a noised total over `runs` runs, each with noise of `variance`,
/// is clearly above zero.
fn clear_of_zero(total: f64, runs: usize, variance: f64) -> bool {
    total > 0.0 && total > CLEAR_OF_ZERO_SD * (runs as f64 * variance).sqrt()
}

/// A compared figure over `runs` as a release makes it (a ratio of sums
/// over the days) but from unbounded, noise-free answers: `None` for a
/// figure that is not compared, `Some(None)` where nothing divides it.
pub fn exact_figure(metric: &str, runs: &[&Answers]) -> Option<Option<f64>> {
    let c = COMPARED.iter().find(|c| c.metric == metric)?;
    let sums = Sums::of(c, runs, (0.0, 0.0), &Bounds::unbounded());
    let sy: f64 = sums.y.iter().sum();
    Some((sy > 0.0).then(|| c.scale * sums.x.iter().sum::<f64>() / sy))
}

/// The exact difference of a compared figure over the seeds both layouts
/// have (`exact_figure` of each): what a release's interval is meant to cover.
pub fn exact_difference(metric: &str, base: &[&Answers], variant: &[&Answers]) -> Option<f64> {
    Some(exact_figure(metric, variant)?? - exact_figure(metric, base)??)
}

/// The runs of layouts `base` and `variant` on the seeds both have, in seed order.
pub fn paired_runs<'a, T>(g: &Gathered, runs: &'a [Vec<T>], variant: usize) -> (Vec<&'a T>, Vec<&'a T>) {
    let (b, v) = (&g.variants[0], &g.variants[variant]);
    v.runs
        .iter()
        .enumerate()
        .filter_map(|(i, r)| {
            let j = b.runs.iter().position(|x| x.seed == r.seed)?;
            Some((&runs[0][j], &runs[variant][i]))
        })
        .unzip()
}

/// Said of each variant that shares fewer than two seeds with the
/// baseline (a shard's runs, seeds run apart): the release lists its
/// figures and compares it with nothing.
pub fn uncompared(g: &Gathered, noised: &[Vec<Answers>]) -> Vec<String> {
    if g.variants.len() > 1 && !has_baseline(g) {
        return vec![format!(
            "the dataset holds no day of `{BASELINE}`: the release lists each variant's figures but compares none \
             (one variant's difference from another is no comparison with the baseline); run `{BASELINE}` on the \
             variants' seeds"
        )];
    }
    (1..g.variants.len())
        .filter_map(|i| {
            let shared = paired_runs(g, noised, i).0.len();
            (shared < 2).then(|| {
                format!(
                    "variant `{}` shares {shared} seed(s) with `{}`: the release lists its figures but compares it with \
                     nothing (a comparison needs two days of both); run the same seeds of both",
                    g.variants[i].variant, g.variants[0].variant
                )
            })
        })
        .collect()
}

/// Whether the first variant with runs is the baseline (the variants
/// come in the scenario's order, the baseline first, those without runs
/// left out): without its days, no other stands in for it.
fn has_baseline(g: &Gathered) -> bool {
    g.variants.first().is_some_and(|v| v.variant == BASELINE)
}

/// Every variant against the first (the baseline) on the seeds both have,
/// from each run's noised answers (`noised[variant][run]`).
pub fn comparison(g: &Gathered, noised: &[Vec<Answers>], cal: &Calibration, b: &Bounds) -> Vec<ComparisonRow> {
    if !has_baseline(g) {
        return Vec::new();
    }
    let mut rows = Vec::new();
    for i in 1..g.variants.len() {
        let (base, variant) = paired_runs(g, noised, i);
        if base.len() < 2 {
            continue;
        }
        for c in &COMPARED {
            let noise = noise_of(c, cal, b);
            let (sb, sv) = (Sums::of(c, &base, noise, b), Sums::of(c, &variant, noise, b));
            let row = |difference, interval: Option<(f64, f64)>, relative| ComparisonRow {
                variant: g.variants[i].variant.clone(),
                metric: c.metric.to_owned(),
                difference,
                lo: interval.map(|i| i.0),
                hi: interval.map(|i| i.1),
                relative,
            };
            let (Some(rb), Some(rv)) = (sb.ratio(), sv.ratio()) else {
                rows.push(row(None, None, None));
                continue;
            };
            let terms: Vec<f64> = sv.terms(rv).iter().zip(sb.terms(rb)).map(|(v, b)| v - b).collect();
            let h = half_width(&terms, sv.noise_variance(rv) + sb.noise_variance(rb));
            let d = rv - rb;
            // Relative only to a baseline clearly away from zero by its own
            // interval, as a comparison's: over one the noise swamped
            // (2.25 noised, about 30 exact) a difference read +300%.
            let base_clear = half_width(&sb.terms(rb), sb.noise_variance(rb)).is_some_and(|h| rb > h);
            let relative = base_clear.then(|| d / rb);
            rows.push(row(Some(c.scale * d), h.map(|h| (c.scale * (d - h), c.scale * (d + h))), relative));
        }
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metrics::catalogue::{CATALOGUE, Formula, Totals};

    /// Each difference reads as its interval allows: a change only where
    /// the interval lies on one side of zero.
    #[test]
    fn a_difference_reads_as_its_interval_allows() {
        let cases = [
            (Some(0.4), Some((0.1, 0.7)), Reading::Clear, ""),
            (Some(-0.4), Some((-0.7, -0.1)), Reading::Clear, ""),
            (Some(0.4), Some((-0.1, 0.9)), Reading::HoldsZero, "holds_zero"),
            (Some(0.0), Some((0.0, 0.3)), Reading::HoldsZero, "holds_zero"),
            (Some(0.4), None, Reading::NoInterval, "no_interval"),
            (None, None, Reading::Undefined, "undefined"),
        ];
        for (difference, interval, reading, word) in cases {
            let row = ComparisonRow {
                variant: "v".into(),
                metric: "m".into(),
                difference,
                lo: interval.map(|i| i.0),
                hi: interval.map(|i| i.1),
                relative: None,
            };
            assert_eq!((row.reading(), row.reading().word()), (reading, word), "{difference:?} {interval:?}");
        }
    }

    /// The compared figures are the catalogue's, on any sums.
    #[test]
    fn compared_figures_are_the_catalogues() {
        let t = Totals {
            days: 1.0,
            visitors: 97.0,
            parties: 61.0,
            transactions: 43.0,
            revenue_cents: 123_456.0,
            items_sold: 300.0,
            time_in_store_s: 81_234.0,
            stays: 97.0,
            queue_wait_s: 4_321.0,
            waits: 52.0,
            abandons: 9.0,
        };
        let total = |q: Query| match q {
            Query::Visitors => t.visitors,
            Query::Parties => t.parties,
            Query::Transactions => t.transactions,
            Query::Revenue => t.revenue_cents,
            Query::Items => t.items_sold,
            Query::TimeInStore => t.time_in_store_s * 1000.0,
            Query::QueueJoins => t.waits,
            Query::QueueWait => t.queue_wait_s * 1000.0,
            Query::Abandons => t.abandons,
            other => panic!("{other:?} is not compared"),
        };
        for c in &COMPARED {
            let def = CATALOGUE.iter().find(|d| d.name == c.metric).expect("a catalogue figure");
            let Formula::Totals(f) = def.formula else { panic!("{} is written over sums", c.metric) };
            let ours = c.scale * total(c.num) / c.den.iter().map(|&q| total(q)).sum::<f64>();
            assert!((ours - f(&t)).abs() < 1e-9 * f(&t).abs(), "{}: {ours} vs {}", c.metric, f(&t));
        }
    }

    #[test]
    fn an_interval_is_never_narrower_than_the_noise_alone() {
        // Two days that agree exactly: no spread, yet the noise has a variance.
        assert_eq!(half_width(&[0.0, 0.0], 4.0), Some(t_quantile(1.0) * 2.0));
        assert_eq!(half_width(&[0.0], 4.0), None);
        let s = Sums { x: vec![10.0, 12.0], y: vec![1.0, -0.5], noise: (1.0, 1.0), most: INF };
        assert_eq!(s.ratio(), None, "a denominator within the noise's reach");
        let rate = |x: Vec<f64>| Sums { x, y: vec![100.0, 100.0], noise: (1.0, 1.0), most: 1.0 }.ratio();
        assert_eq!((rate(vec![90.0, 110.0]), rate(vec![-5.0, 1.0]), rate(vec![110.0, 95.0])), (Some(1.0), None, None));
    }
}
