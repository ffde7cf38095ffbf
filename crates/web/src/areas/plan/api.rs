//! `/api/v1` for the innovation plan: a scope's agenda items with their whole referral path, one item,
//! a scope's plan for a year (state, revision count, projects with their items and budget lines), and a
//! plan's frozen revisions; with a bearer token, proposing an item and the holding and receiving levels'
//! actions (screen and the other steps, refer up or down with a reason, accept or return a referral).
//! Every handler calls the area's services, as the pages do; refusals keep their stable codes.
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use maeul_db::plan::{ItemRow, ReferralRow};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::service::{assembly, items, plans};
use crate::AppState;
use crate::http::{ApiCaller, ApiError, ApiJson, ApiPath, ApiQuery, ServiceError};
use maeul_domain::Refusal;
use maeul_domain::account::FieldError;

#[derive(Serialize, ToSchema)]
pub struct PlanReferralJson {
    /// The scope code it was referred from.
    pub from: String,
    /// The scope code it was referred to.
    pub to: String,
    /// `up` (to the parent) or `down` (to a child).
    pub direction: &'static str,
    pub reason: String,
    /// `pending`, `accepted` or `returned`.
    pub outcome: &'static str,
    /// Why it was returned (empty otherwise).
    pub answer_reason: String,
    /// Unix seconds.
    pub referred_at: i64,
    pub answered_at: Option<i64>,
}

#[derive(Serialize, ToSchema)]
pub struct PlanItemJson {
    pub id: i64,
    /// Where the item is now (the level that holds it).
    pub scope_code: String,
    /// Where it was found.
    pub origin_scope_code: String,
    /// `proposed`, `accepted`, `under_deliberation`, `prioritised`, `adopted`, `rejected`, `declined`,
    /// `merged`.
    pub state: &'static str,
    pub title: String,
    pub body: String,
    /// `resident`, `resident_council`, `committee_member`, `staff` or `proposal`.
    pub proposer_kind: &'static str,
    /// The public-sphere proposal it was promoted from.
    pub proposal_id: Option<i64>,
    /// The carried motion that adopted it.
    pub adopted_motion_id: Option<i64>,
    pub merged_into: Option<i64>,
    /// Why it was declined or rejected.
    pub state_reason: String,
    /// The whole referral path, in order.
    pub referrals: Vec<PlanReferralJson>,
}

fn code(state: &AppState, id: i64) -> String {
    state
        .scopes()
        .get(id)
        .map(|s| s.code.clone())
        .unwrap_or_default()
}

fn item_json(state: &AppState, item: ItemRow, referrals: &[ReferralRow]) -> PlanItemJson {
    PlanItemJson {
        id: item.id,
        scope_code: code(state, item.scope_id),
        origin_scope_code: code(state, item.origin_scope_id),
        state: item.state.as_str(),
        proposer_kind: item.proposer_kind.as_str(),
        proposal_id: item.proposal_id,
        adopted_motion_id: item.adopted_motion_id,
        merged_into: item.merged_into,
        referrals: referrals
            .iter()
            .filter(|r| r.item_id == item.id)
            .map(|r| PlanReferralJson {
                from: code(state, r.from_scope_id),
                to: code(state, r.to_scope_id),
                direction: r.direction.as_str(),
                reason: r.reason.clone(),
                outcome: r.outcome.as_str(),
                answer_reason: r.answer_reason.clone(),
                referred_at: r.referred_at,
                answered_at: r.answered_at,
            })
            .collect(),
        title: item.title,
        body: item.body,
        state_reason: item.state_reason,
    }
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ScopeQuery {
    /// The scope's code (MOIS code: `11110` for Jongno-gu).
    pub scope: String,
}

#[utoipa::path(get, path = "/agenda-items", tag = "plan", operation_id = "list_agenda_items",
    params(ScopeQuery),
    responses((status = 200, body = [PlanItemJson], description = "items found in, held by, or referred to or from the scope")))]
pub async fn list_items(
    State(state): State<AppState>,
    ApiQuery(q): ApiQuery<ScopeQuery>,
) -> Result<Json<Vec<PlanItemJson>>, ApiError> {
    let v = items::list(&state, None, &q.scope).await?;
    Ok(Json(
        v.items
            .into_iter()
            .map(|i| item_json(&state, i, &v.referrals))
            .collect(),
    ))
}

