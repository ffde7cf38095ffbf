//! Organizations, their members and roles, the staff's verification (compare-and-set on the unverified
//! row) and the consortium that runs a scope's platform.
use maeul_domain::cooperation::{
    self, ConsortiumRole, CooperationRefusal, Field, MemberRole, OrgKind, VerificationMethod,
};
use maeul_domain::{Named, Refusal};

use crate::{BeginWrite, Db, DbError, DbResult, OptionalName, db_run, now, refused};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct OrgRow {
    pub id: i64,
    pub scope_id: i64,
    pub name: String,
    #[sqlx(try_from = "String")]
    pub kind: OrgKind,
    pub purpose: String,
    /// Fields of activity, stored names separated by spaces.
    pub fields: String,
    pub contact: String,
    #[sqlx(try_from = "Option<String>")]
    pub verification_method: OptionalName<VerificationMethod>,
    pub verification_evidence: String,
    pub verified_at: Option<i64>,
    pub created_at: i64,
    pub members: i64,
}

impl OrgRow {
    /// The fields of activity (unknown stored names are an error of the row).
    pub fn fields(&self) -> DbResult<Vec<Field>> {
        self.fields
            .split_whitespace()
            .map(|f| {
                Named::decode(f)
                    .map_err(|e| DbError::Corrupt(format!("organization {}: {e}", self.id)))
            })
            .collect()
    }

    pub fn verified(&self) -> bool {
        self.verified_at.is_some()
    }
}

/// What an organization's editors write (creation and edits).
pub struct OrgInput<'a> {
    pub scope_id: i64,
    pub name: &'a str,
    pub kind: OrgKind,
    pub purpose: &'a str,
    pub fields: &'a [Field],
    pub contact: &'a str,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct MemberRow {
    pub organization_id: i64,
    pub user_id: i64,
    pub display_name: String,
    #[sqlx(try_from = "String")]
    pub role: MemberRole,
    pub joined_at: i64,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ConsortiumRow {
    pub scope_id: i64,
    pub organization_id: i64,
    #[sqlx(try_from = "String")]
    pub role: ConsortiumRole,
}

const SELECT_ORG: &str = "SELECT o.id, o.scope_id, o.name, o.kind, o.purpose, o.fields, o.contact, o.verification_method,
        o.verification_evidence, o.verified_at, o.created_at,
        CAST((SELECT COUNT(*) FROM coop_members m WHERE m.organization_id = o.id) AS BIGINT) AS members
     FROM coop_organizations o";

fn field_names(fields: &[Field]) -> String {
    fields
        .iter()
        .map(|f| f.as_str())
        .collect::<Vec<_>>()
        .join(" ")
}

