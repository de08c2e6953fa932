//! What changes every frame: the clock advances, the stores are (re)built
//! when a day is opened, figures move to the playback's positions, the
//! heat texture follows the folded figures, floors are shown or hidden.

use bevy::asset::RenderAssetUsages;
use bevy::camera::visibility::RenderLayers;
use bevy::image::ImageSampler;
use bevy::prelude::*;
use bevy::render::render_resource::{Extent3d, TextureDimension, TextureFormat};

use crate::palette;
use crate::scene::{self, FloorRoot, Kit, OnFloor, StoreRoot};
use crate::shoppers::{self, Figure, FigureMaterials, SelectionRing};
use std::sync::Arc;

use aisle::style::scale_top;

use crate::heat::Folded;
use crate::state::Viewer;

/// The render layer of side `i` (its camera sees only it).
pub fn layer(i: usize) -> RenderLayers {
    RenderLayers::layer(i + 1)
}

#[derive(Resource)]
pub struct Figures(pub FigureMaterials);

pub fn advance_clock(time: Res<Time>, mut v: ResMut<Viewer>) {
    let frontier = v.frontier_ms() as f64;
    let end = v.end_ms() as f64;
    let clock = &mut v.clock;
    if clock.playing {
        clock.t_ms += time.delta_secs_f64() * 1000.0 * clock.speed;
        if clock.t_ms >= end {
            clock.t_ms = end;
            clock.playing = false;
        }
    }
    // Not past what has been simulated (live) or logged; before opening is fine.
    let limit = frontier.min(end).max(0.0);
    if let Some(hold) = clock.hold {
        clock.t_ms = hold.min(limit);
    }
    if clock.t_ms > limit {
        clock.t_ms = limit;
    }
    let t = clock.t_ms.max(0.0) as u64;
    for s in &v.sides {
        if let Some(live) = &s.side.live {
            live.watch(t);
        }
    }
}

#[allow(clippy::too_many_arguments)]
pub fn rebuild_stores(
    mut commands: Commands,
    mut v: ResMut<Viewer>,
    mut kit: ResMut<Kit>,
    mut meshes: ResMut<Assets<Mesh>>,
    mut materials: ResMut<Assets<StandardMaterial>>,
    mut images: ResMut<Assets<Image>>,
    roots: Query<Entity, With<StoreRoot>>,
    figures: Query<Entity, With<Figure>>,
) {
    if !v.rebuild {
        return;
    }
    v.rebuild = false;
    for e in roots.iter().chain(figures.iter()) {
        commands.entity(e).despawn();
    }
    for (i, sv) in v.sides.iter_mut().enumerate() {
        let s = sv.side.prepared.scenario.clone();
        let (root, floor_roots, labels) =
            scene::spawn_store(&mut commands, &mut meshes, &mut materials, &mut kit, &s, layer(i));
        sv.root = Some(root);
        sv.labels = labels;
        sv.floor_roots = floor_roots.clone();
        sv.pool.figures.clear();
        sv.path = None;
        sv.heat_shown = None;
        sv.heat.clear();
        let l = &sv.side.layout;
        let (bx, by) = l.blocks_per_floor();
        let side_m = l.block_rect(0).1.width() as f32;
        for (f, floor) in s.store.floors.iter().enumerate() {
            let mut image = Image::new_fill(
                Extent3d { width: bx as u32, height: by as u32, depth_or_array_layers: 1 },
                TextureDimension::D2,
                &[0, 0, 0, 0],
                TextureFormat::Rgba8UnormSrgb,
                RenderAssetUsages::default(),
            );
            image.sampler = ImageSampler::nearest();
            let handle = images.add(image);
            let material = materials.add(StandardMaterial {
                base_color_texture: Some(handle.clone()),
                unlit: true,
                alpha_mode: AlphaMode::Mask(0.5),
                ..default()
            });
            let (w, d) = (bx as f32 * side_m, by as f32 * side_m);
            let plane = meshes.add(Plane3d::default().mesh().size(w, d));
            let at = scene::world(w as f64 / 2.0, d as f64 / 2.0, floor.elevation + 0.015);
            let e = commands
                .spawn((
                    Mesh3d(plane),
                    MeshMaterial3d(material),
                    Transform::from_translation(at),
                    Visibility::Hidden,
                    layer(i),
                    ChildOf(floor_roots[f]),
                ))
                .id();
            sv.heat.push((handle, e));
        }
        commands.spawn((
            SelectionRing { side: i },
            Mesh3d(kit.ring.clone()),
            MeshMaterial3d(kit.material(&mut materials, palette::SELECTED, 255)),
            Transform::from_rotation(Quat::from_rotation_x(-std::f32::consts::FRAC_PI_2)),
            Visibility::Hidden,
            layer(i),
            ChildOf(root),
        ));
    }
}

