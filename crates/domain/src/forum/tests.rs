use super::*;
use crate::account::FieldError;
use crate::refusal::{Explain, RefusalKind};

use ConversationState as S;

#[test]
fn the_lifecycle_moves_draft_open_closed_reported() {
    assert_eq!(apply(S::Draft, &ConversationEvent::Open), Ok(S::Open));
    assert_eq!(apply(S::Open, &ConversationEvent::Close), Ok(S::Closed));
    let report = ConversationEvent::PublishReport {
        report: "모두가 보행로 확대에 동의했다".into(),
    };
    assert_eq!(apply(S::Closed, &report), Ok(S::Reported));
}

#[test]
fn every_other_transition_is_refused_naming_state_and_event() {
    let events = [
        ConversationEvent::Open,
        ConversationEvent::Close,
        ConversationEvent::PublishReport { report: "r".into() },
    ];
    let allowed = [(S::Draft, 0), (S::Open, 1), (S::Closed, 2)];
    for state in S::ALL {
        for (i, event) in events.iter().enumerate() {
            if allowed.contains(&(state, i)) {
                continue;
            }
            let refused = apply(state, event).unwrap_err();
            assert_eq!(
                refused,
                ForumRefusal::NotAllowed {
                    state: state.label_id(),
                    event: event.message_id()
                }
            );
            assert_eq!(refused.code(), "transition_not_allowed");
            assert_eq!(refused.args().len(), 2);
        }
    }
}

#[test]
fn a_report_must_say_something() {
    let refused = apply(
        S::Closed,
        &ConversationEvent::PublishReport {
            report: "  \n ".into(),
        },
    )
    .unwrap_err();
    assert_eq!(refused, ForumRefusal::ReportRequired);
    assert_eq!(refused.kind(), RefusalKind::Invalid);
}

#[test]
fn only_open_conversations_take_part_and_residence_is_required_when_configured() {
    for state in S::ALL {
        let r = may_take_part(state, Participation::SignedIn, true);
        assert_eq!(r.is_ok(), state == S::Open, "{state:?}");
        if state != S::Open {
            assert_eq!(r.unwrap_err(), ForumRefusal::NotOpen);
        }
    }
    let refused = may_take_part(S::Open, Participation::Residents, false).unwrap_err();
    assert_eq!(refused, ForumRefusal::ResidentsOnly);
    assert_eq!(refused.kind(), RefusalKind::Forbidden);
    assert!(may_take_part(S::Open, Participation::Residents, true).is_ok());
    assert!(may_take_part(S::Open, Participation::SignedIn, false).is_ok());
}

#[test]
fn votes_only_on_accepted_statements_of_open_conversations() {
    use StatementState as T;
    assert!(check_vote(S::Open, Participation::SignedIn, false, T::Accepted).is_ok());
    for t in [T::Pending, T::Hidden] {
        assert_eq!(
            check_vote(S::Open, Participation::SignedIn, false, t),
            Err(ForumRefusal::StatementNotVotable)
        );
    }
    assert_eq!(
        check_vote(S::Closed, Participation::SignedIn, true, T::Accepted),
        Err(ForumRefusal::NotOpen)
    );
    assert_eq!(
        check_vote(S::Open, Participation::Residents, false, T::Accepted),
        Err(ForumRefusal::ResidentsOnly)
    );
}

#[test]
fn statement_length_rules() {
    assert_eq!(check_statement("   "), Err(FieldError::Required));
    assert_eq!(
        check_statement("짧다"),
        Err(FieldError::TooShort {
            min: STATEMENT_MIN_CHARS
        })
    );
    let long = "가".repeat(STATEMENT_MAX_CHARS + 1);
    assert_eq!(
        check_statement(&long),
        Err(FieldError::TooLong {
            max: STATEMENT_MAX_CHARS
        })
    );
    // Characters, not bytes: 140 Hangul syllables are accepted.
    let exact = "가".repeat(STATEMENT_MAX_CHARS);
    assert_eq!(check_statement(&exact).as_deref(), Ok(exact.as_str()));
    assert_eq!(
        check_statement("  골목길에   벤치를\n놓자 ").as_deref(),
        Ok("골목길에 벤치를 놓자")
    );
}

#[test]
fn topic_and_description_rules() {
    assert_eq!(check_topic(" "), Err(FieldError::Required));
    assert!(matches!(
        check_topic(&"a".repeat(TOPIC_MAX_CHARS + 1)),
        Err(FieldError::TooLong { .. })
    ));
    assert_eq!(check_topic(" 보행 안전 ").as_deref(), Ok("보행 안전"));
    assert!(check_description("").is_ok());
    assert!(matches!(
        check_description(&"a".repeat(DESCRIPTION_MAX_CHARS + 1)),
        Err(FieldError::TooLong { .. })
    ));
}

#[test]
fn moderation_modes_decide_the_first_state() {
    use StatementState as T;
    assert_eq!(initial_state(ModerationMode::Pre, false), T::Pending);
    assert_eq!(initial_state(ModerationMode::Pre, true), T::Accepted);
    assert_eq!(initial_state(ModerationMode::Post, false), T::Accepted);
    assert_eq!(moderate(T::Pending, T::Accepted), Ok(T::Accepted));
    assert_eq!(moderate(T::Accepted, T::Hidden), Ok(T::Hidden));
    assert_eq!(moderate(T::Hidden, T::Accepted), Ok(T::Accepted));
    let refused = moderate(T::Hidden, T::Hidden).unwrap_err();
    assert_eq!(
        refused,
        ForumRefusal::AlreadyModerated {
            state: T::Hidden.label_id()
        }
    );
    assert_eq!(refused.code(), "already_moderated");
    assert!(moderate(T::Accepted, T::Pending).is_err());
}

#[test]
fn vote_signs_are_polis_export_signs() {
    for v in VoteValue::ALL {
        assert_eq!(VoteValue::from_export_sign(v.export_sign()), Some(v));
    }
    assert_eq!(VoteValue::Agree.export_sign(), 1);
    assert_eq!(VoteValue::from_export_sign(2), None);
}

#[test]
fn every_refusal_has_a_distinct_message() {
    let all = [
        ForumRefusal::NotOpen,
        ForumRefusal::ResidentsOnly,
        ForumRefusal::StatementNotVotable,
        ForumRefusal::ReportRequired,
        ForumRefusal::AlreadyModerated { state: "x" },
    ];
    let mut ids: Vec<&str> = all.iter().map(|r| r.message_id()).collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), all.len());
    assert!(ids.iter().all(|id| id.starts_with("forum-refusal-")));
}
