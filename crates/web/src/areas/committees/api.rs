//! `/api/v1` for committees: committees of a scope, a committee with its seats and members, its meetings,
//! a meeting with its agenda (once published), motions (results and roll calls) and published minutes,
//! the published data of a draw, and members' votes (bearer token). Every handler calls the area's
//! services, as the pages do.
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use maeul_db::committees::{CommitteeRow, MeetingRow};
use maeul_domain::committee::Sector;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::AppState;
use crate::areas::committees::service::{bodies, calls, meetings};
use crate::http::{ApiCaller, ApiError, ApiJson, ApiPath};

#[derive(Serialize, ToSchema)]
pub struct CommitteeJson {
    pub id: i64,
    pub scope_code: String,
    pub parent_id: Option<i64>,
    /// `district_governance`, `resident_council`, `budget_committee`, `citizens_assembly`, `subcommittee`.
    pub kind: &'static str,
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
        kind: c.kind.as_str(),
        vote_rule: c.vote_rule.as_string(),
        name: c.name,
        charter: c.charter,
        gender_cap: c.gender_cap,
    }
}

#[derive(Serialize, ToSchema)]
pub struct MemberJson {
    pub membership_id: i64,
    pub name: String,
    /// `public`, `civil` or `expert`.
    pub sector: &'static str,
    /// `chair`, `co_chair` or `member`.
    pub position: &'static str,
    /// `appointed`, `lottery` or `reserve`.
    pub source: &'static str,
    pub term_start: i64,
    pub term_end: i64,
    /// Set when the member left before the term's end (the row stays: seat history).
    pub ended_at: Option<i64>,
}

#[derive(Serialize, ToSchema)]
pub struct SeatsJson {
    pub sector: &'static str,
    pub seats: u32,
    pub filled: u32,
}

#[derive(Serialize, ToSchema)]
pub struct CommitteeDetail {
    #[serde(flatten)]
    pub committee: CommitteeJson,
    pub seats: Vec<SeatsJson>,
    /// Every membership: sitting, upcoming (a term that has not begun) and past.
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
    pub state: &'static str,
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
        state: m.state.as_str(),
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
    pub choice: Option<&'static str>,
}

#[derive(Serialize, ToSchema)]
pub struct MotionJson {
    pub id: i64,
    pub title: String,
    pub body: String,
    /// `proposed`, `debated`, `voting`, `carried`, `failed`, `withdrawn`.
    pub state: &'static str,
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
    /// Empty until the agenda is published.
    pub agenda: Vec<AgendaItemJson>,
    pub motions: Vec<MotionJson>,
    /// The minutes, once published.
    pub minutes: Option<String>,
}

/// Committees of a scope.
#[utoipa::path(get, path = "/scopes/{code}/committees", tag = "committees", operation_id = "list_committees",
    params(("code" = String, Path, description = "scope code")),
    responses((status = 200, body = [CommitteeJson])))]
pub async fn list(
    State(state): State<AppState>,
    ApiPath(code): ApiPath<String>,
) -> Result<Json<Vec<CommitteeJson>>, ApiError> {
    let (_, rows) = bodies::in_scope(&state, &code).await?;
    Ok(Json(
        rows.into_iter()
            .map(|c| committee_json(&state, c))
            .collect(),
    ))
}

/// A committee with its seats and members (the seat history included).
#[utoipa::path(get, path = "/committees/{id}", tag = "committees", operation_id = "get_committee",
    params(("id" = i64, Path)), responses((status = 200, body = CommitteeDetail)))]
