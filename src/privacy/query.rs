//! The queries a release answers, their sensitivities, the noise each gets,
//! and the figures derived from noised answers (post-processing, which
//! spends no budget).

use serde::{Deserialize, Serialize};

use super::contrib::{Bound, Bounds, Visit, grid_sensitivity, to_grid, top_k};
use super::ledger::{Cost, QueryRecord, epsilon_to_zcdp};
use super::sample::{Ratio, discrete_gaussian, discrete_laplace};
use crate::metrics::{Layout, Metric, catalogue};

/// Noise for a release.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Mechanism {
    /// Discrete Laplace: pure ε-DP, calibrated to L1 sensitivity.
    DiscreteLaplace,
    /// Discrete Gaussian: ρ-zCDP, calibrated to L2 sensitivity; cheaper for
    /// the many-cell heatmap and zone tables.
    DiscreteGaussian,
}

impl std::fmt::Display for Mechanism {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Mechanism::DiscreteLaplace => "discrete Laplace",
            Mechanism::DiscreteGaussian => "discrete Gaussian",
        })
    }
}

/// One query over a group of shoppers (one run).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Query {
    Visitors,
    /// Shoppers alone or leading a party: conversion's denominator.
    Parties,
    Transactions,
    Revenue,
    Items,
    TimeInStore,
    QueueJoins,
    QueueWait,
    Abandons,
    ZoneVisitors,
    ZoneDwell,
    Heat,
}

pub const QUERIES: [Query; 12] = [
    Query::Visitors,
    Query::Parties,
    Query::Transactions,
    Query::Revenue,
    Query::Items,
    Query::TimeInStore,
    Query::QueueJoins,
    Query::QueueWait,
    Query::Abandons,
    Query::ZoneVisitors,
    Query::ZoneDwell,
    Query::Heat,
];

/// Milliseconds are summed on a grid of 2^10 ms (about a second).
const MS_STEP: f64 = 1024.0;

/// How one query bounds and discretises a shopper's values.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Spec {
    pub name: &'static str,
    /// Natural unit of values and clamps.
    pub unit: &'static str,
    pub clamp: f64,
    /// Natural units per grid step (a power of two).
    pub step: f64,
    /// Cells one shopper can reach.
    pub cells_per_shopper: usize,
    /// Share of the release's budget, before normalising.
    pub weight: f64,
}

impl Spec {
    /// Largest change one shopper can make to the whole answer, in grid steps.
    pub fn l1(&self) -> u64 {
        self.cells_per_shopper as u64 * grid_sensitivity(self.clamp, self.step)
    }

    /// Squared L2 sensitivity (an integer: cells × steps²).
    pub fn l2_squared(&self) -> u64 {
        let g = grid_sensitivity(self.clamp, self.step);
        self.cells_per_shopper as u64 * g * g
    }
}

impl Query {
    pub fn spec(self, b: &Bounds) -> Spec {
        let count = |name, weight| Spec { name, unit: "shoppers", clamp: 1.0, step: 1.0, cells_per_shopper: 1, weight };
        let ms = |name, clamp_s: f64, cells, weight| Spec {
            name,
            unit: "ms",
            clamp: clamp_s * 1000.0,
            step: MS_STEP,
            cells_per_shopper: cells,
            weight,
        };
        match self {
            Query::Visitors => count("visitors", 2.0),
            Query::Parties => count("parties", 1.0),
            Query::Transactions => count("transactions", 2.0),
            Query::Revenue => Spec {
                name: "revenue",
                unit: "cents",
                clamp: (b.basket_clamp * 100.0).round(),
                step: 1.0,
                cells_per_shopper: 1,
                weight: 2.0,
            },
            Query::Items => Spec {
                name: "items",
                unit: "items",
                clamp: b.items_clamp as f64,
                step: 1.0,
                cells_per_shopper: 1,
                weight: 1.0,
            },
            Query::TimeInStore => ms("time_in_store", b.time_clamp_s, 1, 1.0),
            Query::QueueJoins => count("queue_joins", 1.0),
            Query::QueueWait => ms("queue_wait", b.wait_clamp_s, 1, 1.0),
            Query::Abandons => count("abandons", 1.0),
            Query::ZoneVisitors => Spec { cells_per_shopper: b.max_zones, ..count("zone_visitors", 1.0) },
            Query::ZoneDwell => ms("zone_dwell", b.zone_clamp_s, b.max_zones, 1.0),
            Query::Heat => ms("heat", b.block_clamp_s, b.max_blocks, 2.0),
        }
    }

