//! What to do next. A shopper with nothing to do walks to the nearest
//! shelf it still wants (nearest-next by walking distance, doubling back
//! against the store's `circulation` costing extra); with the list done, to
//! the open lane with the least expected time (`checkout::choose_lane`), or
//! to the nearest exit with an empty basket.

use super::checkout::{choose_lane, head_for_lane};
use super::counter::head_for_counter;
use super::counter_clock;
use super::shopper::{Activity, Intent, Route, Shopper};
use super::{FIELD_UNITS_PER_CELL, RunState, Setting, TickState};
use crate::events::Action;
use crate::geom::Point;
use crate::nav::{FlowFieldCache, UNREACHABLE, distance_at_least};
use crate::scenario::Scenario;
use crate::store::{Stand, Store};

pub(super) fn decide(tick: &mut TickState) {
    let TickState { setting, shoppers, state } = tick;
    let RunState { clock, nav, lanes, taken, out, .. } = &mut **state;
    let mut shoppers = shoppers.p0();
    for mut s in &mut shoppers {
        if !matches!(s.activity, Activity::Deciding) {
            continue;
        }
        match nearest_wanted(setting, nav, &s, clock.t_ms, &taken.0) {
            Some(Target::Shelf { intent, index, placement, stand }) => {
                let product = s.wanted_mut(intent).remove(index);
                let field = nav.get(&setting.store, stand.cell, s.ways);
                s.route = Some(Route::new(field, stand.cell, stand.point));
                s.activity = Activity::ToShelf { product, placement: placement as u16, intent, back: None };
                continue;
            }
            Some(Target::Counter(counter)) => {
                head_for_counter(setting, nav, lanes, &mut s, counter);
                continue;
            }
            Some(Target::Stop { index, place }) => {
                let stop = s.stops.remove(index);
                taken.0[place] = true;
                let stand = setting.store.stops[place].stand;
                let field = nav.get(&setting.store, stand.cell, s.ways);
                s.route = Some(Route::new(field, stand.cell, stand.point));
                s.activity = Activity::ToStop { place: place as u16, factor: stop.factor };
                continue;
            }
            None => {
                // Stops still to make have no free place: given up.
                s.stops.clear();
                // Planned products left are out of reach: shelves it cannot
                // walk to (a step-free shopper, a floor no lift reaches), or
                // a counter closed now or unreachable. Lost sales, not
                // demand that vanishes.
                for product in std::mem::take(&mut s.list) {
                    let price = setting.scenario.products[product as usize].price_cents;
                    out.emit(clock.t_ms, &s, Action::NotFound { product, qty: 1, amount_cents: price });
                }
            }
        }
        if s.basket.is_empty() {
            head_for_exit(setting, nav, &mut s);
        } else {
            let lane = choose_lane(setting, nav, lanes, (s.cell, s.places_in_line()), s.speed, s.ways, clock.t_ms);
            head_for_lane(setting, nav, lanes, &mut s, lane, None);
        }
    }
}

/// Where to walk next.
enum Target {
    /// The `placement`-th place (at `stand`) of the `index`-th product
    /// wanted with `intent`.
    Shelf { intent: Intent, index: usize, placement: usize, stand: Stand },
    /// The end of a service counter's line.
    Counter(u16),
    /// Stop place `place` (`Store::stops`) for the `index`-th stop still to make.
    Stop { index: usize, place: usize },
}

