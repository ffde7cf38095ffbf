//! A bounded primal simplex with an explicit basis inverse, made for column generation: columns can be added
//! to a solved problem and the next solve starts from the previous optimal basis (new columns enter
//! nonbasic at their lower bound, so the basis stays primal feasible and only a few pivots are needed).
//!
//! The problem is `min cᵀx  s.t.  A x + w = b,  l ≤ x ≤ u,  lw ≤ w ≤ uw`: every row has a logical variable
//! `w_i` (column `e_i`) whose bounds state the row's sense. Logical variables are numbered `0..rows`,
//! structural ones from `rows` on, in the order they were added.
//!
//! Why hand-written: the leximin master problems have a few hundred rows and up to a few thousand columns,
//! and are solved hundreds of times with a few columns more each time; an interior-point method cannot
//! reuse the previous solution, and the pure-Rust simplex crates do not return duals or accept new columns.
//! Why an explicit inverse: the basis is mostly logical columns, whose columns of `B⁻¹` are unit vectors,
//! so a pivot touches only the few columns that belong to structural basics, and a refactorisation only
//! inverts the structural kernel.

/// Where a nonbasic variable sits, or the position of a basic one.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Status {
    Basic(usize),
    AtLower,
    AtUpper,
    /// Nonbasic without finite bounds, held at 0.
    FreeAtZero,
}

/// Why a solve stopped without an optimal basis.
#[derive(Debug, Clone, PartialEq)]
pub enum SimplexError {
    Unbounded,
    IterationLimit,
    /// The basis became numerically singular.
    Singular,
    /// The starting basis given by the caller is not primal feasible.
    Infeasible,
}

/// Primal feasibility tolerance (absolute; the master problems' values are probabilities and weights).
const FEASIBILITY: f64 = 1e-9;
/// A reduced cost must exceed this to make a variable enter.
const OPTIMALITY: f64 = 1e-10;
/// Pivot elements smaller than this are never chosen.
const PIVOT: f64 = 1e-9;
/// Pivots between refactorisations of the basis inverse (a refactorisation costs about as much as a few
/// hundred pivots on the leximin masters; 300 keeps the updated inverse accurate to ~1e-12 there).
const REFACTOR_EVERY: usize = 300;
/// Consecutive degenerate pivots after which Bland's rule (which cannot cycle) takes over.
const STALL_LIMIT: usize = 50;

#[derive(Debug, Clone)]
pub struct Simplex {
    rows: usize,
    /// Sparse columns of the structural variables (row, value).
    columns: Vec<Vec<(usize, f64)>>,
    cost: Vec<f64>,
    lower: Vec<f64>,
    upper: Vec<f64>,
    rhs: Vec<f64>,
    status: Vec<Status>,
    x: Vec<f64>,
    /// Variable at each basis position.
    basis: Vec<usize>,
    /// `B⁻¹`, column-major: `inverse[j * rows + i] = (B⁻¹)_{ij}`.
    inverse: Vec<f64>,
    /// Dual values `yᵀ = c_Bᵀ B⁻¹`.
    duals: Vec<f64>,
    /// Reduced costs `c_j − yᵀa_j` of every variable (0 for basic ones), kept up to date by each pivot.
    reduced: Vec<f64>,
    /// Devex reference weights (approximate squared norms of the edge directions), per variable.
    devex: Vec<f64>,
    pivots_since_refactor: usize,
    /// Pivots over the whole life of the problem.
    pub pivots: usize,
    /// Of which degenerate (no progress), and made under Bland's rule.
    pub degenerate_pivots: usize,
    pub bland_pivots: usize,
}

