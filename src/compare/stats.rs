//! Small-sample statistics for comparing layouts: t intervals, paired and
//! unpaired (Welch) differences, Holm's correction, replications for power,
//! and the methods that keep their coverage where the t interval does not
//! (rare events, heavy tails, too few days, baselines near zero).

use rand::{Rng, RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

mod power;
mod ratio;

pub use power::{Replications, replications_for, t_test_power};
use serde::Serialize;
use statrs::distribution::{Binomial, ChiSquared, ContinuousCDF, DiscreteCDF, StudentsT};

/// Two-sided level of every test (0.05 exactly: as 1 − 0.95 it was
/// written 0.050000000000000044 in every comparison.json).
pub const ALPHA: f64 = 0.05;
/// Two-sided confidence level used throughout (0.95 exactly).
pub const CONFIDENCE: f64 = 1.0 - ALPHA;

/// A mean with its confidence interval.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Estimate {
    pub mean: f64,
    pub lo: f64,
    pub hi: f64,
    pub n: usize,
}

impl Estimate {
    pub fn half_width(&self) -> f64 {
        (self.hi - self.lo) / 2.0
    }
}

pub fn mean(xs: &[f64]) -> f64 {
    if xs.is_empty() { 0.0 } else { xs.iter().sum::<f64>() / xs.len() as f64 }
}

/// Sample variance (n − 1 in the denominator).
pub fn variance(xs: &[f64]) -> f64 {
    if xs.len() < 2 {
        return 0.0;
    }
    let m = mean(xs);
    xs.iter().map(|x| (x - m) * (x - m)).sum::<f64>() / (xs.len() - 1) as f64
}

/// Sample covariance (n − 1 in the denominator).
fn covariance(xs: &[f64], ys: &[f64]) -> f64 {
    if xs.len() < 2 {
        return 0.0;
    }
    let (mx, my) = (mean(xs), mean(ys));
    xs.iter().zip(ys).map(|(x, y)| (x - mx) * (y - my)).sum::<f64>() / (xs.len() - 1) as f64
}

/// Two-sided `1 − ALPHA` quantile of Student's t with `df` degrees of freedom.
pub fn t_quantile(df: f64) -> f64 {
    t_quantile_at(df, ALPHA)
}

/// Two-sided `1 − alpha` quantile of Student's t with `df` degrees of freedom.
pub fn t_quantile_at(df: f64, alpha: f64) -> f64 {
    StudentsT::new(0.0, 1.0, df.max(1e-9)).expect("valid t").inverse_cdf(1.0 - alpha / 2.0)
}

/// Mean and t confidence interval of a sample (a point when n < 2; the
/// comparison never draws an interval from fewer than two days, see `analyse`).
pub fn mean_ci(xs: &[f64]) -> Estimate {
    mean_ci_at(xs, ALPHA)
}

/// `mean_ci` at two-sided level `alpha`.
pub fn mean_ci_at(xs: &[f64], alpha: f64) -> Estimate {
    let (n, m) = (xs.len(), mean(xs));
    if n < 2 {
        return Estimate { mean: m, lo: m, hi: m, n };
    }
    let h = t_quantile_at((n - 1) as f64, alpha) * (variance(xs) / n as f64).sqrt();
    Estimate { mean: m, lo: m - h, hi: m + h, n }
}

/// Two-sided p-value of `t` with `df` degrees of freedom, from the upper
/// tail (so p-values far below 1e-16 do not round to 0). A difference with
/// no spread at all is certain (p = 0) unless it is exactly zero (p = 1).
fn p_value(diff: f64, se: f64, df: f64) -> f64 {
    if se == 0.0 {
        return if diff == 0.0 { 1.0 } else { 0.0 };
    }
    let t = StudentsT::new(0.0, 1.0, df.max(1e-9)).expect("valid t");
    (2.0 * t.sf((diff / se).abs())).clamp(0.0, 1.0)
}

