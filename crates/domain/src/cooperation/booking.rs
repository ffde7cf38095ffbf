//! Shared resources and their bookings: opening hours, the half-open slot `[starts, ends)`, overlap,
//! and the owner's decision. The database guarantees that approved bookings never overlap (a trigger
//! on both backends); these rules say the same thing first so that people read a clear refusal.

use super::CooperationRefusal;

crate::named_enum! {
    /// What a shared resource is.
    pub enum ResourceKind: "resource kind", label "coop-resource-" {
        Space = "space",
        Equipment = "equipment",
    }
}

crate::named_enum! {
    /// Where a booking stands.
    pub enum BookingState: "booking state", label "coop-booking-" {
        Pending = "pending",
        Approved = "approved",
        Declined = "declined",
        Cancelled = "cancelled",
    }
}

/// A time slot, unix seconds, half-open: it ends the moment the next may start.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Slot {
    pub starts_at: i64,
    pub ends_at: i64,
}

impl Slot {
    pub fn overlaps(&self, other: &Slot) -> bool {
        self.starts_at < other.ends_at && other.starts_at < self.ends_at
    }
}

/// Daily opening hours in Seoul time, as minutes after midnight (`opens` < `closes`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OpeningHours {
    pub opens: i64,
    pub closes: i64,
}

impl OpeningHours {
    /// Parses `09:00-22:00`.
    pub fn parse(text: &str) -> Option<OpeningHours> {
        let (a, b) = text.trim().split_once('-')?;
        let minutes = |t: &str| -> Option<i64> {
            let (h, m) = t.trim().split_once(':')?;
            let (h, m): (i64, i64) = (h.parse().ok()?, m.parse().ok()?);
            ((0..=24).contains(&h) && (0..60).contains(&m) && h * 60 + m <= 1440)
                .then_some(h * 60 + m)
        };
        let (opens, closes) = (minutes(a)?, minutes(b)?);
        (opens < closes).then_some(OpeningHours { opens, closes })
    }

    pub fn text(&self) -> String {
        format!(
            "{:02}:{:02}-{:02}:{:02}",
            self.opens / 60,
            self.opens % 60,
            self.closes / 60,
            self.closes % 60
        )
    }
}

/// Seoul is UTC+9 all year (no daylight saving since 1988).
const SEOUL_OFFSET: i64 = 9 * 3600;

/// Checks a requested slot: it ends after it starts, lies within one day's opening hours (Seoul time)
/// and overlaps none of the `approved` slots.
pub fn check_request(
    slot: Slot,
    hours: OpeningHours,
    approved: &[Slot],
) -> Result<(), CooperationRefusal> {
    if slot.ends_at <= slot.starts_at {
        return Err(CooperationRefusal::EndsBeforeStart);
    }
    let local_start = slot.starts_at + SEOUL_OFFSET;
    let day = local_start.div_euclid(86_400) * 86_400;
    let opens = day + hours.opens * 60;
    let closes = day + hours.closes * 60;
    if local_start < opens || slot.ends_at + SEOUL_OFFSET > closes {
        return Err(CooperationRefusal::OutsideOpeningHours);
    }
    if approved.iter().any(|a| a.overlaps(&slot)) {
        return Err(CooperationRefusal::Overlaps);
    }
    Ok(())
}

/// What happens to a booking.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BookingDecision {
    Approve,
    Decline,
    Cancel,
}

/// The owner approves or declines a pending booking; the requester or the owner cancels a pending or
/// approved one. Approval is checked against the approved slots (`overlapping`: one of them overlaps).
pub fn decide(
    state: BookingState,
    decision: BookingDecision,
    is_owner: bool,
    is_requester: bool,
    overlapping: bool,
) -> Result<BookingState, CooperationRefusal> {
    let closed = || CooperationRefusal::BookingClosed {
        state: state.label_id(),
    };
    match decision {
        BookingDecision::Approve | BookingDecision::Decline => {
            if !is_owner {
                return Err(CooperationRefusal::NotTheOwner);
            }
            if state != BookingState::Pending {
                return Err(closed());
            }
            if decision == BookingDecision::Decline {
                return Ok(BookingState::Declined);
            }
            if overlapping {
                return Err(CooperationRefusal::Overlaps);
            }
            Ok(BookingState::Approved)
        }
        BookingDecision::Cancel => {
            if !is_owner && !is_requester {
                return Err(CooperationRefusal::NotTheOwner);
            }
            if !matches!(state, BookingState::Pending | BookingState::Approved) {
                return Err(closed());
            }
            Ok(BookingState::Cancelled)
        }
    }
}

/// Parses an RFC 3339 instant with its offset (`2026-12-07T10:00:00+09:00`, `…Z`) → unix seconds.
pub fn parse_rfc3339(input: &str) -> Result<i64, crate::account::FieldError> {
    let s = input.trim();
    if s.is_empty() {
        return Err(crate::account::FieldError::Required);
    }
    s.parse::<jiff::Timestamp>()
        .map(|t| t.as_second())
        .map_err(|_| crate::account::FieldError::InvalidDate)
}
