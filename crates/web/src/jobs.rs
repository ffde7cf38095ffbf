//! The background worker: drains the persisted job queue (`maeul_db::jobs`) — fanning events out to
//! notifications, sending the daily digest — and mails immediate notifications. Everything it works from
//! is in the database, so a restart loses nothing: unfinished jobs are claimed again, unmailed
//! notifications are still unmailed.
use std::collections::BTreeMap;
use std::time::Duration;

use maeul_db::jobs::{Job, KIND_DIGEST};
use maeul_db::notifications::{Notification, PendingMail};
use maeul_db::{DbError, now};
use maeul_domain::Lang;
use maeul_domain::notify::{
    DIGEST_MAX_ITEMS, EmailPreference, EventKind, mentions, next_digest_at,
};

use crate::AppState;
use crate::i18n::I18n;

/// Jobs handled per pass at most, so one pass cannot starve the mail step.
const JOBS_PER_PASS: usize = 500;
const MAILS_PER_PASS: i64 = 200;

/// Runs passes every second until `shutdown` resolves.
pub async fn run_worker(state: AppState, shutdown: impl std::future::Future<Output = ()>) {
    tokio::pin!(shutdown);
    loop {
        if let Err(e) = run_pass(&state).await {
            tracing::warn!(error = %e, "background pass failed");
        }
        tokio::select! {
            _ = &mut shutdown => return,
            _ = tokio::time::sleep(Duration::from_secs(1)) => {}
        }
    }
}

/// One pass: schedules the next digest, expires proposals past their deadline, handles due jobs, mails
/// immediate notifications. Returns the number of jobs handled.
pub async fn run_pass(state: &AppState) -> Result<usize, DbError> {
    let next = next_digest_at(now());
    state
        .db
        .schedule_job(KIND_DIGEST, next, &format!("digest:{next}"))
        .await?;
    expire_past_deadline(state).await?;
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
    mail_immediate(state).await?;
    Ok(handled)
}

async fn handle(state: &AppState, job: &Job) -> Result<(), DbError> {
    if job.kind == KIND_DIGEST {
        send_digests(state).await?;
        return state.db.complete_job(job.id).await;
    }
    if EventKind::parse(&job.kind).is_none() {
        return Err(DbError::Invalid(format!("unknown job kind {:?}", job.kind)));
    }
    // People named with @ in the new text hear of it (a name shared by several accounts names nobody).
    let text = match (job.comment_id, job.proposal_id) {
        (Some(c), _) => state.db.comment(c).await?.map(|c| c.body),
        (None, Some(p)) if job.kind == EventKind::Published.as_str() => {
            state.db.proposal(p).await?.map(|p| p.body)
        }
        _ => None,
    };
    let mut mentioned = vec![];
    for name in mentions(text.as_deref().unwrap_or("")) {
        if let Some(id) = state.db.user_by_unique_name(&name).await? {
            mentioned.push(id);
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
        if let Err(DbError::Invalid(reason)) = result {
            tracing::debug!(proposal = id, %reason, "not expired");
        } else {
            result?;
        }
    }
    Ok(())
}

/// The one-click unsubscribe link of a person: their id signed with the deployment's link key.
pub fn unsubscribe_token(key: &str, user_id: i64) -> String {
    let mac = maeul_db::secrets::keyed_hash(key, &format!("unsubscribe:{user_id}"));
    format!("{user_id}.{mac}")
}

/// The person an unsubscribe token names, if its signature is right.
pub fn unsubscribe_user(key: &str, token: &str) -> Option<i64> {
    let (id, _) = token.split_once('.')?;
    let id: i64 = id.parse().ok()?;
    let expected = unsubscribe_token(key, id);
    // Constant-time comparison: the token is a credential.
    let same = expected.len() == token.len()
        && expected
            .bytes()
            .zip(token.bytes())
            .fold(0u8, |acc, (a, b)| acc | (a ^ b))
            == 0;
    same.then_some(id)
}

/// The sentence that says what a notification is about, in `lang`.
pub fn notification_text(i18n: &I18n, lang: Lang, n: &Notification) -> String {
    let actor = n
        .actor_name
        .clone()
        .unwrap_or_else(|| i18n.tr(lang, "notification-someone", &[]));
    let detail = match n.kind.as_str() {
        "state-changed" => i18n.tr(lang, &format!("state-{}", n.detail), &[]),
        "answered" => i18n.tr(lang, &format!("responder-{}", n.detail), &[]),
        _ => n.detail.clone(),
    };
    // Content hidden by reports rather than by a moderator carries no reason.
    let id = if n.kind == EventKind::Hidden.as_str() && n.detail.is_empty() {
        "notification-hidden-by-reports".to_owned()
    } else {
        format!("notification-{}", n.kind)
    };
    i18n.tr(
        lang,
        &id,
        &[
            ("title", n.title.clone().into()),
            ("actor", actor.into()),
            ("detail", detail.into()),
        ],
    )
}

/// Where a notification leads.
pub fn notification_path(n: &Notification) -> String {
    let base = match (n.proposal_id, n.subject_kind.as_str()) {
        (Some(id), "debate") => format!("/debates/{id}"),
        (Some(id), _) => format!("/proposals/{id}"),
        (None, _) => "/notifications".to_owned(),
    };
    match n.comment_id {
        Some(c) => format!("{base}#comment-{c}"),
        None => base,
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hidden_notices_say_who_hid_and_why() {
        let i18n = I18n::default();
        let mut n = Notification {
            id: 1,
            kind: "hidden".into(),
            proposal_id: Some(7),
            comment_id: Some(9),
            detail: "광고".into(),
            created_at: 0,
            read_at: None,
            title: "골목 쉼터".into(),
            subject_kind: "proposal".into(),
            actor_name: None,
        };
        assert_eq!(
            notification_text(&i18n, Lang::Ko, &n),
            "운영자가 “골목 쉼터”의 내 글을 숨겼습니다: 광고"
        );
        assert_eq!(notification_path(&n), "/proposals/7#comment-9");
        n.detail.clear();
        assert!(notification_text(&i18n, Lang::En, &n).contains("after several reports"));
    }

    #[test]
    fn unsubscribe_tokens_are_signed() {
        let token = unsubscribe_token("key", 42);
        assert_eq!(unsubscribe_user("key", &token), Some(42));
        assert_eq!(unsubscribe_user("other key", &token), None);
        let forged = token.replacen("42.", "43.", 1);
        assert_eq!(unsubscribe_user("key", &forged), None);
        assert_eq!(unsubscribe_user("key", "42"), None);
        assert_eq!(unsubscribe_user("key", "x.y"), None);
    }
}
