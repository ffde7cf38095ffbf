//! Offline subcommands of the `maeul` binary. Each module is a thin shell over a pure engine crate,
//! except `demo`, which fills a demo database, and `pb_import`, which imports an election into one.
pub mod demo;
pub mod demo_ballots;
pub mod opinion;
pub mod pb;
pub mod pb_import;
pub mod sortition;
