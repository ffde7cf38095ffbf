//! Fuzzing of the lottery input (`maeul-sortition/1` and `/2` JSON) with the stable toolchain: a
//! structure-aware mutation loop, run by `fuzz/run.sh`.
//!
//! `fuzz_input SECONDS [SEED]` starts from the fixtures and small generated pools, mutates them as JSON
//! values (numbers set to extremes or negatives, strings emptied or duplicated, entries removed, duplicated
//! or swapped, keys dropped or added) and as bytes, and runs the whole pipeline on each mutant: parse,
//! validate, check feasibility, and for small feasible pools compute the leximin probabilities and draw.
//! Input may be refused with a message; nothing may panic; an accepted lottery must give probabilities in
//! [0, 1] summing to the panel size and a panel and reserves that meet the quotas. A failing input is
//! written to `fuzz-input-failure-*.json` and the program exits with status 1.
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::time::{Duration, Instant};

use maeul_sortition::draw::{DrawRng, seed_digest};
use maeul_sortition::{FORMAT_V1, Instance, Lottery, Pool, check_feasibility};
use serde_json::Value;

#[path = "../tests/common/generated.rs"]
mod generated;

fn below(rng: &mut DrawRng, n: usize) -> usize {
    if n == 0 { 0 } else { rng.below(n) }
}

const HOSTILE_NUMBERS: &[f64] = &[0.0, 1.0, -1.0, 2.0, 0.5, 1e300, -1e300, 4294967296.0, 1e-9];

fn mutate_value(rng: &mut DrawRng, value: &mut Value, depth: usize) {
    match value {
        Value::Object(map) if !map.is_empty() => {
            let keys: Vec<String> = map.keys().cloned().collect();
            let key = &keys[below(rng, keys.len())];
            match below(rng, 6) {
                0 => {
                    map.remove(key);
                }
                1 => {
                    map.insert(format!("{key}_extra"), Value::Null);
                }
                _ => mutate_value(rng, map.get_mut(key).expect("key"), depth + 1),
            }
        }
        Value::Array(items) => match below(rng, 5) {
            0 if !items.is_empty() => {
                items.remove(below(rng, items.len()));
            }
            1 if !items.is_empty() => {
                let item = items[below(rng, items.len())].clone();
                items.push(item);
            }
            2 if items.len() > 1 => {
                let (i, j) = (below(rng, items.len()), below(rng, items.len()));
                items.swap(i, j);
            }
            _ if !items.is_empty() && depth < 8 => {
                let i = below(rng, items.len());
                mutate_value(rng, &mut items[i], depth + 1);
            }
            _ => items.clear(),
        },
        Value::Number(_) => {
            *value = serde_json::json!(HOSTILE_NUMBERS[below(rng, HOSTILE_NUMBERS.len())]);
            if below(rng, 2) == 0 {
                *value = serde_json::json!(below(rng, 60) as u64);
            }
        }
        Value::String(text) => match below(rng, 4) {
            0 => text.clear(),
            1 => text.push_str(&text.clone()),
            2 => *text = "maeul-sortition/3".into(),
            _ => text.push('\u{1F600}'),
        },
        _ => *value = serde_json::json!(below(rng, 3) as u64),
    }
}

/// The whole pipeline on one input text.
fn check(text: &str) {
    let Ok(instance) = Instance::from_json_str(text) else {
        return;
    };
    let Ok(pool) = Pool::new(&instance) else {
        return;
    };
    let Ok(report) = check_feasibility(&pool) else {
        return;
    };
    if !report.is_feasible() || pool.types.len() > 40 || pool.applicant_count() > 300 {
        return;
    }
    let Ok(lottery) = Lottery::prepare(&instance) else {
        return; // a solver failure is reported, not a panic
    };
    let probabilities = lottery.distribution.applicant_probabilities(&lottery.pool);
    let sum: f64 = probabilities.iter().sum();
    assert!(
        (sum - f64::from(pool.panel_size)).abs() < 1e-6,
        "probabilities sum to {sum}"
    );
    assert!(
        probabilities
            .iter()
            .all(|p| (-1e-9..=1.0 + 1e-9).contains(p))
    );
    let outcome = lottery.draw("fuzz seed");
    assert!(lottery.pool.panel_meets_quotas(&outcome.panel));
    assert!(outcome.reserves.iter().all(|r| !outcome.panel.contains(r)));
}

fn main() {
    let mut args = std::env::args().skip(1);
    let seconds: u64 = args.next().map_or(30, |s| s.parse().expect("SECONDS"));
    let seed: u64 = args.next().map_or(0x5EED, |s| s.parse().expect("SEED"));
    let fixtures = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures");
    let mut corpus: Vec<Value> = ["small-council.json", "infeasible-minimums.json"]
        .iter()
        .map(|name| {
            let text = std::fs::read_to_string(format!("{fixtures}/{name}")).expect("fixture");
            serde_json::from_str(&text).expect("fixture JSON")
        })
        .collect();
    for pool_seed in 0..6 {
        let mut instance = generated::random_pool(pool_seed);
        if pool_seed % 2 == 0 {
            instance.format = FORMAT_V1.into();
        }
        corpus.push(serde_json::to_value(&instance).expect("serialises"));
    }
    std::panic::set_hook(Box::new(|_| {})); // failures are reported below, with the input
    let mut rng = DrawRng::new(seed_digest(&format!("fuzz_input {seed}")));
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let mut runs = 0u64;
    while Instant::now() < deadline {
        let mut value = corpus[below(&mut rng, corpus.len())].clone();
        for _ in 0..1 + below(&mut rng, 3) {
            mutate_value(&mut rng, &mut value, 0);
        }
        let mut text = value.to_string();
        if below(&mut rng, 4) == 0 && !text.is_empty() {
            // Byte-level damage too: the parser must name the place, not panic.
            let i = below(&mut rng, text.len());
            if text.is_char_boundary(i) {
                text.insert(i, ['"', '}', ',', '\\', '0'][below(&mut rng, 5)]);
            }
        }
        if catch_unwind(AssertUnwindSafe(|| check(&text))).is_err() {
            let out = format!("fuzz-input-failure-{seed}-{runs}.json");
            std::fs::write(&out, &text).expect("write the failing input");
            eprintln!(
                "fuzz_input: the pipeline panicked (input saved to {out}; seed {seed}, run {runs})"
            );
            std::process::exit(1);
        }
        runs += 1;
    }
    println!("fuzz_input: {runs} inputs in {seconds} s, no panic (seed {seed})");
}
