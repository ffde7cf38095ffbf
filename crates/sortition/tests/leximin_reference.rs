//! Both leximin procedures against the probabilities the interior-point master computed before the
//! warm-started simplex existed (`tests/fixtures/leximin-reference.json`, written by
//! `examples/leximin_reference.rs` at the commit its `generated_by` names).
//!
//! * Format `/1` must still reproduce them (it is the same code path): to 1e-9.
//! * Format `/2` must agree to 1e-6. A complete leximin is unique, so every type is compared. When a stage
//!   limit stops the refinement, the probabilities of the types left unfixed are not determined by the
//!   problem (any optimal solution of the last stage is valid, and each procedure returns a different one:
//!   an interior point there, a vertex here), so what is compared is what the problem determines: the
//!   types `/2` fixed, and each stage's level; every type left unfixed must reach the last level in both.
mod common;

use common::generated::{random_pool, synthetic_pool};
use maeul_sortition::{FORMAT, FORMAT_V1, Instance, Lottery, sha256_hex};
use serde_json::Value;

const V1_TOLERANCE: f64 = 1e-9;
const V2_TOLERANCE: f64 = 1e-6;
/// Differences below this are the reference's round-off, not a different answer: the interior-point
/// master is accurate to about 1e-8 (its duality-gap tolerance), the simplex to about 1e-12.
const ROUND_OFF: f64 = 1e-8;

struct Case {
    name: String,
    instance: Instance,
    complete: bool,
    probabilities: Vec<f64>,
}

/// Rebuilds an instance from its name in the reference (the names say how), in format `/1` as it was.
fn rebuild(name: &str) -> Instance {
    let (base, stages) = match name.split_once(" stages ") {
        Some((base, stages)) => (base, Some(stages.parse::<u32>().expect("stage count"))),
        None => (name, None),
    };
    let mut instance = if base == "fixture small-council.json" {
        common::fixture("small-council.json")
    } else if let Some(seed) = base
        .strip_prefix("random_pool(")
        .and_then(|s| s.strip_suffix(')'))
    {
        random_pool(seed.parse().expect("seed"))
    } else if let Some(args) = base
        .strip_prefix("synthetic_pool(")
        .and_then(|s| s.strip_suffix(')'))
    {
        let (applicants, seats) = args.split_once(", ").expect("two arguments");
        synthetic_pool(
            applicants.parse().expect("applicants"),
            seats.parse().expect("seats"),
        )
    } else {
        panic!("unknown reference case {name}");
    };
    instance.leximin_max_stages = stages;
    instance.format = FORMAT_V1.into();
    instance
}

fn cases() -> Vec<Case> {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/leximin-reference.json"
    );
    let document: Value =
        serde_json::from_str(&std::fs::read_to_string(path).expect("reference file")).unwrap();
    let cases: Vec<Case> = document["cases"]
        .as_array()
        .unwrap()
        .iter()
        .map(|case| {
            let name = case["name"].as_str().unwrap().to_string();
            let instance = rebuild(&name);
            assert_eq!(
                sha256_hex(instance.to_json_string().as_bytes()),
                case["instance_sha256"].as_str().unwrap(),
                "{name}: the generator no longer builds the reference instance"
            );
            Case {
                name,
                instance,
                complete: case["complete"].as_bool().unwrap(),
                probabilities: case["type_probabilities"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|p| p.as_f64().unwrap())
                    .collect(),
            }
        })
        .collect();
    assert!(cases.len() >= 40, "the reference lost cases");
    cases
}

fn prepare(instance: &Instance, format: &str) -> Lottery {
    let mut instance = instance.clone();
    instance.format = format.into();
    Lottery::prepare(&instance).unwrap_or_else(|e| panic!("{e}"))
}

/// Largest difference between `/2` and the reference over what the problem determines: every type when the
/// leximin is complete; otherwise every type `/2` fixed (its stage pinned it), and each stage's level, which
/// in the reference is the smallest probability among the types not fixed by an earlier stage. Every type
/// left unfixed must reach the last stage's level in both.
fn compare_v2(case: &Case, lottery: &Lottery) -> f64 {
    let ours = &lottery.distribution.type_probabilities;
    assert_eq!(ours.len(), case.probabilities.len(), "{}", case.name);
    let stats = &lottery.stats;
    if case.complete {
        assert!(
            stats.complete,
            "{}: the reference is complete, /2 is not",
            case.name
        );
    }
    let mut worst = 0.0f64;
    if stats.complete && case.complete {
        for (p, reference) in ours.iter().zip(&case.probabilities) {
            worst = worst.max((p - reference).abs());
        }
        return worst;
    }
    let mut certified = 0;
    for (t, stage) in stats.type_stages.iter().enumerate() {
        if stage.is_some() {
            worst = worst.max((ours[t] - case.probabilities[t]).abs());
            certified += 1;
        }
    }
    assert!(certified > 0, "{}: no type fixed", case.name);
    for (s, level) in stats.stage_levels.iter().enumerate() {
        let reference_level = (0..ours.len())
            .filter(|&t| stats.type_stages[t].is_none_or(|fixed| fixed > s))
            .map(|t| case.probabilities[t])
            .fold(f64::INFINITY, f64::min);
        worst = worst.max((level - reference_level).abs());
    }
    let last_level = *stats.stage_levels.last().expect("at least one stage");
    for (t, (&p, &reference)) in ours.iter().zip(&case.probabilities).enumerate() {
        if stats.type_stages[t].is_some() {
            continue;
        }
        assert!(
            p >= last_level - 1e-9 && reference >= last_level - V2_TOLERANCE,
            "{}: type {t} below the last stage level {last_level}: /2 {p}, reference {reference}",
            case.name
        );
    }
    worst
}

