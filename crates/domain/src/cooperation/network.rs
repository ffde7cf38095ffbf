//! The network's activity: events (forums, fairs, networking meetings), organizations recorded as
//! proposers or partners of other capabilities' objects, the feed of what the organizations do and which
//! of them count as active in the figures the evaluation reads.

use std::collections::BTreeSet;

use super::{CooperationRefusal, MemberRole};
use crate::object::ObjectKind;

crate::named_enum! {
    /// What kind of gathering a network event is.
    pub enum EventKind: "event kind", label "coop-event-" {
        /// A public forum (시민 포럼).
        Forum = "forum",
        /// A fair of the organizations (마을 박람회, 장터).
        Fair = "fair",
        /// A networking meeting of the organizations (네트워킹 모임).
        Networking = "networking",
    }
}

crate::named_enum! {
    /// In what capacity an organization takes part in another capability's object.
    pub enum LinkCapacity: "link capacity", label "coop-capacity-" {
        /// It submitted the object (a proposal written on its behalf).
        Proposer = "proposer",
        /// It works with the object's holders on it.
        Partner = "partner",
    }
}

crate::named_enum! {
    /// What the feed of a scope's network shows.
    pub enum ActivityKind: "network activity", label "coop-activity-" {
        Joined = "joined",
        BookingApproved = "booking_approved",
        EnrolmentCompleted = "enrolment_completed",
        GrantAwarded = "grant_awarded",
        Event = "event",
        Linked = "linked",
    }
}

/// The kinds of object an organization may be recorded on (proposals, agenda items, budget projects and
/// committee meetings).
pub const LINKABLE: [ObjectKind; 4] = [
    ObjectKind::Proposal,
    ObjectKind::AgendaItem,
    ObjectKind::BudgetProject,
    ObjectKind::CommitteeMeeting,
];

/// Whether a person with `role` in an organization (None: not a member) may act for it in the network
/// (record it as proposer or partner, announce its events): any member may.
pub fn may_act_for(role: Option<MemberRole>) -> Result<(), CooperationRefusal> {
    match role {
        Some(_) => Ok(()),
        None => Err(CooperationRefusal::NotAMember),
    }
}

/// Checks a link: the kind must be linkable, and an organization is a proposer only of a proposal (the
/// other objects have their own proposers; an organization joins them as a partner).
pub fn check_link(kind: ObjectKind, capacity: LinkCapacity) -> Result<(), CooperationRefusal> {
    if !LINKABLE.contains(&kind) {
        return Err(CooperationRefusal::NotLinkable);
    }
    if capacity == LinkCapacity::Proposer && kind != ObjectKind::Proposal {
        return Err(CooperationRefusal::ProposerOnlyOfProposals);
    }
    Ok(())
}

/// Checks an event's times: it ends after it starts, and lasts at most a week.
pub fn check_event(starts_at: i64, ends_at: i64) -> Result<(), CooperationRefusal> {
    if ends_at <= starts_at {
        return Err(CooperationRefusal::EndsBeforeStart);
    }
    if ends_at - starts_at > 7 * crate::time::DAY {
        return Err(CooperationRefusal::EventTooLong);
    }
    Ok(())
}

/// How far back an organization's activity makes it active (a year).
pub const ACTIVE_WINDOW: i64 = 365 * crate::time::DAY;

/// The organizations active at `now`: those with an activity (`(organization, at)`) within the last
/// [`ACTIVE_WINDOW`] (an event it announced for later counts too).
pub fn active_organizations(activity: &[(i64, i64)], now: i64) -> BTreeSet<i64> {
    activity
        .iter()
        .filter(|(_, at)| now - *at <= ACTIVE_WINDOW)
        .map(|(org, _)| *org)
        .collect()
}
