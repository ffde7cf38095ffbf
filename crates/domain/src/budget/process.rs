//! The participatory-budgeting process: its phases, in order, and what moves it from one to the next.

use super::BudgetRefusal;

crate::named_enum! {
    /// Where a process is. The API shows these names (`voting_open`, …).
    pub enum Phase: "budget phase", label "budget-phase-" {
        Configured = "configured",
        ProposalsOpen = "proposals_open",
        DepartmentReview = "department_review",
        CommitteeDeliberation = "committee_deliberation",
        BallotFixed = "ballot_fixed",
        VotingOpen = "voting_open",
        VotingClosed = "voting_closed",
        Tallied = "tallied",
        Approved = "approved",
        Implementing = "implementing",
        Completed = "completed",
        Cancelled = "cancelled",
    }
}

impl Phase {
    /// Residents may submit projects.
    pub fn takes_projects(self) -> bool {
        self == Phase::ProposalsOpen
    }
    /// Officials review projects (feasible / infeasible).
    pub fn takes_reviews(self) -> bool {
        matches!(self, Phase::ProposalsOpen | Phase::DepartmentReview)
    }
    /// The committee shortlists reviewed projects.
    pub fn takes_shortlist(self) -> bool {
        self == Phase::CommitteeDeliberation
    }
    /// Ballots are cast (and revised).
    pub fn takes_ballots(self) -> bool {
        self == Phase::VotingOpen
    }
    /// A result exists.
    pub fn has_result(self) -> bool {
        matches!(
            self,
            Phase::Tallied | Phase::Approved | Phase::Implementing | Phase::Completed
        )
    }
    /// The next phase in the normal order, if any.
    pub fn next(self) -> Option<Phase> {
        use Phase::*;
        Some(match self {
            Configured => ProposalsOpen,
            ProposalsOpen => DepartmentReview,
            DepartmentReview => CommitteeDeliberation,
            CommitteeDeliberation => BallotFixed,
            BallotFixed => VotingOpen,
            VotingOpen => VotingClosed,
            VotingClosed => Tallied,
            Tallied => Approved,
            Approved => Implementing,
            Implementing => Completed,
            Completed | Cancelled => return None,
        })
    }
}

/// What moves a process.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PhaseEvent {
    /// Move to the next phase. Fixing the ballot needs `shortlisted` ≥ 1; the tally is recorded by the
    /// count itself ([`PhaseEvent::RecordTally`]), never by hand.
    Advance { shortlisted: u32 },
    /// The count finished and its result is stored.
    RecordTally,
    /// Stop the process, with a reason, at any phase before completion.
    Cancel { reason: String },
}

impl PhaseEvent {
    fn message_id(&self) -> &'static str {
        match self {
            PhaseEvent::Advance { .. } => "budget-event-advance",
            PhaseEvent::RecordTally => "budget-event-tally",
            PhaseEvent::Cancel { .. } => "budget-event-cancel",
        }
    }
}

/// Applies `event` to a process in `phase`.
pub fn apply_phase(phase: Phase, event: &PhaseEvent) -> Result<Phase, BudgetRefusal> {
    let not_allowed = || BudgetRefusal::PhaseNotAllowed {
        phase: phase.label_id(),
        event: event.message_id(),
    };
    match event {
        PhaseEvent::Cancel { reason } => {
            if matches!(phase, Phase::Completed | Phase::Cancelled) {
                return Err(not_allowed());
            }
            if reason.trim().is_empty() {
                return Err(BudgetRefusal::ReasonRequired);
            }
            Ok(Phase::Cancelled)
        }
        PhaseEvent::RecordTally => {
            if phase == Phase::VotingClosed {
                Ok(Phase::Tallied)
            } else {
                Err(not_allowed())
            }
        }
        PhaseEvent::Advance { shortlisted } => match phase {
            // The tally is the count's to record.
            Phase::VotingClosed => Err(BudgetRefusal::TallyPending),
            Phase::CommitteeDeliberation if *shortlisted == 0 => {
                Err(BudgetRefusal::NothingShortlisted)
            }
            _ => phase.next().ok_or_else(not_allowed),
        },
    }
}

/// A process's configured dates (Unix seconds, each optional): the background worker moves the process
/// when one is due — proposals open, proposals close (→ department review), voting opens (from a fixed
/// ballot), voting closes. The phases between are staff decisions (review, shortlist, fixing the ballot).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Schedule {
    pub proposals_open_at: Option<i64>,
    pub proposals_close_at: Option<i64>,
    pub voting_open_at: Option<i64>,
    pub voting_close_at: Option<i64>,
}

impl Schedule {
    /// Refuses dates out of their order (each given date after the one before it).
    pub fn check(&self) -> Result<(), BudgetRefusal> {
        let dates = [
            self.proposals_open_at,
            self.proposals_close_at,
            self.voting_open_at,
            self.voting_close_at,
        ];
        let mut last: Option<i64> = None;
        for d in dates.into_iter().flatten() {
            if last.is_some_and(|l| d <= l) {
                return Err(BudgetRefusal::DatesOutOfOrder);
            }
            last = Some(d);
        }
        Ok(())
    }

    /// The phase a process in `phase` moves to at `now` because one of its dates passed, if any.
    pub fn due(&self, phase: Phase, now: i64) -> Option<Phase> {
        let passed = |d: Option<i64>| d.is_some_and(|d| d <= now);
        match phase {
            Phase::Configured if passed(self.proposals_open_at) => Some(Phase::ProposalsOpen),
            Phase::ProposalsOpen if passed(self.proposals_close_at) => {
                Some(Phase::DepartmentReview)
            }
            Phase::BallotFixed if passed(self.voting_open_at) => Some(Phase::VotingOpen),
            Phase::VotingOpen if passed(self.voting_close_at) => Some(Phase::VotingClosed),
            _ => None,
        }
    }
}
