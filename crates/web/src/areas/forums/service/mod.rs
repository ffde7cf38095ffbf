//! The forums' use cases: conversations (list, create, open / close / publish the report), taking part
//! (statements, votes, one statement at a time), moderation, and the map (its update as a job, the page,
//! the Pol.is export). Authorization is here for every action: staff of the scope (`ManageAgenda`) run
//! conversations, its moderators moderate, and the conversation's participation rule says who takes part.
pub mod conversations;
pub mod maps;
pub mod participation;

use maeul_db::forums::ConversationRow;
use maeul_domain::{Action, Scope};

use crate::AppState;
use crate::http::{Caller, ServiceError, ServiceResult};

/// A conversation and its scope, or `NotFound`.
pub async fn load(state: &AppState, id: i64) -> ServiceResult<(ConversationRow, Scope)> {
    let conversation = state
        .db
        .conversation(id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let scope = state
        .scopes()
        .get(conversation.scope_id)
        .cloned()
        .ok_or(ServiceError::NotFound)?;
    Ok((conversation, scope))
}

/// May the caller run conversations of the scope (create, open, close, publish the report)?
pub fn may_manage(state: &AppState, caller: Option<&Caller>, scope_id: i64) -> bool {
    caller.is_some_and(|c| c.may(&state.scopes(), Action::ManageAgenda, scope_id))
}

/// May the caller moderate statements in the scope?
pub fn may_moderate(state: &AppState, caller: Option<&Caller>, scope_id: i64) -> bool {
    caller.is_some_and(|c| c.may(&state.scopes(), Action::Moderate, scope_id))
}

/// Is the caller a verified resident of the scope (or of a scope below it)?
pub fn resident_of(state: &AppState, caller: &Caller, scope_id: i64) -> bool {
    caller.may(&state.scopes(), Action::ParticipateAsResident, scope_id)
}
