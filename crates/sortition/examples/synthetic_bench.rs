//! Benchmark of the leximin engine on a synthetic pool shaped like a Seoul PB-committee or dong-council
//! recruitment: 10,000 applicants, 4 stratification features with 28 quota cells, 50 seats.
//!
//! `cargo run --release -p maeul-sortition --example synthetic_bench -- [APPLICANTS] [SEATS] [--write FILE]`
//!
//! The pool is generated deterministically (ChaCha20 keyed by SHA-256 of "maeul synthetic pool"), with
//! skews typical of volunteer pools (older applicants and some neighbourhoods over-represented), so that
//! the quotas bind and selection probabilities cannot all be equal.
use std::collections::BTreeMap;
use std::time::Instant;

use maeul_sortition::baseline::uniform_monte_carlo;
use maeul_sortition::draw::{DrawRng, seed_digest};
use maeul_sortition::instance::{ApplicantSpec, CategorySpec, FeatureSpec};
use maeul_sortition::{FORMAT, Instance, Lottery, Pool, check_feasibility};

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

fn synthetic(applicants: usize, seats: u32) -> Instance {
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

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut positional = args.iter().take_while(|a| !a.starts_with("--"));
    let applicants: usize = positional
        .next()
        .map_or(10_000, |a| a.parse().expect("APPLICANTS"));
    let seats: u32 = positional.next().map_or(50, |a| a.parse().expect("SEATS"));
    let mut instance = synthetic(applicants, seats);
    if let Some(position) = args.iter().position(|a| a == "--stages") {
        instance.leximin_max_stages = Some(args[position + 1].parse().expect("--stages N"));
    }
    if let Some(position) = args.iter().position(|a| a == "--write") {
        let path = &args[position + 1];
        std::fs::write(path, instance.to_json_string()).expect("write the instance");
        println!("wrote {path}");
        return;
    }
    let cells: usize = instance.features.iter().map(|f| f.categories.len()).sum();

    let started = Instant::now();
    let lottery = Lottery::prepare(&instance).unwrap_or_else(|e| panic!("{e}"));
    let probabilities_time = started.elapsed();
    let started = Instant::now();
    let outcome = lottery.draw("synthetic benchmark seed");
    let draw_time = started.elapsed();
    let pool: &Pool = &lottery.pool;
    assert!(pool.panel_meets_quotas(&outcome.panel));

    let per_applicant = lottery.distribution.applicant_probabilities(pool);
    let leximin_min = per_applicant.iter().copied().fold(f64::INFINITY, f64::min);
    let leximin_max = per_applicant.iter().copied().fold(0.0, f64::max);
    let sum: f64 = per_applicant.iter().sum();

    let witness = check_feasibility(pool)
        .expect("solver")
        .witness
        .expect("feasible");
    let started = Instant::now();
    let (samples, spacing) = (20_000, 500);
    let estimate = uniform_monte_carlo(pool, &witness, "baseline chain", 200_000, samples, spacing);
    let baseline_time = started.elapsed();
    let baseline: Vec<f64> = pool
        .applicant_type
        .iter()
        .map(|&t| estimate.type_probabilities[t])
        .collect();
    let baseline_min = baseline.iter().copied().fold(f64::INFINITY, f64::min);
    let baseline_max = baseline.iter().copied().fold(0.0, f64::max);
    // The smallest estimated probability among types with at least 20 applicants: per-type estimates of
    // tiny types are noisy, large types' are not.
    let large_types_min = |probabilities: &[f64]| {
        pool.types
            .iter()
            .zip(probabilities)
            .filter(|(ty, _)| ty.size() >= 20)
            .map(|(_, p)| *p)
            .fold(f64::INFINITY, f64::min)
    };
    let below = |probabilities: &[f64], threshold: f64| {
        probabilities.iter().filter(|&&p| p < threshold).count()
    };
    let uniform_share = seats as f64 / applicants as f64;

    println!(
        "pool: {applicants} applicants, {} types, {} features, {cells} quota cells, {seats} seats",
        pool.types.len(),
        pool.features.len()
    );
    println!(
        "leximin probabilities: {:.3} s ({} stages{}, {} master LPs, {} exact pricing ILPs, {} compositions generated, {} in the support)",
        probabilities_time.as_secs_f64(),
        lottery.stats.stages,
        if lottery.stats.complete {
            ", complete"
        } else {
            ", stage limit reached"
        },
        lottery.stats.master_solves,
        lottery.stats.pricing_problems,
        lottery.stats.compositions_generated,
        lottery.distribution.compositions.len()
    );
    println!(
        "draw (panel + {} reserves): {:.6} s",
        outcome.reserves.len(),
        draw_time.as_secs_f64()
    );
    println!(
        "total probabilities + draw: {:.3} s",
        (probabilities_time + draw_time).as_secs_f64()
    );
    println!(
        "leximin: min probability {leximin_min:.6}, max {leximin_max:.6}, sum {sum:.6} (k/n = {uniform_share:.6})"
    );
    println!(
        "leximin: min over types with >= 20 applicants {:.6}; applicants below k/(2n): {}",
        large_types_min(&lottery.distribution.type_probabilities),
        below(&per_applicant, uniform_share / 2.0)
    );
    println!(
        "uniform baseline (Monte Carlo swap chain, {} samples {} steps apart, acceptance {:.3}, {:.2} s):",
        estimate.samples,
        estimate.steps_between_samples,
        estimate.acceptance_rate,
        baseline_time.as_secs_f64()
    );
    println!(
        "  estimated min probability {baseline_min:.6} (noisy for tiny types), max {baseline_max:.6}"
    );
    println!(
        "  min over types with >= 20 applicants {:.6}; applicants below k/(2n): {}",
        large_types_min(&estimate.type_probabilities),
        below(&baseline, uniform_share / 2.0)
    );
}
