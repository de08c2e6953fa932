//! An empirical audit of the privacy loss: neighbouring datasets built
//! through the logs, every query's measured loss against its ε.

use super::*;

/// The privacy loss of the event {statistic ≥ t} (or ≤ t) between two
/// datasets, as a lower confidence bound: ln(p₁/p₀) with p₁ at its lower
/// and p₀ at its upper Wilson bound, z standard errors each.
fn loss_lower_bound(hits: [u64; 2], trials: u64, z: f64) -> f64 {
    let wilson = |h: u64, sign: f64| {
        let (n, p) = (trials as f64, h as f64 / trials as f64);
        let centre = p + z * z / (2.0 * n);
        let spread = z * (p * (1.0 - p) / n + z * z / (4.0 * n * n)).sqrt();
        (centre + sign * spread) / (1.0 + z * z / n)
    };
    let (p1, p0) = (wilson(hits[1], -1.0), wilson(hits[0], 1.0));
    if p1 <= 0.0 { 0.0 } else { (p1 / p0).ln() }
}

/// One shopper's visit in every run of their seed (one run per variant),
/// with the run's events and layout.
struct Run {
    events: Vec<SimEvent>,
    layout: Layout,
}

fn visits_by_shopper(run: &Run) -> BTreeMap<u32, Visit> {
    let mut by_shopper: BTreeMap<u32, Vec<SimEvent>> = BTreeMap::new();
    for e in &run.events {
        by_shopper.entry(e.shopper).or_default().push(*e);
    }
    by_shopper
        .into_iter()
        .filter_map(|(s, events)| {
            let mut fold = VisitProjection::new(&run.layout);
            fold.observe_all(&events);
            fold.finish().pop().map(|v| (s, v))
        })
        .collect()
}

/// The smallest of the values a tight clamp is set to (the third-longest
/// block stay, the second-longest zone dwell, the wait): the larger, the
/// finer the grid rounding.
fn smallest_clamp(v: &Visit) -> u64 {
    let kth = |xs: Vec<(u64, u64)>, k: usize| xs.get(k - 1).map_or(0, |e| e.1);
    let blocks = kth(top_k(&v.block_ms, 3).into_iter().map(|(b, ms)| (b as u64, ms)).collect(), 3);
    let zones = kth(top_k(&v.zone_ms, 2).into_iter().map(|(z, ms)| (z as u64, ms)).collect(), 2);
    blocks.min(zones).min(if v.queued { v.wait_ms } else { u64::MAX })
}

/// Clamps that the shopper's visits reach in every run, so that removing
/// them changes every query by its full sensitivity: the audit is tight.
/// Times are clamped to whole grid steps (1024 ms).
fn tight_bounds(visits: &[&Visit]) -> Bounds {
    let min = |f: &dyn Fn(&Visit) -> u64| visits.iter().map(|v| f(v)).min().unwrap();
    let steps = |ms: u64| (ms / 1024 * 1024) as f64 / 1000.0;
    let (zones, blocks) = (2, 3);
    let kth = |map: fn(&Visit) -> Vec<u64>, k: usize| min(&|v| map(v).get(k - 1).copied().unwrap_or(0));
    Bounds {
        max_blocks: blocks,
        block_clamp_s: steps(kth(|v| top_k(&v.block_ms, 3).into_iter().map(|e| e.1).collect(), blocks)),
        max_zones: zones,
        zone_clamp_s: steps(kth(|v| top_k(&v.zone_ms, 2).into_iter().map(|e| e.1).collect(), zones)),
        basket_clamp: min(&|v| v.revenue_cents as u64) as f64 / 100.0,
        items_clamp: min(&|v| v.items),
        time_clamp_s: steps(min(&|v| v.time_ms)),
        wait_clamp_s: steps(min(&|v| v.wait_ms)),
        max_party: usize::MAX,
    }
}

/// The audit's findings for one query.
struct Audit {
    claimed: f64,
    honest: f64,
    halved: f64,
}

