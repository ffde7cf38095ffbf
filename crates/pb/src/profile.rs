//! The election compiled for counting: projects by index, identical ballots merged with a multiplicity.
use crate::model::{Ballot, Election, VoteType};
use crate::rational::Q;
use std::collections::HashMap;

/// Index of a project in [`Profile::ids`] (file order).
pub type ProjectIndex = u32;

/// One distinct ballot and how many voters cast it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DistinctBallot {
    /// Number of voters who cast exactly this ballot.
    pub weight: u64,
    /// Projects (sorted by index for approval/cumulative/scoring; in rank order for ordinal).
    pub projects: Vec<ProjectIndex>,
    /// Points per entry of `projects` (cumulative and scoring ballots).
    pub points: Option<Vec<Q>>,
}

/// A satisfaction function (how much a voter gains from a project), as pabutools names them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Satisfaction {
    /// `Cost_Sat`: the project's cost if the voter lists it.
    Cost,
    /// `Cardinality_Sat`: 1 if the voter lists it.
    Cardinality,
    /// `Additive_Cardinal_Sat`: the points the voter gave it.
    Points,
    /// `Additive_Borda_Sat`: ballot length − position − 1.
    Borda,
}

/// The counting view of an election.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Profile {
    /// Project ids in file order.
    pub ids: Vec<String>,
    /// Exact costs, by project index.
    pub costs: Vec<Q>,
    /// Position of each project when ids are sorted as strings (pabutools' lexicographic tie-breaking: lower wins).
    pub tie_rank: Vec<u32>,
    /// Budget.
    pub budget: Q,
    /// Ballot kind.
    pub vote_type: VoteType,
    /// Number of voters (every VOTES row; with weights, their sum).
    pub num_voters: u64,
    /// Distinct ballots with multiplicities, in order of first appearance.
    pub ballots: Vec<DistinctBallot>,
}

/// Why voter weights cannot be used.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum WeightError {
    /// One weight per voter is needed.
    Count { voters: usize, weights: usize },
    /// The weights add up to more than `u64::MAX`.
    TooLarge,
}

impl std::fmt::Display for WeightError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            WeightError::Count { voters, weights } => {
                write!(f, "{weights} weights for {voters} voters")
            }
            WeightError::TooLarge => f.write_str("the weights add up to more than 2^64 − 1"),
        }
    }
}
impl std::error::Error for WeightError {}

/// Merges ballots into distinct ballots with multiplicities, reading each the way pabutools does: approval as a
/// set (sorted by project index), ordinal keeping a project's first position, cumulative/scoring keeping a repeated
/// project's last points in its first place.
pub(crate) struct ProfileBuilder {
    vote_type: VoteType,
    seen: foldhash::HashMap<(Vec<ProjectIndex>, Option<Vec<Q>>), u32>,
    ballots: Vec<DistinctBallot>,
    total: Option<u64>,
    /// Per project: (ballot stamp, place on the current ballot), so repeats are found in linear time.
    place_of: Vec<(u64, usize)>,
    stamp: u64,
}

impl ProfileBuilder {
    pub(crate) fn new(vote_type: VoteType, num_projects: usize) -> Self {
        ProfileBuilder {
            vote_type,
            seen: Default::default(),
            ballots: Vec::new(),
            total: Some(0),
            place_of: vec![(u64::MAX, 0); num_projects],
            stamp: 0,
        }
    }

    /// Adds a ballot given as (project, points) entries in ballot order, with a weight; returns its distinct index
    /// (`None` for weight 0, which adds nothing).
    pub(crate) fn add(
        &mut self,
        entries: impl Iterator<Item = (ProjectIndex, Option<Q>)>,
        weight: u64,
    ) -> Option<u32> {
        if weight == 0 {
            return None;
        }
        self.stamp += 1;
        let mut projects: Vec<ProjectIndex> = Vec::new();
        let mut points: Vec<Q> = Vec::new();
        for (p, value) in entries {
            let (seen_on, place) = &mut self.place_of[p as usize];
            if *seen_on == self.stamp {
                if let Some(value) = value {
                    points[*place] = value;
                }
                continue;
            }
            (*seen_on, *place) = (self.stamp, projects.len());
            projects.push(p);
            points.extend(value);
        }
        let key = match self.vote_type {
            VoteType::Ordinal => (projects, None),
            VoteType::Approval | VoteType::ChooseOne => {
                projects.sort_unstable();
                (projects, None)
            }
            VoteType::Cumulative | VoteType::Scoring => {
                let mut pairs: Vec<(ProjectIndex, Q)> = projects.into_iter().zip(points).collect();
                pairs.sort_unstable_by_key(|(p, _)| *p);
                let (projects, points) = pairs.into_iter().unzip();
                (projects, Some(points))
            }
        };
        // The key is stored once, in the map; `finish` moves it into its distinct ballot.
        let next = self.ballots.len() as u32;
        let index = *self.seen.entry(key).or_insert(next);
        if index == next {
            self.ballots.push(DistinctBallot {
                weight: 0,
                projects: Vec::new(),
                points: None,
            });
        }
        self.add_to(index, weight);
        Some(index)
    }

    /// Adds `weight` more voters to the distinct ballot `index`.
    pub(crate) fn add_to(&mut self, index: u32, weight: u64) {
        // The total bounds every ballot's weight: once it overflows, the profile is refused in `finish`.
        let ballot = &mut self.ballots[index as usize];
        ballot.weight = ballot.weight.saturating_add(weight);
        self.total = self.total.and_then(|t| t.checked_add(weight));
    }

