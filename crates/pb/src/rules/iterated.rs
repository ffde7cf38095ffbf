//! Iterated equal shares: MES re-run with a growing per-voter budget until its outcome is exhaustive (add1, budget
//! increase, and equalshares.net's Add1 for the official rule).
//!
//! pabutools tries every budget in turn (Budapest 2023 VIII: 74,756 runs). The outcome only changes at finitely many
//! budgets, so each run here also proves how many of the following budgets give the same outcome ([`Sweeper`], proof
//! in the crate README) and the loop jumps over them, examining exactly the outcomes pabutools examines, in the same
//! order, with the same stopping decisions. `RunOptions::every_budget` runs the plain loop instead (the reference the
//! tests compare with).
use super::mes::{MesPrepared, per_voter_share, run_mes, unsupported_fates};
use super::sweep::{Sweeper, Swept};
use super::{Fates, Progress, RunOptions};
use crate::profile::{Profile, ProjectIndex, Satisfaction};
use crate::rational::Q;

/// Outcomes of MES along the per-voter budgets `start + k·step`, k = 0, 1, 2, …
struct Budgets<'a, 'o> {
    profile: &'a Profile,
    prepared: &'a MesPrepared,
    start: Q,
    step: Q,
    /// One sweeper per thread (none for the plain loop).
    sweepers: Vec<Sweeper<'a>>,
    /// Outcomes computed ahead: (step, selected, last step with the same outcome).
    ready: std::collections::VecDeque<(u64, Vec<ProjectIndex>, u64)>,
    /// The last outcome held for its own step only: the next steps are worth computing ahead in parallel.
    dense: bool,
    batch: RunBatch<'a>,
    progress: Option<&'o mut dyn FnMut(&Progress)>,
    rule: &'static str,
    /// MES computations made (sweeps and exact runs).
    runs: u64,
    /// Of which exact runs because a sweep could not certify a decision.
    exact_runs: u64,
}

impl<'a, 'o> Budgets<'a, 'o> {
    fn new(
        profile: &'a Profile,
        prepared: &'a MesPrepared,
        start: Q,
        step: Q,
        options: RunOptions<'o>,
        rule: &'static str,
    ) -> Self {
        Budgets {
            profile,
            prepared,
            start,
            step,
            sweepers: if options.every_budget {
                Vec::new()
            } else {
                (0..threads_for(profile))
                    .map(|_| Sweeper::new(profile, prepared))
                    .collect()
            },
            ready: Default::default(),
            dense: false,
            batch: RunBatch::new(profile, prepared),
            progress: options.progress,
            rule,
            runs: 0,
            exact_runs: 0,
        }
    }

    fn share(&self, k: u64) -> Q {
        &self.start + &self.step.mul_int(k)
    }

    /// The outcome at step `k`, and the last step known to have the same outcome (`k` when nothing more is known).
    fn at(&mut self, k: u64) -> (Vec<ProjectIndex>, u64) {
        let share = self.share(k);
        let (selected, last) = if self.sweepers.is_empty() {
            let (start, step) = (self.start.clone(), self.step.clone());
            let ahead = |j: usize| &start + &step.mul_int(k + j as u64);
            self.runs += 1;
            (self.batch.next(&share, ahead), k)
        } else {
            while self.ready.front().is_some_and(|r| r.0 < k) {
                self.ready.pop_front();
            }
            if self.ready.front().is_none_or(|r| r.0 != k) {
                self.ready.clear();
                self.compute_from(k);
            }
            let (_, selected, last) = self.ready.pop_front().expect("computed above");
            self.dense = last == k;
            (selected, last)
        };
        if let Some(progress) = self.progress.as_mut() {
            let budget = &self.profile.budget;
            progress(&Progress {
                rule: self.rule,
                budgets_tried: k + 1,
                runs: self.runs,
                per_voter_budget: share.to_f64(),
                spent: if budget.is_zero() {
                    0.0
                } else {
                    (self.profile.cost_of(&selected) / budget).to_f64()
                },
            });
        }
        (selected, last)
    }

