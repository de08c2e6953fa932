//! A desk: a checkout lane or a service counter's, its terminals (or
//! servers) and its line, checked field by field.

use super::{Bounds, Validator, hours_to_ms, shown};
use crate::scenario::model::*;
use crate::scenario::raw::*;

impl Validator<'_> {
    /// One checkout lane or counter's desk, checked field by field.
    pub(super) fn lane(&mut self, raw: &RawScenario, c: &RawLane, population: &Population, role: DeskRole) -> Lane {
        let anchor = Some((role.section(), c.id.as_str()));
        let noun = role.noun();
        let floor = self.floor_index(&raw.store.floors, c.floor.as_deref(), noun, &c.id);
        let s = &c.service;
        self.finite_point(&c.at, &format!("{noun} `{}` at", c.id), anchor);
        for t in c.terminals.iter().flatten() {
            self.finite_point(t, &format!("{noun} `{}` terminal", c.id), anchor);
        }
        let service = Bounds::Closed(0.0, 3600.0, " seconds");
        self.within(s.base_s, service, &format!("{noun} `{}` service base_s", c.id), anchor);
        self.within(s.per_item_s, service, &format!("{noun} `{}` service per_item_s", c.id), anchor);
        // NaN is refused above, and is no sum of zeros.
        self.check(s.base_s + s.per_item_s > 0.0 || (s.base_s + s.per_item_s).is_nan(), anchor, || {
            format!("{noun} `{}` service times must not both be zero", c.id)
        });
        self.check(c.queue_places <= 500, anchor, || {
            format!("{noun} `{}` queue_places must be between 1 and 500, got {}", c.id, c.queue_places)
        });
        self.check((0.0..=3.0).contains(&s.cv), anchor, || {
            format!("{noun} `{}` service cv must be in [0, 3], got {}", c.id, s.cv)
        });
        self.check(c.queue_places >= 1, anchor, || format!("{noun} `{}` needs at least one queue place", c.id));
        if let Some(terminals) = &c.terminals {
            self.check(c.kind == LaneKind::SelfService, anchor, || {
                format!(
                    "checkout `{}` is staffed: a till serves its own line; `terminals` is for self-service lanes",
                    c.id
                )
            });
            let place = role.terminal();
            self.check(!terminals.is_empty(), anchor, || {
                format!("{noun} `{}` lists no {place}s; give at least one or leave `{place}s` out", c.id)
            });
            for (j, b) in terminals.iter().enumerate() {
                let apart = |a: &[f64; 2]| (a[0] - b[0]).hypot(a[1] - b[1]);
                if let Some(i) = terminals[..j].iter().position(|a| apart(a) < MIN_TERMINAL_GAP_M) {
                    let a = terminals[i];
                    self.problem(
                        anchor,
                        format!(
                            "{noun} `{}` {place}s {} at ({}, {}) and {} at ({}, {}) stand {:.2} m apart: two shoppers \
                             served at once would stand in each other; set them at least {MIN_TERMINAL_GAP_M} m apart",
                            c.id,
                            i + 1,
                            a[0],
                            a[1],
                            j + 1,
                            b[0],
                            b[1],
                            apart(&a)
                        ),
                    );
                }
            }
        }
        let hours = c.hours.unwrap_or([population.open_ms as f64 / 3.6e6, population.close_ms as f64 / 3.6e6]);
        let hours_ok = hours[0] < hours[1] && hours[0] >= 0.0 && hours[1] <= 48.0;
        // Store hours by default: bad ones are reported with population.hours.
        self.check(hours_ok || c.hours.is_none(), anchor, || {
            format!(
                "{noun} `{}` hours [{}, {}] must run forwards, within 0 to 48",
                c.id,
                shown(hours[0]),
                shown(hours[1])
            )
        });
        let store_hours = [population.open_ms as f64 / 3.6e6, population.close_ms as f64 / 3.6e6];
        let hours = if hours_ok { hours } else { store_hours };
        let queue_dir = match c.queue {
            Direction::North => (0.0, 1.0),
            Direction::East => (1.0, 0.0),
            Direction::South => (0.0, -1.0),
            Direction::West => (-1.0, 0.0),
        };
        let lane = Lane {
            id: c.id.clone(),
            role,
            kind: c.kind,
            floor,
            service_point: c.at.into(),
            queue_dir,
            queue_places: c.queue_places.max(1),
            terminals: match &c.terminals {
                Some(t) if !t.is_empty() => t.iter().map(|&p| p.into()).collect(),
                _ => vec![c.at.into()],
            },
            service: ServiceModel {
                base_s: s.base_s,
                per_item_s: s.per_item_s,
                // An exponential's spread is its mean: a `cv` set on one
                // changes nothing (and a variant setting it is no change).
                cv: if s.distribution == ServiceDistribution::Exponential { 1.0 } else { s.cv },
                distribution: s.distribution,
            },
            hours_ms: (hours_to_ms(hours[0]), hours_to_ms(hours[1])),
            open: c.open,
        };
        // (A staffed lane's `terminals` are refused above.)
        let listed = c.terminals.as_ref().is_some_and(|t| !t.is_empty());
        if listed && (role == DeskRole::Counter || c.kind == LaneKind::SelfService) {
            self.terminals_off_the_line(&lane);
        }
        lane
    }

    /// A desk's terminals (a counter's servers) keep a body's room from
    /// its laid-out line places, the head's included: one served there and
    /// one waiting there would stand in each other (a counter whose
    /// second server was 0.2 m from its line's second place did, all day).
    fn terminals_off_the_line(&mut self, lane: &Lane) {
        let place = lane.role.terminal();
        for (j, t) in lane.terminals.iter().enumerate() {
            let on_line = (0..lane.queue_places as usize)
                .map(|k| (k, lane.place(k)))
                .find(|(_, at)| at.distance(*t) < MIN_TERMINAL_GAP_M);
            let Some((k, at)) = on_line else { continue };
            let fix = if k == 0 {
                format!(
                    "the head (`at`) is where the next to be served waits: move the {place}, or leave `{place}s` out to serve at `at`"
                )
            } else {
                format!(
                    "keep every {place} at least {MIN_TERMINAL_GAP_M} m from the line's places (move it, or turn the line: `queue`)"
                )
            };
            self.problem(
                Some((lane.role.section(), lane.id.as_str())),
                format!(
                    "{} `{}` {place} {} at ({}, {}) is {:.2} m from its line's place {k} (0 is its head) at ({}, {}): \
                     one served there and one waiting there would stand in each other; {fix}",
                    lane.role.noun(),
                    lane.id,
                    j + 1,
                    shown(t.x),
                    shown(t.y),
                    at.distance(*t),
                    shown((at.x * 1e6).round() / 1e6),
                    shown((at.y * 1e6).round() / 1e6)
                ),
            );
        }
    }
}

