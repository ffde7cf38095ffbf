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
#[derive(Clone, Debug)]
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
    /// Number of voters (every VOTES row).
    pub num_voters: u64,
    /// Distinct ballots with multiplicities, in order of first appearance.
    pub ballots: Vec<DistinctBallot>,
}

impl Profile {
    /// Compiles an election (merging identical ballots; the outcome of every rule is the same as on the raw rows).
    pub fn new(election: &Election) -> Profile {
        let ids: Vec<String> = election.projects.iter().map(|p| p.id.clone()).collect();
        let costs = election.projects.iter().map(|p| p.cost.clone()).collect();
        let index: HashMap<&str, ProjectIndex> = ids
            .iter()
            .enumerate()
            .map(|(i, id)| (id.as_str(), i as ProjectIndex))
            .collect();
        let mut by_string: Vec<usize> = (0..ids.len()).collect();
        by_string.sort_by(|&a, &b| ids[a].as_bytes().cmp(ids[b].as_bytes()));
        let mut tie_rank = vec![0u32; ids.len()];
        for (rank, &project) in by_string.iter().enumerate() {
            tie_rank[project] = rank as u32;
        }
        let mut ballots: Vec<DistinctBallot> = Vec::new();
        let mut seen: HashMap<(Vec<ProjectIndex>, Option<Vec<Q>>), usize> = HashMap::new();
        // Per project: (voter stamp, place on the current ballot), so repeats are found in linear time.
        let mut slot_of: Vec<(usize, usize)> = vec![(usize::MAX, 0); ids.len()];
        for (stamp, voter) in election.voters.iter().enumerate() {
            let lookup = |id: &str| {
                *index
                    .get(id)
                    .expect("the parser and check_ballot reject unknown projects")
            };
            // Place of the project on this ballot if it was already listed, else record it at `next`.
            let mut first_place = |p: ProjectIndex, next: usize| {
                let (seen_in, place) = &mut slot_of[p as usize];
                if *seen_in == stamp {
                    Some(*place)
                } else {
                    (*seen_in, *place) = (stamp, next);
                    None
                }
            };
            let key = match &voter.ballot {
                Ballot::Approval(list) | Ballot::Ordinal(list) => {
                    // Approval is a set (sorted below) and ordinal keeps a project's first position.
                    let mut projects: Vec<ProjectIndex> = Vec::with_capacity(list.len());
                    for id in list {
                        let p = lookup(id);
                        if first_place(p, projects.len()).is_none() {
                            projects.push(p);
                        }
                    }
                    if matches!(voter.ballot, Ballot::Approval(_)) {
                        projects.sort_unstable();
                    }
                    (projects, None)
                }
                Ballot::Cumulative(entries) | Ballot::Scoring(entries) => {
                    // A repeated project keeps its last points (pabutools' dict), in its first place.
                    let mut pairs: Vec<(ProjectIndex, Q)> = Vec::with_capacity(entries.len());
                    for (id, points) in entries {
                        let p = lookup(id);
                        match first_place(p, pairs.len()) {
                            Some(place) => pairs[place].1 = points.clone(),
                            None => pairs.push((p, points.clone())),
                        }
                    }
                    pairs.sort_by_key(|(p, _)| *p);
                    let (projects, points) = pairs.into_iter().unzip();
                    (projects, Some(points))
                }
            };
            match seen.get(&key) {
                Some(&i) => ballots[i].weight += 1,
                None => {
                    seen.insert(key.clone(), ballots.len());
                    ballots.push(DistinctBallot {
                        weight: 1,
                        projects: key.0,
                        points: key.1,
                    });
                }
            }
        }
        Profile {
            ids,
            costs,
            tie_rank,
            budget: election.budget.clone(),
            vote_type: election.vote_type,
            num_voters: election.voters.len() as u64,
            ballots,
        }
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
