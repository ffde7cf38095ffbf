//! Property tests on random small elections.
use maeul_pb::format::{self, parse_str};
use maeul_pb::{Profile, Rule, rules};
use proptest::prelude::*;

/// A small approval election: (budget, costs, ballots as sets of project indices).
fn approval_election() -> impl Strategy<Value = (u32, Vec<u32>, Vec<Vec<usize>>)> {
    (1usize..=5, 1usize..=8).prop_flat_map(|(m, n)| {
        (
            1u32..=60,
            prop::collection::vec(0u32..=25, m),
            prop::collection::vec(
                prop::collection::btree_set(0..m, 0..=m).prop_map(|s| s.into_iter().collect()),
                n,
            ),
        )
    })
}

fn pb_text(
    budget: u32,
    costs: &[u32],
    ballots: &[Vec<usize>],
    project_order: &[usize],
    voter_order: &[usize],
) -> String {
    let mut text = format!(
        "META\nkey;value\nbudget;{budget}\nvote_type;approval\nPROJECTS\nproject_id;cost\n"
    );
    for &p in project_order {
        text.push_str(&format!("p{p};{}\n", costs[p]));
    }
    text.push_str("VOTES\nvoter_id;vote\n");
    for &v in voter_order {
        let ids: Vec<String> = ballots[v].iter().map(|p| format!("p{p}")).collect();
        text.push_str(&format!("v{v};{}\n", ids.join(",")));
    }
    text
}

fn outcome_ids(text: &str, rule: Rule) -> (Vec<String>, Profile) {
    let election = parse_str(text).expect("generated files parse").election;
    let profile = Profile::new(&election);
    let outcome = rules::run(&profile, rule).expect("approval rules apply");
    (
        outcome
            .selected
            .iter()
            .map(|&p| profile.ids[p as usize].clone())
            .collect(),
        profile,
    )
}

