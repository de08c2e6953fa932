//! The metric catalogue of a store-day as one projection over its events.
//!
//! `DayMetrics` keeps sufficient statistics (counts, sums, samples, grids),
//! so the days of several seeds merge by adding them up, and every figure
//! is derived from them by `scalars()` and the accessors. Definitions follow
//! the retail analytics industry's usage; each is written where it is
//! computed.

use super::Projection;
use super::catalogue::{CATALOGUE, Formula, MetricDef, Totals};
use super::freeze::{Spells, Standing, shops};
use super::layout::Layout;
use super::stall::Desks;
use crate::events::{Action, SimEvent};
pub use cut_short::ForcedFrom;
use cut_short::Held;
use places::AtCounter;
pub use places::{CounterDay, StopDay};

mod basket;
mod cut_short;
mod lines;
mod places;

/// Where a shopper was last seen, and its grid cell.
#[derive(Debug, Clone, Copy)]
struct Position {
    x: f32,
    y: f32,
    floor: u8,
    t_ms: u64,
    cell: usize,
}

/// Per-shopper state while the day is folded.
#[derive(Debug, Clone, Default)]
struct Visit {
    enter_ms: u64,
    /// The party's leader (the shopper's own index when leading), and a
    /// leader's companions.
    party: u32,
    companions: Vec<u32>,
    /// Last known position and when it was taken.
    at: Option<Position>,
    /// Last position sample (`enter`, `move`, `exit`): path length is
    /// measured between samples, so a body shuffling on the spot between
    /// two samples adds nothing.
    sampled: Option<(f32, f32, u8)>,
    path_m: f64,
    standing: Standing,
    zone_since: Option<(u16, u64)>,
    /// Zones entered, and zones entered or passed within reach (bit sets).
    zones_entered: Vec<u64>,
    zones_passed: Vec<u64>,
    /// Floors set foot on, and floors picked on (bit sets; floors past the
    /// 64th are not told apart).
    floors_visited: u64,
    floors_picked: u64,
    viewed: bool,
    picked: bool,
    queue_join_ms: Option<u64>,
    /// When its service began (`serve`), while in line.
    serve_ms: Option<u64>,
    /// At a service counter: in its line, served there.
    counter: AtCounter,
    /// Stopping at seating or a fitting room since (`stop_start`).
    stop_ms: Option<u64>,
    /// What held it in place when the day's hard end came (`DayProjection::ended`).
    held_at_end: Option<Held>,
    /// What the shopper holds: picked, less put back, until it pays or
    /// leaves the basket at a lane; of its items, those picked on impulse.
    basket_cents: i64,
    basket_unplanned: u64,
    /// Whether the last pick was unplanned (a put-back follows its pick).
    last_pick_unplanned: bool,
}

impl Visit {
    /// Standing still by design: in a line (a checkout's or a counter's)
    /// or at a stop, where standing still is no freeze.
    fn waiting(&self) -> bool {
        self.queue_join_ms.is_some() || self.counter.joined_ms.is_some() || self.stop_ms.is_some()
    }
}

