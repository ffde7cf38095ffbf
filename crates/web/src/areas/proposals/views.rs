//! What the public sphere's pages share: comment threads, the history's lines, the next rung in words,
//! and the proposals' and debates' sections of a scope's page.
use maeul_db::comments::CommentRow;
use maeul_db::proposals::{Kind, Transition};
use maeul_domain::proposal::{Effect, Responder};
use maeul_domain::{Action, Scope};

use crate::AppState;
use crate::http::section::{ScopeSection, SectionItem, SectionLink};
use crate::http::{Ctx, PageError};

/// Orders a page of top-level comments and their replies as a thread (depth-first), each with its depth
/// and its body as safe HTML (stored when written; rendered here only for comments older than that).
pub fn thread(top: Vec<CommentRow>, replies: Vec<CommentRow>) -> Vec<(CommentRow, usize, String)> {
    let mut children: std::collections::HashMap<i64, Vec<CommentRow>> = Default::default();
    for r in replies {
        children
            .entry(r.parent_id.unwrap_or_default())
            .or_default()
            .push(r);
    }
    let mut out = vec![];
    let mut stack: Vec<(CommentRow, usize)> = top.into_iter().rev().map(|c| (c, 0)).collect();
    while let Some((mut c, depth)) = stack.pop() {
        if let Some(kids) = children.remove(&c.id) {
            let depth_below = (depth + 1).min(maeul_db::comments::MAX_DEPTH);
            stack.extend(kids.into_iter().rev().map(|k| (k, depth_below)));
        }
        let html = match c.body_html.take() {
            Some(html) => html,
            None => crate::markdown::to_safe_html(&c.body),
        };
        out.push((c, depth, html));
    }
    out
}

/// A transition's note for the history: the reason given, or the count that caused it.
pub fn history_note(ctx: &Ctx, t: &Transition) -> String {
    match t.count {
        Some(count) if t.reason.is_empty() => ctx.t1("proposal-history-count", "count", count),
        _ => t.reason.clone(),
    }
}

/// What reaching a rung brings, in words.
pub fn rung_text(ctx: &Ctx, threshold: u32, effect: Effect) -> String {
    let id = match effect {
        Effect::OpenForum => "rung-forum",
        Effect::RequireAnswer(Responder::Head) => "rung-head",
        Effect::RequireAnswer(Responder::Department) => "rung-department",
    };
    ctx.t1(id, "count", threshold)
}

async fn section(
    state: &AppState,
    ctx: &Ctx,
    scope: &Scope,
    kind: Kind,
) -> Result<ScopeSection, PageError> {
    let rows = state.db.proposals_in_scope(scope.id, kind, None, 5).await?;
    let may_write = ctx.may_in(Action::ParticipateAsResident, scope);
    let (id, title, empty, all, new, list, write) = match kind {
        Kind::Proposal => (
            "proposals",
            "section-proposals",
            "section-proposals-empty",
            "proposal-all",
            "proposal-new-title",
            "proposals",
            "proposals/new",
        ),
        Kind::Debate => (
            "debates",
            "section-debates",
            "section-debates-empty",
            "debate-all",
            "debate-new-title",
            "debates",
            "debates/new",
        ),
    };
    let mut links = vec![SectionLink::new(
        format!("/scopes/{}/{list}", scope.code),
        ctx.t(all),
        "all-link",
    )];
    if may_write {
        links.push(SectionLink::new(
            format!("/scopes/{}/{write}", scope.code),
            ctx.t(new),
            "new-link",
        ));
    }
    Ok(ScopeSection {
        id,
        title: ctx.t(title),
        items: rows
            .iter()
            .map(|p| SectionItem {
                href: p.path(),
                text: p.title.clone(),
                meta: match kind {
                    Kind::Proposal => ctx.t1("proposal-support-count", "count", p.support_count),
                    Kind::Debate => ctx.t1("comments-title", "count", p.comment_count),
                },
            })
            .collect(),
        empty: ctx.t(empty),
        links,
    })
}

/// The scope page's section of recent proposals.
pub async fn proposals_section(
    state: &AppState,
    ctx: &Ctx,
    scope: &Scope,
) -> Result<ScopeSection, PageError> {
    section(state, ctx, scope, Kind::Proposal).await
}

/// The scope page's section of recent debates.
pub async fn debates_section(
    state: &AppState,
    ctx: &Ctx,
    scope: &Scope,
) -> Result<ScopeSection, PageError> {
    section(state, ctx, scope, Kind::Debate).await
}
