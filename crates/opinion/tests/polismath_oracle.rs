//! Exactness against real polismath states (`../shared/data/polismath`, MPL-2.0 red-dwarf fixtures, read in
//! place and never copied). From the raw votes and the state's admitted participants, moderation and base
//! clusters, every statistic must equal polismath's own to 1e-9.
//!
//! The folder is located as `$MAEUL_SHARED/data/polismath` or `<repo>/../shared/data/polismath`; when absent
//! the tests are reported as ignored (the build script sets `cfg(shared_data_absent)`), except under `CI=true`,
//! where they run and fail.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use maeul_opinion::cluster::Cluster;
use maeul_opinion::engine::{best_clustering, group_clusterings, statistics};
use maeul_opinion::matrix::VoteMatrix;
use maeul_opinion::pca::{PcaOptions, power_pca, project_participants, project_statements};
use maeul_opinion::stats::{RepStatement, Side, VoteTally};
use maeul_opinion::{Vote, VoteEvent};
use serde_json::Value;

const TOLERANCE: f64 = 1e-9;

/// The tests that call this carry `#[cfg_attr(shared_data_absent, ignore)]` (set by the build script when
/// `../shared` is absent), so reaching here without the folder is a failure, never a silent pass.
fn oracle_dir() -> PathBuf {
    let shared = std::env::var_os("MAEUL_SHARED")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            // `<repo>/../shared`, also from a git worktree elsewhere: the nearest ancestor holding
            // `shared/data`.
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .ancestors()
                .map(|a| a.join("shared"))
                .find(|s| s.join("data").is_dir())
                .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared"))
        });
    let dir = shared.join("data/polismath");
    assert!(
        dir.is_dir(),
        "polismath oracle folder {} is absent",
        dir.display()
    );
    dir
}

fn read_json(path: PathBuf) -> Value {
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn number(v: &Value) -> f64 {
    match v {
        Value::Number(n) => n.as_f64().unwrap(),
        Value::String(s) => s.parse().unwrap(),
        other => panic!("not a number: {other}"),
    }
}

fn field<'v>(v: &'v Value, names: &[&str]) -> &'v Value {
    names
        .iter()
        .find_map(|n| v.get(*n))
        .unwrap_or_else(|| panic!("none of {names:?} in {v}"))
}

fn ids(v: &Value) -> Vec<u64> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|x| number(x) as u64)
        .collect()
}

fn floats(v: &Value) -> Vec<f64> {
    v.as_array().unwrap().iter().map(number).collect()
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= TOLERANCE * (1.0 + b.abs())
}

fn assert_close(what: &str, ours: f64, theirs: f64) {
    assert!(
        close(ours, theirs),
        "{what}: ours {ours} vs polismath {theirs}"
    );
}

struct Oracle {
    name: String,
    math: Value,
    matrix: VoteMatrix,
    tids: Vec<u64>,
    moderated_out: Vec<bool>,
    is_meta: Vec<bool>,
}

fn load(dir: &std::path::Path, name: &str) -> Oracle {
    let folder = dir.join(name);
    let math = read_json(folder.join("math-pca2.json"));
    let votes = read_json(folder.join("votes.json"));
    let last = number(&math["lastVoteTimestamp"]);
    let events: Vec<VoteEvent> = votes
        .as_array()
        .unwrap()
        .iter()
        .filter(|v| number(field(v, &["modified"])) <= last)
        .map(|v| VoteEvent {
            time: number(field(v, &["modified"])) as i64,
            participant: number(field(v, &["pid", "participant_id"])) as u64,
            statement: number(field(v, &["tid", "statement_id"])) as u64,
            vote: Vote::from_export_sign(number(&v["vote"]) as i64).unwrap(),
        })
        .collect();
    let matrix = VoteMatrix::from_events(&events);
    let mod_out = ids(&math["mod-out"]);
    let meta = ids(&math["meta-tids"]);
    let moderated_out = matrix
        .statements()
        .iter()
        .map(|t| mod_out.contains(t) || meta.contains(t))
        .collect();
    let is_meta = matrix
        .statements()
        .iter()
        .map(|t| meta.contains(t))
        .collect();
    Oracle {
        name: name.to_string(),
        tids: ids(&math["tids"]),
        math,
        matrix,
        moderated_out,
        is_meta,
    }
}

