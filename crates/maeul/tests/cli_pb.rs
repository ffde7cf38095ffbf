//! `maeul pb …` end to end, on the real fixtures of the maeul-pb crate (and on every shared file when present).
use std::path::PathBuf;
use std::process::{Command, Output};

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../pb/tests/fixtures")
        .join(name)
}

fn maeul(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_maeul"))
        .args(args)
        .output()
        .expect("the maeul binary runs")
}

fn stdout_json(output: &Output) -> serde_json::Value {
    assert!(
        output.status.success(),
        "failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("JSON on stdout")
}

fn expected(name: &str) -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(fixture(name)).unwrap()).unwrap()
}

#[test]
fn tally_json_prints_the_pabutools_outcome_in_selection_order() {
    let file = fixture("Netherlands_Assen_2024.pb");
    let reference = expected("Netherlands_Assen_2024.expected.json");
    for rule in ["mes_cost", "greedy_cost", "mes_cost_add1_greedy"] {
        let value = stdout_json(&maeul(&[
            "pb",
            "tally",
            file.to_str().unwrap(),
            "--rule",
            rule,
            "--json",
        ]));
        assert_eq!(value["rule"], rule);
        assert_eq!(
            value["selected"], reference["rules"][rule]["selection_order"],
            "{rule}"
        );
        assert_eq!(
            value["total_cost"], reference["rules"][rule]["total_cost"],
            "{rule}"
        );
        assert!(value["seconds"].as_f64().unwrap() >= 0.0);
        assert!(value.get("explanation").is_none());
    }
}

#[test]
fn tally_explain_says_why_in_json_and_text() {
    let file = fixture("Netherlands_Assen_2024.pb");
    let value = stdout_json(&maeul(&[
        "pb",
        "tally",
        file.to_str().unwrap(),
        "--rule",
        "mes_cost",
        "--json",
        "--explain",
    ]));
    let projects = value["explanation"]["projects"].as_array().unwrap();
    assert_eq!(projects.len(), 14);
    let funded = projects.iter().find(|p| p["project"] == "3").unwrap();
    assert_eq!(funded["fate"][0]["kind"], "mes_funded");
    assert_eq!(funded["fate"][0]["round"], 1);
    let text = maeul(&[
        "pb",
        "tally",
        file.to_str().unwrap(),
        "--rule",
        "mes_cost",
        "--explain",
    ]);
    let text = String::from_utf8(text.stdout).unwrap();
    assert!(text.contains("bought in round 1"), "{text}");
    assert!(text.contains("too little to pay for it"), "{text}");
    let greedy = String::from_utf8(
        maeul(&[
            "pb",
            "tally",
            file.to_str().unwrap(),
            "--rule",
            "greedy_cost",
            "--explain",
        ])
        .stdout,
    )
    .unwrap();
    assert!(greedy.contains("no longer fit"), "{greedy}");
}

#[test]
fn tally_official_reproduces_the_city_winners_of_assen() {
    let file = fixture("Netherlands_Assen_2024.pb");
    let value = stdout_json(&maeul(&[
        "pb",
        "tally",
        file.to_str().unwrap(),
        "--rule",
        "official",
        "--json",
    ]));
    let mut ours: Vec<String> = value["selected"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_string())
        .collect();
    ours.sort();
    let reference = expected("Netherlands_Assen_2024.expected.json");
    let theirs: Vec<String> = reference["file_selected"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p[0].as_str().unwrap().to_string())
        .collect();
    assert_eq!(ours, theirs);
}

#[test]
fn unknown_rule_and_inapplicable_rule_fail_with_a_reason() {
    let file = fixture("Netherlands_Assen_2024.pb");
    let output = maeul(&["pb", "tally", file.to_str().unwrap(), "--rule", "nonsense"]);
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("unknown rule"));
    let output = maeul(&[
        "pb",
        "tally",
        file.to_str().unwrap(),
        "--rule",
        "greedy_borda",
    ]);
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("does not apply"));
}

