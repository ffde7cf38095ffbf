//! Accounts: registration, sign-in (pages and API tokens alike), passwords and their reset, tokens,
//! residence declarations, officials' verification and register import, and people's public pages.
use maeul_db::identity::{IdentityConflict, Resolution};
use maeul_db::residency::PendingResidency;
use maeul_db::secrets::{random_token, token_hash};
use maeul_db::users::{ApiToken, NewUser, User};
use maeul_db::{DbError, proposals::ProposalRow};
use maeul_domain::account::{self, AccountRefusal, FieldError};
use maeul_domain::refusal::FieldRefusal;
use maeul_domain::residency::{ResidencyDecision, register_identity};
use maeul_domain::{Action, Lang, Refusal, ResidencyBasis, ResidencyStatus, ScopeKind};

use crate::AppState;
use crate::areas::accounts::register::{self, RegisterProblem};
use crate::http::auth::{dummy_hash, hash_password, verify_password};
use crate::http::{Caller, ServiceError, ServiceResult};

/// Collects field refusals, then fails with all of them at once.
#[derive(Default)]
pub struct Fields(Vec<FieldRefusal>);

impl Fields {
    pub fn check<T>(&mut self, field: &'static str, r: Result<T, FieldError>) -> Option<T> {
        r.map_err(|error| self.0.push(FieldRefusal { field, error }))
            .ok()
    }

    pub fn add(&mut self, field: &'static str, error: FieldError) {
        self.0.push(FieldRefusal { field, error });
    }

    /// `Ok` when no field was refused.
    pub fn finish(self) -> ServiceResult<()> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(ServiceError::Refused(Refusal::Fields(self.0)))
        }
    }
}

/// A registration as submitted.
pub struct Registration<'a> {
    pub display_name: &'a str,
    pub handle: &'a str,
    pub email: &'a str,
    pub password: &'a str,
    pub password_confirm: &'a str,
    pub lang: Lang,
}

/// Creates an account; returns its id. Without a chosen handle one is made from the e-mail address.
pub async fn register(state: &AppState, r: &Registration<'_>) -> ServiceResult<i64> {
    let mut fields = Fields::default();
    let name = fields.check("display_name", account::parse_display_name(r.display_name));
    let email = fields.check("email", account::parse_email(r.email));
    let chosen = if r.handle.trim().is_empty() {
        None
    } else {
        fields.check("handle", account::parse_handle(r.handle))
    };
    fields.check("password", account::check_password(r.password));
    if r.password != r.password_confirm {
        fields.add("password_confirm", FieldError::Mismatch);
    }
    fields.finish()?;
    let (Some(name), Some(email)) = (name, email) else {
        unreachable!("checked above")
    };
    let hash = hash_password(r.password.to_owned()).await;
    let suggested = account::suggest_handle(&email);
    let new = NewUser {
        email: &email,
        display_name: &name,
        handle: chosen.as_deref().unwrap_or(&suggested),
        password_hash: &hash,
        lang: r.lang.code(),
    };
    let created = match chosen {
        Some(_) => state.db.create_user(&new).await,
        None => state.db.create_user_with_free_handle(&new).await,
    };
    created.map_err(|e| match e {
        DbError::Conflict("handle") => Refusal::field("handle", FieldError::Taken).into(),
        DbError::Conflict(_) => Refusal::field("email", FieldError::Taken).into(),
        other => other.into(),
    })
}

/// Checks an e-mail and password under the sign-in limits. The same for the sign-in form and for API
/// tokens: a wrong password costs the same time whether or not the account exists.
pub async fn sign_in(
    state: &AppState,
    ip: &str,
    email: &str,
    password: &str,
) -> ServiceResult<User> {
    let email = email.trim().to_lowercase();
    let guard = &state.login_guard;
    if !guard.allowed(&state.db, ip, &email).await? {
        return Err(ServiceError::RateLimited);
    }
    let user = state.db.user_by_email(&email).await?;
    let hash = user
        .as_ref()
        .map_or_else(|| dummy_hash().to_owned(), |u| u.password_hash.clone());
    let password_ok = verify_password(password.to_owned(), hash).await;
    match user {
        // Only the right password learns that the account is blocked.
        Some(user) if password_ok && user.blocked_at.is_some() => {
            Err(Refusal::from(AccountRefusal::Blocked).into())
        }
        Some(user) if password_ok => {
            guard.succeeded(&state.db, &email).await?;
            Ok(user)
        }
        _ => {
            guard.failed(&state.db, ip, &email).await?;
            Err(ServiceError::WrongCredentials)
        }
    }
}

