//! Reading and writing the pabulib `.pb` format.
//!
//! Reading follows pabutools 1.2.3 (`pabutools/election/pabulib.py`): UTF-8 with an optional BOM, lines split like
//! Python's `str.splitlines()`, rows split like Python's `csv.reader(delimiter=";")`, every field stripped, sections
//! `META` / `PROJECTS` / `VOTES` each followed by a header row, columns addressed by header name. What pabutools would
//! accept is accepted; what it would crash on (or silently misread) is rejected with the line number and the reason.
//! The reader is streaming: one line in memory at a time plus the election being built.
use crate::model::{
    Ballot, BallotConstraints, CONSTRAINT_KEYS, Election, Project, VoteType, Voter,
};
use crate::rational::{NumberError, Q, shorten};
use std::collections::HashMap;
use std::fmt;
use std::io::{self, BufRead, BufReader, Read, Write};
use std::path::Path;

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

/// Something pabutools accepts but a careful reader should know about (a repeated project in a vote, a META count
/// that does not match the data, …).
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

#[derive(Clone, Copy, PartialEq, Eq)]
enum Section {
    None,
    Meta,
    Projects,
    Votes,
}

/// Reads a `.pb` or `.pb.gz` file (gzip is detected from its magic bytes, not its name).
pub fn read_path(path: impl AsRef<Path>) -> Result<Parsed, ParseError> {
    let file = std::fs::File::open(path.as_ref())?;
    read(BufReader::with_capacity(1 << 16, file))
}

/// Reads a `.pb` election from bytes, gzip-compressed or not.
pub fn read<R: BufRead>(mut reader: R) -> Result<Parsed, ParseError> {
    let head = reader.fill_buf()?;
    if head.starts_with(&[0x1f, 0x8b]) {
        let decoder = flate2::bufread::MultiGzDecoder::new(reader);
        read_plain(BufReader::with_capacity(1 << 16, decoder))
    } else {
        read_plain(reader)
    }
}

/// Reads an election from a string.
pub fn parse_str(text: &str) -> Result<Parsed, ParseError> {
    read_plain(text.as_bytes())
}

struct Builder {
    section: Section,
    expect_header: bool,
    meta: Vec<(String, String)>,
    meta_lines: HashMap<String, usize>,
    budget: Option<Q>,
    vote_type: Option<VoteType>,
    constraints: BallotConstraints,
    project_columns: Vec<String>,
    projects: Vec<Project>,
    project_index: HashMap<String, usize>,
    vote_columns: Vec<String>,
    vote_column_of_id: usize,
    vote_column_of_vote: usize,
    vote_column_of_points: Option<usize>,
    voters: Vec<Voter>,
    /// Line of each VOTES row (to name repeated voter ids).
    voter_lines: Vec<usize>,
    /// Per project: (row stamp, place on the current ballot), to find repeated projects in a vote in linear time.
    project_slot: Vec<(u32, usize)>,
    row_stamp: u32,
    warnings: Vec<ParseWarning>,
    seen_projects_section: bool,
}

fn invalid(line: usize, reason: impl Into<String>) -> ParseError {
    ParseError::Invalid {
        line,
        reason: reason.into(),
    }
}

/// Python's `str.splitlines()` also breaks on these (besides `\n` and `\r`).
fn is_python_line_break(c: char) -> bool {
    matches!(
        c,
        '\r' | '\x0b' | '\x0c' | '\x1c' | '\x1d' | '\x1e' | '\u{85}' | '\u{2028}' | '\u{2029}'
    )
}

fn read_plain<R: BufRead>(mut reader: R) -> Result<Parsed, ParseError> {
    let mut builder = Builder::new();
    let mut buffer = Vec::with_capacity(256);
    let mut line_number = 0usize;
    let mut first = true;
    loop {
        buffer.clear();
        let read = reader.read_until(b'\n', &mut buffer)?;
        if read == 0 {
            break;
        }
        let mut bytes = buffer.as_slice();
        if first {
            bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
            first = false;
        }
        let text = match std::str::from_utf8(bytes) {
            Ok(text) => text,
            Err(e) => return Err(invalid(line_number + 1, format!("not valid UTF-8 ({e})"))),
        };
        let text = text.strip_suffix('\n').unwrap_or(text);
        let text = text.strip_suffix('\r').unwrap_or(text);
        for piece in text.split(is_python_line_break) {
            line_number += 1;
            builder.line(line_number, piece)?;
        }
    }
    builder.finish(line_number)
}

