//! The rule each city actually used (META `rule`), so its published winners (PROJECTS `selected`) can be
//! reproduced from the votes. pabutools does not do this; the semantics below are pabulib's descriptions of the
//! `rule` values.
use crate::explain::Fate;
use crate::model::{Election, VoteType};
use crate::profile::{Profile, ProjectIndex, Satisfaction};
use crate::rational::Q;
use crate::rules::{self, Fates, Outcome, Rule, RuleError, RunOptions, finish};

/// The META `rule` values this engine reproduces.
pub const SUPPORTED: [&str; 5] = [
    "greedy",
    "greedy-threshold",
    "greedy-no-skip",
    "equalshares/add1",
    "equalshares/add1-comparison",
];

/// The city's score of each project, as used by its own greedy count: approvals for approval ballots, total points
/// for cumulative/scoring ballots, and positional points (a ballot of length k gives k, k−1, …, 1) for ordinal ones.
pub fn official_scores(profile: &Profile) -> Vec<Q> {
    match profile.vote_type {
        VoteType::Approval | VoteType::ChooseOne => profile
            .approval_counts()
            .into_iter()
            .map(|c| Q::int(i128::from(c)))
            .collect(),
        VoteType::Cumulative | VoteType::Scoring => {
            profile.total_satisfaction(Satisfaction::Points)
        }
        VoteType::Ordinal => {
            let mut scores = vec![Q::ZERO; profile.num_projects()];
            for ballot in &profile.ballots {
                let k = ballot.projects.len();
                for (position, &p) in ballot.projects.iter().enumerate() {
                    scores[p as usize] += &Q::int(((k - position) as u64 * ballot.weight) as i128);
                }
            }
            scores
        }
    }
}

/// Greedy by the city's score, highest first (ties: lower cost, then project id); `threshold` excludes projects
/// scoring below it; `skip` = false stops at the first project that does not fit.
fn city_greedy(
    profile: &Profile,
    threshold: Option<&Q>,
    skip: bool,
    fates: &mut Fates,
) -> Vec<ProjectIndex> {
    let scores = official_scores(profile);
    let mut order: Vec<ProjectIndex> = (0..profile.num_projects() as ProjectIndex).collect();
    order.sort_by(|&a, &b| {
        let (a, b) = (a as usize, b as usize);
        scores[b]
            .cmp(&scores[a])
            .then(profile.costs[a].cmp(&profile.costs[b]))
            .then(profile.tie_rank[a].cmp(&profile.tie_rank[b]))
    });
    let mut left = profile.budget.clone();
    let mut selected = Vec::new();
    let mut stopped = false;
    for (position, &p) in order.iter().enumerate() {
        let (rank, score) = (position + 1, scores[p as usize].clone());
        let cost = &profile.costs[p as usize];
        if let Some(threshold) = threshold
            && &score < threshold
        {
            let reason = format!("its score is below the threshold {threshold}");
            fates[p as usize].push(Fate::GreedyNotReached {
                rank,
                score,
                reason,
            });
            continue;
        }
        if stopped {
            let reason =
                "the count stopped at the first project that did not fit (no skipping)".to_string();
            fates[p as usize].push(Fate::GreedyNotReached {
                rank,
                score,
                reason,
            });
        } else if cost <= &left {
            fates[p as usize].push(Fate::GreedyFunded {
                rank,
                score,
                budget_left_before: left.clone(),
            });
            left -= cost;
            selected.push(p);
        } else {
            fates[p as usize].push(Fate::GreedySkipped {
                rank,
                score,
                budget_left: left.clone(),
            });
            stopped = !skip;
        }
    }
    selected
}

/// Completes an outcome by the city's score (most votes first), skipping what does not fit.
fn city_greedy_completion(
    profile: &Profile,
    base: Vec<ProjectIndex>,
    fates: &mut Fates,
) -> Vec<ProjectIndex> {
    let scores = official_scores(profile);
    let mut order: Vec<ProjectIndex> = (0..profile.num_projects() as ProjectIndex)
        .filter(|p| !base.contains(p))
        .collect();
    order.sort_by(|&a, &b| {
        let (a, b) = (a as usize, b as usize);
        scores[b]
            .cmp(&scores[a])
            .then(profile.costs[a].cmp(&profile.costs[b]))
            .then(profile.tie_rank[a].cmp(&profile.tie_rank[b]))
    });
    let mut left = &profile.budget - &profile.cost_of(&base);
    let mut selected = base;
    for (position, p) in order.into_iter().enumerate() {
        let (rank, score) = (position + 1, scores[p as usize].clone());
        if profile.costs[p as usize] <= left {
            fates[p as usize].push(Fate::GreedyFunded {
                rank,
                score,
                budget_left_before: left.clone(),
            });
            left -= &profile.costs[p as usize];
            selected.push(p);
        } else {
            fates[p as usize].push(Fate::GreedySkipped {
                rank,
                score,
                budget_left: left.clone(),
            });
        }
    }
    selected
}

