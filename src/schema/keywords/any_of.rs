//! `anyOf`: the value matches at least one schema. One violation for the keyword, naming
//! what the closest alternative lacks.

use super::{closest, fail, subject};
use crate::json::Value;
use crate::schema::{NodeId, Validation};
use crate::text::text;

pub(super) fn validate(schemas: &[NodeId], v: &mut Validation, instance: &Value, at: &str) -> bool {
    schemas.iter().any(|id| v.probe(*id, instance))
        || fail(v, at, "anyOf", |v| {
            text!(
                subject(v),
                " must match at least one of the ",
                schemas.len(),
                " schemas in anyOf",
                closest(v, schemas, instance)
            )
        })
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use crate::schema::tests::messages;

    #[test]
    fn one_violation_with_the_closest_branch() {
        let schema = r#"{"properties": {"price": {"anyOf": [
            {"type": "string"},
            {"type": "number", "minimum": 0}
        ]}}}"#;
        assert_eq!(
            messages(schema, r#"{"price": -1}"#),
            ["`price` must match at least one of the 2 schemas in anyOf; closest: `price` must be ≥ 0, got -1"]
        );
        assert!(messages(schema, r#"{"price": "1"}"#).is_empty());
    }
}
