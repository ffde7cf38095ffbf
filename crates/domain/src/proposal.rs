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

#[cfg(test)]
mod tests {
    use super::*;
    use ProposalEvent as E;
    use ProposalState as S;

    fn seoul() -> Ladder {
        Ladder::democracy_seoul()
    }

    #[test]
    fn the_happy_path_of_a_petition() {
        let l = seoul();
        let mut state = apply(S::Draft, &l, &E::Submit).unwrap().state;
        assert_eq!(state, S::Submitted);
        state = apply(state, &l, &E::Accept).unwrap().state;
        assert_eq!(state, S::Collecting);
        let at_49 = apply(
            state,
            &l,
            &E::SupportCount {
                before: 48,
                after: 49,
            },
        )
        .unwrap();
        assert_eq!(
            at_49,
            Outcome {
                state: S::Collecting,
                new_obligations: vec![]
            }
        );
        let at_50 = apply(
            state,
            &l,
            &E::SupportCount {
                before: 49,
                after: 50,
            },
        )
        .unwrap();
        assert_eq!(at_50.new_obligations, vec![(Responder::Department, 30)]);
        let at_100 = apply(
            state,
            &l,
            &E::SupportCount {
                before: 99,
                after: 100,
            },
        )
        .unwrap();
        assert_eq!(at_100.state, S::Forum);
        let big = apply(
            S::Forum,
            &l,
            &E::ForumParticipants {
                before: 999,
                after: 1000,
            },
        )
        .unwrap();
        assert_eq!(big.new_obligations, vec![(Responder::Head, 30)]);
        assert_eq!(
            apply(S::Forum, &l, &E::Answer(Responder::Head))
                .unwrap()
                .state,
            S::Answered
        );
        assert_eq!(apply(S::Answered, &l, &E::Adopt).unwrap().state, S::Adopted);
    }

    #[test]
    fn a_jump_past_several_rungs_fires_each_once() {
        let out = apply(
            S::Collecting,
            &seoul(),
            &E::SupportCount {
                before: 10,
                after: 150,
            },
        )
        .unwrap();
        assert_eq!(out.state, S::Forum);
        assert_eq!(out.new_obligations, vec![(Responder::Department, 30)]);
        let again = apply(
            S::Forum,
            &seoul(),
            &E::SupportCount {
                before: 150,
                after: 151,
            },
        )
        .unwrap();
        assert!(
            again.new_obligations.is_empty(),
            "rungs already passed do not fire again"
        );
    }

    #[test]
    fn withdrawals_never_cross_or_revoke() {
        let out = apply(
            S::Collecting,
            &seoul(),
            &E::SupportCount {
                before: 50,
                after: 49,
            },
        )
        .unwrap();
        assert_eq!(
            out,
            Outcome {
                state: S::Collecting,
                new_obligations: vec![]
            }
        );
        let back_up = apply(
            S::Collecting,
            &seoul(),
            &E::SupportCount {
                before: 49,
                after: 50,
            },
        )
        .unwrap();
        assert_eq!(
            back_up.new_obligations.len(),
            1,
            "re-crossing re-fires; storage keeps obligations unique per rung"
        );
    }

    #[test]
    fn panels_open_forums_below_the_threshold_with_a_reason() {
        let forum = E::PanelOpensForum {
            reason: "분쟁 조정 필요".into(),
        };
        assert_eq!(
            apply(S::Collecting, &seoul(), &forum).unwrap().state,
            S::Forum
        );
        let silent = E::PanelOpensForum {
            reason: "  ".into(),
        };
        assert_eq!(
            apply(S::Collecting, &seoul(), &silent),
            Err(TransitionError::ReasonRequired)
        );
    }

    #[test]
    fn moderation_needs_a_reason_to_reject() {
        assert_eq!(
            apply(S::Submitted, &seoul(), &E::Reject { reason: "".into() }),
            Err(TransitionError::ReasonRequired)
        );
        assert_eq!(
            apply(
                S::Submitted,
                &seoul(),
                &E::Reject {
                    reason: "광고".into()
                }
            )
            .unwrap()
            .state,
            S::Rejected
        );
    }

