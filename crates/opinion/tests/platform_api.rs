//! The incremental API the platform uses (issue 14): bursts of votes with the latest vote counting, one
//! update per burst, a stored snapshot in the shape `maeul opinion analyze --json` prints, rebuilding from
//! stored votes, removing a moderated-out statement, and choosing the next statement for a participant.
use std::collections::{BTreeMap, HashSet};
use std::path::Path;

use maeul_opinion::report::MapSnapshot;
use maeul_opinion::{
    Moderation, OpinionState, Options, Statement, Vote, VoteEvent, analyze, read_export_dir,
};

fn seattle() -> maeul_opinion::Conversation {
    read_export_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/15-per-hour-seattle"),
    )
    .expect("fixture")
}

fn as_triples(events: &[VoteEvent]) -> Vec<(u64, u64, Vote)> {
    events
        .iter()
        .map(|e| (e.participant, e.statement, e.vote))
        .collect()
}

#[test]
fn a_later_vote_replaces_the_earlier_one() {
    let mut state = OpinionState::new(&[], Options::default());
    assert_eq!(
        state.apply_votes(&[(1, 5, Vote::Agree), (2, 5, Vote::Pass)]),
        2
    );
    assert_eq!(state.apply_votes(&[(1, 5, Vote::Disagree)]), 1);
    let row = state.matrix().row_of(1).unwrap();
    let column = state.matrix().column_of(5).unwrap();
    assert_eq!(
        state.matrix().get(row, column),
        Some(1),
        "disagree, internal sign"
    );
    assert_eq!(state.matrix().n_votes(), 2);
    // Timed events: the latest time wins whatever the order they come in.
    let mut timed = OpinionState::new(&[], Options::default());
    let late = VoteEvent {
        time: 20,
        participant: 1,
        statement: 5,
        vote: Vote::Agree,
    };
    let early = VoteEvent {
        time: 10,
        participant: 1,
        statement: 5,
        vote: Vote::Disagree,
    };
    timed.apply_vote_events(&[late, early]);
    assert_eq!(timed.matrix().get(0, 0), Some(-1), "agree (time 20) wins");
}

#[test]
fn one_burst_and_one_update_is_the_from_scratch_analysis() {
    let conversation = seattle();
    let events = conversation.votes_in_time_order();
    let mut state = OpinionState::new(&conversation.statements, Options::default());
    state.apply_votes(&as_triples(&events));
    let incremental = MapSnapshot::new(&state.update());
    let scratch = MapSnapshot::new(&analyze(&conversation, &Options::default()));
    assert_eq!(incremental, scratch);
}

#[test]
fn updates_after_each_burst_agree_with_from_scratch_within_the_documented_tolerance() {
    let conversation = seattle();
    let events = conversation.votes_in_time_order();
    let mut state = OpinionState::new(&conversation.statements, Options::default());
    let mut last = None;
    for burst in events.chunks(300) {
        state.apply_vote_events(burst);
        last = Some(state.update());
    }
    let incremental = last.unwrap();
    let scratch = analyze(&conversation, &Options::default());
    // History-free results are identical.
    assert_eq!(incremental.participants, scratch.participants);
    assert_eq!(incremental.vote_counts, scratch.vote_counts);
    assert_eq!(incremental.consensus, scratch.consensus);
    assert_eq!(incremental.pca.center, scratch.pca.center);
    // The PCA to 1e-9 (components up to sign).
    for (a, b) in incremental.pca.comps.iter().zip(&scratch.pca.comps) {
        let same: f64 = a
            .iter()
            .zip(b)
            .map(|(x, y)| (x - y).abs())
            .fold(0.0, f64::max);
        let flipped: f64 = a
            .iter()
            .zip(b)
            .map(|(x, y)| (x + y).abs())
            .fold(0.0, f64::max);
        assert!(same.min(flipped) < 1e-9, "{same} {flipped}");
    }
    // Admission is sticky: everyone admitted from scratch is admitted incrementally.
    for (i, s) in incremental.in_conv.iter().zip(&scratch.in_conv) {
        assert!(*i || !*s);
    }
}

