//! `/api/v1` for the cooperation platform: a scope's organizations (and those below it), resources and
//! their bookings, booking requests and decisions (bearer token), programs, and grant calls with their
//! published results. Every handler calls the area's services, as the pages do.
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use maeul_domain::cooperation::parse_rfc3339;
use maeul_domain::time::rfc3339;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::service::organizations::{self, Filter};
use super::service::{grants, resources, schools};
use crate::AppState;
use crate::http::error::ErrorBody;
use crate::http::{ApiCaller, ApiError, ApiJson, ApiPath, ApiQuery};

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ScopeQuery {
    /// The scope's code (MOIS code: `11110` for Jongno-gu); its scopes below are included.
    pub scope: String,
}

fn code(state: &AppState, id: i64) -> String {
    state
        .scopes()
        .get(id)
        .map(|s| s.code.clone())
        .unwrap_or_default()
}

#[derive(Serialize, ToSchema)]
pub struct OrganizationJson {
    pub id: i64,
    pub name: String,
    /// `civic_organization`, `community_group`, `social_economy` or `support_centre`.
    pub kind: &'static str,
    pub scope_code: String,
    /// Verified by the platform's staff (registration number or in-person check).
    pub verified: bool,
    /// Fields of activity (`welfare`, `environment`, `culture`, `education`, `economy`, `safety`,
    /// `governance`).
    pub fields: Vec<&'static str>,
    pub purpose: String,
    pub members: i64,
}

#[utoipa::path(get, path = "/organizations", tag = "cooperation", operation_id = "list_organizations",
    params(ScopeQuery),
    responses((status = 200, body = [OrganizationJson], description = "organizations of the scope and the scopes below it")))]
pub async fn list_organizations(
    State(state): State<AppState>,
    ApiQuery(q): ApiQuery<ScopeQuery>,
) -> Result<Json<Vec<OrganizationJson>>, ApiError> {
    let d = organizations::directory(&state, None, &q.scope, &Filter::default()).await?;
    let mut out = vec![];
    for o in d.organizations {
        out.push(OrganizationJson {
            fields: o
                .fields()
                .map_err(crate::http::ServiceError::from)?
                .into_iter()
                .map(|f| f.as_str())
                .collect(),
            scope_code: code(&state, o.scope_id),
            kind: o.kind.as_str(),
            verified: o.verified(),
            id: o.id,
            name: o.name,
            purpose: o.purpose,
            members: o.members,
        });
    }
    Ok(Json(out))
}

#[derive(Serialize, ToSchema)]
pub struct ResourceJson {
    pub id: i64,
    pub name: String,
    /// `space` or `equipment`.
    pub kind: &'static str,
    pub scope_code: String,
    /// People (a space) or units (equipment); 0: not stated.
    pub capacity: i64,
    /// Daily, Seoul time: `09:00-22:00`.
    pub opening_hours: String,
    pub rules: String,
    /// The organization that owns it and approves its bookings.
    pub owner_organization_id: i64,
}

#[utoipa::path(get, path = "/resources", tag = "cooperation", operation_id = "list_resources",
    params(ScopeQuery),
    responses((status = 200, body = [ResourceJson], description = "shared spaces and equipment of the scope and below")))]
pub async fn list_resources(
    State(state): State<AppState>,
    ApiQuery(q): ApiQuery<ScopeQuery>,
) -> Result<Json<Vec<ResourceJson>>, ApiError> {
    let v = resources::list(&state, None, &q.scope).await?;
    Ok(Json(
        v.resources
            .into_iter()
            .map(|r| ResourceJson {
                scope_code: code(&state, r.scope_id),
                kind: r.kind.as_str(),
                id: r.id,
                name: r.name,
                capacity: r.capacity,
                opening_hours: r.opening_hours,
                rules: r.rules,
                owner_organization_id: r.owner_org_id,
            })
            .collect(),
    ))
}