    /// Sweeps step `k` and, while the outcomes change at every step (each proves nothing beyond itself), the next
    /// few steps ahead on the other threads: each thread takes consecutive steps, so it can replay the rounds its
    /// previous run proved still valid. Results are consumed in order, so the loop is the sequential one.
    fn compute_from(&mut self, k: u64) {
        const STEPS_PER_THREAD: u64 = 3;
        let threads = if self.dense { self.sweepers.len() } else { 1 };
        let per_thread = if threads > 1 { STEPS_PER_THREAD } else { 1 };
        let (start, step, profile, prepared) =
            (&self.start, &self.step, self.profile, self.prepared);
        let mut computed: Vec<Vec<StepOutcome>> = Vec::new();
        std::thread::scope(|scope| {
            let handles: Vec<_> = self.sweepers[..threads]
                .iter_mut()
                .enumerate()
                .map(|(thread, sweeper)| {
                    let first = k + thread as u64 * per_thread;
                    let mut work = move || {
                        (first..first + per_thread)
                            .map(|j| {
                                let share = start + &step.mul_int(j);
                                sweep_one(sweeper, profile, prepared, j, &share, step)
                            })
                            .collect::<Vec<_>>()
                    };
                    if threads == 1 {
                        computed.push(work());
                        None
                    } else {
                        Some(scope.spawn(work))
                    }
                })
                .collect();
            for handle in handles.into_iter().flatten() {
                computed.push(handle.join().expect("an equal-shares run does not panic"));
            }
        });
        for (j, selected, last, exact) in computed.into_iter().flatten() {
            self.runs += 1;
            self.exact_runs += u64::from(exact);
            self.ready.push_back((j, selected, last));
        }
    }

    fn describe(&self, budgets: u64) -> String {
        if self.sweepers.is_empty() {
            return format!("{budgets} per-voter budgets tried one by one");
        }
        format!(
            "{budgets} per-voter budgets in pabutools' loop; {} equal-shares runs computed ({} of them exactly), the others proven to give the same outcome",
            self.runs, self.exact_runs
        )
    }
}

/// The outcome of one step: (step, selected, last step with the same outcome, whether it was computed exactly).
type StepOutcome = (u64, Vec<ProjectIndex>, u64, bool);

/// One step with a sweeper, or exactly when the sweep cannot certify it.
fn sweep_one(
    sweeper: &mut Sweeper<'_>,
    profile: &Profile,
    prepared: &MesPrepared,
    k: u64,
    share: &Q,
    step: &Q,
) -> StepOutcome {
    match sweeper.run(k, share, step, profile.ballots.len()) {
        Swept::Certain { selected, same_for } => (k, selected, k.saturating_add(same_for), false),
        Swept::Uncertain => (k, run_mes(profile, prepared, share, None), k, true),
    }
}

/// Threads for computing runs ahead: below a few hundred distinct ballots a run takes microseconds and threads
/// would cost more than they save.
fn threads_for(profile: &Profile) -> usize {
    if profile.ballots.len() < 256 {
        return 1;
    }
    std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(4)
}

fn exhaustive_among(
    profile: &Profile,
    candidates: &[ProjectIndex],
    selected: &[ProjectIndex],
) -> bool {
    let left = &profile.budget - &profile.cost_of(selected);
    candidates
        .iter()
        .all(|p| selected.contains(p) || profile.costs[*p as usize] > left)
}

/// Re-runs the kept per-voter budget once with explanations (the intermediate runs skip them).
fn explained(
    profile: &Profile,
    prepared: &MesPrepared,
    share: &Q,
    fates: &mut Fates,
) -> Vec<ProjectIndex> {
    let mut run_fates: Fates = vec![Vec::new(); profile.num_projects()];
    let selected = run_mes(profile, prepared, share, Some(&mut run_fates));
    for (fate, mut run_fate) in fates.iter_mut().zip(run_fates) {
        fate.append(&mut run_fate);
    }
    selected
}

