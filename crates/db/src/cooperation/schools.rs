//! Citizen schools: programs, sessions, enrolment with a capacity and a waiting list (the program's row is
//! written first, so concurrent enrolments are placed one after the other), attendance and completion.
//! A completed enrolment is the one training record: committees' eligibility reads its hours
//! (`committees::calls`), nothing copies them.
use maeul_domain::cooperation::{self, CooperationRefusal, EnrolmentState, ProgramKind};
use maeul_domain::{Named, Refusal};

use crate::{BeginWrite, Db, DbError, DbResult, db_run, now, refused};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ProgramRow {
    pub id: i64,
    pub scope_id: i64,
    pub organization_id: Option<i64>,
    #[sqlx(try_from = "String")]
    pub kind: ProgramKind,
    pub title: String,
    pub description: String,
    pub hours: i64,
    pub capacity: i64,
    pub sessions_required: i64,
    pub created_at: i64,
    pub sessions: i64,
    pub enrolled: i64,
    pub waiting: i64,
    pub completed: i64,
}

pub struct NewProgram<'a> {
    pub scope_id: i64,
    pub organization_id: Option<i64>,
    pub kind: ProgramKind,
    pub title: &'a str,
    pub description: &'a str,
    pub hours: i64,
    pub capacity: i64,
    pub sessions_required: i64,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SessionRow {
    pub id: i64,
    pub program_id: i64,
    pub title: String,
    pub starts_at: i64,
    pub ends_at: i64,
    pub place: String,
    pub attended: i64,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct EnrolmentRow {
    pub id: i64,
    pub program_id: i64,
    pub user_id: i64,
    pub display_name: String,
    #[sqlx(try_from = "String")]
    pub state: EnrolmentState,
    pub enrolled_at: i64,
    pub completed_at: Option<i64>,
    pub attended: i64,
}

const SELECT_PROGRAM: &str = "SELECT p.id, p.scope_id, p.organization_id, p.kind, p.title, p.description, p.hours, p.capacity,
        p.sessions_required, p.created_at,
        CAST((SELECT COUNT(*) FROM coop_sessions s WHERE s.program_id = p.id) AS BIGINT) AS sessions,
        CAST((SELECT COUNT(*) FROM coop_enrolments e WHERE e.program_id = p.id AND e.state = 'enrolled') AS BIGINT) AS enrolled,
        CAST((SELECT COUNT(*) FROM coop_enrolments e WHERE e.program_id = p.id AND e.state = 'waiting') AS BIGINT) AS waiting,
        CAST((SELECT COUNT(*) FROM coop_enrolments e WHERE e.program_id = p.id AND e.state = 'completed') AS BIGINT) AS completed
     FROM coop_programs p";

const SELECT_ENROLMENT: &str =
    "SELECT e.id, e.program_id, e.user_id, u.display_name, e.state, e.enrolled_at, e.completed_at,
        CAST((SELECT COUNT(*) FROM coop_attendance a JOIN coop_sessions s ON s.id = a.session_id
              WHERE s.program_id = e.program_id AND a.user_id = e.user_id) AS BIGINT) AS attended
     FROM coop_enrolments e JOIN users u ON u.id = e.user_id";

impl Db {
    pub async fn create_program(&self, p: &NewProgram<'_>) -> DbResult<i64> {
        cooperation::check_completion_rule(p.sessions_required, 0).map_err(refused)?;
        Ok(db_run!(self, pool => sqlx::query_scalar(
            "INSERT INTO coop_programs (scope_id, organization_id, kind, title, description, hours, capacity, sessions_required, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id")
            .bind(p.scope_id).bind(p.organization_id).bind(p.kind.as_str()).bind(p.title).bind(p.description)
            .bind(p.hours).bind(p.capacity).bind(p.sessions_required).bind(now())
            .fetch_one(pool).await?))
    }

    pub async fn add_session(
        &self,
        program_id: i64,
        title: &str,
        starts_at: i64,
        ends_at: i64,
        place: &str,
    ) -> DbResult<i64> {
        Ok(db_run!(self, pool => sqlx::query_scalar(
            "INSERT INTO coop_sessions (program_id, title, starts_at, ends_at, place) VALUES ($1, $2, $3, $4, $5) RETURNING id")
            .bind(program_id).bind(title).bind(starts_at).bind(ends_at).bind(place).fetch_one(pool).await?))
    }

    pub async fn program(&self, id: i64) -> DbResult<Option<ProgramRow>> {
        let sql = format!("{SELECT_PROGRAM} WHERE p.id = $1");
        Ok(
            db_run!(self, pool => sqlx::query_as::<_, ProgramRow>(&sql).bind(id).fetch_optional(pool).await?),
        )
    }

    pub async fn programs(&self) -> DbResult<Vec<ProgramRow>> {
        let sql = format!("{SELECT_PROGRAM} ORDER BY p.id DESC");
        Ok(db_run!(self, pool => sqlx::query_as::<_, ProgramRow>(&sql).fetch_all(pool).await?))
    }

    pub async fn program_sessions(&self, program_id: i64) -> DbResult<Vec<SessionRow>> {
        Ok(db_run!(self, pool => sqlx::query_as::<_, SessionRow>(
            "SELECT s.id, s.program_id, s.title, s.starts_at, s.ends_at, s.place,
                    CAST((SELECT COUNT(*) FROM coop_attendance a WHERE a.session_id = s.id) AS BIGINT) AS attended
             FROM coop_sessions s WHERE s.program_id = $1 ORDER BY s.starts_at, s.id")
            .bind(program_id).fetch_all(pool).await?))
    }

    pub async fn enrolments_of(&self, program_id: i64) -> DbResult<Vec<EnrolmentRow>> {
        let sql =
            format!("{SELECT_ENROLMENT} WHERE e.program_id = $1 ORDER BY e.enrolled_at, e.id");
        Ok(
            db_run!(self, pool => sqlx::query_as::<_, EnrolmentRow>(&sql).bind(program_id).fetch_all(pool).await?),
        )
    }

    pub async fn enrolment(&self, program_id: i64, user: i64) -> DbResult<Option<EnrolmentRow>> {
        let sql = format!("{SELECT_ENROLMENT} WHERE e.program_id = $1 AND e.user_id = $2");
        Ok(
            db_run!(self, pool => sqlx::query_as::<_, EnrolmentRow>(&sql).bind(program_id).bind(user).fetch_optional(pool).await?),
        )
    }

    /// Enrols `user`: a seat while the program has room, else the waiting list.
    pub async fn enrol(&self, program_id: i64, user: i64) -> DbResult<EnrolmentState> {
        let at = now();
        db_run!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let capacity: Option<i64> = sqlx::query_scalar(
                "UPDATE coop_programs SET capacity = capacity WHERE id = $1 RETURNING capacity")
                .bind(program_id).fetch_optional(&mut *tx).await?;
            let capacity = capacity.ok_or(DbError::NotFound)?;
            let taken: i64 = sqlx::query_scalar(
                "SELECT COUNT(*) FROM coop_enrolments WHERE program_id = $1 AND state IN ('enrolled', 'completed')")
                .bind(program_id).fetch_one(&mut *tx).await?;
            let state = cooperation::place(taken, capacity);
            let inserted = sqlx::query(
                "INSERT INTO coop_enrolments (program_id, user_id, state, enrolled_at) VALUES ($1, $2, $3, $4)")
                .bind(program_id).bind(user).bind(state.as_str()).bind(at).execute(&mut *tx).await;
            match inserted {
                Err(sqlx::Error::Database(d)) if d.is_unique_violation() => {
                    return Err(refused(CooperationRefusal::AlreadyEnrolled));
                }
                other => other?,
            };
            tx.commit().await?;
            Ok::<EnrolmentState, DbError>(state)
        })
    }

    /// `user` withdraws; the first person waiting takes the freed seat, in the same transaction.
    pub async fn withdraw(&self, program_id: i64, user: i64) -> DbResult<()> {
        db_run!(self, pool => {
            let mut tx = pool.begin_write().await?;
            // The program's row first, as enrolling does: withdrawals of one program take turns, so two of
            // them never lock each other's enrolment while promoting from the waiting list (a deadlock on
            // PostgreSQL under 64 concurrent withdrawals).
            sqlx::query("UPDATE coop_programs SET capacity = capacity WHERE id = $1")
                .bind(program_id).execute(&mut *tx).await?;
            let was: Option<i64> = sqlx::query_scalar(
                "UPDATE coop_enrolments SET state = 'withdrawn' WHERE program_id = $1 AND user_id = $2
                   AND state IN ('enrolled', 'waiting') RETURNING id")
                .bind(program_id).bind(user).fetch_optional(&mut *tx).await?;
            if was.is_none() {
                return Err(DbError::Refused(Refusal::Stale));
            }
            let first: Option<i64> = sqlx::query_scalar(
                "SELECT id FROM coop_enrolments WHERE program_id = $1 AND state = 'waiting' ORDER BY enrolled_at, id LIMIT 1")
                .bind(program_id).fetch_optional(&mut *tx).await?;
            let capacity: i64 = sqlx::query_scalar("SELECT capacity FROM coop_programs WHERE id = $1")
                .bind(program_id).fetch_one(&mut *tx).await?;
            let taken: i64 = sqlx::query_scalar(
                "SELECT COUNT(*) FROM coop_enrolments WHERE program_id = $1 AND state IN ('enrolled', 'completed')")
                .bind(program_id).fetch_one(&mut *tx).await?;
            if let Some(first) = first
                && cooperation::place(taken, capacity) == EnrolmentState::Enrolled
            {
                sqlx::query("UPDATE coop_enrolments SET state = 'enrolled' WHERE id = $1 AND state = 'waiting'")
                    .bind(first).execute(&mut *tx).await?;
            }
            tx.commit().await?;
            Ok::<(), DbError>(())
        })
    }

    /// Staff record that `user` attended a session; when the attendance reaches the program's rule the
    /// enrolment is completed in the same transaction. Gives the enrolment's state afterwards.
    pub async fn record_attendance(
        &self,
        session_id: i64,
        user: i64,
        by: Option<i64>,
    ) -> DbResult<EnrolmentState> {
        let at = now();
        db_run!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let program: Option<(i64, i64)> = sqlx::query_as(
                "SELECT p.id, p.sessions_required FROM coop_sessions s JOIN coop_programs p ON p.id = s.program_id WHERE s.id = $1")
                .bind(session_id).fetch_optional(&mut *tx).await?;
            let (program_id, required) = program.ok_or(DbError::NotFound)?;
            let state: Option<String> = sqlx::query_scalar(
                "SELECT state FROM coop_enrolments WHERE program_id = $1 AND user_id = $2")
                .bind(program_id).bind(user).fetch_optional(&mut *tx).await?;
            let state = EnrolmentState::decode(&state.ok_or(DbError::NotFound)?)
                .map_err(|e| DbError::Corrupt(e.to_string()))?;
            if !matches!(state, EnrolmentState::Enrolled | EnrolmentState::Completed) {
                return Err(DbError::Refused(Refusal::Stale));
            }
            sqlx::query(
                "INSERT INTO coop_attendance (session_id, user_id, recorded_by, recorded_at) VALUES ($1, $2, $3, $4)
                 ON CONFLICT (session_id, user_id) DO NOTHING")
                .bind(session_id).bind(user).bind(by).bind(at).execute(&mut *tx).await?;
            let attended: i64 = sqlx::query_scalar(
                "SELECT COUNT(*) FROM coop_attendance a JOIN coop_sessions s ON s.id = a.session_id
                 WHERE s.program_id = $1 AND a.user_id = $2")
                .bind(program_id).bind(user).fetch_one(&mut *tx).await?;
            let mut now_state = state;
            if cooperation::completes(state, attended, required) {
                sqlx::query(
                    "UPDATE coop_enrolments SET state = 'completed', completed_at = $1
                     WHERE program_id = $2 AND user_id = $3 AND state = 'enrolled'")
                    .bind(at).bind(program_id).bind(user).execute(&mut *tx).await?;
                now_state = EnrolmentState::Completed;
            }
            tx.commit().await?;
            Ok::<EnrolmentState, DbError>(now_state)
        })
    }

    /// The hours of the programs `user` completed: what committees count as training.
    pub async fn completed_training_hours(&self, user: i64) -> DbResult<i64> {
        Ok(db_run!(self, pool => sqlx::query_scalar(
            "SELECT CAST(COALESCE(SUM(p.hours), 0) AS BIGINT) FROM coop_enrolments e JOIN coop_programs p ON p.id = e.program_id
             WHERE e.user_id = $1 AND e.state = 'completed'")
            .bind(user).fetch_one(pool).await?))
    }
}
