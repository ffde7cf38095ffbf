//! `/api/v1` for resident satisfaction surveys: a survey with its questions, its results (counts, means
//! and 95 % intervals, short answers) and answering it with a bearer token (verified residents of its
//! scope, once). Every handler calls the surveys' service, as the pages do.
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::service::surveys;
use crate::AppState;
use crate::http::error::ErrorBody;
use crate::http::{ApiCaller, ApiError, ApiJson, ApiPath};

#[derive(Serialize, ToSchema)]
pub struct QuestionJson {
    /// 1, 2, 3 … (answers name their question by it).
    pub position: i64,
    /// `likert` (1–5) or `short_answer`.
    pub kind: &'static str,
    pub prompt: String,
}

#[derive(Serialize, ToSchema)]
pub struct SurveyJson {
    pub id: i64,
    pub scope_code: String,
    pub year: i64,
    /// `scope`, `tracked_project` or `plan`.
    pub subject_kind: &'static str,
    pub subject_id: Option<i64>,
    pub title: String,
    pub intro: String,
    /// `open` or `closed`.
    pub state: &'static str,
    pub responses: i64,
    pub questions: Vec<QuestionJson>,
}

#[derive(Serialize, ToSchema)]
pub struct IntervalJson {
    pub low: f64,
    pub high: f64,
}

#[derive(Serialize, ToSchema)]
pub struct QuestionResultJson {
    pub position: i64,
    pub kind: &'static str,
    pub prompt: String,
    /// How many answered (skips not counted).
    pub n: u64,
    /// Likert: how many chose 1, 2, 3, 4, 5.
    pub counts: Option<[u64; 5]>,
    pub mean: Option<f64>,
    /// 95 % interval of the mean (Student's t); none under two answers.
    pub mean_ci: Option<IntervalJson>,
    /// Share answering 4 or 5 (0–1).
    pub satisfied: Option<f64>,
    /// 95 % Wilson interval of that share.
    pub satisfied_ci: Option<IntervalJson>,
    /// Short answers, oldest first.
    pub answers: Vec<String>,
}

#[derive(Serialize, ToSchema)]
pub struct SurveyResultsJson {
    pub survey_id: i64,
    pub responses: i64,
    pub questions: Vec<QuestionResultJson>,
}

fn interval(i: Option<maeul_domain::evaluation::Interval>) -> Option<IntervalJson> {
    i.map(|i| IntervalJson {
        low: i.low,
        high: i.high,
    })
}

#[utoipa::path(get, path = "/surveys/{id}", tag = "evaluation", operation_id = "get_survey",
    params(("id" = i64, Path)), responses((status = 200, body = SurveyJson), (status = 404, description = "no such survey")))]
pub async fn survey(
    State(state): State<AppState>,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<SurveyJson>, ApiError> {
    let v = surveys::view(&state, None, id).await?;
    Ok(Json(SurveyJson {
        id: v.survey.id,
        scope_code: v.scope.code.clone(),
        year: v.survey.year,
        subject_kind: v.survey.subject_kind.as_str(),
        subject_id: v.survey.subject_id,
        state: v.survey.state.as_str(),
        responses: v.survey.responses,
        questions: v
            .results
            .into_iter()
            .map(|r| QuestionJson {
                position: r.question.position,
                kind: r.question.kind.as_str(),
                prompt: r.question.prompt,
            })
            .collect(),
        title: v.survey.title,
        intro: v.survey.intro,
    }))
}

#[utoipa::path(get, path = "/surveys/{id}/results", tag = "evaluation", operation_id = "get_survey_results",
    params(("id" = i64, Path)), responses((status = 200, body = SurveyResultsJson), (status = 404, description = "no such survey")))]
pub async fn results(
    State(state): State<AppState>,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<SurveyResultsJson>, ApiError> {
    let v = surveys::view(&state, None, id).await?;
    Ok(Json(SurveyResultsJson {
        survey_id: v.survey.id,
        responses: v.survey.responses,
        questions: v
            .results
            .into_iter()
            .map(|r| {
                let n = r.likert.as_ref().map_or(r.texts.len() as u64, |s| s.n);
                QuestionResultJson {
                    position: r.question.position,
                    kind: r.question.kind.as_str(),
                    prompt: r.question.prompt,
                    n,
                    counts: r.likert.as_ref().map(|s| s.counts),
                    mean: r.likert.as_ref().and_then(|s| s.mean),
                    mean_ci: interval(r.likert.as_ref().and_then(|s| s.mean_ci)),
                    satisfied: r.likert.as_ref().and_then(|s| s.satisfied),
                    satisfied_ci: interval(r.likert.as_ref().and_then(|s| s.satisfied_ci)),
                    answers: r.texts,
                }
            })
            .collect(),
    }))
}

#[derive(Deserialize, ToSchema)]
pub struct AnswerJson {
    /// The question's position.
    pub position: i64,
    /// `1`–`5` for a Likert question, text for a short answer; blank skips the question.
    pub answer: String,
}

#[derive(Deserialize, ToSchema)]
pub struct RespondJson {
    #[serde(default)]
    pub answers: Vec<AnswerJson>,
}

#[derive(Serialize, ToSchema)]
pub struct ResponseCreated {
    pub id: i64,
}

#[utoipa::path(post, path = "/surveys/{id}/responses", tag = "evaluation", operation_id = "respond_to_survey",
    security(("bearer" = [])), params(("id" = i64, Path)), request_body = RespondJson,
    responses((status = 201, body = ResponseCreated),
        (status = 403, description = "not a verified resident of the survey's scope (`not_resident_of_scope`)", body = ErrorBody),
        (status = 409, description = "already answered (`already_responded`) or closed (`survey_closed`)", body = ErrorBody),
        (status = 422, description = "an answer is refused: `fields` names it (`q1`, `q2` …)", body = ErrorBody)))]
pub async fn respond(
    State(state): State<AppState>,
    api: ApiCaller,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<RespondJson>,
) -> Result<(StatusCode, Json<ResponseCreated>), ApiError> {
    let answers: Vec<(i64, String)> = body
        .answers
        .into_iter()
        .map(|a| (a.position, a.answer))
        .collect();
    let id = surveys::respond(&state, Some(&api.caller), id, &answers).await?;
    Ok((StatusCode::CREATED, Json(ResponseCreated { id })))
}
