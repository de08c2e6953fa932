//! Figures drawn with plotters, each to PNG and SVG, with the font embedded
//! from `assets/` (no system fonts).

use std::error::Error;
use std::path::Path;
use std::sync::Once;

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::FontStyle;

use crate::geom::Rect;
use crate::metrics::{DayMetrics, Layout};
use crate::scenario::{FixtureKind, Scenario, ZoneShape};
use crate::style::{self, Rgb};

pub type DrawResult = Result<(), Box<dyn Error>>;

const FONT: &str = "sans-serif";
static REGISTER_FONT: Once = Once::new();

fn register_font() {
    REGISTER_FONT.call_once(|| {
        let bytes: &'static [u8] = include_bytes!("../../assets/DejaVuSans.ttf");
        // The font is ours, embedded at build time: failing to parse it is a build defect.
        plotters::style::register_font(FONT, FontStyle::Normal, bytes).map_err(|_| ()).expect("embedded font parses");
    });
}

/// A figure that can draw itself on any plotters backend.
pub trait Figure {
    fn size(&self) -> (u32, u32);
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult
    where
        DB::ErrorType: 'static;
}

/// Renders `figure` to `<dir>/<name>.png` and `<dir>/<name>.svg`, each
/// written aside and renamed into place, so a full disk or a killed run
/// never leaves a half-drawn figure (the temporary file is removed on
/// failure, or by the next writer of the dataset).
pub fn save(figure: &impl Figure, dir: &Path, name: &str) -> DrawResult {
    register_font();
    let size = figure.size();
    let png = dir.join(format!("{name}.png"));
    // The bitmap backend picks its encoder by extension: keep `.png` last.
    let tmp = std::path::PathBuf::from(format!("{}.png", crate::events::fs::atomic_temp_path(&png).display()));
    let drawn = (|| -> DrawResult {
        {
            let root = BitMapBackend::new(&tmp, size).into_drawing_area();
            root.fill(&WHITE)?;
            figure.draw(&root)?;
            root.present()?;
        }
        crate::events::fs::sync_and_rename(std::fs::File::open(&tmp)?, &tmp, &png)?;
        Ok(())
    })();
    if drawn.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    drawn?;
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, size).into_drawing_area();
        root.fill(&WHITE)?;
        figure.draw(&root)?;
        root.present()?;
    }
    crate::events::fs::write_atomic(&dir.join(format!("{name}.svg")), svg.as_bytes())?;
    Ok(())
}

/// A shared colour as plotters draws it.
pub fn rgb(c: Rgb) -> RGBColor {
    RGBColor(c.0, c.1, c.2)
}

fn rect_points(r: &Rect) -> [(f64, f64); 2] {
    [(r.min.x, r.min.y), (r.max.x, r.max.y)]
}

/// What to draw over the floor plan of one floor.
pub enum Overlay<'a> {
    /// Fixtures, zones and checkouts only.
    Plan,
    /// Person-seconds per m² per day, on a colour scale topped at `top`
    /// (shared between variants) or, if `None`, at this map's 98th percentile.
    Heat { blocks: Vec<(Rect, f64)>, top: Option<f64> },
    /// Variant − baseline person-seconds per m² per day, on a diverging
    /// scale from −`limit` (blue, fewer) to +`limit` (red, more).
    HeatDifference { variant: Vec<(Rect, f64)>, baseline: Vec<(Rect, f64)>, limit: f64 },
    /// Mean walking direction per 1 m block.
    Flow(&'a DayMetrics),
}

pub struct FloorPlan<'a> {
    pub scenario: &'a Scenario,
    pub layout: &'a Layout,
    pub floor: u8,
    pub title: String,
    pub overlay: Overlay<'a>,
}

const PLAN_WIDTH: u32 = 1000;

