//! Counts kept beside the rows they count (supports, comments, comment votes, motion votes) must always
//! equal those rows. [`Db::counter_drift`] lists every place where they do not; the standing probes call it
//! after their concurrent writes, and an operator can run it against a live database.
use crate::{Db, DbResult, db_run};

/// One stored count that disagrees with the rows it counts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CounterDrift {
    /// `table.column` of the stored count.
    pub counter: &'static str,
    /// The row holding it.
    pub id: i64,
    pub stored: i64,
    pub counted: i64,
}

/// Each check: the counter's name and a query returning `(id, stored, counted)` for rows that disagree.
const CHECKS: &[(&str, &str)] = &[
    (
        "proposals.support_count",
        "SELECT p.id, p.support_count, (SELECT COUNT(*) FROM proposal_supports s WHERE s.proposal_id = p.id)
         FROM proposals p
         WHERE p.support_count <> (SELECT COUNT(*) FROM proposal_supports s WHERE s.proposal_id = p.id)",
    ),
    (
        "proposals.comment_count",
        "SELECT p.id, p.comment_count, (SELECT COUNT(*) FROM comments c WHERE c.proposal_id = p.id)
         FROM proposals p
         WHERE p.comment_count <> (SELECT COUNT(*) FROM comments c WHERE c.proposal_id = p.id)",
    ),
    (
        "comments.up_votes",
        "SELECT c.id, c.up_votes,
                (SELECT COUNT(*) FROM comment_votes v WHERE v.comment_id = c.id AND v.value = 1)
         FROM comments c
         WHERE c.up_votes <> (SELECT COUNT(*) FROM comment_votes v WHERE v.comment_id = c.id AND v.value = 1)",
    ),
    (
        "comments.down_votes",
        "SELECT c.id, c.down_votes,
                (SELECT COUNT(*) FROM comment_votes v WHERE v.comment_id = c.id AND v.value = -1)
         FROM comments c
         WHERE c.down_votes <> (SELECT COUNT(*) FROM comment_votes v WHERE v.comment_id = c.id AND v.value = -1)",
    ),
    (
        // Secret motions keep no choice per vote, so the three counts are checked against the total.
        "motions.yes_count+no_count+abstain_count",
        "SELECT m.id, m.yes_count + m.no_count + m.abstain_count,
                (SELECT COUNT(*) FROM motion_votes v WHERE v.motion_id = m.id)
         FROM motions m
         WHERE m.yes_count + m.no_count + m.abstain_count
               <> (SELECT COUNT(*) FROM motion_votes v WHERE v.motion_id = m.id)",
    ),
    (
        "motions.yes_count",
        "SELECT m.id, m.yes_count,
                (SELECT COUNT(*) FROM motion_votes v WHERE v.motion_id = m.id AND v.choice = 'yes')
         FROM motions m
         WHERE m.secret = 0
           AND m.yes_count <> (SELECT COUNT(*) FROM motion_votes v WHERE v.motion_id = m.id AND v.choice = 'yes')",
    ),
];

impl Db {
    /// Every stored count that differs from the rows it counts (empty when the database is consistent).
    pub async fn counter_drift(&self) -> DbResult<Vec<CounterDrift>> {
        let mut drift = vec![];
        for &(counter, sql) in CHECKS {
            let rows: Vec<(i64, i64, i64)> =
                db_run!(self, pool => sqlx::query_as(sql).fetch_all(pool).await?);
            drift.extend(rows.into_iter().map(|(id, stored, counted)| CounterDrift {
                counter,
                id,
                stored,
                counted,
            }));
        }
        Ok(drift)
    }
}
