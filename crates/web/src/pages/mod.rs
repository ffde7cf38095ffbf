//! HTML pages. Each module handles one area; templates are in `templates/`.
use std::collections::BTreeMap;

use axum::response::{Html, IntoResponse, Response};
use maeul_domain::account::FieldError;

use crate::context::Ctx;
use crate::error::PageError;

pub mod account;
pub mod admin;
pub mod auth;
pub mod committees;
pub mod feeds;
pub mod home;
pub mod manage;
pub mod moderation;
pub mod notifications;
pub mod proposals;
pub mod scope;
pub mod search;
pub mod users;

/// Renders a template, mapping a template failure to a logged internal error.
pub fn render(template: &impl askama::Template) -> Result<Response, PageError> {
    template
        .render()
        .map(|html| Html(html).into_response())
        .map_err(|e| {
            tracing::error!(error = %e, "template rendering failed");
            PageError::Internal
        })
}

/// Field-level messages of a submitted form, already translated.
#[derive(Debug, Default)]
pub struct FormErrors(BTreeMap<&'static str, String>);

impl FormErrors {
    pub fn add(&mut self, ctx: &Ctx, field: &'static str, error: &FieldError) {
        let message = match error.limit() {
            Some(limit) => ctx.t1(error.message_id(), "limit", limit),
            None => ctx.t(error.message_id()),
        };
        self.0.entry(field).or_insert(message);
    }

    /// Records `result`'s error under `field` and returns its value, if any.
    pub fn check<T>(
        &mut self,
        ctx: &Ctx,
        field: &'static str,
        result: Result<T, FieldError>,
    ) -> Option<T> {
        result.map_err(|e| self.add(ctx, field, &e)).ok()
    }

    pub fn any(&self) -> bool {
        !self.0.is_empty()
    }

    pub fn has(&self, field: &str) -> bool {
        self.0.contains_key(field)
    }

    pub fn get(&self, field: &str) -> Option<&String> {
        self.0.get(field)
    }
}

/// The translated notice named in a `?notice=` query parameter, if it is one the site sends.
pub fn notice(ctx: &Ctx, key: Option<&str>) -> Option<String> {
    const KNOWN: &[&str] = &[
        "notice-registered",
        "notice-password-changed",
        "notice-password-reset",
        "notice-residency-pending",
        "notice-residency-verified",
        "notice-token-revoked",
        "notice-lang-saved",
        "notice-decided",
        "notice-role-granted",
        "notice-role-revoked",
        "notice-signed-out",
        "notice-proposal-saved",
        "notice-supported",
        "notice-already-supported",
        "notice-support-withdrawn",
        "notice-answered",
        "notice-not-supported",
        "notice-debate-opened",
        "notice-debate-concluded",
        "notice-attached",
        "notice-reported",
        "notice-already-reported",
        "notice-moderated",
        "notice-preferences-saved",
    ];
    key.filter(|k| KNOWN.contains(k)).map(|k| ctx.t(k))
}

/// A redirect target from a form or query: only a local path, never another site. Only printable ASCII
/// without backslashes is accepted (paths the site makes are percent-encoded): URL parsers drop or rewrite
/// tabs, newlines and backslashes, so `/<TAB>/evil.example` or `/\\evil.example` would otherwise leave the
/// site, and a raw non-ASCII character is not a valid `Location` header.
pub fn local_path(target: &str) -> &str {
    let clean = target.chars().all(|c| c.is_ascii_graphic() && c != '\\');
    if clean && target.starts_with('/') && !target.starts_with("//") {
        target
    } else {
        "/"
    }
}

/// Percent-encodes every byte outside RFC 3986's unreserved set (for URL path segments and RFC 5987
/// `filename*` values).
pub fn percent_encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn redirects_stay_on_site() {
        assert_eq!(super::local_path("/account"), "/account");
        assert_eq!(super::local_path("//evil.example"), "/");
        assert_eq!(super::local_path("https://evil.example"), "/");
        assert_eq!(super::local_path("/\\evil.example"), "/");
        assert_eq!(super::local_path("/\t/evil.example/x"), "/");
        assert_eq!(super::local_path("/account\r\nSet-Cookie: x=1"), "/");
        assert_eq!(super::local_path("/a b"), "/");
        assert_eq!(super::local_path("/search?q=쉼터"), "/");
        assert_eq!(
            super::local_path("/search?q=%EC%89%BC"),
            "/search?q=%EC%89%BC"
        );
        assert_eq!(super::local_path("/scopes/11110?x=1"), "/scopes/11110?x=1");
    }
}
