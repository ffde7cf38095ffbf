//! End-to-end tests of `maeul sortition …` on the engine's fixtures (synthetic data, see
//! crates/sortition/tests/fixtures/README.md).
use std::path::PathBuf;
use std::process::{Command, Output};

use serde_json::Value;

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../sortition/tests/fixtures")
        .join(name)
}

fn maeul(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_maeul"))
        .args(args)
        .output()
        .expect("run maeul")
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn json(output: &Output) -> Value {
    assert!(output.status.success(), "stderr: {}", stderr(output));
    serde_json::from_slice(&output.stdout).expect("JSON output")
}

fn ids(value: &Value, key: &str) -> Vec<String> {
    value[key]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["id"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn check_accepts_a_feasible_call_and_rejects_an_infeasible_one() {
    let small = fixture("small-council.json");
    let output = maeul(&["sortition", "check", small.to_str().unwrap()]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(
        stdout(&output).contains("36 applicants"),
        "{}",
        stdout(&output)
    );
    assert!(stdout(&output).contains("feasible: some panel meets every quota"));

    let infeasible = fixture("infeasible-minimums.json");
    let output = maeul(&["sortition", "check", infeasible.to_str().unwrap()]);
    assert!(!output.status.success());
    assert!(
        stdout(&output).contains("feature age_band: minimums sum to 21 > 12 seats"),
        "{}",
        stdout(&output)
    );
    assert!(
        stderr(&output).contains("the quotas cannot be met"),
        "{}",
        stderr(&output)
    );

    let output = maeul(&["sortition", "check", infeasible.to_str().unwrap(), "--json"]);
    assert!(!output.status.success());
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(report["feasible"], false);
    let kinds: Vec<&str> = report["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["kind"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds,
        ["category_short_of_applicants", "minimums_exceed_panel"]
    );
    assert_eq!(
        report["problems"][1]["message"],
        "feature age_band: minimums sum to 21 > 12 seats"
    );
}

#[test]
fn an_infeasible_call_is_refused_before_any_draw() {
    let infeasible = fixture("infeasible-minimums.json");
    let output = maeul(&[
        "sortition",
        "draw",
        infeasible.to_str().unwrap(),
        "--seed-text",
        "x",
        "--json",
    ]);
    assert!(!output.status.success());
    assert!(
        output.stdout.is_empty(),
        "nothing may be printed as a draw: {}",
        stdout(&output)
    );
    assert!(
        stderr(&output).contains("min 11 but only 10 applicants"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn malformed_input_is_reported_with_its_line() {
    let dir = std::env::temp_dir().join(format!("maeul-sortition-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("broken.json");
    std::fs::write(
        &path,
        "{\n  \"format\": \"maeul-sortition/1\",\n  \"panel_size\": ,\n}",
    )
    .unwrap();
    let output = maeul(&["sortition", "check", path.to_str().unwrap()]);
    assert!(!output.status.success());
    assert!(stderr(&output).contains("line 3"), "{}", stderr(&output));
}

#[test]
fn probabilities_sum_to_the_panel_size_and_leximin_beats_uniform() {
    let small = fixture("small-council.json");
    let leximin = json(&maeul(&[
        "sortition",
        "probabilities",
        small.to_str().unwrap(),
        "--json",
    ]));
    let sum: f64 = leximin["probabilities"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["probability"].as_f64().unwrap())
        .sum();
    assert!((sum - 12.0).abs() < 1e-6, "{sum}");
    assert_eq!(leximin["probabilities"].as_array().unwrap().len(), 36);

    let uniform = json(&maeul(&[
        "sortition",
        "probabilities",
        small.to_str().unwrap(),
        "--method",
        "uniform",
        "--json",
    ]));
    assert_eq!(uniform["exact"], true);
    let leximin_min = leximin["summary"]["minimum"].as_f64().unwrap();
    let uniform_min = uniform["summary"]["minimum"].as_f64().unwrap();
    assert!(
        leximin_min >= uniform_min - 1e-7,
        "leximin {leximin_min} < uniform {uniform_min}"
    );

    let text = maeul(&["sortition", "probabilities", small.to_str().unwrap()]);
    assert!(stdout(&text).contains("method: leximin"));
}

#[test]
fn the_draw_is_reproducible_from_the_published_data() {
    let small = fixture("small-council.json");
    let seed = "Lotto 6/45 draw 1200: 3 11 19 25 31 42 + 7 | example-dong-council-2026";
    let first = json(&maeul(&[
        "sortition",
        "draw",
        small.to_str().unwrap(),
        "--seed-text",
        seed,
        "--json",
    ]));
    assert_eq!(ids(&first, "panel").len(), 12);
    assert_eq!(ids(&first, "reserves").len(), 4);
    // SHA-256 of the seed text, as documented.
    assert_eq!(first["seed_text"], seed);
    assert_eq!(first["seed_sha256"].as_str().unwrap().len(), 64);

    // Anyone re-running from a re-serialised copy of the published input gets the same panel.
    let instance: Value = serde_json::from_str(&std::fs::read_to_string(&small).unwrap()).unwrap();
    let dir = std::env::temp_dir().join(format!("maeul-sortition-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let copy = dir.join("published.json");
    std::fs::write(&copy, serde_json::to_string(&instance).unwrap()).unwrap();
    let again = json(&maeul(&[
        "sortition",
        "draw",
        copy.to_str().unwrap(),
        "--seed-text",
        seed,
        "--json",
    ]));
    assert_eq!(ids(&first, "panel"), ids(&again, "panel"));
    assert_eq!(ids(&first, "reserves"), ids(&again, "reserves"));
    assert_eq!(first["seed_sha256"], again["seed_sha256"]);
    assert_eq!(first["distribution"], again["distribution"]);

    // Another seed text gives another panel (with overwhelming probability on this pool).
    let other = json(&maeul(&[
        "sortition",
        "draw",
        small.to_str().unwrap(),
        "--seed-text",
        "another",
        "--json",
    ]));
    assert_ne!(ids(&first, "panel"), ids(&other, "panel"));

    let text = maeul(&[
        "sortition",
        "draw",
        small.to_str().unwrap(),
        "--seed-text",
        seed,
    ]);
    assert!(stdout(&text).contains(first["seed_sha256"].as_str().unwrap()));
    assert!(stdout(&text).contains("reserves (4), in filling order:"));
}

#[test]
fn vacancies_are_filled_from_the_reserve_list() {
    let small = fixture("small-council.json");
    let path = small.to_str().unwrap();
    let drawn = json(&maeul(&[
        "sortition",
        "draw",
        path,
        "--seed-text",
        "vacancy",
        "--json",
    ]));
    let leaving = ids(&drawn, "panel")[0].clone();
    let reserves = ids(&drawn, "reserves");
    let result = json(&maeul(&[
        "sortition",
        "replace",
        path,
        "--seed-text",
        "vacancy",
        "--leaving",
        &leaving,
        "--json",
    ]));
    let replacement = result["vacancies"][0]["replacement"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(reserves.contains(&replacement));
    assert!(!ids(&result, "panel").contains(&leaving));
    assert!(ids(&result, "panel").contains(&replacement));

    let not_member = maeul(&[
        "sortition",
        "replace",
        path,
        "--seed-text",
        "vacancy",
        "--leaving",
        &reserves[0],
    ]);
    assert!(!not_member.status.success());
    assert!(stderr(&not_member).contains("is not on the panel"));
}

#[test]
fn an_empty_or_blank_seed_text_is_refused() {
    let small = fixture("small-council.json");
    for seed in ["", "   ", "\t\n"] {
        for command in ["draw", "replace"] {
            let mut args = vec![
                "sortition",
                command,
                small.to_str().unwrap(),
                "--seed-text",
                seed,
            ];
            if command == "replace" {
                args.extend(["--leaving", "P001"]);
            }
            let output = maeul(&args);
            assert!(!output.status.success(), "{command} accepted seed {seed:?}");
            assert!(
                stderr(&output).contains("--seed-text: the seed text is"),
                "{command} {seed:?}: {}",
                stderr(&output)
            );
            assert!(stdout(&output).is_empty(), "nothing is drawn");
        }
    }
}

#[test]
fn no_progress_output_when_stderr_is_not_a_terminal() {
    // The tests' stderr is a pipe: the spinner must stay hidden, with or without --json.
    let small = fixture("small-council.json");
    for json in [false, true] {
        let mut args = vec!["sortition", "probabilities", small.to_str().unwrap()];
        if json {
            args.push("--json");
        }
        let output = maeul(&args);
        assert!(output.status.success(), "{}", stderr(&output));
        assert!(
            !stderr(&output).contains("leximin probabilities:"),
            "{}",
            stderr(&output)
        );
    }
}
