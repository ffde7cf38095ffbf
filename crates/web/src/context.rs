//! What every page knows about its request: language, signed-in user and their powers, CSRF token.
use axum::extract::FromRequestParts;
use axum::http::header;
use axum::http::request::Parts;
use fluent_bundle::FluentValue;
use maeul_db::residency::ResidencyRow;
use maeul_db::users::User;
use maeul_domain::{Action, Actor, Lang, Scope, ScopeTree};
use std::sync::Arc;

use crate::auth::{LANG_COOKIE, SESSION_COOKIE, read_cookie};
use crate::csrf::CsrfToken;
use crate::error::PageError;
use crate::{AppState, i18n::I18n};

/// The signed-in person of a request, with what the rules need to know about them.
#[derive(Debug, Clone)]
pub struct SignedIn {
    pub user: User,
    pub actor: Actor,
    pub residency: Option<ResidencyRow>,
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
            Some(token) => signed_in(state, token).await?,
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

async fn signed_in(state: &AppState, token: &str) -> Result<Option<SignedIn>, PageError> {
    let session_hash = maeul_db::secrets::token_hash(token);
    let Some(user) = state.db.session_user(&session_hash).await? else {
        return Ok(None);
    };
    let (actor, residency) = actor_of(state, user.id).await?;
    let unread = state.db.unread_notifications(user.id).await?;
    Ok(Some(SignedIn {
        user,
        actor,
        residency,
        session_hash,
        unread,
    }))
}

/// The rules' view of a user: role grants, and the home neighbourhood if it is verified.
pub async fn actor_of(
    state: &AppState,
    user_id: i64,
) -> Result<(Actor, Option<ResidencyRow>), maeul_db::DbError> {
    let grants = state.db.grants_of(user_id).await?;
    let residency = state.db.residency_of(user_id).await?;
    let home = residency
        .as_ref()
        .filter(|r| r.status() == Some(maeul_domain::ResidencyStatus::Verified))
        .and_then(|r| state.scopes().scope_ref(r.scope_id));
    Ok((Actor { grants, home }, residency))
}

impl Ctx {
    /// A translated message.
    pub fn t(&self, id: &str) -> String {
        self.i18n.tr(self.lang, id, &[])
    }

    /// A translated message with one argument.
    pub fn t1<'a>(&self, id: &str, name: &str, value: impl Into<FluentValue<'a>>) -> String {
        self.i18n.tr(self.lang, id, &[(name, value.into())])
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
        self.signed_in.as_ref().map(|s| &s.user)
    }

    pub fn may_somewhere(&self, action: Action) -> bool {
        self.signed_in
            .as_ref()
            .is_some_and(|s| s.actor.may_somewhere(action))
    }

    pub fn may_verify(&self) -> bool {
        self.may_somewhere(Action::VerifyResidency)
    }

    pub fn may_administer(&self) -> bool {
        self.may_somewhere(Action::ManageRoles)
    }

    /// May the signed-in person do `action` in `scope`?
    pub fn may_in(&self, action: Action, scope: &Scope) -> bool {
        match (&self.signed_in, self.scopes.scope_ref(scope.id)) {
            (Some(s), Some(target)) => s.actor.may(action, &target),
            _ => false,
        }
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

    pub fn kind_label(&self, scope: &Scope) -> String {
        self.t(&format!("kind-{}", scope.kind.as_str()))
    }

    /// A date (unix seconds) as YYYY-MM-DD HH:MM, in Seoul time (UTC+9, no daylight saving).
    pub fn datetime(&self, unix: &i64) -> String {
        format_kst(*unix)
    }

    /// The translated name of a residency basis (`resident`, `worker`, …).
    pub fn basis_label(&self, basis: &str) -> String {
        self.t(&format!("basis-{basis}"))
    }

    pub fn category_label(&self, category: &str) -> String {
        self.t(&format!("category-{category}"))
    }

    pub fn state_label(&self, state: &str) -> String {
        self.t(&format!("state-{state}"))
    }

    pub fn responder_label(&self, responder: &str) -> String {
        self.t(&format!("responder-{responder}"))
    }

    /// Unread notifications of the signed-in person.
    pub fn unread(&self) -> i64 {
        self.signed_in.as_ref().map_or(0, |s| s.unread)
    }

    pub fn may_moderate(&self) -> bool {
        self.may_somewhere(Action::Moderate)
    }

    /// The translated name of a role (`official`, …).
    pub fn role_label(&self, role: &str) -> String {
        self.t(&format!("role-{role}"))
    }
}

/// Formats unix seconds as Korea Standard Time.
pub fn format_kst(unix: i64) -> String {
    let secs = unix + 9 * 3600;
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!(
        "{y:04}-{m:02}-{d:02} {:02}:{:02}",
        rem / 3600,
        rem % 3600 / 60
    )
}

#[cfg(test)]
mod tests {
    #[test]
    fn kst_dates() {
        assert_eq!(super::format_kst(0), "1970-01-01 09:00");
        assert_eq!(super::format_kst(1_709_251_200), "2024-03-01 09:00"); // 2024-03-01T00:00Z, leap year
        assert_eq!(super::format_kst(1_798_761_599), "2027-01-01 08:59");
    }
}
