//! The network's activity (migration 0014): events of the network, organizations recorded as proposers or
//! partners of other capabilities' objects (a link the cooperation area owns; the objects' tables are only
//! read), the feed of what the organizations do, read from the rows the platform already keeps, and the
//! budget school's graduates (the voter group budgeting may weight: read from the enrolments, never copied).
use maeul_domain::Named;
use maeul_domain::cooperation::{self, ActivityKind, CooperationRefusal, EventKind, LinkCapacity};
use maeul_domain::object::ObjectKind;

use crate::{Db, DbError, DbResult, db_run, now, refused};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct EventRow {
    pub id: i64,
    pub scope_id: i64,
    pub organization_id: Option<i64>,
    pub organization_name: Option<String>,
    #[sqlx(try_from = "String")]
    pub kind: EventKind,
    pub title: String,
    pub description: String,
    pub place: String,
    pub starts_at: i64,
    pub ends_at: i64,
    pub created_at: i64,
}

pub struct NewEvent<'a> {
    pub scope_id: i64,
    pub organization_id: Option<i64>,
    pub kind: EventKind,
    pub title: &'a str,
    pub description: &'a str,
    pub place: &'a str,
    pub starts_at: i64,
    pub ends_at: i64,
    pub created_by: Option<i64>,
}

/// An organization recorded on an object, with the object's title (None when the object is gone or
/// not public: a proposal still in draft).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct LinkRow {
    pub organization_id: i64,
    pub organization_name: String,
    pub object_kind: String,
    pub object_id: i64,
    #[sqlx(try_from = "String")]
    pub capacity: LinkCapacity,
    pub recorded_at: i64,
    pub title: Option<String>,
    /// A budget project's process (its page is the process's).
    pub parent_id: Option<i64>,
}

impl LinkRow {
    pub fn kind(&self) -> DbResult<ObjectKind> {
        ObjectKind::decode(&self.object_kind).map_err(|e| DbError::Corrupt(e.to_string()))
    }
}

/// One thing an organization of the network did.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ActivityRow {
    #[sqlx(try_from = "String")]
    pub kind: ActivityKind,
    pub at: i64,
    pub organization_id: Option<i64>,
    pub organization_name: Option<String>,
    /// The scope the activity happened in (the organization's, the resource's, the program's, the call's,
    /// the event's).
    pub scope_id: i64,
    /// What it was about: a resource, a program, an application, an event, a linked object's kind.
    pub subject: String,
    pub subject_id: Option<i64>,
    /// A linked object's capacity (`proposer`, `partner`); empty otherwise.
    pub detail: String,
}

/// A budget-school graduate: who completed which program, when.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct GraduateRow {
    pub user_id: i64,
    pub program_id: i64,
    pub scope_id: i64,
    pub completed_at: i64,
}

const SELECT_EVENT: &str =
    "SELECT e.id, e.scope_id, e.organization_id, o.name AS organization_name, e.kind, e.title,
        e.description, e.place, e.starts_at, e.ends_at, e.created_at
     FROM coop_events e LEFT JOIN coop_organizations o ON o.id = e.organization_id";

const SELECT_LINK: &str = "SELECT l.organization_id, o.name AS organization_name, l.object_kind, l.object_id, l.capacity,
        l.recorded_at,
        CASE l.object_kind
            WHEN 'proposal' THEN (SELECT p.title FROM proposals p WHERE p.id = l.object_id AND p.state <> 'draft')
            WHEN 'agenda_item' THEN (SELECT i.title FROM plan_items i WHERE i.id = l.object_id)
            WHEN 'budget_project' THEN (SELECT b.title FROM budget_projects b WHERE b.id = l.object_id)
            WHEN 'committee_meeting' THEN (SELECT m.title FROM committee_meetings m WHERE m.id = l.object_id)
        END AS title,
        CASE l.object_kind WHEN 'budget_project' THEN (SELECT b.process_id FROM budget_projects b WHERE b.id = l.object_id) END AS parent_id
     FROM coop_org_links l JOIN coop_organizations o ON o.id = l.organization_id";

