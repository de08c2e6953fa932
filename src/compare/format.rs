//! How comparisons read: p-values, figures, relative and absolute changes
//! as a terminal, a summary or a page shows them.

use super::DifferenceOut;

/// A p-value as a reader should see it: small ones in scientific notation,
/// never rounded to 0.
pub fn format_p(p: f64) -> String {
    if p >= 0.001 { format!("{p:.3}") } else { format!("{p:.1e}") }
}

/// A figure to four decimals (`signed`: with its sign); "unbounded" for an
/// infinite bound and "—" for a figure no day has.
pub fn four_places(x: f64, signed: Signed) -> String {
    match (x.is_nan(), x.is_finite(), signed) {
        (true, _, _) => "—".to_owned(),
        (_, false, _) => "unbounded".to_owned(),
        (_, true, Signed::Yes) => format!("{x:+.4}"),
        (_, true, Signed::No) => format!("{x:.4}"),
    }
}

/// Whether a figure is shown with its sign.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Signed {
    Yes,
    No,
}

/// A relative change in percent, signed, to two significant figures and
/// never fewer than one decimal: "+12.3%", "+1.2%", "+0.40%", "+0.060%".
/// One decimal below 1% read +0.060% as "+0.1%" and an interval
/// [+0.050%, +0.119%] as "[+0.1%, +0.1%]"; each bound of an interval
/// keeps its two figures too, so none reads rounder than the others.
pub fn signed_percent(x: f64) -> String {
    let p = x * 100.0;
    if p == 0.0 || !p.is_finite() {
        return format!("{p:+.1}%");
    }
    let decimals = (1 - leading_exponent(p)).clamp(1, 12) as usize;
    format!("{p:+.decimals$}%")
}

/// The power of ten of `x`'s first significant figure once rounded to
/// two (0.0996 rounds to 0.10: −1, not −2).
fn leading_exponent(x: f64) -> i32 {
    let e = x.abs().log10().floor() as i32;
    let two_figures = (x.abs() / 10f64.powi(e - 1)).round();
    if two_figures >= 100.0 { e + 1 } else { e }
}

/// A change as a reader should see it: relative where the baseline is
/// clearly away from zero, absolute otherwise.
pub fn format_change(d: &DifferenceOut) -> String {
    // A bootstrap bound can be unbounded (resamples without spread).
    let pct = |x: f64| if x.is_finite() { signed_percent(x) } else { "unbounded".into() };
    match (&d.relative, d.lo, d.hi) {
        (Some(r), _, _) => format!("{} [{}, {}]", pct(r.mean), pct(r.lo), pct(r.hi)),
        // "[unbounded, unbounded]" read as a failure; it is what so few
        // differing days allow (one ±1 transaction on 3 of 10 days).
        // Days that all differ are unbounded only where their amounts
        // repeat (a figure of few values): "5 of 5 days, too few" read as
        // a contradiction, since five differing days elsewhere get the t.
        (None, Some(lo), Some(hi)) if lo.is_infinite() && hi.is_infinite() && d.differing == d.n => format!(
            "{:+.4} (absolute; no interval: the layouts differ on all {} days, but by amounts that repeat (a figure \
             of few values), and so few days cannot bound it)",
            d.mean, d.n
        ),
        (None, Some(lo), Some(hi)) if lo.is_infinite() && hi.is_infinite() => format!(
            "{:+.4} (absolute; no interval: the layouts differ on {} of {} days, too few to bound it)",
            d.mean, d.differing, d.n
        ),
        (None, Some(lo), Some(hi)) => {
            format!("{:+.4} [{}, {}] (absolute)", d.mean, four_places(lo, Signed::Yes), four_places(hi, Signed::Yes))
        }
        (None, _, _) => format!("{:+.4} (no interval)", d.mean),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compare::Family;
    use crate::compare::stats::Method;

    /// (interval, as shown): a bound the days cannot set reads as why.
    #[test]
    fn a_change_without_bounds_says_how_few_days_differ() {
        let d = |(lo, hi): (f64, f64), (differing, n): (usize, usize)| DifferenceOut {
            method: Method::Resampled,
            n,
            differing,
            mean: 0.1,
            lo: Some(lo),
            hi: Some(hi),
            unpaired: None,
            relative: None,
            p: Some(0.75),
            p_adjusted: Some(1.0),
            family: Family::Secondary { comparisons: 2 },
            significant: false,
            replications_for_1pct: None,
            verdict: String::new(),
        };
        let inf = f64::INFINITY;
        for (lo, hi, days, shown) in [
            (
                -inf,
                inf,
                (3, 10),
                "+0.1000 (absolute; no interval: the layouts differ on 3 of 10 days, too few to bound it)",
            ),
            (
                -inf,
                inf,
                (5, 5),
                "+0.1000 (absolute; no interval: the layouts differ on all 5 days, but by amounts that repeat (a \
                 figure of few values), and so few days cannot bound it)",
            ),
            (-inf, 0.5, (3, 10), "+0.1000 [unbounded, +0.5000] (absolute)"),
            (-0.2, 0.5, (3, 10), "+0.1000 [-0.2000, +0.5000] (absolute)"),
        ] {
            assert_eq!(format_change(&d((lo, hi), days)), shown);
        }
    }

    /// (relative change, as shown): two significant figures below 1%, one
    /// decimal from there on, as before.
    const PERCENTS: [(f64, &str); 17] = [
        (0.0, "+0.0%"),
        (0.123_4, "+12.3%"),
        (-0.5, "-50.0%"),
        (0.012, "+1.2%"),
        (0.01, "+1.0%"),
        (0.009_96, "+1.0%"),
        (0.004, "+0.40%"),
        (0.000_6, "+0.060%"),
        (0.000_18, "+0.018%"),
        (0.001_02, "+0.10%"),
        (0.000_996, "+0.10%"),
        (0.000_85, "+0.085%"),
        (0.000_5, "+0.050%"),
        (0.000_4, "+0.040%"),
        (0.000_001_23, "+0.00012%"),
        (-0.000_04, "-0.0040%"),
        (-0.007_3, "-0.73%"),
    ];

    #[test]
    fn small_changes_keep_two_significant_figures() {
        for (x, shown) in PERCENTS {
            assert_eq!(signed_percent(x), shown, "{x}");
        }
    }

    /// Intervals whose ends read alike at one decimal: now they differ.
    #[test]
    fn an_interval_below_one_percent_keeps_its_ends_apart() {
        let interval = |m: f64, lo: f64, hi: f64| {
            format!("{} [{}, {}]", signed_percent(m), signed_percent(lo), signed_percent(hi))
        };
        assert_eq!(interval(0.000_60, 0.000_18, 0.001_02), "+0.060% [+0.018%, +0.10%]");
        assert_eq!(interval(0.000_85, 0.000_50, 0.001_19), "+0.085% [+0.050%, +0.12%]");
        assert_eq!(interval(0.004, 0.000_19, 0.007), "+0.40% [+0.019%, +0.70%]");
        assert_eq!(interval(0.025, 0.008, 0.042), "+2.5% [+0.80%, +4.2%]");
    }
}
