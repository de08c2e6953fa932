//! What each shopper contributes to a release, and the bounds that make
//! sensitivities known: each shopper reaches at most `k` heat blocks and
//! `k` zones (their own largest, chosen without looking at anyone else),
//! and every value is clamped and rounded to a grid of 2^j natural units
//! before it is summed. Sensitivities follow from these bounds alone.
//! A party counts with at most `max_party` members (its leader and the
//! companions who came in first), so a whole party is a group of known
//! size whatever the arrival plan drew.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::events::{Action, SimEvent};
use crate::metrics::{Layout, Projection};

/// One shopper's visit, as far as releases need it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Visit {
    /// Shopping alone or leading a party (a companion does not).
    pub leads: bool,
    /// Members of its party who came in before it: 0 for one alone or
    /// leading, k for the k-th companion (companions come in right behind
    /// their leader, in order).
    pub behind_leader: u32,
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
    /// Block, floor and position, and time of the last event.
    at: (u32, (u8, f32, f32), u64),
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
            let visit =
                Visit { leads: party == e.shopper, behind_leader: e.shopper.saturating_sub(party), ..Visit::default() };
            self.open.insert(
                e.shopper,
                Open {
                    visit,
                    enter_ms: e.t_ms,
                    at: (block, (e.floor, e.x, e.y), e.t_ms),
                    zone_since: None,
                    queue_since: None,
                },
            );
            return;
        }
        let Some(o) = self.open.get_mut(&e.shopper) else { return };
        *o.visit.block_ms.entry(o.at.0).or_default() += self.layout.floor_ms(o.at.1, o.at.2, e);
        o.at = (block, (e.floor, e.x, e.y), e.t_ms);
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
                match e.action {
                    Action::Checkout { .. } => {
                        o.visit.paid = true;
                        o.visit.revenue_cents += amount_cents;
                        o.visit.items += qty as u64;
                    }
                    // Made to leave at the hard end: no choice of the shopper's.
                    _ if self.layout.is_hard_end(e.t_ms) => {}
                    _ => o.visit.abandoned = true,
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
    /// Members a party counts with: its leader and the first companions to
    /// come in (the rest are left out of every figure). Releases made
    /// before this bound had none.
    #[serde(default = "Bounds::no_party_cap")]
    pub max_party: usize,
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
            // Four: a couple with two children. The grocery's parties
            // (1 + Poisson(1.2) people) are larger 3.4% of the time.
            max_party: 4,
        }
    }
}

impl Bounds {
    /// These bounds with `max_zones` and `max_blocks` no larger than the
    /// layout's `zones` and heat `blocks` (at least one each): a shopper
    /// counts in at most every zone and block there is, so a larger `k`
    /// only adds noise (the layout is public: the sensitivity still bounds
    /// one shopper). With what was lowered, said.
    pub fn within(self, zones: usize, blocks: usize) -> (Bounds, Vec<String>) {
        let capped = Bounds {
            max_zones: self.max_zones.min(zones.max(1)),
            max_blocks: self.max_blocks.min(blocks.max(1)),
            ..self
        };
        let mut said = Vec::new();
        if capped.max_zones < self.max_zones {
            // A bound of none would divide by zero in the sensitivities: 1 is the least.
            let has = if zones == 0 {
                "no zones; 1 is the least a bound takes".to_owned()
            } else {
                format!("{zones} zone(s)")
            };
            said.push(format!("zones {} → {} (the store has {has})", self.max_zones, capped.max_zones));
        }
        if capped.max_blocks < self.max_blocks {
            said.push(format!(
                "blocks {} → {} (the store has {blocks} heat block(s))",
                self.max_blocks, capped.max_blocks
            ));
        }
        (capped, said)
    }

    /// No clamp and no cap: the exact totals bounded answers are set against.
    pub fn unbounded() -> Self {
        Bounds {
            max_blocks: usize::MAX,
            block_clamp_s: UNBOUNDED,
            max_zones: usize::MAX,
            zone_clamp_s: UNBOUNDED,
            basket_clamp: UNBOUNDED,
            items_clamp: u64::MAX,
            time_clamp_s: UNBOUNDED,
            wait_clamp_s: UNBOUNDED,
            max_party: usize::MAX,
        }
    }

