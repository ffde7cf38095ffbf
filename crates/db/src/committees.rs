//! Committees (rules in `maeul_domain::committee`): bodies and their seats, memberships (never deleted: the
//! seat history), open calls, applications and training hours, draws, meetings with registrations,
//! attendance and agendas, motions with their votes (one per member, enforced by the primary key too),
//! and minutes. The lottery itself is computed by `maeul-sortition` in the caller; this module stores
//! its published input and its result.
use maeul_domain::committee::{
    self, Ballot, CallEvent, CallState, Choice, MeetingEvent, MeetingState, MotionEvent,
    MotionState, SeatPlan, Sector, Tally, Term, VoteRefusal, VoteRule,
};

use crate::{BeginWrite, Db, DbError, DbResult, conflict_as, db_run, now};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CommitteeRow {
    pub id: i64,
    pub scope_id: i64,
    pub parent_id: Option<i64>,
    pub kind: String,
    pub name: String,
    pub charter: String,
    pub vote_rule: String,
    pub secret_ballot: i64,
    pub gender_cap: Option<i64>,
    pub created_at: i64,
}

impl CommitteeRow {
    pub fn vote_rule(&self) -> VoteRule {
        VoteRule::parse(&self.vote_rule).unwrap_or(VoteRule::MajorityOfVoting)
    }
    pub fn ballot(&self) -> Ballot {
        Ballot::from_secret(self.secret_ballot != 0)
    }
}

/// A committee to create.
pub struct NewCommittee<'a> {
    pub scope_id: i64,
    pub parent_id: Option<i64>,
    pub kind: committee::CommitteeKind,
    pub name: &'a str,
    pub charter: &'a str,
    pub vote_rule: VoteRule,
    pub secret_ballot: bool,
    pub gender_cap: Option<u32>,
    pub seats: SeatPlan,
    pub created_by: Option<i64>,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct MemberRow {
    pub id: i64,
    pub committee_id: i64,
    pub user_id: i64,
    pub display_name: String,
    pub sector: String,
    pub position: String,
    pub gender: String,
    pub source: String,
    pub call_id: Option<i64>,
    pub term_start: i64,
    pub term_end: i64,
    pub ended_at: Option<i64>,
    pub end_reason: String,
}

impl MemberRow {
    pub fn term(&self) -> Term {
        Term {
            start: self.term_start,
            end: self.term_end,
        }
    }
    /// Holds the seat at `at`: not ended and within the term.
    pub fn active_at(&self, at: i64) -> bool {
        self.ended_at.is_none() && self.term().covers(at)
    }
}

/// A seat to fill by appointment (or by the lottery, see [`Db::publish_panel`]).
pub struct NewMembership<'a> {
    pub committee_id: i64,
    pub user_id: i64,
    pub sector: Sector,
    pub position: committee::Position,
    pub gender: &'a str,
    pub term: Term,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CallRow {
    pub id: i64,
    pub committee_id: i64,
    pub title: String,
    pub description: String,
    pub state: String,
    pub sector: String,
    pub seats: i64,
    pub reserve_size: i64,
    pub min_age: i64,
    pub training_hours: i64,
    pub features_json: String,
    pub seed_rule: String,
    pub term_start: i64,
    pub term_end: i64,
    pub input_json: Option<String>,
    pub input_sha256: Option<String>,
    pub created_at: i64,
    pub closed_at: Option<i64>,
}

impl CallRow {
    pub fn state(&self) -> CallState {
        CallState::parse(&self.state).unwrap_or(CallState::Published)
    }
}

