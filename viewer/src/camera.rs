//! Cameras: one per side, each seeing only its side's layer, laid out in
//! the area the panels leave; the first orbits, pans and zooms
//! (`PanOrbitCamera`) and the second follows it, so both sides are seen
//! from the same place. Presets: plan (orthographic), isometric, one floor.
//! A click picks the shopper nearest the ray under the cursor.

use std::f32::consts::FRAC_PI_2;

use bevy::camera::visibility::RenderLayers;
use bevy::camera::{CameraOutputMode, ClearColorConfig, ScalingMode, Viewport};
use bevy::core_pipeline::tonemapping::Tonemapping;
use bevy::prelude::*;
use bevy::render::render_resource::BlendState;
use bevy::window::PrimaryWindow;
use bevy_egui::PrimaryEguiContext;
use bevy_panorbit_camera::PanOrbitCamera;

use crate::args::View;
use crate::frame::layer;
use crate::palette;
use crate::state::Viewer;

/// The camera of side `.0`.
#[derive(Component)]
pub struct SideCamera(pub usize);

/// One camera per side; respawned when the number of sides changes (a
/// comparison loaded or closed in the run picker).
pub fn sync_cameras(mut commands: Commands, mut v: ResMut<Viewer>, cams: Query<Entity, With<SideCamera>>) {
    if cams.iter().count() == v.sides.len() {
        return;
    }
    for e in &cams {
        commands.entity(e).despawn();
    }
    let [r, g, b] = palette::BACKGROUND;
    for i in 0..v.sides.len() {
        let mut e = commands.spawn((
            SideCamera(i),
            Camera3d::default(),
            Camera { order: i as isize, clear_color: ClearColorConfig::Custom(Color::srgb_u8(r, g, b)), ..default() },
            Tonemapping::None,
            Msaa::Off,
            Transform::from_xyz(0.0, 50.0, 50.0).looking_at(Vec3::ZERO, Vec3::Y),
            layer(i),
        ));
        if i == 0 {
            let smooth = if v.interactive() { 0.1 } else { 0.0 };
            e.insert(PanOrbitCamera {
                orbit_smoothness: smooth,
                pan_smoothness: smooth,
                zoom_smoothness: smooth,
                ..default()
            });
        }
    }
    v.apply_view = true;
}

/// Panels are drawn by a camera of their own over the whole window.
pub fn spawn_panel_camera(commands: &mut Commands) {
    commands.spawn((
        PrimaryEguiContext,
        Camera3d::default(),
        RenderLayers::none(),
        Tonemapping::None,
        Msaa::Off,
        Camera {
            order: 10,
            output_mode: CameraOutputMode::Write {
                blend_state: Some(BlendState::ALPHA_BLENDING),
                clear_color: ClearColorConfig::None,
            },
            clear_color: ClearColorConfig::Custom(Color::NONE),
            ..default()
        },
    ));
}

/// Where a preset puts the camera: focus, yaw, pitch, radius (for plan
/// views the orthographic height in metres) and whether it is orthographic.
pub fn preset(view: View, width: f64, depth: f64, elevation: f64, aspect: f32) -> (Vec3, f32, f32, f32, bool) {
    let focus = Vec3::new(width as f32 / 2.0, elevation as f32, -depth as f32 / 2.0);
    match view {
        // A viewport narrower than 16:9 (a split half) needs more distance.
        View::Iso => (focus, 0.55, 0.72, (width.max(depth) as f32) * 1.15 * (1.45 / aspect).max(1.0), false),
        View::Plan | View::Floor(_) => {
            // Fit the footprint (with a margin) whichever way the view is narrower.
            let h = (depth as f32).max(width as f32 / aspect.max(0.1)) * 1.06;
            (focus, 0.0, FRAC_PI_2 - 1e-4, h, true)
        }
    }
}