    /// Every (state, event) pair not in the diagram is refused.
    #[test]
    fn everything_else_is_refused() {
        let events = [
            E::Submit,
            E::Accept,
            E::Reject { reason: "r".into() },
            E::SupportCount {
                before: 0,
                after: 1,
            },
            E::PanelOpensForum { reason: "r".into() },
            E::ForumParticipants {
                before: 0,
                after: 1,
            },
            E::Answer(Responder::Department),
            E::Adopt,
            E::Close,
            E::DeadlinePassed,
        ];
        let allowed: &[(S, usize)] = &[
            (S::Draft, 0),
            (S::Submitted, 1),
            (S::Submitted, 2),
            (S::Collecting, 3),
            (S::Forum, 3),
            (S::Collecting, 4),
            (S::Forum, 5),
            (S::Collecting, 6),
            (S::Forum, 6),
            (S::Answered, 6),
            (S::Collecting, 7),
            (S::Forum, 7),
            (S::Answered, 7),
            (S::Collecting, 8),
            (S::Forum, 8),
            (S::Answered, 8),
            (S::Collecting, 9),
        ];
        for state in S::ALL {
            for (i, event) in events.iter().enumerate() {
                let ok = apply(state, &seoul(), event).is_ok();
                assert_eq!(ok, allowed.contains(&(state, i)), "{state:?} + {event:?}");
            }
        }
    }

    #[test]
    fn support_only_while_collecting_and_visibility() {
        for state in S::ALL {
            assert_eq!(
                state.accepts_support(),
                matches!(state, S::Collecting | S::Forum)
            );
            assert_eq!(ProposalState::parse(state.as_str()), Some(state));
        }
        assert!(!S::Rejected.is_public() && !S::Draft.is_public() && S::Expired.is_public());
    }

    #[test]
    fn ladders_are_validated() {
        assert!(seoul().validate().is_ok());
        let mut bad = seoul();
        bad.rungs[1].threshold = 40;
        assert!(bad.validate().unwrap_err().contains("increase"));
        let mut zero = seoul();
        zero.rungs[0].threshold = 0;
        assert!(zero.validate().is_err());
        let mut two_forums = seoul();
        two_forums.rungs.push(Rung {
            measure: Measure::Supporters,
            threshold: 500,
            effect: Effect::OpenForum,
            answer_days: 0,
        });
        assert!(two_forums.validate().is_err());
    }
}

/// Input rules for a proposal's text.
pub mod input {
    use crate::account::FieldError;

    pub const TITLE_MIN: usize = 4;
    pub const TITLE_MAX: usize = 120;
    pub const BODY_MAX: usize = 10_000;
    pub const REASON_MAX: usize = 1_000;

    pub fn parse_title(input: &str) -> Result<String, FieldError> {
        let title = input.split_whitespace().collect::<Vec<_>>().join(" ");
        let len = title.chars().count();
        if len == 0 {
            Err(FieldError::Required)
        } else if len < TITLE_MIN {
            Err(FieldError::TooShort { min: TITLE_MIN })
        } else if len > TITLE_MAX {
            Err(FieldError::TooLong { max: TITLE_MAX })
        } else {
            Ok(title)
        }
    }

    /// The body is markdown; it is kept as written (trimmed) and sanitised when rendered.
    pub fn parse_body(input: &str) -> Result<String, FieldError> {
        let body = input.trim().replace("\r\n", "\n");
        let len = body.chars().count();
        if len == 0 {
            Err(FieldError::Required)
        } else if len > BODY_MAX {
            Err(FieldError::TooLong { max: BODY_MAX })
        } else {
            Ok(body)
        }
    }

    pub const COMMENT_MAX: usize = 2_000;

    /// A comment: markdown like a proposal's body, shorter.
    pub fn parse_comment(input: &str) -> Result<String, FieldError> {
        let body = parse_body(input)?;
        if body.chars().count() > COMMENT_MAX {
            Err(FieldError::TooLong { max: COMMENT_MAX })
        } else {
            Ok(body)
        }
    }

    pub fn parse_category(input: &str) -> Result<super::Category, FieldError> {
        let input = input.trim();
        if input.is_empty() {
            return Err(FieldError::Required);
        }
        super::Category::parse(input).ok_or(FieldError::Invalid)
    }

