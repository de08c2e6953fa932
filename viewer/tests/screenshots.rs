//! Renders the grocery with the viewer binary and checks the pictures
//! honestly: enough of the store drawn, a fixture and the hottest heat
//! block in their colours, shoppers present at noon and absent before
//! opening, two moments of the day differing, the two halves of a split
//! screen differing, both floors of the department store in its plan, the
//! heat of a window differing from the day's, shoppers coloured by segment
//! and walking-direction arrows.
//!
//! Needs a display (Xvfb with Mesa's software Vulkan will do) and fails
//! without one; CI runs it with
//! `xvfb-run -s "-screen 0 1920x1080x24" cargo test --release -p aisle-viewer`.
//! Set `AISLE_VIEWER_SHOTS=DIR` to keep the PNGs.

use std::path::{Path, PathBuf};
use std::process::Command;

use aisle::events::dataset::{Dataset, OnScenarioChange};
use aisle::metrics::{DayProjection, Layout, Projection};
use aisle::playback::Playback;
use aisle::report::figures::heat_density;
use aisle::scenario::model::FixtureKind;
use aisle::scenario::{BASELINE, ScenarioFile};
use aisle::style::{heat as heat_colour, scale_top};

const BACKGROUND: [u8; 3] = [34, 38, 46];
const SHOPPERS: [[u8; 3]; 6] = [[0, 80, 255], [0, 255, 0], [255, 0, 255], [255, 0, 128], [0, 255, 255], [150, 0, 255]];
const GONDOLA: [u8; 3] = [120, 144, 176];
/// Shoppers coloured by segment or party, and walking-direction arrows.
const CATEGORIES: [[u8; 3]; 8] = [
    [31, 119, 180],
    [255, 127, 14],
    [44, 160, 44],
    [148, 103, 189],
    [140, 86, 75],
    [227, 119, 194],
    [188, 189, 34],
    [23, 190, 207],
];
const DIRECTION: [u8; 3] = [20, 20, 24];
const SIZE: (u32, u32) = (960, 540);

struct Png {
    w: usize,
    h: usize,
    rgb: Vec<u8>,
}

impl Png {
    fn read(path: &Path) -> Png {
        let decoder = png::Decoder::new(std::io::BufReader::new(std::fs::File::open(path).unwrap()));
        let mut reader = decoder.read_info().unwrap();
        let mut buf = vec![0; reader.output_buffer_size().unwrap()];
        let info = reader.next_frame(&mut buf).unwrap();
        assert_eq!(info.color_type, png::ColorType::Rgb, "{}", path.display());
        buf.truncate(info.buffer_size());
        Png { w: info.width as usize, h: info.height as usize, rgb: buf }
    }

    fn at(&self, x: usize, y: usize) -> [u8; 3] {
        let k = (y * self.w + x) * 3;
        [self.rgb[k], self.rgb[k + 1], self.rgb[k + 2]]
    }

    fn count(&self, xs: std::ops::Range<usize>, f: impl Fn([u8; 3]) -> bool) -> usize {
        (0..self.h).flat_map(|y| xs.clone().map(move |x| (x, y))).filter(|&(x, y)| f(self.at(x, y))).count()
    }
}

fn near(a: [u8; 3], b: [u8; 3], tol: u8) -> bool {
    a.iter().zip(b).all(|(x, y)| x.abs_diff(y) <= tol)
}

fn is_shopper(c: [u8; 3]) -> bool {
    SHOPPERS.iter().any(|s| near(c, *s, 4))
}

fn shoot(out: &Path, name: &str, dataset: &Path, extra: &[&str]) -> Png {
    let file = out.join(format!("{name}.png"));
    let size = format!("{}x{}", SIZE.0, SIZE.1);
    let status = Command::new(env!("CARGO_BIN_EXE_aisle-viewer"))
        .arg(dataset)
        .args(["--screenshot", file.to_str().unwrap(), "--size", &size])
        .args(extra)
        .status()
        .unwrap();
    assert!(status.success(), "aisle-viewer {name}: {status}");
    let png = Png::read(&file);
    assert_eq!((png.w, png.h), (SIZE.0 as usize, SIZE.1 as usize), "{name}: the window was not the size asked for");
    png
}

/// Pixel of scenario point (x, y) in a plan view of a store `w` × `d`
/// metres filling a viewport `vw` × `vh` pixels from `x0` (the viewer's
/// plan preset: orthographic, centred, the footprint fitted with 6% margin).
fn plan_pixel(x: f64, y: f64, w: f64, d: f64, x0: usize, vw: usize, vh: usize) -> (usize, usize) {
    let height_m = d.max(w / (vw as f64 / vh as f64)) * 1.06;
    let per_m = vh as f64 / height_m;
    let px = x0 as f64 + vw as f64 / 2.0 + (x - w / 2.0) * per_m;
    let py = vh as f64 / 2.0 - (y - d / 2.0) * per_m;
    (px as usize, py as usize)
}

