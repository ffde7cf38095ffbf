//! Money a level does not award: when a process is approved, its budget minus the funded projects' cost
//! is returned up to the parent envelope or carried over to the envelope's next cycle, as the envelope is
//! configured (`unawarded`), once per process (compare-and-set on `leftover_applied`), audited.
use maeul_domain::audit::AuditAction;

use crate::audit::{Subject, audit_query};
use crate::{BeginWrite, Db, DbError, DbResult, db_run, now};

/// What happens to money an envelope's processes do not award.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unawarded {
    /// Back to the parent envelope (the top level carries over: it has no parent).
    Return,
    CarryOver,
}

impl Unawarded {
    pub fn as_str(self) -> &'static str {
        match self {
            Unawarded::Return => "return",
            Unawarded::CarryOver => "carry_over",
        }
    }
    pub fn parse(s: &str) -> Option<Unawarded> {
        match s {
            "return" => Some(Unawarded::Return),
            "carry_over" => Some(Unawarded::CarryOver),
            _ => None,
        }
    }
}

impl Db {
    /// Sets what happens to an envelope's money not awarded, audited.
    pub async fn set_unawarded(
        &self,
        envelope_id: i64,
        mode: Unawarded,
        by: Option<i64>,
    ) -> DbResult<()> {
        let envelope = self.envelope(envelope_id).await?.ok_or(DbError::NotFound)?;
        let at = now();
        db_run!(self, pool => {
            let mut tx = pool.begin_write().await?;
            sqlx::query("UPDATE budget_envelopes SET unawarded = $1, updated_at = $2 WHERE id = $3")
                .bind(mode.as_str()).bind(at).bind(envelope_id).execute(&mut *tx).await?;
            audit_query!(by, AuditAction::BudgetLeftover, Subject::Scope(envelope.scope_id),
                &[("envelope", envelope_id.to_string()), ("unawarded", mode.as_str().to_owned())], at)
                .execute(&mut *tx).await?;
            tx.commit().await?;
            Ok(())
        })
    }

    /// Applies an approved process's leftover (its budget minus the result's total cost) once: returned
    /// up or carried over as its envelope says. Returns the amount moved (0 when already applied or when
    /// the process is not approved or has no result).
    pub async fn apply_leftover(&self, process_id: i64, by: Option<i64>) -> DbResult<i64> {
        let process = self.process(process_id).await?.ok_or(DbError::NotFound)?;
        let Some(result) = self.budget_result(process_id).await? else {
            return Ok(0);
        };
        let envelope = self
            .envelope(process.envelope_id)
            .await?
            .ok_or(DbError::NotFound)?;
        let leftover = (process.budget - result.total_cost).max(0);
        let mode = Unawarded::parse(&envelope.unawarded)
            .ok_or_else(|| DbError::Corrupt(format!("unawarded {:?}", envelope.unawarded)))?;
        let (target, column) = match (mode, envelope.parent_id) {
            (Unawarded::Return, Some(parent)) => (parent, "returned_in"),
            _ => (envelope.id, "carried_over"),
        };
        let at = now();
        let sql = format!(
            "UPDATE budget_envelopes SET {column} = {column} + $1, updated_at = $2 WHERE id = $3"
        );
        db_run!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let n = sqlx::query("UPDATE budget_processes SET leftover_applied = $1 WHERE id = $2 AND phase = 'approved' AND leftover_applied IS NULL")
                .bind(at).bind(process_id).execute(&mut *tx).await?.rows_affected();
            if n == 0 {
                return Ok(0);
            }
            sqlx::query(&sql).bind(leftover).bind(at).bind(target).execute(&mut *tx).await?;
            audit_query!(by, AuditAction::BudgetLeftover, Subject::Scope(process.scope_id),
                &[("process", process_id.to_string()), ("leftover", leftover.to_string()),
                  ("to", format!("{column}:{target}"))], at)
                .execute(&mut *tx).await?;
            tx.commit().await?;
            Ok(leftover)
        })
    }
}