    /// Cells in the answer.
    pub fn width(self, layout: &Layout) -> usize {
        match self {
            Query::ZoneVisitors | Query::ZoneDwell => layout.zones.len(),
            Query::Heat => layout.block_count(),
            _ => 1,
        }
    }
}

/// Every query's answer for one group of shoppers, in grid steps.
#[derive(Debug, Clone, PartialEq)]
pub struct Answers(pub Vec<Vec<i64>>);

/// The figures that are a mean of what each shopper adds (per shopper,
/// payment or waiter): the query that sums it, and its units per unit of
/// the figure.
pub const MEANS: [(&str, Query, f64); 5] = [
    ("revenue_per_visitor", Query::Revenue, 100.0),
    ("basket_value", Query::Revenue, 100.0),
    ("basket_items", Query::Items, 1.0),
    ("time_in_store_mean", Query::TimeInStore, 1000.0),
    ("queue_wait_mean", Query::QueueWait, 1000.0),
];

/// The most a published figure (`Totals::figures`, by name and unit) can
/// be from sums bounded by `b`: a rate 1; a mean (`MEANS`, and a zone's
/// dwell) what one shopper adds at most, on its sum's grid (a basket of at
/// most `items_clamp` items averages no more); anything else unbounded
/// above. A noised figure past it is noise, not data.
pub fn most(metric: &str, unit: &str, b: &Bounds) -> f64 {
    // The clamp as the grid holds it, in the figure's unit.
    let top = |q: Query, per_unit: f64| {
        let spec = q.spec(b);
        grid_sensitivity(spec.clamp, spec.step) as f64 * spec.step / per_unit
    };
    if let Some(&(_, q, per_unit)) = MEANS.iter().find(|(name, ..)| *name == metric) {
        return top(q, per_unit);
    }
    if metric.starts_with("zone_dwell/") {
        return top(Query::ZoneDwell, 1000.0);
    }
    if unit == "ratio" { 1.0 } else { f64::INFINITY }
}

/// The exact (bounded, noise-free) answers for a run's visits.
pub fn answer(visits: &[Visit], layout: &Layout, b: &Bounds) -> Answers {
    let specs: Vec<Spec> = QUERIES.iter().map(|q| q.spec(b)).collect();
    let mut out: Vec<Vec<i64>> = QUERIES.iter().map(|q| vec![0; q.width(layout)]).collect();
    let grid = |q: Query, v: f64| to_grid(v, specs[q as usize].clamp, specs[q as usize].step);
    for v in visits.iter().filter(|v| b.counts(v)) {
        let mut add = |q: Query, cell: usize, value: f64| out[q as usize][cell] += grid(q, value);
        add(Query::Visitors, 0, 1.0);
        add(Query::Parties, 0, v.leads as u8 as f64);
        add(Query::Transactions, 0, v.paid as u8 as f64);
        add(Query::Revenue, 0, v.revenue_cents as f64);
        add(Query::Items, 0, v.items as f64);
        add(Query::TimeInStore, 0, v.time_ms as f64);
        add(Query::QueueJoins, 0, v.queued as u8 as f64);
        add(Query::QueueWait, 0, v.wait_ms as f64);
        add(Query::Abandons, 0, v.abandoned as u8 as f64);
        for (z, ms) in top_k(&v.zone_ms, b.max_zones) {
            add(Query::ZoneVisitors, z as usize, 1.0);
            add(Query::ZoneDwell, z as usize, ms as f64);
        }
        for (block, ms) in top_k(&v.block_ms, b.max_blocks) {
            add(Query::Heat, block as usize, ms as f64);
        }
    }
    Answers(out)
}