/// Sufficient statistics of one or more store-days.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct DayMetrics {
    pub days: u32,
    pub visitors: u64,
    /// Shopping parties: shoppers alone or leading companions.
    pub parties: u64,
    pub transactions: u64,
    pub revenue_cents: i64,
    pub items_sold: u64,
    /// Of the items sold, those picked on impulse (not on the list).
    pub items_sold_unplanned: u64,
    pub picks_planned: u64,
    pub picks_unplanned: u64,
    /// Of the picks, those handed over at a service counter (its products
    /// are on no shelf, so nobody views them).
    pub counter_picks: u64,
    pub put_backs: u64,
    pub views: u64,
    pub shoppers_viewing: u64,
    pub shoppers_picking: u64,
    /// Seconds from `enter` to `exit`, one per shopper.
    pub time_in_store_s: Vec<f64>,
    pub path_m_sum: f64,
    pub zone_visitors: Vec<u64>,
    pub zone_passers: Vec<u64>,
    pub zone_dwell_s: Vec<f64>,
    /// Shoppers who set foot on each floor; parties (their leaders, who
    /// alone pick) who did, and who picked something there.
    pub floor_visitors: Vec<u64>,
    pub floor_parties: Vec<u64>,
    pub floor_pickers: Vec<u64>,
    pub product_views: Vec<u64>,
    pub product_picks: Vec<u64>,
    /// Planned searches per product that found nothing (`not_found`).
    pub product_not_found: Vec<u64>,
    /// Person-milliseconds per grid cell (all floors, floor-major); integers,
    /// so days merge exactly in any order.
    pub heat_ms: Vec<u64>,
    /// Summed displacement (metres) of shoppers leaving each cell.
    pub flow: Vec<(f64, f64)>,
    pub peak_in_store: u64,
    pub peak_density: f64,
    /// Seconds from `queue_join` to `checkout`/`abandon` (queueing and service).
    pub queue_wait_s: Vec<f64>,
    /// Seconds from `queue_join` to `serve` (or to `abandon`): the wait in
    /// line alone.
    pub line_wait_s: Vec<f64>,
    /// Seconds of service (`serve` to `checkout`, or to an `abandon` at
    /// the hard end), summed over `services`.
    pub service_s: f64,
    pub services: u64,
    /// Payments with no `serve` before them: a log older than schema v4,
    /// which cannot tell waiting from service.
    pub unserved_checkouts: u64,
    pub queue_joins: u64,
    pub abandons: u64,
    /// Of `abandons`, those who never joined a line: balked at its length
    /// (or found no room for their party) on reaching it.
    pub balks: u64,
    pub lost_cents: i64,
    /// Planned products not found at the shelf, and what they would have cost.
    pub not_found: u64,
    pub not_found_cents: i64,
    pub hourly_visitors: Vec<u64>,
    pub hourly_wait_s: Vec<f64>,
    pub hourly_waits: Vec<u64>,
    /// Freezes: spells of standing still outside a checkout line (see
    /// `metrics::freeze`). Seconds in spells longer than
    /// `STUCK_AFTER_S`, their number, and the longest spell.
    pub stuck_s: f64,
    pub stuck_spells: u64,
    pub longest_freeze_s: f64,
    /// The longest freeze with who stood where (of one day: merged over
    /// days, the longest of any, without its day).
    pub longest_freeze: Option<super::freeze::Freeze>,
    /// The longest spell of standing still in an entrance's doorway, of a
    /// minute or more, freeze or shelf visit (`metrics::freeze`): what kept visitors out
    /// (of one day: merged over days, the longest of any, without its day).
    pub longest_in_doorway: Option<super::freeze::Freeze>,
    /// The longest spell a desk had someone waiting and a terminal free
    /// (see `metrics::stall`), and which (of one day: merged over days,
    /// the longest of any, without its day).
    pub longest_stall_s: f64,
    pub longest_stall: Option<super::stall::Stall>,
    /// Shoppers still inside at the day's hard end, made to leave.
    pub forced_exits: u64,
    /// What those made to leave were at (a companion, what its leader was at).
    pub forced_from: ForcedFrom,
    /// What those made to leave had picked and not paid for, in hand or
    /// in a line (made to leave a line is no abandonment: `lost_cents`
    /// holds what shoppers gave up).
    pub carried_out_cents: i64,
    /// Per service counter (schema v5 logs).
    pub counters: Vec<CounterDay>,
    /// Per seating or fitting-room fixture (`Layout::stop_fixtures`).
    pub stop_places: Vec<StopDay>,
}

/// Folds one day's events into `DayMetrics`.
#[derive(Clone)]
pub struct DayProjection<'a> {
    layout: &'a Layout,
    m: DayMetrics,
    /// Shoppers in store, by index (indices are dense within a run).
    visits: Vec<Option<Visit>>,
    /// Trace instant being counted: its time and shoppers per zone.
    instant: (u64, Vec<u32>),
    /// Shoppers in the store now, from their `enter` and `exit` (riders
    /// and every moment between trace instants included).
    in_store: u64,
    /// Who waits and who is served at each desk.
    desks: Desks,
    /// The day's hard end has come: what each shopper still in was at is
    /// noted (`Visit::held_at_end`) before the end's own events (a line's
    /// `abandon`, a stop's `stop_end`) clear it.
    ended: bool,
}

