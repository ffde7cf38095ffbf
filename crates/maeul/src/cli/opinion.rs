//! `maeul opinion …`: command-line front end of the maeul-opinion engine.
use clap::Subcommand;

#[derive(Debug, Subcommand)]
pub enum Command {}

pub fn run(command: Command) -> anyhow::Result<()> {
    match command {}
}
