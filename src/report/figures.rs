//! Figures drawn with plotters, each to PNG and SVG, with the font embedded
//! from `assets/` (no system fonts).

use std::error::Error;
use std::path::Path;
use std::sync::Once;

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::FontStyle;

use crate::style::{self, Rgb};

mod floor_plan;
pub use floor_plan::{FloorPlan, Overlay, heat_blocks, heat_density, plan_caption};

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
            .build_cartesian_2d(0.0..top, row_axis(n))?;
        let labels: Vec<String> = self.rows.iter().map(|r| r.label.clone()).collect();
        chart
            .configure_mesh()
            .disable_y_mesh()
            .x_desc(self.x_desc.as_str())
            .x_label_formatter(&|v| if top > 10.0 { format!("{v:.0}") } else { format!("{v:.2}") })
            .y_labels(n)
            .y_label_formatter(&|v| match v {
                // The axis may ask beyond the rows (an index of n or more): no label there.
                SegmentValue::CenterOf(i) => {
                    (n - 1).checked_sub(*i).and_then(|row| labels.get(row)).cloned().unwrap_or_default()
                }
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
            // The axis starts at 0: a whisker below it is drawn to 0, its
            // end printed as it is.
            Some(ErrorBar::new_horizontal(
                SegmentValue::CenterOf(n - 1 - i),
                lo.max(0.0),
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

/// The vertical axis of `n` rows, one segment each (plotters' integer
/// range takes its end in: `0..n` would make an empty row on top).
fn row_axis(n: usize) -> plotters::coord::ranged1d::SegmentedCoord<plotters::coord::types::RangedCoordusize> {
    (0..n.max(1) - 1).into_segmented()
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
    /// How a value on the x axis reads: `tick_label` or `clock_label`.
    pub x_label: fn(f64) -> String,
}

/// A tick's value with the decimals it needs: "10", "2.5" (a whole
/// number alone read "2" for 2.5, and a short axis repeated its labels).
pub fn tick_label(v: f64) -> String {
    let text = format!("{v:.2}");
    text.trim_end_matches('0').trim_end_matches('.').to_owned()
}

/// Hours since midnight as a clock time, "09:30" (past midnight, the next day's).
pub fn clock_label(hours: f64) -> String {
    let minutes = (hours * 60.0).round() as i64;
    format!("{:02}:{:02}", minutes.div_euclid(60).rem_euclid(24), minutes.rem_euclid(60))
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
            // Room for the last label ("12:00") centred on the axis's end.
            .margin_right(24)
            .x_label_area_size(45)
            .y_label_area_size(60)
            .build_cartesian_2d(x0..x1, 0.0..top)?;
        chart
            .configure_mesh()
            .disable_x_mesh()
            .x_desc(self.x_desc.as_str())
            .y_desc(self.y_desc.as_str())
            .x_label_formatter(&|v| (self.x_label)(*v))
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
        // Wide enough for the longest line of a note right of the plot
        // (12-pixel type, under 6 pixels a character): a fixed width cut
        // off "no interval: the layouts differ on 1 of 3 days, too few to
        // bound it", and one as wide as a whole note was shrunk on the page.
        let note_chars =
            self.rows.iter().flat_map(|r| note_lines(&r.note)).map(|l| l.chars().count()).max().unwrap_or(0) as u32;
        ((NOTES_X + 6 * note_chars + 16).max(1000), 80 + 24 * self.rows.len().max(1) as u32)
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
            .build_cartesian_2d(-reach..reach, row_axis(n))?;
        let labels: Vec<String> = self.rows.iter().map(|r| r.label.clone()).collect();
        chart
            .configure_mesh()
            .disable_y_mesh()
            .x_desc(self.x_desc.as_str())
            .light_line_style(WHITE)
            // Few enough labels, and digits enough for their step, to stay apart
            // (at ±100% eleven labels of "-100.0%" ran together).
            .x_labels(7)
            .x_label_formatter(&|v| match v.abs() < 1e-9 {
                true => "0%".into(),
                false => format!("{:+.*}%", percent_digits(reach), v * 100.0),
            })
            .y_labels(n)
            .y_label_formatter(&|v| match v {
                // The axis may ask beyond the rows (an index of n or more): no label there.
                SegmentValue::CenterOf(i) => {
                    (n - 1).checked_sub(*i).and_then(|row| labels.get(row)).cloned().unwrap_or_default()
                }
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
        // An estimate beyond the axis is a hollow dot at its edge: a filled
        // one there (+22% drawn at +5.3%) read as a small change.
        chart.draw_series(self.rows.iter().enumerate().filter_map(|(i, r)| {
            let (m, _, _) = r.interval?;
            let style = if m.abs() > reach { r.colour.stroke_width(2) } else { r.colour.filled() };
            Some(Circle::new((clip(m), SegmentValue::CenterOf(n - 1 - i)), 5, style))
        }))?;
        // An interval running past the axis ends in an arrowhead at the
        // edge it crosses (the row's note gives the figures): cut off
        // without a mark, +969% read as about +20%.
        for (i, r) in self.rows.iter().enumerate() {
            let Some((_, lo, hi)) = r.interval else { continue };
            for (beyond, edge, dir) in [(lo < -reach, -reach, -1), (hi > reach, reach, 1)] {
                if beyond {
                    let (x, y) = chart.backend_coord(&(edge, SegmentValue::CenterOf(n - 1 - i)));
                    // Clear of the estimate's dot (radius 5) drawn at the
                    // edge: right of it, and on the left within the plot
                    // (clear of the row labels), pointing out past it.
                    let base = if dir > 0 { x + 6 } else { x + 18 };
                    root.draw(&Polygon::new(
                        vec![(base, y - 6), (base + dir * 10, y), (base, y + 6)],
                        r.colour.filled(),
                    ))?;
                }
            }
        }
        // Notes sit right of the plot, each at its row's height.
        for (i, r) in self.rows.iter().enumerate() {
            let (_, y) = chart.backend_coord(&(reach, SegmentValue::CenterOf(n - 1 - i)));
            let lines = note_lines(&r.note);
            // One line on the row's middle, two either side of it.
            let top = if lines.len() > 1 { y - 11 } else { y - 5 };
            for (k, line) in lines.iter().enumerate() {
                let at = (NOTES_X as i32, top + 12 * k as i32);
                root.draw(&Text::new(line.to_string(), at, (FONT, 12).into_font().color(&r.colour)))?;
            }
        }
        Ok(())
    }
}

/// Where a forest plot's notes begin, pixels from the left (the plot takes 640).
const NOTES_X: u32 = 652;
/// A note longer than this many characters takes two lines.
const NOTE_LINE_CHARS: usize = 64;

/// A forest plot's note as drawn: whole, or in two lines broken at the
/// first space past its middle.
fn note_lines(note: &str) -> Vec<&str> {
    let chars = note.chars().count();
    if chars <= NOTE_LINE_CHARS {
        return vec![note];
    }
    let middle = note.char_indices().nth(chars / 2).map_or(note.len(), |(i, _)| i);
    match note[middle..].find(' ') {
        Some(space) => vec![&note[..middle + space], &note[middle + space + 1..]],
        None => vec![note],
    }
}

/// Decimals a percentage axis reaching ±`reach` (a share) needs for its labels.
fn percent_digits(reach: f64) -> usize {
    match reach * 100.0 {
        r if r >= 20.0 => 0,
        r if r >= 2.0 => 1,
        _ => 2,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Axis labels read as their values: a short axis of half steps
    /// repeated "10 10" while each was rounded to a whole number.
    #[test]
    fn axis_labels_read_as_their_values() {
        type Label = fn(f64) -> String;
        let cases: [(Label, f64, &str); 7] = [
            (tick_label, 10.0, "10"),
            (tick_label, 2.5, "2.5"),
            (tick_label, 0.25, "0.25"),
            (clock_label, 9.5, "09:30"),
            (clock_label, 18.1, "18:06"),
            (clock_label, 24.5, "00:30"),
            (clock_label, 9.999, "10:00"),
        ];
        for (label, value, expected) in cases {
            assert_eq!(label(value), expected, "{value}");
        }
    }

    /// A forest plot is as wide as its longest note needs (a fixed 1000
    /// pixels cut "…differ on 1 of 3 days, too few to bound it" short).
    #[test]
    fn a_forest_plot_makes_room_for_its_notes() {
        let row = |note: &str| ForestRow { label: "v".into(), interval: None, colour: BLACK, note: note.into() };
        let plot = |note: &str| Forest { title: String::new(), x_desc: String::new(), rows: vec![row(note)] };
        assert_eq!(plot("+1.0% [+0.5%, +1.5%]").size().0, 1000);
        let long = "-0.0027 (absolute; no interval: the layouts differ on all 3 days, but by amounts that repeat \
                    (a figure of few values), and so few days cannot bound it)";
        // Two lines, each of them in full.
        let lines = note_lines(long);
        assert_eq!(lines.join(" "), long);
        let widest = lines.iter().map(|l| l.chars().count()).max().unwrap() as u32;
        assert!(widest < long.chars().count() as u32 * 2 / 3, "{lines:?}");
        assert!(plot(long).size().0 >= NOTES_X + 6 * widest);
    }
}
