//! Results-based evaluation's storage (migration 0013): tracked projects linked to their origin (a budget
//! winner or a plan project, once each), milestones, updates with evidence (only verified ones count; every
//! step logged in the same transaction as the compare-and-set), yearly evaluation cycles, indicators and
//! their periods, the rubric, evaluators' scores, and the grade, which writes the scope's figure the budget's
//! envelope formula reads (`budget_scope_figures.grade`) in the same transaction. Migration 0016 adds resident
//! satisfaction surveys (`surveys`), later periods' targets, disaggregations and the updates' CSV import
//! (`definitions`). The dashboard's participation reads budget turnout and forum participants
//! (`participation`, read only; migration 0019 indexes the turnout by home scope).
mod cycles;
mod definitions;
mod participation;
mod surveys;
mod trace;
mod tracking;

pub use cycles::*;
pub use definitions::*;
pub use participation::*;
pub use surveys::*;
pub use trace::*;
pub use tracking::*;

/// Values of indicators are stored in thousandths (exact integers on both backends).
pub fn to_milli(v: f64) -> i64 {
    (v * 1000.0).round() as i64
}

pub fn from_milli(v: i64) -> f64 {
    v as f64 / 1000.0
}
