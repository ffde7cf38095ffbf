//! Declared and verified residence (domain workflow 1), and the resident register it is checked against.
use maeul_domain::residency::{ResidencyDecision, decide};
use maeul_domain::{ResidencyBasis, ResidencyStatus};

use crate::audit::{Subject, audit_query};
use crate::{BeginWrite, Db, DbError, DbResult, db_run, now};
use maeul_domain::audit::AuditAction;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ResidencyRow {
    pub user_id: i64,
    pub scope_id: i64,
    #[sqlx(try_from = "String")]
    pub basis: ResidencyBasis,
    #[sqlx(try_from = "String")]
    pub status: ResidencyStatus,
    pub declared_at: i64,
    pub decided_at: Option<i64>,
    pub decision_note: Option<String>,
    /// Declared with the register identity (`YYYY-MM-DD`), for age rules; `None` when never declared.
    pub birth_date: Option<String>,
}

/// A pending declaration, with the declarer's name, for the verification queue.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PendingResidency {
    pub user_id: i64,
    pub email: String,
    pub display_name: String,
    pub scope_id: i64,
    #[sqlx(try_from = "String")]
    pub basis: ResidencyBasis,
    pub declared_at: i64,
}

impl Db {
    /// Records a declaration of home neighbourhood. If the register already lists this identity in that
    /// neighbourhood the residence is verified at once; otherwise it waits for an official.
    pub async fn declare_residency(
        &self,
        user_id: i64,
        scope_id: i64,
        basis: ResidencyBasis,
        identity_hash: Option<&str>,
    ) -> DbResult<ResidencyStatus> {
        self.declare_residency_born(user_id, scope_id, basis, identity_hash, None)
            .await
    }

