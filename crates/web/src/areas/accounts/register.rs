//! The resident-register file (`name,birth_date,neighbourhood_code`): parsed and checked as a whole
//! before anything is imported. Pure (no state, no I/O), so `examples/fuzz_register.rs` can fuzz it.
use maeul_domain::account::FieldError;
use maeul_domain::residency::register_identity;
use maeul_domain::{ScopeKind, ScopeTree};

/// A problem with one line of a register file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RegisterProblem {
    /// The header is not `name,birth_date,neighbourhood_code`.
    BadHeader,
    /// The file has no rows.
    Empty,
    /// A line could not be read as CSV.
    Unreadable {
        line: u64,
    },
    /// A name or birth date is refused.
    Field {
        line: u64,
        error: FieldError,
    },
    UnknownNeighbourhood {
        line: u64,
        code: String,
    },
    OutsideAuthority {
        line: u64,
        code: String,
    },
}

/// Parses and checks register rows; returns (identity, neighbourhood id) rows and the problems found.
/// `may_import(neighbourhood_id)` says whether the importing official's authority covers a row.
pub fn parse(
    tree: &ScopeTree,
    data: &[u8],
    may_import: impl Fn(i64) -> bool,
) -> (Vec<(String, i64)>, Vec<RegisterProblem>) {
    let data = data.strip_prefix("\u{feff}".as_bytes()).unwrap_or(data);
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .from_reader(data);
    let mut rows = vec![];
    let mut problems = vec![];
    match reader.headers() {
        Ok(h) if h.iter().eq(["name", "birth_date", "neighbourhood_code"]) => {}
        _ => return (rows, vec![RegisterProblem::BadHeader]),
    }
    for record in reader.records() {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line());
                problems.push(RegisterProblem::Unreadable { line });
                continue;
            }
        };
        let line = record.position().map_or(0, |p| p.line());
        // The reader refuses records whose length differs from the header's, so three fields are here.
        let (name, birth, code) = (&record[0], &record[1], &record[2]);
        let identity = match register_identity(name, birth) {
            Ok(identity) => identity,
            Err(error) => {
                problems.push(RegisterProblem::Field { line, error });
                continue;
            }
        };
        let Some(scope) = tree
            .by_code(code)
            .filter(|s| s.kind == ScopeKind::Neighbourhood)
        else {
            problems.push(RegisterProblem::UnknownNeighbourhood {
                line,
                code: code.to_owned(),
            });
            continue;
        };
        if !may_import(scope.id) {
            problems.push(RegisterProblem::OutsideAuthority {
                line,
                code: code.to_owned(),
            });
            continue;
        }
        rows.push((identity, scope.id));
    }
    if rows.is_empty() && problems.is_empty() {
        problems.push(RegisterProblem::Empty);
    }
    (rows, problems)
}
