//! Surveys' statistics and rules; indicator definitions and disaggregations as typed.
use super::*;
use crate::account::FieldError;

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-3
}

#[test]
fn likert_summary_counts_means_and_intervals() {
    // 1, 2, 3, 4, 5 once each and 4 twice more: n = 7, mean = 23/7.
    let s = likert_summary(&[1, 2, 3, 4, 5, 4, 4]);
    assert_eq!(s.n, 7);
    assert_eq!(s.counts, [1, 1, 1, 3, 1]);
    let mean = 23.0 / 7.0;
    assert!(close(s.mean.unwrap(), mean));
    // s² = Σ(x−mean)²/(n−1); half-width t(6)=2.447 · s/√7.
    let ss: f64 = [1.0, 2.0, 3.0, 4.0, 5.0, 4.0, 4.0]
        .iter()
        .map(|x: &f64| (x - mean).powi(2))
        .sum();
    let half = 2.447 * (ss / 6.0).sqrt() / 7f64.sqrt();
    let ci = s.mean_ci.unwrap();
    assert!(
        close(ci.low, mean - half) && close(ci.high, mean + half),
        "{ci:?}"
    );
    assert!(close(s.satisfied.unwrap(), 4.0 / 7.0));
    let w = s.satisfied_ci.unwrap();
    assert!(w.low < 4.0 / 7.0 && w.high > 4.0 / 7.0);
}

#[test]
fn likert_summary_without_enough_answers_has_no_interval() {
    let empty = likert_summary(&[]);
    assert_eq!((empty.n, empty.mean, empty.mean_ci), (0, None, None));
    assert_eq!(empty.satisfied_ci, None);
    let one = likert_summary(&[5, 0, 9]);
    assert_eq!(one.n, 1, "out-of-scale values are ignored");
    assert_eq!(one.mean, Some(5.0));
    assert_eq!(one.mean_ci, None);
    // All the same: no spread, a zero-width interval.
    let same = likert_summary(&[3, 3, 3]);
    let ci = same.mean_ci.unwrap();
    assert!(close(ci.low, 3.0) && close(ci.high, 3.0));
}

#[test]
fn wilson_interval_matches_the_textbook_values() {
    // 8 of 10: Wilson 95 % ≈ [0.490, 0.943].
    let w = wilson(8.0, 10.0);
    assert!(close(w.low, 0.4902) && close(w.high, 0.9433), "{w:?}");
    // 0 of 5 stays within [0, 1].
    let z = wilson(0.0, 5.0);
    assert_eq!(z.low, 0.0);
    assert!(z.high > 0.4 && z.high < 0.45, "{z:?}");
}

#[test]
fn t_quantile_table_and_expansion_agree_with_reference_values() {
    assert!(close(t_975(1), 12.706));
    assert!(close(t_975(30), 2.042));
    assert!((t_975(40) - 2.0211).abs() < 2e-4, "{}", t_975(40));
    assert!((t_975(120) - 1.9799).abs() < 2e-4, "{}", t_975(120));
    assert!(t_975(100_000) > 1.9599 && t_975(100_000) < 1.9601);
    assert!(t_975(0).is_infinite());
}

#[test]
fn answers_are_checked_by_question_kind() {
    assert_eq!(
        check_answer(QuestionKind::Likert, " 4 "),
        Ok(Answer::Likert(4))
    );
    assert_eq!(check_answer(QuestionKind::Likert, ""), Ok(Answer::Skipped));
    for bad in ["0", "6", "3.5", "many", "-1"] {
        assert_eq!(
            check_answer(QuestionKind::Likert, bad),
            Err(FieldError::Invalid),
            "{bad}"
        );
    }
    assert_eq!(
        check_answer(QuestionKind::ShortAnswer, " 좋아요 "),
        Ok(Answer::Text("좋아요".into()))
    );
    assert_eq!(
        check_answer(
            QuestionKind::ShortAnswer,
            &"가".repeat(SHORT_ANSWER_MAX + 1)
        ),
        Err(FieldError::TooLong {
            max: SHORT_ANSWER_MAX
        })
    );
    assert_eq!(check_prompt("  "), Err(FieldError::Required));
    assert_eq!(check_prompt(" 만족하십니까? "), Ok("만족하십니까?".into()));
    assert_eq!(
        check_prompt(&"x".repeat(PROMPT_MAX + 1)),
        Err(FieldError::TooLong { max: PROMPT_MAX })
    );
}

