//! `maeul demo-ballots`: adds verified demo residents' random valid ballots to a participatory budget of a
//! demo city (the demo official verifies them, so it only runs on demo databases), to show a count at work.
use anyhow::Context;
use clap::Args;
use maeul_db::Db;

use crate::server::{DatabaseArgs, open};

#[derive(Debug, Args)]
pub struct BallotsArgs {
    /// The participatory-budgeting process (its voting must be open).
    #[arg(long)]
    pub budget: i64,
    /// How many new voters.
    #[arg(long)]
    pub count: u32,
    #[command(flatten)]
    pub database: DatabaseArgs,
}

pub async fn ballots(args: BallotsArgs) -> anyhow::Result<()> {
    let db: Db = open(&args.database.database).await?;
    let cast = maeul_web::areas::budgeting::demo::add_demo_ballots(&db, args.budget, args.count)
        .await
        .with_context(|| format!("adding ballots to budget {}", args.budget))?;
    let total = db.ballots_of(args.budget).await?.len();
    println!(
        "budget {}: {cast} ballots cast, {total} in all",
        args.budget
    );
    Ok(())
}
