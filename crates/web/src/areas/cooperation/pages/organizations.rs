//! Organizations' pages: a scope's directory (search, filters by field and neighbourhood, the consortium,
//! the registration form), an organization's page (members, join / leave, the editors' form, the staff's
//! verification) and the directory's CSV for the platform's staff.
use std::collections::HashMap;

use axum::extract::State;
use axum::response::{IntoResponse, Response};
use maeul_db::cooperation::{ConsortiumRow, OrgRow};
use maeul_domain::Scope;
use maeul_domain::cooperation::{Field, OrgKind, VerificationMethod};
use serde::Deserialize;

use super::{NoticeQuery, after, csv_download};
use crate::AppState;
use crate::areas::cooperation::service::organizations::{
    self, Directory, Filter, OrgForm, OrgView,
};
use crate::areas::cooperation::views::NOTICES;
use crate::http::{
    Alert, Crumbs, CsrfForm, Ctx, FormErrors, PageError, PagePath, PageQuery, notice, page_status,
    render,
};

#[derive(Deserialize, Default)]
pub struct DirectoryQuery {
    #[serde(default)]
    pub q: String,
    #[serde(default)]
    pub field: String,
    #[serde(default)]
    pub neighbourhood: String,
    pub notice: Option<String>,
}

/// An organization's form as sent: named fields plus one `field-<name>` checkbox per field of activity.
fn org_form(form: &HashMap<String, String>) -> OrgForm<'_> {
    let get = |k: &str| form.get(k).map(String::as_str).unwrap_or("");
    OrgForm {
        name: get("name"),
        kind: get("kind"),
        purpose: get("purpose"),
        contact: get("contact"),
        scope: get("scope"),
        fields: form
            .keys()
            .filter_map(|k| k.strip_prefix("field-"))
            .collect(),
    }
}

#[derive(askama::Template)]
#[template(path = "cooperation/organizations.html")]
struct DirectoryPage<'a> {
    ctx: &'a Ctx,
    crumbs: Crumbs,
    d: Directory,
    q: DirectoryQuery,
    kinds: &'static [OrgKind],
    all_fields: &'static [Field],
    form: HashMap<String, String>,
    errors: FormErrors,
    alert: Option<Alert>,
    notice: Option<String>,
}

impl DirectoryPage<'_> {
    fn consortium_role(&self, org: &OrgRow) -> Option<&ConsortiumRow> {
        self.d
            .consortium
            .iter()
            .find(|c| c.organization_id == org.id)
    }
    fn value(&self, key: &str) -> &str {
        self.form.get(key).map(String::as_str).unwrap_or("")
    }
    fn checked(&self, f: &Field) -> bool {
        self.form
            .contains_key(&format!("field-{}", maeul_domain::Named::as_str(*f)))
    }
}

async fn directory_page(
    state: &AppState,
    ctx: &Ctx,
    code: &str,
    q: DirectoryQuery,
    form: HashMap<String, String>,
    errors: FormErrors,
    alert: Option<Alert>,
) -> Result<Response, PageError> {
    let d = organizations::directory(
        state,
        ctx.caller(),
        code,
        &Filter {
            text: &q.q,
            field: &q.field,
            neighbourhood: &q.neighbourhood,
        },
    )
    .await?;
    let status = page_status(&errors, alert.as_ref());
    let page = render(&DirectoryPage {
        crumbs: Crumbs::within(ctx, &d.scope).current(ctx.t("coop-orgs-title")),
        notice: notice(ctx, q.notice.as_deref(), NOTICES),
        ctx,
        d,
        q,
        kinds: <OrgKind as maeul_domain::Named>::ALL,
        all_fields: <Field as maeul_domain::Named>::ALL,
        form,
        errors,
        alert,
    })?;
    Ok((status, page).into_response())
}

pub async fn directory(
    State(state): State<AppState>,
    ctx: Ctx,
    PagePath(code): PagePath<String>,
    PageQuery(q): PageQuery<DirectoryQuery>,
) -> Result<Response, PageError> {
    let mut form = HashMap::new();
    form.insert("scope".to_owned(), code.clone());
    directory_page(&state, &ctx, &code, q, form, FormErrors::default(), None).await
}

