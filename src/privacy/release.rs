//! `aisle publish`: a central-DP release of a dataset, written as
//! `releases/<name>/` (noised tables, figures, a page), with its ledger entry.
//! Nothing is written unless the budget allows it; the raw logs never enter
//! a release.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use serde::Serialize;

mod compared;
mod listed;
mod page;
pub use compared::{COMPARED, ComparisonRow, comparison, exact_difference, exact_figure, figure, paired_runs};
use listed::{NOISE_SDS_95, Noisy, VariantRelease, metrics_csv, noise_interval, noise_summary, variant_releases};
use page::page;

use super::contrib::{Bounds, VisitProjection};
use super::ledger::{self, Budget, Cost, Entry, Ledger, NOT_PRIVATE, NoiseRecord, QueryRecord, Spend};
use super::query::{Answers, Calibration, Clipping, Mechanism, Query, Sharing, Totals, answer, calibrate};
use super::{NoiseSource, Pending, PrivacyError};
use crate::Prepared;
use crate::events::SimEvent;
use crate::events::dataset::{Dataset, Manifest, RELEASES, SCENARIO_COPY};
use crate::events::fs::write_atomic;
use crate::events::parquet::read_log_with;
use crate::metrics::{Layout, Projection};
use crate::report::figures::heat_density;
use crate::scenario::ScenarioFile;

/// One run's bounded answers next to its exact figures (the truth, which
/// only evaluation may look at).
pub struct RunAnswers {
    pub seed: u64,
    pub answers: Answers,
    /// The same answers without bounds: what the bounded ones are set against.
    pub exact: Answers,
    pub truth: BTreeMap<String, f64>,
    /// Exact person-seconds per heat block, unbounded.
    pub true_heat_s: Vec<f64>,
}

/// A variant's runs.
pub struct VariantAnswers {
    pub variant: String,
    pub prepared: Prepared,
    pub layout: Layout,
    pub runs: Vec<RunAnswers>,
}

/// The dataset, replayed into bounded answers per run.
pub struct Gathered {
    pub scenario: String,
    pub scenario_sha256: String,
    pub variants: Vec<VariantAnswers>,
    /// How many of these runs hold the same shoppers.
    pub sharing: Sharing,
    /// What the bounds keep of the exact totals: for the curator only.
    pub clipping: Clipping,
    /// Seeds left out: for the curator only.
    pub left_out: LeftOut,
}

/// The runs a release covers: the dataset's manifest with those of the
/// scenario's variants whose seeds come before the first a sequential
/// study's look added (`RunRecord::added_at_look`), how many of them share
/// a seed, and the seeds left out. A study adds seeds as long as its exact
/// figures ask for more, so how many it added tells of them, and so would
/// how many the dataset holds past them (seeds run later stand beyond
/// those the study added): every seed from the first one added on is left
/// out, and what is released is the seeds planned before any figure was
/// seen.
pub(super) fn released_runs(dir: &Path) -> Result<(Manifest, Sharing, LeftOut), PrivacyError> {
    // Every number comes from a log that matches its record.
    let mut manifest = Dataset::read_whole(dir)?.ok_or_else(|| super::not_a_dataset(dir))?;
    let variants = manifest.variants.clone();
    manifest.runs.retain(|r| variants.contains(&r.variant));
    let first_added = manifest.runs.iter().filter(|r| r.added_at_look.is_some()).map(|r| r.seed).min();
    let added = |seed: u64| first_added.is_some_and(|first| seed >= first);
    let left_out = LeftOut(manifest.runs.iter().map(|r| r.seed).filter(|&seed| added(seed)).collect());
    manifest.runs.retain(|r| !added(r.seed));
    if manifest.runs.is_empty() {
        return Err(super::no_runs(dir));
    }
    let sharing = Sharing::of_seeds(manifest.runs.iter().map(|r| r.seed));
    Ok((manifest, sharing, left_out))
}

/// Seeds of a dataset a release leaves out: from the first a sequential
/// study's look added (`RunRecord::added_at_look`) on.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LeftOut(pub BTreeSet<u64>);

