//! The persisted job queue, on the platform's own database (both backends): work that must happen after
//! a request — fanning an event out to followers, the daily digest — is a row here, written in the same
//! transaction as the change that caused it, so it is neither lost on a crash nor done for a change that
//! rolled back. A worker claims a due job by locking it for a while; if the worker dies, the lock expires
//! and another claim retries it. Failures are retried with growing delays, up to [`MAX_ATTEMPTS`].
use maeul_domain::notify::EventKind;

use crate::{Db, DbResult, db_run, now};

pub const MAX_ATTEMPTS: i64 = 8;
/// How long a claimed job stays reserved for its worker.
pub const LOCK_SECONDS: i64 = 120;

/// The daily digest job. Every other job kind is the name of a `maeul_domain::notify::EventKind`: an
/// event to fan out.
pub const KIND_DIGEST: &str = "digest";

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Job {
    pub id: i64,
    pub kind: String,
    pub proposal_id: Option<i64>,
    pub comment_id: Option<i64>,
    pub actor_id: Option<i64>,
    pub detail: String,
    pub run_at: i64,
    pub attempts: i64,
}

/// What a job does: fan out an event, or send the daily digest.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JobKind {
    Event(EventKind),
    Digest,
    /// A conversation's opinion map update (`crate::forums::KIND_FORUM_MAP`).
    ForumMap,
    /// A closed budget vote's count (`crate::budget::KIND_BUDGET_COUNT`).
    BudgetCount,
}

impl JobKind {
    /// The Fluent id of the kind's label.
    pub fn label_id(self) -> &'static str {
        match self {
            JobKind::Event(kind) => kind.label_id(),
            JobKind::Digest => "job-kind-digest",
            JobKind::ForumMap => "job-kind-forum-map",
            JobKind::BudgetCount => "job-kind-budget-count",
        }
    }
}

impl TryFrom<String> for JobKind {
    type Error = maeul_domain::named::UnknownValue;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        if s == KIND_DIGEST {
            Ok(JobKind::Digest)
        } else if s == crate::forums::KIND_FORUM_MAP {
            Ok(JobKind::ForumMap)
        } else if s == crate::budget::KIND_BUDGET_COUNT {
            Ok(JobKind::BudgetCount)
        } else {
            EventKind::try_from(s).map(JobKind::Event)
        }
    }
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct JobStatus {
    pub id: i64,
    #[sqlx(try_from = "String")]
    pub kind: JobKind,
    pub detail: String,
    pub run_at: i64,
    pub attempts: i64,
    pub last_error: Option<String>,
    pub done_at: Option<i64>,
}

/// Records an event (a job of the event's kind) inside an open transaction `$tx` of either backend:
/// `(EventKind, proposal, comment, actor, detail, at)`.
#[macro_export]
#[doc(hidden)]
macro_rules! record_event {
    ($tx:expr, $kind:expr, $proposal:expr, $comment:expr, $actor:expr, $detail:expr, $at:expr) => {
        sqlx::query(
            "INSERT INTO jobs (kind, proposal_id, comment_id, actor_id, detail, run_at, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $6)",
        )
        .bind($kind.as_str())
        .bind($proposal)
        .bind($comment)
        .bind($actor)
        .bind($detail)
        .bind($at)
        .execute(&mut *$tx)
        .await?
    };
}

const CLAIM_SQLITE: &str = "UPDATE jobs SET locked_until = $1, attempts = attempts + 1
     WHERE id = (SELECT id FROM jobs WHERE done_at IS NULL AND run_at <= $2 AND attempts < $3
                 AND (locked_until IS NULL OR locked_until < $2) AND kind <> 'forum_map' ORDER BY run_at, id LIMIT 1)
       AND (locked_until IS NULL OR locked_until < $2)
     RETURNING id, kind, proposal_id, comment_id, actor_id, detail, run_at, attempts";
