//! Who comes: visitors, opening hours and the arrival profile, and the
//! segments with their traits and missions (what each plans and browses,
//! by category).

use super::{Bounds, Validator, hours_to_ms};
use crate::names;
use crate::scenario::counted;
use crate::scenario::model::{Category, Fixture, Population, Segment};
use crate::scenario::raw::{FixtureKind, RawPopulation, RawSegment};

/// What a stop may be at, for messages about a segment's `stops`
/// (`FixtureKind::STOPS`).
pub(crate) const STOPS_ARE: &str = "a stop is at `seating` or a `fitting_room`";

impl Validator<'_> {
    pub(super) fn population(&mut self, p: &RawPopulation) -> Population {
        self.within(p.daily_visitors, Bounds::Positive(1e6, ""), "population.daily_visitors", None);
        let [open, close] = p.hours;
        let hours_ok = (0.0..24.0).contains(&open) && open < close && close <= 24.0;
        // Bad hours are reported below; the model gets an empty day, so nothing loops over them.
        let (open, close) = if hours_ok { (open, close) } else { (0.0, 0.0) };
        let [shown_open, shown_close] = p.hours;
        self.check(hours_ok, None, || {
            format!(
                "population.hours [{shown_open}, {shown_close}] must be opening and closing hours within one day, \
                 opening first: 0 ≤ open < close ≤ 24 (e.g. [8, 20])"
            )
        });
        self.check((0.0..=100.0).contains(&p.circulation_penalty_m), None, || {
            format!(
                "population.circulation_penalty_m must be between 0 and 100 metres, got {}",
                p.circulation_penalty_m
            )
        });
        self.check((0.0..=2.0).contains(&p.aisle_reluctance), None, || {
            format!("population.aisle_reluctance must be between 0 and 2, got {}", p.aisle_reluctance)
        });
        let mismatch = profile_mismatch(p.hours, p.hourly_profile.len());
        self.check(mismatch.is_none(), None, || format!("population.{}", mismatch.unwrap_or_default()));
        let total: f64 = p.hourly_profile.iter().sum();
        let weight = Bounds::Closed(0.0, 1e6, "");
        self.check(p.hourly_profile.iter().all(|w| weight.holds(*w)) && total > 0.0, None, || {
            format!("population.hourly_profile values must each be {weight}, with a positive sum")
        });
        let total = if total.is_finite() { total } else { 0.0 };
        self.check(!p.segments.is_empty(), None, || {
            "population.segments is empty: add a `[[population.segments]]`".into()
        });
        self.unique("segment", p.segments.iter().map(|s| s.id.as_str()));
        let share_sum: f64 = p.segments.iter().map(|s| s.share).sum();
        let first = p.segments.first().map(|s| ("population.segments.id", s.id.as_str()));
        self.check((share_sum - 1.0).abs() < 1e-6 || p.segments.is_empty(), first, || {
            format!("segment shares sum to {share_sum:.3}, not 1: make the segments' `share` values add up to 1")
        });
        let segments = p.segments.iter().map(|s| self.segment(s)).collect();
        // Each value is an hour's arrival intensity; a last hour open in
        // part has that part of it, so `daily_visitors` come over the day
        // however it ends (the profile is scaled by its weight over the
        // hours actually open).
        let open_h = close - open;
        let weighted: f64 =
            p.hourly_profile.iter().enumerate().map(|(h, w)| w * (open_h - h as f64).clamp(0.0, 1.0)).sum();
        let total = if total > 0.0 && weighted > 0.0 && weighted.is_finite() { weighted } else { 1.0 };
        Population {
            daily_visitors: p.daily_visitors,
            open_ms: hours_to_ms(open.max(0.0)),
            close_ms: hours_to_ms(close.max(open.max(0.0))),
            hourly_profile: p.hourly_profile.iter().map(|w| w / total).collect(),
            segments,
            circulation: p.circulation,
            circulation_penalty_m: p.circulation_penalty_m,
            aisle_reluctance: p.aisle_reluctance,
        }
    }

    /// One segment, checked field by field (its mission is checked against
    /// the categories apart).
    fn segment(&mut self, s: &RawSegment) -> Segment {
        let anchor = ("population.segments.id", s.id.as_str());
        let name = |field: &str| format!("segment `{}` {field}", s.id);
        self.unit_interval(s.share, &name("share"), anchor);
        self.unit_interval(s.impulse, &name("impulse"), anchor);
        self.unit_interval(s.browsing, &name("browsing"), anchor);
        self.unit_interval(s.put_back, &name("put_back"), anchor);
        self.check((0.0..=200.0).contains(&s.list_mean), Some(anchor), || {
            format!("segment `{}` list_mean must be between 0 and 200, got {}", s.id, s.list_mean)
        });
        let anchor = Some(anchor);
        self.within(s.speed_mean, Bounds::Closed(0.4, 2.5, " m/s"), &name("speed_mean"), anchor);
        self.within(s.speed_sd, Bounds::Closed(0.0, 1.0, " m/s"), &name("speed_sd"), anchor);
        self.within(s.patience_s, Bounds::Positive(1e7, " seconds"), &name("patience_s"), anchor);
        self.within(s.dwell_median_s, Bounds::Positive(3600.0, " seconds"), &name("dwell_median_s"), anchor);
        let search = Bounds::Positive(3600.0, " seconds");
        self.within(s.search_patience_s, search, &name("search_patience_s"), anchor);
        self.within(s.group_mean, Bounds::Closed(1.0, 10.0, ""), &name("group_mean"), anchor);
        Segment {
            id: s.id.clone(),
            share: s.share,
            list_mean: s.list_mean,
            speed_mean: s.speed_mean,
            speed_sd: s.speed_sd,
            impulse: s.impulse,
            patience_s: s.patience_s,
            browsing: s.browsing,
            put_back: s.put_back,
            dwell_median_s: s.dwell_median_s,
            search_patience_s: s.search_patience_s,
            group_mean: s.group_mean,
            category_weights: None,
            stops: self.stops(s),
            step_free: s.step_free,
        }
    }

    /// A segment's stops: at seating or fitting rooms, each a probability.
    fn stops(&mut self, s: &RawSegment) -> Vec<(FixtureKind, f64)> {
        let anchor = ("population.segments.id", s.id.as_str());
        let mut out = Vec::new();
        for (&kind, &chance) in &s.stops {
            if !FixtureKind::STOPS.contains(&kind) {
                self.problem(Some(anchor), format!("segment `{}` stops at `{kind}`; {STOPS_ARE}", s.id));
                continue;
            }
            self.unit_interval(chance, &format!("segment `{}` stops.{kind}", s.id), anchor);
            out.push((kind, chance));
        }
        out
    }

    /// Every stop a segment may make has a fixture of its kind to make it at.
    pub(super) fn stop_fixtures(&mut self, raw: &RawPopulation, fixtures: &[Fixture], population: &Population) {
        for (segment, rs) in population.segments.iter().zip(&raw.segments) {
            for &(kind, chance) in &segment.stops {
                self.check(chance == 0.0 || fixtures.iter().any(|f| f.kind == kind), Some(("population.segments.id", rs.id.as_str())), || {
                    format!(
                        "segment `{}` stops at {kind} (chance {chance}) but the store has no fixture of kind = \"{kind}\"",
                        rs.id
                    )
                });
            }
        }
    }

    /// Each segment's own category weights, checked against the
    /// categories; segments without a mission draw by the categories'
    /// `list_weight`, which must then plan something.
    pub(super) fn missions(&mut self, raw: &RawPopulation, categories: &[Category], population: &mut Population) {
        for (segment, rs) in population.segments.iter_mut().zip(&raw.segments) {
            if rs.categories.is_empty() {
                continue;
            }
            let anchor = Some(("population.segments.id", rs.id.as_str()));
            let mut weights = vec![0.0; categories.len()];
            for (id, &weight) in &rs.categories {
                match categories.iter().position(|c| &c.id == id) {
                    Some(c) => {
                        let what = format!("segment `{}` categories.{id}", rs.id);
                        self.within(weight, Bounds::Closed(0.0, 1e6, ""), &what, anchor);
                        weights[c] = weight;
                    }
                    None => self.problem(
                        anchor,
                        format!(
                            "segment `{}` categories: `{id}` is not a category; {}",
                            rs.id,
                            names::hint(id, "categories", categories.iter().map(|c| c.id.as_str()))
                        ),
                    ),
                }
            }
            let plans = segment.list_mean > 0.0 || segment.browsing > 0.0;
            self.check(!plans || weights.iter().any(|w| *w > 0.0), anchor, || {
                format!(
                    "segment `{}` gives every category weight 0 but plans or browses: give a category a positive weight",
                    rs.id
                )
            });
            segment.category_weights = Some(weights);
        }
        let by_list_weight = population.segments.iter().any(|s| s.category_weights.is_none());
        let first = categories.first().map(|c| ("categories.id", c.id.as_str()));
        self.check(!by_list_weight || categories.iter().any(|c| c.list_weight > 0.0), first, || {
            "every category has list_weight 0: shoppers would plan nothing; give a category a positive list_weight \
             (or each segment its own mission: population.segments.categories)"
                .into()
        });
    }
}

