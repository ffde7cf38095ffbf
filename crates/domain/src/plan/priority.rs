//! The priority-setting forum: before adoption, a scope's verified residents approve the items under
//! deliberation they want first (one ballot per person and round, enforced by the database too); the result
//! is a ranked list.

use super::{ItemState, PlanRefusal};

/// An item as a ballot may name it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BallotItem {
    pub id: i64,
    pub holder: i64,
    pub state: ItemState,
}

/// Checks an approval ballot in the forum of `scope_id`: at least one item, each under deliberation and held
/// by the scope, none twice.
pub fn check_ballot(scope_id: i64, items: &[BallotItem]) -> Result<(), PlanRefusal> {
    if items.is_empty() {
        return Err(PlanRefusal::EmptyBallot);
    }
    for (i, item) in items.iter().enumerate() {
        if item.holder != scope_id
            || item.state != ItemState::UnderDeliberation
            || items[..i].iter().any(|o| o.id == item.id)
        {
            return Err(PlanRefusal::NotOnTheBallot);
        }
    }
    Ok(())
}

/// Ranks `(item, approvals)` by approvals, most first; equal counts share a rank (1, 2, 2, 4).
pub fn rank(mut counts: Vec<(i64, i64)>) -> Vec<(u32, i64, i64)> {
    counts.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let mut out: Vec<(u32, i64, i64)> = Vec::with_capacity(counts.len());
    for (i, (item, n)) in counts.into_iter().enumerate() {
        let rank = match out.last() {
            Some((r, _, last)) if *last == n => *r,
            _ => i as u32 + 1,
        };
        out.push((rank, item, n));
    }
    out
}
