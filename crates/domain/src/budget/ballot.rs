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

/// A ballot as stored: the chosen projects (approval, knapsack; for ranking, in order of preference) or
/// points per project (cumulative). Text form: `3,7,12` or `3:5,7:2`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StoredBallot {
    Projects(Vec<i64>),
    Points(Vec<(i64, u32)>),
}

impl StoredBallot {
    pub fn encode(&self) -> String {
        match self {
            StoredBallot::Projects(ids) => ids
                .iter()
                .map(|id| id.to_string())
                .collect::<Vec<_>>()
                .join(","),
            StoredBallot::Points(points) => points
                .iter()
                .map(|(id, p)| format!("{id}:{p}"))
                .collect::<Vec<_>>()
                .join(","),
        }
    }

    /// Reads the text form back; `points` says which form to expect. `None` when the text is not one.
    pub fn decode(text: &str, points: bool) -> Option<StoredBallot> {
        let parts = text.split(',').filter(|p| !p.is_empty());
        if points {
            parts
                .map(|p| {
                    let (id, n) = p.split_once(':')?;
                    Some((id.parse().ok()?, n.parse().ok()?))
                })
                .collect::<Option<Vec<_>>>()
                .map(StoredBallot::Points)
        } else {
            parts
                .map(|p| p.parse().ok())
                .collect::<Option<Vec<_>>>()
                .map(StoredBallot::Projects)
        }
    }

    /// The projects the ballot names.
    pub fn project_ids(&self) -> Vec<i64> {
        match self {
            StoredBallot::Projects(ids) => ids.clone(),
            StoredBallot::Points(points) => points.iter().map(|(id, _)| *id).collect(),
        }
    }
}

crate::named_enum! {
    /// The group a voter's ballot counts in when a process weighs groups (Seoul: online residents 50 %,
    /// the budget committee 40 %, budget-school graduates 10 %).
    pub enum VoterGroup: "voter group", label "budget-group-" {
        Online = "online",
        Committee = "committee",
        School = "school",
    }
}

/// Per-category quotas of an approval ballot ("7 of track A + 3 of track B"): at most `n` projects of
/// each named category. Text form: one `category:n` per line.
pub fn parse_quotas(text: &str) -> Result<Vec<(String, u32)>, BudgetRefusal> {
    let mut quotas: Vec<(String, u32)> = Vec::new();
    for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
        let (category, n) = line.rsplit_once(':').ok_or(BudgetRefusal::BadQuotas)?;
        let category = category.trim();
        let n: u32 = n.trim().parse().map_err(|_| BudgetRefusal::BadQuotas)?;
        if category.is_empty()
            || category.contains(',')
            || n == 0
            || quotas.iter().any(|(c, _)| c == category)
        {
            return Err(BudgetRefusal::BadQuotas);
        }
        quotas.push((category.to_owned(), n));
    }
    Ok(quotas)
}

/// The quotas' text form (what [`parse_quotas`] reads).
pub fn format_quotas(quotas: &[(String, u32)]) -> String {
    quotas
        .iter()
        .map(|(c, n)| format!("{c}:{n}"))
        .collect::<Vec<_>>()
        .join("\n")
}
