//! The leximin of format `/2` against a brute force that shares none of its machinery: on pools small enough
//! to list every quota-meeting composition, each stage's level is found with microlp (another LP solver)
//! over all of them, and a type counts as pinned at that level when maximising its own probability, the
//! others kept at the level, cannot lift it — no duals, no column generation, no simplex of ours.
mod common;

use common::generated::random_pool;
use maeul_sortition::{Lottery, Pool, check_feasibility};
use microlp::{ComparisonOp, OptimizationDirection, Problem, Variable};

/// Every quota-meeting composition, or `None` when there are more than `limit` or the search visits more
/// than `200 × limit` nodes.
fn all_compositions(pool: &Pool, limit: usize) -> Option<Vec<Vec<u32>>> {
    struct Search<'a> {
        pool: &'a Pool,
        seats: Vec<u32>,
        found: Vec<Vec<u32>>,
        limit: usize,
        nodes: usize,
    }
    impl Search<'_> {
        /// False when a budget ran out.
        fn walk(&mut self, left: u32) -> bool {
            self.nodes += 1;
            if self.nodes > 200 * self.limit || self.found.len() > self.limit {
                return false;
            }
            let t = self.seats.len();
            if t == self.pool.types.len() {
                if left == 0 && self.pool.composition_meets_quotas(&self.seats) {
                    self.found.push(self.seats.clone());
                }
                return true;
            }
            let capacity_after: u32 = self.pool.types[t + 1..].iter().map(|ty| ty.size()).sum();
            for s in 0..=self.pool.types[t].size().min(left) {
                if left - s > capacity_after {
                    continue;
                }
                self.seats.push(s);
                let go_on = !within_maximums(self.pool, &self.seats) || self.walk(left - s);
                self.seats.pop();
                if !go_on {
                    return false;
                }
            }
            true
        }
    }
    let mut search = Search {
        pool,
        seats: Vec::new(),
        found: Vec::new(),
        limit,
        nodes: 0,
    };
    search.walk(pool.panel_size).then_some(search.found)
}

/// Whether seats given to the first types keep every category within its maximum.
fn within_maximums(pool: &Pool, seats: &[u32]) -> bool {
    let mut category_seats: Vec<Vec<u32>> = pool
        .features
        .iter()
        .map(|f| vec![0; f.categories.len()])
        .collect();
    for (t, &s) in seats.iter().enumerate() {
        for (f, &c) in pool.types[t].categories.iter().enumerate() {
            category_seats[f][c] += s;
        }
    }
    category_seats
        .iter()
        .zip(&pool.features)
        .all(|(seats, feature)| {
            seats
                .iter()
                .zip(&feature.categories)
                .all(|(&s, c)| s <= c.max)
        })
}

/// Seats of each type as a share of the type: x_t / n_t.
fn shares(pool: &Pool, seats: &[u32]) -> Vec<f64> {
    seats
        .iter()
        .zip(&pool.types)
        .map(|(&s, ty)| s as f64 / ty.size() as f64)
        .collect()
}

