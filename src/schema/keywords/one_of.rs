//! `oneOf`: the value matches exactly one schema. One violation for the keyword: naming
//! the schemas matched when several are, what the closest one lacks when none is.

use super::{closest, fail, subject};
use crate::json::Value;
use crate::prelude::*;
use crate::schema::{NodeId, Validation};
use crate::text::text;

pub(super) fn validate(schemas: &[NodeId], v: &mut Validation, instance: &Value, at: &str) -> bool {
    let mut matched = Vec::new();
    for (i, id) in schemas.iter().enumerate() {
        if matched.len() < 2 && v.probe(*id, instance) {
            matched.push(i);
        }
    }
    match matched[..] {
        [_] => true,
        [] => fail(v, at, "oneOf", |v| {
            text!(
                subject(v),
                " must match exactly one of the ",
                schemas.len(),
                " schemas in oneOf, and matches none",
                closest(v, schemas, instance)
            )
        }),
        [first, second, ..] => fail(v, at, "oneOf", |v| {
            text!(
                subject(v),
                " must match exactly one of the ",
                schemas.len(),
                " schemas in oneOf, and matches both #",
                first,
                " and #",
                second,
                ": make it fit only one"
            )
        }),
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use crate::schema::tests::messages;

    #[test]
    fn says_how_many_matched() {
        let schema = r#"{"oneOf": [{"type": "integer"}, {"minimum": 2}]}"#;
        assert_eq!(
            messages(schema, "3"),
            ["the value must match exactly one of the 2 schemas in oneOf, and matches both #0 and #1: make it fit only one"]
        );
        assert_eq!(
            messages(schema, "1.5"),
            ["the value must match exactly one of the 2 schemas in oneOf, and matches none; closest: the value must be ≥ 2, got 1.5"]
        );
        assert!(messages(schema, "1").is_empty());
    }
}
