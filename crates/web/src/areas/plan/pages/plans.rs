//! Yearly plans' pages: a scope's plans with the form opening one; the plan's page (sections, projects
//! from adopted items with budget lines by source, revisions, the consultation's comments, history) with
//! the scope's forms and the consulting level's forms; printable by its stylesheet.
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use maeul_db::plan::PlanRow;
use maeul_domain::Scope;
use maeul_domain::plan::{BudgetSource, PlanState, SectionKind};
use serde::Deserialize;

use super::NoticeQuery;
use crate::AppState;
use crate::areas::plan::service::groups;
use crate::areas::plan::service::plans::{self, PlanStepInput, PlanView, ProjectInput};
use crate::areas::plan::views::NOTICES;
use crate::http::{
    Alert, Crumbs, CsrfForm, Ctx, FormErrors, PageError, PagePath, PageQuery, ServiceError,
    after_form, notice, page_status, render,
};

#[derive(Deserialize, Default)]
pub struct NewPlanForm {
    #[serde(default)]
    pub year: String,
    #[serde(default)]
    pub title: String,
}

#[derive(askama::Template)]
#[template(path = "plan/plans.html")]
struct PlansPage<'a> {
    ctx: &'a Ctx,
    crumbs: Crumbs,
    scope: Scope,
    plans: Vec<PlanRow>,
    may_create: bool,
    form: NewPlanForm,
    errors: FormErrors,
}

async fn plans_page(
    state: &AppState,
    ctx: &Ctx,
    code: &str,
    form: NewPlanForm,
    errors: FormErrors,
) -> Result<Response, PageError> {
    let v = plans::list(state, ctx.caller(), code).await?;
    let status = errors.status();
    let page = render(&PlansPage {
        crumbs: Crumbs::within(ctx, &v.scope).current(ctx.t("plan-plans-title")),
        ctx,
        scope: v.scope,
        plans: v.plans,
        may_create: v.may_create,
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
    plans_page(
        &state,
        &ctx,
        &code,
        NewPlanForm::default(),
        FormErrors::default(),
    )
    .await
}

pub async fn create(
    State(state): State<AppState>,
    ctx: Ctx,
    PagePath(code): PagePath<String>,
    CsrfForm(form): CsrfForm<NewPlanForm>,
) -> Result<Response, PageError> {
    match plans::create(&state, ctx.caller(), &code, &form.year, &form.title).await {
        Ok(id) => {
            Ok(Redirect::to(&format!("/plans/{id}?notice=plan-notice-saved")).into_response())
        }
        Err(ServiceError::Refused(r)) => {
            let errors = FormErrors::from_refusal(&ctx, &r, "title");
            plans_page(&state, &ctx, &code, form, errors).await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(askama::Template)]
#[template(path = "plan/plan.html")]
struct PlanPage<'a> {
    ctx: &'a Ctx,
    crumbs: Crumbs,
    v: PlanView,
    notice: Option<String>,
    alert: Option<Alert>,
    errors: FormErrors,
    /// The scope's next steps (event, label id), by state.
    steps: Vec<(&'static str, &'static str)>,
    may_resolve: bool,
    may_request: bool,
    may_approve: bool,
    may_open: bool,
    sources: [BudgetSource; 3],
    section_kinds: [SectionKind; 5],
    /// The projects' working groups: (project id, group id, name).
    groups: Vec<(i64, i64, String)>,
}

impl PlanPage<'_> {
    fn money(&self, amount: &i64) -> String {
        // Thousands separated by commas in both languages (won).
        let digits = amount.abs().to_string();
        let mut out = String::new();
        for (i, c) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i).is_multiple_of(3) {
                out.push(',');
            }
            out.push(c);
        }
        if *amount < 0 {
            out.insert(0, '-');
        }
        self.ctx.t1("plan-won", "amount", out)
    }

    /// The working group of a project, if it has one: (project id, group id, name).
    fn group_of(&self, project: &i64) -> Option<&(i64, i64, String)> {
        self.groups.iter().find(|g| g.0 == *project)
    }

    fn section_body(&self, kind: &SectionKind) -> String {
        self.v
            .sections
            .iter()
            .find(|s| s.kind == *kind)
            .map(|s| s.body.clone())
            .unwrap_or_default()
    }
}

