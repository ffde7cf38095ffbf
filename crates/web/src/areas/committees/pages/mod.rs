//! The committees' pages.
pub mod bodies;
pub mod calls;
pub mod meetings;
