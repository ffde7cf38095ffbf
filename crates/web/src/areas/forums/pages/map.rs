//! The map page (the accessible SVG, its text alternative in the reader's language, the participant's
//! own position, the history of updates, the published report) and the Pol.is export files.
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use crate::AppState;
use crate::areas::forums::service::maps::{self, ExportFile, MapView};
use crate::http::{Crumbs, Ctx, PageError, PagePath, PageQuery, ServiceError, render};

#[derive(Deserialize, Default)]
pub struct MapQuery {
    /// A snapshot of the history (the latest when absent).
    pub snapshot: Option<i64>,
}

#[derive(askama::Template)]
#[template(path = "forums/map.html")]
struct MapPage<'a> {
    ctx: &'a Ctx,
    crumbs: Crumbs,
    v: MapView,
}

impl MapPage<'_> {
    fn my_group(&self) -> Option<String> {
        self.v
            .groups
            .iter()
            .find(|g| g.mine)
            .map(|g| g.label.clone())
    }
    fn is_reported(&self) -> bool {
        self.v.conversation.state == maeul_domain::forum::ConversationState::Reported
    }
}

pub async fn show(
    State(state): State<AppState>,
    ctx: Ctx,
    PagePath(id): PagePath<i64>,
    PageQuery(q): PageQuery<MapQuery>,
) -> Result<Response, PageError> {
    let v = maps::view(&state, ctx.caller(), id, q.snapshot).await?;
    render(&MapPage {
        crumbs: Crumbs::within(&ctx, &v.scope)
            .link(
                format!("/scopes/{}/conversations", v.scope.code),
                ctx.t("forum-list-title"),
            )
            .link(format!("/conversations/{id}"), &v.conversation.topic)
            .current(ctx.t("forum-map-title")),
        ctx: &ctx,
        v,
    })
}

pub async fn export(
    State(state): State<AppState>,
    PagePath((id, file)): PagePath<(i64, String)>,
) -> Result<Response, PageError> {
    let which = ExportFile::parse(&file).ok_or(ServiceError::NotFound)?;
    let body = maps::export(&state, id, which).await?;
    let disposition = format!("attachment; filename=\"conversation-{id}-{file}\"");
    Ok((
        [
            (
                axum::http::header::CONTENT_TYPE,
                "text/csv; charset=utf-8".to_owned(),
            ),
            (axum::http::header::CONTENT_DISPOSITION, disposition),
        ],
        body,
    )
        .into_response())
}