#[derive(Serialize, ToSchema)]
pub struct BookingJson {
    pub id: i64,
    pub resource_id: i64,
    /// RFC 3339, UTC.
    pub starts_at: String,
    /// RFC 3339, UTC (the slot ends the moment the next may start).
    pub ends_at: String,
    /// `pending`, `approved`, `declined` or `cancelled`.
    pub state: &'static str,
    pub purpose: String,
    pub organization_id: Option<i64>,
}

fn booking_json(b: maeul_db::cooperation::BookingRow) -> BookingJson {
    BookingJson {
        id: b.id,
        resource_id: b.resource_id,
        starts_at: rfc3339(b.starts_at),
        ends_at: rfc3339(b.ends_at),
        state: b.state.as_str(),
        purpose: b.purpose,
        organization_id: b.organization_id,
    }
}

#[utoipa::path(get, path = "/resources/{id}/bookings", tag = "cooperation", operation_id = "list_bookings",
    params(("id" = i64, Path)), responses((status = 200, body = [BookingJson])))]
pub async fn list_bookings(
    State(state): State<AppState>,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<Vec<BookingJson>>, ApiError> {
    let v = resources::view(&state, None, id).await?;
    Ok(Json(v.bookings.into_iter().map(booking_json).collect()))
}

#[derive(Deserialize, ToSchema)]
pub struct BookingRequest {
    /// RFC 3339 with an offset (`2026-12-07T10:00:00+09:00`).
    pub starts_at: String,
    pub ends_at: String,
    pub purpose: String,
    /// An organization the caller represents or works for, if booking on its behalf.
    #[serde(default)]
    pub organization_id: Option<i64>,
}

/// Requests a slot: 201 with the pending booking, 409 `booking_overlaps` when it overlaps an approved one.
#[utoipa::path(post, path = "/resources/{id}/bookings", tag = "cooperation", operation_id = "request_booking",
    security(("bearer" = [])), params(("id" = i64, Path)), request_body = BookingRequest,
    responses((status = 201, body = BookingJson),
        (status = 409, description = "The slot overlaps an approved booking (`booking_overlaps`)", body = ErrorBody)))]
pub async fn request_booking(
    State(state): State<AppState>,
    api: ApiCaller,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<BookingRequest>,
) -> Result<(StatusCode, Json<BookingJson>), ApiError> {
    let booking = resources::request(
        &state,
        Some(&api.caller),
        id,
        resources::Request {
            starts_at: parse_rfc3339(&body.starts_at),
            ends_at: parse_rfc3339(&body.ends_at),
            purpose: &body.purpose,
            organization: body.organization_id,
        },
    )
    .await?;
    let row = state
        .db
        .booking(booking)
        .await
        .map_err(crate::http::ServiceError::from)?
        .ok_or(crate::http::ServiceError::NotFound)?;
    Ok((StatusCode::CREATED, Json(booking_json(row))))
}

#[derive(Deserialize, ToSchema)]
pub struct BookingDecisionRequest {
    /// `approve` or `decline` (the owner), `cancel` (the owner or the requester).
    pub decision: String,
}

/// Decides on a booking: 403 `not_the_owner` for anyone but the owner's representatives and staff, 409
/// `booking_overlaps` when approving would overlap an approved booking.
#[utoipa::path(post, path = "/bookings/{id}/decision", tag = "cooperation", operation_id = "decide_booking",
    security(("bearer" = [])), params(("id" = i64, Path)), request_body = BookingDecisionRequest,
    responses((status = 200, body = BookingJson),
        (status = 409, description = "Overlaps an approved booking (`booking_overlaps`) or already decided", body = ErrorBody)))]
pub async fn decide_booking(
    State(state): State<AppState>,
    api: ApiCaller,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<BookingDecisionRequest>,
) -> Result<Json<BookingJson>, ApiError> {
    resources::decide(&state, Some(&api.caller), id, &body.decision).await?;
    let row = state
        .db
        .booking(id)
        .await
        .map_err(crate::http::ServiceError::from)?
        .ok_or(crate::http::ServiceError::NotFound)?;
    Ok(Json(booking_json(row)))
}

