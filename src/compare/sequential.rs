//! Sequential comparisons: replications added in planned looks until an
//! interval is narrow enough, with the coverage the stop keeps.

use super::{Comparison, Design, stats};

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
    /// The cap is reached without the target.
    Capped { widest: Option<f64> },
    /// Run up to `next` replications and look again.
    Continue { widest: Option<f64>, next: u64 },
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
        let widths: Vec<Option<f64>> = comparison
            .metric(&self.metric)
            .map(|m| {
                let differing = m.variants.iter().filter_map(|v| v.versus_baseline.as_ref());
                differing.filter(|d| d.method != super::Method::Identical).map(|d| d.half_width()).collect()
            })
            .unwrap_or_default();
        let widest = widths
            .iter()
            .copied()
            .collect::<Option<Vec<f64>>>()
            .filter(|w| !w.is_empty())
            .map(|w| w.into_iter().fold(0.0, f64::max));
        match (widest, self.looks().into_iter().find(|n| *n > replications)) {
            (Some(w), _) if w <= self.target => Look::Reached { widest: w },
            (widest, None) => Look::Capped { widest },
            (widest, Some(next)) => Look::Continue { widest, next },
        }
    }

    /// What a look at `replications` decided, in words, for the output.
    pub fn describe(&self, look: &Look, replications: u64) -> String {
        let width = |w: Option<f64>| w.map_or("undefined (no interval)".to_owned(), |w| format!("{w:.4}"));
        match look {
            Look::Reached { widest } => format!(
                "sequential: paired CI half-width of {} is {widest:.4} ≤ {} after {replications} replications: target reached",
                self.metric, self.target
            ),
            Look::Capped { widest } => format!(
                "sequential: paired CI half-width of {} is {} > {} at the cap of {} replications: target NOT reached",
                self.metric,
                width(*widest),
                self.target,
                self.cap
            ),
            Look::Continue { widest, next } => format!(
                "sequential: half-width {} > {}; adding replications {}..={next}",
                width(*widest),
                self.target,
                replications + 1
            ),
        }
    }

    /// The guarantee, in words, for the output.
    pub fn guarantee(&self) -> String {
        let k = self.looks().len();
        format!(
            "{k} planned look(s) at {} replications, each at level {:.4} (0.05 ÷ {k}, Bonferroni over the looks): the intervals at the stop cover the true differences with at least 95% probability whatever the look that stops",
            self.looks().iter().map(|n| n.to_string()).collect::<Vec<_>>().join(", "),
            stats::ALPHA / k as f64
        )
    }
}