impl<'a> DayProjection<'a> {
    pub fn new(layout: &'a Layout) -> Self {
        let (z, p, cells) = (layout.zones.len(), layout.products.len(), layout.nx * layout.ny * layout.floors);
        let m = DayMetrics {
            days: 1,
            zone_visitors: vec![0; z],
            zone_passers: vec![0; z],
            zone_dwell_s: vec![0.0; z],
            floor_visitors: vec![0; layout.floors],
            floor_parties: vec![0; layout.floors],
            floor_pickers: vec![0; layout.floors],
            product_views: vec![0; p],
            product_picks: vec![0; p],
            product_not_found: vec![0; p],
            heat_ms: vec![0; cells],
            flow: vec![(0.0, 0.0); cells],
            hourly_visitors: vec![0; layout.hours.max(1)],
            hourly_wait_s: vec![0.0; layout.hours.max(1)],
            hourly_waits: vec![0; layout.hours.max(1)],
            counters: vec![CounterDay::default(); layout.counters.len()],
            stop_places: vec![StopDay::default(); layout.stop_fixtures.len()],
            ..DayMetrics::default()
        };
        let desks = Desks::new(layout.desk_terminals.clone(), layout.lanes.len());
        let visits = Vec::new();
        DayProjection { layout, m, visits, instant: (u64::MAX, vec![0; z]), in_store: 0, desks, ended: false }
    }

    fn close_instant(&mut self) {
        let (_, counts) = &mut self.instant;
        for (z, n) in counts.iter_mut().enumerate() {
            let area = self.layout.zone_area_m2[z];
            if area > 0.0 {
                self.m.peak_density = self.m.peak_density.max(*n as f64 / area);
            }
            *n = 0;
        }
    }

    pub fn finish(mut self) -> DayMetrics {
        self.close_instant();
        self.desks.finish(&mut self.m);
        self.m
    }
}

impl Projection for DayProjection<'_> {
    fn observe(&mut self, e: &SimEvent) {
        if !self.ended && self.layout.is_hard_end(e.t_ms) {
            self.note_what_holds_those_still_in();
        }
        if let Action::Move = e.action {
            self.count_in_instant(e);
        }
        if let Action::Enter { party } = e.action {
            self.on_enter(e, party);
        }
        self.desks.observe(&mut self.m, e);
        let layout = self.layout;
        let m = &mut self.m;
        let judge =
            Spells { shelf_visit_ms: layout.longest_shelf_visit_ms, day_end_ms: layout.end_ms, doors: &layout.doors };
        let i = e.shopper as usize;
        let Some(Some(visit)) = self.visits.get(i) else { return };
        let leader = visit.party as usize;
        // The shopper's visit and, for a companion, its leader's (if it is
        // still in the store), each looked up once.
        let (v, leader) = match self.visits.get_disjoint_mut([i, leader]) {
            Ok([Some(v), l]) => (v, l.as_mut()),
            _ => (self.visits[i].as_mut().expect("looked up above"), None),
        };
        // A companion stands in line with its leader.
        let in_line = leader.as_ref().is_some_and(|l| l.waiting()) || v.waiting();
        judge.track(m, &mut v.standing, leader.map(|l| &mut l.standing), e, in_line);
        v.floors_visited |= 1u64.checked_shl(e.floor as u32).unwrap_or(0);
        Self::record_movement(m, layout, v, e);
        match e.action {
            Action::ZoneEnter => {
                if let Some(z) = e.zone {
                    v.zone_since = Some((z, e.t_ms));
                    v.zones_entered[z as usize / 64] |= 1 << (z % 64);
                }
            }
            Action::ZoneExit => {
                if let Some((z, since)) = v.zone_since.take() {
                    m.zone_dwell_s[z as usize] += (e.t_ms - since) as f64 / 1000.0;
                }
            }
            Action::View { product } => Self::on_view(m, v, product),
            Action::Pick { product, planned, amount_cents, qty } => {
                Self::on_pick(m, v, (product, planned), (qty, amount_cents));
                m.counter_picks += u64::from(layout.sold_at_counter[product as usize]);
                v.floors_picked |= 1u64.checked_shl(e.floor as u32).unwrap_or(0);
            }
            Action::PutBack { amount_cents, qty, .. } => Self::on_put_back(m, v, qty, amount_cents),
            Action::NotFound { product, amount_cents, .. } => {
                m.not_found += 1;
                m.product_not_found[product as usize] += 1;
                m.not_found_cents += amount_cents;
            }
            // A second join moves to a shorter line (jockeying): the wait
            // goes on from the first.
            Action::QueueJoin { .. } if v.queue_join_ms.is_none() => {
                m.queue_joins += 1;
                v.queue_join_ms = Some(e.t_ms);
            }
            Action::Serve { .. } => Self::on_serve(m, v, e),
            // Made to leave its line at the hard end: its wait ends, but it
            // gave nothing up (its basket is carried out, `on_exit`).
            Action::Abandon { .. } if layout.is_hard_end(e.t_ms) => Self::end_wait(m, v, e),
            Action::Checkout { qty, amount_cents, .. } | Action::Abandon { qty, amount_cents, .. } => {
                Self::on_leave_line(m, v, e, qty, amount_cents)
            }
            Action::CounterJoin { counter } => m.counters[counter as usize].join(&mut v.counter, e.t_ms),
            Action::CounterServe { counter } => m.counters[counter as usize].serve(&mut v.counter, e.t_ms),
            Action::CounterDone { counter, qty, .. } => {
                let close_ms = layout.counter_close_ms[counter as usize];
                m.counters[counter as usize].done(&mut v.counter, e.t_ms, qty, close_ms)
            }
            Action::CounterLeave { counter, amount_cents, .. } => {
                m.counters[counter as usize].leave(&mut v.counter, e.t_ms, amount_cents, layout.end_ms)
            }
            Action::StopStart { .. } => v.stop_ms = Some(e.t_ms),
            Action::StopEnd { fixture } => {
                if let (Some(since), Some(slot)) = (v.stop_ms.take(), layout.stop_slot(fixture)) {
                    m.stop_places[slot].stopped(since, e.t_ms);
                }
            }
            Action::Exit => self.on_exit(e),
            _ => {}
        }
        if shops(&e.action) {
            self.stand_by_leader(e);
        }
    }
}

