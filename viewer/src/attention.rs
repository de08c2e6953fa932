//! What the selected shopper looks at: its view cone (the simulation's own
//! radius and half-angle, around its walking direction) and a frame around
//! every product it has noticed so far (its `view` events up to the clock).

use aisle::events::Action;
use aisle::sim::perception::{VIEW_HALF_ANGLE_DEG, VIEW_RADIUS_M};
use bevy::prelude::*;

use crate::frame::layer;
use crate::palette;
use crate::scene::{self, Kit};
use crate::state::Viewer;

/// One line mesh per side, rebuilt as the clock or the selection moves.
#[allow(clippy::too_many_arguments)]
pub fn update_attention(
    mut commands: Commands,
    v: Res<Viewer>,
    mut kit: ResMut<Kit>,
    mut meshes: ResMut<Assets<Mesh>>,
    mut materials: ResMut<Assets<StandardMaterial>>,
    exists: Query<(), With<Mesh3d>>,
    mut drawn: Local<Vec<Option<(Entity, Handle<Mesh>)>>>,
    mut last: Local<Option<(Option<u32>, Option<u64>, crate::args::View, Vec<Option<Entity>>)>>,
) {
    let key = (v.selected, v.clock.at(), v.view, v.sides.iter().map(|s| s.root).collect::<Vec<_>>());
    if last.as_ref() == Some(&key) {
        return;
    }
    *last = Some(key);
    drawn.resize(v.sides.len(), None);
    for (i, sv) in v.sides.iter().enumerate() {
        let Some(root) = sv.root else { continue };
        if drawn[i].as_ref().is_some_and(|(e, _)| exists.get(*e).is_err()) {
            drawn[i] = None;
        }
        let handle = match &drawn[i] {
            Some((_, h)) => h.clone(),
            None => {
                let h = meshes.add(scene::lines(Vec::new()));
                let m = kit.material(&mut materials, palette::NOTICED, 255);
                let e = commands
                    .spawn((Mesh3d(h.clone()), MeshMaterial3d(m), Transform::IDENTITY, layer(i), ChildOf(root)))
                    .id();
                drawn[i] = Some((e, h.clone()));
                h
            }
        };
        let mut lines = Vec::new();
        if let (Some(s), Some(t)) = (v.selected, v.clock.at())
            && let Some(at) = sv.now.iter().find(|a| a.shopper == s)
        {
            let sc = &sv.side.prepared.scenario;
            let elevation = |f: u8| sc.store.floors.get(f as usize).map_or(0.0, |x| x.elevation);
            let offset = |f: u8| sv.floor_offset(v.view, f);
            let p = sv.side.playback.read().expect("playback lock");
            // Walking direction: from where it was a few seconds ago.
            let before = p.shopper_at(s, t.saturating_sub(3_000)).filter(|b| b.floor == at.floor);
            let (dx, dy) = before.map_or((0.0, 0.0), |b| (at.x - b.x, at.y - b.y));
            let eye = scene::world(at.x as f64, at.y as f64, elevation(at.floor) + 1.5) + offset(at.floor);
            if dx.hypot(dy) > 0.05 {
                let heading = (dy as f64).atan2(dx as f64);
                let half = VIEW_HALF_ANGLE_DEG.to_radians();
                let edge = |a: f64| {
                    let (x, y) = (at.x as f64 + VIEW_RADIUS_M * a.cos(), at.y as f64 + VIEW_RADIUS_M * a.sin());
                    scene::world(x, y, elevation(at.floor) + 1.5) + offset(at.floor)
                };
                let arc: Vec<Vec3> = (0..=8).map(|k| edge(heading - half + 2.0 * half * k as f64 / 8.0)).collect();
                lines.extend([eye, arc[0], eye, arc[8]]);
                lines.extend(arc.windows(2).flat_map(|w| [w[0], w[1]]));
            }
            // Products noticed so far: a frame around each of their places.
            let mut noticed: Vec<u32> = p
                .events_of(s)
                .filter(|e| e.t_ms <= t)
                .filter_map(|e| match e.action {
                    Action::View { product } => Some(product),
                    _ => None,
                })
                .collect();
            noticed.sort_unstable();
            noticed.dedup();
            for x in noticed {
                let Some(product) = sc.products.get(x as usize) else { continue };
                for pl in &product.placements {
                    let Some(fx) = sc.fixtures.get(pl.fixture) else { continue };
                    let y = elevation(fx.floor) + scene::level_height(pl.level, fx.height) + 0.11;
                    let (nx, ny) = fx.face_normal(pl.face);
                    let half = pl.facings as f64 * aisle::scenario::model::FACING_WIDTH_M / 2.0;
                    let (tx, ty) = (-ny * half, nx * half);
                    let c = pl.spot.offset(nx * 0.06, ny * 0.06);
                    let o = offset(fx.floor);
                    let corner = |s: f64, h: f64| scene::world(c.x + tx * s, c.y + ty * s, y + h) + o;
                    let r = [corner(-1.0, -0.13), corner(1.0, -0.13), corner(1.0, 0.13), corner(-1.0, 0.13)];
                    lines.extend((0..4).flat_map(|k| [r[k], r[(k + 1) % 4]]));
                }
            }
        }
        if let Some(mut mesh) = meshes.get_mut(&handle) {
            *mesh = scene::lines(lines);
        }
    }
}
