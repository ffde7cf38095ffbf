//! Meetings and their motions: scheduling, the agenda (public once published), the public's
//! registrations, the roll of members sitting at the meeting's date, convening with quorum (not before
//! the meeting), motions and votes, and minutes.
use maeul_db::committees::{
    AgendaItem, CommitteeRow, MeetingRow, MemberRow, MinutesRow, MotionRow, NewMeeting,
    RegistrationRow, VoteRow,
};
use maeul_domain::account::FieldError;
use maeul_domain::committee::{
    Choice, MeetingEvent, MeetingState, MotionEvent, MotionState, RegistrationStatus, Tally, input,
};
use maeul_domain::{Action, Refusal, Scope};

use super::bodies::{load, may_run, require_run};
use crate::AppState;
use crate::areas::accounts::service::Fields;
use crate::http::{Caller, ServiceError, ServiceResult};

/// A meeting with its committee and scope.
pub async fn load_meeting(
    state: &AppState,
    id: i64,
) -> ServiceResult<(MeetingRow, CommitteeRow, Scope)> {
    let m = state.db.meeting(id).await?.ok_or(ServiceError::NotFound)?;
    let (c, scope) = load(state, m.committee_id).await?;
    Ok((m, c, scope))
}

/// A motion with the votes it shows and whether the caller has voted.
pub struct MotionView {
    pub motion: MotionRow,
    pub votes: Vec<VoteRow>,
    pub my_vote: bool,
}

/// A meeting as its page shows it, with what the caller may do.
pub struct MeetingView {
    pub meeting: MeetingRow,
    pub committee: CommitteeRow,
    pub scope: Scope,
    /// Empty for the public until the agenda is published.
    pub agenda: Vec<AgendaItem>,
    pub agenda_public: bool,
    pub motions: Vec<MotionView>,
    /// Shown to the public once published; to staff from the draft.
    pub minutes: Option<MinutesRow>,
    /// Members sitting at the meeting's date, each with whether they are recorded present.
    pub roll: Vec<(MemberRow, bool)>,
    pub present: usize,
    pub quorum_needed: u32,
    pub registrations: Vec<RegistrationRow>,
    pub my_registration: Option<RegistrationStatus>,
    /// The membership through which the caller sits and may vote here.
    pub my_membership: Option<i64>,
    pub may_run: bool,
    pub may_register: bool,
    /// The staff's next step (`publish_agenda`, `convene`, …).
    pub next_event: Option<&'static str>,
}

pub async fn view(
    state: &AppState,
    caller: Option<&Caller>,
    id: i64,
) -> ServiceResult<MeetingView> {
    let (meeting, committee, scope) = load_meeting(state, id).await?;
    let may_run = may_run(state, caller, scope.id);
    let present_ids = state.db.present_members(id).await?;
    let roll: Vec<(MemberRow, bool)> = state
        .db
        .meeting_roll(&meeting)
        .await?
        .into_iter()
        .map(|m| {
            let here = present_ids.contains(&m.id);
            (m, here)
        })
        .collect();
    let my_membership = caller.and_then(|c| {
        roll.iter()
            .find(|(m, _)| m.user_id == c.id())
            .map(|(m, _)| m.id)
    });
    let mut motions = vec![];
    for motion in state.db.motions_of(id).await? {
        let votes = state.db.votes(motion.id).await?;
        let my_vote = my_membership.is_some_and(|mid| votes.iter().any(|v| v.membership_id == mid));
        motions.push(MotionView {
            motion,
            votes,
            my_vote,
        });
    }
    let registrations = state.db.registrations(id).await?;
    let my_registration = caller.and_then(|c| {
        registrations
            .iter()
            .find(|r| r.user_id == c.id())
            .map(|r| r.status)
    });
    let agenda_public = meeting.state != MeetingState::Scheduled;
    let next_event = match meeting.state {
        MeetingState::Scheduled => Some("publish_agenda"),
        MeetingState::AgendaPublished => Some("convene"),
        MeetingState::Convened => Some("start"),
        MeetingState::InSession => Some("adjourn"),
        MeetingState::MinutesDrafted => Some("approve_minutes"),
        MeetingState::MinutesApproved => Some("publish_minutes"),
        _ => None,
    };
    let minutes = state
        .db
        .minutes(id)
        .await?
        .filter(|_| may_run || meeting.state.minutes_public());
    Ok(MeetingView {
        agenda: if agenda_public || may_run {
            state.db.agenda(id).await?
        } else {
            vec![]
        },
        agenda_public,
        quorum_needed: maeul_domain::committee::quorum_needed(roll.len() as u32),
        present: present_ids.len(),
        may_register: caller.is_some()
            && meeting.capacity > 0
            && meeting.state.takes_registrations(),
        registrations: if may_run { registrations } else { vec![] },
        my_registration,
        my_membership,
        motions,
        minutes,
        roll,
        may_run,
        next_event,
        meeting,
        committee,
        scope,
    })
}