pub(super) async fn plan_page(
    state: &AppState,
    ctx: &Ctx,
    id: i64,
    notice_key: Option<&str>,
    alert: Option<Alert>,
    errors: FormErrors,
) -> Result<Response, PageError> {
    let v = plans::view(state, ctx.caller(), id).await?;
    let groups = groups::of_plan(state, id).await?;
    let s = v.plan.state;
    let mut steps = vec![];
    if v.may_steer {
        match s {
            PlanState::CommitteeResolved => steps.push(("submit", "plan-event-submit")),
            PlanState::Revising => steps.push(("resubmit", "plan-event-resubmit")),
            PlanState::Approved => steps.push(("execute", "plan-event-execute")),
            PlanState::Executing => steps.push(("close", "plan-event-close")),
            PlanState::Closing => steps.push(("evaluate", "plan-event-evaluate")),
            PlanState::Evaluated => steps.push(("archive", "plan-event-archive")),
            _ => {}
        }
    }
    let status = page_status(&errors, alert.as_ref());
    let page = render(&PlanPage {
        crumbs: Crumbs::within(ctx, &v.scope)
            .link(
                format!("/scopes/{}/plans", v.scope.code),
                ctx.t("plan-plans-title"),
            )
            .current(&v.plan.title),
        ctx,
        notice: notice(ctx, notice_key, NOTICES),
        alert,
        errors,
        steps,
        may_resolve: v.may_steer && s == PlanState::Drafting,
        may_open: v.may_consult && s == PlanState::Submitted,
        may_request: v.may_consult && s == PlanState::InConsultation,
        may_approve: v.may_consult && s == PlanState::InConsultation,
        sources: BudgetSource::ALL,
        section_kinds: SectionKind::ALL,
        groups,
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
    plan_page(
        &state,
        &ctx,
        id,
        q.notice.as_deref(),
        None,
        FormErrors::default(),
    )
    .await
}

async fn after<T>(
    state: &AppState,
    ctx: &Ctx,
    id: i64,
    result: Result<T, ServiceError>,
    general: &'static str,
) -> Result<Response, PageError> {
    let success = format!("/plans/{id}?notice=plan-notice-saved");
    after_form(ctx, result, &success, general, |alert, errors| {
        plan_page(state, ctx, id, None, alert, errors)
    })
    .await
}

#[derive(Deserialize, Default)]
pub struct PlanStepForm {
    #[serde(default)]
    pub event: String,
    #[serde(default)]
    pub motion: String,
    #[serde(default)]
    pub comment: String,
    #[serde(default)]
    pub granted: String,
}

pub async fn step(
    State(state): State<AppState>,
    ctx: Ctx,
    PagePath(id): PagePath<i64>,
    CsrfForm(form): CsrfForm<PlanStepForm>,
) -> Result<Response, PageError> {
    let input = PlanStepInput {
        event: &form.event,
        motion: &form.motion,
        comment: &form.comment,
        granted: &form.granted,
    };
    let result = plans::step(&state, ctx.caller(), id, &input).await;
    after(&state, &ctx, id, result, "event").await
}

#[derive(Deserialize, Default)]
pub struct SectionForm {
    #[serde(default)]
    pub section: String,
    #[serde(default)]
    pub body: String,
}

pub async fn section(
    State(state): State<AppState>,
    ctx: Ctx,
    PagePath(id): PagePath<i64>,
    CsrfForm(form): CsrfForm<SectionForm>,
) -> Result<Response, PageError> {
    let result = plans::set_section(&state, ctx.caller(), id, &form.section, &form.body).await;
    after(&state, &ctx, id, result, "section").await
}

#[derive(Deserialize, Default)]
pub struct ProjectForm {
    #[serde(default)]
    pub item: String,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub objective: String,
    #[serde(default)]
    pub lead_department: String,
    #[serde(default)]
    pub partners: String,
    #[serde(default)]
    pub schedule: String,
    #[serde(default)]
    pub city_grant: String,
    #[serde(default)]
    pub own_funds: String,
    #[serde(default)]
    pub pb_envelope: String,
    #[serde(default)]
    pub indicator: String,
}

pub async fn project(
    State(state): State<AppState>,
    ctx: Ctx,
    PagePath(id): PagePath<i64>,
    CsrfForm(form): CsrfForm<ProjectForm>,
) -> Result<Response, PageError> {
    let input = ProjectInput {
        item: &form.item,
        title: &form.title,
        objective: &form.objective,
        lead_department: &form.lead_department,
        partners: &form.partners,
        schedule: &form.schedule,
        amounts: [
            (BudgetSource::CityGrant, &form.city_grant),
            (BudgetSource::OwnFunds, &form.own_funds),
            (BudgetSource::PbEnvelope, &form.pb_envelope),
        ],
        indicator: &form.indicator,
    };
    let result = plans::add_project(&state, ctx.caller(), id, &input).await;
    after(&state, &ctx, id, result, "project_title").await
}

/// `/plans/{id}/projects.csv`: one row per budget line of each project, with the project's items.
pub async fn projects_csv(
    State(state): State<AppState>,
    ctx: Ctx,
    PagePath(id): PagePath<i64>,
) -> Result<Response, PageError> {
    use crate::http::csv::{Cell, CsvWriter};
    let v = plans::view(&state, ctx.caller(), id).await?;
    let written = (|| {
        let mut w = CsvWriter::default();
        w.row(
            [
                "plan_id",
                "year",
                "state",
                "project_id",
                "project",
                "objective",
                "lead_department",
                "partners",
                "schedule",
                "agenda_item_ids",
                "source",
                "amount_won",
            ]
            .map(Cell::from),
        )?;
        for p in &v.projects {
            let items = p
                .items
                .iter()
                .map(|i| i.id.to_string())
                .collect::<Vec<_>>()
                .join(" ");
            let lines: Vec<(&str, i64)> = if p.lines.is_empty() {
                vec![("", 0)]
            } else {
                p.lines
                    .iter()
                    .map(|l| (l.source.as_str(), l.amount))
                    .collect()
            };
            for (source, amount) in lines {
                w.row([
                    Cell::Number(v.plan.id),
                    Cell::Number(v.plan.year),
                    Cell::from(v.plan.state.as_str()),
                    Cell::Number(p.project.id),
                    Cell::from(&p.project.title),
                    Cell::from(&p.project.objective),
                    Cell::from(&p.project.lead_department),
                    Cell::from(&p.project.partners),
                    Cell::from(&p.project.schedule),
                    Cell::from(items.as_str()),
                    Cell::from(source),
                    Cell::Number(amount),
                ])?;
            }
        }
        w.finish()
    })();
    let body = written.map_err(|e| {
        tracing::error!(error = %e, "plan CSV failed");
        PageError::Internal
    })?;
    Ok((
        [
            (axum::http::header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (
                axum::http::header::CONTENT_DISPOSITION,
                "attachment; filename=\"plan-projects.csv\"",
            ),
        ],
        body,
    )
        .into_response())
}
