//! Resident proposals: their lifecycle (rules in `maeul_domain::proposal`), supports counted exactly under
//! concurrency, the obligations the threshold ladder creates, and official answers.
pub use maeul_domain::proposal::ItemKind as Kind;
use maeul_domain::proposal::{
    self, Category, ItemState, Ladder, LadderConfig, ProposalEvent, ProposalState, Responder,
};

use maeul_domain::debate::DebateState;
use maeul_domain::moderation::ModerationAction;
use maeul_domain::notify::EventKind;

use crate::{BeginWrite, Db, DbError, DbResult, db_run, now, record_event};

#[derive(Debug, Clone, sqlx::FromRow, serde::Deserialize)]
pub struct ProposalRow {
    pub id: i64,
    pub scope_id: i64,
    pub author_id: i64,
    pub author_name: String,
    pub title: String,
    pub body: String,
    #[sqlx(try_from = "String")]
    #[serde(deserialize_with = "crate::rows::named")]
    pub category: Category,
    #[sqlx(try_from = "String")]
    #[serde(deserialize_with = "crate::rows::named")]
    pub state: ItemState,
    pub support_count: i64,
    pub forum_participants: i64,
    pub comment_count: i64,
    pub created_at: i64,
    pub collecting_until: Option<i64>,
    #[sqlx(try_from = "String")]
    #[serde(deserialize_with = "crate::rows::named")]
    pub kind: Kind,
    pub location: String,
    /// A concluded debate's conclusion.
    pub conclusion: String,
    /// Set while moderators hide it: kept, shown only to its author and moderators.
    pub hidden_at: Option<i64>,
}

impl ProposalRow {
    /// The proposal's state; a debate's row is [`DbError::Corrupt`] here (callers check the kind first).
    pub fn state(&self) -> DbResult<ProposalState> {
        self.state
            .proposal()
            .ok_or_else(|| DbError::Corrupt(format!("proposal {} has a debate's state", self.id)))
    }

    pub fn is_debate(&self) -> bool {
        self.kind == Kind::Debate
    }

    /// Whether anyone may see it (accepted, not hidden): a debate always is once opened.
    pub fn is_public(&self) -> bool {
        self.hidden_at.is_none()
            && match self.state {
                ItemState::Proposal(s) => s.is_public(),
                ItemState::Debate(_) => true,
            }
    }