    pub(crate) fn finish(
        self,
        ids: Vec<String>,
        costs: Vec<Q>,
        budget: Q,
    ) -> Result<Profile, WeightError> {
        let num_voters = self.total.ok_or(WeightError::TooLarge)?;
        let mut ballots = self.ballots;
        for ((projects, points), index) in self.seen {
            let ballot = &mut ballots[index as usize];
            (ballot.projects, ballot.points) = (projects, points);
        }
        let mut by_string: Vec<usize> = (0..ids.len()).collect();
        by_string.sort_by(|&a, &b| ids[a].as_bytes().cmp(ids[b].as_bytes()));
        let mut tie_rank = vec![0u32; ids.len()];
        for (rank, &project) in by_string.iter().enumerate() {
            tie_rank[project] = rank as u32;
        }
        Ok(Profile {
            ids,
            costs,
            tie_rank,
            budget,
            vote_type: self.vote_type,
            num_voters,
            ballots,
        })
    }
}

impl Profile {
    /// Compiles an election (merging identical ballots; the outcome of every rule is the same as on the raw rows).
    pub fn new(election: &Election) -> Profile {
        let weights = vec![1; election.voters.len()];
        Profile::with_weights(election, &weights)
            .expect("one weight per voter, summing to the voter count")
    }

    /// Compiles an election whose voters carry integer weights (`weights[i]` for `election.voters[i]`): a voter of
    /// weight k counts exactly as k voters casting the same ballot, in every rule (the rules only ever see distinct
    /// ballots with multiplicities, and a weight is a multiplicity). Weight 0 leaves the voter out entirely (not
    /// even counted in n for equal shares). Ballots must name only projects of the election (as the reader and
    /// [`Election::check_ballot`] ensure).
    pub fn with_weights(election: &Election, weights: &[u64]) -> Result<Profile, WeightError> {
        if weights.len() != election.voters.len() {
            return Err(WeightError::Count {
                voters: election.voters.len(),
                weights: weights.len(),
            });
        }
        let ids: Vec<String> = election.projects.iter().map(|p| p.id.clone()).collect();
        let costs = election.projects.iter().map(|p| p.cost.clone()).collect();
        let index: foldhash::HashMap<&str, ProjectIndex> = ids
            .iter()
            .enumerate()
            .map(|(i, id)| (id.as_str(), i as ProjectIndex))
            .collect();
        let lookup = |id: &str| {
            *index
                .get(id)
                .expect("the parser and check_ballot reject unknown projects")
        };
        let mut builder = ProfileBuilder::new(election.vote_type, ids.len());
        for (voter, &weight) in election.voters.iter().zip(weights) {
            match &voter.ballot {
                Ballot::Approval(list) | Ballot::Ordinal(list) => {
                    builder.add(list.iter().map(|id| (lookup(id), None)), weight)
                }
                Ballot::Cumulative(entries) | Ballot::Scoring(entries) => builder.add(
                    entries
                        .iter()
                        .map(|(id, points)| (lookup(id), Some(points.clone()))),
                    weight,
                ),
            };
        }
        builder.finish(ids, costs, election.budget.clone())
    }

    /// Number of projects.
    pub fn num_projects(&self) -> usize {
        self.ids.len()
    }

    /// Utility of each entry of a ballot under a satisfaction function.
    pub fn utility(&self, sat: Satisfaction, ballot: &DistinctBallot, position: usize) -> Q {
        match sat {
            Satisfaction::Cost => self.costs[ballot.projects[position] as usize].clone(),
            Satisfaction::Cardinality => Q::int(1),
            Satisfaction::Points => ballot
                .points
                .as_ref()
                .map(|p| p[position].clone())
                .unwrap_or_else(|| Q::int(1)),
            Satisfaction::Borda => Q::int((ballot.projects.len() - position - 1) as i128),
        }
    }

    /// Total satisfaction of all voters for each project (multiplicities counted).
    pub fn total_satisfaction(&self, sat: Satisfaction) -> Vec<Q> {
        let mut totals = vec![Q::ZERO; self.num_projects()];
        // Weights of each (project, utility) pair are summed as integers first so most additions stay cheap.
        let mut counts: HashMap<(ProjectIndex, Q), u64> = HashMap::new();
        for ballot in &self.ballots {
            for position in 0..ballot.projects.len() {
                let utility = self.utility(sat, ballot, position);
                *counts
                    .entry((ballot.projects[position], utility))
                    .or_default() += ballot.weight;
            }
        }
        for ((project, utility), weight) in counts {
            totals[project as usize] += &utility.mul_int(weight);
        }
        totals
    }

    /// Number of voters listing each project.
    pub fn approval_counts(&self) -> Vec<u64> {
        let mut counts = vec![0u64; self.num_projects()];
        for ballot in &self.ballots {
            for &p in &ballot.projects {
                counts[p as usize] += ballot.weight;
            }
        }
        counts
    }

    /// Total cost of a set of projects.
    pub fn cost_of(&self, projects: &[ProjectIndex]) -> Q {
        let mut total = Q::ZERO;
        for &p in projects {
            total += &self.costs[p as usize];
        }
        total
    }

    /// True when no project outside `selected` fits in what is left of `budget` (pabutools `is_exhaustive`).
    pub fn is_exhaustive(&self, selected: &[ProjectIndex], budget: &Q) -> bool {
        let left = budget - &self.cost_of(selected);
        let mut chosen = vec![false; self.num_projects()];
        for &p in selected {
            chosen[p as usize] = true;
        }
        (0..self.num_projects()).all(|p| chosen[p] || self.costs[p] > left)
    }
}
