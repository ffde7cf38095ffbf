//! maeul-web: the HTTP face of the platform — HTML pages for people, a JSON API for programs.
//!
//! Organised by area (`areas/`): each area's service orchestrates its use cases, and its pages and API
//! handlers are thin over it. What every area shares is in `http/` (caller and page context, CSRF, errors,
//! extractors, forms, CSV); translations, the background worker, the mailer and the demo are modules of
//! their own.

use std::sync::{Arc, RwLock};

use axum::Router;
use maeul_db::Db;
use maeul_domain::ScopeTree;

pub mod api;
pub mod areas;
pub mod demo;
pub mod http;
pub mod i18n;
pub mod jobs;
pub mod mailer;
pub use maeul_domain::markdown;
pub mod ratelimit;
mod routes;
pub mod static_files;

pub use routes::router;

/// Settings of a running server.
#[derive(Debug, Clone)]
pub struct Config {
    /// The public address of the site, used in e-mailed links (e.g. `https://maeul.seoul.go.kr`).
    pub base_url: String,
    /// Mark cookies `Secure` (serve over HTTPS in production).
    pub secure_cookies: bool,
    /// Accounts created in demo mode, shown on the login page so visitors can try every role.
    pub demo: bool,
    /// Behind a trusted reverse proxy or load balancer: the request header that carries the client's
    /// address (`X-Forwarded-For`: its last entry, the one the proxy added). Without it, the socket peer.
    pub client_ip_header: Option<String>,
}

/// Everything a handler can reach.
#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    pub config: Arc<Config>,
    pub i18n: Arc<i18n::I18n>,
    /// The city's scope tree, cached: it is read by almost every page and changes only by seeding.
    scopes: Arc<RwLock<Arc<ScopeTree>>>,
    pub login_guard: Arc<ratelimit::LoginGuard>,
    /// Forum votes wait here for their group commit (`areas::forums::ingest`).
    pub forum_votes: Arc<areas::forums::ingest::VoteQueue>,
    /// What anonymous readers' busiest pages read, for a second at most (`http::microcache`).
    pub microcache: Arc<http::microcache::MicroCache>,
}

impl AppState {
    pub async fn new(db: Db, config: Config) -> Result<AppState, maeul_db::DbError> {
        let state = AppState {
            db,
            config: Arc::new(config),
            i18n: Arc::new(i18n::I18n::default()),
            scopes: Arc::default(),
            login_guard: Arc::default(),
            forum_votes: Arc::default(),
            microcache: Arc::default(),
        };
        state.reload_scopes().await?;
        Ok(state)
    }

    /// The current scope tree.
    pub fn scopes(&self) -> Arc<ScopeTree> {
        self.scopes.read().expect("scope cache lock").clone()
    }

    /// Re-reads the scope tree when the database holds another number of scopes than the cached tree
    /// (scopes are only ever added, by seeding): how a server sees scopes another server added. Run by
    /// the background pass every second.
    pub async fn refresh_scopes_if_changed(&self) -> Result<bool, maeul_db::DbError> {
        let stored = self.db.scope_count().await?;
        if usize::try_from(stored).ok() == Some(self.scopes().all().len()) {
            return Ok(false);
        }
        self.reload_scopes().await?;
        Ok(true)
    }

    /// Re-reads the scope tree after scopes were added.
    pub async fn reload_scopes(&self) -> Result<(), maeul_db::DbError> {
        let tree =
            ScopeTree::new(self.db.load_scopes().await?).map_err(maeul_db::DbError::Corrupt)?;
        *self.scopes.write().expect("scope cache lock") = Arc::new(tree);
        Ok(())
    }
}

impl std::fmt::Debug for AppState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AppState")
            .field("backend", &self.db.backend())
            .finish_non_exhaustive()
    }
}

/// Convenience for the binary and the tests: the full application for a database.
pub async fn app(db: Db, config: Config) -> Result<Router, maeul_db::DbError> {
    Ok(router(AppState::new(db, config).await?))
}