/// Splits one line like Python's `csv.reader(delimiter=";")` (non-strict, double quotes): a field that starts with
/// `"` runs to the closing quote and may contain `;`; `""` inside is a quote; text after a closing quote is kept; a
/// `"` inside an unquoted field is a literal character. Fields are then stripped.
pub fn split_row(line: &str) -> Result<Vec<String>, &'static str> {
    #[derive(PartialEq)]
    enum State {
        StartField,
        Unquoted,
        Quoted,
        QuoteInQuoted,
    }
    let mut fields = Vec::new();
    if line.is_empty() {
        return Ok(fields);
    }
    let mut field = String::new();
    let mut state = State::StartField;
    for c in line.chars() {
        match state {
            State::StartField => match c {
                '"' => state = State::Quoted,
                ';' => fields.push(String::new()),
                _ => {
                    field.push(c);
                    state = State::Unquoted;
                }
            },
            State::Unquoted => {
                if c == ';' {
                    fields.push(std::mem::take(&mut field));
                    state = State::StartField;
                } else {
                    field.push(c);
                }
            }
            State::Quoted => {
                if c == '"' {
                    state = State::QuoteInQuoted;
                } else {
                    field.push(c);
                }
            }
            State::QuoteInQuoted => match c {
                '"' => {
                    field.push('"');
                    state = State::Quoted;
                }
                ';' => {
                    fields.push(std::mem::take(&mut field));
                    state = State::StartField;
                }
                _ => {
                    field.push(c);
                    state = State::Unquoted;
                }
            },
        }
    }
    if state == State::Quoted {
        // Python's csv would swallow the following lines into this field; no real file does that on purpose.
        return Err("a quoted field is not closed on its line");
    }
    fields.push(field);
    Ok(fields.into_iter().map(|f| f.trim().to_string()).collect())
}

fn parse_number(text: &str) -> Result<Q, NumberError> {
    // pabutools replaces a decimal comma by a point before reading the number.
    if text.contains(',') {
        text.replace(',', ".").parse()
    } else {
        text.parse()
    }
}

impl Builder {
    fn new() -> Self {
        Builder {
            section: Section::None,
            expect_header: false,
            meta: Vec::new(),
            meta_lines: HashMap::new(),
            budget: None,
            vote_type: None,
            constraints: BallotConstraints::default(),
            project_columns: Vec::new(),
            projects: Vec::new(),
            project_index: HashMap::new(),
            vote_columns: Vec::new(),
            vote_column_of_id: 0,
            vote_column_of_vote: 0,
            vote_column_of_points: None,
            voters: Vec::new(),
            voter_lines: Vec::new(),
            project_slot: Vec::new(),
            row_stamp: 0,
            warnings: Vec::new(),
            seen_projects_section: false,
        }
    }

    fn warn(&mut self, line: usize, message: String) {
        self.warnings.push(ParseWarning { line, message });
    }

    fn line(&mut self, line: usize, text: &str) -> Result<(), ParseError> {
        let fields = split_row(text).map_err(|reason| invalid(line, reason))?;
        if fields.iter().all(|f| f.is_empty()) {
            return Ok(());
        }
        let first = fields[0].to_lowercase();
        let section = match first.as_str() {
            "meta" => Some(Section::Meta),
            "projects" => Some(Section::Projects),
            "votes" => Some(Section::Votes),
            _ => None,
        };
        if let Some(section) = section {
            self.start_section(line, section)?;
            return Ok(());
        }
        if self.expect_header {
            self.expect_header = false;
            return self.header(line, fields);
        }
        match self.section {
            Section::None => Err(invalid(
                line,
                "content before the first section (META, PROJECTS or VOTES)",
            )),
            Section::Meta => self.meta_row(line, fields),
            Section::Projects => self.project_row(line, fields),
            Section::Votes => self.vote_row(line, fields),
        }
    }

