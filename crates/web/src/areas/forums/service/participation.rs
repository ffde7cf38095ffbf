//! Taking part: statements (moderated before or after they show, by the conversation's mode), votes (the
//! latest counts), and moderators' decisions.
use maeul_db::forums::NewVote;
use maeul_domain::Refusal;
use maeul_domain::account::FieldError;
use maeul_domain::forum::{self, StatementState, VoteValue};

use super::{load, may_moderate, resident_of};
use crate::AppState;
use crate::http::{Caller, ServiceError, ServiceResult, signed_in};

/// Votes `vote` (`agree`, `disagree`, `pass`) on a statement of the conversation; the caller's pseudonym.
pub async fn vote(
    state: &AppState,
    caller: Option<&Caller>,
    id: i64,
    statement_id: i64,
    vote: &str,
) -> ServiceResult<i64> {
    let me = signed_in(caller)?;
    let value = VoteValue::parse(vote).ok_or(Refusal::field("vote", FieldError::Invalid))?;
    let (conversation, scope) = load(state, id).await?;
    let (_, statement_state) = state
        .db
        .forum_statement_state(statement_id)
        .await?
        .filter(|(c, _)| *c == id)
        .ok_or(Refusal::field("statement", FieldError::Invalid))?;
    forum::check_vote(
        conversation.state,
        conversation.participation,
        resident_of(state, me, scope.id),
        statement_state,
    )
    .map_err(Refusal::from)?;
    let pseudonym = state.db.forum_participant(id, me.id()).await?;
    state
        .forum_votes
        .cast(
            &state.db,
            NewVote {
                conversation_id: id,
                statement_id,
                pseudonym,
                vote: value,
            },
        )
        .await?
        .ok_or(Refusal::from(forum::ForumRefusal::StatementNotVotable))?;
    Ok(pseudonym)
}

/// Submits a statement; its id and whether it shows at once (post-moderation, or written by a moderator).
pub async fn submit(
    state: &AppState,
    caller: Option<&Caller>,
    id: i64,
    body: &str,
) -> ServiceResult<(i64, bool)> {
    let me = signed_in(caller)?;
    let (conversation, scope) = load(state, id).await?;
    forum::may_take_part(
        conversation.state,
        conversation.participation,
        resident_of(state, me, scope.id),
    )
    .map_err(Refusal::from)?;
    let body = forum::check_statement(body).map_err(|e| Refusal::field("body", e))?;
    let initial = forum::initial_state(
        conversation.moderation,
        may_moderate(state, Some(me), scope.id),
    );
    let pseudonym = state.db.forum_participant(id, me.id()).await?;
    let statement = state
        .db
        .add_statement(id, Some((me.id(), pseudonym)), &body, initial)
        .await?;
    Ok((statement, initial == StatementState::Accepted))
}

/// A moderator accepts (`accept`) or hides (`hide`) a statement; the conversation's id.
pub async fn moderate(
    state: &AppState,
    caller: Option<&Caller>,
    statement_id: i64,
    decision: &str,
) -> ServiceResult<i64> {
    let me = signed_in(caller)?;
    let statement = state
        .db
        .forum_statement(statement_id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let (_, scope) = load(state, statement.conversation_id).await?;
    if !may_moderate(state, Some(me), scope.id) {
        return Err(ServiceError::Forbidden);
    }
    let to = match decision {
        "accept" => StatementState::Accepted,
        "hide" => StatementState::Hidden,
        _ => return Err(Refusal::field("decision", FieldError::Invalid).into()),
    };
    state
        .db
        .moderate_statement(statement_id, me.id(), to)
        .await?;
    Ok(statement.conversation_id)
}
