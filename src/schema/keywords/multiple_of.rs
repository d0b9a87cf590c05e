//! `multipleOf`: a number divided by the divisor is an integer.
//!
//! Judged exactly on the shortest decimal forms of both numbers (what a person wrote), so
//! `0.0075` is a multiple of `0.0001` despite binary floating point, and a quotient too
//! large for a double (`1e308 / 0.123456789`) is never mistaken for an integer.

use super::{fail, invalid, subject};
use crate::json::Value;
use crate::schema::compile::SchemaError;
use crate::schema::Validation;
use crate::text::{number, shortest, text};

pub(super) fn compile(value: &Value, pointer: &str) -> Result<f64, SchemaError> {
    value
        .as_f64()
        .filter(|m| *m > 0.0)
        .ok_or_else(|| invalid(pointer, "multipleOf must be a number greater than 0"))
}

pub(super) fn validate(divisor: f64, v: &mut Validation, x: f64, at: &str) -> bool {
    is_multiple(x, divisor)
        || fail(v, at, "multipleOf", |v| {
            text!(
                subject(v),
                " must be a multiple of ",
                number(divisor),
                ", got ",
                number(x)
            )
        })
}

/// Whether `x` is an integer multiple of `m`: with `x = a·10^p` and `m = b·10^q` in
/// shortest decimal form, whether `b` divides `a·10^(p-q)`.
fn is_multiple(x: f64, m: f64) -> bool {
    let (Some((a, p)), Some((b, q))) = (shortest(x), shortest(m)) else {
        return false;
    };
    if a == 0 || b == 0 {
        return a == 0;
    }
    if p >= q {
        // a·10^(p-q) mod b, one power of ten at a time (b < 10^17, so r·10 fits).
        let mut r = a % b;
        for _ in q..p {
            r = r * 10 % b;
        }
        r == 0
    } else {
        10u64
            .checked_pow((q - p).unsigned_abs())
            .is_some_and(|shift| a % shift == 0 && (a / shift) % b == 0)
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::is_multiple;
    use crate::schema::tests::messages;

    #[test]
    fn decimal_fractions_divide_exactly() {
        assert!(is_multiple(0.0075, 0.0001));
        assert!(is_multiple(4.5, 1.5));
        assert!(is_multiple(0.3, 0.1));
        assert!(is_multiple(-12.0, 4.0));
        assert!(is_multiple(0.0, 0.7));
        assert!(!is_multiple(0.00751, 0.0001));
        assert!(!is_multiple(35.0, 1.5));
        assert!(is_multiple(1e-7, 1e-8));
    }

    #[test]
    fn huge_quotients_are_not_integers_by_accident() {
        assert!(!is_multiple(1e308, 0.123456789));
        assert!(is_multiple(1e308, 0.5));
        assert!(!is_multiple(f64::MAX, 7.0));
    }

    #[test]
    fn decimal_forms_are_shortest() {
        use crate::text::shortest as decimal;
        assert_eq!(decimal(0.0075), Some((75, -4)));
        assert_eq!(decimal(-1200.0), Some((12, 2)));
        assert_eq!(decimal(1e308), Some((1, 308)));
        assert_eq!(decimal(5e-324), Some((5, -324)));
        assert_eq!(decimal(0.0), Some((0, 0)));
        assert_eq!(decimal(f64::INFINITY), None);
    }

    #[test]
    fn names_the_divisor() {
        assert_eq!(
            messages(
                r#"{"properties": {"qty": {"multipleOf": 0.5}}}"#,
                r#"{"qty": 1.3}"#
            ),
            ["`qty` must be a multiple of 0.5, got 1.3"]
        );
    }
}
