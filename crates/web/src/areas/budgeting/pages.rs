//! The budget's pages: a scope's envelope with its formula, a process with its projects and the steps the
//! caller may take (submit, review, move the phase), and the forms' handlers.
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use maeul_db::attachments::AttachmentInfo;
use maeul_db::budget::{CitedMotion, EnvelopeRow, PhaseLogRow, ProcessRow, ProjectRow, ResultRow};
use maeul_domain::budget::{BallotKind, Phase, ProjectState, Term};
use maeul_domain::{Refusal, Scope};
use serde::Deserialize;

use super::service::{self, ProjectInput};
use super::views::won;
use crate::AppState;
use crate::http::{
    Alert, Crumbs, CsrfForm, Ctx, FormErrors, PageError, PagePath, PageQuery, ServiceError,
    after_form, notice, page_status, render,
};

pub const NOTICES: &[&str] = &[
    "budget-notice-saved",
    "budget-notice-submitted",
    "budget-notice-voted",
    "budget-notice-paper",
    "budget-notice-attached",
    "budget-notice-imported",
];

#[derive(Deserialize, Default)]
pub struct NoticeQuery {
    pub notice: Option<String>,
}

/// An envelope below the page's, with its scope.
pub struct ChildEnvelope<'a> {
    pub scope: &'a Scope,
    pub envelope: EnvelopeRow,
}

/// The rule the new-process form proposes: Equal Shares completed by raising the per-voter budget, the
/// rule the demo and most Equal Shares cities use.
const DEFAULT_RULE: maeul_pb::Rule = maeul_pb::Rule::MesCostAdd1;

const PROCESS_FIELDS: &[(&str, &str, &str)] = &[
    ("process_title", "title", "budget-field-title"),
    ("process_budget", "budget", "budget-field-budget"),
    ("min_projects", "min_projects", "budget-field-min"),
    ("max_projects", "max_projects", "budget-field-max"),
    ("points", "points", "budget-field-points"),
];

#[derive(askama::Template)]
#[template(path = "budgeting/scope_budget.html")]
struct ScopeBudgetPage<'a> {
    ctx: &'a Ctx,
    crumbs: Crumbs,
    scope: &'a Scope,
    envelope: EnvelopeRow,
    parent_scope: Option<&'a Scope>,
    /// The parent's formula weights, each with the term and what it gave this envelope.
    terms: Vec<(Term, i64, i64)>,
    /// This envelope's own formula, once split: (term, weight).
    formula: Vec<(Term, u32)>,
    own_permille: u32,
    children: Vec<ChildEnvelope<'a>>,
    processes: Vec<ProcessRow>,
    may_manage: bool,
    has_children: bool,
    /// Every counting rule's name, with whether the form preselects it (the default rule).
    rules: Vec<(&'static str, bool)>,
    kinds: Vec<BallotKind>,
    /// (error field, input name, label id) of the new-process form's text inputs.
    process_fields: &'static [(&'static str, &'static str, &'static str)],
    errors: FormErrors,
}

impl ScopeBudgetPage<'_> {
    fn won(&self, amount: impl super::views::Amount) -> String {
        won(amount.amount())
    }
    fn permille(&self, value: &u32) -> String {
        format!("{}.{}", value / 10, value % 10)
    }
}

/// `/scopes/{code}/budget`: the scope's envelope, the formula terms that made it, and what it hands down.
pub async fn scope_budget(
    State(state): State<AppState>,
    ctx: Ctx,
    PagePath(code): PagePath<String>,
) -> Result<Response, PageError> {
    scope_budget_page(&state, &ctx, &code, FormErrors::default()).await
}

pub(super) async fn scope_budget_page(
    state: &AppState,
    ctx: &Ctx,
    code: &str,
    errors: FormErrors,
) -> Result<Response, PageError> {
    let state = state.clone();
    let tree = ctx.scopes.clone();
    let scope = tree.by_code(code).ok_or(PageError::NotFound)?;
    let b = service::scope_budget(&state, scope.id)
        .await?
        .ok_or(PageError::NotFound)?;
    let parent_formula = b.parent.as_ref().and_then(|p| p.formula());
    let terms = b
        .envelope
        .terms()
        .into_iter()
        .map(|(t, v)| (t, i64::from(parent_formula.map_or(0, |f| f.weight(t))), v))
        .collect();
    let own = b.envelope.formula();
    let children = b
        .children
        .into_iter()
        .filter_map(|e| {
            tree.get(e.scope_id)
                .map(|scope| ChildEnvelope { scope, envelope: e })
        })
        .collect();
    let status = errors.status();
    let page = render(&ScopeBudgetPage {
        crumbs: Crumbs::within(ctx, scope).current(ctx.t("budget-scope-title")),
        ctx,
        may_manage: service::may_manage(&state, ctx.caller(), scope.id),
        has_children: tree.children(scope.id).next().is_some(),
        rules: maeul_pb::Rule::ALL
            .iter()
            .map(|r| (r.name(), *r == DEFAULT_RULE))
            .collect(),
        kinds: BallotKind::ALL.to_vec(),
        process_fields: PROCESS_FIELDS,
        errors,
        scope,
        parent_scope: b.parent.as_ref().and_then(|p| tree.get(p.scope_id)),
        terms,
        formula: own
            .map(|f| Term::ALL.iter().map(|t| (*t, f.weight(*t))).collect())
            .unwrap_or_default(),
        own_permille: own.map_or(0, |f| f.own_permille),
        envelope: b.envelope,
        children,
        processes: b.processes,
    })?;
    Ok((status, page).into_response())
}

