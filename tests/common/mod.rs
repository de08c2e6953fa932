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

/// The department store with every shopper step-free (a wheelchair or a
/// pushchair: lifts only between floors), as the variant `step-free`.
pub fn step_free_department() -> Prepared {
    let path = scenario_path("department");
    let source = std::fs::read_to_string(&path).unwrap()
        + r#"
[[variants]]
id = "step-free"
description = "Everyone in a wheelchair or with a pushchair."
edits = [
  { op = "set_segment", segment = "errand", step_free = true },
  { op = "set_segment", segment = "browser", step_free = true },
]
"#;
    aisle::prepare(&ScenarioFile::parse(&path, source).unwrap(), "step-free").unwrap()
}
