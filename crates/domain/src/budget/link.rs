//! What ties a budget project to the rest of the platform: the public-sphere proposal it was born from
//! (only an adopted one, of the process's scope or below, once, while the process takes projects), the
//! carried motion of a committee of the process's scope that decided its shortlist, and which files it
//! may receive. Imported historical elections do not move.

use super::{BudgetRefusal, Phase};
use crate::proposal::ProposalState;

/// What the rules need to know of a proposal offered as a project's origin.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ProposalOrigin {
    /// The proposal's state (only an adopted proposal becomes a project: an answer has no polarity).
    pub state: ProposalState,
    /// The proposal's scope is the process's scope or one below it.
    pub within_process_scope: bool,
    /// The proposal already became a project (of any process).
    pub already_linked: bool,
}

/// Checks that a proposal may become a project of a process in `phase`.
pub fn check_proposal_origin(origin: &ProposalOrigin, phase: Phase) -> Result<(), BudgetRefusal> {
    if origin.state != ProposalState::Adopted {
        Err(BudgetRefusal::ProposalNotAdopted)
    } else if !origin.within_process_scope {
        Err(BudgetRefusal::ProposalOutsideScope)
    } else if origin.already_linked {
        Err(BudgetRefusal::ProposalAlreadyLinked)
    } else if !phase.takes_projects() {
        Err(BudgetRefusal::WrongPhase {
            phase: phase.label_id(),
        })
    } else {
        Ok(())
    }
}

/// What the rules need to know of a motion offered as the decision on a shortlist.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ShortlistMotion {
    /// The motion was carried.
    pub carried: bool,
    /// The scope of the committee whose meeting decided it.
    pub committee_scope_id: i64,
}

/// Checks that `motion` decides a shortlist of a process of the scope `process_scope`: carried, by a
/// committee of that very scope.
pub fn require_shortlist_motion(
    motion: &ShortlistMotion,
    process_scope: i64,
) -> Result<(), BudgetRefusal> {
    if motion.committee_scope_id != process_scope {
        Err(BudgetRefusal::MotionOfAnotherScope)
    } else if !motion.carried {
        Err(BudgetRefusal::MotionNotCarried)
    } else {
        Ok(())
    }
}

/// Whether a project's proposer may still attach files: while proposals are open and under review.
pub fn check_attachable(phase: Phase, imported: bool) -> Result<(), BudgetRefusal> {
    if imported {
        Err(BudgetRefusal::Historical)
    } else if matches!(phase, Phase::ProposalsOpen | Phase::DepartmentReview) {
        Ok(())
    } else {
        Err(BudgetRefusal::AttachmentsClosed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn origin(state: ProposalState) -> ProposalOrigin {
        ProposalOrigin {
            state,
            within_process_scope: true,
            already_linked: false,
        }
    }

    #[test]
    fn only_an_adopted_proposal_of_the_scope_becomes_one_project_while_projects_are_taken() {
        let adopted = origin(ProposalState::Adopted);
        assert_eq!(
            check_proposal_origin(&adopted, Phase::ProposalsOpen),
            Ok(())
        );
        for state in ProposalState::ALL {
            if state != ProposalState::Adopted {
                assert_eq!(
                    check_proposal_origin(&origin(state), Phase::ProposalsOpen),
                    Err(BudgetRefusal::ProposalNotAdopted),
                    "{state:?}"
                );
            }
        }
        let elsewhere = ProposalOrigin {
            within_process_scope: false,
            ..adopted
        };
        assert_eq!(
            check_proposal_origin(&elsewhere, Phase::ProposalsOpen),
            Err(BudgetRefusal::ProposalOutsideScope)
        );
        let linked = ProposalOrigin {
            already_linked: true,
            ..adopted
        };
        assert_eq!(
            check_proposal_origin(&linked, Phase::ProposalsOpen),
            Err(BudgetRefusal::ProposalAlreadyLinked)
        );
        for phase in Phase::ALL {
            if phase != Phase::ProposalsOpen {
                assert_eq!(
                    check_proposal_origin(&adopted, phase),
                    Err(BudgetRefusal::WrongPhase {
                        phase: phase.label_id()
                    })
                );
            }
        }
    }

    #[test]
    fn a_shortlist_cites_only_a_carried_motion_of_the_process_scope() {
        let carried = ShortlistMotion {
            carried: true,
            committee_scope_id: 7,
        };
        assert_eq!(require_shortlist_motion(&carried, 7), Ok(()));
        assert_eq!(
            require_shortlist_motion(&carried, 8),
            Err(BudgetRefusal::MotionOfAnotherScope)
        );
        let failed = ShortlistMotion {
            carried: false,
            ..carried
        };
        assert_eq!(
            require_shortlist_motion(&failed, 7),
            Err(BudgetRefusal::MotionNotCarried)
        );
        // Another scope's motion is refused as such even when it failed too.
        assert_eq!(
            require_shortlist_motion(&failed, 8),
            Err(BudgetRefusal::MotionOfAnotherScope)
        );
    }

    #[test]
    fn files_are_attached_while_proposals_are_open_or_reviewed_never_to_history() {
        for phase in Phase::ALL {
            let expected = if matches!(phase, Phase::ProposalsOpen | Phase::DepartmentReview) {
                Ok(())
            } else {
                Err(BudgetRefusal::AttachmentsClosed)
            };
            assert_eq!(check_attachable(phase, false), expected, "{phase:?}");
            assert_eq!(
                check_attachable(phase, true),
                Err(BudgetRefusal::Historical)
            );
        }
    }
}