/// Person-seconds per m² per day for every heat block of `floor`, from
/// person-seconds per block over `days` days (see `Layout::block_of`).
pub fn heat_density(l: &Layout, floor: u8, block_s: &[f64], days: u32) -> Vec<(Rect, f64)> {
    let per_day = 1.0 / days.max(1) as f64;
    block_s
        .iter()
        .enumerate()
        .map(|(b, s)| (l.block_rect(b), s))
        .filter(|((f, _), _)| *f == floor)
        .map(|((_, r), s)| (r, s * per_day / r.area()))
        .collect()
}

/// The heat blocks of `floor` for merged days' metrics.
pub fn heat_blocks(l: &Layout, floor: u8, m: &DayMetrics) -> Vec<(Rect, f64)> {
    heat_density(l, floor, &m.heat_block_s(l), m.days)
}

impl Figure for FloorPlan<'_> {
    fn size(&self) -> (u32, u32) {
        let l = self.layout;
        let plot_w = (PLAN_WIDTH - 70 - 150) as f64;
        (PLAN_WIDTH, (plot_w * l.depth / l.width) as u32 + 110)
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult
    where
        DB::ErrorType: 'static,
    {
        let (s, l) = (self.scenario, self.layout);
        let (main, side) = root.split_horizontally(PLAN_WIDTH - 150);
        let mut chart = ChartBuilder::on(&main)
            .caption(&self.title, (FONT, 22))
            .margin(10)
            .x_label_area_size(40)
            .y_label_area_size(50)
            .build_cartesian_2d(0.0..l.width, 0.0..l.depth)?;
        chart.configure_mesh().disable_mesh().x_desc("x (m)").y_desc("y (m)").label_style((FONT, 13)).draw()?;
        // Colour per block and the scale to draw beside the plan.
        let (cells, scale): (Vec<(Rect, RGBColor)>, Option<ColourScale>) = match &self.overlay {
            Overlay::Heat { blocks, top } => {
                let top = top.unwrap_or_else(|| style::scale_top(blocks.iter().map(|b| b.1)));
                let cells = blocks.iter().filter(|b| b.1 > 0.0).map(|(r, h)| (*r, rgb(style::heat(h / top)))).collect();
                (cells, Some(ColourScale::Sequential { top }))
            }
            Overlay::HeatDifference { variant, baseline, limit } => {
                let limit = *limit;
                let cells = variant
                    .iter()
                    .zip(baseline)
                    .filter(|((_, x), (_, y))| x - y != 0.0)
                    .map(|((r, x), (_, y))| (*r, rgb(style::diverging((x - y) / limit))))
                    .collect();
                (cells, Some(ColourScale::Diverging { limit }))
            }
            _ => (Vec::new(), None),
        };
        chart.draw_series(cells.iter().map(|(r, c)| Rectangle::new(rect_points(r), c.filled())))?;
        let heat = scale.is_some();
        // Metres per pixel, to tell whether a zone's name fits inside it.
        let m_per_px = l.width / (PLAN_WIDTH - 150 - 80) as f64;
        // Zones: outlines with their names.
        for z in s.zones.iter().filter(|z| z.floor == self.floor) {
            let (outline, anchor): (Vec<(f64, f64)>, (f64, f64)) = match &z.shape {
                ZoneShape::Rect(r) => (
                    vec![
                        (r.min.x, r.min.y),
                        (r.max.x, r.min.y),
                        (r.max.x, r.max.y),
                        (r.min.x, r.max.y),
                        (r.min.x, r.min.y),
                    ],
                    (r.min.x + 0.2, r.max.y - 0.2),
                ),
                ZoneShape::Polygon(p) => {
                    let mut pts: Vec<(f64, f64)> = p.iter().map(|q| (q.x, q.y)).collect();
                    pts.push(pts[0]);
                    (pts, (p[0].x + 0.2, p[0].y - 0.2))
                }
            };
            chart.draw_series(std::iter::once(PathElement::new(outline, rgb(style::ZONE_OUTLINE).stroke_width(1))))?;
            let width = match &z.shape {
                ZoneShape::Rect(r) => r.width(),
                ZoneShape::Polygon(p) => {
                    p.iter().map(|q| q.x).fold(f64::MIN, f64::max) - p.iter().map(|q| q.x).fold(f64::MAX, f64::min)
                }
            };
            let fits = |text: &str| text.chars().count() as f64 * 7.0 * m_per_px < width - 0.3;
            let label = if fits(&z.name) { z.name.clone() } else { z.id.clone() };
            if fits(&label) {
                chart.draw_series(std::iter::once(Text::new(
                    label,
                    anchor,
                    (FONT, 12).into_font().color(&rgb(style::ZONE_LABEL)),
                )))?;
            }
        }
        // Fixtures to scale; translucent over a heatmap so the floor stays readable.
        let alpha = if heat { 0.55 } else { 0.9 };
        for f in s.fixtures.iter().filter(|f| f.floor == self.floor) {
            let r = f.footprint();
            chart.draw_series(std::iter::once(Rectangle::new(
                rect_points(&r),
                rgb(style::fixture(f.kind)).mix(alpha).filled(),
            )))?;
            chart.draw_series(std::iter::once(Rectangle::new(rect_points(&r), BLACK.mix(0.6).stroke_width(1))))?;
        }
        // Where shoppers pay (a till, or each terminal of a self-service
        // bank), entrances and exits.
        for lane in s.lanes.iter().filter(|x| x.floor == self.floor) {
            let served = lane.terminals.iter().map(|p| Circle::new((p.x, p.y), 4, rgb(style::TERMINAL).filled()));
            chart.draw_series(served)?;
            let p = lane.service_point;
            chart.draw_series(std::iter::once(Text::new(lane.id.clone(), (p.x + 0.3, p.y - 0.3), (FONT, 11))))?;
        }
        // Connectors to other floors: a square at each end on this floor,
        // labelled with where it goes ("→ upper") or, at the arriving end of
        // a one-way connector, where riders come from ("← upper").
        let floors = &s.store.floors;
        for c in &s.store.connectors {
            for (here, there, leaves) in [(c.from, c.to, true), (c.to, c.from, false)] {
                if here.floor != self.floor {
                    continue;
                }
                let departs = leaves || !c.one_way;
                let arrow = if departs { "→" } else { "←" };
                let label = format!("{} {arrow} {}", c.id, floors[there.floor as usize].id);
                let p = here.at;
                let purple = rgb(style::CONNECTOR);
                chart.draw_series(std::iter::once(Rectangle::new(
                    [(p.x - 0.3, p.y - 0.3), (p.x + 0.3, p.y + 0.3)],
                    purple.filled(),
                )))?;
                chart.draw_series(std::iter::once(Text::new(
                    label,
                    // Departures labelled below, arrivals above, so neighbours do not collide.
                    (p.x - 0.3, if departs { p.y - 0.5 } else { p.y + 0.9 }),
                    (FONT, 11).into_font().color(&purple),
                )))?;
            }
        }
        // Entrance labels sit a line above exit labels: doors are often side by side.
        for (portals, colour, word, lift) in
            [(&s.entrances, rgb(style::ENTRANCE), "in", 1.7), (&s.exits, rgb(style::EXIT), "out", 0.9)]
        {
            for e in portals.iter().filter(|e| e.floor == self.floor) {
                chart.draw_series(std::iter::once(TriangleMarker::new((e.at.x, e.at.y), 9, colour.filled())))?;
                chart.draw_series(std::iter::once(Text::new(
                    format!("{word}: {}", e.id),
                    (e.at.x + 0.4, e.at.y + lift),
                    (FONT, 12),
                )))?;
            }
        }
        if let Overlay::Flow(m) = &self.overlay {
            draw_flow(&mut chart, l, m, self.floor)?;
        }
        // Side panel: colour scale or legend.
        match scale {
            Some(scale) => draw_colour_bar(&side, scale)?,
            None => draw_kind_legend(&side)?,
        }
        Ok(())
    }
}

