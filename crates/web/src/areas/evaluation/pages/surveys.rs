//! Surveys' pages: a scope's surveys with the staff's form to open one; a survey with its answer form
//! (plain HTML, no JavaScript) for verified residents of its scope; its results (counts, means and 95 %
//! intervals, with every short answer); and the staff's closing button.
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};

use super::{NOTICES, NoticeQuery};
use crate::AppState;
use crate::areas::evaluation::service::surveys::{
    self, FORM_QUESTIONS, SurveyInput, SurveyView, SurveysView,
};
use crate::http::{
    Alert, Crumbs, CsrfForm, Ctx, FormErrors, PageError, PagePath, PageQuery, ServiceError, notice,
    page_status, render,
};
use maeul_domain::evaluation::{Interval, LikertSummary, QuestionKind, SurveySubject};

/// A form's fields as posted, read by name (repeated rows: `kind1`, `prompt1` …).
#[derive(Default)]
pub struct Posted(pub Vec<(String, String)>);

impl Posted {
    pub fn get(&self, name: &str) -> &str {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .unwrap_or("")
    }
}

#[derive(askama::Template)]
#[template(path = "evaluation/surveys.html")]
struct SurveysPage<'a> {
    ctx: &'a Ctx,
    crumbs: Crumbs,
    v: SurveysView,
    errors: FormErrors,
    form: Posted,
    rows: Vec<usize>,
}

impl SurveysPage<'_> {
    fn subjects(&self) -> &'static [SurveySubject] {
        &SurveySubject::ALL
    }
    fn kinds(&self) -> &'static [QuestionKind] {
        &QuestionKind::ALL
    }
    fn kind_name(&self, i: &usize) -> String {
        format!("kind{i}")
    }
    fn prompt_name(&self, i: &usize) -> String {
        format!("prompt{i}")
    }
}

async fn surveys_page(
    state: &AppState,
    ctx: &Ctx,
    code: &str,
    errors: FormErrors,
    form: Posted,
) -> Result<Response, PageError> {
    let v = surveys::list(state, ctx.caller(), code).await?;
    let status = page_status(&errors, None);
    let page = render(&SurveysPage {
        crumbs: Crumbs::within(ctx, &v.scope).current(ctx.t("survey-list-title")),
        ctx,
        v,
        errors,
        form,
        rows: (1..=FORM_QUESTIONS).collect(),
    })?;
    Ok((status, page).into_response())
}

pub async fn list(
    State(state): State<AppState>,
    ctx: Ctx,
    PagePath(code): PagePath<String>,
) -> Result<Response, PageError> {
    surveys_page(
        &state,
        &ctx,
        &code,
        FormErrors::default(),
        Posted::default(),
    )
    .await
}

pub async fn create(
    State(state): State<AppState>,
    ctx: Ctx,
    PagePath(code): PagePath<String>,
    CsrfForm(form): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let form = Posted(form);
    let kinds: Vec<String> = (1..=FORM_QUESTIONS).map(|i| format!("kind{i}")).collect();
    let prompts: Vec<String> = (1..=FORM_QUESTIONS).map(|i| format!("prompt{i}")).collect();
    let input = SurveyInput {
        title: form.get("title"),
        intro: form.get("intro"),
        year: form.get("year"),
        subject: form.get("subject"),
        subject_id: form.get("subject_id"),
        questions: kinds
            .iter()
            .zip(&prompts)
            .map(|(k, p)| (form.get(k), form.get(p)))
            .collect(),
    };
    match surveys::create(&state, ctx.caller(), &code, &input).await {
        Ok(id) => Ok(
            Redirect::to(&format!("/surveys/{id}?notice=evaluation-notice-saved")).into_response(),
        ),
        Err(ServiceError::Refused(r)) => {
            let errors = FormErrors::from_refusal(&ctx, &r, "title");
            surveys_page(&state, &ctx, &code, errors, form).await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(askama::Template)]
#[template(path = "evaluation/survey.html")]
struct SurveyPage<'a> {
    ctx: &'a Ctx,
    crumbs: Crumbs,
    v: SurveyView,
    notice: Option<String>,
    alert: Option<Alert>,
    errors: FormErrors,
    form: Posted,
    /// The results page (otherwise the answer page).
    results: bool,
}

impl SurveyPage<'_> {
    fn field(&self, position: &i64) -> String {
        format!("q{position}")
    }
    fn num(&self, v: &Option<f64>) -> String {
        v.map(|v| format!("{v:.2}")).unwrap_or_else(|| "—".into())
    }
    fn interval(&self, v: &Option<Interval>) -> String {
        v.map(|i| format!("{:.2}–{:.2}", i.low, i.high))
            .unwrap_or_else(|| "—".into())
    }
    fn share(&self, v: &Option<f64>) -> String {
        v.map(|v| format!("{:.1} %", v * 100.0))
            .unwrap_or_else(|| "—".into())
    }
    fn share_interval(&self, v: &Option<Interval>) -> String {
        v.map(|i| format!("{:.1}–{:.1} %", i.low * 100.0, i.high * 100.0))
            .unwrap_or_else(|| "—".into())
    }
    fn points(&self, s: &LikertSummary) -> Vec<(usize, u64)> {
        s.counts
            .iter()
            .enumerate()
            .map(|(i, c)| (i + 1, *c))
            .collect()
    }
}

