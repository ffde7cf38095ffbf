//! Calls for members: the call's page (quotas, applying, the verifiable draw), the staff's steps, and
//! the published input and draw documents.
use std::collections::BTreeMap;

use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};
use maeul_db::committees::{ApplicationRow, CallRow};
use maeul_domain::committee::{ApplicationStatus, CallEvent, apply_call};
use maeul_sortition::instance::FeatureSpec;
use serde::Deserialize;

use super::bodies::{NoticeQuery, after_committee_form};
use crate::AppState;
use crate::areas::committees::draw::rerun_command;
use crate::areas::committees::service::calls::{self, NewCallInput, stratum_field};
use crate::areas::committees::views::{CommitteeText, NOTICES};
use crate::http::{
    Alert, Crumbs, CsrfForm, Ctx, FormErrors, PageError, PagePath, PageQuery, ServiceError,
    after_form, notice, page_status, render,
};

#[derive(Deserialize, Default)]
pub struct CallForm {
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub seats: String,
    #[serde(default)]
    pub reserves: String,
    #[serde(default)]
    pub min_age: String,
    #[serde(default)]
    pub training_hours: String,
    #[serde(default)]
    pub features: String,
    #[serde(default)]
    pub seed_rule: String,
    #[serde(default)]
    pub term_start: String,
    #[serde(default)]
    pub term_end: String,
}

/// Staff open a draft call for a committee's civil seats.
pub async fn create(
    State(state): State<AppState>,
    ctx: Ctx,
    PagePath(id): PagePath<i64>,
    CsrfForm(form): CsrfForm<CallForm>,
) -> Result<Response, PageError> {
    let me = ctx.caller().ok_or(PageError::Unauthorized)?;
    let input = NewCallInput {
        title: &form.title,
        description: &form.description,
        seats: &form.seats,
        reserves: &form.reserves,
        min_age: &form.min_age,
        training_hours: &form.training_hours,
        features: &form.features,
        seed_rule: &form.seed_rule,
        term_start: &form.term_start,
        term_end: &form.term_end,
    };
    let result = calls::create(&state, me, id, &input).await;
    after_committee_form(&state, &ctx, id, "call_features", result, |call| {
        format!("/calls/{call}?notice=committee-notice-saved")
    })
    .await
}

/// An applicant as staff see them.
pub struct ApplicantView {
    pub a: ApplicationRow,
    /// Still applied (eligibility not yet decided): why it would not be eligible now.
    pub pending: bool,
    pub reasons: Vec<String>,
    /// Why it was found ineligible when the call closed.
    pub stored_reasons: Vec<String>,
    /// "gender: female, age_band: 40-59".
    pub strata: String,
}

/// A draw as the call's page shows it.
pub struct DrawView {
    pub seed_text: String,
    pub seed_sha256: String,
    pub command: String,
    /// (seat, pseudonym, probability)
    pub panel: Vec<(i64, String, String)>,
    /// (rank, pseudonym)
    pub reserves: Vec<(i64, String)>,
    /// (pseudonym, probability)
    pub probabilities: Vec<(String, String)>,
}

fn draw_view(call: &CallRow, draw: &maeul_db::committees::DrawRow) -> DrawView {
    let result: serde_json::Value = serde_json::from_str(&draw.result_json).unwrap_or_default();
    let list = |key: &str| result[key].as_array().cloned().unwrap_or_default();
    let prob = |v: &serde_json::Value| format!("{:.4}", v.as_f64().unwrap_or(0.0));
    let id = |v: &serde_json::Value| v["id"].as_str().unwrap_or("").to_owned();
    DrawView {
        seed_text: draw.seed_text.clone(),
        seed_sha256: draw.seed_sha256.clone(),
        command: rerun_command(call.id, &draw.seed_text),
        panel: list("panel")
            .iter()
            .map(|p| {
                (
                    p["seat"].as_i64().unwrap_or(0),
                    id(p),
                    prob(&p["probability"]),
                )
            })
            .collect(),
        reserves: list("reserves")
            .iter()
            .map(|p| (p["rank"].as_i64().unwrap_or(0), id(p)))
            .collect(),
        probabilities: list("probabilities")
            .iter()
            .map(|p| (id(p), prob(&p["probability"])))
            .collect(),
    }
}

/// The staff's steps the call's state allows (decided by the call's rules).
pub struct CallSteps {
    pub open: bool,
    pub close: bool,
    pub draw: bool,
    pub publish: bool,
    pub vacancies: bool,
    pub training: bool,
}

