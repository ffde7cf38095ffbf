//! Comments on proposals and debates: threads paged by top-level comment, replies, a debate comment's
//! position, editing with history, votes, and forum participation.
use maeul_db::comments::CommentRow;
use maeul_db::proposals::ProposalRow;
use maeul_domain::Refusal;
use maeul_domain::debate::Position;
use maeul_domain::moderation::ModerationRefusal;
use maeul_domain::proposal::{ItemRefusal, ItemState, ProposalState, input};

use super::items::{ladder_for, visible};
use crate::AppState;
use crate::http::{Caller, ServiceError, ServiceResult};

/// Top-level comments per page at most, each with every reply under it (and fewer threads when they are
/// long: `maeul_db::comments::PAGE_COMMENTS`).
pub const COMMENT_PAGE: i64 = 20;

/// A page of an item's comments: top-level ones after the cursor, their replies, and the next cursor.
#[derive(Clone)]
pub struct CommentPage {
    pub top: Vec<CommentRow>,
    pub replies: Vec<CommentRow>,
    pub next_after: Option<i64>,
}

pub async fn page(
    state: &AppState,
    caller: Option<&Caller>,
    item_id: i64,
    after: Option<i64>,
    limit: i64,
) -> ServiceResult<CommentPage> {
    let item = visible(state, caller, item_id).await?;
    page_of(state, &item, after, limit).await
}

/// A page of the comments of an item the caller has already been shown (its page loaded it).
pub async fn page_of(
    state: &AppState,
    item: &ProposalRow,
    after: Option<i64>,
    limit: i64,
) -> ServiceResult<CommentPage> {
    let item_id = item.id;
    let limit = limit.clamp(1, 100);
    let (top, replies, more) = state
        .db
        .comment_page(item_id, after.unwrap_or(0), limit)
        .await?;
    let next_after = more.then(|| top.last().map(|c| c.id)).flatten();
    Ok(CommentPage {
        top,
        replies,
        next_after,
    })
}

/// Whether an item takes comments now: visible to all, not hidden, and (debates) still open.
fn takes_comments(p: &ProposalRow) -> bool {
    p.hidden_at.is_none()
        && match p.state {
            ItemState::Proposal(s) => s.is_public(),
            ItemState::Debate(s) => s.takes_comments(),
        }
}

/// Adds a comment or reply (any signed-in person, on an item they can see that takes comments); returns
/// the item and the new comment's id. Commenting during a proposal's public forum is taking part in it.
pub async fn post(
    state: &AppState,
    caller: &Caller,
    item_id: i64,
    parent: Option<i64>,
    body: &str,
    position: &str,
) -> ServiceResult<(ProposalRow, i64)> {
    let p = visible(state, Some(caller), item_id).await?;
    if !takes_comments(&p) {
        return Err(Refusal::from(ItemRefusal::CommentsClosed).into());
    }
    let body = input::parse_comment(body).map_err(|e| Refusal::field("body", e))?;
    let position = match (p.is_debate(), position.trim()) {
        (false, _) | (true, "") => None,
        (true, other) => Some(
            Position::parse(other)
                .ok_or_else(|| ServiceError::from(Refusal::from(ItemRefusal::BadPosition)))?,
        ),
    };
    let comment_id = state
        .db
        .add_comment(p.id, parent, caller.id(), &body, position)
        .await?;
    if p.state == ItemState::Proposal(ProposalState::Forum) {
        let ladder = ladder_for(state, p.scope_id).await?;
        state.db.join_forum(p.id, caller.id(), &ladder).await?;
    }
    Ok((p, comment_id))
}

/// The comment and its item, for its author or anyone who may see it.
async fn comment_and_item(
    state: &AppState,
    caller: &Caller,
    comment_id: i64,
) -> ServiceResult<(CommentRow, ProposalRow)> {
    let c = state
        .db
        .comment(comment_id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let p = visible(state, Some(caller), c.proposal_id).await?;
    Ok((c, p))
}

/// Edits one's own comment; the previous text is kept in its history. Content under moderation (the
/// comment or its item hidden) stays as it is until a moderator decides.
pub async fn edit(
    state: &AppState,
    caller: &Caller,
    comment_id: i64,
    body: &str,
) -> ServiceResult<ProposalRow> {
    let (c, p) = comment_and_item(state, caller, comment_id).await?;
    if c.author_id != caller.id() {
        return Err(Refusal::from(ItemRefusal::NotAuthor).into());
    }
    if c.hidden_at.is_some() || p.hidden_at.is_some() {
        return Err(Refusal::from(ModerationRefusal::ContentHidden).into());
    }
    let body = input::parse_comment(body).map_err(|e| Refusal::field("body", e))?;
    state.db.edit_comment(comment_id, &body).await?;
    Ok(p)
}

/// Votes on someone else's comment (+1, −1, or 0 to take the vote back); returns its item.
pub async fn vote(
    state: &AppState,
    caller: &Caller,
    comment_id: i64,
    value: i64,
) -> ServiceResult<ProposalRow> {
    let (c, p) = comment_and_item(state, caller, comment_id).await?;
    if c.author_id == caller.id() {
        return Err(Refusal::from(ItemRefusal::OwnComment).into());
    }
    state
        .db
        .vote_comment(comment_id, caller.id(), value)
        .await?;
    Ok(p)
}

/// Where a comment is shown (its item's page at the comment), for anyone who may see it.
pub async fn locate(
    state: &AppState,
    caller: Option<&Caller>,
    comment_id: i64,
) -> ServiceResult<String> {
    let c = state
        .db
        .comment(comment_id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let p = visible(state, caller, c.proposal_id).await?;
    Ok(format!("{}#comment-{comment_id}", p.path()))
}
