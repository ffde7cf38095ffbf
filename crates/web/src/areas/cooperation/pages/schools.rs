//! Citizen schools' pages: a scope's programs, a program with its sessions (enrol, withdraw; the staff's
//! attendance sheet), and a completion certificate.
use std::collections::HashMap;

use axum::extract::State;
use axum::response::{IntoResponse, Response};
use maeul_db::cooperation::{EnrolmentRow, ProgramRow};
use maeul_domain::Scope;
use maeul_domain::cooperation::ProgramKind;
use serde::Deserialize;

use super::{NoticeQuery, after};
use crate::AppState;
use crate::areas::cooperation::service::may_run;
use crate::areas::cooperation::service::schools::{self, ProgramForm, ProgramView, ProgramsView};
use crate::areas::cooperation::views::NOTICES;
use crate::http::{
    Alert, Crumbs, CsrfForm, Ctx, FormErrors, PageError, PagePath, PageQuery, notice, page_status,
    render,
};

#[derive(Deserialize, Default)]
pub struct NewProgramForm {
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub hours: String,
    #[serde(default)]
    pub capacity: String,
    #[serde(default)]
    pub sessions_required: String,
}

#[derive(askama::Template)]
#[template(path = "cooperation/programs.html")]
struct ProgramsPage<'a> {
    ctx: &'a Ctx,
    crumbs: Crumbs,
    v: ProgramsView,
    may_run: bool,
    kinds: &'static [ProgramKind],
    form: NewProgramForm,
    errors: FormErrors,
}

async fn programs_page(
    state: &AppState,
    ctx: &Ctx,
    code: &str,
    form: NewProgramForm,
    errors: FormErrors,
) -> Result<Response, PageError> {
    let v = schools::list(state, code).await?;
    let status = errors.status();
    let page = render(&ProgramsPage {
        crumbs: Crumbs::within(ctx, &v.scope).current(ctx.t("coop-programs-title")),
        may_run: may_run(state, ctx.caller(), v.scope.id),
        ctx,
        v,
        kinds: <ProgramKind as maeul_domain::Named>::ALL,
        form,
        errors,
    })?;
    Ok((status, page).into_response())
}

pub async fn list(
    State(state): State<AppState>,
    ctx: Ctx,
    PagePath(code): PagePath<String>,
) -> Result<Response, PageError> {
    programs_page(
        &state,
        &ctx,
        &code,
        NewProgramForm::default(),
        FormErrors::default(),
    )
    .await
}

pub async fn create(
    State(state): State<AppState>,
    ctx: Ctx,
    PagePath(code): PagePath<String>,
    CsrfForm(form): CsrfForm<NewProgramForm>,
) -> Result<Response, PageError> {
    let input = ProgramForm {
        kind: &form.kind,
        title: &form.title,
        description: &form.description,
        hours: &form.hours,
        capacity: &form.capacity,
        sessions_required: &form.sessions_required,
    };
    let result = schools::create(&state, ctx.caller(), &code, &input).await;
    match after(
        &ctx,
        result,
        |id| format!("/programs/{id}?notice=coop-notice-saved"),
        "title",
    )? {
        Ok(r) => Ok(r),
        Err(shown) => {
            let (errors, _) = shown.into_parts();
            programs_page(&state, &ctx, &code, form, errors).await
        }
    }
}

#[derive(Deserialize, Default)]
pub struct SessionForm {
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub starts_at: String,
    #[serde(default)]
    pub ends_at: String,
    #[serde(default)]
    pub place: String,
}

pub async fn add_session(
    State(state): State<AppState>,
    ctx: Ctx,
    PagePath(id): PagePath<i64>,
    CsrfForm(form): CsrfForm<SessionForm>,
) -> Result<Response, PageError> {
    let result = schools::add_session(
        &state,
        ctx.caller(),
        id,
        &form.title,
        &form.starts_at,
        &form.ends_at,
        &form.place,
    )
    .await;
    answer(&state, &ctx, id, result, "coop-notice-saved").await
}

#[derive(askama::Template)]
#[template(path = "cooperation/program.html")]
struct ProgramPage<'a> {
    ctx: &'a Ctx,
    crumbs: Crumbs,
    v: ProgramView,
    notice: Option<String>,
    alert: Option<Alert>,
    errors: FormErrors,
}

