//! Integer programs over panel compositions (seats per applicant type).
//!
//! A composition `x` gives the number of seats `x_t` taken by each applicant type `t`; it is a valid panel
//! shape when `0 ≤ x_t ≤ n_t` (integers), `Σ x_t = panel size`, and for every category `min ≤ Σ_{t in
//! category} x_t ≤ max`. Both the feasibility check and the pricing step of the leximin column generation
//! solve such programs with microlp's branch and bound.
use std::fmt;

use microlp::{ComparisonOp, OptimizationDirection, Problem, Variable};

use crate::instance::Pool;

/// One constraint of the quota system, as named in infeasibility reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum QuotaConstraint {
    /// `Σ x_t = panel size`.
    PanelSize,
    /// Category `(feature, category)` gets at least its minimum.
    Min(usize, usize),
    /// Category `(feature, category)` gets at most its maximum.
    Max(usize, usize),
}

impl QuotaConstraint {
    /// Every constraint of the pool that actually constrains (minimums above 0, maximums below the panel).
    pub fn all(pool: &Pool) -> Vec<QuotaConstraint> {
        let mut constraints = vec![QuotaConstraint::PanelSize];
        for (f, feature) in pool.features.iter().enumerate() {
            for (c, category) in feature.categories.iter().enumerate() {
                if category.min > 0 {
                    constraints.push(QuotaConstraint::Min(f, c));
                }
                if category.max < pool.panel_size {
                    constraints.push(QuotaConstraint::Max(f, c));
                }
            }
        }
        constraints
    }

    /// Human-readable statement of the constraint.
    pub fn describe(&self, pool: &Pool) -> String {
        match *self {
            QuotaConstraint::PanelSize => format!("exactly {} seats", pool.panel_size),
            QuotaConstraint::Min(f, c) => format!(
                "{} = {}: at least {}",
                pool.features[f].name,
                pool.features[f].categories[c].name,
                pool.features[f].categories[c].min
            ),
            QuotaConstraint::Max(f, c) => format!(
                "{} = {}: at most {}",
                pool.features[f].name,
                pool.features[f].categories[c].name,
                pool.features[f].categories[c].max
            ),
        }
    }
}

/// The LP solver failed numerically or hit a limit; not a statement about the quotas.
#[derive(Debug, Clone, PartialEq)]
pub struct SolverFailure(pub String);

impl fmt::Display for SolverFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "LP solver failure: {}", self.0)
    }
}

impl std::error::Error for SolverFailure {}

/// Maximises `Σ weights_t x_t` over compositions meeting `constraints` (all weights 0 when `weights` is
/// `None`). Returns `Ok(None)` when no composition meets them.
pub fn best_composition(
    pool: &Pool,
    weights: Option<&[f64]>,
    constraints: &[QuotaConstraint],
) -> Result<Option<Vec<u32>>, SolverFailure> {
    let mut problem = Problem::new(OptimizationDirection::Maximize);
    let vars: Vec<Variable> = pool
        .types
        .iter()
        .enumerate()
        .map(|(t, ty)| {
            problem.add_integer_var(weights.map_or(0.0, |w| w[t]), (0, ty.size() as i32))
        })
        .collect();
    for constraint in constraints {
        match *constraint {
            QuotaConstraint::PanelSize => {
                let terms: Vec<(Variable, f64)> = vars.iter().map(|&v| (v, 1.0)).collect();
                problem.add_constraint(terms.as_slice(), ComparisonOp::Eq, pool.panel_size as f64);
            }
            QuotaConstraint::Min(f, c) | QuotaConstraint::Max(f, c) => {
                let terms: Vec<(Variable, f64)> = pool
                    .types
                    .iter()
                    .zip(&vars)
                    .filter(|(ty, _)| ty.categories[f] == c)
                    .map(|(_, &v)| (v, 1.0))
                    .collect();
                let category = &pool.features[f].categories[c];
                let (op, rhs) = match constraint {
                    QuotaConstraint::Min(..) => (ComparisonOp::Ge, category.min as f64),
                    _ => (ComparisonOp::Le, category.max as f64),
                };
                if terms.is_empty() {
                    // No applicant in the category: a minimum above 0 is impossible, a maximum is void.
                    if matches!(op, ComparisonOp::Ge) && rhs > 0.0 {
                        return Ok(None);
                    }
                    continue;
                }
                problem.add_constraint(terms.as_slice(), op, rhs);
            }
        }
    }
    match problem.solve() {
        Ok(outcome) => match outcome.into_solution() {
            Ok(solution) => {
                let composition: Vec<u32> = vars
                    .iter()
                    .map(|&v| solution.var_value(v).round().max(0.0) as u32)
                    .collect();
                Ok(Some(composition))
            }
            Err(interrupted) => Err(SolverFailure(format!(
                "search interrupted ({:?}) before any solution",
                interrupted.termination_reason()
            ))),
        },
        Err(microlp::Error::Infeasible) => Ok(None),
        Err(other) => Err(SolverFailure(other.to_string())),
    }
}

/// A fast heuristic for the same problem as [`best_composition`] with weights: fills seats one at a time
/// with the type of highest weight that keeps every maximum and leaves, for every feature, enough seats to
/// reach its categories' minimums. Returns `None` when it paints itself into a corner (minimums of
/// different features can conflict); the result, when any, meets every quota.
pub fn greedy_composition(pool: &Pool, weights: &[f64]) -> Option<Vec<u32>> {
    let mut order: Vec<usize> = (0..pool.types.len()).collect();
    order.sort_by(|&a, &b| weights[b].total_cmp(&weights[a]).then(a.cmp(&b)));
    let mut seats = vec![0u32; pool.types.len()];
    let mut category_seats: Vec<Vec<u32>> = pool
        .features
        .iter()
        .map(|f| vec![0; f.categories.len()])
        .collect();
    let mut deficits: Vec<u32> = pool
        .features
        .iter()
        .map(|f| f.categories.iter().map(|c| c.min).sum())
        .collect();
    for remaining in (0..pool.panel_size).rev() {
        // `remaining` seats are left after this one.
        let chosen = order.iter().copied().find(|&t| {
            let ty = &pool.types[t];
            seats[t] < ty.size()
                && ty.categories.iter().enumerate().all(|(f, &c)| {
                    let category = &pool.features[f].categories[c];
                    let filled = category_seats[f][c];
                    let deficit_after = if filled < category.min {
                        deficits[f] - 1
                    } else {
                        deficits[f]
                    };
                    filled < category.max && deficit_after <= remaining
                })
        })?;
        seats[chosen] += 1;
        for (f, &c) in pool.types[chosen].categories.iter().enumerate() {
            if category_seats[f][c] < pool.features[f].categories[c].min {
                deficits[f] -= 1;
            }
            category_seats[f][c] += 1;
        }
    }
    pool.composition_meets_quotas(&seats).then_some(seats)
}
