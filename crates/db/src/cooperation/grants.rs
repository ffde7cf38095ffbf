//! Small grants: calls with weighted criteria, applications with their budgets, reviewers' scores (a
//! reviewer who belongs to the applicant organization is refused), and the published ranking with awards.
use maeul_domain::Refusal;
use maeul_domain::cooperation::{self, CooperationRefusal, Eligibility, GrantCallState, Ranked};

use crate::{BeginWrite, Db, DbError, DbResult, db_run, now, refused};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct GrantCallRow {
    pub id: i64,
    pub scope_id: i64,
    pub title: String,
    pub description: String,
    pub budget: i64,
    #[sqlx(try_from = "String")]
    pub eligibility: Eligibility,
    #[sqlx(try_from = "String")]
    pub state: GrantCallState,
    pub opens_at: i64,
    pub closes_at: i64,
    pub created_at: i64,
    pub published_at: Option<i64>,
}

pub struct NewGrantCall<'a> {
    pub scope_id: i64,
    pub title: &'a str,
    pub description: &'a str,
    pub budget: i64,
    pub eligibility: Eligibility,
    pub opens_at: i64,
    pub closes_at: i64,
    /// (name, weight), in order.
    pub criteria: &'a [(&'a str, i64)],
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CriterionRow {
    pub id: i64,
    pub call_id: i64,
    pub name: String,
    pub weight: i64,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct GrantApplicationRow {
    pub id: i64,
    pub call_id: i64,
    pub organization_id: Option<i64>,
    pub organization_name: Option<String>,
    pub applicant_id: i64,
    pub applicant_name: String,
    pub title: String,
    pub plan: String,
    pub amount: i64,
    pub created_at: i64,
    pub rank: Option<i64>,
    pub awarded_at: Option<i64>,
}

/// One reviewer's score of one application on one criterion.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ScoreRow {
    pub application_id: i64,
    pub reviewer_id: i64,
    pub criterion_id: i64,
    pub score: i64,
}

const SELECT_CALL: &str = "SELECT id, scope_id, title, description, budget, eligibility, state, opens_at, closes_at, created_at,
        published_at FROM coop_grant_calls";

const SELECT_APPLICATION: &str = "SELECT a.id, a.call_id, a.organization_id, o.name AS organization_name, a.applicant_id,
        u.display_name AS applicant_name, a.title, a.plan, a.amount, a.created_at, a.rank, a.awarded_at
     FROM coop_grant_applications a JOIN users u ON u.id = a.applicant_id
     LEFT JOIN coop_organizations o ON o.id = a.organization_id";

