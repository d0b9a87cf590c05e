//! `dependencies`: when an object has a member, it also has other members (array form), or
//! the whole object matches a schema (schema form).

use super::{all, invalid, member, required};
use crate::json::{Map, Value};
use crate::prelude::*;
use crate::schema::compile::{Compiler, SchemaError};
use crate::schema::{NodeId, Validation};
use crate::text::text;

/// What the presence of one member brings along.
#[derive(Debug)]
pub(crate) enum Dependency {
    /// These members must be present too.
    Names(Vec<String>),
    /// The object must match this schema.
    Schema(NodeId),
}

pub(super) fn compile(
    c: &mut Compiler,
    value: &Value,
    pointer: &str,
) -> Result<Vec<(String, Dependency)>, SchemaError> {
    let map = value.as_object().ok_or_else(|| {
        invalid(
            pointer,
            "dependencies must be an object of property names to arrays or schemas",
        )
    })?;
    map.iter()
        .map(|(name, dependency)| {
            let compiled = match dependency {
                Value::Array(_) => Dependency::Names(required::compile(dependency, pointer)?),
                _ => Dependency::Schema(c.child(dependency, pointer, name)?),
            };
            Ok((name.to_string(), compiled))
        })
        .collect()
}

pub(super) fn validate(
    deps: &[(String, Dependency)],
    v: &mut Validation,
    map: &Map,
    instance: &Value,
    at: &str,
) -> bool {
    let triggered = deps.iter().filter(|(name, _)| map.get(name).is_some());
    all(v, triggered, |v, (name, dependency)| match dependency {
        Dependency::Schema(id) => v.node(*id, instance),
        Dependency::Names(names) => {
            required::each_missing(v, map, names, at, "dependencies", |v, missing| {
                text!(
                    member(v, missing),
                    " is required when ",
                    member(v, name),
                    " is present"
                )
            })
        }
    })
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use crate::schema::tests::messages;

    #[test]
    fn both_forms() {
        let schema = r#"{"dependencies": {"card": ["cvv"], "coupon": {"required": ["code"]}}}"#;
        assert_eq!(
            messages(schema, r#"{"card": 1, "coupon": true}"#),
            [
                "`cvv` is required when `card` is present",
                "`code` is required but missing"
            ]
        );
        assert!(messages(schema, r#"{"cvv": 1}"#).is_empty());
    }
}
