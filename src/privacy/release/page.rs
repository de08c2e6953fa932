//! The release's human-readable page: what was released with which
//! guarantee, the noised figures, the comparison with the baseline, and
//! the noised heatmaps.

use std::fmt::Write as _;
use std::path::Path;

use super::compared::Reading;
use super::listed::{MetricOut, NOISE_SDS_95, Noisy};
use super::{ComparisonRow, Gathered, NEIGHBOURING, Noised, PublishPlan, VariantRelease, compared, unit_of_privacy};
use crate::privacy::PrivacyError;
use crate::privacy::query::{Calibration, Query};
use crate::report::figures::{Bar, Bars, FloorPlan, Overlay, heat_density, rgb};
use crate::report::html::{STYLE, esc, figure};
use crate::style;

pub(super) fn page(
    figures_dir: &Path,
    g: &Gathered,
    n: &Noised,
    rows: &[ComparisonRow],
    variants: &[VariantRelease],
    (stamp, privacy): (&str, &str),
    (plan, cal): (&PublishPlan, &Calibration),
) -> Result<String, PrivacyError> {
    let mut html = String::new();
    page_head(&mut html, g, plan, privacy);
    figures_table(&mut html, variants);
    let figures = Figures { dir: figures_dir, g, n, stamp, plan, cal };
    // Said on the page as to the curator: a release of one seed listed
    // nothing compared and said nothing of why (the seeds are no secret).
    for note in super::compared::uncompared(g, &n.runs) {
        let _ = writeln!(html, "<p class=\"warn\"><b>Not compared:</b> {}.</p>", esc(&note));
    }
    if !rows.is_empty() {
        comparison_table(&mut html, g, rows);
        figures.revenue(&mut html)?;
    }
    figures.heatmaps(&mut html)?;
    let _ = writeln!(
        html,
        "<footer>{}. Made by aisle {} by <code>aisle publish</code>. No shopper ids, positions or event logs are in this release.</footer></body></html>",
        esc(privacy),
        crate::VERSION
    );
    Ok(html)
}

/// The page's head and opening: its title, the privacy line, and how shoppers' contributions were bounded.
fn page_head(html: &mut String, g: &Gathered, plan: &PublishPlan, privacy: &str) {
    let _ = write!(
        html,
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>aisle release {name}: {scenario}</title>\n\
         <style>{STYLE}</style></head><body>\n<h1>{scenario}: release <code>{name}</code></h1>\n\
         <p class=\"lead\"><strong>{privacy}.</strong></p>\n\
         <p>Unit of privacy: {unit} Neighbouring datasets: {neighbouring} Composition: {composition}</p>\n\
         <p>Each shopper counted in at most {blocks} heat blocks (≤ {block_s} s each) and {zones} zones (≤ {zone_s} s each); \
         baskets clamped at {basket}, visits at {time} s, waits at {wait} s; a party counted with {party}. Noise \
         source: {source}. \
         Every number here is noised, each count on its own (two may disagree: more parties than visitors). \
         The bounds are part of the figures, not of the noise: what a shopper adds past one is not counted, so a \
         figure a bound cuts leans low by an amount no interval here includes (zone visit rates where shoppers \
         enter more than {zones} zones, revenue where baskets pass {basket}); set the bounds from what is known of \
         the store without its data (<code>--clamp NAME=VALUE</code>).</p>\n\
         <p>Each figure is listed as the noise left it, with the standard deviation of its noise (<q>noise SD</q>) and \
         a 95% interval: over the days and the noise for a compared figure (the ratios compared with the baseline, \
         where two days or more of both are released), over the noise alone for the rest (± {z} noise SDs, rounded out to the whole steps a total's noise comes in). <strong>A figure is greyed, and marked in the <code>noisy</code> column \
         of <code>metrics.csv</code> and <code>release.json</code>, when the noise swamps it: its 95% interval is at \
         least as wide as the figure itself (<code>wide_interval</code>: the noise could move it by half of itself or \
         more), or the noise put it where the figure cannot be (<code>out_of_range</code>: below zero, a rate over 1, \
         a mean over what one shopper can add).</strong> None is clipped or dropped for being out of range, so the \
         figures shown do not lean high; a ratio whose noised denominator is within three noise SDs of zero is \
         undefined (<code>undefined</code>, too noisy). See <code>release.json</code> for each query's sensitivity \
         and noise.</p>\n\
         <style>.noisy{{color:#888}}</style>\n",
        name = esc(plan.name()),
        scenario = esc(&g.scenario),
        privacy = esc(privacy),
        unit = esc(&unit_of_privacy(plan.bounds.max_party)),
        neighbouring = esc(NEIGHBOURING),
        composition = esc(&g.sharing.describe()),
        blocks = plan.bounds.max_blocks,
        block_s = plan.bounds.block_clamp_s,
        zones = plan.bounds.max_zones,
        zone_s = plan.bounds.zone_clamp_s,
        basket = plan.bounds.basket_clamp,
        time = plan.bounds.time_clamp_s,
        wait = plan.bounds.wait_clamp_s,
        party = super::super::contrib::party_rule(plan.bounds.max_party),
        source = esc(&plan.noise.describe()),
        z = NOISE_SDS_95,
    );
}

