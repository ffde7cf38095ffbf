//! The residents' general assembly's pages: a neighbourhood's assemblies with the form opening one; the
//! assembly's page (agenda, results — pre-votes, on-site votes, preference points —, attendance) with the
//! resident's online ballot, the staff's forms (agenda, steps, attendance, paper and on-site ballots) and
//! the district's form fixing the agenda. Plain forms: everything works without JavaScript.
use std::collections::HashMap;

use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use maeul_db::plan::AssemblyRow;
use maeul_domain::Scope;
use maeul_domain::plan::{AssemblyEvent, AssemblyState, ItemResult};
use serde::Deserialize;

use super::NoticeQuery;
use crate::AppState;
use crate::areas::plan::service::assembly::{self, AssemblyView, NewAssemblyInput};
use crate::areas::plan::views::NOTICES;
use crate::http::{
    Alert, Crumbs, CsrfForm, Ctx, FormErrors, PageError, PagePath, PageQuery, ServiceError,
    after_form, notice, page_status, render,
};

#[derive(Deserialize, Default)]
pub struct NewAssemblyForm {
    #[serde(default)]
    pub year: String,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub place: String,
    #[serde(default)]
    pub held_at: String,
}

#[derive(askama::Template)]
#[template(path = "plan/assemblies.html")]
struct AssembliesPage<'a> {
    ctx: &'a Ctx,
    crumbs: Crumbs,
    scope: Scope,
    assemblies: Vec<AssemblyRow>,
    may_create: bool,
    form: NewAssemblyForm,
    errors: FormErrors,
}

