//! The tracked-project updates file (`project_id,progress,spent,body,evidence_url,evidence_label`): parsed
//! and checked as a whole before anything is imported, every bad row named by its line and column. Pure
//! (no state, no I/O), so `examples/fuzz_updates.rs` can fuzz it.
use maeul_domain::account::FieldError;

/// The header the file starts with.
pub const HEADER: [&str; 6] = [
    "project_id",
    "progress",
    "spent",
    "body",
    "evidence_url",
    "evidence_label",
];
/// Most rows one file imports.
pub const MAX_ROWS: usize = 1000;
/// Longest body of an update.
pub const BODY_MAX: usize = 4000;

/// A problem with the file or one of its lines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ImportProblem {
    /// The header is not [`HEADER`].
    BadHeader,
    /// The file has no rows.
    Empty,
    /// More than [`MAX_ROWS`] rows.
    TooManyRows,
    /// A line could not be read as CSV (or has another number of fields than the header).
    Unreadable { line: u64 },
    /// A field is refused; `column` is its header name.
    Field {
        line: u64,
        column: &'static str,
        error: FieldError,
    },
}

/// One checked row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportRow {
    pub line: u64,
    pub project_id: i64,
    /// 0–100.
    pub progress: i64,
    pub spent: Option<i64>,
    pub body: String,
    /// (url, label), when the row names evidence.
    pub evidence: Option<(String, String)>,
}

fn field_of<T>(
    problems: &mut Vec<ImportProblem>,
    line: u64,
    column: &'static str,
    r: Result<T, FieldError>,
) -> Option<T> {
    r.map_err(|error| {
        problems.push(ImportProblem::Field {
            line,
            column,
            error,
        })
    })
    .ok()
}

