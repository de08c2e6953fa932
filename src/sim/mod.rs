//! The simulation: shoppers on bevy_ecs, one single-threaded schedule with
//! an explicit system order. Its only output is `SimEvent`s; it does no IO
//! and cannot fail once built from a validated scenario and store.
//!
//! A tick runs: arrive → decide → follow → walk → perceive → shelf → checkout → trace → close_tick.
//! Events emitted during a tick are ordered by (shopper, emission order)
//! before they get their `seq`, so the log's order does not depend on the
//! order in which the ECS visits entities.

pub mod crowd;
pub mod perception;
pub mod rng;

use std::collections::VecDeque;
use std::sync::Arc;

use bevy_ecs::prelude::*;
use bevy_ecs::schedule::{LogLevel, ScheduleBuildSettings, SingleThreadedExecutor};
use rand::RngExt;
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, Exp, LogNormal, Normal, Poisson};

use crate::events::{Action, SimEvent};
use crate::geom::Point;
use crate::nav::{FlowField, FlowFieldCache, Step, UNREACHABLE, next_step};
use crate::scenario::{DWELL_SIGMA, QUEUE_SPACING_M, Scenario, ServiceDistribution, ServiceModel};
use crate::store::{CellId, Stand, Store};
use rng::{Purpose, Streams};

/// The static world a run takes place in.
#[derive(Resource)]
struct World0 {
    scenario: Arc<Scenario>,
    store: Arc<Store>,
    streams: Streams,
    /// Per category: cumulative product weights, for drawing lists.
    category_products: Vec<(Vec<u32>, Vec<f64>)>,
    category_weights: Vec<f64>,
    /// Cell at the tail end of each lane's queue line.
    lane_tails: Vec<CellId>,
    sight: perception::Sight,
}

#[derive(Resource)]
struct Nav(FlowFieldCache);

#[derive(Resource, Default)]
struct Clock {
    t_ms: u64,
    tick: u64,
}

/// Everyone who will come, in order: shopper `i` is `plan[i]`.
#[derive(Resource)]
struct Arrivals {
    plan: Vec<Arrival>,
    next: usize,
    /// The entity of the party leader who came in last, for the companions behind.
    leader: Option<(u32, Entity)>,
}

/// One shopper's arrival: a party's leader comes first, its companions
/// right behind (same time, segment and door).
#[derive(Debug, Clone, Copy)]
struct Arrival {
    t_ms: u64,
    /// The index of the party's leader (the shopper's own when leading).
    party: u32,
    segment: usize,
    entrance: usize,
    /// Walking speed: a party walks at its slowest member's pace, and
    /// companions hurry a little to keep up.
    speed: f64,
}

#[derive(Resource, Default)]
struct Outbox {
    tick: Vec<SimEvent>,
    ready: Vec<SimEvent>,
    next_seq: u64,
}

impl Outbox {
    fn emit(&mut self, t_ms: u64, s: &Shopper, action: Action) {
        // For zone events `s.zone` is the zone entered or (still) being left.
        self.tick.push(SimEvent {
            seq: 0,
            t_ms,
            shopper: s.index,
            x: s.pos.x as f32,
            y: s.pos.y as f32,
            floor: s.floor,
            zone: s.zone,
            action,
        });
    }
}

#[derive(Resource, Default)]
struct Lanes(Vec<LaneState>);

#[derive(Default)]
struct LaneState {
    /// Waiting shoppers and their item counts, front first.
    queue: VecDeque<(Entity, u32)>,
    /// Who is at each terminal (a staffed lane's till is its one terminal).
    terminals: Vec<Terminal>,
    /// Shoppers walking to this lane and their expected seconds of work:
    /// others see them coming and count them.
    heading: u32,
    heading_s: f64,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Terminal {
    Free,
    /// Called from the front of the line and walking over, with the
    /// expected seconds of work.
    Called {
        shopper: Entity,
        work_s: f64,
    },
    Serving {
        shopper: Entity,
        until_ms: u64,
        work_s: f64,
    },
}

impl LaneState {
    fn new(terminals: usize) -> LaneState {
        LaneState { terminals: vec![Terminal::Free; terminals], ..LaneState::default() }
    }

    /// Expected seconds of work at the terminals.
    fn serving_s(&self) -> f64 {
        self.terminals
            .iter()
            .map(|t| match *t {
                Terminal::Free => 0.0,
                Terminal::Called { work_s, .. } | Terminal::Serving { work_s, .. } => work_s,
            })
            .sum()
    }

    /// Shoppers a newcomer sees per terminal: at the terminals, queued and
    /// on their way.
    fn load(&self) -> f64 {
        let busy = self.terminals.iter().filter(|t| **t != Terminal::Free).count();
        (self.queue.len() + busy + self.heading as usize) as f64 / self.terminals.len() as f64
    }

    /// Expected seconds before a newcomer at the end of the line is
    /// served: the work ahead, shared by the terminals.
    fn work_ahead_s(&self, lane: &crate::scenario::Lane) -> f64 {
        let queued: f64 = self.queue.iter().map(|(_, items)| lane.service.mean_s(*items)).sum();
        (queued + self.serving_s()) / self.terminals.len() as f64
    }

    fn head_here(&mut self, work_s: f64) {
        self.heading += 1;
        self.heading_s += work_s;
    }

    fn arrive_here(&mut self, work_s: f64) {
        self.heading -= 1;
        self.heading_s = (self.heading_s - work_s).max(0.0);
    }
}

/// Shoppers per block this tick, for density-dependent walking speed.
#[derive(Resource)]
struct Crowd(crowd::Crowding);

#[derive(Resource, Default)]
struct Census {
    in_store: u32,
    spawned: u32,
}

#[derive(Component)]
struct Shopper {
    index: u32,
    /// The index of the party's leader (the shopper's own when leading).
    party: u32,
    /// For a companion: the leader it shops with (who holds the basket).
    leader: Option<Entity>,
    segment: usize,
    speed: f64,
    patience_ms: u64,
    pos: Point,
    floor: u8,
    cell: CellId,
    zone: Option<u16>,
    /// When the shopper last changed zone (see `update_zone`).
    zone_since_ms: u64,
    /// Planned products not yet looked for.
    list: Vec<u32>,
    /// Products noticed and wanted on impulse, not yet fetched.
    impulse: Vec<u32>,
    /// Shelves to look at without meaning to buy (browsing).
    browse: Vec<u32>,
    /// Products already noticed or passed over this visit.
    considered: Vec<u32>,
    /// Places (product, placement) where a planned product was looked for
    /// in vain.
    searched: Vec<(u32, u16)>,
    /// Walking direction (unit vector) and where the shopper was at the last look.
    heading: (f64, f64),
    looked_from: Point,
    notice_rng: ChaCha8Rng,
    /// Products in the basket with their price in cents.
    basket: Vec<(u32, i64)>,
    shelf_rng: ChaCha8Rng,
    checkout_rng: ChaCha8Rng,
    activity: Activity,
    route: Option<Route>,
    riding: Option<Ride>,
    /// Since when someone has been in the way, if they are, and how far
    /// from its goal (flow-field units) the shopper was then: stepping
    /// aside and back is no way out, so only getting nearer than that ends
    /// the wait.
    blocked_since_ms: Option<u64>,
    blocked_at: u32,
    /// The direction the shopper last wanted to step in (unit vector).
    wish: (f64, f64),
}

#[derive(Clone)]
struct Route {
    field: FlowField,
    goal: CellId,
    point: Point,
}

struct Ride {
    until_ms: u64,
    to: CellId,
}

/// Why a shopper walks to a shelf.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Intent {
    /// On the shopping list.
    Planned,
    /// Noticed on the way and wanted.
    Impulse,
    /// Just to look; bought only if it tempts.
    Browse,
}

/// Browse stops of a segment with `browsing = 1` (Poisson mean).
const BROWSE_STOPS: f64 = 5.0;

/// Mean seconds to find a planned product at a shelf of findability 1
/// (eye level, ample facings); search times are exponential with mean
/// `SEARCH_MEAN_S / findability`, so a single facing on the floor shelf
/// takes about four times as long. A modelling choice: with 20 s of
/// patience, 9% of searches there fail and 0.2% on the grocery.
const SEARCH_MEAN_S: f64 = 2.0;

