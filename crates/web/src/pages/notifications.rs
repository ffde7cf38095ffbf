//! Following things, in-app notifications, e-mail preferences and one-click unsubscribe.
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use maeul_db::notifications::{FollowTarget, Notification};
use maeul_domain::notify::EmailPreference;
use serde::Deserialize;

use crate::AppState;
use crate::context::Ctx;
use crate::csrf::CsrfForm;
use crate::error::PageError;
use crate::jobs::{notification_path, notification_text, unsubscribe_user};
use crate::pages::account::require_user;
use crate::pages::{local_path, notice, render};

const PAGE_SIZE: i64 = 30;

#[derive(Deserialize)]
pub struct FollowForm {
    pub target: String,
    pub id: i64,
    /// 1 to follow, 0 to stop following.
    pub follow: u8,
    #[serde(default)]
    pub back: String,
}

/// Follows or stops following a proposal or debate, a scope or a person.
pub async fn follow(
    State(state): State<AppState>,
    ctx: Ctx,
    CsrfForm(form): CsrfForm<FollowForm>,
) -> Result<Response, PageError> {
    let me = require_user(&ctx)?;
    let target = match form.target.as_str() {
        "proposal" => {
            crate::pages::proposals::visible_proposal(&state, &ctx, form.id).await?;
            FollowTarget::Proposal(form.id)
        }
        "scope" => {
            ctx.scopes.get(form.id).ok_or(PageError::NotFound)?;
            FollowTarget::Scope(form.id)
        }
        "user" => {
            state
                .db
                .user_by_id(form.id)
                .await?
                .ok_or(PageError::NotFound)?;
            if form.id == me.user.id {
                return Err(PageError::BadRequest(ctx.t("error-follow-self")));
            }
            FollowTarget::User(form.id)
        }
        other => {
            return Err(PageError::BadRequest(format!(
                "unknown follow target {other:?}"
            )));
        }
    };
    if form.follow == 1 {
        state.db.follow(me.user.id, target).await?;
    } else {
        state.db.unfollow(me.user.id, target).await?;
    }
    let back = match local_path(&form.back) {
        "" => "/",
        path => path,
    };
    Ok(Redirect::to(back).into_response())
}

#[derive(askama::Template)]
#[template(path = "notifications.html")]
struct NotificationsPage<'a> {
    ctx: &'a Ctx,
    /// (notification, sentence, link)
    items: Vec<(Notification, String, String)>,
    next_cursor: Option<i64>,
    preference: &'static str,
    preferences: [EmailPreference; 3],
    notice: Option<String>,
}

#[derive(Deserialize)]
pub struct ListQuery {
    pub before: Option<i64>,
    pub notice: Option<String>,
}

pub async fn list(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(q): Query<ListQuery>,
) -> Result<Response, PageError> {
    let me = require_user(&ctx)?;
    let rows = state
        .db
        .notifications(me.user.id, q.before, PAGE_SIZE)
        .await?;
    let next_cursor = (rows.len() as i64 == PAGE_SIZE)
        .then(|| rows.last().map(|n| n.id))
        .flatten();
    let items = rows
        .into_iter()
        .map(|n| {
            let text = notification_text(&ctx.i18n, ctx.lang, &n);
            let link = format!("/notifications/{}/open", n.id);
            (n, text, link)
        })
        .collect();
    render(&NotificationsPage {
        items,
        next_cursor,
        preference: state.db.email_preference(me.user.id).await?.as_str(),
        preferences: EmailPreference::ALL,
        notice: notice(&ctx, q.notice.as_deref()),
        ctx: &ctx,
    })
}

/// Opens a notification: marks it read and goes where it points.
pub async fn open(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    CsrfForm(_): CsrfForm<crate::pages::auth::Empty>,
) -> Result<Response, PageError> {
    let me = require_user(&ctx)?;
    let n = state
        .db
        .notifications(me.user.id, Some(id + 1), 1)
        .await?
        .into_iter()
        .find(|n| n.id == id)
        .ok_or(PageError::NotFound)?;
    state
        .db
        .mark_notifications_read(me.user.id, Some(id))
        .await?;
    Ok(Redirect::to(&notification_path(&n)).into_response())
}

pub async fn read_all(
    State(state): State<AppState>,
    ctx: Ctx,
    CsrfForm(_): CsrfForm<crate::pages::auth::Empty>,
) -> Result<Response, PageError> {
    let me = require_user(&ctx)?;
    state.db.mark_notifications_read(me.user.id, None).await?;
    Ok(Redirect::to("/notifications").into_response())
}

#[derive(Deserialize)]
pub struct PreferenceForm {
    pub email: String,
}

pub async fn set_preference(
    State(state): State<AppState>,
    ctx: Ctx,
    CsrfForm(form): CsrfForm<PreferenceForm>,
) -> Result<Response, PageError> {
    let me = require_user(&ctx)?;
    let pref = EmailPreference::parse(&form.email).ok_or_else(|| {
        PageError::BadRequest(format!("unknown e-mail preference {:?}", form.email))
    })?;
    state.db.set_email_preference(me.user.id, pref).await?;
    Ok(Redirect::to("/notifications?notice=notice-preferences-saved").into_response())
}

#[derive(askama::Template)]
#[template(path = "unsubscribe.html")]
struct UnsubscribePage<'a> {
    ctx: &'a Ctx,
    token: String,
    done: bool,
}

async fn unsubscribe_target(state: &AppState, token: &str) -> Result<i64, PageError> {
    let key = state.db.link_key().await?;
    unsubscribe_user(&key, token).ok_or(PageError::NotFound)
}

/// The page an unsubscribe link opens: one button, no sign-in needed (the link is the credential).
pub async fn unsubscribe_form(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(token): Path<String>,
) -> Result<Response, PageError> {
    unsubscribe_target(&state, &token).await?;
    render(&UnsubscribePage {
        ctx: &ctx,
        token,
        done: false,
    })
}

/// Turns notification e-mail off. Also the RFC 8058 one-click target mail clients POST to (without a
/// cookie or CSRF token: the signed link is what authorises it, and it can only turn mail off).
pub async fn unsubscribe(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(token): Path<String>,
) -> Result<Response, PageError> {
    let user_id = unsubscribe_target(&state, &token).await?;
    state
        .db
        .set_email_preference(user_id, EmailPreference::Off)
        .await?;
    render(&UnsubscribePage {
        ctx: &ctx,
        token,
        done: true,
    })
}