const FOLDERS: [&str; 4] = [
    "below-100-ptpts",
    "25ptpt-3gp-no-strict-with-meta",
    "50ptpt-3gp-strict-no-meta",
    "150ptpt-3gp-no-strict-no-meta",
];

/// 50ptpt lacks one voter's votes (the state counts 52 voters, the votes hold 51), so its PCA centre — and all
/// that depends on it — cannot match; the README documents this.
fn pca_is_reproducible(name: &str) -> bool {
    name != "50ptpt-3gp-strict-no-meta"
}

fn base_clusters_of(o: &Oracle) -> Vec<Cluster> {
    let bc = &o.math["base-clusters"];
    let base_ids = ids(&bc["id"]);
    let xs = floats(&bc["x"]);
    let ys = floats(&bc["y"]);
    base_ids
        .iter()
        .enumerate()
        .map(|(i, &id)| Cluster {
            id: id as u32,
            members: ids(&bc["members"][i])
                .iter()
                .map(|p| o.matrix.row_of(*p).expect("member voted"))
                .collect(),
            center: [xs[i], ys[i]],
        })
        .collect()
}

fn group_rows_of(o: &Oracle, base: &[Cluster]) -> Vec<Vec<usize>> {
    let by_id: HashMap<u32, &Cluster> = base.iter().map(|c| (c.id, c)).collect();
    o.math["group-clusters"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| {
            let mut rows: Vec<usize> = ids(&g["members"])
                .iter()
                .flat_map(|b| by_id[&(*b as u32)].members.iter().copied())
                .collect();
            rows.sort_unstable();
            rows
        })
        .collect()
}

fn column(o: &Oracle, tid: u64) -> usize {
    o.matrix
        .column_of(tid)
        .unwrap_or_else(|| panic!("{}: tid {tid} has no votes", o.name))
}

fn each_oracle(mut check: impl FnMut(&Oracle)) {
    let dir = oracle_dir();
    for name in FOLDERS {
        check(&load(&dir, name));
    }
}

#[test]
#[cfg_attr(shared_data_absent, ignore = "needs the shared data (../shared)")]
fn vote_counts_match() {
    each_oracle(|o| {
        let counts = o.matrix.vote_counts();
        for (pid, expected) in o.math["user-vote-counts"].as_object().unwrap() {
            let pid: u64 = pid.parse().unwrap();
            if o.name == "50ptpt-3gp-strict-no-meta" && pid == 50 {
                // The state counts a 52nd voter whose votes are not in votes.json (see the README).
                continue;
            }
            let ours = o.matrix.row_of(pid).map_or(0, |r| counts[r]);
            assert_eq!(
                ours as f64,
                number(expected),
                "{}: vote count of participant {pid}",
                o.name
            );
        }
        assert_eq!(
            o.matrix.n_columns(),
            number(&o.math["n-cmts"]) as usize,
            "{}: n-cmts",
            o.name
        );
    });
}

#[test]
#[cfg_attr(shared_data_absent, ignore = "needs the shared data (../shared)")]
fn pca_center_components_and_projections_match() {
    each_oracle(|o| {
        if !pca_is_reproducible(&o.name) {
            return;
        }
        let pca = power_pca(&o.matrix, &o.moderated_out, None, 7, &PcaOptions::default());
        let center = floats(&o.math["pca"]["center"]);
        for (i, &tid) in o.tids.iter().enumerate() {
            assert_close(
                &format!("{}: centre of tid {tid}", o.name),
                pca.center[column(o, tid)],
                center[i],
            );
        }
        for k in 0..2 {
            let theirs = floats(&o.math["pca"]["comps"][k]);
            let dot: f64 = o
                .tids
                .iter()
                .enumerate()
                .map(|(i, &t)| theirs[i] * pca.comps[k][column(o, t)])
                .sum();
            let sign = dot.signum();
            for (i, &tid) in o.tids.iter().enumerate() {
                let ours = sign * pca.comps[k][column(o, tid)];
                assert_close(
                    &format!("{}: comp {k} at tid {tid}", o.name),
                    ours,
                    theirs[i],
                );
            }
            // Statement positions and extremity.
            let (positions, extremity) = project_statements(&pca);
            let projection = floats(&o.math["pca"]["comment-projection"][k]);
            let theirs_extremity = floats(&o.math["pca"]["comment-extremity"]);
            for (i, &tid) in o.tids.iter().enumerate() {
                let c = column(o, tid);
                assert_close(
                    &format!("{}: statement {tid} position {k}", o.name),
                    sign * positions[c][k],
                    projection[i],
                );
                assert_close(
                    &format!("{}: statement {tid} extremity", o.name),
                    extremity[c],
                    theirs_extremity[i],
                );
            }
            // Participant projections, through the base-cluster means polismath stores.
            let projections = project_participants(&o.matrix, &o.moderated_out, &pca, true);
            for cluster in base_clusters_of(o) {
                let mean: f64 = cluster
                    .members
                    .iter()
                    .map(|&r| projections[r][k])
                    .sum::<f64>()
                    / cluster.members.len() as f64;
                assert_close(
                    &format!("{}: base cluster {} coordinate {k}", o.name, cluster.id),
                    sign * mean,
                    cluster.center[k],
                );
            }
        }
    });
}

