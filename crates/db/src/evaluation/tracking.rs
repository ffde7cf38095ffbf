//! Tracked projects, milestones, updates and their evidence.
use maeul_domain::Refusal;
use maeul_domain::evaluation::{
    self, ProjectStatus, UpdateActor, UpdateEvent, UpdateState, check_progress,
};
use maeul_domain::object::ObjectKind;

use crate::{BeginWrite, Db, DbError, DbResult, db_run, now, refused};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct TrackedProjectRow {
    pub id: i64,
    pub scope_id: i64,
    pub parent_id: Option<i64>,
    pub origin_kind: Option<String>,
    pub origin_id: Option<i64>,
    pub year: i64,
    pub title: String,
    #[sqlx(try_from = "String")]
    pub status: ProjectStatus,
    pub weight: i64,
    pub budget: i64,
    pub spent: i64,
    pub progress: i64,
    pub created_at: i64,
    pub updated_at: i64,
}

impl TrackedProjectRow {
    /// The object this project was created from, when it has one.
    pub fn origin(&self) -> Option<maeul_domain::ObjectRef> {
        let kind = ObjectKind::parse(self.origin_kind.as_deref()?)?;
        Some(maeul_domain::ObjectRef::new(kind, self.origin_id?))
    }
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct MilestoneRow {
    pub id: i64,
    pub project_id: i64,
    pub title: String,
    pub due_at: i64,
    pub done_at: Option<i64>,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct UpdateRow {
    pub id: i64,
    pub project_id: i64,
    pub author_id: i64,
    pub author_name: String,
    pub body: String,
    pub progress: i64,
    pub spent: Option<i64>,
    #[sqlx(try_from = "String")]
    pub state: UpdateState,
    pub comment: String,
    pub decided_by: Option<i64>,
    pub created_at: i64,
    pub decided_at: Option<i64>,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct EvidenceRow {
    pub id: i64,
    pub update_id: i64,
    pub url: String,
    pub label: String,
}

/// A tracked project entered directly (a parent grouping others, or a project without a stored origin).
#[derive(Debug, Clone)]
pub struct NewTrackedProject<'a> {
    pub scope_id: i64,
    pub parent_id: Option<i64>,
    pub year: i64,
    pub title: &'a str,
    pub weight: i64,
    pub budget: i64,
}

/// A new update of a project (a draft until its author submits it).
#[derive(Debug, Clone)]
pub struct NewUpdate<'a> {
    pub project_id: i64,
    pub author_id: i64,
    pub body: &'a str,
    pub progress: i64,
    pub spent: Option<i64>,
    /// (url, label) of each piece of evidence.
    pub evidence: &'a [(String, String)],
}

const SELECT_PROJECT: &str =
    "SELECT id, scope_id, parent_id, origin_kind, origin_id, year, title, status,
    weight, budget, spent, progress, created_at, updated_at FROM tracked_projects";

const SELECT_UPDATE: &str =
    "SELECT t.id, t.project_id, t.author_id, u.display_name AS author_name, t.body,
    t.progress, t.spent, t.state, t.comment, t.decided_by, t.created_at, t.decided_at
    FROM tracked_updates t JOIN users u ON u.id = t.author_id";

impl Db {
    /// Tracks every winner of a tallied budget process (idempotent: a winner already tracked is kept as it
    /// is). Returns the tracked projects' ids in the result's order.
    pub async fn track_budget_winners(&self, process_id: i64) -> DbResult<Vec<i64>> {
        let result = self
            .budget_result(process_id)
            .await?
            .ok_or(DbError::NotFound)?;
        let at = now();
        let mut ids = Vec::new();
        for project_id in result.selected_ids() {
            let id: i64 = db_run!(self, pool => {
                sqlx::query(
                    "INSERT INTO tracked_projects (scope_id, origin_kind, origin_id, year, title, status, budget,
                        created_at, updated_at)
                     SELECT pr.scope_id, 'budget_project', p.id, c.year, p.title, 'planned', p.cost, $2, $2
                     FROM budget_projects p JOIN budget_processes pr ON pr.id = p.process_id
                     JOIN budget_envelopes e ON e.id = pr.envelope_id JOIN budget_cycles c ON c.id = e.cycle_id
                     WHERE p.id = $1
                     ON CONFLICT (origin_kind, origin_id) WHERE origin_kind IS NOT NULL DO NOTHING")
                    .bind(project_id).bind(at).execute(pool).await?;
                sqlx::query_scalar("SELECT id FROM tracked_projects WHERE origin_kind = 'budget_project' AND origin_id = $1")
                    .bind(project_id).fetch_one(pool).await?
            });
            ids.push(id);
        }
        Ok(ids)
    }

