//! The comparison section of the report: the decision (forest plot and
//! summary), the estimates, the replications a 1% effect needs, heatmaps
//! and their differences per floor, the wait distributions, the products
//! whose picks moved most, every metric.

use std::fmt::Write as _;
use std::path::Path;

use super::figures::{Ecdf, FloorPlan, Forest, ForestRow, Overlay, heat_blocks, rgb};
use super::html::{esc, figure};
use super::{ReportError, VariantDays};
use plotters::style::RGBColor;
use plotters::style::colors::BLACK;

use crate::compare::stats::{Analysis, Method, analyse, mean};
use crate::compare::{Comparison, DifferenceOut, EstimateOut, Reading, Signed, format_change, format_p, four_places};
use crate::style;

pub(super) fn comparison_section(
    html: &mut String,
    (variants, days_note): (&[VariantDays], Option<String>),
    c: &Comparison,
    dir: &Path,
) -> Result<(), ReportError> {
    if let Some(note) = c.redeclared_note() {
        let _ = writeln!(html, "<p class=\"warn\"><b>Primary metric chosen late:</b> {}.</p>", esc(&note));
    }
    if let Some(note) = c.looks_note() {
        let _ = writeln!(html, "<p class=\"warn\"><b>Days added at sequential looks:</b> {}.</p>", esc(&note));
    }
    if let Some(note) = days_note {
        let _ = writeln!(html, "<p class=\"warn\"><b>Days compared:</b> {}.</p>", esc(&note));
    }
    write_decision(html, c, dir)?;
    write_interval_note(html, c);
    write_estimates_table(html, c);
    write_replications_needed(html, c);
    heat_comparison_figures(html, variants, c, dir)?;
    wait_distribution_figures(html, variants, dir)?;
    write_product_movers(html, variants, c);
    write_all_metrics_table(html, c);
    Ok(())
}

/// Said when the dataset holds days the comparison leaves out (a layout
/// simulated on more seeds than the others, or past the replications
/// analysed): the comparison's tables and figures are drawn from the
/// compared days alone (`variants` there), each layout's own section from
/// all its days. (The figures once averaged each layout over its own days:
/// an A/A copy one day short drew a difference map of red and blue, and
/// the movers' table showed ten days' picks under a three days' header.)
pub(super) fn compared_days_note(all: &[VariantDays], c: &Comparison) -> Option<String> {
    let more: Vec<String> = all
        .iter()
        .filter(|v| v.seeds != c.seeds)
        .map(|v| format!("`{}` {} day(s)", v.prepared.scenario.variant, v.seeds.len()))
        .collect();
    (!more.is_empty() && !c.seeds.is_empty()).then(|| {
        format!(
            "the comparison below, its tables and its figures, covers the {} day(s) it pairs ({}); the dataset holds \
             others ({}), which only each layout's own section further down draws",
            c.seeds.len(),
            seeds_in_words(&c.seeds),
            more.join(", ")
        )
    })
}

/// Seeds as ranges: `seeds 1–3, 7`.
fn seeds_in_words(seeds: &[u64]) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut i = 0;
    while i < seeds.len() {
        let mut j = i;
        while j + 1 < seeds.len() && seeds[j + 1] == seeds[j] + 1 {
            j += 1;
        }
        parts.push(if j == i { seeds[i].to_string() } else { format!("{}–{}", seeds[i], seeds[j]) });
        i = j + 1;
    }
    format!("{} {}", if seeds.len() == 1 { "seed" } else { "seeds" }, parts.join(", "))
}

/// Products shown per layout in the table of those whose picks moved most.
const MOVERS: usize = 10;