#[utoipa::path(get, path = "/agenda-items/{id}", tag = "plan", operation_id = "get_agenda_item",
    params(("id" = i64, Path)), responses((status = 200, body = PlanItemJson)))]
pub async fn one_item(
    State(state): State<AppState>,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<PlanItemJson>, ApiError> {
    let v = items::view(&state, None, id).await?;
    Ok(Json(item_json(&state, v.item, &v.referrals)))
}

#[derive(Deserialize, ToSchema)]
pub struct NewPlanItemJson {
    /// The scope's code where the item is found (its origin and first holder).
    pub scope: String,
    pub title: String,
    #[serde(default)]
    pub body: String,
    /// Staff only: the public-sphere proposal of the scope this item is promoted from.
    #[serde(default)]
    pub proposal_id: Option<i64>,
}

/// The item as it is now (after the write).
async fn item_now(state: &AppState, id: i64) -> Result<Json<PlanItemJson>, ApiError> {
    let v = items::view(state, None, id).await?;
    Ok(Json(item_json(state, v.item, &v.referrals)))
}

#[utoipa::path(post, path = "/agenda-items", tag = "plan", operation_id = "propose_agenda_item",
    security(("bearer" = [])), request_body = NewPlanItemJson,
    responses((status = 201, body = PlanItemJson, description = "the new item, proposed where it was found")))]
pub async fn propose_item(
    State(state): State<AppState>,
    api: ApiCaller,
    ApiJson(body): ApiJson<NewPlanItemJson>,
) -> Result<(StatusCode, Json<PlanItemJson>), ApiError> {
    let proposal = body.proposal_id.map(|p| p.to_string()).unwrap_or_default();
    let input = items::ItemInput {
        title: &body.title,
        body: &body.body,
        proposal: &proposal,
    };
    let id = items::propose(&state, Some(&api.caller), &body.scope, &input).await?;
    Ok((StatusCode::CREATED, item_now(&state, id).await?))
}

#[derive(Deserialize, ToSchema)]
pub struct PlanItemStepJson {
    /// `accept`, `decline` (screening, with a reason), `merge` (with `into`), `deliberate`, `prioritise`,
    /// `adopt` (with a carried motion of the holder's committee), `reject` (with a reason).
    pub event: String,
    #[serde(default)]
    pub reason: String,
    /// The carried motion that adopts the item.
    #[serde(default)]
    pub motion_id: Option<i64>,
    /// The open item of the same holder it is merged into.
    #[serde(default)]
    pub into: Option<i64>,
}

#[utoipa::path(post, path = "/agenda-items/{id}/steps", tag = "plan", operation_id = "step_agenda_item",
    security(("bearer" = [])), params(("id" = i64, Path)), request_body = PlanItemStepJson,
    responses((status = 200, body = PlanItemJson, description = "the item after the step")))]
pub async fn step_item(
    State(state): State<AppState>,
    api: ApiCaller,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<PlanItemStepJson>,
) -> Result<Json<PlanItemJson>, ApiError> {
    let motion = body.motion_id.map(|m| m.to_string()).unwrap_or_default();
    let into = body.into.map(|m| m.to_string()).unwrap_or_default();
    let input = items::StepInput {
        event: &body.event,
        reason: &body.reason,
        motion: &motion,
        into: &into,
    };
    items::step(&state, Some(&api.caller), id, &input).await?;
    item_now(&state, id).await
}

#[derive(Deserialize, ToSchema)]
pub struct PlanReferralRequestJson {
    /// The code of the scope it is referred to: the holder's parent (`up`) or one of its children (`down`).
    pub to: String,
    /// Why (required).
    pub reason: String,
}

#[utoipa::path(post, path = "/agenda-items/{id}/referrals", tag = "plan", operation_id = "refer_agenda_item",
    security(("bearer" = [])), params(("id" = i64, Path)), request_body = PlanReferralRequestJson,
    responses((status = 201, body = PlanItemJson, description = "the item, its referral pending")))]
pub async fn refer_item(
    State(state): State<AppState>,
    api: ApiCaller,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<PlanReferralRequestJson>,
) -> Result<(StatusCode, Json<PlanItemJson>), ApiError> {
    items::refer(&state, Some(&api.caller), id, &body.to, &body.reason).await?;
    Ok((StatusCode::CREATED, item_now(&state, id).await?))
}

#[derive(Deserialize, ToSchema)]
pub struct PlanReferralAnswerJson {
    /// `accept` (the receiving level holds the item) or `return` (with a reason: back to the sender).
    pub answer: String,
    #[serde(default)]
    pub reason: String,
}

