//! The command line: what to open, and the one-shot modes (screenshot,
//! frame-rate bench).

use std::path::PathBuf;

use anyhow::{Context, Result, bail};
use clap::Parser;

/// Watch a store day in 3D: replay a logged run, open a dataset, or run a
/// scenario live; compare two layouts side by side.
#[derive(Debug, Parser)]
#[command(name = "aisle-viewer", version = aisle::VERSION)]
pub struct Args {
    /// A scenario file (`.toml`, simulated live), a dataset directory
    /// written by `aisle run`/`aisle compare`, or one run's `part-0.parquet`.
    pub input: PathBuf,
    /// The variant to show (scenario or dataset; default: baseline).
    #[arg(long)]
    pub variant: Option<String>,
    /// The seed to show (scenario or dataset; default: 1, or the dataset's first).
    #[arg(long)]
    pub seed: Option<u64>,
    /// A second variant of the same seed, shown side by side.
    #[arg(long, value_name = "VARIANT")]
    pub compare: Option<String>,
    /// The scenario file a bare `part-0.parquet` outside a dataset was made from.
    #[arg(long, value_name = "FILE")]
    pub scenario: Option<PathBuf>,
    /// Render one moment to this PNG file and exit.
    #[arg(long, value_name = "FILE")]
    pub screenshot: Option<PathBuf>,
    /// With --compare: colour the second side's heat by its difference
    /// from the first (the report's diverging scale: blue fewer, red more).
    #[arg(long, requires = "compare")]
    pub difference: bool,
    /// Draw each shopper's trail over the last three minutes.
    #[arg(long)]
    pub trails: bool,
    /// Draw which way people walk: an arrow per square metre of floor,
    /// as long as the moves there agree (over the heat's window).
    #[arg(long)]
    pub directions: bool,
    /// Heat (and directions) over the last N minutes instead of the day so far.
    #[arg(long, value_name = "MINUTES", value_parser = clap::value_parser!(u32).range(1..=1440))]
    pub heat_window: Option<u32>,
    /// Colour shoppers by what they are doing, by segment, or by party.
    #[arg(long, value_enum, default_value_t = ColourBy::Activity)]
    pub colour: ColourBy,
    /// Select this shopper (its events in the panel, its path drawn), as a
    /// click on it would.
    #[arg(long, value_name = "SHOPPER")]
    pub select: Option<u32>,
    /// With --screenshot: draw the panels (run picker, figures, timeline) too.
    #[arg(long)]
    pub panels: bool,
    /// Store clock to start at (or to render with --screenshot, or to
    /// record from: `--from` says the same), e.g. 12:00.
    #[arg(long, visible_alias = "from", value_name = "HH:MM", value_parser = parse_clock)]
    pub at: Option<u64>,
    /// Camera preset: plan (orthographic, from above), iso, or floor:N (plan of one floor).
    #[arg(long, default_value = "iso", value_parser = parse_view)]
    pub view: View,
    /// Window size in pixels, e.g. 1280x720.
    #[arg(long, value_name = "WxH", default_value = "1280x720", value_parser = parse_size)]
    pub size: (u32, u32),
    /// Render this many frames playing from --at (default 12:00) at 1x, print
    /// the frame rate and load time, and exit.
    #[arg(long, value_name = "N")]
    pub bench_frames: Option<u32>,
    /// Record the day from --at (default opening) to --to as a PNG sequence
    /// in this folder, 10 frames a second of video (and `day.mp4` when an
    /// `ffmpeg` executable is on the PATH), then exit.
    #[arg(long, value_name = "DIR")]
    pub record: Option<PathBuf>,
    /// With --record: the store clock to stop at.
    #[arg(long, value_name = "HH:MM", value_parser = parse_clock, requires = "record")]
    pub to: Option<u64>,
    /// With --record: store seconds per second of video.
    #[arg(long, value_name = "X", default_value_t = 60.0, requires = "record")]
    pub speed: f64,
}

/// What a shopper's colour tells.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ColourBy {
    /// Walking, at a shelf, queuing, being served, leaving, gave up.
    Activity,
    /// The segment it belongs to (the panel gives the legend).
    Segment,
    /// Its shopping party: companions share their leader's colour.
    Party,
}

/// A camera preset.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum View {
    /// Every floor from above, orthographic.
    Plan,
    /// From the south-east, above, in perspective.
    Iso,
    /// One floor from above, orthographic, the others hidden.
    Floor(u8),
}

