//! Agenda items' pages: a scope's items with their referral paths and the propose form; an item's page
//! with its whole path, its history and the holding level's forms (screen, deliberate, prioritise, adopt
//! choosing a carried motion, refer), and the receiving level's accept / return form.
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use maeul_db::plan::{ItemRow, ItemTransitionRow, ReferralRow};
use maeul_domain::Scope;
use maeul_domain::plan::ItemState;
use serde::Deserialize;

use super::NoticeQuery;
use crate::AppState;
use crate::areas::plan::service::items::{self, ItemInput, ItemView, StepInput};
use crate::areas::plan::service::priority::{self, ForumView};
use crate::areas::plan::views::NOTICES;
use crate::http::{
    Alert, Crumbs, CsrfForm, Ctx, FormErrors, PageError, PagePath, PageQuery, ServiceError,
    after_form, notice, page_status, render,
};

#[derive(Deserialize, Default)]
pub struct ItemForm {
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub body: String,
    #[serde(default)]
    pub proposal: String,
}

#[derive(askama::Template)]
#[template(path = "plan/items.html")]
struct ItemsPage<'a> {
    ctx: &'a Ctx,
    crumbs: Crumbs,
    scope: Scope,
    items: Vec<ItemRow>,
    referrals: Vec<ReferralRow>,
    may_propose: bool,
    may_promote: bool,
    form: ItemForm,
    errors: FormErrors,
    forum: ForumView,
    notice: Option<String>,
}

impl ItemsPage<'_> {
    fn path_of(&self, id: &i64) -> Vec<&ReferralRow> {
        self.referrals.iter().filter(|r| r.item_id == *id).collect()
    }
}

async fn items_page(
    state: &AppState,
    ctx: &Ctx,
    code: &str,
    form: ItemForm,
    errors: FormErrors,
) -> Result<Response, PageError> {
    items_page_with(state, ctx, code, form, errors, None).await
}

async fn items_page_with(
    state: &AppState,
    ctx: &Ctx,
    code: &str,
    form: ItemForm,
    errors: FormErrors,
    notice_key: Option<&str>,
) -> Result<Response, PageError> {
    let v = items::list(state, ctx.caller(), code).await?;
    let forum = priority::forum(state, ctx.caller(), &v.scope).await?;
    let status = errors.status();
    let page = render(&ItemsPage {
        forum,
        notice: notice(ctx, notice_key, NOTICES),
        crumbs: Crumbs::within(ctx, &v.scope).current(ctx.t("plan-items-title")),
        ctx,
        scope: v.scope,
        items: v.items,
        referrals: v.referrals,
        may_propose: v.may_propose,
        may_promote: v.may_promote,
        form,
        errors,
    })?;
    Ok((status, page).into_response())
}

pub async fn list(
    State(state): State<AppState>,
    ctx: Ctx,
    PagePath(code): PagePath<String>,
    PageQuery(q): PageQuery<NoticeQuery>,
) -> Result<Response, PageError> {
    items_page_with(
        &state,
        &ctx,
        &code,
        ItemForm::default(),
        FormErrors::default(),
        q.notice.as_deref(),
    )
    .await
}

