//! `additionalProperties`: members not named by `properties` nor matched by
//! `patternProperties` must match this schema.

use super::{all, fail, member, subject};
use crate::json::{Map, Value};
use crate::prelude::*;
use crate::regex::PatternId;
use crate::schema::compile::{Compiler, SchemaError};
use crate::schema::{NodeId, Validation};
use crate::text::text;

/// `additionalProperties` with the names and patterns of its siblings, which it needs.
#[derive(Debug)]
pub(crate) struct AdditionalProperties {
    pub(crate) schema: NodeId,
    pub(crate) known: Vec<String>,
    pub(crate) patterns: Vec<PatternId>,
}

pub(super) fn compile(
    c: &mut Compiler,
    parent: &Map,
    value: &Value,
    pointer: &str,
) -> Result<AdditionalProperties, SchemaError> {
    let schema = c.subschema(value, pointer.to_string())?;
    let names = |keyword| {
        parent
            .get(keyword)
            .and_then(Value::as_object)
            .map(|m| m.iter().map(|(k, _)| k.to_string()).collect::<Vec<_>>())
            .unwrap_or_default()
    };
    // An invalid pattern is reported by `patternProperties` itself.
    let patterns = names("patternProperties")
        .iter()
        .filter_map(|p| c.regex.compile(p).ok())
        .collect();
    Ok(AdditionalProperties {
        schema,
        known: names("properties"),
        patterns,
    })
}

pub(super) fn validate(
    rule: &AdditionalProperties,
    v: &mut Validation,
    map: &Map,
    at: &str,
) -> bool {
    let regex = v.regex;
    let additional = map.iter().filter(|(name, _)| {
        !rule.known.iter().any(|k| k == name)
            && !rule.patterns.iter().any(|p| regex.is_match(*p, name))
    });
    let forbidden = v.schema.is_false(rule.schema);
    all(v, additional, |v, (name, value)| {
        if !forbidden {
            return v.child(rule.schema, name, value);
        }
        fail(v, at, "additionalProperties", |v| {
            text!(
                subject(v),
                " has ",
                member(v, name),
                ", which the plan does not allow: remove it or add it to the plan"
            )
        })
    })
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use crate::schema::tests::messages;

    #[test]
    fn names_unplanned_members() {
        let schema = r#"{"properties": {"a": {}}, "patternProperties": {"^x-": {}}, "additionalProperties": false}"#;
        assert_eq!(
            messages(schema, r#"{"a": 1, "x-y": 2, "b": 3}"#),
            ["the value has `b`, which the plan does not allow: remove it or add it to the plan"]
        );
    }
}
