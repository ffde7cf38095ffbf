//! Ballot forms a process may use, and the configuration each needs. Ballots themselves are checked by the
//! engine (`maeul_pb::Election::check_ballot`), so the platform and the count never disagree.

use super::BudgetRefusal;

crate::named_enum! {
    /// The form of a process's ballot.
    pub enum BallotKind: "ballot kind", label "budget-ballot-" {
        /// Choose between `min` and `max` projects.
        Approval = "approval",
        /// Choose projects whose total cost fits in the envelope.
        Knapsack = "knapsack",
        /// Spread points among projects.
        Cumulative = "cumulative",
        /// Rank projects.
        Ranking = "ranking",
    }
}

/// A process's ballot settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BallotConfig {
    pub kind: BallotKind,
    /// Fewest projects a ballot names (0 = no minimum).
    pub min_projects: u32,
    /// Most projects a ballot names (0 = no maximum).
    pub max_projects: u32,
    /// Points to spread (cumulative ballots).
    pub points: u32,
}

impl BallotConfig {
    /// Refuses settings no ballot could satisfy.
    pub fn check(&self) -> Result<(), BudgetRefusal> {
        if self.max_projects != 0 && self.min_projects > self.max_projects {
            return Err(BudgetRefusal::BallotLimits {
                min: self.min_projects,
                max: self.max_projects,
            });
        }
        if self.kind == BallotKind::Cumulative && self.points == 0 {
            return Err(BudgetRefusal::PointsRequired);
        }
        Ok(())
    }
}
