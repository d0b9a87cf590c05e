//! `$ref`: the value matches the schema a URI reference designates, resolved against the
//! base URI in force (see `compile.rs`). In draft-07 every sibling keyword is ignored.

use super::{invalid, keyword_path};
use crate::json::{quote, Value};
use crate::schema::compile::{Compiler, SchemaError};
use crate::schema::NodeId;
use alloc::format;

/// Compiles the target of the `$ref` of the subschema at `at`.
pub(super) fn compile(c: &mut Compiler, value: &Value, at: &str) -> Result<NodeId, SchemaError> {
    let pointer = keyword_path(at, "$ref");
    let uri = value
        .as_str()
        .ok_or_else(|| invalid(&pointer, "$ref must be a string (a URI reference)"))?;
    c.reference(uri, at)?.ok_or_else(|| {
        invalid(
            &pointer,
            format!(
                "$ref {} designates no schema: check the URI or the JSON pointer after #",
                quote(uri)
            ),
        )
    })
}
