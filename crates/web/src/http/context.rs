//! Who is asking, and what every page knows about its request.
//!
//! [`Caller`] is the signed-in person as services see them, whether they came with a session cookie (a
//! page) or a bearer token (the API). [`Ctx`] is a page's context: language, the caller, CSRF token,
//! translations and labels for templates.
use std::sync::Arc;

use axum::extract::FromRequestParts;
use axum::http::header;
use axum::http::request::Parts;
use fluent_bundle::FluentValue;
use maeul_db::residency::ResidencyRow;
use maeul_db::users::User;
use maeul_domain::{Action, Actor, Label, Lang, Scope, ScopeTree};

use crate::AppState;
use crate::http::auth::{LANG_COOKIE, SESSION_COOKIE, read_cookie};
use crate::http::csrf::CsrfToken;
use crate::http::error::{PageError, ServiceError};
use crate::i18n::{I18n, Message};

/// A signed-in person with what the rules need to know about them.
#[derive(Debug, Clone)]
pub struct Caller {
    pub user: User,
    pub actor: Actor,
    pub residency: Option<ResidencyRow>,
}

impl Caller {
    /// Loads the caller behind an account id: role grants and the verified home neighbourhood.
    pub async fn load(state: &AppState, user: User) -> Result<Caller, maeul_db::DbError> {
        let grants = state.db.grants_of(user.id).await?;
        let residency = state.db.residency_of(user.id).await?;
        let home = residency
            .as_ref()
            .filter(|r| r.status == maeul_domain::ResidencyStatus::Verified)
            .and_then(|r| state.scopes().scope_ref(r.scope_id));
        Ok(Caller {
            user,
            actor: Actor { grants, home },
            residency,
        })
    }

    pub fn id(&self) -> i64 {
        self.user.id
    }

    /// May this person do `action` in the scope with id `scope_id`?
    pub fn may(&self, tree: &ScopeTree, action: Action, scope_id: i64) -> bool {
        tree.scope_ref(scope_id)
            .is_some_and(|target| self.actor.may(action, &target))
    }

    /// `Ok` when the caller may do `action` in the scope, else `Forbidden`.
    pub fn require(
        &self,
        tree: &ScopeTree,
        action: Action,
        scope_id: i64,
    ) -> Result<(), ServiceError> {
        if self.may(tree, action, scope_id) {
            Ok(())
        } else {
            Err(ServiceError::Forbidden)
        }
    }
}

/// `Ok(caller)` for a signed-in request, else `SignInRequired`.
pub fn signed_in(caller: Option<&Caller>) -> Result<&Caller, ServiceError> {
    caller.ok_or(ServiceError::SignInRequired)
}

/// The signed-in person of a page request.
#[derive(Debug, Clone)]
pub struct SignedIn {
    pub caller: Caller,
    /// Hash of the session cookie, to end this session on logout.
    pub session_hash: String,
    /// Unread notifications, shown in the header.
    pub unread: i64,
}

/// The request context handed to every page template.
#[derive(Clone)]
pub struct Ctx {
    pub lang: Lang,
    pub signed_in: Option<SignedIn>,
    pub csrf: String,
    /// Path and query of this request, for the language switch to come back to.
    pub path: String,
    pub i18n: Arc<I18n>,
    pub scopes: Arc<ScopeTree>,
    pub demo: bool,
}

impl FromRequestParts<AppState> for Ctx {
    type Rejection = PageError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let cookies = parts
            .headers
            .get(header::COOKIE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        let accept = parts
            .headers
            .get(header::ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok());
        let lang = Lang::negotiate(read_cookie(cookies, LANG_COOKIE), accept);
        let signed_in = match read_cookie(cookies, SESSION_COOKIE) {
            Some(token) => session(state, token).await?,
            None => None,
        };
        let csrf = parts
            .extensions
            .get::<CsrfToken>()
            .map(|t| t.0.clone())
            .unwrap_or_default();
        let path = parts
            .uri
            .path_and_query()
            .map(|p| p.as_str().to_owned())
            .unwrap_or_else(|| "/".into());
        Ok(Ctx {
            lang,
            signed_in,
            csrf,
            path,
            i18n: state.i18n.clone(),
            scopes: state.scopes(),
            demo: state.config.demo,
        })
    }
}

async fn session(state: &AppState, token: &str) -> Result<Option<SignedIn>, PageError> {
    let session_hash = maeul_db::secrets::token_hash(token);
    let Some(user) = state.db.session_user(&session_hash).await? else {
        return Ok(None);
    };
    let unread = state.db.unread_notifications(user.id).await?;
    Ok(Some(SignedIn {
        caller: Caller::load(state, user).await?,
        session_hash,
        unread,
    }))
}