fn draw_flow<DB: DrawingBackend>(
    chart: &mut ChartContext<
        DB,
        Cartesian2d<plotters::coord::types::RangedCoordf64, plotters::coord::types::RangedCoordf64>,
    >,
    l: &Layout,
    m: &DayMetrics,
    floor: u8,
) -> DrawResult
where
    DB::ErrorType: 'static,
{
    // Sum displacements over heat blocks; draw an arrow per block with traffic.
    let mut sums = vec![(0.0f64, 0.0f64); l.block_count()];
    for (cell, (dx, dy)) in m.flow.iter().enumerate() {
        let b = l.block_of(cell);
        sums[b].0 += dx;
        sums[b].1 += dy;
    }
    let blocks: Vec<_> =
        sums.iter().enumerate().map(|(b, d)| (l.block_rect(b), *d)).filter(|((f, _), _)| *f == floor).collect();
    let top = blocks.iter().map(|(_, (x, y))| x.hypot(*y)).fold(0.0, f64::max).max(1e-9);
    for ((_, r), (dx, dy)) in blocks {
        let mag = dx.hypot(dy);
        if mag < top * 0.02 {
            continue;
        }
        let side = r.width().max(r.depth());
        let (cx, cy) = ((r.min.x + r.max.x) / 2.0, (r.min.y + r.max.y) / 2.0);
        let len = side * 0.45 * (0.35 + 0.65 * (mag / top).sqrt());
        let (ux, uy) = (dx / mag, dy / mag);
        let tip = (cx + ux * len, cy + uy * len);
        let tail = (cx - ux * len, cy - uy * len);
        let colour = rgb(style::FLOW).mix(0.35 + 0.65 * (mag / top).sqrt());
        let head = len * 0.45;
        let wing = |sign: f64| (tip.0 - ux * head - sign * uy * head * 0.6, tip.1 - uy * head + sign * ux * head * 0.6);
        chart.draw_series(std::iter::once(PathElement::new(vec![tail, tip], colour.stroke_width(2))))?;
        chart.draw_series(std::iter::once(Polygon::new(vec![tip, wing(1.0), wing(-1.0)], colour.filled())))?;
    }
    Ok(())
}

