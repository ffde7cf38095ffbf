//! Moderation: reports anyone signed in can file, the moderators' queue (proposals awaiting acceptance
//! and reported content in the scopes they moderate), hiding and restoring, blocking accounts, and the
//! log of every action. Moderators act only in their scopes; blocking is city-wide and needs a
//! moderator of the city.
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use maeul_db::DbError;
use maeul_db::moderation::{LogEntry, OpenReport};
use maeul_db::proposals::ProposalRow;
use maeul_domain::moderation::{ModerationAction, REPORT_DETAILS_MAX, ReportReason, Target};
use maeul_domain::{Action, Scope};
use serde::Deserialize;

use crate::AppState;
use crate::context::Ctx;
use crate::csrf::CsrfForm;
use crate::error::PageError;
use crate::pages::account::require_user;
use crate::pages::{notice, render};

#[derive(Deserialize)]
pub struct ReportForm {
    pub target: String,
    pub id: i64,
    #[serde(default)]
    pub reason: String,
    #[serde(default)]
    pub details: String,
}

/// Where a piece of content is shown, for redirects.
async fn content_path(state: &AppState, target: Target, id: i64) -> Result<String, PageError> {
    let info = state.db.content_info(target, id).await?;
    let p = state
        .db
        .proposal(info.proposal_id)
        .await?
        .ok_or(PageError::NotFound)?;
    Ok(match target {
        Target::Proposal => p.path(),
        Target::Comment => format!("{}#comment-{id}", p.path()),
    })
}

fn parse_target(ctx: &Ctx, s: &str) -> Result<Target, PageError> {
    Target::parse(s).ok_or_else(|| PageError::BadRequest(ctx.t("error-report-target")))
}

/// Files a report on a proposal, debate or comment the reporter can see.
pub async fn report(
    State(state): State<AppState>,
    ctx: Ctx,
    CsrfForm(form): CsrfForm<ReportForm>,
) -> Result<Response, PageError> {
    let me = require_user(&ctx)?;
    let target = parse_target(&ctx, &form.target)?;
    let info = state.db.content_info(target, form.id).await?;
    crate::pages::proposals::visible_proposal(&state, &ctx, info.proposal_id).await?;
    let reason = ReportReason::parse(&form.reason)
        .ok_or_else(|| PageError::BadRequest(ctx.t("error-report-reason")))?;
    let details = form.details.trim();
    if details.chars().count() > REPORT_DETAILS_MAX {
        return Err(PageError::BadRequest(ctx.t1(
            "error-too-long",
            "limit",
            REPORT_DETAILS_MAX,
        )));
    }
    let notice = match state
        .db
        .report_content(target, form.id, me.user.id, reason, details)
        .await
    {
        Ok(_) => "notice-reported",
        Err(DbError::Conflict(_)) => "notice-already-reported",
        Err(e) => return Err(e.into()),
    };
    let path = content_path(&state, target, form.id).await?;
    let (base, anchor) = path.split_once('#').unwrap_or((&path, ""));
    let anchor = if anchor.is_empty() {
        String::new()
    } else {
        format!("#{anchor}")
    };
    Ok(Redirect::to(&format!("{base}?notice={notice}{anchor}")).into_response())
}

#[derive(askama::Template)]
#[template(path = "moderation.html")]
struct ModerationPage<'a> {
    ctx: &'a Ctx,
    proposals: Vec<ProposalRow>,
    /// Open reports grouped by content: (first report, all reports on it).
    reported: Vec<(OpenReport, Vec<OpenReport>)>,
    log: Vec<LogEntry>,
    notice: Option<String>,
}

#[derive(Deserialize)]
pub struct QueueQuery {
    pub notice: Option<String>,
}

/// The scopes the signed-in person moderates (top-most grants; a district covers its neighbourhoods).
fn moderated_scopes(ctx: &Ctx) -> Result<Vec<&Scope>, PageError> {
    let me = require_user(ctx)?;
    if !me.actor.may_somewhere(Action::Moderate) {
        return Err(PageError::Forbidden);
    }
    Ok(me
        .actor
        .grants
        .iter()
        .filter(|g| Action::Moderate.roles().contains(&g.role))
        .filter_map(|g| ctx.scopes.get(g.scope_id))
        .collect())
}

