use super::*;

const AUTHOR: UpdateActor = UpdateActor {
    is_author: true,
    is_staff: true,
};
const STAFF: UpdateActor = UpdateActor {
    is_author: false,
    is_staff: true,
};
const STRANGER: UpdateActor = UpdateActor {
    is_author: false,
    is_staff: false,
};

fn ret(comment: &str) -> UpdateEvent {
    UpdateEvent::Return {
        comment: comment.into(),
    }
}

#[test]
fn an_update_is_submitted_by_its_author_and_verified_by_other_staff() {
    use UpdateState as S;
    assert_eq!(
        apply_update(S::Draft, AUTHOR, &UpdateEvent::Submit),
        Ok(S::Submitted)
    );
    assert_eq!(
        apply_update(S::Submitted, STAFF, &UpdateEvent::Verify),
        Ok(S::Verified)
    );
    assert_eq!(
        apply_update(S::Submitted, STAFF, &ret("사진 추가")),
        Ok(S::Returned)
    );
    assert_eq!(
        apply_update(S::Returned, AUTHOR, &UpdateEvent::Submit),
        Ok(S::Submitted)
    );
}

#[test]
fn every_update_refusal() {
    use EvaluationRefusal as R;
    use UpdateState as S;
    assert_eq!(
        apply_update(S::Draft, STAFF, &UpdateEvent::Submit),
        Err(R::NotTheAuthor)
    );
    // The author is staff too, and still cannot verify or return their own update.
    assert_eq!(
        apply_update(S::Submitted, AUTHOR, &UpdateEvent::Verify),
        Err(R::OwnUpdate)
    );
    assert_eq!(
        apply_update(S::Submitted, AUTHOR, &ret("x")),
        Err(R::OwnUpdate)
    );
    assert_eq!(
        apply_update(S::Submitted, STRANGER, &UpdateEvent::Verify),
        Err(R::NotStaff)
    );
    assert_eq!(
        apply_update(S::Submitted, STAFF, &ret("  ")),
        Err(R::CommentRequired)
    );
    assert_eq!(
        apply_update(S::Verified, STAFF, &ret("x")),
        Err(R::NotAllowed {
            state: "update-state-verified",
            event: "update-event-return"
        })
    );
    assert!(matches!(
        apply_update(S::Draft, STAFF, &UpdateEvent::Verify),
        Err(R::NotAllowed { .. })
    ));
    assert!(matches!(
        apply_update(S::Submitted, AUTHOR, &UpdateEvent::Submit),
        Err(R::NotAllowed { .. })
    ));
    assert_eq!(check_progress(101), Err(R::ProgressOutOfRange));
    assert_eq!(check_progress(-1), Err(R::ProgressOutOfRange));
    assert_eq!(check_progress(100), Ok(()));
}

#[test]
fn only_verified_updates_count() {
    use UpdateState as S;
    assert_eq!(verified_progress(&[]), 0);
    assert_eq!(
        verified_progress(&[
            (S::Verified, 30),
            (S::Verified, 55),
            (S::Submitted, 90),
            (S::Returned, 95)
        ]),
        55
    );
    assert_eq!(verified_progress(&[(S::Draft, 80)]), 0);
}

#[test]
fn progress_rolls_up_as_the_weighted_mean_of_children() {
    // 100 % done weighing 3, 20 % weighing 1: (300 + 20) / 4 = 80 %.
    assert_eq!(roll_up_progress(&[(100, 3), (20, 1)]), Some(800));
    assert_eq!(roll_up_progress(&[(50, 1), (0, 0)]), Some(500));
    // One third, rounded half up in ‰.
    assert_eq!(roll_up_progress(&[(100, 1), (0, 2)]), Some(333));
    assert_eq!(roll_up_progress(&[(0, 1), (1, 1)]), Some(5));
    assert_eq!(roll_up_progress(&[]), None);
    assert_eq!(roll_up_progress(&[(40, 0)]), None);
}

