//! One run of (scenario, variant, seed) into a dataset: the simulation feeds
//! the Parquet writer thread and the summary projection; the manifest is
//! updated only once the log is safely in place.

use std::path::Path;

use crate::Prepared;
use crate::events::dataset::{
    Dataset, DatasetError, RunRecord, RunStatus, events_path, file_sha256,
};
use crate::events::parquet::{LogError, LogMeta, LogWriter, SCHEMA_VERSION, WrittenLog};
use crate::metrics::{Projection, Summary};
use crate::sim::{SimProgress, Simulation};

#[derive(Debug, thiserror::Error)]
pub enum RunError {
    #[error(transparent)]
    Log(#[from] LogError),
    #[error(transparent)]
    Dataset(#[from] DatasetError),
    #[error("{}: {source}", path.display())]
    Io {
        path: std::path::PathBuf,
        source: std::io::Error,
    },
}

#[derive(Debug, Clone)]
pub struct RunOutcome {
    pub summary: Summary,
    pub log: WrittenLog,
    pub record: RunRecord,
}

/// The self-description written into every log.
pub fn log_meta(p: &Prepared, seed: u64) -> LogMeta {
    let s = &p.scenario;
    LogMeta {
        schema_version: SCHEMA_VERSION,
        aisle_version: env!("CARGO_PKG_VERSION").into(),
        scenario: s.name.clone(),
        scenario_sha256: s.source_sha256.clone(),
        variant: s.variant.clone(),
        seed,
        tick_ms: s.run.tick_ms,
        zones: s.zones.iter().map(|z| z.id.clone()).collect(),
        products: s.products.iter().map(|x| x.id.clone()).collect(),
        lanes: s.lanes.iter().map(|l| l.id.clone()).collect(),
        floors: s.store.floors.iter().map(|f| f.id.clone()).collect(),
    }
}

/// Simulates `p` with `seed`, writing `events/variant=…/seed=…/part-0.parquet`
/// under the dataset and recording the run in its manifest.
pub fn run_into(
    dataset: &mut Dataset,
    p: &Prepared,
    seed: u64,
    mut progress: impl FnMut(SimProgress),
) -> Result<RunOutcome, RunError> {
    let rel = events_path(&p.scenario.variant, seed);
    let path = dataset.dir.join(&rel);
    let (summary, log) = write_log(&path, p, seed, &mut progress)?;
    let sha256 = file_sha256(&log.path).map_err(|source| RunError::Io {
        path: log.path.clone(),
        source,
    })?;
    let record = RunRecord {
        variant: p.scenario.variant.clone(),
        seed,
        status: RunStatus::Complete,
        path: rel,
        rows: log.rows,
        bytes: log.bytes,
        sha256,
        visitors: summary.visitors,
        transactions: summary.transactions,
        revenue_cents: summary.revenue_cents,
    };
    dataset.record(record.clone())?;
    Ok(RunOutcome {
        summary,
        log,
        record,
    })
}

/// Simulates into a single Parquet file at `path` (atomically).
pub fn write_log(
    path: &Path,
    p: &Prepared,
    seed: u64,
    progress: &mut dyn FnMut(SimProgress),
) -> Result<(Summary, WrittenLog), RunError> {
    let mut writer = LogWriter::create(path, &log_meta(p, seed))?;
    let mut sim = Simulation::new(p.scenario.clone(), p.store.clone(), seed);
    let mut summary = Summary::default();
    let mut failure = None;
    sim.run_to_end(
        |chunk| {
            if failure.is_some() {
                return;
            }
            summary.observe_all(chunk);
            if let Err(e) = writer.send(std::mem::take(chunk)) {
                failure = Some(e);
            }
        },
        progress,
    );
    if let Some(e) = failure {
        return Err(e.into());
    }
    Ok((summary, writer.finish()?))
}
