//! Hostile input stops at the edge, the same way everywhere: a control character (NUL, escape, DEL, …) in
//! the path, the query, a form field or a JSON string is a clear 400 before any handler or the database
//! sees it. Tab, newline and carriage return stay allowed in queries and bodies (texts have lines); a path
//! allows none. Form and JSON bodies over the limit answer 413. Multipart uploads are checked by their
//! handlers (files are bytes), behind [`crate::http::upload::limit`].
use axum::body::{Body, Bytes};
use axum::extract::Request;
use axum::http::{StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::http::error::{ApiError, PageError};
use crate::i18n::Message;

/// The largest form or JSON body (as the router's default body limit).
pub const BODY_LIMIT: usize = 1024 * 1024;

/// Why a request was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Hostile {
    ControlCharacter,
    TooLarge,
}

/// A character no text of the site may contain: controls other than tab, newline and carriage return.
pub fn forbidden_in_text(c: char) -> bool {
    c.is_control() && !matches!(c, '\t' | '\n' | '\r')
}

/// Whether a text has a character [`forbidden_in_text`].
pub fn has_forbidden(s: &str) -> bool {
    s.chars().any(forbidden_in_text)
}

fn decoded(s: &str) -> String {
    percent_encoding::percent_decode_str(s)
        .decode_utf8_lossy()
        .into_owned()
}

fn check_uri(request: &Request) -> Result<(), Hostile> {
    let uri = request.uri();
    if decoded(uri.path()).chars().any(char::is_control) {
        return Err(Hostile::ControlCharacter);
    }
    if uri.query().is_some_and(|q| has_forbidden(&decoded(q))) {
        return Err(Hostile::ControlCharacter);
    }
    Ok(())
}

fn json_has_forbidden(v: &serde_json::Value) -> bool {
    match v {
        serde_json::Value::String(s) => has_forbidden(s),
        serde_json::Value::Array(items) => items.iter().any(json_has_forbidden),
        serde_json::Value::Object(map) => map
            .iter()
            .any(|(k, v)| has_forbidden(k) || json_has_forbidden(v)),
        _ => false,
    }
}

fn body_has_forbidden(kind: BodyKind, bytes: &Bytes) -> bool {
    match kind {
        BodyKind::Form => {
            serde_urlencoded::from_bytes::<Vec<(String, String)>>(bytes).is_ok_and(|pairs| {
                pairs
                    .iter()
                    .any(|(k, v)| has_forbidden(k) || has_forbidden(v))
            })
        }
        // Malformed JSON is left to the extractor, which says what is wrong with it.
        BodyKind::Json => {
            serde_json::from_slice::<serde_json::Value>(bytes).is_ok_and(|v| json_has_forbidden(&v))
        }
    }
}

#[derive(Debug, Clone, Copy)]
enum BodyKind {
    Form,
    Json,
}

fn body_kind(request: &Request) -> Option<BodyKind> {
    let ct = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())?
        .to_ascii_lowercase();
    if ct.starts_with("application/x-www-form-urlencoded") {
        Some(BodyKind::Form)
    } else if ct.starts_with("application/json") || (ct.contains("+json")) {
        Some(BodyKind::Json)
    } else {
        None
    }
}

/// How much of an oversized body is read and thrown away before answering 413: a client still sending when
/// the answer comes would see a broken connection instead of the 413 (browsers show their own error).
const DRAIN_LIMIT: usize = 16 * 1024 * 1024;

