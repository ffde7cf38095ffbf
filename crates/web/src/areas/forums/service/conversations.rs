//! Conversations: a scope's list, creation by staff (standing alone or attached to an object), staff's
//! steps, and the conversation page's view (the next statement for the caller, chosen by the engine's
//! comment priority).
use maeul_db::forums::{ConversationRow, NewConversation, StatementRow};
use maeul_domain::account::FieldError;
use maeul_domain::forum::{
    self, ConversationEvent, ForumRefusal, ModerationMode, Participation, StatementState,
};
use maeul_domain::{ObjectKind, ObjectRef, Scope};

use super::{load, may_manage, may_moderate, resident_of};
use crate::AppState;
use crate::areas::accounts::service::Fields;
use crate::areas::forums::engine;
use crate::areas::plan::service::scope_by_code;
use crate::http::{Caller, ServiceError, ServiceResult, signed_in};

/// The kinds of object a conversation may be attached to.
pub const ATTACHABLE: &[ObjectKind] = &[
    ObjectKind::AgendaItem,
    ObjectKind::Proposal,
    ObjectKind::Debate,
    ObjectKind::BudgetProcess,
    ObjectKind::CommitteeMeeting,
];

pub struct ListView {
    pub scope: Scope,
    pub conversations: Vec<ConversationRow>,
    pub may_create: bool,
}

pub async fn list(
    state: &AppState,
    caller: Option<&Caller>,
    code: &str,
) -> ServiceResult<ListView> {
    let scope = scope_by_code(state, code)?;
    let conversations = state
        .db
        .conversations_in(scope.id)
        .await?
        .into_iter()
        .filter(|c| {
            c.state != forum::ConversationState::Draft || may_manage(state, caller, scope.id)
        })
        .collect();
    Ok(ListView {
        may_create: may_manage(state, caller, scope.id),
        scope,
        conversations,
    })
}

/// A conversation as staff create it.
#[derive(Default)]
pub struct ConversationInput<'a> {
    pub topic: &'a str,
    pub description: &'a str,
    /// `residents` or `signed_in`.
    pub participation: &'a str,
    /// `pre` or `post`.
    pub moderation: &'a str,
    /// An object kind of [`ATTACHABLE`], or empty for a conversation standing alone.
    pub object_kind: &'a str,
    pub object_id: &'a str,
    /// Open at once.
    pub open: bool,
}

/// Staff of the scope create a conversation (in draft, or opened at once); its id.
pub async fn create(
    state: &AppState,
    caller: Option<&Caller>,
    code: &str,
    input: &ConversationInput<'_>,
) -> ServiceResult<i64> {
    let me = signed_in(caller)?;
    let scope = scope_by_code(state, code)?;
    if !may_manage(state, Some(me), scope.id) {
        return Err(ServiceError::Forbidden);
    }
    let mut fields = Fields::default();
    let topic = fields.check("topic", forum::check_topic(input.topic));
    let description = fields.check("description", forum::check_description(input.description));
    let participation = fields.check(
        "participation",
        Participation::parse(input.participation).ok_or(FieldError::Invalid),
    );
    let moderation = fields.check(
        "moderation",
        ModerationMode::parse(input.moderation).ok_or(FieldError::Invalid),
    );
    let object = match input.object_kind.trim() {
        "" => None,
        kind => {
            let kind = ObjectKind::parse(kind).filter(|k| ATTACHABLE.contains(k));
            let id = input
                .object_id
                .trim()
                .parse::<i64>()
                .ok()
                .filter(|id| *id > 0);
            match (kind, id) {
                (Some(kind), Some(id)) => Some(ObjectRef::new(kind, id)),
                (None, _) => {
                    fields.add("object_kind", FieldError::Invalid);
                    None
                }
                (_, None) => {
                    fields.add("object_id", FieldError::Invalid);
                    None
                }
            }
        }
    };
    fields.finish()?;
    let (Some(topic), Some(description), Some(participation), Some(moderation)) =
        (topic, description, participation, moderation)
    else {
        unreachable!("checked above")
    };
    let id = state
        .db
        .create_conversation(&NewConversation {
            scope_id: scope.id,
            object,
            topic: &topic,
            description: &description,
            participation,
            moderation,
            created_by: Some(me.id()),
        })
        .await?;
    if input.open {
        state
            .db
            .transition_conversation(id, Some(me.id()), &ConversationEvent::Open)
            .await?;
    }
    Ok(id)
}

