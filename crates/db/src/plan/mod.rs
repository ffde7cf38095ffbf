//! The innovation plan's storage: agenda items and their referral path between levels (append-only), the
//! items' transitions, and yearly plans with sections, projects, budget lines, frozen revisions and the
//! consultation's comments. Every transition is compare-and-set with its record in one transaction.
mod assembly;
mod items;
mod plans;
mod priority;
mod referrals;

pub use assembly::*;
pub use items::*;
pub use plans::*;
pub use referrals::*;

use maeul_domain::plan::MotionCheck;

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
