//! The Method of Equal Shares: one run at a per-voter budget (the iterated variants are in `iterated.rs`).
use super::Fates;
use crate::explain::{Fate, PaymentGroup};
use crate::profile::{Profile, ProjectIndex, Satisfaction};
use crate::rational::Q;
use std::cmp::Ordering;
use std::collections::HashMap;

/// What MES needs about a profile, independent of the per-voter budget (shared by the iterated variants).
pub(crate) struct MesPrepared {
    /// Per project: its supporters grouped by utility: (utility > 0, distinct-ballot indices).
    pub(super) supporters: Vec<Vec<(Q, Vec<u32>)>>,
    /// Multiplicity of each distinct ballot.
    pub(super) weights: Vec<u64>,
    /// Supported projects with a positive cost.
    pub(super) candidates: Vec<ProjectIndex>,
    /// Supported projects costing nothing (funded first), in tie-break order.
    pub(super) free: Vec<ProjectIndex>,
    /// Every supporter of a project gains the same (cost and cardinality satisfaction): the fast pricer applies.
    pub(super) uniform: bool,
}

impl MesPrepared {
    pub(super) fn new(profile: &Profile, sat: Satisfaction) -> MesPrepared {
        // A project's supporters usually share one utility (always for cost and cardinality satisfaction); with
        // points there can be as many groups as voters, so past a few groups they are found through a map.
        const SCAN: usize = 8;
        let mut supporters: Vec<Vec<(Q, Vec<u32>)>> = vec![Vec::new(); profile.num_projects()];
        let mut group_of: HashMap<(ProjectIndex, Q), usize> = HashMap::new();
        for (b, ballot) in profile.ballots.iter().enumerate() {
            for position in 0..ballot.projects.len() {
                let utility = profile.utility(sat, ballot, position);
                if utility <= Q::ZERO {
                    continue;
                }
                let project = ballot.projects[position];
                let groups = &mut supporters[project as usize];
                let found = if groups.len() <= SCAN {
                    groups.iter().position(|(u, _)| *u == utility)
                } else {
                    group_of.get(&(project, utility.clone())).copied()
                };
                match found {
                    Some(group) => groups[group].1.push(b as u32),
                    None => {
                        if groups.len() == SCAN {
                            for (group, (u, _)) in groups.iter().enumerate() {
                                group_of.insert((project, u.clone()), group);
                            }
                        }
                        if groups.len() >= SCAN {
                            group_of.insert((project, utility.clone()), groups.len());
                        }
                        groups.push((utility, vec![b as u32]));
                    }
                }
            }
        }
        let mut candidates = Vec::new();
        let mut free = Vec::new();
        for (p, groups) in supporters.iter().enumerate() {
            if groups.is_empty() {
                continue;
            }
            if profile.costs[p].is_zero() {
                free.push(p as ProjectIndex);
            } else {
                candidates.push(p as ProjectIndex);
            }
        }
        free.sort_by_key(|&p| profile.tie_rank[p as usize]);
        let uniform = supporters.iter().all(|groups| groups.len() <= 1);
        let weights = profile.ballots.iter().map(|b| b.weight).collect();
        MesPrepared {
            supporters,
            weights,
            candidates,
            free,
            uniform,
        }
    }
}

pub(crate) enum Pricing<P> {
    /// The supporters' money (when the pricer records explanations) is below the cost.
    Unaffordable(Option<Q>),
    Price(P),
}

/// One run of MES: voters' money by budget class.
struct MesRun<'a> {
    profile: &'a Profile,
    prepared: &'a MesPrepared,
    class_of: Vec<u32>,
    class_money: Vec<Q>,
    class_by_money: HashMap<Q, u32>,
    weight_in_class: Vec<u64>,
    touched: Vec<u32>,
}

impl<'a> MesRun<'a> {
    fn new(profile: &'a Profile, prepared: &'a MesPrepared, per_voter: &Q) -> Self {
        let mut class_by_money = HashMap::new();
        class_by_money.insert(per_voter.clone(), 0);
        MesRun {
            profile,
            prepared,
            class_of: vec![0; profile.ballots.len()],
            class_money: vec![per_voter.clone()],
            class_by_money,
            weight_in_class: vec![0],
            touched: Vec::new(),
        }
    }

