//! Property tests: the analysis depends on the vote events, not on the order of input rows, and a repeated
//! vote event counts once.

use maeul_opinion::{Conversation, Options, Vote, VoteEvent, analyze};
use proptest::prelude::*;

fn vote_events() -> impl Strategy<Value = Vec<VoteEvent>> {
    // Two camps of participants with noisy opposite views, so groups and repness are non-trivial.
    prop::collection::vec((0u64..40, 0u64..10, 0i64..1000, 0u8..10), 150..400).prop_map(|raw| {
        raw.into_iter()
            .map(|(participant, statement, time, noise)| {
                let camp = participant % 2 == 0;
                let side = (statement % 3 == 0) == camp;
                let vote = match noise {
                    0 => Vote::Pass,
                    1 => {
                        if side {
                            Vote::Disagree
                        } else {
                            Vote::Agree
                        }
                    }
                    _ => {
                        if side {
                            Vote::Agree
                        } else {
                            Vote::Disagree
                        }
                    }
                };
                VoteEvent {
                    time,
                    participant,
                    statement,
                    vote,
                }
            })
            .collect()
    })
}

fn summary(events: Vec<VoteEvent>) -> String {
    let conversation = Conversation {
        votes: events,
        ..Conversation::default()
    };
    let mut analysis = analyze(&conversation, &Options::default());
    analysis.timings = Default::default();
    format!("{analysis:?}")
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn input_row_order_does_not_matter(events in vote_events(), seed in any::<u64>()) {
        let mut shuffled = events.clone();
        // Deterministic shuffle from the seed (Fisher–Yates with SplitMix64).
        let mut rng = maeul_opinion::pca::SplitMix64::new(seed);
        for i in (1..shuffled.len()).rev() {
            let j = (rng.next_u64() % (i as u64 + 1)) as usize;
            shuffled.swap(i, j);
        }
        prop_assert_eq!(summary(events), summary(shuffled));
    }

    #[test]
    fn duplicate_votes_count_once(events in vote_events(), picks in prop::collection::vec(any::<prop::sample::Index>(), 1..50)) {
        let mut duplicated = events.clone();
        for pick in picks {
            duplicated.push(*pick.get(&events));
        }
        prop_assert_eq!(summary(events), summary(duplicated));
    }
}