impl Db {
    /// Records an organization; its creator becomes its representative in the same transaction.
    pub async fn create_organization(&self, o: &OrgInput<'_>, creator: i64) -> DbResult<i64> {
        let at = now();
        let fields = field_names(o.fields);
        db_run!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO coop_organizations (scope_id, name, kind, purpose, fields, contact, created_by, created_at, updated_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) RETURNING id")
                .bind(o.scope_id).bind(o.name).bind(o.kind.as_str()).bind(o.purpose).bind(&fields)
                .bind(o.contact).bind(creator).bind(at)
                .fetch_one(&mut *tx).await?;
            sqlx::query("INSERT INTO coop_members (organization_id, user_id, role, joined_at) VALUES ($1, $2, 'representative', $3)")
                .bind(id).bind(creator).bind(at).execute(&mut *tx).await?;
            tx.commit().await?;
            Ok::<i64, DbError>(id)
        })
    }

    /// Changes an organization's description (the caller checked that the editor may).
    pub async fn update_organization(&self, id: i64, o: &OrgInput<'_>) -> DbResult<()> {
        let fields = field_names(o.fields);
        let n = db_run!(self, pool => sqlx::query(
            "UPDATE coop_organizations SET scope_id = $1, name = $2, kind = $3, purpose = $4, fields = $5, contact = $6,
                updated_at = $7 WHERE id = $8")
            .bind(o.scope_id).bind(o.name).bind(o.kind.as_str()).bind(o.purpose).bind(&fields)
            .bind(o.contact).bind(now()).bind(id)
            .execute(pool).await?.rows_affected());
        if n == 0 {
            return Err(DbError::NotFound);
        }
        Ok(())
    }

    pub async fn organization(&self, id: i64) -> DbResult<Option<OrgRow>> {
        let sql = format!("{SELECT_ORG} WHERE o.id = $1");
        Ok(
            db_run!(self, pool => sqlx::query_as::<_, OrgRow>(&sql).bind(id).fetch_optional(pool).await?),
        )
    }

    /// Every organization, by name (the directory filters by scope, field and text).
    pub async fn organizations(&self) -> DbResult<Vec<OrgRow>> {
        let sql = format!("{SELECT_ORG} ORDER BY o.name, o.id");
        Ok(db_run!(self, pool => sqlx::query_as::<_, OrgRow>(&sql).fetch_all(pool).await?))
    }

    pub async fn organization_members(&self, org: i64) -> DbResult<Vec<MemberRow>> {
        Ok(db_run!(self, pool => sqlx::query_as::<_, MemberRow>(
            "SELECT m.organization_id, m.user_id, u.display_name, m.role, m.joined_at
             FROM coop_members m JOIN users u ON u.id = m.user_id
             WHERE m.organization_id = $1 ORDER BY CASE m.role WHEN 'representative' THEN 0 WHEN 'staff' THEN 1 ELSE 2 END, m.joined_at, m.user_id")
            .bind(org).fetch_all(pool).await?))
    }

    /// The organizations `user` belongs to, with the role held.
    pub async fn memberships_of(&self, user: i64) -> DbResult<Vec<MemberRow>> {
        Ok(db_run!(self, pool => sqlx::query_as::<_, MemberRow>(
            "SELECT m.organization_id, m.user_id, u.display_name, m.role, m.joined_at
             FROM coop_members m JOIN users u ON u.id = m.user_id WHERE m.user_id = $1 ORDER BY m.organization_id")
            .bind(user).fetch_all(pool).await?))
    }

    pub async fn member_role(&self, org: i64, user: i64) -> DbResult<Option<MemberRole>> {
        let role: Option<String> = db_run!(self, pool => sqlx::query_scalar(
            "SELECT role FROM coop_members WHERE organization_id = $1 AND user_id = $2")
            .bind(org).bind(user).fetch_optional(pool).await?);
        role.map(|r| Named::decode(&r).map_err(|e| DbError::Corrupt(e.to_string())))
            .transpose()
    }

    /// `user` joins `org` with `role` (a second membership is refused by the primary key).
    pub async fn join_organization(&self, org: i64, user: i64, role: MemberRole) -> DbResult<()> {
        let inserted = db_run!(self, pool => sqlx::query(
            "INSERT INTO coop_members (organization_id, user_id, role, joined_at) VALUES ($1, $2, $3, $4)")
            .bind(org).bind(user).bind(role.as_str()).bind(now()).execute(pool).await.map(|_| ()));
        match inserted {
            Err(sqlx::Error::Database(d)) if d.is_unique_violation() => {
                Err(refused(CooperationRefusal::AlreadyMember))
            }
            Err(sqlx::Error::Database(d)) if d.is_foreign_key_violation() => Err(DbError::NotFound),
            other => Ok(other?),
        }
    }

    /// `user` leaves `org`; the last representative stays (checked inside the write transaction).
    pub async fn leave_organization(&self, org: i64, user: i64) -> DbResult<()> {
        db_run!(self, pool => {
            let mut tx = pool.begin_write().await?;
            sqlx::query("UPDATE coop_organizations SET updated_at = updated_at WHERE id = $1")
                .bind(org).execute(&mut *tx).await?;
            let role: Option<String> = sqlx::query_scalar(
                "SELECT role FROM coop_members WHERE organization_id = $1 AND user_id = $2")
                .bind(org).bind(user).fetch_optional(&mut *tx).await?;
            let role: MemberRole = Named::decode(&role.ok_or(DbError::NotFound)?)
                .map_err(|e| DbError::Corrupt(e.to_string()))?;
            let representatives: i64 = sqlx::query_scalar(
                "SELECT COUNT(*) FROM coop_members WHERE organization_id = $1 AND role = 'representative'")
                .bind(org).fetch_one(&mut *tx).await?;
            cooperation::may_leave(role, representatives as usize).map_err(refused)?;
            sqlx::query("DELETE FROM coop_members WHERE organization_id = $1 AND user_id = $2")
                .bind(org).bind(user).execute(&mut *tx).await?;
            tx.commit().await?;
            Ok::<(), DbError>(())
        })
    }

    /// Staff verify an organization (compare-and-set: only an unverified one).
    pub async fn verify_organization(
        &self,
        org: i64,
        method: VerificationMethod,
        evidence: &str,
        by: i64,
    ) -> DbResult<()> {
        let row = self.organization(org).await?.ok_or(DbError::NotFound)?;
        let evidence = cooperation::verify(row.verified(), method, evidence).map_err(refused)?;
        let n = db_run!(self, pool => sqlx::query(
            "UPDATE coop_organizations SET verification_method = $1, verification_evidence = $2, verified_by = $3,
                verified_at = $4 WHERE id = $5 AND verified_at IS NULL")
            .bind(method.as_str()).bind(&evidence).bind(by).bind(now()).bind(org)
            .execute(pool).await?.rows_affected());
        if n == 0 {
            return Err(DbError::Refused(Refusal::Stale));
        }
        Ok(())
    }

    /// Puts `org` in the consortium of `scope_id` (a second lead is refused by a unique index).
    pub async fn join_consortium(
        &self,
        scope_id: i64,
        org: i64,
        role: ConsortiumRole,
    ) -> DbResult<()> {
        let done = db_run!(self, pool => sqlx::query(
            "INSERT INTO coop_consortium (scope_id, organization_id, role, joined_at) VALUES ($1, $2, $3, $4)")
            .bind(scope_id).bind(org).bind(role.as_str()).bind(now()).execute(pool).await.map(|_| ()));
        match done {
            Err(sqlx::Error::Database(d)) if d.is_unique_violation() => {
                Err(DbError::Refused(Refusal::AlreadyExists))
            }
            other => Ok(other?),
        }
    }

    /// The consortium running the platform of `scope_id`: the lead first.
    pub async fn consortium(&self, scope_id: i64) -> DbResult<Vec<ConsortiumRow>> {
        Ok(db_run!(self, pool => sqlx::query_as::<_, ConsortiumRow>(
            "SELECT scope_id, organization_id, role FROM coop_consortium WHERE scope_id = $1
             ORDER BY CASE role WHEN 'lead' THEN 0 ELSE 1 END, joined_at, organization_id")
            .bind(scope_id).fetch_all(pool).await?))
    }
}
