//! The decentralized budget's rules: envelopes split down the scope tree by a published formula
//! ([`envelope`]), the participatory-budgeting process's phases ([`process`]), the review of projects
//! ([`project`]) and the ballot forms ([`ballot`]). Counting is the engine's (`maeul-pb`); this module only
//! decides what may happen when.

pub mod ballot;
pub mod envelope;
pub mod link;
pub mod process;
pub mod project;
pub mod refusal;
pub mod voters;
pub mod weights;

#[cfg(test)]
mod tests;

pub use ballot::{BallotConfig, BallotKind, StoredBallot, VoterGroup, format_quotas, parse_quotas};
pub use envelope::{ChildFigures, Formula, Share, Term, split};
pub use link::{
    ProposalOrigin, ShortlistMotion, check_attachable, check_proposal_origin,
    require_shortlist_motion,
};
pub use process::{Phase, PhaseEvent, Schedule, apply_phase};
pub use project::{ProjectState, ReviewEvent, apply_review};
pub use refusal::{BallotProblem, BudgetRefusal};
pub use voters::{VoterBases, VoterFacts, check_age, check_proposer, check_voter};
