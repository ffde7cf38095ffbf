//! Registration, sign-in and -out, forgotten passwords, and the language switch.
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use maeul_domain::Lang;
use serde::Deserialize;

use crate::AppState;
use crate::areas::accounts::service::{self, Registration};
use crate::http::auth::{LANG_COOKIE, SESSION_COOKIE, SESSION_DAYS, cookie};
use crate::http::{
    ClientIp, CsrfForm, Ctx, FormErrors, PageError, PagePath, PageQuery, ServiceError, local_path,
    notice, render,
};
use crate::i18n::Message;

/// Notices the sign-in page shows after a redirect.
const NOTICES: &[&str] = &["notice-password-reset", "notice-signed-out"];

/// A redirect that also sets a cookie.
fn redirect_with_cookie(to: &str, set_cookie: &str) -> Result<Response, PageError> {
    let mut response = Redirect::to(local_path(to)).into_response();
    response.headers_mut().append(
        header::SET_COOKIE,
        HeaderValue::from_str(set_cookie).map_err(|_| PageError::Internal)?,
    );
    Ok(response)
}

/// Starts a session for `user_id` and redirects to `to` with its cookie.
async fn signed_in_redirect(
    state: &AppState,
    user_id: i64,
    to: &str,
) -> Result<Response, PageError> {
    let token = service::start_session(state, user_id).await?;
    let value = cookie(
        SESSION_COOKIE,
        &token,
        SESSION_DAYS * maeul_domain::time::DAY,
        state.config.secure_cookies,
    );
    redirect_with_cookie(to, &value)
}

// --- registration ------------------------------------------------------------------------------------

#[derive(Deserialize, Default)]
pub struct RegisterForm {
    #[serde(default)]
    pub display_name: String,
    #[serde(default)]
    pub handle: String,
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub password: String,
    #[serde(default)]
    pub password_confirm: String,
}

#[derive(askama::Template)]
#[template(path = "accounts/register.html")]
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
    let registration = Registration {
        display_name: &form.display_name,
        handle: &form.handle,
        email: &form.email,
        password: &form.password,
        password_confirm: &form.password_confirm,
        lang: ctx.lang,
    };
    let errors = match service::register(&state, &registration).await {
        Ok(user_id) => {
            return signed_in_redirect(&state, user_id, "/account?notice=notice-registered").await;
        }
        Err(ServiceError::Refused(r)) => FormErrors::from_refusal(&ctx, &r, "email"),
        Err(e) => return Err(e.into()),
    };
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
#[template(path = "accounts/login.html")]
struct LoginPage<'a> {
    ctx: &'a Ctx,
    email: String,
    next: String,
    notice: Option<String>,
    error: Option<String>,
    demo_accounts: &'static [&'static str],
}

pub async fn login_form(
    ctx: Ctx,
    PageQuery(q): PageQuery<LoginQuery>,
) -> Result<Response, PageError> {
    render(&LoginPage {
        notice: notice(&ctx, q.notice.as_deref(), NOTICES),
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
    let (status, error) = match service::sign_in(&state, &ip, &form.email, &form.password).await {
        Ok(user) => return signed_in_redirect(&state, user.id, &form.next).await,
        Err(ServiceError::RateLimited) => {
            (StatusCode::TOO_MANY_REQUESTS, ctx.t("login-rate-limited"))
        }
        Err(ServiceError::WrongCredentials) => (StatusCode::UNAUTHORIZED, ctx.t("login-failed")),
        Err(ServiceError::Refused(r)) => (
            crate::http::error::refusal_status(&r),
            ctx.message(&Message::refusal(&r)),
        ),
        Err(e) => return Err(e.into()),
    };
    let page = render(&LoginPage {
        ctx: &ctx,
        email: form.email.trim().to_lowercase(),
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
        service::end_session(&state, &s.session_hash).await?;
    }
    let expired = cookie(SESSION_COOKIE, "", 0, state.config.secure_cookies);
    redirect_with_cookie("/login?notice=notice-signed-out", &expired)
}

// --- language ----------------------------------------------------------------------------------------

#[derive(Deserialize)]
pub struct LangForm {
    #[serde(default)]
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
        .ok_or_else(|| PageError::BadRequest(Message::id("request-error-language")))?;
    service::set_lang(&state, ctx.caller(), lang).await?;
    let value = cookie(
        LANG_COOKIE,
        lang.code(),
        365 * maeul_domain::time::DAY,
        state.config.secure_cookies,
    );
    redirect_with_cookie(&form.back, &value)
}

// --- forgotten password ------------------------------------------------------------------------------

#[derive(askama::Template)]
#[template(path = "accounts/forgot.html")]
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

/// Sends a reset link if the account exists. The answer is the same either way, so the form cannot be
/// used to find out who has an account.
pub async fn forgot(
    State(state): State<AppState>,
    ctx: Ctx,
    ClientIp(ip): ClientIp,
    CsrfForm(form): CsrfForm<ForgotForm>,
) -> Result<Response, PageError> {
    match service::request_reset(&state, &ip, &form.email).await {
        Ok(()) => render(&ForgotPage {
            ctx: &ctx,
            sent: true,
            error: None,
        }),
        Err(ServiceError::Refused(r)) => {
            let page = render(&ForgotPage {
                error: Some(ctx.i18n.refusal(ctx.lang, &r)),
                ctx: &ctx,
                sent: false,
            })?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(askama::Template)]
#[template(path = "accounts/reset.html")]
struct ResetPage<'a> {
    ctx: &'a Ctx,
    token: String,
    valid: bool,
    errors: FormErrors,
}

pub async fn reset_form(
    State(state): State<AppState>,
    ctx: Ctx,
    PagePath(token): PagePath<String>,
) -> Result<Response, PageError> {
    let valid = service::reset_link_valid(&state, &token).await?;
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
    PagePath(token): PagePath<String>,
    CsrfForm(form): CsrfForm<ResetForm>,
) -> Result<Response, PageError> {
    let (status, valid, errors) =
        match service::reset_password(&state, &token, &form.password, &form.password_confirm).await
        {
            Ok(()) => {
                return Ok(Redirect::to("/login?notice=notice-password-reset").into_response());
            }
            Err(ServiceError::NotFound) => (StatusCode::GONE, false, FormErrors::default()),
            Err(ServiceError::Refused(r)) => (
                StatusCode::UNPROCESSABLE_ENTITY,
                true,
                FormErrors::from_refusal(&ctx, &r, "password"),
            ),
            Err(e) => return Err(e.into()),
        };
    let page = render(&ResetPage {
        ctx: &ctx,
        token,
        valid,
        errors,
    })?;
    Ok((status, page).into_response())
}
