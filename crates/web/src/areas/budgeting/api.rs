//! `/api/v1` for the budget: processes, their projects, casting a ballot (bearer token) and the stored
//! result. Every handler calls the area's service, as the pages do.
use std::collections::BTreeMap;

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use maeul_db::budget::{ProcessRow, ProjectRow};
use maeul_domain::Refusal;
use maeul_domain::budget::{BallotKind, BallotProblem, BudgetRefusal, StoredBallot};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::service;
use crate::AppState;
use crate::http::error::ErrorBody;
use crate::http::{ApiCaller, ApiError, ApiJson, ApiPath, ServiceError};

#[derive(Serialize, ToSchema)]
pub struct BudgetJson {
    pub id: i64,
    pub scope_code: String,
    pub title: String,
    /// The phase: `configured`, `proposals_open`, `department_review`, `committee_deliberation`,
    /// `ballot_fixed`, `voting_open`, `voting_closed`, `tallied`, `approved`, `implementing`, `completed`,
    /// `cancelled`.
    pub state: &'static str,
    /// The amount to award, in won.
    pub envelope: i64,
    /// The engine's counting rule (`greedy_cost`, `mes_cost`, `mes_cost_add1`, …).
    pub rule: String,
    /// `approval`, `knapsack`, `cumulative` or `ranking`.
    pub ballot_kind: &'static str,
    /// Fewest and most projects a ballot names (0: no limit).
    pub min_projects: i64,
    pub max_projects: i64,
    /// Points to spread on a cumulative ballot.
    pub points: i64,
}

fn budget_json(p: ProcessRow, scope_code: String) -> BudgetJson {
    BudgetJson {
        id: p.id,
        scope_code,
        state: p.phase.as_str(),
        envelope: p.budget,
        rule: p.rule,
        ballot_kind: p.ballot_kind.as_str(),
        min_projects: p.min_projects,
        max_projects: p.max_projects,
        points: p.points,
        title: p.title,
    }
}

/// Participatory-budgeting processes, newest first.
#[utoipa::path(get, path = "/budgets", tag = "budget", operation_id = "list_budgets",
    responses((status = 200, body = [BudgetJson])))]
pub async fn list(State(state): State<AppState>) -> Result<Json<Vec<BudgetJson>>, ApiError> {
    Ok(Json(
        service::list(&state)
            .await?
            .into_iter()
            .map(|(p, s)| budget_json(p, s.code))
            .collect(),
    ))
}

#[derive(Serialize, ToSchema)]
pub struct BudgetProjectJson {
    pub id: i64,
    pub title: String,
    /// Cost in won (the reviewed estimate once reviewed).
    pub cost: i64,
    /// `submitted`, `feasible`, `infeasible`, `shortlisted`, `not_shortlisted`, `withdrawn`.
    pub state: &'static str,
    pub category: String,
    pub location: String,
    pub description: String,
}

fn project_json(p: ProjectRow) -> BudgetProjectJson {
    BudgetProjectJson {
        id: p.id,
        cost: p.cost,
        state: p.state.as_str(),
        title: p.title,
        category: p.category,
        location: p.location,
        description: p.description,
    }
}

/// A process's projects: those on the ballot once it is fixed, before that every project not withdrawn.
#[utoipa::path(get, path = "/budgets/{id}/projects", tag = "budget",
    operation_id = "list_budget_projects", params(("id" = i64, Path)),
    responses((status = 200, body = [BudgetProjectJson])))]
