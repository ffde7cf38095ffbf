//! What the trace reads: each object along the stored links from a resident's proposal to the grade, as
//! (id, title, scope, time). The web's trace service walks these links; no link is stored twice.
use crate::{Db, DbResult, db_run};

/// One object of the trace.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct TraceNode {
    pub id: i64,
    pub title: String,
    pub scope_id: i64,
    pub at: i64,
}

/// What a trace query selects, for one id.
async fn one(db: &Db, sql: &str, id: i64) -> DbResult<Option<TraceNode>> {
    Ok(
        db_run!(db, pool => sqlx::query_as::<_, TraceNode>(sql).bind(id).fetch_optional(pool).await?),
    )
}

async fn many(db: &Db, sql: &str, id: i64) -> DbResult<Vec<TraceNode>> {
    Ok(db_run!(db, pool => sqlx::query_as::<_, TraceNode>(sql).bind(id).fetch_all(pool).await?))
}

async fn ids(db: &Db, sql: &str, id: i64) -> DbResult<Vec<i64>> {
    Ok(db_run!(db, pool => sqlx::query_scalar::<_, i64>(sql).bind(id).fetch_all(pool).await?))
}

async fn link(db: &Db, sql: &str, id: i64) -> DbResult<Option<i64>> {
    let v: Option<Option<i64>> =
        db_run!(db, pool => sqlx::query_scalar(sql).bind(id).fetch_optional(pool).await?);
    Ok(v.flatten())
}

impl Db {
    pub async fn trace_proposal(&self, id: i64) -> DbResult<Option<TraceNode>> {
        one(
            self,
            "SELECT id, title, scope_id, created_at AS at FROM proposals WHERE id = $1",
            id,
        )
        .await
    }

    pub async fn trace_item(&self, id: i64) -> DbResult<Option<TraceNode>> {
        one(self, "SELECT id, title, origin_scope_id AS scope_id, created_at AS at FROM plan_items WHERE id = $1", id)
            .await
    }

    /// The agenda item promoted from a proposal (at most one).
    pub async fn trace_items_of_proposal(&self, proposal_id: i64) -> DbResult<Vec<i64>> {
        ids(
            self,
            "SELECT id FROM plan_items WHERE proposal_id = $1",
            proposal_id,
        )
        .await
    }

    pub async fn trace_item_proposal(&self, item_id: i64) -> DbResult<Option<i64>> {
        link(
            self,
            "SELECT proposal_id FROM plan_items WHERE id = $1",
            item_id,
        )
        .await
    }

