//! `maeul pb import`: imports a historical pabulib election into a scope's latest envelope, as the scope's
//! staff do on its budget page (the same checks, one transaction, audited with no actor: the operator).
use anyhow::Context;
use clap::Args;
use maeul_domain::ScopeTree;
use maeul_web::areas::budgeting::import::{ImportInput, import_into};
use maeul_web::http::ServiceError;
use std::path::PathBuf;

use crate::server::{DatabaseArgs, open};

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The election file (`.pb`, UTF-8, at most 2 MB).
    pub file: PathBuf,
    /// The scope's code (`11110`, `1111053000`, …): its latest envelope receives the process.
    #[arg(long)]
    pub scope: String,
    /// The process's title.
    #[arg(long)]
    pub title: String,
    /// The engine's rule counting it (`mes_cost`, `greedy_cost`, …).
    #[arg(long)]
    pub rule: String,
    #[command(flatten)]
    pub database: DatabaseArgs,
}

pub async fn import(args: ImportArgs) -> anyhow::Result<()> {
    let bytes =
        std::fs::read(&args.file).with_context(|| format!("reading {}", args.file.display()))?;
    let db = open(&args.database.database).await?;
    let tree = ScopeTree::new(db.load_scopes().await?).map_err(anyhow::Error::msg)?;
    let scope = tree
        .by_code(&args.scope)
        .with_context(|| format!("no scope {}", args.scope))?;
    let envelope = db
        .latest_envelope_of(scope.id)
        .await?
        .with_context(|| format!("scope {} has no envelope", args.scope))?;
    let input = ImportInput {
        title: &args.title,
        rule: &args.rule,
        file: &bytes,
    };
    match import_into(&db, envelope.id, None, &input).await {
        Ok(id) => {
            println!("imported as budget {id}");
            Ok(())
        }
        Err(ServiceError::Refused(r)) => anyhow::bail!("{}: nothing was imported", r),
        Err(e) => Err(anyhow::anyhow!("{e}")),
    }
}
