//! The harness of maeul's test suites (built on `libtest-mimic`, so a suite decides at run time what it
//! can run). Every storage or server test runs twice, on SQLite and on PostgreSQL, each on a fresh
//! database. When PostgreSQL cannot be reached its half is *ignored* — counted as skipped in the summary,
//! never reported as passed — except under `CI=true`, where it runs and fails. Tests that need the shared
//! data (`../shared`) are skipped the same way when it is absent.
use std::future::Future;
use std::pin::Pin;
use std::sync::OnceLock;

use libtest_mimic::{Arguments, Failed, Trial};
use maeul_db::testing::TestDb;
use maeul_db::{Backend, Db};

pub use libtest_mimic;

/// A test body that runs on a database of each backend.
pub type BackendTest = fn(Db) -> Pin<Box<dyn Future<Output = ()> + Send>>;

/// Whether the suite runs in CI, where nothing may be skipped.
pub fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| v == "true")
}

/// Whether the test PostgreSQL server answers (asked once per suite; under CI it is assumed, so that a
/// missing server fails the tests instead of skipping them).
pub fn postgres_available() -> bool {
    static AVAILABLE: OnceLock<bool> = OnceLock::new();
    *AVAILABLE.get_or_init(|| {
        if in_ci() {
            return true;
        }
        let url = std::env::var("MAEUL_TEST_POSTGRES")
            .unwrap_or_else(|_| maeul_db::testing::DEFAULT_POSTGRES.into());
        let ok = runtime().block_on(async {
            tokio::time::timeout(std::time::Duration::from_secs(5), Db::connect(&url))
                .await
                .is_ok_and(|r| r.is_ok())
        });
        if !ok {
            eprintln!(
                "NOTE: PostgreSQL unreachable at {}: the postgres:: tests are SKIPPED (ignored); CI=true makes this a failure",
                maeul_db::redact_url(&url)
            );
        }
        ok
    })
}

/// A multi-threaded runtime for one test, like `#[tokio::test(flavor = "multi_thread")]`.
pub fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a tokio runtime")
}

/// Runs a future to completion on a fresh runtime.
pub fn block_on<F: Future>(f: F) -> F::Output {
    runtime().block_on(f)
}

/// The two trials of a backend test: `sqlite::name` and `postgres::name` (the latter ignored when
/// PostgreSQL is unavailable outside CI).
pub fn on_both_backends(module: &str, name: &str, test: BackendTest) -> Vec<Trial> {
    [Backend::Sqlite, Backend::Postgres]
        .into_iter()
        .map(|backend| {
            let skip = backend == Backend::Postgres && !postgres_available();
            Trial::test(
                format!("{module}::{}::{name}", backend.as_str()),
                move || run_on(backend, test),
            )
            .with_ignored_flag(skip)
        })
        .collect()
}

fn run_on(backend: Backend, test: BackendTest) -> Result<(), Failed> {
    block_on(async {
        let t = TestDb::new(backend)
            .await
            .ok_or_else(|| Failed::from("PostgreSQL unavailable"))?;
        test(t.db.clone()).await;
        t.db.close().await;
        Ok(())
    })
}

/// A plain trial (a synchronous test; panics fail it).
pub fn trial(module: &str, name: &str, test: fn()) -> Trial {
    Trial::test(format!("{module}::{name}"), move || {
        test();
        Ok(())
    })
}

/// A trial that needs a file or directory of the shared data (`../shared/...` relative to the
/// workspace): ignored — counted as skipped — when it is absent outside CI, failed under CI.
pub fn with_shared_data(trial: Trial, path: &std::path::Path) -> Trial {
    let present = path.exists();
    if !present && !in_ci() {
        eprintln!(
            "NOTE: {} is absent: {} is SKIPPED (ignored)",
            path.display(),
            trial.name()
        );
    }
    trial.with_ignored_flag(!present && !in_ci())
}

/// Runs a suite's trials with the command line's filters and options; exits with the suite's status.
pub fn run(trials: Vec<Trial>) -> ! {
    let args = Arguments::from_args();
    libtest_mimic::run(&args, trials).exit()
}

/// Declares a module's backend tests: `backend_tests!(name_a, name_b)` defines `pub fn trials()` with
/// both backends' trials of each `async fn name(db: Db)` of the module.
#[macro_export]
macro_rules! backend_tests {
    ($($name:ident),* $(,)?) => {
        /// This module's trials, each on both backends.
        pub fn trials() -> Vec<$crate::libtest_mimic::Trial> {
            let module = module_path!().rsplit("::").next().unwrap_or("suite");
            let mut trials = Vec::new();
            $(trials.extend($crate::on_both_backends(
                module,
                stringify!($name),
                |db| -> ::std::pin::Pin<Box<dyn ::std::future::Future<Output = ()> + Send>> {
                    Box::pin($name(db))
                },
            ));)*
            trials
        }
    };
}

/// Creates an account for a test (no password can match its hash), with a handle made from the e-mail.
pub async fn create_user(db: &Db, email: &str, display_name: &str) -> maeul_db::DbResult<i64> {
    let handle = maeul_domain::account::suggest_handle(email);
    db.create_user_with_free_handle(&maeul_db::users::NewUser {
        email,
        display_name,
        handle: &handle,
        password_hash: "$argon2id$not-a-real-hash",
        lang: "ko",
    })
    .await
}