impl Ctx {
    /// The signed-in caller, if any (what services take).
    pub fn caller(&self) -> Option<&Caller> {
        self.signed_in.as_ref().map(|s| &s.caller)
    }

    /// A translated message.
    pub fn t(&self, id: &str) -> String {
        self.i18n.tr(self.lang, id, &[])
    }

    /// A translated message with one argument.
    pub fn t1<'a>(&self, id: &str, name: &str, value: impl Into<FluentValue<'a>>) -> String {
        self.i18n.tr(self.lang, id, &[(name, value.into())])
    }

    /// A translated message with two arguments, each a (name, value) pair (templates pass references).
    pub fn t2<'a, A, B>(&self, id: &str, a: &(&str, A), b: &(&str, B)) -> String
    where
        A: Clone + Into<FluentValue<'a>>,
        B: Clone + Into<FluentValue<'a>>,
    {
        self.i18n.tr(
            self.lang,
            id,
            &[(a.0, a.1.clone().into()), (b.0, b.1.clone().into())],
        )
    }

    /// A [`Message`] in the page's language.
    pub fn message(&self, m: &Message) -> String {
        self.i18n.message(self.lang, m)
    }

    /// The label of a state, kind or category (any named enum of the domain, or a reference to one).
    pub fn label(&self, value: impl Label) -> String {
        self.t(value.label_id())
    }

    pub fn lang_code(&self) -> &'static str {
        self.lang.code()
    }

    /// The other language, offered by the switch.
    pub fn other_lang(&self) -> Lang {
        match self.lang {
            Lang::Ko => Lang::En,
            Lang::En => Lang::Ko,
        }
    }

    pub fn other_lang_code(&self) -> &'static str {
        self.other_lang().code()
    }

    /// The switch's label, always in the language it switches to.
    pub fn other_lang_label(&self) -> &'static str {
        match self.other_lang() {
            Lang::Ko => "한국어",
            Lang::En => "English",
        }
    }

    pub fn user(&self) -> Option<&User> {
        self.caller().map(|c| &c.user)
    }

    pub fn may_somewhere(&self, action: Action) -> bool {
        self.caller().is_some_and(|c| c.actor.may_somewhere(action))
    }

    pub fn may_verify(&self) -> bool {
        self.may_somewhere(Action::VerifyResidency)
    }

    pub fn may_administer(&self) -> bool {
        self.may_somewhere(Action::ManageRoles)
    }

    pub fn may_moderate(&self) -> bool {
        self.may_somewhere(Action::Moderate)
    }

    /// May the signed-in person do `action` in `scope`?
    pub fn may_in(&self, action: Action, scope: &Scope) -> bool {
        self.caller()
            .is_some_and(|c| c.may(&self.scopes, action, scope.id))
    }

    pub fn scope_name(&self, scope: &Scope) -> String {
        scope.name(self.lang).to_owned()
    }

    pub fn scope_name_by_id(&self, id: &i64) -> String {
        self.scopes
            .get(*id)
            .map(|s| s.name(self.lang).to_owned())
            .unwrap_or_default()
    }

    /// "Jongno-gu › Cheongunhyojadong" style label of a scope, for lists across districts.
    pub fn scope_label(&self, id: &i64) -> String {
        let Some(scope) = self.scopes.get(*id) else {
            return String::new();
        };
        self.scopes
            .path(scope)
            .iter()
            .skip(1)
            .map(|s| s.name(self.lang))
            .collect::<Vec<_>>()
            .join(" › ")
    }

    /// An instant (unix seconds) as `YYYY-MM-DD HH:MM`, Seoul time.
    pub fn datetime(&self, unix: &i64) -> String {
        maeul_domain::time::format_local(*unix)
    }

    /// An instant's Seoul date, `YYYY-MM-DD`.
    pub fn date(&self, unix: &i64) -> String {
        maeul_domain::time::format_local_date(*unix)
    }

    /// An instant as the value of an `<input type="datetime-local">`.
    pub fn datetime_input(&self, unix: &i64) -> String {
        maeul_domain::time::format_local_input(*unix)
    }

    /// Unread notifications of the signed-in person.
    pub fn unread(&self) -> i64 {
        self.signed_in.as_ref().map_or(0, |s| s.unread)
    }

    /// A byte count for people: "70 bytes", "12 KiB", "1.2 MiB".
    pub fn file_size(&self, bytes: &i64) -> String {
        let b = *bytes;
        if b < 1024 {
            self.t1("size-bytes", "count", b)
        } else if b < 1024 * 1024 {
            self.t1("size-kib", "count", (b + 512) / 1024)
        } else {
            self.t1(
                "size-mib",
                "count",
                format!("{:.1}", b as f64 / (1024.0 * 1024.0)),
            )
        }
    }
}
