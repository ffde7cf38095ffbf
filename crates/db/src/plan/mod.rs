//! The innovation plan's storage: agenda items and their referral path between levels (append-only), the
//! items' transitions, and yearly plans with sections, projects, budget lines, frozen revisions and the
//! consultation's comments. Every transition is compare-and-set with its record in one transaction, and
//! every move of an item (transition, referral, answer) records an `item-changed` event for its followers
//! in the same transaction; whoever acts on an item (and its proposer) follows it from then on.

/// Inside an open transaction `$tx`: `$actor` (if any) follows item `$item`, and the change is recorded as
/// an `item-changed` event (detail `item id:change`) for the item's followers.
macro_rules! record_item_change {
    ($tx:expr, $item:expr, $change:expr, $actor:expr, $at:expr) => {{
        let actor: Option<i64> = $actor;
        if let Some(actor) = actor {
            crate::follow_in_tx!($tx, actor, "plan_item", $item, $at);
        }
        crate::record_event!(
            $tx,
            maeul_domain::notify::EventKind::ItemChanged,
            None::<i64>,
            None::<i64>,
            actor,
            crate::plan::item_event_detail($item, $change),
            $at
        );
    }};
}

mod assembly;
mod groups;
mod items;
mod plans;
mod priority;
mod referrals;

pub use assembly::*;
pub use groups::*;
pub use items::*;
pub use plans::*;
pub use referrals::*;

use maeul_domain::plan::{ItemChange, MotionCheck};

/// The detail of an `item-changed` event: `item id:change`.
pub fn item_event_detail(item_id: i64, change: ItemChange) -> String {
    format!("{item_id}:{}", change.as_str())
}

use crate::{Db, DbError, DbResult, db_run};

impl Db {
    /// What the plan's rules need to know of a motion: carried or not, and whose committee decided it.
    pub async fn motion_check(&self, motion_id: i64) -> DbResult<MotionCheck> {
        let row: Option<(String, i64)> = db_run!(self, pool => sqlx::query_as(
            "SELECT mo.state, c.scope_id FROM motions mo JOIN committee_meetings me ON me.id = mo.meeting_id
             JOIN committees c ON c.id = me.committee_id WHERE mo.id = $1")
            .bind(motion_id).fetch_optional(pool).await?);
        let (state, committee_scope_id) = row.ok_or(DbError::NotFound)?;
        Ok(MotionCheck {
            carried: state == "carried",
            committee_scope_id,
        })
    }

    /// The carried motions of the committees of `scope_id`, newest first: what may adopt an item or
    /// resolve a plan there (id, title, committee name).
    pub async fn carried_motions_in(&self, scope_id: i64) -> DbResult<Vec<(i64, String, String)>> {
        Ok(db_run!(self, pool => sqlx::query_as(
            "SELECT mo.id, mo.title, c.name FROM motions mo JOIN committee_meetings me ON me.id = mo.meeting_id
             JOIN committees c ON c.id = me.committee_id
             WHERE c.scope_id = $1 AND mo.state = 'carried' ORDER BY mo.decided_at DESC, mo.id DESC")
            .bind(scope_id).fetch_all(pool).await?))
    }
}
