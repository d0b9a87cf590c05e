//! `type`: the JSON type of the value (`integer` is any number with no fraction).

use super::{fail, invalid, show, subject};
use crate::json::{is_integer, Value};
use crate::prelude::*;
use crate::schema::compile::SchemaError;
use crate::schema::Validation;
use crate::text::{text, Piece};

/// A set of JSON Schema type names, as bits.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub(crate) struct TypeSet(pub(crate) u8);

/// The type names; bit `i` of a [`TypeSet`] is `NAMES[i]`.
const NAMES: [&str; 7] = [
    "null", "boolean", "object", "array", "number", "string", "integer",
];
/// How messages name the types, as in [`NAMES`].
const ARTICLES: [&str; 7] = [
    "null",
    "a boolean",
    "an object",
    "an array",
    "a number",
    "a string",
    "an integer",
];
/// The bit positions of the types in a [`TypeSet`], as in [`NAMES`].
const NULL: u8 = 0;
const BOOLEAN: u8 = 1;
const OBJECT: u8 = 2;
const ARRAY: u8 = 3;
const NUMBER: u8 = 4;
const STRING: u8 = 5;
const INTEGER: u8 = 6;

impl TypeSet {
    fn bit(name: &str) -> Option<u8> {
        NAMES.iter().position(|n| *n == name).map(|i| 1 << i)
    }

    /// The names of the types in the set, in [`NAMES`]' order.
    pub(crate) fn names(self) -> impl Iterator<Item = &'static str> {
        NAMES
            .iter()
            .enumerate()
            .filter(move |(i, _)| self.0 & (1 << i) != 0)
            .map(|(_, name)| *name)
    }

    /// Whether `value` has one of the types.
    pub(crate) fn accepts(self, value: &Value) -> bool {
        let has = |position: u8| self.0 & (1 << position) != 0;
        has(position(value)) || matches!(value, Value::Number(n) if has(INTEGER) && is_integer(*n))
    }
}

/// The bit position of the type of `value` (`number` for every number: `integer` is
/// told apart by [`TypeSet::accepts`]).
fn position(value: &Value) -> u8 {
    match value {
        Value::Null => NULL,
        Value::Bool(_) => BOOLEAN,
        Value::Object(_) => OBJECT,
        Value::Array(_) => ARRAY,
        Value::Number(_) => NUMBER,
        Value::String(_) => STRING,
    }
}

pub(super) fn compile(value: &Value, pointer: &str) -> Result<TypeSet, SchemaError> {
    let one = |v: &Value| {
        v.as_str().and_then(TypeSet::bit).ok_or_else(|| {
            invalid(
                pointer,
                text!("unknown type ", show(v), ": use one of ", NAMES.join(", ")),
            )
        })
    };
    match value {
        Value::Array(items) => items
            .iter()
            .try_fold(TypeSet(0), |set, v| Ok(TypeSet(set.0 | one(v)?))),
        v => one(v).map(TypeSet),
    }
}

pub(super) fn validate(types: TypeSet, v: &mut Validation, instance: &Value, at: &str) -> bool {
    types.accepts(instance)
        || fail(v, at, "type", |v| {
            let mut expected = String::new();
            for (i, article) in ARTICLES.iter().enumerate() {
                if types.0 & (1 << i) != 0 {
                    if !expected.is_empty() {
                        expected.push_str(" or ");
                    }
                    expected.push_str(article);
                }
            }
            let mut message = text!(subject(v), " must be ", expected, ", got ");
            got(instance, types, &mut message);
            message
        })
}

/// Appends what `instance` is to a `type` message that expects `types`: a boolean, number
/// or string with its type's name (`number 1.5`), null, an array or an object as they
/// show (`an array of 2`, not `array an array of 2`). A null where a number is expected
/// is most likely a NaN or an infinity, which JSON (and so what is sent) makes `null`.
fn got(instance: &Value, types: TypeSet, message: &mut String) {
    if matches!(
        instance,
        Value::Bool(_) | Value::Number(_) | Value::String(_)
    ) {
        message.push_str(NAMES[usize::from(position(instance))]);
        message.push(' ');
    }
    show(instance).push_to(message);
    if matches!(instance, Value::Null) && types.0 & (1 << NUMBER | 1 << INTEGER) != 0 {
        message.push_str(" (JSON's NaN and Infinity are null: send a finite number)");
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    #[test]
    fn bit_positions_name_their_types() {
        for (position, name) in [
            (NULL, "null"),
            (BOOLEAN, "boolean"),
            (OBJECT, "object"),
            (ARRAY, "array"),
            (NUMBER, "number"),
            (STRING, "string"),
            (INTEGER, "integer"),
        ] {
            assert_eq!(NAMES[usize::from(position)], name);
            assert_eq!(TypeSet::bit(name), Some(1 << position));
        }
    }

    #[test]
    fn names_the_expected_types_in_order_and_shows_the_value() {
        use crate::schema::tests::messages;
        let long = "x".repeat(70);
        for (schema, instance, expected) in [
            (
                r#"{"type": ["string", "null"]}"#,
                "1.5".to_string(),
                "the value must be null or a string, got number 1.5".to_string(),
            ),
            (
                r#"{"properties": {"n": {"type": "integer"}}}"#,
                r#"{"n": 2.5}"#.to_string(),
                "`n` must be an integer, got number 2.5".to_string(),
            ),
            (
                r#"{"type": ["array", "boolean", "object"]}"#,
                format!("\"{long}\""),
                format!(
                    "the value must be a boolean or an object or an array, got string \"{}…",
                    &long[..56]
                ),
            ),
            (
                r#"{"type": ["integer", "number"]}"#,
                "{}".to_string(),
                "the value must be a number or an integer, got an object".to_string(),
            ),
            (
                r#"{"type": "string"}"#,
                "[1, 2]".to_string(),
                "the value must be a string, got an array of 2".to_string(),
            ),
            (
                r#"{"type": "string"}"#,
                "null".to_string(),
                "the value must be a string, got null".to_string(),
            ),
            (
                r#"{"type": "object"}"#,
                "true".to_string(),
                "the value must be an object, got boolean true".to_string(),
            ),
            (
                // What a page's NaN (or Infinity) reaches the core as.
                r#"{"properties": {"price": {"type": "number"}}}"#,
                r#"{"price": null}"#.to_string(),
                "`price` must be a number, got null (JSON's NaN and Infinity are null: send a \
                 finite number)"
                    .to_string(),
            ),
        ] {
            assert_eq!(messages(schema, &instance), [expected], "{schema}");
        }
        assert!(messages(r#"{"type": "integer"}"#, "2.0").is_empty());
    }
}
