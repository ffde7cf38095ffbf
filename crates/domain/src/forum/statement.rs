//! Statements: their length, their moderation state, and the votes they take.

use super::{ConversationState, ForumRefusal, ModerationMode, Participation, may_take_part};
use crate::account::FieldError;

/// Statements are short, as in Pol.is: one idea each.
pub const STATEMENT_MIN_CHARS: usize = 5;
pub const STATEMENT_MAX_CHARS: usize = 140;
pub const TOPIC_MAX_CHARS: usize = 120;
pub const DESCRIPTION_MAX_CHARS: usize = 4000;

crate::named_enum! {
    /// A statement's moderation state.
    pub enum StatementState: "statement state", label "forum-statement-" {
        /// Waiting for a moderator (pre-moderation): not shown, not voted on.
        Pending = "pending",
        /// Shown and voted on.
        Accepted = "accepted",
        /// Hidden by a moderator: out of voting and out of the map.
        Hidden = "hidden",
    }
}

crate::named_enum! {
    /// A participant's reaction to a statement.
    pub enum VoteValue: "vote value", label "forum-vote-" {
        Agree = "agree",
        Disagree = "disagree",
        Pass = "pass",
    }
}

impl VoteValue {
    /// Pol.is's export sign: 1 agree, -1 disagree, 0 pass.
    pub fn export_sign(self) -> i64 {
        match self {
            VoteValue::Agree => 1,
            VoteValue::Disagree => -1,
            VoteValue::Pass => 0,
        }
    }

    pub fn from_export_sign(sign: i64) -> Option<VoteValue> {
        match sign {
            1 => Some(VoteValue::Agree),
            -1 => Some(VoteValue::Disagree),
            0 => Some(VoteValue::Pass),
            _ => None,
        }
    }
}

/// A statement's text, trimmed and with its whitespace collapsed, if its length is acceptable.
pub fn check_statement(text: &str) -> Result<String, FieldError> {
    let clean = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let n = clean.chars().count();
    if n == 0 {
        Err(FieldError::Required)
    } else if n < STATEMENT_MIN_CHARS {
        Err(FieldError::TooShort {
            min: STATEMENT_MIN_CHARS,
        })
    } else if n > STATEMENT_MAX_CHARS {
        Err(FieldError::TooLong {
            max: STATEMENT_MAX_CHARS,
        })
    } else {
        Ok(clean)
    }
}

/// A conversation's topic: required, at most [`TOPIC_MAX_CHARS`].
pub fn check_topic(text: &str) -> Result<String, FieldError> {
    let clean = text.trim();
    match clean.chars().count() {
        0 => Err(FieldError::Required),
        n if n > TOPIC_MAX_CHARS => Err(FieldError::TooLong {
            max: TOPIC_MAX_CHARS,
        }),
        _ => Ok(clean.to_owned()),
    }
}

/// A conversation's description: optional, at most [`DESCRIPTION_MAX_CHARS`].
pub fn check_description(text: &str) -> Result<String, FieldError> {
    let clean = text.trim();
    if clean.chars().count() > DESCRIPTION_MAX_CHARS {
        Err(FieldError::TooLong {
            max: DESCRIPTION_MAX_CHARS,
        })
    } else {
        Ok(clean.to_owned())
    }
}

/// The state a new statement starts in: pending under pre-moderation (unless a moderator writes it),
/// accepted under post-moderation.
pub fn initial_state(mode: ModerationMode, by_moderator: bool) -> StatementState {
    match mode {
        ModerationMode::Pre if !by_moderator => StatementState::Pending,
        _ => StatementState::Accepted,
    }
}

/// A moderator's decision on a statement: accept (show) or hide. Deciding what it already is is refused.
pub fn moderate(from: StatementState, to: StatementState) -> Result<StatementState, ForumRefusal> {
    if from == to || to == StatementState::Pending {
        Err(ForumRefusal::AlreadyModerated {
            state: from.label_id(),
        })
    } else {
        Ok(to)
    }
}

/// Whether a vote may be cast: the person may take part, and the statement is accepted.
pub fn check_vote(
    conversation: ConversationState,
    participation: Participation,
    resident_of_scope: bool,
    statement: StatementState,
) -> Result<(), ForumRefusal> {
    may_take_part(conversation, participation, resident_of_scope)?;
    if statement != StatementState::Accepted {
        return Err(ForumRefusal::StatementNotVotable);
    }
    Ok(())
}