/// What is wrong with an arrival profile of `values` values over opening
/// `hours` (none when they fit, or when the hours are no day: said apart).
pub(in crate::scenario) fn profile_mismatch([open, close]: [f64; 2], values: usize) -> Option<String> {
    let hours_ok = (0.0..24.0).contains(&open) && open < close && close <= 24.0;
    let expected = (close - open).ceil() as usize;
    (hours_ok && values != expected).then(|| {
        let open_for = close - open;
        // A part hour counts as an hour of its own ("open for 2 hours" read
        // wrong of [10, 11.5]).
        let hours = match open_for.fract() {
            0.0 => counted(expected, "hour", "hours"),
            _ => format!("{open_for} hours, which start {}", counted(expected, "hour", "hours")),
        };
        format!(
            "hourly_profile has {} but the store is open for {hours} ([{open}, {close}]): give one value per hour the \
             store is open, a part hour too",
            counted(values, "value", "values"),
        )
    })
}

/// A median shelf visit longer than this (two minutes) is warned of:
/// shoppers read a label or two, they do not sit at a shelf.
pub const LONG_SHELF_DWELL_S: f64 = 120.0;

impl crate::scenario::Scenario {
    /// Segments whose habits the simulation cannot give them, in words
    /// (valid, but surely not meant): a `speed_mean` above the fastest a
    /// shopper walks, a `list_mean` above the distinct products its lists
    /// can hold (a list of 200 stopped at 6, in silence); stops that
    /// outlast the day, and shelf visits of minutes.
    pub fn unreachable_habits(&self) -> Vec<String> {
        let mut found =
            [self.unplannable_categories(), self.idle_lookers(), self.overlong_stays(), self.repeated_placements()]
                .concat();
        let list_weights: Vec<f64> = self.categories.iter().map(|c| c.list_weight).collect();
        for g in &self.population.segments {
            if g.speed_mean > crate::scenario::model::WALKING_MPS.1 {
                found.push(format!(
                    "segment `{}`: speed_mean = {} m/s, but walking speeds are held to {:.1}-{:.1} m/s: its shoppers walk at \
                     {:.1} m/s at most; set speed_mean to {:.1} or less",
                    g.id, g.speed_mean, crate::scenario::model::WALKING_MPS.0, crate::scenario::model::WALKING_MPS.1, crate::scenario::model::WALKING_MPS.1, crate::scenario::model::WALKING_MPS.1
                ));
            }
            let weights = g.category_weights.as_ref().unwrap_or(&list_weights);
            let plannable = self.products.iter().filter(|p| weights[p.category] > 0.0 && p.on_lists()).count();
            if g.list_mean > plannable as f64 {
                found.push(format!(
                    "segment `{}`: list_mean = {}, but only {plannable} distinct product(s) can be on its lists (those of \
                     the categories it plans from): its lists stop there; lower list_mean or give it more products",
                    g.id, g.list_mean
                ));
            }
        }
        found
    }

