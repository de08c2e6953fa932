//! Sequential comparisons: replications added in planned looks until an
//! interval is narrow enough, with the coverage the stop keeps.

use serde::Serialize;

use super::{Comparison, Day, Design, stats};

/// Adding replications until an interval is narrow enough, with a stated
/// guarantee: the looks are planned in advance (the first at `start`, each
/// next adding half as many again, up to `cap`), and every look's
/// intervals are drawn at level α ÷ (number of looks), so by Bonferroni
/// over the looks the intervals at whichever look stops cover the truth
/// with at least 1 − α probability, whatever the stopping time.
#[derive(Debug, Clone, PartialEq)]
pub struct Sequential {
    /// Target half-width of the paired interval of `metric`, in its units.
    pub target: f64,
    pub metric: String,
    pub start: u64,
    pub cap: u64,
}

/// Fewest replications before the first look: the interval's spread
/// estimate from fewer days is too rough to stop on.
pub const MIN_FIRST_LOOK: u64 = 10;

/// What a look decided.
#[derive(Debug, Clone, PartialEq)]
pub enum Look {
    /// Every variant's interval of the metric is at most the target.
    Reached { widest: f64 },
    /// The cap is reached without the target; `holding`: the variant
    /// whose interval is the widest or has no bound.
    Capped { widest: Option<f64>, holding: Option<String> },
    /// Run up to `next` replications and look again.
    Continue { widest: Option<f64>, next: u64, holding: Option<String> },
}

impl Sequential {
    /// The planned looks: replications at each.
    pub fn looks(&self) -> Vec<u64> {
        let mut at = vec![self.start.max(MIN_FIRST_LOOK).min(self.cap.max(MIN_FIRST_LOOK))];
        while let Some(&last) = at.last() {
            if last >= self.cap {
                break;
            }
            at.push((last + (last / 2).max(2)).min(self.cap));
        }
        at
    }

    /// The design every look is analysed with.
    pub fn design(&self, primary: &str) -> Design {
        Design { primary: primary.to_owned(), replications: None, alpha: stats::ALPHA / self.looks().len() as f64 }
    }

    /// Decides after the look at `replications`. A variant without an
    /// interval from too few days never meets the target: nothing can be
    /// said about its width; one the same as the baseline on every day is
    /// left out.
    pub fn decide(&self, comparison: &Comparison, replications: u64) -> Look {
        // A variant the same as the baseline on every day so far (an A/A
        // copy) has no interval to narrow, and more days do not give it
        // one: it is left out (counted as undefined, it kept a study adding
        // days to the cap). With every variant so, nothing is narrow.
        // A copy is told by its days on every metric, not by its method on
        // this one: a rate the same on every day has its pooled counts'
        // interval, narrowing day by day, and an A/A copy of a rare event
        // held the looks; a real layout whose rare events have not come
        // yet still differs elsewhere, and its interval must narrow.
        let copy = |variant: &str| {
            comparison.metrics.iter().all(|m| {
                let d = m.variants.iter().find(|v| v.variant == variant).and_then(|v| v.versus_baseline.as_ref());
                d.is_none_or(|d| d.differing == 0)
            })
        };
        let widths: Vec<(&str, Option<f64>)> = comparison
            .metric(&self.metric)
            .map(|m| {
                let differing =
                    m.variants.iter().filter_map(|v| Some((v.variant.as_str(), v.versus_baseline.as_ref()?)));
                differing
                    .filter(|(v, d)| {
                        d.method != super::Method::Identical && (d.method == super::Method::TooFew || !copy(v))
                    })
                    .map(|(v, d)| (v, d.half_width().filter(|w| w.is_finite())))
                    .collect()
            })
            .unwrap_or_default();
        // The variant that keeps the study going: the first with no bound,
        // else the widest (a study held to its cap said only "inf").
        let unbounded = widths.iter().find(|(_, w)| w.is_none());
        let widest_of = widths.iter().filter_map(|(v, w)| Some((*v, (*w)?))).max_by(|a, b| a.1.total_cmp(&b.1));
        let (widest, holding) = match (unbounded, widest_of) {
            (Some((v, _)), _) => (None, Some(v.to_string())),
            (None, Some((v, w))) => (Some(w), Some(v.to_string())),
            (None, None) => (None, None),
        };
        match (widest, self.looks().into_iter().find(|n| *n > replications)) {
            (Some(w), _) if w <= self.target => Look::Reached { widest: w },
            (widest, None) => Look::Capped { widest, holding },
            (widest, Some(next)) => Look::Continue { widest, next, holding },
        }
    }

    /// What a look at `replications` decided, in words, for the output.
    pub fn describe(&self, look: &Look, replications: u64) -> String {
        let shown = |w: f64| against(w, self.target);
        let width = |w: Option<f64>, holding: &Option<String>| match (w, holding) {
            (Some(w), Some(v)) => format!("{} (`{v}`)", shown(w)),
            (Some(w), None) => shown(w),
            (None, Some(v)) => format!("unbounded for `{v}` (too few of its days differ to bound it)"),
            // Every variant left out: the same as the baseline on every day.
            (None, None) => "undefined (no variant has differed from the baseline on any day)".to_owned(),
        };
        match look {
            Look::Reached { widest } => format!(
                "sequential: paired CI half-width of {} is {} ≤ {} after {replications} replications: target reached",
                self.metric,
                shown(*widest),
                self.target
            ),
            Look::Capped { widest, holding } => format!(
                "sequential: paired CI half-width of {} is {} > {} at the cap of {} replications: target NOT reached",
                self.metric,
                width(*widest, holding),
                self.target,
                self.cap
            ),
            Look::Continue { widest, next, holding } => format!(
                "sequential: half-width {} > {}; adding replications {}..={next}",
                width(*widest, holding),
                self.target,
                replications + 1
            ),
        }
    }

