//! Leximin selection probabilities (Flanigan, Gölz, Gupta, Hennig, Procaccia, "Fair algorithms for
//! selecting citizens' assemblies", Nature 596, 2021), computed over applicant types.
//!
//! A lottery is a probability distribution over quota-meeting panels; applicant `i`'s selection probability
//! is the probability that the drawn panel contains `i`. Leximin maximises the smallest selection
//! probability, then the second smallest, and so on. Because applicants of one type are interchangeable
//! for the quotas, an optimal distribution can be taken symmetric within each type: it picks a
//! *composition* (seats per type) and then members uniformly within each type, so the type `t` gets
//! probability `p_t = E[x_t] / n_t`. The program is therefore solved over compositions, which are far
//! fewer than panels of individuals.
//!
//! Each stage solves, by column generation, the dual of
//! `max z  s.t.  p_t(λ) ≥ z (t not fixed),  p_t(λ) ≥ q_t (t fixed),  Σ λ_P = 1,  λ ≥ 0`:
//! `min ŷ − Σ_fixed q_t y_t  s.t.  Σ_t y_t x_{P,t}/n_t ≤ ŷ  for every known composition P,
//! Σ_{t not fixed} y_t = 1,  y ≥ 0`.
//! The pricing problem (is there a composition violating a dual constraint?) is the integer program
//! `max Σ_t (y_t/n_t) x_t` over quota-meeting compositions. When no composition improves, the stage
//! optimum `z` is final for every unfixed type with a positive dual value `y_t`; those are fixed at `z`.
//! When all types are fixed, a last LP finds weights `λ` over the generated compositions that reach the
//! fixed probabilities.
use std::collections::BTreeSet;

use clarabel::algebra::CscMatrix;
use clarabel::solver::{
    DefaultSettingsBuilder, DefaultSolver, IPSolver, NonnegativeConeT, SolverStatus,
    SupportedConeT, ZeroConeT,
};
use serde::Serialize;

mod warm;

use crate::composition::{QuotaConstraint, SolverFailure, best_composition, greedy_composition};
use crate::instance::{Pool, Procedure};

/// A probability distribution over compositions, and the resulting selection probability of each type.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Distribution {
    /// Compositions with positive probability, sorted lexicographically by their seat vectors.
    pub compositions: Vec<WeightedComposition>,
    /// Selection probability of every member of each type (indexed like [`Pool::types`]).
    pub type_probabilities: Vec<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WeightedComposition {
    /// Seats per type.
    pub seats: Vec<u32>,
    pub probability: f64,
}

impl Distribution {
    /// Selection probability of every applicant, in input order.
    pub fn applicant_probabilities(&self, pool: &Pool) -> Vec<f64> {
        pool.applicant_type
            .iter()
            .map(|&t| self.type_probabilities[t])
            .collect()
    }

    /// The smallest selection probability of any applicant.
    pub fn minimum_probability(&self) -> f64 {
        self.type_probabilities
            .iter()
            .copied()
            .fold(f64::INFINITY, f64::min)
    }

    /// Builds a distribution from weighted compositions: drops negligible weights, renormalises, sorts the
    /// compositions and derives the type probabilities.
    pub fn from_weights(pool: &Pool, weighted: Vec<(Vec<u32>, f64)>) -> Distribution {
        let mut kept: Vec<(Vec<u32>, f64)> = weighted
            .into_iter()
            .filter(|(_, w)| *w > NEGLIGIBLE_WEIGHT)
            .collect();
        kept.sort_by(|a, b| a.0.cmp(&b.0));
        let total: f64 = kept.iter().map(|(_, w)| w).sum();
        let mut type_probabilities = vec![0.0; pool.types.len()];
        let compositions = kept
            .into_iter()
            .map(|(seats, w)| {
                let probability = w / total;
                for (t, &s) in seats.iter().enumerate() {
                    type_probabilities[t] += probability * s as f64 / pool.types[t].size() as f64;
                }
                WeightedComposition { seats, probability }
            })
            .collect();
        Distribution {
            compositions,
            type_probabilities,
        }
    }
}