#[derive(askama::Template)]
#[template(path = "committees/committee_call.html")]
struct CallPage<'a> {
    ctx: &'a Ctx,
    crumbs: Crumbs,
    call: CallRow,
    notice: Option<String>,
    alert: Option<Alert>,
    features: Vec<FeatureSpec>,
    /// (form field, feature) of the apply form's selects.
    strata_fields: Vec<(&'static str, FeatureSpec)>,
    mine: Option<ApplicationRow>,
    may_apply: bool,
    apply_hint: Option<String>,
    may_run: bool,
    steps: CallSteps,
    applicants: Vec<ApplicantView>,
    draw: Option<DrawView>,
    pending_vacancies: usize,
    errors: FormErrors,
}

async fn call_page(
    state: &AppState,
    ctx: &Ctx,
    id: i64,
    notice_key: Option<&str>,
    errors: FormErrors,
    alert: Option<Alert>,
) -> Result<Response, PageError> {
    let v = calls::view(state, ctx.caller(), id).await?;
    let open = v.call.state.accepts_applications();
    let apply_hint = if !open || v.mine.is_some() {
        None
    } else if ctx.user().is_none() {
        Some(ctx.t("committee-apply-sign-in"))
    } else if !v.resident {
        Some(ctx.t("committee-apply-residents-only"))
    } else {
        None
    };
    let allows = |event| v.may_run && apply_call(v.call.state, event, 1).is_ok();
    let steps = CallSteps {
        open: allows(CallEvent::Open),
        close: allows(CallEvent::Close),
        draw: allows(CallEvent::Draw),
        publish: allows(CallEvent::Publish),
        vacancies: v.may_run && v.call.state == maeul_domain::committee::CallState::Published,
        training: v.may_run && open,
    };
    let applicants = v
        .applicants
        .into_iter()
        .map(|(a, why)| ApplicantView {
            pending: a.status == ApplicationStatus::Applied,
            reasons: why.iter().map(|r| ctx.ineligible(r)).collect(),
            stored_reasons: a
                .ineligible_reasons()
                .unwrap_or_default()
                .iter()
                .map(|r| ctx.ineligible(r))
                .collect(),
            strata: serde_json::from_str::<BTreeMap<String, String>>(&a.strata_json)
                .unwrap_or_default()
                .iter()
                .map(|(k, v)| format!("{k}: {v}"))
                .collect::<Vec<_>>()
                .join(", "),
            a,
        })
        .collect();
    let status = page_status(&errors, alert.as_ref());
    let page = render(&CallPage {
        crumbs: Crumbs::within(ctx, &v.scope)
            .link(
                format!("/scopes/{}/committees", v.scope.code),
                ctx.t("committees-title"),
            )
            .link(format!("/committees/{}", v.committee.id), &v.committee.name)
            .current(&v.call.title),
        ctx,
        notice: notice(ctx, notice_key, NOTICES),
        alert,
        strata_fields: v
            .features
            .iter()
            .enumerate()
            .map(|(i, f)| (stratum_field(i), f.clone()))
            .collect(),
        features: v.features,
        may_apply: v.may_apply,
        apply_hint,
        mine: v.mine,
        may_run: v.may_run,
        steps,
        applicants,
        draw: v.draw.as_ref().map(|d| draw_view(&v.call, d)),
        pending_vacancies: v.pending_vacancies,
        errors,
        call: v.call,
    })?;
    Ok((status, page).into_response())
}

pub async fn show(
    State(state): State<AppState>,
    ctx: Ctx,
    PagePath(id): PagePath<i64>,
    PageQuery(q): PageQuery<NoticeQuery>,
) -> Result<Response, PageError> {
    call_page(
        &state,
        &ctx,
        id,
        q.notice.as_deref(),
        FormErrors::default(),
        None,
    )
    .await
}

/// Where a call action leads: the call with a notice, or the call's page with the refusal.
async fn after_call_action<T>(
    state: &AppState,
    ctx: &Ctx,
    id: i64,
    result: Result<T, ServiceError>,
    notice: &str,
) -> Result<Response, PageError> {
    let success = format!("/calls/{id}?notice={notice}");
    after_form(ctx, result, &success, "seed_text", |alert, errors| {
        call_page(state, ctx, id, None, errors, alert)
    })
    .await
}

/// Residents apply with their age and self-declared strata (one category of every feature).
pub async fn apply(
    State(state): State<AppState>,
    ctx: Ctx,
    PagePath(id): PagePath<i64>,
    CsrfForm(form): CsrfForm<BTreeMap<String, String>>,
) -> Result<Response, PageError> {
    let me = ctx.caller().ok_or(PageError::Unauthorized)?;
    let result = calls::apply(&state, me, id, &form).await;
    after_call_action(&state, &ctx, id, result, "committee-notice-applied").await
}

