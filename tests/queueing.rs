//! Queueing against theory: two lanes with exponential service fed by
//! Poisson shoppers (who line up by the shortest queue and switch lines
//! when the next one is two shorter) wait as long as the Erlang C formula
//! for an M/M/2 queue predicts.

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

#[test]
fn two_exponential_lanes_wait_as_erlang_c_predicts() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/erlang.toml");
    let p = aisle::prepare(&ScenarioFile::read(&path).unwrap(), "baseline").unwrap();
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
                Action::Abandon { .. } => panic!("nobody in this store gives up"),
                _ => {}
            }
        }
    }
    assert_eq!(sojourn.len(), joins, "everyone who queued paid");
    // Arrivals at the checkout: the measured rate (the shop floor delays
    // Poisson arrivals without changing their rate or nature).
    let lambda = joins as f64 / (days as f64 * open_s);
    let predicted = erlang_c_sojourn(lambda, 1.0 / 60.0, 2);
    let simulated = sojourn.iter().sum::<f64>() / sojourn.len() as f64;
    eprintln!(
        "load {:.3}: simulated {simulated:.1} s, Erlang C {predicted:.1} s over {} shoppers",
        lambda * 60.0 / 2.0,
        sojourn.len()
    );
    assert!(
        (simulated - predicted).abs() <= 0.10 * predicted,
        "mean time at the checkout {simulated:.1} s, Erlang C predicts {predicted:.1} s"
    );
}
