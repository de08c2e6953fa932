#![allow(dead_code)]

use std::path::Path;

use aisle::Prepared;
use aisle::events::SimEvent;
use aisle::scenario::ScenarioFile;
use aisle::sim::Simulation;
use aisle::sim::perception::{Shelf, Sight};

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

/// Moves no walker could make: consecutive logged positions of a shopper on
/// one floor farther apart than walking at its pace allows, plus the stride
/// it may have banked (`sim::crowd::stride_bank_m`: spent at once by a
/// trade of places) and one step (the tick a shopper comes in or joins a
/// line logs where it stood before that tick's step).
pub fn leaps(p: &Prepared, seed: u64, events: &[SimEvent]) -> Vec<String> {
    let speeds: Vec<f64> = aisle::sim::visitors(&p.scenario, seed).iter().map(|v| v.speed).collect();
    let tick_s = p.scenario.run.tick_ms as f64 / 1000.0;
    let bank_m = aisle::sim::crowd::stride_bank_m(tick_s);
    let mut last: std::collections::HashMap<u32, &SimEvent> = std::collections::HashMap::new();
    let mut found = Vec::new();
    for e in events {
        if let Some(p) = last.insert(e.shopper, e)
            && p.floor == e.floor
        {
            let speed = speeds.get(e.shopper as usize).copied().unwrap_or(aisle::sim::TOP_SPEED_MPS);
            let dt = (e.t_ms - p.t_ms) as f64 / 1000.0;
            let d = (e.x as f64 - p.x as f64).hypot(e.y as f64 - p.y as f64);
            if d > speed * (dt + tick_s) + bank_m + 1e-3 {
                found.push(format!(
                    "shopper {} (walking {speed:.2} m/s) moved {d:.2} m in {dt:.1} s from ({:.1}, {:.1}) at {} s",
                    e.shopper,
                    p.x,
                    p.y,
                    p.t_ms / 1000
                ));
            }
        }
    }
    found
}

/// How near a fixture or wall anyone's centre may come. Walkable cells'
/// centres keep 0.125 m from them on any grid, and stands and a line's
/// places a walker's room, but a walker heading for a cell's centre from
/// off another's (stepping round someone) may cut a corner: 0.034 m from a
/// display's corner on the department store's sale day. (A stand on the
/// face of a wall running into a shelf put shoppers' centres on the wall,
/// and on a 0.1 m grid walkers passed 0.029 m from a shelf's face.)
pub const BODY_CLEARANCE_M: f64 = 0.03;

/// The store's edges on every floor, as the strips just outside them that
/// the grid blocks (`store::outside_edges`).
pub fn edges(s: &aisle::scenario::Scenario) -> Vec<(u8, aisle::geom::Rect)> {
    let strips = aisle::store::outside_edges(&s.store.bounds());
    (0..s.store.floors.len() as u8).flat_map(|f| strips.map(|r| (f, r))).collect()
}

/// Every fixture and wall with its floor (`Scenario::obstacles`), and the
/// store's edges on every floor (`edges`).
pub fn obstacles_and_edges(s: &aisle::scenario::Scenario) -> Vec<(u8, aisle::geom::Rect)> {
    s.obstacles().chain(edges(s)).collect()
}

/// How far `at` on `floor` is from the nearest of `obstacles` (fixtures,
/// walls and edges with their floors, `obstacles_and_edges`) there.
pub fn nearest_obstacle_m(obstacles: &[(u8, aisle::geom::Rect)], floor: u8, at: aisle::geom::Point) -> f64 {
    obstacles.iter().filter(|(f, _)| *f == floor).map(|(_, r)| r.distance_to(at)).fold(f64::MAX, f64::min)
}

/// How near a door a shopper passes through the store's edge.
const DOORWAY_M: f64 = 0.5;

