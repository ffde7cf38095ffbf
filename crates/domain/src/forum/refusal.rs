//! Every refusal of the forums' rules, typed for the edge ([`crate::refusal::Explain`]).

use crate::refusal::{Arg, Explain, RefusalKind};

/// What the forums' rules refuse.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ForumRefusal {
    /// `state` and `event` are the Fluent ids of the current state's label and of the attempted event.
    #[error("{state} cannot {event}")]
    NotAllowed {
        state: &'static str,
        event: &'static str,
    },
    #[error("the conversation is not open")]
    NotOpen,
    #[error("only verified residents of the scope take part")]
    ResidentsOnly,
    #[error("the statement is not open to votes")]
    StatementNotVotable,
    #[error("a report is required")]
    ReportRequired,
    #[error("the statement is already {state}")]
    AlreadyModerated { state: &'static str },
}

impl Explain for ForumRefusal {
    fn code(&self) -> &'static str {
        match self {
            ForumRefusal::NotAllowed { .. } => "transition_not_allowed",
            ForumRefusal::NotOpen => "conversation_not_open",
            ForumRefusal::ResidentsOnly => "residents_only",
            ForumRefusal::StatementNotVotable => "statement_not_votable",
            ForumRefusal::ReportRequired => "report_required",
            ForumRefusal::AlreadyModerated { .. } => "already_moderated",
        }
    }
    fn message_id(&self) -> &'static str {
        match self {
            ForumRefusal::NotAllowed { .. } => "refusal-transition-not-allowed",
            ForumRefusal::NotOpen => "forum-refusal-not-open",
            ForumRefusal::ResidentsOnly => "forum-refusal-residents-only",
            ForumRefusal::StatementNotVotable => "forum-refusal-statement-not-votable",
            ForumRefusal::ReportRequired => "forum-refusal-report-required",
            ForumRefusal::AlreadyModerated { .. } => "forum-refusal-already-moderated",
        }
    }
    fn args(&self) -> Vec<(&'static str, Arg)> {
        match self {
            ForumRefusal::NotAllowed { state, event } => vec![
                ("state", Arg::Message(state)),
                ("event", Arg::Message(event)),
            ],
            ForumRefusal::AlreadyModerated { state } => vec![("state", Arg::Message(state))],
            _ => vec![],
        }
    }
    fn kind(&self) -> RefusalKind {
        match self {
            ForumRefusal::ReportRequired => RefusalKind::Invalid,
            ForumRefusal::ResidentsOnly => RefusalKind::Forbidden,
            _ => RefusalKind::Conflict,
        }
    }
}
