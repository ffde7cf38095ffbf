//! Small grants' pages: a scope's calls, a call with its criteria, applications (each reviewer's weighted
//! score and the spread, the ranking), the application form, the evaluators' score sheet, publication by
//! the platform's staff, and the results as CSV.
use std::collections::HashMap;

use axum::extract::State;
use axum::response::{IntoResponse, Response};
use maeul_db::cooperation::GrantCallRow;
use maeul_domain::Scope;
use maeul_domain::cooperation::Eligibility;
use serde::Deserialize;

use super::{NoticeQuery, after, csv_download};
use crate::AppState;
use crate::areas::cooperation::service::grants::{self, ApplicationForm, CallForm, CallView};
use crate::areas::cooperation::service::may_run;
use crate::areas::cooperation::service::network::{self, GrantReport, TrackedAward};
use crate::areas::cooperation::service::organizations;
use crate::areas::cooperation::views::NOTICES;
use crate::http::{
    Alert, Crumbs, CsrfForm, Ctx, FormErrors, PageError, PagePath, PageQuery, notice, page_status,
    render,
};

#[derive(Deserialize, Default)]
pub struct NewCallForm {
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub budget: String,
    #[serde(default)]
    pub eligibility: String,
    #[serde(default)]
    pub opens: String,
    #[serde(default)]
    pub closes: String,
    #[serde(default)]
    pub criteria: String,
}

#[derive(askama::Template)]
#[template(path = "cooperation/grants.html")]
struct GrantsPage<'a> {
    ctx: &'a Ctx,
    crumbs: Crumbs,
    scope: Scope,
    calls: Vec<GrantCallRow>,
    may_run: bool,
    eligibilities: &'static [Eligibility],
    form: NewCallForm,
    errors: FormErrors,
}

async fn grants_page(
    state: &AppState,
    ctx: &Ctx,
    code: &str,
    form: NewCallForm,
    errors: FormErrors,
) -> Result<Response, PageError> {
    let (scope, calls) = grants::list(state, code).await?;
    let status = errors.status();
    let page = render(&GrantsPage {
        crumbs: Crumbs::within(ctx, &scope).current(ctx.t("coop-grants-title")),
        may_run: may_run(state, ctx.caller(), scope.id),
        ctx,
        scope,
        calls,
        eligibilities: <Eligibility as maeul_domain::Named>::ALL,
        form,
        errors,
    })?;
    Ok((status, page).into_response())
}

pub async fn list(
    State(state): State<AppState>,
    ctx: Ctx,
    PagePath(code): PagePath<String>,
) -> Result<Response, PageError> {
    grants_page(
        &state,
        &ctx,
        &code,
        NewCallForm::default(),
        FormErrors::default(),
    )
    .await
}

pub async fn open_call(
    State(state): State<AppState>,
    ctx: Ctx,
    PagePath(code): PagePath<String>,
    CsrfForm(form): CsrfForm<NewCallForm>,
) -> Result<Response, PageError> {
    let input = CallForm {
        title: &form.title,
        description: &form.description,
        budget: &form.budget,
        eligibility: &form.eligibility,
        opens: &form.opens,
        closes: &form.closes,
        criteria: &form.criteria,
    };
    let result = grants::open_call(&state, ctx.caller(), &code, &input).await;
    match after(
        &ctx,
        result,
        |id| format!("/grants/{id}?notice=coop-notice-saved"),
        "title",
    )? {
        Ok(r) => Ok(r),
        Err(shown) => {
            let (errors, _) = shown.into_parts();
            grants_page(&state, &ctx, &code, form, errors).await
        }
    }
}

#[derive(Deserialize, Default)]
pub struct ApplyForm {
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub plan: String,
    #[serde(default)]
    pub amount: String,
    #[serde(default)]
    pub organization: String,
}

#[derive(askama::Template)]
#[template(path = "cooperation/grant.html")]
struct GrantPage<'a> {
    ctx: &'a Ctx,
    crumbs: Crumbs,
    v: CallView,
    /// Organizations the caller may apply for: (id, name).
    mine: Vec<(i64, String)>,
    /// The awards tracked as projects (after publication).
    tracked: Vec<TrackedAward>,
    form: ApplyForm,
    notice: Option<String>,
    alert: Option<Alert>,
    errors: FormErrors,
}

impl GrantPage<'_> {
    /// Thousandths of a point as `7.25`.
    fn points(&self, thousandths: &i64) -> String {
        format!("{:.2}", *thousandths as f64 / 1000.0)
    }
    fn tracked_of(&self, id: &i64) -> Option<&TrackedAward> {
        self.tracked
            .iter()
            .find(|t| t.project.application_id == *id)
    }
    fn rank_of(&self, id: &i64) -> Option<&maeul_domain::cooperation::Ranked> {
        self.v.ranking.iter().find(|r| r.id == *id)
    }
}

