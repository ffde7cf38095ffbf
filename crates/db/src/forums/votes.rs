//! Votes: every vote is an event; the current vote per participant and statement is the latest event's
//! (the largest event id: an upsert that only replaces an older event, so concurrent revotes end with the
//! latest whatever order their transactions commit in). A vote schedules the map update in the same
//! transaction.
use maeul_domain::forum::{ForumRefusal, VoteValue};

use crate::{BeginWrite, Db, DbResult, db_run, now, refused};

/// The event `$5` becomes the current vote of participant `$3` on statement `$2` unless a later event
/// already is.
const UPSERT_CURRENT: &str =
    "INSERT INTO forum_votes (conversation_id, statement_id, pseudonym, vote, event_id, voted_at)
     VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (statement_id, pseudonym) DO UPDATE
       SET vote = excluded.vote, event_id = excluded.event_id, voted_at = excluded.voted_at
       WHERE excluded.event_id > forum_votes.event_id";

/// A vote to record ([`Db::cast_forum_votes`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NewVote {
    pub conversation_id: i64,
    pub statement_id: i64,
    pub pseudonym: i64,
    pub vote: VoteValue,
}

/// One current vote, as the engine and the export read it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, sqlx::FromRow)]
pub struct CurrentVote {
    pub statement_id: i64,
    pub pseudonym: i64,
    /// Pol.is sign: 1 agree, -1 disagree, 0 pass.
    pub vote: i64,
    /// When the vote (its latest event) was cast, unix seconds.
    pub voted_at: i64,
    pub event_id: i64,
}

/// Schedules the map update of conversation `$conversation` inside the open transaction `$tx` of `$db`,
/// unless an update not yet claimed by a worker is waiting and due (it will read this change): one read
/// and no write for all but the first vote of a burst. On PostgreSQL the waiting job is locked
/// `FOR SHARE`, so a worker cannot claim it (and read the votes) before this transaction commits; a job
/// already claimed does not count, so a change during an update schedules the next one; nor does a
/// failed update waiting for its retry (`Db::fail_job` puts it off by a minute or more), so a failure
/// never holds the map back.
#[macro_export]
#[doc(hidden)]
macro_rules! schedule_forum_map {
    ($db:expr, $tx:expr, $conversation:expr, $at:expr) => {{
        let detail = ($conversation).to_string();
        let sql = format!(
            "SELECT id FROM jobs WHERE kind = '{}' AND detail = $1 AND done_at IS NULL
             AND locked_until IS NULL AND run_at <= $2 LIMIT 1{}",
            $crate::forums::KIND_FORUM_MAP,
            $db.for_share()
        );
        let waiting: Option<i64> = sqlx::query_scalar(&sql)
            .bind(&detail)
            .bind($at)
            .fetch_optional(&mut *$tx)
            .await?;
        if waiting.is_none() {
            sqlx::query(
                "INSERT INTO jobs (kind, detail, run_at, created_at) VALUES ($1, $2, $3, $3)",
            )
            .bind($crate::forums::KIND_FORUM_MAP)
            .bind(&detail)
            .bind($at)
            .execute(&mut *$tx)
            .await?;
        }
    }};
}

