//! Meetings: scheduling, the meeting's page (agenda, registration, roll, motions and votes, minutes),
//! the staff's steps, the public's registration, members' votes, and the meeting's iCal entry.
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use maeul_db::committees::{
    AgendaItem, CommitteeRow, MeetingRow, MemberRow, MinutesRow, RegistrationRow, VoteRow,
};
use maeul_domain::committee::{Choice, MeetingState, MotionState, RegistrationStatus};
use serde::Deserialize;

use super::bodies::{NoticeQuery, after_committee_form};
use crate::AppState;
use crate::areas::committees::ical;
use crate::areas::committees::service::meetings::{self, MotionView, NewMeetingInput};
use crate::areas::committees::views::{CommitteeText, NOTICES};
use crate::http::{
    Alert, Crumbs, CsrfForm, Ctx, FormErrors, PageError, PagePath, PageQuery, ServiceError,
    after_form, notice, page_status, render,
};

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

/// Staff schedule a meeting of the committee.
pub async fn create(
    State(state): State<AppState>,
    ctx: Ctx,
    PagePath(id): PagePath<i64>,
    CsrfForm(form): CsrfForm<MeetingForm>,
) -> Result<Response, PageError> {
    let me = ctx.caller().ok_or(PageError::Unauthorized)?;
    let input = NewMeetingInput {
        title: &form.title,
        starts_at: &form.starts_at,
        ends_at: &form.ends_at,
        place: &form.place,
        capacity: &form.capacity,
    };
    let result = meetings::create(&state, me, id, &input).await;
    after_committee_form(&state, &ctx, id, "meeting_title", result, |m| {
        format!("/meetings/{m}?notice=committee-notice-saved")
    })
    .await
}

/// What the signed-in person may do on the meeting's page, from the meeting's state.
#[derive(Default)]
pub struct MeetingPermissions {
    pub run: bool,
    pub run_meeting: bool,
    pub edit_agenda: bool,
    pub record_attendance: bool,
    pub manage_motions: bool,
    pub draft_minutes: bool,
    pub cancel: bool,
    pub register: bool,
    pub sign_in_to_register: bool,
}

/// A motion as the page shows it, with the steps its state allows.
pub struct MotionItem {
    pub motion: maeul_db::committees::MotionRow,
    pub votes: Vec<VoteRow>,
    pub my_vote: bool,
    pub tallied: bool,
    pub decided: bool,
    pub may_vote: bool,
    pub may_debate: bool,
    pub may_open_vote: bool,
    pub may_close_vote: bool,
}

#[derive(askama::Template)]
#[template(path = "committees/committee_meeting.html")]
struct MeetingPage<'a> {
    ctx: &'a Ctx,
    crumbs: Crumbs,
    m: MeetingRow,
    c: CommitteeRow,
    notice: Option<String>,
    alert: Option<Alert>,
    agenda: Vec<AgendaItem>,
    agenda_public: bool,
    motions: Vec<MotionItem>,
    minutes: Option<MinutesRow>,
    minutes_html: String,
    present_text: String,
    /// The staff's next step for the meeting and its button's label.
    next_event: Option<&'static str>,
    next_label: &'static str,
    roll: Vec<(MemberRow, bool)>,
    registrations: Vec<RegistrationRow>,
    my_registration: Option<RegistrationStatus>,
    may: MeetingPermissions,
    errors: FormErrors,
}

/// The label id of a meeting step's button.
fn next_label_id(event: Option<&str>) -> &'static str {
    match event {
        Some("publish_agenda") => "meeting-publish-agenda",
        Some("convene") => "meeting-convene",
        Some("start") => "meeting-start",
        Some("adjourn") => "meeting-adjourn",
        Some("approve_minutes") => "meeting-approve-minutes",
        Some("publish_minutes") => "meeting-publish-minutes",
        _ => "meeting-run",
    }
}