/// The colour bar beside a heatmap.
#[derive(Clone, Copy)]
enum ColourScale {
    Sequential { top: f64 },
    Diverging { limit: f64 },
}

fn draw_colour_bar<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, scale: ColourScale) -> DrawResult
where
    DB::ErrorType: 'static,
{
    let (lo, hi, label) = match scale {
        ColourScale::Sequential { top } => (0.0, top, "person-s per m² per day"),
        ColourScale::Diverging { limit } => (-limit, limit, "variant − baseline, person-s per m² per day"),
    };
    let mut bar = ChartBuilder::on(area)
        .margin_top(50)
        .margin_bottom(50)
        .margin_right(70)
        .y_label_area_size(0)
        .right_y_label_area_size(50)
        .build_cartesian_2d(0.0..1.0, lo..hi)?;
    bar.configure_mesh()
        .disable_mesh()
        .disable_x_axis()
        .y_desc(label)
        .y_label_formatter(&|v| format!("{v:.0}"))
        .label_style((FONT, 12))
        .draw()?;
    let steps = 100;
    bar.draw_series((0..steps).map(|i| {
        let f = i as f64 / (steps - 1) as f64;
        let (a, b) = (lo + (hi - lo) * i as f64 / steps as f64, lo + (hi - lo) * (i + 1) as f64 / steps as f64);
        let colour = match scale {
            ColourScale::Sequential { .. } => rgb(style::heat(f)),
            ColourScale::Diverging { .. } => rgb(style::diverging(f * 2.0 - 1.0)),
        };
        Rectangle::new([(0.0, a), (1.0, b)], colour.filled())
    }))?;
    Ok(())
}