/// Per layout, the products whose picks per day moved most against the
/// baseline, on the days both share, with a paired interval each, by the
/// method the days call for (`stats::analyse`, as every metric's: picks
/// are whole numbers, and a t interval from three days of +1 each had no
/// width): where a merchandiser looks first, uncorrected for the many
/// products compared.
fn write_product_movers(html: &mut String, variants: &[VariantDays], c: &Comparison) {
    let Some(base) = variants.iter().find(|v| v.prepared.scenario.variant == c.baseline) else { return };
    let _ = writeln!(
        html,
        "<h3>Products whose picks moved most</h3><p class=\"note\">Picks per day of each product, paired by day \
         against <code>{}</code>, the {MOVERS} largest changes per layout. A pick is a product taken into the basket, \
         paid for or not: a basket left at a crowded till counts its picks, so read picks beside revenue. Each interval is chosen as the \
         metrics' are (paired t, its interval widened where days are skewed, or the sign-flip test's where \
         few days differ or they differ by the same amount: unbounded where so few days cannot bound it). The \
         intervals are not corrected for the {} products compared: read them as where to look, not as \
         findings.</p>",
        esc(&c.baseline),
        base.layout.products.len()
    );
    for v in variants.iter().filter(|v| v.prepared.scenario.variant != c.baseline) {
        if v.layout.products != base.layout.products {
            continue;
        }
        // The days both layouts have, as (baseline run, variant run).
        let pairs: Vec<(usize, usize)> = base
            .seeds
            .iter()
            .enumerate()
            .filter_map(|(i, s)| v.seeds.iter().position(|t| t == s).map(|j| (i, j)))
            .collect();
        if pairs.is_empty() {
            continue;
        }
        let mut rows: Vec<(usize, f64, f64, Analysis)> = (0..base.layout.products.len())
            .map(|p| {
                let (b, x): (Vec<f64>, Vec<f64>) =
                    pairs.iter().map(|&(i, j)| (base.product_picks[i][p] as f64, v.product_picks[j][p] as f64)).unzip();
                (p, mean(&b), mean(&x), analyse(&b, &x, None, c.alpha))
            })
            .filter(|r| r.3.mean != 0.0)
            .collect();
        rows.sort_by(|a, b| b.3.mean.abs().total_cmp(&a.3.mean.abs()).then(a.0.cmp(&b.0)));
        rows.truncate(MOVERS);
        let _ = writeln!(
            html,
            "<h4><code>{}</code></h4><table><tr><th>product</th><th>picks/day baseline</th><th>layout</th>\
             <th>change</th><th>{:.0}% interval</th></tr>",
            esc(&v.prepared.scenario.variant),
            (1.0 - c.alpha) * 100.0
        );
        if rows.is_empty() {
            let _ = writeln!(html, "<tr><td colspan=\"5\">no product's picks changed on any day</td></tr>");
        }
        for (p, b, x, d) in rows {
            let _ = writeln!(
                html,
                "<tr><td>{}</td><td>{b:.2}</td><td>{x:.2}</td><td>{:+.2}</td><td>{}</td></tr>",
                esc(&base.layout.product_names[p]),
                d.mean,
                match d.interval {
                    Some((lo, hi)) if lo.is_finite() && hi.is_finite() => format!("{lo:+.2} to {hi:+.2}"),
                    Some(_) => "unbounded".to_owned(),
                    None => "—".to_owned(),
                }
            );
        }
        let _ = writeln!(html, "</table>");
    }
}

/// Draws and writes the forest plot of each layout's change beside the summary.
fn write_decision(html: &mut String, c: &Comparison, dir: &Path) -> Result<(), ReportError> {
    // The decision first: each layout's change on the primary and key
    // metrics with its interval, coloured by verdict, beside the summary.
    let forest = Forest {
        title: format!("Change against {} ({:.0}% intervals)", c.baseline, (1.0 - c.alpha) * 100.0),
        x_desc: "change relative to the baseline".into(),
        rows: forest_rows(c),
    };
    let _ = write!(html, "<h2>Comparison with <code>{}</code></h2><div class=\"decision\">", esc(&c.baseline));
    figure(
        html,
        dir,
        "compare-forest",
        &forest,
        "forest plot of each layout's change against the baseline",
        "Green: significantly better, red: significantly worse, blue: significant without a better direction, grey: no significant change; * significant after correction, \"direction only\" where the days agree on the direction but the interval of the size still crosses no change. A hollow dot at an edge: the change lies beyond the axis (its figures are in the note). Rows without a bar are absolute changes (the baseline too close to zero, or the days too few to bound a change relative to it) or have no interval.",
    )?;
    let _ = writeln!(html, "<p class=\"lead\">{}</p></div>", esc(&c.summary()));
    Ok(())
}

