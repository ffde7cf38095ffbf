//! Historical elections imported from `.pb` files: the process (already tallied, `imported = 1`), its
//! projects, the file's ballots under fresh random pseudonyms (no accounts, no turnout), and the result
//! counted by the engine on exactly what was stored — all in one transaction, so a file that fails
//! anywhere leaves nothing behind. Imported processes never move again (`BudgetRefusal::Historical`).
use std::future::Future;

use maeul_domain::audit::AuditAction;
use maeul_domain::budget::{BallotConfig, BudgetRefusal, StoredBallot};
use rand::RngCore;

use super::processes::{ProcessRow, ProjectRow, SELECT_PROCESS, SELECT_PROJECT};
use crate::audit::{Subject, audit_query};
use crate::secrets::random_token;
use crate::{BeginWrite, Db, DbError, DbResult, db_run, now, refused};

/// A project of an imported election, in the file's order.
pub struct NewImportProject<'a> {
    pub title: &'a str,
    pub description: &'a str,
    pub category: &'a str,
    pub cost: u64,
}

/// An election to import, checked by the caller (the web layer, with the engine).
pub struct NewImport<'a> {
    pub envelope_id: i64,
    pub title: &'a str,
    pub budget: u64,
    pub rule: &'a str,
    pub ballot: BallotConfig,
    pub projects: Vec<NewImportProject<'a>>,
    /// Every voter's ballot naming projects by their position in `projects` (0-based).
    pub ballots: Vec<StoredBallot>,
    /// The file as uploaded, kept with the result.
    pub source: &'a str,
    pub by: Option<i64>,
}

/// What the count of the stored election gave.
pub struct ImportedCount {
    /// Project ids in selection order.
    pub selected: Vec<i64>,
    pub total_cost: u64,
    /// The engine's explanation, as JSON.
    pub explanation: String,
    /// A digest of the ballots counted.
    pub snapshot: String,
}

/// Rows per multi-row insert of ballots (6 parameters each: far below both backends' limits).
const BALLOT_CHUNK: usize = 500;

