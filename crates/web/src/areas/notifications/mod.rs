//! Notifications: follows, the notifications page, e-mail preferences and one-click unsubscribe. The
//! background worker (`crate::jobs`) fans events out and mails them, with the texts of `views`.
use axum::Router;
use axum::routing::{get, post};

use crate::AppState;

mod pages;
pub mod service;
pub mod views;

pub fn pages() -> Router<AppState> {
    Router::new()
        .route("/follows", post(pages::follow))
        .route("/notifications", get(pages::list))
        .route("/notifications/read", post(pages::read_all))
        .route("/notifications/{id}/open", post(pages::open))
        .route("/notifications/preferences", post(pages::set_preference))
        .route(
            "/unsubscribe/{token}",
            get(pages::unsubscribe_form).post(pages::unsubscribe),
        )
}
