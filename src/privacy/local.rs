//! `aisle publish --local`: an exportable trace of where shoppers walked,
//! protected point by point rather than by noising aggregates.
//!
//! - One variant per export: the same person walks every variant of a seed,
//!   so exports of two variants are two releases about the same people,
//!   each charged in the ledger.
//! - Pseudonyms: HMAC-SHA256 of (seed, shopper) under a key drawn from the
//!   operating system for this export and never written down (not even a
//!   seeded, reproducible export derives it from the seed).
//! - Each shopper gets exactly `points_per_shopper` points, drawn uniformly
//!   with replacement from their position samples (`enter`, `move`,
//!   `exit`): how long a visit was does not show in its number of points.
//! - Times are coarsened to a grain (default five minutes).
//! - Positions are snapped to the nearest lattice point and moved by planar
//!   Laplace noise sampled exactly on the lattice (geo-indistinguishability,
//!   Andrés et al. 2013). Snapping moves a point by up to d/√2 (d the
//!   lattice spacing), so two true positions r metres apart give reports at
//!   most e^(ε·(r + √2·d) + ε·d·2^−16) times likelier under one than the
//!   other; the last term is the exact distance rounding.
//! - The ledger charges what one shopper's points reveal at worst: moving
//!   all n of them anywhere in the store (diagonal D) is
//!   n·ε·(D + √2·d + d·2^−16)-indistinguishable, a pure ε of the central
//!   budget. It is large: a useful local trace costs far more than an
//!   aggregate release.
//! - Not protected: that a shopper was in the store at all (each pseudonym
//!   is one person, so the file's number of pseudonyms is the number of
//!   shoppers), when (times to the grain), and which floor.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use arrow_array::builder::{Float32Builder, StringBuilder, UInt8Builder, UInt64Builder};
use arrow_array::{ArrayRef, RecordBatch};
use arrow_schema::{DataType, Field, Schema};
use hmac::{Hmac, Mac};
use parquet::arrow::ArrowWriter;
use rand::Rng;
use serde::Serialize;
use sha2::Sha256;

use super::ledger::{Budget, Cost, Entry, Ledger, NOT_PRIVATE, NoiseRecord};
use super::release::free_release_name;
use super::sample::{Ratio, planar_laplace_lattice, uniform_below};
use super::{NoiseSource, Pending, PrivacyError, os_rng};
use crate::events::Action;
use crate::events::parquet::read_log_with;

/// The most points a shopper exports: each is charged on its own, so a
/// private export of more could not be afforded, and one with `--seed`
/// (charged nothing) of 100,000 filled memory.
pub const MOST_POINTS: u32 = 1000;

/// Bits of the exact distance rounding: d(z) = ⌈‖z‖·2^bits⌉/2^bits lattice
/// steps, at most 2^-bits steps above the Euclidean distance.
const DISTANCE_BITS: u32 = 16;

#[derive(Debug, Clone)]
pub struct LocalPlan {
    /// The release directory's name; `None`: the first free `release-N`,
    /// chosen under the ledger's lock.
    pub name: Option<String>,
    /// The one variant exported.
    pub variant: String,
    /// ε per metre of distance between two true positions, per point.
    pub epsilon_per_metre: f64,
    /// Lattice spacing, metres.
    pub lattice_m: f64,
    /// Time grain, seconds.
    pub grain_s: u64,
    /// Points exported for every shopper.
    pub points_per_shopper: u32,
    /// The members of a party exported: its leader and the first
    /// companions to come in (`Bounds::max_party`); the rest are left out,
    /// so a whole party is protected at `max_party` times one shopper's ε.
    pub max_party: usize,
    /// The dataset's total budget, if this is its first release.
    pub budget: Option<Budget>,
    pub noise: NoiseSource,
}

/// What one export guarantees, from its parameters alone.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LocalGuarantee {
    pub epsilon_per_metre: f64,
    /// Added to ε·r for every point by snapping to the lattice: ε·√2·d.
    pub snapping_epsilon: f64,
    /// Added for every point by the exact distance rounding: ε·d·2^−16.
    pub rounding_epsilon: f64,
    pub points_per_shopper: u32,
    /// The store's diagonal, metres: the farthest one point can be moved.
    pub store_diagonal_m: f64,
    /// Charged to the ledger: n·(ε·D + snapping + rounding).
    pub charged_epsilon: f64,
    /// How far planar Laplace noise moves a point on average, 2/ε metres.
    pub mean_displacement_m: f64,
    /// Said when that is more than half the store's narrower side: most
    /// points then land outside and are moved to its edge. From ε and the
    /// layout alone, so it reveals nothing of the data.
    pub edge_note: Option<String>,
}

