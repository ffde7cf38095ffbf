//! The evaluation's use cases: tracked projects and their updates (implementers report, other staff
//! verify or return), the evaluation cycle (implementers define indicators, measure and assess themselves;
//! evaluators score; the level above opens the review, grades and publishes), the trace and the dashboard.
//! Who acts as which party is decided here, from the caller's grants; the domain then says yes or no.
pub mod cycles;
pub mod dashboard;
pub mod definitions;
pub mod surveys;
pub mod trace;
pub mod tracking;

use maeul_domain::evaluation::Party;
use maeul_domain::{Action, Scope};

use crate::AppState;
use crate::http::{Caller, ServiceError, ServiceResult, signed_in};

pub use crate::areas::plan::service::{scope_by_code, scope_by_id};

/// Staff of a scope (support staff, officials, administrators there or above): its implementers.
pub fn is_staff(state: &AppState, caller: Option<&Caller>, scope_id: i64) -> bool {
    caller.is_some_and(|c| c.may(&state.scopes(), Action::ManageAgenda, scope_id))
}

/// Officials of the scope's parent: the level above, which opens the review, grades and publishes.
pub fn is_level_above(state: &AppState, caller: Option<&Caller>, scope: &Scope) -> bool {
    scope.parent_id.is_some_and(|parent| {
        caller.is_some_and(|c| c.may(&state.scopes(), Action::ConsultPlans, parent))
    })
}

pub fn is_evaluator(state: &AppState, caller: Option<&Caller>, scope_id: i64) -> bool {
    caller.is_some_and(|c| c.may(&state.scopes(), Action::Evaluate, scope_id))
}

/// The party the caller acts as for a step that belongs to `wanted`: that party when the caller is one,
/// otherwise the party they are (so the domain refuses with its reason: a district grading itself, an
/// evaluator editing indicators), and `Forbidden` for someone who is none of them.
pub fn party_for(
    state: &AppState,
    caller: Option<&Caller>,
    scope: &Scope,
    wanted: Party,
) -> ServiceResult<Party> {
    signed_in(caller)?;
    let above = is_level_above(state, caller, scope);
    let staff = is_staff(state, caller, scope.id);
    let evaluator = is_evaluator(state, caller, scope.id);
    let order = match wanted {
        Party::LevelAbove => [Party::LevelAbove, Party::Implementer, Party::Evaluator],
        Party::Implementer => [Party::Implementer, Party::Evaluator, Party::LevelAbove],
        Party::Evaluator => [Party::Evaluator, Party::Implementer, Party::LevelAbove],
    };
    order
        .into_iter()
        .find(|p| match p {
            Party::LevelAbove => above,
            Party::Implementer => staff,
            Party::Evaluator => evaluator,
        })
        .ok_or(ServiceError::Forbidden)
}
