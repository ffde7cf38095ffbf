//! A scope's platform page: the consortium (lead and member organizations), the network's figures, and
//! the ways in (directory, spaces, school, grants).
use axum::extract::State;
use axum::response::Response;
use maeul_db::cooperation::{ConsortiumRow, OrgRow};
use maeul_domain::Scope;

use crate::AppState;
use crate::areas::cooperation::service::scope_by_code;
use crate::areas::cooperation::views::{Figures, figures};
use crate::http::{Crumbs, Ctx, PageError, PagePath, render};

#[derive(askama::Template)]
#[template(path = "cooperation/platform.html")]
struct PlatformPage<'a> {
    ctx: &'a Ctx,
    crumbs: Crumbs,
    scope: Scope,
    consortium: Vec<(ConsortiumRow, OrgRow)>,
    figures: Figures,
}

pub async fn show(
    State(state): State<AppState>,
    ctx: Ctx,
    PagePath(code): PagePath<String>,
) -> Result<Response, PageError> {
    let scope = scope_by_code(&state, &code)?;
    let mut consortium = vec![];
    for c in state.db.consortium(scope.id).await? {
        if let Some(o) = state.db.organization(c.organization_id).await? {
            consortium.push((c, o));
        }
    }
    render(&PlatformPage {
        crumbs: Crumbs::within(&ctx, &scope).current(ctx.t("coop-platform-title")),
        figures: figures(&state, scope.id).await?,
        ctx: &ctx,
        scope,
        consortium,
    })
}
