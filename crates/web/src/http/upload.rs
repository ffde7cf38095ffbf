//! Multipart uploads and file downloads, shared by the areas that take files (proposals' and budget
//! projects' attachments, `.pb` imports). A multipart body carries the CSRF token in the query string,
//! checked with the Origin before the body is read; the body limit is the route's own ([`limit`]).
use axum::body::{Body, Bytes};
use axum::extract::{DefaultBodyLimit, FromRequest, Multipart, Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::MethodRouter;

use crate::AppState;
use crate::http::csrf::{check_request, tokens_match};
use crate::http::{Caller, Ctx, PageError, ServiceError, percent_encode};
use maeul_db::attachments::AttachmentFile;

/// An upload route with its body limit. An oversized body is read to its end (up to a bound) before the
/// handler refuses it: a server that answers while the client is still sending closes a connection with
/// unread data, and the client sees a reset instead of the refusal (nginx's "lingering close" for the same
/// reason). The handler gets the first `max + 1` bytes, which its extractor finds too large.
pub fn limit(route: MethodRouter<AppState>, max: usize) -> MethodRouter<AppState> {
    route
        .layer(DefaultBodyLimit::max(max))
        .layer(axum::middleware::from_fn_with_state(max, drain_oversized))
}

async fn drain_oversized(State(max): State<usize>, request: Request, next: Next) -> Response {
    let (mut parts, body) = request.into_parts();
    let body = match crate::http::hostile::read_draining(body, max).await {
        Ok((bytes, _)) => {
            parts
                .headers
                .insert(header::CONTENT_LENGTH, HeaderValue::from(bytes.len()));
            Body::from(bytes)
        }
        // Broken off: no one is left to read the answer.
        Err(()) => return StatusCode::BAD_REQUEST.into_response(),
    };
    next.run(Request::from_parts(parts, body)).await
}

/// The CSRF token of a multipart form, in its action's query string.
#[derive(serde::Deserialize)]
pub struct CsrfQuery {
    #[serde(rename = "_csrf", default)]
    pub csrf: String,
}

/// Checks the Origin and the token before the body is read, and that someone is signed in (every
/// upload is); returns the caller.
pub fn check<'a>(ctx: &'a Ctx, q: &CsrfQuery, request: &Request) -> Result<&'a Caller, PageError> {
    check_request(request)?;
    if !tokens_match(&ctx.csrf, &q.csrf) {
        return Err(PageError::Csrf);
    }
    ctx.caller().ok_or(PageError::Unauthorized)
}

/// Why a multipart body could not be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unreadable {
    /// Over the route's body limit (or a field cut short by it).
    TooLarge,
    /// Not a multipart body the form sends, or a text field with a control character.
    Broken,
}

/// A multipart form: the field `file` (its sent name and bytes) and every text field.
#[derive(Debug, Default)]
pub struct UploadForm {
    pub file: Option<(String, Bytes)>,
    pub fields: Vec<(String, String)>,
}

impl UploadForm {
    /// A text field's value ('' when absent).
    pub fn field(&self, name: &str) -> &str {
        self.fields
            .iter()
            .find(|(n, _)| n == name)
            .map_or("", |(_, v)| v.as_str())
    }
}

/// Reads a multipart form.
pub async fn read_form(request: Request, state: &AppState) -> Result<UploadForm, Unreadable> {
    let why = |status: StatusCode| {
        if status == StatusCode::PAYLOAD_TOO_LARGE {
            Unreadable::TooLarge
        } else {
            Unreadable::Broken
        }
    };
    let mut multipart = Multipart::from_request(request, state)
        .await
        .map_err(|e| why(e.status()))?;
    let mut form = UploadForm::default();
    while let Some(field) = multipart.next_field().await.map_err(|e| why(e.status()))? {
        let name = field.name().unwrap_or("").to_owned();
        if name == "file" {
            let sent = field.file_name().unwrap_or("").to_owned();
            let bytes = field.bytes().await.map_err(|e| why(e.status()))?;
            form.file = Some((sent, bytes));
        } else {
            let value = field.text().await.map_err(|e| why(e.status()))?;
            // As the edge does for other forms: no control characters but tab and line ends.
            if value
                .chars()
                .any(|c| c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
            {
                return Err(Unreadable::Broken);
            }
            form.fields.push((name, value));
        }
    }
    Ok(form)
}

/// Reads the `file` field of an attachment's upload; a body over the limit (or unreadable) or without a
/// file is the attachment rules' own refusal.
pub async fn attachment(
    state: &AppState,
    request: Request,
) -> Result<(String, Bytes), ServiceError> {
    use maeul_domain::attachment::{AttachmentError, MAX_BYTES};
    match read_form(request, state).await {
        Ok(form) => form
            .file
            .ok_or_else(|| ServiceError::Refused(AttachmentError::Empty.into())),
        Err(Unreadable::TooLarge | Unreadable::Broken) => Err(ServiceError::Refused(
            AttachmentError::TooLarge { max: MAX_BYTES }.into(),
        )),
    }
}

/// Serves a stored file as a download: its type from the accepted types only (anything else as bytes),
/// its rebuilt name as RFC 5987 `filename*` (UTF-8, every byte outside the unreserved set percent-encoded).
pub fn download(file: AttachmentFile) -> Response {
    let content_type =
        maeul_domain::attachment::FileType::from_content_type(&file.info.content_type)
            .map(|t| t.content_type())
            .unwrap_or("application/octet-stream");
    let encoded = percent_encode(&file.info.file_name);
    (
        StatusCode::OK,
        [
            (header::CONTENT_TYPE, content_type.to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"attachment\"; filename*=UTF-8''{encoded}"),
            ),
            (header::CACHE_CONTROL, "private, max-age=300".to_owned()),
        ],
        file.data,
    )
        .into_response()
}
