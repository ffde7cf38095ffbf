//! A process's settings (dates, voter-group shares, ballot quotas, minimum age) and the dated moves the
//! background worker makes. A phase change's `budget-phase` event reaches the process's followers through
//! the one fan-out of events (`Db::fan_out_event`, notifications.rs).
use maeul_domain::Refusal;
use maeul_domain::audit::AuditAction;
use maeul_domain::budget::{BudgetRefusal, Phase, Schedule, VoterBases, format_quotas};

use super::ProcessRow;
use crate::audit::{Subject, audit_query};
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
    pub voter_bases: VoterBases,
}

impl Db {
    /// Sets a process's dates, group shares, quotas, minimum age and residence bases while it is still `configured`
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
                    min_age = $9, voter_bases = $10, updated_at = $11 WHERE id = $12 AND phase = 'configured'")
                .bind(d.proposals_open_at).bind(d.proposals_close_at).bind(d.voting_open_at).bind(d.voting_close_at)
                .bind(i64::from(s.shares[0])).bind(i64::from(s.shares[1])).bind(i64::from(s.shares[2]))
                .bind(&quotas).bind(i64::from(s.min_age)).bind(s.voter_bases.encode()).bind(at).bind(id)
                .execute(&mut *tx).await?.rows_affected();
            if n == 0 {
                return Err(DbError::Refused(Refusal::Stale));
            }
            audit_query!(by, AuditAction::BudgetSettings, Subject::Scope(process.scope_id),
                &[("process", id.to_string()),
                  ("dates", format!("{:?}", [d.proposals_open_at, d.proposals_close_at, d.voting_open_at, d.voting_close_at])),
                  ("shares", format!("{:?}", s.shares)), ("quotas", quotas.replace('\n', "; ")),
                  ("min_age", s.min_age.to_string()), ("voter_bases", s.voter_bases.encode())], at)
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
}