/// Whether a planned search ends before it is found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Search {
    Found,
    GivenUp,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Activity {
    Deciding,
    /// Walking to the `placement`-th place of `product`.
    ToShelf {
        product: u32,
        placement: u16,
        intent: Intent,
    },
    AtShelf {
        product: u32,
        placement: u16,
        until_ms: u64,
        intent: Intent,
        search: Search,
    },
    /// Walking to a lane's queue with this much expected work; `joined_ms`
    /// is set when switching from another lane's queue (the wait goes on).
    ToLane {
        lane: u16,
        work_s: f64,
        joined_ms: Option<u64>,
    },
    Queued {
        lane: u16,
        since_ms: u64,
    },
    Served {
        lane: u16,
    },
    ToExit,
    /// A companion shopping with its leader.
    Companion(Company),
    Gone,
}

/// What a companion is doing with its leader.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Company {
    /// Walking after the leader, the leader's way.
    Following,
    /// Close behind the leader: standing by.
    Beside,
    /// Standing in the checkout line with the leader.
    InLine,
}

impl Shopper {
    /// The list of products wanted with `intent`.
    fn wanted_mut(&mut self, intent: Intent) -> &mut Vec<u32> {
        match intent {
            Intent::Planned => &mut self.list,
            Intent::Impulse => &mut self.impulse,
            Intent::Browse => &mut self.browse,
        }
    }

    /// Draws for this shopper at `product`'s shelf: a stretch of the shelf
    /// stream chosen by the product, so the same shopper makes the same
    /// choices about a product whatever order a layout makes them visit in.
    fn shelf_draws(&self, product: u32) -> ChaCha8Rng {
        let mut rng = self.shelf_rng.clone();
        rng.set_word_pos(product as u128 * 64);
        rng
    }

    /// On the way somewhere (to a shelf, a lane or the exit).
    fn is_walking(&self) -> bool {
        matches!(
            self.activity,
            Activity::ToShelf { .. }
                | Activity::ToLane { .. }
                | Activity::ToExit
                | Activity::Companion(Company::Following)
        )
    }

    /// The shopper's body as the crowd sees it at `t_ms`.
    fn body(&self, entity: Entity, t_ms: u64) -> crowd::Body {
        let wish = if self.is_walking() { self.wish } else { (0.0, 0.0) };
        let gives_way = self.activity == Activity::Companion(Company::Beside);
        let goal = self.route.as_ref().filter(|_| self.is_walking()).map(|r| r.goal);
        let stalled = self.blocked_for(t_ms, STANDOFF_MS);
        crowd::Body { shopper: self.index, party: self.party, entity, at: self.pos, wish, goal, gives_way, stalled }
    }

    /// Whether someone has been in the shopper's way for at least `ms`.
    fn blocked_for(&self, t_ms: u64, ms: u64) -> bool {
        self.blocked_since_ms.is_some_and(|since| t_ms - since >= ms)
    }

    /// How the shopper's body takes up floor; `None` off the floor (riding, gone).
    fn solidity(&self) -> Option<crowd::Solidity> {
        match self.activity {
            Activity::Gone => None,
            _ if self.riding.is_some() => None,
            _ if self.queueing_at().is_some() || self.activity == Activity::Companion(Company::InLine) => {
                Some(crowd::Solidity::Queueing)
            }
            _ => Some(crowd::Solidity::Solid),
        }
    }

    /// The lane whose line the shopper is in (queued, being served, or
    /// switching lines).
    fn queueing_at(&self) -> Option<u16> {
        match self.activity {
            Activity::Queued { lane, .. }
            | Activity::Served { lane }
            | Activity::ToLane { lane, joined_ms: Some(_), .. } => Some(lane),
            _ => None,
        }
    }

    /// Wants `product` on impulse: it goes on the impulse list, and one on
    /// the way to a shelf puts that target back and plans again (a detour);
    /// one at a shelf fetches it next.
    fn want_on_impulse(&mut self, product: u32) {
        if let Activity::ToShelf { product: p, intent, .. } = self.activity {
            self.wanted_mut(intent).push(p);
            self.route = None;
            self.activity = Activity::Deciding;
        }
        self.impulse.push(product);
    }

    /// Waiting in a checkout line or at its till.
    fn in_line(&self) -> bool {
        matches!(self.activity, Activity::Queued { .. } | Activity::Served { .. })
    }

    /// Takes `product` on impulse straight into the basket.
    fn grab(&mut self, out: &mut Outbox, t_ms: u64, product: u32, price_cents: i64) {
        out.emit(t_ms, self, Action::Pick { product, qty: 1, amount_cents: price_cents, planned: false });
        self.basket.push((product, price_cents));
    }

    /// Whether `product` is already wanted, being fetched or in the basket.
    fn has_in_mind(&self, product: u32) -> bool {
        self.list.contains(&product)
            || self.impulse.contains(&product)
            || self.basket.iter().any(|(p, _)| *p == product)
            || matches!(self.activity, Activity::ToShelf { product: p, .. } | Activity::AtShelf { product: p, .. } if p == product)
    }

    /// The outcome of looking for `product` at its `placement`-th place, a
    /// shelf of `findability`: given up if the exponential search time
    /// exceeds the patience, drawn from the product's stretch of the shelf
    /// stream (past the dwell and pick draws; two words per place, the
    /// eighth and later sharing the last two).
    fn search(&self, product: u32, placement: u16, findability: f64, patience_s: f64) -> Search {
        let mut rng = self.shelf_rng.clone();
        rng.set_word_pos(product as u128 * 64 + 48 + 2 * placement.min(7) as u128);
        // P(search time > patience) = exp(−patience · findability / mean).
        if rng.random::<f64>() < (-patience_s * findability / SEARCH_MEAN_S).exp() {
            Search::GivenUp
        } else {
            Search::Found
        }
    }

    fn basket_total(&self) -> (u16, i64) {
        (self.basket.len() as u16, self.basket.iter().map(|(_, c)| c).sum())
    }
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

/// One run of a scenario with one seed.
pub struct Simulation {
    world: World,
    schedule: Schedule,
    end_ms: u64,
    close_ms: u64,
}

impl Simulation {
    pub fn new(scenario: Arc<Scenario>, store: Arc<Store>, seed: u64) -> Simulation {
        let streams = Streams::new(seed);
        let plan = arrival_plan(&scenario, &streams);
        let category_weights = scenario.categories.iter().map(|c| c.list_weight).collect();
        let category_products = (0..scenario.categories.len())
            .map(|c| {
                let ids: Vec<u32> = scenario
                    .products
                    .iter()
                    .enumerate()
                    .filter(|(_, p)| p.category == c)
                    .map(|(i, _)| i as u32)
                    .collect();
                let weights = ids.iter().map(|&i| scenario.products[i as usize].popularity).collect();
                (ids, weights)
            })
            .collect();
        let lane_tails = scenario
            .lanes
            .iter()
            .map(|l| store.cell_at(l.floor, l.place(l.queue_places as usize - 1)).expect("validated queue line"))
            .collect();
        let close_ms = scenario.population.close_ms - scenario.population.open_ms;
        let end_ms = close_ms + scenario.run.drain_ms;
        let mut world = World::new();
        world.insert_resource(Nav(FlowFieldCache::new(scenario.run.memory_limit_bytes)));
        world.insert_resource(Crowd(crowd::Crowding::new(&store)));
        world.insert_resource(Lanes(scenario.lanes.iter().map(|l| LaneState::new(l.terminals.len())).collect()));
        let sight = perception::Sight::new(&scenario, &store);
        world.insert_resource(World0 {
            scenario,
            store,
            streams,
            category_products,
            category_weights,
            lane_tails,
            sight,
        });
        world.insert_resource(Clock::default());
        world.insert_resource(Arrivals { plan, next: 0, leader: None });
        world.insert_resource(Outbox::default());
        world.insert_resource(Census::default());
        let mut schedule = Schedule::default();
        schedule.set_executor(SingleThreadedExecutor::new());
        schedule
            .set_build_settings(ScheduleBuildSettings { ambiguity_detection: LogLevel::Error, ..Default::default() });
        schedule.add_systems((arrive, decide, follow, walk, perceive, shelf, checkout, trace, close_tick).chain());
        Simulation { world, schedule, end_ms, close_ms }
    }

    /// Advances one tick; returns `false` once everyone has left after closing.
    pub fn step(&mut self) -> bool {
        if self.finished() {
            return false;
        }
        self.schedule.run(&mut self.world);
        let t = self.world.resource::<Clock>().t_ms;
        if t >= self.end_ms {
            self.force_out();
        }
        true
    }

