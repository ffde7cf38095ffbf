//! The priority-setting forum's ballots: one per person, scope and year (a unique key, so a second ballot
//! is refused by the database even under concurrency), and the ranked result.
use maeul_domain::plan::{self, BallotItem, PlanRefusal};

use crate::{BeginWrite, Db, DbError, DbResult, db_run, now, refused};

impl Db {
    /// Records `user_id`'s approval ballot in the forum of `scope_id` for `year`. The ballot row and its
    /// approvals commit together.
    pub async fn cast_priority_ballot(
        &self,
        scope_id: i64,
        year: i64,
        user_id: i64,
        item_ids: &[i64],
    ) -> DbResult<i64> {
        let mut items = Vec::with_capacity(item_ids.len());
        for id in item_ids {
            let row = self
                .plan_item(*id)
                .await?
                .ok_or(refused(PlanRefusal::NotOnTheBallot))?;
            items.push(BallotItem {
                id: row.id,
                holder: row.scope_id,
                state: row.state,
            });
        }
        plan::check_ballot(scope_id, &items).map_err(refused)?;
        let at = now();
        db_run!(self, pool => {
            let mut tx = pool.begin_write().await?;
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
            for id in item_ids {
                sqlx::query("INSERT INTO plan_priority_approvals (ballot_id, item_id) VALUES ($1, $2)")
                    .bind(ballot).bind(id).execute(&mut *tx).await?;
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

    /// The ballots cast and `(item id, approvals)` of every item approved at least once in the forum.
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
                "SELECT a.item_id, COUNT(*) FROM plan_priority_approvals a
                 JOIN plan_priority_ballots b ON b.id = a.ballot_id
                 WHERE b.scope_id = $1 AND b.year = $2 GROUP BY a.item_id")
                .bind(scope_id).bind(year).fetch_all(pool).await?;
            (ballots, counts)
        }))
    }
}
