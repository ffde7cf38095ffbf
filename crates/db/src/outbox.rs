//! Outgoing mail. Every message is stored first; a sender delivers it by SMTP when one is configured,
//! otherwise it stays here for an administrator to read.
use crate::{Db, DbResult, db_run, now};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Mail {
    pub id: i64,
    pub to_addr: String,
    pub subject: String,
    pub body: String,
    pub created_at: i64,
    pub sent_at: Option<i64>,
    pub attempts: i64,
    pub last_error: Option<String>,
    /// The one-click unsubscribe link of notification mail (sent as `List-Unsubscribe`).
    pub unsubscribe_url: Option<String>,
}

impl Db {
    pub async fn enqueue_mail(&self, to: &str, subject: &str, body: &str) -> DbResult<i64> {
        Ok(db_run!(self, pool => sqlx::query_scalar::<_, i64>(
            "INSERT INTO outbox (to_addr, subject, body, created_at) VALUES ($1, $2, $3, $4) RETURNING id")
            .bind(to).bind(subject).bind(body).bind(now())
            .fetch_one(pool).await?))
    }

    /// Unsent mail that has failed fewer than `max_attempts` times, oldest first.
    pub async fn unsent_mails(&self, max_attempts: i64, limit: i64) -> DbResult<Vec<Mail>> {
        const SQL: &str = "SELECT id, to_addr, subject, body, created_at, sent_at, attempts, last_error, unsubscribe_url
                           FROM outbox WHERE sent_at IS NULL AND attempts < $1 ORDER BY id LIMIT $2";
        Ok(
            db_run!(self, pool => sqlx::query_as::<_, Mail>(SQL).bind(max_attempts).bind(limit).fetch_all(pool).await?),
        )
    }

    pub async fn mark_mail_sent(&self, id: i64) -> DbResult<()> {
        db_run!(self, pool => sqlx::query("UPDATE outbox SET sent_at = $1, attempts = attempts + 1, last_error = NULL WHERE id = $2")
            .bind(now()).bind(id).execute(pool).await?.rows_affected());
        Ok(())
    }

    pub async fn mark_mail_failed(&self, id: i64, error: &str) -> DbResult<()> {
        db_run!(self, pool => sqlx::query("UPDATE outbox SET attempts = attempts + 1, last_error = $1 WHERE id = $2")
            .bind(error).bind(id).execute(pool).await?.rows_affected());
        Ok(())
    }

    pub async fn recent_mails(&self, limit: i64) -> DbResult<Vec<Mail>> {
        Ok(db_run!(self, pool => sqlx::query_as::<_, Mail>(
            "SELECT id, to_addr, subject, body, created_at, sent_at, attempts, last_error, unsubscribe_url FROM outbox ORDER BY id DESC LIMIT $1")
            .bind(limit).fetch_all(pool).await?))
    }
}