    fn finished(&self) -> bool {
        let clock = self.world.resource::<Clock>();
        let census = self.world.resource::<Census>();
        let arrivals = self.world.resource::<Arrivals>();
        clock.t_ms >= self.close_ms && census.in_store == 0 && arrivals.next == arrivals.plan.len()
    }

    /// At the hard end of the run, whoever is still inside leaves at once;
    /// a shopper in a queue abandons the basket.
    fn force_out(&mut self) {
        let t = self.world.resource::<Clock>().t_ms;
        let mut events = Vec::new();
        let mut query = self.world.query::<(Entity, &mut Shopper)>();
        let mut gone = Vec::new();
        for (e, mut s) in query.iter_mut(&mut self.world) {
            if s.activity == Activity::Gone {
                continue;
            }
            let mut out = Outbox::default();
            if let Some(lane) = s.queueing_at() {
                let (qty, amount_cents) = s.basket_total();
                out.emit(t, &s, Action::Abandon { lane, qty, amount_cents });
            }
            if s.zone.is_some() {
                out.emit(t, &s, Action::ZoneExit);
            }
            out.emit(t, &s, Action::Exit);
            s.activity = Activity::Gone;
            events.extend(out.tick);
            gone.push(e);
        }
        for e in gone {
            self.world.despawn(e);
        }
        self.world.resource_mut::<Census>().in_store = 0;
        let mut arrivals = self.world.resource_mut::<Arrivals>();
        arrivals.next = arrivals.plan.len();
        let mut outbox = self.world.resource_mut::<Outbox>();
        outbox.tick = events;
        flush_tick(&mut outbox);
    }

    /// Moves the events of finished ticks into `out`, in `seq` order.
    pub fn drain_events(&mut self, out: &mut Vec<SimEvent>) {
        out.append(&mut self.world.resource_mut::<Outbox>().ready);
    }

    pub fn progress(&self) -> SimProgress {
        let census = self.world.resource::<Census>();
        SimProgress {
            t_ms: self.world.resource::<Clock>().t_ms,
            end_ms: self.end_ms,
            in_store: census.in_store,
            arrived: census.spawned,
        }
    }

    /// Flow fields computed so far and the bytes the cache holds.
    pub fn nav_stats(&self) -> (u64, u64) {
        let nav = &self.world.resource::<Nav>().0;
        (nav.computed(), nav.bytes())
    }

