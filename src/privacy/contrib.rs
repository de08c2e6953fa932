//! What each shopper contributes to a release, and the bounds that make
//! sensitivities known: each shopper reaches at most `k` heat blocks and
//! `k` zones (their own largest, chosen without looking at anyone else),
//! and every value is clamped and rounded to a grid of 2^j natural units
//! before it is summed. Sensitivities follow from these bounds alone.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::events::{Action, SimEvent};
use crate::metrics::{Layout, Projection};

/// One shopper's visit, as far as releases need it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Visit {
    /// Shopping alone or leading a party (a companion does not).
    pub leads: bool,
    pub paid: bool,
    pub revenue_cents: i64,
    pub items: u64,
    pub time_ms: u64,
    pub queued: bool,
    /// `queue_join` to `checkout` or `abandon`.
    pub wait_ms: u64,
    pub abandoned: bool,
    /// Milliseconds in each zone entered.
    pub zone_ms: BTreeMap<u16, u64>,
    /// Person-milliseconds in each heat block.
    pub block_ms: BTreeMap<u32, u64>,
}

/// Folds a run's events into one `Visit` per shopper (the same attribution
/// as the day metrics: time between two events belongs to where the
/// shopper was at the first).
pub struct VisitProjection<'a> {
    layout: &'a Layout,
    open: BTreeMap<u32, Open>,
    done: Vec<Visit>,
}

struct Open {
    visit: Visit,
    enter_ms: u64,
    /// Block and time of the last event.
    at: (u32, u64),
    zone_since: Option<(u16, u64)>,
    queue_since: Option<u64>,
}

impl<'a> VisitProjection<'a> {
    pub fn new(layout: &'a Layout) -> Self {
        VisitProjection { layout, open: BTreeMap::new(), done: Vec::new() }
    }

    /// Visits of shoppers who left, in the order they left.
    pub fn finish(self) -> Vec<Visit> {
        self.done
    }
}

impl Projection for VisitProjection<'_> {
    fn observe(&mut self, e: &SimEvent) {
        let block = self.layout.block_of(self.layout.cell_of(e.x, e.y, e.floor)) as u32;
        if let Action::Enter { party } = e.action {
            let visit = Visit { leads: party == e.shopper, ..Visit::default() };
            self.open.insert(
                e.shopper,
                Open { visit, enter_ms: e.t_ms, at: (block, e.t_ms), zone_since: None, queue_since: None },
            );
            return;
        }
        let Some(o) = self.open.get_mut(&e.shopper) else { return };
        *o.visit.block_ms.entry(o.at.0).or_default() += e.t_ms - o.at.1;
        o.at = (block, e.t_ms);
        match e.action {
            Action::ZoneEnter => o.zone_since = e.zone.map(|z| (z, e.t_ms)),
            Action::ZoneExit => {
                if let Some((z, since)) = o.zone_since.take() {
                    *o.visit.zone_ms.entry(z).or_default() += e.t_ms - since;
                }
            }
            Action::QueueJoin { .. } => {
                // A second join moves to a shorter line: the wait goes on.
                o.visit.queued = true;
                o.queue_since.get_or_insert(e.t_ms);
            }
            Action::Checkout { qty, amount_cents, .. } | Action::Abandon { qty, amount_cents, .. } => {
                if let Some(since) = o.queue_since.take() {
                    o.visit.wait_ms += e.t_ms - since;
                }
                if let Action::Checkout { .. } = e.action {
                    o.visit.paid = true;
                    o.visit.revenue_cents += amount_cents;
                    o.visit.items += qty as u64;
                } else {
                    o.visit.abandoned = true;
                }
            }
            Action::Exit => {
                let mut o = self.open.remove(&e.shopper).expect("open visit");
                o.visit.time_ms = e.t_ms - o.enter_ms;
                // Zero-length entries carry no time; they would still count as a visit.
                o.visit.block_ms.retain(|_, ms| *ms > 0);
                self.done.push(o.visit);
            }
            _ => {}
        }
    }
}

/// The bounds on one shopper's contribution, fixed before looking at data.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Bounds {
    /// Heat blocks a shopper counts in (their `k` longest stays).
    pub max_blocks: usize,
    /// Seconds a shopper counts in one heat block.
    pub block_clamp_s: f64,
    /// Zones a shopper counts in (their `k` longest dwells).
    pub max_zones: usize,
    /// Seconds a shopper counts in one zone.
    pub zone_clamp_s: f64,
    /// Largest basket counted, in currency units.
    pub basket_clamp: f64,
    pub items_clamp: u64,
    pub time_clamp_s: f64,
    pub wait_clamp_s: f64,
}

impl Default for Bounds {
    fn default() -> Self {
        Bounds {
            max_blocks: 12,
            block_clamp_s: 120.0,
            max_zones: 4,
            zone_clamp_s: 600.0,
            basket_clamp: 150.0,
            items_clamp: 60,
            time_clamp_s: 3600.0,
            wait_clamp_s: 900.0,
        }
    }
}

/// A value clamped to `[0, clamp]` and rounded to the nearest multiple of
/// `step` (both in natural units): an integer number of grid steps, at most
/// `ceil(clamp / step)`, which is the sensitivity charged for it.
pub fn to_grid(value: f64, clamp: f64, step: f64) -> i64 {
    (value.clamp(0.0, clamp) / step).round() as i64
}

/// Grid steps of the largest clamped value: `to_grid` never exceeds it.
pub fn grid_sensitivity(clamp: f64, step: f64) -> u64 {
    (clamp / step).ceil() as u64
}

/// The `k` largest entries of a shopper's own map (ties by key), the
/// rest dropped.
pub fn top_k<K: Copy + Ord>(map: &BTreeMap<K, u64>, k: usize) -> Vec<(K, u64)> {
    let mut entries: Vec<(K, u64)> = map.iter().map(|(k, v)| (*k, *v)).collect();
    entries.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    entries.truncate(k);
    entries
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grid_values_never_exceed_their_sensitivity() {
        for (value, clamp, step) in [(5.0, 3.0, 1.0), (2.6, 2.6, 1.0), (1e9, 3600e3, 1024.0), (-4.0, 10.0, 2.0)] {
            let g = to_grid(value, clamp, step);
            assert!(g >= 0 && g as u64 <= grid_sensitivity(clamp, step), "{value} {clamp} {step}: {g}");
        }
    }

    #[test]
    fn top_k_keeps_a_shoppers_longest_stays() {
        let map: BTreeMap<u32, u64> = [(1, 5), (2, 50), (3, 20), (4, 50)].into_iter().collect();
        assert_eq!(top_k(&map, 2), vec![(2, 50), (4, 50)]);
        assert_eq!(top_k(&map, 9).len(), 4);
    }
}
