//! `/api/v1`: proposals (list, read, create, support, withdraw, answer), debates (list, read, open) and
//! their comments (page, post), for programs. Every handler parses, calls the area's service, and writes
//! JSON; what is refused comes back as a stable code with a message in the caller's language.
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use maeul_db::comments::CommentRow;
use maeul_db::proposals::{Kind, ProposalRow};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::AppState;
use crate::areas::proposals::service::comments;
use crate::areas::proposals::service::items::{self, NewItem};
use crate::http::{ApiCaller, ApiError, ApiJson, ApiPath, ApiQuery};

#[derive(Serialize, ToSchema)]
pub struct ProposalJson {
    pub id: i64,
    pub scope_code: String,
    pub title: String,
    /// Markdown as written by the author.
    pub body: String,
    /// `environment`, `safety`, `welfare`, `culture`, `transport`, `economy`, `education`, `housing` or `other`.
    pub category: &'static str,
    /// Proposals: `collecting`, `forum`, `answered`, `adopted`, `closed`, `expired` (others are visible only
    /// to their author). Debates: `debating` or `concluded`.
    pub state: &'static str,
    pub support_count: i64,
    pub comment_count: i64,
    pub author: String,
    /// Unix seconds.
    pub created_at: i64,
    /// `proposal` or `debate` (debates take no supports).
    pub kind: &'static str,
    /// Where it is about, in words ('' when nowhere in particular).
    pub location: String,
    /// A concluded debate's conclusion ('' otherwise).
    pub conclusion: String,
}

impl ProposalJson {
    fn new(state: &AppState, p: ProposalRow) -> Self {
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
            category: p.category.as_str(),
            state: p.state.as_str(),
            support_count: p.support_count,
            comment_count: p.comment_count,
            author: p.author_name,
            created_at: p.created_at,
            kind: p.kind.as_str(),
            location: p.location,
            conclusion: p.conclusion,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct AnswerJson {
    /// `department` or `head`.
    pub responder: &'static str,
    pub body: String,
    pub at: i64,
}

#[derive(Serialize, ToSchema)]
pub struct ObligationJson {
    /// `department` or `head`.
    pub responder: &'static str,
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
#[into_params(parameter_in = Query)]
pub struct Page {
    /// Cursor: only items with a smaller id (the last id of the previous page).
    pub before: Option<i64>,
    /// Page size, 1–100 (default 30).
    pub limit: Option<i64>,
}

#[derive(Serialize, ToSchema)]
pub struct Created {
    pub id: i64,
}

async fn list_items(
    state: &AppState,
    code: &str,
    page: &Page,
    kind: Kind,
) -> Result<Json<Vec<ProposalJson>>, ApiError> {
    let (_, rows, _) =
        items::list(state, code, kind, page.before, page.limit.unwrap_or(30)).await?;
    Ok(Json(
        rows.into_iter()
            .map(|p| ProposalJson::new(state, p))
            .collect(),
    ))
}

/// Public proposals of a scope, newest first.
#[utoipa::path(get, path = "/scopes/{code}/proposals", tag = "proposals", operation_id = "list_proposals",
    params(("code" = String, Path, description = "scope code"), Page),
    responses((status = 200, body = [ProposalJson])))]
pub async fn list_proposals(
    State(state): State<AppState>,
    ApiPath(code): ApiPath<String>,
    ApiQuery(page): ApiQuery<Page>,
) -> Result<Json<Vec<ProposalJson>>, ApiError> {
    list_items(&state, &code, &page, Kind::Proposal).await
}

/// One public proposal with the answers owed and given.
#[utoipa::path(get, path = "/proposals/{id}", tag = "proposals", operation_id = "get_proposal",
    params(("id" = i64, Path)), responses((status = 200, body = ProposalDetail)))]
