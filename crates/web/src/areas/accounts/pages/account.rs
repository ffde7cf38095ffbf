//! A person's own account: profile, home neighbourhood, password and API tokens.
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use maeul_db::residency::ResidencyRow;
use maeul_db::users::ApiToken;
use maeul_domain::{ResidencyBasis, ResidencyStatus, ScopeKind};
use serde::Deserialize;

use crate::AppState;
use crate::areas::accounts::service::{self, Declaration, PasswordChange};
use crate::http::{
    CsrfForm, Ctx, FormErrors, PageError, PagePath, PageQuery, ServiceError, notice, render,
};

const NOTICES: &[&str] = &[
    "notice-registered",
    "notice-password-changed",
    "notice-residency-pending",
    "notice-residency-verified",
    "notice-token-revoked",
];

#[derive(askama::Template)]
#[template(path = "accounts/account.html")]
struct AccountPage<'a> {
    ctx: &'a Ctx,
    user: &'a maeul_db::users::User,
    notice: Option<String>,
    roles: Vec<String>,
    residency: Option<&'a ResidencyRow>,
    residency_text: String,
    /// (district name, [(neighbourhood code, name)]) for the residence picker.
    neighbourhood_groups: Vec<(String, Vec<(String, String)>)>,
    selected_scope: String,
    bases: &'static [ResidencyBasis],
    errors: FormErrors,
    password_errors: FormErrors,
    tokens: Vec<ApiToken>,
    new_token: Option<String>,
}

#[derive(Default)]
struct AccountExtras {
    errors: FormErrors,
    password_errors: FormErrors,
    new_token: Option<String>,
    notice: Option<String>,
}

async fn account_page(
    state: &AppState,
    ctx: &Ctx,
    extras: AccountExtras,
) -> Result<Response, PageError> {
    let me = ctx.caller().ok_or(PageError::Unauthorized)?;
    let tree = ctx.scopes.clone();
    let roles = me
        .actor
        .grants
        .iter()
        .map(|g| {
            format!(
                "{} · {}",
                ctx.label(g.role),
                ctx.scope_name_by_id(&g.scope_id)
            )
        })
        .collect();
    let residency = me.residency.as_ref();
    let residency_text = residency
        .map(|r| format!("{}: {}", ctx.label(r.status), ctx.scope_label(&r.scope_id)))
        .unwrap_or_default();
    let city = tree.city().ok_or(PageError::NotFound)?;
    let neighbourhood_groups = tree
        .children(city.id)
        .map(|d| {
            let dongs = tree
                .children(d.id)
                .filter(|n| n.kind == ScopeKind::Neighbourhood)
                .map(|n| (n.code.clone(), ctx.scope_name(n)))
                .collect();
            (ctx.scope_name(d), dongs)
        })
        .collect();
    let selected_scope = residency
        .and_then(|r| tree.get(r.scope_id))
        .map(|s| s.code.clone())
        .unwrap_or_default();
    let status = if extras.errors.any() {
        extras.errors.status()
    } else {
        extras.password_errors.status()
    };
    let page = render(&AccountPage {
        ctx,
        user: &me.user,
        notice: extras.notice,
        roles,
        residency,
        residency_text,
        neighbourhood_groups,
        selected_scope,
        bases: &ResidencyBasis::ALL,
        errors: extras.errors,
        password_errors: extras.password_errors,
        tokens: service::tokens(state, me).await?,
        new_token: extras.new_token,
    })?;
    Ok((status, page).into_response())
}

#[derive(Deserialize)]
pub struct NoticeQuery {
    pub notice: Option<String>,
}

pub async fn account(
    State(state): State<AppState>,
    ctx: Ctx,
    PageQuery(q): PageQuery<NoticeQuery>,
) -> Result<Response, PageError> {
    let extras = AccountExtras {
        notice: notice(&ctx, q.notice.as_deref(), NOTICES),
        ..Default::default()
    };
    account_page(&state, &ctx, extras).await
}

#[derive(Deserialize)]
pub struct ResidencyForm {
    #[serde(default)]
    pub scope: String,
    #[serde(default)]
    pub basis: String,
    #[serde(default)]
    pub legal_name: String,
    #[serde(default)]
    pub birth_date: String,
}

pub async fn declare_residency(
    State(state): State<AppState>,
    ctx: Ctx,
    CsrfForm(form): CsrfForm<ResidencyForm>,
) -> Result<Response, PageError> {
    let me = ctx.caller().ok_or(PageError::Unauthorized)?;
    let declaration = Declaration {
        scope_code: &form.scope,
        basis: &form.basis,
        legal_name: &form.legal_name,
        birth_date: &form.birth_date,
    };
    match service::declare_residency(&state, me, &declaration).await {
        Ok(status) => {
            let notice = match status {
                ResidencyStatus::Verified => "notice-residency-verified",
                _ => "notice-residency-pending",
            };
            Ok(Redirect::to(&format!("/account?notice={notice}")).into_response())
        }
        Err(ServiceError::Refused(r)) => {
            let extras = AccountExtras {
                errors: FormErrors::from_refusal(&ctx, &r, "scope"),
                ..Default::default()
            };
            account_page(&state, &ctx, extras).await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize)]
pub struct PasswordForm {
    #[serde(default)]
    pub current: String,
    #[serde(default)]
    pub password: String,
    #[serde(default)]
    pub password_confirm: String,
}

pub async fn change_password(
    State(state): State<AppState>,
    ctx: Ctx,
    CsrfForm(form): CsrfForm<PasswordForm>,
) -> Result<Response, PageError> {
    let signed_in = ctx.signed_in.as_ref().ok_or(PageError::Unauthorized)?;
    let change = PasswordChange {
        current: &form.current,
        password: &form.password,
        password_confirm: &form.password_confirm,
    };
    match service::change_password(
        &state,
        &signed_in.caller,
        Some(&signed_in.session_hash),
        &change,
    )
    .await
    {
        Ok(()) => Ok(Redirect::to("/account?notice=notice-password-changed").into_response()),
        Err(ServiceError::Refused(r)) => {
            let extras = AccountExtras {
                password_errors: FormErrors::from_refusal(&ctx, &r, "password"),
                ..Default::default()
            };
            account_page(&state, &ctx, extras).await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize)]
pub struct TokenForm {
    #[serde(default)]
    pub label: String,
}

/// Creates an API token and shows it once; only its hash is kept.
pub async fn create_token(
    State(state): State<AppState>,
    ctx: Ctx,
    CsrfForm(form): CsrfForm<TokenForm>,
) -> Result<Response, PageError> {
    let me = ctx.caller().ok_or(PageError::Unauthorized)?;
    let (token, _) = service::issue_token(&state, &me.user, &form.label).await?;
    let extras = AccountExtras {
        new_token: Some(token),
        ..Default::default()
    };
    account_page(&state, &ctx, extras).await
}

pub async fn revoke_token(
    State(state): State<AppState>,
    ctx: Ctx,
    PagePath(id): PagePath<i64>,
    CsrfForm(_): CsrfForm<super::auth::Empty>,
) -> Result<Response, PageError> {
    let me = ctx.caller().ok_or(PageError::Unauthorized)?;
    service::revoke_token(&state, me, id).await?;
    Ok(Redirect::to("/account?notice=notice-token-revoked").into_response())
}
