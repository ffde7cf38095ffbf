//! Resident proposals: writing, moderation, support, official answers, forums, and the lists.
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use maeul_db::proposals::{
    Answer, NewProposal, Obligation, ProposalRow, Transition, parse_responder,
};
use maeul_domain::proposal::{Effect, Ladder, Measure, ProposalEvent, ProposalState, input};
use maeul_domain::{Action, Scope};
use serde::Deserialize;

use crate::AppState;
use crate::context::Ctx;
use crate::csrf::CsrfForm;
use crate::error::PageError;
use crate::pages::account::require_user;
use crate::pages::{FormErrors, notice, render};

/// The threshold ladder of a scope. Every scope uses Democracy Seoul's rules until scopes get their own
/// configuration page.
pub fn ladder_for(_scope: &Scope) -> Ladder {
    Ladder::democracy_seoul()
}

const PAGE_SIZE: i64 = 30;

#[derive(Deserialize, Default)]
pub struct ProposalForm {
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub body: String,
    #[serde(default)]
    pub category: String,
    #[serde(default)]
    pub submit: String,
}

#[derive(askama::Template)]
#[template(path = "proposal_new.html")]
struct NewPage<'a> {
    ctx: &'a Ctx,
    scope: &'a Scope,
    form: ProposalForm,
    errors: FormErrors,
    categories: &'static [&'static str],
}

fn scope_by_code<'a>(ctx: &'a Ctx, code: &str) -> Result<&'a Scope, PageError> {
    ctx.scopes.by_code(code).ok_or(PageError::NotFound)
}

/// Only verified residents of the scope (or of a scope below it) may propose there.
fn require_participant(ctx: &Ctx, scope: &Scope) -> Result<(), PageError> {
    require_user(ctx)?;
    if ctx.may_in(Action::ParticipateAsResident, scope) {
        Ok(())
    } else {
        Err(PageError::Forbidden)
    }
}

pub async fn new_form(ctx: Ctx, Path(code): Path<String>) -> Result<Response, PageError> {
    let scope = scope_by_code(&ctx, &code)?;
    require_participant(&ctx, scope)?;
    let form = ProposalForm {
        category: "other".into(),
        ..Default::default()
    };
    render(&NewPage {
        ctx: &ctx,
        scope,
        form,
        errors: FormErrors::default(),
        categories: input::CATEGORIES,
    })
}

pub async fn create(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(code): Path<String>,
    CsrfForm(form): CsrfForm<ProposalForm>,
) -> Result<Response, PageError> {
    let scope = scope_by_code(&ctx, &code)?;
    require_participant(&ctx, scope)?;
    let me = require_user(&ctx)?;
    let mut errors = FormErrors::default();
    let title = errors.check(&ctx, "title", input::parse_title(&form.title));
    let body = errors.check(&ctx, "body", input::parse_body(&form.body));
    let category = errors.check(&ctx, "category", input::parse_category(&form.category));
    if let (Some(title), Some(body), Some(category), false) = (title, body, category, errors.any())
    {
        let new = NewProposal {
            scope_id: scope.id,
            author_id: me.user.id,
            title: &title,
            body: &body,
            category,
            submit: form.submit != "draft",
        };
        let id = state.db.create_proposal(&new).await?;
        return Ok(
            Redirect::to(&format!("/proposals/{id}?notice=notice-proposal-saved")).into_response(),
        );
    }
    let page = render(&NewPage {
        ctx: &ctx,
        scope,
        form,
        errors,
        categories: input::CATEGORIES,
    })?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
}

#[derive(askama::Template)]
#[template(path = "proposal.html")]
struct ProposalPage<'a> {
    ctx: &'a Ctx,
    p: ProposalRow,
    scope: &'a Scope,
    path: Vec<&'a Scope>,
    body_html: String,
    notice: Option<String>,
    next_rung: Option<(u32, String)>,
    may_support: bool,
    supported: bool,
    support_hint: Option<String>,
    may_moderate: bool,
    may_answer: bool,
    may_open_forum: bool,
    obligations: Vec<Obligation>,
    answers: Vec<Answer>,
    transitions: Vec<Transition>,
    now: i64,
    /// (comment, depth, rendered body) in reading order.
    comments: Vec<(maeul_db::comments::CommentRow, usize, String)>,
    comments_next: Option<i64>,
    /// The signed-in person's id (0 when signed out: no account has it).
    my_id: i64,
}

const COMMENT_PAGE: i64 = 50;

