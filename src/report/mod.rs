//! `report/index.html` for a dataset: every figure is replayed from the
//! event logs (never from the simulation), drawn to PNG and SVG, and the
//! page works offline (no scripts, no external fonts or styles).

mod check;
mod comparison;
pub mod figures;
pub mod html;
mod replay;

use check::{DECLARED_META, MADE_BY, PRIMARY_META};
pub use check::{PageCheck, check_page, page_path, remake, remove_page};
use comparison::{compared_days_note, comparison_section};
use replay::on_days;
pub use replay::{VariantDays, replay_dataset};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use figures::{Bar, Bars, Columns, FloorPlan, Overlay, heat_blocks};
use html::{STYLE, esc, figure};
use plotters::style::RGBColor;

use crate::compare::Design;
use crate::events::dataset::{Dataset, DatasetError, REPORT, RunRecord, SCENARIO_COPY};
use crate::events::fs::write_atomic;
use crate::events::parquet::LogError;
use crate::metrics::{DayMetrics, Layout, Metric};
use crate::scenario::{BASELINE, ScenarioError, ScenarioFile};
use crate::style;

#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    #[error("{}: no manifest.json: not an aisle dataset (make one with `aisle run`){}", dir.display(), crate::events::dataset::unlisted_records_hint(*unlisted))]
    NotADataset { dir: PathBuf, unlisted: usize },
    #[error("{}: the dataset lists no runs{}", dir.display(), crate::events::dataset::unlisted_records_hint(*unlisted))]
    Empty { dir: PathBuf, unlisted: usize },
    #[error(transparent)]
    Dataset(#[from] DatasetError),
    #[error(transparent)]
    Scenario(#[from] ScenarioError),
    #[error(transparent)]
    Log(#[from] LogError),
    #[error("{}: {message}", path.display())]
    Draw { path: PathBuf, message: String },
    #[error("`{metric}` is not a metric of this dataset; {hint}")]
    UnknownMetric { metric: String, hint: String },
    #[error(
        "{}: another aisle command is writing to this dataset now: a report would show only the runs it has \
         listed so far; report once it has finished (it makes the report itself unless given --no-report)",
        dir.display()
    )]
    Busy { dir: PathBuf },
    #[error("{}: {source}", path.display())]
    Io { path: PathBuf, source: std::io::Error },
}

/// Whether `aisle report` may draw the dataset in `dir`: no other command
/// is writing it (a sweep, `--replace`), and its manifest lists every run
/// on disk (`Dataset::check_listed`), else the page would show the runs
/// listed so far as the study. (A writer's own page, made as it finishes,
/// is not asked: the last writer to finish draws it again, of them all.)
/// What is not a dataset is left to the report to name.
pub fn ready(dir: &Path) -> Result<(), ReportError> {
    if !dir.is_dir() {
        return Ok(());
    }
    if crate::events::dataset::writers_at_work(dir)? {
        return Err(ReportError::Busy { dir: dir.to_owned() });
    }
    match Dataset::read_manifest(dir)? {
        Some(manifest) => Ok(Dataset::check_listed(dir, &manifest)?),
        None => Ok(()),
    }
}

/// Builds `<dir>/report/index.html` and its figures; returns the page's path.
pub fn build(dir: &Path, progress: impl FnMut(usize, usize)) -> Result<PathBuf, ReportError> {
    build_with(dir, &design_for(dir, None), progress)
}

/// The design a report of the dataset in `dir` compares with: that of its
/// saved comparison (`compare/comparison.json`: primary metric, level and
/// seeds), so the page says what `aisle compare` said, else the default;
/// with `primary`, that metric leads instead. A saved comparison that is
/// not what its own design gives on the runs (`design_and_doubt`:
/// edited, or runs added or made again since) lends only its primary: the
/// page compares at the level and over the seeds the runs call for.
pub fn design_for(dir: &Path, primary: Option<&str>) -> Design {
    design_and_doubt(dir, primary).0
}

