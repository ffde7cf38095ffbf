//! `/api/v1/…/proposals`: resident proposals for programs (read, write, support, answer).
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use maeul_db::proposals::{Kind, NewProposal, ProposalRow, parse_responder};
use maeul_domain::Action;
use maeul_domain::proposal::input;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::AppState;
use crate::api::{ApiJson, ApiUser};
use crate::error::{ApiError, ErrorBody};
use crate::pages::proposals::ladder_for;

#[derive(Serialize, ToSchema)]
pub struct ProposalJson {
    pub id: i64,
    pub scope_code: String,
    pub title: String,
    /// Markdown as written by the author.
    pub body: String,
    pub category: String,
    /// `collecting`, `forum`, `answered`, `adopted`, `closed`, `expired` (others are visible only to their author).
    pub state: String,
    pub support_count: i64,
    pub comment_count: i64,
    pub author: String,
    /// Unix seconds.
    pub created_at: i64,
    /// `proposal` or `debate` (debates: states `debating` / `concluded`, no supports).
    pub kind: String,
    /// Where it is about, in words ('' when nowhere in particular).
    pub location: String,
    /// A concluded debate's conclusion ('' otherwise).
    pub conclusion: String,
}

impl ProposalJson {
    pub(crate) fn new(state: &AppState, p: ProposalRow) -> Self {
        let scope_code = state
            .scopes()
            .get(p.scope_id)
            .map(|s| s.code.clone())
            .unwrap_or_default();
        ProposalJson {
            id: p.id,
            scope_code,
            title: p.title,
            body: p.body,
            category: p.category,
            state: p.state,
            support_count: p.support_count,
            comment_count: p.comment_count,
            author: p.author_name,
            created_at: p.created_at,
            kind: p.kind,
            location: p.location,
            conclusion: p.conclusion,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct AnswerJson {
    /// `department` or `head`.
    pub responder: String,
    pub body: String,
    pub at: i64,
}

#[derive(Serialize, ToSchema)]
pub struct ObligationJson {
    pub responder: String,
    pub due_at: i64,
    pub answered_at: Option<i64>,
    pub overdue: bool,
}

#[derive(Serialize, ToSchema)]
pub struct ProposalDetail {
    #[serde(flatten)]
    pub proposal: ProposalJson,
    pub obligations: Vec<ObligationJson>,
    pub answers: Vec<AnswerJson>,
}

#[derive(Deserialize, IntoParams)]
pub struct Page {
    /// Cursor: only proposals with a smaller id (the last id of the previous page).
    pub before: Option<i64>,
    /// Page size, 1–100 (default 30).
    pub limit: Option<i64>,
}

async fn public_proposal(state: &AppState, id: i64) -> Result<ProposalRow, ApiError> {
    let p = state
        .db
        .proposal(id)
        .await?
        .ok_or_else(|| ApiError::not_found("proposal"))?;
    if p.state().is_public() && p.hidden_at.is_none() && !p.is_debate() {
        Ok(p)
    } else {
        Err(ApiError::not_found("proposal"))
    }
}

/// Public proposals of a scope, newest first.
#[utoipa::path(get, path = "/api/v1/scopes/{code}/proposals", tag = "proposals", params(("code" = String, Path), Page),
    responses((status = 200, body = [ProposalJson]), (status = 404, body = ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    Path(code): Path<String>,
    Query(page): Query<Page>,
) -> Result<Json<Vec<ProposalJson>>, ApiError> {
    let scope_id = state
        .scopes()
        .by_code(&code)
        .map(|s| s.id)
        .ok_or_else(|| ApiError::not_found("scope"))?;
    let limit = page.limit.unwrap_or(30).clamp(1, 100);
    let rows = state
        .db
        .proposals_in_scope(scope_id, Kind::Proposal, page.before, limit)
        .await?;
    Ok(Json(
        rows.into_iter()
            .map(|p| ProposalJson::new(&state, p))
            .collect(),
    ))
}

/// One public proposal with the answers owed and given.
#[utoipa::path(get, path = "/api/v1/proposals/{id}", tag = "proposals", params(("id" = i64, Path)),
    responses((status = 200, body = ProposalDetail), (status = 404, body = ErrorBody)))]
pub async fn one(
    State(state): State<AppState>,
    Path(id): Path<i64>,
) -> Result<Json<ProposalDetail>, ApiError> {
    let p = public_proposal(&state, id).await?;
    let now = maeul_db::now();
    let obligations = state
        .db
        .proposal_obligations(id)
        .await?
        .into_iter()
        .map(|o| ObligationJson {
            overdue: o.answered_at.is_none() && o.due_at < now,
            responder: o.responder,
            due_at: o.due_at,
            answered_at: o.answered_at,
        })
        .collect();
    let answers = state
        .db
        .proposal_answers(id)
        .await?
        .into_iter()
        .map(|a| AnswerJson {
            responder: a.responder,
            body: a.body,
            at: a.at,
        })
        .collect();
    Ok(Json(ProposalDetail {
        proposal: ProposalJson::new(&state, p),
        obligations,
        answers,
    }))
}

#[derive(Deserialize, ToSchema)]
pub struct NewProposalJson {
    pub title: String,
    pub body: String,
    /// One of `environment`, `safety`, `welfare`, `culture`, `transport`, `economy`, `education`, `housing`, `other`.
    pub category: String,
    /// Where it is about, in words (optional, at most 200 characters).
    #[serde(default)]
    pub location: String,
    /// Submit for moderation now (default) or keep as a draft.
    #[serde(default = "yes")]
    pub submit: bool,
}

fn yes() -> bool {
    true
}

#[derive(Serialize, ToSchema)]
pub struct Created {
    pub id: i64,
}

pub(crate) fn field_error(field: &str, e: maeul_domain::account::FieldError) -> ApiError {
    ApiError::bad_request(format!("{field}: {e}"))
}

/// Opens a proposal in a scope (verified residents of the scope or below).
#[utoipa::path(post, path = "/api/v1/scopes/{code}/proposals", tag = "proposals", security(("bearer" = [])),
    params(("code" = String, Path)), request_body = NewProposalJson,
    responses((status = 201, body = Created), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn create(
    State(state): State<AppState>,
    api: ApiUser,
    Path(code): Path<String>,
    ApiJson(body): ApiJson<NewProposalJson>,
) -> Result<(StatusCode, Json<Created>), ApiError> {
    let tree = state.scopes();
    let scope = tree
        .by_code(&code)
        .ok_or_else(|| ApiError::not_found("scope"))?;
    require(&state, &api, Action::ParticipateAsResident, scope.id).await?;
    let title = input::parse_title(&body.title).map_err(|e| field_error("title", e))?;
    let text = input::parse_body(&body.body).map_err(|e| field_error("body", e))?;
    let category = input::parse_category(&body.category).map_err(|e| field_error("category", e))?;
    let location = input::parse_location(&body.location).map_err(|e| field_error("location", e))?;
    let new = NewProposal {
        scope_id: scope.id,
        author_id: api.user.id,
        title: &title,
        body: &text,
        category,
        location: &location,
        submit: body.submit,
        kind: Kind::Proposal,
    };
    let id = state.db.create_proposal(&new).await?;
    Ok((StatusCode::CREATED, Json(Created { id })))
}

/// 403 unless the token's user may do `action` in the scope.
pub(crate) async fn require(
    state: &AppState,
    api: &ApiUser,
    action: Action,
    scope_id: i64,
) -> Result<(), ApiError> {
    let (actor, _) = crate::context::actor_of(state, api.user.id).await?;
    let target = state
        .scopes()
        .scope_ref(scope_id)
        .ok_or_else(|| ApiError::not_found("scope"))?;
    if actor.may(action, &target) {
        Ok(())
    } else {
        Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "forbidden",
            "your roles do not allow this in this scope",
        ))
    }
}

#[derive(Serialize, ToSchema)]
pub struct SupportJson {
    /// False when nothing changed (already supported / not supported).
    pub changed: bool,
    pub support_count: i64,
    pub state: String,
}

async fn change_support(
    state: &AppState,
    api: &ApiUser,
    id: i64,
    add: bool,
) -> Result<Json<SupportJson>, ApiError> {
    let p = public_proposal(state, id).await?;
    require(state, api, Action::ParticipateAsResident, p.scope_id).await?;
    let scope = state
        .scopes()
        .get(p.scope_id)
        .cloned()
        .ok_or_else(|| ApiError::not_found("scope"))?;
    let ladder = ladder_for(state, &scope).await?;
    let change = if add {
        state.db.support_proposal(id, api.user.id, &ladder).await?
    } else {
        state.db.withdraw_support(id, api.user.id, &ladder).await?
    };
    Ok(Json(SupportJson {
        changed: change.changed,
        support_count: change.count,
        state: change.state.as_str().into(),
    }))
}

/// Supports a proposal (once per person; verified residents of its scope or below).
#[utoipa::path(post, path = "/api/v1/proposals/{id}/support", tag = "proposals", security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 200, body = SupportJson), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn support(
    State(state): State<AppState>,
    api: ApiUser,
    Path(id): Path<i64>,
) -> Result<Json<SupportJson>, ApiError> {
    change_support(&state, &api, id, true).await
}

