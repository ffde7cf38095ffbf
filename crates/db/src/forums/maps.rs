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