pub fn update_shoppers(
    mut commands: Commands,
    mut v: ResMut<Viewer>,
    kit: Res<Kit>,
    mats: Res<Figures>,
    mut figures: Query<(&Figure, &mut Transform, &mut Visibility, &mut MeshMaterial3d<StandardMaterial>)>,
    mut rings: Query<(&SelectionRing, &mut Transform, &mut Visibility), Without<Figure>>,
) {
    let at = v.clock.at();
    let only = v.floor;
    let selected = v.selected;
    let view = v.view;
    let colour_by = v.colour_by;
    for (i, sv) in v.sides.iter_mut().enumerate() {
        let (now, queues) = match at {
            Some(t) => {
                let p = sv.side.playback.read().expect("playback lock");
                (p.shoppers_at(t), p.queues_at(t, sv.side.layout.lanes.len()))
            }
            None => (Vec::new(), vec![Vec::new(); sv.side.layout.lanes.len()]),
        };
        sv.now = now;
        sv.queues = queues;
        shoppers::grow(&mut sv.pool, sv.now.len(), i, &mut commands, &kit, &mats.0, &layer(i));
    }
    for (f, mut transform, mut vis, mut material) in &mut figures {
        let sv = &v.sides[f.side];
        let elevation =
            |floor: u8| sv.side.prepared.scenario.store.floors.get(floor as usize).map_or(0.0, |x| x.elevation);
        match sv.now.get(f.slot) {
            Some(at) if only.is_none_or(|fl| fl == at.floor) => {
                *transform = shoppers::figure_transform(at, elevation(at.floor));
                transform.translation += sv.floor_offset(view, at.floor);
                *vis = Visibility::Inherited;
                let want = mats.0.pick(at, colour_by, &sv.segments);
                if &material.0 != want {
                    material.0 = want.clone();
                }
            }
            _ => *vis = Visibility::Hidden,
        }
    }
    for (ring, mut transform, mut vis) in &mut rings {
        let sv = &v.sides[ring.side];
        let found = selected.and_then(|s| sv.now.iter().find(|a| a.shopper == s));
        match found {
            Some(at) => {
                let e = sv.side.prepared.scenario.store.floors.get(at.floor as usize).map_or(0.0, |x| x.elevation);
                transform.translation =
                    scene::world(at.x as f64, at.y as f64, e + 0.04) + sv.floor_offset(view, at.floor);
                *vis = Visibility::Inherited;
            }
            None => *vis = Visibility::Hidden,
        }
    }
}

