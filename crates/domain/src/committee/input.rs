//! Input rules for committee forms.

use crate::account::FieldError;

pub const NAME_MAX: usize = 120;
pub const TEXT_MAX: usize = 10_000;
pub const PLACE_MAX: usize = 200;
pub const SEED_MAX: usize = 500;

fn text(input: &str, min: usize, max: usize) -> Result<String, FieldError> {
    let text = input.trim().replace("\r\n", "\n");
    let len = text.chars().count();
    if len == 0 {
        Err(FieldError::Required)
    } else if len < min {
        Err(FieldError::TooShort { min })
    } else if len > max {
        Err(FieldError::TooLong { max })
    } else {
        Ok(text)
    }
}

/// A committee's, call's, meeting's or motion's title (whitespace collapsed).
pub fn parse_name(input: &str) -> Result<String, FieldError> {
    let name = input.split_whitespace().collect::<Vec<_>>().join(" ");
    text(&name, 2, NAME_MAX)
}

/// Long text: a charter, an agenda item's description, minutes.
pub fn parse_text(input: &str) -> Result<String, FieldError> {
    text(input, 1, TEXT_MAX)
}

pub fn parse_place(input: &str) -> Result<String, FieldError> {
    text(input, 2, PLACE_MAX)
}

/// The announced seed text of a draw, kept exactly as written (its bytes are hashed), only checked.
pub fn check_seed_text(input: &str) -> Result<(), FieldError> {
    if input.trim().is_empty() {
        Err(FieldError::Required)
    } else if input.chars().count() > SEED_MAX {
        Err(FieldError::TooLong { max: SEED_MAX })
    } else {
        Ok(())
    }
}

/// A whole number in `min..=max`.
pub fn parse_count(input: &str, min: u32, max: u32) -> Result<u32, FieldError> {
    let trimmed = input.trim();
    if trimmed.is_empty() {
        return Err(FieldError::Required);
    }
    match trimmed.parse::<u32>() {
        Ok(n) if (min..=max).contains(&n) => Ok(n),
        _ => Err(FieldError::Invalid),
    }
}

/// `YYYY-MM-DD` → unix seconds at 00:00 in Seoul.
pub fn parse_date(input: &str) -> Result<i64, FieldError> {
    crate::time::parse_local_date(input)
}

/// `YYYY-MM-DDTHH:MM` (what `<input type="datetime-local">` sends), Seoul time → unix seconds.
pub fn parse_datetime(input: &str) -> Result<i64, FieldError> {
    crate::time::parse_local_datetime(input)
}