/// Orders a page of top-level comments and their replies as a thread (depth-first), each with its depth.
fn thread(
    top: Vec<maeul_db::comments::CommentRow>,
    replies: Vec<maeul_db::comments::CommentRow>,
) -> Vec<(maeul_db::comments::CommentRow, usize, String)> {
    let mut children: std::collections::HashMap<i64, Vec<maeul_db::comments::CommentRow>> =
        Default::default();
    for r in replies {
        children
            .entry(r.parent_id.unwrap_or_default())
            .or_default()
            .push(r);
    }
    let mut out = vec![];
    let mut stack: Vec<(maeul_db::comments::CommentRow, usize)> =
        top.into_iter().rev().map(|c| (c, 0)).collect();
    while let Some((c, depth)) = stack.pop() {
        if let Some(kids) = children.remove(&c.id) {
            let depth_below = (depth + 1).min(maeul_db::comments::MAX_DEPTH);
            stack.extend(kids.into_iter().rev().map(|k| (k, depth_below)));
        }
        let html = crate::markdown::to_safe_html(&c.body);
        out.push((c, depth, html));
    }
    out
}

/// A proposal others may see: public ones, and one's own in any state.
async fn visible_proposal(state: &AppState, ctx: &Ctx, id: i64) -> Result<ProposalRow, PageError> {
    let p = state.db.proposal(id).await?.ok_or(PageError::NotFound)?;
    let own = ctx.user().is_some_and(|u| u.id == p.author_id);
    let scope = ctx.scopes.get(p.scope_id).ok_or(PageError::NotFound)?;
    if p.state().is_public() || own || ctx.may_in(Action::Moderate, scope) {
        Ok(p)
    } else {
        Err(PageError::NotFound)
    }
}

#[derive(Deserialize)]
pub struct ShowQuery {
    pub notice: Option<String>,
    /// Comment cursor: the last top-level comment of the previous page.
    pub after: Option<i64>,
}

pub async fn show(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Query(q): Query<ShowQuery>,
) -> Result<Response, PageError> {
    let p = visible_proposal(&state, &ctx, id).await?;
    let tree = ctx.scopes.clone();
    let scope = tree.get(p.scope_id).ok_or(PageError::NotFound)?;
    let ladder = ladder_for(scope);
    let pstate = p.state();
    let participant = ctx.may_in(Action::ParticipateAsResident, scope);
    let supported = match ctx.user() {
        Some(u) => state.db.has_supported(id, u.id).await?,
        None => false,
    };
    let support_hint = if !pstate.accepts_support() {
        None
    } else if ctx.user().is_none() {
        Some(ctx.t("proposal-sign-in-to-support"))
    } else if !participant {
        Some(ctx.t("proposal-residents-only"))
    } else {
        None
    };
    let next_rung = ladder
        .rungs
        .iter()
        .filter(|r| r.measure == Measure::Supporters && i64::from(r.threshold) > p.support_count)
        .min_by_key(|r| r.threshold)
        .map(|r| {
            let key = match r.effect {
                Effect::OpenForum => "rung-forum",
                Effect::RequireAnswer(maeul_domain::proposal::Responder::Head) => "rung-head",
                Effect::RequireAnswer(_) => "rung-department",
            };
            (r.threshold, ctx.t1(key, "count", r.threshold))
        });
    let (top, replies) = state
        .db
        .comment_page(id, q.after.unwrap_or(0), COMMENT_PAGE)
        .await?;
    let comments_next = (top.len() as i64 == COMMENT_PAGE)
        .then(|| top.last().map(|c| c.id))
        .flatten();
    let page = ProposalPage {
        comments: thread(top, replies),
        comments_next,
        my_id: ctx.user().map_or(0, |u| u.id),
        body_html: crate::markdown::to_safe_html(&p.body),
        notice: notice(&ctx, q.notice.as_deref()),
        next_rung,
        may_support: pstate.accepts_support() && participant,
        supported,
        support_hint,
        may_moderate: pstate == ProposalState::Submitted && ctx.may_in(Action::Moderate, scope),
        may_answer: matches!(
            pstate,
            ProposalState::Collecting | ProposalState::Forum | ProposalState::Answered
        ) && ctx.may_in(Action::AnswerOfficially, scope),
        may_open_forum: pstate == ProposalState::Collecting
            && ctx.may_in(Action::ActAsCommitteeMember, scope),
        obligations: state.db.proposal_obligations(id).await?,
        answers: state.db.proposal_answers(id).await?,
        transitions: state.db.proposal_transitions(id).await?,
        now: maeul_db::now(),
        path: tree.path(scope),
        scope,
        ctx: &ctx,
        p,
    };
    render(&page)
}

