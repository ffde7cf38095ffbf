//! The JSON API, `/api/v1/…`, for programs. Authentication is by bearer token (`POST /api/v1/auth/token`);
//! cookies are never read here, so no CSRF applies. The OpenAPI document is generated from the routes
//! themselves (utoipa-axum), so the two cannot drift; every operation also lists the error responses the
//! shared extractors and services can give.
use axum::routing::get;
use axum::{Json, Router};
use utoipa::OpenApi;
use utoipa::openapi::path::Operation;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::{RefOr, Response, ResponseBuilder, content::ContentBuilder};

use crate::AppState;
use crate::http::ApiError;
use crate::http::error::ErrorBody;

#[derive(OpenApi)]
#[openapi(
    info(title = "maeul API", version = "1", description = "Community-based collaborative governance: the city's structure, accounts, the public sphere and committees. Errors are `{\"error\": {code, message, fields}}` with a stable `code` and a `message` in the caller's language (`Accept-Language`: ko or en)."),
    servers((url = "/api/v1")),
    components(schemas(ErrorBody)),
    tags((name = "scopes", description = "The city → district → neighbourhood tree"), (name = "accounts", description = "The signed-in account and its tokens"), (name = "proposals", description = "Resident proposals, supports and official answers"),
        (name = "debates", description = "Debates: an opening statement and comments that take a position"),
        (name = "comments", description = "Threaded comments on proposals and debates"),
        (name = "committees", description = "Committees, meetings, motions, votes, minutes and verifiable draws"))
)]
struct ApiDoc;

/// The API's router and its OpenAPI document.
pub fn router() -> Router<AppState> {
    let (router, mut doc) = utoipa_axum::router::OpenApiRouter::with_openapi(ApiDoc::openapi())
        .merge(crate::areas::api())
        .split_for_parts();
    finish(&mut doc);
    let doc = std::sync::Arc::new(doc);
    router
        .route(
            "/openapi.json",
            get(move || {
                let doc = doc.clone();
                async move { Json((*doc).clone()) }
            }),
        )
        .fallback(|| async { ApiError::not_found() })
}

/// The document as served: the bearer scheme, and on every operation the error responses it can give.
pub fn openapi() -> utoipa::openapi::OpenApi {
    let (_, mut doc) = utoipa_axum::router::OpenApiRouter::with_openapi(ApiDoc::openapi())
        .merge(crate::areas::api())
        .split_for_parts();
    finish(&mut doc);
    doc
}

fn finish(doc: &mut utoipa::openapi::OpenApi) {
    let components = doc.components.get_or_insert_with(Default::default);
    components.add_security_scheme(
        "bearer",
        SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
    );
    for item in doc.paths.paths.values_mut() {
        for (op, write, has_body) in [
            (&mut item.get, false, false),
            (&mut item.post, true, true),
            (&mut item.put, true, true),
            (&mut item.patch, true, true),
            (&mut item.delete, true, false),
        ] {
            if let Some(op) = op.as_mut() {
                let has_body = has_body && op.request_body.is_some();
                add_error_responses(op, write, has_body);
                describe_responses(op);
            }
        }
    }
}

/// OpenAPI requires a description on every response: a success response a handler left undescribed gets
/// its status's reason phrase ("Created").
fn describe_responses(op: &mut Operation) {
    for (code, response) in op.responses.responses.iter_mut() {
        if let RefOr::T(response) = response
            && response.description.is_empty()
        {
            let reason = code
                .parse::<u16>()
                .ok()
                .and_then(|c| axum::http::StatusCode::from_u16(c).ok())
                .and_then(|c| c.canonical_reason())
                .unwrap_or("Response");
            response.description = reason.to_owned();
        }
    }
}

fn error_response(description: &str) -> RefOr<Response> {
    RefOr::T(
        ResponseBuilder::new()
            .description(description)
            .content(
                "application/json",
                ContentBuilder::new()
                    .schema(Some(RefOr::Ref(utoipa::openapi::Ref::from_schema_name(
                        "ErrorBody",
                    ))))
                    .build(),
            )
            .build(),
    )
}

/// What any operation can answer besides its success: a malformed parameter (400), an unknown object
/// (404); operations with a token: 401 and 403; writes: 409 and 422 (a rule's refusal) and 429 (sign-in
/// limits); with a JSON body: 413 and 415.
fn add_error_responses(op: &mut Operation, write: bool, has_body: bool) {
    let secured = op.security.as_ref().is_some_and(|s| !s.is_empty());
    let mut add = |code: &str, what: &str| {
        op.responses
            .responses
            .entry(code.to_owned())
            .or_insert_with(|| error_response(what));
    };
    add(
        "400",
        "Malformed path, query or body: the message says what was wrong",
    );
    add("404", "Not found (or not visible to the caller)");
    if secured {
        add("401", "A valid bearer token is required");
        add("403", "The token's account may not do this here");
    }
    if write {
        add(
            "409",
            "Refused by a rule in the current state (`code` names it)",
        );
        add("422", "Refused input (`fields` names each refused field)");
        add("429", "Too many attempts; wait before trying again");
    }
    if has_body {
        add("413", "The body is too large");
        add(
            "415",
            "The body must be JSON (Content-Type: application/json)",
        );
    }
}