/// A variant against the baseline.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Difference {
    /// Variant − baseline, paired by seed (common random numbers).
    pub paired: Estimate,
    /// The same difference treating the two samples as independent (Welch).
    pub unpaired: Estimate,
    /// Paired difference relative to the baseline mean.
    pub relative: Estimate,
    pub p: f64,
    /// Standard deviation of the paired differences.
    pub sd: f64,
}

/// Paired t comparison of `variant` with `base`; element `i` of each comes
/// from the same seed. The plain textbook figures: `analyse` decides when
/// they can be trusted.
pub fn paired(base: &[f64], variant: &[f64]) -> Difference {
    assert_eq!(base.len(), variant.len(), "paired samples come in pairs");
    let d: Vec<f64> = variant.iter().zip(base).map(|(v, b)| v - b).collect();
    let n = d.len();
    let paired = mean_ci(&d);
    let sd = variance(&d).sqrt();
    let p = p_value(paired.mean, sd / (n as f64).sqrt(), (n.max(2) - 1) as f64);
    let unpaired = welch(base, variant, ALPHA);
    let b = mean(base);
    let rel = |x: f64| if b != 0.0 { x / b.abs() } else { 0.0 };
    let relative = Estimate { mean: rel(paired.mean), lo: rel(paired.lo), hi: rel(paired.hi), n };
    Difference { paired, unpaired, relative, p, sd }
}

/// The unpaired (Welch) interval of the difference of means: unequal
/// variances, Satterthwaite degrees of freedom.
pub fn welch(base: &[f64], variant: &[f64], alpha: f64) -> Estimate {
    let n = base.len();
    let m = mean(variant) - mean(base);
    let (va, vb) = (variance(variant) / n as f64, variance(base) / n as f64);
    let se = (va + vb).sqrt();
    let df = if se > 0.0 { (va + vb).powi(2) / (va * va / (n as f64 - 1.0) + vb * vb / (n as f64 - 1.0)) } else { 1.0 };
    let h = if n >= 2 { t_quantile_at(df, alpha) * se } else { 0.0 };
    Estimate { mean: m, lo: m - h, hi: m + h, n }
}

/// Holm's step-down adjustment of p-values (controls the family-wise error).
pub fn holm(ps: &[f64]) -> Vec<f64> {
    let m = ps.len();
    let mut order: Vec<usize> = (0..m).collect();
    order.sort_by(|&a, &b| ps[a].total_cmp(&ps[b]).then(a.cmp(&b)));
    let mut adjusted = vec![0.0; m];
    let mut running = 0.0f64;
    for (rank, &i) in order.iter().enumerate() {
        running = running.max(((m - rank) as f64 * ps[i]).min(1.0));
        adjusted[i] = running;
    }
    adjusted
}

/// How a paired difference was estimated: the comparison picks the method
/// from the days themselves and says which it used.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Method {
    /// Fewer than two days with a value in both layouts: no interval, no verdict.
    TooFew,
    /// The same value on every day in both layouts: no difference was seen,
    /// and no interval can be drawn from days that never differ.
    Identical,
    /// Paired t on the daily differences.
    PairedT,
    /// Fewer differing days than the exact sign-flip test can pass from
    /// (and not few enough to go to it): the paired t's interval, but a p
    /// no lower than that test's
    /// (the t's own p holds only for normal days; near-lattice A/A days
    /// read "a real difference" by it).
    FewDaysT,
    /// Differences on few days of a rate: the events that differ are pooled
    /// over the days as Poisson counts (exact Garwood bounds, split by
    /// Bonferroni between more and fewer events; exact sign test on events),
    /// counted in bursts where the days scatter more than Poisson counts.
    RareCounts,
    /// Few or heavy-tailed differences without counts: exact sign-flip
    /// randomisation test, and the union of the t and studentised bootstrap
    /// intervals.
    Resampled,
    /// Skewed differences, but not so far that one day carries the mean:
    /// the union of the t and studentised bootstrap intervals (the t's
    /// alone fell short of its level), and the t's p where the bootstrap's
    /// test passes too, else the larger of the two.
    SkewedT,
}

