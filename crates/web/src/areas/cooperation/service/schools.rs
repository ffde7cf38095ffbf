//! Citizen schools: a scope's programs, a program with its sessions and enrolments, enrolment (a seat or
//! the waiting list) and withdrawal by residents, attendance taken by the platform's staff (completion
//! follows the program's rule), and certificates. Completed hours are the training hours committees read.
use maeul_db::cooperation::{EnrolmentRow, NewProgram, ProgramRow, SessionRow};
use maeul_domain::Scope;
use maeul_domain::cooperation::{EnrolmentState, ProgramKind};

use super::{may_run, parse_number, scope_by_code, within};
use crate::AppState;
use crate::areas::accounts::service::Fields;
use crate::http::{Caller, ServiceError, ServiceResult, signed_in};

pub struct ProgramsView {
    pub scope: Scope,
    pub programs: Vec<ProgramRow>,
}

pub async fn list(state: &AppState, code: &str) -> ServiceResult<ProgramsView> {
    let scope = scope_by_code(state, code)?;
    let ids = within(state, scope.id);
    let programs = state
        .db
        .programs()
        .await?
        .into_iter()
        .filter(|p| ids.contains(&p.scope_id))
        .collect();
    Ok(ProgramsView { scope, programs })
}

pub struct ProgramView {
    pub program: ProgramRow,
    pub scope: Scope,
    pub sessions: Vec<SessionRow>,
    /// Everyone's enrolment: shown to the platform's staff only (empty for others).
    pub enrolments: Vec<EnrolmentRow>,
    pub mine: Option<EnrolmentRow>,
    pub may_run: bool,
}

pub async fn view(
    state: &AppState,
    caller: Option<&Caller>,
    id: i64,
) -> ServiceResult<ProgramView> {
    let program = state.db.program(id).await?.ok_or(ServiceError::NotFound)?;
    let scope = state
        .scopes()
        .get(program.scope_id)
        .cloned()
        .ok_or(ServiceError::NotFound)?;
    let runs = may_run(state, caller, program.scope_id);
    Ok(ProgramView {
        sessions: state.db.program_sessions(id).await?,
        enrolments: if runs {
            state.db.enrolments_of(id).await?
        } else {
            vec![]
        },
        mine: match caller {
            Some(c) => state.db.enrolment(id, c.id()).await?,
            None => None,
        },
        may_run: runs,
        program,
        scope,
    })
}

/// A program as staff describe it.
pub struct ProgramForm<'a> {
    pub kind: &'a str,
    pub title: &'a str,
    pub description: &'a str,
    pub hours: &'a str,
    pub capacity: &'a str,
    pub sessions_required: &'a str,
}

/// The platform's staff add a program to the scope's school.
pub async fn create(
    state: &AppState,
    caller: Option<&Caller>,
    code: &str,
    f: &ProgramForm<'_>,
) -> ServiceResult<i64> {
    use maeul_domain::account::FieldError;
    use maeul_domain::cooperation::{parse_name, parse_text};
    let me = signed_in(caller)?;
    let scope = scope_by_code(state, code)?;
    if !may_run(state, Some(me), scope.id) {
        return Err(ServiceError::Forbidden);
    }
    let mut fields = Fields::default();
    let kind = fields.check(
        "kind",
        ProgramKind::parse(f.kind).ok_or(FieldError::Required),
    );
    let title = fields.check("title", parse_name(f.title));
    let description = fields.check("description", parse_text(f.description));
    let hours = fields.check("hours", parse_number(f.hours, 1, 500));
    let capacity = fields.check("capacity", parse_number(f.capacity, 0, 10_000));
    let required = fields.check(
        "sessions_required",
        parse_number(f.sessions_required, 1, 100),
    );
    fields.finish()?;
    let (Some(kind), Some(title), Some(description), Some(hours), Some(capacity), Some(required)) =
        (kind, title, description, hours, capacity, required)
    else {
        unreachable!("checked above")
    };
    Ok(state
        .db
        .create_program(&NewProgram {
            scope_id: scope.id,
            organization_id: None,
            kind,
            title: &title,
            description: &description,
            hours,
            capacity,
            sessions_required: required,
        })
        .await?)
}

