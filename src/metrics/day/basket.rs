//! What a shopper looks at, picks and puts back, as the day folds it, and
//! what its basket holds until it pays or leaves it at a lane.

use super::{DayMetrics, DayProjection, Visit};

impl DayProjection<'_> {
    /// Counts a look at `product`.
    #[inline]
    pub(super) fn on_view(m: &mut DayMetrics, v: &mut Visit, product: u32) {
        m.views += 1;
        m.product_views[product as usize] += 1;
        v.viewed = true;
    }

    /// Counts `product` picked, planned or on impulse (from a shelf, or
    /// handed over at a service counter), into the basket.
    #[inline]
    pub(super) fn on_pick(
        m: &mut DayMetrics,
        v: &mut Visit,
        (product, planned): (u32, bool),
        (qty, cents): (u16, i64),
    ) {
        if planned {
            m.picks_planned += 1;
        } else {
            m.picks_unplanned += 1;
        }
        m.product_picks[product as usize] += 1;
        v.picked = true;
        v.basket_cents += cents;
        v.basket_unplanned += u64::from(!planned) * qty as u64;
        v.last_pick_unplanned = !planned;
    }

    /// Counts a put-back: what the pick before it added leaves the basket.
    #[inline]
    pub(super) fn on_put_back(m: &mut DayMetrics, v: &mut Visit, qty: u16, cents: i64) {
        v.basket_cents -= cents;
        if v.last_pick_unplanned {
            v.basket_unplanned = v.basket_unplanned.saturating_sub(qty as u64);
        }
        m.put_backs += 1;
    }
}
