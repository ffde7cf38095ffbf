//! Many rows in one value, for SQLite's busiest reads (lists, threads, search).
//!
//! sqlx-sqlite runs each connection on a worker thread and hands every row to the async caller through a
//! channel, copying each value: a wake-up, a context switch and a few allocations per row. On a page of
//! 30 proposals or 200 comments that handoff, not SQLite, was most of the request's CPU
//! (`perf` on bench/public-sphere: half the samples in the worker, a quarter in task switches). These
//! queries instead ask SQLite for one JSON array of the rows (`json_group_array`), decoded here with the
//! same checks as the row types' `FromRow`. PostgreSQL reads rows from its socket and keeps plain queries.
use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer};

use crate::{DbError, DbResult};

/// `inner` (a SELECT with an ORDER BY) wrapped to return its rows as one JSON array of objects with
/// `columns` as keys. The array's order is re-established by the caller ([`decode`] takes a sort key):
/// SQLite documents the aggregate's order as arbitrary.
pub(crate) fn json_array_sql(inner: &str, columns: &[&str]) -> String {
    let pairs: Vec<String> = columns.iter().map(|c| format!("'{c}', t.{c}")).collect();
    format!(
        "SELECT COALESCE(json_group_array(json_object({})), '[]') FROM ({inner}) AS t",
        pairs.join(", ")
    )
}

/// Decodes the array of [`json_array_sql`] into rows (stored names decode to enums through
/// [`named`]; an unknown value is [`DbError::Corrupt`]), ordered by `key`.
pub(crate) fn decode<R: DeserializeOwned, K: Ord>(
    json: &str,
    key: impl Fn(&R) -> K,
) -> DbResult<Vec<R>> {
    let mut rows: Vec<R> =
        serde_json::from_str(json).map_err(|e| DbError::Corrupt(format!("rows as JSON: {e}")))?;
    rows.sort_by_key(key);
    Ok(rows)
}

/// A stored name as the domain's type (`#[serde(deserialize_with = "crate::rows::named")]`), as
/// `#[sqlx(try_from = "String")]` does for rows.
pub(crate) fn named<'de, D, T>(d: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: TryFrom<String>,
    T::Error: std::fmt::Display,
{
    T::try_from(String::deserialize(d)?).map_err(serde::de::Error::custom)
}

/// A nullable stored name, as `#[sqlx(try_from = "Option<String>")]` does for rows.
pub(crate) fn optional_named<'de, D, T>(d: D) -> Result<crate::OptionalName<T>, D::Error>
where
    D: Deserializer<'de>,
    T: maeul_domain::Named,
{
    crate::OptionalName::try_from(Option::<String>::deserialize(d)?)
        .map_err(serde::de::Error::custom)
}

/// The columns of [`crate::proposals::ProposalRow`].
pub(crate) const PROPOSAL_COLUMNS: &[&str] = &[
    "id",
    "scope_id",
    "author_id",
    "author_name",
    "title",
    "body",
    "category",
    "state",
    "support_count",
    "forum_participants",
    "comment_count",
    "created_at",
    "collecting_until",
    "kind",
    "location",
    "conclusion",
    "hidden_at",
];

/// The columns of [`crate::comments::CommentRow`].
pub(crate) const COMMENT_COLUMNS: &[&str] = &[
    "id",
    "proposal_id",
    "parent_id",
    "author_id",
    "author_name",
    "body",
    "body_html",
    "root_id",
    "created_at",
    "edited_at",
    "up_votes",
    "down_votes",
    "position",
    "hidden_at",
];

/// The columns of [`crate::comments::CommentHit`].
pub(crate) const COMMENT_HIT_COLUMNS: &[&str] = &[
    "id",
    "proposal_id",
    "proposal_title",
    "proposal_kind",
    "author_name",
    "body",
    "created_at",
];

#[cfg(test)]
mod tests {
    #[test]
    fn the_wrapper_names_every_column() {
        assert_eq!(
            super::json_array_sql("SELECT 1 AS a, 2 AS b", &["a", "b"]),
            "SELECT COALESCE(json_group_array(json_object('a', t.a, 'b', t.b)), '[]') FROM (SELECT 1 AS a, 2 AS b) AS t"
        );
    }

    fn proposal_json(state: &str, id: i64) -> String {
        format!(
            r#"{{"id":{id},"scope_id":1,"author_id":2,"author_name":"김","title":"t","body":"b","category":"other",
               "state":"{state}","support_count":0,"forum_participants":0,"comment_count":0,"created_at":0,
               "collecting_until":null,"kind":"proposal","location":"","conclusion":"","hidden_at":null}}"#
        )
    }

    #[test]
    fn rows_decode_with_the_row_types_checks_in_the_callers_order() {
        let json = format!(
            "[{},{}]",
            proposal_json("collecting", 1),
            proposal_json("expired", 2)
        );
        let rows: Vec<crate::proposals::ProposalRow> =
            super::decode(&json, |p: &crate::proposals::ProposalRow| {
                std::cmp::Reverse(p.id)
            })
            .unwrap();
        assert_eq!(rows.iter().map(|p| p.id).collect::<Vec<_>>(), [2, 1]);
        let bad = format!("[{}]", proposal_json("no-such-state", 1));
        assert!(matches!(
            super::decode(&bad, |p: &crate::proposals::ProposalRow| p.id),
            Err(crate::DbError::Corrupt(_))
        ));
    }
}
