//! The comparison baseline, "stratified uniform": every panel of applicants that meets the quotas is
//! equally likely (equivalently: a composition is chosen with probability proportional to the number of
//! panels having it, `Π_t C(n_t, x_t)`, then members are drawn uniformly within each type). This is
//! what a plain quota-constrained random draw aims at; it ignores how unequal the resulting selection
//! probabilities are.
//!
//! Two ways to get its selection probabilities:
//! * [`uniform_exact`]: exact, by enumerating every quota-meeting composition (small instances only);
//! * [`uniform_monte_carlo`]: an estimate from a Markov chain over panels whose moves swap one or two
//!   members for non-members and are accepted when the quotas still hold; the proposal is symmetric, so
//!   the chain's stationary distribution is uniform over the quota-meeting panels it can reach.
use serde::Serialize;

use crate::draw::{DrawRng, seed_digest};
use crate::instance::Pool;

/// Natural logarithm of the binomial coefficient C(n, k).
fn ln_binomial(n: u32, k: u32) -> f64 {
    let k = k.min(n - k);
    (0..k)
        .map(|i| ((n - i) as f64).ln() - ((i + 1) as f64).ln())
        .sum()
}

/// Exact selection probability of each type under the uniform baseline, or `None` when more than
/// `max_compositions` quota-meeting compositions exist, when the search visits more than 20 ×
/// `max_compositions` nodes (so that huge pools give up quickly), or when none exists.
pub fn uniform_exact(pool: &Pool, max_compositions: usize) -> Option<Vec<f64>> {
    struct Search<'a> {
        pool: &'a Pool,
        seats: Vec<u32>,
        category_seats: Vec<Vec<u32>>,
        /// Seats that types t.. can still take in total.
        capacity_from: Vec<u32>,
        found: Vec<(f64, Vec<u32>)>,
        limit: usize,
        overflow: bool,
        /// Search nodes visited; the search gives up (as an overflow) past `node_limit`.
        nodes: usize,
        node_limit: usize,
    }
    impl Search<'_> {
        fn visit(&mut self, t: usize, left: u32) {
            self.nodes += 1;
            if self.nodes > self.node_limit {
                self.overflow = true;
            }
            if self.overflow {
                return;
            }
            if t == self.pool.types.len() {
                if left == 0 && self.pool.composition_meets_quotas(&self.seats) {
                    if self.found.len() == self.limit {
                        self.overflow = true;
                        return;
                    }
                    let ln_weight = self
                        .seats
                        .iter()
                        .zip(&self.pool.types)
                        .map(|(&s, ty)| ln_binomial(ty.size(), s))
                        .sum();
                    self.found.push((ln_weight, self.seats.clone()));
                }
                return;
            }
            if self.capacity_from[t] < left {
                return;
            }
            let ty = &self.pool.types[t];
            let mut most = ty.size().min(left);
            for (f, &c) in ty.categories.iter().enumerate() {
                let category = &self.pool.features[f].categories[c];
                most = most.min(category.max.saturating_sub(self.category_seats[f][c]));
            }
            for s in 0..=most {
                self.seats[t] = s;
                for (f, &c) in ty.categories.iter().enumerate() {
                    self.category_seats[f][c] += s;
                }
                self.visit(t + 1, left - s);
                for (f, &c) in ty.categories.iter().enumerate() {
                    self.category_seats[f][c] -= s;
                }
            }
            self.seats[t] = 0;
        }
    }
    let mut capacity_from = vec![0u32; pool.types.len() + 1];
    for t in (0..pool.types.len()).rev() {
        capacity_from[t] = capacity_from[t + 1] + pool.types[t].size();
    }
    let mut search = Search {
        pool,
        seats: vec![0; pool.types.len()],
        category_seats: pool
            .features
            .iter()
            .map(|f| vec![0; f.categories.len()])
            .collect(),
        capacity_from,
        found: Vec::new(),
        limit: max_compositions,
        overflow: false,
        nodes: 0,
        node_limit: max_compositions.saturating_mul(20),
    };
    search.visit(0, pool.panel_size);
    if search.overflow || search.found.is_empty() {
        return None;
    }
    let largest = search
        .found
        .iter()
        .map(|(w, _)| *w)
        .fold(f64::NEG_INFINITY, f64::max);
    let mut expected_seats = vec![0.0; pool.types.len()];
    let mut total = 0.0;
    for (ln_weight, seats) in &search.found {
        let weight = (ln_weight - largest).exp();
        total += weight;
        for (t, &s) in seats.iter().enumerate() {
            expected_seats[t] += weight * s as f64;
        }
    }
    Some(
        expected_seats
            .iter()
            .zip(&pool.types)
            .map(|(e, ty)| e / total / ty.size() as f64)
            .collect(),
    )
}

/// A Monte Carlo estimate of the baseline's selection probabilities.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MonteCarloEstimate {
    /// Estimated selection probability of each type (mean seats of the type over the samples / n_t).
    pub type_probabilities: Vec<f64>,
    /// Number of panels sampled.
    pub samples: usize,
    /// Chain steps between samples.
    pub steps_between_samples: usize,
    /// Fraction of proposed moves accepted.
    pub acceptance_rate: f64,
}

