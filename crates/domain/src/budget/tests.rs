use super::envelope::{apportion, split};
use super::*;
use crate::refusal::{Explain, RefusalKind};

fn child(scope_id: i64, population: u64, need: u64, grade: u64) -> ChildFigures {
    ChildFigures {
        scope_id,
        population,
        need,
        grade,
    }
}

#[test]
fn apportion_gives_largest_remainders_first_and_sums_exactly() {
    assert_eq!(apportion(10, &[1, 1, 1]), Some(vec![4, 3, 3]));
    assert_eq!(apportion(100, &[1, 2, 3, 4]), Some(vec![10, 20, 30, 40]));
    // 7 * 2/7 = 2, 7 * 5/7 = 5 exactly.
    assert_eq!(apportion(7, &[2, 5]), Some(vec![2, 5]));
    // remainders: 10*1/6 = 1.67, 10*2/6 = 3.33, 10*3/6 = 5 → the 0.67 wins the leftover won.
    assert_eq!(apportion(10, &[1, 2, 3]), Some(vec![2, 3, 5]));
    assert_eq!(apportion(5, &[0, 0]), None);
    assert_eq!(apportion(0, &[1, 1]), Some(vec![0, 0]));
}

#[test]
fn split_keeps_the_parents_part_and_shows_every_term() {
    let formula = Formula {
        own_permille: 100,
        base: 1,
        population: 1,
        need: 0,
        grade: 0,
    };
    let children = [child(1, 300, 0, 0), child(2, 100, 0, 0)];
    let s = split(1_000_000, &formula, &children).unwrap();
    assert_eq!(s.own, 100_000);
    // 900,000 handed down: 450,000 equally, 450,000 by population 3:1.
    assert_eq!(s.children[0].amount, 225_000 + 337_500);
    assert_eq!(s.children[1].amount, 225_000 + 112_500);
    assert_eq!(s.children[0].terms[0], (Term::Base, 225_000));
    assert_eq!(s.children[0].terms[1], (Term::Population, 337_500));
    assert_eq!(s.children[0].terms[2], (Term::Need, 0));
}

#[test]
fn split_refuses_unusable_formulas() {
    let children = [child(1, 1, 0, 0)];
    let mut f = Formula::DEFAULT;
    f.own_permille = 1001;
    assert_eq!(
        split(10, &f, &children),
        Err(BudgetRefusal::OwnShareTooLarge { permille: 1001 })
    );
    let none = Formula {
        own_permille: 0,
        base: 0,
        population: 0,
        need: 0,
        grade: 0,
    };
    assert_eq!(split(10, &none, &children), Err(BudgetRefusal::NoWeights));
    assert_eq!(
        split(10, &Formula::DEFAULT, &[]),
        Err(BudgetRefusal::NoChildren)
    );
    assert_eq!(
        split(10_000, &Formula::DEFAULT, &children),
        Err(BudgetRefusal::TermWithoutValues { term: Term::Need })
    );
    assert!(Formula::DEFAULT.check().is_ok());
}

mod properties {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn children_and_own_part_sum_exactly_to_the_parent(
            amount in 0u64..10_000_000_000_000,
            own in 0u32..=1000,
            weights in proptest::array::uniform4(0u32..100),
            figures in proptest::collection::vec((1u64..1_000_000, 1u64..100, 1u64..100), 1..30),
        ) {
            prop_assume!(weights.iter().any(|w| *w > 0));
            let formula = Formula { own_permille: own, base: weights[0], population: weights[1], need: weights[2], grade: weights[3] };
            let children: Vec<ChildFigures> = figures.iter().enumerate()
                .map(|(i, (p, n, g))| child(i as i64, *p, *n, *g)).collect();
            let s = split(amount, &formula, &children).unwrap();
            let handed: u64 = s.children.iter().map(|c| c.amount).sum();
            prop_assert_eq!(s.own + handed, amount);
            for c in &s.children {
                prop_assert_eq!(c.terms.iter().map(|t| t.1).sum::<u64>(), c.amount);
            }
        }

