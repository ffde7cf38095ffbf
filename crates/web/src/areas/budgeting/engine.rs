//! The bridge to the counting engine (`maeul-pb`): a process with its ballot projects and ballots becomes a
//! pabulib election; ballots are checked by the engine's own `check_ballot`, the count is the engine's rule,
//! and the export is the same election written as `.pb` (voter ids replaced by random ones, order
//! shuffled), so `maeul pb tally` on the download reproduces the stored result.
use maeul_db::budget::{ProcessRow, ProjectRow};
use maeul_domain::budget::{BallotKind, BallotProblem, BudgetRefusal, StoredBallot};
use maeul_pb::{Ballot, BallotError, Election, Profile, Project, Q, Rule, VoteType, Voter};

/// The engine's ballot kind for a process's ballot form.
pub fn vote_type(kind: BallotKind) -> VoteType {
    match kind {
        BallotKind::Approval | BallotKind::Knapsack => VoteType::Approval,
        BallotKind::Cumulative => VoteType::Cumulative,
        BallotKind::Ranking => VoteType::Ordinal,
    }
}

/// A stored ballot in the engine's terms.
pub fn to_engine(kind: BallotKind, ballot: &StoredBallot) -> Ballot {
    match (kind, ballot) {
        (BallotKind::Ranking, b) => {
            Ballot::Ordinal(b.project_ids().iter().map(i64::to_string).collect())
        }
        (_, StoredBallot::Points(points)) => Ballot::Cumulative(
            points
                .iter()
                .map(|(id, p)| (id.to_string(), Q::int(i128::from(*p))))
                .collect(),
        ),
        (_, StoredBallot::Projects(ids)) => {
            Ballot::Approval(ids.iter().map(i64::to_string).collect())
        }
    }
}

/// The election of a process: its ballot projects (in id order), its budget and ballot constraints from
/// the configuration, and the given voters (id, ballot).
pub fn election(
    process: &ProcessRow,
    projects: &[ProjectRow],
    voters: Vec<(String, StoredBallot)>,
) -> Election {
    let kind = process.ballot_kind;
    let vote_type = vote_type(kind);
    let budget = process.budget.to_string();
    let mut meta: Vec<(String, String)> = vec![
        (
            "description".into(),
            process.title.replace(['\n', '\r'], " "),
        ),
        ("country".into(), "South Korea".into()),
        ("unit".into(), format!("maeul scope {}", process.scope_id)),
        ("instance".into(), format!("maeul budget {}", process.id)),
        ("num_projects".into(), projects.len().to_string()),
        ("num_votes".into(), voters.len().to_string()),
        ("budget".into(), budget.clone()),
        ("vote_type".into(), vote_type.as_str().into()),
        ("rule".into(), process.rule.clone()),
    ];
    let mut constraints = maeul_pb::BallotConstraints::default();
    if process.min_projects > 0 {
        meta.push(("min_length".into(), process.min_projects.to_string()));
        constraints.min_length = Some(process.min_projects as u64);
    }
    if process.max_projects > 0 {
        meta.push(("max_length".into(), process.max_projects.to_string()));
        constraints.max_length = Some(process.max_projects as u64);
    }
    if kind == BallotKind::Knapsack {
        meta.push(("max_sum_cost".into(), budget));
        constraints.max_sum_cost = Some(Q::int(i128::from(process.budget)));
    }
    if kind == BallotKind::Cumulative {
        meta.push(("max_sum_points".into(), process.points.to_string()));
        constraints.max_sum_points = Some(Q::int(i128::from(process.points)));
    }
    constraints.category_max = process
        .quota_list()
        .into_iter()
        .map(|(c, n)| (c, u64::from(n)))
        .collect();
    let mut vote_columns = vec!["voter_id".to_owned(), "vote".to_owned()];
    if vote_type.has_points() {
        vote_columns.push("points".into());
    }
    Election {
        meta,
        budget: Q::int(i128::from(process.budget)),
        vote_type,
        constraints,
        project_columns: vec![
            "project_id".into(),
            "cost".into(),
            "name".into(),
            "category".into(),
        ],
        projects: projects
            .iter()
            .map(|p| Project {
                id: p.id.to_string(),
                cost: Q::int(i128::from(p.cost)),
                fields: vec![
                    ("name".into(), p.title.replace(['\n', '\r'], " ")),
                    (
                        "category".into(),
                        p.category.replace(['\n', '\r', ';'], " ").trim().to_owned(),
                    ),
                ],
            })
            .collect(),
        vote_columns,
        voters: voters
            .into_iter()
            .map(|(id, b)| Voter {
                id,
                ballot: to_engine(kind, &b),
                fields: vec![],
            })
            .collect(),
    }
}

