//! `/api/v1` for the cooperation platform's schools and network: enrolling in and withdrawing from a
//! program (bearer token), an organization with what it is recorded on, a scope's events, and the
//! network's figures the evaluation reads. Every handler calls the area's services, as the pages do.
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use maeul_domain::time::rfc3339;
use serde::Serialize;
use utoipa::ToSchema;

use super::api::ScopeQuery;
use super::service::network;
use super::service::{organizations, schools, scope_by_code};
use super::views::figures;
use crate::AppState;
use crate::http::{ApiCaller, ApiError, ApiPath, ApiQuery};

fn code(state: &AppState, id: i64) -> String {
    state
        .scopes()
        .get(id)
        .map(|s| s.code.clone())
        .unwrap_or_default()
}

#[derive(Serialize, ToSchema)]
pub struct EnrolmentJson {
    pub program_id: i64,
    /// `enrolled` (a seat) or `waiting` (the program is full).
    pub state: &'static str,
}

/// Enrols the caller: 201 with `enrolled` or `waiting`; 409 `already_enrolled`.
#[utoipa::path(post, path = "/programs/{id}/enrolment", tag = "cooperation", operation_id = "enrol",
    security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 201, body = EnrolmentJson),
        (status = 409, description = "Already enrolled (`already_enrolled`)", body = crate::http::error::ErrorBody)))]
pub async fn enrol(
    State(state): State<AppState>,
    api: ApiCaller,
    ApiPath(id): ApiPath<i64>,
) -> Result<(StatusCode, Json<EnrolmentJson>), ApiError> {
    let placed = schools::enrol(&state, Some(&api.caller), id).await?;
    Ok((
        StatusCode::CREATED,
        Json(EnrolmentJson {
            program_id: id,
            state: placed.as_str(),
        }),
    ))
}

/// Withdraws the caller (the first person waiting takes the seat): 204; 409 when not enrolled or waiting.
#[utoipa::path(delete, path = "/programs/{id}/enrolment", tag = "cooperation", operation_id = "withdraw",
    security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 204, description = "Withdrawn"),
        (status = 409, description = "Not enrolled or waiting", body = crate::http::error::ErrorBody)))]
pub async fn withdraw(
    State(state): State<AppState>,
    api: ApiCaller,
    ApiPath(id): ApiPath<i64>,
) -> Result<StatusCode, ApiError> {
    schools::withdraw(&state, Some(&api.caller), id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Serialize, ToSchema)]
pub struct LinkJson {
    /// `proposal`, `agenda_item`, `budget_project` or `committee_meeting`.
    pub object_kind: String,
    pub object_id: i64,
    pub title: String,
    /// `proposer` or `partner`.
    pub capacity: &'static str,
    /// RFC 3339.
    pub recorded_at: String,
}

#[derive(Serialize, ToSchema)]
pub struct OrganizationDetailJson {
    pub id: i64,
    pub name: String,
    pub kind: &'static str,
    pub scope_code: String,
    pub verified: bool,
    pub fields: Vec<&'static str>,
    pub purpose: String,
    pub members: i64,
    /// What it is recorded on as proposer or partner (public objects only).
    pub activity: Vec<LinkJson>,
}

#[utoipa::path(get, path = "/organizations/{id}", tag = "cooperation", operation_id = "get_organization",
    params(("id" = i64, Path)), responses((status = 200, body = OrganizationDetailJson)))]
pub async fn organization(
    State(state): State<AppState>,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<OrganizationDetailJson>, ApiError> {
    let v = organizations::view(&state, None, id).await?;
    Ok(Json(OrganizationDetailJson {
        id: v.org.id,
        kind: v.org.kind.as_str(),
        scope_code: code(&state, v.org.scope_id),
        verified: v.org.verified(),
        fields: v.fields.iter().map(|f| f.as_str()).collect(),
        members: v.org.members,
        activity: v
            .links
            .into_iter()
            .map(|(l, _)| LinkJson {
                capacity: l.capacity.as_str(),
                recorded_at: rfc3339(l.recorded_at),
                title: l.title.unwrap_or_default(),
                object_kind: l.object_kind,
                object_id: l.object_id,
            })
            .collect(),
        name: v.org.name,
        purpose: v.org.purpose,
    }))
}

#[derive(Serialize, ToSchema)]
pub struct EventJson {
    pub id: i64,
    /// `forum`, `fair` or `networking`.
    pub kind: &'static str,
    pub title: String,
    pub description: String,
    pub place: String,
    /// RFC 3339, UTC.
    pub starts_at: String,
    pub ends_at: String,
    pub scope_code: String,
    pub organization_id: Option<i64>,
}

#[utoipa::path(get, path = "/events", tag = "cooperation", operation_id = "list_events",
    params(ScopeQuery),
    responses((status = 200, body = [EventJson], description = "events of the network of the scope and below, by start")))]
pub async fn events(
    State(state): State<AppState>,
    ApiQuery(q): ApiQuery<ScopeQuery>,
) -> Result<Json<Vec<EventJson>>, ApiError> {
    let v = network::events(&state, None, &q.scope).await?;
    let mut all = v.past;
    all.reverse();
    all.extend(v.upcoming);
    Ok(Json(
        all.into_iter()
            .map(|e| EventJson {
                kind: e.kind.as_str(),
                starts_at: rfc3339(e.starts_at),
                ends_at: rfc3339(e.ends_at),
                scope_code: code(&state, e.scope_id),
                id: e.id,
                title: e.title,
                description: e.description,
                place: e.place,
                organization_id: e.organization_id,
            })
            .collect(),
    ))
}

#[derive(Serialize, ToSchema)]
pub struct NetworkFiguresJson {
    pub scope_code: String,
    pub organizations: i64,
    /// With an activity in the platform in the last year.
    pub organizations_active: i64,
    pub organizations_verified: i64,
    pub residents_trained: i64,
    pub training_hours: i64,
    pub bookings_approved: i64,
    pub booked_hours: i64,
    pub events: i64,
    pub grants_awarded: i64,
    /// Won.
    pub grants_amount: i64,
    /// Awarded grants whose tracked project is completed.
    pub grants_completed: i64,
}

#[utoipa::path(get, path = "/network-figures", tag = "cooperation", operation_id = "network_figures",
    params(ScopeQuery),
    responses((status = 200, body = NetworkFiguresJson, description = "the network's figures of the scope and below, as the evaluation reads them")))]
pub async fn network_figures(
    State(state): State<AppState>,
    ApiQuery(q): ApiQuery<ScopeQuery>,
) -> Result<Json<NetworkFiguresJson>, ApiError> {
    let scope = scope_by_code(&state, &q.scope)?;
    let f = figures(&state, scope.id).await?;
    let p = f.pairs();
    let v = |name: &str| p.iter().find(|(n, _)| *n == name).map_or(0, |(_, v)| *v);
    Ok(Json(NetworkFiguresJson {
        organizations: v("organizations"),
        organizations_active: v("organizations_active"),
        organizations_verified: v("organizations_verified"),
        residents_trained: v("residents_trained"),
        training_hours: v("training_hours"),
        bookings_approved: v("bookings_approved"),
        booked_hours: v("booked_hours"),
        events: v("events"),
        grants_awarded: v("grants_awarded"),
        grants_amount: v("grants_amount"),
        grants_completed: v("grants_completed"),
        scope_code: scope.code,
    }))
}