impl Simplex {
    /// A problem with `rows` rows and no structural column yet; `row_bounds[i]` bounds the logical `w_i`,
    /// and `rhs` is `b`. The starting basis is all logicals (each at its bound nearest 0 or at 0).
    pub fn new(rhs: Vec<f64>, row_bounds: &[(f64, f64)]) -> Simplex {
        let rows = rhs.len();
        assert_eq!(row_bounds.len(), rows);
        let mut inverse = vec![0.0; rows * rows];
        for i in 0..rows {
            inverse[i * rows + i] = 1.0;
        }
        let mut simplex = Simplex {
            rows,
            columns: Vec::new(),
            cost: vec![0.0; rows],
            lower: row_bounds.iter().map(|b| b.0).collect(),
            upper: row_bounds.iter().map(|b| b.1).collect(),
            rhs,
            status: (0..rows).map(Status::Basic).collect(),
            x: vec![0.0; rows],
            basis: (0..rows).collect(),
            inverse,
            duals: vec![0.0; rows],
            reduced: vec![0.0; rows],
            devex: vec![1.0; rows],
            pivots_since_refactor: 0,
            pivots: 0,
            degenerate_pivots: 0,
            bland_pivots: 0,
        };
        simplex.x.copy_from_slice(&simplex.rhs);
        simplex
    }

    pub fn rows(&self) -> usize {
        self.rows
    }

    /// Number of variables, logical and structural.
    pub fn variables(&self) -> usize {
        self.x.len()
    }

    /// Adds a structural column, nonbasic at its lower bound (or at 0 when it has none); returns its
    /// variable number. The current basis stays valid and keeps its values.
    pub fn add_column(
        &mut self,
        entries: Vec<(usize, f64)>,
        cost: f64,
        bounds: (f64, f64),
    ) -> usize {
        let (status, value) = if bounds.0.is_finite() {
            (Status::AtLower, bounds.0)
        } else if bounds.1.is_finite() {
            (Status::AtUpper, bounds.1)
        } else {
            (Status::FreeAtZero, 0.0)
        };
        debug_assert!(
            value == 0.0,
            "a new column must start at 0 to keep the basis values"
        );
        self.columns.push(entries);
        self.cost.push(cost);
        self.lower.push(bounds.0);
        self.upper.push(bounds.1);
        self.status.push(status);
        self.x.push(value);
        self.devex.push(1.0);
        self.reduced.push(0.0);
        let variable = self.x.len() - 1;
        self.reduced[variable] = self.reduced_cost(variable);
        variable
    }

    /// Freezes a variable at its current value (its bounds become `[v, v]`); the basis stays valid.
    pub fn freeze(&mut self, variable: usize) {
        let v = self.x[variable];
        self.lower[variable] = v;
        self.upper[variable] = v;
        if !matches!(self.status[variable], Status::Basic(_)) {
            self.status[variable] = Status::AtLower;
        }
    }

    /// Changes objective coefficients; the duals are recomputed. The basis stays primal feasible.
    pub fn set_costs(&mut self, costs: &[(usize, f64)]) {
        for &(variable, cost) in costs {
            self.cost[variable] = cost;
        }
        self.recompute_duals();
    }

    pub fn value(&self, variable: usize) -> f64 {
        self.x[variable]
    }

    /// Dual value of each row (`c_Bᵀ B⁻¹`), consistent with the last solve.
    pub fn duals(&self) -> &[f64] {
        &self.duals
    }