/// `HH:MM` or `HH:MM:SS` → milliseconds since midnight.
pub fn parse_clock(s: &str) -> Result<u64, String> {
    let parts: Vec<&str> = s.split(':').collect();
    let num = |p: &str, max: u64| -> Option<u64> { p.parse::<u64>().ok().filter(|v| *v < max) };
    let (h, m, sec) = match parts.as_slice() {
        [h, m] => (num(h, 48), num(m, 60), Some(0)),
        [h, m, sec] => (num(h, 48), num(m, 60), num(sec, 60)),
        _ => (None, None, None),
    };
    match (h, m, sec) {
        (Some(h), Some(m), Some(sec)) => Ok(((h * 60 + m) * 60 + sec) * 1000),
        _ => Err(format!("`{s}` is not a store clock time: write HH:MM, e.g. 12:00")),
    }
}

pub fn parse_view(s: &str) -> Result<View, String> {
    match s {
        "plan" => Ok(View::Plan),
        "iso" => Ok(View::Iso),
        _ => s
            .strip_prefix("floor:")
            .and_then(|n| n.parse().ok())
            .map(View::Floor)
            .ok_or_else(|| format!("`{s}` is not a view: use plan, iso or floor:N (N counts floors from 0)")),
    }
}

pub fn parse_size(s: &str) -> Result<(u32, u32), String> {
    let parsed = s.split_once(['x', 'X']).and_then(|(w, h)| Some((w.parse::<u32>().ok()?, h.parse::<u32>().ok()?)));
    match parsed {
        Some((w, h)) if (64..=8192).contains(&w) && (64..=8192).contains(&h) => Ok((w, h)),
        _ => Err(format!("`{s}` is not a window size: write WIDTHxHEIGHT, each 64 to 8192, e.g. 1280x720")),
    }
}

/// What kind of input a path is, from what is on disk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    Scenario(PathBuf),
    Dataset(PathBuf),
    Log(PathBuf),
}

impl Input {
    pub fn classify(path: &std::path::Path) -> Result<Input> {
        let meta = std::fs::metadata(path).with_context(|| {
            format!(
                "{}: cannot open it; pass a scenario .toml, a dataset directory or a part-0.parquet",
                path.display()
            )
        })?;
        if meta.is_dir() {
            if path.join(aisle::events::dataset::MANIFEST).is_file() {
                return Ok(Input::Dataset(path.to_owned()));
            }
            bail!(
                "{}: a directory without {}: not a dataset (make one with `aisle run SCENARIO --out {}`)",
                path.display(),
                aisle::events::dataset::MANIFEST,
                path.display()
            );
        }
        match path.extension().and_then(|e| e.to_str()) {
            Some("toml") => Ok(Input::Scenario(path.to_owned())),
            Some("parquet") => Ok(Input::Log(path.to_owned())),
            _ => bail!(
                "{}: not a scenario (.toml), dataset directory or event log (.parquet); pass one of those",
                path.display()
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clock_times_parse_to_milliseconds_since_midnight() {
        assert_eq!(parse_clock("12:00"), Ok(12 * 3_600_000));
        assert_eq!(parse_clock("08:30:15"), Ok((8 * 3600 + 30 * 60 + 15) * 1000));
        assert!(parse_clock("12").is_err());
        assert!(parse_clock("12:60").is_err());
        assert!(parse_clock("noon").is_err());
    }

    #[test]
    fn views_and_sizes_parse_or_say_what_to_write() {
        assert_eq!(parse_view("plan"), Ok(View::Plan));
        assert_eq!(parse_view("floor:1"), Ok(View::Floor(1)));
        assert!(parse_view("top").unwrap_err().contains("plan, iso or floor:N"));
        assert_eq!(parse_size("1280x720"), Ok((1280, 720)));
        assert!(parse_size("1280").is_err());
        assert!(parse_size("10x10").is_err());
    }

    #[test]
    fn inputs_are_classified_by_what_is_on_disk() {
        let dir = std::env::temp_dir().join(format!("aisle-viewer-args-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        assert!(Input::classify(&dir.join("missing.toml")).unwrap_err().to_string().contains("cannot open"));
        assert!(Input::classify(&dir).unwrap_err().to_string().contains("not a dataset"));
        std::fs::write(dir.join("manifest.json"), "{}").unwrap();
        assert_eq!(Input::classify(&dir).unwrap(), Input::Dataset(dir.clone()));
        let toml = dir.join("s.toml");
        std::fs::write(&toml, "").unwrap();
        assert_eq!(Input::classify(&toml).unwrap(), Input::Scenario(toml.clone()));
        let txt = dir.join("s.txt");
        std::fs::write(&txt, "").unwrap();
        assert!(Input::classify(&txt).is_err());
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
