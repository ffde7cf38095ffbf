//! Server-side secrets kept in the database, and the keyed hashes made with them.
//!
//! Resident-register rows are never stored in clear: only HMAC-SHA256(identity key, name|birth date), so a
//! stolen database does not reveal who is on the register, yet a declaration can still be matched to it.
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::{Hmac, Mac};
use rand::RngCore;
use sha2::{Digest, Sha256};

use crate::{Db, DbResult};

const IDENTITY_KEY: &str = "identity_key";
const LINK_KEY: &str = "link_key";

/// 32 random bytes as URL-safe base64: session ids, API tokens, reset tokens, keys.
pub fn random_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

/// What is stored for a bearer secret (session cookie, API token, reset token): its SHA-256, so the
/// database never holds a usable credential.
pub fn token_hash(token: &str) -> String {
    URL_SAFE_NO_PAD.encode(Sha256::digest(token.as_bytes()))
}

impl Db {
    pub(crate) async fn ensure_secrets(&self) -> DbResult<()> {
        self.setting_or_insert(IDENTITY_KEY, &random_token())
            .await?;
        self.setting_or_insert(LINK_KEY, &random_token()).await?;
        Ok(())
    }

    /// The keyed hash of a register identity (see `maeul_domain::residency::register_identity`).
    pub async fn identity_hash(&self, identity: &str) -> DbResult<String> {
        let key = self
            .setting(IDENTITY_KEY)
            .await?
            .ok_or(crate::DbError::NotFound)?;
        Ok(keyed_hash(&key, identity))
    }
}

impl Db {
    /// The key that signs links mailed to people (one-click unsubscribe): a different key from the
    /// register's, so neither use can forge the other.
    pub async fn link_key(&self) -> DbResult<String> {
        self.setting_or_insert(LINK_KEY, &random_token()).await
    }
}

pub fn keyed_hash(key: &str, value: &str) -> String {
    let mut mac =
        Hmac::<Sha256>::new_from_slice(key.as_bytes()).expect("HMAC takes keys of any length");
    mac.update(value.as_bytes());
    URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_random_and_hashes_stable() {
        let a = random_token();
        assert_ne!(a, random_token());
        assert_eq!(a.len(), 43);
        assert_eq!(token_hash(&a), token_hash(&a));
        assert_ne!(token_hash(&a), a);
        assert_ne!(keyed_hash("k1", "x"), keyed_hash("k2", "x"));
    }
}
