//! The public sphere's pages.
pub mod attachments;
pub mod comments;
pub mod debates;
pub mod items;
