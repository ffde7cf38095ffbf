//! The route table and the layers every request passes through.
use axum::extract::{DefaultBodyLimit, State};
use axum::http::{HeaderName, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router, middleware};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;

use crate::pages::{
    account, admin, auth, committees, feeds, home, manage, moderation, notifications, proposals,
    scope, search, users,
};
use crate::{AppState, api, csrf, error, static_files};

pub fn router(state: AppState) -> Router {
    let pages = Router::new()
        .route("/", get(home::home))
        .route("/scopes/{code}", get(scope::scope_page))
        .route("/about/data", get(crate::pages::scope::about_data))
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
        .route("/manage/residency", get(manage::residency_queue))
        .route("/manage/residency/{user_id}/verify", post(manage::verify))
        .route("/manage/residency/{user_id}/reject", post(manage::reject))
        .route(
            "/manage/register",
            post(manage::import_register).layer(DefaultBodyLimit::max(10 * 1024 * 1024)),
        )
        .route(
            "/scopes/{code}/proposals",
            get(proposals::list).post(proposals::create),
        )
        .route("/scopes/{code}/proposals/new", get(proposals::new_form))
        .route("/scopes/{code}/ladder", post(proposals::set_ladder))
        .route(
            "/scopes/{code}/debates",
            get(proposals::list_debates).post(proposals::create_debate),
        )
        .route(
            "/scopes/{code}/debates/new",
            get(proposals::new_debate_form),
        )
        .route("/debates/{id}", get(proposals::show_debate))
        .route("/debates/{id}/conclude", post(proposals::conclude))
        .route(
            "/proposals/{id}/attachments",
            // The body limit admits the largest accepted file plus the multipart envelope; the file's own
            // limit is checked (with a clear message) by the handler.
            post(proposals::attach).layer(DefaultBodyLimit::max(
                maeul_domain::attachment::MAX_BYTES + 64 * 1024,
            )),
        )
        .route("/attachments/{id}/{name}", get(proposals::attachment))
        .route("/scopes/{code}/feed.atom", get(feeds::atom))
        .route("/scopes/{code}/proposals.csv", get(feeds::csv_export))
        .route("/proposals/overdue", get(proposals::overdue))
        .route("/proposals/{id}", get(proposals::show))
        .route("/proposals/{id}/support", post(proposals::support))
        .route("/proposals/{id}/withdraw", post(proposals::withdraw))
        .route("/proposals/{id}/submit", post(proposals::submit_draft))
        .route("/proposals/{id}/accept", post(proposals::accept))
        .route("/proposals/{id}/reject", post(proposals::reject))
        .route("/proposals/{id}/forum", post(proposals::open_forum))
        .route("/proposals/{id}/answer", post(proposals::answer))
        .route("/proposals/{id}/comments", post(proposals::comment))
        .route("/comments/{id}/edit", post(proposals::edit_comment))
        .route("/comments/{id}/vote", post(proposals::vote_comment))
        .route("/moderation", get(moderation::queue))
        .route(
            "/moderation/{target}/{id}/{action}",
            post(moderation::moderate),
        )
        .route("/reports", post(moderation::report))
        .route("/users/{id}", get(users::show))
        .route("/people/{name}", get(users::by_name))
        .route("/users/{id}/{action}", post(moderation::block))
        .route("/follows", post(notifications::follow))
        .route("/notifications", get(notifications::list))
        .route("/notifications/read", post(notifications::read_all))
        .route("/notifications/{id}/open", post(notifications::open))
        .route(
            "/notifications/preferences",
            post(notifications::set_preference),
        )
        .route(
            "/unsubscribe/{token}",
            get(notifications::unsubscribe_form).post(notifications::unsubscribe),
        )
        .route("/search", get(search::search))
        .merge(committees::routes())
        .route("/admin", get(admin::admin))
        .route("/admin/roles", post(admin::grant))
        .route("/admin/roles/{id}/revoke", post(admin::revoke))
        .fallback(|| async { error::PageError::NotFound })
        .layer(middleware::from_fn_with_state(
            state.clone(),
            error::render_error_pages,
        ))
        .layer(middleware::from_fn(csrf::ensure_cookie));

    Router::new()
        .merge(pages)
        .nest("/api/v1", api::routes())
        .route("/healthz", get(healthz))
        .route("/static/{file}", get(static_files::serve))
        .layer(DefaultBodyLimit::max(1024 * 1024))
        .layer(security_header("x-content-type-options", "nosniff"))
        .layer(security_header("x-frame-options", "DENY"))
        .layer(security_header("referrer-policy", "same-origin"))
        .layer(security_header(
            "content-security-policy",
            "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'",
        ))
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}

fn security_header(name: &'static str, value: &'static str) -> SetResponseHeaderLayer<HeaderValue> {
    SetResponseHeaderLayer::if_not_present(
        HeaderName::from_static(name),
        HeaderValue::from_static(value),
    )
}

#[derive(serde::Serialize)]
struct Health {
    status: &'static str,
    database: &'static str,
}

/// Liveness and readiness: answers only when the database answers.
async fn healthz(State(state): State<AppState>) -> Response {
    let database = state.db.backend().as_str();
    match state.db.ping().await {
        Ok(()) => (
            [(header::CACHE_CONTROL, "no-store")],
            Json(Health {
                status: "ok",
                database,
            }),
        )
            .into_response(),
        Err(e) => {
            tracing::error!(error = %e, "health check failed");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                Json(Health {
                    status: "unavailable",
                    database,
                }),
            )
                .into_response()
        }
    }
}
