//! Benchmark of the leximin engine on a synthetic pool shaped like a Seoul PB-committee or dong-council
//! recruitment: 10,000 applicants, 4 stratification features with 28 quota cells, 50 seats.
//!
//! `cargo run --release -p maeul-sortition --example synthetic_bench -- [APPLICANTS] [SEATS] [--stages N]
//! [--v1] [--skip-baseline] [--write FILE]` (`--v1`: the input in format `maeul-sortition/1`, i.e. the interior-point master).
//!
//! The pool (`tests/common/generated.rs`, shared with the tests) is generated deterministically (ChaCha20
//! keyed by SHA-256 of "maeul synthetic pool"), with skews typical of volunteer pools (older applicants and
//! some neighbourhoods over-represented), so that the quotas bind and selection probabilities cannot all be
//! equal.
use std::time::Instant;

use maeul_sortition::baseline::uniform_monte_carlo;
use maeul_sortition::{Lottery, Pool, check_feasibility};

#[path = "../tests/common/generated.rs"]
mod generated;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut positional = args.iter().take_while(|a| !a.starts_with("--"));
    let applicants: usize = positional
        .next()
        .map_or(10_000, |a| a.parse().expect("APPLICANTS"));
    let seats: u32 = positional.next().map_or(50, |a| a.parse().expect("SEATS"));
    let mut instance = generated::synthetic_pool(applicants, seats);
    if args.iter().any(|a| a == "--v1") {
        instance.format = maeul_sortition::FORMAT_V1.into();
    }
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
    // SORTITION_BENCH_PROGRESS=1 prints every master solve with the time since the start (stderr).
    let verbose = std::env::var_os("SORTITION_BENCH_PROGRESS").is_some();
    let lottery = Lottery::prepare_with_progress(&instance, &mut |p| {
        if verbose {
            eprintln!(
                "{:8.3} s  stage {}  fixed {}/{}  masters {}  compositions {}",
                started.elapsed().as_secs_f64(),
                p.stage,
                p.fixed_types,
                p.types,
                p.master_solves,
                p.compositions
            );
        }
    })
    .unwrap_or_else(|e| panic!("{e}"));
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
        "leximin probabilities: {:.3} s ({} stages{}, {} interior-point master LPs, {} simplex master LPs ({} pivots), {} exact pricing ILPs, {} compositions generated, {} in the support)",
        probabilities_time.as_secs_f64(),
        lottery.stats.stages,
        if lottery.stats.complete {
            ", complete"
        } else {
            ", stage limit reached"
        },
        lottery.stats.master_solves,
        lottery.stats.simplex_solves,
        lottery.stats.simplex_pivots,
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
    if args.iter().any(|a| a == "--skip-baseline") {
        return;
    }
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
