//! The one way the site writes CSV: every cell through the formula guard, every write error reported.
//!
//! Spreadsheets run a cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage return as a formula
//! (`=HYPERLINK(…)` can exfiltrate data), so such cells get a leading apostrophe (OWASP's advice). Numbers
//! the site writes itself go through [`CsvWriter::row`] too: a negative number is written as a plain number
//! only through [`Cell::Number`].

/// A cell: text (guarded) or a number the site computed (written as is).
pub enum Cell<'a> {
    Text(&'a str),
    Number(i64),
}

impl<'a> From<&'a str> for Cell<'a> {
    fn from(s: &'a str) -> Self {
        Cell::Text(s)
    }
}

impl<'a> From<&'a String> for Cell<'a> {
    fn from(s: &'a String) -> Self {
        Cell::Text(s)
    }
}

impl From<i64> for Cell<'_> {
    fn from(n: i64) -> Self {
        Cell::Number(n)
    }
}

/// Text neutralised for spreadsheets.
pub fn guard(text: &str) -> std::borrow::Cow<'_, str> {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}").into()
    } else {
        text.into()
    }
}

/// A CSV document in memory (UTF-8, with a BOM so spreadsheet programs read Korean correctly).
pub struct CsvWriter {
    inner: csv::Writer<Vec<u8>>,
}

impl Default for CsvWriter {
    fn default() -> Self {
        Self::new(true)
    }
}

impl CsvWriter {
    /// A writer; `bom` starts the document with a UTF-8 byte-order mark (only the first chunk of a stream).
    pub fn new(bom: bool) -> CsvWriter {
        let start = if bom {
            "\u{feff}".as_bytes().to_vec()
        } else {
            Vec::new()
        };
        CsvWriter {
            inner: csv::Writer::from_writer(start),
        }
    }

    /// Writes one record.
    pub fn row<'a>(&mut self, cells: impl IntoIterator<Item = Cell<'a>>) -> Result<(), csv::Error> {
        let fields: Vec<String> = cells
            .into_iter()
            .map(|c| match c {
                Cell::Text(t) => guard(t).into_owned(),
                Cell::Number(n) => n.to_string(),
            })
            .collect();
        self.inner.write_record(&fields)
    }

    /// The document's bytes.
    pub fn finish(self) -> Result<Vec<u8>, csv::Error> {
        self.inner
            .into_inner()
            .map_err(|e| csv::Error::from(e.into_error()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_neutralised_and_numbers_are_not() {
        let mut w = CsvWriter::new(false);
        w.row([
            Cell::from("=HYPERLINK(\"http://evil\")"),
            Cell::from("+1"),
            Cell::from("-2"),
            Cell::from("@x"),
            Cell::from("\tTAB"),
            Cell::from("plain, with \"quotes\""),
            Cell::Number(-3),
        ])
        .unwrap();
        let text = String::from_utf8(w.finish().unwrap()).unwrap();
        assert_eq!(
            text,
            "\"'=HYPERLINK(\"\"http://evil\"\")\",'+1,'-2,'@x,'\tTAB,\"plain, with \"\"quotes\"\"\",-3\n"
        );
    }

    #[test]
    fn the_first_chunk_has_a_bom() {
        let mut w = CsvWriter::new(true);
        w.row([Cell::from("김")]).unwrap();
        assert!(w.finish().unwrap().starts_with("\u{feff}".as_bytes()));
    }
}
