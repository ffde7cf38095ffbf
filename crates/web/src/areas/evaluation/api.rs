//! `/api/v1` for the evaluation: a scope's tracked projects (with the scopes below it) and the trace of
//! any object from its origin to its outcome. Every handler calls the area's services, as the pages do.
use axum::Json;
use axum::extract::State;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::service::{trace as tracing, tracking};
use crate::AppState;
use crate::http::error::ErrorBody;
use crate::http::{ApiError, ApiQuery};

#[derive(Serialize, ToSchema)]
pub struct TrackedProjectJson {
    pub id: i64,
    pub scope_code: String,
    pub year: i64,
    pub title: String,
    /// `planned`, `in_progress`, `delayed`, `completed` or `cancelled`.
    pub status: &'static str,
    /// Percent, from the last verified update.
    pub progress: i64,
    /// Won.
    pub budget: i64,
    pub spent: i64,
    /// `budget_project` or `plan_project`, when it was created from one.
    pub origin_kind: Option<String>,
    pub origin_id: Option<i64>,
    pub parent_id: Option<i64>,
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ScopeQuery {
    /// The scope's code (MOIS code: `11110` for Jongno-gu).
    pub scope: String,
}

#[utoipa::path(get, path = "/tracked-projects", tag = "evaluation", operation_id = "list_tracked_projects",
    params(ScopeQuery),
    responses((status = 200, body = [TrackedProjectJson], description = "tracked projects of the scope and the scopes below it")))]
pub async fn tracked_projects(
    State(state): State<AppState>,
    ApiQuery(q): ApiQuery<ScopeQuery>,
) -> Result<Json<Vec<TrackedProjectJson>>, ApiError> {
    let v = tracking::list(&state, &q.scope).await?;
    let tree = state.scopes();
    Ok(Json(
        v.projects
            .into_iter()
            .map(|p| TrackedProjectJson {
                id: p.id,
                scope_code: tree
                    .get(p.scope_id)
                    .map(|s| s.code.clone())
                    .unwrap_or_default(),
                year: p.year,
                status: p.status.as_str(),
                progress: p.progress,
                budget: p.budget,
                spent: p.spent,
                origin_kind: p.origin_kind,
                origin_id: p.origin_id,
                parent_id: p.parent_id,
                title: p.title,
            })
            .collect(),
    ))
}

#[derive(Serialize, ToSchema)]
pub struct TraceStepJson {
    /// `proposal`, `agenda_item`, `referral`, `motion`, `plan`, `plan_project`, `budget_process`,
    /// `budget_project`, `organization`, `grant_application`, `tracked_project`, `milestone`, `indicator`
    /// or `evaluation`.
    pub kind: &'static str,
    pub id: i64,
    pub title: String,
    pub scope_code: Option<String>,
    /// Unix seconds.
    pub at: i64,
}

#[derive(Serialize, ToSchema)]
pub struct TraceJson {
    /// From the origin to the outcome.
    pub steps: Vec<TraceStepJson>,
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TraceQuery {
    /// The object's kind: `proposal`, `agenda_item`, `motion`, `plan_project`, `budget_project`,
    /// `grant_application`, `tracked_project`, `indicator` or `evaluation`.
    pub kind: String,
    pub id: i64,
}

#[utoipa::path(get, path = "/trace", tag = "evaluation", operation_id = "trace",
    params(TraceQuery),
    responses((status = 200, body = TraceJson, description = "the object's trace from its origin to its outcome"),
        (status = 404, description = "no such object"),
        (status = 422, description = "`kind` names no traceable kind (`fields` says so)", body = ErrorBody)))]
pub async fn trace(
    State(state): State<AppState>,
    ApiQuery(q): ApiQuery<TraceQuery>,
) -> Result<Json<TraceJson>, ApiError> {
    let steps = tracing::trace(&state, &q.kind, q.id).await?;
    Ok(Json(TraceJson {
        steps: steps
            .into_iter()
            .map(|s| TraceStepJson {
                kind: s.kind,
                id: s.id,
                scope_code: s.scope.map(|s| s.code),
                at: s.at,
                title: s.title,
            })
            .collect(),
    }))
}
