//! One run of the Method of Equal Shares (uniform utilities: cost or cardinality satisfaction) at a per-voter budget
//! `b₀`, which also proves for how many further budgets `b₀ + t·δ` (t = 1, 2, …) the outcome stays the same. The
//! iterated variants (add1, budget increase) use it to skip the budgets at which nothing can change.
//!
//! The argument (in full in the crate README, "Iterated equal shares without trying every budget"): follow the run at
//! b₀ and write every amount as an affine function of t. Money starts at b₀ + t·δ; a purchase at payment α(t) leaves
//! its full payers with m(t) − α(t) and its partial payers with exactly 0, and α(t) = (cost − Σ_partial m(t)) / W_full
//! is affine as long as the same supporters pay in full. So, as long as the same decisions are taken, every amount is
//! affine in t and every decision is the sign of an affine function. The run records, for each decision, the affine
//! function whose sign must not change, and the outcome is certain for every t up to the first root of any of them:
//!
//! - each purchase: its partial payers still have at most α(t), its full payers at least α(t);
//! - each project that lost a round: a lower bound of its price is still above the winner's price (or equal, if the
//!   winner comes first in the tie order). The lower bound is its last price with its supporters' split frozen: the
//!   true price α(t) solves Σ min(mᵢ(t), α) = cost, and Σ_partial mᵢ + W_full·α ≥ Σ min(mᵢ, α) for any split, so the
//!   frozen-split price is never above the true one (no condition on the split is needed); prices only rise during a
//!   run, so an older bound still holds in a later round;
//! - each project dropped as unaffordable: its supporters' money is still below its cost (money only falls during a
//!   run, so it stays unaffordable).
//!
//! Every quantity is a certified float ([`Approx`]); a sign that cannot be certified (an exact tie at t = 0 between
//! inexact values, or a supporter whose money equals the price) makes the whole run [`Swept::Uncertain`], and the
//! caller computes that budget exactly instead. Exact ties between exact values (equal supporter counts in a first
//! round) are certified and broken by the project order, as pabutools does.
use super::certified::{Approx, Lin};
use super::mes::MesPrepared;
use crate::profile::{Profile, ProjectIndex};
use crate::rational::Q;
use std::cmp::Ordering;

/// What one sweep run established.
pub(crate) enum Swept {
    /// The outcome at t = 0, the same for every t in 0..=`same_for`.
    Certain {
        selected: Vec<ProjectIndex>,
        same_for: u64,
    },
    /// A decision could not be certified in floating point.
    Uncertain,
}

/// A project's price per unit of satisfaction ρ = `need / weight` (or a lower bound of it), with `need` the cost
/// left to the full payers per unit of utility, `weight` the number of full payers.
#[derive(Clone, Copy)]
struct Price {
    need: Lin,
    weight: u64,
}

/// The result of pricing a project: its price with the supporters' split (entries before `split` pay all they have),
/// or its supporters' total money when it is below the cost.
enum Priced {
    Unaffordable(Lin),
    Price {
        price: Price,
        payment: Lin,
        split: usize,
    },
}

/// One round of the last run: what it decided, and until which step of the sequence those decisions provably hold.
struct Round {
    /// Projects found unaffordable.
    dropped: Vec<ProjectIndex>,
    /// Price bounds set by pricing, as affine functions of the step counted from `base`.
    bounds: Vec<(ProjectIndex, Price)>,
    /// The project bought (`None`: the last round, nothing was affordable).
    winner: Option<ProjectIndex>,
    /// The classes that paid everything they had for it.
    partial: Vec<u32>,
    last_step: u64,
    base: u64,
}

impl Price {
    /// The same bound, counted from `steps` later.
    fn shifted(self, steps: u64) -> Price {
        Price {
            need: Lin {
                at: self.need.at.add(self.need.slope.mul(Approx::count(steps))),
                slope: self.need.slope,
            },
            weight: self.weight,
        }
    }

    /// Its value at t = 0, roughly (for ordering projects only).
    fn rough(&self) -> f64 {
        self.need.at.value / self.weight as f64
    }
}