    /// Sums the multiplicities of `ballots` per budget class into `weight_in_class` / `touched`.
    fn gather(&mut self, ballots: &[u32]) {
        for &class in &self.touched {
            self.weight_in_class[class as usize] = 0;
        }
        self.touched.clear();
        for &b in ballots {
            let class = self.class_of[b as usize];
            let slot = &mut self.weight_in_class[class as usize];
            if *slot == 0 {
                self.touched.push(class);
            }
            *slot += self.profile.ballots[b as usize].weight;
        }
    }

    /// The least ρ with Σ min(money_i, ρ·u_i) = cost, or the supporters' money if it is below the cost.
    fn price(&mut self, project: ProjectIndex) -> Pricing<Q> {
        let prepared = self.prepared;
        // (money, utility, multiplicity) of each class of supporters that still has money.
        let mut entries: Vec<(u32, usize, u64)> = Vec::new();
        for (group, (_, ballots)) in prepared.supporters[project as usize].iter().enumerate() {
            self.gather(ballots);
            for &class in &self.touched {
                if !self.class_money[class as usize].is_zero() {
                    entries.push((class, group, self.weight_in_class[class as usize]));
                }
            }
        }
        let groups = &prepared.supporters[project as usize];
        let mut money = Q::ZERO;
        for &(class, _, weight) in &entries {
            money += &self.class_money[class as usize].mul_int(weight);
        }
        let cost = &self.profile.costs[project as usize];
        if &money < cost {
            return Pricing::Unaffordable(Some(money));
        }
        let class_money = &self.class_money;
        if groups.len() == 1 {
            entries.sort_by(|a, b| class_money[a.0 as usize].cmp(&class_money[b.0 as usize]));
        } else {
            entries.sort_by(|a, b| {
                (&class_money[a.0 as usize] * &groups[b.1].0)
                    .cmp(&(&class_money[b.0 as usize] * &groups[a.1].0))
            });
        }
        let mut paid_in_full = Q::ZERO;
        let mut utility_of_rest = Q::ZERO;
        for &(_, group, weight) in &entries {
            utility_of_rest += &groups[group].0.mul_int(weight);
        }
        for &(class, group, weight) in &entries {
            let utility = &groups[group].0;
            let rho = (cost - &paid_in_full) / &utility_of_rest;
            if (&rho * utility) <= class_money[class as usize] {
                return Pricing::Price(rho);
            }
            paid_in_full += &class_money[class as usize].mul_int(weight);
            utility_of_rest -= &utility.mul_int(weight);
        }
        unreachable!("supporters' money covers the cost, so the last class fixes the price")
    }

    fn class_with_money(&mut self, money: Q) -> u32 {
        if let Some(&class) = self.class_by_money.get(&money) {
            return class;
        }
        let class = self.class_money.len() as u32;
        self.class_money.push(money.clone());
        self.weight_in_class.push(0);
        self.class_by_money.insert(money, class);
        class
    }

    /// Every supporter pays min(money, ρ·u); returns who paid what.
    fn buy(&mut self, project: ProjectIndex, rho: &Q) -> Vec<PaymentGroup> {
        let prepared = self.prepared;
        let mut payments = Vec::new();
        for (utility, ballots) in &prepared.supporters[project as usize] {
            let share = rho * utility;
            self.gather(ballots);
            let mut new_class: HashMap<u32, u32> = HashMap::new();
            let (mut full_payers, mut partial_payers, mut partial_total) = (0u64, 0u64, Q::ZERO);
            for class in self.touched.clone() {
                let money = self.class_money[class as usize].clone();
                if money.is_zero() {
                    continue;
                }
                let weight = self.weight_in_class[class as usize];
                if money <= share {
                    partial_payers += weight;
                    partial_total += &money.mul_int(weight);
                } else {
                    full_payers += weight;
                }
                let paid = Q::min_of(&money, &share);
                let target = self.class_with_money(&money - &paid);
                new_class.insert(class, target);
            }
            if full_payers > 0 {
                payments.push(PaymentGroup {
                    voters: full_payers,
                    paid_total: share.mul_int(full_payers),
                    paid_each: Some(share.clone()),
                    all_they_had: false,
                });
            }
            if partial_payers > 0 {
                payments.push(PaymentGroup {
                    voters: partial_payers,
                    paid_each: None,
                    paid_total: partial_total,
                    all_they_had: true,
                });
            }
            for &b in ballots {
                if let Some(&target) = new_class.get(&self.class_of[b as usize]) {
                    self.class_of[b as usize] = target;
                }
            }
        }
        payments
    }
}

