//! Committees: public pages (a scope's committees, a committee with its members by sector, meetings,
//! minutes and decisions), staff pages (calls, applicants, training, the verifiable draw, meetings,
//! attendance, motions, minutes), members' votes and residents' applications and registrations. Also
//! the iCal entries and feeds, the CSV export of decisions and the published data of each draw.
use std::collections::BTreeMap;

use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use maeul_db::committees::{
    AgendaItem, ApplicationRow, CallRow, CommitteeRow, DecisionRow, DrawRecord, MeetingRow,
    MemberRow, MinutesRow, MotionRow, NewCall, NewCommittee, NewMeeting, NewMembership,
    RegistrationRow, VoteError, VoteRow,
};
use maeul_db::{Db, DbError};
use maeul_domain::committee::{
    self, ApplicantFacts, CallState, Choice, CommitteeKind, Eligibility, MeetingEvent,
    MeetingState, MotionEvent, Position, SeatPlan, Sector, Tally, Term, VoteRule, input,
};
use maeul_domain::{Action, Role, Scope};
use maeul_sortition::instance::{ApplicantSpec, FeatureSpec};
use maeul_sortition::{Instance, Lottery, SortitionError};
use serde::Deserialize;

use crate::AppState;
use crate::context::Ctx;
use crate::csrf::CsrfForm;
use crate::error::PageError;
use crate::pages::account::require_user;
use crate::pages::{FormErrors, render};

/// The committee pages' routes (merged into the page router).
pub fn routes() -> axum::Router<AppState> {
    use axum::routing::{get, post};
    axum::Router::new()
        .route("/scopes/{code}/committees", get(list).post(create))
        .route("/committees/{id}", get(show))
        .route("/committees/{id}/members", post(appoint))
        .route("/committees/{id}/members/{member}/end", post(end_member))
        .route("/committees/{id}/calls", post(create_call))
        .route("/committees/{id}/meetings", post(create_meeting))
        .route("/committees/{id}/calendar.ics", get(calendar))
        .route("/committees/{id}/decisions.csv", get(decisions_csv))
        .route("/calls/{id}", get(show_call))
        .route("/calls/{id}/apply", post(apply))
        .route("/calls/{id}/training", post(log_training))
        .route("/calls/{id}/open", post(open_call))
        .route("/calls/{id}/close", post(close_call))
        .route("/calls/{id}/draw", post(run_draw))
        .route("/calls/{id}/publish", post(publish_panel))
        .route("/calls/{id}/vacancies", post(fill_vacancy))
        .route("/calls/{id}/input.json", get(call_input))
        .route("/calls/{id}/draw.json", get(call_draw_json))
        .route("/meetings/{id}", get(show_meeting))
        .route("/meetings/{id}/state", post(meeting_state))
        .route("/meetings/{id}/agenda", post(add_agenda_item))
        .route("/meetings/{id}/attendance", post(attendance))
        .route("/meetings/{id}/minutes", post(draft_minutes))
        .route("/meetings/{id}/register", post(register))
        .route("/meetings/{id}/unregister", post(unregister))
        .route("/meetings/{id}/motions", post(propose_motion))
        .route("/motions/{id}/state", post(motion_state))
        .route("/motions/{id}/vote", post(vote))
}

/// Messages for fields whose error is not a [`maeul_domain::account::FieldError`].
trait AddMessage {
    fn add_message(&mut self, field: &'static str, message: String);
}

impl AddMessage for FormErrors {
    fn add_message(&mut self, field: &'static str, message: String) {
        self.0.entry(field).or_insert(message);
    }
}

/// Notices this module sends back after a successful action (`?notice=`).
const NOTICES: &[&str] = &[
    "committee-notice-saved",
    "committee-notice-applied",
    "committee-notice-registered",
    "committee-notice-waiting",
    "committee-notice-unregistered",
    "committee-notice-voted",
    "committee-notice-drawn",
    "committee-notice-vacancy-filled",
];

fn notice(ctx: &Ctx, key: Option<&str>) -> Option<String> {
    key.filter(|k| NOTICES.contains(k)).map(|k| ctx.t(k))
}

#[derive(Deserialize, Default)]
pub struct NoticeQuery {
    pub notice: Option<String>,
}

async fn load_committee<'a>(
    state: &AppState,
    ctx: &'a Ctx,
    id: i64,
) -> Result<(CommitteeRow, &'a Scope), PageError> {
    let c = state.db.committee(id).await?.ok_or(PageError::NotFound)?;
    let scope = ctx.scopes.get(c.scope_id).ok_or(PageError::NotFound)?;
    Ok((c, scope))
}

fn require_staff(ctx: &Ctx, scope: &Scope) -> Result<i64, PageError> {
    let me = require_user(ctx)?;
    if ctx.may_in(Action::RunCommittees, scope) {
        Ok(me.user.id)
    } else {
        Err(PageError::Forbidden)
    }
}

/// Sitting members get the committee-member role in the committee's scope (once).
async fn grant_member_role(
    db: &Db,
    user_id: i64,
    scope_id: i64,
    by: Option<i64>,
) -> Result<(), DbError> {
    match db
        .grant_role(user_id, Role::CommitteeMember, scope_id, by)
        .await
    {
        Ok(_) | Err(DbError::Conflict(_)) => Ok(()),
        Err(e) => Err(e),
    }
}

// ---- A scope's committees -------------------------------------------------------------------------

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
#[template(path = "committees.html")]
struct ListPage<'a> {
    ctx: &'a Ctx,
    scope: &'a Scope,
    path: Vec<&'a Scope>,
    committees: Vec<CommitteeRow>,
    may_run: bool,
    form: CommitteeForm,
    errors: FormErrors,
    kinds: Vec<&'static str>,
    rules: &'static [&'static str],
}

const RULES: &[&str] = &["majority_voting", "majority_present", "qualified:2/3"];

async fn list_page(
    state: &AppState,
    ctx: &Ctx,
    code: &str,
    form: CommitteeForm,
    errors: FormErrors,
) -> Result<Response, PageError> {
    let scope = ctx.scopes.by_code(code).ok_or(PageError::NotFound)?;
    render(&ListPage {
        ctx,
        scope,
        path: ctx.scopes.path(scope),
        committees: state.db.committees_in_scope(scope.id).await?,
        may_run: ctx.may_in(Action::RunCommittees, scope),
        form,
        errors,
        kinds: CommitteeKind::ALL.iter().map(|k| k.as_str()).collect(),
        rules: RULES,
    })
}

pub async fn list(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(code): Path<String>,
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
    Path(code): Path<String>,
    CsrfForm(form): CsrfForm<CommitteeForm>,
) -> Result<Response, PageError> {
    let scope = ctx.scopes.by_code(&code).ok_or(PageError::NotFound)?;
    let me = require_staff(&ctx, scope)?;
    let mut errors = FormErrors::default();
    let name = errors.check(&ctx, "name", input::parse_name(&form.name));
    let charter = errors.check(&ctx, "charter", input::parse_text(&form.charter));
    let kind = CommitteeKind::parse(&form.kind);
    if kind.is_none() {
        errors.add(&ctx, "kind", &maeul_domain::account::FieldError::Invalid);
    }
    let public = errors.check(&ctx, "public", input::parse_count(&form.public, 0, 500));
    let civil = errors.check(&ctx, "civil", input::parse_count(&form.civil, 0, 500));
    let expert = errors.check(&ctx, "expert", input::parse_count(&form.expert, 0, 500));
    let rule = VoteRule::parse(&form.vote_rule);
    if rule.is_none() {
        errors.add(
            &ctx,
            "vote_rule",
            &maeul_domain::account::FieldError::Invalid,
        );
    }
    let gender_cap = if form.gender_cap.trim().is_empty() {
        Some(None)
    } else {
        errors
            .check(
                &ctx,
                "gender_cap",
                input::parse_count(&form.gender_cap, 50, 100),
            )
            .map(Some)
    };
    let mut parent_id = None;
    if kind == Some(CommitteeKind::Subcommittee) {
        let parent = form.parent.trim().parse::<i64>().ok();
        match parent {
            Some(p)
                if state
                    .db
                    .committee(p)
                    .await?
                    .is_some_and(|c| c.scope_id == scope.id) =>
            {
                parent_id = Some(p)
            }
            _ => errors.add(&ctx, "parent", &maeul_domain::account::FieldError::Invalid),
        }
    }
    let seats = SeatPlan {
        public: public.unwrap_or(0),
        civil: civil.unwrap_or(0),
        expert: expert.unwrap_or(0),
    };
    if !errors.any() && seats.validate().is_err() {
        errors.add(&ctx, "civil", &maeul_domain::account::FieldError::Required);
    }
    if let (Some(name), Some(charter), Some(kind), Some(rule), Some(gender_cap), false) =
        (name, charter, kind, rule, gender_cap, errors.any())
    {
        let id = state
            .db
            .create_committee(&NewCommittee {
                scope_id: scope.id,
                parent_id,
                kind,
                name: &name,
                charter: &charter,
                vote_rule: rule,
                secret_ballot: form.secret == "on",
                gender_cap,
                seats,
                created_by: Some(me),
            })
            .await?;
        return Ok(
            Redirect::to(&format!("/committees/{id}?notice=committee-notice-saved"))
                .into_response(),
        );
    }
    let page = list_page(&state, &ctx, &code, form, errors).await?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
}

// ---- A committee ----------------------------------------------------------------------------------

pub struct SectorView {
    pub sector: &'static str,
    pub seats: u32,
    pub members: Vec<MemberRow>,
}

