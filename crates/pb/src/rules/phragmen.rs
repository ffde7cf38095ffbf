//! Sequential Phragmén.
use super::Fates;
use crate::explain::Fate;
use crate::profile::{Profile, ProjectIndex};
use crate::rational::Q;
use std::cmp::Ordering;

/// Sequential Phragmén (pabutools `sequential_phragmen`): buy the project whose approvers would reach the lowest
/// common load; stop as soon as a project tied at the lowest load does not fit.
///
/// Loads are integer numerators over one common denominator (as money in the fast MES pricer), and voters with the
/// same load share a class, so every comparison is an exact integer comparison without gcds.
pub(super) fn phragmen(profile: &Profile, fates: &mut Fates) -> Vec<ProjectIndex> {
    use num_bigint::BigInt;
    use num_integer::Integer;
    use num_traits::{One, Zero};
    let m = profile.num_projects();
    let mut approvers: Vec<Vec<u32>> = vec![Vec::new(); m];
    let mut score = vec![0u64; m];
    for (b, ballot) in profile.ballots.iter().enumerate() {
        for &p in &ballot.projects {
            approvers[p as usize].push(b as u32);
            score[p as usize] += ballot.weight;
        }
    }
    let weights: Vec<u64> = profile.ballots.iter().map(|b| b.weight).collect();
    let mut remaining: Vec<ProjectIndex> = Vec::new();
    for (p, fate) in fates.iter_mut().enumerate() {
        if profile.costs[p] > profile.budget {
            fate.push(Fate::OverBudget);
        } else {
            remaining.push(p as ProjectIndex);
        }
    }
    let mut scale = BigInt::one();
    for cost in &profile.costs {
        scale = scale.lcm(cost.to_big().denom());
    }
    let mut cost_scaled: Vec<BigInt> = profile
        .costs
        .iter()
        .map(|c| {
            let c = c.to_big();
            c.numer() * &scale / c.denom()
        })
        .collect();
    let mut class_of = vec![0u32; profile.ballots.len()];
    let mut class_load: Vec<BigInt> = vec![BigInt::zero()];
    let mut class_members: Vec<u32> = vec![profile.ballots.len() as u32];
    let mut weight_in_class: Vec<u64> = vec![0];
    let mut touched: Vec<u32> = Vec::new();
    let mut spent = Q::ZERO;
    let mut selected = Vec::new();
    let mut round = 0;
    let stop_reason;
    loop {
        round += 1;
        if remaining.is_empty() {
            stop_reason = "every project was considered".to_string();
            break;
        }
        // New load of each remaining project as (numerator over scale, approval score); score 0 = ∞.
        let mut loads: Vec<(ProjectIndex, BigInt, u64)> = Vec::with_capacity(remaining.len());
        for &p in &remaining {
            let s = score[p as usize];
            if s == 0 {
                loads.push((p, BigInt::zero(), 0));
                continue;
            }
            for &b in &approvers[p as usize] {
                let class = class_of[b as usize] as usize;
                if weight_in_class[class] == 0 {
                    touched.push(class as u32);
                }
                weight_in_class[class] += weights[b as usize];
            }
            let mut total = cost_scaled[p as usize].clone();
            for &class in &touched {
                let class = class as usize;
                if !class_load[class].is_zero() {
                    total += &class_load[class] * weight_in_class[class];
                }
                weight_in_class[class] = 0;
            }
            touched.clear();
            loads.push((p, total, s));
        }
        let cmp =
            |a: &(ProjectIndex, BigInt, u64), b: &(ProjectIndex, BigInt, u64)| match (a.2, b.2) {
                (0, 0) => Ordering::Equal,
                (0, _) => Ordering::Greater,
                (_, 0) => Ordering::Less,
                (sa, sb) => (&a.1 * sb).cmp(&(&b.1 * sa)),
            };
        let min_index = (0..loads.len())
            .min_by(|&i, &j| cmp(&loads[i], &loads[j]))
            .expect("remaining is not empty");
        let tied: Vec<usize> = (0..loads.len())
            .filter(|&i| cmp(&loads[i], &loads[min_index]).is_eq())
            .collect();
        let left = &profile.budget - &spent;
        if let Some(&too_big) = tied
            .iter()
            .find(|&&i| profile.costs[loads[i].0 as usize] > left)
        {
            stop_reason = format!(
                "in round {round} project {} had the lowest load but did not fit in the {} left, so the rule stopped",
                profile.ids[loads[too_big].0 as usize], left
            );
            break;
        }
        let chosen_index = *tied
            .iter()
            .min_by_key(|&&i| profile.tie_rank[loads[i].0 as usize])
            .expect("tied");
        let (chosen, total, s) = loads.swap_remove(chosen_index);
        let mut load = Q::ZERO;
        if s > 0 {
            load = Q::from_big(num_rational::BigRational::new(total.clone(), &scale * s));
            // The new load total / (s · scale) becomes a numerator over scale · s / g.
            let s = BigInt::from(s);
            let common = total.gcd(&s);
            let factor = &s / &common;
            let new_load = &total / &common;
            if !factor.is_one() {
                scale *= &factor;
                cost_scaled.iter_mut().for_each(|c| *c *= &factor);
                for (class, value) in class_load.iter_mut().enumerate() {
                    if class_members[class] > 0 && !value.is_zero() {
                        *value *= &factor;
                    }
                }
            }
            let class = class_load.len() as u32;
            class_load.push(new_load);
            class_members.push(0);
            weight_in_class.push(0);
            for &b in &approvers[chosen as usize] {
                let old = class_of[b as usize];
                class_members[old as usize] -= 1;
                class_members[class as usize] += 1;
                class_of[b as usize] = class;
            }
        }
        spent += &profile.costs[chosen as usize];
        fates[chosen as usize].push(Fate::PhragmenFunded { round, load });
        selected.push(chosen);
        remaining.retain(|&p| p != chosen);
    }
    for &p in &remaining {
        fates[p as usize].push(Fate::PhragmenNotFunded {
            reason: stop_reason.clone(),
        });
    }
    selected
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::format::parse_str;
    use crate::rules::{Rule, run};

    #[test]
    fn phragmen_stops_when_the_cheapest_load_does_not_fit() {
        // Round 1: a (2 approvers, cost 60) reaches load 30, b 50, c 45: a is bought. Round 2: b's load 50 is lower
        // than c's (30 + 45 = 75) but b does not fit in the 40 left, so the rule stops.
        let text = "META\nkey;value\nbudget;100\nvote_type;approval\nPROJECTS\nproject_id;cost\na;60\nb;50\nc;45\nVOTES\nvoter_id;vote\n1;a\n2;a,c\n3;b\n";
        let profile = Profile::new(&parse_str(text).unwrap().election);
        let outcome = run(&profile, Rule::Phragmen).unwrap();
        let ids: Vec<&str> = outcome
            .selected
            .iter()
            .map(|&p| profile.ids[p as usize].as_str())
            .collect();
        assert_eq!(ids, ["a"]);
        assert!(outcome.explanation.to_text().contains("did not fit"));
    }
}
