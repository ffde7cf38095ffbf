//! A scope's committees and a committee's page (charter, members by sector, meetings, decisions, calls,
//! and the staff's forms), with the committee's calendar and decisions CSV.
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};
use maeul_db::committees::CommitteeRow;
use maeul_domain::committee::{CommitteeKind, Position, Sector, VoteRule};
use maeul_domain::{Action, Scope};
use serde::Deserialize;

use crate::AppState;
use crate::areas::committees::ical;
use crate::areas::committees::service::bodies::{
    self, AppointmentInput, CommitteeView, NewCommitteeInput,
};
use crate::areas::committees::views::{CommitteeText, NOTICES};
use crate::http::csv::{Cell, CsvWriter};
use crate::http::{
    Crumbs, CsrfForm, Ctx, FormErrors, PageError, PagePath, PageQuery, ServiceError, notice, render,
};

#[derive(Deserialize, Default)]
pub struct NoticeQuery {
    pub notice: Option<String>,
}

#[derive(Deserialize, Default)]
pub struct CommitteeForm {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub parent: String,
    #[serde(default)]
    pub charter: String,
    #[serde(default)]
    pub public: String,
    #[serde(default)]
    pub civil: String,
    #[serde(default)]
    pub expert: String,
    #[serde(default)]
    pub vote_rule: String,
    #[serde(default)]
    pub secret: String,
    #[serde(default)]
    pub gender_cap: String,
}

#[derive(askama::Template)]
#[template(path = "committees/committees.html")]
struct ListPage<'a> {
    ctx: &'a Ctx,
    scope: &'a Scope,
    crumbs: Crumbs,
    committees: Vec<CommitteeRow>,
    may_run: bool,
    form: CommitteeForm,
    errors: FormErrors,
    kinds: [CommitteeKind; 5],
    /// (stored value, label) of the vote rules offered.
    rules: Vec<(String, String)>,
}

async fn list_page(
    state: &AppState,
    ctx: &Ctx,
    code: &str,
    form: CommitteeForm,
    errors: FormErrors,
) -> Result<Response, PageError> {
    let (scope, committees) = bodies::in_scope(state, code).await?;
    let tree = ctx.scopes.clone();
    let scope = tree.get(scope.id).ok_or(PageError::NotFound)?;
    let rules = [
        VoteRule::MajorityOfVoting,
        VoteRule::MajorityOfPresent,
        VoteRule::Qualified {
            numerator: 2,
            denominator: 3,
        },
    ]
    .iter()
    .map(|r| (r.as_string(), ctx.vote_rule(r)))
    .collect();
    let status = errors.status();
    let page = render(&ListPage {
        ctx,
        crumbs: Crumbs::within(ctx, scope).current(ctx.t("committees-title")),
        may_run: ctx.may_in(Action::RunCommittees, scope),
        scope,
        committees,
        form,
        errors,
        kinds: CommitteeKind::ALL,
        rules,
    })?;
    Ok((status, page).into_response())
}

pub async fn list(
    State(state): State<AppState>,
    ctx: Ctx,
    PagePath(code): PagePath<String>,
) -> Result<Response, PageError> {
    let form = CommitteeForm {
        public: "0".into(),
        civil: "0".into(),
        expert: "0".into(),
        gender_cap: "60".into(),
        ..Default::default()
    };
    list_page(&state, &ctx, &code, form, FormErrors::default()).await
}

