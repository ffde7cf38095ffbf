//! Working groups of plan projects: the plan's scope's staff create a project's group (only for a project of
//! adopted items), add its members (residents and officials, by e-mail) and record its meetings; members
//! post dated updates. The group is shown on its project in the plan.
use maeul_db::plan::{GroupMeetingRow, GroupMemberRow, GroupRow, GroupUpdateRow, PlanRow};
use maeul_domain::account::FieldError;
use maeul_domain::plan::{GroupRole, PlanRefusal, parse_group_text};
use maeul_domain::proposal::input::{LOCATION_MAX, parse_title};
use maeul_domain::{Action, Refusal, Scope};

use super::items::may_manage;
use super::scope_by_id;
use crate::AppState;
use crate::areas::accounts::service::Fields;
use crate::http::{Caller, ServiceError, ServiceResult, signed_in};

/// A working group with what its page shows.
pub struct GroupView {
    pub group: GroupRow,
    pub plan: PlanRow,
    pub scope: Scope,
    pub members: Vec<GroupMemberRow>,
    pub meetings: Vec<GroupMeetingRow>,
    pub updates: Vec<GroupUpdateRow>,
    /// The caller runs the group: the staff of the plan's scope.
    pub may_manage: bool,
    /// The caller is a member and may post updates.
    pub may_post: bool,
}

async fn group(state: &AppState, id: i64) -> ServiceResult<GroupRow> {
    state
        .db
        .working_group(id)
        .await?
        .ok_or(ServiceError::NotFound)
}

pub async fn view(state: &AppState, caller: Option<&Caller>, id: i64) -> ServiceResult<GroupView> {
    let group = group(state, id).await?;
    let plan = state
        .db
        .plan(group.plan_id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let may_post = match caller {
        Some(c) => state.db.is_group_member(id, c.id()).await?,
        None => false,
    };
    Ok(GroupView {
        scope: scope_by_id(state, group.scope_id)?,
        members: state.db.group_members(id).await?,
        meetings: state.db.group_meetings(id).await?,
        updates: state.db.group_updates(id).await?,
        may_manage: may_manage(state, caller, group.scope_id),
        may_post,
        plan,
        group,
    })
}

/// The staff of the plan's scope create a project's working group; returns its id.
pub async fn create(
    state: &AppState,
    caller: Option<&Caller>,
    project_id: i64,
    name: &str,
) -> ServiceResult<i64> {
    let me = signed_in(caller)?;
    let project = state
        .db
        .plan_project(project_id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let plan = state
        .db
        .plan(project.plan_id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    me.require(&state.scopes(), Action::ManageAgenda, plan.scope_id)?;
    let mut fields = Fields::default();
    let name = fields.check("group_name", parse_title(name));
    fields.finish()?;
    let name = name.unwrap_or_default();
    Ok(state
        .db
        .create_working_group(project_id, &name, Some(me.id()))
        .await?)
}

/// The staff add a member by e-mail, as a resident or an official.
pub async fn add_member(
    state: &AppState,
    caller: Option<&Caller>,
    id: i64,
    email: &str,
    role: &str,
) -> ServiceResult<()> {
    let me = signed_in(caller)?;
    let group = group(state, id).await?;
    me.require(&state.scopes(), Action::ManageAgenda, group.scope_id)?;
    let mut fields = Fields::default();
    let role = GroupRole::parse(role.trim());
    if role.is_none() {
        fields.add("role", FieldError::Invalid);
    }
    if email.trim().is_empty() {
        fields.add("email", FieldError::Required);
    }
    fields.finish()?;
    let user = state
        .db
        .user_by_email(email.trim())
        .await?
        .ok_or(ServiceError::Refused(Refusal::Plan(
            PlanRefusal::UnknownVoter,
        )))?;
    let role = role.unwrap_or(GroupRole::Resident);
    Ok(state
        .db
        .add_group_member(id, user.id, role, Some(me.id()))
        .await?)
}

/// The staff record a meeting: when (Seoul time), where, its minutes.
pub async fn record_meeting(
    state: &AppState,
    caller: Option<&Caller>,
    id: i64,
    held_at: &str,
    place: &str,
    minutes: &str,
) -> ServiceResult<i64> {
    let me = signed_in(caller)?;
    let group = group(state, id).await?;
    me.require(&state.scopes(), Action::ManageAgenda, group.scope_id)?;
    let mut fields = Fields::default();
    let held_at = fields.check("held_at", maeul_domain::time::parse_local_datetime(held_at));
    let place = place.trim();
    if place.chars().count() > LOCATION_MAX {
        fields.add("place", FieldError::TooLong { max: LOCATION_MAX });
    }
    let minutes = fields.check("minutes", parse_group_text(minutes));
    fields.finish()?;
    let (Some(held_at), Some(minutes)) = (held_at, minutes) else {
        unreachable!("checked above")
    };
    Ok(state
        .db
        .record_group_meeting(id, held_at, place, &minutes, Some(me.id()))
        .await?)
}

/// A member posts a dated update.
pub async fn post_update(
    state: &AppState,
    caller: Option<&Caller>,
    id: i64,
    body: &str,
) -> ServiceResult<i64> {
    let me = signed_in(caller)?;
    group(state, id).await?;
    let member = state.db.is_group_member(id, me.id()).await?;
    maeul_domain::plan::check_update_author(member).map_err(|_| ServiceError::Forbidden)?;
    let mut fields = Fields::default();
    let body = fields.check("update", parse_group_text(body));
    fields.finish()?;
    Ok(state
        .db
        .post_group_update(id, me.id(), &body.unwrap_or_default())
        .await?)
}

/// The working groups of a plan's projects: (project id, group id, name), for the plan's page.
pub async fn of_plan(state: &AppState, plan_id: i64) -> ServiceResult<Vec<(i64, i64, String)>> {
    Ok(state
        .db
        .working_groups_of_plan(plan_id)
        .await?
        .into_iter()
        .map(|g| (g.project_id, g.id, g.name))
        .collect())
}
