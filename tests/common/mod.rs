#![allow(dead_code)]

use std::path::Path;

use aisle::Prepared;
use aisle::events::SimEvent;
use aisle::scenario::ScenarioFile;
use aisle::sim::Simulation;

pub fn scenario_path(name: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios").join(format!("{name}.toml"))
}

pub fn prepare(name: &str, variant: &str) -> Prepared {
    let file = ScenarioFile::read(&scenario_path(name)).unwrap();
    aisle::prepare(&file, variant).unwrap_or_else(|e| panic!("{e}"))
}

/// Runs a whole day in memory and returns its events.
pub fn simulate(p: &Prepared, seed: u64) -> Vec<SimEvent> {
    let mut sim = Simulation::new(p.scenario.clone(), p.store.clone(), seed);
    let mut events = Vec::new();
    sim.run_to_end(|chunk| events.append(chunk), |_| {});
    events
}