/// The platform's staff add a session (`starts`/`ends` as the form's local date-times).
pub async fn add_session(
    state: &AppState,
    caller: Option<&Caller>,
    program_id: i64,
    title: &str,
    starts: &str,
    ends: &str,
    place: &str,
) -> ServiceResult<i64> {
    use maeul_domain::account::FieldError;
    use maeul_domain::cooperation::{parse_name, parse_text};
    use maeul_domain::time::parse_local_datetime;
    let me = signed_in(caller)?;
    let program = state
        .db
        .program(program_id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    if !may_run(state, Some(me), program.scope_id) {
        return Err(ServiceError::Forbidden);
    }
    let mut fields = Fields::default();
    let title = fields.check("title", parse_name(title));
    let starts = fields.check("starts_at", parse_local_datetime(starts));
    let ends = fields.check("ends_at", parse_local_datetime(ends));
    let place = fields.check("place", parse_text(place));
    if let (Some(s), Some(e)) = (starts, ends)
        && e <= s
    {
        fields.add("ends_at", FieldError::Invalid);
    }
    fields.finish()?;
    let (Some(title), Some(starts), Some(ends), Some(place)) = (title, starts, ends, place) else {
        unreachable!("checked above")
    };
    Ok(state
        .db
        .add_session(program_id, &title, starts, ends, &place)
        .await?)
}

pub async fn enrol(
    state: &AppState,
    caller: Option<&Caller>,
    id: i64,
) -> ServiceResult<EnrolmentState> {
    let me = signed_in(caller)?;
    Ok(state.db.enrol(id, me.id()).await?)
}

pub async fn withdraw(state: &AppState, caller: Option<&Caller>, id: i64) -> ServiceResult<()> {
    let me = signed_in(caller)?;
    Ok(state.db.withdraw(id, me.id()).await?)
}

/// The platform's staff mark who attended a session (person ids); completions follow the rule.
pub async fn attendance(
    state: &AppState,
    caller: Option<&Caller>,
    program_id: i64,
    session_id: Option<i64>,
    people: &[i64],
) -> ServiceResult<usize> {
    let me = signed_in(caller)?;
    let program = state
        .db
        .program(program_id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    if !may_run(state, Some(me), program.scope_id) {
        return Err(ServiceError::Forbidden);
    }
    let session_id = session_id.ok_or_else(|| {
        maeul_domain::Refusal::field("session", maeul_domain::account::FieldError::Required)
    })?;
    if !state
        .db
        .program_sessions(program_id)
        .await?
        .iter()
        .any(|s| s.id == session_id)
    {
        return Err(ServiceError::NotFound);
    }
    let mut completed = 0;
    for person in people {
        if state
            .db
            .record_attendance(session_id, *person, Some(me.id()))
            .await?
            == EnrolmentState::Completed
        {
            completed += 1;
        }
    }
    Ok(completed)
}

/// A certificate: the program and the completed enrolment of `user` (404 unless completed).
pub async fn certificate(
    state: &AppState,
    program_id: i64,
    user: i64,
) -> ServiceResult<(ProgramRow, Scope, EnrolmentRow)> {
    let program = state
        .db
        .program(program_id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let e = state
        .db
        .enrolment(program_id, user)
        .await?
        .filter(|e| e.state == EnrolmentState::Completed)
        .ok_or(ServiceError::NotFound)?;
    let scope = state
        .scopes()
        .get(program.scope_id)
        .cloned()
        .ok_or(ServiceError::NotFound)?;
    Ok((program, scope, e))
}

/// A program kind's stored name (the API's `kind`).
pub fn kind_name(kind: ProgramKind) -> &'static str {
    kind.as_str()
}
