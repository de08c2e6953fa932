//! Differential privacy for everything aisle publishes (README, "Publishing
//! with differential privacy").
//!
//! The unit of privacy is one shopper-visit: the neighbouring datasets
//! differ by one shopper of one seed's arrival plan, whose events are
//! removed from every run of that seed. Common random numbers make shopper
//! k of seed s the same person in every variant, so the runs of one seed
//! compose sequentially (each is calibrated at ε over the number of runs
//! sharing the seed); different seeds hold different people and compose in
//! parallel. A party's members follow one path: a party of m people is
//! protected as a group of m (group privacy: m·ε for pure ε, m²·ρ for
//! ρ-zCDP).
//!
//! - `sample`: exact integer samplers (discrete Laplace and Gaussian,
//!   Bernoulli(exp(−γ)), planar Laplace on a lattice), rational arithmetic
//!   only.
//! - `contrib`: per-shopper visits from a log, and the bounds on what one
//!   shopper contributes.
//! - `query`: the queries, their sensitivities and calibrated noise, and
//!   post-processing into figures.
//! - `ledger`: the dataset's budget and what each release spent.
//! - `release`: `aisle publish` (central mode).
//! - `local`: `aisle publish --local`, an exportable trace with pseudonyms,
//!   coarse times and geo-indistinguishable positions.
//! - `evaluate`: privacy–utility curves against the simulator's truth.
//! - `request`: what `aisle publish` is asked: caps, names, the mode, the summary.

pub mod composition;
pub mod contrib;
pub mod evaluate;
pub mod ledger;
pub mod local;
pub mod query;
pub mod release;
pub mod request;
pub mod sample;
pub mod seal;

use std::path::{Path, PathBuf};

use rand::SeedableRng;
use rand_chacha::ChaCha20Rng;

use crate::events::dataset::DatasetError;
use crate::events::fs::write_atomic;
use crate::events::parquet::LogError;
use crate::report::ReportError;
use crate::scenario::ScenarioError;
pub use ledger::LedgerError;

/// Where a release's randomness comes from. The seed of a seeded source
/// lives only in memory: no file, page or ledger entry carries it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoiseSource {
    /// Reproducible noise for simulation studies and tests: not private.
    Seeded(u64),
    /// The operating system's entropy: anything about real people.
    OsEntropy,
}

impl NoiseSource {
    pub fn rng(self) -> Result<ChaCha20Rng, PrivacyError> {
        match self {
            NoiseSource::Seeded(seed) => Ok(ChaCha20Rng::seed_from_u64(seed)),
            NoiseSource::OsEntropy => os_rng(),
        }
    }

    pub fn record(self) -> ledger::NoiseRecord {
        match self {
            NoiseSource::Seeded(_) => ledger::NoiseRecord::Reproducible,
            NoiseSource::OsEntropy => ledger::NoiseRecord::OsEntropy,
        }
    }

    pub fn describe(self) -> String {
        describe_noise(self.record())
    }
}

/// How a release's noise was made, for its page and the terminal.
pub fn describe_noise(record: ledger::NoiseRecord) -> String {
    match record {
        ledger::NoiseRecord::Reproducible => {
            format!("ChaCha20 from a seed that is not recorded: {}", ledger::NOT_PRIVATE)
        }
        ledger::NoiseRecord::OsEntropy => {
            "ChaCha20 keyed from the operating system's entropy, never written anywhere".to_owned()
        }
    }
}

/// The directory `dir` has no manifest (with the run records on disk it
/// does not list yet).
pub fn not_a_dataset(dir: &Path) -> PrivacyError {
    PrivacyError::NotADataset { dir: dir.to_owned(), unlisted: crate::events::dataset::records_on_disk(dir) }
}

/// The dataset at `dir` lists no runs to release (a shard that drew none,
/// say), with the run records on disk it does not list yet.
pub fn no_runs(dir: &Path) -> PrivacyError {
    PrivacyError::EmptyDataset { dir: dir.to_owned(), unlisted: crate::events::dataset::records_on_disk(dir) }
}

