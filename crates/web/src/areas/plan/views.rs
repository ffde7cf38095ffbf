//! What the plan's pages show beside their data: the scope page's section (items referred to and from the
//! scope, its plans) and the notices its forms may name.
use maeul_domain::Scope;

use super::service::items::may_manage;
use crate::AppState;
use crate::http::section::{ScopeSection, SectionItem, SectionLink};
use crate::http::{Ctx, PageError};

/// The notices the plan's redirects may name.
pub const NOTICES: &[&str] = &[
    "plan-notice-saved",
    "plan-notice-referred",
    "plan-notice-voted",
    "plan-notice-entered",
    "plan-notice-vote-set",
];

/// The scope page's section: the scope's plans, then the items referred to it and from it.
pub async fn scope_section(
    state: &AppState,
    ctx: &Ctx,
    scope: &Scope,
) -> Result<ScopeSection, PageError> {
    let mut items: Vec<SectionItem> = state
        .db
        .plans_of(scope.id)
        .await?
        .into_iter()
        .map(|p| SectionItem {
            href: format!("/plans/{}", p.id),
            text: p.title,
            meta: ctx.label(p.state),
        })
        .collect();
    for r in state.db.plan_referrals_touching(scope.id).await? {
        let direction = if r.to_scope_id == scope.id {
            ctx.t1(
                "plan-referred-to-here",
                "scope",
                ctx.scope_name_by_id(&r.from_scope_id),
            )
        } else {
            ctx.t1(
                "plan-referred-from-here",
                "scope",
                ctx.scope_name_by_id(&r.to_scope_id),
            )
        };
        items.push(SectionItem {
            href: format!("/agenda-items/{}", r.item_id),
            text: r.item_title,
            meta: format!("{direction} · {}", ctx.label(r.outcome)),
        });
    }
    let mut links = vec![
        SectionLink::new(
            format!("/scopes/{}/agenda-items", scope.code),
            ctx.t("plan-items-title"),
            "agenda-items-link",
        ),
        SectionLink::new(
            format!("/scopes/{}/plans", scope.code),
            ctx.t("plan-plans-title"),
            "plans-link",
        ),
    ];
    if may_manage(state, ctx.caller(), scope.id) {
        links.push(SectionLink::new(
            format!("/scopes/{}/agenda-items#new-item-title", scope.code),
            ctx.t("plan-item-new"),
            "new-item-link",
        ));
    }
    Ok(ScopeSection {
        id: "plan",
        title: ctx.t("section-plan"),
        items,
        empty: ctx.t("section-plan-empty"),
        links,
    })
}
