//! Iterated equal shares (add1, budget increase, equalshares.net Add1): the fast path, which skips the per-voter
//! budgets at which the outcome provably cannot change, gives exactly what the plain loop gives when it runs equal
//! shares at every budget in turn (pabutools' definition) — on random elections and on every shared file.
mod common;

use maeul_pb::format::parse_str;
use maeul_pb::official::official_with;
use maeul_pb::{Election, Outcome, Profile, Progress, Rule, RunOptions, read_path, rules};
use proptest::prelude::*;

const ITERATED: [Rule; 4] = [
    Rule::MesCostAdd1,
    Rule::MesCostAdd1Greedy,
    Rule::MesCostBudgetIncrease,
    Rule::MesCostBudgetIncreaseGreedy,
];

/// The notes without the part that says how many runs were computed (which is what differs).
fn kept_part(note: &str) -> String {
    match (note.find("; the outcome kept"), note.find(" (")) {
        (Some(at), _) => note[at..].to_string(),
        (None, Some(at)) if note.contains("virtual budget") => note[..at].to_string(),
        _ if note.contains("runs") => note.split(" after ").next().unwrap_or(note).to_string(),
        _ => note.to_string(),
    }
}

fn assert_same(fast: &Outcome, plain: &Outcome, what: &str) {
    assert_eq!(fast.selected, plain.selected, "{what}: selection");
    assert_eq!(fast.total_cost, plain.total_cost, "{what}: total cost");
    assert_eq!(
        fast.explanation.projects, plain.explanation.projects,
        "{what}: explanation"
    );
    let notes = |o: &Outcome| {
        o.explanation
            .notes
            .iter()
            .map(|n| kept_part(n))
            .collect::<Vec<_>>()
    };
    assert_eq!(notes(fast), notes(plain), "{what}: notes");
}

/// Runs a rule both ways; returns (budgets pabutools would try, equal-shares runs the fast path computed).
fn both_ways(profile: &Profile, rule: Rule, what: &str) -> (u64, u64) {
    let mut last: Option<Progress> = None;
    let mut record = |p: &Progress| last = Some(p.clone());
    let fast = rules::run_with(
        profile,
        rule,
        RunOptions {
            progress: Some(&mut record),
            every_budget: false,
        },
    )
    .unwrap();
    let plain = rules::run_with(
        profile,
        rule,
        RunOptions {
            progress: None,
            every_budget: true,
        },
    )
    .unwrap();
    assert_same(&fast, &plain, &format!("{what} {rule}"));
    last.map_or((0, 0), |p| (p.budgets_tried, p.runs))
}

fn official_both_ways(election: &Election, profile: &Profile, what: &str) {
    let fast = official_with(election, profile, RunOptions::default()).unwrap();
    let plain = official_with(
        election,
        profile,
        RunOptions {
            progress: None,
            every_budget: true,
        },
    )
    .unwrap();
    assert_same(&fast, &plain, &format!("{what} official"));
}

/// A random election: costs from 0 to 3000 against small budgets, so the loops go through hundreds of budgets;
/// repeated ballots (multiplicities), repeated projects (exact ties), every ballot kind.
fn election() -> impl Strategy<Value = String> {
    (1usize..=6, 1usize..=9).prop_flat_map(|(m, n)| {
        (
            1u32..=2500,
            prop::collection::vec(prop::sample::select(vec![0u32, 1, 7, 50, 120, 300, 301, 999, 1000, 2999]), m),
            prop::collection::vec(
                (prop::collection::vec(0..m, 0..=m), 1usize..=3, prop::collection::vec(1u32..=5, m)),
                n,
            ),
            prop::sample::select(vec!["approval", "cumulative", "ordinal"]),
            prop::sample::select(vec!["equalshares/add1", "equalshares/add1-comparison"]),
        )
            .prop_map(move |(budget, costs, ballots, vote_type, rule)| {
                let mut text = format!(
                    "META\nkey;value\nbudget;{budget}\nvote_type;{vote_type}\nrule;{rule}\nPROJECTS\nproject_id;cost\n"
                );
                for (p, cost) in costs.iter().enumerate() {
                    text.push_str(&format!("p{p};{cost}\n"));
                }
                text.push_str("VOTES\nvoter_id;vote;points\n");
                for (v, (ballot, copies, points)) in ballots.iter().enumerate() {
                    let ids: Vec<String> = ballot.iter().map(|p| format!("p{p}")).collect();
                    let points: Vec<String> = points[..ballot.len()].iter().map(u32::to_string).collect();
                    for copy in 0..*copies {
                        text.push_str(&format!("v{v}-{copy};{};{}\n", ids.join(","), points.join(",")));
                    }
                }
                text
            })
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn skipping_budgets_changes_nothing(text in election()) {
        let election = parse_str(&text).unwrap().election;
        let profile = Profile::new(&election);
        for rule in ITERATED {
            both_ways(&profile, rule, &text);
        }
        official_both_ways(&election, &profile, &text);
    }
}

/// The comparison above is not vacuous: on these elections the loops go through many budgets and the fast path
/// skips most of them.
#[test]
fn the_fast_path_skips_most_budgets_of_random_elections() {
    use proptest::strategy::ValueTree;
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    let strategy = election();
    let (mut budgets, mut runs) = (0u64, 0u64);
    for _ in 0..200 {
        let text = strategy.new_tree(&mut runner).unwrap().current();
        let profile = Profile::new(&parse_str(&text).unwrap().election);
        let (b, r) = both_ways(&profile, Rule::MesCostAdd1, &text);
        budgets += b;
        runs += r;
    }
    assert!(
        budgets > 5_000,
        "the loops went through only {budgets} budgets"
    );
    assert!(runs * 10 < budgets, "{runs} runs for {budgets} budgets");
}

/// Every shared file, every iterated rule and the official rule, both ways. `run_all` computes each iterated base
/// once for a rule and its greedy completion; the plain loop on Budapest 2023 VIII still goes through 74,756
/// budgets, so this test takes a while.
#[test]
#[cfg_attr(shared_data_absent, ignore = "needs the shared data (../shared)")]
fn skipping_budgets_changes_nothing_on_the_shared_files() {
    let files = common::shared_files();
    let mut compared = 0;
    for (name, path, _) in &files {
        let election = read_path(path).unwrap().election;
        let profile = Profile::new(&election);
        let fast = rules::run_all(&profile, RunOptions::default());
        let plain = rules::run_all(
            &profile,
            RunOptions {
                progress: None,
                every_budget: true,
            },
        );
        for ((rule, fast), (_, plain)) in fast.iter().zip(&plain) {
            if ITERATED.contains(rule) {
                assert_same(
                    fast.as_ref().unwrap(),
                    plain.as_ref().unwrap(),
                    &format!("{name} {rule}"),
                );
                compared += 1;
            }
        }
        if election
            .meta_value("rule")
            .is_some_and(|r| r.starts_with("equalshares/"))
        {
            official_both_ways(&election, &profile, name);
        }
    }
    assert_eq!(compared, 4 * files.len());
    eprintln!("{} shared files compared", files.len());
}
