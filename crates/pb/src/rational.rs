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

/// Why a number could not be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NumberError(pub String);

impl fmt::Display for NumberError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "not a number: {:?}", self.0)
    }
}
impl std::error::Error for NumberError {}

impl FromStr for Q {
    type Err = NumberError;
    /// Reads `12`, `-3`, `400000.0`, `1607513.56`, `.5`, `1e3`, `2.5E-1` and `7/3` exactly (what `mpq(str)` reads
    /// in the files); surrounding whitespace is ignored.
    fn from_str(text: &str) -> Result<Q, NumberError> {
        let err = || NumberError(text.to_string());
        let s = text.trim();
        if let Some((numer, denom)) = s.split_once('/') {
            let numer: Q = parse_decimal(numer.trim()).ok_or_else(err)?;
            let denom: Q = parse_decimal(denom.trim()).ok_or_else(err)?;
            if denom.is_zero() {
                return Err(err());
            }
            return Ok(numer / denom);
        }
        parse_decimal(s).ok_or_else(err)
    }
}

fn parse_decimal(s: &str) -> Option<Q> {
    let (negative, unsigned) = match s.as_bytes().first()? {
        b'-' => (true, &s[1..]),
        b'+' => (false, &s[1..]),
        _ => (false, s),
    };
    let (mantissa, exponent) = match unsigned.find(['e', 'E']) {
        Some(pos) => (&unsigned[..pos], unsigned[pos + 1..].parse::<i32>().ok()?),
        None => (unsigned, 0),
    };
    let (int_digits, frac_digits) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    if int_digits.is_empty() && frac_digits.is_empty() {
        return None;
    }
    if !int_digits.bytes().all(|b| b.is_ascii_digit())
        || !frac_digits.bytes().all(|b| b.is_ascii_digit())
    {
        return None;
    }
    if exponent.unsigned_abs() > 400 {
        return None;
    }
    let digits = format!("{int_digits}{frac_digits}");
    let mut numer: BigInt = if digits.is_empty() {
        BigInt::zero()
    } else {
        digits.parse().ok()?
    };
    if negative {
        numer = -numer;
    }
    let scale = exponent - frac_digits.len() as i32;
    let ten = BigInt::from(10u32);
    let value = if scale >= 0 {
        BigRational::from_integer(numer * ten.pow(scale as u32))
    } else {
        BigRational::new(numer, ten.pow(scale.unsigned_abs()))
    };
    Some(Q::from_big(value))
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
