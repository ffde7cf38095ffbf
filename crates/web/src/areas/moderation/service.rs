//! Moderation: reports anyone signed in can file on content they can see, the moderators' queue (proposals
//! awaiting acceptance and reported content in the scopes they moderate), hiding and restoring, blocking
//! accounts (city moderators), and the log. Nothing is deleted.
use maeul_db::DbError;
use maeul_db::moderation::{LogEntry, OpenReport};
use maeul_db::proposals::ProposalRow;
use maeul_domain::account::FieldError;
use maeul_domain::moderation::{
    ModerationAction, ModerationRefusal, REPORT_DETAILS_MAX, ReportReason, Target,
};
use maeul_domain::{Action, Refusal};

use crate::AppState;
use crate::areas::accounts::service::Fields;
use crate::areas::proposals::service as proposals;
use crate::http::{Caller, ServiceError, ServiceResult};

/// Whether a report was new or repeated an open one of the same person.
pub enum Reported {
    New,
    Already,
}

/// Files a report on a proposal, debate or comment the reporter can see; returns where it is shown.
pub async fn report(
    state: &AppState,
    caller: &Caller,
    target: Target,
    id: i64,
    reason: &str,
    details: &str,
) -> ServiceResult<(Reported, String)> {
    let info = state.db.content_info(target, id).await?;
    let item = proposals::visible(state, Some(caller), info.proposal_id).await?;
    let mut fields = Fields::default();
    let reason = fields.check(
        "reason",
        ReportReason::parse(reason).ok_or(FieldError::Required),
    );
    let details = details.trim();
    if details.chars().count() > REPORT_DETAILS_MAX {
        fields.add(
            "details",
            FieldError::TooLong {
                max: REPORT_DETAILS_MAX,
            },
        );
    }
    fields.finish()?;
    let Some(reason) = reason else {
        unreachable!("checked above")
    };
    let reported = match state
        .db
        .report_content(target, id, caller.id(), reason, details)
        .await
    {
        Ok(_) => Reported::New,
        Err(DbError::Conflict(_)) => Reported::Already,
        Err(e) => return Err(e.into()),
    };
    let path = match target {
        Target::Proposal => item.path(),
        Target::Comment => format!("{}#comment-{id}", item.path()),
    };
    Ok((reported, path))
}

/// The moderators' queue.
pub struct Queue {
    pub awaiting: Vec<ProposalRow>,
    /// Open reports grouped by content: (first report, all reports on it).
    pub reported: Vec<(OpenReport, Vec<OpenReport>)>,
    pub log: Vec<LogEntry>,
}

pub async fn queue(state: &AppState, caller: &Caller) -> ServiceResult<Queue> {
    if !caller.actor.may_somewhere(Action::Moderate) {
        return Err(ServiceError::Forbidden);
    }
    let tree = state.scopes();
    let scopes: Vec<_> = caller
        .actor
        .grants
        .iter()
        .filter(|g| Action::Moderate.roles().contains(&g.role))
        .filter_map(|g| tree.get(g.scope_id))
        .collect();
    let mut awaiting = vec![];
    let mut reports = vec![];
    let mut log = vec![];
    for scope in &scopes {
        awaiting.extend(state.db.proposals_to_moderate(&scope.code, 200).await?);
        reports.extend(state.db.open_reports(&scope.code, 500).await?);
        log.extend(state.db.moderation_log(&scope.code, 50).await?);
    }
    awaiting.sort_by_key(|p| p.id);
    awaiting.dedup_by_key(|p| p.id);
    reports.sort_by_key(|r| (r.target_kind, r.target_id, r.id));
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
    Ok(Queue {
        awaiting,
        reported,
        log,
    })
}

fn check_reason(action: ModerationAction, reason: &str) -> ServiceResult<()> {
    if action.needs_reason() && reason.is_empty() {
        return Err(Refusal::from(ModerationRefusal::ReasonRequired).into());
    }
    if reason.chars().count() > REPORT_DETAILS_MAX {
        return Err(Refusal::field(
            "reason",
            FieldError::TooLong {
                max: REPORT_DETAILS_MAX,
            },
        )
        .into());
    }
    Ok(())
}

/// Hides, restores, or dismisses the reports on content (moderators of its scope).
pub async fn moderate(
    state: &AppState,
    caller: &Caller,
    target: Target,
    id: i64,
    action: ModerationAction,
    reason: &str,
) -> ServiceResult<()> {
    if !matches!(
        action,
        ModerationAction::Hide | ModerationAction::Restore | ModerationAction::Dismiss
    ) {
        return Err(ServiceError::NotFound);
    }
    let info = state.db.content_info(target, id).await?;
    caller.require(&state.scopes(), Action::Moderate, info.scope_id)?;
    let reason = reason.trim();
    check_reason(action, reason)?;
    Ok(state
        .db
        .moderate_content(caller.id(), target, id, action, reason)
        .await?)
}

/// Whether the caller may block accounts: moderation of the city itself (a block applies everywhere).
pub fn may_block(state: &AppState, caller: Option<&Caller>) -> bool {
    let tree = state.scopes();
    match (caller, tree.city()) {
        (Some(c), Some(city)) => c.may(&tree, Action::Moderate, city.id),
        _ => false,
    }
}

/// Blocks or unblocks an account.
pub async fn block(
    state: &AppState,
    caller: &Caller,
    user_id: i64,
    action: ModerationAction,
    reason: &str,
) -> ServiceResult<()> {
    if !matches!(action, ModerationAction::Block | ModerationAction::Unblock) {
        return Err(ServiceError::NotFound);
    }
    if !may_block(state, Some(caller)) {
        return Err(ServiceError::Forbidden);
    }
    if user_id == caller.id() {
        return Err(Refusal::from(ModerationRefusal::BlockSelf).into());
    }
    let reason = reason.trim();
    check_reason(action, reason)?;
    Ok(state
        .db
        .set_blocked(caller.id(), user_id, action, reason)
        .await?)
}
