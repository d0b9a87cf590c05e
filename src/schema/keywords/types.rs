//! `type`: the JSON type of the value (`integer` is any number with no fraction).

use super::{fail, invalid, show, subject};
use crate::json::{is_integer, Value};
use crate::prelude::*;
use crate::schema::compile::SchemaError;
use crate::schema::Validation;
use crate::text::text;
use alloc::format;

/// A set of JSON Schema type names, as bits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct TypeSet(pub(crate) u8);

/// The type names; bit `i` of a [`TypeSet`] is `NAMES[i]`.
const NAMES: [&str; 7] = [
    "null", "boolean", "object", "array", "number", "string", "integer",
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

    /// Whether `value` has one of the types.
    pub(crate) fn accepts(self, value: &Value) -> bool {
        let has = |position: u8| self.0 & (1 << position) != 0;
        match value {
            Value::Null => has(NULL),
            Value::Bool(_) => has(BOOLEAN),
            Value::Object(_) => has(OBJECT),
            Value::Array(_) => has(ARRAY),
            Value::Number(n) => has(NUMBER) || (has(INTEGER) && is_integer(*n)),
            Value::String(_) => has(STRING),
        }
    }

    /// The type names, in the canonical order.
    pub(crate) fn names(self) -> impl Iterator<Item = &'static str> {
        NAMES
            .iter()
            .enumerate()
            .filter(move |(i, _)| self.0 & (1 << i) != 0)
            .map(|(_, n)| *n)
    }
}

pub(super) fn compile(value: &Value, pointer: &str) -> Result<TypeSet, SchemaError> {
    let one = |v: &Value| {
        v.as_str().and_then(TypeSet::bit).ok_or_else(|| {
            invalid(
                pointer,
                format!("unknown type {}: use one of {}", show(v), NAMES.join(", ")),
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
            for name in types.names() {
                if !expected.is_empty() {
                    expected.push_str(" or ");
                }
                expected.push_str(article(name));
            }
            text!(
                subject(v),
                " must be ",
                expected,
                ", got ",
                instance.type_name(),
                " ",
                show(instance)
            )
        })
}

fn article(name: &'static str) -> &'static str {
    match name {
        "null" => "null",
        "boolean" => "a boolean",
        "object" => "an object",
        "array" => "an array",
        "number" => "a number",
        "string" => "a string",
        _ => "an integer",
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
}
