//! Unit tests of the proposal workflow and its threshold ladders.
use super::*;
use ProposalEvent as E;
use ProposalState as S;

fn seoul() -> Ladder {
    Ladder::democracy_seoul()
}

#[test]
fn the_happy_path_of_a_petition() {
    let l = seoul();
    let mut state = apply(S::Draft, &l, &E::Submit).unwrap().state;
    assert_eq!(state, S::Submitted);
    state = apply(state, &l, &E::Accept).unwrap().state;
    assert_eq!(state, S::Collecting);
    let at_49 = apply(
        state,
        &l,
        &E::SupportCount {
            before: 48,
            after: 49,
        },
    )
    .unwrap();
    assert_eq!(
        at_49,
        Outcome {
            state: S::Collecting,
            new_obligations: vec![]
        }
    );
    let at_50 = apply(
        state,
        &l,
        &E::SupportCount {
            before: 49,
            after: 50,
        },
    )
    .unwrap();
    assert_eq!(at_50.new_obligations, vec![(Responder::Department, 30)]);
    let at_100 = apply(
        state,
        &l,
        &E::SupportCount {
            before: 99,
            after: 100,
        },
    )
    .unwrap();
    assert_eq!(at_100.state, S::Forum);
    let big = apply(
        S::Forum,
        &l,
        &E::ForumParticipants {
            before: 999,
            after: 1000,
        },
    )
    .unwrap();
    assert_eq!(big.new_obligations, vec![(Responder::Head, 30)]);
    assert_eq!(
        apply(S::Forum, &l, &E::Answer(Responder::Head))
            .unwrap()
            .state,
        S::Answered
    );
    assert_eq!(apply(S::Answered, &l, &E::Adopt).unwrap().state, S::Adopted);
}

#[test]
fn a_jump_past_several_rungs_fires_each_once() {
    let out = apply(
        S::Collecting,
        &seoul(),
        &E::SupportCount {
            before: 10,
            after: 150,
        },
    )
    .unwrap();
    assert_eq!(out.state, S::Forum);
    assert_eq!(out.new_obligations, vec![(Responder::Department, 30)]);
    let again = apply(
        S::Forum,
        &seoul(),
        &E::SupportCount {
            before: 150,
            after: 151,
        },
    )
    .unwrap();
    assert!(
        again.new_obligations.is_empty(),
        "rungs already passed do not fire again"
    );
}

#[test]
fn withdrawals_never_cross_or_revoke() {
    let out = apply(
        S::Collecting,
        &seoul(),
        &E::SupportCount {
            before: 50,
            after: 49,
        },
    )
    .unwrap();
    assert_eq!(
        out,
        Outcome {
            state: S::Collecting,
            new_obligations: vec![]
        }
    );
    let back_up = apply(
        S::Collecting,
        &seoul(),
        &E::SupportCount {
            before: 49,
            after: 50,
        },
    )
    .unwrap();
    assert_eq!(
        back_up.new_obligations.len(),
        1,
        "re-crossing re-fires; storage keeps obligations unique per rung"
    );
}

#[test]
fn panels_open_forums_below_the_threshold_with_a_reason() {
    let forum = E::PanelOpensForum {
        reason: "분쟁 조정 필요".into(),
    };
    assert_eq!(
        apply(S::Collecting, &seoul(), &forum).unwrap().state,
        S::Forum
    );
    let silent = E::PanelOpensForum {
        reason: "  ".into(),
    };
    assert_eq!(
        apply(S::Collecting, &seoul(), &silent),
        Err(TransitionError::ReasonRequired)
    );
}

#[test]
fn moderation_needs_a_reason_to_reject() {
    assert_eq!(
        apply(S::Submitted, &seoul(), &E::Reject { reason: "".into() }),
        Err(TransitionError::ReasonRequired)
    );
    assert_eq!(
        apply(
            S::Submitted,
            &seoul(),
            &E::Reject {
                reason: "광고".into()
            }
        )
        .unwrap()
        .state,
        S::Rejected
    );
}

