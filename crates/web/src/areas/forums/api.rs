//! `/api/v1` for the forums: a scope's conversations, one conversation, its statements, its current map
//! (exactly the shape `maeul opinion analyze --json` prints), and, with a bearer token, voting and
//! submitting statements. Every handler calls the area's services, as the pages do.
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use maeul_db::forums::{ConversationRow, StatementRow};
use maeul_domain::forum::StatementState;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::service::{conversations, maps, participation};
use crate::AppState;
use crate::http::{ApiCaller, ApiError, ApiJson, ApiPath, ApiQuery, ServiceError};

#[derive(Serialize, ToSchema)]
pub struct ConversationJson {
    pub id: i64,
    pub scope_code: String,
    pub topic: String,
    pub description: String,
    /// `open`, `closed` or `reported` (drafts are not listed).
    pub state: &'static str,
    /// `residents` (verified residents of the scope) or `signed_in`.
    pub participation: &'static str,
    /// `pre` or `post`.
    pub moderation: &'static str,
    /// The object it is attached to (`agenda_item`, `proposal`, `debate`, `budget_process`,
    /// `committee_meeting`), if any.
    pub object_kind: Option<&'static str>,
    pub object_id: Option<i64>,
    /// The published report (empty until then).
    pub report: String,
    /// Unix seconds.
    pub created_at: i64,
}

fn conversation_json(state: &AppState, c: ConversationRow) -> ConversationJson {
    ConversationJson {
        scope_code: state
            .scopes()
            .get(c.scope_id)
            .map(|s| s.code.clone())
            .unwrap_or_default(),
        state: c.state.as_str(),
        participation: c.participation.as_str(),
        moderation: c.moderation.as_str(),
        object_kind: c.object_kind.0.map(|k| k.as_str()),
        object_id: c.object_id,
        id: c.id,
        topic: c.topic,
        description: c.description,
        report: c.report,
        created_at: c.created_at,
    }
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ScopeQuery {
    /// The scope's code (MOIS code: `11110` for Jongno-gu).
    pub scope: String,
}

#[utoipa::path(get, path = "/conversations", tag = "forums", operation_id = "list_conversations",
    params(ScopeQuery),
    responses((status = 200, body = [ConversationJson], description = "the scope's conversations, newest first")))]
pub async fn list_conversations(
    State(state): State<AppState>,
    ApiQuery(q): ApiQuery<ScopeQuery>,
) -> Result<Json<Vec<ConversationJson>>, ApiError> {
    let v = conversations::list(&state, None, &q.scope).await?;
    Ok(Json(
        v.conversations
            .into_iter()
            .map(|c| conversation_json(&state, c))
            .collect(),
    ))
}

#[utoipa::path(get, path = "/conversations/{id}", tag = "forums", operation_id = "get_conversation",
    params(("id" = i64, Path)), responses((status = 200, body = ConversationJson)))]
pub async fn one_conversation(
    State(state): State<AppState>,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<ConversationJson>, ApiError> {
    let v = conversations::view(&state, None, id).await?;
    Ok(Json(conversation_json(&state, v.conversation)))
}

#[derive(Serialize, ToSchema)]
pub struct StatementJson {
    /// The statement id (`tid` in the map and `comment-id` in the export).
    pub id: i64,
    pub body: String,
    /// The author's pseudonym in this conversation.
    pub author: Option<i64>,
    pub agrees: i64,
    pub disagrees: i64,
    pub passes: i64,
    /// Unix seconds.
    pub created_at: i64,
}

fn statement_json(s: StatementRow) -> StatementJson {
    StatementJson {
        id: s.id,
        body: s.body,
        author: s.author_pseudonym,
        agrees: s.agrees,
        disagrees: s.disagrees,
        passes: s.passes,
        created_at: s.created_at,
    }
}

#[utoipa::path(get, path = "/conversations/{id}/statements", tag = "forums",
    operation_id = "list_conversation_statements",
    params(("id" = i64, Path)), responses((status = 200, body = [StatementJson], description = "accepted statements, oldest first")))]
pub async fn statements(
    State(state): State<AppState>,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<Vec<StatementJson>>, ApiError> {
    let v = conversations::view(&state, None, id).await?;
    Ok(Json(
        v.statements
            .into_iter()
            .filter(|s| s.state == StatementState::Accepted)
            .map(statement_json)
            .collect(),
    ))
}

/// The current opinion map: `{"k", "groups": [{"id", "members": [pseudonyms], "repness": [...]}],
/// "consensus": {"agree", "disagree"}, "participants_grouped", "participants", "statements"}`, the shape
/// `maeul opinion analyze --json` prints; 404 before the first update.
#[utoipa::path(get, path = "/conversations/{id}/map", tag = "forums", operation_id = "get_conversation_map",
    params(("id" = i64, Path)),
    responses((status = 200, body = Object, description = "the latest map snapshot")))]
pub async fn map(
    State(state): State<AppState>,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let map = maps::latest(&state, id).await?;
    Ok(Json(map.ok_or(ServiceError::NotFound)?))
}

#[derive(Deserialize, ToSchema)]
pub struct VoteJson {
    pub statement_id: i64,
    /// `agree`, `disagree` or `pass`.
    pub vote: String,
}

#[derive(Serialize, ToSchema)]
pub struct VotedJson {
    /// The voter's pseudonym in this conversation (as in the map and the export).
    pub participant: i64,
}

/// Votes on a statement (the latest vote counts).
#[utoipa::path(post, path = "/conversations/{id}/votes", tag = "forums", operation_id = "vote_in_conversation",
    security(("bearer" = [])), params(("id" = i64, Path)),
    request_body = VoteJson, responses((status = 200, body = VotedJson)))]
pub async fn vote(
    State(state): State<AppState>,
    api: ApiCaller,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<VoteJson>,
) -> Result<Json<VotedJson>, ApiError> {
    let participant =
        participation::vote(&state, Some(&api.caller), id, body.statement_id, &body.vote).await?;
    Ok(Json(VotedJson { participant }))
}

#[derive(Deserialize, ToSchema)]
pub struct NewStatementJson {
    /// 5 to 140 characters.
    pub body: String,
}

#[derive(Serialize, ToSchema)]
pub struct StatementCreated {
    pub id: i64,
    /// False while it waits for a moderator (pre-moderation).
    pub shown: bool,
}

/// Submits a statement.
#[utoipa::path(post, path = "/conversations/{id}/statements", tag = "forums",
    operation_id = "submit_statement", security(("bearer" = [])), params(("id" = i64, Path)),
    request_body = NewStatementJson, responses((status = 201, body = StatementCreated)))]
pub async fn submit_statement(
    State(state): State<AppState>,
    api: ApiCaller,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<NewStatementJson>,
) -> Result<(StatusCode, Json<StatementCreated>), ApiError> {
    let (id, shown) = participation::submit(&state, Some(&api.caller), id, &body.body).await?;
    Ok((StatusCode::CREATED, Json(StatementCreated { id, shown })))
}
