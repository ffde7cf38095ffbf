//! The election as a domain model: projects, voters, ballots, and the ballot rules of the election.
use crate::rational::Q;
use std::collections::{HashMap, HashSet};
use std::fmt;

/// The kind of ballot an election uses (META `vote_type`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum VoteType {
    /// Approve any set of projects.
    Approval,
    /// Approve exactly one project (pabutools reads it as approval).
    #[serde(rename = "choose-1")]
    ChooseOne,
    /// Distribute points over projects.
    Cumulative,
    /// Give each project a score.
    Scoring,
    /// Rank projects.
    Ordinal,
}

impl VoteType {
    /// The META spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            VoteType::Approval => "approval",
            VoteType::ChooseOne => "choose-1",
            VoteType::Cumulative => "cumulative",
            VoteType::Scoring => "scoring",
            VoteType::Ordinal => "ordinal",
        }
    }

    /// Reads a META `vote_type` value (case-insensitive, as pabutools compares).
    pub fn parse(text: &str) -> Option<VoteType> {
        match text.trim().to_ascii_lowercase().as_str() {
            "approval" => Some(VoteType::Approval),
            "choose-1" => Some(VoteType::ChooseOne),
            "cumulative" => Some(VoteType::Cumulative),
            "scoring" => Some(VoteType::Scoring),
            "ordinal" => Some(VoteType::Ordinal),
            _ => None,
        }
    }

    /// True for ballots that carry points (`cumulative`, `scoring`).
    pub fn has_points(self) -> bool {
        matches!(self, VoteType::Cumulative | VoteType::Scoring)
    }
}

/// One ballot, with projects named by their `project_id`.
///
/// Order is significant only for [`Ballot::Ordinal`] (first = most preferred). The parser stores ballots normalised
/// the way pabutools reads them (a repeated project counts once; cumulative/scoring keep its last points, ordinal its
/// first position); a ballot built by hand may contain repeats and [`Election::check_ballot`] reports them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Ballot {
    /// Approved projects (`approval` and `choose-1`).
    Approval(Vec<String>),
    /// Points given to projects (`cumulative`).
    Cumulative(Vec<(String, Q)>),
    /// Scores given to projects (`scoring`).
    Scoring(Vec<(String, Q)>),
    /// Projects from most to least preferred (`ordinal`).
    Ordinal(Vec<String>),
}

impl Ballot {
    /// The projects named on the ballot, in ballot order.
    pub fn project_ids(&self) -> Vec<&str> {
        match self {
            Ballot::Approval(ids) | Ballot::Ordinal(ids) => {
                ids.iter().map(String::as_str).collect()
            }
            Ballot::Cumulative(entries) | Ballot::Scoring(entries) => {
                entries.iter().map(|(id, _)| id.as_str()).collect()
            }
        }
    }

    /// Number of projects named.
    pub fn len(&self) -> usize {
        match self {
            Ballot::Approval(ids) | Ballot::Ordinal(ids) => ids.len(),
            Ballot::Cumulative(entries) | Ballot::Scoring(entries) => entries.len(),
        }
    }

    /// True for a ballot that names no project (it still counts as a voter).
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Points per entry (`None` for approval and ordinal ballots).
    pub fn points(&self) -> Option<Vec<&Q>> {
        match self {
            Ballot::Cumulative(entries) | Ballot::Scoring(entries) => {
                Some(entries.iter().map(|(_, p)| p).collect())
            }
            _ => None,
        }
    }

    fn kind(&self) -> &'static str {
        match self {
            Ballot::Approval(_) => "approval",
            Ballot::Cumulative(_) => "cumulative",
            Ballot::Scoring(_) => "scoring",
            Ballot::Ordinal(_) => "ordinal",
        }
    }
}

/// A project put to the vote.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Project {
    /// `project_id` (a string, never a number: `"10" < "9"` when tie-breaking).
    pub id: String,
    /// Exact cost.
    pub cost: Q,
    /// Every other PROJECTS column, by header name, in header order (`name`, `category`, `votes`, `selected`, …).
    pub fields: Vec<(String, String)>,
}

impl Project {
    /// Value of an extra column, if present and not `none`.
    pub fn field(&self, name: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
            .filter(|value| !value.eq_ignore_ascii_case("none") && !value.is_empty())
    }

    /// Categories (`category` or `categories`, comma-separated).
    pub fn categories(&self) -> Vec<&str> {
        self.field("category")
            .or_else(|| self.field("categories"))
            .map(|v| {
                v.split(',')
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .collect()
            })
            .unwrap_or_default()
    }
}

/// One voter (one VOTES row).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Voter {
    /// `voter_id` (not necessarily unique in real files; every row counts).
    pub id: String,
    /// The ballot.
    pub ballot: Ballot,
    /// Every other VOTES column (`age`, `sex`, `voting_method`, `neighborhood`, …), in header order.
    pub fields: Vec<(String, String)>,
}