fn fresh_pseudonym() -> String {
    let mut bytes = [0u8; 16];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// A ballot over positions, renamed to the stored projects' ids.
fn renamed(ballot: &StoredBallot, ids: &[i64]) -> DbResult<StoredBallot> {
    let id = |position: i64| {
        usize::try_from(position)
            .ok()
            .and_then(|p| ids.get(p).copied())
            .ok_or_else(|| DbError::Corrupt(format!("imported ballot names position {position}")))
    };
    Ok(match ballot {
        StoredBallot::Projects(positions) => {
            StoredBallot::Projects(positions.iter().map(|p| id(*p)).collect::<DbResult<_>>()?)
        }
        StoredBallot::Points(points) => StoredBallot::Points(
            points
                .iter()
                .map(|(p, n)| Ok((id(*p)?, *n)))
                .collect::<DbResult<_>>()?,
        ),
    })
}

impl Db {
    /// Imports a historical election on an envelope: inserts the process (phase `tallied`), its projects
    /// (shortlisted, in the file's order) and ballots, then hands `count` the process, projects and
    /// ballots exactly as stored — the election its `election.pb` export will hold — and stores what it
    /// returns as the result, with the source file and an audit entry, in the same transaction. Returns
    /// the process id. Anything refused or failing rolls everything back.
    pub async fn import_election<F, Fut>(&self, imp: &NewImport<'_>, count: F) -> DbResult<i64>
    where
        F: FnOnce(ProcessRow, Vec<ProjectRow>, Vec<(String, StoredBallot)>) -> Fut,
        Fut: Future<Output = DbResult<ImportedCount>>,
    {
        let envelope = self
            .envelope(imp.envelope_id)
            .await?
            .ok_or(DbError::NotFound)?;
        imp.ballot.check().map_err(refused)?;
        if imp.budget == 0 || imp.projects.is_empty() || imp.ballots.is_empty() {
            return Err(refused(BudgetRefusal::ImportEmpty));
        }
        let won = |v: u64| i64::try_from(v).map_err(|_| refused(BudgetRefusal::ImportBudget));
        let budget = won(imp.budget)?;
        let at = now();
        let key = random_token();
        let process_sql = format!("{SELECT_PROCESS} WHERE id = $1");
        let projects_sql = format!("{SELECT_PROJECT} WHERE process_id = $1 ORDER BY id");
        db_run!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO budget_processes (envelope_id, scope_id, title, phase, budget, rule, ballot_kind, min_projects,
                    max_projects, points, min_age, pseudonym_key, created_by, created_at, updated_at, imported)
                 VALUES ($1, $2, $3, 'tallied', $4, $5, $6, $7, $8, $9, 0, $10, $11, $12, $12, 1) RETURNING id")
                .bind(envelope.id).bind(envelope.scope_id).bind(imp.title).bind(budget).bind(imp.rule)
                .bind(imp.ballot.kind.as_str()).bind(i64::from(imp.ballot.min_projects))
                .bind(i64::from(imp.ballot.max_projects)).bind(i64::from(imp.ballot.points)).bind(&key)
                .bind(imp.by).bind(at)
                .fetch_one(&mut *tx).await?;
            let mut ids = Vec::with_capacity(imp.projects.len());
            for p in &imp.projects {
                ids.push(sqlx::query_scalar::<_, i64>(
                    "INSERT INTO budget_projects (process_id, title, description, category, cost, state, created_at, updated_at)
                     VALUES ($1, $2, $3, $4, $5, 'shortlisted', $6, $6) RETURNING id")
                    .bind(id).bind(p.title).bind(p.description).bind(p.category)
                    .bind(i64::try_from(p.cost).map_err(|_| refused(BudgetRefusal::ImportCost { project: p.title.to_owned() }))?)
                    .bind(at).fetch_one(&mut *tx).await?);
            }
            let mut voters = Vec::with_capacity(imp.ballots.len());
            for b in &imp.ballots {
                voters.push((fresh_pseudonym(), renamed(b, &ids)?));
            }
            for chunk in voters.chunks(BALLOT_CHUNK) {
                let mut insert = sqlx::QueryBuilder::new(
                    "INSERT INTO budget_ballots (process_id, pseudonym, ballot, revision, cast_at, voter_group) ");
                insert.push_values(chunk, |mut row, (pseudonym, ballot)| {
                    row.push_bind(id).push_bind(pseudonym.clone()).push_bind(ballot.encode())
                        .push_bind(1_i64).push_bind(at).push_bind("online");
                });
                insert.build().execute(&mut *tx).await?;
            }
            let process = sqlx::query_as::<_, ProcessRow>(&process_sql).bind(id).fetch_one(&mut *tx).await?;
            let projects = sqlx::query_as::<_, ProjectRow>(&projects_sql).bind(id).fetch_all(&mut *tx).await?;
            let ballots = i64::try_from(voters.len()).map_err(|_| DbError::Corrupt("ballots".into()))?;
            let counted = count(process, projects, voters).await?;
            let selected = counted.selected.iter().map(i64::to_string).collect::<Vec<_>>().join(",");
            let total = i64::try_from(counted.total_cost).map_err(|_| DbError::Corrupt("total".into()))?;
            sqlx::query("INSERT INTO budget_results (process_id, rule, selected, total_cost, ballots, explanation, tallied_at,
                            snapshot, weights, source_pb)
                         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, '', $9)")
                .bind(id).bind(imp.rule).bind(&selected).bind(total).bind(ballots).bind(&counted.explanation).bind(at)
                .bind(&counted.snapshot).bind(imp.source)
                .execute(&mut *tx).await?;
            sqlx::query("INSERT INTO budget_phase_log (process_id, from_phase, to_phase, actor_id, reason, at) VALUES ($1, 'configured', 'tallied', $2, '', $3)")
                .bind(id).bind(imp.by).bind(at).execute(&mut *tx).await?;
            audit_query!(imp.by, AuditAction::BudgetImport, Subject::Scope(envelope.scope_id),
                &[("process", id.to_string()), ("projects", ids.len().to_string()), ("ballots", ballots.to_string()),
                  ("rule", imp.rule.to_owned())], at)
                .execute(&mut *tx).await?;
            tx.commit().await?;
            Ok(id)
        })
    }
}
