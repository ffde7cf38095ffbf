//! A budget project's links to the rest of the platform: the adopted public-sphere proposal it is born
//! from (by the proposal's author or the process's staff; `maeul_domain::budget::check_proposal_origin`),
//! and the files its proposer attaches (the public sphere's attachment rules and storage, one mechanism
//! for both owners). Thin page handlers follow the services.
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use maeul_db::attachments::{AttachmentFile, AttachmentOwner, OwnerKind};
use maeul_db::budget::{NewProject, ProposalProject};
use maeul_db::proposals::{Kind, ProposalRow};
use maeul_domain::Refusal;
use maeul_domain::attachment::{self, MAX_PER_PROPOSAL};
use maeul_domain::budget::{
    BudgetRefusal, ProjectState, ProposalOrigin, check_attachable, check_proposal_origin,
};
use serde::Deserialize;

use super::pages::{after, after_project};
use super::service::{load, may_manage, may_review, parse_won, refusal};
use crate::AppState;
use crate::areas::accounts::service::Fields;
use crate::http::upload::{self, CsrfQuery};
use crate::http::{
    Caller, CsrfForm, Ctx, PageError, PagePath, PageQuery, ServiceError, ServiceResult, signed_in,
};

/// A proposal's side of the link: the project it became, and where the caller may make it one.
#[derive(Debug, Clone, Default)]
pub struct ProposalBudget {
    pub project: Option<ProposalProject>,
    /// Processes taking projects, of the proposal's scope or above, that the caller may link it to: (id,
    /// title). Empty unless the proposal is adopted, not linked, and the caller its author or staff.
    pub offers: Vec<(i64, String)>,
}

/// What the proposal's page shows of the budget.
pub async fn for_proposal(
    state: &AppState,
    caller: Option<&Caller>,
    proposal: &ProposalRow,
) -> ServiceResult<ProposalBudget> {
    let project = state.db.project_of_proposal(proposal.id).await?;
    let adopted = proposal.kind == Kind::Proposal
        && proposal.state.proposal() == Some(maeul_domain::proposal::ProposalState::Adopted);
    let Some(caller) = caller.filter(|_| project.is_none() && adopted) else {
        return Ok(ProposalBudget {
            project,
            offers: vec![],
        });
    };
    let tree = state.scopes();
    let Some(origin) = tree.scope_ref(proposal.scope_id) else {
        return Ok(ProposalBudget::default());
    };
    let author = proposal.author_id == caller.id();
    let offers = state
        .db
        .processes(None)
        .await?
        .into_iter()
        .filter(|p| p.phase.takes_projects() && p.imported == 0 && origin.is_within(p.scope_id))
        .filter(|p| author || may_manage(state, Some(caller), p.scope_id))
        .map(|p| (p.id, p.title))
        .collect();
    Ok(ProposalBudget { project, offers })
}

/// An adopted proposal becomes a project of a process taking projects, of the proposal's scope or one
/// above it, by its author or the process's staff; its title, text and place are copied, the caller
/// gives the cost, and its author is the project's proposer. Returns the project id.
pub async fn project_from_proposal(
    state: &AppState,
    caller: Option<&Caller>,
    proposal_id: i64,
    process_id: i64,
    cost: &str,
) -> ServiceResult<i64> {
    let caller = signed_in(caller)?;
    let proposal = state
        .db
        .proposal(proposal_id)
        .await?
        .filter(|p| p.is_public() || p.author_id == caller.id())
        .ok_or(ServiceError::NotFound)?;
    let (process, scope) = load(state, process_id).await?;
    if proposal.author_id != caller.id() && !may_manage(state, Some(caller), scope.id) {
        return Err(ServiceError::Forbidden);
    }
    let mut fields = Fields::default();
    let cost = fields.check("link_cost", parse_won(cost));
    fields.finish()?;
    let Some(cost) = cost else {
        return Err(ServiceError::Refused(Refusal::Stale));
    };
    if process.imported != 0 {
        return Err(refusal(BudgetRefusal::Historical));
    }
    let Some(state_now) = proposal
        .state
        .proposal()
        .filter(|_| proposal.kind == Kind::Proposal)
    else {
        return Err(refusal(BudgetRefusal::ProposalNotAdopted));
    };
    let origin = ProposalOrigin {
        state: state_now,
        within_process_scope: state
            .scopes()
            .scope_ref(proposal.scope_id)
            .is_some_and(|r| r.is_within(scope.id)),
        already_linked: state.db.project_of_proposal(proposal.id).await?.is_some(),
    };
    check_proposal_origin(&origin, process.phase).map_err(refusal)?;
    let clip = |text: &str, max: usize| text.trim().chars().take(max).collect::<String>();
    Ok(state
        .db
        .submit_project(&NewProject {
            process_id,
            proposer_id: Some(proposal.author_id),
            title: &clip(&proposal.title, 120),
            description: &clip(&proposal.body, 5000),
            category: "",
            location: &clip(&proposal.location, 200),
            cost,
            proposal_id: Some(proposal.id),
        })
        .await?)
}