#[derive(askama::Template)]
#[template(path = "committee.html")]
struct CommitteePage<'a> {
    ctx: &'a Ctx,
    c: CommitteeRow,
    charter_html: String,
    scope: &'a Scope,
    path: Vec<&'a Scope>,
    notice: Option<String>,
    parent: Option<CommitteeRow>,
    subcommittees: Vec<CommitteeRow>,
    sectors: Vec<SectorView>,
    past_members: Vec<MemberRow>,
    upcoming: Vec<MeetingRow>,
    past: Vec<MeetingRow>,
    calls: Vec<CallRow>,
    decisions: Vec<DecisionRow>,
    seats_total: u32,
    seats_filled: u32,
    may_run: bool,
    errors: FormErrors,
    sector_names: Vec<&'static str>,
    positions: Vec<&'static str>,
}

async fn committee_page(
    state: &AppState,
    ctx: &Ctx,
    id: i64,
    notice_key: Option<&str>,
    errors: FormErrors,
) -> Result<Response, PageError> {
    let (c, scope) = load_committee(state, ctx, id).await?;
    let plan = state.db.committee_seats(id).await?;
    let all = state.db.committee_members(id).await?;
    let at = maeul_db::now();
    let (active, past_members): (Vec<MemberRow>, Vec<MemberRow>) =
        all.into_iter().partition(|m| m.active_at(at));
    let seats_filled = active.len() as u32;
    let sectors = Sector::ALL
        .iter()
        .filter(|s| plan.seats(**s) > 0)
        .map(|s| SectorView {
            sector: s.as_str(),
            seats: plan.seats(*s),
            members: active
                .iter()
                .filter(|m| m.sector == s.as_str())
                .cloned()
                .collect(),
        })
        .collect();
    let (past, upcoming): (Vec<MeetingRow>, Vec<MeetingRow>) = state
        .db
        .meetings_of(id)
        .await?
        .into_iter()
        .partition(|m| m.ends_at < at || matches!(m.state(), MeetingState::Published));
    let parent = match c.parent_id {
        Some(p) => state.db.committee(p).await?,
        None => None,
    };
    render(&CommitteePage {
        ctx,
        notice: notice(ctx, notice_key),
        parent,
        subcommittees: state.db.subcommittees(id).await?,
        sectors,
        past_members,
        upcoming,
        past,
        calls: state.db.calls_of(id).await?,
        decisions: state.db.decisions(id).await?,
        seats_total: plan.total(),
        seats_filled,
        may_run: ctx.may_in(Action::RunCommittees, scope),
        errors,
        sector_names: Sector::ALL.iter().map(|s| s.as_str()).collect(),
        positions: Position::ALL.iter().map(|p| p.as_str()).collect(),
        path: ctx.scopes.path(scope),
        charter_html: crate::markdown::to_safe_html(&c.charter),
        scope,
        c,
    })
}

pub async fn show(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Query(q): Query<NoticeQuery>,
) -> Result<Response, PageError> {
    committee_page(&state, &ctx, id, q.notice.as_deref(), FormErrors::default()).await
}

async fn invalid(
    state: &AppState,
    ctx: &Ctx,
    id: i64,
    errors: FormErrors,
) -> Result<Response, PageError> {
    let page = committee_page(state, ctx, id, None, errors).await?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
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
    Path(id): Path<i64>,
    CsrfForm(form): CsrfForm<MemberForm>,
) -> Result<Response, PageError> {
    let (c, scope) = load_committee(&state, &ctx, id).await?;
    let me = require_staff(&ctx, scope)?;
    let mut errors = FormErrors::default();
    let email = errors.check(
        &ctx,
        "member_email",
        maeul_domain::account::parse_email(&form.email),
    );
    let user = match &email {
        Some(e) => state.db.user_by_email(e).await?,
        None => None,
    };
    if email.is_some() && user.is_none() {
        errors.add(
            &ctx,
            "member_email",
            &maeul_domain::account::FieldError::Invalid,
        );
    }
    let sector = Sector::parse(&form.sector);
    let position = Position::parse(&form.position);
    if sector.is_none() {
        errors.add(
            &ctx,
            "member_sector",
            &maeul_domain::account::FieldError::Invalid,
        );
    }
    let start = errors.check(
        &ctx,
        "member_term_start",
        input::parse_date(&form.term_start),
    );
    let end = errors.check(&ctx, "member_term_end", input::parse_date(&form.term_end));
    let term = match (start, end) {
        (Some(s), Some(e)) => match Term::new(s, e + 86_399) {
            Ok(t) => Some(t),
            Err(_) => {
                errors.add(
                    &ctx,
                    "member_term_end",
                    &maeul_domain::account::FieldError::Invalid,
                );
                None
            }
        },
        _ => None,
    };
    let gender = form.gender.trim().to_owned();
    if let (Some(user), Some(sector), Some(term), false) = (user, sector, term, errors.any()) {
        let result = state
            .db
            .appoint_member(&NewMembership {
                committee_id: id,
                user_id: user.id,
                sector,
                position: position.unwrap_or(Position::Member),
                gender: &gender,
                term,
            })
            .await;
        match result {
            Ok(_) => {
                grant_member_role(&state.db, user.id, c.scope_id, Some(me)).await?;
                return Ok(Redirect::to(&format!(
                    "/committees/{id}?notice=committee-notice-saved"
                ))
                .into_response());
            }
            Err(DbError::Invalid(msg)) => {
                let key = if msg.contains('%') {
                    "committee-error-gender-cap"
                } else {
                    "committee-error-sector-full"
                };
                errors.add_message("member_sector", ctx.t(key));
            }
            Err(DbError::Conflict(_)) => {
                errors.add_message("member_email", ctx.t("committee-error-already-member"))
            }
            Err(e) => return Err(e.into()),
        }
    }
    invalid(&state, &ctx, id, errors).await
}

#[derive(Deserialize, Default)]
pub struct CallForm {
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub seats: String,
    #[serde(default)]
    pub reserves: String,
    #[serde(default)]
    pub min_age: String,
    #[serde(default)]
    pub training_hours: String,
    #[serde(default)]
    pub features: String,
    #[serde(default)]
    pub seed_rule: String,
    #[serde(default)]
    pub term_start: String,
    #[serde(default)]
    pub term_end: String,
}

/// The stratification features of a call: `gender: female<=60%, male<=60%; age: 19-39>=2, 40-59, 60+`
/// (features separated by `;` or new lines, categories by `,`; an optional quota per category: `>=N`,
/// `<=N` seats or `<=N%` of the panel). Also accepts the `features` JSON of the `maeul-sortition/1` format.
pub fn parse_features(text: &str) -> Result<Vec<FeatureSpec>, String> {
    let text = text.trim();
    if text.starts_with('[') {
        return serde_json::from_str(text).map_err(|e| e.to_string());
    }
    let mut features = vec![];
    for part in text
        .split([';', '\n'])
        .map(str::trim)
        .filter(|p| !p.is_empty())
    {
        let (name, cats) = part
            .split_once(':')
            .ok_or_else(|| format!("{part:?}: expected \"feature: category, category\""))?;
        let mut categories = vec![];
        for cat in cats.split(',').map(str::trim).filter(|c| !c.is_empty()) {
            let mut spec = maeul_sortition::instance::CategorySpec {
                name: cat.to_owned(),
                min: None,
                max: None,
                min_share: None,
                max_share: None,
            };
            if let Some((n, q)) = cat.split_once(">=") {
                spec.name = n.trim().to_owned();
                spec.min = Some(
                    q.trim()
                        .parse()
                        .map_err(|_| format!("{cat:?}: bad minimum"))?,
                );
            } else if let Some((n, q)) = cat.split_once("<=") {
                spec.name = n.trim().to_owned();
                let q = q.trim();
                if let Some(pct) = q.strip_suffix('%') {
                    let pct: f64 = pct
                        .trim()
                        .parse()
                        .map_err(|_| format!("{cat:?}: bad share"))?;
                    spec.max_share = Some(pct / 100.0);
                } else {
                    spec.max = Some(q.parse().map_err(|_| format!("{cat:?}: bad maximum"))?);
                }
            }
            if spec.name.is_empty() {
                return Err(format!("{part:?}: a category has no name"));
            }
            categories.push(spec);
        }
        if categories.is_empty() {
            return Err(format!("{name:?}: no categories"));
        }
        features.push(FeatureSpec {
            name: name.trim().to_owned(),
            categories,
        });
    }
    if features.is_empty() {
        return Err("at least one feature is needed".into());
    }
    Ok(features)
}

