//! Format `/2`: leximin with one warm-started simplex problem for the whole computation.
//!
//! Format `/1` solved every master problem afresh by the interior-point method (its dense type-by-type
//! factorisation cost ≈ 0.25 s per solve at 724 types, and it was solved ≈ 100 times), and needed its
//! maximally complementary duals to tell which types a stage pins down. Here a single simplex problem lives
//! through all stages and is only ever changed in ways that keep its basis feasible — new columns, frozen
//! variables, new costs — so every solve resumes from the previous optimal basis.
//!
//! The level of the unfixed types is a sum of increments: `p_t ≥ δ_0 + δ_1 + … + δ_k` for a type still
//! unfixed, and a type fixed while `δ_j` was the open increment keeps `p_t ≥ δ_0 + … + δ_j` (its row simply
//! has no coefficient on later increments). Each sub-stage maximises the open increment; then:
//! * a type whose dual value is positive is at the level in *every* optimal solution (complementary
//!   slackness; the duals are optimal for the full problem because pricing found no improving composition)
//!   and is fixed there;
//! * the open increment is frozen at its optimal value and a new one is opened over the types still unfixed.
//!
//! Vertex duals need not mark every such type at once (they are not maximally complementary), so the next
//! sub-stage may find the level unchanged and fix more types; a **stage** ends when the level rises (by more
//! than [`LEVEL_TOLERANCE`]). So the stages are the distinct levels of the leximin vector, as in format `/1`,
//! and the fixed sets are the same (to the solvers' tolerances). When the stage limit stops the refinement,
//! the distribution is the optimal solution of the problem that showed the level rising: the unfixed types
//! get at least that next level. Otherwise it is the last problem's solution, a vertex (at most one
//! composition per type, plus one, carries weight).
use super::{ColumnGeneration, SolverFailure};
use crate::composition::{best_composition, greedy_composition};
use crate::simplex::{Simplex, SimplexError};

/// Pivots allowed per simplex solve.
const MAX_PIVOTS_PER_SOLVE: usize = 200_000;
/// A type is pinned down when its dual value exceeds this (the unfixed types' duals sum to 1).
const STUCK_DUAL: f64 = 1e-9;
/// The level has risen (a new stage begins) when the open increment's optimum exceeds this.
pub const LEVEL_TOLERANCE: f64 = 1e-10;

/// The master problem in minimisation form:
/// `min −δ_k  s.t.  Σ_P λ_P = 1;  Σ_P λ_P x_{P,t}/n_t − Σ_{j ≤ k(t)} δ_j + w_t = 0,  w_t ≤ 0,  λ, δ ≥ 0`,
/// where `k(t)` is the increment that was open when type `t` was fixed (the open one, `k`, if unfixed) and
/// the frozen increments `δ_j, j < k` have their bounds set to their optimal values.
struct SimplexMaster {
    lp: Simplex,
    /// Increment variables, the last one open.
    increments: Vec<usize>,
    /// Simplex variable of each composition, in the order of `ColumnGeneration::compositions`.
    lambda: Vec<usize>,
}

impl SimplexMaster {
    /// The first stage's problem over the known compositions, with a feasible starting basis: all weight on
    /// composition `start`, the level at the smallest probability it gives, logicals elsewhere.
    fn new(run: &ColumnGeneration<'_>, start: usize) -> Result<SimplexMaster, SimplexError> {
        let types = run.fixed.len();
        let mut rhs = vec![0.0; 1 + types];
        rhs[0] = 1.0;
        let mut row_bounds = vec![(f64::NEG_INFINITY, 0.0); 1 + types];
        row_bounds[0] = (0.0, 0.0);
        let mut lp = Simplex::new(rhs, &row_bounds);
        let level = lp.add_column(
            (1..=types).map(|row| (row, -1.0)).collect(),
            -1.0,
            (0.0, f64::INFINITY),
        );
        let mut master = SimplexMaster {
            lp,
            increments: vec![level],
            lambda: Vec::new(),
        };
        for seats in &run.compositions {
            master.add(seats, &run.sizes);
        }
        let start_seats = &run.compositions[start];
        let share = |t: usize| start_seats[t] as f64 / run.sizes[t];
        let lowest = (0..types)
            .min_by(|&a, &b| share(a).total_cmp(&share(b)).then(a.cmp(&b)))
            .expect("a pool has a type");
        let mut basic: Vec<usize> = (0..=types).collect();
        basic[0] = master.lambda[start];
        basic[1 + lowest] = level;
        let mut values = vec![0.0; master.lp.variables()];
        values[master.lambda[start]] = 1.0;
        master.lp.set_basis(&basic, &values)?;
        Ok(master)
    }

    fn add(&mut self, seats: &[u32], sizes: &[f64]) {
        let mut column = vec![(0, 1.0)];
        column.extend(
            seats
                .iter()
                .enumerate()
                .filter(|&(_, &s)| s > 0)
                .map(|(t, &s)| (1 + t, s as f64 / sizes[t])),
        );
        let variable = self.lp.add_column(column, 0.0, (0.0, f64::INFINITY));
        self.lambda.push(variable);
    }

    /// (dual value y_t ≥ 0 of each type's row, ŷ): a composition improves when Σ_t y_t x_t/n_t > ŷ.
    fn duals(&self) -> (Vec<f64>, f64) {
        let y = self.lp.duals();
        (y[1..].iter().map(|d| d.max(0.0)).collect(), -y[0])
    }

    /// The level the unfixed types reach: the sum of all increments.
    fn level(&self) -> f64 {
        self.increments.iter().map(|&v| self.lp.value(v)).sum()
    }