/// A release's name, which names its folder: letters, digits, `-`, `_`
/// and `.`, not starting with `.`, at most `MAX_PATH_ID` characters (a
/// name long enough to pass the file system's limit with its
/// `.NAME.partial` was refused by the disk, as a failure, exit 1).
pub(crate) fn check_release_name(name: &str) -> Result<(), PrivacyError> {
    let valid = !name.is_empty()
        && name.len() <= crate::scenario::MAX_PATH_ID
        && !name.starts_with('.')
        && name.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
    if valid { Ok(()) } else { Err(PrivacyError::BadName { name: name.to_owned() }) }
}

/// Refuses a dataset another command is writing (a sweep, `--replace`):
/// what it has finished is not the study.
fn not_busy(dir: &Path) -> Result<(), PrivacyError> {
    match crate::events::dataset::writers_at_work(dir)? {
        true => Err(PrivacyError::Busy { dir: dir.to_owned() }),
        false => Ok(()),
    }
}

/// A generator keyed from the operating system's entropy (secret keys and
/// private noise).
pub fn os_rng() -> Result<ChaCha20Rng, PrivacyError> {
    ChaCha20Rng::try_from_rng(&mut rand::rngs::SysRng).map_err(|e| PrivacyError::Entropy { message: e.to_string() })
}

