//! The background worker: drains the persisted job queue (`maeul_db::jobs`) — fanning events out to
//! notifications, sending the daily digest — and mails immediate notifications. Everything it works from
//! is in the database, so a restart loses nothing: unfinished jobs are claimed again, unmailed
//! notifications are still unmailed.
use std::collections::BTreeMap;
use std::time::Duration;

use maeul_db::DbError;
use maeul_db::jobs::{Job, KIND_DIGEST};
use maeul_db::notifications::PendingMail;
use maeul_domain::Lang;
use maeul_domain::notify::{
    DIGEST_MAX_ITEMS, EmailPreference, EventKind, mentions, next_digest_at,
};
use maeul_domain::time::now;

use crate::AppState;
use crate::areas::notifications::service::unsubscribe_token;
use crate::areas::notifications::views::{notification_path, notification_text};

/// Jobs handled per pass at most, so one pass cannot starve the mail step.
const JOBS_PER_PASS: usize = 500;
const MAILS_PER_PASS: i64 = 200;

/// How often the worker looks for due forum map updates (a read when there are none): the map follows a
/// vote within this plus one update, whichever server the vote arrived at.
const MAP_POLL: Duration = Duration::from_millis(200);
/// A full pass every this many map polls (every second).
const POLLS_PER_PASS: u32 = 5;

/// Runs passes every second, and forum map updates as soon as they are due, until `shutdown` resolves.
pub async fn run_worker(state: AppState, shutdown: impl std::future::Future<Output = ()>) {
    tokio::pin!(shutdown);
    let mut poll = 0_u32;
    loop {
        let result = if poll.is_multiple_of(POLLS_PER_PASS) {
            run_pass(&state).await.map(|_| ())
        } else {
            crate::areas::forums::service::maps::run_due_updates(&state, JOBS_PER_PASS)
                .await
                .map(|_| ())
        };
        if let Err(e) = result {
            tracing::warn!(error = %e, "background pass failed");
        }
        poll = poll.wrapping_add(1);
        tokio::select! {
            _ = &mut shutdown => return,
            _ = tokio::time::sleep(MAP_POLL) => {}
        }
    }
}

/// One pass: schedules the next digest, expires proposals past their deadline, handles due jobs, mails
/// immediate notifications. Returns the number of jobs handled.
pub async fn run_pass(state: &AppState) -> Result<usize, DbError> {
    state.refresh_scopes_if_changed().await?;
    let next = next_digest_at(now());
    state
        .db
        .schedule_job(KIND_DIGEST, next, &format!("digest:{next}"))
        .await?;
    expire_past_deadline(state).await?;
    crate::areas::budgeting::schedule::advance_due(state).await?;
    let mut handled = 0;
    while handled < JOBS_PER_PASS {
        let Some(job) = state.db.claim_job().await? else {
            break;
        };
        handled += 1;
        if let Err(e) = handle(state, &job).await {
            // The job stays in the queue and is retried later; the error names the job, not its content.
            tracing::warn!(job = job.id, kind = %job.kind, error = %e, "job failed");
            state.db.fail_job(&job, &e.to_string()).await?;
        }
    }
    // Forum map updates, each due conversation's once (the worker also polls them between passes).
    handled += crate::areas::forums::service::maps::run_due_updates(state, JOBS_PER_PASS).await?;
    mail_immediate(state).await?;
    Ok(handled)
}

async fn handle(state: &AppState, job: &Job) -> Result<(), DbError> {
    if job.kind == KIND_DIGEST {
        send_digests(state).await?;
        return state.db.complete_job(job.id).await;
    }
    if job.kind == maeul_db::budget::KIND_BUDGET_COUNT {
        let id = job
            .detail
            .parse::<i64>()
            .map_err(|e| DbError::Corrupt(format!("count job {}: {e}", job.id)))?;
        crate::areas::budgeting::service::count_job(&state.db, id).await?;
        return state.db.complete_job(job.id).await;
    }
    // Every event, whatever its subject (proposal, agenda item, budget process), fans out the same way.
    let kind = EventKind::try_from(job.kind.as_str())?;
    // People named by their @handle in the new text hear of it.
    let text = match (job.comment_id, job.proposal_id) {
        (Some(c), _) => state.db.comment(c).await?.map(|c| c.body),
        (None, Some(p)) if kind == EventKind::Published => {
            state.db.proposal(p).await?.map(|p| p.body)
        }
        _ => None,
    };
    let mut mentioned = vec![];
    for handle in mentions(text.as_deref().unwrap_or("")) {
        if let Some(user) = state.db.user_by_handle(&handle).await?
            && user.blocked_at.is_none()
        {
            mentioned.push(user.id);
        }
    }
    state.db.fan_out_event(job, &mentioned).await?;
    Ok(())
}

