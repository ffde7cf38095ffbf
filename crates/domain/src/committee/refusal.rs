//! Every refusal of the committees' rules, typed for the edge ([`crate::refusal::Explain`]).

use super::{Ineligible, SeatError, TermError, VoteRefusal};
use crate::refusal::{Arg, Explain, RefusalKind};

/// A refused transition of a call, meeting or motion.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TransitionError {
    /// `state` and `event` are the Fluent ids of the current state's label and of the attempted event.
    #[error("{state} cannot {event}")]
    NotAllowed {
        state: &'static str,
        event: &'static str,
    },
    #[error("a reason is required")]
    ReasonRequired,
    #[error("no quorum: {present} present of {seats_filled} members, {needed} needed")]
    NoQuorum {
        present: u32,
        seats_filled: u32,
        needed: u32,
    },
    #[error("a call with no applicants cannot be drawn")]
    NoApplicants,
    #[error("the meeting may convene from {opens_at}")]
    TooEarly { opens_at: i64 },
}

/// What the committees' storage and services refuse, beyond the pure rules' own errors.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CommitteeRefusal {
    #[error(transparent)]
    Seat(#[from] SeatError),
    #[error(transparent)]
    Term(#[from] TermError),
    #[error(transparent)]
    Transition(#[from] TransitionError),
    #[error(transparent)]
    Vote(#[from] VoteRefusal),
    #[error("the applicant is not eligible: {0:?}")]
    Ineligible(Vec<Ineligible>),
    #[error("a subcommittee, and only a subcommittee, has a parent committee")]
    ParentMismatch,
    #[error("already a sitting member")]
    AlreadyMember,
    #[error("not a sitting member of this committee")]
    NotAMember,
    #[error("this call is not open")]
    CallNotOpen,
    #[error("the call must be closed before the draw")]
    CallNotClosed,
    #[error("the quotas cannot be met: {0}")]
    QuotasInfeasible(QuotaProblem),
    #[error("the strata could not be read (line {line})")]
    Features { line: usize },
    #[error("the panel is not published")]
    PanelNotPublished,
    #[error("this member was not drawn by this call")]
    NotDrawnByCall,
    #[error("there is no vacancy to fill")]
    NoVacancy,
    #[error("the reserve list is exhausted")]
    NoReserve,
    #[error("a meeting must end after it starts")]
    MeetingEndsBeforeStart,
    #[error("attendance is recorded from the agenda's publication until adjournment")]
    AttendanceClosed,
    #[error("this meeting does not take registrations")]
    NoRegistrations,
    #[error("the agenda is fixed once the meeting convenes")]
    AgendaFixed,
    #[error("motions are handled while the meeting is in session")]
    NotInSession,
    #[error("there are no minutes yet")]
    NoMinutes,
    #[error("the age band does not match the declared age")]
    AgeBandMismatch,
    #[error("the draw could not be computed from the published input")]
    DrawFailed,
}

/// Why a call's quotas cannot be met.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum QuotaProblem {
    /// Under the gender cap, the genders together can hold at most `max` of the `seats`.
    GenderCap { seats: u32, max: u32 },
    /// A stratum's minimum cannot be reached or its maximum leaves seats empty, with `applicants` known.
    Strata { feature: String },
    /// Too few eligible applicants for the seats.
    TooFewApplicants { applicants: u32, seats: u32 },
    /// Age bands that no eligible age can fall into (e.g. bands from 19 with a minimum age of 16).
    AgeBands { min_age: u32 },
}

impl std::fmt::Display for QuotaProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{self:?}")
    }
}