/// `design_for`, with why the saved comparison was not followed, if it
/// was there and was not (an edited level of 0.6 read "a real difference"
/// at 40%): one check for both.
pub fn design_and_doubt(dir: &Path, primary: Option<&str>) -> (Design, Option<String>) {
    let (design, doubt) = match saved_comparison_read(dir) {
        Some(Ok(json)) => (Design::of_saved(&json).unwrap_or_default(), None),
        doubt => {
            let saved_primary = saved_raw(dir).and_then(|json| json["primary"].as_str().map(str::to_owned));
            let design =
                Design { primary: saved_primary.unwrap_or_else(|| Design::default().primary), ..Design::default() };
            (design, doubt.and_then(Result::err))
        }
    };
    match primary {
        Some(primary) => (Design { primary: primary.to_owned(), ..design }, doubt),
        None => (design, doubt),
    }
}

/// The dataset's saved comparison as written, if there is one to read.
fn saved_raw(dir: &Path) -> Option<serde_json::Value> {
    let text = std::fs::read_to_string(dir.join(crate::events::dataset::COMPARISON)).ok()?;
    serde_json::from_str(&text).ok()
}

/// The saved comparison as written: `Err` with why when it is there but
/// cannot be followed (unreadable, or not what comparing the runs by its
/// own design gives).
fn saved_comparison_read(dir: &Path) -> Option<Result<serde_json::Value, String>> {
    let path = dir.join(crate::events::dataset::COMPARISON);
    let text = std::fs::read_to_string(&path).ok()?;
    let holds = |json: &serde_json::Value| {
        let file = ScenarioFile::read(&dir.join(SCENARIO_COPY)).ok()?;
        let manifest = Dataset::read_manifest(dir).ok()??;
        crate::compare::saved_comparison_holds(json, &manifest.runs, &file.variant_ids())
    };
    Some(match serde_json::from_str::<serde_json::Value>(&text) {
        Ok(json) if holds(&json) == Some(true) => Ok(json),
        Ok(_) => Err(format!(
            "{} is not what comparing the runs by its own level, seeds and primary gives (edited, stale, made by \
             another build, or the run records it compares were edited since: `aisle verify` tells which): the page \
             compares at the level and over the seeds the runs call for; `aisle compare` \
             writes it again",
            path.display()
        )),
        Err(_) => Err(format!(
            "{} is not readable: the page compares at 95% over every seed; `aisle compare` writes it again",
            path.display()
        )),
    })
}

/// The primary metric the dataset's comparisons declared first, if one was
/// saved (kept when the comparison has gone stale: runs added since, or
/// made again by another build, do not undeclare it).
pub fn declared_primary(dir: &Path) -> Option<String> {
    match saved_raw(dir) {
        Some(json) => json["declared_primary"].as_str().or(json["primary"].as_str()).map(str::to_owned),
        // The comparison gone (deleted by hand), a page that compared the
        // layouts still says which primary was read: choosing another now
        // is as late as ever (it had declared the next one afresh).
        None => check::compared_primary(dir),
    }
}

/// `build`, with the comparison analysed by `design` (its primary metric).
pub fn build_with(dir: &Path, design: &Design, progress: impl FnMut(usize, usize)) -> Result<PathBuf, ReportError> {
    let variants = replay_dataset(dir, progress)?;
    write_page(dir, &variants, design, &dir.join(REPORT))
}

