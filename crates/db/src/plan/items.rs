//! Agenda items: creation (by a person or promoted from a proposal), lists, and their transitions.
use maeul_domain::Refusal;
use maeul_domain::plan::{
    self, ItemChange, ItemEvent, ItemPosition, ItemState, PlanRefusal, ProposerKind,
};

use crate::{BeginWrite, Db, DbError, DbResult, db_run, now, refused};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ItemRow {
    pub id: i64,
    /// The scope that holds the item now.
    pub scope_id: i64,
    pub origin_scope_id: i64,
    pub title: String,
    pub body: String,
    #[sqlx(try_from = "String")]
    pub state: ItemState,
    #[sqlx(try_from = "String")]
    pub proposer_kind: ProposerKind,
    pub proposed_by: Option<i64>,
    pub proposal_id: Option<i64>,
    pub merged_into: Option<i64>,
    pub adopted_motion_id: Option<i64>,
    pub state_reason: String,
    pub created_at: i64,
    pub updated_at: i64,
    /// 1 when a referral waits for its receiver's answer.
    pub referral_pending: i64,
}

impl ItemRow {
    pub fn position(&self) -> ItemPosition {
        ItemPosition {
            state: self.state,
            holder: self.scope_id,
            referral_pending: self.referral_pending != 0,
        }
    }
}

/// One recorded transition: who, when, why.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ItemTransitionRow {
    pub id: i64,
    pub from_state: Option<String>,
    #[sqlx(try_from = "String")]
    pub to_state: ItemState,
    pub scope_id: i64,
    pub actor_id: Option<i64>,
    pub actor_name: Option<String>,
    pub reason: String,
    pub motion_id: Option<i64>,
    pub at: i64,
}

pub struct NewItem<'a> {
    pub scope_id: i64,
    pub title: &'a str,
    pub body: &'a str,
    pub proposer_kind: ProposerKind,
    pub proposed_by: Option<i64>,
    /// The public-sphere proposal this item was promoted from (one item per proposal).
    pub proposal_id: Option<i64>,
}

/// What the holding level does to an item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ItemAction {
    Accept,
    Decline {
        reason: String,
    },
    Merge {
        into: i64,
    },
    Deliberate,
    Prioritise,
    /// Adopted by this motion (carried, of the holder's committee: checked here).
    Adopt {
        motion_id: i64,
    },
    Reject {
        reason: String,
    },
}

const SELECT_ITEM: &str = "SELECT i.id, i.scope_id, i.origin_scope_id, i.title, i.body, i.state, i.proposer_kind,
        i.proposed_by, i.proposal_id, i.merged_into, i.adopted_motion_id, i.state_reason, i.created_at, i.updated_at,
        CAST(CASE WHEN EXISTS (SELECT 1 FROM plan_item_referrals r WHERE r.item_id = i.id AND r.outcome = 'pending')
             THEN 1 ELSE 0 END AS BIGINT) AS referral_pending
        FROM plan_items i";

