//! Machine-readable views of a scope's proposals: an Atom feed (RFC 4287, written with
//! `atom_syndication`) and a CSV export streamed page by page through the guarded writer.
use atom_syndication::{Category as AtomCategory, Entry, Feed, FixedDateTime, Link, Person, Text};
use axum::body::Body;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use maeul_db::proposals::{Kind, ProposalRow, ProposalSearch, SearchOrder};

use crate::AppState;
use crate::http::csv::{Cell, CsvWriter};
use crate::http::{PageError, PagePath};

/// The newest public items under a scope: proposals and debates for the feed, proposals only for the CSV.
fn recent(
    scope_prefix: &str,
    kind: Option<Kind>,
    after_id: Option<i64>,
    limit: i64,
) -> ProposalSearch {
    ProposalSearch {
        query: None,
        scope_prefix: scope_prefix.to_owned(),
        state: None,
        category: None,
        kind,
        created_from: None,
        created_until: None,
        order: SearchOrder::Recent,
        after: after_id.map(|id| (i64::MAX, id)),
        limit,
    }
}

/// An instant for the feed (RFC 3339, UTC).
fn feed_time(unix: i64) -> FixedDateTime {
    FixedDateTime::parse_from_rfc3339(&maeul_domain::time::rfc3339(unix)).unwrap_or_default()
}

fn link(href: String, rel: &str) -> Link {
    let mut l = Link::default();
    l.set_href(href);
    l.set_rel(rel);
    l
}

/// The feed of a scope's items (XML-escaped by the crate; summaries are the sanitized HTML bodies).
pub fn feed(base: &str, scope: &maeul_domain::Scope, rows: &[ProposalRow]) -> Feed {
    let entries = rows
        .iter()
        .map(|p| {
            let mut e = Entry::default();
            e.set_title(Text::plain(p.title.clone()));
            e.set_id(format!("{base}{}", p.path()));
            e.set_links(vec![link(format!("{base}{}", p.path()), "alternate")]);
            e.set_updated(feed_time(p.created_at));
            e.set_published(Some(feed_time(p.created_at)));
            let mut author = Person::default();
            author.set_name(p.author_name.clone());
            e.set_authors(vec![author]);
            let mut category = AtomCategory::default();
            category.set_term(p.category.as_str());
            e.set_categories(vec![category]);
            e.set_summary(Some(Text::html(crate::markdown::to_safe_html(&p.body))));
            e
        })
        .collect::<Vec<_>>();
    let mut feed = Feed::default();
    feed.set_title(Text::plain(format!(
        "{} · {}",
        scope.name_ko, scope.name_en
    )));
    feed.set_id(format!("{base}/scopes/{}", scope.code));
    feed.set_links(vec![
        link(format!("{base}/scopes/{}/feed.atom", scope.code), "self"),
        link(
            format!("{base}/scopes/{}/proposals", scope.code),
            "alternate",
        ),
    ]);
    feed.set_updated(feed_time(rows.first().map_or(0, |p| p.created_at)));
    feed.set_entries(entries);
    feed
}

/// The newest public proposals and debates of a scope and the scopes below it, as Atom.
pub async fn atom(
    State(state): State<AppState>,
    PagePath(code): PagePath<String>,
) -> Result<Response, PageError> {
    let tree = state.scopes();
    let scope = tree.by_code(&code).ok_or(PageError::NotFound)?;
    let rows = state
        .db
        .search_proposals(&recent(&scope.code, None, None, 50))
        .await?;
    let xml = feed(state.config.base_url.trim_end_matches('/'), scope, &rows).to_string();
    Ok((
        [(header::CONTENT_TYPE, "application/atom+xml; charset=utf-8")],
        xml,
    )
        .into_response())
}

const CSV_PAGE: i64 = 500;

fn csv_chunk(
    rows: &[ProposalRow],
    tree: &maeul_domain::ScopeTree,
    first: bool,
) -> Result<Vec<u8>, csv::Error> {
    let mut w = CsvWriter::new(first);
    if first {
        w.row(
            [
                "id",
                "scope_code",
                "title",
                "category",
                "state",
                "support_count",
                "created_at",
            ]
            .map(Cell::from),
        )?;
    }
    for p in rows {
        let code = tree.get(p.scope_id).map(|s| s.code.as_str()).unwrap_or("");
        let created = maeul_domain::time::rfc3339(p.created_at);
        w.row([
            Cell::Number(p.id),
            Cell::from(code),
            Cell::from(p.title.as_str()),
            Cell::from(p.category.as_str()),
            Cell::from(p.state.as_str()),
            Cell::Number(p.support_count),
            Cell::from(created.as_str()),
        ])?;
    }
    w.finish()
}

/// Every public proposal of a scope and below with its counts, as CSV. Rows are read and sent 500 at a
/// time, so memory stays flat however many there are; a failure ends the stream with an error (the
/// download is then incomplete, never silently truncated).
pub async fn csv_export(
    State(state): State<AppState>,
    PagePath(code): PagePath<String>,
) -> Result<Response, PageError> {
    let tree = state.scopes();
    let scope = tree.by_code(&code).ok_or(PageError::NotFound)?.clone();
    // (next cursor, first chunk?, finished?)
    let stream =
        futures_util::stream::unfold((None::<i64>, true, false), move |(after, first, done)| {
            let state = state.clone();
            let prefix = scope.code.clone();
            async move {
                if done {
                    return None;
                }
                let chunk = async {
                    let rows = state
                        .db
                        .search_proposals(&recent(&prefix, Some(Kind::Proposal), after, CSV_PAGE))
                        .await
                        .map_err(std::io::Error::other)?;
                    let finished = (rows.len() as i64) < CSV_PAGE;
                    let next = rows.last().map(|p| p.id).or(after);
                    let bytes =
                        csv_chunk(&rows, &state.scopes(), first).map_err(std::io::Error::other)?;
                    Ok::<_, std::io::Error>((bytes, next, finished))
                };
                Some(match chunk.await {
                    Ok((bytes, next, finished)) => (Ok(bytes), (next, false, finished)),
                    Err(e) => {
                        tracing::error!(error = %e, "CSV export failed");
                        (Err(e), (after, false, true))
                    }
                })
            }
        });
    let filename = format!("attachment; filename=\"proposals-{code}.csv\"");
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (header::CONTENT_DISPOSITION, filename),
        ],
        Body::from_stream(stream),
    )
        .into_response())
}

#[cfg(test)]
mod tests {
    use maeul_domain::{Scope, ScopeKind};

    #[test]
    fn the_feed_escapes_text_and_dates_are_utc() {
        let scope = Scope {
            id: 1,
            code: "11".into(),
            kind: ScopeKind::City,
            parent_id: None,
            name_ko: "서울 <시>".into(),
            name_en: "Seoul & co".into(),
        };
        let xml = super::feed("https://m.example", &scope, &[]).to_string();
        assert!(xml.contains("서울 &lt;시&gt; · Seoul &amp; co"), "{xml}");
        assert!(xml.contains("1970-01-01T00:00:00"), "{xml}");
        assert_eq!(
            super::feed_time(1_709_251_200).to_rfc3339(),
            "2024-03-01T00:00:00+00:00"
        );
    }
}