/// A new session for a signed-in person: the cookie's token (only its hash is stored).
pub async fn start_session(state: &AppState, user_id: i64) -> ServiceResult<String> {
    let token = random_token();
    let expires =
        maeul_domain::time::now() + crate::http::auth::SESSION_DAYS * maeul_domain::time::DAY;
    state
        .db
        .create_session(user_id, &token_hash(&token), expires)
        .await?;
    Ok(token)
}

pub async fn end_session(state: &AppState, session_hash: &str) -> ServiceResult<()> {
    Ok(state.db.delete_session(session_hash).await?)
}

/// The label of a token: one line, at most 60 characters, `fallback` when empty.
fn token_label(label: &str, fallback: &str) -> String {
    let label = label.split_whitespace().collect::<Vec<_>>().join(" ");
    if label.is_empty() {
        fallback.to_owned()
    } else {
        label.chars().take(60).collect()
    }
}

/// Issues an API token for an account and returns it (shown once) with its id. Blocked accounts get none.
pub async fn issue_token(
    state: &AppState,
    user: &User,
    label: &str,
) -> ServiceResult<(String, i64)> {
    if user.blocked_at.is_some() {
        return Err(Refusal::from(AccountRefusal::Blocked).into());
    }
    let token = random_token();
    let id = state
        .db
        .create_api_token(user.id, &token_hash(&token), &token_label(label, "api"))
        .await?;
    Ok((token, id))
}

pub async fn revoke_token(state: &AppState, caller: &Caller, id: i64) -> ServiceResult<()> {
    Ok(state.db.revoke_api_token(caller.id(), id).await?)
}

pub async fn tokens(state: &AppState, caller: &Caller) -> ServiceResult<Vec<ApiToken>> {
    Ok(state.db.api_tokens_of(caller.id()).await?)
}

/// Remembers the language on the account, so e-mails follow it.
pub async fn set_lang(state: &AppState, caller: Option<&Caller>, lang: Lang) -> ServiceResult<()> {
    if let Some(c) = caller {
        state.db.set_user_lang(c.id(), lang.code()).await?;
    }
    Ok(())
}

pub struct PasswordChange<'a> {
    pub current: &'a str,
    pub password: &'a str,
    pub password_confirm: &'a str,
}

/// Changes the password; every other session of the account ends.
pub async fn change_password(
    state: &AppState,
    caller: &Caller,
    keep_session: Option<&str>,
    c: &PasswordChange<'_>,
) -> ServiceResult<()> {
    let mut fields = Fields::default();
    if !verify_password(c.current.to_owned(), caller.user.password_hash.clone()).await {
        fields.add("current", FieldError::Invalid);
    }
    fields.check("password", account::check_password(c.password));
    if c.password != c.password_confirm {
        fields.add("password_confirm", FieldError::Mismatch);
    }
    fields.finish()?;
    let hash = hash_password(c.password.to_owned()).await;
    Ok(state
        .db
        .change_password(caller.id(), &hash, keep_session)
        .await?)
}

pub const RESET_VALID_SECS: i64 = 3600;

