//! Committees themselves: a scope's committees, a committee with its seats and members (sitting, drawn
//! for a term that has not begun, and the history), creating one, appointing and ending members, and its
//! decisions and calendar.
use maeul_db::DbError;
use maeul_db::committees::{
    CallRow, CommitteeRow, DecisionRow, MeetingRow, MemberRow, MinutesRow, NewCommittee,
    NewMembership,
};
use maeul_domain::account::FieldError;
use maeul_domain::committee::{CommitteeKind, Position, SeatPlan, Sector, Term, VoteRule, input};
use maeul_domain::{Action, Refusal, Scope};

use crate::AppState;
use crate::areas::accounts::service::Fields;
use crate::http::{Caller, ServiceError, ServiceResult};

/// A committee and its scope.
pub async fn load(state: &AppState, id: i64) -> ServiceResult<(CommitteeRow, Scope)> {
    let c = state
        .db
        .committee(id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let scope = state
        .scopes()
        .get(c.scope_id)
        .cloned()
        .ok_or(ServiceError::NotFound)?;
    Ok((c, scope))
}

/// Staff of the committee's scope run it (calls, draws, meetings).
pub fn may_run(state: &AppState, caller: Option<&Caller>, scope_id: i64) -> bool {
    caller.is_some_and(|c| c.may(&state.scopes(), Action::RunCommittees, scope_id))
}

pub fn require_run(state: &AppState, caller: &Caller, scope_id: i64) -> ServiceResult<()> {
    caller.require(&state.scopes(), Action::RunCommittees, scope_id)
}

pub async fn in_scope(state: &AppState, code: &str) -> ServiceResult<(Scope, Vec<CommitteeRow>)> {
    let scope = state
        .scopes()
        .by_code(code)
        .cloned()
        .ok_or(ServiceError::NotFound)?;
    let committees = state.db.committees_in_scope(scope.id).await?;
    Ok((scope, committees))
}

/// A committee as its page shows it.
pub struct CommitteeView {
    pub committee: CommitteeRow,
    pub scope: Scope,
    pub plan: SeatPlan,
    /// Sitting now, by sector.
    pub sitting: Vec<(Sector, Vec<MemberRow>)>,
    /// Drawn or appointed for a term that has not begun yet.
    pub upcoming: Vec<MemberRow>,
    /// Ended, or whose term is over: the seat history.
    pub past: Vec<MemberRow>,
    pub parent: Option<CommitteeRow>,
    pub subcommittees: Vec<CommitteeRow>,
    pub upcoming_meetings: Vec<MeetingRow>,
    pub past_meetings: Vec<MeetingRow>,
    pub calls: Vec<CallRow>,
    pub decisions: Vec<DecisionRow>,
    pub may_run: bool,
}

pub async fn view(
    state: &AppState,
    caller: Option<&Caller>,
    id: i64,
) -> ServiceResult<CommitteeView> {
    let (committee, scope) = load(state, id).await?;
    let plan = state.db.committee_seats(id).await?;
    let at = maeul_domain::time::now();
    let mut sitting_all = vec![];
    let mut upcoming = vec![];
    let mut past = vec![];
    for m in state.db.committee_members(id).await? {
        if m.active_at(at) {
            sitting_all.push(m);
        } else if m.upcoming_at(at) {
            upcoming.push(m);
        } else {
            past.push(m);
        }
    }
    let sitting = Sector::ALL
        .into_iter()
        .filter(|s| plan.seats(*s) > 0)
        .map(|s| {
            (
                s,
                sitting_all
                    .iter()
                    .filter(|m| m.sector == s)
                    .cloned()
                    .collect(),
            )
        })
        .collect();
    let (past_meetings, upcoming_meetings): (Vec<MeetingRow>, Vec<MeetingRow>) =
        state.db.meetings_of(id).await?.into_iter().partition(|m| {
            m.ends_at < at || m.state == maeul_domain::committee::MeetingState::Published
        });
    let parent = match committee.parent_id {
        Some(p) => state.db.committee(p).await?,
        None => None,
    };
    let may_run = may_run(state, caller, scope.id);
    Ok(CommitteeView {
        subcommittees: state.db.subcommittees(id).await?,
        calls: state
            .db
            .calls_of(id)
            .await?
            .into_iter()
            .filter(|c| may_run || c.state != maeul_domain::committee::CallState::Draft)
            .collect(),
        decisions: state.db.decisions(id).await?,
        plan,
        sitting,
        upcoming,
        past,
        parent,
        upcoming_meetings,
        past_meetings,
        may_run,
        committee,
        scope,
    })
}

/// A committee as submitted.
pub struct NewCommitteeInput<'a> {
    pub name: &'a str,
    pub kind: &'a str,
    pub parent: &'a str,
    pub charter: &'a str,
    pub public: &'a str,
    pub civil: &'a str,
    pub expert: &'a str,
    pub vote_rule: &'a str,
    pub secret: bool,
    pub gender_cap: &'a str,
}

