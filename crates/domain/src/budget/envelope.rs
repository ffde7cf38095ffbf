//! Envelopes: how a parent scope's budget is handed down to its children.
//!
//! The parent keeps `own_permille` ‰ of its amount for its own (city-wide, district-wide) projects; the rest
//! is split among its children by weighted terms: an equal base, the population share, a need index and the
//! last evaluation grade. The split is done in integer won in two exact steps, each by largest remainder:
//! the distributed amount is divided among the terms in proportion to their weights, then each term's pot
//! among the children in proportion to their values for that term (1 each for the equal base). A child's
//! envelope is the sum of its term amounts, so every term's value is shown as money, and the children's
//! envelopes plus the parent's own part always add up to exactly the parent's amount.

use super::BudgetRefusal;

crate::named_enum! {
    /// A term of the envelope formula.
    pub enum Term: "envelope term", label "budget-term-" {
        Base = "base",
        Population = "population",
        Need = "need",
        Grade = "grade",
    }
}

/// The formula a city or district configures for its children: weights of each term (any non-negative
/// integers; only their proportions matter) and the part the parent keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Formula {
    /// Thousandths of the parent's amount kept for its own projects (0..=1000).
    pub own_permille: u32,
    pub base: u32,
    pub population: u32,
    pub need: u32,
    pub grade: u32,
}

impl Formula {
    /// Seoul-like defaults: 20 % kept, the rest 40 % equal, 30 % population, 20 % need, 10 % grade.
    pub const DEFAULT: Formula = Formula {
        own_permille: 200,
        base: 40,
        population: 30,
        need: 20,
        grade: 10,
    };

    /// The weight of a term.
    pub fn weight(&self, term: Term) -> u32 {
        match term {
            Term::Base => self.base,
            Term::Population => self.population,
            Term::Need => self.need,
            Term::Grade => self.grade,
        }
    }

    /// A formula is usable when the parent keeps at most everything and some term has a weight.
    pub fn check(&self) -> Result<(), BudgetRefusal> {
        if self.own_permille > 1000 {
            return Err(BudgetRefusal::OwnShareTooLarge {
                permille: self.own_permille,
            });
        }
        if Term::ALL.iter().all(|t| self.weight(*t) == 0) {
            return Err(BudgetRefusal::NoWeights);
        }
        Ok(())
    }
}

/// What the formula reads about one child scope.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChildFigures {
    pub scope_id: i64,
    pub population: u64,
    /// Need index (a number per scope, larger = more need).
    pub need: u64,
    /// Last evaluation grade (a number per scope, larger = better).
    pub grade: u64,
}

impl ChildFigures {
    fn value(&self, term: Term) -> u64 {
        match term {
            Term::Base => 1,
            Term::Population => self.population,
            Term::Need => self.need,
            Term::Grade => self.grade,
        }
    }
}

/// One child's envelope and what each term contributed to it (in won; they sum to `amount`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Share {
    pub scope_id: i64,
    pub amount: u64,
    pub terms: [(Term, u64); 4],
}

/// The split of a parent's amount: what it keeps and each child's share, in the children's order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Split {
    pub own: u64,
    pub children: Vec<Share>,
}

/// Divides `total` into integer parts proportional to `weights` (largest remainder; ties go to the earlier
/// part). The parts sum exactly to `total`. All weights zero → `None`.
pub fn apportion(total: u64, weights: &[u64]) -> Option<Vec<u64>> {
    let sum: u128 = weights.iter().map(|w| u128::from(*w)).sum();
    if sum == 0 {
        return None;
    }
    let total = u128::from(total);
    let mut parts = Vec::with_capacity(weights.len());
    let mut remainders = Vec::with_capacity(weights.len());
    let mut given: u128 = 0;
    for (i, w) in weights.iter().enumerate() {
        let exact = total * u128::from(*w);
        let part = exact / sum;
        given += part;
        parts.push(part as u64);
        remainders.push((exact % sum, i));
    }
    // Largest remainder first; equal remainders in order of the parts.
    remainders.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    let left = (total - given) as usize;
    for (_, i) in remainders.into_iter().take(left) {
        parts[i] += 1;
    }
    Some(parts)
}

/// Splits `amount` by `formula` among `children`. Refused when the formula is unusable, there are no
/// children, or a weighted term has no value in any child (its money could not go anywhere).
pub fn split(
    amount: u64,
    formula: &Formula,
    children: &[ChildFigures],
) -> Result<Split, BudgetRefusal> {
    formula.check()?;
    if children.is_empty() {
        return Err(BudgetRefusal::NoChildren);
    }
    let own = (u128::from(amount) * u128::from(formula.own_permille) / 1000) as u64;
    let handed_down = amount - own;
    let weights: Vec<u64> = Term::ALL
        .iter()
        .map(|t| u64::from(formula.weight(*t)))
        .collect();
    let pots = apportion(handed_down, &weights).ok_or(BudgetRefusal::NoWeights)?;
    let mut shares: Vec<Share> = children
        .iter()
        .map(|c| Share {
            scope_id: c.scope_id,
            amount: 0,
            terms: [
                (Term::Base, 0),
                (Term::Population, 0),
                (Term::Need, 0),
                (Term::Grade, 0),
            ],
        })
        .collect();
    for (t, term) in Term::ALL.iter().enumerate() {
        if weights[t] == 0 {
            continue;
        }
        let values: Vec<u64> = children.iter().map(|c| c.value(*term)).collect();
        let parts =
            apportion(pots[t], &values).ok_or(BudgetRefusal::TermWithoutValues { term: *term })?;
        for (share, part) in shares.iter_mut().zip(parts) {
            share.terms[t].1 = part;
            share.amount += part;
        }
    }
    Ok(Split {
        own,
        children: shares,
    })
}