#[test]
fn indicator_values_and_roll_up() {
    use EvaluationRefusal as R;
    assert_eq!(
        measured_value(IndicatorKind::Percentage, None, Some(30.0), Some(120.0)),
        Ok(Some(25.0))
    );
    assert_eq!(
        measured_value(IndicatorKind::Percentage, None, Some(3.0), Some(0.0)),
        Err(R::ZeroDenominator)
    );
    assert_eq!(
        measured_value(IndicatorKind::Qualitative, None, None, None),
        Ok(None)
    );
    for (v, n, d) in [
        (Some(3.0), None, None),
        (None, Some(1.0), None),
        (None, None, Some(2.0)),
    ] {
        assert_eq!(
            measured_value(IndicatorKind::Qualitative, v, n, d),
            Err(R::Qualitative),
            "a number for a qualitative indicator is refused, not dropped"
        );
    }
    assert_eq!(
        measured_value(IndicatorKind::Ordinal, Some(3.0), None, None),
        Ok(Some(3.0))
    );
    // Neighbourhoods → district: participants sum, satisfaction averages, a ratio does not combine.
    assert_eq!(
        roll_up_values(Aggregation::Sum, &[120.0, 80.0, 40.0]),
        Ok(240.0)
    );
    assert_eq!(
        roll_up_values(Aggregation::Average, &[3.0, 4.0, 5.0]),
        Ok(4.0)
    );
    assert_eq!(roll_up_values(Aggregation::Average, &[]), Ok(0.0));
    assert_eq!(
        roll_up_values(Aggregation::NotCombined, &[1.0]),
        Err(R::NotAggregable)
    );
}

#[test]
fn achievement_goes_from_baseline_to_target_either_way() {
    assert_eq!(achievement(100.0, 200.0, 150.0, Better::Higher), 500);
    assert_eq!(achievement(100.0, 200.0, 260.0, Better::Higher), 1000);
    assert_eq!(achievement(100.0, 200.0, 90.0, Better::Higher), 0);
    // Waiting days: from 30 down to 10, reached 15 → 750 ‰.
    assert_eq!(achievement(30.0, 10.0, 15.0, Better::Lower), 750);
    assert_eq!(achievement(30.0, 10.0, 35.0, Better::Lower), 0);
    // A target equal to the baseline: kept is met, worse is not.
    assert_eq!(achievement(5.0, 5.0, 5.0, Better::Higher), 1000);
    assert_eq!(achievement(5.0, 5.0, 4.0, Better::Higher), 0);
    assert_eq!(achievement(5.0, 5.0, 4.0, Better::Lower), 1000);
}

fn cycle(
    state: CycleState,
    party: Party,
    event: CycleEvent,
) -> Result<CycleState, EvaluationRefusal> {
    apply_cycle(state, party, &event)
}

#[test]
fn the_cycle_runs_from_indicators_to_publication() {
    use CycleState as S;
    use Party::*;
    let mut s = S::IndicatorsDefined;
    for (party, event) in [
        (Implementer, CycleEvent::StartMeasuring),
        (
            Implementer,
            CycleEvent::SelfAssess {
                narrative: "목표 대부분 달성".into(),
            },
        ),
        (LevelAbove, CycleEvent::OpenReview),
        (LevelAbove, CycleEvent::Grade),
        (Implementer, CycleEvent::ApplyFeedback),
        (LevelAbove, CycleEvent::Publish),
    ] {
        s = cycle(s, party, event).unwrap();
    }
    assert_eq!(s, S::Published);
}

