//! A scope's platform page: the consortium (lead and member organizations), the network's figures, and
//! the ways in (directory, spaces, school, grants).
use axum::extract::State;
use axum::response::Response;
use maeul_db::cooperation::{ActivityRow, ConsortiumRow, EventRow, OrgRow};
use maeul_domain::cooperation::ActivityKind;
use maeul_domain::object::ObjectKind;
use maeul_domain::{Named, Scope};

use crate::AppState;
use crate::areas::cooperation::service::network::{self, object_href};
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
    /// The latest activity of the scope's network.
    feed: Vec<ActivityRow>,
    /// The next events.
    upcoming: Vec<EventRow>,
}

impl PlatformPage<'_> {
    /// What an activity was about, in the reader's language.
    fn subject(&self, a: &ActivityRow) -> String {
        match a.kind {
            ActivityKind::Joined => self.ctx.t("coop-activity-new-member"),
            ActivityKind::Linked => {
                let kind = ObjectKind::decode(&a.subject)
                    .map(|k| self.ctx.label(k))
                    .unwrap_or_default();
                let capacity = maeul_domain::cooperation::LinkCapacity::decode(&a.detail)
                    .map(|c| self.ctx.label(c))
                    .unwrap_or_default();
                format!("{kind} · {capacity}")
            }
            _ => a.subject.clone(),
        }
    }
    /// Where an activity's subject is, when it has a page.
    fn href(&self, a: &ActivityRow) -> Option<String> {
        let id = a.subject_id?;
        match a.kind {
            ActivityKind::BookingApproved => Some(format!("/resources/{id}")),
            ActivityKind::EnrolmentCompleted => Some(format!("/programs/{id}")),
            ActivityKind::Event => Some(format!("/scopes/{}/events#event-{id}", self.scope.code)),
            ActivityKind::Linked => match ObjectKind::decode(&a.subject) {
                Ok(k) if k != ObjectKind::BudgetProject => Some(object_href(k, id, None)),
                _ => None,
            },
            _ => None,
        }
    }
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
    let upcoming = network::events(&state, ctx.caller(), &code)
        .await?
        .upcoming
        .into_iter()
        .take(3)
        .collect();
    render(&PlatformPage {
        crumbs: Crumbs::within(&ctx, &scope).current(ctx.t("coop-platform-title")),
        figures: figures(&state, scope.id).await?,
        feed: network::feed(&state, scope.id, 20).await?,
        upcoming,
        ctx: &ctx,
        scope,
        consortium,
    })
}