        #[test]
        fn apportion_is_within_one_won_of_the_exact_share(
            total in 0u64..1_000_000_000_000,
            weights in proptest::collection::vec(0u64..1_000_000, 1..40),
        ) {
            prop_assume!(weights.iter().any(|w| *w > 0));
            let parts = apportion(total, &weights).unwrap();
            prop_assert_eq!(parts.iter().sum::<u64>(), total);
            let sum: u128 = weights.iter().map(|w| u128::from(*w)).sum();
            for (p, w) in parts.iter().zip(&weights) {
                let exact_floor = u128::from(total) * u128::from(*w) / sum;
                prop_assert!(u128::from(*p) == exact_floor || u128::from(*p) == exact_floor + 1);
            }
        }
    }
}

#[test]
fn the_process_moves_through_every_phase_in_order() {
    let advance = PhaseEvent::Advance { shortlisted: 3 };
    let mut phase = Phase::Configured;
    let mut seen = vec![phase];
    loop {
        phase = match apply_phase(phase, &advance) {
            Ok(next) => next,
            Err(BudgetRefusal::TallyPending) => {
                assert_eq!(phase, Phase::VotingClosed);
                apply_phase(phase, &PhaseEvent::RecordTally).unwrap()
            }
            Err(e) => {
                assert_eq!(phase, Phase::Completed, "{e:?}");
                break;
            }
        };
        seen.push(phase);
    }
    let expected: Vec<Phase> = Phase::ALL
        .iter()
        .copied()
        .filter(|p| *p != Phase::Cancelled)
        .collect();
    assert_eq!(seen, expected);
}

#[test]
fn phase_refusals() {
    assert_eq!(
        apply_phase(
            Phase::CommitteeDeliberation,
            &PhaseEvent::Advance { shortlisted: 0 }
        ),
        Err(BudgetRefusal::NothingShortlisted)
    );
    assert_eq!(
        apply_phase(Phase::VotingClosed, &PhaseEvent::Advance { shortlisted: 1 }),
        Err(BudgetRefusal::TallyPending)
    );
    for phase in Phase::ALL {
        let tally = apply_phase(phase, &PhaseEvent::RecordTally);
        if phase == Phase::VotingClosed {
            assert_eq!(tally, Ok(Phase::Tallied));
        } else {
            assert!(matches!(tally, Err(BudgetRefusal::PhaseNotAllowed { .. })));
        }
        let cancel = apply_phase(
            phase,
            &PhaseEvent::Cancel {
                reason: "budget cut".into(),
            },
        );
        let blank = apply_phase(
            phase,
            &PhaseEvent::Cancel {
                reason: "  ".into(),
            },
        );
        if matches!(phase, Phase::Completed | Phase::Cancelled) {
            assert!(matches!(cancel, Err(BudgetRefusal::PhaseNotAllowed { .. })));
            assert!(matches!(blank, Err(BudgetRefusal::PhaseNotAllowed { .. })));
        } else {
            assert_eq!(cancel, Ok(Phase::Cancelled));
            assert_eq!(blank, Err(BudgetRefusal::ReasonRequired));
        }
    }
    assert_eq!(
        apply_phase(Phase::Cancelled, &PhaseEvent::Advance { shortlisted: 1 }),
        Err(BudgetRefusal::PhaseNotAllowed {
            phase: "budget-phase-cancelled",
            event: "budget-event-advance"
        })
    );
    assert!(Phase::VotingOpen.takes_ballots());
    assert!(!Phase::VotingClosed.takes_ballots());
    assert!(Phase::Tallied.has_result() && !Phase::VotingClosed.has_result());
}

fn feasible(cost: u64) -> ReviewEvent {
    ReviewEvent::Feasible {
        cost,
        months: 6,
        envelope: 1000,
    }
}

#[test]
fn project_review_transitions() {
    use ProjectState as S;
    let review = Phase::DepartmentReview;
    let deliberation = Phase::CommitteeDeliberation;
    assert_eq!(
        apply_review(S::Submitted, review, &feasible(500)),
        Ok(S::Feasible)
    );
    assert_eq!(
        apply_review(
            S::Feasible,
            review,
            &ReviewEvent::Infeasible {
                reason: "land".into()
            }
        ),
        Ok(S::Infeasible)
    );
    assert_eq!(
        apply_review(S::Infeasible, review, &feasible(10)),
        Ok(S::Feasible)
    );
    assert_eq!(
        apply_review(S::Feasible, deliberation, &ReviewEvent::Shortlist),
        Ok(S::Shortlisted)
    );
    assert_eq!(
        apply_review(S::Shortlisted, deliberation, &ReviewEvent::Drop),
        Ok(S::NotShortlisted)
    );
    assert_eq!(
        apply_review(S::NotShortlisted, deliberation, &ReviewEvent::Shortlist),
        Ok(S::Shortlisted)
    );
    assert_eq!(
        apply_review(S::Submitted, Phase::ProposalsOpen, &ReviewEvent::Withdraw),
        Ok(S::Withdrawn)
    );
    assert!(S::Shortlisted.on_ballot() && !S::Feasible.on_ballot());
}

