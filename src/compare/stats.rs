//! Small-sample statistics for comparing layouts: t intervals, paired and
//! unpaired (Welch) differences, Holm's correction, replications for power.

use statrs::distribution::{ContinuousCDF, Normal, StudentsT};

/// Two-sided confidence level used throughout.
pub const CONFIDENCE: f64 = 0.95;
pub const ALPHA: f64 = 1.0 - CONFIDENCE;

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

/// Two-sided `1 − alpha` quantile of Student's t with `df` degrees of freedom.
pub fn t_quantile(df: f64) -> f64 {
    StudentsT::new(0.0, 1.0, df.max(1e-9)).expect("valid t").inverse_cdf(1.0 - ALPHA / 2.0)
}

/// Mean and t confidence interval of a sample.
pub fn mean_ci(xs: &[f64]) -> Estimate {
    let (n, m) = (xs.len(), mean(xs));
    if n < 2 {
        return Estimate { mean: m, lo: m, hi: m, n };
    }
    let h = t_quantile((n - 1) as f64) * (variance(xs) / n as f64).sqrt();
    Estimate { mean: m, lo: m - h, hi: m + h, n }
}

/// Two-sided p-value of `t` with `df` degrees of freedom. A difference with
/// no spread at all is certain (p = 0) unless it is exactly zero (p = 1).
fn p_value(diff: f64, se: f64, df: f64) -> f64 {
    if se == 0.0 {
        return if diff == 0.0 { 1.0 } else { 0.0 };
    }
    let t = StudentsT::new(0.0, 1.0, df.max(1e-9)).expect("valid t");
    (2.0 * (1.0 - t.cdf((diff / se).abs()))).clamp(0.0, 1.0)
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

/// Paired comparison of `variant` with `base`; element `i` of each comes
/// from the same seed.
pub fn paired(base: &[f64], variant: &[f64]) -> Difference {
    assert_eq!(base.len(), variant.len(), "paired samples come in pairs");
    let d: Vec<f64> = variant.iter().zip(base).map(|(v, b)| v - b).collect();
    let n = d.len();
    let paired = mean_ci(&d);
    let sd = variance(&d).sqrt();
    let p = p_value(paired.mean, sd / (n as f64).sqrt(), (n.max(2) - 1) as f64);
    // Welch: unequal variances, Satterthwaite degrees of freedom.
    let (va, vb) = (variance(variant) / n as f64, variance(base) / n as f64);
    let se = (va + vb).sqrt();
    let df = if se > 0.0 { (va + vb).powi(2) / (va * va / (n as f64 - 1.0) + vb * vb / (n as f64 - 1.0)) } else { 1.0 };
    let h = if n >= 2 { t_quantile(df) * se } else { 0.0 };
    let unpaired = Estimate { mean: paired.mean, lo: paired.mean - h, hi: paired.mean + h, n };
    let b = mean(base);
    let rel = |x: f64| if b != 0.0 { x / b.abs() } else { 0.0 };
    let relative = Estimate { mean: rel(paired.mean), lo: rel(paired.lo), hi: rel(paired.hi), n };
    Difference { paired, unpaired, relative, p, sd }
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

/// Replications needed to detect a difference of `effect` (in the metric's
/// units) with `power`, given the paired standard deviation `sd` (normal
/// approximation: n = ((z₁₋α/₂ + z_power) · sd / effect)²).
pub fn replications_for(effect: f64, sd: f64, power: f64) -> Option<u64> {
    if effect == 0.0 || !sd.is_finite() {
        return None;
    }
    let z = Normal::new(0.0, 1.0).expect("standard normal");
    let n = ((z.inverse_cdf(1.0 - ALPHA / 2.0) + z.inverse_cdf(power)) * sd / effect.abs()).powi(2);
    Some((n.ceil() as u64).max(2))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn t_quantiles_match_the_tables() {
        for (df, q) in [(1.0, 12.706), (4.0, 2.776), (9.0, 2.262), (29.0, 2.045), (1e6, 1.960)] {
            assert!((t_quantile(df) - q).abs() < 1e-3, "df {df}: {}", t_quantile(df));
        }
    }

    #[test]
    fn paired_interval_and_p_value_by_hand() {
        // Differences 1, 2, 3, 4, 5: mean 3, sd √2.5, se √0.5, t = 4.243 on 4 df.
        let base = [10.0, 10.0, 10.0, 10.0, 10.0];
        let variant = [11.0, 12.0, 13.0, 14.0, 15.0];
        let d = paired(&base, &variant);
        let h = 2.776445 * 0.5f64.sqrt();
        assert!((d.paired.mean - 3.0).abs() < 1e-12);
        assert!((d.paired.lo - (3.0 - h)).abs() < 1e-4 && (d.paired.hi - (3.0 + h)).abs() < 1e-4);
        assert!((d.p - 0.013236).abs() < 1e-4, "p = {}", d.p);
        assert!((d.relative.mean - 0.3).abs() < 1e-12);
    }

    #[test]
    fn identical_samples_are_no_difference() {
        let xs = [3.0, 4.0, 5.0];
        let d = paired(&xs, &xs);
        assert_eq!((d.paired.mean, d.p), (0.0, 1.0));
    }

    #[test]
    fn holm_adjusts_step_down() {
        // m = 4: 4·0.01, 3·0.02, 2·0.03, then monotone; the largest stays capped.
        let adjusted = holm(&[0.03, 0.01, 0.5, 0.02]);
        let expected = [0.06, 0.04, 0.5, 0.06];
        for (a, e) in adjusted.iter().zip(expected) {
            assert!((a - e).abs() < 1e-12, "{adjusted:?}");
        }
    }

    #[test]
    fn replications_for_power_by_hand() {
        // (1.95996 + 0.84162)² · (2 / 1)² = 31.4 → 32.
        assert_eq!(replications_for(1.0, 2.0, 0.8), Some(32));
    }
}
