//! Forums' storage: conversations (attached to an object or standing alone in a scope) with compare-and-set
//! transitions and their records, per-conversation participant pseudonyms, statements with their moderation
//! state, votes (an append-only event log plus one current vote per participant and statement, the latest
//! event winning), and map snapshots with their history. A vote schedules the conversation's map update in
//! the job queue in the same transaction, coalesced: one pending update per conversation and snapshot.
mod conversations;
mod maps;
mod votes;

pub use conversations::*;
pub use maps::*;
pub use votes::*;

/// The job kind of a map update; the job's `detail` is the conversation id.
pub const KIND_FORUM_MAP: &str = "forum_map";