/// Withdraws one's support while the proposal collects.
#[utoipa::path(delete, path = "/api/v1/proposals/{id}/support", tag = "proposals", security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 200, body = SupportJson), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn withdraw(
    State(state): State<AppState>,
    api: ApiUser,
    Path(id): Path<i64>,
) -> Result<Json<SupportJson>, ApiError> {
    change_support(&state, &api, id, false).await
}

#[derive(Deserialize, ToSchema)]
pub struct AnswerRequest {
    /// `department` or `head`.
    pub responder: String,
    pub body: String,
}

/// Publishes an official answer (officials of the proposal's scope or above).
#[utoipa::path(post, path = "/api/v1/proposals/{id}/answers", tag = "proposals", security(("bearer" = [])), params(("id" = i64, Path)),
    request_body = AnswerRequest, responses((status = 204), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn answer(
    State(state): State<AppState>,
    api: ApiUser,
    Path(id): Path<i64>,
    ApiJson(body): ApiJson<AnswerRequest>,
) -> Result<StatusCode, ApiError> {
    let p = public_proposal(&state, id).await?;
    require(&state, &api, Action::AnswerOfficially, p.scope_id).await?;
    let responder = parse_responder(&body.responder)
        .ok_or_else(|| ApiError::bad_request("responder: must be department or head"))?;
    let text = input::parse_body(&body.body).map_err(|e| field_error("body", e))?;
    let scope = state
        .scopes()
        .get(p.scope_id)
        .cloned()
        .ok_or_else(|| ApiError::not_found("scope"))?;
    state
        .db
        .answer_proposal(
            id,
            responder,
            api.user.id,
            &text,
            &ladder_for(&state, &scope).await?,
        )
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
