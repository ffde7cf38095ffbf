//! Evaluation cycles' pages: a scope's cycles; a cycle with its indicators (target against actual), the
//! self-assessment, the rubric with every evaluator's scores and their spread, the grade and its formula,
//! and each party's forms.
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::surveys::Posted;
use super::{NOTICES, NoticeQuery, value};
use crate::AppState;
use crate::areas::evaluation::service::cycles::{self, CycleView, CyclesView};
use crate::areas::evaluation::service::definitions::{self, IndicatorInput};
use crate::http::{
    Alert, Crumbs, CsrfForm, Ctx, FormErrors, PageError, PagePath, PageQuery, ServiceError, notice,
    page_status, render,
};
use maeul_db::evaluation::DisaggregationRow;
use maeul_domain::evaluation::{
    Aggregation, Better, Dimension, IndicatorKind, IndicatorLevel, LikertSummary, Spread,
};

#[derive(askama::Template)]
#[template(path = "evaluation/cycles.html")]
struct CyclesPage<'a> {
    ctx: &'a Ctx,
    crumbs: Crumbs,
    v: CyclesView,
    errors: FormErrors,
    year: String,
}

async fn cycles_page(
    state: &AppState,
    ctx: &Ctx,
    code: &str,
    errors: FormErrors,
    year: String,
) -> Result<Response, PageError> {
    let v = cycles::list(state, ctx.caller(), code).await?;
    let status = page_status(&errors, None);
    let page = render(&CyclesPage {
        crumbs: Crumbs::within(ctx, &v.scope).current(ctx.t("evaluation-cycles-title")),
        ctx,
        v,
        errors,
        year,
    })?;
    Ok((status, page).into_response())
}

pub async fn list(
    State(state): State<AppState>,
    ctx: Ctx,
    PagePath(code): PagePath<String>,
) -> Result<Response, PageError> {
    cycles_page(&state, &ctx, &code, FormErrors::default(), String::new()).await
}

#[derive(Deserialize, Default)]
pub struct OpenForm {
    #[serde(default)]
    pub year: String,
}

/// Opens a cycle of the scope (its staff).
pub async fn open(
    State(state): State<AppState>,
    ctx: Ctx,
    PagePath(code): PagePath<String>,
    CsrfForm(form): CsrfForm<OpenForm>,
) -> Result<Response, PageError> {
    match definitions::open_cycle(&state, ctx.caller(), &code, &form.year).await {
        Ok(id) => Ok(Redirect::to(&format!(
            "/evaluation-cycles/{id}?notice=evaluation-notice-saved"
        ))
        .into_response()),
        Err(ServiceError::Refused(r)) => {
            let errors = FormErrors::from_refusal(&ctx, &r, "year");
            cycles_page(&state, &ctx, &code, errors, form.year).await
        }
        Err(e) => Err(e.into()),
    }
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
    form: Posted,
}

impl CyclePage<'_> {
    fn levels(&self) -> &'static [IndicatorLevel] {
        &IndicatorLevel::ALL
    }
    fn kinds(&self) -> &'static [IndicatorKind] {
        &IndicatorKind::ALL
    }
    fn directions(&self) -> &'static [Better] {
        &Better::ALL
    }
    fn aggregations(&self) -> &'static [Aggregation] {
        &Aggregation::ALL
    }
    fn dimensions(&self) -> &'static [Dimension] {
        &Dimension::ALL
    }
    fn breakdown_of(&self, indicator: &i64) -> Vec<&DisaggregationRow> {
        self.v
            .disaggregations
            .iter()
            .filter(|d| d.indicator_id == *indicator)
            .collect()
    }
    fn periods_of(&self, indicator: &i64) -> String {
        self.v
            .periods
            .iter()
            .filter(|p| p.0 == *indicator)
            .map(|p| format!("{}: {}", p.1, self.value(p.2)))
            .collect::<Vec<_>>()
            .join(" · ")
    }
    fn headline(&self, question: &str, s: &LikertSummary) -> String {
        let ci = s
            .mean_ci
            .map(|i| format!("{:.2}–{:.2}", i.low, i.high))
            .unwrap_or_else(|| "—".into());
        let mean = s
            .mean
            .map(|m| format!("{m:.2}"))
            .unwrap_or_else(|| "—".into());
        self.ctx.i18n.tr(
            self.ctx.lang,
            "evaluation-survey-headline",
            &[
                ("question", question.to_owned().into()),
                ("mean", mean.into()),
                ("ci", ci.into()),
                ("count", s.n.into()),
            ],
        )
    }
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
    form: Posted,
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
    cycle_page(
        &state,
        &ctx,
        id,
        q.notice.as_deref(),
        None,
        FormErrors::default(),
        Posted::default(),
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
    after_with(state, ctx, id, result, general, Posted::default()).await
}

async fn after_with<T>(
    state: &AppState,
    ctx: &Ctx,
    id: Option<i64>,
    result: Result<T, ServiceError>,
    general: &'static str,
    form: Posted,
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
            cycle_page(state, ctx, id, None, None, errors, form).await
        }
        Err(ServiceError::Refused(r)) => {
            let alert = Some(Alert::refusal(ctx, &r));
            cycle_page(state, ctx, id, None, alert, FormErrors::default(), form).await
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

/// Defines an indicator of a cycle (its implementers, while indicators are defined).
pub async fn indicator(
    State(state): State<AppState>,
    ctx: Ctx,
    PagePath(id): PagePath<i64>,
    CsrfForm(form): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let form = Posted(form);
    let input = IndicatorInput {
        code: form.get("code"),
        name: form.get("name"),
        level: form.get("level"),
        kind: form.get("kind"),
        better: form.get("better"),
        aggregation: form.get("aggregation"),
        unit: form.get("unit"),
        project_id: form.get("project_id"),
        baseline_year: form.get("baseline_year"),
        baseline: form.get("baseline"),
        target: form.get("target"),
        periods: form.get("periods"),
    };
    let result = definitions::add_indicator(&state, ctx.caller(), id, &input).await;
    after_with(&state, &ctx, Some(id), result, "code", form).await
}

/// Records the breakdown of an indicator's actual (its implementers, while measuring).
pub async fn disaggregate(
    State(state): State<AppState>,
    ctx: Ctx,
    PagePath(id): PagePath<i64>,
    CsrfForm(form): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let cycle = cycles::cycle_of_indicator(&state, id).await?;
    let form = Posted(form);
    let result = definitions::disaggregate(
        &state,
        ctx.caller(),
        id,
        form.get("dimension"),
        form.get("breakdown"),
    )
    .await;
    after_with(&state, &ctx, Some(cycle), result, "breakdown", form).await
}
