//! The network's activity: a scope's events (announced by the platform's staff, or by an organization's
//! members for their organization), the feed of what the scope's organizations do, organizations recorded
//! as proposers (a proposal written on their behalf) or partners (of an agenda item, a budget project, a
//! committee meeting), and awarded grants' holders reporting progress on their tracked project.
use maeul_db::cooperation::{ActivityRow, EventRow, GrantProjectRow, LinkRow, NewEvent};
use maeul_db::evaluation::NewUpdate;
use maeul_domain::account::FieldError;
use maeul_domain::cooperation::{self, EventKind, LinkCapacity};
use maeul_domain::evaluation::UpdateEvent;
use maeul_domain::object::ObjectKind;
use maeul_domain::{Refusal, Scope};

use super::{may_run, parse_number, scope_by_code, within};
use crate::AppState;
use crate::areas::accounts::service::Fields;
use crate::http::{Caller, ServiceError, ServiceResult, signed_in};

/// The organizations the caller belongs to, by name: (id, name).
pub async fn member_of(
    state: &AppState,
    caller: Option<&Caller>,
) -> ServiceResult<Vec<(i64, String)>> {
    let Some(c) = caller else {
        return Ok(vec![]);
    };
    let mut out = vec![];
    for m in state.db.memberships_of(c.id()).await? {
        if let Some(o) = state.db.organization(m.organization_id).await? {
            out.push((o.id, o.name));
        }
    }
    out.sort_by(|a, b| a.1.cmp(&b.1));
    Ok(out)
}

/// Refuses (`not_a_member`, 403) unless the caller belongs to `org`.
pub async fn require_member(state: &AppState, caller: &Caller, org: i64) -> ServiceResult<()> {
    state
        .db
        .organization(org)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let role = state.db.member_role(org, caller.id()).await?;
    cooperation::may_act_for(role).map_err(Refusal::from)?;
    Ok(())
}

/// The organization a form names on the caller's behalf ("" or "none": none), checked: the caller must
/// belong to it.
pub async fn acting_for(
    state: &AppState,
    caller: &Caller,
    input: &str,
) -> ServiceResult<Option<i64>> {
    let input = input.trim();
    if input.is_empty() || input == "none" {
        return Ok(None);
    }
    let Ok(org) = input.parse::<i64>() else {
        return Err(Refusal::field("organization", FieldError::Invalid).into());
    };
    match require_member(state, caller, org).await {
        Err(ServiceError::NotFound) => {
            Err(Refusal::field("organization", FieldError::Invalid).into())
        }
        other => other.map(|()| Some(org)),
    }
}

/// Records `org` as the proposer of a proposal the caller just wrote on its behalf (the caller's
/// membership was checked by [`acting_for`] before the proposal was written).
pub async fn record_proposer(
    state: &AppState,
    caller: &Caller,
    org: i64,
    proposal_id: i64,
) -> ServiceResult<()> {
    require_member(state, caller, org).await?;
    Ok(state
        .db
        .link_organization(
            org,
            ObjectKind::Proposal,
            proposal_id,
            LinkCapacity::Proposer,
            caller.id(),
        )
        .await?)
}

/// A member records their organization as a partner of an object given by kind and id (validated to
/// exist). Membership is checked before the input is read.
pub async fn record_partner(
    state: &AppState,
    caller: Option<&Caller>,
    org: i64,
    kind: &str,
    object_id: &str,
) -> ServiceResult<()> {
    let me = signed_in(caller)?;
    require_member(state, me, org).await?;
    let mut fields = Fields::default();
    let kind = fields.check(
        "object_kind",
        ObjectKind::parse(kind.trim())
            .filter(|k| cooperation::LINKABLE.contains(k))
            .ok_or(FieldError::Required),
    );
    let id = fields.check("object_id", parse_number(object_id, 1, i64::MAX));
    fields.finish()?;
    let (Some(kind), Some(id)) = (kind, id) else {
        unreachable!("checked above")
    };
    match state
        .db
        .link_organization(org, kind, id, LinkCapacity::Partner, me.id())
        .await
    {
        Err(maeul_db::DbError::NotFound) => {
            Err(Refusal::field("object_id", FieldError::Invalid).into())
        }
        other => Ok(other?),
    }
}