pub async fn create_call(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    CsrfForm(form): CsrfForm<CallForm>,
) -> Result<Response, PageError> {
    let (_, scope) = load_committee(&state, &ctx, id).await?;
    require_staff(&ctx, scope)?;
    let mut errors = FormErrors::default();
    let title = errors.check(&ctx, "call_title", input::parse_name(&form.title));
    let seats = errors.check(&ctx, "call_seats", input::parse_count(&form.seats, 1, 500));
    let reserves = if form.reserves.trim().is_empty() {
        Some(0)
    } else {
        errors.check(
            &ctx,
            "call_reserves",
            input::parse_count(&form.reserves, 0, 500),
        )
    };
    let min_age = errors.check(
        &ctx,
        "call_min_age",
        input::parse_count(&form.min_age, 0, 120),
    );
    let hours = errors.check(
        &ctx,
        "call_training_hours",
        input::parse_count(&form.training_hours, 0, 200),
    );
    let seed_rule = errors.check(&ctx, "call_seed_rule", input::parse_name(&form.seed_rule));
    let features = match parse_features(&form.features) {
        Ok(f) => Some(f),
        Err(why) => {
            errors.add_message(
                "call_features",
                ctx.t1("committee-error-features", "detail", why),
            );
            None
        }
    };
    let start = errors.check(&ctx, "call_term_start", input::parse_date(&form.term_start));
    let end = errors.check(&ctx, "call_term_end", input::parse_date(&form.term_end));
    let term = match (start, end) {
        (Some(s), Some(e)) => Term::new(s, e + 86_399)
            .map_err(|_| {
                errors.add(
                    &ctx,
                    "call_term_end",
                    &maeul_domain::account::FieldError::Invalid,
                )
            })
            .ok(),
        _ => None,
    };
    if let (
        Some(title),
        Some(seats),
        Some(reserves),
        Some(min_age),
        Some(hours),
        Some(seed_rule),
        Some(features),
        Some(term),
        false,
    ) = (
        title,
        seats,
        reserves,
        min_age,
        hours,
        seed_rule,
        features,
        term,
        errors.any(),
    ) {
        let features_json = serde_json::to_string(&features).map_err(|_| PageError::Internal)?;
        let call = state
            .db
            .create_call(&NewCall {
                committee_id: id,
                title: &title,
                description: form.description.trim(),
                sector: Sector::Civil,
                seats,
                reserve_size: reserves,
                min_age,
                training_hours: hours,
                features_json: &features_json,
                seed_rule: &seed_rule,
                term,
            })
            .await?;
        return Ok(
            Redirect::to(&format!("/calls/{call}?notice=committee-notice-saved")).into_response(),
        );
    }
    invalid(&state, &ctx, id, errors).await
}

#[derive(Deserialize, Default)]
pub struct MeetingForm {
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub starts_at: String,
    #[serde(default)]
    pub ends_at: String,
    #[serde(default)]
    pub place: String,
    #[serde(default)]
    pub capacity: String,
}

pub async fn create_meeting(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    CsrfForm(form): CsrfForm<MeetingForm>,
) -> Result<Response, PageError> {
    let (_, scope) = load_committee(&state, &ctx, id).await?;
    require_staff(&ctx, scope)?;
    let mut errors = FormErrors::default();
    let title = errors.check(&ctx, "meeting_title", input::parse_name(&form.title));
    let starts = errors.check(
        &ctx,
        "meeting_starts_at",
        input::parse_datetime(&form.starts_at),
    );
    let ends = errors.check(
        &ctx,
        "meeting_ends_at",
        input::parse_datetime(&form.ends_at),
    );
    let place = errors.check(&ctx, "meeting_place", input::parse_place(&form.place));
    let capacity = if form.capacity.trim().is_empty() {
        Some(0)
    } else {
        errors.check(
            &ctx,
            "meeting_capacity",
            input::parse_count(&form.capacity, 0, 100_000),
        )
    };
    if let (Some(s), Some(e)) = (starts, ends)
        && e <= s
    {
        errors.add_message("meeting_ends_at", ctx.t("committee-error-ends-before"));
    }
    if let (Some(title), Some(starts_at), Some(ends_at), Some(place), Some(capacity), false) =
        (title, starts, ends, place, capacity, errors.any())
    {
        let m = state
            .db
            .create_meeting(&NewMeeting {
                committee_id: id,
                title: &title,
                starts_at,
                ends_at,
                place: &place,
                capacity,
            })
            .await?;
        return Ok(
            Redirect::to(&format!("/meetings/{m}?notice=committee-notice-saved")).into_response(),
        );
    }
    invalid(&state, &ctx, id, errors).await
}

/// `/committees/{id}/decisions.csv`: every carried or failed motion with its counts.
pub async fn decisions_csv(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    let (_, _) = load_committee(&state, &ctx, id).await?;
    let rows = state.db.decisions(id).await?;
    let mut w = csv::Writer::from_writer(vec![]);
    let header = [
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
    ];
    w.write_record(header).map_err(|_| PageError::Internal)?;
    for d in rows {
        w.write_record([
            d.motion_id.to_string(),
            d.meeting_id.to_string(),
            csv_safe(&d.meeting_title),
            ical::utc_iso(d.starts_at),
            csv_safe(&d.title),
            d.state,
            d.vote_rule,
            if d.secret != 0 { "secret" } else { "roll_call" }.into(),
            d.yes_count.to_string(),
            d.no_count.to_string(),
            d.abstain_count.to_string(),
            d.present_count.map(|p| p.to_string()).unwrap_or_default(),
            d.decided_at.map(ical::utc_iso).unwrap_or_default(),
        ])
        .map_err(|_| PageError::Internal)?;
    }
    let body = w.into_inner().map_err(|_| PageError::Internal)?;
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

/// Text cells that a spreadsheet would read as a formula get a leading apostrophe.
fn csv_safe(text: &str) -> String {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_owned()
    }
}

/// `/committees/{id}/calendar.ics`: every meeting of the committee.
pub async fn calendar(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    let (c, _) = load_committee(&state, &ctx, id).await?;
    let meetings = state.db.meetings_of(id).await?;
    let mut events = vec![];
    for m in &meetings {
        let minutes = if m.state().minutes_public() {
            state.db.minutes(m.id).await?
        } else {
            None
        };
        events.push(ical::event(&state.config.base_url, &c, m, minutes.as_ref()));
    }
    Ok(ical::response(&ical::calendar(&c.name, &events)))
}

// ---- Calls ----------------------------------------------------------------------------------------

pub struct ApplicantView {
    pub a: ApplicationRow,
    pub reasons: Vec<String>,
    /// "gender: female, age_band: 40-59".
    pub strata: String,
}

pub struct DrawView {
    pub seed_text: String,
    pub seed_sha256: String,
    pub seed_source: String,
    pub command: String,
    /// (seat, pseudonym, probability)
    pub panel: Vec<(i64, String, String)>,
    /// (rank, pseudonym)
    pub reserves: Vec<(i64, String)>,
    /// (pseudonym, probability)
    pub probabilities: Vec<(String, String)>,
    pub published: bool,
}

#[derive(askama::Template)]
#[template(path = "committee_call.html")]
struct CallPage<'a> {
    ctx: &'a Ctx,
    call: CallRow,
    c: CommitteeRow,
    scope: &'a Scope,
    notice: Option<String>,
    features: Vec<FeatureSpec>,
    /// (form field, feature) of the apply form's selects.
    strata_fields: Vec<(&'static str, FeatureSpec)>,
    mine: Option<ApplicationRow>,
    may_apply: bool,
    apply_hint: Option<String>,
    may_run: bool,
    applicants: Vec<ApplicantView>,
    draw: Option<DrawView>,
    /// Members seated by this call who left and whose seats wait for a reserve.
    pending_vacancies: usize,
    errors: FormErrors,
    alert: Option<String>,
}

/// Why an applicant is not eligible (translated), from the facts on file.
fn eligibility_reasons(
    ctx: &Ctx,
    call: &CallRow,
    committee_scope: i64,
    a: &ApplicationRow,
) -> Vec<String> {
    let verified_in_scope = a.residence_status.as_deref() == Some("verified")
        && a.residence_scope_id
            .and_then(|s| ctx.scopes.scope_ref(s))
            .is_some_and(|r| r.is_within(committee_scope));
    let rule = Eligibility {
        min_age: call.min_age as u32,
        training_hours: call.training_hours as u32,
    };
    rule.check(&ApplicantFacts {
        verified_in_scope,
        age: a.age as u32,
        training_hours: a.training_hours as u32,
    })
    .iter()
    .map(|r| match r {
        committee::Ineligible::TooYoung { min_age } => {
            ctx.t1("committee-ineligible-too-young", "age", *min_age)
        }
        committee::Ineligible::Training { logged, required } => ctx.i18n.tr(
            ctx.lang,
            "committee-ineligible-training",
            &[
                ("logged", (*logged).into()),
                ("required", (*required).into()),
            ],
        ),
        committee::Ineligible::NotResident => ctx.t("committee-ineligible-not-resident"),
    })
    .collect()
}

fn draw_view(call: &CallRow, draw: &maeul_db::committees::DrawRow) -> DrawView {
    let result: serde_json::Value = serde_json::from_str(&draw.result_json).unwrap_or_default();
    let list = |key: &str| result[key].as_array().cloned().unwrap_or_default();
    let prob = |v: &serde_json::Value| format!("{:.4}", v.as_f64().unwrap_or(0.0));
    DrawView {
        seed_text: draw.seed_text.clone(),
        seed_sha256: draw.seed_sha256.clone(),
        seed_source: draw.seed_source.clone(),
        command: rerun_command(call.id, &draw.seed_text),
        panel: list("panel")
            .iter()
            .map(|p| {
                (
                    p["seat"].as_i64().unwrap_or(0),
                    p["id"].as_str().unwrap_or("").to_owned(),
                    prob(&p["probability"]),
                )
            })
            .collect(),
        reserves: list("reserves")
            .iter()
            .map(|p| {
                (
                    p["rank"].as_i64().unwrap_or(0),
                    p["id"].as_str().unwrap_or("").to_owned(),
                )
            })
            .collect(),
        probabilities: list("probabilities")
            .iter()
            .map(|p| {
                (
                    p["id"].as_str().unwrap_or("").to_owned(),
                    prob(&p["probability"]),
                )
            })
            .collect(),
        published: draw.published_at.is_some(),
    }
}

/// The command anyone can run on the published input to get the same panel.
pub fn rerun_command(call_id: i64, seed_text: &str) -> String {
    format!(
        "maeul sortition draw call-{call_id}-input.json --seed-text '{}'",
        seed_text.replace('\'', "'\\''")
    )
}

