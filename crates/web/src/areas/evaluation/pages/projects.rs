//! Tracked projects' pages: a scope's list, a project with milestones, updates (staff report; other
//! staff verify or return) and indicators with target against actual.
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::{NOTICES, NoticeQuery, grouped, value};
use crate::AppState;
use crate::areas::evaluation::import::ImportProblem;
use crate::areas::evaluation::service::definitions;
use crate::areas::evaluation::service::tracking::{self, ProjectView, ProjectsView, ReportInput};
use crate::http::{
    Alert, Crumbs, CsrfForm, Ctx, FormErrors, PageError, PagePath, PageQuery, ServiceError, notice,
    page_status, render,
};
use crate::i18n::Message;
use axum::http::StatusCode;

#[derive(askama::Template)]
#[template(path = "evaluation/projects.html")]
struct ProjectsPage<'a> {
    ctx: &'a Ctx,
    crumbs: Crumbs,
    v: ProjectsView,
    may_import: bool,
    /// The import's problems, each as a sentence (line, column, what is wrong).
    problems: Vec<String>,
    csv: String,
    notice: Option<String>,
}

impl ProjectsPage<'_> {
    fn won(&self, amount: &i64) -> String {
        self.ctx.t1("evaluation-won", "amount", grouped(*amount))
    }
}

async fn projects_page(
    state: &AppState,
    ctx: &Ctx,
    code: &str,
    problems: Vec<String>,
    csv: String,
    notice_key: Option<&str>,
) -> Result<Response, PageError> {
    let v = tracking::list(state, code).await?;
    let status = if problems.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let page = render(&ProjectsPage {
        crumbs: Crumbs::within(ctx, &v.scope).current(ctx.t("evaluation-projects-title")),
        may_import: definitions::may_import(state, ctx.caller(), v.scope.id),
        ctx,
        v,
        problems,
        csv,
        notice: notice(ctx, notice_key, NOTICES),
    })?;
    Ok((status, page).into_response())
}

pub async fn list(
    State(state): State<AppState>,
    ctx: Ctx,
    PagePath(code): PagePath<String>,
    PageQuery(q): PageQuery<NoticeQuery>,
) -> Result<Response, PageError> {
    projects_page(
        &state,
        &ctx,
        &code,
        vec![],
        String::new(),
        q.notice.as_deref(),
    )
    .await
}

#[derive(Deserialize, Default)]
pub struct ImportForm {
    #[serde(default)]
    pub csv: String,
}

/// Imports updates from CSV text (staff of the scope): all or nothing, every bad row named.
pub async fn import(
    State(state): State<AppState>,
    ctx: Ctx,
    PagePath(code): PagePath<String>,
    CsrfForm(form): CsrfForm<ImportForm>,
) -> Result<Response, PageError> {
    match definitions::import_updates(&state, ctx.caller(), &code, form.csv.as_bytes()).await? {
        Ok(_) => Ok(Redirect::to(&format!(
            "/scopes/{code}/tracked-projects?notice=evaluation-notice-imported"
        ))
        .into_response()),
        Err(problems) => {
            let texts = problems.iter().map(|p| problem_text(&ctx, p)).collect();
            projects_page(&state, &ctx, &code, texts, form.csv, None).await
        }
    }
}

fn problem_text(ctx: &Ctx, p: &ImportProblem) -> String {
    match p {
        ImportProblem::BadHeader => ctx.t("evaluation-import-bad-header"),
        ImportProblem::Empty => ctx.t("import-empty"),
        ImportProblem::TooManyRows => ctx.t("evaluation-import-too-many"),
        ImportProblem::Unreadable { line } => ctx.i18n.tr(
            ctx.lang,
            "import-line-error",
            &[
                ("line", (*line).into()),
                ("problem", ctx.t("import-unreadable").into()),
            ],
        ),
        ImportProblem::Field {
            line,
            column,
            error,
        } => ctx.i18n.tr(
            ctx.lang,
            "evaluation-import-cell-error",
            &[
                ("line", (*line).into()),
                ("column", (*column).into()),
                ("problem", ctx.message(&Message::refusal(error)).into()),
            ],
        ),
    }
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
