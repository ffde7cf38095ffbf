//! The front page, a scope's page and the data sources page.
use axum::extract::State;
use axum::response::Response;
use maeul_domain::{Scope, ScopeKind};

use crate::AppState;
use crate::areas::{budgeting, committees, notifications, proposals};
use crate::http::section::ScopeSection;
use crate::http::{Crumbs, Ctx, PageError, PagePath, render};

pub struct ScopeCard<'a> {
    pub scope: &'a Scope,
    /// Neighbourhoods below it.
    pub count: usize,
}

#[derive(askama::Template)]
#[template(path = "scopes/home.html")]
struct HomePage<'a> {
    ctx: &'a Ctx,
    city: &'a Scope,
    districts: Vec<ScopeCard<'a>>,
}

pub async fn home(ctx: Ctx) -> Result<Response, PageError> {
    let tree = ctx.scopes.clone();
    let city = tree.city().ok_or(PageError::NotFound)?;
    let districts = tree
        .children(city.id)
        .map(|scope| ScopeCard {
            scope,
            count: tree.children(scope.id).count(),
        })
        .collect();
    render(&HomePage {
        ctx: &ctx,
        city,
        districts,
    })
}

#[derive(askama::Template)]
#[template(path = "scopes/scope.html")]
struct ScopePage<'a> {
    ctx: &'a Ctx,
    scope: &'a Scope,
    alt_name: &'a str,
    crumbs: Crumbs,
    children_title: String,
    children: Vec<ScopeCard<'a>>,
    is_home: bool,
    following: bool,
    sections: Vec<ScopeSection>,
}

/// A scope's page: its children, and one section per capability, each built by its area.
pub async fn scope(
    State(state): State<AppState>,
    ctx: Ctx,
    PagePath(code): PagePath<String>,
) -> Result<Response, PageError> {
    let tree = ctx.scopes.clone();
    let scope = tree.by_code(&code).ok_or(PageError::NotFound)?;
    let children = tree
        .children(scope.id)
        .map(|c| ScopeCard {
            scope: c,
            count: tree.children(c.id).count(),
        })
        .collect();
    let children_title = match scope.kind {
        ScopeKind::City => ctx.t("scope-districts"),
        _ => ctx.t("scope-neighbourhoods"),
    };
    let is_home = ctx
        .caller()
        .and_then(|c| c.actor.home.as_ref())
        .is_some_and(|home| home.id == scope.id);
    let sections = vec![
        proposals::views::proposals_section(&state, &ctx, scope).await?,
        proposals::views::debates_section(&state, &ctx, scope).await?,
        committees::views::scope_section(&state, &ctx, scope).await?,
        budgeting::views::scope_section(&state, &ctx, scope).await?,
        crate::areas::plan::views::scope_section(&state, &ctx, scope).await?,
        crate::areas::cooperation::views::scope_section(&state, &ctx, scope).await?,
        crate::areas::evaluation::views::scope_section(&state, &ctx, scope).await?,
        crate::areas::forums::views::scope_section(&state, &ctx, scope).await?,
    ];
    render(&ScopePage {
        following: notifications::service::follows_scope(&state, ctx.caller(), scope.id).await?,
        ctx: &ctx,
        scope,
        alt_name: scope.name(ctx.other_lang()),
        crumbs: Crumbs::of_scope(&ctx, scope),
        children_title,
        children,
        is_home,
        sections,
    })
}

#[derive(askama::Template)]
#[template(path = "scopes/about_data.html")]
struct AboutDataPage<'a> {
    ctx: &'a Ctx,
}

/// Where the city's data comes from, with the attributions its licences ask for.
pub async fn about_data(ctx: Ctx) -> Result<Response, PageError> {
    render(&AboutDataPage { ctx: &ctx })
}