impl LocalGuarantee {
    pub fn new(plan: &LocalPlan, store: (f64, f64)) -> LocalGuarantee {
        let (eps, d) = (plan.epsilon_per_metre, plan.lattice_m);
        let snapping_epsilon = eps * std::f64::consts::SQRT_2 * d;
        let rounding_epsilon = eps * d / (1u64 << DISTANCE_BITS) as f64;
        let store_diagonal_m = store.0.hypot(store.1);
        let per_point = eps * store_diagonal_m + snapping_epsilon + rounding_epsilon;
        let mean_displacement_m = 2.0 / eps;
        let edge_note = (mean_displacement_m > store.0.min(store.1) / 2.0).then(|| {
            format!(
                "at ε = {eps} per metre noise moves a point {mean_displacement_m:.1} m on average, more than half the \
                 store's narrower side ({:.1} × {:.1} m): most points land outside it and are moved to its edge, \
                 piling up along the walls and in the corners; only a larger --epsilon keeps them nearer where they were",
                store.0, store.1
            )
        });
        LocalGuarantee {
            epsilon_per_metre: eps,
            snapping_epsilon,
            rounding_epsilon,
            points_per_shopper: plan.points_per_shopper,
            store_diagonal_m,
            charged_epsilon: plan.points_per_shopper as f64 * per_point,
            mean_displacement_m,
            edge_note,
        }
    }

    fn per_point(&self) -> String {
        format!(
            "each point: two true positions r metres apart give reports at most e^({}·r + {:.4}) times likelier under one than \
             the other ({:.4} from snapping to the lattice, {:.2e} from distance rounding)",
            self.epsilon_per_metre,
            self.snapping_epsilon + self.rounding_epsilon,
            self.snapping_epsilon,
            self.rounding_epsilon
        )
    }

    fn per_shopper(&self) -> String {
        let n = self.points_per_shopper as f64;
        format!(
            "each shopper: {} points, so two true paths whose points are at most r metres apart are \
             e^({}·r + {:.4})-indistinguishable; moving all of them anywhere in the store (diagonal {:.1} m) is \
             {:.4}-indistinguishable, the ε charged to the ledger",
            self.points_per_shopper,
            n * self.epsilon_per_metre,
            n * (self.snapping_epsilon + self.rounding_epsilon),
            self.store_diagonal_m,
            self.charged_epsilon
        )
    }
}

/// What an export does not protect, in words for its release.json and README.
pub const NOT_PROTECTED: [&str; 4] = [
    "presence: every pseudonym is one shopper, so the file shows how many shoppers there were and that each was in the store",
    "time: each point's time is exact to the time grain, so arrival and leaving are known to the grain",
    "floor: the floor of each point is exact",
    "the other variants: the same people walk every variant of a seed; an export of another variant is another release about them",
];