#[test]
fn project_review_refusals() {
    use ProjectState as S;
    let review = Phase::DepartmentReview;
    assert_eq!(
        apply_review(S::Submitted, review, &feasible(0)),
        Err(BudgetRefusal::CostZero)
    );
    assert_eq!(
        apply_review(S::Submitted, review, &feasible(1001)),
        Err(BudgetRefusal::CostOverEnvelope {
            cost: 1001,
            envelope: 1000
        })
    );
    assert_eq!(
        apply_review(
            S::Submitted,
            review,
            &ReviewEvent::Feasible {
                cost: 1,
                months: 0,
                envelope: 10
            }
        ),
        Err(BudgetRefusal::BadDuration { months: 0 })
    );
    assert_eq!(
        apply_review(
            S::Submitted,
            review,
            &ReviewEvent::Infeasible { reason: " ".into() }
        ),
        Err(BudgetRefusal::ReasonRequired)
    );
    assert_eq!(
        apply_review(S::Submitted, Phase::VotingOpen, &feasible(5)),
        Err(BudgetRefusal::WrongPhase {
            phase: "budget-phase-voting_open"
        })
    );
    assert_eq!(
        apply_review(S::Feasible, review, &ReviewEvent::Shortlist),
        Err(BudgetRefusal::WrongPhase {
            phase: "budget-phase-department_review"
        })
    );
    assert_eq!(
        apply_review(
            S::Submitted,
            Phase::CommitteeDeliberation,
            &ReviewEvent::Shortlist
        ),
        Err(BudgetRefusal::ReviewNotAllowed {
            state: "budget-project-submitted",
            event: "budget-review-shortlist"
        })
    );
    assert_eq!(
        apply_review(S::Withdrawn, review, &feasible(5)),
        Err(BudgetRefusal::ReviewNotAllowed {
            state: "budget-project-withdrawn",
            event: "budget-review-feasible"
        })
    );
    assert_eq!(
        apply_review(S::Shortlisted, review, &ReviewEvent::Withdraw),
        Err(BudgetRefusal::ReviewNotAllowed {
            state: "budget-project-shortlisted",
            event: "budget-review-withdraw"
        })
    );
    assert!(matches!(
        apply_review(S::Submitted, Phase::VotingOpen, &ReviewEvent::Withdraw),
        Err(BudgetRefusal::WrongPhase { .. })
    ));
}

#[test]
fn ballot_configs_are_checked() {
    let mut config = BallotConfig {
        kind: BallotKind::Approval,
        min_projects: 1,
        max_projects: 5,
        points: 0,
    };
    assert!(config.check().is_ok());
    config.min_projects = 6;
    assert_eq!(
        config.check(),
        Err(BudgetRefusal::BallotLimits { min: 6, max: 5 })
    );
    config.min_projects = 0;
    config.kind = BallotKind::Cumulative;
    assert_eq!(config.check(), Err(BudgetRefusal::PointsRequired));
}

#[test]
fn every_refusal_has_a_code_message_and_kind() {
    let samples = super::refusal::samples();
    let mut codes: Vec<&str> = samples.iter().map(|r| r.code()).collect();
    codes.sort();
    codes.dedup();
    assert_eq!(codes.len(), samples.len(), "codes must be distinct");
    for r in &samples {
        assert!(r.message_id().starts_with("budget-") || r.message_id().starts_with("refusal-"));
    }
    assert_eq!(BudgetRefusal::NotEligible.kind(), RefusalKind::Forbidden);
    assert_eq!(BudgetRefusal::CostZero.kind(), RefusalKind::Invalid);
    assert_eq!(BudgetRefusal::VotingClosed.kind(), RefusalKind::Conflict);
}

