//! The city's structure: the front page, each scope's page (gathering every capability's section), the
//! data sources page, and `/api/v1/scopes`.
use axum::Router;
use axum::routing::get;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;

pub mod api;
mod pages;

pub fn pages() -> Router<AppState> {
    Router::new()
        .route("/", get(pages::home))
        .route("/scopes/{code}", get(pages::scope))
        .route("/about/data", get(pages::about_data))
}

pub fn api() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(api::list))
        .routes(routes!(api::one))
}
