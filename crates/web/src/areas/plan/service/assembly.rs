//! The residents' general assembly of a neighbourhood: its staff open it (linked to the neighbourhood's
//! plan of the year), draft the agenda from items the neighbourhood holds, submit it for the district's
//! pre-consultation (the district's officials fix it), open pre-voting, enter paper ballots, open the
//! session, record attendance and on-site ballots, publish the results and adopt the plan. Verified
//! residents of the neighbourhood vote online themselves. Everyone reads the published results.
use std::collections::HashMap;

use maeul_db::plan::{
    AgendaRow, AssemblyResults, AssemblyRow, AttendeeRow, ItemRow, NewAssembly, PlanRow,
};
use maeul_domain::account::FieldError;
use maeul_domain::plan::{
    AssemblyChoice, AssemblyEvent, AssemblyState, Mark, PlanRefusal, VoteChannel,
};
use maeul_domain::proposal::input::parse_title;
use maeul_domain::{Action, Refusal, Scope, ScopeKind};

use super::items::may_manage;
use super::plans::may_consult;
use super::{scope_by_code, scope_by_id};
use crate::AppState;
use crate::areas::accounts::service::Fields;
use crate::http::{Caller, ServiceError, ServiceResult, signed_in};

/// A neighbourhood's assemblies.
pub struct AssembliesView {
    pub scope: Scope,
    pub assemblies: Vec<AssemblyRow>,
    pub may_create: bool,
}

fn neighbourhood(state: &AppState, code: &str) -> ServiceResult<Scope> {
    let scope = scope_by_code(state, code)?;
    if scope.kind != ScopeKind::Neighbourhood {
        return Err(ServiceError::NotFound);
    }
    Ok(scope)
}

pub async fn list(
    state: &AppState,
    caller: Option<&Caller>,
    code: &str,
) -> ServiceResult<AssembliesView> {
    let scope = neighbourhood(state, code)?;
    Ok(AssembliesView {
        assemblies: state.db.assemblies_in(scope.id).await?,
        may_create: may_manage(state, caller, scope.id),
        scope,
    })
}

pub struct NewAssemblyInput<'a> {
    pub year: &'a str,
    pub title: &'a str,
    pub place: &'a str,
    pub held_at: &'a str,
}

/// Opens a neighbourhood's assembly for a year (its staff), linked to the neighbourhood's plan of that
/// year if there is one; returns its id.
pub async fn create(
    state: &AppState,
    caller: Option<&Caller>,
    code: &str,
    f: &NewAssemblyInput<'_>,
) -> ServiceResult<i64> {
    let me = signed_in(caller)?;
    let scope = neighbourhood(state, code)?;
    me.require(&state.scopes(), Action::ManageAgenda, scope.id)?;
    let mut fields = Fields::default();
    let year = match f.year.trim().parse::<i64>() {
        Ok(y) if maeul_domain::plan::check_year(y).is_ok() => Some(y),
        _ => {
            fields.add("year", FieldError::Invalid);
            None
        }
    };
    let title = fields.check("title", parse_title(f.title));
    let held_at = fields.check(
        "held_at",
        maeul_domain::time::parse_local_datetime(f.held_at),
    );
    let place = f.place.trim();
    if place.chars().count() > 200 {
        fields.add("place", FieldError::TooLong { max: 200 });
    }
    fields.finish()?;
    let (Some(year), Some(title), Some(held_at)) = (year, title, held_at) else {
        unreachable!("checked above")
    };
    let plan_id = state.db.plan_for(scope.id, year).await?.map(|p| p.id);
    Ok(state
        .db
        .create_assembly(&NewAssembly {
            scope_id: scope.id,
            year,
            plan_id,
            title: &title,
            place,
            held_at,
            created_by: Some(me.id()),
        })
        .await?)
}

