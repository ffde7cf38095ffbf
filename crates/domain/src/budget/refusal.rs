//! Every refusal of the budget's rules, typed for the edge ([`crate::refusal::Explain`]).

use super::envelope::Term;
use crate::refusal::{Arg, Explain, RefusalKind};

/// What the budget's rules, storage and services refuse.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BudgetRefusal {
    #[error("the parent keeps {permille} ‰, more than everything")]
    OwnShareTooLarge { permille: u32 },
    #[error("every term of the formula has weight 0")]
    NoWeights,
    #[error("this scope has no children to hand money down to")]
    NoChildren,
    #[error("the term {term:?} has a weight but no child has a value for it")]
    TermWithoutValues { term: Term },
    #[error("minimum {min} projects is above the maximum {max}")]
    BallotLimits { min: u32, max: u32 },
    #[error("a cumulative ballot needs points to spread")]
    PointsRequired,
    /// `phase` and `event` are the Fluent ids of the current phase's label and of the attempted event.
    #[error("{phase} cannot {event}")]
    PhaseNotAllowed {
        phase: &'static str,
        event: &'static str,
    },
    #[error("a reason is required")]
    ReasonRequired,
    #[error("the tally is recorded by the count")]
    TallyPending,
    #[error("no project is shortlisted")]
    NothingShortlisted,
    #[error("{state} cannot {event}")]
    ReviewNotAllowed {
        state: &'static str,
        event: &'static str,
    },
    #[error("not during {phase}")]
    WrongPhase { phase: &'static str },
    #[error("a cost of 0 won")]
    CostZero,
    #[error("cost {cost} is over the envelope {envelope}")]
    CostOverEnvelope { cost: u64, envelope: u64 },
    #[error("a duration of {months} months")]
    BadDuration { months: u32 },
    #[error("only verified residents of the process's scope may vote")]
    NotEligible,
    #[error("voting is not open")]
    VotingClosed,
    #[error("there is no result yet")]
    NoResult,
    #[error("the ballot is not valid: {0:?}")]
    Ballot(BallotProblem),
    #[error("the count failed: {0}")]
    CountFailed(String),
    #[error("an envelope already exists for this scope and cycle")]
    EnvelopeExists,
    #[error("this scope has no envelope in the cycle")]
    NoEnvelope,
    #[error("this voter already voted through the other channel (online or on paper)")]
    VotedOtherChannel,
    #[error("the process's dates are out of order")]
    DatesOutOfOrder,
    #[error("voters must be at least {min_age} years old")]
    TooYoung { min_age: u32 },
    #[error("voters must be at least {min_age} years old, and no birth date was declared")]
    AgeUnknown { min_age: u32 },
    #[error("this process does not admit the participant's residence basis")]
    BasisNotAdmitted,
    #[error("quotas are written one `category:n` per line, each category once, n at least 1")]
    BadQuotas,
    #[error("group weights are shares from 0 to 100")]
    BadWeights,
    #[error("the .pb file cannot be imported: {0}")]
    ImportMalformed(String),
    #[error("only an adopted proposal of the scope becomes a project")]
    ProposalNotAdopted,
    #[error("the proposal is not of the process's scope or one below it")]
    ProposalOutsideScope,
    #[error("the proposal already became a project")]
    ProposalAlreadyLinked,
    #[error("the motion was not carried")]
    MotionNotCarried,
    #[error("the motion is of another scope's committee")]
    MotionOfAnotherScope,
    #[error("files are attached only while proposals are open or under review")]
    AttachmentsClosed,
    #[error("an imported historical election does not change")]
    Historical,
    #[error("the .pb file is larger than {max_kib} KiB")]
    ImportTooLarge { max_kib: u32 },
    #[error("vote type {vote_type} cannot be imported")]
    ImportVoteType { vote_type: String },
    #[error("project {project}: the cost is not a whole number of won of at least 1")]
    ImportCost { project: String },
    #[error("the budget is not a whole number of won of at least 1")]
    ImportBudget,
    #[error("the file has no projects or no votes")]
    ImportEmpty,
    #[error("voter {voter}: points must be whole numbers")]
    ImportPoints { voter: String },
    /// The format's reader refused the file at `line` (its reason is the reader's own words).
    #[error("line {line}: {reason}")]
    ImportLine { line: u64, reason: String },
}