/// What an organization is recorded on, with where each object's page is; objects not public are left
/// out.
pub async fn links_of(state: &AppState, org: i64) -> ServiceResult<Vec<(LinkRow, String)>> {
    let mut out = vec![];
    for l in state.db.links_of_organization(org).await? {
        if l.title.is_none() {
            continue;
        }
        let href = object_href(l.kind()?, l.object_id, l.parent_id);
        out.push((l, href));
    }
    Ok(out)
}

/// Where a linkable object's page is.
pub fn object_href(kind: ObjectKind, id: i64, parent: Option<i64>) -> String {
    match kind {
        ObjectKind::Proposal => format!("/proposals/{id}"),
        ObjectKind::AgendaItem => format!("/agenda-items/{id}"),
        ObjectKind::BudgetProject => match parent {
            Some(p) => format!("/budgets/{p}#project-{id}"),
            None => format!("/budgets/{id}"),
        },
        ObjectKind::CommitteeMeeting => format!("/meetings/{id}"),
        _ => "/".to_owned(),
    }
}

/// The latest `limit` activities of a scope's network (the scope and below).
pub async fn feed(
    state: &AppState,
    scope_id: i64,
    limit: usize,
) -> ServiceResult<Vec<ActivityRow>> {
    let ids = within(state, scope_id);
    Ok(state
        .db
        .network_activity()
        .await?
        .into_iter()
        .filter(|a| ids.contains(&a.scope_id))
        .take(limit)
        .collect())
}

pub struct EventsView {
    pub scope: Scope,
    pub upcoming: Vec<EventRow>,
    pub past: Vec<EventRow>,
    /// The organizations the caller may announce an event for.
    pub my_orgs: Vec<(i64, String)>,
    /// Platform staff (they may announce the platform's own events, for no organization).
    pub may_run: bool,
}

impl EventsView {
    pub fn may_announce(&self) -> bool {
        self.may_run || !self.my_orgs.is_empty()
    }
}

pub async fn events(
    state: &AppState,
    caller: Option<&Caller>,
    code: &str,
) -> ServiceResult<EventsView> {
    let scope = scope_by_code(state, code)?;
    let ids = within(state, scope.id);
    let now = maeul_domain::time::now();
    let (mut upcoming, mut past) = (vec![], vec![]);
    for e in state.db.events().await? {
        if !ids.contains(&e.scope_id) {
            continue;
        }
        if e.ends_at >= now {
            upcoming.push(e);
        } else {
            past.push(e);
        }
    }
    past.reverse();
    Ok(EventsView {
        my_orgs: member_of(state, caller).await?,
        may_run: may_run(state, caller, scope.id),
        scope,
        upcoming,
        past,
    })
}

/// An event as submitted.
pub struct EventForm<'a> {
    pub kind: &'a str,
    pub title: &'a str,
    pub description: &'a str,
    pub place: &'a str,
    /// Seoul time, `YYYY-MM-DDTHH:MM`.
    pub starts: &'a str,
    pub ends: &'a str,
    /// An organization's id, or "" for the platform's own event (staff only).
    pub organization: &'a str,
}

