//! Small key/value settings the server keeps in its own database.
use crate::{Db, DbResult, db_run};

impl Db {
    pub async fn setting(&self, key: &str) -> DbResult<Option<String>> {
        let value = db_run!(self, pool => sqlx::query_scalar::<_, String>("SELECT value FROM settings WHERE key = $1")
            .bind(key)
            .fetch_optional(pool)
            .await?);
        Ok(value)
    }

    /// Stores `value` under `key` unless the key already has one; returns the value now stored.
    pub async fn setting_or_insert(&self, key: &str, value: &str) -> DbResult<String> {
        db_run!(self, pool => sqlx::query("INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING")
            .bind(key)
            .bind(value)
            .execute(pool)
            .await?
            .rows_affected());
        self.setting(key).await?.ok_or(crate::DbError::NotFound)
    }
}