/// MES whose per-voter budget is raised by one currency unit until the outcome is exhaustive among MES candidates
/// (pabutools `voter_budget_increment=1`); an outcome over budget means the previous one is returned.
pub(super) fn mes_add1(
    profile: &Profile,
    fates: &mut Fates,
    notes: &mut Vec<String>,
    options: RunOptions<'_>,
) -> Vec<ProjectIndex> {
    let prepared = MesPrepared::new(profile, Satisfaction::Cost);
    let Some(start) = per_voter_share(profile, &profile.budget) else {
        notes.push("no voters: nothing is funded".to_string());
        unsupported_fates(&prepared, fates);
        return Vec::new();
    };
    let mut budgets = Budgets::new(
        profile,
        &prepared,
        start,
        Q::int(1),
        options,
        "mes_cost_add1",
    );
    let mut previous: Option<u64> = None;
    let mut k = 0u64;
    loop {
        let (selected, last) = budgets.at(k);
        let over_budget = profile.cost_of(&selected) > profile.budget;
        if over_budget || exhaustive_among(profile, &prepared.candidates, &selected) {
            let kept = if over_budget { previous } else { Some(k) };
            let selected = match kept {
                Some(kept) => explained(profile, &prepared, &budgets.share(kept), fates),
                None => Vec::new(),
            };
            let kept_share = budgets.share(kept.unwrap_or(k));
            notes.push(format!(
                "equal shares, add1: {}; the outcome kept is the run with {kept_share} per voter{}",
                budgets.describe(k + 1),
                if over_budget {
                    " (the next run went over budget)"
                } else {
                    " (it is exhaustive)"
                }
            ));
            unsupported_fates(&prepared, fates);
            return selected;
        }
        if last == u64::MAX {
            // The outcome provably never changes again: pabutools' loop would run forever. Keep it.
            notes.push(format!(
                "equal shares, add1: from {} per voter on the outcome never changes and is never exhaustive (pabutools would loop forever); it is kept",
                budgets.share(k)
            ));
            let selected = explained(profile, &prepared, &budgets.share(k), fates);
            unsupported_fates(&prepared, fates);
            return selected;
        }
        previous = Some(last);
        k = last + 1;
    }
}

/// MES as the equalshares.net tool runs "Add1" (pabulib `rule` `equalshares/add1…`): first at budget / n, then at
/// ⌊budget / n⌋ + 1, + 2, … per voter, until the outcome is exhaustive with respect to every project (the previous
/// outcome if one goes over budget). Differs from pabutools' `voter_budget_increment=1` in the integer steps and the
/// exhaustiveness test.
pub(crate) fn mes_add1_equalshares(
    profile: &Profile,
    fates: &mut Fates,
    notes: &mut Vec<String>,
    options: RunOptions<'_>,
) -> Vec<ProjectIndex> {
    let prepared = MesPrepared::new(profile, Satisfaction::Cost);
    unsupported_fates(&prepared, fates);
    let Some(first) = per_voter_share(profile, &profile.budget) else {
        notes.push("no voters: nothing is funded".to_string());
        return Vec::new();
    };
    let selected = run_mes(profile, &prepared, &first, None);
    if profile.cost_of(&selected) > profile.budget {
        return Vec::new();
    }
    // The loop stops at an outcome exhaustive with respect to every project, or, since equal shares never funds an
    // unsupported project, at one that funds every supported project (raising the budget further cannot help).
    let done = |selected: &[ProjectIndex]| {
        profile.is_exhaustive(selected, &profile.budget)
            || prepared.candidates.iter().all(|p| selected.contains(p))
    };
    let mut kept = first.clone();
    let mut steps = 1u64;
    if !done(&selected) {
        // Then ⌊b⌋ + 1, ⌊b⌋ + 2, …: an arithmetic sequence again.
        let floor = Q::from_big(num_rational::BigRational::from_integer(
            first.to_big().floor().to_integer(),
        ));
        let start = &floor + &Q::int(1);
        let mut budgets = Budgets::new(
            profile,
            &prepared,
            start,
            Q::int(1),
            options,
            "equalshares/add1",
        );
        let mut k = 0u64;
        loop {
            let (selected, last) = budgets.at(k);
            if profile.cost_of(&selected) > profile.budget {
                steps += k + 1;
                break;
            }
            kept = budgets.share(k);
            if done(&selected) || last == u64::MAX {
                steps += k + 1;
                break;
            }
            kept = budgets.share(last);
            k = last + 1;
        }
    }
    notes.push(format!(
        "equal shares (equalshares.net Add1): kept the run with {kept} per voter after {steps} runs"
    ));
    run_mes(profile, &prepared, &kept, Some(fates))
}