/// Every (state, event) pair not in the diagram is refused.
#[test]
fn everything_else_is_refused() {
    let events = [
        E::Submit,
        E::Accept,
        E::Reject { reason: "r".into() },
        E::SupportCount {
            before: 0,
            after: 1,
        },
        E::PanelOpensForum { reason: "r".into() },
        E::ForumParticipants {
            before: 0,
            after: 1,
        },
        E::Answer(Responder::Department),
        E::Adopt,
        E::Close,
        E::DeadlinePassed,
    ];
    let allowed: &[(S, usize)] = &[
        (S::Draft, 0),
        (S::Submitted, 1),
        (S::Submitted, 2),
        (S::Collecting, 3),
        (S::Forum, 3),
        (S::Collecting, 4),
        (S::Forum, 5),
        (S::Collecting, 6),
        (S::Forum, 6),
        (S::Answered, 6),
        (S::Collecting, 7),
        (S::Forum, 7),
        (S::Answered, 7),
        (S::Collecting, 8),
        (S::Forum, 8),
        (S::Answered, 8),
        (S::Collecting, 9),
    ];
    for state in S::ALL {
        for (i, event) in events.iter().enumerate() {
            let ok = apply(state, &seoul(), event).is_ok();
            assert_eq!(ok, allowed.contains(&(state, i)), "{state:?} + {event:?}");
        }
    }
}

#[test]
fn support_only_while_collecting_and_visibility() {
    for state in S::ALL {
        assert_eq!(
            state.accepts_support(),
            matches!(state, S::Collecting | S::Forum)
        );
        assert_eq!(ProposalState::parse(state.as_str()), Some(state));
    }
    assert!(!S::Rejected.is_public() && !S::Draft.is_public() && S::Expired.is_public());
}

#[test]
fn ladders_are_validated() {
    assert!(seoul().validate().is_ok());
    let mut bad = seoul();
    bad.rungs[1].threshold = 40;
    assert!(bad.validate().unwrap_err().contains("increase"));
    let mut zero = seoul();
    zero.rungs[0].threshold = 0;
    assert!(zero.validate().is_err());
    let mut two_forums = seoul();
    two_forums.rungs.push(Rung {
        measure: Measure::Supporters,
        threshold: 500,
        effect: Effect::OpenForum,
        answer_days: 0,
    });
    assert!(two_forums.validate().is_err());
}

#[test]
fn configured_ladders_are_checked_and_drive_the_rungs() {
    assert_eq!(LadderConfig::DEMOCRACY_SEOUL.check(), Ok(()));
    let small = LadderConfig {
        answer_at: 10,
        forum_at: 20,
        head_at: 100,
        answer_days: 14,
    };
    assert_eq!(small.check(), Ok(()));
    let ladder = small.ladder();
    let outcome = apply(
        ProposalState::Collecting,
        &ladder,
        &ProposalEvent::SupportCount {
            before: 9,
            after: 10,
        },
    )
    .unwrap();
    assert_eq!(outcome.new_obligations, vec![(Responder::Department, 14)]);
    let outcome = apply(
        ProposalState::Collecting,
        &ladder,
        &ProposalEvent::SupportCount {
            before: 19,
            after: 20,
        },
    )
    .unwrap();
    assert_eq!(outcome.state, ProposalState::Forum);
    for (bad, err) in [
        (
            LadderConfig {
                answer_at: 0,
                ..small
            },
            LadderError::ZeroThreshold,
        ),
        (
            LadderConfig {
                forum_at: 5,
                ..small
            },
            LadderError::ForumBeforeAnswer,
        ),
        (
            LadderConfig {
                answer_days: 0,
                ..small
            },
            LadderError::AnswerDays,
        ),
        (
            LadderConfig {
                answer_days: 400,
                ..small
            },
            LadderError::AnswerDays,
        ),
        (
            LadderConfig {
                head_at: 20_000_000,
                ..small
            },
            LadderError::TooHigh,
        ),
    ] {
        assert_eq!(bad.check(), Err(err));
    }
}
