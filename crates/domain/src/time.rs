//! Time, in one place. Instants are unix seconds (what both databases store); people read and write Seoul
//! local time (Asia/Seoul, from the IANA database compiled in — no I/O); feeds and calendars use UTC.
//! Built on `jiff`: every calendar calculation of the platform goes through here.

use jiff::civil::{Date, DateTime};
use jiff::tz::TimeZone;
use jiff::{Timestamp, ToSpan};

use crate::account::FieldError;

/// Seconds in a day (for durations only; calendar days go through [`add_local_days`]).
pub const DAY: i64 = 86_400;
pub const HOUR: i64 = 3_600;

/// Seoul's time zone, from the tz database compiled into the binary.
pub fn seoul() -> TimeZone {
    static SEOUL: TimeZone = jiff::tz::get!("Asia/Seoul");
    SEOUL.clone()
}

/// The current instant in unix seconds.
pub fn now() -> i64 {
    Timestamp::now().as_second()
}

fn timestamp(unix: i64) -> Timestamp {
    Timestamp::from_second(unix).unwrap_or(Timestamp::UNIX_EPOCH)
}

fn local(unix: i64) -> DateTime {
    timestamp(unix).to_zoned_datetime(seoul()).datetime()
}

/// `2027-03-01 19:00`, Seoul time.
pub fn format_local(unix: i64) -> String {
    local(unix).strftime("%Y-%m-%d %H:%M").to_string()
}

/// `2027-03-01`, Seoul time.
pub fn format_local_date(unix: i64) -> String {
    local(unix).date().strftime("%Y-%m-%d").to_string()
}

/// `2027-03-01T19:00`, Seoul time: the value of an `<input type="datetime-local">`.
pub fn format_local_input(unix: i64) -> String {
    local(unix).strftime("%Y-%m-%dT%H:%M").to_string()
}

/// The Seoul calendar year of an instant.
pub fn local_year(unix: i64) -> i32 {
    i32::from(local(unix).year())
}

