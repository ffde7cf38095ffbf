//! The platform for citizen cooperation (시민협력플랫폼, issue 17): the district's civil-society network —
//! organizations with members and a staff verification, shared spaces and equipment booked without
//! overlaps, citizen schools whose completed hours count as training hours, and small grants scored by
//! reviewers without conflicts of interest and awarded within the budget.
//!
//! ```text
//! organization: unverified ─verify (registration number | in-person check, by staff)→ verified
//! booking:      pending ─approve (owner; no approved booking overlaps)→ approved
//!               pending ─decline (owner)→ declined;  pending | approved ─cancel (requester or owner)→ cancelled
//! enrolment:    enrol → enrolled (seat free) | waiting (full) ─seat freed→ enrolled ─attend N of M→ completed
//! grant:        applications scored per weighted criterion by reviewers who are not members of the applicant
//!               → ranked by mean weighted score → awarded in rank order while the budget lasts
//! ```

mod booking;
mod grants;
mod network;
mod organization;
mod refusal;
mod school;

pub use booking::*;
pub use grants::*;
pub use network::*;
pub use organization::*;
pub use refusal::*;
pub use school::*;

#[cfg(test)]
mod tests;