/// The engine's verdict on a ballot, in the platform's refusals.
pub fn check(
    election: &Election,
    kind: BallotKind,
    ballot: &StoredBallot,
) -> Result<(), BudgetRefusal> {
    if ballot.project_ids().is_empty() {
        return Err(BudgetRefusal::Ballot(BallotProblem::Empty));
    }
    election
        .check_ballot(&to_engine(kind, ballot))
        .map_err(|e| BudgetRefusal::Ballot(problem(e)))
}

fn problem(e: BallotError) -> BallotProblem {
    use BallotProblem as P;
    match e {
        BallotError::WrongKind { .. } => P::WrongKind,
        BallotError::UnknownProject(project) => P::UnknownProject { project },
        BallotError::DuplicateProject(project) => P::DuplicateProject { project },
        BallotError::TooFewProjects { count, min } => P::TooFewProjects { count, min },
        BallotError::TooManyProjects { count, max } => P::TooManyProjects { count, max },
        BallotError::CostTooLow { total, min } => P::CostTooLow {
            total: total.to_string(),
            min: min.to_string(),
        },
        BallotError::CostTooHigh { total, max } => P::CostTooHigh {
            total: total.to_string(),
            max: max.to_string(),
        },
        BallotError::PointsOutOfRange { project, .. } => P::PointsOutOfRange { project },
        BallotError::TooFewPoints { total, min } => P::TooFewPoints {
            total: total.to_string(),
            min: min.to_string(),
        },
        BallotError::TooManyPoints { total, max } => P::TooManyPoints {
            total: total.to_string(),
            max: max.to_string(),
        },
        BallotError::TooManyInCategory {
            category,
            count,
            max,
        } => P::TooManyInCategory {
            category,
            count,
            max,
        },
    }
}

/// A count's outcome in the platform's terms.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Counted {
    /// Project ids in selection order.
    pub selected: Vec<i64>,
    pub total_cost: u64,
    /// The engine's explanation, as JSON.
    pub explanation: String,
}

/// Counts an election with the named rule (CPU-bound: call it on a blocking thread).
pub fn count(election: &Election, rule: &str) -> Result<Counted, BudgetRefusal> {
    count_profile(election, &Profile::new(election), rule)
}

/// Counts with integer voter weights (`weights[i]` for voter i, e.g. from
/// `maeul_domain::budget::weights::group_weights`): a voter of weight k counts as k identical voters.
pub fn count_weighted(
    election: &Election,
    weights: &[u64],
    rule: &str,
) -> Result<Counted, BudgetRefusal> {
    let profile = Profile::with_weights(election, weights)
        .map_err(|e| BudgetRefusal::CountFailed(format!("{e:?}")))?;
    count_profile(election, &profile, rule)
}

fn count_profile(
    election: &Election,
    profile: &Profile,
    rule: &str,
) -> Result<Counted, BudgetRefusal> {
    let rule = Rule::from_name(rule).ok_or_else(|| BudgetRefusal::CountFailed(rule.to_owned()))?;
    let outcome =
        maeul_pb::rules::run(profile, rule).map_err(|e| BudgetRefusal::CountFailed(e.0))?;
    let selected = outcome
        .selected
        .iter()
        .map(|i| {
            election.projects[*i as usize]
                .id
                .parse::<i64>()
                .unwrap_or(0)
        })
        .collect();
    let total_cost = outcome.total_cost.to_string().parse::<u64>().unwrap_or(0);
    let explanation = serde_json::to_string(&outcome.explanation)
        .map_err(|e| BudgetRefusal::CountFailed(e.to_string()))?;
    Ok(Counted {
        selected,
        total_cost,
        explanation,
    })
}

