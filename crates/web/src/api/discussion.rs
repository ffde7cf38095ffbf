//! `/api/v1/…/debates` and `/api/v1/proposals/{id}/comments`: debates and threaded comments for
//! programs (read, and write with a bearer token).
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use maeul_db::comments::CommentRow;
use maeul_db::proposals::{Kind, NewProposal, ProposalRow};
use maeul_domain::Action;
use maeul_domain::debate::Position;
use maeul_domain::proposal::input;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::AppState;
use crate::api::proposals::{Created, Page, ProposalJson, field_error, require};
use crate::api::{ApiJson, ApiUser};
use crate::error::{ApiError, ErrorBody};

/// A public debate, or a 404 (hidden, unknown, or a proposal).
async fn public_debate(state: &AppState, id: i64) -> Result<ProposalRow, ApiError> {
    match state.db.proposal(id).await? {
        Some(p) if p.is_debate() && p.hidden_at.is_none() => Ok(p),
        _ => Err(ApiError::not_found("debate")),
    }
}

/// A public proposal or debate (comments belong to either).
async fn public_item(state: &AppState, id: i64) -> Result<ProposalRow, ApiError> {
    match state.db.proposal(id).await? {
        Some(p) if p.hidden_at.is_none() && (p.is_debate() || p.state().is_public()) => Ok(p),
        _ => Err(ApiError::not_found("proposal")),
    }
}

/// Public debates of a scope, newest first.
#[utoipa::path(get, path = "/api/v1/scopes/{code}/debates", tag = "debates", params(("code" = String, Path), Page),
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
        .proposals_in_scope(scope_id, Kind::Debate, page.before, limit)
        .await?;
    Ok(Json(
        rows.into_iter()
            .map(|p| ProposalJson::new(&state, p))
            .collect(),
    ))
}

/// One public debate.
#[utoipa::path(get, path = "/api/v1/debates/{id}", tag = "debates", params(("id" = i64, Path)),
    responses((status = 200, body = ProposalJson), (status = 404, body = ErrorBody)))]
pub async fn one(
    State(state): State<AppState>,
    Path(id): Path<i64>,
) -> Result<Json<ProposalJson>, ApiError> {
    let p = public_debate(&state, id).await?;
    Ok(Json(ProposalJson::new(&state, p)))
}

#[derive(Deserialize, ToSchema)]
pub struct NewDebateJson {
    pub title: String,
    /// The opening statement (markdown).
    pub body: String,
    /// A category, as for proposals.
    pub category: String,
    #[serde(default)]
    pub location: String,
}

