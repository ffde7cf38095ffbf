//! Threaded comments on proposals: top-level comments page by page with their replies, edits kept as
//! history, one up or down vote per person.
use maeul_domain::debate::Position;
use maeul_domain::notify::EventKind;

use crate::{BeginWrite, Db, DbError, DbResult, db_run, now, record_event};

#[derive(Debug, Clone, sqlx::FromRow, serde::Deserialize)]
pub struct CommentRow {
    pub id: i64,
    pub proposal_id: i64,
    pub parent_id: Option<i64>,
    pub author_id: i64,
    pub author_name: String,
    pub body: String,
    /// The body as safe HTML, stored when written (None: written before it was stored; render `body`).
    pub body_html: Option<String>,
    /// The top-level comment this one's thread hangs from (itself for a top-level comment).
    pub root_id: Option<i64>,
    pub created_at: i64,
    pub edited_at: Option<i64>,
    pub up_votes: i64,
    pub down_votes: i64,
    /// A debate comment's side.
    #[sqlx(try_from = "Option<String>")]
    #[serde(deserialize_with = "crate::rows::optional_named")]
    pub position: crate::OptionalName<maeul_domain::debate::Position>,
    /// Set while moderators hide it: kept, shown to its author and moderators only.
    pub hidden_at: Option<i64>,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CommentEdit {
    pub old_body: String,
    pub edited_at: i64,
}

/// A page of threads holds about this many comments (whole threads; at least one).
pub const PAGE_COMMENTS: i64 = 60;

/// Replies nest this deep at most; a reply to the deepest level attaches to its parent's thread.
pub const MAX_DEPTH: usize = 3;

const SELECT_COMMENT: &str =
    "SELECT c.id, c.proposal_id, c.parent_id, c.author_id, u.display_name AS author_name, c.body,
        c.body_html, c.root_id, c.created_at, c.edited_at, c.up_votes, c.down_votes, c.position, c.hidden_at
     FROM comments c JOIN users u ON u.id = c.author_id";

impl Db {
    /// Adds a comment (a reply when `parent_id` is set; the parent must be on the same proposal), with a
    /// position on debates. The commenter follows the proposal from then on, and its followers hear of it.
    pub async fn add_comment(
        &self,
        proposal_id: i64,
        parent_id: Option<i64>,
        author_id: i64,
        body: &str,
        position: Option<Position>,
    ) -> DbResult<i64> {
        let root_id = match parent_id {
            Some(parent) => {
                let p = self.comment(parent).await?.ok_or(DbError::NotFound)?;
                if p.proposal_id != proposal_id {
                    return Err(DbError::Refused(maeul_domain::Refusal::field(
                        "parent",
                        maeul_domain::account::FieldError::Invalid,
                    )));
                }
                Some(p.root_id.unwrap_or(p.id))
            }
            None => None,
        };
        let html = maeul_domain::markdown::to_safe_html(body);
        let at = now();
        db_run!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let id = sqlx::query_scalar::<_, i64>(
                "INSERT INTO comments (proposal_id, parent_id, root_id, author_id, body, body_html, created_at, position, search_terms)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id")
                .bind(proposal_id).bind(parent_id).bind(root_id).bind(author_id).bind(body).bind(&html).bind(at)
                .bind(position.map(Position::as_str)).bind(maeul_domain::search::index_terms(body))
                .fetch_one(&mut *tx).await?;
            if root_id.is_none() {
                // A top-level comment is its own thread's root.
                sqlx::query("UPDATE comments SET root_id = id WHERE id = $1").bind(id).execute(&mut *tx).await?;
            }
            sqlx::query("UPDATE proposals SET comment_count = comment_count + 1 WHERE id = $1").bind(proposal_id)
                .execute(&mut *tx).await?;
            sqlx::query("INSERT INTO follows (user_id, target_kind, target_id, created_at) VALUES ($1, 'proposal', $2, $3)
                         ON CONFLICT (user_id, target_kind, target_id) DO NOTHING")
                .bind(author_id).bind(proposal_id).bind(at).execute(&mut *tx).await?;
            record_event!(tx, EventKind::Commented, Some(proposal_id), Some(id), Some(author_id), "", at);
            tx.commit().await?;
            Ok(id)
        })
    }