    fn start_section(&mut self, line: usize, section: Section) -> Result<(), ParseError> {
        match section {
            Section::Projects => {
                if self.seen_projects_section {
                    return Err(invalid(line, "a second PROJECTS section"));
                }
                self.seen_projects_section = true;
            }
            Section::Votes => {
                if !self.seen_projects_section {
                    return Err(invalid(line, "VOTES section before the PROJECTS section"));
                }
                if !self.vote_columns.is_empty() {
                    return Err(invalid(line, "a second VOTES section"));
                }
                if self.budget.is_none() {
                    return Err(invalid(line, "VOTES section before META `budget`"));
                }
                if self.vote_type.is_none() {
                    return Err(invalid(line, "VOTES section before META `vote_type`"));
                }
            }
            _ => {}
        }
        self.section = section;
        self.expect_header = true;
        Ok(())
    }

    fn header(&mut self, line: usize, fields: Vec<String>) -> Result<(), ParseError> {
        let position = |name: &str| fields.iter().position(|f| f == name);
        match self.section {
            Section::Meta => Ok(()),
            Section::Projects => {
                if position("project_id") != Some(0) {
                    return Err(invalid(
                        line,
                        "the PROJECTS header must start with `project_id`",
                    ));
                }
                if position("cost").is_none() {
                    return Err(invalid(line, "the PROJECTS header has no `cost` column"));
                }
                self.project_columns = fields;
                Ok(())
            }
            Section::Votes => {
                if position("voter_id") != Some(0) {
                    return Err(invalid(line, "the VOTES header must start with `voter_id`"));
                }
                self.vote_column_of_id = 0;
                self.vote_column_of_vote = position("vote")
                    .ok_or_else(|| invalid(line, "the VOTES header has no `vote` column"))?;
                self.vote_column_of_points = position("points");
                let vote_type = self.vote_type.expect("checked when VOTES started");
                if vote_type.has_points() && self.vote_column_of_points.is_none() {
                    return Err(invalid(
                        line,
                        format!("{} ballots need a `points` column", vote_type.as_str()),
                    ));
                }
                self.vote_columns = fields;
                Ok(())
            }
            Section::None => unreachable!("a header follows a section row"),
        }
    }

    fn meta_row(&mut self, line: usize, fields: Vec<String>) -> Result<(), ParseError> {
        if fields.len() < 2 {
            return Err(invalid(
                line,
                format!(
                    "META row {:?} has no value (expected `key;value`)",
                    fields[0]
                ),
            ));
        }
        let mut fields = fields.into_iter();
        let key = fields.next().unwrap_or_default();
        let value = fields.next().unwrap_or_default();
        let bad = |what: &str| {
            invalid(
                line,
                format!("META `{key}`: {:?} is not {what}", shorten(&value)),
            )
        };
        let number = |value: &str| {
            parse_number(value).map_err(|e| invalid(line, format!("META `{key}`: {e}")))
        };
        match key.as_str() {
            "budget" => {
                let budget = number(&value)?;
                if budget.is_negative() {
                    return Err(bad("a non-negative number"));
                }
                self.budget = Some(budget);
            }
            "vote_type" => {
                self.vote_type = Some(VoteType::parse(&value).ok_or_else(|| {
                    bad("a known vote type (approval, choose-1, cumulative, scoring, ordinal)")
                })?);
            }
            "min_length" | "max_length" => {
                let count = number(&value)?;
                if !count.is_integer() || count.is_negative() {
                    return Err(bad("a whole number"));
                }
                let count = count.to_f64() as u64;
                if key == "min_length" {
                    self.constraints.min_length = Some(count);
                } else {
                    self.constraints.max_length = Some(count);
                }
            }
            k if CONSTRAINT_KEYS.contains(&k) => {
                let number = number(&value)?;
                let slot = match k {
                    "min_sum_cost" => &mut self.constraints.min_sum_cost,
                    "max_sum_cost" => &mut self.constraints.max_sum_cost,
                    "min_points" => &mut self.constraints.min_points,
                    "max_points" => &mut self.constraints.max_points,
                    "min_sum_points" => &mut self.constraints.min_sum_points,
                    _ => &mut self.constraints.max_sum_points,
                };
                *slot = Some(number);
            }
            _ => {}
        }
        if self.meta_lines.insert(key.clone(), line).is_some() {
            self.warn(
                line,
                format!("META `{key}` given twice; the last value counts"),
            );
        }
        self.meta.push((key, value));
        Ok(())
    }

