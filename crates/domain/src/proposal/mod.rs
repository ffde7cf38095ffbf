//! Resident proposals and petitions (domain workflow 4, the Democracy Seoul pattern) and the threshold
//! ladder that turns support into obligations.
//!
//! ```text
//! draft ─submit→ submitted ─accept→ collecting ─(forum rung | panel)→ forum ─┐
//!                   └─reject→ rejected      │                            │
//!                                            ├─deadline→ expired          ├─answer→ answered ─adopt→ adopted
//!                                            └───────────────answer──────┘          └─close→ closed
//! ```
//! Support rungs create obligations (a department or the head of the scope must answer by a due date);
//! the state records where the proposal is, the obligations what is owed on it.

crate::named_enum! {
    /// Where a proposal is in its life.
    pub enum ProposalState: "proposal state", label "state-" {
        Draft = "draft",
        Submitted = "submitted",
        Rejected = "rejected",
        Collecting = "collecting",
        Forum = "forum",
        Answered = "answered",
        Adopted = "adopted",
        Closed = "closed",
        Expired = "expired",
    }
}

impl ProposalState {
    /// Whether residents may add or withdraw support: while collecting, and while its forum is open
    /// (the forum does not end collection; an answer, adoption, closing or the deadline does).
    pub fn accepts_support(self) -> bool {
        matches!(self, ProposalState::Collecting | ProposalState::Forum)
    }

    /// Public once moderation accepted it (rejected proposals stay visible to their author only).
    pub fn is_public(self) -> bool {
        !matches!(
            self,
            ProposalState::Draft | ProposalState::Submitted | ProposalState::Rejected
        )
    }
}

/// What a proposal's count is measured in, for a rung.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Measure {
    Supporters,
    ForumParticipants,
}

crate::named_enum! {
    /// Who owes an answer.
    pub enum Responder: "responder", label "responder-" {
        /// The responsible department (담당 부서).
        Department = "department",
        /// The head of the scope: the mayor, the district head, or the neighbourhood council chair.
        Head = "head",
    }
}

crate::named_enum! {
    /// The two kinds of public-sphere item stored together: proposals and debates.
    pub enum ItemKind: "item kind", label "item-kind-" {
        Proposal = "proposal",
        Debate = "debate",
    }
}

crate::named_enum! {
    /// What a proposal is about.
    pub enum Category: "category", label "category-" {
        Environment = "environment",
        Safety = "safety",
        Welfare = "welfare",
        Culture = "culture",
        Transport = "transport",
        Economy = "economy",
        Education = "education",
        Housing = "housing",
        Other = "other",
    }
}

/// The state of a proposal or a debate (their state names never collide, so a stored name decodes to
/// exactly one).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ItemState {
    Proposal(ProposalState),
    Debate(crate::debate::DebateState),
}

impl ItemState {
    pub fn as_str(self) -> &'static str {
        match self {
            ItemState::Proposal(s) => s.as_str(),
            ItemState::Debate(s) => s.as_str(),
        }
    }

    /// The proposal state, if this is a proposal's.
    pub fn proposal(self) -> Option<ProposalState> {
        match self {
            ItemState::Proposal(s) => Some(s),
            ItemState::Debate(_) => None,
        }
    }

    pub fn debate(self) -> Option<crate::debate::DebateState> {
        match self {
            ItemState::Debate(s) => Some(s),
            ItemState::Proposal(_) => None,
        }
    }
}

impl crate::named::Named for ItemState {
    const ALL: &'static [Self] = &[
        ItemState::Proposal(ProposalState::Draft),
        ItemState::Proposal(ProposalState::Submitted),
        ItemState::Proposal(ProposalState::Rejected),
        ItemState::Proposal(ProposalState::Collecting),
        ItemState::Proposal(ProposalState::Forum),
        ItemState::Proposal(ProposalState::Answered),
        ItemState::Proposal(ProposalState::Adopted),
        ItemState::Proposal(ProposalState::Closed),
        ItemState::Proposal(ProposalState::Expired),
        ItemState::Debate(crate::debate::DebateState::Open),
        ItemState::Debate(crate::debate::DebateState::Concluded),
    ];
    const WHAT: &'static str = "proposal or debate state";
    fn as_str(self) -> &'static str {
        ItemState::as_str(self)
    }
    fn label_id(self) -> &'static str {
        match self {
            ItemState::Proposal(s) => s.label_id(),
            ItemState::Debate(s) => s.label_id(),
        }
    }
}

