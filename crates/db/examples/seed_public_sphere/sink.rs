//! Bulk insertion: batched multi-row INSERTs on SQLite, UNNEST arrays on PostgreSQL.
use super::*;

#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Int,
    NullInt,
    Text,
}

pub(crate) enum V {
    I(i64),
    N(Option<i64>),
    T(String),
}

pub(crate) struct Table {
    pub(crate) name: &'static str,
    pub(crate) columns: &'static [(&'static str, Kind)],
}

/// The columns the seeders write of a resident: the account, its verified residency, its API token.
pub(crate) const USERS: &[(&str, Kind)] = &[
    ("id", Kind::Int),
    ("email", Kind::Text),
    ("display_name", Kind::Text),
    ("handle", Kind::Text),
    ("password_hash", Kind::Text),
    ("lang", Kind::Text),
    ("created_at", Kind::Int),
    ("password_changed_at", Kind::Int),
];
pub(crate) const RESIDENCIES: &[(&str, Kind)] = &[
    ("user_id", Kind::Int),
    ("scope_id", Kind::Int),
    ("basis", Kind::Text),
    ("status", Kind::Text),
    ("declared_at", Kind::Int),
    ("decided_by", Kind::NullInt),
    ("decided_at", Kind::NullInt),
    ("decision_note", Kind::Text),
];
pub(crate) const API_TOKENS: &[(&str, Kind)] = &[
    ("token_hash", Kind::Text),
    ("user_id", Kind::Int),
    ("label", Kind::Text),
    ("created_at", Kind::Int),
];

pub(crate) enum Conn {
    Sqlite(sqlx::pool::PoolConnection<sqlx::Sqlite>),
    Postgres(sqlx::pool::PoolConnection<sqlx::Postgres>),
}

impl Conn {
    /// One connection of `db`'s pool, kept for the whole seeding (its session settings stay).
    pub(crate) async fn acquire(db: &maeul_db::Db) -> Res<Conn> {
        Ok(match db {
            maeul_db::Db::Sqlite(p) => Conn::Sqlite(p.acquire().await?),
            maeul_db::Db::Postgres(p) => Conn::Postgres(p.acquire().await?),
        })
    }

    pub(crate) async fn exec(&mut self, sql: &str) -> Res<()> {
        match self {
            Conn::Sqlite(c) => {
                sqlx::raw_sql(sql).execute(&mut **c).await?;
            }
            Conn::Postgres(c) => {
                sqlx::raw_sql(sql).execute(&mut **c).await?;
            }
        }
        Ok(())
    }

    pub(crate) async fn scalar(&mut self, sql: &str) -> Res<i64> {
        Ok(match self {
            Conn::Sqlite(c) => {
                sqlx::query_scalar::<_, i64>(sql)
                    .fetch_one(&mut **c)
                    .await?
            }
            Conn::Postgres(c) => {
                sqlx::query_scalar::<_, i64>(sql)
                    .fetch_one(&mut **c)
                    .await?
            }
        })
    }
}

/// Rows waiting to be written to one table: multi-row `INSERT … VALUES` on SQLite (bounded by its
/// 32,766 parameters), one `INSERT … SELECT FROM UNNEST(arrays)` per 10,000 rows on PostgreSQL.
pub(crate) struct Sink {
    pub(crate) table: Table,
    pub(crate) rows: Vec<Vec<V>>,
    pub(crate) batch: usize,
    pub(crate) written: u64,
}

impl Sink {
    pub(crate) fn new(conn: &Conn, table: Table) -> Sink {
        let batch = match conn {
            Conn::Sqlite(_) => (30_000 / table.columns.len()).min(1_000),
            Conn::Postgres(_) => 10_000,
        };
        Sink {
            table,
            rows: Vec::with_capacity(batch),
            batch,
            written: 0,
        }
    }

    pub(crate) async fn push(&mut self, conn: &mut Conn, row: Vec<V>) -> Res<()> {
        debug_assert_eq!(row.len(), self.table.columns.len());
        self.rows.push(row);
        if self.rows.len() >= self.batch {
            self.flush(conn).await?;
        }
        Ok(())
    }

    pub(crate) async fn flush(&mut self, conn: &mut Conn) -> Res<()> {
        if self.rows.is_empty() {
            return Ok(());
        }
        self.written += self.rows.len() as u64;
        let names: Vec<&str> = self.table.columns.iter().map(|c| c.0).collect();
        let head = format!("INSERT INTO {} ({}) ", self.table.name, names.join(", "));
        match conn {
            Conn::Sqlite(c) => {
                let mut qb = sqlx::QueryBuilder::<sqlx::Sqlite>::new(head);
                qb.push_values(self.rows.drain(..), |mut b, row| {
                    for v in row {
                        match v {
                            V::I(x) => b.push_bind(x),
                            V::N(x) => b.push_bind(x),
                            V::T(s) => b.push_bind(s),
                        };
                    }
                });
                qb.build().execute(&mut **c).await?;
            }
            Conn::Postgres(c) => {
                let arrays: Vec<String> = self
                    .table
                    .columns
                    .iter()
                    .enumerate()
                    .map(|(i, (_, k))| {
                        let ty = if *k == Kind::Text { "text" } else { "int8" };
                        format!("${}::{ty}[]", i + 1)
                    })
                    .collect();
                let sql = format!("{head}SELECT * FROM UNNEST({})", arrays.join(", "));
                let rows: Vec<Vec<V>> = self.rows.drain(..).collect();
                let mut q = sqlx::query(&sql);
                for (i, (_, kind)) in self.table.columns.iter().enumerate() {
                    q = match kind {
                        Kind::Int => q.bind(
                            rows.iter()
                                .map(|r| match r[i] {
                                    V::I(x) => x,
                                    _ => unreachable!("column kinds are fixed per table"),
                                })
                                .collect::<Vec<i64>>(),
                        ),
                        Kind::NullInt => q.bind(
                            rows.iter()
                                .map(|r| match r[i] {
                                    V::N(x) => x,
                                    _ => unreachable!("column kinds are fixed per table"),
                                })
                                .collect::<Vec<Option<i64>>>(),
                        ),
                        Kind::Text => q.bind(
                            rows.iter()
                                .map(|r| match &r[i] {
                                    V::T(s) => s.clone(),
                                    _ => unreachable!("column kinds are fixed per table"),
                                })
                                .collect::<Vec<String>>(),
                        ),
                    };
                }
                q.execute(&mut **c).await?;
            }
        }
        Ok(())
    }
}

/// Writes every row of `rows` into `table` in one transaction; returns the count and prints the rate.
pub(crate) async fn insert_all(
    conn: &mut Conn,
    table: Table,
    rows: impl Iterator<Item = Vec<V>>,
) -> Res<u64> {
    let started = Instant::now();
    let name = table.name;
    let mut sink = Sink::new(conn, table);
    conn.exec("BEGIN").await?;
    for row in rows {
        sink.push(conn, row).await?;
    }
    sink.flush(conn).await?;
    conn.exec("COMMIT").await?;
    let n = sink.written;
    let secs = started.elapsed().as_secs_f64();
    eprintln!(
        "  {name:<22} {n:>9} rows in {secs:6.1} s ({:.0} rows/s)",
        n as f64 / secs.max(1e-9)
    );
    Ok(n)
}