    /// Tracks every project of a yearly plan (idempotent), its budget the sum of its budget lines.
    pub async fn track_plan_projects(&self, plan_id: i64) -> DbResult<Vec<i64>> {
        let at = now();
        Ok(db_run!(self, pool => {
            sqlx::query(
                "INSERT INTO tracked_projects (scope_id, origin_kind, origin_id, year, title, status, budget,
                    created_at, updated_at)
                 SELECT pl.scope_id, 'plan_project', p.id, pl.year, p.title, 'planned',
                    COALESCE((SELECT SUM(b.amount) FROM plan_budget_lines b WHERE b.project_id = p.id), 0), $2, $2
                 FROM plan_projects p JOIN plans pl ON pl.id = p.plan_id WHERE p.plan_id = $1
                 ON CONFLICT (origin_kind, origin_id) WHERE origin_kind IS NOT NULL DO NOTHING")
                .bind(plan_id).bind(at).execute(pool).await?;
            sqlx::query_scalar(
                "SELECT t.id FROM tracked_projects t JOIN plan_projects p ON p.id = t.origin_id
                 WHERE t.origin_kind = 'plan_project' AND p.plan_id = $1 ORDER BY p.id")
                .bind(plan_id).fetch_all(pool).await?
        }))
    }

    pub async fn create_tracked_project(&self, new: &NewTrackedProject<'_>) -> DbResult<i64> {
        let at = now();
        Ok(db_run!(self, pool => sqlx::query_scalar(
            "INSERT INTO tracked_projects (scope_id, parent_id, year, title, status, weight, budget, created_at, updated_at)
             VALUES ($1, $2, $3, $4, 'planned', $5, $6, $7, $7) RETURNING id")
            .bind(new.scope_id).bind(new.parent_id).bind(new.year).bind(new.title).bind(new.weight)
            .bind(new.budget).bind(at).fetch_one(pool).await?))
    }

    pub async fn tracked_project(&self, id: i64) -> DbResult<Option<TrackedProjectRow>> {
        let sql = format!("{SELECT_PROJECT} WHERE id = $1");
        Ok(
            db_run!(self, pool => sqlx::query_as::<_, TrackedProjectRow>(&sql)
            .bind(id).fetch_optional(pool).await?),
        )
    }

    /// The tracked project created from `origin`, if any.
    pub async fn tracked_project_from(
        &self,
        origin: maeul_domain::ObjectRef,
    ) -> DbResult<Option<TrackedProjectRow>> {
        let sql = format!("{SELECT_PROJECT} WHERE origin_kind = $1 AND origin_id = $2");
        Ok(
            db_run!(self, pool => sqlx::query_as::<_, TrackedProjectRow>(&sql)
            .bind(origin.kind.as_str()).bind(origin.id).fetch_optional(pool).await?),
        )
    }

    /// The tracked projects of the given scopes (a scope and those below it), by year then id.
    pub async fn tracked_projects_in(&self, scope_ids: &[i64]) -> DbResult<Vec<TrackedProjectRow>> {
        if scope_ids.is_empty() {
            return Ok(Vec::new());
        }
        let sql = format!(
            "{SELECT_PROJECT} WHERE scope_id IN ({}) ORDER BY year DESC, id",
            super::participation::placeholders(1, scope_ids.len())
        );
        Ok(db_run!(self, pool => {
            let mut q = sqlx::query_as::<_, TrackedProjectRow>(&sql);
            for id in scope_ids {
                q = q.bind(*id);
            }
            q.fetch_all(pool).await?
        }))
    }

    /// The children of a tracked project (their progress rolls up into it).
    pub async fn tracked_children(&self, parent_id: i64) -> DbResult<Vec<TrackedProjectRow>> {
        let sql = format!("{SELECT_PROJECT} WHERE parent_id = $1 ORDER BY id");
        Ok(
            db_run!(self, pool => sqlx::query_as::<_, TrackedProjectRow>(&sql)
            .bind(parent_id).fetch_all(pool).await?),
        )
    }

    pub async fn set_tracked_status(&self, id: i64, status: ProjectStatus) -> DbResult<()> {
        let n = db_run!(self, pool => sqlx::query(
            "UPDATE tracked_projects SET status = $1, updated_at = $2 WHERE id = $3")
            .bind(status.as_str()).bind(now()).bind(id).execute(pool).await?.rows_affected());
        if n == 0 {
            return Err(DbError::NotFound);
        }
        Ok(())
    }

    pub async fn add_milestone(&self, project_id: i64, title: &str, due_at: i64) -> DbResult<i64> {
        Ok(db_run!(self, pool => sqlx::query_scalar(
            "INSERT INTO tracked_milestones (project_id, title, due_at) VALUES ($1, $2, $3) RETURNING id")
            .bind(project_id).bind(title).bind(due_at).fetch_one(pool).await?))
    }

    /// Marks a milestone reached (once: a reached milestone keeps its date).
    pub async fn reach_milestone(&self, id: i64, at: i64) -> DbResult<()> {
        db_run!(self, pool => sqlx::query(
            "UPDATE tracked_milestones SET done_at = $1 WHERE id = $2 AND done_at IS NULL")
            .bind(at).bind(id).execute(pool).await?.rows_affected());
        Ok(())
    }

    pub async fn milestones(&self, project_id: i64) -> DbResult<Vec<MilestoneRow>> {
        Ok(db_run!(self, pool => sqlx::query_as::<_, MilestoneRow>(
            "SELECT id, project_id, title, due_at, done_at FROM tracked_milestones WHERE project_id = $1
             ORDER BY due_at, id")
            .bind(project_id).fetch_all(pool).await?))
    }

    /// Writes a draft update with its evidence.
    pub async fn create_update(&self, new: &NewUpdate<'_>) -> DbResult<i64> {
        check_progress(new.progress).map_err(refused)?;
        if new.spent.is_some_and(|s| s < 0) {
            return Err(Refusal::field("spent", maeul_domain::account::FieldError::Invalid).into());
        }
        let at = now();
        db_run!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO tracked_updates (project_id, author_id, body, progress, spent, state, created_at)
                 VALUES ($1, $2, $3, $4, $5, 'draft', $6) RETURNING id")
                .bind(new.project_id).bind(new.author_id).bind(new.body).bind(new.progress).bind(new.spent)
                .bind(at).fetch_one(&mut *tx).await?;
            for (url, label) in new.evidence {
                sqlx::query("INSERT INTO tracked_update_evidence (update_id, url, label) VALUES ($1, $2, $3)")
                    .bind(id).bind(url).bind(label).execute(&mut *tx).await?;
            }
            sqlx::query(
                "INSERT INTO tracked_update_log (update_id, from_state, to_state, actor_id, at)
                 VALUES ($1, '', 'draft', $2, $3)")
                .bind(id).bind(new.author_id).bind(at).execute(&mut *tx).await?;
            tx.commit().await?;
            Ok(id)
        })
    }

    pub async fn tracked_update(&self, id: i64) -> DbResult<Option<UpdateRow>> {
        let sql = format!("{SELECT_UPDATE} WHERE t.id = $1");
        Ok(
            db_run!(self, pool => sqlx::query_as::<_, UpdateRow>(&sql).bind(id).fetch_optional(pool).await?),
        )
    }

    /// A project's updates, oldest first.
    pub async fn tracked_updates(&self, project_id: i64) -> DbResult<Vec<UpdateRow>> {
        let sql = format!("{SELECT_UPDATE} WHERE t.project_id = $1 ORDER BY t.id");
        Ok(
            db_run!(self, pool => sqlx::query_as::<_, UpdateRow>(&sql).bind(project_id).fetch_all(pool).await?),
        )
    }

    pub async fn update_evidence(&self, update_id: i64) -> DbResult<Vec<EvidenceRow>> {
        Ok(db_run!(self, pool => sqlx::query_as::<_, EvidenceRow>(
            "SELECT id, update_id, url, label FROM tracked_update_evidence WHERE update_id = $1 ORDER BY id")
            .bind(update_id).fetch_all(pool).await?))
    }

    /// Applies `event` to an update, acted by `actor_id` (staff of the project's scope or not, as the
    /// service established). The rules decide (the author never verifies their own update); the state
    /// change is compare-and-set with its log row, and a verification sets the project's progress and
    /// spend from the update, all in one transaction.
    pub async fn transition_update(
        &self,
        update_id: i64,
        actor_id: i64,
        is_staff: bool,
        event: &UpdateEvent,
    ) -> DbResult<UpdateState> {
        let update = self
            .tracked_update(update_id)
            .await?
            .ok_or(DbError::NotFound)?;
        let actor = UpdateActor {
            is_author: update.author_id == actor_id,
            is_staff,
        };
        let to = evaluation::apply_update(update.state, actor, event).map_err(refused)?;
        let comment = match event {
            UpdateEvent::Return { comment } => comment.trim().to_owned(),
            _ => String::new(),
        };
        let decided = to != UpdateState::Submitted;
        let at = now();
        db_run!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let n = sqlx::query(
                "UPDATE tracked_updates SET state = $1, comment = $2,
                    decided_by = CASE WHEN $3 THEN $4 ELSE decided_by END,
                    decided_at = CASE WHEN $3 THEN $5 ELSE decided_at END
                 WHERE id = $6 AND state = $7")
                .bind(to.as_str()).bind(&comment).bind(decided).bind(actor_id).bind(at)
                .bind(update_id).bind(update.state.as_str())
                .execute(&mut *tx).await?.rows_affected();
            if n == 0 {
                return Err(DbError::Refused(Refusal::Stale));
            }
            sqlx::query(
                "INSERT INTO tracked_update_log (update_id, from_state, to_state, actor_id, comment, at)
                 VALUES ($1, $2, $3, $4, $5, $6)")
                .bind(update_id).bind(update.state.as_str()).bind(to.as_str()).bind(actor_id).bind(&comment).bind(at)
                .execute(&mut *tx).await?;
            if to == UpdateState::Verified {
                sqlx::query(
                    "UPDATE tracked_projects SET progress = $1, spent = COALESCE($2, spent),
                        status = CASE WHEN $1 = 100 THEN 'completed' WHEN status = 'planned' THEN 'in_progress' ELSE status END,
                        updated_at = $3 WHERE id = $4")
                    .bind(update.progress).bind(update.spent).bind(at).bind(update.project_id)
                    .execute(&mut *tx).await?;
            }
            tx.commit().await?;
        });
        Ok(to)
    }
}
