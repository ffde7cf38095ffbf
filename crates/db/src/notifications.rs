//! Follows, in-app notifications, e-mail preferences, and the one fan-out that turns a recorded event into
//! notifications for the people it concerns (the audience rules are `maeul_domain::notify::audience`).
//! A notification is about a subject of any kind — a proposal or debate, an agenda item, a budget
//! process (`SubjectKind`) — whose page it leads to and whose followers hear of it.
use std::collections::BTreeSet;

use maeul_domain::notify::{EmailPreference, EventKind, SubjectKind, audience};

use crate::jobs::Job;
use crate::{BeginWrite, Db, DbError, DbResult, OptionalName, db_run, now};

/// What can be followed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FollowTarget {
    /// A proposal or a debate.
    Proposal(i64),
    Scope(i64),
    User(i64),
    /// An agenda item of the innovation plan.
    PlanItem(i64),
}

impl FollowTarget {
    fn parts(self) -> (&'static str, i64) {
        match self {
            FollowTarget::Proposal(id) => ("proposal", id),
            FollowTarget::Scope(id) => ("scope", id),
            FollowTarget::User(id) => ("user", id),
            FollowTarget::PlanItem(id) => ("plan_item", id),
        }
    }
}

/// Follows `$target_kind`/`$target_id` for `$user` (idempotent) inside an open transaction `$tx` of either
/// backend: how acting on something makes one follow it.
#[macro_export]
#[doc(hidden)]
macro_rules! follow_in_tx {
    ($tx:expr, $user:expr, $target_kind:expr, $target_id:expr, $at:expr) => {
        sqlx::query(
            "INSERT INTO follows (user_id, target_kind, target_id, created_at) VALUES ($1, $2, $3, $4)
             ON CONFLICT (user_id, target_kind, target_id) DO NOTHING",
        )
        .bind($user)
        .bind($target_kind)
        .bind($target_id)
        .bind($at)
        .execute(&mut *$tx)
        .await?
    };
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Notification {
    pub id: i64,
    #[sqlx(try_from = "String")]
    pub kind: EventKind,
    /// What it is about (none for a notification without a subject).
    #[sqlx(try_from = "Option<String>")]
    pub subject_kind: OptionalName<SubjectKind>,
    pub subject_id: Option<i64>,
    pub comment_id: Option<i64>,
    pub detail: String,
    pub created_at: i64,
    pub read_at: Option<i64>,
    /// The subject's title ('' when it has none stored: a budget process's travels in the detail).
    pub title: String,
    /// A proposal subject's kind, 'proposal' or 'debate' ('' for other subjects).
    pub proposal_kind: String,
    pub actor_name: Option<String>,
}

impl Notification {
    /// The subject, when it has one.
    pub fn subject(&self) -> Option<(SubjectKind, i64)> {
        self.subject_kind.0.zip(self.subject_id)
    }
}

/// A notification to send by e-mail, with what its mail needs.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PendingMail {
    pub id: i64,
    pub user_id: i64,
    pub email: String,
    pub lang: String,
    #[sqlx(flatten)]
    pub notification: Notification,
}

const SELECT_NOTIFICATION: &str =
    "n.id, n.kind, n.subject_kind, n.subject_id, n.comment_id, n.detail, n.created_at,
        n.read_at, COALESCE(p.title, i.title, '') AS title, COALESCE(p.kind, '') AS proposal_kind,
        a.display_name AS actor_name";
const JOIN_NOTIFICATION: &str =
    "LEFT JOIN proposals p ON n.subject_kind = 'proposal' AND p.id = n.subject_id
        LEFT JOIN plan_items i ON n.subject_kind = 'plan_item' AND i.id = n.subject_id
        LEFT JOIN users a ON a.id = n.actor_id";

