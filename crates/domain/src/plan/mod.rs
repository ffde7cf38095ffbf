//! The innovation plan (domain §2, §7 workflows 5 and 6): agenda items found at the lowest level
//! concerned, referred between levels along the scope tree, adopted by a carried motion of the holding
//! scope's committee, and compiled into a district's (or a neighbourhood's) yearly plan that the level
//! above consults on and approves.
//!
//! ```text
//! item:     proposed ─accept→ accepted ─deliberate→ under_deliberation ─prioritise→ prioritised
//!           ─adopt (carried motion of the holder's committee)→ adopted
//!           proposed ─decline(reason)→ declined; under_deliberation | prioritised ─reject(reason)→ rejected
//!           any open state ─merge(into another item)→ merged
//! referral: holder ─refer up (parent) | down (child), reason→ pending ─receiver accepts→ held by receiver
//!                                                             └─receiver returns(reason)→ stays with sender
//! plan:     drafting ─resolve (carried motion)→ committee_resolved ─submit (frozen revision)→ submitted
//!           ─open consultation→ in_consultation ─request adjustment(comment)→ revising
//!           ─resubmit (frozen revision)→ in_consultation ─approve(granted amount)→ approved
//!           ─execute→ executing ─close→ closing ─evaluate→ evaluated ─archive→ archived
//! ```

mod assembly;
mod item;
mod priority;
mod referral;
mod refusal;
mod working_group;
mod yearly;

pub use assembly::*;
pub use item::*;
pub use priority::*;
pub use referral::*;
pub use refusal::*;
pub use working_group::*;
pub use yearly::*;

#[cfg(test)]
mod assembly_tests;
#[cfg(test)]
mod tests;