impl crate::named::Label for ItemState {
    fn label_id(&self) -> &'static str {
        <Self as crate::named::Named>::label_id(*self)
    }
}

impl crate::named::Label for &ItemState {
    fn label_id(&self) -> &'static str {
        <ItemState as crate::named::Named>::label_id(**self)
    }
}

impl TryFrom<String> for ItemState {
    type Error = crate::named::UnknownValue;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        <Self as crate::named::Named>::decode(&s)
    }
}

/// What reaching a rung does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Effect {
    RequireAnswer(Responder),
    OpenForum,
}

/// One rung of a scope's ladder: reaching `threshold` of `measure` has `effect`; answers are due
/// `answer_days` after the rung is reached.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rung {
    pub measure: Measure,
    pub threshold: u32,
    pub effect: Effect,
    pub answer_days: u32,
}

/// A scope's threshold ladder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ladder {
    pub rungs: Vec<Rung>,
}

/// The numbers a scope configures for its ladder. Scopes without their own inherit the nearest
/// ancestor's, and the city defaults to Democracy Seoul's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LadderConfig {
    /// Supporters that oblige the responsible department to answer.
    pub answer_at: u32,
    /// Supporters that open a public forum.
    pub forum_at: u32,
    /// Forum participants that oblige the head of the scope to answer.
    pub head_at: u32,
    /// Days an obliged answer is due in.
    pub answer_days: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LadderError {
    #[error("every threshold must be at least 1")]
    ZeroThreshold,
    #[error("the forum cannot open before the department must answer")]
    ForumBeforeAnswer,
    #[error("answers are due in 1 to 365 days")]
    AnswerDays,
    #[error("thresholds are at most 10,000,000")]
    TooHigh,
}

impl LadderConfig {
    pub const DEMOCRACY_SEOUL: LadderConfig = LadderConfig {
        answer_at: 50,
        forum_at: 100,
        head_at: 1000,
        answer_days: 30,
    };

    pub fn check(&self) -> Result<(), LadderError> {
        if self.answer_at == 0 || self.forum_at == 0 || self.head_at == 0 {
            return Err(LadderError::ZeroThreshold);
        }
        if self.answer_at.max(self.forum_at).max(self.head_at) > 10_000_000 {
            return Err(LadderError::TooHigh);
        }
        if self.forum_at < self.answer_at {
            return Err(LadderError::ForumBeforeAnswer);
        }
        if !(1..=365).contains(&self.answer_days) {
            return Err(LadderError::AnswerDays);
        }
        Ok(())
    }

    pub fn ladder(&self) -> Ladder {
        Ladder {
            rungs: vec![
                Rung {
                    measure: Measure::Supporters,
                    threshold: self.answer_at,
                    effect: Effect::RequireAnswer(Responder::Department),
                    answer_days: self.answer_days,
                },
                Rung {
                    measure: Measure::Supporters,
                    threshold: self.forum_at,
                    effect: Effect::OpenForum,
                    answer_days: 0,
                },
                Rung {
                    measure: Measure::ForumParticipants,
                    threshold: self.head_at,
                    effect: Effect::RequireAnswer(Responder::Head),
                    answer_days: self.answer_days,
                },
            ],
        }
    }
}

impl Ladder {
    /// Democracy Seoul's rules: 50 supporters → the department answers; 100 → a public forum opens;
    /// 1,000 forum participants → the head of the scope answers.
    pub fn democracy_seoul() -> Ladder {
        LadderConfig::DEMOCRACY_SEOUL.ladder()
    }

    /// Checks a configured ladder: positive thresholds, increasing within a measure, at most one forum rung.
    pub fn validate(&self) -> Result<(), String> {
        for measure in [Measure::Supporters, Measure::ForumParticipants] {
            let thresholds: Vec<u32> = self
                .rungs
                .iter()
                .filter(|r| r.measure == measure)
                .map(|r| r.threshold)
                .collect();
            if thresholds.contains(&0) {
                return Err("a rung's threshold must be at least 1".into());
            }
            if thresholds.windows(2).any(|w| w[0] >= w[1]) {
                return Err(format!("{measure:?} thresholds must increase strictly"));
            }
        }
        if self
            .rungs
            .iter()
            .filter(|r| r.effect == Effect::OpenForum)
            .count()
            > 1
        {
            return Err("a ladder opens at most one forum".into());
        }
        if self
            .rungs
            .iter()
            .any(|r| r.effect == Effect::OpenForum && r.measure == Measure::ForumParticipants)
        {
            return Err("a forum cannot be opened by forum participants".into());
        }
        Ok(())
    }