    fn column(&self, variable: usize) -> ColumnRef<'_> {
        if variable < self.rows {
            ColumnRef::Unit(variable)
        } else {
            ColumnRef::Sparse(&self.columns[variable - self.rows])
        }
    }

    /// Installs a basis (one variable per row) with given values for every variable: nonbasic variables
    /// must sit at a bound (or at 0 when free); basic values are recomputed. Fails when the basis is
    /// singular or its values break a bound.
    pub fn set_basis(&mut self, basic: &[usize], values: &[f64]) -> Result<(), SimplexError> {
        assert_eq!(basic.len(), self.rows);
        assert_eq!(values.len(), self.x.len());
        self.x.copy_from_slice(values);
        for v in 0..self.x.len() {
            self.status[v] = if self.x[v] == self.lower[v] {
                Status::AtLower
            } else if self.x[v] == self.upper[v] {
                Status::AtUpper
            } else {
                Status::FreeAtZero
            };
        }
        for (position, &v) in basic.iter().enumerate() {
            self.status[v] = Status::Basic(position);
        }
        self.basis = basic.to_vec();
        self.refactor()?;
        let infeasible = self.basis.iter().any(|&v| {
            self.x[v] < self.lower[v] - FEASIBILITY || self.x[v] > self.upper[v] + FEASIBILITY
        });
        if infeasible {
            return Err(SimplexError::Infeasible);
        }
        Ok(())
    }

    /// Recomputes `B⁻¹`, the basic values and the duals from scratch. Logical basics are unit columns, so
    /// only the kernel `M = A[rows not covered by a logical, structural basics]` is inverted.
    fn refactor(&mut self) -> Result<(), SimplexError> {
        let m = self.rows;
        let mut covered = vec![None; m]; // row → basis position of its logical
        let mut structural: Vec<(usize, usize)> = Vec::new(); // (position, variable)
        for (position, &v) in self.basis.iter().enumerate() {
            if v < m {
                covered[v] = Some(position);
            } else {
                structural.push((position, v));
            }
        }
        let kernel_rows: Vec<usize> = (0..m).filter(|&i| covered[i].is_none()).collect();
        let k = structural.len();
        if kernel_rows.len() != k {
            return Err(SimplexError::Singular);
        }
        let mut kernel_index = vec![usize::MAX; m];
        for (r, &i) in kernel_rows.iter().enumerate() {
            kernel_index[i] = r;
        }
        // M (k×k, row-major) and its inverse by Gauss–Jordan with partial pivoting.
        let mut a = vec![0.0; k * k];
        for (c, &(_, v)) in structural.iter().enumerate() {
            for &(i, value) in &self.columns[v - m] {
                if kernel_index[i] != usize::MAX {
                    a[kernel_index[i] * k + c] = value;
                }
            }
        }
        let kernel_inverse = invert(a, k).ok_or(SimplexError::Singular)?;
        // Row `position` of B⁻¹ for a structural basic (c-th of the kernel) is row c of M⁻¹ on the kernel
        // rows; for the logical of row i it is e_i − A[i, K] M⁻¹ on the kernel rows.
        self.inverse.iter_mut().for_each(|x| *x = 0.0);
        for (c, &(position, _)) in structural.iter().enumerate() {
            for (r, &i) in kernel_rows.iter().enumerate() {
                self.inverse[i * m + position] = kernel_inverse[c * k + r];
            }
        }
        for (i, position) in covered.iter().enumerate() {
            if let Some(position) = *position {
                self.inverse[i * m + position] = 1.0;
            }
        }
        for (c, &(_, v)) in structural.iter().enumerate() {
            for &(i, value) in &self.columns[v - m] {
                if let Some(position) = covered[i] {
                    for (r, &row) in kernel_rows.iter().enumerate() {
                        self.inverse[row * m + position] -= value * kernel_inverse[c * k + r];
                    }
                }
            }
        }
        self.recompute_values();
        self.recompute_duals();
        self.pivots_since_refactor = 0;
        Ok(())
    }

    /// x_B = B⁻¹ (b − N x_N).
    fn recompute_values(&mut self) {
        let m = self.rows;
        let mut residual = self.rhs.clone();
        for v in 0..self.x.len() {
            if matches!(self.status[v], Status::Basic(_)) || self.x[v] == 0.0 {
                continue;
            }
            let value = self.x[v];
            match self.column(v) {
                ColumnRef::Unit(i) => residual[i] -= value,
                ColumnRef::Sparse(entries) => {
                    for &(i, a) in entries {
                        residual[i] -= a * value;
                    }
                }
            }
        }
        let mut basic = vec![0.0; m];
        for (j, &r) in residual.iter().enumerate() {
            if r != 0.0 {
                let column = &self.inverse[j * m..(j + 1) * m];
                for (b, &inv) in basic.iter_mut().zip(column) {
                    *b += inv * r;
                }
            }
        }
        for (position, &v) in self.basis.iter().enumerate() {
            self.x[v] = basic[position];
        }
    }

    /// yᵀ = c_Bᵀ B⁻¹, and every reduced cost from it.
    fn recompute_duals(&mut self) {
        let m = self.rows;
        for j in 0..m {
            let column = &self.inverse[j * m..(j + 1) * m];
            self.duals[j] = self
                .basis
                .iter()
                .zip(column)
                .map(|(&v, &inv)| self.cost[v] * inv)
                .sum();
        }
        for v in 0..self.x.len() {
            self.reduced[v] = if matches!(self.status[v], Status::Basic(_)) {
                0.0
            } else {
                self.reduced_cost(v)
            };
        }
    }

    fn reduced_cost(&self, variable: usize) -> f64 {
        match self.column(variable) {
            ColumnRef::Unit(i) => self.cost[variable] - self.duals[i],
            ColumnRef::Sparse(entries) => {
                self.cost[variable] - entries.iter().map(|&(i, a)| self.duals[i] * a).sum::<f64>()
            }
        }
    }

    /// Direction (+1 increase, −1 decrease) in which a nonbasic variable improves the objective, if any.
    fn improving_direction(&self, variable: usize, reduced_cost: f64) -> Option<f64> {
        match self.status[variable] {
            Status::Basic(_) => None,
            Status::AtLower
                if reduced_cost < -OPTIMALITY && self.upper[variable] > self.lower[variable] =>
            {
                Some(1.0)
            }
            Status::AtUpper
                if reduced_cost > OPTIMALITY && self.upper[variable] > self.lower[variable] =>
            {
                Some(-1.0)
            }
            Status::FreeAtZero if reduced_cost.abs() > OPTIMALITY => Some(-reduced_cost.signum()),
            _ => None,
        }
    }

    /// α = B⁻¹ a_q.
    fn ftran(&self, variable: usize) -> Vec<f64> {
        let m = self.rows;
        match self.column(variable) {
            ColumnRef::Unit(i) => self.inverse[i * m..(i + 1) * m].to_vec(),
            ColumnRef::Sparse(entries) => {
                let mut alpha = vec![0.0; m];
                for &(i, a) in entries {
                    for (x, &inv) in alpha.iter_mut().zip(&self.inverse[i * m..(i + 1) * m]) {
                        *x += a * inv;
                    }
                }
                alpha
            }
        }
    }

    /// Runs primal simplex iterations from the current (primal feasible) basis until it is optimal.
    pub fn solve(&mut self, max_pivots: usize) -> Result<(), SimplexError> {
        let m = self.rows;
        let mut stalled = 0;
        let mut pivots = 0;
        loop {
            // Pricing: Devex (largest d²/w, an approximation of the steepest edge, far fewer pivots than
            // the largest |d| on these badly scaled columns); Bland's smallest index while stalled.
            let bland = stalled >= STALL_LIMIT;
            let mut entering: Option<(usize, f64, f64, f64)> = None; // (variable, direction, d, score)
            for v in 0..self.x.len() {
                if matches!(self.status[v], Status::Basic(_)) {
                    continue;
                }
                let d = self.reduced[v];
                if let Some(direction) = self.improving_direction(v, d) {
                    if bland {
                        entering = Some((v, direction, d, 0.0));
                        break;
                    }
                    let score = d * d / self.devex[v];
                    if entering.is_none_or(|(_, _, _, best)| score > best) {
                        entering = Some((v, direction, d, score));
                    }
                }
            }
            let Some((q, direction, reduced_cost, _)) = entering else {
                return Ok(());
            };
            if pivots >= max_pivots {
                return Err(SimplexError::IterationLimit);
            }
            let alpha = self.ftran(q);
            // Harris ratio test: the largest step allowed with bounds relaxed by the tolerance, then among
            // the rows blocking within it the one with the largest pivot element (numerical stability).
            let step_of = |position: usize, relaxed: f64| -> Option<f64> {
                let change = direction * alpha[position];
                let v = self.basis[position];
                if change > PIVOT && self.lower[v].is_finite() {
                    Some(((self.x[v] - self.lower[v] + relaxed) / change).max(0.0))
                } else if change < -PIVOT && self.upper[v].is_finite() {
                    Some(((self.upper[v] - self.x[v] + relaxed) / -change).max(0.0))
                } else {
                    None
                }
            };
            let mut bound = self.upper[q] - self.lower[q];
            if !bound.is_finite() {
                bound = f64::INFINITY;
            }
            let relaxed_limit = (0..m)
                .filter_map(|p| step_of(p, if bland { 0.0 } else { FEASIBILITY }))
                .fold(bound, f64::min);
            if relaxed_limit == f64::INFINITY {
                return Err(SimplexError::Unbounded);
            }
            let mut leaving: Option<(usize, f64)> = None; // (position, step)
            for p in 0..m {
                let Some(step) = step_of(p, 0.0).filter(|&step| step <= relaxed_limit) else {
                    continue;
                };
                let better = match leaving {
                    None => true,
                    Some((best, best_step)) if bland => {
                        step < best_step || (step == best_step && self.basis[p] < self.basis[best])
                    }
                    Some((best, _)) => alpha[p].abs() > alpha[best].abs(),
                };
                if better {
                    leaving = Some((p, step));
                }
            }
            pivots += 1;
            self.pivots += 1;
            let step = leaving.map_or(bound, |(_, s)| s.min(bound));
            stalled = if step > FEASIBILITY { 0 } else { stalled + 1 };
            if step <= FEASIBILITY {
                self.degenerate_pivots += 1;
            }
            if bland {
                self.bland_pivots += 1;
            }
            // Move along the edge.
            self.x[q] += direction * step;
            for (&v, &a) in self.basis.iter().zip(&alpha) {
                if a != 0.0 {
                    self.x[v] -= direction * step * a;
                }
            }
            let Some((p, _)) = leaving.filter(|&(_, s)| s < bound) else {
                // The entering variable reached its own other bound: no basis change.
                self.status[q] = if direction > 0.0 {
                    Status::AtUpper
                } else {
                    Status::AtLower
                };
                self.x[q] = if direction > 0.0 {
                    self.upper[q]
                } else {
                    self.lower[q]
                };
                continue;
            };
            let out = self.basis[p];
            let change = direction * alpha[p];
            if change > 0.0 {
                self.x[out] = self.lower[out];
                self.status[out] = Status::AtLower;
            } else {
                self.x[out] = self.upper[out];
                self.status[out] = Status::AtUpper;
            }
            if !self.lower[out].is_finite() && !self.upper[out].is_finite() {
                self.status[out] = Status::FreeAtZero;
            }
            self.update_pricing(q, out, p, &alpha, reduced_cost);
            self.basis[p] = q;
            self.status[q] = Status::Basic(p);
            self.pivot(p, &alpha, reduced_cost)?;
        }
    }

    /// Reduced costs and Devex weights after `q` enters at position `p` (where `out` leaves), from the pivot
    /// row `α_pj = ρ_p·a_j` (ρ_p = row p of the current `B⁻¹`): `d_j −= (d_q/α_pq) α_pj` and
    /// `w_j = max(w_j, (α_pj/α_pq)² w_q)`. One pass over the columns serves both.
    fn update_pricing(&mut self, q: usize, out: usize, p: usize, alpha: &[f64], reduced_cost: f64) {
        let m = self.rows;
        let pivot = alpha[p];
        let step = reduced_cost / pivot;
        let reference = self.devex[q];
        let row: Vec<f64> = (0..m).map(|j| self.inverse[j * m + p]).collect();
        for v in 0..self.x.len() {
            if v == q || matches!(self.status[v], Status::Basic(_)) {
                continue;
            }
            let alpha_pv = match self.column(v) {
                ColumnRef::Unit(i) => row[i],
                ColumnRef::Sparse(entries) => entries.iter().map(|&(i, a)| row[i] * a).sum(),
            };
            if alpha_pv != 0.0 {
                self.reduced[v] -= step * alpha_pv;
                let ratio = alpha_pv / pivot;
                self.devex[v] = self.devex[v].max(ratio * ratio * reference);
            }
        }
        self.reduced[q] = 0.0;
        self.reduced[out] = -step;
        self.devex[out] = (reference / (pivot * pivot)).max(1.0);
        // Weights only grow: restart the reference framework when they get out of hand.
        if self.devex[out] > 1e8 {
            self.devex.iter_mut().for_each(|w| *w = 1.0);
        }
    }

    /// Updates `B⁻¹` and the duals after `alpha = B⁻¹ a_q` entered at basis position `p`.
    fn pivot(&mut self, p: usize, alpha: &[f64], reduced_cost: f64) -> Result<(), SimplexError> {
        let m = self.rows;
        let pivot = alpha[p];
        if pivot.abs() < PIVOT {
            return Err(SimplexError::Singular);
        }
        // y' = y + (d_q / α_p) ρ_p, with ρ_p the old row p of B⁻¹.
        let ratio = reduced_cost / pivot;
        for j in 0..m {
            let r = self.inverse[j * m + p];
            if r == 0.0 {
                continue;
            }
            self.duals[j] += ratio * r;
            let factor = r / pivot;
            let column = &mut self.inverse[j * m..(j + 1) * m];
            for (x, &a) in column.iter_mut().zip(alpha) {
                *x -= a * factor;
            }
            column[p] = factor;
        }
        self.pivots_since_refactor += 1;
        if self.pivots_since_refactor >= REFACTOR_EVERY {
            self.refactor()?;
        }
        Ok(())
    }

    /// The largest violation of a bound by a basic variable, and the largest residual of `A x + w = b`
    /// (diagnostics for tests).
    pub fn residuals(&self) -> (f64, f64) {
        let mut bound_violation = 0.0f64;
        for v in 0..self.x.len() {
            bound_violation = bound_violation
                .max(self.lower[v] - self.x[v])
                .max(self.x[v] - self.upper[v]);
        }
        let mut activity = vec![0.0; self.rows];
        for v in 0..self.x.len() {
            match self.column(v) {
                ColumnRef::Unit(i) => activity[i] += self.x[v],
                ColumnRef::Sparse(entries) => {
                    for &(i, a) in entries {
                        activity[i] += a * self.x[v];
                    }
                }
            }
        }
        let residual = activity
            .iter()
            .zip(&self.rhs)
            .map(|(a, b)| (a - b).abs())
            .fold(0.0, f64::max);
        (bound_violation, residual)
    }

    /// Objective value cᵀx.
    pub fn objective(&self) -> f64 {
        self.x.iter().zip(&self.cost).map(|(x, c)| x * c).sum()
    }
}