/// Work done by the column generation, for reports and benchmarks.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct LeximinStats {
    /// Number of leximin stages run (each fixes at least one type's probability).
    pub stages: usize,
    /// Number of exact pricing integer programs solved (the greedy heuristic is not counted).
    pub pricing_problems: usize,
    /// Whether every type's probability was fixed (exact leximin) rather than the stage limit stopping
    /// the refinement.
    pub complete: bool,
    /// Number of master linear programs solved.
    pub master_solves: usize,
    /// Number of distinct compositions generated.
    pub compositions_generated: usize,
    /// Master problems solved by the warm-started simplex (procedure of format `/2`; 0 for `/1`).
    pub simplex_solves: usize,
    /// Simplex pivots over all those solves.
    pub simplex_pivots: usize,
    /// The level (smallest probability of the types still unfixed) each stage reached, in stage order.
    pub stage_levels: Vec<f64>,
    /// For each type, the stage (1-based) that fixed its probability, or `None` if the stage limit stopped
    /// the refinement first (its probability is then at least the last stage level). Not in the JSON
    /// reports.
    #[serde(skip)]
    pub type_stages: Vec<Option<usize>>,
}

/// What the column generation reports while it runs (for a progress display: leximin on a large pool
/// takes seconds). Sent after every master solve.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LeximinProgress {
    /// Stage under way (1-based).
    pub stage: usize,
    /// The stage limit in force.
    pub max_stages: u32,
    /// Types whose probability is fixed so far, out of `types`.
    pub fixed_types: usize,
    pub types: usize,
    /// Master problems solved so far (interior point and simplex together).
    pub master_solves: usize,
    pub compositions: usize,
}

/// Weights at or below this are treated as zero in the final distribution.
const NEGLIGIBLE_WEIGHT: f64 = 1e-12;
/// A composition improves the dual only if its value exceeds ŷ by this relative margin.
const PRICING_RELATIVE_TOLERANCE: f64 = 1e-7;
/// Dual values above this mark a type whose probability the stage has pinned down. Interior-point duals
/// of constraints that are not binding sit at the solver tolerance (about 1e-8), well below it.
const DUAL_POSITIVE: f64 = 1e-5;
/// Fixed probabilities are lowered by this much so later stages stay feasible despite round-off.
const FIXING_SLACK: f64 = 1e-9;
/// Greedy pricing attempts per master solve (see [`ColumnGeneration::price`]), format `/1`.
const COLUMNS_PER_ROUND: usize = 64;
/// The same for format `/2`, whose master solves are cheap: fewer columns per round keep the problem small
/// (measured on the 10,000-applicant benchmark: 16 → 783 columns, 1.3 s; 64 → 1,288 columns, 2.3 s).
const COLUMNS_PER_ROUND_WARM: usize = 16;
/// Objective cost of a unit shortfall below a fixed probability in the master problem.
const SHORTFALL_PENALTY: f64 = 1e4;
/// Guard against a column generation that fails to converge because of numerical trouble.
const MAX_PRICING_PROBLEMS: usize = 100_000;

/// Default number of leximin stages (see [`leximin`]) for a pool with more than
/// [`SMALL_POOL_TYPES`] types; smaller pools get the complete leximin by default. An input can set its
/// own limit (`leximin_max_stages`).
pub const DEFAULT_MAX_STAGES: u32 = 2;
/// Pools with at most this many types run every leximin stage by default.
pub const SMALL_POOL_TYPES: usize = 200;

/// The stage limit that applies to a pool when its input sets none.
pub fn default_max_stages(pool: &Pool) -> u32 {
    if pool.types.len() <= SMALL_POOL_TYPES {
        u32::MAX
    } else {
        DEFAULT_MAX_STAGES
    }
}

/// Computes the leximin distribution. `witness` is any quota-meeting composition (from the feasibility
/// check); the caller must have established feasibility.
///
/// At most `max_stages` stages are run (each costs a column generation). The first stage alone already
/// maximises the smallest selection probability (maximin); each further stage maximises the next level.
/// When the limit stops the refinement, the types still unfixed keep what the last stage's weights give
/// them, which is at least the last stage's minimum. The limit is part of the published procedure, so the
/// result stays reproducible. The master problems are solved as the pool's format version says (see
/// [`Procedure`]).
pub fn leximin(
    pool: &Pool,
    witness: &[u32],
    max_stages: u32,
) -> Result<(Distribution, LeximinStats), SolverFailure> {
    leximin_with_progress(pool, witness, max_stages, &mut |_| {})
}