pub async fn get_proposal(
    State(state): State<AppState>,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<ProposalDetail>, ApiError> {
    let p = items::public(&state, id, Kind::Proposal).await?;
    let now = maeul_domain::time::now();
    let obligations = state
        .db
        .proposal_obligations(id)
        .await?
        .into_iter()
        .map(|o| ObligationJson {
            overdue: o.answered_at.is_none() && o.due_at < now,
            responder: o.responder.as_str(),
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
            responder: a.responder.as_str(),
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
    /// 4–120 characters (runs of spaces count as one).
    #[schema(min_length = 1)]
    pub title: String,
    /// Markdown, at most 10,000 characters.
    #[schema(min_length = 1)]
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

/// Writes a proposal in a scope (verified residents of the scope or below).
#[utoipa::path(post, path = "/scopes/{code}/proposals", tag = "proposals", operation_id = "create_proposal",
    security(("bearer" = [])), params(("code" = String, Path, description = "scope code")),
    request_body = NewProposalJson, responses((status = 201, body = Created)))]
pub async fn create_proposal(
    State(state): State<AppState>,
    api: ApiCaller,
    ApiPath(code): ApiPath<String>,
    ApiJson(body): ApiJson<NewProposalJson>,
) -> Result<(StatusCode, Json<Created>), ApiError> {
    let item = NewItem {
        title: &body.title,
        body: &body.body,
        category: &body.category,
        location: &body.location,
        submit: body.submit,
    };
    let id = items::create(&state, &api.caller, &code, Kind::Proposal, &item).await?;
    Ok((StatusCode::CREATED, Json(Created { id })))
}

#[derive(Serialize, ToSchema)]
pub struct SupportJson {
    /// False when nothing changed (already supported / not supported).
    pub changed: bool,
    pub support_count: i64,
    pub state: &'static str,
}

async fn set_support(
    state: &AppState,
    api: &ApiCaller,
    id: i64,
    add: bool,
) -> Result<Json<SupportJson>, ApiError> {
    let change = items::set_support(state, &api.caller, id, add).await?;
    Ok(Json(SupportJson {
        changed: change.changed,
        support_count: change.count,
        state: change.state.as_str(),
    }))
}

/// Supports a proposal (once per person; verified residents of its scope or below).
#[utoipa::path(post, path = "/proposals/{id}/support", tag = "proposals", operation_id = "support_proposal",
    security(("bearer" = [])), params(("id" = i64, Path)), responses((status = 200, body = SupportJson)))]
pub async fn support(
    State(state): State<AppState>,
    api: ApiCaller,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<SupportJson>, ApiError> {
    set_support(&state, &api, id, true).await
}

/// Withdraws one's support while the proposal collects.
#[utoipa::path(delete, path = "/proposals/{id}/support", tag = "proposals", operation_id = "withdraw_support",
    security(("bearer" = [])), params(("id" = i64, Path)), responses((status = 200, body = SupportJson)))]
pub async fn withdraw(
    State(state): State<AppState>,
    api: ApiCaller,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<SupportJson>, ApiError> {
    set_support(&state, &api, id, false).await
}

#[derive(Deserialize, ToSchema)]
pub struct AnswerRequest {
    /// `department` or `head`.
    pub responder: String,
    /// Markdown, at most 10,000 characters.
    #[schema(min_length = 1)]
    pub body: String,
}

/// Publishes an official answer (officials of the proposal's scope or above).
#[utoipa::path(post, path = "/proposals/{id}/answers", tag = "proposals", operation_id = "answer_proposal",
    security(("bearer" = [])), params(("id" = i64, Path)), request_body = AnswerRequest,
    responses((status = 204)))]
pub async fn answer(
    State(state): State<AppState>,
    api: ApiCaller,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<AnswerRequest>,
) -> Result<StatusCode, ApiError> {
    items::answer(&state, &api.caller, id, &body.responder, &body.body).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Public debates of a scope, newest first.
#[utoipa::path(get, path = "/scopes/{code}/debates", tag = "debates", operation_id = "list_debates",
    params(("code" = String, Path, description = "scope code"), Page),
    responses((status = 200, body = [ProposalJson])))]
pub async fn list_debates(
    State(state): State<AppState>,
    ApiPath(code): ApiPath<String>,
    ApiQuery(page): ApiQuery<Page>,
) -> Result<Json<Vec<ProposalJson>>, ApiError> {
    list_items(&state, &code, &page, Kind::Debate).await
}

/// One public debate.
#[utoipa::path(get, path = "/debates/{id}", tag = "debates", operation_id = "get_debate",
    params(("id" = i64, Path)), responses((status = 200, body = ProposalJson)))]
