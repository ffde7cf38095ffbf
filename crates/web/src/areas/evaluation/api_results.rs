//! `/api/v1` for a tracked project's updates (list; submit with a bearer token, for verification by
//! someone else), a cycle's indicators (periods, achievement, breakdowns) and a scope's evaluations
//! (cycles with the rubric's scores, their spread and the grade), and a scope's surveys. Every handler
//! calls the area's services, as the pages do.
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::api::ScopeQuery;
use super::service::{cycles, surveys, tracking};
use crate::AppState;
use crate::http::error::ErrorBody;
use crate::http::{ApiCaller, ApiError, ApiJson, ApiPath, ApiQuery};

#[derive(Serialize, ToSchema)]
pub struct EvidenceJson {
    pub url: String,
    pub label: String,
}

#[derive(Serialize, ToSchema)]
pub struct UpdateJson {
    pub id: i64,
    /// `draft`, `submitted`, `returned` or `verified` (only verified updates count).
    pub state: &'static str,
    pub author: String,
    pub body: String,
    /// Percent.
    pub progress: i64,
    /// Won, when reported.
    pub spent: Option<i64>,
    /// The reviewer's comment when returned.
    pub comment: String,
    /// Unix seconds.
    pub created_at: i64,
    pub decided_at: Option<i64>,
    pub evidence: Vec<EvidenceJson>,
}

#[utoipa::path(get, path = "/tracked-projects/{id}/updates", tag = "evaluation", operation_id = "list_tracked_updates",
    params(("id" = i64, Path)), responses((status = 200, body = [UpdateJson], description = "the project's updates, oldest first"),
        (status = 404, description = "no such project")))]
pub async fn updates(
    State(state): State<AppState>,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<Vec<UpdateJson>>, ApiError> {
    let v = tracking::view(&state, None, id).await?;
    Ok(Json(
        v.updates
            .into_iter()
            .map(|u| UpdateJson {
                id: u.update.id,
                state: u.update.state.as_str(),
                author: u.update.author_name,
                body: u.update.body,
                progress: u.update.progress,
                spent: u.update.spent,
                comment: u.update.comment,
                created_at: u.update.created_at,
                decided_at: u.update.decided_at,
                evidence: u
                    .evidence
                    .into_iter()
                    .map(|e| EvidenceJson {
                        url: e.url,
                        label: e.label,
                    })
                    .collect(),
            })
            .collect(),
    ))
}

#[derive(Deserialize, ToSchema)]
pub struct NewUpdateJson {
    #[serde(default)]
    pub body: String,
    /// Percent, 0–100.
    #[serde(default)]
    pub progress: Option<i64>,
    /// Won spent so far.
    #[serde(default)]
    pub spent: Option<i64>,
    #[serde(default)]
    pub evidence_url: String,
    #[serde(default)]
    pub evidence_label: String,
}

#[derive(Serialize, ToSchema)]
pub struct UpdateCreated {
    pub id: i64,
    /// `submitted`: it waits for verification by other staff.
    pub state: &'static str,
}

#[utoipa::path(post, path = "/tracked-projects/{id}/updates", tag = "evaluation", operation_id = "submit_tracked_update",
    security(("bearer" = [])), params(("id" = i64, Path)), request_body = NewUpdateJson,
    responses((status = 201, body = UpdateCreated),
        (status = 403, description = "not staff of the project's scope", body = ErrorBody),
        (status = 422, description = "a field is refused (`body`, `progress`, `spent`, `evidence_url`)", body = ErrorBody)))]
