//! The conversation: its lifecycle, who may take part, and how its statements are moderated.

use super::ForumRefusal;

crate::named_enum! {
    /// Where a conversation is in its lifecycle.
    pub enum ConversationState: "conversation state", label "forum-state-" {
        /// Being prepared by staff: not yet open to statements and votes.
        Draft = "draft",
        Open = "open",
        /// No more statements or votes; the map stays.
        Closed = "closed",
        /// Closed, and its report (what unites, what divides, the groups) is published.
        Reported = "reported",
    }
}

crate::named_enum! {
    /// Who may write statements and vote.
    pub enum Participation: "conversation participation", label "forum-participation-" {
        /// Verified residents of the conversation's scope (or of a scope below it).
        Residents = "residents",
        /// Anyone signed in.
        SignedIn = "signed_in",
    }
}

crate::named_enum! {
    /// When statements are moderated.
    pub enum ModerationMode: "conversation moderation", label "forum-moderation-" {
        /// A statement is shown only once a moderator accepted it.
        Pre = "pre",
        /// A statement is shown at once; a moderator may hide it afterwards.
        Post = "post",
    }
}

/// What staff do to a conversation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConversationEvent {
    Open,
    Close,
    /// Publishes the closing report (must say something).
    PublishReport {
        report: String,
    },
}

impl ConversationEvent {
    /// The Fluent id naming the event in refusals.
    pub fn message_id(&self) -> &'static str {
        match self {
            ConversationEvent::Open => "forum-event-open",
            ConversationEvent::Close => "forum-event-close",
            ConversationEvent::PublishReport { .. } => "forum-event-report",
        }
    }
}

/// Applies `event` to a conversation in `state`.
pub fn apply(
    state: ConversationState,
    event: &ConversationEvent,
) -> Result<ConversationState, ForumRefusal> {
    use ConversationEvent as E;
    use ConversationState as S;
    match (state, event) {
        (S::Draft, E::Open) => Ok(S::Open),
        (S::Open, E::Close) => Ok(S::Closed),
        (S::Closed, E::PublishReport { report }) => {
            if report.trim().is_empty() {
                Err(ForumRefusal::ReportRequired)
            } else {
                Ok(S::Reported)
            }
        }
        _ => Err(ForumRefusal::NotAllowed {
            state: state.label_id(),
            event: event.message_id(),
        }),
    }
}

/// Whether a person may take part (write statements, vote): the conversation must be open, and under
/// [`Participation::Residents`] the person a verified resident of its scope (or below).
pub fn may_take_part(
    state: ConversationState,
    participation: Participation,
    resident_of_scope: bool,
) -> Result<(), ForumRefusal> {
    if state != ConversationState::Open {
        return Err(ForumRefusal::NotOpen);
    }
    if participation == Participation::Residents && !resident_of_scope {
        return Err(ForumRefusal::ResidentsOnly);
    }
    Ok(())
}