/// How one MES implementation prices and buys projects; the round structure is shared ([`run_rounds`]).
pub(crate) trait Pricer {
    /// A project's price per unit of satisfaction, in the pricer's own exact form.
    type Price;
    /// Prices a project, or says its supporters cannot afford it.
    fn price(&mut self, project: ProjectIndex) -> Pricing<Self::Price>;
    /// Exact comparison of two prices of the same round.
    fn compare(&self, a: &Self::Price, b: &Self::Price) -> Ordering;
    /// Approximate value, within a relative 1e-12 (used with margins for the lazy re-pricing only).
    fn approximate(&self, price: &Self::Price) -> f64;
    /// The exact price as a rational (for explanations).
    fn exact(&self, price: &Self::Price) -> Q;
    /// Supporters pay; returns who paid what when `record`.
    fn buy(
        &mut self,
        project: ProjectIndex,
        price: &Self::Price,
        record: bool,
    ) -> Vec<PaymentGroup>;
}

impl Pricer for MesRun<'_> {
    type Price = Q;
    fn price(&mut self, project: ProjectIndex) -> Pricing<Q> {
        MesRun::price(self, project)
    }
    fn compare(&self, a: &Q, b: &Q) -> Ordering {
        a.cmp(b)
    }
    fn approximate(&self, price: &Q) -> f64 {
        price.to_f64()
    }
    fn exact(&self, price: &Q) -> Q {
        price.clone()
    }
    fn buy(&mut self, project: ProjectIndex, rho: &Q, _record: bool) -> Vec<PaymentGroup> {
        MesRun::buy(self, project, rho)
    }
}

/// Runs MES to the end with the given pricer; returns the funded projects in order. `fates` = None skips the
/// explanation (used for the intermediate runs of the iterated variants).
fn run_rounds<P: Pricer>(
    profile: &Profile,
    prepared: &MesPrepared,
    pricer: &mut P,
    mut fates: Option<&mut Fates>,
) -> Vec<ProjectIndex> {
    // Prices only rise from round to round, so a project whose last price is above this round's best cannot win and
    // need not be re-priced. Last prices are kept as f64 lower bounds (1e-9 relative margin, far above the 1e-12
    // error of `approximate`), and a project is skipped only when its bound exceeds an upper bound of the best.
    const MARGIN: f64 = 1e-9;
    let mut selected: Vec<ProjectIndex> = prepared.free.clone();
    if let Some(fates) = fates.as_deref_mut() {
        for &p in &selected {
            fates[p as usize].push(Fate::MesFreeProject);
        }
    }
    let mut alive = prepared.candidates.clone();
    let mut lower_bound = vec![0f64; profile.num_projects()];
    let mut round = 0;
    loop {
        round += 1;
        alive.sort_by(|&a, &b| {
            lower_bound[a as usize]
                .total_cmp(&lower_bound[b as usize])
                .then(profile.tie_rank[a as usize].cmp(&profile.tie_rank[b as usize]))
        });
        let mut best: Option<(ProjectIndex, P::Price, f64)> = None;
        let mut dropped = Vec::new();
        for &p in &alive {
            if let Some((_, _, best_upper)) = &best
                && lower_bound[p as usize] > *best_upper
            {
                break;
            }
            match pricer.price(p) {
                Pricing::Unaffordable(money) => {
                    if let Some(fates) = fates.as_deref_mut() {
                        let supporters_money = money.unwrap_or(Q::ZERO);
                        fates[p as usize].push(Fate::MesUnaffordable {
                            round,
                            supporters_money,
                        });
                    }
                    dropped.push(p);
                }
                Pricing::Price(rho) => {
                    let approximate = pricer.approximate(&rho);
                    lower_bound[p as usize] = approximate * (1.0 - MARGIN);
                    let better = match &best {
                        None => true,
                        Some((best_p, best_rho, _)) => match pricer.compare(&rho, best_rho) {
                            Ordering::Less => true,
                            Ordering::Equal => {
                                profile.tie_rank[p as usize] < profile.tie_rank[*best_p as usize]
                            }
                            Ordering::Greater => false,
                        },
                    };
                    if better {
                        best = Some((p, rho, approximate * (1.0 + MARGIN)));
                    }
                }
            }
        }
        if !dropped.is_empty() {
            alive.retain(|p| !dropped.contains(p));
        }
        let Some((p, rho, _)) = best else { break };
        let payments = pricer.buy(p, &rho, fates.is_some());
        if let Some(fates) = fates.as_deref_mut() {
            fates[p as usize].push(Fate::MesFunded {
                round,
                rho: pricer.exact(&rho),
                payments,
            });
        }
        selected.push(p);
        alive.retain(|&q| q != p);
    }
    selected
}