/// RFC 3339 in UTC (`2027-03-01T10:00:00Z`), for feeds and the API.
pub fn rfc3339(unix: i64) -> String {
    timestamp(unix).strftime("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// An iCalendar UTC date-time (`20270301T100000Z`, RFC 5545 §3.3.5 form 2).
pub fn ical_utc(unix: i64) -> String {
    timestamp(unix).strftime("%Y%m%dT%H%M%SZ").to_string()
}

/// Parses `YYYY-MM-DDTHH:MM` (what `<input type="datetime-local">` sends; a space also separates) as Seoul
/// time → unix seconds.
pub fn parse_local_datetime(input: &str) -> Result<i64, FieldError> {
    let s = input.trim();
    if s.is_empty() {
        return Err(FieldError::Required);
    }
    let (date, time) = s.split_once(['T', ' ']).ok_or(FieldError::InvalidDate)?;
    let date = parse_date(date)?;
    let (hh, mm) = time.split_once(':').ok_or(FieldError::InvalidDate)?;
    let number = |x: &str, max: i8| {
        (x.len() == 2)
            .then(|| x.parse::<i8>().ok())
            .flatten()
            .filter(|n| (0..=max).contains(n))
            .ok_or(FieldError::InvalidDate)
    };
    let at = date.at(number(hh, 23)?, number(mm, 59)?, 0, 0);
    at.to_zoned_datetime(seoul())
        .map(|z| z.timestamp().as_second())
        .map_err(|_| FieldError::InvalidDate)
}

/// Parses `YYYY-MM-DD` as the start of that day in Seoul → unix seconds.
pub fn parse_local_date(input: &str) -> Result<i64, FieldError> {
    let s = input.trim();
    if s.is_empty() {
        return Err(FieldError::Required);
    }
    start_of_local_day(parse_date(s)?)
}

/// A civil date `YYYY-MM-DD` (years 1900–9999).
pub fn parse_date(input: &str) -> Result<Date, FieldError> {
    let s = input.trim();
    let parts: Vec<&str> = s.split('-').collect();
    let shape_ok = parts.len() == 3
        && parts[0].len() == 4
        && parts[1].len() == 2
        && parts[2].len() == 2
        && parts.iter().all(|p| p.bytes().all(|b| b.is_ascii_digit()));
    if !shape_ok {
        return Err(FieldError::InvalidDate);
    }
    let (y, m, d) = (
        parts[0]
            .parse::<i16>()
            .map_err(|_| FieldError::InvalidDate)?,
        parts[1]
            .parse::<i8>()
            .map_err(|_| FieldError::InvalidDate)?,
        parts[2]
            .parse::<i8>()
            .map_err(|_| FieldError::InvalidDate)?,
    );
    if !(1900..=9999).contains(&y) {
        return Err(FieldError::InvalidDate);
    }
    Date::new(y, m, d).map_err(|_| FieldError::InvalidDate)
}

fn start_of_local_day(date: Date) -> Result<i64, FieldError> {
    date.to_zoned_datetime(seoul())
        .map(|z| z.timestamp().as_second())
        .map_err(|_| FieldError::InvalidDate)
}

/// The same Seoul wall-clock time `days` calendar days later.
pub fn add_local_days(unix: i64, days: i64) -> i64 {
    timestamp(unix)
        .to_zoned_datetime(seoul())
        .checked_add(days.days())
        .map_or(unix + days * DAY, |z| z.timestamp().as_second())
}

/// The first instant strictly after `now` at which Seoul's clock shows `hour`:00.
pub fn next_local_hour(now: i64, hour: i8) -> i64 {
    let today = local(now).date();
    let at = |date: Date| {
        date.at(hour, 0, 0, 0)
            .to_zoned_datetime(seoul())
            .map_or(i64::MAX, |z| z.timestamp().as_second())
    };
    let candidate = at(today);
    if candidate > now {
        candidate
    } else {
        today.tomorrow().map_or(now + DAY, at)
    }
}

/// Age in whole years on the Seoul date of `at`, of someone born on `birth`.
pub fn age_on(birth: Date, at: i64) -> i64 {
    let today = local(at).date();
    let mut age = i64::from(today.year()) - i64::from(birth.year());
    if (today.month(), today.day()) < (birth.month(), birth.day()) {
        age -= 1;
    }
    age
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seoul_is_utc_plus_nine() {
        assert_eq!(format_local(0), "1970-01-01 09:00");
        assert_eq!(format_local(1_709_251_200), "2024-03-01 09:00"); // leap year
        assert_eq!(format_local(1_798_761_599), "2027-01-01 08:59");
        assert_eq!(format_local_date(1_798_761_599), "2027-01-01");
        assert_eq!(rfc3339(1_709_251_200), "2024-03-01T00:00:00Z");
        assert_eq!(ical_utc(1_709_251_200), "20240301T000000Z");
        assert_eq!(local_year(1_798_761_599), 2027);
    }

    #[test]
    fn local_input_round_trips() {
        let t = parse_local_datetime("2026-12-01T19:30").unwrap();
        assert_eq!(t, 1_796_050_800 + 19 * 3600 + 1800);
        assert_eq!(format_local_input(t), "2026-12-01T19:30");
        assert_eq!(parse_local_datetime("2026-12-01 19:30"), Ok(t));
        assert_eq!(parse_local_date("2026-12-01"), Ok(1_796_050_800));
    }

    #[test]
    fn bad_dates_are_refused() {
        for bad in [
            "2026-02-30T10:00",
            "2026-13-01T10:00",
            "2026-12-01T24:00",
            "2026-12-01T10:60",
            "2026-12-01",
            "12/01/2026 10:00",
            "2026-1-01T10:00",
            "0999-01-01T00:00",
            "2026-12-01T1:00",
        ] {
            assert_eq!(
                parse_local_datetime(bad),
                Err(FieldError::InvalidDate),
                "{bad}"
            );
        }
        assert_eq!(parse_local_datetime("  "), Err(FieldError::Required));
        assert_eq!(parse_local_date("2025-02-29"), Err(FieldError::InvalidDate));
        assert!(parse_local_date("2024-02-29").is_ok());
    }

    #[test]
    fn next_hour_and_days() {
        let eight = parse_local_datetime("2026-12-01T08:00").unwrap();
        assert_eq!(next_local_hour(eight - 1, 8), eight);
        assert_eq!(next_local_hour(eight, 8), eight + DAY);
        assert_eq!(next_local_hour(eight + 3600, 8), eight + DAY);
        assert_eq!(add_local_days(eight, 30), eight + 30 * DAY);
    }

    #[test]
    fn ages_count_birthdays_in_seoul() {
        let birth = parse_date("2010-12-02").unwrap();
        // 2026-12-01 23:30 Seoul is still before the 16th birthday; 2026-12-02 00:00 Seoul is on it, even
        // though it is 2026-12-01 in UTC.
        assert_eq!(
            age_on(birth, parse_local_datetime("2026-12-01T23:30").unwrap()),
            15
        );
        assert_eq!(
            age_on(birth, parse_local_datetime("2026-12-02T00:00").unwrap()),
            16
        );
    }
}
