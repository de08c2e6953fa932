//! A shopper's way through a checkout line, as the day folds it: the
//! wait to service, the service, and leaving by paying or giving up.

use super::{DayMetrics, DayProjection, Visit};
use crate::events::{Action, SimEvent};

impl DayProjection<'_> {
    /// Ends the wait in line of a shopper whose service begins.
    #[inline]
    pub(super) fn on_serve(m: &mut DayMetrics, v: &mut Visit, e: &SimEvent) {
        if let Some(joined) = v.queue_join_ms {
            m.line_wait_s.push((e.t_ms - joined) as f64 / 1000.0);
            v.serve_ms = Some(e.t_ms);
        }
    }

    /// Counts a shopper leaving the line by paying (`checkout`) or giving up (`abandon`), with its waits.
    #[inline]
    pub(super) fn on_leave_line(m: &mut DayMetrics, v: &mut Visit, e: &SimEvent, qty: u16, amount_cents: i64) {
        // Paid for, or left at the lane.
        v.basket_cents = 0;
        let unplanned = std::mem::take(&mut v.basket_unplanned);
        if v.queue_join_ms.is_none() && matches!(e.action, Action::Abandon { .. }) {
            m.balks += 1;
        }
        Self::end_wait(m, v, e);
        if let Action::Checkout { .. } = e.action {
            m.transactions += 1;
            m.revenue_cents += amount_cents;
            m.items_sold += qty as u64;
            m.items_sold_unplanned += unplanned;
        } else {
            m.abandons += 1;
            m.lost_cents += amount_cents;
        }
    }

    /// Ends a shopper's wait in line, if it joined one: its queue wait,
    /// and its service or (given up unserved) its wait in line.
    #[inline]
    pub(super) fn end_wait(m: &mut DayMetrics, v: &mut Visit, e: &SimEvent) {
        if let Some(joined) = v.queue_join_ms.take() {
            let wait = (e.t_ms - joined) as f64 / 1000.0;
            m.queue_wait_s.push(wait);
            let h = ((joined / 3_600_000) as usize).min(m.hourly_waits.len() - 1);
            m.hourly_wait_s[h] += wait;
            m.hourly_waits[h] += 1;
            match (v.serve_ms.take(), e.action) {
                (Some(served), _) => {
                    m.service_s += (e.t_ms - served) as f64 / 1000.0;
                    m.services += 1;
                }
                // Gave up waiting: all of it was wait.
                (None, Action::Abandon { .. }) => m.line_wait_s.push(wait),
                (None, _) => m.unserved_checkouts += 1,
            }
        }
    }
}
