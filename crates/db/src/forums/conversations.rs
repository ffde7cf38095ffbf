//! Conversations and their statements.
use maeul_domain::forum::{
    self, ConversationEvent, ConversationState, ModerationMode, Participation, StatementState,
};
use maeul_domain::{ObjectKind, ObjectRef, Refusal};

use crate::{BeginWrite, Db, DbError, DbResult, OptionalName, db_run, now, refused};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ConversationRow {
    pub id: i64,
    pub scope_id: i64,
    #[sqlx(try_from = "Option<String>")]
    pub object_kind: OptionalName<ObjectKind>,
    pub object_id: Option<i64>,
    pub topic: String,
    pub description: String,
    #[sqlx(try_from = "String")]
    pub state: ConversationState,
    #[sqlx(try_from = "String")]
    pub participation: Participation,
    #[sqlx(try_from = "String")]
    pub moderation: ModerationMode,
    pub report: String,
    pub created_by: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
}

impl ConversationRow {
    /// The object the conversation is attached to, if any.
    pub fn object(&self) -> Option<ObjectRef> {
        Some(ObjectRef::new(self.object_kind.0?, self.object_id?))
    }
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct StatementRow {
    pub id: i64,
    pub conversation_id: i64,
    pub author_id: Option<i64>,
    pub author_pseudonym: Option<i64>,
    pub body: String,
    #[sqlx(try_from = "String")]
    pub state: StatementState,
    pub created_at: i64,
    /// Current agree, disagree and pass votes.
    pub agrees: i64,
    pub disagrees: i64,
    pub passes: i64,
}

pub struct NewConversation<'a> {
    pub scope_id: i64,
    pub object: Option<ObjectRef>,
    pub topic: &'a str,
    pub description: &'a str,
    pub participation: Participation,
    pub moderation: ModerationMode,
    pub created_by: Option<i64>,
}

const SELECT_CONVERSATION: &str =
    "SELECT id, scope_id, object_kind, object_id, topic, description, state,
    participation, moderation, report, created_by, created_at, updated_at FROM forum_conversations";

const SELECT_STATEMENT: &str = "SELECT s.id, s.conversation_id, s.author_id, s.author_pseudonym, s.body,
    s.state, s.created_at,
    CAST((SELECT COUNT(*) FROM forum_votes v WHERE v.statement_id = s.id AND v.vote = 1) AS BIGINT) AS agrees,
    CAST((SELECT COUNT(*) FROM forum_votes v WHERE v.statement_id = s.id AND v.vote = -1) AS BIGINT) AS disagrees,
    CAST((SELECT COUNT(*) FROM forum_votes v WHERE v.statement_id = s.id AND v.vote = 0) AS BIGINT) AS passes
    FROM forum_statements s";