/// Logged positions nearer than `BODY_CLEARANCE_M` to a fixture, wall or
/// edge of their floor (but a door's), in words.
pub fn too_near_obstacles(p: &Prepared, events: &[SimEvent]) -> Vec<String> {
    let s = &p.scenario;
    let (obstacles, edges): (Vec<_>, _) = (s.obstacles().collect(), edges(s));
    let in_doorway = |floor: u8, at: aisle::geom::Point| {
        s.entrances.iter().chain(&s.exits).any(|d| d.floor == floor && d.at.distance(at) < DOORWAY_M)
    };
    events
        .iter()
        .filter_map(|e| {
            let at = aisle::geom::Point::new(e.x as f64, e.y as f64);
            let mut d = nearest_obstacle_m(&obstacles, e.floor, at);
            if !in_doorway(e.floor, at) {
                d = d.min(nearest_obstacle_m(&edges, e.floor, at));
            }
            (d < BODY_CLEARANCE_M).then(|| {
                format!(
                    "shopper {} {d:.3} m from a fixture, wall or edge at ({:.2}, {:.2}), {:?}",
                    e.shopper, e.x, e.y, e.action
                )
            })
        })
        .collect()
}

/// The shelves of `product` within view distance of where `e` stands, on
/// its floor.
fn shelves_in_view<'a>(sight: &'a Sight, product: u32, e: &SimEvent) -> impl Iterator<Item = &'a Shelf> + 'a {
    use aisle::sim::perception::VIEW_RADIUS_M;
    let at = aisle::geom::Point::new(e.x as f64, e.y as f64);
    let floor = e.floor;
    sight
        .shelves
        .iter()
        .filter(move |sh| sh.product == product && sh.floor == floor && sh.spot.distance(at) <= VIEW_RADIUS_M + 1e-3)
}

/// Products noticed while looking ahead from where none of their shelves
/// could be seen: within view distance on the viewer's floor, and in front
/// of the face a tall fixture holds it on (nobody sees a gondola's far side
/// through it). A `view` right after `at_shelf` of the product is the
/// shopper finding it at the shelf it walked to, not a look ahead.
pub fn seen_through_a_fixture(sight: &Sight, events: &[SimEvent]) -> Vec<String> {
    use aisle::events::Action;
    let mut at_shelf = std::collections::HashMap::new();
    let mut found = Vec::new();
    for e in events {
        let product = match e.action {
            Action::AtShelf { product } => {
                at_shelf.insert(e.shopper, (product, e.t_ms));
                continue;
            }
            Action::View { product } if at_shelf.get(&e.shopper) != Some(&(product, e.t_ms)) => product,
            _ => continue,
        };
        let at = aisle::geom::Point::new(e.x as f64, e.y as f64);
        if !shelves_in_view(sight, product, e).any(|sh| sh.faces(at)) {
            found.push(format!(
                "shopper {} viewed product {product} at {} ms from ({:.2}, {:.2})",
                e.shopper, e.t_ms, e.x, e.y
            ));
        }
    }
    found
}

/// Products picked on impulse by one standing in a checkout line that no
/// shelf of theirs within view distance of where it stood holds: one in a
/// line takes only what it (or a companion beside it) could see from there.
pub fn taken_from_a_line_out_of_view(sight: &Sight, events: &[SimEvent]) -> Vec<String> {
    use aisle::events::Action;
    let mut in_line = std::collections::HashSet::new();
    let mut found = Vec::new();
    for e in events {
        match e.action {
            Action::QueueJoin { .. } => {
                in_line.insert(e.shopper);
            }
            Action::Checkout { .. } | Action::Abandon { .. } | Action::Exit => {
                in_line.remove(&e.shopper);
            }
            Action::Pick { product, planned: false, .. }
                if in_line.contains(&e.shopper) && shelves_in_view(sight, product, e).next().is_none() =>
            {
                found.push(format!("shopper {} took product {product} at {} s", e.shopper, e.t_ms / 1000));
            }
            _ => {}
        }
    }
    found
}
