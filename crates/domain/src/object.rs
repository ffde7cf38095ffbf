//! References between the platform's objects across areas: a forum attaches to an agenda item, a budget
//! project comes from a proposal, a tracked project from a budget winner or a plan project, and the trace
//! (evaluation) walks these references from a resident's proposal to the outcome it reached.
//! Stored as two columns (`<name>_kind TEXT`, `<name>_id BIGINT`); each area names its own objects here.

crate::named_enum! {
    /// The kinds of object another area may refer to.
    pub enum ObjectKind: "object kind", label "object-kind-" {
        Proposal = "proposal",
        Debate = "debate",
        Comment = "comment",
        Committee = "committee",
        CommitteeMeeting = "committee_meeting",
        Motion = "motion",
        AgendaItem = "agenda_item",
        Plan = "plan",
        PlanProject = "plan_project",
        BudgetCycle = "budget_cycle",
        BudgetProcess = "budget_process",
        BudgetProject = "budget_project",
        Conversation = "conversation",
        TrackedProject = "tracked_project",
        Indicator = "indicator",
        Evaluation = "evaluation",
        Survey = "survey",
        Organization = "organization",
        GrantCall = "grant_call",
        GrantApplication = "grant_application",
        Program = "program",
    }
}

/// One object of the platform.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ObjectRef {
    pub kind: ObjectKind,
    pub id: i64,
}

impl ObjectRef {
    pub fn new(kind: ObjectKind, id: i64) -> ObjectRef {
        ObjectRef { kind, id }
    }
}