impl DayProjection<'_> {
    /// Counts a position sample towards its trace instant, closing the last instant when the time moves on.
    #[inline]
    fn count_in_instant(&mut self, e: &SimEvent) {
        if self.instant.0 != e.t_ms {
            self.close_instant();
            self.instant.0 = e.t_ms;
        }
        if let Some(z) = e.zone {
            self.instant.1[z as usize] += 1;
        }
    }

    /// Counts a shopper coming in, names it a companion of its party's leader, and opens its visit.
    #[inline]
    fn on_enter(&mut self, e: &SimEvent, party: u32) {
        self.in_store += 1;
        let m = &mut self.m;
        m.peak_in_store = m.peak_in_store.max(self.in_store);
        m.visitors += 1;
        m.parties += (party == e.shopper) as u64;
        let h = ((e.t_ms / 3_600_000) as usize).min(m.hourly_visitors.len() - 1);
        m.hourly_visitors[h] += 1;
        let i = e.shopper as usize;
        if self.visits.len() <= i {
            self.visits.resize_with(i + 1, || None);
        }
        let words = self.layout.zone_words;
        if party != e.shopper
            && let Some(Some(leader)) = self.visits.get_mut(party as usize)
        {
            leader.companions.push(e.shopper);
        }
        self.visits[i] = Some(Visit {
            enter_ms: e.t_ms,
            party,
            zones_entered: vec![0; words],
            zones_passed: vec![0; words],
            ..Visit::default()
        });
    }

    /// Books the time and movement since the shopper's last event to where it was, then moves it to `e`.
    #[inline]
    fn record_movement(m: &mut DayMetrics, layout: &Layout, v: &mut Visit, e: &SimEvent) {
        let cell = layout.cell_of(e.x, e.y, e.floor);
        if let Some(at) = v.at {
            m.heat_ms[at.cell] += layout.floor_ms((at.floor, at.x, at.y), at.t_ms, e);
            if at.floor == e.floor {
                m.flow[at.cell].0 += (e.x - at.x) as f64;
                m.flow[at.cell].1 += (e.y - at.y) as f64;
            }
        }
        if let Action::Enter { .. } | Action::Move | Action::Exit = e.action {
            if let Some((x, y, floor)) = v.sampled
                && floor == e.floor
            {
                let (dx, dy) = ((e.x - x) as f64, (e.y - y) as f64);
                // Not `hypot`: its extra care for overflow costs a fifth of the fold.
                v.path_m += (dx * dx + dy * dy).sqrt();
            }
            v.sampled = Some((e.x, e.y, e.floor));
        }
        if v.at.is_none_or(|at| at.cell != cell) {
            let words = layout.zone_words;
            for (w, near) in v.zones_passed.iter_mut().zip(&layout.near_zones[cell * words..(cell + 1) * words]) {
                *w |= near;
            }
        }
        v.at = Some(Position { x: e.x, y: e.y, floor: e.floor, t_ms: e.t_ms, cell });
    }

    /// Closes a shopper's visit: its stay, path, and the floors and zones it visited or passed.
    #[inline]
    fn on_exit(&mut self, e: &SimEvent) {
        self.in_store -= 1;
        let m = &mut self.m;
        let v = self.visits[e.shopper as usize].take().expect("visit exists");
        m.time_in_store_s.push((e.t_ms - v.enter_ms) as f64 / 1000.0);
        if self.layout.is_hard_end(e.t_ms) {
            m.forced_exits += 1;
            m.carried_out_cents += v.basket_cents.max(0);
            m.forced_from.count(v.held_at_end);
        }
        m.path_m_sum += v.path_m;
        m.shoppers_viewing += v.viewed as u64;
        m.shoppers_picking += v.picked as u64;
        for (f, n) in m.floor_visitors.iter_mut().enumerate().take(64) {
            *n += (v.floors_visited >> f) & 1;
        }
        if v.party == e.shopper {
            for (f, n) in m.floor_parties.iter_mut().enumerate().take(64) {
                *n += (v.floors_visited >> f) & 1;
            }
        }
        for (f, n) in m.floor_pickers.iter_mut().enumerate().take(64) {
            *n += (v.floors_picked >> f) & 1;
        }
        for z in 0..m.zone_passers.len() {
            let (w, bit) = (z / 64, 1u64 << (z % 64));
            if v.zones_entered[w] & bit != 0 {
                m.zone_visitors[z] += 1;
                m.zone_passers[z] += 1;
            } else if v.zones_passed[w] & bit != 0 {
                m.zone_passers[z] += 1;
            }
        }
    }

    /// A leader shopping at a shelf: its companions standing by it are
    /// waiting for it, not stuck, so their spells start afresh and are
    /// excused as long as a shelf visit can last.
    fn stand_by_leader(&mut self, e: &SimEvent) {
        let Some(Some(leader)) = self.visits.get(e.shopper as usize) else { return };
        for k in 0..leader.companions.len() {
            let c = self.visits[e.shopper as usize].as_ref().expect("leader").companions[k];
            if let Some(Some(v)) = self.visits.get_mut(c as usize) {
                v.standing.waits_by(e);
            }
        }
    }
}

