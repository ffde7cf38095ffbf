use super::*;

#[test]
fn registration_numbers_are_checked_and_normalised() {
    let m = VerificationMethod::RegistrationNumber;
    assert_eq!(verify(false, m, "101-82-12345").unwrap(), "101-82-12345");
    assert_eq!(verify(false, m, "1018212345").unwrap(), "101-82-12345");
    for bad in [
        "101-8212345",
        "10182123",
        "abc-de-fghij",
        "",
        "1018-2-12345",
    ] {
        assert_eq!(
            verify(false, m, bad),
            Err(CooperationRefusal::BadRegistrationNumber),
            "{bad}"
        );
    }
    assert_eq!(
        verify(true, m, "101-82-12345"),
        Err(CooperationRefusal::AlreadyVerified)
    );
}

#[test]
fn an_in_person_check_needs_a_note() {
    let m = VerificationMethod::InPersonCheck;
    assert_eq!(
        verify(false, m, "  "),
        Err(CooperationRefusal::CheckNoteRequired)
    );
    assert!(verify(false, m, "정관과 회원명부 확인").is_ok());
}

#[test]
fn only_representatives_and_staff_edit_and_the_last_representative_stays() {
    assert!(may_edit(Some(MemberRole::Representative)).is_ok());
    assert!(may_edit(Some(MemberRole::Staff)).is_ok());
    assert_eq!(
        may_edit(Some(MemberRole::Member)),
        Err(CooperationRefusal::NotAMember)
    );
    assert_eq!(may_edit(None), Err(CooperationRefusal::NotAMember));
    assert_eq!(
        may_leave(MemberRole::Representative, 1),
        Err(CooperationRefusal::LastRepresentative)
    );
    assert!(may_leave(MemberRole::Representative, 2).is_ok());
    assert!(may_leave(MemberRole::Member, 0).is_ok());
}

const H: i64 = 3600;
/// 2026-12-07 00:00 in Seoul.
const MONDAY: i64 = 1_796_569_200;

fn slot(from_h: i64, to_h: i64) -> Slot {
    Slot {
        starts_at: MONDAY + from_h * H,
        ends_at: MONDAY + to_h * H,
    }
}

#[test]
fn slots_are_half_open() {
    assert!(slot(10, 12).overlaps(&slot(11, 13)));
    assert!(slot(10, 12).overlaps(&slot(9, 15)));
    assert!(!slot(10, 12).overlaps(&slot(12, 14)));
    assert!(!slot(12, 14).overlaps(&slot(10, 12)));
}

#[test]
fn requests_lie_within_opening_hours_and_miss_approved_slots() {
    let hours = OpeningHours::parse("09:00-22:00").unwrap();
    assert_eq!(hours.text(), "09:00-22:00");
    assert!(check_request(slot(10, 12), hours, &[slot(12, 14)]).is_ok());
    assert_eq!(
        check_request(slot(13, 15), hours, &[slot(12, 14)]),
        Err(CooperationRefusal::Overlaps)
    );
    assert_eq!(
        check_request(slot(8, 10), hours, &[]),
        Err(CooperationRefusal::OutsideOpeningHours)
    );
    assert_eq!(
        check_request(slot(21, 23), hours, &[]),
        Err(CooperationRefusal::OutsideOpeningHours)
    );
    assert_eq!(
        check_request(slot(12, 12), hours, &[]),
        Err(CooperationRefusal::EndsBeforeStart)
    );
    assert!(OpeningHours::parse("22:00-09:00").is_none());
    assert!(OpeningHours::parse("9-22").is_none());
}

#[test]
fn only_the_owner_approves_and_never_over_an_approved_booking() {
    use BookingDecision::*;
    use BookingState::*;
    assert_eq!(decide(Pending, Approve, true, false, false), Ok(Approved));
    assert_eq!(
        decide(Pending, Approve, false, true, false),
        Err(CooperationRefusal::NotTheOwner)
    );
    assert_eq!(
        decide(Pending, Approve, true, false, true),
        Err(CooperationRefusal::Overlaps)
    );
    assert_eq!(decide(Pending, Decline, true, false, true), Ok(Declined));
    assert!(matches!(
        decide(Declined, Approve, true, false, false),
        Err(CooperationRefusal::BookingClosed { .. })
    ));
    assert_eq!(decide(Approved, Cancel, false, true, false), Ok(Cancelled));
    assert_eq!(
        decide(Approved, Cancel, false, false, false),
        Err(CooperationRefusal::NotTheOwner)
    );
}

#[test]
fn enrolment_waits_when_full_and_completion_needs_n_of_m() {
    assert_eq!(place(19, 20), EnrolmentState::Enrolled);
    assert_eq!(place(20, 20), EnrolmentState::Waiting);
    assert_eq!(place(500, 0), EnrolmentState::Enrolled);
    assert!(check_completion_rule(5, 6).is_ok());
    assert_eq!(
        check_completion_rule(7, 6),
        Err(CooperationRefusal::BadCompletionRule)
    );
    assert_eq!(
        check_completion_rule(0, 6),
        Err(CooperationRefusal::BadCompletionRule)
    );
    assert!(completes(EnrolmentState::Enrolled, 5, 5));
    assert!(!completes(EnrolmentState::Enrolled, 4, 5));
    assert!(!completes(EnrolmentState::Waiting, 6, 5));
}

#[test]
fn a_reviewer_of_the_applicant_organization_cannot_score_it() {
    assert_eq!(
        check_review(&[3, 7], Some(7), &[5, 5]),
        Err(CooperationRefusal::ConflictOfInterest)
    );
    assert!(check_review(&[3], Some(7), &[5, 10, 0]).is_ok());
    assert!(check_review(&[3], None, &[5]).is_ok());
    assert_eq!(
        check_review(&[], Some(7), &[11]),
        Err(CooperationRefusal::ScoreOutOfRange { max: MAX_SCORE })
    );
}