/// The table of every variant's figures, a column per variant.
fn figures_table(html: &mut String, variants: &[VariantRelease]) {
    html.push_str("<h2>Figures by variant</h2><table><tr><th>metric</th>");
    for v in variants {
        let _ = write!(html, "<th>{} ({} days)</th>", esc(&v.variant), v.runs);
    }
    html.push_str("</tr>");
    for (i, m) in variants[0].metrics.iter().enumerate() {
        let _ = write!(html, "<tr><td>{} ({})</td>", esc(&m.name.replace('_', " ")), esc(&m.unit));
        for v in variants {
            let _ = write!(html, "<td>{}</td>", v.metrics.get(i).map_or(String::new(), figure_cell));
        }
        html.push_str("</tr>");
    }
    html.push_str("</table>\n");
}

/// A figure with its interval and noise, greyed with the reason where the
/// noise swamps it.
fn figure_cell(m: &MetricOut) -> String {
    let Some(x) = m.value else {
        return "<span class=\"noisy\">too noisy (undefined)</span>".to_owned();
    };
    let interval = m.lo95.zip(m.hi95).map_or(String::new(), |(lo, hi)| format!(" [{lo:.4}, {hi:.4}]"));
    let sd = m.noise_sd.map_or(String::new(), |sd| format!(", noise SD {sd:.4}"));
    let text = format!("{x:.4}{interval}{sd}");
    match m.noisy {
        None => text,
        Some(Noisy::OutOfRange) if x < 0.0 => format!("<span class=\"noisy\">{text}: below zero, mostly noise</span>"),
        Some(Noisy::OutOfRange) => format!("<span class=\"noisy\">{text}: more than it can be, mostly noise</span>"),
        Some(_) => format!("<span class=\"noisy\">{text}: interval as wide as the figure, mostly noise</span>"),
    }
}

/// The table of every variant against the baseline, paired by seed.
fn comparison_table(html: &mut String, g: &Gathered, rows: &[ComparisonRow]) {
    let _ = write!(
        html,
        "<h2>Comparison with <code>{}</code></h2><table><tr><th>variant</th><th>metric</th><th>difference [95% CI]</th><th>relative</th></tr>",
        esc(&g.variants[0].variant)
    );
    for r in rows {
        let relative = r.relative.map_or("–".to_owned(), |x| format!("{:+.1}%", x * 100.0));
        // A difference whose interval holds zero is greyed, its relative
        // change too: it read as plainly as a real effect.
        let (difference, relative) = match (r.reading(), r.difference, r.lo.zip(r.hi)) {
            (Reading::HoldsZero, Some(d), Some((lo, hi))) => (
                format!(
                    "<span class=\"noisy\">{d:+.4} [{lo:+.4}, {hi:+.4}]: the interval holds zero, so no change \
                     is shown</span>"
                ),
                format!("<span class=\"noisy\">{relative}</span>"),
            ),
            (_, Some(d), Some((lo, hi))) => (format!("{d:+.4} [{lo:+.4}, {hi:+.4}]"), relative),
            (_, Some(d), None) => (format!("{d:+.4} (no interval)"), relative),
            (_, None, _) => (
                "too noisy at this ε (a denominator within the noise's reach, or a figure out of range)".to_owned(),
                "–".to_owned(),
            ),
        };
        let _ = write!(
            html,
            "<tr><td>{}</td><td>{}</td><td>{difference}</td><td>{relative}</td></tr>",
            esc(&r.variant),
            esc(&r.metric.replace('_', " ")),
        );
    }
    let intervals = rows.iter().filter(|r| r.lo.is_some()).count();
    let many = if intervals < 2 {
        String::new()
    } else {
        format!(
            ": of the {intervals} here, about one in twenty of those with no real difference behind them lies clear \
             of zero by chance, so a single clear difference among many is weak evidence"
        )
    };
    // A variant compared over fewer days than the baseline's figures above
    // are of: an 11-day baseline beside 10 shared seeds read a difference
    // of the opposite sign to the figures' own.
    let base: Vec<u64> = g.variants[0].runs.iter().map(|r| r.seed).collect();
    let fewer: Vec<String> = (g.variants[1..].iter())
        .map(|v| (v, v.runs.iter().filter(|r| base.contains(&r.seed)).count()))
        .filter(|&(v, shared)| shared < base.len() || shared < v.runs.len())
        .map(|(v, shared)| {
            let (variant, days) = (esc(&v.variant), v.runs.len());
            format!(
                "<code>{variant}</code> over {shared} seed(s), of its {days} day(s) and the baseline's {}",
                base.len()
            )
        })
        .collect();
    let fewer = match fewer.as_slice() {
        [] => String::new(),
        some => format!(
            " Not every day above is compared: {}; a difference here can differ from the figures' own.",
            some.join("; ")
        ),
    };
    let _ = writeln!(
        html,
        "</table><p class=\"figure-note\">Paired by seed: the difference of the figures above over the seeds both \
         layouts have (ratios of noised sums). The intervals hold the day-to-day spread and the privacy noise, and \
         are never narrower than the noise alone; they are wider than the raw report's. Clamped values (see the \
         bounds) are not in them. Each covers its difference with 95% probability on its own{many}. A relative \
         change is shown only where the baseline's interval over the seeds compared is clear of zero (–: a change \
         relative to a figure the noise may have made tells nothing).{fewer}</p>",
    );
}