impl Query {
    /// The bounds that cut this query's values, and the figures they feed.
    /// Whether every visitor counts in this query, companions too: those
    /// past the party cap are left out of it with the visitors.
    fn counts_every_visitor(self) -> bool {
        matches!(self, Query::TimeInStore | Query::ZoneVisitors | Query::ZoneDwell | Query::Heat)
    }

    fn cut_by(self) -> (&'static [Bound], &'static str) {
        match self {
            Query::Revenue => (&[Bound::Basket], "revenue, revenue per visitor and basket value"),
            Query::Items => (&[Bound::Items], "items per basket"),
            Query::TimeInStore => (&[Bound::Visit], "time in store"),
            Query::QueueWait => (&[Bound::Wait], "queue wait"),
            Query::ZoneVisitors => (&[Bound::Zones], "zone visitors"),
            Query::ZoneDwell => (&[Bound::Zone, Bound::Zones], "zone dwell"),
            Query::Heat => (&[Bound::Block, Bound::Blocks], "the heatmap"),
            // Companions past a party's cap count nowhere; what they leave
            // out of the other figures follows from the visitors they are.
            // (Leaders always count: they lead and pay.)
            Query::Visitors => (&[Bound::Party], "visitors (and with them their time, zones and heat)"),
            Query::Parties | Query::Transactions | Query::QueueJoins | Query::Abandons => (&[], ""),
        }
    }
}

/// How much of each figure's exact total a release's bounds keep, per
/// variant (and per zone for the zone figures), summed over its runs:
/// bounded answers against unbounded ones. It reads the exact data, so it
/// is for the curator's terminal and never published.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Clipping {
    variants: Vec<VariantClipping>,
}

/// One variant's bounded and exact answers, per query and cell, summed
/// over its runs.
#[derive(Debug, Clone, PartialEq)]
struct VariantClipping {
    variant: String,
    zones: Vec<String>,
    bounded: Vec<Vec<i64>>,
    exact: Vec<Vec<i64>>,
}

/// Bounds that keep less than this share of a figure's total are warned
/// of: the figure is understated by the clamp, not just noisy.
const KEEPS_ENOUGH: f64 = 0.9;

/// A figure's totals: where it is, what the bounds keep of it, its exact
/// total and the share of the variant's visitors the party cap keeps.
struct Kept {
    place: String,
    bounded: i64,
    exact: i64,
    visitors_kept: f64,
}

impl Kept {
    /// The share kept, judged on what the party cap leaves a figure of
    /// every visitor's; whether the cap cut it.
    fn share(&self, query: Query) -> Option<(f64, bool)> {
        let capped = query.counts_every_visitor() && self.visitors_kept < 1.0 && self.visitors_kept > 0.0;
        let kept = self.bounded as f64 / self.exact as f64;
        (self.exact > 0).then_some(if capped { (kept / self.visitors_kept, true) } else { (kept, false) })
    }
}

impl Clipping {
    /// Adds one run of `variant` (whose zones are `zones`), its answers
    /// under the release's bounds and under none.
    pub fn add(&mut self, variant: &str, zones: &[String], bounded: &Answers, exact: &Answers) {
        let at = match self.variants.iter().position(|v| v.variant == variant) {
            Some(at) => at,
            None => {
                let zeros: Vec<Vec<i64>> = exact.0.iter().map(|cells| vec![0; cells.len()]).collect();
                self.variants.push(VariantClipping {
                    variant: variant.to_owned(),
                    zones: zones.to_vec(),
                    bounded: zeros.clone(),
                    exact: zeros,
                });
                self.variants.len() - 1
            }
        };
        let v = &mut self.variants[at];
        for (sums, answers) in [(&mut v.bounded, bounded), (&mut v.exact, exact)] {
            for (cells, answer) in sums.iter_mut().zip(&answers.0) {
                for (sum, a) in cells.iter_mut().zip(answer) {
                    *sum += a;
                }
            }
        }
    }

    /// The share of `query`'s exact total, over every variant and cell,
    /// the bounds keep (`None` when there is nothing to keep).
    pub fn kept(&self, query: Query) -> Option<f64> {
        let sum = |of: fn(&VariantClipping) -> &Vec<Vec<i64>>| -> i64 {
            self.variants.iter().map(|v| of(v)[query as usize].iter().sum::<i64>()).sum()
        };
        let (b, e) = (sum(|v| &v.bounded), sum(|v| &v.exact));
        (e > 0).then(|| b as f64 / e as f64)
    }

