//! Registration, sign-in and -out, forgotten passwords, and the language switch.
use std::net::SocketAddr;

use axum::extract::connect_info::ConnectInfo;
use axum::extract::{FromRequestParts, Path, Query, State};
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use maeul_db::DbError;
use maeul_db::secrets::{random_token, token_hash};
use maeul_domain::{Lang, account};
use serde::Deserialize;

use crate::AppState;
use crate::auth::{
    LANG_COOKIE, SESSION_COOKIE, SESSION_DAYS, cookie, dummy_hash, hash_password, verify_password,
};
use crate::context::Ctx;
use crate::csrf::CsrfForm;
use crate::error::PageError;
use crate::pages::{FormErrors, local_path, notice, render};

/// The client's address, for rate limiting (the socket peer; "unknown" in in-process tests).
pub struct ClientIp(pub String);

impl<S: Send + Sync> FromRequestParts<S> for ClientIp {
    type Rejection = std::convert::Infallible;
    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let ip = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|c| c.0.ip().to_string())
            .unwrap_or_else(|| "unknown".into());
        Ok(ClientIp(ip))
    }
}

/// Starts a session for `user_id` and returns the redirect that sets its cookie.
pub async fn start_session(
    state: &AppState,
    user_id: i64,
    to: &str,
) -> Result<Response, PageError> {
    let token = random_token();
    let expires = maeul_db::now() + SESSION_DAYS * 86_400;
    state
        .db
        .create_session(user_id, &token_hash(&token), expires)
        .await?;
    let mut response = Redirect::to(local_path(to)).into_response();
    let value = cookie(
        SESSION_COOKIE,
        &token,
        SESSION_DAYS * 86_400,
        state.config.secure_cookies,
    );
    response.headers_mut().append(
        header::SET_COOKIE,
        HeaderValue::from_str(&value).map_err(|_| PageError::Internal)?,
    );
    Ok(response)
}

// --- registration ------------------------------------------------------------------------------------

#[derive(Deserialize, Default)]
pub struct RegisterForm {
    #[serde(default)]
    pub display_name: String,
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub password: String,
    #[serde(default)]
    pub password_confirm: String,
}

#[derive(askama::Template)]
#[template(path = "register.html")]
struct RegisterPage<'a> {
    ctx: &'a Ctx,
    form: RegisterForm,
    errors: FormErrors,
}

pub async fn register_form(ctx: Ctx) -> Result<Response, PageError> {
    render(&RegisterPage {
        ctx: &ctx,
        form: RegisterForm::default(),
        errors: FormErrors::default(),
    })
}

pub async fn register(
    State(state): State<AppState>,
    ctx: Ctx,
    CsrfForm(mut form): CsrfForm<RegisterForm>,
) -> Result<Response, PageError> {
    let mut errors = FormErrors::default();
    let name = errors.check(
        &ctx,
        "display_name",
        account::parse_display_name(&form.display_name),
    );
    let email = errors.check(&ctx, "email", account::parse_email(&form.email));
    errors.check(&ctx, "password", account::check_password(&form.password));
    if form.password != form.password_confirm {
        errors.add(&ctx, "password_confirm", &account::FieldError::Mismatch);
    }
    if let (Some(name), Some(email), false) = (name, email, errors.any()) {
        let hash = hash_password(form.password.clone()).await;
        match state
            .db
            .create_user(&email, &name, &hash, ctx.lang.code())
            .await
        {
            Ok(user_id) => {
                return start_session(&state, user_id, "/account?notice=notice-registered").await;
            }
            Err(DbError::Conflict(_)) => errors.add(&ctx, "email", &account::FieldError::Taken),
            Err(e) => return Err(e.into()),
        }
    }
    form.password.clear();
    form.password_confirm.clear();
    let page = render(&RegisterPage {
        ctx: &ctx,
        form,
        errors,
    })?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
}

// --- sign-in and -out --------------------------------------------------------------------------------

#[derive(Deserialize, Default)]
pub struct LoginQuery {
    pub next: Option<String>,
    pub notice: Option<String>,
}