impl Db {
    /// Records a new item, proposed at `scope_id` (its origin and first holder), with its first transition.
    pub async fn create_plan_item(&self, new: &NewItem<'_>) -> DbResult<i64> {
        let at = now();
        db_run!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let inserted = sqlx::query_scalar::<_, i64>(
                "INSERT INTO plan_items (scope_id, origin_scope_id, title, body, state, proposer_kind, proposed_by,
                    proposal_id, created_at, updated_at)
                 VALUES ($1, $1, $2, $3, 'proposed', $4, $5, $6, $7, $7) RETURNING id")
                .bind(new.scope_id).bind(new.title).bind(new.body).bind(new.proposer_kind.as_str())
                .bind(new.proposed_by).bind(new.proposal_id).bind(at)
                .fetch_one(&mut *tx).await;
            let id = match inserted {
                Err(sqlx::Error::Database(d)) if d.is_unique_violation() => {
                    return Err(DbError::Refused(Refusal::AlreadyExists));
                }
                other => other?,
            };
            sqlx::query(
                "INSERT INTO plan_item_transitions (item_id, from_state, to_state, scope_id, actor_id, at)
                 VALUES ($1, NULL, 'proposed', $2, $3, $4)")
                .bind(id).bind(new.scope_id).bind(new.proposed_by).bind(at)
                .execute(&mut *tx).await?;
            // The proposer follows the item from the start.
            if let Some(proposer) = new.proposed_by {
                crate::follow_in_tx!(tx, proposer, "plan_item", id, at);
            }
            tx.commit().await?;
            Ok(id)
        })
    }

    pub async fn plan_item(&self, id: i64) -> DbResult<Option<ItemRow>> {
        let sql = format!("{SELECT_ITEM} WHERE i.id = $1");
        Ok(
            db_run!(self, pool => sqlx::query_as::<_, ItemRow>(&sql).bind(id).fetch_optional(pool).await?),
        )
    }

    /// The item promoted from a proposal, if any (the link from the proposal's side).
    pub async fn plan_item_for_proposal(&self, proposal_id: i64) -> DbResult<Option<ItemRow>> {
        let sql = format!("{SELECT_ITEM} WHERE i.proposal_id = $1");
        Ok(
            db_run!(self, pool => sqlx::query_as::<_, ItemRow>(&sql).bind(proposal_id).fetch_optional(pool).await?),
        )
    }

    /// Items held by, found in, or referred to or from `scope_id`, oldest first.
    pub async fn plan_items_touching(&self, scope_id: i64) -> DbResult<Vec<ItemRow>> {
        let sql = format!(
            "{SELECT_ITEM} WHERE i.scope_id = $1 OR i.origin_scope_id = $1 OR i.id IN
               (SELECT item_id FROM plan_item_referrals WHERE from_scope_id = $1 OR to_scope_id = $1)
             ORDER BY i.id"
        );
        Ok(
            db_run!(self, pool => sqlx::query_as::<_, ItemRow>(&sql).bind(scope_id).fetch_all(pool).await?),
        )
    }

    /// The transitions of an item, oldest first, with the actor's name.
    pub async fn plan_item_transitions(&self, item_id: i64) -> DbResult<Vec<ItemTransitionRow>> {
        Ok(
            db_run!(self, pool => sqlx::query_as::<_, ItemTransitionRow>(
            "SELECT t.id, t.from_state, t.to_state, t.scope_id, t.actor_id, u.display_name AS actor_name, t.reason,
                    t.motion_id, t.at
             FROM plan_item_transitions t LEFT JOIN users u ON u.id = t.actor_id
             WHERE t.item_id = $1 ORDER BY t.id")
            .bind(item_id).fetch_all(pool).await?),
        )
    }

    /// Applies `action` to an item, acted by the level `acting_scope_id` on behalf of `actor`. The rules
    /// (holder, pending referral, state, reason, motion) are checked; the state change (compare-and-set on
    /// the state and the holder) and its transition row commit together.
    pub async fn transition_plan_item(
        &self,
        item_id: i64,
        acting_scope_id: i64,
        actor: Option<i64>,
        action: &ItemAction,
    ) -> DbResult<ItemState> {
        let item = self.plan_item(item_id).await?.ok_or(DbError::NotFound)?;
        let (event, motion_id, merged_into, reason) = match action {
            ItemAction::Accept => (ItemEvent::Accept, None, None, String::new()),
            ItemAction::Deliberate => (ItemEvent::Deliberate, None, None, String::new()),
            ItemAction::Prioritise => (ItemEvent::Prioritise, None, None, String::new()),
            ItemAction::Decline { reason } => (
                ItemEvent::Decline {
                    reason: reason.clone(),
                },
                None,
                None,
                reason.trim().to_owned(),
            ),
            ItemAction::Reject { reason } => (
                ItemEvent::Reject {
                    reason: reason.clone(),
                },
                None,
                None,
                reason.trim().to_owned(),
            ),
            ItemAction::Merge { into } => {
                let target = self.plan_item(*into).await?;
                if *into != item_id
                    && !target.is_some_and(|t| t.state.is_open() && t.scope_id == item.scope_id)
                {
                    return Err(refused(PlanRefusal::BadMergeTarget));
                }
                (
                    ItemEvent::Merge {
                        into: *into,
                        item: item_id,
                    },
                    None,
                    Some(*into),
                    String::new(),
                )
            }
            ItemAction::Adopt { motion_id } => {
                let motion = match self.motion_check(*motion_id).await {
                    Err(DbError::NotFound) => return Err(refused(PlanRefusal::MotionNotCarried)),
                    other => other?,
                };
                (
                    ItemEvent::Adopt { motion },
                    Some(*motion_id),
                    None,
                    String::new(),
                )
            }
        };
        let to = plan::apply_item(&item.position(), acting_scope_id, &event).map_err(refused)?;
        let at = now();
        db_run!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let n = sqlx::query(
                "UPDATE plan_items SET state = $1, updated_at = $2, state_reason = $3,
                    merged_into = COALESCE($4, merged_into), adopted_motion_id = COALESCE($5, adopted_motion_id)
                 WHERE id = $6 AND state = $7 AND scope_id = $8
                   AND NOT EXISTS (SELECT 1 FROM plan_item_referrals r WHERE r.item_id = $6 AND r.outcome = 'pending')")
                .bind(to.as_str()).bind(at).bind(&reason).bind(merged_into).bind(motion_id)
                .bind(item_id).bind(item.state.as_str()).bind(item.scope_id)
                .execute(&mut *tx).await?.rows_affected();
            if n == 0 {
                return Err(DbError::Refused(Refusal::Stale));
            }
            sqlx::query(
                "INSERT INTO plan_item_transitions (item_id, from_state, to_state, scope_id, actor_id, reason, motion_id, at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8)")
                .bind(item_id).bind(item.state.as_str()).bind(to.as_str()).bind(acting_scope_id).bind(actor)
                .bind(&reason).bind(motion_id).bind(at)
                .execute(&mut *tx).await?;
            if let Some(change) = ItemChange::of_state(to) {
                record_item_change!(tx, item_id, change, actor, at);
            }
            tx.commit().await?;
        });
        Ok(to)
    }
}
