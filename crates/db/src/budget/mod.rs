//! The decentralized budget (rules in `maeul_domain::budget`), stored by sub-area: envelopes (cycles, the
//! figures formulas read, envelopes with the terms they received), processes (phases with their log,
//! projects and their review) and ballots (one per voter under a per-process pseudonym, turnout apart,
//! the stored result with the engine's explanation).
mod ballots;
mod envelopes;
mod imports;
mod leftover;
mod processes;
mod schedule;

/// The job that counts a closed vote (`detail`: the process id), queued with the phase change.
pub const KIND_BUDGET_COUNT: &str = "budget_count";

pub use ballots::{BallotRecord, NewResult, Provenance, ResultRow, TurnoutRow, VoteChannel};
pub use envelopes::{CycleRow, EnvelopeRow, FiguresRow};
pub use imports::{ImportedCount, NewImport, NewImportProject};
pub use leftover::Unawarded;
pub use processes::{
    CitedMotion, NewProcess, NewProject, PhaseLogRow, ProcessRow, ProjectRow, ProposalProject,
};
pub use schedule::{ProcessSettings, parse_event_detail};