pub async fn submit_update(
    State(state): State<AppState>,
    api: ApiCaller,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<NewUpdateJson>,
) -> Result<(StatusCode, Json<UpdateCreated>), ApiError> {
    let progress = body.progress.map(|p| p.to_string()).unwrap_or_default();
    let spent = body.spent.map(|s| s.to_string()).unwrap_or_default();
    let input = tracking::ReportInput {
        body: &body.body,
        progress: &progress,
        spent: &spent,
        evidence_url: &body.evidence_url,
        evidence_label: &body.evidence_label,
    };
    let id = tracking::report(&state, Some(&api.caller), id, &input).await?;
    Ok((
        StatusCode::CREATED,
        Json(UpdateCreated {
            id,
            state: "submitted",
        }),
    ))
}

#[derive(Serialize, ToSchema)]
pub struct PeriodJson {
    pub year: i64,
    pub target: Option<f64>,
    pub actual: Option<f64>,
}

#[derive(Serialize, ToSchema)]
pub struct BreakdownJson {
    /// `gender`, `age_band` or `neighbourhood`.
    pub dimension: &'static str,
    pub category: String,
    pub value: f64,
}

#[derive(Serialize, ToSchema)]
pub struct IndicatorJson {
    pub id: i64,
    pub code: String,
    pub name: String,
    /// `output`, `outcome` or `process`.
    pub level: &'static str,
    /// `number`, `percentage`, `ordinal` or `qualitative`.
    pub kind: &'static str,
    /// `higher` or `lower`.
    pub better: &'static str,
    /// `sum`, `average` or `none`.
    pub aggregation: &'static str,
    pub unit: String,
    pub project_id: Option<i64>,
    pub baseline_year: Option<i64>,
    pub baseline: Option<f64>,
    pub periods: Vec<PeriodJson>,
    /// How far the cycle year's actual went from the baseline to the target, in ‰.
    pub achievement_permille: Option<u64>,
    pub breakdown: Vec<BreakdownJson>,
}

#[utoipa::path(get, path = "/evaluation-cycles/{id}/indicators", tag = "evaluation", operation_id = "list_cycle_indicators",
    params(("id" = i64, Path)), responses((status = 200, body = [IndicatorJson]), (status = 404, description = "no such cycle")))]
pub async fn indicators(
    State(state): State<AppState>,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<Vec<IndicatorJson>>, ApiError> {
    let v = cycles::view(&state, None, id).await?;
    let (periods, breakdowns) = (v.periods, v.disaggregations);
    Ok(Json(
        v.indicators
            .into_iter()
            .map(|i| {
                let me = i.indicator.id;
                IndicatorJson {
                    id: me,
                    level: i.indicator.level.as_str(),
                    kind: i.indicator.kind.as_str(),
                    better: i.indicator.better.as_str(),
                    aggregation: i.indicator.aggregation.as_str(),
                    project_id: i.indicator.project_id,
                    baseline_year: i.indicator.baseline_year,
                    baseline: i.indicator.baseline(),
                    periods: periods
                        .iter()
                        .filter(|p| p.0 == me)
                        .map(|p| PeriodJson {
                            year: p.1,
                            target: p.2,
                            actual: p.3,
                        })
                        .collect(),
                    achievement_permille: i.achievement,
                    breakdown: breakdowns
                        .iter()
                        .filter(|d| d.indicator_id == me)
                        .map(|d| BreakdownJson {
                            dimension: d.dimension.as_str(),
                            category: d.category.clone(),
                            value: d.value(),
                        })
                        .collect(),
                    code: i.indicator.code,
                    name: i.indicator.name,
                    unit: i.indicator.unit,
                }
            })
            .collect(),
    ))
}

#[derive(Serialize, ToSchema)]
pub struct ScoreJson {
    pub evaluator: String,
    pub score: i64,
}

#[derive(Serialize, ToSchema)]
pub struct CriterionJson {
    pub criterion: String,
    pub weight: i64,
    pub max_score: i64,
    pub scores: Vec<ScoreJson>,
    /// The evaluators' lowest and highest scores and mean (‰ of the maximum), when scored.
    pub min: Option<i64>,
    pub max: Option<i64>,
    pub mean_permille: Option<u64>,
}

#[derive(Serialize, ToSchema)]
pub struct EvaluationJson {
    pub id: i64,
    pub scope_code: String,
    pub year: i64,
    /// `indicators_defined`, `measuring`, `self_assessed`, `external_review`, `graded`,
    /// `feedback_applied` or `published`.
    pub state: &'static str,
    /// `ga`, `na`, `da` or `ra` (가, 나, 다, 라) once graded.
    pub grade: Option<&'static str>,
    /// The formula's parts, in ‰: indicator achievement, rubric score, points.
    pub achievement_permille: Option<i64>,
    pub rubric_permille: Option<i64>,
    pub points_permille: Option<i64>,
    pub narrative: String,
    pub criteria: Vec<CriterionJson>,
    /// Ids of the residents' satisfaction surveys of the scope and year (evidence).
    pub survey_ids: Vec<i64>,
}

#[utoipa::path(get, path = "/evaluations", tag = "evaluation", operation_id = "list_evaluations",
    params(ScopeQuery), responses((status = 200, body = [EvaluationJson], description = "the evaluation cycles of the scope and the scopes below it, latest year first")))]
