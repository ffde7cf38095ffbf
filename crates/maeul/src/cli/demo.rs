//! `maeul demo-supporters`: fills a proposal of a demo city with verified supporters, to show the
//! threshold ladder at work (and for the browser tests, which need 50 supporters without 50 browsers).
use anyhow::{Context, bail};
use clap::Args;
use maeul_db::Db;
use maeul_domain::residency::ResidencyDecision;
use maeul_domain::{ResidencyBasis, ScopeKind, ScopeTree};

use crate::server::{DatabaseArgs, open};

#[derive(Debug, Args)]
pub struct SupportersArgs {
    /// The proposal to support.
    #[arg(long)]
    pub proposal: i64,
    /// How many new supporters.
    #[arg(long)]
    pub count: u32,
    #[command(flatten)]
    pub database: DatabaseArgs,
}

/// The demo official verifies the new residents, so this only runs on a demo database.
const VERIFIER: &str = "official@demo.maeul.kr";

pub async fn supporters(args: SupportersArgs) -> anyhow::Result<()> {
    let db: Db = open(&args.database.database).await?;
    let verifier = db.user_by_email(VERIFIER).await?.with_context(|| {
        format!("{VERIFIER} not found: this command is for demo databases (serve --demo)")
    })?;
    let p = db
        .proposal(args.proposal)
        .await?
        .with_context(|| format!("no proposal {}", args.proposal))?;
    let tree = ScopeTree::new(db.load_scopes().await?).map_err(anyhow::Error::msg)?;
    let scope = tree
        .get(p.scope_id)
        .context("the proposal's scope is unknown")?;
    // Residents live in neighbourhoods: the proposal's own, or the first one below its district or city.
    let home = if scope.kind == ScopeKind::Neighbourhood {
        scope
    } else {
        tree.all()
            .iter()
            .find(|s| s.kind == ScopeKind::Neighbourhood && s.code.starts_with(&scope.code))
            .context("no neighbourhood below the proposal's scope")?
    };
    let path: Vec<i64> = tree.path(scope).iter().map(|s| s.id).collect();
    let ladder = db.ladder_config(&path).await?.0.ladder();
    let tag = maeul_db::secrets::random_token()[..8].to_lowercase();
    let mut last = None;
    for i in 0..args.count {
        let email = format!("supporter-{tag}-{i}@demo.maeul.kr");
        // No password can match this hash: these accounts cannot sign in.
        let name = format!("주민{}", i + 1);
        let handle = format!("supporter_{tag}_{i}");
        let uid = db
            .create_user(&maeul_db::users::NewUser {
                email: &email,
                display_name: &name,
                handle: &handle,
                password_hash: "!",
                lang: "ko",
            })
            .await?;
        db.declare_residency(uid, home.id, ResidencyBasis::Resident, None)
            .await?;
        db.decide_residency(uid, ResidencyDecision::Verify, verifier.id, Some("demo"))
            .await?;
        let change = db.support_proposal(p.id, uid, &ladder).await?;
        if !change.changed {
            bail!("support {i} was not counted");
        }
        last = Some(change);
    }
    match last {
        Some(change) => println!(
            "proposal {} now has {} supporters ({})",
            p.id,
            change.count,
            change.state.as_str()
        ),
        None => println!("nothing to do"),
    }
    Ok(())
}
