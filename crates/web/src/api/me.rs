//! `/api/v1/me`: the account behind the token.
use axum::Json;
use axum::extract::State;
use serde::Serialize;
use utoipa::ToSchema;

use crate::AppState;
use crate::api::ApiUser;
use crate::error::{ApiError, ErrorBody};

#[derive(Serialize, ToSchema)]
pub struct RoleJson {
    /// `resident`, `committee_member`, `official`, `support_staff`, `evaluator`, `moderator` or `administrator`.
    pub role: &'static str,
    /// The scope the role is held in (it reaches every scope below).
    pub scope_code: String,
}

#[derive(Serialize, ToSchema)]
pub struct ResidencyJson {
    pub scope_code: String,
    /// `pending`, `verified`, `rejected` or `revoked`.
    pub status: String,
    /// `resident`, `worker`, `student`, `business` or `foreigner`.
    pub basis: String,
}

#[derive(Serialize, ToSchema)]
pub struct MeJson {
    pub id: i64,
    pub email: String,
    pub display_name: String,
    /// Preferred language, `ko` or `en`.
    pub lang: String,
    pub roles: Vec<RoleJson>,
    pub residency: Option<ResidencyJson>,
}

/// The signed-in account, its roles and its residence.
#[utoipa::path(get, path = "/api/v1/me", tag = "accounts", security(("bearer" = [])),
    responses((status = 200, body = MeJson), (status = 401, body = ErrorBody)))]
pub async fn me(State(state): State<AppState>, api: ApiUser) -> Result<Json<MeJson>, ApiError> {
    let tree = state.scopes();
    let code = |id: i64| tree.get(id).map(|s| s.code.clone()).unwrap_or_default();
    let grants = state.db.grants_of(api.user.id).await?;
    let residency = state.db.residency_of(api.user.id).await?;
    Ok(Json(MeJson {
        id: api.user.id,
        email: api.user.email,
        display_name: api.user.display_name,
        lang: api.user.lang,
        roles: grants
            .iter()
            .map(|g| RoleJson {
                role: g.role.as_str(),
                scope_code: code(g.scope_id),
            })
            .collect(),
        residency: residency.map(|r| ResidencyJson {
            scope_code: code(r.scope_id),
            status: r.status,
            basis: r.basis,
        }),
    }))
}