/// Constraints a ballot must satisfy (from META). `None` = no constraint.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct BallotConstraints {
    /// Fewest projects a ballot names.
    pub min_length: Option<u64>,
    /// Most projects a ballot names.
    pub max_length: Option<u64>,
    /// Least total cost of the named projects.
    pub min_sum_cost: Option<Q>,
    /// Most total cost of the named projects.
    pub max_sum_cost: Option<Q>,
    /// Fewest points given to one project.
    pub min_points: Option<Q>,
    /// Most points given to one project.
    pub max_points: Option<Q>,
    /// Fewest points in total.
    pub min_sum_points: Option<Q>,
    /// Most points in total.
    pub max_sum_points: Option<Q>,
    /// Most projects of each category a ballot names (`"7 of track A + 3 of track B"`), read from the
    /// projects' `category` field (comma-separated categories, as in pabulib). Not a pabulib META key:
    /// the platform sets it; empty = no quota.
    pub category_max: Vec<(String, u64)>,
}

/// The META keys that carry ballot constraints.
pub const CONSTRAINT_KEYS: [&str; 8] = [
    "min_length",
    "max_length",
    "min_sum_cost",
    "max_sum_cost",
    "min_points",
    "max_points",
    "min_sum_points",
    "max_sum_points",
];

/// A participatory-budgeting election: what a `.pb` file holds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Election {
    /// META entries in file order (including `budget`, `vote_type` and the constraints, as written).
    pub meta: Vec<(String, String)>,
    /// Exact budget.
    pub budget: Q,
    /// Ballot kind.
    pub vote_type: VoteType,
    /// Ballot constraints read from META.
    pub constraints: BallotConstraints,
    /// PROJECTS header (column names, in order).
    pub project_columns: Vec<String>,
    /// Projects in file order.
    pub projects: Vec<Project>,
    /// VOTES header (column names, in order).
    pub vote_columns: Vec<String>,
    /// Voters in file order.
    pub voters: Vec<Voter>,
}

/// Why a ballot is not valid in an election.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BallotError {
    /// The ballot kind does not match the election's `vote_type`.
    WrongKind {
        expected: VoteType,
        found: &'static str,
    },
    /// A project that is not in the election.
    UnknownProject(String),
    /// A project named twice.
    DuplicateProject(String),
    /// Too few projects.
    TooFewProjects { count: u64, min: u64 },
    /// Too many projects.
    TooManyProjects { count: u64, max: u64 },
    /// The named projects cost too little in total.
    CostTooLow { total: Q, min: Q },
    /// The named projects cost too much in total.
    CostTooHigh { total: Q, max: Q },
    /// Negative points or points outside `min_points..=max_points` for one project.
    PointsOutOfRange { project: String, points: Q },
    /// Too few points in total.
    TooFewPoints { total: Q, min: Q },
    /// Too many points in total.
    TooManyPoints { total: Q, max: Q },
    /// More projects of one category than its quota.
    TooManyInCategory {
        category: String,
        count: u64,
        max: u64,
    },
}

impl fmt::Display for BallotError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BallotError::WrongKind { expected, found } => {
                write!(
                    f,
                    "this election takes {} ballots, not {found}",
                    expected.as_str()
                )
            }
            BallotError::UnknownProject(id) => write!(f, "project {id:?} is not in this election"),
            BallotError::DuplicateProject(id) => write!(f, "project {id:?} appears more than once"),
            BallotError::TooFewProjects { count, min } => {
                write!(f, "{count} projects chosen, at least {min} required")
            }
            BallotError::TooManyProjects { count, max } => {
                write!(f, "{count} projects chosen, at most {max} allowed")
            }
            BallotError::CostTooLow { total, min } => {
                write!(f, "chosen projects cost {total}, at least {min} required")
            }
            BallotError::CostTooHigh { total, max } => {
                write!(f, "chosen projects cost {total}, at most {max} allowed")
            }
            BallotError::PointsOutOfRange { project, points } => {
                write!(
                    f,
                    "{points} points for project {project:?} is outside the allowed range"
                )
            }
            BallotError::TooFewPoints { total, min } => {
                write!(f, "{total} points given, at least {min} required")
            }
            BallotError::TooManyPoints { total, max } => {
                write!(f, "{total} points given, at most {max} allowed")
            }
            BallotError::TooManyInCategory {
                category,
                count,
                max,
            } => write!(
                f,
                "{count} projects of category {category:?} chosen, at most {max} allowed"
            ),
        }
    }
}
impl std::error::Error for BallotError {}

