//! Errors at the web edge. Pages get a translated error page; the API gets `{"error": {code, message}}`.
//! Internal details (SQL, panics) are logged, never shown: the visitor sees only what they can act on.
use axum::Json;
use axum::extract::{Request, State};
use axum::http::{StatusCode, header};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Redirect, Response};
use maeul_db::DbError;
use maeul_domain::Lang;

use crate::AppState;
use crate::auth::{LANG_COOKIE, read_cookie};

/// Why a page could not be served.
#[derive(Debug, Clone, thiserror::Error)]
pub enum PageError {
    #[error("not found")]
    NotFound,
    #[error("sign-in required")]
    Unauthorized,
    #[error("forbidden")]
    Forbidden,
    #[error("the form's security token is missing or wrong")]
    Csrf,
    #[error("bad request: {0}")]
    BadRequest(String),
    #[error("too many attempts")]
    RateLimited,
    #[error("internal error")]
    Internal,
}

impl From<DbError> for PageError {
    fn from(e: DbError) -> Self {
        match e {
            DbError::NotFound => PageError::NotFound,
            DbError::Invalid(msg) => PageError::BadRequest(msg),
            other => {
                tracing::error!(error = %other, "storage error");
                PageError::Internal
            }
        }
    }
}

impl PageError {
    fn status(&self) -> StatusCode {
        match self {
            PageError::NotFound => StatusCode::NOT_FOUND,
            PageError::Unauthorized => StatusCode::UNAUTHORIZED,
            PageError::Forbidden | PageError::Csrf => StatusCode::FORBIDDEN,
            PageError::BadRequest(_) => StatusCode::BAD_REQUEST,
            PageError::RateLimited => StatusCode::TOO_MANY_REQUESTS,
            PageError::Internal => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
}

impl IntoResponse for PageError {
    /// The page itself is rendered by [`render_error_pages`], which knows the visitor's language.
    fn into_response(self) -> Response {
        let mut response = self.status().into_response();
        response.extensions_mut().insert(self);
        response
    }
}

#[derive(askama::Template)]
#[template(path = "error.html")]
struct ErrorTemplate {
    lang: Lang,
    title: String,
    message: String,
    detail: Option<String>,
    home: String,
}

/// Middleware: turns a [`PageError`] into a page in the visitor's language, or a sign-in redirect.
pub async fn render_error_pages(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    let cookies = request
        .headers()
        .get(header::COOKIE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned();
    let accept = request
        .headers()
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let path = request
        .uri()
        .path_and_query()
        .map(|p| p.as_str().to_owned())
        .unwrap_or_default();
    let response = next.run(request).await;
    let Some(error) = response.extensions().get::<PageError>().cloned() else {
        return response;
    };
    if matches!(error, PageError::Unauthorized) {
        let next = serde_urlencoded::to_string([("next", path.as_str())]).unwrap_or_default();
        return Redirect::to(&format!("/login?{next}")).into_response();
    }
    let lang = Lang::negotiate(read_cookie(&cookies, LANG_COOKIE), accept.as_deref());
    let key = match &error {
        PageError::NotFound => "error-page-not-found",
        PageError::Unauthorized => "error-page-unauthorized",
        PageError::Forbidden => "error-page-forbidden",
        PageError::Csrf => "error-page-csrf",
        PageError::BadRequest(_) => "error-page-bad-request",
        PageError::RateLimited => "error-page-rate-limited",
        PageError::Internal => "error-page-internal",
    };
    let page = ErrorTemplate {
        lang,
        title: state.i18n.tr(lang, key, &[]),
        message: state.i18n.tr(lang, &format!("{key}-text"), &[]),
        detail: match error {
            PageError::BadRequest(detail) => Some(detail),
            _ => None,
        },
        home: state.i18n.tr(lang, "nav-home", &[]),
    };
    let body = askama::Template::render(&page).unwrap_or_else(|_| "error".into());
    (response.status(), Html(body)).into_response()
}

/// An API error: a status and a stable machine-readable code with a human message.
#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    pub code: &'static str,
    pub message: String,
}

impl ApiError {
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        ApiError {
            status,
            code,
            message: message.into(),
        }
    }
    pub fn not_found(what: &str) -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            "not_found",
            format!("{what} not found"),
        )
    }
    pub fn unauthorized() -> Self {
        Self::new(
            StatusCode::UNAUTHORIZED,
            "unauthorized",
            "a valid bearer token is required (Authorization: Bearer <token>)",
        )
    }
    pub fn bad_request(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "bad_request", message)
    }
}

impl From<DbError> for ApiError {
    fn from(e: DbError) -> Self {
        match e {
            DbError::NotFound => ApiError::not_found("resource"),
            DbError::Conflict(what) => ApiError::new(
                StatusCode::CONFLICT,
                "conflict",
                format!("{what} already exists"),
            ),
            DbError::Invalid(msg) => ApiError::bad_request(msg),
            other => {
                tracing::error!(error = %other, "storage error");
                ApiError::new(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "internal",
                    "internal error; it has been logged",
                )
            }
        }
    }
}

/// The JSON body of every API error.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct ErrorDetail {
    /// Stable code: `bad_request`, `unauthorized`, `forbidden`, `not_found`, `conflict`, `rate_limited`, `internal`.
    pub code: String,
    /// What went wrong, in English.
    pub message: String,
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = ErrorBody {
            error: ErrorDetail {
                code: self.code.into(),
                message: self.message,
            },
        };
        (self.status, Json(body)).into_response()
    }
}
