//! Processes and projects. A phase change is compare-and-set (`WHERE phase = $from`) with its log row and
//! audit entry in the same transaction; a project is submitted only while proposals are open (the insert
//! checks the phase itself) and reviewed by compare-and-set on its state and its process's phase.
use maeul_domain::Refusal;
use maeul_domain::audit::AuditAction;
use maeul_domain::budget::project::check_cost;
use maeul_domain::budget::{
    BallotConfig, BallotKind, BudgetRefusal, Phase, PhaseEvent, ProjectState, ReviewEvent,
    Schedule, ShortlistMotion, VoterBases, apply_phase, apply_review, require_shortlist_motion,
};
use maeul_domain::notify::EventKind;

use crate::audit::{Subject, audit_query};
use crate::secrets::random_token;
use crate::{BeginWrite, Db, DbError, DbResult, db_run, now, refused};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ProcessRow {
    pub id: i64,
    pub envelope_id: i64,
    pub scope_id: i64,
    pub title: String,
    #[sqlx(try_from = "String")]
    pub phase: Phase,
    pub cancel_reason: String,
    pub budget: i64,
    pub rule: String,
    #[sqlx(try_from = "String")]
    pub ballot_kind: BallotKind,
    pub min_projects: i64,
    pub max_projects: i64,
    pub points: i64,
    pub min_age: i64,
    /// The residence bases that take part.
    #[sqlx(try_from = "String")]
    pub voter_bases: VoterBases,
    pub created_at: i64,
    pub updated_at: i64,
    pub proposals_open_at: Option<i64>,
    pub proposals_close_at: Option<i64>,
    pub voting_open_at: Option<i64>,
    pub voting_close_at: Option<i64>,
    /// Shares of the count per voter group (online, committee, budget school); all 0 = unweighted.
    pub weight_online: i64,
    pub weight_committee: i64,
    pub weight_school: i64,
    /// Per-category quotas of an approval ballot (`maeul_domain::budget::parse_quotas`).
    pub quotas: String,
    /// 1 when imported from a `.pb` file.
    pub imported: i64,
    /// When the leftover of an approved process was returned up or carried over.
    pub leftover_applied: Option<i64>,
}

impl ProcessRow {
    /// The dates that move the process by themselves.
    pub fn schedule(&self) -> Schedule {
        Schedule {
            proposals_open_at: self.proposals_open_at,
            proposals_close_at: self.proposals_close_at,
            voting_open_at: self.voting_open_at,
            voting_close_at: self.voting_close_at,
        }
    }

    /// The group shares (online, committee, school), or `None` when every ballot weighs the same.
    pub fn group_shares(&self) -> Option<[u32; 3]> {
        let n = |v: i64| u32::try_from(v).unwrap_or(0);
        let shares = [
            n(self.weight_online),
            n(self.weight_committee),
            n(self.weight_school),
        ];
        (shares.iter().any(|s| *s > 0)).then_some(shares)
    }

    /// The configured quotas (malformed stored text reads as none; it is checked when written).
    pub fn quota_list(&self) -> Vec<(String, u32)> {
        maeul_domain::budget::parse_quotas(&self.quotas).unwrap_or_default()
    }

    pub fn ballot_config(&self) -> BallotConfig {
        let n = |v: i64| u32::try_from(v).unwrap_or(0);
        BallotConfig {
            kind: self.ballot_kind,
            min_projects: n(self.min_projects),
            max_projects: n(self.max_projects),
            points: n(self.points),
        }
    }
}

