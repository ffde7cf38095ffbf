//! User markdown to safe HTML (pure: stored beside the source when a comment is written, so pages do not
//! render it on every view). Raw HTML in the source is shown as text, never interpreted, and links or
//! images may only point to http(s), mailto or this site: no `javascript:` or `data:` URLs.
use pulldown_cmark::{CowStr, Event, Options, Parser, Tag, html};

/// Every byte outside RFC 3986's unreserved set is percent-encoded (a mention's path segment).
const NOT_UNRESERVED: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

fn safe_url(url: &str) -> bool {
    let lower = url.trim().to_ascii_lowercase();
    match lower.split_once(':') {
        // A colon before any slash means a scheme; only these are allowed.
        Some((scheme, _))
            if !scheme.contains('/') && !scheme.contains('?') && !scheme.contains('#') =>
        {
            matches!(scheme, "http" | "https" | "mailto")
        }
        _ => true,
    }
}

/// Turns `#123` (after a space or at the start) into a link to proposal 123, so texts can cite each other.
fn link_proposals(source: &str) -> String {
    let mut out = String::with_capacity(source.len());
    let mut prev_is_space = true;
    let mut chars = source.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if c == '#' && prev_is_space {
            let digits: String = source[i + 1..]
                .chars()
                .take_while(char::is_ascii_digit)
                .collect();
            if !digits.is_empty() && digits.len() < 12 {
                out.push_str(&format!("[#{digits}](/proposals/{digits})"));
                for _ in 0..digits.len() {
                    chars.next();
                }
                prev_is_space = false;
                continue;
            }
        }
        prev_is_space = c.is_whitespace() || c == '(';
        out.push(c);
    }
    out
}

/// Turns `@name` mentions into links to the person's page (`/people/{name}` finds them by name).
fn link_mentions(source: &str) -> String {
    let mut out = String::with_capacity(source.len());
    let mut copied = 0;
    for (start, end) in crate::notify::mention_spans(source) {
        let name = &source[start..end];
        out.push_str(&source[copied..start - 1]);
        let encoded = percent_encoding::utf8_percent_encode(name, NOT_UNRESERVED);
        out.push_str(&format!("[@{name}](/people/{encoded})"));
        copied = end;
    }
    out.push_str(&source[copied..]);
    out
}

/// Renders `source` as sanitised HTML, with `#123` linked to proposal 123 and `@name` to that person.
pub fn to_safe_html(source: &str) -> String {
    let source = link_proposals(&link_mentions(source));
    let source = source.as_str();
    let options =
        Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TABLES | Options::ENABLE_TASKLISTS;
    let events = Parser::new_ext(source, options).map(|event| match event {
        Event::Html(text) | Event::InlineHtml(text) => Event::Text(text),
        Event::Start(Tag::Link {
            link_type,
            dest_url,
            title,
            id,
        }) if !safe_url(&dest_url) => Event::Start(Tag::Link {
            link_type,
            dest_url: CowStr::Borrowed("#"),
            title,
            id,
        }),
        Event::Start(Tag::Image {
            link_type,
            dest_url,
            title,
            id,
        }) if !safe_url(&dest_url) => Event::Start(Tag::Image {
            link_type,
            dest_url: CowStr::Borrowed("#"),
            title,
            id,
        }),
        other => other,
    });
    let mut out = String::with_capacity(source.len() * 3 / 2);
    html::push_html(&mut out, events);
    out
}

#[cfg(test)]
mod tests {
    use super::to_safe_html;

    #[test]
    fn markdown_renders() {
        assert_eq!(
            to_safe_html("**굵게** _기울임_"),
            "<p><strong>굵게</strong> <em>기울임</em></p>\n"
        );
        assert!(to_safe_html("- 하나\n- 둘").contains("<li>하나</li>"));
        assert!(
            to_safe_html("[서울](https://seoul.go.kr)").contains("href=\"https://seoul.go.kr\"")
        );
    }

    #[test]
    fn proposal_numbers_become_links() {
        let out = to_safe_html("#12 과 (#7) 참고, 색#3 아님, # 9 아님");
        assert!(
            out.contains("<a href=\"/proposals/12\">#12</a>")
                && out.contains("<a href=\"/proposals/7\">#7</a>"),
            "{out}"
        );
        assert!(
            !out.contains("/proposals/3") && !out.contains("/proposals/9"),
            "{out}"
        );
        assert!(
            !to_safe_html("# 제목").contains("/proposals/"),
            "a markdown heading is not a link"
        );
    }

    #[test]
    fn mentions_become_links() {
        let out = to_safe_html("@김민수 님과 @jane_doe, mail jane@example.org");
        assert!(
            out.contains("<a href=\"/people/%EA%B9%80%EB%AF%BC%EC%88%98\">@김민수</a>"),
            "{out}"
        );
        assert!(
            out.contains("<a href=\"/people/jane_doe\">@jane_doe</a>"),
            "{out}"
        );
        assert!(!out.contains("/people/example"), "{out}");
    }

    #[test]
    fn html_and_scripts_are_neutralised() {
        let out = to_safe_html("<script>alert(1)</script>\n\nhi <img src=x onerror=alert(1)>");
        assert!(!out.contains("<script") && !out.contains("<img"), "{out}");
        assert!(out.contains("&lt;script&gt;"));
        for evil in [
            "[x](javascript:alert(1))",
            "[x](JavaScript:alert(1))",
            "[x]( data:text/html,<b>)",
            "![i](javascript:1)",
        ] {
            let out = to_safe_html(evil);
            assert!(
                !out.to_lowercase().contains("javascript:") && !out.contains("data:"),
                "{evil} → {out}"
            );
        }
        assert!(to_safe_html("[rel](/proposals/1)").contains("href=\"/proposals/1\""));
    }
}
