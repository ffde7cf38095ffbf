//! Errors at the web edge. Services return [`ServiceError`]; pages turn it into a [`PageError`] (a page in
//! the visitor's language), the API into an [`ApiError`] (`{"error": {code, message, fields}}`, the message
//! in the caller's language). Internal details (SQL, panics) are logged, never shown.
use axum::Json;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Redirect, Response};
use maeul_db::DbError;
use maeul_domain::{Explain, Lang, Refusal, RefusalKind};

use crate::AppState;
use crate::http::auth::{LANG_COOKIE, read_cookie};
use crate::i18n::{I18n, Message};

/// Why a service did not do what was asked. Every variant but `Internal` is something a person or a
/// program can act on; `Internal` is logged and shown as a generic failure.
#[derive(Debug, thiserror::Error)]
pub enum ServiceError {
    #[error("not found")]
    NotFound,
    #[error("sign-in required")]
    SignInRequired,
    #[error("forbidden")]
    Forbidden,
    #[error("refused: {0}")]
    Refused(Refusal),
    /// Too many attempts from this address or at this account: wait.
    #[error("rate limited")]
    RateLimited,
    /// Sign-in with an e-mail and password that do not match (which of the two is not said).
    #[error("wrong credentials")]
    WrongCredentials,
    #[error("internal: {0}")]
    Internal(DbError),
}

impl From<DbError> for ServiceError {
    fn from(e: DbError) -> Self {
        match e {
            DbError::NotFound => ServiceError::NotFound,
            DbError::Refused(r) => ServiceError::Refused(r),
            DbError::Conflict(_) => ServiceError::Refused(Refusal::AlreadyExists),
            other => ServiceError::Internal(other),
        }
    }
}

impl From<Refusal> for ServiceError {
    fn from(r: Refusal) -> Self {
        ServiceError::Refused(r)
    }
}

/// Shorthand for services.
pub type ServiceResult<T> = Result<T, ServiceError>;

/// The status a refusal answers with.
pub fn refusal_status(r: &Refusal) -> StatusCode {
    match r.kind() {
        RefusalKind::Invalid => StatusCode::UNPROCESSABLE_ENTITY,
        RefusalKind::Conflict => StatusCode::CONFLICT,
        RefusalKind::Forbidden => StatusCode::FORBIDDEN,
    }
}

// ---- pages ------------------------------------------------------------------------------------------

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
    /// The request itself is malformed; the message says what was wrong.
    #[error("bad request: {0:?}")]
    BadRequest(Message),
    /// A rule refused the action.
    #[error("refused: {0}")]
    Refused(Refusal),
    #[error("too many attempts")]
    RateLimited,
    #[error("the request body is too large")]
    TooLarge,
    #[error("internal error")]
    Internal,
}

impl From<ServiceError> for PageError {
    fn from(e: ServiceError) -> Self {
        match e {
            ServiceError::NotFound => PageError::NotFound,
            ServiceError::SignInRequired => PageError::Unauthorized,
            ServiceError::Forbidden => PageError::Forbidden,
            ServiceError::Refused(r) => PageError::Refused(r),
            ServiceError::RateLimited => PageError::RateLimited,
            ServiceError::WrongCredentials => PageError::Unauthorized,
            ServiceError::Internal(e) => {
                tracing::error!(error = %e, "storage error");
                PageError::Internal
            }
        }
    }
}

impl From<DbError> for PageError {
    fn from(e: DbError) -> Self {
        ServiceError::from(e).into()
    }
}

