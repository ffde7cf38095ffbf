use super::*;
use crate::refusal::Explain;
use crate::scope::{ScopeKind, ScopeRef};

// 1 = city; 2, 3 = districts; 20, 21 in district 2; 30 in district 3.
fn scope(id: i64) -> ScopeRef {
    let (kind, ancestors) = match id {
        1 => (ScopeKind::City, vec![]),
        2 | 3 => (ScopeKind::District, vec![1]),
        20 | 21 => (ScopeKind::Neighbourhood, vec![2, 1]),
        _ => (ScopeKind::Neighbourhood, vec![3, 1]),
    };
    ScopeRef {
        id,
        kind,
        ancestors,
    }
}

fn at(state: ItemState, holder: i64) -> ItemPosition {
    ItemPosition {
        state,
        holder,
        referral_pending: false,
    }
}

fn carried(scope: i64) -> MotionCheck {
    MotionCheck {
        carried: true,
        committee_scope_id: scope,
    }
}

#[test]
fn an_item_goes_from_proposed_to_adopted() {
    use ItemState as S;
    let mut state = S::Proposed;
    for (event, next) in [
        (ItemEvent::Accept, S::Accepted),
        (ItemEvent::Deliberate, S::UnderDeliberation),
        (ItemEvent::Prioritise, S::Prioritised),
        (
            ItemEvent::Adopt {
                motion: carried(20),
            },
            S::Adopted,
        ),
    ] {
        state = apply_item(&at(state, 20), 20, &event).unwrap();
        assert_eq!(state, next);
    }
    assert!(!state.is_open());
}

#[test]
fn screening_declines_with_a_reason_only() {
    let p = at(ItemState::Proposed, 20);
    let blank = ItemEvent::Decline { reason: " ".into() };
    assert_eq!(apply_item(&p, 20, &blank), Err(PlanRefusal::ReasonRequired));
    let declined = ItemEvent::Decline {
        reason: "duplicate of the park item".into(),
    };
    assert_eq!(apply_item(&p, 20, &declined), Ok(ItemState::Declined));
}

#[test]
fn rejection_needs_a_reason_and_deliberation() {
    let reject = ItemEvent::Reject {
        reason: "no site".into(),
    };
    for state in [ItemState::UnderDeliberation, ItemState::Prioritised] {
        assert_eq!(
            apply_item(&at(state, 2), 2, &reject),
            Ok(ItemState::Rejected)
        );
        let blank = ItemEvent::Reject { reason: "".into() };
        assert_eq!(
            apply_item(&at(state, 2), 2, &blank),
            Err(PlanRefusal::ReasonRequired)
        );
    }
    assert!(matches!(
        apply_item(&at(ItemState::Proposed, 2), 2, &reject),
        Err(PlanRefusal::NotAllowed { .. })
    ));
}

#[test]
fn open_items_merge_but_not_into_themselves() {
    for state in ItemState::ALL {
        let merged = apply_item(&at(state, 2), 2, &ItemEvent::Merge { into: 5, item: 7 });
        if state.is_open() {
            assert_eq!(merged, Ok(ItemState::Merged));
        } else {
            assert!(matches!(merged, Err(PlanRefusal::NotAllowed { .. })));
        }
    }
    assert_eq!(
        apply_item(
            &at(ItemState::Proposed, 2),
            2,
            &ItemEvent::Merge { into: 7, item: 7 }
        ),
        Err(PlanRefusal::MergeIntoItself)
    );
}

#[test]
fn adopting_needs_a_carried_motion_of_the_holding_scope() {
    let p = at(ItemState::Prioritised, 2);
    let failed = MotionCheck {
        carried: false,
        committee_scope_id: 2,
    };
    assert_eq!(
        apply_item(&p, 2, &ItemEvent::Adopt { motion: failed }),
        Err(PlanRefusal::MotionNotCarried)
    );
    assert_eq!(
        apply_item(
            &p,
            2,
            &ItemEvent::Adopt {
                motion: carried(20)
            }
        ),
        Err(PlanRefusal::MotionOfAnotherScope)
    );
    // Not before it is prioritised.
    assert!(matches!(
        apply_item(
            &at(ItemState::UnderDeliberation, 2),
            2,
            &ItemEvent::Adopt { motion: carried(2) }
        ),
        Err(PlanRefusal::NotAllowed { .. })
    ));
}

#[test]
fn only_the_holding_level_acts_and_not_while_a_referral_waits() {
    let p = at(ItemState::Proposed, 20);
    assert_eq!(
        apply_item(&p, 2, &ItemEvent::Accept),
        Err(PlanRefusal::NotHeld)
    );
    let pending = ItemPosition {
        referral_pending: true,
        ..p
    };
    assert_eq!(
        apply_item(&pending, 20, &ItemEvent::Accept),
        Err(PlanRefusal::ReferralPending)
    );
}

