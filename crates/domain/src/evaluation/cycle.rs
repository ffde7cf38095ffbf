//! The yearly evaluation cycle of a scope, and who may act in each step.
//!
//! Three parties meet: the *implementers* (staff of the evaluated scope), the *evaluators* (the evaluator
//! role, scoring against the city's rubric) and the *level above* (staff of the parent scope, who open the
//! review, grade and publish). A scope never grades itself, and an evaluator never edits indicators.

use super::EvaluationRefusal;

crate::named_enum! {
    /// Where a scope's yearly evaluation is.
    pub enum CycleState: "evaluation cycle state", label "evaluation-state-" {
        IndicatorsDefined = "indicators_defined",
        Measuring = "measuring",
        SelfAssessed = "self_assessed",
        ExternalReview = "external_review",
        Graded = "graded",
        FeedbackApplied = "feedback_applied",
        Published = "published",
    }
}

/// Who is acting in a cycle, as the service established it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Party {
    /// Staff of the evaluated scope.
    Implementer,
    /// An evaluator (the evaluator role over the scope).
    Evaluator,
    /// Staff of the parent scope.
    LevelAbove,
}

/// What may happen to a cycle.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CycleEvent {
    StartMeasuring,
    SelfAssess {
        narrative: String,
    },
    OpenReview,
    /// The grade is computed from the stored achievements and scores ([`super::grade`]).
    Grade,
    ApplyFeedback,
    Publish,
}

impl CycleEvent {
    pub fn message_id(&self) -> &'static str {
        match self {
            CycleEvent::StartMeasuring => "evaluation-event-start-measuring",
            CycleEvent::SelfAssess { .. } => "evaluation-event-self-assess",
            CycleEvent::OpenReview => "evaluation-event-open-review",
            CycleEvent::Grade => "evaluation-event-grade",
            CycleEvent::ApplyFeedback => "evaluation-event-apply-feedback",
            CycleEvent::Publish => "evaluation-event-publish",
        }
    }

    /// The party this event belongs to.
    pub fn party(&self) -> Party {
        match self {
            CycleEvent::StartMeasuring
            | CycleEvent::SelfAssess { .. }
            | CycleEvent::ApplyFeedback => Party::Implementer,
            CycleEvent::OpenReview | CycleEvent::Grade | CycleEvent::Publish => Party::LevelAbove,
        }
    }
}

/// Applies `event`, acted by `party`, to a cycle in `state`.
pub fn apply_cycle(
    state: CycleState,
    party: Party,
    event: &CycleEvent,
) -> Result<CycleState, EvaluationRefusal> {
    use CycleEvent as E;
    use CycleState as S;
    match (event.party(), party) {
        (_, Party::Evaluator) => return Err(EvaluationRefusal::NotImplementer),
        (Party::LevelAbove, Party::Implementer) if *event == E::Grade => {
            return Err(EvaluationRefusal::GradeOwnScope);
        }
        (Party::LevelAbove, Party::Implementer) => return Err(EvaluationRefusal::NotLevelAbove),
        (Party::Implementer, Party::LevelAbove) => return Err(EvaluationRefusal::NotImplementer),
        _ => {}
    }
    match (state, event) {
        (S::IndicatorsDefined, E::StartMeasuring) => Ok(S::Measuring),
        (S::Measuring, E::SelfAssess { narrative }) => {
            if narrative.trim().is_empty() {
                Err(EvaluationRefusal::NarrativeRequired)
            } else {
                Ok(S::SelfAssessed)
            }
        }
        (S::SelfAssessed, E::OpenReview) => Ok(S::ExternalReview),
        (S::ExternalReview, E::Grade) => Ok(S::Graded),
        (S::Graded, E::ApplyFeedback) => Ok(S::FeedbackApplied),
        (S::FeedbackApplied, E::Publish) => Ok(S::Published),
        _ => Err(EvaluationRefusal::NotAllowed {
            state: state.label_id(),
            event: event.message_id(),
        }),
    }
}

/// May `party` define or change indicators (names, baselines, targets) of a cycle in `state`?
pub fn check_indicator_edit(state: CycleState, party: Party) -> Result<(), EvaluationRefusal> {
    match party {
        Party::Evaluator => Err(EvaluationRefusal::EvaluatorCannotEditIndicators),
        _ if state != CycleState::IndicatorsDefined => Err(EvaluationRefusal::IndicatorsFixed),
        _ => Ok(()),
    }
}

/// May `party` record an actual of a cycle in `state`? Implementers, while measuring.
pub fn check_actual_entry(state: CycleState, party: Party) -> Result<(), EvaluationRefusal> {
    match party {
        Party::Evaluator => Err(EvaluationRefusal::EvaluatorCannotEditIndicators),
        Party::LevelAbove => Err(EvaluationRefusal::NotImplementer),
        Party::Implementer if state != CycleState::Measuring => {
            Err(EvaluationRefusal::NotMeasuring)
        }
        Party::Implementer => Ok(()),
    }
}

/// May `party` give `score` (of at most `max`) in a cycle in `state`? Evaluators, during the review.
pub fn check_score(
    state: CycleState,
    party: Party,
    score: i64,
    max: i64,
) -> Result<(), EvaluationRefusal> {
    if party != Party::Evaluator {
        return Err(EvaluationRefusal::NotEvaluator);
    }
    if state != CycleState::ExternalReview {
        return Err(EvaluationRefusal::NotInReview);
    }
    if !(0..=max).contains(&score) {
        return Err(EvaluationRefusal::ScoreOutOfRange { max });
    }
    Ok(())
}