    /// Stops at seating or fitting rooms that outlast the day, and shelf
    /// visits of minutes.
    pub(crate) fn overlong_stays(&self) -> Vec<String> {
        [self.stops_longer_than_the_day(), self.long_shelf_visits()].concat()
    }

    /// Segments whose median shelf visit is past `LONG_SHELF_DWELL_S`:
    /// surely a stop's median set on the segment (an hour's shelf visits
    /// by a door kept most of a day's visitors out).
    fn long_shelf_visits(&self) -> Vec<String> {
        (self.population.segments.iter())
            .filter(|g| g.dwell_median_s > LONG_SHELF_DWELL_S)
            .map(|g| {
                format!(
                    "segment `{}`: dwell_median_s = {} s at every shelf its shoppers shop (shelf visits take seconds: \
                     the default is 6 s): they stand that long where they shop, in others' way, and by a door in its \
                     doorway, keeping visitors out; a stop at seating or a fitting room is set on the fixture \
                     (`fixtures.dwell_median_s`)",
                    g.id, g.dwell_median_s
                )
            })
            .collect()
    }

    /// Stops whose median lasts longer than the whole day, opening to the
    /// hard end: most who stop there, whenever they came, are made to
    /// leave from their seat or fitting room at the end (a bench of two
    /// hours in a day of one and a half: 11 of 53 forced out, in silence
    /// until the run was over).
    fn stops_longer_than_the_day(&self) -> Vec<String> {
        let day_s = self.hard_end_ms() as f64 / 1000.0;
        (self.fixtures.iter())
            .filter(|f| FixtureKind::STOPS.contains(&f.kind) && f.stop_median_s > day_s)
            .map(|f| {
                format!(
                    "fixture `{}`: a stop there lasts {:.0} s at the median, longer than the whole day ({:.0} s from \
                     opening to the end of the drain): most who stop there are made to leave at the end; shorten \
                     its dwell_median_s",
                    f.id, f.stop_median_s, day_s
                )
            })
            .collect()
    }
}