// PostgreSQL workers may run in several processes: SKIP LOCKED lets each take a different job.
const CLAIM_POSTGRES: &str = "UPDATE jobs SET locked_until = $1, attempts = attempts + 1
     WHERE id = (SELECT id FROM jobs WHERE done_at IS NULL AND run_at <= $2 AND attempts < $3
                 AND (locked_until IS NULL OR locked_until < $2) AND kind <> 'forum_map' ORDER BY run_at, id LIMIT 1 FOR UPDATE SKIP LOCKED)
     RETURNING id, kind, proposal_id, comment_id, actor_id, detail, run_at, attempts";

impl Db {
    /// Schedules a job once per `dedupe_key` (a second schedule with the same key is a no-op).
    pub async fn schedule_job(&self, kind: &str, run_at: i64, dedupe_key: &str) -> DbResult<bool> {
        // Workers call this every second: a read first keeps the common case free of writes.
        let known = db_run!(self, pool => sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM jobs WHERE dedupe_key = $1")
            .bind(dedupe_key).fetch_one(pool).await?);
        if known > 0 {
            return Ok(false);
        }
        let n = db_run!(self, pool => sqlx::query(
            "INSERT INTO jobs (kind, dedupe_key, run_at, created_at) VALUES ($1, $2, $3, $4) ON CONFLICT (dedupe_key) DO NOTHING")
            .bind(kind).bind(dedupe_key).bind(run_at).bind(now()).execute(pool).await?.rows_affected());
        Ok(n == 1)
    }

    /// Claims the next due job, if any, for [`LOCK_SECONDS`]; forum map updates are claimed by
    /// [`Db::claim_forum_map_job`] only (at most one per conversation and poll).
    pub async fn claim_job(&self) -> DbResult<Option<Job>> {
        let at = now();
        Ok(db_run!(self,
            sqlite pool => sqlx::query_as::<_, Job>(CLAIM_SQLITE).bind(at + LOCK_SECONDS).bind(at).bind(MAX_ATTEMPTS)
                .fetch_optional(pool).await?,
            postgres pool => sqlx::query_as::<_, Job>(CLAIM_POSTGRES).bind(at + LOCK_SECONDS).bind(at).bind(MAX_ATTEMPTS)
                .fetch_optional(pool).await?
        ))
    }

    pub async fn complete_job(&self, id: i64) -> DbResult<()> {
        db_run!(self, pool => sqlx::query("UPDATE jobs SET done_at = $1, locked_until = NULL, last_error = NULL WHERE id = $2")
            .bind(now()).bind(id).execute(pool).await?.rows_affected());
        Ok(())
    }

    /// Records a failure and releases the job for a retry after a delay that doubles with each attempt.
    pub async fn fail_job(&self, job: &Job, error: &str) -> DbResult<()> {
        let delay = 30_i64 << job.attempts.clamp(0, 12);
        db_run!(self, pool => sqlx::query("UPDATE jobs SET last_error = $1, locked_until = NULL, run_at = $2 WHERE id = $3")
            .bind(error).bind(now() + delay).bind(job.id).execute(pool).await?.rows_affected());
        Ok(())
    }

    /// Recent jobs, newest first (for administrators).
    pub async fn recent_jobs(&self, limit: i64) -> DbResult<Vec<JobStatus>> {
        Ok(db_run!(self, pool => sqlx::query_as::<_, JobStatus>(
            "SELECT id, kind, detail, run_at, attempts, last_error, done_at FROM jobs ORDER BY id DESC LIMIT $1")
            .bind(limit).fetch_all(pool).await?))
    }

    /// Jobs not done yet (due or scheduled).
    pub async fn pending_jobs(&self) -> DbResult<i64> {
        Ok(db_run!(self, pool => sqlx::query_scalar::<_, i64>(
            "SELECT COUNT(*) FROM jobs WHERE done_at IS NULL AND attempts < $1").bind(MAX_ATTEMPTS).fetch_one(pool).await?))
    }
}