pub async fn projects(
    State(state): State<AppState>,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<Vec<BudgetProjectJson>>, ApiError> {
    let (process, _) = service::load(&state, id).await?;
    Ok(Json(
        service::public_projects(&state, &process)
            .await?
            .into_iter()
            .map(project_json)
            .collect(),
    ))
}

/// A ballot: `projects` (approval, knapsack), `points` (cumulative: project id → points) or `ranking`
/// (most preferred first). Exactly one of them.
#[derive(Deserialize, ToSchema)]
pub struct BallotRequest {
    pub projects: Option<Vec<i64>>,
    pub points: Option<BTreeMap<String, u32>>,
    pub ranking: Option<Vec<i64>>,
}

#[derive(Serialize, ToSchema)]
pub struct BallotReceipt {
    /// 1 for a first ballot; each replacement adds one (the latest counts).
    pub revision: i64,
}

fn ballot_refusal(problem: BallotProblem) -> ServiceError {
    ServiceError::Refused(Refusal::Budget(BudgetRefusal::Ballot(problem)))
}

/// The ballot in the request, in the form the process takes.
fn read_ballot(kind: BallotKind, body: BallotRequest) -> Result<StoredBallot, ServiceError> {
    match (kind, body.projects, body.points, body.ranking) {
        (BallotKind::Approval | BallotKind::Knapsack, Some(ids), None, None)
        | (BallotKind::Ranking, None, None, Some(ids)) => Ok(StoredBallot::Projects(ids)),
        (BallotKind::Cumulative, None, Some(points), None) => points
            .into_iter()
            .map(|(k, v)| {
                k.trim()
                    .parse::<i64>()
                    .map(|id| (id, v))
                    .map_err(|_| ballot_refusal(BallotProblem::UnknownProject { project: k }))
            })
            .collect::<Result<Vec<_>, _>>()
            .map(StoredBallot::Points),
        (_, None, None, None) => Err(ballot_refusal(BallotProblem::Empty)),
        _ => Err(ballot_refusal(BallotProblem::WrongKind)),
    }
}

/// Casts or replaces the token holder's ballot (verified residents of the process's scope, while voting
/// is open). Checked by the counting engine's own ballot rules; a refusal names the broken constraint.
#[utoipa::path(post, path = "/budgets/{id}/ballot", tag = "budget", operation_id = "cast_budget_ballot",
    security(("bearer" = [])), params(("id" = i64, Path)), request_body = BallotRequest,
    responses((status = 201, body = BallotReceipt)))]
pub async fn cast(
    State(state): State<AppState>,
    api: ApiCaller,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<BallotRequest>,
) -> Result<(StatusCode, Json<BallotReceipt>), ApiError> {
    let (process, _) = service::load(&state, id).await?;
    let ballot = read_ballot(process.ballot_kind, body)?;
    let revision = service::cast(&state, Some(&api.caller), id, &ballot).await?;
    Ok((StatusCode::CREATED, Json(BallotReceipt { revision })))
}

#[derive(Serialize, ToSchema)]
pub struct BudgetResultJson {
    pub rule: String,
    /// Funded project ids, in the order the rule selected them.
    pub selected: Vec<i64>,
    pub total_cost: i64,
    /// The budget not awarded.
    pub leftover: i64,
    pub ballots: i64,
    pub tallied_at: i64,
    /// The engine's explanation of every project's fate.
    #[schema(value_type = Object)]
    pub explanation: serde_json::Value,
}

/// The stored result of a tallied process (409 `no_result` before).
#[utoipa::path(get, path = "/budgets/{id}/result", tag = "budget", operation_id = "get_budget_result",
    params(("id" = i64, Path)), responses((status = 200, body = BudgetResultJson),
        (status = 409, description = "Not counted yet (`no_result`)", body = ErrorBody)))]
pub async fn result(
    State(state): State<AppState>,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<BudgetResultJson>, ApiError> {
    let v = service::result(&state, id).await?;
    Ok(Json(BudgetResultJson {
        selected: v.result.selected_ids(),
        total_cost: v.result.total_cost,
        leftover: v.process.budget - v.result.total_cost,
        ballots: v.result.ballots,
        tallied_at: v.result.tallied_at,
        explanation: serde_json::from_str(&v.result.explanation).unwrap_or_default(),
        rule: v.result.rule,
    }))
}