/// Opens a debate in a scope (verified residents of the scope or below). It is public at once.
#[utoipa::path(post, path = "/api/v1/scopes/{code}/debates", tag = "debates", security(("bearer" = [])),
    params(("code" = String, Path)), request_body = NewDebateJson,
    responses((status = 201, body = Created), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn create(
    State(state): State<AppState>,
    api: ApiUser,
    Path(code): Path<String>,
    ApiJson(body): ApiJson<NewDebateJson>,
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
    let id = state
        .db
        .create_proposal(&NewProposal {
            scope_id: scope.id,
            author_id: api.user.id,
            title: &title,
            body: &text,
            category,
            location: &location,
            submit: true,
            kind: Kind::Debate,
        })
        .await?;
    Ok((StatusCode::CREATED, Json(Created { id })))
}

#[derive(Serialize, ToSchema)]
pub struct CommentJson {
    pub id: i64,
    /// The comment replied to (null for a top-level comment).
    pub parent_id: Option<i64>,
    pub author: String,
    /// Markdown as written; null when moderators hid it.
    pub body: Option<String>,
    /// On debates: `for`, `against` or `neutral`.
    pub position: Option<String>,
    pub up_votes: i64,
    pub down_votes: i64,
    pub created_at: i64,
    pub edited_at: Option<i64>,
    pub hidden: bool,
}

impl From<CommentRow> for CommentJson {
    fn from(c: CommentRow) -> Self {
        let hidden = c.hidden_at.is_some();
        CommentJson {
            id: c.id,
            parent_id: c.parent_id,
            author: c.author_name,
            body: (!hidden).then_some(c.body),
            position: c.position,
            up_votes: c.up_votes,
            down_votes: c.down_votes,
            created_at: c.created_at,
            edited_at: c.edited_at,
            hidden,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct CommentPage {
    /// Top-level comments of this page, then every reply under them (oldest first).
    pub comments: Vec<CommentJson>,
    /// Pass as `after` for the next page (null on the last page).
    pub next_after: Option<i64>,
}

#[derive(Deserialize, IntoParams)]
pub struct CommentQuery {
    /// Cursor: the last top-level comment id of the previous page.
    pub after: Option<i64>,
    /// Top-level comments per page, 1–100 (default 50).
    pub limit: Option<i64>,
}

/// The comments of a public proposal or debate, a page of top-level comments with their replies.
#[utoipa::path(get, path = "/api/v1/proposals/{id}/comments", tag = "comments", params(("id" = i64, Path), CommentQuery),
    responses((status = 200, body = CommentPage), (status = 404, body = ErrorBody)))]
pub async fn comments(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    Query(q): Query<CommentQuery>,
) -> Result<Json<CommentPage>, ApiError> {
    public_item(&state, id).await?;
    let limit = q.limit.unwrap_or(50).clamp(1, 100);
    let (top, replies) = state
        .db
        .comment_page(id, q.after.unwrap_or(0), limit)
        .await?;
    let next_after = (top.len() as i64 == limit)
        .then(|| top.last().map(|c| c.id))
        .flatten();
    Ok(Json(CommentPage {
        comments: top.into_iter().chain(replies).map(Into::into).collect(),
        next_after,
    }))
}

#[derive(Deserialize, ToSchema)]
pub struct NewCommentJson {
    pub body: String,
    /// Reply to this comment (on the same proposal).
    pub parent_id: Option<i64>,
    /// On debates: `for`, `against` or `neutral`.
    pub position: Option<String>,
}

/// Comments on a public proposal or open debate (any account).
#[utoipa::path(post, path = "/api/v1/proposals/{id}/comments", tag = "comments", security(("bearer" = [])),
    params(("id" = i64, Path)), request_body = NewCommentJson,
    responses((status = 201, body = Created), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn comment(
    State(state): State<AppState>,
    api: ApiUser,
    Path(id): Path<i64>,
    ApiJson(body): ApiJson<NewCommentJson>,
) -> Result<(StatusCode, Json<Created>), ApiError> {
    let p = public_item(&state, id).await?;
    if p.is_debate() && !p.debate_state().takes_comments() {
        return Err(ApiError::bad_request("the debate is concluded"));
    }
    let text = input::parse_comment(&body.body).map_err(|e| field_error("body", e))?;
    let position =
        match (&body.position, p.is_debate()) {
            (None, _) => None,
            (Some(_), false) => {
                return Err(ApiError::bad_request(
                    "position: only debate comments take one",
                ));
            }
            (Some(s), true) => Some(Position::parse(s).ok_or_else(|| {
                ApiError::bad_request("position: must be for, against or neutral")
            })?),
        };
    let comment_id = state
        .db
        .add_comment(id, body.parent_id, api.user.id, &text, position)
        .await?;
    if p.state() == maeul_domain::proposal::ProposalState::Forum && !p.is_debate() {
        let scope = state
            .scopes()
            .get(p.scope_id)
            .cloned()
            .ok_or_else(|| ApiError::not_found("scope"))?;
        let ladder = crate::pages::proposals::ladder_for(&state, &scope).await?;
        state.db.join_forum(id, api.user.id, &ladder).await?;
    }
    Ok((StatusCode::CREATED, Json(Created { id: comment_id })))
}
