//! A debate's conclusion.
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};

use crate::AppState;
use crate::areas::proposals::pages::items::ReasonForm;
use crate::areas::proposals::service::debates;
use crate::http::{CsrfForm, Ctx, PageError, PagePath};

/// Concludes a debate (its author, or an official of its scope) with a written conclusion.
pub async fn conclude(
    State(state): State<AppState>,
    ctx: Ctx,
    PagePath(id): PagePath<i64>,
    CsrfForm(form): CsrfForm<ReasonForm>,
) -> Result<Response, PageError> {
    let me = ctx.caller().ok_or(PageError::Unauthorized)?;
    debates::conclude(&state, me, id, &form.reason).await?;
    Ok(Redirect::to(&format!("/debates/{id}?notice=notice-debate-concluded")).into_response())
}
