//! What a comparison says of each difference in words: the verdict, and
//! what it needs said beside it (a difference out of these days' reach, or
//! a direction clear while its size is not).

use super::stats::{self, Method};
use super::{DifferenceOut, format_change, format_p};

/// How far a verdict can be trusted: as the test's level says, or only as
/// a lead (a primary picked after its days were seen, which no correction
/// accounts for).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reading {
    Confirmatory,
    Exploratory,
}

/// "+3.1% revenue per visitor [+1.2%, +5.0%], significant (primary, Holm
/// across 5 variant(s); paired t)"; read as exploratory, ", exploratory:
/// primary chosen late" follows the significance.
pub fn verdict(metric: &str, d: &DifferenceOut, alpha: f64, reading: Reading) -> String {
    let name = metric.replace('_', " ");
    match d.method {
        Method::TooFew if d.n == 0 => {
            format!("{name}: no day has a value in both layouts (nothing to divide by on any of them)")
        }
        Method::TooFew => {
            format!("{name}: no verdict from {} day(s) with a value in both layouts (at least 2 are needed)", d.n)
        }
        Method::Identical => format!(
            "{name}: the same on each of the {} days with a value in both layouts (no difference seen; a change that shows on fewer than {:.0}% of days cannot be excluded)",
            d.n,
            (1.0 - alpha.powf(1.0 / d.n as f64)) * 100.0
        ),
        _ => {
            let level =
                if (alpha - stats::ALPHA).abs() < 1e-12 { String::new() } else { format!(" at α = {alpha:.4}") };
            let exploratory = match reading {
                Reading::Confirmatory => "",
                Reading::Exploratory => ", exploratory: primary chosen late",
            };
            format!(
                "{} {name}, {}{level}{exploratory} ({}; {}){}",
                format_change(d),
                if d.significant { "significant" } else { "not significant" },
                d.family,
                d.method,
                caveat(d, alpha).map(|why| format!("; {why}")).unwrap_or_default()
            )
        }
    }
}

impl DifferenceOut {
    /// Whether the interval a reader is shown (the relative one where there
    /// is one, else the absolute) leaves out no change.
    pub fn shown_interval_excludes_zero(&self) -> bool {
        let (lo, hi) = match &self.relative {
            Some(r) => (Some(r.lo), Some(r.hi)),
            None => (self.lo, self.hi),
        };
        lo.is_some_and(|lo| lo > 0.0) || hi.is_some_and(|hi| hi < 0.0)
    }
}

/// What a verdict needs said beside it: why a difference is not
/// significant where its days say more than "no change" (`out_of_reach`);
/// or, for a significant one whose interval shown still includes no change,
/// why the two differ. Days that all moved one way, one far off the rest,
/// pass the sign-flip test (adjusted p 0.027) while that day carries the
/// interval of the mean across zero (−2.4% to +0.1%): the direction is
/// clear, the size is not, and "a real difference" alone beside that
/// interval read as a contradiction.
pub(super) fn caveat(d: &DifferenceOut, alpha: f64) -> Option<String> {
    if !d.significant {
        return out_of_reach(d, alpha);
    }
    if d.shown_interval_excludes_zero() {
        return None;
    }
    let (p, level) = (format_p(d.p_adjusted.unwrap_or(1.0)), (1.0 - alpha) * 100.0);
    let absolute_excludes_zero = d.lo.is_some_and(|lo| lo > 0.0) || d.hi.is_some_and(|hi| hi < 0.0);
    Some(if absolute_excludes_zero && d.relative.is_some() {
        // Only a rare count's relative interval can cross no change while
        // the difference's own does not (Fieller's, and its resampled
        // form, are clear of it exactly when the difference's is): it is a
        // box of the difference's and the baseline's intervals at half the
        // level each, and at that level the difference's crosses.
        let half = 100.0 - (100.0 - level) / 2.0;
        format!(
            "the days agree on its direction (adjusted p {p}) and the {level:.0}% CI of the difference itself is \
             clear of no change, but the relative CI shown joins the difference's and the baseline's intervals at \
             {half:.1}% each, and at that level the difference's crosses no change: its size relative to the \
             baseline is not settled"
        )
    } else if d.method == Method::RareCounts {
        // The pooled events' test and their interval are two exact
        // bounds: the sign of the events against the Poisson bounds of
        // each layout's count apart, each at a quarter of the level. Six
        // events one way pass the first while the second still crosses
        // (it read "days far off the rest", which rare counts do not have).
        format!(
            "the events in one layout only, pooled over the days, went one way more often than chance allows \
             (adjusted p {p}), but the {level:.0}% CI, bounding each layout's events apart, still crosses no \
             change: the direction is clear, the size is not settled"
        )
    } else {
        format!(
            "the days agree on its direction (adjusted p {p}), but days far off the rest carry the {level:.0}% CI \
             of its size across no change: the size is not settled"
        )
    })
}

