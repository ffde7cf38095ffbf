//! The referral path of an item between levels: appended, answered once, never deleted (a trigger
//! refuses deletion on both backends).
use maeul_domain::plan::{
    self, Direction, ItemChange, PlanRefusal, ReferralAnswer, ReferralOutcome,
};
use maeul_domain::{Refusal, ScopeRef};

use crate::{BeginWrite, Db, DbError, DbResult, db_run, now, refused};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ReferralRow {
    pub id: i64,
    pub item_id: i64,
    pub item_title: String,
    pub from_scope_id: i64,
    pub to_scope_id: i64,
    #[sqlx(try_from = "String")]
    pub direction: Direction,
    pub reason: String,
    #[sqlx(try_from = "String")]
    pub outcome: ReferralOutcome,
    pub answer_reason: String,
    pub referred_by: Option<i64>,
    pub referred_by_name: Option<String>,
    pub referred_at: i64,
    pub answered_by: Option<i64>,
    pub answered_at: Option<i64>,
}

const SELECT_REFERRAL: &str = "SELECT r.id, r.item_id, i.title AS item_title, r.from_scope_id, r.to_scope_id,
        r.direction, r.reason, r.outcome, r.answer_reason, r.referred_by, u.display_name AS referred_by_name,
        r.referred_at, r.answered_by, r.answered_at
        FROM plan_item_referrals r JOIN plan_items i ON i.id = r.item_id LEFT JOIN users u ON u.id = r.referred_by";

impl Db {
    /// Refers an item from the level `from` (which must hold it) to `to` (its parent or a child), with a
    /// reason. The referral waits for the receiver's answer; meanwhile nobody acts on the item.
    pub async fn refer_plan_item(
        &self,
        item_id: i64,
        from: &ScopeRef,
        to: &ScopeRef,
        reason: &str,
        by: Option<i64>,
    ) -> DbResult<Direction> {
        let item = self.plan_item(item_id).await?.ok_or(DbError::NotFound)?;
        let direction = plan::refer(&item.position(), from, to, reason).map_err(refused)?;
        let at = now();
        db_run!(self, pool => {
            let mut tx = pool.begin_write().await?;
            // Compare-and-set: still held by `from`, in the same state.
            let n = sqlx::query("UPDATE plan_items SET updated_at = $1 WHERE id = $2 AND scope_id = $3 AND state = $4")
                .bind(at).bind(item_id).bind(from.id).bind(item.state.as_str())
                .execute(&mut *tx).await?.rows_affected();
            if n == 0 {
                return Err(DbError::Refused(Refusal::Stale));
            }
            let inserted = sqlx::query(
                "INSERT INTO plan_item_referrals (item_id, from_scope_id, to_scope_id, direction, reason, outcome,
                    referred_by, referred_at)
                 VALUES ($1, $2, $3, $4, $5, 'pending', $6, $7)")
                .bind(item_id).bind(from.id).bind(to.id).bind(direction.as_str()).bind(reason.trim())
                .bind(by).bind(at)
                .execute(&mut *tx).await;
            match inserted {
                // The partial unique index: another referral is already waiting.
                Err(sqlx::Error::Database(d)) if d.is_unique_violation() => {
                    return Err(refused(PlanRefusal::ReferralPending));
                }
                other => { other?; }
            }
            record_item_change!(tx, item_id, ItemChange::of_referral(direction), by, at);
            tx.commit().await?;
        });
        Ok(direction)
    }

    /// The receiver `acting_scope_id` answers the pending referral of an item: accepted (it now holds the
    /// item) or returned with a reason (the sender holds it again). Returns the outcome and the holder.
    pub async fn answer_plan_referral(
        &self,
        item_id: i64,
        acting_scope_id: i64,
        answer: &ReferralAnswer,
        by: Option<i64>,
    ) -> DbResult<(ReferralOutcome, i64)> {
        let pending = self
            .plan_referrals(item_id)
            .await?
            .into_iter()
            .rfind(|r| r.outcome == ReferralOutcome::Pending)
            .ok_or(refused(PlanRefusal::NoPendingReferral))?;
        let (outcome, holder) = plan::answer_referral(
            pending.outcome,
            pending.from_scope_id,
            pending.to_scope_id,
            acting_scope_id,
            answer,
        )
        .map_err(refused)?;
        let answer_reason = match answer {
            ReferralAnswer::Return { reason } => reason.trim().to_owned(),
            ReferralAnswer::Accept => String::new(),
        };
        let at = now();
        db_run!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let n = sqlx::query(
                "UPDATE plan_item_referrals SET outcome = $1, answer_reason = $2, answered_by = $3, answered_at = $4
                 WHERE id = $5 AND outcome = 'pending'")
                .bind(outcome.as_str()).bind(&answer_reason).bind(by).bind(at).bind(pending.id)
                .execute(&mut *tx).await?.rows_affected();
            if n == 0 {
                return Err(DbError::Refused(Refusal::Stale));
            }
            sqlx::query("UPDATE plan_items SET scope_id = $1, updated_at = $2 WHERE id = $3")
                .bind(holder).bind(at).bind(item_id)
                .execute(&mut *tx).await?;
            if let Some(change) = ItemChange::of_answer(outcome) {
                record_item_change!(tx, item_id, change, by, at);
            }
            tx.commit().await?;
        });
        Ok((outcome, holder))
    }

    /// The whole referral path of an item, in order.
    pub async fn plan_referrals(&self, item_id: i64) -> DbResult<Vec<ReferralRow>> {
        let sql = format!("{SELECT_REFERRAL} WHERE r.item_id = $1 ORDER BY r.id");
        Ok(
            db_run!(self, pool => sqlx::query_as::<_, ReferralRow>(&sql).bind(item_id).fetch_all(pool).await?),
        )
    }

    /// The referrals of many items at once (for lists and the API), in order.
    pub async fn plan_referrals_of_items(&self, item_ids: &[i64]) -> DbResult<Vec<ReferralRow>> {
        let mut all = Vec::new();
        // Lists are short (a scope's items); one query per item keeps the SQL portable.
        for id in item_ids {
            all.extend(self.plan_referrals(*id).await?);
        }
        Ok(all)
    }

    /// Referrals to `scope_id` and from it, newest first: the scope page's section.
    pub async fn plan_referrals_touching(&self, scope_id: i64) -> DbResult<Vec<ReferralRow>> {
        let sql = format!(
            "{SELECT_REFERRAL} WHERE r.to_scope_id = $1 OR r.from_scope_id = $1 ORDER BY r.id DESC"
        );
        Ok(
            db_run!(self, pool => sqlx::query_as::<_, ReferralRow>(&sql).bind(scope_id).fetch_all(pool).await?),
        )
    }
}