/// Asks each side's fold worker for the clock's figures and repaints the
/// heat texture when an answer for a new instant has come.
pub fn update_heat(
    mut v: ResMut<Viewer>,
    mut images: ResMut<Assets<Image>>,
    mut vis: Query<&mut Visibility, With<Mesh3d>>,
) {
    let at = v.clock.at();
    let show = v.show_heat;
    let only = v.floor;
    let folded: Vec<Option<Arc<Folded>>> = v.sides.iter().map(|s| s.fold.latest()).collect();
    let difference = v.show_difference && v.sides.len() > 1;
    let window_ms = v.heat_window_min.map(|m| m as u64 * 60_000);
    for (i, sv) in v.sides.iter_mut().enumerate() {
        let t = at.unwrap_or(0);
        let known = sv.side.playback.read().expect("playback lock").events().partition_point(|e| e.t_ms <= t);
        sv.fold.request(t, window_ms, known);
        for (f, (_, e)) in sv.heat.iter().enumerate() {
            if let Ok(mut vis) = vis.get_mut(*e) {
                let on = show && at.is_some() && only.is_none_or(|o| o as usize == f);
                let want = if on { Visibility::Inherited } else { Visibility::Hidden };
                if *vis != want {
                    *vis = want;
                }
            }
        }
        let Some(here) = &folded[i] else { continue };
        // The second side shows its difference from the first when asked.
        let base = folded[0].as_ref().filter(|_| difference && i > 0);
        let key = (here.t_ms, here.events, here.window_ms, base.map(|b| (b.t_ms, b.events)));
        if sv.heat_shown == Some(key) || sv.heat.is_empty() {
            continue;
        }
        sv.heat_shown = Some(key);
        let (bx, by) = sv.side.layout.blocks_per_floor();
        let colours = heat_colours(here, base);
        for (f, (handle, _)) in sv.heat.iter().enumerate() {
            let Some(colours) = colours.get(f) else { continue };
            let Some(mut image) = images.get_mut(handle) else { continue };
            let mut data = vec![0u8; bx * by * 4];
            for (b, c) in colours.iter().enumerate() {
                let Some(c) = c else { continue };
                let (ix, iy) = (b % bx, b / bx);
                // Image rows run from the north edge (−z) down.
                let row = by - 1 - iy;
                let k = (row * bx + ix) * 4;
                data[k..k + 4].copy_from_slice(&[c[0], c[1], c[2], 255]);
            }
            image.data = Some(data);
        }
    }
}

/// The colour of each heat block per floor (`None`: nothing to show):
/// density on the report's heat scale, or, against a baseline, the
/// difference on the report's diverging scale (limit: the 98th percentile
/// of the differences' sizes).
fn heat_colours(here: &Folded, base: Option<&Arc<Folded>>) -> Vec<Vec<Option<palette::Rgb>>> {
    let same_grid = base.is_some_and(|b| b.density.iter().map(Vec::len).eq(here.density.iter().map(Vec::len)));
    match base.filter(|_| same_grid) {
        None => here
            .density
            .iter()
            .map(|floor| floor.iter().map(|d| (*d > 0.0).then(|| palette::heat(d / here.top))).collect())
            .collect(),
        Some(b) => {
            let diffs: Vec<Vec<f64>> = here
                .density
                .iter()
                .zip(&b.density)
                .map(|(h, b)| h.iter().zip(b).map(|(x, y)| x - y).collect())
                .collect();
            let limit = scale_top(diffs.iter().flatten().map(|d| d.abs()));
            diffs
                .iter()
                .map(|floor| floor.iter().map(|d| (*d != 0.0).then(|| palette::diverging(d / limit))).collect())
                .collect()
        }
    }
}

/// Lays floors side by side in the plan view of a store with several
/// floors (connectors hidden then), stacked otherwise.
pub fn place_floors(
    v: Res<Viewer>,
    mut roots: Query<(&FloorRoot, &ChildOf, &mut Transform)>,
    mut connectors: Query<&mut Visibility, With<scene::ConnectorMark>>,
) {
    for (f, parent, mut t) in &mut roots {
        let Some(sv) = v.sides.iter().find(|s| s.root == Some(parent.parent())) else { continue };
        let want = sv.floor_offset(v.view, f.0);
        if t.translation != want {
            t.translation = want;
        }
    }
    let aside = v.floor.is_some() || v.sides.first().is_some_and(|s| s.floor_offset(v.view, 1) != Vec3::ZERO);
    for mut vis in &mut connectors {
        let want = if aside { Visibility::Hidden } else { Visibility::Inherited };
        if *vis != want {
            *vis = want;
        }
    }
}