#[utoipa::path(post, path = "/agenda-items/{id}/referral-answer", tag = "plan",
    operation_id = "answer_agenda_item_referral", security(("bearer" = [])), params(("id" = i64, Path)),
    request_body = PlanReferralAnswerJson,
    responses((status = 200, body = PlanItemJson, description = "the item after the answer")))]
pub async fn answer_referral(
    State(state): State<AppState>,
    api: ApiCaller,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<PlanReferralAnswerJson>,
) -> Result<Json<PlanItemJson>, ApiError> {
    let accept = match body.answer.trim() {
        "accept" => true,
        "return" => false,
        _ => {
            return Err(ServiceError::from(Refusal::field("answer", FieldError::Invalid)).into());
        }
    };
    items::answer(&state, Some(&api.caller), id, accept, &body.reason).await?;
    item_now(&state, id).await
}

#[derive(Serialize, ToSchema)]
pub struct PlanBudgetLineJson {
    /// `city_grant`, `own_funds` or `pb_envelope`.
    pub source: &'static str,
    /// Won.
    pub amount: i64,
}

#[derive(Serialize, ToSchema)]
pub struct PlanIndicatorJson {
    pub name: String,
    /// Filled by the evaluation capability.
    pub target: Option<String>,
    pub result: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct PlanProjectJson {
    pub id: i64,
    pub title: String,
    pub objective: String,
    pub lead_department: String,
    pub partners: String,
    pub schedule: String,
    /// The adopted agenda items this project comes from.
    pub agenda_item_ids: Vec<i64>,
    pub budget_lines: Vec<PlanBudgetLineJson>,
    pub indicators: Vec<PlanIndicatorJson>,
}

#[derive(Serialize, ToSchema)]
pub struct PlanSectionJson {
    /// `base`, `projects`, `next_year`, `evaluation`, `budget`.
    pub kind: &'static str,
    pub body: String,
}

#[derive(Serialize, ToSchema)]
pub struct PlanJson {
    pub id: i64,
    pub scope_code: String,
    pub year: i64,
    /// First year of the 3-year basic plan this yearly plan belongs to.
    pub basic_plan_start: i64,
    pub title: String,
    /// `drafting`, `committee_resolved`, `submitted`, `in_consultation`, `revising`, `approved`,
    /// `executing`, `closing`, `evaluated`, `archived`.
    pub state: &'static str,
    /// The carried motion that resolved the plan.
    pub resolved_motion_id: Option<i64>,
    /// Won granted on approval.
    pub granted_amount: Option<i64>,
    /// How many frozen revisions were submitted.
    pub revisions: usize,
    pub sections: Vec<PlanSectionJson>,
    pub projects: Vec<PlanProjectJson>,
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PlanQuery {
    /// The scope's code (a district or a neighbourhood).
    pub scope: String,
    /// The plan's year.
    pub year: i64,
}

#[utoipa::path(get, path = "/plans", tag = "plan", operation_id = "get_plan",
    params(PlanQuery), responses((status = 200, body = PlanJson)))]
pub async fn plan(
    State(state): State<AppState>,
    ApiQuery(q): ApiQuery<PlanQuery>,
) -> Result<Json<PlanJson>, ApiError> {
    let row = plans::find(&state, &q.scope, q.year).await?;
    let v = plans::view(&state, None, row.id).await?;
    Ok(Json(PlanJson {
        id: v.plan.id,
        scope_code: v.scope.code.clone(),
        year: v.plan.year,
        basic_plan_start: v.plan.basic_plan_start,
        state: v.plan.state.as_str(),
        resolved_motion_id: v.plan.resolved_motion_id,
        granted_amount: v.plan.granted_amount,
        revisions: v.revisions.len(),
        sections: v
            .sections
            .into_iter()
            .map(|s| PlanSectionJson {
                kind: s.kind.as_str(),
                body: s.body,
            })
            .collect(),
        projects: v
            .projects
            .into_iter()
            .map(|p| PlanProjectJson {
                id: p.project.id,
                agenda_item_ids: p.items.iter().map(|i| i.id).collect(),
                budget_lines: p
                    .lines
                    .iter()
                    .map(|l| PlanBudgetLineJson {
                        source: l.source.as_str(),
                        amount: l.amount,
                    })
                    .collect(),
                indicators: p
                    .indicators
                    .into_iter()
                    .map(|x| PlanIndicatorJson {
                        name: x.name,
                        target: x.target,
                        result: x.result,
                    })
                    .collect(),
                title: p.project.title,
                objective: p.project.objective,
                lead_department: p.project.lead_department,
                partners: p.project.partners,
                schedule: p.project.schedule,
            })
            .collect(),
        title: v.plan.title,
    }))
}

