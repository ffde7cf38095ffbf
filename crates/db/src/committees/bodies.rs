//! Committees, their seats by sector, and memberships — never deleted: ended memberships are the seat
//! history.
use maeul_domain::Refusal;
use maeul_domain::committee::{
    self, Ballot, CommitteeKind, CommitteeRefusal, MemberSource, Position, SeatPlan, Sector, Term,
    VoteRule,
};

use crate::{BeginWrite, Db, DbError, DbResult, conflict_as, db_run, now, refused};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CommitteeRow {
    pub id: i64,
    pub scope_id: i64,
    pub parent_id: Option<i64>,
    #[sqlx(try_from = "String")]
    pub kind: CommitteeKind,
    pub name: String,
    pub charter: String,
    #[sqlx(try_from = "String")]
    pub vote_rule: VoteRule,
    pub secret_ballot: i64,
    pub gender_cap: Option<i64>,
    pub created_at: i64,
}

impl CommitteeRow {
    pub fn ballot(&self) -> Ballot {
        Ballot::from_secret(self.secret_ballot != 0)
    }
}

/// A committee to create.
pub struct NewCommittee<'a> {
    pub scope_id: i64,
    pub parent_id: Option<i64>,
    pub kind: CommitteeKind,
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
    #[sqlx(try_from = "String")]
    pub sector: Sector,
    #[sqlx(try_from = "String")]
    pub position: Position,
    pub gender: String,
    #[sqlx(try_from = "String")]
    pub source: MemberSource,
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

    /// Will hold the seat from a later date (drawn or appointed for a term that has not begun).
    pub fn upcoming_at(&self, at: i64) -> bool {
        self.ended_at.is_none() && self.term_start > at
    }

    /// Holds, or will hold, a seat at some time from `at` on (what a vacancy check counts).
    pub fn holds_seat_from(&self, at: i64, until: i64) -> bool {
        self.ended_at.is_none() && self.term_end >= at && self.term_start <= until
    }
}

/// A seat to fill by appointment (or by the lottery, see [`Db::publish_panel`]).
pub struct NewMembership<'a> {
    pub committee_id: i64,
    pub user_id: i64,
    pub sector: Sector,
    pub position: Position,
    pub gender: &'a str,
    pub term: Term,
}

/// Inserts a membership inside a transaction and evaluates to its id.
macro_rules! insert_membership {
    ($tx:expr, $committee:expr, $user:expr, $sector:expr, $position:expr, $gender:expr, $source:expr, $call:expr, $term:expr, $at:expr) => {
        sqlx::query_scalar::<_, i64>(
            "INSERT INTO committee_memberships (committee_id, user_id, sector, position, gender, source, call_id, term_start, term_end, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id")
            .bind($committee).bind($user).bind($sector.as_str()).bind($position.as_str()).bind($gender)
            .bind($source.as_str()).bind($call).bind($term.start).bind($term.end).bind($at)
            .fetch_one(&mut *$tx).await.map_err(conflict_as("membership"))?
    };
}
pub(super) use insert_membership;

pub(super) const SELECT_COMMITTEE: &str = "SELECT id, scope_id, parent_id, kind, name, charter, vote_rule, secret_ballot, gender_cap, created_at FROM committees";

pub(super) const SELECT_MEMBER: &str = "SELECT m.id, m.committee_id, m.user_id, u.display_name, m.sector, m.position, m.gender, m.source,
        m.call_id, m.term_start, m.term_end, m.ended_at, m.end_reason
     FROM committee_memberships m JOIN users u ON u.id = m.user_id";

/// Seats held at `at` (active memberships), per sector.
pub(super) fn filled_by_sector(members: &[MemberRow], at: i64) -> [u32; 3] {
    let mut filled = [0u32; 3];
    for m in members.iter().filter(|m| m.active_at(at)) {
        filled[m.sector as usize] += 1;
    }
    filled
}