#[test]
fn screenshots_show_the_store_its_shoppers_and_heat() {
    assert!(
        std::env::var_os("DISPLAY").is_some() || std::env::var_os("WAYLAND_DISPLAY").is_some(),
        "the screenshot test needs a display: run it under xvfb-run -a -s \"-screen 0 1920x1080x24\""
    );
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let file = ScenarioFile::read(&root.join("scenarios/grocery.toml")).unwrap();
    let work = Path::new(env!("CARGO_TARGET_TMPDIR")).join("viewer-screenshots");
    if work.exists() {
        std::fs::remove_dir_all(&work).unwrap();
    }
    let data = work.join("grocery");
    let out: PathBuf = std::env::var_os("AISLE_VIEWER_SHOTS").map_or_else(|| work.clone(), PathBuf::from);
    std::fs::create_dir_all(&out).unwrap();

    let mut ds = Dataset::open_for(&data, &file, OnScenarioChange::Refuse).unwrap();
    let runs: Vec<_> = std::thread::scope(|s| {
        let jobs: Vec<_> = [BASELINE, "close-two-lanes"]
            .into_iter()
            .map(|v| {
                let (file, data) = (&file, &data);
                s.spawn(move || {
                    let p = aisle::prepare(file, v).unwrap();
                    aisle::run::simulate_run(data, &p, 1, |_| {}).unwrap()
                })
            })
            .collect();
        jobs.into_iter().map(|j| j.join().unwrap()).collect()
    });
    for r in &runs {
        ds.record(r.record.clone()).unwrap();
    }
    drop(ds);

    // Noon, isometric: the store drawn and shoppers in it.
    let noon = shoot(&out, "grocery-iso-1200", &data, &["--at", "12:00", "--view", "iso"]);
    let all = 0..noon.w;
    let drawn = noon.count(all.clone(), |c| !near(c, BACKGROUND, 2));
    assert!(drawn > noon.w * noon.h / 3, "only {drawn} pixels drawn at noon");
    let shoppers_noon = noon.count(all.clone(), is_shopper);
    assert!(shoppers_noon > 200, "only {shoppers_noon} shopper pixels at noon");

    // Before opening: the same store, nobody in it.
    let early = shoot(&out, "grocery-iso-0730", &data, &["--at", "07:30", "--view", "iso"]);
    assert_eq!(early.count(all.clone(), is_shopper), 0, "shopper pixels before opening");
    assert!(early.count(all.clone(), |c| !near(c, BACKGROUND, 2)) > early.w * early.h / 3);

    // Another moment differs.
    let later = shoot(&out, "grocery-iso-1700", &data, &["--at", "17:00", "--view", "iso"]);
    let differ = (0..noon.rgb.len() / 3)
        .filter(|&i| !near(noon.at(i % noon.w, i / noon.w), later.at(i % later.w, i / later.w), 8))
        .count();
    assert!(differ > noon.w * noon.h / 200, "noon and 17:00 differ in only {differ} pixels");

    // Plan view after the day: a gondola top and the hottest heat block
    // in their colours, and nobody left.
    let end = shoot(&out, "grocery-plan-end", &data, &["--at", "23:00", "--view", "plan"]);
    assert_eq!(end.count(all.clone(), is_shopper), 0, "shopper pixels after the day");
    let p = aisle::prepare(&file, BASELINE).unwrap();
    let s = &p.scenario;
    let (w, d) = (s.store.width, s.store.depth);
    let g = s.fixtures.iter().find(|f| f.kind == FixtureKind::Gondola).expect("a gondola");
    let (gx, gy) = plan_pixel(g.centre.x, g.centre.y, w, d, 0, end.w, end.h);
    assert!(near(end.at(gx, gy), GONDOLA, 3), "gondola {} top at ({gx}, {gy}) is {:?}", g.id, end.at(gx, gy));
    let layout = Layout::new(&p);
    let log = data.join(aisle::events::dataset::events_path(BASELINE, 1));
    let (_, playback) = Playback::read(&log).unwrap();
    let mut day = DayProjection::new(&layout);
    day.observe_all(playback.events());
    let blocks = heat_density(&layout, 0, &day.finish().heat_block_s(&layout), 1);
    let top = scale_top(blocks.iter().map(|b| b.1));
    let (hot, value) = blocks.iter().max_by(|a, b| a.1.total_cmp(&b.1)).unwrap();
    let want = heat_colour(value / top);
    let want = [want.0, want.1, want.2];
    let (x0, y1) = plan_pixel(hot.min.x, hot.min.y, w, d, 0, end.w, end.h);
    let (x1, y0) = plan_pixel(hot.max.x, hot.max.y, w, d, 0, end.w, end.h);
    let hits =
        (y0..=y1).flat_map(|y| (x0..=x1).map(move |x| (x, y))).filter(|&(x, y)| near(end.at(x, y), want, 3)).count();
    assert!(hits > 0, "no pixel of the hottest block ({hot:?}) is {want:?}");

    // The department store's plan: both floors side by side, each drawn.
    let dept_file = ScenarioFile::read(&root.join("scenarios/department.toml")).unwrap();
    let dept = work.join("department");
    let mut ds = Dataset::open_for(&dept, &dept_file, OnScenarioChange::Refuse).unwrap();
    let p = aisle::prepare(&dept_file, BASELINE).unwrap();
    ds.record(aisle::run::simulate_run(&dept, &p, 1, |_| {}).unwrap().record).unwrap();
    drop(ds);
    let plan = shoot(&out, "department-plan-1400", &dept, &["--at", "14:00", "--view", "plan"]);
    let third = plan.w / 3;
    let floor_drawn = |xs: std::ops::Range<usize>| plan.count(xs, |c| !near(c, BACKGROUND, 2));
    let (ground, upper) = (floor_drawn(0..third), floor_drawn(2 * third..plan.w));
    assert!(ground > third * plan.h / 3 && upper > third * plan.h / 3, "floors drawn: {ground} and {upper} pixels");
    assert!(plan.count(0..plan.w, is_shopper) > 20, "no shoppers in the department store at 14:00");

    // Split screen: baseline and two lanes closed, one clock.
    let split =
        shoot(&out, "grocery-split-1200", &data, &["--at", "12:00", "--view", "plan", "--compare", "close-two-lanes"]);
    let half = split.w / 2;
    let left = split.count(0..half, is_shopper);
    let right = split.count(half..split.w, is_shopper);
    assert!(left > 50 && right > 50, "shopper pixels: {left} left, {right} right");
    let differ = (0..split.h)
        .flat_map(|y| (0..half - 2).map(move |x| (x, y)))
        .filter(|&(x, y)| !near(split.at(x, y), split.at(x + half, y), 8))
        .count();
    assert!(differ > split.w * split.h / 400, "the halves differ in only {differ} pixels");

    // The heat of the last 15 minutes is not the day's; shoppers coloured
    // by segment show several segments and no activity colours; arrows show
    // which way people walk, and only when asked.
    let day_heat = shoot(&out, "grocery-plan-1200", &data, &["--at", "12:00", "--view", "plan"]);
    let window = shoot(
        &out,
        "grocery-plan-1200-last-15-min",
        &data,
        &["--at", "12:00", "--view", "plan", "--heat-window", "15"],
    );
    let differ = (0..day_heat.rgb.len() / 3)
        .filter(|&i| !near(day_heat.at(i % day_heat.w, i / day_heat.w), window.at(i % window.w, i / window.w), 8))
        .count();
    assert!(
        differ > day_heat.w * day_heat.h / 50,
        "the last 15 minutes' heat differs from the day's in only {differ} pixels"
    );
    let segments = shoot(
        &out,
        "grocery-plan-1200-segments",
        &data,
        &["--at", "12:00", "--view", "plan", "--colour", "segment", "--directions"],
    );
    let shown = CATEGORIES.iter().filter(|&&c| segments.count(all.clone(), |p| near(p, c, 4)) >= 10).count();
    assert!(shown >= 2, "only {shown} segment colours on screen");
    assert_eq!(segments.count(all.clone(), is_shopper), 0, "activity colours while colouring by segment");
    let arrows = segments.count(all.clone(), |c| near(c, DIRECTION, 6));
    assert!(arrows > 2_000, "only {arrows} arrow pixels");
    assert!(day_heat.count(all.clone(), |c| near(c, DIRECTION, 6)) < arrows / 20, "arrows drawn unasked");

    // A recording: 12:00 to 12:00:20 at 100 store seconds per second of
    // video is three frames, 10 s apart, and shoppers move between them.
    let frames = out.join("grocery-record");
    let size = format!("{}x{}", SIZE.0, SIZE.1);
    let status = Command::new(env!("CARGO_BIN_EXE_aisle-viewer"))
        .arg(&data)
        .args(["--record", frames.to_str().unwrap(), "--at", "12:00", "--to", "12:00:20", "--speed", "100"])
        .args(["--view", "plan", "--size", &size])
        .status()
        .unwrap();
    assert!(status.success(), "aisle-viewer --record: {status}");
    let recorded: Vec<Png> = (1..=3).map(|k| Png::read(&frames.join(format!("frame-{k:05}.png")))).collect();
    assert!(!frames.join("frame-00004.png").exists(), "more frames than 12:00 to 12:00:20 holds");
    let moved = (0..recorded[0].h)
        .flat_map(|y| (0..recorded[0].w).map(move |x| (x, y)))
        .filter(|&(x, y)| is_shopper(recorded[0].at(x, y)) != is_shopper(recorded[2].at(x, y)))
        .count();
    assert!(moved > 50, "shoppers moved over only {moved} pixels in 20 s");
}
