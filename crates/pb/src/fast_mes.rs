//! Exact MES pricing when every supporter of a project gains the same from it (cost and cardinality satisfaction,
//! i.e. every rule pabutools runs on approval data except `mes_points`).
//!
//! Voters' money is kept as integer numerators over one common denominator `D` (a `BigInt`), so sorting, summing and
//! the price test `cost − paid ≤ money · rest` are integer operations with no gcd. Buying a project at payment
//! `α = need / (D · w)` multiplies `D` (and every numerator) by `w`, so the common denominator stays exact. This is
//! what makes MES on a city-wide vote take milliseconds instead of minutes, with the same decisions as exact
//! rationals (every comparison below is an exact integer comparison).
use crate::explain::PaymentGroup;
use crate::profile::{Profile, ProjectIndex};
use crate::rational::Q;
use crate::rules::{Pricer, Pricing};
use num_bigint::BigInt;
use num_integer::Integer;
use num_rational::BigRational;
use num_traits::{One, Zero};
use std::collections::HashMap;

pub(crate) struct UniformPricer<'a> {
    profile: &'a Profile,
    supporters: &'a [Vec<(Q, Vec<u32>)>],
    /// Common denominator of every amount of money.
    scale: BigInt,
    /// cost · scale, per project.
    cost_scaled: Vec<BigInt>,
    class_of: Vec<u32>,
    /// money · scale, per class.
    class_money: Vec<BigInt>,
    /// Distinct ballots in each class (0 = the class is gone).
    class_members: Vec<u32>,
    class_by_money: HashMap<BigInt, u32>,
    weight_in_class: Vec<u64>,
    touched: Vec<u32>,
    /// Per project, from its latest pricing: (cost·scale − money of those paying all they have, weight of the others).
    pending: Vec<Option<(BigInt, u64)>>,
}

fn denominator(value: &Q) -> BigInt {
    value.to_big().denom().clone()
}

fn scaled(value: &Q, scale: &BigInt) -> BigInt {
    let value = value.to_big();
    let product = value.numer() * scale;
    debug_assert!(
        (&product % value.denom()).is_zero(),
        "scale is a multiple of every denominator"
    );
    product / value.denom()
}

impl<'a> UniformPricer<'a> {
    pub(crate) fn new(
        profile: &'a Profile,
        supporters: &'a [Vec<(Q, Vec<u32>)>],
        share: &Q,
    ) -> Self {
        let mut scale = denominator(share);
        for cost in &profile.costs {
            scale = scale.lcm(&denominator(cost));
        }
        let cost_scaled = profile.costs.iter().map(|c| scaled(c, &scale)).collect();
        let start = scaled(share, &scale);
        let mut class_by_money = HashMap::new();
        class_by_money.insert(start.clone(), 0);
        UniformPricer {
            profile,
            supporters,
            cost_scaled,
            class_of: vec![0; profile.ballots.len()],
            class_money: vec![start],
            class_members: vec![profile.ballots.len() as u32],
            class_by_money,
            weight_in_class: vec![0],
            touched: Vec::new(),
            pending: vec![None; profile.num_projects()],
            scale,
        }
    }

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

    fn to_q(&self, numerator: BigInt) -> Q {
        Q::from_big(BigRational::new(numerator, self.scale.clone()))
    }

    fn class_with_money(&mut self, money: BigInt) -> u32 {
        if let Some(&class) = self.class_by_money.get(&money) {
            return class;
        }
        let class = self.class_money.len() as u32;
        self.class_money.push(money.clone());
        self.class_members.push(0);
        self.weight_in_class.push(0);
        self.class_by_money.insert(money, class);
        class
    }

    /// Multiplies the common denominator (and so every numerator) by `factor`.
    fn rescale(&mut self, factor: &BigInt) {
        if factor.is_one() {
            return;
        }
        self.scale *= factor;
        for cost in &mut self.cost_scaled {
            *cost *= factor;
        }
        self.class_by_money.clear();
        for (class, money) in self.class_money.iter_mut().enumerate() {
            if self.class_members[class] > 0 {
                *money *= factor;
                self.class_by_money.insert(money.clone(), class as u32);
            }
        }
    }
}

impl Pricer for UniformPricer<'_> {
    fn price(&mut self, project: ProjectIndex) -> Pricing {
        let supporters = self.supporters;
        let Some((utility, ballots)) = supporters[project as usize].first() else {
            return Pricing::Unaffordable(Q::ZERO);
        };
        self.gather(ballots);
        let mut entries: Vec<(u32, u64)> = self
            .touched
            .iter()
            .filter(|&&class| !self.class_money[class as usize].is_zero())
            .map(|&class| (class, self.weight_in_class[class as usize]))
            .collect();
        let money = &self.class_money;
        entries.sort_unstable_by(|a, b| money[a.0 as usize].cmp(&money[b.0 as usize]));
        let cost = &self.cost_scaled[project as usize];
        let mut paid_in_full = BigInt::zero();
        let mut rest: u64 = entries.iter().map(|e| e.1).sum();
        for &(class, weight) in &entries {
            let need = cost - &paid_in_full;
            // Everyone from here on can pay α = need / rest (scaled) iff the poorest of them has that much.
            if need <= &money[class as usize] * rest {
                let rho = &self.to_q(need.clone()) / &Q::int(i128::from(rest)) / utility;
                self.pending[project as usize] = Some((need, rest));
                return Pricing::Price(rho);
            }
            paid_in_full += &money[class as usize] * weight;
            rest -= weight;
        }
        Pricing::Unaffordable(self.to_q(paid_in_full))
    }

    fn buy(&mut self, project: ProjectIndex, _rho: &Q, record: bool) -> Vec<PaymentGroup> {
        let (need, rest) = self.pending[project as usize]
            .take()
            .expect("a project is priced before it is bought");
        let rest = BigInt::from(rest);
        let common = need.gcd(&rest);
        let share = &need / &common; // α · scale after rescaling by rest / common
        self.rescale(&(&rest / &common));
        let supporters = self.supporters;
        let (_, ballots) = &supporters[project as usize][0];
        self.gather(ballots);
        let mut payments = Vec::new();
        let mut new_class: HashMap<u32, u32> = HashMap::new();
        for class in self.touched.clone() {
            let money = self.class_money[class as usize].clone();
            if money.is_zero() {
                continue;
            }
            let left = if money <= share {
                BigInt::zero()
            } else {
                &money - &share
            };
            if record {
                let paid = &money - &left;
                payments.push(PaymentGroup {
                    voters: self.weight_in_class[class as usize],
                    budget_before: self.to_q(money),
                    paid_each: self.to_q(paid),
                });
            }
            let target = self.class_with_money(left);
            new_class.insert(class, target);
        }
        for &b in ballots {
            let old = self.class_of[b as usize];
            if let Some(&target) = new_class.get(&old) {
                self.class_of[b as usize] = target;
                self.class_members[old as usize] -= 1;
                self.class_members[target as usize] += 1;
            }
        }
        for (&old, _) in new_class.iter() {
            if self.class_members[old as usize] == 0 {
                let money = std::mem::take(&mut self.class_money[old as usize]);
                if self.class_by_money.get(&money) == Some(&old) {
                    self.class_by_money.remove(&money);
                }
            }
        }
        payments.sort_by(|a, b| b.voters.cmp(&a.voters).then(b.paid_each.cmp(&a.paid_each)));
        payments
    }
}
