//! Every refusal of the plan's rules, typed for the edge ([`crate::refusal::Explain`]).

use crate::refusal::{Arg, Explain, RefusalKind};

/// What the innovation plan's rules refuse.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PlanRefusal {
    /// `state` and `event` are the Fluent ids of the current state's label and of the attempted event.
    #[error("{state} cannot {event}")]
    NotAllowed {
        state: &'static str,
        event: &'static str,
    },
    #[error("a reason is required")]
    ReasonRequired,
    #[error("a comment is required")]
    CommentRequired,
    #[error("only the level that holds the item acts on it")]
    NotHeld,
    #[error("the item waits for the answer to its referral")]
    ReferralPending,
    #[error("the item has no referral waiting for an answer")]
    NoPendingReferral,
    #[error("only the level the item was referred to answers the referral")]
    NotReceiver,
    #[error("an item is referred only to the parent scope or to a child scope")]
    NotAdjacent,
    #[error("the item is {state} and no longer moves")]
    ItemClosed { state: &'static str },
    #[error("an item cannot be merged into itself")]
    MergeIntoItself,
    #[error("the item it is merged into must be open and held by the same level")]
    BadMergeTarget,
    #[error("the motion was not carried")]
    MotionNotCarried,
    #[error("the motion is not of the committee of the holding scope")]
    MotionOfAnotherScope,
    #[error("the plan must be resolved by its committee before submission")]
    NotResolved,
    #[error("an amount cannot be negative")]
    NegativeAmount,
    #[error("the year is out of range")]
    BadYear,
    #[error("only adopted items held by the plan's scope become projects")]
    ItemNotAdopted,
    #[error("the plan cannot be edited now")]
    PlanNotEditable,
    #[error("plans are kept by districts and neighbourhoods")]
    NoPlanAtThisLevel,
    #[error("a ballot approves at least one item")]
    EmptyBallot,
    #[error("only items under deliberation held by the scope are on the ballot")]
    NotOnTheBallot,
    #[error("one ballot per person")]
    AlreadyVoted,
    #[error("a ballot spreads at most {points} points")]
    TooManyPoints { points: u32 },
    #[error("a points vote gives between {min} and {max} points")]
    BadPointsBudget { min: u32, max: u32 },
    #[error("the vote's method is fixed once a ballot is cast")]
    VoteUnderWay,
    #[error("only the working group's members post its updates")]
    NotAGroupMember,
    #[error("the assembly's agenda has no item")]
    EmptyAgenda,
    #[error("the assembly's agenda is fixed")]
    AgendaFixed,
    #[error("the item has not been screened")]
    NotScreened,
    #[error("the assembly is not linked to a plan")]
    NoPlanLinked,
    #[error("the assembly is not in session")]
    NotInSession,
    #[error("only verified residents of the neighbourhood vote")]
    NotAResident,
    #[error("voting is not open for this channel")]
    VotingClosed,
    #[error("on-site votes are cast by residents present")]
    NotPresent,
    #[error("only the assembly's agenda items are voted on, once each")]
    NotOnTheAgenda,
    #[error("a preference order numbers the items from 1, once each")]
    BadPreferenceOrder,
    #[error("no account with this e-mail address")]
    UnknownVoter,
}

