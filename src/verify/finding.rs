//! What `aisle verify` finds: each finding, how much it matters, who
//! mends it, and what a failed verification advises.

use std::path::Path;

use crate::events::dataset::Damage;

/// What a failed verification advises.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Advice {
    /// Repaired already: nothing more to say.
    None,
    Repair,
    /// `--repair` mends it all without simulating a run (the manifest or
    /// metrics table rebuilt from the runs, the page made again, releases
    /// settled).
    Rebuild,
    /// Only the report page is not what the logs make: `--repair` makes it again.
    RemakePage,
    /// Some findings need a backup, others `--repair`.
    RepairThenBackup,
    Backup,
}

impl Advice {
    pub(super) fn of(findings: &[Finding], repaired: bool) -> Advice {
        let damage = || findings.iter().filter(|f| f.severity == Severity::Damage);
        let by_hand = damage().any(|f| f.mend == Mend::ByHand);
        let page_only = damage().all(|f| f.repair == Some(Remedy::RemakeReport));
        match (repaired, damage().any(|f| f.mend == Mend::Repair), by_hand) {
            (true, _, false) => Advice::None,
            (false, true, false) if page_only => Advice::RemakePage,
            (false, true, false)
                if !damage().any(|f| matches!(f.repair, Some(Remedy::Simulate(..) | Remedy::SimulateOldLayout))) =>
            {
                Advice::Rebuild
            }
            (true, _, true) | (false, false, _) => Advice::Backup,
            (false, true, false) => Advice::Repair,
            (false, true, true) => Advice::RepairThenBackup,
        }
    }

    pub(super) fn say(self, dir: &Path) -> String {
        let by_hand = "each says above what to do";
        match self {
            Advice::None => String::new(),
            Advice::Repair => format!("; `aisle verify --repair {}` simulates damaged runs again", dir.display()),
            Advice::Rebuild => {
                format!("; `aisle verify --repair {}` mends them without simulating any run again", dir.display())
            }
            Advice::RemakePage => format!("; `aisle verify --repair {}` makes the page again", dir.display()),
            Advice::RepairThenBackup => {
                format!(
                    "; `aisle verify --repair {}` mends the runs and manifest, not the rest: {by_hand}",
                    dir.display()
                )
            }
            Advice::Backup => format!("; `--repair` cannot mend these: {by_hand}"),
        }
    }
}

/// How much a finding matters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Severity {
    /// Something is wrong or missing: a number could come out wrong.
    Damage,
    /// Harmless (a leftover temporary file); removed by the next writer.
    Note,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    pub severity: Severity,
    pub message: String,
    /// What `--repair` does to mend it, if anything.
    pub repair: Option<Remedy>,
    /// Whether `--repair` can mend it.
    pub mend: Mend,
}

/// What `--repair` does to mend a finding.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Remedy {
    /// Simulates the run of (variant, seed) again.
    Simulate(String, u64),
    /// Simulates again the runs whose records sit inside `events/` (an
    /// older aisle's layout), after taking those records out.
    SimulateOldLayout,
    /// Makes the report page again.
    RemakeReport,
    /// Puts in place a release interrupted after its spend was recorded,
    /// removes one interrupted before (`privacy::settle_interrupted`).
    SettleReleases,
}

/// Who can mend a finding.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mend {
    /// `--repair`: runs simulated again, the manifest and metrics table rebuilt.
    Repair,
    /// Only a backup: the scenario copy, the privacy ledger, releases.
    ByHand,
}

impl Finding {
    pub(super) fn damage(message: impl ToString) -> Finding {
        Finding { severity: Severity::Damage, message: message.to_string(), repair: None, mend: Mend::Repair }
    }

    pub(super) fn note(message: impl ToString) -> Finding {
        Finding { severity: Severity::Note, ..Finding::damage(message) }
    }

    pub(super) fn by_hand(message: impl ToString) -> Finding {
        Finding { mend: Mend::ByHand, ..Finding::damage(message) }
    }

    pub(super) fn run(damage: &Damage, variant: &str, seed: u64) -> Finding {
        Finding { repair: Some(Remedy::Simulate(variant.to_owned(), seed)), ..Finding::damage(damage) }
    }
}

/// What `verify` found.
#[derive(Debug, Clone, Default)]
pub struct Verification {
    /// Runs whose record and log agree.
    pub runs_ok: usize,
    pub findings: Vec<Finding>,
}

impl Verification {
    pub fn damaged(&self) -> usize {
        self.findings.iter().filter(|f| f.severity == Severity::Damage).count()
    }
}
