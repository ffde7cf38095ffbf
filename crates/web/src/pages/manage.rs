//! Officials' work: the residence verification queue and the resident-register import.
use std::collections::BTreeMap;

use axum::extract::{Multipart, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use maeul_db::residency::PendingResidency;
use maeul_domain::residency::{ResidencyDecision, register_identity};
use maeul_domain::{Action, ScopeKind};

use crate::AppState;
use crate::context::Ctx;
use crate::csrf::{CsrfForm, tokens_match};
use crate::error::PageError;
use crate::pages::account::{NoticeQuery, require_user};
use crate::pages::auth::Empty;
use crate::pages::{notice, render};

#[derive(askama::Template)]
#[template(path = "manage_residency.html")]
struct ManagePage<'a> {
    ctx: &'a Ctx,
    notice: Option<String>,
    pending: Vec<PendingResidency>,
    import_result: Option<String>,
    import_errors: Vec<String>,
}

const QUEUE_LIMIT: i64 = 500;

/// Pending declarations in every scope where this official may verify, each listed once.
async fn queue(state: &AppState, ctx: &Ctx) -> Result<Vec<PendingResidency>, PageError> {
    let me = require_user(ctx)?;
    let mut by_user = BTreeMap::new();
    for grant in me
        .actor
        .grants
        .iter()
        .filter(|g| Action::VerifyResidency.roles().contains(&g.role))
    {
        let Some(scope) = ctx.scopes.get(grant.scope_id) else {
            continue;
        };
        for p in state
            .db
            .pending_residencies_under(&scope.code, QUEUE_LIMIT)
            .await?
        {
            by_user.insert((p.declared_at, p.user_id), p);
        }
    }
    Ok(by_user.into_values().collect())
}

async fn manage_page(
    state: &AppState,
    ctx: &Ctx,
    notice: Option<String>,
    import_result: Option<String>,
    import_errors: Vec<String>,
) -> Result<Response, PageError> {
    if !ctx.may_verify() {
        require_user(ctx)?;
        return Err(PageError::Forbidden);
    }
    let status = if import_errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let pending = queue(state, ctx).await?;
    let page = render(&ManagePage {
        ctx,
        notice,
        pending,
        import_result,
        import_errors,
    })?;
    Ok((status, page).into_response())
}

pub async fn residency_queue(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(q): Query<NoticeQuery>,
) -> Result<Response, PageError> {
    let notice = notice(&ctx, q.notice.as_deref());
    manage_page(&state, &ctx, notice, None, vec![]).await
}

async fn decide(
    state: &AppState,
    ctx: &Ctx,
    user_id: i64,
    decision: ResidencyDecision,
) -> Result<Response, PageError> {
    let me = require_user(ctx)?;
    let residency = state
        .db
        .residency_of(user_id)
        .await?
        .ok_or(PageError::NotFound)?;
    let target = ctx
        .scopes
        .scope_ref(residency.scope_id)
        .ok_or(PageError::NotFound)?;
    if !me.actor.may(Action::VerifyResidency, &target) {
        return Err(PageError::Forbidden);
    }
    state
        .db
        .decide_residency(user_id, decision, me.user.id, None)
        .await?;
    Ok(Redirect::to("/manage/residency?notice=notice-decided").into_response())
}

pub async fn verify(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(user_id): Path<i64>,
    CsrfForm(_): CsrfForm<Empty>,
) -> Result<Response, PageError> {
    decide(&state, &ctx, user_id, ResidencyDecision::Verify).await
}

pub async fn reject(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(user_id): Path<i64>,
    CsrfForm(_): CsrfForm<Empty>,
) -> Result<Response, PageError> {
    decide(&state, &ctx, user_id, ResidencyDecision::Reject).await
}

#[derive(serde::Deserialize)]
pub struct CsrfQuery {
    #[serde(rename = "_csrf", default)]
    pub csrf: String,
}

