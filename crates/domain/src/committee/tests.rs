use super::*;

#[test]
fn kinds_sectors_positions_choices_round_trip() {
    for k in CommitteeKind::ALL {
        assert_eq!(CommitteeKind::parse(k.as_str()), Some(k));
    }
    assert!(CommitteeKind::Subcommittee.needs_parent());
    assert!(!CommitteeKind::ResidentCouncil.needs_parent());
    for s in Sector::ALL {
        assert_eq!(Sector::parse(s.as_str()), Some(s));
    }
    for p in Position::ALL {
        assert_eq!(Position::parse(p.as_str()), Some(p));
    }
    for c in Choice::ALL {
        assert_eq!(Choice::parse(c.as_str()), Some(c));
    }
    for s in CallState::ALL {
        assert_eq!(CallState::parse(s.as_str()), Some(s));
    }
    for s in MeetingState::ALL {
        assert_eq!(MeetingState::parse(s.as_str()), Some(s));
    }
    for s in MotionState::ALL {
        assert_eq!(MotionState::parse(s.as_str()), Some(s));
    }
    assert_eq!(Sector::parse("military"), None);
    assert_eq!(CommitteeKind::parse(""), None);
}

#[test]
fn seats_by_sector_fill_up() {
    let mapo = SeatPlan {
        public: 10,
        civil: 18,
        expert: 0,
    };
    assert_eq!(mapo.total(), 28);
    assert!(mapo.validate().is_ok());
    assert!(mapo.check_vacancy(Sector::Civil, 17).is_ok());
    assert_eq!(
        mapo.check_vacancy(Sector::Civil, 18),
        Err(SeatError::SectorFull {
            sector: Sector::Civil,
            seats: 18
        })
    );
    assert!(mapo.check_vacancy(Sector::Expert, 0).is_err());
    assert_eq!(SeatPlan::default().validate(), Err(SeatError::NoSeats));
}

#[test]
fn gender_cap_of_sixty_percent() {
    // 50 seats, neither gender above 60 %: at most 30 each.
    assert_eq!(gender_cap_limit(50, 60), 30);
    assert!(check_gender_cap(&[("female", 30), ("male", 20)], 50, 60).is_ok());
    let err = check_gender_cap(&[("female", 31), ("male", 19)], 50, 60).unwrap_err();
    assert!(matches!(err, SeatError::GenderCap { count: 31, .. }));
    // 7 seats at 60 %: 4.2 → 4.
    assert!(check_gender_cap(&[("male", 4)], 7, 60).is_ok());
    assert!(check_gender_cap(&[("male", 5)], 7, 60).is_err());
    assert_eq!(
        check_gender_cap(&[], 10, 40),
        Err(SeatError::BadCap(40)),
        "a cap below half cannot be met by two genders"
    );
    assert!(check_gender_cap(&[("x", 10)], 10, 100).is_ok());
}

#[test]
fn terms_bound_acting() {
    let t = Term::new(100, 200).unwrap();
    assert!(t.covers(100) && t.covers(150) && t.covers(200));
    assert!(!t.covers(99) && !t.covers(201));
    assert_eq!(Term::new(200, 200), Err(TermError::EndsBeforeStart));
    assert_eq!(Term::new(300, 200), Err(TermError::EndsBeforeStart));
}

#[test]
fn call_lifecycle_and_refusals() {
    use CallEvent as E;
    use CallState as S;
    assert_eq!(apply_call(S::Draft, E::Open, 0), Ok(S::Open));
    assert!(S::Open.accepts_applications());
    assert_eq!(apply_call(S::Open, E::Close, 3), Ok(S::Closed));
    assert_eq!(
        apply_call(S::Closed, E::Draw, 0),
        Err(TransitionError::NoApplicants)
    );
    assert_eq!(apply_call(S::Closed, E::Draw, 3), Ok(S::Drawn));
    assert_eq!(apply_call(S::Drawn, E::Publish, 3), Ok(S::Published));
    // Everything else is refused.
    for state in S::ALL {
        for event in [E::Open, E::Close, E::Draw, E::Publish] {
            let allowed = matches!(
                (state, event),
                (S::Draft, E::Open)
                    | (S::Open, E::Close)
                    | (S::Closed, E::Draw)
                    | (S::Drawn, E::Publish)
            );
            assert_eq!(
                apply_call(state, event, 5).is_ok(),
                allowed,
                "{state:?} {event:?}"
            );
        }
    }
    for s in S::ALL {
        assert_eq!(s.accepts_applications(), s == S::Open);
    }
}

