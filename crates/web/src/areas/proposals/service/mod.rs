//! The public sphere's use cases: each function loads what it needs, asks the domain whether the caller
//! may, writes in one transaction (in `maeul-db`), and returns a typed result. Pages and the API both call
//! these; neither decides permissions itself.
pub mod attachments;
pub mod comments;
pub mod debates;
pub mod items;

pub use items::{ladder_for, visible};