/// One named figure of a day.
#[derive(Debug, Clone, PartialEq)]
pub struct Metric {
    pub name: String,
    pub unit: &'static str,
    pub value: f64,
}

impl Metric {
    /// A per-item figure, named `kind/id` (`catalogue::PER_ITEM`).
    fn per_item(kind: &str, id: &str, unit: &'static str, value: f64) -> Metric {
        Metric { name: format!("{kind}/{id}"), unit, value }
    }
}

/// The days merged into `m`, at least one.
fn days(m: &DayMetrics) -> f64 {
    m.days.max(1) as f64
}

/// A ratio of a day's figures; undefined (NaN) when there is nothing to
/// divide by, so a day without checkouts has no basket value rather than a
/// basket value of 0 (comparisons leave such days out).
pub(super) fn ratio(a: f64, b: f64) -> f64 {
    if b > 0.0 { a / b } else { f64::NAN }
}

impl DayMetrics {
    /// Adds another day's (or seed's) statistics to these.
    pub fn merge(&mut self, o: &DayMetrics) {
        fn add<T: Copy + std::ops::AddAssign>(a: &mut [T], b: &[T]) {
            for (x, y) in a.iter_mut().zip(b) {
                *x += *y;
            }
        }
        self.days += o.days;
        self.visitors += o.visitors;
        self.parties += o.parties;
        self.transactions += o.transactions;
        self.revenue_cents += o.revenue_cents;
        self.items_sold += o.items_sold;
        self.items_sold_unplanned += o.items_sold_unplanned;
        self.picks_planned += o.picks_planned;
        self.picks_unplanned += o.picks_unplanned;
        self.counter_picks += o.counter_picks;
        self.put_backs += o.put_backs;
        self.views += o.views;
        self.shoppers_viewing += o.shoppers_viewing;
        self.shoppers_picking += o.shoppers_picking;
        self.time_in_store_s.extend_from_slice(&o.time_in_store_s);
        self.path_m_sum += o.path_m_sum;
        add(&mut self.zone_visitors, &o.zone_visitors);
        add(&mut self.zone_passers, &o.zone_passers);
        add(&mut self.zone_dwell_s, &o.zone_dwell_s);
        add(&mut self.floor_visitors, &o.floor_visitors);
        add(&mut self.floor_parties, &o.floor_parties);
        add(&mut self.floor_pickers, &o.floor_pickers);
        add(&mut self.product_views, &o.product_views);
        add(&mut self.product_picks, &o.product_picks);
        add(&mut self.product_not_found, &o.product_not_found);
        add(&mut self.heat_ms, &o.heat_ms);
        for (a, b) in self.flow.iter_mut().zip(&o.flow) {
            a.0 += b.0;
            a.1 += b.1;
        }
        self.peak_in_store = self.peak_in_store.max(o.peak_in_store);
        self.peak_density = self.peak_density.max(o.peak_density);
        self.queue_wait_s.extend_from_slice(&o.queue_wait_s);
        self.line_wait_s.extend_from_slice(&o.line_wait_s);
        self.service_s += o.service_s;
        self.services += o.services;
        self.unserved_checkouts += o.unserved_checkouts;
        self.queue_joins += o.queue_joins;
        self.abandons += o.abandons;
        self.balks += o.balks;
        self.lost_cents += o.lost_cents;
        self.not_found += o.not_found;
        self.not_found_cents += o.not_found_cents;
        add(&mut self.hourly_visitors, &o.hourly_visitors);
        add(&mut self.hourly_wait_s, &o.hourly_wait_s);
        add(&mut self.hourly_waits, &o.hourly_waits);
        self.stuck_s += o.stuck_s;
        self.stuck_spells += o.stuck_spells;
        if o.longest_freeze_s > self.longest_freeze_s || self.longest_freeze.is_none() {
            self.longest_freeze = o.longest_freeze.or(self.longest_freeze);
        }
        self.longest_freeze_s = self.longest_freeze_s.max(o.longest_freeze_s);
        if let Some(o) =
            o.longest_in_doorway.filter(|o| self.longest_in_doorway.is_none_or(|f| o.seconds() > f.seconds()))
        {
            self.longest_in_doorway = Some(o);
        }
        if o.longest_stall_s > self.longest_stall_s || self.longest_stall.is_none() {
            self.longest_stall = o.longest_stall.or(self.longest_stall);
        }
        self.longest_stall_s = self.longest_stall_s.max(o.longest_stall_s);
        self.forced_exits += o.forced_exits;
        self.forced_from.merge(&o.forced_from);
        self.carried_out_cents += o.carried_out_cents;
        for (a, b) in self.counters.iter_mut().zip(&o.counters) {
            a.merge(b);
        }
        for (a, b) in self.stop_places.iter_mut().zip(&o.stop_places) {
            a.merge(b);
        }
    }

