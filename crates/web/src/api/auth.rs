//! `/api/v1/auth/…`: bearer tokens for programs.
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use maeul_db::secrets::{random_token, token_hash};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::AppState;
use crate::api::{ApiJson, ApiUser};
use crate::auth::{dummy_hash, verify_password};
use crate::error::{ApiError, ErrorBody};

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

/// Exchanges e-mail and password for a bearer token. Rate-limited like the sign-in form.
#[utoipa::path(post, path = "/api/v1/auth/token", tag = "accounts", request_body = TokenRequest,
    responses((status = 201, body = TokenResponse), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 429, body = ErrorBody)))]
pub async fn create_token(
    State(state): State<AppState>,
    crate::pages::auth::ClientIp(ip): crate::pages::auth::ClientIp,
    ApiJson(request): ApiJson<TokenRequest>,
) -> Result<(StatusCode, Json<TokenResponse>), ApiError> {
    let email = request.email.trim().to_lowercase();
    let guard = &state.login_guard;
    if !guard.allowed(&ip, &email) {
        return Err(ApiError::new(
            StatusCode::TOO_MANY_REQUESTS,
            "rate_limited",
            "too many failed attempts; wait 15 minutes",
        ));
    }
    let user = state.db.user_by_email(&email).await?;
    let hash = user
        .as_ref()
        .map_or_else(|| dummy_hash().to_owned(), |u| u.password_hash.clone());
    let ok = verify_password(request.password, hash).await;
    let Some(user) = user.filter(|_| ok) else {
        guard.failed(&ip, &email);
        return Err(ApiError::new(
            StatusCode::UNAUTHORIZED,
            "unauthorized",
            "e-mail or password is wrong",
        ));
    };
    guard.succeeded(&email);
    let label: String = request
        .label
        .unwrap_or_else(|| "api".into())
        .chars()
        .take(60)
        .collect();
    let token = random_token();
    let id = state
        .db
        .create_api_token(user.id, &token_hash(&token), &label)
        .await?;
    Ok((StatusCode::CREATED, Json(TokenResponse { token, id })))
}

/// Revokes the token this request is made with.
#[utoipa::path(delete, path = "/api/v1/auth/token", tag = "accounts", security(("bearer" = [])),
    responses((status = 204), (status = 401, body = ErrorBody)))]
pub async fn revoke_current(
    State(state): State<AppState>,
    api: ApiUser,
) -> Result<StatusCode, ApiError> {
    state.db.revoke_api_token(api.user.id, api.token_id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Revokes one of the caller's tokens.
#[utoipa::path(delete, path = "/api/v1/auth/tokens/{id}", tag = "accounts", security(("bearer" = [])),
    params(("id" = i64, Path, description = "token id")),
    responses((status = 204), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn revoke(
    State(state): State<AppState>,
    api: ApiUser,
    Path(id): Path<i64>,
) -> Result<StatusCode, ApiError> {
    state
        .db
        .revoke_api_token(api.user.id, id)
        .await
        .map_err(|e| match e {
            maeul_db::DbError::NotFound => ApiError::not_found("token"),
            other => other.into(),
        })?;
    Ok(StatusCode::NO_CONTENT)
}
