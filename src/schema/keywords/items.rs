//! `items`: every item matches one schema, or each position its own.

use crate::json::Value;
use crate::schema::compile::{Compiler, SchemaError};
use crate::schema::{NodeId, Validation};

/// The two forms of `items`.
#[derive(Debug)]
pub(crate) enum Items {
    /// One schema for every item.
    All(NodeId),
    /// One schema per position; later items are left to `additionalItems`.
    Each(Vec<NodeId>),
}

pub(super) fn compile(
    c: &mut Compiler,
    value: &Value,
    pointer: &str,
) -> Result<Items, SchemaError> {
    match value {
        Value::Array(schemas) => schemas
            .iter()
            .enumerate()
            .map(|(i, s)| c.child(s, pointer, &i.to_string()))
            .collect::<Result<_, _>>()
            .map(Items::Each),
        _ => c.subschema(value, pointer.to_string()).map(Items::All),
    }
}

pub(super) fn validate(rule: &Items, v: &mut Validation, instance: &Value) -> bool {
    let Value::Array(items) = instance else {
        return true;
    };
    let mut valid = true;
    for (i, item) in items.iter().enumerate() {
        let id = match rule {
            Items::All(id) => *id,
            Items::Each(ids) => match ids.get(i) {
                Some(id) => *id,
                None => break,
            },
        };
        if !v.child(id, &i.to_string(), item) {
            valid = false;
            if !v.collecting() {
                break;
            }
        }
    }
    valid
}
