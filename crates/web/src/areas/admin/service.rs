//! Administration: role grants within the administrator's scopes, and what administrators of the city
//! read — the mail outbox, the audit log (paged) and the background job queue.
use maeul_db::DbError;
use maeul_db::audit::AuditEntry;
use maeul_db::jobs::JobStatus;
use maeul_db::outbox::Mail;
use maeul_db::roles::GrantListing;
use maeul_domain::account::{FieldError, parse_email};
use maeul_domain::{Action, Refusal, Role};

use crate::AppState;
use crate::areas::accounts::service::Fields;
use crate::http::{Caller, ServiceError, ServiceResult};

/// Audit entries per page.
pub const AUDIT_PAGE: i64 = 50;

/// What the administration page shows this administrator.
pub struct Overview {
    /// Grants in scopes this administrator governs (the ones they may revoke).
    pub grants: Vec<GrantListing>,
    /// The city's records, for administrators of the city only.
    pub city: Option<CityRecords>,
}

pub struct CityRecords {
    pub mails: Vec<Mail>,
    pub audit: Vec<AuditEntry>,
    /// The id to page the audit log from, when there are older entries.
    pub audit_next: Option<i64>,
    pub jobs: Vec<JobStatus>,
    pub pending_jobs: i64,
}

pub async fn overview(
    state: &AppState,
    caller: &Caller,
    audit_before: Option<i64>,
) -> ServiceResult<Overview> {
    if !caller.actor.may_somewhere(Action::ManageRoles) {
        return Err(ServiceError::Forbidden);
    }
    let tree = state.scopes();
    let grants = state
        .db
        .all_grants()
        .await?
        .into_iter()
        .filter(|g| caller.may(&tree, Action::ManageRoles, g.scope_id))
        .collect();
    let city = tree.city().ok_or(ServiceError::NotFound)?;
    let city = if caller.may(&tree, Action::ReadOutbox, city.id) {
        let mut audit = state.db.audit_page(audit_before, AUDIT_PAGE + 1).await?;
        let audit_next = (audit.len() as i64 > AUDIT_PAGE).then(|| {
            audit.truncate(AUDIT_PAGE as usize);
            audit.last().map_or(0, |a| a.id)
        });
        Some(CityRecords {
            mails: state.db.recent_mails(50).await?,
            audit,
            audit_next,
            jobs: state.db.recent_jobs(30).await?,
            pending_jobs: state.db.pending_jobs().await?,
        })
    } else {
        None
    };
    Ok(Overview { grants, city })
}

/// A role grant as submitted.
pub struct GrantRequest<'a> {
    pub email: &'a str,
    pub role: &'a str,
    pub scope_code: &'a str,
}

/// Grants a role (any but resident, which residence verification gives) in a scope the caller governs.
pub async fn grant(state: &AppState, caller: &Caller, g: &GrantRequest<'_>) -> ServiceResult<i64> {
    if !caller.actor.may_somewhere(Action::ManageRoles) {
        return Err(ServiceError::Forbidden);
    }
    let tree = state.scopes();
    let mut fields = Fields::default();
    let role = fields.check(
        "role",
        Role::parse(g.role)
            .filter(|r| *r != Role::Resident)
            .ok_or(FieldError::Invalid),
    );
    let email = fields.check("email", parse_email(g.email));
    let user = match &email {
        Some(email) => {
            let user = state.db.user_by_email(email).await?;
            if user.is_none() {
                fields.add("email", FieldError::Invalid);
            }
            user
        }
        None => None,
    };
    let scope = tree.by_code(g.scope_code.trim());
    if scope.is_none() {
        fields.add(
            "scope",
            if g.scope_code.trim().is_empty() {
                FieldError::Required
            } else {
                FieldError::Invalid
            },
        );
    }
    fields.finish()?;
    let (Some(role), Some(user), Some(scope)) = (role, user, scope) else {
        unreachable!("checked above")
    };
    caller.require(&tree, Action::ManageRoles, scope.id)?;
    state
        .db
        .grant_role(user.id, role, scope.id, Some(caller.id()))
        .await
        .map_err(|e| match e {
            DbError::Conflict(_) => {
                Refusal::from(maeul_domain::account::AccountRefusal::RoleAlreadyGranted).into()
            }
            other => other.into(),
        })
}

pub async fn revoke(state: &AppState, caller: &Caller, grant_id: i64) -> ServiceResult<()> {
    let grant = state.db.grant_by_id(grant_id).await?;
    caller.require(&state.scopes(), Action::ManageRoles, grant.scope_id)?;
    Ok(state.db.revoke_grant(grant_id, caller.id()).await?)
}