impl Scenario {
    /// Checkout lanes and service counters that serve nobody, in words
    /// (valid, but surely not meant): hours that miss the store's, or a
    /// counter closed by `close_lane` (a closed lane is what the edit is
    /// for; a closed counter turns every planned product it sells into a
    /// lost sale, which may be meant, so it is said).
    pub fn idle_desks(&self) -> Vec<String> {
        let (open, close) = (self.population.open_ms, self.population.close_ms);
        let mut found = Vec::new();
        for d in self.desks() {
            let loss = match d.role {
                DeskRole::Checkout => "nobody pays there",
                DeskRole::Counter => "nobody is served there and every planned product it sells is a lost sale",
            };
            if d.hours_ms.0 >= close || d.hours_ms.1 <= open {
                found.push(format!(
                    "{} `{}` is never open while the store is (its hours {}-{}, the store's {}-{}): {loss}; check its \
                     `hours`",
                    d.role.noun(),
                    d.id,
                    clock_time(d.hours_ms.0),
                    clock_time(d.hours_ms.1),
                    clock_time(open),
                    clock_time(close)
                ));
            } else if !d.open && d.role == DeskRole::Counter {
                found.push(format!(
                    "counter `{}` is closed (`close_lane`): {loss}; if the lost sales are not what is meant, move the \
                     counter or change its hours instead",
                    d.id
                ));
            }
        }
        found.extend(self.counters.iter().filter(|c| !self.anyone_plans(&c.sells)).map(|c| {
            format!(
                "counter `{}` sells only categories no segment's list draws (a `list_weight` of 0, or no product \
                 of popularity above 0): nobody comes to it; give a category it sells a `list_weight` above 0 (or \
                 a segment's `categories`), or remove the counter",
                c.desk.id
            )
        }));
        found
    }

    /// Whether some segment's lists may draw a product of one of
    /// `categories` (indices): a counter serves only what is on its
    /// shoppers' lists.
    fn anyone_plans(&self, categories: &[usize]) -> bool {
        let planners: Vec<&Segment> =
            self.population.segments.iter().filter(|g| g.share > 0.0 && g.list_mean > 0.0).collect();
        categories.iter().any(|&c| {
            self.products.iter().any(|p| p.category == c && p.on_lists())
                && planners.iter().any(|g| self.list_weight(g, c) > 0.0)
        })
    }
}
