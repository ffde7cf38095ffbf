//! `/api/v1/me` and `/api/v1/auth/…`: the account behind a token, and bearer tokens for programs.
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::AppState;
use crate::areas::accounts::service;
use crate::http::error::ErrorBody;
use crate::http::{ApiCaller, ApiError, ApiJson, ApiPath, ClientIp};

#[derive(Serialize, ToSchema)]
pub struct RoleJson {
    /// `resident`, `committee_member`, `official`, `support_staff`, `evaluator`, `moderator` or `administrator`.
    pub role: &'static str,
    /// The scope the role is held in (it reaches every scope below).
    pub scope_code: String,
}

#[derive(Serialize, ToSchema)]
pub struct ResidencyJson {
    pub scope_code: String,
    /// `pending`, `verified`, `rejected` or `revoked`.
    pub status: &'static str,
    /// `resident`, `worker`, `student`, `business` or `foreigner`.
    pub basis: &'static str,
}

#[derive(Serialize, ToSchema)]
pub struct MeJson {
    pub id: i64,
    pub email: String,
    pub display_name: String,
    /// The unique name people mention (`@handle`) and find (`/people/{handle}`).
    pub handle: String,
    /// Preferred language, `ko` or `en`.
    pub lang: String,
    pub roles: Vec<RoleJson>,
    pub residency: Option<ResidencyJson>,
}

/// The signed-in account, its roles and its residence.
#[utoipa::path(get, path = "/me", tag = "accounts", operation_id = "get_me", security(("bearer" = [])),
    responses((status = 200, body = MeJson)))]
pub async fn me(State(state): State<AppState>, api: ApiCaller) -> Json<MeJson> {
    let tree = state.scopes();
    let code = |id: i64| tree.get(id).map(|s| s.code.clone()).unwrap_or_default();
    let c = api.caller;
    Json(MeJson {
        roles: c
            .actor
            .grants
            .iter()
            .map(|g| RoleJson {
                role: g.role.as_str(),
                scope_code: code(g.scope_id),
            })
            .collect(),
        residency: c.residency.as_ref().map(|r| ResidencyJson {
            scope_code: code(r.scope_id),
            status: r.status.as_str(),
            basis: r.basis.as_str(),
        }),
        id: c.user.id,
        email: c.user.email,
        display_name: c.user.display_name,
        handle: c.user.handle,
        lang: c.user.lang,
    })
}

#[derive(Deserialize, ToSchema)]
pub struct TokenRequest {
    pub email: String,
    pub password: String,
    /// A name to recognise the token by (default "api").
    #[serde(default)]
    pub label: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct TokenResponse {
    /// Send as `Authorization: Bearer <token>`. Shown once; only its hash is stored.
    pub token: String,
    /// Id of the token, to revoke it with `DELETE /api/v1/auth/tokens/{id}`.
    pub id: i64,
}

/// Exchanges e-mail and password for a bearer token. Rate-limited like the sign-in form; a blocked
/// account gets none.
#[utoipa::path(post, path = "/auth/token", tag = "accounts", operation_id = "create_token",
    request_body = TokenRequest, responses((status = 201, body = TokenResponse),
        (status = 401, description = "Wrong e-mail or password (`wrong_credentials`)", body = ErrorBody)))]
pub async fn create_token(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    ApiJson(request): ApiJson<TokenRequest>,
) -> Result<(StatusCode, Json<TokenResponse>), ApiError> {
    let user = service::sign_in(&state, &ip, &request.email, &request.password).await?;
    let (token, id) =
        service::issue_token(&state, &user, request.label.as_deref().unwrap_or("")).await?;
    Ok((StatusCode::CREATED, Json(TokenResponse { token, id })))
}

/// Revokes the token this request is made with.
#[utoipa::path(delete, path = "/auth/token", tag = "accounts", operation_id = "revoke_current_token",
    security(("bearer" = [])), responses((status = 204)))]
pub async fn revoke_current(
    State(state): State<AppState>,
    api: ApiCaller,
) -> Result<StatusCode, ApiError> {
    service::revoke_token(&state, &api.caller, api.token_id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Revokes one of the caller's tokens.
#[utoipa::path(delete, path = "/auth/tokens/{id}", tag = "accounts", operation_id = "revoke_token",
    security(("bearer" = [])), params(("id" = i64, Path, description = "token id")),
    responses((status = 204)))]
pub async fn revoke(
    State(state): State<AppState>,
    api: ApiCaller,
    ApiPath(id): ApiPath<i64>,
) -> Result<StatusCode, ApiError> {
    service::revoke_token(&state, &api.caller, id).await?;
    Ok(StatusCode::NO_CONTENT)
}
