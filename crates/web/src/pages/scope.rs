//! The page of a scope: the city, a district or a neighbourhood, with what belongs to it.
use axum::extract::{Path, State};
use axum::response::Response;
use maeul_domain::{Scope, ScopeKind};

use maeul_db::notifications::FollowTarget;
use maeul_db::proposals::Kind;

use crate::AppState;
use crate::context::Ctx;
use crate::error::PageError;
use crate::pages::render;

pub struct ChildCard<'a> {
    pub scope: &'a Scope,
    pub count: usize,
}

#[derive(askama::Template)]
#[template(path = "scope.html")]
struct ScopePage<'a> {
    ctx: &'a Ctx,
    scope: &'a Scope,
    alt_name: &'a str,
    path: Vec<&'a Scope>,
    children_title: String,
    children: Vec<ChildCard<'a>>,
    is_home: bool,
    /// (anchor, title message, empty-state message) of each capability section still to come.
    sections: &'static [(&'static str, &'static str, &'static str)],
    proposals: Vec<maeul_db::proposals::ProposalRow>,
    debates: Vec<maeul_db::proposals::ProposalRow>,
    may_propose: bool,
    following: bool,
}

/// The capabilities every scope hosts; each section fills in as its capability lands.
const SECTIONS: &[(&str, &str, &str)] = &[
    (
        "committees",
        "section-committees",
        "section-committees-empty",
    ),
    ("budget", "section-budget", "section-budget-empty"),
    ("plan", "section-plan", "section-plan-empty"),
    (
        "evaluation",
        "section-evaluation",
        "section-evaluation-empty",
    ),
];

pub async fn scope_page(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(code): Path<String>,
) -> Result<Response, PageError> {
    let tree = ctx.scopes.clone();
    let scope = tree.by_code(&code).ok_or(PageError::NotFound)?;
    let children = tree
        .children(scope.id)
        .map(|c| ChildCard {
            scope: c,
            count: tree.children(c.id).count(),
        })
        .collect();
    let children_title = match scope.kind {
        ScopeKind::City => ctx.t("scope-districts"),
        _ => ctx.t("scope-neighbourhoods"),
    };
    let is_home = ctx
        .signed_in
        .as_ref()
        .and_then(|s| s.actor.home.as_ref())
        .is_some_and(|home| home.id == scope.id);
    render(&ScopePage {
        ctx: &ctx,
        scope,
        alt_name: scope.name(ctx.other_lang()),
        path: tree.path(scope),
        children_title,
        children,
        is_home,
        sections: SECTIONS,
        proposals: crate::pages::proposals::recent(&state, scope.id, Kind::Proposal).await?,
        debates: crate::pages::proposals::recent(&state, scope.id, Kind::Debate).await?,
        may_propose: ctx.may_in(maeul_domain::Action::ParticipateAsResident, scope),
        following: match ctx.user() {
            Some(u) => {
                state
                    .db
                    .is_following(u.id, FollowTarget::Scope(scope.id))
                    .await?
            }
            None => false,
        },
    })
}

#[derive(askama::Template)]
#[template(path = "about_data.html")]
struct AboutDataPage<'a> {
    ctx: &'a Ctx,
}

/// Where the city's data comes from, with the attributions its licences ask for.
pub async fn about_data(ctx: Ctx) -> Result<Response, PageError> {
    render(&AboutDataPage { ctx: &ctx })
}