#[test]
fn every_other_item_transition_is_refused() {
    let events = [
        ItemEvent::Accept,
        ItemEvent::Deliberate,
        ItemEvent::Prioritise,
        ItemEvent::Adopt { motion: carried(2) },
    ];
    let allowed = [
        (ItemState::Proposed, 0),
        (ItemState::Accepted, 1),
        (ItemState::UnderDeliberation, 2),
        (ItemState::Prioritised, 3),
    ];
    for state in ItemState::ALL {
        for (i, event) in events.iter().enumerate() {
            let ok = allowed.contains(&(state, i));
            let result = apply_item(&at(state, 2), 2, event);
            assert_eq!(result.is_ok(), ok, "{state:?} {event:?}");
            if let Err(e) = result {
                assert_eq!(e.code(), "transition_not_allowed");
            }
        }
    }
}

#[test]
fn referral_goes_up_to_the_parent_and_down_to_a_child_only() {
    let p = at(ItemState::Proposed, 20);
    assert_eq!(
        refer(&p, &scope(20), &scope(2), "beyond the dong's budget"),
        Ok(Direction::Up)
    );
    let d = at(ItemState::Accepted, 2);
    assert_eq!(
        refer(&d, &scope(2), &scope(21), "the dong can decide"),
        Ok(Direction::Down)
    );
    // Not to a sibling, a cousin, the grandparent, another district's dong, or itself.
    for to in [21, 30, 1, 3, 20] {
        assert_eq!(
            refer(&p, &scope(20), &scope(to), "why"),
            Err(PlanRefusal::NotAdjacent),
            "to {to}"
        );
    }
    assert_eq!(
        refer(&d, &scope(2), &scope(30), "why"),
        Err(PlanRefusal::NotAdjacent)
    );
}

#[test]
fn referral_needs_the_holder_a_reason_an_open_item_and_no_pending_referral() {
    let p = at(ItemState::Proposed, 20);
    assert_eq!(
        refer(&p, &scope(2), &scope(1), "why"),
        Err(PlanRefusal::NotHeld)
    );
    assert_eq!(
        refer(&p, &scope(20), &scope(2), "  "),
        Err(PlanRefusal::ReasonRequired)
    );
    let pending = ItemPosition {
        referral_pending: true,
        ..p
    };
    assert_eq!(
        refer(&pending, &scope(20), &scope(2), "why"),
        Err(PlanRefusal::ReferralPending)
    );
    let adopted = at(ItemState::Adopted, 20);
    assert!(matches!(
        refer(&adopted, &scope(20), &scope(2), "why"),
        Err(PlanRefusal::ItemClosed { .. })
    ));
}

#[test]
fn the_receiver_accepts_or_returns_to_the_sender() {
    use ReferralOutcome as O;
    assert_eq!(
        answer_referral(O::Pending, 20, 2, 2, &ReferralAnswer::Accept),
        Ok((O::Accepted, 2))
    );
    let back = ReferralAnswer::Return {
        reason: "the dong can do it".into(),
    };
    assert_eq!(
        answer_referral(O::Pending, 20, 2, 2, &back),
        Ok((O::Returned, 20))
    );
    assert_eq!(
        answer_referral(
            O::Pending,
            20,
            2,
            2,
            &ReferralAnswer::Return { reason: "".into() }
        ),
        Err(PlanRefusal::ReasonRequired)
    );
    assert_eq!(
        answer_referral(O::Pending, 20, 2, 20, &ReferralAnswer::Accept),
        Err(PlanRefusal::NotReceiver)
    );
    for done in [O::Accepted, O::Returned] {
        assert_eq!(
            answer_referral(done, 20, 2, 2, &ReferralAnswer::Accept),
            Err(PlanRefusal::NoPendingReferral)
        );
    }
}

#[test]
fn a_plan_goes_through_its_whole_life() {
    use PlanEvent as E;
    use PlanState as S;
    let steps = [
        (E::Resolve { motion: carried(2) }, S::CommitteeResolved),
        (E::Submit, S::Submitted),
        (E::OpenConsultation, S::InConsultation),
        (
            E::RequestAdjustment {
                comment: "split project 2".into(),
            },
            S::Revising,
        ),
        (E::Resubmit, S::InConsultation),
        (
            E::Approve {
                granted: 300_000_000,
            },
            S::Approved,
        ),
        (E::Execute, S::Executing),
        (E::Close, S::Closing),
        (E::Evaluate, S::Evaluated),
        (E::Archive, S::Archived),
    ];
    let mut state = S::Drafting;
    for (event, next) in steps {
        state = apply_plan(state, 2, &event).unwrap();
        assert_eq!(state, next, "{event:?}");
    }
}