#[derive(Deserialize, Default)]
pub struct SplitForm {
    #[serde(default)]
    pub own_permille: String,
    #[serde(default)]
    pub w_base: String,
    #[serde(default)]
    pub w_population: String,
    #[serde(default)]
    pub w_need: String,
    #[serde(default)]
    pub w_grade: String,
}

/// Staff hand the scope's envelope down by a formula.
pub async fn split(
    State(state): State<AppState>,
    ctx: Ctx,
    PagePath(code): PagePath<String>,
    CsrfForm(form): CsrfForm<SplitForm>,
) -> Result<Response, PageError> {
    let scope = ctx.scopes.by_code(&code).ok_or(PageError::NotFound)?.id;
    let input = super::config::SplitInput {
        own_permille: &form.own_permille,
        base: &form.w_base,
        population: &form.w_population,
        need: &form.w_need,
        grade: &form.w_grade,
    };
    match super::config::split(&state, ctx.caller(), scope, &input).await {
        Ok(()) => Ok(Redirect::to(&format!("/scopes/{code}/budget#formula")).into_response()),
        Err(ServiceError::Refused(r)) => {
            let errors = FormErrors::from_refusal(&ctx, &r, "split");
            scope_budget_page(&state, &ctx, &code, errors).await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize, Default)]
pub struct NewProcessForm {
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub budget: String,
    #[serde(default)]
    pub rule: String,
    #[serde(default)]
    pub ballot_kind: String,
    #[serde(default)]
    pub min_projects: String,
    #[serde(default)]
    pub max_projects: String,
    #[serde(default)]
    pub points: String,
}

/// Staff open a participatory budget on the scope's envelope.
pub async fn create_process(
    State(state): State<AppState>,
    ctx: Ctx,
    PagePath(code): PagePath<String>,
    CsrfForm(form): CsrfForm<NewProcessForm>,
) -> Result<Response, PageError> {
    let scope = ctx.scopes.by_code(&code).ok_or(PageError::NotFound)?.id;
    let input = super::config::ProcessInput {
        title: &form.title,
        budget: &form.budget,
        rule: &form.rule,
        ballot_kind: &form.ballot_kind,
        min_projects: &form.min_projects,
        max_projects: &form.max_projects,
        points: &form.points,
    };
    match super::config::create_process(&state, ctx.caller(), scope, &input).await {
        Ok(id) => {
            Ok(Redirect::to(&format!("/budgets/{id}?notice=budget-notice-saved")).into_response())
        }
        Err(ServiceError::Refused(r)) => {
            let errors = FormErrors::from_refusal(&ctx, &r, "process");
            scope_budget_page(&state, &ctx, &code, errors).await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(askama::Template)]
#[template(path = "budgeting/process.html")]
struct ProcessPage<'a> {
    ctx: &'a Ctx,
    crumbs: Crumbs,
    notice: Option<String>,
    alert: Option<Alert>,
    errors: FormErrors,
    p: ProcessRow,
    scope: Scope,
    projects: Vec<ProjectRow>,
    log: Vec<PhaseLogRow>,
    result: Option<ResultRow>,
    may_manage: bool,
    may_review: bool,
    may_submit: bool,
    may_vote: bool,
    /// Why the signed-in caller may not vote, translated.
    ineligible: Option<String>,
    voted: bool,
    next: Option<Phase>,
    user_id: i64,
    files: Vec<AttachmentInfo>,
    cited: Vec<CitedMotion>,
    motions: Vec<(i64, String, String)>,
}

impl ProcessPage<'_> {
    fn won(&self, amount: impl super::views::Amount) -> String {
        won(amount.amount())
    }
    /// The residence bases a process may admit, for the settings form.
    fn bases(&self) -> &'static [maeul_domain::ResidencyBasis] {
        &maeul_domain::ResidencyBasis::ALL
    }
    /// The settings form's single-line inputs: (name, label id, input type, current value).
    fn settings_fields(&self) -> Vec<(&'static str, &'static str, &'static str, String)> {
        let date = |d: Option<i64>| d.map_or_else(String::new, |d| self.ctx.datetime_input(&d));
        let share = |w: i64| if w == 0 { String::new() } else { w.to_string() };
        let p = &self.p;
        vec![
            (
                "proposals_open_at",
                "budget-settings-proposals-open",
                "datetime-local",
                date(p.proposals_open_at),
            ),
            (
                "proposals_close_at",
                "budget-settings-proposals-close",
                "datetime-local",
                date(p.proposals_close_at),
            ),
            (
                "voting_open_at",
                "budget-settings-voting-open",
                "datetime-local",
                date(p.voting_open_at),
            ),
            (
                "voting_close_at",
                "budget-settings-voting-close",
                "datetime-local",
                date(p.voting_close_at),
            ),
            (
                "weight_online",
                "budget-settings-weight-online",
                "number",
                share(p.weight_online),
            ),
            (
                "weight_committee",
                "budget-settings-weight-committee",
                "number",
                share(p.weight_committee),
            ),
            (
                "weight_school",
                "budget-settings-weight-school",
                "number",
                share(p.weight_school),
            ),
            (
                "min_age",
                "budget-settings-min-age",
                "number",
                p.min_age.to_string(),
            ),
        ]
    }
    fn reviewable(&self, project: &ProjectRow) -> bool {
        self.may_review
            && self.p.phase.takes_reviews()
            && matches!(
                project.state,
                ProjectState::Submitted | ProjectState::Feasible | ProjectState::Infeasible
            )
    }
    fn shortlistable(&self, project: &ProjectRow) -> bool {
        self.may_manage
            && self.p.phase.takes_shortlist()
            && matches!(
                project.state,
                ProjectState::Feasible | ProjectState::Shortlisted | ProjectState::NotShortlisted
            )
    }
    /// The files of a project.
    fn files_of(&self, project: &ProjectRow) -> Vec<&AttachmentInfo> {
        self.files
            .iter()
            .filter(|f| f.owner_id == project.id)
            .collect()
    }
    /// The motion a project's shortlist decision cites.
    fn cited_of(&self, project: &ProjectRow) -> Option<&CitedMotion> {
        project
            .shortlist_motion_id
            .and_then(|m| self.cited.iter().find(|c| c.id == m))
    }
    /// The proposer may attach files (the service decides again).
    fn attachable(&self, project: &ProjectRow) -> bool {
        project.proposer_id == Some(self.user_id)
            && self.p.imported == 0
            && project.state != ProjectState::Withdrawn
            && matches!(self.p.phase, Phase::ProposalsOpen | Phase::DepartmentReview)
    }
    fn withdrawable(&self, project: &ProjectRow) -> bool {
        project.proposer_id == Some(self.user_id)
            && matches!(self.p.phase, Phase::ProposalsOpen | Phase::DepartmentReview)
            && matches!(
                project.state,
                ProjectState::Submitted | ProjectState::Feasible | ProjectState::Infeasible
            )
    }
}

