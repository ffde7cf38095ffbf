//! Times parsing and every applicable rule on each file given; one JSON object per line on stdout.
//! Used by `bench/pb/run.sh`: `cargo run --release -p maeul-pb --example pb_bench -- FILE... [--rules r1,r2]`.
//! `--all-in-one` runs every rule in one call of `rules::run_all` (as `maeul pb tally FILE --rule all` does: each
//! iterated base computed once for a rule and its completion) and prints one line with the total time.
use maeul_pb::{Rule, read_path_for_counting, rules};
use std::time::Instant;

fn main() {
    let mut files = Vec::new();
    let mut only: Option<Vec<String>> = None;
    let mut all_in_one = false;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        if arg == "--all-in-one" {
            all_in_one = true;
        } else if arg == "--rules" {
            only = Some(
                args.next()
                    .expect("--rules needs a list")
                    .split(',')
                    .map(str::to_string)
                    .collect(),
            );
        } else {
            files.push(arg);
        }
    }
    for file in files {
        let started = Instant::now();
        let counted = match read_path_for_counting(&file) {
            Ok(counted) => counted,
            Err(e) => {
                println!(
                    "{}",
                    serde_json::json!({"file": file, "error": e.to_string()})
                );
                continue;
            }
        };
        let profile = counted.profile;
        let parse_seconds = started.elapsed().as_secs_f64();
        println!(
            "{}",
            serde_json::json!({"file": file, "parse_seconds": parse_seconds, "voters": profile.num_voters,
                "distinct_ballots": profile.ballots.len()})
        );
        if all_in_one {
            let started = Instant::now();
            let results = rules::run_all(&profile, rules::RunOptions::default());
            let seconds = started.elapsed().as_secs_f64();
            let ran = results.iter().filter(|(_, r)| r.is_ok()).count();
            println!(
                "{}",
                serde_json::json!({"file": file, "rule": "all", "seconds": seconds, "rules_run": ran})
            );
            continue;
        }
        for rule in Rule::ALL {
            if !rule.accepts(profile.vote_type)
                || only
                    .as_ref()
                    .is_some_and(|o| !o.iter().any(|r| r == rule.name()))
            {
                continue;
            }
            let started = Instant::now();
            let outcome = rules::run(&profile, rule).expect("accepted rule runs");
            let seconds = started.elapsed().as_secs_f64();
            let selected: Vec<&str> = outcome
                .selected
                .iter()
                .map(|&p| profile.ids[p as usize].as_str())
                .collect();
            println!(
                "{}",
                serde_json::json!({"file": file, "rule": rule.name(), "seconds": seconds, "selected": selected,
                    "total_cost": outcome.total_cost.to_string(), "notes": outcome.explanation.notes})
            );
        }
    }
}
