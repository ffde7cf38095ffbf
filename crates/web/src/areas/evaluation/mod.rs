//! Results-based evaluation: funded projects (budget winners, plan projects) tracked to their outcomes with
//! milestones and verified updates, indicators with baselines and targets, the yearly evaluation cycle
//! whose grade feeds the next budget's envelope formula, the trace from a resident's proposal to the
//! grade, and each scope's dashboard and map.
use axum::Router;
use axum::routing::{get, post};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;

pub mod api;
pub mod api_results;
pub mod api_surveys;
mod charts;
pub mod demo;
pub mod import;
mod pages;
pub mod service;
pub mod views;

use pages::{cycles, dashboard, projects, surveys, trace};

pub fn pages() -> Router<AppState> {
    Router::new()
        .route("/scopes/{code}/tracked-projects", get(projects::list))
        .route(
            "/scopes/{code}/tracked-updates/import",
            post(projects::import),
        )
        .route("/tracked-projects/{id}", get(projects::show))
        .route("/tracked-projects/{id}/updates", post(projects::report))
        .route("/tracked-updates/{id}/decision", post(projects::decide))
        .route(
            "/scopes/{code}/evaluations",
            get(cycles::list).post(cycles::open),
        )
        .route(
            "/evaluation-cycles/{id}/indicators",
            post(cycles::indicator),
        )
        .route(
            "/evaluation-indicators/{id}/disaggregation",
            post(cycles::disaggregate),
        )
        .route("/evaluation-cycles/{id}", get(cycles::show))
        .route("/evaluation-cycles/{id}/state", post(cycles::step))
        .route("/evaluation-cycles/{id}/scores", post(cycles::score))
        .route("/evaluation-indicators/{id}/target", post(cycles::target))
        .route("/evaluation-indicators/{id}/actual", post(cycles::actual))
        .route("/trace", get(trace::show))
        .route("/scopes/{code}/dashboard", get(dashboard::show))
        .route("/scopes/{code}/dashboard.csv", get(dashboard::csv))
        .route("/scopes/{code}/dashboard.json", get(dashboard::json))
        .route("/scopes/{code}/map.svg", get(dashboard::map))
        .route(
            "/scopes/{code}/participation.csv",
            get(dashboard::participation_csv),
        )
        .route(
            "/scopes/{code}/participation.json",
            get(dashboard::participation_json),
        )
        .route(
            "/scopes/{code}/surveys",
            get(surveys::list).post(surveys::create),
        )
        .route("/surveys/{id}", get(surveys::show))
        .route("/surveys/{id}/results", get(surveys::results))
        .route("/surveys/{id}/responses", post(surveys::respond))
        .route("/surveys/{id}/close", post(surveys::close))
}

pub fn api() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(api::tracked_projects))
        .routes(routes!(api::trace))
        .routes(routes!(api_surveys::survey))
        .routes(routes!(api_surveys::results))
        .routes(routes!(api_surveys::respond))
        .routes(routes!(api_results::updates, api_results::submit_update))
        .routes(routes!(api_results::indicators))
        .routes(routes!(api_results::evaluations))
        .routes(routes!(api_results::surveys_of_scope))
}