/// Staff open, close, or publish the report of a conversation (`event`: `open`, `close`, `report`).
pub async fn step(
    state: &AppState,
    caller: Option<&Caller>,
    id: i64,
    event: &str,
    report: &str,
) -> ServiceResult<()> {
    let me = signed_in(caller)?;
    let (conversation, _) = load(state, id).await?;
    if !may_manage(state, Some(me), conversation.scope_id) {
        return Err(ServiceError::Forbidden);
    }
    let event = match event {
        "open" => ConversationEvent::Open,
        "close" => ConversationEvent::Close,
        "report" => ConversationEvent::PublishReport {
            report: report.to_owned(),
        },
        _ => {
            return Err(maeul_domain::Refusal::field("event", FieldError::Invalid).into());
        }
    };
    state
        .db
        .transition_conversation(id, Some(me.id()), &event)
        .await?;
    Ok(())
}

/// A conversation with what its page shows the caller.
pub struct ConversationView {
    pub conversation: ConversationRow,
    pub scope: Scope,
    /// Accepted statements (and, for moderators, those waiting and hidden), oldest first.
    pub statements: Vec<StatementRow>,
    /// The statement to vote on next, chosen by the engine's comment priority.
    pub next: Option<StatementRow>,
    /// Whether the caller may take part, or why not (signed-in callers only).
    pub take_part: Option<Result<(), ForumRefusal>>,
    /// The caller's votes so far.
    pub my_votes: usize,
    pub may_manage: bool,
    pub may_moderate: bool,
}

pub async fn view(
    state: &AppState,
    caller: Option<&Caller>,
    id: i64,
) -> ServiceResult<ConversationView> {
    let (conversation, scope) = load(state, id).await?;
    let may_manage = may_manage(state, caller, scope.id);
    if conversation.state == forum::ConversationState::Draft && !may_manage {
        return Err(ServiceError::NotFound);
    }
    let may_moderate = may_moderate(state, caller, scope.id);
    let all = state.db.forum_statements(id).await?;
    let take_part = caller.map(|c| {
        forum::may_take_part(
            conversation.state,
            conversation.participation,
            resident_of(state, c, scope.id),
        )
    });
    let pseudonym = match caller {
        Some(c) => state.db.forum_pseudonym(id, c.id()).await?,
        None => None,
    };
    let mine = match pseudonym {
        Some(p) => state.db.forum_votes_of(id, p).await?,
        None => vec![],
    };
    let mut next = None;
    if matches!(take_part, Some(Ok(()))) {
        let candidates: Vec<i64> = all
            .iter()
            .filter(|s| {
                s.state == StatementState::Accepted && !mine.iter().any(|(sid, _)| *sid == s.id)
            })
            .map(|s| s.id)
            .collect();
        let map = state.db.latest_forum_map(id).await?;
        let chosen = engine::next_statement(
            &candidates,
            map.as_ref().map(|m| m.priorities_json.as_str()),
            pseudonym.unwrap_or(-1 - caller.map_or(0, Caller::id)),
            mine.len(),
        );
        next = chosen.and_then(|c| all.iter().find(|s| s.id == c).cloned());
    }
    let statements = all
        .into_iter()
        .filter(|s| may_moderate || s.state == StatementState::Accepted)
        .collect();
    Ok(ConversationView {
        conversation,
        scope,
        statements,
        next,
        take_part,
        my_votes: mine.len(),
        may_manage,
        may_moderate,
    })
}
