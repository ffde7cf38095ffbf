//! The counting rules, computing exactly what pabutools 1.2.3 computes (see `docs/pb-semantics.md` in the shared
//! folder): same selected set, same selection order, same lexicographic tie-breaking on `project_id` strings.
//!
//! Everything is exact ([`Q`]). The Method of Equal Shares is organised around *budget classes*: voters who have the
//! same money left share a class, so a price is computed from a handful of (money, utility, multiplicity) triples
//! instead of one entry per voter, and rounds only re-price the projects whose last price could still win (prices
//! never decrease, so last round's price is a lower bound).
use crate::explain::{Explanation, Fate, ProjectExplanation};
use crate::model::VoteType;
use crate::profile::{Profile, ProjectIndex, Satisfaction};
use crate::rational::Q;
use std::cmp::Ordering;
use std::fmt;

mod certified;
mod fast_mes;
mod iterated;
mod mes;
mod phragmen;
mod sweep;

pub(crate) use iterated::mes_add1_equalshares;
use iterated::{mes_add1, mes_budget_increase};
use mes::mes;
use phragmen::phragmen;

/// A counting rule (the keys of the reference `expected.json` files).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Rule {
    /// Greedy by number of supporters (cost satisfaction).
    GreedyCost,
    /// Greedy by supporters per unit of cost (cardinality satisfaction).
    GreedyCard,
    /// Greedy by points per unit of cost (cumulative/scoring ballots).
    GreedyPoints,
    /// Greedy by Borda points per unit of cost (ordinal ballots).
    GreedyBorda,
    /// Method of Equal Shares, cost satisfaction.
    MesCost,
    /// Method of Equal Shares, cardinality satisfaction.
    MesCard,
    /// Method of Equal Shares, points satisfaction.
    MesPoints,
    /// `mes_cost` completed by greedy.
    MesCostGreedy,
    /// `mes_cost` with the per-voter budget raised by 1 until the outcome is exhaustive.
    MesCostAdd1,
    /// `mes_cost_add1` completed by greedy.
    MesCostAdd1Greedy,
    /// `mes_cost` with the budget raised by 1 % until the outcome is exhaustive.
    MesCostBudgetIncrease,
    /// `mes_cost_budget_increase` completed by greedy.
    MesCostBudgetIncreaseGreedy,
    /// Sequential Phragmén (approval ballots).
    Phragmen,
}

impl Rule {
    /// Every rule.
    pub const ALL: [Rule; 13] = [
        Rule::GreedyCost,
        Rule::GreedyCard,
        Rule::GreedyPoints,
        Rule::GreedyBorda,
        Rule::MesCost,
        Rule::MesCard,
        Rule::MesPoints,
        Rule::MesCostGreedy,
        Rule::MesCostAdd1,
        Rule::MesCostAdd1Greedy,
        Rule::MesCostBudgetIncrease,
        Rule::MesCostBudgetIncreaseGreedy,
        Rule::Phragmen,
    ];

    /// The rule's key (`mes_cost_add1`, …).
    pub fn name(self) -> &'static str {
        match self {
            Rule::GreedyCost => "greedy_cost",
            Rule::GreedyCard => "greedy_card",
            Rule::GreedyPoints => "greedy_points",
            Rule::GreedyBorda => "greedy_borda",
            Rule::MesCost => "mes_cost",
            Rule::MesCard => "mes_card",
            Rule::MesPoints => "mes_points",
            Rule::MesCostGreedy => "mes_cost_greedy",
            Rule::MesCostAdd1 => "mes_cost_add1",
            Rule::MesCostAdd1Greedy => "mes_cost_add1_greedy",
            Rule::MesCostBudgetIncrease => "mes_cost_budget_increase",
            Rule::MesCostBudgetIncreaseGreedy => "mes_cost_budget_increase_greedy",
            Rule::Phragmen => "phragmen",
        }
    }

    /// Rule by key.
    pub fn from_name(name: &str) -> Option<Rule> {
        Rule::ALL.into_iter().find(|rule| rule.name() == name)
    }

    /// Whether the rule can count this kind of ballot (as in the reference runs).
    pub fn accepts(self, vote_type: VoteType) -> bool {
        match self {
            Rule::GreedyPoints | Rule::MesPoints => vote_type.has_points(),
            Rule::GreedyBorda => vote_type == VoteType::Ordinal,
            Rule::Phragmen => matches!(vote_type, VoteType::Approval | VoteType::ChooseOne),
            _ => true,
        }
    }
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Why a rule cannot be run on an election.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RuleError(pub String);

