//! Working groups of plan projects: one per project (a unique key), created only for a project of adopted
//! items (checked in the creating transaction), with members (one row per person: a second addition is
//! refused by the database), meetings (a small record: date, place, minutes) and dated updates.
use maeul_domain::Refusal;
use maeul_domain::plan::{self, GroupRole, ItemState};

use crate::{BeginWrite, Db, DbError, DbResult, db_run, now, refused};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct GroupRow {
    pub id: i64,
    pub project_id: i64,
    pub name: String,
    pub created_at: i64,
    pub project_title: String,
    pub plan_id: i64,
    /// The scope whose plan the project is in (whose staff run the group).
    pub scope_id: i64,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct GroupMemberRow {
    pub user_id: i64,
    pub display_name: String,
    #[sqlx(try_from = "String")]
    pub role: GroupRole,
    pub added_at: i64,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct GroupMeetingRow {
    pub id: i64,
    pub held_at: i64,
    pub place: String,
    pub minutes: String,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct GroupUpdateRow {
    pub id: i64,
    pub author_id: i64,
    pub author_name: String,
    pub body: String,
    pub posted_at: i64,
}

const SELECT_GROUP: &str = "SELECT g.id, g.project_id, g.name, g.created_at, p.title AS project_title, p.plan_id,
        pl.scope_id
        FROM plan_working_groups g JOIN plan_projects p ON p.id = g.project_id JOIN plans pl ON pl.id = p.plan_id";

/// A unique-key violation as the refusal `AlreadyExists`.
fn unique_as_exists<T>(result: Result<T, sqlx::Error>) -> DbResult<T> {
    match result {
        Err(sqlx::Error::Database(d)) if d.is_unique_violation() => {
            Err(DbError::Refused(Refusal::AlreadyExists))
        }
        other => Ok(other?),
    }
}

impl Db {
    /// Creates the working group of a project whose items are all adopted; a second group of the same
    /// project is refused (`AlreadyExists`).
    pub async fn create_working_group(
        &self,
        project_id: i64,
        name: &str,
        by: Option<i64>,
    ) -> DbResult<i64> {
        let at = now();
        db_run!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let states: Vec<String> = sqlx::query_scalar(
                "SELECT i.state FROM plan_project_items pi JOIN plan_items i ON i.id = pi.item_id
                 WHERE pi.project_id = $1")
                .bind(project_id).fetch_all(&mut *tx).await?;
            let states = states
                .into_iter()
                .map(ItemState::try_from)
                .collect::<Result<Vec<_>, _>>()?;
            plan::check_new_group(&states).map_err(refused)?;
            let id = unique_as_exists(sqlx::query_scalar::<_, i64>(
                "INSERT INTO plan_working_groups (project_id, name, created_by, created_at)
                 VALUES ($1, $2, $3, $4) RETURNING id")
                .bind(project_id).bind(name).bind(by).bind(at)
                .fetch_one(&mut *tx).await)?;
            tx.commit().await?;
            Ok(id)
        })
    }

    pub async fn working_group(&self, id: i64) -> DbResult<Option<GroupRow>> {
        let sql = format!("{SELECT_GROUP} WHERE g.id = $1");
        Ok(
            db_run!(self, pool => sqlx::query_as::<_, GroupRow>(&sql).bind(id).fetch_optional(pool).await?),
        )
    }

    /// The working groups of a plan's projects.
    pub async fn working_groups_of_plan(&self, plan_id: i64) -> DbResult<Vec<GroupRow>> {
        let sql = format!("{SELECT_GROUP} WHERE p.plan_id = $1 ORDER BY g.id");
        Ok(
            db_run!(self, pool => sqlx::query_as::<_, GroupRow>(&sql).bind(plan_id).fetch_all(pool).await?),
        )
    }

    /// Adds a member; a person already in the group is refused (`AlreadyExists`, by the primary key).
    pub async fn add_group_member(
        &self,
        group_id: i64,
        user_id: i64,
        role: GroupRole,
        by: Option<i64>,
    ) -> DbResult<()> {
        let at = now();
        db_run!(self, pool => {
            unique_as_exists(sqlx::query(
                "INSERT INTO plan_group_members (group_id, user_id, role, added_by, added_at) VALUES ($1, $2, $3, $4, $5)")
                .bind(group_id).bind(user_id).bind(role.as_str()).bind(by).bind(at)
                .execute(pool).await)?;
        });
        Ok(())
    }

    pub async fn group_members(&self, group_id: i64) -> DbResult<Vec<GroupMemberRow>> {
        Ok(db_run!(self, pool => sqlx::query_as::<_, GroupMemberRow>(
            "SELECT m.user_id, u.display_name, m.role, m.added_at FROM plan_group_members m
             JOIN users u ON u.id = m.user_id WHERE m.group_id = $1 ORDER BY m.role, m.added_at, m.user_id")
            .bind(group_id).fetch_all(pool).await?))
    }

    pub async fn is_group_member(&self, group_id: i64, user_id: i64) -> DbResult<bool> {
        let n: i64 = db_run!(self, pool => sqlx::query_scalar(
            "SELECT COUNT(*) FROM plan_group_members WHERE group_id = $1 AND user_id = $2")
            .bind(group_id).bind(user_id).fetch_one(pool).await?);
        Ok(n > 0)
    }

    pub async fn record_group_meeting(
        &self,
        group_id: i64,
        held_at: i64,
        place: &str,
        minutes: &str,
        by: Option<i64>,
    ) -> DbResult<i64> {
        let at = now();
        Ok(db_run!(self, pool => sqlx::query_scalar::<_, i64>(
            "INSERT INTO plan_group_meetings (group_id, held_at, place, minutes, recorded_by, recorded_at)
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id")
            .bind(group_id).bind(held_at).bind(place).bind(minutes).bind(by).bind(at)
            .fetch_one(pool).await?))
    }

    /// A group's meetings, latest first.
    pub async fn group_meetings(&self, group_id: i64) -> DbResult<Vec<GroupMeetingRow>> {
        Ok(db_run!(self, pool => sqlx::query_as::<_, GroupMeetingRow>(
            "SELECT id, held_at, place, minutes FROM plan_group_meetings WHERE group_id = $1
             ORDER BY held_at DESC, id DESC")
            .bind(group_id).fetch_all(pool).await?))
    }

    /// Posts an update by a member: the membership is checked in the inserting statement, so an author
    /// removed meanwhile (or never added) writes nothing (`NotAGroupMember`).
    pub async fn post_group_update(
        &self,
        group_id: i64,
        author_id: i64,
        body: &str,
    ) -> DbResult<i64> {
        let at = now();
        let id: Option<i64> = db_run!(self, pool => sqlx::query_scalar(
            "INSERT INTO plan_group_updates (group_id, author_id, body, posted_at)
             SELECT $1, $2, $3, $4 WHERE EXISTS (
                SELECT 1 FROM plan_group_members WHERE group_id = $1 AND user_id = $2)
             RETURNING id")
            .bind(group_id).bind(author_id).bind(body).bind(at)
            .fetch_optional(pool).await?);
        id.ok_or_else(|| refused(plan::PlanRefusal::NotAGroupMember))
    }

    /// A group's updates, newest first.
    pub async fn group_updates(&self, group_id: i64) -> DbResult<Vec<GroupUpdateRow>> {
        Ok(db_run!(self, pool => sqlx::query_as::<_, GroupUpdateRow>(
            "SELECT d.id, d.author_id, u.display_name AS author_name, d.body, d.posted_at FROM plan_group_updates d
             JOIN users u ON u.id = d.author_id WHERE d.group_id = $1 ORDER BY d.id DESC")
            .bind(group_id).fetch_all(pool).await?))
    }
}
