//! One-shot modes: `--screenshot` renders the clock's moment once the scene
//! is complete (store built, figures placed, heat folded to the instant,
//! every render pipeline compiled) and exits; `--bench-frames` counts
//! frames while the day plays and reports the rate.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

use bevy::prelude::*;
use bevy::render::render_resource::PipelineCache;
use bevy::render::view::screenshot::{Screenshot, ScreenshotCaptured};
use bevy::render::{Render, RenderApp, RenderSystems};

use crate::state::{Mode, Viewer};

/// Set by the render world when no pipeline is waiting to be compiled.
#[derive(Resource, Clone, Default)]
pub struct PipelinesReady(pub Arc<AtomicBool>);

pub fn install(app: &mut App) {
    let ready = PipelinesReady::default();
    app.insert_resource(ready.clone());
    app.sub_app_mut(RenderApp)
        .insert_resource(ready)
        .add_systems(Render, report_pipelines.in_set(RenderSystems::Cleanup));
}

fn report_pipelines(cache: Res<PipelineCache>, ready: Res<PipelinesReady>) {
    ready.0.store(cache.waiting_pipelines().next().is_none(), Ordering::Release);
}

/// Whether what the clock shows is complete on every side.
fn scene_complete(v: &Viewer) -> bool {
    let t = v.clock.at().unwrap_or(0);
    let end = v.end_ms() as f64;
    let reached = v.clock.hold.is_none_or(|h| v.clock.t_ms >= h.min(end));
    reached
        && v.sides.iter().all(|s| {
            s.root.is_some()
                && s.side.frontier_ms() >= t
                && s.fold.latest().is_some_and(|f| f.t_ms == t)
                && s.heat_shown.is_some_and(|(ht, ..)| ht == t)
        })
}

/// Frames the scene must have been complete, with no pipeline waiting,
/// before it is captured or timed.
const SETTLE_FRAMES: u32 = 8;

pub fn capture(mut commands: Commands, mut v: ResMut<Viewer>, ready: Res<PipelinesReady>, mut settled: Local<u32>) {
    let v = &mut *v;
    let complete = scene_complete(v) && ready.0.load(Ordering::Acquire);
    *settled = if complete { *settled + 1 } else { 0 };
    let settled = *settled;
    let load_s: Vec<f64> = v.sides.iter().map(|s| s.side.load_s).collect();
    let shown: usize = v.sides.iter().map(|s| s.now.len()).sum();
    let events: usize = v.sides.iter().map(|s| s.side.playback.read().expect("playback lock").events().len()).sum();
    match &mut v.mode {
        Mode::Interactive => {}
        Mode::Screenshot { path, frames, taken, .. } => {
            *frames += 1;
            if !*taken && settled >= SETTLE_FRAMES {
                *taken = true;
                let path = path.clone();
                commands.spawn(Screenshot::primary_window()).observe(
                    move |shot: On<ScreenshotCaptured>, mut exit: MessageWriter<AppExit>| {
                        let saved = shot
                            .image
                            .clone()
                            .try_into_dynamic()
                            .map_err(|e| e.to_string())
                            .and_then(|img| img.to_rgb8().save(&path).map_err(|e| e.to_string()));
                        match saved {
                            Ok(()) => {
                                println!("{}: {shown} shoppers shown", path.display());
                                exit.write(AppExit::Success);
                            }
                            Err(e) => {
                                eprintln!("{}: cannot write the screenshot: {e}", path.display());
                                exit.write(AppExit::error());
                            }
                        }
                    },
                );
            }
        }
        Mode::Bench { frames, counted, started } => {
            if started.is_none() {
                if settled >= SETTLE_FRAMES {
                    *started = Some(Instant::now());
                    v.clock.hold = None;
                    v.clock.playing = true;
                }
                return;
            }
            *counted += 1;
            if *counted >= *frames {
                let secs = started.expect("started").elapsed().as_secs_f64();
                println!(
                    "bench: {} frames in {secs:.2} s = {:.1} frames/s, {shown} shoppers on screen at the end, {events} events indexed, load {}",
                    counted,
                    *counted as f64 / secs,
                    load_s.iter().map(|s| format!("{s:.2} s")).collect::<Vec<_>>().join(" + ")
                );
                commands.write_message(AppExit::Success);
            }
        }
    }
}
