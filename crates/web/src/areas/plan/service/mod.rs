//! The plan's use cases: agenda items (propose, screen, deliberate, prioritise, adopt by a carried motion,
//! refer between levels, answer referrals) and yearly plans (draft, resolve, submit, consult, approve, …).
//! Authorization is here for every action: the level that holds an item acts on it (its support staff,
//! officials or administrators); the level above a plan consults on it (its officials).
pub mod assembly;
pub mod groups;
pub mod items;
pub mod plans;
pub mod priority;

use maeul_domain::Scope;

use crate::AppState;
use crate::http::{ServiceError, ServiceResult};

/// A scope by its id, from the cached tree.
pub fn scope_by_id(state: &AppState, id: i64) -> ServiceResult<Scope> {
    state
        .scopes()
        .get(id)
        .cloned()
        .ok_or(ServiceError::NotFound)
}

/// A scope by its code, from the cached tree.
pub fn scope_by_code(state: &AppState, code: &str) -> ServiceResult<Scope> {
    state
        .scopes()
        .by_code(code)
        .cloned()
        .ok_or(ServiceError::NotFound)
}