impl Explain for TransitionError {
    fn code(&self) -> &'static str {
        match self {
            TransitionError::NotAllowed { .. } => "transition_not_allowed",
            TransitionError::ReasonRequired => "reason_required",
            TransitionError::NoQuorum { .. } => "no_quorum",
            TransitionError::NoApplicants => "no_applicants",
            TransitionError::TooEarly { .. } => "too_early",
        }
    }
    fn message_id(&self) -> &'static str {
        match self {
            TransitionError::NotAllowed { .. } => "refusal-transition-not-allowed",
            TransitionError::ReasonRequired => "refusal-reason-required",
            TransitionError::NoQuorum { .. } => "committee-error-no-quorum",
            TransitionError::NoApplicants => "committee-error-no-applicants",
            TransitionError::TooEarly { .. } => "committee-error-too-early",
        }
    }
    fn args(&self) -> Vec<(&'static str, Arg)> {
        match self {
            TransitionError::NotAllowed { state, event } => {
                vec![
                    ("state", Arg::Message(state)),
                    ("event", Arg::Message(event)),
                ]
            }
            TransitionError::NoQuorum {
                present,
                seats_filled,
                needed,
            } => vec![
                ("present", Arg::from(*present)),
                ("filled", Arg::from(*seats_filled)),
                ("needed", Arg::from(*needed)),
            ],
            TransitionError::TooEarly { opens_at } => vec![("opens_at", Arg::Time(*opens_at))],
            TransitionError::ReasonRequired | TransitionError::NoApplicants => vec![],
        }
    }
    fn kind(&self) -> RefusalKind {
        match self {
            TransitionError::ReasonRequired => RefusalKind::Invalid,
            _ => RefusalKind::Conflict,
        }
    }
}