/// The forest plot's rows: a heading per key metric, then each layout's change.
fn forest_rows(c: &Comparison) -> Vec<ForestRow> {
    let mut rows = Vec::new();
    for metric in c.key_metrics() {
        let Some(m) = c.metric(metric) else { continue };
        // A primary chosen after another was declared is exploratory: the
        // page, table and summary said so, the figure did not.
        let heading = if metric == c.primary && c.reading() == Reading::Exploratory {
            format!("{} (primary, exploratory: chosen late)", metric.replace('_', " "))
        } else if metric == c.primary {
            format!("{} (primary)", metric.replace('_', " "))
        } else {
            metric.replace('_', " ")
        };
        rows.push(ForestRow { label: heading, interval: None, colour: BLACK, note: String::new() });
        for v in &m.variants {
            let Some(d) = &v.versus_baseline else { continue };
            let colour = verdict_colour(metric, d);
            let mark = match (d.significant, d.shown_interval_excludes_zero()) {
                (false, _) => "",
                (true, true) => " *",
                // A red, starred bar across 0% read as a settled loss.
                (true, false) => " * direction only",
            };
            let (interval, note) = match (&d.relative, d.method) {
                (_, Method::TooFew | Method::Identical) => (None, d.method.describe().to_owned()),
                (Some(r), _) => (Some((r.mean, r.lo, r.hi)), format!("{}{mark}", format_change(d))),
                (None, _) => (None, format!("{}{mark}", format_change(d))),
            };
            rows.push(ForestRow { label: format!("  {}", v.variant), interval, colour, note });
        }
    }
    rows
}

/// Writes how the intervals are computed and which metric is primary.
fn write_interval_note(html: &mut String, c: &Comparison) {
    let _ = writeln!(
        html,
        "<p class=\"figure-note\">How to read the intervals: each is a {} confidence interval of the mean daily change over the {} paired day(s), by the method named in the table: the paired t interval when days differ often and without skew, widened towards the studentised bootstrap's where they are skewed; rare differences of a rate pooled as Poisson counts (exact bounds); heavy-tailed or few differences by an exact sign-flip test and the wider of the t and studentised bootstrap intervals. Relative changes are given only where the baseline is clearly away from zero and the days bound the change relative to it (Fieller's interval, which counts the baseline's own uncertainty); otherwise the change is absolute. {} is primary, corrected across layouts; every other metric is corrected across all its comparisons.</p>",
        c.level_text(),
        c.seeds.len(),
        esc(&c.primary.replace('_', " "))
    );
}

/// Writes the table of each headline metric's estimates and differences, by variant.
fn write_estimates_table(html: &mut String, c: &Comparison) {
    html.push_str("<table><tr><th>metric</th><th>variant</th><th>mean [CI]</th><th>vs baseline</th><th>method</th><th>difference [CI]</th><th>p (adjusted)</th><th>CI half-width paired / unpaired</th></tr>");
    for metric in c.headline() {
        let Some(m) = c.metric(metric) else { continue };
        for v in &m.variants {
            let [verdict, method, diff, p, widths] = difference_cells(v.versus_baseline.as_ref());
            let _ = write!(
                html,
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                esc(&metric.replace('_', " ")),
                esc(&v.variant),
                format_estimate(&v.estimate),
                esc(&verdict),
                esc(&method),
                diff,
                p,
                widths
            );
        }
    }
    html.push_str("</table><p class=\"figure-note\">Differences are paired by seed (common random numbers). The unpaired half-width shows what the pairing bought.</p>\n");
}

/// The verdict, method, difference, p value and half-width cells of a
/// variant's row; "baseline" and blanks for the baseline itself.
fn difference_cells(versus_baseline: Option<&DifferenceOut>) -> [String; 5] {
    match versus_baseline {
        None => ["baseline".to_owned(), String::new(), String::new(), String::new(), String::new()],
        Some(d) => [
            d.verdict.clone(),
            d.method.describe().to_owned(),
            match (d.lo, d.hi) {
                (Some(lo), Some(hi)) => format!(
                    "{} [{}, {}]",
                    four_places(d.mean, Signed::Yes),
                    four_places(lo, Signed::Yes),
                    four_places(hi, Signed::Yes)
                ),
                _ => four_places(d.mean, Signed::Yes),
            },
            match (d.p, d.p_adjusted) {
                (Some(p), Some(q)) => format!("{} ({})", format_p(p), format_p(q)),
                _ => "—".into(),
            },
            format!(
                "{} / {}",
                d.half_width().map_or("—".into(), |h| four_places(h, Signed::No)),
                d.unpaired.map_or("—".into(), |(lo, hi)| format!("{:.4}", (hi - lo) / 2.0))
            ),
        ],
    }
}

