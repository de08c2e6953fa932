//! The metric catalogue: every named figure of a day (or of merged days)
//! defined once, with its unit, the direction a retailer wants it to move,
//! what it means, and its formula. Figures that are ratios of sums are
//! written over `Totals`, which a private release can give too (noised
//! sums), so the exact and the private figure share one formula; the rest
//! need a day's distributions (`DayMetrics`).

use super::day::{DayMetrics, ratio};

/// Which direction of a metric a retailer wants.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Better {
    Higher,
    Lower,
    /// Good or bad depending on the store's aims (time in store).
    Neither,
}

/// The sums the ratio figures are derived from.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Totals {
    pub days: f64,
    pub visitors: f64,
    /// Shopping parties: shoppers alone or leading companions.
    pub parties: f64,
    pub transactions: f64,
    pub revenue_cents: f64,
    pub items_sold: f64,
    /// Seconds in store, summed over the `stays` that ended.
    pub time_in_store_s: f64,
    pub stays: f64,
    /// Seconds from joining a checkout line to paying or giving up, summed
    /// over the `waits` that ended.
    pub queue_wait_s: f64,
    pub waits: f64,
    pub abandons: f64,
}

/// How a figure is computed.
#[derive(Clone, Copy)]
pub enum Formula {
    /// From sums alone: the same for a day's fold and a private release.
    Totals(fn(&Totals) -> f64),
    /// From a day's distributions and counts.
    Day(fn(&DayMetrics) -> f64),
}

/// One named figure.
#[derive(Clone, Copy)]
pub struct MetricDef {
    pub name: &'static str,
    pub unit: &'static str,
    pub better: Better,
    /// What it is, in a line.
    pub meaning: &'static str,
    pub formula: Formula,
}

const fn def(
    name: &'static str,
    unit: &'static str,
    better: Better,
    meaning: &'static str,
    formula: Formula,
) -> MetricDef {
    MetricDef { name, unit, better, meaning, formula }
}

use Better::{Higher, Lower, Neither};
use Formula::{Day, Totals as Sums};