async fn process_page(
    state: &AppState,
    ctx: &Ctx,
    id: i64,
    notice_key: Option<&str>,
    alert: Option<Alert>,
    errors: FormErrors,
) -> Result<Response, PageError> {
    let v = service::view(state, ctx.caller(), id).await?;
    let status = page_status(&errors, alert.as_ref());
    let next = match v.process.phase {
        Phase::VotingClosed => Some(Phase::Tallied),
        phase => phase.next(),
    };
    let page = render(&ProcessPage {
        crumbs: Crumbs::within(ctx, &v.scope)
            .link(
                format!("/scopes/{}/budget", v.scope.code),
                ctx.t("budget-scope-title"),
            )
            .current(&v.process.title),
        ctx,
        notice: notice(ctx, notice_key, NOTICES),
        alert,
        errors,
        may_submit: v.process.phase.takes_projects() && (v.may_propose || v.may_manage),
        may_vote: v.process.phase.takes_ballots() && v.eligible,
        ineligible: v
            .ineligible
            .as_ref()
            .map(|r| ctx.message(&crate::i18n::Message::refusal(r))),
        voted: v.my_ballot.is_some(),
        user_id: ctx.caller().map_or(0, |c| c.id()),
        next,
        p: v.process,
        scope: v.scope,
        projects: v.projects,
        log: v.log,
        result: v.result,
        may_manage: v.may_manage,
        may_review: v.may_review,
        files: v.files,
        cited: v.cited,
        motions: v.motions,
    })?;
    Ok((status, page).into_response())
}

