//! A person's public page: what they have published, following them, and (for city moderators)
//! blocking the account.
use axum::extract::{Path, Query, State};
use axum::response::Response;
use maeul_db::notifications::FollowTarget;
use maeul_db::proposals::ProposalRow;
use maeul_db::users::User;
use serde::Deserialize;

use crate::AppState;
use crate::context::Ctx;
use crate::error::PageError;
use crate::pages::{notice, render};

#[derive(askama::Template)]
#[template(path = "user.html")]
struct UserPage<'a> {
    ctx: &'a Ctx,
    profile: User,
    items: Vec<ProposalRow>,
    following: bool,
    followers: i64,
    may_block: bool,
    is_me: bool,
    notice: Option<String>,
}

#[derive(Deserialize)]
pub struct UserQuery {
    pub notice: Option<String>,
}

pub async fn show(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Query(q): Query<UserQuery>,
) -> Result<Response, PageError> {
    let profile = state.db.user_by_id(id).await?.ok_or(PageError::NotFound)?;
    let following = match ctx.user() {
        Some(u) => state.db.is_following(u.id, FollowTarget::User(id)).await?,
        None => false,
    };
    render(&UserPage {
        items: state.db.proposals_by_author(id, 50).await?,
        followers: state.db.follower_count(FollowTarget::User(id)).await?,
        may_block: crate::pages::moderation::may_block(&ctx),
        is_me: ctx.user().is_some_and(|u| u.id == id),
        notice: notice(&ctx, q.notice.as_deref()),
        following,
        profile,
        ctx: &ctx,
    })
}

/// A person by display name (what `@name` mentions link to): their page when exactly one account has
/// the name.
pub async fn by_name(
    State(state): State<AppState>,
    Path(name): Path<String>,
) -> Result<axum::response::Response, PageError> {
    use axum::response::IntoResponse;
    match state.db.user_by_unique_name(&name).await? {
        Some(id) => Ok(axum::response::Redirect::to(&format!("/users/{id}")).into_response()),
        None => Err(PageError::NotFound),
    }
}
