//! The figures table of a release (`metrics.csv`, `release.json`'s
//! `variants`, the page's first table): every figure of every variant as
//! the noise left it, with the standard deviation of that noise, a 95%
//! interval, and a mark where the noise swamps it (`Noisy`), so that none
//! reads as exact. Nothing the noise pushed out of range is dropped or
//! clipped: dropping those it pushed low left the rest leaning high.

use std::fmt::Write as _;

use serde::Serialize;

use super::compared::{self, Estimate};
use super::{Gathered, Noised};
use crate::metrics::{Layout, Metric};
use crate::privacy::contrib::Bounds;
use crate::privacy::query::{Answers, Calibration, Query, Totals, most};

/// Noise standard deviations either side of a figure that hold its noise
/// 95% of the time: one discrete Laplace draw's 95% quantile (ln 20 ÷ √2);
/// a sum of draws, or Gaussian noise (1.96), stays within it more often.
pub const NOISE_SDS_95: f64 = 2.12;

/// The figures that are totals per day: the queries summed and the unit
/// per query unit, as the catalogue writes them over sums (a test holds
/// them equal). The rest are `COMPARED` ratios or a zone's.
const PER_DAY: [(&str, &[Query], f64); 5] = [
    ("traffic", &[Query::Visitors], 1.0),
    ("parties", &[Query::Parties], 1.0),
    ("transactions", &[Query::Transactions], 1.0),
    ("revenue", &[Query::Revenue], 0.01),
    ("checkout_arrivals", &[Query::Transactions, Query::Abandons], 1.0),
];

/// Why a listed figure is greyed on the page and marked in the files.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Noisy {
    /// Its 95% interval is at least as wide as the figure itself: the
    /// noise could move it by half of itself or more.
    WideInterval,
    /// The noise put it where the figure cannot be: below zero, a rate
    /// over 1, a mean over what one shopper adds (`query::most`).
    OutOfRange,
    /// Its noised denominator is within the noise's reach: no figure.
    Undefined,
}

impl Noisy {
    /// The rule, for `value` in its 95% `interval` that can be at most `most`.
    pub fn judge(value: Option<f64>, interval: Option<(f64, f64)>, most: f64) -> Option<Noisy> {
        let Some(value) = value else { return Some(Noisy::Undefined) };
        if !(0.0..=most).contains(&value) {
            return Some(Noisy::OutOfRange);
        }
        // A figure known exactly (a block nobody can stand in) has no width.
        let width = interval.map_or(f64::INFINITY, |(lo, hi)| hi - lo);
        (width > 0.0 && width >= value.abs()).then_some(Noisy::WideInterval)
    }

    /// Its mark in a CSV's `noisy` column (empty for a clear figure).
    pub fn mark(noisy: Option<Noisy>) -> &'static str {
        match noisy {
            None => "",
            Some(Noisy::WideInterval) => "wide_interval",
            Some(Noisy::OutOfRange) => "out_of_range",
            Some(Noisy::Undefined) => "undefined",
        }
    }
}

/// The noise's own 95% interval round `value`: ± `NOISE_SDS_95` noise
/// SDs, rounded out to whole steps of `lattice` where the noise is a sum
/// of whole draws on one (a figure's noise below a step: ± 0.94 steps held
/// only the draws of 0, 85% of them at ε = 20). Rounded out, a discrete
/// Laplace draw stays within it at least 95% of the times at any scale,
/// and a sum of draws, or Gaussian draws, more often.
pub fn noise_interval(value: f64, noise_sd: f64, lattice: Option<f64>) -> (f64, f64) {
    let half = NOISE_SDS_95 * noise_sd;
    let half = match lattice {
        Some(step) if step > 0.0 => (half / step).ceil() * step,
        _ => half,
    };
    (value - half, value + half)
}

#[derive(Debug, Clone, Serialize)]
pub(super) struct VariantRelease {
    pub(super) variant: String,
    pub(super) runs: u32,
    pub(super) metrics: Vec<MetricOut>,
}

#[derive(Debug, Clone, Serialize)]
pub(super) struct MetricOut {
    pub(super) name: String,
    pub(super) unit: String,
    /// As the noise left it, out of range too; `None` where undefined.
    pub(super) value: Option<f64>,
    /// The figure's 95% interval: over the days and the noise for a
    /// compared figure (`release::compared`), over the noise alone for the
    /// rest (± `NOISE_SDS_95` noise SDs).
    pub(super) lo95: Option<f64>,
    pub(super) hi95: Option<f64>,
    /// The standard deviation of the noise on `value`.
    pub(super) noise_sd: Option<f64>,
    /// Set where the noise swamps the figure.
    pub(super) noisy: Option<Noisy>,
}

