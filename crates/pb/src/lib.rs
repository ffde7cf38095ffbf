//! maeul-pb: the participatory-budgeting engine of maeul.
//!
//! - [`format`]: read and write the pabulib `.pb` format (streaming, `.pb.gz` transparently).
//! - [`model`]: the election, its projects, voters and ballots; [`Election::check_ballot`] validates a ballot against
//!   the election's constraints.
//! - [`rules`]: greedy, Method of Equal Shares (and its completions / iterated variants), sequential Phragmén — the
//!   same outcomes as pabutools 1.2.3, computed exactly and fast.
//! - [`official`]: the rule each city actually used (META `rule`), reproducing its published winners.
//! - [`explain`]: why each project was or was not funded.
//! - [`report`]: the values the `maeul pb` commands print.
pub mod explain;
pub mod format;
pub mod model;
pub mod official;
pub mod profile;
pub mod rational;
pub mod report;
pub mod rules;

pub use explain::{Explanation, Fate, ProjectExplanation};
pub use format::{
    Counted, ParseError, ParseWarning, Parsed, read, read_for_counting, read_path,
    read_path_for_counting,
};
pub use model::{Ballot, BallotConstraints, BallotError, Election, Project, VoteType, Voter};
pub use profile::{Profile, ProjectIndex, Satisfaction, WeightError};
pub use rational::Q;
pub use rules::{Outcome, Progress, Rule, RuleError, RunOptions};