impl LeftOut {
    /// What the curator is told (never the release: how many seeds a study
    /// went on to tells of its exact figures).
    pub fn warning(&self) -> Option<String> {
        let (first, last) = (self.0.first()?, self.0.last()?);
        let seeds = if first == last { format!("seed {first}") } else { format!("seeds {first}–{last}") };
        Some(format!(
            "{seeds} left out: a sequential study's looks added seeds from {first} on because of what its exact \
             figures showed, and how many the dataset holds from there would tell of those figures; the release \
             covers the seeds planned before any figure was seen (for curators only: the release does not say \
             this)"
        ))
    }
}

/// How many runs of the dataset in `dir` share a seed's shoppers.
pub fn sharing(dir: &Path) -> Result<Sharing, PrivacyError> {
    released_runs(dir).map(|(_, s, _)| s)
}

/// One run's bounded answers from its events: the replay behind every
/// release (and the privacy audit's neighbouring datasets).
pub fn answer_events(events: &[SimEvent], layout: &Layout, bounds: &Bounds) -> Answers {
    let mut visits = VisitProjection::new(layout);
    visits.observe_all(events);
    answer(&visits.finish(), layout, bounds)
}

/// Replays every run of the dataset in `dir` into bounded answers.
pub fn gather(dir: &Path, bounds: &Bounds, mut progress: impl FnMut(usize, usize)) -> Result<Gathered, PrivacyError> {
    let (manifest, sharing, left_out) = released_runs(dir)?;
    let file = ScenarioFile::read(&dir.join(SCENARIO_COPY))?;
    let (total, mut done) = (manifest.runs.len(), 0);
    let mut variants = Vec::new();
    let mut clipping = Clipping::default();
    for variant in &manifest.variants {
        let mut runs: Vec<_> = manifest.runs.iter().filter(|r| &r.variant == variant).collect();
        if runs.is_empty() {
            continue;
        }
        runs.sort_by_key(|r| r.seed);
        let prepared = crate::prepare(&file, variant)?;
        let layout = Layout::new(&prepared);
        let mut answers = Vec::new();
        for run in runs {
            let mut visits = VisitProjection::new(&layout);
            read_log_with(&dir.join(&run.path), |events| visits.observe_all(events))?;
            let visits = visits.finish();
            let mut true_heat_s = vec![0.0; layout.block_count()];
            for (block, ms) in visits.iter().flat_map(|v| &v.block_ms) {
                true_heat_s[*block as usize] += *ms as f64 / 1000.0;
            }
            let (bounded, exact) = (answer(&visits, &layout, bounds), answer(&visits, &layout, &Bounds::unbounded()));
            clipping.add(variant, &layout.zones, &bounded, &exact);
            answers.push(RunAnswers {
                seed: run.seed,
                answers: bounded,
                exact,
                truth: run.metrics.iter().map(|m| (m.name.clone(), m.value)).collect(),
                true_heat_s,
            });
            done += 1;
            progress(done, total);
        }
        variants.push(VariantAnswers { variant: variant.clone(), prepared, layout, runs: answers });
    }
    Ok(Gathered {
        scenario: manifest.scenario,
        scenario_sha256: manifest.scenario_sha256,
        variants,
        sharing,
        clipping,
        left_out,
    })
}

/// What `aisle publish` was asked for.
#[derive(Debug, Clone)]
pub struct PublishPlan {
    /// The release directory's name; `None`: the first free `release-N`,
    /// chosen under the ledger's lock (two publishes at once take two).
    pub name: Option<String>,
    pub epsilon: f64,
    /// δ for a Gaussian release's (ε, δ) target.
    pub delta: f64,
    pub mechanism: Mechanism,
    /// The dataset's total budget, if this is its first release.
    pub budget: Option<Budget>,
    pub bounds: Bounds,
    pub noise: NoiseSource,
}

