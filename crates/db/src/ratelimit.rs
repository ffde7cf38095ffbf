//! Sign-in limits kept in the database, so they survive a restart and hold across several servers on one
//! database: a failure count and the time of the last failure per key (an account's e-mail, a client
//! address, an address's reset requests). The web layer's rule turns them into a wait.
use crate::{Db, DbResult, db_run};

/// Counts are forgotten after a day without failures.
pub const FORGET_AFTER_SECS: i64 = 24 * 3600;

/// What is limited.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LimitKey<'a> {
    /// Sign-ins to one account (the normalised e-mail address).
    Account(&'a str),
    /// Sign-ins from one client address.
    Address(&'a str),
    /// Password-reset requests from one client address.
    ResetRequests(&'a str),
}

impl LimitKey<'_> {
    fn encode(self) -> String {
        match self {
            LimitKey::Account(email) => format!("account:{email}"),
            LimitKey::Address(ip) => format!("address:{ip}"),
            LimitKey::ResetRequests(ip) => format!("reset:{ip}"),
        }
    }
}

/// A key's recent failures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Failures {
    pub count: i64,
    pub last_at: i64,
}

/// The key under which a password reset clears an account's failures (see `Db::reset_password`).
pub(crate) fn account_key_sql() -> &'static str {
    "DELETE FROM sign_in_failures WHERE key = 'account:' || (SELECT email FROM users WHERE id = $1)"
}

impl Db {
    /// A key's failures of the last day (zero when none).
    pub async fn limit_failures(&self, key: LimitKey<'_>, at: i64) -> DbResult<Failures> {
        let row: Option<(i64, i64)> = db_run!(self, pool => sqlx::query_as(
            "SELECT failures, last_at FROM sign_in_failures WHERE key = $1 AND last_at > $2")
            .bind(key.encode()).bind(at - FORGET_AFTER_SECS).fetch_optional(pool).await?);
        Ok(row
            .map(|(count, last_at)| Failures { count, last_at })
            .unwrap_or_default())
    }

    /// Counts one failure (or request) for a key at `at`; a count older than a day starts over.
    pub async fn record_limit_failure(&self, key: LimitKey<'_>, at: i64) -> DbResult<()> {
        db_run!(self, pool => sqlx::query(
            "INSERT INTO sign_in_failures (key, failures, last_at) VALUES ($1, 1, $2)
             ON CONFLICT (key) DO UPDATE SET
               failures = CASE WHEN sign_in_failures.last_at <= $3 THEN 1 ELSE sign_in_failures.failures + 1 END,
               last_at = $2")
            .bind(key.encode()).bind(at).bind(at - FORGET_AFTER_SECS).execute(pool).await?.rows_affected());
        Ok(())
    }

    /// Forgets a key's failures (a correct password, a used reset link).
    pub async fn clear_limit_failures(&self, key: LimitKey<'_>) -> DbResult<()> {
        db_run!(self, pool => sqlx::query("DELETE FROM sign_in_failures WHERE key = $1")
            .bind(key.encode()).execute(pool).await?.rows_affected());
        Ok(())
    }
}