#[test]
fn eligibility_lists_every_reason() {
    let rule = Eligibility {
        min_age: 16,
        training_hours: 6,
    };
    let ok = ApplicantFacts {
        verified_in_scope: true,
        age: 40,
        training_hours: 6,
    };
    assert!(rule.check(&ok).is_empty());
    let nothing = ApplicantFacts {
        verified_in_scope: false,
        age: 15,
        training_hours: 3,
    };
    assert_eq!(
        rule.check(&nothing),
        vec![
            Ineligible::NotResident,
            Ineligible::TooYoung { min_age: 16 },
            Ineligible::Training {
                logged: 3,
                required: 6
            }
        ]
    );
    assert_eq!(
        rule.check(&ApplicantFacts { age: 16, ..ok }),
        vec![],
        "the minimum age itself is eligible"
    );
    assert_eq!(
        rule.check(&ApplicantFacts {
            training_hours: 5,
            ..ok
        })[0]
            .message_id(),
        "committee-ineligible-training"
    );
}

#[test]
fn quorum_is_a_majority_of_seats_filled() {
    assert_eq!(quorum_needed(28), 15);
    assert_eq!(quorum_needed(7), 4);
    assert!(has_quorum(15, 28));
    assert!(!has_quorum(14, 28));
    assert!(!has_quorum(0, 0), "an empty committee never has quorum");
    assert!(has_quorum(1, 1));
}

#[test]
fn a_meeting_from_schedule_to_published_minutes() {
    use MeetingEvent as E;
    use MeetingState as S;
    let mut s = S::Scheduled;
    assert!(s.takes_registrations());
    s = apply(s, &E::PublishAgenda).unwrap();
    assert_eq!(s, S::AgendaPublished);
    assert!(s.records_attendance() && s.takes_registrations());
    s = apply(
        s,
        &E::Convene {
            present: 4,
            seats_filled: 7,
            at: 0,
            starts_at: 0,
        },
    )
    .unwrap();
    assert_eq!(s, S::Convened);
    assert!(!s.takes_registrations());
    s = apply(s, &E::StartSession).unwrap();
    assert_eq!(s, S::InSession);
    assert!(s.takes_motions());
    s = apply(s, &E::Adjourn).unwrap();
    assert_eq!(s, S::Adjourned);
    assert!(!s.takes_motions() && !s.records_attendance());
    s = apply(s, &E::DraftMinutes).unwrap();
    assert_eq!(s, S::MinutesDrafted);
    assert_eq!(
        apply(s, &E::DraftMinutes),
        Ok(S::MinutesDrafted),
        "a draft can be revised"
    );
    assert!(!s.minutes_public());
    s = apply(s, &E::ApproveMinutes).unwrap();
    assert_eq!(s, S::MinutesApproved);
    s = apply(s, &E::PublishMinutes).unwrap();
    assert_eq!(s, S::Published);
    assert!(s.minutes_public());
}

#[test]
fn convening_without_quorum_is_refused() {
    let e = apply(
        MeetingState::AgendaPublished,
        &MeetingEvent::Convene {
            present: 3,
            seats_filled: 7,
            at: 0,
            starts_at: 0,
        },
    );
    assert_eq!(
        e,
        Err(TransitionError::NoQuorum {
            present: 3,
            seats_filled: 7,
            needed: 4
        })
    );
}

#[test]
fn cancelling_needs_a_reason_and_an_unopened_meeting() {
    use MeetingEvent as E;
    use MeetingState as S;
    let cancel = E::Cancel {
        reason: "typhoon".into(),
    };
    assert_eq!(apply(S::Scheduled, &cancel), Ok(S::Cancelled));
    assert_eq!(apply(S::AgendaPublished, &cancel), Ok(S::Cancelled));
    assert_eq!(
        apply(
            S::Scheduled,
            &E::Cancel {
                reason: "  ".into()
            }
        ),
        Err(TransitionError::ReasonRequired)
    );
    for s in [
        S::Convened,
        S::InSession,
        S::Adjourned,
        S::Published,
        S::Cancelled,
    ] {
        assert!(apply(s, &cancel).is_err(), "{s:?}");
    }
}

