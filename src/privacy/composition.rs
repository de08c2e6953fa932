//! How the private releases' costs compose into a dataset's total.
//!
//! Every private release keeps its own (ε, δ): discrete Laplace releases
//! are (ε, 0)-DP, discrete Gaussian ones ρ-zCDP calibrated to an (ε, δ)
//! target. The ledger's total at the budget's δ is the best of three
//! compositions, each a privacy filter (valid for releases chosen after
//! seeing earlier ones) at a third of the budget's δ, so that choosing
//! among them as releases come stays within the budget's δ (a union bound
//! over their failures):
//! - basic: Σε and Σδ, when Σδ stays within its third;
//! - zCDP: pure ε-DP implies ε²/2-zCDP (Bun & Steinke 2016, Prop. 1.4),
//!   ρ adds up, and ρ-zCDP implies (ρ + 2√(ρ ln(1/δ)), δ)-DP (ibid.,
//!   Prop. 1.3);
//! - mixed: Σε of the pure releases plus the zCDP conversion of the
//!   Gaussian ones' Σρ (basic composition of the two parts).

use super::ledger::Cost;

/// ε of ρ-zCDP at δ.
pub fn zcdp_to_epsilon(rho: f64, delta: f64) -> f64 {
    if rho <= 0.0 { 0.0 } else { rho + 2.0 * (rho * (1.0 / delta).ln()).sqrt() }
}

/// The largest ρ whose (ε, δ) conversion is at most `epsilon`.
pub fn epsilon_to_zcdp(epsilon: f64, delta: f64) -> f64 {
    let l = (1.0 / delta).ln();
    // (√(l+ε) − √l)², written without the difference of two near numbers
    // (which made ρ too large by a few parts in a billion at small ε).
    epsilon * epsilon / ((l + epsilon).sqrt() + l.sqrt()).powi(2)
}

/// A total spend and the composition that gave it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Spend {
    pub epsilon: f64,
    pub delta: f64,
    pub by: Composition,
}

/// How releases were composed into the ledger's total.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Composition {
    /// Nothing spent.
    None,
    /// Σε and Σδ.
    Basic,
    /// Σρ converted to (ε, δ) at a third of the budget's δ.
    Zcdp,
    /// Σε of the pure releases plus the Gaussian ones' Σρ converted at a third of the budget's δ.
    Mixed,
}

impl Composition {
    pub fn describe(self) -> &'static str {
        match self {
            Composition::None => "nothing spent",
            Composition::Basic => "basic composition (sum of ε, sum of δ)",
            Composition::Zcdp => {
                "zCDP (sum of ρ, converted to ε at a third of the budget's δ; the three compositions' thirds make up its δ)"
            }
            Composition::Mixed => {
                "basic composition of the pure releases' sum of ε and the Gaussian releases' sum of ρ converted at a third of the budget's δ (the three compositions' thirds make up its δ)"
            }
        }
    }
}

/// The compositions the total is the best of, each at its share of δ.
const COMPOSITIONS: f64 = 3.0;

