//! Forums with live opinion maps (issue 14): conversations attached to a deliberable object or standing
//! alone in a scope; participants write short statements and vote agree / disagree / pass on one
//! statement at a time (chosen by the engine's comment priority); a job per burst of votes recomputes the
//! map with `maeul-opinion` and stores it as a snapshot every server serves; staff close and publish a
//! report; the Pol.is export reproduces the map with `maeul opinion analyze`.
use axum::Router;
use axum::routing::{get, post};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;

pub mod api;
pub mod demo;
pub mod engine;
pub mod ingest;
mod pages;
pub mod service;
pub mod views;

use pages::{conversations, map};

pub fn pages() -> Router<AppState> {
    Router::new()
        .route(
            "/scopes/{code}/conversations",
            get(conversations::list).post(conversations::create),
        )
        .route("/conversations/{id}", get(conversations::show))
        .route("/conversations/{id}/state", post(conversations::step))
        .route("/conversations/{id}/votes", post(conversations::vote))
        .route(
            "/conversations/{id}/statements",
            post(conversations::submit),
        )
        .route(
            "/forum-statements/{id}/moderation",
            post(conversations::moderate),
        )
        .route("/conversations/{id}/map", get(map::show))
        .route("/conversations/{id}/export/{file}", get(map::export))
}

pub fn api() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(api::list_conversations))
        .routes(routes!(api::one_conversation))
        .routes(routes!(api::statements, api::submit_statement))
        .routes(routes!(api::map))
        .routes(routes!(api::vote))
}
