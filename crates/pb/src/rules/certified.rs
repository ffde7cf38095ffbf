//! Floating-point numbers that carry a proven bound on their error, so a comparison either has a certain answer or
//! says it cannot tell (a "floating-point filter"). The budget sweep (`sweep.rs`) decides with these and falls back
//! to exact rationals whenever a comparison cannot be certified; no decision ever rests on an uncertain float.
//!
//! Error model: every f64 operation returns the exact result rounded to nearest, so its relative error is at most
//! u = 2⁻⁵³ (no operation here overflows: money, costs and counts stay far below 10³⁰⁰; results that underflow to
//! subnormals are covered by the absolute term `TINY`). Each operation adds its own rounding error, bounded by
//! `|result| · 2⁻⁵²` (twice u), to the propagated errors of its operands; the bound itself is computed in floating
//! point and then enlarged by the factor `1 + 2⁻⁴⁰`, far more than the few roundings of that computation can lose.
use crate::rational::Q;
use std::cmp::Ordering;

const ROUNDING: f64 = 1.0 / (1u64 << 52) as f64;
const GROW: f64 = 1.0 + 1.0 / (1u64 << 40) as f64;
const TINY: f64 = 1e-290;
/// Integers below this are exact in f64.
const EXACT_INTEGERS: u64 = 1 << 53;

/// A value known to lie within `error` of `value`. Invariant: a value with error 0 is an integer (below 2^53), which
/// is what lets an operation on exact operands with an integral result below 2^53 stay exact.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Approx {
    pub(crate) value: f64,
    pub(crate) error: f64,
}

/// The error bound of a result computed from operands whose errors propagate into `propagated`. With exact operands
/// (integers, by the invariant) an integral result below 2^53 was computed exactly.
fn bound(propagated: f64, result: f64) -> f64 {
    if propagated == 0.0 && result.abs() < EXACT_INTEGERS as f64 && result == (result as i64) as f64
    {
        0.0
    } else {
        (propagated + result.abs() * ROUNDING + TINY) * GROW
    }
}

impl Approx {
    pub(crate) const ZERO: Approx = Approx {
        value: 0.0,
        error: 0.0,
    };

    /// A count (exact below 2^53).
    pub(crate) fn count(n: u64) -> Approx {
        let value = n as f64;
        let error = if n < EXACT_INTEGERS {
            0.0
        } else {
            value * ROUNDING * GROW
        };
        Approx { value, error }
    }

    /// The nearest f64 of an exact rational, with its error; an integer below 2^53 is exact.
    pub(crate) fn of(q: &Q) -> Approx {
        let value = q.to_f64();
        if !value.is_finite() {
            return Approx {
                value: 0.0,
                error: f64::INFINITY,
            };
        }
        if q.is_integer() && value.abs() < EXACT_INTEGERS as f64 {
            return Approx { value, error: 0.0 };
        }
        // At most three roundings for a small fraction (numerator, denominator, quotient); big ones go through
        // num-rational's conversion, allowed a much larger error.
        let relative = match q {
            Q::Small(_) => 4.0 * ROUNDING,
            Q::Big(_) => 1.0 / (1u64 << 40) as f64,
        };
        Approx {
            value,
            error: (value.abs() * relative + TINY) * GROW,
        }
    }

    pub(crate) fn add(self, other: Approx) -> Approx {
        let value = self.value + other.value;
        Approx {
            value,
            error: bound(self.error + other.error, value),
        }
    }

    pub(crate) fn sub(self, other: Approx) -> Approx {
        let value = self.value - other.value;
        Approx {
            value,
            error: bound(self.error + other.error, value),
        }
    }

    pub(crate) fn mul(self, other: Approx) -> Approx {
        let value = self.value * other.value;
        let propagated = self.value.abs() * other.error
            + other.value.abs() * self.error
            + self.error * other.error;
        Approx {
            value,
            error: bound(propagated, value),
        }
    }

    /// Division by a positive count.
    pub(crate) fn div_count(self, n: u64) -> Approx {
        let divisor = Approx::count(n);
        let value = self.value / divisor.value;
        // |a/b − ã/b̃| ≤ (|ã − a| + |a/b|·|b̃ − b|) / b̃ with b ≥ b̃ − e_b > 0.
        let propagated =
            (self.error + value.abs() * divisor.error) / (divisor.value - divisor.error);
        Approx {
            value,
            error: bound(propagated, value),
        }
    }

    /// The sign, when it is certain.
    pub(crate) fn sign(self) -> Option<Ordering> {
        if self.error == 0.0 {
            return self.value.partial_cmp(&0.0);
        }
        if self.value.abs() > self.error * GROW {
            return self.value.partial_cmp(&0.0);
        }
        None
    }

    /// The order of two values, when it is certain.
    pub(crate) fn cmp(self, other: Approx) -> Option<Ordering> {
        self.sub(other).sign()
    }

    /// A lower bound of the value (the value itself when exact).
    pub(crate) fn low(self) -> f64 {
        if self.error == 0.0 {
            return self.value;
        }
        (self.value - self.error) - (self.value - self.error).abs() * ROUNDING - TINY
    }
}

/// An affine function of the step t (0, 1, 2, … budgets after the current one): `at + slope · t`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Lin {
    pub(crate) at: Approx,
    pub(crate) slope: Approx,
}

impl Lin {
    pub(crate) const ZERO: Lin = Lin {
        at: Approx::ZERO,
        slope: Approx::ZERO,
    };

    pub(crate) fn constant(at: Approx) -> Lin {
        Lin {
            at,
            slope: Approx::ZERO,
        }
    }