pub(super) fn spent(costs: impl Iterator<Item = Cost> + Clone, budget_delta: f64) -> Spend {
    if costs.clone().next().is_none() {
        return Spend { epsilon: 0.0, delta: 0.0, by: Composition::None };
    }
    let each = budget_delta / COMPOSITIONS;
    let (eps, delta) = costs.clone().map(|c| c.epsilon_delta(each)).fold((0.0, 0.0), |a, b| (a.0 + b.0, a.1 + b.1));
    let rho: f64 = costs.clone().map(|c| c.rho().0).sum();
    let (pure_eps, gauss_rho) = costs.fold((0.0, 0.0), |(e, r), c| match c.rho() {
        (_, true) => (e + c.epsilon_delta(each).0, r),
        (rho, false) => (e, r + rho),
    });
    // Each composition is a privacy filter for releases chosen after
    // seeing earlier ones; taking the best of three as releases come is
    // covered by none alone, but by the union of their failures: each
    // holds a third of the budget's δ, so together they stay within it.
    // A conversion at a third of δ is stated at the whole: the union of
    // the three compositions' failures is what the total rests on.
    let mixed_delta = if gauss_rho > 0.0 { budget_delta } else { 0.0 };
    // Basic composition is valid only while the δs fit in its share.
    let candidates = [
        (delta <= each * (1.0 + 1e-9)).then_some(Spend { epsilon: eps, delta, by: Composition::Basic }),
        Some(Spend { epsilon: zcdp_to_epsilon(rho, each), delta: budget_delta, by: Composition::Zcdp }),
        Some(Spend {
            epsilon: pure_eps + zcdp_to_epsilon(gauss_rho, each),
            delta: mixed_delta,
            by: Composition::Mixed,
        }),
    ];
    // The smallest ε; among equals (to rounding) the simplest composition.
    candidates
        .into_iter()
        .flatten()
        .reduce(|best, c| if c.epsilon < best.epsilon * (1.0 - 1e-9) { c } else { best })
        .expect("zCDP always applies")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conversions_invert_each_other() {
        for (eps, delta) in [(0.1, 1e-6), (1.0, 1e-6), (4.0, 1e-9)] {
            let rho = epsilon_to_zcdp(eps, delta);
            assert!((zcdp_to_epsilon(rho, delta) - eps).abs() < 1e-9);
        }
    }

    fn gaussian(epsilon: f64, delta: f64) -> Cost {
        Cost::Zcdp { rho: epsilon_to_zcdp(epsilon, delta), epsilon: Some(epsilon), delta: Some(delta) }
    }

    #[test]
    fn the_total_is_the_best_valid_composition() {
        let d = 1e-6;
        // Each composition's share of the budget's δ.
        let t = d / 3.0;
        let small = [Cost::Pure { epsilon: 0.05 }; 100];
        // (releases, expected ε, expected δ, composition)
        let cases: Vec<(Vec<Cost>, f64, f64, Composition)> = vec![
            (vec![], 0.0, 0.0, Composition::None),
            (vec![Cost::Pure { epsilon: 0.5 }, Cost::Pure { epsilon: 0.25 }], 0.75, 0.0, Composition::Basic),
            // Laplace ε = 1 then Gaussian (1, δ/3): basic composition gives (2, δ/3).
            (vec![Cost::Pure { epsilon: 1.0 }, gaussian(1.0, t)], 2.0, t, Composition::Basic),
            // A Gaussian release at the budget's whole δ does not fit basic
            // composition's third: its ρ is converted at δ/3, a little dearer.
            (vec![gaussian(1.0, d)], zcdp_to_epsilon(epsilon_to_zcdp(1.0, d), t), d, Composition::Zcdp),
            // A smaller δ than the share: as asked it is (1, δ/10); its ρ at
            // δ/3 is cheaper, and that is what the ledger holds.
            (vec![gaussian(1.0, d / 10.0)], zcdp_to_epsilon(epsilon_to_zcdp(1.0, d / 10.0), t), d, Composition::Zcdp),
            // Where nothing is cheaper, a Gaussian release is charged as asked.
            (vec![Cost::Pure { epsilon: 0.5 }, gaussian(1.0, t)], 1.5, t, Composition::Basic),
            // Two Gaussian (1, δ/3) releases: their δs exceed the share, zCDP gives less than 2.
            (
                vec![gaussian(1.0, t), gaussian(1.0, t)],
                zcdp_to_epsilon(2.0 * epsilon_to_zcdp(1.0, t), t),
                d,
                Composition::Zcdp,
            ),
            // Many small pure releases: zCDP beats the sum of 5.
            (small.to_vec(), zcdp_to_epsilon(100.0 * 0.05f64.powi(2) / 2.0, t), d, Composition::Zcdp),
            // A pure release beside two Gaussian ones.
            (
                vec![Cost::Pure { epsilon: 3.0 }, gaussian(1.0, t), gaussian(1.0, t)],
                3.0 + zcdp_to_epsilon(2.0 * epsilon_to_zcdp(1.0, t), t),
                d,
                Composition::Mixed,
            ),
            // A local export is charged its pure ε.
            (
                vec![Cost::Local { epsilon_per_metre: 0.1, points_per_shopper: 4, epsilon: 2.5 }],
                2.5,
                0.0,
                Composition::Basic,
            ),
        ];
        for (costs, epsilon, delta, by) in cases {
            let s = spent(costs.iter().copied(), d);
            assert!((s.epsilon - epsilon).abs() < 1e-9, "{costs:?}: ε {} ≠ {epsilon}", s.epsilon);
            assert!((s.delta - delta).abs() < 1e-15, "{costs:?}: δ {} ≠ {delta}", s.delta);
            assert_eq!(s.by, by, "{costs:?}");
        }
    }
}
