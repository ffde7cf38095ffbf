//! `maeul opinion` end to end on the Seattle fixture (CC BY 4.0, see crates/opinion/tests/fixtures/ATTRIBUTION.md).
use std::path::{Path, PathBuf};
use std::process::Command;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../opinion/tests/fixtures")
        .join(name)
}

fn maeul(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_maeul"))
        .args(args)
        .output()
        .expect("run maeul")
}

#[test]
fn analyze_json_has_groups_members_repness_and_consensus() {
    let dir = fixture("15-per-hour-seattle");
    let out = maeul(&[
        "opinion",
        "analyze",
        dir.to_str().unwrap(),
        "--seed",
        "3",
        "--json",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let k = v["k"].as_u64().unwrap();
    assert!((2..=5).contains(&k));
    let groups = v["groups"].as_array().unwrap();
    assert_eq!(groups.len() as u64, k);
    let members: usize = groups
        .iter()
        .map(|g| g["members"].as_array().unwrap().len())
        .sum();
    assert_eq!(members as u64, v["participants_grouped"].as_u64().unwrap());
    assert_eq!(members, 138);
    assert!(groups[0]["members"][0].is_string());
    assert!(groups[0]["repness"][0]["tid"].is_u64());
    assert!(v["consensus"]["agree"].is_array() && v["consensus"]["disagree"].is_array());
    assert!(v["seconds"].as_f64().unwrap() >= 0.0);
}

#[test]
fn analyze_replay_mode_and_plain_projection_match_polis_groups() {
    let dir = fixture("15-per-hour-seattle");
    let out = maeul(&[
        "opinion",
        "analyze",
        dir.to_str().unwrap(),
        "--no-sparsity-scaling",
        "--json",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(
        v["ari_vs_polis"]["ari"].as_f64().unwrap() >= 0.85,
        "{}",
        v["ari_vs_polis"]
    );
    let out = maeul(&[
        "opinion",
        "analyze",
        dir.to_str().unwrap(),
        "--replay-every",
        "200",
        "--json",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(v["k"].as_u64().unwrap() >= 2);
}

#[test]
fn map_writes_an_accessible_svg() {
    let dir = fixture("15-per-hour-seattle");
    let out_path =
        std::env::temp_dir().join(format!("maeul-opinion-map-{}.svg", std::process::id()));
    let out = maeul(&[
        "opinion",
        "map",
        dir.to_str().unwrap(),
        "-o",
        out_path.to_str().unwrap(),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let svg = std::fs::read_to_string(&out_path).unwrap();
    std::fs::remove_file(&out_path).ok();
    assert!(svg.starts_with("<svg"));
    assert!(svg.contains("<title id=\"map-title\">") && svg.contains("<desc id=\"map-desc\">"));
    assert_eq!(svg.matches("<circle").count(), 339);
}

#[test]
fn malformed_input_reports_file_and_line() {
    let dir = std::env::temp_dir().join(format!("maeul-opinion-bad-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("votes.csv"),
        "timestamp,datetime,comment-id,voter-id,vote\n1,x,0,0,1\n2,x,0,1,agree\n",
    )
    .unwrap();
    let out = maeul(&["opinion", "analyze", dir.to_str().unwrap(), "--json"]);
    std::fs::remove_dir_all(&dir).ok();
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("votes.csv:3:") && stderr.contains("`vote`"),
        "{stderr}"
    );
}

#[test]
fn votes_on_statements_missing_from_comments_are_reported() {
    let dir = std::env::temp_dir().join(format!("maeul-opinion-unknown-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("comments.csv"),
        "timestamp,datetime,comment-id,author-id,agrees,disagrees,moderated,comment-body\n\
         1,x,0,0,0,0,1,first\n2,x,1,0,0,0,1,second\n",
    )
    .unwrap();
    let mut votes = String::from("timestamp,datetime,comment-id,voter-id,vote\n");
    for participant in 0..20 {
        for statement in [0, 1, 7, 42] {
            votes.push_str(&format!(
                "{},x,{statement},{participant},1\n",
                participant * 10 + statement
            ));
        }
    }
    std::fs::write(dir.join("votes.csv"), votes).unwrap();
    let out = maeul(&["opinion", "analyze", dir.to_str().unwrap(), "--json"]);
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(out.status.success(), "{stderr}");
    assert!(
        stderr.contains("warning: 40 votes on 2 statement ids missing from")
            && stderr.contains("comments.csv: 7, 42"),
        "{stderr}"
    );
    // The JSON on stdout is unaffected.
    let _: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    // A consistent export gives no warning.
    let fixture = fixture("15-per-hour-seattle");
    let out = maeul(&["opinion", "analyze", fixture.to_str().unwrap()]);
    assert!(out.status.success());
    assert!(!String::from_utf8_lossy(&out.stderr).contains("warning"));
    std::fs::remove_dir_all(&dir).ok();
}
