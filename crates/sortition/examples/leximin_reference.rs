//! Writes the leximin selection probabilities this engine computes for a fixed set of instances, as the
//! reference the tests compare other leximin implementations (master strategies) against.
//!
//! `cargo run --release -p maeul-sortition --example leximin_reference -- OUT.json [--skip-large]`
//!
//! The instances are rebuilt by the tests from the same generators (`tests/common/generated.rs`); each entry
//! carries the SHA-256 of its instance's canonical JSON so that a changed generator is noticed instead of
//! silently comparing different pools. `tests/fixtures/leximin-reference.json` was written by this program
//! with the interior-point master of format `maeul-sortition/1` (see that file's `generated_by`).
use maeul_sortition::{Instance, Lottery, Pool, check_feasibility, sha256_hex};
use serde_json::{Value, json};

#[path = "../tests/common/generated.rs"]
mod generated;

/// The reference cases: (name, instance). Names say how to rebuild the instance.
pub fn cases(include_large: bool) -> Vec<(String, Instance)> {
    let mut cases = Vec::new();
    let fixture = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/small-council.json"
    ))
    .expect("fixture");
    cases.push((
        "fixture small-council.json".to_string(),
        Instance::from_json_str(&fixture).expect("fixture parses"),
    ));
    let mut feasible = 0;
    for seed in 0..200u64 {
        if feasible == 30 {
            break;
        }
        let instance = generated::random_pool(seed);
        let Ok(pool) = Pool::new(&instance) else {
            continue;
        };
        if !check_feasibility(&pool).expect("solver").is_feasible() {
            continue;
        }
        feasible += 1;
        // Every fifth pool also with 1 stage, every fifth (offset) with 2: stage-limited runs.
        if feasible % 5 == 1 {
            let mut limited = instance.clone();
            limited.leximin_max_stages = Some(1);
            cases.push((format!("random_pool({seed}) stages 1"), limited));
        }
        if feasible % 5 == 3 {
            let mut limited = instance.clone();
            limited.leximin_max_stages = Some(2);
            cases.push((format!("random_pool({seed}) stages 2"), limited));
        }
        cases.push((format!("random_pool({seed})"), instance));
    }
    cases.push((
        "synthetic_pool(1000, 50)".to_string(),
        generated::synthetic_pool(1000, 50),
    ));
    if include_large {
        cases.push((
            "synthetic_pool(10000, 50)".to_string(),
            generated::synthetic_pool(10_000, 50),
        ));
    }
    cases
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let out = args.first().expect("usage: leximin_reference OUT.json");
    let include_large = !args.iter().any(|a| a == "--skip-large");
    let mut entries: Vec<Value> = Vec::new();
    for (name, instance) in cases(include_large) {
        let started = std::time::Instant::now();
        let lottery = Lottery::prepare(&instance).unwrap_or_else(|e| panic!("{name}: {e}"));
        eprintln!(
            "{name}: {} types, {} stages{}, {:.2} s",
            lottery.pool.types.len(),
            lottery.stats.stages,
            if lottery.stats.complete {
                " (complete)"
            } else {
                ""
            },
            started.elapsed().as_secs_f64()
        );
        entries.push(json!({
            "name": name,
            "instance_sha256": sha256_hex(instance.to_json_string().as_bytes()),
            "types": lottery.pool.types.len(),
            "stages": lottery.stats.stages,
            "complete": lottery.stats.complete,
            "type_probabilities": lottery.distribution.type_probabilities,
        }));
    }
    let document = json!({
        "generated_by": std::env::var("LEXIMIN_REFERENCE_LABEL")
            .unwrap_or_else(|_| "maeul-sortition leximin (label not given)".into()),
        "cases": entries,
    });
    std::fs::write(out, serde_json::to_string_pretty(&document).expect("JSON"))
        .expect("write the reference");
}
