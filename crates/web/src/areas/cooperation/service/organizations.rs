//! Organizations: the directory of a scope (its organizations and those below it, searched and filtered by
//! field and neighbourhood), an organization's page, creation and edits by its editors, joining and
//! leaving, the staff's verification and the scope's consortium.
use maeul_db::cooperation::{ConsortiumRow, LinkRow, MemberRow, OrgInput, OrgRow};
use maeul_domain::Scope;
use maeul_domain::cooperation::{self, Field, MemberRole, OrgKind, VerificationMethod};

use super::{may_run, scope_by_code, within};
use crate::AppState;
use crate::areas::accounts::service::Fields;
use crate::http::{Caller, ServiceError, ServiceResult, signed_in};

/// What the directory is filtered by.
#[derive(Default)]
pub struct Filter<'a> {
    pub text: &'a str,
    pub field: &'a str,
    /// A neighbourhood's code.
    pub neighbourhood: &'a str,
}

pub struct Directory {
    pub scope: Scope,
    pub organizations: Vec<OrgRow>,
    /// The neighbourhoods below the scope (the filter's choices).
    pub neighbourhoods: Vec<Scope>,
    pub consortium: Vec<ConsortiumRow>,
    pub may_create: bool,
    pub may_run: bool,
}

pub async fn directory(
    state: &AppState,
    caller: Option<&Caller>,
    code: &str,
    f: &Filter<'_>,
) -> ServiceResult<Directory> {
    let scope = scope_by_code(state, code)?;
    let mut ids = within(state, scope.id);
    if !f.neighbourhood.is_empty() {
        let n = scope_by_code(state, f.neighbourhood)?;
        if !ids.contains(&n.id) {
            return Err(ServiceError::NotFound);
        }
        ids = within(state, n.id);
    }
    let field = Field::parse(f.field);
    let text = f.text.trim().to_lowercase();
    let mut organizations = vec![];
    for o in state.db.organizations().await? {
        if !ids.contains(&o.scope_id) {
            continue;
        }
        if let Some(field) = field
            && !o.fields()?.contains(&field)
        {
            continue;
        }
        if !text.is_empty()
            && !o.name.to_lowercase().contains(&text)
            && !o.purpose.to_lowercase().contains(&text)
        {
            continue;
        }
        organizations.push(o);
    }
    let neighbourhoods = state
        .scopes()
        .all()
        .iter()
        .filter(|s| s.id != scope.id && within(state, scope.id).contains(&s.id))
        .cloned()
        .collect();
    Ok(Directory {
        consortium: state.db.consortium(scope.id).await?,
        may_create: caller.is_some(),
        may_run: may_run(state, caller, scope.id),
        scope,
        organizations,
        neighbourhoods,
    })
}

pub struct OrgView {
    pub org: OrgRow,
    pub scope: Scope,
    pub fields: Vec<Field>,
    pub members: Vec<MemberRow>,
    pub my_role: Option<MemberRole>,
    pub may_edit: bool,
    pub may_verify: bool,
    /// What it is recorded on as proposer or partner (public objects only), with each object's page.
    pub links: Vec<(LinkRow, String)>,
}

pub async fn view(state: &AppState, caller: Option<&Caller>, id: i64) -> ServiceResult<OrgView> {
    let org = state
        .db
        .organization(id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let scope = state
        .scopes()
        .get(org.scope_id)
        .cloned()
        .ok_or(ServiceError::NotFound)?;
    let my_role = match caller {
        Some(c) => state.db.member_role(id, c.id()).await?,
        None => None,
    };
    Ok(OrgView {
        fields: org.fields()?,
        members: state.db.organization_members(id).await?,
        links: super::network::links_of(state, id).await?,
        may_edit: cooperation::may_edit(my_role).is_ok(),
        may_verify: !org.verified() && may_run(state, caller, org.scope_id),
        my_role,
        scope,
        org,
    })
}

/// An organization's description as submitted.
pub struct OrgForm<'a> {
    pub name: &'a str,
    pub kind: &'a str,
    pub purpose: &'a str,
    /// Field names (checkboxes).
    pub fields: Vec<&'a str>,
    pub contact: &'a str,
    /// The neighbourhood's (or the scope's) code it works in.
    pub scope: &'a str,
}

struct Checked {
    scope_id: i64,
    name: String,
    kind: OrgKind,
    purpose: String,
    fields: Vec<Field>,
    contact: String,
}

