//! The viewer's state: the sides on screen, the clock they share, what is
//! selected and shown.

use aisle::playback::ShopperAt;
use bevy::prelude::*;

use crate::args::View;
use crate::heat::FoldWorker;
use crate::scene::Label;
use crate::shoppers::Pool;
use crate::source::{DatasetSource, Side};

/// The store clock, shared by every side: milliseconds from opening
/// (negative before it).
pub struct Clock {
    pub t_ms: f64,
    pub playing: bool,
    /// Store seconds per wall-clock second, 1 to 1000.
    pub speed: f64,
    /// The instant a screenshot or bench asked for: while a live run has
    /// not reached it, the clock waits at the run's frontier.
    pub hold: Option<f64>,
}

impl Clock {
    /// The instant to read playback at, or `None` before opening.
    pub fn at(&self) -> Option<u64> {
        (self.t_ms >= 0.0).then_some(self.t_ms as u64)
    }
}

/// Store-clock text of `t_ms` after an opening at `open_hour` hours.
pub fn clock_text(open_hour: f64, t_ms: f64) -> String {
    let s = (open_hour * 3600.0 + t_ms / 1000.0).floor().max(0.0) as u64;
    format!("{:02}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60)
}

/// One side of the screen.
pub struct SideView {
    pub side: Side,
    pub fold: FoldWorker,
    pub root: Option<Entity>,
    /// The parent of each floor's entities.
    pub floor_roots: Vec<Entity>,
    pub labels: Vec<Label>,
    /// Heat texture and its plane, per floor.
    pub heat: Vec<(Handle<Image>, Entity)>,
    /// The instant, event count and window the heat texture shows (and
    /// the baseline's instant and events, when it shows the difference
    /// from it).
    pub heat_shown: Option<(u64, usize, Option<u64>, Option<(u64, usize)>)>,
    pub pool: Pool,
    /// Who is in the store at the clock, and each lane's line.
    pub now: Vec<ShopperAt>,
    pub queues: Vec<Vec<u32>>,
    /// The selected shopper's path.
    pub path: Option<Entity>,
    /// Events scanned for timeline markers, and the markers: (time,
    /// abandon) for abandons and products not found.
    pub markers: (usize, Vec<(u64, bool)>),
    /// Each shopper's segment (drawn up front from the seed).
    pub segments: Vec<usize>,
}

impl SideView {
    pub fn new(side: Side) -> SideView {
        let fold = FoldWorker::start(side.layout.clone(), side.playback.clone());
        let segments = aisle::sim::visitors(&side.prepared.scenario, side.seed).iter().map(|v| v.segment).collect();
        SideView {
            segments,
            side,
            fold,
            root: None,
            floor_roots: Vec::new(),
            labels: Vec::new(),
            heat: Vec::new(),
            heat_shown: None,
            pool: Pool::default(),
            now: Vec::new(),
            queues: Vec::new(),
            path: None,
            markers: (0, Vec::new()),
        }
    }

    pub fn open_hour(&self) -> f64 {
        self.side.layout.open_hour
    }

    /// Where floor `f` is drawn in `view` (see `scene::floor_offset`).
    pub fn floor_offset(&self, view: crate::args::View, f: u8) -> Vec3 {
        let s = &self.side.prepared.scenario.store;
        crate::scene::floor_offset(view, s.floors.len(), s.width, f)
    }
}

/// What the viewer is doing besides showing the store.
#[derive(Clone, Debug)]
pub enum Mode {
    Interactive,
    /// Render the clock's moment to this file and exit.
    Screenshot {
        path: std::path::PathBuf,
        frames: u32,
        taken: bool,
        /// Draw the panels too.
        panels: bool,
    },
    /// Count this many frames and report the rate.
    Bench {
        frames: u32,
        counted: u32,
        started: Option<std::time::Instant>,
    },
    /// Render the clock's moments from its start to `to_ms`, `step_ms`
    /// apart, as numbered PNG files in `dir`, and exit.
    Record {
        dir: std::path::PathBuf,
        to_ms: f64,
        step_ms: f64,
        /// Frames asked for, frames written (by the capture callback), and
        /// frames after which the clock moved on.
        requested: u32,
        saved: std::sync::Arc<std::sync::atomic::AtomicU32>,
        advanced: u32,
        panels: bool,
    },
}

#[derive(Resource)]
pub struct Viewer {
    pub sides: Vec<SideView>,
    pub dataset: Option<DatasetSource>,
    pub clock: Clock,
    pub selected: Option<u32>,
    /// Keep the camera on the selected shopper.
    pub follow: bool,
    pub show_heat: bool,
    /// Each shopper's walk over the last minutes.
    pub show_trails: bool,
    /// Walking-direction arrows.
    pub show_directions: bool,
    /// Heat and directions over this many minutes before the clock (`None`: the day so far).
    pub heat_window_min: Option<u32>,
    pub colour_by: crate::args::ColourBy,
    /// The second side's heat as its difference from the first.
    pub show_difference: bool,
    pub show_labels: bool,
    /// Show only this floor (plan of one floor).
    pub floor: Option<u8>,
    pub view: View,
    /// The camera preset still to apply.
    pub apply_view: bool,
    /// The store geometry to (re)build.
    pub rebuild: bool,
    /// The last problem to show (e.g. a run that failed its check).
    pub message: Option<String>,
    pub mode: Mode,
    /// The 3D area left between the panels, logical pixels (min, size).
    pub viewport: Option<(Vec2, Vec2)>,
}

impl Viewer {
    /// The latest instant every side can show.
    pub fn frontier_ms(&self) -> u64 {
        self.sides.iter().map(|s| s.side.frontier_ms()).min().unwrap_or(0)
    }

    /// The end of the day: the latest event, or the hard end while live.
    pub fn end_ms(&self) -> u64 {
        self.sides
            .iter()
            .map(|s| match &s.side.live {
                Some(l) if !l.finished() => s.side.layout.end_ms,
                _ => s.side.playback.read().expect("playback lock").end_ms(),
            })
            .max()
            .unwrap_or(0)
    }

    pub fn interactive(&self) -> bool {
        matches!(self.mode, Mode::Interactive)
    }

    /// Whether the panels are drawn (not in a bare screenshot).
    pub fn panels(&self) -> bool {
        !matches!(self.mode, Mode::Screenshot { panels: false, .. } | Mode::Record { panels: false, .. })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clock_text_counts_from_opening() {
        assert_eq!(clock_text(8.0, 0.0), "08:00:00");
        assert_eq!(clock_text(8.0, 4.0 * 3_600_000.0 + 61_500.0), "12:01:01");
        assert_eq!(clock_text(7.5, 1_800_000.0), "08:00:00");
    }

    #[test]
    fn nobody_is_read_before_opening() {
        let c = Clock { t_ms: -1.0, playing: false, speed: 1.0, hold: None };
        assert_eq!(c.at(), None);
        let c = Clock { t_ms: 1500.7, playing: false, speed: 1.0, hold: None };
        assert_eq!(c.at(), Some(1500));
    }
}
