//! Resident proposals and debates: writing, moderation, support, official answers, forums, comments,
//! attachments, and the lists. A debate is shown by the same page with its own parts (positions, a
//! conclusion) in place of the support box and the ladder.
use axum::extract::{Multipart, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use maeul_db::attachments::AttachmentInfo;
use maeul_db::notifications::FollowTarget;
use maeul_db::proposals::{
    Answer, Kind, NewProposal, Obligation, ProposalRow, Transition, parse_responder,
};
use maeul_domain::debate::{DebateState, Position};
use maeul_domain::moderation::ReportReason;
use maeul_domain::proposal::{Effect, Ladder, Measure, ProposalEvent, ProposalState, input};
use maeul_domain::{Action, Scope};
use serde::Deserialize;

use crate::AppState;
use crate::context::Ctx;
use crate::csrf::{CsrfForm, tokens_match};
use crate::error::PageError;
use crate::pages::account::require_user;
use crate::pages::manage::CsrfQuery;
use crate::pages::{FormErrors, notice, render};

/// The threshold ladder of a scope: its own, or the nearest ancestor's, or Democracy Seoul's.
pub async fn ladder_for(state: &AppState, scope: &Scope) -> Result<Ladder, maeul_db::DbError> {
    let path: Vec<i64> = state.scopes().path(scope).iter().map(|s| s.id).collect();
    Ok(state.db.ladder_config(&path).await?.0.ladder())
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
    pub location: String,
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
    /// Writing a debate (opening statement) rather than a proposal.
    debate: bool,
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

fn new_page(ctx: &Ctx, code: &str, kind: Kind) -> Result<Response, PageError> {
    let scope = scope_by_code(ctx, code)?;
    require_participant(ctx, scope)?;
    let form = ProposalForm {
        category: "other".into(),
        ..Default::default()
    };
    render(&NewPage {
        ctx,
        scope,
        form,
        errors: FormErrors::default(),
        categories: input::CATEGORIES,
        debate: kind == Kind::Debate,
    })
}

pub async fn new_form(ctx: Ctx, Path(code): Path<String>) -> Result<Response, PageError> {
    new_page(&ctx, &code, Kind::Proposal)
}

pub async fn new_debate_form(ctx: Ctx, Path(code): Path<String>) -> Result<Response, PageError> {
    new_page(&ctx, &code, Kind::Debate)
}

async fn create_item(
    state: &AppState,
    ctx: &Ctx,
    code: &str,
    form: ProposalForm,
    kind: Kind,
) -> Result<Response, PageError> {
    let scope = scope_by_code(ctx, code)?;
    require_participant(ctx, scope)?;
    let me = require_user(ctx)?;
    let mut errors = FormErrors::default();
    let title = errors.check(ctx, "title", input::parse_title(&form.title));
    let body = errors.check(ctx, "body", input::parse_body(&form.body));
    let category = errors.check(ctx, "category", input::parse_category(&form.category));
    let location = errors.check(ctx, "location", input::parse_location(&form.location));
    if let (Some(title), Some(body), Some(category), Some(location), false) =
        (title, body, category, location, errors.any())
    {
        let new = NewProposal {
            scope_id: scope.id,
            author_id: me.user.id,
            title: &title,
            body: &body,
            category,
            location: &location,
            submit: form.submit != "draft",
            kind,
        };
        let id = state.db.create_proposal(&new).await?;
        let path = match kind {
            Kind::Proposal => format!("/proposals/{id}?notice=notice-proposal-saved"),
            Kind::Debate => format!("/debates/{id}?notice=notice-debate-opened"),
        };
        return Ok(Redirect::to(&path).into_response());
    }
    let page = render(&NewPage {
        ctx,
        scope,
        form,
        errors,
        categories: input::CATEGORIES,
        debate: kind == Kind::Debate,
    })?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
}

pub async fn create(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(code): Path<String>,
    CsrfForm(form): CsrfForm<ProposalForm>,
) -> Result<Response, PageError> {
    create_item(&state, &ctx, &code, form, Kind::Proposal).await
}

pub async fn create_debate(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(code): Path<String>,
    CsrfForm(form): CsrfForm<ProposalForm>,
) -> Result<Response, PageError> {
    create_item(&state, &ctx, &code, form, Kind::Debate).await
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
    /// Moderators of the scope: they see hidden content and can hide or restore it.
    is_moderator: bool,
    following: bool,
    followers: i64,
    attachments: Vec<AttachmentInfo>,
    may_attach: bool,
    may_conclude: bool,
    may_comment: bool,
    /// The author may submit this draft for moderation.
    may_submit: bool,
    /// Debate comments by position, over the whole debate: (for, against, neutral).
    positions: (i64, i64, i64),
    report_reasons: [ReportReason; 5],
    attachment_error: Option<String>,
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

/// A proposal or debate others may see: public and not hidden; one's own in any state; anything in a
/// scope one moderates.
pub async fn visible_proposal(
    state: &AppState,
    ctx: &Ctx,
    id: i64,
) -> Result<ProposalRow, PageError> {
    let p = state.db.proposal(id).await?.ok_or(PageError::NotFound)?;
    let own = ctx.user().is_some_and(|u| u.id == p.author_id);
    let scope = ctx.scopes.get(p.scope_id).ok_or(PageError::NotFound)?;
    let public = (p.is_debate() || p.state().is_public()) && p.hidden_at.is_none();
    if public || own || ctx.may_in(Action::Moderate, scope) {
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
    /// An attachment refused (message id), shown on the page.
    pub attachment_error: Option<String>,
}

pub async fn show(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Query(q): Query<ShowQuery>,
) -> Result<Response, PageError> {
    show_item(state, ctx, id, q, Kind::Proposal).await
}

pub async fn show_debate(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Query(q): Query<ShowQuery>,
) -> Result<Response, PageError> {
    show_item(state, ctx, id, q, Kind::Debate).await
}

async fn show_item(
    state: AppState,
    ctx: Ctx,
    id: i64,
    q: ShowQuery,
    kind: Kind,
) -> Result<Response, PageError> {
    let p = visible_proposal(&state, &ctx, id).await?;
    if p.is_debate() != (kind == Kind::Debate) {
        // `#123` links and old addresses land on the right page whatever the kind.
        return Ok(Redirect::permanent(&p.path()).into_response());
    }
    let tree = ctx.scopes.clone();
    let scope = tree.get(p.scope_id).ok_or(PageError::NotFound)?;
    let ladder = ladder_for(&state, scope).await?;
    let pstate = p.state();
    let participant = ctx.may_in(Action::ParticipateAsResident, scope);
    let supported = match ctx.user() {
        Some(u) => state.db.has_supported(id, u.id).await?,
        None => false,
    };
    let support_hint = if p.is_debate() || !pstate.accepts_support() {
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
    let my_id = ctx.user().map_or(0, |u| u.id);
    let is_moderator = ctx.may_in(Action::Moderate, scope);
    let following = match ctx.user() {
        Some(u) => {
            state
                .db
                .is_following(u.id, FollowTarget::Proposal(id))
                .await?
        }
        None => false,
    };
    let comments = thread(top, replies);
    let positions = if p.is_debate() {
        state.db.debate_positions(id).await?
    } else {
        (0, 0, 0)
    };
    let attachments = state.db.attachments_of(id).await?;
    let is_debate = p.is_debate();
    let page = ProposalPage {
        positions,
        comments,
        comments_next,
        my_id,
        is_moderator,
        following,
        followers: state.db.follower_count(FollowTarget::Proposal(id)).await?,
        may_attach: !is_debate
            && p.author_id == my_id
            && matches!(pstate, ProposalState::Draft | ProposalState::Submitted)
            && attachments.len() < maeul_domain::attachment::MAX_PER_PROPOSAL,
        attachments,
        may_submit: !is_debate && pstate == ProposalState::Draft && p.author_id == my_id,
        may_conclude: is_debate
            && p.debate_state() == DebateState::Open
            && (p.author_id == my_id || ctx.may_in(Action::AnswerOfficially, scope)),
        may_comment: ctx.user().is_some()
            && p.hidden_at.is_none()
            && (!is_debate || p.debate_state().takes_comments()),
        report_reasons: ReportReason::ALL,
        attachment_error: q
            .attachment_error
            .as_deref()
            .filter(|id| id.starts_with("error-attachment-"))
            .map(|id| {
                ctx.t1(
                    id,
                    "limit",
                    maeul_domain::attachment::MAX_BYTES / (1024 * 1024),
                )
            }),
        body_html: crate::markdown::to_safe_html(&p.body),
        notice: notice(&ctx, q.notice.as_deref()),
        next_rung,
        may_support: !is_debate && pstate.accepts_support() && participant,
        supported,
        support_hint,
        may_moderate: !is_debate && pstate == ProposalState::Submitted && is_moderator,
        may_answer: !is_debate
            && matches!(
                pstate,
                ProposalState::Collecting | ProposalState::Forum | ProposalState::Answered
            )
            && ctx.may_in(Action::AnswerOfficially, scope),
        may_open_forum: !is_debate
            && pstate == ProposalState::Collecting
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
    if p.is_debate() {
        return Err(PageError::BadRequest(ctx.t("error-debate-no-support")));
    }
    let ladder = ladder_for(state, scope).await?;
    let change = if add {
        state.db.support_proposal(id, me.user.id, &ladder).await?
    } else {
        state.db.withdraw_support(id, me.user.id, &ladder).await?
    };
    let key = match (add, change.changed) {
        (true, true) => "notice-supported",
        (true, false) => "notice-already-supported",
        (false, true) => "notice-support-withdrawn",
        (false, false) => "notice-not-supported",
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
        .transition_proposal(
            id,
            &event,
            &ladder_for(state, scope).await?,
            Some(me.user.id),
        )
        .await?;
    Ok(Redirect::to(&format!("/proposals/{id}?notice={notice}")).into_response())
}

/// The author submits their draft for moderation.
pub async fn submit_draft(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    CsrfForm(_): CsrfForm<crate::pages::auth::Empty>,
) -> Result<Response, PageError> {
    let me = require_user(&ctx)?;
    let p = visible_proposal(&state, &ctx, id).await?;
    if p.author_id != me.user.id || p.is_debate() {
        return Err(PageError::Forbidden);
    }
    let scope = ctx.scopes.get(p.scope_id).ok_or(PageError::NotFound)?;
    state
        .db
        .transition_proposal(
            id,
            &ProposalEvent::Submit,
            &ladder_for(&state, scope).await?,
            Some(me.user.id),
        )
        .await?;
    Ok(Redirect::to(&format!("/proposals/{id}?notice=notice-proposal-saved")).into_response())
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
        .answer_proposal(
            id,
            responder,
            me.user.id,
            &body,
            &ladder_for(&state, scope).await?,
        )
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
    debates: bool,
    /// The ladder in force here, and the scope it is configured on (None: the city default).
    ladder: maeul_domain::proposal::LadderConfig,
    ladder_from: Option<i64>,
    /// Administrators of the scope may set its own ladder.
    may_configure: bool,
    ladder_error: Option<String>,
}

#[derive(Deserialize)]
pub struct ListQuery {
    pub before: Option<i64>,
    /// A refused ladder configuration's message, shown on the page.
    pub ladder_error: Option<String>,
}

pub async fn list(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(code): Path<String>,
    Query(q): Query<ListQuery>,
) -> Result<Response, PageError> {
    list_items(state, ctx, code, q, Kind::Proposal).await
}

pub async fn list_debates(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(code): Path<String>,
    Query(q): Query<ListQuery>,
) -> Result<Response, PageError> {
    list_items(state, ctx, code, q, Kind::Debate).await
}

async fn list_items(
    state: AppState,
    ctx: Ctx,
    code: String,
    q: ListQuery,
    kind: Kind,
) -> Result<Response, PageError> {
    let tree = ctx.scopes.clone();
    let scope = tree.by_code(&code).ok_or(PageError::NotFound)?;
    let proposals = state
        .db
        .proposals_in_scope(scope.id, kind, q.before, PAGE_SIZE)
        .await?;
    let next_cursor = (proposals.len() as i64 == PAGE_SIZE)
        .then(|| proposals.last().map(|p| p.id))
        .flatten();
    let ids: Vec<i64> = tree.path(scope).iter().map(|s| s.id).collect();
    let (ladder, ladder_from) = state.db.ladder_config(&ids).await?;
    render(&ListPage {
        ladder,
        ladder_from,
        may_configure: ctx.may_in(Action::ManageRoles, scope),
        ladder_error: q
            .ladder_error
            .filter(|m| m.starts_with("ladder-error-"))
            .map(|m| ctx.t(&m)),
        ctx: &ctx,
        scope,
        path: tree.path(scope),
        may_propose: ctx.may_in(Action::ParticipateAsResident, scope),
        proposals,
        next_cursor,
        debates: kind == Kind::Debate,
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
pub async fn recent(
    state: &AppState,
    scope_id: i64,
    kind: Kind,
) -> Result<Vec<ProposalRow>, PageError> {
    Ok(state.db.proposals_in_scope(scope_id, kind, None, 5).await?)
}

#[derive(Deserialize)]
pub struct CommentForm {
    #[serde(default)]
    pub body: String,
    pub parent: Option<i64>,
    /// A debate comment's side.
    #[serde(default)]
    pub position: String,
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
    if p.hidden_at.is_some() || (p.is_debate() && !p.debate_state().takes_comments()) {
        return Err(PageError::BadRequest(ctx.t("error-comments-closed")));
    }
    let body = input::parse_comment(&form.body).map_err(|e| {
        PageError::BadRequest(match e.limit() {
            Some(limit) => ctx.t1(e.message_id(), "limit", limit),
            None => ctx.t(e.message_id()),
        })
    })?;
    let position = match (p.is_debate(), form.position.as_str()) {
        (false, _) | (true, "") => None,
        (true, other) => Some(
            Position::parse(other).ok_or_else(|| PageError::BadRequest(ctx.t("error-position")))?,
        ),
    };
    let comment_id = state
        .db
        .add_comment(p.id, form.parent, me.user.id, &body, position)
        .await?;
    // Commenting during a public forum is taking part in it: the count drives the ladder's forum rung.
    if p.state() == ProposalState::Forum && !p.is_debate() {
        let scope = ctx.scopes.get(p.scope_id).ok_or(PageError::NotFound)?;
        let ladder = ladder_for(&state, scope).await?;
        state.db.join_forum(p.id, me.user.id, &ladder).await?;
    }
    Ok(Redirect::to(&format!("{}#comment-{comment_id}", p.path())).into_response())
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
    let p = visible_proposal(&state, &ctx, c.proposal_id).await?;
    Ok(Redirect::to(&format!("{}#comment-{comment_id}", p.path())).into_response())
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
    let p = visible_proposal(&state, &ctx, c.proposal_id).await?;
    state
        .db
        .vote_comment(comment_id, me.user.id, form.value)
        .await?;
    Ok(Redirect::to(&format!("{}#comment-{comment_id}", p.path())).into_response())
}

/// Concludes a debate (its author, or an official of its scope) with a written conclusion.
pub async fn conclude(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    CsrfForm(form): CsrfForm<ReasonForm>,
) -> Result<Response, PageError> {
    let me = require_user(&ctx)?;
    let p = visible_proposal(&state, &ctx, id).await?;
    let scope = ctx.scopes.get(p.scope_id).ok_or(PageError::NotFound)?;
    if !p.is_debate() {
        return Err(PageError::NotFound);
    }
    let allowed = p.author_id == me.user.id || ctx.may_in(Action::AnswerOfficially, scope);
    let conclusion = form.reason.trim();
    maeul_domain::debate::conclude(p.debate_state(), allowed, conclusion).map_err(|e| match e {
        maeul_domain::debate::DebateError::NotAllowed => PageError::Forbidden,
        other => PageError::BadRequest(ctx.t(match other {
            maeul_domain::debate::DebateError::AlreadyConcluded => "error-debate-concluded",
            _ => "error-required",
        })),
    })?;
    if conclusion.chars().count() > input::REASON_MAX {
        return Err(PageError::BadRequest(ctx.t1(
            "error-too-long",
            "limit",
            input::REASON_MAX,
        )));
    }
    state.db.conclude_debate(id, me.user.id, conclusion).await?;
    Ok(Redirect::to(&format!("/debates/{id}?notice=notice-debate-concluded")).into_response())
}

/// Attaches a file to one's own proposal while it is a draft or awaits moderation. The file's type
/// comes from its bytes (PDF, PNG, JPEG); a refused file changes nothing and says why.
pub async fn attach(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Query(q): Query<CsrfQuery>,
    mut multipart: Multipart,
) -> Result<Response, PageError> {
    // Multipart bodies carry the CSRF token in the query string, checked before the body is read.
    if !tokens_match(&ctx.csrf, &q.csrf) {
        return Err(PageError::Csrf);
    }
    let me = require_user(&ctx)?;
    let p = visible_proposal(&state, &ctx, id).await?;
    if p.author_id != me.user.id
        || p.is_debate()
        || !matches!(p.state(), ProposalState::Draft | ProposalState::Submitted)
    {
        return Err(PageError::Forbidden);
    }
    let mut file = None;
    while let Some(field) = multipart.next_field().await.map_err(|e| {
        PageError::BadRequest(format!("the upload could not be read: {}", e.body_text()))
    })? {
        if field.name() == Some("file") {
            let name = field.file_name().unwrap_or("").to_owned();
            let bytes = field.bytes().await.map_err(|_| {
                PageError::BadRequest(ctx.t1(
                    "error-attachment-too-large",
                    "limit",
                    maeul_domain::attachment::MAX_BYTES / (1024 * 1024),
                ))
            })?;
            file = Some((name, bytes));
        }
    }
    let (name, bytes) =
        file.ok_or_else(|| PageError::BadRequest(ctx.t("error-attachment-empty")))?;
    let existing = state.db.attachments_of(id).await?.len();
    let file_type = match maeul_domain::attachment::check(&bytes, existing) {
        Ok(t) => t,
        Err(e) => {
            return Ok(Redirect::to(&format!(
                "/proposals/{id}?attachment_error={}#attachments",
                e.message_id()
            ))
            .into_response());
        }
    };
    let file_name = maeul_domain::attachment::file_name(&name, file_type);
    state
        .db
        .add_attachment(
            id,
            me.user.id,
            &file_name,
            file_type.content_type(),
            &bytes,
            maeul_domain::attachment::MAX_PER_PROPOSAL as i64,
        )
        .await?;
    Ok(Redirect::to(&format!(
        "/proposals/{id}?notice=notice-attached#attachments"
    ))
    .into_response())
}

/// Serves an attachment of a proposal the visitor may see, as a download with its rebuilt name.
pub async fn attachment(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((id, _name)): Path<(i64, String)>,
) -> Result<Response, PageError> {
    let file = state.db.attachment(id).await?.ok_or(PageError::NotFound)?;
    visible_proposal(&state, &ctx, file.info.proposal_id).await?;
    let content_type =
        maeul_domain::attachment::FileType::from_content_type(&file.info.content_type)
            .map(|t| t.content_type())
            .unwrap_or("application/octet-stream");
    // RFC 5987 `filename*`: UTF-8, every byte outside the unreserved set percent-encoded.
    let encoded = crate::pages::percent_encode(&file.info.file_name);
    Ok((
        [
            (axum::http::header::CONTENT_TYPE, content_type.to_owned()),
            (
                axum::http::header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"attachment\"; filename*=UTF-8''{encoded}"),
            ),
            (
                axum::http::header::CACHE_CONTROL,
                "private, max-age=300".to_owned(),
            ),
        ],
        file.data,
    )
        .into_response())
}

#[derive(Deserialize)]
pub struct LadderForm {
    #[serde(default)]
    pub answer_at: String,
    #[serde(default)]
    pub forum_at: String,
    #[serde(default)]
    pub head_at: String,
    #[serde(default)]
    pub answer_days: String,
    /// Set to go back to the inherited ladder.
    #[serde(default)]
    pub inherit: String,
}

/// Sets a scope's own threshold ladder (administrators of the scope). A refused configuration says why
/// and changes nothing.
pub async fn set_ladder(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(code): Path<String>,
    CsrfForm(form): CsrfForm<LadderForm>,
) -> Result<Response, PageError> {
    use maeul_domain::proposal::{LadderConfig, LadderError};
    let me = require_user(&ctx)?;
    let scope = scope_by_code(&ctx, &code)?;
    if !ctx.may_in(Action::ManageRoles, scope) {
        return Err(PageError::Forbidden);
    }
    let back = format!("/scopes/{code}/proposals");
    let config = if form.inherit == "1" {
        None
    } else {
        let number = |s: &str| s.trim().parse::<u32>().ok();
        let parsed = (|| {
            Some(LadderConfig {
                answer_at: number(&form.answer_at)?,
                forum_at: number(&form.forum_at)?,
                head_at: number(&form.head_at)?,
                answer_days: number(&form.answer_days)?,
            })
        })();
        let error = match parsed.map(|c| (c, c.check())) {
            None => Some("ladder-error-number"),
            Some((_, Err(LadderError::ZeroThreshold))) => Some("ladder-error-zero"),
            Some((_, Err(LadderError::ForumBeforeAnswer))) => Some("ladder-error-order"),
            Some((_, Err(LadderError::AnswerDays))) => Some("ladder-error-days"),
            Some((_, Err(LadderError::TooHigh))) => Some("ladder-error-high"),
            Some((_, Ok(()))) => None,
        };
        if let Some(id) = error {
            return Ok(Redirect::to(&format!("{back}?ladder_error={id}#ladder")).into_response());
        }
        parsed
    };
    state
        .db
        .set_ladder_config(scope.id, config, me.user.id)
        .await?;
    Ok(Redirect::to(&format!("{back}#ladder")).into_response())
}
