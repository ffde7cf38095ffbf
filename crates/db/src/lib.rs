//! maeul-db: the one storage layer. Every query of the platform lives here, and runs on SQLite and on
//! PostgreSQL through native sqlx pools.
//!
//! Why native pools and not `sqlx::Any`: `Any` loses dates, booleans and type checks (see ARCHITECTURE.md).
//! [`Db`] is an enum of the two pools; [`db_run!`] expands one body once per backend, so a query written
//! once (`$1` placeholders, `RETURNING`, `ON CONFLICT` — all portable) is type-checked against both
//! drivers, and the rare backend-specific statement is an explicit second arm.

use std::str::FromStr;
use std::time::Duration;

use sqlx::migrate::Migrator;
use sqlx::postgres::{PgPool, PgPoolOptions};
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};

pub mod attachments;
pub mod audit;
pub mod budget;
pub mod comments;
pub mod committees;
pub mod cooperation;
pub mod evaluation;
pub mod forums;
pub mod identity;
pub mod integrity;
pub mod jobs;
pub mod moderation;
pub mod notifications;
pub mod outbox;
pub mod plan;
pub mod proposals;
pub mod ratelimit;
pub mod residency;
pub mod roles;
mod rows;
pub mod scopes;
pub mod secrets;
pub mod seed;
pub mod settings;
pub mod testing;
pub mod users;
mod write;

pub use write::{BeginWrite, WriteTx};

static SQLITE_MIGRATIONS: Migrator = sqlx::migrate!("./migrations/sqlite");
static POSTGRES_MIGRATIONS: Migrator = sqlx::migrate!("./migrations/postgres");

/// Runs `$body` with `$pool` bound to the concrete pool of whichever backend `$db` is.
/// With a second `postgres` arm, runs backend-specific code.
#[macro_export]
macro_rules! db_run {
    ($db:expr, $pool:ident => $body:expr) => {
        match $db {
            $crate::Db::Sqlite($pool) => $body,
            $crate::Db::Postgres($pool) => $body,
        }
    };
    ($db:expr, sqlite $spool:ident => $sbody:expr, postgres $ppool:ident => $pbody:expr) => {
        match $db {
            $crate::Db::Sqlite($spool) => $sbody,
            $crate::Db::Postgres($ppool) => $pbody,
        }
    };
}

/// A connection pool to one of the two supported databases.
#[derive(Clone, Debug)]
pub enum Db {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    pub fn as_str(self) -> &'static str {
        match self {
            Backend::Sqlite => "sqlite",
            Backend::Postgres => "postgres",
        }
    }
}