pub async fn get_debate(
    State(state): State<AppState>,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<ProposalJson>, ApiError> {
    let p = items::public(&state, id, Kind::Debate).await?;
    Ok(Json(ProposalJson::new(&state, p)))
}

#[derive(Deserialize, ToSchema)]
pub struct NewDebateJson {
    /// 4–120 characters (runs of spaces count as one).
    #[schema(min_length = 1)]
    pub title: String,
    /// The opening statement (markdown, at most 10,000 characters).
    #[schema(min_length = 1)]
    pub body: String,
    /// A category, as for proposals.
    pub category: String,
    #[serde(default)]
    pub location: String,
}

/// Opens a debate in a scope (verified residents of the scope or below). It is public at once.
#[utoipa::path(post, path = "/scopes/{code}/debates", tag = "debates", operation_id = "create_debate",
    security(("bearer" = [])), params(("code" = String, Path, description = "scope code")),
    request_body = NewDebateJson, responses((status = 201, body = Created)))]
pub async fn create_debate(
    State(state): State<AppState>,
    api: ApiCaller,
    ApiPath(code): ApiPath<String>,
    ApiJson(body): ApiJson<NewDebateJson>,
) -> Result<(StatusCode, Json<Created>), ApiError> {
    let item = NewItem {
        title: &body.title,
        body: &body.body,
        category: &body.category,
        location: &body.location,
        submit: true,
    };
    let id = items::create(&state, &api.caller, &code, Kind::Debate, &item).await?;
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
    pub position: Option<&'static str>,
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
            position: c.position.0.map(|p| p.as_str()),
            up_votes: c.up_votes,
            down_votes: c.down_votes,
            created_at: c.created_at,
            edited_at: c.edited_at,
            hidden,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct CommentPageJson {
    /// Top-level comments of this page, then every reply under them (oldest first).
    pub comments: Vec<CommentJson>,
    /// Pass as `after` for the next page (null on the last page).
    pub next_after: Option<i64>,
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CommentQuery {
    /// Cursor: the last top-level comment id of the previous page.
    pub after: Option<i64>,
    /// Top-level comments per page, 1–100 (default 50).
    pub limit: Option<i64>,
}

/// The comments of a public proposal or debate, a page of top-level comments with their replies.
#[utoipa::path(get, path = "/proposals/{id}/comments", tag = "comments", operation_id = "list_comments",
    params(("id" = i64, Path), CommentQuery), responses((status = 200, body = CommentPageJson)))]
pub async fn list_comments(
    State(state): State<AppState>,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(q): ApiQuery<CommentQuery>,
) -> Result<Json<CommentPageJson>, ApiError> {
    let page = comments::page(&state, None, id, q.after, q.limit.unwrap_or(50)).await?;
    Ok(Json(CommentPageJson {
        comments: page
            .top
            .into_iter()
            .chain(page.replies)
            .map(Into::into)
            .collect(),
        next_after: page.next_after,
    }))
}

#[derive(Deserialize, ToSchema)]
pub struct NewCommentJson {
    /// Markdown, at most 2,000 characters.
    #[schema(min_length = 1)]
    pub body: String,
    /// Reply to this comment (on the same proposal).
    pub parent_id: Option<i64>,
    /// On debates: `for`, `against` or `neutral`.
    pub position: Option<String>,
}

/// Comments on a public proposal or an open debate (any account).
#[utoipa::path(post, path = "/proposals/{id}/comments", tag = "comments", operation_id = "post_comment",
    security(("bearer" = [])), params(("id" = i64, Path)), request_body = NewCommentJson,
    responses((status = 201, body = Created)))]
pub async fn post_comment(
    State(state): State<AppState>,
    api: ApiCaller,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<NewCommentJson>,
) -> Result<(StatusCode, Json<Created>), ApiError> {
    let (_, comment_id) = comments::post(
        &state,
        &api.caller,
        id,
        body.parent_id,
        &body.body,
        body.position.as_deref().unwrap_or(""),
    )
    .await?;
    Ok((StatusCode::CREATED, Json(Created { id: comment_id })))
}