/// One MES run at a per-voter budget `share`, with the fastest exact pricer that applies.
pub(super) fn run_mes(
    profile: &Profile,
    prepared: &MesPrepared,
    share: &Q,
    fates: Option<&mut Fates>,
) -> Vec<ProjectIndex> {
    if prepared.uniform {
        let mut pricer = super::fast_mes::UniformPricer::new(
            profile,
            &prepared.supporters,
            &prepared.weights,
            share,
            fates.is_some(),
        );
        run_rounds(profile, prepared, &mut pricer, fates)
    } else {
        let mut pricer = MesRun::new(profile, prepared, share);
        run_rounds(profile, prepared, &mut pricer, fates)
    }
}

pub(super) fn unsupported_fates(prepared: &MesPrepared, fates: &mut Fates) {
    for (p, groups) in prepared.supporters.iter().enumerate() {
        if groups.is_empty() {
            fates[p].push(Fate::NoSupport);
        }
    }
}

pub(super) fn per_voter_share(profile: &Profile, budget: &Q) -> Option<Q> {
    (profile.num_voters > 0).then(|| budget / &Q::int(i128::from(profile.num_voters)))
}

/// Method of Equal Shares with every voter starting at budget / n.
pub(super) fn mes(
    profile: &Profile,
    sat: Satisfaction,
    fates: &mut Fates,
    notes: &mut Vec<String>,
) -> Vec<ProjectIndex> {
    let prepared = MesPrepared::new(profile, sat);
    unsupported_fates(&prepared, fates);
    let Some(share) = per_voter_share(profile, &profile.budget) else {
        notes.push("no voters: nothing is funded".to_string());
        return Vec::new();
    };
    notes.push(format!(
        "equal shares: each of the {} voters starts with {}",
        profile.num_voters, share
    ));
    run_mes(profile, &prepared, &share, Some(fates))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::format::parse_str;
    use proptest::prelude::*;

    fn election_text(budget: u32, costs: &[u32], ballots: &[Vec<usize>]) -> String {
        let mut text = format!(
            "META\nkey;value\nbudget;{budget}\nvote_type;approval\nPROJECTS\nproject_id;cost\n"
        );
        for (p, cost) in costs.iter().enumerate() {
            text.push_str(&format!("{p};{cost}\n"));
        }
        text.push_str("VOTES\nvoter_id;vote\n");
        for (v, ballot) in ballots.iter().enumerate() {
            let ids: Vec<String> = ballot.iter().map(|p| p.to_string()).collect();
            text.push_str(&format!("{v};{}\n", ids.join(",")));
        }
        text
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

        /// The integer common-denominator pricer decides exactly as the plain rational one: same projects, same
        /// order, same prices, same payments.
        #[test]
        fn fast_and_rational_pricers_agree(
            budget in 1u32..500,
            costs in prop::collection::vec(0u32..120, 1..7),
            ballots in prop::collection::vec(prop::collection::btree_set(0usize..7, 0..5), 1..25),
            extra in 0u32..3,
        ) {
            let ballots: Vec<Vec<usize>> =
                ballots.into_iter().map(|b| b.into_iter().filter(|&p| p < costs.len()).collect()).collect();
            let profile = Profile::new(&parse_str(&election_text(budget, &costs, &ballots)).unwrap().election);
            for sat in [Satisfaction::Cost, Satisfaction::Cardinality] {
                let prepared = MesPrepared::new(&profile, sat);
                prop_assert!(prepared.uniform);
                let share = &per_voter_share(&profile, &profile.budget).unwrap() + &Q::int(i128::from(extra));
                let mut fast_fates: Fates = vec![Vec::new(); profile.num_projects()];
                let fast = run_mes(&profile, &prepared, &share, Some(&mut fast_fates));
                let mut rational_fates: Fates = vec![Vec::new(); profile.num_projects()];
                let mut pricer = MesRun::new(&profile, &prepared, &share);
                let rational = run_rounds(&profile, &prepared, &mut pricer, Some(&mut rational_fates));
                prop_assert_eq!(&fast, &rational);
                prop_assert_eq!(&fast_fates, &rational_fates);
            }
        }
    }
}
