//! The priority-setting forum's ballots: one per person, scope and year (a unique key, so a second ballot
//! is refused by the database even under concurrency), each mark with its points (1 for an approval), the
//! vote's method (approval, or points to spread), and the ranked result (points summed).
//!
//! The vote's row is the forum's lock: casting a ballot and setting the method both begin by upserting it
//! (creating the default approval row if needed), so on PostgreSQL a ballot and a change of method wait for
//! each other, and a method is never changed under a ballot already cast (nor a ballot checked against a
//! method about to change).
use maeul_domain::plan::{self, BallotItem, PlanRefusal, PriorityMethod, PriorityVote};

use crate::{BeginWrite, Db, DbError, DbResult, db_run, now, refused};

/// Takes the vote's row (creating the default approval vote) and returns its method and points:
/// scope, year, at.
const LOCK_VOTE: &str = "INSERT INTO plan_priority_votes (scope_id, year, method, points, set_at)
     VALUES ($1, $2, 'approval', 0, $3)
     ON CONFLICT (scope_id, year) DO UPDATE SET set_at = plan_priority_votes.set_at
     RETURNING method, points";

fn decode_vote(method: String, points: i64) -> DbResult<PriorityVote> {
    Ok(PriorityVote {
        method: PriorityMethod::try_from(method)?,
        points: u32::try_from(points).map_err(|e| DbError::Corrupt(format!("vote points: {e}")))?,
    })
}

impl Db {
    /// How the forum of `scope_id` votes in `year` (an approval vote unless staff set points).
    pub async fn priority_vote(&self, scope_id: i64, year: i64) -> DbResult<PriorityVote> {
        let row: Option<(String, i64)> = db_run!(self, pool => sqlx::query_as(
            "SELECT method, points FROM plan_priority_votes WHERE scope_id = $1 AND year = $2")
            .bind(scope_id).bind(year).fetch_optional(pool).await?);
        match row {
            Some((method, points)) => decode_vote(method, points),
            None => Ok(PriorityVote::default()),
        }
    }

    /// Sets how the forum of `scope_id` votes in `year`: refused once a ballot is cast, or with points out
    /// of range (`check_vote_config`).
    pub async fn set_priority_vote(
        &self,
        scope_id: i64,
        year: i64,
        vote: &PriorityVote,
        by: Option<i64>,
    ) -> DbResult<()> {
        plan::check_vote_config(vote, 0).map_err(refused)?;
        let at = now();
        db_run!(self, pool => {
            let mut tx = pool.begin_write().await?;
            sqlx::query(LOCK_VOTE).bind(scope_id).bind(year).bind(at).execute(&mut *tx).await?;
            // Read after taking the row: a ballot committed meanwhile is seen.
            let ballots: i64 = sqlx::query_scalar(
                "SELECT COUNT(*) FROM plan_priority_ballots WHERE scope_id = $1 AND year = $2")
                .bind(scope_id).bind(year).fetch_one(&mut *tx).await?;
            plan::check_vote_config(vote, ballots).map_err(refused)?;
            sqlx::query(
                "UPDATE plan_priority_votes SET method = $1, points = $2, set_by = $3, set_at = $4
                 WHERE scope_id = $5 AND year = $6")
                .bind(vote.method.as_str()).bind(i64::from(vote.points)).bind(by).bind(at)
                .bind(scope_id).bind(year).execute(&mut *tx).await?;
            tx.commit().await?;
        });
        Ok(())
    }

    /// Records `user_id`'s ballot in the forum of `scope_id` for `year`: `(item, points)` marks, checked
    /// against the vote's method (`check_points_ballot`; an approval gives each item 1). The ballot row and
    /// its marks commit together.
    pub async fn cast_priority_ballot(
        &self,
        scope_id: i64,
        year: i64,
        user_id: i64,
        marks: &[(i64, u32)],
    ) -> DbResult<i64> {
        let mut items = Vec::with_capacity(marks.len());
        for (id, points) in marks {
            let row = self
                .plan_item(*id)
                .await?
                .ok_or(refused(PlanRefusal::NotOnTheBallot))?;
            let item = BallotItem {
                id: row.id,
                holder: row.scope_id,
                state: row.state,
            };
            items.push((item, *points));
        }
        let at = now();
        db_run!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let (method, points): (String, i64) = sqlx::query_as(LOCK_VOTE)
                .bind(scope_id).bind(year).bind(at).fetch_one(&mut *tx).await?;
            let vote = decode_vote(method, points)?;
            plan::check_points_ballot(scope_id, &vote, &items).map_err(refused)?;
            let inserted = sqlx::query_scalar::<_, i64>(
                "INSERT INTO plan_priority_ballots (scope_id, year, user_id, cast_at) VALUES ($1, $2, $3, $4) RETURNING id")
                .bind(scope_id).bind(year).bind(user_id).bind(at)
                .fetch_one(&mut *tx).await;
            let ballot = match inserted {
                Err(sqlx::Error::Database(d)) if d.is_unique_violation() => {
                    return Err(refused(PlanRefusal::AlreadyVoted));
                }
                other => other?,
            };
            for (id, points) in marks {
                sqlx::query("INSERT INTO plan_priority_approvals (ballot_id, item_id, points) VALUES ($1, $2, $3)")
                    .bind(ballot).bind(id).bind(i64::from(*points)).execute(&mut *tx).await?;
            }
            tx.commit().await?;
            Ok::<i64, DbError>(ballot)
        })
    }

    /// Whether `user_id` has cast a ballot in the forum.
    pub async fn has_priority_ballot(
        &self,
        scope_id: i64,
        year: i64,
        user_id: i64,
    ) -> DbResult<bool> {
        let found: Option<i64> = db_run!(self, pool => sqlx::query_scalar(
            "SELECT id FROM plan_priority_ballots WHERE scope_id = $1 AND year = $2 AND user_id = $3")
            .bind(scope_id).bind(year).bind(user_id).fetch_optional(pool).await?);
        Ok(found.is_some())
    }

    /// The ballots cast and `(item id, points)` of every item marked at least once in the forum: the
    /// points summed (an approval counts 1).
    pub async fn priority_tally(
        &self,
        scope_id: i64,
        year: i64,
    ) -> DbResult<(i64, Vec<(i64, i64)>)> {
        Ok(db_run!(self, pool => {
            let ballots: i64 = sqlx::query_scalar(
                "SELECT COUNT(*) FROM plan_priority_ballots WHERE scope_id = $1 AND year = $2")
                .bind(scope_id).bind(year).fetch_one(pool).await?;
            let counts: Vec<(i64, i64)> = sqlx::query_as(
                "SELECT a.item_id, CAST(SUM(a.points) AS BIGINT) FROM plan_priority_approvals a
                 JOIN plan_priority_ballots b ON b.id = a.ballot_id
                 WHERE b.scope_id = $1 AND b.year = $2 GROUP BY a.item_id")
                .bind(scope_id).bind(year).fetch_all(pool).await?;
            (ballots, counts)
        }))
    }
}