pub struct NewProcess<'a> {
    pub envelope_id: i64,
    pub title: &'a str,
    /// Won to award (at most the envelope's own part).
    pub budget: u64,
    /// The engine's rule key (`mes_cost_add1`, …), checked by the caller against `maeul_pb::Rule`.
    pub rule: &'a str,
    pub ballot: BallotConfig,
    pub min_age: u32,
    pub created_by: Option<i64>,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PhaseLogRow {
    pub from_phase: String,
    #[sqlx(try_from = "String")]
    pub to_phase: Phase,
    pub actor_id: Option<i64>,
    pub reason: String,
    pub at: i64,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ProjectRow {
    pub id: i64,
    pub process_id: i64,
    pub proposer_id: Option<i64>,
    pub title: String,
    pub description: String,
    pub category: String,
    pub location: String,
    pub cost: i64,
    pub months: Option<i64>,
    #[sqlx(try_from = "String")]
    pub state: ProjectState,
    pub review_reason: String,
    pub proposal_id: Option<i64>,
    pub created_at: i64,
    /// The carried committee motion that decided the shortlist (or the drop), when one was cited.
    pub shortlist_motion_id: Option<i64>,
}

/// The project a proposal became, with its process (for the proposal's page).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ProposalProject {
    pub project_id: i64,
    pub project_title: String,
    pub process_id: i64,
    pub process_title: String,
}

/// A motion cited by a shortlist decision, with the meeting whose page shows it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CitedMotion {
    pub id: i64,
    pub title: String,
    pub meeting_id: i64,
}

pub struct NewProject<'a> {
    pub process_id: i64,
    pub proposer_id: Option<i64>,
    pub title: &'a str,
    pub description: &'a str,
    pub category: &'a str,
    pub location: &'a str,
    pub cost: u64,
    pub proposal_id: Option<i64>,
}

pub(super) const SELECT_PROCESS: &str = "SELECT id, envelope_id, scope_id, title, phase, cancel_reason, budget, rule,
    ballot_kind, min_projects, max_projects, points, min_age, voter_bases, created_at, updated_at, proposals_open_at,
    proposals_close_at, voting_open_at, voting_close_at, weight_online, weight_committee, weight_school, quotas,
    imported, leftover_applied FROM budget_processes";
pub(super) const SELECT_PROJECT: &str =
    "SELECT id, process_id, proposer_id, title, description, category, location,
    cost, months, state, review_reason, proposal_id, created_at, shortlist_motion_id FROM budget_projects";

fn stale() -> DbError {
    DbError::Refused(Refusal::Stale)
}

fn won(v: u64) -> DbResult<i64> {
    i64::try_from(v).map_err(|_| {
        refused(BudgetRefusal::CostOverEnvelope {
            cost: v,
            envelope: i64::MAX as u64,
        })
    })
}

impl Db {
    /// Creates a process on an envelope, in phase `configured`.
    pub async fn create_process(&self, p: &NewProcess<'_>) -> DbResult<i64> {
        let envelope = self
            .envelope(p.envelope_id)
            .await?
            .ok_or(DbError::NotFound)?;
        p.ballot.check().map_err(refused)?;
        let own = u64::try_from(envelope.own()).unwrap_or(0);
        if p.budget == 0 {
            return Err(refused(BudgetRefusal::CostZero));
        }
        if p.budget > own {
            return Err(refused(BudgetRefusal::CostOverEnvelope {
                cost: p.budget,
                envelope: own,
            }));
        }
        let at = now();
        let key = random_token();
        Ok(db_run!(self, pool => sqlx::query_scalar::<_, i64>(
            "INSERT INTO budget_processes (envelope_id, scope_id, title, phase, budget, rule, ballot_kind, min_projects,
                max_projects, points, min_age, pseudonym_key, created_by, created_at, updated_at)
             VALUES ($1, $2, $3, 'configured', $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13) RETURNING id")
            .bind(envelope.id).bind(envelope.scope_id).bind(p.title).bind(won(p.budget)?).bind(p.rule)
            .bind(p.ballot.kind.as_str()).bind(i64::from(p.ballot.min_projects)).bind(i64::from(p.ballot.max_projects))
            .bind(i64::from(p.ballot.points)).bind(i64::from(p.min_age)).bind(&key).bind(p.created_by).bind(at)
            .fetch_one(pool).await?))
    }