enum ColumnRef<'a> {
    Unit(usize),
    Sparse(&'a [(usize, f64)]),
}

/// Inverse of a dense row-major `n×n` matrix by Gauss–Jordan elimination with partial pivoting; `None` when
/// it is numerically singular.
fn invert(mut a: Vec<f64>, n: usize) -> Option<Vec<f64>> {
    let mut inverse = vec![0.0; n * n];
    for i in 0..n {
        inverse[i * n + i] = 1.0;
    }
    for column in 0..n {
        let pivot_row = (column..n)
            .max_by(|&r, &s| a[r * n + column].abs().total_cmp(&a[s * n + column].abs()))
            .expect("non-empty range");
        let pivot = a[pivot_row * n + column];
        if pivot.abs() < 1e-11 {
            return None;
        }
        if pivot_row != column {
            for c in 0..n {
                a.swap(pivot_row * n + c, column * n + c);
                inverse.swap(pivot_row * n + c, column * n + c);
            }
        }
        let scale = 1.0 / pivot;
        for c in 0..n {
            a[column * n + c] *= scale;
            inverse[column * n + c] *= scale;
        }
        for r in 0..n {
            if r == column {
                continue;
            }
            let factor = a[r * n + column];
            if factor == 0.0 {
                continue;
            }
            for c in 0..n {
                a[r * n + c] -= factor * a[column * n + c];
                inverse[r * n + c] -= factor * inverse[column * n + c];
            }
        }
    }
    Some(inverse)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// max x + y  s.t.  x + 2y ≤ 4,  3x + y ≤ 6,  x, y ≥ 0  (optimum x = 1.6, y = 1.2, value 2.8).
    #[test]
    fn solves_a_small_lp_and_its_duals() {
        let mut lp = Simplex::new(vec![4.0, 6.0], &[(0.0, f64::INFINITY); 2]);
        let x = lp.add_column(vec![(0, 1.0), (1, 3.0)], -1.0, (0.0, f64::INFINITY));
        let y = lp.add_column(vec![(0, 2.0), (1, 1.0)], -1.0, (0.0, f64::INFINITY));
        lp.solve(100).unwrap();
        assert!((lp.value(x) - 1.6).abs() < 1e-12 && (lp.value(y) - 1.2).abs() < 1e-12);
        assert!((lp.objective() + 2.8).abs() < 1e-12);
        // Row duals of the min form: −0.4 and −0.2 (the max form's shadow prices 0.4 and 0.2).
        assert!((lp.duals()[0] + 0.4).abs() < 1e-12 && (lp.duals()[1] + 0.2).abs() < 1e-12);
    }

    #[test]
    fn warm_start_after_adding_a_column() {
        let mut lp = Simplex::new(vec![4.0, 6.0], &[(0.0, f64::INFINITY); 2]);
        lp.add_column(vec![(0, 1.0), (1, 3.0)], -1.0, (0.0, f64::INFINITY));
        lp.solve(100).unwrap();
        assert!((lp.objective() + 2.0).abs() < 1e-12);
        let before = lp.pivots;
        let y = lp.add_column(vec![(0, 2.0), (1, 1.0)], -1.0, (0.0, f64::INFINITY));
        lp.solve(100).unwrap();
        assert!((lp.objective() + 2.8).abs() < 1e-12);
        assert!((lp.value(y) - 1.2).abs() < 1e-12);
        assert!(lp.pivots - before <= 2, "warm start re-used the basis");
    }

    #[test]
    fn degenerate_problem_terminates_and_refactor_agrees() {
        // Many identical constraints through the optimum: heavy degeneracy.
        let rows = 30;
        let mut lp = Simplex::new(vec![1.0; rows], &vec![(0.0, f64::INFINITY); rows]);
        for j in 0..20 {
            let entries = (0..rows).map(|i| (i, 1.0)).collect();
            lp.add_column(entries, -1.0 - j as f64 * 1e-3, (0.0, f64::INFINITY));
        }
        lp.solve(10_000).unwrap();
        assert!((lp.objective() + (1.0 + 19.0 * 1e-3)).abs() < 1e-12);
        let (violation, residual) = lp.residuals();
        assert!(
            violation < 1e-9 && residual < 1e-12,
            "{violation} {residual}"
        );
        let values: Vec<f64> = (0..lp.x.len()).map(|v| lp.value(v)).collect();
        lp.refactor().unwrap();
        for (v, before) in values.iter().enumerate() {
            assert!((lp.value(v) - before).abs() < 1e-12);
        }
    }
}