pub async fn evaluations(
    State(state): State<AppState>,
    ApiQuery(q): ApiQuery<ScopeQuery>,
) -> Result<Json<Vec<EvaluationJson>>, ApiError> {
    let list = cycles::list(&state, None, &q.scope).await?;
    let mut out = Vec::new();
    for c in list.cycles {
        let v = cycles::view(&state, None, c.id).await?;
        out.push(EvaluationJson {
            id: v.cycle.id,
            scope_code: v.scope.code.clone(),
            year: v.cycle.year,
            state: v.cycle.state.as_str(),
            grade: v.cycle.grade.0.map(|g| g.as_str()),
            achievement_permille: v.cycle.achievement,
            rubric_permille: v.cycle.rubric,
            points_permille: v.cycle.points,
            criteria: v
                .criteria
                .into_iter()
                .map(|c| CriterionJson {
                    min: c.spread.as_ref().map(|s| s.min),
                    max: c.spread.as_ref().map(|s| s.max),
                    mean_permille: c.spread.as_ref().map(|s| s.mean_permille),
                    scores: c
                        .scores
                        .into_iter()
                        .map(|s| ScoreJson {
                            evaluator: s.evaluator_name,
                            score: s.score,
                        })
                        .collect(),
                    criterion: c.criterion.criterion,
                    weight: c.criterion.weight,
                    max_score: c.criterion.max_score,
                })
                .collect(),
            survey_ids: v.surveys.iter().map(|s| s.survey.id).collect(),
            narrative: v.cycle.narrative,
        });
    }
    Ok(Json(out))
}

#[derive(Serialize, ToSchema)]
pub struct SurveySummaryJson {
    pub id: i64,
    pub scope_code: String,
    pub year: i64,
    pub title: String,
    /// `open` or `closed`.
    pub state: &'static str,
    pub responses: i64,
}

#[utoipa::path(get, path = "/surveys", tag = "evaluation", operation_id = "list_surveys",
    params(ScopeQuery), responses((status = 200, body = [SurveySummaryJson], description = "surveys of the scope and the scopes below it")))]
pub async fn surveys_of_scope(
    State(state): State<AppState>,
    ApiQuery(q): ApiQuery<ScopeQuery>,
) -> Result<Json<Vec<SurveySummaryJson>>, ApiError> {
    let v = surveys::list(&state, None, &q.scope).await?;
    let tree = state.scopes();
    Ok(Json(
        v.surveys
            .into_iter()
            .map(|s| SurveySummaryJson {
                id: s.id,
                scope_code: tree
                    .get(s.scope_id)
                    .map(|x| x.code.clone())
                    .unwrap_or_default(),
                year: s.year,
                state: s.state.as_str(),
                responses: s.responses,
                title: s.title,
            })
            .collect(),
    ))
}
