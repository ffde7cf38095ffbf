//! Accounts and their credentials: users, browser sessions, API tokens and password resets.
//! Sessions, tokens and reset links are stored only as SHA-256 hashes (see `secrets::token_hash`).
use crate::{BeginWrite, Db, DbError, DbResult, conflict_as, db_run, now};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct User {
    pub id: i64,
    pub email: String,
    pub display_name: String,
    /// Unique; what people are mentioned by (`@handle`) and found at (`/people/handle`).
    pub handle: String,
    pub password_hash: String,
    pub lang: String,
    pub created_at: i64,
    /// Set while moderators block the account.
    pub blocked_at: Option<i64>,
}

/// A new account.
#[derive(Debug, Clone, Copy)]
pub struct NewUser<'a> {
    pub email: &'a str,
    pub display_name: &'a str,
    pub handle: &'a str,
    pub password_hash: &'a str,
    pub lang: &'a str,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ApiToken {
    pub id: i64,
    pub label: String,
    pub created_at: i64,
    pub revoked_at: Option<i64>,
}

const USER_BY_EMAIL: &str = "SELECT u.id, u.email, u.display_name, u.handle, u.password_hash, u.lang, u.created_at, u.blocked_at FROM users u WHERE u.email = $1";
const USER_BY_ID: &str = "SELECT u.id, u.email, u.display_name, u.handle, u.password_hash, u.lang, u.created_at, u.blocked_at FROM users u WHERE u.id = $1";

impl Db {
    /// Creates an account; [`DbError::Conflict`] naming `"email"` or `"handle"` when one is taken.
    pub async fn create_user(&self, u: &NewUser<'_>) -> DbResult<i64> {
        const SQL: &str = "INSERT INTO users (email, display_name, handle, password_hash, lang, created_at, password_changed_at)
                           VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING id";
        Ok(db_run!(self, pool => sqlx::query_scalar::<_, i64>(SQL)
            .bind(u.email).bind(u.display_name).bind(u.handle).bind(u.password_hash).bind(u.lang).bind(now())
            .fetch_one(pool).await.map_err(|e| {
                let on_handle = matches!(&e, sqlx::Error::Database(d) if d.message().contains("handle")
                    || d.constraint().is_some_and(|c| c.contains("handle")));
                conflict_as(if on_handle { "handle" } else { "email" })(e)
            })?))
    }

    /// Creates an account under the first free handle of `base`, `base2`, `base3`, … (when the person chose
    /// none). A taken e-mail is still [`DbError::Conflict`]`("email")`.
    pub async fn create_user_with_free_handle(&self, u: &NewUser<'_>) -> DbResult<i64> {
        for n in 1..1000 {
            let handle = if n == 1 {
                u.handle.to_owned()
            } else {
                format!("{}{n}", u.handle)
            };
            match self
                .create_user(&NewUser {
                    handle: &handle,
                    ..*u
                })
                .await
            {
                Err(DbError::Conflict("handle")) => continue,
                other => return other,
            }
        }
        Err(DbError::Conflict("handle"))
    }

    /// The account with this handle.
    pub async fn user_by_handle(&self, handle: &str) -> DbResult<Option<User>> {
        const SQL: &str = "SELECT u.id, u.email, u.display_name, u.handle, u.password_hash, u.lang, u.created_at, u.blocked_at FROM users u WHERE u.handle = $1";
        Ok(
            db_run!(self, pool => sqlx::query_as::<_, User>(SQL).bind(handle.to_lowercase()).fetch_optional(pool).await?),
        )
    }

    pub async fn user_by_email(&self, email: &str) -> DbResult<Option<User>> {
        Ok(
            db_run!(self, pool => sqlx::query_as::<_, User>(USER_BY_EMAIL).bind(email).fetch_optional(pool).await?),
        )
    }

    pub async fn user_by_id(&self, id: i64) -> DbResult<Option<User>> {
        Ok(
            db_run!(self, pool => sqlx::query_as::<_, User>(USER_BY_ID).bind(id).fetch_optional(pool).await?),
        )
    }

