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

/// A relative change in percent, signed: one decimal, or two significant
/// digits where one decimal would read as no change at all (+0.0% beside
/// "a real difference").
pub fn signed_percent(x: f64) -> String {
    let p = x * 100.0;
    if p == 0.0 || !p.is_finite() || p.abs() >= 0.05 {
        return format!("{p:+.1}%");
    }
    let decimals = ((-p.abs().log10()).ceil() as usize + 1).min(12);
    format!("{p:+.decimals$}%")
}

/// A change as a reader should see it: relative where the baseline is
/// clearly away from zero, absolute otherwise.
pub fn format_change(d: &DifferenceOut) -> String {
    // A bootstrap bound can be unbounded (resamples without spread).
    let pct = |x: f64| if x.is_finite() { signed_percent(x) } else { "unbounded".into() };
    match (&d.relative, d.lo, d.hi) {
        (Some(r), _, _) => format!("{} [{}, {}]", pct(r.mean), pct(r.lo), pct(r.hi)),
        (None, Some(lo), Some(hi)) => {
            format!("{:+.4} [{}, {}] (absolute)", d.mean, four_places(lo, Signed::Yes), four_places(hi, Signed::Yes))
        }
        (None, _, _) => format!("{:+.4} (no interval)", d.mean),
    }
}
