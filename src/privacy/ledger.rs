//! The privacy budget of a dataset and what each release spent of it.
//!
//! Every private release keeps its own (ε, δ); the ledger's total is
//! their composition (`composition`).
//!
//! Releases made with reproducible (seeded) noise are listed but are not
//! private and spend nothing: the ledger's total counts private releases only.
//!
//! The ledger cannot be silently reset or raced: a release holds an
//! exclusive lock on `privacy/ledger.lock` from its budget check to its
//! ledger entry; entries are hash-chained from the budget (editing the
//! budget or any entry breaks the chain); and every release carries its
//! entry's hash, so a release without its entry (a deleted or rewound
//! ledger) is refused until the ledger is restored.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::composition::spent;
pub use super::composition::{Composition, Spend, epsilon_to_zcdp, zcdp_to_epsilon};
use crate::events::fs::write_atomic;

/// Where the ledger lives in a dataset.
pub const LEDGER_PATH: &str = "privacy/ledger.json";

/// The total a dataset may ever spend.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Budget {
    pub epsilon: f64,
    /// δ at which zCDP releases are converted to (ε, δ).
    pub delta: f64,
}

/// Which randomness made a release's noise. A seed is never recorded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "source", rename_all = "snake_case")]
pub enum NoiseRecord {
    /// ChaCha20 seeded by the user: reproducible noise for simulation
    /// studies. Not private: whoever guesses the seed removes the noise.
    #[serde(alias = "seeded")]
    Reproducible,
    /// ChaCha20 keyed from the operating system's entropy.
    OsEntropy,
}

/// What a release made with reproducible noise says about itself, on every
/// page and in every file.
pub const NOT_PRIVATE: &str = "NOT PRIVATE (reproducible noise, for simulation studies)";

impl NoiseRecord {
    /// Whether the release is differentially private (and spends budget).
    pub fn is_private(self) -> bool {
        matches!(self, NoiseRecord::OsEntropy)
    }
}

/// What a release costs, in the model its mechanism satisfies.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(tag = "model", rename_all = "snake_case")]
pub enum Cost {
    /// ε-differential privacy.
    Pure { epsilon: f64 },
    /// ρ-zero-concentrated differential privacy, calibrated so that it is
    /// also (ε, δ)-DP for the (ε, δ) asked for.
    Zcdp {
        rho: f64,
        #[serde(default)]
        epsilon: Option<f64>,
        #[serde(default)]
        delta: Option<f64>,
    },
    /// A local export: each point geo-indistinguishable at ε per metre,
    /// at most `points_per_shopper` points per shopper, charged as the pure
    /// ε of moving all of one shopper's points anywhere in the store.
    Local {
        epsilon_per_metre: f64,
        #[serde(default)]
        points_per_shopper: u64,
        #[serde(default)]
        epsilon: f64,
    },
}

impl Cost {
    /// (ε, δ) of the release on its own, δ = `at_delta` where only ρ is known.
    pub(super) fn epsilon_delta(&self, at_delta: f64) -> (f64, f64) {
        match *self {
            Cost::Pure { epsilon } | Cost::Local { epsilon, .. } => (epsilon, 0.0),
            Cost::Zcdp { rho, epsilon, delta } => match (epsilon, delta) {
                (Some(e), Some(d)) => (e, d),
                _ => (zcdp_to_epsilon(rho, at_delta), at_delta),
            },
        }
    }