/// Writes how many replications each layout needs to detect a 1% change
/// in the primary metric, where the comparison could estimate it.
fn write_replications_needed(html: &mut String, c: &Comparison) {
    let Some(m) = c.metric(&c.primary) else { return };
    let needs: Vec<String> = m
        .variants
        .iter()
        .filter_map(|v| {
            let r = v.versus_baseline.as_ref()?.replications_for_1pct?;
            Some(format!("{} ({} to {}) for <code>{}</code>", r.n, r.lo, r.hi, esc(&v.variant)))
        })
        .collect();
    if !needs.is_empty() {
        let _ = writeln!(
            html,
            "<p>Replications needed to detect a 1% change in {} with 80% power by the paired t test at the level of its first Holm step, from the observed paired standard deviation (in brackets: from the ends of that deviation's 95% interval, since it is itself estimated from {} days): {}.</p>",
            esc(&c.primary.replace('_', " ")),
            c.seeds.len(),
            needs.join(", ")
        );
    }
}

/// Writes, floor by floor, every variant's heatmap side by side and draws
/// each layout's difference from the baseline.
fn heat_comparison_figures(
    html: &mut String,
    variants: &[VariantDays],
    c: &Comparison,
    dir: &Path,
) -> Result<(), ReportError> {
    // Every floor: an upstairs effect is drawn as well as a ground-floor one.
    let base = &variants[0];
    let floors = base.prepared.scenario.store.floors.len() as u8;
    for floor in 0..floors {
        let on_floor = if floors > 1 {
            format!(" — floor {}", esc(&base.prepared.scenario.store.floors[floor as usize].id))
        } else {
            String::new()
        };
        let _ = write!(html, "<h3>Heatmaps side by side (one colour scale){on_floor}</h3><div class=\"grid\">");
        for v in variants {
            let _ = write!(
                html,
                "<figure><img src=\"figures/{0}-heatmap-{floor}.png\" alt=\"heatmap of {0}\"><figcaption>{0}</figcaption></figure>",
                esc(&v.prepared.scenario.variant)
            );
        }
        let _ =
            write!(html, "</div>\n<h3>Where shoppers spend more or less time than in the baseline{on_floor}</h3>\n");
        heat_difference_figures(html, variants, &c.baseline, dir, floor)?;
    }
    Ok(())
}

/// Draws and writes each layout's heatmap minus the baseline's on `floor`,
/// all on one diverging colour scale.
fn heat_difference_figures(
    html: &mut String,
    variants: &[VariantDays],
    baseline: &str,
    dir: &Path,
    floor: u8,
) -> Result<(), ReportError> {
    let base = &variants[0];
    let floors = base.prepared.scenario.store.floors.len() as u8;
    let diffs: Vec<f64> = variants[1..]
        .iter()
        .flat_map(|v| {
            heat_blocks(&v.layout, floor, &v.metrics)
                .into_iter()
                .zip(heat_blocks(&base.layout, floor, &base.metrics))
                .map(|(a, b)| (a.1 - b.1).abs())
        })
        .collect();
    let limit = style::scale_top(diffs.into_iter());
    for v in &variants[1..] {
        let s = &v.prepared.scenario;
        let plan = FloorPlan {
            scenario: s,
            layout: &v.layout,
            floor,
            title: format!(
                "{} − {}{}",
                s.variant,
                baseline,
                if floors > 1 { format!(", floor {}", s.store.floors[floor as usize].id) } else { String::new() }
            ),
            overlay: Overlay::HeatDifference {
                variant: heat_blocks(&v.layout, floor, &v.metrics),
                baseline: heat_blocks(&base.layout, floor, &base.metrics),
                limit,
            },
        };
        figure(
            html,
            dir,
            &format!("compare-{}-heat-difference-{floor}", s.variant),
            &plan,
            "difference heatmap",
            "Red: more person-seconds per m² per day than the baseline; blue: fewer. The variant's fixtures are drawn.",
        )?;
    }
    Ok(())
}