pub async fn create(
    State(state): State<AppState>,
    ctx: Ctx,
    PagePath(code): PagePath<String>,
    CsrfForm(form): CsrfForm<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let result = organizations::create(&state, ctx.caller(), &org_form(&form)).await;
    match after(
        &ctx,
        result,
        |id| format!("/organizations/{id}?notice=coop-notice-saved"),
        "name",
    )? {
        Ok(r) => Ok(r),
        Err(shown) => {
            let (errors, alert) = shown.into_parts();
            directory_page(
                &state,
                &ctx,
                &code,
                DirectoryQuery::default(),
                form,
                errors,
                alert,
            )
            .await
        }
    }
}

#[derive(askama::Template)]
#[template(path = "cooperation/organization.html")]
struct OrgPage<'a> {
    ctx: &'a Ctx,
    crumbs: Crumbs,
    v: OrgView,
    kinds: &'static [OrgKind],
    all_fields: &'static [Field],
    methods: &'static [VerificationMethod],
    /// The kinds of object a member may record the organization on.
    linkable: [maeul_domain::object::ObjectKind; 4],
    /// The neighbourhoods an organization of this district may name (and the district itself).
    scopes: Vec<Scope>,
    notice: Option<String>,
    alert: Option<Alert>,
    errors: FormErrors,
}

impl OrgPage<'_> {
    fn has_field(&self, f: &Field) -> bool {
        self.v.fields.contains(f)
    }
}

async fn org_page(
    state: &AppState,
    ctx: &Ctx,
    id: i64,
    notice_key: Option<&str>,
    alert: Option<Alert>,
    errors: FormErrors,
) -> Result<Response, PageError> {
    let v = organizations::view(state, ctx.caller(), id).await?;
    let district = state
        .scopes()
        .path(&v.scope)
        .into_iter()
        .find(|s| s.kind == maeul_domain::ScopeKind::District)
        .cloned()
        .unwrap_or_else(|| v.scope.clone());
    let mut scopes = vec![district.clone()];
    scopes.extend(state.scopes().children(district.id).cloned());
    let status = page_status(&errors, alert.as_ref());
    let page = render(&OrgPage {
        crumbs: Crumbs::within(ctx, &v.scope)
            .link(
                format!("/scopes/{}/organizations", district.code),
                ctx.t("coop-orgs-title"),
            )
            .current(&v.org.name),
        notice: notice(ctx, notice_key, NOTICES),
        ctx,
        v,
        kinds: <OrgKind as maeul_domain::Named>::ALL,
        all_fields: <Field as maeul_domain::Named>::ALL,
        methods: <VerificationMethod as maeul_domain::Named>::ALL,
        linkable: maeul_domain::cooperation::LINKABLE,
        scopes,
        alert,
        errors,
    })?;
    Ok((status, page).into_response())
}

pub async fn show(
    State(state): State<AppState>,
    ctx: Ctx,
    PagePath(id): PagePath<i64>,
    PageQuery(q): PageQuery<NoticeQuery>,
) -> Result<Response, PageError> {
    org_page(
        &state,
        &ctx,
        id,
        q.notice.as_deref(),
        None,
        FormErrors::default(),
    )
    .await
}

/// Back to the organization with a notice, or its page with the refusal.
async fn answer(
    state: &AppState,
    ctx: &Ctx,
    id: i64,
    result: Result<(), crate::http::ServiceError>,
    notice_key: &'static str,
    general: &'static str,
) -> Result<Response, PageError> {
    match after(
        ctx,
        result,
        |_| format!("/organizations/{id}?notice={notice_key}"),
        general,
    )? {
        Ok(r) => Ok(r),
        Err(shown) => {
            let (errors, alert) = shown.into_parts();
            org_page(state, ctx, id, None, alert, errors).await
        }
    }
}

