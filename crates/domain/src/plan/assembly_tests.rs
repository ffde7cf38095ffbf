use super::*;
use crate::refusal::Explain;

const DONG: i64 = 20;

fn ctx(state: AssemblyState, channel: VoteChannel) -> BallotContext {
    BallotContext {
        state,
        channel,
        resident: true,
        present: true,
    }
}

fn yes(item: i64, preference: Option<u32>) -> Mark {
    Mark {
        item,
        choice: AssemblyChoice::Yes,
        preference,
    }
}

fn no(item: i64, preference: Option<u32>) -> Mark {
    Mark {
        item,
        choice: AssemblyChoice::No,
        preference,
    }
}

#[test]
fn an_assembly_goes_from_drafting_to_the_adopted_plan() {
    use AssemblyEvent as E;
    use AssemblyState as S;
    let mut state = S::Drafting;
    for (event, next) in [
        (E::SubmitAgenda, S::PreConsultation),
        (E::FixAgenda, S::AgendaFixed),
        (E::OpenPreVoting, S::PreVoting),
        (E::OpenSession, S::InSession),
        (E::PublishResults, S::ResultsPublished),
        (E::AdoptPlan, S::PlanAdopted),
    ] {
        state = apply_assembly(state, 2, true, event).unwrap();
        assert_eq!(state, next);
    }
    assert!(E::FixAgenda.by_level_above());
    assert!(!E::OpenSession.by_level_above());
}

#[test]
fn every_assembly_event_out_of_order_is_refused() {
    use AssemblyEvent as E;
    use AssemblyState as S;
    let allowed = [
        (S::Drafting, E::SubmitAgenda),
        (S::PreConsultation, E::FixAgenda),
        (S::AgendaFixed, E::OpenPreVoting),
        (S::PreVoting, E::OpenSession),
        (S::InSession, E::PublishResults),
        (S::ResultsPublished, E::AdoptPlan),
    ];
    for state in S::ALL {
        for event in E::ALL {
            if allowed.contains(&(state, event)) {
                continue;
            }
            let refusal = apply_assembly(state, 1, true, event).unwrap_err();
            assert_eq!(
                refusal,
                PlanRefusal::NotAllowed {
                    state: state.label_id(),
                    event: event.message_id()
                }
            );
            assert_eq!(refusal.code(), "transition_not_allowed");
        }
    }
    for e in E::ALL {
        assert_eq!(AssemblyEvent::parse(e.as_str()), Some(e));
    }
    assert_eq!(AssemblyEvent::parse("adopt"), None);
}

#[test]
fn an_empty_agenda_is_not_submitted_and_a_plan_is_needed_to_adopt_one() {
    assert_eq!(
        apply_assembly(
            AssemblyState::Drafting,
            0,
            true,
            AssemblyEvent::SubmitAgenda
        ),
        Err(PlanRefusal::EmptyAgenda)
    );
    let refusal = apply_assembly(
        AssemblyState::ResultsPublished,
        2,
        false,
        AssemblyEvent::AdoptPlan,
    )
    .unwrap_err();
    assert_eq!(refusal, PlanRefusal::NoPlanLinked);
    assert_eq!(refusal.code(), "no_plan_linked");
}

#[test]
fn the_agenda_takes_screened_items_the_neighbourhood_holds_while_drafting() {
    let held = |state| AgendaCandidate {
        holder: DONG,
        state,
    };
    for state in [
        ItemState::Accepted,
        ItemState::UnderDeliberation,
        ItemState::Prioritised,
        ItemState::Adopted,
    ] {
        assert_eq!(
            check_agenda_item(DONG, AssemblyState::Drafting, held(state)),
            Ok(())
        );
    }
    assert_eq!(
        check_agenda_item(DONG, AssemblyState::Drafting, held(ItemState::Proposed)),
        Err(PlanRefusal::NotScreened)
    );
    for closed in [ItemState::Declined, ItemState::Rejected, ItemState::Merged] {
        assert_eq!(
            check_agenda_item(DONG, AssemblyState::Drafting, held(closed)),
            Err(PlanRefusal::ItemClosed {
                state: closed.label_id()
            })
        );
    }
    // Referred up to the district: beyond the neighbourhood's authority, not on its agenda.
    let referred = AgendaCandidate {
        holder: 2,
        state: ItemState::Accepted,
    };
    assert_eq!(
        check_agenda_item(DONG, AssemblyState::Drafting, referred),
        Err(PlanRefusal::NotHeld)
    );
    for state in AssemblyState::ALL.into_iter().skip(1) {
        assert_eq!(
            check_agenda_item(DONG, state, held(ItemState::Accepted)),
            Err(PlanRefusal::AgendaFixed)
        );
    }
}

#[test]
fn attendance_is_recorded_only_in_session() {
    for state in AssemblyState::ALL {
        let expected = if state == AssemblyState::InSession {
            Ok(())
        } else {
            Err(PlanRefusal::NotInSession)
        };
        assert_eq!(check_attendance(state), expected);
    }
}