/// Runs the rule named in the file's META `rule`.
pub fn official(election: &Election, profile: &Profile) -> Result<Outcome, RuleError> {
    official_with(election, profile, RunOptions::default())
}

/// [`official`] with options (progress of an iterated equal-shares count).
pub fn official_with(
    election: &Election,
    profile: &Profile,
    mut options: RunOptions<'_>,
) -> Result<Outcome, RuleError> {
    let rule = election
        .meta_value("rule")
        .unwrap_or("unknown")
        .trim()
        .to_string();
    let mut fates: Fates = vec![Vec::new(); profile.num_projects()];
    let mut notes = vec![format!("official rule of the file: {rule}")];
    let selected = match rule.as_str() {
        "greedy" => city_greedy(profile, None, true, &mut fates),
        "greedy-no-skip" => city_greedy(profile, None, false, &mut fates),
        "greedy-threshold" => {
            let threshold = election
                .meta_value("min_project_score_threshold")
                .and_then(|t| t.replace(',', ".").parse::<Q>().ok())
                .ok_or_else(|| {
                    RuleError(
                        "rule greedy-threshold needs META min_project_score_threshold".to_string(),
                    )
                })?;
            notes.push(format!(
                "projects scoring below {threshold} are not eligible"
            ));
            city_greedy(profile, Some(&threshold), true, &mut fates)
        }
        // Assen 2024's published winners are exactly pabutools' Add1 outcome, without a greedy completion.
        "equalshares/add1" => {
            return rules::run_with(profile, Rule::MesCostAdd1, options)
                .map(|o| with_note(o, notes));
        }
        "equalshares/add1-comparison" => {
            let mut mes_fates: Fates = vec![Vec::new(); profile.num_projects()];
            let mut mes_notes = Vec::new();
            let base = rules::mes_add1_equalshares(
                profile,
                &mut mes_fates,
                &mut mes_notes,
                options.reborrow(),
            );
            let base = if profile.is_exhaustive(&base, &profile.budget) {
                base
            } else {
                city_greedy_completion(profile, base, &mut mes_fates)
            };
            let equal_shares = finish(profile, base, mes_fates, mes_notes);
            let mut greedy_fates: Fates = vec![Vec::new(); profile.num_projects()];
            let greedy = city_greedy(profile, None, true, &mut greedy_fates);
            let (prefer_mes, prefer_greedy) =
                compare_popularity(profile, &equal_shares.selected, &greedy);
            notes.push(format!(
                "comparison: {prefer_mes} voters have more approved projects funded by equal shares, {prefer_greedy} by greedy"
            ));
            if prefer_greedy > prefer_mes {
                notes
                    .push("the greedy outcome is preferred by more voters and is kept".to_string());
                return Ok(finish(profile, greedy, greedy_fates, notes));
            }
            notes.push("the equal-shares outcome is kept".to_string());
            return Ok(with_note(equal_shares, notes));
        }
        other => {
            return Err(RuleError(format!(
                "the file's rule {other:?} cannot be reproduced from its data (supported: {})",
                SUPPORTED.join(", ")
            )));
        }
    };
    Ok(finish(profile, selected, fates, notes))
}

fn with_note(mut outcome: Outcome, mut notes: Vec<String>) -> Outcome {
    notes.append(&mut outcome.explanation.notes);
    outcome.explanation.notes = notes;
    outcome
}

/// Voters who have strictly more of their projects funded in `a` than in `b`, and vice versa.
fn compare_popularity(profile: &Profile, a: &[ProjectIndex], b: &[ProjectIndex]) -> (u64, u64) {
    let mut in_a = vec![false; profile.num_projects()];
    let mut in_b = vec![false; profile.num_projects()];
    a.iter().for_each(|&p| in_a[p as usize] = true);
    b.iter().for_each(|&p| in_b[p as usize] = true);
    let (mut prefer_a, mut prefer_b) = (0, 0);
    for ballot in &profile.ballots {
        let count_a = ballot
            .projects
            .iter()
            .filter(|&&p| in_a[p as usize])
            .count();
        let count_b = ballot
            .projects
            .iter()
            .filter(|&&p| in_b[p as usize])
            .count();
        if count_a > count_b {
            prefer_a += ballot.weight;
        } else if count_b > count_a {
            prefer_b += ballot.weight;
        }
    }
    (prefer_a, prefer_b)
}

/// The file's own winners (PROJECTS `selected` column with a non-zero value), in file order; `None` when the file
/// has no such column.
pub fn file_winners(election: &Election) -> Option<Vec<String>> {
    if !election.project_columns.iter().any(|c| c == "selected") {
        return None;
    }
    Some(
        election
            .projects
            .iter()
            .filter(|p| {
                p.field("selected")
                    .is_some_and(|v| v.parse::<f64>().map(|x| x != 0.0).unwrap_or(true))
            })
            .map(|p| p.id.clone())
            .collect(),
    )
}
