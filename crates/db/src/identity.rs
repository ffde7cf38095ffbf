//! One person, one identity: a resident-register identity verifies one account at a time. The database
//! enforces it (a unique index on verified residencies' identity hashes, both backends); a second claim
//! stays pending and is recorded here as a conflict for the officials of its neighbourhood, who either
//! move the verification to the claimant or keep it where it is — each audited.
use maeul_domain::ResidencyStatus;
use maeul_domain::account::AccountRefusal;
use maeul_domain::audit::AuditAction;

use crate::audit::{Subject, audit_query};
use crate::{BeginWrite, Db, DbError, DbResult, db_run, now, refused};

/// A database's way of serialising writers of one identity inside a transaction.
pub trait IdentityLock: sqlx::Database {
    /// A statement taking a transaction-long lock on one identity hash (`$1`), if the backend needs one.
    const IDENTITY: Option<&'static str>;
    /// A statement locking residencies against concurrent writers for a bulk change, if needed.
    const RESIDENCIES: Option<&'static str>;
}

impl IdentityLock for sqlx::Sqlite {
    // `BEGIN IMMEDIATE` already makes writers take turns.
    const IDENTITY: Option<&'static str> = None;
    const RESIDENCIES: Option<&'static str> = None;
}

impl IdentityLock for sqlx::Postgres {
    const IDENTITY: Option<&'static str> = Some("SELECT pg_advisory_xact_lock(hashtext($1))");
    const RESIDENCIES: Option<&'static str> =
        Some("LOCK TABLE residencies IN SHARE ROW EXCLUSIVE MODE");
}

pub(crate) fn identity_lock<DB: IdentityLock>(_: &crate::WriteTx<DB>) -> Option<&'static str> {
    DB::IDENTITY
}

pub(crate) fn residencies_lock<DB: IdentityLock>(_: &crate::WriteTx<DB>) -> Option<&'static str> {
    DB::RESIDENCIES
}

/// Maps the unique index of verified identities to the typed refusal.
pub(crate) fn identity_taken(e: sqlx::Error) -> DbError {
    match &e {
        sqlx::Error::Database(d) if d.is_unique_violation() => {
            refused(AccountRefusal::IdentityClaimed)
        }
        _ => DbError::from(e),
    }
}

/// An open conflict: the account the identity verifies and the account that claimed it too.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct IdentityConflict {
    pub id: i64,
    pub holder_id: i64,
    pub holder_email: String,
    pub holder_name: String,
    pub claimant_id: i64,
    pub claimant_email: String,
    pub claimant_name: String,
    pub scope_id: i64,
    pub created_at: i64,
}

/// What an official decides about a conflict.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Resolution {
    /// The claimant is the person: the verification moves to the claimant's account.
    Move,
    /// The holder is the person: the claim is rejected.
    Keep,
}

const SELECT_CONFLICT: &str = "SELECT c.id, c.holder_id, h.email AS holder_email, h.display_name AS holder_name,
        c.claimant_id, k.email AS claimant_email, k.display_name AS claimant_name, c.scope_id, c.created_at
   FROM identity_conflicts c JOIN users h ON h.id = c.holder_id JOIN users k ON k.id = c.claimant_id
   JOIN scopes s ON s.id = c.scope_id";

impl Db {
    /// Open conflicts in neighbourhoods whose code starts with `code_prefix`, oldest first.
    pub async fn open_identity_conflicts(
        &self,
        code_prefix: &str,
    ) -> DbResult<Vec<IdentityConflict>> {
        let sql = format!(
            "{SELECT_CONFLICT} WHERE c.resolved_at IS NULL AND s.code LIKE $1 ORDER BY c.created_at, c.id LIMIT 500"
        );
        let pattern = format!("{code_prefix}%");
        Ok(
            db_run!(self, pool => sqlx::query_as::<_, IdentityConflict>(&sql).bind(&pattern).fetch_all(pool).await?),
        )
    }