impl ProgramPage<'_> {
    fn enrolled(&self) -> Vec<&EnrolmentRow> {
        self.v
            .enrolments
            .iter()
            .filter(|e| {
                matches!(
                    e.state,
                    maeul_domain::cooperation::EnrolmentState::Enrolled
                        | maeul_domain::cooperation::EnrolmentState::Completed
                )
            })
            .collect()
    }
}

async fn program_page(
    state: &AppState,
    ctx: &Ctx,
    id: i64,
    notice_key: Option<&str>,
    alert: Option<Alert>,
    errors: FormErrors,
) -> Result<Response, PageError> {
    let v = schools::view(state, ctx.caller(), id).await?;
    let status = page_status(&errors, alert.as_ref());
    let page = render(&ProgramPage {
        crumbs: Crumbs::within(ctx, &v.scope)
            .link(
                format!("/scopes/{}/programs", v.scope.code),
                ctx.t("coop-programs-title"),
            )
            .current(&v.program.title),
        notice: notice(ctx, notice_key, NOTICES),
        ctx,
        v,
        alert,
        errors,
    })?;
    Ok((status, page).into_response())
}

pub async fn show(
    State(state): State<AppState>,
    ctx: Ctx,
    PagePath(id): PagePath<i64>,
    PageQuery(q): PageQuery<NoticeQuery>,
) -> Result<Response, PageError> {
    program_page(
        &state,
        &ctx,
        id,
        q.notice.as_deref(),
        None,
        FormErrors::default(),
    )
    .await
}

async fn answer<T>(
    state: &AppState,
    ctx: &Ctx,
    id: i64,
    result: Result<T, crate::http::ServiceError>,
    notice_key: &'static str,
) -> Result<Response, PageError> {
    match after(
        ctx,
        result,
        |_| format!("/programs/{id}?notice={notice_key}"),
        "session",
    )? {
        Ok(r) => Ok(r),
        Err(shown) => {
            let (errors, alert) = shown.into_parts();
            program_page(state, ctx, id, None, alert, errors).await
        }
    }
}

pub async fn enrol(
    State(state): State<AppState>,
    ctx: Ctx,
    PagePath(id): PagePath<i64>,
    CsrfForm(_): CsrfForm<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let result = schools::enrol(&state, ctx.caller(), id).await;
    answer(&state, &ctx, id, result, "coop-notice-enrolled").await
}

pub async fn withdraw(
    State(state): State<AppState>,
    ctx: Ctx,
    PagePath(id): PagePath<i64>,
    CsrfForm(_): CsrfForm<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let result = schools::withdraw(&state, ctx.caller(), id).await;
    answer(&state, &ctx, id, result, "coop-notice-withdrawn").await
}

/// The staff's attendance sheet: `session` and one `person-<id>` checkbox per person present.
pub async fn attendance(
    State(state): State<AppState>,
    ctx: Ctx,
    PagePath(id): PagePath<i64>,
    CsrfForm(form): CsrfForm<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let session = form
        .get("session")
        .and_then(|s| s.trim().parse::<i64>().ok());
    let people: Vec<i64> = form
        .keys()
        .filter_map(|k| k.strip_prefix("person-"))
        .filter_map(|p| p.parse().ok())
        .collect();
    let result = schools::attendance(&state, ctx.caller(), id, session, &people).await;
    answer(&state, &ctx, id, result, "coop-notice-attendance").await
}

#[derive(askama::Template)]
#[template(path = "cooperation/certificate.html")]
struct CertificatePage<'a> {
    ctx: &'a Ctx,
    crumbs: Crumbs,
    program: ProgramRow,
    scope: Scope,
    e: EnrolmentRow,
}

pub async fn certificate(
    State(state): State<AppState>,
    ctx: Ctx,
    PagePath((id, user)): PagePath<(i64, i64)>,
) -> Result<Response, PageError> {
    let (program, scope, e) = schools::certificate(&state, id, user).await?;
    render(&CertificatePage {
        crumbs: Crumbs::within(&ctx, &scope)
            .link(format!("/programs/{}", program.id), &program.title)
            .current(ctx.t("coop-certificate")),
        ctx: &ctx,
        program,
        scope,
        e,
    })
}