    fn project_row(&mut self, line: usize, fields: Vec<String>) -> Result<(), ParseError> {
        let expected = self.project_columns.len();
        if fields.len() < expected {
            return Err(invalid(
                line,
                format!(
                    "project row has {} fields, the header has {expected}",
                    fields.len()
                ),
            ));
        }
        if fields.len() > expected {
            self.warn(
                line,
                format!(
                    "project row has {} fields, the header {expected}; extra fields ignored",
                    fields.len()
                ),
            );
        }
        let columns = &self.project_columns;
        let id = fields[0].clone();
        if id.is_empty() {
            return Err(invalid(line, "empty project_id"));
        }
        let mut cost = None;
        let mut extra = Vec::with_capacity(columns.len().saturating_sub(2));
        for (column, value) in columns.iter().zip(fields).skip(1) {
            if column == "cost" {
                let parsed = parse_number(&value)
                    .map_err(|e| invalid(line, format!("project {:?}: cost {e}", shorten(&id))))?;
                if parsed.is_negative() {
                    return Err(invalid(
                        line,
                        format!("project {id:?}: negative cost {value}"),
                    ));
                }
                cost = Some(parsed);
            } else {
                extra.push((column.clone(), value));
            }
        }
        if self
            .project_index
            .insert(id.clone(), self.projects.len())
            .is_some()
        {
            return Err(invalid(line, format!("project {id:?} is listed twice")));
        }
        let cost = cost.expect("header has a cost column");
        self.projects.push(Project {
            id,
            cost,
            fields: extra,
        });
        Ok(())
    }

    fn vote_row(&mut self, line: usize, fields: Vec<String>) -> Result<(), ParseError> {
        let expected = self.vote_columns.len();
        if fields.len() < expected {
            return Err(invalid(
                line,
                format!(
                    "vote row has {} fields, the header has {expected}",
                    fields.len()
                ),
            ));
        }
        if fields.len() > expected {
            self.warn(
                line,
                format!(
                    "vote row has {} fields, the header {expected}; extra fields ignored",
                    fields.len()
                ),
            );
        }
        let vote_type = self.vote_type.expect("checked when VOTES started");
        let voter_id = fields[self.vote_column_of_id].clone();
        let ids: Vec<&str> = fields[self.vote_column_of_vote]
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .collect();
        // Each id's project, then the place of its first mention on this ballot (`slots`, in first-mention order):
        // a per-project stamp makes finding repeats linear in the length of the list.
        self.row_stamp = self.row_stamp.wrapping_add(1);
        if self.project_slot.len() != self.projects.len() {
            self.project_slot = vec![(0, 0); self.projects.len()];
            self.row_stamp = 1;
        }
        let mut slots: Vec<usize> = Vec::with_capacity(ids.len());
        let mut distinct = 0usize;
        for id in &ids {
            let Some(&project) = self.project_index.get(*id) else {
                return Err(invalid(
                    line,
                    format!("voter {voter_id:?} votes for unknown project {id:?}"),
                ));
            };
            let (stamp, slot) = &mut self.project_slot[project];
            if *stamp != self.row_stamp {
                (*stamp, *slot) = (self.row_stamp, distinct);
                distinct += 1;
            }
            slots.push(*slot);
        }
        let repeated = distinct < ids.len();
        let ballot = if vote_type.has_points() {
            let column = self.vote_column_of_points.expect("checked in header");
            let pieces: Vec<&str> = fields[column]
                .split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .collect();
            if pieces.len() < ids.len() {
                return Err(invalid(
                    line,
                    format!(
                        "voter {voter_id:?}: {} projects but {} points",
                        ids.len(),
                        pieces.len()
                    ),
                ));
            }
            // pabutools stores points in a dict: a repeated project keeps its last points, in its first place.
            let mut entries: Vec<(String, Q)> = Vec::with_capacity(distinct);
            for ((id, piece), &slot) in ids.iter().zip(&pieces).zip(&slots) {
                let points = parse_number(piece).map_err(|e| {
                    invalid(line, format!("voter {:?}: points {e}", shorten(&voter_id)))
                })?;
                if slot == entries.len() {
                    entries.push((id.to_string(), points));
                } else {
                    entries[slot].1 = points;
                }
            }
            if vote_type == VoteType::Cumulative {
                Ballot::Cumulative(entries)
            } else {
                Ballot::Scoring(entries)
            }
        } else {
            // Approval is a set and ordinal keeps a project's first position: either way, drop later repeats.
            let mut kept: Vec<String> = Vec::with_capacity(distinct);
            for (id, &slot) in ids.iter().zip(&slots) {
                if slot == kept.len() {
                    kept.push(id.to_string());
                }
            }
            if vote_type == VoteType::Ordinal {
                Ballot::Ordinal(kept)
            } else {
                Ballot::Approval(kept)
            }
        };
        if repeated {
            self.warn(
                line,
                format!("voter {voter_id:?} lists a project more than once; counted once"),
            );
        }
        let skip = [
            Some(self.vote_column_of_id),
            Some(self.vote_column_of_vote),
            self.vote_column_of_points,
        ];
        let extra: Vec<(String, String)> = self
            .vote_columns
            .iter()
            .zip(fields)
            .enumerate()
            .filter(|(i, _)| !skip.contains(&Some(*i)))
            .map(|(_, (column, value))| (column.clone(), value))
            .collect();
        self.voter_lines.push(line);
        self.voters.push(Voter {
            id: voter_id,
            ballot,
            fields: extra,
        });
        Ok(())
    }

