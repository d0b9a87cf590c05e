//! The ten bound keywords (`maximum`, `minLength`, `maxItems`, …): a measure of the value
//! (the number itself, or its count of characters, items or members) compared with a
//! limit. One row of the keyword table compiles them all; [`rule`] tells them apart.

use super::{fail, invalid, subject, Keyword};
use crate::json::{is_integer, Value};
use crate::schema::compile::SchemaError;
use crate::schema::Validation;
use crate::text::{number, text};
use alloc::format;

/// What a bound measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Measure {
    /// A number's value.
    Number,
    /// A string's length in Unicode code points.
    Characters,
    /// An array's length.
    Items,
    /// An object's number of members.
    Properties,
}

/// One bound keyword: its name, what it measures, and which way the limit points.
#[derive(Debug)]
pub(crate) struct Bound {
    /// The keyword.
    pub(crate) name: &'static str,
    measure: Measure,
    /// A maximum (the measure must not exceed the limit) rather than a minimum.
    upper: bool,
    /// The limit itself is excluded (`exclusiveMaximum`, `exclusiveMinimum`).
    exclusive: bool,
    /// What a message says the value must do, before the limit: `be ≤ `, `have at least `.
    must: &'static str,
    /// The unit a message writes after the limit: for a limit of 1, and for others.
    units: [&'static str; 2],
}

impl Bound {
    /// A bound on a number.
    const fn number(name: &'static str, upper: bool, exclusive: bool) -> Bound {
        Bound {
            name,
            measure: Measure::Number,
            upper,
            exclusive,
            must: match (upper, exclusive) {
                (true, false) => "be ≤ ",
                (true, true) => "be < ",
                (false, false) => "be ≥ ",
                (false, true) => "be > ",
            },
            units: ["", ""],
        }
    }

    /// An inclusive bound on a count of characters, items or members.
    const fn count(name: &'static str, measure: Measure, upper: bool) -> Bound {
        Bound {
            name,
            measure,
            upper,
            exclusive: false,
            must: match (measure, upper) {
                (Measure::Characters, true) => "be at most ",
                (Measure::Characters, false) => "be at least ",
                (_, true) => "have at most ",
                (_, false) => "have at least ",
            },
            units: match measure {
                Measure::Characters => [" character long", " characters long"],
                Measure::Items => [" item", " items"],
                _ => [" property", " properties"],
            },
        }
    }
}

/// The ten bounds: `maximum`, `exclusiveMaximum`, `minimum` and `exclusiveMinimum` on
/// numbers; `maxLength` and `minLength` on a string's characters (Unicode code points,
/// not bytes); `maxItems` and `minItems` on an array's items; `maxProperties` and
/// `minProperties` on an object's members.
static BOUNDS: [Bound; 10] = [
    Bound::number("maximum", true, false),
    Bound::number("exclusiveMaximum", true, true),
    Bound::number("minimum", false, false),
    Bound::number("exclusiveMinimum", false, true),
    Bound::count("maxLength", Measure::Characters, true),
    Bound::count("minLength", Measure::Characters, false),
    Bound::count("maxItems", Measure::Items, true),
    Bound::count("minItems", Measure::Items, false),
    Bound::count("maxProperties", Measure::Properties, true),
    Bound::count("minProperties", Measure::Properties, false),
];

/// The bound keyword `name`, if it is one.
fn rule(name: &str) -> Option<&'static Bound> {
    BOUNDS.iter().find(|bound| bound.name == name)
}

/// The bound numbered `number` (its position among the ten), for the binary form.
pub(crate) fn numbered(number: usize) -> Option<&'static Bound> {
    BOUNDS.get(number)
}

impl Bound {
    /// The bound's position among the ten (see [`numbered`]).
    pub(crate) fn position(&'static self) -> usize {
        BOUNDS
            .iter()
            .position(|bound| core::ptr::eq(bound, self))
            .unwrap_or(usize::MAX)
    }
}

