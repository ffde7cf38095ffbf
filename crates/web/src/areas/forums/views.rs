//! What the forums' pages show beside their data: the notices their redirects may name.

/// The notices the forums' redirects may name.
pub const NOTICES: &[&str] = &[
    "forum-notice-saved",
    "forum-notice-voted",
    "forum-notice-statement-shown",
    "forum-notice-statement-pending",
];