pub async fn one(
    State(state): State<AppState>,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<CommitteeDetail>, ApiError> {
    let v = bodies::view(&state, None, id).await?;
    let seats = Sector::ALL
        .into_iter()
        .map(|s| SeatsJson {
            sector: s.as_str(),
            seats: v.plan.seats(s),
            filled: v
                .sitting
                .iter()
                .find(|(x, _)| *x == s)
                .map_or(0, |(_, m)| m.len() as u32),
        })
        .collect();
    let members = v
        .sitting
        .iter()
        .flat_map(|(_, m)| m.iter())
        .chain(v.upcoming.iter())
        .chain(v.past.iter())
        .map(|m| MemberJson {
            membership_id: m.id,
            name: m.display_name.clone(),
            sector: m.sector.as_str(),
            position: m.position.as_str(),
            source: m.source.as_str(),
            term_start: m.term_start,
            term_end: m.term_end,
            ended_at: m.ended_at,
        })
        .collect();
    Ok(Json(CommitteeDetail {
        committee: committee_json(&state, v.committee),
        seats,
        members,
    }))
}

/// A committee's meetings, in time order.
#[utoipa::path(get, path = "/committees/{id}/meetings", tag = "committees", operation_id = "list_meetings",
    params(("id" = i64, Path)), responses((status = 200, body = [MeetingJson])))]
pub async fn meetings_of(
    State(state): State<AppState>,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<Vec<MeetingJson>>, ApiError> {
    let (_, rows) = bodies::calendar(&state, id).await?;
    Ok(Json(
        rows.into_iter().map(|(m, _)| meeting_json(m)).collect(),
    ))
}

/// A meeting with its agenda (once published), its motions (results and roll calls) and its minutes once
/// published.
#[utoipa::path(get, path = "/meetings/{id}", tag = "committees", operation_id = "get_meeting",
    params(("id" = i64, Path)), responses((status = 200, body = MeetingDetail)))]
pub async fn meeting(
    State(state): State<AppState>,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<MeetingDetail>, ApiError> {
    let v = meetings::view(&state, None, id).await?;
    let motions = v
        .motions
        .into_iter()
        .map(|mv| MotionJson {
            id: mv.motion.id,
            state: mv.motion.state.as_str(),
            vote_rule: mv.motion.vote_rule.as_string(),
            secret: mv.motion.secret != 0,
            yes: mv.motion.yes_count,
            no: mv.motion.no_count,
            abstain: mv.motion.abstain_count,
            present: mv.motion.present_count,
            votes: mv
                .votes
                .into_iter()
                .map(|v| VoteJson {
                    member: v.display_name,
                    choice: v.choice.0.map(|c| c.as_str()),
                })
                .collect(),
            title: mv.motion.title,
            body: mv.motion.body,
        })
        .collect();
    Ok(Json(MeetingDetail {
        agenda: v
            .agenda
            .into_iter()
            .map(|a| AgendaItemJson {
                position: a.position,
                title: a.title,
                description: a.description,
                proposal_id: a.proposal_id,
            })
            .collect(),
        minutes: v.minutes.map(|m| m.body),
        meeting: meeting_json(v.meeting),
        motions,
    }))
}

/// The published data of a call's draw: the input's address and SHA-256, the seed rule and text, the
/// command that re-runs it, and the result with every applicant's selection probability.
#[utoipa::path(get, path = "/calls/{id}/draw", tag = "committees", operation_id = "get_draw",
    params(("id" = i64, Path)), responses((status = 200, body = Object)))]
pub async fn draw(
    State(state): State<AppState>,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<serde_json::Value>, ApiError> {
    Ok(Json(calls::draw_document(&state, None, id).await?))
}

#[derive(Deserialize, ToSchema)]
pub struct VoteRequest {
    /// `yes`, `no` or `abstain`.
    pub choice: String,
}

/// Casts the token holder's vote on an open motion (sitting members recorded present; once).
#[utoipa::path(post, path = "/motions/{id}/votes", tag = "committees", operation_id = "cast_vote",
    security(("bearer" = [])), params(("id" = i64, Path)), request_body = VoteRequest,
    responses((status = 204)))]
pub async fn vote(
    State(state): State<AppState>,
    api: ApiCaller,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<VoteRequest>,
) -> Result<StatusCode, ApiError> {
    meetings::vote(&state, &api.caller, id, &body.choice).await?;
    Ok(StatusCode::NO_CONTENT)
}
