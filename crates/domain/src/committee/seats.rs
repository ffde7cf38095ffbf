//! Seats by sector, the gender cap and terms.

use super::Sector;

/// Seats per sector.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct SeatPlan {
    pub public: u32,
    pub civil: u32,
    pub expert: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SeatError {
    #[error("a committee needs at least one seat")]
    NoSeats,
    #[error("all {seats} {sector} seats are taken")]
    SectorFull { sector: Sector, seats: u32 },
    #[error("a gender cap must be between 50 and 100 percent, not {0}")]
    BadCap(u32),
    #[error("{gender} would hold {count} of {total} seats, above the cap of {cap}%")]
    GenderCap {
        gender: String,
        count: u32,
        total: u32,
        cap: u32,
    },
}

impl SeatPlan {
    pub fn seats(&self, sector: Sector) -> u32 {
        match sector {
            Sector::Public => self.public,
            Sector::Civil => self.civil,
            Sector::Expert => self.expert,
        }
    }

    pub fn total(&self) -> u32 {
        self.public + self.civil + self.expert
    }

    pub fn validate(&self) -> Result<(), SeatError> {
        if self.total() == 0 {
            Err(SeatError::NoSeats)
        } else {
            Ok(())
        }
    }

    /// May one more member take a seat of `sector`, `filled` of its seats being held now?
    pub fn check_vacancy(&self, sector: Sector, filled: u32) -> Result<(), SeatError> {
        let seats = self.seats(sector);
        if filled >= seats {
            Err(SeatError::SectorFull { sector, seats })
        } else {
            Ok(())
        }
    }
}

/// "No gender above `cap_percent` % of the seats", checked against the committee's full size (so an
/// early appointment cannot use up the seats the cap protects): a gender may hold at most
/// ⌊cap × seats / 100⌋ seats. `counts` are the members per declared gender.
pub fn check_gender_cap(
    counts: &[(&str, u32)],
    seats: u32,
    cap_percent: u32,
) -> Result<(), SeatError> {
    if !(50..=100).contains(&cap_percent) {
        return Err(SeatError::BadCap(cap_percent));
    }
    let limit = gender_cap_limit(seats, cap_percent);
    for (gender, count) in counts {
        if *count > limit {
            return Err(SeatError::GenderCap {
                gender: (*gender).to_owned(),
                count: *count,
                total: seats,
                cap: cap_percent,
            });
        }
    }
    Ok(())
}

/// The largest number of seats one gender may hold under the cap.
pub fn gender_cap_limit(seats: u32, cap_percent: u32) -> u32 {
    (u64::from(seats) * u64::from(cap_percent) / 100) as u32
}

/// A member's term: from `start` to `end` (unix seconds, both inclusive).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Term {
    pub start: i64,
    pub end: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum TermError {
    #[error("a term must end after it starts")]
    EndsBeforeStart,
}

impl Term {
    pub fn new(start: i64, end: i64) -> Result<Term, TermError> {
        if end <= start {
            Err(TermError::EndsBeforeStart)
        } else {
            Ok(Term { start, end })
        }
    }

    /// Whether a member holding this term may act at `at`.
    pub fn covers(&self, at: i64) -> bool {
        self.start <= at && at <= self.end
    }
}