async fn call_page(
    state: &AppState,
    ctx: &Ctx,
    id: i64,
    notice_key: Option<&str>,
    errors: FormErrors,
    alert: Option<String>,
) -> Result<Response, PageError> {
    let call = state.db.call(id).await?.ok_or(PageError::NotFound)?;
    let (c, scope) = load_committee(state, ctx, call.committee_id).await?;
    let may_run = ctx.may_in(Action::RunCommittees, scope);
    if call.state() == CallState::Draft && !may_run {
        return Err(PageError::NotFound);
    }
    let mine = match ctx.user() {
        Some(u) => state.db.application_of(id, u.id).await?,
        None => None,
    };
    let resident = ctx.may_in(Action::ParticipateAsResident, scope);
    let open = call.state().accepts_applications();
    let apply_hint = if !open || mine.is_some() {
        None
    } else if ctx.user().is_none() {
        Some(ctx.t("committee-apply-sign-in"))
    } else if !resident {
        Some(ctx.t("committee-apply-residents-only"))
    } else {
        None
    };
    let applicants = if may_run {
        state
            .db
            .applications(id)
            .await?
            .into_iter()
            .map(|a| ApplicantView {
                reasons: eligibility_reasons(ctx, &call, c.scope_id, &a),
                strata: serde_json::from_str::<BTreeMap<String, String>>(&a.strata_json)
                    .unwrap_or_default()
                    .iter()
                    .map(|(k, v)| format!("{k}: {v}"))
                    .collect::<Vec<_>>()
                    .join(", "),
                a,
            })
            .collect()
    } else {
        vec![]
    };
    let draw = state.db.draw_of(id).await?.map(|d| draw_view(&call, &d));
    let features: Vec<FeatureSpec> = serde_json::from_str(&call.features_json).unwrap_or_default();
    let pending_vacancies = if call.state() == CallState::Published {
        let (left, filled) = vacancies(&state.db, &call).await?;
        left.len().saturating_sub(filled)
    } else {
        0
    };
    render(&CallPage {
        pending_vacancies,
        ctx,
        notice: notice(ctx, notice_key),
        strata_fields: features
            .iter()
            .enumerate()
            .map(|(i, f)| (stratum_field(i), f.clone()))
            .collect(),
        features,
        may_apply: open && resident && mine.is_none(),
        apply_hint,
        mine,
        may_run,
        applicants,
        draw,
        errors,
        alert,
        call,
        c,
        scope,
    })
}

pub async fn show_call(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Query(q): Query<NoticeQuery>,
) -> Result<Response, PageError> {
    call_page(
        &state,
        &ctx,
        id,
        q.notice.as_deref(),
        FormErrors::default(),
        None,
    )
    .await
}

async fn call_and_scope<'a>(
    state: &AppState,
    ctx: &'a Ctx,
    id: i64,
) -> Result<(CallRow, CommitteeRow, &'a Scope), PageError> {
    let call = state.db.call(id).await?.ok_or(PageError::NotFound)?;
    let (c, scope) = load_committee(state, ctx, call.committee_id).await?;
    Ok((call, c, scope))
}

/// Residents apply with their age and self-declared strata (one category of every feature).
pub async fn apply(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    CsrfForm(form): CsrfForm<BTreeMap<String, String>>,
) -> Result<Response, PageError> {
    let (call, _, scope) = call_and_scope(&state, &ctx, id).await?;
    let me = require_user(&ctx)?;
    if !ctx.may_in(Action::ParticipateAsResident, scope) {
        return Err(PageError::Forbidden);
    }
    let features: Vec<FeatureSpec> = serde_json::from_str(&call.features_json).unwrap_or_default();
    let mut errors = FormErrors::default();
    let age = errors.check(
        &ctx,
        "age",
        input::parse_count(form.get("age").map_or("", String::as_str), 0, 130),
    );
    let mut strata = BTreeMap::new();
    for (i, f) in features.iter().enumerate() {
        let value = form.get(&format!("stratum_{i}")).map_or("", |v| v.as_str());
        if f.categories.iter().any(|c| c.name == value) {
            strata.insert(f.name.clone(), value.to_owned());
        } else {
            errors.add_message(stratum_field(i), ctx.t("committee-error-stratum"));
        }
    }
    if let (Some(age), false) = (age, errors.any()) {
        let strata_json = serde_json::to_string(&strata).map_err(|_| PageError::Internal)?;
        match state
            .db
            .apply_to_call(id, me.user.id, age, &strata_json)
            .await
        {
            Ok(_) | Err(DbError::Conflict(_)) => {
                return Ok(
                    Redirect::to(&format!("/calls/{id}?notice=committee-notice-applied"))
                        .into_response(),
                );
            }
            Err(e) => return Err(e.into()),
        }
    }
    let page = call_page(&state, &ctx, id, None, errors, None).await?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
}

/// Field names of the strata selects (FormErrors keys are static).
fn stratum_field(i: usize) -> &'static str {
    const NAMES: [&str; 8] = [
        "stratum_0",
        "stratum_1",
        "stratum_2",
        "stratum_3",
        "stratum_4",
        "stratum_5",
        "stratum_6",
        "stratum_7",
    ];
    NAMES.get(i).copied().unwrap_or("stratum_7")
}

#[derive(Deserialize, Default)]
pub struct TrainingForm {
    #[serde(default)]
    pub application: String,
    #[serde(default)]
    pub hours: String,
    #[serde(default)]
    pub note: String,
}

pub async fn log_training(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    CsrfForm(form): CsrfForm<TrainingForm>,
) -> Result<Response, PageError> {
    let (call, _, scope) = call_and_scope(&state, &ctx, id).await?;
    let me = require_staff(&ctx, scope)?;
    let mut errors = FormErrors::default();
    let hours = errors.check(&ctx, "hours", input::parse_count(&form.hours, 1, 200));
    let application = form.application.trim().parse::<i64>().ok();
    let known = state.db.applications(id).await?;
    if !application.is_some_and(|a| known.iter().any(|x| x.id == a)) {
        errors.add(&ctx, "hours", &maeul_domain::account::FieldError::Invalid);
    }
    if call.state() != CallState::Open {
        errors.add_message("hours", ctx.t("committee-error-call-not-open"));
    }
    if let (Some(hours), Some(application), false) = (hours, application, errors.any()) {
        state
            .db
            .log_training(application, hours, form.note.trim(), Some(me))
            .await?;
        return Ok(
            Redirect::to(&format!("/calls/{id}?notice=committee-notice-saved")).into_response(),
        );
    }
    let page = call_page(&state, &ctx, id, None, errors, None).await?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
}

pub async fn open_call(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    CsrfForm(_): CsrfForm<crate::pages::auth::Empty>,
) -> Result<Response, PageError> {
    let (_, _, scope) = call_and_scope(&state, &ctx, id).await?;
    require_staff(&ctx, scope)?;
    state.db.open_call(id).await?;
    Ok(Redirect::to(&format!("/calls/{id}?notice=committee-notice-saved")).into_response())
}

/// Builds the published lottery input of a call from its eligible applicants.
pub fn lottery_input(call: &CallRow, eligible: &[&ApplicationRow]) -> Instance {
    Instance {
        format: maeul_sortition::FORMAT.into(),
        call: Some(format!("call-{}", call.id)),
        panel_size: call.seats as u32,
        reserve_size: call.reserve_size as u32,
        leximin_max_stages: None,
        features: serde_json::from_str(&call.features_json).unwrap_or_default(),
        applicants: eligible
            .iter()
            .map(|a| ApplicantSpec {
                id: a.pseudonym.clone(),
                features: serde_json::from_str(&a.strata_json).unwrap_or_default(),
            })
            .collect(),
    }
}

/// Closes a call: eligibility is checked, and the pseudonymised list of eligible applicants with the
/// quotas is frozen and published (with its SHA-256) before the seed value exists.
pub async fn close_call(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    CsrfForm(_): CsrfForm<crate::pages::auth::Empty>,
) -> Result<Response, PageError> {
    let (call, c, scope) = call_and_scope(&state, &ctx, id).await?;
    require_staff(&ctx, scope)?;
    let applications = state.db.applications(id).await?;
    let mut eligible = vec![];
    let mut ineligible = vec![];
    for a in &applications {
        let reasons = eligibility_reasons(&ctx, &call, c.scope_id, a);
        if reasons.is_empty() {
            eligible.push(a);
        } else {
            ineligible.push((a.id, reasons.join("; ")));
        }
    }
    let instance = lottery_input(&call, &eligible);
    let text = instance.to_json_string();
    let sha = maeul_sortition::sha256_hex(text.as_bytes());
    let ids: Vec<i64> = eligible.iter().map(|a| a.id).collect();
    state
        .db
        .close_call(id, &text, &sha, &ids, &ineligible)
        .await?;
    Ok(Redirect::to(&format!("/calls/{id}?notice=committee-notice-saved")).into_response())
}

#[derive(Deserialize, Default)]
pub struct DrawForm {
    #[serde(default)]
    pub seed_text: String,
}

