//! Open calls for members and their verifiable lottery: creating a call (its quotas and age bands checked
//! against its seats), applications with strata, training hours, closing (eligibility, the applicants
//! checked against the quotas, the input frozen and published), the draw, the panel, and vacancies.
use std::collections::BTreeMap;

use maeul_db::committees::{
    ApplicationRow, CallRow, CommitteeRow, DrawRecord, DrawRow, MemberRow, NewCall,
};
use maeul_domain::account::FieldError;
use maeul_domain::committee::{
    ApplicantFacts, CallState, CommitteeRefusal, Eligibility, Ineligible, MemberSource, Sector,
    input,
};
use maeul_domain::{Action, Refusal, ResidencyStatus, Scope};
use maeul_sortition::instance::FeatureSpec;

use super::bodies::{load, may_run, parse_term, require_run};
use crate::AppState;
use crate::areas::accounts::service::Fields;
use crate::areas::committees::draw;
use crate::http::{Caller, ServiceError, ServiceResult};

/// A call with its committee and scope; drafts are seen only by the staff who run them.
pub async fn load_call(
    state: &AppState,
    caller: Option<&Caller>,
    id: i64,
) -> ServiceResult<(CallRow, CommitteeRow, Scope)> {
    let call = state.db.call(id).await?.ok_or(ServiceError::NotFound)?;
    let (c, scope) = load(state, call.committee_id).await?;
    if call.state == CallState::Draft && !may_run(state, caller, scope.id) {
        return Err(ServiceError::NotFound);
    }
    Ok((call, c, scope))
}

/// Why an applicant is not eligible, from the facts on file.
pub fn eligibility(
    state: &AppState,
    call: &CallRow,
    committee_scope: i64,
    a: &ApplicationRow,
) -> Vec<Ineligible> {
    let tree = state.scopes();
    let verified_in_scope = a.residence_status.0 == Some(ResidencyStatus::Verified)
        && a.residence_scope_id
            .and_then(|s| tree.scope_ref(s))
            .is_some_and(|r| r.is_within(committee_scope));
    Eligibility {
        min_age: call.min_age as u32,
        training_hours: call.training_hours as u32,
    }
    .check(&ApplicantFacts {
        verified_in_scope,
        age: a.age as u32,
        training_hours: a.training_hours as u32,
    })
}

/// A call as its page shows it.
pub struct CallView {
    pub call: CallRow,
    pub committee: CommitteeRow,
    pub scope: Scope,
    pub features: Vec<FeatureSpec>,
    pub mine: Option<ApplicationRow>,
    /// The caller is a resident who may apply now.
    pub may_apply: bool,
    pub resident: bool,
    pub may_run: bool,
    /// For staff: every application with why it is not eligible (empty when it is).
    pub applicants: Vec<(ApplicationRow, Vec<Ineligible>)>,
    pub draw: Option<DrawRow>,
    /// Members seated by this call who left and whose seats wait for a reserve.
    pub pending_vacancies: usize,
}

pub async fn view(state: &AppState, caller: Option<&Caller>, id: i64) -> ServiceResult<CallView> {
    let (call, committee, scope) = load_call(state, caller, id).await?;
    let may_run = may_run(state, caller, scope.id);
    let mine = match caller {
        Some(c) => state.db.application_of(id, c.id()).await?,
        None => None,
    };
    let resident =
        caller.is_some_and(|c| c.may(&state.scopes(), Action::ParticipateAsResident, scope.id));
    let applicants = if may_run {
        state
            .db
            .applications(id)
            .await?
            .into_iter()
            .map(|a| {
                let why = eligibility(state, &call, committee.scope_id, &a);
                (a, why)
            })
            .collect()
    } else {
        vec![]
    };
    let pending_vacancies = if call.state == CallState::Published {
        let (left, filled) = vacancies(state, &call).await?;
        left.len().saturating_sub(filled)
    } else {
        0
    };
    Ok(CallView {
        features: draw::features_of(&call),
        may_apply: call.state.accepts_applications() && resident && mine.is_none(),
        draw: state.db.draw_of(id).await?,
        pending_vacancies,
        mine,
        resident,
        may_run,
        applicants,
        call,
        committee,
        scope,
    })
}

