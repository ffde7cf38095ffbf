//! Ballots, turnout and results. A ballot is stored under HMAC(process key, user id), never the account
//! id; `UNIQUE (process_id, pseudonym)` makes one ballot per voter a fact of the database, and a revision
//! replaces the ballot in place (the latest counts). Turnout (who voted, from which neighbourhood, online
//! or on paper) is a separate table written in the same transaction. The result is stored once, with the
//! phase's compare-and-set from `voting_closed` to `tallied`.
use maeul_domain::audit::AuditAction;
use maeul_domain::budget::{BudgetRefusal, Phase, VoterGroup};
use maeul_domain::{Named, Refusal};

use crate::audit::{Subject, audit_query};
use crate::secrets::keyed_hash;
use crate::{BeginWrite, Db, DbError, DbResult, db_run, now, refused};

/// How a ballot reached the count.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VoteChannel {
    Online,
    /// Entered by an official for a resident who voted in person.
    Paper,
}

impl VoteChannel {
    pub fn as_str(self) -> &'static str {
        match self {
            VoteChannel::Online => "online",
            VoteChannel::Paper => "paper",
        }
    }
}

/// A stored ballot as the count reads it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct BallotRecord {
    pub pseudonym: String,
    pub ballot: String,
    pub revision: i64,
    /// The group the ballot counts in (fixed when cast).
    #[sqlx(try_from = "String")]
    pub voter_group: VoterGroup,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct TurnoutRow {
    pub home_scope: Option<i64>,
    pub voters: i64,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ResultRow {
    pub process_id: i64,
    pub rule: String,
    /// Project ids in selection order, comma-separated.
    pub selected: String,
    pub total_cost: i64,
    pub ballots: i64,
    /// The engine's explanation, as JSON.
    pub explanation: String,
    pub tallied_at: i64,
    pub snapshot: String,
    pub weights: String,
    /// Voters by home neighbourhood when the vote was counted, as JSON `[[scope id or null, voters], …]`.
    pub turnout: String,
}

impl ResultRow {
    /// The voters by home neighbourhood stored with the result (see [`Db::turnout`] for the live count).
    pub fn turnout_rows(&self) -> DbResult<Vec<TurnoutRow>> {
        let pairs: Vec<(Option<i64>, i64)> = serde_json::from_str(&self.turnout)
            .map_err(|e| DbError::Corrupt(format!("stored turnout: {e}")))?;
        Ok(pairs
            .into_iter()
            .map(|(home_scope, voters)| TurnoutRow { home_scope, voters })
            .collect())
    }

    pub fn selected_ids(&self) -> Vec<i64> {
        self.selected
            .split(',')
            .filter_map(|s| s.parse().ok())
            .collect()
    }
}

pub struct NewResult<'a> {
    pub rule: &'a str,
    pub selected: &'a [i64],
    pub total_cost: u64,
    pub ballots: u64,
    pub explanation: &'a str,
}

/// What a count read, stored with its result.
#[derive(Debug, Clone, Default)]
pub struct Provenance {
    /// A digest of the snapshot of closed ballots the count read.
    pub snapshot: String,
    /// The group weights per voter the count used (`online:w,committee:w,school:w`; '' when unweighted).
    pub weights: String,
}

impl Db {
    async fn pseudonym_key(&self, process_id: i64) -> DbResult<String> {
        db_run!(self, pool => sqlx::query_scalar::<_, String>(
            "SELECT pseudonym_key FROM budget_processes WHERE id = $1").bind(process_id).fetch_optional(pool).await?)
            .ok_or(DbError::NotFound)
    }

    /// The voter's pseudonym in a process.
    pub async fn voter_pseudonym(&self, process_id: i64, user_id: i64) -> DbResult<String> {
        let key = self.pseudonym_key(process_id).await?;
        Ok(keyed_hash(&key, &user_id.to_string()))
    }

