//! The store in 3D, to scale, from the prepared scenario: floors stacked by
//! elevation, walls, fixtures as boxes with their shelf boards, products as
//! blocks coloured by category on their shelves, checkouts with terminals
//! and queue lines, entrances and exits, zone outlines, connectors. Scenario
//! x runs east and y north; in the scene x is east, y up and −z north.

use std::collections::HashMap;

use aisle::scenario::model::{FixtureKind, Scenario, ShelfLevel, ZoneShape};
use bevy::asset::RenderAssetUsages;
use bevy::camera::visibility::RenderLayers;
use bevy::mesh::{Indices, PrimitiveTopology};
use bevy::prelude::*;

use crate::palette::{self, Rgb};

/// Scene position of a scenario point on a floor at `elevation`.
pub fn world(x: f64, y: f64, elevation: f64) -> Vec3 {
    Vec3::new(x as f32, elevation as f32, -y as f32)
}

/// Meshes and materials shared by every side.
#[derive(Resource)]
pub struct Kit {
    /// A unit cube whose faces are shaded by direction (top at full
    /// colour), so unlit boxes still read as 3D.
    pub cube: Handle<Mesh>,
    pub shopper: Handle<Mesh>,
    pub ring: Handle<Mesh>,
    materials: HashMap<(Rgb, u8), Handle<StandardMaterial>>,
}

impl Kit {
    pub fn new(meshes: &mut Assets<Mesh>) -> Kit {
        Kit {
            cube: meshes.add(shaded_cube()),
            shopper: meshes.add(Capsule3d::new(0.22, 1.2)),
            ring: meshes.add(Annulus::new(0.38, 0.5)),
            materials: HashMap::new(),
        }
    }

    /// An unlit material of colour `c`, opaque or with `alpha` < 255.
    pub fn material(
        &mut self,
        materials: &mut Assets<StandardMaterial>,
        c: Rgb,
        alpha: u8,
    ) -> Handle<StandardMaterial> {
        self.materials
            .entry((c, alpha))
            .or_insert_with(|| {
                materials.add(StandardMaterial {
                    base_color: Color::srgba_u8(c[0], c[1], c[2], alpha),
                    unlit: true,
                    alpha_mode: if alpha == 255 { AlphaMode::Opaque } else { AlphaMode::Blend },
                    ..default()
                })
            })
            .clone()
    }
}

fn shaded_cube() -> Mesh {
    let mut mesh = Mesh::from(Cuboid::new(1.0, 1.0, 1.0));
    let Some(normals) = mesh.attribute(Mesh::ATTRIBUTE_NORMAL).and_then(|a| a.as_float3()) else {
        return mesh;
    };
    let colours: Vec<[f32; 4]> = normals
        .iter()
        .map(|n| {
            let f = if n[1] > 0.5 {
                1.0
            } else if n[1] < -0.5 {
                0.45
            } else if n[0].abs() > 0.5 {
                0.80
            } else {
                0.66
            };
            [f, f, f, 1.0]
        })
        .collect();
    mesh.insert_attribute(Mesh::ATTRIBUTE_COLOR, colours);
    mesh
}

/// Line segments (pairs of points) as a mesh.
pub fn lines(points: Vec<Vec3>) -> Mesh {
    let n = points.len();
    Mesh::new(PrimitiveTopology::LineList, RenderAssetUsages::default())
        .with_inserted_attribute(Mesh::ATTRIBUTE_POSITION, points.into_iter().map(|p| p.to_array()).collect::<Vec<_>>())
        .with_inserted_attribute(Mesh::ATTRIBUTE_NORMAL, vec![[0.0f32, 1.0, 0.0]; n])
        .with_inserted_indices(Indices::U32((0..n as u32).collect()))
}

/// A text label placed in the scene, drawn by the panel layer.
#[derive(Clone)]
pub struct Label {
    pub at: Vec3,
    pub floor: u8,
    pub text: String,
}

/// Entities of one side's store belong to this root.
#[derive(Component)]
pub struct StoreRoot;

/// Marks an entity drawn on one floor, so floors can be shown alone.
#[derive(Component, Clone, Copy)]
pub struct OnFloor(pub u8);

/// The parent of everything drawn on one floor: moved aside in the plan
/// view of a store with several floors, so all are seen side by side.
#[derive(Component, Clone, Copy)]
pub struct FloorRoot(pub u8);

/// A connector between floors (hidden while floors are laid side by side).
#[derive(Component)]
pub struct ConnectorMark;

/// Metres between floors laid side by side.
pub const FLOOR_GAP_M: f64 = 4.0;

/// Where floor `f` is moved to: aside by its index in the plan view of a
/// store with several floors, in place otherwise.
pub fn floor_offset(view: crate::args::View, floors: usize, width: f64, f: u8) -> Vec3 {
    if view == crate::args::View::Plan && floors > 1 {
        Vec3::X * (f as f64 * (width + FLOOR_GAP_M)) as f32
    } else {
        Vec3::ZERO
    }
}