impl Explain for CommitteeRefusal {
    fn code(&self) -> &'static str {
        use CommitteeRefusal as R;
        match self {
            R::Seat(SeatError::NoSeats) => "no_seats",
            R::Seat(SeatError::SectorFull { .. }) => "sector_full",
            R::Seat(SeatError::BadCap(_)) => "bad_gender_cap",
            R::Seat(SeatError::GenderCap { .. }) => "gender_cap",
            R::Term(_) => "term_ends_before_start",
            R::Transition(e) => e.code(),
            R::Vote(VoteRefusal::NotOpen) => "vote_not_open",
            R::Vote(VoteRefusal::OutsideTerm) => "vote_outside_term",
            R::Vote(VoteRefusal::NotPresent) => "vote_not_present",
            R::Vote(VoteRefusal::AlreadyVoted) => "already_voted",
            R::Ineligible(_) => "ineligible",
            R::ParentMismatch => "parent_mismatch",
            R::AlreadyMember => "already_member",
            R::NotAMember => "not_a_member",
            R::CallNotOpen => "call_not_open",
            R::CallNotClosed => "call_not_closed",
            R::QuotasInfeasible(_) => "quotas_infeasible",
            R::Features { .. } => "bad_strata",
            R::PanelNotPublished => "panel_not_published",
            R::NotDrawnByCall => "not_drawn_by_call",
            R::NoVacancy => "no_vacancy",
            R::NoReserve => "no_reserve",
            R::MeetingEndsBeforeStart => "ends_before_start",
            R::AttendanceClosed => "attendance_closed",
            R::NoRegistrations => "no_registrations",
            R::AgendaFixed => "agenda_fixed",
            R::NotInSession => "not_in_session",
            R::NoMinutes => "no_minutes",
            R::AgeBandMismatch => "age_band_mismatch",
            R::DrawFailed => "draw_failed",
        }
    }
    fn message_id(&self) -> &'static str {
        use CommitteeRefusal as R;
        match self {
            R::Seat(SeatError::NoSeats) => "committee-error-no-seats",
            R::Seat(SeatError::SectorFull { .. }) => "committee-error-sector-full",
            R::Seat(SeatError::BadCap(_)) => "committee-error-bad-cap",
            R::Seat(SeatError::GenderCap { .. }) => "committee-error-gender-cap",
            R::Term(_) => "committee-error-ends-before",
            R::Transition(e) => e.message_id(),
            R::Vote(VoteRefusal::NotOpen) => "committee-vote-refused-not-open",
            R::Vote(VoteRefusal::OutsideTerm) => "committee-vote-refused-outside-term",
            R::Vote(VoteRefusal::NotPresent) => "committee-vote-refused-not-present",
            R::Vote(VoteRefusal::AlreadyVoted) => "committee-vote-refused-already-voted",
            R::Ineligible(_) => "committee-error-ineligible",
            R::ParentMismatch => "committee-error-parent",
            R::AlreadyMember => "committee-error-already-member",
            R::NotAMember => "committee-error-not-a-member",
            R::CallNotOpen => "committee-error-call-not-open",
            R::CallNotClosed => "committee-error-call-not-closed",
            R::QuotasInfeasible(QuotaProblem::GenderCap { .. }) => {
                "committee-error-quota-gender-cap"
            }
            R::QuotasInfeasible(QuotaProblem::Strata { .. }) => "committee-error-quota-strata",
            R::QuotasInfeasible(QuotaProblem::TooFewApplicants { .. }) => {
                "committee-error-quota-applicants"
            }
            R::QuotasInfeasible(QuotaProblem::AgeBands { .. }) => "committee-error-quota-age-bands",
            R::Features { .. } => "committee-error-features",
            R::PanelNotPublished => "committee-error-panel-not-published",
            R::NotDrawnByCall => "committee-error-not-drawn",
            R::NoVacancy => "committee-error-no-vacancy",
            R::NoReserve => "committee-error-no-reserve",
            R::MeetingEndsBeforeStart => "committee-error-ends-before",
            R::AttendanceClosed => "committee-error-attendance-closed",
            R::NoRegistrations => "committee-error-no-registrations",
            R::AgendaFixed => "committee-error-agenda-fixed",
            R::NotInSession => "committee-error-not-in-session",
            R::NoMinutes => "committee-error-no-minutes",
            R::AgeBandMismatch => "committee-error-age-band",
            R::DrawFailed => "committee-error-draw",
        }
    }
    fn args(&self) -> Vec<(&'static str, Arg)> {
        use CommitteeRefusal as R;
        match self {
            R::Seat(SeatError::SectorFull { sector, seats }) => vec![
                ("sector", Arg::Message(sector.label_id())),
                ("seats", Arg::from(*seats)),
            ],
            R::Seat(SeatError::BadCap(cap)) => vec![("cap", Arg::from(*cap))],
            R::Seat(SeatError::GenderCap {
                gender,
                count,
                total,
                cap,
            }) => vec![
                ("gender", Arg::Text(gender.clone())),
                ("count", Arg::from(*count)),
                ("total", Arg::from(*total)),
                ("cap", Arg::from(*cap)),
            ],
            R::Transition(e) => e.args(),
            R::QuotasInfeasible(QuotaProblem::GenderCap { seats, max }) => {
                vec![("seats", Arg::from(*seats)), ("max", Arg::from(*max))]
            }
            R::QuotasInfeasible(QuotaProblem::Strata { feature }) => {
                vec![("feature", Arg::Text(feature.clone()))]
            }
            R::QuotasInfeasible(QuotaProblem::TooFewApplicants { applicants, seats }) => vec![
                ("applicants", Arg::from(*applicants)),
                ("seats", Arg::from(*seats)),
            ],
            R::QuotasInfeasible(QuotaProblem::AgeBands { min_age }) => {
                vec![("age", Arg::from(*min_age))]
            }
            R::Features { line } => vec![("line", Arg::from(*line))],
            R::Ineligible(reasons) => vec![("count", Arg::from(reasons.len()))],
            _ => vec![],
        }
    }
    fn kind(&self) -> RefusalKind {
        use CommitteeRefusal as R;
        match self {
            R::Seat(SeatError::BadCap(_) | SeatError::NoSeats)
            | R::Term(_)
            | R::Features { .. }
            | R::ParentMismatch
            | R::MeetingEndsBeforeStart
            | R::AgeBandMismatch
            | R::QuotasInfeasible(QuotaProblem::GenderCap { .. } | QuotaProblem::AgeBands { .. }) => {
                RefusalKind::Invalid
            }
            R::Transition(e) => e.kind(),
            _ => RefusalKind::Conflict,
        }
    }
}