fn draw_kind_legend<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>) -> DrawResult
where
    DB::ErrorType: 'static,
{
    let kinds = [
        FixtureKind::Gondola,
        FixtureKind::WallShelf,
        FixtureKind::Endcap,
        FixtureKind::PromoTable,
        FixtureKind::Freezer,
        FixtureKind::Display,
        FixtureKind::CheckoutCounter,
        FixtureKind::Obstacle,
    ];
    for (i, kind) in kinds.iter().enumerate() {
        let y = 60 + i as i32 * 24;
        area.draw(&Rectangle::new([(8, y), (24, y + 14)], rgb(style::fixture(*kind)).filled()))?;
        area.draw(&Text::new(kind.to_string().replace('_', " "), (30, y), (FONT, 13)))?;
    }
    Ok(())
}

/// One horizontal bar: a label, a value and, for estimates, its interval.
pub struct Bar {
    pub label: String,
    pub value: f64,
    pub interval: Option<(f64, f64)>,
}

impl Bar {
    pub fn new(label: impl Into<String>, value: f64) -> Bar {
        Bar { label: label.into(), value, interval: None }
    }
}

/// Horizontal bars with labels: a funnel, a top-N list, or means with
/// their 95% confidence whiskers, one bar per variant.
pub struct Bars {
    pub title: String,
    pub x_desc: String,
    pub rows: Vec<Bar>,
    /// Colours taken in turn, one per bar.
    pub colours: Vec<RGBColor>,
}

