//! Lines and rows as pabutools sees them: the text is split like Python's `str.splitlines()`, each line like
//! `csv.reader(delimiter=";")`, every field stripped.
//!
//! The input is read in large chunks and split in place: a row without quotes becomes a list of byte ranges into the
//! chunk (no allocation per field); only rows with quotes are copied, unescaped. Lines are found with `memchr` on
//! `\n`; the one loop over a line's bytes that finds its `;` also notices the rare characters that make a line
//! special (a quote, or one of the other line breaks of Python), and only such a line takes the general path.
use super::{ParseError, invalid};
use std::io::{self, Read};

/// Bytes read at a time (a line longer than this makes the buffer grow).
const CHUNK: usize = 1 << 18;

/// Python's `str.splitlines()` also breaks on these (besides `\n` and `\r`).
pub(super) fn is_python_line_break(c: char) -> bool {
    matches!(
        c,
        '\r' | '\x0b' | '\x0c' | '\x1c' | '\x1d' | '\x1e' | '\u{85}' | '\u{2028}' | '\u{2029}'
    )
}

/// Calls `on_row(number, fields)` for every line of `reader` (1-based numbers, as an editor shows them when the file
/// uses `\n` or `\r\n`), after a leading UTF-8 byte-order mark; returns the number of lines. Invalid UTF-8 is an error
/// at its line, reported after the lines before it were handled (so an earlier error wins, as when reading line by
/// line); so is a quoted field left open at the end of its line.
pub(super) fn for_each_row<R: Read>(
    mut reader: R,
    mut on_row: impl FnMut(usize, Fields<'_>) -> Result<(), ParseError>,
) -> Result<usize, ParseError> {
    let mut rows = Rows::default();
    let mut buffer = vec![0u8; CHUNK];
    let mut filled = 0;
    let mut first = true;
    loop {
        if filled == buffer.len() {
            buffer.resize(buffer.len() * 2, 0);
        }
        let read = match reader.read(&mut buffer[filled..]) {
            Ok(read) => read,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e.into()),
        };
        filled += read;
        let end_of_input = read == 0;
        if first {
            if filled < 3 && !end_of_input {
                continue;
            }
            if buffer[..filled].starts_with(b"\xef\xbb\xbf") {
                buffer.copy_within(3..filled, 0);
                filled -= 3;
            }
            first = false;
        }
        let complete = if end_of_input {
            filled
        } else {
            match memchr::memrchr(b'\n', &buffer[..filled]) {
                Some(last) => last + 1,
                None => continue,
            }
        };
        rows.lines_of(&buffer[..complete], &mut on_row)?;
        buffer.copy_within(complete..filled, 0);
        filled -= complete;
        if end_of_input {
            return Ok(rows.line_number);
        }
    }
}

#[derive(Default)]
struct Rows {
    splitter: RowSplitter,
    line_number: usize,
}