/// Every activity of the network, each branch one kind; ordered by the caller's query.
const ACTIVITY: &str = "
    SELECT 'joined' AS kind, m.joined_at AS at, o.id AS organization_id, o.name AS organization_name,
           o.scope_id AS scope_id, '' AS subject, CAST(NULL AS BIGINT) AS subject_id, '' AS detail
      FROM coop_members m JOIN coop_organizations o ON o.id = m.organization_id
    UNION ALL
    SELECT 'booking_approved', b.decided_at, o.id, o.name, r.scope_id, r.name, r.id, ''
      FROM coop_bookings b JOIN coop_resources r ON r.id = b.resource_id
      JOIN coop_organizations o ON o.id = COALESCE(b.organization_id, r.owner_org_id)
     WHERE b.state = 'approved' AND b.decided_at IS NOT NULL
    UNION ALL
    SELECT 'enrolment_completed', e.completed_at, p.organization_id, o.name, p.scope_id, p.title, p.id, ''
      FROM coop_enrolments e JOIN coop_programs p ON p.id = e.program_id
      LEFT JOIN coop_organizations o ON o.id = p.organization_id
     WHERE e.state = 'completed' AND e.completed_at IS NOT NULL
    UNION ALL
    SELECT 'grant_awarded', a.awarded_at, a.organization_id, o.name, c.scope_id, a.title, a.id, ''
      FROM coop_grant_applications a JOIN coop_grant_calls c ON c.id = a.call_id
      LEFT JOIN coop_organizations o ON o.id = a.organization_id
     WHERE a.awarded_at IS NOT NULL
    UNION ALL
    SELECT 'event', ev.created_at, ev.organization_id, o.name, ev.scope_id, ev.title, ev.id, ''
      FROM coop_events ev LEFT JOIN coop_organizations o ON o.id = ev.organization_id
    UNION ALL
    SELECT 'linked', l.recorded_at, o.id, o.name, o.scope_id, l.object_kind, l.object_id, l.capacity
      FROM coop_org_links l JOIN coop_organizations o ON o.id = l.organization_id";