impl Db {
    /// ` FOR SHARE` on PostgreSQL; nothing on SQLite, whose writers are serialized anyway.
    pub(crate) fn for_share(&self) -> &'static str {
        match self {
            Db::Sqlite(_) => "",
            Db::Postgres(_) => " FOR SHARE",
        }
    }

    /// Records a vote by participant `pseudonym` on a statement: refused (nothing written) unless the
    /// conversation is open and the statement accepted, both checked inside the transaction.
    pub async fn cast_forum_vote(
        &self,
        conversation_id: i64,
        statement_id: i64,
        pseudonym: i64,
        vote: VoteValue,
    ) -> DbResult<i64> {
        let cast = self
            .cast_forum_votes(&[NewVote {
                conversation_id,
                statement_id,
                pseudonym,
                vote,
            }])
            .await?;
        cast.into_iter()
            .next()
            .flatten()
            .ok_or_else(|| refused(ForumRefusal::StatementNotVotable))
    }

    /// Records several votes in one transaction (group commit: the web layer gathers the votes that
    /// arrive while the previous batch is written). Each vote is an event and becomes the current vote
    /// unless a later event already is; each is refused on its own (`None`, nothing written for it)
    /// unless its conversation is open and its statement accepted. One map update is scheduled per
    /// conversation that received a vote. The event ids, in the order of `votes`.
    pub async fn cast_forum_votes(&self, votes: &[NewVote]) -> DbResult<Vec<Option<i64>>> {
        let at = now();
        db_run!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let mut events = Vec::with_capacity(votes.len());
            for v in votes {
                let sign = v.vote.export_sign();
                let event = sqlx::query_scalar::<_, i64>(
                    "INSERT INTO forum_vote_events (conversation_id, statement_id, pseudonym, vote, created_at)
                     SELECT $1, $2, $3, $4, $5 WHERE EXISTS
                       (SELECT 1 FROM forum_statements s JOIN forum_conversations c ON c.id = s.conversation_id
                        WHERE s.id = $2 AND c.id = $1 AND s.state = 'accepted' AND c.state = 'open')
                     RETURNING id")
                    .bind(v.conversation_id).bind(v.statement_id).bind(v.pseudonym).bind(sign).bind(at)
                    .fetch_optional(&mut *tx).await?;
                if let Some(event) = event {
                    sqlx::query(UPSERT_CURRENT)
                        .bind(v.conversation_id).bind(v.statement_id).bind(v.pseudonym).bind(sign)
                        .bind(event).bind(at)
                        .execute(&mut *tx).await?;
                }
                events.push(event);
            }
            let mut voted: Vec<i64> = votes.iter().zip(&events)
                .filter(|(_, e)| e.is_some()).map(|(v, _)| v.conversation_id).collect();
            voted.sort_unstable();
            voted.dedup();
            for conversation in voted {
                crate::schedule_forum_map!(self, tx, conversation, at);
            }
            tx.commit().await?;
            Ok(events)
        })
    }

    /// The current votes of a conversation on statements that are not hidden, in event order.
    pub async fn forum_current_votes(&self, conversation_id: i64) -> DbResult<Vec<CurrentVote>> {
        Ok(db_run!(self, pool => sqlx::query_as::<_, CurrentVote>(
            "SELECT v.statement_id, v.pseudonym, v.vote, v.voted_at, v.event_id FROM forum_votes v
             JOIN forum_statements s ON s.id = v.statement_id
             WHERE v.conversation_id = $1 AND s.state = 'accepted' ORDER BY v.event_id")
            .bind(conversation_id).fetch_all(pool).await?))
    }

    /// Every vote event of a conversation, in order: (event id, statement, pseudonym, sign, at).
    pub async fn forum_vote_events(
        &self,
        conversation_id: i64,
    ) -> DbResult<Vec<(i64, i64, i64, i64, i64)>> {
        Ok(
            db_run!(self, pool => sqlx::query_as::<_, (i64, i64, i64, i64, i64)>(
            "SELECT id, statement_id, pseudonym, vote, created_at FROM forum_vote_events
             WHERE conversation_id = $1 ORDER BY id")
            .bind(conversation_id).fetch_all(pool).await?),
        )
    }

    /// A participant's current votes in a conversation: (statement, sign).
    pub async fn forum_votes_of(
        &self,
        conversation_id: i64,
        pseudonym: i64,
    ) -> DbResult<Vec<(i64, i64)>> {
        Ok(db_run!(self, pool => sqlx::query_as::<_, (i64, i64)>(
            "SELECT statement_id, vote FROM forum_votes WHERE conversation_id = $1 AND pseudonym = $2
             ORDER BY statement_id")
            .bind(conversation_id).bind(pseudonym).fetch_all(pool).await?))
    }

    /// The latest vote event of a conversation (0 when none).
    pub async fn forum_last_event(&self, conversation_id: i64) -> DbResult<i64> {
        Ok(db_run!(self, pool => sqlx::query_scalar::<_, i64>(
            "SELECT CAST(COALESCE(MAX(id), 0) AS BIGINT) FROM forum_vote_events WHERE conversation_id = $1")
            .bind(conversation_id).fetch_one(pool).await?))
    }

    /// How many vote events a conversation received, and from how many participants.
    pub async fn forum_participation(&self, conversation_id: i64) -> DbResult<(i64, i64)> {
        Ok(db_run!(self, pool => sqlx::query_as::<_, (i64, i64)>(
            "SELECT CAST(COUNT(*) AS BIGINT), CAST(COUNT(DISTINCT pseudonym) AS BIGINT)
             FROM forum_vote_events WHERE conversation_id = $1")
            .bind(conversation_id).fetch_one(pool).await?))
    }
}

impl Db {
    /// Reserves `n` pseudonyms of a conversation for participants without an account (imported or
    /// simulated votes); the first of them.
    pub async fn reserve_forum_pseudonyms(&self, conversation_id: i64, n: i64) -> DbResult<i64> {
        Ok(db_run!(self, pool => sqlx::query_scalar::<_, i64>(
            "UPDATE forum_conversations SET next_pseudonym = next_pseudonym + $1 WHERE id = $2
             RETURNING next_pseudonym - $1")
            .bind(n).bind(conversation_id).fetch_one(pool).await?))
    }

    /// Imports votes `(statement, pseudonym, vote)` in one transaction (the demo's simulated participants),
    /// each an event and the current vote, and schedules the map update.
    pub async fn import_forum_votes(
        &self,
        conversation_id: i64,
        votes: &[(i64, i64, VoteValue)],
    ) -> DbResult<()> {
        let at = now();
        db_run!(self, pool => {
            let mut tx = pool.begin_write().await?;
            for &(statement, pseudonym, vote) in votes {
                let event = sqlx::query_scalar::<_, i64>(
                    "INSERT INTO forum_vote_events (conversation_id, statement_id, pseudonym, vote, created_at)
                     VALUES ($1, $2, $3, $4, $5) RETURNING id")
                    .bind(conversation_id).bind(statement).bind(pseudonym).bind(vote.export_sign()).bind(at)
                    .fetch_one(&mut *tx).await?;
                sqlx::query(
                    UPSERT_CURRENT)
                    .bind(conversation_id).bind(statement).bind(pseudonym).bind(vote.export_sign())
                    .bind(event).bind(at)
                    .execute(&mut *tx).await?;
            }
            crate::schedule_forum_map!(self, tx, conversation_id, at);
            tx.commit().await?;
        });
        Ok(())
    }
}
