//! The site's own forms, found by walking its pages as a signed-in user: what a person could submit, with
//! the values the page offers (hidden fields, the first or selected option, checked boxes, the first
//! submit button's value) and a plausible value for each empty field. The concurrency probes post them.
use std::collections::{BTreeMap, HashSet, VecDeque};

use crate::harness::Browser;

/// One POST form: where it goes and the fields a person would send (the CSRF token left out).
#[derive(Debug, Clone)]
pub struct Form {
    pub action: String,
    pub fields: Vec<(String, String)>,
    pub multipart: bool,
}

/// A tag's name and attributes (names lower-cased, values unescaped), and where the tag ends.
struct Tag {
    name: String,
    attrs: Vec<(String, String)>,
    end: usize,
}

impl Tag {
    fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

fn unescape(s: &str) -> String {
    s.replace("&quot;", "\"")
        .replace("&#x27;", "'")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// Reads the tag starting at `at` (on its `<`); `None` for a comment, doctype or stray `<`.
fn tag_at(html: &str, at: usize) -> Option<Tag> {
    let bytes = html.as_bytes();
    let mut i = at + 1;
    let start = i;
    while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'/') {
        i += 1;
    }
    let name = html[start..i].to_ascii_lowercase();
    if name.is_empty() || name == "/" {
        return None;
    }
    let mut attrs = vec![];
    loop {
        while i < bytes.len() && bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        if i >= bytes.len() {
            return None;
        }
        if bytes[i] == b'>' {
            return Some(Tag {
                name,
                attrs,
                end: i + 1,
            });
        }
        if bytes[i] == b'/' {
            i += 1;
            continue;
        }
        let name_start = i;
        while i < bytes.len() && !b"= \t\n\r>/".contains(&bytes[i]) {
            i += 1;
        }
        let attr = html[name_start..i].to_ascii_lowercase();
        let mut value = String::new();
        if i < bytes.len() && bytes[i] == b'=' {
            i += 1;
            if i < bytes.len() && (bytes[i] == b'"' || bytes[i] == b'\'') {
                let quote = bytes[i];
                let v_start = i + 1;
                let v_end = v_start + html[v_start..].find(quote as char)?;
                value = unescape(&html[v_start..v_end]);
                i = v_end + 1;
            } else {
                let v_start = i;
                while i < bytes.len() && !bytes[i].is_ascii_whitespace() && bytes[i] != b'>' {
                    i += 1;
                }
                value = unescape(&html[v_start..i]);
            }
        }
        if attr.is_empty() {
            i += 1;
        } else {
            attrs.push((attr, value));
        }
    }
}

/// A plausible value for an empty field, by its name and input type.
fn plausible(name: &str, kind: &str) -> String {
    match kind {
        "date" => return "2027-03-02".into(),
        "datetime-local" => return "2027-03-02T10:00".into(),
        "time" => return "10:00".into(),
        "email" => return "resident@demo.maeul.kr".into(),
        "url" => return "https://example.org/evidence".into(),
        "number" => return "1".into(),
        _ => {}
    }
    match name {
        "starts_at" | "opens" | "from" => "2027-03-02T10:00".into(),
        "ends_at" | "closes" | "until" | "to" => "2027-03-02T12:00".into(),
        "cost" | "amount" | "budget" | "granted" | "spent" => "1000000".into(),
        "year" => "2027".into(),
        "birth_date" => "1990-03-07".into(),
        "email" | "voter" => "resident@demo.maeul.kr".into(),
        "seed_text" => "동시 시험 씨앗".into(),
        "evidence_url" => "https://example.org/evidence".into(),
        _ => "동시에 보낸 시험 글".into(),
    }
}

/// The POST forms of one page, with the values a person who changes nothing but the empty fields sends.
pub fn forms_of(html: &str) -> Vec<Form> {
    let mut forms = vec![];
    let mut current: Option<(Form, HashSet<String>)> = None;
    let mut select: Option<(String, Option<String>)> = None;
    let mut at = 0;
    while let Some(offset) = html[at..].find('<') {
        let start = at + offset;
        let Some(tag) = tag_at(html, start) else {
            at = start + 1;
            continue;
        };
        at = tag.end;
        match tag.name.as_str() {
            "form"
                if tag
                    .attr("method")
                    .is_some_and(|m| m.eq_ignore_ascii_case("post")) =>
            {
                let form = Form {
                    action: tag.attr("action").unwrap_or("").to_owned(),
                    fields: vec![],
                    multipart: tag.attr("enctype") == Some("multipart/form-data"),
                };
                current = Some((form, HashSet::new()));
            }
            "/form" => {
                if let Some((form, _)) = current.take() {
                    forms.push(form);
                }
            }
            _ if current.is_none() => {}
            "input" | "button" | "textarea" => {
                let (form, seen) = current.as_mut().unwrap();
                let Some(name) = tag.attr("name").filter(|n| *n != "_csrf") else {
                    continue;
                };
                let kind = tag
                    .attr("type")
                    .unwrap_or(if tag.name == "button" {
                        "submit"
                    } else {
                        "text"
                    })
                    .to_ascii_lowercase();
                let value = match (tag.name.as_str(), kind.as_str()) {
                    ("textarea", _) => {
                        let close = html[at..].find("</textarea>").map_or(at, |e| at + e);
                        let text = unescape(&html[at..close]);
                        if text.trim().is_empty() {
                            plausible(name, "text")
                        } else {
                            text
                        }
                    }
                    (_, "checkbox" | "radio") => {
                        // The checked one, or the first of a radio group when none is.
                        if tag.attr("checked").is_none()
                            && (kind == "checkbox" || seen.contains(name))
                        {
                            continue;
                        }
                        tag.attr("value").unwrap_or("on").to_owned()
                    }
                    (_, "submit") => match tag.attr("value") {
                        Some(v) => v.to_owned(),
                        None => continue,
                    },
                    (_, "file" | "reset" | "image") => continue,
                    _ => match tag.attr("value").filter(|v| !v.is_empty()) {
                        Some(v) => v.to_owned(),
                        None => {
                            // A number's own lower bound is a valid value.
                            match tag.attr("min").filter(|_| kind == "number") {
                                Some(min) => min.to_owned(),
                                None => plausible(name, &kind),
                            }
                        }
                    },
                };
                if seen.insert(name.to_owned()) {
                    form.fields.push((name.to_owned(), value));
                } else if kind == "checkbox" {
                    // Several boxes of one name (a ballot's projects): all the checked ones are sent.
                    form.fields.push((name.to_owned(), value));
                }
            }
            "select" => {
                if let Some(name) = tag.attr("name") {
                    select = Some((name.to_owned(), None));
                }
            }
            "option" => {
                if let Some((_, chosen)) = select.as_mut() {
                    let value = tag.attr("value").unwrap_or("").to_owned();
                    if tag.attr("selected").is_some() || (chosen.is_none() && !value.is_empty()) {
                        *chosen = Some(value);
                    }
                }
            }
            "/select" => {
                if let (Some((name, chosen)), Some((form, seen))) =
                    (select.take(), current.as_mut())
                    && seen.insert(name.clone())
                {
                    form.fields.push((name, chosen.unwrap_or_default()));
                }
            }
            _ => {}
        }
    }
    forms
}

/// The site's own links on a page (paths only, no files to download, no sign-out).
fn links_of(html: &str) -> Vec<String> {
    html.split("href=\"")
        .skip(1)
        .filter_map(|s| s.split('"').next())
        .map(unescape)
        .filter(|l| l.starts_with('/') && !l.starts_with("//"))
        .map(|l| l.split('#').next().unwrap_or("").to_owned())
        .filter(|l| {
            let file = [
                ".csv", ".pb", ".ics", ".atom", ".svg", ".json", ".css", ".js", ".png",
            ];
            !l.is_empty()
                && !l.starts_with("/static")
                && !l.starts_with("/api/")
                && !l.contains("/export")
                && !l.contains("/download")
                && !file
                    .iter()
                    .any(|f| l.split('?').next().unwrap_or("").ends_with(f))
        })
        .collect()
}

/// A path's shape: its numbers blanked (`/proposals/12/edit` → `/proposals/#/edit`).
fn shape(path: &str) -> String {
    path.split('/')
        .map(|s| {
            if s.bytes().all(|b| b.is_ascii_digit()) && !s.is_empty() {
                "#"
            } else {
                s
            }
        })
        .collect::<Vec<_>>()
        .join("/")
}

/// Walks the site from `starts` (breadth first, at most `limit` pages; a query string's variants count
/// once per path, and at most five pages of one shape are read — 426 neighbourhoods' pages show the same
/// forms) and returns one form per action path, the first found.
pub async fn crawl(
    b: &mut Browser,
    starts: &[String],
    limit: usize,
) -> (usize, BTreeMap<String, Form>) {
    let mut queue: VecDeque<String> = starts.iter().cloned().collect();
    let mut seen_paths = HashSet::new();
    let mut per_shape: std::collections::HashMap<String, usize> = Default::default();
    let mut forms = BTreeMap::new();
    let mut pages = 0;
    while let Some(page) = queue.pop_front() {
        let path = page.split('?').next().unwrap_or("").to_owned();
        if pages >= limit || seen_paths.contains(&path) {
            continue;
        }
        let of_shape = per_shape.entry(shape(&path)).or_default();
        if *of_shape >= 5 && !starts.contains(&path) {
            continue;
        }
        *of_shape += 1;
        seen_paths.insert(path);
        let (status, html) = b.get(&page).await;
        pages += 1;
        if !status.is_success() {
            continue;
        }
        for form in forms_of(&html) {
            let action = form.action.split('?').next().unwrap_or("").to_owned();
            forms.entry(action).or_insert(form);
        }
        queue.extend(links_of(&html));
    }
    (pages, forms)
}

/// The route template (`/proposals/{id}/support`) a concrete path belongs to, among `templates`.
pub fn template_of<'a>(path: &str, templates: &[&'a str]) -> Option<&'a str> {
    let parts: Vec<&str> = path.split('/').collect();
    templates
        .iter()
        .filter(|t| {
            let t: Vec<&str> = t.split('/').collect();
            t.len() == parts.len()
                && t.iter()
                    .zip(&parts)
                    .all(|(t, p)| (t.starts_with('{') && !p.is_empty()) || t == p)
        })
        // The most specific template: the most literal segments.
        .max_by_key(|t| t.split('/').filter(|s| !s.starts_with('{')).count())
        .copied()
}