#[derive(Serialize)]
struct ReleaseFile<'a> {
    name: &'a str,
    aisle_version: &'a str,
    scenario: &'a str,
    scenario_sha256: &'a str,
    /// Private or not, and at what cost: the first thing to read.
    privacy: String,
    private: bool,
    mechanism: Mechanism,
    /// The release's total cost (δ = 0 for discrete Laplace).
    epsilon: f64,
    delta: f64,
    unit_of_privacy: String,
    neighbouring: &'static str,
    runs_per_seed: u32,
    composition: String,
    /// The dataset's private releases together after this one (this one
    /// counted only if private).
    ledger_total: LedgerTotal,
    entry: Entry,
    bounds: &'a Bounds,
    variants: Vec<VariantRelease>,
    comparison: &'a [ComparisonRow],
    note: String,
}

/// The dataset's private releases together once a release's `entry` is
/// in the ledger (it counts only if private), as its `release.json` says.
#[derive(Serialize, Clone)]
pub(super) struct LedgerTotal {
    epsilon: f64,
    delta: f64,
    budget_epsilon: f64,
    budget_delta: f64,
    composition: &'static str,
    /// What the dataset published that this total does not cover
    /// (`Ledger::uncovered`); empty when it covers everything.
    not_covered: Vec<String>,
}

impl LedgerTotal {
    pub(super) fn after(ledger: &Ledger, entry: &Entry) -> LedgerTotal {
        let mut after = ledger.clone();
        after.entries.push(entry.clone());
        let spent = ledger.spent_with(entry);
        LedgerTotal {
            epsilon: spent.epsilon,
            delta: spent.delta,
            budget_epsilon: ledger.budget.epsilon,
            budget_delta: ledger.budget.delta,
            composition: spent.by.describe(),
            not_covered: after.uncovered(),
        }
    }
}

/// The unit of privacy, in words for releases, where a party counts with
/// at most `max_party` members (`Bounds::max_party`; `usize::MAX` where
/// nothing bounds them, as in a release made before the cap).
pub fn unit_of_privacy(max_party: usize) -> String {
    let unit = "one shopper-visit: one person of one seed's arrival plan, who is the same person in every variant's \
                run of that seed. A party's members share one path, so a party is protected as a group";
    if max_party == usize::MAX {
        return format!(
            "{unit}: a party of m people at m·ε by a release of pure ε (discrete Laplace noise, or a local export), at \
             m²·ρ zCDP by a discrete Gaussian one or a total composed by zCDP (ε at δ then m²ρ + 2m·√(ρ·ln(1/δ))); \
             nothing bounds m."
        );
    }
    let m = max_party as u128;
    let who = super::contrib::party_rule(max_party);
    format!(
        "{unit}. A party counts with {who}; the rest are not in the release. So a whole \
         party, however large, is protected at {m}·ε by a release of pure ε (discrete Laplace noise, or a local \
         export), at {}·ρ zCDP by a discrete Gaussian one or a total composed by zCDP (ε at δ then {}ρ + \
         {}·√(ρ·ln(1/δ))).",
        m * m,
        m * m,
        2 * m
    )
}

/// The neighbouring relation, in words for releases.
pub const NEIGHBOURING: &str = "two datasets are neighbours when one has every event of one more shopper in every run \
     of that shopper's seed (add or remove one shopper-visit).";

/// The noised figures of every variant for one draw of noise.
pub struct Noised {
    /// Per variant: the totals over all its runs...
    pub totals: Vec<Totals>,
    /// ...and each run's noised answers (by seed order).
    pub runs: Vec<Vec<Answers>>,
}

/// Which answers to noise.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cells {
    All,
    /// Everything but the heatmap (the bulk of the draws), for evaluating
    /// decisions many times over.
    WithoutHeat,
}

/// Draws noise for every run of every variant and post-processes it.
pub fn noised(g: &Gathered, cal: &Calibration, bounds: &Bounds, rng: &mut impl rand::Rng, cells: Cells) -> Noised {
    let runs: Vec<Vec<Answers>> = g
        .variants
        .iter()
        .map(|v| {
            let runs: Vec<Answers> = v
                .runs
                .iter()
                .map(|r| match cells {
                    Cells::All => cal.noise(&r.answers, rng),
                    Cells::WithoutHeat => {
                        let mut a = r.answers.clone();
                        a.0[Query::Heat as usize].clear();
                        cal.noise(&a, rng)
                    }
                })
                .collect();
            runs
        })
        .collect();
    let totals = runs.iter().map(|r: &Vec<Answers>| Totals::of(&r.iter().collect::<Vec<_>>(), bounds)).collect();
    Noised { totals, runs }
}