/// The subject of an event and the detail its notifications keep: a proposal event names its proposal
/// (`job.proposal_id`); a budget phase and an item change carry their subject's id first in the detail
/// (`id:phase:title`, `id:change`).
fn event_subject(kind: EventKind, job: &Job) -> DbResult<(Option<(SubjectKind, i64)>, String)> {
    let leading_id = || {
        job.detail
            .split_once(':')
            .and_then(|(id, rest)| Some((id.parse::<i64>().ok()?, rest)))
            .ok_or_else(|| DbError::Corrupt(format!("{} event {}", kind.as_str(), job.id)))
    };
    Ok(match kind {
        EventKind::BudgetPhase => {
            let (id, _) = leading_id()?;
            (Some((SubjectKind::BudgetProcess, id)), job.detail.clone())
        }
        EventKind::ItemChanged => {
            let (id, change) = leading_id()?;
            (Some((SubjectKind::PlanItem, id)), change.to_owned())
        }
        _ => (
            job.proposal_id.map(|id| (SubjectKind::Proposal, id)),
            job.detail.clone(),
        ),
    })
}

/// Notifications older than this are not mailed any more (a digest after a long 'off' period stays short).
const MAIL_WINDOW_SECONDS: i64 = 7 * 86_400;

impl Db {
    /// Follows `target` (idempotent).
    pub async fn follow(&self, user_id: i64, target: FollowTarget) -> DbResult<()> {
        let (kind, id) = target.parts();
        db_run!(self, pool => sqlx::query(
            "INSERT INTO follows (user_id, target_kind, target_id, created_at) VALUES ($1, $2, $3, $4)
             ON CONFLICT (user_id, target_kind, target_id) DO NOTHING")
            .bind(user_id).bind(kind).bind(id).bind(now()).execute(pool).await?.rows_affected());
        Ok(())
    }

    pub async fn unfollow(&self, user_id: i64, target: FollowTarget) -> DbResult<()> {
        let (kind, id) = target.parts();
        db_run!(self, pool => sqlx::query("DELETE FROM follows WHERE user_id = $1 AND target_kind = $2 AND target_id = $3")
            .bind(user_id).bind(kind).bind(id).execute(pool).await?.rows_affected());
        Ok(())
    }

    pub async fn is_following(&self, user_id: i64, target: FollowTarget) -> DbResult<bool> {
        let (kind, id) = target.parts();
        let n = db_run!(self, pool => sqlx::query_scalar::<_, i64>(
            "SELECT COUNT(*) FROM follows WHERE user_id = $1 AND target_kind = $2 AND target_id = $3")
            .bind(user_id).bind(kind).bind(id).fetch_one(pool).await?);
        Ok(n > 0)
    }

    pub async fn follower_count(&self, target: FollowTarget) -> DbResult<i64> {
        let (kind, id) = target.parts();
        Ok(db_run!(self, pool => sqlx::query_scalar::<_, i64>(
            "SELECT COUNT(*) FROM follows WHERE target_kind = $1 AND target_id = $2")
            .bind(kind).bind(id).fetch_one(pool).await?))
    }

    /// Turns one recorded event into notifications for its subject's audience, and marks its job done in
    /// the same transaction: a crash before the commit leaves the job to be retried, after it leaves nothing
    /// to redo. Every event kind of every subject goes through here. `mentioned` are the accounts the
    /// event's text names (resolved by the caller).
    pub async fn fan_out_event(&self, job: &Job, mentioned: &[i64]) -> DbResult<usize> {
        let kind = EventKind::parse(&job.kind)
            .ok_or_else(|| DbError::Corrupt(format!("unknown event kind {:?}", job.kind)))?;
        let who = audience(kind);
        let (subject, detail) = event_subject(kind, job)?;
        let (subject_kind, subject_id) = match subject {
            Some((k, id)) => (Some(k), Some(id)),
            None => (None, None),
        };
        let at = now();
        db_run!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let mut recipients = BTreeSet::new();
            // The subject's authors (several for a budget process: its projects' proposers), its scope,
            // and the kind its followers follow it as.
            let (authors, scope_id, followed_as): (Vec<i64>, Option<i64>, Option<&str>) = match subject {
                Some((SubjectKind::Proposal, id)) => {
                    let row = sqlx::query_as::<_, (i64, i64)>("SELECT author_id, scope_id FROM proposals WHERE id = $1")
                        .bind(id).fetch_optional(&mut *tx).await?;
                    match row {
                        Some((author, scope)) => (vec![author], Some(scope), Some("proposal")),
                        None => (vec![], None, None),
                    }
                }
                Some((SubjectKind::PlanItem, id)) => {
                    let row = sqlx::query_as::<_, (Option<i64>, i64)>("SELECT proposed_by, scope_id FROM plan_items WHERE id = $1")
                        .bind(id).fetch_optional(&mut *tx).await?;
                    match row {
                        Some((proposer, scope)) => (proposer.into_iter().collect(), Some(scope), Some("plan_item")),
                        None => (vec![], None, None),
                    }
                }
                Some((SubjectKind::BudgetProcess, id)) => {
                    let scope = sqlx::query_scalar::<_, i64>("SELECT scope_id FROM budget_processes WHERE id = $1")
                        .bind(id).fetch_optional(&mut *tx).await?;
                    let proposers = sqlx::query_scalar::<_, i64>(
                        "SELECT DISTINCT proposer_id FROM budget_projects WHERE process_id = $1 AND proposer_id IS NOT NULL")
                        .bind(id).fetch_all(&mut *tx).await?;
                    (proposers, scope, None)
                }
                None => (vec![], None, None),
            };
            if who.author {
                recipients.extend(authors.iter().copied());
            }
            if who.followers && let (Some(target_kind), Some(id)) = (followed_as, subject_id) {
                recipients.extend(sqlx::query_scalar::<_, i64>(
                    "SELECT user_id FROM follows WHERE target_kind = $1 AND target_id = $2")
                    .bind(target_kind).bind(id).fetch_all(&mut *tx).await?);
            }
            if who.scope_and_author_followers && let Some(scope_id) = scope_id {
                // Following a district covers its neighbourhoods: the scope and its ancestors count. A
                // proposal's author is followed too.
                let author = if followed_as == Some("proposal") { authors.first().copied() } else { None };
                recipients.extend(sqlx::query_scalar::<_, i64>(
                    "SELECT f.user_id FROM follows f WHERE (f.target_kind = 'user' AND f.target_id = $1)
                        OR (f.target_kind = 'scope' AND f.target_id IN (
                            SELECT a.id FROM scopes a, scopes s WHERE s.id = $2 AND s.code LIKE a.code || '%'))")
                    .bind(author.unwrap_or(0)).bind(scope_id).fetch_all(&mut *tx).await?);
            }
            if who.replied_and_mentioned {
                if let Some(comment_id) = job.comment_id {
                    recipients.extend(sqlx::query_scalar::<_, i64>(
                        "SELECT p.author_id FROM comments c JOIN comments p ON p.id = c.parent_id WHERE c.id = $1")
                        .bind(comment_id).fetch_optional(&mut *tx).await?);
                }
                recipients.extend(mentioned.iter().copied());
            }
            if let Some(actor) = job.actor_id {
                recipients.remove(&actor);
            }
            for user_id in &recipients {
                sqlx::query(
                    "INSERT INTO notifications (user_id, kind, subject_kind, subject_id, comment_id, actor_id, detail, created_at)
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)")
                    .bind(user_id).bind(kind.as_str()).bind(subject_kind.map(|k| k.as_str())).bind(subject_id)
                    .bind(job.comment_id).bind(job.actor_id).bind(&detail).bind(at)
                    .execute(&mut *tx).await?;
            }
            sqlx::query("UPDATE jobs SET done_at = $1, locked_until = NULL, last_error = NULL WHERE id = $2")
                .bind(at).bind(job.id).execute(&mut *tx).await?;
            tx.commit().await?;
            Ok(recipients.len())
        })
    }

