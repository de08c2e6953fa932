//! The simulation: shoppers on bevy_ecs, three systems run one after the
//! other on one thread (no schedule: the order is fixed). Its only output
//! is `SimEvent`s; it does no IO and cannot fail once built from a
//! validated scenario and store.
//!
//! A tick runs these phases in order, each a function of its mechanism's
//! module over the tick's `TickState`; three systems call them
//! (`arrivals::arrive`, then `move_shoppers`, then `settle`), so that
//! arrivals and exits apply between them:
//!
//! | phase | module | what happens |
//! |---|---|---|
//! | arrive | `arrivals` | the day's arrivals planned up front; parties let in as their time comes |
//! | decide | `decide` | the next shelf (nearest-next), the lane (`checkout::choose_lane`) or the exit |
//! | follow | `party` | companions keep up with their leader |
//! | walk | `walk` | moving, passing, riding connectors; arrival handed to `shelf`, `checkout` or out of the door |
//! | perceive | `impulse` | noticing products in view and buying on impulse (`temptation`) |
//! | shelf | `shelf` | dwell and search at the shelf, then pick, put back, pass over or give up |
//! | stop | `stop` | stops at seating and fitting rooms end |
//! | checkout | `checkout` (with `queue`, the lanes' state) | joining or balking, service, reneging, calling, jockeying |
//! | trace, close | `outbox` | positions logged; the tick's events ordered and numbered |
//!
//! `shopper` holds the one component, `Shopper`, and what it is doing.
//! Events emitted during a tick are ordered by (shopper, emission order)
//! before they get their `seq`, so the log's order does not depend on the
//! order in which the ECS visits entities.

pub mod crowd;
pub mod perception;
pub mod rng;

mod arrivals;
mod checkout;
mod counter;
mod decide;
mod impulse;
mod line;
mod line_warnings;
mod outbox;
mod party;
mod queue;
mod ride;
mod shelf;
mod shopper;
mod squeeze;
mod stand_by;
mod stop;
mod walk;

pub use arrivals::TOP_SPEED_MPS;
pub use line_warnings::{lines_at_doors, short_desk_lines, short_lines, unjoinable_lines};

use std::collections::HashMap;
use std::sync::{Arc, OnceLock};

use bevy_ecs::prelude::*;
use bevy_ecs::system::SystemParam;

use crate::events::{Action, SimEvent};
use crate::geom::Point;
use crate::nav::{FlowFieldCache, SharedFields};
use crate::playback::{self, ShopperAt};
use crate::scenario::{Lane, Scenario};
use crate::store::{CellId, Store};
use arrivals::Arrivals;
use outbox::Outbox;
use queue::{LaneState, Lanes};
use rng::Streams;
use shopper::{Activity, Shopper};

/// What the phases of a tick work on: the run's setting and state, and
/// every shopper (one query by component alone, one with its entity).
/// Phases are functions over it, called in order by two systems
/// (`move_shoppers`, `settle`) after `arrivals::arrive`: bevy's dispatch of
/// a system per phase, and its fetch of a resource per part of the state,
/// cost about a fifth of a store-day.
#[derive(SystemParam)]
struct TickState<'w, 's> {
    setting: Res<'w, Setting>,
    state: ResMut<'w, RunState>,
    shoppers: Shoppers<'w, 's>,
}

/// What a run changes as it goes, besides the shoppers: one resource, so
/// a system fetches it once a tick (a resource each cost a fetch each).
#[derive(Resource)]
struct RunState {
    clock: Clock,
    /// Flow fields by target, computed as needed within the memory limit.
    nav: FlowFieldCache,
    /// Bodies per block this tick, for density-dependent walking speed.
    crowd: crowd::Crowding,
    lanes: Lanes,
    taken: stop::Taken,
    /// The stand-by spots held now (`Tables::stand_by`).
    stand_by: stand_by::Claims,
    census: Census,
    out: Outbox,
    arrivals: Arrivals,
}

/// Events a chunk handed on holds at least (`Simulation::run_to_end`).
pub const CHUNK_EVENTS: usize = 8192;
/// Room made for a chunk: its events and a busy tick's beyond them.
pub const CHUNK_CAPACITY: usize = 2 * CHUNK_EVENTS;