/// What a finished release reports.
pub struct Published {
    pub dir: PathBuf,
    /// The private releases' total, this one included.
    pub spent: Spend,
    pub budget: Budget,
    pub entry: Entry,
    pub sharing: Sharing,
    /// What the bounds cut from the exact totals: for the curator only.
    pub warnings: Vec<String>,
    /// How many figures the noise swamps, in a line.
    pub figures: String,
}

/// Publishes a release of the dataset in `dir`: checks the budget, replays
/// the logs into bounded answers, noises them, writes `releases/<name>/`,
/// then records the spend in the ledger.
pub fn publish(dir: &Path, plan: &PublishPlan, progress: impl FnMut(usize, usize)) -> Result<Published, PrivacyError> {
    // Before the lock file is made: a refused release writes nothing.
    match Dataset::read_manifest(dir)? {
        None => return Err(super::not_a_dataset(dir)),
        Some(m) if m.runs.is_empty() => return Err(super::no_runs(dir)),
        Some(_) => {}
    }
    let _lock = ledger::lock(dir)?;
    super::not_busy(dir)?;
    let settled = super::settle_interrupted(dir)?;
    let plan = &PublishPlan { name: Some(plan.name.clone().unwrap_or_else(|| free_release_name(dir))), ..plan.clone() };
    let sharing = sharing(dir)?;
    let cal = calibrate(plan.mechanism, plan.epsilon, plan.delta, &plan.bounds, sharing);
    // Before the ledger is opened: a refused release fixes no budget.
    cal.check_drawable(plan.epsilon)?;
    let mut ledger = Ledger::open(dir, plan.budget)?;
    let entry = Entry {
        name: plan.name().to_owned(),
        created_unix_s: std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs()),
        mechanism: format!("{:?}", plan.mechanism),
        cost: cal.cost,
        noise: plan.noise.record(),
        composition: sharing.describe(),
        queries: cal.records.clone(),
        files: Default::default(),
        record_sha256: String::new(),
        prev_sha256: String::new(),
        sha256: String::new(),
    };
    let pending = Pending::check(dir, &ledger, &entry)?;
    let g = gather(dir, &plan.bounds, progress)?;
    // The calibration assumed the manifest's runs; the replay must agree.
    assert_eq!(g.sharing, sharing, "runs changed between the budget check and the replay");
    let mut rng = plan.noise.rng()?;
    let n = noised(&g, &cal, &plan.bounds, &mut rng, Cells::All);
    let rows = comparison(&g, &n.runs, &cal, &plan.bounds);
    // release.json carries the entry the ledger records and the total after it.
    let total = LedgerTotal::after(&ledger, &entry);
    let variants = variant_releases(&g, &n, &cal, &plan.bounds);
    let (final_dir, recorded) = pending.land(
        dir,
        &mut ledger,
        entry,
        |out| write_release(out, &g, &n, &rows, &variants, (plan, &cal)),
        |sealed| release_file(&g, &rows, plan, sealed.clone(), total.clone(), variants.clone()),
    )?;
    let mut warnings = settled;
    warnings.extend(delta_past_the_people(plan, &g));
    warnings.extend(g.clipping.warnings(&plan.bounds));
    warnings.extend(g.left_out.warning());
    warnings.extend(compared::uncompared(&g, &n.runs));
    let figures = noise_summary(&variants);
    Ok(Published {
        dir: final_dir,
        spent: ledger.spent(),
        budget: ledger.budget,
        entry: recorded,
        sharing,
        warnings,
        figures,
    })
}

