//! Open calls for members: applications with their strata, training hours, the frozen lottery input, the
//! draw (seed, published result) and the panel's appointment. The lottery itself is computed by
//! `maeul-sortition` in the caller; this module stores its published input and its result.
use maeul_domain::committee::{
    self, ApplicationStatus, CallEvent, CallState, CommitteeRefusal, Ineligible, MemberSource,
    Position, Sector, Term,
};
use maeul_domain::{Refusal, ResidencyStatus, Role};

use super::bodies::insert_membership;
use crate::{BeginWrite, Db, DbError, DbResult, OptionalName, conflict_as, db_run, now, refused};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CallRow {
    pub id: i64,
    pub committee_id: i64,
    pub title: String,
    pub description: String,
    #[sqlx(try_from = "String")]
    pub state: CallState,
    #[sqlx(try_from = "String")]
    pub sector: Sector,
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
    pub fn term(&self) -> Term {
        Term {
            start: self.term_start,
            end: self.term_end,
        }
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
    #[sqlx(try_from = "String")]
    pub status: ApplicationStatus,
    /// Stored reason codes (see [`Ineligible::encode`]).
    pub ineligible_why: String,
    pub rank: Option<i64>,
    /// Hours staff logged for this application plus the hours of the citizen-school programs the applicant
    /// completed (`coop_enrolments`, read here: one record, not a copy).
    pub training_hours: i64,
    /// The applicant's residence, if declared, and its status.
    pub residence_scope_id: Option<i64>,
    #[sqlx(try_from = "Option<String>")]
    pub residence_status: OptionalName<ResidencyStatus>,
}

impl ApplicationRow {
    /// Why the applicant was found ineligible when the call closed.
    pub fn ineligible_reasons(&self) -> DbResult<Vec<Ineligible>> {
        Ineligible::decode(&self.ineligible_why).ok_or_else(|| {
            DbError::Corrupt(format!(
                "application {} reasons {:?}",
                self.id, self.ineligible_why
            ))
        })
    }
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

/// Grants the committee-member role in the scope inside a transaction (nothing if already held).
macro_rules! grant_member_role {
    ($tx:expr, $user:expr, $scope:expr, $by:expr, $at:expr) => {
        sqlx::query("INSERT INTO role_grants (user_id, role, scope_id, granted_by, granted_at) VALUES ($1, $2, $3, $4, $5)
                     ON CONFLICT (user_id, role, scope_id) DO NOTHING")
            .bind($user).bind(Role::CommitteeMember.as_str()).bind($scope).bind($by).bind($at)
            .execute(&mut *$tx).await?
    };
}
#[allow(unused_imports)]
use grant_member_role;

const SELECT_CALL: &str = "SELECT id, committee_id, title, description, state, sector, seats, reserve_size, min_age, training_hours,
        features_json, seed_rule, term_start, term_end, input_json, input_sha256, created_at, closed_at FROM committee_calls";

const SELECT_APPLICATION: &str = "SELECT a.id, a.call_id, a.user_id, u.display_name, a.pseudonym, a.age, a.strata_json, a.status,
        a.ineligible_why, a.rank,
        CAST(COALESCE((SELECT SUM(t.hours) FROM committee_training t WHERE t.application_id = a.id), 0)
           + COALESCE((SELECT SUM(p.hours) FROM coop_enrolments e JOIN coop_programs p ON p.id = e.program_id
                       WHERE e.user_id = a.user_id AND e.state = 'completed'), 0) AS BIGINT) AS training_hours,
        r.scope_id AS residence_scope_id, r.status AS residence_status
     FROM committee_applications a JOIN users u ON u.id = a.user_id LEFT JOIN residencies r ON r.user_id = a.user_id";

fn stale() -> DbError {
    DbError::Refused(Refusal::Stale)
}

impl Db {
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
        let to = committee::apply_call(call.state, CallEvent::Open, 0)
            .map_err(|e| refused(CommitteeRefusal::from(e)))?;
        let n = db_run!(self, pool => sqlx::query("UPDATE committee_calls SET state = $1 WHERE id = $2 AND state = $3")
            .bind(to.as_str()).bind(id).bind(call.state.as_str()).execute(pool).await?.rows_affected());
        if n == 0 {
            return Err(stale());
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
        ineligible: &[(i64, Vec<Ineligible>)],
    ) -> DbResult<()> {
        let call = self.call(id).await?.ok_or(DbError::NotFound)?;
        committee::apply_call(call.state, CallEvent::Close, eligible.len() as u32)
            .map_err(|e| refused(CommitteeRefusal::from(e)))?;
        let at = now();
        db_run!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let n = sqlx::query("UPDATE committee_calls SET state = 'closed', input_json = $1, input_sha256 = $2, closed_at = $3
                                 WHERE id = $4 AND state = 'open'")
                .bind(input_json).bind(input_sha256).bind(at).bind(id).execute(&mut *tx).await?.rows_affected();
            if n == 0 {
                return Err(stale());
            }
            for a in eligible {
                sqlx::query("UPDATE committee_applications SET status = 'eligible' WHERE id = $1 AND call_id = $2")
                    .bind(a).bind(id).execute(&mut *tx).await?;
            }
            for (a, why) in ineligible {
                sqlx::query("UPDATE committee_applications SET status = 'ineligible', ineligible_why = $1 WHERE id = $2 AND call_id = $3")
                    .bind(Ineligible::encode(why)).bind(a).bind(id).execute(&mut *tx).await?;
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
        if !call.state.accepts_applications() {
            return Err(refused(CommitteeRefusal::CallNotOpen));
        }
        let at = now();
        db_run!(self, pool => {
            let mut tx = pool.begin_write().await?;
            // Serialising on the call row (PostgreSQL) keeps pseudonyms unique under concurrent applications.
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
            return Err(DbError::Refused(Refusal::field(
                "hours",
                maeul_domain::account::FieldError::Invalid,
            )));
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
        committee::apply_call(call.state, CallEvent::Draw, d.panel.len() as u32)
            .map_err(|e| refused(CommitteeRefusal::from(e)))?;
        let at = now();
        db_run!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let n = sqlx::query("UPDATE committee_calls SET state = 'drawn' WHERE id = $1 AND state = 'closed'")
                .bind(d.call_id).execute(&mut *tx).await?.rows_affected();
            if n == 0 {
                return Err(stale());
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

    /// Publishes a drawn panel: its members take the call's sector seats for the call's term and the
    /// committee-member role in the committee's scope (to vote), all in one transaction with the state
    /// change. Returns the new membership ids.
    pub async fn publish_panel(
        &self,
        call_id: i64,
        scope_id: i64,
        by: Option<i64>,
    ) -> DbResult<Vec<i64>> {
        let call = self.call(call_id).await?.ok_or(DbError::NotFound)?;
        committee::apply_call(call.state, CallEvent::Publish, 1)
            .map_err(|e| refused(CommitteeRefusal::from(e)))?;
        let panel: Vec<ApplicationRow> = self
            .applications(call_id)
            .await?
            .into_iter()
            .filter(|a| a.status == ApplicationStatus::Selected)
            .collect();
        let at = now();
        db_run!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let n = sqlx::query("UPDATE committee_calls SET state = 'published' WHERE id = $1 AND state = 'drawn'")
                .bind(call_id).execute(&mut *tx).await?.rows_affected();
            if n == 0 {
                return Err(stale());
            }
            sqlx::query("UPDATE committee_draws SET published_at = $1 WHERE call_id = $2")
                .bind(at).bind(call_id).execute(&mut *tx).await?;
            let mut ids = vec![];
            for a in &panel {
                let gender = gender_of(&a.strata_json);
                ids.push(insert_membership!(tx, call.committee_id, a.user_id, call.sector, Position::Member, &gender,
                    MemberSource::Lottery, Some(call_id), call.term(), at));
                grant_member_role!(tx, a.user_id, scope_id, by, at);
            }
            tx.commit().await?;
            Ok(ids)
        })
    }

    /// Fills a vacancy of a published panel from the call's reserve list: the leaving membership ends (if it
    /// has not already), the reserve applicant moves from reserve to selected, takes a seat of the call's
    /// sector for the call's term and the committee-member role — in one transaction. Returns the new
    /// membership's id.
    pub async fn seat_reserve(
        &self,
        call_id: i64,
        scope_id: i64,
        leaving_membership_id: i64,
        reserve_application_id: i64,
        reason: &str,
        by: Option<i64>,
    ) -> DbResult<i64> {
        let call = self.call(call_id).await?.ok_or(DbError::NotFound)?;
        if call.state != CallState::Published {
            return Err(refused(CommitteeRefusal::PanelNotPublished));
        }
        let leaving = self
            .membership(leaving_membership_id)
            .await?
            .ok_or(DbError::NotFound)?;
        if leaving.call_id != Some(call_id) {
            return Err(refused(CommitteeRefusal::NotDrawnByCall));
        }
        let reserve = self
            .applications(call_id)
            .await?
            .into_iter()
            .find(|a| a.id == reserve_application_id && a.status == ApplicationStatus::Reserve)
            .ok_or(refused(CommitteeRefusal::NoReserve))?;
        let at = now();
        db_run!(self, pool => {
            let mut tx = pool.begin_write().await?;
            sqlx::query("UPDATE committee_memberships SET end_reason = $1, ended_at = $2 WHERE id = $3 AND ended_at IS NULL")
                .bind(reason).bind(at).bind(leaving_membership_id).execute(&mut *tx).await?;
            let n = sqlx::query("UPDATE committee_applications SET status = 'selected' WHERE id = $1 AND status = 'reserve'")
                .bind(reserve.id).execute(&mut *tx).await?.rows_affected();
            if n == 0 {
                return Err(stale());
            }
            let gender = gender_of(&reserve.strata_json);
            let id = insert_membership!(tx, call.committee_id, reserve.user_id, call.sector, Position::Member, &gender,
                MemberSource::Reserve, Some(call_id), call.term(), at);
            grant_member_role!(tx, reserve.user_id, scope_id, by, at);
            tx.commit().await?;
            Ok(id)
        })
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
