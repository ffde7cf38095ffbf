//! Shared resources and their bookings. A request is checked against the approved slots and stored
//! pending; the owner's approval is a compare-and-set from pending, and the database's trigger refuses an
//! approved booking that overlaps another of the same resource (also when two approvals race).
use maeul_domain::Refusal;
use maeul_domain::cooperation::{
    self, BookingDecision, BookingState, CooperationRefusal, OpeningHours, ResourceKind, Slot,
};

use crate::{BeginWrite, Db, DbError, DbResult, db_run, now, refused};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ResourceRow {
    pub id: i64,
    pub scope_id: i64,
    pub owner_org_id: i64,
    pub owner_name: String,
    #[sqlx(try_from = "String")]
    pub kind: ResourceKind,
    pub name: String,
    pub description: String,
    pub capacity: i64,
    pub opening_hours: String,
    pub rules: String,
    pub created_at: i64,
}

impl ResourceRow {
    pub fn hours(&self) -> DbResult<OpeningHours> {
        OpeningHours::parse(&self.opening_hours).ok_or_else(|| {
            DbError::Corrupt(format!(
                "resource {} hours {:?}",
                self.id, self.opening_hours
            ))
        })
    }
}

pub struct NewResource<'a> {
    pub scope_id: i64,
    pub owner_org_id: i64,
    pub kind: ResourceKind,
    pub name: &'a str,
    pub description: &'a str,
    pub capacity: i64,
    pub opening_hours: OpeningHours,
    pub rules: &'a str,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct BookingRow {
    pub id: i64,
    pub resource_id: i64,
    pub requested_by: i64,
    pub requester_name: String,
    pub organization_id: Option<i64>,
    pub starts_at: i64,
    pub ends_at: i64,
    pub purpose: String,
    #[sqlx(try_from = "String")]
    pub state: BookingState,
    pub decided_at: Option<i64>,
    pub created_at: i64,
}

impl BookingRow {
    pub fn slot(&self) -> Slot {
        Slot {
            starts_at: self.starts_at,
            ends_at: self.ends_at,
        }
    }
}

const SELECT_RESOURCE: &str =
    "SELECT r.id, r.scope_id, r.owner_org_id, o.name AS owner_name, r.kind, r.name, r.description,
        r.capacity, r.opening_hours, r.rules, r.created_at
     FROM coop_resources r JOIN coop_organizations o ON o.id = r.owner_org_id";

const SELECT_BOOKING: &str = "SELECT b.id, b.resource_id, b.requested_by, u.display_name AS requester_name, b.organization_id,
        b.starts_at, b.ends_at, b.purpose, b.state, b.decided_at, b.created_at
     FROM coop_bookings b JOIN users u ON u.id = b.requested_by";

/// The overlap trigger's refusal, read from either backend's error.
fn overlap_or(e: sqlx::Error) -> DbError {
    match &e {
        sqlx::Error::Database(d) if d.message().contains("booking_overlaps") => {
            refused(CooperationRefusal::Overlaps)
        }
        _ => e.into(),
    }
}

impl Db {
    pub async fn create_resource(&self, r: &NewResource<'_>) -> DbResult<i64> {
        Ok(db_run!(self, pool => sqlx::query_scalar(
            "INSERT INTO coop_resources (scope_id, owner_org_id, kind, name, description, capacity, opening_hours, rules, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id")
            .bind(r.scope_id).bind(r.owner_org_id).bind(r.kind.as_str()).bind(r.name).bind(r.description)
            .bind(r.capacity).bind(r.opening_hours.text()).bind(r.rules).bind(now())
            .fetch_one(pool).await?))
    }

    /// The owner's edit of a resource's capacity, opening hours and rules (the caller checked who may).
    /// Bookings already made stand; new requests are checked against the new hours.
    pub async fn update_resource(
        &self,
        id: i64,
        capacity: i64,
        opening_hours: OpeningHours,
        rules: &str,
    ) -> DbResult<()> {
        let n = db_run!(self, pool => sqlx::query(
            "UPDATE coop_resources SET capacity = $1, opening_hours = $2, rules = $3 WHERE id = $4")
            .bind(capacity).bind(opening_hours.text()).bind(rules).bind(id)
            .execute(pool).await?.rows_affected());
        if n == 0 {
            return Err(DbError::NotFound);
        }
        Ok(())
    }