/// Estimates the baseline's selection probabilities with the swap chain, started from the panel that
/// takes the first members (by id) of each type of `witness` and run for `burn_in` steps before
/// `samples` samples `steps_between_samples` steps apart. Randomness: ChaCha20 keyed by SHA-256 of
/// `seed_text`.
pub fn uniform_monte_carlo(
    pool: &Pool,
    witness: &[u32],
    seed_text: &str,
    burn_in: usize,
    samples: usize,
    steps_between_samples: usize,
) -> MonteCarloEstimate {
    let mut rng = DrawRng::new(seed_digest(seed_text));
    let applicants = pool.applicant_count();
    let mut members: Vec<usize> = Vec::with_capacity(pool.panel_size as usize);
    for (t, ty) in pool.types.iter().enumerate() {
        members.extend(&ty.members[..witness[t] as usize]);
    }
    let mut in_panel = vec![false; applicants];
    for &a in &members {
        in_panel[a] = true;
    }
    let mut outsiders: Vec<usize> = (0..applicants).filter(|&a| !in_panel[a]).collect();
    let mut category_seats = pool.category_seats(witness);
    let mut type_seats = witness.to_vec();
    let mut expected_seats = vec![0.0; pool.types.len()];
    let (mut proposed, mut accepted) = (0usize, 0usize);

    let total_steps = burn_in + samples * steps_between_samples;
    let mut taken = 0;
    for step in 1..=total_steps {
        if !outsiders.is_empty() && !members.is_empty() {
            proposed += 1;
            let double = members.len() >= 2 && outsiders.len() >= 2 && rng.below(2) == 1;
            let mut out_positions = vec![rng.below(members.len())];
            let mut in_positions = vec![rng.below(outsiders.len())];
            if double {
                let second_out = rng.below(members.len() - 1);
                out_positions.push(if second_out >= out_positions[0] {
                    second_out + 1
                } else {
                    second_out
                });
                let second_in = rng.below(outsiders.len() - 1);
                in_positions.push(if second_in >= in_positions[0] {
                    second_in + 1
                } else {
                    second_in
                });
            }
            for (&o, &i) in out_positions.iter().zip(&in_positions) {
                for (f, &c) in pool.types[pool.applicant_type[members[o]]]
                    .categories
                    .iter()
                    .enumerate()
                {
                    category_seats[f][c] -= 1;
                }
                for (f, &c) in pool.types[pool.applicant_type[outsiders[i]]]
                    .categories
                    .iter()
                    .enumerate()
                {
                    category_seats[f][c] += 1;
                }
            }
            let within = category_seats
                .iter()
                .zip(&pool.features)
                .all(|(seats, feature)| {
                    seats
                        .iter()
                        .zip(&feature.categories)
                        .all(|(&s, c)| c.min <= s && s <= c.max)
                });
            if within {
                accepted += 1;
                for (&o, &i) in out_positions.iter().zip(&in_positions) {
                    type_seats[pool.applicant_type[members[o]]] -= 1;
                    type_seats[pool.applicant_type[outsiders[i]]] += 1;
                    std::mem::swap(&mut members[o], &mut outsiders[i]);
                }
            } else {
                for (&o, &i) in out_positions.iter().zip(&in_positions) {
                    for (f, &c) in pool.types[pool.applicant_type[members[o]]]
                        .categories
                        .iter()
                        .enumerate()
                    {
                        category_seats[f][c] += 1;
                    }
                    for (f, &c) in pool.types[pool.applicant_type[outsiders[i]]]
                        .categories
                        .iter()
                        .enumerate()
                    {
                        category_seats[f][c] -= 1;
                    }
                }
            }
        }
        if step > burn_in
            && (step - burn_in).is_multiple_of(steps_between_samples.max(1))
            && taken < samples
        {
            taken += 1;
            for (e, &s) in expected_seats.iter_mut().zip(&type_seats) {
                *e += s as f64;
            }
        }
    }
    let denominator = taken.max(1) as f64;
    MonteCarloEstimate {
        type_probabilities: expected_seats
            .iter()
            .zip(&pool.types)
            .map(|(e, ty)| e / denominator / ty.size() as f64)
            .collect(),
        samples: taken,
        steps_between_samples,
        acceptance_rate: if proposed == 0 {
            0.0
        } else {
            accepted as f64 / proposed as f64
        },
    }
}

/// Seed text of the Monte Carlo chain used by [`uniform_probabilities`] (fixed, so reports are reproducible).
pub const MONTE_CARLO_SEED_TEXT: &str = "maeul-sortition uniform baseline";
/// Above this many quota-meeting compositions the exact enumeration gives way to Monte Carlo.
pub const EXACT_COMPOSITION_LIMIT: usize = 100_000;

/// The baseline's selection probabilities per type: exact when at most [`EXACT_COMPOSITION_LIMIT`]
/// compositions meet the quotas, otherwise a Monte Carlo estimate with `samples` panels. Returns the
/// probabilities, whether they are exact, and a note saying how they were obtained.
pub fn uniform_probabilities(
    pool: &Pool,
    witness: &[u32],
    samples: usize,
) -> (Vec<f64>, bool, String) {
    if let Some(exact) = uniform_exact(pool, EXACT_COMPOSITION_LIMIT) {
        return (
            exact,
            true,
            "exact (all quota-meeting compositions enumerated)".into(),
        );
    }
    let spacing = 500;
    let estimate = uniform_monte_carlo(
        pool,
        witness,
        MONTE_CARLO_SEED_TEXT,
        200_000,
        samples,
        spacing,
    );
    let note = format!(
        "Monte Carlo estimate: swap chain, {} samples {} steps apart after 200000 steps of burn-in, acceptance {:.3}",
        estimate.samples, spacing, estimate.acceptance_rate
    );
    (estimate.type_probabilities, false, note)
}
