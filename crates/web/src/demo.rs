//! The demo city: Seoul's scopes, one account per role, and each area's demo data (seeded by the area's
//! own `demo` module), for trying the platform out.
//!
//! Demo passwords are derived from a random secret kept in the demo database (HMAC of the e-mail), so a
//! restarted demo prints the same passwords again, and no two demo databases share them.
use maeul_db::seed::DemoAccount;
use maeul_db::{Db, DbError};
use maeul_domain::Role;

use crate::http::auth::hash_password;

/// (e-mail, display name, handle, role and the scope code it is held in, verified home neighbourhood)
type DemoSpec = (
    &'static str,
    &'static str,
    &'static str,
    Option<(Role, &'static str)>,
    Option<&'static str>,
);

const JONGNO: &str = "11110";
const CHEONGUN: &str = "1111051500"; // 종로구 청운효자동
const SAJIK: &str = "1111053000"; // 종로구 사직동

const ACCOUNTS: &[DemoSpec] = &[
    (
        "resident@demo.maeul.kr",
        "김주민",
        "kim_jumin",
        None,
        Some(CHEONGUN),
    ),
    (
        "member@demo.maeul.kr",
        "이위원",
        "lee_wiwon",
        Some((Role::CommitteeMember, JONGNO)),
        Some(SAJIK),
    ),
    (
        "official@demo.maeul.kr",
        "박공무원",
        "park_gongmuwon",
        Some((Role::Official, JONGNO)),
        None,
    ),
    (
        "staff@demo.maeul.kr",
        "최지원",
        "choi_jiwon",
        Some((Role::SupportStaff, JONGNO)),
        None,
    ),
    (
        "evaluator@demo.maeul.kr",
        "정평가",
        "jung_pyeongga",
        Some((Role::Evaluator, "11")),
        None,
    ),
    (
        "moderator@demo.maeul.kr",
        "한운영",
        "han_unyeong",
        Some((Role::Moderator, "11")),
        None,
    ),
    (
        "admin@demo.maeul.kr",
        "서관리",
        "seo_gwanri",
        Some((Role::Administrator, "11")),
        None,
    ),
];

pub const DEMO_EMAILS: &[&str] = &[
    "resident@demo.maeul.kr",
    "member@demo.maeul.kr",
    "official@demo.maeul.kr",
    "staff@demo.maeul.kr",
    "evaluator@demo.maeul.kr",
    "moderator@demo.maeul.kr",
    "admin@demo.maeul.kr",
];

/// A demo account's credentials, printed at start-up in demo mode.
pub struct DemoCredential {
    pub email: &'static str,
    pub role: &'static str,
    pub password: String,
}

/// Seeds Seoul and the demo accounts into an empty database. Returns the demo credentials when the
/// database holds the demo accounts (seeded now or before), or `None` for a database that has other users.
pub async fn seed(db: &Db) -> Result<Option<Vec<DemoCredential>>, DbError> {
    db.seed_seoul_if_empty().await?;
    let secret = db
        .setting_or_insert("demo_secret", &maeul_db::secrets::random_token())
        .await?;
    let credentials: Vec<DemoCredential> = ACCOUNTS
        .iter()
        .map(|(email, _, _, role, _)| DemoCredential {
            email,
            role: role.map_or("resident", |(r, _)| r.as_str()),
            password: demo_password(&secret, email),
        })
        .collect();
    if db.user_count().await? == 0 {
        let mut accounts = Vec::with_capacity(ACCOUNTS.len());
        for ((email, name, handle, role, home), credential) in ACCOUNTS.iter().zip(&credentials) {
            accounts.push(DemoAccount {
                email,
                display_name: name,
                handle,
                password_hash: hash_password(credential.password.clone()).await,
                role: *role,
                home: *home,
            });
        }
        db.seed_demo_accounts(&accounts).await?;
        crate::areas::proposals::demo::seed(db).await?;
        crate::areas::committees::demo::seed(db).await?;
        crate::areas::budgeting::demo::seed(db).await?;
        crate::areas::plan::demo::seed(db).await?;
        crate::areas::cooperation::demo::seed(db).await?;
        crate::areas::evaluation::demo::seed(db).await?;
        crate::areas::forums::demo::seed(db).await?;
    } else if db.user_by_email(ACCOUNTS[0].0).await?.is_none() {
        return Ok(None);
    }
    Ok(Some(credentials))
}

fn demo_password(secret: &str, email: &str) -> String {
    let digest = maeul_db::secrets::keyed_hash(secret, email);
    format!("demo-{}", &digest[..12])
}

#[cfg(test)]
mod tests {
    #[test]
    fn demo_emails_match_accounts() {
        let emails: Vec<_> = super::ACCOUNTS.iter().map(|a| a.0).collect();
        assert_eq!(emails, super::DEMO_EMAILS);
        let p = super::demo_password("s", "a@b.c");
        assert_eq!(p, super::demo_password("s", "a@b.c"));
        assert_ne!(p, super::demo_password("t", "a@b.c"));
        assert!(maeul_domain::account::check_password(&p).is_ok());
    }
}