/// Said where a release spends a δ above one over the people it protects
/// (each seed's shoppers, the most of any variant of it): with chance δ a
/// release may give away what it protects, and a δ past 1/n buys less
/// than one shopper's worth of that assurance. (0.01 was taken over the
/// 391 shoppers of a small store: only δ over 0.01 is refused.)
fn delta_past_the_people(plan: &PublishPlan, g: &Gathered) -> Option<String> {
    if plan.mechanism != Mechanism::DiscreteGaussian {
        return None;
    }
    let mut by_seed: BTreeMap<u64, i64> = BTreeMap::new();
    for run in g.variants.iter().flat_map(|v| &v.runs) {
        let people = run.exact.0[Query::Visitors as usize].first().copied().unwrap_or(0);
        let most = by_seed.entry(run.seed).or_default();
        *most = (*most).max(people);
    }
    let people: i64 = by_seed.values().sum();
    (people > 0 && plan.delta > 1.0 / people as f64).then(|| {
        format!(
            "δ = {:e} is more than 1 over the {people} shoppers this release protects ({:.1e}): with chance δ a \
             release may give away what it protects, so δ is taken well below 1/n (the default is 1e-6)",
            plan.delta,
            1.0 / people as f64
        )
    })
}

impl PublishPlan {
    /// The release's name, once `publish` has chosen it under the ledger's lock.
    fn name(&self) -> &str {
        self.name.as_deref().expect("named under the ledger's lock")
    }
}

/// The first `release-N` not yet taken in the dataset at `dir` (a release
/// is written before its ledger entry, so under the ledger's lock a free
/// directory is a free name).
pub fn free_release_name(dir: &Path) -> String {
    (1..).map(|k| format!("release-{k}")).find(|n| !dir.join(RELEASES).join(n).exists()).expect("a free name")
}

/// The line every page and file of a release opens with; `cost`, what it
/// spends (`Calibration::cost`).
fn privacy_line(plan: &PublishPlan, sharing: Sharing, cost: &Cost) -> String {
    let what = match plan.mechanism {
        Mechanism::DiscreteLaplace => format!("ε = {} ({})", plan.epsilon, plan.mechanism),
        Mechanism::DiscreteGaussian => {
            format!("(ε, δ) = ({}, {:e}) ({}, zCDP)", plan.epsilon, plan.delta, plan.mechanism)
        }
    };
    match plan.noise.record() {
        NoiseRecord::Reproducible => format!("{NOT_PRIVATE}: noise calibrated as for {what}"),
        NoiseRecord::OsEntropy => format!(
            "differentially private, {what} in all over {} run(s) per seed, per shopper-visit; {}",
            sharing.runs_per_seed,
            per_party(plan, cost)
        ),
    }
}

/// What a whole party is protected at, a party counting with at most
/// `max_party` members (group privacy), with the release's own numbers.
fn per_party(plan: &PublishPlan, cost: &Cost) -> String {
    let m = plan.bounds.max_party;
    match *cost {
        Cost::Zcdp { rho, .. } => format!("{} per party (at most {m} of a party count)", party_zcdp(m, rho)),
        _ => format!("ε = {} per party (at most {m} of a party count)", m as f64 * plan.epsilon),
    }
}

/// A party of up to `m` counted members' zCDP under a release of `rho`:
/// m²·ρ (group privacy), with both numbers.
pub(super) fn party_zcdp(m: usize, rho: f64) -> String {
    let m2 = (m * m) as f64;
    format!("{m2}·ρ = {} zCDP (ρ = {})", significant(m2 * rho), significant(rho))
}

/// `x` to four significant figures, written as plainly as it goes: a ρ
/// of 0.0038186… reads 0.003819, 9.9996 reads 10, 1.23456e-9 reads
/// 1.235e-9 (`compact`).
fn significant(x: f64) -> String {
    let rounded: f64 = format!("{x:.3e}").parse().unwrap_or(x);
    super::compact(rounded)
}

