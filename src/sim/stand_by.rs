//! Where the companions of one being served wait: spots round each
//! terminal, clear of every terminal and every line's places (`Spots`),
//! each held by one companion at a time (`Claims`). A terminal with too
//! few spots of its own (the middle of a bank of self-service terminals,
//! hemmed in by its neighbours and the lines before it) lends its
//! companions a free one of a terminal near it: without, they stood by
//! their leader, on the next terminal, while others were served there.
//! Where long lines wind over all the floor near a terminal, its
//! companions wait far down one (`Spots::deep`): without a spot, they
//! stood by their leader on the second place of its line, and the next
//! party stood on them.

use super::checkout::body_fits;
use super::crowd::BODY_RADIUS_M;
use crate::geom::Point;
use crate::scenario::{Lane, QUEUE_SPACING_M, Scenario};
use crate::store::Store;

/// How far from its leader's terminal a companion with no spot of its
/// own free waits, at most, metres: a few steps, in plain sight.
const BORROW_M: f64 = 3.5;

/// Every desk's stand-by spots.
pub(super) struct Spots {
    /// Per desk and terminal: its own spots, nearest first, the k-th
    /// companion's the k-th.
    own: Vec<Vec<Vec<Point>>>,
    /// Per desk and terminal: every other point within `BORROW_M` in
    /// plain sight of it where a body may wait (other terminals' spots,
    /// and cell centres clear of every terminal and line place as its own
    /// are and of every door and connector's end), nearest first.
    near: Vec<Vec<Vec<Point>>>,
    /// Per desk and terminal: where no spot of the two above is free,
    /// every point within `BORROW_M` in plain sight of it where a body
    /// may wait, clear of every terminal and door and of every line's
    /// first `DEEP_PLACES` places, those on no line or deepest in one
    /// first (as deep as `DEEP_PLACES` twice counting as deep enough),
    /// then nearest first.
    deep: Vec<Vec<Vec<Point>>>,
}

/// A line this many deep before a body waiting on its next place is in
/// anyone's way is as long as it grows on all but the busiest days.
const DEEP_PLACES: usize = 10;

impl Spots {
    /// The spots round each terminal of `desks` (their `lines` laid out).
    /// Its own: a line place's spacing apart, then two, three, four, past
    /// it, to its sides or slantwise, never back along the line, with room
    /// for a body in plain sight of the terminal, clear of every terminal
    /// and every line's places on its floor (where others are served and
    /// wait: a spot on another desk's line stood companions on those
    /// waiting in it) and nearer this terminal than any other there (so no
    /// spot is two terminals' own).
    pub(super) fn new(scenario: &Scenario, store: &Store, desks: &[Lane], lines: &[Vec<Point>]) -> Spots {
        let own: Vec<Vec<Vec<Point>>> = desks.iter().map(|desk| terminal_spots(store, desk, desks, lines)).collect();
        let near = desks
            .iter()
            .zip(&own)
            .map(|(desk, terminals)| {
                desk.terminals
                    .iter()
                    .zip(terminals)
                    .map(|(&at, mine)| {
                        let others = desks.iter().zip(&own).filter(|(d, _)| d.floor == desk.floor);
                        let lent = others.flat_map(|(_, spots)| spots.iter().flatten()).filter(|p| !mine.contains(p));
                        let mut near: Vec<Point> = lent
                            .copied()
                            .filter(|p| p.distance(at) <= BORROW_M && store.first_blocked(desk.floor, at, *p).is_none())
                            .chain(open_floor(store, desk.floor, at, |p| {
                                clear_of_desks(desks, lines, desk.floor, p) && clear_of_doors(scenario, desk.floor, p)
                            }))
                            .collect();
                        near.sort_by(|a, b| a.distance(at).total_cmp(&b.distance(at)));
                        near
                    })
                    .collect()
            })
            .collect();
        let deep = desks
            .iter()
            .map(|desk| {
                let at_desk = |at: Point| {
                    let depth = |p: Point| line_depth(desks, lines, desk.floor, p).min(2 * DEEP_PLACES);
                    let clear = |p: Point| depth(p) >= DEEP_PLACES && clear_of_doors(scenario, desk.floor, p);
                    let mut deep: Vec<(usize, Point)> =
                        open_floor(store, desk.floor, at, clear).into_iter().map(|p| (depth(p), p)).collect();
                    deep.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.distance(at).total_cmp(&b.1.distance(at))));
                    deep.into_iter().map(|(_, p)| p).collect()
                };
                desk.terminals.iter().map(|&at| at_desk(at)).collect()
            })
            .collect();
        Spots { own, near, deep }
    }

    /// How many spots terminal `terminal` of desk `desk` has of its own.
    #[cfg(test)]
    pub(super) fn own_count(&self, desk: usize, terminal: usize) -> usize {
        self.own[desk][terminal].len()
    }

    /// The spot the `k`-th companion (from 1) of one served at terminal
    /// `terminal` of desk `desk` takes, free in `claims`: its own k-th,
    /// else its first own one free, else the nearest free one near it;
    /// `None` where every one is held.
    pub(super) fn free_for(&self, claims: &Claims, desk: usize, terminal: usize, k: usize) -> Option<Point> {
        let own = &self.own[desk][terminal];
        let kth = k.checked_sub(1).and_then(|k| own.get(k)).copied();
        kth.filter(|p| claims.is_free(*p)).or_else(|| {
            let others = self.near[desk][terminal].iter().chain(&self.deep[desk][terminal]);
            own.iter().chain(others).copied().find(|p| claims.is_free(*p))
        })
    }
}

