//! Offline subcommands of the `maeul` binary. Each module is a thin shell over a pure engine crate.
pub mod opinion;
pub mod pb;
pub mod sortition;
