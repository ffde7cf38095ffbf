//! A per-server cache, for a second at most, of what anonymous readers' busiest pages read (the
//! proposal lists), so that a crowd reading the same list costs one query a second instead of one per
//! reader (bench/public-sphere: the list at ~20 % of `/healthz`'s rate without it).
//!
//! Freshness: every entry expires after [`TTL`]; and any state-changing request this server answers
//! (every method but GET and HEAD, pages and API alike) clears it, so a person who acts here sees the
//! effect at once. A change made through another server or by the background worker reaches this
//! server's anonymous readers within [`TTL`]. Signed-in readers never read from it.
use std::any::Any;
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::extract::{Request, State};
use axum::http::Method;
use axum::middleware::Next;
use axum::response::Response;

use crate::AppState;

/// How long an entry may be served.
pub const TTL: Duration = Duration::from_secs(1);
/// Entries kept at most (all dropped when full: a crawler walking every cursor cannot grow it).
const MAX_ENTRIES: usize = 2048;

struct Entry {
    at: Instant,
    generation: u64,
    value: Arc<dyn Any + Send + Sync>,
}

#[derive(Default)]
pub struct MicroCache {
    /// Bumped by every state-changing request this server answers.
    generation: AtomicU64,
    entries: Mutex<HashMap<String, Entry>>,
}

impl MicroCache {
    /// The value cached under `key` if still fresh, else `load`'s (cached when it succeeds).
    pub async fn get_or_load<T, E, F>(&self, key: String, load: F) -> Result<Arc<T>, E>
    where
        T: Send + Sync + 'static,
        F: Future<Output = Result<T, E>>,
    {
        let generation = self.generation.load(Ordering::Acquire);
        if let Some(hit) = self.fresh(&key, generation)
            && let Ok(value) = hit.downcast::<T>()
        {
            return Ok(value);
        }
        let value = Arc::new(load.await?);
        let mut entries = self.entries.lock().expect("microcache lock");
        if entries.len() >= MAX_ENTRIES {
            entries.clear();
        }
        entries.insert(
            key,
            Entry {
                at: Instant::now(),
                generation,
                value: value.clone(),
            },
        );
        Ok(value)
    }

    fn fresh(&self, key: &str, generation: u64) -> Option<Arc<dyn Any + Send + Sync>> {
        let entries = self.entries.lock().expect("microcache lock");
        let entry = entries.get(key)?;
        (entry.generation == generation && entry.at.elapsed() < TTL).then(|| entry.value.clone())
    }

    /// Forgets everything (a write happened here).
    pub fn invalidate(&self) {
        self.generation.fetch_add(1, Ordering::AcqRel);
    }
}

/// Layer: after any state-changing request, the cache is stale (bumped after the handler, so a read that
/// follows the write's answer never sees the older entry).
pub async fn invalidate_on_writes(
    State(state): State<AppState>,
    req: Request,
    next: Next,
) -> Response {
    let writes = !matches!(*req.method(), Method::GET | Method::HEAD);
    let response = next.run(req).await;
    if writes {
        state.microcache.invalidate();
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn entries_are_served_until_a_write_or_their_ttl() {
        let cache = MicroCache::default();
        let load = |n: u32| async move { Ok::<u32, ()>(n) };
        assert_eq!(*cache.get_or_load("k".into(), load(1)).await.unwrap(), 1);
        assert_eq!(
            *cache.get_or_load("k".into(), load(2)).await.unwrap(),
            1,
            "fresh: served"
        );
        assert_eq!(
            *cache.get_or_load("other".into(), load(3)).await.unwrap(),
            3
        );
        cache.invalidate();
        assert_eq!(
            *cache.get_or_load("k".into(), load(4)).await.unwrap(),
            4,
            "a write clears it"
        );
        assert!(
            cache
                .get_or_load("e".into(), async { Err::<u32, &str>("no") })
                .await
                .is_err()
        );
        assert_eq!(
            *cache.get_or_load("e".into(), load(5)).await.unwrap(),
            5,
            "errors are not kept"
        );
        tokio::time::sleep(TTL + Duration::from_millis(50)).await;
        assert_eq!(
            *cache.get_or_load("k".into(), load(6)).await.unwrap(),
            6,
            "expired"
        );
    }
}
