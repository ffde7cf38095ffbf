//! Moderation: reports, hiding and restoring content, blocking accounts, and the log of every action.
//! Content is never deleted: hiding sets `hidden_at`, and the author still sees it.
use maeul_domain::moderation::{
    AUTO_HIDE_REPORTS, ModerationAction, ModerationRefusal, ReportReason, Target,
};
use maeul_domain::notify::EventKind;

use crate::{BeginWrite, Db, DbError, DbResult, db_run, now, record_event};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReportOutcome {
    /// The number of open reports on the content, this one included.
    pub open_reports: i64,
    /// True when this report reached [`AUTO_HIDE_REPORTS`] and hid the content.
    pub auto_hidden: bool,
}

/// An open report with what moderators need to judge it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct OpenReport {
    pub id: i64,
    #[sqlx(try_from = "String")]
    pub target_kind: Target,
    pub target_id: i64,
    #[sqlx(try_from = "String")]
    pub reason: ReportReason,
    pub details: String,
    pub reporter_name: String,
    pub created_at: i64,
    /// The proposal (for a comment: the proposal it is on).
    pub proposal_id: i64,
    /// The title of the proposal, or the text of the comment.
    pub excerpt: String,
    pub hidden_at: Option<i64>,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct LogEntry {
    pub id: i64,
    pub moderator_name: Option<String>,
    #[sqlx(try_from = "String")]
    pub action: ModerationAction,
    #[sqlx(try_from = "String")]
    pub target_kind: maeul_domain::moderation::LogTarget,
    pub target_id: i64,
    pub reason: String,
    pub at: i64,
}

impl LogEntry {
    /// Where the entry's target is shown (a comment's address redirects to its place in the thread).
    pub fn target_path(&self) -> String {
        use maeul_domain::moderation::LogTarget;
        match self.target_kind {
            LogTarget::Proposal => format!("/proposals/{}", self.target_id),
            LogTarget::Comment => format!("/comments/{}", self.target_id),
            LogTarget::User => format!("/users/{}", self.target_id),
        }
    }
}

/// The scope, author and hidden flag of a piece of content.
#[derive(Debug, Clone, Copy, sqlx::FromRow)]
pub struct ContentInfo {
    pub scope_id: i64,
    pub author_id: i64,
    pub proposal_id: i64,
    pub hidden_at: Option<i64>,
}

const OPEN_REPORTS: &str = "SELECT r.id, r.target_kind, r.target_id, r.reason, r.details, u.display_name AS reporter_name, r.created_at,
        COALESCE(c.proposal_id, p.id) AS proposal_id,
        CASE WHEN r.target_kind = 'comment' THEN c.body ELSE p.title END AS excerpt,
        CASE WHEN r.target_kind = 'comment' THEN c.hidden_at ELSE p.hidden_at END AS hidden_at
     FROM reports r JOIN users u ON u.id = r.reporter_id JOIN scopes s ON s.id = r.scope_id
     LEFT JOIN comments c ON r.target_kind = 'comment' AND c.id = r.target_id
     LEFT JOIN proposals p ON r.target_kind = 'proposal' AND p.id = r.target_id
     WHERE r.resolved_at IS NULL AND s.code LIKE $1 ORDER BY r.target_kind, r.target_id, r.id LIMIT $2";

impl Db {
    /// Where a proposal or comment lives, who wrote it and whether it is hidden.
    pub async fn content_info(&self, target: Target, id: i64) -> DbResult<ContentInfo> {
        let sql = match target {
            Target::Proposal => {
                "SELECT scope_id, author_id, id AS proposal_id, hidden_at FROM proposals WHERE id = $1"
            }
            Target::Comment => {
                "SELECT p.scope_id, c.author_id, c.proposal_id, c.hidden_at FROM comments c
                                JOIN proposals p ON p.id = c.proposal_id WHERE c.id = $1"
            }
        };
        db_run!(self, pool => sqlx::query_as::<_, ContentInfo>(sql).bind(id).fetch_optional(pool).await?)
            .ok_or(DbError::NotFound)
    }

