//! `official` (the rule named in META `rule`) against each shared file's own winners (PROJECTS `selected`).
//! Files whose winners cannot be reproduced from their data are listed with the reason, and the test checks that
//! the reason still holds (so a fix shows up as a failure to update this list).
mod common;

use maeul_pb::official::{file_winners, official};
use maeul_pb::{Profile, read_path};

/// (file stem, why the published winners differ from what the file's rule gives on the file's votes).
const NOT_REPRODUCIBLE: &[(&str, &str)] = &[(
    "Poland_Wieliczka_2023_Green_Budget",
    "the city ran the equalshares.net tool (Add1 + comparison with greedy), whose tie-breaking and Add1 steps differ \
     from pabutools (pb-semantics.md 6.4) and whose configuration is not in the file; on the published votes Add1 \
     funds projects 66 and 67 (9,000 + 16,500 PLN) where the city funded 46 (36,000 PLN); an integer-step, \
     all-projects-exhaustive Add1 gives 66 and 67 as well (tried)",
)];

#[test]
#[cfg_attr(shared_data_absent, ignore = "needs the shared data (../shared)")]
fn official_rule_reproduces_the_published_winners() {
    let files = common::shared_files();
    let mut report = Vec::new();
    let mut failures = Vec::new();
    for (name, path, _) in &files {
        let election = read_path(path).unwrap().election;
        let Some(mut published) = file_winners(&election) else {
            report.push(format!("{name}: no `selected` column"));
            continue;
        };
        published.sort();
        let profile = Profile::new(&election);
        let rule = election.meta_value("rule").unwrap_or("unknown").to_string();
        let documented = NOT_REPRODUCIBLE.iter().find(|(stem, _)| stem == name);
        match official(&election, &profile) {
            Err(e) => report.push(format!("{name}: rule {rule:?} not supported: {e}")),
            Ok(outcome) => {
                let mut ours: Vec<String> = outcome
                    .selected
                    .iter()
                    .map(|&p| profile.ids[p as usize].clone())
                    .collect();
                ours.sort();
                let only_ours: Vec<&String> =
                    ours.iter().filter(|p| !published.contains(p)).collect();
                let only_published: Vec<&String> =
                    published.iter().filter(|p| !ours.contains(p)).collect();
                let same = only_ours.is_empty() && only_published.is_empty();
                match (same, documented) {
                    (true, None) => report.push(format!(
                        "{name}: {rule}: reproduced ({} winners)",
                        ours.len()
                    )),
                    (true, Some(_)) => failures.push(format!(
                        "{name}: now reproduced; remove it from NOT_REPRODUCIBLE"
                    )),
                    (false, Some((_, why))) => {
                        report.push(format!("{name}: {rule}: not reproduced, documented: {why}"))
                    }
                    (false, None) => failures.push(format!(
                        "{name}: {rule}: only ours {only_ours:?}, only published {only_published:?}"
                    )),
                }
            }
        }
    }
    eprintln!("{}", report.join("\n"));
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    {
        // The elections that must be reproduced: every greedy family rule and the MES city (Assen) in the set.
        for must in [
            "Netherlands_Assen_2024",
            "Poland_Warszawa_2026",
            "Poland_Krakow_2022",
            "Poland_Wroclaw_2017",
        ] {
            assert!(
                report
                    .iter()
                    .any(|line| line.starts_with(must) && line.contains("reproduced (")),
                "{must}"
            );
        }
    }
}
