//! Map snapshots: every update of a conversation's map is kept (history), the latest is what every
//! server serves.
use crate::{Db, DbResult, db_run, now};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct MapRow {
    pub id: i64,
    pub conversation_id: i64,
    /// The map in the shape `maeul opinion analyze --json` prints (`maeul_opinion::report::MapSnapshot`).
    pub map_json: String,
    pub svg: String,
    /// Comment priorities at this update: a JSON object, statement id → priority.
    pub priorities_json: String,
    /// Current votes the map was computed from.
    pub votes: i64,
    /// The latest vote event it saw.
    pub last_event_id: i64,
    pub created_at: i64,
}

/// A snapshot to store.
pub struct NewMap<'a> {
    pub map_json: &'a str,
    pub svg: &'a str,
    pub priorities_json: &'a str,
    pub votes: i64,
    pub last_event_id: i64,
}

const SELECT_MAP: &str =
    "SELECT id, conversation_id, map_json, svg, priorities_json, votes, last_event_id,
    created_at FROM forum_maps";

impl Db {
    pub async fn store_forum_map(&self, conversation_id: i64, map: &NewMap<'_>) -> DbResult<i64> {
        Ok(db_run!(self, pool => sqlx::query_scalar::<_, i64>(
            "INSERT INTO forum_maps (conversation_id, map_json, svg, priorities_json, votes, last_event_id, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id")
            .bind(conversation_id).bind(map.map_json).bind(map.svg).bind(map.priorities_json)
            .bind(map.votes).bind(map.last_event_id).bind(now())
            .fetch_one(pool).await?))
    }

    /// The latest snapshot of a conversation's map.
    pub async fn latest_forum_map(&self, conversation_id: i64) -> DbResult<Option<MapRow>> {
        let sql = format!("{SELECT_MAP} WHERE conversation_id = $1 ORDER BY id DESC LIMIT 1");
        Ok(db_run!(self, pool => sqlx::query_as::<_, MapRow>(&sql)
            .bind(conversation_id).fetch_optional(pool).await?))
    }

    /// The history of a conversation's map: (snapshot id, votes, created_at), oldest first.
    pub async fn forum_map_history(&self, conversation_id: i64) -> DbResult<Vec<(i64, i64, i64)>> {
        Ok(db_run!(self, pool => sqlx::query_as::<_, (i64, i64, i64)>(
            "SELECT id, votes, created_at FROM forum_maps WHERE conversation_id = $1 ORDER BY id")
            .bind(conversation_id).fetch_all(pool).await?))
    }

    /// One snapshot of the history.
    pub async fn forum_map(&self, conversation_id: i64, id: i64) -> DbResult<Option<MapRow>> {
        let sql = format!("{SELECT_MAP} WHERE conversation_id = $1 AND id = $2");
        Ok(db_run!(self, pool => sqlx::query_as::<_, MapRow>(&sql)
            .bind(conversation_id).bind(id).fetch_optional(pool).await?))
    }

    /// Schedules a map update of a conversation now (after a missed change, or at seeding).
    pub async fn schedule_forum_map(&self, conversation_id: i64) -> DbResult<()> {
        let at = now();
        db_run!(self, pool => {
            let mut tx = crate::BeginWrite::begin_write(pool).await?;
            crate::schedule_forum_map!(self, tx, conversation_id, at);
            tx.commit().await?;
        });
        Ok(())
    }
}

const DUE_MAPS: &str = "SELECT id, detail FROM jobs WHERE done_at IS NULL AND run_at <= $1 AND attempts < $2
     AND (locked_until IS NULL OR locked_until < $1) AND kind = 'forum_map' ORDER BY run_at, id LIMIT 64";
const CLAIM_MAP: &str = "UPDATE jobs SET locked_until = $1, attempts = attempts + 1
     WHERE id = $4 AND done_at IS NULL AND run_at <= $2 AND attempts < $3
       AND (locked_until IS NULL OR locked_until < $2)
     RETURNING id, kind, proposal_id, comment_id, actor_id, detail, run_at, attempts";

impl Db {
    /// Claims the next due map update, if any, of a conversation not in `skip`, as [`Db::claim_job`]
    /// claims any job (for [`crate::jobs::LOCK_SECONDS`]); the workers poll this several times a second
    /// so that the map follows a vote within a second, also a vote cast on another server, and skip the
    /// conversations they updated in the same poll, so that a conversation under a burst of votes is
    /// updated once per poll rather than back to back. A read comes first, so an idle poll writes
    /// nothing (and does not take SQLite's write lock); the claim is a compare-and-set on the job, so of
    /// two workers only one gets it.
    pub async fn claim_forum_map_job(&self, skip: &[i64]) -> DbResult<Option<crate::jobs::Job>> {
        use crate::jobs::{LOCK_SECONDS, MAX_ATTEMPTS};
        let at = now();
        let due: Vec<(i64, String)> = db_run!(self, pool => sqlx::query_as(DUE_MAPS)
            .bind(at).bind(MAX_ATTEMPTS).fetch_all(pool).await?);
        let Some((id, _)) = due
            .into_iter()
            .find(|(_, detail)| detail.parse::<i64>().map_or(true, |c| !skip.contains(&c)))
        else {
            return Ok(None);
        };
        Ok(
            db_run!(self, pool => sqlx::query_as::<_, crate::jobs::Job>(CLAIM_MAP)
            .bind(at + LOCK_SECONDS).bind(at).bind(MAX_ATTEMPTS).bind(id)
            .fetch_optional(pool).await?),
        )
    }
}

impl Db {
    /// Records a failed map update and releases it for a retry soon (2, 4, 8 … up to 60 seconds after
    /// the attempt, unlike [`Db::fail_job`]'s minutes: the map is live). Meanwhile a new vote schedules a
    /// due update of its own rather than wait for this retry.
    pub async fn retry_forum_map_job(&self, job: &crate::jobs::Job, error: &str) -> DbResult<()> {
        let delay = (2_i64 << job.attempts.clamp(0, 5)).min(60);
        db_run!(self, pool => sqlx::query(
            "UPDATE jobs SET last_error = $1, locked_until = NULL, run_at = $2 WHERE id = $3")
            .bind(error).bind(now() + delay).bind(job.id).execute(pool).await?.rows_affected());
        Ok(())
    }
}