/// [`leximin`], calling `progress` after every master solve.
pub fn leximin_with_progress(
    pool: &Pool,
    witness: &[u32],
    max_stages: u32,
    progress: &mut dyn FnMut(&LeximinProgress),
) -> Result<(Distribution, LeximinStats), SolverFailure> {
    let mut run = ColumnGeneration::new(pool, witness, max_stages, progress);
    match pool.procedure {
        Procedure::InteriorPointMaster => run.interior_point_stages()?,
        Procedure::WarmSimplexMaster => run.warm_simplex_stages()?,
    }
    Ok(run.finish())
}

/// State of the column generation over all stages.
struct ColumnGeneration<'a> {
    pool: &'a Pool,
    sizes: Vec<f64>,
    constraints: Vec<QuotaConstraint>,
    known: BTreeSet<Vec<u32>>,
    compositions: Vec<Vec<u32>>,
    fixed: Vec<Option<f64>>,
    /// Stage that fixed each type.
    fixed_at_stage: Vec<Option<usize>>,
    stats: LeximinStats,
    last_weights: Vec<f64>,
    max_stages: u32,
    progress: &'a mut dyn FnMut(&LeximinProgress),
}

impl<'a> ColumnGeneration<'a> {
    fn new(
        pool: &'a Pool,
        witness: &[u32],
        max_stages: u32,
        progress: &'a mut dyn FnMut(&LeximinProgress),
    ) -> Self {
        let mut known = BTreeSet::new();
        known.insert(witness.to_vec());
        ColumnGeneration {
            pool,
            sizes: pool.types.iter().map(|t| t.size() as f64).collect(),
            constraints: QuotaConstraint::all(pool),
            known,
            compositions: vec![witness.to_vec()],
            fixed: vec![None; pool.types.len()],
            fixed_at_stage: vec![None; pool.types.len()],
            stats: LeximinStats::default(),
            last_weights: vec![1.0],
            max_stages,
            progress,
        }
    }

    fn more_stages(&self) -> bool {
        self.fixed.iter().any(Option::is_none)
            && self.stats.stages < self.max_stages.max(1) as usize
    }

    fn report(&mut self) {
        let update = LeximinProgress {
            // Format /2 counts a stage once its level is known; the first one is under way before that.
            stage: self.stats.stages.max(1),
            max_stages: self.max_stages,
            fixed_types: self.fixed.iter().filter(|q| q.is_some()).count(),
            types: self.fixed.len(),
            master_solves: self.stats.master_solves + self.stats.simplex_solves,
            compositions: self.compositions.len(),
        };
        (self.progress)(&update);
    }

    fn interior_point_master(&mut self) -> Result<MasterSolution, SolverFailure> {
        let master = solve_master(&self.fixed, &self.compositions, &self.sizes)?;
        self.stats.master_solves += 1;
        self.report();
        Ok(master)
    }

    /// Format `/1`: every master problem of the column generation is solved by the interior-point method.
    fn interior_point_stages(&mut self) -> Result<(), SolverFailure> {
        while self.more_stages() {
            self.stats.stages += 1;
            let mut master = self.interior_point_master()?;
            loop {
                let batch = self.price(&master.type_duals, master.y_hat)?;
                if batch.is_empty() {
                    break;
                }
                self.compositions.extend(batch);
                master = self.interior_point_master()?;
            }
            self.end_stage(master);
        }
        Ok(())
    }