/// Every shopper: by component alone (`p0`), or with its entity (`p1`).
type Shoppers<'w, 's> =
    ParamSet<'w, 's, (Query<'w, 's, &'static mut Shopper>, Query<'w, 's, (Entity, &'static mut Shopper)>)>;

/// Shoppers choose where to go, companions keep up, everyone walks.
fn move_shoppers(
    mut tick: TickState,
    mut commands: Commands,
    mut leaders: Local<party::Leaders>,
    mut scratch: Local<walk::Scratch>,
) {
    decide::decide(&mut tick);
    party::follow(&mut tick, &mut leaders);
    walk::walk(&mut tick, &mut commands, &mut scratch);
}

/// What follows from where everyone now stands: looking around, shelves,
/// stops and lines; then the trace and the tick's events.
fn settle(mut tick: TickState, mut asks: Local<Vec<impulse::Ask>>) {
    impulse::perceive(&mut tick, &mut asks);
    end_dwells(&mut tick);
    checkout::checkout(&mut tick);
    outbox::trace(&mut tick);
    outbox::close_tick(&mut tick);
}

/// Shoppers whose time at a shelf (`shelf::leave_shelf`) or at a stop
/// (`stop::end_stop`) is over. One pass over everyone for both: a shopper
/// is at one or the other, and the tick's events are ordered by shopper.
fn end_dwells(tick: &mut TickState) {
    let TickState { setting, shoppers, state } = tick;
    let RunState { clock, taken, out, nav, .. } = &mut **state;
    let t = clock.t_ms;
    for mut s in &mut shoppers.p0() {
        let activity = s.activity;
        match activity {
            // Out of reach, it walks back first.
            Activity::AtShelf { until_ms, .. } if t >= until_ms && !shelf::back_to_shelf(setting, nav, &mut s) => {
                shelf::leave_shelf(setting, out, t, &mut s)
            }
            Activity::AtStop { until_ms, .. } if t >= until_ms => stop::end_stop(taken, out, t, &mut s),
            _ => {}
        }
    }
}

/// Flow-field distances are in tenths of a cell (10 a straight step, 14 a
/// diagonal one).
const FIELD_UNITS_PER_CELL: f64 = 10.0;

/// What a run is given and never changes: the scenario, the store built
/// from it, the run's random streams, and what is derived from them once.
#[derive(Resource)]
struct Setting {
    scenario: Arc<Scenario>,
    store: Arc<Store>,
    streams: Streams,
    /// Per category: its products and their popularity, for drawing lists.
    category_products: Vec<(Vec<u32>, Vec<f64>)>,
    /// Per segment: the weight of each category in what it plans and
    /// browses (its mission, or the categories' `list_weight`).
    category_weights: Vec<Vec<f64>>,
    /// Every desk with a line (`Scenario::desks`): the checkout lanes,
    /// then the service counters'. Lines, activities and `Lanes` know a
    /// desk by its index here.
    desks: Vec<Lane>,
    /// Per product: the service counter that sells it, if one does.
    counter_of_product: Vec<Option<u16>>,
    /// Cell at the tail end of each desk's queue line.
    lane_tails: Vec<CellId>,
    /// What is tabled from the layout alone, shared by its runs.
    tables: Arc<Tables>,
}

/// What a run tables from its layout alone (scenario and store), the same
/// in every run of it: a sweep builds it once per layout (`Shared`).
struct Tables {
    /// Fixtures and walls by the cells they cover, for steps along a line.
    footprints: line::Footprints,
    sight: perception::Sight,
    /// Each desk's line (`Scenario::desks`), place by place
    /// (`checkout::lines`).
    lines: Vec<Vec<Point>>,
    /// Where the companions of one served at a terminal wait.
    stand_by: stand_by::Spots,
}

impl Tables {
    fn new(scenario: &Scenario, store: &Store) -> Tables {
        let desks: Vec<Lane> = scenario.desks().cloned().collect();
        let lines = checkout::lines(store, &desks.iter().collect::<Vec<_>>());
        let stand_by = stand_by::Spots::new(scenario, store, &desks, &lines);
        Tables {
            footprints: line::Footprints::new(scenario, store),
            sight: perception::Sight::new(scenario, store),
            lines,
            stand_by,
        }
    }
}