#[test]
fn stored_ballots_round_trip() {
    use super::ballot::StoredBallot;
    let a = StoredBallot::Projects(vec![3, 7, 12]);
    assert_eq!(a.encode(), "3,7,12");
    assert_eq!(StoredBallot::decode("3,7,12", false), Some(a));
    let p = StoredBallot::Points(vec![(3, 5), (7, 2)]);
    assert_eq!(p.encode(), "3:5,7:2");
    assert_eq!(StoredBallot::decode("3:5,7:2", true), Some(p));
    assert_eq!(
        StoredBallot::decode("", false),
        Some(StoredBallot::Projects(vec![]))
    );
    assert_eq!(StoredBallot::decode("x", false), None);
    assert_eq!(StoredBallot::decode("3", true), None);
}

#[test]
fn dates_move_only_their_own_phases_when_due() {
    use super::Schedule;
    let s = Schedule {
        proposals_open_at: Some(100),
        proposals_close_at: Some(200),
        voting_open_at: Some(300),
        voting_close_at: Some(400),
    };
    assert_eq!(s.check(), Ok(()));
    assert_eq!(s.due(Phase::Configured, 99), None);
    assert_eq!(s.due(Phase::Configured, 100), Some(Phase::ProposalsOpen));
    assert_eq!(
        s.due(Phase::ProposalsOpen, 200),
        Some(Phase::DepartmentReview)
    );
    assert_eq!(s.due(Phase::ProposalsOpen, 199), None);
    // Review, deliberation and fixing the ballot are people's decisions: no date moves them.
    for phase in [
        Phase::DepartmentReview,
        Phase::CommitteeDeliberation,
        Phase::VotingClosed,
        Phase::Tallied,
        Phase::Cancelled,
    ] {
        assert_eq!(s.due(phase, i64::MAX), None, "{phase:?}");
    }
    assert_eq!(s.due(Phase::BallotFixed, 300), Some(Phase::VotingOpen));
    assert_eq!(s.due(Phase::VotingOpen, 400), Some(Phase::VotingClosed));
    assert_eq!(s.due(Phase::VotingOpen, 399), None);
    // Each due move is one the phase machine allows.
    for (from, to) in [
        (Phase::Configured, Phase::ProposalsOpen),
        (Phase::ProposalsOpen, Phase::DepartmentReview),
        (Phase::BallotFixed, Phase::VotingOpen),
        (Phase::VotingOpen, Phase::VotingClosed),
    ] {
        assert_eq!(
            apply_phase(from, &PhaseEvent::Advance { shortlisted: 1 }),
            Ok(to)
        );
    }
    // No dates: nothing moves by itself.
    assert_eq!(Schedule::default().due(Phase::VotingOpen, i64::MAX), None);
    assert_eq!(Schedule::default().check(), Ok(()));
    // Out of order or equal dates are refused; missing ones are skipped.
    let bad = Schedule {
        voting_open_at: Some(500),
        voting_close_at: Some(400),
        ..s
    };
    assert_eq!(bad.check(), Err(BudgetRefusal::DatesOutOfOrder));
    let equal = Schedule {
        proposals_close_at: Some(100),
        ..s
    };
    assert_eq!(equal.check(), Err(BudgetRefusal::DatesOutOfOrder));
    let partial = Schedule {
        proposals_open_at: None,
        proposals_close_at: None,
        ..s
    };
    assert_eq!(partial.check(), Ok(()));
}

#[test]
fn quotas_are_read_and_refused_when_malformed() {
    use super::{format_quotas, parse_quotas};
    let q = parse_quotas("track A: 7\n\n track B:3 \n").unwrap();
    assert_eq!(q, vec![("track A".into(), 7), ("track B".into(), 3)]);
    assert_eq!(parse_quotas(&format_quotas(&q)).unwrap(), q);
    assert_eq!(parse_quotas("").unwrap(), vec![]);
    for bad in ["A", "A:x", "A:0", ":3", "A,B:2", "A:1\nA:2", "A:-1"] {
        assert_eq!(parse_quotas(bad), Err(BudgetRefusal::BadQuotas), "{bad}");
    }
}