/// Writes the page of `variants` (the dataset in `dir` replayed) and its
/// figures into `report_dir`; returns the page's path.
fn write_page(
    dir: &Path,
    variants: &[VariantDays],
    design: &Design,
    report_dir: &Path,
) -> Result<PathBuf, ReportError> {
    let names = DayMetrics::metric_names(&variants[0].layout);
    if let Some(hint) = crate::metrics::catalogue::unknown_metric(&design.primary, &names) {
        return Err(ReportError::UnknownMetric { metric: design.primary.clone(), hint });
    }
    let figures_dir = report_dir.join("figures");
    std::fs::create_dir_all(&figures_dir).map_err(|source| ReportError::Io { path: figures_dir.clone(), source })?;
    let mut html = String::new();
    let s0 = &variants[0].prepared.scenario;
    let declared = declared_primary(dir);
    let _ = write!(
        html,
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"{PRIMARY_META}\" content=\"{primary}\"><meta name=\"{DECLARED_META}\" content=\"{declared}\"><title>aisle report: {name}</title>\n<style>{STYLE}</style></head><body>\n\
         <h1>{name}</h1><p class=\"lead\">{desc}</p>\n",
        name = esc(&s0.name),
        desc = esc(&s0.description),
        primary = esc(&design.primary),
        declared = esc(declared.as_deref().unwrap_or(&design.primary)),
    );
    // One colour scale for every variant's heatmap, so they compare by eye.
    let top = style::scale_top(variants.iter().flat_map(|v| {
        (0..v.layout.floors as u8).flat_map(|f| heat_blocks(&v.layout, f, &v.metrics).into_iter().map(|b| b.1))
    }));
    for v in variants {
        write_invariant_warnings(&mut html, v);
    }
    let has_baseline = variants.iter().any(|v| v.prepared.scenario.variant == BASELINE);
    if variants.len() > 1 && !has_baseline {
        let _ = writeln!(
            html,
            "<p class=\"warn\"><b>No layout is compared:</b> {}.</p>",
            esc(&no_baseline(variants.iter().flat_map(|v| v.seeds.iter().copied())))
        );
    } else if variants.len() > 1 {
        let runs: Vec<RunRecord> = variants.iter().flat_map(|v| v.runs.iter().cloned()).collect();
        let names: Vec<String> = variants.iter().map(|v| v.prepared.scenario.variant.clone()).collect();
        let comparison = design.compare(&runs, &names).declared_before(declared);
        match compared_days_note(variants, &comparison) {
            None => comparison_section(&mut html, (variants, None), &comparison, &figures_dir)?,
            Some(note) => {
                let compared = on_days(dir, variants, &comparison.seeds)?;
                comparison_section(&mut html, (&compared, Some(note)), &comparison, &figures_dir)?
            }
        }
        // The same shoppers walk into every layout, but for these.
        for note in variants.iter().filter_map(|v| v.visitor_note.as_deref()) {
            let _ = writeln!(html, "<p class=\"note\">Note: {}.</p>", esc(note));
        }
    }
    for v in variants {
        section(&mut html, v, &figures_dir, top)?;
    }
    let _ = writeln!(
        html,
        "<footer>{MADE_BY}{} from the event logs in this dataset; every figure is a projection replayed from them. \
         Figures are also available as SVG next to each PNG.</footer></body></html>",
        crate::VERSION
    );
    let index = report_dir.join("index.html");
    write_atomic(&index, html.as_bytes()).map_err(|source| ReportError::Io { path: index.clone(), source })?;
    Ok(index)
}

/// Why a page of variants without the baseline's days compares none of
/// them, and how to add those days (for the `seeds` the variants have).
fn no_baseline(seeds: impl IntoIterator<Item = u64>) -> String {
    let seeds: std::collections::BTreeSet<u64> = seeds.into_iter().collect();
    let seeds: Vec<String> = seeds.iter().map(u64::to_string).collect();
    format!(
        "the dataset holds no day of `{BASELINE}`, and every variant is compared with it (one variant's difference \
         from another is no comparison with the baseline): add its days with `aisle run SCENARIO --variant {BASELINE} \
         --seed N --out DIR` for the seeds here ({}), or `aisle compare SCENARIO --out DIR`",
        seeds.join(", ")
    )
}

/// Why the page of the dataset in `dir` compares no layouts, where its
/// runs are of two variants or more but not of the baseline.
pub fn missing_baseline(dir: &Path) -> Option<String> {
    let runs = Dataset::read_manifest(dir).ok()??.runs;
    let variants: std::collections::BTreeSet<&str> = runs.iter().map(|r| r.variant.as_str()).collect();
    (variants.len() > 1 && !variants.contains(BASELINE)).then(|| no_baseline(runs.iter().map(|r| r.seed)))
}