fn write_release(
    out: &Path,
    g: &Gathered,
    n: &Noised,
    rows: &[ComparisonRow],
    variants: &[VariantRelease],
    (plan, cal): (&PublishPlan, &Calibration),
) -> Result<(), PrivacyError> {
    let figures_dir = out.join("figures");
    std::fs::create_dir_all(&figures_dir).map_err(|source| PrivacyError::Io { path: figures_dir.clone(), source })?;
    let io = |path: PathBuf| move |source| PrivacyError::Io { path, source };
    let private = plan.noise.record().is_private();
    let stamp = figure_stamp(plan);
    let privacy = privacy_line(plan, g.sharing, &cal.cost);
    // Tables as CSV, for spreadsheets; a release that is not private says so on its first line.
    // No comma in the comment: a reader that knows no comments takes it
    // for a row of one field, not of two ahead of the header.
    let head = if private { String::new() } else { format!("# {}\n", privacy.replace(',', ";")) };
    let metrics_csv = metrics_csv(&head, variants);
    let comparison_csv = comparison_csv(&head, rows);
    let heat_csv = heat_csv(&head, g, n, cal, &plan.bounds);
    for (name, bytes) in [
        ("metrics.csv", metrics_csv.into_bytes()),
        ("comparison.csv", comparison_csv.into_bytes()),
        ("heatmap.csv", heat_csv.into_bytes()),
    ] {
        let path = out.join(name);
        write_atomic(&path, &bytes).map_err(io(path.clone()))?;
    }
    let html = page(&figures_dir, g, n, rows, variants, (&stamp, &privacy), (plan, cal))?;
    let path = out.join("index.html");
    write_atomic(&path, html.as_bytes()).map_err(io(path.clone()))
}

/// The privacy stamp every figure's title carries ("ε = 1, discrete Laplace"), saying so when it is not private.
fn figure_stamp(plan: &PublishPlan) -> String {
    let private = plan.noise.record().is_private();
    format!(
        "{}ε = {}{}, {}",
        if private { "" } else { "NOT PRIVATE, " },
        plan.epsilon,
        match plan.mechanism {
            Mechanism::DiscreteLaplace => String::new(),
            Mechanism::DiscreteGaussian => format!(", δ = {:e}", plan.delta),
        },
        plan.mechanism
    )
}

/// A text field of a CSV file as RFC 4180 has it: quoted, with its quotes
/// doubled, when it holds a comma, a quote or a line break (a zone named
/// `fr,ont` made a row of nine fields under a header of eight).
pub(super) fn csv_text(text: &str) -> std::borrow::Cow<'_, str> {
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\"")).into()
    } else {
        text.into()
    }
}

/// comparison.csv: every variant against the baseline, after `head`; its
/// `noisy` column names what keeps a difference from reading as a change.
fn comparison_csv(head: &str, rows: &[ComparisonRow]) -> String {
    let cell = |x: Option<f64>| x.map_or(String::new(), |x| x.to_string());
    let mut csv = format!("{head}variant,metric,difference,lo95,hi95,relative,noisy\n");
    for r in rows {
        let _ = writeln!(
            csv,
            "{},{},{},{},{},{},{}",
            csv_text(&r.variant),
            csv_text(&r.metric),
            cell(r.difference),
            cell(r.lo),
            cell(r.hi),
            cell(r.relative),
            r.reading().word()
        );
    }
    csv
}

/// heatmap.csv: every variant's noised occupancy per heat block and floor,
/// after `head`, as drawn, with its noise's standard deviation and its
/// `Noisy` mark: a cell the noise pushed below zero stays so (set to 0,
/// summed cells read many times the truth, and a cell of noise read as one
/// nobody stood in; only the picture shows it empty).
fn heat_csv(head: &str, g: &Gathered, n: &Noised, cal: &Calibration, bounds: &Bounds) -> String {
    let mut csv = format!("{head}variant,floor,x0_m,y0_m,x1_m,y1_m,person_s_per_m2_per_day,noise_sd,noisy\n");
    for (v, runs) in g.variants.iter().zip(&n.runs) {
        let t = Totals::sums(&runs.iter().collect::<Vec<_>>(), bounds);
        let noise_s = heat_noise_s(&v.layout, t.runs, cal, bounds);
        for floor in 0..v.layout.floors as u8 {
            let noise = heat_density(&v.layout, floor, &noise_s, t.runs);
            for ((r, h), (_, sd)) in
                heat_density(&v.layout, floor, &t.heat_block_s(&v.layout), t.runs).into_iter().zip(noise)
            {
                let noisy = Noisy::mark(Noisy::judge(Some(h), Some(noise_interval(h, sd, None)), f64::INFINITY));
                let _ = writeln!(
                    csv,
                    "{},{floor},{},{},{},{},{h:.3},{sd:.3},{noisy}",
                    csv_text(&v.variant),
                    r.min.x,
                    r.min.y,
                    r.max.x,
                    r.max.y
                );
            }
        }
    }
    csv
}