/// Every scalar figure, in the order runs record them. Totals are per day
/// (divided by the days merged); rates and means are over all shoppers.
pub const CATALOGUE: [MetricDef; 32] = [
    def("traffic", "visitors", Neither, "shoppers who entered, per day", Sums(|t| t.visitors / t.days)),
    def(
        "parties",
        "count",
        Neither,
        "shopping parties per day (a family pays once, so conversion counts parties)",
        Sums(|t| t.parties / t.days),
    ),
    def("conversion_rate", "ratio", Higher, "transactions ÷ parties", Sums(|t| ratio(t.transactions, t.parties))),
    def("transactions", "count", Higher, "payments per day", Sums(|t| t.transactions / t.days)),
    def("revenue", "currency", Higher, "takings per day", Sums(|t| t.revenue_cents / 100.0 / t.days)),
    def(
        "revenue_per_visitor",
        "currency",
        Higher,
        "revenue ÷ traffic",
        Sums(|t| ratio(t.revenue_cents / 100.0, t.visitors)),
    ),
    def(
        "basket_value",
        "currency",
        Higher,
        "revenue per transaction",
        Sums(|t| ratio(t.revenue_cents / 100.0, t.transactions)),
    ),
    def("basket_items", "items", Higher, "items per transaction", Sums(|t| ratio(t.items_sold, t.transactions))),
    def(
        "unplanned_share",
        "ratio",
        Higher,
        "items bought on impulse (not on the list) ÷ all items bought",
        Day(|m| ratio(m.items_sold_unplanned as f64, m.items_sold as f64)),
    ),
    def(
        "time_in_store_mean",
        "s",
        Neither,
        "seconds from entering to leaving, mean",
        Sums(|t| ratio(t.time_in_store_s, t.stays)),
    ),
    def(
        "time_in_store_p50",
        "s",
        Neither,
        "seconds from entering to leaving, median",
        Day(|m| defined_quantile(&m.time_in_store_s, 0.5)),
    ),
    def(
        "time_in_store_p90",
        "s",
        Neither,
        "seconds from entering to leaving, 90th percentile",
        Day(|m| defined_quantile(&m.time_in_store_s, 0.9)),
    ),
    def(
        "path_length_mean",
        "m",
        Neither,
        "metres walked per shopper, between successive position samples",
        Day(|m| ratio(m.path_m_sum, m.time_in_store_s.len() as f64)),
    ),
    def("product_views", "count", Higher, "products noticed per day", Day(|m| per_day(m, m.views as f64))),
    def(
        "view_to_pick",
        "ratio",
        Higher,
        "picks from shelves ÷ product views (a service counter's hand-overs, on no shelf to be seen, left out)",
        Day(|m| ratio((m.picks_planned + m.picks_unplanned - m.counter_picks) as f64, m.views as f64)),
    ),
    def("peak_occupancy", "shoppers", Neither, "most shoppers in store at once", Day(|m| m.peak_in_store as f64)),
    def(
        "peak_density",
        "shoppers/m²",
        Lower,
        "most shoppers per m² of walkable floor in any zone at any trace instant (undefined without zones)",
        // Measured per zone: a store without zones has no density to report,
        // and 0 would rate it the least crowded of layouts.
        Day(|m| if m.zone_visitors.is_empty() { f64::NAN } else { m.peak_density }),
    ),
    def(
        "queue_wait_mean",
        "s",
        Lower,
        "checkout wait: joining a line to paying or giving up, service included, mean",
        Sums(|t| ratio(t.queue_wait_s, t.waits)),
    ),
    def(
        "queue_wait_p90",
        "s",
        Lower,
        "checkout wait, service included, 90th percentile",
        Day(|m| defined_quantile(&m.queue_wait_s, 0.9)),
    ),
    def(
        "line_wait_mean",
        "s",
        Lower,
        "wait in line: joining it to being served or giving up, mean (schema v4 logs)",
        Day(|m| m.served_or_nan(ratio(m.line_wait_s.iter().sum(), m.line_wait_s.len() as f64))),
    ),
    def(
        "line_wait_p90",
        "s",
        Lower,
        "wait in line before service, 90th percentile (schema v4 logs)",
        Day(|m| m.served_or_nan(defined_quantile(&m.line_wait_s, 0.9))),
    ),
    def(
        "service_time_mean",
        "s",
        Lower,
        "seconds at the till or terminal per shopper served (schema v4 logs)",
        Day(|m| m.served_or_nan(ratio(m.service_s, m.services as f64))),
    ),
    def(
        "abandonment_rate",
        "ratio",
        Lower,
        "parties who reached the checkout with a basket and left without paying ÷ all who reached it",
        Sums(|t| ratio(t.abandons, t.transactions + t.abandons)),
    ),
    def(
        "checkout_arrivals",
        "count",
        Neither,
        "parties reaching the checkout with a basket per day, paying or not",
        Sums(|t| (t.transactions + t.abandons) / t.days),
    ),
    def(
        "lost_revenue",
        "currency",
        Lower,
        "baskets abandoned at the checkout, per day",
        Day(|m| per_day(m, m.lost_cents as f64 / 100.0)),
    ),
    def(
        "not_found_rate",
        "ratio",
        Lower,
        "planned products not found at the shelf in time, out of reach, or wanted from a service counter closed or \
         out of reach ÷ planned searches",
        Day(|m| ratio(m.not_found as f64, (m.picks_planned + m.not_found) as f64)),
    ),
    def(
        "planned_searches",
        "count",
        Neither,
        "planned products looked for at the shelf, per day",
        Day(|m| per_day(m, (m.picks_planned + m.not_found) as f64)),
    ),
    def(
        "lost_sales",
        "currency",
        Lower,
        "value of planned products not found, per day",
        Day(|m| per_day(m, m.not_found_cents as f64 / 100.0)),
    ),
    def(
        "stuck_shopper_s",
        "s",
        Lower,
        "shopper-seconds per day standing still outside any line, not shopping, in spells over a minute",
        Day(|m| per_day(m, m.stuck_s)),
    ),
    def("longest_freeze_s", "s", Lower, "the longest such spell of any shopper, any day", Day(|m| m.longest_freeze_s)),
    def(
        "longest_stall_s",
        "s",
        Lower,
        "the longest spell any checkout lane or service counter had someone waiting in its line while one of its terminals stood free, any day",
        Day(|m| m.longest_stall_s),
    ),
    def(
        "forced_exits",
        "count",
        Lower,
        "shoppers still inside at the day's hard end, per day",
        Day(|m| per_day(m, m.forced_exits as f64)),
    ),
];

/// A day's count or sum as an average per day of the days merged.
fn per_day(m: &DayMetrics, x: f64) -> f64 {
    x / m.days.max(1) as f64
}

/// The definition of a scalar figure, if the catalogue has it (per-zone
/// figures are named `kind/zone` and are not in it).
pub fn find(name: &str) -> Option<&'static MetricDef> {
    CATALOGUE.iter().find(|d| d.name == name)
}

/// Figures reported once per zone, floor or service counter, named
/// `kind/id`: each kind's direction and meaning.
pub const PER_ITEM: [(&str, Better, &str); 15] = [
    ("zone_visit_rate", Neither, "shoppers who entered the zone ÷ all shoppers"),
    ("zone_dwell", Neither, "seconds in the zone per shopper who entered it"),
    ("capture_rate", Neither, "shoppers who entered the zone ÷ those who came within 1.5 m of it"),
    ("floor_visit_rate", Neither, "shoppers who set foot on the floor ÷ all shoppers"),
    ("floor_dwell", Neither, "seconds on the floor per shopper who set foot on it"),
    ("floor_conversion", Higher, "parties who picked something on the floor ÷ parties who set foot on it"),
    (
        "floor_time_share",
        Neither,
        "shopper-time on the floor ÷ all shopper-time on floors (riding a connector is on none)",
    ),
    ("counter_served", Higher, "shoppers served at the service counter per day"),
    ("counter_wait", Lower, "wait in the counter's line before service or giving up, mean"),
    ("counter_service", Neither, "seconds of service at the counter per shopper served"),
    (
        "counter_gave_up",
        Lower,
        "shoppers who gave up at the counter (balked at its line, reneged in it, or found its hours over on arrival) ÷ all \
         who came to it",
    ),
    (
        "counter_lost",
        Lower,
        "value of the orders left unbought at the counter (given up, or cut off at the day's hard end), per day; what \
         was wanted from it while it was closed or out of reach is a lost sale (not found)",
    ),
    (
        "counter_utilisation",
        Neither,
        "the counter's busy server-seconds ÷ its server-seconds open (service past its hours counted as open)",
    ),
    ("stops", Neither, "stops made at the seating or fitting room per day"),
    ("stop_minutes", Neither, "minutes a stop at the seating or fitting room lasts, mean"),
];

