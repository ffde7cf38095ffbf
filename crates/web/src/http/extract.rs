//! Extractors whose rejections speak the site's language: a malformed id, query or body is a clear 400
//! (a translated page, or JSON for the API), never axum's plain-text English.
use std::net::SocketAddr;

use axum::extract::connect_info::ConnectInfo;
use axum::extract::rejection::{JsonRejection, PathRejection, QueryRejection};
use axum::extract::{FromRequest, FromRequestParts, Json, Path, Query, Request};
use axum::http::StatusCode;
use axum::http::header;
use axum::http::request::Parts;
use serde::de::DeserializeOwned;

use crate::AppState;
use crate::http::context::Caller;
use crate::http::error::{ApiError, PageError};
use crate::i18n::Message;

/// What a malformed path parameter, query or body gets told.
fn path_message(_: &PathRejection) -> Message {
    Message::id("request-error-path")
}

fn query_message(_: &QueryRejection) -> Message {
    Message::id("request-error-query")
}

/// Path parameters of a page (`/proposals/{id}`): `/proposals/abc` is a translated 400.
pub struct PagePath<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned + Send> FromRequestParts<S> for PagePath<T> {
    type Rejection = PageError;
    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        Path::<T>::from_request_parts(parts, state)
            .await
            .map(|Path(v)| PagePath(v))
            .map_err(|e| PageError::BadRequest(path_message(&e)))
    }
}

/// Query parameters of a page (`?before=abc` is a translated 400).
pub struct PageQuery<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequestParts<S> for PageQuery<T> {
    type Rejection = PageError;
    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        Query::<T>::from_request_parts(parts, state)
            .await
            .map(|Query(v)| PageQuery(v))
            .map_err(|e| PageError::BadRequest(query_message(&e)))
    }
}

/// Path parameters of an API operation: a malformed one is a JSON 400.
pub struct ApiPath<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned + Send> FromRequestParts<S> for ApiPath<T> {
    type Rejection = ApiError;
    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        Path::<T>::from_request_parts(parts, state)
            .await
            .map(|Path(v)| ApiPath(v))
            .map_err(|e| ApiError::new(StatusCode::BAD_REQUEST, "bad_path", path_message(&e)))
    }
}

/// Query parameters of an API operation.
pub struct ApiQuery<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = ApiError;
    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        Query::<T>::from_request_parts(parts, state)
            .await
            .map(|Query(v)| ApiQuery(v))
            .map_err(|e| ApiError::new(StatusCode::BAD_REQUEST, "bad_query", query_message(&e)))
    }
}

/// A JSON body whose rejection is a JSON error naming what was wrong: 415 without a JSON content type,
/// 413 over the size limit, 400 for malformed JSON or a missing field.
pub struct ApiJson<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        match Json::<T>::from_request(request, state).await {
            Ok(Json(value)) => Ok(ApiJson(value)),
            Err(rejection) => Err(match rejection {
                JsonRejection::MissingJsonContentType(_) => ApiError::new(
                    StatusCode::UNSUPPORTED_MEDIA_TYPE,
                    "unsupported_media_type",
                    Message::id("api-error-json-content-type"),
                ),
                JsonRejection::BytesRejection(_) => ApiError::new(
                    StatusCode::PAYLOAD_TOO_LARGE,
                    "payload_too_large",
                    Message::id("api-error-too-large"),
                ),
                JsonRejection::JsonSyntaxError(_) => {
                    ApiError::bad_request(Message::id("api-error-json-syntax"))
                }
                JsonRejection::JsonDataError(e) => ApiError::bad_request(
                    Message::id("api-error-json-data").with(
                        "detail",
                        maeul_domain::Arg::Text(
                            e.body_text()
                                .rsplit(": ")
                                .next()
                                .unwrap_or_default()
                                .to_owned(),
                        ),
                    ),
                ),
                _ => ApiError::bad_request(Message::id("api-error-json-syntax")),
            }),
        }
    }
}

/// The account behind a request's bearer token, as a [`Caller`]. Blocked accounts' tokens are refused.
pub struct ApiCaller {
    pub caller: Caller,
    pub token_id: i64,
}

impl FromRequestParts<AppState> for ApiCaller {
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
        Ok(ApiCaller {
            caller: Caller::load(state, user).await?,
            token_id,
        })
    }
}

/// The client's address, for rate limiting: from the configured header of a trusted reverse proxy (its
/// last entry), else the socket peer ("unknown" in in-process tests).
pub struct ClientIp(pub String);

impl FromRequestParts<AppState> for ClientIp {
    type Rejection = std::convert::Infallible;
    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let forwarded = state
            .config
            .client_ip_header
            .as_deref()
            .and_then(|name| parts.headers.get(name))
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.rsplit(',').next())
            .map(str::trim)
            .filter(|ip| ip.parse::<std::net::IpAddr>().is_ok());
        let ip = match forwarded {
            Some(ip) => ip.to_owned(),
            None => parts
                .extensions
                .get::<ConnectInfo<SocketAddr>>()
                .map(|c| c.0.ip().to_string())
                .unwrap_or_else(|| "unknown".into()),
        };
        Ok(ClientIp(ip))
    }
}