/// A call as submitted.
pub struct NewCallInput<'a> {
    pub title: &'a str,
    pub description: &'a str,
    pub seats: &'a str,
    pub reserves: &'a str,
    pub min_age: &'a str,
    pub training_hours: &'a str,
    pub features: &'a str,
    pub seed_rule: &'a str,
    pub term_start: &'a str,
    pub term_end: &'a str,
}

/// Creates a draft call for a committee's civil seats (staff). Quotas no panel of its size could meet,
/// and age bands that leave eligible ages out, are refused here rather than discovered at the draw.
pub async fn create(
    state: &AppState,
    caller: &Caller,
    committee_id: i64,
    f: &NewCallInput<'_>,
) -> ServiceResult<i64> {
    let (_, scope) = load(state, committee_id).await?;
    require_run(state, caller, scope.id)?;
    let mut fields = Fields::default();
    let title = fields.check("call_title", input::parse_name(f.title));
    let seats = fields.check("call_seats", input::parse_count(f.seats, 1, 500));
    let reserves = if f.reserves.trim().is_empty() {
        Some(0)
    } else {
        fields.check("call_reserves", input::parse_count(f.reserves, 0, 500))
    };
    let min_age = fields.check("call_min_age", input::parse_count(f.min_age, 0, 120));
    let hours = fields.check(
        "call_training_hours",
        input::parse_count(f.training_hours, 0, 200),
    );
    let seed_rule = fields.check("call_seed_rule", input::parse_name(f.seed_rule));
    let term = parse_term(
        &mut fields,
        "call_term_start",
        "call_term_end",
        f.term_start,
        f.term_end,
    );
    let features = draw::parse_features(f.features);
    if features.is_err() {
        fields.add("call_features", FieldError::Invalid);
    }
    fields.finish()?;
    let features = features.map_err(Refusal::from)?;
    let (
        Some(title),
        Some(seats),
        Some(reserves),
        Some(min_age),
        Some(hours),
        Some(seed_rule),
        Some(term),
    ) = (title, seats, reserves, min_age, hours, seed_rule, term)
    else {
        unreachable!("checked above")
    };
    draw::check_call_strata(seats, min_age, &features).map_err(Refusal::from)?;
    let features_json = serde_json::to_string(&features)
        .map_err(|e| ServiceError::Internal(maeul_db::DbError::Corrupt(e.to_string())))?;
    Ok(state
        .db
        .create_call(&NewCall {
            committee_id,
            title: &title,
            description: f.description.trim(),
            sector: Sector::Civil,
            seats,
            reserve_size: reserves,
            min_age,
            training_hours: hours,
            features_json: &features_json,
            seed_rule: &seed_rule,
            term,
        })
        .await?)
}

pub async fn open(state: &AppState, caller: &Caller, id: i64) -> ServiceResult<()> {
    let (_, _, scope) = load_call(state, Some(caller), id).await?;
    require_run(state, caller, scope.id)?;
    Ok(state.db.open_call(id).await?)
}

/// Applies to an open call with one's age and self-declared strata (one category of every feature). The
/// age must fall in the age band declared, when the call has one. Applying twice changes nothing.
pub async fn apply(
    state: &AppState,
    caller: &Caller,
    id: i64,
    form: &BTreeMap<String, String>,
) -> ServiceResult<()> {
    let (call, _, scope) = load_call(state, Some(caller), id).await?;
    caller.require(&state.scopes(), Action::ParticipateAsResident, scope.id)?;
    let features = draw::features_of(&call);
    let mut fields = Fields::default();
    let age = fields.check(
        "age",
        input::parse_count(form.get("age").map_or("", String::as_str), 0, 130),
    );
    let mut strata = BTreeMap::new();
    for (i, f) in features.iter().enumerate() {
        let value = form.get(&format!("stratum_{i}")).map_or("", |v| v.as_str());
        if f.categories.iter().any(|c| c.name == value) {
            strata.insert(f.name.clone(), value.to_owned());
        } else {
            fields.add(stratum_field(i), FieldError::Required);
        }
    }
    fields.finish()?;
    let Some(age) = age else {
        unreachable!("checked above")
    };
    if !draw::age_matches_strata(&features, &strata, age) {
        return Err(Refusal::from(CommitteeRefusal::AgeBandMismatch).into());
    }
    let strata_json = serde_json::to_string(&strata)
        .map_err(|e| ServiceError::Internal(maeul_db::DbError::Corrupt(e.to_string())))?;
    match state
        .db
        .apply_to_call(id, caller.id(), age, &strata_json)
        .await
    {
        Ok(_) | Err(maeul_db::DbError::Conflict(_)) => Ok(()),
        Err(e) => Err(e.into()),
    }
}

