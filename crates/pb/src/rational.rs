//! Exact rational numbers with an `i128` fast path.
//!
//! pabutools decides every comparison with exact rationals (gmpy2 `mpq`); so does this engine. Almost every value
//! met on real files (budgets, costs, per-voter shares `B/n`, MES prices, Phragmén loads) fits in a reduced fraction of
//! two `i128`s, so [`Q`] stores it that way and only falls back to a `BigInt` fraction when a checked `i128`
//! operation would overflow. The representation is canonical (a value is `Big` only if it does not fit `Small`), so
//! the derived `Eq`/`Hash` are value equality and `Q` can key a hash map.
use num_bigint::BigInt;
use num_integer::Integer;
use num_rational::{BigRational, Ratio};
use num_traits::{CheckedAdd, CheckedDiv, CheckedMul, CheckedSub, One, Signed, ToPrimitive, Zero};
use std::cmp::Ordering;
use std::fmt;
use std::str::FromStr;

/// An exact rational number.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Q {
    /// Reduced fraction with a positive denominator that fits in `i128`.
    Small(Ratio<i128>),
    /// Reduced fraction too large for `i128`.
    Big(Box<BigRational>),
}

impl Q {
    /// Zero.
    pub const ZERO: Q = Q::Small(Ratio::new_raw(0, 1));

    /// The integer `value`.
    pub fn int(value: i128) -> Q {
        Q::Small(Ratio::from_integer(value))
    }

    /// `numer / denom`; `None` when `denom` is zero.
    pub fn frac(numer: i128, denom: i128) -> Option<Q> {
        if denom == 0 || numer == i128::MIN || denom == i128::MIN {
            return None;
        }
        Some(Q::Small(Ratio::new(numer, denom)))
    }

    pub(crate) fn from_big(value: BigRational) -> Q {
        match (value.numer().to_i128(), value.denom().to_i128()) {
            (Some(n), Some(d)) if n != i128::MIN && d != i128::MIN => {
                Q::Small(Ratio::new_raw(n, d))
            }
            _ => Q::Big(Box::new(value)),
        }
    }

    pub(crate) fn to_big(&self) -> BigRational {
        match self {
            Q::Small(r) => BigRational::new_raw(BigInt::from(*r.numer()), BigInt::from(*r.denom())),
            Q::Big(b) => (**b).clone(),
        }
    }

    /// True if the value is zero.
    pub fn is_zero(&self) -> bool {
        match self {
            Q::Small(r) => r.is_zero(),
            Q::Big(b) => b.is_zero(),
        }
    }

    /// True if the value is strictly negative.
    pub fn is_negative(&self) -> bool {
        match self {
            Q::Small(r) => r.is_negative(),
            Q::Big(b) => b.is_negative(),
        }
    }

    /// True if the value is an integer.
    pub fn is_integer(&self) -> bool {
        match self {
            Q::Small(r) => r.is_integer(),
            Q::Big(b) => b.is_integer(),
        }
    }

    /// Nearest `f64` (for display and statistics only; never used to decide anything).
    pub fn to_f64(&self) -> f64 {
        match self {
            Q::Small(r) => *r.numer() as f64 / *r.denom() as f64,
            Q::Big(b) => b.to_f64().unwrap_or(f64::NAN),
        }
    }

    /// Smaller of two values.
    pub fn min_of(a: &Q, b: &Q) -> Q {
        if a <= b { a.clone() } else { b.clone() }
    }

    /// Decimal text rounded to `places` digits after the point (for people; the exact value is `Display`).
    pub fn to_decimal_string(&self, places: u32) -> String {
        let big = self.to_big();
        let scale = BigInt::from(10u32).pow(places);
        let scaled = big * BigRational::from_integer(scale.clone());
        let rounded = scaled.round().to_integer();
        let negative = rounded.is_negative();
        let magnitude = rounded.abs();
        let (int_part, frac_part) = magnitude.div_rem(&scale);
        let sign = if negative { "-" } else { "" };
        if places == 0 {
            return format!("{sign}{int_part}");
        }
        format!(
            "{sign}{int_part}.{:0>width$}",
            frac_part.to_string(),
            width = places as usize
        )
    }

