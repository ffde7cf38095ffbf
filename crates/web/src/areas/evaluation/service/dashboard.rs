//! A scope's dashboard: for each child scope (or the scope itself when it has none), participation
//! (proposals, supporters), the budget (this year's envelope, awarded to tracked budget winners), tracked
//! projects and their mean progress, and the latest grade; the scope's indicators against their targets.
//! Participation also counts budget voters by their home area against its population (the budget's scope
//! figures; an area without a figure has no turnout) and forum participants by the conversation's area, with
//! the scope's own row: every voter of its subtree against its population, and the conversations held at
//! the scope itself (a district's forums belong to no neighbourhood).
use maeul_db::evaluation::{CycleRow, ForumByScope, TrackedProjectRow, TurnoutByHome};
use maeul_domain::Scope;
use maeul_domain::evaluation::GradeLetter;

use super::scope_by_code;
use super::tracking::IndicatorView;
use crate::AppState;
use crate::http::ServiceResult;

/// Who took part: budget voters against the population, and forum participants.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Participation {
    /// The population figure, when one is entered (the budget's scope figures).
    pub population: Option<i64>,
    /// Residents who voted in a participatory budget (distinct, every process).
    pub voters: i64,
    /// Ballots they cast (one per process and voter).
    pub ballots: i64,
    /// Forum conversations held (not drafts) and their participants.
    pub conversations: i64,
    pub participants: i64,
}

impl Participation {
    /// Voters per 10,000 residents (a hundredth of a percent), when the population is known.
    pub fn turnout_basis_points(&self) -> Option<i64> {
        self.population
            .filter(|p| *p > 0)
            .map(|p| (self.voters * 10_000 + p / 2) / p)
    }

    /// The turnout as shown, `12.34 %`, or `—` without a population figure.
    pub fn turnout_shown(&self) -> String {
        self.turnout_basis_points()
            .map_or_else(|| "—".into(), |b| format!("{}.{:02} %", b / 100, b % 100))
    }

    /// Sums voters, ballots and forum figures of the scopes `ids` (the population is left to the caller).
    fn of(ids: &[i64], turnout: &[TurnoutByHome], forums: &[ForumByScope]) -> Self {
        let mut p = Participation::default();
        for t in turnout.iter().filter(|t| ids.contains(&t.scope_id)) {
            p.voters += t.voters;
            p.ballots += t.ballots;
        }
        for f in forums.iter().filter(|f| ids.contains(&f.scope_id)) {
            p.conversations += f.conversations;
            p.participants += f.participants;
        }
        p
    }
}

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
    /// Voters living in the area and forums held in it.
    pub participation: Participation,
}

pub struct DashboardView {
    pub scope: Scope,
    pub areas: Vec<AreaFigures>,
    /// The scope as a whole: every voter of its subtree against its population, and the forum
    /// conversations held at the scope itself (not in any of its areas).
    pub whole: Participation,
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
    let turnout = state.db.turnout_by_home_scope(&all_ids).await?;
    let forums = state.db.forum_participation_by_scope(&all_ids).await?;
    let mut population_of = area_scopes.iter().map(|s| s.id).collect::<Vec<_>>();
    population_of.push(scope.id);
    let populations = state.db.scope_figures(&population_of).await?;
    let population = |id: i64| {
        populations
            .iter()
            .find(|f| f.scope_id == id && f.population > 0)
            .map(|f| i64::try_from(f.population).unwrap_or(i64::MAX))
    };
    let voters = Participation::of(&all_ids, &turnout, &[]);
    let held_here = Participation::of(&[scope.id], &[], &forums);
    let whole = Participation {
        population: population(scope.id),
        voters: voters.voters,
        ballots: voters.ballots,
        conversations: held_here.conversations,
        participants: held_here.participants,
    };
    let mut areas = Vec::new();
    for s in area_scopes {
        let ids = tree.subtree_ids(s.id);
        let taking_part = Participation {
            population: population(s.id),
            ..Participation::of(&ids, &turnout, &forums)
        };
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
            participation: taking_part,
            scope: s,
        });
    }
    // The indicators of the latest cycle that has any (a cycle just opened has none yet and would hide
    // the last evaluation's).
    let mut indicators = Vec::new();
    for cycle in &cycles {
        let rows = state.db.cycle_indicators(cycle.id).await?;
        if !rows.is_empty() {
            indicators = rows
                .into_iter()
                .map(|(i, p)| IndicatorView::new(i, p))
                .collect();
            break;
        }
    }
    Ok(DashboardView {
        scope,
        areas,
        whole,
        projects,
        indicators,
        cycles,
    })
}