    /// Pricing: compositions not yet known whose value under the duals exceeds ŷ. First a fast greedy
    /// heuristic, several times with the weights of the types just used halved, to collect several
    /// improving compositions per master solve (the expensive step). Only when the heuristic finds none is
    /// the exact integer program solved: its answer decides whether the stage is optimal. Returns the new
    /// compositions (already recorded as known), none when the duals are optimal for the full problem.
    fn price(&mut self, type_duals: &[f64], y_hat: f64) -> Result<Vec<Vec<u32>>, SolverFailure> {
        let pool = self.pool;
        let weights: Vec<f64> = type_duals
            .iter()
            .zip(&self.sizes)
            .map(|(y, n)| {
                let w = y / n;
                if w > NEGLIGIBLE_WEIGHT { w } else { 0.0 }
            })
            .collect();
        let improving = |seats: &Vec<u32>| {
            let value: f64 = seats.iter().zip(&weights).map(|(&s, w)| s as f64 * w).sum();
            value > y_hat * (1.0 + PRICING_RELATIVE_TOLERANCE) + NEGLIGIBLE_WEIGHT
        };
        let mut search_weights = weights.clone();
        let mut batch = Vec::new();
        let per_round = match self.pool.procedure {
            Procedure::InteriorPointMaster => COLUMNS_PER_ROUND,
            Procedure::WarmSimplexMaster => COLUMNS_PER_ROUND_WARM,
        };
        for _ in 0..per_round {
            let Some(candidate) = greedy_composition(pool, &search_weights) else {
                break;
            };
            for (w, &s) in search_weights.iter_mut().zip(&candidate) {
                if s > 0 {
                    *w *= 0.5;
                }
            }
            if improving(&candidate) && !self.known.contains(&candidate) {
                self.known.insert(candidate.clone());
                batch.push(candidate);
            }
        }
        if batch.is_empty() {
            self.stats.pricing_problems += 1;
            if self.stats.pricing_problems > MAX_PRICING_PROBLEMS {
                return Err(SolverFailure("column generation did not converge".into()));
            }
            let best =
                best_composition(pool, Some(&weights), &self.constraints)?.ok_or_else(|| {
                    SolverFailure("pricing problem infeasible on a feasible pool".into())
                })?;
            if improving(&best)
                && pool.composition_meets_quotas(&best)
                && !self.known.contains(&best)
            {
                self.known.insert(best.clone());
                batch.push(best);
            }
        }
        Ok(batch)
    }

    /// Fixes the types the stage has pinned down, from the interior-point solution of its last master.
    fn end_stage(&mut self, master: MasterSolution) {
        let pool = self.pool;
        let (fixed, sizes) = (&mut self.fixed, &self.sizes);
        let type_count = fixed.len();
        let stage_minimum = master.minimum.clamp(0.0, 1.0);
        self.stats.stage_levels.push(stage_minimum);
        self.last_weights = master.weights;
        let mut newly_fixed = 0;
        for (q, &dual) in fixed.iter_mut().zip(&master.type_duals) {
            if q.is_none() && dual > DUAL_POSITIVE {
                *q = Some((stage_minimum - FIXING_SLACK).max(0.0));
                newly_fixed += 1;
            }
        }
        if newly_fixed == 0 {
            // Σ y_t = 1 over unfixed types guarantees a positive dual; if round-off hid it, fix the largest.
            let t = (0..type_count)
                .filter(|&t| fixed[t].is_none())
                .max_by(|&a, &b| master.type_duals[a].total_cmp(&master.type_duals[b]))
                .expect("some type is unfixed");
            fixed[t] = Some((stage_minimum - FIXING_SLACK).max(0.0));
        }
        // Expected seats always total the panel size. If the unfixed types already need all the remaining
        // seats to reach the stage minimum, none of them can get more: fix them all.
        let fixed_seats: f64 = (0..type_count)
            .filter_map(|t| fixed[t].map(|q| q * sizes[t]))
            .sum();
        let unfixed_size: f64 = (0..type_count)
            .filter(|&t| fixed[t].is_none())
            .map(|t| sizes[t])
            .sum();
        if unfixed_size > 0.0
            && fixed_seats + stage_minimum * unfixed_size >= pool.panel_size as f64 * (1.0 - 1e-9)
        {
            for q in fixed.iter_mut().filter(|q| q.is_none()) {
                *q = Some((stage_minimum - FIXING_SLACK).max(0.0));
            }
        }
        self.record_fixing_stage();
        self.report();
    }

    /// Notes the current stage against every type fixed since the last call.
    fn record_fixing_stage(&mut self) {
        for (stage, q) in self.fixed_at_stage.iter_mut().zip(&self.fixed) {
            if stage.is_none() && q.is_some() {
                *stage = Some(self.stats.stages);
            }
        }
    }

    fn finish(mut self) -> (Distribution, LeximinStats) {
        self.stats.compositions_generated = self.compositions.len();
        self.stats.type_stages = self.fixed_at_stage.clone();
        self.stats.complete = self.fixed.iter().all(Option::is_some);
        // The last stage's optimal weights give every type at least its fixed probability: they are the
        // distribution.
        let distribution = Distribution::from_weights(
            self.pool,
            self.compositions
                .into_iter()
                .zip(self.last_weights)
                .collect(),
        );
        (distribution, self.stats)
    }
}