    /// Freezes the open increment at its value and opens a new one over the types still unfixed.
    fn open_increment(&mut self, fixed: &[Option<f64>]) {
        let open = *self.increments.last().expect("an increment is open");
        self.lp.freeze(open);
        let column = (0..fixed.len())
            .filter(|&t| fixed[t].is_none())
            .map(|t| (1 + t, -1.0))
            .collect();
        let next = self.lp.add_column(column, -1.0, (0.0, f64::INFINITY));
        self.lp.set_costs(&[(open, 0.0)]);
        self.increments.push(next);
    }

    fn weights(&self) -> Vec<f64> {
        self.lambda
            .iter()
            .map(|&v| self.lp.value(v).max(0.0))
            .collect()
    }
}

fn failure(error: SimplexError) -> SolverFailure {
    SolverFailure(format!("simplex master problem: {error:?}"))
}

impl ColumnGeneration<'_> {
    /// Format `/2`: see the module documentation.
    pub(super) fn warm_simplex_stages(&mut self) -> Result<(), SolverFailure> {
        self.cover_every_type()?;
        let mut master = SimplexMaster::new(self, 0).map_err(failure)?;
        let mut stage_level: Option<f64> = None;
        loop {
            self.optimise(&mut master)?;
            let level = master.level();
            let rises = stage_level.is_none_or(|l| level > l + LEVEL_TOLERANCE);
            if rises {
                self.stats.stages += 1;
                self.stats.stage_levels.push(level);
                stage_level = Some(level);
            }
            let stage_level = stage_level.expect("set above");
            let (type_duals, _) = master.duals();
            self.fix_stuck_types(&type_duals, stage_level);
            self.record_fixing_stage();
            self.report();
            let last_allowed = self.stats.stages >= self.max_stages.max(1) as usize;
            if self.fixed.iter().all(Option::is_some) || (rises && last_allowed) {
                // The last stage's first optimum is the distribution when the limit stops here: every
                // type gets at least that stage's level.
                break;
            }
            master.open_increment(&self.fixed);
        }
        self.last_weights = master.weights();
        Ok(())
    }

    /// Column generation on the current problem until no composition improves it.
    fn optimise(&mut self, master: &mut SimplexMaster) -> Result<(), SolverFailure> {
        loop {
            let before = master.lp.pivots;
            master.lp.solve(MAX_PIVOTS_PER_SOLVE).map_err(failure)?;
            self.stats.simplex_pivots += master.lp.pivots - before;
            self.stats.simplex_solves += 1;
            self.report();
            let (type_duals, y_hat) = master.duals();
            let batch = self.price(&type_duals, y_hat)?;
            if batch.is_empty() {
                return Ok(());
            }
            for seats in &batch {
                master.add(seats, &self.sizes);
            }
            self.compositions.extend(batch);
        }
    }

    /// Fixes, at the stage's level, every unfixed type with a positive dual value (or, if round-off hid
    /// them all, the one with the largest), then every unfixed type if together they cannot get more than
    /// the level (expected seats always total the panel size).
    fn fix_stuck_types(&mut self, type_duals: &[f64], level: f64) {
        let types = self.fixed.len();
        let mut newly_fixed = 0;
        for (q, &dual) in self.fixed.iter_mut().zip(type_duals) {
            if q.is_none() && dual > STUCK_DUAL {
                *q = Some(level);
                newly_fixed += 1;
            }
        }
        if newly_fixed == 0 {
            let t = (0..types)
                .filter(|&t| self.fixed[t].is_none())
                .max_by(|&a, &b| type_duals[a].total_cmp(&type_duals[b]).then(b.cmp(&a)))
                .expect("some type is unfixed");
            self.fixed[t] = Some(level);
        }
        let fixed_seats: f64 = (0..types)
            .filter_map(|t| self.fixed[t].map(|q| q * self.sizes[t]))
            .sum();
        let unfixed_size: f64 = (0..types)
            .filter(|&t| self.fixed[t].is_none())
            .map(|t| self.sizes[t])
            .sum();
        if unfixed_size > 0.0
            && fixed_seats + level * unfixed_size >= self.pool.panel_size as f64 * (1.0 - 1e-9)
        {
            for q in self.fixed.iter_mut().filter(|q| q.is_none()) {
                *q = Some(level);
            }
        }
    }

    /// Adds compositions until every type that can get a seat has one in some composition. Without them
    /// the first stage's level stays 0 and the simplex's duals sit on one uncovered type at a time, so
    /// that each round would add a single column.
    fn cover_every_type(&mut self) -> Result<(), SolverFailure> {
        let pool = self.pool;
        let types = pool.types.len();
        let mut covered = vec![false; types];
        for seats in &self.compositions {
            for (t, &s) in seats.iter().enumerate() {
                covered[t] |= s > 0;
            }
        }
        let mut exhausted = vec![false; types];
        while let Some(target) = (0..types).find(|&t| !covered[t] && !exhausted[t]) {
            // Uncovered types first, the smallest (hardest to raise) before the others.
            let weights: Vec<f64> = (0..types)
                .map(|t| if covered[t] { 0.0 } else { 1.0 / self.sizes[t] })
                .collect();
            let candidate = match greedy_composition(pool, &weights) {
                Some(seats) if seats[target] > 0 => Some(seats),
                _ => {
                    let mut only_target = vec![0.0; types];
                    only_target[target] = 1.0;
                    best_composition(pool, Some(&only_target), &self.constraints)?
                        .filter(|seats| seats[target] > 0 && pool.composition_meets_quotas(seats))
                }
            };
            let Some(seats) = candidate else {
                // No panel seats this type at all: its probability is 0 whatever happens.
                exhausted[target] = true;
                continue;
            };
            for (t, &s) in seats.iter().enumerate() {
                covered[t] |= s > 0;
            }
            if self.known.insert(seats.clone()) {
                self.compositions.push(seats);
            }
        }
        Ok(())
    }
}
