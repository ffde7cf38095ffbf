//! CSRF protection for every state-changing form: a double-submit token.
//!
//! Each visitor gets a random `maeul_csrf` cookie (HttpOnly, SameSite=Strict); every form carries the
//! same value in a hidden `_csrf` field. A cross-site page can make the browser send the cookie but
//! cannot read it to fill the field. [`CsrfForm`] refuses a form whose field does not match (compared in
//! constant time), and also one whose `Origin` header names another site.
use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::{HeaderMap, header};
use axum::middleware::Next;
use axum::response::Response;
use serde::de::DeserializeOwned;
use subtle::ConstantTimeEq;

use crate::AppState;
use crate::http::auth::read_cookie;
use crate::http::error::PageError;
use crate::i18n::Message;

pub const CSRF_COOKIE: &str = "maeul_csrf";
pub const CSRF_FIELD: &str = "_csrf";

/// The visitor's CSRF token, put in the request by [`ensure_cookie`].
#[derive(Clone, Debug)]
pub struct CsrfToken(pub String);

/// Middleware: reads the visitor's token or makes one, and sets the cookie when it was new (`Secure` when
/// the site runs with secure cookies).
pub async fn ensure_cookie(
    axum::extract::State(state): axum::extract::State<AppState>,
    mut request: Request,
    next: Next,
) -> Response {
    let existing = request
        .headers()
        .get(header::COOKIE)
        .and_then(|v| v.to_str().ok())
        .and_then(|c| read_cookie(c, CSRF_COOKIE))
        .filter(|t| t.len() == 43)
        .map(str::to_owned);
    let (token, is_new) = match existing {
        Some(t) => (t, false),
        None => (maeul_db::secrets::random_token(), true),
    };
    request.extensions_mut().insert(CsrfToken(token.clone()));
    let mut response = next.run(request).await;
    if is_new {
        let cookie = cookie::Cookie::build((CSRF_COOKIE, token))
            .path("/")
            .http_only(true)
            .same_site(cookie::SameSite::Strict)
            .secure(state.config.secure_cookies)
            .build()
            .to_string();
        if let Ok(value) = cookie.parse() {
            response.headers_mut().append(header::SET_COOKIE, value);
        }
    }
    response
}

/// True when the submitted token is the visitor's.
pub fn tokens_match(expected: &str, submitted: &str) -> bool {
    expected.len() == submitted.len() && bool::from(expected.as_bytes().ct_eq(submitted.as_bytes()))
}

/// A request that comes from a page of another site (its `Origin` differs from `Host`).
pub fn cross_origin(headers: &HeaderMap) -> bool {
    let Some(origin) = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) else {
        return false;
    };
    let host = headers
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let origin_host = origin.split("://").nth(1).unwrap_or(origin);
    origin == "null" || origin_host != host
}

#[derive(serde::Deserialize)]
struct CsrfOnly {
    #[serde(rename = "_csrf", default)]
    csrf: String,
}

/// A url-encoded form that passed the CSRF check.
pub struct CsrfForm<T>(pub T);

impl<S, T> FromRequest<S> for CsrfForm<T>
where
    S: Send + Sync,
    T: DeserializeOwned,
{
    type Rejection = PageError;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        check_request(&request)?;
        let expected = request
            .extensions()
            .get::<CsrfToken>()
            .cloned()
            .ok_or(PageError::Csrf)?;
        let body = Bytes::from_request(request, state)
            .await
            .map_err(|e| match e.status() {
                axum::http::StatusCode::PAYLOAD_TOO_LARGE => PageError::TooLarge,
                _ => PageError::BadRequest(Message::id("request-error-form")),
            })?;
        let submitted: CsrfOnly =
            serde_urlencoded::from_bytes(&body).map_err(|_| PageError::Csrf)?;
        if !tokens_match(&expected.0, &submitted.csrf) {
            return Err(PageError::Csrf);
        }
        serde_urlencoded::from_bytes(&body)
            .map(CsrfForm)
            .map_err(|_| PageError::BadRequest(Message::id("request-error-form")))
    }
}

/// The checks that do not need the body (used by multipart handlers, which check the field themselves).
pub fn check_request(request: &Request) -> Result<(), PageError> {
    if cross_origin(request.headers()) {
        Err(PageError::Csrf)
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matching_is_exact() {
        assert!(tokens_match("abc", "abc"));
        assert!(!tokens_match("abc", "abd"));
        assert!(!tokens_match("abc", ""));
        assert!(!tokens_match("abc", "abcd"));
    }

    #[test]
    fn origins() {
        let mut h = HeaderMap::new();
        h.insert(header::HOST, "127.0.0.1:8080".parse().unwrap());
        assert!(
            !cross_origin(&h),
            "no Origin header is same-site (older browsers, curl)"
        );
        h.insert(header::ORIGIN, "http://127.0.0.1:8080".parse().unwrap());
        assert!(!cross_origin(&h));
        h.insert(header::ORIGIN, "https://evil.example".parse().unwrap());
        assert!(cross_origin(&h));
        h.insert(header::ORIGIN, "null".parse().unwrap());
        assert!(cross_origin(&h));
    }
}