fn plan_of(rows: Vec<(String, i64)>) -> DbResult<SeatPlan> {
    let mut plan = SeatPlan::default();
    for (sector, seats) in rows {
        let seats = seats as u32;
        match Sector::try_from(sector)? {
            Sector::Public => plan.public = seats,
            Sector::Civil => plan.civil = seats,
            Sector::Expert => plan.expert = seats,
        }
    }
    Ok(plan)
}

impl Db {
    pub async fn create_committee(&self, c: &NewCommittee<'_>) -> DbResult<i64> {
        c.seats
            .validate()
            .map_err(|e| refused(CommitteeRefusal::from(e)))?;
        if c.kind.needs_parent() != c.parent_id.is_some() {
            return Err(refused(CommitteeRefusal::ParentMismatch));
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
        plan_of(rows)
    }

    /// Every membership of a committee, past, present and upcoming (the seat history), by sector then id.
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

    /// Seats filled at `at`.
    pub async fn seats_filled_at(&self, committee_id: i64, at: i64) -> DbResult<u32> {
        Ok(
            filled_by_sector(&self.committee_members(committee_id).await?, at)
                .iter()
                .sum(),
        )
    }

    /// Appoints a member to a vacant seat of the sector, keeping the committee's gender cap. The checks and
    /// the insert run in one transaction that first locks the committee's row (a write on SQLite, a row lock
    /// on PostgreSQL), so two appointments to the last seat cannot both succeed.
    pub async fn appoint_member(&self, m: &NewMembership<'_>) -> DbResult<i64> {
        let at = now();
        let sql_members = format!("{SELECT_MEMBER} WHERE m.committee_id = $1 ORDER BY m.id");
        let sql_committee = format!("{SELECT_COMMITTEE} WHERE id = $1");
        db_run!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let locked = sqlx::query("UPDATE committees SET created_at = created_at WHERE id = $1")
                .bind(m.committee_id).execute(&mut *tx).await?.rows_affected();
            if locked == 0 {
                return Err(DbError::NotFound);
            }
            let committee = sqlx::query_as::<_, CommitteeRow>(&sql_committee)
                .bind(m.committee_id).fetch_one(&mut *tx).await?;
            let plan = plan_of(sqlx::query_as("SELECT sector, seats FROM committee_seats WHERE committee_id = $1")
                .bind(m.committee_id).fetch_all(&mut *tx).await?)?;
            let members = sqlx::query_as::<_, MemberRow>(&sql_members)
                .bind(m.committee_id).fetch_all(&mut *tx).await?;
            check_appointment(&committee, &plan, &members, m, at)?;
            let id = insert_membership!(tx, m.committee_id, m.user_id, m.sector, m.position, m.gender,
                MemberSource::Appointed, None::<i64>, m.term, at);
            tx.commit().await?;
            Ok(id)
        })
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
}

/// Vacancy over the new term, one membership at a time, and the gender cap.
fn check_appointment(
    committee: &CommitteeRow,
    plan: &SeatPlan,
    members: &[MemberRow],
    m: &NewMembership<'_>,
    at: i64,
) -> DbResult<()> {
    let from = at.max(m.term.start);
    let overlapping: Vec<&MemberRow> = members
        .iter()
        .filter(|x| x.holds_seat_from(from, m.term.end))
        .collect();
    if overlapping.iter().any(|x| x.user_id == m.user_id) {
        return Err(refused(CommitteeRefusal::AlreadyMember));
    }
    let same_sector = overlapping.iter().filter(|x| x.sector == m.sector).count() as u32;
    plan.check_vacancy(m.sector, same_sector)
        .map_err(|e| refused(CommitteeRefusal::from(e)))?;
    if let Some(cap) = committee.gender_cap
        && !m.gender.is_empty()
    {
        let same_gender = overlapping.iter().filter(|x| x.gender == m.gender).count() as u32;
        committee::check_gender_cap(&[(m.gender, same_gender + 1)], plan.total(), cap as u32)
            .map_err(|e| DbError::Refused(Refusal::from(CommitteeRefusal::from(e))))?;
    }
    Ok(())
}