#[derive(Serialize, ToSchema)]
pub struct ProgramJson {
    pub id: i64,
    pub title: String,
    /// `governance_school`, `budget_school`, `facilitator_training` or `activist_course`.
    pub kind: &'static str,
    /// Training hours a completion counts for (committees' eligibility reads them).
    pub hours: i64,
    pub scope_code: String,
    /// Seats (0: no limit); beyond them people wait.
    pub capacity: i64,
    /// Sessions to attend to complete.
    pub sessions_required: i64,
    pub sessions: i64,
    pub enrolled: i64,
    pub waiting: i64,
    pub completed: i64,
}

#[utoipa::path(get, path = "/programs", tag = "cooperation", operation_id = "list_programs",
    params(ScopeQuery),
    responses((status = 200, body = [ProgramJson], description = "citizen-school programs of the scope and below")))]
pub async fn list_programs(
    State(state): State<AppState>,
    ApiQuery(q): ApiQuery<ScopeQuery>,
) -> Result<Json<Vec<ProgramJson>>, ApiError> {
    let v = schools::list(&state, &q.scope).await?;
    Ok(Json(
        v.programs
            .into_iter()
            .map(|p| ProgramJson {
                scope_code: code(&state, p.scope_id),
                kind: schools::kind_name(p.kind),
                id: p.id,
                title: p.title,
                hours: p.hours,
                capacity: p.capacity,
                sessions_required: p.sessions_required,
                sessions: p.sessions,
                enrolled: p.enrolled,
                waiting: p.waiting,
                completed: p.completed,
            })
            .collect(),
    ))
}

#[derive(Serialize, ToSchema)]
pub struct GrantAwardJson {
    pub application_id: i64,
    pub title: String,
    pub organization_id: Option<i64>,
    pub amount: i64,
    pub rank: Option<i64>,
    pub awarded: bool,
    /// The award's tracked project (`/api/v1/tracked-projects`), where its progress and spending are
    /// reported.
    pub tracked_project_id: Option<i64>,
}

#[derive(Serialize, ToSchema)]
pub struct GrantCallJson {
    pub id: i64,
    pub title: String,
    pub scope_code: String,
    /// Won.
    pub budget: i64,
    /// `open`, `reviewing` or `published`.
    pub state: &'static str,
    /// `organizations`, `resident_groups` or `both`.
    pub eligibility: &'static str,
    /// The published ranking and awards (empty before publication).
    pub results: Vec<GrantAwardJson>,
}

#[utoipa::path(get, path = "/grant-calls", tag = "cooperation", operation_id = "list_grant_calls",
    params(ScopeQuery),
    responses((status = 200, body = [GrantCallJson], description = "small-grants calls of the scope and below, with published awards")))]
pub async fn list_grant_calls(
    State(state): State<AppState>,
    ApiQuery(q): ApiQuery<ScopeQuery>,
) -> Result<Json<Vec<GrantCallJson>>, ApiError> {
    let (_, calls) = grants::list(&state, &q.scope).await?;
    let tracked = state
        .db
        .grant_projects()
        .await
        .map_err(crate::http::ServiceError::from)?;
    let mut out = vec![];
    for c in calls {
        let published = c.published_at.is_some();
        let results = if published {
            state
                .db
                .grant_applications(c.id)
                .await
                .map_err(crate::http::ServiceError::from)?
                .into_iter()
                .map(|a| GrantAwardJson {
                    application_id: a.id,
                    title: a.title,
                    organization_id: a.organization_id,
                    amount: a.amount,
                    rank: a.rank,
                    awarded: a.awarded_at.is_some(),
                    tracked_project_id: tracked
                        .iter()
                        .find(|t| t.application_id == a.id)
                        .map(|t| t.tracked_project_id),
                })
                .collect()
        } else {
            vec![]
        };
        out.push(GrantCallJson {
            scope_code: code(&state, c.scope_id),
            state: c.state.as_str(),
            eligibility: c.eligibility.as_str(),
            id: c.id,
            title: c.title,
            budget: c.budget,
            results,
        });
    }
    Ok(Json(out))
}
