//! The one bridge between the forums and `maeul-opinion`: stored statements and current votes become the
//! engine's conversation (the same one the Pol.is export describes, so `maeul opinion analyze` on the
//! export computes the same map), a map update is one from-scratch analysis, and the next statement to
//! show a participant is drawn with the probability of its comment priority at the last update.
use std::collections::BTreeMap;

use maeul_db::forums::{CurrentVote, StatementRow};
use maeul_domain::forum::StatementState;
use maeul_opinion::report::MapSnapshot;
use maeul_opinion::{Conversation, Moderation, Options, Statement, Vote, VoteEvent};

/// The engine's conversation: every statement out of pre-moderation (hidden ones moderated out, as
/// Pol.is's `moderated = -1`), and the current votes on accepted statements, timed in milliseconds.
pub fn conversation_of(statements: &[StatementRow], votes: &[CurrentVote]) -> Conversation {
    Conversation {
        statements: statements
            .iter()
            .filter(|s| s.state != StatementState::Pending)
            .map(|s| Statement {
                id: s.id as u64,
                author: s.author_pseudonym.map(|p| p as u64),
                text: s.body.clone(),
                moderation: if s.state == StatementState::Hidden {
                    Moderation::Rejected
                } else {
                    Moderation::Accepted
                },
                ..Statement::default()
            })
            .collect(),
        votes: votes
            .iter()
            .filter_map(|v| {
                Some(VoteEvent {
                    time: v.voted_at * 1000,
                    participant: v.pseudonym as u64,
                    statement: v.statement_id as u64,
                    vote: Vote::from_export_sign(v.vote)?,
                })
            })
            .collect(),
        exported_groups: vec![],
    }
}

/// What one map update stores.
pub struct ComputedMap {
    pub snapshot: MapSnapshot,
    pub map_json: String,
    pub svg: String,
    pub priorities_json: String,
}

/// One from-scratch analysis (call it off the async threads): the snapshot in the shape `maeul opinion
/// analyze --json` prints, the accessible SVG, and each statement's comment priority.
pub fn compute(conversation: &Conversation) -> ComputedMap {
    let analysis = maeul_opinion::analyze(conversation, &Options::default());
    let snapshot = MapSnapshot::new(&analysis);
    let priorities: BTreeMap<String, f64> = analysis
        .statements
        .iter()
        .zip(&analysis.comment_priorities)
        .map(|(id, p)| (id.to_string(), *p))
        .collect();
    ComputedMap {
        map_json: serde_json::to_string(&snapshot).unwrap_or_default(),
        svg: maeul_opinion::map_svg::render_map_string(&analysis, &conversation.statements),
        priorities_json: serde_json::to_string(&priorities).unwrap_or_default(),
        snapshot,
    }
}

/// The priority of a statement nobody has seen yet (what a statement newer than the last update gets).
fn unseen_priority() -> f64 {
    maeul_opinion::stats::comment_priorities(
        &maeul_opinion::stats::VoteTally {
            n_members: 0,
            agree: vec![0],
            disagree: vec![0],
            seen: vec![0],
        },
        &[0.0],
        &[false],
    )[0]
}

/// The statement to show next among `candidates` (accepted, not yet voted on by the participant): drawn
/// with probability proportional to its comment priority at the last update, as Pol.is does and as
/// `OpinionState::next_statement_for` draws, deterministically for the participant and their vote count.
pub fn next_statement(
    candidates: &[i64],
    priorities_json: Option<&str>,
    pseudonym: i64,
    votes_cast: usize,
) -> Option<i64> {
    if candidates.is_empty() {
        return None;
    }
    let priorities: BTreeMap<String, f64> = priorities_json
        .and_then(|j| serde_json::from_str(j).ok())
        .unwrap_or_default();
    let unseen = unseen_priority();
    let weights: Vec<f64> = candidates
        .iter()
        .map(|id| {
            priorities
                .get(&id.to_string())
                .copied()
                .unwrap_or(unseen)
                .max(0.0)
        })
        .collect();
    let total: f64 = weights.iter().sum();
    let mut rng = maeul_opinion::pca::SplitMix64::new(
        (pseudonym as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15)
            ^ (votes_cast as u64).rotate_left(32),
    );
    if total <= 0.0 {
        return Some(candidates[(rng.next_u64() % candidates.len() as u64) as usize]);
    }
    let mut u = rng.next_f64() * total;
    for (id, w) in candidates.iter().zip(&weights) {
        if u < *w {
            return Some(*id);
        }
        u -= w;
    }
    candidates.last().copied()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_draw_follows_priorities_and_skips_zero_weights() {
        let json = r#"{"1": 0.0, "2": 5.0}"#;
        for p in 0..50 {
            assert_eq!(next_statement(&[1, 2], Some(json), p, 0), Some(2));
        }
        assert_eq!(next_statement(&[], Some(json), 0, 0), None);
        // Unknown statements get the unseen priority, so they are shown too.
        let drawn: std::collections::HashSet<i64> = (0..200)
            .filter_map(|p| next_statement(&[2, 3], Some(json), p, 1))
            .collect();
        assert!(drawn.contains(&3) && drawn.contains(&2));
    }
}
