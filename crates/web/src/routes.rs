//! The route table and the layers every request passes through.
use axum::extract::{DefaultBodyLimit, State};
use axum::http::{HeaderName, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router, middleware};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;

use crate::http::{PageError, csrf, error, hostile, microcache};
use crate::{AppState, areas, static_files};

pub fn router(state: AppState) -> Router {
    let pages = areas::pages()
        .fallback(|| async { PageError::NotFound })
        .layer(middleware::from_fn(hostile::pages))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            error::render_error_pages,
        ))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            csrf::ensure_cookie,
        ));
    let api = crate::api::router()
        .layer(middleware::from_fn(hostile::api))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            error::render_api_errors,
        ));

    Router::new()
        .merge(pages)
        .nest("/api/v1", api)
        .route("/healthz", get(healthz))
        .route("/static/{file}", get(static_files::serve))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            microcache::invalidate_on_writes,
        ))
        .layer(DefaultBodyLimit::max(hostile::BODY_LIMIT))
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
