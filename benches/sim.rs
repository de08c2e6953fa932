//! Benchmarks (divan): `cargo bench`. `aisle bench` prints the design's
//! targets for a whole store-day; these time the parts.

use std::path::Path;

use aisle::Prepared;
use aisle::bench::{log_round_trip, store_day};
use aisle::events::parquet::to_batch;
use aisle::nav::flow_field;
use aisle::scenario::ScenarioFile;
use aisle::store::Ways;
use divan::Bencher;

fn main() {
    divan::main();
}

fn prepare(name: &str) -> Prepared {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("scenarios/{name}.toml"));
    aisle::prepare(&ScenarioFile::read(&path).unwrap(), "baseline").unwrap()
}

#[divan::bench(sample_count = 10)]
fn tiny_store_day(b: Bencher) {
    let p = prepare("tiny");
    b.bench(|| store_day(&p, 1));
}

#[divan::bench(sample_count = 3, sample_size = 1)]
fn grocery_store_day(b: Bencher) {
    let p = prepare("grocery");
    b.bench(|| store_day(&p, 1));
}

#[divan::bench(sample_count = 20)]
fn grocery_flow_field(b: Bencher) {
    let p = prepare("grocery");
    let target = p.store.exits[0];
    b.bench(|| flow_field(&p.store, target, Ways::All));
}

#[divan::bench(sample_count = 5, sample_size = 1)]
fn grocery_log_write_and_read(b: Bencher) {
    let p = prepare("grocery");
    let (events, _) = store_day(&p, 1);
    let dir = tempfile::tempdir().unwrap();
    b.counter(divan::counter::ItemsCount::new(events.len())).bench(|| log_round_trip(&p, &events, dir.path()).unwrap());
}

#[divan::bench(sample_count = 20)]
fn arrow_batch_of_64k_events(b: Bencher) {
    let p = prepare("tiny");
    let (events, _) = store_day(&p, 1);
    let batch: Vec<_> = events.iter().cycle().take(65536).copied().collect();
    b.counter(divan::counter::ItemsCount::new(batch.len())).bench(|| to_batch(&batch));
}

/// One exact noise draw at the scales a release uses.
#[divan::bench(args = [1, 10, 1000])]
fn discrete_laplace_draw(b: Bencher, scale: u64) {
    use aisle::privacy::sample::{Ratio, discrete_laplace};
    use rand::SeedableRng;
    let (mut rng, scale) = (rand_chacha::ChaCha20Rng::seed_from_u64(1), Ratio::integer(scale));
    b.bench_local(|| discrete_laplace(&mut rng, &scale));
}

#[divan::bench(args = [1, 100, 1_000_000])]
fn discrete_gaussian_draw(b: Bencher, sigma2: u64) {
    use aisle::privacy::sample::{Ratio, discrete_gaussian};
    use rand::SeedableRng;
    let (mut rng, sigma2) = (rand_chacha::ChaCha20Rng::seed_from_u64(1), Ratio::integer(sigma2));
    b.bench_local(|| discrete_gaussian(&mut rng, &sigma2));
}
