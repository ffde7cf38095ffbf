//! The public sphere: proposals with their threshold ladder, debates, comments, attachments, search,
//! feeds and the CSV export.
use axum::Router;
use axum::routing::{get, post};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;
use crate::http::upload;

pub mod api;
pub mod demo;
mod feeds;
mod pages;
mod search;
pub mod service;
pub mod views;

use pages::{attachments, comments, debates, items};

pub fn pages() -> Router<AppState> {
    Router::new()
        .route(
            "/scopes/{code}/proposals",
            get(items::list_proposals).post(items::create_proposal),
        )
        .route("/scopes/{code}/proposals/new", get(items::new_proposal))
        .route("/scopes/{code}/ladder", post(items::set_ladder))
        .route(
            "/scopes/{code}/debates",
            get(items::list_debates).post(items::create_debate),
        )
        .route("/scopes/{code}/debates/new", get(items::new_debate))
        .route("/scopes/{code}/feed.atom", get(feeds::atom))
        .route("/scopes/{code}/proposals.csv", get(feeds::csv_export))
        .route("/debates/{id}", get(items::show_debate))
        .route("/debates/{id}/conclude", post(debates::conclude))
        .route("/proposals/overdue", get(items::overdue))
        .route("/proposals/{id}", get(items::show_proposal))
        .route("/proposals/{id}/support", post(items::support))
        .route("/proposals/{id}/withdraw", post(items::withdraw))
        .route("/proposals/{id}/submit", post(items::submit_draft))
        .route("/proposals/{id}/accept", post(items::accept))
        .route("/proposals/{id}/reject", post(items::reject))
        .route("/proposals/{id}/forum", post(items::open_forum))
        .route("/proposals/{id}/adopt", post(items::adopt))
        .route("/proposals/{id}/close", post(items::close))
        .route("/proposals/{id}/answer", post(items::answer))
        .route("/proposals/{id}/comments", post(comments::post))
        .route(
            "/proposals/{id}/attachments",
            // The body limit admits the largest accepted file plus the multipart envelope; the file's own
            // limit is checked (with a clear message) by the service.
            upload::limit(
                post(attachments::attach),
                maeul_domain::attachment::MAX_BYTES + 64 * 1024,
            ),
        )
        .route("/attachments/{id}/{name}", get(attachments::download))
        .route("/comments/{id}", get(comments::locate))
        .route("/comments/{id}/edit", post(comments::edit))
        .route("/comments/{id}/vote", post(comments::vote))
        .route("/search", get(search::search))
}

pub fn api() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(api::list_proposals, api::create_proposal))
        .routes(routes!(api::get_proposal))
        .routes(routes!(api::support, api::withdraw))
        .routes(routes!(api::answer))
        .routes(routes!(api::list_debates, api::create_debate))
        .routes(routes!(api::get_debate))
        .routes(routes!(api::list_comments, api::post_comment))
}
