use super::*;

/// The zones of `answers`' two cells.
fn zones() -> Vec<String> {
    vec!["fresh".to_owned(), "drinks".to_owned()]
}

/// Answers with `value` in every cell of `query` and 0 elsewhere.
fn answers(cells: &[(Query, i64)]) -> Answers {
    let mut out: Vec<Vec<i64>> = QUERIES.iter().map(|_| vec![0; 2]).collect();
    for &(q, v) in cells {
        out[q as usize] = vec![v; 2];
    }
    Answers(out)
}

/// A party of six (leader 10, companions 11–15 in the order they came
/// in) and one shopper alone: under a cap of c members the party counts
/// its first c everywhere, and leaders always count.
#[test]
fn a_party_counts_with_its_first_members_up_to_the_cap() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/tiny.toml");
    let p = crate::prepare(&crate::scenario::ScenarioFile::read(&path).unwrap(), "baseline").unwrap();
    let layout = Layout::new(&p);
    let visit = |shopper: u32, party: u32| Visit {
        leads: shopper == party,
        behind_leader: shopper - party,
        time_ms: 60_000,
        block_ms: [(0, 30_000)].into_iter().collect(),
        ..Visit::default()
    };
    let visits: Vec<Visit> = (10..16).map(|s| visit(s, 10)).chain([visit(20, 20)]).collect();
    for (cap, counted) in [(1, 1), (2, 2), (4, 4), (6, 6), (7, 6), (usize::MAX, 6)] {
        let b = Bounds { max_party: cap, ..Bounds::default() };
        let a = answer(&visits, &layout, &b);
        let total = |q: Query| a.0[q as usize].iter().sum::<i64>();
        let heat_step = to_grid(30_000.0, b.block_clamp_s * 1000.0, Query::Heat.spec(&b).step);
        assert_eq!(
            (total(Query::Visitors), total(Query::Parties), total(Query::Heat)),
            (1 + counted, 2, (1 + counted) * heat_step),
            "cap {cap}"
        );
    }
}

/// Generated stores of parties (1 to 9 people, values past every
/// clamp now and then): taking a whole party out moves each query's
/// answer by at most `max_party` visits' sensitivity, L1 and L2, which
/// is what protects a party at `max_party`·ε (and its square times ρ).
#[test]
fn a_whole_party_moves_each_answer_by_at_most_the_cap_times_one_visit() {
    use rand::{RngExt, SeedableRng};
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/tiny.toml");
    let p = crate::prepare(&crate::scenario::ScenarioFile::read(&path).unwrap(), "baseline").unwrap();
    let layout = Layout::new(&p);
    let (zones, blocks) = (layout.zones.len() as u16, layout.block_count() as u32);
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(7);
    for case in 0..200 {
        let mut visits = Vec::new();
        let mut parties = Vec::new();
        let mut next = 0u32;
        for _ in 0..rng.random_range(1..8) {
            let size = rng.random_range(1..10u32);
            parties.push(next..next + size);
            for k in 0..size {
                let ms = |rng: &mut rand_chacha::ChaCha8Rng| rng.random_range(0..4_000_000u64);
                visits.push(Visit {
                    leads: k == 0,
                    behind_leader: k,
                    paid: rng.random_bool(0.5),
                    revenue_cents: rng.random_range(0..30_000),
                    items: rng.random_range(0..100),
                    time_ms: ms(&mut rng),
                    queued: rng.random_bool(0.5),
                    wait_ms: ms(&mut rng),
                    abandoned: rng.random_bool(0.1),
                    zone_ms: (0..zones).map(|z| (z, ms(&mut rng))).collect(),
                    block_ms: (0..rng.random_range(0..20))
                        .map(|_| (rng.random_range(0..blocks), ms(&mut rng)))
                        .collect(),
                });
            }
            next += size;
        }
        let out = parties[rng.random_range(0..parties.len())].clone();
        let without: Vec<Visit> =
            visits.iter().enumerate().filter(|(i, _)| !out.contains(&(*i as u32))).map(|(_, v)| v.clone()).collect();
        for cap in [1, 2, 4] {
            let b = Bounds { max_party: cap, ..Bounds::default() };
            let (all, less) = (answer(&visits, &layout, &b), answer(&without, &layout, &b));
            for q in QUERIES {
                let spec = q.spec(&b);
                let diffs = all.0[q as usize].iter().zip(&less.0[q as usize]).map(|(a, b)| (a - b).unsigned_abs());
                let (l1, l2_sq) = diffs.fold((0u64, 0u64), |(l1, l2), d| (l1 + d, l2 + d * d));
                let m = cap as u64;
                assert!(l1 <= m * spec.l1(), "case {case}, cap {cap}, {}: L1 {l1} > {m} × {}", spec.name, spec.l1());
                assert!(l2_sq <= m * m * spec.l2_squared(), "case {case}, cap {cap}, {}: L2² {l2_sq}", spec.name);
            }
        }
    }
}

