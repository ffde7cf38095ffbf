//! maeul-opinion: Pol.is-grade opinion maps.
//!
//! A conversation (statements + vote events) becomes a map: participants placed by a sparsity-aware PCA
//! projection, grouped by a two-level k-means (100 base clusters, then 2–5 groups chosen by silhouette),
//! with each group's representative statements, the consensus statements, group-aware consensus and the
//! priority of each statement. The math follows polismath (see `README.md`); the state can be updated
//! incrementally as votes arrive.

pub mod cluster;
pub mod compare;
pub mod engine;
pub mod export;
pub mod map_svg;
pub mod matrix;
pub mod model;
pub mod pca;
pub mod report;
pub mod stats;

pub use engine::{Analysis, OpinionState, Options, analyze, replay, replay_with_progress};
pub use export::{ExportError, read_export_dir};
pub use model::{Conversation, Moderation, ParticipantId, Statement, StatementId, Vote, VoteEvent};
