//! `aisle publish --local`: an exportable trace of where shoppers walked,
//! protected point by point rather than by noising aggregates.
//!
//! - Shoppers get pseudonyms: HMAC-SHA256 of (variant, seed, shopper) under
//!   a key drawn for this export and never written down, so the pseudonyms
//!   link a shopper's points but not to the dataset.
//! - Times are coarsened to a grain (default one minute).
//! - Positions are snapped to a lattice and moved by planar Laplace noise
//!   sampled exactly on that lattice (geo-indistinguishability, Andrés et
//!   al. 2013): for any two true positions r metres apart, every reported
//!   point is at most e^(ε·r) times likelier under one than the other. Each
//!   point is noised independently, so n points of one shopper give n·ε·r.
//! - Only position samples (`enter`, `move`, `exit`) are exported: baskets
//!   are not protected by this mechanism and stay out.

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

use super::ledger::{Cost, Entry, Ledger};
use super::sample::{Ratio, planar_laplace_lattice};
use super::{NoiseSource, Pending, PrivacyError};
use crate::events::Action;
use crate::events::dataset::{Dataset, write_atomic};
use crate::events::parquet::read_log_with;

/// Bits of the exact distance rounding: d(z) = ⌈‖z‖·2^bits⌉/2^bits lattice
/// steps, at most 2^-bits steps above the Euclidean distance.
const DISTANCE_BITS: u32 = 16;

#[derive(Debug, Clone)]
pub struct LocalPlan {
    pub name: String,
    /// ε per metre of distance between two true positions.
    pub epsilon_per_metre: f64,
    /// Lattice spacing, metres.
    pub lattice_m: f64,
    /// Time grain, seconds.
    pub grain_s: u64,
    pub noise: NoiseSource,
}

#[derive(Serialize)]
struct LocalRelease<'a> {
    name: &'a str,
    aisle_version: &'a str,
    scenario: &'a str,
    model: &'static str,
    epsilon_per_metre: f64,
    /// The extra ε per point from rounding distances to the lattice metric.
    rounding_epsilon: f64,
    lattice_m: f64,
    time_grain_s: u64,
    points: u64,
    shoppers: u64,
    noise: super::ledger::NoiseRecord,
    guarantee: String,
    columns: [&'static str; 7],
}

/// Writes `releases/<name>/trace.parquet` and `release.json`; returns the directory.
pub fn export(dir: &Path, plan: &LocalPlan, mut progress: impl FnMut(usize, usize)) -> Result<PathBuf, PrivacyError> {
    // Every position comes from a log that matches its record.
    let manifest = Dataset::read_verified(dir)?.ok_or_else(|| PrivacyError::NotADataset { dir: dir.to_owned() })?;
    let mut ledger = Ledger::open(dir, None)?;
    let entry = Entry {
        name: plan.name.clone(),
        created_unix_s: std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs()),
        mechanism: "planar Laplace on a lattice (local)".into(),
        cost: Cost::Local { epsilon_per_metre: plan.epsilon_per_metre },
        noise: plan.noise.record(),
        composition: "each point noised on its own; n points of one shopper compose to n·ε per metre".into(),
        queries: Vec::new(),
    };
    let pending = Pending::check(dir, &ledger, &entry)?;
    let mut rng = plan.noise.rng()?;
    let mut key = [0u8; 32];
    rng.fill_bytes(&mut key);
    // ε per lattice step, exact (an f64 is a dyadic rational).
    let eps_step = Ratio::from_f64(plan.epsilon_per_metre * plan.lattice_m).ok_or(PrivacyError::BadParameter {
        what: "epsilon",
        value: plan.epsilon_per_metre,
        why: "must be a positive number",
    })?;
    let mut b = TraceBuilder::default();
    let mut shoppers = 0u64;
    let (w, d) = (store_extent(dir)?, plan.lattice_m);
    for (i, run) in manifest.runs.iter().enumerate() {
        // Each shopper's pseudonym, computed once per run.
        let mut pseudonyms: std::collections::HashMap<u32, String> = Default::default();
        read_log_with(&dir.join(&run.path), |events| {
            for e in events {
                if !matches!(e.action, Action::Enter { .. } | Action::Move | Action::Exit) {
                    continue;
                }
                let pseudonym = pseudonyms.entry(e.shopper).or_insert_with(|| {
                    shoppers += 1;
                    let mut mac = Hmac::<Sha256>::new_from_slice(&key).expect("HMAC takes any key length");
                    mac.update(format!("{}/{}/{}", run.variant, run.seed, e.shopper).as_bytes());
                    mac.finalize().into_bytes()[..8].iter().map(|x| format!("{x:02x}")).collect()
                });
                let (lx, ly) = ((e.x as f64 / d).round() as i64, (e.y as f64 / d).round() as i64);
                let (nx, ny) = planar_laplace_lattice(&mut rng, &eps_step, DISTANCE_BITS);
                // Keeping reports on the floor is post-processing: it costs nothing.
                let x = ((lx + nx) as f64 * d).clamp(0.0, w.0);
                let y = ((ly + ny) as f64 * d).clamp(0.0, w.1);
                let t_s = e.t_ms / 1000 / plan.grain_s * plan.grain_s;
                b.push(TracePoint {
                    pseudonym,
                    variant: &run.variant,
                    t_s,
                    kind: e.action.kind(),
                    x,
                    y,
                    floor: e.floor,
                });
            }
        })?;
        progress(i + 1, manifest.runs.len());
    }
    let release = LocalRelease {
        name: &plan.name,
        aisle_version: crate::VERSION,
        scenario: &manifest.scenario,
        model: "local geo-indistinguishability",
        epsilon_per_metre: plan.epsilon_per_metre,
        rounding_epsilon: plan.epsilon_per_metre * plan.lattice_m / (1u64 << DISTANCE_BITS) as f64,
        lattice_m: plan.lattice_m,
        time_grain_s: plan.grain_s,
        points: b.len,
        shoppers,
        noise: plan.noise.record(),
        guarantee: format!(
            "each point: two true positions r metres apart are e^({}·r)-indistinguishable; a shopper's n points compose to n times that",
            plan.epsilon_per_metre
        ),
        columns: ["pseudonym", "variant", "t_s", "kind", "x", "y", "floor"],
    };
    pending.land(dir, &mut ledger, entry, |out| {
        b.write(&out.join("trace.parquet"))?;
        let path = out.join("release.json");
        write_atomic(&path, &serde_json::to_vec_pretty(&release).expect("serialises"))
            .map_err(|source| PrivacyError::Io { path, source })
    })
}