impl Figure for Bars {
    fn size(&self) -> (u32, u32) {
        (900, 90 + 30 * self.rows.len().max(1) as u32)
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult
    where
        DB::ErrorType: 'static,
    {
        let n = self.rows.len().max(1);
        let widest =
            self.rows.iter().map(|r| r.interval.map_or(r.value, |(_, hi)| hi.max(r.value))).fold(0.0, f64::max);
        // Room on the right for the printed value (or interval).
        let room = if self.rows.iter().any(|r| r.interval.is_some()) { 1.4 } else { 1.15 };
        let top = widest.max(1e-9) * room;
        let mut chart = ChartBuilder::on(root)
            .caption(&self.title, (FONT, 20))
            .margin(10)
            .x_label_area_size(40)
            .y_label_area_size(260)
            .build_cartesian_2d(0.0..top, (0..n).into_segmented())?;
        let labels: Vec<String> = self.rows.iter().map(|r| r.label.clone()).collect();
        chart
            .configure_mesh()
            .disable_y_mesh()
            .x_desc(self.x_desc.as_str())
            .x_label_formatter(&|v| if top > 10.0 { format!("{v:.0}") } else { format!("{v:.2}") })
            .y_labels(n)
            .y_label_formatter(&|v| match v {
                SegmentValue::CenterOf(i) => labels.get(n - 1 - *i).cloned().unwrap_or_default(),
                _ => String::new(),
            })
            .label_style((FONT, 13))
            .draw()?;
        let colour = |i: usize| self.colours.get(i % self.colours.len().max(1)).copied().unwrap_or(BLACK);
        chart.draw_series(self.rows.iter().enumerate().map(|(i, r)| {
            let y = n - 1 - i;
            let mut rect = Rectangle::new(
                [(0.0, SegmentValue::Exact(y)), (r.value, SegmentValue::Exact(y + 1))],
                colour(i).filled(),
            );
            rect.set_margin(5, 5, 0, 0);
            rect
        }))?;
        chart.draw_series(self.rows.iter().enumerate().filter_map(|(i, r)| {
            let (lo, hi) = r.interval?;
            Some(ErrorBar::new_horizontal(
                SegmentValue::CenterOf(n - 1 - i),
                lo,
                r.value,
                hi,
                BLACK.stroke_width(2),
                10,
            ))
        }))?;
        chart.draw_series(self.rows.iter().enumerate().map(|(i, r)| {
            let (text, end) = match r.interval {
                Some((lo, hi)) => (format!("{:.3} [{lo:.3}, {hi:.3}]", r.value), hi.max(r.value)),
                None => (format_value(r.value), r.value),
            };
            Text::new(text, (end + top * 0.01, SegmentValue::CenterOf(n - 1 - i)), (FONT, 12))
        }))?;
        Ok(())
    }
}

fn format_value(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e12 { format!("{v:.0}") } else { format!("{v:.2}") }
}

/// Vertical bars over a numeric axis: a histogram or an hourly series.
pub struct Columns {
    pub title: String,
    pub x_desc: String,
    pub y_desc: String,
    /// (left edge, width, height) per bar.
    pub bars: Vec<(f64, f64, f64)>,
    pub colour: RGBColor,
}

impl Figure for Columns {
    fn size(&self) -> (u32, u32) {
        (900, 420)
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult
    where
        DB::ErrorType: 'static,
    {
        let x0 = self.bars.iter().map(|b| b.0).fold(f64::INFINITY, f64::min);
        let x0 = if x0.is_finite() { x0 } else { 0.0 };
        let x1 = self.bars.iter().map(|b| b.0 + b.1).fold(0.0, f64::max).max(x0 + 1.0);
        let top = self.bars.iter().map(|b| b.2).fold(0.0, f64::max).max(1e-9) * 1.1;
        let mut chart = ChartBuilder::on(root)
            .caption(&self.title, (FONT, 20))
            .margin(10)
            .x_label_area_size(45)
            .y_label_area_size(60)
            .build_cartesian_2d(x0..x1, 0.0..top)?;
        chart
            .configure_mesh()
            .disable_x_mesh()
            .x_desc(self.x_desc.as_str())
            .y_desc(self.y_desc.as_str())
            .x_label_formatter(&|v| format!("{v:.0}"))
            .y_label_formatter(&|v| if top > 10.0 { format!("{v:.0}") } else { format!("{v:.1}") })
            .label_style((FONT, 13))
            .draw()?;
        chart.draw_series(self.bars.iter().map(|(x, w, h)| {
            let mut r = Rectangle::new([(*x, 0.0), (*x + *w, *h)], self.colour.filled());
            r.set_margin(0, 0, 1, 1);
            r
        }))?;
        Ok(())
    }
}

/// Empirical cumulative distributions, one line per series.
pub struct Ecdf {
    pub title: String,
    pub x_desc: String,
    pub series: Vec<(String, Vec<f64>)>,
}

impl Figure for Ecdf {
    fn size(&self) -> (u32, u32) {
        (900, 420)
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult
    where
        DB::ErrorType: 'static,
    {
        let right = self.series.iter().flat_map(|s| s.1.iter().copied()).fold(0.0, f64::max).max(1e-9);
        let mut chart = ChartBuilder::on(root)
            .caption(&self.title, (FONT, 20))
            .margin(10)
            .x_label_area_size(45)
            .y_label_area_size(60)
            .build_cartesian_2d(0.0..right, 0.0..1.0)?;
        chart
            .configure_mesh()
            .x_desc(self.x_desc.as_str())
            .y_desc("share of shoppers waiting at most this long")
            .y_label_formatter(&|v| format!("{:.0}%", v * 100.0))
            .label_style((FONT, 13))
            .draw()?;
        for (i, (name, xs)) in self.series.iter().enumerate() {
            let mut sorted = xs.clone();
            sorted.sort_by(f64::total_cmp);
            let n = sorted.len().max(1) as f64;
            let colour = rgb(style::variant(i));
            chart
                .draw_series(LineSeries::new(
                    sorted.iter().enumerate().map(|(k, x)| (*x, (k + 1) as f64 / n)),
                    colour.stroke_width(2),
                ))?
                .label(name.clone())
                .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 18, y)], colour.stroke_width(2)));
        }
        chart
            .configure_series_labels()
            .background_style(WHITE.mix(0.9))
            .border_style(BLACK)
            .label_font((FONT, 13))
            .position(SeriesLabelPosition::LowerRight)
            .draw()?;
        Ok(())
    }
}