#[test]
fn a_survey_is_answered_once_by_residents_while_open() {
    let ok = Respondent {
        resident_of_scope: true,
        already_answered: false,
    };
    assert_eq!(may_respond(SurveyState::Open, ok), Ok(()));
    assert_eq!(
        may_respond(SurveyState::Closed, ok),
        Err(EvaluationRefusal::SurveyClosed)
    );
    assert_eq!(
        may_respond(
            SurveyState::Open,
            Respondent {
                resident_of_scope: false,
                ..ok
            }
        ),
        Err(EvaluationRefusal::NotResidentOfScope)
    );
    assert_eq!(
        may_respond(
            SurveyState::Open,
            Respondent {
                already_answered: true,
                ..ok
            }
        ),
        Err(EvaluationRefusal::AlreadyResponded)
    );
    use crate::refusal::{Explain, RefusalKind};
    assert_eq!(
        EvaluationRefusal::AlreadyResponded.kind(),
        RefusalKind::Conflict
    );
    assert_eq!(
        EvaluationRefusal::NotResidentOfScope.kind(),
        RefusalKind::Forbidden
    );
    assert_eq!(EvaluationRefusal::SurveyClosed.code(), "survey_closed");
}

#[test]
fn periods_are_read_one_a_line_and_refused_when_malformed() {
    assert_eq!(
        parse_periods("2027 150\n\n2026=120\n2028: 1,800"),
        Ok(vec![(2026, 120.0), (2027, 150.0), (2028, 1800.0)])
    );
    assert_eq!(parse_periods("2027 = 150"), Ok(vec![(2027, 150.0)]));
    assert_eq!(parse_periods(""), Ok(vec![]));
    for bad in [
        "2027",
        "1999 5",
        "2027 x",
        "2027 1\n2027 2",
        "abc 3",
        "2027 1e13",
    ] {
        assert_eq!(parse_periods(bad), Err(FieldError::Invalid), "{bad}");
    }
    let many: String = (2030..2041).map(|y| format!("{y} 1\n")).collect();
    assert_eq!(parse_periods(&many), Err(FieldError::Invalid));
}

#[test]
fn breakdowns_name_categories_with_values() {
    assert_eq!(
        parse_breakdown("여성 62\n남성: 38\n70세 이상 = 12.5"),
        Ok(vec![
            ("여성".into(), 62.0),
            ("남성".into(), 38.0),
            ("70세 이상".into(), 12.5)
        ])
    );
    for bad in [
        "여성",
        "여성 x",
        "여성 1\n여성 2",
        " 5",
        &format!("{} 1", "x".repeat(61)),
    ] {
        assert_eq!(parse_breakdown(bad), Err(FieldError::Invalid), "{bad}");
    }
}

#[test]
fn codes_numbers_and_years_are_checked() {
    assert_eq!(
        check_code(" bike.stations-1 "),
        Ok("bike.stations-1".into())
    );
    assert_eq!(check_code(""), Err(FieldError::Required));
    assert_eq!(check_code("자전거"), Err(FieldError::Invalid));
    assert_eq!(
        check_code(&"a".repeat(41)),
        Err(FieldError::TooLong { max: 41 - 1 })
    );
    assert_eq!(parse_number("1,200.5"), Ok(Some(1200.5)));
    assert_eq!(parse_number(" "), Ok(None));
    assert_eq!(parse_number("NaN"), Err(FieldError::Invalid));
    assert_eq!(parse_year("2026"), Ok(Some(2026)));
    assert_eq!(parse_year("3000"), Err(FieldError::Invalid));
}