    /// The figures `query` feeds, each with its totals: one per variant,
    /// and for the zone figures one per zone of each variant (a zone cut
    /// to a third hid in a total over five zones that kept 94%).
    fn figures(&self, query: Query) -> Vec<Kept> {
        let mut out = Vec::new();
        for v in &self.variants {
            let q = query as usize;
            let visitors = Query::Visitors as usize;
            let (vb, ve) = (v.bounded[visitors].iter().sum::<i64>(), v.exact[visitors].iter().sum::<i64>());
            let visitors_kept = if ve > 0 { vb as f64 / ve as f64 } else { 1.0 };
            if matches!(query, Query::ZoneVisitors | Query::ZoneDwell) {
                for (z, zone) in v.zones.iter().enumerate() {
                    out.push(Kept {
                        place: format!("zone `{zone}` in variant `{}`", v.variant),
                        bounded: v.bounded[q][z],
                        exact: v.exact[q][z],
                        visitors_kept,
                    });
                }
            } else {
                out.push(Kept {
                    place: format!("variant `{}`", v.variant),
                    bounded: v.bounded[q].iter().sum(),
                    exact: v.exact[q].iter().sum(),
                    visitors_kept,
                });
            }
        }
        out
    }

    /// One line per query whose bounds keep too little of some figure's
    /// total (the worst named), then what to do. A figure of every
    /// visitor's (time, zones, heat) also loses the companions past the
    /// party cap: that is the visitors' line, and the figure's own bounds
    /// are judged on what the cap leaves them. (Zone visitors kept 86% and
    /// were blamed on `--clamp zones=2`, all of the store's zones, where
    /// the cap kept 84% of the visitors.)
    pub fn warnings(&self, b: &Bounds) -> Vec<String> {
        let mut lines: Vec<String> = QUERIES
            .iter()
            .filter_map(|&q| {
                let (bounds, figures) = q.cut_by();
                if bounds.is_empty() {
                    return None;
                }
                let kept = self.figures(q);
                let short: Vec<(&Kept, f64, bool)> = kept
                    .iter()
                    .filter_map(|k| k.share(q).map(|(share, capped)| (k, share, capped)))
                    .filter(|(_, share, _)| *share < KEEPS_ENOUGH)
                    .collect();
                let &(worst, share, capped) = short.iter().min_by(|a, b| a.1.total_cmp(&b.1))?;
                let now: Vec<String> =
                    bounds.iter().map(|&x| format!("--clamp {}={}", x.name(), super::compact(b.get(x)))).collect();
                let of = if capped { "what the party cap leaves of the exact total" } else { "the exact total" };
                let mut line = format!(
                    "{figures}: the bounds ({}) keep {} of {of} of {}",
                    now.join(" "),
                    percent_kept(share),
                    worst.place
                );
                if kept.len() > 1 {
                    let all = Kept {
                        place: String::new(),
                        bounded: kept.iter().map(|k| k.bounded).sum(),
                        exact: kept.iter().map(|k| k.exact).sum(),
                        visitors_kept: self.kept(Query::Visitors).unwrap_or(1.0),
                    };
                    let over =
                        if kept.len() > self.variants.len() { "every zone of every variant" } else { "every variant" };
                    let others = match short.len() - 1 {
                        0 => String::new(),
                        n => format!("; {n} other(s) keep under {}", percent_kept(KEEPS_ENOUGH)),
                    };
                    if let Some((pooled, _)) = all.share(q) {
                        line += &format!(" ({} over {over}{others})", percent_kept(pooled));
                    }
                }
                line += ", so the release understates it by the rest before any noise";
                Some(line)
            })
            .collect();
        if !lines.is_empty() {
            lines.push(
                "raise a bound with --clamp NAME=VALUE (more noise per shopper), choosing it from what is known \
                 without this data (a price list, opening hours, the layout): these lines read the exact data and \
                 are not published"
                    .to_owned(),
            );
        }
        lines
    }
}