/// Why the engine refused a ballot (`maeul_pb::BallotError`, in the platform's vocabulary).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BallotProblem {
    WrongKind,
    UnknownProject {
        project: String,
    },
    DuplicateProject {
        project: String,
    },
    TooFewProjects {
        count: u64,
        min: u64,
    },
    TooManyProjects {
        count: u64,
        max: u64,
    },
    CostTooLow {
        total: String,
        min: String,
    },
    CostTooHigh {
        total: String,
        max: String,
    },
    PointsOutOfRange {
        project: String,
    },
    TooFewPoints {
        total: String,
        min: String,
    },
    TooManyPoints {
        total: String,
        max: String,
    },
    TooManyInCategory {
        category: String,
        count: u64,
        max: u64,
    },
    Empty,
}

fn int(n: u64) -> Arg {
    Arg::Int(i64::try_from(n).unwrap_or(i64::MAX))
}

impl Explain for BudgetRefusal {
    fn code(&self) -> &'static str {
        use BallotProblem as B;
        use BudgetRefusal as R;
        match self {
            R::OwnShareTooLarge { .. } => "own_share_too_large",
            R::NoWeights => "no_weights",
            R::NoChildren => "no_children",
            R::TermWithoutValues { .. } => "term_without_values",
            R::BallotLimits { .. } => "ballot_limits",
            R::PointsRequired => "points_required",
            R::PhaseNotAllowed { .. } => "phase_not_allowed",
            R::ReasonRequired => "reason_required",
            R::TallyPending => "tally_pending",
            R::NothingShortlisted => "nothing_shortlisted",
            R::ReviewNotAllowed { .. } => "review_not_allowed",
            R::WrongPhase { .. } => "wrong_phase",
            R::CostZero => "cost_zero",
            R::CostOverEnvelope { .. } => "cost_over_envelope",
            R::BadDuration { .. } => "bad_duration",
            R::NotEligible => "not_eligible",
            R::AgeUnknown { .. } => "age_unknown",
            R::BasisNotAdmitted => "basis_not_admitted",
            R::VotingClosed => "voting_closed",
            R::NoResult => "no_result",
            R::Ballot(B::WrongKind) => "ballot_wrong_kind",
            R::Ballot(B::UnknownProject { .. }) => "ballot_unknown_project",
            R::Ballot(B::DuplicateProject { .. }) => "ballot_duplicate_project",
            R::Ballot(B::TooFewProjects { .. }) => "ballot_too_few_projects",
            R::Ballot(B::TooManyProjects { .. }) => "ballot_too_many_projects",
            R::Ballot(B::CostTooLow { .. }) => "ballot_cost_too_low",
            R::Ballot(B::CostTooHigh { .. }) => "ballot_cost_too_high",
            R::Ballot(B::PointsOutOfRange { .. }) => "ballot_points_out_of_range",
            R::Ballot(B::TooFewPoints { .. }) => "ballot_too_few_points",
            R::Ballot(B::TooManyPoints { .. }) => "ballot_too_many_points",
            R::Ballot(B::Empty) => "ballot_empty",
            R::CountFailed(_) => "count_failed",
            R::EnvelopeExists => "envelope_exists",
            R::NoEnvelope => "no_envelope",
            R::VotedOtherChannel => "voted_other_channel",
            R::DatesOutOfOrder => "dates_out_of_order",
            R::TooYoung { .. } => "too_young",
            R::BadQuotas => "bad_quotas",
            R::BadWeights => "bad_weights",
            R::ImportMalformed(_) => "import_malformed",
            R::ProposalNotAdopted => "proposal_not_adopted",
            R::ProposalOutsideScope => "proposal_outside_scope",
            R::ProposalAlreadyLinked => "proposal_already_linked",
            R::MotionNotCarried => "motion_not_carried",
            R::MotionOfAnotherScope => "motion_of_another_scope",
            R::AttachmentsClosed => "attachments_closed",
            R::Historical => "historical",
            R::ImportTooLarge { .. } => "import_too_large",
            R::ImportVoteType { .. } => "import_vote_type",
            R::ImportCost { .. } => "import_cost",
            R::ImportBudget => "import_budget",
            R::ImportEmpty => "import_empty",
            R::ImportPoints { .. } => "import_points",
            R::ImportLine { .. } => "import_line",
            R::Ballot(B::TooManyInCategory { .. }) => "ballot_too_many_in_category",
        }
    }
    fn message_id(&self) -> &'static str {
        use BallotProblem as B;
        use BudgetRefusal as R;
        match self {
            R::OwnShareTooLarge { .. } => "budget-error-own-share",
            R::NoWeights => "budget-error-no-weights",
            R::NoChildren => "budget-error-no-children",
            R::TermWithoutValues { .. } => "budget-error-term-without-values",
            R::BallotLimits { .. } => "budget-error-ballot-limits",
            R::PointsRequired => "budget-error-points-required",
            R::PhaseNotAllowed { .. } => "budget-error-phase-not-allowed",
            R::ReasonRequired => "refusal-reason-required",
            R::TallyPending => "budget-error-tally-pending",
            R::NothingShortlisted => "budget-error-nothing-shortlisted",
            R::ReviewNotAllowed { .. } => "budget-error-review-not-allowed",
            R::WrongPhase { .. } => "budget-error-wrong-phase",
            R::CostZero => "budget-error-cost-zero",
            R::CostOverEnvelope { .. } => "budget-error-cost-over-envelope",
            R::BadDuration { .. } => "budget-error-bad-duration",
            R::NotEligible => "budget-error-not-eligible",
            R::AgeUnknown { .. } => "budget-error-age-unknown",
            R::BasisNotAdmitted => "budget-error-basis",
            R::VotingClosed => "budget-error-voting-closed",
            R::NoResult => "budget-error-no-result",
            R::Ballot(B::WrongKind) => "budget-ballot-error-kind",
            R::Ballot(B::UnknownProject { .. }) => "budget-ballot-error-unknown",
            R::Ballot(B::DuplicateProject { .. }) => "budget-ballot-error-duplicate",
            R::Ballot(B::TooFewProjects { .. }) => "budget-ballot-error-too-few",
            R::Ballot(B::TooManyProjects { .. }) => "budget-ballot-error-too-many",
            R::Ballot(B::CostTooLow { .. }) => "budget-ballot-error-cost-low",
            R::Ballot(B::CostTooHigh { .. }) => "budget-ballot-error-cost-high",
            R::Ballot(B::PointsOutOfRange { .. }) => "budget-ballot-error-points-range",
            R::Ballot(B::TooFewPoints { .. }) => "budget-ballot-error-points-few",
            R::Ballot(B::TooManyPoints { .. }) => "budget-ballot-error-points-many",
            R::Ballot(B::Empty) => "budget-ballot-error-empty",
            R::CountFailed(_) => "budget-error-count-failed",
            R::EnvelopeExists => "budget-error-envelope-exists",
            R::NoEnvelope => "budget-error-no-envelope",
            R::VotedOtherChannel => "budget-error-other-channel",
            R::DatesOutOfOrder => "budget-error-dates",
            R::TooYoung { .. } => "budget-error-too-young",
            R::BadQuotas => "budget-error-quotas",
            R::BadWeights => "budget-error-weights",
            R::ImportMalformed(_) => "budget-error-import",
            R::ProposalNotAdopted => "budget-error-proposal-not-adopted",
            R::ProposalOutsideScope => "budget-error-proposal-outside",
            R::ProposalAlreadyLinked => "budget-error-proposal-linked",
            R::MotionNotCarried => "budget-error-motion-not-carried",
            R::MotionOfAnotherScope => "budget-error-motion-other-scope",
            R::AttachmentsClosed => "budget-error-attachments-closed",
            R::Historical => "budget-error-historical",
            R::ImportTooLarge { .. } => "budget-error-import-too-large",
            R::ImportVoteType { .. } => "budget-error-import-vote-type",
            R::ImportCost { .. } => "budget-error-import-cost",
            R::ImportBudget => "budget-error-import-budget",
            R::ImportEmpty => "budget-error-import-empty",
            R::ImportPoints { .. } => "budget-error-import-points",
            R::ImportLine { .. } => "budget-error-import-line",
            R::Ballot(B::TooManyInCategory { .. }) => "budget-ballot-error-category",
        }
    }
    fn args(&self) -> Vec<(&'static str, Arg)> {
        use BallotProblem as B;
        use BudgetRefusal as R;
        match self {
            R::OwnShareTooLarge { permille } => vec![("permille", Arg::from(*permille))],
            R::TermWithoutValues { term } => vec![("term", Arg::Message(term.label_id()))],
            R::BallotLimits { min, max } => {
                vec![("min", Arg::from(*min)), ("max", Arg::from(*max))]
            }
            R::PhaseNotAllowed { phase, event } => vec![
                ("phase", Arg::Message(phase)),
                ("event", Arg::Message(event)),
            ],
            R::ReviewNotAllowed { state, event } => vec![
                ("state", Arg::Message(state)),
                ("event", Arg::Message(event)),
            ],
            R::WrongPhase { phase } => vec![("phase", Arg::Message(phase))],
            R::CostOverEnvelope { cost, envelope } => {
                vec![("cost", int(*cost)), ("envelope", int(*envelope))]
            }
            R::BadDuration { months } => vec![("months", Arg::from(*months))],
            R::TooYoung { min_age } | R::AgeUnknown { min_age } => {
                vec![("min_age", Arg::from(*min_age))]
            }
            R::ImportMalformed(detail) => vec![("detail", Arg::Text(detail.clone()))],
            R::ImportTooLarge { max_kib } => vec![("max_kib", Arg::from(*max_kib))],
            R::ImportVoteType { vote_type } => vec![("vote_type", Arg::Text(vote_type.clone()))],
            R::ImportCost { project } => vec![("project", Arg::Text(project.clone()))],
            R::ImportPoints { voter } => vec![("voter", Arg::Text(voter.clone()))],
            R::ImportLine { line, reason } => {
                vec![("line", int(*line)), ("reason", Arg::Text(reason.clone()))]
            }
            R::Ballot(B::TooManyInCategory {
                category,
                count,
                max,
            }) => vec![
                ("category", Arg::Text(category.clone())),
                ("count", int(*count)),
                ("max", int(*max)),
            ],
            R::Ballot(B::UnknownProject { project } | B::DuplicateProject { project })
            | R::Ballot(B::PointsOutOfRange { project }) => {
                vec![("project", Arg::Text(project.clone()))]
            }
            R::Ballot(B::TooFewProjects { count, min }) => {
                vec![("count", int(*count)), ("min", int(*min))]
            }
            R::Ballot(B::TooManyProjects { count, max }) => {
                vec![("count", int(*count)), ("max", int(*max))]
            }
            R::Ballot(
                B::CostTooLow { total, min: limit }
                | B::CostTooHigh { total, max: limit }
                | B::TooFewPoints { total, min: limit }
                | B::TooManyPoints { total, max: limit },
            ) => vec![
                ("total", Arg::Text(total.clone())),
                ("limit", Arg::Text(limit.clone())),
            ],
            _ => vec![],
        }
    }
    fn kind(&self) -> RefusalKind {
        use BudgetRefusal as R;
        match self {
            R::OwnShareTooLarge { .. }
            | R::NoWeights
            | R::TermWithoutValues { .. }
            | R::BallotLimits { .. }
            | R::PointsRequired
            | R::ReasonRequired
            | R::CostZero
            | R::CostOverEnvelope { .. }
            | R::BadDuration { .. }
            | R::DatesOutOfOrder
            | R::BadQuotas
            | R::BadWeights
            | R::ImportMalformed(_)
            | R::ImportTooLarge { .. }
            | R::ImportVoteType { .. }
            | R::ImportCost { .. }
            | R::ImportBudget
            | R::ImportEmpty
            | R::ImportPoints { .. }
            | R::ImportLine { .. }
            | R::Ballot(_) => RefusalKind::Invalid,
            R::NotEligible | R::TooYoung { .. } | R::AgeUnknown { .. } | R::BasisNotAdmitted => {
                RefusalKind::Forbidden
            }
            _ => RefusalKind::Conflict,
        }
    }
}

