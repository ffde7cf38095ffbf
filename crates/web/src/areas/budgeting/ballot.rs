//! The ballot page (works without JavaScript: checkboxes for approval and knapsack, numbers for points
//! and ranks; `static/ballot.js` only keeps the counter and budget bar live), the result page with each
//! project's fate in plain words, and the election's `.pb` file.
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};
use maeul_db::budget::{ProcessRow, ProjectRow};
use maeul_domain::Scope;
use maeul_domain::budget::{BallotKind, StoredBallot};

use super::service;
use super::views::{explanation_by_project, fate_sentences, won};
use crate::AppState;
use crate::http::{Alert, Crumbs, CsrfForm, Ctx, PageError, PagePath, ServiceError, render};

/// A project on the ballot with what the voter's current ballot gives it.
pub struct BallotLine {
    pub project: ProjectRow,
    pub chosen: bool,
    /// Points (cumulative) or rank (ranking), as typed.
    pub value: String,
}

#[derive(askama::Template)]
#[template(path = "budgeting/ballot.html")]
struct BallotPage<'a> {
    ctx: &'a Ctx,
    crumbs: Crumbs,
    p: ProcessRow,
    lines: Vec<BallotLine>,
    eligible: bool,
    /// Why the signed-in caller may not vote, translated.
    ineligible: Option<String>,
    open: bool,
    voted: bool,
    /// Staff of the scope may enter paper ballots.
    may_enter_paper: bool,
    alert: Option<Alert>,
    /// The voter field of the paper-ballot form, refused.
    voter_error: Option<String>,
}

impl BallotPage<'_> {
    fn won(&self, amount: impl super::views::Amount) -> String {
        won(amount.amount())
    }
    fn is(&self, kind: &str) -> bool {
        self.p.ballot_kind.as_str() == kind
    }
    /// How many projects the ballot as shown chooses (the counter; `ballot.js` keeps it live).
    fn chosen_count(&self) -> usize {
        self.lines.iter().filter(|l| l.chosen).count()
    }
    /// What the chosen projects cost together (the budget bar).
    fn chosen_cost(&self) -> i64 {
        self.lines
            .iter()
            .filter(|l| l.chosen)
            .map(|l| l.project.cost)
            .sum()
    }
    /// A knapsack ballot may not cost more than the budget: the page says so before it is sent.
    fn over_budget(&self) -> bool {
        self.chosen_cost() > self.p.budget
    }
}

fn crumbs(ctx: &Ctx, scope: &Scope, p: &ProcessRow, current: String) -> Crumbs {
    Crumbs::within(ctx, scope)
        .link(
            format!("/scopes/{}/budget", scope.code),
            ctx.t("budget-scope-title"),
        )
        .link(format!("/budgets/{}", p.id), &p.title)
        .current(current)
}

async fn ballot_page(
    state: &AppState,
    ctx: &Ctx,
    id: i64,
    typed: Option<StoredBallot>,
    alert: Option<Alert>,
) -> Result<Response, PageError> {
    ballot_page_with(state, ctx, id, typed, alert, None).await
}

async fn ballot_page_with(
    state: &AppState,
    ctx: &Ctx,
    id: i64,
    typed: Option<StoredBallot>,
    alert: Option<Alert>,
    voter_error: Option<String>,
) -> Result<Response, PageError> {
    let v = service::view(state, ctx.caller(), id).await?;
    let projects = service::ballot_projects(state, id).await?;
    let shown = typed.or_else(|| v.my_ballot.clone());
    let lines = projects
        .into_iter()
        .map(|project| {
            let (chosen, value) = match &shown {
                Some(StoredBallot::Projects(ids)) => {
                    match ids.iter().position(|x| *x == project.id) {
                        Some(i) if v.process.ballot_kind == BallotKind::Ranking => {
                            (true, (i + 1).to_string())
                        }
                        Some(_) => (true, String::new()),
                        None => (false, String::new()),
                    }
                }
                Some(StoredBallot::Points(points)) => points
                    .iter()
                    .find(|(x, _)| *x == project.id)
                    .map_or((false, String::new()), |(_, n)| (true, n.to_string())),
                None => (false, String::new()),
            };
            BallotLine {
                project,
                chosen,
                value,
            }
        })
        .collect();
    let status = match (&alert, &voter_error) {
        (Some(a), _) => a.status,
        (None, Some(_)) => axum::http::StatusCode::UNPROCESSABLE_ENTITY,
        (None, None) => axum::http::StatusCode::OK,
    };
    let page = render(&BallotPage {
        crumbs: crumbs(ctx, &v.scope, &v.process, ctx.t("budget-ballot-title")),
        ctx,
        eligible: v.eligible,
        ineligible: v
            .ineligible
            .as_ref()
            .map(|r| ctx.message(&crate::i18n::Message::refusal(r))),
        open: v.process.phase.takes_ballots(),
        voted: v.my_ballot.is_some(),
        may_enter_paper: v.may_manage,
        p: v.process,
        lines,
        alert,
        voter_error,
    })?;
    Ok((status, page).into_response())
}