/// Field names of the strata selects (form errors are keyed by static names).
pub fn stratum_field(i: usize) -> &'static str {
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

/// Staff log an applicant's training hours while the call is open.
pub async fn log_training(
    state: &AppState,
    caller: &Caller,
    id: i64,
    application: &str,
    hours: &str,
    note: &str,
) -> ServiceResult<()> {
    let (call, _, scope) = load_call(state, Some(caller), id).await?;
    require_run(state, caller, scope.id)?;
    let mut fields = Fields::default();
    let hours = fields.check("hours", input::parse_count(hours, 1, 200));
    let application = application.trim().parse::<i64>().ok();
    let known = state.db.applications(id).await?;
    if !application.is_some_and(|a| known.iter().any(|x| x.id == a)) {
        fields.add("application", FieldError::Invalid);
    }
    fields.finish()?;
    if call.state != CallState::Open {
        return Err(Refusal::from(CommitteeRefusal::CallNotOpen).into());
    }
    let (Some(hours), Some(application)) = (hours, application) else {
        unreachable!("checked above")
    };
    Ok(state
        .db
        .log_training(application, hours, note.trim(), Some(caller.id()))
        .await?)
}

/// Closes a call: eligibility is decided, the eligible applicants are checked against the quotas (a call
/// whose panel cannot be drawn stays open), and the pseudonymised input is frozen and published with its
/// SHA-256 before the seed value exists.
pub async fn close(state: &AppState, caller: &Caller, id: i64) -> ServiceResult<()> {
    let (call, c, scope) = load_call(state, Some(caller), id).await?;
    require_run(state, caller, scope.id)?;
    let applications = state.db.applications(id).await?;
    let mut eligible = vec![];
    let mut ineligible = vec![];
    for a in &applications {
        let why = eligibility(state, &call, c.scope_id, a);
        if why.is_empty() {
            eligible.push(a);
        } else {
            ineligible.push((a.id, why));
        }
    }
    let instance = draw::lottery_input(&call, &eligible);
    draw::check_applicants(instance.clone())
        .await
        .map_err(Refusal::from)?;
    let text = instance.to_json_string();
    let sha = maeul_sortition::sha256_hex(text.as_bytes());
    let ids: Vec<i64> = eligible.iter().map(|a| a.id).collect();
    Ok(state
        .db
        .close_call(id, &text, &sha, &ids, &ineligible)
        .await?)
}

/// Runs the draw with the announced seed text (staff), and records the panel and reserves.
pub async fn run_draw(
    state: &AppState,
    caller: &Caller,
    id: i64,
    seed_text: &str,
) -> ServiceResult<()> {
    let (call, _, scope) = load_call(state, Some(caller), id).await?;
    require_run(state, caller, scope.id)?;
    input::check_seed_text(seed_text).map_err(|e| Refusal::field("seed_text", e))?;
    let Some(input_json) = call.input_json.clone() else {
        return Err(Refusal::from(CommitteeRefusal::CallNotClosed).into());
    };
    let drawn = draw::run(
        input_json,
        call.input_sha256.clone().unwrap_or_default(),
        seed_text.to_owned(),
    )
    .await
    .map_err(|e| {
        tracing::warn!(call = id, error = %e, "draw failed");
        Refusal::from(CommitteeRefusal::DrawFailed)
    })?;
    let applications = state.db.applications(id).await?;
    let app_id = |pseudonym: &String| {
        applications
            .iter()
            .find(|a| &a.pseudonym == pseudonym)
            .map(|a| a.id)
    };
    let panel: Vec<i64> = drawn.panel.iter().filter_map(app_id).collect();
    let reserves: Vec<i64> = drawn.reserves.iter().filter_map(app_id).collect();
    Ok(state
        .db
        .record_draw(&DrawRecord {
            call_id: id,
            seed_text,
            seed_source: &call.seed_rule,
            seed_sha256: &drawn.seed_sha256,
            result_json: &drawn.result_json,
            panel: &panel,
            reserves: &reserves,
            drawn_by: Some(caller.id()),
        })
        .await?)
}

