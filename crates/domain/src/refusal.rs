//! Refusals: what a rule answers when an action may not happen, typed from the domain to the edge.
//!
//! A refusal carries data, never prose. The web layer turns it into a Fluent message (pages, and the API's
//! `message` in the caller's language) and a stable error code (the API's `code`). Every area's refusal
//! enum implements [`Explain`]; [`Refusal`] gathers them so that storage and services return one type.

use crate::account::FieldError;

/// A value a refusal's message interpolates: a number, user data shown as written, or another message
/// (by id, translated in the reader's language).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Arg {
    Int(i64),
    Text(String),
    Message(&'static str),
    /// An instant (unix seconds), shown in the reader's local time.
    Time(i64),
}

impl From<u32> for Arg {
    fn from(n: u32) -> Arg {
        Arg::Int(i64::from(n))
    }
}

impl From<i64> for Arg {
    fn from(n: i64) -> Arg {
        Arg::Int(n)
    }
}

impl From<usize> for Arg {
    fn from(n: usize) -> Arg {
        Arg::Int(i64::try_from(n).unwrap_or(i64::MAX))
    }
}

/// Whether a refusal is about the request (bad input: 422) or the current state of things (409).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RefusalKind {
    /// The input is not acceptable as given.
    Invalid,
    /// The input is fine but the object's state (or a limit) does not allow it now.
    Conflict,
    /// This person may not do it (a blocked account, a reviewer with a conflict of interest).
    Forbidden,
}

/// What the edge needs to tell a refusal to people and to programs.
pub trait Explain {
    /// A stable snake_case code for the API (`seat_full`): part of the API contract.
    fn code(&self) -> &'static str;
    /// The Fluent message id people read (`refusal-seat-full`).
    fn message_id(&self) -> &'static str;
    /// The message's named arguments.
    fn args(&self) -> Vec<(&'static str, Arg)> {
        Vec::new()
    }
    fn kind(&self) -> RefusalKind {
        RefusalKind::Conflict
    }
}

/// A form field and why it was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldRefusal {
    pub field: &'static str,
    pub error: FieldError,
}

/// Declares [`Refusal`] with one variant per area, each delegating [`Explain`] to the area's own enum.
macro_rules! refusals {
    ($($(#[$doc:meta])* $variant:ident($ty:ty)),+ $(,)?) => {
        /// Every refusal of the platform's rules, by area. Storage returns it inside `DbError::Refused`,
        /// services inside their error; both edges explain it through [`Explain`].
        #[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
        pub enum Refusal {
            /// One or more form fields are not acceptable.
            #[error("invalid fields: {0:?}")]
            Fields(Vec<FieldRefusal>),
            /// The object changed between reading and writing (a compare-and-set lost): reload and retry.
            #[error("the object changed meanwhile")]
            Stale,
            /// What would be created already exists (a unique key of the database).
            #[error("already exists")]
            AlreadyExists,
            $($(#[$doc])* #[error(transparent)] $variant(#[from] $ty)),+
        }

        impl Explain for Refusal {
            fn code(&self) -> &'static str {
                match self {
                    Refusal::Fields(_) => "invalid_fields",
                    Refusal::Stale => "changed_meanwhile",
                    Refusal::AlreadyExists => "already_exists",
                    $(Refusal::$variant(e) => e.code()),+
                }
            }
            fn message_id(&self) -> &'static str {
                match self {
                    Refusal::Fields(f) if f.len() == 1 => f[0].error.message_id(),
                    Refusal::Fields(_) => "refusal-invalid-fields",
                    Refusal::Stale => "refusal-changed-meanwhile",
                    Refusal::AlreadyExists => "refusal-already-exists",
                    $(Refusal::$variant(e) => e.message_id()),+
                }
            }
            fn args(&self) -> Vec<(&'static str, Arg)> {
                match self {
                    Refusal::Fields(f) if f.len() == 1 => f[0].error.args(),
                    Refusal::Fields(_) | Refusal::Stale | Refusal::AlreadyExists => Vec::new(),
                    $(Refusal::$variant(e) => e.args()),+
                }
            }
            fn kind(&self) -> RefusalKind {
                match self {
                    Refusal::Fields(_) => RefusalKind::Invalid,
                    Refusal::Stale | Refusal::AlreadyExists => RefusalKind::Conflict,
                    $(Refusal::$variant(e) => e.kind()),+
                }
            }
        }
    };
}

// One line per area: the area's refusal enum implements `Explain`.
refusals! {
    Proposal(crate::proposal::TransitionError),
    Item(crate::proposal::ItemRefusal),
    Ladder(crate::proposal::LadderError),
    Debate(crate::debate::DebateError),
    Attachment(crate::attachment::AttachmentError),
    Committee(crate::committee::CommitteeRefusal),
    Account(crate::account::AccountRefusal),
    Moderation(crate::moderation::ModerationRefusal),
    Budget(crate::budget::BudgetRefusal),
    Plan(crate::plan::PlanRefusal),
    Cooperation(crate::cooperation::CooperationRefusal),
    Evaluation(crate::evaluation::EvaluationRefusal),
    Forum(crate::forum::ForumRefusal),
}

impl Refusal {
    /// A refusal of one field.
    pub fn field(field: &'static str, error: FieldError) -> Refusal {
        Refusal::Fields(vec![FieldRefusal { field, error }])
    }

    /// The field errors, if this is a refusal of fields.
    pub fn fields(&self) -> &[FieldRefusal] {
        match self {
            Refusal::Fields(f) => f,
            _ => &[],
        }
    }
}

impl Explain for FieldError {
    fn code(&self) -> &'static str {
        match self {
            FieldError::Required => "required",
            FieldError::TooShort { .. } => "too_short",
            FieldError::TooLong { .. } => "too_long",
            FieldError::InvalidEmail => "invalid_email",
            FieldError::Mismatch => "mismatch",
            FieldError::Taken => "taken",
            FieldError::InvalidDate => "invalid_date",
            FieldError::Invalid => "invalid",
        }
    }
    fn message_id(&self) -> &'static str {
        FieldError::message_id(self)
    }
    fn args(&self) -> Vec<(&'static str, Arg)> {
        self.limit()
            .map(|l| vec![("limit", Arg::from(l))])
            .unwrap_or_default()
    }
    fn kind(&self) -> RefusalKind {
        RefusalKind::Invalid
    }
}
