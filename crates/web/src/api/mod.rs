//! The JSON API, `/api/v1/…`, for programs. Authentication is by bearer token (`POST /api/v1/auth/token`);
//! cookies are never read here, so no CSRF applies. The OpenAPI document is generated from these handlers.
use axum::extract::rejection::JsonRejection;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::header;
use axum::http::request::Parts;
use axum::routing::{delete, get, post};
use axum::{Json, Router};
use maeul_db::users::User;
use serde::de::DeserializeOwned;
use utoipa::OpenApi;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};

use crate::AppState;
use crate::error::ApiError;

pub mod auth;
pub mod committees;
pub mod discussion;
pub mod me;
pub mod proposals;
pub mod scopes;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/scopes", get(scopes::list))
        .route("/scopes/{code}", get(scopes::one))
        .route("/me", get(me::me))
        .route(
            "/auth/token",
            post(auth::create_token).delete(auth::revoke_current),
        )
        .route("/auth/tokens/{id}", delete(auth::revoke))
        .route(
            "/scopes/{code}/proposals",
            get(proposals::list).post(proposals::create),
        )
        .route("/proposals/{id}", get(proposals::one))
        .route(
            "/proposals/{id}/support",
            post(proposals::support).delete(proposals::withdraw),
        )
        .route("/proposals/{id}/answers", post(proposals::answer))
        .route(
            "/proposals/{id}/comments",
            get(discussion::comments).post(discussion::comment),
        )
        .route(
            "/scopes/{code}/debates",
            get(discussion::list).post(discussion::create),
        )
        .route("/debates/{id}", get(discussion::one))
        .route("/scopes/{code}/committees", get(committees::list))
        .route("/committees/{id}", get(committees::one))
        .route("/committees/{id}/meetings", get(committees::meetings))
        .route("/meetings/{id}", get(committees::meeting))
        .route("/calls/{id}/draw", get(committees::draw))
        .route("/motions/{id}/votes", post(committees::vote))
        .route("/openapi.json", get(openapi_json))
        .fallback(|| async { ApiError::not_found("endpoint") })
}

#[derive(OpenApi)]
#[openapi(
    info(title = "maeul API", description = "Community-based collaborative governance: the city's structure and accounts."),
    paths(scopes::list, scopes::one, me::me, auth::create_token, auth::revoke_current, auth::revoke,
        proposals::list, proposals::one, proposals::create, proposals::support, proposals::withdraw, proposals::answer,
        discussion::list, discussion::one, discussion::create, discussion::comments, discussion::comment,
        committees::list, committees::one, committees::meetings, committees::meeting, committees::draw, committees::vote),
    modifiers(&BearerAuth),
    tags((name = "scopes", description = "The city → district → neighbourhood tree"), (name = "accounts", description = "The signed-in account and its tokens"), (name = "proposals", description = "Resident proposals, supports and official answers"),
        (name = "debates", description = "Debates: an opening statement and comments that take a position"),
        (name = "comments", description = "Threaded comments on proposals and debates"),
        (name = "committees", description = "Committees, meetings, motions, votes, minutes and verifiable draws"))
)]
pub struct ApiDoc;

struct BearerAuth;

impl utoipa::Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

async fn openapi_json() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}

/// The account behind a request's bearer token.
pub struct ApiUser {
    pub user: User,
    pub token_id: i64,
}

impl FromRequestParts<AppState> for ApiUser {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let token = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::trim)
            .ok_or_else(ApiError::unauthorized)?;
        let (user, token_id) = state
            .db
            .api_token_user(&maeul_db::secrets::token_hash(token))
            .await?
            .ok_or_else(ApiError::unauthorized)?;
        Ok(ApiUser { user, token_id })
    }
}

/// A JSON body whose rejection is a JSON error naming what was wrong.
pub struct ApiJson<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        match Json::<T>::from_request(request, state).await {
            Ok(Json(value)) => Ok(ApiJson(value)),
            Err(rejection) => Err(match rejection {
                JsonRejection::MissingJsonContentType(_) => ApiError::new(
                    axum::http::StatusCode::UNSUPPORTED_MEDIA_TYPE,
                    "bad_request",
                    "expected Content-Type: application/json",
                ),
                other => ApiError::bad_request(other.body_text()),
            }),
        }
    }
}