#[derive(Serialize)]
struct LocalRelease<'a> {
    name: &'a str,
    privacy: String,
    private: bool,
    aisle_version: &'a str,
    scenario: &'a str,
    /// The scenario version the runs were made from (as a central
    /// release's), so `verify` says when `--replace` has put another in.
    scenario_sha256: &'a str,
    variant: &'a str,
    model: &'static str,
    unit_of_privacy: String,
    guarantee: LocalGuarantee,
    per_point: String,
    per_shopper: String,
    not_protected: [&'static str; 4],
    lattice_m: f64,
    time_grain_s: u64,
    /// Counts of shoppers and points are withheld (the file's rows still
    /// show the number of pseudonyms: presence is not protected).
    counts: &'static str,
    noise: NoiseRecord,
    columns: [&'static str; 5],
    /// The dataset's private releases together after this one.
    ledger_total: super::release::LedgerTotal,
    /// The ledger's entry for this release (its hash binds the two).
    entry: Entry,
}

/// Writes `releases/<name>/trace.parquet` and `release.json`; returns the
/// directory, what the export guarantees and the seeds it left out (for
/// the curator alone).
pub fn export(
    dir: &Path,
    plan: &LocalPlan,
    mut progress: impl FnMut(usize, usize),
) -> Result<(PathBuf, LocalGuarantee, super::release::LeftOut), PrivacyError> {
    if plan.points_per_shopper == 0 {
        return Err(PrivacyError::BadParameter { what: "points", value: 0.0, why: "must be at least 1" });
    }
    if plan.points_per_shopper > MOST_POINTS {
        let (what, value, most) = ("points", plan.points_per_shopper as f64, MOST_POINTS as f64);
        return Err(PrivacyError::TooLarge { what, value, most });
    }
    // Every position comes from a log that matches its record, of a seed
    // planned before any figure was seen (as a central release's).
    let (manifest, _, left_out) = super::release::released_runs(dir)?;
    let runs: Vec<_> = manifest.runs.iter().filter(|r| r.variant == plan.variant).collect();
    if runs.is_empty() {
        let with_runs = manifest.variants_with_runs().cloned().collect();
        return Err(PrivacyError::NoRuns { dir: dir.to_owned(), variant: plan.variant.clone(), with_runs });
    }
    let store = store_extent(dir, &plan.variant)?;
    let guarantee = LocalGuarantee::new(plan, store);
    let _lock = super::ledger::lock(dir)?;
    super::not_busy(dir)?;
    // What a killed release left is settled first, as `release::publish` does.
    super::settle_interrupted(dir)?;
    let plan = &LocalPlan { name: Some(plan.name.clone().unwrap_or_else(|| free_release_name(dir))), ..plan.clone() };
    let mut ledger = Ledger::open(dir, plan.budget)?;
    let entry = ledger_entry(plan, &guarantee);
    let pending = Pending::check(dir, &ledger, &entry)?;
    let mut rng = plan.noise.rng()?;
    // The pseudonym key is secret whatever the noise source.
    let mut key = [0u8; 32];
    os_rng()?.fill_bytes(&mut key);
    let positions = PositionNoise::new(plan.epsilon_per_metre, plan.lattice_m, store)?;
    let mut b = TraceBuilder::default();
    for (i, run) in runs.iter().enumerate() {
        let paths = shopper_paths(&dir.join(&run.path))?;
        for (shopper, ShopperPath { path, .. }) in paths.into_iter().filter(|(_, p)| p.behind_leader < plan.max_party) {
            let pseudonym = pseudonym(&key, run.seed, shopper);
            push_shopper_points(&mut b, &mut rng, plan, &positions, &pseudonym, &path);
        }
        progress(i + 1, runs.len());
    }
    let privacy = local_privacy(plan, &guarantee);
    let total = super::release::LedgerTotal::after(&ledger, &entry);
    let (out, _) = pending.land(
        dir,
        &mut ledger,
        entry,
        |out| b.write(&out.join("trace.parquet"), &privacy),
        |sealed| {
            local_release(
                plan,
                (&manifest.scenario, &manifest.scenario_sha256),
                (guarantee.clone(), total.clone()),
                sealed.clone(),
            )
        },
    )?;
    Ok((out, guarantee, left_out))
}

impl LocalPlan {
    /// The release's name, once `export` has chosen it under the ledger's lock.
    fn name(&self) -> &str {
        self.name.as_deref().expect("named under the ledger's lock")
    }
}

/// The ledger entry of an export, before it is sealed: its mechanism and the ε it charges.
fn ledger_entry(plan: &LocalPlan, guarantee: &LocalGuarantee) -> Entry {
    Entry {
        name: plan.name().to_owned(),
        created_unix_s: std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs()),
        mechanism: "planar Laplace on a lattice (local)".into(),
        cost: Cost::Local {
            epsilon_per_metre: plan.epsilon_per_metre,
            points_per_shopper: plan.points_per_shopper as u64,
            epsilon: guarantee.charged_epsilon,
        },
        noise: plan.noise.record(),
        composition: format!(
            "one variant ({}); each shopper is in one run of it (parallel over seeds); {}; a party is exported with {}",
            plan.variant,
            guarantee.per_shopper(),
            super::contrib::party_rule(plan.max_party)
        ),
        queries: Vec::new(),
        files: Default::default(),
        record_sha256: String::new(),
        prev_sha256: String::new(),
        sha256: String::new(),
    }
}

/// One position sample: time (ms), x, y and floor.
type PositionSample = (u64, f32, f32, u8);

