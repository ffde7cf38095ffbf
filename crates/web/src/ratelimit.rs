//! Small in-memory limiters for failed sign-ins: at most `limit` failures per key within `window`.
//! [`LoginGuard`] keys failures by e-mail (5 per 15 minutes: one account cannot be guessed at from many
//! machines) and by client address (50 per 15 minutes: one machine cannot try many accounts, while a
//! shared address — an office, a community centre — is not locked out by a few typos). Memory stays
//! bounded because stale entries are pruned as keys are touched.
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

#[derive(Debug)]
pub struct RateLimiter {
    limit: usize,
    window: Duration,
    failures: Mutex<HashMap<String, Vec<Instant>>>,
}

impl RateLimiter {
    pub fn new(limit: usize, window: Duration) -> Self {
        RateLimiter {
            limit,
            window,
            failures: Mutex::default(),
        }
    }

    /// Whether `key` may try again now.
    pub fn allowed(&self, key: &str) -> bool {
        self.allowed_at(key, Instant::now())
    }

    pub fn record_failure(&self, key: &str) {
        self.record_failure_at(key, Instant::now());
    }

    /// Forgets a key's failures (after a successful login).
    pub fn reset(&self, key: &str) {
        self.failures.lock().expect("limiter lock").remove(key);
    }

    fn allowed_at(&self, key: &str, now: Instant) -> bool {
        let mut map = self.failures.lock().expect("limiter lock");
        match map.get_mut(key) {
            Some(times) => {
                times.retain(|t| now.duration_since(*t) < self.window);
                times.len() < self.limit
            }
            None => true,
        }
    }

    fn record_failure_at(&self, key: &str, now: Instant) {
        let mut map = self.failures.lock().expect("limiter lock");
        if map.len() > 100_000 {
            map.retain(|_, times| {
                times
                    .last()
                    .is_some_and(|t| now.duration_since(*t) < self.window)
            });
        }
        map.entry(key.to_owned()).or_default().push(now);
    }
}

/// The sign-in (and password-reset) limits of the site.
#[derive(Debug)]
pub struct LoginGuard {
    by_email: RateLimiter,
    by_ip: RateLimiter,
}

impl Default for LoginGuard {
    fn default() -> Self {
        let window = Duration::from_secs(15 * 60);
        LoginGuard {
            by_email: RateLimiter::new(5, window),
            by_ip: RateLimiter::new(50, window),
        }
    }
}

impl LoginGuard {
    pub fn allowed(&self, ip: &str, email: &str) -> bool {
        self.by_ip.allowed(ip) && self.by_email.allowed(email)
    }

    pub fn failed(&self, ip: &str, email: &str) {
        self.by_ip.record_failure(ip);
        self.by_email.record_failure(email);
    }

    /// A correct password clears the account's failures (not the address's: one valid account must not
    /// let an address keep guessing at others).
    pub fn succeeded(&self, email: &str) {
        self.by_email.reset(email);
    }

    /// Password-reset requests count against the address's budget, so mail cannot be sprayed.
    pub fn reset_request(&self, ip: &str) -> bool {
        let key = format!("reset:{ip}");
        let ok = self.by_email.allowed(&key);
        self.by_email.record_failure(&key);
        ok
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_after_limit_and_recovers_after_window() {
        let limiter = RateLimiter::new(3, Duration::from_secs(60));
        let t0 = Instant::now();
        for _ in 0..3 {
            assert!(limiter.allowed_at("ip:1", t0));
            limiter.record_failure_at("ip:1", t0);
        }
        assert!(!limiter.allowed_at("ip:1", t0 + Duration::from_secs(59)));
        assert!(limiter.allowed_at("ip:2", t0), "other keys are unaffected");
        assert!(limiter.allowed_at("ip:1", t0 + Duration::from_secs(61)));
        limiter.record_failure_at("ip:3", t0);
        limiter.reset("ip:3");
        assert!(limiter.allowed_at("ip:3", t0));
    }

    #[test]
    fn accounts_lock_before_addresses() {
        let guard = LoginGuard::default();
        for _ in 0..5 {
            guard.failed("1.2.3.4", "kim@example.kr");
        }
        assert!(!guard.allowed("1.2.3.4", "kim@example.kr"));
        assert!(
            !guard.allowed("5.6.7.8", "kim@example.kr"),
            "the account is locked from everywhere"
        );
        assert!(
            guard.allowed("1.2.3.4", "lee@example.kr"),
            "others behind the same address still sign in"
        );
        for i in 0..45 {
            guard.failed("1.2.3.4", &format!("u{i}@example.kr"));
        }
        assert!(
            !guard.allowed("1.2.3.4", "lee@example.kr"),
            "an address trying many accounts is stopped"
        );
        assert!((0..5).all(|_| guard.reset_request("9.9.9.9")));
        assert!(!guard.reset_request("9.9.9.9"));
    }
}
