//! Stops at seating and fitting rooms: time spent in the store without
//! buying. A leader's stops are drawn on arrival from its segment's
//! `stops` (`draw_stops`); `decide` sends it to the nearest free place of
//! a kind it still means to stop at, like any shelf (a place holds one
//! shopper, taken from then on: `Taken`; with every place taken the stop
//! waits, and is given up when nothing else is left to do); on arrival
//! (`reach_stop`, called by `walk`) it logs `stop_start` and stays for its
//! drawn time, then `stop` logs `stop_end`, frees the place and it shops
//! on.

use rand::RngExt;
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, StandardNormal};

use super::Setting;
use super::outbox::Outbox;
use super::shopper::{Activity, Shopper};
use crate::events::Action;
use crate::scenario::{DWELL_SIGMA, FixtureKind};

/// Which stop places (`Store::stops`) are taken: someone sits there or is
/// on the way.
pub(super) struct Taken(pub(super) Vec<bool>);

/// A stop a shopper means to make: at a fixture of `kind`, for the
/// fixture's median time times `factor` (log-normal, σ `DWELL_SIGMA`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Stop {
    pub(super) kind: FixtureKind,
    pub(super) factor: f64,
}

/// The stops of a leader of a segment with `chances` (kind, probability):
/// two draws per kind, in order, whatever the chance, so one kind's
/// chance moves no other draw.
pub(super) fn draw_stops(chances: &[(FixtureKind, f64)], rng: &mut ChaCha8Rng) -> Vec<Stop> {
    let mut stops = Vec::new();
    for &(kind, chance) in chances {
        let (u, z): (f64, f64) = (rng.random(), StandardNormal.sample(rng));
        if u < chance {
            stops.push(Stop { kind, factor: (DWELL_SIGMA * z).exp() });
        }
    }
    stops
}

/// A shopper walking to stop place `place` (`Activity::ToStop`) has
/// reached it: `stop_start`, and it stays its drawn time.
pub(super) fn reach_stop(setting: &Setting, out: &mut Outbox, t_ms: u64, s: &mut Shopper) {
    let Activity::ToStop { place, factor } = s.activity else { unreachable!("only one walking to a stop reaches it") };
    let fixture = setting.store.stops[place as usize].fixture;
    let median_s = setting.scenario.fixtures[fixture as usize].stop_median_s;
    out.emit(t_ms, s, Action::StopStart { fixture });
    let until_ms = t_ms + (median_s * factor * 1000.0) as u64;
    s.activity = Activity::AtStop { place, fixture, until_ms };
}

/// A shopper whose stop is over (`AtStop`, until now) logs `stop_end`,
/// frees the place and shops on.
pub(super) fn end_stop(taken: &mut Taken, out: &mut Outbox, t_ms: u64, s: &mut Shopper) {
    let Activity::AtStop { place, fixture, .. } = s.activity else { unreachable!("only one at a stop ends it") };
    out.emit(t_ms, s, Action::StopEnd { fixture });
    taken.0[place as usize] = false;
    s.activity = Activity::Deciding;
}
