//! A resampled difference relative to its baseline: Fieller's argument
//! with `resampled`'s interval in place of the t.

use rand::RngExt;

use super::{BOOTSTRAP, covariance, joined, keyed_rng, mean, sign_flip_floor, t_quantile_at, tail_quantiles, variance};

/// The ratio mean(`d`) ÷ mean(`b`) of paired days: the ratios θ for which
/// the days' `d − θ·b` have an interval, as `resampled` draws one at
/// `alpha` (the t interval joined with the studentised bootstrap's), that
/// holds zero. At θ = 0 that is `d`'s own interval, taken exactly: the
/// ratio's interval is clear of no change exactly when the difference's
/// is. (A box of the difference's and the baseline's intervals at half
/// the level each crossed no change beside a difference clear of it, its
/// baseline surely positive.) Every other θ is judged on one set of
/// resamples of the days, drawn once. `difference` is `widened`'s
/// interval of `d` at `alpha` (for `Resampled` and `SkewedT` days).
/// `None` when the set reaches no end.
pub(super) fn resampled_ratio(d: &[f64], b: &[f64], difference: (f64, f64), alpha: f64) -> Option<(f64, f64)> {
    let days = Days::resampled(d, b, alpha);
    let r = mean(d) / mean(b);
    // Whether no change is in the set is known exactly: the ends are
    // kept on its side of it, or taken out to it, whatever the resamples
    // do between.
    let zero_holds = difference.0 <= 0.0 && difference.1 >= 0.0;
    let holds = |theta: f64| if theta == 0.0 { zero_holds } else { days.holds_zero(theta) };
    let step = (variance(d) / d.len() as f64).sqrt() / mean(b).abs();
    let step = if step > 0.0 { step } else { r.abs().max(1.0) * 1e-6 };
    // Out from the estimate (where `d − θ·b` has mean zero, inside any
    // interval), doubling, to a ratio outside, but never past zero when
    // zero is outside; then halving the gap between the last inside and
    // the first outside.
    let end = |side: f64| -> Option<f64> {
        let (mut inside, mut reach) = (r, step);
        loop {
            let mut outside = r + side * reach;
            let past_zero = (inside <= 0.0 && outside >= 0.0) || (inside >= 0.0 && outside <= 0.0);
            if past_zero && !zero_holds {
                outside = 0.0;
            }
            if !holds(outside) {
                for _ in 0..HALVINGS {
                    let mid = 0.5 * (inside + outside);
                    if holds(mid) { inside = mid } else { outside = mid }
                }
                return Some(0.5 * (inside + outside));
            }
            inside = outside;
            reach *= 2.0;
            if reach > REACH * (r.abs() + step) {
                return None;
            }
        }
    };
    let (lo, hi) = (end(-1.0)?, end(1.0)?);
    Some(if zero_holds { (lo.min(0.0), hi.max(0.0)) } else { (lo, hi) })
}

/// Halvings of the gap at each end: to a millionth of the first step or
/// better.
const HALVINGS: usize = 20;
/// How far out the interval may reach before it counts as reaching no
/// end: a million times the estimate and its first step.
const REACH: f64 = 1e6;

/// Paired days and their resamples, each kept as its sums, so that the
/// mean and spread of `d − θ·b` in any resample take a few operations;
/// with the days' own means, spreads and t quantile, the same for every θ.
struct Days<'a> {
    d: &'a [f64],
    b: &'a [f64],
    alpha: f64,
    /// The days' means of `d` and `b`.
    means: (f64, f64),
    /// The days' variances of `d` and `b`, and their covariance.
    spread: (f64, f64, f64),
    /// The t quantile at `alpha` for the days' degrees of freedom.
    t: f64,
    /// Of each resample, over the days drawn (centred on the days' own
    /// means, so the squares do not swamp the spread): Σd, Σb, Σd², Σb², Σdb.
    sums: Vec<[f64; 5]>,
}

impl<'a> Days<'a> {
    fn resampled(d: &'a [f64], b: &'a [f64], alpha: f64) -> Days<'a> {
        let n = d.len();
        let (md, mb) = (mean(d), mean(b));
        let both: Vec<f64> = d.iter().chain(b).copied().collect();
        let mut rng = keyed_rng(&both);
        let sums = (0..BOOTSTRAP)
            .map(|_| {
                let mut s = [0.0; 5];
                for _ in 0..n {
                    let i = rng.random_range(0..n);
                    let (x, y) = (d[i] - md, b[i] - mb);
                    s[0] += x;
                    s[1] += y;
                    s[2] += x * x;
                    s[3] += y * y;
                    s[4] += x * y;
                }
                s
            })
            .collect();
        let spread = (variance(d), variance(b), covariance(d, b));
        let t = t_quantile_at(n as f64 - 1.0, alpha);
        Days { d, b, alpha, means: (md, mb), spread, t, sums }
    }

    /// Whether `resampled`'s interval of `d − θ·b` at `alpha`, drawn from
    /// these resamples, holds zero.
    fn holds_zero(&self, theta: f64) -> bool {
        let (n, alpha) = (self.d.len() as f64, self.alpha);
        let ((md, mb), (vd, vb, cov)) = (self.means, self.spread);
        let m = md - theta * mb;
        let var = vd - 2.0 * theta * cov + theta * theta * vb;
        let se = (var.max(0.0) / n).sqrt();
        let t = self.t * se;
        let (mut lo, mut hi) = (m - t, m + t);
        let differing = self.d.iter().zip(self.b).filter(|(d, b)| **d - theta * **b != 0.0).count();
        if sign_flip_floor(differing) > alpha {
            return true;
        }
        if se > 0.0 {
            let mut stats: Vec<f64> = self
                .sums
                .iter()
                .map(|s| {
                    // The resample's `d − θ·b`, centred on the days' `m`.
                    let mean_c = (s[0] - theta * s[1]) / n;
                    let squares = s[2] - 2.0 * theta * s[4] + theta * theta * s[3];
                    let spread = ((squares - n * mean_c * mean_c) / (n - 1.0)).max(0.0);
                    let s = (spread / n).sqrt();
                    if s > 0.0 { mean_c / s } else { f64::INFINITY.copysign(mean_c) }
                })
                .collect();
            (lo, hi) = joined((lo, hi), m, se, tail_quantiles(&mut stats, alpha));
        }
        lo <= 0.0 && hi >= 0.0
    }
}
