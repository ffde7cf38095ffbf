//! Who may do what, where. Roles are granted per scope and reach downward: authority held in a district
//! covers its neighbourhoods, never a sibling district. Residents are the one upward case: a verified
//! resident of a neighbourhood takes part in that neighbourhood, its district and the city.

use crate::scope::ScopeRef;

crate::named_enum! {
    /// A role a person can hold in a scope.
    pub enum Role: "role", label "role-" {
        Resident = "resident",
        CommitteeMember = "committee_member",
        Official = "official",
        SupportStaff = "support_staff",
        Evaluator = "evaluator",
        Moderator = "moderator",
        Administrator = "administrator",
    }
}

/// A role held in one scope (and, by inheritance, every scope below it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Grant {
    pub role: Role,
    pub scope_id: i64,
}

/// Everything the server may be asked to do that needs more than an anonymous visitor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    /// Take part as a resident (support, vote, apply) in the target scope.
    ParticipateAsResident,
    /// Verify or reject a declared residence in the target neighbourhood.
    VerifyResidency,
    /// Import a resident-register file for the target scope.
    ImportResidentRegister,
    /// Grant or revoke roles in the target scope.
    ManageRoles,
    /// Read the platform's outgoing mail (the local outbox).
    ReadOutbox,
    /// Hide, restore or block in the target scope.
    Moderate,
    /// Run committees, calls, draws and meetings in the target scope.
    RunCommittees,
    /// Sit and vote on a committee of the target scope.
    ActAsCommitteeMember,
    /// Give a department's official answer in the target scope.
    AnswerOfficially,
    /// Score projects and outcomes in the target scope.
    Evaluate,
    /// Configure budget envelopes and processes, and move processes between phases, in the target scope.
    ManageBudget,
    /// Review budget projects (feasibility, cost) for the target scope.
    ReviewBudgetProjects,
    /// Screen, refer, accept, return and adopt agenda items, and draft the yearly plan, of the target scope.
    ManageAgenda,
    /// Consult on, request adjustments to and approve the yearly plans submitted to the target scope.
    ConsultPlans,
    /// Run the scope's platform for citizen cooperation: verify organizations, keep its consortium, run
    /// its schools (attendance) and its small-grants calls.
    RunCooperation,
}

impl Action {
    pub const ALL: [Action; 15] = [
        Action::ParticipateAsResident,
        Action::VerifyResidency,
        Action::ImportResidentRegister,
        Action::ManageRoles,
        Action::ReadOutbox,
        Action::Moderate,
        Action::RunCommittees,
        Action::ActAsCommitteeMember,
        Action::AnswerOfficially,
        Action::Evaluate,
        Action::ManageBudget,
        Action::ReviewBudgetProjects,
        Action::ManageAgenda,
        Action::ConsultPlans,
        Action::RunCooperation,
    ];

    /// The roles whose grants (in the target scope or above) allow this action.
    /// Administrators deliberately do not evaluate, answer for a department or sit on committees:
    /// those are personal responsibilities, not technical powers.
    pub fn roles(self) -> &'static [Role] {
        use Role::*;
        match self {
            Action::ParticipateAsResident => &[Resident],
            Action::VerifyResidency => &[Official, Administrator],
            Action::ImportResidentRegister => &[Official, Administrator],
            Action::ManageRoles => &[Administrator],
            Action::ReadOutbox => &[Administrator],
            Action::Moderate => &[Moderator, Administrator],
            Action::RunCommittees => &[SupportStaff, Official, Administrator],
            Action::ActAsCommitteeMember => &[CommitteeMember],
            Action::AnswerOfficially => &[Official],
            Action::Evaluate => &[Evaluator],
            Action::ManageBudget => &[SupportStaff, Official, Administrator],
            Action::ReviewBudgetProjects => &[Official],
            Action::ManageAgenda => &[SupportStaff, Official, Administrator],
            Action::ConsultPlans => &[Official],
            Action::RunCooperation => &[SupportStaff, Official, Administrator],
        }
    }
}

/// A signed-in person as the rules see them.
#[derive(Debug, Clone, Default)]
pub struct Actor {
    pub grants: Vec<Grant>,
    /// The neighbourhood this person is a *verified* resident of, if any.
    pub home: Option<ScopeRef>,
}

