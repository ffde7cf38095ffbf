//! What staff define and record beyond a cycle's first forms (migration 0016): targets of an indicator's
//! later periods, the disaggregation of an actual, and a batch of updates imported from a CSV file, all or
//! nothing.
use maeul_domain::evaluation::{self, Dimension, Party, UpdateState, check_progress};

use super::{NewUpdate, from_milli, to_milli};
use crate::{BeginWrite, Db, DbError, DbResult, db_run, now, refused};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct DisaggregationRow {
    pub indicator_id: i64,
    pub year: i64,
    #[sqlx(try_from = "String")]
    pub dimension: Dimension,
    pub category: String,
    pub value_milli: i64,
}

impl DisaggregationRow {
    pub fn value(&self) -> f64 {
        from_milli(self.value_milli)
    }
}

impl Db {
    /// Sets the target of one period (year) of an indicator, adding the period when new: implementers,
    /// while the cycle's indicators are defined (the same rule as defining it).
    pub async fn set_period_target(
        &self,
        indicator_id: i64,
        year: i64,
        target: f64,
        party: Party,
    ) -> DbResult<()> {
        let indicator = self
            .indicator(indicator_id)
            .await?
            .ok_or(DbError::NotFound)?;
        let cycle = self
            .evaluation_cycle(indicator.cycle_id)
            .await?
            .ok_or(DbError::NotFound)?;
        evaluation::check_indicator_edit(cycle.state, party).map_err(refused)?;
        db_run!(self, pool => sqlx::query(
            "INSERT INTO evaluation_periods (indicator_id, year, target_milli) VALUES ($1, $2, $3)
             ON CONFLICT (indicator_id, year) DO UPDATE SET target_milli = excluded.target_milli")
            .bind(indicator_id).bind(year).bind(to_milli(target)).execute(pool).await?.rows_affected());
        Ok(())
    }

    /// Every period of an indicator: (year, target, actual), by year.
    pub async fn indicator_periods(
        &self,
        indicator_id: i64,
    ) -> DbResult<Vec<(i64, Option<f64>, Option<f64>)>> {
        let rows: Vec<(i64, Option<i64>, Option<i64>)> = db_run!(self, pool => sqlx::query_as(
            "SELECT year, target_milli, actual_milli FROM evaluation_periods WHERE indicator_id = $1 ORDER BY year")
            .bind(indicator_id).fetch_all(pool).await?);
        Ok(rows
            .into_iter()
            .map(|(y, t, a)| (y, t.map(from_milli), a.map(from_milli)))
            .collect())
    }

    /// Replaces the breakdown of an indicator's actual of its cycle's year along `dimension`: implementers,
    /// while measuring (the rule for actuals). One transaction.
    pub async fn set_disaggregation(
        &self,
        indicator_id: i64,
        dimension: Dimension,
        values: &[(String, f64)],
        party: Party,
    ) -> DbResult<()> {
        let indicator = self
            .indicator(indicator_id)
            .await?
            .ok_or(DbError::NotFound)?;
        let cycle = self
            .evaluation_cycle(indicator.cycle_id)
            .await?
            .ok_or(DbError::NotFound)?;
        evaluation::check_actual_entry(cycle.state, party).map_err(refused)?;
        db_run!(self, pool => {
            let mut tx = pool.begin_write().await?;
            sqlx::query("DELETE FROM evaluation_disaggregations WHERE indicator_id = $1 AND year = $2 AND dimension = $3")
                .bind(indicator_id).bind(cycle.year).bind(dimension.as_str()).execute(&mut *tx).await?;
            for (i, (category, value)) in values.iter().enumerate() {
                sqlx::query(
                    "INSERT INTO evaluation_disaggregations (indicator_id, year, dimension, category, value_milli, position)
                     VALUES ($1, $2, $3, $4, $5, $6)")
                    .bind(indicator_id).bind(cycle.year).bind(dimension.as_str()).bind(category)
                    .bind(to_milli(*value)).bind(i as i64).execute(&mut *tx).await?;
            }
            tx.commit().await?;
        });
        Ok(())
    }

    /// The breakdowns of a cycle's indicators, by indicator, dimension and the order they were entered.
    pub async fn cycle_disaggregations(&self, cycle_id: i64) -> DbResult<Vec<DisaggregationRow>> {
        Ok(
            db_run!(self, pool => sqlx::query_as::<_, DisaggregationRow>(
            "SELECT d.indicator_id, d.year, d.dimension, d.category, d.value_milli
             FROM evaluation_disaggregations d JOIN evaluation_indicators i ON i.id = d.indicator_id
             WHERE i.cycle_id = $1 ORDER BY d.indicator_id, d.dimension, d.position")
            .bind(cycle_id).fetch_all(pool).await?),
        )
    }

    /// Imports updates, each submitted for verification by its author, all in one transaction: when any
    /// row fails nothing is written. (The service has parsed and checked every row and the caller's right
    /// to report on each project.) Returns the updates' ids in order.
    pub async fn import_updates(&self, updates: &[NewUpdate<'_>]) -> DbResult<Vec<i64>> {
        for u in updates {
            check_progress(u.progress).map_err(refused)?;
        }
        let at = now();
        db_run!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let mut ids = Vec::with_capacity(updates.len());
            for u in updates {
                let id: i64 = sqlx::query_scalar(
                    "INSERT INTO tracked_updates (project_id, author_id, body, progress, spent, state, created_at)
                     VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id")
                    .bind(u.project_id).bind(u.author_id).bind(u.body).bind(u.progress).bind(u.spent)
                    .bind(UpdateState::Submitted.as_str()).bind(at).fetch_one(&mut *tx).await?;
                for (url, label) in u.evidence {
                    sqlx::query("INSERT INTO tracked_update_evidence (update_id, url, label) VALUES ($1, $2, $3)")
                        .bind(id).bind(url).bind(label).execute(&mut *tx).await?;
                }
                for (from, to) in [("", "draft"), ("draft", "submitted")] {
                    sqlx::query(
                        "INSERT INTO tracked_update_log (update_id, from_state, to_state, actor_id, at)
                         VALUES ($1, $2, $3, $4, $5)")
                        .bind(id).bind(from).bind(to).bind(u.author_id).bind(at).execute(&mut *tx).await?;
                }
                ids.push(id);
            }
            tx.commit().await?;
            Ok(ids)
        })
    }
}
