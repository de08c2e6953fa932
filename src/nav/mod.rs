//! Flow fields: for a target cell, the walking distance from every cell
//! (Dijkstra over the 8-connected grid and the connectors between floors).
//! A shopper anywhere follows the field downhill to the target. Fields are
//! computed on demand and kept in a cache bounded in bytes (least recently
//! used out first); the runs of one layout may share what they computed
//! (`SharedFields`).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use crate::store::{CellId, Store, Ways};

/// Distance to the target in grid units (a tenth of a cell side);
/// `UNREACHABLE` where the target cannot be reached.
pub type FlowField = Arc<[u32]>;
pub const UNREACHABLE: u32 = u32::MAX;

/// What to do next from a cell, following a field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    Arrived,
    Walk(CellId),
    /// Take connector `n` of the store.
    Ride(usize),
    /// The target cannot be reached from here.
    Stuck,
}

/// Computes the distance field towards `target`: Dijkstra with a bucket
/// queue (Dial's algorithm), since every cost is a small whole number of
/// grid units; the distances are the same as with a binary heap.
pub fn flow_field(store: &Store, target: CellId, ways: Ways) -> FlowField {
    dial(store, target, ways, |_| true)
}

/// The distance field towards `target` over the square of floor within
/// `radius_cells` of it (paths leave neither the square nor the floor);
/// `UNREACHABLE` outside. For short walks to a nearby spot, at a small
/// part of a whole field's cost.
pub fn local_field(store: &Store, target: CellId, radius_cells: usize) -> FlowField {
    let (floor, (tx, ty)) = (store.floor_of(target), store.column_row(target));
    // One floor: no connector is ever relaxed.
    dial(store, target, Ways::All, |c| {
        let (x, y) = store.column_row(c);
        store.floor_of(c) == floor && x.abs_diff(tx) <= radius_cells && y.abs_diff(ty) <= radius_cells
    })
}

/// Dial's algorithm from `target` over the connectors `ways` uses,
/// relaxing only cells `inside` admits.
fn dial(store: &Store, target: CellId, ways: Ways, inside: impl Fn(CellId) -> bool) -> FlowField {
    // Filled where it is handed out: a field is a whole store's cells, and
    // copying one (a few metres' walk has one too) cost more than the search.
    let mut field: FlowField = std::iter::repeat_n(UNREACHABLE, store.cell_count()).collect();
    let dist = Arc::get_mut(&mut field).expect("a new field has one owner");
    // Costs run up to the dearest step or connector: a ring of that many
    // buckets plus one holds every pending distance (rounded up to a power
    // of two, so a distance finds its bucket by a mask).
    let longest = store.connectors.iter().map(|l| l.cost).fold(store.longest_step_cost(), u32::max) as usize;
    let mut buckets: Vec<Vec<CellId>> = vec![Vec::new(); (longest + 1).next_power_of_two()];
    let mut pending = 1usize;
    dist[target as usize] = 0;
    buckets[0].push(target);
    let mut d = 0u32;
    let mut cells = Vec::new();
    let mask = buckets.len() - 1;
    while pending > 0 {
        // (A step that cost nothing would land in this bucket again.)
        while !buckets[d as usize & mask].is_empty() {
            std::mem::swap(&mut cells, &mut buckets[d as usize & mask]);
            pending -= cells.len();
            for &c in &cells {
                if dist[c as usize] != d {
                    continue;
                }
                let mut relax = |n: CellId, cost: u32| {
                    let nd = d + cost;
                    if nd < dist[n as usize] && inside(n) {
                        dist[n as usize] = nd;
                        buckets[nd as usize & mask].push(n);
                        pending += 1;
                    }
                };
                store.for_each_predecessor(c, ways, &mut relax);
            }
            cells.clear();
        }
        d += 1;
    }
    field
}