async fn meeting_page(
    state: &AppState,
    ctx: &Ctx,
    id: i64,
    notice_key: Option<&str>,
    alert: Option<Alert>,
    errors: FormErrors,
) -> Result<Response, PageError> {
    let v = meetings::view(state, ctx.caller(), id).await?;
    let s = v.meeting.state;
    let before_convening = matches!(s, MeetingState::Scheduled | MeetingState::AgendaPublished);
    let may = MeetingPermissions {
        run: v.may_run,
        run_meeting: v.may_run && !matches!(s, MeetingState::Published | MeetingState::Cancelled),
        edit_agenda: v.may_run && before_convening,
        record_attendance: v.may_run && s.records_attendance(),
        manage_motions: v.may_run && s.takes_motions(),
        draft_minutes: v.may_run
            && matches!(s, MeetingState::Adjourned | MeetingState::MinutesDrafted),
        cancel: v.may_run && before_convening,
        register: v.may_register,
        sign_in_to_register: ctx.user().is_none()
            && v.meeting.capacity > 0
            && s.takes_registrations(),
    };
    let motions = v
        .motions
        .into_iter()
        .map(
            |MotionView {
                 motion,
                 votes,
                 my_vote,
             }| {
                let ms = motion.state;
                MotionItem {
                    tallied: !matches!(
                        ms,
                        MotionState::Proposed | MotionState::Debated | MotionState::Withdrawn
                    ),
                    decided: ms.is_decided(),
                    may_vote: ms == MotionState::Voting && v.my_membership.is_some() && !my_vote,
                    may_debate: ms == MotionState::Proposed,
                    may_open_vote: matches!(ms, MotionState::Proposed | MotionState::Debated),
                    may_close_vote: ms == MotionState::Voting,
                    motion,
                    votes,
                    my_vote,
                }
            },
        )
        .collect();
    let present_text = ctx.i18n.tr(
        ctx.lang,
        "meeting-present-count",
        &[
            ("present", v.present.into()),
            ("filled", v.roll.len().into()),
            ("needed", v.quorum_needed.into()),
        ],
    );
    let status = page_status(&errors, alert.as_ref());
    let page = render(&MeetingPage {
        crumbs: Crumbs::within(ctx, &v.scope)
            .link(
                format!("/scopes/{}/committees", v.scope.code),
                ctx.t("committees-title"),
            )
            .link(format!("/committees/{}", v.committee.id), &v.committee.name)
            .current(&v.meeting.title),
        ctx,
        notice: notice(ctx, notice_key, NOTICES),
        alert,
        next_label: next_label_id(v.next_event),
        next_event: v.next_event,
        present_text,
        minutes_html: v
            .minutes
            .as_ref()
            .map(|x| crate::markdown::to_safe_html(&x.body))
            .unwrap_or_default(),
        agenda: v.agenda,
        agenda_public: v.agenda_public,
        motions,
        minutes: v.minutes,
        roll: v.roll,
        registrations: v.registrations,
        my_registration: v.my_registration,
        may,
        errors,
        m: v.meeting,
        c: v.committee,
    })?;
    Ok((status, page).into_response())
}