    /// ρ of the release in zCDP, and whether it came from pure ε.
    pub(super) fn rho(&self) -> (f64, bool) {
        match *self {
            Cost::Pure { epsilon } | Cost::Local { epsilon, .. } => (epsilon * epsilon / 2.0, true),
            Cost::Zcdp { rho, .. } => (rho, false),
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
    /// Laplace scale b (P ∝ exp(−|x|/b)) or Gaussian variance σ², in grid
    /// steps, drawn afresh for every cell of every run.
    pub noise_parameter: f64,
    /// The query's share of each run's budget (each run has 1/k of the
    /// release's, k the runs sharing a seed).
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
    /// SHA-256 of every file of the release but `release.json` (which
    /// carries this entry), by path within the release: an edited table,
    /// page or figure no longer matches. Empty in entries older than it.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub files: BTreeMap<String, String>,
    /// SHA-256 of `release.json` as read, less the entry it carries
    /// (`record_sha256`): its repeated figures, comparison and privacy
    /// label cannot be edited either. Empty in entries older than it.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub record_sha256: String,
    /// The previous entry's `sha256` (the budget's hash for the first).
    #[serde(default)]
    pub prev_sha256: String,
    /// SHA-256 of this entry with this field empty.
    #[serde(default)]
    pub sha256: String,
}

impl Entry {
    fn content_sha256(&self) -> String {
        let bare = Entry { sha256: String::new(), ..self.clone() };
        crate::scenario::hex(&Sha256::digest(serde_json::to_vec(&bare).expect("entry serialises")))
    }
}

/// Where the ledger's lock lives in a dataset.
pub const LOCK_PATH: &str = "privacy/ledger.lock";

/// An exclusive hold on a dataset's ledger, released when dropped.
pub struct LedgerLock {
    _file: std::fs::File,
}

/// Waits for and takes the dataset's ledger lock: one release at a time
/// checks, spends and records.
pub fn lock(dir: &Path) -> Result<LedgerLock, LedgerError> {
    let path = dir.join(LOCK_PATH);
    let io = |source| LedgerError::Io { path: path.clone(), source };
    std::fs::create_dir_all(path.parent().expect("lock path has a parent")).map_err(io)?;
    let file = std::fs::OpenOptions::new().create(true).truncate(false).write(true).open(&path).map_err(io)?;
    file.lock().map_err(io)?;
    Ok(LedgerLock { _file: file })
}

/// Whether a release is being made in `dir` now (its ledger lock is held,
/// always alone): its half-written release would read as damage to a
/// reader. A shared probe, so that it keeps no release waiting.
pub fn held(dir: &Path) -> Result<bool, LedgerError> {
    let path = dir.join(LOCK_PATH);
    crate::events::dataset::lock_held(&path, crate::events::dataset::Probe::Shared)
        .map_err(|source| LedgerError::Io { path, source })
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Ledger {
    pub budget: Budget,
    pub entries: Vec<Entry>,
}

/// A δ to three figures: 3.33e-7 (a third of 1e-6), 1e-6.
pub fn short_delta(x: f64) -> String {
    if x == 0.0 {
        return "0".to_owned();
    }
    let s = format!("{x:.2e}");
    let (mantissa, exponent) = s.split_once('e').expect("scientific notation");
    format!("{}e{exponent}", mantissa.trim_end_matches('0').trim_end_matches('.'))
}

/// `fine`, never rounded up: an ε advised as fitting must fit.
fn fine_down(x: f64) -> String {
    let digits = if x != 0.0 && x.abs() < 1e-4 { 3 - x.abs().log10().floor() as i32 } else { 4 };
    let scale = 10f64.powi(digits);
    fine((x * scale).floor() / scale)
}

/// ε to four decimals, or in scientific notation where four decimals
/// would read 0 (a release of ε = 1e-6 "needed 0.0000").
fn fine(x: f64) -> String {
    if x != 0.0 && x.abs() < 1e-4 { format!("{x:.3e}") } else { format!("{x:.4}") }
}

/// `needed` and `left` to as many decimals (four or more) as tell them
/// apart: "needs 0.9617 but only 0.9617 is left" read as no reason at all.
/// (Below 1e-4, as `fine` gives them.)
fn told_apart(needed: f64, left: f64) -> (String, String) {
    (4..=12)
        .filter(|_| needed.abs() >= 1e-4)
        .map(|d| (format!("{needed:.d$}"), format!("{left:.d$}")))
        .find(|(a, b)| a != b)
        .unwrap_or_else(|| (fine(needed), fine(left)))
}

/// "needs ε = … but only …", the two told apart.
fn needs_but_left(needed: f64, left: f64) -> String {
    let (needed, left) = told_apart(needed, left);
    format!("needs ε = {needed} but only {left}")
}

#[derive(Debug, thiserror::Error)]
pub enum LedgerError {
    #[error(
        "{}: this release {} of the dataset's budget ε = {} (δ = {delta:e}) is left ({} spent by {releases} release(s)); nothing was written. {}",
        path.display(),
        needs_but_left(*needed, *left),
        super::compact(*total),
        fine(*spent),
        if *left > 0.0 { format!("Publish with --epsilon at most {}{}", fine_down(*fits), if *per_metre { " per metre" } else { "" }) }
        else { "Nothing is left. (A new dataset of this scenario on the same seeds holds the same shoppers: \
                its releases would spend their privacy again.)".to_owned() }
    )]
    OverBudget {
        path: PathBuf,
        needed: f64,
        left: f64,
        spent: f64,
        total: f64,
        delta: f64,
        releases: usize,
        /// The largest --epsilon that fits in what is left.
        fits: f64,
        /// Whether --epsilon is per metre (a local export's).
        per_metre: bool,
    },
    #[error(
        "{}: the dataset's budget is fixed at ε = {fixed} when it was first published; --budget {asked} cannot change it",
        path.display()
    )]
    BudgetFixed { path: PathBuf, fixed: f64, asked: f64 },
    #[error(
        "{}: a release named `{existing}` already exists{}; choose another --name",
        path.display(),
        if existing == asked { String::new() } else { format!(" (`{asked}` differs from it only in case: one directory where the file system ignores case)") }
    )]
    NameTaken { path: PathBuf, existing: String, asked: String },
    #[error("{}: unreadable ledger: {message}", path.display())]
    Corrupt { path: PathBuf, message: String },
    #[error(
        "{}: {message}; the ledger was edited, so what was spent is unknown. Restore privacy/ledger.json from a backup; nothing was written",
        path.display()
    )]
    Tampered { path: PathBuf, message: String },
    #[error(
        "{}: {message}: the release was changed after it was published; restore it from a backup (its ledger entry \
         holds the hash of every file)",
        path.display()
    )]
    ReleaseEdited { path: PathBuf, message: String },
    #[error(
        "{}: release `{name}` has no entry in the ledger (was privacy/ledger.json deleted or rewound?). Restore the ledger from a backup; nothing was written",
        path.display()
    )]
    Unrecorded { path: PathBuf, name: String },
    #[error("{}: {source}", path.display())]
    Io { path: PathBuf, source: std::io::Error },
}

