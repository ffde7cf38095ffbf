//! Defining indicators as staff type them (code, name, unit, baseline, periods with targets) and the
//! disaggregation of an actual (by gender, age band or neighbourhood), each input checked field by field.

use crate::account::FieldError;

crate::named_enum! {
    /// A dimension along which an indicator's actual is broken down (IATI's "dimensions").
    pub enum Dimension: "disaggregation dimension", label "indicator-dimension-" {
        Gender = "gender",
        AgeBand = "age_band",
        Neighbourhood = "neighbourhood",
    }
}

/// Years an indicator's periods may name.
pub const YEARS: std::ops::RangeInclusive<i64> = 2000..=2100;
/// Longest indicator name.
pub const INDICATOR_NAME_MAX: usize = 200;
/// Longest indicator code (the same code in several scopes is one indicator for the roll-up).
pub const INDICATOR_CODE_MAX: usize = 40;
/// Most periods one indicator has.
pub const PERIODS_MAX: usize = 10;
/// Longest category label of a disaggregation (`여성`, `30–39`, a neighbourhood's code).
pub const CATEGORY_MAX: usize = 60;

/// A number as staff type it: commas allowed, finite, below 10¹².
pub fn parse_number(input: &str) -> Result<Option<f64>, FieldError> {
    match input.trim() {
        "" => Ok(None),
        t => t
            .replace(',', "")
            .parse::<f64>()
            .ok()
            .filter(|v| v.is_finite() && v.abs() < 1e12)
            .map(Some)
            .ok_or(FieldError::Invalid),
    }
}

/// A year as staff type it.
pub fn parse_year(input: &str) -> Result<Option<i64>, FieldError> {
    match input.trim() {
        "" => Ok(None),
        t => t
            .parse::<i64>()
            .ok()
            .filter(|y| YEARS.contains(y))
            .map(Some)
            .ok_or(FieldError::Invalid),
    }
}

/// An indicator code: letters, digits, `-`, `_` and `.`, at most [`INDICATOR_CODE_MAX`] characters.
pub fn check_code(input: &str) -> Result<String, FieldError> {
    let t = input.trim();
    if t.is_empty() {
        return Err(FieldError::Required);
    }
    if t.chars().count() > INDICATOR_CODE_MAX {
        return Err(FieldError::TooLong {
            max: INDICATOR_CODE_MAX,
        });
    }
    if !t
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
    {
        return Err(FieldError::Invalid);
    }
    Ok(t.to_owned())
}

/// Reads an indicator's periods, one a line: `YEAR TARGET` (a space, a tab, `=` or `:` between them),
/// blank lines ignored; a year at most once. Returns (year, target) by year.
pub fn parse_periods(input: &str) -> Result<Vec<(i64, f64)>, FieldError> {
    let mut out: Vec<(i64, f64)> = Vec::new();
    for line in input.lines() {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        let mut parts = line
            .splitn(2, |c: char| c.is_whitespace() || c == '=' || c == ':')
            .map(str::trim);
        let year = parts.next().unwrap_or("");
        let target = parts
            .next()
            .unwrap_or("")
            .trim_start_matches(['=', ':'])
            .trim();
        let year = parse_year(year)?.ok_or(FieldError::Invalid)?;
        let target = parse_number(target)?.ok_or(FieldError::Invalid)?;
        if out.iter().any(|(y, _)| *y == year) {
            return Err(FieldError::Invalid);
        }
        out.push((year, target));
    }
    if out.len() > PERIODS_MAX {
        return Err(FieldError::Invalid);
    }
    out.sort_by_key(|(y, _)| *y);
    Ok(out)
}

/// Reads a disaggregation, one category a line: `CATEGORY VALUE` (the value last, after a space, a tab,
/// `=` or `:`), e.g. `여성 62` or `30–39: 18`; a category at most once, at most 30 lines.
pub fn parse_breakdown(input: &str) -> Result<Vec<(String, f64)>, FieldError> {
    let mut out: Vec<(String, f64)> = Vec::new();
    for line in input.lines() {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        let cut = line
            .rfind(|c: char| c.is_whitespace() || c == '=' || c == ':')
            .ok_or(FieldError::Invalid)?;
        let (category, value) = line.split_at(cut);
        let category = category
            .trim()
            .trim_end_matches([':', '='])
            .trim()
            .to_owned();
        let value = value.trim_start_matches([':', '=']).trim();
        if category.is_empty() || category.chars().count() > CATEGORY_MAX {
            return Err(FieldError::Invalid);
        }
        let value = parse_number(value)?.ok_or(FieldError::Invalid)?;
        if out.iter().any(|(c, _)| *c == category) {
            return Err(FieldError::Invalid);
        }
        out.push((category, value));
    }
    if out.len() > 30 {
        return Err(FieldError::Invalid);
    }
    Ok(out)
}
