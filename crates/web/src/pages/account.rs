//! A person's own account: profile, home neighbourhood, password and API tokens.
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use maeul_db::residency::ResidencyRow;
use maeul_db::secrets::{random_token, token_hash};
use maeul_db::users::ApiToken;
use maeul_domain::account::{self, FieldError};
use maeul_domain::residency::register_identity;
use maeul_domain::{ResidencyBasis, ScopeKind};
use serde::Deserialize;

use crate::AppState;
use crate::auth::{hash_password, verify_password};
use crate::context::{Ctx, SignedIn};
use crate::csrf::CsrfForm;
use crate::error::PageError;
use crate::pages::{FormErrors, notice, render};

#[derive(askama::Template)]
#[template(path = "account.html")]
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
    bases: Vec<&'static str>,
    errors: FormErrors,
    password_errors: FormErrors,
    tokens: Vec<ApiToken>,
    new_token: Option<String>,
}

/// The signed-in person, or a redirect to sign in.
pub fn require_user(ctx: &Ctx) -> Result<&SignedIn, PageError> {
    ctx.signed_in.as_ref().ok_or(PageError::Unauthorized)
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
    let me = require_user(ctx)?;
    let tree = ctx.scopes.clone();
    let roles = me
        .actor
        .grants
        .iter()
        .map(|g| {
            format!(
                "{} · {}",
                ctx.t(&format!("role-{}", g.role.as_str())),
                ctx.scope_name_by_id(&g.scope_id)
            )
        })
        .collect();
    let residency = me.residency.as_ref();
    let residency_text = residency
        .map(|r| {
            let status = ctx.t(&format!("residency-status-{}", r.status));
            format!("{status}: {}", ctx.scope_label(&r.scope_id))
        })
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
    let tokens = state.db.api_tokens_of(me.user.id).await?;
    let status = if extras.errors.any() || extras.password_errors.any() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
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
        bases: ResidencyBasis::ALL.iter().map(|b| b.as_str()).collect(),
        errors: extras.errors,
        password_errors: extras.password_errors,
        tokens,
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
    Query(q): Query<NoticeQuery>,
) -> Result<Response, PageError> {
    let extras = AccountExtras {
        notice: notice(&ctx, q.notice.as_deref()),
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
    let me = require_user(&ctx)?;
    let mut errors = FormErrors::default();
    let tree = ctx.scopes.clone();
    let scope = tree
        .by_code(form.scope.trim())
        .filter(|s| s.kind == ScopeKind::Neighbourhood);
    if scope.is_none() {
        errors.add(
            &ctx,
            "scope",
            &if form.scope.trim().is_empty() {
                FieldError::Required
            } else {
                FieldError::Invalid
            },
        );
    }
    let basis = ResidencyBasis::parse(&form.basis).unwrap_or(ResidencyBasis::Resident);
    // The register identity is optional, but if one part is given both must be valid.
    let identity = if form.legal_name.trim().is_empty() && form.birth_date.trim().is_empty() {
        None
    } else {
        match register_identity(&form.legal_name, &form.birth_date) {
            Ok(identity) => Some(identity),
            Err(FieldError::Required) if form.legal_name.trim().is_empty() => {
                errors.add(&ctx, "legal_name", &FieldError::Required);
                None
            }
            Err(e) => {
                errors.add(&ctx, "birth_date", &e);
                None
            }
        }
    };
    let (Some(scope), false) = (scope, errors.any()) else {
        return account_page(
            &state,
            &ctx,
            AccountExtras {
                errors,
                ..Default::default()
            },
        )
        .await;
    };
    let identity_hash = match identity {
        Some(identity) => Some(state.db.identity_hash(&identity).await?),
        None => None,
    };
    let status = state
        .db
        .declare_residency(me.user.id, scope.id, basis, identity_hash.as_deref())
        .await?;
    let notice = match status {
        maeul_domain::ResidencyStatus::Verified => "notice-residency-verified",
        _ => "notice-residency-pending",
    };
    Ok(Redirect::to(&format!("/account?notice={notice}")).into_response())
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
    let me = require_user(&ctx)?;
    let mut errors = FormErrors::default();
    if !verify_password(form.current, me.user.password_hash.clone()).await {
        errors.add(&ctx, "current", &FieldError::Invalid);
    }
    errors.check(&ctx, "password", account::check_password(&form.password));
    if form.password != form.password_confirm {
        errors.add(&ctx, "password_confirm", &FieldError::Mismatch);
    }
    if errors.any() {
        return account_page(
            &state,
            &ctx,
            AccountExtras {
                password_errors: errors,
                ..Default::default()
            },
        )
        .await;
    }
    let hash = hash_password(form.password).await;
    state
        .db
        .change_password(me.user.id, &hash, Some(&me.session_hash))
        .await?;
    Ok(Redirect::to("/account?notice=notice-password-changed").into_response())
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
    let me = require_user(&ctx)?;
    let label = form.label.split_whitespace().collect::<Vec<_>>().join(" ");
    let label = if label.is_empty() {
        "token".to_owned()
    } else {
        label.chars().take(60).collect()
    };
    let token = random_token();
    state
        .db
        .create_api_token(me.user.id, &token_hash(&token), &label)
        .await?;
    account_page(
        &state,
        &ctx,
        AccountExtras {
            new_token: Some(token),
            ..Default::default()
        },
    )
    .await
}

pub async fn revoke_token(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    CsrfForm(_): CsrfForm<crate::pages::auth::Empty>,
) -> Result<Response, PageError> {
    let me = require_user(&ctx)?;
    state.db.revoke_api_token(me.user.id, id).await?;
    Ok(Redirect::to("/account?notice=notice-token-revoked").into_response())
}
