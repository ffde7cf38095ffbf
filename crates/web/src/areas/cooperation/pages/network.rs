//! The network's pages: a scope's events (the upcoming and the past, the announcement form for the
//! platform's staff and the organizations' members) and the network's figures as CSV and JSON (the same
//! figures the platform page shows; the evaluation reads them).
use axum::Json;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use maeul_domain::cooperation::EventKind;
use serde::Deserialize;

use super::{NoticeQuery, after, csv_download};
use crate::AppState;
use crate::areas::cooperation::service::network::{self, EventForm, EventsView};
use crate::areas::cooperation::service::scope_by_code;
use crate::areas::cooperation::views::{Figures, NOTICES, figures};
use crate::http::{
    Alert, Crumbs, CsrfForm, Ctx, FormErrors, PageError, PagePath, PageQuery, notice, page_status,
    render,
};

#[derive(Deserialize, Default)]
pub struct EventInput {
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub place: String,
    #[serde(default)]
    pub starts: String,
    #[serde(default)]
    pub ends: String,
    #[serde(default)]
    pub organization: String,
}

#[derive(askama::Template)]
#[template(path = "cooperation/events.html")]
struct EventsPage<'a> {
    ctx: &'a Ctx,
    crumbs: Crumbs,
    v: EventsView,
    kinds: &'static [EventKind],
    form: EventInput,
    notice: Option<String>,
    alert: Option<Alert>,
    errors: FormErrors,
}

async fn events_page(
    state: &AppState,
    ctx: &Ctx,
    code: &str,
    form: EventInput,
    notice_key: Option<&str>,
    alert: Option<Alert>,
    errors: FormErrors,
) -> Result<Response, PageError> {
    let v = network::events(state, ctx.caller(), code).await?;
    let status = page_status(&errors, alert.as_ref());
    let page = render(&EventsPage {
        crumbs: Crumbs::within(ctx, &v.scope)
            .link(
                format!("/scopes/{}/cooperation", v.scope.code),
                ctx.t("coop-platform-title"),
            )
            .current(ctx.t("coop-events-title")),
        notice: notice(ctx, notice_key, NOTICES),
        kinds: <EventKind as maeul_domain::Named>::ALL,
        ctx,
        v,
        form,
        alert,
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
    events_page(
        &state,
        &ctx,
        &code,
        EventInput::default(),
        q.notice.as_deref(),
        None,
        FormErrors::default(),
    )
    .await
}

pub async fn announce(
    State(state): State<AppState>,
    ctx: Ctx,
    PagePath(code): PagePath<String>,
    CsrfForm(form): CsrfForm<EventInput>,
) -> Result<Response, PageError> {
    let input = EventForm {
        kind: &form.kind,
        title: &form.title,
        description: &form.description,
        place: &form.place,
        starts: &form.starts,
        ends: &form.ends,
        organization: &form.organization,
    };
    let result = network::announce(&state, ctx.caller(), &code, &input).await;
    match after(
        &ctx,
        result,
        |_| format!("/scopes/{code}/events?notice=coop-notice-announced"),
        "title",
    )? {
        Ok(r) => Ok(r),
        Err(shown) => {
            let (errors, alert) = shown.into_parts();
            events_page(&state, &ctx, &code, form, None, alert, errors).await
        }
    }
}

/// The network's figures of a scope (and below) as JSON.
pub async fn figures_json(
    State(state): State<AppState>,
    PagePath(code): PagePath<String>,
) -> Result<Json<FiguresJson>, PageError> {
    let scope = scope_by_code(&state, &code)?;
    Ok(Json(FiguresJson {
        figures: figures(&state, scope.id).await?,
        scope_code: scope.code,
    }))
}

#[derive(serde::Serialize)]
pub struct FiguresJson {
    pub scope_code: String,
    #[serde(flatten)]
    pub figures: Figures,
}

/// The network's figures of a scope (and below) as CSV: one row per figure.
pub async fn figures_csv(
    State(state): State<AppState>,
    PagePath(code): PagePath<String>,
) -> Result<Response, PageError> {
    use crate::http::csv::{Cell, CsvWriter};
    let scope = scope_by_code(&state, &code)?;
    let f = figures(&state, scope.id).await?;
    let written = (|| {
        let mut w = CsvWriter::default();
        w.row(["scope_code", "figure", "value"].map(Cell::from))?;
        for (name, value) in f.pairs() {
            w.row([
                Cell::from(scope.code.as_str()),
                Cell::from(name),
                Cell::Number(value),
            ])?;
        }
        w.finish()
    })();
    let body = written.map_err(|e| {
        tracing::error!(error = %e, "network figures CSV failed");
        PageError::Internal
    })?;
    Ok(csv_download(
        body,
        "attachment; filename=\"network-figures.csv\"",
    ))
}
