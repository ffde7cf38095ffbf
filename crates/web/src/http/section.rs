//! A scope's page gathers one section per capability; each area builds its own section from its data, in
//! the reader's language, and the scope page lays them out alike.

/// One capability's section on a scope's page.
pub struct ScopeSection {
    /// The HTML id (also the anchor): `proposals`, `committees`, `budget`, …
    pub id: &'static str,
    pub title: String,
    pub items: Vec<SectionItem>,
    /// Shown when there are no items.
    pub empty: String,
    /// Links under the list ("all proposals", "new proposal"): (href, label, HTML id).
    pub links: Vec<SectionLink>,
}

pub struct SectionItem {
    pub href: String,
    pub text: String,
    /// A short figure or state beside the item.
    pub meta: String,
}

pub struct SectionLink {
    pub href: String,
    pub label: String,
    pub id: &'static str,
}

impl SectionLink {
    pub fn new(href: impl Into<String>, label: String, id: &'static str) -> SectionLink {
        SectionLink {
            href: href.into(),
            label,
            id,
        }
    }
}
