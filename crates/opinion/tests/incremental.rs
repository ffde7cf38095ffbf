//! Incremental mode: a state that absorbs votes and updates warm-started, and replay of an export.

use std::path::Path;

use maeul_opinion::pca::{PcaOptions, power_pca};
use maeul_opinion::{
    OpinionState, Options, Statement, Vote, VoteEvent, analyze, read_export_dir, replay,
};

fn seattle() -> maeul_opinion::Conversation {
    read_export_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/15-per-hour-seattle"),
    )
    .unwrap()
}

#[test]
fn warm_started_pca_reaches_the_same_components_as_a_cold_start() {
    let conversation = seattle();
    let events = conversation.votes_in_time_order();
    let mut state = OpinionState::new(&conversation.statements, Options::default());
    let half = events.len() / 2;
    for e in &events[..half] {
        state.add_vote(e);
    }
    state.update();
    for e in &events[half..] {
        state.add_vote(e);
    }
    let warm = state.update();
    let cold = power_pca(
        state.matrix(),
        &warm.moderated_out,
        None,
        11,
        &PcaOptions::default(),
    );
    for k in 0..2 {
        let dot: f64 = warm.pca.comps[k]
            .iter()
            .zip(&cold.comps[k])
            .map(|(a, b)| a * b)
            .sum();
        assert!(
            (dot.abs() - 1.0).abs() < 1e-9,
            "component {k}: |cos| = {}",
            dot.abs()
        );
    }
    // Started from converged components, an update without new votes converges at once.
    let again = state.update();
    assert!(
        again.pca.iterations <= 3,
        "{} products",
        again.pca.iterations
    );
    assert!(cold.iterations > 3);
}

#[test]
fn admission_is_sticky_across_updates() {
    // Three statements at first: voting on all three admits a participant; later statements raise the bar to 7.
    let mut state = OpinionState::new(
        &[],
        Options {
            min_participants: 0,
            ..Options::default()
        },
    );
    let mut time = 0;
    let mut vote = |state: &mut OpinionState, participant: u64, statement: u64, v: Vote| {
        time += 1;
        state.add_vote(&VoteEvent {
            time,
            participant,
            statement,
            vote: v,
        });
    };
    for p in 0..20 {
        for s in 0..3 {
            let v = if (p % 2 == 0) == (s == 0) {
                Vote::Agree
            } else {
                Vote::Disagree
            };
            vote(&mut state, p, s, v);
        }
    }
    let first = state.update();
    assert!(
        first.in_conv.iter().all(|&x| x),
        "everyone voted on every statement so far"
    );
    for p in 20..40 {
        for s in 0..10 {
            let v = if (p % 2 == 0) == (s % 2 == 0) {
                Vote::Agree
            } else {
                Vote::Disagree
            };
            vote(&mut state, p, s, v);
        }
    }
    let second = state.update();
    assert!(
        second.in_conv.iter().all(|&x| x),
        "the early three-vote participants stay in"
    );
    assert_eq!(second.participants_grouped(), 40);
    // A newcomer with three votes now stays out.
    for s in 0..3 {
        vote(&mut state, 99, s, Vote::Agree);
    }
    let third = state.update();
    let row = state.matrix().row_of(99).unwrap();
    assert!(!third.in_conv[row]);
}

#[test]
fn moderation_change_takes_effect_on_the_next_update() {
    let conversation = seattle();
    let mut state = OpinionState::new(&conversation.statements, Options::default());
    for e in conversation.votes_in_time_order() {
        state.add_vote(&e);
    }
    let before = state.update();
    let target = before.groups[0].repness[0].tid;
    state.set_statement(&Statement {
        id: target,
        is_meta: true,
        ..Statement::default()
    });
    let after = state.update();
    assert!(
        after
            .groups
            .iter()
            .all(|g| g.repness.iter().all(|r| r.tid != target))
    );
    let column = state.matrix().column_of(target).unwrap();
    assert_eq!(after.comment_priorities[column], 49.0);
}

#[test]
fn replay_every_vote_count_ends_with_every_vote() {
    let conversation = seattle();
    let options = Options::default();
    let replayed = replay(&conversation, 500, &options);
    let scratch = analyze(&conversation, &options);
    assert_eq!(replayed.participants, scratch.participants);
    assert_eq!(replayed.vote_counts, scratch.vote_counts);
    assert!(replayed.k >= 2);
    // Sticky admission can only add participants compared with a from-scratch run.
    for (row, &admitted) in scratch.in_conv.iter().enumerate() {
        assert!(!admitted || replayed.in_conv[row]);
    }
}
