//! Every failure a front end can meet, and what it means for the caller:
//! input to fix (exit status 2) or a failure (exit status 1). The mapping
//! lives here, once, so every command exits alike.

use std::path::PathBuf;

use crate::events::dataset::DatasetError;
use crate::events::parquet::LogError;
use crate::privacy::{LedgerError, PrivacyError};
use crate::report::ReportError;
use crate::run::RunError;
use crate::scenario::ScenarioError;
use crate::study::StudyError;
use crate::sweep::SweepError;
use crate::verify::VerifyError;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(transparent)]
    Scenario(#[from] ScenarioError),
    #[error(transparent)]
    Dataset(#[from] DatasetError),
    #[error(transparent)]
    Log(#[from] LogError),
    #[error(transparent)]
    Run(#[from] RunError),
    #[error(transparent)]
    Sweep(#[from] SweepError),
    #[error(transparent)]
    Study(#[from] StudyError),
    #[error(transparent)]
    Report(#[from] ReportError),
    #[error(transparent)]
    Privacy(#[from] PrivacyError),
    #[error(transparent)]
    Verify(#[from] VerifyError),
    /// Problems in several scenario files, one per line.
    #[error("{}", .0.join("\n"))]
    Scenarios(Vec<String>),
    /// Stylised facts of shopping that a day does not reproduce.
    #[error("behaviour does not match: {}", .0.join(", "))]
    Behaviour(Vec<&'static str>),
    #[error("{}: {source}", path.display())]
    Io { path: PathBuf, source: std::io::Error },
}

/// What a failure asks of the caller.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// Fix the input (a scenario, an argument, a dataset in the way): exit 2.
    BadInput,
    /// Something failed or is damaged: exit 1.
    Failed,
}

impl Fault {
    pub fn exit_code(self) -> u8 {
        match self {
            Fault::BadInput => 2,
            Fault::Failed => 1,
        }
    }
}

impl Error {
    pub fn fault(&self) -> Fault {
        use Fault::{BadInput, Failed};
        match self {
            // Every scenario error, an unreadable file included, is the user's input.
            Error::Scenario(_) | Error::Scenarios(_) => BadInput,
            Error::Dataset(e) => dataset_fault(e),
            Error::Run(e) => run_fault(e),
            Error::Sweep(e) => sweep_fault(e),
            Error::Study(StudyError::UnknownMetric { .. } | StudyError::CapBelowFirstLook { .. }) => BadInput,
            Error::Study(StudyError::Scenario(_)) => BadInput,
            Error::Study(StudyError::Dataset(e)) => dataset_fault(e),
            Error::Study(StudyError::Sweep(e)) => sweep_fault(e),
            Error::Study(StudyError::Io { .. }) => Failed,
            Error::Report(e) => report_fault(e),
            Error::Privacy(e) => privacy_fault(e),
            Error::Verify(e) => verify_fault(e),
            Error::Log(_) | Error::Behaviour(_) | Error::Io { .. } => Failed,
        }
    }

    pub fn exit_code(&self) -> u8 {
        self.fault().exit_code()
    }
}

/// A dataset that is in the way (another scenario, busy, unreadable manifest)
/// is input to fix; a damaged one or a failed write is a failure.
fn dataset_fault(e: &DatasetError) -> Fault {
    match e {
        DatasetError::ScenarioChanged { .. }
        | DatasetError::OtherScenario { .. }
        | DatasetError::BadManifest { .. }
        | DatasetError::OldLayout { .. }
        | DatasetError::NotADirectory { .. }
        | DatasetError::FileForFolder { .. }
        | DatasetError::NoSuchDirectory { .. }
        | DatasetError::Unwritable { .. }
        | DatasetError::Busy { .. }
        | DatasetError::NotADataset { .. }
        | DatasetError::InsideDataset { .. } => Fault::BadInput,
        DatasetError::Io { .. }
        | DatasetError::Damaged { .. }
        | DatasetError::ScenarioCopyChanged { .. }
        | DatasetError::ScenarioCopyMissing { .. }
        | DatasetError::Unlisted { .. }
        | DatasetError::UnlistedOtherVersion { .. }
        | DatasetError::ManifestHeader { .. } => Fault::Failed,
    }
}

fn run_fault(e: &RunError) -> Fault {
    match e {
        RunError::Dataset(d) => dataset_fault(d),
        RunError::Log(_) | RunError::Io { .. } => Fault::Failed,
    }
}

fn sweep_fault(e: &SweepError) -> Fault {
    match e {
        SweepError::Scenario(_) => Fault::BadInput,
        SweepError::Run(r) => run_fault(r),
        SweepError::Threads { .. } => Fault::Failed,
    }
}

fn report_fault(e: &ReportError) -> Fault {
    match e {
        ReportError::NotADataset { .. }
        | ReportError::Empty { .. }
        | ReportError::Scenario(_)
        | ReportError::UnknownMetric { .. }
        | ReportError::Busy { .. } => Fault::BadInput,
        ReportError::Dataset(d) => dataset_fault(d),
        ReportError::Log(_) | ReportError::Draw { .. } | ReportError::Io { .. } => Fault::Failed,
    }
}

/// A release's parameters, name and budget are input; writing, entropy and
/// reading logs can fail.
fn privacy_fault(e: &PrivacyError) -> Fault {
    match e {
        PrivacyError::Io { .. }
        | PrivacyError::Entropy { .. }
        | PrivacyError::Log(_)
        | PrivacyError::Report(_)
        | PrivacyError::Ledger(LedgerError::Io { .. }) => Fault::Failed,
        PrivacyError::Busy { .. } => Fault::BadInput,
        PrivacyError::Dataset(d) => dataset_fault(d),
        _ => Fault::BadInput,
    }
}

fn verify_fault(e: &VerifyError) -> Fault {
    match e {
        VerifyError::NotADataset { .. } | VerifyError::Scenario(_) | VerifyError::Busy { .. } => Fault::BadInput,
        VerifyError::Dataset(d) => dataset_fault(d),
        _ => Fault::Failed,
    }
}