#[test]
fn scores_are_weighted_and_their_spread_shown() {
    assert_eq!(weighted(&[2, 1, 1], &[10, 6, 2]), 7_000);
    assert_eq!(weighted(&[1, 1, 1], &[1, 0, 0]), 333);
    assert_eq!(spread(&[7_000, 5_500, 9_000]), Some((5_500, 9_000)));
    assert_eq!(spread(&[]), None);
    assert_eq!(check_weights(&[0, 1]), Err(CooperationRefusal::BadWeights));
    assert_eq!(check_weights(&[]), Err(CooperationRefusal::BadWeights));
    assert!(check_weights(&[3, 2]).is_ok());
}

#[test]
fn awards_follow_the_ranking_within_the_budget() {
    let apps = vec![
        Scored {
            id: 1,
            amount: 3_000_000,
            reviews: vec![8_000, 9_000],
        },
        Scored {
            id: 2,
            amount: 4_000_000,
            reviews: vec![9_000, 9_000],
        },
        Scored {
            id: 3,
            amount: 2_000_000,
            reviews: vec![7_000],
        },
        Scored {
            id: 4,
            amount: 1_000_000,
            reviews: vec![6_000],
        },
        Scored {
            id: 5,
            amount: 500_000,
            reviews: vec![],
        },
    ];
    let r = rank_and_award(&apps, 8_000_000);
    let order: Vec<i64> = r.iter().map(|x| x.id).collect();
    assert_eq!(order, vec![2, 1, 3, 4, 5]);
    let awarded: Vec<i64> = r.iter().filter(|x| x.awarded).map(|x| x.id).collect();
    // 4 + 3 = 7 million; #3 (2 million) no longer fits; #4 (1 million) does; unreviewed never.
    assert_eq!(awarded, vec![2, 1, 4]);
    assert_eq!(r[0].rank, 1);
    assert_eq!(r[1].mean, 8_500);
    let total: i64 = apps
        .iter()
        .filter(|a| awarded.contains(&a.id))
        .map(|a| a.amount)
        .sum();
    assert!(total <= 8_000_000);
    // ties: the earlier application first
    let tied = rank_and_award(
        &[
            Scored {
                id: 9,
                amount: 1,
                reviews: vec![5_000],
            },
            Scored {
                id: 8,
                amount: 1,
                reviews: vec![5_000],
            },
        ],
        1,
    );
    assert_eq!(
        (tied[0].id, tied[0].awarded, tied[1].awarded),
        (8, true, false)
    );
}

#[test]
fn api_instants_are_rfc3339_with_an_offset() {
    assert_eq!(
        parse_rfc3339("2026-12-07T10:00:00+09:00"),
        Ok(MONDAY + 10 * H)
    );
    assert_eq!(parse_rfc3339("2026-12-07T01:00:00Z"), Ok(MONDAY + 10 * H));
    assert!(parse_rfc3339("2026-12-07 10:00").is_err());
    assert!(parse_rfc3339("").is_err());
}

#[test]
fn any_member_acts_for_an_organization_and_no_one_else() {
    for role in MemberRole::ALL {
        assert_eq!(may_act_for(Some(role)), Ok(()));
    }
    assert_eq!(may_act_for(None), Err(CooperationRefusal::NotAMember));
}

#[test]
fn organizations_are_partners_of_linkable_objects_and_proposers_only_of_proposals() {
    use crate::object::ObjectKind;
    for kind in LINKABLE {
        assert_eq!(check_link(kind, LinkCapacity::Partner), Ok(()), "{kind:?}");
    }
    assert_eq!(
        check_link(ObjectKind::Proposal, LinkCapacity::Proposer),
        Ok(())
    );
    for kind in [
        ObjectKind::AgendaItem,
        ObjectKind::BudgetProject,
        ObjectKind::CommitteeMeeting,
    ] {
        assert_eq!(
            check_link(kind, LinkCapacity::Proposer),
            Err(CooperationRefusal::ProposerOnlyOfProposals)
        );
    }
    for kind in [ObjectKind::Comment, ObjectKind::Plan, ObjectKind::GrantCall] {
        assert_eq!(
            check_link(kind, LinkCapacity::Partner),
            Err(CooperationRefusal::NotLinkable)
        );
    }
}

#[test]
fn an_event_ends_after_it_starts_within_a_week() {
    use crate::time::{DAY, HOUR};
    assert_eq!(check_event(1_000, 1_000 + 3 * HOUR), Ok(()));
    assert_eq!(check_event(1_000, 1_000 + 7 * DAY), Ok(()));
    assert_eq!(
        check_event(1_000, 1_000),
        Err(CooperationRefusal::EndsBeforeStart)
    );
    assert_eq!(
        check_event(1_000, 999),
        Err(CooperationRefusal::EndsBeforeStart)
    );
    assert_eq!(
        check_event(1_000, 1_001 + 7 * DAY),
        Err(CooperationRefusal::EventTooLong)
    );
}

#[test]
fn an_organization_is_active_with_an_activity_in_the_last_year() {
    use crate::time::DAY;
    let now = 1_000 * DAY;
    let activity = [
        (1, now - 10 * DAY),
        (2, now - 400 * DAY),
        (3, now + 5 * DAY),
        (2, now - 366 * DAY),
        (4, now - 365 * DAY),
    ];
    let active: Vec<i64> = active_organizations(&activity, now).into_iter().collect();
    assert_eq!(active, vec![1, 3, 4]);
    assert!(active_organizations(&[], now).is_empty());
}
