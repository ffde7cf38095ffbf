//! Shared resources' pages: a scope's spaces and equipment (and the staff's form to add one), a
//! resource's page with its bookings, the request form and the owner's decisions, and iCal feeds of the
//! approved bookings per resource and per scope.
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use maeul_domain::cooperation::ResourceKind;
use serde::Deserialize;

use super::{NoticeQuery, after};
use crate::AppState;
use crate::areas::committees::ical;
use crate::areas::cooperation::service::organizations;
use crate::areas::cooperation::service::resources::{
    self, Request, ResourceForm, ResourceView, ResourcesView,
};
use crate::areas::cooperation::views::NOTICES;
use crate::http::{
    Alert, Crumbs, CsrfForm, Ctx, FormErrors, PageError, PagePath, PageQuery, notice, page_status,
    render,
};

#[derive(Deserialize, Default)]
pub struct NewResourceForm {
    #[serde(default)]
    pub owner: String,
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub capacity: String,
    #[serde(default)]
    pub opening_hours: String,
    #[serde(default)]
    pub rules: String,
}

#[derive(askama::Template)]
#[template(path = "cooperation/resources.html")]
struct ResourcesPage<'a> {
    ctx: &'a Ctx,
    crumbs: Crumbs,
    v: ResourcesView,
    kinds: &'static [ResourceKind],
    /// Organizations of the scope (owners to choose from): (id, name).
    owners: Vec<(i64, String)>,
    form: NewResourceForm,
    errors: FormErrors,
    notice: Option<String>,
}