/// Each variant's noised figures over all its runs, from the noised sums
/// as they are: the compared ratios as the comparison computes them, the
/// rest over the sums, each with its noise.
pub(super) fn variant_releases(g: &Gathered, n: &Noised, cal: &Calibration, b: &Bounds) -> Vec<VariantRelease> {
    g.variants
        .iter()
        .zip(&n.runs)
        .map(|(v, runs)| {
            let runs: Vec<&Answers> = runs.iter().collect();
            let figures = Totals::sums(&runs, b).figures(&v.layout);
            VariantRelease {
                variant: v.variant.clone(),
                runs: runs.len() as u32,
                metrics: figures.into_iter().map(|m| listed(m, &runs, &v.layout, (cal, b))).collect(),
            }
        })
        .collect()
}

/// One figure as listed, judged by `Noisy::judge`.
fn listed(m: Metric, runs: &[&Answers], layout: &Layout, (cal, b): (&Calibration, &Bounds)) -> MetricOut {
    let e = estimate(&m, runs, layout, (cal, b));
    let (value, interval) = (e.map(|e| e.value), e.and_then(|e| e.interval));
    MetricOut {
        noisy: Noisy::judge(value, interval, most(&m.name, m.unit, b)),
        unit: m.unit.to_owned(),
        name: m.name,
        value,
        lo95: interval.map(|i| i.0),
        hi95: interval.map(|i| i.1),
        noise_sd: e.map(|e| e.noise_sd),
    }
}

/// A figure's value, 95% interval and noise; `None` where undefined.
fn estimate(m: &Metric, runs: &[&Answers], layout: &Layout, (cal, b): (&Calibration, &Bounds)) -> Option<Estimate> {
    if let Some(e) = compared::listed_figure(&m.name, runs, cal, b) {
        // A single day gives no interval over the days: the noise's stands.
        return e.map(|e| Estimate { interval: e.interval.or(Some(noise_interval(e.value, e.noise_sd, None))), ..e });
    }
    let (noise_sd, lattice) = uncompared_noise(m, runs, layout, (cal, b))?;
    Some(Estimate { value: m.value, interval: Some(noise_interval(m.value, noise_sd, lattice)), noise_sd })
}

/// The noise's standard deviation on a total per day, with the lattice
/// its noise lies on, or on a zone's ratio; `None` where the zone's
/// denominator is within the noise's reach, or for a figure whose noise is
/// not known here (never listed as exact).
fn uncompared_noise(
    m: &Metric,
    runs: &[&Answers],
    layout: &Layout,
    (cal, b): (&Calibration, &Bounds),
) -> Option<(f64, Option<f64>)> {
    let sum_variance = |q: Query| runs.len() as f64 * cal.noise_variance(q, b);
    if let Some((_, queries, unit)) = PER_DAY.iter().find(|(name, ..)| *name == m.name) {
        let days = runs.len().max(1) as f64;
        let sd = unit * queries.iter().map(|&q| sum_variance(q)).sum::<f64>().sqrt() / days;
        // Every draw is a whole number of its query's grid steps.
        let step = queries.iter().map(|q| q.spec(b).step).fold(0.0, f64::max);
        return Some((sd, Some(unit * step / days)));
    }
    let (num, (den, cell), unit) = zone_ratio(layout, &m.name)?;
    if !compared::clear_of_noise(runs, den, cell, cal, b) {
        return None;
    }
    // Linearised: the figure moves by (unit·δnum − figure·δden) ÷ den.
    let den_total = compared::noised_total(runs, den, cell, b);
    Some(((unit * unit * sum_variance(num) + m.value * m.value * sum_variance(den)).sqrt() / den_total, None))
}

/// A zone figure as `unit × num ÷ den`: the numerator's query, the
/// denominator's query and cell (visitors for a visit rate, the zone's
/// visitors for its dwell) and the figure's unit per query unit.
fn zone_ratio(layout: &Layout, metric: &str) -> Option<(Query, (Query, usize), f64)> {
    let zone = |id: &str| layout.zones.iter().position(|z| z == id);
    if metric.strip_prefix("zone_visit_rate/").and_then(zone).is_some() {
        return Some((Query::ZoneVisitors, (Query::Visitors, 0), 1.0));
    }
    let z = metric.strip_prefix("zone_dwell/").and_then(zone)?;
    Some((Query::ZoneDwell, (Query::ZoneVisitors, z), 0.001))
}

/// metrics.csv: every variant's figures, after `head`.
pub(super) fn metrics_csv(head: &str, variants: &[VariantRelease]) -> String {
    let mut csv = format!("{head}variant,metric,unit,value,lo95,hi95,noise_sd,noisy\n");
    let cell = |x: Option<f64>| x.map_or(String::new(), |x| x.to_string());
    for v in variants {
        for m in &v.metrics {
            let (value, lo, hi, sd) = (cell(m.value), cell(m.lo95), cell(m.hi95), cell(m.noise_sd));
            let noisy = Noisy::mark(m.noisy);
            let (variant, name, unit) =
                (super::csv_text(&v.variant), super::csv_text(&m.name), super::csv_text(&m.unit));
            let _ = writeln!(csv, "{variant},{name},{unit},{value},{lo},{hi},{sd},{noisy}");
        }
    }
    csv
}

