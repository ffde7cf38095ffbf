//! Working groups' pages: the group of a plan project (members, meetings, updates) with the staff's forms
//! (add a member, record a meeting) and the members' update form; creating a group from the plan's page.
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::NoticeQuery;
use crate::AppState;
use crate::areas::plan::service::groups::{self, GroupView};
use crate::areas::plan::views::NOTICES;
use crate::http::{
    Alert, Crumbs, CsrfForm, Ctx, FormErrors, PageError, PagePath, PageQuery, ServiceError,
    after_form, notice, page_status, render,
};

#[derive(askama::Template)]
#[template(path = "plan/group.html")]
struct GroupPage<'a> {
    ctx: &'a Ctx,
    crumbs: Crumbs,
    v: GroupView,
    notice: Option<String>,
    alert: Option<Alert>,
    errors: FormErrors,
    roles: [maeul_domain::plan::GroupRole; 2],
}

async fn group_page(
    state: &AppState,
    ctx: &Ctx,
    id: i64,
    notice_key: Option<&str>,
    alert: Option<Alert>,
    errors: FormErrors,
) -> Result<Response, PageError> {
    let v = groups::view(state, ctx.caller(), id).await?;
    let status = page_status(&errors, alert.as_ref());
    let page = render(&GroupPage {
        crumbs: Crumbs::within(ctx, &v.scope)
            .link(
                format!("/scopes/{}/plans", v.scope.code),
                ctx.t("plan-plans-title"),
            )
            .link(format!("/plans/{}", v.plan.id), &v.plan.title)
            .current(&v.group.name),
        ctx,
        notice: notice(ctx, notice_key, NOTICES),
        alert,
        errors,
        roles: maeul_domain::plan::GroupRole::ALL,
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
    group_page(
        &state,
        &ctx,
        id,
        q.notice.as_deref(),
        None,
        FormErrors::default(),
    )
    .await
}

/// Back to the group with a notice, or its page with the refusal beside the field.
async fn after<T>(
    state: &AppState,
    ctx: &Ctx,
    id: i64,
    result: Result<T, ServiceError>,
    general: &'static str,
) -> Result<Response, PageError> {
    let success = format!("/working-groups/{id}?notice=plan-notice-saved");
    after_form(ctx, result, &success, general, |alert, errors| {
        group_page(state, ctx, id, None, alert, errors)
    })
    .await
}

#[derive(Deserialize, Default)]
pub struct NewGroupForm {
    #[serde(default)]
    pub name: String,
}

/// The plan's staff create a project's working group (from the plan's page).
pub async fn create(
    State(state): State<AppState>,
    ctx: Ctx,
    PagePath(project): PagePath<i64>,
    CsrfForm(form): CsrfForm<NewGroupForm>,
) -> Result<Response, PageError> {
    match groups::create(&state, ctx.caller(), project, &form.name).await {
        Ok(id) => Ok(
            Redirect::to(&format!("/working-groups/{id}?notice=plan-notice-saved")).into_response(),
        ),
        Err(ServiceError::Refused(r)) => {
            let plan = state
                .db
                .plan_project(project)
                .await?
                .ok_or(PageError::NotFound)?
                .plan_id;
            let errors = FormErrors::from_refusal(&ctx, &r, "group_name");
            super::plans::plan_page(&state, &ctx, plan, None, None, errors).await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize, Default)]
pub struct MemberForm {
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub role: String,
}

pub async fn add_member(
    State(state): State<AppState>,
    ctx: Ctx,
    PagePath(id): PagePath<i64>,
    CsrfForm(form): CsrfForm<MemberForm>,
) -> Result<Response, PageError> {
    let result = groups::add_member(&state, ctx.caller(), id, &form.email, &form.role).await;
    after(&state, &ctx, id, result, "email").await
}

#[derive(Deserialize, Default)]
pub struct MeetingForm {
    #[serde(default)]
    pub held_at: String,
    #[serde(default)]
    pub place: String,
    #[serde(default)]
    pub minutes: String,
}

pub async fn meeting(
    State(state): State<AppState>,
    ctx: Ctx,
    PagePath(id): PagePath<i64>,
    CsrfForm(form): CsrfForm<MeetingForm>,
) -> Result<Response, PageError> {
    let result = groups::record_meeting(
        &state,
        ctx.caller(),
        id,
        &form.held_at,
        &form.place,
        &form.minutes,
    )
    .await;
    after(&state, &ctx, id, result, "minutes").await
}

#[derive(Deserialize, Default)]
pub struct UpdateForm {
    #[serde(default)]
    pub body: String,
}

pub async fn update(
    State(state): State<AppState>,
    ctx: Ctx,
    PagePath(id): PagePath<i64>,
    CsrfForm(form): CsrfForm<UpdateForm>,
) -> Result<Response, PageError> {
    let result = groups::post_update(&state, ctx.caller(), id, &form.body).await;
    after(&state, &ctx, id, result, "update").await
}