/// Warnings, above everything else, over a variant whose days break an
/// invariant: a freeze (its figures that depend on walking may be wrong)
/// or a line standing before a free terminal (its checkout figures);
/// visitors planned who never came in, shoppers made to leave. The page
/// is the same wherever the dataset is and however its path was typed
/// (`aisle verify` makes it again to check it): its viewer commands name
/// the dataset's own folder.
fn write_invariant_warnings(html: &mut String, v: &VariantDays) {
    let s = &v.prepared.scenario;
    let here = Path::new(".");
    // The day it happened on: the run whose figure it is.
    let day = |metric: &str, seconds: f64| {
        let value = |r: &&RunRecord| (r.metric(metric).unwrap_or(0.0) - seconds).abs() < 1e-6;
        v.runs.iter().find(value).map_or(v.seeds[0], |r| r.seed)
    };
    let mut warn = |what: &str, warning: String, seed: u64, consequence: &str| {
        let _ = writeln!(
            html,
            "<p class=\"warn\"><b>{what} in <code>{}</code>.</b> On seed {seed}, {}. {consequence}</p>",
            esc(&s.variant),
            esc(&warning)
        );
    };
    if let Some(f) = v.metrics.longest_freeze.filter(|f| f.breaks_the_limit()) {
        let seed = day("longest_freeze_s", f.seconds());
        let consequence = "Figures of this variant that depend on walking, and comparisons with it, may be wrong. \
                           Run the command in the dataset's folder.";
        warn("Shoppers froze", f.warning(s, seed, here), seed, consequence);
    }
    if let Some(stall) = v.metrics.longest_stall.filter(|x| x.breaks_the_limit()) {
        let seed = day("longest_stall_s", stall.seconds());
        let consequence =
            "Its checkout figures, and comparisons with it, may be wrong. Run the command in the dataset's folder.";
        warn("A line stood still", stall.warning(s, seed, here), seed, consequence);
    }
    // Said of the variant's days together: how many, not which.
    let planned = v.seeds.iter().map(|&seed| crate::sim::planned_visitors(s, seed)).sum();
    let over_its_days = [
        ("Visitors were kept out", v.metrics.kept_out_warning(planned, s)),
        ("Shoppers were made to leave", v.metrics.forced_out_warning(s)),
    ];
    for (what, warning) in over_its_days {
        let Some(warning) = warning else { continue };
        let _ = writeln!(
            html,
            "<p class=\"warn\"><b>{what} in <code>{}</code>.</b> Over its {} day(s), {}.</p>",
            esc(&s.variant),
            v.seeds.len(),
            esc(&warning)
        );
    }
}

/// A figure with its unit; a dash where no day had anything to divide by
/// (no checkouts: no basket value).
fn unit_value(m: &Metric) -> String {
    if !m.value.is_finite() {
        return "—".into();
    }
    match m.unit {
        "ratio" => format!("{:.1}%", m.value * 100.0),
        "currency" => format!("{:.2}", m.value),
        "s" if m.value >= 120.0 => format!("{:.1} min", m.value / 60.0),
        "s" => format!("{:.0} s", m.value),
        "min" => format!("{:.1} min", m.value),
        "m" => format!("{:.0} m", m.value),
        "shoppers/m²" => format!("{:.2} per m²", m.value),
        // Items a basket: 3.94 and 4.16 both read "4".
        "items" => format!("{:.2}", m.value),
        _ => format!("{:.0}", m.value),
    }
}

fn section(html: &mut String, v: &VariantDays, dir: &Path, heat_top: f64) -> Result<(), ReportError> {
    let s = &v.prepared.scenario;
    let mut seeds = v.seeds.clone();
    seeds.sort_unstable();
    let seeds: Vec<String> = seeds.iter().map(u64::to_string).collect();
    let _ = writeln!(
        html,
        "<h2>Variant <code>{}</code></h2><p>{} simulated day(s), seeds {}. Totals are per day; rates and times are over all shoppers of all days; peaks and longest spells are the largest of any day.</p>",
        esc(&s.variant),
        v.seeds.len(),
        seeds.join(", ")
    );
    // Key figures.
    let scalars = v.metrics.scalars(&v.layout);
    write_key_figures(html, &scalars);
    for floor in 0..s.store.floors.len() as u8 {
        floor_figures(html, v, dir, floor, heat_top)?;
    }
    write_zone_table(html, &v.layout, &scalars);
    write_per_part_tables(html, &v.layout, &scalars);
    funnel_and_time_in_store_figures(html, v, dir)?;
    hourly_figures(html, v, dir)?;
    top_product_figures(html, v, dir)
}