/// Nearest-next on walking distance: the closest placement not yet searched
/// in vain of any product still wanted (planned, picked up on impulse or
/// to browse), the end of the line of a counter open at `t_ms` that
/// sells a product on the list, or a place not `taken` of a kind it still
/// means to stop at; the first found wins a tie.
fn nearest_wanted(
    setting: &Setting,
    nav: &mut FlowFieldCache,
    s: &Shopper,
    t_ms: u64,
    taken: &[bool],
) -> Option<Target> {
    let store = &setting.store;
    let mut best: Option<(u32, Target)> = None;
    let turn = Circulating::new(&setting.scenario, store, s.pos);
    for (intent, wanted) in [(Intent::Planned, &s.list), (Intent::Impulse, &s.impulse), (Intent::Browse, &s.browse)] {
        for (index, &product) in wanted.iter().enumerate() {
            for (placement, &stand) in store.stands[product as usize].iter().enumerate() {
                if s.searched.contains(&(product, placement as u16)) {
                    continue;
                }
                // (The penalty only adds: one already no nearer is out,
                // before its field is looked up or computed.)
                let no_nearer = |d: u32| best.as_ref().is_some_and(|b: &(u32, Target)| d >= b.0);
                if no_nearer(distance_at_least(store, s.cell, stand.cell)) {
                    continue;
                }
                let d = nav.distance(store, stand.cell, s.ways, s.cell);
                if d == UNREACHABLE || no_nearer(d) {
                    continue;
                }
                let d = d.saturating_add(turn.penalty(stand.point));
                if best.as_ref().is_none_or(|b| d < b.0) {
                    best = Some((d, Target::Shelf { intent, index, placement, stand }));
                }
            }
        }
    }
    let clock = counter_clock(&setting.scenario, t_ms);
    for (counter, c) in setting.scenario.counters.iter().enumerate() {
        let counter = counter as u16;
        let wanted = s.list.iter().any(|&p| setting.counter_of_product[p as usize] == Some(counter));
        if !wanted || !c.desk.is_open_at(clock) {
            continue;
        }
        let tail = setting.lane_tails[setting.counter_desk(counter) as usize];
        let d = nav.distance(store, tail, s.ways, s.cell);
        if d == UNREACHABLE {
            continue;
        }
        let d = d.saturating_add(turn.penalty(c.desk.service_point));
        if best.as_ref().is_none_or(|b| d < b.0) {
            best = Some((d, Target::Counter(counter)));
        }
    }
    for (index, stop) in s.stops.iter().enumerate() {
        for (place, p) in store.stops.iter().enumerate().filter(|&(k, p)| p.kind == stop.kind && !taken[k]) {
            let d = nav.distance(store, p.stand.cell, s.ways, s.cell);
            if d == UNREACHABLE {
                continue;
            }
            let d = d.saturating_add(turn.penalty(p.stand.point));
            if best.as_ref().is_none_or(|b| d < b.0) {
                best = Some((d, Target::Stop { index, place }));
            }
        }
    }
    best.map(|(_, target)| target)
}

/// The habit of going round the store one way (the "racetrack"): an item
/// behind the shopper in that direction, as seen from the store's centre,
/// costs extra walking distance when choosing what to fetch next.
struct Circulating {
    sign: f64,
    centre: Point,
    /// Angle of the shopper about the centre.
    at: f64,
    /// The penalty in flow-field units (tenths of a cell).
    penalty: u32,
}

impl Circulating {
    fn new(sc: &Scenario, store: &Store, pos: Point) -> Circulating {
        let centre = Point::new(sc.store.width / 2.0, sc.store.depth / 2.0);
        Circulating {
            sign: sc.population.circulation.sign(),
            centre,
            at: (pos.y - centre.y).atan2(pos.x - centre.x),
            penalty: (sc.population.circulation_penalty_m / store.cell * FIELD_UNITS_PER_CELL) as u32,
        }
    }

    fn penalty(&self, target: Point) -> u32 {
        if self.sign == 0.0 {
            return 0;
        }
        let turn = (target.y - self.centre.y).atan2(target.x - self.centre.x) - self.at;
        // Wrapped to (−π, π]: positive is counter-clockwise of the shopper.
        let turn = (turn + std::f64::consts::PI).rem_euclid(std::f64::consts::TAU) - std::f64::consts::PI;
        if turn * self.sign < 0.0 { self.penalty } else { 0 }
    }
}

/// Sends `s` to the nearest exit by walking distance.
pub(super) fn head_for_exit(setting: &Setting, nav: &mut FlowFieldCache, s: &mut Shopper) {
    let (field, goal) = setting
        .store
        .exits
        .iter()
        .map(|&x| (nav.get(&setting.store, x, s.ways), x))
        .min_by_key(|(f, _)| f[s.cell as usize])
        .expect("validated: at least one exit");
    let exit = setting.store.exits.iter().position(|&x| x == goal).expect("exit cell");
    s.route = Some(Route::new(field, goal, setting.scenario.exits[exit].at));
    s.activity = Activity::ToExit;
}