    /// Casts or replaces a voter's ballot (already checked by the engine) while voting is open. Returns the
    /// ballot's revision (1 for the first). A voter who voted on paper cannot vote online, nor the reverse.
    pub async fn cast_ballot(
        &self,
        process_id: i64,
        user_id: i64,
        home_scope: Option<i64>,
        ballot: &str,
        channel: VoteChannel,
    ) -> DbResult<i64> {
        let pseudonym = self.voter_pseudonym(process_id, user_id).await?;
        let group = self.voter_group(process_id, user_id).await?;
        let at = now();
        // PostgreSQL: hold the process row against a concurrent close while the ballot is written.
        let phase_sql = match self {
            Db::Sqlite(_) => "SELECT phase FROM budget_processes WHERE id = $1",
            Db::Postgres(_) => "SELECT phase FROM budget_processes WHERE id = $1 FOR SHARE",
        };
        db_run!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let phase: String = sqlx::query_scalar(phase_sql).bind(process_id).fetch_one(&mut *tx).await?;
            if Phase::decode(&phase)? != Phase::VotingOpen {
                return Err(refused(BudgetRefusal::VotingClosed));
            }
            let earlier: Option<String> = sqlx::query_scalar(
                "SELECT channel FROM budget_turnout WHERE process_id = $1 AND user_id = $2")
                .bind(process_id).bind(user_id).fetch_optional(&mut *tx).await?;
            if earlier.is_some_and(|c| c != channel.as_str()) {
                return Err(refused(BudgetRefusal::VotedOtherChannel));
            }
            let revision: i64 = sqlx::query_scalar(
                "INSERT INTO budget_ballots (process_id, pseudonym, ballot, revision, cast_at, voter_group) VALUES ($1, $2, $3, 1, $4, $5)
                 ON CONFLICT (process_id, pseudonym) DO UPDATE SET ballot = excluded.ballot,
                    revision = budget_ballots.revision + 1, cast_at = excluded.cast_at, voter_group = excluded.voter_group
                 RETURNING revision")
                .bind(process_id).bind(&pseudonym).bind(ballot).bind(at).bind(group.as_str()).fetch_one(&mut *tx).await?;
            sqlx::query(
                "INSERT INTO budget_turnout (process_id, user_id, home_scope, channel, first_at, last_at) VALUES ($1, $2, $3, $4, $5, $5)
                 ON CONFLICT (process_id, user_id) DO UPDATE SET last_at = excluded.last_at")
                .bind(process_id).bind(user_id).bind(home_scope).bind(channel.as_str()).bind(at)
                .execute(&mut *tx).await?;
            tx.commit().await?;
            Ok(revision)
        })
    }

