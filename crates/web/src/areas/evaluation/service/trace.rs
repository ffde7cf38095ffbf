//! The trace: from any object, back to its origin (a resident's proposal when there is one) along the
//! stored links, then forward to every outcome: proposal → agenda item → referrals → adoption motion →
//! plan → plan project (or budget process → budget project) → tracked project → milestones → indicators
//! → the evaluation's grade. Steps are in that order; each object appears once. A tracked project born of
//! a small grant (the citizen-cooperation platform tracks each award) starts at the grant: the organization
//! that applied (when one did) → the awarded application → the tracked project.
use maeul_db::evaluation::{TraceNode, TrackedProjectRow};
use maeul_domain::account::FieldError;
use maeul_domain::object::{ObjectKind, ObjectRef};
use maeul_domain::{Refusal, Scope};

use crate::AppState;
use crate::http::{ServiceError, ServiceResult};

/// One step of the trace.
#[derive(Debug, Clone)]
pub struct Step {
    /// An object kind (`proposal`, `agenda_item`, `motion`, `plan`, `plan_project`, `budget_process`,
    /// `budget_project`, `organization`, `grant_application`, `tracked_project`, `indicator`,
    /// `evaluation`) or a part of one (`referral`, `milestone`).
    pub kind: &'static str,
    pub id: i64,
    pub title: String,
    pub scope: Option<Scope>,
    /// Unix seconds.
    pub at: i64,
    /// Its page when its kind alone does not say (a grant application's is its call's).
    pub page: Option<String>,
}

impl Step {
    /// Where the step's own page is, when it has one.
    pub fn href(&self) -> Option<String> {
        if let Some(page) = &self.page {
            return Some(page.clone());
        }
        Some(match self.kind {
            "proposal" => format!("/proposals/{}", self.id),
            "agenda_item" => format!("/agenda-items/{}", self.id),
            "plan" => format!("/plans/{}", self.id),
            "budget_process" => format!("/budgets/{}", self.id),
            "tracked_project" => format!("/tracked-projects/{}", self.id),
            "organization" => format!("/organizations/{}", self.id),
            "evaluation" => format!("/evaluation-cycles/{}", self.id),
            _ => return None,
        })
    }

    /// The label message of the step's kind.
    pub fn label_id(&self) -> &'static str {
        match self.kind {
            "proposal" => "trace-kind-proposal",
            "agenda_item" => "trace-kind-agenda-item",
            "referral" => "trace-kind-referral",
            "motion" => "trace-kind-motion",
            "plan" => "trace-kind-plan",
            "plan_project" => "trace-kind-plan-project",
            "budget_process" => "trace-kind-budget-process",
            "budget_project" => "trace-kind-budget-project",
            "organization" => "trace-kind-organization",
            "grant_application" => "trace-kind-grant",
            "tracked_project" => "trace-kind-tracked-project",
            "milestone" => "trace-kind-milestone",
            "indicator" => "trace-kind-indicator",
            _ => "trace-kind-evaluation",
        }
    }
}

struct Walk<'a> {
    state: &'a AppState,
    steps: Vec<Step>,
}

impl Walk<'_> {
    fn push(&mut self, kind: &'static str, node: TraceNode) {
        self.push_with_page(kind, node, None);
    }

    fn push_with_page(&mut self, kind: &'static str, node: TraceNode, page: Option<String>) {
        if self.steps.iter().any(|s| s.kind == kind && s.id == node.id) {
            return;
        }
        self.steps.push(Step {
            kind,
            id: node.id,
            title: node.title,
            scope: self.state.scopes().get(node.scope_id).cloned(),
            at: node.at,
            page,
        });
    }

    /// A small grant's award: the organization that applied, the award, then its tracked project.
    async fn grant(&mut self, application_id: i64) -> ServiceResult<()> {
        let db = &self.state.db;
        if let Some(o) = db.trace_grant_organization(application_id).await? {
            self.push("organization", o);
        }
        if let Some(n) = db.trace_grant_application(application_id).await? {
            let page = db
                .trace_grant_call_of(application_id)
                .await?
                .map(|call| format!("/grants/{call}"));
            self.push_with_page("grant_application", n, page);
        }
        if let Some(t) = db.trace_tracked_of_grant(application_id).await?
            && let Some(t) = db.tracked_project(t).await?
        {
            self.tracked(t).await?;
        }
        Ok(())
    }

    async fn proposal(&mut self, id: i64) -> ServiceResult<()> {
        let db = &self.state.db;
        if let Some(n) = db.trace_proposal(id).await? {
            self.push("proposal", n);
        }
        for item in db.trace_items_of_proposal(id).await? {
            self.item(item).await?;
        }
        for project in db.trace_budget_projects_of_proposal(id).await? {
            self.budget_project(project).await?;
        }
        Ok(())
    }

    async fn item(&mut self, id: i64) -> ServiceResult<()> {
        let db = &self.state.db;
        if let Some(n) = db.trace_item(id).await? {
            self.push("agenda_item", n);
        }
        for r in db.trace_referrals(id).await? {
            self.push("referral", r);
        }
        if let Some(m) = db.trace_adoption(id).await? {
            self.push("motion", m);
        }
        for project in db.trace_plan_projects_of_item(id).await? {
            self.plan_project(project).await?;
        }
        Ok(())
    }

    async fn plan_project(&mut self, id: i64) -> ServiceResult<()> {
        let db = &self.state.db;
        if let Some(plan) = db.trace_plan_of_project(id).await? {
            self.push("plan", plan);
        }
        if let Some(n) = db.trace_plan_project(id).await? {
            self.push("plan_project", n);
        }
        let origin = ObjectRef::new(ObjectKind::PlanProject, id);
        if let Some(t) = db.tracked_project_from(origin).await? {
            self.tracked(t).await?;
        }
        Ok(())
    }

    async fn budget_project(&mut self, id: i64) -> ServiceResult<()> {
        let db = &self.state.db;
        if let Some(process) = db.trace_budget_process_of_project(id).await? {
            self.push("budget_process", process);
        }
        if let Some(n) = db.trace_budget_project(id).await? {
            self.push("budget_project", n);
        }
        let origin = ObjectRef::new(ObjectKind::BudgetProject, id);
        if let Some(t) = db.tracked_project_from(origin).await? {
            self.tracked(t).await?;
        }
        Ok(())
    }

    async fn tracked(&mut self, t: TrackedProjectRow) -> ServiceResult<()> {
        let db = &self.state.db;
        let (id, scope_id, year) = (t.id, t.scope_id, t.year);
        self.push(
            "tracked_project",
            TraceNode {
                id,
                title: t.title,
                scope_id,
                at: t.created_at,
            },
        );
        for m in db.milestones(id).await? {
            self.push(
                "milestone",
                TraceNode {
                    id: m.id,
                    title: m.title,
                    scope_id,
                    at: m.done_at.unwrap_or(m.due_at),
                },
            );
        }
        for (i, _) in db.project_indicators(id).await? {
            self.push(
                "indicator",
                TraceNode {
                    id: i.id,
                    title: i.name,
                    scope_id,
                    at: i.created_at,
                },
            );
        }
        if let Some(cycle) = db.evaluation_cycle_for(scope_id, year).await? {
            self.evaluation(cycle.id).await?;
        }
        Ok(())
    }

    async fn evaluation(&mut self, cycle_id: i64) -> ServiceResult<()> {
        if let Some(c) = self.state.db.evaluation_cycle(cycle_id).await? {
            let title = match c.grade.0 {
                Some(g) => format!("{} · {}", c.year, g.hangul()),
                None => c.year.to_string(),
            };
            self.push(
                "evaluation",
                TraceNode {
                    id: c.id,
                    title,
                    scope_id: c.scope_id,
                    at: c.graded_at.unwrap_or(c.updated_at),
                },
            );
        }
        Ok(())
    }
}

