//! Results-based evaluation (issue 15; domain §4 and §7 workflow 9): funded projects tracked to their
//! outcomes, indicators with baselines and targets, the yearly evaluation cycle of a scope and the grade that
//! feeds the next budget cycle's envelope formula.
//!
//! ```text
//! update:  draft ─submit (author)→ submitted ─verify (staff, not the author)→ verified   (only verified count)
//!                                           └─return (staff, comment)→ returned ─submit (author)→ submitted
//! cycle:   indicators_defined ─start measuring→ measuring ─self-assess (narrative)→ self_assessed
//!          ─open review→ external_review ─grade (the level above, never the scope itself)→ graded
//!          ─apply feedback→ feedback_applied ─publish→ published
//! grade:   points = 60 % mean indicator achievement + 40 % mean rubric score (both in ‰ of their best)
//!          가 ≥ 900 ‰ · 나 ≥ 750 ‰ · 다 ≥ 600 ‰ · 라 below; the envelope formula reads 4 · 3 · 2 · 1
//! ```

mod cycle;
mod definition;
mod grading;
mod indicator;
mod refusal;
mod survey;
mod tracking;

pub use cycle::*;
pub use definition::*;
pub use grading::*;
pub use indicator::*;
pub use refusal::*;
pub use survey::*;
pub use tracking::*;

#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_survey;
