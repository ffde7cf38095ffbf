//! What both storage suites share: `backend_tests!`, which runs each test body on SQLite and on
//! PostgreSQL, each with a fresh database.

/// Defines `mod sqlite { #[tokio::test] fn name }` and `mod postgres { … }` for each listed test body.
macro_rules! backend_tests {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $name() { $crate::common::run(maeul_db::Backend::Sqlite, super::$name).await }) *
        }
        mod postgres {
            $(#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $name() { $crate::common::run(maeul_db::Backend::Postgres, super::$name).await }) *
        }
    };
}

/// Runs `test` on a fresh database of `backend` (skipped with a message outside CI when PostgreSQL is
/// unavailable; see `TestDb`), then closes it.
pub async fn run<F, Fut>(backend: maeul_db::Backend, test: F)
where
    F: FnOnce(maeul_db::Db) -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    if let Some(t) = maeul_db::testing::TestDb::new(backend).await {
        test(t.db.clone()).await;
        t.db.close().await;
    }
}
