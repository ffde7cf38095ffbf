//! Evaluation cycles: a scope's cycles, a cycle with its indicators (target against actual), the
//! self-assessment, the rubric with every evaluator's scores and their spread, the grade; the steps of
//! each party, evaluators' scoring and the implementers' targets and actuals.
use maeul_db::evaluation::{
    Actual, CriterionRow, CycleLogRow, CycleRow, DisaggregationRow, ScoreRow,
};
use maeul_domain::account::FieldError;
use maeul_domain::evaluation::{CriterionScores, CycleEvent, CycleState, Party, Spread};
use maeul_domain::{Refusal, Scope};

use super::surveys::SurveyEvidence;
use super::tracking::IndicatorView;
use super::{is_evaluator, is_level_above, is_staff, party_for, scope_by_code, scope_by_id};
use crate::AppState;
use crate::http::{Caller, ServiceError, ServiceResult, signed_in};

pub struct CyclesView {
    pub scope: Scope,
    pub cycles: Vec<CycleRow>,
    /// The caller may open a cycle of this scope (its staff).
    pub may_open: bool,
}

/// The cycles of a scope and the scopes below it.
pub async fn list(
    state: &AppState,
    caller: Option<&Caller>,
    code: &str,
) -> ServiceResult<CyclesView> {
    let scope = scope_by_code(state, code)?;
    let ids = state.scopes().subtree_ids(scope.id);
    Ok(CyclesView {
        cycles: state.db.evaluation_cycles_in(&ids).await?,
        may_open: is_staff(state, caller, scope.id),
        scope,
    })
}

pub struct CriterionView {
    pub criterion: CriterionRow,
    pub scores: Vec<ScoreRow>,
    pub spread: Option<Spread>,
}

pub struct CycleView {
    pub cycle: CycleRow,
    pub scope: Scope,
    pub indicators: Vec<IndicatorView>,
    pub criteria: Vec<CriterionView>,
    pub log: Vec<CycleLogRow>,
    /// The events the caller may try now (stored name, label id).
    pub steps: Vec<(&'static str, &'static str)>,
    pub may_score: bool,
    pub may_measure: bool,
    pub may_edit_indicators: bool,
    /// Residents' satisfaction surveys of the scope and year: evidence.
    pub surveys: Vec<SurveyEvidence>,
    /// Breakdowns of the indicators' actuals.
    pub disaggregations: Vec<DisaggregationRow>,
    /// Every period of each indicator: (indicator id, year, target, actual).
    pub periods: Vec<(i64, i64, Option<f64>, Option<f64>)>,
}