#[test]
fn submitting_an_unresolved_plan_is_refused() {
    assert_eq!(
        apply_plan(PlanState::Drafting, 2, &PlanEvent::Submit),
        Err(PlanRefusal::NotResolved)
    );
}

#[test]
fn plan_refusals_for_motions_comments_amounts_and_order() {
    let failed = MotionCheck {
        carried: false,
        committee_scope_id: 2,
    };
    assert_eq!(
        apply_plan(
            PlanState::Drafting,
            2,
            &PlanEvent::Resolve { motion: failed }
        ),
        Err(PlanRefusal::MotionNotCarried)
    );
    assert_eq!(
        apply_plan(
            PlanState::Drafting,
            2,
            &PlanEvent::Resolve { motion: carried(3) }
        ),
        Err(PlanRefusal::MotionOfAnotherScope)
    );
    assert_eq!(
        apply_plan(
            PlanState::InConsultation,
            2,
            &PlanEvent::RequestAdjustment { comment: "".into() }
        ),
        Err(PlanRefusal::CommentRequired)
    );
    assert_eq!(
        apply_plan(
            PlanState::InConsultation,
            2,
            &PlanEvent::Approve { granted: -1 }
        ),
        Err(PlanRefusal::NegativeAmount)
    );
    assert!(matches!(
        apply_plan(PlanState::Submitted, 2, &PlanEvent::Approve { granted: 1 }),
        Err(PlanRefusal::NotAllowed { .. })
    ));
    assert!(matches!(
        apply_plan(PlanState::Archived, 2, &PlanEvent::Execute),
        Err(PlanRefusal::NotAllowed { .. })
    ));
    assert!(PlanEvent::Submit.freezes_revision() && PlanEvent::Resubmit.freezes_revision());
    assert!(PlanEvent::Approve { granted: 0 }.by_level_above());
    assert!(!PlanEvent::Submit.by_level_above());
    assert_eq!(check_year(2027), Ok(()));
    assert_eq!(check_year(27), Err(PlanRefusal::BadYear));
}

#[test]
fn every_refusal_has_a_code_and_a_message() {
    let all = [
        PlanRefusal::ReasonRequired,
        PlanRefusal::NotHeld,
        PlanRefusal::NotAdjacent,
        PlanRefusal::MotionNotCarried,
        PlanRefusal::NotResolved,
        PlanRefusal::ItemClosed {
            state: ItemState::Adopted.label_id(),
        },
    ];
    for r in all {
        assert!(!r.code().is_empty());
        assert!(
            r.message_id().starts_with("plan-refusal-") || r.message_id().starts_with("refusal-")
        );
    }
}

#[test]
fn revisions_differ_by_the_lines_removed_and_added() {
    let old = "title: plan\nsection budget: 100\nproject 1: lights";
    let new = "title: plan\nsection budget: 120\nproject 1: lights\nproject 2: kitchen";
    let (removed, added) = diff_lines(old, new);
    assert_eq!(removed, ["section budget: 100"]);
    assert_eq!(added, ["section budget: 120", "project 2: kitchen"]);
    assert_eq!(diff_lines(old, old), (vec![], vec![]));
}

#[test]
fn a_ballot_approves_items_under_deliberation_of_its_scope_once_each() {
    let item = |id, holder, state| BallotItem { id, holder, state };
    let ok = [
        item(1, 2, ItemState::UnderDeliberation),
        item(2, 2, ItemState::UnderDeliberation),
    ];
    assert_eq!(check_ballot(2, &ok), Ok(()));
    assert_eq!(check_ballot(2, &[]), Err(PlanRefusal::EmptyBallot));
    for bad in [
        item(3, 20, ItemState::UnderDeliberation),
        item(3, 2, ItemState::Prioritised),
        item(1, 2, ItemState::UnderDeliberation),
    ] {
        assert_eq!(
            check_ballot(2, &[ok[0], bad]),
            Err(PlanRefusal::NotOnTheBallot),
            "{bad:?}"
        );
    }
    assert_eq!(
        rank(vec![(7, 2), (5, 4), (6, 2), (8, 0)]),
        [(1, 5, 4), (2, 6, 2), (2, 7, 2), (4, 8, 0)]
    );
}

