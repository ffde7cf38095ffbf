//! The trace as a readable timeline: from a resident's proposal to the outcome it reached.
use axum::extract::State;
use axum::response::Response;
use serde::Deserialize;

use crate::AppState;
use crate::areas::evaluation::service::trace::{self, Step};
use crate::http::{Crumbs, Ctx, PageError, PageQuery, render};

#[derive(Deserialize)]
pub struct TraceQuery {
    pub kind: String,
    pub id: i64,
}

#[derive(askama::Template)]
#[template(path = "evaluation/trace.html")]
struct TracePage<'a> {
    ctx: &'a Ctx,
    crumbs: Crumbs,
    steps: Vec<Step>,
}

pub async fn show(
    State(state): State<AppState>,
    ctx: Ctx,
    PageQuery(q): PageQuery<TraceQuery>,
) -> Result<Response, PageError> {
    let steps = trace::trace(&state, &q.kind, q.id).await?;
    render(&TracePage {
        crumbs: Crumbs {
            links: vec![("/".into(), ctx.t("nav-home"))],
            current: ctx.t("trace-title"),
        },
        ctx: &ctx,
        steps,
    })
}