impl Rows {
    /// Handles the complete lines of `bytes` (which ends with `\n`, or at the end of the input).
    fn lines_of(
        &mut self,
        bytes: &[u8],
        on_row: &mut impl FnMut(usize, Fields<'_>) -> Result<(), ParseError>,
    ) -> Result<(), ParseError> {
        let text = match std::str::from_utf8(bytes) {
            Ok(text) => text,
            Err(e) => {
                // Lines before the bad one are fine (a '\n' never occurs inside a UTF-8 sequence); then the error,
                // with the reason computed on the bad line alone (its own byte offsets).
                let start = memchr::memrchr(b'\n', &bytes[..e.valid_up_to()]).map_or(0, |i| i + 1);
                let good = std::str::from_utf8(&bytes[..start]).expect("valid up to here");
                self.lines_of_text(good, on_row)?;
                let end =
                    memchr::memchr(b'\n', &bytes[start..]).map_or(bytes.len(), |i| start + i + 1);
                let reason = std::str::from_utf8(&bytes[start..end])
                    .err()
                    .map_or_else(|| e.to_string(), |e| e.to_string());
                return Err(invalid(
                    self.line_number + 1,
                    format!("not valid UTF-8 ({reason})"),
                ));
            }
        };
        self.lines_of_text(text, on_row)
    }

    fn lines_of_text(
        &mut self,
        text: &str,
        on_row: &mut impl FnMut(usize, Fields<'_>) -> Result<(), ParseError>,
    ) -> Result<(), ParseError> {
        let bytes = text.as_bytes();
        let mut start = 0;
        while start < bytes.len() {
            let end = memchr::memchr(b'\n', &bytes[start..]).map_or(bytes.len(), |i| start + i);
            let line = &text[start..end];
            start = end + 1;
            let line = line.strip_suffix('\r').unwrap_or(line);
            let number = self.line_number + 1;
            match self.splitter.scan(line, true) {
                Ok(Some(fields)) => {
                    self.line_number = number;
                    on_row(number, fields)?;
                }
                Ok(None) => {
                    for piece in line.split(is_python_line_break) {
                        self.line_number += 1;
                        let fields = self
                            .splitter
                            .split(piece)
                            .map_err(|reason| invalid(self.line_number, reason))?;
                        on_row(self.line_number, fields)?;
                    }
                }
                Err(reason) => return Err(invalid(number, reason)),
            }
        }
        Ok(())
    }
}

/// True when Python would break `line` (already cut at `\n` and stripped of one final `\r`) further: at `\r`,
/// `\x0b \x0c \x1c \x1d \x1e`, U+0085 (`C2 85`), U+2028 or U+2029 (`E2 80 A8/A9`).
fn has_other_line_breaks(line: &[u8]) -> bool {
    line.iter().enumerate().any(|(i, &b)| match b {
        b'\r' | 0x0b | 0x0c | 0x1c..=0x1e => true,
        0xc2 => line.get(i + 1) == Some(&0x85),
        0xe2 => line.get(i + 1) == Some(&0x80) && matches!(line.get(i + 2), Some(0xa8 | 0xa9)),
        _ => false,
    })
}

/// Bit tricks on eight bytes at a time ("SIMD within a register").
mod swar {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    const LOW7: u64 = 0x7f7f_7f7f_7f7f_7f7f;

    /// The high bit of each byte of `word` that equals `byte` (exact: no carries between bytes).
    #[inline]
    pub(super) fn equal(word: u64, byte: u8) -> u64 {
        let x = word ^ (ONES * u64::from(byte));
        !(((x & LOW7) + LOW7) | x | LOW7)
    }

    /// Whether some byte of `word` is 0x80 or more (not ASCII).
    #[inline]
    pub(super) fn any_high(word: u64) -> bool {
        word & HIGH != 0
    }

    /// Whether some byte of `word` is below `n` (exact as a yes/no answer for n ≤ 128).
    #[inline]
    pub(super) fn any_below(word: u64, n: u8) -> bool {
        word.wrapping_sub(ONES * u64::from(n)) & !word & HIGH != 0
    }
}

/// The fields of one row: byte ranges of stripped fields into `text` (the line itself, or the unescaped copy of a
/// row with quotes).
pub(super) struct Fields<'a> {
    text: &'a str,
    spans: &'a [(u32, u32)],
}

impl<'a> Fields<'a> {
    pub(super) fn len(&self) -> usize {
        self.spans.len()
    }

    pub(super) fn get(&self, index: usize) -> &'a str {
        let (start, end) = self.spans[index];
        &self.text[start as usize..end as usize]
    }

    pub(super) fn iter(&self) -> impl Iterator<Item = &'a str> + '_ {
        (0..self.len()).map(|i| self.get(i))
    }
}

/// Reusable storage for splitting rows.
#[derive(Default)]
pub(super) struct RowSplitter {
    spans: Vec<(u32, u32)>,
    unescaped: String,
}

/// The range of `text[start..end]` once stripped like `str::trim` (the fast check covers the usual unpadded field).
#[inline]
fn stripped(text: &str, start: usize, end: usize) -> (u32, u32) {
    let bytes = &text.as_bytes()[start..end];
    let plain = |b: &u8| b.is_ascii_graphic();
    if bytes.first().is_none_or(plain) && bytes.last().is_none_or(plain) {
        return (start as u32, end as u32);
    }
    let field = &text[start..end];
    let trimmed = field.trim();
    let offset = trimmed.as_ptr() as usize - field.as_ptr() as usize;
    (
        (start + offset) as u32,
        (start + offset + trimmed.len()) as u32,
    )
}

