//! `patternProperties`: members whose name matches a regular expression match its schema.

use super::{invalid, pattern};
use crate::json::{Map, Value};
use crate::prelude::*;
use crate::regex::PatternId;
use crate::schema::compile::{Compiler, SchemaError};
use crate::schema::{NodeId, Validation};

pub(super) fn compile(
    c: &mut Compiler,
    value: &Value,
    pointer: &str,
) -> Result<Vec<(PatternId, NodeId)>, SchemaError> {
    let map = value.as_object().ok_or_else(|| {
        invalid(
            pointer,
            "patternProperties must be an object of patterns to schemas",
        )
    })?;
    map.iter()
        .map(|(source, schema)| {
            let mut at = pointer.to_string();
            crate::json::push_pointer(&mut at, source);
            Ok((pattern::regex(c, source, &at)?, c.subschema(schema, at)?))
        })
        .collect()
}

pub(super) fn validate(rules: &[(PatternId, NodeId)], v: &mut Validation, map: &Map) -> bool {
    let regex = v.regex;
    let matching = map.iter().flat_map(|(name, member)| {
        rules
            .iter()
            .filter(move |(pattern, _)| regex.is_match(*pattern, name))
            .map(move |(_, id)| (name, *id, member))
    });
    super::all(v, matching, |v, (name, id, member)| {
        v.child(id, name, member)
    })
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use crate::schema::tests::messages;

    #[test]
    fn checks_every_matching_member() {
        let schema = r#"{"patternProperties": {"^n_": {"type": "number"}, "x$": {"minimum": 2}}}"#;
        assert_eq!(
            messages(schema, r#"{"n_x": 1, "n_y": "a", "z": true}"#),
            [
                "`n_x` must be ≥ 2, got 1",
                r#"`n_y` must be a number, got string "a""#
            ]
        );
    }
}
