//! Tracked projects' pages: a scope's list, a project with milestones, updates (staff report; other
//! staff verify or return) and indicators with target against actual.
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::{NOTICES, NoticeQuery, grouped, value};
use crate::AppState;
use crate::areas::evaluation::service::tracking::{self, ProjectView, ProjectsView, ReportInput};
use crate::http::{
    Alert, Crumbs, CsrfForm, Ctx, FormErrors, PageError, PagePath, PageQuery, ServiceError, notice,
    page_status, render,
};

#[derive(askama::Template)]
#[template(path = "evaluation/projects.html")]
struct ProjectsPage<'a> {
    ctx: &'a Ctx,
    crumbs: Crumbs,
    v: ProjectsView,
}

impl ProjectsPage<'_> {
    fn won(&self, amount: &i64) -> String {
        self.ctx.t1("evaluation-won", "amount", grouped(*amount))
    }
}

pub async fn list(
    State(state): State<AppState>,
    ctx: Ctx,
    PagePath(code): PagePath<String>,
) -> Result<Response, PageError> {
    let v = tracking::list(&state, &code).await?;
    render(&ProjectsPage {
        crumbs: Crumbs::within(&ctx, &v.scope).current(ctx.t("evaluation-projects-title")),
        ctx: &ctx,
        v,
    })
}

#[derive(Deserialize, Default)]
pub struct ReportForm {
    #[serde(default)]
    pub body: String,
    #[serde(default)]
    pub progress: String,
    #[serde(default)]
    pub spent: String,
    #[serde(default)]
    pub evidence_url: String,
    #[serde(default)]
    pub evidence_label: String,
}

#[derive(askama::Template)]
#[template(path = "evaluation/project.html")]
struct ProjectPage<'a> {
    ctx: &'a Ctx,
    crumbs: Crumbs,
    v: ProjectView,
    notice: Option<String>,
    alert: Option<Alert>,
    errors: FormErrors,
    form: ReportForm,
}

impl ProjectPage<'_> {
    fn won(&self, amount: &i64) -> String {
        self.ctx.t1("evaluation-won", "amount", grouped(*amount))
    }
    fn value(&self, v: Option<f64>) -> String {
        v.map(value).unwrap_or_else(|| "—".into())
    }
    fn permille(&self, v: &Option<u64>) -> String {
        v.map(|p| format!("{}.{} %", p / 10, p % 10))
            .unwrap_or_else(|| "—".into())
    }
}

async fn project_page(
    state: &AppState,
    ctx: &Ctx,
    id: i64,
    notice_key: Option<&str>,
    alert: Option<Alert>,
    errors: FormErrors,
    form: ReportForm,
) -> Result<Response, PageError> {
    let v = tracking::view(state, ctx.caller(), id).await?;
    let status = page_status(&errors, alert.as_ref());
    let page = render(&ProjectPage {
        crumbs: Crumbs::within(ctx, &v.scope)
            .link(
                format!("/scopes/{}/tracked-projects", v.scope.code),
                ctx.t("evaluation-projects-title"),
            )
            .current(&v.project.title),
        ctx,
        notice: notice(ctx, notice_key, NOTICES),
        alert,
        errors,
        form,
        v,
    })?;
    Ok((status, page).into_response())
}

pub async fn show(
    State(state): State<AppState>,
    ctx: Ctx,
    PagePath(id): PagePath<i64>,
    PageQuery(q): PageQuery<NoticeQuery>,
) -> Result<Response, PageError> {
    project_page(
        &state,
        &ctx,
        id,
        q.notice.as_deref(),
        None,
        FormErrors::default(),
        ReportForm::default(),
    )
    .await
}

async fn after(
    state: &AppState,
    ctx: &Ctx,
    id: i64,
    result: Result<i64, ServiceError>,
    form: ReportForm,
) -> Result<Response, PageError> {
    match result {
        Ok(project) => Ok(Redirect::to(&format!(
            "/tracked-projects/{project}?notice=evaluation-notice-saved"
        ))
        .into_response()),
        Err(ServiceError::Refused(r)) if !r.fields().is_empty() => {
            let errors = FormErrors::from_refusal(ctx, &r, "body");
            project_page(state, ctx, id, None, None, errors, form).await
        }
        Err(ServiceError::Refused(r)) => {
            let alert = Some(Alert::refusal(ctx, &r));
            project_page(state, ctx, id, None, alert, FormErrors::default(), form).await
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn report(
    State(state): State<AppState>,
    ctx: Ctx,
    PagePath(id): PagePath<i64>,
    CsrfForm(form): CsrfForm<ReportForm>,
) -> Result<Response, PageError> {
    let input = ReportInput {
        body: &form.body,
        progress: &form.progress,
        spent: &form.spent,
        evidence_url: &form.evidence_url,
        evidence_label: &form.evidence_label,
    };
    let result = tracking::report(&state, ctx.caller(), id, &input)
        .await
        .map(|_| id);
    after(&state, &ctx, id, result, form).await
}

#[derive(Deserialize, Default)]
pub struct DecisionForm {
    #[serde(default)]
    pub decision: String,
    #[serde(default)]
    pub comment: String,
}

pub async fn decide(
    State(state): State<AppState>,
    ctx: Ctx,
    PagePath(id): PagePath<i64>,
    CsrfForm(form): CsrfForm<DecisionForm>,
) -> Result<Response, PageError> {
    let project = tracking::project_of_update(&state, id).await?;
    let result = tracking::decide(&state, ctx.caller(), id, &form.decision, &form.comment).await;
    after(&state, &ctx, project, result, ReportForm::default()).await
}