/// What went wrong in storage. Callers map these to user-facing messages; nothing here is shown raw.
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("unsupported database URL {0:?}: use sqlite://PATH or postgres://…")]
    UnsupportedUrl(String),
    #[error("not found")]
    NotFound,
    #[error("already exists: {0}")]
    Conflict(&'static str),
    /// A maintenance command used wrongly (`maeul backup` to an existing file, …): for the command line.
    #[error("{0}")]
    Usage(String),
    /// A rule refused the change; nothing was written. The edge explains it in the reader's language.
    #[error("refused: {0}")]
    Refused(#[from] maeul_domain::Refusal),
    /// Stored data (or seed data) that breaks an invariant, e.g. a state no enum knows. Logged, never shown.
    #[error("corrupt data: {0}")]
    Corrupt(String),
    #[error("database error: {0}")]
    Sqlx(#[source] sqlx::Error),
    #[error("migration error: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
}

impl From<sqlx::Error> for DbError {
    fn from(e: sqlx::Error) -> Self {
        match e {
            sqlx::Error::RowNotFound => DbError::NotFound,
            other => DbError::Sqlx(other),
        }
    }
}

/// Maps a unique-constraint violation to [`DbError::Conflict`], anything else through `From`.
pub(crate) fn conflict_as(what: &'static str) -> impl Fn(sqlx::Error) -> DbError {
    move |e| match &e {
        sqlx::Error::Database(d) if d.is_unique_violation() => DbError::Conflict(what),
        _ => DbError::from(e),
    }
}

impl From<maeul_domain::named::UnknownValue> for DbError {
    fn from(e: maeul_domain::named::UnknownValue) -> Self {
        DbError::Corrupt(e.to_string())
    }
}

/// A nullable stored name decoded into an optional domain enum (`#[sqlx(try_from = "Option<String>")]`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OptionalName<T>(pub Option<T>);

impl<T: maeul_domain::Named> TryFrom<Option<String>> for OptionalName<T> {
    type Error = maeul_domain::named::UnknownValue;
    fn try_from(s: Option<String>) -> Result<Self, Self::Error> {
        s.map(|s| T::decode(&s)).transpose().map(OptionalName)
    }
}

/// Shorthand for a refusal from a rule's own error type.
pub fn refused<E: Into<maeul_domain::Refusal>>(e: E) -> DbError {
    DbError::Refused(e.into())
}

pub type DbResult<T> = Result<T, DbError>;

/// Seconds since the Unix epoch: the one time format stored on both backends.
pub fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

impl Db {
    /// Connects to `url` (`sqlite://PATH`, file created if missing, or `postgres://…`).
    /// SQLite runs in WAL mode with `synchronous=NORMAL` (durable in WAL, 7× faster writes than FULL),
    /// foreign keys on and a 5 s busy timeout so concurrent writers wait instead of failing.
    pub async fn connect(url: &str) -> DbResult<Db> {
        Db::connect_with(url, true).await
    }

    /// Connects to a database that must already exist: a mistyped SQLite path is an error, not a new
    /// empty database (for maintenance commands such as `maeul backup`).
    pub async fn connect_existing(url: &str) -> DbResult<Db> {
        if let Some(path) = sqlite_path(url)
            && !std::path::Path::new(&path).exists()
        {
            return Err(DbError::Usage(format!(
                "no database at {path}; check the path (nothing was created)"
            )));
        }
        Db::connect_with(url, false).await
    }

    async fn connect_with(url: &str, create: bool) -> DbResult<Db> {
        if url.starts_with("sqlite:") {
            let options = SqliteConnectOptions::from_str(url)?
                .create_if_missing(create)
                .journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Normal)
                .foreign_keys(true)
                .busy_timeout(Duration::from_secs(5));
            let pool = SqlitePoolOptions::new()
                .max_connections(8)
                .connect_with(options)
                .await?;
            Ok(Db::Sqlite(pool))
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            let pool = PgPoolOptions::new()
                .max_connections(16)
                .acquire_timeout(Duration::from_secs(10))
                .connect(url)
                .await?;
            Ok(Db::Postgres(pool))
        } else {
            Err(DbError::UnsupportedUrl(redact_url(url)))
        }
    }

    pub fn backend(&self) -> Backend {
        match self {
            Db::Sqlite(_) => Backend::Sqlite,
            Db::Postgres(_) => Backend::Postgres,
        }
    }

    /// Applies every pending migration of this backend, then makes sure the server's secrets exist.
    pub async fn migrate(&self) -> DbResult<()> {
        db_run!(self,
            sqlite pool => SQLITE_MIGRATIONS.run(pool).await?,
            postgres pool => POSTGRES_MIGRATIONS.run(pool).await?
        );
        self.ensure_secrets().await
    }

    /// A round trip to the database, for health checks.
    pub async fn ping(&self) -> DbResult<()> {
        db_run!(self, pool => sqlx::query("SELECT 1").execute(pool).await?.rows_affected());
        Ok(())
    }

    /// Writes a consistent copy of a SQLite database to `path` while it is in use (`VACUUM INTO`
    /// reads one snapshot; writers carry on). PostgreSQL has its own tools (pg_dump).
    pub async fn backup_to(&self, path: &str) -> DbResult<()> {
        match self {
            Db::Sqlite(pool) => {
                if std::path::Path::new(path).exists() {
                    return Err(DbError::Usage(format!(
                        "{path} already exists; choose a new file"
                    )));
                }
                sqlx::query("VACUUM INTO $1")
                    .bind(path)
                    .execute(pool)
                    .await?;
                Ok(())
            }
            Db::Postgres(_) => Err(DbError::Usage(
                "backup is for SQLite; use pg_dump for PostgreSQL".into(),
            )),
        }
    }

    pub async fn close(&self) {
        db_run!(self, pool => pool.close().await)
    }
}

/// The file of a `sqlite:` URL (`sqlite://PATH`, `sqlite:PATH`, options after `?` dropped); `None` for
/// other URLs and for in-memory databases.
fn sqlite_path(url: &str) -> Option<String> {
    let rest = url.strip_prefix("sqlite:")?;
    let rest = rest.strip_prefix("//").unwrap_or(rest);
    let path = rest.split('?').next().unwrap_or("");
    (!path.is_empty() && path != ":memory:").then(|| path.to_owned())
}

/// A database URL with any password removed, safe to print.
pub fn redact_url(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme_end), Some(at)) if at > scheme_end => {
            let userinfo = &url[scheme_end + 3..at];
            let user = userinfo.split(':').next().unwrap_or("");
            format!("{}://{user}:***@{}", &url[..scheme_end], &url[at + 1..])
        }
        _ => url.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::redact_url;

    #[test]
    fn sqlite_paths() {
        use super::sqlite_path;
        assert_eq!(
            sqlite_path("sqlite://data/m.db").as_deref(),
            Some("data/m.db")
        );
        assert_eq!(
            sqlite_path("sqlite:///tmp/m.db?mode=rwc").as_deref(),
            Some("/tmp/m.db")
        );
        assert_eq!(sqlite_path("sqlite::memory:"), None);
        assert_eq!(sqlite_path("postgres://x"), None);
    }

    #[test]
    fn passwords_never_printed() {
        assert_eq!(
            redact_url("postgres://u:secret@h:5432/db"),
            "postgres://u:***@h:5432/db"
        );
        assert_eq!(
            redact_url("sqlite://data/maeul.db"),
            "sqlite://data/maeul.db"
        );
    }
}