impl Method {
    /// What a reader is told the figure rests on.
    pub fn describe(self) -> &'static str {
        match self {
            Method::TooFew => "fewer than two days: no interval",
            Method::Identical => "identical on every day",
            Method::PairedT => "paired t",
            Method::FewDaysT => "paired t interval, p the larger of the t's and the sign-flip test's at so few days",
            Method::RareCounts => "rare events pooled as Poisson counts",
            Method::Resampled => "sign-flip test, bootstrap-t interval",
            Method::SkewedT => "paired t and bootstrap-t, for skewed days",
        }
    }
}

impl std::fmt::Display for Method {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.describe())
    }
}

/// A paired difference as the comparison reports it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Analysis {
    pub method: Method,
    /// Days with a value in both layouts.
    pub n: usize,
    /// Mean of variant − baseline over those days.
    pub mean: f64,
    /// Confidence interval of `mean`; `None` with `TooFew` and `Identical`.
    pub interval: Option<(f64, f64)>,
    /// Two-sided p-value; `None` with `TooFew`.
    pub p: Option<f64>,
    /// Standard deviation of the daily differences.
    pub sd: f64,
}

/// Differences are "few" when some days do not differ and fewer than this
/// many days, or than half the days, do: the t interval's spread estimate
/// then rests on a handful of values and collapses when they are all
/// zero. Days that all differ (four of four) leave nothing to collapse:
/// the paired t holds there as at any count.
const FEW_NONZERO: usize = 5;
/// Sample skewness of the differences beyond which the t interval's
/// coverage falls short (right or left tails): the interval takes the
/// studentised bootstrap's wider side (`SkewedT`). Ten days of a skewed
/// difference show a skewness well under the true one (a mean of 1.1 for
/// a true 1.9 on a busy lane), so the bar is low: with the t's interval up
/// to 1.5, a busy lane's mean wait was covered 92% of the time at ten days;
/// from 0.5, 93.5% (`tests/calibration.rs`). Both judged only from days
/// enough for the sign-flip test to pass.
const SKEWED: f64 = 0.5;
/// Sample skewness beyond which one day far off the rest may carry the
/// t's p as well: the exact sign-flip test gives it (`Resampled`).
const HEAVY_SKEW: f64 = 1.5;
/// Bootstrap resamples for the studentised interval.
const BOOTSTRAP: usize = 4000;

/// Indices of the days with a value in both layouts (a ratio with nothing
/// to divide by that day is NaN and left out).
pub fn paired_days(base: &[f64], variant: &[f64]) -> Vec<usize> {
    (0..base.len()).filter(|&i| base[i].is_finite() && variant[i].is_finite()).collect()
}

