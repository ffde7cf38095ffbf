//! Search over public proposals: Korean-capable text search with filters, sorting and a keyset cursor.
use axum::extract::{Query, State};
use axum::response::Response;
use maeul_db::proposals::{ProposalRow, ProposalSearch, SearchOrder};
use maeul_domain::proposal::{ProposalState, input};
use maeul_domain::{Scope, ScopeKind};
use serde::{Deserialize, Serialize};

use crate::AppState;
use crate::context::Ctx;
use crate::error::PageError;
use crate::pages::render;

const PAGE_SIZE: i64 = 20;

#[derive(Deserialize, Serialize, Default, Clone)]
pub struct SearchQuery {
    #[serde(default)]
    pub q: String,
    #[serde(default)]
    pub scope: String,
    #[serde(default)]
    pub category: String,
    #[serde(default)]
    pub state: String,
    #[serde(default)]
    pub sort: String,
    /// Cursor: "<support count>.<id>" of the last result shown.
    #[serde(default)]
    pub after: String,
}

#[derive(askama::Template)]
#[template(path = "search.html")]
struct SearchPage<'a> {
    ctx: &'a Ctx,
    q: SearchQuery,
    districts: Vec<&'a Scope>,
    categories: &'static [&'static str],
    states: Vec<&'static str>,
    searched: bool,
    results: Vec<ProposalRow>,
    next_url: Option<String>,
}

pub async fn search(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(q): Query<SearchQuery>,
) -> Result<Response, PageError> {
    let tree = ctx.scopes.clone();
    let searched = !(q.q.trim().is_empty()
        && q.scope.is_empty()
        && q.category.is_empty()
        && q.state.is_empty());
    let (results, next_url) = if searched {
        let scope_prefix = match q.scope.as_str() {
            "" => String::new(),
            code => tree
                .by_code(code)
                .map(|s| s.code.clone())
                .ok_or_else(|| PageError::BadRequest(format!("unknown scope {code:?}")))?,
        };
        let search = ProposalSearch {
            query: maeul_domain::search::parse_query(&q.q),
            scope_prefix,
            state: ProposalState::parse(&q.state).filter(|s| s.is_public()),
            category: input::parse_category(&q.category).ok().map(str::to_owned),
            order: if q.sort == "supported" {
                SearchOrder::MostSupported
            } else {
                SearchOrder::Recent
            },
            after: q
                .after
                .split_once('.')
                .and_then(|(c, i)| Some((c.parse().ok()?, i.parse().ok()?))),
            limit: PAGE_SIZE,
        };
        let results = state.db.search_proposals(&search).await?;
        let next_url = (results.len() as i64 == PAGE_SIZE)
            .then(|| results.last())
            .flatten()
            .map(|last| {
                let next = SearchQuery {
                    after: format!("{}.{}", last.support_count, last.id),
                    ..q.clone()
                };
                format!(
                    "/search?{}",
                    serde_urlencoded::to_string(&next).unwrap_or_default()
                )
            });
        (results, next_url)
    } else {
        (vec![], None)
    };
    let districts = tree
        .all()
        .iter()
        .filter(|s| s.kind == ScopeKind::District)
        .collect();
    let states = ProposalState::ALL
        .iter()
        .filter(|s| s.is_public())
        .map(|s| s.as_str())
        .collect();
    render(&SearchPage {
        ctx: &ctx,
        q,
        districts,
        categories: input::CATEGORIES,
        states,
        searched,
        results,
        next_url,
    })
}
