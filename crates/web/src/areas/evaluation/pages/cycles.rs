//! Evaluation cycles' pages: a scope's cycles; a cycle with its indicators (target against actual), the
//! self-assessment, the rubric with every evaluator's scores and their spread, the grade and its formula,
//! and each party's forms.
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::{NOTICES, NoticeQuery, value};
use crate::AppState;
use crate::areas::evaluation::service::cycles::{self, CycleView, CyclesView};
use crate::http::{
    Alert, Crumbs, CsrfForm, Ctx, FormErrors, PageError, PagePath, PageQuery, ServiceError, notice,
    page_status, render,
};
use maeul_domain::evaluation::Spread;

#[derive(askama::Template)]
#[template(path = "evaluation/cycles.html")]
struct CyclesPage<'a> {
    ctx: &'a Ctx,
    crumbs: Crumbs,
    v: CyclesView,
}

pub async fn list(
    State(state): State<AppState>,
    ctx: Ctx,
    PagePath(code): PagePath<String>,
) -> Result<Response, PageError> {
    let v = cycles::list(&state, &code).await?;
    render(&CyclesPage {
        crumbs: Crumbs::within(&ctx, &v.scope).current(ctx.t("evaluation-cycles-title")),
        ctx: &ctx,
        v,
    })
}

#[derive(askama::Template)]
#[template(path = "evaluation/cycle.html")]
struct CyclePage<'a> {
    ctx: &'a Ctx,
    crumbs: Crumbs,
    v: CycleView,
    notice: Option<String>,
    alert: Option<Alert>,
    errors: FormErrors,
}

impl CyclePage<'_> {
    fn value(&self, v: Option<f64>) -> String {
        v.map(value).unwrap_or_else(|| "—".into())
    }
    fn permille(&self, v: &Option<i64>) -> String {
        v.map(|p| format!("{}.{} %", p / 10, p % 10))
            .unwrap_or_else(|| "—".into())
    }
    fn permille_u(&self, v: &Option<u64>) -> String {
        self.permille(&v.map(|p| p as i64))
    }
    fn mean(&self, spread: &Spread) -> String {
        self.permille_u(&Some(spread.mean_permille))
    }
}

async fn cycle_page(
    state: &AppState,
    ctx: &Ctx,
    id: i64,
    notice_key: Option<&str>,
    alert: Option<Alert>,
    errors: FormErrors,
) -> Result<Response, PageError> {
    let v = cycles::view(state, ctx.caller(), id).await?;
    let status = page_status(&errors, alert.as_ref());
    let page = render(&CyclePage {
        crumbs: Crumbs::within(ctx, &v.scope)
            .link(
                format!("/scopes/{}/evaluations", v.scope.code),
                ctx.t("evaluation-cycles-title"),
            )
            .current(v.cycle.year.to_string()),
        ctx,
        notice: notice(ctx, notice_key, NOTICES),
        alert,
        errors,
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
    cycle_page(
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
    id: Option<i64>,
    result: Result<T, ServiceError>,
    general: &'static str,
) -> Result<Response, PageError> {
    let Some(id) = id else {
        return Err(ServiceError::NotFound.into());
    };
    match result {
        Ok(_) => Ok(Redirect::to(&format!(
            "/evaluation-cycles/{id}?notice=evaluation-notice-saved"
        ))
        .into_response()),
        Err(ServiceError::Refused(r)) if !r.fields().is_empty() => {
            let errors = FormErrors::from_refusal(ctx, &r, general);
            cycle_page(state, ctx, id, None, None, errors).await
        }
        Err(ServiceError::Refused(r)) => {
            let alert = Some(Alert::refusal(ctx, &r));
            cycle_page(state, ctx, id, None, alert, FormErrors::default()).await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize, Default)]
pub struct StepForm {
    #[serde(default)]
    pub event: String,
    #[serde(default)]
    pub narrative: String,
}

pub async fn step(
    State(state): State<AppState>,
    ctx: Ctx,
    PagePath(id): PagePath<i64>,
    CsrfForm(form): CsrfForm<StepForm>,
) -> Result<Response, PageError> {
    let result = cycles::step(&state, ctx.caller(), id, &form.event, &form.narrative).await;
    after(&state, &ctx, Some(id), result, "narrative").await
}

pub async fn score(
    State(state): State<AppState>,
    ctx: Ctx,
    PagePath(id): PagePath<i64>,
    CsrfForm(form): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let scores: Vec<(i64, String)> = form
        .iter()
        .filter_map(|(k, v)| {
            let c = k.strip_prefix("criterion-")?.parse().ok()?;
            Some((c, v.clone()))
        })
        .collect();
    let comment = form
        .iter()
        .find(|(k, _)| k == "comment")
        .map(|(_, v)| v.as_str())
        .unwrap_or("");
    let result = cycles::score(&state, ctx.caller(), id, &scores, comment).await;
    after(&state, &ctx, Some(id), result, "score").await
}

#[derive(Deserialize, Default)]
pub struct IndicatorForm {
    #[serde(default)]
    pub target: String,
    #[serde(default)]
    pub value: String,
    #[serde(default)]
    pub numerator: String,
    #[serde(default)]
    pub denominator: String,
}

pub async fn target(
    State(state): State<AppState>,
    ctx: Ctx,
    PagePath(id): PagePath<i64>,
    CsrfForm(form): CsrfForm<IndicatorForm>,
) -> Result<Response, PageError> {
    let cycle = cycles::cycle_of_indicator(&state, id).await?;
    let result = cycles::set_target(&state, ctx.caller(), id, &form.target).await;
    after(&state, &ctx, Some(cycle), result, "target").await
}

pub async fn actual(
    State(state): State<AppState>,
    ctx: Ctx,
    PagePath(id): PagePath<i64>,
    CsrfForm(form): CsrfForm<IndicatorForm>,
) -> Result<Response, PageError> {
    let cycle = cycles::cycle_of_indicator(&state, id).await?;
    let result = cycles::record_actual(
        &state,
        ctx.caller(),
        id,
        &form.value,
        &form.numerator,
        &form.denominator,
    )
    .await;
    after(&state, &ctx, Some(cycle), result, "value").await
}