    /// The rungs crossed when `measure` goes from `before` to `after` (only upward moves cross:
    /// a withdrawn support never takes back an obligation already owed).
    pub fn crossed(&self, measure: Measure, before: u32, after: u32) -> Vec<Rung> {
        self.rungs
            .iter()
            .filter(|r| r.measure == measure && before < r.threshold && r.threshold <= after)
            .copied()
            .collect()
    }
}

/// Something that happens to a proposal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProposalEvent {
    Submit,
    Accept,
    Reject {
        reason: String,
    },
    /// The support count changed (after a support or a withdrawal).
    SupportCount {
        before: u32,
        after: u32,
    },
    /// A panel of the scope opens the forum below the threshold.
    PanelOpensForum {
        reason: String,
    },
    ForumParticipants {
        before: u32,
        after: u32,
    },
    /// An official answer was given (by the responder the obligation names).
    Answer(Responder),
    Adopt,
    Close,
    DeadlinePassed,
}

/// The result of an event: the new state and the obligations it created.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    pub state: ProposalState,
    pub new_obligations: Vec<(Responder, u32)>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TransitionError {
    /// `event` is the Fluent id of what was attempted (`proposal-event-submit`).
    #[error("a {state} proposal cannot {event}")]
    NotAllowed {
        state: ProposalState,
        event: &'static str,
    },
    #[error("a reason is required")]
    ReasonRequired,
}

/// The Fluent id naming an event, for refusals ("a collecting proposal cannot <be submitted>").
fn event_id(event: &ProposalEvent) -> &'static str {
    match event {
        ProposalEvent::Submit => "proposal-event-submit",
        ProposalEvent::Accept => "proposal-event-accept",
        ProposalEvent::Reject { .. } => "proposal-event-reject",
        ProposalEvent::SupportCount { .. } => "proposal-event-support",
        ProposalEvent::PanelOpensForum { .. } => "proposal-event-open-forum",
        ProposalEvent::ForumParticipants { .. } => "proposal-event-forum-participants",
        ProposalEvent::Answer(_) => "proposal-event-answer",
        ProposalEvent::Adopt => "proposal-event-adopt",
        ProposalEvent::Close => "proposal-event-close",
        ProposalEvent::DeadlinePassed => "proposal-event-expire",
    }
}

impl TransitionError {
    /// The refusal of `event` in `state`.
    pub fn not_allowed(state: ProposalState, event: &ProposalEvent) -> TransitionError {
        TransitionError::NotAllowed {
            state,
            event: event_id(event),
        }
    }
}

impl crate::refusal::Explain for TransitionError {
    fn code(&self) -> &'static str {
        match self {
            TransitionError::NotAllowed { .. } => "proposal_transition_not_allowed",
            TransitionError::ReasonRequired => "reason_required",
        }
    }
    fn message_id(&self) -> &'static str {
        match self {
            TransitionError::NotAllowed { .. } => "refusal-proposal-not-allowed",
            TransitionError::ReasonRequired => "refusal-reason-required",
        }
    }
    fn args(&self) -> Vec<(&'static str, crate::refusal::Arg)> {
        use crate::refusal::Arg;
        match self {
            TransitionError::NotAllowed { state, event } => vec![
                ("state", Arg::Message(state.label_id())),
                ("event", Arg::Message(event)),
            ],
            TransitionError::ReasonRequired => vec![],
        }
    }
}

impl crate::refusal::Explain for LadderError {
    fn code(&self) -> &'static str {
        match self {
            LadderError::ZeroThreshold => "ladder_zero_threshold",
            LadderError::ForumBeforeAnswer => "ladder_forum_before_answer",
            LadderError::AnswerDays => "ladder_answer_days",
            LadderError::TooHigh => "ladder_too_high",
        }
    }
    fn message_id(&self) -> &'static str {
        match self {
            LadderError::ZeroThreshold => "ladder-error-zero",
            LadderError::ForumBeforeAnswer => "ladder-error-order",
            LadderError::AnswerDays => "ladder-error-days",
            LadderError::TooHigh => "ladder-error-high",
        }
    }
    fn kind(&self) -> crate::refusal::RefusalKind {
        crate::refusal::RefusalKind::Invalid
    }
}