#[derive(Debug, thiserror::Error)]
pub enum PrivacyError {
    #[error("{}: no manifest.json: not an aisle dataset (make one with `aisle run` or `aisle compare`){}", dir.display(), crate::events::dataset::unlisted_records_hint(*unlisted))]
    NotADataset { dir: PathBuf, unlisted: usize },
    #[error("{}: the dataset lists no runs, so there is nothing to release (add them with `aisle run` or `aisle compare`; a shard may have drawn none){}", dir.display(), crate::events::dataset::unlisted_records_hint(*unlisted))]
    EmptyDataset { dir: PathBuf, unlisted: usize },
    #[error("{}: no runs of variant `{variant}`; choose one with --variant: the dataset has runs of {}", dir.display(), ticked(with_runs))]
    NoRuns { dir: PathBuf, variant: String, with_runs: Vec<String> },
    #[error("{}: a release of that name already exists; choose another --name", path.display())]
    Exists { path: PathBuf },
    #[error(
        "release name `{}`: use letters, digits, `-`, `_` and `.` only, not starting with `.`, at most {} characters",
        crate::scenario::shown_id(name),
        crate::scenario::MAX_PATH_ID
    )]
    BadName { name: String },
    #[error("{what} = {}: {why}", compact(*value))]
    BadParameter { what: &'static str, value: f64, why: &'static str },
    #[error("{what} = {}: is more than {}, too large to protect anyone", compact(*value), compact(*most))]
    TooLarge { what: &'static str, value: f64, most: f64 },
    #[error("--metric {metric}: no run records this metric; {hint}")]
    UnknownMetric { metric: String, hint: String },
    #[error(
        "--metric {metric}: a private release does not publish this metric, so what ε costs it cannot be measured; \
         choose one a release publishes: {}",
        published.join(", ")
    )]
    NotPublished { metric: String, published: Vec<String> },
    #[error(
        "--metric {metric}: neither more nor less of it is better, so no layout wins on it; choose one that is \
         (revenue_per_visitor, conversion_rate, queue_wait_mean, ...)"
    )]
    NoWinner { metric: String },
    #[error("no entropy from the operating system: {message}")]
    Entropy { message: String },
    #[error(
        "{}: another aisle command is writing to this dataset now: a release would cover only the runs it has \
         finished so far; publish once it has finished",
        dir.display()
    )]
    Busy { dir: PathBuf },
    #[error(transparent)]
    Ledger(#[from] LedgerError),
    #[error(transparent)]
    Dataset(#[from] DatasetError),
    #[error(transparent)]
    Scenario(#[from] ScenarioError),
    #[error(transparent)]
    Log(#[from] LogError),
    #[error(transparent)]
    Report(#[from] ReportError),
    #[error("{}: {source}", path.display())]
    Io { path: PathBuf, source: std::io::Error },
}

/// Why an ε is refused as too small (`request::MIN_EPSILON`, and the
/// noise scale a release's queries may be drawn at).
pub const TOO_SMALL: &str = "is too small: the noise it calls for cannot be drawn as 64-bit integers (a scale over \
                             10^15 grid units) or would drown every figure; take a larger ε (`aisle publish \
                             --evaluate` shows what each costs)";

/// Checks an ε or δ given on the command line.
pub fn check_parameter(what: &'static str, value: f64, max: f64) -> Result<f64, PrivacyError> {
    if !value.is_finite() || value <= 0.0 {
        return Err(PrivacyError::BadParameter { what, value, why: "must be a positive, finite number" });
    }
    if value > max {
        return Err(PrivacyError::TooLarge { what, value, most: max });
    }
    Ok(value)
}

/// A release whose name and cost the ledger has accepted; nothing is on
/// disk until `land`.
pub(crate) struct Pending {
    dir: PathBuf,
}

impl Pending {
    /// Checks the release's name and that its cost fits the budget.
    pub(crate) fn check(
        dataset: &Path,
        ledger: &ledger::Ledger,
        entry: &ledger::Entry,
    ) -> Result<Pending, PrivacyError> {
        let name = &entry.name;
        check_release_name(name)?;
        ledger.admit(dataset, entry)?;
        let dir = dataset.join(crate::events::dataset::RELEASES).join(name);
        if dir.exists() {
            return Err(PrivacyError::Exists { path: dir });
        }
        Ok(Pending { dir })
    }

    /// Writes the release's files with `content` into a directory beside
    /// its final place (`.NAME.partial`), seals `entry` with their hashes
    /// and that of the record `record` makes (less the entry it carries),
    /// writes the record carrying the sealed entry, records the entry in
    /// the ledger, then moves the directory to its place. The spend is
    /// recorded before the figures are anywhere but in that hidden
    /// directory: a command killed before it leaves figures never charged
    /// (`settle_interrupted` removes them), one killed after leaves a
    /// release charged and complete (`settle_interrupted` puts it in
    /// place). On any failure before the spend nothing is left.
    pub(crate) fn land<R: serde::Serialize>(
        self,
        dataset: &Path,
        ledger: &mut ledger::Ledger,
        entry: ledger::Entry,
        content: impl FnOnce(&Path) -> Result<(), PrivacyError>,
        record: impl Fn(&ledger::Entry) -> R,
    ) -> Result<(PathBuf, ledger::Entry), PrivacyError> {
        let name = self.dir.file_name().expect("a release name").to_string_lossy().into_owned();
        let tmp = self.dir.with_file_name(format!(".{name}.partial"));
        let _ = std::fs::remove_dir_all(&tmp);
        let io = |path: &Path| {
            let path = path.to_owned();
            move |source| PrivacyError::Io { path, source }
        };
        let written = std::fs::create_dir_all(&tmp).map_err(io(&tmp)).and_then(|()| content(&tmp)).and_then(|()| {
            let files = seal::release_files(&tmp).map_err(io(&tmp))?;
            let draft = ledger::Entry { files, ..entry };
            let bare = serde_json::to_value(record(&draft)).expect("a release record serialises");
            let sealed = ledger.seal(ledger::Entry { record_sha256: seal::record_sha256(&bare), ..draft });
            let path = tmp.join(seal::RELEASE_RECORD);
            let bytes = serde_json::to_vec_pretty(&record(&sealed)).expect("a release record serialises");
            write_atomic(&path, &bytes).map_err(io(&path))?;
            Ok(sealed)
        });
        let sealed = match written {
            Ok(sealed) => sealed,
            Err(e) => {
                let _ = std::fs::remove_dir_all(&tmp);
                return Err(e);
            }
        };
        ledger.entries.push(sealed.clone());
        if let Err(e) = ledger.save(dataset) {
            ledger.entries.pop();
            let _ = std::fs::remove_dir_all(&tmp);
            return Err(e.into());
        }
        // Charged: from here a failure leaves the release for
        // `settle_interrupted` to put in place.
        std::fs::rename(&tmp, &self.dir).map_err(io(&self.dir))?;
        Ok((self.dir, sealed))
    }
}

/// Settles what a release killed while landing (`Pending::land`) left in
/// `releases/` of the dataset at `dir`, under the ledger's lock: a hidden
/// `.NAME.partial/` the ledger lists, complete as sealed and not yet in
/// place, is moved to `NAME/`; one it does not list was never charged,
/// so its noised figures are removed unpublished. Says what it did.
pub fn settle_interrupted(dir: &Path) -> Result<Vec<String>, PrivacyError> {
    let mut done = Vec::new();
    for found in interrupted_releases(dir) {
        let io = |path: &Path| {
            let path = path.to_owned();
            move |source| PrivacyError::Io { path, source }
        };
        match found {
            Interrupted::Charged { partial, release, entry } => {
                seal::check_release_files(&partial, &entry)?;
                std::fs::rename(&partial, &release).map_err(io(&release))?;
                done.push(format!(
                    "{}: put in place, a release interrupted after its spend was recorded",
                    release.display()
                ));
            }
            Interrupted::Uncharged { partial } => {
                std::fs::remove_dir_all(&partial).map_err(io(&partial))?;
                done.push(format!(
                    "{}: removed, the noised figures of a release interrupted before its spend was recorded \
                     (never published, never charged)",
                    partial.display()
                ));
            }
        }
    }
    Ok(done)
}

/// A release a killed command left half landed (`Pending::land`).
pub enum Interrupted {
    /// Its spend is in the ledger, under `entry`; its files wait in
    /// `partial` for their place, `release`.
    Charged { partial: PathBuf, release: PathBuf, entry: Box<ledger::Entry> },
    /// Never charged: its noised figures must not be published.
    Uncharged { partial: PathBuf },
}

/// The half-landed releases in the dataset at `dir` (none where the
/// ledger does not read: `verify` and `publish` say so apart).
pub fn interrupted_releases(dir: &Path) -> Vec<Interrupted> {
    let releases = dir.join(crate::events::dataset::RELEASES);
    let ledger: Option<ledger::Ledger> =
        std::fs::read(dir.join(ledger::LEDGER_PATH)).ok().and_then(|b| serde_json::from_slice(&b).ok());
    let entries = ledger.map_or_else(Vec::new, |l| l.entries);
    let mut found = Vec::new();
    for item in std::fs::read_dir(&releases).into_iter().flatten().flatten() {
        let file_name = item.file_name().to_string_lossy().into_owned();
        let Some(name) = file_name.strip_prefix('.').and_then(|n| n.strip_suffix(".partial")) else { continue };
        let (partial, release) = (item.path(), releases.join(name));
        if !partial.is_dir() {
            continue;
        }
        match entries.iter().find(|e| e.name == name) {
            Some(e) if !release.exists() => {
                found.push(Interrupted::Charged { partial, release, entry: Box::new(e.clone()) })
            }
            // Listed and in place already: this one lost a race for the name.
            Some(_) | None => found.push(Interrupted::Uncharged { partial }),
        }
    }
    found.sort_by_key(|i| match i {
        Interrupted::Charged { partial, .. } | Interrupted::Uncharged { partial } => partial.clone(),
    });
    found
}

/// Names in backticks, comma-separated.
fn ticked(names: &[String]) -> String {
    names.iter().map(|n| format!("`{n}`")).collect::<Vec<_>>().join(", ")
}

/// A number as a person would write it: `1e-15` rather than its 300 digits.
pub(super) fn compact(x: f64) -> String {
    if x != 0.0 && x.is_finite() && !(1e-4..1e6).contains(&x.abs()) { format!("{x:e}") } else { x.to_string() }
}