/// One shopper's position samples, and how many of its party came in
/// before it (`contrib::Visit::behind_leader`).
#[derive(Default)]
struct ShopperPath {
    behind_leader: usize,
    path: Vec<PositionSample>,
}

/// Every shopper's position samples (`enter`, `move`, `exit`) in the log at `path`, in time order.
fn shopper_paths(path: &Path) -> Result<BTreeMap<u32, ShopperPath>, PrivacyError> {
    let mut paths: BTreeMap<u32, ShopperPath> = BTreeMap::new();
    read_log_with(path, |events| {
        for e in events {
            if !matches!(e.action, Action::Enter { .. } | Action::Move | Action::Exit) {
                continue;
            }
            let p = paths.entry(e.shopper).or_default();
            if let Action::Enter { party } = e.action {
                p.behind_leader = e.shopper.saturating_sub(party) as usize;
            }
            p.path.push((e.t_ms, e.x, e.y, e.floor));
        }
    })?;
    Ok(paths)
}

/// A shopper's pseudonym: the first 8 bytes, in hex, of the HMAC-SHA256 of "seed/shopper" under `key`.
fn pseudonym(key: &[u8; 32], seed: u64, shopper: u32) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("HMAC takes any key length");
    mac.update(format!("{seed}/{shopper}").as_bytes());
    mac.finalize().into_bytes()[..8].iter().map(|x| format!("{x:02x}")).collect()
}

/// Adds a shopper's points to the trace: `points_per_shopper` samples of their path drawn with replacement,
/// in time order, each time coarsened to the grain and each position noised.
fn push_shopper_points(
    b: &mut TraceBuilder,
    rng: &mut impl Rng,
    plan: &LocalPlan,
    positions: &PositionNoise,
    pseudonym: &str,
    path: &[PositionSample],
) {
    let len = num_bigint::BigUint::from(path.len());
    let mut picks: Vec<usize> =
        (0..plan.points_per_shopper).map(|_| uniform_below(rng, &len).try_into().expect("an index")).collect();
    picks.sort_unstable();
    for k in picks {
        let (t_ms, x, y, floor) = path[k];
        let (x, y) = positions.report(rng, (x as f64, y as f64));
        b.push(TracePoint { pseudonym, t_s: t_ms / 1000 / plan.grain_s * plan.grain_s, x, y, floor });
    }
}

/// The export's privacy line: its guarantee, or that it is not private.
fn local_privacy(plan: &LocalPlan, guarantee: &LocalGuarantee) -> String {
    if plan.noise.record().is_private() {
        format!("locally private: {}", guarantee.per_shopper())
    } else {
        NOT_PRIVATE.to_owned()
    }
}

/// release.json's contents: what the export protects, at what cost, and what it does not.
fn local_release<'a>(
    plan: &'a LocalPlan,
    (scenario, scenario_sha256): (&'a str, &'a str),
    (guarantee, ledger_total): (LocalGuarantee, super::release::LedgerTotal),
    entry: Entry,
) -> LocalRelease<'a> {
    let private = plan.noise.record().is_private();
    LocalRelease {
        name: plan.name(),
        privacy: local_privacy(plan, &guarantee),
        private,
        aisle_version: crate::VERSION,
        scenario,
        scenario_sha256,
        variant: &plan.variant,
        model: "local geo-indistinguishability, with a bounded number of points per shopper",
        unit_of_privacy: super::release::unit_of_privacy(plan.max_party),
        per_point: guarantee.per_point(),
        per_shopper: guarantee.per_shopper(),
        guarantee,
        not_protected: NOT_PROTECTED,
        lattice_m: plan.lattice_m,
        time_grain_s: plan.grain_s,
        counts: "withheld",
        noise: plan.noise.record(),
        columns: ["pseudonym", "t_s", "x", "y", "floor"],
        ledger_total,
        entry,
    }
}

/// How an export moves each position.
#[derive(Debug, Clone)]
pub struct PositionNoise {
    /// ε per lattice step, exact (an f64 is a dyadic rational).
    eps_step: Ratio,
    lattice_m: f64,
    store: (f64, f64),
}

