//! A scope's dashboard: for each child scope (or the scope itself when it has none), participation
//! (proposals, supporters), the budget (this year's envelope, awarded to tracked budget winners), tracked
//! projects and their mean progress, and the latest grade; the scope's indicators against their targets.
use maeul_db::evaluation::{CycleRow, TrackedProjectRow};
use maeul_domain::Scope;
use maeul_domain::evaluation::GradeLetter;

use super::scope_by_code;
use super::tracking::IndicatorView;
use crate::AppState;
use crate::http::ServiceResult;

/// One area's figures.
pub struct AreaFigures {
    pub scope: Scope,
    pub proposals: i64,
    pub supporters: i64,
    /// The latest envelope's amount (won).
    pub envelope: i64,
    /// Budgets of tracked projects from budget winners (won).
    pub awarded: i64,
    pub projects: i64,
    /// Mean progress of its tracked projects, percent.
    pub progress: i64,
    pub grade: Option<GradeLetter>,
}

pub struct DashboardView {
    pub scope: Scope,
    pub areas: Vec<AreaFigures>,
    pub projects: Vec<TrackedProjectRow>,
    pub indicators: Vec<IndicatorView>,
    pub cycles: Vec<CycleRow>,
}

pub async fn view(state: &AppState, code: &str) -> ServiceResult<DashboardView> {
    let scope = scope_by_code(state, code)?;
    let tree = state.scopes();
    let mut area_scopes: Vec<Scope> = tree.children(scope.id).cloned().collect();
    if area_scopes.is_empty() {
        area_scopes.push(scope.clone());
    }
    let participation = state.db.participation_by_scope().await?;
    let all_ids = tree.subtree_ids(scope.id);
    let projects = state.db.tracked_projects_in(&all_ids).await?;
    let cycles = state.db.evaluation_cycles_in(&all_ids).await?;
    let mut areas = Vec::new();
    for s in area_scopes {
        let ids = tree.subtree_ids(s.id);
        let (proposals, supporters) = participation
            .iter()
            .filter(|p| ids.contains(&p.scope_id))
            .fold((0, 0), |(a, b), p| (a + p.proposals, b + p.supporters));
        let mine: Vec<&TrackedProjectRow> = projects
            .iter()
            .filter(|p| ids.contains(&p.scope_id))
            .collect();
        let count = mine.len() as i64;
        let progress = if count == 0 {
            0
        } else {
            mine.iter().map(|p| p.progress).sum::<i64>() / count
        };
        let grade = cycles
            .iter()
            .filter(|c| c.scope_id == s.id)
            .find_map(|c| c.grade.0);
        areas.push(AreaFigures {
            envelope: state
                .db
                .latest_envelope_of(s.id)
                .await?
                .map_or(0, |e| e.amount),
            awarded: mine
                .iter()
                .filter(|p| p.origin_kind.as_deref() == Some("budget_project"))
                .map(|p| p.budget)
                .sum(),
            projects: count,
            progress,
            grade,
            proposals,
            supporters,
            scope: s,
        });
    }
    let mut indicators = Vec::new();
    if let Some(latest) = cycles.first() {
        for (i, p) in state.db.cycle_indicators(latest.id).await? {
            indicators.push(IndicatorView::new(i, p));
        }
    }
    Ok(DashboardView {
        scope,
        areas,
        projects,
        indicators,
        cycles,
    })
}