    pub async fn set_user_lang(&self, user_id: i64, lang: &str) -> DbResult<()> {
        db_run!(self, pool => sqlx::query("UPDATE users SET lang = $1 WHERE id = $2").bind(lang).bind(user_id).execute(pool).await?.rows_affected());
        Ok(())
    }

    /// Replaces a password and ends every other session of the user, in one transaction.
    pub async fn change_password(
        &self,
        user_id: i64,
        password_hash: &str,
        keep_session: Option<&str>,
    ) -> DbResult<()> {
        db_run!(self, pool => {
            let mut tx = pool.begin_write().await?;
            sqlx::query("UPDATE users SET password_hash = $1, password_changed_at = $2 WHERE id = $3")
                .bind(password_hash).bind(now()).bind(user_id).execute(&mut *tx).await?;
            sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND token_hash <> $2")
                .bind(user_id).bind(keep_session.unwrap_or("")).execute(&mut *tx).await?;
            crate::audit::audit_query!(Some(user_id), maeul_domain::audit::AuditAction::PasswordChange,
                crate::audit::Subject::User(user_id), &[], now())
                .execute(&mut *tx).await?;
            tx.commit().await?;
        });
        Ok(())
    }

    // --- browser sessions ---------------------------------------------------------------------------

    pub async fn create_session(
        &self,
        user_id: i64,
        token_hash: &str,
        expires_at: i64,
    ) -> DbResult<()> {
        db_run!(self, pool => sqlx::query("INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4)")
            .bind(token_hash).bind(user_id).bind(now()).bind(expires_at).execute(pool).await?.rows_affected());
        Ok(())
    }

    /// The user of a live session.
    pub async fn session_user(&self, token_hash: &str) -> DbResult<Option<User>> {
        const SQL: &str =
            "SELECT u.id, u.email, u.display_name, u.handle, u.password_hash, u.lang, u.created_at, u.blocked_at
                           FROM sessions s JOIN users u ON u.id = s.user_id
                           WHERE s.token_hash = $1 AND s.expires_at > $2 AND u.blocked_at IS NULL";
        Ok(
            db_run!(self, pool => sqlx::query_as::<_, User>(SQL).bind(token_hash).bind(now()).fetch_optional(pool).await?),
        )
    }

    pub async fn delete_session(&self, token_hash: &str) -> DbResult<()> {
        db_run!(self, pool => sqlx::query("DELETE FROM sessions WHERE token_hash = $1").bind(token_hash).execute(pool).await?.rows_affected());
        Ok(())
    }

    /// Removes expired sessions and reset links; returns how many sessions went.
    pub async fn purge_expired(&self) -> DbResult<u64> {
        let at = now();
        Ok(db_run!(self, pool => {
            let n = sqlx::query("DELETE FROM sessions WHERE expires_at <= $1").bind(at).execute(pool).await?.rows_affected();
            sqlx::query("DELETE FROM password_resets WHERE expires_at <= $1").bind(at).execute(pool).await?;
            sqlx::query("DELETE FROM sign_in_failures WHERE last_at <= $1")
                .bind(at - crate::ratelimit::FORGET_AFTER_SECS).execute(pool).await?;
            n
        }))
    }

    // --- API tokens ---------------------------------------------------------------------------------

    pub async fn create_api_token(
        &self,
        user_id: i64,
        token_hash: &str,
        label: &str,
    ) -> DbResult<i64> {
        Ok(db_run!(self, pool => sqlx::query_scalar::<_, i64>(
            "INSERT INTO api_tokens (token_hash, user_id, label, created_at) VALUES ($1, $2, $3, $4) RETURNING id")
            .bind(token_hash).bind(user_id).bind(label).bind(now()).fetch_one(pool).await?))
    }