impl Db {
    /// Opens a call with its criteria (one transaction).
    pub async fn create_grant_call(&self, c: &NewGrantCall<'_>) -> DbResult<i64> {
        let weights: Vec<i64> = c.criteria.iter().map(|(_, w)| *w).collect();
        cooperation::check_weights(&weights).map_err(refused)?;
        let at = now();
        db_run!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO coop_grant_calls (scope_id, title, description, budget, eligibility, state, opens_at, closes_at, created_at)
                 VALUES ($1, $2, $3, $4, $5, 'open', $6, $7, $8) RETURNING id")
                .bind(c.scope_id).bind(c.title).bind(c.description).bind(c.budget).bind(c.eligibility.as_str())
                .bind(c.opens_at).bind(c.closes_at).bind(at).fetch_one(&mut *tx).await?;
            for (i, (name, weight)) in c.criteria.iter().enumerate() {
                sqlx::query("INSERT INTO coop_grant_criteria (call_id, name, weight, position) VALUES ($1, $2, $3, $4)")
                    .bind(id).bind(*name).bind(*weight).bind(i as i64).execute(&mut *tx).await?;
            }
            tx.commit().await?;
            Ok::<i64, DbError>(id)
        })
    }

    pub async fn grant_call(&self, id: i64) -> DbResult<Option<GrantCallRow>> {
        let sql = format!("{SELECT_CALL} WHERE id = $1");
        Ok(
            db_run!(self, pool => sqlx::query_as::<_, GrantCallRow>(&sql).bind(id).fetch_optional(pool).await?),
        )
    }

    pub async fn grant_calls(&self) -> DbResult<Vec<GrantCallRow>> {
        let sql = format!("{SELECT_CALL} ORDER BY id DESC");
        Ok(db_run!(self, pool => sqlx::query_as::<_, GrantCallRow>(&sql).fetch_all(pool).await?))
    }

    pub async fn grant_criteria(&self, call_id: i64) -> DbResult<Vec<CriterionRow>> {
        Ok(db_run!(self, pool => sqlx::query_as::<_, CriterionRow>(
            "SELECT id, call_id, name, weight FROM coop_grant_criteria WHERE call_id = $1 ORDER BY position, id")
            .bind(call_id).fetch_all(pool).await?))
    }

    /// Submits an application while the call is open, for at most the call's budget.
    pub async fn apply_for_grant(
        &self,
        call_id: i64,
        organization_id: Option<i64>,
        applicant: i64,
        title: &str,
        plan: &str,
        amount: i64,
    ) -> DbResult<i64> {
        let call = self.grant_call(call_id).await?.ok_or(DbError::NotFound)?;
        if amount > call.budget {
            return Err(refused(CooperationRefusal::AmountOverBudget));
        }
        let id: Option<i64> = db_run!(self, pool => sqlx::query_scalar(
            "INSERT INTO coop_grant_applications (call_id, organization_id, applicant_id, title, plan, amount, created_at)
             SELECT $1, $2, $3, $4, $5, $6, $7 WHERE EXISTS (SELECT 1 FROM coop_grant_calls WHERE id = $1 AND state = 'open')
             RETURNING id")
            .bind(call_id).bind(organization_id).bind(applicant).bind(title).bind(plan).bind(amount).bind(now())
            .fetch_optional(pool).await?);
        id.ok_or(refused(CooperationRefusal::CallNotOpen))
    }

    pub async fn grant_application(&self, id: i64) -> DbResult<Option<GrantApplicationRow>> {
        let sql = format!("{SELECT_APPLICATION} WHERE a.id = $1");
        Ok(
            db_run!(self, pool => sqlx::query_as::<_, GrantApplicationRow>(&sql).bind(id).fetch_optional(pool).await?),
        )
    }

    pub async fn grant_applications(&self, call_id: i64) -> DbResult<Vec<GrantApplicationRow>> {
        let sql = format!(
            "{SELECT_APPLICATION} WHERE a.call_id = $1 ORDER BY COALESCE(a.rank, 1000000), a.id"
        );
        Ok(
            db_run!(self, pool => sqlx::query_as::<_, GrantApplicationRow>(&sql).bind(call_id).fetch_all(pool).await?),
        )
    }

    /// A reviewer's scores of an application, one per criterion (`(criterion id, score)`), replacing any
    /// earlier ones. A reviewer who belongs to the applicant organization is refused (conflict of interest).
    pub async fn score_grant_application(
        &self,
        application_id: i64,
        reviewer: i64,
        scores: &[(i64, i64)],
    ) -> DbResult<()> {
        let app = self
            .grant_application(application_id)
            .await?
            .ok_or(DbError::NotFound)?;
        let call = self
            .grant_call(app.call_id)
            .await?
            .ok_or(DbError::NotFound)?;
        if call.state == GrantCallState::Published {
            return Err(refused(CooperationRefusal::CallNotOpen));
        }
        let orgs: Vec<i64> = self
            .memberships_of(reviewer)
            .await?
            .iter()
            .map(|m| m.organization_id)
            .collect();
        let values: Vec<i64> = scores.iter().map(|(_, s)| *s).collect();
        cooperation::check_review(&orgs, app.organization_id, &values).map_err(refused)?;
        let criteria = self.grant_criteria(app.call_id).await?;
        if scores.len() != criteria.len()
            || !criteria
                .iter()
                .all(|c| scores.iter().any(|(id, _)| *id == c.id))
        {
            return Err(DbError::Refused(Refusal::field(
                "scores",
                maeul_domain::account::FieldError::Required,
            )));
        }
        let at = now();
        db_run!(self, pool => {
            let mut tx = pool.begin_write().await?;
            for (criterion, score) in scores {
                sqlx::query(
                    "INSERT INTO coop_grant_scores (application_id, reviewer_id, criterion_id, score, scored_at)
                     VALUES ($1, $2, $3, $4, $5)
                     ON CONFLICT (application_id, reviewer_id, criterion_id) DO UPDATE SET score = $4, scored_at = $5")
                    .bind(application_id).bind(reviewer).bind(criterion).bind(score).bind(at)
                    .execute(&mut *tx).await?;
            }
            tx.commit().await?;
        });
        Ok(())
    }

    /// Every score given in a call.
    pub async fn grant_scores(&self, call_id: i64) -> DbResult<Vec<ScoreRow>> {
        Ok(db_run!(self, pool => sqlx::query_as::<_, ScoreRow>(
            "SELECT s.application_id, s.reviewer_id, s.criterion_id, s.score FROM coop_grant_scores s
             JOIN coop_grant_applications a ON a.id = s.application_id WHERE a.call_id = $1
             ORDER BY s.application_id, s.reviewer_id, s.criterion_id")
            .bind(call_id).fetch_all(pool).await?))
    }

    /// Publishes the ranking (compare-and-set from open or reviewing): each application's rank and, for
    /// the awarded ones, the award, in one transaction.
    pub async fn publish_grant_results(&self, call_id: i64, ranking: &[Ranked]) -> DbResult<()> {
        let at = now();
        db_run!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let n = sqlx::query(
                "UPDATE coop_grant_calls SET state = 'published', published_at = $1 WHERE id = $2 AND state <> 'published'")
                .bind(at).bind(call_id).execute(&mut *tx).await?.rows_affected();
            if n == 0 {
                return Err(DbError::Refused(Refusal::Stale));
            }
            for r in ranking {
                sqlx::query("UPDATE coop_grant_applications SET rank = $1, awarded_at = $2 WHERE id = $3 AND call_id = $4")
                    .bind(i64::from(r.rank)).bind(r.awarded.then_some(at)).bind(r.id).bind(call_id)
                    .execute(&mut *tx).await?;
            }
            tx.commit().await?;
            Ok::<(), DbError>(())
        })
    }

    /// Tracks every awarded application of a published call as a project (evaluation's tracked projects:
    /// its budget the awarded amount, its year the award's), once per award: the application's row is
    /// written first so concurrent calls are ordered, and `coop_grant_projects` keys the link by the
    /// application. Returns the tracked projects' ids in the ranking's order.
    pub async fn track_grant_awards(&self, call_id: i64) -> DbResult<Vec<i64>> {
        let call = self.grant_call(call_id).await?.ok_or(DbError::NotFound)?;
        let mut ids = Vec::new();
        for app in self.grant_applications(call_id).await? {
            let Some(awarded_at) = app.awarded_at else {
                continue;
            };
            let year = i64::from(maeul_domain::time::local_year(awarded_at));
            let at = now();
            let id: i64 = db_run!(self, pool => {
                let mut tx = pool.begin_write().await?;
                sqlx::query("UPDATE coop_grant_applications SET awarded_at = awarded_at WHERE id = $1")
                    .bind(app.id).execute(&mut *tx).await?;
                let existing: Option<i64> = sqlx::query_scalar(
                    "SELECT tracked_project_id FROM coop_grant_projects WHERE application_id = $1")
                    .bind(app.id).fetch_optional(&mut *tx).await?;
                let id = match existing {
                    Some(id) => id,
                    None => {
                        let id: i64 = sqlx::query_scalar(
                            "INSERT INTO tracked_projects (scope_id, year, title, status, budget, created_at, updated_at)
                             VALUES ($1, $2, $3, 'planned', $4, $5, $5) RETURNING id")
                            .bind(call.scope_id).bind(year).bind(&app.title).bind(app.amount).bind(at)
                            .fetch_one(&mut *tx).await?;
                        sqlx::query(
                            "INSERT INTO coop_grant_projects (application_id, tracked_project_id, created_at) VALUES ($1, $2, $3)")
                            .bind(app.id).bind(id).bind(at).execute(&mut *tx).await?;
                        id
                    }
                };
                tx.commit().await?;
                id
            });
            ids.push(id);
        }
        Ok(ids)
    }

    /// The tracked project of an awarded application, if it is tracked.
    pub async fn grant_project(&self, application_id: i64) -> DbResult<Option<i64>> {
        Ok(db_run!(self, pool => sqlx::query_scalar(
            "SELECT tracked_project_id FROM coop_grant_projects WHERE application_id = $1")
            .bind(application_id).fetch_optional(pool).await?))
    }

    /// Every tracked award: (application, tracked project, the project's status name), for the figures.
    pub async fn grant_projects(&self) -> DbResult<Vec<GrantProjectRow>> {
        Ok(db_run!(self, pool => sqlx::query_as::<_, GrantProjectRow>(
            "SELECT g.application_id, g.tracked_project_id, a.call_id, t.status, t.progress, t.spent
             FROM coop_grant_projects g JOIN tracked_projects t ON t.id = g.tracked_project_id
             JOIN coop_grant_applications a ON a.id = g.application_id ORDER BY g.application_id")
            .fetch_all(pool).await?))
    }
}

/// An awarded application tracked as a project, with where the project stands.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct GrantProjectRow {
    pub application_id: i64,
    pub tracked_project_id: i64,
    pub call_id: i64,
    #[sqlx(try_from = "String")]
    pub status: maeul_domain::evaluation::ProjectStatus,
    pub progress: i64,
    pub spent: i64,
}