    /// The page of this proposal or debate.
    pub fn path(&self) -> String {
        if self.is_debate() {
            format!("/debates/{}", self.id)
        } else {
            format!("/proposals/{}", self.id)
        }
    }
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Transition {
    /// None for the first (creation).
    #[sqlx(try_from = "Option<String>")]
    pub from_state: crate::OptionalName<ItemState>,
    #[sqlx(try_from = "String")]
    pub to_state: ItemState,
    pub actor_id: Option<i64>,
    /// The reason given by a person (rejection, forum opening, conclusion); '' for automatic ones.
    pub reason: String,
    /// For a transition caused by a count crossing a rung: the count.
    pub count: Option<i64>,
    pub at: i64,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Obligation {
    pub proposal_id: i64,
    #[sqlx(try_from = "String")]
    pub responder: Responder,
    pub created_at: i64,
    pub due_at: i64,
    pub answered_at: Option<i64>,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Answer {
    #[sqlx(try_from = "String")]
    pub responder: Responder,
    pub author_id: i64,
    pub body: String,
    pub at: i64,
}

/// A proposal to create.
pub struct NewProposal<'a> {
    pub scope_id: i64,
    pub author_id: i64,
    pub title: &'a str,
    pub body: &'a str,
    pub category: Category,
    /// Where it is about, in words ('' when nowhere in particular).
    pub location: &'a str,
    /// Submit for moderation at once (otherwise it stays a draft). Debates open at once.
    pub submit: bool,
    pub kind: Kind,
}

/// How long an accepted proposal collects support.
pub const COLLECTING_DAYS: i64 = 30;

const SELECT_PROPOSAL: &str = "SELECT p.id, p.scope_id, p.author_id, u.display_name AS author_name, p.title, p.body, p.category,
        p.state, p.support_count, p.forum_participants, p.comment_count, p.created_at, p.collecting_until,
        p.kind, p.location, p.conclusion, p.hidden_at
     FROM proposals p JOIN users u ON u.id = p.author_id";

const INSERT_TRANSITION: &str = "INSERT INTO proposal_transitions (proposal_id, from_state, to_state, actor_id, reason, at) VALUES ($1, $2, $3, $4, $5, $6)";

const INSERT_OBLIGATION: &str = "INSERT INTO proposal_obligations (proposal_id, responder, created_at, due_at) VALUES ($1, $2, $3, $4)
     ON CONFLICT (proposal_id, responder) DO NOTHING";

/// What a support or withdrawal did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SupportChange {
    /// False when the person had already supported (or had not, for a withdrawal): nothing changed.
    pub changed: bool,
    pub count: i64,
    pub state: ProposalState,
}

impl Db {
    pub async fn create_proposal(&self, p: &NewProposal<'_>) -> DbResult<i64> {
        let at = now();
        let search_terms = maeul_domain::search::index_terms(&format!("{} {}", p.title, p.body));
        let state = match (p.kind, p.submit) {
            (Kind::Debate, _) => DebateState::Open.as_str(),
            (Kind::Proposal, true) => ProposalState::Submitted.as_str(),
            (Kind::Proposal, false) => ProposalState::Draft.as_str(),
        };
        db_run!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let id = sqlx::query_scalar::<_, i64>(
                "INSERT INTO proposals (scope_id, author_id, title, body, category, state, created_at, updated_at, search_terms, kind, location)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $7, $8, $9, $10) RETURNING id")
                .bind(p.scope_id).bind(p.author_id).bind(p.title).bind(p.body).bind(p.category.as_str()).bind(state).bind(at)
                .bind(&search_terms).bind(p.kind.as_str()).bind(p.location)
                .fetch_one(&mut *tx).await?;
            sqlx::query(INSERT_TRANSITION)
                .bind(id).bind("").bind(state).bind(p.author_id).bind("").bind(at)
                .execute(&mut *tx).await?;
            if p.kind == Kind::Debate {
                record_event!(tx, EventKind::Published, Some(id), Option::<i64>::None, Some(p.author_id), "", at);
            }
            // Authors follow what they write.
            sqlx::query("INSERT INTO follows (user_id, target_kind, target_id, created_at) VALUES ($1, 'proposal', $2, $3)")
                .bind(p.author_id).bind(id).bind(at).execute(&mut *tx).await?;
            tx.commit().await?;
            Ok(id)
        })
    }

    pub async fn proposal(&self, id: i64) -> DbResult<Option<ProposalRow>> {
        let sql = format!("{SELECT_PROPOSAL} WHERE p.id = $1");
        Ok(
            db_run!(self, pool => sqlx::query_as::<_, ProposalRow>(&sql).bind(id).fetch_optional(pool).await?),
        )
    }

    /// Public proposals (or debates) of a scope, newest first, `limit` per page, before the cursor
    /// `before_id`. Hidden ones are left out.
    pub async fn proposals_in_scope(
        &self,
        scope_id: i64,
        kind: Kind,
        before_id: Option<i64>,
        limit: i64,
    ) -> DbResult<Vec<ProposalRow>> {
        let sql = format!(
            "{SELECT_PROPOSAL} WHERE p.kind = $1 AND p.scope_id = $2 AND p.state NOT IN ('draft', 'submitted', 'rejected')
               AND p.hidden_at IS NULL AND p.id < $3
             ORDER BY p.id DESC LIMIT $4"
        );
        let before = before_id.unwrap_or(i64::MAX);
        match self {
            Db::Sqlite(pool) => {
                let json: String = sqlx::query_scalar(&crate::rows::json_array_sql(
                    &sql,
                    crate::rows::PROPOSAL_COLUMNS,
                ))
                .bind(kind.as_str())
                .bind(scope_id)
                .bind(before)
                .bind(limit)
                .fetch_one(pool)
                .await?;
                crate::rows::decode::<ProposalRow, _>(&json, |p| std::cmp::Reverse(p.id))
            }
            Db::Postgres(pool) => Ok(sqlx::query_as::<_, ProposalRow>(&sql)
                .bind(kind.as_str())
                .bind(scope_id)
                .bind(before)
                .bind(limit)
                .fetch_all(pool)
                .await?),
        }
    }

    /// A person's public proposals and debates, newest first.
    pub async fn proposals_by_author(
        &self,
        author_id: i64,
        limit: i64,
    ) -> DbResult<Vec<ProposalRow>> {
        let sql = format!(
            "{SELECT_PROPOSAL} WHERE p.author_id = $1 AND p.state NOT IN ('draft', 'submitted', 'rejected')
               AND p.hidden_at IS NULL ORDER BY p.id DESC LIMIT $2"
        );
        Ok(db_run!(self, pool => sqlx::query_as::<_, ProposalRow>(&sql)
            .bind(author_id).bind(limit).fetch_all(pool).await?))
    }

    /// Concludes a debate with its conclusion (rules in `maeul_domain::debate::conclude`).
    pub async fn conclude_debate(&self, id: i64, actor: i64, conclusion: &str) -> DbResult<()> {
        let at = now();
        db_run!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let n = sqlx::query("UPDATE proposals SET state = $1, conclusion = $2, updated_at = $3 WHERE id = $4 AND kind = 'debate' AND state = $5")
                .bind(DebateState::Concluded.as_str()).bind(conclusion).bind(at).bind(id).bind(DebateState::Open.as_str())
                .execute(&mut *tx).await?.rows_affected();
            if n == 0 {
                return Err(crate::refused(maeul_domain::debate::DebateError::AlreadyConcluded));
            }
            sqlx::query(INSERT_TRANSITION)
                .bind(id).bind(DebateState::Open.as_str()).bind(DebateState::Concluded.as_str()).bind(actor).bind(conclusion).bind(at)
                .execute(&mut *tx).await?;
            record_event!(tx, EventKind::StateChanged, Some(id), Option::<i64>::None, Some(actor), DebateState::Concluded.as_str(), at);
            tx.commit().await?;
        });
        Ok(())
    }

    /// Proposals waiting for moderation in scopes whose code starts with `code_prefix`.
    pub async fn proposals_to_moderate(
        &self,
        code_prefix: &str,
        limit: i64,
    ) -> DbResult<Vec<ProposalRow>> {
        let sql = format!(
            "{SELECT_PROPOSAL} JOIN scopes s ON s.id = p.scope_id WHERE p.state = 'submitted' AND s.code LIKE $1 ORDER BY p.id LIMIT $2"
        );
        let pattern = format!("{code_prefix}%");
        Ok(
            db_run!(self, pool => sqlx::query_as::<_, ProposalRow>(&sql).bind(&pattern).bind(limit).fetch_all(pool).await?),
        )
    }

    /// Applies a lifecycle event (not support counts: see [`Db::support_proposal`]) by `actor`, recording the
    /// transition. The update is conditional on the state it was decided from, so concurrent moderators
    /// cannot both win.
    pub async fn transition_proposal(
        &self,
        id: i64,
        event: &ProposalEvent,
        ladder: &Ladder,
        actor: Option<i64>,
    ) -> DbResult<ProposalState> {
        let current = self.proposal(id).await?.ok_or(DbError::NotFound)?;
        let from = current.state()?;
        let outcome = proposal::apply(from, ladder, event).map_err(crate::refused)?;
        let reason = match event {
            ProposalEvent::Reject { reason } | ProposalEvent::PanelOpensForum { reason } => {
                reason.as_str()
            }
            _ => "",
        };
        let at = now();
        let collecting_until = (outcome.state == ProposalState::Collecting
            && from != ProposalState::Collecting)
            .then_some(at + COLLECTING_DAYS * 86_400);
        db_run!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let n = sqlx::query(
                "UPDATE proposals SET state = $1, updated_at = $2, collecting_until = COALESCE($3, collecting_until)
                 WHERE id = $4 AND state = $5")
                .bind(outcome.state.as_str()).bind(at).bind(collecting_until).bind(id).bind(from.as_str())
                .execute(&mut *tx).await?.rows_affected();
            if n == 0 {
                return Err(DbError::Refused(maeul_domain::Refusal::Stale));
            }
            sqlx::query(INSERT_TRANSITION)
                .bind(id).bind(from.as_str()).bind(outcome.state.as_str()).bind(actor).bind(reason).bind(at)
                .execute(&mut *tx).await?;
            if outcome.state != from {
                record_event!(tx, EventKind::StateChanged, Some(id), Option::<i64>::None, actor, outcome.state.as_str(), at);
            }
            if outcome.state == ProposalState::Collecting && from == ProposalState::Submitted {
                record_event!(tx, EventKind::Published, Some(id), Option::<i64>::None, Some(current.author_id), "", at);
            }
            // Accepting and rejecting are moderation: the moderation log shows them beside hiding.
            let moderation = match event {
                ProposalEvent::Accept => Some(ModerationAction::Accept),
                ProposalEvent::Reject { .. } => Some(ModerationAction::Reject),
                _ => None,
            };
            if let Some(action) = moderation {
                sqlx::query("INSERT INTO moderation_log (moderator_id, action, target_kind, target_id, scope_id, reason, at)
                             VALUES ($1, $2, 'proposal', $3, $4, $5, $6)")
                    .bind(actor).bind(action.as_str()).bind(id).bind(current.scope_id).bind(reason).bind(at)
                    .execute(&mut *tx).await?;
            }
            tx.commit().await?;
        });
        Ok(outcome.state)
    }

    /// Adds `user_id`'s support. One support per person (a second is a no-op, reported by `changed`);
    /// the count, the rungs it crosses (obligations, forum) and the state change commit together.
    pub async fn support_proposal(
        &self,
        id: i64,
        user_id: i64,
        ladder: &Ladder,
    ) -> DbResult<SupportChange> {
        self.change_support(id, user_id, ladder, true).await
    }

    /// Withdraws a support, while the proposal still collects.
    pub async fn withdraw_support(
        &self,
        id: i64,
        user_id: i64,
        ladder: &Ladder,
    ) -> DbResult<SupportChange> {
        self.change_support(id, user_id, ladder, false).await
    }

    async fn change_support(
        &self,
        id: i64,
        user_id: i64,
        ladder: &Ladder,
        add: bool,
    ) -> DbResult<SupportChange> {
        let at = now();
        db_run!(self, pool => {
            let mut tx = pool.begin_write().await?;
            // The write comes first so SQLite takes its write lock at once (no lock upgrade to fail).
            let changed = if add {
                sqlx::query("INSERT INTO proposal_supports (proposal_id, user_id, created_at) VALUES ($1, $2, $3)
                             ON CONFLICT (proposal_id, user_id) DO NOTHING")
                    .bind(id).bind(user_id).bind(at).execute(&mut *tx).await?.rows_affected() == 1
            } else {
                sqlx::query("DELETE FROM proposal_supports WHERE proposal_id = $1 AND user_id = $2")
                    .bind(id).bind(user_id).execute(&mut *tx).await?.rows_affected() == 1
            };
            let delta: i64 = if !changed { 0 } else if add { 1 } else { -1 };
            let row = sqlx::query_as::<_, (i64, String)>(
                "UPDATE proposals SET support_count = support_count + $1, updated_at = $2
                 WHERE id = $3 AND kind = 'proposal' AND state IN ('collecting', 'forum')
                 RETURNING support_count, state")
                .bind(delta).bind(at).bind(id).fetch_optional(&mut *tx).await?;
            let Some((count, state)) = row else {
                // Not collecting (or no such proposal): undo the support row and refuse.
                tx.rollback().await?;
                return match self.proposal(id).await? {
                    None => Err(DbError::NotFound),
                    Some(p) if p.is_debate() => Err(crate::refused(proposal::ItemRefusal::DebateNoSupport)),
                    Some(p) => Err(crate::refused(proposal::TransitionError::not_allowed(
                        p.state()?,
                        &ProposalEvent::SupportCount { before: 0, after: 0 },
                    ))),
                };
            };
            let from = <ProposalState as maeul_domain::Named>::decode(&state)?;
            let (before, after) = ((count - delta).max(0) as u32, count.max(0) as u32);
            let outcome = proposal::apply(from, ladder, &ProposalEvent::SupportCount { before, after })
                .map_err(crate::refused)?;
            for (responder, days) in &outcome.new_obligations {
                sqlx::query(INSERT_OBLIGATION)
                    .bind(id).bind(responder.as_str()).bind(at).bind(at + i64::from(*days) * 86_400)
                    .execute(&mut *tx).await?;
            }
            if outcome.state != from {
                sqlx::query("UPDATE proposals SET state = $1 WHERE id = $2").bind(outcome.state.as_str()).bind(id)
                    .execute(&mut *tx).await?;
                sqlx::query("INSERT INTO proposal_transitions (proposal_id, from_state, to_state, actor_id, reason, count, at)
                             VALUES ($1, $2, $3, NULL, '', $4, $5)")
                    .bind(id).bind(from.as_str()).bind(outcome.state.as_str()).bind(count).bind(at)
                    .execute(&mut *tx).await?;
                record_event!(tx, EventKind::StateChanged, Some(id), Option::<i64>::None, Option::<i64>::None, outcome.state.as_str(), at);
            }
            tx.commit().await?;
            Ok(SupportChange { changed, count, state: outcome.state })
        })
    }

    /// Counts `user_id` as a participant of the proposal's open forum (once per person); the count, the
    /// rungs it crosses (the head's obligation) commit together. Returns whether the person was new.
    /// Outside a forum nothing happens.
    pub async fn join_forum(&self, id: i64, user_id: i64, ladder: &Ladder) -> DbResult<bool> {
        let at = now();
        db_run!(self, pool => {
            let mut tx = pool.begin_write().await?;
            // The conditional counter update comes first: it takes the write lock and checks the state.
            let row = sqlx::query_as::<_, (i64,)>(
                "UPDATE proposals SET forum_participants = forum_participants + 1 WHERE id = $1 AND state = 'forum'
                 RETURNING forum_participants")
                .bind(id).fetch_optional(&mut *tx).await?;
            let Some((count,)) = row else {
                tx.rollback().await?;
                return Ok(false);
            };
            let inserted = sqlx::query("INSERT INTO forum_participants (proposal_id, user_id, joined_at) VALUES ($1, $2, $3)
                                        ON CONFLICT (proposal_id, user_id) DO NOTHING")
                .bind(id).bind(user_id).bind(at).execute(&mut *tx).await?.rows_affected() == 1;
            if !inserted {
                tx.rollback().await?;
                return Ok(false);
            }
            let (before, after) = ((count - 1).max(0) as u32, count.max(0) as u32);
            let outcome = proposal::apply(ProposalState::Forum, ladder, &ProposalEvent::ForumParticipants { before, after })
                .map_err(crate::refused)?;
            for (responder, days) in &outcome.new_obligations {
                sqlx::query(INSERT_OBLIGATION)
                    .bind(id).bind(responder.as_str()).bind(at).bind(at + i64::from(*days) * 86_400)
                    .execute(&mut *tx).await?;
            }
            tx.commit().await?;
            Ok(true)
        })
    }

    pub async fn has_supported(&self, id: i64, user_id: i64) -> DbResult<bool> {
        let n = db_run!(self, pool => sqlx::query_scalar::<_, i64>(
            "SELECT COUNT(*) FROM proposal_supports WHERE proposal_id = $1 AND user_id = $2")
            .bind(id).bind(user_id).fetch_one(pool).await?);
        Ok(n > 0)
    }

    /// Records an official answer: fulfils the responder's open obligation and moves the proposal to
    /// `answered`, all at once.
    pub async fn answer_proposal(
        &self,
        id: i64,
        responder: Responder,
        author_id: i64,
        body: &str,
        ladder: &Ladder,
    ) -> DbResult<()> {
        let current = self.proposal(id).await?.ok_or(DbError::NotFound)?;
        let from = current.state()?;
        let outcome = proposal::apply(from, ladder, &ProposalEvent::Answer(responder))
            .map_err(crate::refused)?;
        let at = now();
        db_run!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let n = sqlx::query("UPDATE proposals SET state = $1, updated_at = $2 WHERE id = $3 AND state = $4")
                .bind(outcome.state.as_str()).bind(at).bind(id).bind(from.as_str())
                .execute(&mut *tx).await?.rows_affected();
            if n == 0 {
                return Err(DbError::Refused(maeul_domain::Refusal::Stale));
            }
            sqlx::query("INSERT INTO proposal_answers (proposal_id, responder, author_id, body, at) VALUES ($1, $2, $3, $4, $5)")
                .bind(id).bind(responder.as_str()).bind(author_id).bind(body).bind(at)
                .execute(&mut *tx).await?;
            sqlx::query("UPDATE proposal_obligations SET answered_at = $1 WHERE proposal_id = $2 AND responder = $3 AND answered_at IS NULL")
                .bind(at).bind(id).bind(responder.as_str()).execute(&mut *tx).await?;
            if from != outcome.state {
                sqlx::query(INSERT_TRANSITION)
                    .bind(id).bind(from.as_str()).bind(outcome.state.as_str()).bind(author_id).bind("").bind(at)
                    .execute(&mut *tx).await?;
            }
            record_event!(tx, EventKind::Answered, Some(id), Option::<i64>::None, Some(author_id), responder.as_str(), at);
            tx.commit().await?;
        });
        Ok(())
    }

    pub async fn proposal_transitions(&self, id: i64) -> DbResult<Vec<Transition>> {
        Ok(db_run!(self, pool => sqlx::query_as::<_, Transition>(
            "SELECT NULLIF(from_state, '') AS from_state, to_state, actor_id, reason, count, at FROM proposal_transitions WHERE proposal_id = $1 ORDER BY id")
            .bind(id).fetch_all(pool).await?))
    }

    pub async fn proposal_obligations(&self, id: i64) -> DbResult<Vec<Obligation>> {
        Ok(db_run!(self, pool => sqlx::query_as::<_, Obligation>(
            "SELECT proposal_id, responder, created_at, due_at, answered_at FROM proposal_obligations WHERE proposal_id = $1 ORDER BY id")
            .bind(id).fetch_all(pool).await?))
    }

    pub async fn proposal_answers(&self, id: i64) -> DbResult<Vec<Answer>> {
        Ok(db_run!(self, pool => sqlx::query_as::<_, Answer>(
            "SELECT responder, author_id, body, at FROM proposal_answers WHERE proposal_id = $1 ORDER BY id")
            .bind(id).fetch_all(pool).await?))
    }

    /// Obligations past their due date and still unanswered, oldest first.
    pub async fn overdue_obligations(&self, limit: i64) -> DbResult<Vec<Obligation>> {
        Ok(db_run!(self, pool => sqlx::query_as::<_, Obligation>(
            "SELECT proposal_id, responder, created_at, due_at, answered_at FROM proposal_obligations
             WHERE answered_at IS NULL AND due_at < $1 ORDER BY due_at LIMIT $2")
            .bind(now()).bind(limit).fetch_all(pool).await?))
    }
}

impl Db {
    /// The ladder configured nearest to a scope: `scope_path` lists the scope's ids from the city down
    /// to the scope itself; the deepest one with a configuration wins; none means Democracy Seoul's.
    pub async fn ladder_config(&self, scope_path: &[i64]) -> DbResult<(LadderConfig, Option<i64>)> {
        let rows = db_run!(self, pool => sqlx::query_as::<_, (i64, i64, i64, i64, i64)>(
            "SELECT scope_id, answer_at, forum_at, head_at, answer_days FROM scope_ladders")
            .fetch_all(pool).await?);
        let configured = scope_path.iter().rev().find_map(|id| {
            rows.iter().find(|r| r.0 == *id).map(|r| {
                let config = LadderConfig {
                    answer_at: r.1 as u32,
                    forum_at: r.2 as u32,
                    head_at: r.3 as u32,
                    answer_days: r.4 as u32,
                };
                (config, Some(*id))
            })
        });
        Ok(configured.unwrap_or((LadderConfig::DEMOCRACY_SEOUL, None)))
    }

    /// Sets (or, with `None`, removes) a scope's own ladder, with an audit entry.
    pub async fn set_ladder_config(
        &self,
        scope_id: i64,
        config: Option<LadderConfig>,
        by: i64,
    ) -> DbResult<()> {
        if let Some(c) = &config {
            c.check().map_err(crate::refused)?;
        }
        let at = now();
        db_run!(self, pool => {
            let mut tx = pool.begin_write().await?;
            match config {
                Some(c) => sqlx::query(
                    "INSERT INTO scope_ladders (scope_id, answer_at, forum_at, head_at, answer_days, updated_by, updated_at)
                     VALUES ($1, $2, $3, $4, $5, $6, $7)
                     ON CONFLICT (scope_id) DO UPDATE SET answer_at = $2, forum_at = $3, head_at = $4, answer_days = $5,
                        updated_by = $6, updated_at = $7")
                    .bind(scope_id).bind(i64::from(c.answer_at)).bind(i64::from(c.forum_at)).bind(i64::from(c.head_at))
                    .bind(i64::from(c.answer_days)).bind(by).bind(at)
                    .execute(&mut *tx).await?,
                None => sqlx::query("DELETE FROM scope_ladders WHERE scope_id = $1").bind(scope_id).execute(&mut *tx).await?,
            };
            let details: Vec<(&str, String)> = match config {
                Some(c) => vec![("answer_at", c.answer_at.to_string()), ("forum_at", c.forum_at.to_string()),
                    ("head_at", c.head_at.to_string()), ("answer_days", c.answer_days.to_string())],
                None => vec![("inherited", "1".into())],
            };
            crate::audit::audit_query!(Some(by), maeul_domain::audit::AuditAction::LadderSet,
                crate::audit::Subject::Scope(scope_id), &details, at)
                .execute(&mut *tx).await?;
            tx.commit().await?;
        });
        Ok(())
    }

    /// Collecting proposals whose deadline has passed (at most `limit`), oldest deadline first.
    pub async fn proposals_past_deadline(&self, limit: i64) -> DbResult<Vec<i64>> {
        Ok(db_run!(self, pool => sqlx::query_scalar::<_, i64>(
            "SELECT id FROM proposals WHERE state = 'collecting' AND collecting_until < $1
             ORDER BY collecting_until LIMIT $2")
            .bind(now()).bind(limit).fetch_all(pool).await?))
    }
}

/// How search results are ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SearchOrder {
    Recent,
    MostSupported,
    MostCommented,
}

/// A proposal search: text plus filters, one page at a time.
#[derive(Debug, Clone)]
pub struct ProposalSearch {
    pub query: Option<maeul_domain::search::Query>,
    /// Only scopes whose code starts with this (a district's code covers its neighbourhoods).
    pub scope_prefix: String,
    pub state: Option<ProposalState>,
    pub category: Option<Category>,
    /// Only proposals, or only debates (both when `None`).
    pub kind: Option<Kind>,
    /// Only items created at or after / before these times (unix seconds).
    pub created_from: Option<i64>,
    pub created_until: Option<i64>,
    pub order: SearchOrder,
    /// Keyset cursor: (the order's count — supports or comments; ignored for recent —, id) of the last row
    /// of the previous page.
    pub after: Option<(i64, i64)>,
    pub limit: i64,
}

/// Escapes nothing: index terms are letters and digits only, so they are safe inside quotes.
pub(crate) fn fts5_query(q: &maeul_domain::search::Query) -> String {
    match &q.prefix {
        Some(p) => format!("\"{p}\"*"),
        None => q
            .terms
            .iter()
            .map(|t| format!("\"{t}\""))
            .collect::<Vec<_>>()
            .join(" "),
    }
}

pub(crate) fn tsquery(q: &maeul_domain::search::Query) -> String {
    match &q.prefix {
        Some(p) => format!("'{p}':*"),
        None => q
            .terms
            .iter()
            .map(|t| format!("'{t}'"))
            .collect::<Vec<_>>()
            .join(" & "),
    }
}

/// A value bound to a search's SQL.
#[derive(Clone, Copy)]
enum Bind<'a> {
    Text(&'a str),
    Int(i64),
}

/// The conditions of a proposal search — only the filters given — with their values in placeholder
/// order. A filter left empty is left out rather than written `($n = '' OR …)`: PostgreSQL plans the
/// short statement in a fraction of the time (planning was most of a search's cost), and no plan has to
/// guess which filters are empty.
struct Conditions<'a> {
    sql: String,
    binds: Vec<Bind<'a>>,
    /// The placeholder of the first value (`$2` after a text query's `$1`).
    first: usize,
}

impl<'a> Conditions<'a> {
    /// The placeholder for `value`.
    fn bind(&mut self, value: Bind<'a>) -> String {
        self.binds.push(value);
        format!("${}", self.first + self.binds.len() - 1)
    }

    fn and(&mut self, condition: &str) {
        self.sql.push_str(" AND ");
        self.sql.push_str(condition);
    }

    /// A search's filters; `id` is the column the newest-first cursor compares (the full-text index's
    /// rowid on SQLite, so its walk starts at the cursor).
    fn of(search: &'a ProposalSearch, pattern: &'a str, first: usize, id: &str) -> Self {
        let mut c = Conditions {
            sql: "p.state NOT IN ('draft', 'submitted', 'rejected') AND p.hidden_at IS NULL".into(),
            binds: Vec::new(),
            first,
        };
        if !search.scope_prefix.is_empty() {
            let n = c.bind(Bind::Text(pattern));
            c.and(&format!(
                "p.scope_id IN (SELECT id FROM scopes WHERE code LIKE {n})"
            ));
        }
        if let Some(state) = search.state {
            let n = c.bind(Bind::Text(state.as_str()));
            c.and(&format!("p.state = {n}"));
        }
        if let Some(category) = search.category {
            let n = c.bind(Bind::Text(category.as_str()));
            c.and(&format!("p.category = {n}"));
        }
        if let Some(kind) = search.kind {
            let n = c.bind(Bind::Text(kind.as_str()));
            c.and(&format!("p.kind = {n}"));
        }
        if let Some(from) = search.created_from {
            let n = c.bind(Bind::Int(from));
            c.and(&format!("p.created_at >= {n}"));
        }
        if let Some(until) = search.created_until {
            let n = c.bind(Bind::Int(until));
            c.and(&format!("p.created_at < {n}"));
        }
        if let Some((count, last)) = search.after {
            let counted = match search.order {
                SearchOrder::Recent => None,
                SearchOrder::MostSupported => Some("p.support_count"),
                SearchOrder::MostCommented => Some("p.comment_count"),
            };
            let i = c.bind(Bind::Int(last));
            match counted {
                None => c.and(&format!("{id} < {i}")),
                Some(column) => {
                    let n = c.bind(Bind::Int(count));
                    c.and(&format!(
                        "({column} < {n} OR ({column} = {n} AND p.id < {i}))"
                    ));
                }
            }
        }
        c
    }
}

/// Binds a search's values in order (one body for both backends' query types).
macro_rules! bind_all {
    ($query:expr, $binds:expr) => {{
        let mut q = $query;
        for b in $binds {
            q = match b {
                Bind::Text(s) => q.bind(*s),
                Bind::Int(i) => q.bind(*i),
            };
        }
        q
    }};
}

/// Rounds of candidates one search page reads at most (a query whose letter pairs are everywhere but
/// whose text is nowhere must still end).
pub(crate) const SEARCH_ROUNDS: usize = 20;

impl Db {
    /// Public proposals matching a search, one page, exact: the bigram index proposes candidates, a few
    /// more than the page needs at a time; those whose text does not contain the query are dropped and the
    /// next candidates read, until the page is full or the candidates end. (Reading two and a half pages of
    /// candidates at once shipped every body twice over for nothing: a two-letter query is its own index
    /// term, and a longer one rarely fails the check.)
    pub async fn search_proposals(&self, search: &ProposalSearch) -> DbResult<Vec<ProposalRow>> {
        let Some(q) = &search.query else {
            return self.search_candidates(search, search.limit).await;
        };
        let mut page: Vec<ProposalRow> = Vec::new();
        let mut next = search.clone();
        for _ in 0..SEARCH_ROUNDS {
            let fetch = search.limit - page.len() as i64 + 5;
            let candidates = self.search_candidates(&next, fetch).await?;
            let ended = (candidates.len() as i64) < fetch;
            next.after = candidates.last().map(|p| {
                let count = match search.order {
                    SearchOrder::Recent => 0,
                    SearchOrder::MostSupported => p.support_count,
                    SearchOrder::MostCommented => p.comment_count,
                };
                (count, p.id)
            });
            page.extend(
                candidates
                    .into_iter()
                    .filter(|p| q.confirms(&format!("{} {}", p.title, p.body))),
            );
            if ended || page.len() as i64 >= search.limit {
                break;
            }
        }
        page.truncate(search.limit as usize);
        Ok(page)
    }

    /// Up to `fetch` proposals the index and the filters give for a search, in its order.
    async fn search_candidates(
        &self,
        search: &ProposalSearch,
        fetch: i64,
    ) -> DbResult<Vec<ProposalRow>> {
        let order = match search.order {
            SearchOrder::Recent => "ORDER BY p.id DESC",
            SearchOrder::MostSupported => "ORDER BY p.support_count DESC, p.id DESC",
            SearchOrder::MostCommented => "ORDER BY p.comment_count DESC, p.id DESC",
        };
        let pattern = format!("{}%", search.scope_prefix);
        Ok(match (&search.query, self) {
            // Only one-letter words (`a b`): nothing for the index to look up, so nothing matches (an
            // empty FTS5 MATCH would be an error).
            (Some(q), _) if q.terms.is_empty() && q.prefix.is_none() => vec![],
            (None, _) => {
                let mut c = Conditions::of(search, &pattern, 1, "p.id");
                let limit = c.bind(Bind::Int(fetch));
                let sql = format!("{SELECT_PROPOSAL} WHERE {} {order} LIMIT {limit}", c.sql);
                db_run!(self, pool => bind_all!(sqlx::query_as::<_, ProposalRow>(&sql), &c.binds)
                    .fetch_all(pool).await?)
            }
            (Some(q), Db::Sqlite(pool)) => {
                // Newest first is the full-text index's own rowid order: SQLite walks the matches
                // backwards from the cursor and stops after a page, instead of sorting every match
                // (75 ms → 0.7 ms for a bigram found in 14,000 of 100,000 proposals; bench/public-sphere).
                let order = match search.order {
                    SearchOrder::Recent => "ORDER BY f.rowid DESC",
                    _ => order,
                };
                let mut c = Conditions::of(search, &pattern, 2, "f.rowid");
                let limit = c.bind(Bind::Int(fetch));
                let sql = format!(
                    "{SELECT_PROPOSAL} JOIN proposals_fts f ON f.rowid = p.id
                     WHERE proposals_fts MATCH $1 AND {} {order} LIMIT {limit}",
                    c.sql
                );
                let sql = crate::rows::json_array_sql(&sql, crate::rows::PROPOSAL_COLUMNS);
                let query = sqlx::query_scalar::<_, String>(&sql).bind(fts5_query(q));
                let json: String = bind_all!(query, &c.binds).fetch_one(pool).await?;
                crate::rows::decode::<ProposalRow, _>(&json, |p| search_order_key(search.order, p))?
            }
            (Some(q), Db::Postgres(pool)) => {
                let mut c = Conditions::of(search, &pattern, 2, "p.id");
                let limit = c.bind(Bind::Int(fetch));
                let sql = format!(
                    "{SELECT_PROPOSAL} WHERE p.search_tsv @@ to_tsquery('simple', $1) AND {} {order} LIMIT {limit}",
                    c.sql
                );
                // Not prepared: a generic plan cannot know how common the searched words are (a common
                // fragment is best found walking the newest proposals, a rare one through the GIN index).
                bind_all!(
                    sqlx::query_as::<_, ProposalRow>(&sql)
                        .persistent(false)
                        .bind(tsquery(q)),
                    &c.binds
                )
                .fetch_all(pool)
                .await?
            }
        })
    }
}

/// The sort key of a search order (what its ORDER BY sorts by, descending).
fn search_order_key(order: SearchOrder, p: &ProposalRow) -> std::cmp::Reverse<(i64, i64)> {
    std::cmp::Reverse(match order {
        SearchOrder::Recent => (p.id, 0),
        SearchOrder::MostSupported => (p.support_count, p.id),
        SearchOrder::MostCommented => (p.comment_count, p.id),
    })
}
