//! Passwords and sessions: argon2id hashing (off the async threads) and the session cookie.
use argon2::Argon2;
use argon2::password_hash::{
    PasswordHash, PasswordHasher, PasswordVerifier, SaltString, rand_core::OsRng,
};

pub const SESSION_COOKIE: &str = "maeul_session";
pub const LANG_COOKIE: &str = "maeul_lang";
pub const SESSION_DAYS: i64 = 14;

/// Hashes a password with argon2id (PHC string). Runs on a blocking thread: hashing takes tens of ms.
pub async fn hash_password(password: String) -> String {
    tokio::task::spawn_blocking(move || hash_password_blocking(&password))
        .await
        .expect("hashing task")
}

pub fn hash_password_blocking(password: &str) -> String {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .expect("argon2 hashing with default parameters")
        .to_string()
}

/// Checks a password against a stored hash; a malformed hash never verifies.
pub async fn verify_password(password: String, hash: String) -> bool {
    tokio::task::spawn_blocking(move || {
        PasswordHash::new(&hash)
            .map(|parsed| {
                Argon2::default()
                    .verify_password(password.as_bytes(), &parsed)
                    .is_ok()
            })
            .unwrap_or(false)
    })
    .await
    .unwrap_or(false)
}

/// A hash to verify against when the account does not exist, so a login for an unknown e-mail costs
/// the same time as one for a known e-mail (no account enumeration by timing).
pub fn dummy_hash() -> &'static str {
    static HASH: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    HASH.get_or_init(|| hash_password_blocking("not a real password, only a timing decoy"))
}

/// A `Set-Cookie` value: HttpOnly, SameSite=Lax (Strict for the CSRF cookie), `Secure` when the site is
/// served over HTTPS.
pub fn cookie(name: &str, value: &str, max_age_secs: i64, secure: bool) -> String {
    cookie::Cookie::build((name, value))
        .path("/")
        .http_only(true)
        .same_site(cookie::SameSite::Lax)
        .max_age(cookie::time::Duration::seconds(max_age_secs))
        .secure(secure)
        .build()
        .to_string()
}

/// The value of cookie `name` in a `Cookie` header.
pub fn read_cookie<'a>(header: &'a str, name: &str) -> Option<&'a str> {
    cookie::Cookie::split_parse(header)
        .filter_map(Result::ok)
        .find(|c| c.name() == name)
        .and_then(|c| c.value_raw())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_are_argon2id_salted_and_verify() {
        let a = hash_password_blocking("correct horse battery");
        let b = hash_password_blocking("correct horse battery");
        assert!(a.starts_with("$argon2id$"));
        assert_ne!(a, b, "salted");
        let rt = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        assert!(rt.block_on(verify_password("correct horse battery".into(), a.clone())));
        assert!(!rt.block_on(verify_password("wrong".into(), a)));
        assert!(!rt.block_on(verify_password("x".into(), "not a hash".into())));
    }

    #[test]
    fn cookies() {
        assert_eq!(
            read_cookie("a=1; maeul_lang=en; b=2", LANG_COOKIE),
            Some("en")
        );
        assert_eq!(read_cookie("a=1", LANG_COOKIE), None);
        let c = cookie(SESSION_COOKIE, "v", 60, true);
        assert!(c.contains("HttpOnly") && c.contains("SameSite=Lax") && c.contains("Secure"));
        assert!(!cookie(SESSION_COOKIE, "v", 60, false).contains("Secure"));
    }
}