/// Applies a pending preset, lays the cameras out and keeps the second on
/// the first.
pub fn place_cameras(
    mut v: ResMut<Viewer>,
    window: Single<&Window, With<PrimaryWindow>>,
    mut cams: Query<(&SideCamera, &mut Camera, &mut Transform, &mut Projection, Option<&mut PanOrbitCamera>)>,
    mut layout: Local<(u32, f32)>,
) {
    let scale = window.scale_factor();
    let (min, size) = v.viewport.unwrap_or((Vec2::ZERO, Vec2::new(window.width(), window.height())));
    let n = v.sides.len().max(1);
    let each = Vec2::new((size.x / n as f32).floor(), size.y);
    for (c, mut camera, ..) in &mut cams {
        let pos = (min + Vec2::new(each.x * c.0 as f32, 0.0)) * scale;
        let phys = (each - Vec2::new(if n > 1 { 2.0 } else { 0.0 }, 0.0)).max(Vec2::splat(16.0)) * scale;
        let viewport = Viewport { physical_position: pos.as_uvec2(), physical_size: phys.as_uvec2(), ..default() };
        if camera.viewport.as_ref().map(|v| (v.physical_position, v.physical_size))
            != Some((viewport.physical_position, viewport.physical_size))
        {
            camera.viewport = Some(viewport);
        }
    }
    // While the panels settle in the first frames, the view is fitted
    // again whenever the room left for it changes shape.
    let aspect = each.x / each.y.max(1.0);
    layout.0 += 1;
    if layout.0 < 30 && (aspect - layout.1).abs() > 0.01 {
        layout.1 = aspect;
        v.apply_view = true;
    }
    let has_orbit = cams.iter().any(|c| c.4.is_some());
    if v.apply_view && !v.sides.is_empty() && has_orbit {
        v.apply_view = false;
        let s = &v.sides[0].side.prepared.scenario;
        let floor = match v.view {
            View::Floor(f) => f,
            _ => 0,
        };
        let elevation = s.store.floors.get(floor as usize).map_or(0.0, |f| f.elevation);
        // The plan of several floors lays them side by side.
        let n = if v.view == View::Plan { s.store.floors.len().max(1) } else { 1 };
        let width = n as f64 * s.store.width + (n - 1) as f64 * crate::scene::FLOOR_GAP_M;
        let (focus, yaw, pitch, radius, ortho) = preset(v.view, width, s.store.depth, elevation, aspect);
        v.floor = match v.view {
            View::Floor(f) => Some(f),
            _ => None,
        };
        for (c, _, _, mut projection, orbit) in &mut cams {
            if c.0 != 0 {
                continue;
            }
            *projection = if ortho {
                Projection::Orthographic(OrthographicProjection {
                    scaling_mode: ScalingMode::FixedVertical { viewport_height: 1.0 },
                    scale: radius,
                    ..OrthographicProjection::default_3d()
                })
            } else {
                Projection::Perspective(PerspectiveProjection::default())
            };
            if let Some(mut o) = orbit {
                o.target_focus = focus;
                o.target_yaw = yaw;
                o.target_pitch = pitch;
                o.target_radius = radius;
                o.focus = focus;
                o.yaw = Some(yaw);
                o.pitch = Some(pitch);
                o.radius = Some(radius);
                o.force_update = true;
            }
        }
    }
    // Following the selected shopper: the orbit's focus moves with it.
    let followed = v.selected.filter(|_| v.follow).and_then(|s| {
        let sv = v.sides.first()?;
        let at = sv.now.iter().find(|a| a.shopper == s)?;
        let e = sv.side.prepared.scenario.store.floors.get(at.floor as usize).map_or(0.0, |f| f.elevation);
        Some(crate::scene::world(at.x as f64, at.y as f64, e) + sv.floor_offset(v.view, at.floor))
    });
    if let Some(focus) = followed {
        for (_, _, _, _, orbit) in &mut cams {
            if let Some(mut o) = orbit
                && o.target_focus.distance(focus) > 0.01
            {
                o.target_focus = focus;
            }
        }
    }
    // The other sides look from where the first does.
    let lead = cams.iter().find(|c| c.0.0 == 0).map(|(_, _, t, p, _)| (*t, p.clone()));
    if let Some((t, p)) = lead {
        for (c, _, mut transform, mut projection, _) in &mut cams {
            if c.0 != 0 {
                *transform = t;
                *projection = p.clone();
            }
        }
    }
}

/// A left click in a side's view selects the shopper nearest the ray.
pub fn pick(
    buttons: Res<ButtonInput<MouseButton>>,
    window: Single<&Window, With<PrimaryWindow>>,
    egui_input: Res<bevy_egui::input::EguiWantsInput>,
    cams: Query<(&SideCamera, &Camera, &GlobalTransform)>,
    mut v: ResMut<Viewer>,
) {
    if !buttons.just_pressed(MouseButton::Left) || egui_input.wants_any_pointer_input() {
        return;
    }
    let Some(cursor) = window.cursor_position() else { return };
    for (side, camera, gt) in &cams {
        let inside = camera.logical_viewport_rect().is_some_and(|r| r.contains(cursor));
        if !inside {
            continue;
        }
        let Ok(ray) = camera.viewport_to_world(gt, cursor) else { continue };
        let sv = &v.sides[side.0];
        let floors = &sv.side.prepared.scenario.store.floors;
        let best = sv
            .now
            .iter()
            .filter_map(|a| {
                let e = floors.get(a.floor as usize).map_or(0.0, |f| f.elevation);
                let p =
                    crate::scene::world(a.x as f64, a.y as f64, e) + Vec3::Y * 0.82 + sv.floor_offset(v.view, a.floor);
                let d = (p - ray.origin).cross(*ray.direction).length();
                (d < 0.7).then_some((d, a.shopper))
            })
            .min_by(|a, b| a.0.total_cmp(&b.0));
        v.selected = best.map(|(_, s)| s);
        return;
    }
}