async fn resources_page(
    state: &AppState,
    ctx: &Ctx,
    code: &str,
    form: NewResourceForm,
    errors: FormErrors,
    notice_key: Option<&str>,
) -> Result<Response, PageError> {
    let v = resources::list(state, ctx.caller(), code).await?;
    let owners = if v.may_add {
        organizations::directory(state, ctx.caller(), code, &Default::default())
            .await?
            .organizations
            .into_iter()
            .map(|o| (o.id, o.name))
            .collect()
    } else {
        vec![]
    };
    let status = errors.status();
    let page = render(&ResourcesPage {
        crumbs: Crumbs::within(ctx, &v.scope).current(ctx.t("coop-resources-title")),
        notice: notice(ctx, notice_key, NOTICES),
        ctx,
        v,
        kinds: <ResourceKind as maeul_domain::Named>::ALL,
        owners,
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
    let form = NewResourceForm {
        opening_hours: "09:00-22:00".into(),
        ..Default::default()
    };
    resources_page(
        &state,
        &ctx,
        &code,
        form,
        FormErrors::default(),
        q.notice.as_deref(),
    )
    .await
}

pub async fn create(
    State(state): State<AppState>,
    ctx: Ctx,
    PagePath(code): PagePath<String>,
    CsrfForm(form): CsrfForm<NewResourceForm>,
) -> Result<Response, PageError> {
    let input = ResourceForm {
        owner: &form.owner,
        kind: &form.kind,
        name: &form.name,
        description: &form.description,
        capacity: &form.capacity,
        opening_hours: &form.opening_hours,
        rules: &form.rules,
    };
    let result = resources::create(&state, ctx.caller(), &code, &input).await;
    match after(
        &ctx,
        result,
        |id| format!("/resources/{id}?notice=coop-notice-saved"),
        "name",
    )? {
        Ok(r) => Ok(r),
        Err(shown) => {
            let (errors, _) = shown.into_parts();
            resources_page(&state, &ctx, &code, form, errors, None).await
        }
    }
}

#[derive(Deserialize, Default)]
pub struct BookingForm {
    #[serde(default)]
    pub starts_at: String,
    #[serde(default)]
    pub ends_at: String,
    #[serde(default)]
    pub purpose: String,
    #[serde(default)]
    pub organization: String,
}

#[derive(askama::Template)]
#[template(path = "cooperation/resource.html")]
struct ResourcePage<'a> {
    ctx: &'a Ctx,
    crumbs: Crumbs,
    v: ResourceView,
    /// Organizations the caller may book for: (id, name).
    mine: Vec<(i64, String)>,
    form: BookingForm,
    notice: Option<String>,
    alert: Option<Alert>,
    errors: FormErrors,
}

async fn resource_page(
    state: &AppState,
    ctx: &Ctx,
    id: i64,
    form: BookingForm,
    notice_key: Option<&str>,
    alert: Option<Alert>,
    errors: FormErrors,
) -> Result<Response, PageError> {
    let v = resources::view(state, ctx.caller(), id).await?;
    let mut mine = vec![];
    for org in organizations::edited_by(state, ctx.caller()).await? {
        if let Some(o) = state.db.organization(org).await? {
            mine.push((o.id, o.name));
        }
    }
    let status = page_status(&errors, alert.as_ref());
    let page = render(&ResourcePage {
        crumbs: Crumbs::within(ctx, &v.scope)
            .link(
                format!("/scopes/{}/resources", v.scope.code),
                ctx.t("coop-resources-title"),
            )
            .current(&v.resource.name),
        notice: notice(ctx, notice_key, NOTICES),
        ctx,
        v,
        mine,
        form,
        alert,
        errors,
    })?;
    Ok((status, page).into_response())
}

pub async fn show(
    State(state): State<AppState>,
    ctx: Ctx,
    PagePath(id): PagePath<i64>,
    PageQuery(q): PageQuery<NoticeQuery>,
) -> Result<Response, PageError> {
    resource_page(
        &state,
        &ctx,
        id,
        BookingForm::default(),
        q.notice.as_deref(),
        None,
        FormErrors::default(),
    )
    .await
}

pub async fn request(
    State(state): State<AppState>,
    ctx: Ctx,
    PagePath(id): PagePath<i64>,
    CsrfForm(form): CsrfForm<BookingForm>,
) -> Result<Response, PageError> {
    use maeul_domain::time::parse_local_datetime;
    let organization = match form.organization.trim() {
        "" => None,
        o => Some(o.parse::<i64>().unwrap_or(0)),
    };
    let result = resources::request(
        &state,
        ctx.caller(),
        id,
        Request {
            starts_at: parse_local_datetime(&form.starts_at),
            ends_at: parse_local_datetime(&form.ends_at),
            purpose: &form.purpose,
            organization,
        },
    )
    .await;
    match after(
        &ctx,
        result,
        |_| format!("/resources/{id}?notice=coop-notice-requested"),
        "starts_at",
    )? {
        Ok(r) => Ok(r),
        Err(shown) => {
            let (errors, alert) = shown.into_parts();
            resource_page(&state, &ctx, id, form, None, alert, errors).await
        }
    }
}

#[derive(Deserialize, Default)]
pub struct EditForm {
    #[serde(default)]
    pub capacity: String,
    #[serde(default)]
    pub opening_hours: String,
    #[serde(default)]
    pub rules: String,
}

/// The owner's edit of the resource's capacity, opening hours and rules.
pub async fn edit(
    State(state): State<AppState>,
    ctx: Ctx,
    PagePath(id): PagePath<i64>,
    CsrfForm(form): CsrfForm<EditForm>,
) -> Result<Response, PageError> {
    let input = resources::ResourceEdit {
        capacity: &form.capacity,
        opening_hours: &form.opening_hours,
        rules: &form.rules,
    };
    let result = resources::edit(&state, ctx.caller(), id, &input).await;
    match after(
        &ctx,
        result,
        |_| format!("/resources/{id}?notice=coop-notice-saved"),
        "capacity",
    )? {
        Ok(r) => Ok(r),
        Err(shown) => {
            let (errors, alert) = shown.into_parts();
            resource_page(
                &state,
                &ctx,
                id,
                BookingForm::default(),
                None,
                alert,
                errors,
            )
            .await
        }
    }
}

#[derive(Deserialize, Default)]
pub struct DecisionForm {
    #[serde(default)]
    pub decision: String,
}

pub async fn decide(
    State(state): State<AppState>,
    ctx: Ctx,
    PagePath(id): PagePath<i64>,
    CsrfForm(form): CsrfForm<DecisionForm>,
) -> Result<Response, PageError> {
    let booking = state.db.booking(id).await?.ok_or(PageError::NotFound)?;
    let result = resources::decide(&state, ctx.caller(), id, &form.decision).await;
    let resource = booking.resource_id;
    match after(
        &ctx,
        result,
        |_| format!("/resources/{resource}?notice=coop-notice-decided"),
        "decision",
    )? {
        Ok(r) => Ok(r),
        Err(shown) => {
            let (errors, alert) = shown.into_parts();
            resource_page(
                &state,
                &ctx,
                resource,
                BookingForm::default(),
                None,
                alert,
                errors,
            )
            .await
        }
    }
}

fn booking_event(
    base_url: &str,
    resource: &maeul_db::cooperation::ResourceRow,
    b: &maeul_db::cooperation::BookingRow,
) -> icalendar::Event {
    use icalendar::{Component, EventLike};
    let host = base_url
        .split("://")
        .nth(1)
        .unwrap_or(base_url)
        .trim_end_matches('/');
    icalendar::Event::new()
        .uid(&format!("booking-{}@{host}", b.id))
        .add_property(
            "DTSTAMP",
            maeul_domain::time::ical_utc(b.decided_at.unwrap_or(b.created_at)),
        )
        .add_property("DTSTART", maeul_domain::time::ical_utc(b.starts_at))
        .add_property("DTEND", maeul_domain::time::ical_utc(b.ends_at))
        .summary(&b.purpose)
        .location(&resource.name)
        .url(&format!(
            "{}/resources/{}",
            base_url.trim_end_matches('/'),
            resource.id
        ))
        .done()
}

/// The approved bookings of one resource as an iCal feed.
pub async fn resource_ics(
    State(state): State<AppState>,
    PagePath(id): PagePath<i64>,
) -> Result<Response, PageError> {
    let v = resources::view(&state, None, id).await?;
    let events = v
        .bookings
        .iter()
        .filter(|b| b.state == maeul_domain::cooperation::BookingState::Approved)
        .map(|b| booking_event(&state.config.base_url, &v.resource, b))
        .collect();
    Ok(ical::response(ical::calendar(&v.resource.name, events)))
}

/// The approved bookings of every resource of a scope (and below) as one iCal feed.
pub async fn scope_ics(
    State(state): State<AppState>,
    PagePath(code): PagePath<String>,
) -> Result<Response, PageError> {
    let (scope, bookings) = resources::scope_calendar(&state, &code).await?;
    let events = bookings
        .iter()
        .map(|(r, b)| booking_event(&state.config.base_url, r, b))
        .collect();
    Ok(ical::response(ical::calendar(&scope.name_ko, events)))
}
