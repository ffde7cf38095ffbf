//! What the cooperation platform's pages show beside their data: the notices its forms may name, the
//! network's figures (what the evaluation will read) and the scope page's section.
use maeul_domain::Scope;
use maeul_domain::cooperation::{BookingState, EnrolmentState};

use super::service::within;
use crate::AppState;
use crate::http::section::{ScopeSection, SectionItem, SectionLink};
use crate::http::{Ctx, PageError};

/// The notices the area's redirects may name.
pub const NOTICES: &[&str] = &[
    "coop-notice-saved",
    "coop-notice-joined",
    "coop-notice-left",
    "coop-notice-verified",
    "coop-notice-requested",
    "coop-notice-decided",
    "coop-notice-enrolled",
    "coop-notice-withdrawn",
    "coop-notice-attendance",
    "coop-notice-applied",
    "coop-notice-scored",
    "coop-notice-published",
];

/// The network's figures for a scope and the scopes below it.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Figures {
    pub organizations: usize,
    pub verified: usize,
    pub residents_trained: usize,
    pub training_hours: i64,
    pub bookings_approved: usize,
    pub grants_awarded: usize,
    pub grants_amount: i64,
}

pub async fn figures(state: &AppState, scope_id: i64) -> Result<Figures, PageError> {
    let ids = within(state, scope_id);
    let mut f = Figures::default();
    for o in state.db.organizations().await? {
        if ids.contains(&o.scope_id) {
            f.organizations += 1;
            f.verified += usize::from(o.verified());
        }
    }
    let mut trained = std::collections::BTreeSet::new();
    for p in state.db.programs().await? {
        if !ids.contains(&p.scope_id) {
            continue;
        }
        for e in state.db.enrolments_of(p.id).await? {
            if e.state == EnrolmentState::Completed {
                trained.insert(e.user_id);
                f.training_hours += p.hours;
            }
        }
    }
    f.residents_trained = trained.len();
    for r in state.db.resources().await? {
        if ids.contains(&r.scope_id) {
            f.bookings_approved += state
                .db
                .bookings_of(r.id)
                .await?
                .iter()
                .filter(|b| b.state == BookingState::Approved)
                .count();
        }
    }
    for c in state.db.grant_calls().await? {
        if ids.contains(&c.scope_id) {
            for a in state.db.grant_applications(c.id).await? {
                if a.awarded_at.is_some() {
                    f.grants_awarded += 1;
                    f.grants_amount += a.amount;
                }
            }
        }
    }
    Ok(f)
}

/// The scope page's section: the platform, its consortium's organizations.
pub async fn scope_section(
    state: &AppState,
    ctx: &Ctx,
    scope: &Scope,
) -> Result<ScopeSection, PageError> {
    let mut items = vec![];
    for c in state.db.consortium(scope.id).await? {
        if let Some(o) = state.db.organization(c.organization_id).await? {
            items.push(SectionItem {
                href: format!("/organizations/{}", o.id),
                text: o.name,
                meta: ctx.label(c.role),
            });
        }
    }
    Ok(ScopeSection {
        id: "cooperation",
        title: ctx.t("coop-platform-title"),
        items,
        empty: ctx.t("coop-platform-empty"),
        links: vec![
            SectionLink::new(
                format!("/scopes/{}/cooperation", scope.code),
                ctx.t("coop-platform-open"),
                "cooperation-link",
            ),
            SectionLink::new(
                format!("/scopes/{}/organizations", scope.code),
                ctx.t("coop-orgs-title"),
                "organizations-link",
            ),
        ],
    })
}
