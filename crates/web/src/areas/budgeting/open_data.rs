//! Open data: a process's projects as CSV, with each project's fate once the vote is counted (funded or
//! not, and its place in the order of selection).
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};

use super::service;
use crate::AppState;
use crate::http::csv::{Cell, CsvWriter};
use crate::http::{PageError, PagePath};

/// `/budgets/{id}/projects.csv`.
pub async fn projects_csv(
    State(state): State<AppState>,
    PagePath(id): PagePath<i64>,
) -> Result<Response, PageError> {
    let (process, _) = service::load(&state, id).await?;
    let projects = service::public_projects(&state, &process).await?;
    let selected = state.db.budget_result(id).await?.map(|r| r.selected_ids());
    let written = (|| {
        let mut w = CsvWriter::default();
        w.row(
            [
                "project_id",
                "title",
                "category",
                "location",
                "cost_won",
                "months",
                "state",
                "funded",
                "selection_order",
            ]
            .map(Cell::from),
        )?;
        for p in &projects {
            let months = p.months.map(|m| m.to_string()).unwrap_or_default();
            let rank = selected
                .as_ref()
                .and_then(|s| s.iter().position(|x| *x == p.id));
            let funded = match (&selected, rank) {
                (None, _) => "",
                (Some(_), Some(_)) => "yes",
                (Some(_), None) => "no",
            };
            let order = rank.map(|r| (r + 1).to_string()).unwrap_or_default();
            w.row([
                Cell::Number(p.id),
                Cell::from(p.title.as_str()),
                Cell::from(p.category.as_str()),
                Cell::from(p.location.as_str()),
                Cell::Number(p.cost),
                Cell::from(months.as_str()),
                Cell::from(p.state.as_str()),
                Cell::from(funded),
                Cell::from(order.as_str()),
            ])?;
        }
        w.finish()
    })();
    let body = written.map_err(|e| {
        tracing::error!(error = %e, "budget projects CSV failed");
        PageError::Internal
    })?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"budget-{id}-projects.csv\""),
            ),
        ],
        body,
    )
        .into_response())
}

/// `/budgets/{id}/result.csv`: the funded projects in the order the rule selected them, with the running
/// total (409 before the count, like the result page).
pub async fn result_csv(
    State(state): State<AppState>,
    PagePath(id): PagePath<i64>,
) -> Result<Response, PageError> {
    let view = service::result(&state, id).await?;
    let written = (|| {
        let mut w = CsvWriter::default();
        w.row(
            [
                "selection_order",
                "project_id",
                "title",
                "cost_won",
                "cumulative_won",
                "rule",
            ]
            .map(Cell::from),
        )?;
        let mut total = 0;
        for (rank, pid) in view.result.selected_ids().into_iter().enumerate() {
            let Some(p) = view.projects.iter().find(|p| p.id == pid) else {
                continue;
            };
            total += p.cost;
            w.row([
                Cell::Number(rank as i64 + 1),
                Cell::Number(p.id),
                Cell::from(p.title.as_str()),
                Cell::Number(p.cost),
                Cell::Number(total),
                Cell::from(view.result.rule.as_str()),
            ])?;
        }
        w.finish()
    })();
    let body = written.map_err(|e| {
        tracing::error!(error = %e, "budget result CSV failed");
        PageError::Internal
    })?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"budget-{id}-result.csv\""),
            ),
        ],
        body,
    )
        .into_response())
}