    /// pabutools counts every VOTES row as a voter, whatever its `voter_id`; so does the engine, but a repeated id is
    /// worth a remark (one per id, at its second row).
    fn warn_repeated_voter_ids(&mut self) {
        let mut rows_of: HashMap<&str, (usize, usize)> = HashMap::new();
        for (index, voter) in self.voters.iter().enumerate() {
            let entry = rows_of.entry(voter.id.as_str()).or_insert((index, 0));
            entry.1 += 1;
        }
        let mut repeated: Vec<(usize, usize, usize)> = Vec::new();
        for (index, voter) in self.voters.iter().enumerate() {
            if let Some(&(first, count)) = rows_of.get(voter.id.as_str())
                && count > 1
                && index != first
            {
                repeated.push((index, first, count));
                rows_of.remove(voter.id.as_str());
            }
        }
        for (index, first, count) in repeated {
            let message = format!(
                "voter_id {:?} is on {count} rows (first on line {}); every row counts as a voter, as in pabutools",
                shorten(&self.voters[index].id),
                self.voter_lines[first]
            );
            self.warn(self.voter_lines[index], message);
        }
    }

    fn finish(mut self, last_line: usize) -> Result<Parsed, ParseError> {
        let end = last_line.max(1);
        let budget = self
            .budget
            .clone()
            .ok_or_else(|| invalid(end, "META has no `budget`"))?;
        let vote_type = self
            .vote_type
            .ok_or_else(|| invalid(end, "META has no `vote_type`"))?;
        if !self.seen_projects_section {
            return Err(invalid(end, "no PROJECTS section"));
        }
        if self.vote_columns.is_empty() {
            return Err(invalid(end, "no VOTES section"));
        }
        for (key, actual) in [
            ("num_projects", self.projects.len()),
            ("num_votes", self.voters.len()),
        ] {
            if let Some((_, value)) = self.meta.iter().rev().find(|(k, _)| k == key)
                && value.parse::<usize>().ok() != Some(actual)
            {
                let line = self.meta_lines.get(key).copied().unwrap_or(0);
                self.warn(
                    line,
                    format!("META `{key}` says {value} but the file has {actual}"),
                );
            }
        }
        self.warn_repeated_voter_ids();
        Ok(Parsed {
            election: Election {
                meta: self.meta,
                budget,
                vote_type,
                constraints: self.constraints,
                project_columns: self.project_columns,
                projects: self.projects,
                vote_columns: self.vote_columns,
                voters: self.voters,
            },
            warnings: self.warnings,
        })
    }
}