pub async fn edit(
    State(state): State<AppState>,
    ctx: Ctx,
    PagePath(id): PagePath<i64>,
    CsrfForm(form): CsrfForm<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let result = organizations::edit(&state, ctx.caller(), id, &org_form(&form)).await;
    answer(&state, &ctx, id, result, "coop-notice-saved", "name").await
}

pub async fn join(
    State(state): State<AppState>,
    ctx: Ctx,
    PagePath(id): PagePath<i64>,
    CsrfForm(_): CsrfForm<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let result = organizations::join(&state, ctx.caller(), id).await;
    answer(&state, &ctx, id, result, "coop-notice-joined", "join").await
}

pub async fn leave(
    State(state): State<AppState>,
    ctx: Ctx,
    PagePath(id): PagePath<i64>,
    CsrfForm(_): CsrfForm<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let result = organizations::leave(&state, ctx.caller(), id).await;
    answer(&state, &ctx, id, result, "coop-notice-left", "leave").await
}

#[derive(Deserialize, Default)]
pub struct LinkForm {
    #[serde(default)]
    pub object_kind: String,
    #[serde(default)]
    pub object_id: String,
}

/// A member records the organization as a partner of an agenda item, budget project, committee meeting or
/// proposal (by kind and id).
pub async fn link(
    State(state): State<AppState>,
    ctx: Ctx,
    PagePath(id): PagePath<i64>,
    CsrfForm(form): CsrfForm<LinkForm>,
) -> Result<Response, PageError> {
    let result = crate::areas::cooperation::service::network::record_partner(
        &state,
        ctx.caller(),
        id,
        &form.object_kind,
        &form.object_id,
    )
    .await;
    answer(&state, &ctx, id, result, "coop-notice-linked", "object_id").await
}

#[derive(Deserialize, Default)]
pub struct VerifyForm {
    #[serde(default)]
    pub method: String,
    #[serde(default)]
    pub evidence: String,
}

pub async fn verify(
    State(state): State<AppState>,
    ctx: Ctx,
    PagePath(id): PagePath<i64>,
    CsrfForm(form): CsrfForm<VerifyForm>,
) -> Result<Response, PageError> {
    let result =
        organizations::verify(&state, ctx.caller(), id, &form.method, &form.evidence).await;
    answer(&state, &ctx, id, result, "coop-notice-verified", "evidence").await
}

/// The directory as CSV, with contacts and verification evidence: for the platform's staff only.
pub async fn csv(
    State(state): State<AppState>,
    ctx: Ctx,
    PagePath(code): PagePath<String>,
) -> Result<Response, PageError> {
    use crate::http::csv::{Cell, CsvWriter};
    let d = organizations::directory(&state, ctx.caller(), &code, &Filter::default()).await?;
    if ctx.caller().is_none() {
        return Err(PageError::Unauthorized);
    }
    if !d.may_run {
        return Err(PageError::Forbidden);
    }
    let written = (|| {
        let mut w = CsvWriter::default();
        w.row(
            [
                "id",
                "name",
                "kind",
                "scope_code",
                "fields",
                "members",
                "verified",
                "method",
                "evidence",
                "contact",
            ]
            .map(Cell::from),
        )?;
        for o in &d.organizations {
            w.row([
                Cell::Number(o.id),
                Cell::from(&o.name),
                Cell::from(maeul_domain::Named::as_str(o.kind)),
                Cell::from(
                    state
                        .scopes()
                        .get(o.scope_id)
                        .map(|s| s.code.as_str())
                        .unwrap_or(""),
                ),
                Cell::from(&o.fields),
                Cell::Number(o.members),
                Cell::from(if o.verified() { "yes" } else { "no" }),
                Cell::from(
                    o.verification_method
                        .0
                        .map(maeul_domain::Named::as_str)
                        .unwrap_or(""),
                ),
                Cell::from(&o.verification_evidence),
                Cell::from(&o.contact),
            ])?;
        }
        w.finish()
    })();
    let body = written.map_err(|e| {
        tracing::error!(error = %e, "organizations CSV failed");
        PageError::Internal
    })?;
    Ok(csv_download(
        body,
        "attachment; filename=\"organizations.csv\"",
    ))
}