/// A meeting as submitted.
pub struct NewMeetingInput<'a> {
    pub title: &'a str,
    pub starts_at: &'a str,
    pub ends_at: &'a str,
    pub place: &'a str,
    pub capacity: &'a str,
}

/// Schedules a meeting of a committee (staff); returns its id.
pub async fn create(
    state: &AppState,
    caller: &Caller,
    committee_id: i64,
    f: &NewMeetingInput<'_>,
) -> ServiceResult<i64> {
    let (_, scope) = load(state, committee_id).await?;
    require_run(state, caller, scope.id)?;
    let mut fields = Fields::default();
    let title = fields.check("meeting_title", input::parse_name(f.title));
    let starts = fields.check("meeting_starts_at", input::parse_datetime(f.starts_at));
    let ends = fields.check("meeting_ends_at", input::parse_datetime(f.ends_at));
    let place = fields.check("meeting_place", input::parse_place(f.place));
    let capacity = if f.capacity.trim().is_empty() {
        Some(0)
    } else {
        fields.check(
            "meeting_capacity",
            input::parse_count(f.capacity, 0, 100_000),
        )
    };
    if let (Some(s), Some(e)) = (starts, ends)
        && e <= s
    {
        fields.add("meeting_ends_at", FieldError::Invalid);
    }
    fields.finish()?;
    let (Some(title), Some(starts_at), Some(ends_at), Some(place), Some(capacity)) =
        (title, starts, ends, place, capacity)
    else {
        unreachable!("checked above")
    };
    Ok(state
        .db
        .create_meeting(&NewMeeting {
            committee_id,
            title: &title,
            starts_at,
            ends_at,
            place: &place,
            capacity,
        })
        .await?)
}

/// Moves a meeting along (staff): publish the agenda, convene (quorum and time checked by the rules and
/// by storage on the stored roll), start, adjourn, approve and publish the minutes, or cancel with a reason.
pub async fn step(
    state: &AppState,
    caller: &Caller,
    id: i64,
    event: &str,
    reason: &str,
) -> ServiceResult<MeetingState> {
    let (_, _, scope) = load_meeting(state, id).await?;
    require_run(state, caller, scope.id)?;
    let event = match event {
        "publish_agenda" => MeetingEvent::PublishAgenda,
        // Storage counts the present members and the roll itself.
        "convene" => MeetingEvent::Convene {
            present: 0,
            seats_filled: 0,
            at: 0,
            starts_at: 0,
        },
        "start" => MeetingEvent::StartSession,
        "adjourn" => MeetingEvent::Adjourn,
        "approve_minutes" => MeetingEvent::ApproveMinutes,
        "publish_minutes" => MeetingEvent::PublishMinutes,
        "cancel" => {
            if reason.trim().is_empty() {
                return Err(Refusal::field("reason", FieldError::Required).into());
            }
            MeetingEvent::Cancel {
                reason: reason.to_owned(),
            }
        }
        _ => return Err(Refusal::field("event", FieldError::Invalid).into()),
    };
    Ok(state.db.transition_meeting(id, &event).await?)
}

/// Adds an agenda item before the meeting convenes (staff), optionally linked to a proposal (`#123`).
pub async fn add_agenda_item(
    state: &AppState,
    caller: &Caller,
    id: i64,
    title: &str,
    description: &str,
    proposal: &str,
) -> ServiceResult<i64> {
    let (_, _, scope) = load_meeting(state, id).await?;
    require_run(state, caller, scope.id)?;
    let mut fields = Fields::default();
    let title = fields.check("agenda_title", input::parse_name(title));
    let proposal = match proposal.trim().trim_start_matches('#') {
        "" => None,
        p => match p.parse::<i64>() {
            Ok(p) if state.db.proposal(p).await?.is_some() => Some(p),
            _ => {
                fields.add("agenda_proposal", FieldError::Invalid);
                None
            }
        },
    };
    fields.finish()?;
    let Some(title) = title else {
        unreachable!("checked above")
    };
    Ok(state
        .db
        .add_agenda_item(id, &title, description.trim(), proposal)
        .await?)
}