/// What the page's figures are drawn from, and where they are written.
struct Figures<'a> {
    dir: &'a Path,
    g: &'a Gathered,
    n: &'a Noised,
    stamp: &'a str,
    plan: &'a PublishPlan,
    cal: &'a Calibration,
}

impl Figures<'_> {
    /// The figure of each variant's noised revenue per visitor over its days, with its interval.
    fn revenue(&self, html: &mut String) -> Result<(), PrivacyError> {
        let Figures { dir: figures_dir, g, n, stamp, plan, cal } = *self;
        // A variant whose figure is too noisy has no bar (drawn at 0, it read
        // as a revenue of 0).
        let (mut per_variant, mut noisy) = (Vec::new(), Vec::new());
        for (v, runs) in g.variants.iter().zip(&n.runs) {
            let runs: Vec<_> = runs.iter().collect();
            match compared::figure("revenue_per_visitor", &runs, cal, &plan.bounds).flatten().filter(|f| f.value >= 0.0)
            {
                // A bar the table greys is marked on the picture too.
                Some(f) => per_variant.push(Bar {
                    label: match Noisy::judge(Some(f.value), f.interval, f64::INFINITY) {
                        Some(_) => format!("{} (mostly noise)", v.variant),
                        None => v.variant.clone(),
                    },
                    value: f.value,
                    interval: f.interval,
                }),
                None => noisy.push(v.variant.as_str()),
            }
        }
        if per_variant.is_empty() {
            html.push_str("<p>Revenue per visitor is too noisy at this ε in every variant: no figure.</p>\n");
            return Ok(());
        }
        let note = if noisy.is_empty() {
            String::new()
        } else {
            format!("Too noisy at this ε, so not drawn: {}.", noisy.join(", "))
        };
        let bars = Bars {
            title: format!("Revenue per visitor ({stamp})"),
            x_desc: "currency per visitor (over all days, 95% CI with the noise)".into(),
            rows: per_variant,
            colours: style::VARIANTS.iter().map(|c| rgb(*c)).collect(),
        };
        figure(html, figures_dir, "revenue-per-visitor", &bars, "revenue per visitor by variant", &note)?;
        Ok(())
    }

    /// The noised occupancy heatmap of every variant's floors, on one colour scale.
    fn heatmaps(&self, html: &mut String) -> Result<(), PrivacyError> {
        let Figures { dir: figures_dir, g, n, stamp, plan, cal } = *self;
        html.push_str("<h2>Occupancy heatmaps</h2>\n");
        // Each variant's blocks, floor by floor, worked out once for the
        // colour scale and the pictures.
        let densities: Vec<Vec<_>> = g
            .variants
            .iter()
            .zip(&n.totals)
            .map(|(v, t)| {
                let blocks = t.heat_block_s(&v.layout);
                (0..v.layout.floors as u8).map(|f| heat_density(&v.layout, f, &blocks, t.runs)).collect()
            })
            .collect();
        let top = style::scale_top(densities.iter().flatten().flatten().map(|b| b.1));
        for ((v, t), floors) in g.variants.iter().zip(&n.totals).zip(densities) {
            // The noise on a 1 m block's person-seconds a day, over these days
            // (the query counts milliseconds): beside the colours' range, it
            // says how much of the picture is noise.
            let noise = (cal.noise_variance(Query::Heat, &plan.bounds) / t.runs.max(1) as f64).sqrt() / 1000.0;
            let mostly_noise = if 4.0 * noise >= top { "MOSTLY NOISE at this ε. " } else { "" };
            let note = format!(
                "{mostly_noise}Person-seconds per m² per day over 1 m blocks, noised: each block's noise has a standard \
             deviation of {noise:.1} over these {} days, against a colour scale topping at {top:.1}; one colour scale \
             for all variants, a block the noise pushed below zero drawn empty.",
                t.runs
            );
            for (floor, blocks) in (0u8..).zip(floors) {
                let plan_fig = FloorPlan {
                    scenario: &v.prepared.scenario,
                    layout: &v.layout,
                    floor,
                    // Said on the picture as well as under it: a picture travels alone.
                    title: format!(
                        "{} — occupancy ({stamp}){}",
                        v.variant,
                        if mostly_noise.is_empty() { "" } else { " — MOSTLY NOISE" }
                    ),
                    overlay: Overlay::Heat { blocks, top: Some(top) },
                };
                figure(
                    html,
                    figures_dir,
                    &format!("heat-{}-{floor}", v.variant),
                    &plan_fig,
                    "noised occupancy heatmap",
                    &note,
                )?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::super::listed::{MetricOut, Noisy, metrics_csv, noise_interval};
    use super::*;

    /// Figures read in releases before they were marked, and two clear ones: each the
    /// noise swamps is marked in the CSV and greyed on the page with its
    /// noise SD, and neither clear one is.
    #[test]
    fn a_figure_the_noise_swamps_is_marked_and_greyed_and_a_clear_one_is_not() {
        use Noisy::{OutOfRange, Undefined, WideInterval};
        const INF: f64 = f64::INFINITY;
        let noise_only = |value: f64, sd: f64| Some(noise_interval(value, sd, None));
        // (figure, value, 95% interval, noise SD, most it can be, mark)
        let cases = [
            ("revenue", Some(2228.32), noise_only(2228.32, 2683.0), 2683.0, INF, Some(WideInterval)),
            ("zone_dwell/fridges", Some(267.94), noise_only(267.94, 180.0), 180.0, 900.0, Some(WideInterval)),
            ("basket_value", Some(8.15), Some((1.42, 14.88)), 2.9, 150.0, Some(WideInterval)),
            ("revenue", Some(-412.0), noise_only(-412.0, 2683.0), 2683.0, INF, Some(OutOfRange)),
            ("conversion_rate", Some(1.02), Some((0.98, 1.06)), 0.02, 1.0, Some(OutOfRange)),
            ("revenue_per_visitor", None, None, 0.0, 150.0, Some(Undefined)),
            ("traffic", Some(412.5), noise_only(412.5, 3.1), 3.1, INF, None),
            ("conversion_rate", Some(0.62), Some((0.55, 0.69)), 0.02, 1.0, None),
        ];
        for (name, value, interval, sd, most, mark) in cases {
            let m = MetricOut {
                name: name.to_owned(),
                unit: "unit".to_owned(),
                value,
                lo95: interval.map(|i| i.0),
                hi95: interval.map(|i| i.1),
                noise_sd: value.map(|_| sd),
                noisy: Noisy::judge(value, interval, most),
            };
            assert_eq!(m.noisy, mark, "{name} = {value:?}");
            let cell = figure_cell(&m);
            assert_eq!(cell.starts_with("<span class=\"noisy\">"), mark.is_some(), "{cell}");
            assert!(value.is_none() || cell.contains(&format!("noise SD {sd:.4}")), "{cell}");
            let csv = metrics_csv("", &[VariantRelease { variant: "v".to_owned(), runs: 4, metrics: vec![m] }]);
            assert!(csv.ends_with(&format!(",{}\n", Noisy::mark(mark))), "{csv}");
        }
    }
}
