//! Agenda items (의제): their lifecycle.

use super::PlanRefusal;

crate::named_enum! {
    /// Where an agenda item is in its lifecycle.
    pub enum ItemState: "agenda item state", label "plan-item-state-" {
        Proposed = "proposed",
        /// Screened by support staff and accepted for deliberation.
        Accepted = "accepted",
        UnderDeliberation = "under_deliberation",
        Prioritised = "prioritised",
        Adopted = "adopted",
        Rejected = "rejected",
        Declined = "declined",
        Merged = "merged",
    }
}

impl ItemState {
    /// Still moving: it may be referred, screened, deliberated or merged.
    pub fn is_open(self) -> bool {
        matches!(
            self,
            ItemState::Proposed
                | ItemState::Accepted
                | ItemState::UnderDeliberation
                | ItemState::Prioritised
        )
    }
}

crate::named_enum! {
    /// Who brought an item.
    pub enum ProposerKind: "agenda item proposer", label "plan-proposer-" {
        Resident = "resident",
        ResidentCouncil = "resident_council",
        CommitteeMember = "committee_member",
        Staff = "staff",
        /// Promoted from a public-sphere proposal (the link is kept both ways).
        Proposal = "proposal",
    }
}

/// What may happen to an item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ItemEvent {
    /// Screening: accepted for deliberation.
    Accept,
    /// Screening: declined, with a reason.
    Decline { reason: String },
    /// Merged into another (open) item.
    Merge { into: i64, item: i64 },
    /// Opened for deliberation (forum, subcommittee, working group).
    Deliberate,
    /// Given a priority after the forum.
    Prioritise,
    /// Adopted by a motion: it must be carried, and of the committee of the scope that holds the item.
    Adopt { motion: MotionCheck },
    /// Rejected after deliberation, with a reason.
    Reject { reason: String },
}

impl ItemEvent {
    /// The Fluent id naming the event in refusals.
    pub fn message_id(&self) -> &'static str {
        match self {
            ItemEvent::Accept => "plan-item-event-accept",
            ItemEvent::Decline { .. } => "plan-item-event-decline",
            ItemEvent::Merge { .. } => "plan-item-event-merge",
            ItemEvent::Deliberate => "plan-item-event-deliberate",
            ItemEvent::Prioritise => "plan-item-event-prioritise",
            ItemEvent::Adopt { .. } => "plan-item-event-adopt",
            ItemEvent::Reject { .. } => "plan-item-event-reject",
        }
    }
}

/// What the rules need to know of a motion offered as the decision adopting an item or resolving a plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MotionCheck {
    /// The motion was carried.
    pub carried: bool,
    /// The scope of the committee whose meeting decided the motion.
    pub committee_scope_id: i64,
}

/// Checks that `motion` decides for the scope `holder`: carried, by that scope's committee.
pub fn require_motion(motion: &MotionCheck, holder: i64) -> Result<(), PlanRefusal> {
    if motion.committee_scope_id != holder {
        Err(PlanRefusal::MotionOfAnotherScope)
    } else if !motion.carried {
        Err(PlanRefusal::MotionNotCarried)
    } else {
        Ok(())
    }
}

/// Where an item stands, as the rules need it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ItemPosition {
    pub state: ItemState,
    /// The scope that holds the item now (the only level that acts on it).
    pub holder: i64,
    /// A referral is waiting for its receiver's answer.
    pub referral_pending: bool,
}

/// Applies `event`, acted by the level `acting`, to an item at `position`.
pub fn apply_item(
    position: &ItemPosition,
    acting: i64,
    event: &ItemEvent,
) -> Result<ItemState, PlanRefusal> {
    use ItemEvent as E;
    use ItemState as S;
    if position.holder != acting {
        return Err(PlanRefusal::NotHeld);
    }
    if position.referral_pending {
        return Err(PlanRefusal::ReferralPending);
    }
    let not_allowed = || PlanRefusal::NotAllowed {
        state: position.state.label_id(),
        event: event.message_id(),
    };
    match (position.state, event) {
        (S::Proposed, E::Accept) => Ok(S::Accepted),
        (S::Proposed, E::Decline { reason }) => {
            require_reason(reason)?;
            Ok(S::Declined)
        }
        (S::Accepted, E::Deliberate) => Ok(S::UnderDeliberation),
        (S::UnderDeliberation, E::Prioritise) => Ok(S::Prioritised),
        (S::Prioritised, E::Adopt { motion }) => {
            require_motion(motion, position.holder)?;
            Ok(S::Adopted)
        }
        (S::UnderDeliberation | S::Prioritised, E::Reject { reason }) => {
            require_reason(reason)?;
            Ok(S::Rejected)
        }
        (state, E::Merge { into, item }) if state.is_open() => {
            if into == item {
                Err(PlanRefusal::MergeIntoItself)
            } else {
                Ok(S::Merged)
            }
        }
        _ => Err(not_allowed()),
    }
}

/// A reason must say something.
pub fn require_reason(reason: &str) -> Result<(), PlanRefusal> {
    if reason.trim().is_empty() {
        Err(PlanRefusal::ReasonRequired)
    } else {
        Ok(())
    }
}

crate::named_enum! {
    /// What happened to an item, as its followers hear of it: a transition of its state, a referral, or
    /// the answer to a referral.
    pub enum ItemChange: "agenda item change", label "plan-item-change-" {
        /// Screened and accepted for deliberation.
        Accepted = "accepted",
        /// Screened and declined.
        Declined = "declined",
        Merged = "merged",
        UnderDeliberation = "under_deliberation",
        Prioritised = "prioritised",
        Adopted = "adopted",
        Rejected = "rejected",
        /// Referred to the parent level.
        ReferredUp = "referred_up",
        /// Referred to a child level.
        ReferredDown = "referred_down",
        /// The receiving level accepted the referral (it holds the item now).
        ReferralAccepted = "referral_accepted",
        /// The receiving level returned the item to the sender.
        ReferralReturned = "referral_returned",
    }
}

impl ItemChange {
    /// The change a transition to `state` is (none for `proposed`, which no transition reaches).
    pub fn of_state(state: ItemState) -> Option<ItemChange> {
        match state {
            ItemState::Proposed => None,
            ItemState::Accepted => Some(ItemChange::Accepted),
            ItemState::Declined => Some(ItemChange::Declined),
            ItemState::Merged => Some(ItemChange::Merged),
            ItemState::UnderDeliberation => Some(ItemChange::UnderDeliberation),
            ItemState::Prioritised => Some(ItemChange::Prioritised),
            ItemState::Adopted => Some(ItemChange::Adopted),
            ItemState::Rejected => Some(ItemChange::Rejected),
        }
    }

    /// The change a referral in `direction` is.
    pub fn of_referral(direction: super::Direction) -> ItemChange {
        match direction {
            super::Direction::Up => ItemChange::ReferredUp,
            super::Direction::Down => ItemChange::ReferredDown,
        }
    }

    /// The change an answer to a referral is (none while it is pending).
    pub fn of_answer(outcome: super::ReferralOutcome) -> Option<ItemChange> {
        match outcome {
            super::ReferralOutcome::Pending => None,
            super::ReferralOutcome::Accepted => Some(ItemChange::ReferralAccepted),
            super::ReferralOutcome::Returned => Some(ItemChange::ReferralReturned),
        }
    }
}