/// A lower bound on the walking distance between two cells (field units),
/// known without a field: on one floor of a store without connectors, the
/// octile distance, since a grid step costs at least its length (no cell's
/// effort is below plain floor's); else nothing (a connector may shorten
/// the way). Comparing many targets, one whose bound is already no nearer
/// than the best needs no field.
pub fn distance_at_least(store: &Store, from: CellId, to: CellId) -> u32 {
    if !store.connectors.is_empty() || store.floor_of(from) != store.floor_of(to) {
        return 0;
    }
    let ((ax, ay), (bx, by)) = (store.column_row(from), store.column_row(to));
    let (dx, dy) = (ax.abs_diff(bx) as u32, ay.abs_diff(by) as u32);
    14 * dx.min(dy) + 10 * dx.abs_diff(dy)
}

/// The step from `cell` that lies on a shortest path to the field's target
/// (a field computed for `ways`, whose connectors are the only ones ridden).
pub fn next_step(store: &Store, field: &[u32], cell: CellId, ways: Ways) -> Step {
    let here = field[cell as usize];
    if here == 0 {
        return Step::Arrived;
    }
    if here == UNREACHABLE {
        return Step::Stuck;
    }
    let mut best = (UNREACHABLE, Step::Stuck);
    store.for_each_step(cell, |n, cost| {
        let via = field[n as usize].saturating_add(cost);
        if via < best.0 {
            best = (via, Step::Walk(n));
        }
    });
    for (i, link) in store.connectors.iter().enumerate().filter(|(_, l)| ways.uses(l)) {
        let other = if link.from == cell {
            link.to
        } else if link.to == cell && !link.one_way {
            link.from
        } else {
            continue;
        };
        let via = field[other as usize].saturating_add(link.cost);
        if via < best.0 {
            best = (via, Step::Ride(i));
        }
    }
    best.1
}

/// Flow fields shared by the runs of one layout (the seeds of a variant in
/// a sweep, on any thread): a field is the same in every run, so what one
/// run computed the next one takes. Bounded in bytes; once full, it keeps
/// what it holds. Keys are `FlowFieldCache`'s: one store's only.
pub struct SharedFields {
    limit_bytes: u64,
    held: Mutex<(HashMap<usize, FlowField>, u64)>,
}

impl SharedFields {
    pub fn new(limit_bytes: u64) -> SharedFields {
        SharedFields { limit_bytes, held: Mutex::new((HashMap::new(), 0)) }
    }

    fn get(&self, key: usize) -> Option<FlowField> {
        self.held.lock().expect("shared fields").0.get(&key).cloned()
    }

    fn offer(&self, key: usize, field: &FlowField) {
        let mut held = self.held.lock().expect("shared fields");
        let (fields, bytes) = &mut *held;
        let size = (field.len() * 4) as u64;
        if *bytes + size <= self.limit_bytes
            && let std::collections::hash_map::Entry::Vacant(slot) = fields.entry(key)
        {
            slot.insert(field.clone());
            *bytes += size;
        }
    }

    /// Bytes held.
    pub fn bytes(&self) -> u64 {
        self.held.lock().expect("shared fields").1
    }
}

/// Flow fields by target cell and ways, bounded in memory.
pub struct FlowFieldCache {
    /// Per (ways, cell) key: the slot of its field in `fields`, or `NO_SLOT`.
    slot_of: Vec<u32>,
    /// Cached fields with their key and when they were last used.
    fields: Vec<(usize, FlowField, u64)>,
    limit_bytes: u64,
    bytes: u64,
    clock: u64,
    computed: u64,
    shared: Option<Arc<SharedFields>>,
}

const NO_SLOT: u32 = u32::MAX;

impl FlowFieldCache {
    pub fn new(limit_bytes: u64) -> Self {
        FlowFieldCache {
            slot_of: Vec::new(),
            fields: Vec::new(),
            limit_bytes,
            bytes: 0,
            clock: 0,
            computed: 0,
            shared: None,
        }
    }

    /// A cache that takes a missing field from `shared` when it is there,
    /// and offers it what it computes.
    pub fn sharing(limit_bytes: u64, shared: Arc<SharedFields>) -> Self {
        FlowFieldCache { shared: Some(shared), ..FlowFieldCache::new(limit_bytes) }
    }

    /// The field towards `target` for one using `ways` (shared, not copied).
    pub fn get(&mut self, store: &Store, target: CellId, ways: Ways) -> FlowField {
        self.field(store, target, ways).clone()
    }