/// The proposer attaches a file to their project while proposals are open or under review (not to a
/// withdrawn project, never to history): accepted from its bytes, at most three; a refused file changes
/// nothing. Returns the process id.
pub async fn attach(
    state: &AppState,
    caller: Option<&Caller>,
    project_id: i64,
    name: &str,
    bytes: &[u8],
) -> ServiceResult<i64> {
    let caller = signed_in(caller)?;
    let project = state
        .db
        .project(project_id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    if project.proposer_id != Some(caller.id()) {
        return Err(ServiceError::Forbidden);
    }
    let (process, _) = load(state, project.process_id).await?;
    check_attachable(process.phase, process.imported != 0).map_err(refusal)?;
    if project.state == ProjectState::Withdrawn {
        return Err(refusal(BudgetRefusal::AttachmentsClosed));
    }
    let owner = AttachmentOwner::BudgetProject(project_id);
    let existing = state.db.files_of(owner).await?.len();
    let file_type = attachment::check(bytes, existing).map_err(Refusal::from)?;
    let file_name = attachment::file_name(name, file_type);
    state
        .db
        .attach_file(
            owner,
            caller.id(),
            &file_name,
            file_type.content_type(),
            bytes,
            MAX_PER_PROPOSAL as i64,
        )
        .await?;
    Ok(process.id)
}

/// A file of a project the caller may see: every project's but a withdrawn one's, which only its
/// proposer and the scope's staff see.
pub async fn download(
    state: &AppState,
    caller: Option<&Caller>,
    id: i64,
) -> ServiceResult<AttachmentFile> {
    let file = state
        .db
        .file(OwnerKind::BudgetProject, id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let project = state
        .db
        .project(file.info.owner_id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let (_, scope) = load(state, project.process_id).await?;
    let visible = project.state != ProjectState::Withdrawn
        || caller.is_some_and(|c| project.proposer_id == Some(c.id()))
        || may_manage(state, caller, scope.id)
        || may_review(state, caller, scope.id);
    if visible {
        Ok(file)
    } else {
        Err(ServiceError::NotFound)
    }
}

#[derive(Deserialize, Default)]
pub struct LinkForm {
    #[serde(default)]
    pub process: String,
    #[serde(default)]
    pub cost: String,
}

/// `POST /proposals/{id}/budget-project`: the proposal becomes a project of the chosen process; a refusal
/// is shown on that process's page.
pub async fn link(
    State(state): State<AppState>,
    ctx: Ctx,
    PagePath(proposal): PagePath<i64>,
    CsrfForm(form): CsrfForm<LinkForm>,
) -> Result<Response, PageError> {
    let process: i64 = form
        .process
        .trim()
        .parse()
        .map_err(|_| PageError::NotFound)?;
    match project_from_proposal(&state, ctx.caller(), proposal, process, &form.cost).await {
        Ok(project) => Ok(Redirect::to(&format!(
            "/budgets/{process}?notice=budget-notice-submitted#project-{project}"
        ))
        .into_response()),
        Err(ServiceError::SignInRequired) => Err(PageError::Unauthorized),
        Err(e) => after(&state, &ctx, process, Err(e), "").await,
    }
}

/// `POST /budget-projects/{id}/attachments?_csrf=…` (multipart): the proposer attaches a file.
pub async fn attach_page(
    State(state): State<AppState>,
    ctx: Ctx,
    PagePath(project): PagePath<i64>,
    PageQuery(q): PageQuery<CsrfQuery>,
    request: axum::extract::Request,
) -> Result<Response, PageError> {
    let me = upload::check(&ctx, &q, &request)?;
    let result = match upload::attachment(&state, request).await {
        Ok((name, bytes)) => attach(&state, Some(me), project, &name, &bytes).await,
        Err(e) => Err(e),
    };
    match result {
        Ok(process) => Ok(Redirect::to(&format!(
            "/budgets/{process}?notice=budget-notice-attached#project-{project}"
        ))
        .into_response()),
        Err(e) => after_project(&state, &ctx, project, e).await,
    }
}

/// `GET /budget-files/{id}/{name}`: a project's file, as a download with its rebuilt name.
pub async fn download_page(
    State(state): State<AppState>,
    ctx: Ctx,
    PagePath((id, _name)): PagePath<(i64, String)>,
) -> Result<Response, PageError> {
    Ok(upload::download(download(&state, ctx.caller(), id).await?))
}