impl Ledger {
    /// The ledger of `dir`, or a new one with `budget` if none exists. A
    /// `budget` differing from an existing ledger's is refused, and so is a
    /// ledger whose chain is broken or that lacks a release's entry.
    pub fn open(dir: &Path, budget: Option<Budget>) -> Result<Ledger, LedgerError> {
        let path = dir.join(LEDGER_PATH);
        let ledger = match std::fs::read(&path) {
            Ok(bytes) => {
                let ledger: Ledger = serde_json::from_slice(&bytes)
                    .map_err(|e| LedgerError::Corrupt { path: path.clone(), message: e.to_string() })?;
                if let Some(b) = budget
                    && b.epsilon != ledger.budget.epsilon
                {
                    return Err(LedgerError::BudgetFixed { path, fixed: ledger.budget.epsilon, asked: b.epsilon });
                }
                ledger.verify_chain(&path)?;
                ledger
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                Ledger { budget: budget.unwrap_or(DEFAULT_BUDGET), entries: Vec::new() }
            }
            Err(source) => return Err(LedgerError::Io { path, source }),
        };
        ledger.check_releases(dir)?;
        Ok(ledger)
    }

    /// The hash the first entry chains from.
    fn budget_sha256(&self) -> String {
        crate::scenario::hex(&Sha256::digest(serde_json::to_vec(&self.budget).expect("budget serialises")))
    }