impl PageError {
    fn status(&self) -> StatusCode {
        match self {
            PageError::NotFound => StatusCode::NOT_FOUND,
            PageError::Unauthorized => StatusCode::UNAUTHORIZED,
            PageError::Forbidden | PageError::Csrf => StatusCode::FORBIDDEN,
            PageError::BadRequest(_) => StatusCode::BAD_REQUEST,
            PageError::Refused(r) => refusal_status(r),
            PageError::RateLimited => StatusCode::TOO_MANY_REQUESTS,
            PageError::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            PageError::Internal => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The page's title and text ids.
    fn page_id(&self) -> &'static str {
        match self {
            PageError::NotFound => "error-page-not-found",
            PageError::Unauthorized => "error-page-unauthorized",
            PageError::Forbidden => "error-page-forbidden",
            PageError::Csrf => "error-page-csrf",
            PageError::BadRequest(_) => "error-page-bad-request",
            PageError::Refused(_) => "error-page-refused",
            PageError::RateLimited => "error-page-rate-limited",
            PageError::TooLarge => "error-page-too-large",
            PageError::Internal => "error-page-internal",
        }
    }

    fn text_id(&self) -> &'static str {
        match self {
            PageError::NotFound => "error-page-not-found-text",
            PageError::Unauthorized => "error-page-unauthorized-text",
            PageError::Forbidden => "error-page-forbidden-text",
            PageError::Csrf => "error-page-csrf-text",
            PageError::BadRequest(_) => "error-page-bad-request-text",
            PageError::Refused(_) => "error-page-refused-text",
            PageError::RateLimited => "error-page-rate-limited-text",
            PageError::TooLarge => "error-page-too-large-text",
            PageError::Internal => "error-page-internal-text",
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

/// The language of a request, from the language cookie or `Accept-Language`.
pub fn request_lang(headers: &HeaderMap) -> Lang {
    let cookies = headers
        .get(header::COOKIE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let accept = headers
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok());
    Lang::negotiate(read_cookie(cookies, LANG_COOKIE), accept)
}

/// Middleware: turns a [`PageError`] into a page in the visitor's language, or a sign-in redirect. Axum's
/// own rejections of a too-large body become the same translated page.
pub async fn render_error_pages(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    let lang = request_lang(request.headers());
    let path = request
        .uri()
        .path_and_query()
        .map(|p| p.as_str().to_owned())
        .unwrap_or_default();
    let response = next.run(request).await;
    let error = match response.extensions().get::<PageError>() {
        Some(e) => e.clone(),
        None if response.status() == StatusCode::PAYLOAD_TOO_LARGE => PageError::TooLarge,
        None => return response,
    };
    if matches!(error, PageError::Unauthorized) {
        let next = serde_urlencoded::to_string([("next", path.as_str())]).unwrap_or_default();
        return Redirect::to(&format!("/login?{next}")).into_response();
    }
    let detail = match &error {
        PageError::BadRequest(m) => Some(state.i18n.message(lang, m)),
        PageError::Refused(r) => Some(state.i18n.refusal(lang, r)),
        _ => None,
    };
    let page = ErrorTemplate {
        lang,
        title: state.i18n.tr(lang, error.page_id(), &[]),
        message: state.i18n.tr(lang, error.text_id(), &[]),
        detail,
        home: state.i18n.tr(lang, "nav-home", &[]),
    };
    let body = askama::Template::render(&page).unwrap_or_else(|e| {
        tracing::error!(error = %e, "error page rendering failed");
        String::new()
    });
    (error.status(), Html(body)).into_response()
}

// ---- API --------------------------------------------------------------------------------------------

/// An API error: a status, a stable machine-readable code, and a message translated by
/// [`render_api_errors`] into the caller's language.
#[derive(Debug, Clone)]
pub struct ApiError {
    pub status: StatusCode,
    pub code: &'static str,
    pub message: Message,
    /// Field-level problems: (field, code, message).
    pub fields: Vec<(&'static str, &'static str, Message)>,
}

impl ApiError {
    pub fn new(status: StatusCode, code: &'static str, message: Message) -> Self {
        ApiError {
            status,
            code,
            message,
            fields: Vec::new(),
        }
    }
    pub fn not_found() -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            "not_found",
            Message::id("api-error-not-found"),
        )
    }
    pub fn unauthorized() -> Self {
        Self::new(
            StatusCode::UNAUTHORIZED,
            "unauthorized",
            Message::id("api-error-unauthorized"),
        )
    }
    pub fn forbidden() -> Self {
        Self::new(
            StatusCode::FORBIDDEN,
            "forbidden",
            Message::id("api-error-forbidden"),
        )
    }
    /// A malformed request; `message` says what was wrong.
    pub fn bad_request(message: Message) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "bad_request", message)
    }
    pub fn refused(r: &Refusal) -> Self {
        ApiError {
            status: refusal_status(r),
            code: r.code(),
            message: Message::refusal(r),
            fields: r
                .fields()
                .iter()
                .map(|f| (f.field, f.error.code(), Message::refusal(&f.error)))
                .collect(),
        }
    }
}