/// Imports a resident-register CSV (`name,birth_date,neighbourhood_code`). Every row is checked first;
/// if any is wrong nothing is imported and each problem is listed with its line.
pub async fn import_register(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(q): Query<CsrfQuery>,
    mut multipart: Multipart,
) -> Result<Response, PageError> {
    // Multipart bodies carry the CSRF token in the query string, checked before the body is read.
    if !tokens_match(&ctx.csrf, &q.csrf) {
        return Err(PageError::Csrf);
    }
    let me = require_user(&ctx)?;
    if !me.actor.may_somewhere(Action::ImportResidentRegister) {
        return Err(PageError::Forbidden);
    }
    let mut data = None;
    while let Some(field) = multipart
        .next_field()
        .await
        .map_err(|e| PageError::BadRequest(e.body_text()))?
    {
        if field.name() == Some("file") {
            data = Some(
                field
                    .bytes()
                    .await
                    .map_err(|e| PageError::BadRequest(e.body_text()))?,
            );
        }
    }
    let data = data.ok_or_else(|| PageError::BadRequest("no file was uploaded".into()))?;
    let (rows, errors) = parse_register(&ctx, &data);
    if !errors.is_empty() {
        return manage_page(&state, &ctx, None, None, errors).await;
    }
    let mut hashed = Vec::with_capacity(rows.len());
    for (identity, scope_id) in rows {
        hashed.push((state.db.identity_hash(&identity).await?, scope_id));
    }
    let (new_rows, verified) = state.db.import_register(&hashed, me.user.id).await?;
    let result = ctx.i18n.tr(
        ctx.lang,
        "import-done",
        &[
            ("rows", hashed.len().into()),
            ("new", new_rows.into()),
            ("verified", verified.into()),
        ],
    );
    manage_page(&state, &ctx, None, Some(result), vec![]).await
}

/// Parses and checks register rows; returns (identity, neighbourhood id) rows and the problems found.
fn parse_register(ctx: &Ctx, data: &[u8]) -> (Vec<(String, i64)>, Vec<String>) {
    let me = ctx.signed_in.as_ref().expect("checked by the caller");
    let data = data.strip_prefix("\u{feff}".as_bytes()).unwrap_or(data);
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .from_reader(data);
    let mut rows = vec![];
    let mut errors = vec![];
    let line_error = |line: u64, what: String| {
        ctx.i18n.tr(
            ctx.lang,
            "import-line-error",
            &[("line", line.into()), ("problem", what.into())],
        )
    };
    match reader.headers() {
        Ok(h) if h.iter().eq(["name", "birth_date", "neighbourhood_code"]) => {}
        _ => {
            errors.push(ctx.t("import-bad-header"));
            return (rows, errors);
        }
    }
    for record in reader.records() {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line());
                errors.push(line_error(line, e.to_string()));
                continue;
            }
        };
        let line = record.position().map_or(0, |p| p.line());
        let (name, birth, code) = (&record[0], &record[1], &record[2]);
        let identity = match register_identity(name, birth) {
            Ok(identity) => identity,
            Err(e) => {
                errors.push(line_error(line, ctx.t(e.message_id())));
                continue;
            }
        };
        let Some(scope) = ctx
            .scopes
            .by_code(code)
            .filter(|s| s.kind == ScopeKind::Neighbourhood)
        else {
            errors.push(line_error(
                line,
                ctx.t1("import-unknown-neighbourhood", "code", code.to_owned()),
            ));
            continue;
        };
        let allowed = ctx
            .scopes
            .scope_ref(scope.id)
            .is_some_and(|t| me.actor.may(Action::ImportResidentRegister, &t));
        if !allowed {
            errors.push(line_error(
                line,
                ctx.t1("import-outside-authority", "code", code.to_owned()),
            ));
            continue;
        }
        rows.push((identity, scope.id));
    }
    if rows.is_empty() && errors.is_empty() {
        errors.push(ctx.t("import-empty"));
    }
    (rows, errors)
}
