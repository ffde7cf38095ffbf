//! maeul-domain: the platform's pure rules. No I/O, no storage, no web: types and decisions only.
//!
//! Everything a handler or a repository needs to *decide* (may this person do that here? is this input valid?
//! may this residency move to that state?) lives here so it can be unit-tested without a server.

pub mod access;
pub mod account;
pub mod attachment;
pub mod audit;
pub mod budget;
pub mod committee;
pub mod cooperation;
pub mod debate;
pub mod evaluation;
pub mod forum;
pub mod labels;
pub mod lang;
pub mod markdown;
pub mod moderation;
pub mod named;
pub mod notify;
pub mod object;
pub mod plan;
pub mod proposal;
pub mod refusal;
pub mod residency;
pub mod scope;
pub mod search;
pub mod time;

pub use access::{Action, Actor, Grant, Role};
pub use lang::Lang;
pub use named::{Label, Named};
pub use object::{ObjectKind, ObjectRef};
pub use refusal::{Arg, Explain, Refusal, RefusalKind};
pub use residency::{ResidencyBasis, ResidencyStatus};
pub use scope::{Scope, ScopeKind, ScopeRef, ScopeTree};
