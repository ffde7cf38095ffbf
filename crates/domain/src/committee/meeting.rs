//! Meetings: quorum and the meeting's lifecycle.

use super::TransitionError;

/// What makes a meeting quorate: strictly more than half of the seats filled (a majority of members).
pub fn quorum_needed(seats_filled: u32) -> u32 {
    seats_filled / 2 + 1
}

pub fn has_quorum(present: u32, seats_filled: u32) -> bool {
    seats_filled > 0 && present >= quorum_needed(seats_filled)
}

pub(super) fn require_quorum(present: u32, seats_filled: u32) -> Result<(), TransitionError> {
    if has_quorum(present, seats_filled) {
        Ok(())
    } else {
        Err(TransitionError::NoQuorum {
            present,
            seats_filled,
            needed: quorum_needed(seats_filled),
        })
    }
}

crate::named_enum! {
    /// Where a meeting is.
    pub enum MeetingState: "meeting state", label "meeting-state-" {
        Scheduled = "scheduled",
        AgendaPublished = "agenda_published",
        Convened = "convened",
        InSession = "in_session",
        Adjourned = "adjourned",
        MinutesDrafted = "minutes_drafted",
        MinutesApproved = "minutes_approved",
        Published = "published",
        Cancelled = "cancelled",
    }
}

impl MeetingState {
    /// Motions may be proposed, debated and voted only while the meeting sits.
    pub fn takes_motions(self) -> bool {
        self == MeetingState::InSession
    }

    /// Attendance is recorded from the agenda's publication until the meeting is adjourned.
    pub fn records_attendance(self) -> bool {
        matches!(
            self,
            MeetingState::AgendaPublished | MeetingState::Convened | MeetingState::InSession
        )
    }

    /// Residents may register (or join the waiting list) before the meeting convenes.
    pub fn takes_registrations(self) -> bool {
        matches!(
            self,
            MeetingState::Scheduled | MeetingState::AgendaPublished
        )
    }

    /// Minutes are public once published.
    pub fn minutes_public(self) -> bool {
        self == MeetingState::Published
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MeetingEvent {
    PublishAgenda,
    /// Opens the meeting: quorum is checked against the seats filled.
    Convene {
        present: u32,
        seats_filled: u32,
        /// When convening is attempted, and when the meeting is scheduled to start.
        at: i64,
        starts_at: i64,
    },
    StartSession,
    Adjourn,
    DraftMinutes,
    ApproveMinutes,
    PublishMinutes,
    Cancel {
        reason: String,
    },
}

impl MeetingEvent {
    /// The Fluent id naming this event in refusals.
    fn message_id(&self) -> &'static str {
        match self {
            MeetingEvent::PublishAgenda => "meeting-event-publish-agenda",
            MeetingEvent::Convene { .. } => "meeting-event-convene",
            MeetingEvent::StartSession => "meeting-event-start",
            MeetingEvent::Adjourn => "meeting-event-adjourn",
            MeetingEvent::DraftMinutes => "meeting-event-draft-minutes",
            MeetingEvent::ApproveMinutes => "meeting-event-approve-minutes",
            MeetingEvent::PublishMinutes => "meeting-event-publish-minutes",
            MeetingEvent::Cancel { .. } => "meeting-event-cancel",
        }
    }
}

/// How long before its scheduled start a meeting may convene (members arrive, the roll is taken).
pub const CONVENE_EARLY: i64 = 3600;

/// Applies `event` to a meeting in `state`. A meeting convenes no earlier than [`CONVENE_EARLY`] before its
/// scheduled start, so votes and minutes cannot predate the meeting residents were told of.
pub fn apply(state: MeetingState, event: &MeetingEvent) -> Result<MeetingState, TransitionError> {
    use MeetingEvent as E;
    use MeetingState as S;
    match (state, event) {
        (S::Scheduled, E::PublishAgenda) => Ok(S::AgendaPublished),
        (
            S::AgendaPublished,
            E::Convene {
                present,
                seats_filled,
                at,
                starts_at,
            },
        ) => {
            let opens_at = starts_at - CONVENE_EARLY;
            if *at < opens_at {
                return Err(TransitionError::TooEarly { opens_at });
            }
            require_quorum(*present, *seats_filled)?;
            Ok(S::Convened)
        }
        (S::Convened, E::StartSession) => Ok(S::InSession),
        (S::InSession, E::Adjourn) => Ok(S::Adjourned),
        (S::Adjourned | S::MinutesDrafted, E::DraftMinutes) => Ok(S::MinutesDrafted),
        (S::MinutesDrafted, E::ApproveMinutes) => Ok(S::MinutesApproved),
        (S::MinutesApproved, E::PublishMinutes) => Ok(S::Published),
        (S::Scheduled | S::AgendaPublished, E::Cancel { reason }) => {
            if reason.trim().is_empty() {
                Err(TransitionError::ReasonRequired)
            } else {
                Ok(S::Cancelled)
            }
        }
        _ => Err(TransitionError::NotAllowed {
            state: state.label_id(),
            event: event.message_id(),
        }),
    }
}