/// The object a trace starts from: walking back along the stored links from `(kind, id)`.
async fn origin(state: &AppState, kind: ObjectKind, id: i64) -> ServiceResult<ObjectRef> {
    let db = &state.db;
    let mut at = ObjectRef::new(kind, id);
    // Each step goes strictly further back (at most five links), so the walk ends.
    for _ in 0..8 {
        let back = match at.kind {
            ObjectKind::TrackedProject => {
                let t = db
                    .tracked_project(at.id)
                    .await?
                    .ok_or(ServiceError::NotFound)?;
                match t.origin() {
                    Some(o) => Some(o),
                    None => db
                        .trace_grant_of_tracked(at.id)
                        .await?
                        .map(|a| ObjectRef::new(ObjectKind::GrantApplication, a)),
                }
            }
            ObjectKind::BudgetProject => db
                .trace_budget_project_proposal(at.id)
                .await?
                .map(|p| ObjectRef::new(ObjectKind::Proposal, p)),
            ObjectKind::PlanProject => db
                .trace_items_of_plan_project(at.id)
                .await?
                .first()
                .map(|i| ObjectRef::new(ObjectKind::AgendaItem, *i)),
            ObjectKind::AgendaItem => db
                .trace_item_proposal(at.id)
                .await?
                .map(|p| ObjectRef::new(ObjectKind::Proposal, p)),
            ObjectKind::Motion => db
                .trace_items_of_motion(at.id)
                .await?
                .first()
                .map(|i| ObjectRef::new(ObjectKind::AgendaItem, *i)),
            ObjectKind::Indicator => {
                let i = db.indicator(at.id).await?.ok_or(ServiceError::NotFound)?;
                Some(match i.project_id {
                    Some(p) => ObjectRef::new(ObjectKind::TrackedProject, p),
                    None => ObjectRef::new(ObjectKind::Evaluation, i.cycle_id),
                })
            }
            ObjectKind::Proposal | ObjectKind::Evaluation | ObjectKind::GrantApplication => None,
            _ => return Err(Refusal::field("kind", FieldError::Invalid).into()),
        };
        match back {
            Some(b) => at = b,
            None => break,
        }
    }
    Ok(at)
}

/// The trace through the object `kind` (an [`ObjectKind`] name) number `id`.
pub async fn trace(state: &AppState, kind: &str, id: i64) -> ServiceResult<Vec<Step>> {
    let kind = ObjectKind::parse(kind)
        .ok_or_else(|| ServiceError::from(Refusal::field("kind", FieldError::Invalid)))?;
    let root = origin(state, kind, id).await?;
    let mut walk = Walk {
        state,
        steps: Vec::new(),
    };
    match root.kind {
        ObjectKind::Proposal => walk.proposal(root.id).await?,
        ObjectKind::AgendaItem => walk.item(root.id).await?,
        ObjectKind::PlanProject => walk.plan_project(root.id).await?,
        ObjectKind::BudgetProject => walk.budget_project(root.id).await?,
        ObjectKind::Evaluation => walk.evaluation(root.id).await?,
        ObjectKind::GrantApplication => walk.grant(root.id).await?,
        ObjectKind::TrackedProject => {
            let t = state
                .db
                .tracked_project(root.id)
                .await?
                .ok_or(ServiceError::NotFound)?;
            walk.tracked(t).await?
        }
        _ => {}
    }
    if walk.steps.is_empty() {
        return Err(ServiceError::NotFound);
    }
    Ok(walk.steps)
}