/// Parses and checks an updates file; returns the rows and every problem found (the import goes ahead
/// only when there is none).
pub fn parse(data: &[u8]) -> (Vec<ImportRow>, Vec<ImportProblem>) {
    let data = data.strip_prefix("\u{feff}".as_bytes()).unwrap_or(data);
    // CRLF (a spreadsheet's export) and a lone CR (old Mac exports) read as LF: the csv reader counts
    // lines by LF only, so every bad row would be named on the wrong line (found by the fuzz target).
    let unix_lines;
    let data = if data.contains(&b'\r') {
        unix_lines = data
            .iter()
            .enumerate()
            .filter(|&(i, &b)| !(b == b'\r' && data.get(i + 1) == Some(&b'\n')))
            .map(|(_, &b)| if b == b'\r' { b'\n' } else { b })
            .collect::<Vec<u8>>();
        unix_lines.as_slice()
    } else {
        data
    };
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .from_reader(data);
    let mut rows = vec![];
    let mut problems = vec![];
    match reader.headers() {
        Ok(h) if h.iter().eq(HEADER) => {}
        _ => return (rows, vec![ImportProblem::BadHeader]),
    }
    let mut seen = 0usize;
    for record in reader.records() {
        seen += 1;
        if seen > MAX_ROWS {
            problems.push(ImportProblem::TooManyRows);
            break;
        }
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line());
                problems.push(ImportProblem::Unreadable { line });
                continue;
            }
        };
        let line = record.position().map_or(0, |p| p.line());
        let p = &mut problems;
        let project_id = field_of(
            p,
            line,
            "project_id",
            match record[0].parse::<i64>() {
                Ok(id) if id > 0 => Ok(id),
                _ if record[0].is_empty() => Err(FieldError::Required),
                _ => Err(FieldError::Invalid),
            },
        );
        let progress = field_of(
            p,
            line,
            "progress",
            match record[1].trim_end_matches('%').trim().parse::<i64>() {
                Ok(v) if (0..=100).contains(&v) => Ok(v),
                _ if record[1].is_empty() => Err(FieldError::Required),
                _ => Err(FieldError::Invalid),
            },
        );
        let spent = field_of(
            p,
            line,
            "spent",
            match record[2].replace(',', "").as_str() {
                "" => Ok(None),
                s => match s.parse::<i64>() {
                    Ok(v) if v >= 0 => Ok(Some(v)),
                    _ => Err(FieldError::Invalid),
                },
            },
        );
        let body = field_of(
            p,
            line,
            "body",
            match record[3].chars().count() {
                0 => Err(FieldError::Required),
                n if n > BODY_MAX => Err(FieldError::TooLong { max: BODY_MAX }),
                _ => Ok(record[3].to_owned()),
            },
        );
        let url = &record[4];
        let evidence = field_of(
            p,
            line,
            "evidence_url",
            if url.is_empty() {
                Ok(None)
            } else if url.len() > 500
                || !(url.starts_with("https://") || url.starts_with("http://"))
                || url.chars().any(char::is_control)
            {
                Err(FieldError::Invalid)
            } else {
                Ok(Some((
                    url.to_owned(),
                    record[5].chars().take(200).collect(),
                )))
            },
        );
        if let (Some(project_id), Some(progress), Some(spent), Some(body), Some(evidence)) =
            (project_id, progress, spent, body, evidence)
        {
            rows.push(ImportRow {
                line,
                project_id,
                progress,
                spent,
                body,
                evidence,
            });
        }
    }
    if rows.is_empty() && problems.is_empty() {
        problems.push(ImportProblem::Empty);
    }
    (rows, problems)
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEAD: &str = "project_id,progress,spent,body,evidence_url,evidence_label\n";

    #[test]
    fn a_good_file_gives_its_rows() {
        let file = format!(
            "\u{feff}{HEAD}7,40,\"1,200,000\",1차 설치,https://example.org/a.jpg,사진\n8, 100% ,,완료,,\n"
        );
        let (rows, problems) = parse(file.as_bytes());
        assert_eq!(problems, vec![]);
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].line, 2);
        assert_eq!(rows[0].spent, Some(1_200_000));
        assert_eq!(
            rows[0].evidence,
            Some(("https://example.org/a.jpg".into(), "사진".into()))
        );
        assert_eq!(
            (rows[1].project_id, rows[1].progress, rows[1].spent),
            (8, 100, None)
        );
    }

    #[test]
    fn every_bad_row_is_named_by_line_and_column() {
        let file = format!("{HEAD}x,40,,a,,\n7,101,-5,,ftp://x,\n7,50\n9,10,,ok,,\n");
        let (rows, problems) = parse(file.as_bytes());
        assert_eq!(
            rows.len(),
            1,
            "the good row is read, but the file has problems"
        );
        let named: Vec<(u64, &str)> = problems
            .iter()
            .filter_map(|p| match p {
                ImportProblem::Field { line, column, .. } => Some((*line, *column)),
                _ => None,
            })
            .collect();
        assert_eq!(
            named,
            vec![
                (2, "project_id"),
                (3, "progress"),
                (3, "spent"),
                (3, "body"),
                (3, "evidence_url")
            ]
        );
        assert!(problems.contains(&ImportProblem::Unreadable { line: 4 }));
    }

    #[test]
    fn crlf_and_lone_cr_keep_the_line_numbers() {
        let (rows, problems) = parse(
            "project_id,progress,spent,body,evidence_url,evidence_label\r\n1,10,0,a,,\r1,200,0,b,,\r\n"
                .as_bytes(),
        );
        assert_eq!(rows.first().map(|r| r.line), Some(2));
        assert!(
            problems
                .iter()
                .any(|p| matches!(p, ImportProblem::Field { line: 3, .. })),
            "{problems:?}"
        );
    }

    #[test]
    fn header_emptiness_and_size_are_checked() {
        assert_eq!(
            parse(b"id,progress\n1,2\n").1,
            vec![ImportProblem::BadHeader]
        );
        assert_eq!(parse(HEAD.as_bytes()).1, vec![ImportProblem::Empty]);
        let many: String = HEAD.to_owned() + &"1,1,,b,,\n".repeat(MAX_ROWS + 1);
        assert!(
            parse(many.as_bytes())
                .1
                .contains(&ImportProblem::TooManyRows)
        );
        // Invalid UTF-8 and NUL bytes are refused, never a panic.
        let (_, p) = parse(&[HEAD.as_bytes(), b"1,1,,\xff\xfe,,\n"].concat());
        assert!(!p.is_empty());
    }
}
