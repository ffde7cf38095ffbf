//! A project's review: officials judge feasibility and cost, the committee shortlists, only shortlisted
//! projects reach the ballot.

use super::{BudgetRefusal, Phase};

crate::named_enum! {
    /// Where a project is.
    pub enum ProjectState: "project state", label "budget-project-" {
        Submitted = "submitted",
        Feasible = "feasible",
        Infeasible = "infeasible",
        Shortlisted = "shortlisted",
        NotShortlisted = "not_shortlisted",
        Withdrawn = "withdrawn",
    }
}

impl ProjectState {
    /// On the ballot.
    pub fn on_ballot(self) -> bool {
        self == ProjectState::Shortlisted
    }
}

/// What happens to a project.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReviewEvent {
    /// An official finds it feasible at `cost` won (≥ 1, within the envelope) taking `months`.
    Feasible {
        cost: u64,
        months: u32,
        envelope: u64,
    },
    /// An official finds it infeasible, with a reason.
    Infeasible { reason: String },
    /// The committee puts it on the ballot.
    Shortlist,
    /// The committee leaves it off the ballot.
    Drop,
    /// Its proposer withdraws it.
    Withdraw,
}

impl ReviewEvent {
    fn message_id(&self) -> &'static str {
        match self {
            ReviewEvent::Feasible { .. } => "budget-review-feasible",
            ReviewEvent::Infeasible { .. } => "budget-review-infeasible",
            ReviewEvent::Shortlist => "budget-review-shortlist",
            ReviewEvent::Drop => "budget-review-drop",
            ReviewEvent::Withdraw => "budget-review-withdraw",
        }
    }
}

/// Checks a cost against the envelope: at least 1 won, at most the whole envelope.
pub fn check_cost(cost: u64, envelope: u64) -> Result<(), BudgetRefusal> {
    if cost == 0 {
        return Err(BudgetRefusal::CostZero);
    }
    if cost > envelope {
        return Err(BudgetRefusal::CostOverEnvelope { cost, envelope });
    }
    Ok(())
}

/// Applies `event` to a project in `state` while its process is in `phase`.
pub fn apply_review(
    state: ProjectState,
    phase: Phase,
    event: &ReviewEvent,
) -> Result<ProjectState, BudgetRefusal> {
    use ProjectState as S;
    use ReviewEvent as E;
    let not_allowed = || BudgetRefusal::ReviewNotAllowed {
        state: state.label_id(),
        event: event.message_id(),
    };
    let wrong_phase = || BudgetRefusal::WrongPhase {
        phase: phase.label_id(),
    };
    match event {
        E::Feasible { .. } | E::Infeasible { .. } if !phase.takes_reviews() => Err(wrong_phase()),
        E::Shortlist | E::Drop if !phase.takes_shortlist() => Err(wrong_phase()),
        E::Withdraw if !matches!(phase, Phase::ProposalsOpen | Phase::DepartmentReview) => {
            Err(wrong_phase())
        }
        E::Feasible {
            cost,
            months,
            envelope,
        } => match state {
            S::Submitted | S::Feasible | S::Infeasible => {
                check_cost(*cost, *envelope)?;
                if *months == 0 || *months > 120 {
                    return Err(BudgetRefusal::BadDuration { months: *months });
                }
                Ok(S::Feasible)
            }
            _ => Err(not_allowed()),
        },
        E::Infeasible { reason } => match state {
            S::Submitted | S::Feasible | S::Infeasible => {
                if reason.trim().is_empty() {
                    Err(BudgetRefusal::ReasonRequired)
                } else {
                    Ok(S::Infeasible)
                }
            }
            _ => Err(not_allowed()),
        },
        E::Shortlist => match state {
            S::Feasible | S::NotShortlisted | S::Shortlisted => Ok(S::Shortlisted),
            _ => Err(not_allowed()),
        },
        E::Drop => match state {
            S::Feasible | S::Shortlisted | S::NotShortlisted => Ok(S::NotShortlisted),
            _ => Err(not_allowed()),
        },
        E::Withdraw => match state {
            S::Submitted | S::Feasible | S::Infeasible => Ok(S::Withdrawn),
            _ => Err(not_allowed()),
        },
    }
}
