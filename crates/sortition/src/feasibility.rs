//! Feasibility of a quota system, checked before any probability is computed or any draw is made.
//!
//! Simple, explainable checks come first (each one names the feature or category at fault); only when they
//! all pass is the integer program solved. When the integer program has no solution, a deletion filter
//! finds a minimal set of quota constraints that already conflict among themselves (an irreducible
//! infeasible subsystem), which is what the report names.
use std::fmt;

use serde::Serialize;

use crate::composition::{QuotaConstraint, SolverFailure, best_composition};
use crate::instance::Pool;

/// One reason why no panel can meet the quotas.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Infeasibility {
    /// Fewer applicants than seats.
    TooFewApplicants { applicants: usize, panel_size: u32 },
    /// A category's effective minimum exceeds its effective maximum.
    BoundsCrossed {
        feature: String,
        category: String,
        min: u32,
        max: u32,
    },
    /// A category's minimum exceeds the number of applicants in it.
    CategoryShortOfApplicants {
        feature: String,
        category: String,
        min: u32,
        applicants: u32,
    },
    /// The minimums of a feature's categories add up to more than the panel.
    MinimumsExceedPanel {
        feature: String,
        sum_of_minimums: u32,
        panel_size: u32,
    },
    /// The attainable maximums of a feature's categories (each capped by its applicants) add up to less
    /// than the panel.
    MaximumsBelowPanel {
        feature: String,
        sum_of_maximums: u32,
        panel_size: u32,
    },
    /// Every feature is satisfiable on its own but not all together; `conflicting` is a minimal set of
    /// constraints that cannot hold together (with the number of applicants of each type).
    Joint { conflicting: Vec<String> },
}

impl fmt::Display for Infeasibility {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Infeasibility::TooFewApplicants {
                applicants,
                panel_size,
            } => {
                write!(f, "only {applicants} applicants for {panel_size} seats")
            }
            Infeasibility::BoundsCrossed {
                feature,
                category,
                min,
                max,
            } => {
                write!(
                    f,
                    "feature {feature}, category {category}: minimum {min} is above maximum {max}"
                )
            }
            Infeasibility::CategoryShortOfApplicants {
                feature,
                category,
                min,
                applicants,
            } => write!(
                f,
                "feature {feature}, category {category}: min {min} but only {applicants} applicant{}",
                if *applicants == 1 { "" } else { "s" }
            ),
            Infeasibility::MinimumsExceedPanel {
                feature,
                sum_of_minimums,
                panel_size,
            } => {
                write!(
                    f,
                    "feature {feature}: minimums sum to {sum_of_minimums} > {panel_size} seats"
                )
            }
            Infeasibility::MaximumsBelowPanel {
                feature,
                sum_of_maximums,
                panel_size,
            } => write!(
                f,
                "feature {feature}: maximums (capped by applicants per category) sum to {sum_of_maximums} < \
                 {panel_size} seats"
            ),
            Infeasibility::Joint { conflicting } => write!(
                f,
                "the quotas of different features cannot all hold together; these conflict: {}",
                conflicting.join("; ")
            ),
        }
    }
}

/// Result of the feasibility check.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FeasibilityReport {
    /// Empty when the quotas can be met.
    pub problems: Vec<Infeasibility>,
    /// A composition meeting every quota (seats per type), when feasible.
    #[serde(skip)]
    pub witness: Option<Vec<u32>>,
}

impl FeasibilityReport {
    pub fn is_feasible(&self) -> bool {
        self.problems.is_empty()
    }
}

/// Checks whether some panel meets the panel size and every quota.
pub fn check_feasibility(pool: &Pool) -> Result<FeasibilityReport, SolverFailure> {
    let mut problems = Vec::new();
    if pool.applicant_count() < pool.panel_size as usize {
        problems.push(Infeasibility::TooFewApplicants {
            applicants: pool.applicant_count(),
            panel_size: pool.panel_size,
        });
    }
    for feature in &pool.features {
        for category in &feature.categories {
            if category.min > category.max {
                problems.push(Infeasibility::BoundsCrossed {
                    feature: feature.name.clone(),
                    category: category.name.clone(),
                    min: category.min,
                    max: category.max,
                });
            } else if category.min > category.applicants {
                problems.push(Infeasibility::CategoryShortOfApplicants {
                    feature: feature.name.clone(),
                    category: category.name.clone(),
                    min: category.min,
                    applicants: category.applicants,
                });
            }
        }
        let sum_of_minimums: u32 = feature.categories.iter().map(|c| c.min).sum();
        if sum_of_minimums > pool.panel_size {
            problems.push(Infeasibility::MinimumsExceedPanel {
                feature: feature.name.clone(),
                sum_of_minimums,
                panel_size: pool.panel_size,
            });
        }
        let sum_of_maximums: u32 = feature
            .categories
            .iter()
            .map(|c| c.max.min(c.applicants))
            .sum();
        if sum_of_maximums < pool.panel_size {
            problems.push(Infeasibility::MaximumsBelowPanel {
                feature: feature.name.clone(),
                sum_of_maximums,
                panel_size: pool.panel_size,
            });
        }
    }
    if !problems.is_empty() {
        return Ok(FeasibilityReport {
            problems,
            witness: None,
        });
    }

    let constraints = QuotaConstraint::all(pool);
    if let Some(witness) = best_composition(pool, None, &constraints)? {
        if pool.composition_meets_quotas(&witness) {
            return Ok(FeasibilityReport {
                problems,
                witness: Some(witness),
            });
        }
        return Err(SolverFailure(
            "the solver's composition, rounded, breaks a quota".into(),
        ));
    }
    let conflicting = minimal_conflicting_set(pool, constraints)?;
    problems.push(Infeasibility::Joint {
        conflicting: conflicting.iter().map(|c| c.describe(pool)).collect(),
    });
    Ok(FeasibilityReport {
        problems,
        witness: None,
    })
}

/// Deletion filter: drops each constraint in turn and keeps it out whenever the rest stays infeasible.
/// What remains is infeasible and every constraint in it is needed for that (an irreducible subsystem).
fn minimal_conflicting_set(
    pool: &Pool,
    mut constraints: Vec<QuotaConstraint>,
) -> Result<Vec<QuotaConstraint>, SolverFailure> {
    let mut index = 0;
    while index < constraints.len() {
        let mut without = constraints.clone();
        without.remove(index);
        if best_composition(pool, None, &without)?.is_none() {
            constraints = without;
        } else {
            index += 1;
        }
    }
    Ok(constraints)
}