/// Runs the draw with the announced seed text: leximin probabilities, seeded panel and reserves.
pub async fn run_draw(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    CsrfForm(form): CsrfForm<DrawForm>,
) -> Result<Response, PageError> {
    let (call, _, scope) = call_and_scope(&state, &ctx, id).await?;
    let me = require_staff(&ctx, scope)?;
    let mut errors = FormErrors::default();
    errors.check(&ctx, "seed_text", input::check_seed_text(&form.seed_text));
    let Some(input_json) = call.input_json.clone() else {
        errors.add_message("seed_text", ctx.t("committee-error-call-not-closed"));
        let page = call_page(&state, &ctx, id, None, errors, None).await?;
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
    };
    if errors.any() {
        let page = call_page(&state, &ctx, id, None, errors, None).await?;
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
    }
    let seed_text = form.seed_text.clone();
    let input_sha = call.input_sha256.clone().unwrap_or_default();
    let computed = tokio::task::spawn_blocking(move || {
        let instance = Instance::from_json_str(&input_json).map_err(SortitionError::Input)?;
        let lottery = Lottery::prepare(&instance)?;
        let outcome = lottery.draw(&seed_text);
        let json = maeul_sortition::report::draw_json(
            &lottery.pool,
            &lottery.distribution,
            &outcome,
            &seed_text,
            &input_sha,
        );
        let ids = |v: &[usize]| {
            v.iter()
                .map(|&a| lottery.pool.applicant_ids[a].clone())
                .collect::<Vec<_>>()
        };
        Ok::<_, SortitionError>((
            json.to_string(),
            outcome.seed_sha256.clone(),
            ids(&outcome.panel),
            ids(&outcome.reserves),
        ))
    })
    .await
    .map_err(|_| PageError::Internal)?;
    let (result_json, seed_sha, panel, reserves) = match computed {
        Ok(x) => x,
        Err(e) => {
            let alert = Some(ctx.t1("committee-error-draw", "detail", e.to_string()));
            let page = call_page(&state, &ctx, id, None, FormErrors::default(), alert).await?;
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
        }
    };
    let applications = state.db.applications(id).await?;
    let app_id = |pseudonym: &String| {
        applications
            .iter()
            .find(|a| &a.pseudonym == pseudonym)
            .map(|a| a.id)
    };
    let panel_ids: Vec<i64> = panel.iter().filter_map(app_id).collect();
    let reserve_ids: Vec<i64> = reserves.iter().filter_map(app_id).collect();
    state
        .db
        .record_draw(&DrawRecord {
            call_id: id,
            seed_text: &form.seed_text,
            seed_source: &call.seed_rule,
            seed_sha256: &seed_sha,
            result_json: &result_json,
            panel: &panel_ids,
            reserves: &reserve_ids,
            drawn_by: Some(me),
        })
        .await?;
    Ok(Redirect::to(&format!("/calls/{id}?notice=committee-notice-drawn")).into_response())
}

/// Publishes the drawn panel: its members take their seats (and the committee-member role).
pub async fn publish_panel(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    CsrfForm(_): CsrfForm<crate::pages::auth::Empty>,
) -> Result<Response, PageError> {
    let (call, c, scope) = call_and_scope(&state, &ctx, id).await?;
    let me = require_staff(&ctx, scope)?;
    let seated = state.db.publish_panel(id).await?;
    for m in seated {
        if let Some(member) = state.db.membership(m).await? {
            grant_member_role(&state.db, member.user_id, c.scope_id, Some(me)).await?;
        }
    }
    Ok(Redirect::to(&format!(
        "/committees/{}?notice=committee-notice-saved",
        call.committee_id
    ))
    .into_response())
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
    Path((id, member)): Path<(i64, i64)>,
    CsrfForm(form): CsrfForm<EndForm>,
) -> Result<Response, PageError> {
    let (_, scope) = load_committee(&state, &ctx, id).await?;
    require_staff(&ctx, scope)?;
    state
        .db
        .membership(member)
        .await?
        .filter(|m| m.committee_id == id && m.ended_at.is_none())
        .ok_or(PageError::NotFound)?;
    let mut errors = FormErrors::default();
    if let Some(reason) = errors.check(&ctx, "end_reason", input::parse_name(&form.reason)) {
        state.db.end_membership(member, &reason).await?;
        return Ok(
            Redirect::to(&format!("/committees/{id}?notice=committee-notice-saved"))
                .into_response(),
        );
    }
    invalid(&state, &ctx, id, errors).await
}

/// The members a published call seated who have left, in the order they left, and how many of those
/// seats the reserve list has filled already (reserves fill vacancies in order).
async fn vacancies(db: &Db, call: &CallRow) -> Result<(Vec<MemberRow>, usize), DbError> {
    let members: Vec<MemberRow> = db
        .committee_members(call.committee_id)
        .await?
        .into_iter()
        .filter(|m| m.call_id == Some(call.id))
        .collect();
    let filled = members.iter().filter(|m| m.source == "reserve").count();
    let mut left: Vec<MemberRow> = members
        .into_iter()
        .filter(|m| m.ended_at.is_some())
        .collect();
    left.sort_by_key(|m| (m.ended_at, m.id));
    Ok((left, filled))
}

/// Fills the next vacancy of a published panel from its reserve list by the engine's rule: the first
/// reserve with the same strata, else the first with whom every quota holds, else the first.
pub async fn fill_vacancy(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    CsrfForm(_): CsrfForm<crate::pages::auth::Empty>,
) -> Result<Response, PageError> {
    let (call, c, scope) = call_and_scope(&state, &ctx, id).await?;
    let me = require_staff(&ctx, scope)?;
    let (left, filled) = vacancies(&state.db, &call).await?;
    let draw = state.db.draw_of(id).await?;
    let (Some(next), Some(draw), Some(input_json), CallState::Published) = (
        left.get(filled),
        draw,
        call.input_json.clone(),
        call.state(),
    ) else {
        let alert = Some(ctx.t("committee-error-no-vacancy"));
        let page = call_page(&state, &ctx, id, None, FormErrors::default(), alert).await?;
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
    };
    let applications = state.db.applications(id).await?;
    let pseudonym_of = |m: &MemberRow| {
        applications
            .iter()
            .find(|a| a.user_id == m.user_id)
            .map(|a| a.pseudonym.clone())
    };
    let leaving: Vec<String> = left[..=filled].iter().filter_map(pseudonym_of).collect();
    let seed = draw.seed_text.clone();
    let replacement = tokio::task::spawn_blocking(move || {
        let instance = Instance::from_json_str(&input_json).map_err(SortitionError::Input)?;
        let lottery = Lottery::prepare(&instance)?;
        let outcome = lottery.draw(&seed);
        let ids = &lottery.pool.applicant_ids;
        let indices: Vec<usize> = leaving
            .iter()
            .filter_map(|p| ids.iter().position(|x| x == p))
            .collect();
        let chosen = maeul_sortition::fill_vacancies(&lottery.pool, &outcome, &indices)
            .ok()
            .and_then(|(done, _)| done.last().and_then(|v| v.replacement))
            .map(|(a, _)| ids[a].clone());
        Ok::<_, SortitionError>(chosen)
    })
    .await
    .map_err(|_| PageError::Internal)?;
    let chosen = match replacement {
        Ok(Some(p)) => applications.iter().find(|a| a.pseudonym == p).map(|a| a.id),
        Ok(None) => None,
        Err(e) => {
            let alert = Some(ctx.t1("committee-error-draw", "detail", e.to_string()));
            let page = call_page(&state, &ctx, id, None, FormErrors::default(), alert).await?;
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
        }
    };
    let Some(reserve) = chosen else {
        let alert = Some(ctx.t("committee-error-no-reserve"));
        let page = call_page(&state, &ctx, id, None, FormErrors::default(), alert).await?;
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
    };
    let seat = state
        .db
        .seat_reserve(id, next.id, reserve, &next.end_reason)
        .await?;
    if let Some(member) = state.db.membership(seat).await? {
        grant_member_role(&state.db, member.user_id, c.scope_id, Some(me)).await?;
    }
    Ok(Redirect::to(&format!(
        "/calls/{id}?notice=committee-notice-vacancy-filled"
    ))
    .into_response())
}

/// `/calls/{id}/input.json`: the exact published lottery input (its SHA-256 is on the call page).
pub async fn call_input(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    let (call, _, _) = call_and_scope(&state, &ctx, id).await?;
    let text = call.input_json.ok_or(PageError::NotFound)?;
    let disposition = format!("attachment; filename=\"call-{id}-input.json\"");
    Ok((
        [
            (header::CONTENT_TYPE, "application/json".to_owned()),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        text,
    )
        .into_response())
}

/// `/calls/{id}/draw.json`: everything needed to check a draw — the published input's fingerprint and
/// address, the announced seed rule and text, the command to re-run, and the result (panel, reserves,
/// every applicant's selection probability, the distribution).
pub async fn call_draw_json(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    let (call, _, _) = call_and_scope(&state, &ctx, id).await?;
    if call.input_json.is_none() {
        return Err(PageError::NotFound);
    }
    Ok(axum::Json(draw_document(&call, state.db.draw_of(id).await?.as_ref())).into_response())
}

pub fn draw_document(
    call: &CallRow,
    draw: Option<&maeul_db::committees::DrawRow>,
) -> serde_json::Value {
    serde_json::json!({
        "call_id": call.id,
        "state": call.state,
        "input_url": format!("/calls/{}/input.json", call.id),
        "input_sha256": call.input_sha256,
        "seed_rule": call.seed_rule,
        "seed_text": draw.map(|d| d.seed_text.clone()),
        "seed_sha256": draw.map(|d| d.seed_sha256.clone()),
        "command": draw.map(|d| rerun_command(call.id, &d.seed_text)),
        "algorithm": "maeul-sortition: leximin selection probabilities, ChaCha20 draw seeded by SHA-256 of the seed text (crates/sortition/README.md)",
        "result": draw.and_then(|d| serde_json::from_str::<serde_json::Value>(&d.result_json).ok()),
    })
}

// ---- Meetings -------------------------------------------------------------------------------------

pub struct MotionView {
    pub m: MotionRow,
    pub votes: Vec<VoteRow>,
    pub my_vote: bool,
}

#[derive(askama::Template)]
#[template(path = "committee_meeting.html")]
struct MeetingPage<'a> {
    ctx: &'a Ctx,
    m: MeetingRow,
    c: CommitteeRow,
    scope: &'a Scope,
    notice: Option<String>,
    alert: Option<String>,
    agenda: Vec<AgendaItem>,
    motions: Vec<MotionView>,
    minutes: Option<MinutesRow>,
    minutes_html: String,
    show_minutes: bool,
    present_text: String,
    /// The staff's next step for the meeting: (event, label message).
    next_event: Option<(&'static str, &'static str)>,
    /// (membership, present)
    roll: Vec<(MemberRow, bool)>,
    registrations: Vec<RegistrationRow>,
    my_registration: Option<String>,
    may_register: bool,
    may_run: bool,
    /// Membership through which the signed-in person may vote here.
    my_membership: Option<i64>,
    errors: FormErrors,
}