    /// The group a voter's ballot counts in: a sitting member of a budget committee of the process's
    /// scope (the committees capability's memberships), else a graduate of a budget school of the scope,
    /// an ancestor or a descendant (the cooperation area's completed enrolments: one record, read here),
    /// else an online resident.
    pub async fn voter_group(&self, process_id: i64, user_id: i64) -> DbResult<VoterGroup> {
        let at = now();
        let committee = db_run!(self, pool => sqlx::query_scalar::<_, i64>(
            "SELECT COUNT(*) FROM committee_memberships m JOIN committees c ON c.id = m.committee_id
               JOIN budget_processes p ON p.scope_id = c.scope_id
             WHERE p.id = $1 AND m.user_id = $2 AND c.kind = 'budget_committee' AND m.ended_at IS NULL
               AND m.term_start <= $3 AND m.term_end > $3")
            .bind(process_id).bind(user_id).bind(at).fetch_one(pool).await?);
        if committee > 0 {
            return Ok(VoterGroup::Committee);
        }
        let school = db_run!(self, pool => sqlx::query_scalar::<_, i64>(
            "SELECT COUNT(*) FROM coop_enrolments e JOIN coop_programs g ON g.id = e.program_id
               JOIN scopes gs ON gs.id = g.scope_id, budget_processes p JOIN scopes ps ON ps.id = p.scope_id
             WHERE p.id = $1 AND e.user_id = $2 AND e.state = 'completed' AND g.kind = 'budget_school'
               AND (ps.code LIKE gs.code || '%' OR gs.code LIKE ps.code || '%')")
            .bind(process_id).bind(user_id).fetch_one(pool).await?);
        Ok(if school > 0 {
            VoterGroup::School
        } else {
            VoterGroup::Online
        })
    }

    /// The voter's current ballot in a process, if any (shown back to them only).
    pub async fn own_ballot(
        &self,
        process_id: i64,
        user_id: i64,
    ) -> DbResult<Option<BallotRecord>> {
        let pseudonym = self.voter_pseudonym(process_id, user_id).await?;
        Ok(db_run!(self, pool => sqlx::query_as::<_, BallotRecord>(
            "SELECT pseudonym, ballot, revision, voter_group FROM budget_ballots WHERE process_id = $1 AND pseudonym = $2")
            .bind(process_id).bind(&pseudonym).fetch_optional(pool).await?))
    }

    /// Every ballot of a process, by pseudonym (the snapshot a count reads once voting is closed).
    pub async fn ballots_of(&self, process_id: i64) -> DbResult<Vec<BallotRecord>> {
        Ok(db_run!(self, pool => sqlx::query_as::<_, BallotRecord>(
            "SELECT pseudonym, ballot, revision, voter_group FROM budget_ballots WHERE process_id = $1 ORDER BY pseudonym")
            .bind(process_id).fetch_all(pool).await?))
    }

    /// Voters by home neighbourhood, counted now (a tallied result keeps its own: [`ResultRow::turnout_rows`]).
    pub async fn turnout(&self, process_id: i64) -> DbResult<Vec<TurnoutRow>> {
        Ok(db_run!(self, pool => sqlx::query_as::<_, TurnoutRow>(
            "SELECT home_scope, COUNT(*) AS voters FROM budget_turnout WHERE process_id = $1
             GROUP BY home_scope ORDER BY home_scope")
            .bind(process_id).fetch_all(pool).await?))
    }

    /// Stores a count's result and moves the process from `voting_closed` to `tallied`, once: a second
    /// store (another worker, a repeated request) finds the phase changed and is refused as stale.
    pub async fn store_result(
        &self,
        process_id: i64,
        result: &NewResult<'_>,
        by: Option<i64>,
    ) -> DbResult<()> {
        self.store_result_read(process_id, result, &Provenance::default(), by)
            .await
    }

    /// [`Db::store_result`] with what the count read.
    pub async fn store_result_read(
        &self,
        process_id: i64,
        result: &NewResult<'_>,
        read: &Provenance,
        by: Option<i64>,
    ) -> DbResult<()> {
        let process = self.process(process_id).await?.ok_or(DbError::NotFound)?;
        let selected = result
            .selected
            .iter()
            .map(|id| id.to_string())
            .collect::<Vec<_>>()
            .join(",");
        let total =
            i64::try_from(result.total_cost).map_err(|_| DbError::Corrupt("total".into()))?;
        let ballots =
            i64::try_from(result.ballots).map_err(|_| DbError::Corrupt("ballots".into()))?;
        let at = now();
        db_run!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let n = sqlx::query("UPDATE budget_processes SET phase = 'tallied', updated_at = $1 WHERE id = $2 AND phase = 'voting_closed'")
                .bind(at).bind(process_id).execute(&mut *tx).await?.rows_affected();
            if n == 0 {
                return Err(DbError::Refused(Refusal::Stale));
            }
            // Counted here, once: the result page shows it at every view.
            let turnout: Vec<(Option<i64>, i64)> = sqlx::query_as(
                "SELECT home_scope, COUNT(*) FROM budget_turnout WHERE process_id = $1 GROUP BY home_scope ORDER BY home_scope")
                .bind(process_id).fetch_all(&mut *tx).await?;
            let turnout = serde_json::to_string(&turnout).map_err(|e| DbError::Corrupt(e.to_string()))?;
            sqlx::query("INSERT INTO budget_results (process_id, rule, selected, total_cost, ballots, explanation, tallied_at,
                            snapshot, weights, turnout)
                         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)")
                .bind(process_id).bind(result.rule).bind(&selected).bind(total).bind(ballots).bind(result.explanation).bind(at)
                .bind(&read.snapshot).bind(&read.weights).bind(&turnout)
                .execute(&mut *tx).await?;
            crate::record_event!(tx, maeul_domain::notify::EventKind::BudgetPhase, None::<i64>, None::<i64>, by,
                super::schedule::event_detail(process_id, Phase::Tallied, &process.title), at);
            sqlx::query("INSERT INTO budget_phase_log (process_id, from_phase, to_phase, actor_id, reason, at) VALUES ($1, 'voting_closed', 'tallied', $2, '', $3)")
                .bind(process_id).bind(by).bind(at).execute(&mut *tx).await?;
            audit_query!(by, AuditAction::BudgetPhase, Subject::Scope(process.scope_id),
                &[("process", process_id.to_string()), ("from", "voting_closed".to_owned()), ("to", "tallied".to_owned())], at)
                .execute(&mut *tx).await?;
            tx.commit().await?;
            Ok(())
        })
    }

    pub async fn budget_result(&self, process_id: i64) -> DbResult<Option<ResultRow>> {
        Ok(db_run!(self, pool => sqlx::query_as::<_, ResultRow>(
            "SELECT process_id, rule, selected, total_cost, ballots, explanation, tallied_at, snapshot, weights, turnout
             FROM budget_results WHERE process_id = $1")
            .bind(process_id).fetch_optional(pool).await?))
    }
}
