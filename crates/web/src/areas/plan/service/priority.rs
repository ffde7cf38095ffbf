//! The priority-setting forum of a scope: its verified residents approve, or spread points among, once per
//! year, the items under deliberation the scope holds, as the scope's staff set the vote; the result is a
//! ranked list (approvals or points summed).
use maeul_db::plan::ItemRow;
use maeul_domain::account::FieldError;
use maeul_domain::plan::{ItemState, PriorityMethod, PriorityVote};
use maeul_domain::{Action, Refusal, Scope};

use super::scope_by_code;
use crate::AppState;
use crate::http::{Caller, ServiceError, ServiceResult, signed_in};

pub struct ForumView {
    pub year: i64,
    /// How the vote is cast: approval, or points to spread.
    pub vote: PriorityVote,
    /// The caller may set the vote's method (the scope's staff, before the first ballot).
    pub may_configure: bool,
    pub ballots: i64,
    /// (rank, item, approvals or points), first first.
    pub ranked: Vec<(u32, ItemRow, i64)>,
    /// The items on the ballot: under deliberation, held by the scope.
    pub candidates: Vec<ItemRow>,
    pub may_vote: bool,
    pub voted: bool,
}

impl ForumView {
    /// Voters spread points (rather than approve).
    pub fn by_points(&self) -> bool {
        self.vote.method == PriorityMethod::Points
    }
}

fn this_year() -> i64 {
    i64::from(maeul_domain::time::local_year(maeul_domain::time::now()))
}

pub async fn forum(
    state: &AppState,
    caller: Option<&Caller>,
    scope: &Scope,
) -> ServiceResult<ForumView> {
    let year = this_year();
    let vote = state.db.priority_vote(scope.id, year).await?;
    let items = state.db.plan_items_touching(scope.id).await?;
    let candidates: Vec<ItemRow> = items
        .iter()
        .filter(|i| i.scope_id == scope.id && i.state == ItemState::UnderDeliberation)
        .cloned()
        .collect();
    let (ballots, counts) = state.db.priority_tally(scope.id, year).await?;
    let mut all: Vec<(i64, i64)> = candidates.iter().map(|c| (c.id, 0)).collect();
    for (item, n) in counts {
        match all.iter_mut().find(|(id, _)| *id == item) {
            Some(entry) => entry.1 = n,
            None => all.push((item, n)),
        }
    }
    let mut ranked = vec![];
    for (rank, id, n) in maeul_domain::plan::rank(all) {
        let item = match items.iter().find(|i| i.id == id) {
            Some(i) => i.clone(),
            None => match state.db.plan_item(id).await? {
                Some(i) => i,
                None => continue,
            },
        };
        ranked.push((rank, item, n));
    }
    let may_vote =
        caller.is_some_and(|c| c.may(&state.scopes(), Action::ParticipateAsResident, scope.id));
    let voted = match caller {
        Some(c) => state.db.has_priority_ballot(scope.id, year, c.id()).await?,
        None => false,
    };
    Ok(ForumView {
        year,
        vote,
        may_configure: ballots == 0 && super::items::may_manage(state, caller, scope.id),
        ballots,
        ranked: if ballots > 0 { ranked } else { vec![] },
        candidates,
        may_vote,
        voted,
    })
}

/// A verified resident of the scope (or of a scope below it) casts their one ballot: in an approval vote,
/// the items named `item-<id>` in the form; in a points vote, the points typed in `points-<id>` (blank or
/// 0 leaves an item out).
pub async fn vote<'a>(
    state: &AppState,
    caller: Option<&Caller>,
    code: &str,
    fields: impl Iterator<Item = (&'a str, &'a str)>,
) -> ServiceResult<()> {
    let me = signed_in(caller)?;
    let scope = scope_by_code(state, code)?;
    if !me.may(&state.scopes(), Action::ParticipateAsResident, scope.id) {
        return Err(ServiceError::Forbidden);
    }
    let year = this_year();
    let vote = state.db.priority_vote(scope.id, year).await?;
    let invalid = || ServiceError::from(Refusal::field("ballot", FieldError::Invalid));
    let mut marks = vec![];
    for (name, value) in fields {
        match vote.method {
            PriorityMethod::Approval => {
                if let Some(id) = name.strip_prefix("item-") {
                    marks.push((id.parse::<i64>().map_err(|_| invalid())?, 1));
                }
            }
            PriorityMethod::Points => {
                if let Some(id) = name.strip_prefix("points-") {
                    let id = id.parse::<i64>().map_err(|_| invalid())?;
                    let value = value.trim();
                    let points = if value.is_empty() {
                        0
                    } else {
                        value.parse::<u32>().map_err(|_| invalid())?
                    };
                    if points > 0 {
                        marks.push((id, points));
                    }
                }
            }
        }
    }
    if marks.is_empty() {
        return Err(Refusal::field("ballot", FieldError::Required).into());
    }
    // The same order whatever the form's: the checks then name the same item first.
    marks.sort_unstable();
    state
        .db
        .cast_priority_ballot(scope.id, year, me.id(), &marks)
        .await?;
    Ok(())
}

/// The scope's staff set how this year's vote is cast (`approval`, or `points` with the points each voter
/// spreads), before the first ballot.
pub async fn configure(
    state: &AppState,
    caller: Option<&Caller>,
    code: &str,
    method: &str,
    points: &str,
) -> ServiceResult<()> {
    let me = signed_in(caller)?;
    let scope = scope_by_code(state, code)?;
    me.require(&state.scopes(), Action::ManageAgenda, scope.id)?;
    let method = PriorityMethod::parse(method.trim())
        .ok_or_else(|| ServiceError::from(Refusal::field("method", FieldError::Invalid)))?;
    let vote = match method {
        PriorityMethod::Approval => PriorityVote::default(),
        PriorityMethod::Points => {
            let points = points.trim();
            let n = points.parse::<u32>().map_err(|_| {
                let e = if points.is_empty() {
                    FieldError::Required
                } else {
                    FieldError::Invalid
                };
                ServiceError::from(Refusal::field("points", e))
            })?;
            PriorityVote { method, points: n }
        }
    };
    state
        .db
        .set_priority_vote(scope.id, this_year(), &vote, Some(me.id()))
        .await?;
    Ok(())
}
