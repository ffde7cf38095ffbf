//! Proposal and debate pages: writing, the item's page, lists, supports, the lifecycle's steps, official
//! answers, the overdue list and a scope's ladder.
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use maeul_db::attachments::AttachmentInfo;
use maeul_db::proposals::{Answer, Kind, Obligation, ProposalRow, Transition};
use maeul_domain::moderation::ReportReason;
use maeul_domain::proposal::{Category, LadderConfig, Responder};
use maeul_domain::{Action, Scope};
use serde::Deserialize;

use crate::AppState;
use crate::areas::cooperation::service::network as cooperation;
use crate::areas::proposals::service::comments::{self, COMMENT_PAGE};
use crate::areas::proposals::service::items::{
    self, Forum, ItemPermissions, LadderInput, NewItem, Step,
};
use crate::areas::proposals::views::{history_note, rung_text, thread};
use crate::http::{
    Crumbs, CsrfForm, Ctx, FormErrors, PageError, PagePath, PageQuery, ServiceError, notice, render,
};

/// Notices an item's page shows after a redirect.
pub const NOTICES: &[&str] = &[
    "notice-proposal-saved",
    "notice-supported",
    "notice-already-supported",
    "notice-support-withdrawn",
    "notice-not-supported",
    "notice-answered",
    "notice-decided",
    "notice-debate-opened",
    "notice-debate-concluded",
    "notice-attached",
    "notice-reported",
    "notice-already-reported",
];

#[derive(Deserialize, Default)]
pub struct ItemForm {
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
    /// An organization the author belongs to, to submit on its behalf (cooperation's proposer record).
    #[serde(default)]
    pub organization: String,
}

#[derive(askama::Template)]
#[template(path = "proposals/proposal_new.html")]
struct NewPage<'a> {
    ctx: &'a Ctx,
    scope: &'a Scope,
    crumbs: Crumbs,
    form: ItemForm,
    errors: FormErrors,
    categories: &'static [Category],
    /// The organizations the author may submit for: (id, name).
    orgs: Vec<(i64, String)>,
    /// Writing a debate (opening statement) rather than a proposal.
    debate: bool,
}

async fn new_page(
    state: &AppState,
    ctx: &Ctx,
    scope: &Scope,
    kind: Kind,
    form: ItemForm,
    errors: FormErrors,
) -> Result<Response, PageError> {
    let status = errors.status();
    let orgs = cooperation::member_of(state, ctx.caller()).await?;
    let page = render(&NewPage {
        orgs,
        ctx,
        scope,
        crumbs: list_crumbs(ctx, scope, kind).current(ctx.t(if kind == Kind::Debate {
            "debate-new-title"
        } else {
            "proposal-new-title"
        })),
        form,
        errors,
        categories: items::categories(),
        debate: kind == Kind::Debate,
    })?;
    Ok((status, page).into_response())
}

async fn new_form(
    state: &AppState,
    ctx: &Ctx,
    code: &str,
    kind: Kind,
) -> Result<Response, PageError> {
    let me = ctx.caller().ok_or(PageError::Unauthorized)?;
    let scope = items::writing_scope(state, me, code)?;
    let form = ItemForm {
        category: Category::Other.as_str().into(),
        ..Default::default()
    };
    new_page(state, ctx, &scope, kind, form, FormErrors::default()).await
}

pub async fn new_proposal(
    State(state): State<AppState>,
    ctx: Ctx,
    PagePath(code): PagePath<String>,
) -> Result<Response, PageError> {
    new_form(&state, &ctx, &code, Kind::Proposal).await
}

pub async fn new_debate(
    State(state): State<AppState>,
    ctx: Ctx,
    PagePath(code): PagePath<String>,
) -> Result<Response, PageError> {
    new_form(&state, &ctx, &code, Kind::Debate).await
}

