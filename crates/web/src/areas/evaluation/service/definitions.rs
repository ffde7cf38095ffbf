//! What staff define: a scope's evaluation cycle for a year, its indicators (level, kind, unit, direction,
//! roll-up, baseline, periods with targets), and the disaggregation of an actual. Every field is checked
//! and refused by name; nothing is written when one is refused.
use maeul_db::evaluation::{NewIndicator, NewUpdate};
use maeul_domain::Named;
use maeul_domain::account::FieldError;
use maeul_domain::evaluation::{
    self, Aggregation, Better, Dimension, IndicatorKind, IndicatorLevel, Party,
};

use super::{is_staff, party_for, scope_by_code, scope_by_id};
use crate::AppState;
use crate::areas::accounts::service::Fields;
use crate::areas::evaluation::import::{self, ImportProblem};
use crate::http::{Caller, ServiceError, ServiceResult, signed_in};

/// Opens a scope's evaluation cycle for a year (staff of the scope: its implementers, or staff above).
/// Returns the cycle's id; a second cycle for the same year is refused (`already_exists`).
pub async fn open_cycle(
    state: &AppState,
    caller: Option<&Caller>,
    code: &str,
    year: &str,
) -> ServiceResult<i64> {
    signed_in(caller)?;
    let scope = scope_by_code(state, code)?;
    if !is_staff(state, caller, scope.id) {
        return Err(ServiceError::Forbidden);
    }
    let mut fields = Fields::default();
    let year = fields.check(
        "year",
        evaluation::parse_year(year).and_then(|y| y.ok_or(FieldError::Required)),
    );
    fields.finish()?;
    let year = year.ok_or(ServiceError::Forbidden)?;
    Ok(state.db.create_evaluation_cycle(scope.id, year).await?)
}

/// An indicator as staff typed it.
#[derive(Default)]
pub struct IndicatorInput<'a> {
    pub code: &'a str,
    pub name: &'a str,
    pub level: &'a str,
    pub kind: &'a str,
    pub better: &'a str,
    pub aggregation: &'a str,
    pub unit: &'a str,
    pub project_id: &'a str,
    pub baseline_year: &'a str,
    pub baseline: &'a str,
    pub target: &'a str,
    /// Later periods, one a line: `YEAR TARGET`.
    pub periods: &'a str,
}

fn named<T: Named>(fields: &mut Fields, field: &'static str, input: &str) -> Option<T> {
    let v = T::parse(input.trim());
    if v.is_none() {
        fields.add(field, FieldError::Invalid);
    }
    v
}