#[derive(Serialize, ToSchema)]
pub struct PlanRevisionJson {
    pub number: i64,
    /// Unix seconds.
    pub submitted_at: i64,
    /// The plan as submitted, one fact per line (immutable).
    pub snapshot: String,
}

#[utoipa::path(get, path = "/plans/{id}/revisions", tag = "plan", operation_id = "list_plan_revisions",
    params(("id" = i64, Path)), responses((status = 200, body = [PlanRevisionJson])))]
pub async fn revisions(
    State(state): State<AppState>,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<Vec<PlanRevisionJson>>, ApiError> {
    let v = plans::view(&state, None, id).await?;
    Ok(Json(
        v.revisions
            .into_iter()
            .map(|r| PlanRevisionJson {
                number: r.number,
                submitted_at: r.submitted_at,
                snapshot: r.snapshot,
            })
            .collect(),
    ))
}

#[derive(Serialize, ToSchema)]
pub struct AssemblyItemJson {
    /// The agenda item's id.
    pub item_id: i64,
    pub title: String,
    /// Online and paper votes (`null` until the results are published).
    pub pre_yes: Option<i64>,
    pub pre_no: Option<i64>,
    /// Votes cast at the session, added to the pre-votes.
    pub on_site_yes: Option<i64>,
    pub on_site_no: Option<i64>,
    /// Borda points of the residents' preference orders.
    pub points: Option<i64>,
    /// Carried by a majority of the yes/no votes.
    pub passed: Option<bool>,
}

#[derive(Serialize, ToSchema)]
pub struct AssemblyJson {
    pub id: i64,
    pub scope_code: String,
    pub year: i64,
    pub title: String,
    /// `drafting`, `pre_consultation`, `agenda_fixed`, `pre_voting`, `in_session`, `results_published`,
    /// `plan_adopted`.
    pub state: &'static str,
    /// Unix seconds.
    pub held_at: i64,
    /// The autonomy plan the assembly adopts.
    pub plan_id: Option<i64>,
    /// Ballots by channel (online and paper pre-votes, on site).
    pub ballots_online: i64,
    pub ballots_paper: i64,
    pub ballots_on_site: i64,
    pub attendance: usize,
    /// The agenda in order, with the results once published.
    pub agenda: Vec<AssemblyItemJson>,
}

#[utoipa::path(get, path = "/assemblies", tag = "plan", operation_id = "list_assemblies",
    params(ScopeQuery),
    responses((status = 200, body = [AssemblyJson], description = "a neighbourhood's residents' general assemblies, the latest year first")))]
pub async fn assemblies(
    State(state): State<AppState>,
    ApiQuery(q): ApiQuery<ScopeQuery>,
) -> Result<Json<Vec<AssemblyJson>>, ApiError> {
    let list = assembly::list(&state, None, &q.scope).await?;
    let mut out = vec![];
    for a in list.assemblies {
        let v = assembly::view(&state, None, a.id).await?;
        let shown = v.results_visible;
        out.push(AssemblyJson {
            id: a.id,
            scope_code: v.scope.code.clone(),
            year: a.year,
            state: a.state.as_str(),
            held_at: a.held_at,
            plan_id: a.plan_id,
            ballots_online: v.results.online,
            ballots_paper: v.results.paper,
            ballots_on_site: v.results.on_site,
            attendance: v.attendance.len(),
            agenda: v
                .agenda
                .iter()
                .map(|i| {
                    let r = v
                        .results
                        .items
                        .iter()
                        .find(|r| r.item == i.item_id)
                        .filter(|_| shown);
                    AssemblyItemJson {
                        item_id: i.item_id,
                        title: i.title.clone(),
                        pre_yes: r.map(|r| r.pre_yes),
                        pre_no: r.map(|r| r.pre_no),
                        on_site_yes: r.map(|r| r.on_site_yes),
                        on_site_no: r.map(|r| r.on_site_no),
                        points: r.map(|r| r.points),
                        passed: r.map(|r| r.passed()),
                    }
                })
                .collect(),
            title: a.title,
        });
    }
    Ok(Json(out))
}
