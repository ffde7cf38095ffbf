//! The decentralized budget (rules in `maeul_domain::budget`), stored by sub-area: envelopes (cycles, the
//! figures formulas read, envelopes with the terms they received), processes (phases with their log,
//! projects and their review) and ballots (one per voter under a per-process pseudonym, turnout apart,
//! the stored result with the engine's explanation).
mod ballots;
mod envelopes;
mod processes;

pub use ballots::{BallotRecord, NewResult, ResultRow, TurnoutRow, VoteChannel};
pub use envelopes::{CycleRow, EnvelopeRow, FiguresRow};
pub use processes::{NewProcess, NewProject, PhaseLogRow, ProcessRow, ProjectRow};