#[derive(Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub password: String,
    #[serde(default)]
    pub next: String,
}

#[derive(askama::Template)]
#[template(path = "login.html")]
struct LoginPage<'a> {
    ctx: &'a Ctx,
    email: String,
    next: String,
    notice: Option<String>,
    error: Option<String>,
    demo_accounts: &'static [&'static str],
}

pub async fn login_form(ctx: Ctx, Query(q): Query<LoginQuery>) -> Result<Response, PageError> {
    render(&LoginPage {
        notice: notice(&ctx, q.notice.as_deref()),
        ctx: &ctx,
        email: String::new(),
        next: q.next.unwrap_or_else(|| "/".into()),
        error: None,
        demo_accounts: crate::demo::DEMO_EMAILS,
    })
}

pub async fn login(
    State(state): State<AppState>,
    ctx: Ctx,
    ClientIp(ip): ClientIp,
    CsrfForm(form): CsrfForm<LoginForm>,
) -> Result<Response, PageError> {
    let email = form.email.trim().to_lowercase();
    let guard = &state.login_guard;
    let (status, error) = if !guard.allowed(&ip, &email) {
        (StatusCode::TOO_MANY_REQUESTS, ctx.t("login-rate-limited"))
    } else {
        let user = state.db.user_by_email(&email).await?;
        let hash = user
            .as_ref()
            .map_or_else(|| dummy_hash().to_owned(), |u| u.password_hash.clone());
        let password_ok = verify_password(form.password, hash).await;
        match user {
            // Only the right password learns that the account is blocked.
            Some(user) if password_ok && user.blocked_at.is_some() => {
                (StatusCode::FORBIDDEN, ctx.t("login-blocked"))
            }
            Some(user) if password_ok => {
                guard.succeeded(&email);
                return start_session(&state, user.id, &form.next).await;
            }
            _ => {
                guard.failed(&ip, &email);
                (StatusCode::UNAUTHORIZED, ctx.t("login-failed"))
            }
        }
    };
    let page = render(&LoginPage {
        ctx: &ctx,
        email,
        next: form.next,
        notice: None,
        error: Some(error),
        demo_accounts: crate::demo::DEMO_EMAILS,
    })?;
    Ok((status, page).into_response())
}

#[derive(Deserialize)]
pub struct Empty {}

pub async fn logout(
    State(state): State<AppState>,
    ctx: Ctx,
    CsrfForm(_): CsrfForm<Empty>,
) -> Result<Response, PageError> {
    if let Some(s) = &ctx.signed_in {
        state.db.delete_session(&s.session_hash).await?;
    }
    let mut response = Redirect::to("/login?notice=notice-signed-out").into_response();
    let expired = cookie(SESSION_COOKIE, "", 0, state.config.secure_cookies);
    response.headers_mut().append(
        header::SET_COOKIE,
        HeaderValue::from_str(&expired).map_err(|_| PageError::Internal)?,
    );
    Ok(response)
}

// --- language ----------------------------------------------------------------------------------------

#[derive(Deserialize)]
pub struct LangForm {
    pub lang: String,
    #[serde(default)]
    pub back: String,
}

/// Switches the language: remembered in a cookie, and on the account so e-mails follow it.
pub async fn set_lang(
    State(state): State<AppState>,
    ctx: Ctx,
    CsrfForm(form): CsrfForm<LangForm>,
) -> Result<Response, PageError> {
    let lang = Lang::from_tag(&form.lang)
        .ok_or_else(|| PageError::BadRequest(format!("unknown language {:?}", form.lang)))?;
    if let Some(user) = ctx.user() {
        state.db.set_user_lang(user.id, lang.code()).await?;
    }
    let mut response = Redirect::to(local_path(&form.back)).into_response();
    let value = cookie(
        LANG_COOKIE,
        lang.code(),
        365 * 86_400,
        state.config.secure_cookies,
    );
    response.headers_mut().append(
        header::SET_COOKIE,
        HeaderValue::from_str(&value).map_err(|_| PageError::Internal)?,
    );
    Ok(response)
}

