//! `properties`: named members of an object each match their schema.

use super::invalid;
use crate::json::{Map, Value};
use crate::prelude::*;
use crate::schema::compile::{Compiler, SchemaError};
use crate::schema::{NodeId, Validation};

pub(super) fn compile(
    c: &mut Compiler,
    value: &Value,
    pointer: &str,
) -> Result<Vec<(String, NodeId)>, SchemaError> {
    let map = value
        .as_object()
        .ok_or_else(|| invalid(pointer, "properties must be an object of property schemas"))?;
    map.iter()
        .map(|(name, schema)| Ok((name.to_string(), c.child(schema, pointer, name)?)))
        .collect()
}

pub(super) fn validate(props: &[(String, NodeId)], v: &mut Validation, map: &Map) -> bool {
    let present = props
        .iter()
        .filter_map(|(name, id)| Some((name, *id, map.get(name)?)));
    super::all(v, present, |v, (name, id, member)| {
        v.child(id, name, member)
    })
}
