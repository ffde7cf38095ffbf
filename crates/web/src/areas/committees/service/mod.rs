//! The committees' use cases, by sub-area: bodies (committees, seats, members), calls (recruitment by
//! verifiable lottery) and meetings (agenda, attendance, motions, votes, minutes). Each function loads,
//! asks the domain, runs the lottery off the async threads, writes in one transaction, and returns a
//! typed result that pages and the API share.
pub mod bodies;
pub mod calls;
pub mod meetings;
