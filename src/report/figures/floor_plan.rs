//! The floor plan of one floor: walls and fixtures to scale, zones, lanes, doors
//! and connectors, under a heat map, a difference map or walking flows.

use plotters::coord::Shift;
use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;

use super::{DrawResult, FONT, Figure, rgb};
use crate::geom::{Point, Rect};
use crate::metrics::{DayMetrics, Layout};
use crate::scenario::{DeskRole, FixtureKind, Scenario, ZoneShape};
use crate::style;

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
/// The least height of a plan's figure: room beside it for the colour
/// scale's label ("variant − baseline, person-s per m² per day", cut off
/// beside a store 40 m long and 4 m deep) and the fixture kinds' legend.
const MIN_PLAN_HEIGHT: u32 = 380;

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
        (PLAN_WIDTH, self.plan_height().max(MIN_PLAN_HEIGHT))
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult
    where
        DB::ErrorType: 'static,
    {
        let (s, l) = (self.scenario, self.layout);
        let (main, side) = root.split_horizontally(PLAN_WIDTH - 150);
        // The plan keeps its proportions in a figure made taller for the side's scale and legend.
        let (main, _) = main.split_vertically(self.plan_height());
        let mut chart = ChartBuilder::on(&main)
            .caption(&self.title, (FONT, 22))
            .margin(10)
            .x_label_area_size(40)
            .y_label_area_size(50)
            .build_cartesian_2d(0.0..l.width, 0.0..l.depth)?;
        chart.configure_mesh().disable_mesh().x_desc("x (m)").y_desc("y (m)").label_style((FONT, 13)).draw()?;
        // Colour per block and the scale to draw beside the plan.
        let (cells, scale) = self.overlay.heat_cells();
        chart.draw_series(cells.iter().map(|(r, c)| Rectangle::new(rect_points(r), c.filled())))?;
        let look = if scale.is_some() { FixtureLook::UnderHeat } else { FixtureLook::Plain };
        // Metres per pixel, to tell whether a zone's name fits inside it.
        let m_per_px = l.width / (PLAN_WIDTH - 150 - 80) as f64;
        self.draw_zones(&mut chart, m_per_px)?;
        self.draw_fixtures(&mut chart, m_per_px, look)?;
        self.draw_lanes(&mut chart)?;
        self.draw_connectors(&mut chart)?;
        self.draw_doors(&mut chart)?;
        if let Overlay::Flow(m) = &self.overlay {
            draw_flow(&mut chart, l, m, self.floor)?;
        }
        // Side panel: colour scale or legend.
        match scale {
            Some(scale) => draw_colour_bar(&side, scale)?,
            None => draw_kind_legend(&side, s.fixtures.iter().map(|f| f.kind))?,
        }
        Ok(())
    }
}

/// The plan's chart: metres on both axes.
type PlanChart<'a, DB> = ChartContext<'a, DB, Cartesian2d<RangedCoordf64, RangedCoordf64>>;

/// How fixtures are drawn: opaque and named on a plain plan or flow map,
/// translucent and unnamed under a heatmap so the floor stays readable.
#[derive(Clone, Copy, PartialEq)]
enum FixtureLook {
    Plain,
    UnderHeat,
}

impl Overlay<'_> {
    /// The colour of every block a heat or difference map fills, and the
    /// scale to draw beside the plan; nothing for a plain plan or a flow map.
    fn heat_cells(&self) -> (Vec<(Rect, RGBColor)>, Option<ColourScale>) {
        match self {
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
        }
    }
}

/// A zone's closed outline, and the top-left corner where its name goes.
fn zone_outline(shape: &ZoneShape) -> (Vec<(f64, f64)>, (f64, f64)) {
    match shape {
        ZoneShape::Rect(r) => (
            vec![(r.min.x, r.min.y), (r.max.x, r.min.y), (r.max.x, r.max.y), (r.min.x, r.max.y), (r.min.x, r.min.y)],
            (r.min.x + 0.2, r.max.y - 0.2),
        ),
        ZoneShape::Polygon(p) => {
            let mut pts: Vec<(f64, f64)> = p.iter().map(|q| (q.x, q.y)).collect();
            pts.push(pts[0]);
            (pts, (p[0].x + 0.2, p[0].y - 0.2))
        }
    }
}

/// A zone's extent along x, in metres.
fn zone_width(shape: &ZoneShape) -> f64 {
    match shape {
        ZoneShape::Rect(r) => r.width(),
        ZoneShape::Polygon(p) => {
            p.iter().map(|q| q.x).fold(f64::MIN, f64::max) - p.iter().map(|q| q.x).fold(f64::MAX, f64::min)
        }
    }
}