    /// Accounts whose display name is exactly `name`, when exactly one has it (a mention must be unambiguous).
    pub async fn user_by_unique_name(&self, name: &str) -> DbResult<Option<i64>> {
        let ids = db_run!(self, pool => sqlx::query_scalar::<_, i64>(
            "SELECT id FROM users WHERE display_name = $1 AND blocked_at IS NULL LIMIT 2")
            .bind(name).fetch_all(pool).await?);
        Ok(match ids.as_slice() {
            [one] => Some(*one),
            _ => None,
        })
    }

    /// A person's notifications, newest first, before the cursor. Notifications about content hidden by
    /// moderators are left out, except for its author.
    pub async fn notifications(
        &self,
        user_id: i64,
        before_id: Option<i64>,
        limit: i64,
    ) -> DbResult<Vec<Notification>> {
        let sql = format!(
            "SELECT {SELECT_NOTIFICATION} FROM notifications n {JOIN_NOTIFICATION}
             WHERE n.user_id = $1 AND n.id < $2 AND (p.id IS NULL OR p.hidden_at IS NULL OR p.author_id = $1)
             ORDER BY n.id DESC LIMIT $3"
        );
        Ok(
            db_run!(self, pool => sqlx::query_as::<_, Notification>(&sql)
            .bind(user_id).bind(before_id.unwrap_or(i64::MAX)).bind(limit).fetch_all(pool).await?),
        )
    }