impl Explain for PlanRefusal {
    fn code(&self) -> &'static str {
        use PlanRefusal as R;
        match self {
            R::NotAllowed { .. } => "transition_not_allowed",
            R::ReasonRequired => "reason_required",
            R::CommentRequired => "comment_required",
            R::NotHeld => "item_not_held",
            R::ReferralPending => "referral_pending",
            R::NoPendingReferral => "no_pending_referral",
            R::NotReceiver => "not_receiver",
            R::NotAdjacent => "not_adjacent",
            R::ItemClosed { .. } => "item_closed",
            R::MergeIntoItself => "merge_into_itself",
            R::BadMergeTarget => "bad_merge_target",
            R::MotionNotCarried => "motion_not_carried",
            R::MotionOfAnotherScope => "motion_of_another_scope",
            R::NotResolved => "plan_not_resolved",
            R::NegativeAmount => "negative_amount",
            R::BadYear => "bad_year",
            R::ItemNotAdopted => "item_not_adopted",
            R::PlanNotEditable => "plan_not_editable",
            R::NoPlanAtThisLevel => "no_plan_at_this_level",
            R::EmptyBallot => "empty_ballot",
            R::NotOnTheBallot => "not_on_the_ballot",
            R::AlreadyVoted => "already_voted",
            R::TooManyPoints { .. } => "too_many_points",
            R::BadPointsBudget { .. } => "bad_points_budget",
            R::VoteUnderWay => "vote_under_way",
            R::NotAGroupMember => "not_a_group_member",
            R::EmptyAgenda => "empty_agenda",
            R::AgendaFixed => "agenda_fixed",
            R::NotScreened => "item_not_screened",
            R::NoPlanLinked => "no_plan_linked",
            R::NotInSession => "not_in_session",
            R::NotAResident => "not_a_resident",
            R::VotingClosed => "voting_closed",
            R::NotPresent => "not_present",
            R::NotOnTheAgenda => "not_on_the_agenda",
            R::BadPreferenceOrder => "bad_preference_order",
            R::UnknownVoter => "unknown_voter",
        }
    }
    fn message_id(&self) -> &'static str {
        use PlanRefusal as R;
        match self {
            R::NotAllowed { .. } => "refusal-transition-not-allowed",
            R::ReasonRequired => "refusal-reason-required",
            R::CommentRequired => "plan-refusal-comment-required",
            R::NotHeld => "plan-refusal-not-held",
            R::ReferralPending => "plan-refusal-referral-pending",
            R::NoPendingReferral => "plan-refusal-no-pending-referral",
            R::NotReceiver => "plan-refusal-not-receiver",
            R::NotAdjacent => "plan-refusal-not-adjacent",
            R::ItemClosed { .. } => "plan-refusal-item-closed",
            R::MergeIntoItself => "plan-refusal-merge-into-itself",
            R::BadMergeTarget => "plan-refusal-bad-merge-target",
            R::MotionNotCarried => "plan-refusal-motion-not-carried",
            R::MotionOfAnotherScope => "plan-refusal-motion-of-another-scope",
            R::NotResolved => "plan-refusal-not-resolved",
            R::NegativeAmount => "plan-refusal-negative-amount",
            R::BadYear => "plan-refusal-bad-year",
            R::ItemNotAdopted => "plan-refusal-item-not-adopted",
            R::PlanNotEditable => "plan-refusal-not-editable",
            R::NoPlanAtThisLevel => "plan-refusal-no-plan-here",
            R::EmptyBallot => "plan-refusal-empty-ballot",
            R::NotOnTheBallot => "plan-refusal-not-on-the-ballot",
            R::AlreadyVoted => "plan-refusal-already-voted",
            R::TooManyPoints { .. } => "plan-refusal-too-many-points",
            R::BadPointsBudget { .. } => "plan-refusal-bad-points-budget",
            R::VoteUnderWay => "plan-refusal-vote-under-way",
            R::NotAGroupMember => "plan-refusal-not-a-group-member",
            R::EmptyAgenda => "plan-refusal-empty-agenda",
            R::AgendaFixed => "plan-refusal-agenda-fixed",
            R::NotScreened => "plan-refusal-not-screened",
            R::NoPlanLinked => "plan-refusal-no-plan-linked",
            R::NotInSession => "plan-refusal-not-in-session",
            R::NotAResident => "plan-refusal-not-a-resident",
            R::VotingClosed => "plan-refusal-voting-closed",
            R::NotPresent => "plan-refusal-not-present",
            R::NotOnTheAgenda => "plan-refusal-not-on-the-agenda",
            R::BadPreferenceOrder => "plan-refusal-bad-preference-order",
            R::UnknownVoter => "plan-refusal-unknown-voter",
        }
    }
    fn args(&self) -> Vec<(&'static str, Arg)> {
        match self {
            PlanRefusal::NotAllowed { state, event } => vec![
                ("state", Arg::Message(state)),
                ("event", Arg::Message(event)),
            ],
            PlanRefusal::ItemClosed { state } => vec![("state", Arg::Message(state))],
            PlanRefusal::TooManyPoints { points } => vec![("points", Arg::Int(i64::from(*points)))],
            PlanRefusal::BadPointsBudget { min, max } => vec![
                ("min", Arg::Int(i64::from(*min))),
                ("max", Arg::Int(i64::from(*max))),
            ],
            _ => vec![],
        }
    }
    fn kind(&self) -> RefusalKind {
        use PlanRefusal as R;
        match self {
            R::ReasonRequired
            | R::CommentRequired
            | R::NotAdjacent
            | R::MergeIntoItself
            | R::BadMergeTarget
            | R::MotionNotCarried
            | R::MotionOfAnotherScope
            | R::NegativeAmount
            | R::BadYear
            | R::ItemNotAdopted
            | R::EmptyBallot
            | R::NotOnTheBallot
            | R::TooManyPoints { .. }
            | R::BadPointsBudget { .. }
            | R::EmptyAgenda
            | R::NotScreened
            | R::NotAResident
            | R::NotOnTheAgenda
            | R::BadPreferenceOrder
            | R::UnknownVoter => RefusalKind::Invalid,
            R::NotAGroupMember => RefusalKind::Forbidden,
            _ => RefusalKind::Conflict,
        }
    }
}