/// Reorders `entries` (money, class, weight) so that the classes paying everything they have come first, and returns
/// how many: the classes with money below α, where α solves Σ min(mⱼ, α)·wⱼ = `cost` (floats, a quickselect in
/// expected linear time: no full sort). Classes with money equal to α may go either way; the payment is the same.
fn split_at_price(entries: &mut [(f64, u32, u64)], cost: f64) -> usize {
    let (mut low, mut high) = (0, entries.len());
    let (mut paid, mut full) = (0f64, 0u64);
    while low < high {
        let pivot = {
            let (a, b, c) = (
                entries[low].0,
                entries[(low + high) / 2].0,
                entries[high - 1].0,
            );
            a.max(b.min(c)).min(b.max(c))
        };
        // Three-way partition of low..high: below the pivot, equal, above.
        let (mut below, mut scan, mut above) = (low, low, high);
        while scan < above {
            let value = entries[scan].0;
            if value < pivot {
                entries.swap(below, scan);
                below += 1;
                scan += 1;
            } else if value > pivot {
                above -= 1;
                entries.swap(scan, above);
            } else {
                scan += 1;
            }
        }
        let money_below: f64 = entries[low..below].iter().map(|e| e.0 * e.2 as f64).sum();
        let weight_from: u64 = entries[below..high].iter().map(|e| e.2).sum::<u64>() + full;
        if paid + money_below + pivot * (weight_from as f64) < cost {
            // α is above the pivot: the classes up to it pay everything.
            paid += money_below
                + entries[below..above]
                    .iter()
                    .map(|e| e.0 * e.2 as f64)
                    .sum::<f64>();
            low = above;
        } else {
            full += entries[below..high].iter().map(|e| e.2).sum::<u64>();
            high = below;
        }
    }
    low
}

/// Reusable state for sweep runs over one profile.
pub(crate) struct Sweeper<'a> {
    prepared: &'a MesPrepared,
    /// Per project: its supporters (distinct ballots) with their multiplicities.
    supporters: Vec<Vec<(u32, u64)>>,
    tie_rank: &'a [u32],
    num_projects: usize,
    cost: Vec<Approx>,
    /// cost / utility and 1 / utility (1 and 1/cost for cost satisfaction: a first-round price is then exactly 1/W).
    cost_per_utility: Vec<Approx>,
    per_utility: Vec<Approx>,
    class_of: Vec<u32>,
    money: Vec<Lin>,
    weight_in_class: Vec<u64>,
    /// Scratch: new class of each class during a purchase (u32::MAX = unchanged).
    target: Vec<u32>,
    touched: Vec<u32>,
    entries: Vec<(f64, u32, u64)>,
    best_entries: Vec<(f64, u32, u64)>,
    /// Scratch: classes paying everything they have in the purchase under way.
    partial: Vec<bool>,
    journal: Vec<Round>,
    /// Total weight of each project's supporters (a first-round price is cost / this).
    support: Vec<u64>,
}

/// A numbering of the distinct ballots for the sweep alone, so that each project's supporters lie in few runs of
/// consecutive numbers: ballots sorted by their projects, ranked by decreasing support (the supporters of the most
/// supported project come first and are consecutive, those of the second form two runs, …). The hot loops index the
/// voters' classes by this number, and consecutive reads hit the same cache lines. The numbering only renames
/// ballots: every decision is taken on classes and sums, never on a ballot's number.
fn local_order(prepared: &MesPrepared, projects: usize, ballots: usize) -> Vec<u32> {
    let mut by_support: Vec<usize> = (0..projects).collect();
    let support = |p: usize| -> u64 {
        prepared.supporters[p]
            .iter()
            .flat_map(|(_, list)| list)
            .map(|&b| prepared.weights[b as usize])
            .sum()
    };
    let supports: Vec<u64> = (0..projects).map(support).collect();
    by_support.sort_by_key(|&p| (std::cmp::Reverse(supports[p]), p));
    let mut rank = vec![0u32; projects];
    for (r, &p) in by_support.iter().enumerate() {
        rank[p] = r as u32;
    }
    let mut ranks_of: Vec<Vec<u32>> = vec![Vec::new(); ballots];
    for (p, groups) in prepared.supporters.iter().enumerate() {
        for (_, list) in groups {
            for &b in list {
                ranks_of[b as usize].push(rank[p]);
            }
        }
    }
    for ranks in &mut ranks_of {
        ranks.sort_unstable();
    }
    let mut order: Vec<u32> = (0..ballots as u32).collect();
    order.sort_by(|&a, &b| {
        ranks_of[a as usize]
            .cmp(&ranks_of[b as usize])
            .then(a.cmp(&b))
    });
    let mut local = vec![0u32; ballots];
    for (position, &b) in order.iter().enumerate() {
        local[b as usize] = position as u32;
    }
    local
}