/// What the runs of one layout share, on any thread (on `Prepared`, for
/// `Simulation::sharing`): the flow fields as they are computed, and the
/// layout's tables once built. Each is what a run would derive for
/// itself, so a run sharing them logs the same events, only sooner.
pub struct Shared {
    fields: Arc<SharedFields>,
    tables: OnceLock<Arc<Tables>>,
}

impl Shared {
    /// Nothing computed yet; fields kept up to `fields_limit_bytes`.
    pub fn new(fields_limit_bytes: u64) -> Shared {
        Shared { fields: Arc::new(SharedFields::new(fields_limit_bytes)), tables: OnceLock::new() }
    }
}

impl Setting {
    fn new(scenario: Arc<Scenario>, store: Arc<Store>, streams: Streams, tables: Arc<Tables>) -> Setting {
        let list_weights: Vec<f64> = scenario.categories.iter().map(|c| c.list_weight).collect();
        let category_weights = scenario
            .population
            .segments
            .iter()
            .map(|seg| seg.category_weights.clone().unwrap_or_else(|| list_weights.clone()))
            .collect();
        let category_products = (0..scenario.categories.len())
            .map(|c| {
                // Only products lists may draw: a category of none has
                // nothing to draw (its first product stood in for it).
                let ids: Vec<u32> = scenario
                    .products
                    .iter()
                    .enumerate()
                    .filter(|(_, p)| p.category == c && p.on_lists())
                    .map(|(i, _)| i as u32)
                    .collect();
                let weights = ids.iter().map(|&i| scenario.products[i as usize].popularity).collect();
                (ids, weights)
            })
            .collect();
        let desks: Vec<Lane> = scenario.desks().cloned().collect();
        // The laid-out line's last place (the line goes on past it only when it must).
        let lane_tails = desks
            .iter()
            .zip(&tables.lines)
            .map(|(l, line)| store.cell_at(l.floor, line[l.queue_places as usize - 1]).expect("validated queue line"))
            .collect();

        let counter_of_product = scenario.counter_of_product();
        Setting {
            scenario,
            store,
            streams,
            category_products,
            category_weights,
            desks,
            counter_of_product,
            lane_tails,
            tables,
        }
    }

    /// Whether a body at `pos` on `floor` stands in a desk's line: within
    /// a body's room of one of its places or terminals.
    fn in_a_line(&self, floor: u8, pos: Point) -> bool {
        let near = |p: &Point| p.distance(pos) < 2.0 * crowd::BODY_RADIUS_M;
        self.desks
            .iter()
            .zip(&self.tables.lines)
            .any(|(d, line)| d.floor == floor && d.terminals.iter().chain(line).any(near))
    }

    /// Place `k` of desk `desk`'s line (0: the terminal's); places past
    /// the line's last stand at it.
    fn line_place(&self, desk: usize, k: usize) -> Point {
        let line = &self.tables.lines[desk];
        line[k.min(line.len() - 1)]
    }

    /// The service counter desk `desk` is, if it is one.
    fn counter(&self, desk: u16) -> Option<u16> {
        counter_of_desk(desk, self.scenario.lanes.len())
    }

    /// The desk of service counter `counter`.
    fn counter_desk(&self, counter: u16) -> u16 {
        (self.scenario.lanes.len() + counter as usize) as u16
    }
}

/// The service counter desk `desk` is, if it is one: desks are the
/// `lanes` checkout lanes, then the counters (`Scenario::desks`).
fn counter_of_desk(desk: u16, lanes: usize) -> Option<u16> {
    (desk as usize).checked_sub(lanes).map(|c| c as u16)
}

#[derive(Default)]
struct Clock {
    t_ms: u64,
    tick: u64,
}

#[derive(Default)]
struct Census {
    in_store: u32,
    spawned: u32,
}

/// Progress of a run, for progress bars.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SimProgress {
    pub t_ms: u64,
    /// The latest time the run can end.
    pub end_ms: u64,
    pub in_store: u32,
    pub arrived: u32,
}

/// Who comes on a day: a shopper's party (its leader's index) and segment
/// (an index into the scenario's segments).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Visitor {
    pub party: u32,
    pub segment: usize,
    /// Its walking pace, m/s (a companion's own, faster than its party's
    /// to catch up).
    pub speed: f64,
}

