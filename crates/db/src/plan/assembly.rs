//! The residents' general assembly: the assembly with its agenda, compare-and-set transitions (adopting
//! the plan moves the autonomy plan in the same transaction), attendance, and ballots — one per person and
//! assembly by a unique key, so a second vote (online then paper, twice online, pre-vote then on site) is
//! refused by the database even under concurrency — with their marks, and the results.
use maeul_domain::Refusal;
use maeul_domain::plan::{
    self, AgendaCandidate, AssemblyChoice, AssemblyEvent, AssemblyState, BallotContext, ItemResult,
    ItemState, Mark, PlanEvent, PlanRefusal, VoteChannel,
};

use crate::{BeginWrite, Db, DbError, DbResult, db_run, now, refused};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct AssemblyRow {
    pub id: i64,
    pub scope_id: i64,
    pub year: i64,
    /// The autonomy plan the assembly adopts.
    pub plan_id: Option<i64>,
    pub title: String,
    pub place: String,
    pub held_at: i64,
    #[sqlx(try_from = "String")]
    pub state: AssemblyState,
    pub created_at: i64,
    pub updated_at: i64,
}

/// An item on the agenda, in agenda order.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct AgendaRow {
    pub item_id: i64,
    pub position: i64,
    pub title: String,
    #[sqlx(try_from = "String")]
    pub state: ItemState,
    /// The scope that holds the item now.
    pub scope_id: i64,
}

/// A person present at the session.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct AttendeeRow {
    pub user_id: i64,
    pub display_name: String,
    pub at: i64,
}

/// The ballots cast by channel and the results, on-site votes added to the pre-votes, in agenda order.
#[derive(Debug, Clone, Default)]
pub struct AssemblyResults {
    pub online: i64,
    pub paper: i64,
    pub on_site: i64,
    pub items: Vec<ItemResult>,
}

pub struct NewAssembly<'a> {
    pub scope_id: i64,
    pub year: i64,
    pub plan_id: Option<i64>,
    pub title: &'a str,
    pub place: &'a str,
    pub held_at: i64,
    pub created_by: Option<i64>,
}

const COLUMNS: &str =
    "id, scope_id, year, plan_id, title, place, held_at, state, created_at, updated_at";

