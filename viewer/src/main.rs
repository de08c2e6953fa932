//! aisle-viewer: a desktop 3D viewer for aisle. A thin shell over the
//! library: days come from `aisle::playback` (a logged run, or a live
//! `Simulation` feeding the same index), figures from the report's own
//! projection.

mod args;
mod attention;
mod camera;
mod capture;
mod details;
mod frame;
mod heat;
mod live;
mod palette;
mod scene;
mod shoppers;
mod source;
mod state;
mod ui;

use std::process::ExitCode;

use anyhow::Context as _;
use bevy::log::LogPlugin;
use bevy::prelude::*;
use bevy::window::PresentMode;
use bevy_egui::{EguiGlobalSettings, EguiPlugin, EguiPrimaryContextPass};
use bevy_panorbit_camera::PanOrbitCameraPlugin;
use clap::Parser;

use crate::args::Args;
use crate::scene::Kit;
use crate::state::{Clock, Mode, SideView, Viewer};

fn main() -> ExitCode {
    let args = Args::parse();
    match run(args) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(2)
        }
    }
}

fn run(args: Args) -> anyhow::Result<ExitCode> {
    let opened = source::open(&args)?;
    if cfg!(target_os = "linux")
        && ["DISPLAY", "WAYLAND_DISPLAY", "WAYLAND_SOCKET"].iter().all(|v| std::env::var_os(v).is_none())
    {
        anyhow::bail!(
            "no display to open a window on (DISPLAY is not set); without a screen, run it under Xvfb: \
             xvfb-run -s \"-screen 0 1920x1080x24\" aisle-viewer …"
        );
    }
    for s in &opened.sides {
        if s.live.is_none() {
            let events = s.playback.read().expect("playback lock").events().len();
            eprintln!("loaded {} seed {}: {events} events in {:.2} s", s.variant, s.seed, s.load_s);
        }
    }
    let open_ms = opened.sides[0].prepared.scenario.population.open_ms as f64;
    let close_ms = opened.sides[0].prepared.scenario.population.close_ms as f64;
    let mode = match (&args.screenshot, args.bench_frames, &args.record) {
        (Some(path), None, None) => {
            Mode::Screenshot { path: path.clone(), frames: 0, taken: false, panels: args.panels }
        }
        (None, Some(frames), None) => Mode::Bench { frames: frames.max(1), counted: 0, started: None },
        (None, None, Some(dir)) => {
            if !(args.speed.is_finite() && args.speed > 0.0) {
                anyhow::bail!("--speed {} must be a positive number of store seconds per second of video", args.speed);
            }
            std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
            Mode::Record {
                dir: dir.clone(),
                to_ms: args.to.map_or(close_ms, |t| t as f64) - open_ms,
                step_ms: args.speed * 1000.0 / capture::RECORD_FPS,
                requested: 0,
                saved: Default::default(),
                advanced: 0,
                panels: args.panels,
            }
        }
        (None, None, None) => Mode::Interactive,
        _ => anyhow::bail!("--screenshot, --bench-frames and --record are separate runs: pass one"),
    };
    let noon = 12.0 * 3_600_000.0;
    let start = match (&mode, args.at) {
        (_, Some(at)) => at as f64 - open_ms,
        (Mode::Interactive | Mode::Record { .. }, None) => 0.0,
        (_, None) => noon - open_ms,
    };
    let title = format!("aisle-viewer — {}", opened.sides[0].prepared.scenario.name);
    let viewer = Viewer {
        sides: opened.sides.into_iter().map(SideView::new).collect(),
        dataset: opened.dataset,
        // The bench plays at 1×, as a merchandiser would watch.
        clock: Clock {
            t_ms: start,
            playing: matches!(mode, Mode::Interactive),
            speed: if matches!(mode, Mode::Bench { .. }) { 1.0 } else { 10.0 },
            hold: (!matches!(mode, Mode::Interactive)).then_some(start),
        },
        selected: args.select,
        follow: false,
        show_heat: true,
        show_trails: args.trails,
        show_directions: args.directions,
        heat_window_min: args.heat_window,
        colour_by: args.colour,
        show_difference: args.difference,
        show_labels: true,
        floor: None,
        view: args.view,
        apply_view: true,
        rebuild: true,
        message: None,
        mode: mode.clone(),
        viewport: None,
    };
    Ok(app(viewer, &args, title).run_to_code())
}

trait RunToCode {
    fn run_to_code(self) -> ExitCode;
}

impl RunToCode for App {
    fn run_to_code(mut self) -> ExitCode {
        match self.run() {
            AppExit::Success => ExitCode::SUCCESS,
            AppExit::Error(_) => ExitCode::FAILURE,
        }
    }
}

fn app(viewer: Viewer, args: &Args, title: String) -> App {
    let (w, h) = args.size;
    let interactive = viewer.interactive();
    let mut app = App::new();
    let [r, g, b] = palette::BACKGROUND;
    app.insert_resource(ClearColor(Color::srgb_u8(r, g, b)))
        .add_plugins(
            DefaultPlugins
                .set(WindowPlugin {
                    primary_window: Some(Window {
                        title,
                        resolution: (w, h).into(),
                        present_mode: if interactive { PresentMode::AutoVsync } else { PresentMode::AutoNoVsync },
                        resizable: interactive,
                        ..default()
                    }),
                    ..default()
                })
                .set(LogPlugin { filter: "warn,wgpu=error,naga=error".into(), ..default() }),
        )
        .add_plugins(EguiPlugin::default())
        .add_plugins(PanOrbitCameraPlugin)
        .insert_resource(viewer)
        .init_resource::<ui::Picker>()
        .add_systems(Startup, setup)
        .add_systems(
            Update,
            (
                frame::advance_clock,
                camera::sync_cameras,
                frame::rebuild_stores,
                frame::update_shoppers,
                frame::update_heat,
                frame::place_floors,
                frame::show_floors,
                details::update_paths,
                frame::update_trails,
                frame::update_directions,
                attention::update_attention,
                camera::place_cameras,
                camera::pick,
                capture::capture,
            )
                .chain(),
        )
        .add_systems(EguiPrimaryContextPass, ui::panels);
    capture::install(&mut app);
    app
}

fn setup(
    mut commands: Commands,
    mut egui: ResMut<EguiGlobalSettings>,
    mut meshes: ResMut<Assets<Mesh>>,
    mut materials: ResMut<Assets<StandardMaterial>>,
) {
    egui.auto_create_primary_context = false;
    let mut kit = Kit::new(&mut meshes);
    let figures = shoppers::FigureMaterials::new(&mut kit, &mut materials);
    commands.insert_resource(kit);
    commands.insert_resource(frame::Figures(figures));
    camera::spawn_panel_camera(&mut commands);
}
