//! Following, the notifications page, e-mail preferences, and the unsubscribe page.
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use maeul_db::notifications::Notification;
use maeul_domain::notify::EmailPreference;
use serde::Deserialize;

use crate::AppState;
use crate::areas::notifications::service;
use crate::areas::notifications::views::{notification_path, notification_text};
use crate::http::{CsrfForm, Ctx, PageError, PagePath, PageQuery, local_path, notice, render};

#[derive(Deserialize)]
pub struct FollowForm {
    #[serde(default)]
    pub target: String,
    #[serde(default)]
    pub id: i64,
    /// 1 to follow, 0 to stop following.
    #[serde(default)]
    pub follow: u8,
    #[serde(default)]
    pub back: String,
}

/// Follows or stops following a proposal or debate, a scope or a person, then goes back.
pub async fn follow(
    State(state): State<AppState>,
    ctx: Ctx,
    CsrfForm(form): CsrfForm<FollowForm>,
) -> Result<Response, PageError> {
    let me = ctx.caller().ok_or(PageError::Unauthorized)?;
    service::set_follow(&state, me, &form.target, form.id, form.follow == 1).await?;
    Ok(Redirect::to(local_path(&form.back)).into_response())
}

#[derive(askama::Template)]
#[template(path = "notifications/notifications.html")]
struct NotificationsPage<'a> {
    ctx: &'a Ctx,
    /// (notification, sentence, link)
    items: Vec<(Notification, String, String)>,
    next_cursor: Option<i64>,
    preference: EmailPreference,
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
    PageQuery(q): PageQuery<ListQuery>,
) -> Result<Response, PageError> {
    let me = ctx.caller().ok_or(PageError::Unauthorized)?;
    let (rows, next_cursor, preference) = service::list(&state, me, q.before).await?;
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
        preference,
        preferences: EmailPreference::ALL,
        notice: notice(&ctx, q.notice.as_deref(), &["notice-preferences-saved"]),
        ctx: &ctx,
    })
}

#[derive(Deserialize)]
pub struct Empty {}

/// Opens a notification: marks it read and goes where it points.
pub async fn open(
    State(state): State<AppState>,
    ctx: Ctx,
    PagePath(id): PagePath<i64>,
    CsrfForm(_): CsrfForm<Empty>,
) -> Result<Response, PageError> {
    let me = ctx.caller().ok_or(PageError::Unauthorized)?;
    let n = service::open(&state, me, id).await?;
    Ok(Redirect::to(&notification_path(&n)).into_response())
}

pub async fn read_all(
    State(state): State<AppState>,
    ctx: Ctx,
    CsrfForm(_): CsrfForm<Empty>,
) -> Result<Response, PageError> {
    let me = ctx.caller().ok_or(PageError::Unauthorized)?;
    service::read_all(&state, me).await?;
    Ok(Redirect::to("/notifications").into_response())
}

#[derive(Deserialize)]
pub struct PreferenceForm {
    #[serde(default)]
    pub email: String,
}

pub async fn set_preference(
    State(state): State<AppState>,
    ctx: Ctx,
    CsrfForm(form): CsrfForm<PreferenceForm>,
) -> Result<Response, PageError> {
    let me = ctx.caller().ok_or(PageError::Unauthorized)?;
    service::set_preference(&state, me, &form.email).await?;
    Ok(Redirect::to("/notifications?notice=notice-preferences-saved").into_response())
}

#[derive(askama::Template)]
#[template(path = "notifications/unsubscribe.html")]
struct UnsubscribePage<'a> {
    ctx: &'a Ctx,
    token: String,
    done: bool,
}

/// The page an unsubscribe link opens: one button, no sign-in needed (the link is the credential).
pub async fn unsubscribe_form(
    State(state): State<AppState>,
    ctx: Ctx,
    PagePath(token): PagePath<String>,
) -> Result<Response, PageError> {
    service::unsubscribe_target(&state, &token).await?;
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
    PagePath(token): PagePath<String>,
) -> Result<Response, PageError> {
    service::unsubscribe(&state, &token).await?;
    render(&UnsubscribePage {
        ctx: &ctx,
        token,
        done: true,
    })
}
