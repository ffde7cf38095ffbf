//! Uploading a file to one's proposal, and downloading attachments.
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};

use crate::AppState;
use crate::areas::proposals::pages::items::{ShowQuery, show};
use crate::areas::proposals::service::attachments;
use crate::http::upload::{self, CsrfQuery};
use crate::http::{Ctx, PageError, PagePath, PageQuery, ServiceError};
use crate::i18n::Message;
use maeul_db::proposals::Kind;

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
    let me = upload::check(&ctx, &q, &request)?;
    let result = match upload::attachment(&state, request).await {
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
    Ok(upload::download(file))
}
