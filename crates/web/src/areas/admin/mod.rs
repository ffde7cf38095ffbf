//! Administration: role grants, the outbox, the audit log and the job queue.
use axum::Router;
use axum::routing::{get, post};

use crate::AppState;

mod pages;
pub mod service;

pub fn pages() -> Router<AppState> {
    Router::new()
        .route("/admin", get(pages::admin))
        .route("/admin/roles", post(pages::grant))
        .route("/admin/roles/{id}/revoke", post(pages::revoke))
}