#[test]
fn format_1_still_reproduces_the_reference() {
    let mut checked = 0;
    for case in cases() {
        if case.instance.applicants.len() > 500 {
            continue; // The interior-point master needs seconds to minutes there: see the ignored test.
        }
        let lottery = prepare(&case.instance, FORMAT_V1);
        for (t, (p, reference)) in lottery
            .distribution
            .type_probabilities
            .iter()
            .zip(&case.probabilities)
            .enumerate()
        {
            assert!(
                (p - reference).abs() <= V1_TOLERANCE,
                "{}: type {t}: {p} vs reference {reference}",
                case.name
            );
        }
        checked += 1;
    }
    assert!(checked >= 40, "only {checked} cases checked");
}

#[test]
#[ignore = "the interior-point master takes ≈ 30 s of CPU on these pools; run with --ignored"]
fn format_1_still_reproduces_the_reference_on_the_benchmark_pools() {
    for case in cases()
        .into_iter()
        .filter(|c| c.instance.applicants.len() > 500)
    {
        let lottery = prepare(&case.instance, FORMAT_V1);
        for (p, reference) in lottery
            .distribution
            .type_probabilities
            .iter()
            .zip(&case.probabilities)
        {
            assert!((p - reference).abs() <= V1_TOLERANCE, "{}", case.name);
        }
    }
}

/// The distribution is a lottery over quota-meeting compositions whose selection probabilities are the
/// ones reported.
fn assert_valid(case: &Case, lottery: &Lottery) {
    let pool = &lottery.pool;
    let mut recomputed = vec![0.0; pool.types.len()];
    let mut total = 0.0;
    for composition in &lottery.distribution.compositions {
        assert!(
            pool.composition_meets_quotas(&composition.seats),
            "{}",
            case.name
        );
        total += composition.probability;
        for (t, &s) in composition.seats.iter().enumerate() {
            recomputed[t] += composition.probability * s as f64 / pool.types[t].size() as f64;
        }
    }
    assert!(
        (total - 1.0).abs() < 1e-9,
        "{}: weights sum to {total}",
        case.name
    );
    for (r, p) in recomputed
        .iter()
        .zip(&lottery.distribution.type_probabilities)
    {
        assert!((r - p).abs() < 1e-9, "{}", case.name);
    }
}

/// Whether the applicants' sorted probability vector of `a` is lexicographically above that of `b` (the
/// first entry differing by more than `tolerance` decides).
fn lexicographically_above(a: &[f64], b: &[f64], sizes: &[u32], tolerance: f64) -> bool {
    let expand = |probabilities: &[f64]| {
        let mut all: Vec<f64> = probabilities
            .iter()
            .zip(sizes)
            .flat_map(|(&p, &n)| std::iter::repeat_n(p, n as usize))
            .collect();
        all.sort_by(f64::total_cmp);
        all
    };
    expand(a)
        .iter()
        .zip(expand(b))
        .find(|(x, y)| (*x - y).abs() > tolerance)
        .is_some_and(|(x, y)| *x > y)
}

#[test]
fn format_2_agrees_with_the_reference() {
    let mut report = Vec::new();
    let mut reference_not_optimal = Vec::new();
    for case in cases() {
        let lottery = prepare(&case.instance, FORMAT);
        assert_valid(&case, &lottery);
        let worst = compare_v2(&case, &lottery);
        report.push(format!(
            "{}: {} stages, max difference {worst:.2e}",
            case.name, lottery.stats.stages
        ));
        if worst <= V2_TOLERANCE {
            continue;
        }
        // A larger difference is acceptable only where the reference was not the leximin optimum: /2's
        // valid distribution is lexicographically above it, the first difference beyond round-off deciding
        // (an earlier level the interior point fixed a little too low frees seats that raise a later level
        // by far more: 1e-7 on 158 applicants is 2e-6 on 7). Anything else is a failure of /2.
        // With a stage limit only the vector cut at the last stage's level is ordered by the leximin.
        let sizes: Vec<u32> = lottery.pool.types.iter().map(|t| t.size()).collect();
        let cut = if lottery.stats.complete {
            f64::INFINITY
        } else {
            *lottery.stats.stage_levels.last().expect("a stage")
        };
        let truncated = |probabilities: &[f64]| -> Vec<f64> {
            probabilities.iter().map(|p| p.min(cut)).collect()
        };
        assert!(
            lexicographically_above(
                &truncated(&lottery.distribution.type_probabilities),
                &truncated(&case.probabilities),
                &sizes,
                ROUND_OFF
            ),
            "{}: /2 differs from the reference by {worst} and is not better\n{}",
            case.name,
            report.join("\n")
        );
        reference_not_optimal.push(case.name.clone());
    }
    println!("{}", report.join("\n"));
    if !reference_not_optimal.is_empty() {
        println!(
            "the reference (interior-point master) was not the leximin optimum on: {} — /2's valid \
             distribution is lexicographically above it there (see format_2_agrees_with_the_reference)",
            reference_not_optimal.join(", ")
        );
    }
    // These are rare; many would point at a flaw in the comparison rather than in the reference.
    assert!(
        reference_not_optimal.len() <= 5,
        "{reference_not_optimal:?}"
    );
}
