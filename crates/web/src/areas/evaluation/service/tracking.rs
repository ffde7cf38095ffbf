//! Tracked projects: a scope's list (and the scopes below it), a project with its milestones, updates,
//! evidence and indicators; implementers report progress, other staff verify or return it.
use maeul_db::evaluation::{
    EvidenceRow, IndicatorRow, MilestoneRow, NewUpdate, PeriodRow, TrackedProjectRow, UpdateRow,
};
use maeul_domain::Scope;
use maeul_domain::account::FieldError;
use maeul_domain::evaluation::{UpdateEvent, UpdateState, achievement, roll_up_progress};

use super::{is_staff, scope_by_code, scope_by_id};
use crate::AppState;
use crate::areas::accounts::service::Fields;
use crate::http::{Caller, ServiceError, ServiceResult, signed_in};

pub struct ProjectsView {
    pub scope: Scope,
    pub projects: Vec<TrackedProjectRow>,
}

/// The tracked projects of a scope and every scope below it.
pub async fn list(state: &AppState, code: &str) -> ServiceResult<ProjectsView> {
    let scope = scope_by_code(state, code)?;
    let ids = state.scopes().subtree_ids(scope.id);
    Ok(ProjectsView {
        projects: state.db.tracked_projects_in(&ids).await?,
        scope,
    })
}

/// An indicator with its period of its cycle's year and how far it went (‰), when numeric.
pub struct IndicatorView {
    pub indicator: IndicatorRow,
    pub period: Option<PeriodRow>,
    pub achievement: Option<u64>,
}

impl IndicatorView {
    pub fn new(indicator: IndicatorRow, period: Option<PeriodRow>) -> IndicatorView {
        let achievement = period.as_ref().and_then(|p| {
            Some(achievement(
                indicator.baseline()?,
                p.target()?,
                p.actual()?,
                indicator.better,
            ))
        });
        IndicatorView {
            indicator,
            period,
            achievement,
        }
    }
}

pub struct UpdateView {
    pub update: UpdateRow,
    pub evidence: Vec<EvidenceRow>,
    /// The caller may verify or return it (staff, not its author, while submitted).
    pub may_decide: bool,
}

pub struct ProjectView {
    pub project: TrackedProjectRow,
    pub scope: Scope,
    pub milestones: Vec<MilestoneRow>,
    pub updates: Vec<UpdateView>,
    pub indicators: Vec<IndicatorView>,
    pub children: Vec<TrackedProjectRow>,
    /// The children's weighted progress (‰), when it has children.
    pub rolled_up: Option<u64>,
    /// The caller may report progress (staff of the project's scope).
    pub may_report: bool,
}

pub async fn view(
    state: &AppState,
    caller: Option<&Caller>,
    id: i64,
) -> ServiceResult<ProjectView> {
    let project = state
        .db
        .tracked_project(id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let scope = scope_by_id(state, project.scope_id)?;
    let staff = is_staff(state, caller, scope.id);
    let mut updates = Vec::new();
    for update in state.db.tracked_updates(id).await? {
        updates.push(UpdateView {
            evidence: state.db.update_evidence(update.id).await?,
            may_decide: staff
                && update.state == UpdateState::Submitted
                && caller.is_some_and(|c| c.id() != update.author_id),
            update,
        });
    }
    let children = state.db.tracked_children(id).await?;
    let rolled_up = roll_up_progress(
        &children
            .iter()
            .map(|c| (c.progress, u64::try_from(c.weight).unwrap_or(0)))
            .collect::<Vec<_>>(),
    );
    Ok(ProjectView {
        milestones: state.db.milestones(id).await?,
        indicators: state
            .db
            .project_indicators(id)
            .await?
            .into_iter()
            .map(|(i, p)| IndicatorView::new(i, p))
            .collect(),
        children,
        rolled_up,
        may_report: staff,
        updates,
        scope,
        project,
    })
}

/// What an implementer reports.
pub struct ReportInput<'a> {
    pub body: &'a str,
    pub progress: &'a str,
    pub spent: &'a str,
    pub evidence_url: &'a str,
    pub evidence_label: &'a str,
}

/// Reports progress on a project (staff of its scope): the update is written and submitted for
/// verification by someone else. Returns the update's id.
pub async fn report(
    state: &AppState,
    caller: Option<&Caller>,
    project_id: i64,
    input: &ReportInput<'_>,
) -> ServiceResult<i64> {
    let me = signed_in(caller)?;
    let project = state
        .db
        .tracked_project(project_id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    if !is_staff(state, caller, project.scope_id) {
        return Err(ServiceError::Forbidden);
    }
    let mut fields = Fields::default();
    let body = input.body.trim();
    if body.is_empty() {
        fields.add("body", FieldError::Required);
    } else if body.chars().count() > 4000 {
        fields.add("body", FieldError::TooLong { max: 4000 });
    }
    let progress = match input.progress.trim().parse::<i64>() {
        Ok(p) if (0..=100).contains(&p) => Some(p),
        _ => {
            fields.add("progress", FieldError::Invalid);
            None
        }
    };
    let spent = match input.spent.trim() {
        "" => None,
        s => match s.replace(',', "").parse::<i64>() {
            Ok(v) if v >= 0 => Some(v),
            _ => {
                fields.add("spent", FieldError::Invalid);
                None
            }
        },
    };
    let url = input.evidence_url.trim();
    if !(url.is_empty() || url.starts_with("https://") || url.starts_with("http://"))
        || url.len() > 500
    {
        fields.add("evidence_url", FieldError::Invalid);
    }
    fields.finish()?;
    let evidence: Vec<(String, String)> = if url.is_empty() {
        vec![]
    } else {
        vec![(
            url.to_owned(),
            input.evidence_label.trim().chars().take(200).collect(),
        )]
    };
    let id = state
        .db
        .create_update(&NewUpdate {
            project_id,
            author_id: me.id(),
            body,
            progress: progress.unwrap_or(0),
            spent,
            evidence: &evidence,
        })
        .await?;
    state
        .db
        .transition_update(id, me.id(), true, &UpdateEvent::Submit)
        .await?;
    Ok(id)
}

/// Verifies or returns (with a comment) a submitted update: staff of the project's scope other than its
/// author. Returns the project's id.
pub async fn decide(
    state: &AppState,
    caller: Option<&Caller>,
    update_id: i64,
    decision: &str,
    comment: &str,
) -> ServiceResult<i64> {
    let me = signed_in(caller)?;
    let update = state
        .db
        .tracked_update(update_id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let project = state
        .db
        .tracked_project(update.project_id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let staff = is_staff(state, caller, project.scope_id);
    if !staff && me.id() != update.author_id {
        return Err(ServiceError::Forbidden);
    }
    let event = match decision {
        "verify" => UpdateEvent::Verify,
        "return" => UpdateEvent::Return {
            comment: comment.trim().chars().take(2000).collect(),
        },
        _ => return Err(maeul_domain::Refusal::field("decision", FieldError::Invalid).into()),
    };
    state
        .db
        .transition_update(update_id, me.id(), staff, &event)
        .await?;
    Ok(project.id)
}

/// The project an update belongs to.
pub async fn project_of_update(state: &AppState, update_id: i64) -> ServiceResult<i64> {
    Ok(state
        .db
        .tracked_update(update_id)
        .await?
        .ok_or(ServiceError::NotFound)?
        .project_id)
}
