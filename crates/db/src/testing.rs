//! Throw-away databases for tests, on both backends.
//!
//! SQLite: a fresh file in the temp folder. PostgreSQL: a fresh database on the server named by
//! `MAEUL_TEST_POSTGRES` (default `postgres://postgres@127.0.0.1:5432/postgres`), dropped when the
//! [`TestDb`] is dropped. When that server cannot be reached the PostgreSQL half of a suite is skipped
//! with a message, except under `CI=true`, where it fails: CI must prove both backends.
use crate::{Backend, Db};

pub const DEFAULT_POSTGRES: &str = "postgres://postgres@127.0.0.1:5432/postgres";

/// A migrated, empty database that cleans up after itself.
pub struct TestDb {
    pub db: Db,
    pub url: String,
    cleanup: Cleanup,
}

enum Cleanup {
    File(std::path::PathBuf),
    Database { admin_url: String, name: String },
}

fn unique_name() -> String {
    format!(
        "maeul_test_{}",
        crate::secrets::random_token()
            .to_lowercase()
            .replace(['-', '_'], "")[..16]
            .to_owned()
    )
}

fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| v == "true")
}

impl TestDb {
    /// A fresh database of `backend`, or `None` (with a message) if PostgreSQL is unavailable outside CI.
    pub async fn new(backend: Backend) -> Option<TestDb> {
        match backend {
            Backend::Sqlite => {
                let path = std::env::temp_dir().join(format!("{}.db", unique_name()));
                let url = format!("sqlite://{}", path.display());
                let db = Db::connect(&url)
                    .await
                    .expect("open a temporary SQLite database");
                db.migrate().await.expect("migrate SQLite");
                Some(TestDb {
                    db,
                    url,
                    cleanup: Cleanup::File(path),
                })
            }
            Backend::Postgres => {
                let admin_url = std::env::var("MAEUL_TEST_POSTGRES")
                    .unwrap_or_else(|_| DEFAULT_POSTGRES.into());
                let admin = match sqlx::PgPool::connect(&admin_url).await {
                    Ok(pool) => pool,
                    Err(e) if !in_ci() => {
                        eprintln!(
                            "SKIPPED (PostgreSQL unreachable at {}: {e}); CI=true makes this a failure",
                            crate::redact_url(&admin_url)
                        );
                        return None;
                    }
                    Err(e) => panic!(
                        "CI=true and PostgreSQL is unreachable at {}: {e}",
                        crate::redact_url(&admin_url)
                    ),
                };
                let name = unique_name();
                sqlx::query(&format!("CREATE DATABASE {name}"))
                    .execute(&admin)
                    .await
                    .expect("create a test database");
                admin.close().await;
                let url = replace_database(&admin_url, &name);
                let db = Db::connect(&url)
                    .await
                    .expect("connect to the test database");
                db.migrate().await.expect("migrate PostgreSQL");
                Some(TestDb {
                    db,
                    url,
                    cleanup: Cleanup::Database { admin_url, name },
                })
            }
        }
    }
}

/// `postgres://u@h:p/old?x` → `postgres://u@h:p/new?x`
fn replace_database(url: &str, name: &str) -> String {
    let (base, query) = url
        .split_once('?')
        .map_or((url, None), |(b, q)| (b, Some(q)));
    let scheme_end = base.find("://").map_or(0, |i| i + 3);
    let host_end = base[scheme_end..]
        .find('/')
        .map_or(base.len(), |i| scheme_end + i);
    let mut out = format!("{}/{name}", &base[..host_end]);
    if let Some(q) = query {
        out.push('?');
        out.push_str(q);
    }
    out
}

impl Drop for TestDb {
    fn drop(&mut self) {
        match &self.cleanup {
            Cleanup::File(path) => {
                for suffix in ["", "-wal", "-shm"] {
                    let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
                }
            }
            Cleanup::Database { admin_url, name } => {
                // Dropping needs a connection of its own, outside the test's runtime.
                let (admin_url, name) = (admin_url.clone(), name.clone());
                let _ = std::thread::spawn(move || {
                    let rt = tokio::runtime::Builder::new_current_thread()
                        .enable_all()
                        .build()?;
                    rt.block_on(async {
                        let admin = sqlx::PgPool::connect(&admin_url)
                            .await
                            .map_err(std::io::Error::other)?;
                        sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                            .execute(&admin)
                            .await
                            .map_err(std::io::Error::other)?;
                        Ok::<_, std::io::Error>(())
                    })
                })
                .join();
            }
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn database_name_is_replaced() {
        assert_eq!(
            super::replace_database("postgres://p@h:5432/postgres", "t1"),
            "postgres://p@h:5432/t1"
        );
        assert_eq!(
            super::replace_database("postgres://p@h/x?sslmode=disable", "t1"),
            "postgres://p@h/t1?sslmode=disable"
        );
        assert_eq!(
            super::replace_database("postgres://p@h", "t1"),
            "postgres://p@h/t1"
        );
    }
}
