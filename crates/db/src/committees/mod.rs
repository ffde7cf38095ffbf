//! Committees (rules in `maeul_domain::committee`), stored by sub-area: bodies (committees, seats, the
//! membership history), calls (applications, training, draws, the panel), meetings (registrations,
//! attendance, agenda, minutes) and motions (votes, decisions).
mod bodies;
mod calls;
mod meetings;
mod motions;

pub use bodies::{CommitteeRow, MemberRow, NewCommittee, NewMembership};
pub use calls::{ApplicationRow, CallRow, DrawRecord, DrawRow, NewCall};
pub use meetings::{AgendaItem, MeetingRow, MinutesRow, NewMeeting, RegistrationRow};
pub use motions::{DecisionRow, MotionRow, VoteRow};