/// Analyses `variant − base` paired by day, at two-sided level `alpha`.
/// `exposure` is the baseline's denominator per day for a rate (e.g.
/// parties for conversion), which lets rare differences be pooled as event
/// counts. Days where either value is missing (NaN: nothing to divide by)
/// are left out.
pub fn analyse(base: &[f64], variant: &[f64], exposure: Option<&[f64]>, alpha: f64) -> Analysis {
    assert_eq!(base.len(), variant.len(), "paired samples come in pairs");
    let keep = paired_days(base, variant);
    let d: Vec<f64> = keep.iter().map(|&i| variant[i] - base[i]).collect();
    let n = d.len();
    let sd = variance(&d).sqrt();
    let m = if n == 0 { f64::NAN } else { mean(&d) };
    if n < 2 {
        return Analysis { method: Method::TooFew, n, mean: m, interval: None, p: None, sd };
    }
    let nonzero = d.iter().filter(|x| **x != 0.0).count();
    let exposure: Option<Vec<f64>> =
        exposure.map(|e| keep.iter().map(|&i| e[i]).collect()).filter(|e: &Vec<f64>| e.iter().all(|x| *x > 0.0));
    let few = nonzero < n && nonzero < FEW_NONZERO.max(n.div_ceil(2));
    match (few, exposure) {
        // A rate the same on every day still gets its pooled counts'
        // interval: the same counts in both layouts bound how far the rate
        // could move, they do not show it cannot.
        (true, Some(e)) => rare_counts(&d, &e, alpha),
        _ if nonzero == 0 => Analysis { method: Method::Identical, n, mean: 0.0, interval: None, p: Some(1.0), sd },
        (true, None) => resampled(&d, alpha),
        // Days the layouts agree on exactly, among days that differ, are no
        // normal days: a point mass at zero. Six of ten abandonment rates
        // a little higher, four the same, read p 0.008 by the t, below the
        // 0.031 the exact sign-flip test can reach from six differing days,
        // and passed a Holm step no exact test could. (Below the days that
        // test can pass from, the t's p is held to its anyway: `FewDaysT`.)
        (false, _) if nonzero < n && sign_flip_floor(nonzero) <= alpha => resampled(&d, alpha),
        // Skew calls for the sign-flip test only where that test can pass:
        // below six days it cannot, and five days of a plain shift (one a
        // little apart) read unbounded though the unpaired interval was
        // tight. A skewness from so few days is mostly noise anyway.
        (false, _) if sign_flip_floor(nonzero) <= alpha && skewness(&d).abs() > HEAVY_SKEW => resampled(&d, alpha),
        // Days that all differ by the same amount (counts, ticks, prices
        // are discrete) have no spread: the t test would call any such
        // difference certain (p = 0, an interval of no width; two A/A days
        // of +1 item each were "significant"). The exact sign-flip test
        // says what so few days can show.
        (false, _) if sd <= 1e-9 * m.abs() => resampled(&d, alpha),
        // Below the days the exact test can pass from, a tie between two
        // days marks a figure of few values (whole items, ticks): two or
        // three of them agreeing in sign read "significant" by the t a
        // quarter of the time in A/A comparisons, though the sign-flip test
        // shows no such days can tell. Days that all differ, each by its
        // own amount, keep the paired t.
        (false, _) if sign_flip_floor(nonzero) > alpha && has_tie(&d) => resampled(&d, alpha),
        (false, _) => {
            let e = mean_ci_at(&d, alpha);
            let p = p_value(e.mean, sd / (n as f64).sqrt(), (n - 1) as f64);
            // Below the days the exact test can pass from, the t's p holds
            // only for normal days; per-visitor figures of whole items are
            // nearly a lattice (one item fewer a day over 76–78 visitors),
            // and such A/A days read "a real difference" (p 0.001). No p
            // below the exact test's: the interval stays, the verdict waits
            // (and the method's name says whose p it is).
            let (method, p, interval) = if sign_flip_floor(nonzero) > alpha {
                (Method::FewDaysT, p.max(sign_flip_p(&d)), (e.lo, e.hi))
            } else if skewness(&d).abs() > SKEWED {
                // No change is left out of the widened interval exactly
                // when both tests pass at `alpha` (the t's p alone read
                // "significant" beside an interval crossing no change).
                // Past that, the t's p: the bootstrap's, from 4,000
                // resamples of ten days, rarely goes below 1 in 2,000 (a
                // resample of two or three days reaches any t), and no
                // secondary metric of the main job could pass its Holm step.
                let w = widened(&d, alpha);
                (Method::SkewedT, if w.bootstrap_p < alpha { p } else { p.max(w.bootstrap_p) }, w.interval)
            } else {
                (Method::PairedT, p, (e.lo, e.hi))
            };
            Analysis { method, n, mean: e.mean, interval: Some(interval), p: Some(p), sd }
        }
    }
}