#[test]
fn every_other_meeting_transition_is_refused() {
    use MeetingEvent as E;
    use MeetingState as S;
    let events = [
        E::PublishAgenda,
        E::Convene {
            present: 10,
            seats_filled: 10,
            at: 0,
            starts_at: 0,
        },
        E::StartSession,
        E::Adjourn,
        E::DraftMinutes,
        E::ApproveMinutes,
        E::PublishMinutes,
        E::Cancel { reason: "r".into() },
    ];
    let allowed = |s: S, e: &E| {
        matches!(
            (s, e),
            (S::Scheduled, E::PublishAgenda)
                | (S::AgendaPublished, E::Convene { .. })
                | (S::Convened, E::StartSession)
                | (S::InSession, E::Adjourn)
                | (S::Adjourned | S::MinutesDrafted, E::DraftMinutes)
                | (S::MinutesDrafted, E::ApproveMinutes)
                | (S::MinutesApproved, E::PublishMinutes)
                | (S::Scheduled | S::AgendaPublished, E::Cancel { .. })
        )
    };
    for s in S::ALL {
        for e in &events {
            let result = apply(s, e);
            assert_eq!(result.is_ok(), allowed(s, e), "{s:?} {e:?}");
            if let Err(err) = result {
                assert!(matches!(err, TransitionError::NotAllowed { .. }));
            }
        }
    }
}

#[test]
fn vote_rules_decide() {
    let t = |yes, no, abstain| Tally { yes, no, abstain };
    // Simple majority of those voting: abstentions do not count.
    assert!(VoteRule::MajorityOfVoting.carries(&t(3, 2, 5), 10));
    assert!(
        !VoteRule::MajorityOfVoting.carries(&t(2, 2, 0), 4),
        "a tie fails"
    );
    // Majority of members present: abstentions count against.
    assert!(!VoteRule::MajorityOfPresent.carries(&t(3, 2, 5), 10));
    assert!(VoteRule::MajorityOfPresent.carries(&t(6, 0, 4), 10));
    assert!(
        !VoteRule::MajorityOfPresent.carries(&t(5, 0, 0), 10),
        "half is not more than half"
    );
    // Two thirds of those present.
    let two_thirds = VoteRule::Qualified {
        numerator: 2,
        denominator: 3,
    };
    assert!(two_thirds.carries(&t(6, 3, 0), 9));
    assert!(!two_thirds.carries(&t(5, 4, 0), 9));
    assert!(two_thirds.carries(&t(10, 0, 0), 15));
    assert!(!two_thirds.carries(&t(9, 0, 0), 15));
}

#[test]
fn vote_rules_round_trip_and_reject_nonsense() {
    for rule in [
        VoteRule::MajorityOfVoting,
        VoteRule::MajorityOfPresent,
        VoteRule::Qualified {
            numerator: 2,
            denominator: 3,
        },
    ] {
        assert_eq!(VoteRule::parse(&rule.as_string()), Some(rule));
    }
    for bad in [
        "",
        "qualified:3/2",
        "qualified:0/3",
        "qualified:x/3",
        "majority",
    ] {
        assert_eq!(VoteRule::parse(bad), None, "{bad}");
    }
}

#[test]
fn a_motion_is_debated_voted_and_carried_or_failed() {
    use MotionEvent as E;
    use MotionState as S;
    let mut s = apply_motion(S::Proposed, &E::Debate).unwrap();
    assert_eq!(s, S::Debated);
    s = apply_motion(s, &E::OpenVote).unwrap();
    assert_eq!(s, S::Voting);
    let close = |yes, no, present| E::CloseVote {
        tally: Tally {
            yes,
            no,
            abstain: 0,
        },
        present,
        seats_filled: 7,
        rule: VoteRule::MajorityOfVoting,
    };
    assert_eq!(apply_motion(s, &close(3, 1, 4)), Ok(S::Carried));
    assert_eq!(apply_motion(s, &close(1, 3, 4)), Ok(S::Failed));
    assert!(matches!(
        apply_motion(s, &close(3, 0, 3)),
        Err(TransitionError::NoQuorum { needed: 4, .. })
    ));
    assert!(S::Carried.is_decided() && S::Failed.is_decided());
    assert!(!S::Withdrawn.is_decided() && !S::Voting.is_decided());
    assert_eq!(apply_motion(S::Proposed, &E::OpenVote), Ok(S::Voting));
    assert_eq!(apply_motion(S::Proposed, &E::Withdraw), Ok(S::Withdrawn));
    assert_eq!(apply_motion(S::Debated, &E::Withdraw), Ok(S::Withdrawn));
}

