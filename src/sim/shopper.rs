//! The shopper: the one component of the simulation, what it is doing
//! (`Activity`), where it is going (`Route`), and the few things every
//! mechanism asks of it (its body in the crowd, its basket, its zone).

use bevy_ecs::prelude::*;
use rand_chacha::ChaCha8Rng;

use super::counter_of_desk;
use super::outbox::Outbox;
use super::stop::Stop;
use super::walk::STANDOFF_MS;
use super::{crowd, squeeze};
use crate::events::Action;
use crate::geom::Point;
use crate::nav::{FlowField, Step, next_step};
use crate::playback;
use crate::store::{CellId, Store, Ways};

#[derive(Component)]
pub(super) struct Shopper {
    pub(super) index: u32,
    /// The index of the party's leader (the shopper's own when leading).
    pub(super) party: u32,
    /// For a companion: the leader it shops with (who holds the basket).
    pub(super) leader: Option<Entity>,
    pub(super) segment: usize,
    pub(super) speed: f64,
    /// The connectors between floors it uses (its segment's).
    pub(super) ways: Ways,
    pub(super) patience_ms: u64,
    /// When it came in: it stands in its doorway that tick, walking from
    /// the next (its logged positions are where each tick leaves it, so a
    /// first step taken at once read as covering up to a tick's stride in
    /// no time after `enter`).
    pub(super) entered_ms: u64,
    pub(super) pos: Point,
    pub(super) floor: u8,
    pub(super) cell: CellId,
    pub(super) zone: Option<u16>,
    /// When the shopper last changed zone (see `update_zone`).
    pub(super) zone_since_ms: u64,
    /// Planned products not yet looked for.
    pub(super) list: Vec<u32>,
    /// Products noticed and wanted on impulse, not yet fetched.
    pub(super) impulse: Vec<u32>,
    /// Shelves to look at without meaning to buy (browsing).
    pub(super) browse: Vec<u32>,
    /// Stops still to make at seating or fitting rooms.
    pub(super) stops: Vec<Stop>,
    /// Products already noticed or passed over this visit.
    pub(super) considered: ProductSet,
    /// Places (product, placement) where a planned product was looked for
    /// in vain.
    pub(super) searched: Vec<(u32, u16)>,
    /// Walking direction (unit vector) and where the shopper was at the
    /// last look, and in which cell (none before the first look).
    pub(super) heading: (f64, f64),
    pub(super) looked_from: Point,
    pub(super) looked_in: Option<CellId>,
    pub(super) notice_rng: Box<ChaCha8Rng>,
    /// Products in the basket with their price in cents.
    pub(super) basket: Vec<(u32, i64)>,
    /// Products to be served at the service counter it is walking to or
    /// waiting at, with their price in cents (taken off the list).
    pub(super) order: Vec<(u32, i64)>,
    pub(super) shelf_rng: Box<ChaCha8Rng>,
    pub(super) checkout_rng: Box<ChaCha8Rng>,
    pub(super) activity: Activity,
    pub(super) route: Option<Route>,
    pub(super) riding: Option<Ride>,
    /// Since when someone has been in the way, if they are, and how far
    /// from its goal (flow-field units) the shopper was then: stepping
    /// aside and back is no way out, so only getting nearer than that ends
    /// the wait.
    pub(super) blocked_since_ms: Option<u64>,
    pub(super) blocked_at: u32,
    /// How near its goal the shopper has got on its way (`squeeze::squeezes_through`).
    pub(super) progress: squeeze::Progress,
    /// Where `walk` last filed the shopper, and the stride it has banked
    /// since it came in: each tick its speed's worth, less the distance it
    /// moved (by any phase), at most `crowd::stride_bank_m`. A trade
    /// or a nudge moves it only as far as that, so nobody is passed along
    /// faster than it walks.
    pub(super) filed_at: Point,
    pub(super) stride_credit_m: f64,
    /// The direction the shopper last wanted to step in (unit vector).
    pub(super) wish: (f64, f64),
    /// The lane whose line it gave up at (balked or reneged), if it did.
    pub(super) gave_up_at: Option<u16>,
    /// It moved to another line once (walking to the end of one, or
    /// standing in it): it stays in the line it moved to. (Switching again
    /// and again, one went from L1 to L3, 18 m off, and back within a
    /// minute, as each line emptied while it walked to the other.)
    pub(super) switched_line: bool,
    /// How many companions follow this leader (none for a companion): a
    /// party takes a place in line for each.
    pub(super) companions: u32,
    /// The place in its desk's line (`Tables::lines`) the shopper stands
    /// at or closes up to while in it (0 once called to a terminal): its
    /// companions stand at the places after it.
    pub(super) line_place: usize,
    /// The stand-by spot a companion holds while its leader is served
    /// (`stand_by::Spots`).
    pub(super) stand_by: Option<Point>,
}