/// `/budgets/{id}/ballot`.
pub async fn show(
    State(state): State<AppState>,
    ctx: Ctx,
    PagePath(id): PagePath<i64>,
) -> Result<Response, PageError> {
    ballot_page(&state, &ctx, id, None, None).await
}

/// Reads the ballot form: `project` checkboxes (approval, knapsack), `points-{id}` or `rank-{id}` numbers.
/// `None` when a number is not one.
pub fn read_form(kind: BallotKind, pairs: &[(String, String)]) -> Option<StoredBallot> {
    match kind {
        BallotKind::Approval | BallotKind::Knapsack => pairs
            .iter()
            .filter(|(k, _)| k == "project")
            .map(|(_, v)| v.parse().ok())
            .collect::<Option<Vec<i64>>>()
            .map(StoredBallot::Projects),
        BallotKind::Cumulative => {
            let mut points = Vec::new();
            for (k, v) in pairs {
                if let Some(id) = k.strip_prefix("points-") {
                    if v.trim().is_empty() {
                        continue;
                    }
                    let n: u32 = v.trim().parse().ok()?;
                    if n > 0 {
                        points.push((id.parse().ok()?, n));
                    }
                }
            }
            Some(StoredBallot::Points(points))
        }
        BallotKind::Ranking => {
            let mut ranks = Vec::new();
            for (k, v) in pairs {
                if let Some(id) = k.strip_prefix("rank-") {
                    if v.trim().is_empty() {
                        continue;
                    }
                    let r: u32 = v.trim().parse().ok()?;
                    ranks.push((r, id.parse::<i64>().ok()?));
                }
            }
            ranks.sort();
            Some(StoredBallot::Projects(
                ranks.into_iter().map(|(_, id)| id).collect(),
            ))
        }
    }
}