impl Election {
    /// META value by key.
    pub fn meta_value(&self, key: &str) -> Option<&str> {
        self.meta
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    /// Project by id.
    pub fn project(&self, id: &str) -> Option<&Project> {
        self.projects.iter().find(|p| p.id == id)
    }

    /// Checks a ballot against this election: kind, known and distinct projects, and every META constraint.
    /// This is the check the platform runs when a resident submits a ballot.
    pub fn check_ballot(&self, ballot: &Ballot) -> Result<(), BallotError> {
        let costs: HashMap<&str, &Q> = self
            .projects
            .iter()
            .map(|p| (p.id.as_str(), &p.cost))
            .collect();
        self.check_ballot_with(ballot, &costs)
    }

    /// [`Election::check_ballot`] with a prepared id → cost map (for checking many ballots).
    pub(crate) fn check_ballot_with(
        &self,
        ballot: &Ballot,
        costs: &HashMap<&str, &Q>,
    ) -> Result<(), BallotError> {
        let kind_ok = matches!(
            (self.vote_type, ballot),
            (
                VoteType::Approval | VoteType::ChooseOne,
                Ballot::Approval(_)
            ) | (VoteType::Cumulative, Ballot::Cumulative(_))
                | (VoteType::Scoring, Ballot::Scoring(_))
                | (VoteType::Ordinal, Ballot::Ordinal(_))
        );
        if !kind_ok {
            return Err(BallotError::WrongKind {
                expected: self.vote_type,
                found: ballot.kind(),
            });
        }
        let mut seen = HashSet::new();
        let mut total_cost = Q::ZERO;
        for id in ballot.project_ids() {
            let cost = costs
                .get(id)
                .ok_or_else(|| BallotError::UnknownProject(id.to_string()))?;
            if !seen.insert(id) {
                return Err(BallotError::DuplicateProject(id.to_string()));
            }
            total_cost += cost;
        }
        let c = &self.constraints;
        let count = ballot.len() as u64;
        let max_length = match (self.vote_type, c.max_length) {
            (VoteType::ChooseOne, Some(max)) => Some(max.min(1)),
            (VoteType::ChooseOne, None) => Some(1),
            (_, max) => max,
        };
        if let Some(min) = c.min_length
            && count < min
        {
            return Err(BallotError::TooFewProjects { count, min });
        }
        if let Some(max) = max_length
            && count > max
        {
            return Err(BallotError::TooManyProjects { count, max });
        }
        if let Some(min) = &c.min_sum_cost
            && &total_cost < min
        {
            return Err(BallotError::CostTooLow {
                total: total_cost,
                min: min.clone(),
            });
        }
        if let Some(max) = &c.max_sum_cost
            && &total_cost > max
        {
            return Err(BallotError::CostTooHigh {
                total: total_cost,
                max: max.clone(),
            });
        }
        for (category, max) in &c.category_max {
            let count = ballot
                .project_ids()
                .into_iter()
                .filter(|id| {
                    self.project(id)
                        .is_some_and(|p| p.categories().contains(&category.as_str()))
                })
                .count() as u64;
            if count > *max {
                return Err(BallotError::TooManyInCategory {
                    category: category.clone(),
                    count,
                    max: *max,
                });
            }
        }
        if let Ballot::Cumulative(entries) | Ballot::Scoring(entries) = ballot {
            let mut total_points = Q::ZERO;
            for (id, points) in entries {
                let below = c.min_points.as_ref().is_some_and(|min| points < min);
                let above = c.max_points.as_ref().is_some_and(|max| points > max);
                let negative_cumulative =
                    matches!(ballot, Ballot::Cumulative(_)) && points.is_negative();
                if below || above || negative_cumulative {
                    return Err(BallotError::PointsOutOfRange {
                        project: id.clone(),
                        points: points.clone(),
                    });
                }
                total_points += points;
            }
            if let Some(min) = &c.min_sum_points
                && &total_points < min
            {
                return Err(BallotError::TooFewPoints {
                    total: total_points,
                    min: min.clone(),
                });
            }
            if let Some(max) = &c.max_sum_points
                && &total_points > max
            {
                return Err(BallotError::TooManyPoints {
                    total: total_points,
                    max: max.clone(),
                });
            }
        }
        Ok(())
    }

    /// Every voter whose ballot breaks the election's constraints: (index in `voters`, error).
    pub fn invalid_ballots(&self) -> Vec<(usize, BallotError)> {
        let costs: HashMap<&str, &Q> = self
            .projects
            .iter()
            .map(|p| (p.id.as_str(), &p.cost))
            .collect();
        self.voters
            .iter()
            .enumerate()
            .filter_map(|(index, voter)| {
                self.check_ballot_with(&voter.ballot, &costs)
                    .err()
                    .map(|e| (index, e))
            })
            .collect()
    }
}