/// Creates a committee in a scope (staff of the scope); returns its id.
pub async fn create(
    state: &AppState,
    caller: &Caller,
    code: &str,
    f: &NewCommitteeInput<'_>,
) -> ServiceResult<i64> {
    let scope = state
        .scopes()
        .by_code(code)
        .cloned()
        .ok_or(ServiceError::NotFound)?;
    require_run(state, caller, scope.id)?;
    let mut fields = Fields::default();
    let name = fields.check("name", input::parse_name(f.name));
    let charter = fields.check("charter", input::parse_text(f.charter));
    let kind = fields.check(
        "kind",
        CommitteeKind::parse(f.kind).ok_or(FieldError::Invalid),
    );
    let public = fields.check("public", input::parse_count(f.public, 0, 500));
    let civil = fields.check("civil", input::parse_count(f.civil, 0, 500));
    let expert = fields.check("expert", input::parse_count(f.expert, 0, 500));
    let rule = fields.check(
        "vote_rule",
        VoteRule::parse(f.vote_rule).ok_or(FieldError::Invalid),
    );
    let gender_cap = if f.gender_cap.trim().is_empty() {
        Some(None)
    } else {
        fields
            .check("gender_cap", input::parse_count(f.gender_cap, 50, 100))
            .map(Some)
    };
    let mut parent_id = None;
    if kind == Some(CommitteeKind::Subcommittee) {
        match f.parent.trim().parse::<i64>().ok() {
            Some(p)
                if state
                    .db
                    .committee(p)
                    .await?
                    .is_some_and(|c| c.scope_id == scope.id) =>
            {
                parent_id = Some(p)
            }
            _ => fields.add("parent", FieldError::Invalid),
        }
    }
    let seats = SeatPlan {
        public: public.unwrap_or(0),
        civil: civil.unwrap_or(0),
        expert: expert.unwrap_or(0),
    };
    if public.is_some() && civil.is_some() && expert.is_some() && seats.validate().is_err() {
        fields.add("civil", FieldError::Required);
    }
    fields.finish()?;
    let (Some(name), Some(charter), Some(kind), Some(rule), Some(gender_cap)) =
        (name, charter, kind, rule, gender_cap)
    else {
        unreachable!("checked above")
    };
    Ok(state
        .db
        .create_committee(&NewCommittee {
            scope_id: scope.id,
            parent_id,
            kind,
            name: &name,
            charter: &charter,
            vote_rule: rule,
            secret_ballot: f.secret,
            gender_cap,
            seats,
            created_by: Some(caller.id()),
        })
        .await?)
}

/// A term from two dates (`YYYY-MM-DD`, Seoul): from the start of the first day to the end of the last.
pub fn parse_term(
    fields: &mut Fields,
    start_field: &'static str,
    end_field: &'static str,
    start: &str,
    end: &str,
) -> Option<Term> {
    let start = fields.check(start_field, input::parse_date(start));
    let end = fields.check(end_field, input::parse_date(end));
    let (start, end) = (start?, end?);
    let end = maeul_domain::time::add_local_days(end, 1) - 1;
    match Term::new(start, end) {
        Ok(t) => Some(t),
        Err(_) => {
            fields.add(end_field, FieldError::Invalid);
            None
        }
    }
}

