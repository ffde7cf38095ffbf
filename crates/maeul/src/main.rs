//! The `maeul` binary: the platform server and its offline tools.
mod cli;

use clap::{Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(name = "maeul", version, about = "maeul (마을): community-based collaborative governance for a city")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Participatory-budgeting elections in the pabulib `.pb` format: check, summarise, tally.
    #[command(subcommand)]
    Pb(cli::pb::Command),
    /// Opinion maps (Pol.is-style) of a deliberation: analyse a conversation, draw its map.
    #[command(subcommand)]
    Opinion(cli::opinion::Command),
    /// Stratified sortition for committee recruitment: selection probabilities and verifiable draws.
    #[command(subcommand)]
    Sortition(cli::sortition::Command),
}

fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    match cli.command {
        Command::Pb(command) => cli::pb::run(command),
        Command::Opinion(command) => cli::opinion::run(command),
        Command::Sortition(command) => cli::sortition::run(command),
    }
}