async fn assemblies_page(
    state: &AppState,
    ctx: &Ctx,
    code: &str,
    form: NewAssemblyForm,
    errors: FormErrors,
) -> Result<Response, PageError> {
    let v = assembly::list(state, ctx.caller(), code).await?;
    let status = errors.status();
    let page = render(&AssembliesPage {
        crumbs: Crumbs::within(ctx, &v.scope).current(ctx.t("plan-assemblies-title")),
        ctx,
        scope: v.scope,
        assemblies: v.assemblies,
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
    assemblies_page(
        &state,
        &ctx,
        &code,
        NewAssemblyForm::default(),
        FormErrors::default(),
    )
    .await
}

pub async fn create(
    State(state): State<AppState>,
    ctx: Ctx,
    PagePath(code): PagePath<String>,
    CsrfForm(form): CsrfForm<NewAssemblyForm>,
) -> Result<Response, PageError> {
    let input = NewAssemblyInput {
        year: &form.year,
        title: &form.title,
        place: &form.place,
        held_at: &form.held_at,
    };
    match assembly::create(&state, ctx.caller(), &code, &input).await {
        Ok(id) => {
            Ok(Redirect::to(&format!("/assemblies/{id}?notice=plan-notice-saved")).into_response())
        }
        Err(ServiceError::Refused(r)) => {
            let errors = FormErrors::from_refusal(&ctx, &r, "title");
            assemblies_page(&state, &ctx, &code, form, errors).await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(askama::Template)]
#[template(path = "plan/assembly.html")]
struct AssemblyPage<'a> {
    ctx: &'a Ctx,
    crumbs: Crumbs,
    v: AssemblyView,
    notice: Option<String>,
    alert: Option<Alert>,
    errors: FormErrors,
    /// The steps the caller may take now (event, label id).
    steps: Vec<(&'static str, &'static str)>,
    pre_voting: bool,
    in_session: bool,
}

impl AssemblyPage<'_> {
    fn result_of(&self, item: &i64) -> Option<&ItemResult> {
        self.v.results.items.iter().find(|r| r.item == *item)
    }
}

async fn assembly_page(
    state: &AppState,
    ctx: &Ctx,
    id: i64,
    notice_key: Option<&str>,
    alert: Option<Alert>,
    errors: FormErrors,
) -> Result<Response, PageError> {
    let v = assembly::view(state, ctx.caller(), id).await?;
    let s = v.assembly.state;
    let steps = AssemblyEvent::ALL
        .into_iter()
        .filter(|e| {
            let allowed = if e.by_level_above() {
                v.may_fix
            } else {
                v.may_manage
            };
            allowed
                && maeul_domain::plan::apply_assembly(
                    s,
                    v.agenda.len(),
                    v.assembly.plan_id.is_some(),
                    *e,
                )
                .is_ok()
        })
        .map(|e| (e.as_str(), e.message_id()))
        .collect();
    let status = page_status(&errors, alert.as_ref());
    let page = render(&AssemblyPage {
        crumbs: Crumbs::within(ctx, &v.scope)
            .link(
                format!("/scopes/{}/assemblies", v.scope.code),
                ctx.t("plan-assemblies-title"),
            )
            .current(&v.assembly.title),
        ctx,
        notice: notice(ctx, notice_key, NOTICES),
        alert,
        errors,
        steps,
        pre_voting: s == AssemblyState::PreVoting,
        in_session: s == AssemblyState::InSession,
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
    assembly_page(
        &state,
        &ctx,
        id,
        q.notice.as_deref(),
        None,
        FormErrors::default(),
    )
    .await
}

/// Back to the assembly with a notice, or its page with the refusal (`general`: the field that carries
/// a refusal of no field).
async fn after<T>(
    state: &AppState,
    ctx: &Ctx,
    id: i64,
    result: Result<T, ServiceError>,
    notice: &str,
    general: &'static str,
) -> Result<Response, PageError> {
    let success = format!("/assemblies/{id}?notice={notice}");
    after_form(ctx, result, &success, general, |alert, errors| {
        assembly_page(state, ctx, id, None, alert, errors)
    })
    .await
}

#[derive(Deserialize, Default)]
pub struct AgendaForm {
    #[serde(default)]
    pub item: String,
}

pub async fn agenda(
    State(state): State<AppState>,
    ctx: Ctx,
    PagePath(id): PagePath<i64>,
    CsrfForm(form): CsrfForm<AgendaForm>,
) -> Result<Response, PageError> {
    let result = assembly::add_item(&state, ctx.caller(), id, &form.item).await;
    after(&state, &ctx, id, result, "plan-notice-saved", "item").await
}

#[derive(Deserialize, Default)]
pub struct StepForm {
    #[serde(default)]
    pub event: String,
}

pub async fn step(
    State(state): State<AppState>,
    ctx: Ctx,
    PagePath(id): PagePath<i64>,
    CsrfForm(form): CsrfForm<StepForm>,
) -> Result<Response, PageError> {
    let result = assembly::step(&state, ctx.caller(), id, &form.event).await;
    after(&state, &ctx, id, result, "plan-notice-saved", "event").await
}

#[derive(Deserialize, Default)]
pub struct AttendForm {
    #[serde(default)]
    pub voter: String,
}

pub async fn attend(
    State(state): State<AppState>,
    ctx: Ctx,
    PagePath(id): PagePath<i64>,
    CsrfForm(form): CsrfForm<AttendForm>,
) -> Result<Response, PageError> {
    let result = assembly::attend(&state, ctx.caller(), id, &form.voter).await;
    after(&state, &ctx, id, result, "plan-notice-saved", "voter").await
}

/// A resident's own online ballot.
pub async fn vote(
    State(state): State<AppState>,
    ctx: Ctx,
    PagePath(id): PagePath<i64>,
    CsrfForm(form): CsrfForm<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let result = assembly::vote(&state, ctx.caller(), id, &form).await;
    after(&state, &ctx, id, result, "plan-notice-voted", "ballot").await
}

/// A paper or on-site ballot entered by staff.
pub async fn enter(
    State(state): State<AppState>,
    ctx: Ctx,
    PagePath(id): PagePath<i64>,
    CsrfForm(form): CsrfForm<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let result = assembly::enter(&state, ctx.caller(), id, &form).await;
    after(&state, &ctx, id, result, "plan-notice-entered", "entry").await
}