const ZERO_CLASS: u32 = 0;
const UNCHANGED: u32 = u32::MAX;

impl<'a> Sweeper<'a> {
    pub(crate) fn new(profile: &'a Profile, prepared: &'a MesPrepared) -> Self {
        assert!(
            prepared.uniform,
            "the sweep prices projects whose supporters all gain the same"
        );
        let m = profile.num_projects();
        let mut cost_per_utility = vec![Approx::ZERO; m];
        let mut per_utility = vec![Approx::ZERO; m];
        for p in 0..m {
            if let Some((utility, _)) = prepared.supporters[p].first() {
                cost_per_utility[p] = Approx::of(&(&profile.costs[p] / utility));
                per_utility[p] = Approx::of(&(&Q::int(1) / utility));
            }
        }
        // Each supporter with its multiplicity, side by side (the hottest loop reads both), under the sweep's own
        // ballot numbering (see `local_order`).
        let local = local_order(prepared, m, profile.ballots.len());
        let supporters: Vec<Vec<(u32, u64)>> = (0..m)
            .map(|p| {
                prepared.supporters[p]
                    .first()
                    .map_or(Vec::new(), |(_, ballots)| {
                        let mut list: Vec<(u32, u64)> = ballots
                            .iter()
                            .map(|&b| (local[b as usize], prepared.weights[b as usize]))
                            .collect();
                        list.sort_unstable_by_key(|&(b, _)| b);
                        list
                    })
            })
            .collect();
        let support = supporters
            .iter()
            .map(|list| list.iter().map(|&(_, w)| w).sum())
            .collect();
        Sweeper {
            supporters,
            support,
            prepared,
            tie_rank: &profile.tie_rank,
            num_projects: m,
            cost: profile.costs.iter().map(Approx::of).collect(),
            cost_per_utility,
            per_utility,
            class_of: Vec::new(),
            money: Vec::new(),
            weight_in_class: Vec::new(),
            target: Vec::new(),
            touched: Vec::new(),
            entries: Vec::new(),
            best_entries: Vec::new(),
            partial: Vec::new(),
            journal: Vec::new(),
        }
    }

    fn reset(&mut self, start: &Q, step: &Q, ballots: usize) {
        // Class 0 is the class of voters with nothing left (exactly 0 for every t); everyone starts in class 1.
        self.class_of.clear();
        self.class_of.resize(ballots, 1);
        self.money.clear();
        self.money.push(Lin::ZERO);
        self.money.push(Lin {
            at: Approx::of(start),
            slope: Approx::of(step),
        });
        self.weight_in_class.clear();
        self.weight_in_class.extend([0, 0]);
        self.target.clear();
        self.target.extend([UNCHANGED, UNCHANGED]);
        self.partial.clear();
        self.partial.extend([false, false]);
        self.touched.clear();
    }

    /// Clears what the last [`Sweeper::gather`] summed.
    fn forget_gathered(&mut self) {
        for &class in &self.touched {
            self.weight_in_class[class as usize] = 0;
        }
        self.touched.clear();
    }

    /// Sums the supporters' multiplicities per class into `weight_in_class` / `touched`.
    fn gather(&mut self, project: ProjectIndex) {
        self.forget_gathered();
        let (class_of, weight_in_class, touched) =
            (&self.class_of, &mut self.weight_in_class, &mut self.touched);
        for &(b, weight) in &self.supporters[project as usize] {
            let class = class_of[b as usize];
            let slot = &mut weight_in_class[class as usize];
            if *slot == 0 {
                touched.push(class);
            }
            *slot += weight;
        }
    }

    /// The gathered classes that still have money, as (money at t = 0, class, weight).
    fn gathered_classes(&self, entries: &mut Vec<(f64, u32, u64)>) {
        entries.clear();
        entries.extend(
            self.touched
                .iter()
                .filter(|&&class| class != ZERO_CLASS)
                .map(|&class| {
                    let value = self.money[class as usize].at.value;
                    (value, class, self.weight_in_class[class as usize])
                }),
        );
    }