/// Said of a difference the sign-flip test finds (p below `alpha`, or
/// every day differing the same way: the smallest p it can give) but could
/// not carry past the correction from these days: that smallest p is above
/// what the correction asks of the first comparison to pass. "Not
/// significant" alone would read as evidence of no change. Below six
/// days, where that test cannot pass even alone, days that all differ get
/// the paired t's interval but no p below the exact test's
/// (`stats::analyse`): an interval clear of zero is said to wait for days.
fn out_of_reach(d: &DifferenceOut, alpha: f64) -> Option<String> {
    let m = d.family.comparisons();
    // Days the layouts agree on flip to nothing: only the differing days
    // set the smallest p the test can give.
    let floor = stats::sign_flip_floor(d.differing);
    let excludes_zero = d.lo.is_some_and(|lo| lo > 0.0) || d.hi.is_some_and(|hi| hi < 0.0);
    if d.method == Method::FewDaysT && excludes_zero {
        let days = if d.differing == d.n { format!("{} days", d.n) } else { format!("{} differing days", d.differing) };
        return Some(format!(
            "no test passes from {days}: the exact sign-flip test gives no p below {:.4}, and the t alone is \
             trusted from {} days on: more days may show it",
            stats::sign_flip_floor(d.differing),
            stats::sign_flip_days(alpha)
        ));
    }
    // A p of 1 is no sign of anything (one differing day gives no other).
    let seen = d.p.is_some_and(|p| p < 1.0 && (p < alpha || p <= floor * (1.0 + 1e-9)));
    if d.method != Method::Resampled || d.significant || !seen || floor * m as f64 <= alpha {
        return None;
    }
    Some(format!(
        "at {} differing days that test gives no p below {floor:.4}, and the correction across {m} asks less than \
         {:.5} of the first to pass: more days may show it",
        d.differing,
        alpha / m as f64
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compare::Family;

    /// Days that never differ rule out a change showing on a share of
    /// days at the comparison's own level: a sequential look at α = 0.025
    /// read the share at 0.05 (26% of 10 days, where 31% holds).
    #[test]
    fn days_that_never_differ_exclude_a_share_at_the_level_used() {
        let d = DifferenceOut {
            method: Method::Identical,
            n: 10,
            differing: 0,
            mean: 0.0,
            lo: None,
            hi: None,
            unpaired: None,
            relative: None,
            p: Some(1.0),
            p_adjusted: Some(1.0),
            family: Family::Secondary { comparisons: 1 },
            significant: false,
            replications_for_1pct: None,
            verdict: String::new(),
        };
        for (alpha, share) in [(0.05, "26%"), (0.025, "31%"), (1.0 / 60.0, "34%")] {
            let said = verdict("revenue", &d, alpha, Reading::Confirmatory);
            assert!(said.contains(&format!("fewer than {share} of days cannot be excluded")), "α {alpha}: {said}");
        }
    }

    /// One differing day in ten gives a p of 1: no sign of anything, so no
    /// "more days may show it" (said 1,717 times over 840 A/A comparisons).
    /// Two differing days the same way give the test's smallest p, 0.5.
    #[test]
    fn a_p_of_one_is_not_said_to_wait_for_more_days() {
        let d = |differing: usize, p: f64| DifferenceOut {
            method: Method::Resampled,
            n: 10,
            differing,
            mean: -0.005,
            lo: Some(f64::NEG_INFINITY),
            hi: Some(f64::INFINITY),
            unpaired: None,
            relative: None,
            p: Some(p),
            p_adjusted: Some(1.0),
            family: Family::Secondary { comparisons: 12 },
            significant: false,
            replications_for_1pct: None,
            verdict: String::new(),
        };
        assert_eq!(out_of_reach(&d(1, 1.0), 0.05), None);
        assert!(out_of_reach(&d(2, 0.5), 0.05).is_some_and(|s| s.contains("more days may show it")));
    }

    /// A rare count's events all one way pass their test while the
    /// interval, bounding each layout's events apart, crosses no change:
    /// the caveat says so, not "days far off the rest".
    #[test]
    fn a_rare_counts_caveat_names_its_pooled_events() {
        let d = DifferenceOut {
            method: Method::RareCounts,
            n: 10,
            differing: 4,
            mean: 0.009,
            lo: Some(-0.0072),
            hi: Some(0.0323),
            unpaired: None,
            relative: None,
            p: Some(0.031),
            p_adjusted: Some(0.031),
            family: Family::Primary { comparisons: 1 },
            significant: true,
            replications_for_1pct: None,
            verdict: String::new(),
        };
        let said = caveat(&d, 0.05).unwrap();
        assert!(said.starts_with("the events in one layout only, pooled over the days"), "{said}");
        assert!(!said.contains("days far off the rest"), "{said}");
    }
}
