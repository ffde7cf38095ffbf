//! The two migration trees are kept in step: same files, and after migrating, the same tables with the
//! same columns on SQLite and on PostgreSQL.
use std::collections::BTreeMap;

use maeul_db::testing::TestDb;
use maeul_db::{Backend, Db};
use maeul_testkit::libtest_mimic::Trial;

pub fn trials() -> Vec<Trial> {
    vec![
        maeul_testkit::trial(
            "schema",
            "both_backends_have_the_same_migration_files",
            both_backends_have_the_same_migration_files,
        ),
        Trial::test("schema::migrated_schemas_match", || {
            maeul_testkit::block_on(migrated_schemas_match());
            Ok(())
        })
        .with_ignored_flag(!maeul_testkit::postgres_available()),
        maeul_testkit::trial(
            "schema",
            "sqlite_runs_in_wal_mode_with_a_busy_timeout",
            || maeul_testkit::block_on(sqlite_runs_in_wal_mode_with_a_busy_timeout()),
        ),
        maeul_testkit::trial("schema", "backup_copies_a_live_sqlite_database", || {
            maeul_testkit::block_on(backup_copies_a_live_sqlite_database())
        }),
    ]
}

fn migration_files(backend: &str) -> Vec<String> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("migrations")
        .join(backend);
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

fn both_backends_have_the_same_migration_files() {
    let sqlite = migration_files("sqlite");
    assert!(!sqlite.is_empty());
    assert_eq!(sqlite, migration_files("postgres"));
}

/// Every table's columns. SQLite's FTS5 index tables (`*_fts*`) and PostgreSQL's stored `search_tsv`
/// columns are left out: full-text indexing is the one deliberately backend-specific part (both index the
/// same `search_terms` column, FTS5 in its own tables, PostgreSQL with GIN on a generated column).
async fn columns(db: &Db) -> BTreeMap<String, Vec<String>> {
    let rows: Vec<(String, String)> = match db {
        Db::Sqlite(pool) => sqlx::query_as(
            "SELECT m.name, p.name FROM sqlite_master m JOIN pragma_table_info(m.name) p
             WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' AND m.name <> '_sqlx_migrations'
               AND m.name NOT LIKE '%_fts%' ORDER BY m.name, p.name",
        )
        .fetch_all(pool)
        .await
        .unwrap(),
        Db::Postgres(pool) => sqlx::query_as(
            "SELECT table_name::text, column_name::text FROM information_schema.columns
             WHERE table_schema = 'public' AND table_name <> '_sqlx_migrations' AND column_name <> 'search_tsv'
             ORDER BY table_name, column_name",
        )
        .fetch_all(pool)
        .await
        .unwrap(),
    };
    let mut map: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (table, column) in rows {
        map.entry(table).or_default().push(column);
    }
    map
}

async fn migrated_schemas_match() {
    let sqlite = TestDb::new(Backend::Sqlite).await.unwrap();
    let postgres = TestDb::new(Backend::Postgres)
        .await
        .expect("PostgreSQL (the trial is skipped when it is unavailable)");
    let (s, p) = (columns(&sqlite.db).await, columns(&postgres.db).await);
    assert!(s.len() >= 10, "expected the foundation tables, got {s:?}");
    assert_eq!(s, p, "SQLite and PostgreSQL schemas differ");
}

async fn sqlite_runs_in_wal_mode_with_a_busy_timeout() {
    let t = TestDb::new(Backend::Sqlite).await.unwrap();
    let Db::Sqlite(pool) = &t.db else {
        unreachable!()
    };
    let mode: String = sqlx::query_scalar("PRAGMA journal_mode")
        .fetch_one(pool)
        .await
        .unwrap();
    let timeout: i64 = sqlx::query_scalar("PRAGMA busy_timeout")
        .fetch_one(pool)
        .await
        .unwrap();
    let fk: i64 = sqlx::query_scalar("PRAGMA foreign_keys")
        .fetch_one(pool)
        .await
        .unwrap();
    assert_eq!(mode, "wal");
    assert!(timeout >= 5000, "busy_timeout {timeout}");
    assert_eq!(fk, 1);
}

/// `maeul backup` copies a live database consistently: the copy opens and holds what was committed.
async fn backup_copies_a_live_sqlite_database() {
    let t = TestDb::new(Backend::Sqlite).await.unwrap();
    t.db.seed_seoul_if_empty().await.unwrap();
    let writer = {
        let db = t.db.clone();
        tokio::spawn(async move {
            for i in 0..200 {
                let (email, handle) = (format!("w{i}@example.kr"), format!("w{i}"));
                db.create_user(&maeul_db::users::NewUser {
                    email: &email,
                    display_name: "n",
                    handle: &handle,
                    password_hash: "h",
                    lang: "ko",
                })
                .await
                .unwrap();
            }
        })
    };
    let path = std::env::temp_dir().join(format!(
        "maeul-backup-{}.db",
        maeul_db::secrets::random_token()
    ));
    t.db.backup_to(path.to_str().unwrap()).await.unwrap();
    writer.await.unwrap();
    assert!(
        t.db.backup_to(path.to_str().unwrap()).await.is_err(),
        "never overwrite an existing file"
    );
    let copy = Db::connect(&format!("sqlite://{}", path.display()))
        .await
        .unwrap();
    assert_eq!(copy.scope_count().await.unwrap(), 452);
    let users = copy.user_count().await.unwrap();
    assert!((0..=200).contains(&users));
    copy.close().await;
    let _ = std::fs::remove_file(&path);
}
