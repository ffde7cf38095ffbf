//! The audit log: who did what to whom, for every administrative action.
use crate::{Db, DbResult, db_run, now};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct AuditEntry {
    pub id: i64,
    pub actor_id: Option<i64>,
    pub action: String,
    pub subject: String,
    pub detail: String,
    pub at: i64,
}

pub(crate) const INSERT_AUDIT: &str =
    "INSERT INTO audit_log (actor_id, action, subject, detail, at) VALUES ($1, $2, $3, $4, $5)";

impl Db {
    pub async fn audit(
        &self,
        actor_id: Option<i64>,
        action: &str,
        subject: &str,
        detail: &str,
    ) -> DbResult<()> {
        db_run!(self, pool => sqlx::query(INSERT_AUDIT)
            .bind(actor_id).bind(action).bind(subject).bind(detail).bind(now())
            .execute(pool).await?.rows_affected());
        Ok(())
    }

    pub async fn recent_audit(&self, limit: i64) -> DbResult<Vec<AuditEntry>> {
        Ok(db_run!(self, pool => sqlx::query_as::<_, AuditEntry>(
            "SELECT id, actor_id, action, subject, detail, at FROM audit_log ORDER BY id DESC LIMIT $1")
            .bind(limit).fetch_all(pool).await?))
    }
}