    /// [`Db::declare_residency`] with the birth date declared with the identity (`YYYY-MM-DD`, checked by
    /// the caller), kept for age rules; the register verifies it with the identity.
    pub async fn declare_residency_born(
        &self,
        user_id: i64,
        scope_id: i64,
        basis: ResidencyBasis,
        identity_hash: Option<&str>,
        birth_date: Option<&str>,
    ) -> DbResult<ResidencyStatus> {
        let at = now();
        db_run!(self, pool => {
            let mut tx = pool.begin_write().await?;
            if let (Some(sql), Some(h)) = (crate::identity::identity_lock(&tx), identity_hash) {
                sqlx::query(sql).bind(h).execute(&mut *tx).await?;
            }
            let on_register = match identity_hash {
                Some(h) => sqlx::query_scalar::<_, i64>(
                    "SELECT COUNT(*) FROM register_entries WHERE identity_hash = $1 AND scope_id = $2")
                    .bind(h).bind(scope_id).fetch_one(&mut *tx).await? > 0,
                None => false,
            };
            // One identity verifies one account: a claim on an identity that verifies someone else waits
            // as pending and is reported to the officials (see crate::identity).
            let holder: Option<i64> = match identity_hash {
                Some(h) if on_register => sqlx::query_scalar(
                    "SELECT user_id FROM residencies WHERE identity_hash = $1 AND status = 'verified' AND user_id <> $2")
                    .bind(h).bind(user_id).fetch_optional(&mut *tx).await?,
                _ => None,
            };
            sqlx::query("DELETE FROM identity_conflicts WHERE claimant_id = $1 AND resolved_at IS NULL")
                .bind(user_id).execute(&mut *tx).await?;
            let (status, note) = if on_register && holder.is_none() {
                (ResidencyStatus::Verified, Some("register"))
            } else {
                (ResidencyStatus::Pending, None)
            };
            sqlx::query(
                "INSERT INTO residencies (user_id, scope_id, basis, status, identity_hash, declared_at, decided_by, decided_at, decision_note, birth_date)
                 VALUES ($1, $2, $3, $4, $5, $6, NULL, $7, $8, $9)
                 ON CONFLICT (user_id) DO UPDATE SET scope_id = excluded.scope_id, basis = excluded.basis,
                   status = excluded.status, identity_hash = excluded.identity_hash, declared_at = excluded.declared_at,
                   decided_by = NULL, decided_at = excluded.decided_at, decision_note = excluded.decision_note,
                   birth_date = excluded.birth_date")
                .bind(user_id).bind(scope_id).bind(basis.as_str()).bind(status.as_str()).bind(identity_hash)
                .bind(at).bind(on_register.then_some(at)).bind(note).bind(birth_date)
                .execute(&mut *tx).await?;
            audit_query!(Some(user_id), AuditAction::ResidencyDeclare, Subject::User(user_id),
                &[("scope", scope_id.to_string()), ("status", status.as_str().to_owned())], at)
                .execute(&mut *tx).await?;
            if let (Some(holder), Some(h)) = (holder, identity_hash) {
                sqlx::query("INSERT INTO identity_conflicts (identity_hash, holder_id, claimant_id, scope_id, created_at)
                             VALUES ($1, $2, $3, $4, $5)")
                    .bind(h).bind(holder).bind(user_id).bind(scope_id).bind(at).execute(&mut *tx).await?;
            }
            tx.commit().await?;
            Ok(status)
        })
    }

    pub async fn residency_of(&self, user_id: i64) -> DbResult<Option<ResidencyRow>> {
        Ok(db_run!(self, pool => sqlx::query_as::<_, ResidencyRow>(
            "SELECT user_id, scope_id, basis, status, declared_at, decided_at, decision_note, birth_date
             FROM residencies WHERE user_id = $1")
            .bind(user_id).fetch_optional(pool).await?))
    }

    /// Pending declarations in scopes whose code starts with `code_prefix` (MOIS codes nest: a dong's code
    /// starts with its gu's), oldest first.
    pub async fn pending_residencies_under(
        &self,
        code_prefix: &str,
        limit: i64,
    ) -> DbResult<Vec<PendingResidency>> {
        const SQL: &str = "SELECT r.user_id, u.email, u.display_name, r.scope_id, r.basis, r.declared_at
                           FROM residencies r JOIN users u ON u.id = r.user_id JOIN scopes s ON s.id = r.scope_id
                           WHERE r.status = 'pending' AND s.code LIKE $1 ORDER BY r.declared_at, r.user_id LIMIT $2";
        let pattern = format!("{code_prefix}%");
        Ok(
            db_run!(self, pool => sqlx::query_as::<_, PendingResidency>(SQL).bind(&pattern).bind(limit).fetch_all(pool).await?),
        )
    }

    /// Applies an official's decision. The update only happens if the residency is still in the state the
    /// decision was made from, so two officials deciding at once cannot both win.
    pub async fn decide_residency(
        &self,
        user_id: i64,
        decision: ResidencyDecision,
        by: i64,
        note: Option<&str>,
    ) -> DbResult<ResidencyStatus> {
        let current = self.residency_of(user_id).await?.ok_or(DbError::NotFound)?;
        let from = current.status;
        let to = decide(from, decision).map_err(crate::refused)?;
        let at = now();
        db_run!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let n = sqlx::query(
                "UPDATE residencies SET status = $1, decided_by = $2, decided_at = $3, decision_note = $4
                 WHERE user_id = $5 AND status = $6")
                .bind(to.as_str()).bind(by).bind(at).bind(note).bind(user_id).bind(from.as_str())
                .execute(&mut *tx).await.map_err(crate::identity::identity_taken)?.rows_affected();
            if n == 0 {
                return Err(DbError::Refused(maeul_domain::Refusal::Stale));
            }
            audit_query!(Some(by), AuditAction::residency(to), Subject::User(user_id), &[], at)
                .execute(&mut *tx).await?;
            tx.commit().await?;
        });
        Ok(to)
    }

    /// Imports register rows (keyed identity hash, neighbourhood) and verifies every pending declaration
    /// they match — all in one transaction. Returns (rows new to the register, residences verified).
    pub async fn import_register(&self, rows: &[(String, i64)], by: i64) -> DbResult<(u64, u64)> {
        let at = now();
        db_run!(self, pool => {
            let mut tx = pool.begin_write().await?;
            if let Some(sql) = crate::identity::residencies_lock(&tx) {
                sqlx::query(sql).execute(&mut *tx).await?;
            }
            let mut inserted = 0;
            for (hash, scope_id) in rows {
                inserted += sqlx::query(
                    "INSERT INTO register_entries (identity_hash, scope_id, imported_by, imported_at) VALUES ($1, $2, $3, $4)
                     ON CONFLICT (identity_hash, scope_id) DO NOTHING")
                    .bind(hash).bind(scope_id).bind(by).bind(at)
                    .execute(&mut *tx).await?.rows_affected();
            }
            // Of the pending claims on one identity only the earliest is verified, and none when the
            // identity already verifies an account; the others are reported as conflicts.
            let verified = sqlx::query(
                "UPDATE residencies SET status = 'verified', decided_by = $1, decided_at = $2, decision_note = 'register'
                 WHERE status = 'pending' AND identity_hash IS NOT NULL AND EXISTS (
                   SELECT 1 FROM register_entries e WHERE e.identity_hash = residencies.identity_hash AND e.scope_id = residencies.scope_id)
                 AND NOT EXISTS (SELECT 1 FROM residencies v WHERE v.identity_hash = residencies.identity_hash AND v.status = 'verified')
                 AND user_id = (SELECT f.user_id FROM residencies f JOIN register_entries e
                     ON e.identity_hash = f.identity_hash AND e.scope_id = f.scope_id
                   WHERE f.identity_hash = residencies.identity_hash AND f.status = 'pending'
                   ORDER BY f.declared_at, f.user_id LIMIT 1)")
                .bind(by).bind(at).execute(&mut *tx).await?.rows_affected();
            sqlx::query(
                "INSERT INTO identity_conflicts (identity_hash, holder_id, claimant_id, scope_id, created_at)
                 SELECT r.identity_hash, v.user_id, r.user_id, r.scope_id, $1
                   FROM residencies r JOIN residencies v ON v.identity_hash = r.identity_hash AND v.status = 'verified'
                  WHERE r.status = 'pending' AND r.user_id <> v.user_id
                    AND EXISTS (SELECT 1 FROM register_entries e WHERE e.identity_hash = r.identity_hash AND e.scope_id = r.scope_id)
                    AND NOT EXISTS (SELECT 1 FROM identity_conflicts c WHERE c.claimant_id = r.user_id AND c.resolved_at IS NULL)")
                .bind(at).execute(&mut *tx).await?;
            audit_query!(Some(by), AuditAction::RegisterImport, Subject::Register,
                &[("rows", rows.len().to_string()), ("new", inserted.to_string()), ("verified", verified.to_string())], at)
                .execute(&mut *tx).await?;
            tx.commit().await?;
            Ok((inserted, verified))
        })
    }
}