    /// `value`, or undefined when a log could not tell waiting from service.
    pub(super) fn served_or_nan(&self, value: f64) -> f64 {
        if self.unserved_checkouts > 0 { f64::NAN } else { value }
    }

    /// The sums the catalogue's ratio figures are written over.
    pub fn totals(&self) -> Totals {
        Totals {
            days: self.days.max(1) as f64,
            visitors: self.visitors as f64,
            parties: self.parties as f64,
            transactions: self.transactions as f64,
            revenue_cents: self.revenue_cents as f64,
            items_sold: self.items_sold as f64,
            time_in_store_s: self.time_in_store_s.iter().sum(),
            stays: self.time_in_store_s.len() as f64,
            queue_wait_s: self.queue_wait_s.iter().sum(),
            waits: self.queue_wait_s.len() as f64,
            abandons: self.abandons as f64,
        }
    }

    /// One figure of the catalogue, computed alone; `None` for a name the
    /// catalogue does not have.
    pub fn figure(&self, name: &str) -> Option<f64> {
        super::catalogue::find(name).map(|d| self.value(d, &self.totals()))
    }

    /// `d`'s value for these days, whose sums are `totals`.
    fn value(&self, d: &MetricDef, totals: &Totals) -> f64 {
        match d.formula {
            Formula::Totals(f) => f(totals),
            Formula::Day(f) => f(self),
        }
    }