impl PositionNoise {
    pub fn new(epsilon_per_metre: f64, lattice_m: f64, store: (f64, f64)) -> Result<PositionNoise, PrivacyError> {
        let eps_step = Ratio::from_f64(epsilon_per_metre * lattice_m).filter(|r| !r.is_zero()).ok_or(
            PrivacyError::BadParameter { what: "epsilon", value: epsilon_per_metre, why: "must be a positive number" },
        )?;
        Ok(PositionNoise { eps_step, lattice_m, store })
    }

    /// Where a true position is reported: snapped to the nearest lattice
    /// point, moved by planar Laplace noise on the lattice, then kept on
    /// the store's floor (post-processing, which costs nothing).
    pub fn report<R: Rng + ?Sized>(&self, rng: &mut R, (x, y): (f64, f64)) -> (f64, f64) {
        let d = self.lattice_m;
        let (lx, ly) = ((x / d).round() as i64, (y / d).round() as i64);
        let (nx, ny) = planar_laplace_lattice(rng, &self.eps_step, DISTANCE_BITS);
        (((lx + nx) as f64 * d).clamp(0.0, self.store.0), ((ly + ny) as f64 * d).clamp(0.0, self.store.1))
    }
}

/// The store's width and depth (variants cannot change them).
fn store_extent(dir: &Path, variant: &str) -> Result<(f64, f64), PrivacyError> {
    let file = crate::scenario::ScenarioFile::read(&dir.join(crate::events::dataset::SCENARIO_COPY))?;
    let s = file.build(variant)?;
    Ok((s.store.width, s.store.depth))
}

/// One exported row.
struct TracePoint<'a> {
    pseudonym: &'a str,
    t_s: u64,
    x: f64,
    y: f64,
    floor: u8,
}

/// The exported rows, as they come: run after run, shopper after shopper.
#[derive(Default)]
struct TraceBuilder {
    rows: Vec<(String, u64, f32, f32, u8)>,
}

impl TraceBuilder {
    fn push(&mut self, p: TracePoint) {
        self.rows.push((p.pseudonym.to_owned(), p.t_s, p.x as f32, p.y as f32, p.floor));
    }

    /// Writes the trace, its rows ordered by pseudonym (each shopper's in
    /// time order); `privacy` goes into the file's metadata. (In the order
    /// they came, where a day's times began again told the runs apart, and
    /// so each day's visitor count the export withholds, and a shopper's
    /// place in the file its arrival rank.)
    fn write(mut self, path: &Path, privacy: &str) -> Result<(), PrivacyError> {
        self.rows.sort_by(|a, b| a.0.cmp(&b.0));
        let mut pseudonym = StringBuilder::new();
        let (mut t_s, mut x, mut y, mut floor) =
            (UInt64Builder::new(), Float32Builder::new(), Float32Builder::new(), UInt8Builder::new());
        for (p, t, px, py, f) in &self.rows {
            pseudonym.append_value(p);
            t_s.append_value(*t);
            x.append_value(*px);
            y.append_value(*py);
            floor.append_value(*f);
        }
        let schema = Arc::new(Schema::new(vec![
            Field::new("pseudonym", DataType::Utf8, false),
            Field::new("t_s", DataType::UInt64, false),
            Field::new("x", DataType::Float32, false),
            Field::new("y", DataType::Float32, false),
            Field::new("floor", DataType::UInt8, false),
        ]));
        let columns: Vec<ArrayRef> = vec![
            Arc::new(pseudonym.finish()),
            Arc::new(t_s.finish()),
            Arc::new(x.finish()),
            Arc::new(y.finish()),
            Arc::new(floor.finish()),
        ];
        let batch = RecordBatch::try_new(schema.clone(), columns).expect("columns match the schema");
        let io = |source| PrivacyError::Io { path: path.to_owned(), source };
        let file = std::fs::File::create(path).map_err(io)?;
        let pq = |e: parquet::errors::ParquetError| PrivacyError::Io {
            path: path.to_owned(),
            source: std::io::Error::other(e.to_string()),
        };
        // Readers that show key-value metadata (DuckDB, pyarrow) show this.
        let props = parquet::file::properties::WriterProperties::builder()
            .set_key_value_metadata(Some(vec![parquet::file::metadata::KeyValue::new(
                "aisle.privacy".to_owned(),
                privacy.to_owned(),
            )]))
            .build();
        let mut writer = ArrowWriter::try_new(file, schema, Some(props)).map_err(pq)?;
        writer.write(&batch).map_err(pq)?;
        writer.close().map_err(pq)?;
        Ok(())
    }
}