/// What `aisle publish` prints of the figures: how many the noise swamps.
pub(super) fn noise_summary(variants: &[VariantRelease]) -> String {
    let figures: Vec<&MetricOut> = variants.iter().flat_map(|v| &v.metrics).collect();
    let count = |noisy: Option<Noisy>| figures.iter().filter(|m| m.noisy == noisy).count();
    format!(
        "figures: {} listed, {} clear of the noise; greyed and marked `noisy` in metrics.csv: {} whose 95% interval is \
         as wide as the figure, {} the noise put out of range (listed as they came out, not dropped), {} undefined (a \
         denominator within the noise's reach)",
        figures.len(),
        count(None),
        count(Some(Noisy::WideInterval)),
        count(Some(Noisy::OutOfRange)),
        count(Some(Noisy::Undefined)),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metrics::catalogue::{CATALOGUE, Formula, Totals as Sums};

    /// Every figure over sums has a known noise: a compared ratio, or a
    /// total per day whose queries are the catalogue's.
    #[test]
    fn every_figure_over_sums_has_its_noise_known() {
        let t = Sums {
            days: 4.0,
            visitors: 97.0,
            parties: 61.0,
            transactions: 43.0,
            revenue_cents: 123_456.0,
            ..Sums::default()
        };
        let total = |q: Query| match q {
            Query::Visitors => t.visitors,
            Query::Parties => t.parties,
            Query::Transactions => t.transactions,
            Query::Revenue => t.revenue_cents,
            Query::Abandons => t.abandons,
            other => panic!("{other:?} is not a total per day"),
        };
        for def in &CATALOGUE {
            let Formula::Totals(f) = def.formula else { continue };
            if compared::COMPARED.iter().any(|c| c.metric == def.name) {
                continue;
            }
            let (_, queries, unit) = PER_DAY.iter().find(|(name, ..)| *name == def.name).expect(def.name);
            let ours = unit * queries.iter().map(|&q| total(q)).sum::<f64>() / t.days;
            assert!((ours - f(&t)).abs() < 1e-9 * f(&t).abs(), "{}: {ours} vs {}", def.name, f(&t));
        }
    }

    /// The noise-only interval of a total holds its noise at least 95% of
    /// the time, from a draw below a step wide (± 2.12 SDs unrounded held
    /// only the draws of 0: 85% at a Laplace scale of 0.4) to a thousand
    /// steps, for one day's draw and sums of several days', Laplace and
    /// Gaussian: the exact distribution's mass within it.
    #[test]
    fn the_noise_interval_of_a_total_holds_its_noise_95_percent_of_the_time() {
        use crate::privacy::sample::{discrete_gaussian_pmf, discrete_laplace_pmf};
        let covered = |pmf: &dyn Fn(i64) -> f64, support: i64, draws: usize, lattice: Option<f64>| {
            let one: Vec<f64> = (-support..=support).map(pmf).collect();
            let mut sum = vec![1.0];
            for _ in 0..draws {
                let mut next = vec![0.0; sum.len() + one.len() - 1];
                for (i, a) in sum.iter().enumerate() {
                    for (j, b) in one.iter().enumerate() {
                        next[i + j] += a * b;
                    }
                }
                sum = next;
            }
            let centre = (sum.len() / 2) as i64;
            let variance: f64 = sum.iter().enumerate().map(|(i, p)| p * ((i as i64 - centre) as f64).powi(2)).sum();
            let (lo, hi) = noise_interval(0.0, variance.sqrt(), lattice);
            sum.iter()
                .enumerate()
                .filter(|&(i, _)| (lo..=hi).contains(&((i as i64 - centre) as f64)))
                .map(|(_, p)| p)
                .sum::<f64>()
        };
        let laplace = |scale: f64| move |x: i64| discrete_laplace_pmf(scale, x);
        let gaussian = |sigma2: f64| move |x: i64| discrete_gaussian_pmf(sigma2, x);
        let support = |sd: f64| (40.0 * sd).ceil() as i64 + 2;
        for scale in [0.05, 0.2, 0.4, 0.7, 1.0, 1.6, 2.5, 4.0, 7.0, 12.0, 25.0] {
            for draws in [1, 2, 3, 5] {
                let share = covered(&laplace(scale), support(scale), draws, Some(1.0));
                assert!(share >= 0.95, "Laplace scale {scale}, {draws} draw(s): {share}");
                let share = covered(&gaussian(scale * scale), support(scale), draws, Some(1.0));
                assert!(share >= 0.95, "Gaussian σ {scale}, {draws} draw(s): {share}");
            }
        }
        for scale in [100.0, 330.0, 1000.0] {
            let share = covered(&laplace(scale), support(scale), 1, Some(1.0));
            assert!(share >= 0.95, "Laplace scale {scale}: {share}");
        }
        let unrounded = covered(&laplace(0.4), support(0.4), 1, None);
        assert!((unrounded - 0.848).abs() < 0.001, "{unrounded}");
    }
}