/// Where a walking shopper is going: the flow field to its goal cell, and
/// the point in that cell it stops at.
#[derive(Clone)]
pub(super) struct Route {
    pub(super) field: FlowField,
    pub(super) goal: CellId,
    pub(super) point: Point,
    /// The last step the field gave, and from which cell: a walker takes a
    /// few ticks to cross a cell, and the field never changes.
    next: Option<(CellId, Step)>,
}

impl Route {
    pub(super) fn new(field: FlowField, goal: CellId, point: Point) -> Route {
        Route { field, goal, point, next: None }
    }

    /// The step from `cell` is towards neighbour `to` until the walker
    /// leaves `cell` (a way round one in the way).
    pub(super) fn hold(&mut self, cell: CellId, to: CellId) {
        self.next = Some((cell, Step::Walk(to)));
    }

    /// The step from `cell` along the field (`nav::next_step`) for one using `ways`.
    pub(super) fn next_step(&mut self, store: &Store, cell: CellId, ways: Ways) -> Step {
        match self.next {
            Some((from, step)) if from == cell => step,
            _ => {
                let step = next_step(store, &self.field, cell, ways);
                self.next = Some((cell, step));
                step
            }
        }
    }

    /// The same route: one field (shared, not compared cell by cell), goal and point.
    pub(super) fn is(&self, other: &Route) -> bool {
        std::sync::Arc::ptr_eq(&self.field, &other.field) && self.goal == other.goal && self.point == other.point
    }
}

/// On a connector between floors until `until_ms`, stepping off at `to`.
pub(super) struct Ride {
    pub(super) until_ms: u64,
    pub(super) to: CellId,
}

/// Why a shopper walks to a shelf.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Intent {
    /// On the shopping list.
    Planned,
    /// Noticed on the way and wanted.
    Impulse,
    /// Just to look; bought only if it tempts.
    Browse,
}

/// Whether a planned search ends before it is found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Search {
    Found,
    GivenUp,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Activity {
    Deciding,
    /// Walking to the `placement`-th place of `product`.
    ToShelf {
        product: u32,
        placement: u16,
        intent: Intent,
        /// Walking back to a shelf whose dwell is spent, pushed off it by
        /// walkers trading places: what the search found, taken on arrival.
        back: Option<Search>,
    },
    AtShelf {
        product: u32,
        placement: u16,
        until_ms: u64,
        intent: Intent,
        search: Search,
    },
    /// Walking to a desk's queue (a checkout lane, or a service counter:
    /// `lane` indexes `Setting::desks`) with this much expected work;
    /// `joined_ms` is set when switching from another lane's queue (the
    /// wait goes on).
    ToLane {
        lane: u16,
        work_s: f64,
        joined_ms: Option<u64>,
    },
    Queued {
        lane: u16,
        since_ms: u64,
    },
    /// Called to a till or terminal of `lane`: walking to it, then (from
    /// `serve`, `at_terminal`) being served there.
    Served {
        lane: u16,
        at_terminal: bool,
    },
    /// Walking to stop place `place` (`Store::stops`), to stay the
    /// fixture's median time times `factor`.
    ToStop {
        place: u16,
        factor: f64,
    },
    /// Stopping at place `place` of seating or a fitting room (`fixture`)
    /// until `until_ms`.
    AtStop {
        place: u16,
        fixture: u16,
        until_ms: u64,
    },
    ToExit,
    /// A companion shopping with its leader.
    Companion(Company),
    Gone,
}

impl Activity {
    /// The desk whose line one doing this is in (queued, being served, or
    /// switching lines).
    pub(super) fn queueing_at(&self) -> Option<u16> {
        match *self {
            Activity::Queued { lane, .. }
            | Activity::Served { lane, .. }
            | Activity::ToLane { lane, joined_ms: Some(_), .. } => Some(lane),
            _ => None,
        }
    }
}