    /// The price of a project when nothing has been bought yet: every supporter has the starting money, so all pay
    /// cost / W if they can (no need to look at them one by one).
    fn first_price(&self, project: ProjectIndex) -> Option<Priced> {
        let weight = self.support[project as usize];
        let total = self.money[1].mul_count(weight);
        let cost = self.cost[project as usize];
        match total.at.cmp(cost)? {
            Ordering::Less => Some(Priced::Unaffordable(total)),
            _ => Some(Priced::Price {
                price: Price {
                    need: Lin::constant(self.cost_per_utility[project as usize]),
                    weight,
                },
                payment: Lin::constant(cost.div_count(weight)),
                split: 0,
            }),
        }
    }

    /// The least payment α with Σ min(mᵢ, α) = cost, found with floats (the split is certified later only for the
    /// project bought); `None` when the floats cannot tell whether the supporters can afford it. Leaves the classes
    /// in `entries`, those paying everything they have first.
    fn price(&mut self, project: ProjectIndex) -> Option<Priced> {
        self.gather(project);
        let mut entries = std::mem::take(&mut self.entries);
        self.gathered_classes(&mut entries);
        let result = self.price_entries(project, &mut entries);
        self.entries = entries;
        result
    }

    fn price_entries(
        &self,
        project: ProjectIndex,
        entries: &mut [(f64, u32, u64)],
    ) -> Option<Priced> {
        let money = &self.money;
        let cost = Lin::constant(self.cost[project as usize]);
        let total = Lin::weighted_sum(
            entries
                .iter()
                .map(|&(_, class, weight)| (money[class as usize], weight)),
        );
        if total.at.cmp(cost.at)? == Ordering::Less {
            return Some(Priced::Unaffordable(total));
        }
        let split = split_at_price(entries, cost.at.value);
        let paid = Lin::weighted_sum(
            entries[..split]
                .iter()
                .map(|&(_, class, weight)| (money[class as usize], weight)),
        );
        let rest: u64 = entries[split..].iter().map(|e| e.2).sum();
        if rest == 0 {
            return None;
        }
        let per_utility = self.per_utility[project as usize];
        Some(Priced::Price {
            price: Price {
                need: Lin::constant(self.cost_per_utility[project as usize])
                    .sub(paid.scale(per_utility)),
                weight: rest,
            },
            payment: cost.sub(paid).div_count(rest),
            split,
        })
    }

    /// `a` compared with `b` as prices, when certain.
    fn compare(a: &Price, b: &Price) -> Option<Ordering> {
        a.need
            .at
            .mul(Approx::count(b.weight))
            .cmp(b.need.at.mul(Approx::count(a.weight)))
    }

    /// How long `loser` (a lower bound of its price) provably stays behind `winner`: `None` when not certain now.
    fn stays_behind(
        &self,
        loser: (ProjectIndex, &Price),
        winner: (ProjectIndex, &Price),
    ) -> Option<u64> {
        let gap = loser
            .1
            .need
            .mul_count(winner.1.weight)
            .sub(winner.1.need.mul_count(loser.1.weight));
        let loser_first = self.tie_rank[loser.0 as usize] < self.tie_rank[winner.0 as usize];
        match gap.at.sign()? {
            Ordering::Greater => Some(gap.steps_nonnegative()),
            Ordering::Equal if !loser_first => Some(gap.steps_nonnegative()),
            _ => None,
        }
    }

    /// Runs MES at per-voter money `start + step·t` (t = 0 is step `k` of the caller's sequence; the previous call
    /// was at an earlier step of the same sequence, or none), and proves for how many more steps its outcome holds.
    ///
    /// The rounds of the previous run whose every decision provably still holds at step `k` are replayed without
    /// pricing anything: their winners are bought again, with the same split of their supporters, at the new money.
    pub(crate) fn run(&mut self, k: u64, start: &Q, step: &Q, ballots: usize) -> Swept {
        self.reset(start, step, ballots);
        let mut same_for = u64::MAX;
        let mut selected: Vec<ProjectIndex> = self.prepared.free.clone();
        let mut alive = self.prepared.candidates.clone();
        // Lower bound of each project's price (from its last pricing), and its value at t = 0 for ordering.
        let mut bound: Vec<Option<Price>> = vec![None; self.num_projects];
        let mut rough = vec![0f64; self.num_projects];
        let journal = std::mem::take(&mut self.journal);
        let valid = journal
            .iter()
            .take_while(|round| round.last_step >= k && round.winner.is_some())
            .count();
        for round in &journal[..valid] {
            alive.retain(|p| !round.dropped.contains(p));
            for &(p, price) in &round.bounds {
                let price = price.shifted(k - round.base);
                rough[p as usize] = price.rough() * (1.0 - 1e-9);
                bound[p as usize] = Some(price);
            }
            let winner = round
                .winner
                .expect("only rounds with a winner are replayed");
            self.replay_buy(winner, &round.partial);
            selected.push(winner);
            alive.retain(|&q| q != winner);
            same_for = same_for.min(round.last_step - k);
        }
        let mut journal = journal;
        journal.truncate(valid);
        let result = self.rounds(k, &mut journal, same_for, selected, alive, bound, rough);
        if matches!(result, Swept::Uncertain) {
            journal.clear();
        }
        self.journal = journal;
        result
    }