impl Db {
    /// Announces an event of the network (the caller checked who may).
    pub async fn create_event(&self, e: &NewEvent<'_>) -> DbResult<i64> {
        cooperation::check_event(e.starts_at, e.ends_at).map_err(refused)?;
        Ok(db_run!(self, pool => sqlx::query_scalar(
            "INSERT INTO coop_events (scope_id, organization_id, kind, title, description, place, starts_at, ends_at,
                created_by, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id")
            .bind(e.scope_id).bind(e.organization_id).bind(e.kind.as_str()).bind(e.title).bind(e.description)
            .bind(e.place).bind(e.starts_at).bind(e.ends_at).bind(e.created_by).bind(now())
            .fetch_one(pool).await?))
    }

    pub async fn event(&self, id: i64) -> DbResult<Option<EventRow>> {
        let sql = format!("{SELECT_EVENT} WHERE e.id = $1");
        Ok(
            db_run!(self, pool => sqlx::query_as::<_, EventRow>(&sql).bind(id).fetch_optional(pool).await?),
        )
    }

    /// Every event, by start (lists filter by scope).
    pub async fn events(&self) -> DbResult<Vec<EventRow>> {
        let sql = format!("{SELECT_EVENT} ORDER BY e.starts_at, e.id");
        Ok(db_run!(self, pool => sqlx::query_as::<_, EventRow>(&sql).fetch_all(pool).await?))
    }

    /// The title of a linkable object, if it exists (a proposal in draft does not, for others).
    pub async fn linkable_title(&self, kind: ObjectKind, id: i64) -> DbResult<Option<String>> {
        let sql = match kind {
            ObjectKind::Proposal => "SELECT title FROM proposals WHERE id = $1",
            ObjectKind::AgendaItem => "SELECT title FROM plan_items WHERE id = $1",
            ObjectKind::BudgetProject => "SELECT title FROM budget_projects WHERE id = $1",
            ObjectKind::CommitteeMeeting => "SELECT title FROM committee_meetings WHERE id = $1",
            _ => return Err(refused(CooperationRefusal::NotLinkable)),
        };
        Ok(db_run!(self, pool => sqlx::query_scalar(sql).bind(id).fetch_optional(pool).await?))
    }

    /// Records `org` on an object in `capacity`: the rules check the kind and capacity, the object must
    /// exist, and an organization is recorded once per object (the primary key).
    pub async fn link_organization(
        &self,
        org: i64,
        kind: ObjectKind,
        object_id: i64,
        capacity: LinkCapacity,
        by: i64,
    ) -> DbResult<()> {
        cooperation::check_link(kind, capacity).map_err(refused)?;
        if self.linkable_title(kind, object_id).await?.is_none() {
            return Err(DbError::NotFound);
        }
        let done = db_run!(self, pool => sqlx::query(
            "INSERT INTO coop_org_links (organization_id, object_kind, object_id, capacity, recorded_by, recorded_at)
             VALUES ($1, $2, $3, $4, $5, $6)")
            .bind(org).bind(kind.as_str()).bind(object_id).bind(capacity.as_str()).bind(by).bind(now())
            .execute(pool).await.map(|_| ()));
        match done {
            Err(sqlx::Error::Database(d)) if d.is_unique_violation() => {
                Err(refused(CooperationRefusal::AlreadyLinked))
            }
            Err(sqlx::Error::Database(d)) if d.is_foreign_key_violation() => Err(DbError::NotFound),
            other => Ok(other?),
        }
    }

    /// What an organization is recorded on, newest first.
    pub async fn links_of_organization(&self, org: i64) -> DbResult<Vec<LinkRow>> {
        let sql = format!(
            "{SELECT_LINK} WHERE l.organization_id = $1 ORDER BY l.recorded_at DESC, l.object_id DESC"
        );
        Ok(
            db_run!(self, pool => sqlx::query_as::<_, LinkRow>(&sql).bind(org).fetch_all(pool).await?),
        )
    }

    /// The organizations recorded on an object (a proposal's proposer, its partners).
    pub async fn links_to_object(&self, kind: ObjectKind, id: i64) -> DbResult<Vec<LinkRow>> {
        let sql = format!(
            "{SELECT_LINK} WHERE l.object_kind = $1 AND l.object_id = $2 ORDER BY l.recorded_at, o.name"
        );
        Ok(db_run!(self, pool => sqlx::query_as::<_, LinkRow>(&sql)
            .bind(kind.as_str()).bind(id).fetch_all(pool).await?))
    }

    /// The network's activity, newest first (the caller filters by scope and takes what it shows).
    pub async fn network_activity(&self) -> DbResult<Vec<ActivityRow>> {
        let sql = format!("SELECT kind, at, organization_id, organization_name, scope_id, subject, subject_id, detail
            FROM ({ACTIVITY}) f ORDER BY at DESC, kind, subject_id DESC");
        Ok(db_run!(self, pool => sqlx::query_as::<_, ActivityRow>(&sql).fetch_all(pool).await?))
    }

    /// The budget school's graduates: everyone who completed a program of kind `budget_school` held in one
    /// of `scope_ids` (pass a scope with the scopes above or below it, as the voter group needs), one row
    /// per person (their first completion), by person. This is the one record budgeting reads to weight
    /// the group; nothing copies it.
    pub async fn budget_school_graduates(&self, scope_ids: &[i64]) -> DbResult<Vec<GraduateRow>> {
        let rows: Vec<GraduateRow> = db_run!(self, pool => sqlx::query_as::<_, GraduateRow>(
            "SELECT e.user_id, e.program_id, p.scope_id, e.completed_at FROM coop_enrolments e
             JOIN coop_programs p ON p.id = e.program_id
             WHERE p.kind = 'budget_school' AND e.state = 'completed' AND e.completed_at IS NOT NULL
             ORDER BY e.user_id, e.completed_at, e.program_id")
            .fetch_all(pool).await?);
        let mut out: Vec<GraduateRow> = Vec::new();
        for r in rows {
            if scope_ids.contains(&r.scope_id) && out.last().is_none_or(|l| l.user_id != r.user_id)
            {
                out.push(r);
            }
        }
        Ok(out)
    }
}