/// What a companion is doing with its leader.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Company {
    /// Walking after the leader, the leader's way.
    Following,
    /// Walking up to the leader, who stands still.
    Joining,
    /// Close behind the leader, or gathered round it with its party:
    /// standing by.
    Beside,
    /// Standing in the checkout line with the leader.
    InLine,
    /// Stopping with a leader at seating or a fitting room, off the walkway.
    Stopping,
}

/// Words of a shopper's shelf and notice streams that each product owns:
/// the draws about a product come from its own stretch, so the same
/// shopper makes the same choices about it whatever order a layout makes
/// them visit in (common random numbers across layouts).
pub(super) const WORDS_PER_PRODUCT: u128 = 64;

/// A copy of `rng` set `offset` words into `product`'s stretch.
pub(super) fn product_draws(rng: &ChaCha8Rng, product: u32, offset: u128) -> ChaCha8Rng {
    let mut rng = rng.clone();
    rng.set_word_pos(product as u128 * WORDS_PER_PRODUCT + offset);
    rng
}

impl Shopper {
    /// What the shopper is doing, as a viewer shows it (the state its own
    /// events give in `playback`) in a store of `lanes` checkout lanes.
    pub(super) fn seen_activity(&self, lanes: usize) -> playback::Activity {
        if let Some(counter) = self.queueing_at().and_then(|desk| counter_of_desk(desk, lanes)) {
            return match self.activity {
                Activity::Served { at_terminal: true, .. } => playback::Activity::CounterServed { counter },
                _ => playback::Activity::CounterLine { counter },
            };
        }
        match self.activity {
            Activity::AtShelf { product, .. } => playback::Activity::AtShelf { product },
            Activity::AtStop { fixture, .. } => playback::Activity::AtStop { fixture },
            Activity::Queued { lane, .. } => playback::Activity::Queuing { lane },
            Activity::Served { lane, at_terminal: true } => playback::Activity::Served { lane },
            // Walking up to the till: still in line, as its events say.
            Activity::Served { lane, at_terminal: false } => playback::Activity::Queuing { lane },
            // On the way out having paid (the basket is kept) or given up;
            // leaving with nothing bought is still walking about.
            Activity::ToExit => match self.gave_up_at {
                Some(lane) => playback::Activity::Abandoned { lane },
                None if !self.basket.is_empty() => playback::Activity::Leaving,
                None => playback::Activity::Shopping,
            },
            _ => playback::Activity::Shopping,
        }
    }

    /// The list of products wanted with `intent`.
    pub(super) fn wanted_mut(&mut self, intent: Intent) -> &mut Vec<u32> {
        match intent {
            Intent::Planned => &mut self.list,
            Intent::Impulse => &mut self.impulse,
            Intent::Browse => &mut self.browse,
        }
    }

    /// Draws for this shopper at `product`'s shelf: the start of the
    /// product's stretch of the shelf stream (dwell, put-back, temptation).
    pub(super) fn shelf_draws(&self, product: u32) -> ChaCha8Rng {
        product_draws(&self.shelf_rng, product, 0)
    }

    /// On the way somewhere (to a shelf, a lane or the exit).
    pub(super) fn is_walking(&self) -> bool {
        matches!(
            self.activity,
            Activity::ToShelf { .. }
                | Activity::ToLane { .. }
                | Activity::ToStop { .. }
                | Activity::ToExit
                | Activity::Companion(Company::Following | Company::Joining)
        )
    }

    /// The shopper's body as the crowd sees it at `t_ms`.
    pub(super) fn body(&self, t_ms: u64) -> crowd::Body {
        let (wish, goal) =
            if self.is_walking() { (self.wish, self.route.as_ref().map(|r| r.goal)) } else { ((0.0, 0.0), None) };
        let gives_way = matches!(self.activity, Activity::Companion(Company::Beside));
        let stalled = self.blocked_for(t_ms, STANDOFF_MS);
        let slack_m = self.stride_credit_m;
        crowd::Body { shopper: self.index, party: self.party, at: self.pos, wish, goal, gives_way, stalled, slack_m }
    }

    /// The places in line the shopper's party takes: its own and one per
    /// companion.
    pub(super) fn places_in_line(&self) -> usize {
        1 + self.companions as usize
    }

    /// Whether someone has been in the shopper's way for at least `ms`.
    pub(super) fn blocked_for(&self, t_ms: u64, ms: u64) -> bool {
        self.blocked_since_ms.is_some_and(|since| t_ms - since >= ms)
    }