    pub async fn process(&self, id: i64) -> DbResult<Option<ProcessRow>> {
        let sql = format!("{SELECT_PROCESS} WHERE id = $1");
        Ok(
            db_run!(self, pool => sqlx::query_as::<_, ProcessRow>(&sql).bind(id).fetch_optional(pool).await?),
        )
    }

    /// Every process (of one scope when given), newest first.
    pub async fn processes(&self, scope_id: Option<i64>) -> DbResult<Vec<ProcessRow>> {
        let sql = format!("{SELECT_PROCESS} WHERE ($1 IS NULL OR scope_id = $1) ORDER BY id DESC");
        Ok(
            db_run!(self, pool => sqlx::query_as::<_, ProcessRow>(&sql).bind(scope_id).fetch_all(pool).await?),
        )
    }

    /// Applies a phase event (compare-and-set), logging it, auditing it and recording the event that
    /// notifies the process's followers in the same transaction; closing the vote also queues its count
    /// (one job per process, run by the background worker).
    pub async fn transition_process(
        &self,
        id: i64,
        event: &PhaseEvent,
        by: Option<i64>,
    ) -> DbResult<Phase> {
        self.transition_process_from(id, None, event, by).await
    }

    /// [`Db::transition_process`], only if the process is still in `expected` (when given): a dated move
    /// decided on an earlier read never moves a process someone else moved meanwhile.
    pub async fn transition_process_from(
        &self,
        id: i64,
        expected: Option<Phase>,
        event: &PhaseEvent,
        by: Option<i64>,
    ) -> DbResult<Phase> {
        let process = self.process(id).await?.ok_or(DbError::NotFound)?;
        if expected.is_some_and(|e| e != process.phase) {
            return Err(stale());
        }
        if process.imported != 0 {
            return Err(refused(BudgetRefusal::Historical));
        }
        let shortlisted = self
            .projects_of(id)
            .await?
            .iter()
            .filter(|p| p.state.on_ballot())
            .count() as u32;
        let event = match event {
            PhaseEvent::Advance { .. } => PhaseEvent::Advance { shortlisted },
            other => other.clone(),
        };
        let from = process.phase;
        let to = apply_phase(from, &event).map_err(refused)?;
        let reason = match &event {
            PhaseEvent::Cancel { reason } => reason.trim().to_owned(),
            _ => String::new(),
        };
        let at = now();
        db_run!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let n = sqlx::query("UPDATE budget_processes SET phase = $1, cancel_reason = $2, updated_at = $3 WHERE id = $4 AND phase = $5")
                .bind(to.as_str()).bind(&reason).bind(at).bind(id).bind(from.as_str())
                .execute(&mut *tx).await?.rows_affected();
            if n == 0 {
                return Err(stale());
            }
            sqlx::query("INSERT INTO budget_phase_log (process_id, from_phase, to_phase, actor_id, reason, at) VALUES ($1, $2, $3, $4, $5, $6)")
                .bind(id).bind(from.as_str()).bind(to.as_str()).bind(by).bind(&reason).bind(at)
                .execute(&mut *tx).await?;
            audit_query!(by, AuditAction::BudgetPhase, Subject::Scope(process.scope_id),
                &[("process", id.to_string()), ("from", from.as_str().to_owned()), ("to", to.as_str().to_owned())], at)
                .execute(&mut *tx).await?;
            crate::record_event!(tx, EventKind::BudgetPhase, None::<i64>, None::<i64>, by,
                super::schedule::event_detail(id, to, &process.title), at);
            if to == Phase::VotingClosed {
                sqlx::query(super::schedule::QUEUE_COUNT)
                    .bind(super::KIND_BUDGET_COUNT).bind(id.to_string()).bind(format!("budget_count:{id}")).bind(at)
                    .execute(&mut *tx).await?;
            }
            tx.commit().await?;
            Ok(to)
        })
    }

    /// A process's phase changes, oldest first.
    pub async fn phase_log(&self, process_id: i64) -> DbResult<Vec<PhaseLogRow>> {
        Ok(db_run!(self, pool => sqlx::query_as::<_, PhaseLogRow>(
            "SELECT from_phase, to_phase, actor_id, reason, at FROM budget_phase_log WHERE process_id = $1 ORDER BY id")
            .bind(process_id).fetch_all(pool).await?))
    }

    /// Submits a project; refused unless proposals are open (checked by the insert itself) or when its
    /// cost is 0 or above the process's budget.
    pub async fn submit_project(&self, p: &NewProject<'_>) -> DbResult<i64> {
        let process = self.process(p.process_id).await?.ok_or(DbError::NotFound)?;
        check_cost(p.cost, u64::try_from(process.budget).unwrap_or(0)).map_err(refused)?;
        let at = now();
        let id = db_run!(self, pool => sqlx::query_scalar::<_, i64>(
            "INSERT INTO budget_projects (process_id, proposer_id, title, description, category, location, cost, state,
                proposal_id, created_at, updated_at)
             SELECT id, $2, $3, $4, $5, $6, $7, 'submitted', $8, $9, $9 FROM budget_processes
              WHERE id = $1 AND phase = 'proposals_open' RETURNING id")
            .bind(p.process_id).bind(p.proposer_id).bind(p.title).bind(p.description).bind(p.category)
            .bind(p.location).bind(won(p.cost)?).bind(p.proposal_id).bind(at)
            .fetch_optional(pool).await.map_err(|e| match &e {
                // One project per proposal (`budget_projects_proposal`), also under concurrent links.
                sqlx::Error::Database(d) if d.is_unique_violation() => refused(BudgetRefusal::ProposalAlreadyLinked),
                _ => DbError::from(e),
            })?);
        id.ok_or_else(|| {
            refused(BudgetRefusal::WrongPhase {
                phase: process.phase.label_id(),
            })
        })
    }

    pub async fn project(&self, id: i64) -> DbResult<Option<ProjectRow>> {
        let sql = format!("{SELECT_PROJECT} WHERE id = $1");
        Ok(
            db_run!(self, pool => sqlx::query_as::<_, ProjectRow>(&sql).bind(id).fetch_optional(pool).await?),
        )
    }

    /// A process's projects, in the order they were submitted.
    pub async fn projects_of(&self, process_id: i64) -> DbResult<Vec<ProjectRow>> {
        let sql = format!("{SELECT_PROJECT} WHERE process_id = $1 ORDER BY id");
        Ok(
            db_run!(self, pool => sqlx::query_as::<_, ProjectRow>(&sql).bind(process_id).fetch_all(pool).await?),
        )
    }

    /// The project a proposal became, if any (at most one: `budget_projects_proposal`).
    pub async fn project_of_proposal(&self, proposal_id: i64) -> DbResult<Option<ProposalProject>> {
        Ok(db_run!(self, pool => sqlx::query_as::<_, ProposalProject>(
            "SELECT p.id AS project_id, p.title AS project_title, pr.id AS process_id, pr.title AS process_title
             FROM budget_projects p JOIN budget_processes pr ON pr.id = p.process_id WHERE p.proposal_id = $1")
            .bind(proposal_id).fetch_optional(pool).await?))
    }

    /// The motions cited by the shortlist decisions of a process's projects.
    pub async fn cited_motions(&self, process_id: i64) -> DbResult<Vec<CitedMotion>> {
        Ok(db_run!(self, pool => sqlx::query_as::<_, CitedMotion>(
            "SELECT DISTINCT mo.id, mo.title, mo.meeting_id FROM budget_projects p JOIN motions mo ON mo.id = p.shortlist_motion_id
             WHERE p.process_id = $1 ORDER BY mo.id")
            .bind(process_id).fetch_all(pool).await?))
    }

    /// Reviews a project (feasibility, shortlist, withdrawal): the rule decides, the write is
    /// compare-and-set on the project's state and its process's phase, audited in the same transaction.
    /// A feasible review sets the reviewed cost and duration.
    pub async fn review_project(
        &self,
        id: i64,
        event: &ReviewEvent,
        by: Option<i64>,
    ) -> DbResult<ProjectState> {
        self.review_project_citing(id, event, None, by).await
    }

    /// [`Db::review_project`], a shortlist decision (shortlist or drop) citing the carried motion of a
    /// committee of the process's scope that decided it (`maeul_domain::budget::require_shortlist_motion`),
    /// stored with the decision; a motion cited with any other event is refused as not carried.
    pub async fn review_project_citing(
        &self,
        id: i64,
        event: &ReviewEvent,
        motion_id: Option<i64>,
        by: Option<i64>,
    ) -> DbResult<ProjectState> {
        let project = self.project(id).await?.ok_or(DbError::NotFound)?;
        let process = self
            .process(project.process_id)
            .await?
            .ok_or(DbError::NotFound)?;
        if process.imported != 0 {
            return Err(refused(BudgetRefusal::Historical));
        }
        let decides_shortlist = matches!(event, ReviewEvent::Shortlist | ReviewEvent::Drop);
        if let Some(motion) = motion_id {
            let check = match self.motion_check(motion).await {
                Err(DbError::NotFound) => return Err(refused(BudgetRefusal::MotionNotCarried)),
                other => other?,
            };
            if !decides_shortlist {
                return Err(refused(BudgetRefusal::MotionNotCarried));
            }
            require_shortlist_motion(
                &ShortlistMotion {
                    carried: check.carried,
                    committee_scope_id: check.committee_scope_id,
                },
                process.scope_id,
            )
            .map_err(refused)?;
        }
        let cited = if decides_shortlist {
            motion_id
        } else {
            project.shortlist_motion_id
        };
        let event = match event {
            ReviewEvent::Feasible { cost, months, .. } => ReviewEvent::Feasible {
                cost: *cost,
                months: *months,
                envelope: u64::try_from(process.budget).unwrap_or(0),
            },
            other => other.clone(),
        };
        let to = apply_review(project.state, process.phase, &event).map_err(refused)?;
        let (cost, months, reason) = match &event {
            ReviewEvent::Feasible { cost, months, .. } => {
                (won(*cost)?, Some(i64::from(*months)), String::new())
            }
            ReviewEvent::Infeasible { reason } => {
                (project.cost, project.months, reason.trim().to_owned())
            }
            _ => (project.cost, project.months, project.review_reason.clone()),
        };
        let at = now();
        db_run!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let n = sqlx::query(
                "UPDATE budget_projects SET state = $1, cost = $2, months = $3, review_reason = $4, reviewed_by = $5, updated_at = $6,
                    shortlist_motion_id = $11
                 WHERE id = $7 AND state = $8
                   AND EXISTS (SELECT 1 FROM budget_processes WHERE id = $9 AND phase = $10)")
                .bind(to.as_str()).bind(cost).bind(months).bind(&reason).bind(by).bind(at)
                .bind(id).bind(project.state.as_str()).bind(process.id).bind(process.phase.as_str()).bind(cited)
                .execute(&mut *tx).await?.rows_affected();
            if n == 0 {
                return Err(stale());
            }
            let motion = cited.map_or_else(String::new, |m| m.to_string());
            audit_query!(by, AuditAction::BudgetReview, Subject::Scope(process.scope_id),
                &[("project", id.to_string()), ("to", to.as_str().to_owned()), ("motion", motion)], at)
                .execute(&mut *tx).await?;
            tx.commit().await?;
            Ok(to)
        })
    }
}