    /// A debate's participants by position: (for, against, neutral). Each person counts once, with the
    /// position of their latest visible comment that takes one (people change their minds).
    pub async fn debate_positions(&self, proposal_id: i64) -> DbResult<(i64, i64, i64)> {
        let rows = db_run!(self, pool => sqlx::query_as::<_, (String, i64)>(
            "SELECT c.position, COUNT(*) FROM comments c
             WHERE c.proposal_id = $1 AND c.position IS NOT NULL AND c.hidden_at IS NULL
               AND c.id = (SELECT MAX(l.id) FROM comments l WHERE l.proposal_id = c.proposal_id
                           AND l.author_id = c.author_id AND l.position IS NOT NULL AND l.hidden_at IS NULL)
             GROUP BY c.position")
            .bind(proposal_id).fetch_all(pool).await?);
        let count = |p: Position| {
            rows.iter()
                .find(|(name, _)| name == p.as_str())
                .map_or(0, |(_, n)| *n)
        };
        Ok((
            count(Position::For),
            count(Position::Against),
            count(Position::Neutral),
        ))
    }

    pub async fn comment(&self, id: i64) -> DbResult<Option<CommentRow>> {
        let sql = format!("{SELECT_COMMENT} WHERE c.id = $1");
        Ok(
            db_run!(self, pool => sqlx::query_as::<_, CommentRow>(&sql).bind(id).fetch_optional(pool).await?),
        )
    }

    /// One page of whole threads, oldest first after the cursor (the last top-level comment shown): at
    /// most `limit` top-level comments with every reply under them, fewer when their threads pass
    /// [`PAGE_COMMENTS`] comments together (always at least one thread). Returns the top-level comments,
    /// their replies, and whether threads remain after this page.
    pub async fn comment_page(
        &self,
        proposal_id: i64,
        after_id: i64,
        limit: i64,
    ) -> DbResult<(Vec<CommentRow>, Vec<CommentRow>, bool)> {
        // The page's last thread, from each next thread's size (index comments_roots), and the last
        // thread looked at (one past the page when more remain).
        let (last, seen): (Option<i64>, Option<i64>) = db_run!(self, pool => sqlx::query_as(
            "SELECT MAX(CASE WHEN (running <= $4 OR rn = 1) AND rn <= $3 THEN root_id END), MAX(root_id)
             FROM (SELECT root_id, SUM(n) OVER (ORDER BY root_id) AS running,
                          ROW_NUMBER() OVER (ORDER BY root_id) AS rn
                   FROM (SELECT root_id, COUNT(*) AS n FROM comments
                         WHERE proposal_id = $1 AND root_id > $2
                         GROUP BY root_id ORDER BY root_id LIMIT $3 + 1) AS sizes) AS runs")
            .bind(proposal_id).bind(after_id).bind(limit).bind(PAGE_COMMENTS)
            .fetch_one(pool).await?);
        let Some(last) = last else {
            return Ok((vec![], vec![], false));
        };
        let sql = format!(
            "{SELECT_COMMENT} WHERE c.proposal_id = $1 AND c.root_id > $2 AND c.root_id <= $3 ORDER BY c.id"
        );
        let (top, replies) = self
            .comment_rows(&sql, proposal_id, after_id, last)
            .await?
            .into_iter()
            .partition(|c| c.parent_id.is_none());
        Ok((top, replies, seen.is_some_and(|s| s > last)))
    }

    /// Comments by a query of [`SELECT_COMMENT`] taking three integers, in id order (on SQLite as one
    /// value: `crate::rows`).
    async fn comment_rows(&self, sql: &str, a: i64, b: i64, c: i64) -> DbResult<Vec<CommentRow>> {
        match self {
            Db::Sqlite(pool) => {
                let json: String = sqlx::query_scalar(&crate::rows::json_array_sql(
                    sql,
                    crate::rows::COMMENT_COLUMNS,
                ))
                .bind(a)
                .bind(b)
                .bind(c)
                .fetch_one(pool)
                .await?;
                crate::rows::decode::<CommentRow, _>(&json, |c| c.id)
            }
            Db::Postgres(pool) => Ok(sqlx::query_as::<_, CommentRow>(sql)
                .bind(a)
                .bind(b)
                .bind(c)
                .fetch_all(pool)
                .await?),
        }
    }

    /// Replaces a comment's text, keeping the old text in its history.
    pub async fn edit_comment(&self, id: i64, body: &str) -> DbResult<()> {
        let old = self.comment(id).await?.ok_or(DbError::NotFound)?;
        let at = now();
        db_run!(self, pool => {
            let mut tx = pool.begin_write().await?;
            sqlx::query("INSERT INTO comment_edits (comment_id, old_body, edited_at) VALUES ($1, $2, $3)")
                .bind(id).bind(&old.body).bind(at).execute(&mut *tx).await?;
            sqlx::query("UPDATE comments SET body = $1, body_html = $2, edited_at = $3, search_terms = $4 WHERE id = $5")
                .bind(body).bind(maeul_domain::markdown::to_safe_html(body)).bind(at)
                .bind(maeul_domain::search::index_terms(body)).bind(id).execute(&mut *tx).await?;
            tx.commit().await?;
        });
        Ok(())
    }

    pub async fn comment_history(&self, id: i64) -> DbResult<Vec<CommentEdit>> {
        Ok(db_run!(self, pool => sqlx::query_as::<_, CommentEdit>(
            "SELECT old_body, edited_at FROM comment_edits WHERE comment_id = $1 ORDER BY id").bind(id).fetch_all(pool).await?))
    }

    /// Sets a person's vote on a comment (+1, −1, or 0 to remove it); the totals follow in the same transaction.
    pub async fn vote_comment(&self, id: i64, user_id: i64, value: i64) -> DbResult<(i64, i64)> {
        if !matches!(value, -1..=1) {
            return Err(DbError::Refused(maeul_domain::Refusal::field(
                "value",
                maeul_domain::account::FieldError::Invalid,
            )));
        }
        db_run!(self, pool => {
            let mut tx = pool.begin_write().await?;
            // Remove the previous vote first (a write, so SQLite locks at once), then add the new one.
            let previous = sqlx::query_scalar::<_, i64>("DELETE FROM comment_votes WHERE comment_id = $1 AND user_id = $2 RETURNING value")
                .bind(id).bind(user_id).fetch_optional(&mut *tx).await?.unwrap_or(0);
            if value != 0 {
                sqlx::query("INSERT INTO comment_votes (comment_id, user_id, value) VALUES ($1, $2, $3)")
                    .bind(id).bind(user_id).bind(value).execute(&mut *tx).await
                    .map_err(|e| match &e {
                        sqlx::Error::Database(d) if d.is_foreign_key_violation() => DbError::NotFound,
                        _ => DbError::from(e),
                    })?;
            }
            let up = i64::from(value == 1) - i64::from(previous == 1);
            let down = i64::from(value == -1) - i64::from(previous == -1);
            let totals = sqlx::query_as::<_, (i64, i64)>(
                "UPDATE comments SET up_votes = up_votes + $1, down_votes = down_votes + $2 WHERE id = $3 RETURNING up_votes, down_votes")
                .bind(up).bind(down).bind(id).fetch_optional(&mut *tx).await?.ok_or(DbError::NotFound)?;
            tx.commit().await?;
            Ok(totals)
        })
    }
}

/// A comment found by search, with the proposal or debate it is on.
#[derive(Debug, Clone, sqlx::FromRow, serde::Deserialize)]
pub struct CommentHit {
    pub id: i64,
    pub proposal_id: i64,
    pub proposal_title: String,
    #[sqlx(try_from = "String")]
    #[serde(deserialize_with = "crate::rows::named")]
    pub proposal_kind: crate::proposals::Kind,
    pub author_name: String,
    pub body: String,
    pub created_at: i64,
}

impl CommentHit {
    /// The comment's place in its proposal's or debate's thread.
    pub fn path(&self) -> String {
        let base = match self.proposal_kind {
            crate::proposals::Kind::Debate => "debates",
            crate::proposals::Kind::Proposal => "proposals",
        };
        format!("/{base}/{}#comment-{}", self.proposal_id, self.id)
    }
}

const COMMENT_HIT: &str =
    "SELECT c.id, c.proposal_id, p.title AS proposal_title, p.kind AS proposal_kind,
        u.display_name AS author_name, c.body, c.created_at
     FROM comments c JOIN proposals p ON p.id = c.proposal_id JOIN users u ON u.id = c.author_id";
const COMMENT_FILTERS: &str = "c.hidden_at IS NULL AND p.hidden_at IS NULL
       AND p.state NOT IN ('draft', 'submitted', 'rejected')";

impl Db {
    /// Public comments (on public, unhidden proposals and debates) matching a query, newest first; exact
    /// like [`Db::search_proposals`], candidates read a little more than the page at a time.
    pub async fn search_comments(
        &self,
        query: &maeul_domain::search::Query,
        scope_prefix: &str,
        limit: i64,
    ) -> DbResult<Vec<CommentHit>> {
        if query.terms.is_empty() && query.prefix.is_none() {
            return Ok(vec![]);
        }
        let mut page: Vec<CommentHit> = Vec::new();
        let mut before = i64::MAX;
        for _ in 0..crate::proposals::SEARCH_ROUNDS {
            let fetch = limit - page.len() as i64 + 5;
            let candidates = self
                .comment_candidates(query, scope_prefix, before, fetch)
                .await?;
            let ended = (candidates.len() as i64) < fetch;
            before = candidates.last().map_or(before, |c| c.id);
            page.extend(candidates.into_iter().filter(|c| query.confirms(&c.body)));
            if ended || page.len() as i64 >= limit {
                break;
            }
        }
        page.truncate(limit as usize);
        Ok(page)
    }

    /// Up to `fetch` comments the index and the filters give, newest first, older than `before`.
    async fn comment_candidates(
        &self,
        query: &maeul_domain::search::Query,
        scope_prefix: &str,
        before: i64,
        fetch: i64,
    ) -> DbResult<Vec<CommentHit>> {
        // The scope filter only when one is given (a shorter statement plans faster on PostgreSQL).
        let scope = if scope_prefix.is_empty() {
            ""
        } else {
            " AND p.scope_id IN (SELECT id FROM scopes WHERE code LIKE $4)"
        };
        let pattern = (!scope_prefix.is_empty()).then(|| format!("{scope_prefix}%"));
        Ok(match self {
            Db::Sqlite(pool) => {
                // Walking the index backwards from `before` (its rowids are the comments' ids).
                let sql = format!(
                    "{COMMENT_HIT} JOIN comments_fts f ON f.rowid = c.id
                     WHERE comments_fts MATCH $1 AND f.rowid < $3 AND {COMMENT_FILTERS}{scope}
                     ORDER BY f.rowid DESC LIMIT $2"
                );
                let sql = crate::rows::json_array_sql(&sql, crate::rows::COMMENT_HIT_COLUMNS);
                let mut q = sqlx::query_scalar::<_, String>(&sql)
                    .bind(crate::proposals::fts5_query(query))
                    .bind(fetch)
                    .bind(before);
                if let Some(pattern) = &pattern {
                    q = q.bind(pattern);
                }
                let json: String = q.fetch_one(pool).await?;
                crate::rows::decode::<CommentHit, _>(&json, |c| std::cmp::Reverse(c.id))?
            }
            Db::Postgres(pool) => {
                // The stored tsvector (migration 0018) makes each row's check cheap, so the planner may
                // walk comments newest first for a common fragment (2 ms for 8,690 of 500,000) and use
                // the GIN index for a rare one. (Before, a materialised GIN-first set: 64 ms.)
                let sql = format!(
                    "{COMMENT_HIT} WHERE c.search_tsv @@ to_tsquery('simple', $1) AND c.id < $3
                     AND {COMMENT_FILTERS}{scope} ORDER BY c.id DESC LIMIT $2"
                );
                let mut q = sqlx::query_as::<_, CommentHit>(&sql)
                    .persistent(false)
                    .bind(crate::proposals::tsquery(query))
                    .bind(fetch)
                    .bind(before);
                if let Some(pattern) = &pattern {
                    q = q.bind(pattern);
                }
                q.fetch_all(pool).await?
            }
        })
    }
}
