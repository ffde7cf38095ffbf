//! Configuration by a scope's staff: handing its envelope down by a formula, opening a participatory
//! budget on it. Both authorized in the scope (`ManageBudget`), both audited or logged by storage.
use maeul_domain::Refusal;
use maeul_domain::account::FieldError;
use maeul_domain::budget::BudgetRefusal;

use super::engine;
use super::service::{may_manage, parse_won, refusal, text};
use crate::AppState;
use crate::areas::accounts::service::Fields;
use crate::http::{Caller, ServiceError, ServiceResult, signed_in};

/// What staff type to split their scope's envelope among the scopes below it.
pub struct SplitInput<'a> {
    pub own_permille: &'a str,
    pub base: &'a str,
    pub population: &'a str,
    pub need: &'a str,
    pub grade: &'a str,
}

fn number(input: &str, max: u32) -> Result<u32, FieldError> {
    let text = input.trim();
    if text.is_empty() {
        return Ok(0);
    }
    match text.parse::<u32>() {
        Ok(n) if n <= max => Ok(n),
        _ => Err(FieldError::Invalid),
    }
}

/// Staff of a scope hand its latest envelope down to the scopes below it by a formula (each child's
/// figures as entered now); audited with the split.
pub async fn split(
    state: &AppState,
    caller: Option<&Caller>,
    scope_id: i64,
    input: &SplitInput<'_>,
) -> ServiceResult<()> {
    let caller = signed_in(caller)?;
    if !may_manage(state, Some(caller), scope_id) {
        return Err(ServiceError::Forbidden);
    }
    let mut fields = Fields::default();
    let own = fields.check("own_permille", number(input.own_permille, 1000));
    let base = fields.check("w_base", number(input.base, 1000));
    let population = fields.check("w_population", number(input.population, 1000));
    let need = fields.check("w_need", number(input.need, 1000));
    let grade = fields.check("w_grade", number(input.grade, 1000));
    fields.finish()?;
    let formula = maeul_domain::budget::Formula {
        own_permille: own.unwrap_or(0),
        base: base.unwrap_or(0),
        population: population.unwrap_or(0),
        need: need.unwrap_or(0),
        grade: grade.unwrap_or(0),
    };
    let envelope = state
        .db
        .latest_envelope_of(scope_id)
        .await?
        .ok_or_else(|| refusal(BudgetRefusal::NoEnvelope))?;
    let children: Vec<i64> = state.scopes().children(scope_id).map(|s| s.id).collect();
    let figures = state.db.scope_figures(&children).await?;
    state
        .db
        .split_envelope(envelope.id, &formula, &figures, Some(caller.id()))
        .await?;
    Ok(())
}

/// What staff type to open a participatory budget on their scope's envelope.
pub struct ProcessInput<'a> {
    pub title: &'a str,
    pub budget: &'a str,
    pub rule: &'a str,
    pub ballot_kind: &'a str,
    pub min_projects: &'a str,
    pub max_projects: &'a str,
    pub points: &'a str,
}

/// Staff create a process (phase `configured`) on the scope's latest envelope; the rule must be one of
/// the engine's that counts the chosen ballot form.
pub async fn create_process(
    state: &AppState,
    caller: Option<&Caller>,
    scope_id: i64,
    input: &ProcessInput<'_>,
) -> ServiceResult<i64> {
    let caller = signed_in(caller)?;
    if !may_manage(state, Some(caller), scope_id) {
        return Err(ServiceError::Forbidden);
    }
    let mut fields = Fields::default();
    let title = fields.check("process_title", text(input.title, 2, 120));
    let budget = fields.check("process_budget", parse_won(input.budget));
    let kind = fields.check(
        "ballot_kind",
        maeul_domain::budget::BallotKind::parse(input.ballot_kind).ok_or(FieldError::Invalid),
    );
    let min = fields.check("min_projects", number(input.min_projects, 1000));
    let max = fields.check("max_projects", number(input.max_projects, 1000));
    let points = fields.check("points", number(input.points, 1_000_000));
    if let Some(kind) = kind
        && !engine::rule_fits(input.rule, kind)
    {
        fields.add("rule", FieldError::Invalid);
    }
    fields.finish()?;
    let (Some(title), Some(budget), Some(kind)) = (title, budget, kind) else {
        return Err(ServiceError::Refused(Refusal::Stale));
    };
    let envelope = state
        .db
        .latest_envelope_of(scope_id)
        .await?
        .ok_or_else(|| refusal(BudgetRefusal::NoEnvelope))?;
    Ok(state
        .db
        .create_process(&maeul_db::budget::NewProcess {
            envelope_id: envelope.id,
            title: &title,
            budget,
            rule: input.rule,
            ballot: maeul_domain::budget::BallotConfig {
                kind,
                min_projects: min.unwrap_or(0),
                max_projects: max.unwrap_or(0),
                points: points.unwrap_or(0),
            },
            min_age: 0,
            created_by: Some(caller.id()),
        })
        .await?)
}
