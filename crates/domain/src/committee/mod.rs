//! Committees (domain §2, §7 workflows 2, 3 and 10): bodies with seats by sector and terms, recruitment by
//! an open call and a stratified lottery, meetings with quorum, motions and recorded votes.
//!
//! ```text
//! call:     draft ─open→ open ─close→ closed ─draw→ drawn ─publish→ published
//! meeting:  scheduled ─publish agenda→ agenda_published ─convene (quorum)→ convened ─open→ in_session
//!           ─adjourn→ adjourned ─draft minutes→ minutes_drafted ─approve→ minutes_approved ─publish→ published
//!           scheduled | agenda_published ─cancel (reason)→ cancelled
//! motion:   proposed ─debate→ debated ─open vote→ voting ─close (quorum, rule)→ carried | failed
//!           proposed | debated ─withdraw→ withdrawn
//! ```
//! The lottery itself is `maeul-sortition`; this module decides who may enter it and what a call, a
//! meeting, a motion and a vote may do next.

crate::named_enum! {
    /// The kinds of body the platform models.
    pub enum CommitteeKind: "committee kind", label "committee-kind-" {
        /// 구 민관협치위원회: public and civil members, co-chaired.
        DistrictGovernance = "district_governance",
        /// 주민자치회: residents drawn by lottery.
        ResidentCouncil = "resident_council",
        /// Participatory-budget committee.
        BudgetCommittee = "budget_committee",
        /// A citizens' assembly panel.
        CitizensAssembly = "citizens_assembly",
        /// 분과: a subcommittee of another committee.
        Subcommittee = "subcommittee",
    }
}

impl CommitteeKind {
    /// A subcommittee needs a parent committee; other kinds must not have one.
    pub fn needs_parent(self) -> bool {
        self == CommitteeKind::Subcommittee
    }
}

crate::named_enum! {
    /// The sector a seat belongs to.
    pub enum Sector: "sector", label "committee-sector-" {
        /// Officials and elected members (the gu mayor, council members).
        Public = "public",
        /// Residents and civil society.
        Civil = "civil",
        /// Experts.
        Expert = "expert",
    }
}

crate::named_enum! {
    /// A member's role on the committee.
    pub enum Position: "committee position", label "committee-position-" {
        Chair = "chair",
        CoChair = "co_chair",
        Member = "member",
    }
}

crate::named_enum! {
    /// How a member came to the seat.
    pub enum MemberSource: "member source", label "committee-source-" {
        Appointed = "appointed",
        Lottery = "lottery",
        Reserve = "reserve",
    }
}

crate::named_enum! {
    /// Where an application to a call is.
    pub enum ApplicationStatus: "application status", label "application-status-" {
        Applied = "applied",
        Eligible = "eligible",
        Ineligible = "ineligible",
        Selected = "selected",
        Reserve = "reserve",
        NotSelected = "not_selected",
    }
}

crate::named_enum! {
    /// A resident's registration for a public meeting.
    pub enum RegistrationStatus: "registration status", label "meeting-registration-" {
        Registered = "registered",
        Waiting = "waiting",
        Cancelled = "cancelled",
    }
}

mod call;
pub mod input;
mod meeting;
mod motion;
mod refusal;
mod seats;

pub use call::*;
pub use meeting::*;
pub use motion::*;
pub use refusal::*;
pub use seats::*;

#[cfg(test)]
mod tests;