#[test]
fn every_cycle_refusal() {
    use CycleState as S;
    use EvaluationRefusal as R;
    use Party::*;
    // A district cannot grade itself.
    assert_eq!(
        cycle(S::ExternalReview, Implementer, CycleEvent::Grade),
        Err(R::GradeOwnScope)
    );
    assert_eq!(
        cycle(S::ExternalReview, Evaluator, CycleEvent::Grade),
        Err(R::NotImplementer)
    );
    assert_eq!(
        cycle(S::SelfAssessed, Implementer, CycleEvent::OpenReview),
        Err(R::NotLevelAbove)
    );
    assert_eq!(
        cycle(S::IndicatorsDefined, LevelAbove, CycleEvent::StartMeasuring),
        Err(R::NotImplementer)
    );
    assert_eq!(
        cycle(
            S::Measuring,
            Implementer,
            CycleEvent::SelfAssess {
                narrative: " ".into()
            }
        ),
        Err(R::NarrativeRequired)
    );
    assert_eq!(
        cycle(S::Measuring, LevelAbove, CycleEvent::Grade),
        Err(R::NotAllowed {
            state: "evaluation-state-measuring",
            event: "evaluation-event-grade"
        })
    );
    assert!(matches!(
        cycle(S::Published, LevelAbove, CycleEvent::Publish),
        Err(R::NotAllowed { .. })
    ));
    // An evaluator cannot edit indicators nor record actuals; indicators are fixed once measuring starts.
    assert_eq!(
        check_indicator_edit(S::IndicatorsDefined, Evaluator),
        Err(R::EvaluatorCannotEditIndicators)
    );
    assert_eq!(
        check_indicator_edit(S::Measuring, Implementer),
        Err(R::IndicatorsFixed)
    );
    assert_eq!(
        check_indicator_edit(S::IndicatorsDefined, Implementer),
        Ok(())
    );
    assert_eq!(
        check_actual_entry(S::Measuring, Evaluator),
        Err(R::EvaluatorCannotEditIndicators)
    );
    assert_eq!(
        check_actual_entry(S::Measuring, LevelAbove),
        Err(R::NotImplementer)
    );
    assert_eq!(
        check_actual_entry(S::Graded, Implementer),
        Err(R::NotMeasuring)
    );
    assert_eq!(check_actual_entry(S::Measuring, Implementer), Ok(()));
    // Only evaluators score, only during the review, within the scale.
    assert_eq!(
        check_score(S::ExternalReview, Implementer, 3, 5),
        Err(R::NotEvaluator)
    );
    assert_eq!(
        check_score(S::SelfAssessed, Evaluator, 3, 5),
        Err(R::NotInReview)
    );
    assert_eq!(
        check_score(S::ExternalReview, Evaluator, 6, 5),
        Err(R::ScoreOutOfRange { max: 5 })
    );
    assert_eq!(
        check_score(S::ExternalReview, Evaluator, -1, 5),
        Err(R::ScoreOutOfRange { max: 5 })
    );
    assert_eq!(check_score(S::ExternalReview, Evaluator, 5, 5), Ok(()));
}

fn criterion(weight: u32, max: i64, scores: &[i64]) -> CriterionScores {
    CriterionScores {
        weight,
        max,
        scores: scores.to_vec(),
    }
}

#[test]
fn the_grading_formula() {
    // Two evaluators on two criteria: (4, 5) of 5 → 900 ‰ weighing 2; (3, 3) of 5 → 600 ‰ weighing 1.
    let rubric = [criterion(2, 5, &[4, 5]), criterion(1, 5, &[3, 3])];
    assert_eq!(rubric_permille(&rubric), Ok(800));
    let spread = rubric[0].spread().unwrap();
    assert_eq!(
        (spread.count, spread.min, spread.max, spread.mean_permille),
        (2, 4, 5, 900)
    );
    // Achievements 1000 and 800 → A = 900; P = (600·900 + 400·800)/1000 = 860 → 나 (figure 3).
    let g = grade(&[1000, 800], &rubric).unwrap();
    assert_eq!(g.achievement_permille, Some(900));
    assert_eq!(g.points_permille, 860);
    assert_eq!(g.letter, GradeLetter::Na);
    assert_eq!(g.letter.figure(), 3);
    assert_eq!(g.letter.hangul(), "나");
    // Without numeric indicators the rubric alone decides.
    assert_eq!(grade(&[], &rubric).unwrap().points_permille, 800);
    // The bands.
    assert_eq!(GradeLetter::of_points(900), GradeLetter::Ga);
    assert_eq!(GradeLetter::of_points(899), GradeLetter::Na);
    assert_eq!(GradeLetter::of_points(750), GradeLetter::Na);
    assert_eq!(GradeLetter::of_points(600), GradeLetter::Da);
    assert_eq!(GradeLetter::of_points(599), GradeLetter::Ra);
    assert_eq!(
        [
            GradeLetter::Ga,
            GradeLetter::Na,
            GradeLetter::Da,
            GradeLetter::Ra
        ]
        .map(GradeLetter::figure),
        [4, 3, 2, 1]
    );
    // Nobody scored: no grade.
    assert_eq!(
        grade(&[1000], &[criterion(1, 5, &[])]),
        Err(EvaluationRefusal::NoScores)
    );
}
