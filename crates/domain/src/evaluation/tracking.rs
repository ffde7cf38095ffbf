//! Execution tracking: a funded project's status, its updates (only verified ones count) and progress
//! rolled up from children to parents.

use super::EvaluationRefusal;

crate::named_enum! {
    /// Where a tracked project's execution is.
    pub enum ProjectStatus: "tracked project status", label "tracked-status-" {
        Planned = "planned",
        InProgress = "in_progress",
        Delayed = "delayed",
        Completed = "completed",
        Cancelled = "cancelled",
    }
}

crate::named_enum! {
    /// Where an implementer's progress update is. Only `verified` updates count.
    pub enum UpdateState: "update state", label "update-state-" {
        Draft = "draft",
        Submitted = "submitted",
        /// Returned by staff with a comment; the author revises and submits again.
        Returned = "returned",
        Verified = "verified",
    }
}

/// Who acts on an update, as the rules see them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UpdateActor {
    /// The acting person wrote the update.
    pub is_author: bool,
    /// The acting person is staff of the project's scope (may verify or return).
    pub is_staff: bool,
}

/// What may happen to an update.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UpdateEvent {
    Submit,
    Return { comment: String },
    Verify,
}

impl UpdateEvent {
    pub fn message_id(&self) -> &'static str {
        match self {
            UpdateEvent::Submit => "update-event-submit",
            UpdateEvent::Return { .. } => "update-event-return",
            UpdateEvent::Verify => "update-event-verify",
        }
    }
}

/// Applies `event` to an update in `state` acted by `actor`: the author submits (a draft or a returned
/// update); staff other than the author verify or return (with a comment) a submitted one.
pub fn apply_update(
    state: UpdateState,
    actor: UpdateActor,
    event: &UpdateEvent,
) -> Result<UpdateState, EvaluationRefusal> {
    use UpdateEvent as E;
    use UpdateState as S;
    match (state, event) {
        (S::Draft | S::Returned, E::Submit) if actor.is_author => Ok(S::Submitted),
        (S::Draft | S::Returned, E::Submit) => Err(EvaluationRefusal::NotTheAuthor),
        (S::Submitted, E::Verify | E::Return { .. }) if actor.is_author => {
            Err(EvaluationRefusal::OwnUpdate)
        }
        (S::Submitted, E::Verify | E::Return { .. }) if !actor.is_staff => {
            Err(EvaluationRefusal::NotStaff)
        }
        (S::Submitted, E::Verify) => Ok(S::Verified),
        (S::Submitted, E::Return { comment }) => {
            if comment.trim().is_empty() {
                Err(EvaluationRefusal::CommentRequired)
            } else {
                Ok(S::Returned)
            }
        }
        _ => Err(EvaluationRefusal::NotAllowed {
            state: state.label_id(),
            event: event.message_id(),
        }),
    }
}

/// A progress figure in percent (0–100).
pub fn check_progress(percent: i64) -> Result<(), EvaluationRefusal> {
    if (0..=100).contains(&percent) {
        Ok(())
    } else {
        Err(EvaluationRefusal::ProgressOutOfRange)
    }
}

/// A project's progress: the last verified update's figure (updates in the order they were verified);
/// none verified → 0. Unverified updates never count.
pub fn verified_progress(updates: &[(UpdateState, i64)]) -> i64 {
    updates
        .iter()
        .rev()
        .find(|(s, _)| *s == UpdateState::Verified)
        .map_or(0, |(_, p)| *p)
}

/// A parent's progress in ‰: the weighted average of its children's progress (percent, weight), rounded
/// half up. No children or no weight → `None`.
pub fn roll_up_progress(children: &[(i64, u64)]) -> Option<u64> {
    let weight: u128 = children.iter().map(|(_, w)| u128::from(*w)).sum();
    if weight == 0 {
        return None;
    }
    let weighted: u128 = children
        .iter()
        .map(|(p, w)| u128::from(p.clamp(&0, &100).unsigned_abs()) * 10 * u128::from(*w))
        .sum();
    Some(((weighted * 2 + weight) / (weight * 2)) as u64)
}
