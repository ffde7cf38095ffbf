pub mod grants;
pub mod network;
pub mod organizations;
pub mod platform;
pub mod resources;
pub mod schools;

use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use crate::http::{Alert, Ctx, FormErrors, PageError, ServiceError};

#[derive(Deserialize, Default)]
pub struct NoticeQuery {
    pub notice: Option<String>,
}

/// What a form's answer shows when it was refused: field errors beside their fields (`general` for the
/// rest), or an alert at the top of the page.
pub enum Shown {
    Fields(FormErrors),
    Alert(Alert),
}

impl Shown {
    pub fn into_parts(self) -> (FormErrors, Option<Alert>) {
        match self {
            Shown::Fields(e) => (e, None),
            Shown::Alert(a) => (FormErrors::default(), Some(a)),
        }
    }
}

/// Redirects to `to` after a success; a refusal is handed back to be shown on the page; any other error
/// becomes the error page.
pub fn after<T>(
    ctx: &Ctx,
    result: Result<T, ServiceError>,
    to: impl FnOnce(T) -> String,
    general: &'static str,
) -> Result<Result<Response, Shown>, PageError> {
    match result {
        Ok(v) => Ok(Ok(Redirect::to(&to(v)).into_response())),
        Err(ServiceError::Refused(r)) if !r.fields().is_empty() => Ok(Err(Shown::Fields(
            FormErrors::from_refusal(ctx, &r, general),
        ))),
        Err(ServiceError::Refused(r)) => Ok(Err(Shown::Alert(Alert::refusal(ctx, &r)))),
        Err(e) => Err(e.into()),
    }
}

/// A CSV body as a download.
pub fn csv_download(body: Vec<u8>, filename: &'static str) -> Response {
    (
        [
            (axum::http::header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (axum::http::header::CONTENT_DISPOSITION, filename),
        ],
        body,
    )
        .into_response()
}
