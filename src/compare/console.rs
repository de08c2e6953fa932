//! A comparison as plain text for a terminal: the key metrics' estimates
//! and verdicts, and the replications a 1% change would need.

use super::verdict::{Reading, verdict};
use super::{Comparison, Signed, format_p, four_places};

/// A warning when `primary` is not the primary a comparison of the dataset
/// declared first (`declared`): picking the primary from what the data
/// showed is a choice no correction accounts for.
pub fn redeclared_note(primary: &str, declared: &str) -> Option<String> {
    (primary != declared).then(|| {
        format!(
            "the primary metric `{primary}` was chosen after a comparison of this dataset declared `{declared}`: a \
             primary picked after seeing the data is not covered by its correction, so read its verdict as \
             exploratory (declare the primary with the first `aisle compare --metric`)"
        )
    })
}

impl Comparison {
    /// One block per key metric (the primary first): each variant's
    /// estimate and, against the baseline, its verdict.
    pub fn table(&self) -> String {
        let mut out = String::new();
        for metric in self.headline() {
            let Some(m) = self.metric(metric) else { continue };
            let meaning = crate::metrics::catalogue::meaning(metric).map_or(String::new(), |d| format!(": {d}"));
            out += &format!("{metric} ({}){meaning}\n", m.unit);
            for v in &m.variants {
                let e = &v.estimate;
                let estimate = match (e.lo, e.hi) {
                    (Some(lo), Some(hi)) => format!("{:>12.4} [{lo:.4}, {hi:.4}]", e.mean),
                    _ if e.mean.is_finite() => format!("{:>12.4} (no interval)", e.mean),
                    // No day had the figure (nothing to divide by).
                    _ => format!("{:>12} (no day has it)", "—"),
                };
                let dash = || "—".to_owned();
                out += &match &v.versus_baseline {
                    None => format!("  {:<24} {estimate}\n", v.variant),
                    Some(d) => format!(
                        "  {:<24} {estimate}  {}  (p {}, adjusted {}; CI half-width paired {} vs unpaired {})\n",
                        v.variant,
                        d.verdict,
                        d.p.map_or_else(dash, format_p),
                        d.p_adjusted.map_or_else(dash, format_p),
                        d.half_width().map_or_else(dash, |h| four_places(h, Signed::No)),
                        d.unpaired.map_or_else(dash, |(lo, hi)| format!("{:.4}", (hi - lo) / 2.0)),
                    ),
                };
            }
        }
        out
    }

    /// This comparison as a later one of a dataset whose comparisons
    /// declared `declared` primary first (`None`: this is the first); its
    /// primary's verdicts marked exploratory where that is another metric.
    pub fn declared_before(self, declared: Option<String>) -> Comparison {
        let mut c = Comparison { declared_primary: declared.unwrap_or(self.declared_primary), ..self };
        if c.reading() == Reading::Exploratory {
            let (primary, alpha) = (c.primary.clone(), c.alpha);
            let differences = c.metrics.iter_mut().filter(|m| m.metric == primary).flat_map(|m| &mut m.variants);
            for d in differences.filter_map(|v| v.versus_baseline.as_mut()) {
                d.verdict = verdict(&primary, d, alpha, Reading::Exploratory);
            }
        }
        c
    }

    /// How the primary's verdicts read: exploratory where the primary was
    /// chosen after a comparison of the dataset declared another.
    pub fn reading(&self) -> Reading {
        if self.primary == self.declared_primary { Reading::Confirmatory } else { Reading::Exploratory }
    }

    /// A warning when the primary metric was chosen after a comparison
    /// declaring another had been made: picking the primary from what the
    /// data showed is a choice no correction accounts for.
    pub fn redeclared_note(&self) -> Option<String> {
        redeclared_note(&self.primary, &self.declared_primary)
    }

    /// Why this comparison is held to a sequential study's level, where
    /// that study's looks added some of its days.
    pub fn looks_note(&self) -> Option<String> {
        Some(self.added_at_looks?.note(self.alpha))
    }

    /// Replications each variant needs to detect a 1% change in the primary
    /// metric with 80% power, or `None` when no variant says.
    pub fn replications_note(&self) -> Option<String> {
        let m = self.metric(&self.primary)?;
        let needs: Vec<String> = m
            .variants
            .iter()
            .filter_map(|v| {
                let r = v.versus_baseline.as_ref()?.replications_for_1pct?;
                Some(format!("{}: {} ({} to {})", v.variant, r.n, r.lo, r.hi))
            })
            .collect();
        (!needs.is_empty()).then(|| {
            format!(
                "replications to detect a 1% change in {} with 80% power (paired t at the level of its first Holm step, and no fewer days than the sign-flip test can pass from; in brackets, from the ends of the spread's 95% interval): {}",
                self.primary.replace('_', " "),
                needs.join(", ")
            )
        })
    }
}
