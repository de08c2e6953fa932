//! One-shot modes: `--screenshot` renders the clock's moment once the scene
//! is complete (store built, figures placed, heat folded to the instant,
//! every render pipeline compiled) and exits; `--record` does so for a
//! moment after moment, writing a numbered PNG sequence (and an MP4 when
//! `ffmpeg` is on the PATH); `--bench-frames` counts frames while the day
//! plays and reports the rate.

use std::path::Path;
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
/// Before each later frame of a recording: the pipelines are compiled.
const SETTLE_NEXT_FRAMES: u32 = 2;
/// Frames of video per second of a recording.
pub const RECORD_FPS: f64 = 10.0;

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
                    move |shot: On<ScreenshotCaptured>, mut exit: MessageWriter<AppExit>| match write_png(&shot, &path)
                    {
                        Ok(()) => {
                            println!("{}: {shown} shoppers shown", path.display());
                            exit.write(AppExit::Success);
                        }
                        Err(e) => {
                            eprintln!("{}: cannot write the screenshot: {e}", path.display());
                            exit.write(AppExit::error());
                        }
                    },
                );
            }
        }
        Mode::Record { dir, to_ms, step_ms, requested, saved, advanced, .. } => {
            let done = saved.load(Ordering::Acquire);
            if done < *requested {
                return; // The last frame is still being written.
            }
            if *requested > *advanced {
                // Its frame is written: on to the next moment, or done.
                *advanced = *requested;
                let next = v.clock.hold.unwrap_or(v.clock.t_ms) + *step_ms;
                if next > *to_ms {
                    finish_recording(dir, done);
                    commands.write_message(AppExit::Success);
                    return;
                }
                v.clock.hold = Some(next);
                v.clock.t_ms = next;
                return;
            }
            let needed = if *requested == 0 { SETTLE_FRAMES } else { SETTLE_NEXT_FRAMES };
            if settled >= needed {
                *requested += 1;
                let (path, saved) = (dir.join(format!("frame-{:05}.png", *requested)), saved.clone());
                commands.spawn(Screenshot::primary_window()).observe(
                    move |shot: On<ScreenshotCaptured>, mut exit: MessageWriter<AppExit>| match write_png(&shot, &path)
                    {
                        Ok(()) => {
                            saved.fetch_add(1, Ordering::Release);
                        }
                        Err(e) => {
                            eprintln!("{}: cannot write the frame: {e}", path.display());
                            exit.write(AppExit::error());
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

/// Writes a captured frame to `path` as an RGB PNG.
fn write_png(shot: &ScreenshotCaptured, path: &Path) -> Result<(), String> {
    let image = shot.image.clone().try_into_dynamic().map_err(|e| e.to_string())?;
    image.to_rgb8().save(path).map_err(|e| e.to_string())
}

/// Says what was recorded, and joins the frames into `day.mp4` when an
/// `ffmpeg` executable is on the PATH (run, never linked).
fn finish_recording(dir: &Path, frames: u32) {
    println!("{}: {frames} frames recorded", dir.display());
    let fps = RECORD_FPS.to_string();
    let pattern = dir.join("frame-%05d.png");
    let mp4 = dir.join("day.mp4");
    let made = std::process::Command::new("ffmpeg")
        .args(["-y", "-loglevel", "error", "-framerate", &fps, "-i"])
        .arg(&pattern)
        .args(["-pix_fmt", "yuv420p", "-vf", "pad=ceil(iw/2)*2:ceil(ih/2)*2"])
        .arg(&mp4)
        .status();
    match made {
        Ok(status) if status.success() => println!("{}: the frames as a video", mp4.display()),
        Ok(status) => eprintln!("ffmpeg could not join the frames ({status}); the PNG files stand"),
        Err(_) => println!(
            "no ffmpeg on the PATH: the PNG files stand (ffmpeg -framerate {fps} -i {} day.mp4 joins them)",
            pattern.display()
        ),
    }
}
