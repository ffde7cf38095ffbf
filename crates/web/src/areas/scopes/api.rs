//! `/api/v1/scopes`: the city's structure.
use axum::Json;
use axum::extract::State;
use maeul_domain::{Scope, ScopeTree};
use serde::Serialize;
use utoipa::ToSchema;

use crate::AppState;
use crate::http::error::ErrorBody;
use crate::http::{ApiError, ApiPath};

/// A scope of the city: the city itself, a district (gu) or a neighbourhood (administrative dong).
#[derive(Serialize, ToSchema)]
pub struct ScopeJson {
    /// Official code (MOIS 행정기관코드: 2 digits city, 5 district, 10 neighbourhood).
    pub code: String,
    /// `city`, `district` or `neighbourhood`.
    pub kind: &'static str,
    pub name_ko: String,
    pub name_en: String,
    /// Code of the parent scope; null for the city.
    pub parent_code: Option<String>,
}

impl ScopeJson {
    fn new(tree: &ScopeTree, s: &Scope) -> Self {
        ScopeJson {
            code: s.code.clone(),
            kind: s.kind.as_str(),
            name_ko: s.name_ko.clone(),
            name_en: s.name_en.clone(),
            parent_code: tree.parent(s).map(|p| p.code.clone()),
        }
    }
}

/// A scope with its children.
#[derive(Serialize, ToSchema)]
pub struct ScopeDetail {
    #[serde(flatten)]
    pub scope: ScopeJson,
    pub children: Vec<ScopeJson>,
}

/// Every scope of the city, ordered by code.
#[utoipa::path(get, path = "/scopes", tag = "scopes", operation_id = "list_scopes", responses((status = 200, body = [ScopeJson])))]
pub async fn list(State(state): State<AppState>) -> Json<Vec<ScopeJson>> {
    let tree = state.scopes();
    Json(
        tree.all()
            .iter()
            .map(|s| ScopeJson::new(&tree, s))
            .collect(),
    )
}

/// One scope and its children.
#[utoipa::path(get, path = "/scopes/{code}", tag = "scopes", operation_id = "get_scope",
    params(("code" = String, Path, description = "official scope code")),
    responses((status = 200, body = ScopeDetail), (status = 404, body = ErrorBody)))]
pub async fn one(
    State(state): State<AppState>,
    ApiPath(code): ApiPath<String>,
) -> Result<Json<ScopeDetail>, ApiError> {
    let tree = state.scopes();
    let scope = tree.by_code(&code).ok_or_else(ApiError::not_found)?;
    Ok(Json(ScopeDetail {
        scope: ScopeJson::new(&tree, scope),
        children: tree
            .children(scope.id)
            .map(|c| ScopeJson::new(&tree, c))
            .collect(),
    }))
}