/// Whether two of the values are equal (within float noise of the
/// largest: −0.1 and −0.09999999999999856 are one tick).
fn has_tie(xs: &[f64]) -> bool {
    let mut sorted = xs.to_vec();
    sorted.sort_by(f64::total_cmp);
    let tolerance = 1e-9 * sorted.iter().fold(0.0f64, |a, x| a.max(x.abs()));
    sorted.windows(2).any(|w| w[1] - w[0] <= tolerance)
}

/// Sample skewness (adjusted Fisher–Pearson); 0 without spread.
fn skewness(xs: &[f64]) -> f64 {
    let n = xs.len() as f64;
    let m = mean(xs);
    let m2 = xs.iter().map(|x| (x - m).powi(2)).sum::<f64>() / n;
    if n < 3.0 || m2 == 0.0 {
        return 0.0;
    }
    let m3 = xs.iter().map(|x| (x - m).powi(3)).sum::<f64>() / n;
    (n * (n - 1.0)).sqrt() / (n - 2.0) * m3 / m2.powf(1.5)
}

/// Garwood's exact Poisson bounds for an observed count `x` (which may be
/// fractional when a rate times its exposure is not a whole number): the
/// lower bound at tail `a`, the upper at tail `a`.
fn poisson_bounds(x: f64, a: f64) -> (f64, f64) {
    let lower = if x <= 0.0 { 0.0 } else { ChiSquared::new(2.0 * x).expect("df > 0").inverse_cdf(a) / 2.0 };
    let upper = ChiSquared::new(2.0 * x + 2.0).expect("df > 0").inverse_cdf(1.0 - a) / 2.0;
    (lower, upper)
}

/// Rare differences of a rate: each day's difference times the day's
/// exposure is the net number of events that happened in one layout only.
/// More and fewer events are pooled over the days and bounded as Poisson
/// counts; the interval holds when most days do not differ at all, where a
/// t interval collapses to a point.
fn rare_counts(d: &[f64], exposure: &[f64], alpha: f64) -> Analysis {
    let n = d.len() as f64;
    let more: f64 = d.iter().zip(exposure).map(|(x, e)| x.max(0.0) * e).sum();
    let fewer: f64 = d.iter().zip(exposure).map(|(x, e)| (-x).max(0.0) * e).sum();
    // Each day's rate moves by its events ÷ its own exposure, so pooled
    // events move the mean rate by between count ÷ (n · largest exposure)
    // and count ÷ (n · smallest): each bound takes the end that widens it.
    // (Dividing both by the smallest pushed the bound nearer zero past the
    // truth once exposures varied over many days: a third of the
    // intervals missed at a hundred days.)
    let (least, most) = exposure.iter().fold((f64::INFINITY, 0.0f64), |(lo, hi), &e| (lo.min(e), hi.max(e)));
    // Events that come in bursts (one cascade moving several parties) are
    // not independent: the counts are bounded as Poisson counts of bursts,
    // each `phi` events, and scaled back.
    let phi = dispersion(d, exposure);
    let bounds = |x: f64| {
        let (lo, hi) = poisson_bounds(x / phi, alpha / 4.0);
        (lo * phi, hi * phi)
    };
    let ((more_lo, more_hi), (fewer_lo, fewer_hi)) = (bounds(more), bounds(fewer));
    let interval = ((more_lo / most - fewer_hi / least) / n, (more_hi / least - fewer_lo / most) / n);
    let (k, m) = ((more / phi).round() as u64, ((more / phi).round() + (fewer / phi).round()) as u64);
    let p = if m == 0 {
        1.0
    } else {
        let b = Binomial::new(0.5, m).expect("valid binomial");
        let tail = b.cdf(k).min(if k == 0 { 1.0 } else { b.sf(k - 1) });
        (2.0 * tail).min(1.0)
    };
    Analysis {
        method: Method::RareCounts,
        n: d.len(),
        mean: mean(d),
        interval: Some(interval),
        p: Some(p),
        sd: variance(d).sqrt(),
    }
}