    /// The hash the next entry chains from.
    fn head_sha256(&self) -> String {
        self.entries.last().map_or_else(|| self.budget_sha256(), |e| e.sha256.clone())
    }

    /// `entry` chained after the last one, as the ledger will record it.
    pub fn seal(&self, entry: Entry) -> Entry {
        let chained = Entry { prev_sha256: self.head_sha256(), sha256: String::new(), ..entry };
        Entry { sha256: chained.content_sha256(), ..chained }
    }

    /// Every entry hashes to its `sha256` and chains from the one before
    /// (an entry without hashes was stripped of them: every entry is made
    /// with them).
    fn verify_chain(&self, path: &Path) -> Result<(), LedgerError> {
        let mut prev = self.budget_sha256();
        for (i, e) in self.entries.iter().enumerate() {
            let tampered = |message: String| LedgerError::Tampered { path: path.to_owned(), message };
            if e.sha256.is_empty() || e.prev_sha256.is_empty() {
                return Err(tampered(format!("entry {} (`{}`) carries no hash", i + 1, e.name)));
            }
            if e.sha256 != e.content_sha256() {
                return Err(tampered(format!("entry {} (`{}`) does not match its hash", i + 1, e.name)));
            }
            if e.prev_sha256 != prev {
                let what = if i == 0 { "the budget".to_owned() } else { format!("entry {i}") };
                return Err(tampered(format!("entry {} (`{}`) does not chain from {what}", i + 1, e.name)));
            }
            prev = e.sha256.clone();
        }
        Ok(())
    }

    /// Every release in `dir/releases` has its entry here, with the same hash.
    fn check_releases(&self, dir: &Path) -> Result<(), LedgerError> {
        let path = dir.join(LEDGER_PATH);
        let releases = dir.join(crate::events::dataset::RELEASES);
        let listing = std::fs::read_dir(&releases).into_iter().flatten();
        for item in listing {
            let item = item.map_err(|source| LedgerError::Io { path: releases.clone(), source })?;
            let name = item.file_name().to_string_lossy().into_owned();
            // Releases being written are still hidden; they have no entry yet.
            if name.starts_with('.') || !item.path().is_dir() {
                continue;
            }
            let recorded: Option<String> = std::fs::read(item.path().join("release.json"))
                .ok()
                .and_then(|b| serde_json::from_slice::<serde_json::Value>(&b).ok())
                .and_then(|v| v["entry"]["sha256"].as_str().map(str::to_owned));
            match self.entries.iter().find(|e| e.name == name) {
                None => return Err(LedgerError::Unrecorded { path, name }),
                Some(e) => {
                    if let Some(h) = recorded
                        && h != e.sha256
                    {
                        return Err(LedgerError::Tampered {
                            path,
                            message: format!("release `{name}` carries another entry than the ledger's"),
                        });
                    }
                    super::seal::check_release_files(&item.path(), e)?;
                }
            }
        }
        // A release is written before its entry: one listed but gone was
        // deleted (deleting one of its files was refused, the whole let by).
        if let Some(e) = self.entries.iter().find(|e| !releases.join(&e.name).is_dir()) {
            return Err(LedgerError::ReleaseEdited {
                path: releases.join(&e.name),
                message: "the ledger lists this release, but it is not on disk".to_owned(),
            });
        }
        Ok(())
    }

    /// What the private releases spent together, by the tightest valid composition.
    pub fn spent(&self) -> Spend {
        spent(self.private_costs(), self.budget.delta)
    }