/// Moves proposals whose collection deadline passed to `expired` (each a recorded transition that
/// notifies the author and followers). The deadline does not depend on the ladder.
async fn expire_past_deadline(state: &AppState) -> Result<(), DbError> {
    for id in state.db.proposals_past_deadline(100).await? {
        let result = state
            .db
            .transition_proposal(
                id,
                &maeul_domain::proposal::ProposalEvent::DeadlinePassed,
                &maeul_domain::proposal::Ladder::democracy_seoul(),
                None,
            )
            .await;
        // Another worker (or a moderator) may have moved it meanwhile; that is not a failure.
        if let Err(DbError::Refused(reason)) = result {
            tracing::debug!(proposal = id, %reason, "not expired");
        } else {
            result?;
        }
    }
    Ok(())
}

fn lang_of(code: &str) -> Lang {
    Lang::from_tag(code).unwrap_or(Lang::Ko)
}

async fn mail_immediate(state: &AppState) -> Result<(), DbError> {
    let pending = state
        .db
        .notifications_to_mail(EmailPreference::Immediate, MAILS_PER_PASS)
        .await?;
    if pending.is_empty() {
        return Ok(());
    }
    let key = state.db.link_key().await?;
    for p in pending {
        let lang = lang_of(&p.lang);
        let i18n = &state.i18n;
        let text = notification_text(i18n, lang, &p.notification);
        let unsubscribe = format!(
            "{}/unsubscribe/{}",
            state.config.base_url,
            unsubscribe_token(&key, p.user_id)
        );
        let body = format!(
            "{text}\n\n{}{}\n\n-- \n{}\n{}: {unsubscribe}\n",
            state.config.base_url,
            notification_path(&p.notification),
            i18n.tr(lang, "mail-notification-why", &[]),
            i18n.tr(lang, "mail-unsubscribe", &[]),
        );
        let subject = format!("[{}] {text}", i18n.tr(lang, "site-name", &[]));
        state
            .db
            .record_notification_mail(&[p.id], &p.email, &subject, &body, &unsubscribe)
            .await?;
    }
    Ok(())
}

async fn send_digests(state: &AppState) -> Result<(), DbError> {
    let key = state.db.link_key().await?;
    loop {
        let pending = state
            .db
            .notifications_to_mail(EmailPreference::Daily, 5_000)
            .await?;
        if pending.is_empty() {
            return Ok(());
        }
        let full_batch = pending.len() == 5_000;
        let mut by_user: BTreeMap<i64, Vec<PendingMail>> = BTreeMap::new();
        for p in pending {
            by_user.entry(p.user_id).or_default().push(p);
        }
        for (user_id, items) in by_user {
            let lang = lang_of(&items[0].lang);
            let i18n = &state.i18n;
            let mut body = format!(
                "{}\n\n",
                i18n.tr(lang, "mail-digest-intro", &[("count", items.len().into())])
            );
            for p in items.iter().take(DIGEST_MAX_ITEMS) {
                body.push_str(&format!(
                    "- {}\n  {}{}\n",
                    notification_text(i18n, lang, &p.notification),
                    state.config.base_url,
                    notification_path(&p.notification)
                ));
            }
            if items.len() > DIGEST_MAX_ITEMS {
                body.push_str(&format!(
                    "\n{}\n",
                    i18n.tr(
                        lang,
                        "mail-digest-more",
                        &[("count", (items.len() - DIGEST_MAX_ITEMS).into())]
                    )
                ));
            }
            let unsubscribe = format!(
                "{}/unsubscribe/{}",
                state.config.base_url,
                unsubscribe_token(&key, user_id)
            );
            body.push_str(&format!(
                "\n{}/notifications\n\n-- \n{}\n{}: {unsubscribe}\n",
                state.config.base_url,
                i18n.tr(lang, "mail-notification-why", &[]),
                i18n.tr(lang, "mail-unsubscribe", &[]),
            ));
            let subject = format!(
                "[{}] {}",
                i18n.tr(lang, "site-name", &[]),
                i18n.tr(
                    lang,
                    "mail-digest-subject",
                    &[("count", items.len().into())]
                )
            );
            let ids: Vec<i64> = items.iter().map(|p| p.id).collect();
            state
                .db
                .record_notification_mail(&ids, &items[0].email, &subject, &body, &unsubscribe)
                .await?;
        }
        if !full_batch {
            return Ok(());
        }
    }
}