/// The store's width and depth (variants cannot change them).
fn store_extent(dir: &Path) -> Result<(f64, f64), PrivacyError> {
    let file = crate::scenario::ScenarioFile::read(&dir.join(crate::events::dataset::SCENARIO_COPY))?;
    let s = file.build(crate::scenario::BASELINE)?;
    Ok((s.store.width, s.store.depth))
}

/// One exported row.
struct TracePoint<'a> {
    pseudonym: &'a str,
    variant: &'a str,
    t_s: u64,
    kind: &'a str,
    x: f64,
    y: f64,
    floor: u8,
}

#[derive(Default)]
struct TraceBuilder {
    pseudonym: StringBuilder,
    variant: StringBuilder,
    t_s: UInt64Builder,
    kind: StringBuilder,
    x: Float32Builder,
    y: Float32Builder,
    floor: UInt8Builder,
    len: u64,
}

impl TraceBuilder {
    fn push(&mut self, p: TracePoint) {
        self.pseudonym.append_value(p.pseudonym);
        self.variant.append_value(p.variant);
        self.t_s.append_value(p.t_s);
        self.kind.append_value(p.kind);
        self.x.append_value(p.x as f32);
        self.y.append_value(p.y as f32);
        self.floor.append_value(p.floor);
        self.len += 1;
    }

    fn write(mut self, path: &Path) -> Result<(), PrivacyError> {
        let schema = Arc::new(Schema::new(vec![
            Field::new("pseudonym", DataType::Utf8, false),
            Field::new("variant", DataType::Utf8, false),
            Field::new("t_s", DataType::UInt64, false),
            Field::new("kind", DataType::Utf8, false),
            Field::new("x", DataType::Float32, false),
            Field::new("y", DataType::Float32, false),
            Field::new("floor", DataType::UInt8, false),
        ]));
        let columns: Vec<ArrayRef> = vec![
            Arc::new(self.pseudonym.finish()),
            Arc::new(self.variant.finish()),
            Arc::new(self.t_s.finish()),
            Arc::new(self.kind.finish()),
            Arc::new(self.x.finish()),
            Arc::new(self.y.finish()),
            Arc::new(self.floor.finish()),
        ];
        let batch = RecordBatch::try_new(schema.clone(), columns).expect("columns match the schema");
        let io = |source| PrivacyError::Io { path: path.to_owned(), source };
        let file = std::fs::File::create(path).map_err(io)?;
        let pq = |e: parquet::errors::ParquetError| PrivacyError::Io {
            path: path.to_owned(),
            source: std::io::Error::other(e.to_string()),
        };
        let mut writer = ArrowWriter::try_new(file, schema, None).map_err(pq)?;
        writer.write(&batch).map_err(pq)?;
        writer.close().map_err(pq)?;
        Ok(())
    }
}
