//! Shoppers as figures: one shared capsule mesh and one material per
//! activity, so the renderer batches them into instanced draws. A pool of
//! entities per side is moved to the playback's positions every frame.

use aisle::playback::ShopperAt;
use bevy::camera::visibility::RenderLayers;
use bevy::prelude::*;

use crate::args::ColourBy;
use crate::palette;
use crate::scene::{Kit, world};

/// A pooled figure of side `side`; `slot` indexes the pool.
#[derive(Component)]
pub struct Figure {
    pub side: usize,
    pub slot: usize,
}

/// The ring under the selected shopper.
#[derive(Component)]
pub struct SelectionRing {
    pub side: usize,
}

/// Entities of a side's figures, grown as the crowd grows.
#[derive(Default)]
pub struct Pool {
    pub figures: Vec<Entity>,
}

pub struct FigureMaterials {
    pub shopping: Handle<StandardMaterial>,
    pub at_shelf: Handle<StandardMaterial>,
    pub queuing: Handle<StandardMaterial>,
    pub served: Handle<StandardMaterial>,
    pub leaving: Handle<StandardMaterial>,
    pub abandoned: Handle<StandardMaterial>,
    /// `palette::CATEGORIES`, for segments and parties.
    pub categories: Vec<Handle<StandardMaterial>>,
}

impl FigureMaterials {
    pub fn new(kit: &mut Kit, materials: &mut Assets<StandardMaterial>) -> FigureMaterials {
        FigureMaterials {
            shopping: kit.material(materials, palette::SHOPPING, 255),
            at_shelf: kit.material(materials, palette::AT_SHELF, 255),
            queuing: kit.material(materials, palette::QUEUING, 255),
            served: kit.material(materials, palette::SERVED, 255),
            leaving: kit.material(materials, palette::LEAVING, 255),
            abandoned: kit.material(materials, palette::ABANDONED, 255),
            categories: palette::CATEGORIES.iter().map(|&c| kit.material(materials, c, 255)).collect(),
        }
    }

    /// A shopper's material when colouring `by`; `segments` holds each
    /// shopper's segment.
    pub fn pick(&self, at: &ShopperAt, by: ColourBy, segments: &[usize]) -> &Handle<StandardMaterial> {
        let n = self.categories.len();
        match by {
            ColourBy::Activity => self.of(at.activity),
            ColourBy::Segment => &self.categories[segments.get(at.shopper as usize).copied().unwrap_or(0) % n],
            // Neighbouring parties (who came in one after another) differ.
            ColourBy::Party => &self.categories[at.party as usize % n],
        }
    }

    pub fn of(&self, a: aisle::playback::Activity) -> &Handle<StandardMaterial> {
        use aisle::playback::Activity;
        match a {
            Activity::Shopping => &self.shopping,
            // Sitting or trying on: standing at a fixture, like at a shelf.
            Activity::AtShelf { .. } | Activity::AtStop { .. } => &self.at_shelf,
            // A counter's line and service look like a checkout's.
            Activity::Queuing { .. } | Activity::CounterLine { .. } => &self.queuing,
            Activity::Served { .. } | Activity::CounterServed { .. } => &self.served,
            Activity::Leaving => &self.leaving,
            Activity::Abandoned { .. } => &self.abandoned,
        }
    }
}

/// Where a figure stands: its feet at the shopper's position on its floor.
pub fn figure_transform(at: &ShopperAt, elevation: f64) -> Transform {
    Transform::from_translation(world(at.x as f64, at.y as f64, elevation) + Vec3::Y * 0.82)
}

/// Makes the pool at least `n` figures long.
pub fn grow(
    pool: &mut Pool,
    n: usize,
    side: usize,
    commands: &mut Commands,
    kit: &Kit,
    mats: &FigureMaterials,
    layer: &RenderLayers,
) {
    while pool.figures.len() < n {
        let slot = pool.figures.len();
        let e = commands
            .spawn((
                Figure { side, slot },
                Mesh3d(kit.shopper.clone()),
                MeshMaterial3d(mats.shopping.clone()),
                Transform::IDENTITY,
                Visibility::Hidden,
                layer.clone(),
            ))
            .id();
        pool.figures.push(e);
    }
}

/// How far back a trail reaches.
pub const TRAIL_MS: u64 = 3 * 60 * 1000;

/// Segments of every shopper's walk over the last `TRAIL_MS` up to `t_ms`,
/// through the positions its events logged, on its present floor.
pub fn trail_segments(
    p: &aisle::playback::Playback,
    now: &[ShopperAt],
    t_ms: u64,
    place: impl Fn(f32, f32, u8) -> Vec3,
) -> Vec<Vec3> {
    let since = t_ms.saturating_sub(TRAIL_MS);
    let mut out = Vec::new();
    for at in now {
        let mut last: Option<Vec3> = None;
        let logged = p.events_of(at.shopper).filter(|e| e.t_ms >= since && e.t_ms <= t_ms && e.floor == at.floor);
        for q in logged.map(|e| place(e.x, e.y, e.floor)).chain(std::iter::once(place(at.x, at.y, at.floor))) {
            if let Some(l) = last
                && l != q
            {
                out.push(l);
                out.push(q);
            }
            last = Some(q);
        }
    }
    out
}