async fn meeting_page(
    state: &AppState,
    ctx: &Ctx,
    id: i64,
    notice_key: Option<&str>,
    alert: Option<String>,
    errors: FormErrors,
) -> Result<Response, PageError> {
    let m = state.db.meeting(id).await?.ok_or(PageError::NotFound)?;
    let (c, scope) = load_committee(state, ctx, m.committee_id).await?;
    let may_run = ctx.may_in(Action::RunCommittees, scope);
    let at = maeul_db::now();
    let present_ids = state.db.present_members(id).await?;
    let roll: Vec<(MemberRow, bool)> = state
        .db
        .committee_members(c.id)
        .await?
        .into_iter()
        .filter(|x| x.active_at(at) || present_ids.contains(&x.id))
        .map(|x| {
            let here = present_ids.contains(&x.id);
            (x, here)
        })
        .collect();
    let seats_filled = roll.iter().filter(|(x, _)| x.active_at(at)).count() as u32;
    let my_membership = ctx.user().and_then(|u| {
        roll.iter()
            .find(|(x, _)| x.user_id == u.id && x.active_at(at))
            .map(|(x, _)| x.id)
    });
    let mut motions = vec![];
    for mo in state.db.motions_of(id).await? {
        let votes = state.db.votes(mo.id).await?;
        let my_vote = my_membership.is_some_and(|mid| votes.iter().any(|v| v.membership_id == mid));
        motions.push(MotionView {
            m: mo,
            votes,
            my_vote,
        });
    }
    let minutes = state.db.minutes(id).await?;
    let my_registration = match ctx.user() {
        Some(u) => state
            .db
            .registrations(id)
            .await?
            .into_iter()
            .find(|r| r.user_id == u.id)
            .map(|r| r.status),
        None => None,
    };
    let next_event = match m.state() {
        MeetingState::Scheduled => Some(("publish_agenda", "meeting-publish-agenda")),
        MeetingState::AgendaPublished => Some(("convene", "meeting-convene")),
        MeetingState::Convened => Some(("start", "meeting-start")),
        MeetingState::InSession => Some(("adjourn", "meeting-adjourn")),
        MeetingState::MinutesDrafted => Some(("approve_minutes", "meeting-approve-minutes")),
        MeetingState::MinutesApproved => Some(("publish_minutes", "meeting-publish-minutes")),
        _ => None,
    };
    let quorum = committee::quorum_needed(seats_filled);
    let present_text = ctx.i18n.tr(
        ctx.lang,
        "meeting-present-count",
        &[
            ("present", present_ids.len().into()),
            ("filled", seats_filled.into()),
            ("needed", quorum.into()),
        ],
    );
    render(&MeetingPage {
        ctx,
        notice: notice(ctx, notice_key),
        alert,
        next_event,
        present_text,
        minutes_html: minutes
            .as_ref()
            .map(|x| crate::markdown::to_safe_html(&x.body))
            .unwrap_or_default(),
        agenda: state.db.agenda(id).await?,
        motions,
        show_minutes: m.state().minutes_public() || may_run,
        minutes,
        roll,
        registrations: if may_run {
            state.db.registrations(id).await?
        } else {
            vec![]
        },
        may_register: ctx.user().is_some() && m.capacity > 0 && m.state().takes_registrations(),
        my_registration,
        may_run,
        my_membership,
        errors,
        m,
        c,
        scope,
    })
}

/// `/meetings/{id}` (the page) and `/meetings/{id}.ics` (its iCal entry).
pub async fn show_meeting(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(key): Path<String>,
    Query(q): Query<NoticeQuery>,
) -> Result<Response, PageError> {
    if let Some(id) = key.strip_suffix(".ics") {
        let id: i64 = id.parse().map_err(|_| PageError::NotFound)?;
        let m = state.db.meeting(id).await?.ok_or(PageError::NotFound)?;
        let (c, _) = load_committee(&state, &ctx, m.committee_id).await?;
        let minutes = if m.state().minutes_public() {
            state.db.minutes(id).await?
        } else {
            None
        };
        let event = ical::event(&state.config.base_url, &c, &m, minutes.as_ref());
        return Ok(ical::response(&ical::calendar(&m.title, &[event])));
    }
    let id: i64 = key.parse().map_err(|_| PageError::NotFound)?;
    meeting_page(
        &state,
        &ctx,
        id,
        q.notice.as_deref(),
        None,
        FormErrors::default(),
    )
    .await
}

async fn meeting_scope<'a>(
    state: &AppState,
    ctx: &'a Ctx,
    id: i64,
) -> Result<(MeetingRow, CommitteeRow, &'a Scope), PageError> {
    let m = state.db.meeting(id).await?.ok_or(PageError::NotFound)?;
    let (c, scope) = load_committee(state, ctx, m.committee_id).await?;
    Ok((m, c, scope))
}

async fn refused(
    state: &AppState,
    ctx: &Ctx,
    id: i64,
    alert: String,
) -> Result<Response, PageError> {
    let page = meeting_page(state, ctx, id, None, Some(alert), FormErrors::default()).await?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
}

