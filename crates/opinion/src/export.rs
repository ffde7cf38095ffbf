//! Reader for Pol.is conversation exports (`comments.csv`, `votes.csv`, `participants-votes.csv`).
//!
//! Columns are found by header name, so both export generations (with or without `datetime`, `xid`, `is-meta`,
//! `group-informed-consensus`) are read. Every error names the file and, when it comes from a row, the line.

use std::fmt;
use std::io::Read;
use std::path::{Path, PathBuf};

use crate::model::{
    Conversation, Moderation, ParticipantId, Statement, StatementId, Vote, VoteEvent,
};

/// A malformed or missing export file.
#[derive(Debug, Clone, PartialEq)]
pub struct ExportError {
    pub file: PathBuf,
    /// 1-based line of the offending record, when the error comes from a record.
    pub line: Option<u64>,
    pub message: String,
}

impl fmt::Display for ExportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{}: {}", self.file.display(), line, self.message),
            None => write!(f, "{}: {}", self.file.display(), self.message),
        }
    }
}

impl std::error::Error for ExportError {}

struct CsvTable<R: Read> {
    file: PathBuf,
    reader: csv::Reader<R>,
    headers: Vec<String>,
}

impl<R: Read> CsvTable<R> {
    fn new(file: &Path, source: R) -> Result<Self, ExportError> {
        let mut reader = csv::ReaderBuilder::new()
            .flexible(false)
            .from_reader(source);
        let headers = reader
            .headers()
            .map_err(|e| csv_error(file, &e))?
            .iter()
            .map(|h| h.trim().to_string())
            .collect();
        Ok(CsvTable {
            file: file.to_path_buf(),
            reader,
            headers,
        })
    }

    fn column(&self, name: &str) -> Option<usize> {
        self.headers.iter().position(|h| h == name)
    }

    fn required_column(&self, name: &str) -> Result<usize, ExportError> {
        self.column(name).ok_or_else(|| ExportError {
            file: self.file.clone(),
            line: Some(1),
            message: format!("missing column `{name}` in header {:?}", self.headers),
        })
    }

    /// Calls `visit` with each record and its 1-based line.
    fn for_each_record(
        &mut self,
        mut visit: impl FnMut(&csv::StringRecord, u64) -> Result<(), String>,
    ) -> Result<(), ExportError> {
        let mut record = csv::StringRecord::new();
        loop {
            match self.reader.read_record(&mut record) {
                Ok(false) => return Ok(()),
                Ok(true) => {
                    let line = record.position().map_or(0, |p| p.line());
                    visit(&record, line).map_err(|message| ExportError {
                        file: self.file.clone(),
                        line: Some(line),
                        message,
                    })?;
                }
                Err(e) => return Err(csv_error(&self.file, &e)),
            }
        }
    }
}

fn csv_error(file: &Path, error: &csv::Error) -> ExportError {
    let line = error.position().map(|p| p.line());
    ExportError {
        file: file.to_path_buf(),
        line,
        message: error.to_string(),
    }
}

fn field<'r>(record: &'r csv::StringRecord, index: usize, name: &str) -> Result<&'r str, String> {
    record
        .get(index)
        .map(str::trim)
        .ok_or_else(|| format!("missing field `{name}`"))
}

fn parse_int(record: &csv::StringRecord, index: usize, name: &str) -> Result<i64, String> {
    let text = field(record, index, name)?;
    // Some exporters write integral numbers as floats ("1594984322740.0").
    text.parse::<i64>()
        .or_else(|_| match text.parse::<f64>() {
            Ok(v) if v.fract() == 0.0 && v.is_finite() => Ok(v as i64),
            _ => Err(()),
        })
        .map_err(|_| format!("field `{name}` is not an integer: {text:?}"))
}

fn parse_id(record: &csv::StringRecord, index: usize, name: &str) -> Result<u64, String> {
    let value = parse_int(record, index, name)?;
    u64::try_from(value).map_err(|_| format!("field `{name}` is negative: {value}"))
}

fn parse_bool(text: &str, name: &str) -> Result<bool, String> {
    match text {
        "true" | "TRUE" | "True" | "1" => Ok(true),
        "false" | "FALSE" | "False" | "0" | "" => Ok(false),
        other => Err(format!("field `{name}` is not a boolean: {other:?}")),
    }
}