#[test]
fn bounds_that_keep_too_little_of_a_total_are_warned_of_by_their_figures() {
    let mut c = Clipping::default();
    let bounded = [(Query::Revenue, 150), (Query::Items, 95), (Query::Heat, 0), (Query::Visitors, 1)];
    let exact = [(Query::Revenue, 1000), (Query::Items, 100), (Query::Heat, 0), (Query::Visitors, 1)];
    c.add("baseline", &zones(), &answers(&bounded), &answers(&exact));
    c.add("baseline", &zones(), &answers(&bounded), &answers(&exact));
    assert_eq!((c.kept(Query::Revenue), c.kept(Query::Items), c.kept(Query::Heat)), (Some(0.15), Some(0.95), None));
    let lines = c.warnings(&Bounds::default());
    assert_eq!(lines.len(), 2, "{lines:?}");
    assert_eq!(
        lines[0],
        "revenue, revenue per visitor and basket value: the bounds (--clamp basket=150) keep 15% of the exact total \
         of variant `baseline`, so the release understates it by the rest before any noise"
    );
    assert!(lines[1].starts_with("raise a bound with --clamp NAME=VALUE"));
    assert_eq!(Clipping::default().warnings(&Bounds::default()), Vec::<String>::new());
    assert_eq!(percent_kept(0.0004), "0.04%");
    assert_eq!(percent_kept(0.0), "under 0.01%");
}

/// The party cap keeps 84% of the visitors, and with them 85% of the zone
/// visits and 80% of the heat: the zone bound itself costs nothing, and
/// is not blamed; the heat's bounds keep 80 ÷ 84 = 95% of what the cap
/// leaves them, and are not warned of either. Time in store kept to 70%
/// is warned of, at 83% of what the cap leaves.
#[test]
fn what_the_party_cap_leaves_out_is_not_blamed_on_a_figures_own_bounds() {
    let mut c = Clipping::default();
    let bounded = [(Query::Visitors, 84), (Query::ZoneVisitors, 85), (Query::Heat, 80), (Query::TimeInStore, 70)];
    let exact = [(Query::Visitors, 100), (Query::ZoneVisitors, 100), (Query::Heat, 100), (Query::TimeInStore, 100)];
    c.add("baseline", &zones(), &answers(&bounded), &answers(&exact));
    let lines = c.warnings(&Bounds::default());
    assert_eq!(lines.len(), 3, "{lines:?}");
    assert!(lines[0].starts_with("visitors (and with them their time, zones and heat): the bounds (--clamp party="));
    assert!(lines[0].contains("keep 84% of the exact total"), "{}", lines[0]);
    assert!(
        lines[1].starts_with("time in store: the bounds (--clamp visit=")
            && lines[1].contains("keep 83% of what the party cap leaves of the exact total"),
        "{}",
        lines[1]
    );
    assert!(lines[2].starts_with("raise a bound with --clamp NAME=VALUE"));
}

