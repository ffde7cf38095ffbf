//! The `maeul` binary: the platform server and its offline tools.
mod cli;
mod server;

use clap::{Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(
    name = "maeul",
    version,
    about = "maeul (마을): community-based collaborative governance for a city"
)]
struct Cli {
    /// Log as JSON lines instead of human-readable text (level from RUST_LOG, default info).
    #[arg(long, global = true, env = "MAEUL_LOG_JSON")]
    log_json: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Run the platform server.
    Serve(server::ServeArgs),
    /// Run the server with the demo city (same as `serve --demo`).
    Demo(server::ServeArgs),
    /// Add verified demo residents as supporters of a proposal (demo databases only), to show the
    /// threshold ladder at work.
    DemoSupporters(cli::demo::SupportersArgs),
    /// Add verified demo residents' random valid ballots to a participatory budget (demo databases only).
    DemoBallots(cli::demo_ballots::BallotsArgs),
    /// Create or update the database schema, then exit.
    Migrate(server::DatabaseArgs),
    /// Write a consistent copy of a SQLite database to PATH, safe while the server runs.
    Backup {
        /// File to write (must not exist).
        path: String,
        #[command(flatten)]
        database: server::DatabaseArgs,
    },
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

fn init_logging(json: bool) {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,sqlx=warn"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    if json {
        builder.json().init();
    } else {
        builder.init();
    }
}

fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    let runtime = || {
        tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .build()
    };
    match cli.command {
        Command::Serve(args) => {
            init_logging(cli.log_json);
            runtime()?.block_on(server::serve(args))
        }
        Command::Demo(mut args) => {
            init_logging(cli.log_json);
            args.demo = true;
            runtime()?.block_on(server::serve(args))
        }
        Command::DemoSupporters(args) => runtime()?.block_on(cli::demo::supporters(args)),
        Command::DemoBallots(args) => runtime()?.block_on(cli::demo_ballots::ballots(args)),
        Command::Migrate(args) => runtime()?.block_on(server::migrate(args)),
        Command::Backup { path, database } => runtime()?.block_on(server::backup(path, database)),
        Command::Pb(command) => cli::pb::run(command),
        Command::Opinion(command) => cli::opinion::run(command),
        Command::Sortition(command) => cli::sortition::run(command),
    }
}
