//! `/api/v1/…` for committees: committees of a scope, a committee with its members by sector, its
//! meetings, a meeting with its agenda, motions (results and roll calls) and published minutes, the
//! published data of a draw, and members' votes (bearer token).
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use maeul_db::committees::{CommitteeRow, MeetingRow, VoteError};
use maeul_domain::Action;
use maeul_domain::committee::Choice;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::AppState;
use crate::api::{ApiJson, ApiUser};
use crate::error::{ApiError, ErrorBody};

#[derive(Serialize, ToSchema)]
pub struct CommitteeJson {
    pub id: i64,
    pub scope_code: String,
    pub parent_id: Option<i64>,
    /// `district_governance`, `resident_council`, `budget_committee`, `citizens_assembly`, `subcommittee`.
    pub kind: String,
    pub name: String,
    pub charter: String,
    /// `majority_voting`, `majority_present` or `qualified:N/D`.
    pub vote_rule: String,
    pub secret_ballot: bool,
    /// No gender above this percentage of the seats.
    pub gender_cap: Option<i64>,
}

fn committee_json(state: &AppState, c: CommitteeRow) -> CommitteeJson {
    CommitteeJson {
        id: c.id,
        scope_code: state
            .scopes()
            .get(c.scope_id)
            .map(|s| s.code.clone())
            .unwrap_or_default(),
        parent_id: c.parent_id,
        secret_ballot: c.secret_ballot != 0,
        kind: c.kind,
        name: c.name,
        charter: c.charter,
        vote_rule: c.vote_rule,
        gender_cap: c.gender_cap,
    }
}

#[derive(Serialize, ToSchema)]
pub struct MemberJson {
    pub membership_id: i64,
    pub name: String,
    /// `public`, `civil` or `expert`.
    pub sector: String,
    /// `chair`, `co_chair` or `member`.
    pub position: String,
    /// `appointed`, `lottery` or `reserve`.
    pub source: String,
    pub term_start: i64,
    pub term_end: i64,
    /// Set when the member left before the term's end (the row stays: seat history).
    pub ended_at: Option<i64>,
}

#[derive(Serialize, ToSchema)]
pub struct SeatsJson {
    pub sector: String,
    pub seats: u32,
    pub filled: u32,
}

#[derive(Serialize, ToSchema)]
pub struct CommitteeDetail {
    #[serde(flatten)]
    pub committee: CommitteeJson,
    pub seats: Vec<SeatsJson>,
    /// Every membership, current and past.
    pub members: Vec<MemberJson>,
}

#[derive(Serialize, ToSchema)]
pub struct MeetingJson {
    pub id: i64,
    pub committee_id: i64,
    pub title: String,
    /// Unix seconds.
    pub starts_at: i64,
    pub ends_at: i64,
    pub place: String,
    /// Public seats (0: not open to registration).
    pub capacity: i64,
    /// `scheduled`, `agenda_published`, `convened`, `in_session`, `adjourned`, `minutes_drafted`,
    /// `minutes_approved`, `published`, `cancelled`.
    pub state: String,
    pub cancel_reason: String,
    /// Members present and seats filled when the meeting convened.
    pub quorum_present: Option<i64>,
    pub seats_filled: Option<i64>,
}

fn meeting_json(m: MeetingRow) -> MeetingJson {
    MeetingJson {
        id: m.id,
        committee_id: m.committee_id,
        title: m.title,
        starts_at: m.starts_at,
        ends_at: m.ends_at,
        place: m.place,
        capacity: m.capacity,
        state: m.state,
        cancel_reason: m.cancel_reason,
        quorum_present: m.quorum_present,
        seats_filled: m.seats_filled,
    }
}

#[derive(Serialize, ToSchema)]
pub struct AgendaItemJson {
    pub position: i64,
    pub title: String,
    pub description: String,
    pub proposal_id: Option<i64>,
}

