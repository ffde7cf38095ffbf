//! Yearly plans: sections, projects from adopted items with budget lines and indicator placeholders,
//! transitions (compare-and-set, recorded), frozen revisions on each submission and consultation comments.
use maeul_domain::Refusal;
use maeul_domain::plan::{
    self, BudgetSource, ItemState, PlanEvent, PlanRefusal, PlanState, SectionKind,
};

use crate::{BeginWrite, Db, DbError, DbResult, db_run, now, refused};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PlanRow {
    pub id: i64,
    pub scope_id: i64,
    pub year: i64,
    pub basic_plan_start: i64,
    pub title: String,
    #[sqlx(try_from = "String")]
    pub state: PlanState,
    pub resolved_motion_id: Option<i64>,
    pub granted_amount: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SectionRow {
    #[sqlx(try_from = "String")]
    pub kind: SectionKind,
    pub body: String,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ProjectRow {
    pub id: i64,
    pub plan_id: i64,
    pub title: String,
    pub objective: String,
    pub lead_department: String,
    pub partners: String,
    pub schedule: String,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct BudgetLineRow {
    pub id: i64,
    pub project_id: i64,
    #[sqlx(try_from = "String")]
    pub source: BudgetSource,
    pub amount: i64,
    pub note: String,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct IndicatorRow {
    pub id: i64,
    pub project_id: i64,
    pub name: String,
    pub target: Option<String>,
    pub result: Option<String>,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct RevisionRow {
    pub plan_id: i64,
    pub number: i64,
    pub snapshot: String,
    pub submitted_by: Option<i64>,
    pub submitted_at: i64,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PlanCommentRow {
    pub id: i64,
    pub revision: i64,
    pub author_id: Option<i64>,
    pub author_name: Option<String>,
    pub body: String,
    pub created_at: i64,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PlanTransitionRow {
    pub id: i64,
    pub from_state: Option<String>,
    #[sqlx(try_from = "String")]
    pub to_state: PlanState,
    pub actor_name: Option<String>,
    pub note: String,
    pub motion_id: Option<i64>,
    pub at: i64,
}

/// A project of a plan, derived from adopted items.
pub struct NewProject<'a> {
    pub plan_id: i64,
    pub title: &'a str,
    pub objective: &'a str,
    pub lead_department: &'a str,
    pub partners: &'a str,
    pub schedule: &'a str,
    pub item_ids: &'a [i64],
    pub budget_lines: &'a [(BudgetSource, i64, &'a str)],
    pub indicators: &'a [&'a str],
}

/// What is done to a plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PlanAction {
    Resolve { motion_id: i64 },
    Submit,
    OpenConsultation,
    RequestAdjustment { comment: String },
    Resubmit,
    Approve { granted: i64 },
    Execute,
    Close,
    Evaluate,
    Archive,
}

const SELECT_PLAN: &str =
    "SELECT id, scope_id, year, basic_plan_start, title, state, resolved_motion_id, granted_amount,
        created_at, updated_at FROM plans";

impl Db {
    /// Opens the yearly plan of a scope (drafting), with its empty sections.
    pub async fn create_plan(
        &self,
        scope_id: i64,
        year: i64,
        basic_plan_start: i64,
        title: &str,
        by: Option<i64>,
    ) -> DbResult<i64> {
        plan::check_year(year).map_err(refused)?;
        let at = now();
        db_run!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let inserted = sqlx::query_scalar::<_, i64>(
                "INSERT INTO plans (scope_id, year, basic_plan_start, title, state, created_by, created_at, updated_at)
                 VALUES ($1, $2, $3, $4, 'drafting', $5, $6, $6) RETURNING id")
                .bind(scope_id).bind(year).bind(basic_plan_start).bind(title).bind(by).bind(at)
                .fetch_one(&mut *tx).await;
            let id = match inserted {
                Err(sqlx::Error::Database(d)) if d.is_unique_violation() => {
                    return Err(DbError::Refused(Refusal::AlreadyExists));
                }
                other => other?,
            };
            for kind in SectionKind::ALL {
                sqlx::query("INSERT INTO plan_sections (plan_id, kind, body) VALUES ($1, $2, '')")
                    .bind(id).bind(kind.as_str()).execute(&mut *tx).await?;
            }
            sqlx::query("INSERT INTO plan_transitions (plan_id, from_state, to_state, actor_id, at) VALUES ($1, NULL, 'drafting', $2, $3)")
                .bind(id).bind(by).bind(at).execute(&mut *tx).await?;
            tx.commit().await?;
            Ok(id)
        })
    }

    pub async fn plan(&self, id: i64) -> DbResult<Option<PlanRow>> {
        let sql = format!("{SELECT_PLAN} WHERE id = $1");
        Ok(
            db_run!(self, pool => sqlx::query_as::<_, PlanRow>(&sql).bind(id).fetch_optional(pool).await?),
        )
    }

    pub async fn plan_for(&self, scope_id: i64, year: i64) -> DbResult<Option<PlanRow>> {
        let sql = format!("{SELECT_PLAN} WHERE scope_id = $1 AND year = $2");
        Ok(
            db_run!(self, pool => sqlx::query_as::<_, PlanRow>(&sql).bind(scope_id).bind(year).fetch_optional(pool).await?),
        )
    }

    /// The plans of a scope, newest year first.
    pub async fn plans_of(&self, scope_id: i64) -> DbResult<Vec<PlanRow>> {
        let sql = format!("{SELECT_PLAN} WHERE scope_id = $1 ORDER BY year DESC");
        Ok(
            db_run!(self, pool => sqlx::query_as::<_, PlanRow>(&sql).bind(scope_id).fetch_all(pool).await?),
        )
    }

    pub async fn plan_sections(&self, plan_id: i64) -> DbResult<Vec<SectionRow>> {
        let mut rows: Vec<SectionRow> = db_run!(self, pool => sqlx::query_as::<_, SectionRow>(
            "SELECT kind, body FROM plan_sections WHERE plan_id = $1")
            .bind(plan_id).fetch_all(pool).await?);
        rows.sort_by_key(|s| s.kind);
        Ok(rows)
    }

    /// Writes a section's text while the plan is editable (drafting or revising).
    pub async fn set_plan_section(
        &self,
        plan_id: i64,
        kind: SectionKind,
        body: &str,
    ) -> DbResult<()> {
        db_run!(self, pool => {
            let n = sqlx::query(
                "UPDATE plan_sections SET body = $1 WHERE plan_id = $2 AND kind = $3
                   AND EXISTS (SELECT 1 FROM plans p WHERE p.id = $2 AND p.state IN ('drafting', 'revising'))")
                .bind(body).bind(plan_id).bind(kind.as_str()).execute(pool).await?.rows_affected();
            if n == 0 {
                return Err(refused(PlanRefusal::PlanNotEditable));
            }
        });
        Ok(())
    }

    /// Adds a project derived from adopted items held by the plan's scope, with its budget lines and
    /// indicator placeholders, while the plan is editable.
    pub async fn add_plan_project(&self, new: &NewProject<'_>) -> DbResult<i64> {
        let plan = self.plan(new.plan_id).await?.ok_or(DbError::NotFound)?;
        if !plan.state.is_editable() {
            return Err(refused(PlanRefusal::PlanNotEditable));
        }
        for id in new.item_ids {
            let item = self.plan_item(*id).await?;
            if !item.is_some_and(|i| i.state == ItemState::Adopted && i.scope_id == plan.scope_id) {
                return Err(refused(PlanRefusal::ItemNotAdopted));
            }
        }
        if new.budget_lines.iter().any(|(_, amount, _)| *amount < 0) {
            return Err(refused(PlanRefusal::NegativeAmount));
        }
        let at = now();
        db_run!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let n = sqlx::query("UPDATE plans SET updated_at = $1 WHERE id = $2 AND state = $3")
                .bind(at).bind(plan.id).bind(plan.state.as_str()).execute(&mut *tx).await?.rows_affected();
            if n == 0 {
                return Err(DbError::Refused(Refusal::Stale));
            }
            let id = sqlx::query_scalar::<_, i64>(
                "INSERT INTO plan_projects (plan_id, title, objective, lead_department, partners, schedule, created_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id")
                .bind(plan.id).bind(new.title).bind(new.objective).bind(new.lead_department).bind(new.partners)
                .bind(new.schedule).bind(at).fetch_one(&mut *tx).await?;
            for item in new.item_ids {
                sqlx::query("INSERT INTO plan_project_items (project_id, item_id) VALUES ($1, $2) ON CONFLICT DO NOTHING")
                    .bind(id).bind(item).execute(&mut *tx).await?;
            }
            for (source, amount, note) in new.budget_lines {
                sqlx::query("INSERT INTO plan_budget_lines (project_id, source, amount, note) VALUES ($1, $2, $3, $4)")
                    .bind(id).bind(source.as_str()).bind(amount).bind(note).execute(&mut *tx).await?;
            }
            for name in new.indicators {
                sqlx::query("INSERT INTO plan_indicators (project_id, name) VALUES ($1, $2)")
                    .bind(id).bind(name).execute(&mut *tx).await?;
            }
            tx.commit().await?;
            Ok(id)
        })
    }

    pub async fn plan_projects(&self, plan_id: i64) -> DbResult<Vec<ProjectRow>> {
        Ok(db_run!(self, pool => sqlx::query_as::<_, ProjectRow>(
            "SELECT id, plan_id, title, objective, lead_department, partners, schedule FROM plan_projects
             WHERE plan_id = $1 ORDER BY id")
            .bind(plan_id).fetch_all(pool).await?))
    }

    pub async fn plan_project(&self, id: i64) -> DbResult<Option<ProjectRow>> {
        Ok(db_run!(self, pool => sqlx::query_as::<_, ProjectRow>(
            "SELECT id, plan_id, title, objective, lead_department, partners, schedule FROM plan_projects
             WHERE id = $1")
            .bind(id).fetch_optional(pool).await?))
    }

    /// (project id, item id) pairs of a plan's projects.
    pub async fn plan_project_items(&self, plan_id: i64) -> DbResult<Vec<(i64, i64)>> {
        Ok(db_run!(self, pool => sqlx::query_as::<_, (i64, i64)>(
            "SELECT pi.project_id, pi.item_id FROM plan_project_items pi JOIN plan_projects p ON p.id = pi.project_id
             WHERE p.plan_id = $1 ORDER BY pi.project_id, pi.item_id")
            .bind(plan_id).fetch_all(pool).await?))
    }

    pub async fn plan_budget_lines(&self, plan_id: i64) -> DbResult<Vec<BudgetLineRow>> {
        Ok(db_run!(self, pool => sqlx::query_as::<_, BudgetLineRow>(
            "SELECT b.id, b.project_id, b.source, b.amount, b.note FROM plan_budget_lines b
             JOIN plan_projects p ON p.id = b.project_id WHERE p.plan_id = $1 ORDER BY b.project_id, b.id")
            .bind(plan_id).fetch_all(pool).await?))
    }

    pub async fn plan_indicators(&self, plan_id: i64) -> DbResult<Vec<IndicatorRow>> {
        Ok(db_run!(self, pool => sqlx::query_as::<_, IndicatorRow>(
            "SELECT x.id, x.project_id, x.name, x.target, x.result FROM plan_indicators x
             JOIN plan_projects p ON p.id = x.project_id WHERE p.plan_id = $1 ORDER BY x.project_id, x.id")
            .bind(plan_id).fetch_all(pool).await?))
    }

    pub async fn plan_revisions(&self, plan_id: i64) -> DbResult<Vec<RevisionRow>> {
        Ok(db_run!(self, pool => sqlx::query_as::<_, RevisionRow>(
            "SELECT plan_id, number, snapshot, submitted_by, submitted_at FROM plan_revisions
             WHERE plan_id = $1 ORDER BY number")
            .bind(plan_id).fetch_all(pool).await?))
    }

    pub async fn plan_comments(&self, plan_id: i64) -> DbResult<Vec<PlanCommentRow>> {
        Ok(db_run!(self, pool => sqlx::query_as::<_, PlanCommentRow>(
            "SELECT c.id, c.revision, c.author_id, u.display_name AS author_name, c.body, c.created_at
             FROM plan_comments c LEFT JOIN users u ON u.id = c.author_id WHERE c.plan_id = $1 ORDER BY c.id")
            .bind(plan_id).fetch_all(pool).await?))
    }

    pub async fn plan_transitions(&self, plan_id: i64) -> DbResult<Vec<PlanTransitionRow>> {
        Ok(
            db_run!(self, pool => sqlx::query_as::<_, PlanTransitionRow>(
            "SELECT t.id, t.from_state, t.to_state, u.display_name AS actor_name, t.note, t.motion_id, t.at
             FROM plan_transitions t LEFT JOIN users u ON u.id = t.actor_id WHERE t.plan_id = $1 ORDER BY t.id")
            .bind(plan_id).fetch_all(pool).await?),
        )
    }

    /// The plan as text, one line per fact, in a stable order: what a revision freezes (and what the
    /// difference between two revisions compares).
    pub async fn plan_snapshot(&self, plan: &PlanRow) -> DbResult<String> {
        let one_line = |s: &str| s.replace(['\r', '\n'], " ");
        let mut out = vec![format!("title: {}", one_line(&plan.title))];
        for s in self.plan_sections(plan.id).await? {
            out.push(format!(
                "section {}: {}",
                s.kind.as_str(),
                one_line(&s.body)
            ));
        }
        let items = self.plan_project_items(plan.id).await?;
        let lines = self.plan_budget_lines(plan.id).await?;
        for p in self.plan_projects(plan.id).await? {
            out.push(format!("project {}: {}", p.id, one_line(&p.title)));
            out.push(format!(
                "project {} objective: {}",
                p.id,
                one_line(&p.objective)
            ));
            out.push(format!(
                "project {} lead: {}",
                p.id,
                one_line(&p.lead_department)
            ));
            out.push(format!(
                "project {} partners: {}",
                p.id,
                one_line(&p.partners)
            ));
            out.push(format!(
                "project {} schedule: {}",
                p.id,
                one_line(&p.schedule)
            ));
            let ids: Vec<String> = items
                .iter()
                .filter(|(project, _)| *project == p.id)
                .map(|(_, item)| item.to_string())
                .collect();
            out.push(format!("project {} items: {}", p.id, ids.join(",")));
            for b in lines.iter().filter(|b| b.project_id == p.id) {
                out.push(format!(
                    "project {} budget {}: {}",
                    p.id,
                    b.source.as_str(),
                    b.amount
                ));
            }
        }
        Ok(out.join("\n"))
    }

    /// Applies `action` to a plan. Rules checked (resolution by a carried motion of the scope's committee,
    /// submission only once resolved, …); the compare-and-set state change, its transition row, and the
    /// frozen revision (submit, resubmit) or the consultation comment (request adjustment) commit together.
    pub async fn transition_plan(
        &self,
        plan_id: i64,
        actor: Option<i64>,
        action: &PlanAction,
    ) -> DbResult<PlanState> {
        let plan = self.plan(plan_id).await?.ok_or(DbError::NotFound)?;
        let (event, motion_id) = match action {
            PlanAction::Resolve { motion_id } => {
                let motion = match self.motion_check(*motion_id).await {
                    Err(DbError::NotFound) => return Err(refused(PlanRefusal::MotionNotCarried)),
                    other => other?,
                };
                (PlanEvent::Resolve { motion }, Some(*motion_id))
            }
            PlanAction::Submit => (PlanEvent::Submit, None),
            PlanAction::OpenConsultation => (PlanEvent::OpenConsultation, None),
            PlanAction::RequestAdjustment { comment } => (
                PlanEvent::RequestAdjustment {
                    comment: comment.clone(),
                },
                None,
            ),
            PlanAction::Resubmit => (PlanEvent::Resubmit, None),
            PlanAction::Approve { granted } => (PlanEvent::Approve { granted: *granted }, None),
            PlanAction::Execute => (PlanEvent::Execute, None),
            PlanAction::Close => (PlanEvent::Close, None),
            PlanAction::Evaluate => (PlanEvent::Evaluate, None),
            PlanAction::Archive => (PlanEvent::Archive, None),
        };
        let to = plan::apply_plan(plan.state, plan.scope_id, &event).map_err(refused)?;
        let snapshot = if event.freezes_revision() {
            Some(self.plan_snapshot(&plan).await?)
        } else {
            None
        };
        let comment = match action {
            PlanAction::RequestAdjustment { comment } => Some(comment.trim().to_owned()),
            _ => None,
        };
        let granted = match action {
            PlanAction::Approve { granted } => Some(*granted),
            _ => None,
        };
        let note = comment.clone().unwrap_or_default();
        let at = now();
        db_run!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let n = sqlx::query(
                "UPDATE plans SET state = $1, updated_at = $2, resolved_motion_id = COALESCE($3, resolved_motion_id),
                    granted_amount = COALESCE($4, granted_amount)
                 WHERE id = $5 AND state = $6")
                .bind(to.as_str()).bind(at).bind(motion_id).bind(granted).bind(plan_id).bind(plan.state.as_str())
                .execute(&mut *tx).await?.rows_affected();
            if n == 0 {
                return Err(DbError::Refused(Refusal::Stale));
            }
            let revisions: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM plan_revisions WHERE plan_id = $1")
                .bind(plan_id).fetch_one(&mut *tx).await?;
            if let Some(snapshot) = &snapshot {
                sqlx::query(
                    "INSERT INTO plan_revisions (plan_id, number, snapshot, submitted_by, submitted_at)
                     VALUES ($1, $2, $3, $4, $5)")
                    .bind(plan_id).bind(revisions + 1).bind(snapshot).bind(actor).bind(at)
                    .execute(&mut *tx).await?;
            }
            if let Some(comment) = &comment {
                sqlx::query("INSERT INTO plan_comments (plan_id, revision, author_id, body, created_at) VALUES ($1, $2, $3, $4, $5)")
                    .bind(plan_id).bind(revisions).bind(actor).bind(comment).bind(at)
                    .execute(&mut *tx).await?;
            }
            sqlx::query(
                "INSERT INTO plan_transitions (plan_id, from_state, to_state, actor_id, note, motion_id, at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7)")
                .bind(plan_id).bind(plan.state.as_str()).bind(to.as_str()).bind(actor).bind(&note)
                .bind(motion_id).bind(at)
                .execute(&mut *tx).await?;
            tx.commit().await?;
        });
        Ok(to)
    }
}