/// Announces an event in a scope: the platform's staff, or a member for their organization. Someone who
/// is neither is refused before the form is read.
pub async fn announce(
    state: &AppState,
    caller: Option<&Caller>,
    code: &str,
    f: &EventForm<'_>,
) -> ServiceResult<i64> {
    let me = signed_in(caller)?;
    let scope = scope_by_code(state, code)?;
    let staff = may_run(state, Some(me), scope.id);
    if !staff && state.db.memberships_of(me.id()).await?.is_empty() {
        return Err(ServiceError::Forbidden);
    }
    let organization = acting_for(state, me, f.organization).await?;
    if organization.is_none() && !staff {
        return Err(Refusal::field("organization", FieldError::Required).into());
    }
    let mut fields = Fields::default();
    let kind = fields.check("kind", EventKind::parse(f.kind).ok_or(FieldError::Required));
    let title = fields.check("title", cooperation::parse_name(f.title));
    let description = fields.check("description", cooperation::parse_text(f.description));
    let place = fields.check("place", cooperation::parse_text(f.place));
    let starts = fields.check(
        "starts",
        maeul_domain::time::parse_local_datetime(f.starts.trim()),
    );
    let ends = fields.check(
        "ends",
        maeul_domain::time::parse_local_datetime(f.ends.trim()),
    );
    fields.finish()?;
    let (Some(kind), Some(title), Some(description), Some(place), Some(starts_at), Some(ends_at)) =
        (kind, title, description, place, starts, ends)
    else {
        unreachable!("checked above")
    };
    Ok(state
        .db
        .create_event(&NewEvent {
            scope_id: scope.id,
            organization_id: organization,
            kind,
            title: &title,
            description: &description,
            place: &place,
            starts_at,
            ends_at,
            created_by: Some(me.id()),
        })
        .await?)
}

/// What a grant holder reports.
pub struct GrantReport<'a> {
    pub body: &'a str,
    pub progress: &'a str,
    pub spent: &'a str,
}

/// The holder of an awarded grant (its applicant, or a member of the applicant organization) reports
/// progress and spending on the award's tracked project: a submitted update that the scope's staff verify
/// on the project's page, as for every tracked project. Returns the tracked project's id.
pub async fn report_grant(
    state: &AppState,
    caller: Option<&Caller>,
    application_id: i64,
    r: &GrantReport<'_>,
) -> ServiceResult<i64> {
    let me = signed_in(caller)?;
    let app = state
        .db
        .grant_application(application_id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let holder = app.applicant_id == me.id()
        || match app.organization_id {
            Some(org) => state.db.member_role(org, me.id()).await?.is_some(),
            None => false,
        };
    if !holder {
        return Err(ServiceError::Forbidden);
    }
    let project = state
        .db
        .grant_project(application_id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let mut fields = Fields::default();
    let body = fields.check("body", cooperation::parse_text(r.body));
    if body.as_deref().is_some_and(str::is_empty) {
        fields.add("body", FieldError::Required);
    }
    let progress = fields.check("progress", parse_number(r.progress, 0, 100));
    let spent = match r.spent.trim() {
        "" => None,
        s => fields.check("spent", parse_number(s, 0, i64::MAX)),
    };
    fields.finish()?;
    let (Some(body), Some(progress)) = (body, progress) else {
        unreachable!("checked above")
    };
    let id = state
        .db
        .create_update(&NewUpdate {
            project_id: project,
            author_id: me.id(),
            body: &body,
            progress,
            spent,
            evidence: &[],
        })
        .await?;
    state
        .db
        .transition_update(id, me.id(), false, &UpdateEvent::Submit)
        .await?;
    Ok(project)
}

/// An award of a call tracked as a project, and whether the caller holds it (may report on it).
pub struct TrackedAward {
    pub project: GrantProjectRow,
    pub may_report: bool,
}

pub async fn tracked_awards(
    state: &AppState,
    caller: Option<&Caller>,
    call_id: i64,
) -> ServiceResult<Vec<TrackedAward>> {
    let applications = state.db.grant_applications(call_id).await?;
    let mut out = vec![];
    for project in state.db.grant_projects().await? {
        if project.call_id != call_id {
            continue;
        }
        let Some(app) = applications.iter().find(|a| a.id == project.application_id) else {
            continue;
        };
        let may_report = match caller {
            Some(c) if c.id() == app.applicant_id => true,
            Some(c) => match app.organization_id {
                Some(org) => state.db.member_role(org, c.id()).await?.is_some(),
                None => false,
            },
            None => false,
        };
        out.push(TrackedAward {
            project,
            may_report,
        });
    }
    Ok(out)
}