/// The per-item kind of `metric` (`counter_wait` of `counter_wait/deli`).
fn per_item(metric: &str) -> Option<&'static (&'static str, Better, &'static str)> {
    let (kind, _) = metric.split_once('/')?;
    PER_ITEM.iter().find(|(k, _, _)| *k == kind)
}

/// The direction a retailer wants `metric` to move.
pub fn better(metric: &str) -> Better {
    match (find(metric), per_item(metric)) {
        (Some(d), _) => d.better,
        (None, Some(&(_, better, _))) => better,
        (None, None) => Better::Neither,
    }
}

/// What `metric` means, in words, for a figure of the catalogue or a
/// per-item one (`counter_wait/deli`: "… (`deli`)").
pub fn meaning(metric: &str) -> Option<String> {
    if let Some(d) = find(metric) {
        return Some(d.meaning.to_owned());
    }
    let (_, id) = metric.split_once('/')?;
    per_item(metric).map(|(_, _, meaning)| format!("{meaning} (`{id}`)"))
}

impl Totals {
    /// The figures written over sums, in catalogue order.
    pub fn figures(&self) -> impl Iterator<Item = (&'static MetricDef, f64)> + '_ {
        CATALOGUE.iter().filter_map(move |d| match d.formula {
            Formula::Totals(f) => Some((d, f(self))),
            Formula::Day(_) => None,
        })
    }
}

/// The `q`-th quantile of a day's samples by linear interpolation between
/// closest ranks (Hyndman & Fan type 7); undefined (NaN) for a day
/// without samples.
fn defined_quantile(samples: &[f64], q: f64) -> f64 {
    if samples.is_empty() {
        return f64::NAN;
    }
    let mut xs = samples.to_vec();
    xs.sort_by(f64::total_cmp);
    let h = (xs.len() - 1) as f64 * q;
    let (lo, hi) = (h.floor() as usize, h.ceil() as usize);
    xs[lo] + (xs[hi] - xs[lo]) * (h - lo as f64)
}

/// What to tell someone who asked for `asked` where it is none of
/// `names` (`None` where it is one): the nearest name where it looks like
/// a slip of a few letters, then every name there is ("try one of" a
/// short list left out the zone metrics and `traffic`).
pub fn unknown_metric(asked: &str, names: &[String]) -> Option<String> {
    if names.iter().any(|n| n == asked) {
        return None;
    }
    let nearest = crate::names::guess(asked, names.iter().map(String::as_str)).map(|g| g + " ").unwrap_or_default();
    Some(format!("{nearest}the metrics are {}", names.join(", ")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unknown_metric_is_answered_with_the_nearest_and_every_name() {
        let names: Vec<String> = ["revenue_per_visitor", "traffic", "zone_dwell/front"].map(String::from).to_vec();
        // (asked, what is said)
        let cases = [
            (
                "revenue_per_vistor",
                "did you mean `revenue_per_visitor`? the metrics are revenue_per_visitor, traffic, zone_dwell/front",
            ),
            ("trafic", "did you mean `traffic`? the metrics are revenue_per_visitor, traffic, zone_dwell/front"),
            ("nope", "the metrics are revenue_per_visitor, traffic, zone_dwell/front"),
        ];
        for (asked, said) in cases {
            assert_eq!(unknown_metric(asked, &names).as_deref(), Some(said), "{asked}");
        }
        assert_eq!(unknown_metric("traffic", &names), None);
    }

    /// The README defines every per-item figure, as the code does (a
    /// reader met `floor_conversion/upstairs` at 0.53 beside a conversion
    /// of 100% with no word of what it counts).
    #[test]
    fn the_readme_defines_every_per_item_figure() {
        const README: &str = include_str!("../../README.md");
        for (kind, _, meaning) in PER_ITEM {
            let row = README.lines().find(|l| l.starts_with(&format!("| `{kind}/ID` |")));
            let row = row.unwrap_or_else(|| panic!("the README has no row for `{kind}/ID`"));
            assert!(row.contains(meaning), "the README's `{kind}/ID` says otherwise than the code: {row}");
        }
    }
}