    /// How the shopper's body takes up floor; `None` off the floor (riding, gone).
    pub(super) fn solidity(&self) -> Option<crowd::Solidity> {
        match self.activity {
            Activity::Gone => None,
            _ if self.riding.is_some() => None,
            _ if self.queueing_at().is_some() || matches!(self.activity, Activity::Companion(Company::InLine)) => {
                Some(crowd::Solidity::OffWalkway)
            }
            // Seated, or inside a fitting room (or with one who is): off the walkway.
            Activity::AtStop { .. } | Activity::Companion(Company::Stopping) => Some(crowd::Solidity::OffWalkway),
            _ => Some(crowd::Solidity::Solid),
        }
    }

    /// The desk whose line the shopper is in (queued, being served, or
    /// switching lines).
    pub(super) fn queueing_at(&self) -> Option<u16> {
        self.activity.queueing_at()
    }

    /// Wants `product` on impulse: it goes on the impulse list, and one on
    /// the way to a shelf puts that target back and plans again (a detour);
    /// one at a shelf fetches it next.
    pub(super) fn want_on_impulse(&mut self, product: u32) {
        // (One walking back to a shelf whose dwell is spent goes on: the
        // impulse waits its turn.)
        if let Activity::ToShelf { product: p, intent, back: None, .. } = self.activity {
            self.wanted_mut(intent).push(p);
            self.route = None;
            self.activity = Activity::Deciding;
        }
        self.impulse.push(product);
    }

    /// Waiting in a line or at its desk.
    pub(super) fn in_line(&self) -> bool {
        matches!(self.activity, Activity::Queued { .. } | Activity::Served { .. })
    }

    /// Takes `product` on impulse straight into the basket.
    pub(super) fn grab(&mut self, out: &mut Outbox, t_ms: u64, product: u32, price_cents: i64) {
        out.emit(t_ms, self, Action::Pick { product, qty: 1, amount_cents: price_cents, planned: false });
        self.basket.push((product, price_cents));
    }

    /// Whether `product` is already wanted, being fetched or in the basket.
    pub(super) fn has_in_mind(&self, product: u32) -> bool {
        self.list.contains(&product)
            || self.impulse.contains(&product)
            || self.basket.iter().any(|(p, _)| *p == product)
            || matches!(self.activity, Activity::ToShelf { product: p, .. } | Activity::AtShelf { product: p, .. } if p == product)
    }

    /// Products ordered at a counter and what they cost, in cents.
    pub(super) fn order_total(&self) -> (u16, i64) {
        (self.order.len() as u16, self.order.iter().map(|(_, c)| c).sum())
    }

    /// Items in the basket and what they cost, in cents.
    pub(super) fn basket_total(&self) -> (u16, i64) {
        (self.basket.len() as u16, self.basket.iter().map(|(_, c)| c).sum())
    }
}

/// A shopper stays in a zone at least this long before it is logged
/// entering another: a body shuffling on a zone boundary would otherwise
/// enter and leave every tick. The zone catches up at the next position
/// sample at the latest (see `outbox::trace`).
const ZONE_MIN_DWELL_MS: u64 = 1_000;

/// Emits zone exit/enter events if the shopper's cell is in another zone
/// and it has been in its zone for `ZONE_MIN_DWELL_MS`.
pub(super) fn update_zone(store: &Store, out: &mut Outbox, t_ms: u64, s: &mut Shopper) {
    let zone = store.zone(s.cell);
    if zone != s.zone && t_ms >= s.zone_since_ms + ZONE_MIN_DWELL_MS {
        s.zone_since_ms = t_ms;
        if s.zone.is_some() {
            out.emit(t_ms, s, Action::ZoneExit);
        }
        s.zone = zone;
        if zone.is_some() {
            out.emit(t_ms, s, Action::ZoneEnter);
        }
    }
}

/// A set of product indices, one bit each: the look ahead asks it of every
/// shelf in view, several times a second across the crowd.
#[derive(Debug, Clone, Default)]
pub(super) struct ProductSet(Vec<u64>);

impl ProductSet {
    pub(super) fn contains(&self, product: u32) -> bool {
        self.0.get(product as usize / 64).is_some_and(|w| w & (1 << (product % 64)) != 0)
    }

    pub(super) fn insert(&mut self, product: u32) {
        let word = product as usize / 64;
        if self.0.len() <= word {
            self.0.resize(word + 1, 0);
        }
        self.0[word] |= 1 << (product % 64);
    }
}
