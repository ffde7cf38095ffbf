//! Administration: role grants within the administrator's scopes, the mail outbox and the audit log.
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use maeul_db::DbError;
use maeul_db::audit::AuditEntry;
use maeul_db::outbox::Mail;
use maeul_db::roles::GrantListing;
use maeul_domain::account::{FieldError, parse_email};
use maeul_domain::{Action, Role};
use serde::Deserialize;

use crate::AppState;
use crate::context::Ctx;
use crate::csrf::CsrfForm;
use crate::error::PageError;
use crate::pages::account::{NoticeQuery, require_user};
use crate::pages::auth::Empty;
use crate::pages::{FormErrors, notice, render};

#[derive(askama::Template)]
#[template(path = "admin.html")]
struct AdminPage<'a> {
    ctx: &'a Ctx,
    notice: Option<String>,
    errors: FormErrors,
    roles: Vec<&'static str>,
    grants: Vec<GrantListing>,
    show_outbox: bool,
    mails: Vec<Mail>,
    audit: Vec<AuditEntry>,
    /// The background job queue: recent jobs, and how many wait.
    jobs: Vec<maeul_db::jobs::JobStatus>,
    pending_jobs: i64,
}

async fn admin_page(
    state: &AppState,
    ctx: &Ctx,
    notice: Option<String>,
    errors: FormErrors,
) -> Result<Response, PageError> {
    let me = require_user(ctx)?;
    if !me.actor.may_somewhere(Action::ManageRoles) {
        return Err(PageError::Forbidden);
    }
    // Only grants in scopes this administrator governs are shown (and can be revoked).
    let grants = state
        .db
        .all_grants()
        .await?
        .into_iter()
        .filter(|g| {
            ctx.scopes
                .scope_ref(g.scope_id)
                .is_some_and(|t| me.actor.may(Action::ManageRoles, &t))
        })
        .collect();
    let city = ctx.scopes.city().ok_or(PageError::NotFound)?;
    let show_outbox = ctx.may_in(Action::ReadOutbox, city);
    let (mails, audit, jobs, pending_jobs) = if show_outbox {
        (
            state.db.recent_mails(50).await?,
            state.db.recent_audit(100).await?,
            state.db.recent_jobs(30).await?,
            state.db.pending_jobs().await?,
        )
    } else {
        (vec![], vec![], vec![], 0)
    };
    let status = if errors.any() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    let page = render(&AdminPage {
        ctx,
        notice,
        errors,
        roles: Role::ALL
            .iter()
            .filter(|r| **r != Role::Resident)
            .map(|r| r.as_str())
            .collect(),
        grants,
        show_outbox,
        mails,
        audit,
        jobs,
        pending_jobs,
    })?;
    Ok((status, page).into_response())
}

pub async fn admin(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(q): Query<NoticeQuery>,
) -> Result<Response, PageError> {
    let notice = notice(&ctx, q.notice.as_deref());
    admin_page(&state, &ctx, notice, FormErrors::default()).await
}

#[derive(Deserialize)]
pub struct GrantForm {
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub role: String,
    #[serde(default)]
    pub scope: String,
}

pub async fn grant(
    State(state): State<AppState>,
    ctx: Ctx,
    CsrfForm(form): CsrfForm<GrantForm>,
) -> Result<Response, PageError> {
    let me = require_user(&ctx)?;
    if !me.actor.may_somewhere(Action::ManageRoles) {
        return Err(PageError::Forbidden);
    }
    let mut errors = FormErrors::default();
    let role = Role::parse(&form.role)
        .filter(|r| *r != Role::Resident)
        .ok_or_else(|| PageError::BadRequest(format!("unknown role {:?}", form.role)))?;
    let user = match errors.check(&ctx, "email", parse_email(&form.email)) {
        Some(email) => {
            let user = state.db.user_by_email(&email).await?;
            if user.is_none() {
                errors.add(&ctx, "email", &FieldError::Invalid);
            }
            user
        }
        None => None,
    };
    let scope = ctx.scopes.by_code(form.scope.trim());
    match scope.and_then(|s| ctx.scopes.scope_ref(s.id)) {
        None => errors.add(
            &ctx,
            "scope",
            &if form.scope.trim().is_empty() {
                FieldError::Required
            } else {
                FieldError::Invalid
            },
        ),
        Some(target) if !me.actor.may(Action::ManageRoles, &target) => {
            return Err(PageError::Forbidden);
        }
        Some(_) => {}
    }
    if let (Some(user), Some(scope), false) = (user, scope, errors.any()) {
        match state
            .db
            .grant_role(user.id, role, scope.id, Some(me.user.id))
            .await
        {
            Ok(_) => return Ok(Redirect::to("/admin?notice=notice-role-granted").into_response()),
            Err(DbError::Conflict(_)) => errors.add(&ctx, "email", &FieldError::Taken),
            Err(e) => return Err(e.into()),
        }
    }
    admin_page(&state, &ctx, None, errors).await
}

pub async fn revoke(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    CsrfForm(_): CsrfForm<Empty>,
) -> Result<Response, PageError> {
    let me = require_user(&ctx)?;
    let grant = state.db.grant_by_id(id).await?;
    let target = ctx
        .scopes
        .scope_ref(grant.scope_id)
        .ok_or(PageError::NotFound)?;
    if !me.actor.may(Action::ManageRoles, &target) {
        return Err(PageError::Forbidden);
    }
    state.db.revoke_grant(id, me.user.id).await?;
    Ok(Redirect::to("/admin?notice=notice-role-revoked").into_response())
}
