//! `aisle verify`: checks every part of a dataset against the others
//! (run records against their logs, the manifest and the metrics table
//! against the records, the scenario copy against the manifest, releases
//! against the ledger) and, with `--repair`, simulates again the runs that
//! can be: a run is a pure function of (scenario, variant, seed), so a
//! damaged log or record is made anew from the scenario copy.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use crate::events::dataset::{
    COMPARISON, Damage, Dataset, DatasetError, MANIFEST, METRICS_TABLE, Manifest, OnScenarioChange, RUNS, RunRecord,
    SCENARIO_COPY, check_run, events_path, has_old_layout, leftovers, metric_rows, partition_key, partitions,
    read_records, record_path,
};
use crate::events::fs::short_sha256;
use crate::report::{PageCheck, ReportError};
use crate::run::{RunError, simulate_run};
use crate::scenario::{ScenarioError, ScenarioFile};

mod finding;
mod releases;
mod version;
pub use finding::{Advice, Finding, Mend, Remedy, Severity, Verification};
use releases::{check_releases, note_releases_of_other_versions};
use version::{OddOneOut, scenario_copy_problem, version_of};

/// Where the privacy ledger and releases live (read here, never written).
const LEDGER: &str = "privacy/ledger.json";

#[derive(Debug, thiserror::Error)]
pub enum VerifyError {
    #[error("{}: not an aisle dataset (no manifest.json, runs/ or events/)", dir.display())]
    NotADataset { dir: PathBuf },
    #[error(
        "{}: cannot repair: the scenario copy does not match the manifest or does not read ({why}); \
         run `aisle compare` or `aisle run` with the scenario file and --replace instead",
        dir.display()
    )]
    NoScenario { dir: PathBuf, why: String },
    #[error(
        "{}: another aisle command is writing to this dataset now, and what it has half written (runs in flight, a release) would read as damage; \
         verify once it has finished",
        dir.display()
    )]
    Busy { dir: PathBuf },
    #[error("{}: {damaged} problem(s) found, {runs_ok} run(s) verified{}", dir.display(), advice.say(dir))]
    Damaged { dir: PathBuf, damaged: usize, runs_ok: usize, advice: Advice },
    #[error(transparent)]
    Dataset(#[from] DatasetError),
    #[error(transparent)]
    Run(#[from] RunError),
    #[error(transparent)]
    Scenario(#[from] ScenarioError),
    #[error(transparent)]
    Report(#[from] ReportError),
    #[error(transparent)]
    Privacy(#[from] crate::privacy::PrivacyError),
}

/// Checks the dataset in `dir`; never writes.
pub fn verify(dir: &Path) -> Result<Verification, VerifyError> {
    Dataset::existing_directory(dir)?;
    let has = |p: &str| dir.join(p).exists();
    if !has(MANIFEST) && !has(RUNS) && !has("events") {
        return Err(VerifyError::NotADataset { dir: dir.to_owned() });
    }
    // A release being made (its ledger locked) is half written until it lands.
    let publishing = crate::privacy::ledger::held(dir).map_err(crate::privacy::PrivacyError::from)?;
    if publishing || crate::events::dataset::writers_at_work(dir)? {
        return Err(VerifyError::Busy { dir: dir.to_owned() });
    }
    let mut v = Verification::default();
    let manifest = match Dataset::read_manifest(dir) {
        Ok(Some(m)) => Some(m),
        Ok(None) => {
            v.findings.push(Finding::damage(format!("{}: missing", dir.join(MANIFEST).display())));
            None
        }
        Err(e) => {
            v.findings.push(Finding::damage(e));
            None
        }
    };
    // Read once: they vote on the version and are checked against it.
    let records = read_records(dir)?;
    let (sha, odd) = version_of(dir, manifest.as_ref(), &records);
    match (&manifest, odd) {
        (Some(m), OddOneOut::Manifest) => v.findings.push(Finding::damage(format!(
            "{}: names scenario version {}…, but the scenario copy and every run record name {}…: the manifest was \
             edited; it is rebuilt by `--repair`",
            dir.join(MANIFEST).display(),
            short_sha256(&m.scenario_sha256),
            short_sha256(&sha)
        ))),
        (Some(m), OddOneOut::CopyAndManifest) => v.findings.push(Finding::by_hand(format!(
            "{}: names scenario version {}…, as the scenario copy does, but every run record names {}…: the copy \
             was replaced and the manifest edited to match; restore both from a backup",
            dir.join(MANIFEST).display(),
            short_sha256(&m.scenario_sha256),
            short_sha256(&sha)
        ))),
        _ => {}
    }
    let copy_problem = scenario_copy_problem(dir, &sha, odd);
    if let Some(why) = &copy_problem {
        v.findings.push(Finding::by_hand(format!(
            "{}: {why}; restore it from a backup (the runs were made from it)",
            dir.join(SCENARIO_COPY).display()
        )));
    }
    // The scenario copy, read once, where it is the version the logs hold.
    let copy = copy_problem.is_none().then(|| ScenarioFile::read(&dir.join(SCENARIO_COPY)).ok()).flatten();
    if has_old_layout(dir) {
        v.findings.push(Finding {
            repair: Some(Remedy::SimulateOldLayout),
            ..Finding::damage(format!(
                "{}: run records inside events/ (an older aisle's layout): Parquet readers cannot read events/ as one \
                 dataset",
                dir.join("events").display()
            ))
        });
    }
    let listed: Option<BTreeSet<(String, u64)>> =
        manifest.as_ref().map(|m| m.runs.iter().map(|r| (r.variant.clone(), r.seed)).collect());
    let good = check_records(dir, &sha, records, listed.as_ref(), &mut v);
    let good = check_figures(dir, copy.as_ref(), good, &mut v);
    v.runs_ok = good.len();
    check_logs_have_records(dir, &mut v);
    if let Some(copy) = &copy {
        unknown_variants_by_hand(copy, &mut v);
    }
    if let Some(m) = &manifest {
        if let Some(copy) = &copy {
            check_listed_runs_gone(dir, copy, m, &mut v);
        }
        // Runs `--repair` simulates again are listed as they will be: a
        // damaged log is one problem, not three (manifest and table too).
        let pending: BTreeSet<(String, u64)> = v
            .findings
            .iter()
            .filter_map(|f| match &f.repair {
                Some(Remedy::Simulate(variant, seed)) => Some((variant.clone(), *seed)),
                _ => None,
            })
            .collect();
        if let Some(first) = first_manifest_difference(m, &good, &pending) {
            v.findings.push(Finding::damage(format!(
                "{}: does not match the run records that verify ({} listed, {} verified; {first}); it is rebuilt by `--repair`",
                dir.join(MANIFEST).display(),
                m.runs.len(),
                good.len()
            )));
        }
        check_metrics_table(dir, &good, &pending, &mut v);
        if let Some(copy) = &copy {
            check_manifest_header(dir, copy, m, &mut v);
            // Only over runs that all verify: a comparison or a page of damaged days differs anyway.
            if v.damaged() == 0 {
                check_comparison(dir, copy, m, &mut v);
            }
            if v.damaged() == 0 {
                check_report(dir, &mut v)?;
            }
        }
    }
    check_releases(dir, &mut v);
    if let Some(m) = &manifest {
        note_releases_of_other_versions(dir, m, &sha, &mut v);
    }
    for path in leftovers(dir) {
        v.findings.push(Finding {
            severity: Severity::Note,
            message: format!("{}: leftover temporary file of an interrupted command", path.display()),
            repair: None,
            mend: Mend::Repair,
        });
    }
    Ok(v)
}

/// Runs the manifest lists whose record and log are both gone (deleted by
/// hand): each is simulated again by `--repair`, from the scenario copy,
/// keeping the sequential mark the manifest lists, rather than dropped
/// from the dataset with the rebuilt manifest.
fn check_listed_runs_gone(dir: &Path, copy: &ScenarioFile, m: &Manifest, v: &mut Verification) {
    let known = copy.variant_ids();
    for run in m.runs.iter().filter(|r| known.contains(&r.variant)) {
        let record = dir.join(record_path(&run.variant, run.seed));
        if record.exists() || dir.join(events_path(&run.variant, run.seed)).exists() {
            continue;
        }
        v.findings.push(Finding {
            repair: Some(Remedy::Simulate(run.variant.clone(), run.seed)),
            ..Finding::damage(format!(
                "{}: variant {} seed {} is listed in the manifest, but its record and its log are both gone; \
                 `--repair` simulates it again",
                record.display(),
                run.variant,
                run.seed
            ))
        });
    }
}

/// The first run on which the manifest and the verified records differ, in
/// words; `None` when they agree.
fn first_manifest_difference(m: &Manifest, good: &[RunRecord], pending: &BTreeSet<(String, u64)>) -> Option<String> {
    let run = |r: &RunRecord| format!("variant {} seed {}", r.variant, r.seed);
    let is_pending = |r: &RunRecord| pending.contains(&(r.variant.clone(), r.seed));
    for listed in &m.runs {
        match good.iter().find(|g| g.variant == listed.variant && g.seed == listed.seed) {
            None if is_pending(listed) => {}
            None => return Some(format!("{} is listed but has no record that verifies", run(listed))),
            Some(g) if !listed.same_as(g) => {
                return Some(format!("{} is listed otherwise than its record says", run(listed)));
            }
            Some(_) => {}
        }
    }
    if let Some(g) = good.iter().find(|g| !m.runs.iter().any(|r| r.variant == g.variant && r.seed == g.seed)) {
        return Some(format!("{} verifies but is not listed", run(g)));
    }
    let listed: Vec<_> = m.runs.iter().filter(|r| !is_pending(r)).collect();
    let same_order = listed.iter().zip(good).all(|(a, b)| a.variant == b.variant && a.seed == b.seed);
    (listed.len() != good.len() || !same_order).then(|| "the runs are listed twice or out of order".to_owned())
}

/// Every run record checked against its log: the runs that verify, in
/// order; a finding for each that does not.
/// An unreadable record of a run the manifest does not list and no log
/// holds is a stray file, not a run to simulate: `--repair` adopted a
/// `{}` written at `seed=9` as a new day of the study.
fn check_records(
    dir: &Path,
    sha: &str,
    records: Vec<Result<RunRecord, Damage>>,
    listed: Option<&BTreeSet<(String, u64)>>,
    v: &mut Verification,
) -> Vec<RunRecord> {
    let mut good = Vec::new();
    for found in records {
        match found.and_then(|run| check_run(dir, sha, &run).map(|()| run)) {
            Ok(run) => good.push(run),
            Err(damage) => match damage_key(dir, &damage) {
                Some(key)
                    if matches!(damage, Damage::RecordUnreadable { .. })
                        && listed.is_some_and(|l| !l.contains(&key))
                        && !dir.join(events_path(&key.0, key.1)).exists() =>
                {
                    v.findings.push(Finding::by_hand(format!(
                        "{damage}; no run of variant {} and seed {} is in the manifest or has a log: a stray file, remove it",
                        key.0, key.1
                    )))
                }
                Some((variant, seed)) => v.findings.push(Finding::run(&damage, &variant, seed)),
                None => v.findings.push(Finding::damage(damage)),
            },
        }
    }
    good
}

/// The runs whose recorded figures are what their logs replay to; a
/// finding for each that are not. A record's seal is a hash anyone can
/// compute again, so an edited figure sealed anew passes `check_run`: only
/// the log, which every figure is a projection of, tells. Without a
/// readable scenario copy (already a finding) the figures go unchecked.
fn check_figures(
    dir: &Path,
    copy: Option<&ScenarioFile>,
    runs: Vec<RunRecord>,
    v: &mut Verification,
) -> Vec<RunRecord> {
    use crate::metrics::Layout;
    use rayon::prelude::*;
    let Some(file) = copy else { return runs };
    let mut layouts = std::collections::BTreeMap::new();
    for run in &runs {
        if !layouts.contains_key(&run.variant)
            && let Ok(p) = crate::prepare(file, &run.variant)
        {
            layouts.insert(run.variant.clone(), Layout::new(&p));
        }
    }
    let checked: Vec<Result<(), Damage>> = runs
        .par_iter()
        .map(|run| match layouts.get(&run.variant) {
            Some(layout) => crate::run::check_figures(dir, layout, run),
            // A variant the scenario no longer has: `check_run` already spoke of its version.
            None => Ok(()),
        })
        .collect();
    let mut good = Vec::new();
    for (run, checked) in runs.into_iter().zip(checked) {
        match checked {
            Ok(()) => good.push(run),
            Err(damage) => v.findings.push(Finding::run(&damage, &run.variant, run.seed)),
        }
    }
    good
}

/// Files under events/: each must be a run's log with a record beside it.
fn check_logs_have_records(dir: &Path, v: &mut Verification) {
    let mut recorded = BTreeSet::new();
    for partition in partitions(&dir.join(RUNS)) {
        let Some((variant, seed)) = partition_key(&partition) else { continue };
        if partition.join("run.json").exists() {
            recorded.insert((variant.clone(), seed));
        }
    }
    for path in strays(&dir.join("events")) {
        v.findings.push(Finding::by_hand(format!(
            "{}: not part of aisle's event logs: Parquet readers of events/ fail on it or read it too; remove it",
            path.display()
        )));
    }
    for path in strays(&dir.join(RUNS)).into_iter().filter(|p| p.is_dir()) {
        v.findings.push(Finding::by_hand(format!(
            "{}: not a run's folder (aisle writes `variant=V/seed=N`, N with no sign or leading zeros): no run of the dataset's; remove it",
            path.display()
        )));
    }
    for partition in partitions(&dir.join("events")) {
        let Some((variant, seed)) = partition_key(&partition) else { continue };
        for entry in std::fs::read_dir(&partition).into_iter().flatten().flatten() {
            let path = entry.path();
            let name = entry.file_name().to_string_lossy().into_owned();
            if name.starts_with('.') || name == "run.json" {
                // Leftover temporaries are reported apart, and readers pass over hidden
                // files; old records are run records' business.
                continue;
            }
            if entry.file_type().is_ok_and(|t| t.is_symlink()) {
                // What it points at can change with nothing in the dataset changing.
                v.findings.push(Finding::by_hand(format!(
                    "{}: a link, not a log: the file it points at is no part of the dataset; put the log itself here",
                    path.display()
                )));
            } else if name != "part-0.parquet" {
                // `--repair` simulates runs; it does not delete what it did not write.
                v.findings.push(Finding::by_hand(format!(
                    "{}: not an event log of aisle's: Parquet readers of events/ would read it too; remove it",
                    path.display()
                )));
            } else if !recorded.contains(&(variant.clone(), seed)) {
                let damage = Damage::LogUnrecorded { path };
                v.findings.push(Finding::run(&damage, &variant, seed));
            }
        }
    }
}

/// What sits in `events/` (or `runs/`) or a `variant=…` directory of it
/// that is not a partition directory (`variant=…`, then `seed=…` as aisle
/// writes it, `partition_key`), hidden files apart: Parquet readers pass
/// over a name starting with a dot, and leftover temporaries (hidden too)
/// are reported apart.
fn strays(root: &Path) -> Vec<PathBuf> {
    let entries = |dir: &Path| -> Vec<(PathBuf, String)> {
        std::fs::read_dir(dir)
            .into_iter()
            .flatten()
            .flatten()
            .map(|e| (e.path(), e.file_name().to_string_lossy().into_owned()))
            .filter(|(_, name)| !name.starts_with('.'))
            .collect()
    };
    let mut out = Vec::new();
    for (path, name) in entries(root) {
        if !(path.is_dir() && name.starts_with("variant=")) {
            out.push(path);
            continue;
        }
        out.extend(
            entries(&path).into_iter().filter(|(p, _)| !(p.is_dir() && partition_key(p).is_some())).map(|(p, _)| p),
        );
    }
    out.sort();
    out
}

/// The run a damaged file belongs to, from its `variant=…/seed=…` directory.
fn damage_key(dir: &Path, damage: &Damage) -> Option<(String, u64)> {
    let path = match damage {
        Damage::RecordUnreadable { path, .. }
        | Damage::RecordEdited { path }
        | Damage::RecordUnsealed { path }
        | Damage::RecordMisplaced { path, .. }
        | Damage::RecordDiffers { path }
        | Damage::LogMissing { path }
        | Damage::LogUnreadable { path, .. }
        | Damage::LogChecksum { path, .. }
        | Damage::LogRows { path, .. }
        | Damage::LogSize { path, .. }
        | Damage::LogMeta { path, .. }
        | Damage::LogUnrecorded { path }
        | Damage::RecordFigures { path, .. }
        | Damage::RecordLacksFigure { path, .. }
        | Damage::RecordUnit { path, .. } => path,
    };
    let key = partition_key(path.parent()?)?;
    path.starts_with(dir).then_some(key)
}

/// Rows as sortable keys, values bit for bit (a NaN equals itself).
fn table_key(rows: &[crate::events::metrics_table::MetricRow]) -> Vec<(&str, u64, &str, &str, u64)> {
    let mut keyed: Vec<_> = rows
        .iter()
        .map(|r| (r.variant.as_str(), r.seed, r.metric.as_str(), r.unit.as_str(), r.value.to_bits()))
        .collect();
    keyed.sort();
    keyed
}

fn check_metrics_table(dir: &Path, good: &[RunRecord], pending: &BTreeSet<(String, u64)>, v: &mut Verification) {
    let path = dir.join(METRICS_TABLE);
    // A reader of the folder reads every table in it: a copy beside it doubled every row.
    let table = path.file_name().expect("the table has a name");
    let folder = path.parent().expect("the table is in a folder");
    for entry in std::fs::read_dir(folder).into_iter().flatten().flatten() {
        let name = entry.file_name();
        if name != table && !name.to_string_lossy().starts_with('.') {
            v.findings.push(Finding::by_hand(format!(
                "{}: not aisle's metrics table: Parquet readers of metrics/ read it too; remove it",
                entry.path().display()
            )));
        }
    }
    // The table is written sorted by (variant, seed, metric); values compare bit for bit.
    if !path.exists() {
        v.findings.push(Finding::damage(format!("{}: missing; it is rebuilt by `--repair`", path.display())));
        return;
    }
    let mut rows = match crate::events::metrics_table::read(&path) {
        Ok(rows) => rows,
        Err(e) => return v.findings.push(Finding::damage(format!("{}: not readable: {e}", path.display()))),
    };
    // Rows of runs simulated again are rebuilt with them.
    rows.retain(|r| !pending.contains(&(r.variant.clone(), r.seed)));
    if table_key(&rows) != table_key(&metric_rows(good)) {
        v.findings.push(Finding::damage(format!(
            "{}: does not match the verified run records; it is rebuilt by `--repair`",
            path.display()
        )));
    }
}

/// `compare/comparison.json` is what comparing the dataset's runs gives at
/// its own primary metric, level, seeds and declared primary (a later one's
/// verdicts exploratory): a pure function of the runs' figures, so an
/// edited verdict or interval shows.
fn check_comparison(dir: &Path, file: &ScenarioFile, m: &Manifest, v: &mut Verification) {
    let path = dir.join(COMPARISON);
    let Ok(text) = std::fs::read_to_string(&path) else { return };
    let found: Option<serde_json::Value> = serde_json::from_str(&text).ok();
    let stated = found.as_ref().and_then(crate::compare::Design::of_saved);
    let (Some(found), Some(design)) = (found, stated) else {
        v.findings.push(Finding::by_hand(format!(
            "{}: not a readable comparison (primary, alpha and seeds); `aisle compare` writes it again",
            path.display()
        )));
        return;
    };
    // A shard of a sweep that has no seed in every variant yet compares nothing.
    let Some(last_seed) = design.replications else { return };
    let primary = design.primary.clone();
    if crate::compare::saved_comparison_holds(&found, &m.runs, &file.variant_ids()) == Some(true) {
        return;
    }
    // Compared by another build: its statistics may differ from this one's.
    let other_build = m.aisle_version != crate::VERSION;
    let why = if other_build {
        format!("made by aisle {}, not this build", m.aisle_version)
    } else {
        "edited, or stale (runs added since)".to_owned()
    };
    let message = format!(
        "{}: is not this build's comparison of the runs that verify (on {primary}, seeds up to {last_seed}): {why}; \
         `aisle compare` writes it again, simulating only runs that are missing",
        path.display()
    );
    v.findings.push(if other_build { Finding::note(message) } else { Finding::by_hand(message) });
}

/// A run of a variant the scenario does not have cannot be simulated
/// again: `--repair` skipped it and verify advised `--repair` for ever.
fn unknown_variants_by_hand(copy: &ScenarioFile, v: &mut Verification) {
    let known = copy.variant_ids();
    for f in &mut v.findings {
        if let Some(Remedy::Simulate(variant, _)) = &f.repair
            && !known.contains(variant)
        {
            f.message += &format!(
                "; the scenario has no variant `{variant}`, so `--repair` cannot simulate it again: remove the run's \
                 log and record"
            );
            (f.repair, f.mend) = (None, Mend::ByHand);
        }
    }
}

/// The report page, made again aside from the runs that verify and
/// compared with the dataset's (`report::check_page`).
fn check_report(dir: &Path, v: &mut Verification) -> Result<(), VerifyError> {
    match crate::report::check_page(dir)? {
        PageCheck::Same => {}
        PageCheck::Absent => {
            // A report cut off before its page (a killed `aisle compare`)
            // leaves figures, old and new, that no page shows.
            let figures = dir.join(crate::events::dataset::REPORT).join("figures");
            let drawn = std::fs::read_dir(&figures).map_or(0, |listing| listing.count());
            if drawn > 0 {
                v.findings.push(Finding {
                    repair: Some(Remedy::RemakeReport),
                    ..Finding::damage(format!(
                        "{}: {drawn} figure(s) but no page: a report was cut off; `--repair` makes the page again",
                        figures.display()
                    ))
                });
            }
        }
        PageCheck::OtherBuild(build) => v.findings.push(Finding::note(format!(
            "{}: made by aisle {build}, not this build, so not checked; `aisle report {}` makes it again",
            crate::report::page_path(dir).display(),
            dir.display()
        ))),
        PageCheck::Differs { file, detail } => v.findings.push(Finding {
            repair: Some(Remedy::RemakeReport),
            ..Finding::damage(format!(
                "{}: is not what this build makes from the runs that verify ({detail}): edited by hand, or made \
                 before runs were added; `--repair` makes the page again",
                file.display()
            ))
        }),
    }
    Ok(())
}

/// The manifest's header is what the scenario copy makes it
/// (`Dataset::header_differences`; `--repair` rebuilds it from the copy).
fn check_manifest_header(dir: &Path, file: &ScenarioFile, m: &Manifest, v: &mut Verification) {
    for (field, found, made) in Dataset::header_differences(m, file) {
        v.findings.push(Finding::damage(format!(
            "{}: `{field}` is {found}, but the scenario copy makes it {made}; `--repair` rebuilds it",
            dir.join(MANIFEST).display()
        )));
    }
}

/// What `repair` did.
#[derive(Debug, Clone, Default)]
pub struct Repaired {
    /// Runs simulated again.
    pub runs: Vec<(String, u64)>,
    /// Leftover temporary files removed (by opening the dataset as a writer).
    pub leftovers: usize,
    /// The report page, made again.
    pub report: Option<PathBuf>,
}

/// Simulates again every run a finding names, from the dataset's own copy
/// of the scenario, then rebuilds the manifest and the metrics table.
/// Needs an intact scenario copy (it is what the runs were made from).
pub fn repair(dir: &Path, found: &Verification, mut progress: impl FnMut(&str, u64)) -> Result<Repaired, VerifyError> {
    Dataset::remove_unreadable_manifest(dir)?;
    let mut manifest: Option<Manifest> = Dataset::read_manifest(dir).ok().flatten();
    let (sha, odd) = version_of(dir, manifest.as_ref(), &read_records(dir)?);
    let no_scenario = |why: String| VerifyError::NoScenario { dir: dir.to_owned(), why };
    if let Some(why) = scenario_copy_problem(dir, &sha, odd) {
        return Err(no_scenario(why));
    }
    // A manifest that alone names another version takes the runs' back, so
    // the dataset opens as theirs; its runs are rebuilt below.
    if let (Some(m), OddOneOut::Manifest) = (manifest.as_mut(), odd) {
        m.scenario_sha256 = sha.clone();
        let path = dir.join(MANIFEST);
        let json = serde_json::to_string_pretty(&*m).expect("a manifest serialises");
        crate::events::fs::write_atomic(&path, json.as_bytes())
            .map_err(|source| DatasetError::Io { path: path.clone(), source })?;
    }
    let file = ScenarioFile::read(&dir.join(SCENARIO_COPY))?;
    let leftovers = leftovers(dir).len();
    let remedies: BTreeSet<Remedy> = found.findings.iter().filter_map(|f| f.repair.clone()).collect();
    let mut targets: BTreeSet<(String, u64)> = remedies
        .iter()
        .filter_map(|r| match r {
            Remedy::Simulate(variant, seed) => Some((variant.clone(), *seed)),
            // (`SimulateOldLayout`: every older layout's record is taken below.)
            Remedy::RemakeReport | Remedy::SettleReleases | Remedy::SimulateOldLayout => None,
        })
        .collect();
    if remedies.contains(&Remedy::SettleReleases) {
        let _lock = crate::privacy::ledger::lock(dir).map_err(crate::privacy::PrivacyError::from)?;
        crate::privacy::settle_interrupted(dir)?;
    }
    // An older layout's records go; their runs are simulated again below.
    for partition in partitions(&dir.join("events")) {
        let record = partition.join("run.json");
        if let (true, Some(key)) = (record.exists(), partition_key(&partition)) {
            std::fs::remove_file(&record).map_err(|source| DatasetError::Io { path: record.clone(), source })?;
            targets.insert(key);
        }
    }
    let mut dataset = Dataset::open_for(dir, &file, OnScenarioChange::Refuse)?;
    let known = file.variant_ids();
    let mut runs = Vec::new();
    for (variant, seed) in targets {
        if !known.contains(&variant) {
            continue; // a variant the scenario no longer has: verify keeps reporting it
        }
        progress(&variant, seed);
        let p = crate::prepare(&file, &variant)?;
        let outcome = simulate_run(dir, &p, seed, |_| {})?;
        debug_assert_eq!(outcome.record.path, events_path(&variant, seed));
        // A sequential look's mark: `write_record` keeps a readable
        // record's, `Dataset::add` the one the manifest listed.
        dataset.add(outcome.record).map_err(RunError::from)?;
        runs.push((variant, seed));
    }
    dataset.refresh()?;
    // A page over damaged runs, manifest or metrics table may be stale too
    // (verify compares it only where nothing else is damaged): one repair
    // left a page made before runs were added, and a second was needed.
    let page_exists = crate::report::page_path(dir).exists();
    let report = if remedies.contains(&Remedy::RemakeReport) || (page_exists && found.damaged() > 0) {
        Some(crate::report::remake(dir)?)
    } else {
        None
    };
    Ok(Repaired { runs, leftovers, report })
}

/// `aisle verify`: checks the dataset, with `repair` first mends what it
/// can and checks again, telling `say` each finding and repair; fails with
/// `Damaged` if anything is still wrong.
pub fn check(dir: &Path, repair_first: bool, mut say: impl FnMut(String)) -> Result<Verification, VerifyError> {
    let mut found = verify(dir)?;
    if repair_first && !found.findings.is_empty() {
        for f in &found.findings {
            say(format!("found: {}", f.message));
        }
        let done =
            repair(dir, &found, |variant, seed| say(format!("repair: simulating {variant} / seed {seed} again")))?;
        say(format!(
            "repaired: {} run(s) simulated again, {} leftover temporary file(s) removed",
            done.runs.len(),
            done.leftovers
        ));
        if let Some(page) = &done.report {
            say(format!("repaired: report page made again, {}", page.display()));
        }
        found = verify(dir)?;
    }
    for f in &found.findings {
        let tag = match f.severity {
            Severity::Damage => "damaged",
            Severity::Note => "note",
        };
        say(format!("{tag}: {}", f.message));
    }
    let damaged = found.damaged();
    if damaged > 0 {
        return Err(VerifyError::Damaged {
            dir: dir.to_owned(),
            damaged,
            runs_ok: found.runs_ok,
            advice: Advice::of(&found.findings, repair_first),
        });
    }
    Ok(found)
}