    #[allow(clippy::too_many_arguments)]
    fn rounds(
        &mut self,
        k: u64,
        journal: &mut Vec<Round>,
        mut same_for: u64,
        mut selected: Vec<ProjectIndex>,
        mut alive: Vec<ProjectIndex>,
        mut bound: Vec<Option<Price>>,
        mut rough: Vec<f64>,
    ) -> Swept {
        loop {
            let mut round = Round {
                dropped: Vec::new(),
                bounds: Vec::new(),
                winner: None,
                partial: Vec::new(),
                last_step: 0,
                base: k,
            };
            let mut round_same_for = u64::MAX;
            alive.sort_by(|&a, &b| {
                rough[a as usize]
                    .total_cmp(&rough[b as usize])
                    .then(self.tie_rank[a as usize].cmp(&self.tie_rank[b as usize]))
            });
            // (project, price, payment, split, rough upper bound of the price), and the best's sorted classes
            let mut best: Option<(ProjectIndex, Price, Lin, usize, f64)> = None;
            let mut best_entries = std::mem::take(&mut self.best_entries);
            best_entries.clear();
            for &p in &alive {
                if let Some(best) = &best
                    && rough[p as usize] > best.4
                {
                    break;
                }
                let first = selected.len() == self.prepared.free.len();
                let priced = if first {
                    self.first_price(p)
                } else {
                    self.price(p)
                };
                match priced {
                    None => return Swept::Uncertain,
                    Some(Priced::Unaffordable(total)) => {
                        let short = Lin::constant(self.cost[p as usize]).sub(total);
                        round_same_for = round_same_for.min(short.steps_nonnegative());
                        round.dropped.push(p);
                    }
                    Some(Priced::Price {
                        price,
                        payment,
                        split,
                    }) => {
                        let value = price.rough();
                        rough[p as usize] = value * (1.0 - 1e-9);
                        bound[p as usize] = Some(price);
                        round.bounds.push((p, price));
                        let better = match &best {
                            None => true,
                            Some((q, best_price, ..)) => match Self::compare(&price, best_price) {
                                None => return Swept::Uncertain,
                                Some(Ordering::Less) => true,
                                Some(Ordering::Equal) => {
                                    self.tie_rank[p as usize] < self.tie_rank[*q as usize]
                                }
                                Some(Ordering::Greater) => false,
                            },
                        };
                        if better {
                            best = Some((p, price, payment, split, value * (1.0 + 1e-9)));
                            best_entries.clear();
                            if !first {
                                // The next pricing refills `self.entries` from scratch: swap, don't copy.
                                std::mem::swap(&mut best_entries, &mut self.entries);
                            }
                        }
                    }
                }
            }
            if !round.dropped.is_empty() {
                alive.retain(|p| !round.dropped.contains(p));
            }
            let Some((winner, price, payment, split, _)) = best else {
                same_for = same_for.min(round_same_for);
                round.last_step = k.saturating_add(round_same_for);
                journal.push(round);
                return Swept::Certain { selected, same_for };
            };
            for &q in &alive {
                if q == winner {
                    continue;
                }
                let Some(lower) = &bound[q as usize] else {
                    return Swept::Uncertain;
                };
                match self.stays_behind((q, lower), (winner, &price)) {
                    Some(steps) => round_same_for = round_same_for.min(steps),
                    None => return Swept::Uncertain,
                }
            }
            match self.buy(
                winner,
                payment,
                split,
                &mut round.partial,
                &mut best_entries,
            ) {
                Some(steps) => round_same_for = round_same_for.min(steps),
                None => return Swept::Uncertain,
            }
            self.best_entries = best_entries;
            same_for = same_for.min(round_same_for);
            round.winner = Some(winner);
            round.last_step = k.saturating_add(round_same_for);
            journal.push(round);
            selected.push(winner);
            alive.retain(|&q| q != winner);
        }
    }

