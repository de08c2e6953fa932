//! aisle: an event-sourced retail behaviour simulator.
//!
//! A scenario file is parsed and validated (`scenario`), rasterised into a
//! navigable store (`store`, `nav`), simulated on bevy_ecs (`sim`) into a
//! stream of `SimEvent`s, which is written to a Parquet dataset (`events`)
//! and folded into figures (`metrics`). See ARCHITECTURE.md.

/// This build: the package version and a hash of the sources it was built
/// from (`build.rs`). Logs and run records carry it, and a sweep reuses
/// only runs this very build made.
pub const VERSION: &str = env!("AISLE_BUILD");

pub mod bench;
pub mod compare;
pub mod events;
pub mod geom;
pub mod metrics;
pub mod nav;
pub mod playback;
pub mod privacy;
pub mod report;
pub mod run;
pub mod scenario;
pub mod sim;
pub mod store;
pub mod style;
pub mod sweep;
pub mod verify;

use std::sync::Arc;

use scenario::{Problem, Scenario, ScenarioError, ScenarioFile};
use store::Store;

/// A validated layout ready to simulate: the model and its navigation grid.
#[derive(Clone)]
pub struct Prepared {
    pub scenario: Arc<Scenario>,
    pub store: Arc<Store>,
}

/// Validates `variant` of `file` completely: the model, then the geometry
/// (walkable points, reachability, memory).
pub fn prepare(file: &ScenarioFile, variant: &str) -> Result<Prepared, ScenarioError> {
    let scenario = file.build(variant)?;
    let store = Store::build(&scenario).map_err(|problems| ScenarioError::Invalid {
        path: file.path.clone(),
        problems: problems
            .into_iter()
            .map(|p| Problem {
                variant: (variant != scenario::BASELINE).then(|| variant.to_owned()),
                line: p.anchor.and_then(|(key, id)| scenario::error::line_of(&file.source, key, &id)),
                message: p.message,
            })
            .collect(),
    })?;
    Ok(Prepared { scenario: Arc::new(scenario), store: Arc::new(store) })
}