/// A verified resident's one ballot in the scope's priority forum.
pub async fn vote(
    State(state): State<AppState>,
    ctx: Ctx,
    PagePath(code): PagePath<String>,
    CsrfForm(form): CsrfForm<std::collections::HashMap<String, String>>,
) -> Result<Response, PageError> {
    let fields = form.iter().map(|(k, v)| (k.as_str(), v.as_str()));
    let result = priority::vote(&state, ctx.caller(), &code, fields).await;
    match result {
        Ok(()) => Ok(Redirect::to(&format!(
            "/scopes/{code}/agenda-items?notice=plan-notice-voted#forum-title"
        ))
        .into_response()),
        Err(ServiceError::Refused(r)) => {
            let errors = FormErrors::from_refusal(&ctx, &r, "ballot");
            items_page(&state, &ctx, &code, ItemForm::default(), errors).await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize, Default)]
pub struct VoteConfigForm {
    #[serde(default)]
    pub method: String,
    #[serde(default)]
    pub points: String,
}

/// The scope's staff set how the priority vote is cast.
pub async fn configure_vote(
    State(state): State<AppState>,
    ctx: Ctx,
    PagePath(code): PagePath<String>,
    CsrfForm(form): CsrfForm<VoteConfigForm>,
) -> Result<Response, PageError> {
    match priority::configure(&state, ctx.caller(), &code, &form.method, &form.points).await {
        Ok(()) => Ok(Redirect::to(&format!(
            "/scopes/{code}/agenda-items?notice=plan-notice-vote-set#forum-title"
        ))
        .into_response()),
        Err(ServiceError::Refused(r)) => {
            let errors = FormErrors::from_refusal(&ctx, &r, "points");
            items_page(&state, &ctx, &code, ItemForm::default(), errors).await
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn propose(
    State(state): State<AppState>,
    ctx: Ctx,
    PagePath(code): PagePath<String>,
    CsrfForm(form): CsrfForm<ItemForm>,
) -> Result<Response, PageError> {
    let input = ItemInput {
        title: &form.title,
        body: &form.body,
        proposal: &form.proposal,
    };
    match items::propose(&state, ctx.caller(), &code, &input).await {
        Ok(id) => Ok(
            Redirect::to(&format!("/agenda-items/{id}?notice=plan-notice-saved")).into_response(),
        ),
        Err(ServiceError::Refused(r)) => {
            let errors = FormErrors::from_refusal(&ctx, &r, "title");
            items_page(&state, &ctx, &code, form, errors).await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(askama::Template)]
#[template(path = "plan/item.html")]
struct ItemPage<'a> {
    ctx: &'a Ctx,
    crumbs: Crumbs,
    v: ItemView,
    notice: Option<String>,
    alert: Option<Alert>,
    errors: FormErrors,
    /// The steps the item's state allows the holding level (event, label id).
    steps: Vec<(&'static str, &'static str)>,
    may_decline: bool,
    may_reject: bool,
    may_adopt: bool,
}

impl ItemPage<'_> {
    fn transition_from(&self, t: &ItemTransitionRow) -> String {
        t.from_state
            .as_deref()
            .and_then(ItemState::parse)
            .map(|s| self.ctx.label(s))
            .unwrap_or_default()
    }
}

async fn item_page(
    state: &AppState,
    ctx: &Ctx,
    id: i64,
    notice_key: Option<&str>,
    alert: Option<Alert>,
    errors: FormErrors,
) -> Result<Response, PageError> {
    let v = items::view(state, ctx.caller(), id).await?;
    let s = v.item.state;
    let mut steps = vec![];
    if v.may_act {
        match s {
            ItemState::Proposed => steps.push(("accept", "plan-item-event-accept")),
            ItemState::Accepted => steps.push(("deliberate", "plan-item-event-deliberate")),
            ItemState::UnderDeliberation => {
                steps.push(("prioritise", "plan-item-event-prioritise"))
            }
            _ => {}
        }
    }
    let status = page_status(&errors, alert.as_ref());
    let page = render(&ItemPage {
        crumbs: Crumbs::within(ctx, &v.holder)
            .link(
                format!("/scopes/{}/agenda-items", v.holder.code),
                ctx.t("plan-items-title"),
            )
            .current(&v.item.title),
        ctx,
        notice: notice(ctx, notice_key, NOTICES),
        alert,
        errors,
        steps,
        may_decline: v.may_act && s == ItemState::Proposed,
        may_reject: v.may_act && matches!(s, ItemState::UnderDeliberation | ItemState::Prioritised),
        may_adopt: v.may_act && s == ItemState::Prioritised,
        v,
    })?;
    Ok((status, page).into_response())
}

pub async fn show(
    State(state): State<AppState>,
    ctx: Ctx,
    PagePath(id): PagePath<i64>,
    PageQuery(q): PageQuery<NoticeQuery>,
) -> Result<Response, PageError> {
    item_page(
        &state,
        &ctx,
        id,
        q.notice.as_deref(),
        None,
        FormErrors::default(),
    )
    .await
}

/// Back to the item with a notice, or its page with the refusal.
async fn after<T>(
    state: &AppState,
    ctx: &Ctx,
    id: i64,
    result: Result<T, ServiceError>,
    notice: &str,
) -> Result<Response, PageError> {
    let success = format!("/agenda-items/{id}?notice={notice}");
    after_form(ctx, result, &success, "reason", |alert, errors| {
        item_page(state, ctx, id, None, alert, errors)
    })
    .await
}

#[derive(Deserialize, Default)]
pub struct StepForm {
    #[serde(default)]
    pub event: String,
    #[serde(default)]
    pub reason: String,
    #[serde(default)]
    pub motion: String,
    #[serde(default)]
    pub into: String,
}

pub async fn step(
    State(state): State<AppState>,
    ctx: Ctx,
    PagePath(id): PagePath<i64>,
    CsrfForm(form): CsrfForm<StepForm>,
) -> Result<Response, PageError> {
    let input = StepInput {
        event: &form.event,
        reason: &form.reason,
        motion: &form.motion,
        into: &form.into,
    };
    let result = items::step(&state, ctx.caller(), id, &input).await;
    after(&state, &ctx, id, result, "plan-notice-saved").await
}

#[derive(Deserialize, Default)]
pub struct ReferForm {
    #[serde(default)]
    pub to: String,
    #[serde(default)]
    pub reason: String,
}

pub async fn refer(
    State(state): State<AppState>,
    ctx: Ctx,
    PagePath(id): PagePath<i64>,
    CsrfForm(form): CsrfForm<ReferForm>,
) -> Result<Response, PageError> {
    let result = items::refer(&state, ctx.caller(), id, &form.to, &form.reason).await;
    after(&state, &ctx, id, result, "plan-notice-referred").await
}

#[derive(Deserialize, Default)]
pub struct AnswerForm {
    #[serde(default)]
    pub answer: String,
    #[serde(default)]
    pub reason: String,
}

pub async fn answer(
    State(state): State<AppState>,
    ctx: Ctx,
    PagePath(id): PagePath<i64>,
    CsrfForm(form): CsrfForm<AnswerForm>,
) -> Result<Response, PageError> {
    let accept = form.answer == "accept";
    let result = items::answer(&state, ctx.caller(), id, accept, &form.reason).await;
    after(&state, &ctx, id, result, "plan-notice-saved").await
}