/// The stand-by spots held now.
#[derive(Default)]
pub(super) struct Claims(Vec<Point>);

impl Claims {
    /// Whether a body may wait at `p`: nobody holds a spot within a
    /// body's room of it.
    fn is_free(&self, p: Point) -> bool {
        self.0.iter().all(|q| q.distance(p) >= 2.0 * BODY_RADIUS_M)
    }

    /// Spot `p` is held.
    pub(super) fn take(&mut self, p: Point) {
        self.0.push(p);
    }

    /// Spot `p`, held, is let go.
    pub(super) fn release(&mut self, p: Point) {
        let held = self.0.iter().position(|&q| q == p);
        debug_assert!(held.is_some(), "spot {p:?} released but not held");
        if let Some(i) = held {
            self.0.swap_remove(i);
        }
    }
}

/// Whether a body at `p` on `floor` keeps clear of every terminal and
/// every line place of `desks` there.
fn clear_of_desks(desks: &[Lane], lines: &[Vec<Point>], floor: u8, p: Point) -> bool {
    let apart = |q: &Point| q.distance(p) >= 2.0 * BODY_RADIUS_M;
    desks
        .iter()
        .zip(lines)
        .filter(|(d, _)| d.floor == floor)
        .all(|(d, line)| d.terminals.iter().all(apart) && line.iter().all(apart))
}

/// How deep in a line on `floor` a body at `p` stands: the first place
/// of any of `desks`' lines within a body's room of it (0 for a terminal),
/// `usize::MAX` where it stands in none.
fn line_depth(desks: &[Lane], lines: &[Vec<Point>], floor: u8, p: Point) -> usize {
    let on = |q: &Point| q.distance(p) < 2.0 * BODY_RADIUS_M;
    desks
        .iter()
        .zip(lines)
        .filter(|(d, _)| d.floor == floor)
        .map(|(d, line)| if d.terminals.iter().any(on) { 0 } else { line.iter().position(on).unwrap_or(usize::MAX) })
        .min()
        .unwrap_or(usize::MAX)
}

/// A body waiting this close to a door or a connector's end stands in
/// the way of everyone coming or going by it, metres.
const DOOR_CLEAR_M: f64 = 1.0;

/// Whether `p` on `floor` keeps `DOOR_CLEAR_M` from every entrance, exit
/// and connector's end there.
fn clear_of_doors(scenario: &Scenario, floor: u8, p: Point) -> bool {
    let doors = scenario.entrances.iter().chain(&scenario.exits).map(|d| (d.floor, d.at));
    let ends = scenario.store.connectors.iter().flat_map(|c| [(c.from.floor, c.from.at), (c.to.floor, c.to.at)]);
    doors.chain(ends).all(|(f, at)| f != floor || at.distance(p) >= DOOR_CLEAR_M)
}

/// The centres of the cells of `floor` within `BORROW_M` of `at`, in
/// plain sight of it, with room for a body, where `clear` holds.
fn open_floor(store: &Store, floor: u8, at: Point, clear: impl Fn(Point) -> bool) -> Vec<Point> {
    let n = (BORROW_M / store.cell).ceil() as i32;
    let mut cells: Vec<_> = (-n..=n)
        .flat_map(|i| (-n..=n).map(move |j| at.offset(i as f64 * store.cell, j as f64 * store.cell)))
        .filter_map(|p| store.cell_at(floor, p))
        .collect();
    cells.sort_unstable();
    cells.dedup();
    cells
        .into_iter()
        .map(|c| store.centre(c).1)
        .filter(|&p| {
            p.distance(at) <= BORROW_M
                && body_fits(store, floor, p)
                && clear(p)
                && store.first_blocked(floor, at, p).is_none()
        })
        .collect()
}

