//! Every refusal of the evaluation's rules, typed for the edge ([`crate::refusal::Explain`]).

use crate::refusal::{Arg, Explain, RefusalKind};

/// What the evaluation's rules refuse.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EvaluationRefusal {
    /// `state` and `event` are the Fluent ids of the current state's label and of the attempted event.
    #[error("{state} cannot {event}")]
    NotAllowed {
        state: &'static str,
        event: &'static str,
    },
    #[error("a comment is required")]
    CommentRequired,
    #[error("only the author submits an update")]
    NotTheAuthor,
    #[error("an implementer cannot verify their own update")]
    OwnUpdate,
    #[error("only the scope's staff verify or return updates")]
    NotStaff,
    #[error("a scope cannot grade itself")]
    GradeOwnScope,
    #[error("only the evaluated scope's staff move this step")]
    NotImplementer,
    #[error("only the level above the evaluated scope moves this step")]
    NotLevelAbove,
    #[error("an evaluator cannot edit indicators")]
    EvaluatorCannotEditIndicators,
    #[error("indicators are fixed once measuring starts")]
    IndicatorsFixed,
    #[error("actuals are recorded only while measuring")]
    NotMeasuring,
    #[error("only evaluators score")]
    NotEvaluator,
    #[error("scores are given only during the external review")]
    NotInReview,
    #[error("a score is between 0 and {max}")]
    ScoreOutOfRange { max: i64 },
    #[error("a percentage needs a denominator above zero")]
    ZeroDenominator,
    #[error("progress is between 0 and 100")]
    ProgressOutOfRange,
    #[error("a self-assessment needs a narrative")]
    NarrativeRequired,
    #[error("grading needs at least one evaluator's scores")]
    NoScores,
    #[error("the indicator is neither summable nor averageable")]
    NotAggregable,
    #[error("a qualitative indicator has no numeric value")]
    Qualitative,
    #[error("the survey is closed")]
    SurveyClosed,
    #[error("only verified residents of the survey's scope answer it")]
    NotResidentOfScope,
    #[error("you have already answered this survey")]
    AlreadyResponded,
}

impl Explain for EvaluationRefusal {
    fn code(&self) -> &'static str {
        use EvaluationRefusal as R;
        match self {
            R::NotAllowed { .. } => "transition_not_allowed",
            R::CommentRequired => "comment_required",
            R::NotTheAuthor => "not_the_author",
            R::OwnUpdate => "own_update",
            R::NotStaff => "not_staff",
            R::GradeOwnScope => "grade_own_scope",
            R::NotImplementer => "not_implementer",
            R::NotLevelAbove => "not_level_above",
            R::EvaluatorCannotEditIndicators => "evaluator_cannot_edit_indicators",
            R::IndicatorsFixed => "indicators_fixed",
            R::NotMeasuring => "not_measuring",
            R::NotEvaluator => "not_evaluator",
            R::NotInReview => "not_in_review",
            R::ScoreOutOfRange { .. } => "score_out_of_range",
            R::ZeroDenominator => "zero_denominator",
            R::ProgressOutOfRange => "progress_out_of_range",
            R::NarrativeRequired => "narrative_required",
            R::NoScores => "no_scores",
            R::NotAggregable => "not_aggregable",
            R::Qualitative => "qualitative_indicator",
            R::SurveyClosed => "survey_closed",
            R::NotResidentOfScope => "not_resident_of_scope",
            R::AlreadyResponded => "already_responded",
        }
    }
    fn message_id(&self) -> &'static str {
        use EvaluationRefusal as R;
        match self {
            R::NotAllowed { .. } => "refusal-transition-not-allowed",
            R::CommentRequired => "evaluation-refusal-comment-required",
            R::NotTheAuthor => "evaluation-refusal-not-the-author",
            R::OwnUpdate => "evaluation-refusal-own-update",
            R::NotStaff => "evaluation-refusal-not-staff",
            R::GradeOwnScope => "evaluation-refusal-grade-own-scope",
            R::NotImplementer => "evaluation-refusal-not-implementer",
            R::NotLevelAbove => "evaluation-refusal-not-level-above",
            R::EvaluatorCannotEditIndicators => "evaluation-refusal-evaluator-cannot-edit",
            R::IndicatorsFixed => "evaluation-refusal-indicators-fixed",
            R::NotMeasuring => "evaluation-refusal-not-measuring",
            R::NotEvaluator => "evaluation-refusal-not-evaluator",
            R::NotInReview => "evaluation-refusal-not-in-review",
            R::ScoreOutOfRange { .. } => "evaluation-refusal-score-out-of-range",
            R::ZeroDenominator => "evaluation-refusal-zero-denominator",
            R::ProgressOutOfRange => "evaluation-refusal-progress-out-of-range",
            R::NarrativeRequired => "evaluation-refusal-narrative-required",
            R::NoScores => "evaluation-refusal-no-scores",
            R::NotAggregable => "evaluation-refusal-not-aggregable",
            R::Qualitative => "evaluation-refusal-qualitative",
            R::SurveyClosed => "evaluation-refusal-survey-closed",
            R::NotResidentOfScope => "evaluation-refusal-not-resident-of-scope",
            R::AlreadyResponded => "evaluation-refusal-already-responded",
        }
    }
    fn args(&self) -> Vec<(&'static str, Arg)> {
        match self {
            EvaluationRefusal::NotAllowed { state, event } => vec![
                ("state", Arg::Message(state)),
                ("event", Arg::Message(event)),
            ],
            EvaluationRefusal::ScoreOutOfRange { max } => vec![("max", Arg::Int(*max))],
            _ => vec![],
        }
    }
    fn kind(&self) -> RefusalKind {
        use EvaluationRefusal as R;
        match self {
            R::NotTheAuthor
            | R::OwnUpdate
            | R::NotStaff
            | R::GradeOwnScope
            | R::NotImplementer
            | R::NotLevelAbove
            | R::EvaluatorCannotEditIndicators
            | R::NotEvaluator
            | R::NotResidentOfScope => RefusalKind::Forbidden,
            R::CommentRequired
            | R::ScoreOutOfRange { .. }
            | R::ZeroDenominator
            | R::ProgressOutOfRange
            | R::NarrativeRequired
            | R::NotAggregable
            | R::Qualitative => RefusalKind::Invalid,
            _ => RefusalKind::Conflict,
        }
    }
}
