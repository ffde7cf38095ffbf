//! Yearly plans: a scope's plans, the plan with its sections, projects (from adopted items), budget
//! lines, revisions, consultation comments and history; drafting, the scope's steps and the consulting
//! level's steps.
use maeul_db::plan::{
    BudgetLineRow, IndicatorRow, ItemRow, NewProject, PlanAction, PlanCommentRow, PlanRow,
    PlanTransitionRow, ProjectRow, RevisionRow, SectionRow,
};
use maeul_domain::account::FieldError;
use maeul_domain::plan::{BudgetSource, ItemState, PlanRefusal, PlanState, SectionKind};
use maeul_domain::proposal::input::parse_title;
use maeul_domain::{Action, Refusal, Scope, ScopeKind};

use super::items::may_manage;
use super::{scope_by_code, scope_by_id};
use crate::AppState;
use crate::areas::accounts::service::Fields;
use crate::http::{Caller, ServiceError, ServiceResult, signed_in};

/// May the caller consult on a scope's plans? Officials of its parent do (the city for a district, the
/// district for a neighbourhood).
pub fn may_consult(state: &AppState, caller: Option<&Caller>, scope: &Scope) -> bool {
    scope.parent_id.is_some_and(|parent| {
        caller.is_some_and(|c| c.may(&state.scopes(), Action::ConsultPlans, parent))
    })
}

/// A scope's plans.
pub struct PlansView {
    pub scope: Scope,
    pub plans: Vec<PlanRow>,
    pub may_create: bool,
}

pub async fn list(
    state: &AppState,
    caller: Option<&Caller>,
    code: &str,
) -> ServiceResult<PlansView> {
    let scope = scope_by_code(state, code)?;
    Ok(PlansView {
        plans: state.db.plans_of(scope.id).await?,
        may_create: scope.kind != ScopeKind::City && may_manage(state, caller, scope.id),
        scope,
    })
}

/// The plan of a scope for a year.
pub async fn find(state: &AppState, code: &str, year: i64) -> ServiceResult<PlanRow> {
    let scope = scope_by_code(state, code)?;
    state
        .db
        .plan_for(scope.id, year)
        .await?
        .ok_or(ServiceError::NotFound)
}

/// Opens a scope's plan for a year (staff of a district or a neighbourhood); returns its id.
pub async fn create(
    state: &AppState,
    caller: Option<&Caller>,
    code: &str,
    year: &str,
    title: &str,
) -> ServiceResult<i64> {
    let me = signed_in(caller)?;
    let scope = scope_by_code(state, code)?;
    me.require(&state.scopes(), Action::ManageAgenda, scope.id)?;
    if scope.kind == ScopeKind::City {
        return Err(Refusal::Plan(PlanRefusal::NoPlanAtThisLevel).into());
    }
    let mut fields = Fields::default();
    let year = match year.trim().parse::<i64>() {
        Ok(y) if maeul_domain::plan::check_year(y).is_ok() => Some(y),
        _ => {
            fields.add("year", FieldError::Invalid);
            None
        }
    };
    let title = fields.check("title", parse_title(title));
    fields.finish()?;
    let (Some(year), Some(title)) = (year, title) else {
        unreachable!("checked above")
    };
    // The 3-year basic plan that contains this year (2026–2028, 2029–2031, …).
    let basic_plan_start = year - (year - 2026).rem_euclid(3);
    Ok(state
        .db
        .create_plan(scope.id, year, basic_plan_start, &title, Some(me.id()))
        .await?)
}

pub struct ProjectView {
    pub project: ProjectRow,
    pub items: Vec<ItemRow>,
    pub lines: Vec<BudgetLineRow>,
    pub indicators: Vec<IndicatorRow>,
    pub total: i64,
}

/// A plan with everything its page, its API and its exports show.
pub struct PlanView {
    pub plan: PlanRow,
    pub scope: Scope,
    pub sections: Vec<SectionRow>,
    pub projects: Vec<ProjectView>,
    pub revisions: Vec<RevisionRow>,
    pub comments: Vec<PlanCommentRow>,
    pub transitions: Vec<PlanTransitionRow>,
    /// Totals by source over every project.
    pub totals: Vec<(BudgetSource, i64)>,
    pub may_edit: bool,
    pub may_steer: bool,
    pub may_consult: bool,
    /// Adopted items held by the scope, not yet in a project of this plan.
    pub adoptable: Vec<ItemRow>,
    /// Carried motions of the scope's committees (id, title, committee), to resolve the plan.
    pub motions: Vec<(i64, String, String)>,
    /// For each revision after the first: its number, the lines removed and the lines added since the
    /// revision before.
    pub changes: Vec<RevisionChange>,
}

pub struct RevisionChange {
    pub number: i64,
    pub removed: Vec<String>,
    pub added: Vec<String>,
}