#[test]
fn closed_motions_refuse_everything() {
    use MotionEvent as E;
    use MotionState as S;
    let events = [
        E::Debate,
        E::OpenVote,
        E::CloseVote {
            tally: Tally::default(),
            present: 5,
            seats_filled: 5,
            rule: VoteRule::MajorityOfVoting,
        },
        E::Withdraw,
    ];
    for s in [S::Carried, S::Failed, S::Withdrawn] {
        for e in &events {
            assert!(apply_motion(s, e).is_err(), "{s:?} {e:?}");
        }
    }
    assert!(
        apply_motion(S::Voting, &E::Withdraw).is_err(),
        "a vote under way is not withdrawn"
    );
    assert!(apply_motion(S::Voting, &E::Debate).is_err());
    assert!(apply_motion(S::Debated, &E::Debate).is_err());
    assert!(
        apply_motion(S::Proposed, &events[2]).is_err(),
        "no vote to close"
    );
}

#[test]
fn one_vote_per_member_within_the_term_on_an_open_motion() {
    let term = Term::new(1_000, 2_000).unwrap();
    assert_eq!(
        check_vote(MotionState::Voting, &term, 1_500, true, false),
        Ok(())
    );
    assert_eq!(
        check_vote(MotionState::Voting, &term, 1_500, true, true),
        Err(VoteRefusal::AlreadyVoted)
    );
    assert_eq!(
        check_vote(MotionState::Voting, &term, 2_001, true, false),
        Err(VoteRefusal::OutsideTerm)
    );
    assert_eq!(
        check_vote(MotionState::Voting, &term, 999, true, false),
        Err(VoteRefusal::OutsideTerm)
    );
    assert_eq!(
        check_vote(MotionState::Voting, &term, 1_500, false, false),
        Err(VoteRefusal::NotPresent)
    );
    for closed in [
        MotionState::Carried,
        MotionState::Failed,
        MotionState::Withdrawn,
        MotionState::Proposed,
        MotionState::Debated,
    ] {
        assert_eq!(
            check_vote(closed, &term, 1_500, true, false),
            Err(VoteRefusal::NotOpen),
            "{closed:?}"
        );
    }
    assert_eq!(VoteRefusal::AlreadyVoted.id(), "already-voted");
}

#[test]
fn tallies_and_ballots() {
    let mut t = Tally::default();
    for c in [Choice::Yes, Choice::Yes, Choice::No, Choice::Abstain] {
        t.add(c);
    }
    assert_eq!((t.yes, t.no, t.abstain, t.total()), (2, 1, 1, 4));
    assert!(Ballot::from_secret(false).records_choices());
    assert!(!Ballot::from_secret(true).records_choices());
}

