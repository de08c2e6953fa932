//! Who comes and when. The whole day's arrivals are planned up front
//! (`arrival_plan`); `arrive` lets them in as their time comes, each party's
//! leader first with its shopping list and browse stops, its companions
//! right behind.

use bevy_ecs::prelude::*;
use rand::RngExt;
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, Exp, Normal, Poisson};

use super::rng::{Purpose, Streams};
use super::shopper::{Activity, Company, ProductSet, Shopper};
use super::squeeze::Progress;
use super::{RunState, Setting, stop};
use crate::events::Action;
use crate::geom::Point;
use crate::nav::UNREACHABLE;
use crate::scenario::Scenario;
use crate::store::{CellId, Store, Ways};

/// Everyone who will come, in order: shopper `i` is `plan[i]`.
pub(super) struct Arrivals {
    pub(super) plan: Vec<Arrival>,
    pub(super) next: usize,
    /// The entity of the party leader who came in last, for the companions behind.
    leader: Option<(u32, Entity)>,
}

impl Arrivals {
    pub(super) fn new(plan: Vec<Arrival>) -> Arrivals {
        Arrivals { plan, next: 0, leader: None }
    }

    /// When the next one due is to come in, if anyone is still to come.
    pub(super) fn next_ms(&self) -> Option<u64> {
        self.plan.get(self.next).map(|a| a.t_ms)
    }

    /// Whether the next one is due by `t_ms` and may come in then (its
    /// doorway may still keep it out): while the doors are open, before
    /// `doors_close_ms`, and after that if it is of a party whose leader
    /// came in (`party_outside`).
    pub(super) fn next_may_come(&self, t_ms: u64, doors_close_ms: u64) -> bool {
        self.next_ms().is_some_and(|due| due <= t_ms) && (t_ms < doors_close_ms || self.party_outside())
    }

    /// Whether some of a party whose leader came in are still outside (a
    /// party comes in one by one, its companions right behind the leader).
    pub(super) fn party_outside(&self) -> bool {
        self.plan.get(self.next).is_some_and(|a| a.party != self.next as u32)
    }
}

/// One shopper's arrival: a party's leader comes first, its companions
/// right behind (same time, segment and door).
#[derive(Debug, Clone, Copy)]
pub(super) struct Arrival {
    t_ms: u64,
    /// The index of the party's leader (the shopper's own when leading).
    pub(super) party: u32,
    pub(super) segment: usize,
    entrance: usize,
    /// Walking speed: a party walks at its slowest member's pace, and
    /// companions hurry a little to keep up.
    pub(super) speed: f64,
    /// Where the shopper appears, on the ground floor, instead of at its
    /// door: a crowd placed at once (`placed_plan`).
    at: Option<(Point, CellId)>,
}

