//! Search over public proposals, debates and comments: Korean-capable text search with filters (scope,
//! kind, state, category, dates), sorting (recent, most supported, most commented) and a keyset cursor.
use axum::extract::State;
use axum::response::Response;
use maeul_db::comments::CommentHit;
use maeul_db::proposals::{Kind, ProposalRow, ProposalSearch, SearchOrder};
use maeul_domain::proposal::{Category, ProposalState, input};
use maeul_domain::{Scope, ScopeKind};
use serde::{Deserialize, Serialize};

use crate::AppState;
use crate::http::{Ctx, PageError, PageQuery, render};
use crate::i18n::Message;

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
    /// '', 'proposal' or 'debate'.
    #[serde(default)]
    pub kind: String,
    /// Created on or after this day (YYYY-MM-DD, Seoul time).
    #[serde(default)]
    pub from: String,
    /// Created on or before this day (YYYY-MM-DD, Seoul time).
    #[serde(default)]
    pub until: String,
    /// Cursor: "<support or comment count>.<id>" of the last result shown.
    #[serde(default)]
    pub after: String,
}

#[derive(askama::Template)]
#[template(path = "proposals/search.html")]
struct SearchPage<'a> {
    ctx: &'a Ctx,
    q: SearchQuery,
    districts: Vec<&'a Scope>,
    categories: &'static [Category],
    states: Vec<ProposalState>,
    searched: bool,
    results: Vec<ProposalRow>,
    /// Comments matching the text (first page only; they link to their thread).
    comments: Vec<CommentHit>,
    next_url: Option<String>,
    date_error: Option<String>,
}

pub async fn search(
    State(state): State<AppState>,
    ctx: Ctx,
    PageQuery(q): PageQuery<SearchQuery>,
) -> Result<Response, PageError> {
    let tree = ctx.scopes.clone();
    let searched = !(q.q.trim().is_empty()
        && q.scope.is_empty()
        && q.category.is_empty()
        && q.state.is_empty()
        && q.kind.is_empty()
        && q.from.is_empty()
        && q.until.is_empty());
    let mut date_error = None;
    let mut day = |s: &str| -> Option<i64> {
        if s.is_empty() {
            return None;
        }
        let t = maeul_domain::time::parse_local_date(s).ok();
        if t.is_none() {
            date_error = Some(ctx.t("error-invalid-date"));
        }
        t
    };
    let created_from = day(&q.from);
    let created_until = day(&q.until).map(|t| maeul_domain::time::add_local_days(t, 1));
    let mut comments = vec![];
    let (results, next_url) = if searched && date_error.is_none() {
        let scope_prefix = match q.scope.as_str() {
            "" => String::new(),
            code => tree
                .by_code(code)
                .map(|s| s.code.clone())
                .ok_or_else(|| PageError::BadRequest(Message::id("request-error-query")))?,
        };
        let search = ProposalSearch {
            query: maeul_domain::search::parse_query(&q.q),
            scope_prefix,
            state: ProposalState::parse(&q.state).filter(|s| s.is_public()),
            category: input::parse_category(&q.category).ok(),
            kind: match q.kind.as_str() {
                "proposal" => Some(Kind::Proposal),
                "debate" => Some(Kind::Debate),
                _ => None,
            },
            created_from,
            created_until,
            order: match q.sort.as_str() {
                "supported" => SearchOrder::MostSupported,
                "commented" => SearchOrder::MostCommented,
                _ => SearchOrder::Recent,
            },
            after: q
                .after
                .split_once('.')
                .and_then(|(c, i)| Some((c.parse().ok()?, i.parse().ok()?))),
            limit: PAGE_SIZE,
        };
        let results = state.db.search_proposals(&search).await?;
        if let (Some(query), true) = (&search.query, q.after.is_empty()) {
            comments = state
                .db
                .search_comments(query, &search.scope_prefix, PAGE_SIZE)
                .await?;
        }
        let next_url = (results.len() as i64 == PAGE_SIZE)
            .then(|| results.last())
            .flatten()
            .map(|last| {
                let count = match search.order {
                    SearchOrder::MostCommented => last.comment_count,
                    _ => last.support_count,
                };
                let next = SearchQuery {
                    after: format!("{count}.{}", last.id),
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
    // Only states a visitor can find a proposal in.
    let states = ProposalState::ALL
        .into_iter()
        .filter(|s| s.is_public())
        .collect();
    render(&SearchPage {
        ctx: &ctx,
        q,
        districts,
        categories: &Category::ALL,
        states,
        searched,
        results,
        comments,
        next_url,
        date_error,
    })
}