impl Db {
    /// Creates a neighbourhood's assembly for a year (one per scope and year), drafting its agenda.
    pub async fn create_assembly(&self, new: &NewAssembly<'_>) -> DbResult<i64> {
        plan::check_year(new.year).map_err(refused)?;
        let at = now();
        db_run!(self, pool => {
            let inserted = sqlx::query_scalar::<_, i64>(
                "INSERT INTO plan_assemblies (scope_id, year, plan_id, title, place, held_at, state, created_by, created_at, updated_at)
                 VALUES ($1, $2, $3, $4, $5, $6, 'drafting', $7, $8, $8) RETURNING id")
                .bind(new.scope_id).bind(new.year).bind(new.plan_id).bind(new.title).bind(new.place)
                .bind(new.held_at).bind(new.created_by).bind(at)
                .fetch_one(pool).await;
            match inserted {
                Err(sqlx::Error::Database(d)) if d.is_unique_violation() => {
                    Err(DbError::Refused(Refusal::AlreadyExists))
                }
                other => Ok(other?),
            }
        })
    }

    pub async fn assembly(&self, id: i64) -> DbResult<Option<AssemblyRow>> {
        let sql = format!("SELECT {COLUMNS} FROM plan_assemblies WHERE id = $1");
        Ok(
            db_run!(self, pool => sqlx::query_as::<_, AssemblyRow>(&sql).bind(id).fetch_optional(pool).await?),
        )
    }

    /// A scope's assemblies, the latest year first.
    pub async fn assemblies_in(&self, scope_id: i64) -> DbResult<Vec<AssemblyRow>> {
        let sql = format!(
            "SELECT {COLUMNS} FROM plan_assemblies WHERE scope_id = $1 ORDER BY year DESC, id DESC"
        );
        Ok(
            db_run!(self, pool => sqlx::query_as::<_, AssemblyRow>(&sql).bind(scope_id).fetch_all(pool).await?),
        )
    }

    pub async fn assembly_agenda(&self, id: i64) -> DbResult<Vec<AgendaRow>> {
        Ok(db_run!(self, pool => sqlx::query_as::<_, AgendaRow>(
            "SELECT a.item_id, a.position, i.title, i.state, i.scope_id FROM plan_assembly_agenda a
             JOIN plan_items i ON i.id = a.item_id WHERE a.assembly_id = $1 ORDER BY a.position, a.item_id")
            .bind(id).fetch_all(pool).await?))
    }

    /// Puts an item on the agenda (only while drafting: the insert checks the state, so an agenda fixed
    /// meanwhile takes nothing more).
    pub async fn add_assembly_item(&self, assembly_id: i64, item_id: i64) -> DbResult<()> {
        let a = self.assembly(assembly_id).await?.ok_or(DbError::NotFound)?;
        let item = self
            .plan_item(item_id)
            .await?
            .ok_or(refused(PlanRefusal::NotOnTheAgenda))?;
        plan::check_agenda_item(
            a.scope_id,
            a.state,
            AgendaCandidate {
                holder: item.scope_id,
                state: item.state,
            },
        )
        .map_err(refused)?;
        db_run!(self, pool => {
            let inserted = sqlx::query(
                "INSERT INTO plan_assembly_agenda (assembly_id, item_id, position)
                 SELECT $1, $2, (SELECT COUNT(*) + 1 FROM plan_assembly_agenda WHERE assembly_id = $1)
                 WHERE EXISTS (SELECT 1 FROM plan_assemblies WHERE id = $1 AND state = 'drafting')")
                .bind(assembly_id).bind(item_id).execute(pool).await;
            match inserted {
                Err(sqlx::Error::Database(d)) if d.is_unique_violation() => {
                    return Err(DbError::Refused(Refusal::AlreadyExists));
                }
                Ok(r) if r.rows_affected() == 0 => return Err(DbError::Refused(Refusal::Stale)),
                other => { other?; }
            }
        });
        Ok(())
    }

    /// Applies `event` to an assembly: compare-and-set with its transition row; adopting the plan also
    /// moves the linked autonomy plan from drafting to resolved (with its own transition row), together.
    pub async fn transition_assembly(
        &self,
        id: i64,
        actor: Option<i64>,
        event: AssemblyEvent,
    ) -> DbResult<AssemblyState> {
        let a = self.assembly(id).await?.ok_or(DbError::NotFound)?;
        let agenda = self.assembly_agenda(id).await?;
        let to = plan::apply_assembly(a.state, agenda.len(), a.plan_id.is_some(), event)
            .map_err(refused)?;
        let adopt = match (event, a.plan_id) {
            (AssemblyEvent::AdoptPlan, Some(plan_id)) => {
                let p = self.plan(plan_id).await?.ok_or(DbError::NotFound)?;
                let next = plan::apply_plan(p.state, p.scope_id, &PlanEvent::AdoptByAssembly)
                    .map_err(refused)?;
                Some((plan_id, p.state, next))
            }
            _ => None,
        };
        let at = now();
        db_run!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let n = sqlx::query("UPDATE plan_assemblies SET state = $1, updated_at = $2 WHERE id = $3 AND state = $4")
                .bind(to.as_str()).bind(at).bind(id).bind(a.state.as_str())
                .execute(&mut *tx).await?.rows_affected();
            if n == 0 {
                return Err(DbError::Refused(Refusal::Stale));
            }
            sqlx::query("INSERT INTO plan_assembly_transitions (assembly_id, from_state, to_state, actor_id, at) VALUES ($1, $2, $3, $4, $5)")
                .bind(id).bind(a.state.as_str()).bind(to.as_str()).bind(actor).bind(at)
                .execute(&mut *tx).await?;
            if let Some((plan_id, from, next)) = adopt {
                let n = sqlx::query("UPDATE plans SET state = $1, updated_at = $2 WHERE id = $3 AND state = $4")
                    .bind(next.as_str()).bind(at).bind(plan_id).bind(from.as_str())
                    .execute(&mut *tx).await?.rows_affected();
                if n == 0 {
                    return Err(DbError::Refused(Refusal::Stale));
                }
                sqlx::query(
                    "INSERT INTO plan_transitions (plan_id, from_state, to_state, actor_id, note, motion_id, at)
                     VALUES ($1, $2, $3, $4, $5, NULL, $6)")
                    .bind(plan_id).bind(from.as_str()).bind(next.as_str()).bind(actor)
                    .bind(format!("assembly {id}")).bind(at)
                    .execute(&mut *tx).await?;
            }
            tx.commit().await?;
        });
        Ok(to)
    }

    /// Is `user_id` a verified resident of the neighbourhood `scope_id`?
    pub async fn is_verified_resident_of(&self, user_id: i64, scope_id: i64) -> DbResult<bool> {
        let found: Option<i64> = db_run!(self, pool => sqlx::query_scalar(
            "SELECT user_id FROM residencies WHERE user_id = $1 AND scope_id = $2 AND status = 'verified'")
            .bind(user_id).bind(scope_id).fetch_optional(pool).await?);
        Ok(found.is_some())
    }

    /// Records a resident's presence at the session (only in session, only residents; twice is once).
    pub async fn record_assembly_attendance(
        &self,
        assembly_id: i64,
        user_id: i64,
        by: Option<i64>,
    ) -> DbResult<()> {
        let a = self.assembly(assembly_id).await?.ok_or(DbError::NotFound)?;
        plan::check_attendance(a.state).map_err(refused)?;
        if !self.is_verified_resident_of(user_id, a.scope_id).await? {
            return Err(refused(PlanRefusal::NotAResident));
        }
        let at = now();
        db_run!(self, pool => {
            let n = sqlx::query(
                "INSERT INTO plan_assembly_attendance (assembly_id, user_id, recorded_by, at)
                 SELECT $1, $2, $3, $4 WHERE EXISTS (SELECT 1 FROM plan_assemblies WHERE id = $1 AND state = 'in_session')
                 ON CONFLICT (assembly_id, user_id) DO NOTHING")
                .bind(assembly_id).bind(user_id).bind(by).bind(at)
                .execute(pool).await?.rows_affected();
            let _ = n;
        });
        Ok(())
    }

    pub async fn assembly_attendance(&self, assembly_id: i64) -> DbResult<Vec<AttendeeRow>> {
        Ok(db_run!(self, pool => sqlx::query_as::<_, AttendeeRow>(
            "SELECT a.user_id, u.display_name, a.at FROM plan_assembly_attendance a JOIN users u ON u.id = a.user_id
             WHERE a.assembly_id = $1 ORDER BY a.at, a.user_id")
            .bind(assembly_id).fetch_all(pool).await?))
    }

    /// Records `voter`'s one ballot (by `channel`; `entered_by` is the staff member for paper and on-site
    /// ballots). Rules checked (resident, the channel's time, presence for on-site, agenda items once,
    /// preferences); the insert checks the assembly's state, and the unique key refuses a second ballot.
    pub async fn cast_assembly_ballot(
        &self,
        assembly_id: i64,
        voter: i64,
        channel: VoteChannel,
        marks: &[Mark],
        entered_by: Option<i64>,
    ) -> DbResult<i64> {
        let a = self.assembly(assembly_id).await?.ok_or(DbError::NotFound)?;
        let agenda: Vec<i64> = self
            .assembly_agenda(assembly_id)
            .await?
            .iter()
            .map(|r| r.item_id)
            .collect();
        let present = self
            .assembly_attendance(assembly_id)
            .await?
            .iter()
            .any(|p| p.user_id == voter);
        let ctx = BallotContext {
            state: a.state,
            channel,
            resident: self.is_verified_resident_of(voter, a.scope_id).await?,
            present,
        };
        plan::check_assembly_ballot(ctx, &agenda, marks).map_err(refused)?;
        let at = now();
        db_run!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let inserted = sqlx::query_scalar::<_, i64>(
                "INSERT INTO plan_assembly_ballots (assembly_id, user_id, channel, entered_by, cast_at)
                 SELECT $1, $2, $3, $4, $5 WHERE EXISTS (SELECT 1 FROM plan_assemblies WHERE id = $1 AND state = $6)
                 RETURNING id")
                .bind(assembly_id).bind(voter).bind(channel.as_str()).bind(entered_by).bind(at)
                .bind(a.state.as_str())
                .fetch_optional(&mut *tx).await;
            let ballot = match inserted {
                Err(sqlx::Error::Database(d)) if d.is_unique_violation() => {
                    return Err(refused(PlanRefusal::AlreadyVoted));
                }
                Ok(None) => return Err(DbError::Refused(Refusal::Stale)),
                Ok(Some(id)) => id,
                Err(e) => return Err(e.into()),
            };
            for m in marks {
                sqlx::query("INSERT INTO plan_assembly_marks (ballot_id, item_id, choice, preference) VALUES ($1, $2, $3, $4)")
                    .bind(ballot).bind(m.item).bind(m.choice.as_str()).bind(m.preference.map(i64::from))
                    .execute(&mut *tx).await?;
            }
            tx.commit().await?;
            Ok::<i64, DbError>(ballot)
        })
    }

    /// How `user_id` voted in the assembly (the channel), if they did.
    pub async fn assembly_ballot_of(
        &self,
        assembly_id: i64,
        user_id: i64,
    ) -> DbResult<Option<VoteChannel>> {
        let found: Option<String> = db_run!(self, pool => sqlx::query_scalar(
            "SELECT channel FROM plan_assembly_ballots WHERE assembly_id = $1 AND user_id = $2")
            .bind(assembly_id).bind(user_id).fetch_optional(pool).await?);
        found
            .map(|c| VoteChannel::try_from(c).map_err(|e| DbError::Corrupt(e.to_string())))
            .transpose()
    }

    /// The results: every mark with its ballot's channel, counted by the domain's tally.
    pub async fn assembly_results(&self, assembly_id: i64) -> DbResult<AssemblyResults> {
        let agenda: Vec<i64> = self
            .assembly_agenda(assembly_id)
            .await?
            .iter()
            .map(|r| r.item_id)
            .collect();
        let rows: Vec<(String, i64, String, Option<i64>)> = db_run!(self, pool => sqlx::query_as(
            "SELECT b.channel, m.item_id, m.choice, m.preference FROM plan_assembly_marks m
             JOIN plan_assembly_ballots b ON b.id = m.ballot_id WHERE b.assembly_id = $1")
            .bind(assembly_id).fetch_all(pool).await?);
        let counts: Vec<(String, i64)> = db_run!(self, pool => sqlx::query_as(
            "SELECT channel, COUNT(*) FROM plan_assembly_ballots WHERE assembly_id = $1 GROUP BY channel")
            .bind(assembly_id).fetch_all(pool).await?);
        let corrupt = |e: String| DbError::Corrupt(e);
        let mut marks = Vec::with_capacity(rows.len());
        for (channel, item, choice, preference) in rows {
            let channel = VoteChannel::try_from(channel).map_err(|e| corrupt(e.to_string()))?;
            let choice = AssemblyChoice::try_from(choice).map_err(|e| corrupt(e.to_string()))?;
            let preference = preference
                .map(u32::try_from)
                .transpose()
                .map_err(|e| corrupt(e.to_string()))?;
            marks.push((
                channel,
                Mark {
                    item,
                    choice,
                    preference,
                },
            ));
        }
        let mut results = AssemblyResults {
            items: plan::tally(&agenda, &marks),
            ..AssemblyResults::default()
        };
        for (channel, n) in counts {
            match VoteChannel::try_from(channel).map_err(|e| corrupt(e.to_string()))? {
                VoteChannel::Online => results.online = n,
                VoteChannel::Paper => results.paper = n,
                VoteChannel::OnSite => results.on_site = n,
            }
        }
        Ok(results)
    }
}