/// The spots round each terminal of `desk`, nearest first (see `Spots::new`).
fn terminal_spots(store: &Store, desk: &Lane, desks: &[Lane], lines: &[Vec<Point>]) -> Vec<Vec<Point>> {
    let (dx, dy) = desk.queue_dir;
    let h = std::f64::consts::FRAC_1_SQRT_2;
    // Past the terminal, its sides, then slantwise (ahead first).
    let ways = [
        (-dx, -dy),
        (dy, -dx),
        (-dy, dx),
        (h * (-dx + dy), h * (-dy - dx)),
        (h * (-dx - dy), h * (-dy + dx)),
        (h * (dx + dy), h * (dy - dx)),
        (h * (dx - dy), h * (dy + dx)),
    ];
    let spots = |at: Point| -> Vec<Point> {
        let clear = |p: Point| {
            let own = |t: &Point| *t == at || p.distance(at) < p.distance(*t);
            let on_floor = desks.iter().filter(|d| d.floor == desk.floor);
            clear_of_desks(desks, lines, desk.floor, p) && on_floor.flat_map(|d| &d.terminals).all(own)
        };
        (1..=4)
            .flat_map(|ring| {
                ways.map(move |(x, y)| (ring as f64 * QUEUE_SPACING_M * x, ring as f64 * QUEUE_SPACING_M * y))
            })
            .map(|(x, y)| at.offset(x, y))
            .filter(|&p| {
                body_fits(store, desk.floor, p) && clear(p) && store.first_blocked(desk.floor, at, p).is_none()
            })
            .collect()
    };
    desk.terminals.iter().map(|&at| spots(at)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::ScenarioFile;
    use crate::sim::checkout::lines;

    /// Every terminal of a desk busy at once, each with a party of four
    /// companions who take their spots in turn: those who get one stand a
    /// body's room from each other, from every terminal and every line
    /// place on their floor, on walkable floor in plain sight of their
    /// leader's terminal and at most `BORROW_M` from it. A terminal with no
    /// spot of its own (hemmed in by lines) finds one near for its first
    /// companion.
    #[test]
    fn companions_of_those_served_side_by_side_each_get_a_spot_of_their_own() {
        let mut layouts = crate::shipped_layouts();
        for file in ["front_tills", "counter_upstairs", "bent_line"] {
            let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("tests/data/{file}.toml"));
            layouts.push((file, crate::prepare(&ScenarioFile::read(&path).unwrap(), "baseline").unwrap()));
        }
        let room = 2.0 * BODY_RADIUS_M - 1e-9;
        for (name, p) in &layouts {
            let desks: Vec<Lane> = p.scenario.desks().cloned().collect();
            let lines = lines(&p.store, &desks.iter().collect::<Vec<_>>());
            let spots = Spots::new(&p.scenario, &p.store, &desks, &lines);
            for (d, desk) in desks.iter().enumerate() {
                let mut claims = Claims::default();
                let mut got = vec![0; desk.terminals.len()];
                for k in 1..=4 {
                    for (t, &at) in desk.terminals.iter().enumerate() {
                        let Some(spot) = spots.free_for(&claims, d, t, k) else { continue };
                        let what = format!("{name} {} terminal {t}, companion {k} at {spot:?}", desk.id);
                        assert!(claims.0.iter().all(|q| q.distance(spot) >= room), "{what}: apart from the others");
                        let floor = desks.iter().zip(&lines).filter(|(o, _)| o.floor == desk.floor);
                        for (o, line) in floor {
                            assert!(
                                o.terminals.iter().chain(line).all(|q| q.distance(spot) >= room),
                                "{what}: clear of {}",
                                o.id
                            );
                        }
                        assert!(body_fits(&p.store, desk.floor, spot), "{what}: room for a body");
                        assert!(p.store.first_blocked(desk.floor, at, spot).is_none(), "{what}: in sight");
                        assert!(spot.distance(at) <= BORROW_M + 1e-9, "{what}: near");
                        claims.take(spot);
                        got[t] += 1;
                    }
                }
                for t in (0..desk.terminals.len()).filter(|&t| spots.own_count(d, t) == 0) {
                    assert!(got[t] >= 1, "{name} {} terminal {t}: no spot of its own, and none near", desk.id);
                }
            }
        }
    }

    /// A terminal hemmed in by a line all round it (as the grocery's
    /// self-service bank's middle terminals were by its snaking line) has
    /// no spot of its own; its first companion takes one near, clear of
    /// the line, in plain sight and within `BORROW_M`.
    #[test]
    fn a_terminal_hemmed_in_lends_its_companion_a_spot_near() {
        let (_, p) = crate::shipped_layouts().into_iter().find(|(name, _)| *name == "grocery").expect("shipped");
        let desks: Vec<Lane> = p.scenario.desks().cloned().collect();
        let d = desks.iter().position(|desk| desk.id == "L5").expect("the self-service bank");
        let mut lines = lines(&p.store, &desks.iter().collect::<Vec<_>>());
        let at = desks[d].terminals[1];
        let ring = (0..16).map(|k| k as f64 * std::f64::consts::TAU / 16.0);
        lines[d].extend(ring.map(|a| at.offset(0.45 * a.cos(), 0.45 * a.sin())));
        let spots = Spots::new(&p.scenario, &p.store, &desks, &lines);
        assert_eq!(spots.own_count(d, 1), 0, "hemmed in");
        let spot = spots.free_for(&Claims::default(), d, 1, 1).expect("a spot near");
        assert!(spot.distance(at) <= BORROW_M + 1e-9 && spot.distance(at) >= 0.45, "{spot:?}");
        assert!(lines.iter().flatten().all(|q| q.distance(spot) >= 2.0 * BODY_RADIUS_M - 1e-9), "{spot:?}");
        assert!(p.store.first_blocked(desks[d].floor, at, spot).is_none(), "in sight: {spot:?}");
    }
}
