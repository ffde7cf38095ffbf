//! Why each project was or was not funded, in a form a resident can read (plain text) or a program can use (JSON).
use crate::rational::Q;
use serde::Serialize;

/// Voters who paid for a project under the Method of Equal Shares: either all the same share, or each everything
/// they had left.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PaymentGroup {
    /// How many voters.
    pub voters: u64,
    /// What each paid, when they all paid the same share.
    pub paid_each: Option<Q>,
    /// What they paid together.
    pub paid_total: Q,
    /// They paid everything they had left (and so could not pay their full share).
    pub all_they_had: bool,
}

/// What happened to one project.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Fate {
    /// Greedy: funded at `rank` in the greedy order.
    GreedyFunded {
        rank: usize,
        score: Q,
        budget_left_before: Q,
    },
    /// Greedy: its turn came (at `rank`) but it no longer fit in what was left.
    GreedySkipped {
        rank: usize,
        score: Q,
        budget_left: Q,
    },
    /// Greedy (no-skip or threshold rules): not considered because the rule stopped or the score was too low.
    GreedyNotReached {
        rank: usize,
        score: Q,
        reason: String,
    },
    /// MES: bought in `round` at price `rho` per unit of satisfaction; supporters paid as listed.
    MesFunded {
        round: usize,
        rho: Q,
        payments: Vec<PaymentGroup>,
    },
    /// MES: a supported project costing nothing is funded first.
    MesFreeProject,
    /// MES: from `round` on its supporters had less money left than its cost.
    MesUnaffordable { round: usize, supporters_money: Q },
    /// Nobody gains anything from it (MES never funds it).
    NoSupport,
    /// Sequential Phragmén: bought in `round`; its approvers' load became `load`.
    PhragmenFunded { round: usize, load: Q },
    /// Sequential Phragmén: not bought before the rule stopped.
    PhragmenNotFunded { reason: String },
    /// Costs more than the whole budget.
    OverBudget,
}

/// The explanation of one project.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ProjectExplanation {
    /// `project_id`.
    pub project: String,
    /// Cost.
    pub cost: Q,
    /// Funded in the final outcome.
    pub funded: bool,
    /// What happened in the rule that decided it (for completed rules: the first rule, then the completion).
    pub fate: Vec<Fate>,
}

/// The explanation of a whole outcome.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Explanation {
    /// Remarks about the run (per-voter budget used, iterations, completion).
    pub notes: Vec<String>,
    /// One entry per project, in file order.
    pub projects: Vec<ProjectExplanation>,
}

fn money(value: &Q) -> String {
    if value.is_integer() {
        value.to_string()
    } else {
        format!("{} ({})", value.to_decimal_string(2), value)
    }
}

impl Fate {
    /// One sentence.
    pub fn describe(&self) -> String {
        match self {
            Fate::GreedyFunded {
                rank,
                score,
                budget_left_before,
            } => format!(
                "greedy: ranked {rank} (score {}), funded; {} of the budget was left before it",
                money(score),
                money(budget_left_before)
            ),
            Fate::GreedySkipped {
                rank,
                score,
                budget_left,
            } => format!(
                "greedy: ranked {rank} (score {}), skipped because it no longer fit: only {} left",
                money(score),
                money(budget_left)
            ),
            Fate::GreedyNotReached {
                rank,
                score,
                reason,
            } => {
                format!(
                    "greedy: ranked {rank} (score {}), not funded: {reason}",
                    money(score)
                )
            }
            Fate::MesFunded {
                round,
                rho,
                payments,
            } => {
                let paid: Vec<String> = payments
                    .iter()
                    .map(|g| match (&g.paid_each, g.all_they_had) {
                        (Some(each), false) => {
                            format!("{} voters paid {} each", g.voters, money(each))
                        }
                        (Some(each), true) => {
                            format!(
                                "{} voters paid all they had left, {} each",
                                g.voters,
                                money(each)
                            )
                        }
                        (None, _) => format!(
                            "{} voters paid all they had left, {} in total",
                            g.voters,
                            money(&g.paid_total)
                        ),
                    })
                    .collect();
                format!(
                    "equal shares: bought in round {round} at price ρ = {} per unit of satisfaction; {}",
                    money(rho),
                    paid.join("; ")
                )
            }
            Fate::MesFreeProject => {
                "equal shares: costs nothing and has supporters, so funded first".to_string()
            }
            Fate::MesUnaffordable {
                round,
                supporters_money,
            } => format!(
                "equal shares: from round {round} its supporters had only {} left in total, too little to pay for it",
                money(supporters_money)
            ),
            Fate::NoSupport => "no voter supports it".to_string(),
            Fate::PhragmenFunded { round, load } => {
                format!(
                    "Phragmén: bought in round {round}; each approver's load became {}",
                    money(load)
                )
            }
            Fate::PhragmenNotFunded { reason } => format!("Phragmén: not funded: {reason}"),
            Fate::OverBudget => "costs more than the whole budget".to_string(),
        }
    }
}

impl Explanation {
    /// Plain text: notes, then one paragraph per project.
    pub fn to_text(&self) -> String {
        let mut text = String::new();
        for note in &self.notes {
            text.push_str(note);
            text.push('\n');
        }
        for project in &self.projects {
            let status = if project.funded {
                "FUNDED"
            } else {
                "not funded"
            };
            text.push_str(&format!(
                "project {} (cost {}): {status}\n",
                project.project,
                money(&project.cost)
            ));
            for fate in &project.fate {
                text.push_str("  - ");
                text.push_str(&fate.describe());
                text.push('\n');
            }
        }
        text
    }
}