/// Where a meeting action leads: back to the meeting, or the meeting page with the storage layer's
/// refusal (a state that changed meanwhile, a rule the database enforces).
async fn after_meeting_action<T>(
    state: &AppState,
    ctx: &Ctx,
    id: i64,
    result: Result<T, DbError>,
) -> Result<Response, PageError> {
    match result {
        Ok(_) => Ok(saved(id)),
        Err(DbError::Invalid(msg)) => {
            refused(
                state,
                ctx,
                id,
                ctx.t1("committee-error-refused", "detail", msg),
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

fn saved(id: i64) -> Response {
    Redirect::to(&format!("/meetings/{id}?notice=committee-notice-saved")).into_response()
}

#[derive(Deserialize, Default)]
pub struct MeetingStateForm {
    #[serde(default)]
    pub event: String,
    #[serde(default)]
    pub reason: String,
}

/// Moves a meeting along: publish the agenda, convene (quorum checked), start, adjourn, approve and
/// publish the minutes, or cancel with a reason.
pub async fn meeting_state(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    CsrfForm(form): CsrfForm<MeetingStateForm>,
) -> Result<Response, PageError> {
    let (m, c, scope) = meeting_scope(&state, &ctx, id).await?;
    require_staff(&ctx, scope)?;
    let event = match form.event.as_str() {
        "publish_agenda" => MeetingEvent::PublishAgenda,
        "convene" => MeetingEvent::Convene {
            present: 0,
            seats_filled: 0,
            at: 0,
            starts_at: 0,
        },
        "start" => MeetingEvent::StartSession,
        "adjourn" => MeetingEvent::Adjourn,
        "approve_minutes" => MeetingEvent::ApproveMinutes,
        "publish_minutes" => MeetingEvent::PublishMinutes,
        "cancel" => MeetingEvent::Cancel {
            reason: form.reason.clone(),
        },
        _ => return Err(PageError::BadRequest("unknown event".into())),
    };
    if let MeetingEvent::Convene { .. } = event
        && m.state() == MeetingState::AgendaPublished
    {
        let present = state.db.present_members(id).await?.len() as u32;
        let filled = state.db.seats_filled(c.id).await?;
        if !committee::has_quorum(present, filled) {
            let alert = ctx.i18n.tr(
                ctx.lang,
                "committee-error-no-quorum",
                &[
                    ("present", present.into()),
                    ("filled", filled.into()),
                    ("needed", committee::quorum_needed(filled).into()),
                ],
            );
            return refused(&state, &ctx, id, alert).await;
        }
    }
    if let MeetingEvent::Cancel { reason } = &event
        && reason.trim().is_empty()
    {
        let mut errors = FormErrors::default();
        errors.add(&ctx, "reason", &maeul_domain::account::FieldError::Required);
        let page = meeting_page(&state, &ctx, id, None, None, errors).await?;
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
    }
    after_meeting_action(
        &state,
        &ctx,
        id,
        state.db.transition_meeting(id, &event).await,
    )
    .await
}

#[derive(Deserialize, Default)]
pub struct AgendaForm {
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub proposal: String,
}

pub async fn add_agenda_item(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    CsrfForm(form): CsrfForm<AgendaForm>,
) -> Result<Response, PageError> {
    let (_, _, scope) = meeting_scope(&state, &ctx, id).await?;
    require_staff(&ctx, scope)?;
    let mut errors = FormErrors::default();
    let title = errors.check(&ctx, "agenda_title", input::parse_name(&form.title));
    let proposal = match form.proposal.trim().trim_start_matches('#') {
        "" => None,
        p => match p.parse::<i64>() {
            Ok(p) if state.db.proposal(p).await?.is_some() => Some(p),
            _ => {
                errors.add(
                    &ctx,
                    "agenda_proposal",
                    &maeul_domain::account::FieldError::Invalid,
                );
                None
            }
        },
    };
    if let (Some(title), false) = (title, errors.any()) {
        return after_meeting_action(
            &state,
            &ctx,
            id,
            state
                .db
                .add_agenda_item(id, &title, form.description.trim(), proposal)
                .await,
        )
        .await;
    }
    let page = meeting_page(&state, &ctx, id, None, None, errors).await?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
}

#[derive(Deserialize, Default)]
pub struct AttendanceForm {
    #[serde(default)]
    pub membership: String,
    #[serde(default)]
    pub present: String,
}

pub async fn attendance(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    CsrfForm(form): CsrfForm<AttendanceForm>,
) -> Result<Response, PageError> {
    let (_, _, scope) = meeting_scope(&state, &ctx, id).await?;
    let me = require_staff(&ctx, scope)?;
    let membership: i64 = form
        .membership
        .parse()
        .map_err(|_| PageError::BadRequest("membership".into()))?;
    after_meeting_action(
        &state,
        &ctx,
        id,
        state
            .db
            .set_attendance(id, membership, form.present == "yes", Some(me))
            .await,
    )
    .await
}

#[derive(Deserialize, Default)]
pub struct MinutesForm {
    #[serde(default)]
    pub body: String,
}

pub async fn draft_minutes(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    CsrfForm(form): CsrfForm<MinutesForm>,
) -> Result<Response, PageError> {
    let (_, _, scope) = meeting_scope(&state, &ctx, id).await?;
    let me = require_staff(&ctx, scope)?;
    let mut errors = FormErrors::default();
    if let Some(body) = errors.check(&ctx, "minutes", input::parse_text(&form.body)) {
        return after_meeting_action(
            &state,
            &ctx,
            id,
            state.db.draft_minutes(id, &body, Some(me)).await,
        )
        .await;
    }
    let page = meeting_page(&state, &ctx, id, None, None, errors).await?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
}

pub async fn register(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    CsrfForm(_): CsrfForm<crate::pages::auth::Empty>,
) -> Result<Response, PageError> {
    let me = require_user(&ctx)?;
    meeting_scope(&state, &ctx, id).await?;
    match state.db.register_for_meeting(id, me.user.id).await {
        Ok(status) => {
            let key = if status == "waiting" {
                "committee-notice-waiting"
            } else {
                "committee-notice-registered"
            };
            Ok(Redirect::to(&format!("/meetings/{id}?notice={key}")).into_response())
        }
        Err(DbError::Invalid(msg)) => {
            refused(
                &state,
                &ctx,
                id,
                ctx.t1("committee-error-refused", "detail", msg),
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn unregister(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    CsrfForm(_): CsrfForm<crate::pages::auth::Empty>,
) -> Result<Response, PageError> {
    let me = require_user(&ctx)?;
    meeting_scope(&state, &ctx, id).await?;
    state.db.cancel_registration(id, me.user.id).await?;
    Ok(Redirect::to(&format!(
        "/meetings/{id}?notice=committee-notice-unregistered"
    ))
    .into_response())
}

// ---- Motions and votes --------------------------------------------------------------------------

#[derive(Deserialize, Default)]
pub struct MotionForm {
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub body: String,
    #[serde(default)]
    pub agenda_item: String,
}

pub async fn propose_motion(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    CsrfForm(form): CsrfForm<MotionForm>,
) -> Result<Response, PageError> {
    let (_, _, scope) = meeting_scope(&state, &ctx, id).await?;
    let me = require_staff(&ctx, scope)?;
    let mut errors = FormErrors::default();
    let title = errors.check(&ctx, "motion_title", input::parse_name(&form.title));
    let agenda = state.db.agenda(id).await?;
    let item = form
        .agenda_item
        .parse::<i64>()
        .ok()
        .filter(|i| agenda.iter().any(|a| a.id == *i));
    if let (Some(title), false) = (title, errors.any()) {
        return after_meeting_action(
            &state,
            &ctx,
            id,
            state
                .db
                .propose_motion(id, item, &title, form.body.trim(), Some(me))
                .await,
        )
        .await;
    }
    let page = meeting_page(&state, &ctx, id, None, None, errors).await?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
}

#[derive(Deserialize, Default)]
pub struct MotionStateForm {
    #[serde(default)]
    pub event: String,
}

pub async fn motion_state(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    CsrfForm(form): CsrfForm<MotionStateForm>,
) -> Result<Response, PageError> {
    let motion = state.db.motion(id).await?.ok_or(PageError::NotFound)?;
    let (m, c, scope) = meeting_scope(&state, &ctx, motion.meeting_id).await?;
    require_staff(&ctx, scope)?;
    let event = match form.event.as_str() {
        "debate" => MotionEvent::Debate,
        "open_vote" => MotionEvent::OpenVote,
        "close_vote" => MotionEvent::CloseVote {
            tally: Tally::default(),
            present: 0,
            seats_filled: 0,
            rule: c.vote_rule(),
        },
        "withdraw" => MotionEvent::Withdraw,
        _ => return Err(PageError::BadRequest("unknown event".into())),
    };
    after_meeting_action(
        &state,
        &ctx,
        m.id,
        state.db.transition_motion(id, &event).await,
    )
    .await
}

#[derive(Deserialize, Default)]
pub struct VoteForm {
    #[serde(default)]
    pub choice: String,
}

/// A member casts a vote (yes, no, abstain) on an open motion.
pub async fn vote(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    CsrfForm(form): CsrfForm<VoteForm>,
) -> Result<Response, PageError> {
    let me = require_user(&ctx)?;
    let motion = state.db.motion(id).await?.ok_or(PageError::NotFound)?;
    let (m, _, scope) = meeting_scope(&state, &ctx, motion.meeting_id).await?;
    if !ctx.may_in(Action::ActAsCommitteeMember, scope) {
        return Err(PageError::Forbidden);
    }
    let choice = Choice::parse(&form.choice)
        .ok_or_else(|| PageError::BadRequest("choice: yes, no or abstain".into()))?;
    match state.db.cast_vote(id, me.user.id, choice).await? {
        Ok(()) => Ok(
            Redirect::to(&format!("/meetings/{}?notice=committee-notice-voted", m.id))
                .into_response(),
        ),
        Err(VoteError::NotAMember) => Err(PageError::Forbidden),
        Err(VoteError::Refused(why)) => {
            let alert = ctx.t(&format!("committee-vote-refused-{}", why.id()));
            refused(&state, &ctx, m.id, alert).await
        }
    }
}

/// Demo data: Jongno-gu's governance committee (its chair, a public meeting with its agenda) and
/// Sajik-dong's resident council with an open call for members.
pub async fn seed_demo(db: &Db) -> Result<(), DbError> {
    let scopes = maeul_domain::ScopeTree::new(db.load_scopes().await?).map_err(DbError::Invalid)?;
    let (Some(jongno), Some(sajik)) = (scopes.by_code("11110"), scopes.by_code("1111053000"))
    else {
        return Ok(());
    };
    let at = maeul_db::now();
    let term = Term::new(at - 86_400, at + 2 * 365 * 86_400)
        .map_err(|e| DbError::Invalid(e.to_string()))?;
    let governance = db
        .create_committee(&NewCommittee {
            scope_id: jongno.id,
            parent_id: None,
            kind: CommitteeKind::DistrictGovernance,
            name: "종로구 민관협치회의 (Jongno-gu governance committee)",
            charter: "종로구 민관협치 기본 조례에 따라 협치 의제를 발굴하고 지역사회혁신계획을 심의·의결합니다.\n\n\
                      Finds local agendas and deliberates and resolves the district's innovation plan, under the \
                      district's collaborative-governance ordinance. Civil majority; co-chaired by the district head \
                      and an elected civil chair.",
            vote_rule: VoteRule::MajorityOfVoting,
            secret_ballot: false,
            gender_cap: Some(60),
            seats: SeatPlan {
                public: 2,
                civil: 4,
                expert: 1,
            },
            created_by: None,
        })
        .await?;
    // The demo committee member chairs it (the demo accounts keep exactly their one role each).
    for (email, sector, position, gender) in [(
        "member@demo.maeul.kr",
        Sector::Civil,
        Position::Chair,
        "female",
    )] {
        if let Some(user) = db.user_by_email(email).await? {
            db.appoint_member(&NewMembership {
                committee_id: governance,
                user_id: user.id,
                sector,
                position,
                gender,
                term,
            })
            .await?;
            grant_member_role(db, user.id, jongno.id, None).await?;
        }
    }
    let meeting = db
        .create_meeting(&NewMeeting {
            committee_id: governance,
            title: "제1차 정기회의 (1st regular meeting)",
            starts_at: at + 14 * 86_400,
            ends_at: at + 14 * 86_400 + 2 * 3600,
            place: "종로구청 기획상황실 (Jongno-gu Office)",
            capacity: 20,
        })
        .await?;
    db.add_agenda_item(
        meeting,
        "2027 지역사회혁신계획 심의 (2027 innovation plan)",
        "",
        None,
    )
    .await?;
    db.add_agenda_item(meeting, "분과 구성 (subcommittees)", "", None)
        .await?;
    let council = db
        .create_committee(&NewCommittee {
            scope_id: sajik.id,
            parent_id: None,
            kind: CommitteeKind::ResidentCouncil,
            name: "사직동 주민자치회 (Sajik-dong resident council)",
            charter: "주민자치학교 6시간 이수자 중 공개 추첨으로 위원을 선정합니다. 한 성별이 60%를 넘지 않습니다.\n\n\
                      Members are drawn by public lottery among residents who completed 6 hours of resident-autonomy \
                      school; neither gender above 60%.",
            vote_rule: VoteRule::MajorityOfPresent,
            secret_ballot: false,
            gender_cap: Some(60),
            seats: SeatPlan {
                public: 0,
                civil: 10,
                expert: 0,
            },
            created_by: None,
        })
        .await?;
    let features = serde_json::to_string(
        &parse_features("gender: female<=60%, male<=60%; age_band: 19-39, 40-59, 60+")
            .map_err(DbError::Invalid)?,
    )
    .map_err(|e| DbError::Invalid(e.to_string()))?;
    let call = db
        .create_call(&NewCall {
            committee_id: council,
            title: "2027 주민자치회 위원 공개 모집 (2027 open call)",
            description: "",
            sector: Sector::Civil,
            seats: 3,
            reserve_size: 2,
            min_age: 16,
            training_hours: 6,
            features_json: &features,
            seed_rule: "Lotto 6/45: the numbers of the first draw after the call closes, then \" | sajik-2027\"",
            term: Term::new(at + 30 * 86_400, at + 760 * 86_400)
                .map_err(|e| DbError::Invalid(e.to_string()))?,
        })
        .await?;
    db.open_call(call).await
}

/// Template helpers.
impl Ctx {
    pub fn committee_kind_label(&self, kind: &str) -> String {
        self.t(&format!("committee-kind-{kind}"))
    }
    pub fn sector_label(&self, sector: &str) -> String {
        self.t(&format!("committee-sector-{sector}"))
    }
    pub fn position_label(&self, position: &str) -> String {
        self.t(&format!("committee-position-{position}"))
    }
    pub fn meeting_state_label(&self, state: &str) -> String {
        self.t(&format!("meeting-state-{state}"))
    }
    pub fn motion_state_label(&self, state: &str) -> String {
        self.t(&format!("motion-state-{state}"))
    }
    pub fn call_state_label(&self, state: &str) -> String {
        self.t(&format!("call-state-{state}"))
    }
    pub fn application_status_label(&self, status: &str) -> String {
        self.t(&format!("application-status-{status}"))
    }
    pub fn vote_rule_label(&self, rule: &str) -> String {
        match rule {
            "majority_voting" | "majority_present" => self.t(&format!("vote-rule-{rule}")),
            other => self.t1(
                "vote-rule-qualified",
                "fraction",
                other.trim_start_matches("qualified:").to_owned(),
            ),
        }
    }
    pub fn source_label(&self, source: &str) -> String {
        self.t(&format!("committee-source-{source}"))
    }
    pub fn registration_label(&self, status: &str) -> String {
        self.t(&format!("meeting-registration-{status}"))
    }
    /// A message with two arguments.
    pub fn t2<'a>(
        &self,
        id: &str,
        a: &str,
        av: impl Into<fluent_bundle::FluentValue<'a>>,
        b: &str,
        bv: impl Into<fluent_bundle::FluentValue<'a>>,
    ) -> String {
        self.i18n
            .tr(self.lang, id, &[(a, av.into()), (b, bv.into())])
    }
    /// "3 yes · 1 no · 0 abstain".
    pub fn counts(&self, yes: &i64, no: &i64, abstain: &i64) -> String {
        self.i18n.tr(
            self.lang,
            "motion-counts",
            &[
                ("yes", (*yes).into()),
                ("no", (*no).into()),
                ("abstain", (*abstain).into()),
            ],
        )
    }
    pub fn choice_label(&self, choice: &str) -> String {
        self.t(&format!("vote-choice-{choice}"))
    }
    /// `YYYY-MM-DD` of unix seconds in Seoul time.
    pub fn date(&self, unix: &i64) -> String {
        crate::context::format_kst(*unix)[..10].to_owned()
    }
}

/// The small part of RFC 5545 the calendars need: escaped text, folded lines, CRLF.
pub mod ical {
    use axum::http::header;
    use axum::response::{IntoResponse, Response};
    use maeul_db::committees::{CommitteeRow, MeetingRow, MinutesRow};
    use maeul_domain::committee::MeetingState;

    /// Escapes a TEXT value (RFC 5545 §3.3.11): backslash, semicolon, comma and newlines.
    pub fn escape(text: &str) -> String {
        let mut out = String::with_capacity(text.len());
        for c in text.replace("\r\n", "\n").chars() {
            match c {
                '\\' => out.push_str("\\\\"),
                ';' => out.push_str("\\;"),
                ',' => out.push_str("\\,"),
                '\n' | '\r' => out.push_str("\\n"),
                c if c.is_control() => {}
                c => out.push(c),
            }
        }
        out
    }

    /// Folds a content line at 75 octets (never inside a UTF-8 character), continuation lines start
    /// with a space; every line ends with CRLF.
    pub fn fold(line: &str) -> String {
        let mut out = String::new();
        let mut width = 0;
        for c in line.chars() {
            let len = c.len_utf8();
            if width + len > 75 {
                out.push_str("\r\n ");
                width = 1;
            }
            out.push(c);
            width += len;
        }
        out.push_str("\r\n");
        out
    }

    /// `YYYYMMDDTHHMMSSZ`.
    pub fn utc_stamp(unix: i64) -> String {
        let (y, m, d, hh, mm, ss) = civil(unix);
        format!("{y:04}{m:02}{d:02}T{hh:02}{mm:02}{ss:02}Z")
    }

    /// `YYYY-MM-DDTHH:MM:SSZ`.
    pub fn utc_iso(unix: i64) -> String {
        let (y, m, d, hh, mm, ss) = civil(unix);
        format!("{y:04}-{m:02}-{d:02}T{hh:02}:{mm:02}:{ss:02}Z")
    }

    fn civil(unix: i64) -> (i64, i64, i64, i64, i64, i64) {
        let days = unix.div_euclid(86_400);
        let rem = unix.rem_euclid(86_400);
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z.rem_euclid(146_097);
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let d = doy - (153 * mp + 2) / 5 + 1;
        let m = if mp < 10 { mp + 3 } else { mp - 9 };
        let y = yoe + era * 400 + i64::from(m <= 2);
        (y, m, d, rem / 3600, rem % 3600 / 60, rem % 60)
    }

    /// One VEVENT (without the calendar around it). Published minutes go into the description.
    pub fn event(
        base_url: &str,
        c: &CommitteeRow,
        m: &MeetingRow,
        minutes: Option<&MinutesRow>,
    ) -> String {
        let host = base_url
            .split("://")
            .nth(1)
            .unwrap_or(base_url)
            .trim_end_matches('/');
        let mut description = format!("{} — {}", c.name, m.state);
        if let Some(minutes) = minutes {
            description.push_str("\n\n");
            description.push_str(&minutes.body);
        }
        let mut lines = vec![
            "BEGIN:VEVENT".to_owned(),
            format!("UID:meeting-{}@{}", m.id, host),
            format!("DTSTAMP:{}", utc_stamp(m.updated_at)),
            format!("DTSTART:{}", utc_stamp(m.starts_at)),
            format!("DTEND:{}", utc_stamp(m.ends_at)),
            format!("SUMMARY:{}", escape(&m.title)),
            format!("LOCATION:{}", escape(&m.place)),
            format!("DESCRIPTION:{}", escape(&description)),
            format!("URL:{}/meetings/{}", base_url.trim_end_matches('/'), m.id),
        ];
        if m.state() == MeetingState::Cancelled {
            lines.push("STATUS:CANCELLED".into());
        } else {
            lines.push("STATUS:CONFIRMED".into());
        }
        lines.push("END:VEVENT".into());
        lines.iter().map(|l| fold(l)).collect()
    }

    pub fn calendar(name: &str, events: &[String]) -> String {
        let mut out = String::new();
        for line in [
            "BEGIN:VCALENDAR",
            "VERSION:2.0",
            "PRODID:-//maeul//committees//EN",
            "CALSCALE:GREGORIAN",
        ] {
            out.push_str(&fold(line));
        }
        out.push_str(&fold(&format!("X-WR-CALNAME:{}", escape(name))));
        for e in events {
            out.push_str(e);
        }
        out.push_str(&fold("END:VCALENDAR"));
        out
    }

    pub fn response(body: &str) -> Response {
        (
            [(header::CONTENT_TYPE, "text/calendar; charset=utf-8")],
            body.to_owned(),
        )
            .into_response()
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        #[test]
        fn text_is_escaped() {
            assert_eq!(escape("a,b;c\\d\ne"), "a\\,b\\;c\\\\d\\ne");
            assert_eq!(escape("x\r\ny"), "x\\ny");
        }

        #[test]
        fn long_lines_fold_at_75_octets_on_character_boundaries() {
            let line = format!("SUMMARY:{}", "회의".repeat(30));
            let folded = fold(&line);
            assert!(folded.ends_with("\r\n"));
            for part in folded.trim_end_matches("\r\n").split("\r\n") {
                assert!(part.len() <= 75, "{} octets", part.len());
            }
            let unfolded = folded.trim_end_matches("\r\n").replace("\r\n ", "");
            assert_eq!(unfolded, line);
        }

        #[test]
        fn stamps_are_utc() {
            assert_eq!(utc_stamp(0), "19700101T000000Z");
            assert_eq!(utc_stamp(1_796_050_800), "20261130T150000Z");
            assert_eq!(utc_iso(1_709_251_200), "2024-03-01T00:00:00Z");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::parse_features;

    #[test]
    fn features_from_the_short_form() {
        let f =
            parse_features("gender: female<=60%, male<=60%; age: 19-39>=2, 40-59, 60+<=3").unwrap();
        assert_eq!(f.len(), 2);
        assert_eq!(f[0].categories[0].name, "female");
        assert_eq!(f[0].categories[0].max_share, Some(0.6));
        assert_eq!(f[1].categories[0].min, Some(2));
        assert_eq!(f[1].categories[2].max, Some(3));
        assert_eq!(f[1].categories[1].min, None);
        assert!(parse_features("").is_err());
        assert!(parse_features("gender").is_err());
        assert!(parse_features("gender: a>=x").is_err());
        let json = serde_json::to_string(&f).unwrap();
        assert_eq!(parse_features(&json).unwrap(), f);
    }
}
