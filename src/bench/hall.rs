//! The crowd benchmark shared with pedestrian simulators: `agents` people
//! placed at once on a square lattice in an open 60 × 60 m hall, all
//! walking to one door in the middle of its front wall, simulated for a
//! fixed stretch of time. The same hall, lattice, door, speed and time
//! step are rebuilt by `benches/crowd_vs_jupedsim.py` for JuPedSim.

use std::path::Path;
use std::time::Instant;

use crate::geom::Point;
use crate::scenario::ScenarioFile;
use crate::sim::Simulation;

/// The hall's side, metres.
pub const HALL_M: f64 = 60.0;
/// Lattice spacing between neighbours at the start, metres.
pub const SPACING_M: f64 = 0.7;
/// The lattice's front row, metres from the door's wall.
pub const FIRST_ROW_M: f64 = 8.0;
/// Free walking speed, m/s (Weidmann's mean).
pub const SPEED_MPS: f64 = 1.34;
/// Where everyone goes: the middle of the front wall.
pub const DOOR: Point = Point { x: HALL_M / 2.0, y: 0.3 };
/// Agents the lattice fits in the hall.
pub const MAX_AGENTS: u32 = 5_000;

/// What a hall run cost.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct HallFigures {
    pub agents: u32,
    pub steps: u64,
    /// Agents in the hall summed over the steps.
    pub agent_steps: u64,
    pub wall_s: f64,
    /// Agents who reached the door within the time simulated.
    pub out: u32,
}

impl HallFigures {
    pub fn agent_steps_per_s(&self) -> f64 {
        self.agent_steps as f64 / self.wall_s
    }
}

/// `agents` starting points: rows of ⌈√agents⌉ from `FIRST_ROW_M`, centred
/// across the hall, `SPACING_M` apart.
pub fn lattice(agents: u32) -> Vec<Point> {
    let per_row = (agents as f64).sqrt().ceil() as u32;
    let x0 = (HALL_M - (per_row - 1) as f64 * SPACING_M) / 2.0;
    (0..agents)
        .map(|i| Point::new(x0 + (i % per_row) as f64 * SPACING_M, FIRST_ROW_M + (i / per_row) as f64 * SPACING_M))
        .collect()
}

/// The hall as a scenario: empty floor, the door in and out, and what
/// every scenario must have (one product on a short shelf, one lane)
/// tucked into the back corners. Shoppers plan nothing, browse nothing and
/// buy nothing, so each walks straight to the door.
pub fn hall_source(tick_s: f64) -> String {
    let (m, d) = (HALL_M, DOOR);
    format!(
        r#"[scenario]
name = "hall"
description = "An open hall: a crowd walks to one door."
[store]
footprint = [{m}, {m}]
cell = 0.25
[[store.floors]]
id = "ground"
[[fixtures]]
id = "S"
kind = "wall_shelf"
at = [1.0, {shelf_y}]
size = [1.0, 0.5]
height = 1.0
levels = ["waist"]
faces = ["front"]
[[entrances]]
id = "door"
at = [{dx}, {dy}]
[[exits]]
id = "door"
at = [{dx}, {dy}]
[[checkouts]]
id = "L"
kind = "staffed"
at = [{lane_x}, {lane_y}]
queue = "west"
queue_places = 2
service = {{ base_s = 10.0, per_item_s = 1.0 }}
[[categories]]
id = "c"
list_weight = 1.0
[[products]]
id = "p"
category = "c"
price = 1.0
margin = 0.1
appeal = 0.0
[[planogram]]
product = "p"
fixture = "S"
face = "front"
level = "waist"
facings = 1
[population]
daily_visitors = 1
hours = [8.0, 9.0]
hourly_profile = [1.0]
[[population.segments]]
id = "walker"
share = 1.0
list_mean = 0.0
speed_mean = {SPEED_MPS}
speed_sd = 0.0
impulse = 0.0
patience_s = 60.0
[behaviour]
store_kind = "other"
[run]
tick_s = {tick_s}
trace_interval_s = 1.0
drain_h = 1.0
"#,
        shelf_y = m - 0.25,
        dx = d.x,
        dy = d.y,
        lane_x = m - 1.0,
        lane_y = m - 1.0,
    )
}

/// Simulates `agents` walking to the door for `seconds` at time step
/// `tick_s`, timing the steps alone (building the hall is not counted).
pub fn hall(agents: u32, seconds: f64, tick_s: f64) -> Result<HallFigures, crate::error::Error> {
    let file = ScenarioFile::parse(Path::new("hall.toml"), hall_source(tick_s))?;
    let p = crate::prepare(&file, crate::scenario::BASELINE)?;
    let mut sim = Simulation::placed(p.scenario.clone(), p.store.clone(), 1, &lattice(agents)).map_err(|message| {
        crate::error::Error::Scenarios(vec![format!("the hall holds at most {MAX_AGENTS} agents: {message}")])
    })?;
    let steps = (seconds / tick_s).round() as u64;
    let mut events = Vec::new();
    let (mut agent_steps, mut done) = (0u64, 0u64);
    let start = Instant::now();
    for _ in 0..steps {
        if !sim.step() {
            break;
        }
        done += 1;
        agent_steps += sim.progress().in_store as u64;
        sim.drain_events(&mut events);
        events.clear();
    }
    let wall_s = start.elapsed().as_secs_f64();
    let out = sim.progress().arrived - sim.progress().in_store;
    Ok(HallFigures { agents, steps: done, agent_steps, wall_s, out })
}