#[test]
#[cfg_attr(shared_data_absent, ignore = "needs the shared data (../shared)")]
fn base_and_group_votes_match() {
    each_oracle(|o| {
        let base = base_clusters_of(o);
        for (tid, per_base) in o.math["votes-base"].as_object().unwrap() {
            let c = column(o, tid.parse().unwrap());
            for (b, cluster) in base.iter().enumerate() {
                let tally = VoteTally::of_rows(&o.matrix, &cluster.members);
                for (key, ours) in [
                    ("A", tally.agree[c]),
                    ("D", tally.disagree[c]),
                    ("S", tally.seen[c]),
                ] {
                    let theirs = number(&per_base[key][b]);
                    assert_eq!(
                        f64::from(ours),
                        theirs,
                        "{}: votes-base {key} tid {tid} base {}",
                        o.name,
                        cluster.id
                    );
                }
            }
        }
        let group_rows = group_rows_of(o, &base);
        for (g, rows) in group_rows.iter().enumerate() {
            let tally = VoteTally::of_rows(&o.matrix, rows);
            let theirs = &o.math["group-votes"][g.to_string()];
            assert_eq!(
                rows.len() as f64,
                number(&theirs["n-members"]),
                "{}: group {g} size",
                o.name
            );
            for (tid, v) in theirs["votes"].as_object().unwrap() {
                let c = column(o, tid.parse().unwrap());
                assert_eq!(
                    f64::from(tally.agree[c]),
                    number(&v["A"]),
                    "{}: group {g} A tid {tid}",
                    o.name
                );
                assert_eq!(
                    f64::from(tally.disagree[c]),
                    number(&v["D"]),
                    "{}: group {g} D tid {tid}",
                    o.name
                );
                assert_eq!(
                    f64::from(tally.seen[c]),
                    number(&v["S"]),
                    "{}: group {g} S tid {tid}",
                    o.name
                );
            }
        }
    });
}

fn side(v: &Value) -> Side {
    match v.as_str() {
        Some("agree") => Side::Agree,
        Some("disagree") => Side::Disagree,
        other => panic!("repful-for {other:?}"),
    }
}