#[test]
fn form_inputs() {
    use crate::account::FieldError;
    use input::*;
    assert_eq!(
        parse_name("  종로구   협치회의 "),
        Ok("종로구 협치회의".into())
    );
    assert_eq!(parse_name(""), Err(FieldError::Required));
    assert_eq!(parse_name("a"), Err(FieldError::TooShort { min: 2 }));
    assert!(parse_text(&"x".repeat(TEXT_MAX + 1)).is_err());
    assert_eq!(parse_count("12", 1, 50), Ok(12));
    assert_eq!(parse_count("0", 1, 50), Err(FieldError::Invalid));
    assert_eq!(parse_count("x", 1, 50), Err(FieldError::Invalid));
    assert_eq!(parse_count(" ", 1, 50), Err(FieldError::Required));
    assert!(check_seed_text("Lotto 1200: 3 11 19 25 31 42 + 7").is_ok());
    assert_eq!(check_seed_text("  "), Err(FieldError::Required));
    // 2026-12-01 00:00 KST = 2026-11-30 15:00 UTC.
    assert_eq!(parse_date("2026-12-01"), Ok(1_796_050_800));
    assert_eq!(
        parse_datetime("2026-12-01T19:30"),
        Ok(1_796_050_800 + 19 * 3600 + 1800)
    );
    assert_eq!(parse_date("2026-02-30"), Err(FieldError::InvalidDate));
    assert_eq!(parse_date("2028-02-29").map(|_| ()), Ok(()));
    assert_eq!(
        parse_datetime("2026-12-01T24:00"),
        Err(FieldError::InvalidDate)
    );
    assert_eq!(parse_datetime("tomorrow"), Err(FieldError::InvalidDate));
    assert_eq!(parse_date(""), Err(FieldError::Required));
}

#[test]
fn a_meeting_convenes_no_earlier_than_an_hour_before_its_start() {
    let starts_at = 1_800_000_000;
    let convene = |at| {
        apply(
            MeetingState::AgendaPublished,
            &MeetingEvent::Convene {
                present: 4,
                seats_filled: 7,
                at,
                starts_at,
            },
        )
    };
    assert_eq!(
        convene(starts_at - CONVENE_EARLY - 1),
        Err(TransitionError::TooEarly {
            opens_at: starts_at - CONVENE_EARLY
        })
    );
    assert_eq!(
        convene(starts_at - CONVENE_EARLY),
        Ok(MeetingState::Convened)
    );
    assert_eq!(convene(starts_at + 7200), Ok(MeetingState::Convened));
}

#[test]
fn ineligibility_reasons_round_trip_as_codes() {
    let reasons = vec![
        Ineligible::NotResident,
        Ineligible::TooYoung { min_age: 19 },
        Ineligible::Training {
            logged: 2,
            required: 6,
        },
    ];
    let stored = Ineligible::encode(&reasons);
    assert_eq!(stored, "not-resident;too-young:19;training:2/6");
    assert_eq!(Ineligible::decode(&stored), Some(reasons));
    assert_eq!(Ineligible::decode(""), Some(vec![]));
    assert_eq!(Ineligible::decode("Younger than 19"), None);
}

#[test]
fn quotas_that_no_panel_can_meet_are_refused() {
    let cap = |share| CategoryQuota {
        max_share: Some(share),
        ..Default::default()
    };
    // 3 seats, no gender above 60 %: each gender at most ⌊1.8⌋ = 1 seat, 2 < 3.
    assert_eq!(
        check_quotas(3, &[("gender", vec![cap(0.6), cap(0.6)])]),
        Err(QuotaProblem::GenderCap { seats: 3, max: 2 })
    );
    assert_eq!(
        check_quotas(5, &[("gender", vec![cap(0.6), cap(0.6)])]),
        Ok(())
    );
    let min = |n| CategoryQuota {
        min: Some(n),
        ..Default::default()
    };
    assert_eq!(
        check_quotas(4, &[("age_band", vec![min(2), min(2), min(1)])]),
        Err(QuotaProblem::Strata {
            feature: "age_band".into()
        })
    );
    assert_eq!(
        check_quotas(5, &[("age_band", vec![min(2), min(2), min(1)])]),
        Ok(())
    );
}

#[test]
fn age_bands_must_cover_every_eligible_age() {
    let bands = AgeBand::of_feature(["19-39", "40-59", "60+"]).unwrap();
    assert_eq!(check_age_bands(19, &bands), Ok(()));
    assert_eq!(
        check_age_bands(16, &bands),
        Err(QuotaProblem::AgeBands { min_age: 16 })
    );
    let gap = AgeBand::of_feature(["16-29", "40+"]).unwrap();
    assert_eq!(
        check_age_bands(16, &gap),
        Err(QuotaProblem::AgeBands { min_age: 30 })
    );
    assert!(AgeBand::of_feature(["female", "male"]).is_none());
    assert!(bands[0].contains(19) && bands[0].contains(39) && !bands[0].contains(40));
    assert!(bands[2].contains(120));
}