    /// One open conflict.
    pub async fn open_identity_conflict(&self, id: i64) -> DbResult<Option<IdentityConflict>> {
        let sql = format!("{SELECT_CONFLICT} WHERE c.resolved_at IS NULL AND c.id = $1");
        Ok(
            db_run!(self, pool => sqlx::query_as::<_, IdentityConflict>(&sql).bind(id).fetch_optional(pool).await?),
        )
    }

    /// The open conflict a person's claim raised, if any.
    pub async fn open_identity_conflict_of(
        &self,
        claimant_id: i64,
    ) -> DbResult<Option<IdentityConflict>> {
        let sql = format!("{SELECT_CONFLICT} WHERE c.resolved_at IS NULL AND c.claimant_id = $1");
        Ok(
            db_run!(self, pool => sqlx::query_as::<_, IdentityConflict>(&sql).bind(claimant_id).fetch_optional(pool).await?),
        )
    }

    /// Resolves a conflict. Moving revokes the holder's verification and verifies the claimant (other open
    /// claims on the identity now name the claimant as holder); keeping rejects the claim. Both are
    /// audited, in the same transaction. A conflict already resolved, or whose residences changed
    /// meanwhile, is [`maeul_domain::Refusal::Stale`].
    pub async fn resolve_identity_conflict(
        &self,
        id: i64,
        resolution: Resolution,
        by: i64,
    ) -> DbResult<()> {
        let at = now();
        let stale = || DbError::Refused(maeul_domain::Refusal::Stale);
        db_run!(self, pool => {
            let mut tx = pool.begin_write().await?;
            if let Some(sql) = residencies_lock(&tx) {
                sqlx::query(sql).execute(&mut *tx).await?;
            }
            let row: Option<(String, i64, i64)> = sqlx::query_as(
                "UPDATE identity_conflicts SET resolved_at = $1, resolved_by = $2, resolution = $3
                 WHERE id = $4 AND resolved_at IS NULL RETURNING identity_hash, holder_id, claimant_id")
                .bind(at).bind(by).bind(match resolution { Resolution::Move => "moved", Resolution::Keep => "kept" }).bind(id)
                .fetch_optional(&mut *tx).await?;
            let Some((hash, holder, claimant)) = row else {
                return Err(stale());
            };
            match resolution {
                Resolution::Move => {
                    let n = sqlx::query("UPDATE residencies SET status = 'revoked', decided_by = $1, decided_at = $2, decision_note = 'moved'
                                         WHERE user_id = $3 AND status = 'verified' AND identity_hash = $4")
                        .bind(by).bind(at).bind(holder).bind(&hash).execute(&mut *tx).await?.rows_affected();
                    let m = sqlx::query("UPDATE residencies SET status = 'verified', decided_by = $1, decided_at = $2, decision_note = 'moved'
                                         WHERE user_id = $3 AND status = 'pending' AND identity_hash = $4")
                        .bind(by).bind(at).bind(claimant).bind(&hash).execute(&mut *tx).await
                        .map_err(identity_taken)?.rows_affected();
                    if n != 1 || m != 1 {
                        return Err(stale());
                    }
                    sqlx::query("UPDATE identity_conflicts SET holder_id = $1 WHERE identity_hash = $2 AND resolved_at IS NULL")
                        .bind(claimant).bind(&hash).execute(&mut *tx).await?;
                    audit_query!(Some(by), AuditAction::ResidencyMoved, Subject::User(claimant),
                        &[("from", holder.to_string()), ("to", claimant.to_string())], at)
                        .execute(&mut *tx).await?;
                }
                Resolution::Keep => {
                    let n = sqlx::query("UPDATE residencies SET status = 'rejected', decided_by = $1, decided_at = $2, decision_note = 'identity'
                                         WHERE user_id = $3 AND status = 'pending' AND identity_hash = $4")
                        .bind(by).bind(at).bind(claimant).bind(&hash).execute(&mut *tx).await?.rows_affected();
                    if n != 1 {
                        return Err(stale());
                    }
                    audit_query!(Some(by), AuditAction::residency(ResidencyStatus::Rejected), Subject::User(claimant),
                        &[("holder", holder.to_string())], at)
                        .execute(&mut *tx).await?;
                }
            }
            tx.commit().await?;
            Ok(())
        })
    }
}