async fn create(
    state: &AppState,
    ctx: &Ctx,
    code: &str,
    kind: Kind,
    form: ItemForm,
) -> Result<Response, PageError> {
    let me = ctx.caller().ok_or(PageError::Unauthorized)?;
    let item = NewItem {
        title: &form.title,
        body: &form.body,
        category: &form.category,
        location: &form.location,
        submit: form.submit != "draft",
    };
    // Submitting on behalf of an organization: the author must belong to it (checked first, recorded
    // after the proposal is written).
    let on_behalf = if kind == Kind::Proposal {
        cooperation::acting_for(state, me, &form.organization).await
    } else {
        Ok(None)
    };
    let created = match on_behalf {
        Ok(org) => items::create(state, me, code, kind, &item)
            .await
            .map(|id| (id, org)),
        Err(e) => Err(e),
    };
    let created = match created {
        Ok((id, Some(org))) => cooperation::record_proposer(state, me, org, id)
            .await
            .map(|()| id),
        Ok((id, None)) => Ok(id),
        Err(e) => Err(e),
    };
    match created {
        Ok(id) => Ok(Redirect::to(&match kind {
            Kind::Proposal => format!("/proposals/{id}?notice=notice-proposal-saved"),
            Kind::Debate => format!("/debates/{id}?notice=notice-debate-opened"),
        })
        .into_response()),
        Err(ServiceError::Refused(r)) => {
            let scope = items::writing_scope(state, me, code)?;
            let errors = FormErrors::from_refusal(ctx, &r, "title");
            new_page(state, ctx, &scope, kind, form, errors).await
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn create_proposal(
    State(state): State<AppState>,
    ctx: Ctx,
    PagePath(code): PagePath<String>,
    CsrfForm(form): CsrfForm<ItemForm>,
) -> Result<Response, PageError> {
    create(&state, &ctx, &code, Kind::Proposal, form).await
}

pub async fn create_debate(
    State(state): State<AppState>,
    ctx: Ctx,
    PagePath(code): PagePath<String>,
    CsrfForm(form): CsrfForm<ItemForm>,
) -> Result<Response, PageError> {
    create(&state, &ctx, &code, Kind::Debate, form).await
}

#[derive(askama::Template)]
#[template(path = "proposals/proposal.html")]
struct ItemPage<'a> {
    ctx: &'a Ctx,
    p: ProposalRow,
    crumbs: Crumbs,
    body_html: String,
    notice: Option<String>,
    /// The next rung of supporters: (threshold, what it brings in words).
    next_rung: Option<(u32, String)>,
    supported: bool,
    support_hint: Option<String>,
    may: ItemPermissions,
    forum: Option<Forum>,
    obligations: Vec<Obligation>,
    answers: Vec<Answer>,
    /// Each transition with its note (a reason, or the count that caused it).
    history: Vec<(Transition, String)>,
    now: i64,
    /// (comment, depth, rendered body) in reading order.
    comments: Vec<(maeul_db::comments::CommentRow, usize, String)>,
    comments_next: Option<i64>,
    /// The signed-in person's id (0 when signed out: no account has it).
    my_id: i64,
    following: bool,
    followers: i64,
    attachments: Vec<AttachmentInfo>,
    positions: (i64, i64, i64),
    /// Each report reason and its label, translated once for the page (a form under every comment).
    report_reasons: Vec<(&'static str, String)>,
    responders: [Responder; 2],
    attachment_error: Option<String>,
    /// The agenda item this proposal was promoted to (the plan's side of the link), if any.
    agenda_item: Option<(i64, String)>,
    /// The budget project it became, and where the caller may make it one.
    budget: crate::areas::budgeting::links::ProposalBudget,
}

#[derive(Deserialize)]
pub struct ShowQuery {
    pub notice: Option<String>,
    /// Comment cursor: the last top-level comment of the previous page.
    pub after: Option<i64>,
}

pub async fn show_proposal(
    State(state): State<AppState>,
    ctx: Ctx,
    PagePath(id): PagePath<i64>,
    PageQuery(q): PageQuery<ShowQuery>,
) -> Result<Response, PageError> {
    show(&state, &ctx, id, &q, Kind::Proposal, None, StatusCode::OK).await
}

pub async fn show_debate(
    State(state): State<AppState>,
    ctx: Ctx,
    PagePath(id): PagePath<i64>,
    PageQuery(q): PageQuery<ShowQuery>,
) -> Result<Response, PageError> {
    show(&state, &ctx, id, &q, Kind::Debate, None, StatusCode::OK).await
}

/// An item's page; `attachment_error` and `status` when an upload was refused.
pub async fn show(
    state: &AppState,
    ctx: &Ctx,
    id: i64,
    q: &ShowQuery,
    kind: Kind,
    attachment_error: Option<String>,
    status: StatusCode,
) -> Result<Response, PageError> {
    // Anonymous readers share what the page reads through the micro-cache (fresh within a second,
    // cleared by any write on this server); signed-in readers read it fresh (it depends on them).
    let load = async {
        let v = items::page(state, ctx.caller(), id).await?;
        let comments = comments::page_of(state, &v.item, q.after, COMMENT_PAGE).await?;
        let agenda_item = crate::areas::plan::service::items::for_proposal(state, id).await?;
        let budget =
            crate::areas::budgeting::links::for_proposal(state, ctx.caller(), &v.item).await?;
        Ok::<_, ServiceError>((v, comments, agenda_item, budget))
    };
    let (v, page_of_comments, agenda_item, budget) = match ctx.caller() {
        None => {
            let key = format!("item {id} {:?}", q.after);
            (*state.microcache.get_or_load(key, load).await?).clone()
        }
        Some(_) => load.await?,
    };
    if v.item.kind != kind {
        // `#123` links and old addresses land on the right page whatever the kind.
        return Ok(Redirect::permanent(&v.item.path()).into_response());
    }
    let tree = ctx.scopes.clone();
    let scope = tree.get(v.item.scope_id).ok_or(PageError::NotFound)?;
    let accepts_support = v.item.state.proposal().is_some_and(|s| s.accepts_support());
    let support_hint = if !accepts_support || v.may.support {
        None
    } else if ctx.user().is_none() {
        Some(ctx.t("proposal-sign-in-to-support"))
    } else {
        Some(ctx.t("proposal-residents-only"))
    };
    let page = ItemPage {
        agenda_item,
        budget,
        next_rung: v
            .next_rung
            .map(|(threshold, effect)| (threshold, rung_text(ctx, threshold, effect))),
        history: v
            .transitions
            .into_iter()
            .map(|t| {
                let note = history_note(ctx, &t);
                (t, note)
            })
            .collect(),
        comments: thread(page_of_comments.top, page_of_comments.replies),
        comments_next: page_of_comments.next_after,
        my_id: ctx.user().map_or(0, |u| u.id),
        body_html: crate::markdown::to_safe_html(&v.item.body),
        notice: notice(ctx, q.notice.as_deref(), NOTICES),
        supported: v.supported,
        support_hint,
        may: v.may,
        forum: v.forum,
        obligations: v.obligations,
        answers: v.answers,
        now: maeul_domain::time::now(),
        following: v.following,
        followers: v.followers,
        attachments: v.attachments,
        positions: v.positions,
        report_reasons: ReportReason::ALL
            .iter()
            .map(|r| (r.as_str(), ctx.label(r)))
            .collect(),
        responders: Responder::ALL,
        attachment_error,
        crumbs: list_crumbs(ctx, scope, v.item.kind).current(&v.item.title),
        ctx,
        p: v.item,
    };
    let body = render(&page)?;
    Ok((status, body).into_response())
}

#[derive(Deserialize)]
pub struct Empty {}

async fn set_support(
    state: &AppState,
    ctx: &Ctx,
    id: i64,
    add: bool,
) -> Result<Response, PageError> {
    let me = ctx.caller().ok_or(PageError::Unauthorized)?;
    let change = items::set_support(state, me, id, add).await?;
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
    PagePath(id): PagePath<i64>,
    CsrfForm(_): CsrfForm<Empty>,
) -> Result<Response, PageError> {
    set_support(&state, &ctx, id, true).await
}

pub async fn withdraw(
    State(state): State<AppState>,
    ctx: Ctx,
    PagePath(id): PagePath<i64>,
    CsrfForm(_): CsrfForm<Empty>,
) -> Result<Response, PageError> {
    set_support(&state, &ctx, id, false).await
}

#[derive(Deserialize)]
pub struct ReasonForm {
    #[serde(default)]
    pub reason: String,
}

async fn step(
    state: &AppState,
    ctx: &Ctx,
    id: i64,
    step: Step,
    notice: &str,
) -> Result<Response, PageError> {
    let me = ctx.caller().ok_or(PageError::Unauthorized)?;
    items::step(state, me, id, step).await?;
    Ok(Redirect::to(&format!("/proposals/{id}?notice={notice}")).into_response())
}

pub async fn submit_draft(
    State(state): State<AppState>,
    ctx: Ctx,
    PagePath(id): PagePath<i64>,
    CsrfForm(_): CsrfForm<Empty>,
) -> Result<Response, PageError> {
    step(&state, &ctx, id, Step::Submit, "notice-proposal-saved").await
}

pub async fn accept(
    State(state): State<AppState>,
    ctx: Ctx,
    PagePath(id): PagePath<i64>,
    CsrfForm(_): CsrfForm<Empty>,
) -> Result<Response, PageError> {
    step(&state, &ctx, id, Step::Accept, "notice-decided").await
}

pub async fn reject(
    State(state): State<AppState>,
    ctx: Ctx,
    PagePath(id): PagePath<i64>,
    CsrfForm(form): CsrfForm<ReasonForm>,
) -> Result<Response, PageError> {
    let s = Step::Reject {
        reason: form.reason,
    };
    step(&state, &ctx, id, s, "notice-decided").await
}

pub async fn open_forum(
    State(state): State<AppState>,
    ctx: Ctx,
    PagePath(id): PagePath<i64>,
    CsrfForm(form): CsrfForm<ReasonForm>,
) -> Result<Response, PageError> {
    let s = Step::OpenForum {
        reason: form.reason,
    };
    step(&state, &ctx, id, s, "notice-decided").await
}

pub async fn adopt(
    State(state): State<AppState>,
    ctx: Ctx,
    PagePath(id): PagePath<i64>,
    CsrfForm(_): CsrfForm<Empty>,
) -> Result<Response, PageError> {
    step(&state, &ctx, id, Step::Adopt, "notice-decided").await
}

pub async fn close(
    State(state): State<AppState>,
    ctx: Ctx,
    PagePath(id): PagePath<i64>,
    CsrfForm(_): CsrfForm<Empty>,
) -> Result<Response, PageError> {
    step(&state, &ctx, id, Step::Close, "notice-decided").await
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
    PagePath(id): PagePath<i64>,
    CsrfForm(form): CsrfForm<AnswerForm>,
) -> Result<Response, PageError> {
    let me = ctx.caller().ok_or(PageError::Unauthorized)?;
    items::answer(&state, me, id, &form.responder, &form.body).await?;
    Ok(Redirect::to(&format!("/proposals/{id}?notice=notice-answered")).into_response())
}

#[derive(askama::Template)]
#[template(path = "proposals/proposals_list.html")]
struct ListPage<'a> {
    ctx: &'a Ctx,
    scope: &'a Scope,
    crumbs: Crumbs,
    proposals: &'a [ProposalRow],
    next_cursor: Option<i64>,
    may_propose: bool,
    debates: bool,
    /// The ladder in force here, and the scope it is configured on (None: the city default).
    ladder: LadderConfig,
    ladder_from: Option<i64>,
    /// Administrators of the scope may set its own ladder.
    may_configure: bool,
    ladder_errors: FormErrors,
}

#[derive(Deserialize)]
pub struct ListQuery {
    pub before: Option<i64>,
}

const PAGE_SIZE: i64 = 30;

async fn list(
    state: &AppState,
    ctx: &Ctx,
    code: &str,
    kind: Kind,
    before: Option<i64>,
    ladder_errors: FormErrors,
) -> Result<Response, PageError> {
    let view = items::list_view(state, ctx.caller(), code, kind, before, PAGE_SIZE).await?;
    let tree = ctx.scopes.clone();
    let scope = tree.get(view.scope.id).ok_or(PageError::NotFound)?;
    let status = ladder_errors.status();
    let page = render(&ListPage {
        ladder: view.ladder,
        ladder_from: view.ladder_from,
        may_configure: ctx.may_in(Action::ManageRoles, scope),
        ladder_errors,
        ctx,
        scope,
        crumbs: Crumbs::within(ctx, scope).current(ctx.t(if kind == Kind::Debate {
            "section-debates"
        } else {
            "section-proposals"
        })),
        may_propose: ctx.may_in(Action::ParticipateAsResident, scope),
        proposals: &view.rows,
        next_cursor: view.next,
        debates: kind == Kind::Debate,
    })?;
    Ok((status, page).into_response())
}

pub async fn list_proposals(
    State(state): State<AppState>,
    ctx: Ctx,
    PagePath(code): PagePath<String>,
    PageQuery(q): PageQuery<ListQuery>,
) -> Result<Response, PageError> {
    list(
        &state,
        &ctx,
        &code,
        Kind::Proposal,
        q.before,
        FormErrors::default(),
    )
    .await
}

pub async fn list_debates(
    State(state): State<AppState>,
    ctx: Ctx,
    PagePath(code): PagePath<String>,
    PageQuery(q): PageQuery<ListQuery>,
) -> Result<Response, PageError> {
    list(
        &state,
        &ctx,
        &code,
        Kind::Debate,
        q.before,
        FormErrors::default(),
    )
    .await
}

#[derive(askama::Template)]
#[template(path = "proposals/overdue.html")]
struct OverduePage<'a> {
    ctx: &'a Ctx,
    items: Vec<(Obligation, String)>,
}

/// The public list of official answers past their due date.
pub async fn overdue(State(state): State<AppState>, ctx: Ctx) -> Result<Response, PageError> {
    let items = items::overdue(&state).await?;
    render(&OverduePage { ctx: &ctx, items })
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

/// Sets a scope's own threshold ladder; a refused configuration says why and changes nothing.
pub async fn set_ladder(
    State(state): State<AppState>,
    ctx: Ctx,
    PagePath(code): PagePath<String>,
    CsrfForm(form): CsrfForm<LadderForm>,
) -> Result<Response, PageError> {
    let me = ctx.caller().ok_or(PageError::Unauthorized)?;
    let input = LadderInput {
        answer_at: &form.answer_at,
        forum_at: &form.forum_at,
        head_at: &form.head_at,
        answer_days: &form.answer_days,
        inherit: form.inherit == "1",
    };
    match items::set_ladder(&state, me, &code, &input).await {
        Ok(()) => Ok(Redirect::to(&format!("/scopes/{code}/proposals#ladder")).into_response()),
        Err(ServiceError::Refused(r)) => {
            let errors = FormErrors::from_refusal(&ctx, &r, "ladder");
            list(&state, &ctx, &code, Kind::Proposal, None, errors).await
        }
        Err(e) => Err(e.into()),
    }
}

/// The trail to a proposal or debate page: its scope, then the list it belongs to.
fn list_crumbs(ctx: &Ctx, scope: &Scope, kind: Kind) -> Crumbs {
    let (list, title) = match kind {
        Kind::Proposal => ("proposals", "section-proposals"),
        Kind::Debate => ("debates", "section-debates"),
    };
    Crumbs::within(ctx, scope).link(format!("/scopes/{}/{list}", scope.code), ctx.t(title))
}
