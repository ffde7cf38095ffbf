//! Reading and writing the pabulib `.pb` format.
//!
//! Reading follows pabutools 1.2.3 (`pabutools/election/pabulib.py`): UTF-8 with an optional BOM, lines split like
//! Python's `str.splitlines()`, rows split like Python's `csv.reader(delimiter=";")`, every field stripped, sections
//! `META` / `PROJECTS` / `VOTES` each followed by a header row, columns addressed by header name. What pabutools would
//! accept is accepted; what it would crash on (or silently misread) is rejected with the line number and the reason.
//!
//! Two readers share that code. [`read`] builds the whole [`Election`], every voter with its id and columns (for
//! checks, statistics, rewriting). [`read_for_counting`] keeps only what counting needs: the VOTES rows go straight
//! into a [`Profile`] (identical ballots merged as they are read, a vote text seen before not even re-parsed), so a
//! count does not pay for a hundred thousand voter records it never looks at. Both accept and reject exactly the same
//! files with the same errors. Reading is streaming: a chunk of the input in memory at a time plus what is built.
use crate::model::Election;
use crate::profile::Profile;
use std::fmt;
use std::io::{self, BufRead, BufReader, Read};
use std::path::Path;

mod lines;
mod sections;
mod write;

pub use lines::split_row;
pub use write::{number_text, write, write_string};

/// Why a file could not be read.
#[derive(Debug)]
pub enum ParseError {
    /// Reading the bytes failed.
    Io(io::Error),
    /// The content is not a valid `.pb` file: 1-based line number and reason.
    Invalid { line: usize, reason: String },
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ParseError::Io(e) => write!(f, "read error: {e}"),
            ParseError::Invalid { line, reason } => write!(f, "line {line}: {reason}"),
        }
    }
}
impl std::error::Error for ParseError {}
impl From<io::Error> for ParseError {
    fn from(e: io::Error) -> Self {
        ParseError::Io(e)
    }
}

pub(crate) fn invalid(line: usize, reason: impl Into<String>) -> ParseError {
    ParseError::Invalid {
        line,
        reason: reason.into(),
    }
}

/// Something pabutools accepts but a careful reader should know about (a repeated project in a vote, a repeated
/// voter id, a META count that does not match the data, …).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct ParseWarning {
    /// 1-based line number (0 for whole-file remarks).
    pub line: usize,
    /// What was noticed.
    pub message: String,
}

/// An election with the remarks made while reading it.
#[derive(Clone, Debug)]
pub struct Parsed {
    /// The election.
    pub election: Election,
    /// Remarks (never fatal).
    pub warnings: Vec<ParseWarning>,
}

/// An election read for counting: see [`read_for_counting`].
#[derive(Clone, Debug)]
pub struct Counted {
    /// The election as read, except that `voters` is empty: the VOTES rows were merged into `profile`.
    pub election: Election,
    /// The ballots, merged (every row a voter, as in pabutools).
    pub profile: Profile,
    /// Remarks about META and the file as a whole (remarks about single VOTES rows are made by [`read`] only).
    pub warnings: Vec<ParseWarning>,
}

/// Reads a `.pb` or `.pb.gz` file (gzip is detected from its magic bytes, not its name).
pub fn read_path(path: impl AsRef<Path>) -> Result<Parsed, ParseError> {
    read_unbuffered(std::fs::File::open(path.as_ref())?)
}

/// Reads a `.pb` election from bytes, gzip-compressed or not.
pub fn read<R: BufRead>(reader: R) -> Result<Parsed, ParseError> {
    let builder = decompressed(reader, |plain| {
        sections::Builder::read(plain, sections::Keep::Voters)
    })?;
    let (election, _, warnings) = builder;
    Ok(Parsed { election, warnings })
}

/// Reads everything from a reader that might not be buffered.
pub fn read_unbuffered<R: Read>(reader: R) -> Result<Parsed, ParseError> {
    read(BufReader::with_capacity(1 << 16, reader))
}

/// Reads an election from a string.
pub fn parse_str(text: &str) -> Result<Parsed, ParseError> {
    read(text.as_bytes())
}

/// Reads a `.pb` or `.pb.gz` file for counting (see [`read_for_counting`]).
pub fn read_path_for_counting(path: impl AsRef<Path>) -> Result<Counted, ParseError> {
    let file = std::fs::File::open(path.as_ref())?;
    read_for_counting(BufReader::with_capacity(1 << 16, file))
}

/// Reads an election for counting: the same checks and errors as [`read`], but the voters are not kept one by one;
/// their ballots are merged into a [`Profile`] as they are read (equal to `Profile::new` of what [`read`] returns).
pub fn read_for_counting<R: BufRead>(reader: R) -> Result<Counted, ParseError> {
    let (election, profile, warnings) = decompressed(reader, |plain| {
        sections::Builder::read(plain, sections::Keep::Profile)
    })?;
    Ok(Counted {
        election,
        profile: profile.expect("a counting read builds a profile"),
        warnings,
    })
}

fn decompressed<R: BufRead, T>(
    mut reader: R,
    then: impl FnOnce(&mut dyn Read) -> Result<T, ParseError>,
) -> Result<T, ParseError> {
    // The magic is the first two bytes however the input is cut into reads (a buffer may hold only one).
    let mut magic = [0u8; 2];
    let mut got = 0;
    while got < magic.len() {
        match reader.read(&mut magic[got..]) {
            Ok(0) => break,
            Ok(n) => got += n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e.into()),
        }
    }
    let mut whole = (&magic[..got]).chain(reader);
    if magic[..got] == [0x1f, 0x8b] {
        then(&mut flate2::bufread::MultiGzDecoder::new(whole))
    } else {
        then(&mut whole)
    }
}
