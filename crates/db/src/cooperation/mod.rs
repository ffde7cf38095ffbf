//! The platform for citizen cooperation's storage (migration 0012): organizations with their members,
//! verification and the scope's consortium; shared resources and bookings (approved bookings of one
//! resource never overlap: a trigger on both backends refuses it, whatever the order of concurrent
//! writers); citizen schools (a completed enrolment is the training record committees read); small grants;
//! and the network (migration 0014): events, organizations as proposers or partners, the activity feed,
//! awarded grants tracked as projects.
mod grants;
mod network;
mod organizations;
mod resources;
mod schools;

pub use grants::*;
pub use network::*;
pub use organizations::*;
pub use resources::*;
pub use schools::*;
