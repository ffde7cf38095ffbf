//! Machine-readable views of a scope's proposals: an Atom feed and a CSV export streamed page by page.
use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use maeul_db::proposals::{Kind, ProposalRow, ProposalSearch, SearchOrder};

use crate::AppState;
use crate::context::format_kst;
use crate::error::PageError;

fn escape_xml(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // Characters XML 1.0 forbids are dropped rather than breaking the feed.
            c if (c as u32) < 0x20 && !matches!(c, '\n' | '\r' | '\t') => {}
            c => out.push(c),
        }
    }
    out
}

/// Unix seconds as RFC 3339 in UTC.
fn rfc3339(unix: i64) -> String {
    let kst = format_kst(unix - 9 * 3600); // format_kst adds nine hours; undo it to print UTC
    format!("{}T{}:00Z", &kst[..10], &kst[11..])
}

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

/// The newest public proposals of a scope and the scopes below it, as Atom.
pub async fn atom(
    State(state): State<AppState>,
    Path(code): Path<String>,
) -> Result<Response, PageError> {
    let tree = state.scopes();
    let scope = tree.by_code(&code).ok_or(PageError::NotFound)?;
    let rows = state
        .db
        .search_proposals(&recent(&scope.code, None, None, 50))
        .await?;
    let base = state.config.base_url.trim_end_matches('/');
    let updated = rows.first().map_or(0, |p| p.created_at);
    let mut xml = format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">\n<title>{} · {}</title>\n<id>{base}/scopes/{}</id>\n<link rel=\"self\" href=\"{base}/scopes/{}/feed.atom\"/>\n<link href=\"{base}/scopes/{}/proposals\"/>\n<updated>{}</updated>\n",
        escape_xml(&scope.name_ko),
        escape_xml(&scope.name_en),
        scope.code,
        scope.code,
        scope.code,
        rfc3339(updated)
    );
    for p in &rows {
        xml.push_str(&format!(
            "<entry>\n<title>{}</title>\n<id>{base}{}</id>\n<link href=\"{base}{}\"/>\n<updated>{}</updated>\n<author><name>{}</name></author>\n<category term=\"{}\"/>\n<summary type=\"html\">{}</summary>\n</entry>\n",
            escape_xml(&p.title),
            p.path(),
            p.path(),
            rfc3339(p.created_at),
            escape_xml(&p.author_name),
            escape_xml(&p.category),
            escape_xml(&crate::markdown::to_safe_html(&p.body)),
        ));
    }
    xml.push_str("</feed>\n");
    Ok((
        [(header::CONTENT_TYPE, "application/atom+xml; charset=utf-8")],
        xml,
    )
        .into_response())
}

const CSV_PAGE: i64 = 500;

fn csv_chunk(rows: &[ProposalRow], tree: &maeul_domain::ScopeTree, header: bool) -> Vec<u8> {
    let mut writer = csv::Writer::from_writer(vec![]);
    if header {
        let _ = writer.write_record([
            "id",
            "scope_code",
            "title",
            "category",
            "state",
            "support_count",
            "created_at",
        ]);
    }
    for p in rows {
        let code = tree.get(p.scope_id).map(|s| s.code.as_str()).unwrap_or("");
        let _ = writer.write_record([
            p.id.to_string().as_str(),
            code,
            p.title.as_str(),
            p.category.as_str(),
            p.state.as_str(),
            p.support_count.to_string().as_str(),
            rfc3339(p.created_at).as_str(),
        ]);
    }
    writer.into_inner().unwrap_or_default()
}

/// Every public proposal of a scope and below with its counts, as CSV. Rows are read and sent 500 at a
/// time, so memory stays flat however many there are.
pub async fn csv_export(
    State(state): State<AppState>,
    Path(code): Path<String>,
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
                let rows = match state
                    .db
                    .search_proposals(&recent(&prefix, Some(Kind::Proposal), after, CSV_PAGE))
                    .await
                {
                    Ok(rows) => rows,
                    Err(e) => {
                        return Some((
                            Err(std::io::Error::other(e.to_string())),
                            (after, false, true),
                        ));
                    }
                };
                let finished = (rows.len() as i64) < CSV_PAGE;
                let next = rows.last().map(|p| p.id).or(after);
                let chunk = csv_chunk(&rows, &state.scopes(), first);
                Some((Ok::<_, std::io::Error>(chunk), (next, false, finished)))
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
    #[test]
    fn xml_is_escaped_and_dates_are_utc() {
        assert_eq!(
            super::escape_xml("<a & \"b\">\u{1}"),
            "&lt;a &amp; &quot;b&quot;&gt;"
        );
        assert_eq!(super::rfc3339(0), "1970-01-01T00:00:00Z");
        assert_eq!(super::rfc3339(1_709_251_200), "2024-03-01T00:00:00Z");
    }
}