/// Adds an indicator to a cycle: its implementers, while indicators are defined (an evaluator is
/// refused by the domain, `evaluator_cannot_edit_indicators`). Returns the indicator's id.
pub async fn add_indicator(
    state: &AppState,
    caller: Option<&Caller>,
    cycle_id: i64,
    input: &IndicatorInput<'_>,
) -> ServiceResult<i64> {
    let cycle = state
        .db
        .evaluation_cycle(cycle_id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let scope = scope_by_id(state, cycle.scope_id)?;
    let party = party_for(state, caller, &scope, Party::Implementer)?;
    // The turn is checked before the input, so an evaluator hears why, whatever they typed.
    evaluation::check_indicator_edit(cycle.state, party).map_err(maeul_domain::Refusal::from)?;
    let mut f = Fields::default();
    let code = f.check("code", evaluation::check_code(input.code));
    let name = f.check("name", evaluation::check_prompt(input.name));
    let level: Option<IndicatorLevel> = named(&mut f, "level", input.level);
    let kind: Option<IndicatorKind> = named(&mut f, "kind", input.kind);
    let better: Option<Better> = named(&mut f, "better", input.better);
    let aggregation: Option<Aggregation> = named(&mut f, "aggregation", input.aggregation);
    let unit: String = input.unit.trim().chars().take(20).collect();
    let project_id = match input.project_id.trim() {
        "" => None,
        t => match t.parse::<i64>() {
            Ok(id)
                if state.db.tracked_project(id).await?.is_some_and(|p| {
                    state.scopes().subtree_ids(scope.id).contains(&p.scope_id)
                }) =>
            {
                Some(id)
            }
            _ => {
                f.add("project_id", FieldError::Invalid);
                None
            }
        },
    };
    let baseline_year = f.check("baseline_year", evaluation::parse_year(input.baseline_year));
    let baseline = f.check("baseline", evaluation::parse_number(input.baseline));
    if baseline_year.flatten().is_some() != baseline.flatten().is_some() {
        f.add(
            if baseline_year.flatten().is_none() {
                "baseline_year"
            } else {
                "baseline"
            },
            FieldError::Required,
        );
    }
    let target = f.check("target", evaluation::parse_number(input.target));
    let periods = f.check("periods", evaluation::parse_periods(input.periods));
    if periods
        .as_ref()
        .is_some_and(|p| p.iter().any(|(y, _)| *y <= cycle.year))
    {
        f.add("periods", FieldError::Invalid);
    }
    f.finish()?;
    let (Some(code), Some(name), Some(level), Some(kind), Some(better), Some(aggregation)) =
        (code, name, level, kind, better, aggregation)
    else {
        return Err(ServiceError::Forbidden);
    };
    let id = state
        .db
        .add_indicator(
            &NewIndicator {
                cycle_id,
                project_id,
                code: &code,
                name: &name,
                level,
                kind,
                better,
                aggregation,
                unit: &unit,
                baseline: baseline_year.flatten().zip(baseline.flatten()),
                target: target.flatten(),
            },
            party,
        )
        .await?;
    for (year, target) in periods.unwrap_or_default() {
        state.db.set_period_target(id, year, target, party).await?;
    }
    Ok(id)
}

/// Records the breakdown of an indicator's actual along one dimension: its implementers, while
/// measuring. Returns the cycle's id.
pub async fn disaggregate(
    state: &AppState,
    caller: Option<&Caller>,
    indicator_id: i64,
    dimension: &str,
    breakdown: &str,
) -> ServiceResult<i64> {
    let indicator = state
        .db
        .indicator(indicator_id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let cycle = state
        .db
        .evaluation_cycle(indicator.cycle_id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let scope = scope_by_id(state, cycle.scope_id)?;
    let party = party_for(state, caller, &scope, Party::Implementer)?;
    evaluation::check_actual_entry(cycle.state, party).map_err(maeul_domain::Refusal::from)?;
    let mut f = Fields::default();
    let dimension: Option<Dimension> = named(&mut f, "dimension", dimension);
    let values = f.check(
        "breakdown",
        evaluation::parse_breakdown(breakdown).and_then(|v| {
            if v.is_empty() {
                Err(FieldError::Required)
            } else {
                Ok(v)
            }
        }),
    );
    f.finish()?;
    let (Some(dimension), Some(values)) = (dimension, values) else {
        return Err(ServiceError::Forbidden);
    };
    state
        .db
        .set_disaggregation(indicator_id, dimension, &values, party)
        .await?;
    Ok(cycle.id)
}

/// May the caller import updates for a scope's projects (its staff)?
pub fn may_import(state: &AppState, caller: Option<&Caller>, scope_id: i64) -> bool {
    is_staff(state, caller, scope_id)
}

/// Imports a CSV file of updates for the tracked projects of a scope and the scopes below it (staff of
/// the scope), all or nothing: every row is parsed and checked — its project one of the scope's, the
/// caller staff of it — and when any is refused nothing is written and every problem is returned, named
/// by its line and column. Imported updates are submitted for verification by someone else.
pub async fn import_updates(
    state: &AppState,
    caller: Option<&Caller>,
    code: &str,
    data: &[u8],
) -> ServiceResult<Result<Vec<i64>, Vec<ImportProblem>>> {
    let me = signed_in(caller)?;
    let scope = scope_by_code(state, code)?;
    if !is_staff(state, caller, scope.id) {
        return Err(ServiceError::Forbidden);
    }
    let (rows, mut problems) = import::parse(data);
    let below = state.scopes().subtree_ids(scope.id);
    for row in &rows {
        let ours = match state.db.tracked_project(row.project_id).await? {
            Some(p) => below.contains(&p.scope_id) && is_staff(state, caller, p.scope_id),
            None => false,
        };
        if !ours {
            problems.push(ImportProblem::Field {
                line: row.line,
                column: "project_id",
                error: FieldError::Invalid,
            });
        }
    }
    if !problems.is_empty() {
        problems.sort_by_key(|p| match p {
            ImportProblem::Field { line, .. } | ImportProblem::Unreadable { line } => *line,
            _ => 0,
        });
        return Ok(Err(problems));
    }
    let evidence: Vec<Vec<(String, String)>> = rows
        .iter()
        .map(|r| r.evidence.clone().into_iter().collect())
        .collect();
    let updates: Vec<NewUpdate> = rows
        .iter()
        .zip(&evidence)
        .map(|(r, e)| NewUpdate {
            project_id: r.project_id,
            author_id: me.id(),
            body: &r.body,
            progress: r.progress,
            spent: r.spent,
            evidence: e,
        })
        .collect();
    Ok(Ok(state.db.import_updates(&updates).await?))
}
