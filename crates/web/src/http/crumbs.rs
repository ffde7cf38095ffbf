//! Breadcrumbs: every page's trail starts at the city and ends with the page itself (marked current), so
//! sibling pages start at the same level and a visitor always sees where they are.
use maeul_domain::Scope;

use crate::http::context::Ctx;

pub struct Crumbs {
    /// (href, text) of each level above the page.
    pub links: Vec<(String, String)>,
    /// The page itself.
    pub current: String,
}

impl Crumbs {
    /// The trail of a page inside `scope`: the city down to `scope`, each a link.
    pub fn within(ctx: &Ctx, scope: &Scope) -> Crumbs {
        Crumbs {
            links: ctx
                .scopes
                .path(scope)
                .into_iter()
                .map(|s| (format!("/scopes/{}", s.code), ctx.scope_name(s)))
                .collect(),
            current: String::new(),
        }
    }

    /// The trail of `scope`'s own page: the levels above it, and the scope as the current page.
    pub fn of_scope(ctx: &Ctx, scope: &Scope) -> Crumbs {
        let mut crumbs = Crumbs::within(ctx, scope);
        crumbs.links.pop();
        crumbs.current(ctx.scope_name(scope))
    }

    /// One more level between the scope and the page.
    pub fn link(mut self, href: impl Into<String>, text: impl Into<String>) -> Crumbs {
        self.links.push((href.into(), text.into()));
        self
    }

    pub fn current(mut self, text: impl Into<String>) -> Crumbs {
        self.current = text.into();
        self
    }
}
