//! Service counters. A shopper whose list holds products a counter sells
//! may walk to its line mid-visit (`head_for_counter`, chosen by
//! `decide` like any shelf, by walking distance); it waits and is served
//! as at a checkout lane (the line, its servers and the service times are
//! `queue`'s and `checkout`'s), then takes the products (`served`) or,
//! balking at the line, out of patience in it or finding the counter
//! closed on arrival, goes without them (`give_up`). Either way it shops
//! on.

use super::Setting;
use super::checkout::head_for_lane;
use super::outbox::Outbox;
use super::queue::Lanes;
use super::shopper::{Activity, Shopper};
use crate::events::Action;
use crate::nav::FlowFieldCache;

/// Sends `s` to the end of `counter`'s line with every product on its
/// list that the counter sells (one service for all of them).
pub(super) fn head_for_counter(
    setting: &Setting,
    nav: &mut FlowFieldCache,
    lanes: &mut Lanes,
    s: &mut Shopper,
    counter: u16,
) {
    let sold_here = |p: &u32| setting.counter_of_product[*p as usize] == Some(counter);
    let order = s.list.iter().copied().filter(sold_here);
    s.order = order.map(|p| (p, setting.scenario.products[p as usize].price_cents)).collect();
    s.list.retain(|p| !sold_here(p));
    head_for_lane(setting, nav, lanes, s, setting.counter_desk(counter) as usize, None);
}

/// Service at `counter` is over: the products ordered are handed over
/// (`counter_done`, then a planned `pick` of each, into the basket, paid
/// at the checkout) and the shopper shops on.
pub(super) fn served(out: &mut Outbox, t_ms: u64, s: &mut Shopper, counter: u16) {
    let (qty, amount_cents) = s.order_total();
    out.emit(t_ms, s, Action::CounterDone { counter, qty, amount_cents });
    for (product, price) in std::mem::take(&mut s.order) {
        out.emit(t_ms, s, Action::Pick { product, qty: 1, amount_cents: price, planned: true });
        s.basket.push((product, price));
    }
    s.route = None;
    s.activity = Activity::Deciding;
}

/// The shopper gives up at `counter` (`counter_leave`): the products
/// ordered are not bought, and it shops on.
pub(super) fn give_up(out: &mut Outbox, t_ms: u64, s: &mut Shopper, counter: u16) {
    let (qty, amount_cents) = s.order_total();
    out.emit(t_ms, s, Action::CounterLeave { counter, qty, amount_cents });
    s.order.clear();
    s.route = None;
    s.activity = Activity::Deciding;
}