const APPROVAL_RULES: [Rule; 11] = [
    Rule::GreedyCost,
    Rule::GreedyCard,
    Rule::MesCost,
    Rule::MesCard,
    Rule::MesCostGreedy,
    Rule::MesCostAdd1,
    Rule::MesCostAdd1Greedy,
    Rule::MesCostBudgetIncrease,
    Rule::MesCostBudgetIncreaseGreedy,
    Rule::Phragmen,
    Rule::GreedyCost,
];

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn budget_is_never_exceeded_and_completions_are_exhaustive((budget, costs, ballots) in approval_election()) {
        let order: Vec<usize> = (0..costs.len()).collect();
        let voters: Vec<usize> = (0..ballots.len()).collect();
        let text = pb_text(budget, &costs, &ballots, &order, &voters);
        for rule in APPROVAL_RULES {
            let (selected, profile) = outcome_ids(&text, rule);
            let total: u32 = selected.iter().map(|id| costs[id[1..].parse::<usize>().unwrap()]).sum();
            prop_assert!(total <= budget, "{rule}: cost {total} > budget {budget}");
            let mut unique = selected.clone();
            unique.sort();
            unique.dedup();
            prop_assert_eq!(unique.len(), selected.len(), "{} selects a project twice", rule);
            if matches!(rule, Rule::GreedyCost | Rule::GreedyCard | Rule::MesCostGreedy | Rule::MesCostAdd1Greedy | Rule::MesCostBudgetIncreaseGreedy) {
                for (p, &cost) in costs.iter().enumerate() {
                    let id = format!("p{p}");
                    prop_assert!(selected.contains(&id) || total + cost > budget,
                        "{rule}: {id} (cost {cost}) still fits in {}", budget - total);
                }
            }
            drop(profile);
        }
    }

    #[test]
    fn outcomes_do_not_depend_on_the_order_of_voters_or_projects(
        (budget, costs, ballots) in approval_election(),
        seed in any::<u64>(),
    ) {
        let order: Vec<usize> = (0..costs.len()).collect();
        let voters: Vec<usize> = (0..ballots.len()).collect();
        // A deterministic shuffle from the seed (rotation + reversal covers every small permutation class well).
        let shuffle = |items: &[usize], salt: u64| -> Vec<usize> {
            let mut keyed: Vec<(u64, usize)> = items.iter().map(|&i| ((i as u64 + 1).wrapping_mul(seed ^ salt).rotate_left(17), i)).collect();
            keyed.sort();
            keyed.into_iter().map(|(_, i)| i).collect()
        };
        let text = pb_text(budget, &costs, &ballots, &order, &voters);
        let shuffled = pb_text(budget, &costs, &ballots, &shuffle(&order, 0x9e37), &shuffle(&voters, 0x79b9));
        for rule in APPROVAL_RULES {
            let (a, _) = outcome_ids(&text, rule);
            let (b, _) = outcome_ids(&shuffled, rule);
            prop_assert_eq!(a, b, "{} depends on file order", rule);
        }
    }

    /// MES with cost satisfaction satisfies EJR up to one project: for every project set T and every group S of
    /// voters who all approve T and are numerous enough to afford it (|S| · B ≥ n · cost(T)), some voter in S gets
    /// at least cost(T) from the outcome W, or would exceed it with one more project of T.
    #[test]
    fn mes_cost_satisfies_ejr_up_to_one((budget, costs, ballots) in approval_election()) {
        let order: Vec<usize> = (0..costs.len()).collect();
        let voters: Vec<usize> = (0..ballots.len()).collect();
        let text = pb_text(budget, &costs, &ballots, &order, &voters);
        let (selected, _) = outcome_ids(&text, Rule::MesCost);
        let funded: Vec<usize> = selected.iter().map(|id| id[1..].parse().unwrap()).collect();
        let m = costs.len();
        let n = ballots.len() as u64;
        for mask in 1u32..(1 << m) {
            let t: Vec<usize> = (0..m).filter(|p| mask & (1 << p) != 0).collect();
            let cost_t: u64 = t.iter().map(|&p| u64::from(costs[p])).sum();
            let unsatisfied = ballots.iter().filter(|ballot| {
                if !t.iter().all(|p| ballot.contains(p)) {
                    return false;
                }
                let have: u64 = funded.iter().filter(|p| ballot.contains(p)).map(|&p| u64::from(costs[p])).sum();
                let satisfied = have >= cost_t
                    || t.iter().any(|p| !funded.contains(p) && have + u64::from(costs[*p]) > cost_t);
                !satisfied
            }).count() as u64;
            prop_assert!(unsatisfied == 0 || unsatisfied * u64::from(budget) < n * cost_t,
                "EJR-1 violated for T = {t:?}: {unsatisfied} unsatisfied voters could afford it (W = {funded:?})");
        }
    }

    #[test]
    fn written_elections_read_back_equal((budget, costs, ballots) in approval_election()) {
        let order: Vec<usize> = (0..costs.len()).collect();
        let voters: Vec<usize> = (0..ballots.len()).collect();
        let election = parse_str(&pb_text(budget, &costs, &ballots, &order, &voters)).unwrap().election;
        let written = format::write_string(&election).unwrap();
        prop_assert_eq!(parse_str(&written).unwrap().election, election);
    }

    #[test]
    fn arbitrary_bytes_never_panic_the_reader(bytes in prop::collection::vec(any::<u8>(), 0..400)) {
        let _ = format::read(&bytes[..]);
    }

    /// Bytes assembled from the format's own tokens reach deep into the parser; they must never panic either, and
    /// whatever parses must also count without panicking.
    #[test]
    fn pb_like_text_never_panics(tokens in prop::collection::vec(prop::sample::select(vec![
        "META\n", "PROJECTS\n", "VOTES\n", "key;value\n", "budget;", "vote_type;", "approval", "cumulative", "ordinal",
        "scoring", "choose-1", "project_id;cost;name\n", "voter_id;vote;points\n", "1", "2", ";", ",", "\"", "\n",
        "\r\n", "10.5", "-3", "1/3", "none", " ", "p", "\u{feff}", "max_length;", "min_sum_points;", "0",
    ]), 0..60)) {
        let text: String = tokens.concat();
        if let Ok(parsed) = parse_str(&text) {
            let profile = Profile::new(&parsed.election);
            for rule in Rule::ALL {
                if rule.accepts(profile.vote_type) && profile.num_voters < 50 {
                    let _ = rules::run(&profile, rule);
                }
            }
        }
    }
}
