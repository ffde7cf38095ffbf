//! `maeul serve`, `maeul demo`, `maeul migrate`, `maeul backup`: the platform server and its upkeep.
use std::net::SocketAddr;
use std::time::Duration;

use anyhow::Context;
use clap::Args;
use maeul_db::{Db, redact_url};
use maeul_web::Config;

pub const DEFAULT_DATABASE: &str = "sqlite://maeul.db";

#[derive(Debug, Args)]
pub struct DatabaseArgs {
    /// Database URL: `sqlite://PATH` (created if missing) or `postgres://USER@HOST/DB`.
    #[arg(long, env = "DATABASE_URL", default_value = DEFAULT_DATABASE)]
    pub database: String,
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address to listen on.
    #[arg(long, env = "MAEUL_BIND", default_value = "127.0.0.1:8080")]
    pub bind: SocketAddr,
    #[command(flatten)]
    pub database: DatabaseArgs,
    /// Seed the demo city (Seoul) and one account per role into an empty database, and print their passwords.
    #[arg(long, env = "MAEUL_DEMO")]
    pub demo: bool,
    /// Public address of the site, used in links sent by e-mail (defaults to http://BIND).
    #[arg(long, env = "MAEUL_BASE_URL")]
    pub base_url: Option<String>,
    /// Mark cookies Secure (set when the site is served over HTTPS).
    #[arg(long, env = "MAEUL_SECURE_COOKIES")]
    pub secure_cookies: bool,
    /// Behind a trusted reverse proxy or load balancer: the header carrying the client's address, e.g.
    /// `X-Forwarded-For` (its last entry is used). Sign-in limits per address need it; never set it when
    /// clients reach the server directly (they could then choose their address).
    #[arg(long, env = "MAEUL_CLIENT_IP_HEADER")]
    pub client_ip_header: Option<String>,
    /// SMTP server for outgoing mail, e.g. `smtps://user:pass@smtp.example.org`. Without it, mail stays in
    /// the outbox administrators read on the admin page.
    #[arg(long, env = "MAEUL_SMTP_URL")]
    pub smtp_url: Option<String>,
    /// Sender address of outgoing mail.
    #[arg(
        long,
        env = "MAEUL_MAIL_FROM",
        default_value = "maeul <no-reply@maeul.invalid>"
    )]
    pub mail_from: String,
}

/// Connects and migrates, creating the SQLite file's folder if needed.
pub async fn open(url: &str) -> anyhow::Result<Db> {
    let sqlite_folder = url
        .strip_prefix("sqlite://")
        .map(|p| p.split('?').next().unwrap_or(p))
        .and_then(|path| std::path::Path::new(path).parent())
        .filter(|p| !p.as_os_str().is_empty());
    if let Some(parent) = sqlite_folder {
        std::fs::create_dir_all(parent)
            .with_context(|| format!("creating {}", parent.display()))?;
    }
    let db = Db::connect(url)
        .await
        .with_context(|| format!("connecting to {}", redact_url(url)))?;
    db.migrate().await.context("migrating the database")?;
    Ok(db)
}

pub async fn serve(args: ServeArgs) -> anyhow::Result<()> {
    let db = open(&args.database.database).await?;
    tracing::info!(database = %redact_url(&args.database.database), backend = db.backend().as_str(), "database ready");
    if args.demo {
        match maeul_web::demo::seed(&db).await? {
            Some(credentials) => {
                println!("\nmaeul demo — one account per role (demo mode only):");
                for c in &credentials {
                    println!("  {:<18} {:<26} {}", c.role, c.email, c.password);
                }
                println!();
            }
            None => {
                tracing::warn!("--demo: the database already has other accounts; nothing seeded")
            }
        }
    }
    let base_url = args
        .base_url
        .unwrap_or_else(|| format!("http://{}", args.bind));
    let config = Config {
        base_url: base_url.clone(),
        secure_cookies: args.secure_cookies,
        demo: args.demo,
        client_ip_header: args.client_ip_header.clone(),
    };
    let state = maeul_web::AppState::new(db.clone(), config).await?;
    let app = maeul_web::router(state.clone());

    let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
    let mut background = vec![tokio::spawn(purge_sessions(db.clone(), stop_rx.clone()))];
    {
        // The job queue: notifications, e-mail and the daily digest (see maeul_web::jobs).
        let mut rx = stop_rx.clone();
        background.push(tokio::spawn(maeul_web::jobs::run_worker(
            state,
            async move {
                let _ = rx.changed().await;
            },
        )));
    }
    match &args.smtp_url {
        Some(url) => {
            let transport = maeul_web::mailer::smtp_transport(url).map_err(anyhow::Error::msg)?;
            let mut rx = stop_rx.clone();
            background.push(tokio::spawn(maeul_web::mailer::run_sender(
                db.clone(),
                transport,
                args.mail_from.clone(),
                async move {
                    let _ = rx.changed().await;
                },
            )));
            tracing::info!("mail is delivered by SMTP");
        }
        None => tracing::info!("no SMTP configured: mail stays in the outbox (admin page)"),
    }

    let listener = tokio::net::TcpListener::bind(args.bind)
        .await
        .with_context(|| format!("binding {}", args.bind))?;
    tracing::info!(address = %listener.local_addr()?, %base_url, "maeul is serving");
    println!("maeul is serving on {base_url}");
    axum::serve(
        listener,
        app.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown_signal())
    .await?;
    tracing::info!("shutting down");
    let _ = stop_tx.send(true);
    for task in background {
        let _ = tokio::time::timeout(Duration::from_secs(10), task).await;
    }
    db.close().await;
    Ok(())
}

/// Resolves on Ctrl-C or SIGTERM; in-flight requests then finish before the server stops.
async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = terminate => {},
    }
}

/// Removes expired sessions and reset links every hour.
async fn purge_sessions(db: Db, mut stop: tokio::sync::watch::Receiver<bool>) {
    loop {
        match db.purge_expired().await {
            Ok(n) if n > 0 => tracing::info!(sessions = n, "purged expired sessions"),
            Ok(_) => {}
            Err(e) => tracing::warn!(error = %e, "purging expired sessions failed"),
        }
        tokio::select! {
            _ = stop.changed() => return,
            _ = tokio::time::sleep(Duration::from_secs(3600)) => {}
        }
    }
}

pub async fn migrate(args: DatabaseArgs) -> anyhow::Result<()> {
    let db = open(&args.database).await?;
    println!(
        "{} is migrated ({})",
        redact_url(&args.database),
        db.backend().as_str()
    );
    Ok(())
}

pub async fn backup(path: String, args: DatabaseArgs) -> anyhow::Result<()> {
    let db = Db::connect_existing(&args.database)
        .await
        .with_context(|| format!("connecting to {}", redact_url(&args.database)))?;
    db.backup_to(&path).await?;
    println!("backed up {} to {path}", redact_url(&args.database));
    Ok(())
}