#[test]
fn runs_sharing_a_seed_split_the_budget_and_the_release_costs_it_once() {
    assert_eq!(Sharing::of_seeds([1, 2, 1, 2, 1, 3]).runs_per_seed, 3);
    assert_eq!(Sharing::of_seeds([]).runs_per_seed, 1);
    let b = Bounds::default();
    for mechanism in [Mechanism::DiscreteLaplace, Mechanism::DiscreteGaussian] {
        let at = |runs| calibrate(mechanism, 1.0, 1e-6, &b, Sharing { runs_per_seed: runs });
        let (one, six) = (at(1), at(6));
        // Laplace scale Δ₁/(ε/k) and Gaussian variance Δ₂²/(2ρ/k) both grow k-fold.
        for (p1, p6) in one.parameters.iter().zip(&six.parameters) {
            assert!((p6.to_f64() / p1.to_f64() - 6.0).abs() < 1e-9, "{mechanism:?}");
        }
        // ...and the release costs what was asked, whatever k.
        assert_eq!(one.cost, six.cost, "{mechanism:?}");
        match six.cost {
            Cost::Pure { epsilon } => assert!((epsilon - 1.0).abs() < 1e-12),
            Cost::Zcdp { rho, epsilon, delta } => {
                assert!((rho - epsilon_to_zcdp(1.0, 1e-6)).abs() < 1e-12);
                assert_eq!((epsilon, delta), (Some(1.0), Some(1e-6)));
            }
            Cost::Local { .. } => unreachable!(),
        }
    }
}

/// A figure cut hard hides in a total that keeps enough: one zone of
/// five, or one variant of several. The worst figure is named, with the
/// total over all of them and how many others fall short.
#[test]
fn a_bound_that_cuts_one_zone_or_one_variant_is_warned_of_by_that_figure() {
    struct Case {
        runs: &'static [(&'static str, Query, [i64; 2], [i64; 2])],
        warned: Option<&'static str>,
    }
    let cases = [
        Case {
            // Drinks keep 30%, the zones together 92%.
            runs: &[("baseline", Query::ZoneVisitors, [800, 30], [800, 100])],
            warned: Some(
                "zone visitors: the bounds (--clamp zones=4) keep 30% of the exact total of zone `drinks` in variant \
                 `baseline` (92% over every zone of every variant), so the release understates it by the rest before \
                 any noise",
            ),
        },
        Case {
            // One variant keeps 85%, the two together 95%.
            runs: &[
                ("baseline", Query::Revenue, [500, 500], [500, 500]),
                ("pricey", Query::Revenue, [200, 225], [250, 250]),
            ],
            warned: Some(
                "revenue, revenue per visitor and basket value: the bounds (--clamp basket=150) keep 85% of the exact \
                 total of variant `pricey` (95% over every variant), so the release understates it by the rest \
                 before any noise",
            ),
        },
        Case {
            // Two variants short: the worst named, the other counted.
            runs: &[
                ("baseline", Query::Items, [80, 80], [100, 100]),
                ("pricey", Query::Items, [50, 50], [100, 100]),
                ("cheap", Query::Items, [100, 100], [100, 100]),
            ],
            warned: Some(
                "items per basket: the bounds (--clamp items=60) keep 50% of the exact total of variant `pricey` \
                 (77% over every variant; 1 other(s) keep under 90%), so the release understates it by the rest \
                 before any noise",
            ),
        },
        Case { runs: &[("baseline", Query::ZoneDwell, [95, 91], [100, 100])], warned: None },
    ];
    for (i, case) in cases.iter().enumerate() {
        let mut c = Clipping::default();
        for &(variant, q, bounded, exact) in case.runs {
            let mut b = answers(&[(Query::Visitors, 1)]);
            let mut e = b.clone();
            (b.0[q as usize], e.0[q as usize]) = (bounded.to_vec(), exact.to_vec());
            c.add(variant, &zones(), &b, &e);
        }
        let lines = c.warnings(&Bounds::default());
        assert_eq!(lines.first().map(String::as_str), case.warned, "case {i}: {lines:?}");
    }
}
