//! A small in-memory limiter for failed logins: at most `limit` failures per key within `window`.
//! Keys are "ip:<addr>" and "email:<address>", so one address cannot be guessed at from many machines
//! nor many addresses from one. Memory stays bounded because stale entries are pruned as keys are touched.
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
}