/// Every shopper of a day of `scenario` with `seed`, by shopper index: who
/// comes is drawn up front from the seed alone, the same in every variant
/// that leaves the visitors, hours and segments as they are, so a log's
/// shoppers can be told apart by segment without the log saying so.
pub fn visitors(scenario: &Scenario, seed: u64) -> Vec<Visitor> {
    arrivals::arrival_plan(scenario, &Streams::new(seed))
        .iter()
        .map(|a| Visitor { party: a.party, segment: a.segment, speed: a.speed })
        .collect()
}

/// The people of the day's arrival plan due at a tick before closing,
/// when the doors shut: everyone a day of `scenario` with `seed` brings
/// in when no doorway stays blocked. (`DayMetrics::kept_out_warning`
/// counts those who did not come in.)
pub fn planned_visitors(scenario: &Scenario, seed: u64) -> u64 {
    let tick_ms = scenario.run.tick_ms;
    let plan = arrivals::arrival_plan(scenario, &Streams::new(seed));
    plan.iter().filter(|a| a.due_ms().div_ceil(tick_ms) * tick_ms < scenario.doors_close_ms()).count() as u64
}

/// The clock checkout lanes keep: after closing, the lanes open at
/// closing time serve the last shoppers.
fn lane_clock(sc: &crate::scenario::Scenario, t_ms: u64) -> u64 {
    counter_clock(sc, t_ms).min(sc.population.close_ms.saturating_sub(1))
}

/// The clock service counters keep, the time of day: nobody joins a
/// counter's line after its hours, even those that end at closing (the
/// last shoppers need a till, not the deli).
fn counter_clock(sc: &crate::scenario::Scenario, t_ms: u64) -> u64 {
    sc.population.open_ms + t_ms
}

/// One run of a scenario with one seed.
pub struct Simulation {
    world: World,
    /// The tick's systems in order (`arrivals::arrive`, `move_shoppers`,
    /// `settle`), each run with its commands applied after it. Run
    /// directly rather than by a `Schedule`: the order is fixed, and a
    /// schedule's executor (conditions, sets, sync points) cost a few
    /// percent of a store-day for nothing.
    systems: [Box<dyn System<In = (), Out = ()>>; 3],
    tick_ms: u64,
    end_ms: u64,
    close_ms: u64,
}

impl Simulation {
    pub fn new(scenario: Arc<Scenario>, store: Arc<Store>, seed: u64) -> Simulation {
        let nav = FlowFieldCache::new(scenario.run.memory_limit_bytes);
        let tables = Arc::new(Tables::new(&scenario, &store));
        Simulation::planned(scenario, store, seed, nav, tables)
    }

    /// A run of a prepared layout that takes what its other runs computed
    /// (`Shared`: flow fields, the layout's tables) and leaves them what it
    /// computes: the run is the same as `new`'s, only faster.
    pub fn sharing(p: &crate::Prepared, seed: u64) -> Simulation {
        let nav = FlowFieldCache::sharing(p.scenario.run.memory_limit_bytes, p.shared.fields.clone());
        let tables = p.shared.tables.get_or_init(|| Arc::new(Tables::new(&p.scenario, &p.store))).clone();
        Simulation::planned(p.scenario.clone(), p.store.clone(), seed, nav, tables)
    }

    fn planned(
        scenario: Arc<Scenario>,
        store: Arc<Store>,
        seed: u64,
        nav: FlowFieldCache,
        tables: Arc<Tables>,
    ) -> Simulation {
        let streams = Streams::new(seed);
        let plan = arrivals::arrival_plan(&scenario, &streams);
        Simulation::with_plan(scenario, store, streams, plan, nav, tables)
    }

    /// A crowd placed at once instead of the day's arrivals: a shopper of
    /// the first segment at each of `starts` on the ground floor at
    /// opening, each on its own (for crowd benchmarks: with nothing to buy,
    /// everyone walks to the nearest exit). Fails naming a start that is
    /// not on walkable floor.
    pub fn placed(
        scenario: Arc<Scenario>,
        store: Arc<Store>,
        seed: u64,
        starts: &[crate::geom::Point],
    ) -> Result<Simulation, String> {
        let plan = arrivals::placed_plan(&scenario, &store, starts)?;
        let nav = FlowFieldCache::new(scenario.run.memory_limit_bytes);
        let tables = Arc::new(Tables::new(&scenario, &store));
        Ok(Simulation::with_plan(scenario, store, Streams::new(seed), plan, nav, tables))
    }

