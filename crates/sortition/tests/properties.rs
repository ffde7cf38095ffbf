//! Property tests of the lottery on random small instances: feasibility verdicts against brute force,
//! refusal of infeasible quotas, probabilities summing to the panel size, quotas always met, determinism,
//! and leximin at least as fair as the uniform-within-strata baseline (exact).
mod common;

use std::collections::BTreeMap;

use common::*;
use maeul_sortition::baseline::uniform_exact;
use maeul_sortition::instance::{ApplicantSpec, Instance};
use maeul_sortition::{Lottery, Pool, SortitionError, check_feasibility};
use proptest::prelude::*;

/// A random instance: 1–3 features of 2–3 categories, 3–14 applicants, 1–6 seats, 0–3 reserves. Quotas are
/// either anchored (each category's bounds bracket its count among the first `panel_size` applicants, so
/// the instance is feasible when there are enough applicants) or free (random, often infeasible).
fn random_instance() -> impl Strategy<Value = Instance> {
    (
        1usize..=3,
        prop::collection::vec(2usize..=3, 3),
        3usize..=14,
        1u32..=6,
        0u32..=3,
    )
        .prop_flat_map(
            |(feature_count, category_counts, applicant_count, panel_size, reserve_size)| {
                let category_counts: Vec<usize> = category_counts[..feature_count].to_vec();
                let quota_cells: usize = category_counts.iter().sum();
                let applicants = prop::collection::vec(
                    category_counts.iter().map(|&c| 0..c).collect::<Vec<_>>(),
                    applicant_count,
                );
                let quotas = prop::collection::vec((0u32..=2, 0u32..=6), quota_cells);
                (
                    Just(category_counts),
                    applicants,
                    quotas,
                    Just(panel_size),
                    Just(reserve_size),
                    any::<bool>(),
                )
            },
        )
        .prop_map(
            |(category_counts, applicant_vectors, quotas, panel_size, reserve_size, anchored)| {
                let mut cell = 0;
                let features = category_counts
                    .iter()
                    .enumerate()
                    .map(|(f, &count)| {
                        let categories = (0..count)
                            .map(|c| {
                                let (below, above) = quotas[cell];
                                cell += 1;
                                if anchored {
                                    let reference = applicant_vectors
                                        .iter()
                                        .take(panel_size as usize)
                                        .filter(|v| v[f] == c)
                                        .count()
                                        as u32;
                                    category(
                                        &format!("c{c}"),
                                        Some(reference.saturating_sub(below)),
                                        Some(reference + above / 2),
                                    )
                                } else {
                                    category(&format!("c{c}"), Some(below), Some(below + above))
                                }
                            })
                            .collect();
                        feature(&format!("f{f}"), categories)
                    })
                    .collect();
                let applicants = applicant_vectors
                    .iter()
                    .enumerate()
                    .map(|(a, vector)| ApplicantSpec {
                        id: format!("a{a:02}"),
                        features: vector
                            .iter()
                            .enumerate()
                            .map(|(f, c)| (format!("f{f}"), format!("c{c}")))
                            .collect::<BTreeMap<_, _>>(),
                    })
                    .collect();
                instance(panel_size, reserve_size, features, applicants)
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, .. ProptestConfig::default() })]

    #[test]
    fn feasibility_verdict_matches_brute_force_and_infeasible_is_refused(instance in random_instance()) {
        let pool = Pool::new(&instance).unwrap();
        let report = check_feasibility(&pool).unwrap();
        let brute_force = uniform_exact(&pool, 1_000_000);
        prop_assert_eq!(report.is_feasible(), brute_force.is_some(), "{:?}", report.problems);
        if !report.is_feasible() {
            prop_assert!(!report.problems.is_empty());
            match Lottery::prepare(&instance) {
                Err(SortitionError::Infeasible(problems)) => prop_assert_eq!(problems, report.problems),
                other => prop_assert!(false, "expected a refusal, got {:?}", other.map(|l| l.distribution)),
            }
        } else {
            prop_assert!(pool.composition_meets_quotas(report.witness.as_ref().unwrap()));
        }
    }

    #[test]
    fn feasible_lotteries_are_fair_consistent_and_deterministic(instance in random_instance(), seed in "[a-z0-9 ]{0,12}") {
        let pool = Pool::new(&instance).unwrap();
        prop_assume!(check_feasibility(&pool).unwrap().is_feasible());
        let lottery = Lottery::prepare(&instance).unwrap();

        // Small pools get the complete leximin by default.
        prop_assert!(lottery.stats.complete);
        // Probabilities are probabilities and sum to the panel size.
        let probabilities = lottery.distribution.applicant_probabilities(&lottery.pool);
        let sum: f64 = probabilities.iter().sum();
        prop_assert!((sum - instance.panel_size as f64).abs() < 1e-6, "sum {}", sum);
        for p in &probabilities {
            prop_assert!(*p >= -1e-9 && *p <= 1.0 + 1e-9, "probability {}", p);
        }
        // Every composition that can be drawn meets the quotas.
        for composition in &lottery.distribution.compositions {
            prop_assert!(lottery.pool.composition_meets_quotas(&composition.seats));
        }
        // Leximin is at least as fair as uniform over quota-meeting panels (exact).
        let uniform = uniform_exact(&lottery.pool, 1_000_000).unwrap();
        let uniform_min = uniform.iter().copied().fold(f64::INFINITY, f64::min);
        prop_assert!(lottery.distribution.minimum_probability() >= uniform_min - 1e-6,
            "leximin min {} < uniform min {}", lottery.distribution.minimum_probability(), uniform_min);
        // Stronger: the complete leximin's sorted probability vector is lexicographically at least the
        // baseline's (the first entry where they differ by more than round-off favours leximin).
        let mut leximin_sorted = probabilities.clone();
        leximin_sorted.sort_by(f64::total_cmp);
        let mut uniform_sorted: Vec<f64> = lottery.pool.applicant_type.iter().map(|&t| uniform[t]).collect();
        uniform_sorted.sort_by(f64::total_cmp);
        if let Some((l, u)) = leximin_sorted.iter().zip(&uniform_sorted).find(|(l, u)| (*l - *u).abs() > 1e-5) {
            prop_assert!(l > u, "leximin {:?} is lexicographically below uniform {:?}", leximin_sorted, uniform_sorted);
        }

        // The draw meets the quotas, is deterministic in the seed, and reserves are outside the panel.
        let outcome = lottery.draw(&seed);
        prop_assert!(lottery.pool.panel_meets_quotas(&outcome.panel));
        prop_assert_eq!(&outcome, &Lottery::prepare(&instance).unwrap().draw(&seed));
        let expected_reserves = (instance.reserve_size as usize).min(pool.applicant_count() - instance.panel_size as usize);
        prop_assert_eq!(outcome.reserves.len(), expected_reserves);
        for reserve in &outcome.reserves {
            prop_assert!(!outcome.panel.contains(reserve));
        }
    }
}
