//! Every shared pabulib file × every rule pabutools 1.2.3 finished: the same selected set and the same selection
//! order (Phragmén: the same set, pabutools returns it sorted). All mismatches are listed before failing.
mod common;

use maeul_pb::{Profile, Rule, read_path, rules};
use std::time::Instant;

#[test]
#[cfg_attr(shared_data_absent, ignore = "needs the shared data (../shared)")]
fn every_rule_matches_pabutools_on_every_shared_file() {
    let files = common::shared_files();
    let mut mismatches = Vec::new();
    let mut compared = 0;
    for (name, path, expected) in &files {
        let parsed = read_path(path).unwrap_or_else(|e| panic!("{name}: {e}"));
        let profile = Profile::new(&parsed.election);
        for (key, entry) in expected["rules"].as_object().expect("rules object") {
            if entry["status"] != "ok" {
                continue;
            }
            let rule =
                Rule::from_name(key).unwrap_or_else(|| panic!("{name}: unknown rule key {key}"));
            let started = Instant::now();
            let outcome = match rules::run(&profile, rule) {
                Ok(outcome) => outcome,
                Err(e) => {
                    mismatches.push(format!("{name} {key}: {e}"));
                    continue;
                }
            };
            let seconds = started.elapsed().as_secs_f64();
            compared += 1;
            let ours: Vec<String> = outcome
                .selected
                .iter()
                .map(|&p| profile.ids[p as usize].clone())
                .collect();
            let theirs: Vec<String> = match entry["selection_order"].as_array() {
                Some(order) if rule != Rule::Phragmen => order
                    .iter()
                    .map(|v| v.as_str().unwrap().to_string())
                    .collect(),
                _ => entry["selected"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|v| v.as_str().unwrap().to_string())
                    .collect(),
            };
            let ours_cmp = if rule == Rule::Phragmen {
                let mut sorted = ours.clone();
                sorted.sort();
                sorted
            } else {
                ours.clone()
            };
            if ours_cmp != theirs {
                let position = ours_cmp
                    .iter()
                    .zip(&theirs)
                    .position(|(a, b)| a != b)
                    .unwrap_or(ours_cmp.len().min(theirs.len()));
                mismatches.push(format!(
                    "{name} {key}: first difference at position {position}: ours {:?}, pabutools {:?} (ours {ours_cmp:?}, pabutools {theirs:?})",
                    ours_cmp.get(position),
                    theirs.get(position)
                ));
            } else if outcome.total_cost.to_string() != entry["total_cost"].as_str().unwrap() {
                mismatches.push(format!(
                    "{name} {key}: total cost {} vs {}",
                    outcome.total_cost, entry["total_cost"]
                ));
            }
            if seconds > 0.5 {
                eprintln!("{name} {key}: {seconds:.2}s");
            }
        }
    }
    eprintln!(
        "{compared} (file, rule) outcomes compared over {} files",
        files.len()
    );
    assert!(compared > 0, "no outcome was compared");
    assert!(
        mismatches.is_empty(),
        "{} mismatches:\n{}",
        mismatches.len(),
        mismatches.join("\n")
    );
}