async fn grant_page(
    state: &AppState,
    ctx: &Ctx,
    id: i64,
    form: ApplyForm,
    notice_key: Option<&str>,
    alert: Option<Alert>,
    errors: FormErrors,
) -> Result<Response, PageError> {
    let v = grants::view(state, ctx.caller(), id).await?;
    let mut mine = vec![];
    for org in organizations::edited_by(state, ctx.caller()).await? {
        if let Some(o) = state.db.organization(org).await? {
            mine.push((o.id, o.name));
        }
    }
    let tracked = network::tracked_awards(state, ctx.caller(), id).await?;
    let status = page_status(&errors, alert.as_ref());
    let page = render(&GrantPage {
        tracked,
        crumbs: Crumbs::within(ctx, &v.scope)
            .link(
                format!("/scopes/{}/grants", v.scope.code),
                ctx.t("coop-grants-title"),
            )
            .current(&v.call.title),
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
    grant_page(
        &state,
        &ctx,
        id,
        ApplyForm::default(),
        q.notice.as_deref(),
        None,
        FormErrors::default(),
    )
    .await
}

async fn answer<T>(
    state: &AppState,
    ctx: &Ctx,
    id: i64,
    result: Result<T, crate::http::ServiceError>,
    form: ApplyForm,
    notice_key: &'static str,
) -> Result<Response, PageError> {
    match after(
        ctx,
        result,
        |_| format!("/grants/{id}?notice={notice_key}"),
        "title",
    )? {
        Ok(r) => Ok(r),
        Err(shown) => {
            let (errors, alert) = shown.into_parts();
            grant_page(state, ctx, id, form, None, alert, errors).await
        }
    }
}

pub async fn apply(
    State(state): State<AppState>,
    ctx: Ctx,
    PagePath(id): PagePath<i64>,
    CsrfForm(form): CsrfForm<ApplyForm>,
) -> Result<Response, PageError> {
    let input = ApplicationForm {
        title: &form.title,
        plan: &form.plan,
        amount: &form.amount,
        organization: &form.organization,
    };
    let result = grants::apply(&state, ctx.caller(), id, &input).await;
    answer(&state, &ctx, id, result, form, "coop-notice-applied").await
}

/// An evaluator's score sheet for one application: one `criterion-<id>` score per criterion.
pub async fn score(
    State(state): State<AppState>,
    ctx: Ctx,
    PagePath(application): PagePath<i64>,
    CsrfForm(form): CsrfForm<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let app = state
        .db
        .grant_application(application)
        .await?
        .ok_or(PageError::NotFound)?;
    let mut scores = vec![];
    let mut bad = false;
    for (k, v) in &form {
        if let Some(c) = k.strip_prefix("criterion-") {
            match (c.parse::<i64>(), v.trim().parse::<i64>()) {
                (Ok(c), Ok(s)) => scores.push((c, s)),
                _ => bad = true,
            }
        }
    }
    let result = if bad {
        Err(
            maeul_domain::Refusal::field("scores", maeul_domain::account::FieldError::Invalid)
                .into(),
        )
    } else {
        grants::score(&state, ctx.caller(), application, &scores).await
    };
    answer(
        &state,
        &ctx,
        app.call_id,
        result,
        ApplyForm::default(),
        "coop-notice-scored",
    )
    .await
}

pub async fn publish(
    State(state): State<AppState>,
    ctx: Ctx,
    PagePath(id): PagePath<i64>,
    CsrfForm(_): CsrfForm<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let result = grants::publish(&state, ctx.caller(), id).await;
    answer(
        &state,
        &ctx,
        id,
        result,
        ApplyForm::default(),
        "coop-notice-published",
    )
    .await
}

#[derive(Deserialize, Default)]
pub struct ReportForm {
    #[serde(default)]
    pub body: String,
    #[serde(default)]
    pub progress: String,
    #[serde(default)]
    pub spent: String,
}

/// An award's holder reports progress and spending on its tracked project.
pub async fn report(
    State(state): State<AppState>,
    ctx: Ctx,
    PagePath(application): PagePath<i64>,
    CsrfForm(form): CsrfForm<ReportForm>,
) -> Result<Response, PageError> {
    let app = state
        .db
        .grant_application(application)
        .await?
        .ok_or(PageError::NotFound)?;
    let input = GrantReport {
        body: &form.body,
        progress: &form.progress,
        spent: &form.spent,
    };
    let result = network::report_grant(&state, ctx.caller(), application, &input).await;
    answer(
        &state,
        &ctx,
        app.call_id,
        result,
        ApplyForm::default(),
        "coop-notice-reported",
    )
    .await
}

/// The published results as CSV (404 before publication).
pub async fn results_csv(
    State(state): State<AppState>,
    ctx: Ctx,
    PagePath(id): PagePath<i64>,
) -> Result<Response, PageError> {
    use crate::http::csv::{Cell, CsvWriter};
    let v = grants::view(&state, ctx.caller(), id).await?;
    if v.call.published_at.is_none() {
        return Err(PageError::NotFound);
    }
    let written = (|| {
        let mut w = CsvWriter::default();
        w.row(
            [
                "call_id",
                "rank",
                "application_id",
                "title",
                "organization",
                "amount_won",
                "mean_score",
                "awarded",
            ]
            .map(Cell::from),
        )?;
        for r in &v.applications {
            let a = &r.application;
            let mean = if r.reviews.is_empty() {
                0
            } else {
                r.reviews.iter().sum::<i64>() / r.reviews.len() as i64
            };
            w.row([
                Cell::Number(v.call.id),
                Cell::Number(a.rank.unwrap_or(0)),
                Cell::Number(a.id),
                Cell::from(&a.title),
                Cell::from(a.organization_name.as_deref().unwrap_or("")),
                Cell::Number(a.amount),
                Cell::from(format!("{:.2}", mean as f64 / 1000.0).as_str()),
                Cell::from(if a.awarded_at.is_some() { "yes" } else { "no" }),
            ])?;
        }
        w.finish()
    })();
    let body = written.map_err(|e| {
        tracing::error!(error = %e, "grant results CSV failed");
        PageError::Internal
    })?;
    Ok(csv_download(
        body,
        "attachment; filename=\"grant-results.csv\"",
    ))
}
