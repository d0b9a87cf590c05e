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

const NAMES: [&str; 7] = [
    "null", "boolean", "object", "array", "number", "string", "integer",
];

impl TypeSet {
    fn bit(name: &str) -> Option<u8> {
        NAMES.iter().position(|n| *n == name).map(|i| 1 << i)
    }

    /// Whether `value` has one of the types (bit `i` is the type `NAMES[i]`).
    pub(crate) fn accepts(self, value: &Value) -> bool {
        let has = |position: u8| self.0 & (1 << position) != 0;
        match value {
            Value::Null => has(0),
            Value::Bool(_) => has(1),
            Value::Object(_) => has(2),
            Value::Array(_) => has(3),
            Value::Number(n) => has(4) || (has(6) && is_integer(*n)),
            Value::String(_) => has(5),
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