    pub const LOCATION_MAX: usize = 200;

    /// Where a proposal is about, in words (a street, a park, a building): optional, one line.
    pub fn parse_location(input: &str) -> Result<String, FieldError> {
        let location = input.split_whitespace().collect::<Vec<_>>().join(" ");
        if location.chars().count() > LOCATION_MAX {
            Err(FieldError::TooLong { max: LOCATION_MAX })
        } else {
            Ok(location)
        }
    }

    pub fn parse_reason(input: &str) -> Result<String, FieldError> {
        let reason = input.trim().to_owned();
        match reason.chars().count() {
            0 => Err(FieldError::Required),
            n if n > REASON_MAX => Err(FieldError::TooLong { max: REASON_MAX }),
            _ => Ok(reason),
        }
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        #[test]
        fn titles_bodies_and_categories() {
            assert_eq!(
                parse_title("  골목   쉼터 만들기 ").unwrap(),
                "골목 쉼터 만들기"
            );
            assert_eq!(
                parse_title("abc"),
                Err(FieldError::TooShort { min: TITLE_MIN })
            );
            assert_eq!(
                parse_title(&"가".repeat(121)),
                Err(FieldError::TooLong { max: TITLE_MAX })
            );
            assert_eq!(parse_body(" \r\n "), Err(FieldError::Required));
            assert_eq!(parse_body("a\r\nb").unwrap(), "a\nb");
            assert!(parse_body(&"x".repeat(10_001)).is_err());
            assert_eq!(parse_category("safety"), Ok(super::super::Category::Safety));
            assert_eq!(parse_category("<script>"), Err(FieldError::Invalid));
            assert_eq!(parse_reason(""), Err(FieldError::Required));
            assert_eq!(
                parse_location("  종로구 \n 삼청공원 "),
                Ok("종로구 삼청공원".into())
            );
            assert_eq!(parse_location(""), Ok(String::new()));
            assert_eq!(
                parse_location(&"가".repeat(LOCATION_MAX + 1)),
                Err(FieldError::TooLong { max: LOCATION_MAX })
            );
            assert_eq!(
                parse_comment(&"x".repeat(2_001)),
                Err(FieldError::TooLong { max: COMMENT_MAX })
            );
            assert_eq!(parse_comment(" 좋아요 ").unwrap(), "좋아요");
        }
    }
}

#[cfg(test)]
mod ladder_config_tests {
    use super::*;

    #[test]
    fn configured_ladders_are_checked_and_drive_the_rungs() {
        assert_eq!(LadderConfig::DEMOCRACY_SEOUL.check(), Ok(()));
        let small = LadderConfig {
            answer_at: 10,
            forum_at: 20,
            head_at: 100,
            answer_days: 14,
        };
        assert_eq!(small.check(), Ok(()));
        let ladder = small.ladder();
        let outcome = apply(
            ProposalState::Collecting,
            &ladder,
            &ProposalEvent::SupportCount {
                before: 9,
                after: 10,
            },
        )
        .unwrap();
        assert_eq!(outcome.new_obligations, vec![(Responder::Department, 14)]);
        let outcome = apply(
            ProposalState::Collecting,
            &ladder,
            &ProposalEvent::SupportCount {
                before: 19,
                after: 20,
            },
        )
        .unwrap();
        assert_eq!(outcome.state, ProposalState::Forum);
        for (bad, err) in [
            (
                LadderConfig {
                    answer_at: 0,
                    ..small
                },
                LadderError::ZeroThreshold,
            ),
            (
                LadderConfig {
                    forum_at: 5,
                    ..small
                },
                LadderError::ForumBeforeAnswer,
            ),
            (
                LadderConfig {
                    answer_days: 0,
                    ..small
                },
                LadderError::AnswerDays,
            ),
            (
                LadderConfig {
                    answer_days: 400,
                    ..small
                },
                LadderError::AnswerDays,
            ),
            (
                LadderConfig {
                    head_at: 20_000_000,
                    ..small
                },
                LadderError::TooHigh,
            ),
        ] {
            assert_eq!(bad.check(), Err(err));
        }
    }
}