    /// Files a report. One per person and content ([`DbError::Conflict`] for a second). The report that
    /// brings the open reports to [`AUTO_HIDE_REPORTS`] hides the content until a moderator decides.
    pub async fn report_content(
        &self,
        target: Target,
        id: i64,
        reporter_id: i64,
        reason: ReportReason,
        details: &str,
    ) -> DbResult<ReportOutcome> {
        let info = self.content_info(target, id).await?;
        let at = now();
        let table = match target {
            Target::Proposal => "proposals",
            Target::Comment => "comments",
        };
        db_run!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let inserted = sqlx::query(
                "INSERT INTO reports (target_kind, target_id, scope_id, reporter_id, reason, details, created_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (target_kind, target_id, reporter_id) DO NOTHING")
                .bind(target.as_str()).bind(id).bind(info.scope_id).bind(reporter_id).bind(reason.as_str()).bind(details).bind(at)
                .execute(&mut *tx).await?.rows_affected();
            if inserted == 0 {
                return Err(DbError::Conflict("report"));
            }
            let open_reports = sqlx::query_scalar::<_, i64>(
                "SELECT COUNT(*) FROM reports WHERE target_kind = $1 AND target_id = $2 AND resolved_at IS NULL")
                .bind(target.as_str()).bind(id).fetch_one(&mut *tx).await?;
            let mut auto_hidden = false;
            if open_reports >= AUTO_HIDE_REPORTS {
                let sql = format!("UPDATE {table} SET hidden_at = $1 WHERE id = $2 AND hidden_at IS NULL");
                auto_hidden = sqlx::query(&sql).bind(at).bind(id).execute(&mut *tx).await?.rows_affected() == 1;
                if auto_hidden {
                    sqlx::query("INSERT INTO moderation_log (moderator_id, action, target_kind, target_id, scope_id, reason, at)
                                 VALUES (NULL, 'hide', $1, $2, $3, $4, $5)")
                        .bind(target.as_str()).bind(id).bind(info.scope_id).bind(format!("{open_reports} reports")).bind(at)
                        .execute(&mut *tx).await?;
                    let comment = (target == Target::Comment).then_some(id);
                    // No reason: the reports hid it (the notification says so).
                    record_event!(tx, EventKind::Hidden, Some(info.proposal_id), comment, Option::<i64>::None, "", at);
                }
            }
            tx.commit().await?;
            Ok(ReportOutcome { open_reports, auto_hidden })
        })
    }

    /// Open reports in scopes whose code starts with `code_prefix`, grouped by content.
    pub async fn open_reports(&self, code_prefix: &str, limit: i64) -> DbResult<Vec<OpenReport>> {
        let pattern = format!("{code_prefix}%");
        Ok(
            db_run!(self, pool => sqlx::query_as::<_, OpenReport>(OPEN_REPORTS).bind(&pattern).bind(limit).fetch_all(pool).await?),
        )
    }

    /// Hides, restores or dismisses the reports on content, resolving its open reports and logging the
    /// action in one transaction. Refused when the action does not fit (hiding hidden content, …).
    pub async fn moderate_content(
        &self,
        moderator_id: i64,
        target: Target,
        id: i64,
        action: ModerationAction,
        reason: &str,
    ) -> DbResult<()> {
        let info = self.content_info(target, id).await?;
        if !action.applies_to_content(info.hidden_at.is_some()) {
            return Err(crate::refused(ModerationRefusal::NotApplicable { action }));
        }
        let table = match target {
            Target::Proposal => "proposals",
            Target::Comment => "comments",
        };
        let at = now();
        db_run!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let changed = match action {
                ModerationAction::Hide => {
                    let sql = format!("UPDATE {table} SET hidden_at = $1 WHERE id = $2 AND hidden_at IS NULL");
                    sqlx::query(&sql).bind(at).bind(id).execute(&mut *tx).await?.rows_affected()
                }
                ModerationAction::Restore => {
                    let sql = format!("UPDATE {table} SET hidden_at = NULL WHERE id = $1 AND hidden_at IS NOT NULL");
                    sqlx::query(&sql).bind(id).execute(&mut *tx).await?.rows_affected()
                }
                _ => 1,
            };
            if changed == 0 {
                return Err(DbError::Refused(maeul_domain::Refusal::Stale));
            }
            sqlx::query("UPDATE reports SET resolved_at = $1, resolved_by = $2 WHERE target_kind = $3 AND target_id = $4 AND resolved_at IS NULL")
                .bind(at).bind(moderator_id).bind(target.as_str()).bind(id).execute(&mut *tx).await?;
            sqlx::query("INSERT INTO moderation_log (moderator_id, action, target_kind, target_id, scope_id, reason, at)
                         VALUES ($1, $2, $3, $4, $5, $6, $7)")
                .bind(moderator_id).bind(action.as_str()).bind(target.as_str()).bind(id).bind(info.scope_id).bind(reason).bind(at)
                .execute(&mut *tx).await?;
            if action == ModerationAction::Hide {
                let comment = (target == Target::Comment).then_some(id);
                record_event!(tx, EventKind::Hidden, Some(info.proposal_id), comment, Some(moderator_id), reason, at);
            }
            tx.commit().await?;
        });
        Ok(())
    }

    /// Blocks or unblocks an account: a blocked account cannot sign in, its sessions end at once and its
    /// API tokens stop working. Its content stays as it is (moderators hide what needs hiding).
    pub async fn set_blocked(
        &self,
        moderator_id: i64,
        user_id: i64,
        action: ModerationAction,
        reason: &str,
    ) -> DbResult<()> {
        let blocked = db_run!(self, pool => sqlx::query_scalar::<_, Option<i64>>("SELECT blocked_at FROM users WHERE id = $1")
            .bind(user_id).fetch_optional(pool).await?).ok_or(DbError::NotFound)?;
        if !action.applies_to_account(blocked.is_some()) {
            return Err(crate::refused(ModerationRefusal::NotApplicable { action }));
        }
        let at = now();
        let blocked_at = (action == ModerationAction::Block).then_some(at);
        db_run!(self, pool => {
            let mut tx = pool.begin_write().await?;
            sqlx::query("UPDATE users SET blocked_at = $1 WHERE id = $2").bind(blocked_at).bind(user_id).execute(&mut *tx).await?;
            if blocked_at.is_some() {
                sqlx::query("DELETE FROM sessions WHERE user_id = $1").bind(user_id).execute(&mut *tx).await?;
            }
            sqlx::query("INSERT INTO moderation_log (moderator_id, action, target_kind, target_id, scope_id, reason, at)
                         VALUES ($1, $2, 'user', $3, NULL, $4, $5)")
                .bind(moderator_id).bind(action.as_str()).bind(user_id).bind(reason).bind(at)
                .execute(&mut *tx).await?;
            tx.commit().await?;
        });
        Ok(())
    }

    pub async fn is_blocked(&self, user_id: i64) -> DbResult<bool> {
        let blocked = db_run!(self, pool => sqlx::query_scalar::<_, Option<i64>>("SELECT blocked_at FROM users WHERE id = $1")
            .bind(user_id).fetch_optional(pool).await?).ok_or(DbError::NotFound)?;
        Ok(blocked.is_some())
    }

    /// The moderation log of scopes under `code_prefix` (account actions are city-wide and always shown),
    /// newest first.
    pub async fn moderation_log(&self, code_prefix: &str, limit: i64) -> DbResult<Vec<LogEntry>> {
        let pattern = format!("{code_prefix}%");
        Ok(db_run!(self, pool => sqlx::query_as::<_, LogEntry>(
            "SELECT l.id, u.display_name AS moderator_name, l.action, l.target_kind, l.target_id, l.reason, l.at
             FROM moderation_log l LEFT JOIN users u ON u.id = l.moderator_id LEFT JOIN scopes s ON s.id = l.scope_id
             WHERE l.scope_id IS NULL OR s.code LIKE $1 ORDER BY l.id DESC LIMIT $2")
            .bind(&pattern).bind(limit).fetch_all(pool).await?))
    }
}
