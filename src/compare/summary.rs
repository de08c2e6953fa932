//! A comparison as a paragraph a merchandiser can read.

use super::verdict::{Reading, caveat};
use super::{Comparison, KEY_METRICS, Method, VariantFigure, format_p, signed_percent};

/// "95% CI +1.2% to +5.0%", saying so in words when a bootstrap bound is
/// unbounded (too few days differ for resampling to bound it).
fn interval_text(level: &str, lo: f64, hi: f64, bound: impl Fn(f64) -> String) -> String {
    const WHY: &str = "too few days differ to bound it";
    match (lo.is_finite(), hi.is_finite()) {
        (true, true) => format!("{level} CI {} to {}", bound(lo), bound(hi)),
        (true, false) => format!("{level} CI from {} with no upper bound: {WHY}", bound(lo)),
        (false, true) => format!("{level} CI up to {} with no lower bound: {WHY}", bound(hi)),
        (false, false) => format!("no bounded {level} CI: {WHY}"),
    }
}

impl Comparison {
    /// A paragraph a merchandiser can read: what changed, by how much, how
    /// sure. Secondary metrics are named only for layouts whose primary
    /// verdict is significant: the primary verdict gates them, which keeps
    /// the chance that the paragraph reports any difference that is not
    /// there at 5% when no layout changes anything.
    pub fn summary(&self) -> String {
        let Some(primary) = self.metric(&self.primary) else {
            return "No runs to compare yet.".into();
        };
        let n = self.seeds.len();
        let mut out = format!(
            "Each layout was simulated on the same {n} day(s) of shoppers (common random numbers): a variant that leaves who comes as it was differs by its layout, not by who walked in. "
        );
        let variants: Vec<&VariantFigure> = primary.variants.iter().filter(|v| v.versus_baseline.is_some()).collect();
        if variants.is_empty() {
            out.push_str("Only the baseline was run; add variants to compare.");
            return out;
        }
        if n < 2 {
            out.push_str(&format!(
                "With {n} day(s) per layout no interval or verdict can be given: run at least 2 replications (10 or more to detect small changes)."
            ));
            return out;
        }
        out.push_str(&format!(
            "The primary metric is {}, corrected (Holm) across the {} layout(s) compared with `{}`{}. ",
            self.primary.replace('_', " "),
            variants.len(),
            self.baseline,
            match self.reading() {
                Reading::Confirmatory => String::new(),
                Reading::Exploratory => format!(
                    ", but chosen after a comparison of these days declared `{}` primary: its verdicts are exploratory",
                    self.declared_primary
                ),
            }
        ));
        for v in variants {
            out.push_str(&self.primary_sentence(v));
            out.push_str(&self.also_moves(v));
            out.push_str(". ");
        }
        out.push_str(
            "Other metrics are named only for layouts whose primary verdict is significant; the table marks every metric that passes its own correction.",
        );
        out
    }

    /// The level of every interval, in words ("95%", "99.00%").
    pub(crate) fn level_text(&self) -> String {
        let level = (1.0 - self.alpha) * 100.0;
        if (level - 95.0).abs() < 1e-9 { "95%".to_owned() } else { format!("{level:.2}%") }
    }

    /// What variant `v` does to the primary metric, in words.
    fn primary_sentence(&self, v: &VariantFigure) -> String {
        let d = v.versus_baseline.as_ref().expect("a variant against the baseline");
        let name = self.primary.replace('_', " ");
        let level = self.level_text();
        let abs = |x: f64| format!("{x:+.4}");
        let (change, ci) = match (&d.relative, d.lo, d.hi) {
            (Some(r), _, _) => (signed_percent(r.mean), interval_text(&level, r.lo, r.hi, signed_percent)),
            (None, Some(lo), Some(hi)) => (abs(d.mean), interval_text(&level, lo, hi, abs)),
            (None, _, _) => (abs(d.mean), "no interval".to_owned()),
        };
        let variant = &v.variant;
        match d.method {
            Method::TooFew if d.n == 0 => {
                format!("`{variant}` has no day with {name} in both layouts (nothing to divide by)")
            }
            Method::TooFew => format!("`{variant}` has too few days for a verdict on {name}"),
            Method::Identical if d.n == self.seeds.len() => format!("`{variant}` leaves {name} the same on every day"),
            // Days with the figure in one layout alone are not "the same".
            Method::Identical => format!(
                "`{variant}` leaves {name} the same on the {} of {} days with a value in both layouts",
                d.n,
                self.seeds.len()
            ),
            _ if d.significant => match (caveat(d, self.alpha), self.reading()) {
                (Some(why), _) => format!("`{variant}` changes {name} by {change} ({ci}): {why}"),
                (None, Reading::Confirmatory) => format!(
                    "`{variant}` changes {name} by {change} ({ci}), a real difference (Holm-adjusted p {})",
                    format_p(d.p_adjusted.unwrap_or(1.0))
                ),
                (None, Reading::Exploratory) => format!(
                    "`{variant}` changes {name} by {change} ({ci}), an exploratory difference (Holm-adjusted p {}; \
                     the primary was chosen after seeing the data)",
                    format_p(d.p_adjusted.unwrap_or(1.0))
                ),
            },
            _ => {
                // An interval clear of zero beside "no significant change"
                // read as a contradiction: it is this variant's alone.
                let clear_of_zero = d.lo.zip(d.hi).is_some_and(|(lo, hi)| lo > 0.0 || hi < 0.0);
                let corrected = match d.p_adjusted {
                    Some(p) if clear_of_zero => format!(
                        "; that interval is this variant's alone, the verdict is corrected across the variants: \
                         Holm-adjusted p {}",
                        format_p(p)
                    ),
                    _ => String::new(),
                };
                // Where these days could never pass the test, "no significant
                // change" led a 50% fall over three days (said after it).
                match caveat(d, self.alpha) {
                    Some(why) => format!(
                        "`{variant}` moves {name} by {change} ({ci}{corrected}), not significant from these days: {why}"
                    ),
                    None => format!("`{variant}` shows no significant change in {name} ({change}, {ci}{corrected})"),
                }
            }
        }
    }

    /// "; it also moves …": the other key metrics variant `v` changes
    /// significantly, named only beside a significant primary verdict.
    fn also_moves(&self, v: &VariantFigure) -> String {
        if !v.versus_baseline.as_ref().is_some_and(|d| d.significant) {
            return String::new();
        }
        let moved: Vec<String> = KEY_METRICS
            .iter()
            .filter(|m| **m != self.primary)
            .filter_map(|m| self.metric(m))
            .filter_map(|mc| {
                let f = mc.variants.iter().find(|x| x.variant == v.variant)?;
                let d = f.versus_baseline.as_ref()?;
                let change = match &d.relative {
                    Some(r) => signed_percent(r.mean),
                    None => format!("{:+.4} {}", d.mean, mc.unit),
                };
                // Its days agree on the direction, but its interval still
                // crosses no change: the size read as plainly as a settled one.
                let size = if d.shown_interval_excludes_zero() { "" } else { " (its size not settled)" };
                d.significant.then(|| format!("{} {change}{size}", mc.metric.replace('_', " ")))
            })
            .collect();
        if moved.is_empty() {
            return String::new();
        }
        let family = self
            .metrics
            .iter()
            .filter(|m| m.metric != self.primary)
            .find_map(|m| m.variants.iter().find_map(|x| x.versus_baseline.as_ref()))
            .map(|d| d.family.to_string())
            .unwrap_or_default();
        format!("; it also moves {} ({family})", moved.join(", "))
    }
}
