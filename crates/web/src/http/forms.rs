//! What pages share: rendering a template, field-level form errors, notices after a redirect, safe
//! redirect targets and URL encoding.
use std::collections::BTreeMap;

use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use maeul_domain::Refusal;
use maeul_domain::account::FieldError;

use crate::http::context::Ctx;
use crate::http::error::{PageError, ServiceError, refusal_status};
use crate::i18n::Message;

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

/// Field-level messages of a submitted form, already translated, and the status the page answers with
/// when it is shown again with them.
#[derive(Debug, Default)]
pub struct FormErrors {
    messages: BTreeMap<&'static str, String>,
    /// Set from a refusal: 409 for a conflict, 403 for a forbidden step; field errors alone are 422.
    status: Option<StatusCode>,
}

impl FormErrors {
    pub fn add(&mut self, ctx: &Ctx, field: &'static str, error: &FieldError) {
        let message = ctx.message(&Message::refusal(error));
        self.messages.entry(field).or_insert(message);
    }

    /// A message of another kind under `field`.
    pub fn add_message(&mut self, ctx: &Ctx, field: &'static str, message: &Message) {
        let text = ctx.message(message);
        self.messages.entry(field).or_insert(text);
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

    /// The errors of a refusal of fields; any other refusal under `general`.
    pub fn from_refusal(ctx: &Ctx, refusal: &Refusal, general: &'static str) -> FormErrors {
        let mut errors = FormErrors {
            status: Some(refusal_status(refusal)),
            ..FormErrors::default()
        };
        if refusal.fields().is_empty() {
            errors.add_message(ctx, general, &Message::refusal(refusal));
        }
        for f in refusal.fields() {
            errors.add(ctx, f.field, &f.error);
        }
        errors
    }

    /// The page's status: 200 without errors, else the refusal's (422 for refused fields).
    pub fn status(&self) -> StatusCode {
        match (self.any(), self.status) {
            (false, _) => StatusCode::OK,
            (true, Some(status)) => status,
            (true, None) => StatusCode::UNPROCESSABLE_ENTITY,
        }
    }

    pub fn any(&self) -> bool {
        !self.messages.is_empty()
    }

    pub fn has(&self, field: &str) -> bool {
        self.messages.contains_key(field)
    }

    pub fn get(&self, field: &str) -> Option<&String> {
        self.messages.get(field)
    }

    /// Every message, for a form that shows them together.
    pub fn messages(&self) -> Vec<&String> {
        self.messages.values().collect()
    }
}

/// A refusal shown at the top of a page rather than beside a field, with the status it answers with.
#[derive(Debug)]
pub struct Alert {
    pub text: String,
    pub status: StatusCode,
}

impl Alert {
    pub fn refusal(ctx: &Ctx, refusal: &Refusal) -> Alert {
        Alert {
            text: ctx.message(&Message::refusal(refusal)),
            status: refusal_status(refusal),
        }
    }
}

/// Where a form leads: to `success` (a redirect, usually with a `?notice=`), or — when the service refused —
/// back to the form's page, shown by `page(alert, errors)` with the refusal: a field's error beside its
/// field (anything not tied to a field under `general`), any other refusal as an alert. Other errors
/// become an error page.
pub async fn after_form<T, Page, Shown>(
    ctx: &Ctx,
    result: Result<T, ServiceError>,
    success: &str,
    general: &'static str,
    page: Page,
) -> Result<Response, PageError>
where
    Page: FnOnce(Option<Alert>, FormErrors) -> Shown,
    Shown: std::future::Future<Output = Result<Response, PageError>>,
{
    match result {
        Ok(_) => Ok(Redirect::to(success).into_response()),
        Err(ServiceError::Refused(r)) if !r.fields().is_empty() => {
            page(None, FormErrors::from_refusal(ctx, &r, general)).await
        }
        Err(ServiceError::Refused(r)) => {
            page(Some(Alert::refusal(ctx, &r)), FormErrors::default()).await
        }
        Err(e) => Err(e.into()),
    }
}

/// The status of a page shown again after a refusal: the alert's, else the form errors'.
pub fn page_status(errors: &FormErrors, alert: Option<&Alert>) -> StatusCode {
    alert.map_or_else(|| errors.status(), |a| a.status)
}

/// The notices a redirect may name in `?notice=`: only ids the site sends are shown.
pub fn notice(ctx: &Ctx, key: Option<&str>, known: &[&'static str]) -> Option<String> {
    key.and_then(|k| known.iter().find(|n| **n == k))
        .map(|k| ctx.t(k))
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

/// Every byte outside RFC 3986's unreserved set is percent-encoded.
const NOT_UNRESERVED: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Percent-encodes a URL path segment or an RFC 5987 `filename*` value.
pub fn percent_encode(s: &str) -> String {
    percent_encoding::utf8_percent_encode(s, NOT_UNRESERVED).to_string()
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

    #[test]
    fn percent_encoding_keeps_only_unreserved() {
        assert_eq!(super::percent_encode("a-b_c.d~e"), "a-b_c.d~e");
        assert_eq!(super::percent_encode("김 /?"), "%EA%B9%80%20%2F%3F");
    }
}