    /// An item's referrals in order: the reason as title, the receiving scope.
    pub async fn trace_referrals(&self, item_id: i64) -> DbResult<Vec<TraceNode>> {
        many(self, "SELECT id, reason AS title, to_scope_id AS scope_id, referred_at AS at FROM plan_item_referrals
             WHERE item_id = $1 ORDER BY id", item_id).await
    }

    /// The carried motion that adopted an item.
    pub async fn trace_adoption(&self, item_id: i64) -> DbResult<Option<TraceNode>> {
        one(self, "SELECT mo.id, mo.title, c.scope_id, COALESCE(mo.decided_at, mo.created_at) AS at
             FROM plan_items i JOIN motions mo ON mo.id = i.adopted_motion_id
             JOIN committee_meetings me ON me.id = mo.meeting_id JOIN committees c ON c.id = me.committee_id
             WHERE i.id = $1", item_id).await
    }

    /// The items a motion adopted.
    pub async fn trace_items_of_motion(&self, motion_id: i64) -> DbResult<Vec<i64>> {
        ids(
            self,
            "SELECT id FROM plan_items WHERE adopted_motion_id = $1 ORDER BY id",
            motion_id,
        )
        .await
    }

    /// The plan projects an item became part of.
    pub async fn trace_plan_projects_of_item(&self, item_id: i64) -> DbResult<Vec<i64>> {
        ids(
            self,
            "SELECT project_id FROM plan_project_items WHERE item_id = $1 ORDER BY project_id",
            item_id,
        )
        .await
    }

    pub async fn trace_items_of_plan_project(&self, project_id: i64) -> DbResult<Vec<i64>> {
        ids(
            self,
            "SELECT item_id FROM plan_project_items WHERE project_id = $1 ORDER BY item_id",
            project_id,
        )
        .await
    }

    pub async fn trace_plan_project(&self, id: i64) -> DbResult<Option<TraceNode>> {
        one(
            self,
            "SELECT p.id, p.title, pl.scope_id, p.created_at AS at FROM plan_projects p
             JOIN plans pl ON pl.id = p.plan_id WHERE p.id = $1",
            id,
        )
        .await
    }

    /// The plan a plan project belongs to.
    pub async fn trace_plan_of_project(&self, project_id: i64) -> DbResult<Option<TraceNode>> {
        one(
            self,
            "SELECT pl.id, pl.title, pl.scope_id, pl.created_at AS at FROM plan_projects p
             JOIN plans pl ON pl.id = p.plan_id WHERE p.id = $1",
            project_id,
        )
        .await
    }

    pub async fn trace_budget_projects_of_proposal(&self, proposal_id: i64) -> DbResult<Vec<i64>> {
        ids(
            self,
            "SELECT id FROM budget_projects WHERE proposal_id = $1 ORDER BY id",
            proposal_id,
        )
        .await
    }

    pub async fn trace_budget_project_proposal(&self, project_id: i64) -> DbResult<Option<i64>> {
        link(
            self,
            "SELECT proposal_id FROM budget_projects WHERE id = $1",
            project_id,
        )
        .await
    }

    pub async fn trace_budget_project(&self, id: i64) -> DbResult<Option<TraceNode>> {
        one(
            self,
            "SELECT p.id, p.title, pr.scope_id, p.created_at AS at FROM budget_projects p
             JOIN budget_processes pr ON pr.id = p.process_id WHERE p.id = $1",
            id,
        )
        .await
    }

    /// The process a budget project was voted in, dated by its count.
    pub async fn trace_budget_process_of_project(
        &self,
        project_id: i64,
    ) -> DbResult<Option<TraceNode>> {
        one(
            self,
            "SELECT pr.id, pr.title, pr.scope_id, COALESCE(r.tallied_at, pr.created_at) AS at
             FROM budget_projects p JOIN budget_processes pr ON pr.id = p.process_id
             LEFT JOIN budget_results r ON r.process_id = pr.id WHERE p.id = $1",
            project_id,
        )
        .await
    }

    /// The grant award a tracked project was created from (the citizen-cooperation platform's small
    /// grants: `coop_grant_projects`, one tracked project per awarded application).
    pub async fn trace_grant_of_tracked(&self, tracked_id: i64) -> DbResult<Option<i64>> {
        link(
            self,
            "SELECT application_id FROM coop_grant_projects WHERE tracked_project_id = $1",
            tracked_id,
        )
        .await
    }

    /// The tracked project of an awarded application, if it is tracked.
    pub async fn trace_tracked_of_grant(&self, application_id: i64) -> DbResult<Option<i64>> {
        link(
            self,
            "SELECT tracked_project_id FROM coop_grant_projects WHERE application_id = $1",
            application_id,
        )
        .await
    }

    /// A grant application as a step: its title, the call's scope, dated by its award (or its filing).
    pub async fn trace_grant_application(&self, id: i64) -> DbResult<Option<TraceNode>> {
        one(self, "SELECT a.id, a.title, c.scope_id, COALESCE(a.awarded_at, a.created_at) AS at
             FROM coop_grant_applications a JOIN coop_grant_calls c ON c.id = a.call_id WHERE a.id = $1", id).await
    }

    /// The call a grant application answered.
    pub async fn trace_grant_call_of(&self, application_id: i64) -> DbResult<Option<i64>> {
        link(
            self,
            "SELECT call_id FROM coop_grant_applications WHERE id = $1",
            application_id,
        )
        .await
    }

    /// The organization that applied for a grant, when an organization did.
    pub async fn trace_grant_organization(
        &self,
        application_id: i64,
    ) -> DbResult<Option<TraceNode>> {
        one(self, "SELECT o.id, o.name AS title, o.scope_id, o.created_at AS at
             FROM coop_grant_applications a JOIN coop_organizations o ON o.id = a.organization_id WHERE a.id = $1",
            application_id).await
    }

    /// The cycle of a scope and year, if any.
    pub async fn evaluation_cycle_for(
        &self,
        scope_id: i64,
        year: i64,
    ) -> DbResult<Option<super::CycleRow>> {
        Ok(self
            .evaluation_cycles_in(&[scope_id])
            .await?
            .into_iter()
            .find(|c| c.year == year))
    }
}

/// Proposals of one scope: how many, and their supporters (the dashboard's participation).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ParticipationRow {
    pub scope_id: i64,
    pub proposals: i64,
    pub supporters: i64,
}

impl Db {
    /// Visible proposals and their supporters, by scope.
    pub async fn participation_by_scope(&self) -> DbResult<Vec<ParticipationRow>> {
        Ok(db_run!(self, pool => sqlx::query_as::<_, ParticipationRow>(
            "SELECT scope_id, COUNT(*) AS proposals, CAST(COALESCE(SUM(support_count), 0) AS BIGINT) AS supporters FROM proposals
             WHERE kind = 'proposal' AND hidden_at IS NULL GROUP BY scope_id")
            .fetch_all(pool).await?))
    }
}