/// Runs the release's own noise (`Calibration::noise`, which `publish`
/// applies to every run) `trials` times on the cells that differ between
/// the neighbours, for the honest calibration and for one with the noise
/// scale halved, and returns the largest lower confidence bounds on the
/// privacy loss over threshold events of the likelihood-ratio statistic.
fn audit(query: Query, neighbours: [&[Answers]; 2], epsilon: f64, bounds: &Bounds, runs: u32, trials: u64) -> Audit {
    let q = query as usize;
    let cal = calibrate(
        Mechanism::DiscreteLaplace,
        epsilon,
        1e-6,
        bounds,
        aisle::privacy::query::Sharing { runs_per_seed: runs },
    );
    let claimed = epsilon * cal.records[q].share;
    // Only the cells the removed shopper changes carry information; the rest
    // are noised independently of them.
    let mut pairs = Vec::new();
    let restricted: Vec<[Answers; 2]> = neighbours[0]
        .iter()
        .zip(neighbours[1])
        .map(|(with, without)| {
            let cells: Vec<usize> = (0..with.0[q].len()).filter(|c| with.0[q][*c] != without.0[q][*c]).collect();
            pairs.extend(cells.iter().map(|c| (with.0[q][*c], without.0[q][*c])));
            let only = |a: &Answers| {
                Answers(
                    (0..QUERIES.len())
                        .map(|i| if i == q { cells.iter().map(|c| a.0[q][*c]).collect() } else { vec![] })
                        .collect(),
                )
            };
            [only(with), only(without)]
        })
        .collect();
    let scale = cal.parameters[q].to_f64();
    let exact_loss: f64 = pairs.iter().map(|(a, b)| (a - b).abs() as f64).sum::<f64>() / scale;
    assert!(
        exact_loss > 0.97 * claimed && exact_loss <= claimed * (1.0 + 1e-9),
        "{query:?}: the neighbours differ by {exact_loss:.3}, not the claimed {claimed:.3}: the audit would not be tight"
    );
    // Log-likelihood ratio of the dataset with the shopper over the one without.
    let llr = |noised: &[Answers]| -> f64 {
        let xs = noised.iter().flat_map(|a| a.0[q].iter());
        xs.zip(&pairs).map(|(x, (a, b))| ((x - b).abs() - (x - a).abs()) as f64).sum::<f64>() / scale
    };
    let measure = |cal: &aisle::privacy::query::Calibration, seed: u64| -> f64 {
        let mut rng = ChaCha20Rng::seed_from_u64(seed);
        let draws: Vec<Vec<f64>> = (0..2)
            .map(|side| {
                let mut xs: Vec<f64> = (0..trials)
                    .map(|_| {
                        let noised: Vec<Answers> = restricted.iter().map(|r| cal.noise(&r[side], &mut rng)).collect();
                        llr(&noised)
                    })
                    .collect();
                xs.sort_by(f64::total_cmp);
                xs
            })
            .collect();
        // Events {LLR ≥ t} and {LLR ≤ t} at 21 thresholds across [−ε, ε];
        // z = 4.5 keeps the chance of a false alarm over all events of all
        // queries below 1%.
        let mut worst = 0.0f64;
        for j in -10..=10 {
            let t = claimed * j as f64 / 10.0 - 1e-9;
            let above = |xs: &Vec<f64>| (xs.len() - xs.partition_point(|x| *x < t)) as u64;
            let below = |xs: &Vec<f64>| xs.partition_point(|x| *x <= t + 2e-9) as u64;
            let (a_with, a_without) = (above(&draws[0]), above(&draws[1]));
            let (b_with, b_without) = (below(&draws[0]), below(&draws[1]));
            worst = worst.max(loss_lower_bound([a_without, a_with], trials, 4.5)).max(loss_lower_bound(
                [b_with, b_without],
                trials,
                4.5,
            ));
        }
        worst
    };
    let honest = measure(&cal, 100 + q as u64);
    let mut broken = cal.clone();
    for p in &mut broken.parameters {
        *p = p.div(&Ratio::integer(2));
    }
    let halved = measure(&broken, 200 + q as u64);
    Audit { claimed, honest, halved }
}

#[test]
fn the_measured_privacy_loss_of_every_query_stays_within_epsilon_and_halved_noise_is_caught() {
    let (_tmp, dir) = dataset(&ALL_VARIANTS[..3]);
    let manifest = Dataset::read_manifest(&dir).unwrap().unwrap();
    let file = aisle::scenario::ScenarioFile::read(&scenario_path("tiny")).unwrap();
    let runs: Vec<Run> = manifest
        .runs
        .iter()
        .map(|r| Run {
            events: read_log(&dir.join(&r.path)).unwrap().1,
            layout: Layout::new(&aisle::prepare(&file, &r.variant).unwrap()),
        })
        .collect();
    let variants = sharing(&dir).unwrap().runs_per_seed;
    assert_eq!(variants as usize, runs.len(), "one run per variant, all of seed 1");
    let visits: Vec<BTreeMap<u32, Visit>> = runs.iter().map(visits_by_shopper).collect();
    // A real shopper, the same person in every variant, who leads, queues,
    // pays and walks through two zones and three blocks in every variant.
    // Nobody abandons a basket in tiny, so `abandons` (a count like
    // visitors, parties, transactions and queue joins: sensitivity 1, the
    // same calibration) cannot be audited on its logs.
    let shopper = visits[0]
        .keys()
        .copied()
        .filter(|s| {
            visits.iter().all(|m| {
                m.get(s).is_some_and(|v| v.leads && v.paid && v.queued && v.zone_ms.len() >= 2 && v.block_ms.len() >= 3)
            })
        })
        .max_by_key(|s| visits.iter().map(|m| smallest_clamp(&m[s])).min())
        .expect("a shopper who pays after a wait in every variant");
    let (epsilon, trials) = (16.0, 20_000);
    let bounds = tight_bounds(&visits.iter().map(|m| &m[&shopper]).collect::<Vec<_>>());
    // The neighbours, through the log: every run's events, and the same
    // events without the shopper's.
    let with: Vec<Answers> = runs.iter().map(|r| answer_events(&r.events, &r.layout, &bounds)).collect();
    let without: Vec<Answers> = runs
        .iter()
        .map(|r| {
            let kept: Vec<SimEvent> = r.events.iter().filter(|e| e.shopper != shopper).copied().collect();
            answer_events(&kept, &r.layout, &bounds)
        })
        .collect();
    let findings: Vec<(Query, Audit)> = QUERIES
        .into_iter()
        .filter(|q| *q != Query::Abandons)
        .map(|q| (q, audit(q, [&with, &without], epsilon, &bounds, variants, trials)))
        .collect();
    for (q, a) in &findings {
        eprintln!(
            "{q:?}: claimed ε {:.3}; measured ≥ {:.3}; with half the noise scale ≥ {:.3}",
            a.claimed, a.honest, a.halved
        );
    }
    for (q, a) in &findings {
        assert!(a.honest <= a.claimed, "{q:?}: measured loss ≥ {:.3} exceeds the claimed ε {:.3}", a.honest, a.claimed);
        assert!(
            a.halved > a.claimed,
            "{q:?}: the audit missed noise of half the scale ({:.3} ≤ {:.3})",
            a.halved,
            a.claimed
        );
    }
}
