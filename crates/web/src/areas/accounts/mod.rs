//! Accounts: registration and sign-in, sessions and API tokens, passwords and their reset, the language
//! switch, residence declarations with officials' verification and register import, and people's pages.
use axum::Router;
use axum::routing::{get, post};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;
use crate::http::upload;

pub mod api;
mod pages;
pub mod register;
pub mod service;

use pages::{account, auth, people, residency};

/// The largest register file accepted.
pub const REGISTER_MAX_BYTES: usize = 10 * 1024 * 1024;

pub fn pages() -> Router<AppState> {
    Router::new()
        .route("/register", get(auth::register_form).post(auth::register))
        .route("/login", get(auth::login_form).post(auth::login))
        .route("/logout", post(auth::logout))
        .route("/lang", post(auth::set_lang))
        .route(
            "/password/forgot",
            get(auth::forgot_form).post(auth::forgot),
        )
        .route(
            "/password/reset/{token}",
            get(auth::reset_form).post(auth::reset),
        )
        .route("/account", get(account::account))
        .route("/account/residency", post(account::declare_residency))
        .route("/account/password", post(account::change_password))
        .route("/account/tokens", post(account::create_token))
        .route("/account/tokens/{id}/revoke", post(account::revoke_token))
        .route("/manage/residency", get(residency::queue))
        .route(
            "/manage/residency/{user_id}/verify",
            post(residency::verify),
        )
        .route(
            "/manage/residency/{user_id}/reject",
            post(residency::reject),
        )
        .route(
            "/manage/identity-conflicts/{id}/move",
            post(residency::move_identity),
        )
        .route(
            "/manage/identity-conflicts/{id}/keep",
            post(residency::keep_identity),
        )
        .route(
            "/manage/register",
            upload::limit(post(residency::import), REGISTER_MAX_BYTES),
        )
        .route("/users/{id}", get(people::show))
        .route("/people/{handle}", get(people::by_handle))
}

pub fn api() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(api::me))
        .routes(routes!(api::create_token, api::revoke_current))
        .routes(routes!(api::revoke))
}
