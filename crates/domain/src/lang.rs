//! The two languages of the platform and how a visitor's language is chosen.

/// A language every page is offered in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Lang {
    Ko,
    En,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::Ko, Lang::En];

    pub fn code(self) -> &'static str {
        match self {
            Lang::Ko => "ko",
            Lang::En => "en",
        }
    }

    /// Parses a language tag such as `ko`, `ko-KR` or `en-GB` (case-insensitive).
    pub fn from_tag(tag: &str) -> Option<Lang> {
        let primary = tag.trim().split(['-', '_']).next()?.to_ascii_lowercase();
        match primary.as_str() {
            "ko" => Some(Lang::Ko),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    /// Picks the language of a request: an explicit choice (cookie) wins, then the best-weighted
    /// supported language of `Accept-Language`, then Korean, the city's language.
    pub fn negotiate(choice: Option<&str>, accept_language: Option<&str>) -> Lang {
        if let Some(lang) = choice.and_then(Lang::from_tag) {
            return lang;
        }
        accept_language.and_then(best_accepted).unwrap_or(Lang::Ko)
    }
}

/// The supported language with the highest `q` in an `Accept-Language` header (first wins on ties).
fn best_accepted(header: &str) -> Option<Lang> {
    let mut best: Option<(Lang, f32)> = None;
    for item in header.split(',') {
        let mut parts = item.split(';');
        let Some(lang) = parts.next().and_then(Lang::from_tag) else {
            continue;
        };
        let q = parts
            .filter_map(|p| p.trim().strip_prefix("q="))
            .find_map(|q| q.trim().parse::<f32>().ok())
            .unwrap_or(1.0);
        if q > 0.0 && best.is_none_or(|(_, best_q)| q > best_q) {
            best = Some((lang, q));
        }
    }
    best.map(|(lang, _)| lang)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn explicit_choice_beats_header() {
        assert_eq!(
            Lang::negotiate(Some("en"), Some("ko-KR,ko;q=0.9")),
            Lang::En
        );
    }

    #[test]
    fn header_quality_is_respected() {
        assert_eq!(
            Lang::negotiate(None, Some("fr;q=1, en;q=0.8, ko;q=0.5")),
            Lang::En
        );
        assert_eq!(Lang::negotiate(None, Some("en;q=0.3, ko-KR")), Lang::Ko);
        assert_eq!(Lang::negotiate(None, Some("en-US,en;q=0.9")), Lang::En);
    }

    #[test]
    fn unknown_or_missing_falls_back_to_korean() {
        assert_eq!(Lang::negotiate(None, None), Lang::Ko);
        assert_eq!(Lang::negotiate(Some("xx"), Some("de, fr")), Lang::Ko);
        assert_eq!(Lang::negotiate(None, Some("en;q=0")), Lang::Ko);
    }
}
