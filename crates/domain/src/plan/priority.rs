//! The priority-setting forum: before adoption, a scope's verified residents approve the items under
//! deliberation they want first, or spread a number of points among them (cumulative voting), as the
//! scope's staff configured the vote; one ballot per person and round, enforced by the database too. The
//! result is a ranked list by approvals, or by points summed.

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

crate::named_enum! {
    /// How a priority vote is cast.
    pub enum PriorityMethod: "priority vote method", label "plan-priority-method-" {
        /// Approve any number of items (one point each).
        Approval = "approval",
        /// Spread a number of points among the items, several on one item if one wishes.
        Points = "points",
    }
}

/// The fewest and most points a points vote may give each voter to spread.
pub const POINTS_MIN: u32 = 2;
pub const POINTS_MAX: u32 = 100;

/// How a scope's priority vote of a year is cast.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PriorityVote {
    pub method: PriorityMethod,
    /// The points each voter spreads (0 for an approval vote).
    pub points: u32,
}

impl Default for PriorityVote {
    /// A vote nobody configured is an approval vote.
    fn default() -> Self {
        PriorityVote {
            method: PriorityMethod::Approval,
            points: 0,
        }
    }
}

/// Checks a vote's configuration: a points vote gives between [`POINTS_MIN`] and [`POINTS_MAX`] points;
/// an approval vote none. It cannot change once a ballot is cast.
pub fn check_vote_config(vote: &PriorityVote, ballots_cast: i64) -> Result<(), PlanRefusal> {
    if ballots_cast > 0 {
        return Err(PlanRefusal::VoteUnderWay);
    }
    match vote.method {
        PriorityMethod::Approval if vote.points == 0 => Ok(()),
        PriorityMethod::Points if (POINTS_MIN..=POINTS_MAX).contains(&vote.points) => Ok(()),
        _ => Err(PlanRefusal::BadPointsBudget {
            min: POINTS_MIN,
            max: POINTS_MAX,
        }),
    }
}

/// Checks a points ballot of `vote` in the forum of `scope_id`: items on the ballot (as
/// [`check_ballot`]), each given at least one point, at most the vote's points in all. Approval ballots
/// give each item one point.
pub fn check_points_ballot(
    scope_id: i64,
    vote: &PriorityVote,
    marks: &[(BallotItem, u32)],
) -> Result<(), PlanRefusal> {
    let items: Vec<BallotItem> = marks.iter().map(|(item, _)| *item).collect();
    check_ballot(scope_id, &items)?;
    match vote.method {
        PriorityMethod::Approval if marks.iter().all(|(_, p)| *p == 1) => Ok(()),
        PriorityMethod::Approval => Err(PlanRefusal::NotOnTheBallot),
        PriorityMethod::Points => {
            let total: u64 = marks.iter().map(|(_, p)| u64::from(*p)).sum();
            if marks.iter().any(|(_, p)| *p == 0) {
                Err(PlanRefusal::EmptyBallot)
            } else if total > u64::from(vote.points) {
                Err(PlanRefusal::TooManyPoints {
                    points: vote.points,
                })
            } else {
                Ok(())
            }
        }
    }
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
