//! Every refusal of the cooperation platform's rules, typed for the edge ([`crate::refusal::Explain`]).

use crate::refusal::{Arg, Explain, RefusalKind};

/// What the cooperation platform's rules refuse.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CooperationRefusal {
    #[error("only the organization's members edit it")]
    NotAMember,
    #[error("a registration number has the form 000-00-00000")]
    BadRegistrationNumber,
    #[error("an in-person check needs a note of who checked what")]
    CheckNoteRequired,
    #[error("the organization is already verified")]
    AlreadyVerified,
    #[error("already a member")]
    AlreadyMember,
    #[error("the last representative cannot leave")]
    LastRepresentative,
    #[error("a booking ends after it starts")]
    EndsBeforeStart,
    #[error("a booking lies within the opening hours")]
    OutsideOpeningHours,
    #[error("the slot overlaps an approved booking")]
    Overlaps,
    #[error("only the resource's owner decides on bookings")]
    NotTheOwner,
    #[error("the booking is {state} and cannot change so")]
    BookingClosed { state: &'static str },
    #[error("already enrolled")]
    AlreadyEnrolled,
    #[error("a completion rule attends at least one and at most every session")]
    BadCompletionRule,
    #[error("a reviewer cannot score an application of their own organization")]
    ConflictOfInterest,
    #[error("a score is between 0 and {max}")]
    ScoreOutOfRange { max: i64 },
    #[error("the call is not open")]
    CallNotOpen,
    #[error("the requested amount exceeds the call's budget")]
    AmountOverBudget,
    #[error("criteria weights must be positive")]
    BadWeights,
    #[error(
        "an organization is recorded only on proposals, agenda items, budget projects and meetings"
    )]
    NotLinkable,
    #[error("an organization is a proposer only of a proposal")]
    ProposerOnlyOfProposals,
    #[error("the organization is already recorded there")]
    AlreadyLinked,
    #[error("an event lasts at most a week")]
    EventTooLong,
    #[error("only the resource's owner edits it")]
    NotTheResourceOwner,
}

impl Explain for CooperationRefusal {
    fn code(&self) -> &'static str {
        use CooperationRefusal as R;
        match self {
            R::NotAMember => "not_a_member",
            R::BadRegistrationNumber => "bad_registration_number",
            R::CheckNoteRequired => "check_note_required",
            R::AlreadyVerified => "already_verified",
            R::AlreadyMember => "already_member",
            R::LastRepresentative => "last_representative",
            R::EndsBeforeStart => "ends_before_start",
            R::OutsideOpeningHours => "outside_opening_hours",
            R::Overlaps => "booking_overlaps",
            R::NotTheOwner => "not_the_owner",
            R::BookingClosed { .. } => "booking_closed",
            R::AlreadyEnrolled => "already_enrolled",
            R::BadCompletionRule => "bad_completion_rule",
            R::ConflictOfInterest => "conflict_of_interest",
            R::ScoreOutOfRange { .. } => "score_out_of_range",
            R::CallNotOpen => "call_not_open",
            R::AmountOverBudget => "amount_over_budget",
            R::BadWeights => "bad_weights",
            R::NotLinkable => "not_linkable",
            R::ProposerOnlyOfProposals => "proposer_only_of_proposals",
            R::AlreadyLinked => "already_linked",
            R::EventTooLong => "event_too_long",
            R::NotTheResourceOwner => "not_the_resource_owner",
        }
    }
    fn message_id(&self) -> &'static str {
        use CooperationRefusal as R;
        match self {
            R::NotAMember => "coop-refusal-not-a-member",
            R::BadRegistrationNumber => "coop-refusal-bad-registration-number",
            R::CheckNoteRequired => "coop-refusal-check-note-required",
            R::AlreadyVerified => "coop-refusal-already-verified",
            R::AlreadyMember => "coop-refusal-already-member",
            R::LastRepresentative => "coop-refusal-last-representative",
            R::EndsBeforeStart => "coop-refusal-ends-before-start",
            R::OutsideOpeningHours => "coop-refusal-outside-opening-hours",
            R::Overlaps => "coop-refusal-overlaps",
            R::NotTheOwner => "coop-refusal-not-the-owner",
            R::BookingClosed { .. } => "coop-refusal-booking-closed",
            R::AlreadyEnrolled => "coop-refusal-already-enrolled",
            R::BadCompletionRule => "coop-refusal-bad-completion-rule",
            R::ConflictOfInterest => "coop-refusal-conflict-of-interest",
            R::ScoreOutOfRange { .. } => "coop-refusal-score-out-of-range",
            R::CallNotOpen => "coop-refusal-call-not-open",
            R::AmountOverBudget => "coop-refusal-amount-over-budget",
            R::BadWeights => "coop-refusal-bad-weights",
            R::NotLinkable => "coop-refusal-not-linkable",
            R::ProposerOnlyOfProposals => "coop-refusal-proposer-only-of-proposals",
            R::AlreadyLinked => "coop-refusal-already-linked",
            R::EventTooLong => "coop-refusal-event-too-long",
            R::NotTheResourceOwner => "coop-refusal-not-the-resource-owner",
        }
    }
    fn args(&self) -> Vec<(&'static str, Arg)> {
        match self {
            CooperationRefusal::BookingClosed { state } => vec![("state", Arg::Message(state))],
            CooperationRefusal::ScoreOutOfRange { max } => vec![("max", Arg::Int(*max))],
            _ => vec![],
        }
    }
    fn kind(&self) -> RefusalKind {
        use CooperationRefusal as R;
        match self {
            R::NotAMember | R::NotTheOwner | R::ConflictOfInterest | R::NotTheResourceOwner => {
                RefusalKind::Forbidden
            }
            R::BadRegistrationNumber
            | R::CheckNoteRequired
            | R::EndsBeforeStart
            | R::OutsideOpeningHours
            | R::BadCompletionRule
            | R::ScoreOutOfRange { .. }
            | R::AmountOverBudget
            | R::BadWeights
            | R::NotLinkable
            | R::ProposerOnlyOfProposals
            | R::EventTooLong => RefusalKind::Invalid,
            _ => RefusalKind::Conflict,
        }
    }
}
