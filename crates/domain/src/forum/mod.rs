//! Forums with live opinion maps (issue 14): a conversation attached to a deliberable object (agenda item,
//! proposal, debate, budget process, committee meeting) or standing alone in a scope, in which participants
//! write short statements and vote agree / disagree / pass; the opinion map (`maeul-opinion`) shows the
//! groups that vote alike.
//!
//! ```text
//! conversation: draft ─open→ open ─close→ closed ─publish report(text)→ reported
//! statement:    pre-moderation: pending ─accept→ accepted | ─hide→ hidden
//!               post-moderation: accepted (at once) ─hide→ hidden ─accept→ accepted
//! vote:         only while open, only on an accepted statement, only by whom the participation rule admits;
//!               a later vote replaces the earlier one
//! ```

mod conversation;
mod refusal;
mod statement;

pub use conversation::*;
pub use refusal::*;
pub use statement::*;

#[cfg(test)]
mod tests;