impl Actor {
    /// May this actor do `action` in `target`?
    pub fn may(&self, action: Action, target: &ScopeRef) -> bool {
        if action == Action::ParticipateAsResident
            && self
                .home
                .as_ref()
                .is_some_and(|home| home.is_within(target.id))
        {
            return true;
        }
        self.grants
            .iter()
            .any(|g| action.roles().contains(&g.role) && target.is_within(g.scope_id))
    }

    /// May this actor do `action` somewhere (used to decide whether to show a menu entry)?
    pub fn may_somewhere(&self, action: Action) -> bool {
        (action == Action::ParticipateAsResident && self.home.is_some())
            || self.grants.iter().any(|g| action.roles().contains(&g.role))
    }

    pub fn has_role(&self, role: Role) -> bool {
        self.grants.iter().any(|g| g.role == role)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scope::ScopeKind;

    // A small city: 1 = city; 2, 3 = districts; 20, 21 in district 2; 30 in district 3.
    fn city() -> ScopeRef {
        ScopeRef {
            id: 1,
            kind: ScopeKind::City,
            ancestors: vec![],
        }
    }
    fn district(id: i64) -> ScopeRef {
        ScopeRef {
            id,
            kind: ScopeKind::District,
            ancestors: vec![1],
        }
    }
    fn dong(id: i64, district: i64) -> ScopeRef {
        ScopeRef {
            id,
            kind: ScopeKind::Neighbourhood,
            ancestors: vec![district, 1],
        }
    }

    fn holder(role: Role, scope_id: i64) -> Actor {
        Actor {
            grants: vec![Grant { role, scope_id }],
            home: None,
        }
    }

    /// The full matrix: every role granted in district 2, against every action, in its own district,
    /// a neighbourhood below it, the city above it and another district.
    #[test]
    fn role_matrix_reaches_down_never_sideways_or_up() {
        for role in Role::ALL {
            let actor = holder(role, 2);
            for action in Action::ALL {
                let allowed = action.roles().contains(&role);
                assert_eq!(
                    actor.may(action, &district(2)),
                    allowed,
                    "{role:?} {action:?} in own district"
                );
                assert_eq!(
                    actor.may(action, &dong(20, 2)),
                    allowed,
                    "{role:?} {action:?} below"
                );
                assert!(
                    !actor.may(action, &city()),
                    "{role:?} {action:?} must not reach the city"
                );
                assert!(
                    !actor.may(action, &district(3)),
                    "{role:?} {action:?} must not reach a sibling"
                );
                assert!(
                    !actor.may(action, &dong(30, 3)),
                    "{role:?} {action:?} must not reach a cousin"
                );
            }
        }
    }

    #[test]
    fn city_administrator_reaches_everywhere_but_only_admin_actions() {
        let admin = holder(Role::Administrator, 1);
        for target in [city(), district(3), dong(21, 2)] {
            assert!(admin.may(Action::ManageRoles, &target));
            assert!(admin.may(Action::VerifyResidency, &target));
            assert!(!admin.may(Action::Evaluate, &target));
            assert!(!admin.may(Action::ParticipateAsResident, &target));
        }
    }

    #[test]
    fn verified_residents_take_part_upward_only() {
        let resident = Actor {
            grants: vec![],
            home: Some(dong(20, 2)),
        };
        assert!(resident.may(Action::ParticipateAsResident, &dong(20, 2)));
        assert!(resident.may(Action::ParticipateAsResident, &district(2)));
        assert!(resident.may(Action::ParticipateAsResident, &city()));
        assert!(!resident.may(Action::ParticipateAsResident, &dong(21, 2)));
        assert!(!resident.may(Action::ParticipateAsResident, &district(3)));
        assert!(!resident.may(Action::VerifyResidency, &dong(20, 2)));
        let unverified = Actor::default();
        assert!(!unverified.may(Action::ParticipateAsResident, &city()));
        assert!(!unverified.may_somewhere(Action::ParticipateAsResident));
    }

    #[test]
    fn roles_parse_round_trip() {
        for role in Role::ALL {
            assert_eq!(Role::parse(role.as_str()), Some(role));
        }
        assert_eq!(Role::parse("mayor"), None);
    }
}
