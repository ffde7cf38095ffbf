//! Meetings: their lifecycle, the public's registrations with a waiting list, members' attendance, the
//! agenda and the minutes. Who sits is decided at the meeting's date (members whose term has begun by
//! then), so a panel drawn for a term starting later is the roll of the meetings in that term.
use maeul_domain::Refusal;
use maeul_domain::committee::{
    self, CommitteeRefusal, MeetingEvent, MeetingState, RegistrationStatus,
};

use crate::{BeginWrite, Db, DbError, DbResult, db_run, now, refused};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct MeetingRow {
    pub id: i64,
    pub committee_id: i64,
    pub title: String,
    pub starts_at: i64,
    pub ends_at: i64,
    pub place: String,
    pub capacity: i64,
    #[sqlx(try_from = "String")]
    pub state: MeetingState,
    pub cancel_reason: String,
    pub quorum_present: Option<i64>,
    pub seats_filled: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
}

pub struct NewMeeting<'a> {
    pub committee_id: i64,
    pub title: &'a str,
    pub starts_at: i64,
    pub ends_at: i64,
    pub place: &'a str,
    /// Seats for the public (0: not open to registration).
    pub capacity: u32,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct AgendaItem {
    pub id: i64,
    pub meeting_id: i64,
    pub position: i64,
    pub title: String,
    pub description: String,
    pub proposal_id: Option<i64>,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct MinutesRow {
    pub meeting_id: i64,
    pub body: String,
    pub drafted_at: i64,
    pub approved_at: Option<i64>,
    pub published_at: Option<i64>,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct RegistrationRow {
    pub id: i64,
    pub user_id: i64,
    pub display_name: String,
    #[sqlx(try_from = "String")]
    pub status: RegistrationStatus,
    pub created_at: i64,
}

const SELECT_MEETING: &str =
    "SELECT id, committee_id, title, starts_at, ends_at, place, capacity, state, cancel_reason,
        quorum_present, seats_filled, created_at, updated_at FROM committee_meetings";

fn stale() -> DbError {
    DbError::Refused(Refusal::Stale)
}

impl Db {
    pub async fn create_meeting(&self, m: &NewMeeting<'_>) -> DbResult<i64> {
        if m.ends_at <= m.starts_at {
            return Err(refused(CommitteeRefusal::MeetingEndsBeforeStart));
        }
        let at = now();
        Ok(db_run!(self, pool => sqlx::query_scalar::<_, i64>(
            "INSERT INTO committee_meetings (committee_id, title, starts_at, ends_at, place, capacity, state, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, 'scheduled', $7, $7) RETURNING id")
            .bind(m.committee_id).bind(m.title).bind(m.starts_at).bind(m.ends_at).bind(m.place).bind(i64::from(m.capacity)).bind(at)
            .fetch_one(pool).await?))
    }

    pub async fn meeting(&self, id: i64) -> DbResult<Option<MeetingRow>> {
        let sql = format!("{SELECT_MEETING} WHERE id = $1");
        Ok(
            db_run!(self, pool => sqlx::query_as::<_, MeetingRow>(&sql).bind(id).fetch_optional(pool).await?),
        )
    }

    /// A committee's meetings, in time order.
    pub async fn meetings_of(&self, committee_id: i64) -> DbResult<Vec<MeetingRow>> {
        let sql = format!("{SELECT_MEETING} WHERE committee_id = $1 ORDER BY starts_at, id");
        Ok(
            db_run!(self, pool => sqlx::query_as::<_, MeetingRow>(&sql).bind(committee_id).fetch_all(pool).await?),
        )
    }

    /// The members who sit at a meeting: those whose membership covers its start.
    pub async fn meeting_roll(&self, meeting: &MeetingRow) -> DbResult<Vec<super::MemberRow>> {
        Ok(self
            .committee_members(meeting.committee_id)
            .await?
            .into_iter()
            .filter(|m| m.active_at(meeting.starts_at))
            .collect())
    }

    /// Applies a meeting event. Convening counts the members recorded present and the seats filled at the
    /// meeting's date (the event's own figures are replaced by the stored ones) and keeps them with the
    /// meeting; it is refused before the meeting's scheduled time.
    pub async fn transition_meeting(
        &self,
        id: i64,
        event: &MeetingEvent,
    ) -> DbResult<MeetingState> {
        let meeting = self.meeting(id).await?.ok_or(DbError::NotFound)?;
        let from = meeting.state;
        let (event, figures) = match event {
            MeetingEvent::Convene { .. } => {
                let present = self.present_members(id).await?.len() as u32;
                let seats_filled = self.meeting_roll(&meeting).await?.len() as u32;
                (
                    MeetingEvent::Convene {
                        present,
                        seats_filled,
                        at: now(),
                        starts_at: meeting.starts_at,
                    },
                    Some((present, seats_filled)),
                )
            }
            other => (other.clone(), None),
        };
        if matches!(
            event,
            MeetingEvent::ApproveMinutes | MeetingEvent::PublishMinutes
        ) && self.minutes(id).await?.is_none()
        {
            return Err(refused(CommitteeRefusal::NoMinutes));
        }
        let to = committee::apply(from, &event).map_err(|e| refused(CommitteeRefusal::from(e)))?;
        let reason = match &event {
            MeetingEvent::Cancel { reason } => reason.trim().to_owned(),
            _ => meeting.cancel_reason.clone(),
        };
        let at = now();
        db_run!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let n = sqlx::query(
                "UPDATE committee_meetings SET state = $1, cancel_reason = $2, updated_at = $3,
                    quorum_present = COALESCE($4, quorum_present), seats_filled = COALESCE($5, seats_filled)
                 WHERE id = $6 AND state = $7")
                .bind(to.as_str()).bind(&reason).bind(at).bind(figures.map(|f| i64::from(f.0))).bind(figures.map(|f| i64::from(f.1)))
                .bind(id).bind(from.as_str())
                .execute(&mut *tx).await?.rows_affected();
            if n == 0 {
                return Err(stale());
            }
            match event {
                MeetingEvent::ApproveMinutes => {
                    sqlx::query("UPDATE meeting_minutes SET approved_at = $1 WHERE meeting_id = $2").bind(at).bind(id).execute(&mut *tx).await?;
                }
                MeetingEvent::PublishMinutes => {
                    sqlx::query("UPDATE meeting_minutes SET published_at = $1 WHERE meeting_id = $2").bind(at).bind(id).execute(&mut *tx).await?;
                }
                _ => {}
            }
            tx.commit().await?;
            Ok(to)
        })
    }

    /// Writes (or rewrites) the draft minutes of an adjourned meeting and moves it to minutes drafted.
    pub async fn draft_minutes(
        &self,
        meeting_id: i64,
        body: &str,
        by: Option<i64>,
    ) -> DbResult<()> {
        let meeting = self.meeting(meeting_id).await?.ok_or(DbError::NotFound)?;
        committee::apply(meeting.state, &MeetingEvent::DraftMinutes)
            .map_err(|e| refused(CommitteeRefusal::from(e)))?;
        let at = now();
        db_run!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let n = sqlx::query("UPDATE committee_meetings SET state = 'minutes_drafted', updated_at = $1 WHERE id = $2 AND state = $3")
                .bind(at).bind(meeting_id).bind(meeting.state.as_str()).execute(&mut *tx).await?.rows_affected();
            if n == 0 {
                return Err(stale());
            }
            sqlx::query("INSERT INTO meeting_minutes (meeting_id, body, drafted_by, drafted_at) VALUES ($1, $2, $3, $4)
                         ON CONFLICT (meeting_id) DO UPDATE SET body = excluded.body, drafted_by = excluded.drafted_by, drafted_at = excluded.drafted_at")
                .bind(meeting_id).bind(body).bind(by).bind(at).execute(&mut *tx).await?;
            tx.commit().await?;
            Ok(())
        })
    }

    pub async fn minutes(&self, meeting_id: i64) -> DbResult<Option<MinutesRow>> {
        Ok(db_run!(self, pool => sqlx::query_as::<_, MinutesRow>(
            "SELECT meeting_id, body, drafted_at, approved_at, published_at FROM meeting_minutes WHERE meeting_id = $1")
            .bind(meeting_id).fetch_optional(pool).await?))
    }

    /// Records a member present (idempotent) or absent. Only members who sit at the meeting's date count.
    pub async fn set_attendance(
        &self,
        meeting_id: i64,
        membership_id: i64,
        present: bool,
        by: Option<i64>,
    ) -> DbResult<()> {
        let meeting = self.meeting(meeting_id).await?.ok_or(DbError::NotFound)?;
        if !meeting.state.records_attendance() {
            return Err(refused(CommitteeRefusal::AttendanceClosed));
        }
        let member = self
            .membership(membership_id)
            .await?
            .ok_or(DbError::NotFound)?;
        if member.committee_id != meeting.committee_id || !member.active_at(meeting.starts_at) {
            return Err(refused(CommitteeRefusal::NotAMember));
        }
        db_run!(self, pool => {
            if present {
                sqlx::query("INSERT INTO meeting_attendance (meeting_id, membership_id, recorded_by, recorded_at) VALUES ($1, $2, $3, $4)
                             ON CONFLICT (meeting_id, membership_id) DO NOTHING")
                    .bind(meeting_id).bind(membership_id).bind(by).bind(now()).execute(pool).await?;
            } else {
                sqlx::query("DELETE FROM meeting_attendance WHERE meeting_id = $1 AND membership_id = $2")
                    .bind(meeting_id).bind(membership_id).execute(pool).await?;
            }
        });
        Ok(())
    }

    /// Membership ids recorded present.
    pub async fn present_members(&self, meeting_id: i64) -> DbResult<Vec<i64>> {
        Ok(db_run!(self, pool => sqlx::query_scalar::<_, i64>(
            "SELECT membership_id FROM meeting_attendance WHERE meeting_id = $1 ORDER BY membership_id")
            .bind(meeting_id).fetch_all(pool).await?))
    }

    /// Registers a resident for a public meeting: a seat while the capacity lasts, then the waiting
    /// list. Registering again changes nothing. Returns the status. The meeting's row is written first, so
    /// registrations and cancellations of one meeting take their locks in the same order (no deadlock).
    pub async fn register_for_meeting(
        &self,
        meeting_id: i64,
        user_id: i64,
    ) -> DbResult<RegistrationStatus> {
        let meeting = self.meeting(meeting_id).await?.ok_or(DbError::NotFound)?;
        if meeting.capacity <= 0 || !meeting.state.takes_registrations() {
            return Err(refused(CommitteeRefusal::NoRegistrations));
        }
        let at = now();
        db_run!(self, pool => {
            let mut tx = pool.begin_write().await?;
            sqlx::query("UPDATE committee_meetings SET updated_at = updated_at WHERE id = $1").bind(meeting_id).execute(&mut *tx).await?;
            let existing: Option<String> = sqlx::query_scalar("SELECT status FROM meeting_registrations WHERE meeting_id = $1 AND user_id = $2")
                .bind(meeting_id).bind(user_id).fetch_optional(&mut *tx).await?;
            if let Some(status) = existing.map(RegistrationStatus::try_from).transpose()?
                .filter(|s| *s != RegistrationStatus::Cancelled)
            {
                return Ok(status);
            }
            let taken: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM meeting_registrations WHERE meeting_id = $1 AND status = 'registered'")
                .bind(meeting_id).fetch_one(&mut *tx).await?;
            let status = if taken < meeting.capacity { RegistrationStatus::Registered } else { RegistrationStatus::Waiting };
            // A cancelled registration comes back at the end of the queue (its id is renewed).
            sqlx::query("DELETE FROM meeting_registrations WHERE meeting_id = $1 AND user_id = $2")
                .bind(meeting_id).bind(user_id).execute(&mut *tx).await?;
            sqlx::query("INSERT INTO meeting_registrations (meeting_id, user_id, status, created_at) VALUES ($1, $2, $3, $4)")
                .bind(meeting_id).bind(user_id).bind(status.as_str()).bind(at).execute(&mut *tx).await?;
            tx.commit().await?;
            Ok(status)
        })
    }

    /// Cancels a registration; a freed seat goes to the first on the waiting list. Like registering, it
    /// writes the meeting's row first.
    pub async fn cancel_registration(&self, meeting_id: i64, user_id: i64) -> DbResult<()> {
        db_run!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let capacity: Option<i64> = sqlx::query_scalar("UPDATE committee_meetings SET updated_at = updated_at WHERE id = $1 RETURNING capacity")
                .bind(meeting_id).fetch_optional(&mut *tx).await?;
            let Some(capacity) = capacity else {
                return Err(DbError::NotFound);
            };
            let n = sqlx::query(
                "UPDATE meeting_registrations SET status = 'cancelled' WHERE meeting_id = $1 AND user_id = $2 AND status <> 'cancelled'")
                .bind(meeting_id).bind(user_id).execute(&mut *tx).await?.rows_affected();
            if n == 0 {
                return Err(DbError::NotFound);
            }
            let taken: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM meeting_registrations WHERE meeting_id = $1 AND status = 'registered'")
                .bind(meeting_id).fetch_one(&mut *tx).await?;
            if taken < capacity {
                let first: Option<i64> = sqlx::query_scalar(
                    "SELECT id FROM meeting_registrations WHERE meeting_id = $1 AND status = 'waiting' ORDER BY id LIMIT 1")
                    .bind(meeting_id).fetch_optional(&mut *tx).await?;
                if let Some(first) = first {
                    sqlx::query("UPDATE meeting_registrations SET status = 'registered' WHERE id = $1").bind(first).execute(&mut *tx).await?;
                }
            }
            tx.commit().await?;
            Ok(())
        })
    }

    /// Registrations (seats first, then the waiting list in order; cancelled ones left out).
    pub async fn registrations(&self, meeting_id: i64) -> DbResult<Vec<RegistrationRow>> {
        Ok(db_run!(self, pool => sqlx::query_as::<_, RegistrationRow>(
            "SELECT r.id, r.user_id, u.display_name, r.status, r.created_at FROM meeting_registrations r JOIN users u ON u.id = r.user_id
             WHERE r.meeting_id = $1 AND r.status <> 'cancelled' ORDER BY CASE r.status WHEN 'registered' THEN 0 ELSE 1 END, r.id")
            .bind(meeting_id).fetch_all(pool).await?))
    }

    /// Adds an agenda item (before the meeting convenes), optionally linked to a proposal.
    pub async fn add_agenda_item(
        &self,
        meeting_id: i64,
        title: &str,
        description: &str,
        proposal_id: Option<i64>,
    ) -> DbResult<i64> {
        let meeting = self.meeting(meeting_id).await?.ok_or(DbError::NotFound)?;
        if !meeting.state.takes_registrations() {
            return Err(refused(CommitteeRefusal::AgendaFixed));
        }
        if let Some(p) = proposal_id
            && self.proposal(p).await?.is_none()
        {
            return Err(DbError::Refused(Refusal::field(
                "proposal",
                maeul_domain::account::FieldError::Invalid,
            )));
        }
        Ok(db_run!(self, pool => sqlx::query_scalar::<_, i64>(
            "INSERT INTO agenda_items (meeting_id, position, title, description, proposal_id)
             VALUES ($1, (SELECT COALESCE(MAX(position), 0) + 1 FROM agenda_items WHERE meeting_id = $1), $2, $3, $4) RETURNING id")
            .bind(meeting_id).bind(title).bind(description).bind(proposal_id).fetch_one(pool).await?))
    }

    pub async fn agenda(&self, meeting_id: i64) -> DbResult<Vec<AgendaItem>> {
        Ok(db_run!(self, pool => sqlx::query_as::<_, AgendaItem>(
            "SELECT id, meeting_id, position, title, description, proposal_id FROM agenda_items WHERE meeting_id = $1 ORDER BY position")
            .bind(meeting_id).fetch_all(pool).await?))
    }
}
