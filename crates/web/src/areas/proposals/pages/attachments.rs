//! Uploading a file to one's proposal, and downloading attachments.
use axum::extract::{FromRequest, Multipart, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};

use crate::AppState;
use crate::areas::proposals::pages::items::{ShowQuery, show};
use crate::areas::proposals::service::attachments;
use crate::http::csrf::{check_request, tokens_match};
use crate::http::{Ctx, PageError, PagePath, PageQuery, ServiceError, percent_encode};
use crate::i18n::Message;
use maeul_db::proposals::Kind;

#[derive(serde::Deserialize)]
pub struct CsrfQuery {
    #[serde(rename = "_csrf", default)]
    pub csrf: String,
}

/// Attaches a file to one's own proposal while it is a draft or awaits moderation. Multipart bodies carry
/// the CSRF token in the query string, checked with the Origin before the body is read. A refused file
/// changes nothing and the page says why.
pub async fn attach(
    State(state): State<AppState>,
    ctx: Ctx,
    PagePath(id): PagePath<i64>,
    PageQuery(q): PageQuery<CsrfQuery>,
    request: axum::extract::Request,
) -> Result<Response, PageError> {
    check_request(&request)?;
    if !tokens_match(&ctx.csrf, &q.csrf) {
        return Err(PageError::Csrf);
    }
    let me = ctx.caller().ok_or(PageError::Unauthorized)?;
    let too_large = || {
        ServiceError::Refused(
            maeul_domain::attachment::AttachmentError::TooLarge {
                max: maeul_domain::attachment::MAX_BYTES,
            }
            .into(),
        )
    };
    let upload = async {
        let mut multipart = Multipart::from_request(request, &state)
            .await
            .map_err(|_| too_large())?;
        while let Some(field) = multipart.next_field().await.map_err(|_| too_large())? {
            if field.name() == Some("file") {
                let name = field.file_name().unwrap_or("").to_owned();
                let bytes = field.bytes().await.map_err(|_| too_large())?;
                return Ok((name, bytes));
            }
        }
        Err(ServiceError::Refused(
            maeul_domain::attachment::AttachmentError::Empty.into(),
        ))
    };
    let result = match upload.await {
        Ok((name, bytes)) => attachments::attach(&state, me, id, &name, &bytes).await,
        Err(e) => Err(e),
    };
    match result {
        Ok(_) => Ok(Redirect::to(&format!(
            "/proposals/{id}?notice=notice-attached#attachments"
        ))
        .into_response()),
        Err(ServiceError::Refused(r)) => {
            let q = ShowQuery {
                notice: None,
                after: None,
            };
            let message = ctx.message(&Message::refusal(&r));
            let status = crate::http::error::refusal_status(&r);
            show(&state, &ctx, id, &q, Kind::Proposal, Some(message), status).await
        }
        Err(e) => Err(e.into()),
    }
}

/// Serves an attachment of a proposal the visitor may see, as a download with its rebuilt name.
pub async fn download(
    State(state): State<AppState>,
    ctx: Ctx,
    PagePath((id, _name)): PagePath<(i64, String)>,
) -> Result<Response, PageError> {
    let file = attachments::download(&state, ctx.caller(), id).await?;
    let content_type =
        maeul_domain::attachment::FileType::from_content_type(&file.info.content_type)
            .map(|t| t.content_type())
            .unwrap_or("application/octet-stream");
    // RFC 5987 `filename*`: UTF-8, every byte outside the unreserved set percent-encoded.
    let encoded = percent_encode(&file.info.file_name);
    Ok((
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
        .into_response())
}