/// Whether a rule key names one of the engine's rules that can count this ballot form.
pub fn rule_fits(rule: &str, kind: BallotKind) -> bool {
    Rule::from_name(rule).is_some_and(|r| r.accepts(vote_type(kind)))
}

/// The `.pb` text of an election for publication: voters renumbered 1..n in a random order.
pub fn export(mut election: Election) -> String {
    use rand::seq::SliceRandom;
    let mut rng = rand::thread_rng();
    election.voters.shuffle(&mut rng);
    for (i, voter) in election.voters.iter_mut().enumerate() {
        voter.id = (i + 1).to_string();
    }
    maeul_pb::format::write_string(&election).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use maeul_db::budget::{ProcessRow, ProjectRow};
    use maeul_domain::budget::{Phase, ProjectState};

    fn process(budget: i64) -> ProcessRow {
        ProcessRow {
            id: 1,
            envelope_id: 1,
            scope_id: 1,
            title: "t".into(),
            phase: Phase::VotingClosed,
            cancel_reason: String::new(),
            budget,
            rule: "mes_cost".into(),
            ballot_kind: BallotKind::Approval,
            min_projects: 0,
            max_projects: 0,
            points: 0,
            min_age: 0,
            voter_bases: Default::default(),
            created_at: 0,
            updated_at: 0,
            proposals_open_at: None,
            proposals_close_at: None,
            voting_open_at: None,
            voting_close_at: None,
            weight_online: 0,
            weight_committee: 0,
            weight_school: 0,
            quotas: String::new(),
            imported: 0,
            leftover_applied: None,
        }
    }

    fn project(id: i64, cost: i64) -> ProjectRow {
        ProjectRow {
            id,
            process_id: 1,
            proposer_id: None,
            title: format!("p{id}"),
            description: String::new(),
            category: String::new(),
            location: String::new(),
            cost,
            months: None,
            state: ProjectState::Shortlisted,
            review_reason: String::new(),
            proposal_id: None,
            created_at: 0,
            shortlist_motion_id: None,
        }
    }

    /// Weighted counting is replicated voters: for every rule that counts approval ballots, on many small
    /// pseudo-random elections with group weights from shares, the weighted count equals the count of the
    /// election where each voter appears `weight` times.
    #[test]
    fn weighted_groups_count_as_replicated_voters() {
        let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = |m: u64| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed % m
        };
        for _ in 0..40 {
            let projects: Vec<ProjectRow> = (1..=6)
                .map(|id| project(id, 1 + next(9) as i64 * 100))
                .collect();
            // Three groups (online, committee, budget school) with shares 50/40/10.
            let sizes = [1 + next(6), 1 + next(3), 1 + next(2)];
            let weights_by_group = maeul_domain::budget::weights::group_weights(&[
                (50, sizes[0]),
                (40, sizes[1]),
                (10, sizes[2]),
            ])
            .unwrap();
            let mut voters = Vec::new();
            let mut weights = Vec::new();
            for (g, size) in sizes.iter().enumerate() {
                for v in 0..*size {
                    let chosen: Vec<i64> = (1..=6).filter(|_| next(2) == 0).collect();
                    let chosen = if chosen.is_empty() {
                        vec![1 + next(6) as i64]
                    } else {
                        chosen
                    };
                    voters.push((format!("{g}-{v}"), StoredBallot::Projects(chosen)));
                    weights.push(weights_by_group[g]);
                }
            }
            let p = process(600 + next(900) as i64);
            let weighted = election(&p, &projects, voters.clone());
            let replicated_voters: Vec<(String, StoredBallot)> = voters
                .iter()
                .zip(&weights)
                .flat_map(|((id, b), w)| (0..*w).map(move |k| (format!("{id}-{k}"), b.clone())))
                .collect();
            let replicated = election(&p, &projects, replicated_voters);
            for rule in Rule::ALL
                .into_iter()
                .filter(|r| r.accepts(VoteType::Approval))
            {
                let a = count_weighted(&weighted, &weights, rule.name()).unwrap();
                let b = count(&replicated, rule.name()).unwrap();
                assert_eq!(
                    (a.selected, a.total_cost),
                    (b.selected, b.total_cost),
                    "{rule}"
                );
            }
        }
    }
}