/// What the public sphere refuses beyond the lifecycle's own transitions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum ItemRefusal {
    #[error("comments are closed")]
    CommentsClosed,
    #[error("people do not vote on their own comments")]
    OwnComment,
    #[error("only the author may do this")]
    NotAuthor,
    #[error("debates take no supports")]
    DebateNoSupport,
    #[error("a debate comment's position must be for, against or neutral")]
    BadPosition,
    #[error("files are attached while the proposal is a draft or awaits moderation")]
    AttachmentsClosed,
}

impl crate::refusal::Explain for ItemRefusal {
    fn code(&self) -> &'static str {
        match self {
            ItemRefusal::CommentsClosed => "comments_closed",
            ItemRefusal::OwnComment => "own_comment",
            ItemRefusal::NotAuthor => "not_author",
            ItemRefusal::DebateNoSupport => "debate_no_support",
            ItemRefusal::BadPosition => "bad_position",
            ItemRefusal::AttachmentsClosed => "attachments_closed",
        }
    }
    fn message_id(&self) -> &'static str {
        match self {
            ItemRefusal::CommentsClosed => "error-comments-closed",
            ItemRefusal::OwnComment => "error-own-comment",
            ItemRefusal::NotAuthor => "error-not-author",
            ItemRefusal::DebateNoSupport => "error-debate-no-support",
            ItemRefusal::BadPosition => "error-position",
            ItemRefusal::AttachmentsClosed => "error-attachments-closed",
        }
    }
    fn kind(&self) -> crate::refusal::RefusalKind {
        match self {
            ItemRefusal::BadPosition => crate::refusal::RefusalKind::Invalid,
            ItemRefusal::NotAuthor => crate::refusal::RefusalKind::Forbidden,
            _ => crate::refusal::RefusalKind::Conflict,
        }
    }
}

/// Applies `event` to a proposal in `state` under `ladder`.
pub fn apply(
    state: ProposalState,
    ladder: &Ladder,
    event: &ProposalEvent,
) -> Result<Outcome, TransitionError> {
    use ProposalEvent as E;
    use ProposalState as S;
    let stay = |state| {
        Ok(Outcome {
            state,
            new_obligations: vec![],
        })
    };
    let not_allowed = || {
        Err(TransitionError::NotAllowed {
            state,
            event: event_id(event),
        })
    };
    match (state, event) {
        (S::Draft, E::Submit) => stay(S::Submitted),
        (S::Submitted, E::Accept) => stay(S::Collecting),
        (S::Submitted, E::Reject { reason }) => {
            if reason.trim().is_empty() {
                Err(TransitionError::ReasonRequired)
            } else {
                stay(S::Rejected)
            }
        }
        (S::Collecting | S::Forum, E::SupportCount { before, after }) => {
            let mut outcome = Outcome {
                state,
                new_obligations: vec![],
            };
            for rung in ladder.crossed(Measure::Supporters, *before, *after) {
                match rung.effect {
                    Effect::RequireAnswer(who) => {
                        outcome.new_obligations.push((who, rung.answer_days))
                    }
                    Effect::OpenForum => outcome.state = S::Forum,
                }
            }
            Ok(outcome)
        }
        (S::Collecting, E::PanelOpensForum { reason }) => {
            if reason.trim().is_empty() {
                Err(TransitionError::ReasonRequired)
            } else {
                stay(S::Forum)
            }
        }
        (S::Forum, E::ForumParticipants { before, after }) => {
            let new_obligations = ladder
                .crossed(Measure::ForumParticipants, *before, *after)
                .into_iter()
                .filter_map(|r| match r.effect {
                    Effect::RequireAnswer(who) => Some((who, r.answer_days)),
                    Effect::OpenForum => None,
                })
                .collect();
            Ok(Outcome {
                state,
                new_obligations,
            })
        }
        (S::Collecting | S::Forum | S::Answered, E::Answer(_)) => stay(S::Answered),
        (S::Collecting | S::Forum | S::Answered, E::Adopt) => stay(S::Adopted),
        (S::Collecting | S::Forum | S::Answered, E::Close) => stay(S::Closed),
        (S::Collecting, E::DeadlinePassed) => stay(S::Expired),
        _ => not_allowed(),
    }
}

pub mod input;

#[cfg(test)]
mod tests;
