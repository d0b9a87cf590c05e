//! `additionalProperties`: members not named by `properties` nor matched by
//! `patternProperties` must match this schema.

use crate::json::{Map, Value};
use crate::regex::PatternId;
use crate::schema::compile::{Compiler, SchemaError};
use crate::schema::{Node, NodeId, Validation};

use super::{invalid, keyword_path, subject};

/// `additionalProperties` with the names and patterns of its siblings, which it needs.
#[derive(Debug)]
pub(crate) struct AdditionalProperties {
    schema: NodeId,
    known: Vec<String>,
    patterns: Vec<PatternId>,
}

pub(super) fn compile(
    c: &mut Compiler,
    parent: &Map,
    value: &Value,
    pointer: &str,
) -> Result<AdditionalProperties, SchemaError> {
    let schema = c.subschema(value, pointer.to_string())?;
    let known = parent
        .get("properties")
        .and_then(Value::as_object)
        .map(|m| m.iter().map(|(k, _)| k.to_string()).collect())
        .unwrap_or_default();
    let mut patterns = Vec::new();
    if let Some(map) = parent.get("patternProperties").and_then(Value::as_object) {
        for (pattern, _) in map.iter() {
            let id = c.regex.compile(pattern).map_err(|e| {
                invalid(
                    pointer,
                    format!(
                        "patternProperties {pattern:?} is not an ECMA-262 regular expression: {e}"
                    ),
                )
            })?;
            patterns.push(id);
        }
    }
    Ok(AdditionalProperties {
        schema,
        known,
        patterns,
    })
}

pub(super) fn validate(
    rule: &AdditionalProperties,
    v: &mut Validation,
    instance: &Value,
    at: &str,
) -> bool {
    let Value::Object(map) = instance else {
        return true;
    };
    let forbidden = matches!(v.schema.nodes[rule.schema.0], Node::Bool(false));
    let mut valid = true;
    for (name, member) in map.iter() {
        if rule.known.iter().any(|k| k == name)
            || rule.patterns.iter().any(|p| v.regex.is_match(*p, name))
        {
            continue;
        }
        let ok = if forbidden {
            if v.collecting() {
                let message = format!(
                    "{} has `{name}`, which the plan does not allow: remove it or add it to the plan",
                    subject(v)
                );
                v.fail(
                    "additionalProperties",
                    &keyword_path(at, "additionalProperties"),
                    message,
                );
            }
            false
        } else {
            v.child(rule.schema, name, member)
        };
        if !ok {
            valid = false;
            if !v.collecting() {
                break;
            }
        }
    }
    valid
}