    /// Σ termᵢ · countᵢ, with one error bound for the whole sum instead of one per operation: recursive float
    /// summation of n products errs by at most (n + 1)·u·Σ|productᵢ| (each product once, each addition once),
    /// plus the propagated Σ errorᵢ · countᵢ. An empty sum is exactly zero.
    pub(crate) fn weighted_sum(terms: impl Iterator<Item = (Lin, u64)>) -> Lin {
        let (mut at, mut at_abs, mut at_err) = (0f64, 0f64, 0f64);
        let (mut slope, mut slope_abs, mut slope_err) = (0f64, 0f64, 0f64);
        let (mut n, mut counts_exact) = (0u64, true);
        for (term, count) in terms {
            counts_exact &= count < EXACT_INTEGERS;
            let count = count as f64;
            let (a, b) = (term.at.value * count, term.slope.value * count);
            at += a;
            at_abs += a.abs();
            at_err += term.at.error * count;
            slope += b;
            slope_abs += b.abs();
            slope_err += term.slope.error * count;
            n += 1;
        }
        if n == 0 {
            return Lin::ZERO;
        }
        // Counts above 2^53 are not exact in f64: their relative error joins the product's.
        let steps = (n + 2) as f64 * ROUNDING;
        let finish = |value: f64, abs: f64, err: f64| {
            // Exact integer terms whose absolute sum stays below 2^53: every product and partial sum was exact.
            let exact = err == 0.0 && counts_exact && abs < EXACT_INTEGERS as f64;
            Approx {
                value,
                error: if exact {
                    0.0
                } else {
                    ((err + steps * abs) * (1.0 + steps) + TINY) * GROW
                },
            }
        };
        Lin {
            at: finish(at, at_abs, at_err),
            slope: finish(slope, slope_abs, slope_err),
        }
    }

    pub(crate) fn sub(self, other: Lin) -> Lin {
        Lin {
            at: self.at.sub(other.at),
            slope: self.slope.sub(other.slope),
        }
    }

    pub(crate) fn mul_count(self, n: u64) -> Lin {
        let n = Approx::count(n);
        Lin {
            at: self.at.mul(n),
            slope: self.slope.mul(n),
        }
    }

    pub(crate) fn div_count(self, n: u64) -> Lin {
        Lin {
            at: self.at.div_count(n),
            slope: self.slope.div_count(n),
        }
    }

    pub(crate) fn scale(self, factor: Approx) -> Lin {
        Lin {
            at: self.at.mul(factor),
            slope: self.slope.mul(factor),
        }
    }

    /// The largest step T such that the function stays ≥ 0 (`strict`: > 0) for every t in 0..=T, given that it
    /// is certainly ≥ 0 (> 0) at t = 0; `u64::MAX` when it never decreases. A lower bound of the true T: the
    /// value is taken at its lowest and the slope at its steepest.
    pub(crate) fn steps_nonnegative(self) -> u64 {
        let slope_low = self.slope.low();
        if slope_low >= 0.0 {
            return u64::MAX;
        }
        let start = self.at.low().max(0.0);
        let steps = (start / -slope_low) * (1.0 - 1.0 / (1u64 << 40) as f64);
        if steps >= u64::MAX as f64 {
            u64::MAX
        } else {
            steps.floor() as u64
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn exact(a: &Approx) -> bool {
        a.error == 0.0
    }

    proptest! {
        /// Every bound holds against exact rational arithmetic, through chains of operations.
        #[test]
        fn bounds_hold(ops in prop::collection::vec((0u8..5, 1i64..1_000_000_000, 1i64..100_000), 1..40),
                       start_n in 1i64..10_000_000_000, start_d in 1i64..100_000) {
            let mut q = Q::frac(i128::from(start_n), i128::from(start_d)).unwrap();
            let mut a = Approx::of(&q);
            for (op, n, d) in ops {
                let operand = Q::frac(i128::from(n), i128::from(d)).unwrap();
                let b = Approx::of(&operand);
                match op {
                    0 => { q = &q + &operand; a = a.add(b); }
                    1 => { q = &q - &operand; a = a.sub(b); }
                    2 => { q = &q * &operand; a = a.mul(b); }
                    3 => { q = &q / &Q::int(i128::from(d)); a = a.div_count(d as u64); }
                    _ => { q = &q * &Q::int(i128::from(d)); a = a.mul(Approx::count(d as u64)); }
                }
                let truth = q.to_f64();
                // The truth, itself within 1e-15 relative of q, lies in the interval (allowing for its own rounding).
                prop_assert!((truth - a.value).abs() <= a.error + truth.abs() * 1e-15 + 1e-300,
                    "{} vs {} ± {}", truth, a.value, a.error);
                if let Some(sign) = a.sign() {
                    prop_assert_eq!(sign, q.cmp(&Q::ZERO));
                }
            }
        }
    }

    #[test]
    fn integers_stay_exact_and_ties_are_certain() {
        let a = Approx::count(12).mul(Approx::count(5));
        let b = Approx::count(60);
        assert!(exact(&a) && exact(&b));
        assert_eq!(a.cmp(b), Some(Ordering::Equal));
        let third = Approx::of(&Q::frac(1, 3).unwrap());
        assert!(!exact(&third));
        assert_eq!(third.mul(Approx::count(3)).cmp(Approx::count(1)), None);
    }

    #[test]
    fn steps_are_a_lower_bound_of_the_root() {
        // 10 − 3t ≥ 0 up to t = 3.33…: three steps.
        let f = Lin {
            at: Approx::count(10),
            slope: Approx::ZERO.sub(Approx::count(3)),
        };
        assert_eq!(f.steps_nonnegative(), 3);
        let rising = Lin {
            at: Approx::count(1),
            slope: Approx::count(2),
        };
        assert_eq!(rising.steps_nonnegative(), u64::MAX);
    }
}