    pub async fn resource(&self, id: i64) -> DbResult<Option<ResourceRow>> {
        let sql = format!("{SELECT_RESOURCE} WHERE r.id = $1");
        Ok(
            db_run!(self, pool => sqlx::query_as::<_, ResourceRow>(&sql).bind(id).fetch_optional(pool).await?),
        )
    }

    /// Every resource, by name (lists filter by scope).
    pub async fn resources(&self) -> DbResult<Vec<ResourceRow>> {
        let sql = format!("{SELECT_RESOURCE} ORDER BY r.name, r.id");
        Ok(db_run!(self, pool => sqlx::query_as::<_, ResourceRow>(&sql).fetch_all(pool).await?))
    }

    /// A resource's bookings, by start.
    pub async fn bookings_of(&self, resource_id: i64) -> DbResult<Vec<BookingRow>> {
        let sql = format!("{SELECT_BOOKING} WHERE b.resource_id = $1 ORDER BY b.starts_at, b.id");
        Ok(
            db_run!(self, pool => sqlx::query_as::<_, BookingRow>(&sql).bind(resource_id).fetch_all(pool).await?),
        )
    }

    pub async fn booking(&self, id: i64) -> DbResult<Option<BookingRow>> {
        let sql = format!("{SELECT_BOOKING} WHERE b.id = $1");
        Ok(
            db_run!(self, pool => sqlx::query_as::<_, BookingRow>(&sql).bind(id).fetch_optional(pool).await?),
        )
    }

    /// Requests `slot` of a resource: within its opening hours and clear of every approved booking
    /// (checked again inside the write transaction); stored pending.
    pub async fn request_booking(
        &self,
        resource_id: i64,
        user: i64,
        organization_id: Option<i64>,
        slot: Slot,
        purpose: &str,
    ) -> DbResult<i64> {
        let resource = self.resource(resource_id).await?.ok_or(DbError::NotFound)?;
        let hours = resource.hours()?;
        cooperation::check_request(slot, hours, &[]).map_err(refused)?;
        let at = now();
        db_run!(self, pool => {
            let mut tx = pool.begin_write().await?;
            sqlx::query("UPDATE coop_resources SET capacity = capacity WHERE id = $1")
                .bind(resource_id).execute(&mut *tx).await?;
            let overlapping: i64 = sqlx::query_scalar(
                "SELECT COUNT(*) FROM coop_bookings WHERE resource_id = $1 AND state = 'approved'
                   AND starts_at < $2 AND $3 < ends_at")
                .bind(resource_id).bind(slot.ends_at).bind(slot.starts_at).fetch_one(&mut *tx).await?;
            if overlapping > 0 {
                return Err(refused(CooperationRefusal::Overlaps));
            }
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO coop_bookings (resource_id, requested_by, organization_id, starts_at, ends_at, purpose, state, created_at)
                 VALUES ($1, $2, $3, $4, $5, $6, 'pending', $7) RETURNING id")
                .bind(resource_id).bind(user).bind(organization_id).bind(slot.starts_at).bind(slot.ends_at)
                .bind(purpose).bind(at).fetch_one(&mut *tx).await?;
            tx.commit().await?;
            Ok::<i64, DbError>(id)
        })
    }

    /// Applies an owner's or requester's decision (the caller says whether `user` acts for the owner).
    /// The state change is a compare-and-set; an approval that overlaps an approved booking is refused by
    /// the rules and, under a race, by the database.
    pub async fn decide_booking(
        &self,
        booking_id: i64,
        user: i64,
        is_owner: bool,
        decision: BookingDecision,
    ) -> DbResult<BookingState> {
        let b = self.booking(booking_id).await?.ok_or(DbError::NotFound)?;
        let overlapping = self.bookings_of(b.resource_id).await?.iter().any(|o| {
            o.id != b.id && o.state == BookingState::Approved && o.slot().overlaps(&b.slot())
        });
        let to = cooperation::decide(
            b.state,
            decision,
            is_owner,
            b.requested_by == user,
            overlapping,
        )
        .map_err(refused)?;
        let at = now();
        let n = db_run!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let n = sqlx::query(
                "UPDATE coop_bookings SET state = $1, decided_by = $2, decided_at = $3 WHERE id = $4 AND state = $5")
                .bind(to.as_str()).bind(user).bind(at).bind(booking_id).bind(b.state.as_str())
                .execute(&mut *tx).await.map_err(overlap_or)?.rows_affected();
            tx.commit().await?;
            n
        });
        if n == 0 {
            return Err(DbError::Refused(Refusal::Stale));
        }
        Ok(to)
    }
}
