//! What the evaluation shows beside its pages: the scope page's section (the scope's evaluations with their
//! grades, and links to its dashboard and tracked projects).
use maeul_domain::Scope;

use crate::AppState;
use crate::http::section::{ScopeSection, SectionItem, SectionLink};
use crate::http::{Ctx, PageError, ServiceError};

/// The scope page's section: the evaluations of the scope, latest first.
pub async fn scope_section(
    state: &AppState,
    ctx: &Ctx,
    scope: &Scope,
) -> Result<ScopeSection, PageError> {
    let items = state
        .db
        .evaluation_cycles_in(&[scope.id])
        .await
        .map_err(ServiceError::from)?
        .into_iter()
        .map(|c| SectionItem {
            href: format!("/evaluation-cycles/{}", c.id),
            text: format!("{} {}", ctx.t("evaluation-cycle"), c.year),
            meta: match c.grade.0 {
                Some(g) => format!(
                    "{} · {} {}",
                    ctx.label(c.state),
                    ctx.t("evaluation-grade"),
                    ctx.label(g)
                ),
                None => ctx.label(c.state),
            },
        })
        .collect();
    Ok(ScopeSection {
        id: "evaluation",
        title: ctx.t("section-evaluation"),
        items,
        empty: ctx.t("section-evaluation-empty"),
        links: vec![
            SectionLink::new(
                format!("/scopes/{}/dashboard", scope.code),
                ctx.t("dashboard-title"),
                "dashboards-link",
            ),
            SectionLink::new(
                format!("/scopes/{}/tracked-projects", scope.code),
                ctx.t("evaluation-projects-title"),
                "tracking-link",
            ),
            SectionLink::new(
                format!("/scopes/{}/evaluations", scope.code),
                ctx.t("evaluation-cycles-title"),
                "evaluations-link",
            ),
        ],
    })
}
