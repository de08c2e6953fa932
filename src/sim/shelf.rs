//! At a shelf. On arrival (`reach_shelf`, called by `walk`) the shopper
//! draws its dwell and, for a planned product, whether it is found in
//! time; when the dwell is over, `shelf` picks it (perhaps putting it
//! back), passes over a browsed product that does not tempt, or gives up
//! the search here: tried at the product's other places, `not_found` when
//! none is left.

use rand::RngExt;
use rand_distr::{Distribution, LogNormal};

use super::impulse::{NEUTRAL_PERSUASION, temptation};
use super::outbox::Outbox;
use super::shopper::{Activity, Intent, Route, Search, Shopper, product_draws};
use super::{Setting, perception, walk};
use crate::events::Action;
use crate::nav::FlowFieldCache;
use crate::scenario::DWELL_SIGMA;

/// Mean seconds to find a planned product at a shelf of findability 1
/// (eye level, ample facings); search times are exponential with mean
/// `SEARCH_MEAN_S / findability`, so a single facing on the floor shelf
/// takes about four times as long. A modelling choice: with 20 s of
/// patience, 9% of searches there fail and 0.2% on the grocery.
const SEARCH_MEAN_S: f64 = 2.0;
/// Where in a product's stretch of the shelf stream the search draws
/// begin: past the dwell, put-back and temptation draws.
const SEARCH_WORDS_FROM: u128 = 48;
/// Each place of a product has two words of search draws; places from
/// this one on share the last two.
const LAST_OWN_SEARCH_PLACE: u16 = 7;

/// A shopper walking to a shelf (`Activity::ToShelf`) has reached it: the
/// dwell is drawn (log-normal, capped at the segment's longest); a planned
/// product must also be found, else the shopper looks for the whole search
/// patience and gives up here. Logs `at_shelf`, then `view` unless the
/// product was noticed on the way (an impulse target) or not found.
pub(super) fn reach_shelf(setting: &Setting, out: &mut Outbox, t_ms: u64, s: &mut Shopper) {
    let Activity::ToShelf { product, placement, intent, back } = s.activity else {
        unreachable!("only one walking to a shelf reaches it")
    };
    if let Some(search) = back {
        // Back (or as near as the crowd lets it): its dwell is spent, it
        // takes the product now, once (not sent back again and again).
        s.activity = Activity::AtShelf { product, placement, until_ms: t_ms, intent, search };
        leave_shelf(setting, out, t_ms, s);
        return;
    }
    let seg = &setting.scenario.population.segments[s.segment];
    let mut dwell = LogNormal::new(seg.dwell_median_s.ln(), DWELL_SIGMA)
        .expect("validated")
        .sample(&mut s.shelf_draws(product))
        .min(seg.longest_dwell_s());
    // A planned product has to be found on the shelf; one not found in
    // time is given up after the search.
    let search = if intent == Intent::Planned {
        let pl = &setting.scenario.products[product as usize].placements[placement as usize];
        search(s, product, placement, perception::findability(pl.level, pl.facings), seg.search_patience_s)
    } else {
        Search::Found
    };
    out.emit(t_ms, s, Action::AtShelf { product });
    match search {
        Search::GivenUp => dwell = seg.search_patience_s,
        // An impulse target was viewed when it was noticed.
        Search::Found if intent != Intent::Impulse => out.emit(t_ms, s, Action::View { product }),
        Search::Found => {}
    }
    s.considered.insert(product);
    s.activity = Activity::AtShelf { product, placement, until_ms: t_ms + (dwell * 1000.0) as u64, intent, search };
}

/// The outcome of looking for `product` at its `placement`-th place, a
/// shelf of `findability`: given up if the exponential search time
/// exceeds the patience, drawn from the product's stretch of the shelf
/// stream (two words per place from `SEARCH_WORDS_FROM`).
fn search(s: &Shopper, product: u32, placement: u16, findability: f64, patience_s: f64) -> Search {
    let offset = SEARCH_WORDS_FROM + 2 * placement.min(LAST_OWN_SEARCH_PLACE) as u128;
    let mut rng = product_draws(&s.shelf_rng, product, offset);
    // P(search time > patience) = exp(−patience · findability / mean).
    if rng.random::<f64>() < (-patience_s * findability / SEARCH_MEAN_S).exp() {
        Search::GivenUp
    } else {
        Search::Found
    }
}

/// A shopper whose dwell at a shelf is over (`AtShelf`, until now) and
/// who stands out of reach of it, pushed off by walkers trading places
/// with it (in a crowd, metre after metre: picks were logged 6 m from
/// their shelf, in a doorway), walks back to take the product there.
/// Returns whether it does; else `leave_shelf` follows.
pub(super) fn back_to_shelf(setting: &Setting, nav: &mut FlowFieldCache, s: &mut Shopper) -> bool {
    let Activity::AtShelf { product, placement, intent, search, .. } = s.activity else {
        unreachable!("only one at a shelf walks back to it")
    };
    let store = &setting.store;
    let stand = store.stands[product as usize][placement as usize];
    // A search given up takes nothing: it need not be at the shelf to say so.
    if search == Search::GivenUp || walk::within_reach(store, s.floor, s.pos, stand.cell, stand.point) {
        return false;
    }
    let field = nav.get(store, stand.cell, s.ways);
    s.route = Some(Route::new(field, stand.cell, stand.point));
    s.activity = Activity::ToShelf { product, placement, intent, back: Some(search) };
    true
}

/// A shopper whose dwell at a shelf is over (`AtShelf`, until now): a
/// product not found here is looked for at its other places or given up
/// (`not_found`, a lost sale); a browsed one is bought only if it tempts;
/// the rest are picked (`pick`), and put back with the segment's
/// probability (`put_back`).
pub(super) fn leave_shelf(setting: &Setting, out: &mut Outbox, t: u64, s: &mut Shopper) {
    let Activity::AtShelf { product, placement, intent, search, .. } = s.activity else {
        unreachable!("only one at a shelf leaves it")
    };
    let price = setting.scenario.products[product as usize].price_cents;
    if search == Search::GivenUp {
        // Not here: the product's other places are tried before it is
        // given up for good (a lost sale).
        s.searched.push((product, placement));
        let places = setting.store.stands[product as usize].len() as u16;
        if (0..places).any(|p| !s.searched.contains(&(product, p))) {
            s.list.push(product);
        } else {
            out.emit(t, s, Action::NotFound { product, qty: 1, amount_cents: price });
        }
        s.activity = Activity::Deciding;
        return;
    }
    let seg = &setting.scenario.population.segments[s.segment];
    // This product's stretch: dwell (drawn on arrival), put-back, temptation.
    let mut draws = s.shelf_draws(product);
    let (_, put_back_draw, tempt) = (draws.random::<f64>(), draws.random::<f64>(), draws.random::<f64>());
    if intent == Intent::Browse {
        // Looked at closely: bought only if it tempts, as on impulse.
        let appeal = setting.scenario.products[product as usize].appeal;
        if tempt >= temptation(appeal, NEUTRAL_PERSUASION, seg.impulse, s.basket.len()) {
            s.activity = Activity::Deciding;
            return;
        }
    }
    let planned = intent == Intent::Planned;
    out.emit(t, s, Action::Pick { product, qty: 1, amount_cents: price, planned });
    if put_back_draw < seg.put_back {
        out.emit(t, s, Action::PutBack { product, qty: 1, amount_cents: price });
    } else {
        s.basket.push((product, price));
    }
    s.activity = Activity::Deciding;
}
