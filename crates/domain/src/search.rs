//! Search terms that work for Korean: overlapping character bigrams.
//!
//! Korean has no reliable word boundaries for search ("골목쉼터" should match "골목"), so text is indexed as
//! the set of its two-character windows (within each run of letters or digits), and a query matches
//! when all of its bigrams are present; the caller then confirms the exact substring. One-character
//! queries match bigrams starting with that character. Both databases index these terms with their
//! ordinary full-text machinery (SQLite FTS5, PostgreSQL `tsvector`), so the behaviour is identical.

/// Lower-cased runs of letters and digits.
fn runs(text: &str) -> impl Iterator<Item = Vec<char>> + '_ {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|r| !r.is_empty())
        .map(|r| r.chars().flat_map(char::to_lowercase).collect())
}

fn bigrams_of(run: &[char]) -> impl Iterator<Item = String> + '_ {
    run.windows(2).map(|w| w.iter().collect())
}

/// The index terms of a text: its distinct bigrams, plus single-character runs, space-separated.
pub fn index_terms(text: &str) -> String {
    let mut terms: Vec<String> = vec![];
    for run in runs(text) {
        if run.len() == 1 {
            terms.push(run.iter().collect());
        } else {
            terms.extend(bigrams_of(&run));
        }
    }
    terms.sort();
    terms.dedup();
    terms.join(" ")
}

/// A parsed search query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Query {
    /// Terms that must all be indexed for a match.
    pub terms: Vec<String>,
    /// A one-character query: match terms that start with it.
    pub prefix: Option<String>,
    /// The lower-cased fragments to confirm in the text itself.
    pub fragments: Vec<String>,
}

/// Parses a query; `None` when it has nothing to search for.
pub fn parse_query(input: &str) -> Option<Query> {
    let runs: Vec<Vec<char>> = runs(input).take(8).collect();
    if runs.is_empty() {
        return None;
    }
    let fragments = runs.iter().map(|r| r.iter().collect::<String>()).collect();
    if runs.len() == 1 && runs[0].len() == 1 {
        return Some(Query {
            terms: vec![],
            prefix: Some(runs[0].iter().collect()),
            fragments,
        });
    }
    let mut terms: Vec<String> = vec![];
    for run in &runs {
        if run.len() == 1 {
            // A lone character among longer fragments is only checked against the text.
            continue;
        }
        terms.extend(bigrams_of(run));
    }
    terms.sort();
    terms.dedup();
    Some(Query {
        terms,
        prefix: None,
        fragments,
    })
}

impl Query {
    /// Whether `text` really contains every fragment (the index only proves the bigrams are there).
    pub fn confirms(&self, text: &str) -> bool {
        // Fragments are lower case: found as they are (Korean always is), lower-casing is not needed.
        if self.fragments.iter().all(|f| text.contains(f.as_str())) {
            return true;
        }
        let text = text.to_lowercase();
        self.fragments.iter().all(|f| text.contains(f.as_str()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn korean_is_indexed_by_bigrams() {
        assert_eq!(index_terms("골목 쉼터"), "골목 쉼터");
        assert_eq!(index_terms("골목쉼터!"), "골목 목쉼 쉼터");
        assert_eq!(index_terms("Bus 정류장"), "bu us 류장 정류");
        assert_eq!(index_terms("a 1"), "1 a");
    }

    #[test]
    fn two_syllables_find_a_longer_word() {
        let q = parse_query("쉼터").unwrap();
        assert_eq!(q.terms, ["쉼터"]);
        let indexed = index_terms("청운동 골목쉼터 만들기");
        assert!(q.terms.iter().all(|t| indexed.split(' ').any(|i| i == t)));
        assert!(q.confirms("청운동 골목쉼터 만들기"));
    }

    #[test]
    fn bigrams_alone_do_not_prove_a_match() {
        // "목쉼" and "골목" are both in "골목 목쉼", but "골목쉼" is not.
        let q = parse_query("골목쉼").unwrap();
        assert!(!q.confirms("골목 목쉼"));
        assert!(q.confirms("골목쉼터"));
    }

    #[test]
    fn one_character_and_empty_queries() {
        let q = parse_query(" 숲 ").unwrap();
        assert_eq!((q.terms.len(), q.prefix.as_deref()), (0, Some("숲")));
        assert!(parse_query("  !? ").is_none());
        assert_eq!(parse_query("BUS").unwrap().fragments, ["bus"]);
    }
}
