//! What the committees' pages share: the texts templates need beyond plain labels (vote rules with their
//! fraction, vote counts), notices, and the committees' section of a scope's page.
use maeul_domain::committee::{Ineligible, VoteRule};
use maeul_domain::{Action, Scope};

use crate::AppState;
use crate::http::section::{ScopeSection, SectionItem, SectionLink};
use crate::http::{Ctx, PageError};
use crate::i18n::Message;

/// Notices the committees' pages show after a redirect.
pub const NOTICES: &[&str] = &[
    "committee-notice-saved",
    "committee-notice-applied",
    "committee-notice-registered",
    "committee-notice-waiting",
    "committee-notice-unregistered",
    "committee-notice-voted",
    "committee-notice-drawn",
    "committee-notice-vacancy-filled",
];

/// Texts of the committees' templates, in the page's language.
pub trait CommitteeText {
    /// "Majority of those voting", "At least 2/3 of those present".
    fn vote_rule(&self, rule: &VoteRule) -> String;
    /// "3 yes · 1 no · 0 abstain".
    fn counts(&self, yes: &i64, no: &i64, abstain: &i64) -> String;
    /// Why an applicant is not eligible.
    fn ineligible(&self, reason: &Ineligible) -> String;
}

impl CommitteeText for Ctx {
    fn vote_rule(&self, rule: &VoteRule) -> String {
        match rule {
            VoteRule::Qualified {
                numerator,
                denominator,
            } => self.t1(
                rule.label_id(),
                "fraction",
                format!("{numerator}/{denominator}"),
            ),
            _ => self.t(rule.label_id()),
        }
    }

    fn counts(&self, yes: &i64, no: &i64, abstain: &i64) -> String {
        self.i18n.tr(
            self.lang,
            "motion-counts",
            &[
                ("yes", (*yes).into()),
                ("no", (*no).into()),
                ("abstain", (*abstain).into()),
            ],
        )
    }

    fn ineligible(&self, reason: &Ineligible) -> String {
        self.message(&Message {
            id: reason.message_id(),
            args: reason.args(),
        })
    }
}

/// The scope page's section of committees.
pub async fn scope_section(
    state: &AppState,
    ctx: &Ctx,
    scope: &Scope,
) -> Result<ScopeSection, PageError> {
    let committees = state.db.committees_in_scope(scope.id).await?;
    let mut links = vec![SectionLink::new(
        format!("/scopes/{}/committees", scope.code),
        ctx.t("committees-title"),
        "committees-link",
    )];
    if ctx.may_in(Action::RunCommittees, scope) {
        links.push(SectionLink::new(
            format!("/scopes/{}/committees#new-committee-title", scope.code),
            ctx.t("committee-new"),
            "new-committee-link",
        ));
    }
    Ok(ScopeSection {
        id: "committees",
        title: ctx.t("section-committees"),
        items: committees
            .iter()
            .map(|c| SectionItem {
                href: format!("/committees/{}", c.id),
                text: c.name.clone(),
                meta: ctx.label(c.kind),
            })
            .collect(),
        empty: ctx.t("section-committees-empty"),
        links,
    })
}