/// Quotes a field when the reader would otherwise split or alter it.
fn quote(field: &str) -> io::Result<String> {
    if field.chars().any(|c| c == '\n' || is_python_line_break(c)) {
        return Err(io::Error::new(
            io::ErrorKind::InvalidData,
            format!("field {field:?} contains a line break"),
        ));
    }
    if field.contains(';') || field.starts_with('"') {
        Ok(format!("\"{}\"", field.replace('"', "\"\"")))
    } else {
        Ok(field.to_string())
    }
}

/// Exact decimal text when the value has one (`1607513.56`), else `p/q`; both read back to the same number.
pub fn number_text(value: &Q) -> String {
    for places in 0..=12u32 {
        let text = value.to_decimal_string(places);
        if text.parse::<Q>().ok().as_ref() == Some(value) {
            return text;
        }
    }
    value.to_string()
}

fn write_row<W: Write>(out: &mut W, fields: &[&str]) -> io::Result<()> {
    let mut line = String::new();
    for (i, field) in fields.iter().enumerate() {
        if i > 0 {
            line.push(';');
        }
        line.push_str(&quote(field)?);
    }
    line.push('\n');
    out.write_all(line.as_bytes())
}

fn join_ids<'a>(ids: impl Iterator<Item = &'a str>) -> io::Result<String> {
    let ids: Vec<&str> = ids.collect();
    if let Some(bad) = ids.iter().find(|id| id.contains(',')) {
        return Err(io::Error::new(
            io::ErrorKind::InvalidData,
            format!("project id {bad:?} contains a comma"),
        ));
    }
    Ok(ids.join(","))
}

/// Writes an election in the `.pb` format; reading the output gives back an equal [`Election`].
pub fn write<W: Write>(election: &Election, out: &mut W) -> io::Result<()> {
    out.write_all(b"META\n")?;
    write_row(out, &["key", "value"])?;
    for (key, value) in &election.meta {
        write_row(out, &[key, value])?;
    }
    out.write_all(b"PROJECTS\n")?;
    let columns: Vec<&str> = election
        .project_columns
        .iter()
        .map(String::as_str)
        .collect();
    write_row(out, &columns)?;
    for project in &election.projects {
        let cost = number_text(&project.cost);
        let row: Vec<&str> = columns
            .iter()
            .map(|column| match *column {
                "project_id" => project.id.as_str(),
                "cost" => cost.as_str(),
                other => project
                    .fields
                    .iter()
                    .find(|(k, _)| k == other)
                    .map(|(_, v)| v.as_str())
                    .unwrap_or(""),
            })
            .collect();
        write_row(out, &row)?;
    }
    out.write_all(b"VOTES\n")?;
    let columns: Vec<&str> = election.vote_columns.iter().map(String::as_str).collect();
    write_row(out, &columns)?;
    for voter in &election.voters {
        let vote = join_ids(voter.ballot.project_ids().into_iter())?;
        let points = voter
            .ballot
            .points()
            .map(|points| {
                points
                    .iter()
                    .map(|p| number_text(p))
                    .collect::<Vec<_>>()
                    .join(",")
            })
            .unwrap_or_default();
        let row: Vec<&str> = columns
            .iter()
            .map(|column| match *column {
                "voter_id" => voter.id.as_str(),
                "vote" => vote.as_str(),
                "points" => points.as_str(),
                other => voter
                    .fields
                    .iter()
                    .find(|(k, _)| k == other)
                    .map(|(_, v)| v.as_str())
                    .unwrap_or(""),
            })
            .collect();
        write_row(out, &row)?;
    }
    Ok(())
}

/// Writes an election to a string.
pub fn write_string(election: &Election) -> io::Result<String> {
    let mut out = Vec::new();
    write(election, &mut out)?;
    String::from_utf8(out).map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))
}

/// Reads everything from a reader that might not be buffered.
pub fn read_unbuffered<R: Read>(reader: R) -> Result<Parsed, ParseError> {
    read(BufReader::with_capacity(1 << 16, reader))
}