pub async fn view(state: &AppState, caller: Option<&Caller>, id: i64) -> ServiceResult<CycleView> {
    let cycle = state
        .db
        .evaluation_cycle(id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let scope = scope_by_id(state, cycle.scope_id)?;
    let scores = state.db.cycle_scores(id).await?;
    let criteria = state
        .db
        .rubric()
        .await?
        .into_iter()
        .map(|c| {
            let mine: Vec<ScoreRow> = scores
                .iter()
                .filter(|s| s.criterion_id == c.id)
                .cloned()
                .collect();
            let spread = CriterionScores {
                weight: u32::try_from(c.weight).unwrap_or(0),
                max: c.max_score,
                scores: mine.iter().map(|s| s.score).collect(),
            }
            .spread();
            CriterionView {
                criterion: c,
                scores: mine,
                spread,
            }
        })
        .collect();
    let staff = is_staff(state, caller, scope.id);
    let above = is_level_above(state, caller, &scope);
    let s = cycle.state;
    let mut steps = vec![];
    if staff {
        match s {
            CycleState::IndicatorsDefined => {
                steps.push(("start_measuring", "evaluation-event-start-measuring"))
            }
            CycleState::Graded => steps.push(("apply_feedback", "evaluation-event-apply-feedback")),
            _ => {}
        }
    }
    if above {
        match s {
            CycleState::SelfAssessed => steps.push(("open_review", "evaluation-event-open-review")),
            CycleState::ExternalReview => steps.push(("grade", "evaluation-event-grade")),
            CycleState::FeedbackApplied => steps.push(("publish", "evaluation-event-publish")),
            _ => {}
        }
    }
    let indicators: Vec<IndicatorView> = state
        .db
        .cycle_indicators(id)
        .await?
        .into_iter()
        .map(|(i, p)| IndicatorView::new(i, p))
        .collect();
    let mut periods = Vec::new();
    for i in &indicators {
        for (year, target, actual) in state.db.indicator_periods(i.indicator.id).await? {
            periods.push((i.indicator.id, year, target, actual));
        }
    }
    Ok(CycleView {
        indicators,
        surveys: super::surveys::evidence(state, scope.id, cycle.year).await?,
        disaggregations: state.db.cycle_disaggregations(id).await?,
        periods,
        criteria,
        log: state.db.evaluation_cycle_log(id).await?,
        steps,
        may_score: is_evaluator(state, caller, scope.id) && s == CycleState::ExternalReview,
        may_measure: staff && s == CycleState::Measuring,
        may_edit_indicators: staff && s == CycleState::IndicatorsDefined,
        cycle,
        scope,
    })
}

/// Takes a step of the cycle. `grade` is the level above's; a district's own staff asking for it are
/// refused (`grade_own_scope`).
pub async fn step(
    state: &AppState,
    caller: Option<&Caller>,
    id: i64,
    event: &str,
    narrative: &str,
) -> ServiceResult<CycleState> {
    let me = signed_in(caller)?;
    let cycle = state
        .db
        .evaluation_cycle(id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let scope = scope_by_id(state, cycle.scope_id)?;
    // Someone who is no party to the evaluation is refused before their input is read.
    party_for(state, caller, &scope, Party::Implementer)?;
    let event = match event {
        "start_measuring" => CycleEvent::StartMeasuring,
        "self_assess" => CycleEvent::SelfAssess {
            narrative: narrative.trim().chars().take(8000).collect(),
        },
        "open_review" => CycleEvent::OpenReview,
        "grade" => CycleEvent::Grade,
        "apply_feedback" => CycleEvent::ApplyFeedback,
        "publish" => CycleEvent::Publish,
        _ => return Err(Refusal::field("event", FieldError::Invalid).into()),
    };
    let party = party_for(state, caller, &scope, event.party())?;
    Ok(state
        .db
        .transition_evaluation_cycle(id, party, Some(me.id()), &event)
        .await?)
}

/// An evaluator's scores, one per criterion (criterion id, score as typed); blanks are skipped.
pub async fn score(
    state: &AppState,
    caller: Option<&Caller>,
    id: i64,
    scores: &[(i64, String)],
    comment: &str,
) -> ServiceResult<()> {
    let me = signed_in(caller)?;
    let cycle = state
        .db
        .evaluation_cycle(id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let scope = scope_by_id(state, cycle.scope_id)?;
    let party = party_for(state, caller, &scope, Party::Evaluator)?;
    let mut parsed = Vec::new();
    for (criterion, text) in scores {
        if text.trim().is_empty() {
            continue;
        }
        match text.trim().parse::<i64>() {
            Ok(v) => parsed.push((*criterion, v)),
            Err(_) => return Err(Refusal::field("score", FieldError::Invalid).into()),
        }
    }
    if parsed.is_empty() {
        return Err(Refusal::field("score", FieldError::Required).into());
    }
    let comment: String = comment.trim().chars().take(2000).collect();
    for (criterion, value) in parsed {
        state
            .db
            .score_cycle(id, criterion, me.id(), party, value, &comment)
            .await?;
    }
    Ok(())
}

fn number(field: &'static str, text: &str) -> ServiceResult<Option<f64>> {
    match text.trim() {
        "" => Ok(None),
        t => t
            .replace(',', "")
            .parse::<f64>()
            .ok()
            .filter(|v| v.is_finite() && v.abs() < 1e12)
            .map(Some)
            .ok_or_else(|| Refusal::field(field, FieldError::Invalid).into()),
    }
}

/// Changes an indicator's target (implementers, while indicators are defined; never an evaluator).
/// Returns the cycle's id.
pub async fn set_target(
    state: &AppState,
    caller: Option<&Caller>,
    indicator_id: i64,
    target: &str,
) -> ServiceResult<i64> {
    let indicator = state
        .db
        .indicator(indicator_id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let cycle = state
        .db
        .evaluation_cycle(indicator.cycle_id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let scope = scope_by_id(state, cycle.scope_id)?;
    let party = party_for(state, caller, &scope, Party::Implementer)?;
    let target = number("target", target)?
        .ok_or_else(|| ServiceError::from(Refusal::field("target", FieldError::Required)))?;
    state
        .db
        .set_indicator_target(indicator_id, target, party)
        .await?;
    Ok(cycle.id)
}

/// Records an indicator's actual (implementers, while measuring). Returns the cycle's id.
pub async fn record_actual(
    state: &AppState,
    caller: Option<&Caller>,
    indicator_id: i64,
    value: &str,
    numerator: &str,
    denominator: &str,
) -> ServiceResult<i64> {
    let me = signed_in(caller)?;
    let indicator = state
        .db
        .indicator(indicator_id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let cycle = state
        .db
        .evaluation_cycle(indicator.cycle_id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let scope = scope_by_id(state, cycle.scope_id)?;
    let party = party_for(state, caller, &scope, Party::Implementer)?;
    let actual = Actual {
        value: number("value", value)?,
        numerator: number("numerator", numerator)?,
        denominator: number("denominator", denominator)?,
    };
    state
        .db
        .record_actual(indicator_id, actual, "", party, Some(me.id()))
        .await?;
    Ok(cycle.id)
}

/// The cycle an indicator belongs to.
pub async fn cycle_of_indicator(state: &AppState, indicator_id: i64) -> ServiceResult<i64> {
    Ok(state
        .db
        .indicator(indicator_id)
        .await?
        .ok_or(ServiceError::NotFound)?
        .cycle_id)
}
