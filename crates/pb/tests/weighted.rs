//! Weighted voters (issue 12): a voter of integer weight k counts exactly as k identical voters, in every rule.
use maeul_pb::format::parse_str;
use maeul_pb::{Election, Profile, Rule, WeightError, rules};
use proptest::prelude::*;

/// (vote type, budget, costs, ballots as (projects, points), weights).
fn weighted_election() -> impl Strategy<Value = (String, Vec<u64>)> {
    (1usize..=5, 1usize..=7).prop_flat_map(|(m, n)| {
        (
            prop::sample::select(vec!["approval", "cumulative", "scoring", "ordinal"]),
            1u32..=400,
            prop::collection::vec(0u32..=150, m),
            prop::collection::vec(
                (
                    prop::collection::btree_set(0..m, 0..=m),
                    prop::collection::vec(1u32..=4, m),
                ),
                n,
            ),
            prop::collection::vec(0u64..=4, n),
        )
            .prop_map(|(vote_type, budget, costs, ballots, weights)| {
                let mut text = format!(
                    "META\nkey;value\nbudget;{budget}\nvote_type;{vote_type}\nPROJECTS\nproject_id;cost\n"
                );
                for (p, cost) in costs.iter().enumerate() {
                    text.push_str(&format!("p{p};{cost}\n"));
                }
                text.push_str("VOTES\nvoter_id;vote;points\n");
                for (v, (projects, points)) in ballots.iter().enumerate() {
                    let ids: Vec<String> = projects.iter().map(|p| format!("p{p}")).collect();
                    let points: Vec<String> =
                        points[..projects.len()].iter().map(u32::to_string).collect();
                    text.push_str(&format!("v{v};{};{}\n", ids.join(","), points.join(",")));
                }
                (text, weights)
            })
    })
}

/// The same election with voter i written `weights[i]` times.
fn replicated(election: &Election, weights: &[u64]) -> Election {
    let mut copy = election.clone();
    copy.voters = election
        .voters
        .iter()
        .zip(weights)
        .flat_map(|(voter, &w)| std::iter::repeat_n(voter.clone(), w as usize))
        .collect();
    copy
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn weighted_voters_count_as_replicated_voters_in_every_rule((text, weights) in weighted_election()) {
        let election = parse_str(&text).unwrap().election;
        let weighted = Profile::with_weights(&election, &weights).unwrap();
        let copies = Profile::new(&replicated(&election, &weights));
        prop_assert_eq!(weighted.num_voters, weights.iter().sum::<u64>());
        let mut compared = 0;
        for rule in Rule::ALL.into_iter().filter(|r| r.accepts(election.vote_type)) {
            let a = rules::run(&weighted, rule).unwrap();
            let b = rules::run(&copies, rule).unwrap();
            prop_assert_eq!(&a.selected, &b.selected, "{}", rule);
            prop_assert_eq!(&a.total_cost, &b.total_cost, "{}", rule);
            prop_assert_eq!(&a.explanation, &b.explanation, "{}", rule);
            compared += 1;
        }
        prop_assert!(compared >= 9);
    }
}

#[test]
fn weights_must_match_the_voters_and_fit() {
    let text = "META\nkey;value\nbudget;10\nvote_type;approval\nPROJECTS\nproject_id;cost\na;5\nVOTES\nvoter_id;vote\n1;a\n2;a\n";
    let election = parse_str(text).unwrap().election;
    assert_eq!(
        Profile::with_weights(&election, &[1]),
        Err(WeightError::Count {
            voters: 2,
            weights: 1
        })
    );
    assert_eq!(
        Profile::with_weights(&election, &[u64::MAX, 1]),
        Err(WeightError::TooLarge)
    );
    // Weight 0 leaves a voter out entirely (not even in n for equal shares).
    let profile = Profile::with_weights(&election, &[0, 3]).unwrap();
    assert_eq!(profile.num_voters, 3);
    assert_eq!(profile.ballots.len(), 1);
}
