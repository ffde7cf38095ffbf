//! The participant × statement vote matrix (polismath's `raw-rating-mat`), stored sparsely by row.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use crate::model::{ParticipantId, StatementId, VoteEvent};

/// Polismath's caps on matrix size: votes of participants/statements beyond them are dropped.
pub const MAX_PARTICIPANTS: usize = 100_000;
pub const MAX_STATEMENTS: usize = 10_000;

/// Multiply-rotate hasher for the integer id maps: ids are not attacker-chosen keys of a long-lived public
/// table here, and SipHash dominated building the matrix.
#[derive(Debug, Clone, Copy, Default)]
pub struct IdHasher(u64);

impl Hasher for IdHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.write_u64(u64::from(b));
        }
    }

    fn write_u64(&mut self, value: u64) {
        self.0 = (self.0.rotate_left(5) ^ value).wrapping_mul(0x517c_c1b7_2722_0a95);
    }
}

type IdMap<V> = HashMap<u64, V, BuildHasherDefault<IdHasher>>;

/// One non-missing cell of a row.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Cell {
    pub column: u32,
    /// Internal sign: -1 agree, 1 disagree, 0 pass.
    pub value: i8,
    time: i64,
}

/// Rows = participants and columns = statements, each in order of first appearance in the vote stream; a
/// later vote of a participant on a statement overwrites the earlier one.
#[derive(Debug, Clone, Default)]
pub struct VoteMatrix {
    participants: Vec<ParticipantId>,
    statements: Vec<StatementId>,
    row_of: IdMap<usize>,
    column_of: IdMap<usize>,
    /// Cells of each row, sorted by column.
    rows: Vec<Vec<Cell>>,
    vote_count: usize,
}

impl VoteMatrix {
    /// Builds the matrix from vote events applied in the canonical order (time, then event fields).
    pub fn from_events(events: &[VoteEvent]) -> VoteMatrix {
        let mut sorted = events.to_vec();
        sorted.sort_unstable();
        sorted.dedup();
        let mut matrix = VoteMatrix::default();
        for event in &sorted {
            matrix.apply(event);
        }
        matrix
    }

    /// Applies one vote event; returns whether the matrix changed. Events older than the stored vote for the
    /// same cell are ignored (latest wins).
    pub fn apply(&mut self, event: &VoteEvent) -> bool {
        let row = match self.row_of.get(&event.participant) {
            Some(&row) => row,
            None => {
                if self.participants.len() >= MAX_PARTICIPANTS {
                    return false;
                }
                self.participants.push(event.participant);
                self.rows.push(Vec::new());
                self.row_of
                    .insert(event.participant, self.participants.len() - 1);
                self.participants.len() - 1
            }
        };
        let column = match self.column_of.get(&event.statement) {
            Some(&column) => column,
            None => {
                if self.statements.len() >= MAX_STATEMENTS {
                    return false;
                }
                self.statements.push(event.statement);
                self.column_of
                    .insert(event.statement, self.statements.len() - 1);
                self.statements.len() - 1
            }
        } as u32;
        let value = event.vote.internal_value();
        let cells = &mut self.rows[row];
        match cells.binary_search_by_key(&column, |c| c.column) {
            Ok(i) => {
                let cell = &mut cells[i];
                if event.time < cell.time || (cell.value == value && cell.time == event.time) {
                    return false;
                }
                cell.value = value;
                cell.time = event.time;
                true
            }
            Err(i) => {
                cells.insert(
                    i,
                    Cell {
                        column,
                        value,
                        time: event.time,
                    },
                );
                self.vote_count += 1;
                true
            }
        }
    }

    pub fn participants(&self) -> &[ParticipantId] {
        &self.participants
    }

    pub fn statements(&self) -> &[StatementId] {
        &self.statements
    }

    pub fn row(&self, row: usize) -> &[Cell] {
        &self.rows[row]
    }

    pub fn row_of(&self, participant: ParticipantId) -> Option<usize> {
        self.row_of.get(&participant).copied()
    }

    pub fn column_of(&self, statement: StatementId) -> Option<usize> {
        self.column_of.get(&statement).copied()
    }

    pub fn n_rows(&self) -> usize {
        self.participants.len()
    }

    pub fn n_columns(&self) -> usize {
        self.statements.len()
    }

    /// Number of non-missing cells (latest votes).
    pub fn n_votes(&self) -> usize {
        self.vote_count
    }

    /// Latest vote of a participant on a statement, internal sign.
    pub fn get(&self, row: usize, column: usize) -> Option<i8> {
        let cells = &self.rows[row];
        cells
            .binary_search_by_key(&(column as u32), |c| c.column)
            .ok()
            .map(|i| cells[i].value)
    }

    /// polismath `user-vote-counts`: non-missing cells per row.
    pub fn vote_counts(&self) -> Vec<usize> {
        self.rows.iter().map(Vec::len).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Vote;

    fn ev(time: i64, participant: u64, statement: u64, vote: Vote) -> VoteEvent {
        VoteEvent {
            time,
            participant,
            statement,
            vote,
        }
    }

    #[test]
    fn latest_vote_wins_and_order_of_first_appearance() {
        let events = [
            ev(5, 1, 9, Vote::Agree),
            ev(1, 2, 3, Vote::Disagree),
            ev(7, 1, 9, Vote::Pass),
            ev(2, 1, 3, Vote::Agree),
        ];
        let m = VoteMatrix::from_events(&events);
        assert_eq!(m.participants(), &[2, 1]);
        assert_eq!(m.statements(), &[3, 9]);
        assert_eq!(m.get(1, 1), Some(0));
        assert_eq!(m.get(1, 0), Some(-1));
        assert_eq!(m.get(0, 0), Some(1));
        assert_eq!(m.get(0, 1), None);
        assert_eq!(m.n_votes(), 3);
    }

    #[test]
    fn older_event_does_not_overwrite() {
        let mut m = VoteMatrix::default();
        assert!(m.apply(&ev(10, 1, 1, Vote::Agree)));
        assert!(!m.apply(&ev(3, 1, 1, Vote::Disagree)));
        assert_eq!(m.get(0, 0), Some(-1));
    }
}
