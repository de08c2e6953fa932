//! Riding the stairs, escalators and lifts: boarding from the landing (or
//! from beside it, kept off it), off the floor until the ride is over, and
//! stepping off onto the landing or the free floor nearest it.

use super::crowd;
use super::outbox::Outbox;
use super::shopper::{Ride, Shopper, update_zone};
use crate::events::Action;
use crate::nav::{Step, next_step};
use crate::store::{CellId, Store};

/// How far from a connector's landing one arriving may step off, in cells.
const LANDING_REACH_CELLS: usize = 6;

/// A rider gets off once the ride is over, onto the landing or the free
/// floor nearest it: a crowd waiting to board round the landing must not
/// keep those arriving from stepping off. Returns whether the shopper is
/// on the floor (it may walk on this tick).
pub(super) fn step_off(
    store: &Store,
    crowd: &mut crowd::Crowding,
    out: &mut Outbox,
    t_ms: u64,
    s: &mut Shopper,
) -> bool {
    let Some(ride) = &s.riding else { return true };
    if t_ms < ride.until_ms {
        return false;
    }
    let Some(to) = landing(store, crowd, ride.to) else { return false };
    let (floor, centre) = store.centre(to);
    s.floor = floor;
    s.pos = centre;
    // Its stride is banked from where it stepped off: a trade on its way
    // from the landing is paid from that bank, not from the distance to
    // where it boarded on the other floor.
    s.filed_at = centre;
    s.cell = to;
    s.riding = None;
    crowd.add(to, s.body(t_ms));
    update_zone(store, out, t_ms, s);
    true
}

/// Boards connector `i` from the shopper's cell: off the floor, and with it
/// out of its zone, until the ride is over.
pub(super) fn board(
    store: &Store,
    crowd: &mut crowd::Crowding,
    out: &mut Outbox,
    t_ms: u64,
    s: &mut Shopper,
    i: usize,
) {
    let link = store.connectors[i];
    let to = if link.from == s.cell { link.to } else { link.from };
    crowd.remove(s.index, s.cell);
    if s.zone.is_some() {
        out.emit(t_ms, s, Action::ZoneExit);
        s.zone = None;
        s.zone_since_ms = t_ms;
    }
    s.riding = Some(Ride { until_ms: t_ms + link.traversal_ms, to });
}

/// A walker kept off the landing of the stairs, lift or escalator it rides
/// next, within a body's width of it, boards from where it stands: the
/// landing is one cell, and two waiting beside it (companions of one party,
/// each a body's width from it) kept each other off it for ever. The
/// landing is looked for along the walker's way, however many cells lie
/// within that width (on a 0.05 m grid only the next cell was looked at:
/// a companion kept three cells off it stood by the stairs a minute while
/// its party shopped upstairs). Returns the landing and the connector.
pub(super) fn boarding_from_beside(store: &Store, s: &Shopper) -> Option<(CellId, usize)> {
    if store.connectors.is_empty() {
        return None;
    }
    let route = s.route.as_ref()?;
    let reach = 2.0 * crowd::BODY_RADIUS_M;
    let mut cell = s.cell;
    // Each step leaves at least a cell behind: past this many, the way is
    // out of reach.
    for _ in 0..=(reach / store.cell).ceil() as usize {
        match next_step(store, &route.field, cell, s.ways) {
            Step::Walk(n) if s.pos.distance(store.centre(n).1) <= reach + store.cell * std::f64::consts::SQRT_2 => {
                cell = n
            }
            Step::Ride(i) if cell != s.cell && s.pos.distance(store.centre(cell).1) <= reach => return Some((cell, i)),
            _ => return None,
        }
    }
    None
}

/// The free cell nearest `landing` (itself first) by steps across walkable
/// floor, up to `LANDING_REACH_CELLS` away.
fn landing(store: &Store, crowd: &crowd::Crowding, landing: CellId) -> Option<CellId> {
    let mut ring = vec![landing];
    let mut seen = vec![landing];
    for _ in 0..=LANDING_REACH_CELLS {
        if let Some(&free) = ring.iter().find(|&&c| crowd.is_free(c, store.centre(c).1)) {
            return Some(free);
        }
        let mut next = Vec::new();
        for &c in &ring {
            store.for_each_step(c, |n, _| {
                if !seen.contains(&n) {
                    seen.push(n);
                    next.push(n);
                }
            });
        }
        ring = next;
    }
    None
}
