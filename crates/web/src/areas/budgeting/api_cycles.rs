//! `/api/v1` for the budget's money: yearly cycles and the envelopes handed down city → district →
//! neighbourhood, each with the formula terms that made it and what happens to money not awarded.
use axum::Json;
use axum::extract::State;
use maeul_db::budget::EnvelopeRow;
use serde::Serialize;
use utoipa::ToSchema;

use crate::AppState;
use crate::http::{ApiError, ApiPath, ServiceError};

#[derive(Serialize, ToSchema)]
pub struct CycleJson {
    pub id: i64,
    /// The scope whose total the cycle splits (the city).
    pub scope_code: String,
    pub year: i64,
    /// The total, in won.
    pub total: i64,
}

/// Budget cycles, newest year first.
#[utoipa::path(get, path = "/budget-cycles", tag = "budget", operation_id = "list_budget_cycles",
    responses((status = 200, body = [CycleJson])))]
pub async fn cycles(State(state): State<AppState>) -> Result<Json<Vec<CycleJson>>, ApiError> {
    let tree = state.scopes();
    Ok(Json(
        state
            .db
            .cycles()
            .await
            .map_err(ServiceError::from)?
            .into_iter()
            .filter_map(|c| {
                tree.get(c.scope_id).map(|s| CycleJson {
                    id: c.id,
                    scope_code: s.code.clone(),
                    year: c.year,
                    total: c.total,
                })
            })
            .collect(),
    ))
}

/// What each term of the parent's formula gave an envelope, in won.
#[derive(Serialize, ToSchema)]
pub struct TermsJson {
    pub base: i64,
    pub population: i64,
    pub need: i64,
    pub grade: i64,
}

#[derive(Serialize, ToSchema)]
pub struct EnvelopeJson {
    pub id: i64,
    pub scope_code: String,
    /// The envelope it was handed down from (none at the top).
    pub parent_id: Option<i64>,
    /// The amount received, in won.
    pub amount: i64,
    /// The part the scope keeps for its own projects once split (the whole amount before).
    pub own_amount: i64,
    pub terms: TermsJson,
    /// What happens to money not awarded: `return` (up to the parent) or `carry_over`.
    pub unawarded: String,
    /// Money not awarded that children returned up to it, and money carried over to the next cycle.
    pub returned_in: i64,
    pub carried_over: i64,
}

fn envelope_json(e: EnvelopeRow, scope_code: String) -> EnvelopeJson {
    EnvelopeJson {
        id: e.id,
        scope_code,
        parent_id: e.parent_id,
        amount: e.amount,
        own_amount: e.own(),
        terms: TermsJson {
            base: e.term_base,
            population: e.term_population,
            need: e.term_need,
            grade: e.term_grade,
        },
        returned_in: e.returned_in,
        carried_over: e.carried_over,
        unawarded: e.unawarded,
    }
}

/// A cycle's envelopes: the top first, then each level by scope.
#[utoipa::path(get, path = "/budget-cycles/{id}/envelopes", tag = "budget",
    operation_id = "list_budget_envelopes", params(("id" = i64, Path)),
    responses((status = 200, body = [EnvelopeJson]), (status = 404, body = crate::http::error::ErrorBody)))]
pub async fn envelopes(
    State(state): State<AppState>,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<Vec<EnvelopeJson>>, ApiError> {
    state
        .db
        .cycle(id)
        .await
        .map_err(ServiceError::from)?
        .ok_or(ServiceError::NotFound)?;
    let tree = state.scopes();
    Ok(Json(
        state
            .db
            .envelopes_of_cycle(id)
            .await
            .map_err(ServiceError::from)?
            .into_iter()
            .filter_map(|e| {
                let code = tree.get(e.scope_id)?.code.clone();
                Some(envelope_json(e, code))
            })
            .collect(),
    ))
}
