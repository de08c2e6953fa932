//! Queueing against theory: two servers with exponential service fed by
//! Poisson shoppers wait as long as the Erlang C formula for an M/M/2
//! queue predicts, whether they are two lanes (shoppers line up by the
//! shortest queue and switch lines when the next one is two shorter) or
//! one line feeding two self-service terminals.

mod common;

use std::collections::HashMap;

use aisle::events::Action;
use aisle::scenario::ScenarioFile;
use common::simulate;

/// Mean time in an M/M/c system (queueing plus service), Erlang C.
fn erlang_c_sojourn(lambda: f64, mu: f64, c: u32) -> f64 {
    let a = lambda / mu;
    let rho = a / c as f64;
    assert!(rho < 1.0, "unstable queue: load {rho}");
    let factorial = |n: u32| (1..=n).map(f64::from).product::<f64>();
    let below: f64 = (0..c).map(|k| a.powi(k as i32) / factorial(k)).sum();
    let top = a.powi(c as i32) / factorial(c) / (1.0 - rho);
    let waiting = top / (below + top);
    waiting / (c as f64 * mu - lambda) + 1.0 / mu
}

/// The erlang store as written (two lanes, a line each, shoppers switching
/// lines) or with one self-service line feeding two terminals: both are
/// M/M/2 queues, the second exactly.
const LAYOUTS: [(&str, Option<(&str, &str)>); 2] =
    [("two staffed lanes", None), ("one line, two self-service terminals", Some((TWO_LANES, ONE_LINE_TWO_TERMINALS)))];

const TWO_LANES: &str = r#"[[checkouts]]
id = "A"
kind = "staffed"
at = [5.0, 1.0]
queue = "north"
queue_places = 40
service = { base_s = 60.0, per_item_s = 0.0, distribution = "exponential" }

[[checkouts]]
id = "B"
kind = "staffed"
at = [7.0, 1.0]
queue = "north"
queue_places = 40
service = { base_s = 60.0, per_item_s = 0.0, distribution = "exponential" }
"#;

const ONE_LINE_TWO_TERMINALS: &str = r#"[[checkouts]]
id = "A"
kind = "self_service"
at = [6.0, 1.5]
queue = "north"
queue_places = 40
terminals = [[5.0, 1.0], [7.0, 1.0]]
service = { base_s = 60.0, per_item_s = 0.0, distribution = "exponential" }
"#;

#[test]
fn exponential_checkouts_wait_as_erlang_c_predicts() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/erlang.toml");
    for (layout, edit) in LAYOUTS {
        let mut source = std::fs::read_to_string(&path).unwrap();
        if let Some((from, to)) = edit {
            assert!(source.contains(from), "{layout}: the erlang store changed");
            source = source.replace(from, to);
        }
        let p = aisle::prepare(&ScenarioFile::parse(&path, source).unwrap(), "baseline").unwrap();
        let open_s = (p.scenario.population.close_ms - p.scenario.population.open_ms) as f64 / 1000.0;
        let (days, mut joins, mut sojourn) = (20u64, 0usize, Vec::new());
        for seed in 1..=days {
            let mut joined = HashMap::new();
            for e in simulate(&p, seed) {
                match e.action {
                    Action::QueueJoin { .. } => {
                        joined.insert(e.shopper, e.t_ms);
                        joins += 1;
                    }
                    Action::Checkout { .. } => sojourn.push((e.t_ms - joined[&e.shopper]) as f64 / 1000.0),
                    Action::Abandon { .. } => panic!("{layout}: nobody in this store gives up"),
                    _ => {}
                }
            }
        }
        assert_eq!(sojourn.len(), joins, "{layout}: everyone who queued paid");
        // Arrivals at the checkout: the measured rate (the shop floor delays
        // Poisson arrivals without changing their rate or nature).
        let lambda = joins as f64 / (days as f64 * open_s);
        let predicted = erlang_c_sojourn(lambda, 1.0 / 60.0, 2);
        let simulated = sojourn.iter().sum::<f64>() / sojourn.len() as f64;
        eprintln!(
            "{layout}: load {:.3}: simulated {simulated:.1} s, Erlang C {predicted:.1} s over {} shoppers",
            lambda * 60.0 / 2.0,
            sojourn.len()
        );
        assert!(
            (simulated - predicted).abs() <= 0.10 * predicted,
            "{layout}: mean time at the checkout {simulated:.1} s, Erlang C predicts {predicted:.1} s"
        );
    }
}
