//! Shared resources and bookings: a scope's resources (and those below it), a resource with its bookings,
//! requests by signed-in people (for themselves or an organization they edit), the owner's decision, and
//! calendars of approved bookings.
use maeul_db::cooperation::{BookingRow, NewResource, ResourceRow};
use maeul_domain::cooperation::{
    self, BookingDecision, BookingState, OpeningHours, ResourceKind, Slot,
};
use maeul_domain::{Refusal, Scope};

use super::{may_run, parse_number, scope_by_code, within};
use crate::AppState;
use crate::areas::accounts::service::Fields;
use crate::http::{Caller, ServiceError, ServiceResult, signed_in};

pub struct ResourcesView {
    pub scope: Scope,
    pub resources: Vec<ResourceRow>,
    /// Organizations of the scope the caller edits (owners of a new resource).
    pub may_add: bool,
}

/// The resources of a scope and the scopes below it.
pub async fn list(
    state: &AppState,
    caller: Option<&Caller>,
    code: &str,
) -> ServiceResult<ResourcesView> {
    let scope = scope_by_code(state, code)?;
    let ids = within(state, scope.id);
    let resources = state
        .db
        .resources()
        .await?
        .into_iter()
        .filter(|r| ids.contains(&r.scope_id))
        .collect();
    Ok(ResourcesView {
        may_add: may_run(state, caller, scope.id),
        scope,
        resources,
    })
}

pub struct ResourceView {
    pub resource: ResourceRow,
    pub scope: Scope,
    pub bookings: Vec<BookingRow>,
    /// The caller edits the owner organization: decides on bookings.
    pub is_owner: bool,
    pub may_request: bool,
    pub me: Option<i64>,
}

/// Whether `caller` acts for the resource's owner organization (its representatives and staff).
async fn is_owner(
    state: &AppState,
    caller: Option<&Caller>,
    r: &ResourceRow,
) -> ServiceResult<bool> {
    Ok(match caller {
        Some(c) => {
            cooperation::may_edit(state.db.member_role(r.owner_org_id, c.id()).await?).is_ok()
        }
        None => false,
    })
}

pub async fn view(
    state: &AppState,
    caller: Option<&Caller>,
    id: i64,
) -> ServiceResult<ResourceView> {
    let resource = state.db.resource(id).await?.ok_or(ServiceError::NotFound)?;
    let scope = state
        .scopes()
        .get(resource.scope_id)
        .cloned()
        .ok_or(ServiceError::NotFound)?;
    Ok(ResourceView {
        bookings: state.db.bookings_of(id).await?,
        is_owner: is_owner(state, caller, &resource).await?,
        may_request: caller.is_some(),
        me: caller.map(|c| c.id()),
        resource,
        scope,
    })
}

/// A resource as staff describe it.
pub struct ResourceForm<'a> {
    pub owner: &'a str,
    pub kind: &'a str,
    pub name: &'a str,
    pub description: &'a str,
    pub capacity: &'a str,
    pub opening_hours: &'a str,
    pub rules: &'a str,
}

/// The scope's platform staff add a resource owned by an organization of the scope.
pub async fn create(
    state: &AppState,
    caller: Option<&Caller>,
    code: &str,
    f: &ResourceForm<'_>,
) -> ServiceResult<i64> {
    use maeul_domain::account::FieldError;
    let me = signed_in(caller)?;
    let scope = scope_by_code(state, code)?;
    if !may_run(state, Some(me), scope.id) {
        return Err(ServiceError::Forbidden);
    }
    let mut fields = Fields::default();
    let name = fields.check("name", cooperation::parse_name(f.name));
    let kind = fields.check(
        "kind",
        ResourceKind::parse(f.kind).ok_or(FieldError::Required),
    );
    let description = fields.check("description", cooperation::parse_text(f.description));
    let rules = fields.check("rules", cooperation::parse_text(f.rules));
    let capacity = fields.check("capacity", parse_number(f.capacity, 0, 10_000));
    let hours = fields.check(
        "opening_hours",
        OpeningHours::parse(f.opening_hours).ok_or(FieldError::Invalid),
    );
    let owner = match f.owner.trim().parse::<i64>() {
        Ok(id) => match state.db.organization(id).await? {
            Some(o) if within(state, scope.id).contains(&o.scope_id) => Some(id),
            _ => None,
        },
        Err(_) => None,
    };
    if owner.is_none() {
        fields.add("owner", FieldError::Invalid);
    }
    fields.finish()?;
    let (
        Some(name),
        Some(kind),
        Some(description),
        Some(rules),
        Some(capacity),
        Some(hours),
        Some(owner),
    ) = (name, kind, description, rules, capacity, hours, owner)
    else {
        unreachable!("checked above")
    };
    Ok(state
        .db
        .create_resource(&NewResource {
            scope_id: scope.id,
            owner_org_id: owner,
            kind,
            name: &name,
            description: &description,
            capacity,
            opening_hours: hours,
            rules: &rules,
        })
        .await?)
}