    /// Multiply by a non-negative integer weight (a multiplicity).
    pub fn mul_int(&self, weight: u64) -> Q {
        self * &Q::int(i128::from(weight))
    }
}

impl Default for Q {
    fn default() -> Self {
        Q::ZERO
    }
}

macro_rules! binary_op {
    ($trait:ident, $method:ident, $checked:ident, $big_op:tt) => {
        impl std::ops::$trait<&Q> for &Q {
            type Output = Q;
            fn $method(self, rhs: &Q) -> Q {
                if let (Q::Small(a), Q::Small(b)) = (self, rhs) {
                    if let Some(result) = a.$checked(b) {
                        // `i128::MIN` has no negation; keep it out of the fast path so reductions never overflow.
                        if *result.numer() != i128::MIN {
                            return Q::Small(result);
                        }
                    }
                }
                Q::from_big(self.to_big() $big_op rhs.to_big())
            }
        }
        impl std::ops::$trait<Q> for Q {
            type Output = Q;
            fn $method(self, rhs: Q) -> Q {
                (&self).$method(&rhs)
            }
        }
        impl std::ops::$trait<&Q> for Q {
            type Output = Q;
            fn $method(self, rhs: &Q) -> Q {
                (&self).$method(rhs)
            }
        }
    };
}

binary_op!(Add, add, checked_add, +);
binary_op!(Sub, sub, checked_sub, -);
binary_op!(Mul, mul, checked_mul, *);

impl std::ops::Div<&Q> for &Q {
    type Output = Q;
    /// Division; panics on division by zero like integer division (callers check the divisor).
    fn div(self, rhs: &Q) -> Q {
        assert!(!rhs.is_zero(), "division of a rational by zero");
        if let (Q::Small(a), Q::Small(b)) = (self, rhs)
            && let Some(result) = a.checked_div(b)
            && *result.numer() != i128::MIN
            && *result.denom() != i128::MIN
        {
            return Q::Small(result);
        }
        Q::from_big(self.to_big() / rhs.to_big())
    }
}
impl std::ops::Div<Q> for Q {
    type Output = Q;
    fn div(self, rhs: Q) -> Q {
        &self / &rhs
    }
}
impl std::ops::Div<&Q> for Q {
    type Output = Q;
    fn div(self, rhs: &Q) -> Q {
        &self / rhs
    }
}

impl std::ops::AddAssign<&Q> for Q {
    fn add_assign(&mut self, rhs: &Q) {
        *self = &*self + rhs;
    }
}
impl std::ops::SubAssign<&Q> for Q {
    fn sub_assign(&mut self, rhs: &Q) {
        *self = &*self - rhs;
    }
}

impl Ord for Q {
    fn cmp(&self, other: &Self) -> Ordering {
        match (self, other) {
            (Q::Small(a), Q::Small(b)) => {
                // Cross-multiplication is exact when it does not overflow; denominators are positive.
                if a.denom() == b.denom() {
                    return a.numer().cmp(b.numer());
                }
                match (
                    i128::checked_mul(*a.numer(), *b.denom()),
                    i128::checked_mul(*b.numer(), *a.denom()),
                ) {
                    (Some(left), Some(right)) => left.cmp(&right),
                    _ => a.cmp(b), // num-rational's overflow-free comparison
                }
            }
            _ => self.to_big().cmp(&other.to_big()),
        }
    }
}
impl PartialOrd for Q {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl fmt::Display for Q {
    /// `7`, `-3/4`: the same text as Python's `str(Fraction)` / gmpy2's `mpq`, as the expected.json files use.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Q::Small(r) if r.is_integer() => write!(f, "{}", r.numer()),
            Q::Small(r) => write!(f, "{}/{}", r.numer(), r.denom()),
            Q::Big(b) if b.is_integer() => write!(f, "{}", b.numer()),
            Q::Big(b) => write!(f, "{}/{}", b.numer(), b.denom()),
        }
    }
}