/// max (objective) over distributions λ on `compositions` with p_t ≥ floor_t for every type that has a
/// floor; `objective` is `None` for a free level z (then unfixed types need p_t ≥ z) or `Some(t)`.
fn solve(
    pool: &Pool,
    compositions: &[Vec<u32>],
    floors: &[Option<f64>],
    unfixed_at_least_z: bool,
    objective: Option<usize>,
) -> f64 {
    let mut problem = Problem::new(OptimizationDirection::Maximize);
    let columns: Vec<Vec<f64>> = compositions.iter().map(|c| shares(pool, c)).collect();
    let lambda: Vec<Variable> = columns
        .iter()
        .map(|column| problem.add_var(objective.map_or(0.0, |t| column[t]), (0.0, 1.0)))
        .collect();
    let z = problem.add_var(if objective.is_none() { 1.0 } else { 0.0 }, (0.0, 1.0));
    let all: Vec<(Variable, f64)> = lambda.iter().map(|&v| (v, 1.0)).collect();
    problem.add_constraint(all.as_slice(), ComparisonOp::Eq, 1.0);
    for t in 0..pool.types.len() {
        let mut terms: Vec<(Variable, f64)> = lambda
            .iter()
            .zip(&columns)
            .filter(|(_, column)| column[t] > 0.0)
            .map(|(&v, column)| (v, column[t]))
            .collect();
        match floors[t] {
            Some(floor) => problem.add_constraint(terms.as_slice(), ComparisonOp::Ge, floor),
            None if unfixed_at_least_z => {
                terms.push((z, -1.0));
                problem.add_constraint(terms.as_slice(), ComparisonOp::Ge, 0.0);
            }
            None => {}
        }
    }
    problem
        .solve()
        .expect("the stage problem is feasible")
        .into_solution()
        .expect("solved to optimality")
        .objective()
}

/// The leximin probability of each type, stage by stage.
fn brute_force_leximin(pool: &Pool, compositions: &[Vec<u32>]) -> Vec<f64> {
    let types = pool.types.len();
    let mut fixed: Vec<Option<f64>> = vec![None; types];
    while fixed.iter().any(Option::is_none) {
        let level = solve(pool, compositions, &fixed, true, None);
        // Everyone still unfixed at the level (minus round-off), then try to lift each one alone.
        let floors: Vec<Option<f64>> = fixed
            .iter()
            .map(|q| Some(q.unwrap_or(level - 1e-10)))
            .collect();
        let stuck: Vec<usize> = (0..types)
            .filter(|&t| fixed[t].is_none())
            .filter(|&t| solve(pool, compositions, &floors, false, Some(t)) <= level + 1e-7)
            .collect();
        assert!(!stuck.is_empty(), "some type is always pinned at a stage");
        for t in stuck {
            fixed[t] = Some(level);
        }
    }
    fixed.into_iter().map(|q| q.expect("all fixed")).collect()
}

#[test]
fn format_2_is_the_brute_force_leximin_on_small_pools() {
    // BRUTE_FORCE_SEEDS=9,17 BRUTE_FORCE_LIMIT=100000 checks chosen pools with a larger enumeration (slow:
    // use a release build).
    let seeds: Vec<u64> = match std::env::var("BRUTE_FORCE_SEEDS") {
        Ok(list) => list
            .split(',')
            .map(|s| s.trim().parse().expect("seed"))
            .collect(),
        Err(_) => (0..60).collect(),
    };
    let limit: usize =
        std::env::var("BRUTE_FORCE_LIMIT").map_or(2_000, |l| l.parse().expect("limit"));
    let mut checked = Vec::new();
    for seed in seeds.iter().copied() {
        let instance = random_pool(seed);
        let Ok(pool) = Pool::new(&instance) else {
            continue;
        };
        if !check_feasibility(&pool).unwrap().is_feasible() {
            continue;
        }
        let Some(compositions) = all_compositions(&pool, limit) else {
            println!("random_pool({seed}): more than {limit} compositions, skipped");
            continue;
        };
        let expected = brute_force_leximin(&pool, &compositions);
        let lottery = Lottery::prepare(&instance).unwrap();
        assert!(lottery.stats.complete, "random_pool({seed})");
        for (t, (p, e)) in lottery
            .distribution
            .type_probabilities
            .iter()
            .zip(&expected)
            .enumerate()
        {
            assert!(
                (p - e).abs() < 1e-6,
                "random_pool({seed}), type {t}: /2 {p}, brute force {e}"
            );
        }
        checked.push(format!("{seed} ({} compositions)", compositions.len()));
    }
    println!("checked random_pool: {}", checked.join(", "));
    assert!(
        checked.len() >= 8.min(seeds.len()),
        "only {} pools small enough",
        checked.len()
    );
}