    fn with_plan(
        scenario: Arc<Scenario>,
        store: Arc<Store>,
        streams: Streams,
        plan: Vec<arrivals::Arrival>,
        nav: FlowFieldCache,
        tables: Arc<Tables>,
    ) -> Simulation {
        let close_ms = scenario.population.close_ms - scenario.population.open_ms;
        let end_ms = scenario.hard_end_ms();
        let mut world = World::new();
        world.insert_resource(RunState {
            clock: Clock::default(),
            nav,
            crowd: crowd::Crowding::new(&store),
            lanes: Lanes(scenario.desks().map(|l| LaneState::new(l.terminals.len())).collect()),
            taken: stop::Taken(vec![false; store.stops.len()]),
            stand_by: stand_by::Claims::default(),
            census: Census::default(),
            out: Outbox::default(),
            arrivals: Arrivals::new(plan),
        });
        let tick_ms = scenario.run.tick_ms;
        world.insert_resource(Setting::new(scenario, store, streams, tables));
        let mut systems: [Box<dyn System<In = (), Out = ()>>; 3] = [
            Box::new(IntoSystem::into_system(arrivals::arrive)),
            Box::new(IntoSystem::into_system(move_shoppers)),
            Box::new(IntoSystem::into_system(settle)),
        ];
        for system in &mut systems {
            system.initialize(&mut world);
        }
        Simulation { world, systems, tick_ms, end_ms, close_ms }
    }

    /// Advances one tick; returns `false` once everyone has left after closing.
    pub fn step(&mut self) -> bool {
        if self.finished() {
            return false;
        }
        // Spawns (arrivals) and despawns (exits) apply between the systems.
        // Most ticks let nobody in: `arrive` is not dispatched on those.
        let skip = usize::from(!self.arrival_due());
        for system in &mut self.systems[skip..] {
            system.run((), &mut self.world).expect("the tick's systems take no failing parameters");
        }
        self.world.check_change_ticks();
        self.end_tick();
        true
    }

    /// At the hard end of the run whoever is inside leaves (`force_out`).
    /// With nobody in the store, nothing happens until the next party
    /// arrives (or, once all have come, until closing): the clock goes
    /// straight to that tick. (An empty tick changes nothing but the
    /// clock; the early and late hours of a day are mostly empty.)
    fn end_tick(&mut self) {
        let (tick_ms, close_ms) = (self.tick_ms, self.close_ms);
        let RunState { clock, census, arrivals, .. } = &mut *self.world.resource_mut::<RunState>();
        if clock.t_ms >= self.end_ms {
            self.force_out();
            return;
        }
        if census.in_store > 0 {
            return;
        }
        let until_ms = arrivals.next_ms().unwrap_or(close_ms);
        let tick = until_ms.div_ceil(tick_ms);
        if tick > clock.tick {
            clock.tick = tick;
            clock.t_ms = tick * tick_ms;
        }
    }

    fn state(&self) -> &RunState {
        self.world.resource::<RunState>()
    }

    /// Whether someone is due to come in by now (the doorway may still keep them out).
    fn arrival_due(&self) -> bool {
        let state = self.state();
        state.arrivals.next_may_come(state.clock.t_ms, self.close_ms)
    }

    fn finished(&self) -> bool {
        let state = self.state();
        // The doors shut at closing: whoever is still outside stays out
        // (but for the rest of a party whose leader came in).
        state.clock.t_ms >= self.close_ms && state.census.in_store == 0 && !state.arrivals.party_outside()
    }