    /// The walking distance from `from` to `target` using `ways`
    /// (`UNREACHABLE` if none), without handing out the field: what
    /// comparing many targets needs.
    pub fn distance(&mut self, store: &Store, target: CellId, ways: Ways, from: CellId) -> u32 {
        self.field(store, target, ways)[from as usize]
    }

    fn field(&mut self, store: &Store, target: CellId, ways: Ways) -> &FlowField {
        self.clock += 1;
        let cells = store.cell_count();
        if self.slot_of.len() != 2 * cells {
            self.slot_of = vec![NO_SLOT; 2 * cells];
            self.fields.clear();
            self.bytes = 0;
        }
        let key = ways as usize * cells + target as usize;
        let slot = self.slot_of[key];
        if slot != NO_SLOT {
            let cached = &mut self.fields[slot as usize];
            cached.2 = self.clock;
            return &cached.1;
        }
        let field = match self.shared.as_ref().and_then(|shared| shared.get(key)) {
            Some(field) => field,
            None => {
                let field = flow_field(store, target, ways);
                self.computed += 1;
                if let Some(shared) = &self.shared {
                    shared.offer(key, &field);
                }
                field
            }
        };
        let size = (field.len() * 4) as u64;
        while self.bytes + size > self.limit_bytes && !self.fields.is_empty() {
            // Evict the least recently used; ties cannot occur (clock is unique).
            let oldest = (0..self.fields.len()).min_by_key(|&i| self.fields[i].2).expect("non-empty");
            let (gone, _, _) = self.fields.swap_remove(oldest);
            self.slot_of[gone] = NO_SLOT;
            if let Some(&(moved, _, _)) = self.fields.get(oldest) {
                self.slot_of[moved] = oldest as u32;
            }
            self.bytes -= size;
        }
        self.bytes += size;
        self.slot_of[key] = self.fields.len() as u32;
        self.fields.push((key, field, self.clock));
        &self.fields.last().expect("just pushed").1
    }

    /// Bytes held by cached fields.
    pub fn bytes(&self) -> u64 {
        self.bytes
    }

