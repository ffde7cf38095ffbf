//! What the forums' pages show beside their data: the notices their redirects may name.

/// The notices the forums' redirects may name.
pub const NOTICES: &[&str] = &[
    "forum-notice-saved",
    "forum-notice-voted",
    "forum-notice-statement-shown",
    "forum-notice-statement-pending",
];

/// The scope page's section: the scope's conversations (drafts only for its staff), newest first.
pub async fn scope_section(
    state: &crate::AppState,
    ctx: &crate::http::Ctx,
    scope: &maeul_domain::Scope,
) -> Result<crate::http::section::ScopeSection, crate::http::PageError> {
    use crate::http::section::{ScopeSection, SectionItem, SectionLink};
    let v = super::service::conversations::list(state, ctx.caller(), &scope.code).await?;
    Ok(ScopeSection {
        id: "forums",
        title: ctx.t("forum-list-title"),
        items: v
            .conversations
            .into_iter()
            .map(|c| SectionItem {
                href: format!("/conversations/{}", c.id),
                text: c.topic,
                meta: ctx.label(c.state),
            })
            .collect(),
        empty: ctx.t("forum-list-empty"),
        links: vec![SectionLink::new(
            format!("/scopes/{}/conversations", scope.code),
            ctx.t("forum-list-title"),
            "conversations-link",
        )],
    })
}