struct Builder<'a, 'w, 's> {
    commands: &'a mut Commands<'w, 's>,
    meshes: &'a mut Assets<Mesh>,
    materials: &'a mut Assets<StandardMaterial>,
    kit: &'a mut Kit,
    layer: RenderLayers,
    /// One parent per floor.
    floors: Vec<Entity>,
}

impl Builder<'_, '_, '_> {
    fn spawn(&mut self, mesh: Handle<Mesh>, colour: Rgb, alpha: u8, transform: Transform, floor: u8) {
        let material = self.kit.material(self.materials, colour, alpha);
        self.commands.spawn((
            Mesh3d(mesh),
            MeshMaterial3d(material),
            transform,
            self.layer.clone(),
            OnFloor(floor),
            ChildOf(self.floors[(floor as usize).min(self.floors.len() - 1)]),
        ));
    }

    /// An axis-aligned box from its centre and size (scene axes).
    fn cube(&mut self, centre: Vec3, size: Vec3, colour: Rgb, floor: u8) {
        let t = Transform::from_translation(centre).with_scale(size);
        self.spawn(self.kit.cube.clone(), colour, 255, t, floor);
    }

    fn lines(&mut self, points: Vec<Vec3>, colour: Rgb, floor: u8) {
        if points.is_empty() {
            return;
        }
        let mesh = self.meshes.add(lines(points));
        self.spawn(mesh, colour, 255, Transform::IDENTITY, floor);
    }
}

/// Height of a shelf level's board on a fixture `height` tall.
pub fn level_height(level: ShelfLevel, height: f64) -> f64 {
    let nominal: f64 = match level {
        ShelfLevel::Floor => 0.05,
        ShelfLevel::Knee => 0.42,
        ShelfLevel::Waist => 0.82,
        ShelfLevel::Eye => 1.25,
        ShelfLevel::Top => 1.62,
    };
    nominal.min((height - 0.25).max(0.05))
}