// --- forgotten password ------------------------------------------------------------------------------

#[derive(askama::Template)]
#[template(path = "forgot.html")]
struct ForgotPage<'a> {
    ctx: &'a Ctx,
    sent: bool,
    error: Option<String>,
}

pub async fn forgot_form(ctx: Ctx) -> Result<Response, PageError> {
    render(&ForgotPage {
        ctx: &ctx,
        sent: false,
        error: None,
    })
}

#[derive(Deserialize)]
pub struct ForgotForm {
    #[serde(default)]
    pub email: String,
}

pub const RESET_VALID_SECS: i64 = 3600;

/// Sends a reset link if the account exists. The answer is the same either way, so the form cannot be
/// used to find out who has an account.
pub async fn forgot(
    State(state): State<AppState>,
    ctx: Ctx,
    ClientIp(ip): ClientIp,
    CsrfForm(form): CsrfForm<ForgotForm>,
) -> Result<Response, PageError> {
    let email = match account::parse_email(&form.email) {
        Ok(email) => email,
        Err(e) => {
            let page = render(&ForgotPage {
                ctx: &ctx,
                sent: false,
                error: Some(ctx.t(e.message_id())),
            })?;
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
        }
    };
    if !state.login_guard.reset_request(&ip) {
        return Err(PageError::RateLimited);
    }
    if let Some(user) = state.db.user_by_email(&email).await? {
        let token = random_token();
        state
            .db
            .create_password_reset(
                user.id,
                &token_hash(&token),
                maeul_db::now() + RESET_VALID_SECS,
            )
            .await?;
        let lang = Lang::from_tag(&user.lang).unwrap_or(Lang::Ko);
        let link = format!(
            "{}/password/reset/{token}",
            state.config.base_url.trim_end_matches('/')
        );
        let subject = state.i18n.tr(lang, "mail-reset-subject", &[]);
        let body = state.i18n.tr(
            lang,
            "mail-reset-body",
            &[
                ("name", user.display_name.clone().into()),
                ("link", link.into()),
            ],
        );
        state.db.enqueue_mail(&user.email, &subject, &body).await?;
    }
    render(&ForgotPage {
        ctx: &ctx,
        sent: true,
        error: None,
    })
}

#[derive(askama::Template)]
#[template(path = "reset.html")]
struct ResetPage<'a> {
    ctx: &'a Ctx,
    token: String,
    valid: bool,
    errors: FormErrors,
}

pub async fn reset_form(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(token): Path<String>,
) -> Result<Response, PageError> {
    let valid = state.db.password_reset_valid(&token_hash(&token)).await?;
    render(&ResetPage {
        ctx: &ctx,
        token,
        valid,
        errors: FormErrors::default(),
    })
}

#[derive(Deserialize)]
pub struct ResetForm {
    #[serde(default)]
    pub password: String,
    #[serde(default)]
    pub password_confirm: String,
}

pub async fn reset(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(token): Path<String>,
    CsrfForm(form): CsrfForm<ResetForm>,
) -> Result<Response, PageError> {
    let mut errors = FormErrors::default();
    errors.check(&ctx, "password", account::check_password(&form.password));
    if form.password != form.password_confirm {
        errors.add(&ctx, "password_confirm", &account::FieldError::Mismatch);
    }
    if !errors.any() {
        let hash = hash_password(form.password).await;
        return match state.db.reset_password(&token_hash(&token), &hash).await {
            Ok(_) => Ok(Redirect::to("/login?notice=notice-password-reset").into_response()),
            Err(DbError::NotFound) => {
                let page = render(&ResetPage {
                    ctx: &ctx,
                    token,
                    valid: false,
                    errors,
                })?;
                Ok((StatusCode::GONE, page).into_response())
            }
            Err(e) => Err(e.into()),
        };
    }
    let page = render(&ResetPage {
        ctx: &ctx,
        token,
        valid: true,
        errors,
    })?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
}