    pub async fn unread_notifications(&self, user_id: i64) -> DbResult<i64> {
        Ok(db_run!(self, pool => sqlx::query_scalar::<_, i64>(
            "SELECT COUNT(*) FROM notifications WHERE user_id = $1 AND read_at IS NULL")
            .bind(user_id).fetch_one(pool).await?))
    }

    /// Marks one (or, with `None`, every) notification of `user_id` read.
    pub async fn mark_notifications_read(&self, user_id: i64, id: Option<i64>) -> DbResult<u64> {
        Ok(db_run!(self, pool => sqlx::query(
            "UPDATE notifications SET read_at = $1 WHERE user_id = $2 AND read_at IS NULL AND ($3 = 0 OR id = $3)")
            .bind(now()).bind(user_id).bind(id.unwrap_or(0)).execute(pool).await?.rows_affected()))
    }

    pub async fn email_preference(&self, user_id: i64) -> DbResult<EmailPreference> {
        let s = db_run!(self, pool => sqlx::query_scalar::<_, String>(
            "SELECT email_notifications FROM users WHERE id = $1").bind(user_id).fetch_optional(pool).await?)
            .ok_or(DbError::NotFound)?;
        Ok(EmailPreference::parse(&s).unwrap_or_default())
    }

    pub async fn set_email_preference(&self, user_id: i64, pref: EmailPreference) -> DbResult<()> {
        db_run!(self, pool => sqlx::query("UPDATE users SET email_notifications = $1 WHERE id = $2")
            .bind(pref.as_str()).bind(user_id).execute(pool).await?.rows_affected());
        Ok(())
    }

    /// Unmailed notifications of people with preference `pref`, created in the last week, oldest first.
    pub async fn notifications_to_mail(
        &self,
        pref: EmailPreference,
        limit: i64,
    ) -> DbResult<Vec<PendingMail>> {
        let sql = format!(
            "SELECT n.id AS id, n.user_id, u.email, u.lang, {SELECT_NOTIFICATION}
             FROM notifications n JOIN users u ON u.id = n.user_id {JOIN_NOTIFICATION}
             WHERE n.mailed_at IS NULL AND u.email_notifications = $1 AND u.blocked_at IS NULL AND n.created_at >= $2
               AND (p.id IS NULL OR p.hidden_at IS NULL OR p.author_id = n.user_id)
             ORDER BY n.user_id, n.id LIMIT $3"
        );
        Ok(db_run!(self, pool => sqlx::query_as::<_, PendingMail>(&sql)
            .bind(pref.as_str()).bind(now() - MAIL_WINDOW_SECONDS).bind(limit).fetch_all(pool).await?))
    }

    /// Writes one mail to the outbox for `notification_ids` and marks them mailed, atomically. Returns
    /// false (and writes nothing) when another worker mailed them first.
    pub async fn record_notification_mail(
        &self,
        notification_ids: &[i64],
        to: &str,
        subject: &str,
        body: &str,
        unsubscribe_url: &str,
    ) -> DbResult<bool> {
        let at = now();
        db_run!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let mut marked = 0;
            for id in notification_ids {
                marked += sqlx::query("UPDATE notifications SET mailed_at = $1 WHERE id = $2 AND mailed_at IS NULL")
                    .bind(at).bind(id).execute(&mut *tx).await?.rows_affected();
            }
            if marked != notification_ids.len() as u64 {
                tx.rollback().await?;
                return Ok(false);
            }
            sqlx::query("INSERT INTO outbox (to_addr, subject, body, created_at, unsubscribe_url) VALUES ($1, $2, $3, $4, $5)")
                .bind(to).bind(subject).bind(body).bind(at).bind(unsubscribe_url)
                .execute(&mut *tx).await?;
            tx.commit().await?;
            Ok(true)
        })
    }
}