/// How much more the days' event counts scatter than independent events
/// would (the quasi-Poisson dispersion, at least 1): Pearson's chi-square of
/// each day's events `|d| × exposure` against its share of all of them by
/// exposure, over the days less one. Bursts of events on few days (a
/// cascade that turned several parties away at once) read far above 1.
fn dispersion(d: &[f64], exposure: &[f64]) -> f64 {
    let counts: Vec<f64> = d.iter().zip(exposure).map(|(x, e)| x.abs() * e).collect();
    let (total, reach) = (counts.iter().sum::<f64>(), exposure.iter().sum::<f64>());
    if d.len() < 2 || total <= 0.0 || reach <= 0.0 {
        return 1.0;
    }
    let chi2: f64 = counts
        .iter()
        .zip(exposure)
        .map(|(c, e)| {
            let expected = total * e / reach;
            (c - expected).powi(2) / expected
        })
        .sum();
    (chi2 / (d.len() - 1) as f64).max(1.0)
}

/// The smallest p-value `sign_flip_p` can give from `n` days: every day
/// differing the same way, two of the 2^n sign patterns (one in 2^16 + 1
/// beyond the days it enumerates).
pub fn sign_flip_floor(n: usize) -> f64 {
    if n <= 16 { 2.0 / (1u64 << n) as f64 } else { 1.0 / ((1u64 << 16) + 1) as f64 }
}

/// The fewest differing days from which the sign-flip test can pass at
/// `alpha` (`sign_flip_floor` at most `alpha`).
pub fn sign_flip_days(alpha: f64) -> u64 {
    (1..=17).find(|&n| sign_flip_floor(n) <= alpha).unwrap_or(17) as u64
}

/// Exact two-sided sign-flip randomisation test of a zero mean (every sign
/// pattern of the non-zero differences up to 2^16, otherwise 2^16 patterns
/// drawn from a stream keyed by the data).
fn sign_flip_p(d: &[f64]) -> f64 {
    let nz: Vec<f64> = d.iter().copied().filter(|x| *x != 0.0).collect();
    if nz.is_empty() {
        return 1.0;
    }
    let observed = nz.iter().sum::<f64>().abs();
    let tolerance = 1e-12 * nz.iter().map(|x| x.abs()).sum::<f64>();
    let extreme = |signs: u64| {
        let s: f64 = nz.iter().enumerate().map(|(i, x)| if signs >> (i % 64) & 1 == 1 { -x } else { *x }).sum();
        s.abs() >= observed - tolerance
    };
    if nz.len() <= 16 {
        let total = 1u64 << nz.len();
        return (0..total).filter(|s| extreme(*s)).count() as f64 / total as f64;
    }
    let mut rng = keyed_rng(d);
    let draws = 1usize << 16;
    // One random word gives 64 days their signs (a draw per day made this
    // test most of the time a comparison of twenty days took).
    let mut words = vec![0u64; nz.len().div_ceil(64)];
    let hits = (0..draws)
        .filter(|_| {
            words.iter_mut().for_each(|w| *w = rng.next_u64());
            let s: f64 =
                nz.iter().enumerate().map(|(i, x)| if words[i / 64] >> (i % 64) & 1 == 1 { -x } else { *x }).sum();
            s.abs() >= observed - tolerance
        })
        .count();
    (hits + 1) as f64 / (draws + 1) as f64
}

/// A random stream keyed by the data, so the same days always give the
/// same interval (results do not depend on run order or thread count).
fn keyed_rng(d: &[f64]) -> ChaCha8Rng {
    let mut key = [0u8; 32];
    for (i, x) in d.iter().enumerate() {
        for (j, b) in x.to_bits().to_le_bytes().iter().enumerate() {
            let k = (i * 8 + j) % 32;
            key[k] = key[k].rotate_left(3) ^ b;
        }
    }
    ChaCha8Rng::from_seed(key)
}

