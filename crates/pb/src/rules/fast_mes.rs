//! Exact MES pricing when every supporter of a project gains the same from it (cost and cardinality satisfaction,
//! i.e. every rule pabutools runs on approval data except `mes_points`).
//!
//! Voters' money is kept as integer numerators over one common denominator `D` (a `BigInt`), so sorting, summing and
//! the price test `cost − paid ≤ money · rest` are integer operations with no gcd. Buying a project at payment
//! `α = need / (D · w)` multiplies `D` (and every numerator) by `w`, so the common denominator stays exact. This is
//! what makes MES on a city-wide vote take milliseconds instead of minutes, with the same decisions as exact
//! rationals (every comparison below is an exact integer comparison).
use super::mes::{Pricer, Pricing};
use crate::explain::PaymentGroup;
use crate::profile::{Profile, ProjectIndex};
use crate::rational::Q;
use num_bigint::BigInt;
use num_integer::Integer;
use num_rational::BigRational;
use num_traits::{One, ToPrimitive, Zero};
use std::cmp::Ordering;

pub(crate) struct UniformPricer<'a> {
    supporters: &'a [Vec<(Q, Vec<u32>)>],
    /// Multiplicity of each distinct ballot (contiguous: this is the hottest loop).
    weights: &'a [u64],
    /// Scratch: new class of each class during a purchase (u32::MAX = unchanged).
    class_target: Vec<u32>,
    /// Build explanations (exact rationals for amounts of money); off for the intermediate runs of iterated MES.
    record: bool,
    /// Common denominator of every amount of money.
    scale: BigInt,
    /// cost · scale, per project.
    cost_scaled: Vec<BigInt>,
    /// utility · scale, per project (cost · scale for cost satisfaction, scale for cardinality).
    utility_scaled: Vec<BigInt>,
    class_of: Vec<u32>,
    /// money · scale, per class.
    class_money: Vec<BigInt>,
    /// Distinct ballots in each class (0 = the class is gone and is no longer rescaled).
    class_members: Vec<u32>,
    zero_class: Option<u32>,
    weight_in_class: Vec<u64>,
    touched: Vec<u32>,
    entries: Vec<(u32, u64)>,
}

/// ρ = need / (rest · utility), all three scaled by the same common denominator, so the ratio is exact.
#[derive(Clone, Debug)]
pub(crate) struct UniformPrice {
    need: BigInt,
    rest: u64,
    utility_scaled: BigInt,
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

/// `numerator / denominator` as f64 with a relative error below 1e-15, whatever their size.
fn ratio_f64(numerator: &BigInt, denominator: &BigInt) -> f64 {
    let top = |x: &BigInt| -> (f64, i64) {
        let shift = (x.bits() as i64 - 64).max(0);
        ((x >> shift as usize).to_f64().unwrap_or(f64::NAN), shift)
    };
    let (a, shift_a) = top(numerator);
    let (b, shift_b) = top(denominator);
    (a / b) * 2f64.powi((shift_a - shift_b).clamp(-2000, 2000) as i32)
}

impl<'a> UniformPricer<'a> {
    pub(crate) fn new(
        profile: &'a Profile,
        supporters: &'a [Vec<(Q, Vec<u32>)>],
        weights: &'a [u64],
        share: &Q,
        record: bool,
    ) -> Self {
        let mut scale = denominator(share);
        for cost in &profile.costs {
            scale = scale.lcm(&denominator(cost));
        }
        for groups in supporters {
            if let Some((utility, _)) = groups.first() {
                scale = scale.lcm(&denominator(utility));
            }
        }
        let cost_scaled = profile.costs.iter().map(|c| scaled(c, &scale)).collect();
        let utility_scaled = supporters
            .iter()
            .map(|g| {
                g.first()
                    .map(|(u, _)| scaled(u, &scale))
                    .unwrap_or_default()
            })
            .collect();
        let start = scaled(share, &scale);
        UniformPricer {
            supporters,
            weights,
            class_target: vec![u32::MAX],
            record,
            cost_scaled,
            utility_scaled,
            class_of: vec![0; profile.ballots.len()],
            zero_class: start.is_zero().then_some(0),
            class_money: vec![start],
            class_members: vec![profile.ballots.len() as u32],
            weight_in_class: vec![0],
            touched: Vec::new(),
            entries: Vec::new(),
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
            *slot += self.weights[b as usize];
        }
    }

    fn to_q(&self, numerator: BigInt) -> Q {
        Q::from_big(BigRational::new(numerator, self.scale.clone()))
    }

    fn new_class(&mut self, money: BigInt) -> u32 {
        if money.is_zero()
            && let Some(zero) = self.zero_class
        {
            return zero;
        }
        let class = self.class_money.len() as u32;
        if money.is_zero() {
            self.zero_class = Some(class);
        }
        self.class_money.push(money);
        self.class_members.push(0);
        self.weight_in_class.push(0);
        self.class_target.push(u32::MAX);
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
        for utility in &mut self.utility_scaled {
            *utility *= factor;
        }
        for (class, money) in self.class_money.iter_mut().enumerate() {
            if self.class_members[class] > 0 && !money.is_zero() {
                *money *= factor;
            }
        }
    }
}

impl Pricer for UniformPricer<'_> {
    type Price = UniformPrice;

