//! The priority-setting forum of a scope: its verified residents approve, once per year, the items under
//! deliberation the scope holds; the result is a ranked list.
use maeul_db::plan::ItemRow;
use maeul_domain::plan::ItemState;
use maeul_domain::{Action, Refusal, Scope};

use super::scope_by_code;
use crate::AppState;
use crate::http::{Caller, ServiceError, ServiceResult, signed_in};

pub struct ForumView {
    pub year: i64,
    pub ballots: i64,
    /// (rank, item, approvals), most approved first.
    pub ranked: Vec<(u32, ItemRow, i64)>,
    /// The items on the ballot: under deliberation, held by the scope.
    pub candidates: Vec<ItemRow>,
    pub may_vote: bool,
    pub voted: bool,
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
        ballots,
        ranked: if ballots > 0 { ranked } else { vec![] },
        candidates,
        may_vote,
        voted,
    })
}

/// A verified resident of the scope (or of a scope below it) casts their one ballot, approving the
/// items named `item-<id>` in the form.
pub async fn vote<'a>(
    state: &AppState,
    caller: Option<&Caller>,
    code: &str,
    fields: impl Iterator<Item = &'a str>,
) -> ServiceResult<()> {
    let me = signed_in(caller)?;
    let scope = scope_by_code(state, code)?;
    if !me.may(&state.scopes(), Action::ParticipateAsResident, scope.id) {
        return Err(ServiceError::Forbidden);
    }
    let mut ids = vec![];
    for name in fields {
        if let Some(id) = name.strip_prefix("item-") {
            match id.parse::<i64>() {
                Ok(id) => ids.push(id),
                Err(_) => {
                    return Err(Refusal::field(
                        "ballot",
                        maeul_domain::account::FieldError::Invalid,
                    )
                    .into());
                }
            }
        }
    }
    if ids.is_empty() {
        return Err(Refusal::field("ballot", maeul_domain::account::FieldError::Required).into());
    }
    state
        .db
        .cast_priority_ballot(scope.id, this_year(), me.id(), &ids)
        .await?;
    Ok(())
}
