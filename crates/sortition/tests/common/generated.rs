//! Deterministic instance generators shared by the tests, the benchmark and the reference dump
//! (`examples/leximin_reference.rs`), included with `#[path]` so that all of them build the very same pools.
//! Everything is synthetic: no real persons.
#![allow(dead_code)]
use std::collections::BTreeMap;

use maeul_sortition::FORMAT;
use maeul_sortition::draw::{DrawRng, seed_digest};
use maeul_sortition::instance::{ApplicantSpec, CategorySpec, FeatureSpec, Instance};

/// Picks an index with probability proportional to `weights`.
fn weighted(rng: &mut DrawRng, weights: &[f64]) -> usize {
    let total: f64 = weights.iter().sum();
    let mut u = rng.unit() * total;
    for (i, w) in weights.iter().enumerate() {
        if u < *w {
            return i;
        }
        u -= w;
    }
    weights.len() - 1
}

fn category(name: &str, min: u32, max: u32) -> CategorySpec {
    CategorySpec {
        name: name.into(),
        min: Some(min),
        max: Some(max),
        min_share: None,
        max_share: None,
    }
}

/// The benchmark pool (`bench/sortition`): a recruitment shaped like a Seoul PB committee or dong council,
/// 4 stratification features with 28 quota cells — gender (2, each capped at 60 %), age band (6),
/// neighbourhood (16), housing (4) — and volunteer-pool skews (older applicants and some neighbourhoods
/// over-represented, age and housing correlated), so that the quotas bind.
pub fn synthetic_pool(applicants: usize, seats: u32) -> Instance {
    let mut rng = DrawRng::new(seed_digest("maeul synthetic pool"));
    let genders = ["female", "male"];
    let ages = ["20-29", "30-39", "40-49", "50-59", "60-69", "70+"];
    let neighbourhoods: Vec<String> = (1..=16).map(|i| format!("tong-{i:02}")).collect();
    let tenures = ["owner", "private-rental", "public-rental", "other"];
    // Seat shares follow the resident population; the applicant pool is skewed away from it.
    let scale = |share: f64| (share * seats as f64).round() as u32;
    let features = vec![
        FeatureSpec {
            name: "gender".into(),
            categories: genders
                .iter()
                .map(|g| CategorySpec {
                    name: (*g).into(),
                    min: None,
                    max: None,
                    min_share: None,
                    max_share: Some(0.6),
                })
                .collect(),
        },
        FeatureSpec {
            name: "age_band".into(),
            categories: ages
                .iter()
                .zip([0.16, 0.17, 0.18, 0.19, 0.16, 0.14])
                .map(|(a, share)| category(a, scale(share) - 2, scale(share) + 2))
                .collect(),
        },
        FeatureSpec {
            name: "neighbourhood".into(),
            categories: neighbourhoods
                .iter()
                .map(|n| category(n, seats / 25, (seats as f64 * 1.5 / 16.0).ceil() as u32))
                .collect(),
        },
        FeatureSpec {
            name: "housing".into(),
            categories: tenures
                .iter()
                .zip([0.42, 0.40, 0.10, 0.08])
                .map(|(t, share)| {
                    category(t, scale(share).saturating_sub(3).max(1), scale(share) + 3)
                })
                .collect(),
        },
    ];
    let gender_weights = [0.58, 0.42];
    let age_weights = [0.06, 0.10, 0.16, 0.24, 0.26, 0.18];
    let neighbourhood_weights: Vec<f64> = (1..=16).map(|i| 1.0 / (i as f64).powf(0.8)).collect();
    let mut list = Vec::with_capacity(applicants);
    for i in 0..applicants {
        let gender = weighted(&mut rng, &gender_weights);
        let age = weighted(&mut rng, &age_weights);
        let neighbourhood = weighted(&mut rng, &neighbourhood_weights);
        // Older applicants own more often, younger ones rent more: correlated features.
        let tenure_weights = if age >= 3 {
            [0.62, 0.22, 0.10, 0.06]
        } else {
            [0.18, 0.62, 0.12, 0.08]
        };
        let tenure = weighted(&mut rng, &tenure_weights);
        let mut features = BTreeMap::new();
        features.insert("gender".to_string(), genders[gender].to_string());
        features.insert("age_band".to_string(), ages[age].to_string());
        features.insert(
            "neighbourhood".to_string(),
            neighbourhoods[neighbourhood].clone(),
        );
        features.insert("housing".to_string(), tenures[tenure].to_string());
        list.push(ApplicantSpec {
            id: format!("A{i:05}"),
            features,
        });
    }
    Instance {
        format: FORMAT.into(),
        call: Some("synthetic-benchmark".into()),
        panel_size: seats,
        reserve_size: 20,
        leximin_max_stages: None,
        features,
        applicants: list,
    }
}

/// A random pool of moderate size for comparing leximin implementations: 2–4 features of 2–4 categories
/// with skewed (and, between features, correlated) membership, 20–400 applicants, 4–30 seats, and quotas
/// around shares of a population whose mix differs from the applicants' (some tight, some loose). Not necessarily feasible: callers
/// check.
pub fn random_pool(seed: u64) -> Instance {
    let mut rng = DrawRng::new(seed_digest(&format!("maeul leximin reference pool {seed}")));
    let feature_count = 2 + rng.below(3);
    let category_counts: Vec<usize> = (0..feature_count).map(|_| 2 + rng.below(3)).collect();
    let applicant_count = 20 + rng.below(381);
    let panel_size = (4 + rng.below(27)).min(applicant_count / 3) as u32;
    // Membership weights per category, skewed; the category of feature f leans on that of feature 0.
    let weights: Vec<Vec<f64>> = category_counts
        .iter()
        .map(|&c| (0..c).map(|_| 0.2 + rng.unit()).collect())
        .collect();
    let vectors: Vec<Vec<usize>> = (0..applicant_count)
        .map(|_| {
            let first = weighted(&mut rng, &weights[0]);
            let mut vector = vec![first];
            for w in &weights[1..] {
                let mut leaning = w.clone();
                leaning[first % w.len()] *= 3.0;
                vector.push(weighted(&mut rng, &leaning));
            }
            vector
        })
        .collect();
    // Quotas follow a population whose mix differs from the applicants' (volunteer pools are skewed), so
    // that they bind and probabilities cannot all be equal.
    let features = category_counts
        .iter()
        .enumerate()
        .map(|(f, &count)| {
            let population: Vec<f64> = (0..count).map(|_| 0.3 + rng.unit()).collect();
            let total: f64 = population.iter().sum();
            FeatureSpec {
                name: format!("f{f}"),
                categories: (0..count)
                    .map(|c| {
                        let share = population[c] / total * panel_size as f64;
                        // Tolerance of 0–2 seats around the population share.
                        let slack = rng.below(3) as f64;
                        let min = (share - slack).floor().max(0.0) as u32;
                        let max = ((share + slack).ceil() as u32).max(min);
                        category(&format!("c{c}"), min, max)
                    })
                    .collect(),
            }
        })
        .collect();
    let applicants = vectors
        .iter()
        .enumerate()
        .map(|(a, vector)| ApplicantSpec {
            id: format!("r{a:03}"),
            features: vector
                .iter()
                .enumerate()
                .map(|(f, c)| (format!("f{f}"), format!("c{c}")))
                .collect(),
        })
        .collect();
    Instance {
        format: FORMAT.into(),
        call: Some(format!("random-{seed}")),
        panel_size,
        reserve_size: 0,
        leximin_max_stages: None,
        features,
        applicants,
    }
}