    fn price(&mut self, project: ProjectIndex) -> Pricing<UniformPrice> {
        let supporters = self.supporters;
        let Some((_, ballots)) = supporters[project as usize].first() else {
            return Pricing::Unaffordable(Some(Q::ZERO));
        };
        self.gather(ballots);
        let mut entries = std::mem::take(&mut self.entries);
        entries.clear();
        entries.extend(
            self.touched
                .iter()
                .filter(|&&class| !self.class_money[class as usize].is_zero())
                .map(|&class| (class, self.weight_in_class[class as usize])),
        );
        let money = &self.class_money;
        entries.sort_unstable_by(|a, b| money[a.0 as usize].cmp(&money[b.0 as usize]));
        let cost = &self.cost_scaled[project as usize];
        let mut paid_in_full = BigInt::zero();
        let mut rest: u64 = entries.iter().map(|e| e.1).sum();
        let mut result = None;
        for &(class, weight) in &entries {
            let need = cost - &paid_in_full;
            // Everyone from here on can pay α = need / rest (scaled) iff the poorest of them has that much.
            if need <= &money[class as usize] * rest {
                result = Some(UniformPrice {
                    need,
                    rest,
                    utility_scaled: self.utility_scaled[project as usize].clone(),
                });
                break;
            }
            paid_in_full += &money[class as usize] * weight;
            rest -= weight;
        }
        self.entries = entries;
        match result {
            Some(price) => Pricing::Price(price),
            None => Pricing::Unaffordable(self.record.then(|| self.to_q(paid_in_full))),
        }
    }

    fn compare(&self, a: &UniformPrice, b: &UniformPrice) -> Ordering {
        let left = &a.need * (&b.utility_scaled * b.rest);
        let right = &b.need * (&a.utility_scaled * a.rest);
        left.cmp(&right)
    }

    fn approximate(&self, price: &UniformPrice) -> f64 {
        ratio_f64(&price.need, &(&price.utility_scaled * price.rest))
    }

    fn exact(&self, price: &UniformPrice) -> Q {
        Q::from_big(BigRational::new(
            price.need.clone(),
            &price.utility_scaled * price.rest,
        ))
    }

    fn buy(
        &mut self,
        project: ProjectIndex,
        price: &UniformPrice,
        record: bool,
    ) -> Vec<PaymentGroup> {
        let rest = BigInt::from(price.rest);
        let common = price.need.gcd(&rest);
        let share = &price.need / &common; // α · scale once rescaled by rest / common
        self.rescale(&(&rest / &common));
        let supporters = self.supporters;
        let (_, ballots) = &supporters[project as usize][0];
        self.gather(ballots);
        let (mut full_payers, mut partial_payers, mut partial_total) = (0u64, 0u64, BigInt::zero());
        let mut moves: Vec<(u32, u32)> = Vec::with_capacity(self.touched.len());
        for index in 0..self.touched.len() {
            let class = self.touched[index];
            let money = &self.class_money[class as usize];
            if money.is_zero() {
                continue;
            }
            let weight = self.weight_in_class[class as usize];
            let left = if money <= &share {
                partial_payers += weight;
                if record {
                    partial_total += money * weight;
                }
                BigInt::zero()
            } else {
                full_payers += weight;
                money - &share
            };
            let target = self.new_class(left);
            moves.push((class, target));
        }
        for &(old, target) in &moves {
            self.class_target[old as usize] = target;
        }
        for &b in ballots {
            let old = self.class_of[b as usize];
            let target = self.class_target[old as usize];
            if target != u32::MAX {
                self.class_of[b as usize] = target;
                self.class_members[old as usize] -= 1;
                self.class_members[target as usize] += 1;
            }
        }
        for &(old, _) in &moves {
            self.class_target[old as usize] = u32::MAX;
        }
        for &(old, _) in &moves {
            if self.class_members[old as usize] == 0 && Some(old) != self.zero_class {
                self.class_money[old as usize] = BigInt::zero();
            }
        }
        let mut payments = Vec::new();
        if record {
            if full_payers > 0 {
                let each = self.to_q(share.clone());
                payments.push(PaymentGroup {
                    voters: full_payers,
                    paid_total: each.mul_int(full_payers),
                    paid_each: Some(each),
                    all_they_had: false,
                });
            }
            if partial_payers > 0 {
                let paid_total = self.to_q(partial_total);
                payments.push(PaymentGroup {
                    voters: partial_payers,
                    paid_each: None,
                    paid_total,
                    all_they_had: true,
                });
            }
        }
        payments
    }
}