impl Arrival {
    /// When the shopper is due at its door, ms from opening.
    pub(super) fn due_ms(&self) -> u64 {
        self.t_ms
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
/// Walking speeds drawn from a segment's normal distribution are kept
/// within these bounds, m/s.
use crate::scenario::model::WALKING_MPS;
const SLOWEST_MPS: f64 = WALKING_MPS.0;
const FASTEST_MPS: f64 = WALKING_MPS.1;
/// Nobody walks faster than this, m/s: the fastest companion catching up.
pub const TOP_SPEED_MPS: f64 = FASTEST_MPS * CATCH_UP;

/// Everyone who comes, drawn up front. A party's leader draws its segment,
/// speed and door from its traits stream and the party's size,
/// 1 + Poisson(group_mean − 1), from its party stream; each companion
/// draws only a speed. All of it is keyed by shopper index, so it is the
/// same in every variant.
pub(super) fn arrival_plan(s: &Scenario, streams: &Streams) -> Vec<Arrival> {
    let segments = &s.population.segments;
    let mut plan = Vec::new();
    for t_ms in party_arrival_times(s, &mut streams.global(Purpose::Arrivals)) {
        let leader = plan.len() as u32;
        let mut traits = streams.stream(leader, Purpose::Traits);
        let segment = pick_weighted(&mut traits, segments.iter().map(|g| g.share));
        let seg = &segments[segment];
        let speed = |traits: &mut ChaCha8Rng| {
            Normal::new(seg.speed_mean, seg.speed_sd).expect("validated").sample(traits).clamp(SLOWEST_MPS, FASTEST_MPS)
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
        plan.push(Arrival { t_ms, party: leader, segment, entrance, speed: pace, at: None });
        for own in speeds {
            plan.push(Arrival { t_ms, party: leader, segment, entrance, speed: own.max(pace * CATCH_UP), at: None });
        }
    }
    plan
}

/// A crowd placed at once: one shopper of the first segment alone at each
/// of `starts` on the ground floor at opening, walking at the segment's
/// mean speed. Fails naming a start off the walkable floor.
pub(super) fn placed_plan(s: &Scenario, store: &Store, starts: &[Point]) -> Result<Vec<Arrival>, String> {
    let speed = s.population.segments[0].speed_mean.clamp(SLOWEST_MPS, FASTEST_MPS);
    starts
        .iter()
        .enumerate()
        .map(|(i, &p)| {
            let cell = store
                .cell_at(0, p)
                .filter(|&c| store.is_walkable(c))
                .ok_or_else(|| format!("start ({:.2}, {:.2}) is not on walkable floor", p.x, p.y))?;
            Ok(Arrival { t_ms: 0, party: i as u32, segment: 0, entrance: 0, speed, at: Some((p, cell)) })
        })
        .collect()
}

/// Lets in everyone whose time has come, in plan order, while the doorway
/// is free and the doors are open (those kept outside until closing
/// never come in), and after closing the rest of a party whose leader
/// came in: a party comes in one by one, and one cut in two at the door
/// shopped as a party but was counted short of visitors planned.
pub(super) fn arrive(mut commands: Commands, setting: Res<Setting>, mut state: ResMut<RunState>) {
    let RunState { clock, arrivals, census, crowd, out, .. } = &mut *state;
    while arrivals.next_may_come(clock.t_ms, setting.scenario.doors_close_ms()) {
        let a = arrivals.plan[arrivals.next];
        let index = arrivals.next as u32;
        let (_, pos, cell) = a.appears(&setting);
        // Someone standing in the doorway: the newcomer (and those behind) wait.
        if !crowd.is_free(cell, pos) {
            break;
        }
        arrivals.next += 1;
        let leads = a.party == index;
        let leader = if leads {
            None
        } else {
            let leader = arrivals.leader.filter(|(p, _)| *p == a.party).map(|(_, e)| e);
            Some(leader.expect("a party's leader comes in first"))
        };
        let mut shopper = newcomer(&setting, &a, index, leader, clock.t_ms);
        if leads {
            // A party's companions are the arrivals right behind its leader.
            let behind = &arrivals.plan[arrivals.next..];
            shopper.companions = behind.iter().take_while(|b| b.party == index).count() as u32;
        }
        out.emit(clock.t_ms, &shopper, Action::Enter { party: a.party });
        if shopper.zone.is_some() {
            out.emit(clock.t_ms, &shopper, Action::ZoneEnter);
        }
        census.in_store += 1;
        census.spawned += 1;
        crowd.add(cell, shopper.body(clock.t_ms));
        let entity = commands.spawn(shopper).id();
        if leads {
            arrivals.leader = Some((index, entity));
        }
    }
}

/// Shopper `index` coming in at its door at `t_ms`: a leader (no `leader`)
/// with its shopping list and browse stops, a companion with neither.
fn newcomer(setting: &Setting, a: &Arrival, index: u32, leader: Option<Entity>, t_ms: u64) -> Shopper {
    let seg = &setting.scenario.population.segments[a.segment];
    let (floor, pos, cell) = a.appears(setting);
    let (list, browse, stops) = if leader.is_none() {
        let weights = &setting.category_weights[a.segment];
        let list = draw_list(setting, weights, seg.list_mean, &mut setting.streams.stream(index, Purpose::List));
        let browse =
            draw_browse(setting, weights, seg.browsing, &list, &mut setting.streams.stream(index, Purpose::Browse));
        let stops = stop::draw_stops(&seg.stops, &mut setting.streams.stream(index, Purpose::Stops));
        (list, browse, stops)
    } else {
        (Vec::new(), Vec::new(), Vec::new())
    };
    Shopper {
        index,
        party: a.party,
        leader,
        segment: a.segment,
        speed: a.speed,
        ways: if seg.step_free { Ways::StepFree } else { Ways::All },
        patience_ms: (seg.patience_s * 1000.0) as u64,
        entered_ms: t_ms,
        pos,
        floor,
        cell,
        zone: setting.store.zone(cell),
        zone_since_ms: t_ms,
        list,
        impulse: Vec::new(),
        browse,
        stops,
        considered: ProductSet::default(),
        searched: Vec::new(),
        heading: (0.0, 1.0),
        looked_from: pos,
        looked_in: None,
        notice_rng: Box::new(setting.streams.stream(index, Purpose::Notice)),
        basket: Vec::new(),
        order: Vec::new(),
        shelf_rng: Box::new(setting.streams.stream(index, Purpose::Shelf)),
        checkout_rng: Box::new(setting.streams.stream(index, Purpose::Checkout)),
        activity: if leader.is_none() { Activity::Deciding } else { Activity::Companion(Company::Beside) },
        route: None,
        riding: None,
        blocked_since_ms: None,
        blocked_at: UNREACHABLE,
        progress: Progress::NONE,
        filed_at: pos,
        stride_credit_m: 0.0,
        gave_up_at: None,
        switched_line: false,
        wish: (0.0, 0.0),
        companions: 0,
        line_place: 0,
        stand_by: None,
    }
}

impl Arrival {
    /// Where the shopper appears: floor, point and cell (its door's, or
    /// where a placed crowd stands).
    fn appears(&self, setting: &Setting) -> (u8, Point, CellId) {
        match self.at {
            Some((p, cell)) => (0, p, cell),
            None => {
                let door = &setting.scenario.entrances[self.entrance];
                (door.floor, door.at, setting.store.entrances[self.entrance])
            }
        }
    }
}

/// Browse stops of a segment with `browsing = 1` (Poisson mean).
const BROWSE_STOPS: f64 = 5.0;
/// Draws per product wanted before a list or the browse stops are left
/// short (a small catalogue, or most of it excluded).
const DRAWS_PER_PRODUCT: usize = 20;

/// A shopping list: 1 + Poisson(mean − 1) distinct products; below a
/// mean of 1, Poisson(mean) (so some plan nothing).
fn draw_list(setting: &Setting, weights: &[f64], mean: f64, rng: &mut ChaCha8Rng) -> Vec<u32> {
    let poisson = |m: f64, rng: &mut ChaCha8Rng| Poisson::new(m).expect("validated").sample(rng) as usize;
    let size = if mean > 1.0 {
        1 + poisson(mean - 1.0, rng)
    } else if mean == 1.0 {
        1
    } else if mean > 0.0 {
        poisson(mean, rng)
    } else {
        0
    };
    draw_products(setting, weights, size, &[], rng)
}

/// Browse stops: Poisson(browsing × `BROWSE_STOPS`) products not on the list.
fn draw_browse(setting: &Setting, weights: &[f64], browsing: f64, list: &[u32], rng: &mut ChaCha8Rng) -> Vec<u32> {
    if browsing <= 0.0 {
        return Vec::new();
    }
    let stops = Poisson::new(browsing * BROWSE_STOPS).expect("validated").sample(rng) as usize;
    draw_products(setting, weights, stops, list, rng)
}

/// `size` distinct products not in `exclude`, each from a category drawn
/// by `weights`, then a product by popularity.
fn draw_products(setting: &Setting, weights: &[f64], size: usize, exclude: &[u32], rng: &mut ChaCha8Rng) -> Vec<u32> {
    let size = size.min(setting.scenario.products.len().saturating_sub(exclude.len()));
    let mut out = Vec::with_capacity(size);
    let mut attempts = 0;
    while out.len() < size && attempts < size * DRAWS_PER_PRODUCT {
        attempts += 1;
        let c = pick_weighted(rng, weights.iter().copied());
        let (ids, popularity) = &setting.category_products[c];
        if ids.is_empty() {
            continue;
        }
        let p = ids[pick_weighted(rng, popularity.iter().copied())];
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

/// A lone shopper of the first segment, through the first door at time 0,
/// then put at `at` on the ground floor, with its list and browse stops.
#[cfg(test)]
pub(super) fn test_shopper(setting: &Setting, index: u32, at: crate::geom::Point) -> Shopper {
    let arrival = Arrival { t_ms: 0, party: index, segment: 0, entrance: 0, speed: 1.0, at: None };
    let mut s = newcomer(setting, &arrival, index, None, 0);
    s.cell = setting.store.cell_at(0, at).expect("on the floor");
    (s.floor, s.pos, s.zone) = (0, at, setting.store.zone(s.cell));
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::ScenarioFile;

    /// `daily_visitors` come over the day however it ends: a last hour open
    /// in part brings its part of that hour's intensity, not its whole share
    /// of the day's visitors, nor only a part of its share.
    #[test]
    fn the_days_visitors_come_whatever_hour_the_store_closes() {
        const DAILY: f64 = 300.0;
        const SEEDS: u64 = 300;
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/tiny.toml");
        let tiny = std::fs::read_to_string(&path).expect("tiny scenario");
        // (hours, hourly profile): whole hours, a last quarter hour, half an hour, a long last three quarters.
        for (hours, profile) in [
            ("[17.0, 19.0]", "[1.0, 1.5]"),
            ("[17.0, 18.25]", "[1.0, 1.5]"),
            ("[17.0, 17.5]", "[1.0]"),
            ("[9.0, 12.75]", "[0.5, 1.0, 2.0, 3.0]"),
        ] {
            let text = tiny
                .replace("daily_visitors = 40", &format!("daily_visitors = {DAILY}"))
                .replace("hours = [17.0, 19.0]", &format!("hours = {hours}"))
                .replace("hourly_profile = [1.0, 1.5]", &format!("hourly_profile = {profile}"));
            let file = ScenarioFile::parse(&path, text).expect("parses");
            let p = crate::prepare(&file, crate::scenario::BASELINE).unwrap_or_else(|e| panic!("{e}"));
            let (mut people, mut squares) = (0.0, 0.0);
            for seed in 0..SEEDS {
                let n = arrival_plan(&p.scenario, &Streams::new(seed)).len() as f64;
                (people, squares) = (people + n, squares + n * n);
            }
            let mean = people / SEEDS as f64;
            let se = ((squares / SEEDS as f64 - mean * mean) / SEEDS as f64).sqrt();
            assert!((mean - DAILY).abs() < 4.0 * se, "open {hours} with {profile}: {mean:.1} ± {se:.1} people a day");
        }
    }
}
