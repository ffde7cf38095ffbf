//! The platform by area. Each area has its routes (`mod.rs`), one service layer (the use cases: load,
//! authorize with the domain, run engines off the async threads, write in one transaction, return a typed
//! result), thin pages and API handlers that both call the service, its views and its demo seeding.
//! Areas may call each other's services and views; the API never imports pages.
use axum::Router;
use utoipa_axum::router::OpenApiRouter;

use crate::AppState;

pub mod accounts;
pub mod admin;
pub mod budgeting;
pub mod committees;
pub mod cooperation;
pub mod evaluation;
pub mod forums;
pub mod moderation;
pub mod notifications;
pub mod plan;
pub mod proposals;
pub mod scopes;

/// Every area's pages.
pub fn pages() -> Router<AppState> {
    Router::new()
        .merge(scopes::pages())
        .merge(accounts::pages())
        .merge(admin::pages())
        .merge(proposals::pages())
        .merge(moderation::pages())
        .merge(notifications::pages())
        .merge(committees::pages())
        .merge(budgeting::pages())
        .merge(plan::pages())
        .merge(cooperation::pages())
        .merge(evaluation::pages())
        .merge(forums::pages())
}

/// Every area's API operations (mounted under `/api/v1`); the OpenAPI document is built from them.
pub fn api() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .merge(scopes::api())
        .merge(accounts::api())
        .merge(proposals::api())
        .merge(committees::api())
        .merge(budgeting::api())
        .merge(plan::api())
        .merge(cooperation::api())
        .merge(evaluation::api())
        .merge(forums::api())
}
