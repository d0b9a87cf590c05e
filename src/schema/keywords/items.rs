//! `items`: every item matches one schema, or each position its own (the items past
//! them are left to `additionalItems`).

use crate::json::Value;
use crate::prelude::*;
use crate::schema::compile::{Compiler, SchemaError};
use crate::schema::{NodeId, Validation};
use crate::text::text;

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

pub(super) fn validate(rule: &Items, v: &mut Validation, items: &[Value]) -> bool {
    let schemas = items.iter().enumerate().map_while(|(i, item)| {
        let id = match rule {
            Items::All(id) => *id,
            Items::Each(ids) => *ids.get(i)?,
        };
        Some((i, id, item))
    });
    super::all(v, schemas, |v, (i, id, item)| v.child(id, &text!(i), item))
}