    /// Runs to the end, handing events to `sink` in chunks and reporting
    /// progress about once per simulated minute.
    pub fn run_to_end(&mut self, mut sink: impl FnMut(&mut Vec<SimEvent>), mut progress: impl FnMut(SimProgress)) {
        let mut buf = Vec::new();
        let report_every = (60_000 / self.world.resource::<World0>().scenario.run.tick_ms).max(1);
        let mut ticks = 0u64;
        while self.step() {
            self.drain_events(&mut buf);
            if buf.len() >= 8192 {
                sink(&mut buf);
                buf.clear();
            }
            ticks += 1;
            if ticks % report_every == 0 {
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

/// Non-homogeneous Poisson arrivals of parties by thinning (Lewis &
/// Shedler 1979): candidates at the peak rate, each kept with probability
/// rate(t) / peak. `daily_visitors` counts people, as door counters do, so
/// parties come at that rate divided by the mean party size.
fn party_arrival_times(s: &Scenario, rng: &mut ChaCha8Rng) -> Vec<u64> {
    let p = &s.population;
    let open_ms = p.close_ms - p.open_ms;
    let shares: f64 = p.segments.iter().map(|g| g.share).sum();
    let party_size = p.segments.iter().map(|g| g.share * g.group_mean).sum::<f64>() / shares;
    let rates: Vec<f64> = p.hourly_profile.iter().map(|w| w * p.daily_visitors / party_size / 3_600_000.0).collect();
    let peak = rates.iter().cloned().fold(0.0, f64::max);
    if peak <= 0.0 {
        return Vec::new();
    }
    let gap = Exp::new(peak).expect("positive rate");
    let mut times = Vec::new();
    let mut t = 0.0;
    loop {
        t += gap.sample(rng);
        if t >= open_ms as f64 {
            break;
        }
        let rate = rates[((t / 3_600_000.0) as usize).min(rates.len() - 1)];
        if rng.random::<f64>() * peak < rate {
            times.push(t as u64);
        }
    }
    times
}

/// Companions walk this much faster than their party's pace, to catch up
/// after being held back.
const CATCH_UP: f64 = 1.2;

/// Everyone who comes, drawn up front. A party's leader draws its segment,
/// speed and door from its traits stream and the party's size,
/// 1 + Poisson(group_mean − 1), from its party stream; each companion
/// draws only a speed. All of it is keyed by shopper index, so it is the
/// same in every variant.
fn arrival_plan(s: &Scenario, streams: &Streams) -> Vec<Arrival> {
    let segments = &s.population.segments;
    let mut plan = Vec::new();
    for t_ms in party_arrival_times(s, &mut streams.global(Purpose::Arrivals)) {
        let leader = plan.len() as u32;
        let mut traits = streams.stream(leader, Purpose::Traits);
        let segment = pick_weighted(&mut traits, segments.iter().map(|g| g.share));
        let seg = &segments[segment];
        let speed = |traits: &mut ChaCha8Rng| {
            Normal::new(seg.speed_mean, seg.speed_sd).expect("validated").sample(traits).clamp(0.4, 2.0)
        };
        let leader_speed = speed(&mut traits);
        let entrance = traits.random_range(0..s.entrances.len());
        let companions = if seg.group_mean > 1.0 {
            let extra = Poisson::new(seg.group_mean - 1.0).expect("validated");
            extra.sample(&mut streams.stream(leader, Purpose::Party)) as u32
        } else {
            0
        };
        let speeds: Vec<f64> =
            (1..=companions).map(|k| speed(&mut streams.stream(leader + k, Purpose::Traits))).collect();
        let pace = speeds.iter().copied().fold(leader_speed, f64::min);
        plan.push(Arrival { t_ms, party: leader, segment, entrance, speed: pace });
        for own in speeds {
            plan.push(Arrival { t_ms, party: leader, segment, entrance, speed: own.max(pace * CATCH_UP) });
        }
    }
    plan
}

fn arrive(
    mut commands: Commands,
    w: Res<World0>,
    clock: Res<Clock>,
    mut arrivals: ResMut<Arrivals>,
    mut census: ResMut<Census>,
    mut crowd: ResMut<Crowd>,
    mut out: ResMut<Outbox>,
) {
    let s = &w.scenario;
    while let Some(&a) = arrivals.plan.get(arrivals.next)
        && a.t_ms <= clock.t_ms
    {
        let index = arrivals.next as u32;
        let seg = &s.population.segments[a.segment];
        let cell = w.store.entrances[a.entrance];
        // Someone standing in the doorway: the newcomer (and those behind) wait.
        if !crowd.0.is_free(cell, s.entrances[a.entrance].at) {
            break;
        }
        arrivals.next += 1;
        let leads = a.party == index;
        let (list, browse, leader) = if leads {
            let list = draw_list(&w, seg.list_mean, &mut w.streams.stream(index, Purpose::List));
            let browse = draw_browse(&w, seg.browsing, &list, &mut w.streams.stream(index, Purpose::Browse));
            (list, browse, None)
        } else {
            let leader = arrivals.leader.filter(|(p, _)| *p == a.party).map(|(_, e)| e);
            (Vec::new(), Vec::new(), Some(leader.expect("a party's leader comes in first")))
        };
        let shopper = Shopper {
            index,
            party: a.party,
            leader,
            segment: a.segment,
            speed: a.speed,
            patience_ms: (seg.patience_s * 1000.0) as u64,
            pos: s.entrances[a.entrance].at,
            floor: s.entrances[a.entrance].floor,
            cell,
            zone: w.store.zone(cell),
            zone_since_ms: clock.t_ms,
            list,
            impulse: Vec::new(),
            browse,
            considered: Vec::new(),
            searched: Vec::new(),
            heading: (0.0, 1.0),
            looked_from: s.entrances[a.entrance].at,
            notice_rng: w.streams.stream(index, Purpose::Notice),
            basket: Vec::new(),
            shelf_rng: w.streams.stream(index, Purpose::Shelf),
            checkout_rng: w.streams.stream(index, Purpose::Checkout),
            activity: if leads { Activity::Deciding } else { Activity::Companion(Company::Beside) },
            route: None,
            riding: None,
            blocked_since_ms: None,
            blocked_at: UNREACHABLE,
            wish: (0.0, 0.0),
        };
        out.emit(clock.t_ms, &shopper, Action::Enter { party: a.party });
        if shopper.zone.is_some() {
            out.emit(clock.t_ms, &shopper, Action::ZoneEnter);
        }
        census.in_store += 1;
        census.spawned += 1;
        let body = shopper.body(Entity::PLACEHOLDER, clock.t_ms);
        let entity = commands.spawn(shopper).id();
        if leads {
            arrivals.leader = Some((index, entity));
        }
        crowd.0.add(cell, crowd::Body { entity, ..body }, crowd::Solidity::Solid);
    }
}

/// A shopping list: 1 + Poisson(mean − 1) distinct products.
fn draw_list(w: &World0, mean: f64, rng: &mut ChaCha8Rng) -> Vec<u32> {
    let extra = if mean > 1.0 { Poisson::new(mean - 1.0).expect("validated").sample(rng) as usize } else { 0 };
    draw_products(w, 1 + extra, &[], rng)
}

/// Browse stops: Poisson(browsing × `BROWSE_STOPS`) products not on the list.
fn draw_browse(w: &World0, browsing: f64, list: &[u32], rng: &mut ChaCha8Rng) -> Vec<u32> {
    if browsing <= 0.0 {
        return Vec::new();
    }
    let stops = Poisson::new(browsing * BROWSE_STOPS).expect("validated").sample(rng) as usize;
    draw_products(w, stops, list, rng)
}

/// `size` distinct products not in `exclude`, each from a category drawn
/// by list weight, then a product by popularity.
fn draw_products(w: &World0, size: usize, exclude: &[u32], rng: &mut ChaCha8Rng) -> Vec<u32> {
    let size = size.min(w.scenario.products.len().saturating_sub(exclude.len()));
    let mut out = Vec::with_capacity(size);
    let mut attempts = 0;
    while out.len() < size && attempts < size * 20 {
        attempts += 1;
        let c = pick_weighted(rng, w.category_weights.iter().copied());
        let (ids, weights) = &w.category_products[c];
        if ids.is_empty() {
            continue;
        }
        let p = ids[pick_weighted(rng, weights.iter().copied())];
        if !out.contains(&p) && !exclude.contains(&p) {
            out.push(p);
        }
    }
    out
}

/// Index drawn with probability proportional to its weight.
fn pick_weighted(rng: &mut ChaCha8Rng, weights: impl Iterator<Item = f64> + Clone) -> usize {
    let total: f64 = weights.clone().sum();
    let mut u = rng.random::<f64>() * total;
    let mut last = 0;
    for (i, w) in weights.enumerate() {
        if w > 0.0 {
            last = i;
            if u < w {
                return i;
            }
            u -= w;
        }
    }
    last
}

fn decide(
    w: Res<World0>,
    clock: Res<Clock>,
    mut nav: ResMut<Nav>,
    mut lanes: ResMut<Lanes>,
    mut shoppers: Query<&mut Shopper>,
) {
    let store = &w.store;
    for mut s in &mut shoppers {
        if s.activity != Activity::Deciding {
            continue;
        }
        // Nearest-next on walking distance: the closest placement of any
        // product still wanted, planned (on the list) or picked up on impulse.
        let mut best: Option<(u32, Intent, usize, usize, Stand, FlowField)> = None;
        let turn = Circulating::new(&w.scenario, store, s.pos);
        for (intent, wanted) in [(Intent::Planned, &s.list), (Intent::Impulse, &s.impulse), (Intent::Browse, &s.browse)]
        {
            for (li, &product) in wanted.iter().enumerate() {
                for (placement, &stand) in store.stands[product as usize].iter().enumerate() {
                    if s.searched.contains(&(product, placement as u16)) {
                        continue;
                    }
                    let field = nav.0.get(store, stand.cell);
                    let d = field[s.cell as usize];
                    if d == UNREACHABLE {
                        continue;
                    }
                    let d = d.saturating_add(turn.penalty(stand.point));
                    if best.as_ref().is_none_or(|b| d < b.0) {
                        best = Some((d, intent, li, placement, stand, field));
                    }
                }
            }
        }
        if let Some((_, intent, li, placement, stand, field)) = best {
            let product = s.wanted_mut(intent).remove(li);
            s.route = Some(Route { field, goal: stand.cell, point: stand.point });
            s.activity = Activity::ToShelf { product, placement: placement as u16, intent };
            continue;
        }
        if s.basket.is_empty() {
            head_for_exit(&w, &mut nav.0, &mut s);
        } else {
            let lane = choose_lane(&w, &mut nav.0, &lanes, &s, clock.t_ms);
            head_for_lane(&w, &mut nav.0, &mut lanes, &mut s, lane, None);
        }
    }
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
            penalty: (sc.population.circulation_penalty_m / store.cell * 10.0) as u32,
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

/// Sends `s` to the tail of `lane`'s queue, counted as coming.
fn head_for_lane(
    w: &World0,
    nav: &mut FlowFieldCache,
    lanes: &mut Lanes,
    s: &mut Shopper,
    lane: usize,
    joined_ms: Option<u64>,
) {
    let l = &w.scenario.lanes[lane];
    let state = &mut lanes.0[lane];
    // The end of the line as it will be when this shopper gets there: one
    // joins a queue at its end, not at the far end of the space for it.
    let place = l.place(state.queue.len() + 1 + state.heading as usize);
    let goal = w.store.cell_at(l.floor, place).unwrap_or(w.lane_tails[lane]);
    let work_s = l.service.mean_s(s.basket.len() as u32);
    state.head_here(work_s);
    s.route = Some(Route { field: nav.get(&w.store, goal), goal, point: place });
    s.activity = Activity::ToLane { lane: lane as u16, work_s, joined_ms };
}

fn head_for_exit(w: &World0, nav: &mut FlowFieldCache, s: &mut Shopper) {
    let (field, goal) = w
        .store
        .exits
        .iter()
        .map(|&x| (nav.get(&w.store, x), x))
        .min_by_key(|(f, _)| f[s.cell as usize])
        .expect("validated: at least one exit");
    let exit = w.store.exits.iter().position(|&x| x == goal).expect("exit cell");
    s.route = Some(Route { field, goal, point: w.scenario.exits[exit].at });
    s.activity = Activity::ToExit;
}

/// The open lane with the least expected time to be served: the walk there
/// plus the work queued at it or coming, shared by its terminals.
fn choose_lane(w: &World0, nav: &mut FlowFieldCache, lanes: &Lanes, s: &Shopper, t_ms: u64) -> usize {
    let sc = &w.scenario;
    let clock = lane_clock(sc, t_ms);
    let open: Vec<usize> = (0..sc.lanes.len()).filter(|&i| sc.lanes[i].is_open_at(clock)).collect();
    let candidates = if open.is_empty() { (0..sc.lanes.len()).filter(|&i| sc.lanes[i].open).collect() } else { open };
    let candidates = if candidates.is_empty() { (0..sc.lanes.len()).collect::<Vec<_>>() } else { candidates };
    let mut best = (f64::INFINITY, candidates[0]);
    for i in candidates {
        let walk_m = nav.get(&w.store, w.lane_tails[i])[s.cell as usize] as f64 / 10.0 * w.store.cell;
        let state = &lanes.0[i];
        // Those on their way will be ahead too.
        let coming_s = state.heading_s / state.terminals.len() as f64;
        let wait = state.work_ahead_s(&sc.lanes[i]) + coming_s + walk_m / s.speed;
        if wait < best.0 {
            best = (wait, i);
        }
    }
    best.1
}

/// A companion this close to its leader (straight line, same floor: too
/// close to be on the other side of a shelf) stands by.
const COMPANION_GAP_M: f64 = 0.9;
/// A companion nearer the leader's goal than the leader, and this close,
/// waits for the leader to come.
const WAIT_AHEAD_M: f64 = 3.0;
/// A companion this close to its place beside a leader in a checkout line
/// steps into the line.
const JOIN_LINE_M: f64 = 1.5;

/// What a companion sees of its leader.
struct LeaderView {
    pos: Point,
    floor: u8,
    cell: CellId,
    route: Option<Route>,
    queueing_at: Option<u16>,
}

/// Companions keep up with their leaders. One whose leader stands in a
/// checkout line stands in it too, behind it; one next to its leader,
/// or a little ahead on the leader's way, stands by; any other walks
/// after the leader, the leader's way (its flow field, so it takes the
/// same stairs). One whose leader has left heads out too.
fn follow(
    w: Res<World0>,
    clock: Res<Clock>,
    mut nav: ResMut<Nav>,
    mut out: ResMut<Outbox>,
    mut views: Local<Vec<(Entity, Option<LeaderView>)>>,
    mut shoppers: Query<(Entity, &mut Shopper)>,
) {
    views.clear();
    for (entity, s) in shoppers.iter() {
        let (Some(leader), Activity::Companion(_), None) = (s.leader, s.activity, &s.riding) else { continue };
        let view = shoppers.get(leader).ok().filter(|(_, l)| l.activity != Activity::Gone).map(|(_, l)| LeaderView {
            pos: l.pos,
            floor: l.floor,
            cell: l.cell,
            route: l.route.clone(),
            queueing_at: l.queueing_at(),
        });
        views.push((entity, view));
    }
    let store = &w.store;
    let dt = w.scenario.run.tick_ms as f64 / 1000.0;
    for (entity, view) in views.drain(..) {
        let Ok((_, mut s)) = shoppers.get_mut(entity) else { continue };
        let Some(l) = view else {
            head_for_exit(&w, &mut nav.0, &mut s);
            continue;
        };
        if let Some(lane) = l.queueing_at
            && l.floor == s.floor
        {
            // Companions are the indices after their leader's: the k-th
            // stands k places behind it.
            let dir = w.scenario.lanes[lane as usize].queue_dir;
            let behind = QUEUE_SPACING_M * (s.index - s.party) as f64;
            let spot = l.pos.offset(dir.0 * behind, dir.1 * behind);
            let to = s.pos.towards(spot, s.speed * dt);
            let walkable = store.cell_at(s.floor, to).filter(|&c| store.is_walkable(c));
            if let Some(cell) = walkable
                && (s.activity == Activity::Companion(Company::InLine) || s.pos.distance(spot) <= JOIN_LINE_M)
            {
                s.pos = to;
                s.cell = cell;
                s.route = None;
                s.activity = Activity::Companion(Company::InLine);
                update_zone(store, &mut out, clock.t_ms, &mut s);
                continue;
            }
        }
        // The leader's way; a leader standing still is walked to (not along
        // the companion's old way: companions of one party on different
        // ways each found the other nearer its goal and swapped for ever).
        let route = l.route.unwrap_or_else(|| match s.route.take() {
            Some(r) if r.goal == l.cell => r,
            _ => Route { field: nav.0.get(store, l.cell), goal: l.cell, point: l.pos },
        });
        let apart = if l.floor == s.floor { s.pos.distance(l.pos) } else { f64::INFINITY };
        let waits_ahead = route.field[s.cell as usize] < route.field[l.cell as usize] && apart <= WAIT_AHEAD_M;
        let close = apart <= COMPANION_GAP_M || waits_ahead;
        s.activity = Activity::Companion(if close { Company::Beside } else { Company::Following });
        s.route = Some(route);
    }
}

/// Result of moving a shopper for one tick.
enum Moved {
    Walking,
    Arrived,
    Ride(usize),
    /// Passing this shopper (see `advance`): the two trade places.
    Swap(Entity),
    /// This shopper, standing by, stepped aside to `at` (in `cell`) for it.
    MadeWay {
        other: Entity,
        cell: CellId,
        at: Point,
    },
}

/// A blocked shopper this close to the shelf, the end of the line or the
/// door has arrived: it takes the product, joins the line (and closes up
/// along it) or leaves from where it stands.
const NEAR_GOAL_M: f64 = 1.0;
/// A blocked shopper steps aside to a cell up to this much farther from its
/// goal (flow-field units: two cells)...
const SIDESTEP_SLACK: u32 = 20;
/// ...and after this long blocked, anywhere free, even back, to undo a standoff.
const STANDOFF_MS: u64 = 2_000;
/// People meeting in a passage each keep to one side (here the right): a
/// step to the right counts as this much nearer the goal (flow-field units).
const KEEP_RIGHT: f64 = 10.0;
/// Two shoppers blocking each other face to face edge past each other
/// (swap places) after this long, as in the exchange rule of bidirectional
/// pedestrian cellular automata (Blue & Adler 2001, Transportation
/// Research B 35(3)); without it, counterflow in a narrow passage locks.
const SQUEEZE_PAST_MS: u64 = 500;

/// Moves `s` up to `budget` metres along its route. Steps go from cell to
/// neighbouring cell centre (diagonals only past walkable corners), so a
/// shopper is always on walkable floor; a step that would bring it within
/// two body radii of another shopper is not taken (see `sidestep`).
fn advance(store: &Store, crowd: &mut crowd::Crowding, s: &mut Shopper, mut budget: f64, t_ms: u64) -> Moved {
    let Some(route) = s.route.as_ref() else {
        return Moved::Arrived;
    };
    let solid = s.solidity() == Some(crowd::Solidity::Solid);
    for _ in 0..16 {
        let (target, arriving) = if s.cell == route.goal {
            (route.point, true)
        } else {
            match next_step(store, &route.field, s.cell) {
                Step::Walk(n) => (store.centre(n).1, false),
                Step::Ride(i) => return Moved::Ride(i),
                Step::Arrived => (route.point, true),
                Step::Stuck => return Moved::Arrived,
            }
        };
        let d = s.pos.distance(target);
        if d > 1e-9 {
            s.wish = ((target.x - s.pos.x) / d, (target.y - s.pos.y) / d);
        }
        let to = s.pos.towards(target, budget);
        let cell = store.cell_at(s.floor, to).expect("walkable target");
        if solid && crowd.blocker(s.index, cell, s.pos, to).is_some() {
            crowd.set_wish(s.index, s.cell, s.wish);
            // Past one in the way, if it is nearer the goal and gains or
            // loses nothing by it: one coming this way, standing about or
            // giving way; after a moment, or at once within a party.
            // Swapping keeps every distance that held. Both must be willing:
            // a swap that only the walker wants (two walking across each
            // other, each on its own way) is undone by the other at once,
            // and the two swap back and forth for ever.
            let (waited, standoff) = (s.blocked_for(t_ms, SQUEEZE_PAST_MS), s.blocked_for(t_ms, STANDOFF_MS));
            let (pos, party, here) = (s.pos, s.party, route.field[s.cell as usize]);
            let passable = |b: &crowd::Body| {
                let there = store.cell_at(s.floor, b.at).map(|c| route.field[c as usize]);
                let in_front = there.is_some_and(|f| f < here);
                let willing = (b.heads_for(pos) && !b.walks_to(route.goal)) || b.gives_way || b.wish == (0.0, 0.0);
                // A party standing round its leader (by a shelf, against a
                // fixture) can hem it in with nobody nearer its goal: after
                // a standoff it changes places with one beside it too.
                let beside = there.is_some_and(|f| f <= here.saturating_add(SIDESTEP_SLACK));
                (in_front && willing && (waited || b.party == party))
                    || (standoff && b.party == party && b.gives_way && beside)
            };
            if let Some(b) = crowd.blockers(s.index, cell, s.pos, to).find(passable) {
                return Moved::Swap(b.entity);
            }
            // One standing by with nothing to do steps out of the way.
            let aside = crowd
                .blockers(s.index, cell, s.pos, to)
                .filter(|b| b.gives_way)
                .find_map(|b| step_aside(store, crowd, s.floor, &b, to, budget).map(|(c, at)| (b, c, at)));
            if let Some((b, c, at)) = aside {
                let from = store.cell_at(s.floor, b.at).expect("bodies stand on the floor");
                crowd.relocate(b.shopper, from, c, at);
                return Moved::MadeWay { other: b.entity, cell: c, at };
            }
            return sidestep(store, crowd, s, target, budget, t_ms);
        }
        crowd.relocate(s.index, s.cell, cell, to);
        s.pos = to;
        s.cell = cell;
        if route.field[cell as usize] < s.blocked_at {
            s.blocked_since_ms = None;
            s.blocked_at = UNREACHABLE;
        }
        if d > budget {
            return Moved::Walking;
        }
        budget -= d;
        if arriving {
            return Moved::Arrived;
        }
        if budget <= 1e-9 {
            return Moved::Walking;
        }
    }
    Moved::Walking
}

/// Where `b`, standing in the way of a step to `step`, steps aside to: the
/// neighbouring spot up to `stride` away that takes it farthest from the
/// step, among those it may step to; `None` when it is hemmed in too.
fn step_aside(
    store: &Store,
    crowd: &crowd::Crowding,
    floor: u8,
    b: &crowd::Body,
    step: Point,
    stride: f64,
) -> Option<(CellId, Point)> {
    let cell = store.cell_at(floor, b.at)?;
    let mut best: Option<(f64, CellId, Point)> = None;
    store.for_each_step(cell, |n, _| {
        let to = b.at.towards(store.centre(n).1, stride);
        let Some(c) = store.cell_at(floor, to) else { return };
        let away = to.distance(step);
        if away > b.at.distance(step) && best.is_none_or(|x| away > x.0) && crowd.may_step(b.shopper, c, b.at, to) {
            best = Some((away, c, to));
        }
    });
    best.map(|(_, c, at)| (c, at))
}

/// Someone is in the way of the step towards `ahead`. Near the shelf or the
/// door the shopper has arrived; otherwise it steps towards the neighbouring
/// cell nearest its goal (keeping right) that it can step towards, if one is
/// at most `SIDESTEP_SLACK` farther (any, after `STANDOFF_MS`), and else waits.
fn sidestep(
    store: &Store,
    crowd: &mut crowd::Crowding,
    s: &mut Shopper,
    ahead: Point,
    budget: f64,
    t_ms: u64,
) -> Moved {
    let route = s.route.as_ref().expect("walking shoppers have a route");
    // (One joining a line then walks along it, so nothing may stand between.)
    // (Same floor: a shopper upstairs above a ground-floor line is not in it.)
    if matches!(s.activity, Activity::ToShelf { .. } | Activity::ToLane { .. } | Activity::ToExit)
        && store.centre(route.goal).0 == s.floor
        && s.pos.distance(route.point) <= NEAR_GOAL_M
        && store.first_blocked(s.floor, s.pos, route.point).is_none()
    {
        return Moved::Arrived;
    }
    s.blocked_since_ms.get_or_insert(t_ms);
    s.blocked_at = s.blocked_at.min(route.field[s.cell as usize]);
    let standoff = s.blocked_for(t_ms, STANDOFF_MS);
    let slack = if standoff { UNREACHABLE } else { SIDESTEP_SLACK };
    let limit = route.field[s.cell as usize].saturating_add(slack);
    let forward = (ahead.x - s.pos.x, ahead.y - s.pos.y);
    let right = {
        let len = forward.0.hypot(forward.1).max(1e-9);
        (forward.1 / len, -forward.0 / len)
    };
    let score = |field: u32, at: Point| {
        let (dx, dy) = (at.x - s.pos.x, at.y - s.pos.y);
        let rightward = (dx * right.0 + dy * right.1) / dx.hypot(dy).max(1e-9);
        field as f64 - KEEP_RIGHT * rightward
    };
    // Hemmed in on every side after a standoff, a shopper trades places
    // with one beside it who stands about or is stalled too (not on the
    // same way: that gains the pair nothing), so no ring of bodies locks.
    let yields = |b: &crowd::Body| {
        let there = store.cell_at(s.floor, b.at).map_or(UNREACHABLE, |c| route.field[c as usize]);
        let willing = b.gives_way || b.wish == (0.0, 0.0) || (b.stalled && !b.walks_to(route.goal));
        (willing && there <= route.field[s.cell as usize].saturating_add(SIDESTEP_SLACK)).then_some(there)
    };
    let mut best: Option<(f64, CellId, Point)> = None;
    let mut trade: Option<(f64, Entity)> = None;
    store.for_each_step(s.cell, |n, _| {
        let f = route.field[n as usize];
        if f == UNREACHABLE || f > limit {
            return;
        }
        let centre = store.centre(n).1;
        let here = score(f, centre);
        if best.is_some_and(|b| b.0 <= here) {
            return;
        }
        let to = s.pos.towards(centre, budget);
        let cell = store.cell_at(s.floor, to).expect("walkable neighbour");
        if to == s.pos {
            return;
        }
        if crowd.may_step(s.index, cell, s.pos, to) {
            best = Some((here, cell, to));
        } else if standoff {
            for b in crowd.blockers(s.index, cell, s.pos, to) {
                if let Some(there) = yields(&b) {
                    let swap = score(there, b.at);
                    if trade.is_none_or(|t| swap < t.0) {
                        trade = Some((swap, b.entity));
                    }
                }
            }
        }
    });
    match (best, trade) {
        (Some((_, cell, to)), _) => {
            crowd.relocate(s.index, s.cell, cell, to);
            s.pos = to;
            s.cell = cell;
            Moved::Walking
        }
        (None, Some((_, other))) => Moved::Swap(other),
        (None, None) => Moved::Walking,
    }
}

/// Two shoppers trade places (each has room where the other stood, since
/// their bodies just traded spots).
fn swap_places(
    store: &Store,
    crowd: &mut crowd::Crowding,
    out: &mut Outbox,
    t_ms: u64,
    a: &mut Shopper,
    b: &mut Shopper,
) {
    let (a_at, a_cell, b_at, b_cell) = (a.pos, a.cell, b.pos, b.cell);
    crowd.relocate(a.index, a_cell, b_cell, b_at);
    crowd.relocate(b.index, b_cell, a_cell, a_at);
    (a.pos, a.cell, b.pos, b.cell) = (b_at, b_cell, a_at, a_cell);
    (a.blocked_since_ms, a.blocked_at) = (None, UNREACHABLE);
    (b.blocked_since_ms, b.blocked_at) = (None, UNREACHABLE);
    update_zone(store, out, t_ms, a);
    update_zone(store, out, t_ms, b);
}

/// How far from a connector's landing one arriving may step off, in cells.
const LANDING_REACH_CELLS: usize = 6;

/// The free cell nearest `landing` (itself first) by steps across walkable
/// floor, up to `LANDING_REACH_CELLS` away.
fn landing(store: &Store, crowd: &crowd::Crowding, landing: CellId) -> Option<CellId> {
    let mut ring = vec![landing];
    let mut seen = vec![landing];
    for _ in 0..=LANDING_REACH_CELLS {
        if let Some(&free) = ring.iter().find(|&&c| crowd.is_free(c, store.centre(c).1)) {
            return Some(free);
        }
        let mut next = Vec::new();
        for &c in &ring {
            store.for_each_step(c, |n, _| {
                if !seen.contains(&n) {
                    seen.push(n);
                    next.push(n);
                }
            });
        }
        ring = next;
    }
    None
}

/// A shopper stays in a zone at least this long before it is logged
/// entering another: a body shuffling on a zone boundary would otherwise
/// enter and leave every tick. The zone catches up at the next position
/// sample at the latest (see `trace`).
const ZONE_MIN_DWELL_MS: u64 = 1_000;

/// Emits zone exit/enter events if the shopper's cell is in another zone
/// and it has been in its zone for `ZONE_MIN_DWELL_MS`.
fn update_zone(store: &Store, out: &mut Outbox, t_ms: u64, s: &mut Shopper) {
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

fn walk(
    mut commands: Commands,
    w: Res<World0>,
    clock: Res<Clock>,
    mut nav: ResMut<Nav>,
    mut lanes: ResMut<Lanes>,
    mut census: ResMut<Census>,
    mut crowd: ResMut<Crowd>,
    mut out: ResMut<Outbox>,
    mut order: Local<Vec<Entity>>,
    mut shoppers: Query<(Entity, &mut Shopper)>,
) {
    let store = &w.store;
    let dt = w.scenario.run.tick_ms as f64 / 1000.0;
    let t = clock.t_ms;
    // File every body afresh (checkout moved the queues; some shoppers
    // joined or left one), noting the order to move them in: a swap needs
    // two shoppers at once, so they are fetched by entity.
    crowd.0.clear();
    order.clear();
    for (entity, s) in shoppers.iter() {
        order.push(entity);
        if let Some(solidity) = s.solidity() {
            crowd.0.add(s.cell, s.body(entity, t), solidity);
        }
    }
    for &entity in order.iter() {
        let Ok((_, mut s)) = shoppers.get_mut(entity) else { continue };
        if let Some(ride) = &s.riding {
            // Off the ride once it is over, onto the landing or the free
            // floor nearest it: a crowd waiting to board round the landing
            // must not keep those arriving from stepping off.
            if t < ride.until_ms {
                continue;
            }
            let Some(to) = landing(store, &crowd.0, ride.to) else { continue };
            let (floor, centre) = store.centre(to);
            s.floor = floor;
            s.pos = centre;
            s.cell = to;
            s.riding = None;
            crowd.0.add(to, s.body(entity, t), crowd::Solidity::Solid);
            update_zone(store, &mut out, t, &mut s);
        }
        if !s.is_walking() {
            continue;
        }
        let budget = s.speed * dt * crowd::weidmann_factor(crowd.0.density(s.cell));
        let moved = advance(store, &mut crowd.0, &mut s, budget, t);
        update_zone(store, &mut out, t, &mut s);
        match moved {
            Moved::Walking => {}
            Moved::MadeWay { other, cell, at } => {
                drop(s);
                let Ok((_, mut b)) = shoppers.get_mut(other) else { continue };
                (b.pos, b.cell) = (at, cell);
                update_zone(store, &mut out, t, &mut b);
            }
            Moved::Swap(other) => {
                drop(s);
                let [(_, mut a), (_, mut b)] = shoppers.get_many_mut([entity, other]).expect("two shoppers");
                swap_places(store, &mut crowd.0, &mut out, t, &mut a, &mut b);
            }
            Moved::Ride(i) => {
                let link = store.connectors[i];
                let to = if link.from == s.cell { link.to } else { link.from };
                crowd.0.remove(s.index, s.cell);
                // Boarding leaves the floor, and with it the zone.
                if s.zone.is_some() {
                    out.emit(t, &s, Action::ZoneExit);
                    s.zone = None;
                    s.zone_since_ms = t;
                }
                s.riding = Some(Ride { until_ms: t + link.traversal_ms, to });
            }
            Moved::Arrived => {
                s.route = None;
                (s.blocked_since_ms, s.blocked_at) = (None, UNREACHABLE);
                match s.activity {
                    Activity::ToShelf { product, placement, intent } => {
                        let seg = &w.scenario.population.segments[s.segment];
                        let mut dwell = LogNormal::new(seg.dwell_median_s.ln(), DWELL_SIGMA)
                            .expect("validated")
                            .sample(&mut s.shelf_draws(product))
                            .min(seg.longest_dwell_s());
                        // A planned product has to be found on the shelf; one
                        // not found in time is given up after the search.
                        let search = if intent == Intent::Planned {
                            let pl = &w.scenario.products[product as usize].placements[placement as usize];
                            s.search(
                                product,
                                placement,
                                perception::findability(pl.level, pl.facings),
                                seg.search_patience_s,
                            )
                        } else {
                            Search::Found
                        };
                        match search {
                            Search::GivenUp => dwell = seg.search_patience_s,
                            // An impulse target was viewed when it was noticed.
                            Search::Found if intent != Intent::Impulse => out.emit(t, &s, Action::View { product }),
                            Search::Found => {}
                        }
                        if !s.considered.contains(&product) {
                            s.considered.push(product);
                        }
                        s.activity = Activity::AtShelf {
                            product,
                            placement,
                            until_ms: t + (dwell * 1000.0) as u64,
                            intent,
                            search,
                        };
                    }
                    Activity::ToLane { lane, work_s, joined_ms } => {
                        let state = &mut lanes.0[lane as usize];
                        state.arrive_here(work_s);
                        // Balking: a line that looks longer than the shopper's
                        // patience is not joined; the basket is left behind.
                        let ahead_s = state.work_ahead_s(&w.scenario.lanes[lane as usize]);
                        if joined_ms.is_none() && ahead_s * 1000.0 > s.patience_ms as f64 {
                            let (qty, amount_cents) = s.basket_total();
                            out.emit(t, &s, Action::Abandon { lane, qty, amount_cents });
                            s.basket.clear();
                            head_for_exit(&w, &mut nav.0, &mut s);
                            continue;
                        }
                        // A shopper switching lanes joined a queue already.
                        if joined_ms.is_none() {
                            out.emit(t, &s, Action::QueueJoin { lane });
                        }
                        let items = s.basket.len() as u32;
                        state.queue.push_back((entity, items));
                        s.activity = Activity::Queued { lane, since_ms: joined_ms.unwrap_or(t) };
                    }
                    Activity::ToExit => {
                        if s.zone.is_some() {
                            out.emit(t, &s, Action::ZoneExit);
                        }
                        out.emit(t, &s, Action::Exit);
                        crowd.0.remove(s.index, s.cell);
                        s.activity = Activity::Gone;
                        census.in_store -= 1;
                        commands.entity(entity).despawn();
                    }
                    _ => {}
                }
            }
        }
    }
}

/// Once per trace interval, each shopper looks ahead: a product in view is
/// noticed (`view`) with its shelf's notice probability, once per visit;
/// a noticed product not already wanted may be bought on impulse with
/// probability appeal × placement persuasion × segment propensity,
/// diminishing as the basket fills. Within reach (or from a queue) it is
/// taken at once; otherwise the shopper detours for it. Both draws come
/// from the product's stretch of the shopper's notice stream (common
/// random numbers across layouts).
fn perceive(
    w: Res<World0>,
    clock: Res<Clock>,
    mut out: ResMut<Outbox>,
    mut asks: Local<Vec<(Entity, u32)>>,
    mut shoppers: Query<&mut Shopper>,
) {
    if clock.t_ms % w.scenario.run.trace_interval_ms != 0 {
        return;
    }
    let t = clock.t_ms;
    for mut s in &mut shoppers {
        if s.activity == Activity::Gone || s.riding.is_some() {
            continue;
        }
        let moved = (s.pos.x - s.looked_from.x, s.pos.y - s.looked_from.y);
        let len = moved.0.hypot(moved.1);
        if len > 1e-3 {
            s.heading = (moved.0 / len, moved.1 / len);
        }
        s.looked_from = s.pos;
        let mut seen = Vec::new();
        w.sight.visible(&w.store, s.cell, s.pos, s.heading, |shelf| {
            if !s.considered.contains(&shelf.product)
                && !seen.iter().any(|x: &perception::Shelf| x.product == shelf.product)
            {
                seen.push(*shelf);
            }
        });
        for shelf in seen {
            let product = shelf.product;
            s.considered.push(product);
            let mut draws = s.notice_rng.clone();
            draws.set_word_pos(product as u128 * 64);
            let (notice, buy) = (draws.random::<f64>(), draws.random::<f64>());
            if notice >= shelf.notice {
                continue;
            }
            out.emit(t, &s, Action::View { product });
            // Nothing is added after paying or giving up: the shopper is leaving.
            if s.has_in_mind(product) || s.activity == Activity::ToExit {
                continue;
            }
            let seg = &w.scenario.population.segments[s.segment];
            let appeal = w.scenario.products[product as usize].appeal;
            let p_buy = (appeal * shelf.persuasion * seg.impulse / (1.0 + s.basket.len() as f64 / 10.0)).min(0.9);
            if buy >= p_buy {
                continue;
            }
            // A companion asks the leader, who holds the basket.
            if let Some(leader) = s.leader {
                asks.push((leader, product));
                continue;
            }
            if s.in_line() || s.pos.distance(shelf.spot) <= perception::REACH_M {
                s.grab(&mut out, t, product, w.scenario.products[product as usize].price_cents);
            } else if matches!(s.activity, Activity::ToLane { .. }) {
                // On the way to pay, only what is within reach is taken.
                continue;
            } else {
                s.want_on_impulse(product);
            }
        }
    }
    // A leader still shopping fetches what a companion asked for; one in
    // a checkout line takes it from the display by the line.
    for (leader, product) in asks.drain(..) {
        let Ok(mut l) = shoppers.get_mut(leader) else { continue };
        let shopping = matches!(l.activity, Activity::Deciding | Activity::ToShelf { .. } | Activity::AtShelf { .. });
        if l.has_in_mind(product) {
            continue;
        }
        if l.in_line() {
            l.grab(&mut out, t, product, w.scenario.products[product as usize].price_cents);
        } else if shopping {
            l.want_on_impulse(product);
        }
    }
}

fn shelf(w: Res<World0>, clock: Res<Clock>, mut out: ResMut<Outbox>, mut shoppers: Query<&mut Shopper>) {
    let t = clock.t_ms;
    for mut s in &mut shoppers {
        let Activity::AtShelf { product, placement, until_ms, intent, search } = s.activity else {
            continue;
        };
        if t < until_ms {
            continue;
        }
        let price = w.scenario.products[product as usize].price_cents;
        if search == Search::GivenUp {
            // Not here: the product's other places are tried before it is
            // given up for good (a lost sale).
            s.searched.push((product, placement));
            let places = w.store.stands[product as usize].len() as u16;
            if (0..places).any(|p| !s.searched.contains(&(product, p))) {
                s.list.push(product);
            } else {
                out.emit(t, &s, Action::NotFound { product, qty: 1, amount_cents: price });
            }
            s.activity = Activity::Deciding;
            continue;
        }
        let seg = &w.scenario.population.segments[s.segment];
        // This product's stretch: dwell (drawn on arrival), put-back, temptation.
        let mut draws = s.shelf_draws(product);
        let (_, put_back_draw, tempt) = (draws.random::<f64>(), draws.random::<f64>(), draws.random::<f64>());
        if intent == Intent::Browse {
            // Looked at closely: bought only if it tempts, as on impulse.
            let appeal = w.scenario.products[product as usize].appeal;
            if tempt >= (appeal * seg.impulse / (1.0 + s.basket.len() as f64 / 10.0)).min(0.9) {
                s.activity = Activity::Deciding;
                continue;
            }
        }
        let planned = intent == Intent::Planned;
        out.emit(t, &s, Action::Pick { product, qty: 1, amount_cents: price, planned });
        if put_back_draw < seg.put_back {
            out.emit(t, &s, Action::PutBack { product, qty: 1, amount_cents: price });
        } else {
            s.basket.push((product, price));
        }
        s.activity = Activity::Deciding;
    }
}

fn checkout(
    w: Res<World0>,
    clock: Res<Clock>,
    mut nav: ResMut<Nav>,
    mut lanes: ResMut<Lanes>,
    mut out: ResMut<Outbox>,
    mut shoppers: Query<&mut Shopper>,
) {
    let t = clock.t_ms;
    let dt = w.scenario.run.tick_ms as f64 / 1000.0;
    for (li, lane) in w.scenario.lanes.iter().enumerate() {
        let state = &mut lanes.0[li];
        // Finish service.
        for terminal in &mut state.terminals {
            if let Terminal::Serving { shopper, until_ms, .. } = *terminal
                && t >= until_ms
            {
                *terminal = Terminal::Free;
                let mut s = shoppers.get_mut(shopper).expect("served shopper exists");
                let (qty, amount_cents) = s.basket_total();
                out.emit(t, &s, Action::Checkout { lane: li as u16, qty, amount_cents });
                head_for_exit(&w, &mut nav.0, &mut s);
            }
        }
        // Reneging: a waiting shopper out of patience leaves the basket.
        let mut k = 0;
        while k < state.queue.len() {
            let (e, _) = state.queue[k];
            let mut s = shoppers.get_mut(e).expect("queued shopper exists");
            let Activity::Queued { since_ms, .. } = s.activity else { unreachable!("queue holds queued shoppers") };
            if t.saturating_sub(since_ms) > s.patience_ms {
                let (qty, amount_cents) = s.basket_total();
                out.emit(t, &s, Action::Abandon { lane: li as u16, qty, amount_cents });
                s.basket.clear();
                head_for_exit(&w, &mut nav.0, &mut s);
                state.queue.remove(k);
            } else {
                k += 1;
            }
        }
        // The front of the line goes to the free terminal nearest to it.
        let front = lane.place(1);
        while let Some(free) = (0..state.terminals.len())
            .filter(|&k| state.terminals[k] == Terminal::Free)
            .min_by(|&a, &b| front.distance(lane.terminals[a]).total_cmp(&front.distance(lane.terminals[b])))
            && let Some((e, _)) = state.queue.pop_front()
        {
            let mut s = shoppers.get_mut(e).expect("queued shopper exists");
            state.terminals[free] = Terminal::Called { shopper: e, work_s: lane.service.mean_s(s.basket.len() as u32) };
            s.activity = Activity::Served { lane: li as u16 };
        }
        // Queued shoppers close up along the queue line; called ones walk to
        // their terminal and are served once there.
        let step = |s: &mut Shopper, out: &mut Outbox, target: Point| {
            s.pos = s.pos.towards(target, s.speed * dt);
            s.cell = w.store.cell_at(s.floor, s.pos).expect("queue line and terminals are walkable");
            update_zone(&w.store, out, t, s);
        };
        for (k, &(e, _)) in state.queue.iter().enumerate() {
            step(&mut shoppers.get_mut(e).expect("queued shopper exists"), &mut out, lane.place(k + 1));
        }
        for (terminal, &at) in state.terminals.iter_mut().zip(&lane.terminals) {
            let Terminal::Called { shopper, .. } = *terminal else { continue };
            let mut s = shoppers.get_mut(shopper).expect("called shopper exists");
            step(&mut s, &mut out, at);
            if s.pos == at {
                // Everything in the basket is scanned, including what was grabbed in the queue.
                let work_s = lane.service.mean_s(s.basket.len() as u32);
                let secs = service_time(work_s, &lane.service, &mut s.checkout_rng);
                *terminal = Terminal::Serving { shopper, until_ms: t + (secs * 1000.0) as u64, work_s };
            }
        }
    }
    // Jockeying: the last in a line moves to an open lane with at least two
    // fewer shoppers per terminal (counting those on their way), as people
    // do when the next line empties. With it, separate lines serve nearly
    // as well as one shared line (the Erlang C queue).
    let clock_ms = lane_clock(&w.scenario, t);
    for i in 0..lanes.0.len() {
        let Some(&(e, _)) = lanes.0[i].queue.back() else { continue };
        let shortest = (0..lanes.0.len())
            .filter(|&j| j != i && w.scenario.lanes[j].is_open_at(clock_ms))
            .min_by(|&a, &b| lanes.0[a].load().total_cmp(&lanes.0[b].load()));
        let Some(j) = shortest else { continue };
        if lanes.0[i].load() < lanes.0[j].load() + 2.0 {
            continue;
        }
        lanes.0[i].queue.pop_back();
        let mut s = shoppers.get_mut(e).expect("queued shopper exists");
        let Activity::Queued { since_ms, .. } = s.activity else { unreachable!("queue holds queued shoppers") };
        head_for_lane(&w, &mut nav.0, &mut lanes, &mut s, j, Some(since_ms));
    }
}

/// The clock lanes keep: after closing, the lanes open at closing time
/// serve the last shoppers.
fn lane_clock(sc: &Scenario, t_ms: u64) -> u64 {
    (sc.population.open_ms + t_ms).min(sc.population.close_ms.saturating_sub(1))
}

/// A service time with the given mean, drawn from the lane's distribution.
fn service_time(mean: f64, model: &ServiceModel, rng: &mut ChaCha8Rng) -> f64 {
    if mean <= 0.0 {
        return 0.0;
    }
    match model.distribution {
        ServiceDistribution::Exponential => Exp::new(1.0 / mean).expect("positive rate").sample(rng),
        ServiceDistribution::Lognormal if model.cv <= 0.0 => mean,
        ServiceDistribution::Lognormal => {
            let sigma2 = (1.0 + model.cv * model.cv).ln();
            LogNormal::new(mean.ln() - sigma2 / 2.0, sigma2.sqrt()).expect("finite parameters").sample(rng)
        }
    }
}

fn trace(w: Res<World0>, clock: Res<Clock>, mut out: ResMut<Outbox>, mut shoppers: Query<&mut Shopper>) {
    if clock.t_ms % w.scenario.run.trace_interval_ms != 0 {
        return;
    }
    // Riders are between floors: their next position is where they step off.
    for mut s in &mut shoppers {
        if s.solidity().is_some() {
            // A zone change held back by the minimum dwell is logged by now.
            update_zone(&w.store, &mut out, clock.t_ms, &mut s);
            out.emit(clock.t_ms, &s, Action::Move);
        }
    }
}

fn close_tick(w: Res<World0>, mut clock: ResMut<Clock>, mut out: ResMut<Outbox>) {
    flush_tick(&mut out);
    clock.tick += 1;
    clock.t_ms = clock.tick * w.scenario.run.tick_ms;
}

/// Orders the tick's events by shopper (stable, so each shopper's own
/// events keep their emission order) and numbers them.
fn flush_tick(out: &mut Outbox) {
    let mut tick = std::mem::take(&mut out.tick);
    tick.sort_by_key(|e| e.shopper);
    for mut e in tick.drain(..) {
        e.seq = out.next_seq;
        out.next_seq += 1;
        out.ready.push(e);
    }
    out.tick = tick;
}