/// Reads `comments.csv` (either export generation).
pub fn read_comments<R: Read>(file: &Path, source: R) -> Result<Vec<Statement>, ExportError> {
    let mut table = CsvTable::new(file, source)?;
    let id_col = table.required_column("comment-id")?;
    let moderated_col = table.required_column("moderated")?;
    let author_col = table.column("author-id");
    let body_col = table.column("comment-body");
    let meta_col = table.column("is-meta");
    let consensus_col = table.column("group-informed-consensus");
    let mut statements = Vec::new();
    table.for_each_record(|record, _| {
        let id = parse_id(record, id_col, "comment-id")?;
        let moderated = parse_int(record, moderated_col, "moderated")?;
        let moderation = Moderation::from_export(moderated)
            .ok_or_else(|| format!("field `moderated` must be -1, 0 or 1, got {moderated}"))?;
        let author = match author_col {
            Some(c) => Some(parse_id(record, c, "author-id")?),
            None => None,
        };
        let is_meta = match meta_col {
            Some(c) => parse_bool(field(record, c, "is-meta")?, "is-meta")?,
            None => false,
        };
        let exported_group_consensus = match consensus_col {
            Some(c) => {
                let text = field(record, c, "group-informed-consensus")?;
                if text.is_empty() {
                    None
                } else {
                    Some(text.parse::<f64>().map_err(|_| {
                        format!("field `group-informed-consensus` is not a number: {text:?}")
                    })?)
                }
            }
            None => None,
        };
        let text = match body_col {
            Some(c) => record.get(c).unwrap_or_default().to_string(),
            None => String::new(),
        };
        statements.push(Statement {
            id,
            author,
            text,
            moderation,
            is_meta,
            exported_group_consensus,
        });
        Ok(())
    })?;
    Ok(statements)
}

/// Reads `votes.csv` (every vote event, export sign).
pub fn read_votes<R: Read>(file: &Path, source: R) -> Result<Vec<VoteEvent>, ExportError> {
    let mut table = CsvTable::new(file, source)?;
    let time_col = table.required_column("timestamp")?;
    let statement_col = table.required_column("comment-id")?;
    let voter_col = table.required_column("voter-id")?;
    let vote_col = table.required_column("vote")?;
    let mut events = Vec::new();
    table.for_each_record(|record, _| {
        let time = parse_int(record, time_col, "timestamp")?;
        let statement = parse_id(record, statement_col, "comment-id")?;
        let participant = parse_id(record, voter_col, "voter-id")?;
        let sign = parse_int(record, vote_col, "vote")?;
        let vote = Vote::from_export_sign(sign)
            .ok_or_else(|| format!("field `vote` must be -1, 0 or 1, got {sign}"))?;
        events.push(VoteEvent {
            time,
            participant,
            statement,
            vote,
        });
        Ok(())
    })?;
    Ok(events)
}

/// What `participants-votes.csv` holds: each participant's latest votes and Pol.is's group id.
#[derive(Debug, Clone, Default)]
pub struct ParticipantVotes {
    /// Latest votes as events with `time` 0 (the file carries no times).
    pub votes: Vec<VoteEvent>,
    pub groups: Vec<(ParticipantId, Option<u32>)>,
}

/// Reads `participants-votes.csv` (columns `participant`, optional `xid`, `group-id`, counts, then one per tid).
pub fn read_participant_votes<R: Read>(
    file: &Path,
    source: R,
) -> Result<ParticipantVotes, ExportError> {
    let mut table = CsvTable::new(file, source)?;
    let participant_col = table.required_column("participant")?;
    let group_col = table.required_column("group-id")?;
    let mut statement_cols: Vec<(usize, StatementId)> = Vec::new();
    for (index, header) in table.headers.iter().enumerate() {
        if let Ok(tid) = header.parse::<StatementId>() {
            statement_cols.push((index, tid));
        }
    }
    let mut result = ParticipantVotes::default();
    table.for_each_record(|record, _| {
        let participant = parse_id(record, participant_col, "participant")?;
        let group_text = field(record, group_col, "group-id")?;
        let group =
            if group_text.is_empty() {
                None
            } else {
                Some(group_text.parse::<u32>().map_err(|_| {
                    format!("field `group-id` is not a group number: {group_text:?}")
                })?)
            };
        result.groups.push((participant, group));
        for &(index, statement) in &statement_cols {
            let text = field(record, index, "vote")?;
            if text.is_empty() {
                continue;
            }
            let sign: i64 = text.parse().map_err(|_| {
                format!("vote on statement {statement} is not -1, 0 or 1: {text:?}")
            })?;
            let vote = Vote::from_export_sign(sign).ok_or_else(|| {
                format!("vote on statement {statement} must be -1, 0 or 1, got {sign}")
            })?;
            result.votes.push(VoteEvent {
                time: 0,
                participant,
                statement,
                vote,
            });
        }
        Ok(())
    })?;
    Ok(result)
}

