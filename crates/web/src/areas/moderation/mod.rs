//! Moderation: reports, the moderators' queue and log, hiding and restoring content, blocking accounts.
use axum::Router;
use axum::routing::{get, post};

use crate::AppState;

mod pages;
pub mod service;

pub fn pages() -> Router<AppState> {
    Router::new()
        .route("/moderation", get(pages::queue))
        .route("/moderation/{target}/{id}/{action}", post(pages::moderate))
        .route("/reports", post(pages::report))
        .route("/users/{id}/{action}", post(pages::block))
}
