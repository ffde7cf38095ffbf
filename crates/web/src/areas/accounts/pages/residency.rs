//! Officials' work: the residence verification queue and the resident-register import.
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use maeul_db::identity::{IdentityConflict, Resolution};
use maeul_db::residency::PendingResidency;
use maeul_domain::residency::ResidencyDecision;

use crate::AppState;
use crate::areas::accounts::register::RegisterProblem;
use crate::areas::accounts::service;
use crate::http::csrf::{check_request, tokens_match};
use crate::http::{CsrfForm, Ctx, PageError, PagePath, PageQuery, notice, render};
use crate::i18n::Message;

use super::account::NoticeQuery;
use super::auth::Empty;

#[derive(askama::Template)]
#[template(path = "accounts/manage_residency.html")]
struct ManagePage<'a> {
    ctx: &'a Ctx,
    notice: Option<String>,
    pending: Vec<PendingResidency>,
    conflicts: Vec<IdentityConflict>,
    import_result: Option<String>,
    import_errors: Vec<String>,
}

async fn manage_page(
    state: &AppState,
    ctx: &Ctx,
    notice: Option<String>,
    import_result: Option<String>,
    import_errors: Vec<String>,
) -> Result<Response, PageError> {
    let me = ctx.caller().ok_or(PageError::Unauthorized)?;
    let pending = service::verification_queue(state, me).await?;
    let conflicts = service::identity_conflicts(state, me).await?;
    let status = if import_errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let page = render(&ManagePage {
        ctx,
        notice,
        pending,
        conflicts,
        import_result,
        import_errors,
    })?;
    Ok((status, page).into_response())
}

pub async fn queue(
    State(state): State<AppState>,
    ctx: Ctx,
    PageQuery(q): PageQuery<NoticeQuery>,
) -> Result<Response, PageError> {
    let notice = notice(
        &ctx,
        q.notice.as_deref(),
        &["notice-decided", "notice-conflict-resolved"],
    );
    manage_page(&state, &ctx, notice, None, vec![]).await
}

async fn decide(
    state: &AppState,
    ctx: &Ctx,
    user_id: i64,
    decision: ResidencyDecision,
) -> Result<Response, PageError> {
    let me = ctx.caller().ok_or(PageError::Unauthorized)?;
    service::decide_residency(state, me, user_id, decision).await?;
    Ok(Redirect::to("/manage/residency?notice=notice-decided").into_response())
}

pub async fn verify(
    State(state): State<AppState>,
    ctx: Ctx,
    PagePath(user_id): PagePath<i64>,
    CsrfForm(_): CsrfForm<Empty>,
) -> Result<Response, PageError> {
    decide(&state, &ctx, user_id, ResidencyDecision::Verify).await
}

pub async fn reject(
    State(state): State<AppState>,
    ctx: Ctx,
    PagePath(user_id): PagePath<i64>,
    CsrfForm(_): CsrfForm<Empty>,
) -> Result<Response, PageError> {
    decide(&state, &ctx, user_id, ResidencyDecision::Reject).await
}

async fn resolve(
    state: &AppState,
    ctx: &Ctx,
    id: i64,
    resolution: Resolution,
) -> Result<Response, PageError> {
    let me = ctx.caller().ok_or(PageError::Unauthorized)?;
    service::resolve_identity_conflict(state, me, id, resolution).await?;
    Ok(Redirect::to("/manage/residency?notice=notice-conflict-resolved").into_response())
}

/// Moves an identity's verification to the account that claimed it.
pub async fn move_identity(
    State(state): State<AppState>,
    ctx: Ctx,
    PagePath(id): PagePath<i64>,
    CsrfForm(_): CsrfForm<Empty>,
) -> Result<Response, PageError> {
    resolve(&state, &ctx, id, Resolution::Move).await
}

/// Keeps an identity's verification where it is; the claim is rejected.
pub async fn keep_identity(
    State(state): State<AppState>,
    ctx: Ctx,
    PagePath(id): PagePath<i64>,
    CsrfForm(_): CsrfForm<Empty>,
) -> Result<Response, PageError> {
    resolve(&state, &ctx, id, Resolution::Keep).await
}

#[derive(serde::Deserialize)]
pub struct CsrfQuery {
    #[serde(rename = "_csrf", default)]
    pub csrf: String,
}

/// Imports a resident-register CSV. Multipart bodies carry the CSRF token in the query string, checked
/// (with the Origin) before the body is read.
pub async fn import(
    State(state): State<AppState>,
    ctx: Ctx,
    PageQuery(q): PageQuery<CsrfQuery>,
    request: axum::extract::Request,
) -> Result<Response, PageError> {
    check_request(&request)?;
    if !tokens_match(&ctx.csrf, &q.csrf) {
        return Err(PageError::Csrf);
    }
    let me = ctx.caller().ok_or(PageError::Unauthorized)?;
    let data = read_file(request, &state).await?;
    match service::import_register(&state, me, &data).await? {
        Ok(done) => {
            let result = ctx.i18n.tr(
                ctx.lang,
                "import-done",
                &[
                    ("rows", done.rows.into()),
                    ("new", done.new.into()),
                    ("verified", done.verified.into()),
                ],
            );
            manage_page(&state, &ctx, None, Some(result), vec![]).await
        }
        Err(problems) => {
            let lines = problems.iter().map(|p| problem_text(&ctx, p)).collect();
            manage_page(&state, &ctx, None, None, lines).await
        }
    }
}

/// The uploaded `file` field, read by the one multipart reader every upload uses.
async fn read_file(
    request: axum::extract::Request,
    state: &AppState,
) -> Result<Vec<u8>, PageError> {
    use crate::http::upload::{Unreadable, read_form};
    match read_form(request, state).await {
        Ok(form) => form
            .file
            .map(|(_, bytes)| bytes.to_vec())
            .ok_or_else(|| PageError::BadRequest(Message::id("request-error-no-file"))),
        Err(Unreadable::TooLarge) => Err(PageError::TooLarge),
        Err(Unreadable::Broken) => Err(PageError::BadRequest(Message::id("request-error-form"))),
    }
}

fn problem_text(ctx: &Ctx, p: &RegisterProblem) -> String {
    let line = |line: u64, problem: String| {
        ctx.i18n.tr(
            ctx.lang,
            "import-line-error",
            &[("line", line.into()), ("problem", problem.into())],
        )
    };
    match p {
        RegisterProblem::BadHeader => ctx.t("import-bad-header"),
        RegisterProblem::Empty => ctx.t("import-empty"),
        RegisterProblem::Unreadable { line: n } => line(*n, ctx.t("import-unreadable")),
        RegisterProblem::Field { line: n, error } => {
            line(*n, ctx.message(&Message::refusal(error)))
        }
        RegisterProblem::UnknownNeighbourhood { line: n, code } => line(
            *n,
            ctx.t1("import-unknown-neighbourhood", "code", code.clone()),
        ),
        RegisterProblem::OutsideAuthority { line: n, code } => {
            line(*n, ctx.t1("import-outside-authority", "code", code.clone()))
        }
    }
}