#[test]
fn pre_votes_and_on_site_votes_each_have_their_time() {
    let agenda = [1, 2];
    let marks = [yes(1, Some(1)), no(2, Some(2))];
    for channel in [VoteChannel::Online, VoteChannel::Paper] {
        assert_eq!(
            check_assembly_ballot(ctx(AssemblyState::PreVoting, channel), &agenda, &marks),
            Ok(())
        );
        for state in [AssemblyState::AgendaFixed, AssemblyState::InSession] {
            assert_eq!(
                check_assembly_ballot(ctx(state, channel), &agenda, &marks),
                Err(PlanRefusal::VotingClosed)
            );
        }
    }
    let on_site = ctx(AssemblyState::InSession, VoteChannel::OnSite);
    assert_eq!(check_assembly_ballot(on_site, &agenda, &marks), Ok(()));
    assert_eq!(
        check_assembly_ballot(
            ctx(AssemblyState::PreVoting, VoteChannel::OnSite),
            &agenda,
            &marks
        ),
        Err(PlanRefusal::VotingClosed)
    );
    let absent = BallotContext {
        present: false,
        ..on_site
    };
    assert_eq!(
        check_assembly_ballot(absent, &agenda, &marks),
        Err(PlanRefusal::NotPresent)
    );
    let outsider = BallotContext {
        resident: false,
        ..ctx(AssemblyState::PreVoting, VoteChannel::Online)
    };
    assert_eq!(
        check_assembly_ballot(outsider, &agenda, &marks),
        Err(PlanRefusal::NotAResident)
    );
}

#[test]
fn a_ballot_marks_agenda_items_once_in_a_proper_preference_order() {
    let open = ctx(AssemblyState::PreVoting, VoteChannel::Online);
    let agenda = [1, 2, 3];
    assert_eq!(
        check_assembly_ballot(open, &agenda, &[]),
        Err(PlanRefusal::EmptyBallot)
    );
    assert_eq!(
        check_assembly_ballot(open, &agenda, &[yes(9, None)]),
        Err(PlanRefusal::NotOnTheAgenda)
    );
    assert_eq!(
        check_assembly_ballot(open, &agenda, &[yes(1, None), no(1, None)]),
        Err(PlanRefusal::NotOnTheAgenda)
    );
    for bad in [
        vec![yes(1, Some(0))],
        vec![yes(1, Some(2))],
        vec![yes(1, Some(1)), yes(2, Some(1))],
    ] {
        let refusal = check_assembly_ballot(open, &agenda, &bad).unwrap_err();
        assert_eq!(refusal, PlanRefusal::BadPreferenceOrder);
        assert_eq!(refusal.code(), "bad_preference_order");
    }
    // Preferences are optional; yes/no alone is a ballot.
    assert_eq!(
        check_assembly_ballot(open, &agenda, &[no(3, None), yes(2, Some(1))]),
        Ok(())
    );
}

#[test]
fn results_add_on_site_votes_to_the_pre_votes() {
    let agenda = [1, 2];
    let marks = [
        (VoteChannel::Online, yes(1, Some(1))),
        (VoteChannel::Online, no(2, Some(2))),
        (VoteChannel::Paper, yes(1, Some(2))),
        (VoteChannel::Paper, yes(2, Some(1))),
        (VoteChannel::OnSite, no(1, None)),
        (VoteChannel::OnSite, no(2, Some(1))),
        (VoteChannel::OnSite, no(2, None)),
    ];
    let results = tally(&agenda, &marks);
    assert_eq!(
        results,
        vec![
            ItemResult {
                item: 1,
                pre_yes: 2,
                pre_no: 0,
                on_site_yes: 0,
                on_site_no: 1,
                points: 2 + 1,
            },
            ItemResult {
                item: 2,
                pre_yes: 1,
                pre_no: 1,
                on_site_yes: 0,
                on_site_no: 2,
                points: 1 + 2 + 2,
            },
        ]
    );
    assert_eq!((results[0].yes(), results[0].no()), (2, 1));
    assert!(results[0].passed());
    assert_eq!((results[1].yes(), results[1].no()), (1, 3));
    assert!(!results[1].passed());
}

#[test]
fn a_plan_in_drafting_is_adopted_by_the_assembly_only() {
    assert_eq!(
        apply_plan(PlanState::Drafting, DONG, &PlanEvent::AdoptByAssembly),
        Ok(PlanState::CommitteeResolved)
    );
    assert!(matches!(
        apply_plan(PlanState::Submitted, DONG, &PlanEvent::AdoptByAssembly),
        Err(PlanRefusal::NotAllowed { .. })
    ));
}

#[test]
fn every_assembly_refusal_has_its_code_message_and_kind() {
    use crate::refusal::RefusalKind;
    for (r, code, kind) in [
        (
            PlanRefusal::EmptyAgenda,
            "empty_agenda",
            RefusalKind::Invalid,
        ),
        (
            PlanRefusal::AgendaFixed,
            "agenda_fixed",
            RefusalKind::Conflict,
        ),
        (
            PlanRefusal::NotScreened,
            "item_not_screened",
            RefusalKind::Invalid,
        ),
        (
            PlanRefusal::NoPlanLinked,
            "no_plan_linked",
            RefusalKind::Conflict,
        ),
        (
            PlanRefusal::NotInSession,
            "not_in_session",
            RefusalKind::Conflict,
        ),
        (
            PlanRefusal::NotAResident,
            "not_a_resident",
            RefusalKind::Invalid,
        ),
        (
            PlanRefusal::VotingClosed,
            "voting_closed",
            RefusalKind::Conflict,
        ),
        (
            PlanRefusal::NotPresent,
            "not_present",
            RefusalKind::Conflict,
        ),
        (
            PlanRefusal::NotOnTheAgenda,
            "not_on_the_agenda",
            RefusalKind::Invalid,
        ),
        (
            PlanRefusal::BadPreferenceOrder,
            "bad_preference_order",
            RefusalKind::Invalid,
        ),
        (
            PlanRefusal::UnknownVoter,
            "unknown_voter",
            RefusalKind::Invalid,
        ),
    ] {
        assert_eq!(r.code(), code);
        assert_eq!(r.kind(), kind);
        assert!(r.message_id().starts_with("plan-refusal-"));
    }
}