/// Heavy-tailed or few differences: exact sign-flip p-value and the
/// `widened` interval.
fn resampled(d: &[f64], alpha: f64) -> Analysis {
    Analysis {
        method: Method::Resampled,
        n: d.len(),
        mean: mean(d),
        interval: Some(widened(d, alpha).interval),
        p: Some(sign_flip_p(d)),
        sd: variance(d).sqrt(),
    }
}

/// The union of the t interval and the studentised bootstrap interval of
/// the days' mean, and the bootstrap's own test of no change.
struct Widened {
    /// Never narrower than the textbook interval, it widens towards a
    /// skewed tail.
    interval: (f64, f64),
    /// Two-sided: the share of resamples whose studentised mean lies at or
    /// beyond the days' own t on the side of their mean, doubled; below
    /// `alpha` when the bootstrap's interval leaves no change out.
    bootstrap_p: f64,
}

/// `d`'s widened interval at `alpha`, and the bootstrap's p.
fn widened(d: &[f64], alpha: f64) -> Widened {
    let n = d.len();
    let t = mean_ci_at(d, alpha);
    let (m, se) = (t.mean, (variance(d) / n as f64).sqrt());
    let differing = d.iter().filter(|x| **x != 0.0).count();
    if sign_flip_floor(differing) > alpha {
        // So few days differ that the test can never pass, and their few
        // resamples bound nothing (three days gave +3.2e15%): no bound.
        return Widened { interval: (f64::NEG_INFINITY, f64::INFINITY), bootstrap_p: 1.0 };
    }
    let (mut lo, mut hi, mut bootstrap_p) = (t.lo, t.hi, 1.0);
    if se > 0.0 {
        let mut rng = keyed_rng(d);
        let mut stats = Vec::with_capacity(BOOTSTRAP);
        let mut sample = vec![0.0; n];
        for _ in 0..BOOTSTRAP {
            for x in sample.iter_mut() {
                *x = d[rng.random_range(0..n)];
            }
            let s = (variance(&sample) / n as f64).sqrt();
            // A resample with no spread has no studentised value; counting it
            // as infinitely far keeps the interval conservative.
            stats.push(if s > 0.0 { (mean(&sample) - m) / s } else { f64::INFINITY.copysign(mean(&sample) - m) });
        }
        let own_t = m / se;
        let beyond = stats.iter().filter(|&&s| if m > 0.0 { s >= own_t } else { s <= own_t }).count();
        bootstrap_p = if m == 0.0 { 1.0 } else { (2.0 * beyond as f64 / BOOTSTRAP as f64).min(1.0) };
        (lo, hi) = joined((lo, hi), m, se, tail_quantiles(&mut stats, alpha));
    }
    Widened { interval: (lo, hi), bootstrap_p }
}

/// The t interval `t` of a mean `m` with standard error `se` joined with
/// the studentised bootstrap's, whose quantiles are `(q_lo, q_hi)`: each
/// end the farther of the two (unbounded where a resample with no spread
/// sets the quantile).
fn joined(t: (f64, f64), m: f64, se: f64, (q_lo, q_hi): (f64, f64)) -> (f64, f64) {
    let lo = if q_hi.is_finite() { t.0.min(m - q_hi * se) } else { f64::NEG_INFINITY };
    let hi = if q_lo.is_finite() { t.1.max(m - q_lo * se) } else { f64::INFINITY };
    (lo, hi)
}

/// The `alpha / 2` and `1 − alpha / 2` quantiles of the bootstrap's
/// studentised values (order statistics, found without sorting them all:
/// a comparison asks for thousands).
fn tail_quantiles(stats: &mut [f64], alpha: f64) -> (f64, f64) {
    let rank = |q: f64| ((q * stats.len() as f64) as usize).min(stats.len() - 1);
    let (r_lo, r_hi) = (rank(alpha / 2.0), rank(1.0 - alpha / 2.0));
    let (_, &mut q_lo, above) = stats.select_nth_unstable_by(r_lo, f64::total_cmp);
    let q_hi = if r_hi > r_lo { *above.select_nth_unstable_by(r_hi - r_lo - 1, f64::total_cmp).1 } else { q_lo };
    (q_lo, q_hi)
}