/// The most digits a number read from text may have: significant digits, digits before the decimal point and
/// decimal places are each limited to this many (leading zeros, and trailing zeros after a decimal point, are not
/// counted). Real budgets, costs and points have at most a dozen digits; the bound keeps a hostile file with a
/// million-digit number from stalling the reader (big-integer parsing is quadratic in the number of digits) and
/// keeps every value read below 10^40 in magnitude and above 10^-40 in precision.
pub const MAX_DIGITS: usize = 40;

/// Why a number could not be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NumberError {
    /// The text read, cut to its first characters when long.
    pub text: String,
    /// What is wrong with it.
    pub reason: String,
}

impl NumberError {
    fn new(text: &str, reason: impl Into<String>) -> Self {
        NumberError {
            text: shorten(text),
            reason: reason.into(),
        }
    }
}

/// The text itself when short, else its first characters and its length (messages never echo a huge field).
pub fn shorten(text: &str) -> String {
    const SHOWN: usize = 24;
    match text.char_indices().nth(SHOWN) {
        None => text.to_string(),
        Some((cut, _)) => format!("{}… ({} characters)", &text[..cut], text.chars().count()),
    }
}

impl fmt::Display for NumberError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?} {}", self.text, self.reason)
    }
}
impl std::error::Error for NumberError {}

impl FromStr for Q {
    type Err = NumberError;
    /// Reads `12`, `-3`, `400000.0`, `1607513.56`, `.5`, `1e3`, `2.5E-1` and `7/3` exactly (what `mpq(str)` reads
    /// in the files); surrounding whitespace is ignored. At most [`MAX_DIGITS`] digits (see there).
    fn from_str(text: &str) -> Result<Q, NumberError> {
        let s = text.trim();
        if let Some((numer, denom)) = s.split_once('/') {
            let numer =
                parse_decimal(numer.trim()).map_err(|reason| NumberError::new(text, reason))?;
            let denom =
                parse_decimal(denom.trim()).map_err(|reason| NumberError::new(text, reason))?;
            if denom.is_zero() {
                return Err(NumberError::new(text, "has a zero denominator"));
            }
            return Ok(numer / denom);
        }
        parse_decimal(s).map_err(|reason| NumberError::new(text, reason))
    }
}

