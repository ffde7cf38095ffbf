//! Debates' own step: concluding, by the author or an official of the scope, with a conclusion.
use maeul_domain::debate::{self, DebateError};
use maeul_domain::proposal::input;
use maeul_domain::{Action, Refusal};

use super::items::visible;
use crate::AppState;
use crate::http::{Caller, ServiceError, ServiceResult};

pub async fn conclude(
    state: &AppState,
    caller: &Caller,
    id: i64,
    conclusion: &str,
) -> ServiceResult<()> {
    let p = visible(state, Some(caller), id).await?;
    let Some(debate_state) = p.state.debate() else {
        return Err(ServiceError::NotFound);
    };
    let allowed = p.author_id == caller.id()
        || caller.may(&state.scopes(), Action::AnswerOfficially, p.scope_id);
    let conclusion = conclusion.trim();
    debate::conclude(debate_state, allowed, conclusion).map_err(|e| match e {
        DebateError::NotAllowed => ServiceError::Forbidden,
        DebateError::ConclusionRequired => {
            Refusal::field("reason", maeul_domain::account::FieldError::Required).into()
        }
        other => Refusal::from(other).into(),
    })?;
    if conclusion.chars().count() > input::REASON_MAX {
        return Err(Refusal::field(
            "reason",
            maeul_domain::account::FieldError::TooLong {
                max: input::REASON_MAX,
            },
        )
        .into());
    }
    Ok(state
        .db
        .conclude_debate(id, caller.id(), conclusion)
        .await?)
}