async fn change_support(
    state: &AppState,
    ctx: &Ctx,
    id: i64,
    add: bool,
) -> Result<Response, PageError> {
    let me = require_user(ctx)?;
    let p = visible_proposal(state, ctx, id).await?;
    let scope = ctx.scopes.get(p.scope_id).ok_or(PageError::NotFound)?;
    if !ctx.may_in(Action::ParticipateAsResident, scope) {
        return Err(PageError::Forbidden);
    }
    let ladder = ladder_for(scope);
    let change = if add {
        state.db.support_proposal(id, me.user.id, &ladder).await?
    } else {
        state.db.withdraw_support(id, me.user.id, &ladder).await?
    };
    let key = match (add, change.changed) {
        (true, true) => "notice-supported",
        (true, false) => "notice-already-supported",
        (false, _) => "notice-support-withdrawn",
    };
    Ok(Redirect::to(&format!("/proposals/{id}?notice={key}")).into_response())
}

pub async fn support(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    CsrfForm(_): CsrfForm<crate::pages::auth::Empty>,
) -> Result<Response, PageError> {
    change_support(&state, &ctx, id, true).await
}

pub async fn withdraw(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    CsrfForm(_): CsrfForm<crate::pages::auth::Empty>,
) -> Result<Response, PageError> {
    change_support(&state, &ctx, id, false).await
}

#[derive(Deserialize)]
pub struct ReasonForm {
    #[serde(default)]
    pub reason: String,
}

/// Applies a lifecycle event if the signed-in person holds `action` in the proposal's scope.
async fn lifecycle(
    state: &AppState,
    ctx: &Ctx,
    id: i64,
    action: Action,
    event: ProposalEvent,
    notice: &str,
) -> Result<Response, PageError> {
    let me = require_user(ctx)?;
    let p = state.db.proposal(id).await?.ok_or(PageError::NotFound)?;
    let scope = ctx.scopes.get(p.scope_id).ok_or(PageError::NotFound)?;
    if !ctx.may_in(action, scope) {
        return Err(PageError::Forbidden);
    }
    state
        .db
        .transition_proposal(id, &event, &ladder_for(scope), Some(me.user.id))
        .await?;
    Ok(Redirect::to(&format!("/proposals/{id}?notice={notice}")).into_response())
}

pub async fn accept(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    CsrfForm(_): CsrfForm<crate::pages::auth::Empty>,
) -> Result<Response, PageError> {
    lifecycle(
        &state,
        &ctx,
        id,
        Action::Moderate,
        ProposalEvent::Accept,
        "notice-decided",
    )
    .await
}

pub async fn reject(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    CsrfForm(form): CsrfForm<ReasonForm>,
) -> Result<Response, PageError> {
    let reason = input::parse_reason(&form.reason)
        .map_err(|e| PageError::BadRequest(ctx.t(e.message_id())))?;
    lifecycle(
        &state,
        &ctx,
        id,
        Action::Moderate,
        ProposalEvent::Reject { reason },
        "notice-decided",
    )
    .await
}

pub async fn open_forum(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    CsrfForm(form): CsrfForm<ReasonForm>,
) -> Result<Response, PageError> {
    let reason = input::parse_reason(&form.reason)
        .map_err(|e| PageError::BadRequest(ctx.t(e.message_id())))?;
    lifecycle(
        &state,
        &ctx,
        id,
        Action::ActAsCommitteeMember,
        ProposalEvent::PanelOpensForum { reason },
        "notice-decided",
    )
    .await
}

#[derive(Deserialize)]
pub struct AnswerForm {
    #[serde(default)]
    pub responder: String,
    #[serde(default)]
    pub body: String,
}

pub async fn answer(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    CsrfForm(form): CsrfForm<AnswerForm>,
) -> Result<Response, PageError> {
    let me = require_user(&ctx)?;
    let p = state.db.proposal(id).await?.ok_or(PageError::NotFound)?;
    let scope = ctx.scopes.get(p.scope_id).ok_or(PageError::NotFound)?;
    if !ctx.may_in(Action::AnswerOfficially, scope) {
        return Err(PageError::Forbidden);
    }
    let responder = parse_responder(&form.responder)
        .ok_or_else(|| PageError::BadRequest(format!("unknown responder {:?}", form.responder)))?;
    let body =
        input::parse_body(&form.body).map_err(|e| PageError::BadRequest(ctx.t(e.message_id())))?;
    state
        .db
        .answer_proposal(id, responder, me.user.id, &body, &ladder_for(scope))
        .await?;
    Ok(Redirect::to(&format!("/proposals/{id}?notice=notice-answered")).into_response())
}

#[derive(askama::Template)]
#[template(path = "proposals_list.html")]
struct ListPage<'a> {
    ctx: &'a Ctx,
    scope: &'a Scope,
    path: Vec<&'a Scope>,
    proposals: Vec<ProposalRow>,
    next_cursor: Option<i64>,
    may_propose: bool,
}

#[derive(Deserialize)]
pub struct ListQuery {
    pub before: Option<i64>,
}