/// An assembly with everything its page shows.
pub struct AssemblyView {
    pub assembly: AssemblyRow,
    pub scope: Scope,
    pub plan: Option<PlanRow>,
    pub agenda: Vec<AgendaRow>,
    /// Items the neighbourhood holds that may still go on the agenda (staff, while drafting).
    pub candidates: Vec<ItemRow>,
    /// Counts by channel always; per-item results once published (or to staff).
    pub results: AssemblyResults,
    pub results_visible: bool,
    pub attendance: Vec<AttendeeRow>,
    pub may_manage: bool,
    pub may_fix: bool,
    /// The caller is a verified resident of the neighbourhood.
    pub may_vote: bool,
    /// How the caller voted, if they did.
    pub my_vote: Option<VoteChannel>,
}

pub async fn view(
    state: &AppState,
    caller: Option<&Caller>,
    id: i64,
) -> ServiceResult<AssemblyView> {
    let assembly = state.db.assembly(id).await?.ok_or(ServiceError::NotFound)?;
    let scope = scope_by_id(state, assembly.scope_id)?;
    let manage = may_manage(state, caller, scope.id);
    let plan = match assembly.plan_id {
        Some(p) => state.db.plan(p).await?,
        None => None,
    };
    let agenda = state.db.assembly_agenda(id).await?;
    let candidates = if manage && assembly.state == AssemblyState::Drafting {
        state
            .db
            .plan_items_touching(scope.id)
            .await?
            .into_iter()
            .filter(|i| {
                i.scope_id == scope.id
                    && maeul_domain::plan::check_agenda_item(
                        scope.id,
                        assembly.state,
                        maeul_domain::plan::AgendaCandidate {
                            holder: i.scope_id,
                            state: i.state,
                        },
                    )
                    .is_ok()
                    && !agenda.iter().any(|a| a.item_id == i.id)
            })
            .collect()
    } else {
        vec![]
    };
    let published = matches!(
        assembly.state,
        AssemblyState::ResultsPublished | AssemblyState::PlanAdopted
    );
    let results = state.db.assembly_results(id).await?;
    let may_vote = caller.is_some_and(|c| {
        c.actor
            .home
            .as_ref()
            .is_some_and(|home| home.id == scope.id)
    });
    let my_vote = match caller {
        Some(c) => state.db.assembly_ballot_of(id, c.id()).await?,
        None => None,
    };
    Ok(AssemblyView {
        attendance: state.db.assembly_attendance(id).await?,
        may_fix: may_consult(state, caller, &scope),
        results_visible: published || manage,
        results,
        may_manage: manage,
        may_vote,
        my_vote,
        plan,
        agenda,
        candidates,
        scope,
        assembly,
    })
}

/// The assembly and its scope, refusing before any input is read those with no say over it.
async fn managed(state: &AppState, me: &Caller, id: i64) -> ServiceResult<AssemblyRow> {
    let a = state.db.assembly(id).await?.ok_or(ServiceError::NotFound)?;
    if !may_manage(state, Some(me), a.scope_id) {
        return Err(ServiceError::Forbidden);
    }
    Ok(a)
}

/// Puts an item the neighbourhood holds on the agenda (its staff, while drafting).
pub async fn add_item(
    state: &AppState,
    caller: Option<&Caller>,
    id: i64,
    item: &str,
) -> ServiceResult<()> {
    let me = signed_in(caller)?;
    managed(state, me, id).await?;
    let item = item
        .trim()
        .parse::<i64>()
        .map_err(|_| Refusal::field("item", FieldError::Required))?;
    Ok(state.db.add_assembly_item(id, item).await?)
}

/// Moves the assembly along: the district's officials fix the agenda after their pre-consultation; the
/// neighbourhood's staff do every other step.
pub async fn step(
    state: &AppState,
    caller: Option<&Caller>,
    id: i64,
    event: &str,
) -> ServiceResult<AssemblyState> {
    let me = signed_in(caller)?;
    let a = state.db.assembly(id).await?.ok_or(ServiceError::NotFound)?;
    let scope = scope_by_id(state, a.scope_id)?;
    let manage = may_manage(state, Some(me), scope.id);
    let consult = may_consult(state, Some(me), &scope);
    if !manage && !consult {
        return Err(ServiceError::Forbidden);
    }
    let event = AssemblyEvent::parse(event.trim())
        .ok_or_else(|| Refusal::field("event", FieldError::Invalid))?;
    let allowed = if event.by_level_above() {
        consult
    } else {
        manage
    };
    if !allowed {
        return Err(ServiceError::Forbidden);
    }
    Ok(state
        .db
        .transition_assembly(id, Some(me.id()), event)
        .await?)
}

