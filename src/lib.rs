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
pub mod error;
pub mod events;
pub mod geom;
pub mod metrics;
pub mod names;
pub mod nav;
pub mod playback;
pub mod privacy;
pub mod report;
pub mod run;
pub mod scenario;
pub mod sim;
pub mod store;
pub mod study;
pub mod style;
pub mod sweep;
pub mod verify;

use std::sync::Arc;

use scenario::{Problem, Scenario, ScenarioError, ScenarioFile, counted};
use store::Store;

/// A validated layout ready to simulate: the model and its navigation grid.
#[derive(Clone)]
pub struct Prepared {
    pub scenario: Arc<Scenario>,
    pub store: Arc<Store>,
    /// What its runs have computed from the layout alone, for its next
    /// runs (`Simulation::sharing`).
    pub shared: Arc<sim::Shared>,
}

/// Every shipped scenario's base layout, prepared, with its name: for unit
/// tests of what must hold on every layout.
#[cfg(test)]
pub(crate) fn shipped_layouts() -> Vec<(&'static str, Prepared)> {
    ["tiny", "convenience", "pharmacy", "grocery", "department"]
        .into_iter()
        .map(|name| {
            let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("scenarios/{name}.toml"));
            (name, prepare(&ScenarioFile::read(&path).unwrap(), scenario::BASELINE).unwrap())
        })
        .collect()
}

/// Validates `variant` of `file` completely: the model, then the geometry
/// (walkable points, reachability, memory).
pub fn prepare(file: &ScenarioFile, variant: &str) -> Result<Prepared, ScenarioError> {
    let scenario = file.build(variant)?;
    let store = Store::build(&scenario).and_then(|store| {
        let unjoinable = sim::unjoinable_lines(&scenario, &store);
        if unjoinable.is_empty() { Ok(store) } else { Err(unjoinable) }
    });
    let store = store.map_err(|problems| {
        // A variant of a base whose store builds: its edits made these
        // (a connector removed was told to be added to `store.connectors`).
        let base = (variant != scenario::BASELINE).then(|| prepare(file, scenario::BASELINE));
        let edited = (file.raw.variants.iter()).find(|v| v.id == variant).filter(|_| matches!(base, Some(Ok(_))));
        // One the base has too is the base's, told at its own line (a seat
        // facing the edge was put at the variant that scaled the visitors).
        let in_base = |message: &str| match &base {
            Some(Err(ScenarioError::Invalid { problems, .. })) => problems.iter().any(|b| b.message == message),
            _ => false,
        };
        let problem = |p: store::GeometryProblem| {
            let named = (variant != scenario::BASELINE && !in_base(&p.message)).then_some(variant);
            let problem = Problem {
                variant: named.map(str::to_owned),
                line: scenario::error::problem_line(
                    &file.source,
                    named,
                    p.anchor.as_ref().map(|(key, id)| (*key, id.as_str())),
                    &p.message,
                ),
                message: p.message,
            };
            match edited {
                Some(v) => file.blamed_on_edits(v, problem, &|edits| geometry_problems(file, v, edits)),
                None => problem,
            }
        };
        ScenarioError::Invalid { path: file.path.clone(), problems: problems.into_iter().map(problem).collect() }
    })?;
    let shared = Arc::new(sim::Shared::new(scenario.run.memory_limit_bytes));
    Ok(Prepared { scenario: Arc::new(scenario), store: Arc::new(store), shared })
}

/// The variants of `file` other than `except` that do not prepare, each
/// with its first problem as `validate` words it: a run of one variant
/// warns of the others, which `aisle compare` would refuse. (Checked by
/// the model alone, a variant moving a fixture onto a door was not named.)
pub fn invalid_variants(file: &ScenarioFile, except: &str) -> Vec<(String, String)> {
    file.variant_ids()
        .into_iter()
        .filter(|v| v != except)
        .filter_map(|v| {
            let e = prepare(file, &v).err()?;
            let first = e.to_string().lines().next().unwrap_or_default().to_owned();
            Some((v, first))
        })
        .collect()
}

/// The geometry problems of the base with `edits` (some of variant `v`'s)
/// applied, in words; none where the edits or the model fail first.
fn geometry_problems(
    file: &ScenarioFile,
    v: &scenario::raw::RawVariant,
    edits: &[scenario::raw::RawEdit],
) -> Vec<String> {
    let Some(Ok(scenario)) = file.build_with_edits(v, edits) else { return Vec::new() };
    let problems = match Store::build(&scenario) {
        Ok(store) => sim::unjoinable_lines(&scenario, &store),
        Err(problems) => problems,
    };
    problems.into_iter().map(|p| p.message).collect()
}