/// Writes the grid of a variant's key figures (the metrics not per zone).
fn write_key_figures(html: &mut String, scalars: &[Metric]) {
    html.push_str("<div class=\"grid\">");
    for x in scalars.iter().filter(|x| !x.name.contains('/')) {
        let _ = write!(html, "<div><b>{}</b>: {}</div>", esc(&x.name.replace('_', " ")), unit_value(x));
    }
    html.push_str("</div>\n");
}

/// Draws and writes one floor's plan, occupancy heatmap and walking-direction map.
fn floor_figures(html: &mut String, v: &VariantDays, dir: &Path, floor: u8, heat_top: f64) -> Result<(), ReportError> {
    let s = &v.prepared.scenario;
    let (m, l) = (&v.metrics, &v.layout);
    let tag = &s.variant;
    let fname = &s.store.floors[floor as usize].id;
    let suffix = if s.store.floors.len() > 1 { format!(" — floor {fname}") } else { String::new() };
    let plan =
        FloorPlan { scenario: s, layout: l, floor, title: format!("Floor plan{suffix}"), overlay: Overlay::Plan };
    figure(html, dir, &format!("{tag}-plan-{floor}"), &plan, "floor plan", &figures::plan_caption(s))?;
    let heat = FloorPlan {
        scenario: s,
        layout: l,
        floor,
        title: format!("Occupancy heatmap{suffix}"),
        overlay: Overlay::Heat { blocks: heat_blocks(l, floor, m), top: Some(heat_top) },
    };
    figure(
        html,
        dir,
        &format!("{tag}-heatmap-{floor}"),
        &heat,
        "occupancy heatmap",
        "Person-seconds spent per square metre per day, over 1 m blocks; the scale tops out at the 98th percentile of occupied blocks.",
    )?;
    let flow = FloorPlan {
        scenario: s,
        layout: l,
        floor,
        title: format!("Walking direction{suffix}"),
        overlay: Overlay::Flow(m),
    };
    figure(
        html,
        dir,
        &format!("{tag}-flow-{floor}"),
        &flow,
        "flow direction map",
        "Mean walking direction per square metre; darker and longer arrows carry more traffic.",
    )
}

/// Writes the table of each zone's area, visit rate, dwell and capture rate.
fn write_zone_table(html: &mut String, l: &Layout, scalars: &[Metric]) {
    html.push_str("<h3>Zones</h3><table><tr><th>zone</th><th>walkable m²</th><th>visit rate</th><th>dwell per visitor</th><th>capture rate</th></tr>");
    for (z, id) in l.zones.iter().enumerate() {
        let get = |prefix: &str| {
            scalars.iter().find(|x| x.name == format!("{prefix}/{id}")).map(unit_value).unwrap_or_default()
        };
        let _ = write!(
            html,
            "<tr><td>{}</td><td>{:.0}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            esc(&l.zone_names[z]),
            l.zone_area_m2[z],
            get("zone_visit_rate"),
            get("zone_dwell"),
            get("capture_rate")
        );
    }
    html.push_str("</table><p class=\"figure-note\">Visit rate: share of shoppers who entered the zone. Capture rate: of those who came within 1.5 m of it, the share who entered.</p>\n");
}

/// A table of the figures kept per part of the store (a floor, a
/// counter, a stop): a row per part, a column per figure (its name's
/// prefix and header).
struct PartTable<'a> {
    title: &'static str,
    ids: &'a [&'a str],
    columns: &'static [(&'static str, &'static str)],
    note: &'static str,
}