impl fmt::Display for RuleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}
impl std::error::Error for RuleError {}

/// The result of a rule.
#[derive(Clone, Debug)]
pub struct Outcome {
    /// Funded projects in the order the rule chose them.
    pub selected: Vec<ProjectIndex>,
    /// Total cost of the funded projects.
    pub total_cost: Q,
    /// Why each project was or was not funded.
    pub explanation: Explanation,
}

/// Per-project record of what happened, built while a rule runs.
pub(crate) type Fates = Vec<Vec<Fate>>;

pub(crate) fn finish(
    profile: &Profile,
    selected: Vec<ProjectIndex>,
    fates: Fates,
    notes: Vec<String>,
) -> Outcome {
    let mut funded = vec![false; profile.num_projects()];
    for &p in &selected {
        funded[p as usize] = true;
    }
    let projects = fates
        .into_iter()
        .enumerate()
        .map(|(p, fate)| ProjectExplanation {
            project: profile.ids[p].clone(),
            cost: profile.costs[p].clone(),
            funded: funded[p],
            fate,
        })
        .collect();
    Outcome {
        total_cost: profile.cost_of(&selected),
        selected,
        explanation: Explanation { notes, projects },
    }
}

/// How far a long count (iterated equal shares) has come, as reported to [`RunOptions::progress`].
#[derive(Clone, Debug, PartialEq)]
pub struct Progress {
    /// The iterated rule (`mes_cost_add1`, `mes_cost_budget_increase`, `equalshares/add1`).
    pub rule: &'static str,
    /// Per-voter budgets considered so far: pabutools would have run equal shares this many times.
    pub budgets_tried: u64,
    /// Equal-shares runs actually computed so far.
    pub runs: u64,
    /// The per-voter budget just computed (approximate).
    pub per_voter_budget: f64,
    /// Cost of its outcome as a fraction of the budget: the loop ends when an outcome is exhaustive or goes over
    /// budget, so this rises towards 1 (not steadily).
    pub spent: f64,
}

/// How to run a rule ([`run`] uses the defaults).
#[derive(Default)]
pub struct RunOptions<'a> {
    /// Called after each equal-shares run of an iterated rule (a pure callback: the engine does no I/O).
    pub progress: Option<&'a mut dyn FnMut(&Progress)>,
    /// Compute the iterated rules by running equal shares at every per-voter budget in turn, exactly as pabutools'
    /// loop does, instead of skipping the budgets at which the outcome provably does not change. Same outcome, much
    /// slower: this is the reference the fast path is tested against.
    pub every_budget: bool,
}

impl RunOptions<'_> {
    /// The same options, borrowed for one more run.
    pub fn reborrow(&mut self) -> RunOptions<'_> {
        RunOptions {
            progress: match &mut self.progress {
                Some(progress) => Some(&mut **progress),
                None => None,
            },
            every_budget: self.every_budget,
        }
    }
}

/// Runs a rule.
pub fn run(profile: &Profile, rule: Rule) -> Result<Outcome, RuleError> {
    run_with(profile, rule, RunOptions::default())
}

fn check_applies(profile: &Profile, rule: Rule) -> Result<(), RuleError> {
    if rule.accepts(profile.vote_type) {
        Ok(())
    } else {
        Err(RuleError(format!(
            "rule {rule} does not apply to {} ballots",
            profile.vote_type.as_str()
        )))
    }
}