#[derive(Deserialize, Default)]
pub struct TrainingForm {
    #[serde(default)]
    pub application: String,
    #[serde(default)]
    pub hours: String,
    #[serde(default)]
    pub note: String,
}

pub async fn log_training(
    State(state): State<AppState>,
    ctx: Ctx,
    PagePath(id): PagePath<i64>,
    CsrfForm(form): CsrfForm<TrainingForm>,
) -> Result<Response, PageError> {
    let me = ctx.caller().ok_or(PageError::Unauthorized)?;
    let result =
        calls::log_training(&state, me, id, &form.application, &form.hours, &form.note).await;
    after_call_action(&state, &ctx, id, result, "committee-notice-saved").await
}

#[derive(Deserialize)]
pub struct Empty {}

pub async fn open(
    State(state): State<AppState>,
    ctx: Ctx,
    PagePath(id): PagePath<i64>,
    CsrfForm(_): CsrfForm<Empty>,
) -> Result<Response, PageError> {
    let me = ctx.caller().ok_or(PageError::Unauthorized)?;
    let result = calls::open(&state, me, id).await;
    after_call_action(&state, &ctx, id, result, "committee-notice-saved").await
}

pub async fn close(
    State(state): State<AppState>,
    ctx: Ctx,
    PagePath(id): PagePath<i64>,
    CsrfForm(_): CsrfForm<Empty>,
) -> Result<Response, PageError> {
    let me = ctx.caller().ok_or(PageError::Unauthorized)?;
    let result = calls::close(&state, me, id).await;
    after_call_action(&state, &ctx, id, result, "committee-notice-saved").await
}

#[derive(Deserialize, Default)]
pub struct DrawForm {
    #[serde(default)]
    pub seed_text: String,
}

/// Runs the draw with the announced seed text.
pub async fn run_draw(
    State(state): State<AppState>,
    ctx: Ctx,
    PagePath(id): PagePath<i64>,
    CsrfForm(form): CsrfForm<DrawForm>,
) -> Result<Response, PageError> {
    let me = ctx.caller().ok_or(PageError::Unauthorized)?;
    let result = calls::run_draw(&state, me, id, &form.seed_text).await;
    after_call_action(&state, &ctx, id, result, "committee-notice-drawn").await
}

/// Publishes the drawn panel: its members take their seats (and the committee-member role).
pub async fn publish(
    State(state): State<AppState>,
    ctx: Ctx,
    PagePath(id): PagePath<i64>,
    CsrfForm(_): CsrfForm<Empty>,
) -> Result<Response, PageError> {
    let me = ctx.caller().ok_or(PageError::Unauthorized)?;
    match calls::publish(&state, me, id).await {
        Ok(committee) => Ok(Redirect::to(&format!(
            "/committees/{committee}?notice=committee-notice-saved"
        ))
        .into_response()),
        Err(e) => after_call_action(&state, &ctx, id, Err::<(), _>(e), "").await,
    }
}

/// Fills the next vacancy of a published panel from its reserve list.
pub async fn fill_vacancy(
    State(state): State<AppState>,
    ctx: Ctx,
    PagePath(id): PagePath<i64>,
    CsrfForm(_): CsrfForm<Empty>,
) -> Result<Response, PageError> {
    let me = ctx.caller().ok_or(PageError::Unauthorized)?;
    let result = calls::fill_vacancy(&state, me, id).await;
    after_call_action(&state, &ctx, id, result, "committee-notice-vacancy-filled").await
}

/// `/calls/{id}/input.json`: the exact published lottery input (its SHA-256 is on the call page).
pub async fn input(
    State(state): State<AppState>,
    ctx: Ctx,
    PagePath(id): PagePath<i64>,
) -> Result<Response, PageError> {
    let text = calls::input_json(&state, ctx.caller(), id).await?;
    let disposition = format!("attachment; filename=\"call-{id}-input.json\"");
    Ok((
        [
            (header::CONTENT_TYPE, "application/json".to_owned()),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        text,
    )
        .into_response())
}

/// `/calls/{id}/draw.json`: everything needed to check a draw.
pub async fn draw_json(
    State(state): State<AppState>,
    ctx: Ctx,
    PagePath(id): PagePath<i64>,
) -> Result<Response, PageError> {
    let doc = calls::draw_document(&state, ctx.caller(), id).await?;
    Ok(axum::Json(doc).into_response())
}