/// Writes the figures kept per floor (of a store of several), per service
/// counter and per seating or fitting room, as the run's summary prints
/// them: a bakery's page charted only its till, though its counter line
/// was its queue.
fn write_per_part_tables(html: &mut String, l: &Layout, scalars: &[Metric]) {
    let floors: Vec<&str> =
        if l.floor_ids.len() > 1 { l.floor_ids.iter().map(String::as_str).collect() } else { Vec::new() };
    let counters: Vec<&str> = l.counters.iter().map(String::as_str).collect();
    let stops: Vec<&str> = l.stop_fixtures.iter().map(|(_, id)| id.as_str()).collect();
    let tables = [
        PartTable {
            title: "Floors",
            ids: &floors,
            columns: &[
                ("floor_visit_rate", "visit rate"),
                ("floor_dwell", "time per visitor"),
                ("floor_time_share", "share of time on floors"),
                ("floor_conversion", "parties picking there, of those on it"),
            ],
            note: "Time riding stairs, escalators and lifts is on no floor: the shares are of the time spent on floors.",
        },
        PartTable {
            title: "Service counters",
            ids: &counters,
            columns: &[
                ("counter_served", "served a day"),
                ("counter_wait", "waiting in line"),
                ("counter_service", "served for"),
                ("counter_gave_up", "gave up"),
                ("counter_lost", "unbought a day"),
                ("counter_utilisation", "busy"),
            ],
            note: "Waiting in line: the mean of all who joined its line, served or not; served for: of those served; gave up: the share of all who came to it; busy: its servers' busy time over their time open. A product wanted while its counter was closed or out of reach never came to its line: it is among those not found.",
        },
        PartTable {
            title: "Stops at seating and fitting rooms",
            ids: &stops,
            columns: &[("stops", "stops a day"), ("stop_minutes", "each")],
            note: "Stops a day, and the mean length of one.",
        },
    ];
    for PartTable { title, ids, columns, note } in tables {
        if ids.is_empty() {
            continue;
        }
        let _ = write!(html, "<h3>{title}</h3><table><tr><th></th>");
        for (_, header) in columns {
            let _ = write!(html, "<th>{header}</th>");
        }
        html.push_str("</tr>");
        for id in ids {
            let _ = write!(html, "<tr><td><code>{}</code></td>", esc(id));
            for (prefix, _) in columns {
                let name = format!("{prefix}/{id}");
                // Counts a day to a tenth: 0.4 stops a day read "0".
                let shown = |m: &Metric| match m.unit {
                    "count" if m.value.is_finite() => format!("{:.1}", m.value),
                    _ => unit_value(m),
                };
                let cell = scalars.iter().find(|x| x.name == name).map(shown).unwrap_or_else(|| "—".into());
                let _ = write!(html, "<td>{cell}</td>");
            }
            html.push_str("</tr>");
        }
        let _ = writeln!(html, "</table><p class=\"figure-note\">{note}</p>");
    }
}

/// Draws and writes the conversion funnel and the time-in-store histogram, per day.
fn funnel_and_time_in_store_figures(html: &mut String, v: &VariantDays, dir: &Path) -> Result<(), ReportError> {
    let (m, tag) = (&v.metrics, &v.prepared.scenario.variant);
    let days = m.days.max(1) as f64;
    // People look; parties buy (a companion's wish is picked by its
    // leader), so the funnel narrows from people to parties.
    let funnel = Bars {
        title: "Conversion funnel (per day)".into(),
        x_desc: "people or shopping parties per day".into(),
        rows: vec![
            Bar::new("people entered", m.visitors as f64 / days),
            Bar::new("people who viewed a product on a shelf", m.shoppers_viewing as f64 / days),
            Bar::new("shopping parties", m.parties as f64 / days),
            Bar::new("parties who picked a product", m.shoppers_picking as f64 / days),
            // Who gave up at a till (in its line or at the sight of it)
            // came this far: the drop to paying was otherwise unexplained.
            Bar::new("parties who came to a checkout", (m.transactions + m.abandons) as f64 / days),
            Bar::new("parties who paid", m.transactions as f64 / days),
        ],
        colours: vec![RGBColor(0, 114, 178)],
    };
    // A counter's hand-overs are seen on no shelf: in a bakery, no one
    // viewed and 30 parties picked, which read as a broken funnel.
    let note = if v.prepared.scenario.counters.is_empty() {
        ""
    } else {
        "What a service counter hands over is seen on no shelf: parties who picked there need not have viewed a product."
    };
    figure(html, dir, &format!("{tag}-funnel"), &funnel, "conversion funnel", note)?;
    let minutes: Vec<f64> = m.time_in_store_s.iter().map(|s| s / 60.0).collect();
    let hist = Columns {
        title: "Time in store".into(),
        x_desc: "minutes from entering to leaving".into(),
        y_desc: "shoppers per day".into(),
        bars: histogram(&minutes, 2.0).into_iter().map(|(x, w, n)| (x, w, n / days)).collect(),
        colour: RGBColor(0, 158, 115),
        x_label: figures::tick_label,
    };
    figure(html, dir, &format!("{tag}-time-in-store"), &hist, "time in store histogram", "")
}