pub async fn list(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(code): Path<String>,
    Query(q): Query<ListQuery>,
) -> Result<Response, PageError> {
    let tree = ctx.scopes.clone();
    let scope = tree.by_code(&code).ok_or(PageError::NotFound)?;
    let proposals = state
        .db
        .proposals_in_scope(scope.id, q.before, PAGE_SIZE)
        .await?;
    let next_cursor = (proposals.len() as i64 == PAGE_SIZE)
        .then(|| proposals.last().map(|p| p.id))
        .flatten();
    render(&ListPage {
        ctx: &ctx,
        scope,
        path: tree.path(scope),
        may_propose: ctx.may_in(Action::ParticipateAsResident, scope),
        proposals,
        next_cursor,
    })
}

#[derive(askama::Template)]
#[template(path = "moderation.html")]
struct ModerationPage<'a> {
    ctx: &'a Ctx,
    proposals: Vec<ProposalRow>,
}

pub async fn moderation(State(state): State<AppState>, ctx: Ctx) -> Result<Response, PageError> {
    let me = require_user(&ctx)?;
    if !me.actor.may_somewhere(Action::Moderate) {
        return Err(PageError::Forbidden);
    }
    let mut proposals = vec![];
    for grant in me
        .actor
        .grants
        .iter()
        .filter(|g| Action::Moderate.roles().contains(&g.role))
    {
        if let Some(scope) = ctx.scopes.get(grant.scope_id) {
            proposals.extend(state.db.proposals_to_moderate(&scope.code, 200).await?);
        }
    }
    proposals.sort_by_key(|p| p.id);
    proposals.dedup_by_key(|p| p.id);
    render(&ModerationPage {
        ctx: &ctx,
        proposals,
    })
}

#[derive(askama::Template)]
#[template(path = "overdue.html")]
struct OverduePage<'a> {
    ctx: &'a Ctx,
    items: Vec<(Obligation, String)>,
}

/// The public list of official answers past their due date.
pub async fn overdue(State(state): State<AppState>, ctx: Ctx) -> Result<Response, PageError> {
    let mut items = vec![];
    for o in state.db.overdue_obligations(200).await? {
        if let Some(p) = state.db.proposal(o.proposal_id).await? {
            items.push((o, p.title));
        }
    }
    render(&OverduePage { ctx: &ctx, items })
}

/// The few most recent public proposals of a scope, for its page.
pub async fn recent(state: &AppState, scope_id: i64) -> Result<Vec<ProposalRow>, PageError> {
    Ok(state.db.proposals_in_scope(scope_id, None, 5).await?)
}

#[derive(Deserialize)]
pub struct CommentForm {
    #[serde(default)]
    pub body: String,
    pub parent: Option<i64>,
}

/// Adds a comment or reply (any signed-in person, on a proposal they can see).
pub async fn comment(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    CsrfForm(form): CsrfForm<CommentForm>,
) -> Result<Response, PageError> {
    let me = require_user(&ctx)?;
    let p = visible_proposal(&state, &ctx, id).await?;
    let body = input::parse_comment(&form.body).map_err(|e| {
        PageError::BadRequest(match e.limit() {
            Some(limit) => ctx.t1(e.message_id(), "limit", limit),
            None => ctx.t(e.message_id()),
        })
    })?;
    let comment_id = state
        .db
        .add_comment(p.id, form.parent, me.user.id, &body)
        .await?;
    Ok(Redirect::to(&format!("/proposals/{id}#comment-{comment_id}")).into_response())
}

/// Edits one's own comment; the previous text is kept in its history.
pub async fn edit_comment(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(comment_id): Path<i64>,
    CsrfForm(form): CsrfForm<CommentForm>,
) -> Result<Response, PageError> {
    let me = require_user(&ctx)?;
    let c = state
        .db
        .comment(comment_id)
        .await?
        .ok_or(PageError::NotFound)?;
    if c.author_id != me.user.id {
        return Err(PageError::Forbidden);
    }
    let body = input::parse_comment(&form.body)
        .map_err(|e| PageError::BadRequest(ctx.t(e.message_id())))?;
    state.db.edit_comment(comment_id, &body).await?;
    Ok(Redirect::to(&format!(
        "/proposals/{}#comment-{comment_id}",
        c.proposal_id
    ))
    .into_response())
}

#[derive(Deserialize)]
pub struct VoteForm {
    pub value: i64,
}

pub async fn vote_comment(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(comment_id): Path<i64>,
    CsrfForm(form): CsrfForm<VoteForm>,
) -> Result<Response, PageError> {
    let me = require_user(&ctx)?;
    let c = state
        .db
        .comment(comment_id)
        .await?
        .ok_or(PageError::NotFound)?;
    visible_proposal(&state, &ctx, c.proposal_id).await?;
    state
        .db
        .vote_comment(comment_id, me.user.id, form.value)
        .await?;
    Ok(Redirect::to(&format!(
        "/proposals/{}#comment-{comment_id}",
        c.proposal_id
    ))
    .into_response())
}