impl ScenarioFile {
    /// Validates the base layout and every variant, reporting the base's
    /// problems once (variants inherit them) and then every variant's;
    /// returns the prepared base. Here rather than in `scenario`: it needs
    /// the store's geometry checks.
    pub fn validate_all(&self) -> Result<Validated, ScenarioError> {
        let base = prepare(self, scenario::BASELINE)?;
        let narrow = scenario::walkway::narrow_walkways(&base.scenario);
        let unusable = self.layout_warnings(&base);
        let mut warnings: Vec<String> = scenario::walkway::diagonal_walls(&self.raw)
            .into_iter()
            .chain(scenario::walkway::walls_without_length(&self.raw))
            .chain(scenario::walkway::entrances_off_the_outline(&base.scenario))
            .chain(base.scenario.coarse_trace())
            .chain(base.scenario.coarse_tick())
            .chain(base.scenario.footprint_off_the_grid())
            .chain(scenario::walkway::passage_warnings(&narrow))
            .chain(unusable.iter().cloned())
            .collect();
        let mut problems = Vec::new();
        for variant in self.variant_ids().iter().skip(1) {
            match prepare(self, variant) {
                // A variant is blamed only for what its edits made.
                Ok(p) => {
                    let made: Vec<_> = scenario::walkway::narrow_walkways(&p.scenario)
                        .into_iter()
                        .filter(|n| !narrow.iter().any(|b| b.floor == n.floor && b.between == n.between))
                        .collect();
                    warnings.extend(
                        scenario::walkway::passage_warnings(&made)
                            .into_iter()
                            .map(|w| format!("variant `{variant}`: {w}")),
                    );
                    warnings.extend(
                        (self.layout_warnings(&p).into_iter())
                            .filter(|w| !unusable.contains(w))
                            .map(|w| format!("variant `{variant}`: {w}")),
                    );
                }
                Err(ScenarioError::Invalid { problems: ps, .. }) => problems.extend(ps),
                Err(e) => return Err(e),
            }
        }
        warnings.extend(self.prices_off_the_cent());
        warnings.extend(self.price_edits());
        warnings.extend(self.idle_edits().into_iter().map(|(_, warning)| warning));
        if !problems.is_empty() {
            return Err(ScenarioError::Invalid { path: self.path.clone(), problems });
        }
        Ok(Validated { base, warnings })
    }

    /// What is valid in the prepared layout `p` (the base or a variant)
    /// but hardly meant, in words: one list for both, so a variant is
    /// checked as its base is.
    fn layout_warnings(&self, p: &Prepared) -> Vec<String> {
        let (s, store) = (&p.scenario, &p.store);
        let mut found = store.unusable_connectors(s);
        found.extend(store.step_free_gaps(s));
        found.extend(store.empty_zones(s));
        found.extend(s.idle_desks());
        found.extend(s.doors_short_for_the_tick());
        found.extend(s.hardly_anyone());
        found.extend(s.unreachable_habits());
        found.extend(sim::short_lines(s, store));
        found.extend(sim::lines_at_doors(s, store));
        found.extend(scenario::walkway::walls_through_fixtures(&self.raw, s));
        let stops: Vec<(u16, geom::Point)> = store.stops.iter().map(|p| (p.fixture, p.stand.point)).collect();
        found.extend(scenario::walkway::stops_in_passages(s, &stops));
        found
    }
}

/// A scenario file whose base and variants are all valid.
pub struct Validated {
    pub base: Prepared,
    /// What is valid but probably not meant (`scenario::walkway`), each
    /// variant's only where its edits caused it.
    pub warnings: Vec<String>,
}

impl Prepared {
    /// One line on the layout and its grid, with the number of variants besides the base.
    pub fn summary(&self, variants: usize) -> String {
        let (s, store) = (&self.scenario, &self.store);
        format!(
            "`{}`: {} × {} m, {}, {}, {}, {}, {}, {} in {}, {}; grid {} × {} cells of {} m",
            s.name,
            s.store.width,
            s.store.depth,
            counted(s.store.floors.len(), "floor", "floors"),
            counted(s.fixtures.len(), "fixture", "fixtures"),
            counted(s.zones.len(), "zone", "zones"),
            counted(s.lanes.len(), "checkout lane", "checkout lanes"),
            counted(s.counters.len(), "service counter", "service counters"),
            counted(s.products.len(), "product", "products"),
            counted(s.categories.len(), "category", "categories"),
            counted(variants, "variant", "variants"),
            store.nx,
            store.ny,
            store.cell
        )
    }
}