/// Shows every floor, or only the one chosen (heat planes are switched
/// by `update_heat`, figures by `update_shoppers`).
pub fn show_floors(v: Res<Viewer>, mut q: Query<(&OnFloor, &mut Visibility), Without<scene::ConnectorMark>>) {
    for (f, mut vis) in &mut q {
        let want = if v.floor.is_none_or(|o| o == f.0) { Visibility::Inherited } else { Visibility::Hidden };
        if *vis != want {
            *vis = want;
        }
    }
}

/// The trail of each side's shoppers over the last minutes, one line mesh
/// per side, rebuilt as the clock moves.
#[allow(clippy::too_many_arguments)]
pub fn update_trails(
    mut commands: Commands,
    mut v: ResMut<Viewer>,
    mut kit: ResMut<Kit>,
    mut meshes: ResMut<Assets<Mesh>>,
    mut materials: ResMut<Assets<StandardMaterial>>,
    mut vis: Query<&mut Visibility>,
    mut drawn: Local<Vec<Option<Lines<u64>>>>,
) {
    let at = v.clock.at();
    let (show, view) = (v.show_trails, v.view);
    drawn.resize_with(v.sides.len(), || None);
    for (i, sv) in v.sides.iter_mut().enumerate() {
        let Some(root) = sv.root else { continue };
        let lines = line_layer(
            &mut drawn[i],
            (root, i),
            palette::TRAIL,
            show,
            &mut commands,
            &mut kit,
            &mut meshes,
            &mut materials,
            &mut vis,
        );
        let handle = lines.mesh.clone();
        let t = at.unwrap_or(0);
        if !show || lines.drawn_for == Some(t) {
            continue;
        }
        let floors = &sv.side.prepared.scenario.store.floors;
        let place = |x: f32, y: f32, floor: u8| {
            let e = floors.get(floor as usize).map_or(0.0, |f| f.elevation);
            scene::world(x as f64, y as f64, e + 0.05) + sv.floor_offset(view, floor)
        };
        let segments = match at {
            Some(t) => shoppers::trail_segments(&sv.side.playback.read().expect("playback lock"), &sv.now, t, place),
            None => Vec::new(),
        };
        if let Some(mut mesh) = meshes.get_mut(&handle) {
            *mesh = scene::lines(segments);
        }
        lines.drawn_for = Some(t);
    }
}

/// A side's lines of one colour (trails, arrows): one line mesh under the
/// side's store, and what it was last drawn for.
pub struct Lines<K> {
    entity: Entity,
    mesh: Handle<Mesh>,
    drawn_for: Option<K>,
}

/// The lines in `slot` for side `side` under `root`, made on first use
/// and again after a rebuilt store took them with it; shown or hidden as
/// `show` says.
#[allow(clippy::too_many_arguments)]
fn line_layer<'a, K>(
    slot: &'a mut Option<Lines<K>>,
    (root, side): (Entity, usize),
    colour: palette::Rgb,
    show: bool,
    commands: &mut Commands,
    kit: &mut Kit,
    meshes: &mut Assets<Mesh>,
    materials: &mut Assets<StandardMaterial>,
    vis: &mut Query<&mut Visibility>,
) -> &'a mut Lines<K> {
    if slot.as_ref().is_some_and(|l| vis.get(l.entity).is_err()) {
        *slot = None;
    }
    let lines = slot.get_or_insert_with(|| {
        let mesh = meshes.add(scene::lines(Vec::new()));
        let m = kit.material(materials, colour, 255);
        let entity = commands
            .spawn((Mesh3d(mesh.clone()), MeshMaterial3d(m), Transform::IDENTITY, layer(side), ChildOf(root)))
            .id();
        Lines { entity, mesh, drawn_for: None }
    });
    if let Ok(mut vis) = vis.get_mut(lines.entity) {
        let want = if show { Visibility::Inherited } else { Visibility::Hidden };
        if *vis != want {
            *vis = want;
        }
    }
    lines
}