#[test]
fn the_snapshot_has_the_analyze_json_shape_and_round_trips() {
    let conversation = seattle();
    let snapshot = MapSnapshot::new(&analyze(&conversation, &Options::default()));
    let json = serde_json::to_value(&snapshot).unwrap();
    let keys: Vec<&str> = json
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    for key in [
        "k",
        "groups",
        "consensus",
        "participants_grouped",
        "participants",
        "statements",
    ] {
        assert!(keys.contains(&key), "{key} missing from {keys:?}");
    }
    let group = &json["groups"][0];
    assert!(group["id"].is_u64() && group["members"][0].is_string() && group["repness"].is_array());
    assert!(json["consensus"]["agree"].is_array() && json["consensus"]["disagree"].is_array());
    let back: MapSnapshot = serde_json::from_value(json).unwrap();
    assert_eq!(back, snapshot);
}

#[test]
fn rebuilding_from_stored_votes_gives_the_same_map_as_the_live_state() {
    let conversation = seattle();
    let mut stored = conversation.votes.clone();
    stored.reverse(); // storage order does not matter
    let (mut rebuilt, first) =
        OpinionState::from_votes(&conversation.statements, &[], &stored, Options::default());
    assert_eq!(
        MapSnapshot::new(&first),
        MapSnapshot::new(&analyze(&conversation, &Options::default()))
    );
    // It then carries on like any live state.
    rebuilt.apply_votes(&[(999_999, conversation.statements[0].id, Vote::Agree)]);
    assert_eq!(
        rebuilt.update().participants.len(),
        first.participants.len() + 1
    );
}

#[test]
fn a_removed_statement_leaves_voting_and_the_map() {
    let conversation = seattle();
    let events = conversation.votes_in_time_order();
    // The statement with the most votes, so that it would otherwise show in the map.
    let mut counts: BTreeMap<u64, usize> = BTreeMap::new();
    for e in &events {
        *counts.entry(e.statement).or_default() += 1;
    }
    let (&removed, _) = counts.iter().max_by_key(|(_, n)| **n).unwrap();
    let mut state = OpinionState::new(&conversation.statements, Options::default());
    state.apply_vote_events(&events);
    let before = state.update();
    let in_map = |a: &maeul_opinion::Analysis| {
        a.groups
            .iter()
            .flat_map(|g| &g.repness)
            .any(|r| r.tid == removed)
            || a.consensus
                .agree
                .iter()
                .chain(&a.consensus.disagree)
                .any(|c| c.tid == removed)
    };
    assert!(
        in_map(&before),
        "the test needs a statement that is in the map"
    );
    state.remove_statement(removed);
    assert_eq!(
        state.apply_votes(&[(123_456, removed, Vote::Agree)]),
        0,
        "votes refused"
    );
    let after = state.update();
    assert!(!in_map(&after));
    for participant in [123_456, events[0].participant, 7_777_777] {
        assert_ne!(state.next_statement_for(participant), Some(removed));
    }
}

#[test]
fn the_next_statement_is_unvoted_deterministic_and_follows_priority() {
    let statements: Vec<Statement> = (0..6)
        .map(|id| Statement {
            id,
            moderation: Moderation::Accepted,
            ..Statement::default()
        })
        .collect();
    let mut state = OpinionState::new(&statements, Options::default());
    // 30 participants vote on statements 0–3; statement 4 and 5 are new.
    let mut votes = Vec::new();
    for p in 0..30u64 {
        for s in 0..4u64 {
            let vote = if (p + s) % 3 == 0 {
                Vote::Disagree
            } else {
                Vote::Agree
            };
            votes.push((p, s, vote));
        }
    }
    state.apply_votes(&votes);
    state.update();
    // A participant who voted on 0–3 is offered 4 or 5, always the same one for the same state.
    let next = state.next_statement_for(3).unwrap();
    assert!(next == 4 || next == 5);
    assert_eq!(state.next_statement_for(3), Some(next));
    // Someone new is offered anything, and over many people the unseen statements (high novelty
    // priority) come up far more often than the much-voted ones.
    let mut offered: BTreeMap<u64, usize> = BTreeMap::new();
    for p in 1000..3000u64 {
        *offered
            .entry(state.next_statement_for(p).unwrap())
            .or_default() += 1;
    }
    let new_ones = offered.get(&4).unwrap_or(&0) + offered.get(&5).unwrap_or(&0);
    assert!(new_ones > 1000, "{offered:?}");
    // Once everything is voted on, nothing is left.
    state.apply_votes(&[(3, 4, Vote::Pass), (3, 5, Vote::Agree)]);
    assert_eq!(state.next_statement_for(3), None);
    let voted: HashSet<u64> = (0..6).collect();
    assert!(voted.len() == 6);
}
