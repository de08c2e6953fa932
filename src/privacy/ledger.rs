//! The privacy budget of a dataset and what each release spent of it.
//!
//! Pure ε-DP releases (discrete Laplace) and ρ-zCDP releases (discrete
//! Gaussian) are accounted together: pure ε-DP implies ε²/2-zCDP (Bun &
//! Steinke 2016, Prop. 1.4), zCDP composes by adding ρ, and ρ-zCDP implies
//! (ρ + 2√(ρ ln(1/δ)), δ)-DP (ibid., Prop. 1.3). While every release is pure,
//! the plain sum of ε is used when it is smaller.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::events::dataset::write_atomic;

/// Where the ledger lives in a dataset.
pub const LEDGER_PATH: &str = "privacy/ledger.json";

/// The total a dataset may ever spend.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Budget {
    pub epsilon: f64,
    /// δ at which zCDP releases are converted to (ε, δ).
    pub delta: f64,
}

/// Which randomness made a release's noise.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "source", rename_all = "snake_case")]
pub enum NoiseRecord {
    /// ChaCha20 seeded by the user: reproducible, for simulation studies only.
    Seeded { seed: u64 },
    /// ChaCha20 keyed from the operating system's entropy.
    OsEntropy,
}

/// What a release costs, in the model its mechanism satisfies.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(tag = "model", rename_all = "snake_case")]
pub enum Cost {
    /// ε-differential privacy.
    Pure { epsilon: f64 },
    /// ρ-zero-concentrated differential privacy.
    Zcdp { rho: f64 },
    /// Local geo-indistinguishability of exported positions: not part of
    /// the central budget (each point is protected on its own).
    Local { epsilon_per_metre: f64 },
}

impl Cost {
    fn rho(&self) -> f64 {
        match *self {
            Cost::Pure { epsilon } => epsilon * epsilon / 2.0,
            Cost::Zcdp { rho } => rho,
            Cost::Local { .. } => 0.0,
        }
    }
}

/// One query of a release: what was measured and how much noise it got.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QueryRecord {
    pub query: String,
    /// Values per shopper are clamped to this (in `unit`s) before summing.
    pub clamp: f64,
    pub unit: String,
    /// Sensitivities in grid steps (rounding to the grid included).
    pub sensitivity_l1: u64,
    pub sensitivity_l2: f64,
    /// Laplace scale b (P ∝ exp(−|x|/b)) or Gaussian variance σ², in grid steps.
    pub noise_parameter: f64,
    pub share: f64,
}

/// One line of the ledger.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Entry {
    pub name: String,
    pub created_unix_s: u64,
    pub mechanism: String,
    pub cost: Cost,
    pub noise: NoiseRecord,
    /// How groups of shoppers were composed.
    pub composition: String,
    pub queries: Vec<QueryRecord>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Ledger {
    pub budget: Budget,
    pub entries: Vec<Entry>,
}

#[derive(Debug, thiserror::Error)]
pub enum LedgerError {
    #[error(
        "{}: this release needs ε = {needed:.4} but only {left:.4} of the dataset's budget ε = {total} (δ = {delta:e}) is left ({spent:.4} spent by {releases} release(s)); nothing was written. Publish with a smaller --epsilon, or make a new dataset",
        path.display()
    )]
    OverBudget { path: PathBuf, needed: f64, left: f64, spent: f64, total: f64, delta: f64, releases: usize },
    #[error(
        "{}: the dataset's budget is fixed at ε = {fixed} when it was first published; --budget {asked} cannot change it",
        path.display()
    )]
    BudgetFixed { path: PathBuf, fixed: f64, asked: f64 },
    #[error("{}: a release named `{name}` already exists; choose another --name", path.display())]
    NameTaken { path: PathBuf, name: String },
    #[error("{}: unreadable ledger: {message}", path.display())]
    Corrupt { path: PathBuf, message: String },
    #[error("{}: {source}", path.display())]
    Io { path: PathBuf, source: std::io::Error },
}

/// ε of ρ-zCDP at δ.
pub fn zcdp_to_epsilon(rho: f64, delta: f64) -> f64 {
    if rho <= 0.0 { 0.0 } else { rho + 2.0 * (rho * (1.0 / delta).ln()).sqrt() }
}