/// Draws and writes the traffic and the mean checkout wait by hour of the day.
fn hourly_figures(html: &mut String, v: &VariantDays, dir: &Path) -> Result<(), ReportError> {
    let (m, tag) = (&v.metrics, &v.prepared.scenario.variant);
    let days = m.days.max(1) as f64;
    let open = v.layout.open_hour;
    // Nobody enters after closing: an hour the store closes within is drawn as long as it was open.
    let close = v.prepared.scenario.population.close_ms as f64 / 3.6e6;
    let open_for = |start: f64| (close - start).clamp(0.0, 1.0);
    let traffic = Columns {
        title: "Traffic by hour".into(),
        x_desc: "time of day".into(),
        y_desc: "shoppers entering per day".into(),
        bars: m
            .hourly_visitors
            .iter()
            .enumerate()
            .map(|(h, n)| (open + h as f64, open_for(open + h as f64), *n as f64 / days))
            .collect(),
        colour: RGBColor(86, 180, 233),
        x_label: figures::clock_label,
    };
    figure(html, dir, &format!("{tag}-traffic-by-hour"), &traffic, "traffic by hour", "")?;
    let waits = Columns {
        title: "Checkout wait by hour of joining the queue".into(),
        x_desc: "time of day".into(),
        y_desc: "mean seconds (queue + service)".into(),
        bars: m
            .hourly_wait_s
            .iter()
            .zip(&m.hourly_waits)
            .enumerate()
            .map(|(h, (s, n))| (open + h as f64, 1.0, if *n > 0 { s / *n as f64 } else { 0.0 }))
            .collect(),
        colour: RGBColor(213, 94, 0),
        x_label: figures::clock_label,
    };
    figure(
        html,
        dir,
        &format!("{tag}-queue-wait-by-hour"),
        &waits,
        "checkout wait by hour",
        "From joining a queue to paying or giving up.",
    )
}

/// Draws and writes the 15 products most viewed and most picked per day.
fn top_product_figures(html: &mut String, v: &VariantDays, dir: &Path) -> Result<(), ReportError> {
    let (m, l, tag) = (&v.metrics, &v.layout, &v.prepared.scenario.variant);
    let days = m.days.max(1) as f64;
    for (what, counts, colour) in
        [("views", &m.product_views, RGBColor(204, 121, 167)), ("picks", &m.product_picks, RGBColor(230, 159, 0))]
    {
        let mut top: Vec<Bar> =
            counts.iter().enumerate().map(|(i, n)| Bar::new(l.product_names[i].clone(), *n as f64 / days)).collect();
        top.sort_by(|a, b| b.value.total_cmp(&a.value).then_with(|| a.label.cmp(&b.label)));
        top.truncate(15);
        let title = format!("Top products by {what}");
        let bars = Bars { title, x_desc: format!("{what} per day"), rows: top, colours: vec![colour] };
        figure(html, dir, &format!("{tag}-top-{what}"), &bars, &format!("top products by {what}"), "")?;
    }
    Ok(())
}

/// Bins `xs` into bars of `width` starting at 0: (left, width, count).
fn histogram(xs: &[f64], width: f64) -> Vec<(f64, f64, f64)> {
    let top = xs.iter().copied().fold(0.0, f64::max);
    let n = ((top / width).floor() as usize + 1).min(200);
    let mut counts = vec![0.0; n];
    for x in xs {
        counts[((x / width) as usize).min(n - 1)] += 1.0;
    }
    counts.into_iter().enumerate().map(|(i, c)| (i as f64 * width, width, c)).collect()
}