/// Publishes the drawn panel: its members take their seats and the committee-member role together.
pub async fn publish(state: &AppState, caller: &Caller, id: i64) -> ServiceResult<i64> {
    let (call, c, scope) = load_call(state, Some(caller), id).await?;
    require_run(state, caller, scope.id)?;
    state
        .db
        .publish_panel(id, c.scope_id, Some(caller.id()))
        .await?;
    Ok(call.committee_id)
}

/// The members a published call seated who have left, in the order they left, and how many of those
/// seats the reserve list has filled already (reserves fill vacancies in order).
async fn vacancies(state: &AppState, call: &CallRow) -> ServiceResult<(Vec<MemberRow>, usize)> {
    let members: Vec<MemberRow> = state
        .db
        .committee_members(call.committee_id)
        .await?
        .into_iter()
        .filter(|m| m.call_id == Some(call.id))
        .collect();
    let filled = members
        .iter()
        .filter(|m| m.source == MemberSource::Reserve)
        .count();
    let mut left: Vec<MemberRow> = members
        .into_iter()
        .filter(|m| m.ended_at.is_some())
        .collect();
    left.sort_by_key(|m| (m.ended_at, m.id));
    Ok((left, filled))
}

/// Fills the next vacancy of a published panel from its reserve list by the engine's rule.
pub async fn fill_vacancy(state: &AppState, caller: &Caller, id: i64) -> ServiceResult<()> {
    let (call, c, scope) = load_call(state, Some(caller), id).await?;
    require_run(state, caller, scope.id)?;
    let (left, filled) = vacancies(state, &call).await?;
    let draw_row = state.db.draw_of(id).await?;
    let (Some(next), Some(draw_row), Some(input_json), CallState::Published) = (
        left.get(filled),
        draw_row,
        call.input_json.clone(),
        call.state,
    ) else {
        return Err(Refusal::from(CommitteeRefusal::NoVacancy).into());
    };
    let applications = state.db.applications(id).await?;
    let pseudonym_of = |m: &MemberRow| {
        applications
            .iter()
            .find(|a| a.user_id == m.user_id)
            .map(|a| a.pseudonym.clone())
    };
    let leaving: Vec<String> = left[..=filled].iter().filter_map(pseudonym_of).collect();
    let chosen = draw::replacement(input_json, draw_row.seed_text.clone(), leaving)
        .await
        .map_err(|e| {
            tracing::warn!(call = id, error = %e, "vacancy draw failed");
            Refusal::from(CommitteeRefusal::DrawFailed)
        })?
        .and_then(|p| applications.iter().find(|a| a.pseudonym == p).map(|a| a.id))
        .ok_or_else(|| ServiceError::from(Refusal::from(CommitteeRefusal::NoReserve)))?;
    state
        .db
        .seat_reserve(
            id,
            c.scope_id,
            next.id,
            chosen,
            &next.end_reason,
            Some(caller.id()),
        )
        .await?;
    Ok(())
}

/// The exact published lottery input of a closed call.
pub async fn input_json(
    state: &AppState,
    caller: Option<&Caller>,
    id: i64,
) -> ServiceResult<String> {
    let (call, _, _) = load_call(state, caller, id).await?;
    call.input_json.ok_or(ServiceError::NotFound)
}

/// The published document of a closed call's draw (see [`draw::draw_document`]).
pub async fn draw_document(
    state: &AppState,
    caller: Option<&Caller>,
    id: i64,
) -> ServiceResult<serde_json::Value> {
    let (call, _, _) = load_call(state, caller, id).await?;
    if call.input_json.is_none() {
        return Err(ServiceError::NotFound);
    }
    let draw_row = state.db.draw_of(id).await?;
    Ok(draw::draw_document(&call, draw_row.as_ref()))
}
