//! Role grants per scope.
use maeul_domain::{Grant, Role};

use crate::{BeginWrite, Db, DbError, DbResult, conflict_as, db_run, now};

/// A grant as the administration page lists it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct GrantListing {
    pub id: i64,
    pub user_id: i64,
    pub email: String,
    pub display_name: String,
    #[sqlx(try_from = "String")]
    pub role: Role,
    pub scope_id: i64,
    pub granted_at: i64,
}

impl Db {
    pub async fn grants_of(&self, user_id: i64) -> DbResult<Vec<Grant>> {
        let rows = db_run!(self, pool => sqlx::query_as::<_, (String, i64)>(
            "SELECT role, scope_id FROM role_grants WHERE user_id = $1")
            .bind(user_id).fetch_all(pool).await?);
        rows.into_iter()
            .map(|(role, scope_id)| {
                let role = Role::try_from(role)?;
                Ok(Grant { role, scope_id })
            })
            .collect()
    }

    /// Grants a role, logging who did it, in one transaction.
    pub async fn grant_role(
        &self,
        user_id: i64,
        role: Role,
        scope_id: i64,
        by: Option<i64>,
    ) -> DbResult<i64> {
        let at = now();
        Ok(db_run!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let id = sqlx::query_scalar::<_, i64>(
                "INSERT INTO role_grants (user_id, role, scope_id, granted_by, granted_at) VALUES ($1, $2, $3, $4, $5) RETURNING id")
                .bind(user_id).bind(role.as_str()).bind(scope_id).bind(by).bind(at)
                .fetch_one(&mut *tx).await.map_err(conflict_as("role grant"))?;
            crate::audit::audit_query!(by, maeul_domain::audit::AuditAction::RoleGrant, crate::audit::Subject::User(user_id),
                &[("role", role.as_str().to_owned()), ("scope", scope_id.to_string())], at)
                .execute(&mut *tx).await?;
            tx.commit().await?;
            id
        }))
    }

    pub async fn grant_by_id(&self, grant_id: i64) -> DbResult<GrantListing> {
        Ok(db_run!(self, pool => sqlx::query_as::<_, GrantListing>(
            "SELECT g.id, g.user_id, u.email, u.display_name, g.role, g.scope_id, g.granted_at
             FROM role_grants g JOIN users u ON u.id = g.user_id WHERE g.id = $1")
            .bind(grant_id).fetch_one(pool).await?))
    }

    pub async fn revoke_grant(&self, grant_id: i64, by: i64) -> DbResult<()> {
        db_run!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let revoked = sqlx::query_as::<_, (i64, String, i64)>(
                "DELETE FROM role_grants WHERE id = $1 RETURNING user_id, role, scope_id")
                .bind(grant_id).fetch_optional(&mut *tx).await?;
            let Some((user_id, role, scope_id)) = revoked else {
                return Err(DbError::NotFound);
            };
            // Like a grant, the entry names the person and the role, which outlive the deleted grant row.
            crate::audit::audit_query!(Some(by), maeul_domain::audit::AuditAction::RoleRevoke,
                crate::audit::Subject::User(user_id),
                &[("role", role), ("scope", scope_id.to_string()), ("grant", grant_id.to_string())], now())
                .execute(&mut *tx).await?;
            tx.commit().await?;
        });
        Ok(())
    }

    /// Every grant, newest first (the list is short: staff, not residents).
    pub async fn all_grants(&self) -> DbResult<Vec<GrantListing>> {
        Ok(db_run!(self, pool => sqlx::query_as::<_, GrantListing>(
            "SELECT g.id, g.user_id, u.email, u.display_name, g.role, g.scope_id, g.granted_at
             FROM role_grants g JOIN users u ON u.id = g.user_id ORDER BY g.id DESC")
            .fetch_all(pool).await?))
    }
}