/// Casts the ballot from the form.
pub async fn cast(
    State(state): State<AppState>,
    ctx: Ctx,
    PagePath(id): PagePath<i64>,
    CsrfForm(pairs): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let (process, _) = service::load(&state, id).await?;
    let Some(ballot) = read_form(process.ballot_kind, &pairs) else {
        return Err(PageError::BadRequest(crate::i18n::Message::id(
            "request-error-form",
        )));
    };
    match service::cast(&state, ctx.caller(), id, &ballot).await {
        Ok(_) => {
            Ok(Redirect::to(&format!("/budgets/{id}?notice=budget-notice-voted")).into_response())
        }
        Err(ServiceError::Refused(r)) => {
            ballot_page(
                &state,
                &ctx,
                id,
                Some(ballot),
                Some(Alert::refusal(&ctx, &r)),
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

/// Staff enter a paper ballot for a resident named by e-mail (`voter`).
pub async fn cast_paper(
    State(state): State<AppState>,
    ctx: Ctx,
    PagePath(id): PagePath<i64>,
    CsrfForm(pairs): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let (process, _) = service::load(&state, id).await?;
    let voter = pairs
        .iter()
        .find(|(k, _)| k == "voter")
        .map(|(_, v)| v.clone())
        .unwrap_or_default();
    let Some(ballot) = read_form(process.ballot_kind, &pairs) else {
        return Err(PageError::BadRequest(crate::i18n::Message::id(
            "request-error-form",
        )));
    };
    match service::cast_paper(&state, ctx.caller(), id, &voter, &ballot).await {
        Ok(_) => {
            Ok(Redirect::to(&format!("/budgets/{id}?notice=budget-notice-paper")).into_response())
        }
        Err(ServiceError::Refused(r)) if !r.fields().is_empty() => {
            let text = ctx.message(&crate::i18n::Message::id("budget-error-no-such-voter"));
            ballot_page_with(&state, &ctx, id, None, None, Some(text)).await
        }
        Err(ServiceError::Refused(r)) => {
            ballot_page(&state, &ctx, id, None, Some(Alert::refusal(&ctx, &r))).await
        }
        Err(e) => Err(e.into()),
    }
}

/// A funded or unfunded project with its fate in words.
pub struct Fated {
    pub project: ProjectRow,
    pub sentences: Vec<String>,
}

/// A neighbourhood's turnout.
pub struct TurnoutLine {
    pub name: String,
    pub voters: i64,
    /// Percentage of the population, where known.
    pub share: Option<String>,
}

#[derive(askama::Template)]
#[template(path = "budgeting/result.html")]
struct ResultPage<'a> {
    ctx: &'a Ctx,
    crumbs: Crumbs,
    p: ProcessRow,
    funded: Vec<Fated>,
    others: Vec<Fated>,
    total: i64,
    leftover: i64,
    ballots: i64,
    turnout: Vec<TurnoutLine>,
    command: String,
}

impl ResultPage<'_> {
    fn won(&self, amount: impl super::views::Amount) -> String {
        won(amount.amount())
    }
}

/// `/budgets/{id}/result`: the stored result, never recomputed.
pub async fn result(
    State(state): State<AppState>,
    ctx: Ctx,
    PagePath(id): PagePath<i64>,
) -> Result<Response, PageError> {
    let v = service::result(&state, id).await?;
    let explained = explanation_by_project(&v.result.explanation);
    let fate = |project: &ProjectRow| {
        explained
            .iter()
            .find(|(pid, _, _)| *pid == project.id)
            .map(|(_, _, fates)| fate_sentences(&ctx, fates))
            .unwrap_or_default()
    };
    let selected = v.result.selected_ids();
    let funded = selected
        .iter()
        .filter_map(|id| v.projects.iter().find(|p| p.id == *id))
        .map(|p| Fated {
            sentences: fate(p),
            project: p.clone(),
        })
        .collect();
    let others = v
        .projects
        .iter()
        .filter(|p| !selected.contains(&p.id))
        .map(|p| Fated {
            sentences: fate(p),
            project: p.clone(),
        })
        .collect();
    let tree = ctx.scopes.clone();
    let turnout = v
        .turnout
        .iter()
        .map(|t| {
            let population = t
                .home_scope
                .and_then(|h| v.population.iter().find(|(s, _)| *s == h))
                .map(|(_, n)| *n)
                .filter(|n| *n > 0);
            TurnoutLine {
                name: t
                    .home_scope
                    .and_then(|h| tree.get(h))
                    .map_or_else(|| ctx.t("budget-turnout-elsewhere"), |s| ctx.scope_name(s)),
                voters: t.voters,
                share: population.map(|n| format!("{:.2}", t.voters as f64 * 100.0 / n as f64)),
            }
        })
        .collect();
    let command = format!(
        "maeul pb tally budget-{id}.pb --rule {} --json",
        v.result.rule
    );
    render(&ResultPage {
        crumbs: crumbs(&ctx, &v.scope, &v.process, ctx.t("budget-result-title")),
        ctx: &ctx,
        total: v.result.total_cost,
        leftover: v.process.budget - v.result.total_cost,
        ballots: v.result.ballots,
        p: v.process,
        funded,
        others,
        turnout,
        command,
    })
}

/// `/budgets/{id}/election.pb`: the election as pabulib, for anyone to count again.
pub async fn election_file(
    State(state): State<AppState>,
    PagePath(id): PagePath<i64>,
) -> Result<Response, PageError> {
    let text = service::election_file(&state, id).await?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/plain; charset=utf-8".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"budget-{id}.pb\""),
            ),
        ],
        text,
    )
        .into_response())
}