/// Draws and writes every variant's checkout wait and, where every variant
/// has one, wait in line as cumulative distributions.
fn wait_distribution_figures(html: &mut String, variants: &[VariantDays], dir: &Path) -> Result<(), ReportError> {
    let waits = Ecdf {
        title: "Checkout wait distribution".into(),
        x_desc: "seconds from joining a queue to paying or giving up".into(),
        series: variants
            .iter()
            .map(|v| (v.prepared.scenario.variant.clone(), v.metrics.queue_wait_s.clone()))
            .collect(),
    };
    figure(html, dir, "compare-queue-wait", &waits, "checkout wait distributions", "")?;
    let in_line = Ecdf {
        title: "Wait in line, before service".into(),
        x_desc: "seconds from joining a queue to being served or giving up".into(),
        series: variants.iter().map(|v| (v.prepared.scenario.variant.clone(), v.metrics.line_wait_s.clone())).collect(),
    };
    if in_line.series.iter().all(|(_, w)| !w.is_empty()) {
        figure(html, dir, "compare-line-wait", &in_line, "distributions of the wait in line", "")?;
    }
    Ok(())
}

/// Writes the table of every metric's mean and change for every variant.
fn write_all_metrics_table(html: &mut String, c: &Comparison) {
    // Every metric, every variant.
    html.push_str("<h3>All metrics</h3><table><tr><th>metric</th>");
    for v in &c.metrics.first().map(|m| m.variants.clone()).unwrap_or_default() {
        let _ = write!(html, "<th>{}</th>", esc(&v.variant));
    }
    html.push_str("</tr>");
    for m in &c.metrics {
        let _ = write!(html, "<tr><td>{} ({})</td>", esc(&m.metric), esc(&m.unit));
        for v in &m.variants {
            let cell = match &v.versus_baseline {
                None => number(v.estimate.mean),
                // No day had the figure (a stop nobody made): nothing to compare.
                Some(_) if !v.estimate.mean.is_finite() => number(v.estimate.mean),
                Some(d) => format!(
                    "{} ({}{})",
                    number(v.estimate.mean),
                    match &d.relative {
                        Some(r) => crate::compare::signed_percent(r.mean),
                        None if d.mean.is_finite() => format!("{:+.4}", d.mean),
                        None => "—".to_owned(),
                    },
                    if d.significant { "*" } else { "" }
                ),
            };
            let _ = write!(html, "<td>{cell}</td>");
        }
        html.push_str("</tr>");
    }
    html.push_str("</table><p class=\"figure-note\">In brackets: paired change against the baseline, relative where the baseline is clearly away from zero and the days bound the change relative to it, absolute otherwise (a row can hold both); * significant after its family's Holm correction.</p>\n");
}

/// "12.3400 [11.9000, 12.7800]", or the mean alone without an interval.
fn format_estimate(e: &EstimateOut) -> String {
    match (e.lo, e.hi) {
        (Some(lo), Some(hi)) => format!("{:.4} [{lo:.4}, {hi:.4}]", e.mean),
        _ => number(e.mean),
    }
}

/// A figure to four decimals; a dash where no day had it (nothing to
/// divide by), not "NaN".
fn number(x: f64) -> String {
    if x.is_finite() { format!("{x:.4}") } else { "—".to_owned() }
}

/// Green for a significant change in the better direction, red for the
/// worse, blue where neither is better, grey for no significant change.
fn verdict_colour(metric: &str, d: &DifferenceOut) -> RGBColor {
    use crate::compare::Better;
    if !d.significant {
        return rgb(style::UNCHANGED);
    }
    match (crate::compare::better(metric), d.mean > 0.0) {
        (Better::Higher, true) | (Better::Lower, false) => rgb(style::BETTER),
        (Better::Higher, false) | (Better::Lower, true) => rgb(style::WORSE),
        (Better::Neither, _) => rgb(style::CHANGED),
    }
}