/// Walking-direction arrows, one per heat block where enough moves agree
/// on a direction (over the heat's window), redrawn when the fold moves.
pub fn update_directions(
    mut commands: Commands,
    v: Res<Viewer>,
    mut kit: ResMut<Kit>,
    mut meshes: ResMut<Assets<Mesh>>,
    mut materials: ResMut<Assets<StandardMaterial>>,
    mut vis: Query<&mut Visibility>,
    mut drawn: Local<Vec<Option<Lines<FoldKey>>>>,
) {
    let (show, view) = (v.show_directions && v.clock.at().is_some(), v.view);
    drawn.resize_with(v.sides.len(), || None);
    for (i, sv) in v.sides.iter().enumerate() {
        let Some(root) = sv.root else { continue };
        let lines = line_layer(
            &mut drawn[i],
            (root, i),
            palette::DIRECTION,
            show,
            &mut commands,
            &mut kit,
            &mut meshes,
            &mut materials,
            &mut vis,
        );
        let handle = lines.mesh.clone();
        let Some(folded) = sv.fold.latest().filter(|_| show) else { continue };
        let key = (folded.t_ms, folded.events, folded.window_ms);
        if lines.drawn_for == Some(key) {
            continue;
        }
        let floors = &sv.side.prepared.scenario.store.floors;
        let layout = &sv.side.layout;
        let (bx, by) = layout.blocks_per_floor();
        let mut arrows = Vec::new();
        for (f, blocks) in folded.directions.iter().enumerate() {
            let e = floors.get(f).map_or(0.0, |x| x.elevation);
            for (b, dir) in blocks.iter().enumerate() {
                let Some(dir) = dir else { continue };
                let (_, rect) = layout.block_rect(f * bx * by + b);
                let centre = ((rect.min.x + rect.max.x) / 2.0, (rect.min.y + rect.max.y) / 2.0);
                let offset = sv.floor_offset(view, f as u8);
                let place = |x: f64, y: f64| scene::world(x, y, e + 0.07) + offset;
                arrows.extend(arrow(centre, *dir, rect.max.x - rect.min.x).iter().map(|&(x, y)| place(x, y)));
            }
        }
        if let Some(mut mesh) = meshes.get_mut(&handle) {
            *mesh = scene::lines(arrows);
        }
        lines.drawn_for = Some(key);
    }
}

/// What a fold answered: its instant, events and window.
type FoldKey = (u64, usize, Option<u64>);

/// Line segments (pairs of points) of an arrow centred on `centre` along
/// `dir` (length 0 to 1: how far across a block of `side` metres it reaches).
fn arrow(centre: (f64, f64), dir: (f64, f64), side: f64) -> [(f64, f64); 6] {
    let len = dir.0.hypot(dir.1).max(1e-9);
    let (ux, uy) = (dir.0 / len, dir.1 / len);
    let half = 0.45 * side * len.clamp(0.25, 1.0);
    let tail = (centre.0 - ux * half, centre.1 - uy * half);
    let tip = (centre.0 + ux * half, centre.1 + uy * half);
    // The head: two strokes back from the tip, a third of the shaft long, 30° off it.
    let back = half * 2.0 / 3.0;
    let (c, s) = (30f64.to_radians().cos(), 30f64.to_radians().sin());
    let left = (tip.0 - back * (ux * c - uy * s), tip.1 - back * (uy * c + ux * s));
    let right = (tip.0 - back * (ux * c + uy * s), tip.1 - back * (uy * c - ux * s));
    [tail, tip, tip, left, tip, right]
}