#[derive(Serialize, ToSchema)]
pub struct VoteJson {
    pub member: String,
    /// `yes`, `no`, `abstain`; absent on a secret ballot.
    pub choice: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct MotionJson {
    pub id: i64,
    pub title: String,
    pub body: String,
    /// `proposed`, `debated`, `voting`, `carried`, `failed`, `withdrawn`.
    pub state: String,
    pub vote_rule: String,
    pub secret: bool,
    pub yes: i64,
    pub no: i64,
    pub abstain: i64,
    pub present: Option<i64>,
    pub votes: Vec<VoteJson>,
}

#[derive(Serialize, ToSchema)]
pub struct MeetingDetail {
    #[serde(flatten)]
    pub meeting: MeetingJson,
    pub agenda: Vec<AgendaItemJson>,
    pub motions: Vec<MotionJson>,
    /// The minutes, once published.
    pub minutes: Option<String>,
}

fn scope_id(state: &AppState, code: &str) -> Result<i64, ApiError> {
    state
        .scopes()
        .by_code(code)
        .map(|s| s.id)
        .ok_or_else(|| ApiError::not_found("scope"))
}

/// Committees of a scope.
#[utoipa::path(get, path = "/api/v1/scopes/{code}/committees", tag = "committees", params(("code" = String, Path)),
    responses((status = 200, body = [CommitteeJson]), (status = 404, body = ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    Path(code): Path<String>,
) -> Result<Json<Vec<CommitteeJson>>, ApiError> {
    let id = scope_id(&state, &code)?;
    let rows = state.db.committees_in_scope(id).await?;
    Ok(Json(
        rows.into_iter()
            .map(|c| committee_json(&state, c))
            .collect(),
    ))
}

/// A committee with its seats and members (the seat history included).
#[utoipa::path(get, path = "/api/v1/committees/{id}", tag = "committees", params(("id" = i64, Path)),
    responses((status = 200, body = CommitteeDetail), (status = 404, body = ErrorBody)))]
pub async fn one(
    State(state): State<AppState>,
    Path(id): Path<i64>,
) -> Result<Json<CommitteeDetail>, ApiError> {
    let c = state
        .db
        .committee(id)
        .await?
        .ok_or_else(|| ApiError::not_found("committee"))?;
    let plan = state.db.committee_seats(id).await?;
    let members = state.db.committee_members(id).await?;
    let at = maeul_db::now();
    let seats = maeul_domain::committee::Sector::ALL
        .iter()
        .map(|s| SeatsJson {
            sector: s.as_str().into(),
            seats: plan.seats(*s),
            filled: members
                .iter()
                .filter(|m| m.sector == s.as_str() && m.active_at(at))
                .count() as u32,
        })
        .collect();
    Ok(Json(CommitteeDetail {
        committee: committee_json(&state, c),
        seats,
        members: members
            .into_iter()
            .map(|m| MemberJson {
                membership_id: m.id,
                name: m.display_name,
                sector: m.sector,
                position: m.position,
                source: m.source,
                term_start: m.term_start,
                term_end: m.term_end,
                ended_at: m.ended_at,
            })
            .collect(),
    }))
}

/// A committee's meetings, in time order.
#[utoipa::path(get, path = "/api/v1/committees/{id}/meetings", tag = "committees", params(("id" = i64, Path)),
    responses((status = 200, body = [MeetingJson]), (status = 404, body = ErrorBody)))]
pub async fn meetings(
    State(state): State<AppState>,
    Path(id): Path<i64>,
) -> Result<Json<Vec<MeetingJson>>, ApiError> {
    state
        .db
        .committee(id)
        .await?
        .ok_or_else(|| ApiError::not_found("committee"))?;
    Ok(Json(
        state
            .db
            .meetings_of(id)
            .await?
            .into_iter()
            .map(meeting_json)
            .collect(),
    ))
}

/// A meeting with its agenda, its motions (results and roll calls) and its minutes once published.
#[utoipa::path(get, path = "/api/v1/meetings/{id}", tag = "committees", params(("id" = i64, Path)),
    responses((status = 200, body = MeetingDetail), (status = 404, body = ErrorBody)))]
