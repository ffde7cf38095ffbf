//! The moderation pages: filing a report, the moderators' queue and log, and their actions.
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use maeul_db::moderation::{LogEntry, OpenReport};
use maeul_db::proposals::ProposalRow;
use maeul_domain::moderation::{ModerationAction, Target};
use serde::Deserialize;

use crate::AppState;
use crate::areas::moderation::service::{self, Reported};
use crate::http::{CsrfForm, Ctx, PageError, PagePath, PageQuery, notice, render};

#[derive(Deserialize)]
pub struct ReportForm {
    #[serde(default)]
    pub target: String,
    #[serde(default)]
    pub id: i64,
    #[serde(default)]
    pub reason: String,
    #[serde(default)]
    pub details: String,
}

fn target(s: &str) -> Result<Target, PageError> {
    Target::parse(s).ok_or(PageError::NotFound)
}

/// Files a report, then goes back to the content with a notice.
pub async fn report(
    State(state): State<AppState>,
    ctx: Ctx,
    CsrfForm(form): CsrfForm<ReportForm>,
) -> Result<Response, PageError> {
    let me = ctx.caller().ok_or(PageError::Unauthorized)?;
    let (reported, path) = service::report(
        &state,
        me,
        target(&form.target)?,
        form.id,
        &form.reason,
        &form.details,
    )
    .await?;
    let notice = match reported {
        Reported::New => "notice-reported",
        Reported::Already => "notice-already-reported",
    };
    let (base, anchor) = path.split_once('#').unwrap_or((&path, ""));
    let anchor = if anchor.is_empty() {
        String::new()
    } else {
        format!("#{anchor}")
    };
    Ok(Redirect::to(&format!("{base}?notice={notice}{anchor}")).into_response())
}

#[derive(askama::Template)]
#[template(path = "moderation/moderation.html")]
struct ModerationPage<'a> {
    ctx: &'a Ctx,
    proposals: Vec<ProposalRow>,
    reported: Vec<(OpenReport, Vec<OpenReport>)>,
    log: Vec<LogEntry>,
    notice: Option<String>,
}

#[derive(Deserialize)]
pub struct QueueQuery {
    pub notice: Option<String>,
}

pub async fn queue(
    State(state): State<AppState>,
    ctx: Ctx,
    PageQuery(q): PageQuery<QueueQuery>,
) -> Result<Response, PageError> {
    let me = ctx.caller().ok_or(PageError::Unauthorized)?;
    let queue = service::queue(&state, me).await?;
    render(&ModerationPage {
        notice: notice(&ctx, q.notice.as_deref(), &["notice-moderated"]),
        ctx: &ctx,
        proposals: queue.awaiting,
        reported: queue.reported,
        log: queue.log,
    })
}

#[derive(Deserialize)]
pub struct ModerateForm {
    #[serde(default)]
    pub reason: String,
}

/// Hides, restores, or dismisses the reports on a proposal, debate or comment.
pub async fn moderate(
    State(state): State<AppState>,
    ctx: Ctx,
    PagePath((target_name, id, action)): PagePath<(String, i64, String)>,
    CsrfForm(form): CsrfForm<ModerateForm>,
) -> Result<Response, PageError> {
    let me = ctx.caller().ok_or(PageError::Unauthorized)?;
    let action = ModerationAction::parse(&action).ok_or(PageError::NotFound)?;
    service::moderate(&state, me, target(&target_name)?, id, action, &form.reason).await?;
    Ok(Redirect::to("/moderation?notice=notice-moderated").into_response())
}

/// Blocks or unblocks an account.
pub async fn block(
    State(state): State<AppState>,
    ctx: Ctx,
    PagePath((user_id, action)): PagePath<(i64, String)>,
    CsrfForm(form): CsrfForm<ModerateForm>,
) -> Result<Response, PageError> {
    let me = ctx.caller().ok_or(PageError::Unauthorized)?;
    let action = ModerationAction::parse(&action).ok_or(PageError::NotFound)?;
    service::block(&state, me, user_id, action, &form.reason).await?;
    Ok(Redirect::to(&format!("/users/{user_id}?notice=notice-moderated")).into_response())
}