impl RowSplitter {
    /// Splits a line like Python's `csv.reader(delimiter=";")` (non-strict, double quotes): a field that starts
    /// with `"` runs to the closing quote and may contain `;`; `""` inside is a quote; text after a closing quote is
    /// kept; a `"` inside an unquoted field is a literal character. Fields are then stripped. An empty line has no
    /// fields.
    pub(super) fn split<'a>(&'a mut self, line: &'a str) -> Result<Fields<'a>, &'static str> {
        Ok(self
            .scan(line, false)?
            .expect("line breaks are not looked for"))
    }

    /// [`RowSplitter::split`], or `None` when `find_breaks` and the line holds a line break of Python's other
    /// than `\n` (the caller then splits it into lines first). One pass over the line, eight bytes at a time: the
    /// `;` found give the fields; a `"` sends the line to the quote-aware splitter; a byte that can start another
    /// line break sends it to the exact check.
    pub(super) fn scan<'a>(
        &'a mut self,
        line: &'a str,
        find_breaks: bool,
    ) -> Result<Option<Fields<'a>>, &'static str> {
        self.spans.clear();
        if line.len() > u32::MAX as usize {
            return Err("a line longer than 4 GiB");
        }
        if line.is_empty() {
            return Ok(Some(Fields {
                text: line,
                spans: &self.spans,
            }));
        }
        let bytes = line.as_bytes();
        let (mut start, mut quoted, mut maybe_break) = (0, false, false);
        let mut at = 0;
        while at < bytes.len() {
            // The last word is padded with spaces (neither a separator nor a quote nor the start of a break).
            let word = match bytes.get(at..at + 8) {
                Some(eight) => u64::from_le_bytes(eight.try_into().expect("eight bytes")),
                None => {
                    let mut padded = [b' '; 8];
                    padded[..bytes.len() - at].copy_from_slice(&bytes[at..]);
                    u64::from_le_bytes(padded)
                }
            };
            maybe_break |= swar::any_below(word, 0x1f)
                || (swar::any_high(word)
                    && (swar::equal(word, 0xc2) | swar::equal(word, 0xe2)) != 0);
            quoted |= swar::equal(word, b'"') != 0;
            let mut separators = swar::equal(word, b';');
            while separators != 0 {
                let end = at + (separators.trailing_zeros() / 8) as usize;
                self.spans.push(stripped(line, start, end));
                start = end + 1;
                separators &= separators - 1;
            }
            at += 8;
        }
        if find_breaks && maybe_break && has_other_line_breaks(bytes) {
            return Ok(None);
        }
        if !quoted {
            self.spans.push(stripped(line, start, line.len()));
            return Ok(Some(Fields {
                text: line,
                spans: &self.spans,
            }));
        }
        self.spans.clear();
        self.split_quoted(line)?;
        Ok(Some(Fields {
            text: &self.unescaped,
            spans: &self.spans,
        }))
    }

    fn split_quoted(&mut self, line: &str) -> Result<(), &'static str> {
        #[derive(PartialEq)]
        enum State {
            StartField,
            Unquoted,
            Quoted,
            QuoteInQuoted,
        }
        let out = &mut self.unescaped;
        out.clear();
        let mut field_start = 0;
        let mut ends: Vec<(usize, usize)> = Vec::new();
        let mut state = State::StartField;
        for c in line.chars() {
            let mut end_field = false;
            match state {
                State::StartField => match c {
                    '"' => state = State::Quoted,
                    ';' => end_field = true,
                    _ => {
                        out.push(c);
                        state = State::Unquoted;
                    }
                },
                State::Unquoted => {
                    if c == ';' {
                        end_field = true;
                    } else {
                        out.push(c);
                    }
                }
                State::Quoted => {
                    if c == '"' {
                        state = State::QuoteInQuoted;
                    } else {
                        out.push(c);
                    }
                }
                State::QuoteInQuoted => match c {
                    '"' => {
                        out.push('"');
                        state = State::Quoted;
                    }
                    ';' => end_field = true,
                    _ => {
                        out.push(c);
                        state = State::Unquoted;
                    }
                },
            }
            if end_field {
                ends.push((field_start, out.len()));
                field_start = out.len();
                state = State::StartField;
            }
        }
        if state == State::Quoted {
            // Python's csv would swallow the following lines into this field; no real file does that on purpose.
            return Err("a quoted field is not closed on its line");
        }
        ends.push((field_start, out.len()));
        let text: &str = out;
        self.spans.extend(
            ends.into_iter()
                .map(|(start, end)| stripped(text, start, end)),
        );
        Ok(())
    }
}

/// Splits one line into owned, stripped fields (see [`RowSplitter::split`]).
pub fn split_row(line: &str) -> Result<Vec<String>, &'static str> {
    let mut splitter = RowSplitter::default();
    let fields = splitter.split(line)?;
    Ok(fields.iter().map(str::to_string).collect())
}
