//! Motions, vote rules, tallies and who may vote.

use super::meeting::require_quorum;
use super::{Term, TransitionError};

impl TryFrom<String> for VoteRule {
    type Error = crate::named::UnknownValue;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        VoteRule::parse(&s).ok_or(crate::named::UnknownValue {
            what: "vote rule",
            value: s,
        })
    }
}

/// How a motion is decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VoteRule {
    /// More yes than no among those voting yes or no (abstentions are recorded, not counted).
    MajorityOfVoting,
    /// More than half of the members present vote yes.
    MajorityOfPresent,
    /// At least `numerator/denominator` of the members present vote yes (e.g. 2/3).
    Qualified { numerator: u32, denominator: u32 },
}

impl VoteRule {
    /// Stored form: `majority_voting`, `majority_present`, `qualified:2/3`.
    pub fn as_string(&self) -> String {
        match self {
            VoteRule::MajorityOfVoting => "majority_voting".into(),
            VoteRule::MajorityOfPresent => "majority_present".into(),
            VoteRule::Qualified {
                numerator,
                denominator,
            } => format!("qualified:{numerator}/{denominator}"),
        }
    }

    pub fn parse(s: &str) -> Option<VoteRule> {
        match s {
            "majority_voting" => Some(VoteRule::MajorityOfVoting),
            "majority_present" => Some(VoteRule::MajorityOfPresent),
            _ => {
                let (n, d) = s.strip_prefix("qualified:")?.split_once('/')?;
                let (numerator, denominator) = (n.parse().ok()?, d.parse().ok()?);
                (numerator > 0 && numerator <= denominator && denominator <= 100).then_some(
                    VoteRule::Qualified {
                        numerator,
                        denominator,
                    },
                )
            }
        }
    }

    /// The Fluent id of the rule's label (argument for qualified majorities: `fraction`).
    pub fn label_id(&self) -> &'static str {
        match self {
            VoteRule::MajorityOfVoting => "vote-rule-majority_voting",
            VoteRule::MajorityOfPresent => "vote-rule-majority_present",
            VoteRule::Qualified { .. } => "vote-rule-qualified",
        }
    }

    /// Carried or failed, for a tally with `present` members present.
    pub fn carries(&self, tally: &Tally, present: u32) -> bool {
        let yes = u64::from(tally.yes);
        match *self {
            VoteRule::MajorityOfVoting => tally.yes > tally.no,
            VoteRule::MajorityOfPresent => yes * 2 > u64::from(present),
            VoteRule::Qualified {
                numerator,
                denominator,
            } => yes * u64::from(denominator) >= u64::from(numerator) * u64::from(present),
        }
    }
}

crate::named_enum! {
    /// A vote: yes, no or abstain.
    pub enum Choice: "vote choice", label "vote-choice-" {
        Yes = "yes",
        No = "no",
        Abstain = "abstain",
    }
}

/// Counted votes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Tally {
    pub yes: u32,
    pub no: u32,
    pub abstain: u32,
}

impl Tally {
    pub fn add(&mut self, choice: Choice) {
        match choice {
            Choice::Yes => self.yes += 1,
            Choice::No => self.no += 1,
            Choice::Abstain => self.abstain += 1,
        }
    }

    pub fn total(&self) -> u32 {
        self.yes + self.no + self.abstain
    }
}

crate::named_enum! {
    /// Where a motion is.
    pub enum MotionState: "motion state", label "motion-state-" {
        Proposed = "proposed",
        Debated = "debated",
        Voting = "voting",
        Carried = "carried",
        Failed = "failed",
        Withdrawn = "withdrawn",
    }
}

impl MotionState {
    /// A decision of the committee (carried or failed).
    pub fn is_decided(self) -> bool {
        matches!(self, MotionState::Carried | MotionState::Failed)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MotionEvent {
    Debate,
    OpenVote,
    /// Closes the vote: quorum is checked on the members present, then the rule decides.
    CloseVote {
        tally: Tally,
        present: u32,
        seats_filled: u32,
        rule: VoteRule,
    },
    Withdraw,
}

impl MotionEvent {
    /// The Fluent id naming this event in refusals.
    fn message_id(&self) -> &'static str {
        match self {
            MotionEvent::Debate => "motion-event-debate",
            MotionEvent::OpenVote => "motion-event-open-vote",
            MotionEvent::CloseVote { .. } => "motion-event-close-vote",
            MotionEvent::Withdraw => "motion-event-withdraw",
        }
    }
}

/// Applies `event` to a motion in `state`.
pub fn apply_motion(
    state: MotionState,
    event: &MotionEvent,
) -> Result<MotionState, TransitionError> {
    use MotionEvent as E;
    use MotionState as S;
    match (state, event) {
        (S::Proposed, E::Debate) => Ok(S::Debated),
        (S::Proposed | S::Debated, E::OpenVote) => Ok(S::Voting),
        (
            S::Voting,
            E::CloseVote {
                tally,
                present,
                seats_filled,
                rule,
            },
        ) => {
            require_quorum(*present, *seats_filled)?;
            Ok(if rule.carries(tally, *present) {
                S::Carried
            } else {
                S::Failed
            })
        }
        (S::Proposed | S::Debated, E::Withdraw) => Ok(S::Withdrawn),
        _ => Err(TransitionError::NotAllowed {
            state: state.label_id(),
            event: event.message_id(),
        }),
    }
}

/// Why a vote is refused. Each has a message id `committee-vote-refused-<id>`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum VoteRefusal {
    #[error("this motion is not open for voting")]
    NotOpen,
    #[error("the member's term does not cover this vote")]
    OutsideTerm,
    #[error("the member is not recorded as present")]
    NotPresent,
    #[error("the member has already voted on this motion")]
    AlreadyVoted,
}

impl VoteRefusal {
    pub fn id(&self) -> &'static str {
        match self {
            VoteRefusal::NotOpen => "not-open",
            VoteRefusal::OutsideTerm => "outside-term",
            VoteRefusal::NotPresent => "not-present",
            VoteRefusal::AlreadyVoted => "already-voted",
        }
    }
}

/// May a member holding `term`, `present` at the meeting, who has (not) `already_voted`, vote at `at` on a
/// motion in `state`? One vote per member, only on an open motion, only within the term.
pub fn check_vote(
    state: MotionState,
    term: &Term,
    at: i64,
    present: bool,
    already_voted: bool,
) -> Result<(), VoteRefusal> {
    if state != MotionState::Voting {
        Err(VoteRefusal::NotOpen)
    } else if !term.covers(at) {
        Err(VoteRefusal::OutsideTerm)
    } else if !present {
        Err(VoteRefusal::NotPresent)
    } else if already_voted {
        Err(VoteRefusal::AlreadyVoted)
    } else {
        Ok(())
    }
}

/// Whether a motion's votes are published by member (roll call) or only as counts (secret ballot, when
/// the charter says so). Secret ballots still record *that* a member voted, to refuse a second vote.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ballot {
    RollCall,
    Secret,
}

impl Ballot {
    pub fn from_secret(secret: bool) -> Ballot {
        if secret {
            Ballot::Secret
        } else {
            Ballot::RollCall
        }
    }

    /// Is each member's choice stored and shown?
    pub fn records_choices(self) -> bool {
        self == Ballot::RollCall
    }
}