/// A voter named by staff: the account with this e-mail address.
async fn voter_by_email(state: &AppState, email: &str) -> ServiceResult<i64> {
    let email = email.trim();
    if email.is_empty() {
        return Err(Refusal::field("voter", FieldError::Required).into());
    }
    match state.db.user_by_email(email).await? {
        Some(u) => Ok(u.id),
        None => Err(Refusal::Plan(PlanRefusal::UnknownVoter).into()),
    }
}

/// Records a resident's presence at the session (staff, by the resident's e-mail address).
pub async fn attend(
    state: &AppState,
    caller: Option<&Caller>,
    id: i64,
    voter: &str,
) -> ServiceResult<()> {
    let me = signed_in(caller)?;
    managed(state, me, id).await?;
    let voter = voter_by_email(state, voter).await?;
    Ok(state
        .db
        .record_assembly_attendance(id, voter, Some(me.id()))
        .await?)
}

/// Reads a ballot's marks from a form: `choice-<item>` = `yes` | `no` (or empty: no answer on that item),
/// `pref-<item>` = its place in the preference order (or empty).
pub fn parse_marks(form: &HashMap<String, String>) -> ServiceResult<Vec<Mark>> {
    let mut marks = vec![];
    let invalid = || ServiceError::from(Refusal::field("ballot", FieldError::Invalid));
    let mut keys: Vec<&String> = form.keys().collect();
    keys.sort();
    for key in keys {
        let Some(item) = key.strip_prefix("choice-") else {
            continue;
        };
        let item: i64 = item.parse().map_err(|_| invalid())?;
        let choice = match form[key].trim() {
            "" => continue,
            c => AssemblyChoice::parse(c).ok_or_else(invalid)?,
        };
        let preference = match form.get(&format!("pref-{item}")).map(|p| p.trim()) {
            None | Some("") => None,
            Some(p) => Some(p.parse::<u32>().map_err(|_| invalid())?),
        };
        marks.push(Mark {
            item,
            choice,
            preference,
        });
    }
    if marks.is_empty() {
        return Err(Refusal::field("ballot", FieldError::Required).into());
    }
    Ok(marks)
}

/// A verified resident of the neighbourhood casts their one ballot online during pre-voting.
pub async fn vote(
    state: &AppState,
    caller: Option<&Caller>,
    id: i64,
    form: &HashMap<String, String>,
) -> ServiceResult<()> {
    let me = signed_in(caller)?;
    let a = state.db.assembly(id).await?.ok_or(ServiceError::NotFound)?;
    if !me.may(&state.scopes(), Action::ParticipateAsResident, a.scope_id) {
        return Err(ServiceError::Forbidden);
    }
    let marks = parse_marks(form)?;
    state
        .db
        .cast_assembly_ballot(id, me.id(), VoteChannel::Online, &marks, None)
        .await?;
    Ok(())
}

/// Staff enter a resident's paper pre-vote or on-site ballot (`channel` = `paper` | `on_site`, `voter` =
/// the resident's e-mail address).
pub async fn enter(
    state: &AppState,
    caller: Option<&Caller>,
    id: i64,
    form: &HashMap<String, String>,
) -> ServiceResult<()> {
    let me = signed_in(caller)?;
    managed(state, me, id).await?;
    let channel = match form.get("channel").map(|c| c.trim()) {
        Some("paper") => VoteChannel::Paper,
        Some("on_site") => VoteChannel::OnSite,
        _ => return Err(Refusal::field("channel", FieldError::Invalid).into()),
    };
    let voter = voter_by_email(state, form.get("voter").map_or("", String::as_str)).await?;
    let marks = parse_marks(form)?;
    state
        .db
        .cast_assembly_ballot(id, voter, channel, &marks, Some(me.id()))
        .await?;
    Ok(())
}
