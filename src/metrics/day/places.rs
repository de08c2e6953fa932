//! The day at service counters and at seating and fitting rooms: each
//! counter's line and service, each stop fixture's stops, folded from
//! their events and named as per-item figures (`catalogue::PER_ITEM`).

use super::{DayMetrics, Metric, days, ratio};
use crate::metrics::layout::Layout;

/// One seating or fitting-room fixture's day.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct StopDay {
    /// Stops made there, and their seconds summed.
    pub stops: u64,
    pub seconds: f64,
}

/// One service counter's day: who came to its line and how each visit ended.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct CounterDay {
    /// Shoppers who joined its line.
    pub joins: u64,
    /// Shoppers served, and the products handed over.
    pub served: u64,
    pub items: u64,
    /// Shoppers who gave up: balked at the line or ran out of patience in it.
    pub gave_up: u64,
    /// Shoppers still in its line or at it at the day's hard end, made to
    /// leave: they came, but did not give up.
    pub cut_off: u64,
    /// Their products, unbought, in cents.
    pub lost_cents: i64,
    /// Seconds in line before service or giving up, summed, and how many.
    pub line_wait_s: f64,
    pub line_waits: u64,
    /// Seconds of service, summed, and those past the counter's hours
    /// (a service begun before closing is finished after it).
    pub service_s: f64,
    pub overtime_s: f64,
}

/// A shopper at a counter: in its line since, served since.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct AtCounter {
    pub(super) joined_ms: Option<u64>,
    served_ms: Option<u64>,
}

fn seconds(from_ms: u64, to_ms: u64) -> f64 {
    (to_ms - from_ms) as f64 / 1000.0
}

impl CounterDay {
    pub(super) fn merge(&mut self, o: &CounterDay) {
        self.joins += o.joins;
        self.served += o.served;
        self.items += o.items;
        self.gave_up += o.gave_up;
        self.cut_off += o.cut_off;
        self.lost_cents += o.lost_cents;
        self.line_wait_s += o.line_wait_s;
        self.line_waits += o.line_waits;
        self.service_s += o.service_s;
        self.overtime_s += o.overtime_s;
    }

    /// `counter_join`.
    pub(super) fn join(&mut self, v: &mut AtCounter, t_ms: u64) {
        self.joins += 1;
        v.joined_ms = Some(t_ms);
    }

    /// `counter_serve`: the wait in line is over.
    pub(super) fn serve(&mut self, v: &mut AtCounter, t_ms: u64) {
        if let Some(joined) = v.joined_ms {
            self.line_wait_s += seconds(joined, t_ms);
            self.line_waits += 1;
            v.served_ms = Some(t_ms);
        }
    }

    /// `counter_done`: `qty` products handed over, at a counter whose
    /// hours end at `close_ms`.
    pub(super) fn done(&mut self, v: &mut AtCounter, t_ms: u64, qty: u16, close_ms: u64) {
        self.served += 1;
        self.items += qty as u64;
        if let Some(served) = v.served_ms {
            self.service_s += seconds(served, t_ms);
            self.overtime_s += seconds(served.max(close_ms).min(t_ms), t_ms);
        }
        *v = AtCounter::default();
    }

    /// `counter_leave`: gave up, leaving products worth `amount_cents`, or,
    /// at the day's hard end (`end_ms`), made to leave.
    pub(super) fn leave(&mut self, v: &mut AtCounter, t_ms: u64, amount_cents: i64, end_ms: u64) {
        if t_ms >= end_ms {
            self.cut_off += 1;
        } else {
            self.gave_up += 1;
        }
        self.lost_cents += amount_cents;
        // Reneged in line (a balk never joined): all of it was wait.
        if let Some(joined) = v.joined_ms {
            self.line_wait_s += seconds(joined, t_ms);
            self.line_waits += 1;
        }
        *v = AtCounter::default();
    }
}

impl StopDay {
    pub(super) fn merge(&mut self, o: &StopDay) {
        self.stops += o.stops;
        self.seconds += o.seconds;
    }

    /// A stop from `since_ms` ended at `t_ms`.
    pub(super) fn stopped(&mut self, since_ms: u64, t_ms: u64) {
        self.stops += 1;
        self.seconds += seconds(since_ms, t_ms);
    }
}

/// Per service counter, the figures a lane is judged by; per seating or
/// fitting room, its stops.
pub(super) fn scalars(m: &DayMetrics, layout: &Layout, out: &mut Vec<Metric>) {
    let days = days(m);
    for ((id, capacity_s), c) in layout.counters.iter().zip(&layout.counter_capacity_s).zip(&m.counters) {
        let arrivals = (c.served + c.gave_up + c.cut_off) as f64;
        let mut push = |kind: &str, unit: &'static str, value: f64| out.push(Metric::per_item(kind, id, unit, value));
        // Shoppers served per day.
        push("counter_served", "count", c.served as f64 / days);
        // Wait in line before service (or before giving up in it), mean.
        push("counter_wait", "s", ratio(c.line_wait_s, c.line_waits as f64));
        // Seconds of service per shopper served.
        push("counter_service", "s", ratio(c.service_s, c.served as f64));
        // Gave up (balked or reneged) ÷ all who came to the line.
        push("counter_gave_up", "ratio", ratio(c.gave_up as f64, arrivals));
        // What those who gave up or were cut off left unbought, per day: a
        // counter closed turns the same orders into lost sales.
        push("counter_lost", "currency", c.lost_cents as f64 / 100.0 / days);
        // Busy server-seconds ÷ server-seconds open, overtime counted as
        // open: a ratio of time at work, never above 1.
        push("counter_utilisation", "ratio", ratio(c.service_s, capacity_s * days + c.overtime_s));
    }
    for ((_, id), place) in layout.stop_fixtures.iter().zip(&m.stop_places) {
        // Stops made at the fixture per day, and how long one lasts.
        out.push(Metric::per_item("stops", id, "count", place.stops as f64 / days));
        out.push(Metric::per_item("stop_minutes", id, "min", ratio(place.seconds / 60.0, place.stops as f64)));
    }
}