    /// Supporters pay: the first `split` entries (by money) everything they have, the others `payment`. Returns how
    /// long that split provably stays the right one (`None` when it is not certain now), and records the classes
    /// that paid everything in `partial`.
    fn buy(
        &mut self,
        project: ProjectIndex,
        payment: Lin,
        split: usize,
        partial: &mut Vec<u32>,
        saved: &mut Vec<(f64, u32, u64)>,
    ) -> Option<u64> {
        // The classes of its supporters, sorted, as its pricing left them (a first-round price did not gather).
        let mut entries = std::mem::take(&mut self.entries);
        if saved.is_empty() {
            self.gather(project);
            self.gathered_classes(&mut entries);
            match self.price_entries(project, &mut entries) {
                Some(Priced::Price { split: again, .. }) if again == split => {}
                _ => {
                    self.entries = entries;
                    return None;
                }
            }
        } else {
            std::mem::swap(&mut entries, saved);
            self.forget_gathered();
            self.touched
                .extend(entries.iter().map(|&(_, class, _)| class));
        }
        let mut same_for = u64::MAX;
        for (index, &(_, class, _)) in entries.iter().enumerate() {
            let have = self.money[class as usize];
            // Partial payers must have at most the payment, full payers at least.
            let margin = if index < split {
                payment.sub(have)
            } else {
                have.sub(payment)
            };
            match margin.at.sign() {
                None | Some(Ordering::Less) => {
                    self.entries = entries;
                    return None;
                }
                _ => {}
            }
            same_for = same_for.min(margin.steps_nonnegative());
        }
        partial.clear();
        partial.extend(entries[..split].iter().map(|&(_, class, _)| class));
        self.entries = entries;
        self.pay(project, payment, partial);
        Some(same_for)
    }

    /// Buys a project of an earlier run again, with the same classes paying everything they have (the earlier run
    /// proved that split still right at this step); the payment is recomputed from the current money.
    fn replay_buy(&mut self, project: ProjectIndex, partial: &[u32]) {
        self.gather(project);
        self.mark(partial, true);
        let paying = |class: &&u32| **class != ZERO_CLASS;
        let paid = Lin::weighted_sum(
            self.touched
                .iter()
                .filter(paying)
                .filter(|&&class| self.partial[class as usize])
                .map(|&class| {
                    (
                        self.money[class as usize],
                        self.weight_in_class[class as usize],
                    )
                }),
        );
        let full: u64 = self
            .touched
            .iter()
            .filter(paying)
            .filter(|&&class| !self.partial[class as usize])
            .map(|&class| self.weight_in_class[class as usize])
            .sum();
        let payment = Lin::constant(self.cost[project as usize])
            .sub(paid)
            .div_count(full);
        self.mark(partial, false);
        self.pay(project, payment, partial);
    }

    fn mark(&mut self, classes: &[u32], value: bool) {
        for &class in classes {
            self.partial[class as usize] = value;
        }
    }

    /// Moves the supporters of `project` to their new classes: `partial` ones to the zero class, the others to a new
    /// class each, with `payment` less. New classes are numbered in the order their first member appears in the
    /// project's supporter list (not by money), so a replay at other money makes the same classes with the same
    /// numbers.
    fn pay(&mut self, project: ProjectIndex, payment: Lin, partial: &[u32]) {
        self.forget_gathered();
        self.mark(partial, true);
        let mut moved = std::mem::take(&mut self.touched);
        moved.clear();
        for &(b, _) in &self.supporters[project as usize] {
            let class = self.class_of[b as usize];
            if class == ZERO_CLASS {
                continue;
            }
            let mut target = self.target[class as usize];
            if target == UNCHANGED {
                target = if self.partial[class as usize] {
                    ZERO_CLASS
                } else {
                    self.money.push(self.money[class as usize].sub(payment));
                    self.weight_in_class.push(0);
                    self.target.push(UNCHANGED);
                    self.partial.push(false);
                    (self.money.len() - 1) as u32
                };
                self.target[class as usize] = target;
                moved.push(class);
            }
            self.class_of[b as usize] = target;
        }
        self.mark(partial, false);
        for &class in &moved {
            self.target[class as usize] = UNCHANGED;
        }
        moved.clear();
        self.touched = moved;
    }
}
