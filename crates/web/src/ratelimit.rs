//! Sign-in limits that keep an attacker slow without locking the owner out, stored in the database (they
//! survive a restart and hold across every server on it; see `maeul_db::ratelimit`).
//!
//! Failures are counted per account and per client address. Up to a free number of failures (5 for an
//! account, 50 for an address — an office or a community centre shares one) nothing happens; after that
//! each further attempt waits a backoff after the last failure: 30 s, doubling to at most 15 minutes. So a
//! guesser gets at most about a hundred tries a day at one account, while the owner waits at worst 15
//! minutes — or uses the password-reset link, which clears the account's wait at once. A correct password
//! clears the account's count (not the address's: one valid account must not let an address keep guessing
//! at others). Counts are forgotten after a day without failures.
use maeul_db::ratelimit::{Failures, LimitKey};
use maeul_db::{Db, DbResult};

/// Failures an account may have before it waits.
pub const ACCOUNT_FREE: i64 = 5;
/// Failures an address may have before it waits.
pub const ADDRESS_FREE: i64 = 50;
/// Password-reset requests an address may make before it waits.
pub const RESET_FREE: i64 = 5;
const FIRST_WAIT: i64 = 30;
const MAX_WAIT: i64 = 15 * 60;

/// Seconds still to wait at `now` after `f`, when `free` failures are allowed without waiting.
pub fn wait_secs(f: Failures, free: i64, now: i64) -> i64 {
    if f.count < free {
        return 0;
    }
    let doublings = (f.count - free).min(10) as u32;
    let backoff = (FIRST_WAIT << doublings).min(MAX_WAIT);
    (f.last_at + backoff - now).max(0)
}

/// The site's sign-in (and password-reset request) limits.
#[derive(Debug, Default)]
pub struct LoginGuard;

impl LoginGuard {
    /// Whether a sign-in to `email` from `ip` may be tried now.
    pub async fn allowed(&self, db: &Db, ip: &str, email: &str) -> DbResult<bool> {
        let now = maeul_db::now();
        let account = db.limit_failures(LimitKey::Account(email), now).await?;
        let address = db.limit_failures(LimitKey::Address(ip), now).await?;
        Ok(
            wait_secs(account, ACCOUNT_FREE, now) == 0
                && wait_secs(address, ADDRESS_FREE, now) == 0,
        )
    }

    pub async fn failed(&self, db: &Db, ip: &str, email: &str) -> DbResult<()> {
        let now = maeul_db::now();
        db.record_limit_failure(LimitKey::Address(ip), now).await?;
        db.record_limit_failure(LimitKey::Account(email), now).await
    }

    /// A correct password clears the account's failures.
    pub async fn succeeded(&self, db: &Db, email: &str) -> DbResult<()> {
        db.clear_limit_failures(LimitKey::Account(email)).await
    }

    /// Password-reset requests count against the address, so mail cannot be sprayed.
    pub async fn reset_request(&self, db: &Db, ip: &str) -> DbResult<bool> {
        let now = maeul_db::now();
        let key = LimitKey::ResetRequests(ip);
        let ok = wait_secs(db.limit_failures(key, now).await?, RESET_FREE, now) == 0;
        if ok {
            db.record_limit_failure(key, now).await?;
        }
        Ok(ok)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f(count: i64, last_at: i64) -> Failures {
        Failures { count, last_at }
    }

    #[test]
    fn free_failures_then_a_doubling_wait() {
        assert_eq!(wait_secs(f(4, 1000), 5, 1000), 0);
        assert_eq!(wait_secs(f(5, 1000), 5, 1000), 30);
        assert_eq!(wait_secs(f(5, 1000), 5, 1030), 0, "the wait passes");
        assert_eq!(wait_secs(f(6, 1000), 5, 1000), 60);
        assert_eq!(wait_secs(f(9, 1000), 5, 1000), 480);
        assert_eq!(wait_secs(f(10, 1000), 5, 1000), MAX_WAIT);
        assert_eq!(
            wait_secs(f(10_000, 1000), 5, 1000),
            MAX_WAIT,
            "never more than 15 minutes"
        );
    }

    #[test]
    fn a_guesser_gets_about_a_hundred_tries_a_day() {
        // Each try as soon as allowed, for a day.
        let (mut now, mut failures) = (0, f(0, 0));
        let mut tries = 0;
        while now < 24 * 3600 {
            now += wait_secs(failures, ACCOUNT_FREE, now);
            failures = f(failures.count + 1, now);
            tries += 1;
        }
        assert!(tries < 110, "{tries}");
    }
}