/// Solution of a stage's restricted master problem.
struct MasterSolution {
    /// λ, one weight per composition.
    weights: Vec<f64>,
    /// The stage's objective: the smallest probability among unfixed types.
    minimum: f64,
    /// Dual value y_t of each type's probability constraint.
    type_duals: Vec<f64>,
    /// Dual value ŷ of `Σ λ = 1`.
    y_hat: f64,
}

/// Solves `max z  s.t.  Σ λ = 1,  Σ_P λ_P x_{P,t}/n_t ≥ z (t unfixed) or ≥ q_t (t fixed),  λ ≥ 0` with
/// the Clarabel interior-point solver, whose duals are those of the problem as stated (an interior-point
/// optimum is maximally complementary: a type gets a positive dual exactly when no optimal solution
/// lifts it above the stage minimum, which is the leximin fixing rule's test).
fn solve_master(
    fixed: &[Option<f64>],
    compositions: &[Vec<u32>],
    sizes: &[f64],
) -> Result<MasterSolution, SolverFailure> {
    let type_count = fixed.len();
    let composition_count = compositions.len();
    let fixed_types: Vec<usize> = (0..type_count).filter(|&t| fixed[t].is_some()).collect();
    // Variables: λ (one per composition), z, then one shortfall s_t ≥ 0 per fixed type. The shortfalls
    // make the master always feasible even when round-off leaves a fixed probability a hair out of reach;
    // they are penalised so heavily that they stay at round-off level.
    let z = composition_count;
    let variable_count = composition_count + 1 + fixed_types.len();
    let rows = 1 + type_count + composition_count + fixed_types.len();
    let (mut row_index, mut column_index, mut values) = (Vec::new(), Vec::new(), Vec::new());
    let mut b = vec![0.0; rows];
    b[0] = 1.0;
    for (p, seats) in compositions.iter().enumerate() {
        row_index.push(0);
        column_index.push(p);
        values.push(1.0);
        for (t, &s) in seats.iter().enumerate() {
            if s > 0 {
                row_index.push(1 + t);
                column_index.push(p);
                values.push(-(s as f64) / sizes[t]);
            }
        }
        row_index.push(1 + type_count + p);
        column_index.push(p);
        values.push(-1.0);
    }
    let mut objective = vec![0.0; variable_count];
    objective[z] = -1.0;
    for (t, q) in fixed.iter().enumerate() {
        if q.is_none() {
            row_index.push(1 + t);
            column_index.push(z);
            values.push(1.0);
        }
    }
    for (i, &t) in fixed_types.iter().enumerate() {
        let shortfall = composition_count + 1 + i;
        b[1 + t] = -fixed[t].expect("fixed");
        objective[shortfall] = SHORTFALL_PENALTY;
        row_index.push(1 + t);
        column_index.push(shortfall);
        values.push(-1.0);
        row_index.push(1 + type_count + composition_count + i);
        column_index.push(shortfall);
        values.push(-1.0);
    }
    let a = CscMatrix::new_from_triplets(rows, variable_count, row_index, column_index, values);
    let p = CscMatrix::<f64>::zeros((variable_count, variable_count));
    let cones: [SupportedConeT<f64>; 2] = [
        ZeroConeT(1),
        NonnegativeConeT(type_count + composition_count + fixed_types.len()),
    ];
    let settings = DefaultSettingsBuilder::default()
        .verbose(false)
        .build()
        .map_err(|error| SolverFailure(format!("interior-point settings: {error}")))?;
    let mut solver = DefaultSolver::new(&p, &objective, &a, &b, &cones, settings)
        .map_err(|error| SolverFailure(format!("interior-point setup: {error}")))?;
    solver.solve();
    let solution = &solver.solution;
    if !matches!(
        solution.status,
        SolverStatus::Solved | SolverStatus::AlmostSolved
    ) {
        return Err(SolverFailure(format!(
            "interior-point master problem: {:?}",
            solution.status
        )));
    }
    Ok(MasterSolution {
        weights: solution.x[..composition_count]
            .iter()
            .map(|w| w.max(0.0))
            .collect(),
        minimum: solution.x[z],
        type_duals: solution.z[1..=type_count]
            .iter()
            .map(|y| y.max(0.0))
            .collect(),
        y_hat: solution.z[0],
    })
}