/// The largest ρ whose (ε, δ) conversion is at most `epsilon`.
pub fn epsilon_to_zcdp(epsilon: f64, delta: f64) -> f64 {
    let l = (1.0 / delta).ln();
    ((l + epsilon).sqrt() - l.sqrt()).powi(2)
}

impl Ledger {
    /// The ledger of `dir`, or a new one with `budget` if none exists. A
    /// `budget` differing from an existing ledger's is refused.
    pub fn open(dir: &Path, budget: Option<Budget>) -> Result<Ledger, LedgerError> {
        let path = dir.join(LEDGER_PATH);
        match std::fs::read(&path) {
            Ok(bytes) => {
                let ledger: Ledger = serde_json::from_slice(&bytes)
                    .map_err(|e| LedgerError::Corrupt { path: path.clone(), message: e.to_string() })?;
                if let Some(b) = budget
                    && b.epsilon != ledger.budget.epsilon
                {
                    return Err(LedgerError::BudgetFixed { path, fixed: ledger.budget.epsilon, asked: b.epsilon });
                }
                Ok(ledger)
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                Ok(Ledger { budget: budget.unwrap_or(DEFAULT_BUDGET), entries: Vec::new() })
            }
            Err(source) => Err(LedgerError::Io { path, source }),
        }
    }

    /// ε spent so far at the budget's δ, by the tighter of the two accountings.
    pub fn spent(&self) -> f64 {
        spent(self.entries.iter().map(|e| e.cost), self.budget.delta)
    }

    /// Checks that `entry` fits in what is left.
    pub fn admit(&self, dir: &Path, entry: &Entry) -> Result<(), LedgerError> {
        let path = dir.join(LEDGER_PATH);
        if self.entries.iter().any(|e| e.name == entry.name) {
            return Err(LedgerError::NameTaken { path, name: entry.name.clone() });
        }
        let before = self.spent();
        let after = spent(self.entries.iter().map(|e| e.cost).chain([entry.cost]), self.budget.delta);
        // A hair of tolerance so that spending exactly the budget is allowed.
        if after > self.budget.epsilon * (1.0 + 1e-12) {
            return Err(LedgerError::OverBudget {
                path,
                needed: after - before,
                left: (self.budget.epsilon - before).max(0.0),
                spent: before,
                total: self.budget.epsilon,
                delta: self.budget.delta,
                releases: self.entries.len(),
            });
        }
        Ok(())
    }

    /// Writes the ledger atomically.
    pub fn save(&self, dir: &Path) -> Result<(), LedgerError> {
        let path = dir.join(LEDGER_PATH);
        let io = |source| LedgerError::Io { path: path.clone(), source };
        std::fs::create_dir_all(path.parent().expect("ledger path has a parent")).map_err(io)?;
        let json = serde_json::to_vec_pretty(self).expect("ledger serialises");
        write_atomic(&path, &json).map_err(io)
    }
}

/// A dataset's budget unless `--budget` says otherwise at its first release.
pub const DEFAULT_BUDGET: Budget = Budget { epsilon: 4.0, delta: 1e-6 };

fn spent(costs: impl Iterator<Item = Cost> + Clone, delta: f64) -> f64 {
    let central = costs.filter(|c| !matches!(c, Cost::Local { .. }));
    let rho: f64 = central.clone().map(|c| c.rho()).sum();
    let by_zcdp = zcdp_to_epsilon(rho, delta);
    let pure: Option<f64> = central
        .map(|c| match c {
            Cost::Pure { epsilon } => Some(epsilon),
            _ => None,
        })
        .sum();
    pure.map_or(by_zcdp, |e| e.min(by_zcdp))
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

    #[test]
    fn pure_releases_add_up_and_zcdp_ones_compose_by_rho() {
        let d = 1e-6;
        assert!(
            (spent([Cost::Pure { epsilon: 0.5 }, Cost::Pure { epsilon: 0.25 }].into_iter(), d) - 0.75).abs() < 1e-12
        );
        let rho = epsilon_to_zcdp(1.0, d);
        let two = spent([Cost::Zcdp { rho }, Cost::Zcdp { rho }].into_iter(), d);
        // Two (1, δ) Gaussian releases cost less than 2 under zCDP, more than 1.
        assert!(two > 1.0 && two < 2.0, "{two}");
        assert_eq!(spent([Cost::Local { epsilon_per_metre: 3.0 }].into_iter(), d), 0.0);
    }
}