/// Mails a reset link if the account exists. Answers the same either way (no account enumeration).
pub async fn request_reset(state: &AppState, ip: &str, email: &str) -> ServiceResult<()> {
    let mut fields = Fields::default();
    let email = fields.check("email", account::parse_email(email));
    fields.finish()?;
    let Some(email) = email else { return Ok(()) };
    if !state.login_guard.reset_request(&state.db, ip).await? {
        return Err(ServiceError::RateLimited);
    }
    let Some(user) = state.db.user_by_email(&email).await? else {
        return Ok(());
    };
    let token = random_token();
    state
        .db
        .create_password_reset(
            user.id,
            &token_hash(&token),
            maeul_domain::time::now() + RESET_VALID_SECS,
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
    Ok(())
}

pub async fn reset_link_valid(state: &AppState, token: &str) -> ServiceResult<bool> {
    Ok(state.db.password_reset_valid(&token_hash(token)).await?)
}

/// Sets a new password from a reset link; `NotFound` when the link is unknown, used or expired.
pub async fn reset_password(
    state: &AppState,
    token: &str,
    password: &str,
    password_confirm: &str,
) -> ServiceResult<()> {
    let mut fields = Fields::default();
    fields.check("password", account::check_password(password));
    if password != password_confirm {
        fields.add("password_confirm", FieldError::Mismatch);
    }
    fields.finish()?;
    let hash = hash_password(password.to_owned()).await;
    state.db.reset_password(&token_hash(token), &hash).await?;
    Ok(())
}

/// A declaration of home neighbourhood as submitted.
pub struct Declaration<'a> {
    pub scope_code: &'a str,
    pub basis: &'a str,
    pub legal_name: &'a str,
    pub birth_date: &'a str,
}

/// Declares where the caller lives (verified at once when the register lists them there).
pub async fn declare_residency(
    state: &AppState,
    caller: &Caller,
    d: &Declaration<'_>,
) -> ServiceResult<ResidencyStatus> {
    let tree = state.scopes();
    let mut fields = Fields::default();
    let scope = tree
        .by_code(d.scope_code.trim())
        .filter(|s| s.kind == ScopeKind::Neighbourhood);
    if scope.is_none() {
        fields.add(
            "scope",
            if d.scope_code.trim().is_empty() {
                FieldError::Required
            } else {
                FieldError::Invalid
            },
        );
    }
    let basis = if d.basis.is_empty() {
        Some(ResidencyBasis::Resident)
    } else {
        fields.check(
            "basis",
            ResidencyBasis::parse(d.basis).ok_or(FieldError::Invalid),
        )
    };
    // The register identity is optional, but if one part is given both must be valid.
    let identity = if d.legal_name.trim().is_empty() && d.birth_date.trim().is_empty() {
        None
    } else {
        match register_identity(d.legal_name, d.birth_date) {
            Ok(identity) => Some(identity),
            Err(FieldError::Required) if d.legal_name.trim().is_empty() => {
                fields.add("legal_name", FieldError::Required);
                None
            }
            Err(e) => {
                fields.add("birth_date", e);
                None
            }
        }
    };
    fields.finish()?;
    let (Some(scope), Some(basis)) = (scope, basis) else {
        unreachable!("checked above")
    };
    // The birth date goes with the identity (checked by `register_identity` above), kept for age rules.
    let birth_date = identity
        .as_ref()
        .and_then(|_| maeul_domain::residency::parse_date(d.birth_date).ok());
    let identity_hash = match identity {
        Some(identity) => Some(state.db.identity_hash(&identity).await?),
        None => None,
    };
    let status = state
        .db
        .declare_residency_born(
            caller.id(),
            scope.id,
            basis,
            identity_hash.as_deref(),
            birth_date.as_deref(),
        )
        .await?;
    // One identity, one account: a claim on an identity that already verifies another account stays
    // pending, is reported to the officials, and the claimant is told why.
    if identity_hash.is_some()
        && status == ResidencyStatus::Pending
        && state
            .db
            .open_identity_conflict_of(caller.id())
            .await?
            .is_some()
    {
        return Err(Refusal::from(AccountRefusal::IdentityClaimed).into());
    }
    Ok(status)
}

/// Scopes where the caller may verify residence (their grants' scopes).
fn verifying_scopes(state: &AppState, caller: &Caller) -> Vec<String> {
    let tree = state.scopes();
    caller
        .actor
        .grants
        .iter()
        .filter(|g| Action::VerifyResidency.roles().contains(&g.role))
        .filter_map(|g| tree.get(g.scope_id).map(|s| s.code.clone()))
        .collect()
}

/// Open identity conflicts (two accounts claiming one register identity) where the caller may verify.
pub async fn identity_conflicts(
    state: &AppState,
    caller: &Caller,
) -> ServiceResult<Vec<IdentityConflict>> {
    if !caller.actor.may_somewhere(Action::VerifyResidency) {
        return Err(ServiceError::Forbidden);
    }
    let mut by_id = std::collections::BTreeMap::new();
    for code in verifying_scopes(state, caller) {
        for c in state.db.open_identity_conflicts(&code).await? {
            by_id.insert(c.id, c);
        }
    }
    Ok(by_id.into_values().collect())
}