/// A share kept, as a percentage with the digits a small share needs.
fn percent_kept(kept: f64) -> String {
    match kept * 100.0 {
        p if p >= 1.0 => format!("{p:.0}%"),
        p if p >= 0.01 => format!("{p:.2}%"),
        _ => "under 0.01%".to_owned(),
    }
}

/// How many runs of a release can hold the same person: the runs that
/// share a seed (every variant replays the seed's shoppers under common
/// random numbers). Their answers compose sequentially.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sharing {
    pub runs_per_seed: u32,
}

impl Sharing {
    /// The largest number of runs of one seed among `seeds` (one per run).
    pub fn of_seeds(seeds: impl IntoIterator<Item = u64>) -> Sharing {
        let mut per_seed = std::collections::BTreeMap::<u64, u32>::new();
        for s in seeds {
            *per_seed.entry(s).or_default() += 1;
        }
        Sharing { runs_per_seed: per_seed.into_values().max().unwrap_or(1) }
    }

    /// How the release composes, in words for the release and the ledger.
    pub fn describe(self) -> String {
        format!(
            "unit of privacy: one shopper-visit, the same person in every run of a seed. Up to {k} run(s) share a seed's \
             shoppers (one per variant, common random numbers): they compose sequentially, so each run's queries are \
             calibrated at 1/{k} of the release's budget and the queries of a run split that share by weight. Runs of \
             different seeds hold different shoppers: parallel composition.",
            k = self.runs_per_seed
        )
    }
}

/// The noise each query gets, and the release's cost.
#[derive(Debug, Clone)]
pub struct Calibration {
    pub mechanism: Mechanism,
    /// The whole release's cost.
    pub cost: Cost,
    pub sharing: Sharing,
    /// Per query: Laplace scale or Gaussian variance, in grid steps, exact.
    pub parameters: Vec<Ratio>,
    pub records: Vec<QueryRecord>,
}

/// Splits (ε, δ) over the runs that share a seed and then over the queries
/// by weight, and derives each one's noise. A person appears in at most
/// `sharing.runs_per_seed` runs, one per variant, so each run gets that
/// fraction of the budget and the release costs (ε, δ) in all: sequential
/// composition over a seed's runs, parallel over seeds.
pub fn calibrate(mechanism: Mechanism, epsilon: f64, delta: f64, b: &Bounds, sharing: Sharing) -> Calibration {
    let specs: Vec<Spec> = QUERIES.iter().map(|q| q.spec(b)).collect();
    let total_weight: f64 = specs.iter().map(|s| s.weight).sum();
    let runs = sharing.runs_per_seed.max(1) as f64;
    let exact = |x: f64| Ratio::from_f64(x).expect("finite, non-negative");
    let mut parameters = Vec::new();
    let mut records = Vec::new();
    let mut spent = 0.0;
    let rho = epsilon_to_zcdp(epsilon, delta);
    for s in &specs {
        let share = s.weight / total_weight;
        let (parameter, noise_parameter) = match mechanism {
            Mechanism::DiscreteLaplace => {
                // Scale Δ₁/ε_q gives ε_q-DP (Canonne, Kamath, Steinke 2020, Prop. 5).
                let eps_q = epsilon * share / runs;
                spent += eps_q * runs;
                let p = Ratio::integer(s.l1()).div(&exact(eps_q));
                (p.clone(), p.to_f64())
            }
            Mechanism::DiscreteGaussian => {
                // σ² = Δ₂²/(2ρ_q) gives ρ_q-zCDP (ibid., Thm. 14).
                let rho_q = rho * share / runs;
                spent += rho_q * runs;
                let p = Ratio::integer(s.l2_squared()).div(&exact(2.0 * rho_q));
                (p.clone(), p.to_f64())
            }
        };
        records.push(QueryRecord {
            query: s.name.to_owned(),
            clamp: s.clamp,
            unit: format!("{} (grid step {} {})", s.unit, s.step, s.unit),
            sensitivity_l1: s.l1(),
            sensitivity_l2: (s.l2_squared() as f64).sqrt(),
            noise_parameter,
            share,
        });
        parameters.push(parameter);
    }
    let cost = match mechanism {
        Mechanism::DiscreteLaplace => Cost::Pure { epsilon: spent },
        Mechanism::DiscreteGaussian => Cost::Zcdp { rho: spent, epsilon: Some(epsilon), delta: Some(delta) },
    };
    Calibration { mechanism, cost, sharing, parameters, records }
}

