//! The crowd benchmark's hall: a crowd placed at once walks out of one
//! door, every agent, and a start off the floor is refused by name.

use aisle::bench::hall::{DOOR, hall_source, lattice};
use aisle::events::Action;
use aisle::geom::Point;
use aisle::scenario::{BASELINE, ScenarioFile};
use aisle::sim::Simulation;

fn hall() -> aisle::Prepared {
    let file = ScenarioFile::parse(std::path::Path::new("hall.toml"), hall_source(0.1)).unwrap();
    aisle::prepare(&file, BASELINE).unwrap()
}

#[test]
fn a_placed_crowd_walks_out_of_the_door_every_one() {
    let p = hall();
    let starts = lattice(200);
    let mut sim = Simulation::placed(p.scenario.clone(), p.store.clone(), 1, &starts).unwrap();
    let mut events = Vec::new();
    // 200 agents at most 35 m from the door: out within five minutes.
    for _ in 0..3000 {
        if !sim.step() {
            break;
        }
        sim.drain_events(&mut events);
    }
    sim.drain_events(&mut events);
    let enters: Vec<_> = events.iter().filter(|e| matches!(e.action, Action::Enter { .. })).collect();
    let exits: Vec<_> = events.iter().filter(|e| matches!(e.action, Action::Exit)).collect();
    assert_eq!((enters.len(), exits.len()), (200, 200));
    // Each appeared where it was placed, at opening, and left at the door.
    for e in &enters {
        let start = starts[e.shopper as usize];
        assert_eq!((e.t_ms, e.x as f64, e.y as f64), (0, start.x as f32 as f64, start.y as f32 as f64));
    }
    for e in &exits {
        let d = ((e.x as f64 - DOOR.x).powi(2) + (e.y as f64 - DOOR.y).powi(2)).sqrt();
        assert!(d < 1.5 && e.t_ms < 300_000, "shopper {} left {d:.2} m from the door at {} ms", e.shopper, e.t_ms);
    }
    // Nobody bought anything: they came to walk out.
    assert!(!events.iter().any(|e| matches!(e.action, Action::Pick { .. } | Action::QueueJoin { .. })));
}

#[test]
fn a_start_off_the_floor_is_refused_by_name() {
    let p = hall();
    // Inside the shelf in the back-left corner.
    let err = Simulation::placed(p.scenario.clone(), p.store.clone(), 1, &[Point::new(1.0, 59.75)]).err().unwrap();
    assert_eq!(err, "start (1.00, 59.75) is not on walkable floor");
}

/// `aisle bench-hall` refuses a crowd, a length or a step it cannot run,
/// naming the option (not the hall's scenario, which nobody wrote).
#[test]
fn bad_bench_hall_options_are_refused_by_their_names() {
    let cases = [
        (["--dt", "0"], "invalid value '0' for '--dt <DT>': must be between 0.01 and 1 second, got 0"),
        (
            ["--dt", "0.0125"],
            "invalid value '0.0125' for '--dt <DT>': must be a whole number of milliseconds, got 0.0125",
        ),
        (["--dt", "nan"], "invalid value 'nan' for '--dt <DT>': must be between 0.01 and 1 second, got nan"),
        (["--agents", "6000"], "invalid value '6000' for '--agents <AGENTS>': 6000 is not in 1..=5000"),
        (
            ["--seconds", "0"],
            "invalid value '0' for '--seconds <SECONDS>': must be more than 0 and at most 3600 seconds, got 0",
        ),
    ];
    for (args, message) in cases {
        let out =
            std::process::Command::new(env!("CARGO_BIN_EXE_aisle")).arg("bench-hall").args(args).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(stderr.lines().next(), Some(format!("error: {message}").as_str()), "{args:?}");
    }
}
