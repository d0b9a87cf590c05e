//! `not`: the value does not match the schema.

use super::{fail, keyword_path, subject};
use crate::json::Value;
use crate::schema::{NodeId, Validation};
use crate::text::text;

pub(super) fn validate(schema: NodeId, v: &mut Validation, instance: &Value, at: &str) -> bool {
    !v.probe(schema, instance)
        || fail(v, at, "not", |v| {
            text!(
                subject(v),
                " must not match the schema at ",
                keyword_path(at, "not")
            )
        })
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use crate::schema::tests::messages;

    #[test]
    fn points_at_the_forbidden_schema() {
        assert_eq!(
            messages(
                r#"{"properties": {"a": {"not": {"type": "null"}}}}"#,
                r#"{"a": null}"#
            ),
            ["`a` must not match the schema at /properties/a/not"]
        );
    }
}