pub struct NewCall<'a> {
    pub committee_id: i64,
    pub title: &'a str,
    pub description: &'a str,
    pub sector: Sector,
    pub seats: u32,
    pub reserve_size: u32,
    pub min_age: u32,
    pub training_hours: u32,
    /// The stratification features and quotas (`features` of the `maeul-sortition/1` format).
    pub features_json: &'a str,
    /// How the seed text will be formed from a public value, announced with the call.
    pub seed_rule: &'a str,
    pub term: Term,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ApplicationRow {
    pub id: i64,
    pub call_id: i64,
    pub user_id: i64,
    pub display_name: String,
    pub pseudonym: String,
    pub age: i64,
    pub strata_json: String,
    pub status: String,
    pub ineligible_why: String,
    pub rank: Option<i64>,
    pub training_hours: i64,
    /// The applicant's residence, if declared, and its status.
    pub residence_scope_id: Option<i64>,
    pub residence_status: Option<String>,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct DrawRow {
    pub call_id: i64,
    pub seed_text: String,
    pub seed_source: String,
    pub seed_sha256: String,
    pub result_json: String,
    pub drawn_at: i64,
    pub published_at: Option<i64>,
}

/// The result of a draw to record: application ids of the panel (in seat order) and of the reserves (in
/// list order); every other eligible applicant is marked not selected.
pub struct DrawRecord<'a> {
    pub call_id: i64,
    pub seed_text: &'a str,
    pub seed_source: &'a str,
    pub seed_sha256: &'a str,
    pub result_json: &'a str,
    pub panel: &'a [i64],
    pub reserves: &'a [i64],
    pub drawn_by: Option<i64>,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct MeetingRow {
    pub id: i64,
    pub committee_id: i64,
    pub title: String,
    pub starts_at: i64,
    pub ends_at: i64,
    pub place: String,
    pub capacity: i64,
    pub state: String,
    pub cancel_reason: String,
    pub quorum_present: Option<i64>,
    pub seats_filled: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
}

impl MeetingRow {
    pub fn state(&self) -> MeetingState {
        MeetingState::parse(&self.state).unwrap_or(MeetingState::Cancelled)
    }
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
pub struct MotionRow {
    pub id: i64,
    pub meeting_id: i64,
    pub agenda_item_id: Option<i64>,
    pub title: String,
    pub body: String,
    pub state: String,
    pub vote_rule: String,
    pub secret: i64,
    pub yes_count: i64,
    pub no_count: i64,
    pub abstain_count: i64,
    pub present_count: Option<i64>,
    pub created_at: i64,
    pub decided_at: Option<i64>,
}

impl MotionRow {
    pub fn state(&self) -> MotionState {
        MotionState::parse(&self.state).unwrap_or(MotionState::Withdrawn)
    }
    pub fn tally(&self) -> Tally {
        Tally {
            yes: self.yes_count as u32,
            no: self.no_count as u32,
            abstain: self.abstain_count as u32,
        }
    }
}

/// A decided motion with its meeting, for a committee's list of decisions and its CSV export.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct DecisionRow {
    pub motion_id: i64,
    pub meeting_id: i64,
    pub meeting_title: String,
    pub starts_at: i64,
    pub title: String,
    pub state: String,
    pub vote_rule: String,
    pub secret: i64,
    pub yes_count: i64,
    pub no_count: i64,
    pub abstain_count: i64,
    pub present_count: Option<i64>,
    pub decided_at: Option<i64>,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct VoteRow {
    pub membership_id: i64,
    pub display_name: String,
    /// None for a secret ballot.
    pub choice: Option<String>,
    pub at: i64,
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
    pub status: String,
    pub created_at: i64,
}

/// Why a vote was not recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VoteError {
    Refused(VoteRefusal),
    NotAMember,
}

const SELECT_COMMITTEE: &str = "SELECT id, scope_id, parent_id, kind, name, charter, vote_rule, secret_ballot, gender_cap, created_at FROM committees";

const SELECT_MEMBER: &str = "SELECT m.id, m.committee_id, m.user_id, u.display_name, m.sector, m.position, m.gender, m.source,
        m.call_id, m.term_start, m.term_end, m.ended_at, m.end_reason
     FROM committee_memberships m JOIN users u ON u.id = m.user_id";

const SELECT_CALL: &str = "SELECT id, committee_id, title, description, state, sector, seats, reserve_size, min_age, training_hours,
        features_json, seed_rule, term_start, term_end, input_json, input_sha256, created_at, closed_at FROM committee_calls";

const SELECT_APPLICATION: &str = "SELECT a.id, a.call_id, a.user_id, u.display_name, a.pseudonym, a.age, a.strata_json, a.status,
        a.ineligible_why, a.rank,
        CAST(COALESCE((SELECT SUM(t.hours) FROM committee_training t WHERE t.application_id = a.id), 0) AS BIGINT) AS training_hours,
        r.scope_id AS residence_scope_id, r.status AS residence_status
     FROM committee_applications a JOIN users u ON u.id = a.user_id LEFT JOIN residencies r ON r.user_id = a.user_id";

const SELECT_MEETING: &str =
    "SELECT id, committee_id, title, starts_at, ends_at, place, capacity, state, cancel_reason,
        quorum_present, seats_filled, created_at, updated_at FROM committee_meetings";

const SELECT_MOTION: &str = "SELECT id, meeting_id, agenda_item_id, title, body, state, vote_rule, secret, yes_count, no_count,
        abstain_count, present_count, created_at, decided_at FROM motions";

/// Seats held at `at` (active memberships), per sector.
fn filled_by_sector(members: &[MemberRow], at: i64) -> [u32; 3] {
    let mut filled = [0u32; 3];
    for m in members.iter().filter(|m| m.active_at(at)) {
        if let Some(s) = Sector::parse(&m.sector) {
            filled[s as usize] += 1;
        }
    }
    filled
}

impl Db {
    pub async fn create_committee(&self, c: &NewCommittee<'_>) -> DbResult<i64> {
        c.seats
            .validate()
            .map_err(|e| DbError::Invalid(e.to_string()))?;
        if c.kind.needs_parent() != c.parent_id.is_some() {
            return Err(DbError::Invalid(
                "a subcommittee, and only a subcommittee, has a parent committee".into(),
            ));
        }
        let at = now();
        db_run!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let id = sqlx::query_scalar::<_, i64>(
                "INSERT INTO committees (scope_id, parent_id, kind, name, charter, vote_rule, secret_ballot, gender_cap, created_by, created_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id")
                .bind(c.scope_id).bind(c.parent_id).bind(c.kind.as_str()).bind(c.name).bind(c.charter)
                .bind(c.vote_rule.as_string()).bind(i64::from(c.secret_ballot)).bind(c.gender_cap.map(i64::from))
                .bind(c.created_by).bind(at)
                .fetch_one(&mut *tx).await?;
            for sector in Sector::ALL {
                sqlx::query("INSERT INTO committee_seats (committee_id, sector, seats) VALUES ($1, $2, $3)")
                    .bind(id).bind(sector.as_str()).bind(i64::from(c.seats.seats(sector)))
                    .execute(&mut *tx).await?;
            }
            tx.commit().await?;
            Ok(id)
        })
    }

    pub async fn committee(&self, id: i64) -> DbResult<Option<CommitteeRow>> {
        let sql = format!("{SELECT_COMMITTEE} WHERE id = $1");
        Ok(
            db_run!(self, pool => sqlx::query_as::<_, CommitteeRow>(&sql).bind(id).fetch_optional(pool).await?),
        )
    }

    pub async fn committees_in_scope(&self, scope_id: i64) -> DbResult<Vec<CommitteeRow>> {
        let sql = format!("{SELECT_COMMITTEE} WHERE scope_id = $1 ORDER BY id");
        Ok(
            db_run!(self, pool => sqlx::query_as::<_, CommitteeRow>(&sql).bind(scope_id).fetch_all(pool).await?),
        )
    }

    pub async fn subcommittees(&self, parent_id: i64) -> DbResult<Vec<CommitteeRow>> {
        let sql = format!("{SELECT_COMMITTEE} WHERE parent_id = $1 ORDER BY id");
        Ok(
            db_run!(self, pool => sqlx::query_as::<_, CommitteeRow>(&sql).bind(parent_id).fetch_all(pool).await?),
        )
    }

    pub async fn committee_seats(&self, id: i64) -> DbResult<SeatPlan> {
        let rows: Vec<(String, i64)> = db_run!(self, pool => sqlx::query_as(
            "SELECT sector, seats FROM committee_seats WHERE committee_id = $1")
            .bind(id).fetch_all(pool).await?);
        let mut plan = SeatPlan::default();
        for (sector, seats) in rows {
            let seats = seats as u32;
            match Sector::parse(&sector) {
                Some(Sector::Public) => plan.public = seats,
                Some(Sector::Civil) => plan.civil = seats,
                Some(Sector::Expert) => plan.expert = seats,
                None => {}
            }
        }
        Ok(plan)
    }

    /// Every membership of a committee, past and present (the seat history), by sector then id.
    pub async fn committee_members(&self, committee_id: i64) -> DbResult<Vec<MemberRow>> {
        let sql = format!("{SELECT_MEMBER} WHERE m.committee_id = $1 ORDER BY m.sector, m.id");
        Ok(
            db_run!(self, pool => sqlx::query_as::<_, MemberRow>(&sql).bind(committee_id).fetch_all(pool).await?),
        )
    }

    pub async fn membership(&self, id: i64) -> DbResult<Option<MemberRow>> {
        let sql = format!("{SELECT_MEMBER} WHERE m.id = $1");
        Ok(
            db_run!(self, pool => sqlx::query_as::<_, MemberRow>(&sql).bind(id).fetch_optional(pool).await?),
        )
    }

    /// The membership through which `user_id` sits on the committee at `at`, if any.
    pub async fn active_membership(
        &self,
        committee_id: i64,
        user_id: i64,
        at: i64,
    ) -> DbResult<Option<MemberRow>> {
        Ok(self
            .committee_members(committee_id)
            .await?
            .into_iter()
            .find(|m| m.user_id == user_id && m.active_at(at)))
    }

    /// Seats filled now.
    pub async fn seats_filled(&self, committee_id: i64) -> DbResult<u32> {
        let at = now();
        Ok(
            filled_by_sector(&self.committee_members(committee_id).await?, at)
                .iter()
                .sum(),
        )
    }

    /// Appoints a member to a vacant seat of the sector, keeping the committee's gender cap.
    pub async fn appoint_member(&self, m: &NewMembership<'_>) -> DbResult<i64> {
        let committee = self
            .committee(m.committee_id)
            .await?
            .ok_or(DbError::NotFound)?;
        let plan = self.committee_seats(m.committee_id).await?;
        let members = self.committee_members(m.committee_id).await?;
        let at = now();
        let filled = filled_by_sector(&members, at.max(m.term.start));
        plan.check_vacancy(m.sector, filled[m.sector as usize])
            .map_err(|e| DbError::Invalid(e.to_string()))?;
        if members
            .iter()
            .any(|x| x.user_id == m.user_id && x.ended_at.is_none() && x.term_end >= m.term.start)
        {
            return Err(DbError::Conflict("membership"));
        }
        if let Some(cap) = committee.gender_cap
            && !m.gender.is_empty()
        {
            let same = members
                .iter()
                .filter(|x| x.ended_at.is_none() && x.term_end >= at && x.gender == m.gender)
                .count() as u32;
            committee::check_gender_cap(&[(m.gender, same + 1)], plan.total(), cap as u32)
                .map_err(|e| DbError::Invalid(e.to_string()))?;
        }
        self.insert_membership(m, "appointed", None).await
    }

    async fn insert_membership(
        &self,
        m: &NewMembership<'_>,
        source: &str,
        call_id: Option<i64>,
    ) -> DbResult<i64> {
        let at = now();
        Ok(db_run!(self, pool => sqlx::query_scalar::<_, i64>(
            "INSERT INTO committee_memberships (committee_id, user_id, sector, position, gender, source, call_id, term_start, term_end, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id")
            .bind(m.committee_id).bind(m.user_id).bind(m.sector.as_str()).bind(m.position.as_str()).bind(m.gender)
            .bind(source).bind(call_id).bind(m.term.start).bind(m.term.end).bind(at)
            .fetch_one(pool).await?))
    }

    /// Ends a membership (resignation, dismissal, end of term early). The row stays: it is the history.
    pub async fn end_membership(&self, id: i64, reason: &str) -> DbResult<()> {
        let n = db_run!(self, pool => sqlx::query(
            "UPDATE committee_memberships SET ended_at = $1, end_reason = $2 WHERE id = $3 AND ended_at IS NULL")
            .bind(now()).bind(reason).bind(id).execute(pool).await?.rows_affected());
        if n == 0 {
            return Err(DbError::NotFound);
        }
        Ok(())
    }

    // ---- Calls, applications, training, draws -------------------------------------------------------

    pub async fn create_call(&self, c: &NewCall<'_>) -> DbResult<i64> {
        Ok(db_run!(self, pool => sqlx::query_scalar::<_, i64>(
            "INSERT INTO committee_calls (committee_id, title, description, state, sector, seats, reserve_size, min_age, training_hours,
                features_json, seed_rule, term_start, term_end, created_at)
             VALUES ($1, $2, $3, 'draft', $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id")
            .bind(c.committee_id).bind(c.title).bind(c.description).bind(c.sector.as_str()).bind(i64::from(c.seats))
            .bind(i64::from(c.reserve_size)).bind(i64::from(c.min_age)).bind(i64::from(c.training_hours))
            .bind(c.features_json).bind(c.seed_rule).bind(c.term.start).bind(c.term.end).bind(now())
            .fetch_one(pool).await?))
    }

    pub async fn call(&self, id: i64) -> DbResult<Option<CallRow>> {
        let sql = format!("{SELECT_CALL} WHERE id = $1");
        Ok(
            db_run!(self, pool => sqlx::query_as::<_, CallRow>(&sql).bind(id).fetch_optional(pool).await?),
        )
    }

    pub async fn calls_of(&self, committee_id: i64) -> DbResult<Vec<CallRow>> {
        let sql = format!("{SELECT_CALL} WHERE committee_id = $1 ORDER BY id DESC");
        Ok(
            db_run!(self, pool => sqlx::query_as::<_, CallRow>(&sql).bind(committee_id).fetch_all(pool).await?),
        )
    }

    /// Opens a draft call.
    pub async fn open_call(&self, id: i64) -> DbResult<()> {
        let call = self.call(id).await?.ok_or(DbError::NotFound)?;
        let to = committee::apply_call(call.state(), CallEvent::Open, 0)
            .map_err(|e| DbError::Invalid(e.to_string()))?;
        self.set_call_state(id, call.state(), to).await
    }

    async fn set_call_state(&self, id: i64, from: CallState, to: CallState) -> DbResult<()> {
        let n = db_run!(self, pool => sqlx::query("UPDATE committee_calls SET state = $1 WHERE id = $2 AND state = $3")
            .bind(to.as_str()).bind(id).bind(from.as_str()).execute(pool).await?.rows_affected());
        if n == 0 {
            return Err(DbError::Invalid(
                "the call changed meanwhile; reload and try again".into(),
            ));
        }
        Ok(())
    }

    /// Closes an open call and freezes its published lottery input: `input_json` (the pseudonymised
    /// eligible applicants with their strata and the quotas) and its SHA-256. `eligible` are the
    /// application ids in the input; every other application is marked ineligible with its reasons.
    pub async fn close_call(
        &self,
        id: i64,
        input_json: &str,
        input_sha256: &str,
        eligible: &[i64],
        ineligible: &[(i64, String)],
    ) -> DbResult<()> {
        let call = self.call(id).await?.ok_or(DbError::NotFound)?;
        committee::apply_call(call.state(), CallEvent::Close, eligible.len() as u32)
            .map_err(|e| DbError::Invalid(e.to_string()))?;
        let at = now();
        db_run!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let n = sqlx::query("UPDATE committee_calls SET state = 'closed', input_json = $1, input_sha256 = $2, closed_at = $3
                                 WHERE id = $4 AND state = 'open'")
                .bind(input_json).bind(input_sha256).bind(at).bind(id).execute(&mut *tx).await?.rows_affected();
            if n == 0 {
                return Err(DbError::Invalid("the call changed meanwhile; reload and try again".into()));
            }
            for a in eligible {
                sqlx::query("UPDATE committee_applications SET status = 'eligible' WHERE id = $1 AND call_id = $2")
                    .bind(a).bind(id).execute(&mut *tx).await?;
            }
            for (a, why) in ineligible {
                sqlx::query("UPDATE committee_applications SET status = 'ineligible', ineligible_why = $1 WHERE id = $2 AND call_id = $3")
                    .bind(why).bind(a).bind(id).execute(&mut *tx).await?;
            }
            tx.commit().await?;
            Ok(())
        })
    }

    /// Applies to an open call with self-declared age and strata (a JSON object feature → category).
    /// The pseudonym published in the lottery input is assigned here (`A0001`, `A0002`, … per call).
    pub async fn apply_to_call(
        &self,
        call_id: i64,
        user_id: i64,
        age: u32,
        strata_json: &str,
    ) -> DbResult<i64> {
        let call = self.call(call_id).await?.ok_or(DbError::NotFound)?;
        if !call.state().accepts_applications() {
            return Err(DbError::Invalid("this call is not open".into()));
        }
        let at = now();
        db_run!(self, pool => {
            let mut tx = pool.begin_write().await?;
            // Taking the write lock first (SQLite) / serialising on the call row (PostgreSQL) keeps
            // pseudonyms unique under concurrent applications.
            sqlx::query("UPDATE committee_calls SET state = state WHERE id = $1").bind(call_id).execute(&mut *tx).await?;
            let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM committee_applications WHERE call_id = $1")
                .bind(call_id).fetch_one(&mut *tx).await?;
            let pseudonym = format!("A{:04}", n + 1);
            let id = sqlx::query_scalar::<_, i64>(
                "INSERT INTO committee_applications (call_id, user_id, pseudonym, age, strata_json, created_at)
                 VALUES ($1, $2, $3, $4, $5, $6) RETURNING id")
                .bind(call_id).bind(user_id).bind(&pseudonym).bind(i64::from(age)).bind(strata_json).bind(at)
                .fetch_one(&mut *tx).await.map_err(conflict_as("application"))?;
            tx.commit().await?;
            Ok(id)
        })
    }

    pub async fn applications(&self, call_id: i64) -> DbResult<Vec<ApplicationRow>> {
        let sql = format!("{SELECT_APPLICATION} WHERE a.call_id = $1 ORDER BY a.id");
        Ok(
            db_run!(self, pool => sqlx::query_as::<_, ApplicationRow>(&sql).bind(call_id).fetch_all(pool).await?),
        )
    }

    pub async fn application_of(
        &self,
        call_id: i64,
        user_id: i64,
    ) -> DbResult<Option<ApplicationRow>> {
        let sql = format!("{SELECT_APPLICATION} WHERE a.call_id = $1 AND a.user_id = $2");
        Ok(
            db_run!(self, pool => sqlx::query_as::<_, ApplicationRow>(&sql).bind(call_id).bind(user_id).fetch_optional(pool).await?),
        )
    }

    /// Logs training hours for an applicant (while the call is open).
    pub async fn log_training(
        &self,
        application_id: i64,
        hours: u32,
        note: &str,
        by: Option<i64>,
    ) -> DbResult<()> {
        if hours == 0 {
            return Err(DbError::Invalid("hours must be positive".into()));
        }
        db_run!(self, pool => sqlx::query(
            "INSERT INTO committee_training (application_id, hours, note, logged_by, logged_at) VALUES ($1, $2, $3, $4, $5)")
            .bind(application_id).bind(i64::from(hours)).bind(note).bind(by).bind(now()).execute(pool).await?.rows_affected());
        Ok(())
    }

    /// Records a draw: the seed, the engine's published result, the panel (seat order) and reserves
    /// (list order) by application id. The call moves from closed to drawn.
    pub async fn record_draw(&self, d: &DrawRecord<'_>) -> DbResult<()> {
        let call = self.call(d.call_id).await?.ok_or(DbError::NotFound)?;
        committee::apply_call(call.state(), CallEvent::Draw, d.panel.len() as u32)
            .map_err(|e| DbError::Invalid(e.to_string()))?;
        let at = now();
        db_run!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let n = sqlx::query("UPDATE committee_calls SET state = 'drawn' WHERE id = $1 AND state = 'closed'")
                .bind(d.call_id).execute(&mut *tx).await?.rows_affected();
            if n == 0 {
                return Err(DbError::Invalid("the call changed meanwhile; reload and try again".into()));
            }
            sqlx::query("INSERT INTO committee_draws (call_id, seed_text, seed_source, seed_sha256, result_json, drawn_by, drawn_at)
                         VALUES ($1, $2, $3, $4, $5, $6, $7)")
                .bind(d.call_id).bind(d.seed_text).bind(d.seed_source).bind(d.seed_sha256).bind(d.result_json)
                .bind(d.drawn_by).bind(at).execute(&mut *tx).await.map_err(conflict_as("draw"))?;
            sqlx::query("UPDATE committee_applications SET status = 'not_selected' WHERE call_id = $1 AND status = 'eligible'")
                .bind(d.call_id).execute(&mut *tx).await?;
            for (rank, a) in d.panel.iter().enumerate() {
                sqlx::query("UPDATE committee_applications SET status = 'selected', rank = $1 WHERE id = $2 AND call_id = $3")
                    .bind(rank as i64 + 1).bind(a).bind(d.call_id).execute(&mut *tx).await?;
            }
            for (rank, a) in d.reserves.iter().enumerate() {
                sqlx::query("UPDATE committee_applications SET status = 'reserve', rank = $1 WHERE id = $2 AND call_id = $3")
                    .bind(rank as i64 + 1).bind(a).bind(d.call_id).execute(&mut *tx).await?;
            }
            tx.commit().await?;
            Ok(())
        })
    }

    pub async fn draw_of(&self, call_id: i64) -> DbResult<Option<DrawRow>> {
        Ok(db_run!(self, pool => sqlx::query_as::<_, DrawRow>(
            "SELECT call_id, seed_text, seed_source, seed_sha256, result_json, drawn_at, published_at FROM committee_draws WHERE call_id = $1")
            .bind(call_id).fetch_optional(pool).await?))
    }

    /// Publishes a drawn panel: its members take the call's sector seats for the call's term, in one
    /// transaction with the state change. Returns the new membership ids.
    pub async fn publish_panel(&self, call_id: i64) -> DbResult<Vec<i64>> {
        let call = self.call(call_id).await?.ok_or(DbError::NotFound)?;
        committee::apply_call(call.state(), CallEvent::Publish, 1)
            .map_err(|e| DbError::Invalid(e.to_string()))?;
        let panel: Vec<ApplicationRow> = self
            .applications(call_id)
            .await?
            .into_iter()
            .filter(|a| a.status == "selected")
            .collect();
        let at = now();
        db_run!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let n = sqlx::query("UPDATE committee_calls SET state = 'published' WHERE id = $1 AND state = 'drawn'")
                .bind(call_id).execute(&mut *tx).await?.rows_affected();
            if n == 0 {
                return Err(DbError::Invalid("the call changed meanwhile; reload and try again".into()));
            }
            sqlx::query("UPDATE committee_draws SET published_at = $1 WHERE call_id = $2")
                .bind(at).bind(call_id).execute(&mut *tx).await?;
            let mut ids = vec![];
            for a in &panel {
                let gender = gender_of(&a.strata_json);
                let id = sqlx::query_scalar::<_, i64>(
                    "INSERT INTO committee_memberships (committee_id, user_id, sector, position, gender, source, call_id, term_start, term_end, created_at)
                     VALUES ($1, $2, $3, 'member', $4, 'lottery', $5, $6, $7, $8) RETURNING id")
                    .bind(call.committee_id).bind(a.user_id).bind(&call.sector).bind(&gender).bind(call_id)
                    .bind(call.term_start).bind(call.term_end).bind(at)
                    .fetch_one(&mut *tx).await?;
                ids.push(id);
            }
            tx.commit().await?;
            Ok(ids)
        })
    }

    /// Fills a vacancy of a published panel from the call's reserve list: the leaving membership ends (if it
    /// has not already), the reserve applicant moves from reserve to selected and takes a seat of the call's
    /// sector for the call's term — in one transaction. Returns the new membership's id.
    pub async fn seat_reserve(
        &self,
        call_id: i64,
        leaving_membership_id: i64,
        reserve_application_id: i64,
        reason: &str,
    ) -> DbResult<i64> {
        let call = self.call(call_id).await?.ok_or(DbError::NotFound)?;
        if call.state() != CallState::Published {
            return Err(DbError::Invalid("the panel is not published".into()));
        }
        let leaving = self
            .membership(leaving_membership_id)
            .await?
            .ok_or(DbError::NotFound)?;
        if leaving.call_id != Some(call_id) {
            return Err(DbError::Invalid(
                "this member was not drawn by this call".into(),
            ));
        }
        let reserve = self
            .applications(call_id)
            .await?
            .into_iter()
            .find(|a| a.id == reserve_application_id && a.status == "reserve")
            .ok_or_else(|| DbError::Invalid("not on this call's reserve list".into()))?;
        let at = now();
        db_run!(self, pool => {
            let mut tx = pool.begin_write().await?;
            sqlx::query("UPDATE committee_memberships SET end_reason = $1, ended_at = $2 WHERE id = $3 AND ended_at IS NULL")
                .bind(reason).bind(at).bind(leaving_membership_id).execute(&mut *tx).await?;
            let n = sqlx::query("UPDATE committee_applications SET status = 'selected' WHERE id = $1 AND status = 'reserve'")
                .bind(reserve.id).execute(&mut *tx).await?.rows_affected();
            if n == 0 {
                return Err(DbError::Invalid("the reserve list changed meanwhile; reload and try again".into()));
            }
            let gender = gender_of(&reserve.strata_json);
            let id = sqlx::query_scalar::<_, i64>(
                "INSERT INTO committee_memberships (committee_id, user_id, sector, position, gender, source, call_id, term_start, term_end, created_at)
                 VALUES ($1, $2, $3, 'member', $4, 'reserve', $5, $6, $7, $8) RETURNING id")
                .bind(call.committee_id).bind(reserve.user_id).bind(&call.sector).bind(&gender).bind(call_id)
                .bind(call.term_start).bind(call.term_end).bind(at)
                .fetch_one(&mut *tx).await?;
            tx.commit().await?;
            Ok(id)
        })
    }

    // ---- Meetings ---------------------------------------------------------------------------------

    pub async fn create_meeting(&self, m: &NewMeeting<'_>) -> DbResult<i64> {
        if m.ends_at <= m.starts_at {
            return Err(DbError::Invalid(
                "a meeting must end after it starts".into(),
            ));
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

    /// Applies a meeting event. Convening counts the members recorded present and the seats filled
    /// (the event's own figures are replaced by the stored ones) and keeps them with the meeting.
    pub async fn transition_meeting(
        &self,
        id: i64,
        event: &MeetingEvent,
    ) -> DbResult<MeetingState> {
        let meeting = self.meeting(id).await?.ok_or(DbError::NotFound)?;
        let from = meeting.state();
        let (event, figures) = match event {
            MeetingEvent::Convene { .. } => {
                let present = self.present_members(id).await?.len() as u32;
                let seats_filled = self.seats_filled(meeting.committee_id).await?;
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
            return Err(DbError::Invalid("there are no minutes yet".into()));
        }
        let to = committee::apply(from, &event).map_err(|e| DbError::Invalid(e.to_string()))?;
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
                return Err(DbError::Invalid("the meeting changed meanwhile; reload and try again".into()));
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
        committee::apply(meeting.state(), &MeetingEvent::DraftMinutes)
            .map_err(|e| DbError::Invalid(e.to_string()))?;
        let at = now();
        db_run!(self, pool => {
            let mut tx = pool.begin_write().await?;
            sqlx::query("INSERT INTO meeting_minutes (meeting_id, body, drafted_by, drafted_at) VALUES ($1, $2, $3, $4)
                         ON CONFLICT (meeting_id) DO UPDATE SET body = excluded.body, drafted_by = excluded.drafted_by, drafted_at = excluded.drafted_at")
                .bind(meeting_id).bind(body).bind(by).bind(at).execute(&mut *tx).await?;
            sqlx::query("UPDATE committee_meetings SET state = 'minutes_drafted', updated_at = $1 WHERE id = $2")
                .bind(at).bind(meeting_id).execute(&mut *tx).await?;
            tx.commit().await?;
            Ok(())
        })
    }

    pub async fn minutes(&self, meeting_id: i64) -> DbResult<Option<MinutesRow>> {
        Ok(db_run!(self, pool => sqlx::query_as::<_, MinutesRow>(
            "SELECT meeting_id, body, drafted_at, approved_at, published_at FROM meeting_minutes WHERE meeting_id = $1")
            .bind(meeting_id).fetch_optional(pool).await?))
    }

    /// Records a member present (idempotent) or absent.
    pub async fn set_attendance(
        &self,
        meeting_id: i64,
        membership_id: i64,
        present: bool,
        by: Option<i64>,
    ) -> DbResult<()> {
        let meeting = self.meeting(meeting_id).await?.ok_or(DbError::NotFound)?;
        if !meeting.state().records_attendance() {
            return Err(DbError::Invalid(
                "attendance is recorded from the agenda's publication until adjournment".into(),
            ));
        }
        let member = self
            .membership(membership_id)
            .await?
            .ok_or(DbError::NotFound)?;
        if member.committee_id != meeting.committee_id || !member.active_at(now()) {
            return Err(DbError::Invalid(
                "not a sitting member of this committee".into(),
            ));
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
    /// list. Registering again changes nothing. Returns the status.
    pub async fn register_for_meeting(&self, meeting_id: i64, user_id: i64) -> DbResult<String> {
        let meeting = self.meeting(meeting_id).await?.ok_or(DbError::NotFound)?;
        if meeting.capacity <= 0 || !meeting.state().takes_registrations() {
            return Err(DbError::Invalid(
                "this meeting does not take registrations".into(),
            ));
        }
        let at = now();
        db_run!(self, pool => {
            let mut tx = pool.begin_write().await?;
            sqlx::query("UPDATE committee_meetings SET updated_at = updated_at WHERE id = $1").bind(meeting_id).execute(&mut *tx).await?;
            let existing: Option<String> = sqlx::query_scalar("SELECT status FROM meeting_registrations WHERE meeting_id = $1 AND user_id = $2")
                .bind(meeting_id).bind(user_id).fetch_optional(&mut *tx).await?;
            if let Some(status) = existing.as_ref().filter(|s| s.as_str() != "cancelled") {
                return Ok(status.clone());
            }
            let taken: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM meeting_registrations WHERE meeting_id = $1 AND status = 'registered'")
                .bind(meeting_id).fetch_one(&mut *tx).await?;
            let status = if taken < meeting.capacity { "registered" } else { "waiting" };
            // A cancelled registration comes back at the end of the queue (its id is renewed).
            sqlx::query("DELETE FROM meeting_registrations WHERE meeting_id = $1 AND user_id = $2")
                .bind(meeting_id).bind(user_id).execute(&mut *tx).await?;
            sqlx::query("INSERT INTO meeting_registrations (meeting_id, user_id, status, created_at) VALUES ($1, $2, $3, $4)")
                .bind(meeting_id).bind(user_id).bind(status).bind(at).execute(&mut *tx).await?;
            tx.commit().await?;
            Ok(status.to_owned())
        })
    }

    /// Cancels a registration; a freed seat goes to the first on the waiting list.
    pub async fn cancel_registration(&self, meeting_id: i64, user_id: i64) -> DbResult<()> {
        db_run!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let n = sqlx::query(
                "UPDATE meeting_registrations SET status = 'cancelled' WHERE meeting_id = $1 AND user_id = $2 AND status <> 'cancelled'")
                .bind(meeting_id).bind(user_id).execute(&mut *tx).await?.rows_affected();
            if n == 0 {
                return Err(DbError::NotFound);
            }
            let taken: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM meeting_registrations WHERE meeting_id = $1 AND status = 'registered'")
                .bind(meeting_id).fetch_one(&mut *tx).await?;
            let capacity: i64 = sqlx::query_scalar("SELECT capacity FROM committee_meetings WHERE id = $1")
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
        if !meeting.state().takes_registrations() {
            return Err(DbError::Invalid(
                "the agenda is fixed once the meeting convenes".into(),
            ));
        }
        if let Some(p) = proposal_id
            && self.proposal(p).await?.is_none()
        {
            return Err(DbError::Invalid(format!("there is no proposal {p}")));
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

    // ---- Motions and votes ----------------------------------------------------------------------

    /// Proposes a motion in a meeting in session; it takes the committee's vote rule and ballot.
    pub async fn propose_motion(
        &self,
        meeting_id: i64,
        agenda_item_id: Option<i64>,
        title: &str,
        body: &str,
        by: Option<i64>,
    ) -> DbResult<i64> {
        let meeting = self.meeting(meeting_id).await?.ok_or(DbError::NotFound)?;
        if !meeting.state().takes_motions() {
            return Err(DbError::Invalid(
                "motions are proposed while the meeting is in session".into(),
            ));
        }
        let committee = self
            .committee(meeting.committee_id)
            .await?
            .ok_or(DbError::NotFound)?;
        Ok(db_run!(self, pool => sqlx::query_scalar::<_, i64>(
            "INSERT INTO motions (meeting_id, agenda_item_id, title, body, state, vote_rule, secret, proposed_by, created_at)
             VALUES ($1, $2, $3, $4, 'proposed', $5, $6, $7, $8) RETURNING id")
            .bind(meeting_id).bind(agenda_item_id).bind(title).bind(body).bind(&committee.vote_rule)
            .bind(committee.secret_ballot).bind(by).bind(now())
            .fetch_one(pool).await?))
    }

    pub async fn motion(&self, id: i64) -> DbResult<Option<MotionRow>> {
        let sql = format!("{SELECT_MOTION} WHERE id = $1");
        Ok(
            db_run!(self, pool => sqlx::query_as::<_, MotionRow>(&sql).bind(id).fetch_optional(pool).await?),
        )
    }

    pub async fn motions_of(&self, meeting_id: i64) -> DbResult<Vec<MotionRow>> {
        let sql = format!("{SELECT_MOTION} WHERE meeting_id = $1 ORDER BY id");
        Ok(
            db_run!(self, pool => sqlx::query_as::<_, MotionRow>(&sql).bind(meeting_id).fetch_all(pool).await?),
        )
    }

    /// Applies a motion event (debate, open the vote, close it, withdraw). Closing the vote counts the
    /// members present and the seats filled, checks quorum and decides by the motion's rule.
    pub async fn transition_motion(&self, id: i64, event: &MotionEvent) -> DbResult<MotionState> {
        let motion = self.motion(id).await?.ok_or(DbError::NotFound)?;
        let meeting = self
            .meeting(motion.meeting_id)
            .await?
            .ok_or(DbError::NotFound)?;
        if !meeting.state().takes_motions() {
            return Err(DbError::Invalid(
                "motions are handled while the meeting is in session".into(),
            ));
        }
        let from = motion.state();
        let (event, present) = match event {
            MotionEvent::CloseVote { .. } => {
                let present = self.present_members(meeting.id).await?.len() as u32;
                let seats_filled = self.seats_filled(meeting.committee_id).await?;
                let rule = VoteRule::parse(&motion.vote_rule).unwrap_or(VoteRule::MajorityOfVoting);
                (
                    MotionEvent::CloseVote {
                        tally: motion.tally(),
                        present,
                        seats_filled,
                        rule,
                    },
                    Some(i64::from(present)),
                )
            }
            other => (other.clone(), None),
        };
        let to =
            committee::apply_motion(from, &event).map_err(|e| DbError::Invalid(e.to_string()))?;
        let decided = to.is_decided().then(now);
        db_run!(self, pool => {
            let n = sqlx::query(
                "UPDATE motions SET state = $1, present_count = COALESCE($2, present_count), decided_at = COALESCE($3, decided_at)
                 WHERE id = $4 AND state = $5")
                .bind(to.as_str()).bind(present).bind(decided).bind(id).bind(from.as_str())
                .execute(pool).await?.rows_affected();
            if n == 0 {
                return Err(DbError::Invalid("the motion changed meanwhile; reload and try again".into()));
            }
        });
        Ok(to)
    }

    /// Casts `user_id`'s vote on a motion through their active membership. The rules (open motion, within
    /// the term, present, once) are checked, and the vote row and the count change commit together; the
    /// primary key (motion, membership) refuses a second vote even under concurrency.
    pub async fn cast_vote(
        &self,
        motion_id: i64,
        user_id: i64,
        choice: Choice,
    ) -> DbResult<Result<(), VoteError>> {
        let motion = self.motion(motion_id).await?.ok_or(DbError::NotFound)?;
        let meeting = self
            .meeting(motion.meeting_id)
            .await?
            .ok_or(DbError::NotFound)?;
        let at = now();
        let members = self.committee_members(meeting.committee_id).await?;
        // The membership whose term covers now, else any (to report "outside the term").
        let Some(member) = members
            .iter()
            .filter(|m| m.user_id == user_id && m.ended_at.is_none())
            .max_by_key(|m| m.term().covers(at))
        else {
            return Ok(Err(VoteError::NotAMember));
        };
        let present = self.present_members(meeting.id).await?.contains(&member.id);
        let already: Option<i64> = db_run!(self, pool => sqlx::query_scalar(
            "SELECT membership_id FROM motion_votes WHERE motion_id = $1 AND membership_id = $2")
            .bind(motion_id).bind(member.id).fetch_optional(pool).await?);
        if let Err(refusal) = committee::check_vote(
            motion.state(),
            &member.term(),
            at,
            present,
            already.is_some(),
        ) {
            return Ok(Err(VoteError::Refused(refusal)));
        }
        let column = match choice {
            Choice::Yes => "yes_count",
            Choice::No => "no_count",
            Choice::Abstain => "abstain_count",
        };
        let stored_choice = (motion.secret == 0).then_some(choice.as_str());
        let update = format!(
            "UPDATE motions SET {column} = {column} + 1 WHERE id = $1 AND state = 'voting'"
        );
        db_run!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let inserted = sqlx::query(
                "INSERT INTO motion_votes (motion_id, membership_id, choice, at) VALUES ($1, $2, $3, $4)")
                .bind(motion_id).bind(member.id).bind(stored_choice).bind(at)
                .execute(&mut *tx).await;
            match inserted {
                Err(sqlx::Error::Database(d)) if d.is_unique_violation() => {
                    return Ok(Err(VoteError::Refused(VoteRefusal::AlreadyVoted)));
                }
                other => { other?; }
            }
            let n = sqlx::query(&update).bind(motion_id).execute(&mut *tx).await?.rows_affected();
            if n == 0 {
                return Ok(Err(VoteError::Refused(VoteRefusal::NotOpen)));
            }
            tx.commit().await?;
            Ok(Ok(()))
        })
    }

    /// The votes on a motion (choices are None on a secret ballot), by member name.
    pub async fn votes(&self, motion_id: i64) -> DbResult<Vec<VoteRow>> {
        Ok(db_run!(self, pool => sqlx::query_as::<_, VoteRow>(
            "SELECT v.membership_id, u.display_name, v.choice, v.at FROM motion_votes v
             JOIN committee_memberships m ON m.id = v.membership_id JOIN users u ON u.id = m.user_id
             WHERE v.motion_id = $1 ORDER BY u.display_name, v.membership_id")
            .bind(motion_id).fetch_all(pool).await?))
    }

    /// Every decided motion (carried or failed) of a committee, oldest meeting first.
    pub async fn decisions(&self, committee_id: i64) -> DbResult<Vec<DecisionRow>> {
        Ok(db_run!(self, pool => sqlx::query_as::<_, DecisionRow>(
            "SELECT mo.id AS motion_id, me.id AS meeting_id, me.title AS meeting_title, me.starts_at, mo.title, mo.state,
                    mo.vote_rule, mo.secret, mo.yes_count, mo.no_count, mo.abstain_count, mo.present_count, mo.decided_at
             FROM motions mo JOIN committee_meetings me ON me.id = mo.meeting_id
             WHERE me.committee_id = $1 AND mo.state IN ('carried', 'failed')
             ORDER BY me.starts_at, mo.id")
            .bind(committee_id).fetch_all(pool).await?))
    }
}

/// The `gender` stratum of an application, if declared (for the committee's gender cap).
fn gender_of(strata_json: &str) -> String {
    strata_json
        .split("\"gender\"")
        .nth(1)
        .and_then(|rest| rest.split('"').nth(1))
        .unwrap_or("")
        .to_owned()
}

#[cfg(test)]
mod tests {
    #[test]
    fn gender_from_strata() {
        assert_eq!(
            super::gender_of(r#"{"age_band":"40-59","gender":"female"}"#),
            "female"
        );
        assert_eq!(super::gender_of(r#"{"gender": "male"}"#), "male");
        assert_eq!(super::gender_of("{}"), "");
    }
}