/// An appointment as submitted.
pub struct AppointmentInput<'a> {
    pub email: &'a str,
    pub sector: &'a str,
    pub position: &'a str,
    pub gender: &'a str,
    pub term_start: &'a str,
    pub term_end: &'a str,
}

/// Appoints a person to a vacant seat (staff of the committee's scope). The seat and the gender cap are
/// checked and the membership written in one locked transaction; the member gets the committee-member
/// role in the scope.
pub async fn appoint(
    state: &AppState,
    caller: &Caller,
    committee_id: i64,
    a: &AppointmentInput<'_>,
) -> ServiceResult<i64> {
    let (c, scope) = load(state, committee_id).await?;
    require_run(state, caller, scope.id)?;
    let mut fields = Fields::default();
    let email = fields.check("member_email", maeul_domain::account::parse_email(a.email));
    let user = match &email {
        Some(e) => state.db.user_by_email(e).await?,
        None => None,
    };
    if email.is_some() && user.is_none() {
        fields.add("member_email", FieldError::Invalid);
    }
    let sector = fields.check(
        "member_sector",
        Sector::parse(a.sector).ok_or(FieldError::Invalid),
    );
    let position = Position::parse(a.position).unwrap_or(Position::Member);
    let term = parse_term(
        &mut fields,
        "member_term_start",
        "member_term_end",
        a.term_start,
        a.term_end,
    );
    fields.finish()?;
    let (Some(user), Some(sector), Some(term)) = (user, sector, term) else {
        unreachable!("checked above")
    };
    let id = state
        .db
        .appoint_member(&NewMembership {
            committee_id,
            user_id: user.id,
            sector,
            position,
            gender: a.gender.trim(),
            term,
        })
        .await?;
    grant_member_role(state, user.id, c.scope_id, Some(caller.id())).await?;
    Ok(id)
}

/// Sitting members get the committee-member role in the committee's scope (once).
pub async fn grant_member_role(
    state: &AppState,
    user_id: i64,
    scope_id: i64,
    by: Option<i64>,
) -> ServiceResult<()> {
    match state
        .db
        .grant_role(user_id, maeul_domain::Role::CommitteeMember, scope_id, by)
        .await
    {
        Ok(_) | Err(DbError::Conflict(_)) => Ok(()),
        Err(e) => Err(e.into()),
    }
}

/// Ends a membership with a reason (staff); the row stays in the seat history.
pub async fn end_membership(
    state: &AppState,
    caller: &Caller,
    committee_id: i64,
    membership_id: i64,
    reason: &str,
) -> ServiceResult<()> {
    let (_, scope) = load(state, committee_id).await?;
    require_run(state, caller, scope.id)?;
    state
        .db
        .membership(membership_id)
        .await?
        .filter(|m| m.committee_id == committee_id && m.ended_at.is_none())
        .ok_or(ServiceError::NotFound)?;
    let reason = input::parse_name(reason).map_err(|e| Refusal::field("end_reason", e))?;
    Ok(state.db.end_membership(membership_id, &reason).await?)
}

/// A committee's meetings with the minutes the public may read, for its calendar.
pub async fn calendar(
    state: &AppState,
    committee_id: i64,
) -> ServiceResult<(CommitteeRow, Vec<(MeetingRow, Option<MinutesRow>)>)> {
    let (c, _) = load(state, committee_id).await?;
    let mut out = vec![];
    for m in state.db.meetings_of(committee_id).await? {
        let minutes = if m.state.minutes_public() {
            state.db.minutes(m.id).await?
        } else {
            None
        };
        out.push((m, minutes));
    }
    Ok((c, out))
}