    /// What the dataset has published that the ledger's total does not
    /// cover, in words (none when everything is covered): releases with
    /// reproducible noise (as good as exact to whoever guesses the seed)
    /// and local exports (each shows who was in the store, when, and on
    /// which floor: only the positions are noised).
    pub fn uncovered(&self) -> Vec<String> {
        let seeded = self.entries.iter().filter(|e| !e.noise.is_private()).count();
        let local =
            self.entries.iter().filter(|e| e.noise.is_private() && matches!(e.cost, Cost::Local { .. })).count();
        let mut notes = Vec::new();
        if seeded > 0 {
            notes.push(format!(
                "{seeded} release(s) with reproducible noise, not private: the total does not hold for what they show"
            ));
        }
        if local > 0 {
            notes.push(format!(
                "{local} local export(s), each showing who was in the store, when and on which floor (only positions \
                 are noised): the total holds for the rest, not for presence, times or floors"
            ));
        }
        notes
    }

    fn private_costs(&self) -> impl Iterator<Item = Cost> + Clone {
        self.entries.iter().filter(|e| e.noise.is_private()).map(|e| e.cost)
    }

    /// Checks that `entry` has a free name and, if private, fits in what is left.
    pub fn admit(&self, dir: &Path, entry: &Entry) -> Result<(), LedgerError> {
        let path = dir.join(LEDGER_PATH);
        // Release names are directories: two that differ only in case are
        // one on macOS and Windows.
        if let Some(e) = self.entries.iter().find(|e| e.name.eq_ignore_ascii_case(&entry.name)) {
            return Err(LedgerError::NameTaken { path, existing: e.name.clone(), asked: entry.name.clone() });
        }
        if !entry.noise.is_private() {
            return Ok(());
        }
        let before = self.spent();
        let after = self.spent_with(entry);
        // A hair of tolerance so that spending exactly the budget is allowed.
        if after.epsilon > self.budget.epsilon * (1.0 + 1e-12) {
            let left = (self.budget.epsilon - before.epsilon).max(0.0);
            // A local export's ε is its --epsilon per metre times what one
            // shopper's points can move: what fits scales the same way.
            let (fits, per_metre) = match entry.cost {
                Cost::Local { epsilon_per_metre, epsilon, .. } if epsilon > 0.0 => {
                    (left * epsilon_per_metre / epsilon, true)
                }
                // A Gaussian release's ρ converts to more than its ε at the
                // ledger's share of δ: what is left is not what fits. The
                // largest --epsilon that does is found by halving.
                Cost::Zcdp { rho, epsilon: Some(e), delta: Some(d) } if e > 0.0 => {
                    let at = |x: f64| Cost::Zcdp {
                        rho: rho * epsilon_to_zcdp(x, d) / epsilon_to_zcdp(e, d),
                        epsilon: Some(x),
                        delta: Some(d),
                    };
                    let within = |x: f64| {
                        spent(self.private_costs().chain(Some(at(x))), self.budget.delta).epsilon <= self.budget.epsilon
                    };
                    let (mut lo, mut hi) = (0.0, e);
                    for _ in 0..64 {
                        let mid = (lo + hi) / 2.0;
                        if within(mid) { lo = mid } else { hi = mid }
                    }
                    (lo, false)
                }
                _ => (left, false),
            };
            return Err(LedgerError::OverBudget {
                path,
                needed: after.epsilon - before.epsilon,
                left,
                fits,
                per_metre,
                spent: before.epsilon,
                total: self.budget.epsilon,
                delta: self.budget.delta,
                releases: self.entries.iter().filter(|e| e.noise.is_private()).count(),
            });
        }
        Ok(())
    }