impl FloorPlan<'_> {
    /// The height the plan takes at the figure's width, in proportion to the store.
    fn plan_height(&self) -> u32 {
        let l = self.layout;
        let plot_w = (PLAN_WIDTH - 70 - 150) as f64;
        (plot_w * l.depth / l.width) as u32 + 110
    }

    /// Draws this floor's zone outlines, each with its name (or id) where it fits.
    fn draw_zones<DB: DrawingBackend>(&self, chart: &mut PlanChart<'_, DB>, m_per_px: f64) -> DrawResult
    where
        DB::ErrorType: 'static,
    {
        let s = self.scenario;
        for z in s.zones.iter().filter(|z| z.floor == self.floor) {
            let (outline, anchor) = zone_outline(&z.shape);
            chart.draw_series(std::iter::once(PathElement::new(outline, rgb(style::ZONE_OUTLINE).stroke_width(1))))?;
            let width = zone_width(&z.shape);
            let text_m = |text: &str| text.chars().count() as f64 * 7.0 * m_per_px;
            let fits = |text: &str| text_m(text) < width - 0.3;
            let label = if fits(&z.name) { z.name.clone() } else { z.id.clone() };
            // In the zone's top-left corner, or its bottom-left when a
            // fixture stands under the top one.
            let clear = |(x, y): (f64, f64)| {
                let text = Rect::from_corners(Point::new(x, y - 0.45), Point::new(x + text_m(&label), y));
                !s.fixtures.iter().any(|f| f.floor == self.floor && f.footprint().overlap_area(&text) > 0.0)
            };
            let anchor = match &z.shape {
                ZoneShape::Rect(r) => {
                    [anchor, (r.min.x + 0.2, r.min.y + 0.6)].into_iter().find(|a| clear(*a)).unwrap_or(anchor)
                }
                ZoneShape::Polygon(_) => anchor,
            };
            if fits(&label) {
                chart.draw_series(std::iter::once(Text::new(
                    label,
                    anchor,
                    (FONT, 12).into_font().color(&rgb(style::ZONE_LABEL)),
                )))?;
            }
        }
        Ok(())
    }

    /// Draws this floor's walls, and its fixtures to scale by kind, named on a plain plan.
    fn draw_fixtures<DB: DrawingBackend>(
        &self,
        chart: &mut PlanChart<'_, DB>,
        m_per_px: f64,
        look: FixtureLook,
    ) -> DrawResult
    where
        DB::ErrorType: 'static,
    {
        // Fixtures to scale; translucent over a heatmap so the floor stays readable.
        let alpha = match look {
            FixtureLook::UnderHeat => 0.55,
            FixtureLook::Plain => 0.9,
        };
        // Walls block the floor whatever lies over it: solid, under and over heat alike.
        for w in self.scenario.store.walls.iter().filter(|w| w.floor == self.floor) {
            chart.draw_series(std::iter::once(Rectangle::new(rect_points(&w.footprint), rgb(style::WALL).filled())))?;
        }
        for f in self.scenario.fixtures.iter().filter(|f| f.floor == self.floor) {
            let r = f.footprint();
            chart.draw_series(std::iter::once(Rectangle::new(
                rect_points(&r),
                rgb(style::fixture(f.kind)).mix(alpha).filled(),
            )))?;
            chart.draw_series(std::iter::once(Rectangle::new(rect_points(&r), BLACK.mix(0.6).stroke_width(1))))?;
            // The plan names each fixture: inside where its id fits, else
            // just above a fixture standing lengthwise (heatmaps stay clean).
            let text_m = f.id.chars().count() as f64 * 6.5 * m_per_px;
            let at = if text_m < r.width() - 0.1 {
                Some((r.min.x + 0.1, (r.min.y + r.max.y) / 2.0 + 0.15))
            } else if r.depth() > r.width() {
                Some((r.min.x, r.max.y + 0.35))
            } else {
                None
            };
            if let Some(at) = at.filter(|_| look == FixtureLook::Plain) {
                chart.draw_series(std::iter::once(Text::new(f.id.clone(), at, (FONT, 10))))?;
            }
        }
        Ok(())
    }

    /// Draws this floor's checkout lanes and service counters: queue line, service points and label.
    fn draw_lanes<DB: DrawingBackend>(&self, chart: &mut PlanChart<'_, DB>) -> DrawResult
    where
        DB::ErrorType: 'static,
    {
        // Where shoppers pay (a till, or each terminal of a self-service
        // bank) and the line they queue along; a closed lane in grey, a lane
        // staffed part of the day with its hours; a service counter the
        // same way, named a counter.
        let s = self.scenario;
        let (open_ms, close_ms) = (s.population.open_ms, s.population.close_ms);
        for lane in s.desks().filter(|x| x.floor == self.floor) {
            let colour = if lane.open { rgb(style::TERMINAL) } else { rgb(style::CLOSED) };
            let line: Vec<(f64, f64)> =
                (0..lane.queue_places as usize).map(|k| (lane.place(k).x, lane.place(k).y)).collect();
            chart.draw_series(std::iter::once(PathElement::new(line, colour.mix(0.7).stroke_width(2))))?;
            let served = lane.terminals.iter().map(|p| Circle::new((p.x, p.y), 4, colour.filled()));
            chart.draw_series(served)?;
            let hours = |ms: u64| format!("{}:{:02}", ms / 3_600_000, ms % 3_600_000 / 60_000);
            let name = match lane.role {
                DeskRole::Checkout => lane.id.clone(),
                DeskRole::Counter => format!("{} counter", lane.id),
            };
            let label = if !lane.open {
                format!("{name} closed")
            } else if lane.hours_ms.0 > open_ms || lane.hours_ms.1 < close_ms {
                format!("{name} {}–{}", hours(lane.hours_ms.0), hours(lane.hours_ms.1))
            } else {
                name
            };
            let p = lane.service_point;
            chart.draw_series(std::iter::once(Text::new(label, (p.x + 0.3, p.y - 0.3), (FONT, 11))))?;
        }
        Ok(())
    }

    /// Draws each end on this floor of a connector to another floor, labelled.
    fn draw_connectors<DB: DrawingBackend>(&self, chart: &mut PlanChart<'_, DB>) -> DrawResult
    where
        DB::ErrorType: 'static,
    {
        // Connectors to other floors: a square at each end on this floor,
        // labelled with where it goes ("→ upper") or, at the arriving end of
        // a one-way connector, where riders come from ("← upper").
        let floors = &self.scenario.store.floors;
        for c in &self.scenario.store.connectors {
            for (here, there, leaves) in [(c.from, c.to, true), (c.to, c.from, false)] {
                if here.floor != self.floor {
                    continue;
                }
                let departs = leaves || !c.one_way;
                let arrow = if departs { "→" } else { "←" };
                let closed = if c.open { "" } else { " (closed)" };
                let label = format!("{} {arrow} {}{closed}", c.id, floors[there.floor as usize].id);
                let p = here.at;
                let purple = rgb(if c.open { style::CONNECTOR } else { style::CLOSED });
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
        Ok(())
    }

    /// Draws this floor's entrances and exits as labelled triangles.
    fn draw_doors<DB: DrawingBackend>(&self, chart: &mut PlanChart<'_, DB>) -> DrawResult
    where
        DB::ErrorType: 'static,
    {
        let s = self.scenario;
        // Labels sit beside the marker, pixels away whatever the store's size;
        // an entrance's a line above an exit's: doors are often side by side,
        // or one door serves both ways.
        for (portals, colour, word, lift_px) in
            [(&s.entrances, rgb(style::ENTRANCE), "in", 30), (&s.exits, rgb(style::EXIT), "out", 16)]
        {
            for e in portals.iter().filter(|e| e.floor == self.floor) {
                chart.draw_series(std::iter::once(TriangleMarker::new((e.at.x, e.at.y), 9, colour.filled())))?;
                let text = format!("{word}: {}", e.id);
                // Right of the marker, or left of it in the plan's right half (kept inside the plot).
                let dx = if e.at.x > self.layout.width / 2.0 { -(text.chars().count() as i32 * 7) - 8 } else { 8 };
                let label = Text::new(text, (dx, -lift_px), (FONT, 12));
                chart.draw_series(std::iter::once(EmptyElement::at((e.at.x, e.at.y)) + label))?;
            }
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

/// The fixture kinds the store has, in a fixed order.
fn draw_kind_legend<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    present: impl Iterator<Item = FixtureKind>,
) -> DrawResult
where
    DB::ErrorType: 'static,
{
    let present: Vec<FixtureKind> = present.collect();
    let kinds = [
        FixtureKind::Gondola,
        FixtureKind::WallShelf,
        FixtureKind::Endcap,
        FixtureKind::PromoTable,
        FixtureKind::Freezer,
        FixtureKind::Display,
        FixtureKind::CheckoutCounter,
        FixtureKind::Obstacle,
        FixtureKind::Seating,
        FixtureKind::FittingRoom,
    ];
    for (i, kind) in kinds.iter().filter(|k| present.contains(k)).enumerate() {
        let y = 60 + i as i32 * 24;
        area.draw(&Rectangle::new([(8, y), (24, y + 14)], rgb(style::fixture(*kind)).filled()))?;
        area.draw(&Text::new(kind.to_string().replace('_', " "), (30, y), (FONT, 13)))?;
    }
    Ok(())
}

/// What a floor plan draws, in words: its desks as they are drawn (a
/// pharmacist's server was told "where shoppers pay"), and the connectors
/// where the store has any.
pub fn plan_caption(s: &crate::scenario::Scenario) -> String {
    let counters = if s.counters.is_empty() { "" } else { ", and where a service counter serves them" };
    let connectors = if s.store.connectors.is_empty() {
        ""
    } else {
        "; stairs, escalators and lifts (squares, labelled with the floor they lead to)"
    };
    format!(
        "Fixtures to scale by kind; zone outlines and names; where shoppers pay, at a till or a self-service \
         terminal{counters} (green dots, grey when closed), and the line each queues along; entrances and exits \
         (triangles){connectors}."
    )
}