/// The largest noise scale (Laplace scale, or Gaussian σ) drawn, in grid
/// units: draws reach about 40 scales at odds of e^−40, and must stay
/// within 64-bit integers (9.2 × 10^18) once added to an answer.
pub const MAX_NOISE_SCALE: f64 = 1e15;

impl Calibration {
    /// Refuses a release whose noise could not be drawn as 64-bit integers
    /// (an ε so small that nothing it published could be read anyway).
    pub fn check_drawable(&self, epsilon: f64) -> Result<(), super::PrivacyError> {
        let scale = |r: &QueryRecord| match self.mechanism {
            Mechanism::DiscreteLaplace => r.noise_parameter,
            Mechanism::DiscreteGaussian => r.noise_parameter.sqrt(),
        };
        if self.records.iter().all(|r| scale(r) <= MAX_NOISE_SCALE) {
            return Ok(());
        }
        Err(super::PrivacyError::BadParameter { what: "epsilon", value: epsilon, why: super::TOO_SMALL })
    }

    /// The variance of the noise on one cell of `query` in one run, in the
    /// query's natural units (discrete Laplace: exact; discrete Gaussian:
    /// σ², which bounds it).
    pub fn noise_variance(&self, query: Query, b: &Bounds) -> f64 {
        let p = self.parameters[query as usize].to_f64();
        let steps = match self.mechanism {
            Mechanism::DiscreteLaplace => {
                let q = (-1.0 / p).exp();
                2.0 * q / (-(-1.0 / p).exp_m1()).powi(2)
            }
            Mechanism::DiscreteGaussian => p,
        };
        steps * query.spec(b).step.powi(2)
    }

    /// Adds fresh noise to every cell of every answer.
    pub fn noise<R: rand::Rng + ?Sized>(&self, answers: &Answers, rng: &mut R) -> Answers {
        Answers(
            answers
                .0
                .iter()
                .zip(&self.parameters)
                .map(|(cells, p)| {
                    cells
                        .iter()
                        .map(|v| {
                            v + match self.mechanism {
                                Mechanism::DiscreteLaplace => discrete_laplace(rng, p),
                                Mechanism::DiscreteGaussian => discrete_gaussian(rng, p),
                            }
                        })
                        .collect()
                })
                .collect(),
        )
    }
}

/// Answers in natural units (counts, cents, ms), made consistent: nothing
/// negative, no more parties, queuers or zone visitors than visitors, no
/// more payers than parties, no more abandons than visitors who did not
/// pay. Post-processing: it spends no budget.
#[derive(Debug, Clone, PartialEq)]
pub struct Totals {
    pub runs: u32,
    pub visitors: f64,
    pub parties: f64,
    pub transactions: f64,
    pub revenue_cents: f64,
    pub items: f64,
    pub time_ms: f64,
    pub queue_joins: f64,
    pub wait_ms: f64,
    pub abandons: f64,
    pub zone_visitors: Vec<f64>,
    pub zone_ms: Vec<f64>,
    pub heat_ms: Vec<f64>,
}

impl Totals {
    /// Sums the answers of several groups (runs) as they are: noised sums
    /// may be negative, or inconsistent (more payments than parties).
    pub fn sums(groups: &[&Answers], b: &Bounds) -> Totals {
        let specs: Vec<Spec> = QUERIES.iter().map(|q| q.spec(b)).collect();
        let sum = |q: Query| -> Vec<f64> {
            let width = groups.first().map_or(0, |g| g.0[q as usize].len());
            (0..width)
                .map(|c| groups.iter().map(|g| g.0[q as usize][c] as f64).sum::<f64>() * specs[q as usize].step)
                .collect()
        };
        let one = |q: Query| sum(q)[0];
        Totals {
            runs: groups.len() as u32,
            visitors: one(Query::Visitors),
            parties: one(Query::Parties),
            transactions: one(Query::Transactions),
            revenue_cents: one(Query::Revenue),
            items: one(Query::Items),
            time_ms: one(Query::TimeInStore),
            queue_joins: one(Query::QueueJoins),
            wait_ms: one(Query::QueueWait),
            abandons: one(Query::Abandons),
            zone_visitors: sum(Query::ZoneVisitors),
            zone_ms: sum(Query::ZoneDwell),
            heat_ms: sum(Query::Heat),
        }
    }