    /// The user of an unrevoked token, with the token's id.
    pub async fn api_token_user(&self, token_hash: &str) -> DbResult<Option<(User, i64)>> {
        #[derive(sqlx::FromRow)]
        struct Row {
            #[sqlx(flatten)]
            user: User,
            token_id: i64,
        }
        const SQL: &str = "SELECT u.id, u.email, u.display_name, u.handle, u.password_hash, u.lang, u.created_at, u.blocked_at, t.id AS token_id
                           FROM api_tokens t JOIN users u ON u.id = t.user_id
                           WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND u.blocked_at IS NULL";
        let row = db_run!(self, pool => sqlx::query_as::<_, Row>(SQL).bind(token_hash).fetch_optional(pool).await?);
        Ok(row.map(|r| (r.user, r.token_id)))
    }

    pub async fn api_tokens_of(&self, user_id: i64) -> DbResult<Vec<ApiToken>> {
        Ok(db_run!(self, pool => sqlx::query_as::<_, ApiToken>(
            "SELECT id, label, created_at, revoked_at FROM api_tokens WHERE user_id = $1 ORDER BY id DESC")
            .bind(user_id).fetch_all(pool).await?))
    }

    /// Revokes a token of this user; [`DbError::NotFound`] if it is not theirs or already revoked.
    pub async fn revoke_api_token(&self, user_id: i64, token_id: i64) -> DbResult<()> {
        let n = db_run!(self, pool => sqlx::query(
            "UPDATE api_tokens SET revoked_at = $1 WHERE id = $2 AND user_id = $3 AND revoked_at IS NULL")
            .bind(now()).bind(token_id).bind(user_id).execute(pool).await?.rows_affected());
        if n == 0 {
            Err(DbError::NotFound)
        } else {
            Ok(())
        }
    }

    // --- password reset -----------------------------------------------------------------------------

    pub async fn create_password_reset(
        &self,
        user_id: i64,
        token_hash: &str,
        expires_at: i64,
    ) -> DbResult<()> {
        db_run!(self, pool => sqlx::query(
            "INSERT INTO password_resets (token_hash, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4)")
            .bind(token_hash).bind(user_id).bind(now()).bind(expires_at).execute(pool).await?.rows_affected());
        Ok(())
    }

    /// Whether a reset link is still usable (unused, unexpired).
    pub async fn password_reset_valid(&self, token_hash: &str) -> DbResult<bool> {
        let n = db_run!(self, pool => sqlx::query_scalar::<_, i64>(
            "SELECT COUNT(*) FROM password_resets WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2")
            .bind(token_hash).bind(now()).fetch_one(pool).await?);
        Ok(n > 0)
    }

    /// Uses a reset link: sets the new password, marks the link used and ends every session, atomically.
    /// [`DbError::NotFound`] if the link is unknown, used or expired.
    pub async fn reset_password(&self, token_hash: &str, password_hash: &str) -> DbResult<i64> {
        let at = now();
        db_run!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let user_id = sqlx::query_scalar::<_, i64>(
                "UPDATE password_resets SET used_at = $1 WHERE token_hash = $2 AND used_at IS NULL AND expires_at > $1 RETURNING user_id")
                .bind(at).bind(token_hash).fetch_optional(&mut *tx).await?
                .ok_or(DbError::NotFound)?;
            sqlx::query("UPDATE users SET password_hash = $1, password_changed_at = $2 WHERE id = $3")
                .bind(password_hash).bind(at).bind(user_id).execute(&mut *tx).await?;
            sqlx::query("DELETE FROM sessions WHERE user_id = $1").bind(user_id).execute(&mut *tx).await?;
            // The owner's way in: a used reset link clears the account's sign-in wait.
            sqlx::query(crate::ratelimit::account_key_sql()).bind(user_id).execute(&mut *tx).await?;
            crate::audit::audit_query!(Some(user_id), maeul_domain::audit::AuditAction::PasswordReset,
                crate::audit::Subject::User(user_id), &[], at)
                .execute(&mut *tx).await?;
            tx.commit().await?;
            Ok(user_id)
        })
    }
}