pub async fn meeting(
    State(state): State<AppState>,
    Path(id): Path<i64>,
) -> Result<Json<MeetingDetail>, ApiError> {
    let m = state
        .db
        .meeting(id)
        .await?
        .ok_or_else(|| ApiError::not_found("meeting"))?;
    let minutes = if m.state().minutes_public() {
        state.db.minutes(id).await?.map(|x| x.body)
    } else {
        None
    };
    let agenda = state
        .db
        .agenda(id)
        .await?
        .into_iter()
        .map(|a| AgendaItemJson {
            position: a.position,
            title: a.title,
            description: a.description,
            proposal_id: a.proposal_id,
        })
        .collect();
    let mut motions = vec![];
    for mo in state.db.motions_of(id).await? {
        let votes = state
            .db
            .votes(mo.id)
            .await?
            .into_iter()
            .map(|v| VoteJson {
                member: v.display_name,
                choice: v.choice,
            })
            .collect();
        motions.push(MotionJson {
            id: mo.id,
            title: mo.title,
            body: mo.body,
            state: mo.state,
            vote_rule: mo.vote_rule,
            secret: mo.secret != 0,
            yes: mo.yes_count,
            no: mo.no_count,
            abstain: mo.abstain_count,
            present: mo.present_count,
            votes,
        });
    }
    Ok(Json(MeetingDetail {
        meeting: meeting_json(m),
        agenda,
        motions,
        minutes,
    }))
}

/// The published data of a call's draw: the input's address and SHA-256, the seed rule and text, the
/// command that re-runs it, and the result with every applicant's selection probability.
#[utoipa::path(get, path = "/api/v1/calls/{id}/draw", tag = "committees", params(("id" = i64, Path)),
    responses((status = 200, body = Object), (status = 404, body = ErrorBody)))]
pub async fn draw(
    State(state): State<AppState>,
    Path(id): Path<i64>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let call = state
        .db
        .call(id)
        .await?
        .filter(|c| c.input_json.is_some())
        .ok_or_else(|| ApiError::not_found("published call"))?;
    let draw = state.db.draw_of(id).await?;
    Ok(Json(crate::pages::committees::draw_document(
        &call,
        draw.as_ref(),
    )))
}

#[derive(Deserialize, ToSchema)]
pub struct VoteRequest {
    /// `yes`, `no` or `abstain`.
    pub choice: String,
}

/// Casts the token holder's vote on an open motion (sitting members recorded present; once).
#[utoipa::path(post, path = "/api/v1/motions/{id}/votes", tag = "committees", security(("bearer" = [])),
    params(("id" = i64, Path)), request_body = VoteRequest,
    responses((status = 204), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn vote(
    State(state): State<AppState>,
    api: ApiUser,
    Path(id): Path<i64>,
    ApiJson(body): ApiJson<VoteRequest>,
) -> Result<StatusCode, ApiError> {
    let motion = state
        .db
        .motion(id)
        .await?
        .ok_or_else(|| ApiError::not_found("motion"))?;
    let meeting = state
        .db
        .meeting(motion.meeting_id)
        .await?
        .ok_or_else(|| ApiError::not_found("meeting"))?;
    let committee = state
        .db
        .committee(meeting.committee_id)
        .await?
        .ok_or_else(|| ApiError::not_found("committee"))?;
    let (actor, _) = crate::context::actor_of(&state, api.user.id).await?;
    let forbidden = || {
        ApiError::new(
            StatusCode::FORBIDDEN,
            "forbidden",
            "only sitting members of this committee vote",
        )
    };
    let target = state
        .scopes()
        .scope_ref(committee.scope_id)
        .ok_or_else(|| ApiError::not_found("scope"))?;
    if !actor.may(Action::ActAsCommitteeMember, &target) {
        return Err(forbidden());
    }
    let choice = Choice::parse(&body.choice)
        .ok_or_else(|| ApiError::bad_request("choice: must be yes, no or abstain"))?;
    match state.db.cast_vote(id, api.user.id, choice).await? {
        Ok(()) => Ok(StatusCode::NO_CONTENT),
        Err(VoteError::NotAMember) => Err(forbidden()),
        Err(VoteError::Refused(why)) => Err(ApiError::new(
            if why == maeul_domain::committee::VoteRefusal::AlreadyVoted {
                StatusCode::CONFLICT
            } else {
                StatusCode::BAD_REQUEST
            },
            if why == maeul_domain::committee::VoteRefusal::AlreadyVoted {
                "conflict"
            } else {
                "bad_request"
            },
            why.to_string(),
        )),
    }
}