/// `/budgets/{id}`: the process, its phase and projects.
pub async fn show(
    State(state): State<AppState>,
    ctx: Ctx,
    PagePath(id): PagePath<i64>,
    PageQuery(q): PageQuery<NoticeQuery>,
) -> Result<Response, PageError> {
    process_page(
        &state,
        &ctx,
        id,
        q.notice.as_deref(),
        None,
        FormErrors::default(),
    )
    .await
}

/// After a form on the process page: redirect with a notice, or show the page again with the refusal.
pub(super) async fn after(
    state: &AppState,
    ctx: &Ctx,
    id: i64,
    result: Result<(), ServiceError>,
    notice_key: &str,
) -> Result<Response, PageError> {
    let success = format!("/budgets/{id}?notice={notice_key}");
    after_form(ctx, result, &success, "general", |alert, errors| {
        process_page(state, ctx, id, None, alert, errors)
    })
    .await
}

#[derive(Deserialize, Default)]
pub struct ProjectForm {
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub category: String,
    #[serde(default)]
    pub location: String,
    #[serde(default)]
    pub cost: String,
}

/// A resident submits a project.
pub async fn submit_project(
    State(state): State<AppState>,
    ctx: Ctx,
    PagePath(id): PagePath<i64>,
    CsrfForm(form): CsrfForm<ProjectForm>,
) -> Result<Response, PageError> {
    let input = ProjectInput {
        title: &form.title,
        description: &form.description,
        category: &form.category,
        location: &form.location,
        cost: &form.cost,
    };
    let result = service::submit_project(&state, ctx.caller(), id, &input)
        .await
        .map(|_| ());
    if let Err(ServiceError::SignInRequired) = result {
        return Err(PageError::Unauthorized);
    }
    after(&state, &ctx, id, result, "budget-notice-submitted").await
}

#[derive(Deserialize, Default)]
pub struct ReviewForm {
    #[serde(default)]
    pub event: String,
    #[serde(default)]
    pub cost: String,
    #[serde(default)]
    pub months: String,
    #[serde(default)]
    pub reason: String,
    #[serde(default)]
    pub motion: String,
}

/// An official reviews a project, staff record the committee's shortlist, a proposer withdraws.
pub async fn review(
    State(state): State<AppState>,
    ctx: Ctx,
    PagePath(project): PagePath<i64>,
    CsrfForm(form): CsrfForm<ReviewForm>,
) -> Result<Response, PageError> {
    let result = service::review(
        &state,
        ctx.caller(),
        project,
        &service::ReviewInput {
            event: &form.event,
            cost: &form.cost,
            months: &form.months,
            reason: &form.reason,
            motion: &form.motion,
        },
    )
    .await;
    match result {
        Ok(process) => Ok(
            Redirect::to(&format!("/budgets/{process}?notice=budget-notice-saved")).into_response(),
        ),
        Err(e @ ServiceError::Refused(_)) => after_project(&state, &ctx, project, e).await,
        Err(e) => Err(e.into()),
    }
}

/// After a refused form about a project: its process's page with the refusal.
pub(super) async fn after_project(
    state: &AppState,
    ctx: &Ctx,
    project: i64,
    error: ServiceError,
) -> Result<Response, PageError> {
    let process = state
        .db
        .project(project)
        .await?
        .ok_or(PageError::NotFound)?
        .process_id;
    after(state, ctx, process, Err(error), "").await
}

#[derive(Deserialize, Default)]
pub struct StepForm {
    #[serde(default)]
    pub event: String,
    #[serde(default)]
    pub reason: String,
}

/// Staff move the process to its next phase (closing the vote counts it), or cancel it with a reason.
pub async fn step(
    State(state): State<AppState>,
    ctx: Ctx,
    PagePath(id): PagePath<i64>,
    CsrfForm(form): CsrfForm<StepForm>,
) -> Result<Response, PageError> {
    let result = service::step(&state, ctx.caller(), id, &form.event, &form.reason).await;
    match result {
        Ok(_) => after(&state, &ctx, id, Ok(()), "budget-notice-saved").await,
        Err(ServiceError::Refused(Refusal::Budget(
            r @ maeul_domain::budget::BudgetRefusal::ReasonRequired,
        ))) => {
            let errors = FormErrors::from_refusal(&ctx, &Refusal::Budget(r), "reason");
            process_page(&state, &ctx, id, None, None, errors).await
        }
        Err(e) => after(&state, &ctx, id, Err(e), "").await,
    }
}