/// Records a sitting member present or absent (staff).
pub async fn set_attendance(
    state: &AppState,
    caller: &Caller,
    id: i64,
    membership: &str,
    present: bool,
) -> ServiceResult<()> {
    let (_, _, scope) = load_meeting(state, id).await?;
    require_run(state, caller, scope.id)?;
    let membership: i64 = membership
        .trim()
        .parse()
        .map_err(|_| ServiceError::from(Refusal::field("membership", FieldError::Invalid)))?;
    Ok(state
        .db
        .set_attendance(id, membership, present, Some(caller.id()))
        .await?)
}

/// Writes (or rewrites) the draft minutes of an adjourned meeting (staff).
pub async fn draft_minutes(
    state: &AppState,
    caller: &Caller,
    id: i64,
    body: &str,
) -> ServiceResult<()> {
    let (_, _, scope) = load_meeting(state, id).await?;
    require_run(state, caller, scope.id)?;
    let body = input::parse_text(body).map_err(|e| Refusal::field("minutes", e))?;
    Ok(state.db.draft_minutes(id, &body, Some(caller.id())).await?)
}

/// Registers the caller for a public meeting: a seat, or the waiting list.
pub async fn register(
    state: &AppState,
    caller: &Caller,
    id: i64,
) -> ServiceResult<RegistrationStatus> {
    load_meeting(state, id).await?;
    Ok(state.db.register_for_meeting(id, caller.id()).await?)
}

pub async fn unregister(state: &AppState, caller: &Caller, id: i64) -> ServiceResult<()> {
    load_meeting(state, id).await?;
    Ok(state.db.cancel_registration(id, caller.id()).await?)
}

/// Proposes a motion in a meeting in session (staff), optionally on an agenda item of the meeting.
pub async fn propose_motion(
    state: &AppState,
    caller: &Caller,
    id: i64,
    title: &str,
    body: &str,
    agenda_item: &str,
) -> ServiceResult<i64> {
    let (_, _, scope) = load_meeting(state, id).await?;
    require_run(state, caller, scope.id)?;
    let title = input::parse_name(title).map_err(|e| Refusal::field("motion_title", e))?;
    let agenda = state.db.agenda(id).await?;
    let item = agenda_item
        .parse::<i64>()
        .ok()
        .filter(|i| agenda.iter().any(|a| a.id == *i));
    Ok(state
        .db
        .propose_motion(id, item, &title, body.trim(), Some(caller.id()))
        .await?)
}

/// Moves a motion along (staff): debate, open the vote, close it (quorum and rule), withdraw. Returns the
/// meeting's id and the motion's new state.
pub async fn motion_step(
    state: &AppState,
    caller: &Caller,
    motion_id: i64,
    event: &str,
) -> ServiceResult<(i64, MotionState)> {
    let motion = state
        .db
        .motion(motion_id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let (m, _, scope) = load_meeting(state, motion.meeting_id).await?;
    require_run(state, caller, scope.id)?;
    let event = match event {
        "debate" => MotionEvent::Debate,
        "open_vote" => MotionEvent::OpenVote,
        // Storage tallies the votes and counts the present members and the roll itself.
        "close_vote" => MotionEvent::CloseVote {
            tally: Tally::default(),
            present: 0,
            seats_filled: 0,
            rule: motion.vote_rule,
        },
        "withdraw" => MotionEvent::Withdraw,
        _ => return Err(Refusal::field("event", FieldError::Invalid).into()),
    };
    Ok((m.id, state.db.transition_motion(motion_id, &event).await?))
}

/// A member's vote on an open motion (sitting members recorded present, once). Returns the meeting's id.
pub async fn vote(
    state: &AppState,
    caller: &Caller,
    motion_id: i64,
    choice: &str,
) -> ServiceResult<i64> {
    let motion = state
        .db
        .motion(motion_id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let (m, _, scope) = load_meeting(state, motion.meeting_id).await?;
    caller.require(&state.scopes(), Action::ActAsCommitteeMember, scope.id)?;
    let choice = Choice::parse(choice)
        .ok_or_else(|| ServiceError::from(Refusal::field("choice", FieldError::Invalid)))?;
    state.db.cast_vote(motion_id, caller.id(), choice).await?;
    Ok(m.id)
}

/// The meeting a motion belongs to.
pub async fn meeting_of_motion(state: &AppState, motion_id: i64) -> ServiceResult<i64> {
    Ok(state
        .db
        .motion(motion_id)
        .await?
        .ok_or(ServiceError::NotFound)?
        .meeting_id)
}
