//! A process's settings (dates, voter-group shares, ballot quotas, minimum age, residence bases) and the dated moves the
//! background worker makes on them: each a recorded phase change (log, audit, followers notified) by
//! nobody; closing the vote queues the count, which the worker runs next (`service::count_job`).
use axum::extract::State;
use axum::response::Response;
use maeul_db::DbError;
use maeul_db::budget::ProcessSettings;
use maeul_domain::Refusal;
use maeul_domain::account::FieldError;
use maeul_domain::budget::{BudgetRefusal, PhaseEvent, Schedule, VoterBases, parse_quotas};
use maeul_domain::time::{now, parse_local_datetime};

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
#[derive(Default)]
pub struct SettingsForm {
    pub proposals_open_at: String,
    pub proposals_close_at: String,
    pub voting_open_at: String,
    pub voting_close_at: String,
    pub weight_online: String,
    pub weight_committee: String,
    pub weight_school: String,
    pub quotas: String,
    pub min_age: String,
    /// The residence bases ticked (one `voter_bases` field per box).
    pub voter_bases: Vec<String>,
}

impl SettingsForm {
    /// The form from its fields as sent (checkboxes repeat a name, which a struct cannot take).
    pub fn from_pairs(pairs: &[(String, String)]) -> SettingsForm {
        let mut form = SettingsForm::default();
        for (name, value) in pairs {
            let value = value.clone();
            match name.as_str() {
                "proposals_open_at" => form.proposals_open_at = value,
                "proposals_close_at" => form.proposals_close_at = value,
                "voting_open_at" => form.voting_open_at = value,
                "voting_close_at" => form.voting_close_at = value,
                "weight_online" => form.weight_online = value,
                "weight_committee" => form.weight_committee = value,
                "weight_school" => form.weight_school = value,
                "quotas" => form.quotas = value,
                "min_age" => form.min_age = value,
                "voter_bases" => form.voter_bases.push(value),
                _ => {}
            }
        }
        form
    }
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
    let voter_bases = fields.check(
        "voter_bases",
        if f.voter_bases.is_empty() {
            Err(FieldError::Required)
        } else {
            VoterBases::parse(f.voter_bases.iter().map(String::as_str)).ok_or(FieldError::Invalid)
        },
    );
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
        Some(voter_bases),
        Some(quotas),
    ) = (
        open,
        close,
        vote_open,
        vote_close,
        online,
        committee,
        school,
        min_age,
        voter_bases,
        quotas,
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
        voter_bases,
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
    CsrfForm(pairs): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let form = SettingsForm::from_pairs(&pairs);
    let result = configure(&state, ctx.caller(), id, &form).await;
    if let Err(ServiceError::SignInRequired) = result {
        return Err(PageError::Unauthorized);
    }
    super::pages::after(&state, &ctx, id, result, "budget-notice-saved").await
}