#[test]
fn check_accepts_real_files_and_reports_broken_ones_with_their_line() {
    let output = maeul(&[
        "pb",
        "check",
        fixture("Poland_Czestochowa_2020_Bleszno.pb")
            .to_str()
            .unwrap(),
    ]);
    assert!(output.status.success());
    assert!(String::from_utf8_lossy(&output.stdout).contains("readable: 17 projects, 462 voters"));
    let dir = std::env::temp_dir().join(format!("maeul-cli-pb-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let broken = dir.join("broken.pb");
    std::fs::write(&broken, "META\nkey;value\nbudget;100\nvote_type;approval\nPROJECTS\nproject_id;cost\n1;50\nVOTES\nvoter_id;vote\nv1;1,7\n").unwrap();
    let output = maeul(&["pb", "check", broken.to_str().unwrap()]);
    assert!(!output.status.success());
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout.contains("line 10") && stdout.contains("unknown project \"7\""),
        "{stdout}"
    );
    let invalid = dir.join("invalid_ballot.pb");
    std::fs::write(&invalid, "META\nkey;value\nbudget;100\nvote_type;approval\nmax_length;1\nPROJECTS\nproject_id;cost\n1;50\n2;60\nVOTES\nvoter_id;vote\nv1;1,2\n").unwrap();
    let output = maeul(&["pb", "check", invalid.to_str().unwrap()]);
    assert!(output.status.success());
    assert!(String::from_utf8_lossy(&output.stdout).contains("at most 1 allowed"));
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn stats_summarises_a_file() {
    let file = fixture("US_Stanford_Dataset_Merced_Peoples_Budget_Ballot_2019_vote_rankings.pb");
    let value = stdout_json(&maeul(&["pb", "stats", file.to_str().unwrap(), "--json"]));
    assert_eq!(value["voters"], 100);
    assert_eq!(value["projects"], 8);
    assert_eq!(value["vote_type"], "ordinal");
    let text = String::from_utf8(maeul(&["pb", "stats", file.to_str().unwrap()]).stdout).unwrap();
    assert!(text.contains("voters: 100"), "{text}");
}

/// The CLI reads and counts every shared file (reported as ignored when ../shared is absent outside CI: the
/// build script sets `cfg(shared_data_absent)`).
#[test]
#[cfg_attr(shared_data_absent, ignore = "needs the shared data (../shared)")]
fn cli_works_on_every_shared_file() {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let shared = std::env::var_os("MAEUL_SHARED")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            manifest
                .ancestors()
                .map(|a| a.join("shared"))
                .find(|s| s.join("data").is_dir())
                .unwrap_or_else(|| manifest.join("../../../shared"))
        });
    let dir = shared.join("data/pabulib");
    assert!(
        dir.is_dir(),
        "shared pabulib data absent at {}",
        dir.display()
    );
    let mut count = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().and_then(|e| e.to_str()) != Some("pb") {
            continue;
        }
        let file = path.to_str().unwrap();
        assert!(
            maeul(&["pb", "check", file]).status.success(),
            "check {file}"
        );
        let value = stdout_json(&maeul(&[
            "pb",
            "tally",
            file,
            "--rule",
            "greedy_cost",
            "--json",
        ]));
        assert!(!value["selected"].as_array().unwrap().is_empty(), "{file}");
        assert!(
            maeul(&["pb", "stats", file]).status.success(),
            "stats {file}"
        );
        count += 1;
    }
    assert_eq!(count, 20);
}

#[test]
fn tally_all_counts_every_rule_in_one_process_like_the_single_rule_tallies() {
    let file = fixture("Netherlands_Assen_2024.pb");
    let reference = expected("Netherlands_Assen_2024.expected.json");
    let output = maeul(&[
        "pb",
        "tally",
        file.to_str().unwrap(),
        "--rule",
        "all",
        "--json",
    ]);
    // Not a terminal: no progress drawn on stderr.
    assert!(
        output.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let value = stdout_json(&output);
    let rules = value["rules"].as_array().unwrap();
    assert_eq!(rules.len(), 13);
    let mut compared = 0;
    for entry in rules {
        let rule = entry["rule"].as_str().unwrap();
        match reference["rules"].get(rule) {
            Some(expected) if expected["status"] == "ok" => {
                let order = if rule == "phragmen" {
                    "selected"
                } else {
                    "selection_order"
                };
                let mut ours = entry["selected"].clone();
                if rule == "phragmen" {
                    let mut ids: Vec<String> = serde_json::from_value(ours).unwrap();
                    ids.sort();
                    ours = serde_json::json!(ids);
                }
                assert_eq!(ours, expected[order], "{rule}");
                assert_eq!(entry["total_cost"], expected["total_cost"], "{rule}");
                compared += 1;
            }
            _ => assert!(entry.get("error").is_some(), "{rule}: {entry}"),
        }
    }
    assert!(compared >= 10, "only {compared} rules compared");
    let text = maeul(&["pb", "tally", file.to_str().unwrap(), "--rule", "all"]);
    let text = String::from_utf8(text.stdout).unwrap();
    assert!(
        text.contains("rule: mes_cost_add1") && text.contains("not applied"),
        "{text}"
    );
}

/// `pb check` remarks on a voter id used on several rows (pabutools counts each row as a ballot).
#[test]
fn check_warns_about_repeated_voter_ids() {
    let dir = std::env::temp_dir().join(format!("maeul-cli-pb-voters-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("repeated.pb");
    std::fs::write(&file, "META\nkey;value\nbudget;100\nvote_type;approval\nPROJECTS\nproject_id;cost\n1;50\n2;60\nVOTES\nvoter_id;vote\nv1;1\nv2;2\nv1;2\n").unwrap();
    let output = maeul(&["pb", "check", file.to_str().unwrap()]);
    assert!(output.status.success());
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout.contains("voter_id \"v1\"") && stdout.contains("1 remark(s)"),
        "{stdout}"
    );
    std::fs::remove_dir_all(&dir).ok();
}
