//! Citizen schools: programs with sessions, enrolment with a capacity and a waiting list, attendance,
//! and the completion rule (attend N of M sessions) that makes a certificate and training hours.

use super::CooperationRefusal;

crate::named_enum! {
    /// What a program teaches.
    pub enum ProgramKind: "program kind", label "coop-program-" {
        GovernanceSchool = "governance_school",
        BudgetSchool = "budget_school",
        FacilitatorTraining = "facilitator_training",
        ActivistCourse = "activist_course",
    }
}

crate::named_enum! {
    /// Where an enrolment stands.
    pub enum EnrolmentState: "enrolment state", label "coop-enrolment-" {
        Enrolled = "enrolled",
        Waiting = "waiting",
        Completed = "completed",
        Withdrawn = "withdrawn",
    }
}

/// Checks a completion rule: attend `required` of `sessions` (1 ≤ required ≤ sessions).
pub fn check_completion_rule(required: i64, sessions: i64) -> Result<(), CooperationRefusal> {
    if required < 1 || (sessions > 0 && required > sessions) {
        Err(CooperationRefusal::BadCompletionRule)
    } else {
        Ok(())
    }
}

/// Where a new enrolment goes: a seat while fewer than `capacity` are enrolled (0: no limit), else the
/// waiting list.
pub fn place(enrolled: i64, capacity: i64) -> EnrolmentState {
    if capacity == 0 || enrolled < capacity {
        EnrolmentState::Enrolled
    } else {
        EnrolmentState::Waiting
    }
}

/// Whether an enrolled person who attended `attended` sessions has completed a program that requires
/// `required`.
pub fn completes(state: EnrolmentState, attended: i64, required: i64) -> bool {
    state == EnrolmentState::Enrolled && required > 0 && attended >= required
}
