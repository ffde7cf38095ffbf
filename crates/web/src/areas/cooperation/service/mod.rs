//! The cooperation platform's use cases. Authorization is here for every action: an organization's
//! representatives and staff edit it; its owner organization's editors decide on a resource's bookings;
//! the scope's platform staff (`Action::RunCooperation`) verify organizations, take attendance, open grant
//! calls and publish their results; evaluators (`Action::Evaluate`) score applications, never their own
//! organization's.
pub mod grants;
pub mod network;
pub mod organizations;
pub mod resources;
pub mod schools;

use maeul_domain::account::FieldError;
use maeul_domain::{Action, Scope};

use crate::AppState;
use crate::http::{Caller, ServiceError, ServiceResult};

/// A scope by its code, from the cached tree.
pub fn scope_by_code(state: &AppState, code: &str) -> ServiceResult<Scope> {
    state
        .scopes()
        .by_code(code)
        .cloned()
        .ok_or(ServiceError::NotFound)
}

/// May the caller run the platform of `scope_id` (its staff, officials, administrators, or above)?
pub fn may_run(state: &AppState, caller: Option<&Caller>, scope_id: i64) -> bool {
    caller.is_some_and(|c| c.may(&state.scopes(), Action::RunCooperation, scope_id))
}

/// The ids of `scope_id` and every scope below it.
pub fn within(state: &AppState, scope_id: i64) -> Vec<i64> {
    state.scopes().subtree_ids(scope_id)
}

/// A whole number in `min..=max` from a form.
pub fn parse_number(input: &str, min: i64, max: i64) -> Result<i64, FieldError> {
    let t = input.trim().replace(',', "");
    if t.is_empty() {
        return Err(FieldError::Required);
    }
    match t.parse::<i64>() {
        Ok(n) if (min..=max).contains(&n) => Ok(n),
        _ => Err(FieldError::Invalid),
    }
}