pub async fn queue(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(q): Query<QueueQuery>,
) -> Result<Response, PageError> {
    let scopes = moderated_scopes(&ctx)?;
    let mut proposals = vec![];
    let mut reports = vec![];
    let mut log = vec![];
    for scope in &scopes {
        proposals.extend(state.db.proposals_to_moderate(&scope.code, 200).await?);
        reports.extend(state.db.open_reports(&scope.code, 500).await?);
        log.extend(state.db.moderation_log(&scope.code, 50).await?);
    }
    proposals.sort_by_key(|p| p.id);
    proposals.dedup_by_key(|p| p.id);
    reports.sort_by_key(|r| (r.target_kind.clone(), r.target_id, r.id));
    reports.dedup_by_key(|r| r.id);
    log.sort_by_key(|l| std::cmp::Reverse(l.id));
    log.dedup_by_key(|l| l.id);
    log.truncate(50);
    let mut reported: Vec<(OpenReport, Vec<OpenReport>)> = vec![];
    for r in reports {
        match reported.last_mut() {
            Some((first, all))
                if first.target_kind == r.target_kind && first.target_id == r.target_id =>
            {
                all.push(r)
            }
            _ => reported.push((r.clone(), vec![r])),
        }
    }
    render(&ModerationPage {
        notice: notice(&ctx, q.notice.as_deref()),
        ctx: &ctx,
        proposals,
        reported,
        log,
    })
}

#[derive(Deserialize)]
pub struct ModerateForm {
    #[serde(default)]
    pub reason: String,
}

/// Hides, restores, or dismisses the reports on a proposal, debate or comment (moderators of its scope).
pub async fn moderate(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((target, id, action)): Path<(String, i64, String)>,
    CsrfForm(form): CsrfForm<ModerateForm>,
) -> Result<Response, PageError> {
    let me = require_user(&ctx)?;
    let target = parse_target(&ctx, &target)?;
    let action = ModerationAction::parse(&action)
        .filter(|a| {
            matches!(
                a,
                ModerationAction::Hide | ModerationAction::Restore | ModerationAction::Dismiss
            )
        })
        .ok_or(PageError::NotFound)?;
    let info = state.db.content_info(target, id).await?;
    let scope = ctx.scopes.get(info.scope_id).ok_or(PageError::NotFound)?;
    if !ctx.may_in(Action::Moderate, scope) {
        return Err(PageError::Forbidden);
    }
    let reason = form.reason.trim();
    if action.needs_reason() && reason.is_empty() {
        return Err(PageError::BadRequest(ctx.t("error-reason-required")));
    }
    if reason.chars().count() > REPORT_DETAILS_MAX {
        return Err(PageError::BadRequest(ctx.t1(
            "error-too-long",
            "limit",
            REPORT_DETAILS_MAX,
        )));
    }
    state
        .db
        .moderate_content(me.user.id, target, id, action, reason)
        .await?;
    Ok(Redirect::to("/moderation?notice=notice-moderated").into_response())
}

/// Blocks or unblocks an account (moderators of the whole city: a block applies everywhere).
pub async fn block(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((user_id, action)): Path<(i64, String)>,
    CsrfForm(form): CsrfForm<ModerateForm>,
) -> Result<Response, PageError> {
    let me = require_user(&ctx)?;
    let action = ModerationAction::parse(&action)
        .filter(|a| matches!(a, ModerationAction::Block | ModerationAction::Unblock))
        .ok_or(PageError::NotFound)?;
    if !may_block(&ctx) {
        return Err(PageError::Forbidden);
    }
    if user_id == me.user.id {
        return Err(PageError::BadRequest(ctx.t("error-block-self")));
    }
    let reason = form.reason.trim();
    if action.needs_reason() && reason.is_empty() {
        return Err(PageError::BadRequest(ctx.t("error-reason-required")));
    }
    state
        .db
        .set_blocked(me.user.id, user_id, action, reason)
        .await?;
    Ok(Redirect::to(&format!("/users/{user_id}?notice=notice-moderated")).into_response())
}

/// Whether the signed-in person may block accounts: moderation of the city itself.
pub fn may_block(ctx: &Ctx) -> bool {
    ctx.scopes
        .all()
        .iter()
        .find(|s| s.parent_id.is_none())
        .is_some_and(|city| ctx.may_in(Action::Moderate, city))
}
