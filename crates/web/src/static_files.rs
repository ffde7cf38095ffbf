//! Assets compiled into the binary: nothing is fetched from elsewhere at run time.
use axum::extract::Path;
use axum::http::header;
use axum::response::{IntoResponse, Response};

use crate::http::PageError;

const FILES: &[(&str, &str, &str)] = &[
    (
        "maeul.css",
        "text/css; charset=utf-8",
        include_str!("../static/maeul.css"),
    ),
    (
        "ballot.js",
        "text/javascript; charset=utf-8",
        include_str!("../static/ballot.js"),
    ),
    (
        "favicon.svg",
        "image/svg+xml",
        include_str!("../static/favicon.svg"),
    ),
];

pub async fn serve(Path(file): Path<String>) -> Response {
    match FILES.iter().find(|(name, _, _)| *name == file) {
        Some((_, mime, body)) => (
            [
                (header::CONTENT_TYPE, *mime),
                (header::CACHE_CONTROL, "public, max-age=3600"),
            ],
            *body,
        )
            .into_response(),
        None => PageError::NotFound.into_response(),
    }
}
