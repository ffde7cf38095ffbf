//! The platform for citizen cooperation (issue 17): a scope's civil-society network — organizations with
//! members and a staff verification, the consortium that runs the platform, shared spaces and equipment
//! with bookings that never overlap, citizen schools whose completions are the training hours committees
//! read, and small grants reviewed without conflicts of interest.
use axum::Router;
use axum::routing::{get, post};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;

pub mod api;
pub mod api_network;
pub mod demo;
mod demo_network;
mod pages;
pub mod service;
pub mod views;

use pages::{grants, network, organizations, platform, resources, schools};

pub fn pages() -> Router<AppState> {
    Router::new()
        .route("/scopes/{code}/cooperation", get(platform::show))
        .route(
            "/scopes/{code}/organizations",
            get(organizations::directory).post(organizations::create),
        )
        .route("/scopes/{code}/organizations.csv", get(organizations::csv))
        .route(
            "/organizations/{id}",
            get(organizations::show).post(organizations::edit),
        )
        .route("/organizations/{id}/join", post(organizations::join))
        .route("/organizations/{id}/leave", post(organizations::leave))
        .route("/organizations/{id}/verify", post(organizations::verify))
        .route("/organizations/{id}/links", post(organizations::link))
        .route(
            "/scopes/{code}/events",
            get(network::list).post(network::announce),
        )
        .route(
            "/scopes/{code}/cooperation/figures.csv",
            get(network::figures_csv),
        )
        .route(
            "/scopes/{code}/cooperation/figures.json",
            get(network::figures_json),
        )
        .route("/grant-applications/{id}/progress", post(grants::report))
        .route(
            "/scopes/{code}/resources",
            get(resources::list).post(resources::create),
        )
        .route("/scopes/{code}/resources.ics", get(resources::scope_ics))
        .route(
            "/resources/{id}",
            get(resources::show).post(resources::edit),
        )
        .route("/resources/{id}/bookings", post(resources::request))
        .route("/resources/{id}/calendar.ics", get(resources::resource_ics))
        .route("/bookings/{id}/decision", post(resources::decide))
        .route(
            "/scopes/{code}/programs",
            get(schools::list).post(schools::create),
        )
        .route("/programs/{id}/sessions", post(schools::add_session))
        .route("/programs/{id}", get(schools::show))
        .route("/programs/{id}/enrol", post(schools::enrol))
        .route("/programs/{id}/withdraw", post(schools::withdraw))
        .route("/programs/{id}/attendance", post(schools::attendance))
        .route(
            "/programs/{id}/certificates/{user}",
            get(schools::certificate),
        )
        .route(
            "/scopes/{code}/grants",
            get(grants::list).post(grants::open_call),
        )
        .route("/grants/{id}", get(grants::show))
        .route("/grants/{id}/applications", post(grants::apply))
        .route("/grants/{id}/publish", post(grants::publish))
        .route("/grants/{id}/results.csv", get(grants::results_csv))
        .route("/grant-applications/{id}/scores", post(grants::score))
}

pub fn api() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(api::list_organizations))
        .routes(routes!(api::list_resources))
        .routes(routes!(api::list_bookings, api::request_booking))
        .routes(routes!(api::decide_booking))
        .routes(routes!(api::list_programs))
        .routes(routes!(api::list_grant_calls))
        .routes(routes!(api_network::enrol, api_network::withdraw))
        .routes(routes!(api_network::organization))
        .routes(routes!(api_network::events))
        .routes(routes!(api_network::network_figures))
}
