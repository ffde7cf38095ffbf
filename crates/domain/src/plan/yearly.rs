//! The yearly plan (실행계획, or a neighbourhood's 자치계획): its lifecycle, sections and budget sources.

use super::{MotionCheck, PlanRefusal, require_motion, require_reason};

crate::named_enum! {
    /// Where a yearly plan is.
    pub enum PlanState: "plan state", label "plan-state-" {
        Drafting = "drafting",
        /// The scope's committee carried a motion adopting the draft.
        CommitteeResolved = "committee_resolved",
        /// Submitted to the level above (a frozen revision).
        Submitted = "submitted",
        InConsultation = "in_consultation",
        /// The level above requested adjustments; the scope revises.
        Revising = "revising",
        Approved = "approved",
        Executing = "executing",
        Closing = "closing",
        Evaluated = "evaluated",
        Archived = "archived",
    }
}

impl PlanState {
    /// The draft may be edited (projects, sections, budget lines).
    pub fn is_editable(self) -> bool {
        matches!(self, PlanState::Drafting | PlanState::Revising)
    }
}

crate::named_enum! {
    /// The parts of a yearly plan.
    pub enum SectionKind: "plan section", label "plan-section-" {
        /// Institutional base-building.
        Base = "base",
        /// Sectoral innovation projects.
        Projects = "projects",
        /// Next year's planning process.
        NextYear = "next_year",
        EvaluationPlan = "evaluation",
        Budget = "budget",
    }
}

crate::named_enum! {
    /// Where a budget line's money comes from.
    pub enum BudgetSource: "budget source", label "plan-source-" {
        CityGrant = "city_grant",
        OwnFunds = "own_funds",
        /// The participatory-budget envelope.
        PbEnvelope = "pb_envelope",
    }
}

/// What may happen to a plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PlanEvent {
    /// The scope's committee adopted the draft by a motion.
    Resolve {
        motion: MotionCheck,
    },
    /// A neighbourhood's autonomy plan adopted by its residents' general assembly (instead of a motion).
    AdoptByAssembly,
    /// Submitted to the level above: a frozen revision.
    Submit,
    /// The level above opens its consultation.
    OpenConsultation,
    /// The level above asks for adjustments, with a comment.
    RequestAdjustment {
        comment: String,
    },
    /// The revised plan goes back to consultation: another frozen revision.
    Resubmit,
    /// Approved with the amount granted (won, ≥ 0).
    Approve {
        granted: i64,
    },
    Execute,
    Close,
    Evaluate,
    Archive,
}

impl PlanEvent {
    pub fn message_id(&self) -> &'static str {
        match self {
            PlanEvent::Resolve { .. } => "plan-event-resolve",
            PlanEvent::AdoptByAssembly => "plan-event-adopt-by-assembly",
            PlanEvent::Submit => "plan-event-submit",
            PlanEvent::OpenConsultation => "plan-event-open-consultation",
            PlanEvent::RequestAdjustment { .. } => "plan-event-request-adjustment",
            PlanEvent::Resubmit => "plan-event-resubmit",
            PlanEvent::Approve { .. } => "plan-event-approve",
            PlanEvent::Execute => "plan-event-execute",
            PlanEvent::Close => "plan-event-close",
            PlanEvent::Evaluate => "plan-event-evaluate",
            PlanEvent::Archive => "plan-event-archive",
        }
    }

    /// Acted by the level above the plan's scope (the consulting level), not by the scope itself.
    pub fn by_level_above(&self) -> bool {
        matches!(
            self,
            PlanEvent::OpenConsultation
                | PlanEvent::RequestAdjustment { .. }
                | PlanEvent::Approve { .. }
        )
    }

    /// This event freezes a revision of the plan.
    pub fn freezes_revision(&self) -> bool {
        matches!(self, PlanEvent::Submit | PlanEvent::Resubmit)
    }
}

/// Applies `event` to a plan of scope `scope_id` in `state`.
pub fn apply_plan(
    state: PlanState,
    scope_id: i64,
    event: &PlanEvent,
) -> Result<PlanState, PlanRefusal> {
    use PlanEvent as E;
    use PlanState as S;
    match (state, event) {
        (S::Drafting, E::Resolve { motion }) => {
            require_motion(motion, scope_id)?;
            Ok(S::CommitteeResolved)
        }
        (S::Drafting, E::AdoptByAssembly) => Ok(S::CommitteeResolved),
        (S::Drafting, E::Submit) => Err(PlanRefusal::NotResolved),
        (S::CommitteeResolved, E::Submit) => Ok(S::Submitted),
        (S::Submitted, E::OpenConsultation) => Ok(S::InConsultation),
        (S::InConsultation, E::RequestAdjustment { comment }) => {
            require_reason(comment).map_err(|_| PlanRefusal::CommentRequired)?;
            Ok(S::Revising)
        }
        (S::Revising, E::Resubmit) => Ok(S::InConsultation),
        (S::InConsultation, E::Approve { granted }) => {
            if *granted < 0 {
                Err(PlanRefusal::NegativeAmount)
            } else {
                Ok(S::Approved)
            }
        }
        (S::Approved, E::Execute) => Ok(S::Executing),
        (S::Executing, E::Close) => Ok(S::Closing),
        (S::Closing, E::Evaluate) => Ok(S::Evaluated),
        (S::Evaluated, E::Archive) => Ok(S::Archived),
        _ => Err(PlanRefusal::NotAllowed {
            state: state.label_id(),
            event: event.message_id(),
        }),
    }
}

/// The year a plan is for: a four-digit year the platform can plan (2000–2100).
pub fn check_year(year: i64) -> Result<(), PlanRefusal> {
    if (2000..=2100).contains(&year) {
        Ok(())
    } else {
        Err(PlanRefusal::BadYear)
    }
}

/// What changed between two frozen revisions (one fact per line): the lines only in `old` (removed) and
/// the lines only in `new` (added), each in its revision's order.
pub fn diff_lines<'a>(old: &'a str, new: &'a str) -> (Vec<&'a str>, Vec<&'a str>) {
    let old_lines: Vec<&str> = old.lines().collect();
    let new_lines: Vec<&str> = new.lines().collect();
    let removed = old_lines
        .iter()
        .filter(|l| !new_lines.contains(l))
        .copied()
        .collect();
    let added = new_lines
        .iter()
        .filter(|l| !old_lines.contains(l))
        .copied()
        .collect();
    (removed, added)
}