pub async fn create(
    State(state): State<AppState>,
    ctx: Ctx,
    PagePath(code): PagePath<String>,
    CsrfForm(form): CsrfForm<CommitteeForm>,
) -> Result<Response, PageError> {
    let me = ctx.caller().ok_or(PageError::Unauthorized)?;
    let input = NewCommitteeInput {
        name: &form.name,
        kind: &form.kind,
        parent: &form.parent,
        charter: &form.charter,
        public: &form.public,
        civil: &form.civil,
        expert: &form.expert,
        vote_rule: &form.vote_rule,
        secret: form.secret == "on",
        gender_cap: &form.gender_cap,
    };
    match bodies::create(&state, me, &code, &input).await {
        Ok(id) => Ok(
            Redirect::to(&format!("/committees/{id}?notice=committee-notice-saved"))
                .into_response(),
        ),
        Err(ServiceError::Refused(r)) => {
            let errors = FormErrors::from_refusal(&ctx, &r, "name");
            list_page(&state, &ctx, &code, form, errors).await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(askama::Template)]
#[template(path = "committees/committee.html")]
struct CommitteePage<'a> {
    ctx: &'a Ctx,
    v: CommitteeView,
    /// (sector, seats, members sitting) of each sector with seats.
    sectors: Vec<(Sector, u32, Vec<maeul_db::committees::MemberRow>)>,
    charter_html: String,
    crumbs: Crumbs,
    notice: Option<String>,
    seats_total: u32,
    seats_filled: u32,
    errors: FormErrors,
    sector_names: [Sector; 3],
    positions: [Position; 3],
}

/// The committee's page; `errors` from a refused staff form, shown with a 422.
pub async fn committee_page(
    state: &AppState,
    ctx: &Ctx,
    id: i64,
    notice_key: Option<&str>,
    errors: FormErrors,
) -> Result<Response, PageError> {
    let v = bodies::view(state, ctx.caller(), id).await?;
    let tree = ctx.scopes.clone();
    let scope = tree.get(v.scope.id).ok_or(PageError::NotFound)?;
    let status = errors.status();
    let page = render(&CommitteePage {
        ctx,
        notice: notice(ctx, notice_key, NOTICES),
        charter_html: crate::markdown::to_safe_html(&v.committee.charter),
        crumbs: Crumbs::within(ctx, scope)
            .link(
                format!("/scopes/{}/committees", scope.code),
                ctx.t("committees-title"),
            )
            .current(&v.committee.name),
        seats_total: v.plan.total(),
        seats_filled: v.sitting.iter().map(|(_, m)| m.len() as u32).sum(),
        errors,
        sector_names: Sector::ALL,
        positions: Position::ALL,
        sectors: v
            .sitting
            .iter()
            .map(|(s, m)| (*s, v.plan.seats(*s), m.clone()))
            .collect(),
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
    committee_page(&state, &ctx, id, q.notice.as_deref(), FormErrors::default()).await
}

/// Where a staff form of the committee's page leads: back to a page with a notice, or the committee's
/// page with the refusal under `field`.
pub async fn after_committee_form<T>(
    state: &AppState,
    ctx: &Ctx,
    id: i64,
    field: &'static str,
    result: Result<T, ServiceError>,
    saved: impl FnOnce(T) -> String,
) -> Result<Response, PageError> {
    match result {
        Ok(v) => Ok(Redirect::to(&saved(v)).into_response()),
        Err(ServiceError::Refused(r)) => {
            let errors = FormErrors::from_refusal(ctx, &r, field);
            committee_page(state, ctx, id, None, errors).await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize, Default)]
pub struct MemberForm {
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub sector: String,
    #[serde(default)]
    pub position: String,
    #[serde(default)]
    pub gender: String,
    #[serde(default)]
    pub term_start: String,
    #[serde(default)]
    pub term_end: String,
}

/// Staff appoint a member to a vacant seat (public and expert seats, chairs, co-chairs).
pub async fn appoint(
    State(state): State<AppState>,
    ctx: Ctx,
    PagePath(id): PagePath<i64>,
    CsrfForm(form): CsrfForm<MemberForm>,
) -> Result<Response, PageError> {
    let me = ctx.caller().ok_or(PageError::Unauthorized)?;
    let input = AppointmentInput {
        email: &form.email,
        sector: &form.sector,
        position: &form.position,
        gender: &form.gender,
        term_start: &form.term_start,
        term_end: &form.term_end,
    };
    let result = bodies::appoint(&state, me, id, &input).await;
    after_committee_form(&state, &ctx, id, "member_sector", result, |_| {
        format!("/committees/{id}?notice=committee-notice-saved")
    })
    .await
}

#[derive(Deserialize, Default)]
pub struct EndForm {
    #[serde(default)]
    pub reason: String,
}

/// Staff end a membership (resignation, dismissal); the row stays in the seat history.
pub async fn end_member(
    State(state): State<AppState>,
    ctx: Ctx,
    PagePath((id, member)): PagePath<(i64, i64)>,
    CsrfForm(form): CsrfForm<EndForm>,
) -> Result<Response, PageError> {
    let me = ctx.caller().ok_or(PageError::Unauthorized)?;
    let result = bodies::end_membership(&state, me, id, member, &form.reason).await;
    after_committee_form(&state, &ctx, id, "end_reason", result, |_| {
        format!("/committees/{id}?notice=committee-notice-saved")
    })
    .await
}

/// `/committees/{id}/decisions.csv`: every carried or failed motion with its counts.
pub async fn decisions_csv(
    State(state): State<AppState>,
    ctx: Ctx,
    PagePath(id): PagePath<i64>,
) -> Result<Response, PageError> {
    let v = bodies::view(&state, ctx.caller(), id).await?;
    let written = (|| {
        let mut w = CsvWriter::default();
        w.row(
            [
                "motion_id",
                "meeting_id",
                "meeting",
                "meeting_start_utc",
                "motion",
                "result",
                "vote_rule",
                "ballot",
                "yes",
                "no",
                "abstain",
                "present",
                "decided_at_utc",
            ]
            .map(Cell::from),
        )?;
        for d in &v.decisions {
            let start = maeul_domain::time::rfc3339(d.starts_at);
            let decided = d
                .decided_at
                .map(maeul_domain::time::rfc3339)
                .unwrap_or_default();
            let rule = d.vote_rule.as_string();
            let present = d.present_count.map(|p| p.to_string()).unwrap_or_default();
            w.row([
                Cell::Number(d.motion_id),
                Cell::Number(d.meeting_id),
                Cell::from(d.meeting_title.as_str()),
                Cell::from(start.as_str()),
                Cell::from(d.title.as_str()),
                Cell::from(d.state.as_str()),
                Cell::from(rule.as_str()),
                Cell::from(if d.secret != 0 { "secret" } else { "roll_call" }),
                Cell::Number(d.yes_count),
                Cell::Number(d.no_count),
                Cell::Number(d.abstain_count),
                Cell::from(present.as_str()),
                Cell::from(decided.as_str()),
            ])?;
        }
        w.finish()
    })();
    let body = written.map_err(|e| {
        tracing::error!(error = %e, "decisions CSV failed");
        PageError::Internal
    })?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"decisions.csv\"",
            ),
        ],
        body,
    )
        .into_response())
}

/// `/committees/{id}/calendar.ics`: every meeting of the committee.
pub async fn calendar(
    State(state): State<AppState>,
    ctx: Ctx,
    PagePath(id): PagePath<i64>,
) -> Result<Response, PageError> {
    let (c, meetings) = bodies::calendar(&state, id).await?;
    let events = meetings
        .iter()
        .map(|(m, minutes)| {
            ical::event(
                &state.config.base_url,
                &c,
                m,
                &ctx.label(m.state),
                minutes.as_ref(),
            )
        })
        .collect();
    Ok(ical::response(ical::calendar(&c.name, events)))
}