/// The change relative to the baseline mean, only when the baseline is
/// clearly away from zero (its own interval excludes zero) and the
/// interval is bounded; `None` otherwise. With the paired t it is Fieller's interval for
/// mean(difference) ÷ mean(baseline), which counts the baseline's own
/// uncertainty and their covariance; with resampled and skewed days,
/// Fieller's argument over their joined interval (`ratio`); with rare
/// counts, the Bonferroni box of the difference's and the baseline's
/// intervals, each at `alpha / 2`. `a` is `analyse`'s of the same days at
/// the same `alpha` (the resampled ratio takes its interval as drawn).
pub fn relative(base: &[f64], variant: &[f64], exposure: Option<&[f64]>, a: &Analysis, alpha: f64) -> Option<Estimate> {
    let keep = paired_days(base, variant);
    let b: Vec<f64> = keep.iter().map(|&i| base[i]).collect();
    let d: Vec<f64> = keep.iter().map(|&i| variant[i] - base[i]).collect();
    let n = b.len();
    let bm = mean(&b);
    if n < 2 || bm == 0.0 {
        return None;
    }
    // Baseline clearly away from zero: its own interval excludes it.
    let be = mean_ci_at(&b, alpha);
    if be.lo <= 0.0 && be.hi >= 0.0 {
        return None;
    }
    let (lo, hi) = match a.method {
        Method::TooFew | Method::Identical => return None,
        Method::PairedT | Method::FewDaysT => {
            let t = t_quantile_at((n - 1) as f64, alpha);
            let (v11, v22, v12) = (variance(&d) / n as f64, variance(&b) / n as f64, covariance(&d, &b) / n as f64);
            let g = t * t * v22 / (bm * bm);
            if g >= 1.0 {
                return None;
            }
            let r = a.mean / bm;
            let lean = if v22 > 0.0 { g * v12 / v22 } else { 0.0 };
            let rest = if v22 > 0.0 { v12 * v12 / v22 } else { 0.0 };
            let root = (v11 - 2.0 * r * v12 + r * r * v22 - g * (v11 - rest)).max(0.0).sqrt();
            let h = t / bm.abs() * root;
            ((r - lean - h) / (1.0 - g), (r - lean + h) / (1.0 - g))
        }
        Method::Resampled | Method::SkewedT => ratio::resampled_ratio(&d, &b, a.interval?, alpha)?,
        Method::RareCounts => {
            let be = mean_ci_at(&b, alpha / 2.0);
            if be.lo <= 0.0 && be.hi >= 0.0 {
                return None;
            }
            // By the method the days were analysed with: chosen again at
            // `alpha / 2`, five to six differing days could switch to another.
            let (dl, dh) = match exposure {
                Some(e) => {
                    let e: Vec<f64> = keep.iter().map(|&i| e[i]).collect();
                    rare_counts(&d, &e, alpha / 2.0).interval?
                }
                None => resampled(&d, alpha / 2.0).interval?,
            };
            let corners = [dl / be.lo, dl / be.hi, dh / be.lo, dh / be.hi];
            (
                corners.iter().copied().fold(f64::INFINITY, f64::min),
                corners.iter().copied().fold(f64::NEG_INFINITY, f64::max),
            )
        }
    };
    // Six differing days bound a resampled difference at `alpha` but not
    // at `alpha / 2`: the change is then read in absolute terms, whose
    // interval is bounded, not as a relative one with none.
    if !(lo.is_finite() && hi.is_finite()) {
        return None;
    }
    Some(Estimate { mean: a.mean / bm, lo, hi, n })
}

#[cfg(test)]
mod tests;
