//! Noticing and impulse buying. Once per trace interval each shopper looks
//! ahead (`sim::perception`): a product in view is noticed (`view`) with
//! its shelf's notice probability, once per visit, and one not already
//! wanted is bought on impulse with probability `temptation`: taken at once
//! within reach, otherwise fetched by a detour (not from a line, nor on the
//! way to pay). A
//! companion's wish goes to its leader, who holds the basket.

use bevy_ecs::prelude::*;
use rand::RngExt;

use super::shopper::{Activity, Shopper, product_draws};
use super::{RunState, Setting, TickState, counter_of_desk, perception};
use crate::events::Action;

/// A basket of this many items halves the temptation of the next product:
/// the more a shopper already carries, the less it adds on a whim.
const SATIATION_ITEMS: f64 = 10.0;
/// No product tempts with certainty, however appealing and well placed.
const MAX_TEMPTATION: f64 = 0.9;
/// The persuasion of an ordinary shelf (`perception::placement_weights`),
/// for a product looked at closely at a browse stop.
pub(super) const NEUTRAL_PERSUASION: f64 = 1.0;

/// The chance that a product bought on a whim is taken: its `appeal` ×
/// its placement's `persuasion` × the segment's `impulse` propensity,
/// falling as the basket fills (halved at `SATIATION_ITEMS` items), at
/// most `MAX_TEMPTATION`.
pub(super) fn temptation(appeal: f64, persuasion: f64, impulse: f64, basket_items: usize) -> f64 {
    (appeal * persuasion * impulse / (1.0 + basket_items as f64 / SATIATION_ITEMS)).min(MAX_TEMPTATION)
}

/// How often a shopper looks ahead, ms: a trait of shoppers, not of the
/// log (it followed `run.trace_interval_s`, so a trace of an hour changed
/// what was bought).
const LOOK_INTERVAL_MS: u64 = 1000;

/// Once a second (the first tick at or past each whole second, whatever
/// the tick), each shopper looks ahead: a product in view is
/// noticed (`view`) with its shelf's notice probability, once per visit;
/// a noticed product not already wanted may be bought on impulse with
/// probability `temptation`. Within reach it is taken at once; otherwise
/// the shopper detours for it, unless in a line or on the way to pay. Both draws come from the
/// product's stretch of the shopper's notice stream (common random numbers
/// across layouts).
pub(super) fn perceive(tick: &mut TickState, asks: &mut Vec<Ask>) {
    let TickState { setting, shoppers, state } = tick;
    let RunState { clock, out, .. } = &mut **state;
    let mut shoppers = shoppers.p0();
    let tick_ms = setting.scenario.run.tick_ms;
    if clock.t_ms / LOOK_INTERVAL_MS == clock.t_ms.saturating_sub(tick_ms) / LOOK_INTERVAL_MS && clock.t_ms != 0 {
        return;
    }
    let (t, checkouts) = (clock.t_ms, setting.scenario.lanes.len());
    for mut s in &mut shoppers {
        if matches!(s.activity, Activity::Gone) || s.riding.is_some() {
            continue;
        }
        for shelf in look(setting, &mut s) {
            let product = shelf.product;
            s.considered.insert(product);
            let mut draws = product_draws(&s.notice_rng, product, 0);
            let (notice, buy) = (draws.random::<f64>(), draws.random::<f64>());
            if notice >= shelf.notice {
                continue;
            }
            out.emit(t, &s, Action::View { product });
            // Nothing is added after paying or giving up: the shopper is leaving.
            if s.has_in_mind(product) || matches!(s.activity, Activity::ToExit) {
                continue;
            }
            let seg = &setting.scenario.population.segments[s.segment];
            let appeal = setting.scenario.products[product as usize].appeal;
            if buy >= temptation(appeal, shelf.persuasion, seg.impulse, s.basket.len()) {
                continue;
            }
            // A companion asks the leader, who holds the basket.
            if let Some(leader) = s.leader {
                asks.push(Ask { leader, product, spot: shelf.spot });
                continue;
            }
            if s.pos.distance(shelf.spot) <= perception::REACH_M {
                s.grab(out, t, product, setting.scenario.products[product as usize].price_cents);
            } else if s.in_line() || to_pay(&s, checkouts) {
                // In line or on the way to pay, only what is within reach
                // is taken (one in line took chocolate off a gondola 2.3 m
                // away, round its end).
                continue;
            } else {
                s.want_on_impulse(product);
            }
        }
    }
    // A leader still shopping fetches what a companion asked for; one in
    // a checkout line takes it from the display by the line if it stands
    // within reach of it, as of what it takes on its own (the companion
    // may stand places behind, seeing another display).
    for Ask { leader, product, spot } in asks.drain(..) {
        let Ok(mut l) = shoppers.get_mut(leader) else { continue };
        let shopping = matches!(l.activity, Activity::Deciding | Activity::ToShelf { .. } | Activity::AtShelf { .. })
            || matches!(l.activity, Activity::ToLane { .. }) && !to_pay(&l, checkouts);
        if l.has_in_mind(product) {
            continue;
        }
        if l.in_line() {
            if l.pos.distance(spot) > perception::REACH_M {
                continue;
            }
            l.grab(out, t, product, setting.scenario.products[product as usize].price_cents);
        } else if shopping {
            l.want_on_impulse(product);
        }
    }
}

/// Whether `s` walks to a checkout lane's line, to pay and leave (the
/// desks are the `checkouts` lanes, then the service counters): one
/// walking to a counter mid-visit shops on after it, as one walking to a
/// shelf does. (Taken for one on its way to pay, a prescription
/// collector bought nothing on impulse in four days of the pharmacy.)
fn to_pay(s: &Shopper, checkouts: usize) -> bool {
    matches!(s.activity, Activity::ToLane { lane, .. } if counter_of_desk(lane, checkouts).is_none())
}

/// A companion's wish for `product`, seen on the shelf at `spot`, put to
/// its leader (who holds the basket).
pub(super) struct Ask {
    leader: Entity,
    product: u32,
    spot: crate::geom::Point,
}

/// The shopper looks ahead from where it stands, walking the way it came
/// since the last look: the shelves in view whose products it has not yet
/// considered this visit, one per product.
fn look(setting: &Setting, s: &mut Shopper) -> Vec<perception::Shelf> {
    // From the very spot of its last look nothing new is in view: every
    // product seen then is considered now (a standing shopper, most looks).
    if s.looked_in == Some(s.cell) && s.pos == s.looked_from {
        return Vec::new();
    }
    s.looked_in = Some(s.cell);
    let moved = (s.pos.x - s.looked_from.x, s.pos.y - s.looked_from.y);
    let len = moved.0.hypot(moved.1);
    if len > 1e-3 {
        s.heading = (moved.0 / len, moved.1 / len);
    }
    s.looked_from = s.pos;
    let mut seen = Vec::new();
    let considered = &s.considered;
    let fresh = |product: u32| !considered.contains(product);
    setting.tables.sight.visible(&setting.store, s.cell, s.pos, s.heading, fresh, |shelf| {
        if !seen.iter().any(|x: &perception::Shelf| x.product == shelf.product) {
            seen.push(*shelf);
        }
    });
    seen
}
