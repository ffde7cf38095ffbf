//! Residence verification (domain workflow 1): `unverified → pending → verified | rejected`,
//! `verified → revoked`, and a new declaration from any settled state starts over at `pending`.

use crate::account::FieldError;

crate::named_enum! {
    pub enum ResidencyStatus: "residency status", label "residency-status-" {
        Pending = "pending",
        Verified = "verified",
        Rejected = "rejected",
        Revoked = "revoked",
    }
}

crate::named_enum! {
    /// Why a person belongs to a neighbourhood (Seoul's eligibility bases).
    pub enum ResidencyBasis: "residency basis", label "basis-" {
        Resident = "resident",
        Worker = "worker",
        Student = "student",
        Business = "business",
        Foreigner = "foreigner",
    }
}

/// What an official (or a register import) does to a residency.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResidencyDecision {
    Verify,
    Reject,
    Revoke,
}

/// The state a decision leads to, or why it may not be taken from `from`.
pub fn decide(
    from: ResidencyStatus,
    decision: ResidencyDecision,
) -> Result<ResidencyStatus, crate::account::AccountRefusal> {
    use crate::account::AccountRefusal;
    use ResidencyDecision::*;
    use ResidencyStatus::*;
    match (from, decision) {
        (Pending, Verify) => Ok(Verified),
        (Pending, Reject) => Ok(Rejected),
        (Verified, Revoke) => Ok(Revoked),
        (_, Verify | Reject) => Err(AccountRefusal::ResidencyNotPending),
        (_, Revoke) => Err(AccountRefusal::ResidencyNotVerified),
    }
}

/// The identity a resident register row and a declaration are matched on: the name with whitespace
/// removed and lower-cased (registers differ in spacing: "김 민지" = "김민지"), and the birth date.
/// Only a keyed hash of this string is ever stored.
pub fn register_identity(name: &str, birth_date: &str) -> Result<String, FieldError> {
    let name: String = name
        .chars()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_lowercase)
        .collect();
    if name.is_empty() {
        return Err(FieldError::Required);
    }
    let date = parse_date(birth_date)?;
    Ok(format!("{name}|{date}"))
}

/// Accepts `YYYY-MM-DD` (also `YYYYMMDD` and `YYYY.MM.DD`, as Korean registers write it) and returns
/// the canonical `YYYY-MM-DD`.
pub fn parse_date(input: &str) -> Result<String, FieldError> {
    let digits: String = input
        .trim()
        .chars()
        .filter(|c| !matches!(c, '-' | '.' | '/'))
        .collect();
    if digits.is_empty() {
        return Err(FieldError::Required);
    }
    if digits.len() != 8 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(FieldError::InvalidDate);
    }
    let (y, m, d): (u32, u32, u32) = (
        digits[0..4].parse().map_err(|_| FieldError::InvalidDate)?,
        digits[4..6].parse().map_err(|_| FieldError::InvalidDate)?,
        digits[6..8].parse().map_err(|_| FieldError::InvalidDate)?,
    );
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let month_days = [
        31,
        if leap { 29 } else { 28 },
        31,
        30,
        31,
        30,
        31,
        31,
        30,
        31,
        30,
        31,
    ];
    if !(1900..=2100).contains(&y)
        || !(1..=12).contains(&m)
        || d == 0
        || d > month_days[(m - 1) as usize]
    {
        return Err(FieldError::InvalidDate);
    }
    Ok(format!("{y:04}-{m:02}-{d:02}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use ResidencyDecision::*;
    use ResidencyStatus::*;

    #[test]
    fn every_transition() {
        assert_eq!(decide(Pending, Verify), Ok(Verified));
        assert_eq!(decide(Pending, Reject), Ok(Rejected));
        assert_eq!(decide(Verified, Revoke), Ok(Revoked));
        for from in [Verified, Rejected, Revoked] {
            assert!(decide(from, Verify).is_err());
            assert!(decide(from, Reject).is_err());
        }
        for from in [Pending, Rejected, Revoked] {
            assert!(decide(from, Revoke).is_err());
        }
    }

    #[test]
    fn identity_ignores_spacing_and_date_format() {
        let a = register_identity("김 민지", "1990-03-07").unwrap();
        let b = register_identity(" 김민지", "19900307").unwrap();
        let c = register_identity("김민지", "1990.03.07").unwrap();
        assert_eq!(a, b);
        assert_eq!(a, c);
        assert_ne!(a, register_identity("김민지", "1990-03-08").unwrap());
        assert_eq!(
            register_identity("", "1990-03-07"),
            Err(FieldError::Required)
        );
    }

    #[test]
    fn dates_are_checked() {
        assert_eq!(parse_date("2024-02-29").unwrap(), "2024-02-29");
        assert_eq!(parse_date("2023-02-29"), Err(FieldError::InvalidDate));
        assert_eq!(parse_date("1990-13-01"), Err(FieldError::InvalidDate));
        assert_eq!(parse_date("90-01-01"), Err(FieldError::InvalidDate));
        assert_eq!(parse_date(""), Err(FieldError::Required));
    }

    #[test]
    fn statuses_round_trip() {
        for s in [Pending, Verified, Rejected, Revoked] {
            assert_eq!(ResidencyStatus::parse(s.as_str()), Some(s));
        }
        for b in ResidencyBasis::ALL {
            assert_eq!(ResidencyBasis::parse(b.as_str()), Some(b));
        }
    }
}