/// The rules completed by greedy, and the rule they complete.
fn completed(rule: Rule) -> Option<Rule> {
    match rule {
        Rule::MesCostGreedy => Some(Rule::MesCost),
        Rule::MesCostAdd1Greedy => Some(Rule::MesCostAdd1),
        Rule::MesCostBudgetIncreaseGreedy => Some(Rule::MesCostBudgetIncrease),
        _ => None,
    }
}

/// What a rule selected, with its explanation so far (before [`finish`]).
type Partial = (Vec<ProjectIndex>, Fates, Vec<String>);

fn run_partial(profile: &Profile, rule: Rule, options: RunOptions<'_>) -> Partial {
    let mut fates: Fates = vec![Vec::new(); profile.num_projects()];
    let mut notes = Vec::new();
    let selected = match rule {
        Rule::GreedyCost => greedy(profile, Satisfaction::Cost, &[], &mut fates),
        Rule::GreedyCard => greedy(profile, Satisfaction::Cardinality, &[], &mut fates),
        Rule::GreedyPoints => greedy(profile, Satisfaction::Points, &[], &mut fates),
        Rule::GreedyBorda => greedy(profile, Satisfaction::Borda, &[], &mut fates),
        Rule::MesCost => mes(profile, Satisfaction::Cost, &mut fates, &mut notes),
        Rule::MesCard => mes(profile, Satisfaction::Cardinality, &mut fates, &mut notes),
        Rule::MesPoints => mes(profile, Satisfaction::Points, &mut fates, &mut notes),
        Rule::MesCostAdd1 => mes_add1(profile, &mut fates, &mut notes, options),
        Rule::MesCostBudgetIncrease => {
            mes_budget_increase(profile, &mut fates, &mut notes, options)
        }
        Rule::Phragmen => phragmen(profile, &mut fates),
        Rule::MesCostGreedy | Rule::MesCostAdd1Greedy | Rule::MesCostBudgetIncreaseGreedy => {
            let base = completed(rule).expect("a completed rule");
            let (base, mut fates, mut notes) = run_partial(profile, base, options);
            let selected = complete(profile, base, &mut fates, &mut notes);
            return (selected, fates, notes);
        }
    };
    (selected, fates, notes)
}

/// Runs a rule with options (progress reports, or the plain loop for the iterated rules).
pub fn run_with(
    profile: &Profile,
    rule: Rule,
    options: RunOptions<'_>,
) -> Result<Outcome, RuleError> {
    check_applies(profile, rule)?;
    let (selected, fates, notes) = run_partial(profile, rule, options);
    Ok(finish(profile, selected, fates, notes))
}

/// Runs every rule of [`Rule::ALL`] on one profile (an error for those that do not apply), computing each base of a
/// completed rule once: `mes_cost_add1` and `mes_cost_add1_greedy` share their iterated run, and so on.
pub fn run_all(
    profile: &Profile,
    mut options: RunOptions<'_>,
) -> Vec<(Rule, Result<Outcome, RuleError>)> {
    let mut bases: Vec<(Rule, Partial)> = Vec::new();
    let mut results = Vec::new();
    for rule in Rule::ALL {
        if let Err(e) = check_applies(profile, rule) {
            results.push((rule, Err(e)));
            continue;
        }
        let (selected, fates, notes) = match completed(rule) {
            Some(base_rule) => {
                let (base, mut fates, mut notes) = match bases.iter().find(|(r, _)| *r == base_rule)
                {
                    Some((_, partial)) => partial.clone(),
                    None => run_partial(profile, base_rule, options.reborrow()),
                };
                let selected = complete(profile, base, &mut fates, &mut notes);
                (selected, fates, notes)
            }
            None => {
                let partial = run_partial(profile, rule, options.reborrow());
                bases.push((rule, partial.clone()));
                partial
            }
        };
        results.push((rule, Ok(finish(profile, selected, fates, notes))));
    }
    results
}