/// A sample of every refusal, for the catalogue tests of the edge.
pub fn samples() -> Vec<BudgetRefusal> {
    use BallotProblem as B;
    use BudgetRefusal as R;
    let t = || "10".to_owned();
    vec![
        R::OwnShareTooLarge { permille: 1200 },
        R::NoWeights,
        R::NoChildren,
        R::TermWithoutValues { term: Term::Need },
        R::BallotLimits { min: 3, max: 2 },
        R::PointsRequired,
        R::PhaseNotAllowed {
            phase: "budget-phase-completed",
            event: "budget-event-advance",
        },
        R::ReasonRequired,
        R::TallyPending,
        R::NothingShortlisted,
        R::ReviewNotAllowed {
            state: "budget-project-withdrawn",
            event: "budget-review-shortlist",
        },
        R::WrongPhase {
            phase: "budget-phase-voting_open",
        },
        R::CostZero,
        R::CostOverEnvelope {
            cost: 10,
            envelope: 5,
        },
        R::BadDuration { months: 0 },
        R::NotEligible,
        R::VotingClosed,
        R::NoResult,
        R::Ballot(B::WrongKind),
        R::Ballot(B::UnknownProject { project: t() }),
        R::Ballot(B::DuplicateProject { project: t() }),
        R::Ballot(B::TooFewProjects { count: 1, min: 2 }),
        R::Ballot(B::TooManyProjects { count: 3, max: 2 }),
        R::Ballot(B::CostTooLow {
            total: t(),
            min: t(),
        }),
        R::Ballot(B::CostTooHigh {
            total: t(),
            max: t(),
        }),
        R::Ballot(B::PointsOutOfRange { project: t() }),
        R::Ballot(B::TooFewPoints {
            total: t(),
            min: t(),
        }),
        R::Ballot(B::TooManyPoints {
            total: t(),
            max: t(),
        }),
        R::Ballot(B::Empty),
        R::CountFailed("x".into()),
        R::EnvelopeExists,
        R::NoEnvelope,
        R::VotedOtherChannel,
        R::DatesOutOfOrder,
        R::TooYoung { min_age: 14 },
        R::AgeUnknown { min_age: 14 },
        R::BasisNotAdmitted,
        R::BadQuotas,
        R::BadWeights,
        R::ImportMalformed("line 3".into()),
        R::ProposalNotAdopted,
        R::ProposalOutsideScope,
        R::ProposalAlreadyLinked,
        R::MotionNotCarried,
        R::MotionOfAnotherScope,
        R::AttachmentsClosed,
        R::Historical,
        R::ImportTooLarge { max_kib: 2048 },
        R::ImportVoteType {
            vote_type: "scoring".into(),
        },
        R::ImportCost { project: t() },
        R::ImportBudget,
        R::ImportEmpty,
        R::ImportPoints { voter: t() },
        R::ImportLine {
            line: 3,
            reason: t(),
        },
        R::Ballot(B::TooManyInCategory {
            category: t(),
            count: 3,
            max: 2,
        }),
    ]
}
