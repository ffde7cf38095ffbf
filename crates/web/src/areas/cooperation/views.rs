//! What the cooperation platform's pages show beside their data: the notices its forms may name, the
//! network's figures (what the evaluation will read) and the scope page's section.
use maeul_domain::Scope;
use maeul_domain::cooperation::{BookingState, EnrolmentState};

use super::service::within;
use crate::AppState;
use crate::http::section::{ScopeSection, SectionItem, SectionLink};
use crate::http::{Ctx, PageError, ServiceResult};

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
    "coop-notice-announced",
    "coop-notice-linked",
    "coop-notice-reported",
];

/// The network's figures for a scope and the scopes below it: what the evaluation reads (the platform
/// page shows them, `figures.csv` and `figures.json` give them).
#[derive(Debug, Default, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Figures {
    pub organizations: usize,
    /// Organizations with an activity in the last year (`cooperation::active_organizations`).
    pub organizations_active: usize,
    pub verified: usize,
    pub residents_trained: usize,
    /// Training hours of the completed programs.
    pub training_hours: i64,
    pub bookings_approved: usize,
    /// Hours of the approved bookings.
    pub booked_hours: i64,
    pub events: usize,
    pub grants_awarded: usize,
    /// Won awarded.
    pub grants_amount: i64,
    /// Awarded grants whose tracked project is completed.
    pub grants_completed: usize,
}

impl Figures {
    /// (name, value) in the order the CSV and the page give them.
    pub fn pairs(&self) -> [(&'static str, i64); 11] {
        let n = |v: usize| i64::try_from(v).unwrap_or(i64::MAX);
        [
            ("organizations", n(self.organizations)),
            ("organizations_active", n(self.organizations_active)),
            ("organizations_verified", n(self.verified)),
            ("residents_trained", n(self.residents_trained)),
            ("training_hours", self.training_hours),
            ("bookings_approved", n(self.bookings_approved)),
            ("booked_hours", self.booked_hours),
            ("events", n(self.events)),
            ("grants_awarded", n(self.grants_awarded)),
            ("grants_amount", self.grants_amount),
            ("grants_completed", n(self.grants_completed)),
        ]
    }
}

pub async fn figures(state: &AppState, scope_id: i64) -> ServiceResult<Figures> {
    let ids = within(state, scope_id);
    let mut f = Figures::default();
    let activity: Vec<(i64, i64)> = state
        .db
        .network_activity()
        .await?
        .iter()
        .filter_map(|a| Some((a.organization_id?, a.at)))
        .collect();
    let active =
        maeul_domain::cooperation::active_organizations(&activity, maeul_domain::time::now());
    for o in state.db.organizations().await? {
        if ids.contains(&o.scope_id) {
            f.organizations += 1;
            f.organizations_active += usize::from(active.contains(&o.id));
            f.verified += usize::from(o.verified());
        }
    }
    f.events = state
        .db
        .events()
        .await?
        .iter()
        .filter(|e| ids.contains(&e.scope_id))
        .count();
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
            for b in state.db.bookings_of(r.id).await? {
                if b.state == BookingState::Approved {
                    f.bookings_approved += 1;
                    f.booked_hours += (b.ends_at - b.starts_at) / 3600;
                }
            }
        }
    }
    let calls = state.db.grant_calls().await?;
    for g in state.db.grant_projects().await? {
        if g.status == maeul_domain::evaluation::ProjectStatus::Completed
            && calls
                .iter()
                .any(|c| c.id == g.call_id && ids.contains(&c.scope_id))
        {
            f.grants_completed += 1;
        }
    }
    for c in calls {
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