impl From<ServiceError> for ApiError {
    fn from(e: ServiceError) -> Self {
        match e {
            ServiceError::NotFound => ApiError::not_found(),
            ServiceError::SignInRequired => ApiError::unauthorized(),
            ServiceError::Forbidden => ApiError::forbidden(),
            ServiceError::Refused(r) => ApiError::refused(&r),
            ServiceError::RateLimited => ApiError::new(
                StatusCode::TOO_MANY_REQUESTS,
                "rate_limited",
                Message::id("api-error-rate-limited"),
            ),
            ServiceError::WrongCredentials => ApiError::new(
                StatusCode::UNAUTHORIZED,
                "wrong_credentials",
                Message::id("login-failed"),
            ),
            ServiceError::Internal(e) => {
                tracing::error!(error = %e, "storage error");
                ApiError::new(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "internal",
                    Message::id("api-error-internal"),
                )
            }
        }
    }
}

impl From<DbError> for ApiError {
    fn from(e: DbError) -> Self {
        ServiceError::from(e).into()
    }
}

/// The JSON body of every API error.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct ErrorDetail {
    /// Stable code: `bad_request`, `unauthorized`, `forbidden`, `not_found`, `unsupported_media_type`,
    /// `payload_too_large`, `rate_limited`, `internal`, or the code of a rule's refusal (e.g. `sector_full`,
    /// `invalid_fields`).
    pub code: String,
    /// What went wrong, in the caller's language (`Accept-Language`: Korean or English).
    pub message: String,
    /// For `invalid_fields`: each refused field with its code and message.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<FieldDetail>,
}

#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct FieldDetail {
    pub field: String,
    pub code: String,
    pub message: String,
}

impl IntoResponse for ApiError {
    /// The body is written by [`render_api_errors`], which knows the caller's language.
    fn into_response(self) -> Response {
        let mut response = self.status.into_response();
        response.extensions_mut().insert(self);
        response
    }
}

impl ApiError {
    fn body(&self, i18n: &I18n, lang: Lang) -> ErrorBody {
        ErrorBody {
            error: ErrorDetail {
                code: self.code.into(),
                message: i18n.message(lang, &self.message),
                fields: self
                    .fields
                    .iter()
                    .map(|(field, code, message)| FieldDetail {
                        field: (*field).into(),
                        code: (*code).into(),
                        message: i18n.message(lang, message),
                    })
                    .collect(),
            },
        }
    }
}

/// Middleware of the API: writes every [`ApiError`] as JSON in the caller's language, and turns
/// responses that left the router without one (a body over the limit, an unknown method) into the same
/// JSON shape.
pub async fn render_api_errors(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    let lang = request_lang(request.headers());
    let response = next.run(request).await;
    let error = match response.extensions().get::<ApiError>() {
        Some(e) => e.clone(),
        None => match response.status() {
            StatusCode::PAYLOAD_TOO_LARGE => ApiError::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                "payload_too_large",
                Message::id("api-error-too-large"),
            ),
            StatusCode::METHOD_NOT_ALLOWED => ApiError::new(
                StatusCode::METHOD_NOT_ALLOWED,
                "method_not_allowed",
                Message::id("api-error-method"),
            ),
            _ => return response,
        },
    };
    let mut out = (error.status, Json(error.body(&state.i18n, lang))).into_response();
    for name in [header::ALLOW, header::WWW_AUTHENTICATE] {
        if let Some(v) = response.headers().get(&name) {
            out.headers_mut().insert(name, v.clone());
        }
    }
    if error.status == StatusCode::UNAUTHORIZED {
        out.headers_mut().insert(
            header::WWW_AUTHENTICATE,
            header::HeaderValue::from_static("Bearer"),
        );
    }
    out
}