impl Db {
    /// Records a new conversation in `draft`, with its first transition.
    pub async fn create_conversation(&self, new: &NewConversation<'_>) -> DbResult<i64> {
        let at = now();
        let (kind, object_id) = match new.object {
            Some(o) => (Some(o.kind.as_str()), Some(o.id)),
            None => (None, None),
        };
        db_run!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let id = sqlx::query_scalar::<_, i64>(
                "INSERT INTO forum_conversations (scope_id, object_kind, object_id, topic, description, state,
                    participation, moderation, created_by, created_at, updated_at)
                 VALUES ($1, $2, $3, $4, $5, 'draft', $6, $7, $8, $9, $9) RETURNING id")
                .bind(new.scope_id).bind(kind).bind(object_id).bind(new.topic).bind(new.description)
                .bind(new.participation.as_str()).bind(new.moderation.as_str()).bind(new.created_by).bind(at)
                .fetch_one(&mut *tx).await?;
            sqlx::query(
                "INSERT INTO forum_transitions (conversation_id, from_state, to_state, actor_id, at)
                 VALUES ($1, NULL, 'draft', $2, $3)")
                .bind(id).bind(new.created_by).bind(at).execute(&mut *tx).await?;
            tx.commit().await?;
            Ok(id)
        })
    }

    pub async fn conversation(&self, id: i64) -> DbResult<Option<ConversationRow>> {
        let sql = format!("{SELECT_CONVERSATION} WHERE id = $1");
        Ok(
            db_run!(self, pool => sqlx::query_as::<_, ConversationRow>(&sql).bind(id).fetch_optional(pool).await?),
        )
    }

    /// The conversations of a scope, newest first.
    pub async fn conversations_in(&self, scope_id: i64) -> DbResult<Vec<ConversationRow>> {
        let sql = format!("{SELECT_CONVERSATION} WHERE scope_id = $1 ORDER BY id DESC");
        Ok(
            db_run!(self, pool => sqlx::query_as::<_, ConversationRow>(&sql).bind(scope_id).fetch_all(pool).await?),
        )
    }

    /// The conversations attached to an object, newest first.
    pub async fn conversations_about(&self, object: ObjectRef) -> DbResult<Vec<ConversationRow>> {
        let sql = format!(
            "{SELECT_CONVERSATION} WHERE object_kind = $1 AND object_id = $2 ORDER BY id DESC"
        );
        Ok(
            db_run!(self, pool => sqlx::query_as::<_, ConversationRow>(&sql)
            .bind(object.kind.as_str()).bind(object.id).fetch_all(pool).await?),
        )
    }

    /// Applies a staff event (open, close, publish the report): checked by the rules, compare-and-set on
    /// the state, with its transition record in the same transaction.
    pub async fn transition_conversation(
        &self,
        id: i64,
        actor: Option<i64>,
        event: &ConversationEvent,
    ) -> DbResult<ConversationState> {
        let conversation = self.conversation(id).await?.ok_or(DbError::NotFound)?;
        let to = forum::apply(conversation.state, event).map_err(refused)?;
        let report = match event {
            ConversationEvent::PublishReport { report } => Some(report.trim().to_owned()),
            _ => None,
        };
        let at = now();
        db_run!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let n = sqlx::query(
                "UPDATE forum_conversations SET state = $1, updated_at = $2, report = COALESCE($3, report)
                 WHERE id = $4 AND state = $5")
                .bind(to.as_str()).bind(at).bind(&report).bind(id).bind(conversation.state.as_str())
                .execute(&mut *tx).await?.rows_affected();
            if n == 0 {
                return Err(DbError::Refused(Refusal::Stale));
            }
            sqlx::query(
                "INSERT INTO forum_transitions (conversation_id, from_state, to_state, actor_id, at)
                 VALUES ($1, $2, $3, $4, $5)")
                .bind(id).bind(conversation.state.as_str()).bind(to.as_str()).bind(actor).bind(at)
                .execute(&mut *tx).await?;
            tx.commit().await?;
        });
        Ok(to)
    }

    /// The participant's pseudonym in a conversation, if they took part.
    pub async fn forum_pseudonym(
        &self,
        conversation_id: i64,
        user_id: i64,
    ) -> DbResult<Option<i64>> {
        Ok(db_run!(self, pool => sqlx::query_scalar::<_, i64>(
            "SELECT pseudonym FROM forum_conversation_participants WHERE conversation_id = $1 AND user_id = $2")
            .bind(conversation_id).bind(user_id).fetch_optional(pool).await?))
    }

    /// The participant's pseudonym, given on first participation: the conversation's next number (0, 1,
    /// 2, … as Pol.is numbers participants), taken under the conversation row's lock so numbers are unique
    /// and without gaps.
    pub async fn forum_participant(&self, conversation_id: i64, user_id: i64) -> DbResult<i64> {
        if let Some(p) = self.forum_pseudonym(conversation_id, user_id).await? {
            return Ok(p);
        }
        let at = now();
        let taken = db_run!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let number = sqlx::query_scalar::<_, i64>(
                "UPDATE forum_conversations SET next_pseudonym = next_pseudonym + 1 WHERE id = $1
                 RETURNING next_pseudonym - 1")
                .bind(conversation_id).fetch_optional(&mut *tx).await?.ok_or(DbError::NotFound)?;
            let n = sqlx::query(
                "INSERT INTO forum_conversation_participants (conversation_id, user_id, pseudonym, created_at)
                 VALUES ($1, $2, $3, $4) ON CONFLICT (conversation_id, user_id) DO NOTHING")
                .bind(conversation_id).bind(user_id).bind(number).bind(at)
                .execute(&mut *tx).await?.rows_affected();
            if n == 1 {
                tx.commit().await?;
                Some(number)
            } else {
                // Someone else's request made them a participant meanwhile: keep their number.
                tx.rollback().await?;
                None
            }
        });
        match taken {
            Some(p) => Ok(p),
            None => self
                .forum_pseudonym(conversation_id, user_id)
                .await?
                .ok_or(DbError::NotFound),
        }
    }

    /// Adds a statement by a participant in the given state. Refused unless the conversation is open
    /// (checked in the insert itself).
    pub async fn add_statement(
        &self,
        conversation_id: i64,
        author: Option<(i64, i64)>,
        body: &str,
        state: StatementState,
    ) -> DbResult<i64> {
        let at = now();
        let (author_id, pseudonym) = (author.map(|a| a.0), author.map(|a| a.1));
        let id = db_run!(self, pool => sqlx::query_scalar::<_, i64>(
            "INSERT INTO forum_statements (conversation_id, author_id, author_pseudonym, body, state, created_at)
             SELECT $1, $2, $3, $4, $5, $6 WHERE EXISTS
               (SELECT 1 FROM forum_conversations WHERE id = $1 AND state = 'open')
             RETURNING id")
            .bind(conversation_id).bind(author_id).bind(pseudonym).bind(body).bind(state.as_str()).bind(at)
            .fetch_optional(pool).await?);
        id.ok_or_else(|| refused(forum::ForumRefusal::NotOpen))
    }

    pub async fn forum_statement(&self, id: i64) -> DbResult<Option<StatementRow>> {
        let sql = format!("{SELECT_STATEMENT} WHERE s.id = $1");
        Ok(
            db_run!(self, pool => sqlx::query_as::<_, StatementRow>(&sql).bind(id).fetch_optional(pool).await?),
        )
    }

    /// A statement's conversation and moderation state (what a vote needs, without the vote counts).
    pub async fn forum_statement_state(&self, id: i64) -> DbResult<Option<(i64, StatementState)>> {
        let row: Option<(i64, String)> = db_run!(self, pool => sqlx::query_as(
            "SELECT conversation_id, state FROM forum_statements WHERE id = $1")
            .bind(id).fetch_optional(pool).await?);
        row.map(|(c, s)| Ok((c, StatementState::try_from(s)?)))
            .transpose()
    }

    /// A conversation's statements, oldest first, with their current vote counts.
    pub async fn forum_statements(&self, conversation_id: i64) -> DbResult<Vec<StatementRow>> {
        let sql = format!("{SELECT_STATEMENT} WHERE s.conversation_id = $1 ORDER BY s.id");
        Ok(
            db_run!(self, pool => sqlx::query_as::<_, StatementRow>(&sql)
            .bind(conversation_id).fetch_all(pool).await?),
        )
    }

    /// A moderator accepts or hides a statement (compare-and-set on its state). Hiding takes it out of
    /// voting at once and out of the map at the next update, which is scheduled here.
    pub async fn moderate_statement(
        &self,
        statement_id: i64,
        moderator: i64,
        to: StatementState,
    ) -> DbResult<StatementState> {
        let statement = self
            .forum_statement(statement_id)
            .await?
            .ok_or(DbError::NotFound)?;
        let to = forum::moderate(statement.state, to).map_err(refused)?;
        let at = now();
        db_run!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let n = sqlx::query(
                "UPDATE forum_statements SET state = $1, moderated_by = $2, moderated_at = $3
                 WHERE id = $4 AND state = $5")
                .bind(to.as_str()).bind(moderator).bind(at).bind(statement_id).bind(statement.state.as_str())
                .execute(&mut *tx).await?.rows_affected();
            if n == 0 {
                return Err(DbError::Refused(Refusal::Stale));
            }
            crate::schedule_forum_map!(self, tx, statement.conversation_id, at);
            tx.commit().await?;
        });
        Ok(to)
    }
}
