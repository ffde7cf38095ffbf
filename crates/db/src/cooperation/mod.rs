//! The platform for citizen cooperation's storage (migration 0012): organizations with their members,
//! verification and the scope's consortium; shared resources and bookings (approved bookings of one
//! resource never overlap: a trigger on both backends refuses it, whatever the order of concurrent
//! writers); citizen schools (a completed enrolment is the training record committees read); small grants.
mod grants;
mod organizations;
mod resources;
mod schools;

pub use grants::*;
pub use organizations::*;
pub use resources::*;
pub use schools::*;