    /// Sums the answers of several groups (runs) and makes them consistent:
    /// none negative, and none more than what holds it (the heatmap's
    /// picture; a release lists the sums as they are, `sums`).
    pub fn of(groups: &[&Answers], b: &Bounds) -> Totals {
        let t = Totals::sums(groups, b);
        let visitors = t.visitors.max(0.0);
        // Every party has a leader; each party pays at most once.
        let parties = t.parties.clamp(0.0, visitors);
        let transactions = t.transactions.clamp(0.0, parties);
        let positive = |xs: Vec<f64>| xs.into_iter().map(|x| x.max(0.0)).collect::<Vec<f64>>();
        Totals {
            visitors,
            parties,
            transactions,
            revenue_cents: t.revenue_cents.max(0.0),
            items: t.items.max(0.0),
            time_ms: t.time_ms.max(0.0),
            queue_joins: t.queue_joins.clamp(0.0, visitors),
            wait_ms: t.wait_ms.max(0.0),
            abandons: t.abandons.clamp(0.0, visitors - transactions),
            zone_visitors: t.zone_visitors.into_iter().map(|z| z.clamp(0.0, visitors)).collect(),
            zone_ms: positive(t.zone_ms),
            heat_ms: positive(t.heat_ms),
            ..t
        }
    }

    /// The published figures with 0 where one is undefined (`figures`).
    pub fn metrics(&self, layout: &Layout) -> Vec<Metric> {
        let mut figures = self.figures(layout);
        for m in &mut figures {
            if m.value.is_nan() {
                m.value = 0.0;
            }
        }
        figures
    }

    /// The published figures: those of the metric catalogue written over
    /// sums, from the noised sums (so each has one formula, exact or
    /// private), then per zone. Totals are per day; rates and means are
    /// ratios of noised sums, NaN where the noised denominator is not
    /// positive.
    pub fn figures(&self, layout: &Layout) -> Vec<Metric> {
        let ratio = |a: f64, b: f64| if b > 0.0 { a / b } else { f64::NAN };
        let sums = catalogue::Totals {
            days: self.runs.max(1) as f64,
            visitors: self.visitors,
            parties: self.parties,
            transactions: self.transactions,
            revenue_cents: self.revenue_cents,
            items_sold: self.items,
            time_in_store_s: self.time_ms / 1000.0,
            stays: self.visitors,
            queue_wait_s: self.wait_ms / 1000.0,
            waits: self.queue_joins,
            abandons: self.abandons,
        };
        let mut out: Vec<Metric> =
            sums.figures().map(|(d, value)| Metric { name: d.name.to_owned(), unit: d.unit, value }).collect();
        for (z, id) in layout.zones.iter().enumerate() {
            out.push(Metric {
                name: format!("zone_visit_rate/{id}"),
                unit: "ratio",
                value: ratio(self.zone_visitors[z], self.visitors),
            });
            out.push(Metric {
                name: format!("zone_dwell/{id}"),
                unit: "s",
                value: ratio(self.zone_ms[z] / 1000.0, self.zone_visitors[z]),
            });
        }
        out
    }

    /// Person-seconds per heat block; blocks nobody can stand in (public
    /// knowledge: the layout) are zero whatever the noise said.
    pub fn heat_block_s(&self, layout: &Layout) -> Vec<f64> {
        self.heat_ms.iter().zip(&layout.block_walkable).map(|(ms, w)| if *w { ms / 1000.0 } else { 0.0 }).collect()
    }
}

#[cfg(test)]
mod tests;