    /// At the hard end of the run, whoever is still inside leaves at once;
    /// a shopper in a queue abandons the basket, one at a stop ends it.
    fn force_out(&mut self) {
        let t = self.state().clock.t_ms;
        let lanes = self.world.resource::<Setting>().scenario.lanes.len();
        let mut out = Outbox::default();
        let mut query = self.world.query::<(Entity, &mut Shopper)>();
        let mut gone = Vec::new();
        for (e, mut s) in query.iter_mut(&mut self.world) {
            if s.activity == Activity::Gone {
                continue;
            }
            if let Some(desk) = s.queueing_at() {
                let action = match counter_of_desk(desk, lanes) {
                    Some(counter) => {
                        let (qty, amount_cents) = s.order_total();
                        Action::CounterLeave { counter, qty, amount_cents }
                    }
                    None => {
                        let (qty, amount_cents) = s.basket_total();
                        Action::Abandon { lane: desk, qty, amount_cents }
                    }
                };
                out.emit(t, &s, action);
            }
            // (A stop cut short is still a stop: the fold counts it at its end.)
            if let Activity::AtStop { fixture, .. } = s.activity {
                out.emit(t, &s, Action::StopEnd { fixture });
            }
            if s.zone.is_some() {
                out.emit(t, &s, Action::ZoneExit);
            }
            out.emit(t, &s, Action::Exit);
            s.activity = Activity::Gone;
            gone.push(e);
        }
        for e in gone {
            self.world.despawn(e);
        }
        let mut state = self.world.resource_mut::<RunState>();
        state.census.in_store = 0;
        state.arrivals.next = state.arrivals.plan.len();
        state.out.tick = out.tick;
        state.out.flush_tick();
    }

    /// Moves the events of finished ticks into `out`, in `seq` order.
    pub fn drain_events(&mut self, out: &mut Vec<SimEvent>) {
        out.append(&mut self.world.resource_mut::<RunState>().out.ready);
    }

    pub fn progress(&self) -> SimProgress {
        let RunState { clock, census, .. } = self.state();
        SimProgress { t_ms: clock.t_ms, end_ms: self.end_ms, in_store: census.in_store, arrived: census.spawned }
    }

    /// Everyone in the store now, by shopper index, as a viewer draws them:
    /// where each stands (at the log's precision), on which floor, doing
    /// what; a companion shows its leader's line, service or way out, as
    /// `playback` does. Riders show where they boarded.
    pub fn shoppers(&mut self) -> Vec<ShopperAt> {
        let lanes = self.world.resource::<Setting>().scenario.lanes.len();
        let mut query = self.world.query::<(Entity, &Shopper)>();
        let own: HashMap<Entity, playback::Activity> =
            query.iter(&self.world).map(|(e, s)| (e, s.seen_activity(lanes))).collect();
        let mut seen: Vec<ShopperAt> = query
            .iter(&self.world)
            .filter(|(_, s)| s.activity != Activity::Gone)
            .map(|(_, s)| {
                let leader = s.leader.and_then(|l| own.get(&l).copied());
                let activity = s.seen_activity(lanes).with_leader(leader);
                ShopperAt {
                    shopper: s.index,
                    party: s.party,
                    x: s.pos.x as f32,
                    y: s.pos.y as f32,
                    floor: s.floor,
                    activity,
                }
            })
            .collect();
        seen.sort_by_key(|v| v.shopper);
        seen
    }

    /// Flow fields computed so far and the bytes the cache holds.
    pub fn nav_stats(&self) -> (u64, u64) {
        let nav = &self.state().nav;
        (nav.computed(), nav.bytes())
    }

    /// Runs to the end, handing events to `sink` in chunks of at least
    /// `CHUNK_EVENTS` and reporting progress about once per simulated
    /// minute.
    pub fn run_to_end(&mut self, mut sink: impl FnMut(&mut Vec<SimEvent>), mut progress: impl FnMut(SimProgress)) {
        const REPORT_EVERY_MS: u64 = 60_000;
        let mut buf = Vec::with_capacity(CHUNK_CAPACITY);
        let report_every = (REPORT_EVERY_MS / self.world.resource::<Setting>().scenario.run.tick_ms).max(1);
        let mut ticks = 0u64;
        while self.step() {
            self.drain_events(&mut buf);
            if buf.len() >= CHUNK_EVENTS {
                sink(&mut buf);
                buf.clear();
                // A sink that keeps the chunk leaves nothing: room for the
                // next is made once, not grown into.
                buf.reserve(CHUNK_CAPACITY);
            }
            ticks += 1;
            if ticks.is_multiple_of(report_every) {
                progress(self.progress());
            }
        }
        self.drain_events(&mut buf);
        if !buf.is_empty() {
            sink(&mut buf);
        }
        progress(self.progress());
    }
}
