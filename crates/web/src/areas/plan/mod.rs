//! The innovation plan: agenda items found at the lowest level concerned, referred up and down the scope
//! tree ("autonomy first"), adopted by a carried motion of the holding scope's committee (the committees
//! capability), and compiled into yearly plans that the level above consults on and approves.
use axum::Router;
use axum::routing::{get, post};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;

pub mod api;
pub mod demo;
mod demo_assembly;
mod pages;
pub mod service;
pub mod views;

use pages::{assembly, groups, items, plans};

pub fn pages() -> Router<AppState> {
    Router::new()
        .route(
            "/scopes/{code}/agenda-items",
            get(items::list).post(items::propose),
        )
        .route("/scopes/{code}/priority-vote", post(items::vote))
        .route(
            "/scopes/{code}/priority-vote/method",
            post(items::configure_vote),
        )
        .route("/agenda-items/{id}", get(items::show))
        .route("/agenda-items/{id}/state", post(items::step))
        .route("/agenda-items/{id}/refer", post(items::refer))
        .route("/agenda-items/{id}/answer", post(items::answer))
        .route("/scopes/{code}/plans", get(plans::list).post(plans::create))
        .route("/plans/{id}", get(plans::show))
        .route("/plans/{id}/state", post(plans::step))
        .route("/plans/{id}/sections", post(plans::section))
        .route("/plans/{id}/projects", post(plans::project))
        .route("/plans/{id}/projects.csv", get(plans::projects_csv))
        .route("/plan-projects/{id}/working-group", post(groups::create))
        .route("/working-groups/{id}", get(groups::show))
        .route("/working-groups/{id}/members", post(groups::add_member))
        .route("/working-groups/{id}/meetings", post(groups::meeting))
        .route("/working-groups/{id}/updates", post(groups::update))
        .route(
            "/scopes/{code}/assemblies",
            get(assembly::list).post(assembly::create),
        )
        .route("/assemblies/{id}", get(assembly::show))
        .route("/assemblies/{id}/agenda", post(assembly::agenda))
        .route("/assemblies/{id}/state", post(assembly::step))
        .route("/assemblies/{id}/attendance", post(assembly::attend))
        .route("/assemblies/{id}/ballot", post(assembly::vote))
        .route("/assemblies/{id}/ballots", post(assembly::enter))
}

pub fn api() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(api::list_items, api::propose_item))
        .routes(routes!(api::one_item))
        .routes(routes!(api::step_item))
        .routes(routes!(api::refer_item))
        .routes(routes!(api::answer_referral))
        .routes(routes!(api::plan))
        .routes(routes!(api::revisions))
        .routes(routes!(api::assemblies))
}