/// Compares `a_num / a_den` with `b_num / b_den` where a zero denominator means +∞ (all ∞ are equal).
fn cmp_ratio(a_num: &Q, a_den: &Q, b_num: &Q, b_den: &Q) -> Ordering {
    match (a_den.is_zero(), b_den.is_zero()) {
        (true, true) => Ordering::Equal,
        (true, false) => Ordering::Greater,
        (false, true) => Ordering::Less,
        (false, false) => (a_num * b_den).cmp(&(b_num * a_den)),
    }
}

/// Greedy by satisfaction per unit of cost (pabutools `greedy_utilitarian_welfare`, additive satisfaction): one pass
/// in decreasing density, ties by project id; a project is taken iff it fits in what is left; projects in `initial`
/// are kept first.
pub(crate) fn greedy(
    profile: &Profile,
    sat: Satisfaction,
    initial: &[ProjectIndex],
    fates: &mut Fates,
) -> Vec<ProjectIndex> {
    let scores = profile.total_satisfaction(sat);
    let mut in_initial = vec![false; profile.num_projects()];
    for &p in initial {
        in_initial[p as usize] = true;
    }
    let mut order: Vec<ProjectIndex> = (0..profile.num_projects() as ProjectIndex)
        .filter(|&p| !in_initial[p as usize])
        .collect();
    order.sort_by(|&a, &b| {
        let (a, b) = (a as usize, b as usize);
        cmp_ratio(&scores[b], &profile.costs[b], &scores[a], &profile.costs[a])
            .then(profile.tie_rank[a].cmp(&profile.tie_rank[b]))
    });
    let mut selected = initial.to_vec();
    let mut left = &profile.budget - &profile.cost_of(initial);
    for (position, &p) in order.iter().enumerate() {
        let cost = &profile.costs[p as usize];
        let score = scores[p as usize].clone();
        if cost <= &left {
            fates[p as usize].push(Fate::GreedyFunded {
                rank: position + 1,
                score,
                budget_left_before: left.clone(),
            });
            left -= cost;
            selected.push(p);
        } else {
            fates[p as usize].push(Fate::GreedySkipped {
                rank: position + 1,
                score,
                budget_left: left.clone(),
            });
        }
    }
    selected
}

/// Completion (`completion_by_rule_combination([rule, greedy])`): keep `base` if no project fits in the leftover,
/// else add projects greedily by number of supporters (cost satisfaction).
fn complete(
    profile: &Profile,
    base: Vec<ProjectIndex>,
    fates: &mut Fates,
    notes: &mut Vec<String>,
) -> Vec<ProjectIndex> {
    if profile.is_exhaustive(&base, &profile.budget) {
        notes
            .push("completion: the first rule's outcome is exhaustive, nothing to add".to_string());
        return base;
    }
    notes.push(format!(
        "completion: {} of the budget was left; the other projects were then considered greedily by number of supporters",
        profile.budget.clone() - profile.cost_of(&base)
    ));
    greedy(profile, Satisfaction::Cost, &base, fates)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::format::parse_str;

    #[test]
    fn ties_go_to_the_smallest_id_as_a_string() {
        // Two identical projects "10" and "9": "10" < "9" as strings, so "10" wins every rule.
        let text = "META\nkey;value\nbudget;5\nvote_type;approval\nPROJECTS\nproject_id;cost\n9;5\n10;5\nVOTES\nvoter_id;vote\n1;9,10\n2;10,9\n";
        let profile = Profile::new(&parse_str(text).unwrap().election);
        for rule in Rule::ALL
            .into_iter()
            .filter(|r| r.accepts(profile.vote_type))
        {
            let outcome = run(&profile, rule).unwrap();
            assert_eq!(outcome.selected, vec![1], "{rule}");
        }
    }
}