/// An official resolves a conflict in their area: moves the verification to the claimant, or keeps it
/// with the account it verifies (the claim is rejected). Audited.
pub async fn resolve_identity_conflict(
    state: &AppState,
    caller: &Caller,
    id: i64,
    resolution: Resolution,
) -> ServiceResult<()> {
    if !caller.actor.may_somewhere(Action::VerifyResidency) {
        return Err(ServiceError::Forbidden);
    }
    let conflict = state
        .db
        .open_identity_conflict(id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    caller.require(&state.scopes(), Action::VerifyResidency, conflict.scope_id)?;
    Ok(state
        .db
        .resolve_identity_conflict(id, resolution, caller.id())
        .await?)
}

const QUEUE_LIMIT: i64 = 500;

/// Pending declarations in every scope where this official may verify, each listed once.
pub async fn verification_queue(
    state: &AppState,
    caller: &Caller,
) -> ServiceResult<Vec<PendingResidency>> {
    if !caller.actor.may_somewhere(Action::VerifyResidency) {
        return Err(ServiceError::Forbidden);
    }
    let tree = state.scopes();
    let mut by_user = std::collections::BTreeMap::new();
    for grant in caller
        .actor
        .grants
        .iter()
        .filter(|g| Action::VerifyResidency.roles().contains(&g.role))
    {
        let Some(scope) = tree.get(grant.scope_id) else {
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

/// An official verifies or rejects a person's declared residence in their area.
pub async fn decide_residency(
    state: &AppState,
    caller: &Caller,
    user_id: i64,
    decision: ResidencyDecision,
) -> ServiceResult<ResidencyStatus> {
    let residency = state
        .db
        .residency_of(user_id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    caller.require(&state.scopes(), Action::VerifyResidency, residency.scope_id)?;
    Ok(state
        .db
        .decide_residency(user_id, decision, caller.id(), None)
        .await?)
}

/// What an import did: rows read, rows new to the register, residences verified by it.
pub struct Imported {
    pub rows: usize,
    pub new: u64,
    pub verified: u64,
}

/// Imports a resident-register CSV (`name,birth_date,neighbourhood_code`). Every row is checked first; if
/// any is wrong nothing is imported and each problem is returned with its line.
pub async fn import_register(
    state: &AppState,
    caller: &Caller,
    data: &[u8],
) -> ServiceResult<Result<Imported, Vec<RegisterProblem>>> {
    if !caller.actor.may_somewhere(Action::ImportResidentRegister) {
        return Err(ServiceError::Forbidden);
    }
    let tree = state.scopes();
    let (rows, problems) = register::parse(&tree, data, |scope_id| {
        caller.may(&tree, Action::ImportResidentRegister, scope_id)
    });
    if !problems.is_empty() {
        return Ok(Err(problems));
    }
    let mut hashed = Vec::with_capacity(rows.len());
    for (identity, scope_id) in rows {
        hashed.push((state.db.identity_hash(&identity).await?, scope_id));
    }
    let (new, verified) = state.db.import_register(&hashed, caller.id()).await?;
    Ok(Ok(Imported {
        rows: hashed.len(),
        new,
        verified,
    }))
}

/// A person's public page.
pub struct Profile {
    pub user: User,
    pub published: Vec<ProposalRow>,
    pub followers: i64,
}

pub async fn profile(state: &AppState, user_id: i64) -> ServiceResult<Profile> {
    let user = state
        .db
        .user_by_id(user_id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    Ok(Profile {
        published: state.db.proposals_by_author(user_id, 50).await?,
        followers: state
            .db
            .follower_count(maeul_db::notifications::FollowTarget::User(user_id))
            .await?,
        user,
    })
}

/// The person with a handle (what `@handle` mentions link to).
pub async fn person_by_handle(state: &AppState, handle: &str) -> ServiceResult<User> {
    state
        .db
        .user_by_handle(handle)
        .await?
        .ok_or(ServiceError::NotFound)
}