#[test]
fn a_points_ballot_spreads_at_most_the_votes_points_over_items_on_the_ballot() {
    let item = |id, holder, state| BallotItem { id, holder, state };
    let a = item(1, 2, ItemState::UnderDeliberation);
    let b = item(2, 2, ItemState::UnderDeliberation);
    let points = PriorityVote {
        method: PriorityMethod::Points,
        points: 10,
    };
    // All on one item, spread, or fewer than the whole budget.
    assert_eq!(check_points_ballot(2, &points, &[(a, 10)]), Ok(()));
    assert_eq!(check_points_ballot(2, &points, &[(a, 7), (b, 3)]), Ok(()));
    assert_eq!(check_points_ballot(2, &points, &[(a, 1)]), Ok(()));
    assert_eq!(
        check_points_ballot(2, &points, &[(a, 7), (b, 4)]),
        Err(PlanRefusal::TooManyPoints { points: 10 })
    );
    assert_eq!(
        check_points_ballot(2, &points, &[]),
        Err(PlanRefusal::EmptyBallot)
    );
    assert_eq!(
        check_points_ballot(2, &points, &[(a, 0)]),
        Err(PlanRefusal::EmptyBallot)
    );
    // The same item twice, an item of another level, an item not under deliberation.
    for bad in [
        a,
        item(3, 20, ItemState::UnderDeliberation),
        item(3, 2, ItemState::Prioritised),
    ] {
        assert_eq!(
            check_points_ballot(2, &points, &[(a, 1), (bad, 1)]),
            Err(PlanRefusal::NotOnTheBallot),
            "{bad:?}"
        );
    }
    // An approval ballot gives one point per item, never more.
    let approval = PriorityVote::default();
    assert_eq!(check_points_ballot(2, &approval, &[(a, 1), (b, 1)]), Ok(()));
    assert_eq!(
        check_points_ballot(2, &approval, &[(a, 2)]),
        Err(PlanRefusal::NotOnTheBallot)
    );
}

#[test]
fn a_vote_gives_between_two_and_a_hundred_points_and_is_fixed_once_a_ballot_is_cast() {
    let points = |n| PriorityVote {
        method: PriorityMethod::Points,
        points: n,
    };
    assert_eq!(check_vote_config(&points(10), 0), Ok(()));
    assert_eq!(check_vote_config(&PriorityVote::default(), 0), Ok(()));
    for n in [0, 1, 101] {
        assert_eq!(
            check_vote_config(&points(n), 0),
            Err(PlanRefusal::BadPointsBudget { min: 2, max: 100 })
        );
    }
    assert_eq!(
        check_vote_config(&points(10), 1),
        Err(PlanRefusal::VoteUnderWay)
    );
    let e = PlanRefusal::TooManyPoints { points: 10 };
    assert_eq!(
        (e.code(), e.message_id()),
        ("too_many_points", "plan-refusal-too-many-points")
    );
}

#[test]
fn every_item_transition_and_referral_step_is_a_change_followers_hear_of() {
    for state in ItemState::ALL {
        assert_eq!(
            ItemChange::of_state(state).is_none(),
            state == ItemState::Proposed
        );
    }
    assert_eq!(
        ItemChange::of_referral(Direction::Up),
        ItemChange::ReferredUp
    );
    assert_eq!(
        ItemChange::of_answer(ReferralOutcome::Returned),
        Some(ItemChange::ReferralReturned)
    );
    assert_eq!(ItemChange::of_answer(ReferralOutcome::Pending), None);
}

#[test]
fn only_projects_of_adopted_items_get_a_working_group_and_only_members_post_updates() {
    assert_eq!(check_new_group(&[ItemState::Adopted]), Ok(()));
    assert_eq!(
        check_new_group(&[ItemState::Adopted, ItemState::Prioritised]),
        Err(PlanRefusal::ItemNotAdopted)
    );
    assert_eq!(check_new_group(&[]), Err(PlanRefusal::ItemNotAdopted));
    assert_eq!(check_update_author(true), Ok(()));
    let e = check_update_author(false).unwrap_err();
    assert_eq!(
        (e.code(), e.kind()),
        ("not_a_group_member", crate::refusal::RefusalKind::Forbidden)
    );
}

#[test]
fn group_texts_are_trimmed_and_bounded() {
    use crate::account::FieldError;
    assert_eq!(
        parse_group_text("  회의록 \r\n둘째 줄 "),
        Ok("회의록 \n둘째 줄".into())
    );
    assert_eq!(parse_group_text(" \n "), Err(FieldError::Required));
    assert_eq!(
        parse_group_text(&"가".repeat(GROUP_TEXT_MAX + 1)),
        Err(FieldError::TooLong {
            max: GROUP_TEXT_MAX
        })
    );
}