    /// What the private releases would spend with `entry` added.
    pub fn spent_with(&self, entry: &Entry) -> Spend {
        let extra = entry.noise.is_private().then_some(entry.cost);
        spent(self.private_costs().chain(extra), self.budget.delta)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn figures_that_differ_are_told_apart() {
        // (needed, left, as said)
        let cases = [(0.96171, 0.96168, ("0.96171", "0.96168")), (0.5193, 0.5, ("0.5193", "0.5000"))];
        for (needed, left, said) in cases {
            let (a, b) = told_apart(needed, left);
            assert_eq!((a.as_str(), b.as_str()), said);
        }
    }

    #[test]
    fn an_edited_ledger_breaks_its_chain() {
        let entry = |name: &str, epsilon: f64| Entry {
            name: name.into(),
            created_unix_s: 0,
            mechanism: "DiscreteLaplace".into(),
            cost: Cost::Pure { epsilon },
            noise: NoiseRecord::OsEntropy,
            composition: String::new(),
            queries: Vec::new(),
            files: Default::default(),
            record_sha256: String::new(),
            prev_sha256: String::new(),
            sha256: String::new(),
        };
        let mut ledger = Ledger { budget: Budget { epsilon: 4.0, delta: 1e-6 }, entries: Vec::new() };
        for (name, epsilon) in [("a", 1.0), ("b", 1.0), ("c", 1.0)] {
            let sealed = ledger.seal(entry(name, epsilon));
            ledger.entries.push(sealed);
        }
        let path = Path::new("ledger.json");
        ledger.verify_chain(path).unwrap();
        type Edit = fn(&mut Ledger);
        let edits: [(&str, Edit); 4] = [
            ("a spend lowered", |l| l.entries[1].cost = Cost::Pure { epsilon: 0.1 }),
            ("the budget raised", |l| l.budget.epsilon = 40.0),
            ("an entry removed", |l| {
                l.entries.remove(1);
            }),
            ("a seeded release claimed", |l| l.entries[2].noise = NoiseRecord::Reproducible),
        ];
        for (what, edit) in edits {
            let mut edited = ledger.clone();
            edit(&mut edited);
            assert!(matches!(edited.verify_chain(path), Err(LedgerError::Tampered { .. })), "{what} went unnoticed");
        }
        // An entry stripped of its hashes does not pass for one older than the chain.
        let mut stripped = ledger.clone();
        stripped.budget.epsilon = 100.0;
        for e in &mut stripped.entries {
            (e.sha256, e.prev_sha256) = (String::new(), String::new());
        }
        assert!(
            matches!(stripped.verify_chain(path), Err(LedgerError::Tampered { .. })),
            "stripped hashes went unnoticed"
        );
    }

    #[test]
    fn reproducible_releases_are_listed_but_spend_nothing() {
        let entry = |name: &str, noise| Entry {
            name: name.into(),
            created_unix_s: 0,
            mechanism: "DiscreteLaplace".into(),
            cost: Cost::Pure { epsilon: 3.0 },
            noise,
            composition: String::new(),
            queries: Vec::new(),
            files: Default::default(),
            record_sha256: String::new(),
            prev_sha256: String::new(),
            sha256: String::new(),
        };
        let mut ledger = Ledger { budget: Budget { epsilon: 4.0, delta: 1e-6 }, entries: Vec::new() };
        for i in 0..3 {
            let e = entry(&format!("study-{i}"), NoiseRecord::Reproducible);
            ledger.admit(Path::new("."), &e).unwrap();
            ledger.entries.push(e);
        }
        assert_eq!(ledger.spent().epsilon, 0.0);
        let private = entry("real", NoiseRecord::OsEntropy);
        ledger.admit(Path::new("."), &private).unwrap();
        ledger.entries.push(private);
        assert_eq!(ledger.spent().epsilon, 3.0);
        assert!(matches!(
            ledger.admit(Path::new("."), &entry("again", NoiseRecord::OsEntropy)),
            Err(LedgerError::OverBudget { .. })
        ));
        // An old ledger's seeded entry is read back without its seed, as not private.
        let old: NoiseRecord = serde_json::from_str(r#"{"source":"seeded","seed":7}"#).unwrap();
        assert_eq!(old, NoiseRecord::Reproducible);
        assert!(!serde_json::to_string(&old).unwrap().contains('7'));
    }
}
