//! Comment actions: posting (and replying), editing one's own, voting on others', and a comment's address.
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use crate::AppState;
use crate::areas::proposals::service::comments;
use crate::http::{CsrfForm, Ctx, PageError, PagePath};

#[derive(Deserialize)]
pub struct CommentForm {
    #[serde(default)]
    pub body: String,
    pub parent: Option<i64>,
    /// A debate comment's side.
    #[serde(default)]
    pub position: String,
}

pub async fn post(
    State(state): State<AppState>,
    ctx: Ctx,
    PagePath(id): PagePath<i64>,
    CsrfForm(form): CsrfForm<CommentForm>,
) -> Result<Response, PageError> {
    let me = ctx.caller().ok_or(PageError::Unauthorized)?;
    let (item, comment_id) =
        comments::post(&state, me, id, form.parent, &form.body, &form.position).await?;
    Ok(Redirect::to(&format!("{}#comment-{comment_id}", item.path())).into_response())
}

pub async fn edit(
    State(state): State<AppState>,
    ctx: Ctx,
    PagePath(comment_id): PagePath<i64>,
    CsrfForm(form): CsrfForm<CommentForm>,
) -> Result<Response, PageError> {
    let me = ctx.caller().ok_or(PageError::Unauthorized)?;
    let item = comments::edit(&state, me, comment_id, &form.body).await?;
    Ok(Redirect::to(&format!("{}#comment-{comment_id}", item.path())).into_response())
}

#[derive(Deserialize)]
pub struct VoteForm {
    #[serde(default)]
    pub value: i64,
}

pub async fn vote(
    State(state): State<AppState>,
    ctx: Ctx,
    PagePath(comment_id): PagePath<i64>,
    CsrfForm(form): CsrfForm<VoteForm>,
) -> Result<Response, PageError> {
    let me = ctx.caller().ok_or(PageError::Unauthorized)?;
    let item = comments::vote(&state, me, comment_id, form.value).await?;
    Ok(Redirect::to(&format!("{}#comment-{comment_id}", item.path())).into_response())
}

/// A comment's address: its place in its item's thread.
pub async fn locate(
    State(state): State<AppState>,
    ctx: Ctx,
    PagePath(comment_id): PagePath<i64>,
) -> Result<Response, PageError> {
    let path = comments::locate(&state, ctx.caller(), comment_id).await?;
    Ok(Redirect::to(&path).into_response())
}