/// The noise's standard deviation on each heat block's person-seconds
/// summed over `runs` runs: none on a block nobody can stand in, which is
/// zero whatever the noise said (`Totals::heat_block_s`).
fn heat_noise_s(layout: &Layout, runs: u32, cal: &Calibration, bounds: &Bounds) -> Vec<f64> {
    let sd = (runs as f64 * cal.noise_variance(Query::Heat, bounds)).sqrt() / 1000.0;
    layout.block_walkable.iter().map(|&walkable| if walkable { sd } else { 0.0 }).collect()
}

/// release.json's contents: what the release is, its privacy and cost with the ledger's total after it, and
/// its figures.
fn release_file<'a>(
    g: &'a Gathered,
    rows: &'a [ComparisonRow],
    plan: &'a PublishPlan,
    entry: Entry,
    ledger_total: LedgerTotal,
    variants: Vec<VariantRelease>,
) -> ReleaseFile<'a> {
    ReleaseFile {
        name: plan.name(),
        aisle_version: crate::VERSION,
        scenario: &g.scenario,
        scenario_sha256: &g.scenario_sha256,
        privacy: privacy_line(plan, g.sharing, &entry.cost),
        private: plan.noise.record().is_private(),
        mechanism: plan.mechanism,
        epsilon: plan.epsilon,
        delta: match plan.mechanism {
            Mechanism::DiscreteLaplace => 0.0,
            Mechanism::DiscreteGaussian => plan.delta,
        },
        unit_of_privacy: unit_of_privacy(plan.bounds.max_party),
        neighbouring: NEIGHBOURING,
        runs_per_seed: g.sharing.runs_per_seed,
        composition: g.sharing.describe(),
        ledger_total,
        entry,
        bounds: &plan.bounds,
        variants,
        comparison: rows,
        note: format!(
            "Every figure is computed from noised, contribution-bounded sums; ratios and means are ratios of noised \
             sums. Counts, sums and heat were clamped per shopper as `bounds` says, so totals of large baskets or \
             long visits are understated. Each figure is listed as the noise left it, never clipped or dropped, with \
             `noise_sd` (its noise's standard deviation) and `lo95`/`hi95` (a 95% interval: over the days and the \
             noise for a compared figure, over the noise alone, ± {NOISE_SDS_95} noise SDs rounded out to the whole steps a total's noise comes in, for the rest); `noisy` \
             says where the noise swamps it: `wide_interval` (the interval at least as wide as the figure), \
             `out_of_range` (below zero, a rate over 1, a mean over what one shopper can add), `undefined` (a \
             denominator within three noise SDs of zero: no figure)."
        ),
    }
}

/// The ledger's query records, for printing.
pub fn describe_queries(records: &[QueryRecord]) -> String {
    records
        .iter()
        .map(|r| {
            format!(
                "  {:<14} share {:>5.1}%  Δ₁ {:>6}  noise parameter {:.1} grid steps",
                r.query,
                r.share * 100.0,
                r.sensitivity_l1,
                r.noise_parameter
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::csv_text;

    #[test]
    fn csv_text_quotes_only_what_would_split_a_row() {
        for (text, field) in [
            ("zone_visit_rate/front", "zone_visit_rate/front"),
            ("zone_visit_rate/fr,ont", "\"zone_visit_rate/fr,ont\""),
            ("say \"hi\"", "\"say \"\"hi\"\"\""),
            ("two\nlines", "\"two\nlines\""),
            ("", ""),
        ] {
            assert_eq!(csv_text(text), field, "{text:?}");
        }
    }
}