/// Reads a body, keeping its first `limit + 1` bytes at most; an oversized body is read on (up to
/// [`DRAIN_LIMIT`] more) and thrown away, so the client finishes sending before the refusal comes. Returns
/// the kept bytes and whether the body was over the limit; `Err` when the body broke off.
pub(crate) async fn read_draining(body: Body, limit: usize) -> Result<(Bytes, bool), ()> {
    use futures_util::StreamExt;
    let mut stream = body.into_data_stream();
    let mut kept = Vec::new();
    let mut seen = 0usize;
    while let Some(chunk) = stream.next().await {
        let chunk = chunk.map_err(|_| ())?;
        seen += chunk.len();
        if kept.len() <= limit {
            let room = limit + 1 - kept.len();
            kept.extend_from_slice(&chunk[..chunk.len().min(room)]);
        } else if seen > limit.saturating_add(DRAIN_LIMIT) {
            break;
        }
    }
    Ok((Bytes::from(kept), seen > limit))
}

/// The body if it is within [`BODY_LIMIT`]; otherwise reads on and refuses it.
async fn read_limited(body: Body) -> Result<Bytes, Hostile> {
    // A body that breaks off has no reader left for the answer; any refusal will do.
    match read_draining(body, BODY_LIMIT).await {
        Ok((bytes, false)) => Ok(bytes),
        Ok((_, true)) | Err(()) => Err(Hostile::TooLarge),
    }
}

/// Checks a request; returns it (with its body buffered when it was read) or why it is refused.
async fn check(request: Request) -> Result<Request, Hostile> {
    check_uri(&request)?;
    let Some(kind) = body_kind(&request) else {
        return Ok(request);
    };
    let (parts, body) = request.into_parts();
    let bytes = read_limited(body).await?;
    if body_has_forbidden(kind, &bytes) {
        return Err(Hostile::ControlCharacter);
    }
    Ok(Request::from_parts(parts, Body::from(bytes)))
}

/// Middleware of the pages: a refused request is a translated error page.
pub async fn pages(request: Request, next: Next) -> Response {
    match check(request).await {
        Ok(request) => next.run(request).await,
        Err(Hostile::ControlCharacter) => {
            PageError::BadRequest(Message::id("request-error-control")).into_response()
        }
        Err(Hostile::TooLarge) => PageError::TooLarge.into_response(),
    }
}

/// Middleware of the API: a refused request is a JSON error with a stable code.
pub async fn api(request: Request, next: Next) -> Response {
    match check(request).await {
        Ok(request) => next.run(request).await,
        Err(Hostile::ControlCharacter) => ApiError::new(
            StatusCode::BAD_REQUEST,
            "control_character",
            Message::id("request-error-control"),
        )
        .into_response(),
        Err(Hostile::TooLarge) => ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "payload_too_large",
            Message::id("api-error-too-large"),
        )
        .into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_but_not_line_breaks() {
        assert!(has_forbidden("a\0b"));
        assert!(has_forbidden("a\u{1b}[31m"));
        assert!(has_forbidden("a\u{7f}"));
        assert!(has_forbidden("a\u{85}"));
        assert!(!has_forbidden("첫 줄\r\n둘째\t줄"));
        assert!(json_has_forbidden(
            &serde_json::json!({"a": [1, {"b": "x\u{0}"}]})
        ));
        assert!(json_has_forbidden(&serde_json::json!({"k\u{1}": 1})));
        assert!(!json_has_forbidden(&serde_json::json!({"a": ["줄\n바꿈"]})));
    }

    #[tokio::test]
    async fn oversized_bodies_are_read_to_their_end_and_cut() {
        let body = |n: usize| Body::from(vec![b'x'; n]);
        let (kept, over) = read_draining(body(100), 100).await.unwrap();
        assert_eq!((kept.len(), over), (100, false));
        let (kept, over) = read_draining(body(5000), 100).await.unwrap();
        assert_eq!((kept.len(), over), (101, true));
    }

    #[test]
    fn forms_are_decoded_before_the_check() {
        let form = |s: &str| body_has_forbidden(BodyKind::Form, &Bytes::from(s.to_owned()));
        assert!(form("body=a%00b"));
        assert!(form("a%01=x"));
        assert!(!form("body=a%0D%0Ab%09c"));
        assert!(!form("body=%ED%95%9C"));
    }
}
