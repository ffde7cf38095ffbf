//! Committees: bodies with seats by sector and terms, recruitment by a verifiable stratified lottery,
//! meetings with quorum, motions and recorded votes, minutes, iCal feeds and the decisions CSV.
use axum::Router;
use axum::routing::{get, post};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;

pub mod api;
pub mod demo;
pub mod draw;
pub mod ical;
mod pages;
pub mod service;
pub mod views;

use pages::{bodies, calls, meetings};

pub fn pages() -> Router<AppState> {
    Router::new()
        .route(
            "/scopes/{code}/committees",
            get(bodies::list).post(bodies::create),
        )
        .route("/committees/{id}", get(bodies::show))
        .route("/committees/{id}/members", post(bodies::appoint))
        .route(
            "/committees/{id}/members/{member}/end",
            post(bodies::end_member),
        )
        .route("/committees/{id}/calls", post(calls::create))
        .route("/committees/{id}/meetings", post(meetings::create))
        .route("/committees/{id}/calendar.ics", get(bodies::calendar))
        .route("/committees/{id}/decisions.csv", get(bodies::decisions_csv))
        .route("/calls/{id}", get(calls::show))
        .route("/calls/{id}/apply", post(calls::apply))
        .route("/calls/{id}/training", post(calls::log_training))
        .route("/calls/{id}/open", post(calls::open))
        .route("/calls/{id}/close", post(calls::close))
        .route("/calls/{id}/draw", post(calls::run_draw))
        .route("/calls/{id}/publish", post(calls::publish))
        .route("/calls/{id}/vacancies", post(calls::fill_vacancy))
        .route("/calls/{id}/input.json", get(calls::input))
        .route("/calls/{id}/draw.json", get(calls::draw_json))
        .route("/meetings/{id}", get(meetings::show))
        .route("/meetings/{id}/state", post(meetings::step))
        .route("/meetings/{id}/agenda", post(meetings::add_agenda_item))
        .route("/meetings/{id}/attendance", post(meetings::attendance))
        .route("/meetings/{id}/minutes", post(meetings::draft_minutes))
        .route("/meetings/{id}/register", post(meetings::register))
        .route("/meetings/{id}/unregister", post(meetings::unregister))
        .route("/meetings/{id}/motions", post(meetings::propose_motion))
        .route("/motions/{id}/state", post(meetings::motion_step))
        .route("/motions/{id}/vote", post(meetings::vote))
}

pub fn api() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(api::list))
        .routes(routes!(api::one))
        .routes(routes!(api::meetings_of))
        .routes(routes!(api::meeting))
        .routes(routes!(api::draw))
        .routes(routes!(api::vote))
}