/// A forest plot: one row per (metric, variant) with its change against
/// the baseline and interval, grouped under the metric's name, a line at no
/// change, and each row coloured by its verdict.
pub struct Forest {
    pub title: String,
    pub x_desc: String,
    pub rows: Vec<ForestRow>,
}

pub struct ForestRow {
    pub label: String,
    /// (estimate, lo, hi); `None` for a group heading.
    pub interval: Option<(f64, f64, f64)>,
    pub colour: RGBColor,
    /// Printed at the right edge (the figures, the verdict).
    pub note: String,
}

impl Figure for Forest {
    fn size(&self) -> (u32, u32) {
        (1000, 80 + 24 * self.rows.len().max(1) as u32)
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult
    where
        DB::ErrorType: 'static,
    {
        let n = self.rows.len().max(1);
        // The axis spans most rows' intervals, not the widest: one huge
        // relative change (abandonment from 0.1% to 4%) would flatten every
        // other row to a dot. Rows beyond it are drawn to the edge; their
        // notes give the figures.
        let mut extents: Vec<f64> = self
            .rows
            .iter()
            .filter_map(|r| r.interval)
            .map(|(m, lo, hi)| m.abs().max(lo.abs()).max(hi.abs()))
            .filter(|x| x.is_finite())
            .collect();
        extents.sort_by(f64::total_cmp);
        let typical = extents.get((extents.len() * 4) / 5).copied().unwrap_or(0.0);
        let reach = (typical * 1.5).max(extents.first().copied().unwrap_or(0.0)).max(0.01);
        let (plot, _) = root.split_horizontally(640);
        let mut chart = ChartBuilder::on(&plot)
            .caption(&self.title, (FONT, 18))
            .margin(8)
            .x_label_area_size(36)
            .y_label_area_size(230)
            .build_cartesian_2d(-reach..reach, (0..n).into_segmented())?;
        let labels: Vec<String> = self.rows.iter().map(|r| r.label.clone()).collect();
        chart
            .configure_mesh()
            .disable_y_mesh()
            .x_desc(self.x_desc.as_str())
            .light_line_style(WHITE)
            .x_label_formatter(&|v| if v.abs() < 1e-9 { "0%".into() } else { format!("{:+.1}%", v * 100.0) })
            .y_labels(n)
            .y_label_formatter(&|v| match v {
                SegmentValue::CenterOf(i) => labels.get(n - 1 - *i).cloned().unwrap_or_default(),
                _ => String::new(),
            })
            .label_style((FONT, 13))
            .draw()?;
        chart.draw_series(std::iter::once(PathElement::new(
            vec![(0.0, SegmentValue::Exact(0)), (0.0, SegmentValue::Exact(n))],
            BLACK.stroke_width(1),
        )))?;
        let clip = |x: f64| x.clamp(-reach, reach);
        chart.draw_series(self.rows.iter().enumerate().filter_map(|(i, r)| {
            let (m, lo, hi) = r.interval?;
            Some(ErrorBar::new_horizontal(
                SegmentValue::CenterOf(n - 1 - i),
                clip(lo),
                clip(m),
                clip(hi),
                r.colour.stroke_width(3),
                10,
            ))
        }))?;
        chart.draw_series(self.rows.iter().enumerate().filter_map(|(i, r)| {
            let (m, _, _) = r.interval?;
            Some(Circle::new((clip(m), SegmentValue::CenterOf(n - 1 - i)), 5, r.colour.filled()))
        }))?;
        // Notes sit right of the plot, each at its row's height.
        for (i, r) in self.rows.iter().enumerate() {
            let (_, y) = chart.backend_coord(&(reach, SegmentValue::CenterOf(n - 1 - i)));
            root.draw(&Text::new(r.note.clone(), (652, y - 5), (FONT, 12).into_font().color(&r.colour)))?;
        }
        Ok(())
    }
}
