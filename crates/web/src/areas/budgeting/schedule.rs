//! A process's settings (dates, voter-group shares, ballot quotas, minimum age) and the dated moves the
//! background worker makes on them: each a recorded phase change (log, audit, followers notified) by
//! nobody; closing the vote queues the count, which the worker runs next (`service::count_job`).
use axum::extract::State;
use axum::response::Response;
use maeul_db::DbError;
use maeul_db::budget::ProcessSettings;
use maeul_domain::Refusal;
use maeul_domain::account::FieldError;
use maeul_domain::budget::{BudgetRefusal, PhaseEvent, Schedule, parse_quotas};
use maeul_domain::time::{now, parse_local_datetime};
use serde::Deserialize;

use super::service::{load, may_manage, refusal};
use crate::AppState;
use crate::areas::accounts::service::Fields;
use crate::http::{
    Caller, CsrfForm, Ctx, PageError, PagePath, ServiceError, ServiceResult, signed_in,
};

/// Moves every process one of whose dates has passed (called by each background pass). A process moved
/// by someone else since it was read is left alone (compare-and-set on the phase read).
pub async fn advance_due(state: &AppState) -> Result<usize, DbError> {
    let mut moved = 0;
    for (process, _) in state.db.processes_due(now(), 100).await? {
        let event = PhaseEvent::Advance { shortlisted: 0 };
        match state
            .db
            .transition_process_from(process.id, Some(process.phase), &event, None)
            .await
        {
            Ok(_) => moved += 1,
            Err(DbError::Refused(reason)) => {
                tracing::debug!(process = process.id, ?reason, "dated move not made");
            }
            Err(e) => return Err(e),
        }
    }
    Ok(moved)
}

/// The settings form as typed.
#[derive(Deserialize, Default)]
pub struct SettingsForm {
    #[serde(default)]
    pub proposals_open_at: String,
    #[serde(default)]
    pub proposals_close_at: String,
    #[serde(default)]
    pub voting_open_at: String,
    #[serde(default)]
    pub voting_close_at: String,
    #[serde(default)]
    pub weight_online: String,
    #[serde(default)]
    pub weight_committee: String,
    #[serde(default)]
    pub weight_school: String,
    #[serde(default)]
    pub quotas: String,
    #[serde(default)]
    pub min_age: String,
}

fn date(input: &str) -> Result<Option<i64>, FieldError> {
    let input = input.trim();
    if input.is_empty() {
        Ok(None)
    } else {
        parse_local_datetime(input).map(Some)
    }
}

fn number(input: &str, max: u32) -> Result<u32, FieldError> {
    let input = input.trim();
    if input.is_empty() {
        return Ok(0);
    }
    match input.parse::<u32>() {
        Ok(n) if n <= max => Ok(n),
        _ => Err(FieldError::Invalid),
    }
}

/// Staff of the process's scope set its dates, group shares, quotas and minimum age while it is
/// configured. Authorization comes before the input is read.
pub async fn configure(
    state: &AppState,
    caller: Option<&Caller>,
    id: i64,
    f: &SettingsForm,
) -> ServiceResult<()> {
    let caller = signed_in(caller)?;
    let (process, scope) = load(state, id).await?;
    if !may_manage(state, Some(caller), scope.id) {
        return Err(ServiceError::Forbidden);
    }
    let mut fields = Fields::default();
    let open = fields.check("proposals_open_at", date(&f.proposals_open_at));
    let close = fields.check("proposals_close_at", date(&f.proposals_close_at));
    let vote_open = fields.check("voting_open_at", date(&f.voting_open_at));
    let vote_close = fields.check("voting_close_at", date(&f.voting_close_at));
    let online = fields.check("weight_online", number(&f.weight_online, 100));
    let committee = fields.check("weight_committee", number(&f.weight_committee, 100));
    let school = fields.check("weight_school", number(&f.weight_school, 100));
    let min_age = fields.check("min_age", number(&f.min_age, 120));
    let quotas = match parse_quotas(&f.quotas) {
        Ok(q) => Some(q),
        Err(_) => {
            fields.add("quotas", FieldError::Invalid);
            None
        }
    };
    fields.finish()?;
    let (
        Some(open),
        Some(close),
        Some(vote_open),
        Some(vote_close),
        Some(online),
        Some(committee),
        Some(school),
        Some(min_age),
        Some(quotas),
    ) = (
        open, close, vote_open, vote_close, online, committee, school, min_age, quotas,
    )
    else {
        return Err(ServiceError::Refused(Refusal::Stale));
    };
    if !quotas.is_empty() && process.ballot_kind != maeul_domain::budget::BallotKind::Approval {
        return Err(Refusal::field("quotas", FieldError::Invalid).into());
    }
    let settings = ProcessSettings {
        schedule: Schedule {
            proposals_open_at: open,
            proposals_close_at: close,
            voting_open_at: vote_open,
            voting_close_at: vote_close,
        },
        shares: [online, committee, school],
        quotas,
        min_age,
    };
    settings.schedule.check().map_err(refusal)?;
    if settings.shares.iter().any(|s| *s > 0) && settings.shares.iter().sum::<u32>() != 100 {
        return Err(refusal(BudgetRefusal::BadWeights));
    }
    Ok(state
        .db
        .configure_process(id, &settings, Some(caller.id()))
        .await?)
}

/// `POST /budgets/{id}/settings`.
pub async fn settings(
    State(state): State<AppState>,
    ctx: Ctx,
    PagePath(id): PagePath<i64>,
    CsrfForm(form): CsrfForm<SettingsForm>,
) -> Result<Response, PageError> {
    let result = configure(&state, ctx.caller(), id, &form).await;
    if let Err(ServiceError::SignInRequired) = result {
        return Err(PageError::Unauthorized);
    }
    super::pages::after(&state, &ctx, id, result, "budget-notice-saved").await
}
