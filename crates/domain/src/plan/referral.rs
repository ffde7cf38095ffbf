//! Referral between levels ("autonomy first"): an item moves only along the tree's edges, by the level
//! that holds it, with a reason; the receiver accepts it or returns it to where it came from.

use super::{ItemPosition, PlanRefusal, require_reason};
use crate::scope::ScopeRef;

crate::named_enum! {
    /// Which way a referral goes.
    pub enum Direction: "referral direction", label "plan-direction-" {
        /// To the parent: beyond the level's authority or budget, or concerning several of its children.
        Up = "up",
        /// To a child: the lower level can decide it.
        Down = "down",
    }
}

crate::named_enum! {
    /// What became of a referral.
    pub enum ReferralOutcome: "referral outcome", label "plan-referral-" {
        Pending = "pending",
        Accepted = "accepted",
        Returned = "returned",
    }
}

/// Checks a referral of the item at `position` by the level `from` to `to`, and gives its direction.
/// Only the holder refers, only an open item without a pending referral, only to the parent or a child.
pub fn refer(
    position: &ItemPosition,
    from: &ScopeRef,
    to: &ScopeRef,
    reason: &str,
) -> Result<Direction, PlanRefusal> {
    if position.holder != from.id {
        return Err(PlanRefusal::NotHeld);
    }
    if position.referral_pending {
        return Err(PlanRefusal::ReferralPending);
    }
    if !position.state.is_open() {
        return Err(PlanRefusal::ItemClosed {
            state: position.state.label_id(),
        });
    }
    let direction = if from.ancestors.first() == Some(&to.id) {
        Direction::Up
    } else if to.ancestors.first() == Some(&from.id) {
        Direction::Down
    } else {
        return Err(PlanRefusal::NotAdjacent);
    };
    require_reason(reason)?;
    Ok(direction)
}

/// What the receiver answers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReferralAnswer {
    Accept,
    Return { reason: String },
}

/// Checks the receiver's answer to the pending referral to `receiver`, acted by the level `acting`, and
/// gives the outcome and the scope that holds the item afterwards (the receiver, or the sender again).
pub fn answer_referral(
    outcome: ReferralOutcome,
    sender: i64,
    receiver: i64,
    acting: i64,
    answer: &ReferralAnswer,
) -> Result<(ReferralOutcome, i64), PlanRefusal> {
    if outcome != ReferralOutcome::Pending {
        return Err(PlanRefusal::NoPendingReferral);
    }
    if acting != receiver {
        return Err(PlanRefusal::NotReceiver);
    }
    match answer {
        ReferralAnswer::Accept => Ok((ReferralOutcome::Accepted, receiver)),
        ReferralAnswer::Return { reason } => {
            require_reason(reason)?;
            Ok((ReferralOutcome::Returned, sender))
        }
    }
}
