//! The conversation model: statements with their moderation state and the stream of vote events.

/// Participant identifier (Pol.is `pid`).
pub type ParticipantId = u64;
/// Statement identifier (Pol.is `tid`, "comment id").
pub type StatementId = u64;

/// A participant's reaction to a statement.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Vote {
    Agree,
    Disagree,
    Pass,
}

impl Vote {
    /// Pol.is export sign: 1 = agree, -1 = disagree, 0 = pass.
    pub fn from_export_sign(sign: i64) -> Option<Vote> {
        match sign {
            1 => Some(Vote::Agree),
            -1 => Some(Vote::Disagree),
            0 => Some(Vote::Pass),
            _ => None,
        }
    }

    /// Polismath's internal sign (agree = -1, disagree = 1, pass = 0). The engine computes in this sign
    /// so that its numbers (PCA centre, statement projections) compare directly with polismath's.
    pub fn internal_value(self) -> i8 {
        match self {
            Vote::Agree => -1,
            Vote::Disagree => 1,
            Vote::Pass => 0,
        }
    }
}

/// Moderation state of a statement.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Moderation {
    Rejected,
    #[default]
    Unmoderated,
    Accepted,
}

impl Moderation {
    /// Pol.is export value: -1 rejected, 0 unmoderated, 1 accepted.
    pub fn from_export(value: i64) -> Option<Moderation> {
        match value {
            -1 => Some(Moderation::Rejected),
            0 => Some(Moderation::Unmoderated),
            1 => Some(Moderation::Accepted),
            _ => None,
        }
    }
}

/// A statement ("comment") participants vote on.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Statement {
    pub id: StatementId,
    pub author: Option<ParticipantId>,
    pub text: String,
    pub moderation: Moderation,
    /// Meta statements (about the conversation itself) are voted on but kept out of the opinion math.
    pub is_meta: bool,
    /// Pol.is's own group-aware consensus, when the export carries it (newer exports).
    pub exported_group_consensus: Option<f64>,
}

impl Statement {
    /// Whether polismath removes the statement from the math ("mod-out"): rejected or meta.
    pub fn is_moderated_out(&self) -> bool {
        self.moderation == Moderation::Rejected || self.is_meta
    }
}

/// One vote event. `time` orders events (milliseconds since the epoch in Pol.is exports); the latest event of a
/// participant on a statement wins.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct VoteEvent {
    pub time: i64,
    pub participant: ParticipantId,
    pub statement: StatementId,
    pub vote: Vote,
}

/// A conversation: its statements and every vote event.
#[derive(Debug, Clone, Default)]
pub struct Conversation {
    pub statements: Vec<Statement>,
    pub votes: Vec<VoteEvent>,
    /// Group ids Pol.is exported (`participants-votes.csv`, column `group-id`), when read from an export.
    pub exported_groups: Vec<(ParticipantId, Option<u32>)>,
}

impl Conversation {
    /// Vote events in the canonical order the engine consumes them: by time, ties broken by the event's own
    /// fields so the result never depends on the order rows were given in.
    pub fn votes_in_time_order(&self) -> Vec<VoteEvent> {
        let mut events = self.votes.clone();
        events.sort_unstable();
        events.dedup();
        events
    }

    /// Vote events on statement ids that are not among `statements`: how many events, and the distinct ids
    /// (ascending). Meaningful when the statement list was read (a `participants-votes.csv`-only export has
    /// none, and then every vote would be counted).
    pub fn votes_on_unknown_statements(&self) -> (usize, Vec<StatementId>) {
        let known: std::collections::HashSet<StatementId> =
            self.statements.iter().map(|s| s.id).collect();
        let mut ids = Vec::new();
        let mut events = 0;
        for vote in &self.votes {
            if !known.contains(&vote.statement) {
                events += 1;
                ids.push(vote.statement);
            }
        }
        ids.sort_unstable();
        ids.dedup();
        (events, ids)
    }

    /// Statement ids that polismath removes from the math (rejected or meta).
    pub fn moderated_out(&self) -> Vec<StatementId> {
        let mut out: Vec<StatementId> = self
            .statements
            .iter()
            .filter(|s| s.is_moderated_out())
            .map(|s| s.id)
            .collect();
        out.sort_unstable();
        out
    }
}
