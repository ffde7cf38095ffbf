//! The accounts area's pages.
pub mod account;
pub mod auth;
pub mod people;
pub mod residency;