/// Spawns one side's store under a new root (one child per floor) and
/// returns the root, the floor parents and the labels to draw over it.
pub fn spawn_store(
    commands: &mut Commands,
    meshes: &mut Assets<Mesh>,
    materials: &mut Assets<StandardMaterial>,
    kit: &mut Kit,
    s: &Scenario,
    layer: RenderLayers,
) -> (Entity, Vec<Entity>, Vec<Label>) {
    let root = commands.spawn((StoreRoot, Transform::IDENTITY, Visibility::Visible)).id();
    let floors = (0..s.store.floors.len().max(1))
        .map(|f| commands.spawn((FloorRoot(f as u8), Transform::IDENTITY, Visibility::Visible, ChildOf(root))).id())
        .collect();
    let mut b = Builder { commands, meshes, materials, kit, layer, floors };
    let mut labels = Vec::new();
    let elevation = |f: u8| s.store.floors.get(f as usize).map_or(0.0, |x| x.elevation);
    let (w, d) = (s.store.width, s.store.depth);

    for (i, floor) in s.store.floors.iter().enumerate() {
        let e = floor.elevation;
        let f = i as u8;
        b.cube(world(w / 2.0, d / 2.0, e - 0.04), Vec3::new(w as f32, 0.08, d as f32), palette::FLOOR, f);
        let c = [world(0.0, 0.0, e + 0.02), world(w, 0.0, e + 0.02), world(w, d, e + 0.02), world(0.0, d, e + 0.02)];
        b.lines((0..4).flat_map(|k| [c[k], c[(k + 1) % 4]]).collect(), palette::PERIMETER, f);
        if s.store.floors.len() > 1 {
            labels.push(Label { at: world(w / 2.0, d - 0.6, e), floor: f, text: format!("floor {}", floor.id) });
        }
    }
    for wall in &s.store.walls {
        let r = &wall.footprint;
        let centre = world((r.min.x + r.max.x) / 2.0, (r.min.y + r.max.y) / 2.0, elevation(wall.floor) + 1.2);
        b.cube(centre, Vec3::new(r.width() as f32, 2.4, r.depth() as f32), palette::WALL, wall.floor);
    }
    for zone in &s.zones {
        let e = elevation(zone.floor) + 0.03;
        let ring: Vec<(f64, f64)> = match &zone.shape {
            ZoneShape::Rect(r) => vec![(r.min.x, r.min.y), (r.max.x, r.min.y), (r.max.x, r.max.y), (r.min.x, r.max.y)],
            ZoneShape::Polygon(p) => p.iter().map(|q| (q.x, q.y)).collect(),
        };
        let n = ring.len();
        let pts = (0..n).flat_map(|k| [ring[k], ring[(k + 1) % n]]).map(|(x, y)| world(x, y, e)).collect();
        b.lines(pts, palette::ZONE_LINE, zone.floor);
        let (cx, cy) = ring.iter().fold((0.0, 0.0), |a, p| (a.0 + p.0 / n as f64, a.1 + p.1 / n as f64));
        labels.push(Label { at: world(cx, cy, e), floor: zone.floor, text: zone.name.clone() });
    }
    for fx in &s.fixtures {
        let e = elevation(fx.floor);
        let r = fx.footprint();
        let h = fx.height.max(0.05);
        let kind = palette::fixture(fx.kind);
        let centre = world(fx.centre.x, fx.centre.y, e + h / 2.0);
        b.cube(centre, Vec3::new(r.width() as f32, h as f32, r.depth() as f32), kind, fx.floor);
        if fx.kind == FixtureKind::CheckoutCounter || fx.kind == FixtureKind::Obstacle {
            continue;
        }
        // A board under each level on each stocked face, standing proud of it.
        for &face in &fx.faces {
            let (nx, ny) = fx.face_normal(face);
            let len = fx.face_length(face);
            let mid = fx.point_on_face(face, len / 2.0).offset(nx * 0.04, ny * 0.04);
            for &level in &fx.levels {
                let y = e + level_height(level, h) - 0.015;
                let size = board_size(nx, len, 0.1, 0.03);
                b.cube(world(mid.x, mid.y, y), size, palette::SHELF, fx.floor);
            }
        }
    }
    for p in &s.products {
        let colour = s.categories.get(p.category).map_or([128, 128, 128], |c| c.colour);
        for pl in &p.placements {
            let Some(fx) = s.fixtures.get(pl.fixture) else { continue };
            let (nx, ny) = fx.face_normal(pl.face);
            let width = pl.facings as f64 * aisle::scenario::model::FACING_WIDTH_M - 0.04;
            // Half in the fixture, 4 cm proud of its face.
            let c = pl.spot.offset(-nx * 0.11, -ny * 0.11);
            let y = elevation(fx.floor) + level_height(pl.level, fx.height) + 0.11;
            b.cube(world(c.x, c.y, y), board_size(nx, width, 0.3, 0.2), colour, fx.floor);
        }
    }
    // Checkout lanes, then service counters: a line and its desks each.
    for lane in s.desks() {
        let e = elevation(lane.floor);
        let (terminal, queue) = if lane.open {
            (palette::TERMINAL_OPEN, palette::QUEUE_OPEN)
        } else {
            (palette::TERMINAL_CLOSED, palette::QUEUE_CLOSED)
        };
        for t in &lane.terminals {
            b.cube(world(t.x, t.y, e + 0.5), Vec3::new(0.45, 1.0, 0.45), terminal, lane.floor);
        }
        let last = lane.place(lane.queue_places as usize - 1);
        let mut pts =
            vec![world(lane.service_point.x, lane.service_point.y, e + 0.03), world(last.x, last.y, e + 0.03)];
        let (qx, qy) = lane.queue_dir;
        for k in 0..lane.queue_places as usize {
            let p = lane.place(k);
            let (tx, ty) = (-qy * 0.2, qx * 0.2);
            pts.push(world(p.x - tx, p.y - ty, e + 0.03));
            pts.push(world(p.x + tx, p.y + ty, e + 0.03));
        }
        b.lines(pts, queue, lane.floor);
        let state = if lane.open { "" } else { " (closed)" };
        let role = match lane.role {
            aisle::scenario::DeskRole::Checkout => "",
            aisle::scenario::DeskRole::Counter => " counter",
        };
        labels.push(Label {
            at: world(last.x, last.y, e),
            floor: lane.floor,
            text: format!("{}{role}{state}", lane.id),
        });
    }
    for (portals, colour) in [(&s.entrances, palette::ENTRANCE), (&s.exits, palette::EXIT)] {
        for p in portals {
            b.cube(world(p.at.x, p.at.y, elevation(p.floor) + 0.02), Vec3::new(1.4, 0.05, 1.4), colour, p.floor);
        }
    }
    for c in &s.store.connectors {
        let (a, z) = (
            world(c.from.at.x, c.from.at.y, elevation(c.from.floor)),
            world(c.to.at.x, c.to.at.y, elevation(c.to.floor)),
        );
        let colour = if c.open { palette::connector(c.kind) } else { palette::TERMINAL_CLOSED };
        let span = z - a;
        if span.length() < 1e-3 {
            continue;
        }
        let rotation = Quat::from_rotation_arc(Vec3::Z, span.normalize());
        let t = Transform { translation: (a + z) / 2.0, rotation, scale: Vec3::new(1.0, 0.12, span.length()) };
        let material = b.kit.material(b.materials, colour, 255);
        let parent = b.floors[(c.from.floor as usize).min(b.floors.len() - 1)];
        b.commands.spawn((
            Mesh3d(b.kit.cube.clone()),
            MeshMaterial3d(material),
            t,
            b.layer.clone(),
            OnFloor(c.from.floor),
            ConnectorMark,
            ChildOf(parent),
        ));
        labels.push(Label { at: a, floor: c.from.floor, text: c.id.clone() });
    }
    (root, b.floors, labels)
}

/// Size (scene axes) of a box `along` long on a face with normal x
/// component `nx`, `depth` deep across it and `height` tall.
fn board_size(nx: f64, along: f64, depth: f64, height: f64) -> Vec3 {
    if nx.abs() > 0.5 {
        Vec3::new(depth as f32, height as f32, along as f32)
    } else {
        Vec3::new(along as f32, height as f32, depth as f32)
    }
}
