//! A process's settings (dates, voter-group shares, ballot quotas, minimum age), the dated moves the
//! background worker makes, and the fan-out of a phase change to the process's followers: the proposers
//! of its projects and the followers of its scope or an ancestor (the notifications capability's
//! `follows` and `notifications`, with the event kind `budget-phase`).
use std::collections::BTreeSet;

use maeul_domain::Refusal;
use maeul_domain::audit::AuditAction;
use maeul_domain::budget::{BudgetRefusal, Phase, Schedule, format_quotas};
use maeul_domain::notify::EventKind;

use super::ProcessRow;
use crate::audit::{Subject, audit_query};
use crate::jobs::Job;
use crate::{BeginWrite, Db, DbError, DbResult, db_run, now, refused};

/// Queues a process's count once (`dedupe_key` `budget-count:ID`): kind, detail, key, at.
pub(super) const QUEUE_COUNT: &str =
    "INSERT INTO jobs (kind, detail, dedupe_key, run_at, created_at)
     VALUES ($1, $2, $3, $4, $4) ON CONFLICT (dedupe_key) DO NOTHING";

/// The detail of a `budget-phase` event: `process id:phase:title`.
pub(super) fn event_detail(id: i64, phase: Phase, title: &str) -> String {
    format!("{id}:{}:{title}", phase.as_str())
}

/// Reads a `budget-phase` event's detail back: (process id, phase, title).
pub fn parse_event_detail(detail: &str) -> Option<(i64, Phase, String)> {
    let mut parts = detail.splitn(3, ':');
    let id = parts.next()?.parse().ok()?;
    let phase = Phase::parse(parts.next()?)?;
    Some((id, phase, parts.next().unwrap_or("").to_owned()))
}

/// What staff configure on a process before it starts.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProcessSettings {
    pub schedule: Schedule,
    /// Shares (0–100) of online residents, the scope's budget committee, budget-school graduates.
    pub shares: [u32; 3],
    pub quotas: Vec<(String, u32)>,
    pub min_age: u32,
}

impl Db {
    /// Sets a process's dates, group shares, quotas and minimum age while it is still `configured`
    /// (compare-and-set), audited. Dates out of order and shares above 100 are refused.
    pub async fn configure_process(
        &self,
        id: i64,
        s: &ProcessSettings,
        by: Option<i64>,
    ) -> DbResult<()> {
        let process = self.process(id).await?.ok_or(DbError::NotFound)?;
        s.schedule.check().map_err(refused)?;
        if s.shares.iter().any(|w| *w > 100) {
            return Err(refused(BudgetRefusal::BadWeights));
        }
        if process.phase != Phase::Configured {
            return Err(refused(BudgetRefusal::WrongPhase {
                phase: process.phase.label_id(),
            }));
        }
        let quotas = format_quotas(&s.quotas);
        let at = now();
        let d = s.schedule;
        db_run!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let n = sqlx::query(
                "UPDATE budget_processes SET proposals_open_at = $1, proposals_close_at = $2, voting_open_at = $3,
                    voting_close_at = $4, weight_online = $5, weight_committee = $6, weight_school = $7, quotas = $8,
                    min_age = $9, updated_at = $10 WHERE id = $11 AND phase = 'configured'")
                .bind(d.proposals_open_at).bind(d.proposals_close_at).bind(d.voting_open_at).bind(d.voting_close_at)
                .bind(i64::from(s.shares[0])).bind(i64::from(s.shares[1])).bind(i64::from(s.shares[2]))
                .bind(&quotas).bind(i64::from(s.min_age)).bind(at).bind(id)
                .execute(&mut *tx).await?.rows_affected();
            if n == 0 {
                return Err(DbError::Refused(Refusal::Stale));
            }
            audit_query!(by, AuditAction::BudgetSettings, Subject::Scope(process.scope_id),
                &[("process", id.to_string()),
                  ("dates", format!("{:?}", [d.proposals_open_at, d.proposals_close_at, d.voting_open_at, d.voting_close_at])),
                  ("shares", format!("{:?}", s.shares)), ("quotas", quotas.replace('\n', "; ")),
                  ("min_age", s.min_age.to_string())], at)
                .execute(&mut *tx).await?;
            tx.commit().await?;
            Ok(())
        })
    }

    /// Processes one of whose dates has passed for their phase (at most `limit`): (process, its due phase).
    pub async fn processes_due(&self, at: i64, limit: i64) -> DbResult<Vec<(ProcessRow, Phase)>> {
        let sql = format!(
            "{} WHERE (phase = 'configured' AND proposals_open_at <= $1)
                OR (phase = 'proposals_open' AND proposals_close_at <= $1)
                OR (phase = 'ballot_fixed' AND voting_open_at <= $1)
                OR (phase = 'voting_open' AND voting_close_at <= $1)
             ORDER BY id LIMIT $2",
            super::processes::SELECT_PROCESS
        );
        let rows = db_run!(self, pool => sqlx::query_as::<_, ProcessRow>(&sql).bind(at).bind(limit).fetch_all(pool).await?);
        Ok(rows
            .into_iter()
            .filter_map(|p| p.schedule().due(p.phase, at).map(|to| (p, to)))
            .collect())
    }

    /// Turns a `budget-phase` event into notifications for the process's followers (the proposers of
    /// its projects, the followers of its scope or an ancestor; never the actor) and marks the job done,
    /// in one transaction.
    pub async fn fan_out_budget_event(&self, job: &Job) -> DbResult<usize> {
        let (process_id, _, _) = parse_event_detail(&job.detail)
            .ok_or_else(|| DbError::Corrupt(format!("budget event {}", job.id)))?;
        let at = now();
        db_run!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let mut recipients = BTreeSet::new();
            let scope: Option<i64> = sqlx::query_scalar("SELECT scope_id FROM budget_processes WHERE id = $1")
                .bind(process_id).fetch_optional(&mut *tx).await?;
            if let Some(scope_id) = scope {
                recipients.extend(sqlx::query_scalar::<_, i64>(
                    "SELECT DISTINCT proposer_id FROM budget_projects WHERE process_id = $1 AND proposer_id IS NOT NULL")
                    .bind(process_id).fetch_all(&mut *tx).await?);
                recipients.extend(sqlx::query_scalar::<_, i64>(
                    "SELECT f.user_id FROM follows f WHERE f.target_kind = 'scope' AND f.target_id IN (
                        SELECT a.id FROM scopes a, scopes s WHERE s.id = $1 AND s.code LIKE a.code || '%')")
                    .bind(scope_id).fetch_all(&mut *tx).await?);
            }
            if let Some(actor) = job.actor_id {
                recipients.remove(&actor);
            }
            for user_id in &recipients {
                sqlx::query(
                    "INSERT INTO notifications (user_id, kind, actor_id, detail, created_at) VALUES ($1, $2, $3, $4, $5)")
                    .bind(user_id).bind(EventKind::BudgetPhase.as_str()).bind(job.actor_id).bind(&job.detail).bind(at)
                    .execute(&mut *tx).await?;
            }
            sqlx::query("UPDATE jobs SET done_at = $1, locked_until = NULL, last_error = NULL WHERE id = $2")
                .bind(at).bind(job.id).execute(&mut *tx).await?;
            tx.commit().await?;
            Ok(recipients.len())
        })
    }
}
