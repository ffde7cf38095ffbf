//! The audit log's vocabulary: what administrative actions are recorded (each labelled for people).

crate::named_enum! {
    /// An administrative action written to the audit log.
    pub enum AuditAction: "audit action", label "audit-action-" {
        RoleGrant = "role_grant",
        RoleRevoke = "role_revoke",
        ResidencyDeclare = "residency_declare",
        ResidencyVerified = "residency_verified",
        ResidencyRejected = "residency_rejected",
        ResidencyRevoked = "residency_revoked",
        ResidencyMoved = "residency_moved",
        RegisterImport = "register_import",
        LadderSet = "ladder_set",
        PasswordChange = "password_change",
        PasswordReset = "password_reset",
        BudgetCycle = "budget_cycle",
        BudgetSplit = "budget_split",
        BudgetPhase = "budget_phase",
        BudgetReview = "budget_review",
        BudgetSettings = "budget_settings",
        BudgetLeftover = "budget_leftover",
        BudgetImport = "budget_import",
    }
}

impl AuditAction {
    /// The action recording a residency's new status.
    pub fn residency(status: crate::ResidencyStatus) -> AuditAction {
        match status {
            crate::ResidencyStatus::Pending => AuditAction::ResidencyDeclare,
            crate::ResidencyStatus::Verified => AuditAction::ResidencyVerified,
            crate::ResidencyStatus::Rejected => AuditAction::ResidencyRejected,
            crate::ResidencyStatus::Revoked => AuditAction::ResidencyRevoked,
        }
    }
}