    /// The guarantee, in words, for the output.
    pub fn guarantee(&self) -> String {
        let looks = self.looks();
        let k = looks.len();
        // --replications 3 ran 10 seeds without a word.
        let first = looks[0];
        let raised = if self.start < first {
            format!(
                " (the first look comes after {first} replications, not the {} asked: fewer days' spread is too rough \
                 to stop on)",
                self.start
            )
        } else {
            String::new()
        };
        format!(
            "{k} planned look(s) at {} replications{raised}, each at level {:.4} (0.05 ÷ {k}, Bonferroni over the looks): the intervals at the stop cover the true differences with at least 95% probability whatever the look that stops",
            looks.iter().map(|n| n.to_string()).collect::<Vec<_>>().join(", "),
            stats::ALPHA / k as f64
        )
    }
}

/// A half-width beside the target it is compared with, to as many
/// decimals as tell the two apart (four at least): "0.0300 > 0.03" read
/// as a contradiction for 0.030027.
fn against(width: f64, target: f64) -> String {
    let mut decimals = 4;
    while decimals < 12 && width != target && format!("{width:.decimals$}") == format!("{target:.decimals$}") {
        decimals += 1;
    }
    format!("{width:.decimals$}")
}

/// The looks of the sequential study that added a day, as its run record says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Looks {
    /// A record from before the plan was recorded: the look that added
    /// the day, the fewest the study can have planned.
    AtLeast(u32),
    Planned(u32),
}

impl Looks {
    pub fn count(self) -> u32 {
        match self {
            Looks::AtLeast(n) | Looks::Planned(n) => n,
        }
    }
}

/// Days of a comparison that a sequential study's looks added: how many
/// seeds a study went on to tells of its figures, so a comparison of them
/// keeps that study's level (0.05 ÷ its planned looks), whatever design
/// it is asked for: a fixed one at 0.05 over the same days turned a
/// difference the study found not significant into "a real difference".
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct AddedAtLooks {
    /// The first seed a look added (those before were planned in advance).
    pub from_seed: u64,
    /// The looks of the study that added them (the most, of several).
    pub looks: Looks,
}

impl AddedAtLooks {
    /// Of the days a comparison analyses, those a look added; `None` when
    /// every one was planned in advance.
    pub fn among<'a, 'd: 'a>(days: impl Iterator<Item = &'a Day<'d>>) -> Option<AddedAtLooks> {
        let added: Vec<(u64, Looks)> = days.filter_map(|d| Some((d.seed, d.looks?))).collect();
        Some(AddedAtLooks {
            from_seed: added.iter().map(|a| a.0).min()?,
            looks: added.iter().map(|a| a.1).max_by_key(|l| (l.count(), *l))?,
        })
    }

    /// The level the study's guarantee holds at: 0.05 ÷ its planned looks.
    pub fn alpha(&self) -> f64 {
        stats::ALPHA / self.looks.count().max(1) as f64
    }

    /// What the level of a comparison of these days is, and why, in words.
    pub fn note(&self, alpha: f64) -> String {
        let looks = match self.looks {
            Looks::Planned(n) => format!("{n} planned looks"),
            Looks::AtLeast(n) => format!("{n} looks (at least: their records predate the plan)"),
        };
        format!(
            "seeds {} on were added by a sequential study's looks as its figures asked (`added_at_look` in their run \
             records), so every interval and verdict here is held to that study's level, 0.05 ÷ {looks} = {:.4}, \
             or stricter where the design asks it: α = {alpha:.4} ({:.2}% intervals), not 0.05, whatever \
             --replications asks",
            self.from_seed,
            self.alpha(),
            (1.0 - alpha) * 100.0
        )
    }
}

#[cfg(test)]
mod tests {
    /// (half-width, target, as shown)
    #[test]
    fn a_half_width_is_shown_apart_from_its_target() {
        for (width, target, shown) in
            [(0.030027, 0.03, "0.03003"), (0.0412, 0.03, "0.0412"), (0.03, 0.03, "0.0300"), (0.02999, 0.03, "0.02999")]
        {
            assert_eq!(super::against(width, target), shown);
        }
    }

    /// A study asked to start below the first look says where it starts.
    #[test]
    fn a_start_below_the_first_look_is_said_to_be_raised() {
        let study = |start| super::Sequential { metric: "revenue".to_owned(), target: 0.1, start, cap: 40 };
        let raised = "(the first look comes after 10 replications, not the 3 asked";
        assert!(study(3).guarantee().contains(raised), "{}", study(3).guarantee());
        assert!(!study(10).guarantee().contains("not the"), "{}", study(10).guarantee());
    }
}
