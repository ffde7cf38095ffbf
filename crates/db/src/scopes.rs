//! The city's scopes.
use maeul_domain::{Scope, ScopeKind};

use crate::{BeginWrite, Db, DbError, DbResult, conflict_as, db_run, now};

#[derive(sqlx::FromRow)]
struct ScopeRow {
    id: i64,
    code: String,
    kind: String,
    parent_id: Option<i64>,
    name_ko: String,
    name_en: String,
}

impl TryFrom<ScopeRow> for Scope {
    type Error = DbError;
    fn try_from(r: ScopeRow) -> DbResult<Scope> {
        let kind = ScopeKind::parse(&r.kind).ok_or_else(|| {
            DbError::Corrupt(format!("scope {} has unknown kind {}", r.code, r.kind))
        })?;
        Ok(Scope {
            id: r.id,
            code: r.code,
            kind,
            parent_id: r.parent_id,
            name_ko: r.name_ko,
            name_en: r.name_en,
        })
    }
}

/// A scope to create.
pub struct NewScope<'a> {
    pub code: &'a str,
    pub kind: ScopeKind,
    pub parent_id: Option<i64>,
    pub name_ko: &'a str,
    pub name_en: &'a str,
}

impl Db {
    pub async fn load_scopes(&self) -> DbResult<Vec<Scope>> {
        let rows = db_run!(self, pool => sqlx::query_as::<_, ScopeRow>(
            "SELECT id, code, kind, parent_id, name_ko, name_en FROM scopes ORDER BY code")
            .fetch_all(pool)
            .await?);
        rows.into_iter().map(Scope::try_from).collect()
    }

    pub async fn scope_count(&self) -> DbResult<i64> {
        Ok(
            db_run!(self, pool => sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM scopes").fetch_one(pool).await?),
        )
    }

    /// Inserts scopes in one transaction (all or nothing); returns their ids in order.
    pub async fn insert_scopes(&self, scopes: &[NewScope<'_>]) -> DbResult<Vec<i64>> {
        const SQL: &str = "INSERT INTO scopes (code, kind, parent_id, name_ko, name_en, created_at)
                           VALUES ($1, $2, $3, $4, $5, $6) RETURNING id";
        let at = now();
        let ids = db_run!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let mut ids = Vec::with_capacity(scopes.len());
            for s in scopes {
                maeul_domain::scope::validate_code(s.kind, s.code).map_err(DbError::Corrupt)?;
                let id = sqlx::query_scalar::<_, i64>(SQL)
                    .bind(s.code)
                    .bind(s.kind.as_str())
                    .bind(s.parent_id)
                    .bind(s.name_ko)
                    .bind(s.name_en)
                    .bind(at)
                    .fetch_one(&mut *tx)
                    .await
                    .map_err(conflict_as("scope code"))?;
                ids.push(id);
            }
            tx.commit().await?;
            ids
        });
        Ok(ids)
    }
}