fn open(path: &Path) -> Result<std::fs::File, ExportError> {
    std::fs::File::open(path).map_err(|e| ExportError {
        file: path.to_path_buf(),
        line: None,
        message: format!("cannot open: {e}"),
    })
}

/// Reads a Pol.is export folder: `votes.csv` (+ `comments.csv` when present) or, without `votes.csv`,
/// `participants-votes.csv` alone. Pol.is's exported group ids are read from `participants-votes.csv` when present.
pub fn read_export_dir(dir: &Path) -> Result<Conversation, ExportError> {
    let votes_path = dir.join("votes.csv");
    let comments_path = dir.join("comments.csv");
    let participants_path = dir.join("participants-votes.csv");
    let mut conversation = Conversation::default();
    if comments_path.exists() {
        conversation.statements = read_comments(&comments_path, open(&comments_path)?)?;
    }
    let participant_votes = if participants_path.exists() {
        Some(read_participant_votes(
            &participants_path,
            open(&participants_path)?,
        )?)
    } else {
        None
    };
    if votes_path.exists() {
        conversation.votes = read_votes(&votes_path, open(&votes_path)?)?;
        if let Some(pv) = participant_votes {
            conversation.exported_groups = pv.groups;
        }
    } else if let Some(pv) = participant_votes {
        conversation.votes = pv.votes;
        conversation.exported_groups = pv.groups;
    } else {
        return Err(ExportError {
            file: dir.to_path_buf(),
            line: None,
            message: "neither votes.csv nor participants-votes.csv found in this folder".into(),
        });
    }
    Ok(conversation)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bad_vote_names_file_and_line() {
        let text = "timestamp,datetime,comment-id,voter-id,vote\n1,x,0,0,1\n2,x,0,1,7\n";
        let err = read_votes(Path::new("votes.csv"), text.as_bytes()).unwrap_err();
        assert_eq!(err.line, Some(3));
        assert_eq!(
            err.to_string(),
            "votes.csv:3: field `vote` must be -1, 0 or 1, got 7"
        );
    }

    #[test]
    fn missing_column_is_reported() {
        let err =
            read_votes(Path::new("v.csv"), "timestamp,voter-id,vote\n".as_bytes()).unwrap_err();
        assert!(
            err.to_string().contains("missing column `comment-id`"),
            "{err}"
        );
    }

    #[test]
    fn ragged_row_is_a_csv_error_with_line() {
        let text = "timestamp,datetime,comment-id,voter-id,vote\n1,x,0,0,1\n2,x,0\n";
        let err = read_votes(Path::new("votes.csv"), text.as_bytes()).unwrap_err();
        assert_eq!(err.line, Some(3), "{err}");
    }

    #[test]
    fn comments_newer_format_with_multiline_body() {
        let text = "timestamp,comment-id,author-id,agrees,disagrees,moderated,is-meta,is-seed,group-informed-consensus,comment-body\n\
                    1,3,0,1,0,1,true,false,0.25,\"a, b\nc\"\n2,4,1,0,0,-1,false,false,,x\n";
        let statements = read_comments(Path::new("c.csv"), text.as_bytes()).unwrap();
        assert_eq!(statements.len(), 2);
        assert!(statements[0].is_meta && statements[0].is_moderated_out());
        assert_eq!(statements[0].text, "a, b\nc");
        assert_eq!(statements[0].exported_group_consensus, Some(0.25));
        assert_eq!(statements[1].moderation, Moderation::Rejected);
        assert_eq!(statements[1].exported_group_consensus, None);
    }

    #[test]
    fn participant_votes_with_xid_column() {
        let text = "participant,xid,group-id,n-comments,n-votes,n-agree,n-disagree,0,2\n5,,1,0,2,1,1,1,-1\n6,,,0,1,0,0,,0\n";
        let pv = read_participant_votes(Path::new("p.csv"), text.as_bytes()).unwrap();
        assert_eq!(pv.groups, vec![(5, Some(1)), (6, None)]);
        assert_eq!(pv.votes.len(), 3);
        assert_eq!(pv.votes[1].statement, 2);
        assert_eq!(pv.votes[1].vote, Vote::Disagree);
        assert_eq!(pv.votes[2].vote, Vote::Pass);
    }
}