fn check(state: &AppState, f: &OrgForm<'_>) -> ServiceResult<Checked> {
    use maeul_domain::account::FieldError;
    let mut errors = Fields::default();
    let name = errors.check("name", cooperation::parse_name(f.name));
    let kind = errors.check("kind", OrgKind::parse(f.kind).ok_or(FieldError::Required));
    let purpose = errors.check("purpose", cooperation::parse_text(f.purpose));
    let contact = errors.check("contact", cooperation::parse_text(f.contact));
    let scope = errors.check(
        "scope",
        state
            .scopes()
            .by_code(f.scope.trim())
            .map(|s| s.id)
            .ok_or(FieldError::Invalid),
    );
    let mut fields = vec![];
    for name in &f.fields {
        match Field::parse(name) {
            Some(field) if !fields.contains(&field) => fields.push(field),
            Some(_) => {}
            None => errors.add("fields", FieldError::Invalid),
        }
    }
    errors.finish()?;
    let (Some(name), Some(kind), Some(purpose), Some(contact), Some(scope_id)) =
        (name, kind, purpose, contact, scope)
    else {
        unreachable!("checked above")
    };
    Ok(Checked {
        scope_id,
        name,
        kind,
        purpose,
        fields,
        contact,
    })
}

/// A signed-in person registers an organization in a scope (they become its representative).
pub async fn create(
    state: &AppState,
    caller: Option<&Caller>,
    f: &OrgForm<'_>,
) -> ServiceResult<i64> {
    let me = signed_in(caller)?;
    let c = check(state, f)?;
    Ok(state
        .db
        .create_organization(
            &OrgInput {
                scope_id: c.scope_id,
                name: &c.name,
                kind: c.kind,
                purpose: &c.purpose,
                fields: &c.fields,
                contact: &c.contact,
            },
            me.id(),
        )
        .await?)
}

/// An organization's representative or staff edits it; anyone else is refused (`not_a_member`).
pub async fn edit(
    state: &AppState,
    caller: Option<&Caller>,
    id: i64,
    f: &OrgForm<'_>,
) -> ServiceResult<()> {
    let me = signed_in(caller)?;
    state
        .db
        .organization(id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let role = state.db.member_role(id, me.id()).await?;
    cooperation::may_edit(role).map_err(maeul_domain::Refusal::from)?;
    let c = check(state, f)?;
    state
        .db
        .update_organization(
            id,
            &OrgInput {
                scope_id: c.scope_id,
                name: &c.name,
                kind: c.kind,
                purpose: &c.purpose,
                fields: &c.fields,
                contact: &c.contact,
            },
        )
        .await?;
    Ok(())
}

pub async fn join(state: &AppState, caller: Option<&Caller>, id: i64) -> ServiceResult<()> {
    let me = signed_in(caller)?;
    state
        .db
        .organization(id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    Ok(state
        .db
        .join_organization(id, me.id(), MemberRole::Member)
        .await?)
}

pub async fn leave(state: &AppState, caller: Option<&Caller>, id: i64) -> ServiceResult<()> {
    let me = signed_in(caller)?;
    Ok(state.db.leave_organization(id, me.id()).await?)
}

/// The scope's platform staff verify an organization by its registration number or an in-person check.
pub async fn verify(
    state: &AppState,
    caller: Option<&Caller>,
    id: i64,
    method: &str,
    evidence: &str,
) -> ServiceResult<()> {
    let me = signed_in(caller)?;
    let org = state
        .db
        .organization(id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    if !may_run(state, Some(me), org.scope_id) {
        return Err(ServiceError::Forbidden);
    }
    let method = VerificationMethod::parse(method).ok_or_else(|| {
        maeul_domain::Refusal::field("method", maeul_domain::account::FieldError::Required)
    })?;
    Ok(state
        .db
        .verify_organization(id, method, evidence, me.id())
        .await?)
}

/// The organizations the caller edits (for acting on their behalf: bookings, grant applications).
pub async fn edited_by(state: &AppState, caller: Option<&Caller>) -> ServiceResult<Vec<i64>> {
    Ok(match caller {
        Some(c) => state
            .db
            .memberships_of(c.id())
            .await?
            .into_iter()
            .filter(|m| m.role.edits())
            .map(|m| m.organization_id)
            .collect(),
        None => vec![],
    })
}