fn changes(revisions: &[RevisionRow]) -> Vec<RevisionChange> {
    revisions
        .windows(2)
        .map(|pair| {
            let (removed, added) =
                maeul_domain::plan::diff_lines(&pair[0].snapshot, &pair[1].snapshot);
            RevisionChange {
                number: pair[1].number,
                removed: removed.into_iter().map(String::from).collect(),
                added: added.into_iter().map(String::from).collect(),
            }
        })
        .collect()
}

pub async fn view(state: &AppState, caller: Option<&Caller>, id: i64) -> ServiceResult<PlanView> {
    let plan = state.db.plan(id).await?.ok_or(ServiceError::NotFound)?;
    let scope = scope_by_id(state, plan.scope_id)?;
    let pairs = state.db.plan_project_items(id).await?;
    let lines = state.db.plan_budget_lines(id).await?;
    let indicators = state.db.plan_indicators(id).await?;
    let mut projects = vec![];
    for project in state.db.plan_projects(id).await? {
        let mut items = vec![];
        for (_, item) in pairs.iter().filter(|(p, _)| *p == project.id) {
            if let Some(row) = state.db.plan_item(*item).await? {
                items.push(row);
            }
        }
        let mine: Vec<BudgetLineRow> = lines
            .iter()
            .filter(|l| l.project_id == project.id)
            .cloned()
            .collect();
        projects.push(ProjectView {
            total: mine.iter().map(|l| l.amount).sum(),
            lines: mine,
            indicators: indicators
                .iter()
                .filter(|x| x.project_id == project.id)
                .cloned()
                .collect(),
            items,
            project,
        });
    }
    let totals = BudgetSource::ALL
        .into_iter()
        .map(|s| {
            (
                s,
                lines
                    .iter()
                    .filter(|l| l.source == s)
                    .map(|l| l.amount)
                    .sum(),
            )
        })
        .collect();
    let may_steer = may_manage(state, caller, scope.id);
    let may_edit = may_steer && plan.state.is_editable();
    let (adoptable, motions) = if may_steer {
        let used: Vec<i64> = pairs.iter().map(|(_, i)| *i).collect();
        let adoptable = state
            .db
            .plan_items_touching(scope.id)
            .await?
            .into_iter()
            .filter(|i| {
                i.state == ItemState::Adopted && i.scope_id == scope.id && !used.contains(&i.id)
            })
            .collect();
        (adoptable, state.db.carried_motions_in(scope.id).await?)
    } else {
        (vec![], vec![])
    };
    let revisions = state.db.plan_revisions(id).await?;
    Ok(PlanView {
        sections: state.db.plan_sections(id).await?,
        changes: changes(&revisions),
        revisions,
        comments: state.db.plan_comments(id).await?,
        transitions: state.db.plan_transitions(id).await?,
        may_consult: may_consult(state, caller, &scope),
        totals,
        may_edit,
        may_steer,
        adoptable,
        motions,
        projects,
        plan,
        scope,
    })
}

async fn load_for_edit(
    state: &AppState,
    caller: Option<&Caller>,
    id: i64,
) -> ServiceResult<PlanRow> {
    let me = signed_in(caller)?;
    let plan = state.db.plan(id).await?.ok_or(ServiceError::NotFound)?;
    me.require(&state.scopes(), Action::ManageAgenda, plan.scope_id)?;
    Ok(plan)
}

/// Writes a section of the plan (drafting or revising).
pub async fn set_section(
    state: &AppState,
    caller: Option<&Caller>,
    id: i64,
    kind: &str,
    body: &str,
) -> ServiceResult<()> {
    let plan = load_for_edit(state, caller, id).await?;
    let kind =
        SectionKind::parse(kind).ok_or_else(|| Refusal::field("section", FieldError::Invalid))?;
    if body.chars().count() > 10_000 {
        return Err(Refusal::field("section_body", FieldError::TooLong { max: 10_000 }).into());
    }
    Ok(state
        .db
        .set_plan_section(plan.id, kind, body.trim())
        .await?)
}

