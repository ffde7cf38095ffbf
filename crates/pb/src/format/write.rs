//! Writing the `.pb` format: what the reader reads back to an equal election.
use super::lines::is_python_line_break;
use crate::model::Election;
use crate::rational::Q;
use std::io::{self, Write};

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