    /// Fields computed so far (cache misses that shared fields did not meet).
    pub fn computed(&self) -> u64 {
        self.computed
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::geom::Point;
    use crate::scenario::ScenarioFile;

    fn tiny() -> Store {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/tiny.toml");
        crate::prepare(&ScenarioFile::read(&path).unwrap(), "baseline").unwrap().store.as_ref().clone()
    }

    /// Dijkstra with a binary heap, the textbook way: the bucket queue
    /// must give the same distances.
    fn reference_field(store: &Store, target: CellId, ways: Ways) -> Vec<u32> {
        use std::cmp::Reverse;
        let mut dist = vec![UNREACHABLE; store.cell_count()];
        let mut heap = std::collections::BinaryHeap::new();
        dist[target as usize] = 0;
        heap.push(Reverse((0u32, target)));
        while let Some(Reverse((d, c))) = heap.pop() {
            if d > dist[c as usize] {
                continue;
            }
            let mut relax = |n: CellId, cost: u32| {
                if d + cost < dist[n as usize] {
                    dist[n as usize] = d + cost;
                    heap.push(Reverse((d + cost, n)));
                }
            };
            store.for_each_predecessor(c, ways, &mut relax);
        }
        dist
    }

    #[test]
    fn bucket_queue_fields_equal_binary_heap_fields() {
        for name in ["tiny", "department", "convenience"] {
            let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("scenarios/{name}.toml"));
            let store = crate::prepare(&ScenarioFile::read(&path).unwrap(), "baseline").unwrap().store;
            let walkable: Vec<CellId> = (0..store.cell_count() as CellId).filter(|&c| store.is_walkable(c)).collect();
            // Targets spread over the floors, connector landings included.
            let mut targets: Vec<CellId> = walkable.iter().step_by(walkable.len() / 7).copied().collect();
            targets.extend(store.connectors.iter().flat_map(|l| [l.from, l.to]));
            for target in targets {
                for ways in [Ways::All, Ways::StepFree] {
                    assert_eq!(
                        &flow_field(&store, target, ways)[..],
                        &reference_field(&store, target, ways)[..],
                        "{name}: target {target}, {ways:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn open_floor_distances_are_octile() {
        // The front strip y < 1 m is open floor from wall to wall.
        let store = tiny();
        let target = store.cell_at(0, Point::new(11.1, 0.6)).unwrap();
        let field = flow_field(&store, target, Ways::All);
        for (x, y, dx, dy) in [(6.1, 0.6, 20, 0), (10.1, 0.1, 4, 2), (11.1, 0.6, 0, 0)] {
            let c = store.cell_at(0, Point::new(x, y)).unwrap();
            let (long, short) = (dx.max(dy), dx.min(dy));
            assert_eq!(field[c as usize], 10 * (long - short) + 14 * short, "from ({x}, {y})");
        }
    }

    #[test]
    fn the_bound_without_a_field_is_never_above_the_walking_distance() {
        // The grocery's aisles are dearer than its perimeter; the tiny
        // store's floor is plain.
        for name in ["grocery", "tiny"] {
            let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("scenarios/{name}.toml"));
            let store = crate::prepare(&ScenarioFile::read(&path).unwrap(), "baseline").unwrap().store;
            let walkable: Vec<CellId> = (0..store.cell_count() as CellId).filter(|&c| store.is_walkable(c)).collect();
            let mut tight = 0;
            for &target in walkable.iter().step_by(walkable.len() / 7) {
                let field = flow_field(&store, target, Ways::All);
                for &c in &walkable {
                    let bound = distance_at_least(&store, c, target);
                    assert!(
                        bound <= field[c as usize],
                        "{name}: from {c} to {target}: {bound} > {}",
                        field[c as usize]
                    );
                    tight += usize::from(bound == field[c as usize]);
                }
            }
            assert!(tight > walkable.len() / 10, "{name}: the bound is seldom the distance ({tight})");
        }
    }

    #[test]
    fn following_the_field_reaches_the_target_on_walkable_cells_only() {
        let store = tiny();
        let target = store.cell_at(0, Point::new(6.1, 7.6)).unwrap(); // behind the gondolas
        let field = flow_field(&store, target, Ways::All);
        let mut cell = store.cell_at(0, Point::new(11.0, 0.3)).unwrap();
        let mut steps = 0;
        loop {
            match next_step(&store, &field, cell, Ways::All) {
                Step::Arrived => break,
                Step::Walk(n) => {
                    assert!(store.is_walkable(n));
                    assert!(field[n as usize] < field[cell as usize], "the field must fall");
                    cell = n;
                }
                other => panic!("unexpected {other:?}"),
            }
            steps += 1;
            assert!(steps < 1000);
        }
        assert_eq!(cell, target);
    }

    #[test]
    fn a_step_free_way_upstairs_rides_the_lift_and_is_longer() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/department.toml");
        let store = crate::prepare(&ScenarioFile::read(&path).unwrap(), "baseline").unwrap().store;
        // From the main door to the middle of the upper floor.
        let (door, up) =
            (store.cell_at(0, Point::new(27.0, 0.3)).unwrap(), store.cell_at(1, Point::new(12.6, 9.1)).unwrap());
        let mut rode = Vec::new();
        for ways in [Ways::All, Ways::StepFree] {
            let field = flow_field(&store, up, ways);
            let mut cell = door;
            let mut steps = 0;
            loop {
                match next_step(&store, &field, cell, ways) {
                    Step::Arrived => break,
                    Step::Walk(n) => cell = n,
                    Step::Ride(i) => {
                        rode.push((ways, store.connectors[i].step_free));
                        let l = &store.connectors[i];
                        cell = if l.from == cell { l.to } else { l.from };
                    }
                    Step::Stuck => panic!("{ways:?}: stuck"),
                }
                steps += 1;
                assert!(steps < 10_000, "{ways:?}: no end");
            }
            assert_eq!(cell, up);
        }
        assert_eq!(rode, [(Ways::All, false), (Ways::StepFree, true)], "escalator or stairs, then the lift");
        let all = flow_field(&store, up, Ways::All)[door as usize];
        assert!(flow_field(&store, up, Ways::StepFree)[door as usize] > all, "the lift is the longer way here");
    }

    #[test]
    fn the_cache_stays_within_its_byte_limit() {
        let store = tiny();
        let field_bytes = (store.cell_count() * 4) as u64;
        let mut cache = FlowFieldCache::new(field_bytes * 3);
        for x in 0..10 {
            let c = store.cell_at(0, Point::new(0.6 + x as f64, 0.6)).unwrap();
            cache.get(&store, c, Ways::All);
            assert!(cache.bytes() <= field_bytes * 3);
        }
        assert_eq!(cache.computed(), 10);
        let again = store.cell_at(0, Point::new(9.6, 0.6)).unwrap();
        cache.get(&store, again, Ways::All);
        assert_eq!(cache.computed(), 10, "a recent field is served from the cache");
        cache.get(&store, again, Ways::StepFree);
        assert_eq!(cache.computed(), 11, "a step-free field is a field of its own");
    }
    #[test]
    fn a_local_field_is_the_whole_field_where_its_shortest_paths_stay_in_its_square() {
        let store = tiny();
        let target = store.cell_at(0, Point::new(5.6, 2.6)).unwrap();
        let (whole, local) = (flow_field(&store, target, Ways::All), local_field(&store, target, 8));
        let (tx, ty) = (5.5 / store.cell, 2.5 / store.cell);
        let (mut inside, mut equal) = (0, 0);
        for c in 0..store.cell_count() as CellId {
            let (floor, p) = store.centre(c);
            let (dx, dy) = ((p.x / store.cell - tx).abs(), (p.y / store.cell - ty).abs());
            if floor != 0 || dx > 8.5 || dy > 8.5 {
                assert_eq!(local[c as usize], UNREACHABLE, "outside the square: {p:?}");
                continue;
            }
            inside += 1;
            assert!(local[c as usize] >= whole[c as usize], "a path kept in the square is no shorter");
            // Within half the square of an open target, the shortest way stays in it.
            if dx <= 4.0
                && dy <= 4.0
                && store.is_walkable(c)
                && store.first_blocked(0, p, Point::new(5.6, 2.6)).is_none()
            {
                assert_eq!(local[c as usize], whole[c as usize], "{p:?}");
                equal += 1;
            }
        }
        assert!(inside > 200 && equal > 40, "{inside} cells in the square, {equal} compared");
    }

    #[test]
    fn a_cache_sharing_fields_takes_what_another_computed_and_they_agree() {
        let store = tiny();
        let shared = Arc::new(SharedFields::new(u64::MAX));
        let (mut first, mut second) =
            (FlowFieldCache::sharing(u64::MAX, shared.clone()), FlowFieldCache::sharing(u64::MAX, shared.clone()));
        let mut alone = FlowFieldCache::new(u64::MAX);
        let targets: Vec<CellId> =
            (0..store.cell_count() as CellId).filter(|&c| store.is_walkable(c)).step_by(97).collect();
        for &t in &targets {
            first.get(&store, t, Ways::All);
        }
        for &t in &targets {
            assert_eq!(second.get(&store, t, Ways::All), alone.get(&store, t, Ways::All));
        }
        assert_eq!((first.computed(), second.computed()), (targets.len() as u64, 0));
        assert_eq!(shared.bytes(), targets.len() as u64 * store.cell_count() as u64 * 4);
        // Full, the shared fields keep what they hold and the cache computes the rest.
        let small = Arc::new(SharedFields::new(store.cell_count() as u64 * 4));
        let mut third = FlowFieldCache::sharing(u64::MAX, small.clone());
        third.get(&store, targets[0], Ways::All);
        third.get(&store, targets[1], Ways::All);
        let mut fourth = FlowFieldCache::sharing(u64::MAX, small);
        fourth.get(&store, targets[0], Ways::All);
        fourth.get(&store, targets[1], Ways::All);
        assert_eq!((third.computed(), fourth.computed()), (2, 1));
    }
}