/// A booking request: the slot (already parsed at the edge), what for, and on behalf of which
/// organization (one the caller edits), if any.
pub struct Request<'a> {
    pub starts_at: Result<i64, maeul_domain::account::FieldError>,
    pub ends_at: Result<i64, maeul_domain::account::FieldError>,
    pub purpose: &'a str,
    pub organization: Option<i64>,
}

pub async fn request(
    state: &AppState,
    caller: Option<&Caller>,
    resource_id: i64,
    r: Request<'_>,
) -> ServiceResult<i64> {
    let me = signed_in(caller)?;
    state
        .db
        .resource(resource_id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let mut fields = Fields::default();
    let starts_at = fields.check("starts_at", r.starts_at);
    let ends_at = fields.check("ends_at", r.ends_at);
    let purpose = fields.check("purpose", cooperation::parse_name(r.purpose));
    if let Some(org) = r.organization
        && cooperation::may_edit(state.db.member_role(org, me.id()).await?).is_err()
    {
        fields.add("organization", maeul_domain::account::FieldError::Invalid);
    }
    fields.finish()?;
    let (Some(starts_at), Some(ends_at), Some(purpose)) = (starts_at, ends_at, purpose) else {
        unreachable!("checked above")
    };
    Ok(state
        .db
        .request_booking(
            resource_id,
            me.id(),
            r.organization,
            Slot { starts_at, ends_at },
            &purpose,
        )
        .await?)
}

/// The owner approves or declines; the requester or the owner cancels.
pub async fn decide(
    state: &AppState,
    caller: Option<&Caller>,
    booking_id: i64,
    decision: &str,
) -> ServiceResult<(i64, BookingState)> {
    let me = signed_in(caller)?;
    let b = state
        .db
        .booking(booking_id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let resource = state
        .db
        .resource(b.resource_id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let decision = match decision {
        "approve" => BookingDecision::Approve,
        "decline" => BookingDecision::Decline,
        "cancel" => BookingDecision::Cancel,
        _ => {
            return Err(
                Refusal::field("decision", maeul_domain::account::FieldError::Invalid).into(),
            );
        }
    };
    let owner = is_owner(state, Some(me), &resource).await?;
    let to = state
        .db
        .decide_booking(booking_id, me.id(), owner, decision)
        .await?;
    Ok((resource.id, to))
}

/// The approved bookings of the resources of a scope (and below), with their resource, by start.
pub async fn scope_calendar(
    state: &AppState,
    code: &str,
) -> ServiceResult<(Scope, Vec<(ResourceRow, BookingRow)>)> {
    let v = list(state, None, code).await?;
    let mut out = vec![];
    for r in v.resources {
        for b in state.db.bookings_of(r.id).await? {
            if b.state == BookingState::Approved {
                out.push((r.clone(), b));
            }
        }
    }
    out.sort_by_key(|(_, b)| b.starts_at);
    Ok((v.scope, out))
}

/// The owner's edit of a resource as submitted.
pub struct ResourceEdit<'a> {
    pub capacity: &'a str,
    pub opening_hours: &'a str,
    pub rules: &'a str,
}

/// The owner organization's representatives and staff edit a resource's capacity, opening hours and
/// rules; anyone else is refused (`not_the_resource_owner`) before the form is read.
pub async fn edit(
    state: &AppState,
    caller: Option<&Caller>,
    id: i64,
    f: &ResourceEdit<'_>,
) -> ServiceResult<()> {
    use maeul_domain::account::FieldError;
    use maeul_domain::cooperation::{CooperationRefusal, OpeningHours};
    let me = signed_in(caller)?;
    let resource = state.db.resource(id).await?.ok_or(ServiceError::NotFound)?;
    if !is_owner(state, Some(me), &resource).await? {
        return Err(maeul_domain::Refusal::from(CooperationRefusal::NotTheResourceOwner).into());
    }
    let mut fields = crate::areas::accounts::service::Fields::default();
    let capacity = fields.check("capacity", super::parse_number(f.capacity, 0, 10_000));
    let hours = fields.check(
        "opening_hours",
        OpeningHours::parse(f.opening_hours.trim()).ok_or(FieldError::Invalid),
    );
    let rules = fields.check("rules", maeul_domain::cooperation::parse_text(f.rules));
    fields.finish()?;
    let (Some(capacity), Some(hours), Some(rules)) = (capacity, hours, rules) else {
        unreachable!("checked above")
    };
    Ok(state
        .db
        .update_resource(id, capacity, hours, &rules)
        .await?)
}