/// Compiles the bound keyword `name` (one of [`BOUNDS`]) with its limit `value`.
pub(super) fn compile(
    name: &str,
    value: &Value,
    pointer: &str,
) -> Result<Option<Keyword>, SchemaError> {
    let Some(rule) = rule(name) else {
        return Ok(None);
    };
    let counts = rule.measure != Measure::Number;
    value
        .as_f64()
        .filter(|n| !counts || (*n >= 0.0 && is_integer(*n)))
        .map(|limit| Some(Keyword::Bound(rule, limit)))
        .ok_or_else(|| {
            let what = if counts {
                "a non-negative integer"
            } else {
                "a number"
            };
            invalid(pointer, format!("{} must be {what}", rule.name))
        })
}

pub(super) fn validate(
    rule: &Bound,
    limit: f64,
    v: &mut Validation,
    instance: &Value,
    at: &str,
) -> bool {
    let actual = match (rule.measure, instance) {
        (Measure::Number, Value::Number(n)) => *n,
        (Measure::Characters, Value::String(s)) => crate::text::char_count(s) as f64,
        (Measure::Items, Value::Array(items)) => items.len() as f64,
        (Measure::Properties, Value::Object(map)) => map.len() as f64,
        _ => return true,
    };
    let ok = match (rule.upper, rule.exclusive) {
        (true, false) => actual <= limit,
        (true, true) => actual < limit,
        (false, false) => actual >= limit,
        (false, true) => actual > limit,
    };
    ok || fail(v, at, rule.name, |v| {
        let unit = rule.units[usize::from(limit != 1.0)];
        text!(
            subject(v),
            " must ",
            rule.must,
            number(limit),
            unit,
            ", got ",
            number(actual)
        )
    })
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use crate::schema::tests::messages;

    #[test]
    fn says_what_the_limit_is() {
        for (schema, instance, expected) in [
            (
                r#"{"properties": {"quality": {"properties": {"rating": {"maximum": 5}}}}}"#,
                r#"{"quality": {"rating": 6}}"#,
                "`quality.rating` must be ≤ 5, got 6",
            ),
            (
                r#"{"exclusiveMaximum": 5}"#,
                "5",
                "the value must be < 5, got 5",
            ),
            (
                r#"{"items": {"minimum": 0.5}}"#,
                "[1, 0.25]",
                "`[1]` must be ≥ 0.5, got 0.25",
            ),
            (
                r#"{"exclusiveMinimum": 0}"#,
                "0",
                "the value must be > 0, got 0",
            ),
            (
                r#"{"properties": {"name": {"minLength": 3}}}"#,
                r#"{"name": "x"}"#,
                "`name` must be at least 3 characters long, got 1",
            ),
            (
                r#"{"maxLength": 1}"#,
                r#""ab""#,
                "the value must be at most 1 character long, got 2",
            ),
            (
                r#"{"maxItems": 1}"#,
                "[1, 2]",
                "the value must have at most 1 item, got 2",
            ),
            (
                r#"{"minItems": 2}"#,
                "[]",
                "the value must have at least 2 items, got 0",
            ),
            (
                r#"{"maxProperties": 0}"#,
                r#"{"a": 1}"#,
                "the value must have at most 0 properties, got 1",
            ),
            (
                r#"{"minProperties": 1}"#,
                "{}",
                "the value must have at least 1 property, got 0",
            ),
        ] {
            assert_eq!(messages(schema, instance), [expected], "{schema}");
        }
    }

    #[test]
    fn lengths_count_code_points_not_bytes() {
        assert!(messages(r#"{"maxLength": 2}"#, r#""é😀""#).is_empty());
        assert_eq!(messages(r#"{"minLength": 3}"#, r#""é😀""#).len(), 1);
    }

    #[test]
    fn limits_must_be_numbers_and_counts_integers() {
        let mut regex = crate::regex::NativeRegex::default();
        for bad in [
            r#"{"maximum": "5"}"#,
            r#"{"minLength": -1}"#,
            r#"{"maxItems": 1.5}"#,
        ] {
            let doc = crate::json::parse(bad).unwrap();
            assert!(crate::schema::compile(&doc, &mut regex).is_err(), "{bad}");
        }
    }
}