/// MES run with the budget raised by budget/100 per step until the outcome is exhaustive (all projects) or over the
/// real budget (then the previous outcome), as pabutools `exhaustion_by_budget_increase`; at most up to a budget of
/// budget · (n + 1).
pub(super) fn mes_budget_increase(
    profile: &Profile,
    fates: &mut Fates,
    notes: &mut Vec<String>,
    options: RunOptions<'_>,
) -> Vec<ProjectIndex> {
    let prepared = MesPrepared::new(profile, Satisfaction::Cost);
    unsupported_fates(&prepared, fates);
    let n = profile.num_voters;
    if n == 0 {
        notes.push("no voters: nothing is funded".to_string());
        return Vec::new();
    }
    let n_q = Q::int(i128::from(n));
    let budget_step = &profile.budget / &Q::int(100);
    let start = &profile.budget / &n_q;
    let step = &budget_step / &n_q;
    // pabutools stops once the virtual budget exceeds budget · (n + 1), i.e. after step 100 n; with a zero step it
    // runs once.
    let last_step = if budget_step.is_zero() { 0 } else { 100 * n };
    let mut budgets = Budgets::new(
        profile,
        &prepared,
        start,
        step,
        options,
        "mes_cost_budget_increase",
    );
    let mut kept: Option<u64> = None;
    let mut k = 0u64;
    while k <= last_step {
        let (selected, last) = budgets.at(k);
        if profile.cost_of(&selected) > profile.budget {
            break;
        }
        kept = Some(k);
        if profile.is_exhaustive(&selected, &profile.budget) {
            break;
        }
        kept = Some(last.min(last_step));
        k = last.saturating_add(1);
    }
    let Some(kept) = kept else {
        notes.push("equal shares, budget increase: even the first run was over budget".to_string());
        return Vec::new();
    };
    let virtual_budget = &profile.budget + &budget_step.mul_int(kept);
    notes.push(format!(
        "equal shares, budget increase: kept the run with virtual budget {virtual_budget} ({})",
        budgets.describe(kept + 1)
    ));
    run_mes(profile, &prepared, &budgets.share(kept), Some(fates))
}

/// Runs of MES at a sequence of per-voter budgets, computed ahead in parallel on large profiles (the runs are
/// independent; the caller still examines them one by one in order, so the result is the sequential one). Used by
/// the plain loop that tries every budget.
struct RunBatch<'a> {
    profile: &'a Profile,
    prepared: &'a MesPrepared,
    threads: usize,
    ready: std::collections::VecDeque<(Q, Vec<ProjectIndex>)>,
}

impl<'a> RunBatch<'a> {
    fn new(profile: &'a Profile, prepared: &'a MesPrepared) -> Self {
        RunBatch {
            profile,
            prepared,
            threads: threads_for(profile),
            ready: Default::default(),
        }
    }

    /// The outcome at `share`; `ahead(k)` is the share k steps after it (computed speculatively).
    fn next(&mut self, share: &Q, ahead: impl Fn(usize) -> Q) -> Vec<ProjectIndex> {
        if let Some((ready_share, _)) = self.ready.front() {
            if ready_share == share {
                return self.ready.pop_front().expect("front exists").1;
            }
            self.ready.clear();
        }
        if self.threads <= 1 {
            return run_mes(self.profile, self.prepared, share, None);
        }
        // Each thread computes a few consecutive runs, to amortise starting it.
        const RUNS_PER_THREAD: usize = 4;
        let count = self.threads * RUNS_PER_THREAD;
        let shares: Vec<Q> = (0..count)
            .map(|k| if k == 0 { share.clone() } else { ahead(k) })
            .collect();
        let (profile, prepared) = (self.profile, self.prepared);
        let outcomes: Vec<Vec<ProjectIndex>> = std::thread::scope(|scope| {
            let handles: Vec<_> = shares
                .chunks(RUNS_PER_THREAD)
                .map(|chunk| {
                    scope.spawn(move || {
                        chunk
                            .iter()
                            .map(|s| run_mes(profile, prepared, s, None))
                            .collect::<Vec<_>>()
                    })
                })
                .collect();
            handles
                .into_iter()
                .flat_map(|h| h.join().expect("an MES run does not panic"))
                .collect()
        });
        self.ready = shares.into_iter().zip(outcomes).collect();
        self.ready.pop_front().expect("at least one run").1
    }
}
