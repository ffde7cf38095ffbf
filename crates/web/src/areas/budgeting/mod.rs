//! The decentralized budget: envelopes handed down city → district → neighbourhood by a published
//! formula, participatory-budgeting processes with their phases, projects and their review, ballots
//! checked and counted by the engine (`maeul-pb`), results that explain themselves and can be re-counted
//! from the published `.pb` file.
use axum::Router;
use axum::routing::{get, post};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;
use crate::http::upload;

pub mod api;
mod api_cycles;
mod ballot;
pub mod config;
pub mod demo;
pub mod engine;
pub mod import;
pub mod links;
mod open_data;
mod pages;
pub mod schedule;
pub mod service;
pub mod views;

pub fn pages() -> Router<AppState> {
    Router::new()
        .route("/scopes/{code}/budget", get(pages::scope_budget))
        .route("/scopes/{code}/budget/split", post(pages::split))
        .route(
            "/scopes/{code}/budget/processes",
            post(pages::create_process),
        )
        .route("/budgets/{id}", get(pages::show))
        .route("/budgets/{id}/projects", post(pages::submit_project))
        .route("/budgets/{id}/phase", post(pages::step))
        .route("/budgets/{id}/settings", post(schedule::settings))
        .route("/budget-projects/{id}/review", post(pages::review))
        .route("/budgets/{id}/ballot", get(ballot::show).post(ballot::cast))
        .route("/budgets/{id}/paper-ballot", post(ballot::cast_paper))
        .route("/budgets/{id}/result", get(ballot::result))
        .route("/budgets/{id}/election.pb", get(ballot::election_file))
        .route("/budgets/{id}/projects.csv", get(open_data::projects_csv))
        .route("/budgets/{id}/result.csv", get(open_data::result_csv))
        .route("/proposals/{id}/budget-project", post(links::link))
        .route(
            "/budget-projects/{id}/attachments",
            upload::limit(
                post(links::attach_page),
                maeul_domain::attachment::MAX_BYTES + 64 * 1024,
            ),
        )
        .route("/budget-files/{id}/{name}", get(links::download_page))
        .route(
            "/scopes/{code}/budget/import",
            upload::limit(post(import::import_page), import::MAX_PB_BYTES + 64 * 1024),
        )
}

pub fn api() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(api::list))
        .routes(routes!(api::projects))
        .routes(routes!(api::cast))
        .routes(routes!(api::result))
        .routes(routes!(api_cycles::cycles))
        .routes(routes!(api_cycles::envelopes))
}