#[allow(clippy::too_many_arguments)]
async fn survey_page(
    state: &AppState,
    ctx: &Ctx,
    id: i64,
    results: bool,
    notice_key: Option<&str>,
    alert: Option<Alert>,
    errors: FormErrors,
    form: Posted,
) -> Result<Response, PageError> {
    let v = surveys::view(state, ctx.caller(), id).await?;
    let status = page_status(&errors, alert.as_ref());
    let mut crumbs = Crumbs::within(ctx, &v.scope).link(
        format!("/scopes/{}/surveys", v.scope.code),
        ctx.t("survey-list-title"),
    );
    crumbs = if results {
        crumbs
            .link(format!("/surveys/{id}"), &v.survey.title)
            .current(ctx.t("survey-results"))
    } else {
        crumbs.current(&v.survey.title)
    };
    let page = render(&SurveyPage {
        crumbs,
        ctx,
        notice: notice(ctx, notice_key, NOTICES),
        alert,
        errors,
        form,
        results,
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
    let (n, errors) = (q.notice.as_deref(), FormErrors::default());
    survey_page(&state, &ctx, id, false, n, None, errors, Posted::default()).await
}

pub async fn results(
    State(state): State<AppState>,
    ctx: Ctx,
    PagePath(id): PagePath<i64>,
    PageQuery(q): PageQuery<NoticeQuery>,
) -> Result<Response, PageError> {
    let (n, errors) = (q.notice.as_deref(), FormErrors::default());
    survey_page(&state, &ctx, id, true, n, None, errors, Posted::default()).await
}

pub async fn respond(
    State(state): State<AppState>,
    ctx: Ctx,
    PagePath(id): PagePath<i64>,
    CsrfForm(form): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let answers: Vec<(i64, String)> = form
        .iter()
        .filter_map(|(k, v)| Some((k.strip_prefix('q')?.parse().ok()?, v.clone())))
        .collect();
    let result = surveys::respond(&state, ctx.caller(), id, &answers).await;
    after(&state, &ctx, id, result.map(|_| ()), Posted(form)).await
}

pub async fn close(
    State(state): State<AppState>,
    ctx: Ctx,
    PagePath(id): PagePath<i64>,
    CsrfForm(_): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let result = surveys::close(&state, ctx.caller(), id).await;
    after(&state, &ctx, id, result, Posted::default()).await
}

async fn after(
    state: &AppState,
    ctx: &Ctx,
    id: i64,
    result: Result<(), ServiceError>,
    form: Posted,
) -> Result<Response, PageError> {
    match result {
        Ok(()) => Ok(Redirect::to(&format!(
            "/surveys/{id}/results?notice=evaluation-notice-saved"
        ))
        .into_response()),
        Err(ServiceError::Refused(r)) if !r.fields().is_empty() => {
            let errors = FormErrors::from_refusal(ctx, &r, "q1");
            survey_page(state, ctx, id, false, None, None, errors, form).await
        }
        Err(ServiceError::Refused(r)) => {
            let alert = Some(Alert::refusal(ctx, &r));
            let errors = FormErrors::default();
            survey_page(state, ctx, id, false, None, alert, errors, form).await
        }
        Err(e) => Err(e.into()),
    }
}
