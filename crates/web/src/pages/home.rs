//! The city's front page and the page of every scope.
use axum::extract::State;
use axum::response::Response;
use maeul_domain::Scope;

use crate::AppState;
use crate::context::Ctx;
use crate::error::PageError;
use crate::pages::render;

pub struct DistrictCard<'a> {
    pub scope: &'a Scope,
    pub neighbourhoods: usize,
}

#[derive(askama::Template)]
#[template(path = "home.html")]
struct HomePage<'a> {
    ctx: &'a Ctx,
    city: &'a Scope,
    districts: Vec<DistrictCard<'a>>,
}

pub async fn home(State(_): State<AppState>, ctx: Ctx) -> Result<Response, PageError> {
    let tree = ctx.scopes.clone();
    let city = tree.city().ok_or(PageError::NotFound)?;
    let districts = tree
        .children(city.id)
        .map(|scope| DistrictCard {
            scope,
            neighbourhoods: tree.children(scope.id).count(),
        })
        .collect();
    render(&HomePage {
        ctx: &ctx,
        city,
        districts,
    })
}