    fn no_party_cap() -> usize {
        usize::MAX
    }

    /// Whether `visit` counts: it is among the first `max_party` of its party.
    pub fn counts(&self, visit: &Visit) -> bool {
        (visit.behind_leader as usize) < self.max_party
    }

    /// These bounds with `bound` set to `value` (checked by `parse_clamp`).
    pub fn with(mut self, bound: Bound, value: f64) -> Self {
        match bound {
            Bound::Basket => self.basket_clamp = value,
            Bound::Items => self.items_clamp = value as u64,
            Bound::Visit => self.time_clamp_s = value,
            Bound::Wait => self.wait_clamp_s = value,
            Bound::Zone => self.zone_clamp_s = value,
            Bound::Block => self.block_clamp_s = value,
            Bound::Zones => self.max_zones = value as usize,
            Bound::Blocks => self.max_blocks = value as usize,
            Bound::Party => self.max_party = value as usize,
        }
        self
    }

    /// The value of `bound`, in its natural unit.
    pub fn get(&self, bound: Bound) -> f64 {
        match bound {
            Bound::Basket => self.basket_clamp,
            Bound::Items => self.items_clamp as f64,
            Bound::Visit => self.time_clamp_s,
            Bound::Wait => self.wait_clamp_s,
            Bound::Zone => self.zone_clamp_s,
            Bound::Block => self.block_clamp_s,
            Bound::Zones => self.max_zones as f64,
            Bound::Blocks => self.max_blocks as f64,
            Bound::Party => self.max_party as f64,
        }
    }
}

/// Who of a party counts under a cap of `max_party` members, in words:
/// "at most 4 members, its leader and the first 3 companions to come in".
pub fn party_rule(max_party: usize) -> String {
    match max_party {
        1 => "one member, its leader".to_owned(),
        2 => "at most 2 members, its leader and the first companion to come in".to_owned(),
        m => format!("at most {m} members, its leader and the first {} companions to come in", m - 1),
    }
}

/// A clamp larger than any value a day can hold (seconds or currency).
const UNBOUNDED: f64 = 1e15;

/// A bound on one shopper's contribution that `aisle publish --clamp
/// NAME=VALUE` sets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bound {
    Basket,
    Items,
    Visit,
    Wait,
    Zone,
    Block,
    Zones,
    Blocks,
    Party,
}

impl Bound {
    pub const ALL: [Bound; 9] = [
        Bound::Basket,
        Bound::Items,
        Bound::Visit,
        Bound::Wait,
        Bound::Zone,
        Bound::Block,
        Bound::Zones,
        Bound::Blocks,
        Bound::Party,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Bound::Basket => "basket",
            Bound::Items => "items",
            Bound::Visit => "visit",
            Bound::Wait => "wait",
            Bound::Zone => "zone",
            Bound::Block => "block",
            Bound::Zones => "zones",
            Bound::Blocks => "blocks",
            Bound::Party => "party",
        }
    }

    /// What the bound caps, in words with its unit.
    pub fn describe(self) -> &'static str {
        match self {
            Bound::Basket => "a shopper's basket, currency units",
            Bound::Items => "items a shopper buys",
            Bound::Visit => "a visit's length, seconds",
            Bound::Wait => "a shopper's wait in line, seconds",
            Bound::Zone => "a shopper's stay in one zone, seconds",
            Bound::Block => "a shopper's stay in one heat block, seconds",
            Bound::Zones => "how many zones a shopper counts in, their longest stays",
            Bound::Blocks => "how many heat blocks a shopper counts in, their longest stays",
            Bound::Party => "how many members of a party count, its leader and the first companions to come in",
        }
    }

    /// Counts are whole numbers.
    fn is_count(self) -> bool {
        matches!(self, Bound::Items | Bound::Zones | Bound::Blocks | Bound::Party)
    }

    /// The largest value accepted: beyond it one shopper's sensitivity
    /// drowns every figure in noise (a day, a million currency units).
    fn most(self) -> f64 {
        match self {
            Bound::Basket => 1e6,
            Bound::Items => 100_000.0,
            Bound::Visit | Bound::Wait | Bound::Zone | Bound::Block => 86_400.0,
            Bound::Zones => 1_000.0,
            Bound::Blocks => 10_000.0,
            Bound::Party => 1_000.0,
        }
    }
}