/// A project as submitted: one adopted item, its text and one amount per source (empty: none).
pub struct ProjectInput<'a> {
    pub item: &'a str,
    pub title: &'a str,
    pub objective: &'a str,
    pub lead_department: &'a str,
    pub partners: &'a str,
    pub schedule: &'a str,
    pub amounts: [(BudgetSource, &'a str); 3],
    pub indicator: &'a str,
}

fn short_text(fields: &mut Fields, field: &'static str, value: &str) -> String {
    let value = value.trim();
    if value.chars().count() > 500 {
        fields.add(field, FieldError::TooLong { max: 500 });
    }
    value.to_owned()
}

/// Adds a project derived from an adopted item of the scope (drafting or revising).
pub async fn add_project(
    state: &AppState,
    caller: Option<&Caller>,
    id: i64,
    f: &ProjectInput<'_>,
) -> ServiceResult<i64> {
    let plan = load_for_edit(state, caller, id).await?;
    let mut fields = Fields::default();
    let item = match f.item.trim().parse::<i64>() {
        Ok(i) => Some(i),
        Err(_) => {
            fields.add("project_item", FieldError::Required);
            None
        }
    };
    let title = fields.check("project_title", parse_title(f.title));
    let objective = short_text(&mut fields, "objective", f.objective);
    let lead = short_text(&mut fields, "lead_department", f.lead_department);
    let partners = short_text(&mut fields, "partners", f.partners);
    let schedule = short_text(&mut fields, "schedule", f.schedule);
    let indicator = short_text(&mut fields, "indicator", f.indicator);
    let mut lines = vec![];
    for (source, amount) in f.amounts {
        let field = match source {
            BudgetSource::CityGrant => "city_grant",
            BudgetSource::OwnFunds => "own_funds",
            BudgetSource::PbEnvelope => "pb_envelope",
        };
        let amount = amount.trim().replace(',', "");
        if amount.is_empty() {
            continue;
        }
        match amount.parse::<i64>() {
            Ok(a) if (0..=1_000_000_000_000).contains(&a) => lines.push((source, a, "")),
            _ => fields.add(field, FieldError::Invalid),
        }
    }
    fields.finish()?;
    let (Some(item), Some(title)) = (item, title) else {
        unreachable!("checked above")
    };
    let indicators: Vec<&str> = if indicator.is_empty() {
        vec![]
    } else {
        vec![indicator.as_str()]
    };
    let result = state
        .db
        .add_plan_project(&NewProject {
            plan_id: plan.id,
            title: &title,
            objective: &objective,
            lead_department: &lead,
            partners: &partners,
            schedule: &schedule,
            item_ids: &[item],
            budget_lines: &lines,
            indicators: &indicators,
        })
        .await;
    match result {
        // The item chosen is the field at fault.
        Err(maeul_db::DbError::Refused(Refusal::Plan(PlanRefusal::ItemNotAdopted))) => {
            Err(Refusal::field("project_item", FieldError::Invalid).into())
        }
        other => Ok(other?),
    }
}

/// A plan step as submitted: `resolve` (with a carried motion), `submit`, `open_consultation`,
/// `request_adjustment` (with a comment), `resubmit`, `approve` (with the granted amount), `execute`,
/// `close`, `evaluate`, `archive`.
pub struct PlanStepInput<'a> {
    pub event: &'a str,
    pub motion: &'a str,
    pub comment: &'a str,
    pub granted: &'a str,
}

/// Moves a plan along: the consulting level (officials of the parent scope) opens the consultation,
/// requests adjustments and approves; the scope's staff do everything else.
pub async fn step(
    state: &AppState,
    caller: Option<&Caller>,
    id: i64,
    f: &PlanStepInput<'_>,
) -> ServiceResult<PlanState> {
    let me = signed_in(caller)?;
    let plan = state.db.plan(id).await?.ok_or(ServiceError::NotFound)?;
    let scope = scope_by_id(state, plan.scope_id)?;
    // Those with no say over the plan are refused before their input is read.
    if !may_manage(state, Some(me), scope.id) && !may_consult(state, Some(me), &scope) {
        return Err(ServiceError::Forbidden);
    }
    let mut fields = Fields::default();
    let action = match f.event {
        "resolve" => match f.motion.trim().parse::<i64>() {
            Ok(motion_id) => PlanAction::Resolve { motion_id },
            Err(_) => {
                fields.add("motion", FieldError::Required);
                PlanAction::Submit
            }
        },
        "submit" => PlanAction::Submit,
        "open_consultation" => PlanAction::OpenConsultation,
        "request_adjustment" => {
            let comment = f.comment.trim();
            if comment.is_empty() {
                fields.add("comment", FieldError::Required);
            } else if comment.chars().count() > 2_000 {
                fields.add("comment", FieldError::TooLong { max: 2_000 });
            }
            PlanAction::RequestAdjustment {
                comment: comment.to_owned(),
            }
        }
        "resubmit" => PlanAction::Resubmit,
        "approve" => match f.granted.trim().replace(',', "").parse::<i64>() {
            Ok(granted) if granted >= 0 => PlanAction::Approve { granted },
            _ => {
                fields.add("granted", FieldError::Invalid);
                PlanAction::Submit
            }
        },
        "execute" => PlanAction::Execute,
        "close" => PlanAction::Close,
        "evaluate" => PlanAction::Evaluate,
        "archive" => PlanAction::Archive,
        _ => return Err(Refusal::field("event", FieldError::Invalid).into()),
    };
    let by_level_above = matches!(
        action,
        PlanAction::OpenConsultation
            | PlanAction::RequestAdjustment { .. }
            | PlanAction::Approve { .. }
    ) || f.event == "approve";
    let allowed = if by_level_above {
        may_consult(state, Some(me), &scope)
    } else {
        may_manage(state, Some(me), scope.id)
    };
    if !allowed {
        return Err(ServiceError::Forbidden);
    }
    fields.finish()?;
    Ok(state.db.transition_plan(id, Some(me.id()), &action).await?)
}