#[test]
#[cfg_attr(shared_data_absent, ignore = "needs the shared data (../shared)")]
fn statistics_match_repness_consensus_gac_priorities() {
    each_oracle(|o| {
        let base = base_clusters_of(o);
        let group_rows = group_rows_of(o, &base);
        let extremity = if pca_is_reproducible(&o.name) {
            let pca = power_pca(&o.matrix, &o.moderated_out, None, 3, &PcaOptions::default());
            project_statements(&pca).1
        } else {
            vec![0.0; o.matrix.n_columns()]
        };
        let stats = statistics(
            &o.matrix,
            &o.moderated_out,
            &o.is_meta,
            &group_rows,
            &extremity,
        );

        for (tid, theirs) in o.math["group-aware-consensus"].as_object().unwrap() {
            let c = column(o, tid.parse().unwrap());
            assert_close(
                &format!("{}: group-aware consensus tid {tid}", o.name),
                stats.group_aware_consensus[c],
                number(theirs),
            );
        }

        for (g, ours) in stats.repness.iter().enumerate() {
            let theirs = o.math["repness"][g.to_string()].as_array().unwrap();
            let ours_tids: Vec<u64> = ours.iter().map(|r| r.tid).collect();
            let theirs_tids: Vec<u64> = theirs.iter().map(|r| number(&r["tid"]) as u64).collect();
            assert_eq!(
                ours_tids, theirs_tids,
                "{}: repness statements of group {g}",
                o.name
            );
            for (r, t) in ours.iter().zip(theirs) {
                let what = format!("{}: group {g} repness tid {}", o.name, r.tid);
                check_rep(&what, r, t);
            }
        }

        for (key, ours) in [
            ("agree", &stats.consensus.agree),
            ("disagree", &stats.consensus.disagree),
        ] {
            let theirs = o.math["consensus"][key].as_array().unwrap();
            let ours_tids: Vec<u64> = ours.iter().map(|r| r.tid).collect();
            let theirs_tids: Vec<u64> = theirs.iter().map(|r| number(&r["tid"]) as u64).collect();
            assert_eq!(ours_tids, theirs_tids, "{}: consensus {key}", o.name);
            for (r, t) in ours.iter().zip(theirs) {
                let what = format!("{}: consensus {key} tid {}", o.name, r.tid);
                assert_eq!(f64::from(r.n_success), number(&t["n-success"]), "{what}");
                assert_eq!(f64::from(r.n_trials), number(&t["n-trials"]), "{what}");
                assert_close(&what, r.p_success, number(&t["p-success"]));
                assert_close(&what, r.p_test, number(&t["p-test"]));
            }
        }

        // 50ptpt stores every priority as 49 (its state predates the rule); its centre is not reproducible.
        if pca_is_reproducible(&o.name) {
            for (tid, theirs) in o.math["comment-priorities"].as_object().unwrap() {
                let c = column(o, tid.parse().unwrap());
                assert_close(
                    &format!("{}: priority tid {tid}", o.name),
                    stats.comment_priorities[c],
                    number(theirs),
                );
            }
        }
    });
}

fn check_rep(what: &str, r: &RepStatement, t: &Value) {
    assert_eq!(r.repful_for, side(&t["repful-for"]), "{what}");
    assert_eq!(
        f64::from(r.n_success),
        number(&t["n-success"]),
        "{what} n-success"
    );
    assert_eq!(
        f64::from(r.n_trials),
        number(&t["n-trials"]),
        "{what} n-trials"
    );
    assert_close(
        &format!("{what} p-success"),
        r.p_success,
        number(&t["p-success"]),
    );
    assert_close(&format!("{what} p-test"), r.p_test, number(&t["p-test"]));
    assert_close(&format!("{what} repness"), r.repness, number(&t["repness"]));
    // repness-test is a 32-bit float in polismath's state.
    let theirs_test = number(&t["repness-test"]) as f32;
    assert_eq!(r.repness_test as f32, theirs_test, "{what} repness-test");
    assert_eq!(
        r.best_agree,
        t.get("best-agree")
            .and_then(Value::as_bool)
            .unwrap_or(false),
        "{what} best-agree"
    );
    assert_eq!(
        r.n_agree.map(f64::from),
        t.get("n-agree").map(number),
        "{what} n-agree"
    );
}

#[test]
#[cfg_attr(shared_data_absent, ignore = "needs the shared data (../shared)")]
fn group_step_picks_polismath_k_and_groups_from_its_base_clusters() {
    each_oracle(|o| {
        let base = base_clusters_of(o);
        let clusterings = group_clusterings(&base, &BTreeMap::new(), 5, 20);
        let best = best_clustering(&clusterings).expect("a clustering");
        let theirs = o.math["group-clusters"].as_array().unwrap();
        assert_eq!(best.k, theirs.len(), "{}: k", o.name);
        let mut ours_groups: Vec<Vec<u64>> = best
            .groups
            .iter()
            .map(|g| {
                let mut v: Vec<u64> = g.members.iter().map(|&b| u64::from(base[b].id)).collect();
                v.sort_unstable();
                v
            })
            .collect();
        let mut theirs_groups: Vec<Vec<u64>> = theirs
            .iter()
            .map(|g| {
                let mut v = ids(&g["members"]);
                v.sort_unstable();
                v
            })
            .collect();
        ours_groups.sort();
        theirs_groups.sort();
        assert_eq!(ours_groups, theirs_groups, "{}: groups", o.name);
        for (g, t) in best.groups.iter().zip(theirs) {
            let center = floats(&t["center"]);
            assert_close(
                &format!("{}: group {} centre x", o.name, g.id),
                g.center[0],
                center[0],
            );
            assert_close(
                &format!("{}: group {} centre y", o.name, g.id),
                g.center[1],
                center[1],
            );
        }
    });
}
