//! How many days a comparison needs: the power of the paired t test
//! (noncentral t) and the replications that reach a power.

use serde::Serialize;
use statrs::distribution::{ChiSquared, ContinuousCDF, Normal};

use super::{ALPHA, t_quantile_at};

/// Replications needed, with their uncertainty.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Replications {
    /// From the observed standard deviation of the daily differences.
    pub n: u64,
    /// From the ends of that standard deviation's 95% interval (it is
    /// itself estimated from few days).
    pub lo: u64,
    pub hi: u64,
}

impl Replications {
    /// No fewer than `days` at either end.
    pub fn at_least(self, days: u64) -> Replications {
        Replications { n: self.n.max(days), lo: self.lo.max(days), hi: self.hi.max(days) }
    }
}

/// Power of a two-sided one-sample t test at level `alpha` with `n`
/// observations when the true mean is `effect` standard deviations: the
/// noncentral t, integrated over the chi-square of the variance estimate.
pub fn t_test_power(effect_sd: f64, n: u64, alpha: f64) -> f64 {
    let df = (n - 1) as f64;
    let tc = t_quantile_at(df, alpha);
    let delta = effect_sd * (n as f64).sqrt();
    let chi = ChiSquared::new(df).expect("df > 0");
    let z = Normal::new(0.0, 1.0).expect("standard normal");
    const STEPS: usize = 256;
    (0..STEPS)
        .map(|j| {
            let v = chi.inverse_cdf((j as f64 + 0.5) / STEPS as f64);
            let s = (v / df).sqrt();
            z.cdf(-tc * s + delta) + z.cdf(-tc * s - delta)
        })
        .sum::<f64>()
        / STEPS as f64
}

/// Smallest n ≥ 2 at which the paired t test at `alpha` reaches `power`
/// against `effect` with daily differences of standard deviation `sd`.
pub(super) fn smallest_n(effect: f64, sd: f64, alpha: f64, power: f64) -> u64 {
    const MOST: u64 = 1_000_000;
    let es = effect.abs() / sd;
    let reaches = |n: u64| t_test_power(es, n, alpha) >= power;
    let mut hi = 2;
    while !reaches(hi) {
        if hi >= MOST {
            return MOST;
        }
        hi = (hi * 2).min(MOST);
    }
    let mut lo = (hi / 2).max(1);
    while hi - lo > 1 {
        let mid = (lo + hi) / 2;
        if reaches(mid) { hi = mid } else { lo = mid }
    }
    hi.max(2)
}

/// Replications needed to detect a difference of `effect` (in the metric's
/// units) with `power` by the paired t test at `alpha` (the level the
/// verdict uses), given the standard deviation `sd` of the daily
/// differences seen over `days` days; `None` without an effect or spread.
pub fn replications_for(effect: f64, sd: f64, days: usize, alpha: f64, power: f64) -> Option<Replications> {
    if effect == 0.0 || !effect.is_finite() || !sd.is_finite() || sd <= 0.0 || days < 2 {
        return None;
    }
    let df = (days - 1) as f64;
    let chi = ChiSquared::new(df).expect("df > 0");
    let sd_lo = sd * (df / chi.inverse_cdf(1.0 - ALPHA / 2.0)).sqrt();
    let sd_hi = sd * (df / chi.inverse_cdf(ALPHA / 2.0)).sqrt();
    Some(Replications {
        n: smallest_n(effect, sd, alpha, power),
        lo: smallest_n(effect, sd_lo, alpha, power),
        hi: smallest_n(effect, sd_hi, alpha, power),
    })
}