/// `/meetings/{id}` (the page) and `/meetings/{id}.ics` (its iCal entry).
pub async fn show(
    State(state): State<AppState>,
    ctx: Ctx,
    PagePath(key): PagePath<String>,
    PageQuery(q): PageQuery<NoticeQuery>,
) -> Result<Response, PageError> {
    if let Some(id) = key.strip_suffix(".ics") {
        let id: i64 = id.parse().map_err(|_| PageError::NotFound)?;
        let v = meetings::view(&state, ctx.caller(), id).await?;
        let minutes = v.minutes.filter(|_| v.meeting.state.minutes_public());
        let event = ical::event(
            &state.config.base_url,
            &v.committee,
            &v.meeting,
            &ctx.label(v.meeting.state),
            minutes.as_ref(),
        );
        return Ok(ical::response(ical::calendar(
            &v.meeting.title,
            vec![event],
        )));
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

/// Where a meeting action leads: back to the meeting with a notice, or its page with the refusal.
async fn after_meeting_action<T>(
    state: &AppState,
    ctx: &Ctx,
    id: i64,
    result: Result<T, ServiceError>,
    notice: &str,
) -> Result<Response, PageError> {
    let success = format!("/meetings/{id}?notice={notice}");
    after_form(ctx, result, &success, "reason", |alert, errors| {
        meeting_page(state, ctx, id, None, alert, errors)
    })
    .await
}

const SAVED: &str = "committee-notice-saved";

#[derive(Deserialize, Default)]
pub struct MeetingStateForm {
    #[serde(default)]
    pub event: String,
    #[serde(default)]
    pub reason: String,
}

/// Moves a meeting along (staff).
pub async fn step(
    State(state): State<AppState>,
    ctx: Ctx,
    PagePath(id): PagePath<i64>,
    CsrfForm(form): CsrfForm<MeetingStateForm>,
) -> Result<Response, PageError> {
    let me = ctx.caller().ok_or(PageError::Unauthorized)?;
    let result = meetings::step(&state, me, id, &form.event, &form.reason).await;
    after_meeting_action(&state, &ctx, id, result, SAVED).await
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
    PagePath(id): PagePath<i64>,
    CsrfForm(form): CsrfForm<AgendaForm>,
) -> Result<Response, PageError> {
    let me = ctx.caller().ok_or(PageError::Unauthorized)?;
    let result = meetings::add_agenda_item(
        &state,
        me,
        id,
        &form.title,
        &form.description,
        &form.proposal,
    )
    .await;
    after_meeting_action(&state, &ctx, id, result, SAVED).await
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
    PagePath(id): PagePath<i64>,
    CsrfForm(form): CsrfForm<AttendanceForm>,
) -> Result<Response, PageError> {
    let me = ctx.caller().ok_or(PageError::Unauthorized)?;
    let result =
        meetings::set_attendance(&state, me, id, &form.membership, form.present == "yes").await;
    after_meeting_action(&state, &ctx, id, result, SAVED).await
}

#[derive(Deserialize, Default)]
pub struct MinutesForm {
    #[serde(default)]
    pub body: String,
}

pub async fn draft_minutes(
    State(state): State<AppState>,
    ctx: Ctx,
    PagePath(id): PagePath<i64>,
    CsrfForm(form): CsrfForm<MinutesForm>,
) -> Result<Response, PageError> {
    let me = ctx.caller().ok_or(PageError::Unauthorized)?;
    let result = meetings::draft_minutes(&state, me, id, &form.body).await;
    after_meeting_action(&state, &ctx, id, result, SAVED).await
}

#[derive(Deserialize)]
pub struct Empty {}

pub async fn register(
    State(state): State<AppState>,
    ctx: Ctx,
    PagePath(id): PagePath<i64>,
    CsrfForm(_): CsrfForm<Empty>,
) -> Result<Response, PageError> {
    let me = ctx.caller().ok_or(PageError::Unauthorized)?;
    let result = meetings::register(&state, me, id).await;
    let notice = match result {
        Ok(RegistrationStatus::Waiting) => "committee-notice-waiting",
        _ => "committee-notice-registered",
    };
    after_meeting_action(&state, &ctx, id, result, notice).await
}

pub async fn unregister(
    State(state): State<AppState>,
    ctx: Ctx,
    PagePath(id): PagePath<i64>,
    CsrfForm(_): CsrfForm<Empty>,
) -> Result<Response, PageError> {
    let me = ctx.caller().ok_or(PageError::Unauthorized)?;
    let result = meetings::unregister(&state, me, id).await;
    after_meeting_action(&state, &ctx, id, result, "committee-notice-unregistered").await
}

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
    PagePath(id): PagePath<i64>,
    CsrfForm(form): CsrfForm<MotionForm>,
) -> Result<Response, PageError> {
    let me = ctx.caller().ok_or(PageError::Unauthorized)?;
    let result =
        meetings::propose_motion(&state, me, id, &form.title, &form.body, &form.agenda_item).await;
    after_meeting_action(&state, &ctx, id, result, SAVED).await
}

#[derive(Deserialize, Default)]
pub struct MotionStateForm {
    #[serde(default)]
    pub event: String,
}

pub async fn motion_step(
    State(state): State<AppState>,
    ctx: Ctx,
    PagePath(id): PagePath<i64>,
    CsrfForm(form): CsrfForm<MotionStateForm>,
) -> Result<Response, PageError> {
    let me = ctx.caller().ok_or(PageError::Unauthorized)?;
    match meetings::motion_step(&state, me, id, &form.event).await {
        Ok((meeting, _)) => {
            Ok(Redirect::to(&format!("/meetings/{meeting}?notice={SAVED}")).into_response())
        }
        Err(e) => {
            let meeting = meetings::meeting_of_motion(&state, id).await?;
            after_meeting_action(&state, &ctx, meeting, Err::<(), _>(e), SAVED).await
        }
    }
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
    PagePath(id): PagePath<i64>,
    CsrfForm(form): CsrfForm<VoteForm>,
) -> Result<Response, PageError> {
    let me = ctx.caller().ok_or(PageError::Unauthorized)?;
    match meetings::vote(&state, me, id, &form.choice).await {
        Ok(meeting) => Ok(Redirect::to(&format!(
            "/meetings/{meeting}?notice=committee-notice-voted"
        ))
        .into_response()),
        Err(ServiceError::Forbidden) => Err(PageError::Forbidden),
        Err(e) => {
            let meeting = meetings::meeting_of_motion(&state, id).await?;
            after_meeting_action(&state, &ctx, meeting, Err::<(), _>(e), SAVED).await
        }
    }
}
