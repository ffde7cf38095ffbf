//! The administration page: role grants, and for the city's administrators the outbox, the audit log
//! (in the reader's language, with names) and the job queue.
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use maeul_db::audit::{AuditEntry, Subject};
use maeul_db::jobs::JobStatus;
use maeul_db::outbox::Mail;
use maeul_db::roles::GrantListing;
use maeul_domain::{ResidencyStatus, Role};
use serde::Deserialize;

use crate::AppState;
use crate::areas::admin::service::{self, GrantRequest};
use crate::http::{
    CsrfForm, Ctx, FormErrors, PageError, PagePath, PageQuery, ServiceError, notice, render,
};

/// An audit entry as read: who, what, about whom, and the details, all in the reader's language.
pub struct AuditView {
    pub at: i64,
    pub actor: String,
    pub actor_id: Option<i64>,
    pub action: String,
    pub subject: String,
    pub detail: String,
}

fn audit_view(ctx: &Ctx, a: &AuditEntry) -> AuditView {
    let subject = match a.subject() {
        Some(Subject::User(_)) => a.subject_name.clone().unwrap_or_default(),
        Some(Subject::Scope(id)) => ctx.scope_label(&id),
        Some(Subject::Grant(id)) => ctx.t1("admin-audit-grant", "id", id),
        Some(Subject::Register) => ctx.t("admin-audit-register"),
        None => a.subject.clone(),
    };
    let detail = a
        .details()
        .into_iter()
        .map(|(key, value)| match key {
            "role" => Role::parse(value).map_or_else(|| value.to_owned(), |r| ctx.label(r)),
            "status" => {
                ResidencyStatus::parse(value).map_or_else(|| value.to_owned(), |s| ctx.label(s))
            }
            "scope" => value
                .parse::<i64>()
                .map_or_else(|_| value.to_owned(), |id| ctx.scope_label(&id)),
            "rows" => ctx.t1("admin-audit-detail-rows", "count", value.to_owned()),
            "new" => ctx.t1("admin-audit-detail-new", "count", value.to_owned()),
            "verified" => ctx.t1("admin-audit-detail-verified", "count", value.to_owned()),
            "answer_at" => ctx.t1("ladder-answer-at-short", "count", value.to_owned()),
            "forum_at" => ctx.t1("ladder-forum-at-short", "count", value.to_owned()),
            "head_at" => ctx.t1("ladder-head-at-short", "count", value.to_owned()),
            "answer_days" => ctx.t1("ladder-days-short", "count", value.to_owned()),
            "inherited" => ctx.t("ladder-inherited-short"),
            _ => format!("{key}={value}"),
        })
        .collect::<Vec<_>>()
        .join(" · ");
    AuditView {
        at: a.at,
        actor: a
            .actor_name
            .clone()
            .unwrap_or_else(|| ctx.t("admin-audit-system")),
        actor_id: a.actor_id,
        action: ctx.t(a.action.label_id()),
        subject,
        detail,
    }
}

#[derive(askama::Template)]
#[template(path = "admin/admin.html")]
struct AdminPage<'a> {
    ctx: &'a Ctx,
    notice: Option<String>,
    errors: FormErrors,
    roles: Vec<Role>,
    grants: Vec<GrantListing>,
    show_outbox: bool,
    mails: Vec<Mail>,
    audit: Vec<AuditView>,
    audit_next: Option<i64>,
    jobs: Vec<JobStatus>,
    pending_jobs: i64,
}

async fn admin_page(
    state: &AppState,
    ctx: &Ctx,
    notice: Option<String>,
    errors: FormErrors,
    audit_before: Option<i64>,
) -> Result<Response, PageError> {
    let me = ctx.caller().ok_or(PageError::Unauthorized)?;
    let overview = service::overview(state, me, audit_before).await?;
    let status = errors.status();
    let show_outbox = overview.city.is_some();
    let city = overview.city.unwrap_or(service::CityRecords {
        mails: vec![],
        audit: vec![],
        audit_next: None,
        jobs: vec![],
        pending_jobs: 0,
    });
    let page = render(&AdminPage {
        ctx,
        notice,
        errors,
        roles: Role::ALL
            .into_iter()
            .filter(|r| *r != Role::Resident)
            .collect(),
        grants: overview.grants,
        show_outbox,
        mails: city.mails,
        audit: city.audit.iter().map(|a| audit_view(ctx, a)).collect(),
        audit_next: city.audit_next,
        jobs: city.jobs,
        pending_jobs: city.pending_jobs,
    })?;
    Ok((status, page).into_response())
}

#[derive(Deserialize)]
pub struct AdminQuery {
    pub notice: Option<String>,
    /// Audit log page: entries older than this id.
    pub audit_before: Option<i64>,
}

pub async fn admin(
    State(state): State<AppState>,
    ctx: Ctx,
    PageQuery(q): PageQuery<AdminQuery>,
) -> Result<Response, PageError> {
    let notice = notice(
        &ctx,
        q.notice.as_deref(),
        &["notice-role-granted", "notice-role-revoked"],
    );
    admin_page(&state, &ctx, notice, FormErrors::default(), q.audit_before).await
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
    let me = ctx.caller().ok_or(PageError::Unauthorized)?;
    let request = GrantRequest {
        email: &form.email,
        role: &form.role,
        scope_code: &form.scope,
    };
    match service::grant(&state, me, &request).await {
        Ok(_) => Ok(Redirect::to("/admin?notice=notice-role-granted").into_response()),
        Err(ServiceError::Refused(r)) => {
            let errors = FormErrors::from_refusal(&ctx, &r, "email");
            admin_page(&state, &ctx, None, errors, None).await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize)]
pub struct Empty {}

pub async fn revoke(
    State(state): State<AppState>,
    ctx: Ctx,
    PagePath(id): PagePath<i64>,
    CsrfForm(_): CsrfForm<Empty>,
) -> Result<Response, PageError> {
    let me = ctx.caller().ok_or(PageError::Unauthorized)?;
    service::revoke(&state, me, id).await?;
    Ok(Redirect::to("/admin?notice=notice-role-revoked").into_response())
}