    /// Every figure of the catalogue (`metrics::catalogue`), then the
    /// per-zone figures.
    pub fn scalars(&self, layout: &Layout) -> Vec<Metric> {
        let totals = self.totals();
        let visitors = self.visitors as f64;
        let mut out: Vec<Metric> = CATALOGUE
            .iter()
            .map(|d| Metric { name: d.name.to_owned(), unit: d.unit, value: self.value(d, &totals) })
            .collect();
        for (z, id) in layout.zones.iter().enumerate() {
            let visitors_z = self.zone_visitors[z] as f64;
            out.extend([
                // Share of shoppers who entered the zone.
                Metric::per_item("zone_visit_rate", id, "ratio", ratio(visitors_z, visitors)),
                // Seconds in the zone per visiting shopper.
                Metric::per_item("zone_dwell", id, "s", ratio(self.zone_dwell_s[z], visitors_z)),
                // Entered the zone ÷ came within 1.5 m of it (or entered).
                Metric::per_item("capture_rate", id, "ratio", ratio(visitors_z, self.zone_passers[z] as f64)),
            ]);
        }
        places::scalars(self, layout, &mut out);
        if layout.floors > 1 {
            let cells = layout.nx * layout.ny;
            let all_ms: u64 = self.heat_ms.iter().sum();
            for (f, id) in layout.floor_ids.iter().enumerate() {
                let (came, picked) = (self.floor_visitors[f] as f64, self.floor_pickers[f] as f64);
                let parties = self.floor_parties[f] as f64;
                let floor_ms: u64 = self.heat_ms[f * cells..(f + 1) * cells].iter().sum();
                out.extend([
                    // Share of shoppers who set foot on the floor.
                    Metric::per_item("floor_visit_rate", id, "ratio", ratio(came, visitors)),
                    // Share of the parties on the floor whose leader picked
                    // something on it (companions never pick: counted, the
                    // figure moved with party size, not the floor).
                    Metric::per_item("floor_conversion", id, "ratio", ratio(picked, parties)),
                    // Seconds on the floor per shopper who set foot on it.
                    Metric::per_item("floor_dwell", id, "s", ratio(floor_ms as f64 / 1000.0, came)),
                    // Share of the shopper-time on floors spent on the floor.
                    Metric::per_item("floor_time_share", id, "ratio", ratio(floor_ms as f64, all_ms as f64)),
                ]);
            }
        }
        out
    }

    /// The names `scalars` reports, in order.
    pub fn metric_names(layout: &Layout) -> Vec<String> {
        let mut empty = DayProjection::new(layout).finish();
        empty.days = 0;
        empty.scalars(layout).into_iter().map(|m| m.name).collect()
    }

    /// Person-seconds per heat block (see `Layout::block_of`).
    pub fn heat_block_s(&self, layout: &Layout) -> Vec<f64> {
        let mut blocks = vec![0.0; layout.block_count()];
        for (cell, ms) in self.heat_ms.iter().enumerate() {
            blocks[layout.block_of(cell)] += *ms as f64 / 1000.0;
        }
        blocks
    }

    /// Total person-seconds in the heatmap.
    pub fn heat_total_s(&self) -> f64 {
        self.heat_ms.iter().sum::<u64>() as f64 / 1000.0
    }
}

#[cfg(test)]
mod tests;
