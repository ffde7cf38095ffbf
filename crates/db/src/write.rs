//! Write transactions, and on SQLite a fair turn at the one writer.
//!
//! SQLite lets one writer in at a time. Left to itself, a writer that finds the database locked sleeps in
//! SQLite's busy handler (1, 2, 5, 10, … 100 ms steps) and may lose the race again when it wakes, so under
//! a crowd of writers the unlucky ones wait far longer than their turn (bench/budget: ballots at p99 148 ms
//! with a mean of 48 ms). Writers of this process therefore first queue on a first-come, first-served lock
//! per database file, and only the head of the queue asks SQLite for the write lock. Writers of other
//! processes (a second server, a command) still meet at SQLite's lock and its busy timeout.
use std::collections::HashMap;
use std::ops::{Deref, DerefMut};
use std::path::PathBuf;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use sqlx::postgres::PgPool;
use sqlx::sqlite::SqlitePool;
use tokio::sync::OwnedMutexGuard;

/// How long a writer waits for its turn here before going on to SQLite's own lock and busy timeout: a
/// turn held that long is a very long write or a write begun inside another, and neither may hang.
const TURN_WAIT: Duration = Duration::from_secs(5);

/// A transaction that will write (from [`BeginWrite::begin_write`]). Statements run on `&mut *tx`; it
/// ends with [`WriteTx::commit`], or rolls back when dropped.
pub struct WriteTx<DB: sqlx::Database> {
    tx: sqlx::Transaction<'static, DB>,
    /// SQLite: this process's turn at the database's writer, given up after the transaction ends (fields
    /// drop in order).
    _turn: Option<OwnedMutexGuard<()>>,
}

impl<DB: sqlx::Database> WriteTx<DB> {
    pub async fn commit(self) -> Result<(), sqlx::Error> {
        self.tx.commit().await
    }

    pub async fn rollback(self) -> Result<(), sqlx::Error> {
        self.tx.rollback().await
    }
}

impl<DB: sqlx::Database> Deref for WriteTx<DB> {
    type Target = DB::Connection;
    fn deref(&self) -> &DB::Connection {
        &self.tx
    }
}

impl<DB: sqlx::Database> DerefMut for WriteTx<DB> {
    fn deref_mut(&mut self) -> &mut DB::Connection {
        &mut self.tx
    }
}

/// Starting a transaction that will write. On SQLite it takes this process's turn, then the write lock at
/// once (`BEGIN IMMEDIATE`), so that concurrent writers wait their turn instead of failing with "database
/// is locked" when a read transaction tries to become a write transaction; on PostgreSQL it is a plain
/// `BEGIN` (row locks and constraints order writers). Every multi-statement write uses it.
pub trait BeginWrite {
    type Db: sqlx::Database;
    fn begin_write(
        &self,
    ) -> impl std::future::Future<Output = Result<WriteTx<Self::Db>, sqlx::Error>> + Send;
}

impl BeginWrite for SqlitePool {
    type Db = sqlx::Sqlite;
    async fn begin_write(&self) -> Result<WriteTx<sqlx::Sqlite>, sqlx::Error> {
        let turn = tokio::time::timeout(TURN_WAIT, writer_turn(self).lock_owned())
            .await
            .ok();
        let tx = self.begin_with("BEGIN IMMEDIATE").await?;
        Ok(WriteTx { tx, _turn: turn })
    }
}

impl BeginWrite for PgPool {
    type Db = sqlx::Postgres;
    async fn begin_write(&self) -> Result<WriteTx<sqlx::Postgres>, sqlx::Error> {
        Ok(WriteTx {
            tx: self.begin().await?,
            _turn: None,
        })
    }
}

/// The writer lock of the database file `pool` opens, shared by every pool of this process on that file.
fn writer_turn(pool: &SqlitePool) -> Arc<tokio::sync::Mutex<()>> {
    type Turns = Mutex<HashMap<PathBuf, Arc<tokio::sync::Mutex<()>>>>;
    static TURNS: OnceLock<Turns> = OnceLock::new();
    let file = pool.connect_options().get_filename().to_path_buf();
    let mut turns = TURNS
        .get_or_init(Default::default)
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    // Tests open thousands of files: when many gather, locks nobody holds or awaits are dropped (the
    // next writer on such a file makes a new one, the same as an idle lock).
    if turns.len() > 64 {
        turns.retain(|_, turn| Arc::strong_count(turn) > 1);
    }
    turns.entry(file).or_default().clone()
}