/// Parses `NAME=VALUE` of `--clamp`.
pub fn parse_clamp(text: &str) -> Result<(Bound, f64), String> {
    let names = || Bound::ALL.map(|b| format!("{} ({})", b.name(), b.describe())).join(", ");
    let Some((name, value)) = text.split_once('=') else {
        return Err(format!("`{text}` is not NAME=VALUE; NAME is one of {}", names()));
    };
    let Some(bound) = Bound::ALL.into_iter().find(|b| b.name() == name.trim()) else {
        return Err(format!("no bound is called `{}`; use one of {}", name.trim(), names()));
    };
    let value: f64 = value.trim().parse().map_err(|_| format!("{name}: `{}` is not a number", value.trim()))?;
    let whole = !bound.is_count() || value.fract() == 0.0;
    if !(value > 0.0 && value <= bound.most() && whole) {
        let kind = if bound.is_count() { "a whole number" } else { "a number" };
        let shown = if value.abs() >= 1e7 { format!("{value:e}") } else { value.to_string() };
        return Err(format!(
            "{name} = {shown}: must be {kind} more than 0 and at most {} ({})",
            bound.most(),
            bound.describe()
        ));
    }
    // Baskets are summed in whole cents: a clamp under half a cent rounds
    // to none, and a sum that no shopper can move needs no noise at all.
    if bound == Bound::Basket && value < 0.01 {
        return Err(format!("{name} = {value}: must be at least 0.01 (baskets are summed in whole cents)"));
    }
    Ok((bound, value))
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
    fn a_visit_knows_how_many_of_its_party_came_in_before_it() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/tiny.toml");
        let p = crate::prepare(&crate::scenario::ScenarioFile::read(&path).unwrap(), "baseline").unwrap();
        let layout = Layout::new(&p);
        let event = |t_ms: u64, shopper: u32, action: Action| SimEvent {
            seq: t_ms,
            t_ms,
            shopper,
            x: 1.0,
            y: 1.0,
            floor: 0,
            zone: None,
            action,
        };
        let mut visits = VisitProjection::new(&layout);
        // A leader (7) with two companions, then one alone (3).
        for (i, (shopper, party)) in [(7, 7), (8, 7), (9, 7), (3, 3)].into_iter().enumerate() {
            visits.observe(&event(i as u64, shopper, Action::Enter { party }));
        }
        for (i, shopper) in [9, 3, 7, 8].into_iter().enumerate() {
            visits.observe(&event(100 + i as u64, shopper, Action::Exit));
        }
        let seen: Vec<(bool, u32)> = visits.finish().iter().map(|v| (v.leads, v.behind_leader)).collect();
        assert_eq!(seen, vec![(false, 2), (true, 0), (true, 0), (false, 1)]);
        assert!(!Bounds { max_party: 2, ..Bounds::default() }.counts(&Visit { behind_leader: 2, ..Visit::default() }));
        assert_eq!(parse_clamp("party=2"), Ok((Bound::Party, 2.0)));
        assert!(parse_clamp("party=1.5").unwrap_err().contains("must be a whole number"));
    }

    #[test]
    fn top_k_keeps_a_shoppers_longest_stays() {
        let map: BTreeMap<u32, u64> = [(1, 5), (2, 50), (3, 20), (4, 50)].into_iter().collect();
        assert_eq!(top_k(&map, 2), vec![(2, 50), (4, 50)]);
        assert_eq!(top_k(&map, 9).len(), 4);
    }
}