/// Reads `[sign] digits [. digits] [e exponent]` as `D · 10^scale` with `D` the significant digits, after checking
/// the bounds of [`MAX_DIGITS`] (so the work is linear in the length of the text).
fn parse_decimal(s: &str) -> Result<Q, String> {
    const NOT_A_NUMBER: &str = "is not a number";
    let (negative, unsigned) = match s.as_bytes().first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        Some(_) => (false, s),
        None => return Err(NOT_A_NUMBER.to_string()),
    };
    let (mantissa, exponent) = match unsigned.find(['e', 'E']) {
        Some(pos) => (
            &unsigned[..pos],
            unsigned[pos + 1..]
                .parse::<i32>()
                .map_err(|_| NOT_A_NUMBER.to_string())?,
        ),
        None => (unsigned, 0),
    };
    let (int_digits, frac_digits) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    if (int_digits.is_empty() && frac_digits.is_empty())
        || !int_digits.bytes().all(|b| b.is_ascii_digit())
        || !frac_digits.bytes().all(|b| b.is_ascii_digit())
    {
        return Err(NOT_A_NUMBER.to_string());
    }
    // The digits as one string without the point: value = digits · 10^(exponent − decimals); drop the zeros that
    // carry no information (leading ones, and trailing ones by raising the scale).
    let all = || int_digits.bytes().chain(frac_digits.bytes());
    let total = int_digits.len() + frac_digits.len();
    let leading = all().take_while(|&b| b == b'0').count();
    if leading == total {
        return Ok(Q::ZERO);
    }
    let trailing = int_digits
        .bytes()
        .chain(frac_digits.bytes())
        .rev()
        .take_while(|&b| b == b'0')
        .count();
    let significant = total - leading - trailing;
    let scale = i64::from(exponent) - frac_digits.len() as i64 + trailing as i64;
    if significant > MAX_DIGITS {
        return Err(format!(
            "has {significant} digits; at most {MAX_DIGITS} significant digits are accepted"
        ));
    }
    let before_point = significant as i64 + scale;
    if before_point > MAX_DIGITS as i64 {
        return Err(format!(
            "has {before_point} digits before the decimal point; at most {MAX_DIGITS} are accepted"
        ));
    }
    if -scale > MAX_DIGITS as i64 {
        return Err(format!(
            "has {} decimal places; at most {MAX_DIGITS} are accepted",
            -scale
        ));
    }
    // Up to 38 significant digits fit an i128 (the usual case, no allocation); 39 or 40 take a BigInt.
    let digits = || all().skip(leading).take(significant).map(|b| b - b'0');
    let small = digits().try_fold(0i128, |v, d| v.checked_mul(10)?.checked_add(i128::from(d)));
    let sign = if negative { -1 } else { 1 };
    if let Some(d) = small {
        if (0..=37).contains(&scale)
            && let Some(v) = 10i128
                .checked_pow(scale as u32)
                .and_then(|p| d.checked_mul(p))
        {
            return Ok(Q::int(sign * v));
        }
        if (-37..0).contains(&scale) {
            return Ok(
                Q::frac(sign * d, 10i128.pow((-scale) as u32)).expect("positive denominator")
            );
        }
    }
    let big = digits().fold(BigInt::zero(), |v, d| v * 10u32 + u32::from(d));
    let ten = BigInt::from(10u32);
    let value = if scale >= 0 {
        BigRational::from_integer(big * ten.pow(scale as u32))
    } else {
        BigRational::new(big, ten.pow((-scale) as u32))
    };
    Ok(Q::from_big(if negative { -value } else { value }))
}

impl serde::Serialize for Q {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

/// `1` as a rational (kept as a function so call sites read clearly).
pub fn one() -> Q {
    Q::Small(Ratio::one())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_numbers_seen_in_files() {
        assert_eq!("400000.0".parse::<Q>().unwrap(), Q::int(400000));
        assert_eq!(
            "1607513.56".parse::<Q>().unwrap(),
            Q::frac(160751356, 100).unwrap()
        );
        assert_eq!("7/3".parse::<Q>().unwrap().to_string(), "7/3");
        assert_eq!(" 12 ".parse::<Q>().unwrap(), Q::int(12));
        assert_eq!("1e3".parse::<Q>().unwrap(), Q::int(1000));
        assert_eq!(".5".parse::<Q>().unwrap(), Q::frac(1, 2).unwrap());
        for bad in ["", "abc", "1,5", "1.2.3", "--1", "1/0", "e5", "."] {
            assert!(bad.parse::<Q>().is_err(), "{bad:?} should be rejected");
        }
    }

    #[test]
    fn overflow_falls_back_to_big_and_back() {
        let huge = Q::int(i128::MAX / 2);
        let square = &huge * &huge;
        assert!(matches!(square, Q::Big(_)));
        let back = &square / &huge;
        assert_eq!(back, huge);
        assert!(matches!(back, Q::Small(_)));
        assert!(square > huge);
        let tiny = Q::frac(1, i128::MAX / 3).unwrap();
        let tinier = &tiny * &tiny;
        assert!(tinier < tiny && tinier > Q::ZERO);
    }

    #[test]
    fn displays_like_python_fractions_and_rounds_decimals() {
        assert_eq!(Q::frac(-6, 8).unwrap().to_string(), "-3/4");
        assert_eq!(Q::frac(2, 3).unwrap().to_decimal_string(2), "0.67");
        assert_eq!(Q::int(5).to_decimal_string(0), "5");
        assert_eq!(Q::frac(-1, 8).unwrap().to_decimal_string(2), "-0.13");
    }
}
