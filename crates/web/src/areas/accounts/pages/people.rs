//! A person's public page (by id, or by handle — what `@handle` mentions link to): what they have
//! published, following them, and (for city moderators) blocking the account.
use axum::extract::State;
use axum::response::Response;
use maeul_db::notifications::FollowTarget;

use crate::AppState;
use crate::areas::accounts::service::{self, Profile};
use crate::areas::{moderation, notifications};
use crate::http::{Ctx, PageError, PagePath, PageQuery, notice, render};

#[derive(askama::Template)]
#[template(path = "accounts/user.html")]
struct UserPage<'a> {
    ctx: &'a Ctx,
    p: Profile,
    following: bool,
    may_block: bool,
    is_me: bool,
    notice: Option<String>,
}

#[derive(serde::Deserialize)]
pub struct UserQuery {
    pub notice: Option<String>,
}

async fn page(
    state: &AppState,
    ctx: &Ctx,
    user_id: i64,
    notice_key: Option<&str>,
) -> Result<Response, PageError> {
    let p = service::profile(state, user_id).await?;
    render(&UserPage {
        following: notifications::service::follows(
            state,
            ctx.caller(),
            FollowTarget::User(user_id),
        )
        .await?,
        may_block: moderation::service::may_block(state, ctx.caller()),
        is_me: ctx.user().is_some_and(|u| u.id == user_id),
        notice: notice(ctx, notice_key, &["notice-moderated"]),
        ctx,
        p,
    })
}

pub async fn show(
    State(state): State<AppState>,
    ctx: Ctx,
    PagePath(id): PagePath<i64>,
    PageQuery(q): PageQuery<UserQuery>,
) -> Result<Response, PageError> {
    page(&state, &ctx, id, q.notice.as_deref()).await
}

/// A person by handle: `/people/kim_minji`.
pub async fn by_handle(
    State(state): State<AppState>,
    ctx: Ctx,
    PagePath(handle): PagePath<String>,
    PageQuery(q): PageQuery<UserQuery>,
) -> Result<Response, PageError> {
    let user = service::person_by_handle(&state, &handle).await?;
    page(&state, &ctx, user.id, q.notice.as_deref()).await
}
